//! `agentos-auth doctor`: the environment AgentOS reads, checked the way AgentOS will
//! use it, each finding with its fix; with `--token`, the verify verdict under it.

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::env_file::AgentosEnv;
use super::inspect::read_token;
use super::verify::{audience_meant, precise_now, report, server_alg, verdict_result, AlgFrom};
use super::Ui;
use crate::agentos::profiles;
use crate::agentos::{self, Config, JwksSource, Request, StaticKey};
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::error::{Error, Result};
use crate::fsio;
use crate::jwk_set;
use crate::keys::{Alg, Key, ParseOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    /// Breaks authentication.
    Error,
    /// Works, but is a trap or a risk.
    Warning,
    Ok,
    Info,
}

#[derive(Debug, Serialize)]
struct Finding {
    level: Level,
    /// The variable (or file) the finding is about.
    subject: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

struct Report {
    findings: Vec<Finding>,
}

impl Report {
    fn add(&mut self, level: Level, subject: &str, message: impl Into<String>, fix: Option<&str>) {
        self.findings.push(Finding {
            level,
            subject: subject.to_string(),
            message: message.into(),
            fix: fix.map(str::to_string),
        });
    }
}

/// The variables doctor reads, as AgentOS does.
const AGENTOS_VARS: [&str; 4] = [
    "JWT_VERIFICATION_KEY",
    "JWT_JWKS_FILE",
    "JWT_JWKS",
    "OS_SECURITY_KEY",
];

pub fn run(g: &GlobalArgs, a: &DoctorArgs) -> Result<()> {
    if let Some(issuer) = &a.issuer {
        return super::doctor_issuer::run(g, a, issuer);
    }
    let ui = Ui::new(g);
    let agentos_env = AgentosEnv::load(a.env_file.as_deref())?;
    let (mut alg, alg_from) = match a.alg {
        Some(alg) => (alg, AlgFrom::Flag),
        None => server_alg(g, &[], false, &agentos_env),
    };
    let mut r = Report {
        findings: Vec::new(),
    };
    let env = |name: &str| agentos_env.var(name);
    for remark in agentos_env.remarks(&AGENTOS_VARS) {
        r.add(Level::Warning, "--env-file", remark, None);
    }
    let token = a
        .token
        .as_deref()
        .map(|t| read_token(Some(t), "agentos-auth doctor --token -"))
        .transpose()?;
    let request = match (&a.request, &a.url, &token) {
        (Some(r), _, _) => Some(Request::parse(r)?),
        (None, Some(_), Some(_)) => Some(Request::parse("GET /agents")?),
        _ => None,
    };
    if let (Some(r), Some(_)) = (&request, &a.url) {
        super::live::check_method(r, a.send)?;
    }
    let connected = a
        .url
        .as_deref()
        .map(|url| {
            super::live::connect(
                url,
                a.server.mount_prefix.as_deref(),
                a.timeout,
                token.as_deref(),
            )
        })
        .transpose()?;
    let server = match &connected {
        Some(c) => super::live::server_model(g, &a.server, c, &ui)?,
        None => super::deployment_flags::server(g, &a.server, &ui)?,
    };

    super::deployment_flags::check_middleware(&server, a.roles_file.is_some(), a.url.is_some())?;
    // A JWTMiddleware added by hand: the key store's roles are not the server's.
    let loaded_roles = if server.middleware.is_manual() {
        Ok(None)
    } else {
        super::load_roles(g, a.roles_file.as_deref())
    };
    let roles = loaded_roles
        .as_ref()
        .ok()
        .and_then(|l| l.as_ref().map(|l| l.policy.clone()));
    // The server's answer first: a server that verified the token settles which
    // algorithm it is set to (unless --alg says which one to check).
    let answer = match (&connected, &token, &request) {
        (Some(c), Some(t), Some(req)) => Some(super::live::send(c, req, Some(t))?),
        _ => None,
    };
    if let (Some(c), Some(ans), Some(t), Some(req)) = (&connected, &answer, &token, &request) {
        let probe = Config {
            alg,
            static_keys: Vec::new(),
            jwks: None,
            audience: None,
            issuer: None,
            now: precise_now(),
            roles: roles.clone(),
            server: server.clone(),
        };
        let verified = super::live::verified_alg(t, ans, &probe, req);
        if let Some(h) = verified.filter(|_| alg_from != AlgFrom::Flag) {
            let was = if h == alg {
                String::new()
            } else {
                format!(" (not {alg}, the {})", alg_from.describe())
            };
            r.add(
                Level::Ok,
                "algorithm",
                format!(
                    "{} verified the token, signed {h}, on {} {}: AgentOS there is set to {h}{was}; checking {h}",
                    c.server.url(),
                    req.method,
                    req.path
                ),
                None,
            );
            alg = h;
        }
    }

    let static_key = env("JWT_VERIFICATION_KEY").map(|text| StaticKey {
        label: "JWT_VERIFICATION_KEY".into(),
        text,
    });
    match &static_key {
        Some(k) => check_static(&mut r, k, alg),
        None => r.add(Level::Info, "JWT_VERIFICATION_KEY", "not set", None),
    }
    let jwks = match env("JWT_JWKS_FILE") {
        Some(p) => check_jwks_file(&mut r, &p, alg),
        None => {
            r.add(Level::Info, "JWT_JWKS_FILE", "not set", None);
            None
        }
    };
    let usable_jwks = jwks.as_ref().is_some_and(|j| {
        j.keys.iter().any(|k| {
            k.jwk
                .as_ref()
                .is_some_and(|j| agentos::agno_jwk_key(j).is_ok())
        })
    });
    let has_jwt = static_key.is_some() || usable_jwks;

    if env("JWT_JWKS").is_some() {
        // No modelled release reads it (its source never names JWT_JWKS).
        let agno = format!("agno ({})", profiles::modelled_range());
        let (level, msg) = if has_jwt {
            (
                Level::Warning,
                format!("set, but {agno} does not read it (the JWKS in it is ignored)"),
            )
        } else {
            (Level::Error, format!("set, but {agno} does not read it: with no other key AgentOS(authorization=True) refuses to start"))
        };
        r.add(
            level,
            "JWT_JWKS",
            msg,
            Some("write the JWKS to a file and set JWT_JWKS_FILE=PATH (agentos-auth export --format jwks > jwks.json)"),
        );
    }
    if !has_jwt && jwks.is_none() {
        r.add(
            Level::Error,
            "JWT",
            "no verification key: AgentOS(authorization=True) refuses to start (requires a JWT verification key)",
            Some("set JWT_VERIFICATION_KEY (eval \"$(agentos-auth export --format env)\") or JWT_JWKS_FILE"),
        );
    }
    if env("OS_SECURITY_KEY").is_some() {
        if has_jwt {
            r.add(
                Level::Warning,
                "OS_SECURITY_KEY",
                "set together with JWT authorization: a request that sends the security key as its bearer gets 401 \"Invalid token: Not enough segments\"; only JWTs work",
                Some("unset OS_SECURITY_KEY and give every client a JWT (agentos-auth mint)"),
            );
        } else {
            r.add(
                Level::Info,
                "OS_SECURITY_KEY",
                "set: without a JWT key AgentOS uses the older shared-secret scheme (no scopes)",
                None,
            );
        }
    }
    if alg != Alg::RS256 {
        r.add(
            Level::Info,
            "algorithm",
            format!("{alg}{}: no env var sets the algorithm; the AgentOS code must say AgentOS(authorization=Authorization(algorithm=\"{alg}\")) (from agno.os.authz), otherwise it verifies RS256 only", match alg_from {
                AlgFrom::Store => " (the key store's alg, as keygen set it; --alg to check another)",
                _ => "",
            }),
            None,
        );
    }
    if alg != Alg::HS256 && has_jwt {
        r.add(
            Level::Info,
            "cryptography",
            format!("{alg} needs the Python package cryptography on the server (pip install cryptography); without it every token gets 401 \"Invalid token: Algorithm not supported\""),
            None,
        );
    }

    match &loaded_roles {
        Ok(Some(loaded)) => {
            for m in loaded.policy.remarks() {
                let level = if m.warning {
                    Level::Warning
                } else {
                    Level::Info
                };
                r.add(level, &loaded.label, m.message, m.fix.as_deref());
            }
        }
        Ok(None) => {}
        Err(e) => r.add(Level::Error, "roles file", &e.msg, e.hint.as_deref()),
    }

    if let Some(c) = &connected {
        check_server(&mut r, c, &server, a.os_id.as_deref(), has_jwt);
    }

    let verdict = match &token {
        Some(t) if has_jwt => {
            let mut cfg = Config {
                alg,
                static_keys: static_key.iter().cloned().collect(),
                jwks,
                audience: a.os_id.clone().map(|id| vec![id]),
                issuer: None,
                now: precise_now(),
                roles,
                server: server.clone(),
            };
            let mut v = agentos::verify(t, &cfg, request.as_ref());
            // --os-id makes the audience checked; without it, the server's os_id or
            // the key store's aud says which audience the token should carry.
            let os_id = connected.as_ref().and_then(|c| c.info.os_id.as_deref());
            if let Some((aud, whose)) = a
                .os_id
                .is_none()
                .then(|| audience_meant(g, os_id))
                .flatten()
            {
                agentos::warn_unchecked_audience(
                    &mut v,
                    t,
                    &mut cfg,
                    request.as_ref(),
                    (&aud, whose),
                );
            }
            // The findings above already say what cryptography is for: once is enough.
            if alg != Alg::HS256 {
                v.context.retain(|n| !n.contains("cryptography"));
            }
            Some((v, cfg))
        }
        _ => None,
    };
    let asked = match (&connected, &token, &request, answer) {
        (Some(c), Some(t), Some(req), Some(answer)) => {
            let facts = super::live::facts(t, verdict.as_ref().map(|(_, cfg)| cfg), &server);
            Some(super::live::compared(
                c,
                req,
                answer,
                verdict.as_ref().map(|(v, _)| v),
                &facts,
            ))
        }
        _ => None,
    };
    let verdict = verdict.as_ref().map(|(v, _)| v);
    let broken = r
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();

    if a.json {
        let mut out = json!({
            "ok": broken == 0 && verdict.as_ref().is_none_or(|v| v.exit_code() == 0),
            "findings": r.findings,
            "verdict": verdict,
        });
        if let Some(asked) = &asked {
            let live = asked.json();
            out["ok"] = json!(broken == 0 && live["status"].as_u64().is_some_and(|s| s < 400));
            out["server"] = live;
        }
        super::print_line(&out)?;
    } else {
        for f in &r.findings {
            let fix = f
                .fix
                .as_ref()
                .map(|x| format!(" Fix: {x}"))
                .unwrap_or_default();
            super::print_line(format!(
                "{:<8}{}: {}.{fix}",
                format!("{:?}", f.level).to_lowercase(),
                f.subject,
                f.message.trim_end_matches('.')
            ))?;
        }
    }
    if let Some(asked) = &asked {
        if !a.json {
            asked.print(&ui)?;
        }
        asked.result(&ui, a.json)?;
    } else if let Some(v) = verdict {
        if a.json {
            verdict_result(v)?;
        } else {
            report(&ui, v, false)?;
        }
    } else if token.is_some() {
        ui.note("token not verified: AgentOS would not start with this environment");
    }
    if broken > 0 {
        return Err(
            Error::input(format!("{broken} finding(s) break AgentOS authentication"))
                .hint("apply the fixes above, then run agentos-auth doctor again"),
        );
    }
    Ok(())
}

fn check_static(r: &mut Report, k: &StaticKey, alg: Alg) {
    let subject = k.label.as_str();
    if let Some((detail, why, fix)) = agentos::static_key_problem(k, alg) {
        if alg != Alg::HS256 && looks_like_secret(&k.text) {
            r.add(
                Level::Error,
                subject,
                format!(
                    "looks like an HS256 secret ({} bytes, not a PEM public key), but doctor checks {alg} (--alg); as {alg} every token gets 401 \"{detail}\"",
                    k.text.len()
                ),
                Some(&format!(
                    "if the AgentOS code sets Authorization(algorithm=\"HS256\"), run agentos-auth doctor --alg HS256; for {alg}, set JWT_VERIFICATION_KEY to the public key PEM: eval \"$(agentos-auth export --format env)\""
                )),
            );
            return;
        }
        let why = why.strip_prefix(&format!("{subject} ")).unwrap_or(&why);
        r.add(
            Level::Error,
            subject,
            format!("{why}; every token gets 401 \"{detail}\""),
            Some(&fix),
        );
        return;
    }
    if alg == Alg::HS256 {
        let len = k.text.len();
        if len < 32 {
            r.add(
                Level::Warning,
                subject,
                format!(
                    "the HS256 secret is {len} bytes; PyJWT warns below 32 and it is guessable"
                ),
                Some("make a 32-byte random secret: agentos-auth keygen --alg HS256"),
            );
        }
        if k.text.trim() != k.text {
            r.add(
                Level::Warning,
                subject,
                "the HS256 secret starts or ends with whitespace (a newline?); AgentOS uses it byte for byte",
                Some("remove it, or make sure tokens are signed with exactly these bytes"),
            );
        }
        r.add(
            Level::Ok,
            subject,
            format!("HS256 secret ({len} bytes)"),
            None,
        );
        return;
    }
    let key = Key::parse(
        k.text.as_bytes(),
        &ParseOptions {
            source: subject,
            alg: None,
        },
    );
    match key {
        Ok(key) if key.is_private() => r.add(
            Level::Warning,
            subject,
            format!("{} (AgentOS verifies with its public half, but a private key does not belong on the server)", key.description()),
            Some("set the public key: eval \"$(agentos-auth export --key PRIVATE_KEY --format env)\""),
        ),
        Ok(key) => r.add(Level::Ok, subject, format!("{} for {alg}", key.description()), None),
        Err(_) => r.add(Level::Ok, subject, format!("a key AgentOS reads for {alg}"), None),
    }
}

/// Not a PEM, an SSH key or a JSON document: what an HS256 secret looks like.
fn looks_like_secret(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains("-----BEGIN") && !t.starts_with("ssh-") && !t.starts_with('{')
}

/// What the running server says about itself, against the environment checked here.
fn check_server(
    r: &mut Report,
    c: &super::live::Connected,
    model: &crate::agentos::Server,
    os_id: Option<&str>,
    has_jwt: bool,
) {
    let url = c.server.url().to_string();
    let info = &c.info;
    let mut about = Vec::new();
    if let Some(v) = &info.agno_version {
        about.push(format!("agno {v}"));
    }
    if let Some(v) = &info.os_id {
        about.push(format!("os_id {v}"));
    }
    if let Some(v) = &info.auth_mode {
        about.push(format!("auth_mode {v}"));
    }
    if info.guarded && info.agno_version.is_none() {
        about.push(
            "its GET /info needs a token (agno before 2.5.13): pass --token to read it".into(),
        );
    }
    r.add(Level::Info, &url, about.join(", "), None);
    match info.auth_mode.as_deref() {
        Some("none") => r.add(
            Level::Error,
            &url,
            "the server runs without authentication (auth_mode none): it reads no token, every request passes",
            Some("start AgentOS with authorization=True and a verification key (JWT_VERIFICATION_KEY or JWT_JWKS_FILE) in its environment"),
        ),
        Some("security_key") => r.add(
            Level::Error,
            &url,
            "the server checks OS_SECURITY_KEY, not JWTs (auth_mode security_key): tokens from agentos-auth get 401",
            Some("start AgentOS with authorization=True and JWT_VERIFICATION_KEY or JWT_JWKS_FILE"),
        ),
        Some("jwt") if !has_jwt => r.add(
            Level::Warning,
            &url,
            "the server checks JWTs, but this environment has no key to check them with: the findings above are not the server's",
            Some("run doctor in the server's environment (same JWT_VERIFICATION_KEY / JWT_JWKS_FILE)"),
        ),
        _ => {}
    }
    if let (Some(want), Some(have)) = (os_id, info.os_id.as_deref()) {
        if want != have {
            r.add(
                Level::Warning,
                &url,
                format!("the server's os_id is {have:?}, not --os-id {want:?}: with verify_audience=True tokens minted for {want:?} get 401"),
                Some(&format!("use --os-id {have} and mint with --aud {have} (or mint --url {url})")),
            );
        }
    }
    if let Some(v) = info.agno_version.as_deref() {
        if v != model.profile.version {
            r.add(
                Level::Info,
                &url,
                format!(
                    "the server runs agno {v}; modelled by the agno {} profile ({} on)",
                    model.profile.version, model.profile.since
                ),
                None,
            );
        }
    }
}

fn check_jwks_file(r: &mut Report, path: &str, alg: Alg) -> Option<JwksSource> {
    let subject = "JWT_JWKS_FILE";
    let bytes = match fsio::read_file(Path::new(path)) {
        Ok(b) => b,
        Err(e) => {
            r.add(
                Level::Error,
                subject,
                format!("{}; AgentOS refuses to start (JWKS file not found)", e.msg),
                Some("point JWT_JWKS_FILE at the JWKS file (agentos-auth export --format jwks > jwks.json)"),
            );
            return None;
        }
    };
    let keys = match jwk_set::inspect_jwks(&bytes, path) {
        Ok(k) => k,
        Err(e) => {
            r.add(
                Level::Error,
                subject,
                format!("{}; AgentOS refuses to start", e.msg),
                e.hint.as_deref(),
            );
            return None;
        }
    };
    let mut usable = 0;
    let with_kid = keys
        .iter()
        .filter(|k| {
            k.raw
                .get("kid")
                .and_then(|v| v.as_str())
                .is_some_and(|s| !s.is_empty())
        })
        .count();
    for k in &keys {
        let label = format!("{path}: {}", k.label());
        let kid = k
            .raw
            .get("kid")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty());
        let loaded = match &k.jwk {
            Some(j) => agentos::agno_jwk_key(j),
            None => Err(k
                .verdict
                .as_ref()
                .err()
                .cloned()
                .unwrap_or_else(|| Error::input("not a JWK"))),
        };
        let key = match loaded {
            Ok(key) => key,
            Err(e) => {
                r.add(
                    Level::Warning,
                    &label,
                    format!("AgentOS skips this key: {}", e.msg),
                    e.hint.as_deref(),
                );
                continue;
            }
        };
        usable += 1;
        if key.is_private() && key.alg() == Alg::RS256 {
            r.add(
                Level::Error,
                &label,
                "holds a PRIVATE RSA key: AgentOS loads it, but every token it selects gets 401 \"Error decoding token: ... object has no attribute 'verify'\"",
                Some("publish only the public key: agentos-auth export --key KEY --format jwks"),
            );
            continue;
        }
        let later = kid.and_then(|kid| {
            keys.iter()
                .filter(|o| o.number > k.number)
                .find(|o| o.raw.get("kid").and_then(|v| v.as_str()) == Some(kid))
        });
        if let Some(o) = later {
            r.add(
                Level::Warning,
                &label,
                format!(
                    "key #{} has the same kid; AgentOS keeps only the last one",
                    o.number
                ),
                Some("give every key its own kid"),
            );
        } else if key.is_private() && key.alg() != Alg::HS256 {
            r.add(
                Level::Warning,
                &label,
                "holds private members (d, ...): AgentOS verifies with its public half, but a published JWKS must not carry them",
                Some("publish only the public key: agentos-auth export --key KEY --format jwks"),
            );
        } else if key.alg() != alg {
            r.add(
                Level::Warning,
                &label,
                format!(
                    "{} key, but AgentOS is set to {alg}: tokens it signs are refused",
                    key.alg()
                ),
                Some(&format!(
                    "set AgentOS's algorithm to {0}: Authorization(algorithm=\"{0}\")",
                    key.alg()
                )),
            );
        } else if kid.is_none() {
            // agno keeps only the LAST kid-less key as its default.
            let later_kidless = keys.iter().filter(|o| o.number > k.number).any(|o| {
                o.jwk
                    .as_ref()
                    .is_some_and(|j| agentos::agno_jwk_key(j).is_ok())
                    && o.raw
                        .get("kid")
                        .and_then(|v| v.as_str())
                        .is_none_or(str::is_empty)
            });
            let msg = if later_kidless {
                "has no kid and is never used: AgentOS keeps only the last key without kid as its default"
            } else if keys.len() > 1 {
                "has no kid: AgentOS makes it the default key for every token whose kid is missing or unknown"
            } else {
                "has no kid: AgentOS uses it as the default key"
            };
            r.add(
                Level::Warning,
                &label,
                msg,
                Some("give it a kid and mint with --kid"),
            );
        } else {
            r.add(Level::Ok, &label, key.description(), None);
        }
    }
    if usable == 0 {
        r.add(
            Level::Error,
            subject,
            "no key in the JWKS is usable: AgentOS refuses to start unless JWT_VERIFICATION_KEY is set",
            Some("publish a valid public key: agentos-auth export --format jwks"),
        );
    } else if with_kid > 0 {
        r.add(
            Level::Info,
            subject,
            "tokens must carry the kid of their key in the header (agentos-auth mint sets it)",
            None,
        );
    }
    Some(JwksSource {
        label: format!("JWT_JWKS_FILE={path}"),
        keys,
    })
}
