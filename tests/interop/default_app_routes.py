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



def path_routes(app):
    """`METHOD /template` of every documented route with a `{name:path}` parameter
    (Starlette's `PathConvertor`, several segments), as declared, sorted: the OpenAPI
    document shows them as `{name}`. FastAPI 0.16x keeps included routers lazy
    (`_IncludedRouter`): `iter_route_contexts` walks them."""
    from starlette.convertors import PathConvertor

    try:
        from fastapi.routing import iter_route_contexts

        routes = iter_route_contexts(app.routes)
    except ImportError:
        routes = app.routes
    lines = set()
    for route in routes:
        # Mounts (the MCP app at "/") and hidden routes (a switched-off feature's
        # catch-all, see route_lines) are not in the OpenAPI document.
        if getattr(route, "include_in_schema", False) is not True:
            continue
        convertors = getattr(route, "param_convertors", None) or {}
        if any(isinstance(c, PathConvertor) for c in convertors.values()):
            for m in route.methods or ():
                if m.lower() in ("get", "post", "put", "patch", "delete"):
                    lines.add(f"{m} {route.path}")
    return sorted(lines)
