"""The "roles" mode of agentos_harness.py: a real agno AgentOS whose authorization is an
``agno.os.authz.Authorization`` with managed roles on a real SQLite database, built from a
roles file (README, "Roles file"), answering real requests through Starlette's TestClient.

    {"mode": "roles", "secret": "<HS256 secret>", "roles": {<roles file>},
     "verification_key": PEM and "algorithm": "RS256"|"ES256" (optional: instead of the
     secret, for tokens of another signer such as `serve`), "os_id" (default "roles-os"),
     "requests": [{"method": "GET", "path": "/agents", "claims": {...}, "json": body?}, ...],
     "openapi": path to write the app's OpenAPI document to (optional)}
    -> {"startup_error": null, "responses": [{"status", "detail", "ids", "token"}, ...]}

Each request's token is made here by PyJWT (HS256, the secret) from its "claims" (or
given as "token"), and returned with the answer.

The roles file is applied the way the server's code would declare it: ``define_role`` per
role (allow entries as strings, deny entries as ``(scope, "deny")``, ``default=``),
``assign`` per assignment, ``UserDirectory.upsert`` per listed user, and the switches
(``roles_claim``, ``trust_token_scopes``, ``admin_scope``, ``excluded_route_paths``) as
``Authorization(...)`` arguments. ``user_directory`` true means
``AgentOS(user_directory=True)`` (JIT provisioning); listed users without it mean a
directory that does not provision.
"""

import os
import tempfile
from typing import Any, Dict, List


def _build(doc: Dict[str, Any]):
    from agno.agent import Agent
    from agno.db.sqlite import SqliteDb
    from agno.models.openai import OpenAIChat
    from agno.os import AgentOS
    from agno.os.authz import Authorization, UserDirectory
    from agno.team import Team
    from agno.workflow import Workflow

    from agentos_harness import DEAD_MODEL_URL

    def model():
        return OpenAIChat(id="gpt-4o", api_key="sk-test", base_url=DEAD_MODEL_URL, max_retries=0, timeout=5)

    roles_file: Dict[str, Any] = doc["roles"]
    db_file = os.path.join(tempfile.mkdtemp(prefix="roles-db-"), "agno.db")
    db = SqliteDb(db_file=db_file)

    authz = Authorization(
        db=db,
        verification_keys=[doc.get("verification_key") or doc["secret"]],
        algorithm=doc.get("algorithm", "HS256"),
        roles_claim=roles_file.get("roles_claim"),
        trust_token_scopes=bool(roles_file.get("trust_token_scopes", False)),
        admin_scope=roles_file.get("admin_scope"),
        excluded_route_paths=roles_file.get("excluded_route_paths") or None,
    )
    for name, role in (roles_file.get("roles") or {}).items():
        scopes: List[Any] = list(role.get("scopes") or [])
        scopes += [(s, "deny") for s in role.get("deny") or []]
        authz.define_role(name, scopes, default=bool(role.get("default", False)))
    for subject, roles in (roles_file.get("assignments") or {}).items():
        for role in [roles] if isinstance(roles, str) else roles:
            authz.assign(subject, role)

    users = roles_file.get("users") or []
    directory: Any = None
    if roles_file.get("user_directory"):
        directory = UserDirectory(db=db, auto_provision=True)
    elif users:
        directory = UserDirectory(db=db, auto_provision=False)
    if directory is not None:
        for user in users:
            directory.upsert(user)

    agents = [
        Agent(id="my-agent", name="My Agent", model=model(), telemetry=False),
        Agent(id="other-agent", name="Other Agent", model=model(), telemetry=False),
    ]
    team = Team(
        id="my-team",
        name="My Team",
        members=[Agent(id="team-member", model=model(), telemetry=False)],
        model=model(),
        telemetry=False,
    )
    workflow = Workflow(
        id="my-workflow", name="My Workflow", steps=[Agent(id="wf-agent", model=model(), telemetry=False)], telemetry=False
    )
    kwargs: Dict[str, Any] = dict(
        id=doc.get("os_id", "roles-os"), db=db, agents=agents, teams=[team], workflows=[workflow], authorization=authz, telemetry=False
    )
    if directory is not None:
        kwargs["user_directory"] = directory
    # A route of the server's own (a base_app route), for custom scope_mappings to name.
    from fastapi import FastAPI

    base = FastAPI()

    @base.get("/custom/report")
    def custom_report():
        return {"ok": True}

    kwargs["base_app"] = base
    app = AgentOS(**kwargs).get_app()
    mappings = roles_file.get("scope_mappings")
    if mappings is not None:
        # agno 3.1 takes no scope_mappings= with an Authorization (AgentOS installs its own
        # middleware on app.state.scope_mappings); the documented way to give custom ones is
        # agno's JWTMiddleware added by hand, which resolves the same role provider from
        # app.state and runs before AgentOS's own layer.
        from agno.os.middleware import JWTMiddleware

        mw: Dict[str, Any] = dict(
            verification_keys=[doc["secret"]], algorithm="HS256", authorization=True, scope_mappings=mappings
        )
        if roles_file.get("admin_scope"):
            mw["admin_scope"] = roles_file["admin_scope"]
        if roles_file.get("excluded_route_paths"):
            mw["excluded_route_paths"] = roles_file["excluded_route_paths"]
        app.add_middleware(JWTMiddleware, **mw)
    return app


def mode_roles(doc: Dict[str, Any]) -> Dict[str, Any]:
    import traceback
    import sys

    from starlette.testclient import TestClient

    from agentos_harness import _env, _exc, _send

    import jwt

    with _env({}):
        try:
            app = _build(doc)
        except Exception as e:  # refusing to start is a result
            traceback.print_exc(file=sys.stderr)
            return {"startup_error": _exc(e), "responses": []}
        if doc.get("openapi"):  # the app's own OpenAPI document (what `--routes` reads)
            import json

            with open(doc["openapi"], "w") as f:
                json.dump(app.openapi(), f)
        responses = []
        with TestClient(app, raise_server_exceptions=False) as client:
            for req in doc.get("requests") or []:
                req = dict(req)
                if "claims" in req:  # the token, made by PyJWT
                    req["token"] = jwt.encode(req.pop("claims"), doc["secret"], algorithm="HS256")
                answer = _send(client, req)
                answer["token"] = req.get("token")
                responses.append(answer)
    from importlib.metadata import version

    return {"startup_error": None, "agno_version": version("agno"), "responses": responses}
