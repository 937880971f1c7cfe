#!/usr/bin/env python3
"""Python side of the agentos-auth interop tests: real agno, real PyJWT, real python-dotenv.

Run with the interop venv (made by .ci/setup-venv):

    .venv/bin/python tests/interop/agentos_harness.py < request.json

stdin holds ONE JSON document, or a JSON list of documents (answered with a list, in
order, from one process: AgentOS startup is the slow part, so apps are cached per
identical config). stdout holds exactly one JSON document; every log line (agno's
included) goes to stderr. A malformed document is an error: traceback on stderr,
exit status 2. See tests/interop/README.md for the modes and what each status means.
"""

import contextlib
import json
import os
import sys
import tempfile
import time
import traceback
from typing import Any, Dict, List, Optional

BODY_LIMIT = 2048

# Variables that configure AgentOS authentication: cleared unless the config gives them.
AUTH_ENV_PREFIXES = ("JWT_",)
AUTH_ENV_NAMES = ("OS_SECURITY_KEY",)

# Always set, so nothing tries the network or writes telemetry; a config's "env" may override.
SAFE_ENV = {
    "OPENAI_API_KEY": "sk-test",
    "AGNO_TELEMETRY": "false",
    "AGNO_MONITOR": "false",
    "AGNO_DEBUG": "false",
}

# The model is never meant to be reached; if a run does call it, it goes to a closed
# loopback port and fails at once (never to the Internet).
DEAD_MODEL_URL = "http://127.0.0.1:9/v1"

_ORIGINAL_CWD = os.getcwd()
_WORKDIR = tempfile.mkdtemp(prefix="agentos-harness-")


class HarnessInputError(Exception):
    pass


def _abs(path: Optional[str]) -> Optional[str]:
    if path is None or path == "" or os.path.isabs(path):
        return path
    return os.path.join(_ORIGINAL_CWD, path)


def _exc(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"


# --------------------------------------------------------------------------- env


def _target_env(config_env: Dict[str, Optional[str]]) -> Dict[str, Optional[str]]:
    """The full set of changes to apply: None means unset."""
    changes: Dict[str, Optional[str]] = {}
    for name in list(os.environ):
        if name.startswith(AUTH_ENV_PREFIXES) or name in AUTH_ENV_NAMES:
            changes[name] = None
    changes.update(SAFE_ENV)
    for name, value in (config_env or {}).items():
        if name in ("JWT_JWKS_FILE",) and isinstance(value, str):
            value = _abs(value)
        changes[name] = None if value is None else str(value)
    return changes


@contextlib.contextmanager
def _env(config_env: Dict[str, Optional[str]]):
    changes = _target_env(config_env)
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --------------------------------------------------------------------------- agentos

_APP_CACHE: Dict[str, Dict[str, Any]] = {}


def _build_app(config: Dict[str, Any]):
    from agno.agent import Agent
    from agno.models.openai import OpenAIChat
    from agno.os import AgentOS
    from agno.team import Team
    from agno.workflow import Workflow

    def model():
        return OpenAIChat(id="gpt-4o", api_key="sk-test", base_url=DEAD_MODEL_URL, max_retries=0, timeout=5)

    my_agent = Agent(id="my-agent", name="My Agent", model=model(), telemetry=False)
    other_agent = Agent(id="other-agent", name="Other Agent", model=model(), telemetry=False)
    team_member = Agent(id="team-member", name="Team Member", model=model(), telemetry=False)
    team = Team(id="my-team", name="My Team", members=[team_member], model=model(), telemetry=False)
    wf_agent = Agent(id="workflow-agent", name="Workflow Agent", model=model(), telemetry=False)
    workflow = Workflow(id="my-workflow", name="My Workflow", steps=[wf_agent], telemetry=False)

    verification: Dict[str, Any] = {}
    keys = config.get("verification_keys")
    if keys is not None:
        verification["verification_keys"] = list(keys)
    if config.get("jwks_file") is not None:
        verification["jwks_file"] = _abs(config["jwks_file"])
    for name in ("algorithm", "verify_audience", "audience", "admin_scope", "excluded_route_paths"):
        if config.get(name) is not None:
            verification[name] = config[name]

    kwargs: Dict[str, Any] = {
        "agents": [my_agent, other_agent],
        "teams": [team],
        "workflows": [workflow],
        "telemetry": False,
    }
    if config.get("os_id") is not None:
        kwargs["id"] = config["os_id"]
    if config.get("name") is not None:
        kwargs["name"] = config["name"]

    authorization = config.get("authorization", True)
    issuer = config.get("issuer")
    if not authorization:
        pass
    elif issuer is not None or config.get("api") == "authorization":
        # The newer object: the only way to pin an issuer.
        from agno.os.authz import Authorization

        kwargs["authorization"] = Authorization(issuer=issuer, **verification)
    else:
        from agno.os.config import AuthorizationConfig

        kwargs["authorization"] = True
        kwargs["authorization_config"] = AuthorizationConfig(**verification)

    agent_os = AgentOS(**kwargs)
    app = agent_os.get_app()
    middleware = config.get("middleware")
    if middleware is not None:
        # The manual setup of agno's docs: an AgentOS without authorization, and
        # app.add_middleware(JWTMiddleware, ...) with the switches (scopes_claim,
        # user_id_claim, token_source, cookie_name) on top.
        from agno.os.middleware.jwt import JWTMiddleware

        app.add_middleware(JWTMiddleware, authorization=True, **verification, **middleware)
    return agent_os, app


def _app_entry(config: Dict[str, Any]) -> Dict[str, Any]:
    key = json.dumps(config, sort_keys=True)
    entry = _APP_CACHE.get(key)
    if entry is not None:
        return entry
    from starlette.testclient import TestClient

    entry = {"client": None, "startup_error": None, "os_id": None}
    with _env(config.get("env") or {}):
        try:
            agent_os, app = _build_app(config)
            entry["os_id"] = agent_os.id
            client = TestClient(app, raise_server_exceptions=False)
            # Run the app's lifespan (startup hooks) as a real server would.
            client.__enter__()
            entry["client"] = client
        except Exception as e:  # AgentOS refusing to start is a result, not a harness bug
            traceback.print_exc(file=sys.stderr)
            entry["startup_error"] = _exc(e)
    _APP_CACHE[key] = entry
    return entry


def _response(r) -> Dict[str, Any]:
    out: Dict[str, Any] = {"status": r.status_code, "detail": None}
    text = r.text
    try:
        body: Any = r.json()
    except Exception:
        body = None
        is_json = False
    else:
        is_json = True
    if is_json:
        if isinstance(body, dict) and "detail" in body:
            detail = body["detail"]
            out["detail"] = detail if isinstance(detail, str) else json.dumps(detail)
        if isinstance(body, list) and all(isinstance(x, dict) for x in body):
            out["ids"] = [x.get("id") for x in body]
        if len(json.dumps(body)) <= BODY_LIMIT:
            out["body"] = body
        else:
            out["body"] = text[:BODY_LIMIT]
            out["truncated"] = True
    else:
        out["body"] = text[:BODY_LIMIT]
        if len(text) > BODY_LIMIT:
            out["truncated"] = True
    return out


def _send(client, req: Dict[str, Any]) -> Dict[str, Any]:
    method = str(req.get("method", "GET")).upper()
    path = req.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise HarnessInputError(f"request needs a path starting with '/': {req!r}")
    headers: Dict[str, str] = dict(req.get("headers") or {})
    if req.get("raw_authorization") is not None:
        headers["Authorization"] = req["raw_authorization"]
    elif req.get("token") is not None:
        headers["Authorization"] = f"Bearer {req['token']}"
    kwargs: Dict[str, Any] = {"headers": headers}
    if req.get("json") is not None:
        kwargs["json"] = req["json"]
    if req.get("data") is not None:
        kwargs["data"] = req["data"]
    # The whole second the request was judged in: PyJWT reads time.time() while the
    # request runs, so a test can ask its prediction for that very second.
    sent_at = int(time.time())
    try:
        r = client.request(method, path, **kwargs)
    except Exception as e:
        traceback.print_exc(file=sys.stderr)
        return {"status": None, "detail": None, "error": _exc(e), "sent_at": sent_at}
    out = _response(r)
    out["sent_at"] = sent_at
    return out


def mode_agentos(doc: Dict[str, Any]) -> Dict[str, Any]:
    config = doc.get("config") or {}
    if not isinstance(config, dict):
        raise HarnessInputError("config must be an object")
    requests = doc.get("requests") or []
    entry = _app_entry(config)
    if entry["startup_error"] is not None:
        return {"startup_error": entry["startup_error"], "responses": []}
    responses: List[Dict[str, Any]] = []
    # Same env during requests as at construction: some settings are read lazily.
    with _env(config.get("env") or {}):
        for req in requests:
            responses.append(_send(entry["client"], req))
    return {"startup_error": None, "os_id": entry["os_id"], "responses": responses}


# --------------------------------------------------------------------------- pyjwt


def _key(key: Any):
    if isinstance(key, dict):  # a JWK
        from jwt import PyJWK

        return PyJWK.from_dict(key).key
    return key


def mode_pyjwt(doc: Dict[str, Any]) -> Dict[str, Any]:
    import jwt

    token = doc.get("token")
    audience = doc.get("audience")
    try:
        header = jwt.get_unverified_header(token)
        options = {"verify_aud": audience is not None}
        options.update(doc.get("options") or {})
        kwargs: Dict[str, Any] = {
            "algorithms": doc.get("algorithms") or ["RS256"],
            "leeway": doc.get("leeway", 10),
            "options": options,
        }
        if audience is not None:
            kwargs["audience"] = audience
        if doc.get("issuer") is not None:
            kwargs["issuer"] = doc["issuer"]
        claims = jwt.decode(token, _key(doc.get("key")), **kwargs)
    except Exception as e:
        return {"ok": False, "error": _exc(e)}
    return {"ok": True, "header": header, "claims": claims}


# --------------------------------------------------------------------------- jwks


def mode_jwks(doc: Dict[str, Any]) -> Dict[str, Any]:
    """Parse a JWKS the way agno's JWTValidator does: PyJWK.from_dict per key."""
    from jwt import PyJWK

    if doc.get("path") is not None:
        with open(_abs(doc["path"])) as f:
            data = json.load(f)
    else:
        data = doc.get("jwks")
    keys = []
    for key_data in (data or {}).get("keys", []):
        item: Dict[str, Any] = {"kid": key_data.get("kid") if isinstance(key_data, dict) else None}
        try:
            jwk = PyJWK.from_dict(key_data)
            item.update(ok=True, key_type=type(jwk.key).__name__, algorithm=jwk.algorithm_name)
        except Exception as e:
            item.update(ok=False, error=_exc(e))
        keys.append(item)
    return {"keys": keys}


# --------------------------------------------------------------------------- dotenv


def mode_dotenv(doc: Dict[str, Any]) -> Dict[str, Any]:
    from dotenv import dotenv_values

    values = dotenv_values(_abs(doc["path"]))
    name = doc.get("name")
    if name is None:
        return {"values": dict(values)}
    return {"value": values.get(name)}


def mode_roles(doc: Dict[str, Any]) -> Dict[str, Any]:
    from roles_harness import mode_roles as run  # managed roles: tests/interop/roles_harness.py

    return run(doc)


MODES = {"agentos": mode_agentos, "pyjwt": mode_pyjwt, "jwks": mode_jwks, "dotenv": mode_dotenv, "roles": mode_roles}


def handle(doc: Any) -> Dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("mode") not in MODES:
        raise HarnessInputError(f"unknown or missing mode (expected one of {sorted(MODES)}): {doc!r:.200}")
    return MODES[doc["mode"]](doc)


def main() -> int:
    # Keep the real stdout for the answer; everything else written to fd 1 (agno's
    # rich logger, prints, C libraries) lands on stderr.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Nothing a run might write (sqlite files, caches) lands in the repository.
    os.chdir(_WORKDIR)
    for name, value in SAFE_ENV.items():
        os.environ[name] = value

    try:
        data = json.loads(sys.stdin.read())
        result: Any = [handle(d) for d in data] if isinstance(data, list) else handle(data)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return 2
    finally:
        os.chdir(_ORIGINAL_CWD)
    answer.write(json.dumps(result))
    answer.write("\n")
    answer.flush()
    for entry in _APP_CACHE.values():
        if entry["client"] is not None:
            with contextlib.suppress(Exception):
                entry["client"].__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    code = main()
    import shutil

    shutil.rmtree(_WORKDIR, ignore_errors=True)
    # Skip interpreter teardown: background threads (telemetry, queues) must not keep
    # the process alive or print after the answer.
    sys.stderr.flush()
    os._exit(code)
