//! Time: the clock, durations ("15m", "1h30m"), absolute and relative times
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

    #[test]
    fn now_is_floored_unix_seconds() {
        let a = now();
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!(a <= real && real - a <= 1);
    }
}
