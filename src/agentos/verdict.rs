//! AgentOS's answer to a request (status, `detail`, reason, fix, notes), and the words
//! several verdicts share.

use serde::Serialize;

use super::deployment::Server;
use super::routes::resource_context;

/// AgentOS's answer and why. `status` 200 means authentication and the scope check
/// passed (the route itself may still answer something else, e.g. 404 or 422).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: u16,
    /// What happened, in words.
    pub reason: String,
    /// The `detail` AgentOS sends (null for 200).
    pub detail: Option<String>,
    /// What to change (null for 200).
    pub fix: Option<String>,
    /// Extra observations that do not change the status, relevant to this token.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What would turn this answer into a refusal under a setting the user's other
    /// choices point to (a token for another audience than the key store's): printed
    /// by default, as `warning: ...`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Background true of every such setup (aud not checked, cryptography needed on the
    /// server): `verify` prints it with --verbose only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// For listings (GET /agents, /teams, /workflows): the ids the token will see,
    /// when narrowed. Absent when everything is visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible_ids: Option<Vec<String>>,
    /// The `error.code` of a public surface's own refusal (`{"error": {"code": ...}}`,
    /// no `detail`): `not_found`, `invalid_handle`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// For listings narrowed by a role's deny entries: the ids left out of an otherwise
    /// full listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_ids: Option<Vec<String>>,
    /// A 307 (Starlette's `redirect_slashes`, agno before 2.4.0): where to, and what the
    /// redirected request gets (the answer a client that follows redirects sees).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Box<Redirect>>,
}

/// Where a 307 sends the request, and the verdict there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// The path (and query) of the `Location` header.
    pub location: String,
    pub answer: Verdict,
}

impl Verdict {
    /// `status` for `reason`, nothing else said: every verdict starts here (a new field
    /// is one edit).
    pub fn new(status: u16, reason: String) -> Verdict {
        Verdict {
            status,
            reason,
            detail: None,
            fix: None,
            notes: Vec::new(),
            warnings: Vec::new(),
            context: Vec::new(),
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
            redirect: None,
        }
    }

    /// 200: let through, for `reason`.
    pub(crate) fn through(reason: String, notes: Vec<String>) -> Verdict {
        Verdict {
            notes,
            ..Verdict::new(200, reason)
        }
    }

    pub(crate) fn deny(status: u16, detail: String, reason: String, fix: String) -> Verdict {
        Verdict {
            detail: Some(detail),
            fix: Some(fix),
            ..Verdict::new(status, reason)
        }
    }

    /// The exit code `verify` uses: 0, 10 (401), 11 (403, or a refusal inside a 200: an
    /// MCP tool's), 12 (404); a 307's is the redirected request's.
    pub fn exit_code(&self) -> i32 {
        if let Some(r) = &self.redirect {
            return r.answer.exit_code();
        }
        match self.status {
            200 if self.detail.is_some() => 11,
            401 => 10,
            403 => 11,
            404 => 12,
            s if s >= 400 => 1,
            // Undecided offline (a service-account token against a server with a database).
            0 => 1,
            _ => 0,
        }
    }
}

/// The note for a body-gated route asked about without `--body`.
pub(crate) fn body_note(what: &str, target: &str) -> String {
    format!("{what} checks its body: {target}; pass --body JSON (or @FILE) to check it")
}

/// The fix for a 403: the narrowest scope first. On a route of one agent, team or
/// workflow (`POST /agents/my-agent/runs`), that is the per-resource scope
/// (`agents:my-agent:run`), then the global one (`agents:run`), then admin.
pub(crate) fn scope_fix(srv: &Server, path: &str, required: &[String]) -> String {
    let global = required.join(",");
    let bare = path.split(['?', '#']).next().unwrap_or_default();
    if let (Some(kind), Some(id)) = resource_context(srv, bare) {
        let narrow: Vec<String> = required
            .iter()
            .filter_map(|s| {
                let (family, action) = s.split_once(':')?;
                (family == kind && !action.contains(':')).then(|| format!("{kind}:{id}:{action}"))
            })
            .collect();
        if !narrow.is_empty() && narrow.len() == required.len() {
            let one = &kind[..kind.len() - 1];
            return format!(
                "mint with --scopes {} (this {one} only), or {global} (every {one}), or --preset admin",
                narrow.join(",")
            );
        }
    }
    format!("mint with --scopes {global}, or --preset admin")
}

/// A service-account token shown without its secret part.
pub fn redact_pat(token: &str) -> String {
    let tail: String = token
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("agno_pat_…{tail}")
}

/// A service-account token (`agno_pat_…`) against a server with a database: AgentOS
/// looks it up there, so nothing offline can tell its answer.
pub fn service_account_verdict(token: &str) -> Verdict {
    let reason = format!(
        "{} is a service-account token: AgentOS checks it against its own database (unknown, expired or revoked: 401 \"Invalid or expired service account token\"; live: decided on the account's own scopes, never by roles), so only the server can answer",
        redact_pat(token)
    );
    Verdict {
        fix: Some(
            "ask the server itself (verify --url URL), or verify a JWT from agentos-auth mint"
                .into(),
        ),
        ..Verdict::new(0, reason)
    }
}
