//! `agentos-auth verify` against the real AgentOS: the same tokens go to a real
//! `AgentOS(...).get_app()` (agno 3.1.10 under Starlette's TestClient, through the
//! harness) and to the `verify` binary, and both must give the same status
//! (200/401/403) and the same `detail`. One harness process serves every case
//! (one app per distinct config). Needs the venv from `.ci/setup-venv`: without it
//! this test fails, it never skips.
//!
//! Time: the harness runs right after minting, on its real clock, and says in which
//! second it sent each request; `verify` then runs with `--at` set to that second, so
//! a slow machine cannot turn a boundary case into a disagreement. "exp within
//! leeway" is minted 1 s in the past (accepted for 9 s), "iat/nbf within leeway" 9 s
//! ahead (accepted from then on).

use crate::common;

use std::path::Path;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::{bin, harness, write};
use serde_json::{json, Map, Value};

const OS_ID: &str = "test-os";

struct Keys {
    rsa1: Key,
    rsa2: Key,
    ec: Key,
    hs: Key,
}

/// A JWT with exactly this header and these claims.
fn jwt(key: &Key, header: Value, claims: Value) -> String {
    let (Value::Object(h), Value::Object(c)) = (header, claims) else {
        panic!("header and claims must be objects")
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

/// A token AgentOS accepts under config A, with `change` applied to the claims
/// (`null` removes a claim).
fn claims_with(now: i64, change: Value) -> Value {
    let mut c: Map<String, Value> = json!({
        "sub": "alice", "aud": OS_ID, "iat": now, "exp": now + 3600,
        "scopes": ["agent_os:admin"],
    })
    .as_object()
    .unwrap()
    .clone();
    for (k, v) in change.as_object().unwrap() {
        if v.is_null() {
            c.remove(k);
        } else {
            c.insert(k.clone(), v.clone());
        }
    }
    Value::Object(c)
}

fn hdr(alg: &str, kid: Option<&str>) -> Value {
    match kid {
        Some(k) => json!({"alg": alg, "typ": "JWT", "kid": k}),
        None => json!({"alg": alg, "typ": "JWT"}),
    }
}

/// One AgentOS configuration: what the harness builds, and the same thing said to `verify`.
struct Setup {
    name: &'static str,
    config: Value,
    verify_args: Vec<String>,
    verify_env: Vec<(String, String)>,
}

struct Case {
    setup: usize,
    name: String,
    token: String,
    method: &'static str,
    path: &'static str,
}

fn path_arg(p: &Path) -> String {
    p.display().to_string()
}

fn setups(dir: &Path, k: &Keys) -> Vec<Setup> {
    let pem = |key: &Key| key.public_key_pem().unwrap();
    let rsa1_pem = pem(&k.rsa1);
    let rsa1 = write(dir, "rsa1.pub.pem", &rsa1_pem);
    let ec = write(dir, "ec.pub.pem", &pem(&k.ec));
    let secret = k.hs.secret().unwrap().to_string();
    let hs = write(dir, "hs.secret", &secret);
    let mangled_text = rsa1_pem.replace('\n', "\\n");
    let mangled = write(dir, "mangled.pem", &mangled_text);
    let jwk =
        |key: &Key, kid: Option<&str>| serde_json::to_value(key.public_jwk(kid).unwrap()).unwrap();
    let jwks_kids = write(
        dir,
        "jwks-kids.json",
        &json!({"keys": [jwk(&k.rsa1, Some("k1")), jwk(&k.rsa2, Some("k2"))]}).to_string(),
    );
    let jwks_default = write(
        dir,
        "jwks-default.json",
        &json!({"keys": [jwk(&k.rsa1, Some("k1")), jwk(&k.rsa2, None)]}).to_string(),
    );
    let rsa2 = write(dir, "rsa2.pub.pem", &pem(&k.rsa2));
    let private_jwk = |key: &Key, kid: &str| {
        let mut v = python_private_jwk(key);
        v["kid"] = json!(kid);
        v
    };
    let jwks_private = write(
        dir,
        "jwks-private.json",
        &json!({"keys": [private_jwk(&k.rsa2, "p1"), jwk(&k.rsa1, Some("k1"))]}).to_string(),
    );
    let jwks_ec_private = write(
        dir,
        "jwks-ec-private.json",
        &json!({"keys": [private_jwk(&k.ec, "e1")]}).to_string(),
    );
    let jwks_k2 = write(
        dir,
        "jwks-k2.json",
        &json!({"keys": [jwk(&k.rsa2, Some("k2"))]}).to_string(),
    );
    let mut rs512 = jwk(&k.rsa1, Some("r512"));
    rs512["alg"] = json!("RS512");
    let jwks_odd = write(
        dir,
        "jwks-odd.json",
        &json!({"keys": [rs512, jwk(&k.ec, Some("e1"))]}).to_string(),
    );
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        Setup {
            name: "A: RS256, JWT_VERIFICATION_KEY, verify_audience",
            config: json!({"algorithm": "RS256", "verify_audience": true, "os_id": OS_ID,
                           "env": {"JWT_VERIFICATION_KEY": rsa1_pem}}),
            verify_args: s(&["--aud", OS_ID]),
            verify_env: vec![("JWT_VERIFICATION_KEY".into(), pem(&k.rsa1))],
        },
        Setup {
            name: "B: ES256 static key, audience not verified",
            config: json!({"algorithm": "ES256", "verification_keys": [pem(&k.ec)], "os_id": OS_ID}),
            verify_args: vec![
                "--alg".into(),
                "ES256".into(),
                "--key".into(),
                path_arg(&ec),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "C: HS256 secret",
            config: json!({"algorithm": "HS256", "verification_keys": [secret], "os_id": OS_ID}),
            verify_args: vec![
                "--alg".into(),
                "HS256".into(),
                "--key".into(),
                path_arg(&hs),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "D: JWKS, every key with a kid",
            config: json!({"jwks_file": path_arg(&jwks_kids), "os_id": OS_ID}),
            verify_args: vec!["--jwks".into(), path_arg(&jwks_kids)],
            verify_env: vec![],
        },
        Setup {
            name: "E: JWKS with a kid-less default key",
            config: json!({"env": {"JWT_JWKS_FILE": path_arg(&jwks_default)}, "os_id": OS_ID}),
            verify_args: vec![],
            verify_env: vec![("JWT_JWKS_FILE".into(), path_arg(&jwks_default))],
        },
        Setup {
            name: "F: static keys [PEM with literal \\n, good PEM]",
            config: json!({"verification_keys": [mangled_text, rsa1_pem], "os_id": OS_ID}),
            verify_args: vec![
                "--key".into(),
                path_arg(&mangled),
                "--key".into(),
                path_arg(&rsa1),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "G: issuer pinned, Authorization API",
            config: json!({"api": "authorization", "issuer": "https://idp.example",
                           "verification_keys": [pem(&k.rsa1)], "os_id": OS_ID}),
            verify_args: vec![
                "--key".into(),
                path_arg(&rsa1),
                "--iss".into(),
                "https://idp.example".into(),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "H: ES256 server, RS256 key in JWT_VERIFICATION_KEY",
            config: json!({"algorithm": "ES256", "os_id": OS_ID, "env": {"JWT_VERIFICATION_KEY": pem(&k.rsa1)}}),
            verify_args: s(&["--alg", "ES256"]),
            verify_env: vec![("JWT_VERIFICATION_KEY".into(), pem(&k.rsa1))],
        },
        Setup {
            name: "I: JWKS with a private RSA JWK and a public one",
            config: json!({"jwks_file": path_arg(&jwks_private), "os_id": OS_ID}),
            verify_args: vec!["--jwks".into(), path_arg(&jwks_private)],
            verify_env: vec![],
        },
        Setup {
            name: "J: ES256 JWKS holding a private EC JWK",
            config: json!({"algorithm": "ES256", "jwks_file": path_arg(&jwks_ec_private), "os_id": OS_ID}),
            verify_args: vec![
                "--alg".into(),
                "ES256".into(),
                "--jwks".into(),
                path_arg(&jwks_ec_private),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "K: static keys [other RSA key, right key]",
            config: json!({"verification_keys": [pem(&k.rsa2), pem(&k.rsa1)], "os_id": OS_ID}),
            verify_args: vec![
                "--key".into(),
                path_arg(&rsa2),
                "--key".into(),
                path_arg(&rsa1),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "L: HS256 server given a PEM",
            config: json!({"algorithm": "HS256", "verification_keys": [pem(&k.rsa1)], "os_id": OS_ID}),
            verify_args: vec![
                "--alg".into(),
                "HS256".into(),
                "--key".into(),
                path_arg(&rsa1),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "M: explicit audience",
            config: json!({"verify_audience": true, "audience": "custom-aud", "verification_keys": [pem(&k.rsa1)], "os_id": OS_ID}),
            verify_args: vec![
                "--key".into(),
                path_arg(&rsa1),
                "--aud".into(),
                "custom-aud".into(),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "N: JWKS (k2) plus a static key (key 1)",
            config: json!({"jwks_file": path_arg(&jwks_k2), "verification_keys": [pem(&k.rsa1)], "os_id": OS_ID}),
            verify_args: vec![
                "--key".into(),
                path_arg(&rsa1),
                "--jwks".into(),
                path_arg(&jwks_k2),
            ],
            verify_env: vec![],
        },
        Setup {
            name: "O: JWKS odd members (alg RS512, EC key on an RS256 server)",
            config: json!({"jwks_file": path_arg(&jwks_odd), "os_id": OS_ID}),
            verify_args: vec!["--jwks".into(), path_arg(&jwks_odd)],
            verify_env: vec![],
        },
    ]
}

fn cases(k: &Keys, now: i64) -> Vec<Case> {
    let mut out = Vec::new();
    let mut add =
        |setup: usize, name: &str, token: String, method: &'static str, path: &'static str| {
            out.push(Case {
                setup,
                name: name.to_string(),
                token,
                method,
                path,
            });
        };
    let rs = |change: Value| jwt(&k.rsa1, hdr("RS256", None), claims_with(now, change));
    let cfg = "GET";
    // A: algorithms, time claims, audience, subjects, scopes.
    add(0, "good token", rs(json!({})), cfg, "/config");
    add(
        0,
        "exp 1 h past",
        rs(json!({"exp": now - 3600})),
        cfg,
        "/config",
    );
    add(
        0,
        "exp 11 s past",
        rs(json!({"exp": now - 11})),
        cfg,
        "/config",
    );
    add(
        0,
        "exp 1 s past, within leeway",
        rs(json!({"exp": now - 1})),
        cfg,
        "/config",
    );
    add(0, "no exp", rs(json!({"exp": null})), cfg, "/config");
    add(
        0,
        "iat 1 h ahead",
        rs(json!({"iat": now + 3600})),
        cfg,
        "/config",
    );
    add(
        0,
        "iat 9 s ahead, within leeway",
        rs(json!({"iat": now + 9})),
        cfg,
        "/config",
    );
    add(
        0,
        "nbf 1 h ahead",
        rs(json!({"nbf": now + 3600})),
        cfg,
        "/config",
    );
    add(
        0,
        "nbf 9 s ahead, within leeway",
        rs(json!({"nbf": now + 9})),
        cfg,
        "/config",
    );
    add(
        0,
        "iat ahead and exp past: iat wins",
        rs(json!({"iat": now + 3600, "exp": now - 3600})),
        cfg,
        "/config",
    );
    add(
        0,
        "exp past and aud wrong: exp wins",
        rs(json!({"exp": now - 3600, "aud": "other"})),
        cfg,
        "/config",
    );
    add(
        0,
        "iat not a number",
        rs(json!({"iat": "soon"})),
        cfg,
        "/config",
    );
    add(
        0,
        "aud list with a match",
        rs(json!({"aud": ["x", OS_ID]})),
        cfg,
        "/config",
    );
    add(0, "aud missing", rs(json!({"aud": null})), cfg, "/config");
    add(
        0,
        "aud wrong",
        rs(json!({"aud": "other-os"})),
        cfg,
        "/config",
    );
    add(0, "aud empty list", rs(json!({"aud": []})), cfg, "/config");
    add(
        0,
        "sub sa:bot",
        rs(json!({"sub": "sa:bot"})),
        cfg,
        "/config",
    );
    add(
        0,
        "sub __oauth__:client",
        rs(json!({"sub": "__oauth__:client"})),
        cfg,
        "/config",
    );
    add(
        0,
        "sub __scheduler__",
        rs(json!({"sub": "__scheduler__"})),
        cfg,
        "/config",
    );
    add(
        0,
        "sub SA:bot (case-sensitive)",
        rs(json!({"sub": "SA:bot"})),
        cfg,
        "/config",
    );
    add(0, "sub not a string", rs(json!({"sub": 5})), cfg, "/config");
    add(0, "no sub", rs(json!({"sub": null})), cfg, "/config");
    add(
        0,
        "reserved sub and aud wrong: aud wins",
        rs(json!({"sub": "sa:x", "aud": "nope"})),
        cfg,
        "/config",
    );
    add(
        0,
        "admin runs an agent",
        rs(json!({})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "global agents:run",
        rs(json!({"scopes": ["agents:run"]})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "per-resource run, other agent",
        rs(json!({"scopes": ["agents:other-agent:run"]})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "per-resource run, this agent",
        rs(json!({"scopes": ["agents:my-agent:run"]})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "wildcard agents:*:run",
        rs(json!({"scopes": ["agents:*:run"]})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "agents:read cannot run",
        rs(json!({"scopes": ["agents:read"]})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "per-resource read, this agent",
        rs(json!({"scopes": ["agents:my-agent:read"]})),
        "GET",
        "/agents/my-agent",
    );
    add(
        0,
        "per-resource read, other agent",
        rs(json!({"scopes": ["agents:my-agent:read"]})),
        "GET",
        "/agents/other-agent",
    );
    add(
        0,
        "per-resource read lists",
        rs(json!({"scopes": ["agents:my-agent:read"]})),
        "GET",
        "/agents",
    );
    add(
        0,
        "legacy system:read for config",
        rs(json!({"scopes": ["system:read"]})),
        cfg,
        "/config",
    );
    add(
        0,
        "config:write is not config:read",
        rs(json!({"scopes": ["config:write"]})),
        cfg,
        "/config",
    );
    add(
        0,
        "scopes as one string",
        rs(json!({"scopes": "agents:read"})),
        "GET",
        "/agents",
    );
    add(
        0,
        "scopes as a space-separated string",
        rs(json!({"scopes": "agents:read sessions:read"})),
        "GET",
        "/agents",
    );
    add(
        0,
        "no scopes claim",
        rs(json!({"scopes": null})),
        "GET",
        "/agents",
    );
    add(
        0,
        "empty scopes on a team run",
        rs(json!({"scopes": []})),
        "POST",
        "/teams/my-team/runs",
    );
    add(
        0,
        "sessions:read on sessions",
        rs(json!({"scopes": ["sessions:read"]})),
        "GET",
        "/sessions",
    );
    add(
        0,
        "open route without scopes",
        rs(json!({"scopes": []})),
        "GET",
        "/health",
    );
    add(
        0,
        "signed by another RSA key",
        jwt(&k.rsa2, hdr("RS256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    add(
        0,
        "ES256 token, RS256 server",
        jwt(&k.ec, hdr("ES256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    add(
        0,
        "HS256 token, RS256 server",
        jwt(&k.hs, hdr("HS256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    add(
        0,
        "kid is a number",
        jwt(
            &k.rsa1,
            json!({"alg": "RS256", "kid": 5}),
            claims_with(now, json!({})),
        ),
        cfg,
        "/config",
    );
    add(0, "not a JWT", "not-a-token".to_string(), cfg, "/config");
    add(
        0,
        "bad header base64",
        "!!.e30.c2ln".to_string(),
        cfg,
        "/config",
    );
    add(
        0,
        "service-account token",
        "agno_pat_abc123".to_string(),
        cfg,
        "/config",
    );
    // B: ES256.
    let ec = |change: Value| jwt(&k.ec, hdr("ES256", Some("e1")), claims_with(now, change));
    add(1, "ES256 good", ec(json!({})), cfg, "/config");
    add(
        1,
        "ES256, wrong aud, audience not verified",
        ec(json!({"aud": "other"})),
        cfg,
        "/config",
    );
    add(
        1,
        "ES256 server, RS256 token",
        rs(json!({})),
        cfg,
        "/config",
    );
    add(
        1,
        "ES256 expired",
        ec(json!({"exp": now - 100})),
        cfg,
        "/config",
    );
    // C: HS256.
    let hs_claims = claims_with(now, json!({}));
    add(
        2,
        "HS256 good",
        jwt(&k.hs, hdr("HS256", None), hs_claims.clone()),
        cfg,
        "/config",
    );
    let newline = Key::parse(
        format!(
            "{{\"kty\":\"oct\",\"k\":\"{}\"}}",
            base64url(&format!("{}\n", k.hs.secret().unwrap()))
        )
        .as_bytes(),
        &agentos_auth::keys::ParseOptions {
            source: "test",
            alg: None,
        },
    )
    .unwrap();
    add(
        2,
        "HS256 signed with secret + newline",
        jwt(&newline, hdr("HS256", None), hs_claims.clone()),
        cfg,
        "/config",
    );
    add(
        2,
        "HS256 server, RS256 token",
        rs(json!({})),
        cfg,
        "/config",
    );
    let hs_good = jwt(&k.hs, hdr("HS256", None), claims_with(now, json!({})));
    add(
        2,
        "signature with '=' padding",
        format!("{hs_good}="),
        cfg,
        "/config",
    );
    add(
        2,
        "signature with '==' padding",
        format!("{hs_good}=="),
        cfg,
        "/config",
    );
    // D: JWKS, all keys with kid.
    let rk = |key: &Key, kid: Option<&str>, change: Value| {
        jwt(key, hdr("RS256", kid), claims_with(now, change))
    };
    add(
        3,
        "kid k1 signed by key 1",
        rk(&k.rsa1, Some("k1"), json!({})),
        cfg,
        "/config",
    );
    add(
        3,
        "kid k2 signed by key 2",
        rk(&k.rsa2, Some("k2"), json!({})),
        cfg,
        "/config",
    );
    add(3, "no kid", rk(&k.rsa1, None, json!({})), cfg, "/config");
    add(
        3,
        "unknown kid",
        rk(&k.rsa1, Some("nope"), json!({})),
        cfg,
        "/config",
    );
    add(
        3,
        "kid k1 signed by key 2",
        rk(&k.rsa2, Some("k1"), json!({})),
        cfg,
        "/config",
    );
    add(
        3,
        "kid k1 expired",
        rk(&k.rsa1, Some("k1"), json!({"exp": now - 100})),
        cfg,
        "/config",
    );
    add(
        3,
        "kid k1, scope too small",
        rk(&k.rsa1, Some("k1"), json!({"scopes": ["agents:read"]})),
        cfg,
        "/config",
    );
    // E: JWKS with a default key.
    add(
        4,
        "no kid, default key signs",
        rk(&k.rsa2, None, json!({})),
        cfg,
        "/config",
    );
    add(
        4,
        "unknown kid falls back to default",
        rk(&k.rsa2, Some("nope"), json!({})),
        cfg,
        "/config",
    );
    add(
        4,
        "kid k1",
        rk(&k.rsa1, Some("k1"), json!({})),
        cfg,
        "/config",
    );
    add(
        4,
        "no kid, signed by key 1",
        rk(&k.rsa1, None, json!({})),
        cfg,
        "/config",
    );
    // F: a mangled static key first.
    add(
        5,
        "good token, mangled first key",
        rs(json!({})),
        cfg,
        "/config",
    );
    // G: issuer.
    add(
        6,
        "iss matches",
        rs(json!({"iss": "https://idp.example"})),
        cfg,
        "/config",
    );
    add(
        6,
        "iss wrong",
        rs(json!({"iss": "https://evil.example"})),
        cfg,
        "/config",
    );
    add(6, "no iss", rs(json!({})), cfg, "/config");
    // H: key type does not fit the algorithm.
    add(
        7,
        "ES256 token, RSA key on an ES256 server",
        ec(json!({})),
        cfg,
        "/config",
    );
    // I: a private RSA JWK breaks only the tokens that select it.
    add(
        8,
        "kid of the private JWK",
        rk(&k.rsa2, Some("p1"), json!({})),
        cfg,
        "/config",
    );
    add(
        8,
        "kid of the public JWK",
        rk(&k.rsa1, Some("k1"), json!({})),
        cfg,
        "/config",
    );
    // J: an EC private JWK still verifies (PyJWT uses its public half).
    add(
        9,
        "kid of the private EC JWK",
        jwt(&k.ec, hdr("ES256", Some("e1")), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    // K: static keys are tried in order.
    add(
        10,
        "second static key verifies",
        rs(json!({})),
        cfg,
        "/config",
    );
    add(
        10,
        "neither static key",
        jwt(&k.ec, hdr("RS256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    // L: an HS256 server refuses a PEM as its secret.
    add(
        11,
        "HS256 token, PEM secret",
        jwt(&k.hs, hdr("HS256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    // M: the configured audience, not the os id.
    add(
        12,
        "aud = configured audience",
        rs(json!({"aud": "custom-aud"})),
        cfg,
        "/config",
    );
    add(
        12,
        "aud = os id, audience configured",
        rs(json!({})),
        cfg,
        "/config",
    );
    // N: JWKS first, then static keys.
    add(
        13,
        "unknown kid, static key verifies",
        rk(&k.rsa1, Some("nope"), json!({})),
        cfg,
        "/config",
    );
    add(
        13,
        "kid k2 but signed by the static key",
        rk(&k.rsa1, Some("k2"), json!({})),
        cfg,
        "/config",
    );
    add(
        13,
        "kid k2 signed by k2",
        rk(&k.rsa2, Some("k2"), json!({})),
        cfg,
        "/config",
    );
    add(
        13,
        "kid k2 expired",
        rk(&k.rsa2, Some("k2"), json!({"exp": now - 100})),
        cfg,
        "/config",
    );
    add(
        13,
        "no kid, signed by neither",
        jwt(&k.ec, hdr("RS256", None), claims_with(now, json!({}))),
        cfg,
        "/config",
    );
    // O: JWK members agno tolerates or trips over.
    add(
        14,
        "JWK with alg RS512 verifies RS256",
        rk(&k.rsa1, Some("r512"), json!({})),
        cfg,
        "/config",
    );
    add(
        14,
        "RS256 token selecting an EC JWK",
        rk(&k.rsa1, Some("e1"), json!({})),
        cfg,
        "/config",
    );
    // Router gates behind the middleware.
    add(
        0,
        "read-only on an agent's runs list",
        rs(json!({"scopes": ["agents:my-agent:read"]})),
        "GET",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "cancel with this agent's run scope",
        rs(json!({"scopes": ["agents:my-agent:run"]})),
        "POST",
        "/agents/my-agent/runs/r1/cancel",
    );
    add(
        0,
        "team listing with a team scope",
        rs(json!({"scopes": ["teams:my-team:read"]})),
        "GET",
        "/teams",
    );
    add(
        0,
        "workflow run with wildcard",
        rs(json!({"scopes": ["workflows:*:run"]})),
        "POST",
        "/workflows/my-workflow/runs",
    );
    add(
        0,
        "run scope does not list",
        rs(json!({"scopes": ["agents:my-agent:run"]})),
        "GET",
        "/agents",
    );
    add(
        0,
        "resume needs the router's run check",
        rs(json!({"scopes": []})),
        "POST",
        "/agents/my-agent/runs/r1/resume",
    );
    add(
        0,
        "wildcard read on a workflow",
        rs(json!({"scopes": ["workflows:*:read"]})),
        "GET",
        "/workflows/my-workflow",
    );
    add(
        0,
        "sessions:read cannot delete",
        rs(json!({"scopes": ["sessions:read"]})),
        "DELETE",
        "/sessions/s1",
    );
    add(
        0,
        "teams:read as a string",
        rs(json!({"scopes": "teams:read"})),
        "GET",
        "/teams",
    );
    add(
        0,
        "admin plus a non-string scope",
        rs(json!({"scopes": ["agent_os:admin", 5]})),
        "GET",
        "/config",
    );
    add(
        0,
        "scopes as an object",
        rs(json!({"scopes": {"agents:read": true}})),
        "GET",
        "/agents",
    );
    add(
        0,
        "per-resource run as a string",
        rs(json!({"scopes": "agents:my-agent:run"})),
        "POST",
        "/agents/my-agent/runs",
    );
    add(
        0,
        "trailing slash on a listing",
        rs(json!({"scopes": ["agents:my-agent:read"]})),
        "GET",
        "/agents/",
    );
    add(
        0,
        "unmapped route, no scopes",
        rs(json!({"scopes": []})),
        "GET",
        "/models",
    );
    out
}

/// The private JWK of `key`, as PyJWT writes it (this tool never prints one).
fn python_private_jwk(key: &Key) -> Value {
    let pem = key.private_key_pem().unwrap();
    let script = "import sys, json\n\
from cryptography.hazmat.primitives.serialization import load_pem_private_key\n\
from jwt.algorithms import RSAAlgorithm, ECAlgorithm\n\
k = load_pem_private_key(sys.stdin.read().encode(), None)\n\
alg = RSAAlgorithm if hasattr(k, 'private_numbers') and hasattr(k.private_numbers(), 'p') else ECAlgorithm\n\
print(alg.to_jwk(k))\n";
    let out = assert_cmd::Command::new(common::venv_python())
        .args(["-c", script])
        .write_stdin(pem.as_bytes())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn base64url(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s.as_bytes())
}

/// cryptography prints a generator's address in one message: compare without it.
fn normalize(detail: &str) -> String {
    match (detail.find(" at 0x"), detail.find(">, got:")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &detail[..a], &detail[b..]),
        _ => detail.to_string(),
    }
}

#[test]
fn verify_agrees_with_real_agentos() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys {
        rsa1: Key::generate(Alg::RS256, 2048).unwrap(),
        rsa2: Key::generate(Alg::RS256, 2048).unwrap(),
        ec: Key::generate(Alg::ES256, 0).unwrap(),
        hs: Key::generate(Alg::HS256, 0).unwrap(),
    };
    let setups = setups(dir.path(), &keys);
    let now = agentos_auth::time::now();
    let cases = cases(&keys, now);
    assert!(cases.len() >= 30, "{} cases", cases.len());

    // 1. The real AgentOS first (right after minting), one document per setup, in order.
    let docs: Vec<Value> = setups
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let requests: Vec<Value> = cases
                .iter()
                .filter(|c| c.setup == i)
                .map(|c| json!({"method": c.method, "path": c.path, "token": c.token}))
                .collect();
            json!({"mode": "agentos", "config": s.config, "requests": requests})
        })
        .collect();
    let answers = harness(&Value::Array(docs));

    // Each case's answer, in the order the harness sent them.
    let mut next = vec![0usize; setups.len()];
    let real: Vec<&Value> = cases
        .iter()
        .map(|c| {
            let r = &answers[c.setup]["responses"][next[c.setup]];
            next[c.setup] += 1;
            r
        })
        .collect();

    // 2. verify, with its clock set to the second AgentOS judged the request in (a
    //    loaded machine may reach a boundary case seconds after minting).
    let ours: Vec<(i64, Option<String>, Value)> = cases
        .iter()
        .zip(&real)
        .map(|(c, r)| {
            let s = &setups[c.setup];
            let at = r["sent_at"].as_i64().unwrap_or(now);
            let mut cmd = bin();
            cmd.arg("verify").arg(&c.token).args(&s.verify_args);
            cmd.args(["--request", &format!("{} {}", c.method, c.path)]);
            cmd.args(["--at", &format!("@{at}"), "--json"]);
            for (k, v) in &s.verify_env {
                cmd.env(k, v);
            }
            let o = cmd.output().unwrap();
            let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
                panic!(
                    "{}: verify printed no JSON ({e}): {}",
                    c.name,
                    String::from_utf8_lossy(&o.stderr)
                )
            });
            let status = v["status"].as_i64().unwrap();
            let want_code = match status {
                401 => 10,
                403 => 11,
                _ => 0,
            };
            assert_eq!(
                o.status.code(),
                Some(want_code),
                "{}: exit code for {v}",
                c.name
            );
            (status, v["detail"].as_str().map(str::to_string), v)
        })
        .collect();

    // 3. Compare.
    let mut diffs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for ((c, (status, detail, verdict)), r) in cases.iter().zip(&ours).zip(&real) {
        let answer = &answers[c.setup];
        assert!(
            answer["startup_error"].is_null(),
            "{}: {}",
            setups[c.setup].name,
            answer["startup_error"]
        );
        let real = r["status"].as_i64().unwrap();
        // 401/403 are auth answers; anything else means auth let the request through.
        let real_auth = if real == 401 || real == 403 {
            real
        } else {
            200
        };
        let real_detail = r["detail"].as_str().map(normalize);
        let mut bad = real_auth != *status;
        if real_auth != 200 && real_detail != detail.as_deref().map(normalize) {
            bad = true;
        }
        if real_auth == 200 && c.method == "GET" && c.path == "/agents" {
            if let Some(ids) = verdict.get("visible_ids").and_then(Value::as_array) {
                let real_ids = r["ids"].as_array().cloned().unwrap_or_default();
                let visible: Vec<&Value> = real_ids.iter().filter(|i| ids.contains(i)).collect();
                bad |= visible.len() != real_ids.len();
            }
        }
        seen.insert(real_auth);
        eprintln!("{real_auth} {:<45} {}", c.name, r["detail"]);
        if bad {
            diffs.push(format!(
                "[{}] {}: AgentOS {real} {:?} (ids {}), verify {status} {:?}",
                setups[c.setup].name, c.name, r["detail"], r["ids"], detail
            ));
        }
        if *status != 200 {
            assert!(
                verdict["fix"].as_str().is_some_and(|f| !f.is_empty()),
                "{}: no fix: {verdict}",
                c.name
            );
            assert!(!verdict["reason"]
                .as_str()
                .unwrap_or_default()
                .contains('\n'));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} of {} cases differ:\n{}",
        diffs.len(),
        cases.len(),
        diffs.join("\n")
    );
}
