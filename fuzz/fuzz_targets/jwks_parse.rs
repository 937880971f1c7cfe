//! The JWKS readers: strict `jwk_set::parse_jwks` (files we manage) and lenient
//! `jwk_set::inspect_jwks` (diagnosis), plus each JWK's conversions.
#![no_main]

use agentos_auth::jwk_set;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = jwk_set::parse_jwks(data, "fuzz") {
        for k in &set.keys {
            let _ = k.thumbprint();
            let _ = k.to_public();
            let _ = k.summary();
            k.to_key()
                .expect("parse_jwks only accepts keys that convert");
        }
        let _ = set.to_json_pretty();
    }
    if let Ok(keys) = jwk_set::inspect_jwks(data, "fuzz") {
        for k in &keys {
            let _ = k.label();
        }
    }
});
