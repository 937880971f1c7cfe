//! `agentos-auth inspect`: a token decoded without verification.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::agentos::provider_shape::{provider_of, recognise, Provider, Reading};

use crate::cli::{GlobalArgs, InspectArgs};
use crate::error::{Error, Result};
use crate::fsio;
use crate::time;
use crate::token;

use super::printable;

pub fn run(_g: &GlobalArgs, a: &InspectArgs) -> Result<()> {
    let text = read_token(a.token.as_deref(), "agentos-auth inspect")?;
    if text.starts_with("agno_pat_") {
        return service_account(&text, a.json);
    }
    let decoded = token::decode(&text)?;
    let now = time::now();
    let times = time_claims(decoded.claims_object(), now);
    let scopes = decoded.claims.get("scopes").cloned();
    // An identity provider's shapes, read as AgentOS's own middleware reads.
    let empty = Map::new();
    let claims = decoded.claims_object().unwrap_or(&empty);
    let provider = provider_of(claims);
    let shapes = recognise(Some(&decoded.header), claims, &Reading::default());
    let named = (provider != Provider::GenericOidc).then_some(provider);
    if a.json {
        let out = json!({
            "header": decoded.header,
            "claims": decoded.claims,
            "times": times.iter().map(|t| (t.name.to_string(), json!({
                "unix": t.unix, "utc": time::rfc3339(t.unix), "local": time::local_time(t.unix),
                "relative": time::relative(t.unix, now),
            }))).collect::<Map<String, Value>>(),
            "scopes": scopes,
            "provider": named.map(Provider::name),
            "shapes": shapes,
        });
        super::print_line(&out)?;
        return Ok(());
    }
    let mut out = String::new();
    out.push_str("header:\n");
    for (k, v) in &decoded.header {
        let note = if k == "alg" && v.as_str().is_some_and(|a| a.eq_ignore_ascii_case("none")) {
            // PyJWT only accepts the one configured algorithm (RS256, ES256 or HS256).
            "  (an unsigned token: AgentOS rejects it with 401 \"The specified alg value is not allowed\")"
        } else {
            ""
        };
        out.push_str(&format!("  {}: {}{note}\n", printable(k), show(v)));
    }
    out.push_str("claims:\n");
    match decoded.claims_object() {
        Some(c) => {
            for (k, v) in c {
                if k == "scopes" {
                    continue;
                }
                let extra = times
                    .iter()
                    .find(|t| t.name == k)
                    .map(|t| {
                        format!(
                            "  ({} UTC, {} local, {})",
                            time::rfc3339(t.unix),
                            time::local_time(t.unix),
                            t.phrase(now)
                        )
                    })
                    .unwrap_or_default();
                out.push_str(&format!("  {}: {}{extra}\n", printable(k), show(v)));
            }
        }
        None => out.push_str(&format!(
            "  (not a JSON object: {}; AgentOS rejects this token)\n",
            printable(&decoded.claims.to_string())
        )),
    }
    match &scopes {
        Some(Value::Array(list)) if list.is_empty() => out.push_str("scopes: (empty list)\n"),
        Some(Value::Array(list)) => {
            out.push_str("scopes:\n");
            for s in list {
                out.push_str(&format!("  {}\n", show(s)));
            }
        }
        Some(Value::String(s)) => out.push_str(&format!(
            "scopes: \"{}\" (a string: AgentOS reads it as ONE scope, not a list)\n",
            printable(s)
        )),
        Some(other) => out.push_str(&format!(
            "scopes: {} (not a list: AgentOS grants nothing)\n",
            printable(&other.to_string())
        )),
        None if decoded.claims.is_object() => {
            out.push_str("scopes: (none: AgentOS answers 403 to every protected route)\n")
        }
        None => {}
    }
    if let Some(p) = named {
        out.push_str(&format!("provider: {} ({})\n", p.name(), p.doc_page()));
    }
    if !shapes.is_empty() {
        out.push_str("shapes:\n");
        for f in &shapes {
            out.push_str(&format!(
                "  {}: {}\n",
                printable(&f.claim),
                printable(&f.sentence())
            ));
        }
    }
    out.push_str("signature: not verified (use agentos-auth verify)\n");
    super::print_text(&out)?;
    Ok(())
}

struct TimeClaim {
    name: &'static str,
    unix: i64,
}

impl TimeClaim {
    /// "expires in 42m", "expired 3h ago", "issued 5m ago", "valid from ...".
    fn phrase(&self, now: i64) -> String {
        let rel = time::relative(self.unix, now);
        match self.name {
            "exp" if self.unix > now => format!("expires {rel}"),
            "exp" => format!("expired {rel}"),
            "iat" if self.unix > now => format!("issued {rel}: in the future"),
            "iat" => format!("issued {rel}"),
            _ if self.unix > now => format!("not valid until {rel}"),
            _ => format!("valid since {rel}"),
        }
    }
}

fn time_claims(c: Option<&Map<String, Value>>, _now: i64) -> Vec<TimeClaim> {
    let Some(c) = c else { return Vec::new() };
    ["iat", "nbf", "exp"]
        .into_iter()
        .filter_map(|name| {
            let v = c.get(name)?;
            let unix = v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))?;
            Some(TimeClaim { name, unix })
        })
        .collect()
}

/// Strings bare, everything else as JSON; terminal controls escaped either way
/// (a token is untrusted input: `sub: alice\u{1b}[2J` must not clear the screen).
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => printable(s).into_owned(),
        other => printable(&other.to_string()).into_owned(),
    }
}

/// An AgentOS service-account token: opaque, so there is nothing to decode; never
/// printed back whole.
fn service_account(token: &str, json: bool) -> Result<()> {
    let shown = crate::agentos::verdict::redact_pat(token);
    let what = "an AgentOS service-account token (opaque, not a JWT): AgentOS looks it up in its own database (principal sa:<name>, the account's own scopes, never roles), so only the server can say what it grants";
    if json {
        return super::print_line(
            json!({"kind": "service_account", "token": shown, "about": what}),
        );
    }
    super::print_line(format!(
        "{shown}: {what}; ask it with agentos-auth verify --url URL"
    ))
}

/// The token from the argument, or stdin for `-` / no argument; trimmed, one line.
/// `command` is how the reading command takes a piped token, for the hint
/// ("agentos-auth verify --key pub.pem").
pub fn read_token(arg: Option<&str>, command: &str) -> Result<String> {
    let text = match arg {
        Some(t) if t != "-" => t.to_string(),
        _ => {
            let bytes = fsio::read_input(Path::new("-"))?;
            std::str::from_utf8(&bytes)
                .map(str::to_string)
                .map_err(|_| {
                    Error::input("the token on stdin is not text").hint("pass the token itself")
                })?
        }
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::input("no token given").hint(format!(
            "pass the token as an argument, or pipe it: agentos-auth mint ... | {command}"
        )));
    }
    // AgentOS strips "Bearer " case-insensitively.
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim(),
        _ => t,
    };
    Ok(t.to_string())
}
