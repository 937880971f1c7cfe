//! Issue 21, item 3, against the real AgentOS (agno 3.1.10 under TestClient, through the
//! harness): the warning `verify` prints for a token whose `aud` is not the key store's
//! says what AgentOS answers with `verify_audience=True`, and the real app answers
//! exactly that 401; with `verify_audience` off (the default) it answers 200, as `verify`
//! says. Needs the venv from `.ci/setup-venv`: without it this test fails.

use std::path::Path;
use std::process::Output;

use crate::common::{bin, harness, write};
use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use serde_json::{json, Value};

const OS_ID: &str = "os";

fn jwt(key: &Key, claims: Value) -> String {
    let (Value::Object(h), Value::Object(c)) = (json!({"alg": "RS256", "typ": "JWT"}), claims)
    else {
        unreachable!()
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

fn verify(home: &Path, token: &str, public: &Path) -> Output {
    bin()
        .arg("--home")
        .arg(home)
        .args(["verify", token, "--request", "GET /agents", "--key"])
        .arg(public)
        .output()
        .unwrap()
}

#[test]
fn the_warned_401_is_what_agno_answers_with_verify_audience() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    // A key store whose aud is the AgentOS id: what keygen --aud stores.
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["keygen", "--aud", OS_ID])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let key = Key::generate(Alg::RS256, 2048).unwrap();
    let pem = key.public_key_pem().unwrap();
    let public = write(t.path(), "rsa.pub.pem", &pem);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = |aud: Option<&str>| {
        let mut c =
            json!({"sub": "alice", "iat": now, "exp": now + 3600, "scopes": ["agents:read"]});
        if let Some(a) = aud {
            c["aud"] = json!(a);
        }
        c
    };
    let tokens = [
        ("another audience", jwt(&key, claims(Some("other")))),
        ("no aud", jwt(&key, claims(None))),
    ];
    let config = |verify_audience: bool| {
        json!({"mode": "agentos",
               "config": {"algorithm": "RS256", "verification_keys": [pem],
                          "verify_audience": verify_audience, "os_id": OS_ID},
               "requests": tokens.iter().map(|(_, t)| json!({"method": "GET", "path": "/agents", "token": t})).collect::<Vec<_>>()})
    };
    let answers = harness(&json!([config(true), config(false)]));
    let (strict, default) = (&answers[0]["responses"], &answers[1]["responses"]);
    for (i, (name, token)) in tokens.iter().enumerate() {
        assert_eq!(strict[i]["status"], 401, "{name}: {}", strict[i]);
        assert_eq!(default[i]["status"], 200, "{name}: {}", default[i]);
        let detail = strict[i]["detail"].as_str().unwrap();

        let o = verify(&home, token, &public);
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        // verify's answer is the default app's: 200.
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        assert!(out.starts_with("200: "), "{name}: {out}");
        // One warning line, quoting the detail of the real 401.
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.starts_with("warning: ")
                && err.contains("with verify_audience=True and audience \"os\"")
                && err.contains(&format!("AgentOS answers 401 {detail:?}")),
            "{name}: real 401 {detail:?}, warning {err}"
        );
    }
}
