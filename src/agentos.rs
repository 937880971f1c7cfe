//! AgentOS's own rules, read off agno 3.1.10 (`agno/os/scopes.py`,
//! `agno/os/middleware/jwt.py`, `agno/os/auth.py`, the agents/teams/workflows and
//! filesystem routers): the scope grammar, reserved subjects, the default route map,
//! and the scope decision exactly as AgentOS makes it. The route map is data
//! ([`ROUTES`], [`RESOURCE_GATES`]); the functions only walk it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::{Error, Result};

/// `AgentOSScope.ADMIN`: every route, every resource.
pub const ADMIN_SCOPE: &str = "agent_os:admin";

/// `LEGACY_RESOURCE_ALIASES`: old resource names still honoured (`system:read` = `config:read`).
pub const LEGACY_ALIASES: &[(&str, &str)] = &[("system", "config")];

/// A resource family of the default route map and the actions AgentOS checks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub name: &'static str,
    pub actions: &'static [&'static str],
    /// Per-id scopes (`agents:<id>:run`) only mean something here (`get_resource_context_from_path`).
    pub has_ids: bool,
}

const RWD: &[&str] = &["read", "write", "delete"];
const RWDX: &[&str] = &["read", "write", "delete", "run"];
const R: &[&str] = &["read"];
const RW: &[&str] = &["read", "write"];

const fn res(name: &'static str, actions: &'static [&'static str], has_ids: bool) -> Resource {
    Resource {
        name,
        actions,
        has_ids,
    }
}

/// Exactly the resources and actions of `get_default_scope_mappings()`.
pub const RESOURCES: &[Resource] = &[
    res("config", RW, false),
    res("registry", R, false),
    res("agents", RWDX, true),
    res("teams", RWDX, true),
    res("workflows", RWDX, true),
    res("sessions", RWD, false),
    res("memories", RWD, false),
    res("learnings", RWD, false),
    res("knowledge", RWD, false),
    res("evals", RWD, false),
    res("filesystem", R, false),
    res("metrics", RW, false),
    res("traces", R, false),
    res("service_accounts", RWD, false),
    res("schedules", RWD, false),
    res("approvals", RWD, false),
    res("components", RWD, false),
];

/// Resources that only exist with `AgentOS(company=...)` (`get_default_scope_mappings(company=True)`).
pub const COMPANY_RESOURCES: &[&str] = &[
    "wiki",
    "decisions",
    "sources",
    "routines",
    "products",
    "projects",
    "tasks",
];

/// Routes of the map that agno 3.1.10 does not serve: 404 for every token (observed).
pub const UNSERVED_ROUTES: &[(&str, &str)] = &[("GET", "/models"), ("GET", "/evals")];

/// `AuthMiddleware._get_default_excluded_routes`: served without any token.
pub const PUBLIC_PATHS: &[&str] = &[
    "/",
    "/health",
    "/info",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/docs/oauth2-redirect",
];

/// Reserved subjects (`is_reserved_principal`): AgentOS answers 401 "Invalid token subject".
pub const RESERVED_SUB_PREFIXES: &[(&str, &str)] = &[
    ("sa:", "service accounts"),
    ("__oauth__:", "MCP OAuth clients"),
];
pub const RESERVED_SUBS: &[(&str, &str)] = &[("__scheduler__", "the internal scheduler")];

/// One entry of the route map: `"METHOD /pattern": [scopes]`. `*` spans slashes
/// (Python `fnmatch`), and the first matching entry wins, so order matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub pattern: &'static str,
    pub scopes: &'static [&'static str],
}

const fn r(method: &'static str, pattern: &'static str, scopes: &'static [&'static str]) -> Route {
    Route {
        method,
        pattern,
        scopes,
    }
}

/// `get_default_scope_mappings()` of agno 3.1.10, in its order.
pub const ROUTES: &[Route] = &[
    r("GET", "/config", &["config:read"]),
    r("GET", "/models", &["config:read"]),
    r("GET", "/agents", &["agents:read"]),
    r("GET", "/agents/*", &["agents:read"]),
    r("POST", "/agents", &["agents:write"]),
    r("PATCH", "/agents/*", &["agents:write"]),
    r("DELETE", "/agents/*", &["agents:delete"]),
    r("POST", "/agents/*/runs", &["agents:run"]),
    r("POST", "/agents/*/runs/*/continue", &["agents:run"]),
    r("POST", "/agents/*/runs/*/cancel", &["agents:run"]),
    r("GET", "/teams", &["teams:read"]),
    r("GET", "/teams/*", &["teams:read"]),
    r("POST", "/teams", &["teams:write"]),
    r("PATCH", "/teams/*", &["teams:write"]),
    r("DELETE", "/teams/*", &["teams:delete"]),
    r("POST", "/teams/*/runs", &["teams:run"]),
    r("POST", "/teams/*/runs/*/continue", &["teams:run"]),
    r("POST", "/teams/*/runs/*/cancel", &["teams:run"]),
    r("GET", "/workflows", &["workflows:read"]),
    r("GET", "/workflows/*", &["workflows:read"]),
    r("POST", "/workflows", &["workflows:write"]),
    r("PATCH", "/workflows/*", &["workflows:write"]),
    r("DELETE", "/workflows/*", &["workflows:delete"]),
    r("POST", "/workflows/*/runs", &["workflows:run"]),
    r("POST", "/workflows/*/runs/*/continue", &["workflows:run"]),
    r("POST", "/workflows/*/runs/*/cancel", &["workflows:run"]),
    r("GET", "/sessions", &["sessions:read"]),
    r("GET", "/sessions/*", &["sessions:read"]),
    r("POST", "/sessions", &["sessions:write"]),
    r("POST", "/sessions/*/rename", &["sessions:write"]),
    r("PATCH", "/sessions/*", &["sessions:write"]),
    r("DELETE", "/sessions", &["sessions:delete"]),
    r("DELETE", "/sessions/*", &["sessions:delete"]),
    r("GET", "/memories", &["memories:read"]),
    r("GET", "/memories/*", &["memories:read"]),
    r("GET", "/memory_topics", &["memories:read"]),
    r("GET", "/user_memory_stats", &["memories:read"]),
    r("POST", "/memories", &["memories:write"]),
    r("PATCH", "/memories/*", &["memories:write"]),
    r("DELETE", "/memories", &["memories:delete"]),
    r("DELETE", "/memories/*", &["memories:delete"]),
    r("POST", "/optimize-memories", &["memories:write"]),
    r("GET", "/learnings", &["learnings:read"]),
    r("GET", "/learnings/*", &["learnings:read"]),
    r("POST", "/learnings", &["learnings:write"]),
    r("PATCH", "/learnings/*", &["learnings:write"]),
    r("DELETE", "/learnings/*", &["learnings:delete"]),
    r("GET", "/knowledge/content", &["knowledge:read"]),
    r("GET", "/knowledge/content/*", &["knowledge:read"]),
    r("GET", "/knowledge/config", &["knowledge:read"]),
    r("POST", "/knowledge/content", &["knowledge:write"]),
    r("POST", "/knowledge/content/*/refresh", &["knowledge:write"]),
    r("PATCH", "/knowledge/content/*", &["knowledge:write"]),
    r("POST", "/knowledge/search", &["knowledge:read"]),
    r("DELETE", "/knowledge/content", &["knowledge:delete"]),
    r("DELETE", "/knowledge/content/*", &["knowledge:delete"]),
    r("GET", "/metrics", &["metrics:read"]),
    r("POST", "/metrics/refresh", &["metrics:write"]),
    r("GET", "/metrics/refresh/status", &["metrics:read"]),
    r("GET", "/eval-runs", &["evals:read"]),
    r("GET", "/eval-runs/*", &["evals:read"]),
    r("POST", "/eval-runs", &["evals:write"]),
    r("PATCH", "/eval-runs/*", &["evals:write"]),
    r("DELETE", "/eval-runs", &["evals:delete"]),
    r("GET", "/traces", &["traces:read"]),
    r("GET", "/traces/*", &["traces:read"]),
    r("GET", "/trace_session_stats", &["traces:read"]),
    r("POST", "/service-accounts", &["service_accounts:write"]),
    r("GET", "/service-accounts", &["service_accounts:read"]),
    r(
        "DELETE",
        "/service-accounts/*",
        &["service_accounts:delete"],
    ),
    r("GET", "/schedules", &["schedules:read"]),
    r("GET", "/schedules/*", &["schedules:read"]),
    r("POST", "/schedules", &["schedules:write"]),
    r("PATCH", "/schedules/*", &["schedules:write"]),
    r("DELETE", "/schedules/*", &["schedules:delete"]),
    r("POST", "/schedules/*/enable", &["schedules:write"]),
    r("POST", "/schedules/*/disable", &["schedules:write"]),
    r("POST", "/schedules/*/trigger", &["schedules:write"]),
    r("GET", "/schedules/*/runs", &["schedules:read"]),
    r("GET", "/schedules/*/runs/*", &["schedules:read"]),
    r("GET", "/approvals", &["approvals:read"]),
    r("GET", "/approvals/count", &["approvals:read"]),
    r("GET", "/approvals/*", &["approvals:read"]),
    r("GET", "/approvals/*/status", &["approvals:read"]),
    r("POST", "/approvals/*/resolve", &["approvals:write"]),
    r("DELETE", "/approvals/*", &["approvals:delete"]),
    r("POST", "/traces/search", &["traces:read"]),
    r("POST", "/databases/all/migrate", &["config:write"]),
    r("POST", "/databases/*/migrate", &["config:write"]),
    r("POST", "/knowledge/remote-content", &["knowledge:write"]),
    r("GET", "/knowledge/*/sources", &["knowledge:read"]),
    r("GET", "/knowledge/*/sources/*/files", &["knowledge:read"]),
    r("GET", "/filesystem/*", &["filesystem:read"]),
    r("GET", "/registry", &["registry:read"]),
    r("GET", "/components", &["components:read"]),
    r("GET", "/components/*", &["components:read"]),
    r("POST", "/components", &["components:write"]),
    r("PATCH", "/components/*", &["components:write"]),
    r("DELETE", "/components/*", &["components:delete"]),
    r("POST", "/components/*/restore", &["components:delete"]),
    r("GET", "/components/*/configs", &["components:read"]),
    r("GET", "/components/*/configs/*", &["components:read"]),
    r("GET", "/components/*/configs/current", &["components:read"]),
    r("POST", "/components/*/configs", &["components:write"]),
    r("PATCH", "/components/*/configs/*", &["components:write"]),
    r("DELETE", "/components/*/configs/*", &["components:delete"]),
    r(
        "POST",
        "/components/*/configs/*/set-current",
        &["components:write"],
    ),
];

/// A router-level `require_resource_access(family, action, "<id param>")` dependency: it
/// runs after the route gate and answers 403 `Access denied to {action} this {agent}`.
/// Paths are FastAPI templates (`{x}` = one segment); the family is the first segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceGate {
    pub method: &'static str,
    pub path: &'static str,
    pub action: &'static str,
}

const fn g(method: &'static str, path: &'static str, action: &'static str) -> ResourceGate {
    ResourceGate {
        method,
        path,
        action,
    }
}

/// Every `require_resource_access` in `routers/{agents,teams,workflows}/router.py`.
pub const RESOURCE_GATES: &[ResourceGate] = &[
    g("GET", "/agents/{agent_id}", "read"),
    g("POST", "/agents/{agent_id}/runs", "run"),
    g("GET", "/agents/{agent_id}/runs", "run"),
    g("GET", "/agents/{agent_id}/runs/{run_id}", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/continue", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/resume", "run"),
    g("GET", "/agents/{agent_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/agents/{agent_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g(
        "POST",
        "/agents/{agent_id}/sessions/{session_id}/fork",
        "run",
    ),
    g(
        "POST",
        "/agents/{agent_id}/sessions/{session_id}/compact",
        "run",
    ),
    g("GET", "/teams/{team_id}", "read"),
    g("POST", "/teams/{team_id}/runs", "run"),
    g("GET", "/teams/{team_id}/runs", "run"),
    g("GET", "/teams/{team_id}/runs/{run_id}", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/continue", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/resume", "run"),
    g("GET", "/teams/{team_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/teams/{team_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g("POST", "/teams/{team_id}/sessions/{session_id}/fork", "run"),
    g("GET", "/workflows/{workflow_id}", "read"),
    g("POST", "/workflows/{workflow_id}/runs", "run"),
    g("GET", "/workflows/{workflow_id}/runs", "run"),
    g("GET", "/workflows/{workflow_id}/runs/{run_id}", "run"),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/cancel",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/continue",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/resume",
        "run",
    ),
];

/// `get_agents` / `get_teams` / `get_workflows`: GET listings filtered by readable ids.
pub const LISTINGS: &[&str] = &["/agents", "/teams", "/workflows"];

/// The filesystem browser (`routers/filesystem/router.py`): every GET route also asks
/// `_get_global_filesystem_agent_ids`, i.e. the caller must see some agent.
pub const FILESYSTEM_PATHS: &[&str] = &[
    "/filesystem/files",
    "/filesystem/entries",
    "/filesystem/content",
    "/filesystem/search",
];

// ---------------------------------------------------------------------------
// Scope grammar (what this tool lets users put into tokens)
// ---------------------------------------------------------------------------

/// The resource named `name` (after the legacy alias), if AgentOS knows it.
pub fn resource(name: &str) -> Option<&'static Resource> {
    let name = alias(name);
    RESOURCES.iter().find(|r| r.name == name)
}

fn alias(name: &str) -> &str {
    LEGACY_ALIASES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

const FORMS: &str = "use agent_os:admin, RESOURCE:ACTION, RESOURCE:ID:ACTION or RESOURCE:*:ACTION, e.g. agents:read or agents:my-agent:run";

/// Checks one scope against AgentOS's grammar and default route map: `agent_os:admin`,
/// `resource:action`, `resource:<id>:action` (agents, teams, workflows), `resource:*:action`,
/// legacy `system:*`. Unknown names come back with a "did you mean".
pub fn validate_scope(s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(Error::input("empty scope").hint(FORMS));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(Error::input(format!("invalid scope {s:?}: contains whitespace"))
            .hint("AgentOS compares scopes character for character; give several scopes separated by commas"));
    }
    if s == ADMIN_SCOPE {
        return Ok(());
    }
    let parts: Vec<&str> = s.split(':').collect();
    let (res_name, id, action) = match parts.as_slice() {
        [one] => {
            let hint = match suggest_whole(one) {
                Some(sug) => format!("did you mean {sug:?}? {FORMS}"),
                None => FORMS.to_string(),
            };
            return Err(Error::input(format!("invalid scope {s:?}: no action")).hint(hint));
        }
        [res, action] => (*res, None, *action),
        [res, id, action] => (*res, Some(*id), *action),
        _ => {
            return Err(
                Error::input(format!("invalid scope {s:?}: too many colons"))
                    .hint(format!("ids cannot contain ':'; {FORMS}")),
            )
        }
    };
    if res_name.is_empty() || action.is_empty() {
        let what = if res_name.is_empty() {
            "resource"
        } else {
            "action"
        };
        return Err(Error::input(format!("invalid scope {s:?}: empty {what}")).hint(FORMS));
    }
    let rebuild = |r: &str, a: &str| match id {
        Some(id) => format!("{r}:{id}:{a}"),
        None => format!("{r}:{a}"),
    };
    if res_name.eq_ignore_ascii_case("agent_os") {
        return Err(unknown(
            s,
            "the only agent_os scope is agent_os:admin",
            Some(ADMIN_SCOPE.to_string()),
            None,
        ));
    }
    let Some(found) = resource(res_name) else {
        if COMPANY_RESOURCES.contains(&res_name) {
            return Err(Error::input(format!(
                "unknown scope {s:?}: {res_name:?} only exists on an AgentOS with company=..."
            ))
            .hint("pass --allow-unknown-scopes if your AgentOS has it"));
        }
        let sug = suggest_resource(res_name).and_then(resource).map(|r| {
            let a = action.to_ascii_lowercase();
            let a = if r.actions.contains(&a.as_str()) {
                a
            } else {
                suggest_action(&a, r.actions)
                    .unwrap_or_default()
                    .to_string()
            };
            rebuild(r.name, &a)
        });
        let known: Vec<&str> = RESOURCES.iter().map(|r| r.name).collect();
        let list = sug
            .is_none()
            .then(|| format!("resources: {}", known.join(", ")));
        return Err(unknown(s, &format!("no resource {res_name:?}"), sug, list));
    };
    if let Some(id) = id {
        if id.is_empty() {
            return Err(
                Error::input(format!("invalid scope {s:?}: empty id")).hint(format!(
                    "use {}:{action} for every {0}, or {0}:*:{action}",
                    found.name
                )),
            );
        }
        if id != "*" && id.contains('*') {
            return Err(
                Error::input(format!("invalid scope {s:?}: ids are matched exactly")).hint(
                    format!(
                        "only a lone * is a wildcard, e.g. {}:*:{action}",
                        found.name
                    ),
                ),
            );
        }
        if id != "*" && !found.has_ids {
            return Err(Error::input(format!(
                "invalid scope {s:?}: {} has no per-id scopes, AgentOS would never match it",
                found.name
            ))
            .hint(format!(
                "use {}:{action}; only agents, teams and workflows take ids",
                found.name
            )));
        }
    }
    if !found.actions.contains(&action) {
        let allowed = found.actions.join(", ");
        if action == "*" {
            return Err(unknown(
                s,
                "AgentOS has no action wildcard",
                None,
                Some(format!(
                    "list the actions ({allowed}) or use agent_os:admin"
                )),
            ));
        }
        let sug = suggest_action(action, found.actions).map(|a| rebuild(found.name, a));
        return Err(unknown(
            s,
            &format!("{res_name} has no action {action:?}"),
            sug,
            Some(format!("{} allows {allowed}", found.name)),
        ));
    }
    Ok(())
}

fn unknown(s: &str, why: &str, suggestion: Option<String>, list: Option<String>) -> Error {
    let mut hint = String::new();
    if let Some(sug) = suggestion {
        hint.push_str(&format!("did you mean {sug:?}? "));
    }
    if let Some(list) = list {
        hint.push_str(&list);
        hint.push_str("; ");
    }
    hint.push_str("or pass --allow-unknown-scopes");
    Error::input(format!("unknown scope {s:?}: {why}")).hint(hint)
}

fn suggest_whole(s: &str) -> Option<String> {
    let l = s.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "admin" | "agent_os" | "agentos" | "root" | "all" | "*"
    ) || edit_distance(&l, ADMIN_SCOPE) <= 3
    {
        return Some(ADMIN_SCOPE.to_string());
    }
    let name = suggest_resource(&l)?;
    Some(format!("{name}:read"))
}

/// The resource the user most likely meant: case, `-` for `_`, singular/plural, typos.
fn suggest_resource(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase().replace('-', "_");
    let n = alias(&n).to_string();
    let variants = [
        n.clone(),
        format!("{n}s"),
        format!("{n}es"),
        n.strip_suffix('y')
            .map(|b| format!("{b}ies"))
            .unwrap_or_default(),
        n.strip_suffix('s').unwrap_or_default().to_string(),
        n.strip_suffix("ies")
            .map(|b| format!("{b}y"))
            .unwrap_or_default(),
    ];
    for v in variants.iter().filter(|v| !v.is_empty()) {
        if let Some(r) = RESOURCES.iter().find(|r| r.name == v.as_str()) {
            return Some(r.name);
        }
    }
    let synonyms: &[(&str, &str)] = &[
        ("system", "config"),
        ("settings", "config"),
        ("memory", "memories"),
        ("evaluations", "evals"),
        ("eval_runs", "evals"),
        ("files", "filesystem"),
        ("fs", "filesystem"),
        ("runs", "agents"),
    ];
    if let Some((_, to)) = synonyms.iter().find(|(from, _)| *from == n) {
        return Some(to);
    }
    closest(&n, RESOURCES.iter().map(|r| r.name))
}

fn suggest_action(action: &str, allowed: &[&'static str]) -> Option<&'static str> {
    let a = action.to_ascii_lowercase();
    let synonym = match a.as_str() {
        "exec" | "execute" | "invoke" | "call" | "start" | "trigger" | "runs" | "use" => "run",
        "list" | "get" | "view" | "show" | "see" | "reads" | "r" => "read",
        "create" | "update" | "edit" | "put" | "patch" | "post" | "modify" | "manage"
        | "writes" | "w" => "write",
        "del" | "remove" | "rm" | "destroy" | "deletes" | "d" => "delete",
        _ => a.as_str(),
    };
    if let Some(hit) = allowed.iter().find(|x| **x == synonym) {
        return Some(hit);
    }
    closest(&a, allowed.iter().copied())
}

fn closest(word: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Flattens `--scope` values: each may hold several scopes separated by commas and/or
/// spaces. Trims, drops empties, removes duplicates keeping the first occurrence.
pub fn split_scopes(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        for s in v.split(|c: char| c == ',' || c.is_whitespace()) {
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// `is_reserved_principal`: AgentOS refuses a token whose `sub` claims a server identity.
pub fn check_subject(sub: &str) -> Result<()> {
    let pick =
        "choose a subject outside sa:, __oauth__: and __scheduler__, e.g. the user's id or email";
    if sub.is_empty() {
        return Err(Error::input("empty subject (sub)")
            .hint("AgentOS uses sub as the user id; give a non-empty one"));
    }
    for (prefix, who) in RESERVED_SUB_PREFIXES {
        if sub.starts_with(prefix) {
            return Err(Error::input(format!(
                "subject {sub:?} is reserved: AgentOS answers 401 \"Invalid token subject\" to a sub starting with {prefix:?} ({who})"
            ))
            .hint(pick));
        }
    }
    for (name, who) in RESERVED_SUBS {
        if sub == *name {
            return Err(Error::input(format!(
                "subject {sub:?} is reserved: AgentOS answers 401 \"Invalid token subject\" to it ({who})"
            ))
            .hint(pick));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    /// Written `name:<id>`, e.g. `run-agent:my-agent`.
    pub takes_id: bool,
    pub description: &'static str,
}

const fn p(name: &'static str, takes_id: bool, description: &'static str) -> Preset {
    Preset {
        name,
        takes_id,
        description,
    }
}

pub const PRESETS: &[Preset] = &[
    p("admin", false, "agent_os:admin: everything"),
    p(
        "read-only",
        false,
        "every :read scope (config, agents, sessions, traces, ...): no runs, no changes",
    ),
    p(
        "run-agent",
        true,
        "read and run one agent: agents:<id>:read, agents:<id>:run",
    ),
    p(
        "run-team",
        true,
        "read and run one team: teams:<id>:read, teams:<id>:run",
    ),
    p(
        "run-workflow",
        true,
        "read and run one workflow: workflows:<id>:read, workflows:<id>:run",
    ),
    p(
        "run-all",
        false,
        "read and run every agent, team and workflow",
    ),
    p(
        "sessions",
        false,
        "sessions:read, sessions:write, sessions:delete",
    ),
    p(
        "memories",
        false,
        "memories:read, memories:write, memories:delete",
    ),
    p(
        "knowledge",
        false,
        "knowledge:read, knowledge:write, knowledge:delete",
    ),
    p(
        "approver",
        false,
        "approvals:read, approvals:write: see and resolve approvals",
    ),
    p(
        "scheduler",
        false,
        "schedules:read, schedules:write, schedules:delete",
    ),
];

/// Expands `name` or `name:<id>` into its scopes.
pub fn expand_preset(spec: &str) -> Result<Vec<String>> {
    let spec = spec.trim();
    let (name, id) = match spec.split_once(':') {
        Some((n, i)) => (n, Some(i)),
        None => (spec, None),
    };
    let names: Vec<String> = PRESETS
        .iter()
        .map(|p| {
            if p.takes_id {
                format!("{}:<id>", p.name)
            } else {
                p.name.to_string()
            }
        })
        .collect();
    let Some(preset) = PRESETS.iter().find(|p| p.name == name) else {
        let lower = name.to_ascii_lowercase().replace('_', "-");
        let sug = PRESETS
            .iter()
            .find(|p| p.name == lower)
            .map(|p| p.name)
            .or_else(|| closest(&lower, PRESETS.iter().map(|p| p.name)));
        let mut hint = String::new();
        if let Some(s) = sug {
            hint.push_str(&format!("did you mean {s:?}? "));
        }
        hint.push_str(&format!("presets: {}", names.join(", ")));
        return Err(Error::input(format!("unknown preset {name:?}")).hint(hint));
    };
    let mut out: Vec<String> = Vec::new();
    let family = |fam: &str, id: &str| vec![format!("{fam}:{id}:read"), format!("{fam}:{id}:run")];
    match (preset.takes_id, id) {
        (true, None) | (true, Some("")) => {
            return Err(
                Error::input(format!("preset {name:?} needs an id")).hint(format!(
                    "write {name}:<id>, e.g. {name}:my-{}",
                    name.trim_start_matches("run-")
                )),
            );
        }
        (false, Some(_)) => {
            return Err(Error::input(format!("preset {name:?} takes no id"))
                .hint(format!("write just {name}")));
        }
        (true, Some(id)) => {
            if id.contains([':', ','])
                || id.chars().any(char::is_whitespace)
                || (id != "*" && id.contains('*'))
            {
                return Err(
                    Error::input(format!("invalid id {id:?} in preset {spec:?}"))
                        .hint("ids cannot contain ':', ',', spaces or '*' (a lone * means any)"),
                );
            }
            let fam = match preset.name {
                "run-agent" => "agents",
                "run-team" => "teams",
                _ => "workflows",
            };
            out.extend(family(fam, id));
        }
        (false, None) => match preset.name {
            "admin" => out.push(ADMIN_SCOPE.to_string()),
            "read-only" => out.extend(
                RESOURCES
                    .iter()
                    .filter(|r| r.actions.contains(&"read"))
                    .map(|r| format!("{}:read", r.name)),
            ),
            "run-all" => {
                for fam in ["agents", "teams", "workflows"] {
                    out.push(format!("{fam}:read"));
                    out.push(format!("{fam}:run"));
                }
            }
            "approver" => out.extend(["approvals:read".to_string(), "approvals:write".to_string()]),
            "scheduler" => out.extend(RWD.iter().map(|a| format!("schedules:{a}"))),
            other => out.extend(RWD.iter().map(|a| format!("{other}:{a}"))),
        },
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Route map and the scope decision
// ---------------------------------------------------------------------------

/// A check a router makes after the route gate has let the request through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouterCheck {
    /// `require_resource_access(kind, action, ...)`: 403 `Access denied to {action} this {agent}`.
    Resource {
        kind: String,
        id: String,
        action: String,
    },
    /// `get_agents`/`get_teams`/`get_workflows`: 200 with the readable ids, 403 when none.
    Listing { kind: String },
    /// Filesystem browser: the caller must see at least one agent (or the `agent_id` asked for).
    AgentFiles { agent_id: Option<String> },
}

/// What a request needs from a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteRule {
    /// Excluded route (`/health`, `/docs`, ...) or an OPTIONS preflight: no token is read.
    Public,
    /// A route of the map: the token must satisfy all `scopes`. `resource` is the
    /// `(kind, id)` taken from the path, which lets `kind:<id>:action` satisfy `kind:action`.
    Needs {
        scopes: Vec<String>,
        resource: Option<(String, String)>,
        then: Option<RouterCheck>,
    },
    /// Not in the map: AgentOS still wants a valid token, but checks no scope at the gate
    /// (`get_required_scopes_for_route` returns []). The router may still check one.
    Unmapped { then: Option<RouterCheck> },
}

/// The outcome AgentOS would give a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No token needed at all.
    Public,
    /// Served (a listing may be narrowed: see [`listing_filter`]).
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

/// The route map as `(method, pattern, scopes)`, for a reference listing.
pub fn route_table() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    ROUTES
        .iter()
        .map(|r| (r.method, r.pattern, r.scopes))
        .collect()
}

/// What `method path` needs, following agno's lookup exactly (after the path
/// normalisation AgentOS applies: query dropped, %-decoding, trailing slashes stripped).
pub fn required_scopes(method: &str, path: &str) -> RouteRule {
    let method = method.trim().to_ascii_uppercase();
    let (path, query) = normalize_path(path);
    if method == "OPTIONS" || is_public(&path) {
        return RouteRule::Public;
    }
    let scopes: Vec<String> = lookup(&method, &path)
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (kind, id) = resource_context(&path);
    let then = router_check(&method, &path, query.as_deref());
    if scopes.is_empty() {
        return RouteRule::Unmapped { then };
    }
    let resource = match (kind, id) {
        (Some(k), Some(i)) => Some((k.to_string(), i.to_string())),
        _ => None,
    };
    RouteRule::Needs {
        scopes,
        resource,
        then,
    }
}

/// The scope decision AgentOS makes for a valid token whose `scopes` claim is
/// `scopes_claim` (`None` = claim absent). A string is ONE scope; anything but a list or
/// a string counts as no scopes (`extract_claims`).
pub fn check_access(scopes_claim: Option<&Value>, method: &str, path: &str) -> Access {
    decide(scopes_claim, method, path).0
}

/// For a listing (GET /agents, /teams, /workflows) that AgentOS serves but narrows,
/// the ids the token will see. `None` when nothing is filtered or the request is refused.
pub fn listing_filter(
    scopes_claim: Option<&Value>,
    method: &str,
    path: &str,
) -> Option<Vec<String>> {
    match decide(scopes_claim, method, path) {
        (Access::Allowed, Some(ids)) if !ids.contains("*") => Some(ids.into_iter().collect()),
        _ => None,
    }
}

/// The claim as agno reads it: the string items, and whether any item was not a string
/// (agno's `parse_scope` then raises on `.split`).
struct TokenScopes {
    list: Vec<String>,
    broken: bool,
}

fn token_scopes(claim: Option<&Value>) -> TokenScopes {
    match claim {
        Some(Value::String(s)) => TokenScopes {
            list: vec![s.clone()],
            broken: false,
        },
        Some(Value::Array(items)) => TokenScopes {
            list: items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            broken: items.iter().any(|v| !v.is_string()),
        },
        _ => TokenScopes {
            list: Vec::new(),
            broken: false,
        },
    }
}

/// Raised: agno's scope code threw (non-string scope item).
struct Raised;

fn decide(claim: Option<&Value>, method: &str, path: &str) -> (Access, Option<BTreeSet<String>>) {
    let scopes = token_scopes(claim);
    let method_up = method.trim().to_ascii_uppercase();
    let (npath, _) = normalize_path(path);
    let (kind, id) = resource_context(&npath);
    let (required, then) = match required_scopes(method, path) {
        RouteRule::Public => return (Access::Public, None),
        RouteRule::Needs { scopes, then, .. } => (scopes, then),
        RouteRule::Unmapped { then } => (Vec::new(), then),
    };
    let req: Vec<&str> = required.iter().map(String::as_str).collect();
    let forbidden =
        |detail: String, required: Vec<String>| (Access::Forbidden { detail, required }, None);

    // AuthMiddleware._authorize_route (= check_route_scopes with the default provider).
    let mut cached: Option<BTreeSet<String>> = None;
    if !req.is_empty() {
        let allowed = match has_required_scopes(&scopes, &req, kind, id) {
            Ok(a) => a,
            Err(Raised) => return forbidden(insufficient(&req), required.clone()),
        };
        if !allowed {
            let family = req[0].split_once(':').map(|(f, _)| f);
            if method_up == "GET" && id.is_none() && kind.is_some() && family == kind {
                let action = req[0].rsplit_once(':').map(|(_, a)| a);
                match accessible_ids(&scopes, kind.unwrap_or_default(), action) {
                    Ok(ids) => cached = Some(ids),
                    Err(Raised) => return forbidden(insufficient(&req), required.clone()),
                }
            } else {
                return forbidden(insufficient(&req), required.clone());
            }
        }
    }

    // The router behind the gate.
    match then {
        None => (Access::Allowed, cached),
        Some(RouterCheck::Listing { kind }) => {
            let ids = match cached.clone() {
                Some(ids) => ids,
                None => match accessible_ids(&scopes, &kind, None) {
                    Ok(ids) => ids,
                    Err(Raised) => return (server_error(), None),
                },
            };
            if ids.is_empty() {
                return forbidden(insufficient(&req), required.clone());
            }
            (Access::Allowed, Some(ids))
        }
        Some(RouterCheck::Resource { kind, id, action }) => {
            let need = format!("{kind}:{action}");
            match has_required_scopes(&scopes, &[need.as_str()], Some(&kind), Some(&id)) {
                Ok(true) => (Access::Allowed, cached),
                Ok(false) => forbidden(
                    format!("Access denied to {action} this {}", singular(&kind)),
                    vec![format!("{kind}:{id}:{action}")],
                ),
                Err(Raised) => (server_error(), None),
            }
        }
        Some(RouterCheck::AgentFiles { agent_id }) => {
            let ok = match &agent_id {
                Some(a) => has_required_scopes(&scopes, &["agents:read"], Some("agents"), Some(a)),
                None => accessible_ids(&scopes, "agents", None).map(|ids| !ids.is_empty()),
            };
            match ok {
                Ok(true) => (Access::Allowed, cached),
                Ok(false) => forbidden(
                    insufficient(&["agents:read"]),
                    vec!["agents:read".to_string()],
                ),
                Err(Raised) => (server_error(), None),
            }
        }
    }
}

fn server_error() -> Access {
    Access::ServerError {
        detail: "Internal server error (AttributeError)".to_string(),
    }
}

/// `build_insufficient_permissions_detail`.
fn insufficient(required: &[&str]) -> String {
    if required.is_empty() {
        "Insufficient permissions".to_string()
    } else {
        format!(
            "Insufficient permissions. Required scope(s): {}",
            required.join(", ")
        )
    }
}

/// `require_resource_access`'s singular for the denial text.
fn singular(kind: &str) -> &str {
    match kind {
        "agents" => "agent",
        "teams" => "team",
        "workflows" => "workflow",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

/// The path as the middleware sees it: TrailingSlashMiddleware strips trailing slashes
/// (not from "/"), Starlette %-decodes. Returns the query string separately.
fn normalize_path(raw: &str) -> (String, Option<String>) {
    let raw = raw.trim();
    let raw = raw.split('#').next().unwrap_or_default();
    let (p, q) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (raw, None),
    };
    let mut p = percent_decode(p);
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if p != "/" && p.ends_with('/') {
        let stripped = p.trim_end_matches('/');
        if !stripped.is_empty() {
            p = stripped.to_string();
        }
    }
    (p, q)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `_is_route_excluded`: fnmatch against each excluded path, with and without trailing '/'.
fn is_public(path: &str) -> bool {
    PUBLIC_PATHS
        .iter()
        .any(|p| fnmatch(path, p) || fnmatch(path.trim_end_matches('/'), p))
}

/// `get_required_scopes_for_route`: exact key first, then the first fnmatch in order.
fn lookup(method: &str, path: &str) -> &'static [&'static str] {
    if let Some(r) = ROUTES
        .iter()
        .find(|r| r.method == method && r.pattern == path)
    {
        return r.scopes;
    }
    ROUTES
        .iter()
        .find(|r| r.method == method && fnmatch(path, r.pattern))
        .map_or(&[], |r| r.scopes)
}

/// Python `fnmatch` for patterns whose only special character is `*` (which spans '/').
fn fnmatch(text: &str, pattern: &str) -> bool {
    let t = text.as_bytes();
    let p = pattern.as_bytes();
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// `get_resource_context_from_path`: `(kind, id)` from `/[a2a/](agents|teams|workflows)[/id...]`.
fn resource_context(path: &str) -> (Option<&'static str>, Option<&str>) {
    let Some(rest) = path.strip_prefix('/') else {
        return (None, None);
    };
    for tail in [rest.strip_prefix("a2a/"), Some(rest)]
        .into_iter()
        .flatten()
    {
        for kind in ["agents", "teams", "workflows"] {
            if let Some(after) = tail.strip_prefix(kind) {
                if after.is_empty() {
                    return (Some(kind), None);
                }
                if let Some(after) = after.strip_prefix('/') {
                    let id = after.split('/').next().unwrap_or_default();
                    return (Some(kind), (!id.is_empty()).then_some(id));
                }
            }
        }
    }
    (None, None)
}

/// The router-level check behind `method path`, if the router has one.
fn router_check(method: &str, path: &str, query: Option<&str>) -> Option<RouterCheck> {
    if method == "GET" && LISTINGS.contains(&path) {
        return Some(RouterCheck::Listing {
            kind: path[1..].to_string(),
        });
    }
    if method == "GET" && FILESYSTEM_PATHS.contains(&path) {
        let agent_id = query.and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "agent_id")
                .map(|(_, v)| percent_decode(&v.replace('+', " ")))
        });
        return Some(RouterCheck::AgentFiles { agent_id });
    }
    let segs: Vec<&str> = path.split('/').collect();
    RESOURCE_GATES.iter().find_map(|gate| {
        if gate.method != method {
            return None;
        }
        let tsegs: Vec<&str> = gate.path.split('/').collect();
        if tsegs.len() != segs.len() {
            return None;
        }
        let mut id = None;
        for (t, s) in tsegs.iter().zip(&segs) {
            if t.starts_with('{') {
                if s.is_empty() {
                    return None;
                }
                id.get_or_insert(*s);
            } else if t != s {
                return None;
            }
        }
        Some(RouterCheck::Resource {
            kind: tsegs[1].to_string(),
            id: id?.to_string(),
            action: gate.action.to_string(),
        })
    })
}

// --- agno/os/scopes.py, line for line -------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeType {
    Admin,
    Global,
    PerResource,
    Unknown,
}

/// `ParsedScope`; an empty `id` is Python's falsy `resource_id`.
struct Parsed<'a> {
    ty: ScopeType,
    resource: &'a str,
    id: &'a str,
    action: &'a str,
    wildcard: bool,
}

/// `parse_scope`.
fn parse_scope(s: &str) -> Parsed<'_> {
    let none = |ty| Parsed {
        ty,
        resource: "",
        id: "",
        action: "",
        wildcard: false,
    };
    if s == ADMIN_SCOPE {
        return none(ScopeType::Admin);
    }
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        [res, action] => Parsed {
            ty: ScopeType::Global,
            resource: alias(res),
            id: "",
            action,
            wildcard: false,
        },
        [res, id, action] => Parsed {
            ty: ScopeType::PerResource,
            resource: alias(res),
            id,
            action,
            wildcard: *id == "*",
        },
        _ => none(ScopeType::Unknown),
    }
}

/// `matches_scope`.
fn matches_scope(user: &Parsed, required: &Parsed, resource_id: Option<&str>) -> bool {
    if user.ty == ScopeType::Admin {
        return true;
    }
    if user.ty == ScopeType::Unknown || required.ty == ScopeType::Unknown {
        return false;
    }
    if user.resource != required.resource || user.action != required.action {
        return false;
    }
    if !required.id.is_empty() {
        if user.wildcard || user.id.is_empty() {
            return true;
        }
        return Some(user.id) == resource_id;
    }
    user.id.is_empty() || user.wildcard
}

/// `has_required_scopes` (the default `ScopeAuthorizationProvider.authorize_route`).
fn has_required_scopes(
    scopes: &TokenScopes,
    required: &[&str],
    kind: Option<&str>,
    id: Option<&str>,
) -> std::result::Result<bool, Raised> {
    if required.is_empty() {
        return Ok(true);
    }
    if scopes.broken {
        return Err(Raised);
    }
    let user: Vec<Parsed> = scopes.list.iter().map(|s| parse_scope(s)).collect();
    if user.iter().any(|u| u.ty == ScopeType::Admin) {
        return Ok(true);
    }
    for req in required {
        let rewritten;
        let req_str = match (req.split(':').collect::<Vec<_>>().as_slice(), kind, id) {
            ([res, action], Some(k), Some(i)) if !i.is_empty() && alias(res) == k => {
                rewritten = format!("{k}:<resource-id>:{action}");
                rewritten.as_str()
            }
            _ => req,
        };
        let parsed = parse_scope(req_str);
        if !user.iter().any(|u| matches_scope(u, &parsed, id)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `get_accessible_resource_ids`: `{"*"}` for all, else the ids named per resource.
fn accessible_ids(
    scopes: &TokenScopes,
    kind: &str,
    action: Option<&str>,
) -> std::result::Result<BTreeSet<String>, Raised> {
    if scopes.broken {
        return Err(Raised);
    }
    let allowed: &[&str] = match action {
        Some(a) => &[a][..],
        None => &["read", "run"],
    };
    let parsed: Vec<Parsed> = scopes.list.iter().map(|s| parse_scope(s)).collect();
    let all = || Ok(BTreeSet::from(["*".to_string()]));
    for s in &parsed {
        if s.ty == ScopeType::Admin {
            return all();
        }
        if s.ty != ScopeType::Unknown
            && s.resource == kind
            && allowed.contains(&s.action)
            && (s.id.is_empty() || s.wildcard)
        {
            return all();
        }
    }
    Ok(parsed
        .iter()
        .filter(|s| {
            s.ty != ScopeType::Unknown && s.resource == kind && !s.id.is_empty() && !s.wildcard
        })
        .filter(|s| allowed.contains(&s.action))
        .map(|s| s.id.to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(claim: &str, method: &str, path: &str) -> String {
        let value: Option<Value> = (claim != "-").then(|| serde_json::from_str(claim).unwrap());
        match check_access(value.as_ref(), method, path) {
            Access::Public => "public".to_string(),
            Access::Allowed => match listing_filter(value.as_ref(), method, path) {
                Some(ids) => format!("allow[{}]", ids.join(",")),
                None => "allow".to_string(),
            },
            Access::Forbidden { detail, .. } => format!("403 {detail}"),
            Access::ServerError { .. } => "500".to_string(),
        }
    }

    #[test]
    fn access_matches_agno() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str, &str)] = &[
            (r#"["agent_os:admin"]"#, "POST", "/agents/a1/runs", "allow"),
            (r#"["agent_os:admin"]"#, "DELETE", "/service-accounts/x", "allow"),
            (r#"[]"#, "GET", "/health", "public"),
            (r#"-"#, "GET", "/docs", "public"),
            (r#"[]"#, "OPTIONS", "/agents", "public"),
            (r#"[]"#, "GET", "/health/", "public"),
            (r#"[]"#, "GET", "/", "public"),
            (r#"[]"#, "POST", "/health", "public"),
            (r#"[]"#, "GET", "/info", "public"),
            (r#"[]"#, "GET", "/openapi.json", "public"),
            (r#"[]"#, "GET", "/docs/oauth2-redirect", "public"),
            (r#"[]"#, "GET", "/healthz", "allow"),
            (r#"[]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"-"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:read"]"#, "GET", "/agents", "allow"),
            (r#"["agents:a1:read","agents:a2:read"]"#, "GET", "/agents", "allow[a1,a2]"),
            (r#"["agents:a1:run"]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:*:read"]"#, "GET", "/agents", "allow"),
            (r#"["agents:a1:read"]"#, "GET", "/agents/", "allow[a1]"),
            (r#"["agents:a1:read"]"#, "GET", "/agents?limit=5", "allow[a1]"),
            (r#"["teams:t1:read"]"#, "GET", "/teams", "allow[t1]"),
            (r#"["workflows:w1:run"]"#, "GET", "/workflows", "403 Insufficient permissions. Required scope(s): workflows:read"),
            (r#"["agents:a1:read"]"#, "GET", "/agents/a1", "allow"),
            (r#"["agents:a1:read"]"#, "GET", "/agents/a2", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:*:read"]"#, "GET", "/agents/a9", "allow"),
            (r#"["agents:read"]"#, "GET", "/agents/a1", "allow"),
            (r#"["agents:run"]"#, "POST", "/agents/a1/runs", "allow"),
            (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs", "allow"),
            (r#"["agents:a2:run"]"#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
            (r#"["agents:*:run"]"#, "POST", "/agents/a1/runs", "allow"),
            (r#"["agents:read"]"#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
            (r#""agents:run""#, "POST", "/agents/a1/runs", "allow"),
            (r#""agents:read agents:run""#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
            (r#""agents:read agents:run""#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#""agents:read,agents:run""#, "GET", "/agents/a1", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:a1:read"]"#, "GET", "/agents/a1/runs", "403 Access denied to run this agent"),
            (r#"["agents:a1:read","agents:a1:run"]"#, "GET", "/agents/a1/runs", "allow"),
            (r#"["agents:a1:run"]"#, "GET", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:a1:run"]"#, "GET", "/agents/a1/runs/r1", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:a1:read","agents:a1:run"]"#, "GET", "/agents/a1/runs/r1/checkpoints/3", "allow"),
            (r#"["agents:a1:read"]"#, "POST", "/agents/a1/runs/r1/resume", "403 Access denied to run this agent"),
            (r#"[]"#, "POST", "/agents/a1/runs/r1/resume", "403 Access denied to run this agent"),
            (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs/r1/continue", "allow"),
            (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs/r1/cancel", "allow"),
            (r#"[]"#, "POST", "/agents/a1/sessions/s1/fork", "403 Access denied to run this agent"),
            (r#"["agents:run"]"#, "POST", "/agents/a1/sessions/s1/compact", "allow"),
            (r#"["teams:t1:read"]"#, "POST", "/teams/t1/runs", "403 Insufficient permissions. Required scope(s): teams:run"),
            (r#"["teams:t1:read","teams:t1:run"]"#, "POST", "/teams/t1/runs", "allow"),
            (r#"["workflows:w1:read"]"#, "GET", "/workflows/w1/runs", "403 Access denied to run this workflow"),
            (r#"["workflows:*:run","workflows:read"]"#, "POST", "/workflows/w1/runs/r1/resume", "allow"),
            (r#"["agents:read"]"#, "POST", "/agents", "403 Insufficient permissions. Required scope(s): agents:write"),
            (r#"["agents:*:write"]"#, "POST", "/agents", "allow"),
            (r#"["agents:a1:write"]"#, "PATCH", "/agents/a1", "allow"),
            (r#"["agents:a1:delete"]"#, "DELETE", "/agents/a2", "403 Insufficient permissions. Required scope(s): agents:delete"),
            (r#"["system:read"]"#, "GET", "/config", "allow"),
            (r#"["system:*:read"]"#, "GET", "/config", "allow"),
            (r#"["config:read"]"#, "GET", "/models", "allow"),
            (r#"["config:read"]"#, "POST", "/databases/all/migrate", "403 Insufficient permissions. Required scope(s): config:write"),
            (r#"["system:write"]"#, "POST", "/databases/db1/migrate", "allow"),
            (r#"["sessions:read"]"#, "GET", "/sessions/s1", "allow"),
            (r#"["sessions:s1:read"]"#, "GET", "/sessions/s1", "403 Insufficient permissions. Required scope(s): sessions:read"),
            (r#"["sessions:*:read"]"#, "GET", "/sessions", "allow"),
            (r#"["sessions:read"]"#, "DELETE", "/sessions", "403 Insufficient permissions. Required scope(s): sessions:delete"),
            (r#"["sessions:write"]"#, "POST", "/sessions/s1/rename", "allow"),
            (r#"["memories:read"]"#, "GET", "/memory_topics", "allow"),
            (r#"["memories:read"]"#, "GET", "/user_memory_stats", "allow"),
            (r#"["knowledge:read"]"#, "POST", "/knowledge/search", "allow"),
            (r#"["knowledge:write"]"#, "POST", "/knowledge/search", "403 Insufficient permissions. Required scope(s): knowledge:read"),
            (r#"["knowledge:read"]"#, "GET", "/knowledge/k1/sources", "allow"),
            (r#"["approvals:read"]"#, "GET", "/approvals/count", "allow"),
            (r#"["approvals:read"]"#, "POST", "/approvals/a1/resolve", "403 Insufficient permissions. Required scope(s): approvals:write"),
            (r#"["service_accounts:write"]"#, "POST", "/service-accounts", "allow"),
            (r#"["service_accounts:read"]"#, "DELETE", "/service-accounts/sa1", "403 Insufficient permissions. Required scope(s): service_accounts:delete"),
            (r#"["schedules:write"]"#, "POST", "/schedules/s1/trigger", "allow"),
            (r#"["schedules:write"]"#, "GET", "/schedules/s1/runs/r1", "403 Insufficient permissions. Required scope(s): schedules:read"),
            (r#"["components:read"]"#, "GET", "/components/c1/configs/current", "allow"),
            (r#"["components:delete"]"#, "POST", "/components/c1/restore", "allow"),
            (r#"["metrics:read"]"#, "POST", "/metrics/refresh", "403 Insufficient permissions. Required scope(s): metrics:write"),
            (r#"["traces:read"]"#, "POST", "/traces/search", "allow"),
            (r#"["evals:write"]"#, "POST", "/eval-runs", "allow"),
            (r#"[]"#, "DELETE", "/learnings", "allow"),
            (r#"[]"#, "DELETE", "/eval-runs/e1", "allow"),
            (r#"["registry:read"]"#, "GET", "/registry", "allow"),
            (r#"[]"#, "GET", "/some/unknown/route", "allow"),
            (r#"["agent_os:admin", 5]"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
            (r#"["agents:read", 5]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"[5]"#, "GET", "/some/unknown/route", "allow"),
            (r#"[5]"#, "POST", "/agents/a1/runs/r1/resume", "500"),
            (r#"["filesystem:read", null]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): filesystem:read"),
            (r#"{"a": 1}"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
            (r#"null"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
            (r#"["filesystem:read"]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["filesystem:read","agents:a1:run"]"#, "GET", "/filesystem/files", "allow"),
            (r#"["filesystem:read","agents:a1:read"]"#, "GET", "/filesystem/files?agent_id=a2", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["filesystem:read","agents:a1:read"]"#, "GET", "/filesystem/content?agent_id=a1&path=x", "allow"),
            (r#"["agents:read"]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): filesystem:read"),
            (r#"["agents:a1:read"]"#, "POST", "/a2a/agents/a1/v1/message:send", "allow"),
            (r#"["AGENTS:READ"]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:read "]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents::read"]"#, "GET", "/agents/a1", "allow"),
            (r#"["agents::read"]"#, "GET", "/agents", "allow"),
            (r#"["agents:a1:read:x"]"#, "GET", "/agents/a1", "403 Insufficient permissions. Required scope(s): agents:read"),
            (r#"["agents:my agent:read"]"#, "GET", "/agents/my%20agent", "allow"),
            (r#"["agents:a1:read"]"#, "get", "/agents/a1", "allow"),
            (r#"["teams:read","teams:run"]"#, "GET", "/teams/t1/runs/r1/checkpoints", "allow"),
            (r#"["agents:a1:read", "agents:a1:run"]"#, "GET", "/knowledge/agents/sources", "403 Insufficient permissions. Required scope(s): knowledge:read"),
        ];
        let mut failures = Vec::new();
        for (claim, method, path, want) in cases {
            let got = outcome(claim, method, path);
            if got != *want {
                failures.push(format!(
                    "{claim} {method} {path}: got {got:?}, want {want:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases differ:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn forbidden_names_what_is_required() {
        let v = serde_json::json!(["agents:a1:read"]);
        match check_access(Some(&v), "GET", "/agents/a1/runs") {
            Access::Forbidden { required, .. } => assert_eq!(required, ["agents:a1:run"]),
            other => panic!("{other:?}"),
        }
        match check_access(Some(&v), "POST", "/teams/t1/runs") {
            Access::Forbidden { required, .. } => assert_eq!(required, ["teams:run"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn route_rules() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let cases: Vec<(&str, &str, RouteRule)> = vec![
            ("GET", "/health", RouteRule::Public),
            ("OPTIONS", "/agents/a1/runs", RouteRule::Public),
            ("GET", "/nope", RouteRule::Unmapped { then: None }),
            (
                "POST",
                "/agents/a1/runs",
                RouteRule::Needs {
                    scopes: s(&["agents:run"]),
                    resource: Some(("agents".into(), "a1".into())),
                    then: Some(RouterCheck::Resource {
                        kind: "agents".into(),
                        id: "a1".into(),
                        action: "run".into(),
                    }),
                },
            ),
            (
                "GET",
                "/agents/",
                RouteRule::Needs {
                    scopes: s(&["agents:read"]),
                    resource: None,
                    then: Some(RouterCheck::Listing {
                        kind: "agents".into(),
                    }),
                },
            ),
            (
                "POST",
                "/teams/t1/runs/r1/resume",
                RouteRule::Unmapped {
                    then: Some(RouterCheck::Resource {
                        kind: "teams".into(),
                        id: "t1".into(),
                        action: "run".into(),
                    }),
                },
            ),
            (
                "GET",
                "/sessions/s1",
                RouteRule::Needs {
                    scopes: s(&["sessions:read"]),
                    resource: None,
                    then: None,
                },
            ),
            (
                "GET",
                "/filesystem/files?agent_id=a%201",
                RouteRule::Needs {
                    scopes: s(&["filesystem:read"]),
                    resource: None,
                    then: Some(RouterCheck::AgentFiles {
                        agent_id: Some("a 1".into()),
                    }),
                },
            ),
        ];
        for (m, p, want) in cases {
            assert_eq!(required_scopes(m, p), want, "{m} {p}");
        }
    }

    #[test]
    fn route_table_is_agnos_map() {
        let t = route_table();
        assert_eq!(t.len(), 107);
        assert_eq!(t[0], ("GET", "/config", &["config:read"][..]));
        for (m, p, scopes) in &t {
            assert!(["GET", "POST", "PATCH", "DELETE", "PUT"].contains(m), "{m}");
            assert!(p.starts_with('/'));
            for s in *scopes {
                validate_scope(s).unwrap_or_else(|e| panic!("{m} {p}: {e}"));
            }
        }
        for r in RESOURCES {
            for a in r.actions {
                assert!(
                    t.iter()
                        .any(|(_, _, sc)| sc.contains(&format!("{}:{a}", r.name).as_str())),
                    "{}:{a}",
                    r.name
                );
            }
        }
    }

    #[test]
    fn scope_grammar() {
        let ok = [
            "agent_os:admin",
            "agents:read",
            "agents:run",
            "agents:my-agent:run",
            "agents:*:run",
            "teams:t1:write",
            "workflows:*:delete",
            "system:read",
            "system:write",
            "config:read",
            "sessions:*:read",
            "service_accounts:delete",
            "filesystem:read",
            "registry:read",
        ];
        for s in ok {
            validate_scope(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        let bad: &[(&str, &str, &str)] = &[
            (
                "agent:read",
                "no resource \"agent\"",
                "did you mean \"agents:read\"",
            ),
            (
                "agents:exec",
                "agents has no action \"exec\"",
                "did you mean \"agents:run\"? agents allows read, write, delete, run",
            ),
            ("agents:execute", "no action", "\"agents:run\""),
            ("memory:read", "no resource", "\"memories:read\""),
            ("Agents:Read", "no resource", "\"agents:read\""),
            (
                "service-accounts:write",
                "no resource",
                "\"service_accounts:write\"",
            ),
            ("sesions:read", "no resource", "\"sessions:read\""),
            ("eval:read", "no resource", "\"evals:read\""),
            (
                "traces:write",
                "traces has no action \"write\"",
                "traces allows read",
            ),
            ("agents:*", "no action wildcard", "agent_os:admin"),
            ("agents:raed", "no action", "did you mean \"agents:read\""),
            ("agents:list", "no action", "did you mean \"agents:read\""),
            (
                "agent_os:read",
                "agent_os:admin",
                "did you mean \"agent_os:admin\"",
            ),
            (
                "AGENT_OS:ADMIN",
                "agent_os:admin",
                "did you mean \"agent_os:admin\"",
            ),
            ("wiki:read", "company", "--allow-unknown-scopes"),
            (
                "frobs:read",
                "no resource \"frobs\"",
                "resources: config, registry",
            ),
        ];
        for (s, msg, hint) in bad {
            let e = validate_scope(s).unwrap_err();
            assert!(e.msg.contains(msg), "{s}: {e}");
            let h = e.hint.clone().unwrap();
            assert!(h.contains(hint), "{s}: {h}");
            assert!(h.contains("--allow-unknown-scopes"), "{s}: {h}");
        }
        let malformed: &[(&str, &str)] = &[
            ("", "empty scope"),
            ("agents: read", "whitespace"),
            ("agents:read ", "whitespace"),
            ("agents:a:b:run", "too many colons"),
            ("admin", "no action"),
            ("agents", "no action"),
            (":read", "empty resource"),
            ("agents:", "empty action"),
            ("agents::run", "empty id"),
            ("agents:web*:run", "matched exactly"),
            ("sessions:s1:read", "no per-id scopes"),
        ];
        for (s, msg) in malformed {
            let e = validate_scope(s).unwrap_err();
            assert!(e.msg.contains(msg), "{s:?}: {e}");
            assert!(e.hint.is_some(), "{s:?}");
        }
        assert!(validate_scope("admin")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("agent_os:admin"));
    }

    #[test]
    fn splitting() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            split_scopes(&v(&["agents:read, agents:run", "agents:read"])),
            v(&["agents:read", "agents:run"])
        );
        assert_eq!(
            split_scopes(&v(&[" a b ,, c ", "", "b"])),
            v(&["a", "b", "c"])
        );
        assert_eq!(split_scopes(&v(&[])), Vec::<String>::new());
    }

    #[test]
    fn subjects() {
        for ok in [
            "alice",
            "user-1",
            "alice@example.com",
            "sa",
            "xsa:1",
            "__scheduler__x",
            "__oauth__",
        ] {
            check_subject(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for (bad, why) in [
            ("", "empty"),
            ("sa:bot", "\"sa:\""),
            ("__oauth__:client", "\"__oauth__:\""),
            ("__scheduler__", "scheduler"),
        ] {
            let e = check_subject(bad).unwrap_err();
            assert!(e.msg.contains(why), "{bad}: {e}");
            assert!(e.hint.is_some());
            if !bad.is_empty() {
                assert!(e.msg.contains("Invalid token subject"), "{e}");
            }
        }
    }

    #[test]
    fn presets() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(expand_preset("admin").unwrap(), v(&["agent_os:admin"]));
        assert_eq!(
            expand_preset("run-agent:my-agent").unwrap(),
            v(&["agents:my-agent:read", "agents:my-agent:run"])
        );
        assert_eq!(
            expand_preset("run-team:t1").unwrap(),
            v(&["teams:t1:read", "teams:t1:run"])
        );
        assert_eq!(
            expand_preset("run-workflow:*").unwrap(),
            v(&["workflows:*:read", "workflows:*:run"])
        );
        let ro = expand_preset("read-only").unwrap();
        assert_eq!(ro.len(), RESOURCES.len());
        assert!(ro.iter().all(|s| s.ends_with(":read")));
        assert!(ro.contains(&"config:read".to_string()) && ro.contains(&"traces:read".to_string()));
        for p in PRESETS {
            let spec = if p.takes_id {
                format!("{}:x", p.name)
            } else {
                p.name.to_string()
            };
            let scopes = expand_preset(&spec).unwrap();
            assert!(!scopes.is_empty());
            for s in scopes {
                validate_scope(&s).unwrap_or_else(|e| panic!("{spec}: {e}"));
            }
        }
        let agent = serde_json::json!(expand_preset("run-agent:a1").unwrap());
        for (m, path) in [
            ("GET", "/agents/a1"),
            ("POST", "/agents/a1/runs"),
            ("GET", "/agents/a1/runs/r1"),
            ("POST", "/agents/a1/runs/r1/resume"),
        ] {
            assert_eq!(
                check_access(Some(&agent), m, path),
                Access::Allowed,
                "{m} {path}"
            );
        }
        assert_eq!(
            listing_filter(Some(&agent), "GET", "/agents"),
            Some(vec!["a1".to_string()])
        );
        let e = expand_preset("run-agnt:x").unwrap_err();
        assert!(e.msg.contains("unknown preset \"run-agnt\""), "{e}");
        assert!(
            e.hint
                .clone()
                .unwrap()
                .contains("did you mean \"run-agent\""),
            "{e}"
        );
        assert!(e.hint.unwrap().contains("run-agent:<id>"));
        assert!(expand_preset("run-agent")
            .unwrap_err()
            .msg
            .contains("needs an id"));
        assert!(expand_preset("run-agent:")
            .unwrap_err()
            .msg
            .contains("needs an id"));
        assert!(expand_preset("admin:x")
            .unwrap_err()
            .msg
            .contains("takes no id"));
        assert!(expand_preset("run-agent:a b").is_err());
        assert!(expand_preset("run-agent:a:b").is_err());
        assert_eq!(
            expand_preset("READ_ONLY")
                .unwrap_err()
                .hint
                .unwrap()
                .split('?')
                .next()
                .unwrap(),
            "did you mean \"read-only\""
        );
    }

    #[test]
    fn helpers() {
        assert!(fnmatch(
            "/agents/a/runs/r/continue",
            "/agents/*/runs/*/continue"
        ));
        assert!(fnmatch("/agents/a/b/runs", "/agents/*/runs"));
        assert!(fnmatch("/agents/", "/agents/*"));
        assert!(!fnmatch("/agents", "/agents/*"));
        assert!(!fnmatch("/agents/a/runs/r", "/agents/*/runs"));
        assert_eq!(
            resource_context("/a2a/teams/t1/x"),
            (Some("teams"), Some("t1"))
        );
        assert_eq!(resource_context("/agentsx/a"), (None, None));
        assert_eq!(resource_context("/knowledge/agents/x"), (None, None));
        assert_eq!(
            normalize_path("agents//?q=1#f"),
            ("/agents".to_string(), Some("q=1".to_string()))
        );
        assert_eq!(normalize_path("/"), ("/".to_string(), None));
        assert_eq!(edit_distance("agent", "agents"), 1);
    }
}
