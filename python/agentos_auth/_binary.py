"""Where the `agentos-auth` binary of this install is (ruff's `find_ruff_bin` pattern)."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig

_EXE = "agentos-auth" + (".exe" if sys.platform == "win32" else "")


def find_agentos_auth_bin() -> str:
    """The path of the `agentos-auth` binary installed with this package.

    Looked for where the wheel puts it (this interpreter's scripts directory, then the
    user scheme's), then on PATH. `AGENTOS_AUTH_BIN` names one explicitly (a build of
    your own). Raises FileNotFoundError when there is none.
    """
    explicit = os.environ.get("AGENTOS_AUTH_BIN")
    if explicit:
        if os.path.isfile(explicit):
            return explicit
        raise FileNotFoundError(f"AGENTOS_AUTH_BIN={explicit} is not a file")
    candidates = [os.path.join(sysconfig.get_path("scripts"), _EXE)]
    user_scheme = {"nt": "nt_user", "posix": "posix_user"}.get(os.name)
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    if user_scheme:
        try:
            candidates.append(os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), _EXE))
        except KeyError:
            pass
    # A venv's bin/ next to this interpreter (sys.executable), when sysconfig points elsewhere.
    candidates.append(os.path.join(os.path.dirname(sys.executable), _EXE))
    for path in candidates:
        if os.path.isfile(path):
            return path
    found = shutil.which(_EXE)
    if found:
        return found
    raise FileNotFoundError(
        "agentos-auth binary not found next to this Python or on PATH: "
        "pip install agentos-auth, or set AGENTOS_AUTH_BIN"
    )
