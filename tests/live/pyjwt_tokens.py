"""Tokens made by PyJWT itself for tests/interop/live.rs: payloads strict JSON
forbids but Python's json.loads takes, b64=false, non-integer times, bad UTF-8.

    .venv-live/bin/python tests/live/pyjwt_tokens.py SECRET KID... > tokens.json

stdout: {"case": "token", ...}. HS256 with SECRET; `kid:<KID>` cases carry that kid.
"""

import json
import sys

from jwt.api_jws import PyJWS

secret, kids = sys.argv[1], sys.argv[2:]
good = {"sub": "alice", "scopes": ["agents:read"]}
text = json.dumps(good)


def sign(payload: bytes, headers=None, detached=False) -> str:
    return PyJWS().encode(payload, secret, algorithm="HS256", headers=headers, is_payload_detached=detached)


def nest(depth: int) -> bytes:
    # depth levels in all: the outer object and depth-1 arrays inside it
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return ('{"sub":"alice","scopes":["agents:read"],"deep":' + inner + "}").encode()


tokens = {
    "utf8-bom": sign(b"\xef\xbb\xbf" + text.encode()),
    "utf16-bom": sign(text.encode("utf-16")),
    "utf16-le": sign(text.encode("utf-16-le")),
    "utf32-be": sign(text.encode("utf-32-be")),
    "lone-surrogate-escape": sign(b'{"sub":"al\\ud800ice","scopes":["agents:read"]}'),
    "encoded-surrogate": sign(b'{"sub":"al\xed\xa0\x80ice","scopes":["agents:read"]}'),
    "exp-nan": sign(b'{"sub":"alice","scopes":["agents:read"],"exp":NaN}'),
    "exp-1e400": sign(b'{"sub":"alice","scopes":["agents:read"],"exp":1e400}'),
    "exp-big-int": sign(b'{"sub":"alice","scopes":["agents:read"],"exp":1' + b"0" * 400 + b"}"),
    "bad-utf8-start": sign(b'{"sub":"\xff","scopes":["agents:read"]}'),
    "bad-utf8-continuation": sign(b'{"sub":"\xe2\x82A","scopes":["agents:read"]}'),
    "bad-utf8-end": sign(b'{"sub":"alice","scopes":["agents:read"],"x":"\xe2\x82'),
    "nested-500": sign(nest(500)),
    "nested-2000": sign(nest(2000)),
    "b64-false-detached": sign(text.encode(), headers={"b64": False}, detached=True),
}
h, _, s = tokens["b64-false-detached"].split(".")
import base64

tokens["b64-false-inline"] = h + "." + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=") + "." + s
for kid in kids:
    tokens["kid:" + kid] = sign(text.encode(), headers={"kid": kid})
print(json.dumps(tokens))
