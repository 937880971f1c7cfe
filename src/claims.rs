//! Time for claims: the clock, durations ("15m", "1h30m"), absolute and relative times
//! ("2026-12-01", "@1767225600", "+1h"), and how times are shown to people.
//!
//! AgentOS verifies with PyJWT and a 10 s leeway: `iat`/`nbf` more than 10 s in the
//! future are refused, so `now()` floors and never rounds up.

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

use crate::error::{Error, Result};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;

/// The longest duration accepted: 10 years (with their leap days).
pub const MAX_DURATION: i64 = 3653 * DAY;

const UNIT_HINT: &str = "use s, m, h, d or w, e.g. 15m or 7d";

/// Unix seconds, floored: an `iat` taken from here is never ahead of real time.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// A duration in seconds: "30s", "15m", "24h", "7d", "2w", or combinations such as
/// "1h30m" / "1h 30m". Refuses signs other than a leading "+", bare numbers, unknown
/// units, fractions, and anything over 10 years. Zero is returned as 0 (callers decide).
pub fn parse_duration(s: &str) -> Result<i64> {
    let bad = |why: &str| Error::input(format!("invalid duration {s:?}: {why}"));
    let t = s.trim();
    if t.is_empty() {
        return Err(bad("empty").hint(UNIT_HINT));
    }
    if t.starts_with('-') {
        return Err(
            bad("negative durations are not allowed").hint("write it without the sign, e.g. 1h")
        );
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    let mut total: i64 = 0;
    let mut parts = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            let rest: String = chars[i..].iter().collect();
            return Err(bad(&format!("expected a number before {rest:?}")).hint(UNIT_HINT));
        }
        let digits: String = chars[start..i].iter().collect();
        if i < chars.len() && (chars[i] == '.' || chars[i] == ',') {
            return Err(
                bad("fractions are not supported").hint("combine whole units instead, e.g. 1h30m")
            );
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let ustart = i;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
        let unit: String = chars[ustart..i].iter().collect();
        if unit.is_empty() {
            if i < chars.len() {
                return Err(bad(&format!("unexpected {:?}", chars[i])).hint(UNIT_HINT));
            }
            return Err(bad("missing unit").hint(format!("add a unit, e.g. {digits}s or 1h")));
        }
        let Some(mult) = unit_seconds(&unit) else {
            return Err(bad(&format!("unknown unit {unit:?}")).hint(UNIT_HINT));
        };
        let too_long = || {
            bad("longer than 10 years").hint("tokens should be short-lived: use e.g. 1h, 7d or 90d")
        };
        let n: i64 = digits.parse().map_err(|_| too_long())?;
        total = n
            .checked_mul(mult)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(too_long)?;
        if total > MAX_DURATION {
            return Err(too_long());
        }
        parts += 1;
    }
    if parts == 0 {
        return Err(bad("no amount given").hint(UNIT_HINT));
    }
    Ok(total)
}

fn unit_seconds(unit: &str) -> Option<i64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "wk" | "wks" | "week" | "weeks" => WEEK,
        _ => return None,
    })
}

/// An absolute time in unix seconds. Accepts RFC 3339 ("2026-12-01T10:00:00Z", with
/// an offset too), a date "2026-12-01" (midnight UTC), "@1767225600", "now", and
/// relative times: "+1h" or "1h" (from `now`), "-5m" (before `now`).
pub fn parse_time(s: &str, now: i64) -> Result<i64> {
    let t = s.trim();
    let bad = |why: &str| Error::input(format!("invalid time {s:?}: {why}"));
    let forms = "use RFC 3339 (2026-12-01T10:00:00Z), a date (2026-12-01), @UNIX_SECONDS, now, or a duration such as +1h or -5m";
    if t.is_empty() {
        return Err(bad("empty").hint(forms));
    }
    let ts = if t.eq_ignore_ascii_case("now") {
        now
    } else if let Some(rest) = t.strip_prefix('@') {
        let rest = rest.trim();
        if rest.is_empty()
            || !rest
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
            || rest == "-"
        {
            return Err(bad("expected unix seconds after @").hint("e.g. @1767225600"));
        }
        rest.parse::<i64>()
            .map_err(|_| bad("unix seconds out of range").hint("e.g. @1767225600"))?
    } else if let Some(rest) = t.strip_prefix('-') {
        now.checked_sub(parse_duration(rest)?)
            .ok_or_else(|| bad("out of range"))?
    } else if let Some(rest) = t.strip_prefix('+') {
        now.checked_add(parse_duration(rest)?)
            .ok_or_else(|| bad("out of range"))?
    } else if t.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("a bare number is ambiguous").hint(format!(
            "write @{t} for unix seconds, or add a unit for a duration, e.g. +{}s",
            if t.len() <= 6 { t } else { "3600" }
        )));
    } else if t.as_bytes()[0].is_ascii_digit()
        && t.len() >= 10
        && t.as_bytes().get(4) == Some(&b'-')
    {
        parse_absolute(t).map_err(|why| {
            let hint = if why == "no time zone" {
                "add \"Z\" for UTC or an offset such as +02:00, e.g. 2026-12-01T10:00:00Z"
            } else {
                forms
            };
            bad(&why).hint(hint)
        })?
    } else {
        let d = parse_duration(t).map_err(|_| bad("not a time or a duration").hint(forms))?;
        now.checked_add(d).ok_or_else(|| bad("out of range"))?
    };
    if ts < 0 {
        return Err(bad("before 1970").hint("give a time after 1970-01-01T00:00:00Z"));
    }
    Ok(ts)
}

fn parse_absolute(t: &str) -> std::result::Result<i64, String> {
    if t.len() == 10 {
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|e| format!("not a valid date ({e})"))?;
        let dt = d.and_hms_opt(0, 0, 0).ok_or("not a valid date")?;
        return Ok(Utc.from_utc_datetime(&dt).timestamp());
    }
    match DateTime::parse_from_rfc3339(t) {
        Ok(dt) => Ok(dt.timestamp()),
        Err(e) => {
            let naive_ok = [
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .any(|f| chrono::NaiveDateTime::parse_from_str(t, f).is_ok());
            if naive_ok {
                Err("no time zone".into())
            } else {
                Err(format!("not RFC 3339 ({e})"))
            }
        }
    }
}

/// Compact, human: "42s", "42m", "3h 5m", "2d 4h" (the two largest units).
pub fn format_duration(secs: i64) -> String {
    if secs < 0 {
        return format!(
            "-{}",
            format_duration(secs.checked_neg().unwrap_or(i64::MAX))
        );
    }
    const UNITS: [(i64, &str); 4] = [(DAY, "d"), (HOUR, "h"), (MINUTE, "m"), (1, "s")];
    for (k, &(size, name)) in UNITS.iter().enumerate() {
        if secs >= size || size == 1 {
            let top = secs / size;
            let rest = secs % size;
            return match UNITS.get(k + 1) {
                Some(&(next, nname)) if rest / next > 0 => {
                    format!("{top}{name} {}{nname}", rest / next)
                }
                _ => format!("{top}{name}"),
            };
        }
    }
    unreachable!("the last unit is one second")
}

/// "in 42m", "42m ago", or "now".
pub fn relative(ts: i64, now: i64) -> String {
    let diff = ts.saturating_sub(now);
    match diff {
        0 => "now".to_string(),
        d if d > 0 => format!("in {}", format_duration(d)),
        d => format!(
            "{} ago",
            format_duration(d.checked_neg().unwrap_or(i64::MAX))
        ),
    }
}

/// UTC, RFC 3339 to the second: "2026-11-23T12:00:00Z".
pub fn rfc3339(ts: i64) -> String {
    match Utc.timestamp_opt(ts, 0).single() {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => format!("@{ts}"),
    }
}

/// The local time with its UTC offset: "2026-11-23 13:00:00 +01:00".
pub fn local_time(ts: i64) -> String {
    match Local.timestamp_opt(ts, 0).single() {
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        None => rfc3339(ts),
    }
}

// ---- Building a token's claims (mint and batch mint) ----

/// Lifetime of a minted token when nothing says otherwise: short, as AgentOS accepts
/// a token until `exp` and there is no revocation.
pub const DEFAULT_LIFETIME: i64 = 3600;

/// When the token expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// Seconds after `iat`.
    In(i64),
    /// An absolute time (unix seconds).
    At(i64),
    /// Whatever `exp` the extra claims carry.
    FromClaims,
    /// No `exp` at all: AgentOS accepts such a token forever.
    Never,
}

/// Everything a token needs except the time it is minted at.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    /// Claims already resolved (sub, aud, iss, scopes, session_id, extras).
    pub claims: serde_json::Map<String, serde_json::Value>,
    pub expiry: Expiry,
    /// `--nbf`: a duration from now or a time; resolved at build time.
    pub nbf: Option<String>,
    /// `--jti`: `Some("")` asks for a random id.
    pub jti: Option<String>,
    pub iat: bool,
    pub allow_unknown_scopes: bool,
    /// The claim that carries roles (`mint --roles`), checked like `scopes`.
    pub roles_claim: Option<String>,
    /// The AgentOS the token is for: its release's scope names, reserved subjects and
    /// custom mappings decide what is "unknown".
    pub server: crate::agentos::Server,
}

/// Claims `mint --roles-claim` may not name: the token needs them for what they are.
pub const RESERVED_ROLE_CLAIMS: [&str; 9] = CLAIM_ORDER;

/// Registered claims first, in a fixed order, then the rest as given.
const CLAIM_ORDER: [&str; 9] = [
    "sub",
    "aud",
    "iat",
    "nbf",
    "exp",
    "iss",
    "jti",
    "session_id",
    "scopes",
];

impl TokenSpec {
    /// The claims of a token minted at `now`, checked against AgentOS's rules.
    pub fn build(&self, now: i64) -> Result<serde_json::Map<String, serde_json::Value>> {
        use serde_json::Value;
        let mut c = self.claims.clone();
        if self.iat {
            c.insert("iat".into(), Value::from(now));
        }
        if let Some(nbf) = &self.nbf {
            let t = match parse_duration(nbf) {
                Ok(d) => now + d,
                Err(_) => parse_time(nbf, now).map_err(|e| e.context("--nbf"))?,
            };
            c.insert("nbf".into(), Value::from(t));
        }
        match self.expiry {
            Expiry::In(secs) => {
                if secs <= 0 {
                    return Err(Error::input("the token lifetime must be positive")
                        .hint("e.g. --expires-in 15m"));
                }
                c.insert("exp".into(), Value::from(now + secs));
            }
            Expiry::At(t) => {
                if t <= now {
                    return Err(Error::input(format!(
                        "--exp {} is not in the future: the token would be born expired",
                        rfc3339(t)
                    ))
                    .hint("give a later time, or a lifetime with --expires-in"));
                }
                c.insert("exp".into(), Value::from(t));
            }
            Expiry::FromClaims => {}
            Expiry::Never => {
                c.remove("exp");
            }
        }
        match &self.jti {
            Some(id) if id.is_empty() => {
                c.insert("jti".into(), Value::from(random_id()?));
            }
            Some(id) => {
                c.insert("jti".into(), Value::from(id.as_str()));
            }
            None => {}
        }
        let has_roles = match &self.roles_claim {
            Some(name) => {
                check_roles_claim(name, c.get(name))?;
                c.contains_key(name)
            }
            None => false,
        };
        check_claims(&c, now, self.allow_unknown_scopes, has_roles, &self.server)?;
        let mut ordered = serde_json::Map::with_capacity(c.len());
        for name in CLAIM_ORDER {
            if let Some(v) = c.remove(name) {
                ordered.insert(name.to_string(), v);
            }
        }
        ordered.extend(c);
        Ok(ordered)
    }
}

/// Keys of a batch line that are instructions, not claims.
pub const BATCH_LINE_OPTIONS: [&str; 1] = ["expires_in"];

impl TokenSpec {
    /// The spec for one batch line: the line's keys are claims that replace the
    /// defaults (`null` removes one), except `expires_in`, a duration ("2h") that
    /// replaces the lifetime. A line's `exp`, `nbf`, `jti` or `iat` replaces what the
    /// flags would put there. Checking happens in [`TokenSpec::build`], as for one token.
    pub fn with_overrides(
        &self,
        line: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<TokenSpec> {
        use serde_json::Value;
        let mut spec = self.clone();
        let expires_in = match line.get("expires_in") {
            None => None,
            Some(Value::String(d)) => Some(parse_duration(d).map_err(|e| e.context("expires_in"))?),
            Some(v) => {
                return Err(Error::input(format!(
                    "expires_in must be a duration string, found {v}"
                ))
                .hint(r#"e.g. "expires_in": "2h""#))
            }
        };
        for (name, value) in line {
            if BATCH_LINE_OPTIONS.contains(&name.as_str()) {
                continue;
            }
            match name.as_str() {
                "exp" if value.is_null() => {
                    return Err(
                        Error::input("exp: null would mint a token that never expires")
                            .hint("pass --no-exp for the whole batch if that is really wanted"),
                    )
                }
                "exp" => {
                    if expires_in.is_some() {
                        return Err(Error::input("both exp and expires_in are given")
                            .hint("keep one of them"));
                    }
                    spec.expiry = Expiry::FromClaims;
                }
                "nbf" => spec.nbf = None,
                "jti" => spec.jti = None,
                "iat" => spec.iat = false,
                _ => {}
            }
            if value.is_null() {
                spec.claims.remove(name);
            } else {
                spec.claims.insert(name.clone(), value.clone());
            }
        }
        if let Some(secs) = expires_in {
            spec.expiry = Expiry::In(secs);
        }
        Ok(spec)
    }
}

/// The roles claim as agno's `normalize_roles_claim` reads it: a string is one role, a
/// non-empty list is the roles; anything else (an empty list, a number) is ignored and
/// the subject's stored assignments decide instead, which a minted token should never
/// leave to chance.
fn check_roles_claim(name: &str, v: Option<&serde_json::Value>) -> Result<()> {
    use serde_json::Value;
    let bad = |what: String| {
        Error::input(format!("{name}: {what}")).hint(format!(
            r#"give role names, e.g. --roles runner or "{name}": ["runner"]"#
        ))
    };
    let check = |r: &str| -> Result<()> {
        if r.is_empty() || r.chars().any(char::is_whitespace) || r.contains('/') {
            return Err(bad(format!(
                "{r:?} is not a role name AgentOS can hold (empty, spaces or '/')"
            )));
        }
        Ok(())
    };
    match v {
        None => Ok(()),
        Some(Value::String(r)) => check(r),
        Some(Value::Array(list)) if list.is_empty() => Err(bad(
            "an empty list is ignored by AgentOS: the subject's stored roles decide".into(),
        )),
        Some(Value::Array(list)) => list.iter().try_for_each(|r| match r.as_str() {
            Some(r) => check(r),
            None => Err(bad(format!("roles must be strings, found {r}"))),
        }),
        Some(other) => Err(bad(format!(
            "{other} is ignored by AgentOS: it reads a string or a list of strings"
        ))),
    }
}

/// The rules AgentOS (PyJWT + agno) applies to claims, checked before signing so that
/// a token this tool mints is never one AgentOS refuses for its claims.
fn check_claims(
    c: &serde_json::Map<String, serde_json::Value>,
    now: i64,
    allow_unknown_scopes: bool,
    has_roles: bool,
    server: &crate::agentos::Server,
) -> Result<()> {
    use serde_json::Value;
    match c.get("sub") {
        Some(Value::String(s)) => crate::agentos::check_subject(server.profile, s)?,
        Some(_) => return Err(Error::input("sub must be a string").hint("e.g. --sub alice")),
        None => return Err(Error::input("no subject").hint("pass --sub USER_ID")),
    }
    match c.get("aud") {
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(Value::Array(a)) if !a.is_empty() && a.iter().all(|v| v.as_str().is_some_and(|s| !s.is_empty())) => {}
        Some(_) => return Err(Error::input("aud must be a non-empty string or list of strings").hint("e.g. --aud my-agent-os")),
        None => {
            return Err(Error::input("no audience: AgentOS checks aud against its id")
                .hint("pass --aud OS_ID (GET /info shows it as os_id), set AGENTOS_AUTH_AUD, or store it once with agentos-auth keygen --aud OS_ID"))
        }
    }
    match c.get("scopes") {
        Some(Value::Array(list)) => {
            for s in list {
                let Some(s) = s.as_str() else {
                    return Err(Error::input(format!("scopes must be strings, found {s}"))
                        .hint("e.g. --scopes agents:read"));
                };
                if !allow_unknown_scopes
                    && !server.custom_scopes.iter().any(|c| c == s)
                    && !server.knows_router_scope(s)
                {
                    crate::agentos::validate_scope(server.profile, s)?;
                }
            }
        }
        Some(Value::String(_)) => {
            return Err(Error::input(
                "scopes must be a JSON list: AgentOS reads a string as ONE scope",
            )
            .hint(r#"use --scopes a,b or "scopes": ["a", "b"]"#))
        }
        Some(_) => {
            return Err(Error::input("scopes must be a JSON list of strings")
                .hint("e.g. --scopes agents:read"))
        }
        // With managed roles the token's roles decide and scopes may be left out.
        None if has_roles => {}
        None => {
            return Err(Error::input(
                "no scopes given: AgentOS would answer 403 to every protected route",
            )
            .hint(
                "pass --scopes (e.g. --scopes agents:read), --preset (see agentos-auth scopes), or --roles for a server with managed roles",
            ))
        }
    }
    for name in ["exp", "iat", "nbf"] {
        if let Some(v) = c.get(name) {
            if !v.is_i64() && !v.is_u64() && !v.is_f64() {
                return Err(Error::input(format!(
                    "{name} must be a number (unix seconds), found {v}"
                ))
                .hint("use --exp TIME or --nbf TIME"));
            }
        }
    }
    if let Some(iat) = c.get("iat").and_then(Value::as_f64) {
        if iat > now as f64 {
            return Err(Error::input(
                "iat is in the future: AgentOS rejects tokens issued ahead of its clock",
            )
            .hint("drop iat from --claim/--claims: mint sets it to now"));
        }
    }
    for name in ["jti", "iss", "session_id"] {
        if let Some(v) = c.get(name) {
            if !v.is_string() {
                return Err(Error::input(format!("{name} must be a string, found {v}"))
                    .hint(format!("e.g. --{} value", name.replace('_', "-"))));
            }
        }
    }
    Ok(())
}

/// A random UUID v4 string for `jti`.
fn random_id() -> Result<String> {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b)
        .map_err(|_| Error::input("the system random generator failed"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600;

    #[test]
    fn durations() {
        let ok: &[(&str, i64)] = &[
            ("30s", 30),
            ("15m", 900),
            ("24h", 86_400),
            ("7d", 604_800),
            ("2w", 1_209_600),
            ("1h30m", 5_400),
            ("1h 30m", 5_400),
            ("  2h  ", 7_200),
            ("1 h", 3_600),
            ("+1h", 3_600),
            ("1d2h3m4s", 93_784),
            ("0s", 0),
            ("90 minutes", 5_400),
            ("1H", 3_600),
            ("3650d", 3650 * DAY),
        ];
        for (s, want) in ok {
            assert_eq!(parse_duration(s).unwrap(), *want, "{s}");
        }
        let bad: &[(&str, &str)] = &[
            ("", "empty"),
            ("-1h", "negative"),
            ("3600", "missing unit"),
            ("1x", "unknown unit \"x\""),
            ("1mo", "unknown unit \"mo\""),
            ("1.5h", "fractions"),
            ("h", "expected a number"),
            ("99999999d", "longer than 10 years"),
            ("99999999999999999999s", "longer than 10 years"),
            ("3654d", "longer than 10 years"),
            ("1h-", "expected a number"),
            ("1h30", "missing unit"),
        ];
        for (s, want) in bad {
            let e = parse_duration(s).unwrap_err();
            assert!(e.msg.contains(want), "{s}: {e}");
            assert!(
                e.msg.contains(&format!("{s:?}")),
                "{s}: names the value: {e}"
            );
            assert!(e.hint.is_some(), "{s}: has a hint");
        }
        assert_eq!(
            parse_duration("1x").unwrap_err().to_string(),
            "invalid duration \"1x\": unknown unit \"x\" (use s, m, h, d or w, e.g. 15m or 7d)"
        );
        assert!(parse_duration("3600")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("3600s"));
    }

    #[test]
    fn times() {
        let ok: &[(&str, i64)] = &[
            ("now", NOW),
            ("NOW", NOW),
            ("@1767225600", 1_767_225_600),
            ("@0", 0),
            ("2026-01-01", 1_767_225_600),
            ("2026-01-01T00:00:00Z", 1_767_225_600),
            ("2026-01-01T01:00:00+01:00", 1_767_225_600),
            ("2026-01-01T00:00:00.999Z", 1_767_225_600),
            ("2026-12-01T10:00:00Z", 1_796_119_200),
            ("+1h", NOW + 3600),
            ("1h", NOW + 3600),
            ("-5m", NOW - 300),
            ("+1h30m", NOW + 5400),
        ];
        for (s, want) in ok {
            assert_eq!(parse_time(s, NOW).unwrap(), *want, "{s}");
        }
        let bad: &[(&str, &str)] = &[
            ("", "empty"),
            ("1767225600", "bare number"),
            ("@", "unix seconds"),
            ("@-5", "before 1970"),
            ("1969-12-31", "before 1970"),
            ("1969-12-31T23:59:59Z", "before 1970"),
            ("2026-13-01", "not a valid date"),
            ("2026-01-01T10:00:00", "no time zone"),
            ("tomorrow", "not a time"),
            ("-99999999d", "longer than 10 years"),
        ];
        for (s, want) in bad {
            let e = parse_time(s, NOW).unwrap_err();
            assert!(e.msg.contains(want), "{s}: {e}");
            assert!(e.hint.is_some(), "{s}: has a hint");
        }
        assert!(parse_time("-5m", 100)
            .unwrap_err()
            .msg
            .contains("before 1970"));
    }

    #[test]
    fn formatting() {
        let cases: &[(i64, &str)] = &[
            (0, "0s"),
            (42, "42s"),
            (60, "1m"),
            (90, "1m 30s"),
            (42 * 60, "42m"),
            (3 * 3600 + 5 * 60, "3h 5m"),
            (3 * 3600 + 5 * 60 + 7, "3h 5m"),
            (3600 + 7, "1h"),
            (2 * DAY + 4 * 3600, "2d 4h"),
            (2 * DAY + 59, "2d"),
            (400 * DAY, "400d"),
            (-90, "-1m 30s"),
        ];
        for (secs, want) in cases {
            assert_eq!(format_duration(*secs), *want, "{secs}");
        }
        assert_eq!(relative(NOW + 42 * 60, NOW), "in 42m");
        assert_eq!(relative(NOW - 42 * 60, NOW), "42m ago");
        assert_eq!(relative(NOW, NOW), "now");
        assert_eq!(rfc3339(1_795_435_200), "2026-11-23T12:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        let local = local_time(NOW);
        assert!(
            local.len() >= 25 && (local.contains(" +") || local.contains(" -")),
            "{local}"
        );
    }

    fn batch_defaults() -> TokenSpec {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), "default".into());
        claims.insert("aud".into(), "os".into());
        claims.insert("iss".into(), "ci".into());
        claims.insert("scopes".into(), serde_json::json!(["agents:read"]));
        TokenSpec {
            claims,
            expiry: Expiry::In(3600),
            nbf: Some("5m".into()),
            jti: Some(String::new()),
            iat: true,
            allow_unknown_scopes: false,
            roles_claim: None,
            server: crate::agentos::Server::default(),
        }
    }

    fn line(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn batch_line_overrides_claims_and_lifetime() {
        use serde_json::json;
        let spec = batch_defaults();
        let c = spec
            .with_overrides(&line(json!({"sub": "u1", "scopes": ["sessions:read"], "expires_in": "2h", "team": "ops"})))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert_eq!(c["sub"], "u1");
        assert_eq!(c["aud"], "os");
        assert_eq!(c["scopes"], json!(["sessions:read"]));
        assert_eq!(c["exp"], NOW + 7200);
        assert_eq!(c["nbf"], NOW + 300);
        assert_eq!(c["team"], "ops");
        assert!(c["jti"].as_str().unwrap().len() == 36);
        assert!(!c.contains_key("expires_in"), "an option, not a claim");
        // The defaults themselves are untouched.
        assert_eq!(spec.claims["sub"], "default");
        assert_eq!(spec.expiry, Expiry::In(3600));
    }

    #[test]
    fn batch_line_null_removes_and_registered_claims_replace_the_flags() {
        use serde_json::json;
        let spec = batch_defaults();
        let c = spec
            .with_overrides(&line(
                json!({"iss": null, "jti": "fixed", "nbf": NOW, "iat": NOW - 5, "exp": NOW + 60}),
            ))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert!(!c.contains_key("iss"));
        assert_eq!(c["jti"], "fixed");
        assert_eq!(c["nbf"], NOW);
        assert_eq!(c["iat"], NOW - 5);
        assert_eq!(c["exp"], NOW + 60);
        let c = spec
            .with_overrides(&line(json!({"iat": null, "nbf": null})))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert!(!c.contains_key("iat") && !c.contains_key("nbf"));
    }

    #[test]
    fn batch_line_errors() {
        use serde_json::json;
        let spec = batch_defaults();
        let err =
            |v: serde_json::Value| match spec.with_overrides(&line(v)).and_then(|s| s.build(NOW)) {
                Ok(c) => panic!("accepted: {c:?}"),
                Err(e) => e.to_string(),
            };
        assert!(err(json!({"expires_in": "1.5h"}))
            .starts_with("expires_in: invalid duration \"1.5h\": fractions"));
        assert!(
            err(json!({"expires_in": 3600})).starts_with("expires_in must be a duration string")
        );
        assert!(err(json!({"expires_in": "0s"})).starts_with("the token lifetime must be positive"));
        assert!(err(json!({"exp": NOW + 60, "expires_in": "1h"}))
            .starts_with("both exp and expires_in"));
        assert!(err(json!({"exp": null})).contains("never expires"));
        assert!(err(json!({"sub": null})).starts_with("no subject"));
        assert!(err(json!({"sub": "sa:robot"})).contains("sa:"));
        assert!(err(json!({"scopes": "agents:read"})).contains("JSON list"));
        assert!(err(json!({"scopes": ["agent:read"]})).contains("agents:read"));
        assert!(err(json!({"iat": NOW + 60})).contains("iat is in the future"));
    }

    #[test]
    fn now_is_floored_unix_seconds() {
        let a = now();
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!(a <= real && real - a <= 1);
    }

    #[test]
    fn company_scopes_known_when_mounted() {
        use crate::agentos::server::parse_openapi;
        use crate::agentos::Server;
        let claims = |scope: &str| {
            serde_json::json!({"sub": "u", "aud": "os", "scopes": [scope]})
                .as_object()
                .unwrap()
                .clone()
        };
        let plain = Server::default();
        let err = check_claims(&claims("tasks:write"), NOW, false, false, &plain).unwrap_err();
        assert!(err.to_string().contains("company"), "{err}");
        let doc = r#"{"paths": {"/company/tasks": {"get": {}}}}"#;
        let company = Server::default().with_routes(parse_openapi(doc, "t").unwrap());
        check_claims(&claims("tasks:write"), NOW, false, false, &company).unwrap();
        check_claims(&claims("wiki:*:read"), NOW, false, false, &company).unwrap();
        assert!(check_claims(&claims("tasks:run"), NOW, false, false, &company).is_err());
    }
}
