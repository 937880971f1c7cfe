//! The verification engine: what AgentOS 3.x answers to a token, and why.
//!
//! Mirrors, step for step, agno 3.1.10's `JWTValidator.validate_token` and
//! `AuthMiddleware._dispatch` (`agno/os/middleware/jwt.py`) over PyJWT 2.x's
//! `jwt.decode(token, key, algorithms=[alg], leeway=10)` (`api_jws.py`, `api_jwt.py`,
//! `algorithms.py`). Order matters because the first failing check names the 401:
//!
//! 1. PyJWS `_load`: three segments, base64url (canonical), header a JSON object;
//!    `kid` must be a string. With a JWKS this happens first (`get_unverified_header`).
//! 2. Key choice: JWKS by `kid`, else the kid-less default key; then each static key.
//!    `ExpiredSignatureError` ends the search; any other `InvalidTokenError` moves on
//!    (or is raised when there are no static keys); a non-PyJWT error (an unusable
//!    key) ends everything with `Error decoding token: ...`.
//! 3. Per key: `alg` must be the ONE configured algorithm, the key is prepared as
//!    PyJWT would from the raw text AgentOS was given, the signature is checked,
//!    then the payload must be a JSON object, then `iat`, `nbf`, `exp` (10 s leeway),
//!    `sub` and `jti` must be strings.
//! 4. agno: audience (string or list, any match), issuer, reserved subjects, and the
//!    route's scopes ([`super::check_access`]).
//!
//! Everything is data in, data out: no files, no environment, no clock.
//!
//! Then, for a request: the mount prefix and the public routes, the route decision of
//! whichever `Decider` rules (the scope plane, or the planes of a roles file), the
//! handler's body check, the route's presence (404), an MCP tool's own check, and the
//! verdict. Each step is written once, whatever decides.

use serde_json::Value;

use super::body::BodyCheck;
use super::config::Config;
use super::decision::{Access, Decider, Decision, Visible};
use super::deployment::{MountedPath, Server};
use super::mcp;
use super::path_pattern::fnmatch;
use super::provider_shape::{recognise, Aspect, Finding, Reading};
use super::public;
use super::pyjwt::validate;
use super::rejection::rejection;
use super::request::Request;
use super::routes::{is_mounted, normalize_path, optional_owner, slash_redirect};
use super::scope_plane::{check_access_mounted, ScopePlane};
use super::scopes::check_subject;
use super::verdict::{body_note, service_account_verdict, Redirect, Verdict};
use crate::keys::Alg;

/// A path outside the mount prefix never reaches AgentOS: the parent app answers (a
/// bare FastAPI parent: 404 "Not Found", no token read).
fn outside_mount(srv: &Server, r: &Request) -> Verdict {
    let p = &srv.mount_prefix;
    let reason = format!(
        "{} {} is outside {p}, where AgentOS is mounted: the parent app answers it, AgentOS never sees it",
        r.method, r.path
    );
    Verdict {
        notes: vec![format!(
            "a parent app with routes of its own outside {p} answers those itself, with its own auth"
        )],
        ..Verdict::deny(
            404,
            "Not Found".into(),
            reason,
            format!("send it under the prefix: {p}{}", r.path),
        )
    }
}

/// 404: the token passes, but the server has no such route (and, without its routes,
/// which default app that is and what would mount the route).
fn not_found(srv: &Server, r: &Request, mut notes: Vec<String>) -> Verdict {
    let what = format!("{} {}", r.method, r.path);
    let bare_path = r
        .path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if srv.routes.is_none() {
        notes.push(format!(
            "the server's routes are not known, so this is agno {}'s default app (AgentOS(agents, teams, workflows, db), no optional router or interface): --routes FILE (the server's GET /openapi.json) or --url URL gives the real server's routes",
            srv.profile.version
        ));
    }
    if let Some(owner) = optional_owner(srv, bare_path) {
        notes.push(format!("{bare_path} belongs to {owner}"));
    }
    if srv.mcp && srv.profile.mcp.host_guard_when_open {
        notes.push(mcp::host_guard_note());
    }
    if !srv.mcp && (bare_path == "/mcp" || bare_path.starts_with("/mcp/")) {
        notes.push(format!(
            "{bare_path} is served by AgentOS's MCP server, which is not in GET /openapi.json: pass --mcp if the server runs AgentOS(mcp=True) (enable_mcp_server=True before agno 3.0)"
        ));
    }
    Verdict {
        notes,
        ..Verdict::deny(
            404,
            "Not Found".into(),
            format!("the token passes, but this AgentOS has no route {what}"),
            "compare the method and path with the paths of the server's GET /openapi.json".into(),
        )
    }
}

/// Why a path under a mounted interface is public, and what answers there instead.
fn interface_note(srv: &Server, path: &str) -> Option<String> {
    let bare = path.split(['?', '#']).next().unwrap_or_default();
    let (pattern, iface) = srv
        .excluded_interfaces
        .iter()
        .find(|(p, _)| fnmatch(bare, p))?;
    Some(if iface.authenticates_own_requests {
        format!(
            "{pattern} is the {} interface's: agno {} takes it out of JWT auth and the interface checks its own requests (its platform's signature or secret; a WhatsApp webhook answers an unsigned request 403 \"Invalid signature\"): a bearer token plays no part there",
            iface.name, srv.profile.version
        )
    } else {
        format!(
            "{pattern} is the {} interface's: agno {} takes every mounted interface's prefix out of JWT auth, so anyone can call it without a token (fixed in 2.7.0: upgrade agno to keep it behind the scope check)",
            iface.name, srv.profile.version
        )
    })
}

/// The background note on a token's `aud` when the audience is not verified.
const AUD_NOT_CHECKED: &str =
    "aud not checked: AgentOS checks it only with verify_audience=True (pass --aud OS_ID to check it)";

/// A token for another audience passes an AgentOS with `verify_audience=False` (its
/// default), so `v` says nothing of it. When the audience the token is meant for is
/// known (`intended`, described by `whose`: the key store's `aud`, a live server's
/// `os_id`), this asks what the same AgentOS answers with `verify_audience=True` and
/// that audience (`JWTValidator.validate_token`'s audience check); a 401 there becomes
/// one warning on `v`, in place of the background note. `cfg` is returned as it came.
pub fn warn_unchecked_audience(
    v: &mut Verdict,
    token: &str,
    cfg: &mut Config,
    request: Option<&Request>,
    (intended, whose): (&str, &str),
) {
    if cfg.audience.is_some() || intended.is_empty() || v.status == 401 {
        return;
    }
    cfg.audience = Some(vec![intended.to_string()]);
    let strict = verify(token, cfg, request);
    cfg.audience = None;
    if strict.status != 401 {
        return;
    }
    v.context.retain(|n| n != AUD_NOT_CHECKED);
    v.warnings.push(format!(
        "aud is not checked (AgentOS's default, verify_audience=False): with verify_audience=True and audience {intended:?} ({whose}) AgentOS answers 401 {:?}: {}",
        strict.detail.unwrap_or_default(),
        strict.reason
    ));
}

/// What AgentOS answers to `token` (as sent after `Bearer `; empty = no token) for
/// `request`.
pub fn verify(token: &str, cfg: &Config, request: Option<&Request>) -> Verdict {
    match request {
        Some(r) if cfg.server.public.is_some() => public::verify(token, cfg, r, verify_on),
        _ => verify_on(token, cfg, &cfg.server, request),
    }
}

/// [`verify`] without a public surface, on `srv` (the server of `cfg`, or that server with
/// some excluded routes guarded again).
fn verify_on(token: &str, cfg: &Config, srv: &Server, request: Option<&Request>) -> Verdict {
    let token = token.trim();
    // Under a mount prefix: `matched` is what the auth middleware matches, `routed` the
    // request as the AgentOS app routes it (see MountedPath).
    let mut matched = String::new();
    let routed = match request.map(|r| (r, srv.mounted_path(&r.path))) {
        None => None,
        Some((r, MountedPath::Outside)) => return outside_mount(srv, r),
        Some((r, MountedPath::Inside { route, matched: m })) => {
            matched = m.to_string();
            Some(Request {
                path: route,
                ..r.clone()
            })
        }
    };
    if let (Some(r), Some(routed)) = (request, &routed) {
        let excluded = cfg
            .roles
            .as_ref()
            .is_some_and(|p| p.is_excluded(srv, &matched));
        let public =
            check_access_mounted(srv, None, &r.method, &matched, &routed.path) == Access::Public;
        if excluded || public {
            let notes: Vec<String> = interface_note(srv, &matched).into_iter().collect();
            if let Some(v) = redirected(token, cfg, srv, r, &routed.path, notes.clone()) {
                return v;
            }
            return Verdict::through(
                format!(
                    "{} {} is a public route: AgentOS reads no token there",
                    r.method, r.path
                ),
                notes,
            );
        }
    }
    let token = match srv.middleware.extract(token) {
        Ok(t) => t,
        Err(m) => return Verdict::deny(401, m.detail, m.reason, m.fix),
    };
    if token.starts_with("agno_pat_") {
        if cfg.roles.is_some() {
            return service_account_verdict(token);
        }
        return Verdict::deny(
            401,
            "Service accounts are not enabled on this AgentOS instance".into(),
            "this is a service-account token (agno_pat_...), not a JWT".into(),
            "service-account tokens need an AgentOS with a database; use a JWT from agentos-auth mint".into(),
        );
    }
    let acc = match validate(token, cfg) {
        Ok(a) => a,
        Err(e) => return rejection(&e, token, cfg),
    };
    let payload = &acc.payload;
    let mut notes = Vec::new();
    let mut context = Vec::new();

    // `is_reserved_principal(payload.get(user_id_claim))`: the user id claim, not `sub`.
    let mw = &srv.middleware;
    if let Some(Value::String(sub)) = payload.get(&mw.user_id_claim) {
        if let Err(e) = check_subject(srv.profile, sub) {
            if !sub.is_empty() {
                let what = match mw.user_id_claim.as_str() {
                    "sub" => "subject".to_string(),
                    c => format!("user id claim {c}"),
                };
                return Verdict::deny(
                    401,
                    "Invalid token subject".into(),
                    format!("the token's {what} {sub:?} is reserved for AgentOS's own principals"),
                    format!("mint with another --sub: {}", e.hint.unwrap_or_default()),
                );
            }
        }
    }
    if cfg.audience.is_none() && payload.contains_key("aud") {
        context.push(AUD_NOT_CHECKED.into());
    }
    if !payload.contains_key("exp") {
        notes.push("the token has no exp: AgentOS accepts it forever".into());
    }
    let behaviour = &srv.profile.behaviour;
    if cfg.issuer.as_deref().is_some_and(|i| !i.is_empty()) && !behaviour.issuer_pin {
        notes.push(format!(
            "agno {} cannot pin an issuer (Authorization(issuer=...) is agno 3.1.0 on): iss is not checked",
            srv.profile.version
        ));
    }
    if !srv.authorization && !behaviour.env_key_installs_auth {
        notes.push(format!(
            "agno {}: AgentOS(authorization=False) installs no JWT check, even with JWT_VERIFICATION_KEY set (every request passes, token or not; 2.7.0 on it validates); this verdict is for JWTMiddleware(authorization=False) added to the app by hand",
            srv.profile.version
        ));
    }
    let scopes = payload.get(&mw.scopes_claim);
    let shapes = provider_findings(payload, cfg, srv);
    if let Some(Value::String(s)) = scopes {
        if !shapes.iter().any(|f| f.claim == mw.scopes_claim) {
            notes.push(format!(
                "{} is a string: AgentOS reads {s:?} as ONE scope; mint a JSON list (agentos-auth mint --scopes a,b)",
                mw.scopes_claim
            ));
        }
    }
    // A user id elsewhere (Entra's oid, a client-credentials token without sub).
    for f in shapes.iter().filter(|f| f.aspect == Aspect::Subject) {
        notes.push(format!("{}: {}; {}", f.shape, f.seen, f.fix));
    }
    if cfg.alg != Alg::HS256 {
        context.push(format!("{} needs the cryptography package on the server: without it AgentOS answers 401 \"Invalid token: Algorithm not supported\"", cfg.alg));
    }

    let Some(r) = request else {
        for f in shapes.iter().filter(|f| f.aspect == Aspect::Scopes) {
            notes.push(format!("{}: {}", f.claim, f.sentence()));
        }
        return Verdict {
            context,
            ..Verdict::through(
                format!(
                    "AgentOS accepts the token (verified with {}); pass --request \"METHOD /path\" to check its scopes for a route",
                    acc.by
                ),
                notes,
            )
        };
    };
    let what = format!("{} {}", r.method, r.path);
    let full = r;
    let r = routed.as_ref().unwrap_or(r);
    if !srv.mount_prefix.is_empty() && !srv.profile.behaviour.matches_route_path {
        notes.push(format!(
            "agno {} matches the whole URL path ({}), prefix and all, against its route map and exclusions (3.0.9 on: the path under the mount)",
            srv.profile.version, full.path
        ));
    }
    let bare_path = r
        .path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if srv.routes.is_none()
        && srv
            .profile
            .unserved_routes
            .contains(&(r.method.as_str(), bare_path))
    {
        notes.push(format!(
            "agno {} serves no {} {bare_path}: expect 404 once auth passes",
            srv.profile.version, r.method
        ));
    }
    let step = Step {
        token,
        cfg,
        srv,
        full,
        r,
        what: &what,
        matched: &matched,
        by: &acc.by,
    };
    let v = match &cfg.roles {
        Some(policy) => step.decide(&policy.planes(srv, payload), notes),
        None => step.decide(&ScopePlane::new(srv, scopes), notes),
    };
    Verdict {
        context,
        ..explain_shapes(v, &shapes, cfg.roles.is_none())
    }
}

/// The provider shapes of a verified token (`provider_shape`), read as this server reads.
fn provider_findings(
    payload: &serde_json::Map<String, Value>,
    cfg: &Config,
    srv: &Server,
) -> Vec<Finding> {
    let mw = &srv.middleware;
    let reading = Reading {
        scopes_claim: &mw.scopes_claim,
        user_id_claim: &mw.user_id_claim,
        roles_claim: cfg.roles.as_ref().and_then(|p| p.roles_claim.as_deref()),
        audience: None,
        profile: srv.profile,
    };
    recognise(None, payload, &reading)
}

/// A 403 of the scope plane (`by_scopes`) on a token whose scopes sit where AgentOS does
/// not look: the reason names the claim and the provider shape, the fix is the shape's;
/// on any other answer (managed roles decided, or no 403) the shapes are notes.
fn explain_shapes(mut v: Verdict, shapes: &[Finding], by_scopes: bool) -> Verdict {
    let mut scope_shapes = shapes.iter().filter(|f| f.aspect == Aspect::Scopes);
    if by_scopes && v.status == 403 && v.redirect.is_none() {
        if let Some(first) = scope_shapes.next() {
            v.reason = format!(
                "{}; {} in {}: {}",
                v.reason, first.shape, first.claim, first.seen
            );
            v.fix = Some(first.fix.clone());
        }
    }
    for f in scope_shapes {
        v.notes.push(format!("{}: {}", f.claim, f.sentence()));
    }
    v
}

/// The 307 of Starlette's `redirect_slashes` for a request the auth middleware let
/// through (`routed`: its path under the mount), with the verdict on the redirected
/// request (same method, token and query; `curl -L`, requests and httpx keep the
/// Authorization header on the same host). `None`: no redirect.
fn redirected(
    token: &str,
    cfg: &Config,
    srv: &Server,
    full: &Request,
    routed: &str,
    notes: Vec<String>,
) -> Option<Verdict> {
    let (path, _) = normalize_path(srv, routed);
    slash_redirect(srv, &path)?;
    let raw = full.path.split('#').next().unwrap_or_default();
    let (bare, query) = raw
        .split_once('?')
        .map_or((raw, None), |(p, q)| (p, Some(q)));
    let location = match query {
        Some(q) => format!("{}?{q}", bare.trim_end_matches('/')),
        None => bare.trim_end_matches('/').to_string(),
    };
    let then = Request {
        path: location.clone(),
        ..full.clone()
    };
    let answer = verify_on(token, cfg, srv, Some(&then));
    let there = match &answer.detail {
        Some(d) => format!("{} {d:?}", answer.status),
        None => answer.status.to_string(),
    };
    let what = format!("{} {}", full.method, full.path);
    // The redirected request's fix when it is refused there; else the slash.
    let fix = answer.fix.clone().unwrap_or_else(|| {
        format!(
            "send {} {location} (no trailing slash): a client that does not follow redirects gets only the 307",
            full.method
        )
    });
    let reason = format!(
        "AgentOS lets {what} through, then redirects it (307) to {location}: agno {} strips no trailing slash (TrailingSlashMiddleware is 2.4.0 on) and no route takes it; following the redirect, the token gets {there}: {}",
        srv.profile.version, answer.reason
    );
    Some(Verdict {
        fix: Some(fix),
        notes,
        redirect: Some(Box::new(Redirect { location, answer })),
        ..Verdict::new(307, reason)
    })
}

/// A verified token's request, past the token checks.
struct Step<'a> {
    token: &'a str,
    cfg: &'a Config,
    srv: &'a Server,
    /// The request as sent (under the mount prefix, if any).
    full: &'a Request,
    /// The request as the router serves it.
    r: &'a Request,
    /// "METHOD /path" as sent.
    what: &'a str,
    /// The path the auth middleware matches.
    matched: &'a str,
    /// The key that verified the token.
    by: &'a str,
}

impl Step<'_> {
    /// Route decision, then the handler's body check, the route's presence, an MCP
    /// tool's own check, and the verdict, as `decider` grants them.
    fn decide(&self, decider: &impl Decider, mut notes: Vec<String>) -> Verdict {
        let (srv, r, what) = (self.srv, self.r, self.what);
        let mut d = decider.decide(&r.method, self.matched, &r.path);
        let mut by_body = false;
        if d.access == Access::Allowed {
            // The router redirects before any handler (and its body check) runs.
            if let Some(v) =
                redirected(self.token, self.cfg, srv, self.full, &r.path, notes.clone())
            {
                return v;
            }
            match decider.check_body(&r.method, &r.path, r.body.as_ref()) {
                BodyCheck::Unchecked { target } => notes.push(body_note(what, target)),
                BodyCheck::Forbidden { detail, required } => {
                    d.access = Access::Forbidden { detail, required };
                    by_body = true;
                }
                BodyCheck::None | BodyCheck::Allowed => {}
            }
            // The handler never runs on a route the server lacks: 404, body or not.
            if !is_mounted(srv, &r.method, &r.path) && !decider.mounts(&r.method, &r.path) {
                return not_found(srv, r, notes);
            }
        }
        if d.access == Access::Allowed {
            if let Some(v) = decider.mcp(r, what, &mut notes) {
                return v;
            }
        }
        self.verdict(decider, d, by_body, notes)
    }

    fn verdict(
        &self,
        decider: &impl Decider,
        d: Decision,
        by_body: bool,
        notes: Vec<String>,
    ) -> Verdict {
        let what = self.what;
        match &d.access {
            Access::Public | Access::Allowed => {
                let (visible_ids, hidden_ids) = match &d.visible {
                    Some(Visible::Only(ids)) => (Some(ids.iter().cloned().collect()), None),
                    Some(Visible::AllBut(ids)) if !ids.is_empty() => {
                        (None, Some(ids.iter().cloned().collect()))
                    }
                    _ => (None, None),
                };
                Verdict {
                    visible_ids,
                    hidden_ids,
                    ..Verdict::through(decider.through_reason(what, &d, self.by), notes)
                }
            }
            Access::Forbidden { detail, required } => {
                let (reason, fix) = decider.refusal(self.r, what, required, &d.why, by_body);
                Verdict {
                    notes,
                    ..Verdict::deny(403, detail.clone(), reason, fix)
                }
            }
            Access::ServerError { detail } => Verdict {
                notes,
                ..Verdict::deny(
                    500,
                    detail.clone(),
                    format!("agno fails on {what}: the scopes list holds a non-string item"),
                    "make every scope a string".into(),
                )
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::{JwksSource, StaticKey};
    use super::super::profiles::for_version;
    use super::*;
    use crate::keys::Key;
    use crate::token;

    fn mint(key: &Key, header: Value, claims: Value) -> String {
        let signer = key.signer().unwrap();
        let (Value::Object(h), Value::Object(c)) = (header, claims) else {
            panic!("objects")
        };
        token::encode(&h, &c, &signer).unwrap()
    }

    fn cfg(alg: Alg, key: &Key) -> Config {
        let text = match key.secret() {
            Some(s) => s.to_string(),
            None => key.public_key_pem().unwrap(),
        };
        Config {
            alg,
            static_keys: vec![StaticKey {
                label: "JWT_VERIFICATION_KEY".into(),
                text,
            }],
            jwks: None,
            audience: Some(vec!["os".into()]),
            issuer: None,
            now: 1_000_000.0,
            roles: None,
            server: Server::default(),
        }
    }

    #[test]
    fn order_of_checks() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let c = cfg(Alg::HS256, &k);
        let h = serde_json::json!({"alg": "HS256", "typ": "JWT"});
        let get = |claims: Value| verify(&mint(&k, h.clone(), claims), &c, None);
        // iat beats exp; exp beats aud.
        let v = get(serde_json::json!({"iat": 1_000_100, "exp": 1, "aud": "x"}));
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: The token is not yet valid (iat)"
        );
        let v = get(serde_json::json!({"exp": 1, "aud": "x"}));
        assert_eq!(v.detail.unwrap(), "Token has expired");
        let v = get(serde_json::json!({"exp": 999_990, "aud": "os"}));
        assert_eq!(v.status, 401);
        let v = get(serde_json::json!({"exp": 999_991, "aud": "os", "iat": 1_000_010}));
        assert_eq!(v.status, 200, "{v:?}");
        let v = get(serde_json::json!({"aud": ["a", "os"], "sub": "sa:x"}));
        assert_eq!(v.detail.unwrap(), "Invalid token subject");
        let v = get(serde_json::json!({"aud": 5, "sub": 5}));
        assert_eq!(v.detail.unwrap(), "Invalid token: Subject must be a string");
        let v = get(serde_json::json!({"iat": "12x"}));
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: Issued At claim (iat) must be an integer."
        );
    }

    #[test]
    fn static_key_preparation() {
        let rsa = Key::generate(Alg::RS256, 2048).unwrap();
        let mut c = cfg(Alg::RS256, &rsa);
        let t = mint(
            &rsa,
            serde_json::json!({"alg": "RS256"}),
            serde_json::json!({"aud": "os"}),
        );
        assert_eq!(verify(&t, &c, None).status, 200);
        c.static_keys[0].text = c.static_keys[0].text.replace('\n', "\\n");
        let v = verify(&t, &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Error decoding token: Could not parse the provided public key."
        );
        assert!(v.reason.contains("two characters \\n"), "{}", v.reason);
        c.static_keys[0].text = rsa.private_key_pem().unwrap().to_string();
        assert!(verify(&t, &c, None)
            .detail
            .unwrap()
            .contains("has no attribute 'verify'"));
        c.alg = Alg::ES256;
        let v = verify(&t, &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: The specified alg value is not allowed"
        );
        assert!(
            v.reason
                .contains("token alg RS256 but AgentOS is set to ES256"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn jwks_kid_and_default_rule() {
        let k1 = Key::generate(Alg::ES256, 0).unwrap();
        let k2 = Key::generate(Alg::ES256, 0).unwrap();
        let jwks = |keys: Vec<Value>| {
            let bytes = serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap();
            Some(JwksSource {
                label: "jwks.json".into(),
                keys: crate::jwk_set::inspect_jwks(&bytes, "jwks.json").unwrap(),
            })
        };
        let jwk =
            |k: &Key, kid: Option<&str>| serde_json::to_value(k.public_jwk(kid).unwrap()).unwrap();
        let mut c = cfg(Alg::ES256, &k1);
        c.static_keys.clear();
        c.audience = None;
        c.jwks = jwks(vec![jwk(&k1, Some("a")), jwk(&k2, Some("b"))]);
        let claims = serde_json::json!({"sub": "u"});
        let t = |k: &Key, h: Value| mint(k, h, claims.clone());
        let ok = verify(
            &t(&k2, serde_json::json!({"alg": "ES256", "kid": "b"})),
            &c,
            None,
        );
        assert_eq!(ok.status, 200, "{ok:?}");
        let v = verify(&t(&k1, serde_json::json!({"alg": "ES256"})), &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: No verification keys configured"
        );
        assert!(
            v.reason
                .contains("token has no kid; the JWKS has 2 keys, all with kid (a, b)"),
            "{}",
            v.reason
        );
        assert_eq!(v.fix.unwrap(), "mint with --kid b");
        // A kid-less key is the default for missing and unknown kids; a later
        // duplicate kid replaces the earlier key.
        c.jwks = jwks(vec![
            jwk(&k1, Some("a")),
            jwk(&k2, None),
            jwk(&k2, Some("a")),
        ]);
        assert_eq!(
            verify(&t(&k2, serde_json::json!({"alg": "ES256"})), &c, None).status,
            200
        );
        assert_eq!(
            verify(
                &t(&k2, serde_json::json!({"alg": "ES256", "kid": "zz"})),
                &c,
                None
            )
            .status,
            200
        );
        let v = verify(
            &t(&k1, serde_json::json!({"alg": "ES256", "kid": "a"})),
            &c,
            None,
        );
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: Signature verification failed"
        );
    }

    #[test]
    fn pyjws_loading() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let c = cfg(Alg::HS256, &k);
        let good = mint(
            &k,
            serde_json::json!({"alg": "HS256"}),
            serde_json::json!({"aud": "os"}),
        );
        let detail = |t: &str| verify(t, &c, None).detail.unwrap_or_default();
        // '=' padding is tolerated on a segment whose length is then a multiple of 4.
        let parts: Vec<&str> = good.split('.').collect();
        let padded_sig = format!("{}.{}.{}=", parts[0], parts[1], parts[2]);
        assert_eq!(verify(&padded_sig, &c, None).status, 200);
        let overpadded = format!("{padded_sig}=");
        assert_eq!(detail(&overpadded), "Invalid token: Invalid crypto padding");
        assert_eq!(detail("a.b"), "Invalid token: Not enough segments");
        assert_eq!(detail("abc"), "Invalid token: Not enough segments");
        assert_eq!(
            detail("e30.e30.c2ln"),
            "Invalid token: Algorithm not specified"
        );
        assert_eq!(
            detail("WzFd.e30.c2ln"),
            "Invalid token: Invalid header string: must be a json object"
        );
        let crit = mint(
            &k,
            serde_json::json!({"alg": "HS256", "crit": ["exp"]}),
            serde_json::json!({}),
        );
        assert_eq!(
            detail(&crit),
            "Invalid token: Unsupported critical extension: exp"
        );
        let arr = mint(
            &k,
            serde_json::json!({"alg": "HS256"}),
            serde_json::json!({}),
        );
        assert_eq!(verify(&arr, &c, None).detail.unwrap(), "Invalid token: Token is missing the \"aud\" claim. Audience verification requires this claim to be present in the token.");
    }

    #[test]
    fn audience_before_2_4_0_is_pyjwts() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let mut c = cfg(Alg::HS256, &k);
        c.server = Server::new(for_version("2.3.13").unwrap().profile);
        let h = serde_json::json!({"alg": "HS256", "typ": "JWT"});
        let detail = |c: &Config, claims: Value| {
            verify(&mint(&k, h.clone(), claims), c, None)
                .detail
                .unwrap_or_default()
        };
        assert_eq!(
            detail(&c, serde_json::json!({"aud": ""})),
            "Invalid token: Token is missing the \"aud\" claim"
        );
        assert_eq!(
            detail(&c, serde_json::json!({"aud": [5, "os"]})),
            "Invalid audience - token not valid for this AgentOS instance"
        );
        // PyJWT checks aud before sub; agno 2.4.0 on checks it after the decode.
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "x", "sub": 5})),
            "Invalid audience - token not valid for this AgentOS instance"
        );
        c.server = Server::default();
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "x", "sub": 5})),
            "Invalid token: Subject must be a string"
        );
        // An issuer only 3.1.0 on can pin: older releases never read iss.
        c.issuer = Some("https://issuer".into());
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "os", "iss": "other"})),
            "Invalid token: Invalid issuer. Expected: https://issuer, got: other"
        );
        c.server = Server::new(for_version("3.0.11").unwrap().profile);
        let v = verify(
            &mint(
                &k,
                h.clone(),
                serde_json::json!({"aud": "os", "iss": "other"}),
            ),
            &c,
            None,
        );
        assert_eq!(v.status, 200);
        assert!(
            v.notes.iter().any(|n| n.contains("cannot pin an issuer")),
            "{v:?}"
        );
    }

    #[test]
    fn an_interface_taken_out_of_jwt_auth_says_so() {
        let routes: Vec<(String, String)> = [
            ("GET", "/agents"),
            ("POST", "/a2a/agents/{id}/v1/message:send"),
            ("GET", "/whatsapp/status"),
            ("POST", "/whatsapp/webhook"),
        ]
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        let key = Key::generate(Alg::HS256, 0).unwrap();
        let ask = |version: &str, request: &str| {
            let mut c = cfg(Alg::HS256, &key);
            c.server =
                Server::new(for_version(version).unwrap().profile).with_routes(routes.clone());
            verify("", &c, Some(&Request::parse(request).unwrap()))
        };
        // 3.1.10: only the self-authenticating WhatsApp is out of JWT auth.
        let v = ask("3.1.10", "POST /whatsapp/webhook");
        assert_eq!(v.status, 200);
        assert!(
            v.notes
                .iter()
                .any(|n| n.contains("WhatsApp interface")
                    && n.contains("a bearer token plays no part")),
            "{v:?}"
        );
        assert_eq!(
            ask("3.1.10", "POST /a2a/agents/a/v1/message:send").status,
            401
        );
        // 2.6.22: every prefixed interface is, A2A included: anyone can call it.
        let v = ask("2.6.22", "POST /a2a/agents/a/v1/message:send");
        assert_eq!(v.status, 200);
        assert!(
            v.notes
                .iter()
                .any(|n| n.contains("A2A interface")
                    && n.contains("anyone can call it without a token")),
            "{v:?}"
        );
        // An ordinary public route gets no such note.
        assert!(ask("3.1.10", "GET /health").notes.is_empty());
    }

    #[test]
    fn a_server_with_managed_roles_mounts_the_roles_api() {
        let key = Key::generate(Alg::HS256, 0).unwrap();
        let with_roles = |doc: Value, routes: Option<Vec<(String, String)>>| {
            let mut c = cfg(Alg::HS256, &key);
            c.audience = None;
            c.roles = Some(super::super::roles::Policy::from_json(&doc.to_string()).unwrap());
            if let Some(routes) = routes {
                c.server = Server::default().with_routes(routes);
            }
            c
        };
        let roles = serde_json::json!({
            "roles": {"admin": {"scopes": ["agent_os:admin"]}, "viewer": {"scopes": ["agents:read"]}},
            "roles_claim": "roles"
        });
        let token = |role: &str| {
            mint(
                &key,
                serde_json::json!({"alg": "HS256"}),
                serde_json::json!({"sub": "u", "roles": [role]}),
            )
        };
        let ask = |c: &Config, role: &str, request: &str| {
            verify(&token(role), c, Some(&Request::parse(request).unwrap()))
        };
        // The routes unknown (the default app's list has no /authz): the roles API is there.
        let c = with_roles(roles.clone(), None);
        let v = ask(&c, "admin", "GET /authz/roles");
        assert_eq!(v.status, 200, "{v:?}");
        assert_eq!(
            ask(&c, "admin", "DELETE /authz/subjects/u/roles/viewer").status,
            200
        );
        let v = ask(&c, "viewer", "GET /authz/roles");
        assert_eq!(
            (v.status, v.detail.as_deref()),
            (403, Some("Admin privileges required"))
        );
        assert_eq!(ask(&c, "admin", "GET /authz/nothing").status, 404);
        // No roles in play: no Authorization role store, no roles API.
        let c = with_roles(serde_json::json!({"trust_token_scopes": true}), None);
        assert_eq!(ask(&c, "admin", "GET /authz/roles").status, 404);
        // The server's own routes say what it mounts.
        let routes = vec![("GET".to_string(), "/agents".to_string())];
        let c = with_roles(roles, Some(routes));
        assert_eq!(ask(&c, "admin", "GET /authz/roles").status, 404);
    }
}
