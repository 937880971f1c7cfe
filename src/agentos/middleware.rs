//! The manual `JWTMiddleware`'s switches (`app.add_middleware(JWTMiddleware, ...)`,
//! `agno/os/middleware/jwt.py`): which claims hold the scopes and the user id, and where
//! the token is read from. `AgentOS(authorization=...)` installs the same middleware with
//! the defaults (`build_jwt_middleware_kwargs` passes none of these), so
//! [`Middleware::default`] is AgentOS's own.
//!
//! The rules are the same on every modelled release (2.3.13 to 3.1.10: `_extract_token`,
//! `_extract_token_from_header`, `_extract_token_from_cookie`,
//! `_get_missing_token_error_message` and the claim reading in `_dispatch` do not change);
//! what does change, the reserved subjects checked on the user id claim, is release data
//! (`reserved_sub_prefixes`, 2.7.0 on).

/// The 401 when the middleware reads no token: AgentOS's `detail`, why, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingToken {
    pub detail: String,
    pub reason: String,
    pub fix: String,
}

/// `token_source=` (`TokenSource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenSource {
    /// The `Authorization` header only (the default).
    #[default]
    Header,
    /// The cookie `cookie_name` only.
    Cookie,
    /// The header first; the cookie only when the header is absent or empty.
    Both,
}

impl TokenSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenSource::Header => "header",
            TokenSource::Cookie => "cookie",
            TokenSource::Both => "both",
        }
    }
}

/// Where the client puts the token (`verify --sent-in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentIn {
    /// `Authorization: Bearer <token>`.
    Header,
    /// A cookie of this name.
    Cookie(String),
}

/// The switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Middleware {
    /// `scopes_claim=` (default `scopes`): a list; a string is one scope; else none.
    pub scopes_claim: String,
    /// `user_id_claim=` (default `sub`): `request.state.user_id`, checked against the
    /// reserved principals (`is_reserved_principal`).
    pub user_id_claim: String,
    pub token_source: TokenSource,
    /// `cookie_name=` (default `access_token`).
    pub cookie_name: String,
    /// Where the client puts the token: by default where the server reads it.
    pub sent_in: SentIn,
}

impl Default for Middleware {
    fn default() -> Self {
        Middleware {
            scopes_claim: "scopes".into(),
            user_id_claim: "sub".into(),
            token_source: TokenSource::Header,
            cookie_name: "access_token".into(),
            sent_in: SentIn::Header,
        }
    }
}

impl Middleware {
    /// Whether any switch differs from AgentOS's own middleware (a manual setup).
    pub fn is_manual(&self) -> bool {
        let d = Middleware::default();
        self.scopes_claim != d.scopes_claim
            || self.user_id_claim != d.user_id_claim
            || self.token_source != d.token_source
            || self.cookie_name != d.cookie_name
    }

    /// The token the middleware reads (`_extract_token`), or its 401 when it reads none.
    /// `token` is what the client sends (empty: nothing), where [`Middleware::sent_in`] says.
    pub fn extract<'t>(&self, token: &'t str) -> Result<&'t str, MissingToken> {
        let in_header = self.sent_in == SentIn::Header;
        let in_cookie = matches!(&self.sent_in, SentIn::Cookie(n) if *n == self.cookie_name);
        let read = match self.token_source {
            TokenSource::Header => in_header,
            TokenSource::Cookie => in_cookie,
            TokenSource::Both => in_header || in_cookie,
        };
        if read && !token.is_empty() {
            return Ok(token);
        }
        let cookie = &self.cookie_name;
        // `_get_missing_token_error_message`.
        let detail = match self.token_source {
            TokenSource::Header => "Authorization header missing".to_string(),
            TokenSource::Cookie => format!("JWT cookie '{cookie}' missing"),
            TokenSource::Both => {
                format!("JWT token missing from both Authorization header and '{cookie}' cookie")
            }
        };
        if token.is_empty() {
            let fix = match self.token_source {
                TokenSource::Header => "send Authorization: Bearer <token>; mint one with agentos-auth mint".to_string(),
                _ => format!("send the token in the cookie {cookie} (or, with token_source=both, as Authorization: Bearer <token>)"),
            };
            return Err(MissingToken {
                detail,
                reason: "the request carries no token".into(),
                fix,
            });
        }
        let (reason, fix) = match (&self.sent_in, self.token_source) {
            (SentIn::Header, _) => (
                format!(
                    "the token is in the Authorization header, but this AgentOS reads only the cookie {cookie} (token_source=\"cookie\")"
                ),
                format!("send it as the cookie {cookie}, or use JWTMiddleware(token_source=\"both\") to read the header too (verify --token-source both)"),
            ),
            (SentIn::Cookie(n), TokenSource::Header) => (
                format!("the token is in the cookie {n}, but this AgentOS reads only the Authorization header (token_source=\"header\", the default)"),
                format!("send it as Authorization: Bearer <token>, or use JWTMiddleware(token_source=\"cookie\", cookie_name=\"{n}\") (verify --token-source cookie --cookie-name {n})"),
            ),
            (SentIn::Cookie(n), _) => (
                format!("the token is in the cookie {n}, but this AgentOS reads the cookie {cookie}"),
                format!("send it in the cookie {cookie}, or set JWTMiddleware(cookie_name=\"{n}\") (verify --cookie-name {n})"),
            ),
        };
        Err(MissingToken {
            detail,
            reason,
            fix,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mw(source: TokenSource, sent_in: SentIn) -> Middleware {
        Middleware {
            token_source: source,
            sent_in,
            ..Middleware::default()
        }
    }

    #[test]
    fn each_source_reads_its_place() {
        let cookie = || SentIn::Cookie("access_token".into());
        let other = || SentIn::Cookie("session".into());
        let detail = |m: Middleware, t: &str| m.extract(t).err().map(|v| v.detail);
        assert_eq!(
            mw(TokenSource::Header, SentIn::Header).extract("t"),
            Ok("t")
        );
        assert_eq!(
            detail(mw(TokenSource::Header, cookie()), "t").as_deref(),
            Some("Authorization header missing")
        );
        assert_eq!(mw(TokenSource::Cookie, cookie()).extract("t"), Ok("t"));
        assert_eq!(
            detail(mw(TokenSource::Cookie, SentIn::Header), "t").as_deref(),
            Some("JWT cookie 'access_token' missing")
        );
        assert_eq!(
            detail(mw(TokenSource::Cookie, other()), "t").as_deref(),
            Some("JWT cookie 'access_token' missing")
        );
        assert_eq!(mw(TokenSource::Both, SentIn::Header).extract("t"), Ok("t"));
        assert_eq!(mw(TokenSource::Both, cookie()).extract("t"), Ok("t"));
        assert_eq!(
            detail(mw(TokenSource::Both, other()), "t").as_deref(),
            Some("JWT token missing from both Authorization header and 'access_token' cookie")
        );
        assert_eq!(
            detail(mw(TokenSource::Both, SentIn::Header), "").as_deref(),
            Some("JWT token missing from both Authorization header and 'access_token' cookie")
        );
    }
}
