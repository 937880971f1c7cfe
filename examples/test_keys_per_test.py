"""Keys per test: the agentos_keys fixture with a marker or a parameter, for an app the
test builds itself (its JWTMiddleware reads the environment the fixture sets).

Each test gets a fresh key store; JWT_VERIFICATION_KEY / JWT_JWKS_FILE are set for the
test only (pytest.ini's session keys are put back after it).
"""

import pytest
from agno.agent import Agent
from agno.os import AgentOS
from agno.os.authz import Authorization
from starlette.testclient import TestClient


def make_app(alg, **authorization):
    agent = Agent(id="my-agent", name="My agent", telemetry=False)
    agent_os = AgentOS(
        id="my-agent-os",
        agents=[agent],
        authorization=Authorization(algorithm=alg, **authorization),
        telemetry=False,
    )
    return agent_os.get_app()


# RS256 is test_agentos_app.py's (the session keys of pytest.ini).
@pytest.mark.parametrize("agentos_keys", ["ES256", "HS256"], indirect=True)
def test_every_algorithm(agentos_keys, agentos_token, agentos_bad_token, agentos_expect):
    app = make_app(agentos_keys.alg)
    good = agentos_token(scopes=["agents:read"])
    wrong_alg = agentos_bad_token("wrong-alg", scopes=["agents:read"])
    with TestClient(app) as client:
        for token, status in ((good, 200), (wrong_alg, 401)):
            r = client.get("/agents", headers={"Authorization": f"Bearer {token}"})
            # Without app=: the release's default routes (GET /agents is one of them).
            assert r.status_code == status == agentos_expect(token, "GET /agents")


@pytest.mark.agentos_keys("ES256", jwks=True)
def test_unknown_kid_with_a_jwks_file(agentos_keys, agentos_bad_token, agentos_expect):
    # JWT_JWKS_FILE is set (not JWT_VERIFICATION_KEY): the kid decides which key verifies.
    app = make_app("ES256")
    token = agentos_bad_token("unknown-kid", scopes=["agents:read"])
    with TestClient(app) as client:
        r = client.get("/agents", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 == agentos_expect(token, "GET /agents")


@pytest.mark.agentos_keys("RS256")
def test_wrong_audience_with_verify_audience(agentos_keys, agentos_bad_token, agentos_expect):
    # AgentOS checks aud only with verify_audience=True; agentos_expect needs aud= too.
    app = make_app("RS256", verify_audience=True, audience="my-agent-os")
    token = agentos_bad_token("wrong-audience", scopes=["agents:read"])
    with TestClient(app) as client:
        r = client.get("/agents", headers={"Authorization": f"Bearer {token}"})
    verdict = agentos_expect(token, "GET /agents", aud="my-agent-os", explain=True)
    assert r.status_code == verdict.status == 401
    assert r.json()["detail"] == verdict.detail
