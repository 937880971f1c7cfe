//! `verify --roles-file` against real agno 3.1.10 and 3.1.0 (the first release with roles)
//! `Authorization` with managed roles on a
//! real SQLite database (tests/interop/roles_harness.py, Starlette TestClient): every
//! config × token × route cell must give the same status (401/403, else "let through")
//! and the same 401/403 `detail`, and a served listing the same ids. Tokens are made by
//! PyJWT in the harness. 3.1.10 (the newest of its line) runs every cell; 3.1.0 a seeded
//! sample that still holds every pair of config, token and route (`plan`,
//! tests/interop/sampling.rs; `AGENTOS_AUTH_FULL_MATRIX=1` runs it whole too). The roles files cover roles defined and assigned, a default role (with
//! and without a user directory), deny entries, `roles_claim` as a list and as a string,
//! with and without `trust_token_scopes`, a custom `admin_scope`, `excluded_route_paths`.
//!
//! The matrix is decided by the library (`agentos::verify`, what `verify` runs);
//! a sample of cells also goes through the `verify` binary, which must agree with it.

use crate::common;
use crate::sampling;

use agentos_auth::agentos::deployment::parse_openapi;
use agentos_auth::agentos::roles::Policy;
use agentos_auth::agentos::Server;
use agentos_auth::agentos::{verify, Config, Request, StaticKey};
use agentos_auth::keys::Alg;
use common::{bin, harness_with, write};
use serde_json::{json, Value};

const SECRET: &str = "roles-interop-secret-0123456789abcdef";
const AGENTS: [&str; 2] = ["my-agent", "other-agent"];

fn roles_section() -> Value {
    json!({
        "admin": {"scopes": ["agent_os:admin"]},
        "viewer": {"scopes": ["agents:*:read", "teams:*:read"], "default": true},
        "runner": {"scopes": ["agents:*:read", "agents:*:run", "sessions:read"], "deny": ["agents:other-agent:run"]},
        "ops": {"scopes": ["sessions:read", "sessions:write", "config:read", "agents:my-agent:read"]},
        "hider": {"scopes": ["agents:read", "teams:read"], "deny": ["agents:other-agent:read"]},
        "scheduler": {"scopes": ["evals:write", "schedules:write", "agents:my-agent:run"]}
    })
}

/// (name, roles file).
fn configs() -> Vec<(&'static str, Value)> {
    let assign = json!({"carol": "runner", "root": "admin", "olga": "ops", "hank": "hider"});
    vec![
        (
            "stored+directory",
            json!({"roles": roles_section(), "assignments": assign, "user_directory": true}),
        ),
        (
            "claim-list",
            json!({"roles": roles_section(), "assignments": {"carol": "runner"}, "users": ["dave"], "roles_claim": "roles"}),
        ),
        (
            "claim-string+trust+admin_scope",
            json!({"roles": roles_section(), "assignments": {"carol": "runner"}, "user_directory": true,
                   "roles_claim": "role", "trust_token_scopes": true, "admin_scope": "myorg:admin"}),
        ),
        (
            "scopes-only+admin_scope+excluded",
            json!({"admin_scope": "myorg:admin", "excluded_route_paths": ["/config", "/agents/other-agent*"]}),
        ),
        // Custom scope_mappings with roles: agno's JWTMiddleware added by hand (3.1 takes
        // none with an Authorization), outside AgentOS's own layer.
        (
            "stored+scope_mappings",
            json!({"roles": roles_section(), "assignments": assign,
                   "scope_mappings": {"GET /custom/report": ["agents:read"], "GET /teams": [],
                                      "GET /agents": ["sessions:read"]}}),
        ),
        (
            "trust+scope_mappings",
            json!({"roles": roles_section(), "assignments": assign, "trust_token_scopes": true,
                   "roles_claim": "roles",
                   "scope_mappings": {"GET /custom/report": ["sessions:write"], "GET /config": []}}),
        ),
        (
            "trust+excluded",
            json!({"roles": roles_section(), "assignments": assign, "trust_token_scopes": true,
                   "roles_claim": "roles", "excluded_route_paths": ["/sessions"]}),
        ),
    ]
}

/// Token claims for a config (the roles claim under the config's claim name).
fn tokens(claim: &str, now: i64) -> Vec<(String, Value)> {
    let base = |sub: &str| json!({"sub": sub, "iat": now, "exp": now + 3600});
    let with = |sub: &str, k: &str, v: Value| {
        let mut c = base(sub);
        c[k] = v;
        c
    };
    let mut out: Vec<(String, Value)> = Vec::new();
    for sub in ["carol", "dave", "erin", "root", "olga", "hank", "viewer"] {
        out.push((format!("sub={sub}"), base(sub)));
    }
    let roles = [
        ("runner", json!(["runner"])),
        ("runner-string", json!("runner")),
        ("empty-list", json!([])),
        ("empty-string", json!("")),
        ("user-as-role", json!(["carol"])),
        ("viewer+runner", json!(["viewer", "runner"])),
        ("hider+ops", json!(["hider", "ops"])),
        ("undefined", json!(["nosuch"])),
        ("admin", json!(["admin"])),
        ("scheduler", json!(["scheduler"])),
    ];
    for (name, v) in roles {
        let sub = if name.starts_with("empty") {
            "carol"
        } else {
            "x1"
        };
        out.push((format!("sub={sub} {claim}={name}"), with(sub, claim, v)));
    }
    let scopes = [
        ("agent_os:admin", json!(["agent_os:admin"])),
        ("myorg:admin", json!(["myorg:admin"])),
        (
            "read+run-one",
            json!(["agents:read", "agents:my-agent:run"]),
        ),
        ("sessions-write", json!(["sessions:write", "sessions:read"])),
        (
            "evals+schedules+run-one",
            json!(["evals:write", "schedules:write", "agents:my-agent:run"]),
        ),
    ];
    for (name, v) in scopes {
        out.push((format!("sub=x2 scopes={name}"), with("x2", "scopes", v)));
    }
    out
}

/// Bodies for the routes whose handler checks them (`--body`).
const EVAL_MINE: &str =
    r#"{"agent_id": "my-agent", "eval_type": "accuracy", "input": "x", "expected_output": "y"}"#;
const EVAL_OTHER: &str =
    r#"{"agent_id": "other-agent", "eval_type": "accuracy", "input": "x", "expected_output": "y"}"#;
const SCHEDULE_RUN: &str = r#"{"name": "n", "cron_expr": "0 * * * *", "timezone": "UTC", "endpoint": "/agents/my-agent/runs", "method": "POST"}"#;
const SCHEDULE_OTHER: &str = r#"{"name": "n", "cron_expr": "0 * * * *", "timezone": "UTC", "endpoint": "/sessions", "method": "GET"}"#;

/// The requests: every plane's gate, the body gates, and a route the app lacks.
const BODY_ROUTES: &[(&str, &str, &str)] = &[
    ("POST", "/eval-runs", EVAL_MINE),
    ("POST", "/eval-runs", EVAL_OTHER),
    ("POST", "/schedules", SCHEDULE_RUN),
    ("POST", "/schedules", SCHEDULE_OTHER),
];

const ROUTES: &[(&str, &str)] = &[
    ("GET", "/agnets"),
    ("GET", "/agents"),
    ("GET", "/agents/my-agent"),
    ("GET", "/agents/other-agent"),
    ("POST", "/agents/my-agent/runs"),
    ("POST", "/agents/other-agent/runs"),
    ("GET", "/teams"),
    ("GET", "/teams/my-team"),
    ("POST", "/teams/my-team/runs"),
    ("GET", "/workflows"),
    ("GET", "/sessions"),
    ("POST", "/sessions"),
    ("GET", "/config"),
    ("GET", "/authz/roles"),
    ("GET", "/memories"),
    ("GET", "/filesystem/files"),
    // The app's own route (a base_app route), named only by custom mappings.
    ("GET", "/custom/report"),
];

/// The roles file as `--roles-file` takes it, and the custom mappings (`--scope-mappings`)
/// the harness installs on a hand-added JWTMiddleware.
fn split_mappings(file: &Value) -> (Value, Option<Value>) {
    let mut f = file.clone();
    let m = f.as_object_mut().and_then(|o| o.remove("scope_mappings"));
    (f, m)
}

fn config_of(policy: Policy, server: Server) -> Config {
    Config {
        alg: Alg::HS256,
        static_keys: vec![StaticKey {
            label: "JWT_VERIFICATION_KEY".into(),
            text: SECRET.into(),
        }],
        jwks: None,
        audience: None,
        issuer: None,
        now: agentos_auth::time::now() as f64,
        roles: Some(policy),
        server,
    }
}

#[test]
fn verify_with_roles_agrees_with_real_authorization() {
    roles_agree("3.1.10", &common::venv_python());
}

/// The first release with `Authorization` roles, in its version-matrix venv.
#[test]
fn verify_with_roles_agrees_with_real_authorization_on_3_1_0() {
    roles_agree("3.1.0", &common::release_python("3.1.0"));
}

/// The cells a release runs, (config, token, route) indices: the whole cross product on
/// the newest release of the minor line (3.1.10), else a seeded covering sample that
/// still sends every token on every route, every token under every config and every
/// route under every config (tests/interop/sampling.rs). Prints which.
fn plan(version: &str, dims: (usize, usize, usize)) -> Vec<(usize, usize, usize)> {
    let (configs, tokens, routes) = dims;
    if sampling::runs_whole(version) {
        return (0..configs)
            .flat_map(|c| (0..tokens).flat_map(move |t| (0..routes).map(move |r| (c, t, r))))
            .collect();
    }
    let plan = sampling::covering_triples(dims, &mut sampling::rng(version, "roles"));
    let (ct, cr, tr) = sampling::pairs_covered(&plan);
    assert_eq!(
        (ct, cr, tr),
        (configs * tokens, configs * routes, tokens * routes),
        "agno {version}: the roles sample leaves out a pair"
    );
    eprintln!(
        "roles matrix, agno {version}: a sample (seed {}; AGENTOS_AUTH_FULL_MATRIX=1 runs all {} cells): {} cells, covering all {ct} config x token, {cr} config x route and {tr} token x route pairs",
        sampling::seed(),
        configs * tokens * routes,
        plan.len()
    );
    plan
}

fn roles_agree(version: &str, python: &std::path::Path) {
    let dir = tempfile::tempdir().unwrap();
    let now = agentos_auth::time::now();
    let configs = configs();

    // 1. The real AgentOS: one document per config, the planned tokens on each route.
    let all: Vec<(&str, &str, Option<&str>)> = ROUTES
        .iter()
        .map(|(m, p)| (*m, *p, None))
        .chain(BODY_ROUTES.iter().map(|(m, p, b)| (*m, *p, Some(*b))))
        .collect();
    let n_tokens = tokens("roles", now).len();
    let plan = plan(version, (configs.len(), n_tokens, all.len()));
    let mut cells: Vec<(usize, String, &str, &str, Option<&str>)> = Vec::new();
    let openapi = dir.path().join("openapi.json");
    let docs: Vec<Value> = configs
        .iter()
        .enumerate()
        .map(|(i, (_, file))| {
            let claim = file["roles_claim"].as_str().unwrap_or("roles");
            let tokens = tokens(claim, now);
            let mut requests = Vec::new();
            for &(_, t, r) in plan.iter().filter(|c| c.0 == i) {
                let (tname, claims) = &tokens[t];
                let (m, p, body) = all[r];
                cells.push((i, tname.clone(), m, p, body));
                let body: Value = body.map_or(Value::Null, |b| serde_json::from_str(b).unwrap());
                requests.push(json!({"method": m, "path": p, "claims": claims, "json": body}));
            }
            json!({"mode": "roles", "secret": SECRET, "roles": file, "requests": requests,
                   "openapi": if i == 0 { Value::from(openapi.to_str().unwrap()) } else { Value::Null }})
        })
        .collect();
    let answers = harness_with(python, &Value::Array(docs));
    assert_eq!(answers[0]["agno_version"], version, "the venv's agno");
    // The routes the app mounts (its OpenAPI document), as `--routes` reads them.
    let routes = parse_openapi(&std::fs::read_to_string(&openapi).unwrap(), "openapi").unwrap();
    let profile = agentos_auth::agentos::for_version(version).unwrap().profile;
    let server = Server::new(profile).with_routes(routes);

    // 2. verify on the same tokens, and compare.
    let mut next = vec![0usize; configs.len()];
    let mut diffs = Vec::new();
    let (mut allowed, mut forbidden, mut public, mut lists) = (0, 0, 0, 0);
    let mut via_binary = 0;
    for (n, (i, tname, method, path, body)) in cells.iter().enumerate() {
        let (cname, file) = &configs[*i];
        let answer = &answers[*i];
        assert!(
            answer["startup_error"].is_null(),
            "{cname}: {}",
            answer["startup_error"]
        );
        let r = &answer["responses"][next[*i]];
        next[*i] += 1;
        let token = r["token"].as_str().expect("harness returns the token");
        let (policy_file, mappings) = split_mappings(file);
        let policy = Policy::from_json(&policy_file.to_string()).unwrap();
        let mapped = |server: Server| match &mappings {
            Some(m) => server.with_scope_mappings(
                &agentos_auth::agentos::deployment::parse_scope_mappings(
                    &m.to_string(),
                    "mappings",
                )
                .unwrap(),
            ),
            None => server,
        };
        let server = mapped(server.clone());
        let mut request = Request::parse(&format!("{method} {path}")).unwrap();
        request.body = body.map(|b| serde_json::from_str(b).unwrap());
        let v = verify(token, &config_of(policy, server), Some(&request));

        let real = r["status"].as_i64().unwrap();
        let real_auth = match real {
            401 | 403 | 500 => real,
            // A route the app lacks: 404 once authentication passes.
            404 if *path == "/agnets" => 404,
            _ => 200,
        };
        let mut bad = real_auth != i64::from(v.status);
        // Without --routes, the roles API is there exactly when the app mounts it (its
        // 404 is then the route's absence).
        let mut no_routes = String::new();
        if path.starts_with("/authz/") {
            let unknown_routes = mapped(Server::new(profile));
            let policy = Policy::from_json(&policy_file.to_string()).unwrap();
            let without = verify(token, &config_of(policy, unknown_routes), Some(&request));
            let want = if real == 404 { 404 } else { real_auth };
            if want != i64::from(without.status) {
                bad = true;
                no_routes = format!(" (without --routes: {})", without.status);
            }
        }
        if matches!(real_auth, 401 | 403) && r["detail"].as_str() != v.detail.as_deref() {
            bad = true;
        }
        if real == 200 && r["ids"].is_array() && *path == "/agents" {
            lists += 1;
            let real_ids: Vec<&str> = r["ids"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let want: Vec<&str> = AGENTS
                .iter()
                .copied()
                .filter(|a| {
                    v.visible_ids
                        .as_ref()
                        .is_none_or(|ids| ids.iter().any(|i| i == a))
                        && !v
                            .hidden_ids
                            .as_ref()
                            .is_some_and(|ids| ids.iter().any(|i| i == a))
                })
                .collect();
            if real_ids != want {
                bad = true;
            }
        }
        match real_auth {
            403 | 401 => forbidden += 1,
            _ if v.reason.contains("reads no token") => public += 1,
            _ => allowed += 1,
        }
        if bad {
            diffs.push(format!(
                "[{cname}] {tname} {method} {path} {}: AgentOS {real} {} (ids {}), verify {}{no_routes} {:?}: {}",
                body.unwrap_or_default(), r["detail"], r["ids"], v.status, v.detail, v.reason
            ));
        }
        if v.status == 403 {
            assert!(
                v.fix.as_deref().is_some_and(|f| !f.is_empty()),
                "no fix: {v:?}"
            );
        }
        assert!(!v.reason.contains('\n'));

        // A sample through the binary: the CLI says what the library says.
        if n % 23 == 0 {
            via_binary += 1;
            let roles = write(
                dir.path(),
                &format!("roles-{i}.json"),
                &policy_file.to_string(),
            );
            let key = write(dir.path(), "hs.secret", SECRET);
            let mut cmd = bin();
            cmd.args(["verify", "--agno", version]);
            if let Some(m) = &mappings {
                let m = write(dir.path(), &format!("mappings-{i}.json"), &m.to_string());
                cmd.arg("--scope-mappings").arg(m);
            }
            let o = cmd
                .arg(token)
                .args(["--alg", "HS256", "--key"])
                .arg(&key)
                .arg("--roles-file")
                .arg(&roles)
                .arg("--routes")
                .arg(&openapi)
                .args(["--request", &format!("{method} {path}"), "--json"])
                .args(
                    body.map(|b| ["--body", b])
                        .unwrap_or_default()
                        .iter()
                        .filter(|a| !a.is_empty()),
                )
                .output()
                .unwrap();
            let cli: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
                panic!(
                    "verify printed no JSON ({e}): {}",
                    String::from_utf8_lossy(&o.stderr)
                )
            });
            assert_eq!(
                cli["status"],
                json!(v.status),
                "{cname} {tname} {method} {path}"
            );
            assert_eq!(cli["detail"], json!(v.detail));
            let want_code = match v.status {
                401 => 10,
                403 => 11,
                404 => 12,
                _ => 0,
            };
            assert_eq!(o.status.code(), Some(want_code), "{cli}");
        }
    }
    eprintln!(
        "roles matrix, agno {version}: {} cells ({} configs x {} tokens x {} routes{}): {allowed} let through, {forbidden} refused, {public} public, {lists} listings compared; {via_binary} through the binary; {} differ",
        cells.len(),
        configs.len(),
        n_tokens,
        all.len(),
        if plan.len() == configs.len() * n_tokens * all.len() {
            ", whole".to_string()
        } else {
            format!(", sampled with seed {}", sampling::seed())
        },
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{} of {} cells differ:\n{}",
        diffs.len(),
        cells.len(),
        diffs.join("\n")
    );
    assert!(
        forbidden * 10 > cells.len() && allowed * 10 > cells.len(),
        "a matrix that exercises both answers ({forbidden} refused, {allowed} let through of {})",
        cells.len()
    );
}
