#!/usr/bin/env python3
"""Reads the version-dependent data of src/agentos/profiles/ off one agno release's
own source tree (a wheel unzipped into DIR), and prints it as JSON:

    pip download --no-deps agno==X -d /tmp/agno-X && unzip -q /tmp/agno-X/*.whl -d /tmp/agno-X
    python3 tests/interop/profile_source.py /tmp/agno-X

- "routes": get_default_scope_mappings() of agno/os/scopes.py (imported from the file:
  it depends on the standard library only), in its order; "company_routes": what
  get_default_scope_mappings(company=True) adds (3.1.10 on);
- "excluded": AuthMiddleware._get_default_excluded_routes() of agno/os/middleware/jwt.py;
- "gates": every route whose decorator carries require_resource_access(kind, action, param)
  in agno/os/routers/**.py (method, path, action);
- "legacy_aliases", "reserved": LEGACY_RESOURCE_ALIASES and is_reserved_principal's names.
The Rust profile files are written from this output, then reviewed by hand.
"""

import ast
import importlib.util
import inspect
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]) / "agno" / "os"
spec = importlib.util.spec_from_file_location("scopes_of_release", root / "scopes.py")
scopes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scopes)
routes = [[k.split(" ", 1)[0], k.split(" ", 1)[1], v] for k, v in scopes.get_default_scope_mappings().items()]
# AgentOS(company=...) (3.1.10): the entries get_default_scope_mappings(company=True) adds.
company_routes = []
if "company" in inspect.signature(scopes.get_default_scope_mappings).parameters:
    plain = scopes.get_default_scope_mappings()
    company_routes = [
        [k.split(" ", 1)[0], k.split(" ", 1)[1], v]
        for k, v in scopes.get_default_scope_mappings(company=True).items()
        if k not in plain
    ]

jwt_src = (root / "middleware" / "jwt.py").read_text()
tree = ast.parse(jwt_src)
excluded = []
for node in ast.walk(tree):
    if isinstance(node, ast.FunctionDef) and node.name == "_get_default_excluded_routes":
        for ret in ast.walk(node):
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.List):
                excluded = [e.value for e in ret.value.elts]
reserved = sorted(set(re.findall(r'"(sa:|__oauth__:|__scheduler__)"', jwt_src + (root / "auth.py").read_text())))

gates = []
deco = re.compile(r"@(\w+)\.(get|post|patch|delete|put)\(\s*\"([^\"]+)\"(.*?)\n\s*(?:async\s+)?def ", re.S)
for f in sorted((root / "routers").rglob("*.py")):
    text = f.read_text()
    for m in deco.finditer(text):
        body = m.group(4)
        # the signature follows the decorator: dependencies may sit in either
        sig_end = text.find(":\n", m.end())
        sig = text[m.end() : sig_end]
        for g in re.finditer(r'require_resource_access\(\s*"(\w+)",\s*"(\w+)",\s*"(\w+)"\s*\)', body + sig):
            gates.append([m.group(2).upper(), m.group(3), g.group(2)])
print(
    json.dumps(
        {
            "routes": routes,
            "company_routes": company_routes,
            "excluded": excluded,
            "gates": gates,
            "legacy_aliases": getattr(scopes, "LEGACY_RESOURCE_ALIASES", {}),
            "reserved": reserved,
        }
    )
)
