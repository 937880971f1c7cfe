"""Runs the benchmark cases and prints ONE markdown table (called by bench/run).

Times are whole processes measured by hyperfine (-N: no shell in between); peak
memory is the max RSS reported by GNU time (/usr/bin/time -f %M) over one run of
each command. Ratios are agentos-auth's median divided by the other tool's median
in the same run, so < 1 means agentos-auth is faster.
"""

import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

ENV = os.environ
BIN = ENV["BENCH_BIN"]
JWT_CLI = ENV.get("BENCH_JWT_CLI") or None
GO_JWT = ENV.get("BENCH_GO_JWT") or None
PYTHON = ENV["BENCH_PYTHON"]
WORK = ENV["BENCH_WORK"]
QUICK = ENV.get("BENCH_QUICK") == "1"
HERE = os.path.dirname(os.path.abspath(__file__))
OS_ID = "bench-os"


def sh(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def hyperfine(cmd: str, runs: int, warmup: int, prepare: str | None = None) -> dict:
    """min/median/max seconds of `cmd` (a shell-words string, run without a shell)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "-N", "--style", "none", "--runs", str(runs),
                "--warmup", str(warmup), "--export-json", out.name]
        if prepare:
            args += ["--prepare", prepare]
        subprocess.run(args + [cmd], check=True, stdout=subprocess.DEVNULL)
        r = json.load(open(out.name))["results"][0]
    return {"min": r["min"], "median": r["median"], "max": r["max"], "runs": len(r["times"])}


def peak_kib(cmd: str) -> int:
    """Max RSS (KiB) of one run of `cmd`, stdout discarded."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + shlex.split(cmd),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(open(out.name).read().split()[-1])


def key_file(alg: str) -> str:
    return os.path.join(WORK, "hs256.secret" if alg == "HS256" else f"{alg.lower()}.key.pem")


def kid_of(alg: str) -> str:
    extra = ["--alg", "HS256", "--include-secret"] if alg == "HS256" else []
    return json.loads(sh(BIN, "export", "--key", key_file(alg), "--format", "jwk", *extra))["kid"]


def lines_file(n: int) -> str:
    path = os.path.join(WORK, f"lines-{n}.jsonl")
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(n):
                f.write(json.dumps({"sub": f"user-{i}", "scopes": ["agents:read", "sessions:read"]}) + "\n")
    return path


def fmt_time(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


rows = []  # (case, tool, stats, peak KiB, ratio text)
targets = []  # (text, ok)


def measure(case: str, tool: str, cmd: str, runs: int, warmup: int, prepare: str | None = None) -> dict:
    stats = hyperfine(cmd, runs, warmup, prepare)
    stats["peak"] = peak_kib(cmd)
    rows.append([case, tool, stats, ""])
    print(f"  {case:<28} {tool:<34} median {fmt_time(stats['median']):>9}  peak {stats['peak'] / 1024:.1f} MiB",
          file=sys.stderr, flush=True)
    return stats


def ratio(ours: dict, theirs: dict) -> float:
    return ours["median"] / theirs["median"]


def set_ratio(stats: dict, ours: dict) -> None:
    for row in rows:
        if row[2] is stats:
            r = ratio(ours, stats)
            row[3] = f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def main() -> None:
    single_runs, single_warm = (30, 5) if QUICK else (100, 10)
    sizes = [1000, 10_000]
    batch_runs = {1000: 3 if QUICK else 10, 10_000: 1 if QUICK else 3}
    keygen_runs = 10 if QUICK else 15
    exp = int(time.time()) + 86_400

    # The floor: starting any process at all on this machine.
    measure("process start", "/bin/true", "/bin/true", single_runs, single_warm)
    claims_file = os.path.join(WORK, "claims.json")
    with open(claims_file, "w") as f:
        json.dump({"sub": "u1", "aud": OS_ID, "iat": exp - 86_400, "exp": exp, "scopes": ["agents:read"]}, f)
    for alg in ["RS256", "ES256", "HS256"]:
        k, kid = key_file(alg), kid_of(alg)
        case = f"1 token {alg}"
        ours = measure(case, "agentos-auth mint", f"{BIN} mint --key {k} --alg {alg} --aud {OS_ID} --sub u1 --scopes agents:read",
                       single_runs, single_warm)
        if JWT_CLI:
            # jwt-cli adds iat itself; exp either from its -e option (parsing "+1h"
            # costs it ~4 ms) or precomputed in the JSON (its fastest use).
            claims = json.dumps({"sub": "u1", "aud": OS_ID, "scopes": ["agents:read"]}, separators=(",", ":"))
            with_e = measure(case, "jwt-cli `jwt encode -e=+1h`", f"{JWT_CLI} encode -A {alg} -S @{k} -k {kid} -e=+1h '{claims}'",
                             single_runs, single_warm)
            set_ratio(with_e, ours)
            claims = json.dumps({"sub": "u1", "aud": OS_ID, "exp": exp, "scopes": ["agents:read"]}, separators=(",", ":"))
            fast = measure(case, "jwt-cli `jwt encode`, exp in JSON", f"{JWT_CLI} encode -A {alg} -S @{k} -k {kid} '{claims}'",
                           single_runs, single_warm)
            set_ratio(fast, ours)
            targets.append((f"single mint {alg} ≤ 0.5× jwt-cli: {ratio(ours, with_e):.2f}× with -e=+1h, "
                            f"{ratio(ours, fast):.2f}× with exp precomputed",
                            ratio(ours, with_e) <= 0.5 and ratio(ours, fast) <= 0.5))
        if GO_JWT:
            theirs = measure(case, "Go jwt (Debian `jwt`)", f"{GO_JWT} -key {k} -alg {alg} -header kid={kid} -sign {claims_file}",
                             single_runs, single_warm)
            set_ratio(theirs, ours)

    pem_median = {}
    for alg in ["RS256", "ES256", "HS256"]:
        k, kid = key_file(alg), kid_of(alg)
        for n in sizes:
            lines = lines_file(n)
            case = f"{n:,} tokens {alg}"
            runs, warm = batch_runs[n], (1 if n <= 1000 else 0)
            ours = measure(case, "agentos-auth mint --batch",
                           f"{BIN} mint --key {k} --alg {alg} --aud {OS_ID} --scopes agents:read --batch {lines}", runs, warm)
            pre = measure(case, "PyJWT loop, key loaded once",
                          f"{PYTHON} {HERE}/pyjwt_loop.py {alg} {k} {kid} {lines} preloaded", runs, warm)
            set_ratio(pre, ours)
            if alg != "HS256":  # an HS256 secret is a string either way
                # Parsing the PEM per token is slow (RSA: tens of ms per token, as
                # cryptography checks the private key each time): fewer runs, and the
                # 10,000 row only when the 1,000 row took under 5 s.
                tool = "PyJWT loop, PEM string per call"
                slow = pem_median.get(alg, 0) > 5
                if slow:
                    rows.append([case, tool, None, f"not run: ~{pem_median[alg] * n / 1000:.0f} s per run"])
                else:
                    pem = measure(case, tool, f"{PYTHON} {HERE}/pyjwt_loop.py {alg} {k} {kid} {lines} pem",
                                  min(runs, 3), 0)
                    set_ratio(pem, ours)
                    pem_median[alg] = pem["median"]
            if alg == "RS256" and n == 1000:
                targets.append((f"1,000 RS256 batch ≤ 0.4× preloaded PyJWT: {ratio(ours, pre):.2f}×", ratio(ours, pre) <= 0.4))
            if alg == "ES256" and n == 10_000:
                targets.append((f"10,000 ES256 batch ≤ 0.5 s: {fmt_time(ours['median'])}", ours["median"] <= 0.5))
            targets.append((f"peak memory {n:,} {alg} batch ≤ 10 MiB: {ours['peak'] / 1024:.1f} MiB", ours["peak"] <= 10 * 1024))

    # Bounded memory: a million HS256 lines, one run.
    n = 1_000_000
    lines = lines_file(n)
    k = key_file("HS256")
    case = f"{n:,} tokens HS256"
    ours = measure(case, "agentos-auth mint --batch",
                   f"{BIN} mint --key {k} --alg HS256 --aud {OS_ID} --scopes agents:read --batch {lines}", 1, 0)
    targets.append((f"peak memory {n:,} HS256 batch ≤ 10 MiB: {ours['peak'] / 1024:.1f} MiB", ours["peak"] <= 10 * 1024))

    out_dir = os.path.join(WORK, "keygen")
    os.makedirs(out_dir, exist_ok=True)
    for bits in [2048, 4096]:
        case = f"RSA-{bits} keygen"
        runs = keygen_runs if bits == 2048 else 10
        ours = measure(case, "agentos-auth keygen",
                       f"{BIN} --quiet keygen --alg RS256 --bits {bits} --out-dir {out_dir} --name ours --force", runs, 1)
        theirs = measure(case, "openssl genpkey",
                         f"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:{bits} -out {out_dir}/openssl.pem", runs, 1)
        set_ratio(theirs, ours)
        if bits == 2048:
            targets.append((f"RSA-2048 keygen median ≤ openssl's: {ratio(ours, theirs):.2f}×", ratio(ours, theirs) <= 1))

    singles = [r for r in rows if r[0].startswith("1 token") and r[1].startswith("agentos-auth")]
    worst = max(r[2]["peak"] for r in singles)
    targets.append((f"peak memory single mint ≤ 10 MiB: {worst / 1024:.1f} MiB", worst <= 10 * 1024))

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    load = open("/proc/loadavg").read().split()[:3]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, {cpu}, "
          f"load average before/after: {ENV.get('BENCH_LOAD_BEFORE', '?')} / {' '.join(load)}")
    print(f"agentos-auth {sh(BIN, '--version').split()[-1]}"
          + (f", {sh(JWT_CLI, '--version').strip()} (jwt-cli)" if JWT_CLI else "")
          + (f", Go jwt {ENV.get('BENCH_GO_JWT_VERSION', '')}" if GO_JWT else "")
          + f", PyJWT {sh(PYTHON, '-c', 'import jwt; print(jwt.__version__)').strip()}"
          + f", {sh('openssl', 'version').split(' (')[0].strip()}")
    print()
    print("| case | tool | median | min … max | runs | peak RSS | agentos-auth ÷ tool |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for case, tool, s, r in rows:
        if s is None:
            print(f"| {case} | {tool} | | | | | {r} |")
            continue
        print(f"| {case} | {tool} | {fmt_time(s['median'])} | {fmt_time(s['min'])} … {fmt_time(s['max'])} "
              f"| {s['runs']} | {s['peak'] / 1024:.1f} MiB | {r} |")
    print()
    print("Targets:")
    for text, ok in targets:
        print(f"- {'met' if ok else 'MISSED'}: {text}")


if __name__ == "__main__":
    main()
