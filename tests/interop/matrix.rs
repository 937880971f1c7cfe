//! The version matrix: for every modelled agno release, a real app of that release (its
//! own venv, `.ci/setup-agno-versions`) answers requests on every route it mounts with
//! tokens PyJWT made over every scope form (tests/interop/agno_matrix.py); the verdict of
//! this crate for the same token and request, given that release's profile and the app's
//! own OpenAPI document (`--agno V --routes FILE`), must agree on every cell: the status
//! when AgentOS answers 401/403/404-for-an-unknown-route (and then the detail too), and
//! "through" (200) whenever AgentOS let the request past authentication.
//!
//! Every profile's own release (`version`) and, where it differs, the first release it
//! answers for (`since`), which must resolve to it: the list comes from the library's
//! profiles, and two releases run at once (CI has two cores). One harness process per
//! release answers all of its documents (agno is imported once). Per release the test
//! prints `agno V: N cells, M agree`; a missing venv fails.
//!
//! How many scope forms each route gets ([`Density`]): the newest release of each minor
//! line runs the matrix whole, every other release a seeded covering sample
//! (tests/interop/sampling.rs; docs/testing.md, "Sampling"). With a profile switch
//! flipped (`listing_ids_need_route_action` off on the 2.6.7 row), the sampled run of
//! 2.6.7 alone fails with 27 disagreeing cells (2026-12-07).

use crate::common;
use crate::sampling;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use agentos_auth::agentos::deployment::parse_openapi;
use agentos_auth::agentos::{for_version, Server, PROFILES};
use agentos_auth::agentos::{verify, Config, Request, StaticKey, Verdict};
use agentos_auth::keys::Alg;
use common::{bin, manifest_dir};
use serde_json::{json, Value};

const SECRET: &str = "s3cret-matrix-secret-0123456789abcdef";

/// How much a release runs (tests/interop/sampling.rs). The newest release of each minor
/// line (or every release, `AGENTOS_AUTH_FULL_MATRIX=1`) runs whole: 3 rotating scope
/// forms per route template besides the fixed ones, and every form on every request of
/// the documents that name their requests (body gates, trailing slashes, custom
/// mappings, `authorization=False`). Any other release: 1 rotating form per template, and
/// on those requests the fixed forms, the document's own and `FORMS_PER_REQUEST` drawn
/// from the seed; every template and every form is still sent (the harness sends each
/// form at least once).
#[derive(Clone, Copy)]
struct Density {
    whole: bool,
    seed: u64,
}

/// Scope forms drawn per named request on a sampled release (of about 80).
const FORMS_PER_REQUEST: usize = 6;

impl Density {
    fn of(version: &str) -> Density {
        Density {
            whole: sampling::runs_whole(version),
            seed: sampling::rng(version, "matrix").u64(..),
        }
    }

    /// Rotating scope forms per route template, besides the fixed ones.
    fn cells_per_route(self) -> usize {
        if self.whole {
            3
        } else {
            1
        }
    }

    /// A document that names its requests, sampled on a sampled release.
    fn requests(self, mut doc: Value) -> Value {
        if !self.whole {
            doc["forms_per_request"] = json!(FORMS_PER_REQUEST);
            doc["seed"] = json!(self.seed);
        }
        doc
    }
}

/// `.venvs/agno-<V>/bin/python` (`AGNO_MATRIX_VENVS=DIR` looks in DIR instead).
fn venv_python(version: &str) -> PathBuf {
    let venvs = std::env::var_os("AGNO_MATRIX_VENVS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join(".venvs"));
    let p = venvs
        .join(format!("agno-{version}"))
        .join("bin")
        .join("python");
    assert!(
        p.exists(),
        "agno {version} venv missing: run .ci/setup-agno-versions (looked for {})",
        p.display()
    );
    p
}

/// One release's `tests/interop/agno_matrix.py`, kept running for all of that release's
/// documents (one JSON line in, one out): agno is imported once per release, not once per
/// document. Its stderr (agno's logs) is kept for a failure message. Killed on drop.
struct Harness {
    version: String,
    child: std::process::Child,
    answers: std::io::BufReader<std::process::ChildStdout>,
    stderr: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Harness {
    fn start(version: &str) -> Harness {
        let mut child = Command::new(venv_python(version))
            .arg(manifest_dir().join("tests/interop/agno_matrix.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the matrix harness");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = std::sync::Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = std::io::Read::read(&mut pipe, &mut buf) {
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let answers = std::io::BufReader::new(child.stdout.take().unwrap());
        Harness {
            version: version.to_string(),
            child,
            answers,
            stderr,
        }
    }

    /// The last lines of the harness's stderr.
    fn stderr_tail(&self) -> String {
        let err = self.stderr.lock().unwrap();
        let err = String::from_utf8_lossy(&err);
        let mut tail: Vec<&str> = err.lines().rev().take(15).collect();
        tail.reverse();
        tail.join("\n")
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_matrix(harness: &mut Harness, dir: &std::path::Path, extra: Value) -> Value {
    let version = harness.version.clone();
    let now = chrono::Utc::now().timestamp();
    let openapi = dir.join(format!("openapi-{version}.json"));
    let mut doc = json!({"secret": SECRET, "now": now, "openapi": openapi, "cells_per_route": 3});
    if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    let started = std::time::Instant::now();
    let stdin = harness.child.stdin.as_mut().unwrap();
    let sent = writeln!(stdin, "{doc}").and_then(|()| stdin.flush());
    let mut line = String::new();
    let read = std::io::BufRead::read_line(&mut harness.answers, &mut line);
    if sent.is_err() || !matches!(read, Ok(1..)) {
        let status = harness.child.wait();
        panic!(
            "matrix harness failed for agno {version} ({status:?}): {}",
            harness.stderr_tail()
        );
    }
    let answers: Value = serde_json::from_str(&line).expect("harness JSON");
    eprintln!(
        "agno {version}: harness run: {} cells in {:.1} s (CPU: app {} s, cells {} s)",
        answers["cells"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64(),
        answers["cpu"]["app"],
        answers["cpu"]["cells"]
    );
    answers
}

/// The webhook interfaces' default mounts in the harness (Slack, Telegram, WhatsApp).
const WEBHOOK_PREFIXES: &[&str] = &["/slack/", "/telegram/", "/whatsapp/"];

struct Tally {
    cells: usize,
    agree: usize,
    wrong: Vec<String>,
}

fn compare(version: &str, answers: &Value, server: &Server) -> Tally {
    compare_with(version, answers, server, None, None)
}

/// Runs `verify ... --json` with `token` (empty: `--no-token`) and returns its JSON.
fn verify_json(mut cmd: assert_cmd::Command, token: &str, request: &str) -> Value {
    if token.is_empty() {
        cmd.arg("--no-token");
    } else {
        cmd.arg(token);
    }
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "verify --json {request} [{token}]: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// What `verify` is told about a matrix app: its HS256 secret, and the audience and
/// issuer it checks.
fn matrix_config(server: &Server, audience: Option<Vec<String>>, issuer: Option<String>) -> Config {
    Config {
        alg: Alg::HS256,
        static_keys: vec![StaticKey {
            label: "secret".into(),
            text: SECRET.into(),
        }],
        jwks: None,
        audience,
        issuer,
        now: chrono::Utc::now().timestamp() as f64,
        server: server.clone(),
        roles: None,
    }
}

/// `compare` for a server that verifies the audience and/or pins an issuer.
fn compare_with(
    version: &str,
    answers: &Value,
    server: &Server,
    audience: Option<Vec<String>>,
    issuer: Option<String>,
) -> Tally {
    assert_eq!(answers["agno_version"], version);
    let mut t = Tally {
        cells: 0,
        agree: 0,
        wrong: Vec::new(),
    };
    let cfg = matrix_config(server, audience, issuer);
    for c in answers["cells"].as_array().unwrap() {
        let method = c["method"].as_str().unwrap();
        let path = c["path"].as_str().unwrap();
        let mut req = Request::parse(&format!("{method} {path}")).unwrap();
        req.body = Some(c["body"].clone()).filter(|b| !b.is_null());
        let v = verify(c["token"].as_str().unwrap(), &cfg, Some(&req));
        let real = c["status"].as_u64().unwrap() as u16;
        let real_detail = c["detail"].as_str();
        // A webhook interface out of JWT auth (2.5.13 on) answers by its own signature or
        // secret check (403 "Invalid signature", 400 "Missing Slack headers", ...): the tool
        // says public and that the interface decides; the real 401/403 must then not be
        // the JWT middleware's (what the tool says this token gets on a guarded route).
        // Before 2.5.13 the token passes the middleware there and the same check answers.
        let interface_decides = v.status == 200
            && (v
                .notes
                .iter()
                .any(|n| n.contains("interface checks its own requests"))
                || c["template"]
                    .as_str()
                    .is_some_and(|t| WEBHOOK_PREFIXES.iter().any(|p| t.starts_with(p))));
        let jwt_detail = || {
            // Under a mount prefix too: the guarded route is the mounted app's.
            let guarded =
                Request::parse(&format!("GET {}/agents", cfg.server.mount_prefix)).unwrap();
            verify(c["token"].as_str().unwrap(), &cfg, Some(&guarded)).detail
        };
        // An MCP tool call: a 200 either way; a refusal is the result's error text.
        let tool_cell = c["mcp_tool"] == true && real == 200;
        let ok = match real {
            _ if tool_cell => match real_detail {
                Some(d) if d.contains("Insufficient permissions") => {
                    v.status == 200 && v.detail.as_deref() == Some(d)
                }
                Some(d) if d.contains("Provide exactly one") => {
                    v.status == 200 && v.detail.is_none() && v.reason.contains(d)
                }
                _ => v.status == 200 && v.detail.is_none(),
            },
            401 | 403 if interface_decides => {
                let jwt = jwt_detail();
                real_detail.is_some() && real_detail != jwt.as_deref()
            }
            401 | 403 => v.status == real && v.detail.as_deref() == real_detail,
            // The MCP app's DNS-rebinding guard, where AgentOS sees no auth of its own (the
            // JWTMiddleware added by hand): TestClient's Host is "testserver". The tool
            // cannot know the Host; it must say that the guard answers there.
            400 if real_detail == Some("Host not allowed.") => v
                .notes
                .iter()
                .any(|n| n.contains("400 \"Host not allowed.\"")),
            404 if c["template"].is_null() => v.status == 404,
            307 => redirect_agrees(&v, c),
            // The tool says the route does not exist: AgentOS must have answered the
            // router's 404 ("Not Found", or the MCP app's plain-text one); a handler's own
            // 404 ("Wiki page not found") means the route is there.
            _ if v.status == 404 => real == 404 && real_detail.is_none_or(|d| d == "Not Found"),
            _ => v.status == 200,
        };
        t.cells += 1;
        if ok {
            t.agree += 1;
        } else {
            t.wrong.push(format!(
                "agno {version} {method} {path} [{}]: AgentOS {real} {:?}, verify {} {:?}",
                c["form"].as_str().unwrap_or_default(),
                real_detail.unwrap_or_default(),
                v.status,
                v.detail.as_deref().unwrap_or_default()
            ));
        }
    }
    t
}

/// A few cells through the binary, to prove the flags reach the engine.
fn cli_cells(
    version: &str,
    answers: &Value,
    routes: Option<&std::path::Path>,
    dir: &std::path::Path,
) -> Vec<String> {
    // The app with its routers (`--routes`) runs the MCP server too.
    let mcp = routes.is_some();
    let mut wrong = Vec::new();
    let key = dir.join("secret");
    std::fs::write(&key, SECRET).unwrap();
    let cells = answers["cells"].as_array().unwrap();
    for c in cells.iter().step_by(cells.len() / 8 + 1) {
        let request = format!(
            "{} {}",
            c["method"].as_str().unwrap(),
            c["path"].as_str().unwrap()
        );
        let token = c["token"].as_str().unwrap();
        let mut cmd = bin();
        cmd.args(["verify", "--alg", "HS256", "--key"])
            .arg(&key)
            .args(["--agno", version]);
        if let Some(routes) = routes {
            cmd.arg("--routes").arg(routes);
        }
        if mcp {
            cmd.arg("--mcp");
        }
        cmd.args(["--request", &request, "--json"]);
        let v = verify_json(cmd, token, &request);
        let real = c["status"].as_u64().unwrap();
        // Where the tool says an interface decides, its 401/403 is the interface's own
        // (compare_with checks it is not the JWT middleware's): the CLI says public.
        let interface_decides = v["status"] == 200
            && (v["notes"].as_array().is_some_and(|ns| {
                ns.iter().any(|n| {
                    n.as_str()
                        .is_some_and(|n| n.contains("interface checks its own requests"))
                })
            }) || c["template"]
                .as_str()
                .is_some_and(|t| WEBHOOK_PREFIXES.iter().any(|p| t.starts_with(p))));
        let want = if interface_decides {
            200
        } else if [401, 403, 307].contains(&real) || (real == 404 && c["template"].is_null()) {
            real
        } else {
            200
        };
        if v["status"] != want {
            wrong.push(format!(
                "agno {version} {request} [{}] (CLI): AgentOS {real}, verify {}",
                c["form"].as_str().unwrap_or_default(),
                v["status"]
            ));
        }
    }
    wrong
}

/// Every release the matrix runs, newest first (the largest apps start first, so the last
/// release to finish is a small one): each profile's own release (`version`) and the first
/// release of its range (`since`), from the library's profiles, not a copied list.
/// `.ci/setup-agno-versions` builds their venvs from data/agno/releases.toml.
fn releases() -> Vec<&'static str> {
    let mut releases: Vec<&'static str> = PROFILES
        .iter()
        .flat_map(|p| [p.version, p.since])
        .rev()
        .collect();
    releases.dedup();
    releases
}

/// Every profile on its own release and on the first release of its range, two releases at
/// a time (`AGNO_MATRIX_JOBS`, default 2: CI has two cores). Per release it prints `agno V:
/// N cells, M agree`; a missing venv fails.
#[test]
fn every_release_agrees_with_its_profile() {
    let releases = releases();
    for v in &releases {
        let p = for_version(v).unwrap().profile;
        assert!(
            [p.since, p.version].contains(v),
            "agno {v} resolves to the {} profile ({} on), not to the profile it is the release or first release of",
            p.version,
            p.since
        );
    }
    releases_agree_with_their_profiles(&releases);
}

/// Any other release against the profile it resolves to, on demand:
/// `AGNO_MATRIX_RELEASES="3.0.9 2.6.20" cargo test --features interop --test interop matrix -- --ignored`
/// (venvs under AGNO_MATRIX_VENVS). Fails when the variable is unset.
#[test]
#[ignore = "needs AGNO_MATRIX_RELEASES and their venvs"]
fn other_releases_agree_with_their_profiles() {
    let releases = std::env::var("AGNO_MATRIX_RELEASES")
        .expect("set AGNO_MATRIX_RELEASES to the releases to run, e.g. \"3.0.9 2.6.20\"");
    let releases: Vec<&str> = releases.split_whitespace().collect();
    assert!(!releases.is_empty(), "AGNO_MATRIX_RELEASES is empty");
    releases_agree_with_their_profiles(&releases);
}

fn releases_agree_with_their_profiles(releases: &[&str]) {
    // AGNO_MATRIX_ONLY="2.7.0 3.1.10" narrows a local run; CI runs every release.
    let only = std::env::var("AGNO_MATRIX_ONLY").unwrap_or_default();
    let releases: Vec<&str> = releases
        .iter()
        .copied()
        .filter(|v| only.is_empty() || only.split_whitespace().any(|o| o == *v))
        .collect();
    assert!(
        !releases.is_empty(),
        "AGNO_MATRIX_ONLY={only:?} names no release this test runs"
    );
    let (whole, sampled): (Vec<&str>, Vec<&str>) =
        releases.iter().partition(|v| sampling::runs_whole(v));
    eprintln!(
        "version matrix: whole on {whole:?}; sampled (seed {}; AGENTOS_AUTH_FULL_MATRIX=1 runs them whole) on {sampled:?}",
        sampling::seed()
    );
    let jobs = std::env::var("AGNO_MATRIX_JOBS")
        .ok()
        .and_then(|j| j.parse::<usize>().ok())
        .unwrap_or(2)
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    // A release's panic (a harness that failed) ends the scope with it, after the others.
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(version) = releases.get(i) else {
                    break;
                };
                let wrong = release_agrees_with_its_profile(version);
                failures.lock().unwrap().extend(wrong);
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} disagreeing cells:\n{}",
        failures.len(),
        failures
            .iter()
            // AGNO_MATRIX_ALL=1 shows every disagreeing cell (a local run).
            .take(if std::env::var_os("AGNO_MATRIX_ALL").is_some() {
                usize::MAX
            } else {
                60
            })
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// One release against the profile it resolves to: its disagreeing cells.
fn release_agrees_with_its_profile(version: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let profile = for_version(version).unwrap().profile;
    let mut harness = Harness::start(version);
    eprintln!(
        "agno {version}: answered by the {} profile ({} on)",
        profile.version, profile.since
    );
    // The filesystem browser's query parameters: the agent asked for must be readable.
    let fs_forms = [
        "agents:my-agent:read",
        "agents:other:read",
        "agents:*:read",
        "agents:read",
        "agents:my-agent:run",
    ];
    let fs_probes: Vec<Value> = profile
        .filesystem_paths
        .iter()
        .flat_map(|p| {
            ["agent_id=my-agent", "agent_id=other-agent", "namespace=ns"]
                .map(|q| json!(["GET", format!("{p}?{q}"), true, fs_forms]))
        })
        .collect();
    // The MCP server's routes (the app runs it; GET /openapi.json does not list them).
    let mcp_probes: Vec<Value> = profile
        .mcp
        .routes
        .iter()
        .map(|(m, p)| json!([m, fill_template(p), true]))
        .collect();
    // Path-typed parameters (`{name:path}`), sent several segments deep: the route
    // takes them all (the OpenAPI document shows `{name}`).
    let path_probes: Vec<Value> = profile
        .path_routes
        .iter()
        .map(|(m, p)| json!([m, fill_template(p), true]))
        .collect();
    let probes: Vec<&Value> = fs_probes
        .iter()
        .chain(&mcp_probes)
        .chain(&path_probes)
        .collect();
    let density = Density::of(version);
    let answers = run_matrix(
        &mut harness,
        dir.path(),
        json!({"probes": probes, "cells_per_route": density.cells_per_route()}),
    );
    let routes = dir.path().join(format!("openapi-{version}.json"));
    let server = served(profile, &routes);
    let declared: Vec<String> = profile
        .path_routes
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    if answers["path_routes"] != json!(declared) {
        failures.push(format!(
            "agno {version}: its routes with a {{name:path}} parameter are {}, the {} profile's path_routes {declared:?}: regenerate data/agno with scripts/agno-release.py",
            answers["path_routes"], profile.version
        ));
    }
    // Where the app keeps its merged map (3.1.10), the tool's must be the same, in order.
    if let Some(real) = answers["scope_mappings"].as_array() {
        let real: Vec<String> = real.iter().map(Value::to_string).collect();
        let ours: Vec<String> = server
            .mappings
            .iter()
            .map(|m| json!([format!("{} {}", m.method, m.pattern), m.scopes]).to_string())
            .collect();
        // The interfaces' entries follow in the app's own interface order (disjoint
        // prefixes, so it decides nothing): compared as a set.
        let ordered = server.mappings.len()
            - server
                .mappings
                .iter()
                .filter(|m| m.pattern.starts_with("/a2a") || m.pattern.starts_with("/agui"))
                .count();
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        if real.get(..ordered) != ours.get(..ordered) || sorted(&real) != sorted(&ours) {
            let first = real.iter().zip(&ours).position(|(a, b)| a != b);
            failures.push(format!(
                "agno {version}: the merged scope map differs ({} entries vs {} modelled; first difference at {first:?})",
                real.len(),
                ours.len()
            ));
        }
    }
    let t = compare(version, &answers, &server);
    let forms = answers["forms"].as_array().unwrap().len();
    let templates = answers["routes"].as_array().unwrap().len();
    eprintln!(
        "agno {version}: {} cells ({templates} route templates x {forms} scope forms, {}), {} agree",
        t.cells,
        if density.whole {
            "3 rotating forms a template: whole".to_string()
        } else {
            format!(
                "1 rotating form a template, {FORMS_PER_REQUEST} drawn a named request, seed {}: sampled",
                sampling::seed()
            )
        },
        t.agree
    );
    failures.extend(cli_cells(version, &answers, Some(&routes), dir.path()));
    failures.extend(t.wrong);

    // The default app (no optional router, no interface) against the profile's
    // default-app routes, without --routes: its route list regenerated off the release
    // must equal the profile's, and the routes of the release it lacks are 404.
    let probes: Vec<Value> = profile
        .routers
        .iter()
        .map(|r| r.marker)
        .chain(profile.interfaces.iter().map(|i| i.marker))
        .chain(
            profile
                .default_app
                .lines()
                .filter(|l| l.ends_with("/{path:path}"))
                .filter_map(|l| l.split_once(' ')),
        )
        // No MCP server in the default app: its routes are 404.
        .chain(profile.mcp.routes.iter().copied())
        .map(|(m, p)| json!([m, fill_template(p)]))
        .chain(slash_probes())
        .collect();
    let default_openapi = dir.path().join(format!("openapi-default-{version}.json"));
    let answers = run_matrix(
        &mut harness,
        dir.path(),
        json!({"routers": "none", "cells_per_route": 1, "probes": probes, "openapi": default_openapi}),
    );
    let regenerated: Vec<&str> = answers["default_app"]
        .as_array()
        .expect("default_app routes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let stored: Vec<&str> = profile.default_app.lines().collect();
    if version != profile.version {
        // The first release of a range: the profile's list is its own release's, so a
        // route added later in the range is taken as served here (say which); one this
        // release has that the list lacks would be answered 404 and is a failure.
        let missing: Vec<&&str> = regenerated.iter().filter(|r| !stored.contains(r)).collect();
        let later: Vec<&&str> = stored.iter().filter(|r| !regenerated.contains(r)).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "agno {version}: its default app has routes the {} profile's default_app.txt lacks (regenerate with scripts/agno-release.py --write): {missing:?}",
                profile.version
            ));
        }
        eprintln!(
            "agno {version}: default app = the {} profile's less {} route(s) added later in the range {later:?}",
            profile.version,
            later.len()
        );
    } else if regenerated != stored {
        failures.push(format!(
            "agno {version}: data/agno/<V>/default_app.txt is stale for this release: regenerate it with scripts/agno-release.py --write in its venv (now {} routes, stored {})",
            regenerated.len(),
            stored.len()
        ));
    }
    let t = compare(version, &answers, &Server::new(profile));
    eprintln!(
        "agno {version} default app (no --routes): {} cells, {} agree",
        t.cells, t.agree
    );
    failures.extend(t.wrong);
    failures.extend(cli_cells(version, &answers, None, dir.path()));

    // Custom scope_mappings (override, addition, public) and authorization=False,
    // each on the auth middleware added by hand, as agno documents it.
    let custom = json!({
        "GET /agents": ["custom:list"],
        "POST /custom/thing": ["custom:run"],
        "GET /sessions": [],
    });
    let mut requests = json!([
        ["GET", "/agents", true],
        ["GET", "/agents/my-agent", true],
        ["POST", "/custom/thing", false],
        ["GET", "/sessions", true],
        ["GET", "/memories", true],
    ]);
    // The admin-only routers check the admin scope with authorization=False too.
    if let Some(list) = requests.as_array_mut() {
        for r in profile.routers.iter().filter(|r| r.admin_only.is_some()) {
            list.push(json!([r.marker.0, fill_template(r.marker.1), true]));
        }
    }
    let extra = json!([
        ["custom:list"],
        ["custom:run"],
        ["custom:list", "agents:my-agent:read"]
    ]);

    // Body gates: POST /eval-runs names its target, POST /schedules its endpoint.
    let schedule = |endpoint: &str, method: &str| {
        json!({"name": "n", "cron_expr": "0 * * * *", "timezone": "UTC",
               "endpoint": endpoint, "method": method})
    };
    let eval = |field: &str, id: &str| json!({field: id, "eval_type": "accuracy", "input": "x", "expected_output": "y"});
    let bodies = json!([
        ["POST", "/eval-runs", true, eval("agent_id", "my-agent")],
        ["POST", "/eval-runs", true, eval("team_id", "my-team")],
        [
            "POST",
            "/schedules",
            true,
            schedule("/agents/my-agent/runs", "POST")
        ],
        [
            "POST",
            "/schedules",
            true,
            schedule("/teams/my-team/runs", "POST")
        ],
        ["POST", "/schedules", true, schedule("/sessions", "GET")],
    ]);
    let body_scopes = json!([
        ["evals:write", "agents:my-agent:run"],
        ["evals:write", "agents:run"],
        ["evals:write", "teams:*:run"],
        ["evals:write", "agents:other:run"],
        ["schedules:write", "agents:my-agent:run"],
        ["schedules:write", "teams:run"],
        ["schedules:write", "agents:run", "teams:other:run"],
    ]);
    let answers = run_matrix(
        &mut harness,
        dir.path(),
        density.requests(json!({"requests": bodies, "extra_scopes": body_scopes})),
    );
    let t = compare(version, &answers, &server);
    eprintln!(
        "agno {version} body gates: {} cells, {} agree",
        t.cells, t.agree
    );
    failures.extend(t.wrong);
    failures.extend(token_rules(
        &mut harness,
        version,
        profile,
        &routes,
        dir.path(),
        density,
    ));
    failures.extend(mcp_tools(
        &mut harness,
        version,
        profile,
        &routes,
        dir.path(),
    ));

    // The app mounted under a prefix of a larger app (`parent.mount("/api", app)`):
    // 3.0.9 on, agno matches the path under the mount; before, the whole URL path.
    let answers = run_matrix(
        &mut harness,
        dir.path(),
        json!({"mount_prefix": "/api", "cells_per_route": 1, "probes": mcp_probes,
               "openapi": dir.path().join(format!("openapi-mounted-{version}.json")),
               "outside": [["GET", "/agents"], ["GET", "/health"], ["POST", "/apix/agents"]]}),
    );
    let mounted = served(profile, &routes).with_mount_prefix("/api").unwrap();
    let t = compare(version, &answers, &mounted);
    eprintln!(
        "agno {version} mounted under /api: {} cells, {} agree",
        t.cells, t.agree
    );
    failures.extend(t.wrong);
    for (label, middleware) in [
        (
            "scope_mappings",
            json!({"authorization": true, "scope_mappings": custom}),
        ),
        ("authorization=False", json!({"authorization": false})),
    ] {
        let answers = run_matrix(
            &mut harness,
            dir.path(),
            density.requests(
                json!({"middleware": middleware, "requests": requests, "extra_scopes": extra}),
            ),
        );
        let mut server = served(profile, &routes);
        if label == "scope_mappings" {
            let custom = agentos_auth::agentos::deployment::parse_scope_mappings(
                &custom.to_string(),
                "custom",
            )
            .unwrap();
            server = server.with_scope_mappings(&custom);
        } else {
            server.authorization = false;
        }
        let t = compare(version, &answers, &server);
        eprintln!(
            "agno {version} {label}: {} cells, {} agree",
            t.cells, t.agree
        );
        failures.extend(t.wrong);
    }
    if profile.public.is_some() {
        failures.extend(public_surface(&mut harness, version, profile, dir.path()));
    }
    failures
}

/// The app of a run with every router: its OpenAPI document's routes, and the MCP server.
fn served(profile: &'static agentos_auth::agentos::Profile, routes: &std::path::Path) -> Server {
    Server::new(profile)
        .with_routes(parse_openapi(&std::fs::read_to_string(routes).unwrap(), "openapi").unwrap())
        .with_mcp()
}

/// The token rules that changed between releases, each on the real release: the audience
/// (PyJWT's check and detail before 2.4.0, agno's after; set where the release takes it),
/// the issuer pin (3.1.0), reserved subjects (2.7.0), trailing slashes (2.4.0), an AG-UI
/// under a prefix (excluded from auth 2.5.13-2.6.x, its own mapping at that prefix 2.7.0
/// on), and AgentOS(authorization=False) with an env key (nothing installed before 2.7.0).
fn token_rules(
    harness: &mut Harness,
    version: &str,
    profile: &'static agentos_auth::agentos::Profile,
    routes: &std::path::Path,
    dir: &std::path::Path,
    density: Density,
) -> Vec<String> {
    let mut failures = Vec::new();
    let (aud, iss) = ("matrix-aud", "https://issuer.example");
    let admin = json!(["agent_os:admin"]);
    let form = |name: &str, claims: Value| {
        let mut c = json!({"aud": aud, "iss": iss, "scopes": admin});
        if let (Some(c), Some(o)) = (c.as_object_mut(), claims.as_object()) {
            c.extend(o.clone());
        }
        json!({"name": name, "claims": c})
    };
    let claim_forms = json!([
        form("aud and iss right", json!({})),
        form("aud list", json!({"aud": ["other", aud]})),
        form("aud wrong", json!({"aud": "other-os"})),
        form("aud missing", json!({"aud": null})),
        form("aud empty", json!({"aud": ""})),
        form("aud number", json!({"aud": 5})),
        form("aud list with a number", json!({"aud": [5, aud]})),
        form(
            "aud wrong, sub number",
            json!({"aud": "other-os", "sub": 5})
        ),
        form("aud missing, sub number", json!({"aud": null, "sub": 5})),
        form("iss missing", json!({"iss": null})),
        form("iss wrong", json!({"iss": "https://evil.example"})),
        form("sub sa:", json!({"sub": "sa:svc"})),
        form("sub __oauth__:", json!({"sub": "__oauth__:client"})),
        form("sub __scheduler__", json!({"sub": "__scheduler__"})),
        form("sub sa", json!({"sub": "sa"})),
        form("sub x__scheduler__", json!({"sub": "x__scheduler__"})),
    ]);
    let requests = json!([["GET", "/agents", true], ["GET", "/health", true]]);
    let answers = run_matrix(
        harness,
        dir,
        json!({"scope_forms": false, "claim_forms": claim_forms, "requests": requests,
               "auth": {"verify_audience": true, "audience": aud, "issuer": iss}}),
    );
    let applied = &answers["auth_applied"];
    let audience = applied["audience"].as_str().map(|a| vec![a.to_string()]);
    assert!(
        audience.is_some(),
        "agno {version}: no audience applied: {applied}"
    );
    // The tool is told the issuer even where the release cannot pin one: it must not check it.
    let t = compare_with(
        version,
        &answers,
        &served(profile, routes),
        audience,
        Some(iss.into()),
    );
    eprintln!(
        "agno {version} audience/issuer/subjects (audience via {}): {} cells, {} agree",
        applied["via"], t.cells, t.agree
    );
    failures.extend(t.wrong);

    // Trailing slashes, and an AG-UI mounted under /chat.
    let requests = json!([
        ["GET", "/agents/", true],
        ["GET", "/agents/my-agent/", true],
        ["POST", "/agents/my-agent/runs/", true],
        ["GET", "/sessions/", true],
        ["DELETE", "/memories/", true],
        ["GET", "/health/", true],
        ["GET", "/mcp/", true],
        ["POST", "/mcp/", true],
        ["POST", "/chat/agui", true],
        ["GET", "/chat/status", true],
    ]);
    let prefixed = dir.join(format!("openapi-{version}-agui-chat.json"));
    let answers = run_matrix(
        harness,
        dir,
        density
            .requests(json!({"agui_prefix": "/chat", "requests": requests, "openapi": prefixed})),
    );
    let t = compare(version, &answers, &served(profile, &prefixed));
    eprintln!(
        "agno {version} trailing slashes, AG-UI under /chat: {} cells, {} agree",
        t.cells, t.agree
    );
    failures.extend(t.wrong);

    // AgentOS(authorization=False) with JWT_VERIFICATION_KEY: tokens checked from 2.7.0
    // (--no-authorization), nothing at all before (every request passes).
    let bad = json!([
        form("valid", json!({})),
        form("expired", json!({"exp": 1_000_000})),
        {"name": "other key", "claims": {"scopes": admin}, "secret": "not-the-server-secret-0123456789ab"},
    ]);
    let requests = json!([
        ["GET", "/agents", true],
        ["POST", "/agents/my-agent/runs", true]
    ]);
    let answers = run_matrix(
        harness,
        dir,
        json!({"scope_forms": false, "claim_forms": bad, "requests": requests, "env_key_only": true}),
    );
    let mut server = served(profile, routes);
    server.authorization = false;
    let t = if profile.behaviour.env_key_installs_auth {
        compare(version, &answers, &server)
    } else {
        // Nothing installed: AgentOS answers every cell past auth; the tool's
        // --no-authorization verdict (a hand-added JWTMiddleware) says why it differs.
        let cells = answers["cells"].as_array().unwrap();
        let wrong: Vec<String> = cells
            .iter()
            .filter(|c| [401, 403].contains(&c["status"].as_u64().unwrap()))
            .map(|c| {
                format!(
                    "agno {version} env key only {} {} [{}]: AgentOS {} (expected no auth layer)",
                    c["method"], c["path"], c["form"], c["status"]
                )
            })
            .collect();
        let cfg = matrix_config(&server, None, None);
        let valid = cells.iter().find(|c| c["form"] == "valid").unwrap();
        let req = Request::parse("GET /agents").unwrap();
        let v = verify(valid["token"].as_str().unwrap(), &cfg, Some(&req));
        assert!(
            v.notes.iter().any(|n| n.contains("installs no JWT check")),
            "agno {version} --no-authorization verdict lacks the env-key note: {v:?}"
        );
        Tally {
            cells: cells.len(),
            agree: cells.len() - wrong.len(),
            wrong,
        }
    };
    eprintln!(
        "agno {version} env key, authorization=False: {} cells, {} agree",
        t.cells, t.agree
    );
    failures.extend(t.wrong);
    failures
}

/// The MCP server's built-in tools (2.7.0 on: each checks the scopes of its REST route),
/// called over JSON-RPC with every form and the tool's own scopes.
fn mcp_tools(
    harness: &mut Harness,
    version: &str,
    profile: &'static agentos_auth::agentos::Profile,
    routes: &std::path::Path,
    dir: &std::path::Path,
) -> Vec<String> {
    if profile.mcp.tools.is_empty() {
        return Vec::new();
    }
    let run = |field: &str, id: &str| json!({field: id, "message": "hi"});
    let agent_run = json!({"run_id": "r1", "session_id": "s1", "agent_id": "my-agent"});
    let calls = json!([
        ["get_agentos_config", {}, ["config:read", "system:read"]],
        ["run_agent", run("agent_id", "my-agent"), ["agents:run", "agents:my-agent:run", "agents:read"]],
        ["run_agent", run("agent_id", "other-agent"), ["agents:my-agent:run", "agents:*:run"]],
        ["run_team", run("team_id", "my-team"), ["teams:run", "teams:my-team:run"]],
        ["run_workflow", run("workflow_id", "my-workflow"), ["workflows:run", "workflows:my-workflow:run"]],
        ["continue_run", agent_run, ["agents:run", "agents:my-agent:run"]],
        ["cancel_run", agent_run, ["agents:run", "agents:other:read"]],
        ["cancel_run", {"run_id": "r1", "agent_id": "my-agent", "team_id": "my-team"}, ["agents:run"]],
        ["get_sessions", {}, ["sessions:read"]],
        ["get_session_runs", {"session_id": "s1"}, ["sessions:read", "several"]],
    ]);
    let named: Vec<&str> = calls
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c[0].as_str())
        .collect();
    for t in profile.mcp.tools {
        assert!(
            named.contains(&t.name),
            "agno {version}: the MCP tool {} is never called",
            t.name
        );
    }
    let run_route = profile.mcp.tool_run_route.is_some();
    let answers = run_matrix(
        harness,
        dir,
        json!({"requests": [], "mcp_calls": calls, "cells_per_route": 2, "mcp_run_route": run_route}),
    );
    let t = compare(version, &answers, &served(profile, routes));
    let refused = answers["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["detail"]
                .as_str()
                .is_some_and(|d| d.contains("Insufficient permissions"))
        })
        .count();
    let one_id = answers["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["detail"]
                .as_str()
                .is_some_and(|d| d.contains("Provide exactly one"))
        })
        .count();
    eprintln!(
        "agno {version} MCP tool calls: {} cells ({refused} refused by the tool, {one_id} on two ids), {} agree",
        t.cells, t.agree
    );
    let on_run_route = answers["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["path"].as_str().is_some_and(|p| p.ends_with("/run")))
        .count();
    assert_eq!(
        on_run_route > 0,
        run_route,
        "agno {version}: the tool-run route is sent to where the profile has it"
    );
    assert!(
        refused > 0 && one_id > 0,
        "agno {version}: no MCP tool call was refused ({refused}) or failed on its ids ({one_id})"
    );
    t.wrong
}

/// A 307 (Starlette's `redirect_slashes`, before 2.4.0): the same Location (path and
/// query), and the answer the harness got following it, by the cell rules above.
fn redirect_agrees(v: &Verdict, c: &Value) -> bool {
    let Some(r) = &v.redirect else { return false };
    let location = c["location"].as_str().unwrap_or_default();
    let location = location
        .strip_prefix("http://testserver")
        .unwrap_or(location);
    let detail = c["followed"]["detail"].as_str();
    location == r.location
        && match c["followed"]["status"].as_u64() {
            Some(s @ (401 | 403)) => {
                u64::from(r.answer.status) == s && r.answer.detail.as_deref() == detail
            }
            Some(404) if detail == Some("Not Found") => r.answer.status == 404,
            Some(_) => r.answer.status == 200,
            None => false,
        }
}

/// Trailing slashes on the default app, whose router nothing mounted at "/" (the MCP
/// app) stands in front of: before 2.4.0 it redirects (307) what the auth middleware let
/// through (after the middleware looked `/agents/` up as `/agents/*`), and the harness
/// follows the redirect too.
fn slash_probes() -> Vec<Value> {
    let forms = [
        "agents:read",
        "agents:run",
        "sessions:read",
        "agents:my-agent:read",
        "agents:other:read",
        "[]",
    ];
    [
        ("GET", "/agents/"),
        ("GET", "/agents/?limit=1"),
        ("GET", "/agents/my-agent/"),
        ("GET", "/agents/nope/"),
        ("POST", "/agents/my-agent/runs/"),
        ("GET", "/sessions/"),
        ("GET", "/config/"),
        ("DELETE", "/health/"),
    ]
    .iter()
    .map(|(m, p)| json!([m, p, true, forms]))
    .collect()
}

/// A concrete path for an OpenAPI template: existing ids where the harness has them; a
/// `{name:path}` parameter gets several segments.
fn fill_template(template: &str) -> String {
    template
        .split('/')
        .map(|seg| match seg {
            "{agent_id}" | "{id}" => "my-agent",
            "{team_id}" => "my-team",
            "{workflow_id}" => "my-workflow",
            s if s.starts_with('{') && s.ends_with(":path}") => "docs/a.md",
            s if s.starts_with('{') => "x1",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A private PostgreSQL cluster for the public surface runs (`PublicSurface` requires a
/// PostgresDb): initdb into a temp dir, one postgres listening only on a unix socket in
/// that dir (no TCP), as `nobody` when the test runs as root (PostgreSQL refuses root).
/// Stopped on drop (fast shutdown, then killed), when the test fails too. Missing
/// binaries FAIL the test: `.ci/setup-postgres` installs them.
struct Postgres {
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

impl Postgres {
    const START_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

    fn bin_dir() -> PathBuf {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("postgres").exists() && b.join("initdb").exists())
            .collect();
        found.sort();
        found.pop().unwrap_or_else(|| {
            panic!("PostgreSQL server binaries missing (/usr/lib/postgresql/*/bin/postgres): run .ci/setup-postgres")
        })
    }

    /// `program` as the cluster's owner: `nobody` (setpriv, no fork) when we are root.
    fn command(program: &std::path::Path) -> Command {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn start() -> Postgres {
        let bin = Self::bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("agno-matrix-pg-")
            .tempdir()
            .unwrap();
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534))
                .expect("chown the cluster dir to nobody");
        }
        let data = dir.path().join("data");
        let out = Self::command(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "agno", "--auth=trust", "--no-sync", "-E", "UTF8"])
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let log = std::fs::File::create(dir.path().join("postgres.log")).unwrap();
        let child = Self::command(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(dir.path())
            .args(["-c", "listen_addresses=", "-c", "fsync=off", "-p", "5432"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start postgres");
        let mut pg = Postgres {
            dir,
            child: Some(child),
        };
        let started = std::time::Instant::now();
        loop {
            let ready = Command::new(bin.join("pg_isready"))
                .arg("-h")
                .arg(pg.dir.path())
                .args(["-p", "5432", "-U", "agno", "-d", "postgres", "-q"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return pg;
            }
            if let Some(status) = pg.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!(
                    "postgres exited ({status}): {}",
                    std::fs::read_to_string(pg.dir.path().join("postgres.log")).unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Self::START_TIMEOUT,
                "postgres not ready after {:?}: {}",
                Self::START_TIMEOUT,
                std::fs::read_to_string(pg.dir.path().join("postgres.log")).unwrap_or_default()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The SQLAlchemy URL agno's PostgresDb takes (the socket dir as host).
    fn url(&self) -> String {
        format!(
            "postgresql+psycopg://agno@/postgres?host={}&port=5432",
            self.dir.path().display()
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGINT: fast shutdown (the backends end, the socket goes).
        // SAFETY: kill on our own child's pid.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        }
        let asked = std::time::Instant::now();
        while asked.elapsed() < std::time::Duration::from_secs(10) {
            if child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A run id the public middleware takes (`_uuid`: the canonical form).
const RUN_UUID: &str = "0b9e7f5c-4a4e-4c61-9a53-1d2b7c1e8f00";

/// `AgentOS(public=PublicSurface(agents=[my-agent], teams=[my-team]))` on a PostgresDb (a
/// private cluster), the default app, with `authorization=True` and with a key alone
/// (`authorization=False`): no token and several token forms (scopes, expired, another
/// key, the token in two Authorization headers) on the public and other run routes,
/// cancels, listings, /info, /health, the docs, /readyz and other routes.
fn public_surface(
    harness: &mut Harness,
    version: &str,
    profile: &'static agentos_auth::agentos::Profile,
    dir: &std::path::Path,
) -> Vec<String> {
    let pg = Postgres::start();
    let mut failures = Vec::new();
    let cancel = format!("/agents/my-agent/runs/{RUN_UUID}/cancel");
    let cont = format!("/agents/my-agent/runs/{RUN_UUID}/continue");
    let requests = json!([
        ["POST", "/agents/my-agent/runs", true],
        ["POST", "/agents/other-agent/runs", true],
        ["POST", "/teams/my-team/runs", true],
        ["POST", "/workflows/my-workflow/runs", true],
        ["POST", "/agents/my-agent/runs?stream=false", true],
        ["POST", "/agents/my-agent/runs/x1/cancel", true],
        ["POST", cancel, true],
        ["POST", "/agents/other-agent/runs/x1/cancel", true],
        ["POST", cont, true],
        ["GET", "/agents", true],
        ["GET", "/teams", true],
        ["GET", "/workflows", true],
        ["GET", "/agents/my-agent", true],
        ["GET", "/info", true],
        ["GET", "/health", true],
        ["GET", "/", true],
        ["GET", "/docs", true],
        ["GET", "/openapi.json", true],
        ["GET", "/readyz", false],
        ["GET", "/sessions", true],
        ["GET", "/config", true],
        ["GET", "/memories", true],
        ["GET", "/nothing/here", false],
    ]);
    let form = |name: &str, claims: Value| json!({"name": name, "claims": claims});
    let forms = json!([
        form("admin", json!({"scopes": ["agent_os:admin"]})),
        form("agents:run", json!({"scopes": ["agents:run"]})),
        form("agents:my-agent:run", json!({"scopes": ["agents:my-agent:run"]})),
        form("agents:read", json!({"scopes": ["agents:read"]})),
        form("teams:read", json!({"scopes": ["teams:read"]})),
        form("[]", json!({"scopes": []})),
        form("expired", json!({"scopes": ["agent_os:admin"], "exp": 1_000_000})),
        {"name": "other key", "claims": {"scopes": ["agent_os:admin"]}, "secret": "not-the-server-secret-0123456789ab"},
        {"name": "two Authorization headers", "claims": {"scopes": ["agent_os:admin"]}, "double_authorization": true},
    ]);
    let public = json!({"db_url": pg.url(), "agents": ["my-agent"], "teams": ["my-team"]});
    let sel = agentos_auth::agentos::deployment::PublicSelection {
        agents: vec!["my-agent".into()],
        teams: vec!["my-team".into()],
        mcp: false,
    };
    for (label, env_key_only) in [
        ("authorization=True", false),
        ("authorization=False, key set", true),
    ] {
        let started = std::time::Instant::now();
        let answers = run_matrix(
            harness,
            dir,
            json!({"routers": "none", "scope_forms": false, "claim_forms": forms,
                   "requests": requests, "public": public, "env_key_only": env_key_only,
                   "openapi": dir.join(format!("openapi-public-{version}.json"))}),
        );
        let mut server = Server::new(profile);
        server.authorization = !env_key_only;
        let server = server.with_public(sel.clone()).unwrap();
        let t = compare_public(version, &answers, &server);
        failures.extend(public_cli_cells(version, &answers, env_key_only, dir));
        eprintln!(
            "agno {version} public surface ({label}): {} cells, {} agree ({:.1} s)",
            t.cells,
            t.agree,
            started.elapsed().as_secs_f64()
        );
        failures.extend(t.wrong);
    }
    drop(pg);
    failures
}

/// The public middleware's refusals that depend on the request body (the form of a run):
/// `verify` says "through" and that the form decides.
const FORM_CODES: &[&str] = &[
    "invalid_message",
    "invalid_form_fields",
    "invalid_request_body",
    "invalid_run_mode",
    "background_not_allowed",
    "run_failed",
];

/// `compare` for a public surface: also the public middleware's own refusals (status and
/// `error.code`), the anonymous listings' ids, and two Authorization headers (401, which
/// `verify`'s context must name).
fn compare_public(version: &str, answers: &Value, server: &Server) -> Tally {
    assert_eq!(answers["agno_version"], version);
    let mut t = Tally {
        cells: 0,
        agree: 0,
        wrong: Vec::new(),
    };
    let cfg = matrix_config(server, None, None);
    for c in answers["cells"].as_array().unwrap() {
        let method = c["method"].as_str().unwrap();
        let path = c["path"].as_str().unwrap();
        let req = Request::parse(&format!("{method} {path}")).unwrap();
        let token = c["token"].as_str().unwrap();
        let v = verify(token, &cfg, Some(&req));
        let real = c["status"].as_u64().unwrap() as u16;
        let real_detail = c["detail"].as_str();
        let real_code = c["code"].as_str();
        let ok = if c["double_authorization"] == true {
            let said = real_detail.or(real_code).unwrap_or("(none)");
            real == 401 && v.context.iter().any(|n| n.contains(said))
        } else if v.error_code.is_some() {
            real == v.status && real_code == v.error_code.as_deref()
        } else {
            match real {
                401 | 403 => v.status == real && v.detail.as_deref() == real_detail,
                _ if real_code.is_some() => {
                    v.status == 200
                        && real_code.is_some_and(|c| FORM_CODES.contains(&c))
                        && v.notes.iter().any(|n| n.contains("then the form"))
                }
                404 if c["template"].is_null() => v.status == 404,
                _ if v.status == 404 => real == 404,
                200 if v.visible_ids.is_some() && token.is_empty() => {
                    let mut ids: Vec<String> = answers_ids(c);
                    ids.sort();
                    let mut want = v.visible_ids.clone().unwrap_or_default();
                    want.sort();
                    v.status == 200 && ids == want
                }
                _ => v.status == 200,
            }
        };
        t.cells += 1;
        if ok {
            t.agree += 1;
        } else {
            t.wrong.push(format!(
                "agno {version} public {method} {path} [{}]: AgentOS {real} {:?} code {:?} ids {:?}, verify {} {:?} code {:?} ids {:?}",
                c["form"].as_str().unwrap_or_default(),
                real_detail.unwrap_or_default(),
                real_code,
                c["ids"],
                v.status,
                v.detail.as_deref().unwrap_or_default(),
                v.error_code,
                v.visible_ids
            ));
        }
    }
    t
}

/// The ids of a listing cell (`ids` in the harness answer).
fn answers_ids(c: &Value) -> Vec<String> {
    c["ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Some public-surface cells through the binary (`--public-agent`, `--public-team`,
/// `--no-authorization`): its status and error code must be the real ones.
fn public_cli_cells(
    version: &str,
    answers: &Value,
    no_authorization: bool,
    dir: &std::path::Path,
) -> Vec<String> {
    let key = dir.join("public-secret");
    std::fs::write(&key, SECRET).unwrap();
    let mut wrong = Vec::new();
    let cells = answers["cells"].as_array().unwrap();
    let picked = cells.iter().filter(|c| {
        c["double_authorization"] != true
            && (c["token"] == "" || c["form"] == "admin" || c["form"] == "agents:read")
    });
    for c in picked.step_by(3) {
        let request = format!(
            "{} {}",
            c["method"].as_str().unwrap(),
            c["path"].as_str().unwrap()
        );
        let token = c["token"].as_str().unwrap();
        let mut cmd = bin();
        cmd.args(["verify", "--alg", "HS256", "--key"])
            .arg(&key)
            .args(["--agno", version, "--public-agent", "my-agent"])
            .args(["--public-team", "my-team", "--request", &request, "--json"]);
        if no_authorization {
            cmd.arg("--no-authorization");
        }
        let v = verify_json(cmd, token, &request);
        let real = c["status"].as_u64().unwrap();
        let code = c["code"].as_str();
        // A refusal the public middleware makes before the body: status and code; a
        // 401/403: status and detail; else through (200), a 404 for a route the app lacks.
        let agrees = if !v["error_code"].is_null() {
            v["status"] == real && v["error_code"].as_str() == code
        } else if [401, 403].contains(&real) {
            v["status"] == real && v["detail"] == c["detail"]
        } else if real == 404 && c["template"].is_null() {
            v["status"] == 404
        } else {
            v["status"] == 200
        };
        if !agrees {
            wrong.push(format!(
                "agno {version} public {request} [{}] (CLI{}): AgentOS {real} {:?}, verify {} {}",
                c["form"].as_str().unwrap_or_default(),
                if no_authorization {
                    ", --no-authorization"
                } else {
                    ""
                },
                code.or(c["detail"].as_str()).unwrap_or_default(),
                v["status"],
                v["error_code"]
            ));
        }
    }
    wrong
}
