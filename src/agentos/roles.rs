//! AgentOS managed roles, as agno 3.1.10's `agno.os.authz.Authorization` decides them:
//! the roles file (what the server's code declares: `define_role`, `assign`, `roles_claim`,
//! `trust_token_scopes`, `admin_scope`, `excluded_route_paths`, the user directory), a
//! role's and a subject's effective scopes, and the role engine's decision with the role
//! or scope that made it.
//!
//! Read off `agno/os/authz/` (`_scope_policy.py`, `native_engine.py`, `engine.py`,
//! `_role_store.py`, `authorization.py`) and `agno/os/auth.py`. The rules worth knowing:
//! - a role's scopes become policy rows `(resource, action, allow|deny)`; `agent_os:admin`
//!   is `("*", "*")`; two spellings of one row (`agents:read`, `agents:*:read`) collapse,
//!   deny winning;
//! - deny overrides allow within one identity root; the token's roles are separate roots,
//!   OR'd (a deny on one role never vetoes another role's allow);
//! - the token's roles claim (a string or a non-empty list) takes precedence; absent or
//!   empty, the subject's stored assignments decide, and a subject with none gets the
//!   default role only when it is a directory user;
//! - a subject named like a role is refused (denied), never resolved;
//! - the role engine ignores token scopes, admin included; `trust_token_scopes` runs the
//!   scope plane alongside (OR).

use std::collections::{BTreeMap, BTreeSet};

/// `Authorization` exists from agno 3.1.0 on. The roles file's own checks (an
/// `admin_scope` no route requires) read the newest release's route map; deciding a
/// request reads the [`Server`] it is asked about (its mappings, custom ones merged).
fn newest_server() -> &'static Server {
    static SERVER: std::sync::OnceLock<Server> = std::sync::OnceLock::new();
    SERVER.get_or_init(Server::default)
}

use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::{body_ask, body_denied, schedule_by_scopes, BodyAsk, BodyCheck};
use super::decision::{Access, Decider, Decision, Visible};
use super::deployment::Server;
use super::path_pattern::fnmatch;
use super::request::Request;
use super::routes::{normalize_path, route_table, serves};
use super::scope_match::{accessible_ids, has_required_scopes, Raised, TokenScopes};
use crate::error::{Error, Result};

/// The roles admin API a server with managed roles mounts (`get_roles_router` in
/// `agno/os/authz/admin_router.py`, prefix `/authz`, agno 3.1.0 on).
const ROLES_API: &[(&str, &str)] = &[
    ("GET", "/authz/roles"),
    ("POST", "/authz/roles"),
    ("GET", "/authz/roles/{slug}"),
    ("PATCH", "/authz/roles/{slug}"),
    ("DELETE", "/authz/roles/{slug}"),
    ("PUT", "/authz/roles/{slug}/scopes"),
    ("PATCH", "/authz/roles/{slug}/scopes"),
    ("GET", "/authz/scopes"),
    ("GET", "/authz/audit"),
    ("GET", "/authz/decisions"),
    ("GET", "/authz/subjects/{subject}/roles"),
    ("POST", "/authz/subjects/{subject}/roles"),
    ("DELETE", "/authz/subjects/{subject}/roles/{role}"),
];

/// The admin super-scope the role engine knows (a custom `admin_scope` is a scope-plane
/// setting only: the engine's admin is always this).
pub const ENGINE_ADMIN: &str = "agent_os:admin";

/// One policy row of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    resource: String,
    action: String,
    deny: bool,
}

impl Row {
    /// `resource_action_to_scope`: the row read back as a scope (display only).
    fn scope(&self) -> String {
        resource_action_to_scope(&self.resource, &self.action)
    }
}

/// A role as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Rows in storage order, deduplicated per `(resource, action)`, deny winning.
    rows: Vec<Row>,
    pub default: bool,
}

impl Role {
    /// The scopes the role allows, as the server reads them back.
    pub fn allowed(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| !r.deny)
            .map(Row::scope)
            .collect()
    }

    /// The scopes the role denies.
    pub fn denied(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.deny)
            .map(Row::scope)
            .collect()
    }
}

/// What the server's code declares about roles (the roles file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    pub roles: BTreeMap<String, Role>,
    /// Stored assignments: subject -> roles.
    pub assignments: BTreeMap<String, Vec<String>>,
    /// Subjects already in the user directory (`authz_users` rows).
    pub users: BTreeSet<String>,
    /// `AgentOS(user_directory=True)`: every verified subject is provisioned on its first
    /// request (and given the default role when it holds none).
    pub user_directory: bool,
    pub roles_claim: Option<String>,
    pub trust_token_scopes: bool,
    pub admin_scope: Option<String>,
    pub excluded_route_paths: Vec<String>,
}

// ---------------------------------------------------------------------------
// The file.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    roles: BTreeMap<String, FileRole>,
    #[serde(default)]
    assignments: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    user_directory: bool,
    #[serde(default)]
    roles_claim: Option<String>,
    #[serde(default)]
    trust_token_scopes: bool,
    #[serde(default)]
    admin_scope: Option<String>,
    #[serde(default)]
    excluded_route_paths: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRole {
    #[serde(default)]
    scopes: Vec<ScopeEntry>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    default: bool,
}

/// A scope entry as `set_role_scopes` takes it: a string (allow) or
/// `{"scope": ..., "effect": "allow"|"deny"}` (what `GET /authz/roles` returns).
#[derive(Deserialize)]
#[serde(untagged)]
enum ScopeEntry {
    Plain(String),
    WithEffect {
        scope: String,
        #[serde(default)]
        effect: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Policy {
    /// Reads a roles file (JSON), refusing what agno refuses at `define_role`/`assign`.
    pub fn from_json(text: &str) -> Result<Policy> {
        let doc: FileDoc = serde_json::from_str(text).map_err(|e| {
            Error::input(format!("not a roles file: {e}")).hint(
                "expected {\"roles\": {\"NAME\": {\"scopes\": [...], \"deny\": [...], \"default\": false}}, \"assignments\": {\"SUBJECT\": [\"NAME\"]}, ...} (docs/roles.md)",
            )
        })?;
        let mut policy = Policy {
            users: doc.users.into_iter().collect(),
            user_directory: doc.user_directory,
            roles_claim: doc.roles_claim.filter(|c| !c.is_empty()),
            trust_token_scopes: doc.trust_token_scopes,
            admin_scope: doc.admin_scope.filter(|s| !s.is_empty()),
            excluded_route_paths: doc.excluded_route_paths,
            ..Policy::default()
        };
        let mut defaults = Vec::new();
        for (name, fr) in doc.roles {
            validate_role_slug(&name)?;
            let mut entries: Vec<(String, bool)> = Vec::new();
            for e in fr.scopes {
                entries.push(match e {
                    ScopeEntry::Plain(s) => (s, false),
                    ScopeEntry::WithEffect { scope, effect } => {
                        let effect = effect.unwrap_or_else(|| "allow".into()).to_lowercase();
                        match effect.as_str() {
                            "allow" => (scope, false),
                            "deny" => (scope, true),
                            other => {
                                return Err(Error::input(format!(
                                    "role {name:?}: scope effect must be 'allow' or 'deny', got {other:?}"
                                ))
                                .hint("write the scope under \"scopes\" to allow it, under \"deny\" to deny it"))
                            }
                        }
                    }
                });
            }
            entries.extend(fr.deny.into_iter().map(|s| (s, true)));
            let rows = stage_rows(&name, &entries)?;
            let role = Role {
                rows,
                default: fr.default,
            };
            if role.default {
                if role.confers_admin() {
                    return Err(Error::input(format!(
                        "role {name:?} grants {ENGINE_ADMIN} and cannot be the default role"
                    ))
                    .hint("AgentOS refuses it (every provisioned user would be an admin): flag a non-admin role as default"));
                }
                defaults.push(name.clone());
            }
            policy.roles.insert(name, role);
        }
        if defaults.len() > 1 {
            return Err(Error::input(format!(
                "roles {} are all flagged default; AgentOS keeps one default role",
                defaults.join(", ")
            ))
            .hint("set \"default\": true on one role only"));
        }
        for (subject, roles) in doc.assignments {
            let roles = match roles {
                OneOrMany::One(r) => vec![r],
                OneOrMany::Many(v) => v,
            };
            validate_subject(&subject, &policy)?;
            for r in &roles {
                validate_role_slug(r)
                    .map_err(|e| e.context(format!("assignment of {subject:?}")))?;
            }
            policy.assignments.insert(subject, roles);
        }
        for p in &policy.excluded_route_paths {
            if p.contains(['?', '[']) {
                return Err(Error::input(format!(
                    "excluded_route_paths {p:?}: only '*' wildcards are supported"
                ))
                .hint("write the path with '*' for any run of characters, e.g. /public/*"));
            }
        }
        if let Some(admin) = &policy.admin_scope {
            if route_table(newest_server())
                .iter()
                .any(|(_, _, scopes)| scopes.contains(&admin.as_str()))
            {
                return Err(Error::input(format!(
                    "admin_scope {admin:?} is a scope routes require; AgentOS would then read those routes' requirement as the admin scope"
                ))
                .hint("pick an admin scope no route requires, e.g. \"myorg:admin\""));
            }
        }
        if let Some(claim) = &policy.roles_claim {
            if claim.trim() != claim {
                return Err(
                    Error::input(format!("roles_claim {claim:?} has surrounding spaces")).hint(
                        "name the claim exactly as the tokens carry it, e.g. \"roles\" or \"role\"",
                    ),
                );
            }
        }
        Ok(policy)
    }

    /// Whether managed roles are in play (`Authorization.uses_roles`): a role defined, a
    /// subject assigned, or a `roles_claim` given. Otherwise AgentOS decides on token
    /// scopes alone.
    pub fn uses_roles(&self) -> bool {
        !self.roles.is_empty() || !self.assignments.is_empty() || self.roles_claim.is_some()
    }

    /// The role flagged default.
    pub fn default_role(&self) -> Option<&str> {
        self.roles
            .iter()
            .find(|(_, r)| r.default)
            .map(|(n, _)| n.as_str())
    }

    /// `list_roles`: defined roles plus roles that exist only as assignments.
    fn list_roles(&self) -> BTreeSet<&str> {
        let mut out: BTreeSet<&str> = self.roles.keys().map(String::as_str).collect();
        for roles in self.assignments.values() {
            out.extend(roles.iter().map(String::as_str));
        }
        out
    }

    /// `authz_name_is_role`: the name carries policy rows or has members.
    fn name_is_role(&self, name: &str) -> bool {
        self.roles.get(name).is_some_and(|r| !r.rows.is_empty())
            || self
                .assignments
                .values()
                .any(|roles| roles.iter().any(|r| r == name))
    }

    /// Whether `subject` is (or becomes, on this request) a directory user.
    fn is_directory_user(&self, subject: &str) -> bool {
        self.users.contains(subject)
            || (self.user_directory && !self.list_roles().contains(subject))
    }

    fn direct(&self, node: &str) -> &[String] {
        self.assignments.get(node).map_or(&[], Vec::as_slice)
    }

    /// `_closure`: a token-carried role plus what it is (transitively) assigned.
    fn closure(&self, seed: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![seed.to_string()];
        while let Some(node) = stack.pop() {
            if seen.insert(node.clone()) {
                stack.extend(self.direct(&node).iter().cloned());
            }
        }
        seen
    }

    /// `_subject_closure`: the roles a subject resolves to, and how.
    fn subject_roles(&self, subject: &str) -> (BTreeSet<String>, Resolution) {
        if self.name_is_role(subject) {
            return (BTreeSet::new(), Resolution::NamedLikeRole);
        }
        let mut principals = BTreeSet::new();
        let mut stack: Vec<String> = self.direct(subject).to_vec();
        while let Some(role) = stack.pop() {
            if principals.insert(role.clone()) {
                stack.extend(self.direct(&role).iter().cloned());
            }
        }
        if !principals.is_empty() {
            return (principals, Resolution::Assigned);
        }
        match self.default_role() {
            Some(d) if self.is_directory_user(subject) => {
                (BTreeSet::from([d.to_string()]), Resolution::Default)
            }
            Some(_) => (BTreeSet::new(), Resolution::NotInDirectory),
            None => (BTreeSet::new(), Resolution::NoDefault),
        }
    }

    fn rows_of<'a>(
        &'a self,
        principals: &'a BTreeSet<String>,
    ) -> impl Iterator<Item = (&'a str, &'a Row)> + 'a {
        principals
            .iter()
            .filter_map(|p| self.roles.get_key_value(p))
            .flat_map(|(n, r)| r.rows.iter().map(move |row| (n.as_str(), row)))
    }
}

/// How a subject's roles were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolution {
    Assigned,
    Default,
    NotInDirectory,
    NoDefault,
    NamedLikeRole,
}

impl Role {
    fn confers_admin(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.resource == "*" && r.action == "*" && !r.deny)
    }
}

fn validate_role_slug(slug: &str) -> Result<()> {
    let hint = "role names are identifiers: no spaces, no '/'";
    if slug.is_empty() {
        return Err(Error::input("a role name is empty").hint(hint));
    }
    if slug.chars().any(char::is_whitespace) {
        return Err(
            Error::input(format!("role name {slug:?} contains whitespace"))
                .hint("use '-' or '_' between words"),
        );
    }
    if slug.contains('/') {
        return Err(Error::input(format!("role name {slug:?} contains '/'")).hint(hint));
    }
    Ok(())
}

fn validate_subject(subject: &str, policy: &Policy) -> Result<()> {
    if subject.is_empty() || subject.trim() != subject {
        return Err(Error::input(format!(
            "assignment subject {subject:?} must be non-empty with no surrounding spaces"
        ))
        .hint("write the subject exactly as the token's sub"));
    }
    if subject.starts_with("sa:") || subject.starts_with("__oauth__:") || subject == "__scheduler__"
    {
        return Err(Error::input(format!(
            "{subject:?} is a reserved server principal and cannot hold a role"
        ))
        .hint("service accounts carry their scopes on the token; assign roles to user subjects"));
    }
    if policy.roles.contains_key(subject) {
        return Err(Error::input(format!(
            "{subject:?} is a role, not a user, so it cannot be assigned a role"
        ))
        .hint("\"assignments\" maps a subject (the token's sub) to roles: did you swap them?"));
    }
    Ok(())
}

/// Stages a role's entries as `set_role_scopes` does: every scope mapped (or refused),
/// one row per `(resource, action)`, deny winning a collision.
fn stage_rows(role: &str, entries: &[(String, bool)]) -> Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    for (scope, deny) in entries {
        if scope == ENGINE_ADMIN && *deny {
            return Err(Error::input(format!(
                "role {role:?}: a deny on {ENGINE_ADMIN} is refused by AgentOS"
            ))
            .hint("deny overrides and would lock every holder out of administration: drop the allow instead"));
        }
        let (resource, action) = scope_to_resource_action(scope).map_err(|why| {
            Error::input(format!("role {role:?}: {why}"))
                .hint("AgentOS refuses this scope at define_role; write RESOURCE:ACTION, RESOURCE:ID:ACTION, RESOURCE:*:ACTION or agent_os:admin")
        })?;
        match rows
            .iter_mut()
            .find(|r| r.resource == resource && r.action == action)
        {
            Some(r) => r.deny |= *deny,
            None => rows.push(Row {
                resource,
                action,
                deny: *deny,
            }),
        }
    }
    Ok(rows)
}

/// `scope_to_resource_action`, with agno's refusal texts.
pub fn scope_to_resource_action(scope: &str) -> std::result::Result<(String, String), String> {
    if scope == ENGINE_ADMIN {
        return Ok(("*".into(), "*".into()));
    }
    let mut parts: Vec<&str> = scope.split(':').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("Unrecognised scope (empty component): {scope:?}"));
    }
    if scope.chars().any(char::is_whitespace) {
        return Err(format!(
            "Unrecognised scope {scope:?}: scopes cannot contain whitespace."
        ));
    }
    if parts[0] == "*" {
        return Err(format!(
            "Unrecognised scope {scope:?}: '*' is not a resource type. Name the type ('agents:read'), or grant {ENGINE_ADMIN:?} for everything."
        ));
    }
    if parts[0].contains('/') {
        return Err(format!(
            "Unrecognised scope {scope:?}: the resource type cannot contain '/'."
        ));
    }
    if parts[0] == "system" {
        parts[0] = "config";
    }
    if parts[0] == "agent_os" {
        return Err(format!(
            "Unrecognised scope {scope:?}: 'agent_os' is not a resource type. The only scope in that namespace is {ENGINE_ADMIN:?}."
        ));
    }
    let (resource, action) = match parts.as_slice() {
        [t, a] => (format!("{t}/*"), a.to_string()),
        [t, id, a] => (format!("{t}/{id}"), a.to_string()),
        _ => return Err(format!("Unrecognised scope: {scope:?}")),
    };
    if action == "*" {
        return Err(format!(
            "Action wildcard '*' is not allowed in scope {scope:?}: list explicit actions (read/run/write/delete), use a resource-id wildcard like 'agents:*:run', or grant '{ENGINE_ADMIN}'."
        ));
    }
    Ok((resource, action))
}

/// `resource_action_to_scope`.
fn resource_action_to_scope(resource: &str, action: &str) -> String {
    if resource == "*" {
        return ENGINE_ADMIN.into();
    }
    if let Some(t) = resource.strip_suffix("/*") {
        return format!("{t}:{action}");
    }
    let (t, id) = resource.split_once('/').unwrap_or((resource, ""));
    format!("{t}:{id}:{action}")
}

/// `resource_matches`.
fn resource_matches(pattern: &str, request: &str) -> bool {
    if pattern == "*" || pattern == request {
        return true;
    }
    match pattern.strip_suffix('*') {
        Some(prefix) if pattern.ends_with("/*") => request.starts_with(prefix),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// The caller, and the engine's decisions.

/// Who the role engine decides for: the token's roles (when the roles claim is present
/// and non-empty) or the subject's stored assignments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub subject: Option<String>,
    /// `normalize_roles_claim`: `Some` only for a string or a non-empty list.
    pub token_roles: Option<Vec<String>>,
    /// The claim was there but empty/unusable (so assignments decided).
    pub claim_unusable: bool,
}

impl Policy {
    /// The caller as `EngineAuthorizationProvider._identity` sees it.
    pub fn caller(&self, claims: &Map<String, Value>) -> Caller {
        let subject = match claims.get("sub") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let mut claim_unusable = false;
        let token_roles = match &self.roles_claim {
            Some(name) if !claims.is_empty() => match claims.get(name) {
                Some(Value::String(s)) => Some(vec![s.clone()]),
                Some(Value::Array(items)) if !items.is_empty() => Some(
                    items
                        .iter()
                        // A non-string item names no stored role: it grants nothing.
                        .map(|v| {
                            v.as_str()
                                .map_or_else(|| format!("\u{0}{v}"), str::to_string)
                        })
                        .collect(),
                ),
                Some(_) => {
                    claim_unusable = true;
                    None
                }
                None => None,
            },
            _ => None,
        };
        Caller {
            subject,
            token_roles,
            claim_unusable,
        }
    }
}

/// A decision of the role engine and what made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineDecision {
    pub allowed: bool,
    pub why: String,
}

impl Policy {
    /// `_allowed_for_root`: deny-overrides over the root's rows; returns the allowing and
    /// the denying row (as `role scope`), if any.
    fn eval_root(
        &self,
        principals: &BTreeSet<String>,
        resource: &str,
        action: &str,
    ) -> (Option<String>, Option<String>) {
        let (mut allow, mut deny) = (None, None);
        for (role, row) in self.rows_of(principals) {
            if row.action != "*" && row.action != action {
                continue;
            }
            if !resource_matches(&row.resource, resource) {
                continue;
            }
            let by = format!("role {role:?} ({})", row.scope());
            if row.deny {
                deny.get_or_insert(by);
            } else {
                allow.get_or_insert(by);
            }
        }
        (allow, deny)
    }

    /// `_enforce(resource, action, subject, roles)` with its reason.
    fn enforce(&self, resource: &str, action: &str, caller: &Caller) -> EngineDecision {
        let what = if resource == "*" && action == "*" {
            format!("{ENGINE_ADMIN} (administering roles)")
        } else {
            format!("{action} on {resource}")
        };
        if let Some(roles) = &caller.token_roles {
            let mut reasons = Vec::new();
            for role in roles {
                let shown = shown_role(role);
                let principals = self.closure(role);
                match self.eval_root(&principals, resource, action) {
                    (Some(by), None) => {
                        return EngineDecision {
                            allowed: true,
                            why: format!("the token's role {shown} grants {what}: {by}"),
                        }
                    }
                    (_, Some(by)) => reasons.push(format!("{shown} is denied by {by}")),
                    (None, None) if !self.roles.contains_key(role) && principals.len() == 1 => {
                        reasons.push(format!("{shown} is not a role the server defines"))
                    }
                    (None, None) => reasons.push(format!("{shown} grants nothing for it")),
                }
            }
            let claim = self.roles_claim.as_deref().unwrap_or("roles");
            return EngineDecision {
                allowed: false,
                why: format!(
                    "no role in the token's {claim:?} claim grants {what} ({})",
                    reasons.join("; ")
                ),
            };
        }
        let Some(subject) = &caller.subject else {
            return EngineDecision {
                allowed: false,
                why: "the token has no sub and no roles claim, so no role applies".into(),
            };
        };
        let (principals, how) = self.subject_roles(subject);
        let source = self.source_note(caller);
        let held = principals
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let holds = match how {
            Resolution::Assigned => format!("{subject:?} holds {held} (stored assignment{source})"),
            Resolution::Default => format!(
                "{subject:?} has no stored role, so the default role {held} applies (directory user{source})"
            ),
            Resolution::NotInDirectory => {
                return EngineDecision {
                    allowed: false,
                    why: format!(
                        "{subject:?} holds no role{source}: the default role {:?} applies only to directory users, and {subject:?} is not one",
                        self.default_role().unwrap_or_default()
                    ),
                }
            }
            Resolution::NoDefault => {
                return EngineDecision {
                    allowed: false,
                    why: format!("{subject:?} holds no role{source} and no role is flagged default"),
                }
            }
            Resolution::NamedLikeRole => {
                return EngineDecision {
                    allowed: false,
                    why: format!(
                        "the subject {subject:?} is also a role name: AgentOS refuses such a subject on every request"
                    ),
                }
            }
        };
        match self.eval_root(&principals, resource, action) {
            (Some(by), None) => EngineDecision {
                allowed: true,
                why: format!("{holds}; {by} grants {what}"),
            },
            (_, Some(by)) => EngineDecision {
                allowed: false,
                why: format!("{holds}; {by} denies {what} (deny overrides)"),
            },
            (None, None) => EngineDecision {
                allowed: false,
                why: format!("{holds}; none of its scopes grants {what}"),
            },
        }
    }

    fn source_note(&self, caller: &Caller) -> String {
        match &self.roles_claim {
            Some(c) if caller.claim_unusable => {
                format!("; the token's {c:?} claim is empty, so assignments decide")
            }
            Some(c) => format!("; the token has no {c:?} claim"),
            None => String::new(),
        }
    }

    /// `check_resource(type, id, action)`.
    pub fn check_resource(
        &self,
        kind: &str,
        id: Option<&str>,
        action: &str,
        caller: &Caller,
    ) -> EngineDecision {
        let key = match id {
            Some(i) if !i.is_empty() => format!("{kind}/{i}"),
            _ => format!("{kind}/*"),
        };
        self.enforce(&key, action, caller)
    }

    /// `check_scope(scope)`: an unmappable scope is never satisfied.
    pub fn check_scope(&self, scope: &str, caller: &Caller) -> EngineDecision {
        match scope_to_resource_action(scope) {
            Ok((resource, action)) => self.enforce(&resource, &action, caller),
            Err(_) => EngineDecision {
                allowed: false,
                why: format!("{scope:?} is not a scope the role engine can map"),
            },
        }
    }

    /// `EngineAuthorizationProvider.authorize_route`.
    pub fn authorize_route(
        &self,
        kind: Option<&str>,
        id: Option<&str>,
        required: &[&str],
        caller: &Caller,
    ) -> EngineDecision {
        if required.is_empty() {
            return EngineDecision {
                allowed: true,
                why: "the route needs no scope".into(),
            };
        }
        let family = |s: &str| s.split_once(':').map_or(s, |(f, _)| f).to_string();
        let action = route_action(required);
        if let (Some(k), Some(a)) = (kind, action.as_deref()) {
            if required.iter().all(|s| family(s) == k) {
                return self.check_resource(k, id, a, caller);
            }
        }
        let mut last = None;
        for scope in required {
            let d = match (kind, id) {
                (Some(k), Some(i)) if family(scope) == k => {
                    let a = scope.rsplit_once(':').map_or(*scope, |(_, a)| a);
                    self.check_resource(k, Some(i), a, caller)
                }
                _ => self.check_scope(scope, caller),
            };
            if !d.allowed {
                return d;
            }
            last = Some(d);
        }
        last.unwrap_or(EngineDecision {
            allowed: true,
            why: String::new(),
        })
    }

    /// `_principals_for`: every root together (for id sets).
    fn principals(&self, caller: &Caller) -> BTreeSet<String> {
        if let Some(roles) = &caller.token_roles {
            return roles.iter().flat_map(|r| self.closure(r)).collect();
        }
        match &caller.subject {
            Some(s) => self.subject_roles(s).0,
            None => BTreeSet::new(),
        }
    }

    /// `accessible_resource_ids` (`deny: false`) / `denied_resource_ids` (`deny: true`):
    /// `{"*"}` for the whole collection.
    pub fn resource_ids(
        &self,
        kind: &str,
        action: Option<&str>,
        caller: &Caller,
        deny: bool,
    ) -> BTreeSet<String> {
        let principals = self.principals(caller);
        let prefix = format!("{kind}/");
        let mut ids = BTreeSet::new();
        for (_, row) in self.rows_of(&principals) {
            if row.deny != deny {
                continue;
            }
            if let Some(a) = action {
                if row.action != a && row.action != "*" {
                    continue;
                }
            }
            if row.resource == "*" || row.resource == format!("{kind}/*") || row.resource == kind {
                return BTreeSet::from(["*".to_string()]);
            }
            if let Some(id) = row.resource.strip_prefix(&prefix) {
                ids.insert(id.to_string());
            }
        }
        ids
    }

    /// Whether the caller may administer roles (`can_manage`: the engine grants
    /// `agent_os:admin`).
    pub fn can_manage(&self, caller: &Caller) -> EngineDecision {
        self.check_scope(ENGINE_ADMIN, caller)
    }
}

/// `_route_action`: the one action the route's scopes name, else none.
pub fn route_action(required: &[&str]) -> Option<String> {
    let actions: BTreeSet<&str> = required
        .iter()
        .filter_map(|s| s.rsplit_once(':').map(|(_, a)| a))
        .collect();
    (actions.len() == 1).then(|| actions.into_iter().next().unwrap_or_default().to_string())
}

fn shown_role(role: &str) -> String {
    match role.strip_prefix('\u{0}') {
        Some(v) => format!("(non-string {v})"),
        None => format!("{role:?}"),
    }
}

// ---------------------------------------------------------------------------
// Effective scopes (the `scopes` command).

/// What a role or a subject may do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Effective {
    /// The roles it comes from.
    pub roles: Vec<String>,
    /// How they were found (for a subject).
    pub via: String,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

impl Policy {
    /// A defined role's scopes.
    pub fn role_scopes(&self, role: &str) -> Option<Effective> {
        let r = self.roles.get(role)?;
        Some(Effective {
            roles: vec![role.to_string()],
            via: if r.default {
                "the default role".into()
            } else {
                "defined role".into()
            },
            allow: r.allowed(),
            deny: r.denied(),
        })
    }

    /// What a subject resolves to without a roles claim on its token.
    pub fn subject_scopes(&self, subject: &str) -> Effective {
        let (principals, how) = self.subject_roles(subject);
        let via = match how {
            Resolution::Assigned => "stored assignment",
            Resolution::Default => "the default role (no stored role; directory user)",
            Resolution::NotInDirectory => {
                "no role (no stored role, and the default role applies only to directory users)"
            }
            Resolution::NoDefault => "no role (no stored role, no default role)",
            Resolution::NamedLikeRole => {
                "nothing: the subject is named like a role, AgentOS refuses it"
            }
        };
        let mut allow = Vec::new();
        let mut deny = Vec::new();
        for (_, row) in self.rows_of(&principals) {
            let list = if row.deny { &mut deny } else { &mut allow };
            let s = row.scope();
            if !list.contains(&s) {
                list.push(s);
            }
        }
        Effective {
            roles: principals.into_iter().collect(),
            via: via.into(),
            allow,
            deny,
        }
    }

    /// Names of the defined roles.
    pub fn role_names(&self) -> Vec<String> {
        self.roles.keys().cloned().collect()
    }
}

// ---------------------------------------------------------------------------
// The request: the planes AgentOS composes, as the decider of the one route decision.

/// The planes deciding a request (`Authorization.provider`).
pub(crate) struct Planes<'a> {
    policy: &'a Policy,
    srv: &'a Server,
    claims: &'a Map<String, Value>,
    caller: Caller,
    scopes: TokenScopes,
    /// The scope plane runs (no roles, or `trust_token_scopes`).
    scope_plane: bool,
    /// The role engine runs (roles in play).
    engine: bool,
}

impl Planes<'_> {
    fn composite(&self) -> bool {
        self.scope_plane && self.engine
    }

    /// The admin scope in force for the scope plane (`admin_scope`, else agno's).
    fn admin_scope(&self) -> &str {
        self.policy.admin_scope.as_deref().unwrap_or(ENGINE_ADMIN)
    }

    /// The token's own admin scope, where scopes are the caller's authority.
    fn token_admin(&self) -> bool {
        let admin = self.admin_scope();
        self.scope_plane
            && matches!(self.claims.get("scopes"), Some(Value::Array(a)) if a.iter().any(|s| s.as_str() == Some(admin)))
    }

    fn scope_grant(&self) -> String {
        if self.engine {
            "the token's scopes grant it (trust_token_scopes runs the scope plane alongside the roles)".into()
        } else {
            "the token's scopes grant it".into()
        }
    }

    fn scope_miss(&self) -> String {
        if self.engine {
            "the token's scopes do not grant it".into()
        } else {
            "the token's scopes do not grant it (no roles in play: AgentOS decides on scopes alone)"
                .into()
        }
    }

    /// `filter_accessible` with action "read": each plane's deny-aware filter, unioned.
    fn filter(&self, kind: &str) -> Result<Visible, Raised> {
        let mut shown = Visible::Only(BTreeSet::new());
        if self.scope_plane {
            match accessible_ids(self.srv, &self.scopes, kind, Some("read")) {
                Ok(ids) => shown = shown.union(Visible::from_ids(ids)),
                Err(Raised) if !self.composite() => return Err(Raised),
                Err(Raised) => {}
            }
        }
        if self.engine {
            let allowed = self
                .policy
                .resource_ids(kind, Some("read"), &self.caller, false);
            let denied = self
                .policy
                .resource_ids(kind, Some("read"), &self.caller, true);
            let engine = if denied.contains("*") {
                Visible::Only(BTreeSet::new())
            } else {
                Visible::from_ids(allowed).intersect(Visible::AllBut(denied))
            };
            shown = shown.union(engine);
        }
        Ok(shown)
    }
}

impl Decider for Planes<'_> {
    fn server(&self) -> &Server {
        self.srv
    }

    fn exempt(&self, method: &str, path: &str) -> Option<String> {
        (method.trim().eq_ignore_ascii_case("OPTIONS") || self.policy.is_excluded(self.srv, path))
            .then(|| {
                "the path is in excluded_route_paths: AgentOS reads no token there".to_string()
            })
    }

    fn public_why(&self) -> String {
        "a public route: AgentOS reads no token there".into()
    }

    /// `authorize_route` of each plane, OR'd (a raising plane abstains in a composite;
    /// alone, agno's provider-error path denies).
    fn authorize_route(
        &self,
        kind: Option<&str>,
        id: Option<&str>,
        required: &[&str],
    ) -> (Result<bool, Raised>, String) {
        let mut why = Vec::new();
        if self.scope_plane {
            match has_required_scopes(self.srv, &self.scopes, required, kind, id) {
                Ok(true) => return (Ok(true), self.scope_grant()),
                Ok(false) => why.push(self.scope_miss()),
                Err(Raised) => why.push("the token's scopes list holds a non-string item".into()),
            }
        }
        if self.engine {
            let d = self
                .policy
                .authorize_route(kind, id, required, &self.caller);
            if d.allowed {
                return (Ok(true), d.why);
            }
            why.push(d.why);
        }
        (Ok(false), why.join("; "))
    }

    /// `accessible_resource_ids`, unioned.
    fn accessible(&self, kind: &str, action: Option<&str>) -> Result<BTreeSet<String>, Raised> {
        let mut ids = BTreeSet::new();
        if self.scope_plane {
            match accessible_ids(self.srv, &self.scopes, kind, action) {
                Ok(got) if got.contains("*") => return Ok(got),
                Ok(got) => ids.extend(got),
                Err(Raised) if !self.composite() => return Err(Raised),
                Err(Raised) => {}
            }
        }
        if self.engine {
            let got = self.policy.resource_ids(kind, action, &self.caller, false);
            if got.contains("*") {
                return Ok(got);
            }
            ids.extend(got);
        }
        Ok(ids)
    }

    /// `check` (the per-resource gate), OR'd.
    fn check_resource(&self, kind: &str, id: &str, action: &str) -> (Result<bool, Raised>, String) {
        let mut why = Vec::new();
        let mut raised = false;
        if self.scope_plane {
            let need = format!("{kind}:{action}");
            match has_required_scopes(
                self.srv,
                &self.scopes,
                &[need.as_str()],
                Some(kind),
                Some(id),
            ) {
                Ok(true) => return (Ok(true), self.scope_grant()),
                Ok(false) => why.push(self.scope_miss()),
                Err(Raised) => {
                    raised = true;
                    why.push("the token's scopes list holds a non-string item".into())
                }
            }
        }
        if self.engine {
            let d = self
                .policy
                .check_resource(kind, Some(id), action, &self.caller);
            if d.allowed {
                return (Ok(true), d.why);
            }
            why.push(d.why);
        }
        let answer = if raised && !self.composite() {
            Err(Raised)
        } else {
            Ok(false)
        };
        (answer, why.join("; "))
    }

    /// The job queue's and the user directory's admin gate: the token's admin scope
    /// where scopes are the caller's authority, else the role engine's admin.
    fn admin(&self) -> (bool, Option<String>) {
        if self.token_admin() {
            return (true, None);
        }
        let d = self.policy.can_manage(&self.caller);
        (d.allowed, Some(d.why))
    }

    /// A server with managed roles mounts their admin API (`AgentOS._admin_api_routers`):
    /// it is there even when the default app's route list is what is known of the server.
    fn mounts(&self, method: &str, path: &str) -> bool {
        self.engine
            && self.srv.routes.is_none()
            && serves(self.srv, ROLES_API.iter().copied(), method, path)
    }

    /// `/authz`, the roles admin API (mounted with roles): `require_admin`.
    fn roles_api(&self, npath: &str) -> Option<Decision> {
        if !self.engine || !(npath == "/authz" || npath.starts_with("/authz/")) {
            return None;
        }
        if self.token_admin() {
            return Some(Decision::allowed(
                format!(
                    "the token's {} scope administers roles (trust_token_scopes)",
                    self.admin_scope()
                ),
                None,
            ));
        }
        let d = self.policy.can_manage(&self.caller);
        Some(if d.allowed {
            Decision::allowed(d.why, None)
        } else {
            Decision::forbidden(
                "Admin privileges required".into(),
                vec![ENGINE_ADMIN.into()],
                d.why,
            )
        })
    }

    /// The ids the gate narrowed the listing to, less what the planes' filters hide.
    fn listing(
        &self,
        kind: &str,
        gate_ids: Option<&BTreeSet<String>>,
        _ids: BTreeSet<String>,
    ) -> Result<Visible, Raised> {
        let narrowed = match gate_ids {
            Some(c) if !c.contains("*") => Visible::Only(c.clone()),
            _ => Visible::All,
        };
        Ok(narrowed.intersect(self.filter(kind)?))
    }

    fn served(&self, _gate_ids: Option<BTreeSet<String>>) -> Option<Visible> {
        None
    }

    /// The handler's check on the body (`--body`) of a request the route let through,
    /// decided as agno 3.1.10 decides it under `Authorization`: the eval target through
    /// the composed planes (`acheck_resource_access`); the scheduled endpoint on the
    /// token's scopes when a scope plane enforces, else through the planes, a non-run
    /// endpoint refused outright (`_require_endpoint_permission`).
    fn check_body(&self, method: &str, path: &str, body: Option<&Value>) -> BodyCheck {
        let srv = self.srv;
        let ask = body_ask(srv, method, path, body);
        match &ask {
            BodyAsk::NoGate | BodyAsk::Nothing | BodyAsk::Unknown { .. } => body_denied(srv, &ask),
            BodyAsk::Run { kind, id } => match self.check_resource(kind, id, "run") {
                (Ok(false), _) => body_denied(srv, &ask),
                _ => BodyCheck::Allowed,
            },
            BodyAsk::ScheduleRun { .. } | BodyAsk::ScheduleOther if self.scope_plane => {
                schedule_by_scopes(srv, &self.scopes, &ask, self.admin_scope())
            }
            BodyAsk::ScheduleOther => BodyCheck::Forbidden {
                detail: "Scheduling a non-run endpoint requires a scope-based authorization plane"
                    .into(),
                required: Vec::new(),
            },
            BodyAsk::ScheduleRun { kind, id } => {
                if self
                    .policy
                    .check_resource(kind, Some(id), "run", &self.caller)
                    .allowed
                {
                    BodyCheck::Allowed
                } else {
                    body_denied(srv, &ask)
                }
            }
        }
    }

    fn through_reason(&self, what: &str, d: &Decision, _by: &str) -> String {
        if d.access == Access::Public {
            return format!("{what}: {}", d.why);
        }
        let shown = match &d.visible {
            Some(Visible::Only(ids)) if ids.is_empty() => {
                ", but the list it answers with is empty (the roles allow no id in it)".to_string()
            }
            Some(Visible::Only(ids)) => format!(
                ", but the list it answers with holds only {} (the ids the roles allow)",
                ids.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Some(Visible::AllBut(ids)) if !ids.is_empty() => format!(
                ", but the list it answers with leaves out {} (the ids the roles deny)",
                ids.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        };
        format!("AgentOS lets {what} through{shown}: {}", d.why)
    }

    fn refusal(
        &self,
        r: &Request,
        what: &str,
        required: &[String],
        why: &str,
        by_body: bool,
    ) -> (String, String) {
        if by_body {
            let fix = match required {
                [] => "schedule a run endpoint (POST /agents/<id>/runs), or use a scope-based server for other endpoints".to_string(),
                need => format!("the body's target needs {} for this caller (a role granting it, or trust_token_scopes with the scope)", need.join(" or ")),
            };
            return (
                format!("AgentOS refuses {what}: the handler's check on the body refuses it"),
                fix,
            );
        }
        (
            format!("AgentOS refuses {what}: {why}"),
            self.policy.fix_for(self.srv, self.claims, r),
        )
    }
}

impl Policy {
    /// The planes `Authorization` composes for the caller of `claims`.
    pub(crate) fn planes<'a>(
        &'a self,
        srv: &'a Server,
        claims: &'a Map<String, Value>,
    ) -> Planes<'a> {
        Planes {
            policy: self,
            srv,
            claims,
            caller: self.caller(claims),
            scopes: TokenScopes::with_admin_scope(
                claims.get("scopes"),
                self.admin_scope.as_deref().unwrap_or(ENGINE_ADMIN),
            ),
            scope_plane: !self.uses_roles() || self.trust_token_scopes,
            engine: self.uses_roles(),
        }
    }

    /// What AgentOS answers a verified token (`claims`) on `method path`: the route gate
    /// through the planes `Authorization` composes, then the router's own check.
    pub fn decide(
        &self,
        srv: &Server,
        claims: &Map<String, Value>,
        method: &str,
        path: &str,
    ) -> Decision {
        self.planes(srv, claims).decide(method, path, path)
    }

    /// Whether the path is in `excluded_route_paths` (AgentOS's own public paths aside).
    pub fn is_excluded(&self, srv: &Server, path: &str) -> bool {
        let (p, _) = normalize_path(srv, path);
        self.excluded_route_paths
            .iter()
            .any(|e| fnmatch(&p, e) || fnmatch(p.trim_end_matches('/'), e))
    }

    /// The roles that would let `request` through, said as what to change.
    fn fix_for(&self, srv: &Server, payload: &Map<String, Value>, r: &Request) -> String {
        let granting: Vec<&str> = self
            .roles
            .keys()
            .filter(|role| {
                let mut c = payload.clone();
                c.remove("scopes");
                match &self.roles_claim {
                    Some(claim) => {
                        c.insert(claim.clone(), Value::from(vec![role.as_str()]));
                    }
                    None => {
                        // Stored assignment: try the role as the subject's only one.
                        let mut p = self.clone();
                        if let Some(Value::String(sub)) = c.get("sub") {
                            p.assignments.insert(sub.clone(), vec![role.to_string()]);
                            return p.decide(srv, &c, &r.method, &r.path).access == Access::Allowed;
                        }
                        return false;
                    }
                }
                self.decide(srv, &c, &r.method, &r.path).access == Access::Allowed
            })
            .map(String::as_str)
            .collect();
        let sub = payload
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or("the subject");
        match (granting.as_slice(), &self.roles_claim) {
            ([], _) => "no role in the roles file grants it: give a role the scope it needs (define_role / PUT /authz/roles/{slug}/scopes)".into(),
            (roles, Some(claim)) => format!(
                "mint with --roles {} (claim {claim:?}); roles that grant it: {}",
                roles[0],
                roles.join(", ")
            ),
            (roles, None) => format!(
                "assign {sub:?} a role that grants it ({}): assign({sub:?}, {:?}) or POST /authz/subjects/{sub}/roles",
                roles.join(", "),
                roles[0]
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// The server's own roles (`GET /authz/roles`, `GET /authz/subjects/{sub}/roles`).

impl Policy {
    /// Replaces the roles with what a server's `GET /authz/roles` pages list (`data`
    /// items: `slug`, `is_default`, `scopes` as `{"raw", "value": "allow"|"deny"}`).
    /// Several defaults (legacy data): the lowest slug wins, as agno's `default_role`.
    pub fn set_server_roles(&mut self, items: &[Value]) -> Result<()> {
        let bad = |what: String| {
            Error::input(format!("GET /authz/roles: {what}")).hint(
                "is the URL an AgentOS with managed roles (agno 3.1.x, Authorization with roles)?",
            )
        };
        let mut roles = BTreeMap::new();
        for item in items {
            let slug = item["slug"]
                .as_str()
                .ok_or_else(|| bad(format!("a role without a slug: {item}")))?;
            let mut entries = Vec::new();
            for sc in item["scopes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let raw = sc["raw"]
                    .as_str()
                    .ok_or_else(|| bad(format!("role {slug:?}: a scope without raw: {sc}")))?;
                entries.push((raw.to_string(), sc["value"].as_str() == Some("deny")));
            }
            let rows = stage_rows(slug, &entries).map_err(|e| e.context("GET /authz/roles"))?;
            let default = item["is_default"].as_bool().unwrap_or(false);
            roles.insert(slug.to_string(), Role { rows, default });
        }
        // Keep one default: the lowest slug (BTreeMap order).
        let mut seen = false;
        for role in roles.values_mut() {
            if role.default && std::mem::replace(&mut seen, true) {
                role.default = false;
            }
        }
        self.roles = roles;
        Ok(())
    }

    /// Records what `GET /authz/subjects/{sub}/roles` answered (`{"role": ...}`).
    pub fn set_server_assignment(&mut self, subject: &str, answer: &Value) {
        match answer["role"].as_str() {
            Some(role) => {
                self.assignments
                    .insert(subject.to_string(), vec![role.to_string()]);
            }
            None => {
                self.assignments.remove(subject);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// What is worth knowing about a roles file (doctor).

/// A remark on a roles file: `true` for a trap (warning), `false` for information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    pub warning: bool,
    pub message: String,
    pub fix: Option<String>,
}

impl Policy {
    pub fn remarks(&self) -> Vec<Remark> {
        let mut out = Vec::new();
        let info = |m: String| Remark {
            warning: false,
            message: m,
            fix: None,
        };
        let warn = |m: String, f: &str| Remark {
            warning: true,
            message: m,
            fix: Some(f.to_string()),
        };
        if !self.uses_roles() {
            out.push(info(format!(
                "no roles, assignments or roles_claim: AgentOS decides on token scopes alone{}",
                self.admin_scope
                    .as_ref()
                    .map(|a| format!(" (admin scope {a})"))
                    .unwrap_or_default()
            )));
            return out;
        }
        out.push(info(format!(
            "{} role(s), {} stored assignment(s); {}",
            self.roles.len(),
            self.assignments.len(),
            match &self.roles_claim {
                Some(c) => format!("a token's {c:?} claim (a string or a non-empty list) names its roles, else its subject's stored assignments decide"),
                None => "roles come from stored assignments (no roles_claim)".into(),
            }
        )));
        if self.trust_token_scopes {
            out.push(info("trust_token_scopes: a token's scopes are honoured alongside its roles (either grants)".into()));
        } else {
            out.push(info("token scopes are ignored (no trust_token_scopes): even agent_os:admin in a token grants nothing".into()));
            if self.admin_scope.is_some() {
                out.push(warn(
                    "admin_scope is set but only the scope plane reads it, which runs only with trust_token_scopes".into(),
                    "set trust_token_scopes: true, or drop admin_scope",
                ));
            }
        }
        if let Some(d) = self.default_role() {
            if !self.user_directory && self.users.is_empty() {
                out.push(warn(
                    format!("the default role {d:?} applies only to directory users, and there is no user directory: it never applies"),
                    "add \"user_directory\": true (AgentOS(user_directory=True)), or list directory users in \"users\"",
                ));
            }
        }
        let admin_role = self.roles.values().any(Role::confers_admin);
        if !admin_role && !self.trust_token_scopes {
            out.push(warn(
                format!("no role grants {ENGINE_ADMIN}: nobody can use the /authz admin API"),
                "define an admin role, e.g. \"admin\": {\"scopes\": [\"agent_os:admin\"]}",
            ));
        }
        for (subject, roles) in &self.assignments {
            if roles.len() > 1 {
                out.push(warn(
                    format!("{subject:?} is assigned {} roles; AgentOS's assign() keeps one role per subject", roles.len()),
                    "give the subject one role that carries all it needs",
                ));
            }
            for r in roles {
                if !self.roles.contains_key(r) {
                    out.push(warn(
                        format!("{subject:?} is assigned {r:?}, which the file does not define: it grants nothing"),
                        "define the role, or fix the name",
                    ));
                }
            }
        }
        for u in self.users.iter().chain(self.assignments.keys()) {
            if self.name_is_role(u) {
                out.push(warn(
                    format!("the subject {u:?} is also a role name: AgentOS refuses it on every request"),
                    "keep subject ids and role names apart (e.g. emails for users)",
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: Value) -> Policy {
        Policy::from_json(&v.to_string()).unwrap()
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn scope_mapping_matches_agno() {
        let ok = |s: &str, r: &str, a: &str| {
            assert_eq!(
                scope_to_resource_action(s).unwrap(),
                (r.into(), a.into()),
                "{s}"
            )
        };
        ok("agent_os:admin", "*", "*");
        ok("sessions:write", "sessions/*", "write");
        ok("agents:research:run", "agents/research", "run");
        ok("agents:*:run", "agents/*", "run");
        ok("system:read", "config/*", "read");
        for bad in [
            "agents:*:*",
            "*:read",
            "agent_os:x:read",
            "agents: read",
            "a:b:c:d",
            "agents::run",
            "a/b:read",
        ] {
            assert!(scope_to_resource_action(bad).is_err(), "{bad}");
        }
        assert_eq!(resource_action_to_scope("agents/*", "read"), "agents:read");
        assert_eq!(resource_action_to_scope("agents/x", "run"), "agents:x:run");
    }

    #[test]
    fn deny_wins_a_spelling_collision() {
        let p =
            policy(json!({"roles": {"r": {"scopes": ["agents:read"], "deny": ["agents:*:read"]}}}));
        assert_eq!(p.roles["r"].allowed(), Vec::<String>::new());
        assert_eq!(p.roles["r"].denied(), vec!["agents:read".to_string()]);
    }

    #[test]
    fn refuses_what_agno_refuses() {
        for (doc, want) in [
            (
                json!({"roles": {"a": {"deny": ["agent_os:admin"]}}}),
                "deny on agent_os:admin",
            ),
            (
                json!({"roles": {"a": {"scopes": ["agent_os:admin"], "default": true}}}),
                "cannot be the default",
            ),
            (
                json!({"roles": {"a": {"default": true}, "b": {"default": true}}}),
                "all flagged default",
            ),
            (json!({"roles": {"a b": {}}}), "whitespace"),
            (
                json!({"roles": {"a": {"scopes": ["agents:*:*"]}}}),
                "Action wildcard",
            ),
            (
                json!({"roles": {"a": {}}, "assignments": {"a": ["a"]}}),
                "is a role, not a user",
            ),
            (json!({"assignments": {"sa:bot": ["a"]}}), "reserved"),
            (json!({"rolez": {}}), "unknown field"),
        ] {
            let e = Policy::from_json(&doc.to_string()).unwrap_err();
            assert!(e.msg.contains(want), "{doc}: {}", e.msg);
        }
    }

    #[test]
    fn token_roles_are_separate_roots() {
        let p = policy(json!({
            "roles": {"reader": {"scopes": ["agents:*:read"]}, "blocked": {"scopes": ["agents:*:read"], "deny": ["agents:secret:read"]}},
            "roles_claim": "roles"
        }));
        let c = p.caller(&claims(json!({"sub": "u", "roles": ["blocked", "reader"]})));
        assert!(
            p.check_resource("agents", Some("secret"), "read", &c)
                .allowed
        );
        let c = p.caller(&claims(json!({"sub": "u", "roles": ["blocked"]})));
        let d = p.check_resource("agents", Some("secret"), "read", &c);
        assert!(!d.allowed && d.why.contains("denied"), "{}", d.why);
        // An empty string is still a claim: no fallback to assignments.
        let c = p.caller(&claims(json!({"sub": "u", "roles": ""})));
        assert_eq!(c.token_roles, Some(vec![String::new()]));
        // An empty list falls back.
        let c = p.caller(&claims(json!({"sub": "u", "roles": []})));
        assert!(c.token_roles.is_none() && c.claim_unusable);
    }

    #[test]
    fn subjects_and_the_default_role() {
        let p = policy(json!({
            "roles": {"viewer": {"scopes": ["agents:*:read"], "default": true}, "runner": {"scopes": ["agents:*:run"]}},
            "assignments": {"carol": ["runner"]},
            "users": ["dave"]
        }));
        let who = |s: &str| p.caller(&claims(json!({"sub": s})));
        assert!(
            p.check_resource("agents", Some("x"), "run", &who("carol"))
                .allowed
        );
        assert!(
            !p.check_resource("agents", Some("x"), "read", &who("carol"))
                .allowed
        );
        assert!(
            p.check_resource("agents", Some("x"), "read", &who("dave"))
                .allowed
        );
        let d = p.check_resource("agents", Some("x"), "read", &who("erin"));
        assert!(!d.allowed && d.why.contains("directory"), "{}", d.why);
        let d = p.check_resource("agents", Some("x"), "read", &who("viewer"));
        assert!(!d.allowed && d.why.contains("role name"), "{}", d.why);
        assert_eq!(p.subject_scopes("dave").roles, vec!["viewer".to_string()]);
    }

    #[test]
    fn server_roles_read_back() {
        let mut p = policy(json!({"roles_claim": "roles"}));
        p.set_server_roles(&[
            json!({"slug": "b", "is_default": true, "scopes": [{"raw": "agents:read", "value": "allow"}]}),
            json!({"slug": "a", "is_default": true, "scopes": [{"raw": "agents:x:run", "value": "deny"}]}),
        ])
        .unwrap();
        assert_eq!(p.default_role(), Some("a"));
        assert_eq!(p.roles["a"].denied(), vec!["agents:x:run".to_string()]);
        p.set_server_assignment("carol", &json!({"subject": "carol", "role": "b"}));
        assert_eq!(
            p.subject_scopes("carol").allow,
            vec!["agents:read".to_string()]
        );
        assert!(p.set_server_roles(&[json!({"scopes": []})]).is_err());
    }

    #[test]
    fn without_roles_it_is_the_scope_decision() {
        // A roles file with no roles decides exactly as the scope-only path.
        let p = policy(json!({}));
        let scope_sets = [
            json!(["agent_os:admin"]),
            json!(["agents:read"]),
            json!(["agents:my-agent:read", "agents:my-agent:run"]),
            json!(["agents:*:run"]),
            json!(["sessions:read", 5]),
            json!("agents:read"),
            json!([]),
        ];
        let routes = [
            ("GET", "/agents"),
            ("GET", "/agents/my-agent"),
            ("POST", "/agents/my-agent/runs"),
            ("POST", "/agents/x/runs"),
            ("GET", "/sessions"),
            ("GET", "/teams"),
            ("GET", "/filesystem/files"),
            ("GET", "/config"),
            ("GET", "/health"),
        ];
        for s in &scope_sets {
            for (m, path) in routes {
                let c = claims(json!({"sub": "u", "scopes": s}));
                let ours = p.decide(newest_server(), &c, m, path).access;
                let theirs =
                    super::super::scope_plane::check_access(newest_server(), Some(s), m, path);
                assert_eq!(ours, theirs, "{s} {m} {path}");
            }
        }
    }

    #[test]
    fn custom_admin_scope_replaces_agent_os_admin() {
        let p = policy(json!({"admin_scope": "myorg:admin"}));
        let d = |s: Value| {
            p.decide(
                newest_server(),
                &claims(json!({"sub": "u", "scopes": s})),
                "GET",
                "/config",
            )
            .access
        };
        assert_eq!(d(json!(["myorg:admin"])), Access::Allowed);
        assert!(matches!(
            d(json!(["agent_os:admin"])),
            Access::Forbidden { .. }
        ));
    }

    #[test]
    fn collection_and_listing_ids() {
        let p = policy(json!({
            "roles": {"one": {"scopes": ["agents:a1:read", "agents:a2:run"], "deny": ["agents:a3:read"]}},
            "assignments": {"u": "one"}
        }));
        let c = p.caller(&claims(json!({"sub": "u"})));
        assert!(!p.check_resource("agents", None, "read", &c).allowed);
        assert_eq!(
            p.resource_ids("agents", Some("read"), &c, false),
            BTreeSet::from(["a1".to_string()])
        );
        assert_eq!(p.resource_ids("agents", None, &c, false).len(), 2);
        assert_eq!(
            p.resource_ids("agents", Some("read"), &c, true),
            BTreeSet::from(["a3".to_string()])
        );
    }
}
