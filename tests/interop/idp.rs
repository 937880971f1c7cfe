//! A real OpenID provider (panva oidc-provider, `.ci/setup-oidc-provider`) over TLS on
//! 127.0.0.1 with a throwaway CA made by openssl for this test, and a real AgentOS (agno
//! 3.1.10, `.ci/setup-live-venv`) configured with what `doctor --issuer` prints, used
//! literally. The provider's client-credentials tokens reach AgentOS through `jwks sync`:
//! 200; the provider rotates its key (restart, new key only): AgentOS, not restarted,
//! answers 401 and `verify` says so; `jwks sync` adds the new kid, removes the old one and
//! runs `--on-change` once; AgentOS restarted: 200. `doctor --issuer` also reads the
//! provider's tokens in Okta's, Entra ID's and Cognito's shapes (extra claims per
//! client). Two provider starts, two AgentOS starts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use agentos_auth::http;
use serde_json::{json, Value};

use crate::common::{bin, manifest_dir, stderr};
use crate::server::{live_python, Server};

const PROVIDER_MARKER: &str = "oidc-provider listening on https://127.0.0.1:";
const UVICORN_MARKER: &str = "Uvicorn running on http://127.0.0.1:";
const CLIENT_SECRET: &str = "a-client-secret-long-enough-for-hs256-x";

fn oidc_dir() -> PathBuf {
    manifest_dir().join("tests/interop/oidc")
}

fn node() -> PathBuf {
    let installed = oidc_dir().join("node_modules/oidc-provider/package.json");
    assert!(
        installed.exists(),
        "oidc-provider missing: run .ci/setup-oidc-provider (looked for {})",
        installed.display()
    );
    PathBuf::from("node")
}

fn run_ok(cmd: &mut Command) -> Output {
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A CA and a server certificate for 127.0.0.1 signed by it, in `dir`: (ca.pem, key, cert).
pub(crate) fn throwaway_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |n: &str| dir.join(n);
    let openssl = |args: &[&str]| run_ok(Command::new("openssl").args(args).current_dir(dir));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=agentos-auth test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(p("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "ext.cnf",
    ]);
    (p("ca.pem"), p("server.key"), p("server.pem"))
}

/// A private JWK from Node's crypto (the provider's own key format).
pub(crate) fn new_key(alg: &str, kid: &str) -> Value {
    let script = oidc_dir().join("provider.mjs");
    let o = run_ok(
        Command::new(node())
            .arg(&script)
            .args(["--new-key", alg, kid]),
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

pub(crate) struct Provider {
    pub(crate) server: Server,
    pub(crate) issuer: String,
}

/// Starts the provider with `keys` (the first RSA key signs) on `port` (0: any; a restart
/// passes the old port so that the issuer stays the same).
pub(crate) fn provider(
    dir: &Path,
    tls: &(PathBuf, PathBuf, PathBuf),
    keys: &[&Value],
    port: u16,
) -> Provider {
    let cfg = json!({
        "port": port,
        "tls": {"key": tls.1, "cert": tls.2},
        "alg": "RS256",
        "keys": keys,
        "audience": "agentos-idp-test",
        "scope": "agents:read",
        // Auth0's RBAC shape: the scopes as a `permissions` list (and a string `scope`).
        "clients": [
            {"client_id": "svc", "client_secret": CLIENT_SECRET, "claims": {"permissions": ["agents:read"]}},
            // Okta's scp list, Entra ID app roles, Cognito groups: doctor --issuer's other answers.
            {"client_id": "okta", "client_secret": CLIENT_SECRET, "claims": {"scp": ["agents:read"], "cid": "okta"}},
            {"client_id": "entra", "client_secret": CLIENT_SECRET, "claims": {"roles": ["Agent.Reader"], "tid": "t", "oid": "o"}},
            {"client_id": "cognito", "client_secret": CLIENT_SECRET, "claims": {"cognito:groups": ["readers"]}},
        ],
    });
    let path = dir.join("provider.json");
    std::fs::write(&path, cfg.to_string()).unwrap();
    let script = oidc_dir().join("provider.mjs");
    let server = Server::start(
        &node(),
        &[script.to_str().unwrap(), path.to_str().unwrap()],
        &[],
        PROVIDER_MARKER,
    );
    let issuer = server.url.replacen("http://", "https://", 1);
    Provider { server, issuer }
}

fn https(ca: &Path) -> http::Client {
    agentos_auth::provider::fetch::client(Duration::from_secs(30), Some(ca.to_path_buf()), "--from")
        .unwrap()
}

/// A client-credentials access token of client `svc` from the provider's token endpoint.
pub(crate) fn access_token(p: &Provider, ca: &Path) -> String {
    token_of(p, ca, "svc")
}

/// A client-credentials access token of `client` (see [`provider`]'s clients).
pub(crate) fn token_of(p: &Provider, ca: &Path, client: &str) -> String {
    let body = format!("grant_type=client_credentials&client_id={client}&client_secret={CLIENT_SECRET}&scope=agents%3Aread");
    let r = https(ca)
        .run(
            "POST",
            &format!("{}/token", p.issuer),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(body.as_bytes()),
        )
        .unwrap_or_else(|f| panic!("token endpoint: {}; log:\n{}", f.error, p.server.log()));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    v["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access_token: {v}"))
        .to_string()
}

fn tool(args: &[&str]) -> Output {
    bin()
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(o)))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// GET /agents with the token: (status, detail).
fn get_agents(agentos: &Server, token: &str) -> (u16, String) {
    let client = http::Client::new(http::Options {
        timeout: Duration::from_secs(60),
        ca_file: None,
        body_limit: 1 << 20,
        plain_http: http::PlainHttp::LoopbackOnly,
        redirects: 0,
        peer: http::Peer {
            what: "AgentOS",
            flag: "--url",
            start_hint: "",
            ca_file_flag: None,
        },
    })
    .unwrap();
    let bearer = format!("Bearer {token}");
    let r = client
        .get(
            &format!("{}/agents", agentos.url),
            &[("Authorization", &bearer)],
        )
        .unwrap();
    let detail = serde_json::from_slice::<Value>(&r.body)
        .ok()
        .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    (r.status, detail)
}

/// AgentOS (agno 3.1.10) with the printed configuration pasted after its constructor.
fn agentos(dir: &Path, printed: &str) -> Server {
    let app = format!(
        "{}\n{printed}",
        r#"from agno.agent import Agent
from agno.models.openai import OpenAIChat
from agno.os import AgentOS

model = OpenAIChat(id="gpt-4o", api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=5)
agent_os = AgentOS(id="idp-os", agents=[Agent(id="my-agent", model=model, telemetry=False)], telemetry=False)
"#
    );
    std::fs::write(dir.join("idp_app.py"), app).unwrap();
    let args = [
        "-m",
        "uvicorn",
        "--app-dir",
        dir.to_str().unwrap(),
        "idp_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-access-log",
    ];
    Server::start(&live_python(".venv-live"), &args, &[], UVICORN_MARKER)
}

#[test]
fn provider_tokens_reach_agentos_through_jwks_sync_across_a_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tls = throwaway_ca(d);
    let ca = tls.0.to_str().unwrap().to_string();
    let (k1, e1, k2) = (
        new_key("RS256", "k1"),
        new_key("ES256", "e1"),
        new_key("RS256", "k2"),
    );
    let p = provider(d, &tls, &[&k1, &e1], 0);
    let issuer = p.issuer.clone();
    let port: u16 = issuer.rsplit(':').next().unwrap().parse().unwrap();
    let jwks = d.join("jwks.json");
    let j = jwks.to_str().unwrap();
    let marker = d.join("restarts");
    let on_change = format!(
        "echo \"$AGENTOS_AUTH_ADDED|$AGENTOS_AUTH_REMOVED\" >> '{}'",
        marker.display()
    );
    let sync = |alg: &str, file: &str| {
        json_of(&tool(&[
            "jwks",
            "sync",
            "--from",
            &issuer,
            "--jwks",
            file,
            "--ca-file",
            &ca,
            "--alg",
            alg,
            "--json",
            "--on-change",
            &on_change,
        ]))
    };

    // ES256: only the EC key of the provider's JWKS.
    let es = d.join("es.json");
    let out = sync("ES256", es.to_str().unwrap());
    assert_eq!(strings(&out["added"]), ["e1"]);
    assert_eq!(out["dropped"][0]["kid"], "k1");
    // RS256, what the provider signs with.
    let out = sync("RS256", j);
    assert_eq!(strings(&out["added"]), ["k1"]);
    assert_eq!(out["dropped"][0]["kid"], "e1");

    let token = access_token(&p, &tls.0);
    let o = tool(&[
        "doctor",
        "--issuer",
        &issuer,
        "--ca-file",
        &ca,
        "--token",
        &token,
        "--jwks",
        j,
        "--json",
    ]);
    let cfg = json_of(&o);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(cfg["scopes_claim"], "permissions");
    assert_eq!(cfg["audience"], json!(["agentos-idp-test"]));
    let printed = cfg["python"].as_str().unwrap().to_string();
    // The other shapes, from the same real provider: the claim AgentOS must read.
    for (client, scopes_claim, roles_claim, define_role) in [
        ("okta", "scp", None, None),
        (
            "entra",
            "scopes",
            Some("roles"),
            Some("authorization.define_role(\"Agent.Reader\""),
        ),
        (
            "cognito",
            "scopes",
            Some("cognito:groups"),
            Some("authorization.define_role(\"readers\""),
        ),
    ] {
        let t = token_of(&p, &tls.0, client);
        let cfg = json_of(&tool(&[
            "doctor",
            "--issuer",
            &issuer,
            "--ca-file",
            &ca,
            "--token",
            &t,
            "--json",
        ]));
        assert_eq!(
            (cfg["scopes_claim"].as_str(), cfg["roles_claim"].as_str()),
            (Some(scopes_claim), roles_claim),
            "{client}: {cfg}"
        );
        if let Some(line) = define_role {
            assert!(
                cfg["python"].as_str().unwrap().contains(line),
                "{client}: {}",
                cfg["python"]
            );
        }
    }

    let os = agentos(d, &printed);
    assert_eq!(
        get_agents(&os, &token),
        (200, String::new()),
        "log:\n{}",
        os.log()
    );
    // verify agrees, with the same settings.
    let verify = |token: &str| {
        tool(&[
            "verify",
            token,
            "--jwks",
            j,
            "--iss",
            &issuer,
            "--aud",
            "agentos-idp-test",
            "--scopes-claim",
            "permissions",
            "--request",
            "GET /agents",
        ])
    };
    assert_eq!(
        verify(&token).status.code(),
        Some(0),
        "{}",
        stderr(&verify(&token))
    );

    // Rotation: the provider restarts with a new key only; AgentOS still has k1 alone.
    drop(p);
    let p = provider(d, &tls, &[&k2], port);
    assert_eq!(p.issuer, issuer, "the same issuer after the restart");
    let rotated = access_token(&p, &tls.0);
    // agno's JWTValidator: a kid not in the JWKS leaves no key to try.
    assert_eq!(
        get_agents(&os, &rotated),
        (
            401,
            "Invalid token: No verification keys configured".to_string()
        )
    );
    let o = verify(&rotated);
    assert_eq!(
        o.status.code(),
        Some(10),
        "verify must agree with the 401: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("kid") || String::from_utf8_lossy(&o.stdout).contains("kid"),
        "{}",
        stderr(&o)
    );

    let sync = || {
        json_of(&tool(&[
            "jwks",
            "sync",
            "--from",
            &issuer,
            "--jwks",
            j,
            "--ca-file",
            &ca,
            "--json",
            "--on-change",
            &on_change,
        ]))
    };
    let out = sync();
    assert_eq!(
        (strings(&out["added"]), strings(&out["removed"])),
        (vec!["k2"], vec!["k1"])
    );
    // Nothing new: no second run of the command.
    let out = sync();
    assert_eq!(out["changed"], false);
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap(),
        "e1|\nk1|\nk2|k1\n"
    );

    // AgentOS reads the JWKS when it starts: the restart the command stands for.
    drop(os);
    let os = agentos(d, &printed);
    assert_eq!(
        get_agents(&os, &rotated),
        (200, String::new()),
        "log:\n{}",
        os.log()
    );
    assert_eq!(verify(&rotated).status.code(), Some(0));
    assert_eq!(get_agents(&os, &token).0, 401, "k1 is gone");
}
