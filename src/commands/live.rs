//! `--url` for `verify` and `doctor`: ask the running AgentOS, print its real answer
//! next to the prediction, and exit with the code of the real answer.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use super::Ui;
use crate::agentos::deployment::parse_openapi;
use crate::agentos::{self};
use crate::agentos::{Config, Request, Verdict};
use crate::cli::{GlobalArgs, ServerArgs};
use crate::error::{Error, Kind, Result};
use crate::keys::Alg;
use crate::live::{self, Answer, Client, Comparison, Facts, Info, Outcome};

/// The server and what it says about itself.
pub struct Connected {
    pub server: Client,
    pub info: Info,
    /// Its `GET /openapi.json` (the routes it mounts), when it publishes one.
    pub openapi: Option<String>,
    /// It publishes an MCP Server Card (`GET /mcp/server-card`, agno 3.0.9 on): it runs
    /// AgentOS's MCP server.
    pub mcp_card: bool,
}

/// `GET /info` and `GET /openapi.json`, under the mount prefix when AgentOS is mounted
/// in a larger app (the request itself is sent at its whole path).
pub fn connect(
    url: &str,
    mount_prefix: Option<&str>,
    timeout: Duration,
    token: Option<&str>,
) -> Result<Connected> {
    let server = Client::new(url, timeout)?.under(mount_prefix.unwrap_or_default());
    let info = server.info(token)?;
    let openapi = server.openapi()?;
    let mcp_card = server.serves_mcp_card();
    Ok(Connected {
        server,
        info,
        openapi,
        mcp_card,
    })
}

/// The AgentOS model for a live server: the release its `/info` reports (unless
/// `--agno` says otherwise) and the routes its OpenAPI document lists (unless
/// `--routes` is given); `--scope-mappings` and `--no-authorization` as given.
pub fn server_model(
    g: &GlobalArgs,
    a: &ServerArgs,
    c: &Connected,
    ui: &Ui,
) -> Result<agentos::Server> {
    let mut args = a.clone();
    if args.agentos.agno.is_none() {
        args.agentos.agno = c.info.agno_version.clone();
    }
    if c.mcp_card && !args.mcp {
        ui.note(format!(
            "note: {}/mcp/server-card is an MCP Server Card: modelling the server's MCP server (as --mcp)",
            c.server.url()
        ));
        args.mcp = true;
    }
    let served = match (&a.routes, &c.openapi) {
        (None, Some(doc)) => {
            let label = format!("{}/openapi.json", c.server.url());
            Some(parse_openapi(doc, &label)?)
        }
        _ => None,
    };
    super::deployment_flags::server_with(g, &args, served, ui)
}

/// Only GET is sent unasked: any other method really runs (or deletes, or changes)
/// something on the server once the token is let through.
pub fn check_method(r: &Request, send: bool) -> Result<()> {
    if r.method == "GET" || r.method == "HEAD" || send {
        return Ok(());
    }
    Err(Error::input(format!(
        "--url would really send {} {} to the server: once let through, it runs or changes things there",
        r.method, r.path
    ))
    .hint("add --send to send it, or drop --url for the prediction alone"))
}

/// What the prediction knew, for naming the cause of a difference.
pub fn facts(token: &str, cfg: Option<&Config>, model: &agentos::Server) -> Facts {
    let kid = header_kid(token);
    let jwks = cfg.and_then(|c| c.jwks.as_ref());
    let jwks_has_kid = match (&kid, jwks) {
        (Some(k), Some(j)) => j
            .keys
            .iter()
            .any(|key| key.raw.get("kid").and_then(Value::as_str) == Some(k.as_str())),
        _ => false,
    };
    Facts {
        kid,
        alg: cfg.map(|c| c.alg),
        jwks_label: jwks.map(|j| j.label.clone()),
        jwks_has_kid,
        audience_checked: cfg.is_some_and(|c| c.audience.is_some()),
        modelled_version: model.profile.version.to_string(),
        scope_mappings: false,
        mcp_modelled: model.mcp,
        request_path: String::new(),
    }
}

/// The token header's `kid`, read without judging the rest of the token.
fn header_kid(token: &str) -> Option<String> {
    header(token)?
        .get("kid")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The token's header as JSON, read without judging the rest of the token.
fn header(token: &str) -> Option<Value> {
    let head = token.trim().split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(head.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The server's answer to the request, next to the prediction.
pub struct Asked<'a> {
    c: &'a Connected,
    answer: Answer,
    cmp: Comparison,
    what: String,
    predicted: Option<&'a Verdict>,
    modelled: String,
}

/// Sends the request with the token: the server's real answer.
pub fn send(c: &Connected, request: &Request, token: Option<&str>) -> Result<Answer> {
    // The body travels too: the handlers that check it (`/eval-runs`, `/schedules`)
    // answer 422 without one, which would hide the gate being asked about.
    let body = request.body.as_ref().map(Value::to_string);
    c.server
        .send(&request.method, &request.path, token, body.as_deref())
}

/// The algorithm the server's answer proves it is set to: it verified the token (let
/// it through, or refused only its scopes) on a route that reads a token (`cfg` asks
/// for one there), and `jwt.decode(token, key, algorithms=[algorithm])` accepts no
/// other `alg` (agno `JWTValidator.validate_token`).
pub fn verified_alg(token: &str, answer: &Answer, cfg: &Config, request: &Request) -> Option<Alg> {
    let verified = matches!(
        Outcome::of_answer(answer),
        Outcome::Through | Outcome::Forbidden
    );
    if !verified || agentos::verify("", cfg, Some(request)).status != 401 {
        return None;
    }
    let header = header(token)?;
    let alg = header.get("alg").and_then(Value::as_str)?;
    // Exactly as written: PyJWT compares the header's alg with the allowed list as is.
    alg.parse::<Alg>().ok().filter(|a| a.as_str() == alg)
}

/// Compares the server's answer to the request with the prediction.
pub fn compared<'a>(
    c: &'a Connected,
    request: &Request,
    answer: Answer,
    predicted: Option<&'a Verdict>,
    facts: &Facts,
) -> Asked<'a> {
    let facts = Facts {
        request_path: request.path.clone(),
        ..facts.clone()
    };
    let cmp = live::compare(predicted, &answer, &c.info, &facts);
    Asked {
        c,
        answer,
        cmp,
        what: format!("{} {}", request.method, request.path),
        predicted,
        modelled: facts.modelled_version.clone(),
    }
}

/// Compares, prints (text or `--json`), and turns the server's answer into the result.
pub fn finish(ui: &Ui, asked: &Asked<'_>, json: bool) -> Result<()> {
    if json {
        super::print_line(asked.json())?;
    } else {
        asked.print(ui)?;
    }
    asked.result(ui, json)
}

impl Asked<'_> {
    /// Two lines on stdout: the server's answer, then the prediction.
    pub fn print(&self, ui: &Ui) -> Result<()> {
        super::print_line(server_line(self.c, &self.answer, &self.what))?;
        match self.predicted {
            Some(v) => super::print_line(format!(
                "predicted: {} {}",
                v.status,
                match &v.detail {
                    Some(d) => format!("{d:?}: {}", v.reason),
                    None => v.reason.clone(),
                }
            ))?,
            None => super::print_line(
                "predicted: - (no key given: pass --key FILE or --jwks FILE to compare)",
            )?,
        }
        // As offline: the warnings of a let-through, by default.
        if Outcome::of_answer(&self.answer) == Outcome::Through {
            for w in self.predicted.iter().flat_map(|v| &v.warnings) {
                ui.warn(w);
            }
        }
        if ui.verbose {
            if let Some(v) = self.predicted {
                for n in v.notes.iter().chain(&v.context) {
                    ui.note(format!("note: {n}"));
                }
            }
        }
        Ok(())
    }

    pub fn json(&self) -> Value {
        live_json(
            self.c,
            &self.answer,
            self.predicted,
            &self.cmp,
            &self.what,
            &self.modelled,
        )
    }

    /// Exit code of the server's real answer; one line on stderr for a rejection or
    /// a difference.
    pub fn result(&self, ui: &Ui, json: bool) -> Result<()> {
        result(ui, &self.answer, self.predicted, &self.cmp, json)
    }
}

fn server_line(c: &Connected, a: &Answer, what: &str) -> String {
    let detail = a
        .detail
        .as_ref()
        .map(|d| format!(" {d:?}"))
        .unwrap_or_default();
    let about = [
        c.info.agno_version.as_ref().map(|v| format!("agno {v}")),
        c.info.os_id.as_ref().map(|v| format!("os_id {v}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(", {}", about.join(", "))
    };
    format!(
        "server:    {}{detail} ({what} on {}{about})",
        a.status,
        c.server.url()
    )
}

fn live_json(
    c: &Connected,
    a: &Answer,
    predicted: Option<&Verdict>,
    cmp: &Comparison,
    what: &str,
    modelled: &str,
) -> Value {
    let reason = match (&cmp.cause, predicted) {
        (Some(cause), _) => cause.clone(),
        (None, Some(v)) => v.reason.clone(),
        (None, None) => format!("the server answered {what}"),
    };
    let fix = cmp
        .fix
        .clone()
        .or_else(|| predicted.and_then(|v| v.fix.clone()));
    json!({
        "status": a.status,
        "reason": reason,
        "detail": a.detail,
        "fix": if Outcome::of_answer(a) == Outcome::Through && cmp.agree { None } else { fix },
        "agree": cmp.agree,
        "server": {
            "url": c.server.url(),
            "request": what,
            "status": a.status,
            "detail": a.detail,
            "agno_version": c.info.agno_version,
            "os_id": c.info.os_id,
            "auth_mode": c.info.auth_mode,
        },
        "predicted": predicted,
        "modelled_agno": modelled,
    })
}

fn result(
    ui: &Ui,
    a: &Answer,
    predicted: Option<&Verdict>,
    cmp: &Comparison,
    json: bool,
) -> Result<()> {
    let kind = match Outcome::of_answer(a) {
        Outcome::Through => {
            if !cmp.agree && !json {
                if let (Some(cause), Some(fix)) = (&cmp.cause, &cmp.fix) {
                    ui.warn(format!(
                        "the server lets it through, unlike the prediction: {cause} ({fix})"
                    ));
                }
            }
            return Ok(());
        }
        Outcome::Unauthorized => Kind::Unauthorized,
        Outcome::Forbidden => Kind::Forbidden,
        Outcome::NoRoute => Kind::NotFound,
        Outcome::Failed => Kind::Input,
    };
    let detail = a.detail.clone().unwrap_or_default();
    let e = match (&cmp.cause, predicted) {
        (Some(cause), Some(v)) if !cmp.agree => Error::new(
            kind,
            format!(
                "the server answers {} {detail:?}, not the predicted {}: {cause}",
                a.status, v.status
            ),
        ),
        (Some(cause), _) => Error::new(
            kind,
            format!("the server answers {} {detail:?}: {cause}", a.status),
        ),
        (None, Some(v)) => Error::new(
            kind,
            format!("the server answers {} {detail:?}: {}", a.status, v.reason),
        ),
        (None, None) => Error::new(kind, format!("the server answers {} {detail:?}", a.status)),
    };
    let fix = cmp
        .fix
        .clone()
        .or_else(|| predicted.and_then(|v| v.fix.clone()));
    Err(match fix {
        Some(f) => e.hint(f),
        None => e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kid_is_read_from_the_header_alone() {
        // {"alg":"RS256","kid":"k1"} . garbage . garbage
        let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k1"}"#);
        assert_eq!(header_kid(&format!("{head}.%%%.x")).as_deref(), Some("k1"));
        assert_eq!(header_kid("not-a-token"), None);
    }

    #[test]
    fn only_a_verified_token_on_a_guarded_route_settles_the_alg() {
        let cfg = Config {
            alg: Alg::RS256,
            static_keys: Vec::new(),
            jwks: None,
            audience: None,
            issuer: None,
            now: 0.0,
            roles: None,
            server: agentos::Server::new(agentos::LATEST),
        };
        let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","typ":"JWT"}"#);
        let token = format!("{head}.e30.x");
        let answer = |status: u16, detail: Option<&str>| Answer {
            status,
            detail: detail.map(str::to_string),
        };
        let agents = Request::parse("GET /agents").unwrap();
        let ok = answer(200, None);
        assert_eq!(verified_alg(&token, &ok, &cfg, &agents), Some(Alg::ES256));
        let scopes = answer(403, Some("Insufficient permissions"));
        assert_eq!(
            verified_alg(&token, &scopes, &cfg, &agents),
            Some(Alg::ES256)
        );
        let refused = answer(401, Some("Invalid token"));
        assert_eq!(verified_alg(&token, &refused, &cfg, &agents), None);
        // A public route answers without reading the token: it proves nothing.
        let health = Request::parse("GET /health").unwrap();
        assert_eq!(verified_alg(&token, &ok, &cfg, &health), None);
        // PyJWT compares the alg as written: "es256" is no algorithm it allows.
        let lower = format!("{}.e30.x", URL_SAFE_NO_PAD.encode(br#"{"alg":"es256"}"#));
        assert_eq!(verified_alg(&lower, &ok, &cfg, &agents), None);
    }

    #[test]
    fn only_get_is_sent_unasked() {
        let post = Request::parse("POST /agents/a/runs").unwrap();
        let e = check_method(&post, false).unwrap_err();
        assert!(e.to_string().contains("--send"), "{e}");
        assert!(check_method(&post, true).is_ok());
        assert!(check_method(&Request::parse("get /agents").unwrap(), false).is_ok());
    }
}
