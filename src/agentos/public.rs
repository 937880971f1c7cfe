//! `AgentOS(public=PublicSurface(...))` (agno 3.0.9 on): anonymous access to chosen
//! agents and teams, in front of the usual auth.
//!
//! Two layers answer, read off each release's `agno/os/middleware/jwt.py`
//! (`AuthMiddleware._dispatch`, its `mixed_public` branches) and `agno/os/public/`
//! (`PublicRoutePolicy.allows_anonymous` / `is_mcp` in `_policy.py`,
//! `PublicMiddleware.__call__` in `_middleware.py`); app.py adds the public middleware
//! first, so the auth middleware runs outside it:
//!
//! 1. The auth middleware. With `authorization=True` ("mixed"), several `Authorization`
//!    headers are 401 `Ambiguous Authorization header`; an excluded route is skipped
//!    unless the policy lets anyone have it (`/`, `/health`, `/info`) or it is an OpenAPI
//!    docs route (then the token is read: a bad one is 401, none is 401 on the docs); a
//!    request without a token on an anonymous route (`allows_anonymous`) goes on
//!    unauthenticated. A valid token is checked as usual (scopes, 403) and marked.
//! 2. The public middleware. A marked JWT caller gets the normal REST API, except on
//!    `/`, `/health`, `/readyz` and MCP paths; everyone else is anonymous: the selected
//!    listings, `/info`, `/health`, the selected runs and cancels (after a UUID, query and
//!    form check, a PostgreSQL rate limit, a capacity cap), public MCP; anything else is
//!    404 `not_found`, an `{"error": {"code": ...}}` body, not a `detail`.
//!
//! Without `authorization=True` the auth middleware (a key alone, `--no-authorization`)
//! knows nothing of the surface: it checks tokens as usual, and the public middleware
//! then treats every caller as anonymous.

use super::config::Config;
use super::deployment::{MountedPath, PublicSelection, Server};
use super::path_pattern::fnmatch;
use super::profiles::PublicRules;
use super::request::Request;
use super::routes::{is_public, normalize_path};
use super::verdict::{service_account_verdict, Verdict};

/// The 401 detail of the auth middleware for more than one `Authorization` header.
pub const AMBIGUOUS_DETAIL: &str = "Ambiguous Authorization header";

/// `RUN_ROUTE`: `^/(agents|teams|workflows)/([^/]+)/runs(?:/([^/]+)(/cancel)?)?$`.
struct RunRoute<'a> {
    family: &'a str,
    id: &'a str,
    run_id: Option<&'a str>,
    cancel: bool,
}

fn run_route(path: &str) -> Option<RunRoute<'_>> {
    let segs: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let family = *segs.first()?;
    if !["agents", "teams", "workflows"].contains(&family) {
        return None;
    }
    let id = *segs.get(1)?;
    if id.is_empty() || segs.get(2) != Some(&"runs") {
        return None;
    }
    match segs.len() {
        3 => Some(RunRoute {
            family,
            id,
            run_id: None,
            cancel: false,
        }),
        4 | 5 if !segs[3].is_empty() && (segs.len() == 4 || segs[4] == "cancel") => {
            Some(RunRoute {
                family,
                id,
                run_id: Some(segs[3]),
                cancel: segs.len() == 5,
            })
        }
        _ => None,
    }
}

/// `_uuid`: `str(UUID(value)) == value.lower()`, i.e. the hyphenated form, any case.
fn canonical_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

struct Surface<'a> {
    rules: &'a PublicRules,
    sel: &'a PublicSelection,
    /// `authorization=True`: `PublicRoutePolicy.authenticated_api`.
    mixed: bool,
}

impl Surface<'_> {
    /// `PublicRoutePolicy.is_mcp`.
    fn is_mcp(&self, path: &str) -> bool {
        if let Some(p) = self.rules.mcp_private_prefix {
            if path == p || path.starts_with(&format!("{p}/")) {
                return false;
            }
        }
        path == "/mcp" || path.starts_with("/mcp/")
    }

    /// `PublicRoutePolicy.allows_anonymous`.
    fn allows_anonymous(&self, method: &str, path: &str) -> bool {
        let r = self.rules;
        if r.open.contains(&path) && matches!(method, "GET" | "HEAD") {
            return true;
        }
        if method == "GET" && (path == r.readyz || r.listings.contains(&path)) {
            return true;
        }
        if self.mixed && method == "GET" && path == r.info {
            return true;
        }
        if self.sel.mcp && r.mcp_paths.contains(&path) {
            return true;
        }
        match run_route(path) {
            Some(run) if method == "POST" => {
                r.run_families.contains(&run.family)
                    && self.sel.ids(run.family).iter().any(|i| i == run.id)
                    && (run.run_id.is_none() || run.cancel)
            }
            _ => false,
        }
    }
}

/// The public middleware's own refusal: `{"error": {"code": code, ...}}`, no `detail`.
fn refused(status: u16, code: &str, reason: String, fix: &str) -> Verdict {
    Verdict {
        fix: Some(fix.into()),
        error_code: Some(code.into()),
        ..Verdict::new(status, reason)
    }
}

/// What the public middleware answers a caller it does not take as a verified JWT.
fn anonymous(
    srv: &Server,
    s: &Surface,
    method: &str,
    path: &str,
    query: Option<&str>,
    what: &str,
) -> Verdict {
    let r = s.rules;
    // `interface_routes`: the routes of interfaces that authenticate their own requests.
    if let Some((pattern, iface)) = srv
        .excluded_interfaces
        .iter()
        .find(|(p, i)| i.authenticates_own_requests && fnmatch(path, p))
    {
        return Verdict::through(
            format!("the public middleware hands {what} to the {} interface", iface.name),
            vec![format!(
                "{pattern} is the {} interface's: the interface checks its own requests (its platform's signature or secret)",
                iface.name
            )],
        );
    }
    if s.mixed && method == "GET" && path == r.info {
        return Verdict::through(
            format!(
                "{what} is public with a public surface and authorization=True: anyone gets it"
            ),
            Vec::new(),
        );
    }
    if r.open.contains(&path) && matches!(method, "GET" | "HEAD") {
        return Verdict::through(format!("{what} is open to anyone"), Vec::new());
    }
    if method == "GET" && path == r.readyz {
        return Verdict::through(
            format!("the public middleware answers {what} itself, for anyone"),
            vec!["it asks the PostgreSQL database: 200 {\"status\": \"ok\"} when the database and its agno_public_limits table answer, else an error".into()],
        );
    }
    if method == "GET" && r.listings.contains(&path) {
        let family = &path[1..];
        let ids = s.sel.ids(family).to_vec();
        let mut v = Verdict::through(
            format!(
                "the public middleware answers {what} itself: the public {family} only ({})",
                if ids.is_empty() {
                    "none selected".to_string()
                } else {
                    ids.join(", ")
                }
            ),
            vec![format!("a caller without a verified JWT sees only the {family} PublicSurface selects (id, name, description)")],
        );
        v.visible_ids = Some(ids);
        return v;
    }
    let mcp = s.sel.mcp && r.mcp_paths.contains(&path);
    if mcp {
        if matches!(method, "GET" | "HEAD" | "OPTIONS" | "DELETE") {
            return Verdict::through(
                format!("the public middleware hands {what} to the MCP server"),
                Vec::new(),
            );
        }
        if method != "POST" || path != "/mcp" {
            return refused(
                404,
                "not_found",
                format!(
                    "the public middleware answers {what} 404: public MCP takes POST only on /mcp"
                ),
                "send the JSON-RPC request as POST /mcp",
            );
        }
        return Verdict::through(
            format!("public MCP: the public middleware admits {what} to the MCP server"),
            vec!["it first takes one from the mcp rate limit in PostgreSQL (429 rate_limited with Retry-After when spent) and caps concurrent requests (503 request_capacity); the body must be one JSON-RPC object (400 invalid_mcp_request, mcp_batch_not_supported; 413 over 128 KiB); only the MCPConfig(tools=[...]) tools are there".into()],
        );
    }
    let selected = run_route(path).filter(|run| {
        r.run_families.contains(&run.family) && s.sel.ids(run.family).iter().any(|i| i == run.id)
    });
    let Some(run) = selected else {
        let mut v = refused(
            404,
            "not_found",
            format!(
                "the public middleware answers {what} 404: it is no public route, and the caller {}",
                if s.mixed {
                    "sends no token"
                } else {
                    "is anonymous to it (authorization=False: no token is ever taken as verified)"
                }
            ),
            if s.mixed {
                "send a valid JWT (the normal REST API), or select the agent or team in PublicSurface"
            } else {
                "turn on AgentOS(authorization=True) so JWT callers get the REST API, or select the agent or team in PublicSurface"
            },
        );
        if path.starts_with("/workflows/") {
            v.notes.push("PublicSurface(workflows=...) is not modelled: its runs need a verified caller (require_verified_public_workflow)".into());
        }
        return v;
    };
    let one = &run.family[..run.family.len() - 1];
    if let Some(run_id) = run.run_id {
        if !canonical_uuid(run_id) {
            return refused(
                400,
                "invalid_handle",
                format!(
                    "the public middleware answers {what} 400: the run id {run_id:?} is not a UUID"
                ),
                "use the run id AgentOS returned (a UUID)",
            );
        }
    }
    if method != "POST" || (run.run_id.is_some() && !run.cancel) {
        return refused(
            404,
            "not_found",
            format!("the public middleware answers {what} 404: a public {one} takes only POST runs and cancels"),
            "POST /<family>/<id>/runs or /runs/<run_id>/cancel",
        );
    }
    if query.is_some_and(|q| !q.is_empty()) {
        return refused(
            400,
            "query_overrides_not_allowed",
            format!("the public middleware answers {what} 400: a public run takes no query string"),
            "send the fields as form data, without ?...",
        );
    }
    let (bucket, fields) = if run.cancel {
        ("cancel", "session_id (a UUID) only")
    } else {
        (
            "run",
            "message (1 byte to 32 KiB), stream, session_id (a UUID), background=false only",
        )
    };
    let mut notes = vec![format!(
        "it first takes one from the {bucket} rate limit in PostgreSQL (default 10 a minute per client; 429 rate_limited with Retry-After when spent){}",
        if run.cancel { "" } else { " and caps concurrent runs (503 run_capacity, max_active_runs)" }
    )];
    notes.push(format!(
        "then the form (multipart or urlencoded) is checked: {fields}, else 400 (invalid_message, invalid_form_fields, ...); the answer depends on that body"
    ));
    if !run.cancel {
        notes.push("a run that fails is 503 run_failed (a stream ends with a sanitised RunError event), and output over max_output_bytes is 503 output_limit".into());
    }
    if r.browser_origins {
        notes.push("with PublicSurface(enforce_browser_origins=True), an Origin outside the CORS origins is 403 origin_not_allowed first".into());
    }
    Verdict::through(
        format!(
            "{what} is a public {one} {}: the auth middleware lets it through without a token, and the public middleware admits it",
            if run.cancel { "cancel" } else { "run" }
        ),
        notes,
    )
}

/// `verify` for a server with a public surface: `core` is the verdict without one.
pub(crate) fn verify(
    token: &str,
    cfg: &Config,
    r: &Request,
    core: fn(&str, &Config, &Server, Option<&Request>) -> Verdict,
) -> Verdict {
    let srv = &cfg.server;
    let (Some(sel), Some(rules)) = (srv.public.as_ref(), srv.profile.public.as_ref()) else {
        return core(token, cfg, srv, Some(r));
    };
    let MountedPath::Inside { matched, .. } = srv.mounted_path(&r.path) else {
        return core(token, cfg, srv, Some(r));
    };
    let s = Surface {
        rules,
        sel,
        mixed: srv.authorization,
    };
    let (path, query) = normalize_path(srv, matched);
    let method = r.method.as_str();
    let what = format!("{} {}", r.method, r.path);
    let ambiguous = if s.mixed {
        format!("with a public surface, a request with more than one Authorization header is 401 \"{AMBIGUOUS_DETAIL}\" (the auth middleware, first)")
    } else {
        "with a public surface, a request with more than one Authorization header is 401 ambiguous_authorization (the public middleware, after the auth middleware took the first)".into()
    };
    let finish = |mut v: Verdict| {
        v.context.push(ambiguous.clone());
        v
    };
    let excluded = is_public(srv, &path)
        || cfg
            .roles
            .as_ref()
            .is_some_and(|p| p.is_excluded(srv, matched));
    let reenabled = s.mixed
        && (s.allows_anonymous(method, &path) || rules.docs.contains(&path.as_str()))
        && !s.is_mcp(&path);
    if method == "OPTIONS" || (excluded && !reenabled) {
        let mut v = anonymous(srv, &s, method, &path, query.as_deref(), &what);
        v.notes.insert(
            0,
            format!("the auth middleware skips {what} (an OPTIONS request or an excluded route) and reads no token: the public middleware answers it as for anyone"),
        );
        return finish(v);
    }
    // The routes the auth middleware reads a token on again: no longer excluded.
    let mut guarded = srv.clone();
    if excluded {
        guarded
            .public_paths
            .retain(|p| !(fnmatch(&path, p) || fnmatch(path.trim_end_matches('/'), p)));
    }
    if token.trim().is_empty() {
        if s.mixed && s.allows_anonymous(method, &path) {
            let mut v = anonymous(srv, &s, method, &path, query.as_deref(), &what);
            v.notes.insert(0, format!("{what} is anonymous-allowed (PublicRoutePolicy.allows_anonymous): the auth middleware lets it through without a token"));
            return finish(v);
        }
        let mut v = core(token, cfg, &guarded, Some(r));
        if excluded {
            v.notes.push(format!("with a public surface and authorization=True, AgentOS no longer skips {path} (an excluded route): it wants a token"));
        } else if v.status == 401 {
            v.notes.push(format!("{what} is not in the public surface: without a token only the public routes answer (the selected agents' and teams' runs, GET /agents, GET /teams, /health, /info)"));
        }
        return finish(v);
    }
    if token.trim().starts_with("agno_pat_") {
        // A public surface runs on a PostgresDb: service accounts are checked against it.
        return finish(service_account_verdict(token.trim()));
    }
    let mut v = core(token, cfg, &guarded, Some(r));
    if !matches!(v.status, 200 | 404) {
        return finish(v);
    }
    if v.status == 404 && excluded && srv.profile.public_paths.contains(&path.as_str()) {
        // AgentOS's own excluded routes (the docs, /info, ...) are always served, though
        // the default app's route list leaves them out.
        v = Verdict::through(
            format!("AgentOS lets {what} through: the token passes"),
            v.notes,
        );
        v.notes.retain(|n| !n.contains("default app"));
    }
    let verified = s.mixed;
    let own = s.is_mcp(&path) || rules.open.contains(&path.as_str()) || path == rules.readyz;
    if verified && !own {
        let mut v = v;
        v.notes.push("with a public surface, a verified JWT gets the normal REST API and its scopes (the public middleware adds Cache-Control: private, no-store)".into());
        return finish(v);
    }
    let mut a = anonymous(srv, &s, method, &path, query.as_deref(), &what);
    a.notes.insert(
        0,
        if verified {
            format!("the token passes the auth middleware, but the public middleware answers {path} itself, as for anyone")
        } else {
            "the token passes the auth middleware, but with authorization=False the public middleware takes no caller as verified: it answers as for anyone".into()
        },
    );
    a.notes.extend(v.notes);
    a.context.extend(v.context);
    finish(a)
}
