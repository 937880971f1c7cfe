#!/usr/bin/env python3
"""A real AgentOS with managed roles under uvicorn on 127.0.0.1, for `verify --url`.

stdin: one roles-harness document ({"secret", "roles"}; see roles_harness.py). The
server binds a free port (port 0), prints it as one line on stdout, and serves until
stdin closes (the test's end, pass or fail), then exits.
"""

import json
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    # The port is the only thing on stdout; agno's logs go to stderr.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    doc = json.loads(sys.stdin.readline())
    import uvicorn

    from roles_harness import _build

    app = _build(doc)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))

    def stop_when_stdin_closes():
        sys.stdin.read()
        server.should_exit = True

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    answer.write(f"{sock.getsockname()[1]}\n")
    answer.flush()
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    os._exit(code)
