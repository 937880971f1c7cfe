//! What changes from one agno release to the next, as data: one file per release in
//! which the JWT/RBAC behaviour or the route map changed. The rules in the parent
//! module read a [`Profile`]; supporting a new release means adding a file here.

use crate::error::{Error, Result};

mod v2_3_13;
mod v2_4_0;
mod v2_5_13;
mod v2_6_22;
mod v2_7_0;
mod v3_0_11;
mod v3_1_0;
mod v3_1_10;

/// A resource family of the default route map and the actions AgentOS checks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub name: &'static str,
    pub actions: &'static [&'static str],
    /// Per-id scopes (`agents:<id>:run`) only mean something here (`get_resource_context_from_path`).
    pub has_ids: bool,
}

/// One entry of the route map: `"METHOD /pattern": [scopes]`. `*` spans slashes
/// (Python `fnmatch`), and the first matching entry wins, so order matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub pattern: &'static str,
    pub scopes: &'static [&'static str],
}

/// A router-level `require_resource_access(family, action, "<id param>")` dependency: it
/// runs after the route gate and answers 403 `Access denied to {action} this {agent}`.
/// Paths are FastAPI templates (`{x}` = one segment); the family is the first segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceGate {
    pub method: &'static str,
    pub path: &'static str,
    pub action: &'static str,
}

/// One agno release's AgentOS, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The agno release this was read off ("3.1.10").
    pub version: &'static str,
    /// `LEGACY_RESOURCE_ALIASES`: old resource names still honoured.
    pub legacy_aliases: &'static [(&'static str, &'static str)],
    /// The resources and actions of the default scope mappings.
    pub resources: &'static [Resource],
    /// Resources that only exist with `AgentOS(company=...)`.
    pub company_resources: &'static [&'static str],
    /// Routes of the map the default app does not serve (404 for every token).
    pub unserved_routes: &'static [(&'static str, &'static str)],
    /// The auth middleware's default excluded routes.
    pub public_paths: &'static [&'static str],
    /// Reserved subject prefixes and names (401 "Invalid token subject").
    pub reserved_sub_prefixes: &'static [(&'static str, &'static str)],
    pub reserved_subs: &'static [(&'static str, &'static str)],
    /// The default scope mappings, in agno's order.
    pub routes: &'static [Route],
    /// Router-level `require_resource_access` dependencies.
    pub resource_gates: &'static [ResourceGate],
    /// GET listings filtered by readable ids.
    pub listings: &'static [&'static str],
    /// Filesystem browser routes that ask for a visible agent.
    pub filesystem_paths: &'static [&'static str],
    /// Of those, the ones that need `namespace=` or `agent_id=` (else 400 before the check).
    pub filesystem_addressed_paths: &'static [&'static str],
    pub behaviour: Behaviour,
}

/// How the auth middleware finds the resource a path is about, and when it lets an
/// id-less request through to be filtered (the "listing escape").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Before 2.7.0 (`AuthMiddleware.dispatch`): the family is the first of agents,
    /// teams, workflows found anywhere in the path (`"/agents" in path`), and any
    /// request of that family without an id passes, whatever its method.
    Substring,
    /// 2.7.0 on (`check_route_scopes`): the family is the path's first segment
    /// (after an optional `/a2a`), and only a GET whose required scope is of the same
    /// family escapes.
    Anchored,
}

/// The rule switches that changed between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// `TrailingSlashMiddleware` (2.4.0): `/agents/` is matched as `/agents`.
    pub strip_trailing_slash: bool,
    pub gate: Gate,
    /// `get_accessible_resource_ids(action=...)` (2.6.22): the ids a listing shows, and
    /// the ids `require_resource_access` lets through, come from scopes with the route's
    /// own action (before: any read or run scope, whatever the action).
    pub listing_ids_need_route_action: bool,
    /// `build_insufficient_permissions_detail` (2.6.22): the 403 detail names the
    /// required scopes (before: just "Insufficient permissions").
    pub detail_names_scopes: bool,
    /// 3.1.0: `resource:action` becomes `resource:<id>:action` only when the scope's
    /// family is the path's (before: any family).
    pub rewrite_same_family_only: bool,
}

/// Every modelled release, oldest first: one per release in which the JWT/RBAC rules
/// or the route map that matters changed.
pub const PROFILES: &[&Profile] = &[
    &v2_3_13::PROFILE,
    &v2_4_0::PROFILE,
    &v2_5_13::PROFILE,
    &v2_6_22::PROFILE,
    &v2_7_0::PROFILE,
    &v3_0_11::PROFILE,
    &v3_1_0::PROFILE,
    &v3_1_10::PROFILE,
];

/// The newest profile: what the tool models when no version is given.
pub const LATEST: &Profile = &v3_1_10::PROFILE;

/// `X.Y.Z` as numbers (a pre-release or local suffix after the patch is ignored).
fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().trim_start_matches('v').splitn(3, '.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    let patch_part = it.next().unwrap_or("0");
    let digits: String = patch_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let patch = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((major, minor, patch))
}

/// The profile for agno `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub profile: &'static Profile,
    /// `version` is newer than every profile: the newest is used (say so once).
    pub newer_than_modelled: bool,
}

/// The profile that models agno `version`: the newest profile not newer than it (a
/// release between two profiles behaves like the older one); a version newer than the
/// newest profile gets the newest.
pub fn for_version(version: &str) -> Result<Resolved> {
    let oldest = PROFILES[0].version;
    let Some(want) = parse_version(version) else {
        return Err(
            Error::input(format!("invalid agno version {version:?}")).hint(format!(
                "write it as pip shows it, e.g. --agno 3.1.10 (modelled: {})",
                modelled()
            )),
        );
    };
    let mut found = None;
    for p in PROFILES {
        let v = parse_version(p.version).unwrap_or_default();
        if v <= want {
            found = Some(*p);
        }
    }
    let Some(profile) = found else {
        return Err(Error::input(format!(
            "agno {version} is older than every modelled release (the oldest is {oldest})"
        ))
        .hint(format!(
            "modelled: {}; upgrade agno or use --agno {oldest} at your own risk",
            modelled()
        )));
    };
    let newest = parse_version(LATEST.version).unwrap_or_default();
    Ok(Resolved {
        profile,
        newer_than_modelled: want > newest,
    })
}

/// "2.3.13, 2.4.0, ...".
pub fn modelled() -> String {
    PROFILES
        .iter()
        .map(|p| p.version)
        .collect::<Vec<_>>()
        .join(", ")
}
