//! The scope grammar this tool lets users put into tokens: validation against the
//! profile's resources, "did you mean" suggestions, presets.

use super::profiles::{Profile, Resource};
use crate::error::{Error, Result};

/// `AgentOSScope.ADMIN`: every route, every resource.
pub const ADMIN_SCOPE: &str = "agent_os:admin";

const RWD: &[&str] = &["read", "write", "delete"];

/// The resource named `name` (after the legacy alias), if AgentOS knows it.
pub fn resource<'p>(p: &'p Profile, name: &str) -> Option<&'p Resource> {
    let name = alias(p, name);
    p.resources.iter().find(|r| r.name == name)
}

pub(crate) fn alias<'a>(p: &'a Profile, name: &'a str) -> &'a str {
    p.legacy_aliases
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

const FORMS: &str = "use agent_os:admin, RESOURCE:ACTION, RESOURCE:ID:ACTION or RESOURCE:*:ACTION, e.g. agents:read or agents:my-agent:run";

/// Checks one scope against AgentOS's grammar and default route map: `agent_os:admin`,
/// `resource:action`, `resource:<id>:action` (agents, teams, workflows), `resource:*:action`,
/// legacy `system:*`. Unknown names come back with a "did you mean".
pub fn validate_scope(p: &Profile, s: &str) -> Result<()> {
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
            let hint = match suggest_whole(p, one) {
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
    let Some(found) = resource(p, res_name) else {
        if p.company_resources.contains(&res_name) {
            return Err(Error::input(format!(
                "unknown scope {s:?}: {res_name:?} only exists on an AgentOS with company=..."
            ))
            .hint("mint --url URL reads the server's routes and knows its company scopes; or pass --allow-unknown-scopes if your AgentOS has it"));
        }
        let sug = suggest_resource(p, res_name)
            .and_then(|n| resource(p, n))
            .map(|r| {
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
        let known: Vec<&str> = p.resources.iter().map(|r| r.name).collect();
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

fn suggest_whole(p: &Profile, s: &str) -> Option<String> {
    let l = s.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "admin" | "agent_os" | "agentos" | "root" | "all" | "*"
    ) || edit_distance(&l, ADMIN_SCOPE) <= 3
    {
        return Some(ADMIN_SCOPE.to_string());
    }
    let name = suggest_resource(p, &l)?;
    Some(format!("{name}:read"))
}

/// The resource the user most likely meant: case, `-` for `_`, singular/plural, typos.
fn suggest_resource(p: &Profile, name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase().replace('-', "_");
    let n = alias(p, &n).to_string();
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
        if let Some(r) = p.resources.iter().find(|r| r.name == v.as_str()) {
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
    closest(&n, p.resources.iter().map(|r| r.name))
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

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
pub fn check_subject(p: &Profile, sub: &str) -> Result<()> {
    let pick =
        "choose a subject outside sa:, __oauth__: and __scheduler__, e.g. the user's id or email";
    if sub.is_empty() {
        return Err(Error::input("empty subject (sub)")
            .hint("AgentOS uses sub as the user id; give a non-empty one"));
    }
    for (prefix, who) in p.reserved_sub_prefixes {
        if sub.starts_with(prefix) {
            return Err(Error::input(format!(
                "subject {sub:?} is reserved: AgentOS answers 401 \"Invalid token subject\" to a sub starting with {prefix:?} ({who})"
            ))
            .hint(pick));
        }
    }
    for (name, who) in p.reserved_subs {
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
pub fn expand_preset(p: &Profile, spec: &str) -> Result<Vec<String>> {
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
                p.resources
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
