//! The handlers' checks on a request body (`--body`), run once the route gate let the
//! request through: `POST /eval-runs` (its target must be runnable) and
//! `POST /schedules` (the scheduled endpoint needs its own permission). What the body
//! asks is read here; each plane decides it.

use serde_json::Value;

use super::deployment::Server;
use super::profiles::BodyGate;
use super::routes::normalize_path;
use super::scope_match::{has_required_scopes, insufficient, singular, TokenScopes};
use super::scopes::ADMIN_SCOPE;

/// What a handler's body check makes of a request that passed the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyCheck {
    /// The route has no body gate.
    None,
    /// It has one, and no body was given: `target` says what the body must satisfy.
    Unchecked { target: &'static str },
    /// The body passes.
    Allowed,
    /// 403 from the handler.
    Forbidden {
        detail: String,
        required: Vec<String>,
    },
}

/// What a body gate asks of the caller, read off the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyAsk {
    /// The route has no body gate.
    NoGate,
    /// The handler answers before asking (both or neither of `agent_id`/`team_id`:
    /// 400, or nothing to check).
    Nothing,
    /// A gated route without a body: `target` says what the body must satisfy.
    Unknown { target: &'static str },
    /// `POST /eval-runs`: may the caller run `kind/id`? (`check_resource_access`)
    Run { kind: &'static str, id: String },
    /// `POST /schedules` of a run endpoint: `<kind>:run` for that id.
    ScheduleRun { kind: &'static str, id: String },
    /// `POST /schedules` of any other endpoint: admin only.
    ScheduleOther,
}

/// The body gate of `method path` in the profile (`--body`), and what it asks.
pub(crate) fn body_ask(srv: &Server, method: &str, path: &str, body: Option<&Value>) -> BodyAsk {
    let method = method.trim().to_ascii_uppercase();
    let (path, _) = normalize_path(srv, path);
    let Some(gate) = srv
        .profile
        .body_gates
        .iter()
        .find(|g| g.route() == (method.as_str(), path.as_str()))
    else {
        return BodyAsk::NoGate;
    };
    let Some(body) = body else {
        return BodyAsk::Unknown {
            target: gate.target(),
        };
    };
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match gate {
        BodyGate::EvalTarget => match (text("agent_id"), text("team_id")) {
            (Some(_), Some(_)) | (None, None) => BodyAsk::Nothing,
            (Some(a), None) => BodyAsk::Run {
                kind: "agents",
                id: a.to_string(),
            },
            (None, Some(t)) => BodyAsk::Run {
                kind: "teams",
                id: t.to_string(),
            },
        },
        BodyGate::ScheduleEndpoint => {
            let endpoint = text("endpoint").unwrap_or_default();
            let target_method = text("method").unwrap_or("POST").to_ascii_uppercase();
            match (target_method == "POST")
                .then(|| run_endpoint(endpoint))
                .flatten()
            {
                Some((kind, id)) => BodyAsk::ScheduleRun {
                    kind,
                    id: id.to_string(),
                },
                None => BodyAsk::ScheduleOther,
            }
        }
    }
}

/// The 403 a body gate answers when it refuses `ask`; an ask with nothing to refuse
/// (no gate, nothing to check, no body) answers as it stands, so callers deciding only
/// the refusable asks can hand the rest here too.
pub(crate) fn body_denied(srv: &Server, ask: &BodyAsk) -> BodyCheck {
    match ask {
        BodyAsk::Run { kind, id } => BodyCheck::Forbidden {
            detail: format!("Access denied to run this {}", singular(kind)),
            required: vec![format!("{kind}:{id}:run")],
        },
        BodyAsk::ScheduleRun { kind, id } => {
            let need = format!("{kind}:run");
            BodyCheck::Forbidden {
                detail: insufficient(srv, &[need.as_str()]),
                required: vec![need.clone(), format!("{kind}:{id}:run")],
            }
        }
        BodyAsk::ScheduleOther => BodyCheck::Forbidden {
            detail: "Only admins can schedule an endpoint that is not a run endpoint".into(),
            required: vec![ADMIN_SCOPE.to_string()],
        },
        BodyAsk::NoGate => BodyCheck::None,
        BodyAsk::Nothing => BodyCheck::Allowed,
        BodyAsk::Unknown { target } => BodyCheck::Unchecked { target },
    }
}

/// The schedule gate decided on the token's scopes (`_require_endpoint_permission`
/// when the scope plane is authoritative); `admin` is the admin scope in force.
pub(crate) fn schedule_by_scopes(
    srv: &Server,
    scopes: &TokenScopes,
    ask: &BodyAsk,
    admin: &str,
) -> BodyCheck {
    let granted = match ask {
        BodyAsk::ScheduleOther => has_required_scopes(srv, scopes, &[admin], None, None),
        BodyAsk::ScheduleRun { kind, id } => {
            let need = format!("{kind}:run");
            has_required_scopes(srv, scopes, &[need.as_str()], Some(kind), Some(id))
        }
        _ => return BodyCheck::Allowed,
    };
    match granted {
        Ok(true) => BodyCheck::Allowed,
        _ => body_denied(srv, ask),
    }
}

/// `RUN_ENDPOINT_RE`: `^/(agents|teams|workflows)/([^/]+)/runs/?\Z`.
fn run_endpoint(endpoint: &str) -> Option<(&'static str, &str)> {
    let rest = endpoint.strip_prefix('/')?;
    let (family, rest) = rest.split_once('/')?;
    let kind = ["agents", "teams", "workflows"]
        .into_iter()
        .find(|k| *k == family)?;
    let (id, tail) = rest.split_once('/')?;
    (!id.is_empty() && (tail == "runs" || tail == "runs/")).then_some((kind, id))
}
