#!/usr/bin/env python3
"""The version matrix: one real agno release (the venv's), every route it mounts, tokens
made by PyJWT over every scope form, each request sent through Starlette's TestClient.

    .venvs/agno-<V>/bin/python tests/interop/agno_matrix.py < requests.jsonl

One process answers many documents, one JSON document a line on stdin, one answer a line on
stdout, in order, until stdin closes: agno and the routers are imported once per release
(about 6 of the 8-9 s a one-document process took), each document still builds its own app.
A document: {"secret": HS256 secret, "now": unix time, "openapi": path to write the app's
OpenAPI document to, "cells_per_route": how many scope forms per route besides the fixed
ones; optional "middleware": {"authorization": bool, "scope_mappings": dict} (the auth
middleware added by hand instead of AgentOS(authorization=True)), "extra_scopes": more
scope lists, "requests": [[method, path, mounted?]] to send with every form
("forms_per_request": N, "seed": S: with the fixed forms, the extra_scopes ones and N
forms drawn from S instead, each form still sent at least once), "routers":
"all" (default: every optional router and interface the release has, and its MCP
server) or "none" (the default app), "probes": [[method, path, mounted?, [form names]]] sent besides the
app's routes (not mounted: a route the app may lack);
"claim_forms": [{"name", "claims", "secret"?}] tokens with these claims (null drops one;
"secret" signs with another key), "scope_forms": false to send only those (and no token);
"auth": {"verify_audience", "audience", "issuer"} set the way this release takes them
(Authorization(...) 3.1.0 on, else AuthorizationConfig.audience 2.6.22 on, else the
middleware's audience= 2.4.0 on, else only the AgentOS id is the audience; an issuer
only on Authorization); "env_key_only": true for AgentOS(authorization=False) with
JWT_VERIFICATION_KEY set; "agui_prefix": AG-UI mounted under that prefix; "mount_prefix":
the AgentOS app mounted under that path of a bare FastAPI app, `parent.mount(P, app)`,
every request sent under it, but "outside": [[method, path]] sent as they are;
"mcp_calls": [[tool, arguments, [form names]]] the MCP server's tools called over
JSON-RPC (POST /mcp, one session per form), the cell's detail the error text of an
`isError` result; "mcp_run_route": true sends each call to the tool-run route too;
"public": {"db_url", "agents": [ids], "teams": [ids]} the app on a PostgresDb at db_url (a
SQLAlchemy URL, postgresql+psycopg) with AgentOS(public=PublicSurface(agents=..., teams=...,
limits=generous)), 3.0.9 on}. A claim form with "double_authorization": true sends its
token in two Authorization headers.
stdout: {"agno_version", "forms": [...], "routes": [[method, template]...], "auth_applied":
{"audience", "issuer", "via"}, "cells": [{method, path, template, form, token, status,
detail, code: the body's error.code (a public surface's own refusals), ids: the ids of a
list body, location: a redirect's Location, followed: {status, detail} of the request sent
again following it}], "default_app": the default app's routes as
tests/interop/default_app_routes.py prints them (routers "none"), "path_routes": the app's
routes with a `{name:path}` parameter (default_app_routes.path_routes), "scope_mappings": the app's merged map [[key, scopes]...]
where it keeps one, "cpu": {"app", "cells"} the seconds of CPU spent building the app and
sending the cells}. agno's logs go to stderr.

Every route template and every scope form appears; the pairing beyond the fixed forms
(none, admin, the route's own scopes) is a deterministic rotation, so the matrix stays
small enough for CI.
"""

import json
import os
import random
import re
import sys
import tempfile
import time
import traceback
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import default_app_routes  # noqa: E402

DEAD_MODEL_URL = "http://127.0.0.1:9/v1"
EXISTING = {"agent_id": "my-agent", "team_id": "my-team", "workflow_id": "my-workflow"}
SKIP_PREFIXES = ("/docs", "/redoc", "/openapi.json")


def build_app(doc):
    from agno.agent import Agent
    from agno.db.sqlite import SqliteDb
    from agno.models.openai import OpenAIChat
    from agno.os import AgentOS
    from agno.os.config import AuthorizationConfig
    from agno.team import Team
    from agno.workflow import Workflow

    def model():
        return OpenAIChat(id="gpt-4o", api_key="sk-test", base_url=DEAD_MODEL_URL, max_retries=0, timeout=5)

    workdir = tempfile.mkdtemp(prefix="agno-matrix-")
    public = doc.get("public")
    if public is not None:
        # PublicSurface requires a synchronous PostgreSQL AgentOS db (a private cluster the
        # Rust test started; psycopg from requirements-postgres.txt).
        from agno.db.postgres import PostgresDb

        db = PostgresDb(db_url=public["db_url"])
    else:
        db = SqliteDb(db_file=os.path.join(workdir, "agno.db"))
    my_agent = Agent(id="my-agent", name="My Agent", model=model(), db=db, telemetry=False)
    other = Agent(id="other-agent", name="Other Agent", model=model(), db=db, telemetry=False)
    member = Agent(id="team-member", name="Team Member", model=model(), telemetry=False)
    team = Team(id="my-team", name="My Team", members=[member], model=model(), db=db, telemetry=False)
    wf_agent = Agent(id="workflow-agent", name="Workflow Agent", model=model(), telemetry=False)
    workflow = Workflow(id="my-workflow", name="My Workflow", steps=[wf_agent], db=db, telemetry=False)

    kwargs = {
        "id": "matrix-os",
        "agents": [my_agent, other],
        "teams": [team],
        "workflows": [workflow],
        "db": db,
        "telemetry": False,
    }
    if doc.get("routers", "all") == "all":
        kwargs.update(optional_routers(db, my_agent, model, doc.get("agui_prefix")))
    if public is not None:
        from agno.os.public import PublicSurface, RateLimit

        components = {"agents": {a.id: a for a in (my_agent, other)}, "teams": {team.id: team}}
        # Generous limits: the matrix sends many runs from one client ("unknown": TestClient's
        # host is no IP); a spent limit (429) is not what it checks.
        many = RateLimit(100000, 100000, 1000000, 1000000)
        kwargs["public"] = PublicSurface(
            agents=[components["agents"][i] for i in public.get("agents", [])],
            teams=[components["teams"][i] for i in public.get("teams", [])],
            limits={"run": many, "cancel": many, "mcp": many},
        )
    import inspect

    auth = doc.get("auth") or {}
    cfg = {"verification_keys": [doc["secret"]], "algorithm": "HS256", "verify_audience": bool(auth.get("verify_audience"))}
    middleware = doc.get("middleware")
    applied = {"audience": None, "issuer": None, "via": None}
    config_fields = getattr(AuthorizationConfig, "model_fields", None) or inspect.signature(AuthorizationConfig).parameters
    try:
        from agno.os.authz import Authorization

        authz_params = inspect.signature(Authorization.__init__).parameters
    except ImportError:
        Authorization, authz_params = None, {}
    if middleware is None and (auth.get("audience") or auth.get("issuer")):
        if "issuer" in authz_params:
            applied["via"] = "Authorization"
        elif "audience" in config_fields:
            applied["via"] = "AuthorizationConfig"
        elif auth.get("audience"):
            from agno.os.middleware import JWTMiddleware

            if "audience" in inspect.signature(JWTMiddleware.__init__).parameters:
                applied["via"] = "middleware"
                middleware = {"authorization": True}
    if cfg["verify_audience"]:
        applied["audience"] = auth.get("audience") if applied["via"] else kwargs["id"]
    if applied["via"] == "Authorization":
        applied["issuer"] = auth.get("issuer")
    if doc.get("env_key_only"):
        # The key comes from the environment (and the algorithm from authorization_config,
        # as an env-only server has no way to say HS256); authorization stays False.
        kwargs["authorization_config"] = AuthorizationConfig(**cfg)
        os.environ["JWT_VERIFICATION_KEY"] = doc["secret"]
    elif middleware is None:
        if applied["via"] == "Authorization":
            extra = {"audience": auth.get("audience"), "issuer": auth.get("issuer")}
            kwargs["authorization"] = Authorization(**{k: v for k, v in dict(cfg, **extra).items() if k in authz_params and v is not None})
        else:
            kwargs["authorization"] = True
            if applied["via"] == "AuthorizationConfig" and auth.get("audience"):
                cfg["audience"] = auth["audience"]
            kwargs["authorization_config"] = AuthorizationConfig(**cfg)
        os.environ["JWT_VERIFICATION_KEY"] = doc["secret"]
    # Older releases take fewer arguments (no `db`, no `scope_mappings`): pass what this one has.
    accepted = inspect.signature(AgentOS.__init__).parameters
    if doc.get("routers", "all") == "all":
        # The MCP server, under this release's name for the switch (`mcp` 3.0.9 on,
        # `mcp_server` 2.7.2 on, `enable_mcp_server` before). fastmcp comes with
        # requirements-mcp3.txt / requirements-mcp4.txt: without it agno.os.mcp fails here.
        import agno.os.mcp  # noqa: F401

        switch = next(n for n in ("mcp", "mcp_server", "enable_mcp_server") if n in accepted)
        kwargs[switch] = True
    agent_os = AgentOS(**{k: v for k, v in kwargs.items() if k in accepted})
    print(f"AgentOS({', '.join(k for k in kwargs if k in accepted)})", file=sys.stderr)
    app = agent_os.get_app()
    if middleware is not None:
        # The documented way to give custom scope_mappings / authorization=False with a
        # key: the auth middleware added to the app by hand.
        from agno.os.middleware import JWTMiddleware

        mw = dict(cfg, authorization=middleware.get("authorization", True))
        if applied["via"] == "middleware":
            mw["audience"] = auth["audience"]
        if middleware.get("scope_mappings") is not None:
            mw["scope_mappings"] = middleware["scope_mappings"]
        taken = inspect.signature(JWTMiddleware.__init__).parameters
        app.add_middleware(JWTMiddleware, **{k: v for k, v in mw.items() if k in taken})
    return agent_os, app, applied


def optional_routers(db, agent, model, agui_prefix=None):
    """Every optional router and interface the release has, with nothing that calls a
    model or the network: the AgentOS keyword arguments (build_app drops the ones this
    release's constructor does not take; a module this release lacks is skipped)."""
    import importlib
    import importlib.util

    def have(module):
        try:
            return importlib.import_module(module)
        except ImportError:
            return None

    extra = {"a2a_interface": True}
    if have("agno.os.interfaces.agui"):
        from agno.os.interfaces.agui import AGUI

        extra["interfaces"] = [AGUI(agent=agent, **({"prefix": agui_prefix} if agui_prefix else {}))]
    # The webhook interfaces (Slack, Telegram, WhatsApp), each where the release has it.
    # Their packages (slack-sdk, pyTelegramBotAPI) come with requirements-versions.txt: a
    # module that is there but cannot be imported fails the run (ImportError below), so a
    # venv without them is no silent skip. Dummy secrets (main sets the env vars); nothing
    # here calls Slack, Telegram or Meta.
    webhooks = (
        ("agno.os.interfaces.slack", "Slack"),
        ("agno.os.interfaces.telegram", "Telegram"),
        ("agno.os.interfaces.whatsapp", "Whatsapp"),
    )
    for module, cls in webhooks:
        if importlib.util.find_spec(module) is None:
            continue
        iface = getattr(importlib.import_module(module), cls)
        extra.setdefault("interfaces", []).append(iface(agent=agent))
    from agno.knowledge.knowledge import Knowledge

    # No vector db: the knowledge routes are mounted and gated all the same (a search or an
    # upload then fails in the handler, past the auth middleware).
    extra["knowledge"] = [Knowledge(name="Matrix Knowledge", contents_db=db)]
    if have("agno.registry"):
        from agno.registry import Registry

        extra["registry"] = Registry(name="Matrix Registry", dbs=[db])
    extra["scheduler"] = True
    extra["scheduler_base_url"] = "http://127.0.0.1:9"
    if have("agno.job_queue"):
        from agno.job_queue import QueueConfig
        from agno.job_queue.store import InMemoryQueueStore

        # durable=True mounts /queue; SQLite is no queue store, the in-memory one is.
        extra["queue"] = QueueConfig(durable=True, db=InMemoryQueueStore())
    extra["user_directory"] = True
    if have("agno.company.config"):
        from agno.company.config import CompanyConfig

        extra["company"] = CompanyConfig(model=model())
    return extra


def scope_forms(mappings):
    """Every scope form: none, empty, admin, each global scope of the map, per-resource
    (existing and other id), wildcard, legacy system:*, a string claim, unknown."""
    globals_ = sorted({s for scopes in mappings.values() for s in scopes})
    forms = [
        {"name": "no scopes claim"},
        {"name": "[]", "scopes": []},
        {"name": "admin", "scopes": ["agent_os:admin"]},
    ]
    for s in globals_:
        forms.append({"name": s, "scopes": [s]})
    for fam, rid in (("agents", "my-agent"), ("teams", "my-team"), ("workflows", "my-workflow")):
        for action in ("read", "run", "write", "delete"):
            forms.append({"name": f"{fam}:{rid}:{action}", "scopes": [f"{fam}:{rid}:{action}"]})
            forms.append({"name": f"{fam}:*:{action}", "scopes": [f"{fam}:*:{action}"]})
        forms.append({"name": f"{fam}:other:read", "scopes": [f"{fam}:other-id:read", f"{fam}:other-id:run"]})
    forms += [
        {"name": "system:read", "scopes": ["system:read"]},
        {"name": "system:write", "scopes": ["system:write"]},
        {"name": "string claim", "scopes": "agents:read"},
        {"name": "unknown", "scopes": ["custom:thing", "agents"]},
        {"name": "several", "scopes": ["agents:read", "sessions:read", "teams:my-team:run"]},
    ]
    return forms


def jsonrpc_message(resp):
    """The JSON-RPC message of an MCP answer: a JSON body, or the last SSE `data:` line."""
    message = None
    for line in resp.text.splitlines():
        if line.startswith("data: "):
            message = json.loads(line[6:])
    if message is None:
        try:
            message = resp.json()
        except Exception:
            return None
    return message if isinstance(message, dict) else None


def tool_error(result):
    """The text of a tool result that is an error (`isError`), else None."""
    if not result.get("isError"):
        return None
    return " ".join(c.get("text", "") for c in result.get("content") or [] if isinstance(c, dict))


def mcp_session(client, form):
    """Opens an MCP session with the form's token: (headers, None), or (None, the cell's
    status and detail) when the transport refuses it (401 without a valid token)."""
    headers = {"Accept": "application/json, text/event-stream"}
    if not form.get("no_token"):
        headers["Authorization"] = f"Bearer {form['token']}"
    init = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "agno-matrix", "version": "1"}}}
    resp = client.post("/mcp", headers=headers, json=init)
    if resp.status_code != 200:
        try:
            detail = resp.json().get("detail")
        except Exception:
            detail = None
        return None, {"status": resp.status_code, "detail": detail}
    if resp.headers.get("mcp-session-id"):
        headers["mcp-session-id"] = resp.headers["mcp-session-id"]
    client.post("/mcp", headers=headers, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    return headers, None


def fill(template, ids):
    return re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m: ids.get(m.group(1), "x1"), template)


def matrix_env():
    """The environment every harness app is built in: no telemetry, the webhook
    interfaces' dummy credentials, plain fastmcp logs."""
    os.environ.update({"OPENAI_API_KEY": "sk-test", "AGNO_TELEMETRY": "false", "AGNO_DEBUG": "false"})
    # The webhook interfaces' dummy credentials. APP_ENV=production: in "development" (the
    # default of 2.3.x-2.4.x's WhatsApp) an interface skips its signature check.
    os.environ.update(
        {
            "APP_ENV": "production",
            "SLACK_TOKEN": "xoxb-matrix",
            "SLACK_SIGNING_SECRET": "matrix-slack-signing-secret",
            "TELEGRAM_TOKEN": "123456:matrix-telegram-token",
            "TELEGRAM_WEBHOOK_SECRET_TOKEN": "matrix-telegram-secret",
            "WHATSAPP_ACCESS_TOKEN": "matrix-whatsapp-token",
            "WHATSAPP_PHONE_NUMBER_ID": "0000000000",
            "WHATSAPP_VERIFY_TOKEN": "matrix-verify-token",
            "WHATSAPP_APP_SECRET": "matrix-whatsapp-app-secret",
        }
    )
    for name in ("WHATSAPP_SKIP_SIGNATURE_VALIDATION", "WHATSAPP_ENCRYPTION_KEY"):
        os.environ.pop(name, None)
    # fastmcp logs each refused tool call with a rich traceback: about 0.2 s of CPU each, a
    # third of a 3.x release's run. Plain logs; the tool's result (the cell) is the same.
    os.environ.update({"FASTMCP_ENABLE_RICH_TRACEBACKS": "false", "FASTMCP_ENABLE_RICH_LOGGING": "false"})


def main():
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    matrix_env()
    for line in sys.stdin:
        if line.strip():
            answer.write(json.dumps(run(json.loads(line))))
            answer.write("\n")
            answer.flush()
    sys.stderr.flush()
    os._exit(0)


def run(doc):
    """One document's app, its requests and the answer (see the module doc)."""
    # A document's key is its own: none left in the environment by the one before.
    for name in list(os.environ):
        if name.startswith("JWT_") or name == "OS_SECURITY_KEY":
            del os.environ[name]
    os.chdir(tempfile.mkdtemp(prefix="agno-matrix-cwd-"))
    started = time.process_time()

    import jwt
    from starlette.testclient import TestClient

    agent_os, app, applied = build_app(doc)
    openapi = app.openapi()
    with open(doc["openapi"], "w") as f:
        json.dump(openapi, f)
    from agno.os.scopes import get_default_scope_mappings

    # The map the app really uses (with company=..., its scopes too); older releases keep
    # it in the middleware only.
    mappings = getattr(app.state, "scope_mappings", None) or get_default_scope_mappings()
    forms = scope_forms(mappings) if doc.get("scope_forms", True) else []
    forms += [{"name": f"custom {s}", "scopes": s} for s in doc.get("extra_scopes", [])]
    forms += [dict(f) for f in doc.get("claim_forms", [])]
    forms.append({"name": "no token", "no_token": True})
    for form in forms:
        claims = {"sub": "matrix-user", "iat": doc["now"], "exp": doc["now"] + 3600}
        if "scopes" in form:
            claims["scopes"] = form["scopes"]
        for k, v in (form.get("claims") or {}).items():
            if v is None:
                claims.pop(k, None)
            else:
                claims[k] = v
        form["token"] = jwt.encode(claims, form.get("secret") or doc["secret"], algorithm="HS256")

    # The routes as the server's own OpenAPI document lists them (what `--routes` reads).
    # Required query parameters are filled too (else FastAPI answers 422 before a router gate).
    routes = []
    required_query = {}
    for path, ops in openapi.get("paths", {}).items():
        if path.startswith(SKIP_PREFIXES):
            continue
        for m, op in ops.items():
            if m.upper() not in ("HEAD", "OPTIONS", "PARAMETERS"):
                routes.append((m.upper(), path))
                params = op.get("parameters", []) if isinstance(op, dict) else []
                required_query[(m.upper(), path)] = [
                    p["name"] for p in params if p.get("in") == "query" and p.get("required")
                ]
    routes = sorted(set(routes))

    def with_query(method, template, path):
        names = required_query.get((method, template)) or []
        return path + ("?" + "&".join(f"{n}=x1" for n in names) if names else "")

    fixed = [0, 2, len(forms) - 1] if doc.get("scope_forms", True) else [len(forms) - 1]  # no scopes claim, admin, no token
    by_name = {f["name"]: i for i, f in enumerate(forms)}
    per_route = int(doc.get("cells_per_route", 3))
    rot = 0
    plan = []
    for method, template in routes:
        own = []
        for key, scopes in mappings.items():
            km, kp = key.split(" ", 1)
            if km == method and re.fullmatch(re.escape(kp).replace(r"\*", ".*"), fill(template, EXISTING)):
                own = [by_name[s] for s in scopes if s in by_name]
                break
        picks = list(dict.fromkeys(fixed + own + [(rot + k) % len(forms) for k in range(per_route)]))
        rot = (rot + per_route) % len(forms)
        plan.append((method, template, with_query(method, template, fill(template, EXISTING)), picks))
        if "{" in template:
            unknown = fill(template, {}).replace("x1", "nope")
            plan.append((method, template, with_query(method, template, unknown), [0, (rot + 1) % len(forms)]))
    # Routes the app does not have: 404 once authentication passes (template None).
    for method, path in (("GET", "/agnets"), ("POST", "/agents-typo/x/runs"), ("DELETE", "/nothing/here")):
        plan.append((method, None, path, [0, 2, (rot + 2) % len(forms)]))
    # Routes of the release the app may not mount (optional routers, interfaces): sent
    # as unknown routes, 404 unless the app has them (a switched-off feature answers 503).
    # A probe may be a mounted route with a query ([method, path, true, [form names]]).
    for method, path, *more in doc.get("probes", []):
        mounted = bool(more and more[0])
        picks = [0, 2, (rot + 3) % len(forms)] + [by_name[n] for n in (more[1] if len(more) > 1 else [])]
        plan.append((method, path.split("?")[0] if mounted else None, path, list(dict.fromkeys(picks))))
    # Given requests (custom mappings, no-authorization): every form on each, or with
    # "forms_per_request": N the fixed forms, the document's own ("extra_scopes") and N
    # drawn ones ("seed"; every form still goes out at least once, below).
    if doc.get("requests") is not None:
        per_request = doc.get("forms_per_request")
        draw = random.Random(int(doc.get("seed", 0)))
        own_forms = [i for i, f in enumerate(forms) if f["name"].startswith("custom ")]

        def picks_for():
            if per_request is None:
                return list(range(len(forms)))
            drawn = draw.sample(range(len(forms)), min(int(per_request), len(forms)))
            return list(dict.fromkeys(fixed + own_forms + drawn))

        plan = [(r[0], r[1] if r[2] else None, r[1], picks_for(), *r[3:]) for r in doc["requests"]]
    # Every form at least once (unless only MCP tools are called: "requests": []).
    used = {i for entry in plan for i in entry[3]}
    for i in range(len(forms)):
        if i not in used and plan:
            plan[i % len(plan)][3].append(i)

    served = app
    prefix = doc.get("mount_prefix") or ""
    if prefix:
        # An AgentOS mounted into a larger app; agno 3.0.9 on matches the route path
        # (the part under the mount), earlier releases the whole URL path.
        from fastapi import FastAPI

        served = FastAPI()
        served.mount(prefix, app)
        plan = [(m, t, prefix + p, *rest) for m, t, p, *rest in plan]
        plan += [(m, None, p, [0, 2, len(forms) - 1]) for m, p in doc.get("outside", [])]
    cells = []
    # MCP tool calls ("mcp_calls": [[tool, arguments, [form names]]]): each form opens
    # one MCP session (initialize, notifications/initialized) and calls the tools.
    mcp_plan = []
    for k, (tool, arguments, *more) in enumerate(doc.get("mcp_calls") or []):
        picks = [0, 2, len(forms) - 1] + [by_name[n] for n in (more[0] if more else []) if n in by_name]
        picks += [(rot + 5 * k + j) % len(forms) for j in range(per_route)]
        mcp_plan.append((tool, arguments, list(dict.fromkeys(picks))))
    built = time.process_time()
    with TestClient(served, raise_server_exceptions=False) as client:
        sessions = {}
        for tool, arguments, picks in mcp_plan:
            for i in picks:
                form = forms[i]
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}
                cell = {"method": "POST", "path": "/mcp", "template": "/mcp", "body": body, "form": form["name"],
                        "token": "" if form.get("no_token") else form["token"], "mcp_tool": True}
                if i not in sessions:
                    sessions[i] = mcp_session(client, form)
                headers, refused = sessions[i]
                if refused is not None:
                    cells.append(dict(cell, **refused))
                    continue
                resp = client.post("/mcp", headers=headers, json=body)
                result = (jsonrpc_message(resp) or {}).get("result") or {}
                cells.append(dict(cell, status=resp.status_code, detail=tool_error(result)))
                if doc.get("mcp_run_route"):
                    # The same call on the tool-run route (3.1.9 on), plain HTTP.
                    path = f"/mcp/server/tools/{tool}/run"
                    run_headers = {k: v for k, v in headers.items() if k == "Authorization"}
                    resp = client.post(path, headers=run_headers, json={"arguments": arguments})
                    try:
                        result = resp.json()
                    except Exception:
                        result = {}
                    cells.append(dict(cell, path=path, template="/mcp/server/tools/{tool_name}/run",
                                      body={"arguments": arguments}, status=resp.status_code,
                                      detail=tool_error(result) if isinstance(result, dict) else None))
        for method, template, path, picks, *req_body in plan:
            for i in picks:
                form = forms[i]
                try:
                    headers = {} if form.get("no_token") else {"Authorization": f"Bearer {form['token']}"}
                    if form.get("double_authorization"):
                        headers = [("Authorization", f"Bearer {form['token']}")] * 2
                    # The first answer, not a redirect's (FastAPI redirects "/agents/" only
                    # once the auth middleware has let the request through).
                    if req_body:
                        resp = client.request(method, path, headers=headers, json=req_body[0], follow_redirects=False)
                    else:
                        resp = client.request(method, path, headers=headers, follow_redirects=False)
                    status = resp.status_code
                    try:
                        body = resp.json()
                    except Exception:
                        body = None
                    detail = body.get("detail") if isinstance(body, dict) else None
                    if detail is not None and not isinstance(detail, str):
                        detail = json.dumps(detail)
                    ids = [i.get("id") for i in body if isinstance(i, dict)] if isinstance(body, list) else None
                    error = body.get("error") if isinstance(body, dict) else None
                    code = error.get("code") if isinstance(error, dict) else None
                    location = resp.headers.get("location")
                    followed = None
                    if status in (307, 308):
                        # What a client that follows the redirect gets (same method, token, body).
                        again = client.request(method, path, headers=headers, follow_redirects=True,
                                               **({"json": req_body[0]} if req_body else {}))
                        try:
                            again_detail = again.json().get("detail")
                        except Exception:
                            again_detail = None
                        if again_detail is not None and not isinstance(again_detail, str):
                            again_detail = json.dumps(again_detail)
                        followed = {"status": again.status_code, "detail": again_detail}
                except Exception as e:  # a handler blowing up is still an answer past auth
                    traceback.print_exc(file=sys.stderr)
                    status, detail, code, ids, location, followed = 500, f"{type(e).__name__}", None, None, None, None
                cells.append(
                    {
                        "method": method,
                        "path": path,
                        "template": template,
                        "body": req_body[0] if req_body else None,
                        "form": form["name"],
                        "token": "" if form.get("no_token") else form["token"],
                        "status": status,
                        "detail": detail,
                        "code": code,
                        "ids": ids,
                        "location": location,
                        "followed": followed,
                        "double_authorization": bool(form.get("double_authorization")),
                    }
                )
    # Where the time goes (the Rust side prints it with the run).
    cpu = {"app": round(built - started, 2), "cells": round(time.process_time() - built, 2)}
    return {
        "cpu": cpu,
        "agno_version": version("agno"),
        "default_app": default_app_routes.route_lines(app) if doc.get("routers") == "none" else None,
        "path_routes": default_app_routes.path_routes(app),
        # The merged map the app itself holds (3.1.10 keeps it on app.state), in its order.
        "scope_mappings": [[k, v] for k, v in (getattr(app.state, "scope_mappings", None) or {}).items()] or None,
        "forms": [f["name"] for f in forms],
        "routes": routes,
        "auth_applied": applied,
        "cells": cells,
    }


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc(file=sys.stderr)
        os._exit(2)
