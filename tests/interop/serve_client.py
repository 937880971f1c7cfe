"""A stock OAuth client (Authlib's httpx OAuth2Client) for tests/interop/serve.rs: it gets
client-credentials tokens from `agentos-auth serve` and calls a real AgentOS with them.

    .venv-serve/bin/python tests/interop/serve_client.py < request.json

request.json, "mode" "once": {"token_url", "client_id", "client_secret", "auth_method",
"scope" (or null), "ca_file", "agentos_url", "requests": [[METHOD, PATH], ...], and
optionally "grant_type" and "extra" (more form fields, e.g. RFC 8693's subject_token)}
-> {"token": {...as Authlib returns it...}, "statuses": [...]}

"mode" "loop": {"token_urls": [two replicas], "client_id", "client_secret", "ca_file",
"agentos_url_file", "stop_file", "out_file"}: until stop_file exists, a new token from each
replica in turn, then GET /agents with it at the URL agentos_url_file holds (re-read each
round, as a load balancer would learn of a restarted AgentOS). A refused connection to AgentOS (restarting) is
counted as "unreachable" and retried with the next token; any other answer than 200, and
any failed token request, is a failure. out_file always holds the running summary.
"""

import base64
import json
import os
import sys

import httpx
from authlib.integrations.httpx_client import OAuth2Client


def client(req, token_url=None, method=None):
    return OAuth2Client(
        client_id=req["client_id"],
        client_secret=req["client_secret"],
        token_endpoint_auth_method=method or req.get("auth_method", "client_secret_basic"),
        scope=req.get("scope"),
        verify=req["ca_file"],
        timeout=30,
    )


def kid_of(jwt):
    head = jwt.split(".")[0]
    head += "=" * (-len(head) % 4)
    return json.loads(base64.urlsafe_b64decode(head))["kid"]


def once(req):
    with client(req) as c:
        token = c.fetch_token(
            req["token_url"],
            grant_type=req.get("grant_type", "client_credentials"),
            **req.get("extra", {}),
        )
    statuses = []
    with httpx.Client(timeout=30) as h:
        for method, path in req["requests"]:
            r = h.request(
                method,
                req["agentos_url"] + path,
                headers={"Authorization": "Bearer " + token["access_token"]},
            )
            statuses.append(r.status_code)
    return {"token": dict(token), "statuses": statuses}


def loop(req):
    summary = {"ok_by_kid": {}, "by_replica": [0, 0], "failures": [], "unreachable": 0, "rounds": 0}

    def save():
        tmp = req["out_file"] + ".tmp"
        with open(tmp, "w") as f:
            json.dump(summary, f)
        os.replace(tmp, req["out_file"])

    clients = [client(req) for _ in req["token_urls"]]
    with httpx.Client(timeout=30) as h:
        i = 0
        while not os.path.exists(req["stop_file"]):
            replica = i % len(req["token_urls"])
            i += 1
            summary["rounds"] += 1
            try:
                token = clients[replica].fetch_token(
                    req["token_urls"][replica], grant_type="client_credentials"
                )
            except Exception as e:  # a failed token request is a failure, whatever it was
                summary["failures"].append({"replica": replica, "token_error": repr(e)[:300]})
                save()
                continue
            jwt = token["access_token"]
            try:
                with open(req["agentos_url_file"]) as f:
                    agentos_url = f.read().strip()
                r = h.get(
                    agentos_url + "/agents",
                    headers={"Authorization": "Bearer " + jwt},
                )
            except httpx.TransportError:
                summary["unreachable"] += 1
                save()
                continue
            kid = kid_of(jwt)
            if r.status_code == 200:
                summary["ok_by_kid"][kid] = summary["ok_by_kid"].get(kid, 0) + 1
                summary["by_replica"][replica] += 1
            else:
                summary["failures"].append(
                    {"replica": replica, "kid": kid, "status": r.status_code, "body": r.text[:300]}
                )
            save()
    for c in clients:
        c.close()
    save()
    return summary


def main():
    req = json.load(sys.stdin)
    out = once(req) if req["mode"] == "once" else loop(req)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
