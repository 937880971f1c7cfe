//! The compact JWS decoder (`token::decode`).
#![no_main]

use agentos_auth::token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(d) = token::decode(text) {
            let _ = d.alg();
            let _ = d.kid();
            let _ = d.claims_object();
        }
    }
});
