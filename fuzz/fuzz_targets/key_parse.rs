//! The one key loader (`keys::Key::parse`): PEM in all its mangled forms, JWK, ssh-rsa,
//! raw secrets. Whatever the bytes, it returns a key or an error; a key it returns
//! must encode without failing.
#![no_main]

use agentos_auth::keys::{self, Alg, Key, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for alg in [None, Some(Alg::RS256), Some(Alg::ES256), Some(Alg::HS256)] {
        let opts = ParseOptions {
            source: "fuzz",
            alg,
        };
        if let Ok(key) = Key::parse(data, &opts) {
            let _ = key.description();
            let _ = key.thumbprint();
            if key.alg() != Alg::HS256 {
                key.public_key_pem().expect("a parsed key has a public PEM");
                key.public_jwk(Some("k"))
                    .expect("a parsed key has a public JWK");
            }
            let _ = key.private_key_pem();
            let _ = key.verifier();
            let _ = key.signer();
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keys::normalize_pem(text);
    }
});
