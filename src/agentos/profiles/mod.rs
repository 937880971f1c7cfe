//! What changes from one agno release to the next, as data: one file per release in
//! which the JWT/RBAC behaviour or the route map changed. The rules in the parent
//! module read a [`Profile`]; supporting a new release means adding a file here.

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
}

/// The newest profile: what the tool models when no version is given.
pub const LATEST: &Profile = &v3_1_10::PROFILE;
