"""Runs the benchmark cases and prints ONE markdown table (called by bench/run).

Times are whole processes measured by hyperfine (-N: no shell in between), the
tools of a case taking turns in up to 5 rounds; peak memory is the max RSS reported
by GNU time (/usr/bin/time -f %M) over one run of each command. Ratios are agentos-auth's median divided by the other tool's median
in the same run, so < 1 means agentos-auth is faster.
"""

import json
import os
import platform
import shlex
import statistics
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
# BENCH_ONLY=hsm: only the rows with a key in SoftHSM2 (and their key-file twins).
ONLY = ENV.get("BENCH_ONLY", "")
HERE = os.path.dirname(os.path.abspath(__file__))
OS_ID = "bench-os"


def sh(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def hyperfine(cmd: str, runs: int, warmup: int) -> list[float]:
    """Wall times (s) of `runs` runs of `cmd` (a shell-words string, run without a shell)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "-N", "--style", "none", "--runs", str(runs),
                "--warmup", str(warmup), "--export-json", out.name]
        subprocess.run(args + [cmd], check=True, stdout=subprocess.DEVNULL)
        return json.load(open(out.name))["results"][0]["times"]


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


def measure(case: str, entries: list, runs: int, warmup: int) -> list:
    """Times every (tool, cmd) of one case in rounds that take turns, so that load
    from elsewhere on the machine falls on all tools alike; then one peak-memory run each."""
    rounds = max(1, min(runs, 5))
    times = [[] for _ in entries]
    for r in range(rounds):
        per_round = runs // rounds + (1 if r < runs % rounds else 0)
        for i, (_, cmd) in enumerate(entries):
            times[i] += hyperfine(cmd, per_round, warmup if r == 0 else 0)
    out = []
    for (tool, cmd), t in zip(entries, times):
        stats = {"min": min(t), "median": statistics.median(t), "max": max(t), "runs": len(t), "peak": peak_kib(cmd)}
        rows.append([case, tool, stats, ""])
        print(f"  {case:<28} {tool:<34} median {fmt_time(stats['median']):>9}  peak {stats['peak'] / 1024:.1f} MiB",
              file=sys.stderr, flush=True)
        out.append(stats)
    return out


def ratio(ours: dict, theirs: dict) -> float:
    return ours["median"] / theirs["median"]


def set_ratio(stats: dict, ours: dict) -> None:
    for row in rows:
        if row[2] is stats:
            r = ratio(ours, stats)
            row[3] = f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def hsm_rows() -> None:
    """Batch 1,000 RS256/ES256 with the bench's key files imported into a fresh
    SoftHSM2 token, against the same key files, in the same rounds."""
    hsm = os.path.join(WORK, "softhsm")
    tokens = os.path.join(hsm, "tokens")
    subprocess.run(["rm", "-rf", hsm], check=True)
    os.makedirs(tokens)
    conf = os.path.join(hsm, "softhsm2.conf")
    with open(conf, "w") as f:
        f.write(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    pin = os.path.join(hsm, "pin")
    with open(pin, "w") as f:
        f.write("1234\n")
    os.environ["SOFTHSM2_CONF"] = conf  # inherited by hyperfine and the runs
    sh("softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234", "--so-pin", "5678")
    n = 1000
    lines = lines_file(n)
    for i, alg in enumerate(["RS256", "ES256"]):
        label = alg.lower()
        sh("softhsm2-util", "--import", key_file(alg), "--token", "bench", "--label", label,
           "--id", f"0{i + 1}", "--pin", "1234")
        uri = f"pkcs11:token=bench;object={label}?module-path={SOFTHSM}&pin-source=file:{pin}"
        file_stats, token_stats = measure(f"{n:,} tokens {alg}, key in file vs SoftHSM2", [
            ("agentos-auth mint --batch, key file", f"{BIN} mint --key {key_file(alg)} --alg {alg} --aud {OS_ID} --scopes agents:read --batch {lines}"),
            ("agentos-auth mint --batch, SoftHSM2 key", f"{BIN} mint --key '{uri}' --alg {alg} --aud {OS_ID} --scopes agents:read --batch {lines}"),
        ], batch_runs_hsm(), 1)
        for row in rows:
            if row[2] is token_stats:
                row[3] = f"token ÷ file: {ratio(token_stats, file_stats):.2f}×"


def batch_runs_hsm() -> int:
    return 3 if QUICK else 10


def main() -> None:
    single_runs, single_warm = (30, 5) if QUICK else (100, 10)
    sizes = [1000, 10_000]
    batch_runs = {1000: 3 if QUICK else 10, 10_000: 1 if QUICK else 3}
    keygen_runs = 10 if QUICK else 15
    exp = int(time.time()) + 86_400
    if ONLY == "hsm":
        hsm_rows()
        print_table()
        return

    # The floor: starting any process at all on this machine.
    measure("process start", [("/bin/true", "/bin/true")], single_runs, single_warm)
    claims_file = os.path.join(WORK, "claims.json")
    with open(claims_file, "w") as f:
        json.dump({"sub": "u1", "aud": OS_ID, "iat": exp - 86_400, "exp": exp, "scopes": ["agents:read"]}, f)
    for alg in ["RS256", "ES256", "HS256"]:
        k, kid = key_file(alg), kid_of(alg)
        entries = [("agentos-auth mint", f"{BIN} mint --key {k} --alg {alg} --aud {OS_ID} --sub u1 --scopes agents:read")]
        if JWT_CLI:
            # jwt-cli adds iat itself; exp either from its -e option (parsing "+1h"
            # costs it a few ms) or precomputed in the JSON (its fastest use).
            claims = json.dumps({"sub": "u1", "aud": OS_ID, "scopes": ["agents:read"]}, separators=(",", ":"))
            entries.append(("jwt-cli `jwt encode -e=+1h`", f"{JWT_CLI} encode -A {alg} -S @{k} --kid={kid} -e=+1h '{claims}'"))
            claims = json.dumps({"sub": "u1", "aud": OS_ID, "exp": exp, "scopes": ["agents:read"]}, separators=(",", ":"))
            entries.append(("jwt-cli `jwt encode`, exp in JSON", f"{JWT_CLI} encode -A {alg} -S @{k} --kid={kid} '{claims}'"))
        if GO_JWT:
            entries.append(("Go jwt (Debian `jwt`)", f"{GO_JWT} -key {k} -alg {alg} -header kid={kid} -sign {claims_file}"))
        ours, *theirs = measure(f"1 token {alg}", entries, single_runs, single_warm)
        for t in theirs:
            set_ratio(t, ours)
        if JWT_CLI:
            with_e, fast = theirs[0], theirs[1]
            targets.append((f"single mint {alg} ≤ 0.5× jwt-cli: {ratio(ours, with_e):.2f}× with -e=+1h, "
                            f"{ratio(ours, fast):.2f}× with exp precomputed",
                            ratio(ours, with_e) <= 0.5 and ratio(ours, fast) <= 0.5))

    pem_median = {}
    for alg in ["RS256", "ES256", "HS256"]:
        k, kid = key_file(alg), kid_of(alg)
        for n in sizes:
            lines = lines_file(n)
            case = f"{n:,} tokens {alg}"
            runs, warm = batch_runs[n], (1 if n <= 1000 else 0)
            ours, pre = measure(case, [
                ("agentos-auth mint --batch", f"{BIN} mint --key {k} --alg {alg} --aud {OS_ID} --scopes agents:read --batch {lines}"),
                ("PyJWT loop, key loaded once", f"{PYTHON} {HERE}/pyjwt_loop.py {alg} {k} {kid} {lines} preloaded"),
            ], runs, warm)
            set_ratio(pre, ours)
            if alg != "HS256":  # an HS256 secret is a string either way
                # Parsing the PEM per token is slow (RSA: tens of ms per token, as
                # cryptography checks the private key each time): fewer runs, and the
                # 10,000 row only when the 1,000 row took under 5 s.
                tool = "PyJWT loop, PEM string per call"
                if pem_median.get(alg, 0) > 5:
                    rows.append([case, tool, None, f"not run: ~{pem_median[alg] * n / 1000:.0f} s per run"])
                else:
                    [pem] = measure(case, [(tool, f"{PYTHON} {HERE}/pyjwt_loop.py {alg} {k} {kid} {lines} pem")],
                                    min(runs, 3), 0)
                    set_ratio(pem, ours)
                    pem_median[alg] = pem["median"]
            if alg == "RS256" and n == 1000:
                targets.append((f"1,000 RS256 batch ≤ 0.4× preloaded PyJWT: {ratio(ours, pre):.2f}×", ratio(ours, pre) <= 0.4))
            if alg == "ES256" and n == 10_000:
                targets.append((f"10,000 ES256 batch ≤ 0.5 s: {fmt_time(ours['median'])}", ours["median"] <= 0.5))
            targets.append((f"peak memory {n:,} {alg} batch ≤ 10 MiB: {ours['peak'] / 1024:.1f} MiB", ours["peak"] <= 10 * 1024))

    # The same keys in a PKCS#11 token (SoftHSM2): signing happens in the token.
    hsm_rows()

    # Bounded memory: a million HS256 lines, one run.
    n = 1_000_000
    lines = lines_file(n)
    k = key_file("HS256")
    [ours] = measure(f"{n:,} tokens HS256", [
        ("agentos-auth mint --batch", f"{BIN} mint --key {k} --alg HS256 --aud {OS_ID} --scopes agents:read --batch {lines}"),
    ], 1, 0)
    targets.append((f"peak memory {n:,} HS256 batch ≤ 10 MiB: {ours['peak'] / 1024:.1f} MiB", ours["peak"] <= 10 * 1024))

    out_dir = os.path.join(WORK, "keygen")
    os.makedirs(out_dir, exist_ok=True)
    for bits in [2048, 4096]:
        ours, theirs = measure(f"RSA-{bits} keygen", [
            ("agentos-auth keygen", f"{BIN} --quiet keygen --alg RS256 --bits {bits} --out-dir {out_dir} --name ours --force"),
            ("openssl genpkey", f"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:{bits} -out {out_dir}/openssl.pem"),
        ], keygen_runs if bits == 2048 else 10, 1)
        set_ratio(theirs, ours)
        if bits == 2048:
            targets.append((f"RSA-2048 keygen median ≤ openssl's: {ratio(ours, theirs):.2f}×", ratio(ours, theirs) <= 1))

    singles = [r for r in rows if r[0].startswith("1 token") and r[1].startswith("agentos-auth")]
    worst = max(r[2]["peak"] for r in singles)
    targets.append((f"peak memory single mint ≤ 10 MiB: {worst / 1024:.1f} MiB", worst <= 10 * 1024))
    print_table()


def print_table() -> None:
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
    if targets:
        print()
        print("Targets:")
        for text, ok in targets:
            print(f"- {'met' if ok else 'MISSED'}: {text}")


if __name__ == "__main__":
    main()
