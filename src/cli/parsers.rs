//! clap value parsers the argument types share.

use clap::builder::TypedValueParser as _;

/// `--lock-timeout`: a duration as everywhere else (30s, 2m); 0s means do not wait.
pub(crate) fn lock_timeout(s: &str) -> Result<std::time::Duration, String> {
    match crate::time::parse_duration(s) {
        Ok(secs) if secs >= 0 => Ok(std::time::Duration::from_secs(secs as u64)),
        Ok(_) => Err("must not be negative".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// `--timeout SECS` (`--url`): a positive number of seconds, e.g. 10 or 2.5.
pub(crate) fn timeout_secs(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err("expected seconds between 0 and 3600, e.g. --timeout 10 or --timeout 2.5".into()),
    }
}

/// `--bits`: the RSA sizes a key may have (smaller ones are refused; AgentOS keys
/// should be at least 2048 bits).
pub(crate) fn rsa_bits() -> impl clap::builder::TypedValueParser<Value = u32> {
    clap::builder::PossibleValuesParser::new(["2048", "3072", "4096"])
        .map(|s| s.parse::<u32>().unwrap_or(2048))
}

/// A claim or cookie name (`--scopes-claim`, `--user-id-claim`, `--cookie-name`): agno
/// looks it up verbatim (`payload.get(name)`), so a name with surrounding spaces or none
/// at all can never match.
pub(crate) fn claim_name(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.trim() != s {
        return Err("has surrounding spaces: agno looks the name up exactly as given".into());
    }
    Ok(s.to_string())
}
