//! `agentos-auth clients add|list|remove|rotate-secret`: the clients of `serve`.

use serde_json::json;

use crate::agentos;
use crate::cli::{ClientsAddArgs, ClientsArgs, ClientsCommand, GlobalArgs};
use crate::clients::{self, Client, Session};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::time;

pub fn run(g: &GlobalArgs, a: &ClientsArgs) -> Result<()> {
    match &a.command {
        ClientsCommand::Add(a) => add(g, a),
        ClientsCommand::List(a) => list(g, a.json),
        ClientsCommand::Remove(a) => {
            let store = Store::locate(g.home.as_deref())?;
            let mut s = Session::open(&store.clients_path())?;
            let gone = s.remove(&a.id)?;
            s.commit()?;
            super::Ui::new(g).note(format!("removed client {}", gone.id));
            Ok(())
        }
        ClientsCommand::RotateSecret(a) => {
            let store = Store::locate(g.home.as_deref())?;
            let mut s = Session::open(&store.clients_path())?;
            let secret = clients::new_secret()?;
            s.get_mut(&a.id)?.secret_sha256 = clients::hash_secret(&secret);
            s.commit()?;
            print_secret(g, &a.id, &secret, a.json)
        }
    }
}

fn add(g: &GlobalArgs, a: &ClientsAddArgs) -> Result<()> {
    clients::check_id(&a.id)?;
    let store = Store::locate(g.home.as_deref())?;
    let settings = store.settings()?;
    let aud = a.aud.clone().or(settings.aud.clone()).ok_or_else(|| {
        Error::input("no audience: AgentOS checks aud against its id")
            .hint("pass --aud OS_ID (GET /info shows it as os_id), or store it once with agentos-auth keygen --aud OS_ID")
    })?;
    let ttl = time::parse_duration(&a.ttl).map_err(|e| e.context("--ttl"))?;
    if ttl <= 0 {
        return Err(Error::input("--ttl must be positive").hint("e.g. --ttl 15m"));
    }
    let scopes = agentos::split_scopes(&a.scopes);
    let roles: Vec<String> = a
        .roles
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if scopes.is_empty() && roles.is_empty() {
        return Err(Error::input(
            "no scopes and no roles: AgentOS would answer 403 to every protected route",
        )
        .hint(
            "pass --scopes (e.g. --scopes agents:read), or --roles for a server with managed roles",
        ));
    }
    let server = super::deployment_flags::agentos(g, &a.agentos, &super::Ui::new(g))?;
    let client = Client {
        id: a.id.clone(),
        secret_sha256: String::new(),
        scopes,
        roles,
        aud,
        ttl,
        created: time::now(),
    };
    // Checked now by building a token as `serve` will, so that serve never holds a
    // client whose tokens AgentOS would refuse.
    let roles_claim = settings.roles_claim.as_deref().unwrap_or("roles");
    client
        .token_spec(
            &client.scopes,
            &client.roles,
            settings.iss.as_deref(),
            roles_claim,
            server.into(),
        )
        .build(time::now())
        .map_err(|e| match &e.hint {
            // `serve` never issues a token with a scope the release does not know.
            Some(h) if h.contains("--allow-unknown-scopes") => e.hint(
                "pick a scope of the release (agentos-auth scopes), or name the server's custom scopes with --scope-mappings FILE",
            ),
            _ => e,
        })?;
    store.create()?;
    let mut s = Session::open(&store.clients_path())?;
    if s.clients.find(&a.id).is_some() {
        return Err(Error::input(format!("client {:?} exists already", a.id))
            .hint(format!("give it a new secret with: agentos-auth clients rotate-secret {}, or remove it first", a.id)));
    }
    let secret = clients::new_secret()?;
    s.clients.clients.push(Client {
        secret_sha256: clients::hash_secret(&secret),
        ..client
    });
    s.commit()?;
    print_secret(g, &a.id, &secret, a.json)
}

/// The secret, once: on stdout (the product), and where to keep it on stderr.
fn print_secret(g: &GlobalArgs, id: &str, secret: &str, as_json: bool) -> Result<()> {
    if as_json {
        super::print_line(json!({"client_id": id, "client_secret": secret}))?;
    } else {
        super::print_line(secret)?;
        super::Ui::new(g).note(format!(
            "client {id}: the secret above is shown once; only its hash is stored"
        ));
    }
    Ok(())
}

fn list(g: &GlobalArgs, as_json: bool) -> Result<()> {
    let store = Store::locate(g.home.as_deref())?;
    let set = clients::Clients::load(&store.clients_path())?;
    if as_json {
        let list: Vec<_> = set
            .clients
            .iter()
            .map(|c| {
                json!({"client_id": c.id, "scopes": c.scopes, "roles": c.roles, "aud": c.aud,
                       "ttl": c.ttl, "created": time::rfc3339(c.created)})
            })
            .collect();
        return super::print_line(json!({ "clients": list }));
    }
    if set.clients.is_empty() {
        super::Ui::new(g)
            .note("no clients: add one with agentos-auth clients add ID --scopes LIST");
        return Ok(());
    }
    let mut out = String::new();
    for c in &set.clients {
        let what = match (c.scopes.is_empty(), c.roles.is_empty()) {
            (false, true) => format!("scopes {}", c.scopes.join(",")),
            (true, false) => format!("roles {}", c.roles.join(",")),
            _ => format!("scopes {} roles {}", c.scopes.join(","), c.roles.join(",")),
        };
        out.push_str(&format!(
            "{}  aud {}  ttl {}  {}\n",
            super::printable(&c.id),
            super::printable(&c.aud),
            time::format_duration(c.ttl),
            super::printable(&what)
        ));
    }
    super::print_text(&out)
}
