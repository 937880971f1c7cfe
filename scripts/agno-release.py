#!/usr/bin/env python3
"""Reads the route tables of data/agno/ off the agno release installed in this Python
(its own source and its default app), and compares them with the committed ones:

    .venvs/agno-<V>/bin/python scripts/agno-release.py            # compare, exit 1 if any differs
    .venvs/agno-<V>/bin/python scripts/agno-release.py --write    # write the ones that changed
    .venvs/agno-<V>/bin/python scripts/agno-release.py --print TABLE

A committed table of release V is data/agno/<W>/<table>.txt for the newest W not newer
than V (a release that changed nothing inherits); for a release whose row says
`read_off = R`, than R (its profile's tables). `--write` writes data/agno/<V>/<table>.txt
only for the tables that differ from the inherited one; the `[[release]]` row for V in
data/agno/releases.toml is written by hand (release_fingerprint.py says what changed).

- scope_map: get_default_scope_mappings() (agno/os/scopes.py), in its order;
  company_scope_map: the entries get_default_scope_mappings(company=True) adds (3.1.4 on);
- resources, company_resources: the resources and actions those maps name. Their order is
  the one `scopes` lists them in (chosen by hand), so they are compared as sets and
  written, in the map's order, only when the set changed;
- resource_gates: every route whose decorator or signature carries
  require_resource_access(kind, action, param), agno/os/routers/**.py in file order;
- a2a_scope_map, agui_scope_map: the interfaces' get_scope_mappings() at their default
  prefix (AG-UI over an agent), where AgentOS merges them (BaseInterface.get_scope_mappings,
  2.7.0 on);
- default_app: the routes of AgentOS(agents, teams, workflows, db), as
  tests/interop/default_app_routes.py lists them;
- path_routes: the routes of the matrix's app with every optional router whose last
  parameter is declared `{name:path}` (route.param_convertors), as declared: the OpenAPI
  document shows them as `{name}` (default_app_routes.path_routes).
"""

import argparse
import importlib
import inspect
import os
import pathlib
import re
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "agno"
sys.path.insert(0, str(REPO / "tests" / "interop"))


def vkey(v):
    return tuple(int(x) for x in v.split("."))


def route_lines(mapping):
    return [f"{key} {' '.join(scopes)}" for key, scopes in mapping.items()]


def resource_lines(mapping, known=()):
    """`name action...` of the scopes a map names, in its order (less the `known` names)."""
    actions = {}
    for scopes in mapping.values():
        for scope in scopes:
            name, action = scope.split(":")
            if name not in known and action not in actions.setdefault(name, []):
                actions[name].append(action)
    return [f"{name} {' '.join(acts)}" for name, acts in actions.items()]


def resource_gates(os_dir):
    """(method, path, action) of each require_resource_access(kind, action, param)."""
    gates = []
    deco = re.compile(r"@(\w+)\.(get|post|patch|delete|put)\(\s*\"([^\"]+)\"(.*?)\n\s*(?:async\s+)?def ", re.S)
    for f in sorted((os_dir / "routers").rglob("*.py")):
        text = f.read_text()
        for m in deco.finditer(text):
            # The signature follows the decorator: the dependency may sit in either.
            sig = text[m.end() : text.find(":\n", m.end())]
            for g in re.finditer(r'require_resource_access\(\s*"(\w+)",\s*"(\w+)",\s*"(\w+)"\s*\)', m.group(4) + sig):
                gates.append(f"{m.group(2).upper()} {m.group(3)} {g.group(2)}")
    return gates


def interface_maps():
    """The scope mappings AgentOS merges for A2A and AG-UI, where it merges any."""
    base = importlib.import_module("agno.os.interfaces.base")
    if not hasattr(base.BaseInterface, "get_scope_mappings"):
        return {}
    try:
        a2a = importlib.import_module("agno.os.interfaces.a2a.scopes")
    except ImportError:
        a2a = importlib.import_module("agno.os.scopes")
    from agno.agent import Agent
    from agno.os.interfaces.agui import AGUI

    agui = AGUI(agent=Agent(id="agent", telemetry=False))
    return {
        "a2a_scope_map": route_lines(a2a.get_a2a_scope_mappings("/a2a")),
        "agui_scope_map": route_lines(agui.get_scope_mappings()),
    }


def default_app():
    import agno_matrix
    import default_app_routes

    _, app, _ = agno_matrix.build_app({"secret": "agno-release-default-app-0123456789", "routers": "none"})
    return default_app_routes.route_lines(app)


def path_routes():
    import agno_matrix
    import default_app_routes

    _, app, _ = agno_matrix.build_app({"secret": "agno-release-path-routes-0123456789", "routers": "all"})
    return default_app_routes.path_routes(app)


def read_release():
    """Every table of the installed release: {table: [lines]}."""
    scopes = importlib.import_module("agno.os.scopes")
    plain = scopes.get_default_scope_mappings()
    tables = {
        "scope_map": route_lines(plain),
        "resources": resource_lines(plain),
        "resource_gates": resource_gates(pathlib.Path(scopes.__file__).parent),
    }
    if "company" in inspect.signature(scopes.get_default_scope_mappings).parameters:
        added = {k: v for k, v in scopes.get_default_scope_mappings(company=True).items() if k not in plain}
        tables["company_scope_map"] = route_lines(added)
        tables["company_resources"] = resource_lines(added, known={s.split(":")[0] for v in plain.values() for s in v})
    tables.update(interface_maps())
    tables["default_app"] = default_app()
    tables["path_routes"] = path_routes()
    return tables


def committed(table, version):
    """The committed lines of `table` for `version` (inherited), and the file they are in."""
    dirs = sorted((d for d in DATA.iterdir() if d.is_dir()), key=lambda d: vkey(d.name), reverse=True)
    for d in dirs:
        f = d / f"{table}.txt"
        if vkey(d.name) <= vkey(version) and f.exists():
            return f.read_text().splitlines(), f
    return None, None


def same(table, ours, theirs):
    if table.endswith("resources"):
        # The listing order is the tool's: compare names and actions only.
        return {tuple(sorted(l.split())) for l in ours} == {tuple(sorted(l.split())) for l in theirs}
    return ours == theirs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the tables that changed to data/agno/<V>/")
    ap.add_argument("--print", metavar="TABLE", help="print one table as read off the release")
    args = ap.parse_args()

    # agno logs to stdout on import and app build: keep ours for the answer.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import agno_matrix

    agno_matrix.matrix_env()
    from importlib.metadata import version

    release = version("agno")
    # The first release of a profile read off a later one: its tables are that one's.
    rows = tomllib.loads((DATA / "releases.toml").read_text())["release"]
    against = next((r["read_off"] for r in rows if r["version"] == release and "read_off" in r), release)
    if against != release and args.write:
        sys.exit(f"agno {release}: its profile is read off {against}; run this in agno {against}'s venv")
    tables = read_release()
    if args.print:
        answer.write("".join(f"{line}\n" for line in tables[args.print]))
        answer.flush()
        os._exit(0)
    differs = 0
    for table, lines in tables.items():
        theirs, path = committed(table, against)
        if theirs is not None and same(table, lines, theirs):
            answer.write(f"{table}: same as {path.relative_to(REPO)} ({len(lines)} lines)\n")
            continue
        differs += 1
        target = DATA / release / f"{table}.txt"
        if theirs is None:
            answer.write(f"{table}: new ({len(lines)} lines)\n")
        else:
            gone = [l for l in theirs if l not in lines]
            new = [l for l in lines if l not in theirs]
            answer.write(f"{table}: differs from {path.relative_to(REPO)}: +{new} -{gone}\n")
        if args.write:
            target.parent.mkdir(exist_ok=True)
            target.write_text("".join(f"{line}\n" for line in lines))
            answer.write(f"  wrote {target.relative_to(REPO)}\n")
    read_off = f" (its profile is read off {against})" if against != release else ""
    answer.write(f"agno {release}{read_off}: {len(tables) - differs} tables same, {differs} differ\n")
    answer.flush()
    os._exit(1 if differs and not args.write else 0)


if __name__ == "__main__":
    main()
