"""1,000 tokens from Python: agentos_auth's Minter against PyJWT with cryptography.

usage: python bench/python_api.py [ROUNDS] [TOKENS]      (defaults 11, 1000)

Both run in this one Python process, in alternating rounds (so passing load hits them
alike), for RS256, ES256 and HS256 on the same key files; a round is the whole job:
- Minter.mint: start `agentos-auth mint --batch - --stream`, mint TOKENS tokens one
  call at a time (sub and scopes per token, as a backend would), stop the process;
- Minter.mint_many: the TOKENS specs as one list, one `mint --batch -` run;
- PyJWT: load the key (load_pem_private_key; the secret string for HS256), then
  jwt.encode TOKENS times with the same claims (aud, iat, exp, sub, scopes) and kid.
Prints a Markdown table: wall-time medians, min … max, and Minter ÷ PyJWT (below 1×:
faster); then the CPU time (user + system, this process and its children) per round,
which passing load disturbs far less than the wall time.
Needs PyJWT and cryptography (bash .ci/setup-venv; run with .venv/bin/python) and the
agentos_auth package: the installed wheel, else this checkout's python/ with the release
binary (cargo build --release; AGENTOS_AUTH_BIN overrides).
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
try:
    import agentos_auth
except ImportError:
    sys.path.insert(0, os.path.join(root, "python"))
    import agentos_auth
if "AGENTOS_AUTH_BIN" not in os.environ:
    release = os.path.join(root, "target", "release", "agentos-auth")
    if os.path.isfile(release):
        os.environ["AGENTOS_AUTH_BIN"] = release

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

AUD = "bench-os"


def with_minter(alg, key_file, kid, n):
    with agentos_auth.Minter(key=key_file, alg=alg, kid=kid, aud=AUD) as minter:
        return [minter.mint(["agents:read"], sub=f"user-{i}", ttl=3600) for i in range(n)]


def with_minter_many(alg, key_file, kid, n):
    minter = agentos_auth.Minter(key=key_file, alg=alg, kid=kid, aud=AUD)
    return minter.mint_many({"scopes": ["agents:read"], "sub": f"user-{i}", "ttl": 3600} for i in range(n))


def with_pyjwt(alg, key_file, kid, n):
    with open(key_file, "rb") as f:
        raw = f.read()
    key = raw.decode().rstrip("\n") if alg == "HS256" else load_pem_private_key(raw, password=None)
    headers = {"kid": kid}
    out = []
    for i in range(n):
        now = int(time.time())
        claims = {"sub": f"user-{i}", "scopes": ["agents:read"], "aud": AUD, "iat": now, "exp": now + 3600}
        out.append(jwt.encode(claims, key, algorithm=alg, headers=headers))
    return out


def cpu_seconds():
    """User + system CPU of this process and its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def fmt(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    binary = agentos_auth.find_agentos_auth_bin()
    version = subprocess.run([binary, "--version"], stdout=subprocess.PIPE, universal_newlines=True).stdout.splitlines()[0]
    print(f"{version} ({binary}); PyJWT {jwt.__version__}; Python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; {rounds} rounds of {n:,} tokens")
    print()
    print("| alg | Minter.mint, one call per token | Minter.mint_many, one list | PyJWT, key loaded once | mint ÷ PyJWT | mint_many ÷ PyJWT |")
    print("|---|---:|---:|---:|---:|---:|")
    cpu_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for alg in ("RS256", "ES256", "HS256"):
            info = agentos_auth.keygen(alg, out_dir=tmp, name=alg.lower())
            key_file = info.private_key
            times = {"minter": [], "many": [], "pyjwt": []}
            cpu = {"minter": [], "many": [], "pyjwt": []}
            runs = [("minter", with_minter), ("many", with_minter_many), ("pyjwt", with_pyjwt)]
            for r in range(rounds):
                for name, fn in runs if r % 2 == 0 else runs[::-1]:
                    cpu_start = cpu_seconds()
                    start = time.perf_counter()
                    tokens = fn(alg, key_file, info.kid, n)
                    times[name].append(time.perf_counter() - start)
                    cpu[name].append(cpu_seconds() - cpu_start)
                    assert len(tokens) == n
            med = {k: statistics.median(v) for k, v in times.items()}

            def cell(k):
                return f"{fmt(med[k])} ({fmt(min(times[k]))} … {fmt(max(times[k]))})"

            print(f"| {alg} | {cell('minter')} | {cell('many')} | {cell('pyjwt')} | "
                  f"{med['minter'] / med['pyjwt']:.2f}× | {med['many'] / med['pyjwt']:.2f}× |")
            cpu_rows.append((alg, {k: statistics.median(v) for k, v in cpu.items()}))
    print()
    print("| alg | CPU: Minter.mint | CPU: mint_many | CPU: PyJWT | mint ÷ PyJWT | mint_many ÷ PyJWT |")
    print("|---|---:|---:|---:|---:|---:|")
    for alg, c in cpu_rows:
        print(f"| {alg} | {fmt(c['minter'])} | {fmt(c['many'])} | {fmt(c['pyjwt'])} | "
              f"{c['minter'] / c['pyjwt']:.2f}× | {c['many'] / c['pyjwt']:.2f}× |")
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
