"""The routes of one agno release's default app: `AgentOS(agents=[...], teams=[...],
workflows=[...], db=...)` with no optional router or interface, as the venv's agno
mounts them: its OpenAPI document's operations (what `--routes` reads), one
`METHOD /path` per line, sorted.

This is what `verify` takes as served when neither `--routes` nor `--url` says what the
server mounts: scripts/agno-release.py writes it to data/agno/<V>/default_app.txt, and
tests/interop/matrix.rs regenerates it for every profile and compares.
"""


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

