"""agentos-auth from Python: keys and tokens for AgentOS (agno), and what a real
AgentOS answers to them.

    from agentos_auth import keygen, mint, verify, Minter, AgentosKeys

Every function runs the `agentos-auth` binary installed with this package (the same
checks and the same answers as the CLI); errors are `AgentosAuthError` with the tool's
one-line message and exit code. The pytest plugin (fixtures `agentos_keys`,
`agentos_token`, `agentos_bad_token`, `agentos_expect`) is registered by the wheel.
Docs: docs/python-api.md and docs/pytest.md.
"""

from ._api import (
    BAD_TOKEN_KINDS,
    AgentosAuthError,
    KeyInfo,
    Minter,
    Verdict,
    keygen,
    mint,
    verify,
)
from ._binary import find_agentos_auth_bin
from ._keys import AgentosKeys

__all__ = [
    "BAD_TOKEN_KINDS",
    "AgentosAuthError",
    "AgentosKeys",
    "KeyInfo",
    "Minter",
    "Verdict",
    "find_agentos_auth_bin",
    "keygen",
    "mint",
    "verify",
]
