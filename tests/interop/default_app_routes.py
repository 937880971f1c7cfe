#!/usr/bin/env python3
"""The routes of one agno release's default app: `AgentOS(agents=[...], teams=[...],
workflows=[...], db=...)` with no optional router or interface, as the venv's agno
mounts them: its OpenAPI document's operations (what `--routes` reads), one
`METHOD /path` per line, sorted.

    .venvs/agno-<V>/bin/python tests/interop/default_app_routes.py > src/agentos/profiles/default_apps/<V>.routes

This is what `verify` takes as served when neither `--routes` nor `--url` says what the
server mounts; tests/interop/matrix.rs regenerates it for every profile and compares.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def route_lines(app):
    """`METHOD /path` of every operation of the app's OpenAPI document, sorted."""
    lines = set()
    for path, ops in app.openapi().get("paths", {}).items():
        for m, op in ops.items():
            if m in ("get", "post", "put", "patch", "delete"):
                lines.add(f"{m.upper()} {path}")
                # A switched-off feature (`_get_disabled_feature_router`) answers 503 under
                # its prefix too, on a route hidden from the document.
                if op.get("operationId", "").startswith("disabled_"):
                    lines.add(f"{m.upper()} {path}/{{path:path}}")
    return sorted(lines)


def main():
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    os.environ.update({"OPENAI_API_KEY": "sk-test", "AGNO_TELEMETRY": "false", "AGNO_DEBUG": "false"})
    import agno_matrix

    _, app, _ = agno_matrix.build_app({"secret": "default-app-routes-secret-0123456789", "routers": "none"})
    answer.write("".join(f"{line}\n" for line in route_lines(app)))
    answer.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
