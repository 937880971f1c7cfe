"""The pytest plugin (registered by the wheel's `pytest11` entry point).

Fixtures:
- `agentos_keys`: an AgentosKeys whose key AgentOS reads from the environment during
  the test (restored after). RS256 by default; `@pytest.mark.agentos_keys("ES256")`,
  `@pytest.mark.agentos_keys("RS256", jwks=True)` or `@pytest.mark.parametrize(
  "agentos_keys", ["ES256", "HS256"], indirect=True)` choose others.
- `agentos_token(scopes=..., sub=..., aud=..., roles=..., ttl=..., claims=...)`: a token
  signed by that key.
- `agentos_bad_token(kind, scopes=...)`: a token AgentOS refuses, by name.
- `agentos_expect(token, "POST /agents/x/runs", app=..., release=..., ...)`: the status
  AgentOS answers, from `agentos-auth verify`.

An app that builds `AgentOS(...).get_app()` when its module is imported reads the
environment before any fixture runs: `--agentos-keys[=ALG]` or the ini option
`agentos_keys = RS256` makes one store for the whole run and sets the environment in
pytest_configure, before collection; the fixtures then use it (docs/pytest.md).
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

import pytest

from ._keys import ENV_VARS, AgentosKeys

_OFF = ("", "0", "false", "no", "off")
_ON = ("1", "true", "yes", "on")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("agentos-auth", "AgentOS test keys and tokens (agentos-auth)")
    group.addoption(
        "--agentos-keys",
        dest="agentos_keys",
        nargs="?",
        const="RS256",
        default=None,
        metavar="ALG[,jwks]",
        help="make one throwaway key store for the run and set JWT_VERIFICATION_KEY "
        "(with ',jwks': JWT_JWKS_FILE) before collection, for apps built at import time "
        "(ALG: RS256, ES256, HS256; default RS256)",
    )
    parser.addini(
        "agentos_keys",
        "as --agentos-keys: ALG[,jwks], or true for RS256 (empty: off)",
        default="",
    )
    parser.addini(
        "agentos_aud",
        "default aud of test tokens: your AgentOS id (AgentOS(id=...))",
        default="agentos-test",
    )
    parser.addini("agentos_sub", "default sub of test tokens", default="test-user")


def _parse(spec: str) -> Optional[Tuple[str, bool]]:
    """'ES256,jwks' -> ('ES256', True); 'true' -> ('RS256', False); 'false' -> None."""
    words = [w for w in spec.replace(",", " ").split() if w]
    if not words or words[0].lower() in _OFF:
        return None
    alg = "RS256" if words[0].lower() in _ON else words[0].upper()
    if alg not in ("RS256", "ES256", "HS256"):
        raise pytest.UsageError(f"agentos_keys: unknown algorithm {words[0]!r} (RS256, ES256 or HS256)")
    extra = [w.lower() for w in words[1:]]
    if any(w != "jwks" for w in extra):
        raise pytest.UsageError(f"agentos_keys: unknown option in {spec!r} (only 'jwks')")
    return alg, bool(extra)


class _Session:
    keys: Optional[AgentosKeys] = None
    saved_env: Dict[str, Optional[str]] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "agentos_keys(alg='RS256', jwks=False): the agentos_keys fixture's algorithm and "
        "environment (JWT_JWKS_FILE with jwks=True) for this test",
    )
    spec = config.getoption("agentos_keys")
    if spec is None:
        spec = config.getini("agentos_keys")
    parsed = _parse(str(spec))
    if parsed is None:
        return
    alg, jwks = parsed
    keys = AgentosKeys(alg, aud=config.getini("agentos_aud"), sub=config.getini("agentos_sub"), jwks=jwks)
    _Session.saved_env = {name: os.environ.get(name) for name in ENV_VARS}
    for name in ENV_VARS:
        os.environ.pop(name, None)
    os.environ.update(keys.env())
    _Session.keys = keys


def pytest_unconfigure(config: pytest.Config) -> None:
    keys, _Session.keys = _Session.keys, None
    if keys is None:
        return
    for name, value in _Session.saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    keys.close()


def pytest_report_header(config: pytest.Config) -> Optional[str]:
    keys = _Session.keys
    if keys is None:
        return None
    return f"agentos-auth: {keys.alg} key {keys.kid} in {', '.join(keys.env())}"


@pytest.fixture
def agentos_keys(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[AgentosKeys]:
    marker = request.node.get_closest_marker("agentos_keys")
    param = getattr(request, "param", None)
    if marker is None and param is None and _Session.keys is not None:
        yield _Session.keys
        return
    alg, jwks = "RS256", False
    if param is not None:
        parsed = _parse(str(param))
        if parsed is None:
            raise pytest.UsageError(f"agentos_keys parameter {param!r}: give ALG[,jwks]")
        alg, jwks = parsed
    if marker is not None:
        alg = str(marker.kwargs.get("alg", marker.args[0] if marker.args else alg))
        jwks = bool(marker.kwargs.get("jwks", jwks))
    config = request.config
    keys = AgentosKeys(alg, aud=config.getini("agentos_aud"), sub=config.getini("agentos_sub"), jwks=jwks)
    try:
        for name in ENV_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in keys.env().items():
            monkeypatch.setenv(name, value)
        yield keys
    finally:
        keys.close()


@pytest.fixture
def agentos_token(agentos_keys: AgentosKeys) -> Callable[..., str]:
    """`agentos_token(scopes=..., sub=..., aud=..., roles=..., ttl=..., claims=...)`."""
    return agentos_keys.mint


@pytest.fixture
def agentos_bad_token(agentos_keys: AgentosKeys) -> Callable[..., str]:
    """`agentos_bad_token(kind, scopes=...)`: kind one of agentos_auth.BAD_TOKEN_KINDS."""
    return agentos_keys.bad_token


@pytest.fixture
def agentos_expect(agentos_keys: AgentosKeys) -> Callable[..., Any]:
    """`agentos_expect(token, "METHOD /path", app=..., release=..., routes=...,
    openapi=..., scope_mappings=..., roles_file=..., explain=False)`."""
    return agentos_keys.expect
