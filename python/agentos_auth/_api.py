"""The Python API: the `agentos-auth` binary driven through its command line.

Every decision (claims, checks, signatures, what AgentOS answers) is the binary's;
this module only builds arguments and reads answers, so Python and the CLI never
disagree. Many tokens: `Minter` keeps one `mint --batch - --stream` process and asks
it line by line (a signature per token, not a process start).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from ._binary import find_agentos_auth_bin

__all__ = [
    "AgentosAuthError",
    "BAD_TOKEN_KINDS",
    "KeyInfo",
    "Minter",
    "Verdict",
    "keygen",
    "mint",
    "verify",
]

#: The kinds `mint(bad=...)` and the `agentos_bad_token` fixture make (`mint --bad`).
BAD_TOKEN_KINDS = (
    "expired",
    "not-yet-valid",
    "wrong-audience",
    "wrong-key",
    "unknown-kid",
    "wrong-alg",
    "alg-none",
    "scope-string",
    "reserved-subject",
)

#: A path: a str or an os.PathLike (pathlib.Path).
StrPath = Union[str, "os.PathLike[str]"]
Scopes = Union[str, Sequence[str]]
Duration = Union[int, str]


class AgentosAuthError(Exception):
    """The tool refused: `message` is its one-line error (without the "agentos-auth:
    error: " prefix), `exit_code` its documented exit code (docs/exit-codes.md)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message} (exit {self.exit_code})"


def _error(stderr: str, code: int) -> AgentosAuthError:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("agentos-auth: error: ")]
    text = (errors or lines or [f"agentos-auth exited with {code}"])[-1]
    for prefix in ("agentos-auth: error: ", "agentos-auth: "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return AgentosAuthError(text, code)


def _run(args: Sequence[str], *, input: Optional[str] = None, ok: Iterable[int] = (0,)) -> str:
    """Runs the binary with `args` (never prompting) and returns its stdout."""
    proc = subprocess.run(
        [find_agentos_auth_bin(), "--no-input", *args],
        input=input,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=None if input is not None else subprocess.DEVNULL,
        universal_newlines=True,
    )
    if proc.returncode not in tuple(ok):
        raise _error(proc.stderr, proc.returncode)
    return proc.stdout


def _home_args(home: Optional[StrPath]) -> List[str]:
    return ["--home", os.fspath(home)] if home is not None else []


def _duration(d: Duration) -> str:
    return f"{d}s" if isinstance(d, int) else d


def _scope_list(scopes: Optional[Scopes]) -> Optional[List[str]]:
    if scopes is None:
        return None
    if isinstance(scopes, str):
        return [s for s in scopes.replace(",", " ").split() if s]
    return list(scopes)


@dataclass(frozen=True)
class KeyInfo:
    """What `keygen` made: the algorithm, the kid, and the key files (an HS256
    secret's file is `private_key`, and `public_key` is None)."""

    alg: str
    kid: str
    private_key: Optional[str]
    public_key: Optional[str]


def keygen(
    alg: str = "RS256",
    *,
    home: Optional[StrPath] = None,
    out_dir: Optional[StrPath] = None,
    name: Optional[str] = None,
    aud: Optional[str] = None,
    sub: Optional[str] = None,
    kid: Optional[str] = None,
    bits: Optional[int] = None,
    force: bool = False,
) -> KeyInfo:
    """`agentos-auth keygen --json`: a key pair (RS256, ES256) or an HS256 secret, in
    the key store `home` (default: the user's) or as files in `out_dir`."""
    args = [*_home_args(home), "--quiet", "keygen", "--alg", alg, "--json"]
    for flag, value in (("--out-dir", out_dir), ("--name", name), ("--aud", aud), ("--sub", sub), ("--kid", kid)):
        if value is not None:
            args += [flag, os.fspath(value)]
    if bits is not None:
        args += ["--bits", str(bits)]
    if force:
        args.append("--force")
    out = json.loads(_run(args))
    return KeyInfo(out["alg"], out["kid"], out.get("private_key"), out.get("public_key"))


def _mint_flags(
    *,
    home: Optional[StrPath],
    key: Optional[StrPath],
    alg: Optional[str],
    kid: Optional[str],
    aud: Union[None, str, Sequence[str]],
    sub: Optional[str],
    iss: Optional[str],
    allow_unknown_scopes: bool,
) -> List[str]:
    args = [*_home_args(home), "--quiet", "mint"]
    if key is not None:
        args += ["--key", os.fspath(key)]
    if alg is not None:
        args += ["--alg", alg]
    if kid is not None:
        args += ["--kid", kid]
    if aud is not None:
        for a in [aud] if isinstance(aud, str) else aud:
            args += ["--aud", a]
    if sub is not None:
        args += ["--sub", sub]
    if iss is not None:
        args += ["--iss", iss]
    if allow_unknown_scopes:
        args.append("--allow-unknown-scopes")
    return args


def mint(
    scopes: Optional[Scopes] = None,
    *,
    sub: Optional[str] = None,
    aud: Union[None, str, Sequence[str]] = None,
    roles: Optional[Sequence[str]] = None,
    ttl: Optional[Duration] = None,
    claims: Optional[Mapping[str, Any]] = None,
    bad: Optional[str] = None,
    key: Optional[StrPath] = None,
    alg: Optional[str] = None,
    kid: Optional[str] = None,
    iss: Optional[str] = None,
    home: Optional[StrPath] = None,
    allow_unknown_scopes: bool = False,
) -> str:
    """One token (`agentos-auth mint`), signed with `key` (a file) or the key store's
    signing key. `scopes`: a list or "a,b"; none given means an empty list (valid, but
    403 on every protected route). `ttl`: seconds or a duration ("15m"). `claims`: extra
    claims. `bad`: one of BAD_TOKEN_KINDS, a token AgentOS refuses (docs/pytest.md).
    For many tokens use `Minter` (one process for all of them)."""
    args = _mint_flags(
        home=home, key=key, alg=alg, kid=kid, aud=aud, sub=sub, iss=iss,
        allow_unknown_scopes=allow_unknown_scopes,
    )
    scope_list = _scope_list(scopes)
    if scope_list:
        args += ["--scopes", ",".join(scope_list)]
    elif not roles:
        args.append("--no-scopes")
    if roles:
        args += ["--roles", ",".join(roles)]
    if ttl is not None:
        args += ["--expires-in", _duration(ttl)]
    if claims:
        args += ["--claims", json.dumps(dict(claims))]
    if bad is not None:
        args += ["--bad", bad]
    return _run(args).strip()


def _claims_line(
    scopes: Optional[Scopes],
    sub: Optional[str],
    aud: Union[None, str, Sequence[str]],
    roles: Optional[Sequence[str]],
    ttl: Optional[Duration],
    claims: Optional[Mapping[str, Any]],
) -> bytes:
    """One `mint --batch` input line: the claims overriding the flags' defaults."""
    line: Dict[str, Any] = dict(claims or {})
    scope_list = _scope_list(scopes)
    if scope_list is not None:
        line["scopes"] = scope_list
    if sub is not None:
        line["sub"] = sub
    if aud is not None:
        line["aud"] = aud if isinstance(aud, str) else list(aud)
    if roles is not None:
        line["roles"] = list(roles)
    if ttl is not None:
        line["expires_in"] = _duration(ttl)
    return (json.dumps(line, separators=(",", ":")) + "\n").encode()


class Minter:
    """Many tokens from one `agentos-auth` process. `mint()` is request/response on a
    long-lived `mint --batch - --stream` process: one JSON line written, one token
    read back. `mint_many()` hands a whole list to one `mint --batch -` run (signed on
    all cores). The flags given here are every token's defaults; the per-token
    arguments override them through the same claim building as the CLI. Thread-safe;
    close() (or `with`) ends the process. A refused line raises AgentosAuthError and
    ends the process; the next call starts another."""

    def __init__(
        self,
        *,
        key: Optional[StrPath] = None,
        alg: Optional[str] = None,
        kid: Optional[str] = None,
        aud: Union[None, str, Sequence[str]] = None,
        sub: Optional[str] = None,
        iss: Optional[str] = None,
        home: Optional[StrPath] = None,
        allow_unknown_scopes: bool = False,
    ) -> None:
        self._args = [find_agentos_auth_bin(), "--no-input"] + _mint_flags(
            home=home, key=key, alg=alg, kid=kid, aud=aud, sub=sub, iss=iss,
            allow_unknown_scopes=allow_unknown_scopes,
        ) + ["--no-scopes", "--batch", "-"]
        self._proc: Optional[subprocess.Popen] = None
        self._stderr: Optional[Any] = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            self._close_process()
            # stderr to a file, not a pipe: nobody reads it while the process runs.
            self._stderr = tempfile.TemporaryFile()
            self._proc = subprocess.Popen(
                self._args + ["--stream"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        return self._proc

    def mint(
        self,
        scopes: Optional[Scopes] = None,
        *,
        sub: Optional[str] = None,
        aud: Union[None, str, Sequence[str]] = None,
        roles: Optional[Sequence[str]] = None,
        ttl: Optional[Duration] = None,
        claims: Optional[Mapping[str, Any]] = None,
    ) -> str:
        """One token; the arguments are those of `mint()`."""
        line = _claims_line(scopes, sub, aud, roles, ttl, claims)
        with self._lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                os.write(proc.stdin.fileno(), line)
            except BrokenPipeError:
                pass
            token = proc.stdout.readline().strip()
            if token:
                return token.decode()
            code = proc.wait()
            assert self._stderr is not None
            self._stderr.seek(0)
            err = self._stderr.read().decode(errors="replace")
            self._close_process()
            raise _error(err, code or 1)

    def mint_many(self, specs: Iterable[Mapping[str, Any]]) -> List[str]:
        """A token per spec, in order; each spec holds `mint()`'s keyword arguments
        (`{"scopes": [...], "sub": "u1", "ttl": "15m"}`). One `mint --batch -` run."""
        lines = b"".join(
            _claims_line(
                s.get("scopes"), s.get("sub"), s.get("aud"), s.get("roles"), s.get("ttl"), s.get("claims")
            )
            for s in specs
        )
        if not lines:
            return []
        proc = subprocess.run(self._args, input=lines, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise _error(proc.stderr.decode(errors="replace"), proc.returncode)
        return proc.stdout.decode().splitlines()

    def _close_process(self) -> None:
        if self._proc is not None:
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
            self._proc.wait()
            self._proc = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def close(self) -> None:
        """Ends the process (its stdin closed: it exits 0)."""
        with self._lock:
            self._close_process()

    def __enter__(self) -> "Minter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


@dataclass(frozen=True)
class Verdict:
    """What `agentos-auth verify --json` says AgentOS answers: `status` (200, 401, 403,
    404, 307...), `detail` (AgentOS's exact text), `reason` and `fix` (ours)."""

    status: int
    reason: Optional[str] = None
    detail: Optional[str] = None
    fix: Optional[str] = None
    notes: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        parts = [str(self.status)]
        if self.detail:
            parts.append(f'"{self.detail}"')
        if self.reason:
            parts.append(f"({self.reason})")
        return " ".join(parts)


def verify(
    token: Optional[str],
    request: Optional[str] = None,
    *,
    key: Union[None, StrPath, Sequence[StrPath]] = None,
    jwks: Optional[StrPath] = None,
    alg: Optional[str] = None,
    aud: Union[None, str, Sequence[str]] = None,
    iss: Optional[str] = None,
    release: Optional[str] = None,
    routes: Optional[StrPath] = None,
    openapi: Optional[Mapping[str, Any]] = None,
    scope_mappings: Union[None, StrPath, Mapping[str, Sequence[str]]] = None,
    roles_file: Optional[StrPath] = None,
    no_authorization: bool = False,
    mount_prefix: Optional[str] = None,
    body: Optional[Mapping[str, Any]] = None,
    at: Optional[str] = None,
    home: Optional[StrPath] = None,
    extra_args: Sequence[str] = (),
) -> Verdict:
    """What a real AgentOS answers to `token` (None: no Authorization header) for
    `request` ("POST /agents/my-agent/runs"), from `agentos-auth verify --json`.
    `release`: the agno version (--agno). `routes`: an OpenAPI file, or `openapi`: the
    document itself (`app.openapi()`). `scope_mappings`: a file or the mapping itself.
    A refusal is a Verdict, not an exception; bad input raises AgentosAuthError."""
    args = [*_home_args(home), "verify", "--json"]
    keys = [] if key is None else [key] if isinstance(key, (str, os.PathLike)) else list(key)
    for k in keys:
        args += ["--key", os.fspath(k)]
    for flag, value in (("--jwks", jwks), ("--alg", alg), ("--iss", iss), ("--agno", release),
                        ("--roles-file", roles_file), ("--mount-prefix", mount_prefix), ("--at", at)):
        if value is not None:
            args += [flag, os.fspath(value)]
    if aud is not None:
        for a in [aud] if isinstance(aud, str) else aud:
            args += ["--aud", a]
    if request is not None:
        args += ["--request", request]
    if body is not None:
        args += ["--body", json.dumps(dict(body))]
    if no_authorization:
        args.append("--no-authorization")
    args += list(extra_args)
    with tempfile.TemporaryDirectory(prefix="agentos-auth-") as tmp:
        if openapi is not None:
            if routes is not None:
                raise ValueError("give routes (a file) or openapi (the document), not both")
            routes = os.path.join(tmp, "openapi.json")
            with open(routes, "w") as f:
                json.dump(openapi, f)
        if routes is not None:
            args += ["--routes", os.fspath(routes)]
        if isinstance(scope_mappings, Mapping):
            path = os.path.join(tmp, "scope_mappings.json")
            with open(path, "w") as f:
                json.dump({k: list(v) for k, v in scope_mappings.items()}, f)
            scope_mappings = path
        if scope_mappings is not None:
            args += ["--scope-mappings", os.fspath(scope_mappings)]
        if token is None:
            args.append("--no-token")
            out = _run(args, ok=(0, 10, 11, 12))
        else:
            args.append("-")
            out = _run(args, input=token, ok=(0, 10, 11, 12))
    v = json.loads(out)
    return Verdict(
        status=int(v["status"]),
        reason=v.get("reason"),
        detail=v.get("detail"),
        fix=v.get("fix"),
        notes=list(v.get("notes") or []),
        warnings=list(v.get("warnings") or []),
        raw=v,
    )
