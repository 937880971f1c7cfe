"""Tests of examples/agentos_app.py's auth with the agentos-auth pytest plugin.

    pip install agentos-auth "agno[os]==3.1.10" cryptography openai httpx pytest
    pytest examples/

The real app under Starlette's TestClient; no LLM is called (runs are only ever
refused here). pytest.ini beside this file sets `agentos_keys = RS256`: the plugin
makes the key store and sets JWT_VERIFICATION_KEY before this module imports the app.
"""

import pytest
from starlette.testclient import TestClient

from agentos_app import app


@pytest.fixture(scope="module")
def client():
    with TestClient(app) as c:
        yield c


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_no_token_is_401(client):
    assert client.get("/agents").status_code == 401


def test_a_token_without_the_scope_is_403(client, agentos_token):
    token = agentos_token(scopes=["sessions:read"])
    assert client.get("/agents", headers=bearer(token)).status_code == 403


def test_a_token_with_the_scope_is_200(client, agentos_token):
    token = agentos_token(scopes=["agents:read"])
    r = client.get("/agents", headers=bearer(token))
    assert r.status_code == 200
    assert [a["id"] for a in r.json()] == ["my-agent"]


def test_a_per_agent_scope_opens_that_agent_only(client, agentos_token):
    token = agentos_token(scopes=["agents:my-agent:read"])
    assert client.get("/agents/my-agent", headers=bearer(token)).status_code == 200
    other = agentos_token(scopes=["agents:other-agent:read"])
    assert client.get("/agents/my-agent", headers=bearer(other)).status_code == 403


def test_reader_gets_the_agents(client, agentos_token, agentos_bad_token, agentos_expect):
    token = agentos_token(scopes=["agents:read"], sub="alice")
    assert client.get("/agents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    expired = agentos_bad_token("expired", scopes=["agents:read"])
    assert agentos_expect(expired, "GET /agents") == 401


def test_an_expired_token_is_401(client, agentos_bad_token):
    r = client.get("/agents", headers=bearer(agentos_bad_token("expired", scopes=["agents:read"])))
    assert r.status_code == 401
    assert r.json()["detail"] == "Token has expired"


# The answer AgentOS gives, from `agentos-auth verify`, for a table of tokens and
# requests: the real app must agree on every row.
TOKENS = {
    "admin": dict(scopes=["agent_os:admin"]),
    "reader": dict(scopes=["agents:read"]),
    "runner of my-agent": dict(scopes=["agents:my-agent:run"]),
    "teams only": dict(scopes=["teams:read"]),
    "no scopes": dict(scopes=[]),
}
BAD = ["expired", "not-yet-valid", "wrong-key", "wrong-alg", "alg-none", "scope-string", "reserved-subject"]
REQUESTS = ["GET /agents", "GET /agents/my-agent", "GET /teams", "GET /config", "GET /no-such-route"]


@pytest.mark.parametrize("request_line", REQUESTS)
@pytest.mark.parametrize("name", list(TOKENS) + [f"bad: {k}" for k in BAD] + ["no token"])
def test_the_app_answers_what_agentos_expect_says(
    client, agentos_token, agentos_bad_token, agentos_expect, name, request_line
):
    if name == "no token":
        token = None
    elif name.startswith("bad: "):
        token = agentos_bad_token(name[5:], scopes=["agents:read", "teams:read"])
    else:
        token = agentos_token(**TOKENS[name])
    method, path = request_line.split(" ", 1)
    headers = bearer(token) if token else {}
    got = client.request(method, path, headers=headers).status_code
    assert got == agentos_expect(token, request_line, app=app)


@pytest.mark.xfail(strict=True, reason="deliberately wrong: proves the fixtures are not vacuous")
def test_a_wrong_expectation_fails(client, agentos_token):
    # .ci/check-wheel runs this with --runxfail and requires it to FAIL.
    token = agentos_token(scopes=["sessions:read"])
    assert client.get("/agents", headers=bearer(token)).status_code == 200
