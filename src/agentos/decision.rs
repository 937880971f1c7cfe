//! The route decision AgentOS makes for a verified token, written once: the gate
//! (`AuthMiddleware._authorize_route`, with its listing escape), then the router's own
//! check behind it ([`RouterCheck`]). What grants what is a `Decider`'s: the scope
//! plane (`scope_plane`) or the planes `Authorization` composes with managed roles
//! (`roles`). A new router check is one arm of `decide`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::body::BodyCheck;
use super::deployment::Server;
use super::profiles::Gate;
use super::request::Request;
use super::routes::{
    handler_check, normalize_path, required_scopes, resource_context, RouteRule, RouterCheck,
};
use super::scope_match::{insufficient, singular, Raised};
use super::scopes::ADMIN_SCOPE;
use super::verdict::Verdict;

/// The outcome AgentOS would give a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No token needed at all.
    Public,
    /// Served (a listing may be narrowed: see [`Decision::visible`]).
    Allowed,
    /// 403 with this exact `detail`; `required` names what would have let it through.
    Forbidden {
        detail: String,
        required: Vec<String>,
    },
    /// agno itself fails (500): a `scopes` list with a non-string item, on a route whose
    /// router re-checks scopes.
    ServerError { detail: String },
}

/// Which ids of a listing the caller sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    All,
    Only(BTreeSet<String>),
    AllBut(BTreeSet<String>),
}

impl Visible {
    /// `{"*"}` is everything (`get_accessible_resource_ids`).
    pub(crate) fn from_ids(ids: BTreeSet<String>) -> Visible {
        if ids.contains("*") {
            Visible::All
        } else {
            Visible::Only(ids)
        }
    }

    pub(crate) fn union(self, other: Visible) -> Visible {
        use Visible::*;
        match (self, other) {
            (All, _) | (_, All) => All,
            (Only(a), Only(b)) => Only(a.union(&b).cloned().collect()),
            (AllBut(a), AllBut(b)) => AllBut(a.intersection(&b).cloned().collect()),
            (Only(a), AllBut(b)) | (AllBut(b), Only(a)) => {
                AllBut(b.difference(&a).cloned().collect())
            }
        }
    }

    pub(crate) fn intersect(self, other: Visible) -> Visible {
        use Visible::*;
        match (self, other) {
            (All, x) | (x, All) => x,
            (Only(a), Only(b)) => Only(a.intersection(&b).cloned().collect()),
            (AllBut(a), AllBut(b)) => AllBut(a.union(&b).cloned().collect()),
            (Only(a), AllBut(b)) | (AllBut(b), Only(a)) => {
                Only(a.difference(&b).cloned().collect())
            }
        }
    }

    /// Whether `id` is listed.
    pub fn shows(&self, id: &str) -> bool {
        match self {
            Visible::All => true,
            Visible::Only(s) => s.contains(id),
            Visible::AllBut(s) => !s.contains(id),
        }
    }
}

/// AgentOS's answer to a valid token on a route, and what made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub access: Access,
    /// The role or scope that decided, in words (the roles plane's; empty for the scope
    /// plane, whose verdicts name the scopes instead).
    pub why: String,
    /// For a request that is served: what a listing shows (`None`: not narrowed).
    pub visible: Option<Visible>,
}

impl Decision {
    fn new(access: Access, why: String, visible: Option<Visible>) -> Decision {
        Decision {
            access,
            why,
            visible,
        }
    }

    pub(crate) fn public(why: String) -> Decision {
        Decision::new(Access::Public, why, None)
    }

    pub(crate) fn allowed(why: String, visible: Option<Visible>) -> Decision {
        Decision::new(Access::Allowed, why, visible)
    }

    pub(crate) fn forbidden(detail: String, required: Vec<String>, why: String) -> Decision {
        Decision::new(Access::Forbidden { detail, required }, why, None)
    }

    fn server_error(why: String) -> Decision {
        Decision::new(server_error(), why, None)
    }
}

/// A plane that decides a verified token's request: the route gate's and the routers'
/// primitives, the handler's body check, and the words of its verdicts. The pipeline
/// (`pipeline`) runs the same steps whichever decides.
pub(crate) trait Decider {
    fn server(&self) -> &Server;

    /// The whole decision for `method` on the path the auth middleware matches
    /// (`matched`) and the one the router serves (`route`; see `MountedPath`).
    fn decide(&self, method: &str, matched: &str, route: &str) -> Decision
    where
        Self: Sized,
    {
        decide(self, method, matched, route)
    }

    /// A request let through before the gate, and why (`OPTIONS`, `excluded_route_paths`).
    fn exempt(&self, _method: &str, _path: &str) -> Option<String> {
        None
    }

    /// Why a public route needs no token.
    fn public_why(&self) -> String;

    /// `authorize_route` at the gate: the route's `required` scopes for `kind/id`.
    fn authorize_route(
        &self,
        kind: Option<&str>,
        id: Option<&str>,
        required: &[&str],
    ) -> (Result<bool, Raised>, String);

    /// `get_accessible_resource_ids` (`{"*"}`: all), for `action` or any read or run.
    fn accessible(&self, kind: &str, action: Option<&str>) -> Result<BTreeSet<String>, Raised>;

    /// `check_resource_access`: may the caller `action` `kind/id`?
    fn check_resource(&self, kind: &str, id: &str, action: &str) -> (Result<bool, Raised>, String);

    /// An admin-only router's gate: allowed, and why when the decider says more than
    /// the gate did.
    fn admin(&self) -> (bool, Option<String>);

    /// The roles admin API (`/authz`), where the decider mounts it.
    fn roles_api(&self, _npath: &str) -> Option<Decision> {
        None
    }

    /// What a served listing of `kind` shows: `ids` the caller may see, `gate_ids` those
    /// the gate narrowed it to (when it did).
    fn listing(
        &self,
        kind: &str,
        gate_ids: Option<&BTreeSet<String>>,
        ids: BTreeSet<String>,
    ) -> Result<Visible, Raised>;

    /// What another served request shows, given the ids the gate narrowed it to.
    fn served(&self, gate_ids: Option<BTreeSet<String>>) -> Option<Visible>;

    /// The handler's check on the body of a request the route let through.
    fn check_body(&self, method: &str, path: &str, body: Option<&Value>) -> BodyCheck;

    /// Whether the decider's own setup mounts `method path` where the deployment's
    /// routes are not known (the roles admin API of a server with managed roles).
    fn mounts(&self, _method: &str, _path: &str) -> bool {
        false
    }

    /// An MCP server's route let through: notes on what answers there, and the verdict
    /// of a tool call when the tool decides on its own.
    fn mcp(&self, _r: &Request, _what: &str, _notes: &mut Vec<String>) -> Option<Verdict> {
        None
    }

    /// The reason of a 200 for `what` (the token verified with `by`).
    fn through_reason(&self, what: &str, d: &Decision, by: &str) -> String;

    /// The reason and the fix of a 403 (`by_body`: the handler's body check refused it).
    fn refusal(
        &self,
        r: &Request,
        what: &str,
        required: &[String],
        why: &str,
        by_body: bool,
    ) -> (String, String);
}

/// Before 2.7.0: the family is the first of agents, teams, workflows found anywhere
/// in the path (`"/agents" in path`); the id is `^/{family}/([^/]+)`.
fn substring_context(path: &str) -> (Option<&'static str>, Option<&str>) {
    let Some(kind) = ["agents", "teams", "workflows"]
        .into_iter()
        .find(|k| path.contains(&format!("/{k}")))
    else {
        return (None, None);
    };
    let id = path
        .strip_prefix(&format!("/{kind}/"))
        .and_then(|rest| rest.split('/').next())
        .filter(|id| !id.is_empty());
    (Some(kind), id)
}

/// The route gate, then the router behind it, as `d` grants them. `matched`: the path
/// the auth middleware matches; `route`: the one the router serves (the same but for
/// an app mounted under a prefix before agno 3.0.9).
pub(crate) fn decide(d: &impl Decider, method: &str, matched: &str, route: &str) -> Decision {
    if let Some(why) = d.exempt(method, route) {
        return Decision::public(why);
    }
    let srv = d.server();
    let path = matched;
    let method_up = method.trim().to_ascii_uppercase();
    let (npath, _) = normalize_path(srv, path);
    let gate = srv.profile.behaviour.gate;
    let (kind, id) = match gate {
        Gate::Anchored => resource_context(srv, &npath),
        Gate::Substring => substring_context(&npath),
    };
    let (required, mut then) = match required_scopes(srv, method, path) {
        RouteRule::Public => return Decision::public(d.public_why()),
        RouteRule::Needs { scopes, then, .. } => (scopes, then),
        RouteRule::Unmapped { then } => (Vec::new(), then),
    };
    if route != matched {
        // The router's own checks read the route it serves.
        then = handler_check(srv, method, route);
    }
    let req: Vec<&str> = required.iter().map(String::as_str).collect();
    let forbidden =
        |why: String| Decision::forbidden(insufficient(srv, &req), required.clone(), why);

    // AuthMiddleware._authorize_route: a GET of a whole collection the route's scope
    // does not grant still passes, narrowed to the ids the caller may see.
    let mut gate_ids: Option<BTreeSet<String>> = None;
    let mut why = "the route needs no scope at the gate".to_string();
    if !req.is_empty() {
        let (allowed, w) = d.authorize_route(kind, id, &req);
        why = w;
        let Ok(allowed) = allowed else {
            return forbidden(why);
        };
        if !allowed {
            let family = req[0].split_once(':').map(|(f, _)| f);
            let escapes = match gate {
                Gate::Anchored => {
                    method_up == "GET" && id.is_none() && kind.is_some() && family == kind
                }
                Gate::Substring => id.is_none() && kind.is_some(),
            };
            if !escapes {
                return forbidden(why);
            }
            let action = req[0]
                .rsplit_once(':')
                .map(|(_, a)| a)
                .filter(|_| srv.profile.behaviour.listing_ids_need_route_action);
            match d.accessible(kind.unwrap_or_default(), action) {
                Ok(ids) => gate_ids = Some(ids),
                Err(Raised) => return forbidden(why),
            }
        }
    }
    if let Some(decision) = d.roles_api(&npath) {
        return decision;
    }

    // The router behind the gate.
    match then {
        None => Decision::allowed(why, d.served(gate_ids)),
        Some(RouterCheck::Listing { kind }) => {
            let ids = match gate_ids.clone() {
                Some(ids) => ids,
                None => match d.accessible(&kind, None) {
                    Ok(ids) => ids,
                    Err(Raised) => return Decision::server_error(why),
                },
            };
            if ids.is_empty() {
                return forbidden(why);
            }
            match d.listing(&kind, gate_ids.as_ref(), ids) {
                Ok(shown) => Decision::allowed(why, Some(shown)),
                Err(Raised) => Decision::server_error(why),
            }
        }
        Some(RouterCheck::Resource { kind, id, action }) => {
            match d.check_resource(&kind, &id, &action) {
                (Ok(true), w) => Decision::allowed(w, d.served(gate_ids)),
                (Ok(false), w) => Decision::forbidden(
                    format!("Access denied to {action} this {}", singular(&kind)),
                    vec![format!("{kind}:{id}:{action}")],
                    w,
                ),
                (Err(Raised), w) => Decision::server_error(w),
            }
        }
        Some(RouterCheck::AdminOnly { detail }) => match d.admin() {
            (true, w) => Decision::allowed(w.unwrap_or(why), d.served(gate_ids)),
            (false, w) => {
                Decision::forbidden(detail, vec![ADMIN_SCOPE.to_string()], w.unwrap_or(why))
            }
        },
        Some(RouterCheck::AgentFiles { agent_id }) => {
            let (ok, w) = match &agent_id {
                Some(a) => d.check_resource("agents", a, "read"),
                None => {
                    let ids = match gate_ids.clone() {
                        Some(ids) => Ok(ids),
                        None => d.accessible("agents", None),
                    };
                    (ids.map(|i| !i.is_empty()), why)
                }
            };
            match ok {
                Ok(true) => Decision::allowed(w, d.served(gate_ids)),
                Ok(false) => Decision::forbidden(
                    insufficient(srv, &["agents:read"]),
                    vec!["agents:read".to_string()],
                    w,
                ),
                Err(Raised) => Decision::server_error(w),
            }
        }
    }
}

pub(crate) fn server_error() -> Access {
    Access::ServerError {
        detail: "Internal server error (AttributeError)".to_string(),
    }
}
