"""The Python way to mint many AgentOS tokens, for the benchmark: PyJWT in a loop.

usage: pyjwt_loop.py ALG KEY_FILE KID LINES.jsonl preloaded|pem

Each input line is a JSON object of claims (as for `agentos-auth mint --batch`); the
loop adds aud, iat, exp and writes one token per line, like our batch does.
- preloaded: the key object is loaded once (the fastest fair Python);
- pem: the PEM string is passed to every jwt.encode call, as the PyJWT docs show,
  so PyJWT parses the key for every token.
"""

import json
import sys
import time

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key


def main() -> None:
    alg, key_file, kid, lines_file, mode = sys.argv[1:6]
    with open(key_file, "rb") as f:
        raw = f.read()
    if alg == "HS256":
        key = raw.decode()  # the secret string, as AgentOS uses it
    elif mode == "preloaded":
        key = load_pem_private_key(raw, password=None)
    else:
        key = raw.decode()
    out = sys.stdout
    headers = {"kid": kid}
    with open(lines_file) as f:
        for line in f:
            claims = json.loads(line)
            now = int(time.time())
            claims.setdefault("aud", "bench-os")
            claims["iat"] = now
            claims["exp"] = now + 3600
            out.write(jwt.encode(claims, key, algorithm=alg, headers=headers))
            out.write("\n")


if __name__ == "__main__":
    main()
