"""A real AgentOS for the live-server tests (tests/interop/live.rs), served by uvicorn:

    LIVE_OS_ID=live-os JWT_JWKS_FILE=jwks.json .venv-live/bin/python -m uvicorn \
        --app-dir tests/live app:app --host 127.0.0.1 --port 0

Configured from the environment only, as a deployment would be: JWT_JWKS_FILE /
JWT_VERIFICATION_KEY (read by agno itself), LIVE_OS_ID (the AgentOS id), LIVE_ALG
(Authorization(algorithm=...), default RS256), LIVE_DB (a SQLite file: mounts the
routers that need a database, /eval-runs and /schedules among them), LIVE_MOUNT (a path:
the AgentOS app mounted there in a bare FastAPI app, `app.mount(LIVE_MOUNT, ...)`),
LIVE_MCP=1 (AgentOS(mcp=True): its MCP server; needs fastmcp, which the version venv
.venvs/agno-3.1.10 has). No model is ever reached: the agent's model points at a closed
loopback port.
"""

import os

from agno.agent import Agent
from agno.models.openai import OpenAIChat
from agno.os import AgentOS
from agno.os.authz import Authorization

os.environ.setdefault("AGNO_TELEMETRY", "false")
model = OpenAIChat(id="gpt-4o", api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=5)
agents = [
    Agent(id="my-agent", name="My Agent", model=model, telemetry=False),
    Agent(id="other-agent", name="Other Agent", model=model, telemetry=False),
]
db = None
if os.environ.get("LIVE_DB"):
    from agno.db.sqlite import SqliteDb

    db = SqliteDb(db_file=os.environ["LIVE_DB"])
agent_os = AgentOS(
    id=os.environ.get("LIVE_OS_ID", "live-os"),
    db=db,
    agents=agents,
    telemetry=False,
    authorization=Authorization(algorithm=os.environ.get("LIVE_ALG", "RS256")),
    **({"mcp": True} if os.environ.get("LIVE_MCP") else {}),
)
app = agent_os.get_app()
if os.environ.get("LIVE_MOUNT"):
    from fastapi import FastAPI

    parent = FastAPI()
    parent.mount(os.environ["LIVE_MOUNT"], app)
    app = parent
