"""A throwaway key store for tests: a fresh key, the environment AgentOS reads for
it, tokens signed by it, and what AgentOS answers to them."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any, Dict, Mapping, Optional, Sequence, Union

from ._api import Duration, Minter, Scopes, Verdict, keygen, mint, verify

#: The variables AgentOS reads its verification key from (agno's JWTMiddleware).
ENV_VARS = ("JWT_VERIFICATION_KEY", "JWT_JWKS_FILE")


class AgentosKeys:
    """A key store of its own in a temporary directory (`home`), with one key of `alg`
    (RS256, ES256 or HS256) whose tokens carry `aud` and `sub` by default.

    `env()` is what AgentOS must read to verify them: `JWT_VERIFICATION_KEY` (the
    public key PEM, or the HS256 secret), or with `jwks=True` `JWT_JWKS_FILE` (the
    store's JWKS, kid by kid; RS256/ES256 only). The store does not change the
    environment itself: the pytest plugin does, and restores it.
    """

    def __init__(
        self,
        alg: str = "RS256",
        *,
        aud: str = "agentos-test",
        sub: str = "test-user",
        jwks: bool = False,
        directory: Optional[str] = None,
    ) -> None:
        alg = alg.upper()
        if jwks and alg == "HS256":
            raise ValueError("an HS256 secret has no public JWKS: use jwks=False (JWT_VERIFICATION_KEY)")
        self._owned = directory is None
        self.home: str = directory or tempfile.mkdtemp(prefix="agentos-keys-")
        try:
            info = keygen(alg, home=self.home, aud=aud, sub=sub)
        except BaseException:
            self.close()
            raise
        self.alg: str = info.alg
        self.kid: str = info.kid
        self.aud = aud
        self.sub = sub
        self.jwks = jwks
        #: The file AgentOS verifies with: the public key PEM, or the HS256 secret.
        self.verification_key_file: str = info.public_key or info.private_key or ""
        self.jwks_file: Optional[str] = os.path.join(self.home, "jwks.json") if alg != "HS256" else None
        self._minters: Dict[bool, Minter] = {}

    @property
    def verification_key(self) -> str:
        """The text AgentOS gets in JWT_VERIFICATION_KEY (a file's trailing newline dropped)."""
        with open(self.verification_key_file) as f:
            return f.read().rstrip("\n")

    def env(self) -> Dict[str, str]:
        """The variables to set for AgentOS (the others of ENV_VARS must be unset)."""
        if self.jwks:
            assert self.jwks_file is not None
            return {"JWT_JWKS_FILE": self.jwks_file}
        return {"JWT_VERIFICATION_KEY": self.verification_key}

    def mint(
        self,
        scopes: Optional[Scopes] = None,
        *,
        sub: Optional[str] = None,
        aud: Union[None, str, Sequence[str]] = None,
        roles: Optional[Sequence[str]] = None,
        ttl: Optional[Duration] = None,
        claims: Optional[Mapping[str, Any]] = None,
        allow_unknown_scopes: bool = False,
    ) -> str:
        """A token signed by this store's key (one long-lived process for all of them)."""
        minter = self._minters.get(allow_unknown_scopes)
        if minter is None:
            minter = Minter(home=self.home, allow_unknown_scopes=allow_unknown_scopes)
            self._minters[allow_unknown_scopes] = minter
        return minter.mint(scopes, sub=sub, aud=aud, roles=roles, ttl=ttl, claims=claims)

    def bad_token(
        self,
        kind: str,
        scopes: Optional[Scopes] = None,
        *,
        sub: Optional[str] = None,
        aud: Union[None, str, Sequence[str]] = None,
        roles: Optional[Sequence[str]] = None,
        claims: Optional[Mapping[str, Any]] = None,
    ) -> str:
        """A token AgentOS refuses, broken the way `kind` names (BAD_TOKEN_KINDS)."""
        return mint(scopes, sub=sub, aud=aud, roles=roles, claims=claims, bad=kind, home=self.home)

    def verify(self, token: Optional[str], request: Optional[str] = None, **options: Any) -> Verdict:
        """`verify()` with this store's key as AgentOS has it (env()) and its alg."""
        if self.jwks:
            options.setdefault("jwks", self.jwks_file)
        else:
            options.setdefault("key", self.verification_key_file)
        options.setdefault("alg", self.alg)
        return verify(token, request, home=self.home, **options)

    def expect(
        self,
        token: Optional[str],
        request: str,
        *,
        app: Any = None,
        explain: bool = False,
        **options: Any,
    ) -> Any:
        """The status AgentOS answers to `token` for `request`; with `explain=True` the
        whole Verdict. `app`: the FastAPI app (`agent_os.get_app()`), whose
        `app.openapi()` gives its routes (a route it lacks: 404). Other options are
        `verify()`'s: release, routes, openapi, scope_mappings, roles_file, aud..."""
        if app is not None:
            options["openapi"] = app.openapi()
        verdict = self.verify(token, request, **options)
        return verdict if explain else verdict.status

    def close(self) -> None:
        """Ends the minting processes and removes the directory (when it made it)."""
        for minter in self._minters.values() if hasattr(self, "_minters") else ():
            minter.close()
        if getattr(self, "_owned", False):
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "AgentosKeys":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
