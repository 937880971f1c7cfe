//! `inspect`: a token decoded without verification, times made readable.

use crate::common;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::bin;
use serde_json::{json, Value};

fn jwt(claims: Value) -> String {
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let Value::Object(c) = claims else { panic!() };
    let h = token::header(&key.signer().unwrap(), Some("k1"));
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

fn inspect(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut c = bin();
    c.arg("inspect").args(args).env("TZ", "UTC");
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn shows_header_claims_times_scopes() {
    let now = agentos_auth::time::now();
    let t = jwt(
        json!({"sub": "alice", "aud": "os", "iat": now - 600, "exp": now + 42 * 60 + 30,
                       "scopes": ["agents:read", "agents:my-agent:run"]}),
    );
    let (code, out, err) = inspect(&[&t], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  alg: HS256\n"), "{out}");
    assert!(out.contains("  kid: k1\n"));
    assert!(out.contains("  sub: alice\n"));
    assert!(out.contains("expires in 42m"), "{out}");
    assert!(out.contains("issued 10m ago"), "{out}");
    assert!(out.contains(&format!(
        "{} UTC",
        agentos_auth::time::rfc3339(now + 42 * 60 + 30)
    )));
    assert!(out.contains(" local"));
    assert!(
        out.contains("scopes:\n  agents:read\n  agents:my-agent:run\n"),
        "{out}"
    );
    assert!(out.contains("not verified"));
}

#[test]
fn expired_and_string_scopes() {
    let now = agentos_auth::time::now();
    let t = jwt(json!({"exp": now - 3 * 3600 - 5, "scopes": "agents:read sessions:read"}));
    let (code, out, _) = inspect(&[&t], None);
    assert_eq!(code, 0);
    assert!(out.contains("expired 3h ago"), "{out}");
    assert!(out.contains("ONE scope"), "{out}");
    let t = jwt(json!({"sub": "x"}));
    let (_, out, _) = inspect(&[&t], None);
    assert!(out.contains("scopes: (none"), "{out}");
}

#[test]
fn json_and_stdin() {
    let now = agentos_auth::time::now();
    let t = jwt(json!({"exp": now + 3600, "scopes": ["a:b"]}));
    let (code, out, _) = inspect(&["--json"], Some(&format!("Bearer {t}\n")));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["header"]["alg"], "HS256");
    assert_eq!(v["claims"]["exp"], now + 3600);
    assert_eq!(v["times"]["exp"]["relative"], "in 1h");
    assert_eq!(
        v["times"]["exp"]["utc"],
        agentos_auth::time::rfc3339(now + 3600)
    );
    assert_eq!(v["scopes"], json!(["a:b"]));
    let (code, _, _) = inspect(&["-"], Some(&t));
    assert_eq!(code, 0);
}

#[test]
fn garbage_is_one_line_naming_the_part() {
    for (input, part) in [
        ("abc", "expected 3 dot-separated segments, found 1"),
        ("a.b.c.d", "found 4"),
        ("!!!.e30.c2ln", "header is not valid base64url"),
        ("bm90anNvbg.e30.c2ln", "header is not valid JSON"),
        ("e30.bm90anNvbg.c2ln", "payload is not valid JSON"),
        ("e30.e30.!!!", "signature is not valid base64url"),
    ] {
        let (code, out, err) = inspect(&[input], None);
        assert_eq!(code, 1, "{input}");
        assert_eq!(out, "");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(part), "{input}: {err}");
    }
    let (code, _, err) = inspect(&[], Some(""));
    assert_eq!(code, 1);
    assert!(err.contains("no token given"));
}
