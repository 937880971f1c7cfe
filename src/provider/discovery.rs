//! OpenID Connect Discovery 1.0: the provider's `/.well-known/openid-configuration`
//! document, read and checked. Pure: the fetch is in `fetch.rs`.

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Kind, Result};

/// Where the discovery document of an issuer is (§4: the issuer URL, its trailing
/// slash removed, then `/.well-known/openid-configuration`).
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// The issuer a discovery URL belongs to, if `url` is one.
pub fn issuer_of_discovery_url(url: &str) -> Option<&str> {
    url.strip_suffix("/.well-known/openid-configuration")
}

/// What this tool takes from a discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Discovery {
    /// Exactly as the provider writes it: what its tokens carry as `iss`, so what
    /// AgentOS's `issuer=` must be.
    pub issuer: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint: Option<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    #[serde(default)]
    pub claims_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
}

/// Reads the document at `source` and checks that it belongs to `expected_issuer`
/// (§4.3: the `issuer` must be the URL the document was asked for; a trailing slash
/// apart, so that `--from https://idp/` and `https://idp` both work). A document of
/// another issuer is refused: its keys would verify someone else's tokens.
pub fn parse(bytes: &[u8], source: &str, expected_issuer: &str) -> Result<Discovery> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|_| {
        Error::new(Kind::Server, format!("{source} did not answer JSON"))
            .hint("give the issuer URL (the iss of its tokens), or the JWKS URL itself")
    })?;
    for field in ["issuer", "jwks_uri"] {
        if !doc.get(field).is_some_and(Value::is_string) {
            return Err(Error::new(
                Kind::Server,
                format!("{source} is not an OpenID discovery document: no \"{field}\""),
            )
            .hint("give the issuer URL (the iss of its tokens), or the JWKS URL itself"));
        }
    }
    let d: Discovery = serde_json::from_value(doc).map_err(|e| {
        Error::new(
            Kind::Server,
            format!("{source}: not a valid discovery document ({e})"),
        )
        .hint("give the JWKS URL itself")
    })?;
    if d.issuer.trim_end_matches('/') != expected_issuer.trim_end_matches('/') {
        return Err(Error::input(format!(
            "{source} names the issuer {:?}, not {expected_issuer:?}",
            d.issuer
        ))
        .hint("give --from exactly as the provider's issuer (the iss of its tokens)"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_must_be_the_one_asked_for() {
        let doc = br#"{"issuer":"https://idp.example/","jwks_uri":"https://idp.example/jwks","id_token_signing_alg_values_supported":["RS256","ES256"]}"#;
        let d = parse(doc, "d", "https://idp.example").unwrap();
        assert_eq!(d.issuer, "https://idp.example/");
        assert_eq!(d.id_token_signing_alg_values_supported, ["RS256", "ES256"]);
        let e = parse(doc, "d", "https://evil.example").unwrap_err();
        assert!(e.msg.contains("names the issuer"), "{e}");
        for bad in [
            &b"<html>"[..],
            br#"{"issuer":"https://idp.example"}"#,
            br#"{"jwks_uri":"x"}"#,
        ] {
            assert_eq!(
                parse(bad, "d", "https://idp.example").unwrap_err().kind,
                Kind::Server
            );
        }
        assert_eq!(
            discovery_url("https://idp.example/realms/x/"),
            "https://idp.example/realms/x/.well-known/openid-configuration"
        );
        assert_eq!(
            issuer_of_discovery_url("https://i/.well-known/openid-configuration"),
            Some("https://i")
        );
    }
}
