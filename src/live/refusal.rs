//! A 401's `detail`, read back: which of AgentOS's refusals it is. The one table of the
//! texts `JWTValidator.validate_token` (agno, `os/middleware/jwt.py`) puts in its 401s,
//! for the probe (`jwks use --url`) and the comparison (`verify/doctor --url`) alike.

/// What a 401 from AgentOS says went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No key to try: the kid is not in the JWKS and no static key is set.
    NoKey,
    /// A key was tried and the signature did not match it.
    BadSignature,
    /// agno's audience check (`verify_audience=True`) or PyJWT's "Invalid audience".
    Audience,
    /// Another complaint naming the `aud` claim (PyJWT: `Token is missing the "aud" claim`).
    AudClaim,
    /// The token's alg is not the server's `Authorization(algorithm=...)`.
    AlgNotAllowed,
    /// PyJWT without the `cryptography` package: no RSA or EC at all.
    NoCrypto,
    /// `exp` passed or `nbf`/`iat` ahead (the clocks differ).
    Times,
    /// A pinned issuer the token's `iss` does not match.
    Issuer,
    /// Anything else.
    Other,
}

/// Which refusal `detail` is (the first row that matches).
pub fn refusal(detail: &str) -> Refusal {
    match detail {
        "Invalid token: No verification keys configured" => Refusal::NoKey,
        "Invalid token: Signature verification failed" => Refusal::BadSignature,
        "Invalid token: Invalid audience" => Refusal::Audience,
        "Invalid token: The specified alg value is not allowed" => Refusal::AlgNotAllowed,
        "Invalid token: Algorithm not supported" => Refusal::NoCrypto,
        // agno's own check: "Invalid token audience - ..." (2.3.22 on), "Invalid audience - ..."
        // before (`audience_detail` in data/agno/releases.toml).
        d if d.starts_with("Invalid token audience") || d.starts_with("Invalid audience - ") => {
            Refusal::Audience
        }
        d if d.contains("\"aud\"") => Refusal::AudClaim,
        d if d.contains("expired") || d.contains("not yet valid") => Refusal::Times,
        d if d.contains("issuer") => Refusal::Issuer,
        _ => Refusal::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_detail_agentos_sends_has_its_row() {
        for (detail, want) in [
            (
                "Invalid token: No verification keys configured",
                Refusal::NoKey,
            ),
            (
                "Invalid token: Signature verification failed",
                Refusal::BadSignature,
            ),
            ("Invalid token: Invalid audience", Refusal::Audience),
            (
                "Invalid token audience - token not valid for this AgentOS instance",
                Refusal::Audience,
            ),
            (
                "Invalid audience - token not valid for this AgentOS instance",
                Refusal::Audience,
            ),
            (
                "Invalid token: Token is missing the \"aud\" claim",
                Refusal::AudClaim,
            ),
            (
                "Invalid token: The specified alg value is not allowed",
                Refusal::AlgNotAllowed,
            ),
            ("Invalid token: Algorithm not supported", Refusal::NoCrypto),
            ("Token has expired", Refusal::Times),
            (
                "Invalid token: The token is not yet valid (iat)",
                Refusal::Times,
            ),
            ("Invalid token: Invalid issuer", Refusal::Issuer),
            ("Invalid token: Not enough segments", Refusal::Other),
        ] {
            assert_eq!(refusal(detail), want, "{detail}");
        }
    }
}
