#!/usr/bin/env python3
"""Which agno releases change what AgentOS answers to a token: for each release, a
fingerprint of its JWT/RBAC behaviour read off its own source, and the releases where
the fingerprint changes from the one before. Used to decide which releases need a
`[[release]]` row in data/agno/releases.toml (one per change that matters).

    python3 tests/interop/release_fingerprint.py [--bisect] [--dl DIR] V1 V2 ...
    python3 tests/interop/release_fingerprint.py --sample 2.3.13 3.1.10 --bisect

Each release's wheel is fetched with `pip download --no-deps agno==V -d DIR` (default
/tmp/agno-dl) and its agno/os/ unpacked to /tmp/agno-V/ (kept: a second run is offline).
`--sample A B` takes every minor's first and last patch between A and B from
`pip index versions agno` (one registry query); `--bisect` then fetches the releases
between two neighbours that differ, halving until the first differing release is found.

The fingerprint (stdout: JSON lines, then a table on stderr):
- map: get_default_scope_mappings() of agno/os/scopes.py (entry count + digest);
  company_map: the entries get_default_scope_mappings(company=True) adds (3.1.4 on);
- excluded: AuthMiddleware._get_default_excluded_routes();
- interface_excluded: the list app.py passes instead when an interface prefix is excluded
  (None when app.py excludes none), and which interfaces are excluded (every prefixed one,
  or only those that authenticate their own requests);
- interface_scopes: a digest of each interface's scope-mapping function;
- interface_mappings: app.py merges interface get_scope_mappings() (2.7.0 on);
- reserved: reserved subject prefixes / names; legacy_aliases;
- trailing_slash: TrailingSlashMiddleware installed; audience: PyJWT's check or agno's,
  and the 401 detail; issuer: a pinnable issuer; env_key_auth: a JWT env key alone
  installs the auth layer; detail_403: the 403 text; rules: a digest of the middleware's
  decision functions (AST, docstrings and logging dropped), so any change to the rules
  shows even when no named feature moved.
"""

import ast
import hashlib
import json
import pathlib
import re
import subprocess
import sys
import zipfile
import importlib.util

DL = pathlib.Path("/tmp/agno-dl")


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def fetch(v, dl):
    root = pathlib.Path(f"/tmp/agno-{v}")
    if (root / "agno" / "os" / "scopes.py").exists():
        return root
    wheel = dl / f"agno-{v}-py3-none-any.whl"
    if not wheel.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", f"agno=={v}", "-d", str(dl)],
            check=True,
        )
    with zipfile.ZipFile(wheel) as z:
        z.extractall(root, [n for n in z.namelist() if n.startswith(("agno/os/", "agno/db/schemas/"))])
    return root


def digest(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:12]


def strip(node):
    """The AST without docstrings and logging calls: what the code does, not what it says."""
    for n in ast.walk(node):
        body = getattr(n, "body", None)
        if isinstance(body, list):
            body[:] = [
                s
                for s in body
                if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                and not (
                    isinstance(s, ast.Expr)
                    and isinstance(s.value, ast.Call)
                    and isinstance(s.value.func, ast.Name)
                    and s.value.func.id.startswith("log_")
                )
            ] or [ast.Pass()]
    return ast.dump(node, annotate_fields=False, include_attributes=False)


RULE_FUNCS = {
    "dispatch",
    "_dispatch",
    "validate_token",
    "check_route_scopes",
    "_get_required_scopes",
    "get_required_scopes_for_route",
    "has_required_scopes",
    "get_accessible_resource_ids",
    "get_resource_context_from_path",
    "_is_route_excluded",
    "is_reserved_principal",
    "build_insufficient_permissions_detail",
}


def fingerprint(root):
    os_dir = root / "agno" / "os"
    spec = importlib.util.spec_from_file_location(f"scopes_{root.name}", os_dir / "scopes.py")
    scopes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scopes)
    mapping = scopes.get_default_scope_mappings()
    # AgentOS(company=...) adds its own entries (3.1.4 on); the default call leaves them out.
    try:
        company = scopes.get_default_scope_mappings(company=True)
    except TypeError:
        company = mapping
    company_map = [kv for kv in company.items() if kv[0] not in mapping]
    jwt_src = (os_dir / "middleware" / "jwt.py").read_text()
    app_src = (os_dir / "app.py").read_text()
    jwt_tree = ast.parse(jwt_src)
    scopes_tree = ast.parse((os_dir / "scopes.py").read_text())

    excluded = []
    for node in ast.walk(jwt_tree):
        if isinstance(node, ast.FunctionDef) and node.name == "_get_default_excluded_routes":
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and isinstance(ret.value, ast.List):
                    excluded = [e.value for e in ret.value.elts]

    # app.py: the literal list that replaces the defaults when an interface prefix is
    # excluded (`[...] + interface_prefixes [+ ...]`).
    interface_excluded = None

    def operands(n):
        return operands(n.left) + operands(n.right) if isinstance(n, ast.BinOp) else [n]

    for node in ast.walk(ast.parse(app_src)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            ops = operands(node)
            if isinstance(ops[0], ast.List) and any(isinstance(o, ast.Name) and o.id == "interface_prefixes" for o in ops):
                interface_excluded = [e.value for e in ops[0].elts if isinstance(e, ast.Constant)]
    which = None
    if interface_excluded is not None:
        which = "self-authenticating" if "authenticates_own_requests" in app_src else "every prefixed"

    rules = {}
    for tree in (jwt_tree, scopes_tree):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in RULE_FUNCS:
                rules[node.name] = digest(strip(node))

    # The interfaces' own scope mappings (A2A, AG-UI: get_scope_mappings / get_a2a_scope_mappings).
    interface_scopes = {}
    for f in sorted(os_dir.rglob("*.py")):
        if "interfaces" not in f.parts and f.name != "scopes.py":
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.FunctionDef) and "scope_mappings" in node.name and node.name != "get_default_scope_mappings":
                interface_scopes[f"{f.parent.name}.{node.name}"] = digest(strip(node))

    # The reserved names, wherever their constants live (jwt.py, auth.py, service accounts).
    files = sorted(os_dir.rglob("*.py")) + sorted((root / "agno" / "db" / "schemas").glob("*.py"))
    os_src = "\n".join(f.read_text() for f in files)
    consts = dict(re.findall(r'^(\w*(?:PRINCIPAL_PREFIX|SCHEDULER_USER_ID))(?:\s*:\s*str)?\s*=\s*"([^"]+)"', os_src, re.M))
    reserved = sorted(
        {consts[n] for n in consts if n in jwt_src} | set(re.findall(r'"(sa:|__oauth__:|__scheduler__)"', jwt_src))
    )
    if "is_reserved_principal" not in jwt_src:
        reserved = []
    audience_detail = re.findall(r'401,\s*"(Invalid (?:token )?audience[^"]*)"', jwt_src)
    # Router-level checks: require_resource_access(kind, action, param) dependencies and the
    # handlers that check their body (eval targets, scheduled endpoints).
    routers = "\n".join(f.read_text() for f in sorted((os_dir / "routers").rglob("*.py")))
    gates = sorted(set(re.findall(r'require_resource_access\(\s*"(\w+)",\s*"(\w+)"', routers)))
    body_gates = sorted(
        n for n in ("_require_eval_target_run_access", "_require_endpoint_permission") if f"def {n}" in routers
    )
    return {
        "map_entries": len(mapping),
        "router_gates": digest(gates) if gates else None,
        "router_gate_calls": routers.count("require_resource_access("),
        "body_gates": body_gates,
        "map": digest(list(mapping.items())),
        "company_map": digest(company_map) if company_map else None,
        "excluded": excluded,
        "interface_excluded": interface_excluded,
        "interface_excluded_which": which,
        "interface_mappings": "get_scope_mappings()" in app_src,
        "interface_scopes": interface_scopes,
        "reserved": reserved,
        "legacy_aliases": getattr(scopes, "LEGACY_RESOURCE_ALIASES", {}),
        "trailing_slash": "TrailingSlashMiddleware" in app_src,
        "audience": "pyjwt" if 'decode_kwargs["audience"]' in jwt_src else "agno",
        "audience_detail": audience_detail[:1],
        "issuer": "self.issuer" in jwt_src,
        "env_key_auth": "jwt_env_configured" in app_src and "auth_configured" in app_src,
        "detail_403": "build_insufficient_permissions_detail" in (os_dir / "scopes.py").read_text() + jwt_src,
        "rules": rules,
    }


def differs(a, b):
    out = []
    for k in a:
        if k == "rules":
            out += [f"rules.{f}" for f in sorted(set(a[k]) | set(b.get(k, {}))) if a[k].get(f) != b.get(k, {}).get(f)]
        elif a[k] != b.get(k):
            out.append(k)
    return out


def all_versions():
    out = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "agno"], capture_output=True, text=True, check=True
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("Available versions:"))
    return sorted((v.strip() for v in line.split(":", 1)[1].split(",")), key=vkey)


def main(argv):
    dl = DL
    bisect = "--bisect" in argv
    argv = [a for a in argv if a != "--bisect"]
    if "--dl" in argv:
        i = argv.index("--dl")
        dl = pathlib.Path(argv[i + 1])
        del argv[i : i + 2]
    dl.mkdir(parents=True, exist_ok=True)
    known = None
    if argv[:1] == ["--sample"]:
        lo, hi = vkey(argv[1]), vkey(argv[2])
        known = [v for v in all_versions() if lo <= vkey(v) <= hi and re.fullmatch(r"\d+\.\d+\.\d+", v)]
        minors = {}
        for v in known:
            minors.setdefault(vkey(v)[:2], []).append(v)
        versions = sorted({v for vs in minors.values() for v in (vs[0], vs[-1])} | {argv[1], argv[2]}, key=vkey)
    else:
        versions = sorted(argv, key=vkey)
    prints = {v: fingerprint(fetch(v, dl)) for v in versions}
    if bisect:
        known = known or all_versions()
        changed = True
        while changed:
            changed = False
            vs = sorted(prints, key=vkey)
            for a, b in zip(vs, vs[1:]):
                if not differs(prints[a], prints[b]):
                    continue
                between = [v for v in known if vkey(a) < vkey(v) < vkey(b)]
                if between:
                    mid = between[len(between) // 2]
                    prints[mid] = fingerprint(fetch(mid, dl))
                    changed = True
    vs = sorted(prints, key=vkey)
    for v in vs:
        print(json.dumps({"version": v, **prints[v]}))
    print(f"{'release':<8} map  changed from the release before", file=sys.stderr)
    for prev, v in zip([None] + vs, vs):
        what = differs(prints[v], prints[prev]) if prev else ["(first)"]
        print(f"{v:<8} {prints[v]['map_entries']:<4} {', '.join(what) or '-'}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
