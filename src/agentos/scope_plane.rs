//! The scope plane: the decision AgentOS makes on a valid token's `scopes` claim alone
//! (`agno/os/scopes.py`, the default `ScopeAuthorizationProvider`, and the router
//! checks behind the gate), as a `Decider` of the one route decision.

use std::collections::BTreeSet;

use serde_json::Value;

use super::body::{body_ask, body_denied, schedule_by_scopes, BodyAsk, BodyCheck};
use super::decision::{self, Access, Decider, Decision, Visible};
use super::deployment::Server;
use super::mcp;
use super::request::Request;
use super::routes::{admin_only, normalize_path};
use super::scope_match::{accessible_ids, has_required_scopes, token_scopes, Raised, TokenScopes};
use super::scopes::ADMIN_SCOPE;
use super::verdict::{scope_fix, Verdict};

/// The scope decision AgentOS makes for a valid token whose `scopes` claim is
/// `scopes_claim` (`None` = claim absent). A string is ONE scope; anything but a list or
/// a string counts as no scopes (`extract_claims`).
pub fn check_access(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    path: &str,
) -> Access {
    check_access_mounted(srv, scopes_claim, method, path, path)
}

/// [`check_access`] on an AgentOS mounted under a prefix: the auth middleware matches
/// `matched`, the router behind it serves `route` (see [`super::deployment::MountedPath`]).
pub fn check_access_mounted(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    matched: &str,
    route: &str,
) -> Access {
    decision::decide(&ScopePlane::new(srv, scopes_claim), method, matched, route).access
}

/// For a listing (GET /agents, /teams, /workflows) that AgentOS serves but narrows,
/// the ids the token will see. `None` when nothing is filtered or the request is refused.
pub fn listing_filter(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    matched: &str,
    route: &str,
) -> Option<Vec<String>> {
    match decision::decide(&ScopePlane::new(srv, scopes_claim), method, matched, route) {
        Decision {
            access: Access::Allowed,
            visible: Some(Visible::Only(ids)),
            ..
        } => Some(ids.into_iter().collect()),
        _ => None,
    }
}

/// The scope plane for one token.
pub(crate) struct ScopePlane<'a> {
    srv: &'a Server,
    claim: Option<&'a Value>,
    scopes: TokenScopes,
}

impl<'a> ScopePlane<'a> {
    pub(crate) fn new(srv: &'a Server, claim: Option<&'a Value>) -> ScopePlane<'a> {
        ScopePlane {
            srv,
            claim,
            scopes: token_scopes(claim),
        }
    }
}

impl Decider for ScopePlane<'_> {
    fn server(&self) -> &Server {
        self.srv
    }

    /// With `authorization=False` the middleware checks no scope: only the routers'
    /// own dependencies run.
    fn decide(&self, method: &str, matched: &str, route: &str) -> Decision {
        if self.srv.authorization {
            decision::decide(self, method, matched, route)
        } else {
            Decision {
                access: router_gate(self.srv, self.claim, route),
                why: String::new(),
                visible: None,
            }
        }
    }

    fn public_why(&self) -> String {
        String::new()
    }

    fn authorize_route(
        &self,
        kind: Option<&str>,
        id: Option<&str>,
        required: &[&str],
    ) -> (Result<bool, Raised>, String) {
        (
            has_required_scopes(self.srv, &self.scopes, required, kind, id),
            String::new(),
        )
    }

    fn accessible(&self, kind: &str, action: Option<&str>) -> Result<BTreeSet<String>, Raised> {
        accessible_ids(self.srv, &self.scopes, kind, action)
    }

    /// `check_resource_access`: before 2.6.7 any read or run scope of the id will do,
    /// whatever the action.
    fn check_resource(&self, kind: &str, id: &str, action: &str) -> (Result<bool, Raised>, String) {
        let granted = if self.srv.profile.behaviour.listing_ids_need_route_action {
            let need = format!("{kind}:{action}");
            has_required_scopes(
                self.srv,
                &self.scopes,
                &[need.as_str()],
                Some(kind),
                Some(id),
            )
        } else {
            accessible_ids(self.srv, &self.scopes, kind, None)
                .map(|ids| ids.contains("*") || ids.contains(id))
        };
        (granted, String::new())
    }

    fn admin(&self) -> (bool, Option<String>) {
        (holds_admin(&self.scopes), None)
    }

    fn listing(
        &self,
        _kind: &str,
        _gate_ids: Option<&BTreeSet<String>>,
        ids: BTreeSet<String>,
    ) -> Result<Visible, Raised> {
        Ok(Visible::from_ids(ids))
    }

    fn served(&self, gate_ids: Option<BTreeSet<String>>) -> Option<Visible> {
        gate_ids.map(Visible::from_ids)
    }

    fn check_body(&self, method: &str, path: &str, body: Option<&Value>) -> BodyCheck {
        if self.srv.authorization {
            check_body(self.srv, self.claim, method, path, body)
        } else {
            BodyCheck::None
        }
    }

    fn mcp(&self, r: &Request, what: &str, notes: &mut Vec<String>) -> Option<Verdict> {
        notes.extend(mcp::route_note(self.srv, r));
        mcp::tool_verdict(self.srv, self.claim, r, what, notes)
    }

    fn through_reason(&self, what: &str, d: &Decision, by: &str) -> String {
        match &d.visible {
            // A listing route filters instead of refusing (agno's `filter_resources_by_access`):
            // say what the answer holds and why, in words a first reader follows.
            Some(Visible::Only(ids)) if ids.is_empty() => format!(
                "AgentOS lets {what} through, but the list it answers with is empty: no scope of the token names an id it may read"
            ),
            Some(Visible::Only(ids)) => format!(
                "AgentOS lets {what} through, but the list it answers with holds only {}: AgentOS filters a listing down to the ids the token's scopes name (a scope without an id lists them all)",
                ids.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            _ => format!("AgentOS lets {what} through (verified with {by})"),
        }
    }

    fn refusal(
        &self,
        r: &Request,
        what: &str,
        required: &[String],
        _why: &str,
        _by_body: bool,
    ) -> (String, String) {
        (
            format!(
                "the token's scopes ({}) do not grant {what}",
                scope_list(self.claim)
            ),
            scope_fix(self.srv, &r.path, required),
        )
    }
}

/// `admin_scope in request.state.scopes`: the admin scope itself, no alias or wildcard.
fn holds_admin(scopes: &TokenScopes) -> bool {
    scopes.list.iter().any(|s| s == ADMIN_SCOPE)
}

/// The router dependencies that run whether or not the middleware checks scopes
/// (authorization=False): an optional router's admin-only gate.
pub fn router_gate(srv: &Server, scopes_claim: Option<&Value>, path: &str) -> Access {
    let (npath, _) = normalize_path(srv, path);
    match admin_only(srv, &npath) {
        Some(_) if holds_admin(&token_scopes(scopes_claim)) => Access::Allowed,
        Some(gate) => Access::Forbidden {
            detail: gate.detail.to_string(),
            required: vec![ADMIN_SCOPE.to_string()],
        },
        None => Access::Allowed,
    }
}

fn scope_list(v: Option<&Value>) -> String {
    match v {
        None => "no scopes claim".into(),
        Some(Value::Array(a)) if a.is_empty() => "none".into(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The body gates of the profile (`--body`), run after the route gate let `method path`
/// through: `POST /eval-runs` (its target must be runnable) and `POST /schedules` (the
/// scheduled endpoint needs its own permission).
pub fn check_body(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> BodyCheck {
    let ask = body_ask(srv, method, path, body);
    let scopes = token_scopes(scopes_claim);
    match &ask {
        BodyAsk::NoGate | BodyAsk::Nothing | BodyAsk::Unknown { .. } => body_denied(srv, &ask),
        // `check_resource_access(request, id, kind, "run")`.
        BodyAsk::Run { kind, id } => match accessible_ids(srv, &scopes, kind, Some("run")) {
            Ok(ids) if ids.contains("*") || ids.contains(id.as_str()) => BodyCheck::Allowed,
            Ok(_) => body_denied(srv, &ask),
            Err(Raised) => BodyCheck::Allowed,
        },
        BodyAsk::ScheduleRun { .. } | BodyAsk::ScheduleOther => {
            schedule_by_scopes(srv, &scopes, &ask, ADMIN_SCOPE)
        }
    }
}
