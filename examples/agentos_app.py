"""A minimal AgentOS with JWT authorization, for the README's Quick start.

It starts with no LLM API key and no network: the agent has no model until a run asks
for one, and telemetry is off. What it needs (agno[os] alone is not enough):

    pip install "agno[os]==3.1.10" cryptography openai

- cryptography: RS256/ES256 verification in PyJWT (without it every token gets 401
  "Algorithm not supported");
- openai: an Agent without a model imports agno's default model, OpenAI's.

AgentOS reads JWT_VERIFICATION_KEY (or JWT_JWKS_FILE) from the process environment;
it loads no .env file itself. Listens on 127.0.0.1:7777 (AGENT_OS_HOST /
AGENT_OS_PORT, which agno's serve() reads, change that).
"""

from agno.agent import Agent
from agno.os import AgentOS

agent = Agent(id="my-agent", name="My agent", telemetry=False)

agent_os = AgentOS(
    id="my-agent-os",  # the audience tokens carry: agentos-auth keygen --aud my-agent-os
    agents=[agent],
    authorization=True,  # RS256 unless Authorization(algorithm=...) says otherwise
    telemetry=False,
)
app = agent_os.get_app()

if __name__ == "__main__":
    agent_os.serve(app=app, host="127.0.0.1", port=7777)
