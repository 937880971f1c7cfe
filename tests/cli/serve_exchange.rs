//! `serve --exchange`: RFC 8693 token exchange against an identity provider stub on
//! 127.0.0.1 (the canned server of tests/cli/jwks_sync.rs: discovery and JWKS), with
//! subject tokens signed here by the library: trusted ones become AgentOS tokens (sub
//! from the subject, scopes through the map, lifetime never past the subject's exp);
//! expired, foreign, forged, wrongly addressed or reserved ones get RFC errors.

use serde_json::{json, Map, Value};

use agentos_auth::keys::{Alg, Key};

use super::jwks_sync::{json_reply, Stub};
use super::serve_support::{basic, Serve};
use crate::common::{assert_one_line_error, bin_at, ok_stdout};

const AUD: &str = "agentos-exchange";
const GRANT: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";
const JWT_TYPE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn sign(key: &Key, kid: &str, claims: Value) -> String {
    let signer = key.signer().unwrap();
    let mut header = agentos_auth::token::header(&signer, Some(kid));
    header.insert("typ".into(), "at+jwt".into());
    let claims: Map<String, Value> = claims.as_object().unwrap().clone();
    agentos_auth::token::encode(&header, &claims, &signer).unwrap()
}

/// An identity provider stub publishing `key` as `kid`, and a key store (audience
/// `my-os`) with the client `gateway` (`client_args` after `clients add gateway`):
/// (provider, temp dir, store, gateway's secret).
fn provider_and_store(
    key: &Key,
    kid: &str,
    client_args: &[&str],
) -> (Stub, tempfile::TempDir, std::path::PathBuf, String) {
    let idp = Stub::start();
    let jwk = serde_json::to_value(key.public_jwk(Some(kid)).unwrap()).unwrap();
    idp.set(
        "/.well-known/openid-configuration",
        json_reply(&json!({"issuer": idp.url, "jwks_uri": format!("{}/jwks", idp.url)})),
    );
    idp.set("/jwks", json_reply(&json!({"keys": [jwk]})));
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("s");
    ok_stdout(bin_at(&home).args(["keygen", "--aud", "my-os"]));
    let out = ok_stdout(
        bin_at(&home)
            .args(["clients", "add", "gateway", "--json"])
            .args(client_args),
    );
    let secret = serde_json::from_str::<Value>(&out).unwrap()["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    (idp, dir, home, secret)
}

#[test]
fn trusted_subject_tokens_become_agentos_tokens_and_the_rest_are_refused() {
    let key = Key::generate(Alg::RS256, 2048).unwrap();
    let (idp, dir, home, secret) = provider_and_store(&key, "idp-1", &["--scopes", "agents:read"]);
    let file = crate::common::write(
        dir.path(),
        "exchange.json",
        &json!({"issuers": [{"issuer": idp.url, "audience": AUD, "scopes_claim": "groups",
            "map": {"readers": ["agents:read"], "runners": ["agents:run", "agents:read"]}}]})
        .to_string(),
    );
    let o = bin_at(&home)
        .args(["serve", "--check", "--exchange"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("1 exchange issuer(s)"),
        "{o:?}"
    );
    let srv = Serve::start(
        &home,
        &["--exchange", file.to_str().unwrap(), "--rate-limit", "0"],
    );
    let auth = basic("gateway", &secret);
    let exchange = |token: &str, extra: &str| {
        srv.token(
            &[&auth],
            &format!(
                "grant_type={GRANT}&subject_token={token}&subject_token_type={JWT_TYPE}{extra}"
            ),
        )
    };
    let t0 = now();
    let claims = |sub: &str, groups: Value, exp: i64| json!({"iss": idp.url, "aud": [AUD, "other"], "sub": sub, "groups": groups, "iat": t0, "exp": exp});

    // Trusted: sub from the subject, scopes through the map, exp never past the subject's.
    let subject = sign(
        &key,
        "idp-1",
        claims("alice", json!(["readers", "unmapped"]), t0 + 120),
    );
    let a = exchange(&subject, "");
    assert_eq!(a.status, 200, "{a:?}");
    let v = a.json();
    assert_eq!(
        v["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["scope"], "agents:read");
    let token = v["access_token"].as_str().unwrap().to_string();
    let c: Value = serde_json::from_str(&ok_stdout(
        bin_at(&home).args(["inspect", &token, "--json"]),
    ))
    .unwrap();
    assert_eq!(c["claims"]["sub"], "alice");
    assert_eq!(c["claims"]["aud"], "my-os");
    assert_eq!(c["claims"]["act"], json!({"sub": "gateway"}));
    assert!(c["claims"]["exp"].as_i64().unwrap() <= t0 + 120, "{c}");
    let o = bin_at(&home)
        .args(["verify", &token, "--request", "GET /agents"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    // A space-separated claim works too; a scope asked for narrows.
    let runner = sign(&key, "idp-1", claims("bob", json!("runners"), t0 + 600));
    let a = exchange(&runner, "&scope=agents%3Arun");
    assert_eq!(
        (a.status, a.json()["scope"].clone()),
        (200, json!("agents:run"))
    );

    // Refusals, each an RFC answer.
    let other = Key::generate(Alg::RS256, 2048).unwrap();
    let cases = [
        (
            exchange(&subject, "&scope=agents%3Arun"),
            400,
            "invalid_scope",
        ),
        (
            exchange(
                &sign(&key, "idp-1", claims("carol", json!(["nobody"]), t0 + 60)),
                "",
            ),
            400,
            "invalid_scope",
        ),
        (
            exchange(
                &sign(&key, "idp-1", claims("alice", json!(["readers"]), t0 - 10)),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (
            exchange(
                &sign(
                    &key,
                    "idp-1",
                    json!({"iss": idp.url, "aud": "elsewhere", "sub": "a", "groups": ["readers"], "exp": t0 + 60}),
                ),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (
            exchange(
                &sign(
                    &key,
                    "idp-1",
                    json!({"iss": "https://evil.example", "aud": AUD, "sub": "a", "groups": ["readers"], "exp": t0 + 60}),
                ),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (
            exchange(
                &sign(
                    &other,
                    "idp-1",
                    claims("mallory", json!(["runners"]), t0 + 60),
                ),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (
            exchange(
                &sign(
                    &other,
                    "forged",
                    claims("mallory", json!(["runners"]), t0 + 60),
                ),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (
            exchange(
                &sign(
                    &key,
                    "idp-1",
                    claims("__scheduler__", json!(["readers"]), t0 + 60),
                ),
                "",
            ),
            400,
            "invalid_grant",
        ),
        (exchange("not.a.jwt", ""), 400, "invalid_grant"),
        (
            srv.token(
                &[&auth],
                &format!("grant_type={GRANT}&subject_token={subject}"),
            ),
            400,
            "invalid_request",
        ),
        (
            srv.token(
                &[&auth],
                &format!("grant_type={GRANT}&subject_token_type={JWT_TYPE}"),
            ),
            400,
            "invalid_request",
        ),
        (
            srv.token(
                &[&basic("gateway", "wrong")],
                &format!(
                    "grant_type={GRANT}&subject_token={subject}&subject_token_type={JWT_TYPE}"
                ),
            ),
            401,
            "invalid_client",
        ),
    ];
    for (i, (a, status, code)) in cases.iter().enumerate() {
        assert_eq!(a.status, *status, "case {i}: {a:?}");
        a.assert_oauth_error(*status, code);
    }
    let meta = srv.get("/.well-known/oauth-authorization-server").json();
    assert_eq!(
        meta["grant_types_supported"][1],
        "urn:ietf:params:oauth:grant-type:token-exchange"
    );
    let log = srv.log_with(r#""path":"/.well-known/oauth-authorization-server""#);
    assert!(!log.contains(&subject) && !log.contains(&token) && !log.contains(&secret));
    assert!(log.contains(r#""grant":"token_exchange""#), "{log}");

    // An issuer that cannot be reached stops serve at start, in one line.
    let bad = crate::common::write(
        dir.path(),
        "bad.json",
        &json!({"issuers": [{"issuer": "http://127.0.0.1:9", "audience": AUD, "scopes_claim": "scp"}]}).to_string(),
    );
    let o = bin_at(&home)
        .args(["serve", "--check", "--exchange"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).lines().count(),
        1,
        "{o:?}"
    );
    let junk = crate::common::write(dir.path(), "junk.json", r#"{"issuers": [{"issuer": 1}]}"#);
    let o = bin_at(&home)
        .args(["serve", "--check", "--exchange"])
        .arg(&junk)
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "not a token-exchange file");
}

/// `roles_claim`/`roles_map`: the subject's provider groups become agno 3.1 roles in the
/// store's roles claim (the subject's roles, never the gateway client's), alone or beside
/// mapped scopes; a subject that maps to neither is refused; a map without its claim is a
/// configuration error.
#[test]
fn subject_groups_become_agno_roles() {
    let key = Key::generate(Alg::ES256, 0).unwrap();
    let (idp, dir, home, secret) = provider_and_store(
        &key,
        "idp-r",
        &["--scopes", "agents:read", "--roles", "gateway-role"],
    );
    let file = crate::common::write(
        dir.path(),
        "exchange.json",
        &json!({"issuers": [{"issuer": idp.url, "audience": AUD,
            "roles_claim": "realm_access.roles", "roles_map": {"ops": ["operator"], "staff": ["viewer", "operator"]},
            "scopes_claim": "scp"}]})
        .to_string(),
    );
    let srv = Serve::start(
        &home,
        &["--exchange", file.to_str().unwrap(), "--rate-limit", "0"],
    );
    let auth = basic("gateway", &secret);
    let t0 = now();
    let exchange = |claims: Value| {
        let token = sign(&key, "idp-r", claims);
        srv.token(
            &[&auth],
            &format!("grant_type={GRANT}&subject_token={token}&subject_token_type={JWT_TYPE}"),
        )
    };
    let claims_of = |a: &super::serve_support::Answer| -> Value {
        let token = a.json()["access_token"].as_str().unwrap().to_string();
        serde_json::from_str::<Value>(&ok_stdout(
            bin_at(&home).args(["inspect", &token, "--json"]),
        ))
        .unwrap()["claims"]
            .clone()
    };
    let base = |extra: Value| {
        let mut c = json!({"iss": idp.url, "aud": AUD, "sub": "dana", "exp": t0 + 300});
        c.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        c
    };

    // Roles only: the roles claim carries the mapped roles, in order, once; no scopes.
    let a = exchange(base(
        json!({"realm_access": {"roles": ["staff", "ops", "unmapped"]}}),
    ));
    assert_eq!(a.status, 200, "{a:?}");
    let c = claims_of(&a);
    assert_eq!(c["roles"], json!(["viewer", "operator"]), "{c}");
    assert!(c.get("scopes").is_none(), "{c}");
    assert_eq!(c["sub"], "dana");
    // Roles beside scopes: both claims.
    let a = exchange(base(
        json!({"realm_access": {"roles": ["ops"]}, "scp": "agents:read"}),
    ));
    assert_eq!(a.status, 200, "{a:?}");
    let c = claims_of(&a);
    assert_eq!(
        (c["roles"].clone(), c["scopes"].clone()),
        (json!(["operator"]), json!(["agents:read"])),
        "{c}"
    );
    // Scopes only: the gateway's own role never leaks into the subject's token.
    let a = exchange(base(json!({"scp": "agents:read"})));
    assert_eq!(a.status, 200, "{a:?}");
    let c = claims_of(&a);
    assert!(c.get("roles").is_none(), "{c}");
    // Neither: invalid_scope.
    exchange(base(json!({"realm_access": {"roles": ["nobody"]}})))
        .assert_oauth_error(400, "invalid_scope");

    // A map without the claim it maps, or no claim at all: one line, exit 1, before any
    // fetch (the issuer here is unreachable).
    for (config, needle) in [
        (
            json!({"roles_map": {"a": ["b"]}}),
            "roles_map without the claim",
        ),
        (json!({"map": {"a": ["b"]}}), "map without the claim"),
        (json!({}), "no claim to map"),
    ] {
        let mut issuer = json!({"issuer": "http://127.0.0.1:9", "audience": AUD});
        issuer
            .as_object_mut()
            .unwrap()
            .extend(config.as_object().unwrap().clone());
        let f = crate::common::write(
            dir.path(),
            "bad-roles.json",
            &json!({ "issuers": [issuer] }).to_string(),
        );
        let o = bin_at(&home)
            .args(["serve", "--check", "--exchange"])
            .arg(&f)
            .output()
            .unwrap();
        assert_one_line_error(&o, 1, needle);
    }
}
