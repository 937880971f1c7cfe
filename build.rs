//! Turns data/agno/ (the modelled agno releases: releases.toml and the route tables
//! written off each release) into the `&'static` profiles of src/agentos/profiles/:
//! `$OUT_DIR/agno_profiles.rs`, included there. See data/agno/releases.toml for the format.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let data = root.join("data").join("agno");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=data/agno");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    match generate(&data) {
        Ok(code) => fs::write(out.join("agno_profiles.rs"), code).expect("write agno_profiles.rs"),
        Err(e) => {
            eprintln!("data/agno: {e}");
            std::process::exit(1);
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    release: Vec<Map<String, Value>>,
    router: BTreeMap<String, RouterDef>,
    interface: BTreeMap<String, InterfaceDef>,
    interface_mount: Vec<MountDef>,
    mcp_tools: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouterDef {
    enabled_by: String,
    marker: String,
    admin_prefix: Option<String>,
    admin_detail: Option<String>,
    scope_map: Option<String>,
    resources: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterfaceDef {
    marker: String,
    scope_map: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MountDef {
    name: String,
    default_prefix: String,
    routes: Vec<String>,
    authenticates_own_requests: bool,
}

/// A release row merged over every row before it: what AgentOS is at that release.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    version: String,
    read_off: Option<String>,
    legacy_aliases: Vec<(String, String)>,
    resources_with_ids: Vec<String>,
    unserved_routes: Vec<String>,
    public_paths: Vec<String>,
    routers: Vec<String>,
    reserved_sub_prefixes: Vec<(String, String)>,
    reserved_subs: Vec<(String, String)>,
    listings: Vec<String>,
    filesystem_paths: Vec<String>,
    filesystem_addressed_paths: Vec<String>,
    interfaces: Vec<String>,
    body_gates: Vec<String>,
    interface_mounts: Vec<String>,
    interface_excluded_paths: Vec<String>,
    strip_trailing_slash: bool,
    gate: String,
    listing_ids_need_route_action: bool,
    detail_names_scopes: bool,
    rewrite_same_family_only: bool,
    interface_exclusion: String,
    audience_in_decode: bool,
    audience_detail: String,
    issuer_pin: bool,
    env_key_installs_auth: bool,
    matches_route_path: bool,
    mcp: Mcp,
    public: Option<Public>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mcp {
    routes: Vec<String>,
    public: Vec<String>,
    tool_run_route: Option<String>,
    tools: Vec<String>,
    host_guard_when_open: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Public {
    open: Vec<String>,
    listings: Vec<String>,
    readyz: String,
    info: String,
    run_families: Vec<String>,
    docs: Vec<String>,
    mcp_paths: Vec<String>,
    mcp_private_prefix: Option<String>,
    browser_origins: bool,
    run_fields: Vec<String>,
}

type Version = (u32, u32, u32);

fn version(v: &str) -> Result<Version, String> {
    let parts: Vec<u32> = v
        .split('.')
        .map(|p| p.parse().map_err(|_| format!("bad release {v:?}")))
        .collect::<Result<_, _>>()?;
    match parts[..] {
        [a, b, c] => Ok((a, b, c)),
        _ => Err(format!("bad release {v:?}: want X.Y.Z")),
    }
}

/// The rows of a later release override what they name; tables (`mcp`, `public`) key by key.
fn merge(into: &mut Map<String, Value>, row: &Map<String, Value>) {
    for (k, v) in row {
        match (into.get_mut(k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => merge(old, new),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// One profile: the row it starts at, merged, and the release it was read off.
struct ProfileRow {
    since: String,
    read_off: String,
    state: State,
}

fn profiles(rows: &[Map<String, Value>]) -> Result<Vec<ProfileRow>, String> {
    let mut acc = Map::new();
    let mut out: Vec<ProfileRow> = Vec::new();
    let mut prev: Option<Version> = None;
    let mut pending_read_off: Option<String> = None;
    for row in rows {
        let v = row
            .get("version")
            .and_then(Value::as_str)
            .ok_or("a [[release]] without version")?
            .to_string();
        let this = version(&v)?;
        if prev.is_some_and(|p| p >= this) {
            return Err(format!("release {v} is not newer than the row before it"));
        }
        prev = Some(this);
        if let Some(want) = pending_read_off.take() {
            // The release a profile was read off: its row only names it.
            if want != v || row.len() != 1 {
                return Err(format!(
                    "the row after a read_off = {want:?} must be that release, with nothing else (found {v})"
                ));
            }
            continue;
        }
        acc.remove("read_off");
        merge(&mut acc, row);
        let state: State = serde_json::from_value(Value::Object(acc.clone()))
            .map_err(|e| format!("release {v}: {e}"))?;
        if let Some(r) = &state.read_off {
            pending_read_off = Some(r.clone());
        }
        out.push(ProfileRow {
            since: state.version.clone(),
            read_off: state.read_off.clone().unwrap_or(v),
            state,
        });
    }
    if let Some(want) = pending_read_off {
        return Err(format!("read_off = {want:?} names no later row"));
    }
    Ok(out)
}

/// data/agno/<V>/<table>.txt, by table, oldest first.
fn table_files(data: &Path) -> Result<BTreeMap<String, Vec<(Version, String)>>, String> {
    let mut tables: BTreeMap<String, Vec<(Version, String)>> = BTreeMap::new();
    let entries = fs::read_dir(data).map_err(|e| format!("{}: {e}", data.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let v = version(&name)?;
        for file in fs::read_dir(entry.path()).map_err(|e| e.to_string())? {
            let path = file.map_err(|e| e.to_string())?.path();
            let table = path
                .file_name()
                .and_then(|f| f.to_str())
                .and_then(|f| f.strip_suffix(".txt"))
                .ok_or_else(|| format!("{}: not a <table>.txt", path.display()))?
                .to_string();
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            tables.entry(table).or_default().push((v, text));
        }
    }
    for files in tables.values_mut() {
        files.sort_by_key(|(v, _)| *v);
    }
    Ok(tables)
}

/// Rust source of the generated items; identical values share one `const`.
#[derive(Default)]
struct Out {
    consts: String,
    names: HashMap<String, String>,
}

impl Out {
    fn shared(&mut self, name: String, ty: &str, value: String) -> String {
        if let Some(n) = self.names.get(&value) {
            return n.clone();
        }
        let mut name = name;
        while self.names.values().any(|n| *n == name) {
            name.push('_');
        }
        writeln!(self.consts, "const {name}: {ty} = {value};").unwrap();
        self.names.insert(value, name.clone());
        name
    }
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn strs(xs: &[String]) -> String {
    let items: Vec<String> = xs.iter().map(|x| lit(x)).collect();
    format!("&[{}]", items.join(", "))
}

fn pairs(xs: &[(String, String)]) -> String {
    let items: Vec<String> = xs
        .iter()
        .map(|(a, b)| format!("({}, {})", lit(a), lit(b)))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// `"METHOD /path"` as a `(method, path)` tuple.
fn route(s: &str) -> Result<String, String> {
    let (m, p) = s
        .split_once(' ')
        .ok_or_else(|| format!("{s:?}: want \"METHOD /path\""))?;
    Ok(format!("({}, {})", lit(m), lit(p)))
}

fn routes(xs: &[String]) -> Result<String, String> {
    let items: Vec<String> = xs.iter().map(|x| route(x)).collect::<Result<_, _>>()?;
    Ok(format!("&[{}]", items.join(", ")))
}

/// `Gate::Anchored`-style paths: the data names a variant.
fn variant(ty: &str, name: &str) -> Result<String, String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("{name:?} is no {ty} variant"));
    }
    Ok(format!("{ty}::{name}"))
}

/// A scope map: `METHOD /pattern scope...` a line.
fn scope_map(text: &str) -> Result<(String, BTreeSet<String>), String> {
    let mut items = Vec::new();
    let mut scopes_named = BTreeSet::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(m), Some(p)) = (f.next(), f.next()) else {
            return Err(format!("{line:?}: want METHOD /pattern scope..."));
        };
        let scopes: Vec<String> = f.map(str::to_string).collect();
        scopes_named.extend(scopes.iter().cloned());
        items.push(format!(
            "Route {{ method: {}, pattern: {}, scopes: {} }}",
            lit(m),
            lit(p),
            strs(&scopes)
        ));
    }
    Ok((format!("&[{}]", items.join(", ")), scopes_named))
}

/// Resources: `name action...` a line.
fn resources(
    text: &str,
    with_ids: &[String],
) -> Result<(String, Vec<String>, BTreeSet<String>), String> {
    let mut items = Vec::new();
    let mut names = Vec::new();
    let mut scopes = BTreeSet::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let name = f.next().ok_or("an empty resources line")?;
        let actions: Vec<String> = f.map(str::to_string).collect();
        if actions.is_empty() {
            return Err(format!("resource {name}: no action"));
        }
        scopes.extend(actions.iter().map(|a| format!("{name}:{a}")));
        names.push(name.to_string());
        items.push(format!(
            "Resource {{ name: {}, actions: {}, has_ids: {} }}",
            lit(name),
            strs(&actions),
            with_ids.iter().any(|i| i == name)
        ));
    }
    Ok((format!("&[{}]", items.join(", ")), names, scopes))
}

/// Resource gates: `METHOD /path action` a line, in agno's file order. No two may match
/// one request (`routes::router_check` takes the first that matches), so the order of the
/// lines changes nothing.
fn resource_gates(text: &str) -> Result<String, String> {
    let mut items = Vec::new();
    let mut seen: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [m, p, a] = f[..] else {
            return Err(format!("{line:?}: want METHOD /path action"));
        };
        let segs: Vec<&str> = p.split('/').collect();
        let param = |s: &str| s.starts_with('{');
        if let Some((_, other)) = seen.iter().find(|(om, o)| {
            *om == m
                && o.len() == segs.len()
                && o.iter()
                    .zip(&segs)
                    .all(|(x, y)| x == y || param(x) || param(y))
        }) {
            return Err(format!(
                "resource gates {m} {p} and {m} {} match the same requests",
                other.join("/")
            ));
        }
        seen.push((m, segs));
        items.push(format!(
            "ResourceGate {{ method: {}, path: {}, action: {} }}",
            lit(m),
            lit(p),
            lit(a)
        ));
    }
    Ok(format!("&[{}]", items.join(", ")))
}

fn generate(data: &Path) -> Result<String, String> {
    let path = data.join("releases.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let d: Data = toml_edit::de::from_str(&text).map_err(|e| format!("releases.toml: {e}"))?;
    let rows = profiles(&d.release)?;
    let releases: BTreeSet<Version> = d
        .release
        .iter()
        .filter_map(|r| r.get("version").and_then(Value::as_str))
        .map(version)
        .collect::<Result<_, _>>()?;
    let tables = table_files(data)?;
    let known: BTreeSet<&str> = [
        "scope_map",
        "resources",
        "resource_gates",
        "default_app",
        "path_routes",
    ]
    .into_iter()
    .chain(
        d.router
            .values()
            .flat_map(|r| [r.scope_map.as_deref(), r.resources.as_deref()])
            .flatten(),
    )
    .chain(d.interface.values().map(|i| i.scope_map.as_str()))
    .collect();
    for (table, files) in &tables {
        if !known.contains(table.as_str()) {
            return Err(format!("{table}.txt: no such table (known: {known:?})"));
        }
        if let Some((v, _)) = files.iter().find(|(v, _)| !releases.contains(v)) {
            return Err(format!(
                "{table}.txt of {v:?}: no [[release]] row for that release"
            ));
        }
    }
    let mut out = Out::default();
    let mut profile_names = Vec::new();
    for p in &rows {
        let read_off = version(&p.read_off)?;
        let tag = p.since.replace('.', "_");
        // The newest file of a table not newer than the release the profile was read off.
        let table = |name: &str| -> Option<(String, &str)> {
            let files = tables.get(name)?;
            let (v, text) = files.iter().rev().find(|(v, _)| *v <= read_off)?;
            Some((format!("{}_{}_{}", v.0, v.1, v.2), text.as_str()))
        };
        let need = |name: &str| {
            table(name).ok_or_else(|| format!("agno {}: no {name}.txt at or before it", p.read_off))
        };
        let s = &p.state;

        let (at, text) = need("scope_map")?;
        let (map, map_scopes) = scope_map(text)?;
        let routes_c = out.shared(format!("SCOPE_MAP_{at}"), "&[Route]", map);
        let (at, text) = need("resources")?;
        let (res, _, res_scopes) = resources(text, &s.resources_with_ids)?;
        // `scopes` and `mint` list these: they must be the map's, exactly.
        if res_scopes != map_scopes {
            let diff: Vec<_> = res_scopes.symmetric_difference(&map_scopes).collect();
            return Err(format!(
                "agno {}: resources.txt and scope_map.txt disagree on {diff:?}",
                p.read_off
            ));
        }
        let resources_c = out.shared(format!("RESOURCES_{at}"), "&[Resource]", res);
        let (at, text) = need("resource_gates")?;
        let gates_c = out.shared(
            format!("RESOURCE_GATES_{at}"),
            "&[ResourceGate]",
            resource_gates(text)?,
        );
        let (at, text) = need("default_app")?;
        if let Some(l) = text.lines().find(|l| l.split(' ').count() != 2) {
            return Err(format!(
                "default_app.txt of {at}: {l:?} is not METHOD /path"
            ));
        }
        let app_c = out.shared(format!("DEFAULT_APP_{at}"), "&str", lit(text));
        let (at, text) = need("path_routes")?;
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let path_routes_c = out.shared(
            format!("PATH_ROUTES_{at}"),
            "&[(&str, &str)]",
            routes(&lines)?,
        );

        let mut routers = Vec::new();
        let mut company_resources = Vec::new();
        for name in &s.routers {
            let r = d
                .router
                .get(name)
                .ok_or_else(|| format!("agno {}: no [router.{name:?}]", p.since))?;
            let routes_of = match &r.scope_map {
                Some(t) => {
                    let (at, text) = need(t)?;
                    let (map, _) = scope_map(text)?;
                    out.shared(format!("{}_{at}", t.to_uppercase()), "&[Route]", map)
                }
                None => "&[]".into(),
            };
            let resources_of = match &r.resources {
                Some(t) => {
                    let (at, text) = need(t)?;
                    let (res, names, _) = resources(text, &s.resources_with_ids)?;
                    company_resources.extend(names);
                    out.shared(format!("{}_{at}", t.to_uppercase()), "&[Resource]", res)
                }
                None => "&[]".into(),
            };
            let admin_only = match (&r.admin_prefix, &r.admin_detail) {
                (Some(prefix), Some(detail)) => {
                    format!(
                        "Some(AdminOnly {{ prefix: {}, detail: {} }})",
                        lit(prefix),
                        lit(detail)
                    )
                }
                (None, None) => "None".into(),
                _ => {
                    return Err(format!(
                        "[router.{name:?}]: admin_prefix and admin_detail go together"
                    ))
                }
            };
            routers.push(format!(
                "OptionalRouter {{ name: {}, enabled_by: {}, marker: {}, routes: {routes_of}, resources: {resources_of}, admin_only: {admin_only} }}",
                lit(name),
                lit(&r.enabled_by),
                route(&r.marker)?
            ));
        }

        let mut interfaces = Vec::new();
        for name in &s.interfaces {
            let i = d
                .interface
                .get(name)
                .ok_or_else(|| format!("agno {}: no [interface.{name:?}]", p.since))?;
            let (at, text) = need(&i.scope_map)?;
            let (map, _) = scope_map(text)?;
            let c = out.shared(
                format!("{}_{at}", i.scope_map.to_uppercase()),
                "&[Route]",
                map,
            );
            interfaces.push(format!(
                "Interface {{ name: {}, marker: {}, routes: {c} }}",
                lit(name),
                route(&i.marker)?
            ));
        }

        let mut mounts = Vec::new();
        for name in &s.interface_mounts {
            let m = d
                .interface_mount
                .iter()
                .find(|m| &m.name == name)
                .ok_or_else(|| format!("agno {}: no [[interface_mount]] {name:?}", p.since))?;
            mounts.push(format!(
                "InterfaceMount {{ name: {}, default_prefix: {}, routes: {}, authenticates_own_requests: {} }}",
                lit(&m.name),
                lit(&m.default_prefix),
                routes(&m.routes)?,
                m.authenticates_own_requests
            ));
        }

        let mut tools = Vec::new();
        for name in &s.mcp.tools {
            let r = d
                .mcp_tools
                .get(name)
                .ok_or_else(|| format!("agno {}: no MCP tool {name:?} in [mcp_tools]", p.since))?;
            let (m, path) = r
                .split_once(' ')
                .ok_or_else(|| format!("[mcp_tools] {name}: want \"METHOD /path\""))?;
            tools.push(format!(
                "McpTool {{ name: {}, method: {}, path: {} }}",
                lit(name),
                lit(m),
                lit(path)
            ));
        }
        let opt = |o: &Option<String>| {
            o.as_deref()
                .map_or("None".into(), |x| format!("Some({})", lit(x)))
        };
        let mcp = format!(
            "McpSurface {{ routes: {}, public: {}, tool_run_route: {}, tools: &[{}], host_guard_when_open: {} }}",
            routes(&s.mcp.routes)?,
            strs(&s.mcp.public),
            opt(&s.mcp.tool_run_route),
            tools.join(", "),
            s.mcp.host_guard_when_open
        );
        let public = match &s.public {
            None => "None".into(),
            Some(u) => format!(
                "Some(PublicRules {{ open: {}, listings: {}, readyz: {}, info: {}, run_families: {}, docs: {}, mcp_paths: {}, mcp_private_prefix: {}, browser_origins: {}, run_fields: {} }})",
                strs(&u.open),
                strs(&u.listings),
                lit(&u.readyz),
                lit(&u.info),
                strs(&u.run_families),
                strs(&u.docs),
                strs(&u.mcp_paths),
                opt(&u.mcp_private_prefix),
                u.browser_origins,
                strs(&u.run_fields)
            ),
        };
        let body_gates: Vec<String> = s
            .body_gates
            .iter()
            .map(|b| variant("BodyGate", b))
            .collect::<Result<_, _>>()?;
        let behaviour = format!(
            "Behaviour {{ strip_trailing_slash: {}, gate: {}, listing_ids_need_route_action: {}, detail_names_scopes: {}, rewrite_same_family_only: {}, interface_exclusion: {}, audience_in_decode: {}, audience_detail: {}, issuer_pin: {}, env_key_installs_auth: {}, matches_route_path: {} }}",
            s.strip_trailing_slash,
            variant("Gate", &s.gate)?,
            s.listing_ids_need_route_action,
            s.detail_names_scopes,
            s.rewrite_same_family_only,
            variant("InterfaceExclusion", &s.interface_exclusion)?,
            s.audience_in_decode,
            lit(&s.audience_detail),
            s.issuer_pin,
            s.env_key_installs_auth,
            s.matches_route_path
        );
        let name = format!("PROFILE_{tag}");
        let mut f = String::new();
        writeln!(f, "/// agno {} (read off {}).", p.since, p.read_off).unwrap();
        writeln!(f, "const {name}: Profile = Profile {{").unwrap();
        for (field, value) in [
            ("version", lit(&p.read_off)),
            ("since", lit(&p.since)),
            ("legacy_aliases", pairs(&s.legacy_aliases)),
            ("resources", resources_c),
            ("company_resources", strs(&company_resources)),
            ("unserved_routes", routes(&s.unserved_routes)?),
            ("public_paths", strs(&s.public_paths)),
            ("routers", format!("&[{}]", routers.join(", "))),
            ("default_app", app_c),
            ("path_routes", path_routes_c),
            ("reserved_sub_prefixes", pairs(&s.reserved_sub_prefixes)),
            ("reserved_subs", pairs(&s.reserved_subs)),
            ("routes", routes_c),
            ("resource_gates", gates_c),
            ("listings", strs(&s.listings)),
            ("filesystem_paths", strs(&s.filesystem_paths)),
            (
                "filesystem_addressed_paths",
                strs(&s.filesystem_addressed_paths),
            ),
            ("interfaces", format!("&[{}]", interfaces.join(", "))),
            ("body_gates", format!("&[{}]", body_gates.join(", "))),
            ("behaviour", behaviour),
            ("interface_mounts", format!("&[{}]", mounts.join(", "))),
            (
                "interface_excluded_paths",
                strs(&s.interface_excluded_paths),
            ),
            ("mcp", mcp),
            ("public", public),
        ] {
            writeln!(f, "    {field}: {value},").unwrap();
        }
        writeln!(f, "}};").unwrap();
        out.consts.push_str(&f);
        profile_names.push(name);
    }
    let mut code =
        String::from("// Generated by build.rs from data/agno/: edit the data, not this.\n\n");
    code.push_str(&out.consts);
    let refs: Vec<String> = profile_names.iter().map(|n| format!("&{n}")).collect();
    writeln!(
        code,
        "\n/// Every modelled release range, oldest first (by `since`): one per `[[release]]`\n/// row of data/agno/releases.toml.\npub const PROFILES: &[&Profile] = &[{}];",
        refs.join(", ")
    )
    .unwrap();
    Ok(code)
}
