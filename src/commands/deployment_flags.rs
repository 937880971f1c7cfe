//! Which AgentOS the user means: `--agno`, `--scope-mappings`, `--routes`,
//! `--no-authorization`, `--mount-prefix`, `--mcp`, `--public*`, falling back to the key store's `agno_version` and
//! `scope_mappings` settings.

use std::path::{Path, PathBuf};

use crate::agentos::deployment::{parse_openapi, parse_scope_mappings, PublicSelection};
use crate::agentos::middleware::{Middleware, SentIn, TokenSource};
use crate::agentos::{self, Server};
use crate::cli::{AgentosArgs, GlobalArgs, MiddlewareArgs, ServerArgs};
use crate::error::{Error, Result};
use crate::fsio;
use crate::store::{Settings, Store};

fn settings(g: &GlobalArgs) -> Settings {
    Store::locate(g.home.as_deref())
        .ok()
        .and_then(|s| s.settings().ok())
        .unwrap_or_default()
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = fsio::read_input(path)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The release profile and the custom mappings.
pub fn agentos(g: &GlobalArgs, a: &AgentosArgs, ui: &super::Ui) -> Result<Server> {
    build(g, a, None, ui)
}

/// The profile, then the mounted routes (their interfaces' mappings), then the custom
/// mappings over all of it.
fn build(
    g: &GlobalArgs,
    a: &AgentosArgs,
    routes: Option<Vec<(String, String)>>,
    ui: &super::Ui,
) -> Result<Server> {
    let set = settings(g);
    let version = a.agno.clone().or(set.agno_version);
    let mut server = match version {
        Some(v) => {
            let resolved = agentos::for_version(&v)?;
            if resolved.newer_than_modelled {
                ui.note(format!(
                    "note: agno {v} is newer than the newest modelled release; answering as agno {}",
                    resolved.profile.version
                ));
            }
            Server::new(resolved.profile)
        }
        None => Server::default(),
    };
    if let Some(routes) = routes {
        server = server.with_routes(routes);
    }
    let mappings = a
        .scope_mappings
        .clone()
        .or(set.scope_mappings.map(PathBuf::from));
    if let Some(path) = mappings {
        let text = read_text(&path)?;
        let custom = parse_scope_mappings(&text, &path.display().to_string())?;
        server = server.with_scope_mappings(&custom);
    }
    Ok(server)
}

/// Everything `verify` and `doctor` know about the server.
pub fn server(g: &GlobalArgs, a: &ServerArgs, ui: &super::Ui) -> Result<Server> {
    server_with(g, a, None, ui)
}

/// As [`server`], with the routes a live server's OpenAPI document lists when `--routes`
/// gives none (its optional routers and interfaces then add their mappings too).
pub fn server_with(
    g: &GlobalArgs,
    a: &ServerArgs,
    served: Option<Vec<(String, String)>>,
    ui: &super::Ui,
) -> Result<Server> {
    let routes = match &a.routes {
        Some(path) => {
            let text = read_text(path)?;
            Some(parse_openapi(&text, &path.display().to_string())?)
        }
        None => served,
    };
    let mut server = build(g, &a.agentos, routes, ui)?;
    server.authorization = !a.no_authorization;
    if let Some(prefix) = &a.mount_prefix {
        server = server.with_mount_prefix(prefix)?;
    }
    if a.mcp {
        server = server.with_mcp();
    }
    if a.public || a.public_mcp || !a.public_agent.is_empty() || !a.public_team.is_empty() {
        server = server.with_public(PublicSelection {
            agents: a.public_agent.clone(),
            teams: a.public_team.clone(),
            mcp: a.public_mcp,
        })?;
    }
    server.middleware = middleware(&a.middleware, None)?;
    Ok(server)
}

/// The manual JWTMiddleware's switches, and where the request carries the token
/// (`--sent-in`: header, cookie, cookie:NAME; by default where the server reads it).
pub fn middleware(a: &MiddlewareArgs, sent_in: Option<&str>) -> Result<Middleware> {
    let mut m = Middleware::default();
    if let Some(c) = &a.scopes_claim {
        m.scopes_claim = c.clone();
    }
    if let Some(c) = &a.user_id_claim {
        m.user_id_claim = c.clone();
    }
    if let Some(c) = &a.cookie_name {
        m.cookie_name = c.clone();
    }
    m.token_source = match a.token_source.as_deref() {
        Some("cookie") => TokenSource::Cookie,
        Some("both") => TokenSource::Both,
        _ => TokenSource::Header,
    };
    m.sent_in = match sent_in {
        None if m.token_source == TokenSource::Cookie => SentIn::Cookie(m.cookie_name.clone()),
        None | Some("header") => SentIn::Header,
        Some("cookie") => SentIn::Cookie(m.cookie_name.clone()),
        Some(other) => match other.strip_prefix("cookie:") {
            Some(name) if !name.is_empty() && name.trim() == name => {
                SentIn::Cookie(name.to_string())
            }
            _ => {
                return Err(Error::input(format!("invalid --sent-in {other:?}"))
                    .hint("give header, cookie (the server's --cookie-name) or cookie:NAME"))
            }
        },
    };
    Ok(m)
}

/// The manual middleware's switches against the rest of the command line: managed roles
/// (`--roles-file`: AgentOS's own middleware, which has none of the switches) and `--url`
/// (the live request carries the token in the Authorization header).
pub fn check_middleware(server: &Server, roles_file: bool, url: bool) -> Result<()> {
    if server.middleware.is_manual() && roles_file {
        return Err(Error::input(
            "--scopes-claim, --user-id-claim, --token-source and --cookie-name describe a JWTMiddleware added by hand, and --roles-file an AgentOS(authorization=Authorization(...)), whose own middleware has none of these switches",
        )
        .hint("drop one of them: managed roles read their claim from the roles file's roles_claim"));
    }
    if url && server.middleware.sent_in != SentIn::Header {
        return Err(Error::input("--url sends the token in the Authorization header").hint(
            "drop --sent-in (or --token-source cookie) to ask a live server, or drop --url to predict a cookie",
        ));
    }
    Ok(())
}
