//! `agentos-auth doctor --issuer URL [--token TOKEN]`: fetch an OpenID provider's
//! discovery document and JWKS, and print the AgentOS configuration that accepts its
//! tokens (Python and .env lines; `--json` for scripts). The configuration itself is
//! built by `provider::agentos_config`; this module fetches, checks the sample token
//! against the keys, and prints.

use serde_json::json;

use super::Ui;
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::error::{Error, Kind, Result};
use crate::keys::Alg;
use crate::provider::agentos_config::{self, SampleToken};
use crate::provider::{fetch, Selection};
use crate::token;

pub fn run(g: &GlobalArgs, a: &DoctorArgs, issuer: &str) -> Result<()> {
    let ui = Ui::new(g);
    let client = fetch::client(a.timeout, a.ca_file.clone(), "--issuer")?;
    let discovery = fetch::fetch_discovery(&client, issuer)?;
    let text = a
        .token
        .as_deref()
        .map(|t| super::inspect::read_token(Some(t), "agentos-auth doctor --issuer URL --token -"))
        .transpose()?;
    let decoded = text.as_deref().map(token::decode).transpose()?;
    let token_alg = decoded
        .as_ref()
        .and_then(|d| d.alg())
        .and_then(|s| match s {
            "RS256" => Some(Alg::RS256),
            "ES256" => Some(Alg::ES256),
            _ => None,
        });
    // The algorithm: given, else the sample token's, else the first of RS256, ES256 the
    // provider has keys for (AgentOS verifies one).
    let candidates: Vec<Alg> = match a.alg.or(token_alg) {
        Some(Alg::HS256) => return Err(Error::input("a provider's JWKS has no HS256 secrets")
            .hint(
            "AgentOS verifies a provider's tokens with RS256 or ES256: pass --alg RS256 or ES256",
        )),
        Some(alg) => vec![alg],
        None => vec![Alg::RS256, Alg::ES256],
    };
    let mut fetched: Option<(Alg, Selection)> = None;
    let mut last_err = None;
    for alg in candidates {
        match fetch::fetch_jwks(&client, &discovery.jwks_uri, alg) {
            Ok((selection, _)) => {
                fetched = Some((alg, selection));
                break;
            }
            Err(e) if e.kind == Kind::Input => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    let Some((alg, selection)) = fetched else {
        return Err(last_err.unwrap_or_else(|| Error::input("the provider has no usable keys")));
    };
    let sample = decoded.as_ref().map(|d| {
        let claims = d.claims_object().cloned().unwrap_or_default();
        (d, claims)
    });
    if let Some((d, claims)) = &sample {
        check_sample(&ui, d, claims, &selection, &discovery.issuer, alg);
    }
    let samples = sample.as_ref().map(|(d, claims)| SampleToken {
        header: &d.header,
        claims,
    });
    let jwks_file = a.jwks.display().to_string();
    let cfg = agentos_config::build(issuer, &discovery, alg, &jwks_file, samples.as_ref());
    for f in cfg.findings.iter().filter(|f| f.setting.is_none()) {
        ui.warn(format!("{} ({})", f.sentence(), f.claim));
    }
    if a.json {
        return super::print_line(json!(cfg));
    }
    let mut out = cfg.python.clone();
    out.push_str(
        "\n# .env: agno reads the key source from the environment; the settings above are code\n",
    );
    for line in &cfg.env {
        out.push_str(line);
        out.push('\n');
    }
    super::print_text(&out)
}

/// The sample token against what was fetched: its kid among the usable keys, its
/// signature, its issuer. Warnings only: the configuration is printed anyway.
fn check_sample(
    ui: &Ui,
    d: &token::Decoded,
    claims: &serde_json::Map<String, serde_json::Value>,
    selection: &Selection,
    issuer: &str,
    alg: Alg,
) {
    let kid = d.kid().and_then(|k| k.as_str());
    match kid.and_then(|k| selection.kept.iter().find(|j| j.kid.as_deref() == Some(k))) {
        None => ui.warn(format!(
            "the token's kid {} is not among the provider's {alg} signing keys ({}): AgentOS would answer 401",
            kid.map_or("(none)".to_string(), |k| format!("{k:?}")),
            selection.kids().join(", ")
        )),
        Some(jwk) => {
            let verifies = jwk
                .to_key()
                .and_then(|k| k.verifier())
                .is_ok_and(|v| v.verify(d.signing_input.as_bytes(), &d.signature));
            if !verifies {
                ui.warn("the token's signature does not verify with the provider's key of its kid: AgentOS would answer 401");
            }
        }
    }
    match claims.get("iss").and_then(|v| v.as_str()) {
        Some(iss) if iss == issuer => {}
        other => ui.warn(format!(
            "the token's iss is {}, not the provider's issuer {issuer:?}: with issuer= pinned AgentOS would answer 401",
            other.map_or("missing".to_string(), |s| format!("{s:?}"))
        )),
    }
}
