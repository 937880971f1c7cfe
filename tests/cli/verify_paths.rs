//! `verify` on paths FastAPI routes in ways `GET /openapi.json` does not show:
//!
//! - routes whose last parameter is declared `{name:path}`: Starlette's `PathConvertor`
//!   matches several segments (`GET /company/wiki/docs/a.md`), though the document shows
//!   the template as `{name}`. The release's profile knows which routes those are
//!   (`path_routes`, data/agno/<V>/path_routes.txt), with `--routes` and without;
//! - a trailing slash where agno strips none (2.3.x: no TrailingSlashMiddleware): the auth
//!   middleware matches `/agents/` as it is (against `/agents/*`), and what it lets through
//!   Starlette's router answers 307 to `/agents` (`redirect_slashes`), unless the MCP app
//!   mounted at "/" takes the path first. A client that follows the redirect gets
//!   `/agents`'s answer: `verify` says both (`redirect` in `--json`).
//!
//! (The real apps' answers: the version matrix's path and slash probes,
//! tests/interop/matrix.rs.)

use crate::common;

use std::path::Path;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::{bin, write};
use serde_json::{json, Value};

/// A 3.1.10 app with `company` and media, as its OpenAPI document lists it.
const OPENAPI: &str = r#"{"paths": {
    "/company/tasks": {"get": {}},
    "/company/wiki": {"get": {}},
    "/company/wiki/{path}": {"get": {}, "put": {}},
    "/company/products/{product_id}/wiki/{path}": {"get": {}, "put": {}},
    "/sessions/{session_id}/media/{storage_key}": {"get": {}},
    "/sessions/{session_id}/runs": {"get": {}}
}}"#;

fn setup(dir: &Path) -> Key {
    let key = Key::generate(Alg::HS256, 0).unwrap();
    write(dir, "hs.secret", key.secret().unwrap());
    write(dir, "openapi.json", OPENAPI);
    key
}

fn token(key: &Key, scopes: &[&str]) -> String {
    let now = agentos_auth::time::now();
    let (Value::Object(h), Value::Object(c)) = (
        json!({"alg": "HS256", "typ": "JWT"}),
        json!({"sub": "alice", "iat": now, "exp": now + 3600, "scopes": scopes}),
    ) else {
        panic!("objects")
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

struct Out {
    code: i32,
    json: Value,
    stderr: String,
}

fn verify(dir: &Path, token: &str, version: &str, request: &str, more: &[&str]) -> Out {
    let o = bin()
        .current_dir(dir)
        .args([
            "verify",
            "--alg",
            "HS256",
            "--key",
            "hs.secret",
            "--agno",
            version,
        ])
        .args(["--request", request, "--json", token])
        .args(more)
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        json: serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{request}: {}", String::from_utf8_lossy(&o.stderr))),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// `verify --json` for `request` on agno `version` (with the document when `routes`):
/// the exit code and the verdict's status.
fn ask(dir: &Path, token: &str, version: &str, routes: bool, request: &str) -> (i32, Value) {
    let more: &[&str] = if routes {
        &["--routes", "openapi.json"]
    } else {
        &[]
    };
    let o = verify(dir, token, version, request, more);
    (o.code, o.json["status"].clone())
}

#[test]
fn a_path_parameter_takes_several_segments() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    let wiki = token(&key, &["wiki:read", "wiki:write", "sessions:read"]);
    for request in [
        "GET /company/wiki/docs/a.md",
        "PUT /company/wiki/guides/setup/intro.md",
        "GET /company/products/p1/wiki/docs/a.md",
        "PUT /company/products/p1/wiki/a/b/c.md",
        "GET /sessions/s1/media/2026/05/a.png",
        // One segment still matches too.
        "GET /company/wiki/a.md",
    ] {
        assert_eq!(
            ask(dir.path(), &wiki, "3.1.10", true, request),
            (0, json!(200)),
            "{request}"
        );
    }
    // The scope check is the route map's, as before: a token without wiki:read is refused.
    let other = token(&key, &["sessions:read"]);
    assert_eq!(
        ask(
            dir.path(),
            &other,
            "3.1.10",
            true,
            "GET /company/wiki/docs/a.md"
        ),
        (11, json!(403))
    );
}

#[test]
fn a_plain_parameter_takes_one_segment() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    let t = token(&key, &["sessions:read"]);
    assert_eq!(
        ask(dir.path(), &t, "3.1.10", true, "GET /sessions/s1/runs"),
        (0, json!(200))
    );
    assert_eq!(
        ask(dir.path(), &t, "3.1.10", true, "GET /sessions/s1/x/runs"),
        (12, json!(404))
    );
}

#[test]
fn the_default_app_has_the_media_route_from_3_0_0() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    let t = token(&key, &["sessions:read"]);
    let media = "GET /sessions/s1/media/2026/05/a.png";
    assert_eq!(ask(dir.path(), &t, "3.1.10", false, media), (0, json!(200)));
    assert_eq!(ask(dir.path(), &t, "3.0.0", false, media), (0, json!(200)));
    // 2.7.2 mounts no media route.
    assert_eq!(ask(dir.path(), &t, "2.7.2", false, media), (12, json!(404)));
    // Without company mounted, its wiki is no route.
    let wiki = token(&key, &["wiki:read"]);
    assert_eq!(
        ask(
            dir.path(),
            &wiki,
            "3.1.10",
            false,
            "GET /company/wiki/docs/a.md"
        ),
        (12, json!(404))
    );
}

#[test]
fn agno_2_3_redirects_what_the_middleware_lets_through() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    for version in ["2.3.13", "2.3.22"] {
        // A read token of another family: the middleware lets GET /agents/ through as a
        // listing, the redirect lands on GET /agents, whose handler finds no readable agent.
        let o = verify(
            dir.path(),
            &token(&key, &["sessions:read"]),
            version,
            "GET /agents/",
            &[],
        );
        assert_eq!(o.code, 11, "{version}: {}", o.stderr);
        assert_eq!(o.json["status"], 307, "{version}: {}", o.json);
        assert_eq!(o.json["detail"], Value::Null);
        assert_eq!(o.json["redirect"]["location"], "/agents");
        assert_eq!(o.json["redirect"]["answer"]["status"], 403);
        assert_eq!(
            o.json["redirect"]["answer"]["detail"],
            "Insufficient permissions"
        );
        assert!(
            o.stderr
                .contains("AgentOS would answer 307, then 403 \"Insufficient permissions\""),
            "{}",
            o.stderr
        );

        // agents:read: the redirect, then the listing.
        let o = verify(
            dir.path(),
            &token(&key, &["agents:read"]),
            version,
            "GET /agents/?limit=1",
            &[],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(o.json["status"], 307);
        assert_eq!(o.json["redirect"]["location"], "/agents?limit=1");
        assert_eq!(o.json["redirect"]["answer"]["status"], 200);
    }
}

#[test]
fn the_middleware_still_answers_first() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    // One agent, looked up as /agents/*: agents:run reads none, so 403 before any redirect.
    let o = verify(
        dir.path(),
        &token(&key, &["agents:run"]),
        "2.3.13",
        "GET /agents/my-agent/",
        &[],
    );
    assert_eq!((o.code, o.json["status"].clone()), (11, json!(403)));
    assert_eq!(o.json["redirect"], Value::Null);
    // No token: 401, not a redirect.
    let o = bin()
        .current_dir(dir.path())
        .args([
            "verify",
            "--alg",
            "HS256",
            "--key",
            "hs.secret",
            "--agno",
            "2.3.13",
        ])
        .args(["--request", "GET /agents/", "--json", "--no-token"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(10));
}

#[test]
fn the_mcp_app_takes_the_path_first() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    let t = token(&key, &["agents:read"]);
    // The MCP app at "/" answers what no route takes: 404, no redirect ...
    let o = verify(dir.path(), &t, "2.3.13", "GET /agents/", &["--mcp"]);
    assert_eq!((o.code, o.json["status"].clone()), (12, json!(404)));
    // ... but its own router redirects to its own routes.
    let o = verify(dir.path(), &t, "2.3.13", "POST /mcp/", &["--mcp"]);
    assert_eq!(o.json["status"], 307, "{}", o.json);
    assert_eq!(o.json["redirect"]["location"], "/mcp");
}

#[test]
fn agno_2_4_strips_the_slash() {
    let dir = tempfile::tempdir().unwrap();
    let key = setup(dir.path());
    let o = verify(
        dir.path(),
        &token(&key, &["sessions:read"]),
        "2.4.0",
        "GET /agents/",
        &[],
    );
    assert_eq!((o.code, o.json["status"].clone()), (11, json!(403)));
    assert_eq!(o.json["redirect"], Value::Null);
}
