//! `agentos-auth mint`: one signed token on stdout.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::{load_key_file, load_key_text, load_store_key, LoadedKey};
use crate::agentos;
use crate::claims::{self, Expiry, TokenSpec};
use crate::cli::{GlobalArgs, MintArgs};
use crate::error::{Error, Result};
use crate::fsio;
use crate::store::{Settings, Store};
use crate::time;
use crate::token;

pub fn run(g: &GlobalArgs, a: &MintArgs) -> Result<()> {
    super::batch::check_stdin(a)?;
    let a = &*super::prompt::complete_mint_args(g, a)?;
    let with_server_aud;
    let a = match (&a.url, a.aud.is_empty()) {
        (Some(url), true) => {
            with_server_aud = MintArgs {
                aud: vec![server_os_id(url, a.timeout)?],
                ..a.clone()
            };
            super::Ui::new(g).note(format!(
                "aud {} (the os_id {url} reports)",
                with_server_aud.aud[0]
            ));
            &with_server_aud
        }
        _ => a,
    };
    let store = Store::locate(g.home.as_deref());
    let settings = match &store {
        Ok(s) => s.settings()?,
        Err(_) => Settings::default(),
    };
    let loaded = resolve_key(a, store)?;
    let signer = loaded.key.signer()?;
    let kid = a
        .kid
        .clone()
        .or(loaded.kid.clone())
        .unwrap_or_else(|| loaded.key.thumbprint());
    let roles = if a.preset.iter().any(|p| p.starts_with("role:")) {
        let file = std::env::var_os("AGENTOS_AUTH_ROLES_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        super::load_roles(g, file.as_deref())?.map(|r| r.policy)
    } else {
        None
    };
    let mut server = super::deployment_flags::agentos(g, &a.agentos, &super::Ui::new(g))?;
    if let Some(url) = &a.url {
        // The routes it mounts: an optional router's scopes (company's tasks:write) are
        // known when the server has it.
        if let Some(doc) = crate::live::Client::new(url, a.timeout)?.openapi()? {
            let label = format!("{url}/openapi.json");
            server = server.with_routes(agentos::deployment::parse_openapi(&doc, &label)?);
        }
    }
    let spec = spec_from_args(a, &settings, roles.as_ref(), server)?;
    if let Some(input) = &a.batch {
        return super::batch::run(a, input, &spec, &signer, &kid);
    }
    let now = time::now();
    let claims = spec.build(now)?;
    let (jwt, header, claims) = match a.bad {
        Some(kind) => super::bad_token::mint(kind, claims, &loaded.key, &signer, &kid, now)?,
        None => {
            let header = token::header(&signer, Some(&kid));
            (token::encode(&header, &claims, &signer)?, header, claims)
        }
    };
    if a.json {
        super::print_line(super::token_json(&jwt, &header, &claims).to_string())
    } else {
        super::print_line(&jwt)
    }
}

/// The `os_id` a running AgentOS reports on `GET /info`: its default audience.
fn server_os_id(url: &str, timeout: std::time::Duration) -> Result<String> {
    let server = crate::live::Client::new(url, timeout)?;
    let info = server.info(None)?;
    info.os_id.ok_or_else(|| {
        Error::new(
            crate::error::Kind::Server,
            format!(
                "{url} does not tell its os_id: its GET /info needs a token (agno before 2.5.13)"
            ),
        )
        .hint("pass --aud OS_ID")
    })
}

/// `--key FILE` > `--key-dir DIR` (a key ring's signing key, checked against
/// `--jwks FILE`) > `AGENTOS_AUTH_KEY` (content) > the store's signing key.
fn resolve_key(a: &MintArgs, store: Result<Store>) -> Result<LoadedKey> {
    // The flag --key-dir beats AGENTOS_AUTH_KEY_FILE; with the flag --key it is ambiguous.
    let key_from_env = a.key.is_some()
        && std::env::var_os("AGENTOS_AUTH_KEY_FILE").as_deref()
            == a.key.as_deref().map(|k| k.as_os_str());
    if let (Some(path), Some(_), false) = (&a.key, &a.key_dir, key_from_env) {
        return Err(Error::input(format!(
            "--key {} and --key-dir both name the signing key",
            path.display()
        ))
        .hint("pass one of them"));
    }
    if let (Some(path), None) = (&a.key, &a.key_dir) {
        return load_key_file(path, a.alg);
    }
    if let Some(dir) = &a.key_dir {
        let (key, entry) = crate::keyring::signing_key(dir, a.jwks.as_deref())?;
        if let Some(want) = a.alg.filter(|w| *w != key.alg()) {
            return Err(Error::input(format!(
                "--alg {want} does not match the signing key {} ({}) in {}",
                entry.kid,
                key.alg(),
                dir.display()
            ))
            .hint(format!(
                "drop --alg, or rotate to a {want} key: agentos-auth jwks rotate --alg {want}"
            )));
        }
        // AgentOS picks the key by kid: another kid than the ring's gets 401.
        if let Some(kid) = a.kid.as_ref().filter(|k| **k != entry.kid) {
            return Err(Error::input(format!(
                "--kid {kid} is not the kid of the signing key {} in {}",
                entry.kid,
                dir.display()
            ))
            .hint("drop --kid (and unset AGENTOS_AUTH_KID): mint uses the key ring's kid"));
        }
        return Ok(LoadedKey {
            source: entry.private_path(dir).display().to_string(),
            kid: Some(entry.kid),
            key,
        });
    }
    if let Some(text) = &a.key_content {
        if crate::cli::given_on_command_line("--key-content") {
            eprintln!("warning: --key-content puts the key in the command line, which every local user can read (ps, /proc/PID/cmdline): set AGENTOS_AUTH_KEY instead");
            return load_key_text(text, "--key-content", a.alg);
        }
        return load_key_text(text, "$AGENTOS_AUTH_KEY", a.alg);
    }
    load_store_key(&store?, a.alg)
        .map_err(|e| if e.msg.starts_with("no signing key") { e.hint("create one with: agentos-auth keygen --aud OS_ID, pass --key FILE, or set AGENTOS_AUTH_KEY") } else { e })
}

/// Flags > `--claim` > `--claims` > store settings > built-in defaults.
pub fn spec_from_args(
    a: &MintArgs,
    settings: &Settings,
    roles: Option<&crate::agentos::roles::Policy>,
    server: agentos::Server,
) -> Result<TokenSpec> {
    let mut fixed = Map::new();
    // Defaults first, so that extras and flags overwrite them.
    if let Some(sub) = settings.sub.clone().or_else(super::os_user) {
        fixed.insert("sub".into(), Value::from(sub));
    }
    if let Some(aud) = &settings.aud {
        fixed.insert("aud".into(), Value::from(aud.as_str()));
    }
    if let Some(iss) = &settings.iss {
        fixed.insert("iss".into(), Value::from(iss.as_str()));
    }
    let extras = extra_claims(a)?;
    let extras_have_exp = extras.contains_key("exp");
    // An iat from --claim/--claims is honoured (never one ahead of now: TokenSpec::build
    // refuses that, as AgentOS would answer 401), so mint must not overwrite it.
    let extras_have_iat = extras.contains_key("iat");
    if extras_have_iat && a.no_iat {
        return Err(
            Error::input("--no-iat and an iat claim contradict each other")
                .hint("drop --no-iat, or drop iat from --claim/--claims"),
        );
    }
    fixed.extend(extras);

    if let Some(sub) = &a.sub {
        if crate::redact::is_armoured_key(sub) {
            // `--sub "$PEM"`: the token would carry the key to everyone who sees it.
            return Err(Error::input(format!(
                "--sub holds a key ({}), not a user id",
                crate::redact::PLACEHOLDER
            ))
            .hint("give the user id the token is for, e.g. --sub alice"));
        }
        fixed.insert("sub".into(), Value::from(sub.as_str()));
    }
    match a.aud.as_slice() {
        [] => {}
        [one] => {
            fixed.insert("aud".into(), Value::from(one.as_str()));
        }
        many => {
            fixed.insert("aud".into(), Value::from(many.to_vec()));
        }
    }
    if let Some(iss) = &a.iss {
        fixed.insert("iss".into(), Value::from(iss.as_str()));
    }
    if let Some(sid) = &a.session_id {
        fixed.insert("session_id".into(), Value::from(sid.as_str()));
    }
    let mut scopes = agentos::split_scopes(&a.scopes);
    for preset in &a.preset {
        let expanded = match preset.strip_prefix("role:") {
            Some(role) => role_preset(role, roles)?,
            None => agentos::expand_preset(server.profile, preset)?,
        };
        for s in expanded {
            if !scopes.contains(&s) {
                scopes.push(s);
            }
        }
    }
    if !a.scopes.is_empty() && scopes.is_empty() && a.preset.is_empty() {
        // `--scopes "$SCOPES"` with the variable unset: never a silent scope-less token.
        return Err(Error::input(
            "--scopes is empty (an unset variable?): the token would carry no scopes, and AgentOS answers 403 to every protected route",
        )
        .hint("name the scopes, e.g. --scopes agents:read; for a token without scopes on purpose pass --no-scopes"));
    }
    if a.no_scopes {
        fixed.insert("scopes".into(), Value::Array(Vec::new()));
    } else if !a.scopes.is_empty() || !a.preset.is_empty() {
        fixed.insert("scopes".into(), Value::from(scopes));
    }
    let roles_claim = roles_claim_name(a, settings)?;
    let roles: Vec<String> = a
        .roles
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .fold(Vec::new(), |mut acc, r| {
            if !acc.contains(&r) {
                acc.push(r);
            }
            acc
        });
    if !a.roles.is_empty() {
        if roles.is_empty() {
            return Err(Error::input("--roles names no role")
                .hint("e.g. --roles runner or --roles viewer,runner"));
        }
        fixed.insert(roles_claim.clone(), roles_value(&roles_claim, roles));
    }

    let expiry = if a.no_exp {
        Expiry::Never
    } else if let Some(t) = &a.exp {
        Expiry::At(time::parse_time(t, time::now())?)
    } else if let Some(d) = &a.expires_in {
        Expiry::In(time::parse_duration(d).map_err(|e| e.context("--expires-in"))?)
    } else if extras_have_exp {
        Expiry::FromClaims
    } else if let Some(d) = &settings.expires_in {
        Expiry::In(time::parse_duration(d).map_err(|e| e.context("settings expires_in"))?)
    } else {
        Expiry::In(claims::DEFAULT_LIFETIME)
    };
    Ok(TokenSpec {
        claims: fixed,
        expiry,
        nbf: a.nbf.clone(),
        jti: a.jti.clone(),
        iat: !a.no_iat && !extras_have_iat,
        allow_unknown_scopes: a.allow_unknown_scopes,
        roles_claim: Some(roles_claim),
        server: std::sync::Arc::new(server),
    })
}

/// `--preset role:NAME`: the scopes a role of the roles file allows, for a server that
/// decides on token scopes (no managed roles, or `trust_token_scopes`).
fn role_preset(role: &str, roles: Option<&crate::agentos::roles::Policy>) -> Result<Vec<String>> {
    let Some(policy) = roles else {
        return Err(Error::input(format!("--preset role:{role} needs the server's roles"))
            .hint("store them with agentos-auth scopes --roles-file FILE --save, or set AGENTOS_AUTH_ROLES_FILE"));
    };
    let Some(eff) = policy.role_scopes(role) else {
        return Err(Error::input(format!("--preset role:{role}: no such role"))
            .hint(format!("roles: {}", policy.role_names().join(", "))));
    };
    if !eff.deny.is_empty() {
        return Err(Error::input(format!(
            "--preset role:{role}: the role denies {}, which token scopes cannot say",
            eff.deny.join(", ")
        ))
        .hint(format!(
            "mint --roles {role} for a server with managed roles, or list the scopes with --scopes"
        )));
    }
    Ok(eff.allow)
}

/// `--roles-claim` > `AGENTOS_AUTH_ROLES_CLAIM` > the store's `roles_claim` > "roles".
fn roles_claim_name(a: &MintArgs, settings: &Settings) -> Result<String> {
    let name = a
        .roles_claim
        .clone()
        .or_else(|| settings.roles_claim.clone())
        .unwrap_or_else(|| "roles".to_string());
    if name.is_empty() || name.trim() != name {
        return Err(
            Error::input(format!("--roles-claim {name:?} is not a claim name")).hint(
                "name the claim the server reads, e.g. --roles-claim roles or --roles-claim role",
            ),
        );
    }
    if claims::RESERVED_ROLE_CLAIMS.contains(&name.as_str()) {
        return Err(Error::input(format!(
            "--roles-claim {name:?} is a registered claim the token needs for itself"
        ))
        .hint("name the claim the server's Authorization(roles_claim=...) reads, e.g. roles"));
    }
    Ok(name)
}

/// One role under a singular `role` claim is a string (what WorkOS and Auth0 send);
/// otherwise a list. agno reads both.
fn roles_value(claim: &str, roles: Vec<String>) -> Value {
    match roles.as_slice() {
        [one] if claim == "role" => Value::from(one.as_str()),
        _ => Value::from(roles),
    }
}

fn extra_claims(a: &MintArgs) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    if let Some(spec) = &a.claims {
        let text = match spec.strip_prefix('@') {
            Some(path) => {
                let bytes = fsio::read_input(&PathBuf::from(path))?;
                std::str::from_utf8(&bytes)
                    .map(str::to_string)
                    .map_err(|_| Error::input(format!("{path}: not UTF-8 text")))?
            }
            None => spec.clone(),
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => out.extend(m),
            Ok(_) => {
                return Err(Error::input("--claims must be a JSON object")
                    .hint(r#"e.g. --claims '{"team":"ops"}' or --claims @claims.json"#))
            }
            Err(e) => {
                return Err(Error::input(format!("--claims is not valid JSON: {e}"))
                    .hint(r#"e.g. --claims '{"team":"ops"}' or --claims @claims.json"#))
            }
        }
    }
    for kv in &a.claim {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Error::input(format!("--claim {kv:?} is not KEY=VALUE"))
                .hint("e.g. --claim team=ops or --claim 'tier=3'"));
        };
        if k.is_empty() {
            return Err(Error::input(format!("--claim {kv:?} has an empty name"))
                .hint("e.g. --claim team=ops"));
        }
        let value = serde_json::from_str::<Value>(v).unwrap_or_else(|_| Value::from(v));
        out.insert(k.to_string(), value);
    }
    Ok(out)
}
