//! The small text parsers behind flags: durations, times, scopes, presets, subjects.
#![no_main]

use agentos_auth::{agentos, time};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(secs) = time::parse_duration(text) {
        assert!(
            (0..=time::MAX_DURATION).contains(&secs),
            "{text:?} -> {secs}"
        );
        let _ = time::format_duration(secs);
    }
    for now in [0, 1_767_225_600, i64::MAX / 2] {
        if let Ok(t) = time::parse_time(text, now) {
            assert!(t >= 0, "{text:?} -> {t}");
            let _ = time::rfc3339(t);
            let _ = time::relative(t, now);
        }
    }
    let _ = agentos::validate_scope(agentos::LATEST, text);
    let scopes = agentos::split_scopes(&[text.to_string()]);
    for s in &scopes {
        let _ = agentos::validate_scope(agentos::LATEST, s);
    }
    let _ = agentos::expand_preset(agentos::LATEST, text);
    let _ = agentos::check_subject(agentos::LATEST, text);
});
