//! Unit tests of key parsing, encoding and signing.

use super::formats::*;
use super::key::*;
use super::pem::*;
use super::*;
use crate::error::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use der::Decode as _;
use std::sync::OnceLock;
use zeroize::Zeroizing;

// Throwaway keys made with openssl/ssh-keygen for these tests only.
const RSA2048_PKCS1: &str = r#"-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEArF08myqO4buG+PcpkRGRLVAAdJLiQ+7MFW8gWcgHhn+ax/yv
bKc2F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJm
Sl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg/9kmvWxWJI1
8vlZs13+Yr+/SqKXCo057Vbk/aVPXQFROB+s6cvQ7N95rBGQUu25092CaSwqgIW9
xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqan
ITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQIDAQABAoIBACHF2hZ4OgtidHGr
ckZVyBm2E4TD9BhF/dCUV+Uno8vXjHMzoIbcY6W1eW+4UUNrGeUL1Gd7Y7VnlfQB
CFtbHaUKAI5TGG7VFWe4j5QwUlYtAEsAhMz9UyXuQC1l/gCG3KHDcfvbnYIZeOij
/GCCFk8v4DUJSJ6MazR+RZOu0t5mw/sWb7bX//Y/eihxQydRgYVS3bi8Jeih48ux
p6RRWOw3zWgbiMGqmJ+VqapFYgM53cuRIE3FEuZQqCrMMNvq66KdRc32R2vTvBDU
SA14P+6UZmYFNp57/sOD0RD9CM2B6WcIM/8OYYCcldE7+Ur0JtVedAlLqN1duoAE
ZNYKV2kCgYEA117zvsNdKIZ/4d2ktthNMEQXR/NyHEJCscxdxJLb4EMDAoOOzr9d
sPcbFXCHAO6CJ2tADBQcrxuDhhHKaoqQ/3UjCiCEVFXcEHDgePW7RjZRAejmzHTW
hA1WhkKgMOiquy2MVLVpGd5QOPXhbwtCVmpmXXeX+e6MtLomnpN/GgkCgYEAzOFV
fBbuLUDBN2ZhlrTgP0p3stuHdkRh++Tyuj6BlymeRp7sbGbvyJu/AB0fjBZ5crg7
0ESAki8UTqA7GhjSD5O1PB+1qPLbItMG8BkOKWhx98r1wpfx9RnGjwggS9uIsbha
x1bTSFKxi2ifCE4CpIPfDmk8xWzeZ4W//pFjJaUCgYEAgHnVH6w9S2qIqP1mP+ji
ivNji/luzeq9DIFkQlp1Ld/r0LkYHL9Nrb6K+owpDOY64Db7evkYb2ETYYwFWu8U
Nj/zShxBtGmPoIMldSLpt6W5R1FfNQJR4W5veiIOm36AMq6mMvYRH2xeIMyU0YA+
73wDWqh4EZE7gKg3V4uXW7kCgYBOZ41HR58uQjGu+ccu3VlT3zOfhtN4NwMoWp1p
GLKPHqYrcHYZpertYmzdpkeEXLVtaYO6V/y79LhYvojfm9AHlgctUxU56nZiBVAK
YgxBXG8A3PLf3TYDDjImWn3Bient2RckYd3JN5wqNYdmrjPksXKTGULgaqFSDKVE
zm6a4QKBgQDXNCZv0Q329Hy6kELDGtdFXYExOIIHVb5HSHrh1mjczG9FvfHoQdtA
RqtOmaYywcBIVJesDe2y8FhxM4lK4lcfu9kgrRlndUWiFYp4gq0YcicoL8BUNcGm
+2bjnjc6DsLEhTasqQ+0EP6UnYaQRcy3wF3A3Gk8Uo6xVgxWC93aXQ==
-----END RSA PRIVATE KEY-----
"#;
const RSA2048_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArF08myqO4buG+PcpkRGR
LVAAdJLiQ+7MFW8gWcgHhn+ax/yvbKc2F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT
38HApAZBRzdAbvYz252CBqKnusJmSl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQx
cjXskiOMbdjFgHNZg/9kmvWxWJI18vlZs13+Yr+/SqKXCo057Vbk/aVPXQFROB+s
6cvQ7N95rBGQUu25092CaSwqgIW9xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5
aaZApblvTRuri6vQmDB6L4EeQqanITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioU
zQIDAQAB
-----END PUBLIC KEY-----
"#;
const RSA2048_PKCS1_PUB: &str = r#"-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEArF08myqO4buG+PcpkRGRLVAAdJLiQ+7MFW8gWcgHhn+ax/yvbKc2
F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJmSl9x
9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg/9kmvWxWJI18vlZ
s13+Yr+/SqKXCo057Vbk/aVPXQFROB+s6cvQ7N95rBGQUu25092CaSwqgIW9xcj2
a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqanITiF
rUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQIDAQAB
-----END RSA PUBLIC KEY-----
"#;
const RSA2048_SSH: &str = r#"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCsXTybKo7hu4b49ymREZEtUAB0kuJD7swVbyBZyAeGf5rH/K9spzYXt0wVbRAtdfYLhv+7armRX1W9kFZKKRPfwcCkBkFHN0Bu9jPbnYIGoqe6wmZKX3H2fRbLZd1fObPEpx3Lh/RFp7b1KGe3NDFyNeySI4xt2MWAc1mD/2Sa9bFYkjXy+VmzXf5iv79KopcKjTntVuT9pU9dAVE4H6zpy9Ds33msEZBS7bnT3YJpLCqAhb3FyPZrofuW0kV6m+RCEtQ/ewhOPvSjawdjNflppkCluW9NG6uLq9CYMHovgR5CpqchOIWtSwodov2QkfPwTivaw7cwXnajY1qaKhTN"#;
const RSA2048_JWK: &str = r#"{"kty": "RSA", "n": "rF08myqO4buG-PcpkRGRLVAAdJLiQ-7MFW8gWcgHhn-ax_yvbKc2F7dMFW0QLXX2C4b_u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJmSl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg_9kmvWxWJI18vlZs13-Yr-_SqKXCo057Vbk_aVPXQFROB-s6cvQ7N95rBGQUu25092CaSwqgIW9xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqanITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQ", "e": "AQAB", "d": "IcXaFng6C2J0catyRlXIGbYThMP0GEX90JRX5Sejy9eMczOghtxjpbV5b7hRQ2sZ5QvUZ3tjtWeV9AEIW1sdpQoAjlMYbtUVZ7iPlDBSVi0ASwCEzP1TJe5ALWX-AIbcocNx-9udghl46KP8YIIWTy_gNQlInoxrNH5Fk67S3mbD-xZvttf_9j96KHFDJ1GBhVLduLwl6KHjy7GnpFFY7DfNaBuIwaqYn5WpqkViAzndy5EgTcUS5lCoKsww2-rrop1FzfZHa9O8ENRIDXg_7pRmZgU2nnv-w4PREP0IzYHpZwgz_w5hgJyV0Tv5SvQm1V50CUuo3V26gARk1gpXaQ", "p": "117zvsNdKIZ_4d2ktthNMEQXR_NyHEJCscxdxJLb4EMDAoOOzr9dsPcbFXCHAO6CJ2tADBQcrxuDhhHKaoqQ_3UjCiCEVFXcEHDgePW7RjZRAejmzHTWhA1WhkKgMOiquy2MVLVpGd5QOPXhbwtCVmpmXXeX-e6MtLomnpN_Ggk", "q": "zOFVfBbuLUDBN2ZhlrTgP0p3stuHdkRh--Tyuj6BlymeRp7sbGbvyJu_AB0fjBZ5crg70ESAki8UTqA7GhjSD5O1PB-1qPLbItMG8BkOKWhx98r1wpfx9RnGjwggS9uIsbhax1bTSFKxi2ifCE4CpIPfDmk8xWzeZ4W__pFjJaU", "dp": "gHnVH6w9S2qIqP1mP-jiivNji_luzeq9DIFkQlp1Ld_r0LkYHL9Nrb6K-owpDOY64Db7evkYb2ETYYwFWu8UNj_zShxBtGmPoIMldSLpt6W5R1FfNQJR4W5veiIOm36AMq6mMvYRH2xeIMyU0YA-73wDWqh4EZE7gKg3V4uXW7k", "dq": "TmeNR0efLkIxrvnHLt1ZU98zn4bTeDcDKFqdaRiyjx6mK3B2GaXq7WJs3aZHhFy1bWmDulf8u_S4WL6I35vQB5YHLVMVOep2YgVQCmIMQVxvANzy3902Aw4yJlp9wYnp7dkXJGHdyTecKjWHZq4z5LFykxlC4GqhUgylRM5umuE", "qi": "1zQmb9EN9vR8upBCwxrXRV2BMTiCB1W-R0h64dZo3MxvRb3x6EHbQEarTpmmMsHASFSXrA3tsvBYcTOJSuJXH7vZIK0ZZ3VFohWKeIKtGHInKC_AVDXBpvtm4543Og7CxIU2rKkPtBD-lJ2GkEXMt8BdwNxpPFKOsVYMVgvd2l0"}"#;
const RSA1024_PKCS1: &str = r#"-----BEGIN RSA PRIVATE KEY-----
MIICXwIBAAKBgQDtVSO+Fyq274Au+e67Yp2JeHj07uEKX/IfnOagwGuvdMojiLhY
rrYhuefcUXcMC8Du81Th0/P9nw7GANhUxBt24TjSy6WFylLRbsez8oBLS5F7epZE
C4Lci4uWNIAi7zIdekiZvaztAFFbCcXl8lWyi13mGHc1JfTD8Z0YT6RMHwIDAQAB
AoGBANcz1n8tvpu2vELceq8LktHuna9rVD/2FDS6Lx4gnQSyIADsnkw70Abw7d+H
Ny2DEuUZXCSR7rJRIjJE3eSvFj6MeRn4bcXLshcI9xVqAKwvgglHN+QRbokczGeN
pm6Jpca3gkMOl68Q6SFobSaxZ8ziVfyEriKyi2gLg1iqRKDRAkEA/S87JsYGjVFr
Rzsw6sSYHduYVVxkx3ZtO8Ku+65Zb8UAukpTU9XxlK/SkcrywVzasnYmI92lJXNG
Iz8ARhMVdQJBAO/4x/aWAyOkI5E/GP3Mgimo/qZueXKdOGOaZNJ9fV5biw+DMk8n
USCfEU5Ytd7cm6pm+9Cb6J7n9MKKbghspMMCQQDJYegKzzgm77wEzG/8TKMyHJju
TK9ceDYqco/8YJGC9Y++nZ/p7yJYwgEbNfIhG1pY2OE9Ze8V+rqvDk2Jb2SBAkEA
4RkpYVn4Gd+m6WEZrUC/vBpkvHOWgneN5Ih4GKZUCkWunN+BOpRz2ji7wBUgjKu9
bUtq3JTS0PReOHonmslmhwJBALSuhfxgq6qs7NBIO6pJx4t5Q/gcqyZ8hCW1v/Gf
ND4X9/a+Ep4Cq3e4lnqxLOlZjYBS8X5HNazAgKRzkjDBNpA=
-----END RSA PRIVATE KEY-----
"#;
const RSA1024_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDtVSO+Fyq274Au+e67Yp2JeHj0
7uEKX/IfnOagwGuvdMojiLhYrrYhuefcUXcMC8Du81Th0/P9nw7GANhUxBt24TjS
y6WFylLRbsez8oBLS5F7epZEC4Lci4uWNIAi7zIdekiZvaztAFFbCcXl8lWyi13m
GHc1JfTD8Z0YT6RMHwIDAQAB
-----END PUBLIC KEY-----
"#;
const EC_SEC1_WITH_PARAMS: &str = r#"-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIOJCBlJe9RWVFpmXy/Nx68iXHJBvKUSQfYS0Xf3uQVXQoAoGCCqGSM49
AwEHoUQDQgAExHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z5/fNgTU7nU
kUGsB94DSVVeqyZGxSnqp7pfaZRpkRRIzw==
-----END EC PRIVATE KEY-----
"#;
const EC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExHSEAPOPRJpx82zm73pEQOKrRrYC
u78p1wKYrDln4Z5/fNgTU7nUkUGsB94DSVVeqyZGxSnqp7pfaZRpkRRIzw==
-----END PUBLIC KEY-----
"#;
const EC_SPKI_COMPRESSED: &str = r#"-----BEGIN PUBLIC KEY-----
MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgADxHSEAPOPRJpx82zm73pEQOKrRrYC
u78p1wKYrDln4Z4=
-----END PUBLIC KEY-----
"#;
const EC_JWK: &str = r#"{"kty": "EC", "crv": "P-256", "x": "xHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z4", "y": "f3zYE1O51JFBrAfeA0lVXqsmRsUp6qe6X2mUaZEUSM8", "d": "4kIGUl71FZUWmZfL83HryJcckG8pRJB9hLRd_e5BVdA"}"#;
const EC_ENCRYPTED_PKCS8: &str = r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjBLodsjCuJOAICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEB/XvBXXTHrdpnH8OdWQpVAEgZBE
2HjKCDkDzDnfc7pcKfq/Acqryn2+y9zcGUtcWii9fQj6Bnpv7S5jMkYaFG6DGex/
H56z6PGi+ZnhEfhMPTvFRjNeXoA4Jd5Y5x2rTiKW659KX+7a9Csvu1gt34NHBX1Z
DsPkoxecuGciROh+nCGlQ+ceBVistFmoXh5yPPZN7VXhXSV6pSnX3l22bnUE+AQ=
-----END ENCRYPTED PRIVATE KEY-----
"#;
const RSA_LEGACY_ENCRYPTED: &str = r#"-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-128-CBC,365386885E3C487B7115E676511B9806

2MzRfFwFyNSj4XUQXYzR5oTUxBymX7tAUrOFztDjnpneqrFvcEtf7qN8tNBmC+U9
nI+SM0UqwMBEEkZwNMFdgxJmUyWJiA+1wF4bwwARVGN5FFyJGznwOumsHNTyLaDi
TY1XvxN82xdPUYxjthLfYqDS0Hn9P/xtJXTKndl1ko2SwmaA/ZZjiUtlWtB1C0cq
hQs5yW4x3oQWMn9GA/OMoQKMn2lIo7FtHHVm3acujN2JH9IRREiOFIRvhjOhhJPl
LkovFksZP0aOI2mmryW/92uX4NCMXC65oFxc7pwmPYSgFrfzTOVeDC1emh/Rxyko
/l78/TpMKysti08sS4ETLKzjXO23bAxMLrZ6XU7DyD/AMuHT3WpKVwiq+kJHhbDL
zgKghF7sZf/yI2d/fyfCUVIGHF94vUbDH1dJ/rpTLJAzFgD8YF3A70bW/6RLy3mc
LExr1gra4xs3nNJNNFq466pdll8RU5RKWeuJhzqnc40yi7Zu8q/s2VOhm2UA3dDj
IWtqgXc024p4/xenDhzMKNBG/GTtlgPRMRRXxK0pSAyyCpV1MJhK5gOPRbwYn7A9
D6P05yBvp9OWCuyE65IfnCWdqjxPCgKx2RwgLhsmySecxcDwBa0NjD+UCj3NEVI1
vMpNACxdCUczzwpU2XvkYUKZmdJqNVpISeA/eXQ+CvMPkLoya2H/e5J0WfRzPE2h
9B7ioatPERSJxPgLHyutGKZ1eoCQAPRYckCxZcHDiteB5ZQuOkfaCjXCTXNPCsbW
zkMi8jSmERo0qBZPuPlQWak32rrbbmkppLhuZLY2s4cmVIr5+sIKX00nlGN3HrbZ
-----END RSA PRIVATE KEY-----
"#;
const CERT: &str = r#"-----BEGIN CERTIFICATE-----
MIIBbDCCAROgAwIBAgIUTwqfM8wyzM8S2DGj0u8sD7ZepQswCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAeFw0yNjExMjMxMjI4MzJaFw0zNjExMjAxMjI4MzJaMAwx
CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATEdIQA849EmnHz
bObvekRA4qtGtgK7vynXApisOWfhnn982BNTudSRQawH3gNJVV6rJkbFKeqnul9p
lGmRFEjPo1MwUTAdBgNVHQ4EFgQUDd1DaxPubfis756YmA5Z4NAZWMswHwYDVR0j
BBgwFoAUDd1DaxPubfis756YmA5Z4NAZWMswDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNHADBEAiAHOmSNEPLeniSAgUPQCPbd7hJKKyKznCz7VNKbhkWoAgIg
IPchtxX6CRZi16vYsFiVThNRggAwvKUoVY22pxrQw5Y=
-----END CERTIFICATE-----
"#;
const ED25519_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIDMDjBCcHnCoP+VBlB+Bc/k7s2UccB71QQO5uil9rdyf
-----END PRIVATE KEY-----
"#;
const ED25519_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA1Mr0BqxWOayKXkFLy+eqqXfJhBD3mvf4HzjrbkTIxFg=
-----END PUBLIC KEY-----
"#;
const ED25519_SSH: &str =
    r#"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILFL70FMobBAKD2/klB23gRbCh82EZnTfc+XqMe4y1vl t"#;
const P384_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAOM8+kjGBYumAclINe
j35Q1wsGNeJyxfhHnSmaRIDfXcvJ7I4pNiZ+vyuy2gwhN3ChZANiAAT2g37AEh/s
ZqWDko5BHMfbE38IkDJ3txTxG8QzS/Rlpm8cbBwcBGtkp3fMGr5GZAysmmCnXsxF
Sq3bc1LHE8VaILgWCEZle2HjsPQNM4skFDF4RMF9WcDDzVKA9tZ+w5A=
-----END PRIVATE KEY-----
"#;
const P384_SEC1: &str = r#"-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDAOM8+kjGBYumAclINej35Q1wsGNeJyxfhHnSmaRIDfXcvJ7I4pNiZ+
vyuy2gwhN3CgBwYFK4EEACKhZANiAAT2g37AEh/sZqWDko5BHMfbE38IkDJ3txTx
G8QzS/Rlpm8cbBwcBGtkp3fMGr5GZAysmmCnXsxFSq3bc1LHE8VaILgWCEZle2Hj
sPQNM4skFDF4RMF9WcDDzVKA9tZ+w5A=
-----END EC PRIVATE KEY-----
"#;
const P384_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE9oN+wBIf7Galg5KOQRzH2xN/CJAyd7cU
8RvEM0v0ZaZvHGwcHARrZKd3zBq+RmQMrJpgp17MRUqt23NSxxPFWiC4FghGZXth
47D0DTOLJBQxeETBfVnAw81SgPbWfsOQ
-----END PUBLIC KEY-----
"#;
const SECP256K1_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEeHB/Qj499yfUvZX9Z8SjVgO4ZYtQoHR2
TxhoSm6X9mceSfcWJKwP/LE4L90OTdjAoJi+x4ge++Pou/JX/O+WPw==
-----END PUBLIC KEY-----
"#;
const DSA_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MIIBXAIBADCCATQGByqGSM44BAEwggEnAoGBAPhFQl8YWHi2MKWREt4x8O55rxvH
gbQ0OZfVqhH/SFvyDZ3Ba1VKBpDMHMLcNDmQbajQYD+/cooQ7R5z5qS2JmJKkf4w
On6AdUkpfngn8IzlR6atymXueAv50N8IKhTTmLFubnGx5bBNWnwtljApWj+Kwxzu
VQEGdZrCkN0T3b2jAh0A8XwLfeflRyFwzMikp7BNuv8EeM4UVEILAi/r+wKBgQCD
mKj7e/dgZJjttPqotdQPWZnHGRk8P/dMPpRrsK2/K0slHc83PyBSpefbNCRPK6AM
B4WzAOAue/ftdlLkjdd2Ipz+zWQFK0HAEof1wRD7Xhm5E/jqTh4i8prvJKHypoHX
mwoYzDEMicyfgLUWKBpdfrXR3vmyfjFZUj3EN2BUZAQfAh0ArREE96mr0uwiz746
Q2e42a2q1bgqu6GMtemyQg==
-----END PRIVATE KEY-----
"#;
const DSA_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBwDCCATQGByqGSM44BAEwggEnAoGBAPhFQl8YWHi2MKWREt4x8O55rxvHgbQ0
OZfVqhH/SFvyDZ3Ba1VKBpDMHMLcNDmQbajQYD+/cooQ7R5z5qS2JmJKkf4wOn6A
dUkpfngn8IzlR6atymXueAv50N8IKhTTmLFubnGx5bBNWnwtljApWj+KwxzuVQEG
dZrCkN0T3b2jAh0A8XwLfeflRyFwzMikp7BNuv8EeM4UVEILAi/r+wKBgQCDmKj7
e/dgZJjttPqotdQPWZnHGRk8P/dMPpRrsK2/K0slHc83PyBSpefbNCRPK6AMB4Wz
AOAue/ftdlLkjdd2Ipz+zWQFK0HAEof1wRD7Xhm5E/jqTh4i8prvJKHypoHXmwoY
zDEMicyfgLUWKBpdfrXR3vmyfjFZUj3EN2BUZAOBhQACgYEAwAxKc7l0p7RwLSQ+
L6X2thIQfaL5KEYfY5kvW1MrbaM8CN6HKqn4p4O8VLJ9TpSDLDRSuinVjZ0gJR7K
L8p3YvMxBUsfXKWVv6szK+gf0ji+qrxWnZNkuXvBsd3upvaxeaeSEvbwbtGuSQVT
APOWd1czChqZ15Lykc+UTJeAQ70=
-----END PUBLIC KEY-----
"#;
const RSA_PSS_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIDALBgkqhkiG9w0BAQoDggEPADCCAQoCggEBAL6uJ1uFArLDOGEpTp4ARHzx
yVKRc7m38hu871pDSSwl+3j1sqjjB0ogFgSXMkyng6jO5lAz2AjcIWdqm8ZpKDYw
mNl5gbr+6rWJpzpJEsYsmnLUkSl3y+ZOzY5EKav9u+lDMQK2vf0G8LlT8aEYjSyc
vjXBispbH1pEjdO+QQQRevqsenK7534xrdxodS2TUgFZAuqx5JQRg3GwjyJ1smNL
bZXDawFBOFlq/+lJdqPmLxB5UhqjCLXvUnb6sFC6zAnXBlxktOK5pazIEiAWi3GW
sEwlXSyp8ck3hucZGOSmIpl1r9o8ZjaJY0j5QPWCByk6bFeI8IjtC6XYqQwmSQcC
AwEAAQ==
-----END PUBLIC KEY-----
"#;

/// RFC 7638 thumbprints of the fixtures, computed independently (Python).
const RSA2048_THUMB: &str = "lQhb2w7VLHWb6-71nGatElCRTcwiKFQqnASkbjnnI4Q";
const EC_THUMB: &str = "DTtODWxvTEOjM5NQqo3c6eSZH-lwDrqHJ711oeXa1Cc";
/// A JWS signing input and openssl's signatures over it (base64url).
const MSG: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0";
const RS_SIG_2048: &str = "eZ7Iihdz1uQpJ-qOpeAowzbiHxxiUhwqB50aZkGyLThLczdPoK_38FTsolTYf8Oi9XtrgnKQq7ucAMpq45W5V1tAd1Eab2KqcDt1n6xyyJLN1ub5vQm9rIgGX1x_L6IU7W2WWRoKLzDqfTgv1At5cRX6EQcpNdbdQsJuo4Nv4gJj-efkUIbjeZHXMi5QIcjVFEx8ajt-j8i7cmsjfm0absMZNpoQ8U7y956BJbYfREnxYnkJmDqF8K9r00w7-o1zUaV12oeylaHN6mrOd5KaisQWxCPjWaJV-t9XMy9RAy8Zu48JJWyArNK6MuE-wJBPN39t8CY3MMO_7JWdZmpzAw";
const RS_SIG_1024: &str = "KsciCy5KDKcZoIMg_xos5n5yStN3qC1z5sJHNsw7GTcHJJSH-l6Mgb-rTm5rLw6_Al-x96ALs2JmhH1Ynx14_h6TDWlw9mb2cY-UPJDrGMasRIUPRkQdu-4YTjO64CfUbO3JhsaEQUbGC_zdU_5XYgfeJw012c7PAW0oWP6S9W8";
/// openssl's ECDSA signature over MSG with EC_SEC1_WITH_PARAMS: raw r||s, and DER.
const ES_SIG_RAW: &str =
    "XyagCfR1hMCi2QByk1U3AdWxWQyZwlXsdmBX5K19Zb3Kfnk3UcNBsLce1AYaCmeveXjvEzsV_n-1CXgEnMZEjQ";
const ES_SIG_DER: &str = "MEUCIF8moAn0dYTAotkAcpNVNwHVsVkMmcJV7HZgV-StfWW9AiEAyn55N1HDQbC3HtQGGgpnr3l47xM7Ff5_tQl4BJzGRI0";

fn opts(alg: Option<Alg>) -> ParseOptions<'static> {
    ParseOptions {
        source: "key.pem",
        alg,
    }
}

fn parse(s: &str) -> Result<Key> {
    Key::parse(s.as_bytes(), &opts(None))
}

fn parse_err(s: &[u8], alg: Option<Alg>) -> Error {
    let e = Key::parse(s, &opts(alg)).expect_err("parse should fail");
    let shown = e.to_string();
    assert!(!shown.contains('\n'), "multi-line error: {shown}");
    assert!(e.hint.is_some(), "error without a hint: {shown}");
    assert!(
        shown.contains("key.pem"),
        "error does not name the source: {shown}"
    );
    e
}

fn b64d(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn rsa_generated() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| Key::generate(Alg::RS256, 2048).unwrap())
}

fn assert_canonical_pem(pem: &str, label: &str) {
    assert!(
        pem.starts_with(&format!("-----BEGIN {label}-----\n")),
        "{pem}"
    );
    assert!(pem.ends_with(&format!("-----END {label}-----\n")), "{pem}");
    assert!(!pem.contains('\r'));
    assert!(pem.lines().all(|l| l.len() <= 64), "{pem}");
}

#[test]
fn alg_names() {
    assert_eq!("rs256".parse::<Alg>().unwrap(), Alg::RS256);
    assert_eq!("Es256".parse::<Alg>().unwrap(), Alg::ES256);
    assert_eq!("HS256".parse::<Alg>().unwrap(), Alg::HS256);
    let e = "PS256".parse::<Alg>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown algorithm \"PS256\" (use RS256, ES256 or HS256)"
    );
    assert_eq!(Alg::ES256.to_string(), "ES256");
    assert_eq!(Alg::RS256.key_type(), "RSA");
    assert_eq!(Alg::ES256.key_type(), "EC P-256");
    assert_eq!(Alg::HS256.key_type(), "HMAC secret");
    assert_eq!(serde_json::to_string(&Alg::HS256).unwrap(), "\"HS256\"");
    assert_eq!(
        serde_json::from_str::<Alg>("\"ES256\"").unwrap(),
        Alg::ES256
    );
    use clap::ValueEnum;
    let names: Vec<String> = Alg::value_variants()
        .iter()
        .map(|a| a.to_possible_value().unwrap().get_name().to_string())
        .collect();
    assert_eq!(names, ["RS256", "ES256", "HS256"]);
}

#[test]
fn generate_hs256_secret() {
    let k = Key::generate(Alg::HS256, 0).unwrap();
    let s = k.secret().unwrap();
    assert_eq!(s.len(), 43);
    assert!(s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(URL_SAFE_NO_PAD.decode(s).unwrap().len(), 32);
    assert_ne!(Key::generate(Alg::HS256, 0).unwrap().secret(), Some(s));
    assert!(k.is_private());
    assert_eq!(k.description(), "HS256 secret (43 bytes)");
    assert!(k.private_key_pem().is_none());
    assert!(k
        .public_key_pem()
        .unwrap_err()
        .to_string()
        .contains("has no public key"));
    assert!(k.public_jwk(None).is_err());
}

#[test]
fn generate_rejects_odd_rsa_sizes() {
    for bits in [0, 1024, 2047, 8192] {
        let e = Key::generate(Alg::RS256, bits).unwrap_err();
        assert!(e.to_string().contains("2048, 3072 or 4096"), "{e}");
    }
}

#[test]
fn generated_keys_round_trip_through_pem() {
    let ec = Key::generate(Alg::ES256, 2048).unwrap();
    for key in [rsa_generated(), &ec] {
        assert!(key.is_private());
        let private = key.private_key_pem().unwrap();
        assert_canonical_pem(&private, "PRIVATE KEY");
        let again = parse(&private).unwrap();
        assert!(again.is_private());
        assert_eq!(again.alg(), key.alg());
        assert_eq!(again.thumbprint(), key.thumbprint());
        assert_eq!(again.private_key_pem().unwrap().as_str(), private.as_str());

        let public = key.public_key_pem().unwrap();
        assert_canonical_pem(&public, "PUBLIC KEY");
        let pubkey = parse(&public).unwrap();
        assert!(!pubkey.is_private());
        assert!(pubkey.private_key_pem().is_none());
        assert_eq!(pubkey.thumbprint(), key.thumbprint());
        assert_eq!(pubkey.public_key_pem().unwrap(), public);
    }
    assert_eq!(rsa_generated().rsa_bits(), Some(2048));
    assert_eq!(rsa_generated().description(), "RSA 2048-bit private key");
    assert_eq!(ec.description(), "EC P-256 private key");
    assert_eq!(ec.rsa_bits(), None);
    let ec_pub = parse(&ec.public_key_pem().unwrap()).unwrap();
    assert_eq!(ec_pub.description(), "EC P-256 public key");
}

#[test]
fn generated_keys_round_trip_through_jwk() {
    let ec = Key::generate(Alg::ES256, 0).unwrap();
    let hs = Key::generate(Alg::HS256, 0).unwrap();
    for key in [rsa_generated(), &ec] {
        let jwk = key.public_jwk(Some("k1")).unwrap();
        assert!(!jwk.has_private_members());
        let back = jwk.to_key().unwrap();
        assert!(!back.is_private());
        assert_eq!(back.thumbprint(), key.thumbprint());
        assert_eq!(back.public_jwk(Some("k1")).unwrap(), jwk);
        assert_eq!(jwk.thumbprint().unwrap(), key.thumbprint());
    }
    let jwk = hs.secret_jwk(Some("s1")).unwrap();
    assert_eq!(jwk.kty, "oct");
    assert_eq!(jwk.alg.as_deref(), Some("HS256"));
    assert_eq!(jwk.use_.as_deref(), Some("sig"));
    let back = jwk.to_key().unwrap();
    assert_eq!(back.secret(), hs.secret());
    assert_eq!(back.thumbprint(), hs.thumbprint());
    assert_eq!(jwk.thumbprint().unwrap(), hs.thumbprint());
    assert!(rsa_generated().secret_jwk(None).is_none());
}

#[test]
fn jwk_member_order() {
    let rsa = serde_json::to_string(&parse(RSA2048_SPKI).unwrap().public_jwk(Some("k1")).unwrap())
        .unwrap();
    assert!(
        rsa.starts_with(r#"{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1","n":""#),
        "{rsa}"
    );
    assert!(rsa.ends_with(r#","e":"AQAB"}"#), "{rsa}");
    let ec = serde_json::to_string(&parse(EC_SPKI).unwrap().public_jwk(None).unwrap()).unwrap();
    assert_eq!(
        ec,
        r#"{"kty":"EC","use":"sig","alg":"ES256","crv":"P-256","x":"xHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z4","y":"f3zYE1O51JFBrAfeA0lVXqsmRsUp6qe6X2mUaZEUSM8"}"#
    );
    let hs = Key::parse(b"s3cret", &opts(Some(Alg::HS256))).unwrap();
    let oct = serde_json::to_string(&hs.secret_jwk(Some("h")).unwrap()).unwrap();
    assert_eq!(
        oct,
        r#"{"kty":"oct","use":"sig","alg":"HS256","kid":"h","k":"czNjcmV0"}"#
    );
}

#[test]
fn ec_coordinates_are_left_padded_to_32_bytes() {
    // About 1 key in 128 has x or y with a leading zero byte.
    let mut found = false;
    for _ in 0..5000 {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        let Inner::Ec { point, .. } = &key.inner else {
            unreachable!()
        };
        if point[1] != 0 && point[33] != 0 {
            continue;
        }
        let jwk = key.public_jwk(None).unwrap();
        assert_eq!(b64d(jwk.x.as_deref().unwrap()).len(), 32);
        assert_eq!(b64d(jwk.y.as_deref().unwrap()).len(), 32);
        assert_eq!(jwk.to_key().unwrap().thumbprint(), key.thumbprint());
        let private = parse(&key.private_key_pem().unwrap()).unwrap();
        assert_eq!(private.thumbprint(), key.thumbprint());
        found = true;
        break;
    }
    assert!(found, "no key with a leading zero coordinate in 5000 tries");
}

#[test]
fn thumbprint_rfc7638_example() {
    let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
    let key = parse(jwk).unwrap();
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    assert_eq!(key.rsa_bits(), Some(2048));
    let value: serde_json::Value = serde_json::from_str(jwk).unwrap();
    let parsed = Jwk::from_value(&value).unwrap();
    assert_eq!(
        parsed.thumbprint().unwrap(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn every_rsa_format_is_the_same_key() {
    for (name, text) in [
        ("pkcs1 private", RSA2048_PKCS1),
        ("spki", RSA2048_SPKI),
        ("pkcs1 public", RSA2048_PKCS1_PUB),
        ("ssh-rsa", RSA2048_SSH),
        ("jwk private", RSA2048_JWK),
    ] {
        let key = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.alg(), Alg::RS256, "{name}");
        assert_eq!(key.rsa_bits(), Some(2048), "{name}");
        assert_eq!(key.thumbprint(), RSA2048_THUMB, "{name}");
        assert_eq!(key.public_key_pem().unwrap(), RSA2048_SPKI, "{name}");
    }
    assert!(parse(RSA2048_PKCS1).unwrap().is_private());
    assert!(parse(RSA2048_JWK).unwrap().is_private());
    assert!(!parse(RSA2048_SSH).unwrap().is_private());
    // A PKCS#1 key comes back out as PKCS#8.
    let pkcs8 = parse(RSA2048_PKCS1).unwrap().private_key_pem().unwrap();
    assert_canonical_pem(&pkcs8, "PRIVATE KEY");
    assert_eq!(parse(&pkcs8).unwrap().thumbprint(), RSA2048_THUMB);
}

#[test]
fn every_ec_format_is_the_same_key() {
    for (name, text) in [
        ("sec1 with EC PARAMETERS", EC_SEC1_WITH_PARAMS),
        ("spki", EC_SPKI),
        ("compressed spki", EC_SPKI_COMPRESSED),
        ("jwk private", EC_JWK),
    ] {
        let key = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.alg(), Alg::ES256, "{name}");
        assert_eq!(key.thumbprint(), EC_THUMB, "{name}");
        assert_eq!(key.public_key_pem().unwrap(), EC_SPKI, "{name}");
    }
    assert!(parse(EC_SEC1_WITH_PARAMS).unwrap().is_private());
    assert!(parse(EC_JWK).unwrap().is_private());
    // The SEC1 key without its EC PARAMETERS block.
    let alone = EC_SEC1_WITH_PARAMS
        .split("-----END EC PARAMETERS-----\n")
        .nth(1)
        .unwrap();
    assert_eq!(parse(alone).unwrap().thumbprint(), EC_THUMB);
}

fn manglings(pem: &str) -> Vec<(&'static str, String)> {
    let one_line_spaces = pem.trim_end().replace('\n', " ");
    vec![
        ("crlf", pem.replace('\n', "\r\n")),
        ("spaces for newlines", one_line_spaces.clone()),
        ("no newlines", pem.replace('\n', "")),
        ("literal \\n", pem.trim_end().replace('\n', "\\n")),
        ("literal \\r\\n", pem.trim_end().replace('\n', "\\r\\n")),
        ("double quotes", format!("\"{pem}\"")),
        ("single quotes", format!("'{}'", pem.trim_end())),
        (
            "quotes and literal \\n",
            format!("\"{}\\n\"", pem.trim_end().replace('\n', "\\n")),
        ),
        (
            "leading and trailing whitespace",
            format!("  \n\t{pem}\n\n  "),
        ),
        (
            "indented lines",
            pem.lines().map(|l| format!("    {l}\n")).collect(),
        ),
        (
            "quoted spaces with padding",
            format!("  \"{one_line_spaces}\"  \n"),
        ),
        ("no final newline", pem.trim_end().to_string()),
    ]
}

#[test]
fn normaliser_undoes_every_mangling() {
    for pem in [
        RSA2048_SPKI,
        RSA2048_PKCS1_PUB,
        EC_SEC1_WITH_PARAMS,
        RSA2048_PKCS1,
        CERT,
    ] {
        assert_eq!(normalize_pem(pem).unwrap().as_str(), pem);
        for (how, mangled) in manglings(pem) {
            assert_eq!(normalize_pem(&mangled).unwrap().as_str(), pem, "{how}");
        }
    }
    // Short last line and odd wrapping widths are re-wrapped at 64 columns.
    let wide = RSA2048_SPKI
        .replace("-----\n", "-----\r\n")
        .replace('\n', "");
    assert_eq!(normalize_pem(&wide).unwrap().as_str(), RSA2048_SPKI);
    assert!(normalize_pem("hello").is_err());
    // Fuzz regression (key_parse): a non-ASCII body used to panic while re-wrapping
    // at 64 columns (byte 64 inside a multi-byte char).
    let body = format!("{}é{}", "A".repeat(63), "B".repeat(70));
    let err = normalize_pem(&format!(
        "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("not base64 text"), "{err}");
}

#[test]
fn parse_accepts_every_mangling() {
    for (pem, thumb) in [
        (RSA2048_SPKI, RSA2048_THUMB),
        (RSA2048_PKCS1_PUB, RSA2048_THUMB),
        (RSA2048_PKCS1, RSA2048_THUMB),
        (EC_SEC1_WITH_PARAMS, EC_THUMB),
        (EC_SPKI, EC_THUMB),
    ] {
        for (how, mangled) in manglings(pem) {
            let key = parse(&mangled).unwrap_or_else(|e| panic!("{how}: {e}"));
            assert_eq!(key.thumbprint(), thumb, "{how}");
        }
    }
    // JWK and ssh-rsa wrapped in quotes, with surrounding whitespace.
    assert_eq!(
        parse(&format!("  '{EC_JWK}'\n")).unwrap().thumbprint(),
        EC_THUMB
    );
    assert_eq!(
        parse(&format!("\"{RSA2048_SSH}\"\n")).unwrap().thumbprint(),
        RSA2048_THUMB
    );
}

#[test]
fn hs256_raw_secret() {
    let hs = Some(Alg::HS256);
    for (input, want) in [
        ("s3cret", "s3cret"),
        ("s3cret\n", "s3cret"),
        // As `$(cat f)`: only trailing newlines go, a trailing \r stays.
        ("s3cret\r\n", "s3cret\r"),
        ("s3cret\r", "s3cret\r"),
        ("s3cret\n\n", "s3cret"),
        ("  spaced secret ", "  spaced secret "),
        ("\"quoted\"", "\"quoted\""),
        ("sk-live-0123", "sk-live-0123"),
        ("ssh-not-a-key", "ssh-not-a-key"),
    ] {
        let key = Key::parse(input.as_bytes(), &opts(hs)).unwrap();
        assert_eq!(key.secret(), Some(want), "{input:?}");
        assert_eq!(key.alg(), Alg::HS256);
    }
    let key = Key::parse(b"abc\n", &opts(hs)).unwrap();
    assert_eq!(key.description(), "HS256 secret (3 bytes)");
    // An oct JWK is a secret too: k is the base64url of the secret's bytes.
    let key = parse(r#"{"kty":"oct","k":"czNjcmV0"}"#).unwrap();
    assert_eq!(key.secret(), Some("s3cret"));
    let e = parse_err(b"\n\n", hs);
    assert!(e.to_string().starts_with("key.pem is empty"), "{e}");
}

#[test]
fn non_pem_without_hs256_is_an_error() {
    let e = parse_err(b"s3cret\n", None);
    assert_eq!(
        e.to_string(),
        "key.pem: not a PEM key (no \"-----BEGIN\" line) (pass a PEM key file, or --alg HS256 if this is an HS256 secret)"
    );
    // A PEM body that lost its BEGIN/END lines gets a hint saying so.
    let body: String = RSA2048_SPKI
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let e = parse_err(body.as_bytes(), None);
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("without its -----BEGIN/-----END lines"),
        "{e}"
    );
    // The same mismatch with ES256 expected.
    parse_err(b"s3cret", Some(Alg::ES256));
}

#[test]
fn key_type_must_match_the_expected_alg() {
    let e = parse_err(RSA2048_SPKI.as_bytes(), Some(Alg::ES256));
    assert!(
        e.msg == "key.pem is an RSA key but --alg ES256 needs an EC P-256 key",
        "{e}"
    );
    let e = parse_err(EC_SPKI.as_bytes(), Some(Alg::RS256));
    assert_eq!(
        e.msg,
        "key.pem is an EC P-256 key but --alg RS256 needs an RSA key"
    );
    let e = parse_err(EC_SEC1_WITH_PARAMS.as_bytes(), Some(Alg::HS256));
    assert_eq!(
        e.msg,
        "key.pem is an EC P-256 key but --alg HS256 needs an HMAC secret"
    );
    let e = parse_err(br#"{"kty":"oct","k":"czNjcmV0"}"#, Some(Alg::RS256));
    assert_eq!(
        e.msg,
        "key.pem is an HMAC secret but --alg RS256 needs an RSA key"
    );
    assert!(Key::parse(RSA2048_SPKI.as_bytes(), &opts(Some(Alg::RS256))).is_ok());
    assert!(Key::parse(EC_SPKI.as_bytes(), &opts(Some(Alg::ES256))).is_ok());
}

#[test]
fn empty_and_binary_input() {
    for empty in [&b""[..], b"   \n\t\r\n"] {
        let e = parse_err(empty, None);
        assert!(e.msg.starts_with("key.pem is empty"), "{e}");
    }
    let e = parse_err(&[0xff, 0xfe, 0x00, 0x13, 0x37, 0x80], None);
    assert!(e.msg.contains("binary"), "{e}");
    let e = parse_err(&[0xff, 0xfe, 0x00, 0x13], Some(Alg::HS256));
    assert!(e.msg.contains("binary"), "{e}");
    // DER, as `openssl pkey -outform DER` writes it.
    let der = B64_LENIENT
        .decode(
            RSA2048_SPKI
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    let e = parse_err(&der, None);
    assert!(e.msg.contains("DER"), "{e}");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("openssl pkey -inform DER"),
        "{e}"
    );
    // Text with control characters.
    let e = parse_err(b"abc\x00def", None);
    assert!(e.msg.contains("binary"), "{e}");
}

#[test]
fn damaged_pem() {
    // A character that is not base64.
    let garbled = RSA2048_SPKI.replacen("MIIB", "MI*B", 1);
    let e = parse_err(garbled.as_bytes(), None);
    assert!(e.msg.contains("not valid base64"), "{e}");
    // Lines lost in the middle.
    let lines: Vec<&str> = RSA2048_SPKI.lines().collect();
    let truncated = [&lines[..3], &lines[lines.len() - 1..]].concat().join("\n");
    let e = parse_err(truncated.as_bytes(), None);
    assert!(e.msg.contains("damaged or truncated"), "{e}");
    // Cut short: no END line.
    let cut = &RSA2048_PKCS1[..RSA2048_PKCS1.len() / 2];
    let e = parse_err(cut.as_bytes(), None);
    assert!(e.msg.contains("no END line"), "{e}");
    // Damaged BEGIN line.
    let e = parse_err(b"-----BEGIN PUBLIC KEY", None);
    assert!(e.msg.contains("BEGIN line"), "{e}");
    // A truncated private key.
    let lines: Vec<&str> = RSA2048_PKCS1.lines().collect();
    let truncated = [&lines[..10], &lines[lines.len() - 1..]]
        .concat()
        .join("\n");
    let e = parse_err(truncated.as_bytes(), None);
    assert!(e.msg.contains("damaged or truncated"), "{e}");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("copy the whole key again"),
        "{e}"
    );
}

#[test]
fn encrypted_keys() {
    // Legacy OpenSSL encryption: pointed at PKCS#8.
    let e = parse_err(RSA_LEGACY_ENCRYPTED.as_bytes(), None);
    assert!(e.msg.contains("legacy encrypted format"), "{e}");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("openssl pkcs8 -topk8 -v2 aes-256-cbc"),
        "{e}"
    );
    // Encrypted PKCS#8 with nobody to give a password (no provider in unit tests).
    for pem in [
        EC_ENCRYPTED_PKCS8.to_string(),
        EC_ENCRYPTED_PKCS8.replace('\n', " "),
    ] {
        let e = parse_err(pem.as_bytes(), None);
        assert!(
            e.msg
                .contains("is an encrypted private key and no password was given"),
            "{e}"
        );
        assert!(
            e.hint.as_deref().unwrap().contains("--password-file"),
            "{e}"
        );
    }
}

fn encrypted_info(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn encrypted_pkcs8_round_trip_and_wrong_password() {
    // One key (each encryption costs 600,000 PBKDF2 rounds); RSA goes the same way.
    {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        let pem = key
            .encrypted_private_key_pem("correct horse")
            .unwrap()
            .unwrap();
        assert_canonical_pem(&pem, "ENCRYPTED PRIVATE KEY");
        let der = encrypted_info(&pem);
        let info = pkcs8::EncryptedPrivateKeyInfo::from_der(&der).unwrap();
        let back = super::encrypted::decrypt(&info, "correct horse", "k.pem").unwrap();
        assert_eq!(back.thumbprint(), key.thumbprint());
        assert_eq!(back.private_key_pem(), key.private_key_pem());
        let e = super::encrypted::decrypt(&info, "wrong", "k.pem").unwrap_err();
        assert_eq!(
            e.to_string(),
            "k.pem: wrong password for this encrypted private key (check the password (with --password-file, the file's first line is used))"
        );
        // private_key_file follows the mark.
        let marked = key
            .clone()
            .encrypted_when_written(Zeroizing::new("pw".into()));
        assert!(marked
            .private_key_file()
            .unwrap()
            .unwrap()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert_eq!(key.private_key_file().unwrap(), key.private_key_pem());
    }
    let hs = Key::generate(Alg::HS256, 0).unwrap();
    assert!(hs.encrypted_private_key_pem("pw").unwrap().is_none());
    assert!(rsa_generated().encrypted_private_key_pem("").is_err());
}

#[test]
fn jwk_own_kid_comes_along() {
    let with_kid = EC_JWK.replacen('{', r#"{"kid": "my-key", "#, 1);
    assert_eq!(parse(&with_kid).unwrap().own_kid(), Some("my-key"));
    assert_eq!(parse(EC_JWK).unwrap().own_kid(), None);
    assert_eq!(parse(EC_SEC1_WITH_PARAMS).unwrap().own_kid(), None);
}

const EC_SEC1_EXPLICIT: &str = r#"-----BEGIN EC PRIVATE KEY-----
MIIBaAIBAQQgyYepgQquhxQc3IEjKqBD8Y4IJwsZxgYfRD5kna+KNwyggfowgfcC
AQEwLAYHKoZIzj0BAQIhAP////8AAAABAAAAAAAAAAAAAAAA////////////////
MFsEIP////8AAAABAAAAAAAAAAAAAAAA///////////////8BCBaxjXYqjqT57Pr
vVV2mIa8ZR0GsMxTsPY7zjw+J9JgSwMVAMSdNgiG5wSTamZ44ROdJreBn36QBEEE
axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpZP40Li/hp/m47n60p8D54W
K84zV2sxXs7LtkBoN79R9QIhAP////8AAAAA//////////+85vqtpxeehPO5ysL8
YyVRAgEBoUQDQgAEG5zQeKFihYCuQ/2/EEbU3jwSm/TUJJOMRkhXzulb6iDR5vgj
aIrewhzTyeR4b69Ldwgh46WtvWsJMJ+azOFv5A==
-----END EC PRIVATE KEY-----
"#;
const EC_PKCS8_EXPLICIT: &str = r#"-----BEGIN PRIVATE KEY-----
MIIBeQIBADCCAQMGByqGSM49AgEwgfcCAQEwLAYHKoZIzj0BAQIhAP////8AAAAB
AAAAAAAAAAAAAAAA////////////////MFsEIP////8AAAABAAAAAAAAAAAAAAAA
///////////////8BCBaxjXYqjqT57PrvVV2mIa8ZR0GsMxTsPY7zjw+J9JgSwMV
AMSdNgiG5wSTamZ44ROdJreBn36QBEEEaxfR8uEsQkf4vOblY6RA8ncDfYEt6zOg
9KE5RdiYwpZP40Li/hp/m47n60p8D54WK84zV2sxXs7LtkBoN79R9QIhAP////8A
AAAA//////////+85vqtpxeehPO5ysL8YyVRAgEBBG0wawIBAQQgyYepgQquhxQc
3IEjKqBD8Y4IJwsZxgYfRD5kna+KNwyhRANCAAQbnNB4oWKFgK5D/b8QRtTePBKb
9NQkk4xGSFfO6VvqINHm+CNoit7CHNPJ5Hhvr0t3CCHjpa29awkwn5rM4W/k
-----END PRIVATE KEY-----
"#;

#[test]
fn explicit_curve_parameters_say_so_in_both_forms() {
    for pem in [EC_SEC1_EXPLICIT, EC_PKCS8_EXPLICIT] {
        let e = parse_err(pem.as_bytes(), None);
        assert!(
            e.msg.contains("this is an EC key without a named curve"),
            "{e}"
        );
    }
}

#[test]
fn certificates() {
    let e = parse_err(CERT.as_bytes(), None);
    assert!(e.msg.contains("certificate"), "{e}");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("openssl x509 -pubkey -noout -in CERT"),
        "{e}"
    );
    // A key followed by its certificate: the key is used.
    let both = format!("{EC_SEC1_WITH_PARAMS}{CERT}");
    assert_eq!(parse(&both).unwrap().thumbprint(), EC_THUMB);
    let e = parse_err(
        b"-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
        None,
    );
    assert!(e.msg.contains("certificate request"), "{e}");
}

#[test]
fn unsupported_algorithms_say_what_they_are() {
    for (name, text, what) in [
        ("ed25519 pkcs8", ED25519_PKCS8, "Ed25519"),
        ("ed25519 spki", ED25519_SPKI, "Ed25519"),
        ("ed25519 ssh", ED25519_SSH, "Ed25519"),
        ("p384 pkcs8", P384_PKCS8, "EC P-384"),
        ("p384 sec1", P384_SEC1, "EC P-384"),
        ("p384 spki", P384_SPKI, "EC P-384"),
        ("secp256k1", SECP256K1_SPKI, "EC secp256k1"),
        ("dsa pkcs8", DSA_PKCS8, "DSA"),
        ("dsa spki", DSA_SPKI, "DSA"),
        ("rsa-pss", RSA_PSS_SPKI, "RSA-PSS"),
        (
            "okp jwk",
            r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
            "Ed25519",
        ),
        (
            "p384 jwk",
            r#"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#,
            "EC P-384",
        ),
        (
            "dsa legacy pem",
            "-----BEGIN DSA PRIVATE KEY-----\nMIIB\n-----END DSA PRIVATE KEY-----\n",
            "DSA",
        ),
    ] {
        let e = parse_err(text.as_bytes(), None);
        assert!(e.msg.contains(what), "{name}: {e}");
        assert!(
            e.msg.contains("RS256 (RSA), ES256 (EC P-256) and HS256"),
            "{name}: {e}"
        );
        assert!(
            e.hint.as_deref().unwrap().contains("agentos-auth keygen"),
            "{name}: {e}"
        );
    }
    let e = parse_err(b"ecdsa-sha2-nistp256 AAAAE2VjZHNh x", None);
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("ssh-keygen -e -m PKCS8"),
        "{e}"
    );
    let e = parse_err(
        b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n",
        None,
    );
    assert!(e.msg.contains("OpenSSH private key"), "{e}");
}

#[test]
fn small_rsa_keys() {
    // Private under 2048 bits: refused.
    let e = parse_err(RSA1024_PKCS1.as_bytes(), None);
    assert!(
        e.msg.contains("RSA 1024-bit private key is too small"),
        "{e}"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("generate a new one with agentos-auth keygen")
    );
    // Public 1024-bit: accepted for verification, as PyJWT does.
    let key = parse(RSA1024_SPKI).unwrap();
    assert_eq!(key.rsa_bits(), Some(1024));
    assert!(key.verifier().unwrap().verify(MSG, &b64d(RS_SIG_1024)));
    assert!(!key.verifier().unwrap().verify(b"other", &b64d(RS_SIG_1024)));
}

#[test]
fn one_key_per_file() {
    let e = parse_err(format!("{RSA2048_SPKI}{EC_SPKI}").as_bytes(), None);
    assert!(e.msg.contains("holds 2 keys"), "{e}");
    let params_only = EC_SEC1_WITH_PARAMS
        .split("-----BEGIN EC PRIVATE KEY")
        .next()
        .unwrap();
    let e = parse_err(params_only.as_bytes(), None);
    assert!(e.msg.contains("only EC PARAMETERS"), "{e}");
    let e = parse_err(format!("{{\"keys\": [{EC_JWK}]}}").as_bytes(), None);
    assert!(e.msg.contains("JWKS"), "{e}");
}

#[test]
fn jwk_errors() {
    let ec: serde_json::Value = serde_json::from_str(EC_JWK).unwrap();
    let with = |k: &str, v: serde_json::Value| {
        let mut j = ec.clone();
        j[k] = v;
        j.to_string()
    };
    let short_x = URL_SAFE_NO_PAD.encode([7u8; 31]);
    let e = parse_err(with("x", short_x.into()).as_bytes(), None);
    assert_eq!(
        e.to_string(),
        "key.pem: EC x must be 32 bytes, got 31 (regenerate this key)"
    );
    let e = parse_err(with("kid", 5.into()).as_bytes(), None);
    assert!(e.msg.contains("kid must be a string, got number"), "{e}");
    let e = parse_err(with("y", "%%%".into()).as_bytes(), None);
    assert!(e.msg.contains("\"y\" is not valid base64url"), "{e}");
    // A point that is not on the curve.
    let e = parse_err(
        with("d", serde_json::Value::Null)
            .replace(",\"d\":null", "")
            .replace(&ec["x"].as_str().unwrap()[..4], "AAAA")
            .as_bytes(),
        None,
    );
    assert!(e.msg.contains("not a valid P-256 point"), "{e}");
    let e = parse_err(with("alg", "RS256".into()).as_bytes(), None);
    assert!(e.msg.contains("does not fit"), "{e}");
    let e = parse_err(with("alg", "ES384".into()).as_bytes(), None);
    assert!(e.msg.contains("not supported"), "{e}");
    let e = parse_err(br#"{"kty":"RSA","e":"AQAB"}"#, None);
    assert!(e.msg.contains("no \"n\" member"), "{e}");
    let e = parse_err(br#"{"kty":"XYZ"}"#, None);
    assert!(e.msg.contains("unknown kty \"XYZ\""), "{e}");
    let e = parse_err(br#"{"n":"AQAB"}"#, None);
    assert!(e.msg.contains("missing \"kty\""), "{e}");
    let e = parse_err(br#"{"kty":"oct","k":"_w"}"#, None);
    assert!(e.msg.contains("not UTF-8"), "{e}");
    let e = parse_err(b"{not json", None);
    assert!(e.msg.contains("not valid JSON"), "{e}");
    // RSA private JWK without the CRT members.
    let mut rsa: serde_json::Value = serde_json::from_str(RSA2048_JWK).unwrap();
    for m in ["p", "q", "dp", "dq", "qi"] {
        rsa.as_object_mut().unwrap().remove(m);
    }
    let e = parse_err(rsa.to_string().as_bytes(), None);
    assert!(e.msg.contains("p, q, dp, dq and qi"), "{e}");
    // Inconsistent private members.
    let mut rsa: serde_json::Value = serde_json::from_str(RSA2048_JWK).unwrap();
    rsa["dp"] = rsa["dq"].clone();
    let e = parse_err(rsa.to_string().as_bytes(), None);
    assert!(e.msg.contains("do not form a valid key"), "{e}");
    let mut ec2 = ec.clone();
    ec2["d"] = URL_SAFE_NO_PAD.encode([1u8; 32]).into();
    let e = parse_err(ec2.to_string().as_bytes(), None);
    assert!(e.msg.contains("do not form a valid key"), "{e}");
}

#[test]
fn ssh_errors() {
    let e = parse_err(b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCs user@host", None);
    assert!(e.msg.contains("ssh-rsa key is damaged"), "{e}");
    let e = parse_err(b"ssh-rsa !!!", None);
    assert!(e.msg.contains("damaged"), "{e}");
    let e = parse_err(format!("{RSA2048_SSH}\n{RSA2048_SSH}").as_bytes(), None);
    assert!(e.msg.contains("several"), "{e}");
}

#[test]
fn rs256_sign_and_verify() {
    let key = parse(RSA2048_PKCS1).unwrap();
    let signer = key.signer().unwrap();
    assert_eq!(signer.alg(), Alg::RS256);
    let sig = signer.sign(MSG).unwrap();
    // PKCS#1 v1.5 is deterministic: same bytes as openssl.
    assert_eq!(URL_SAFE_NO_PAD.encode(&sig), RS_SIG_2048);
    let verifier = parse(RSA2048_SPKI).unwrap().verifier().unwrap();
    assert_eq!(verifier.alg(), Alg::RS256);
    assert!(verifier.verify(MSG, &sig));
    assert!(!verifier.verify(b"tampered", &sig));
    assert!(!verifier.verify(MSG, &sig[1..]));
    assert!(key.verifier().unwrap().verify(MSG, &sig));
    let generated = rsa_generated();
    let sig = generated.signer().unwrap().sign(MSG).unwrap();
    assert!(generated.verifier().unwrap().verify(MSG, &sig));
    assert!(!verifier.verify(MSG, &sig));
}

#[test]
fn es256_sign_and_verify() {
    let key = parse(EC_SEC1_WITH_PARAMS).unwrap();
    let signer = key.signer().unwrap();
    assert_eq!(signer.alg(), Alg::ES256);
    let sig = signer.sign(MSG).unwrap();
    assert_eq!(sig.len(), 64, "ES256 signatures are raw r||s");
    let verifier = parse(EC_SPKI).unwrap().verifier().unwrap();
    assert!(verifier.verify(MSG, &sig));
    assert!(!verifier.verify(b"tampered", &sig));
    // openssl's signature, as raw r||s: accepted; as DER: rejected.
    assert!(verifier.verify(MSG, &b64d(ES_SIG_RAW)));
    assert!(!verifier.verify(MSG, &b64d(ES_SIG_DER)));
    for _ in 0..20 {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        let sig = key.signer().unwrap().sign(MSG).unwrap();
        assert_eq!(sig.len(), 64);
        assert!(key.verifier().unwrap().verify(MSG, &sig));
    }
}

#[test]
fn hs256_sign_and_verify() {
    // The jwt.io example token, secret "your-256-bit-secret".
    let key = Key::parse(b"your-256-bit-secret\n", &opts(Some(Alg::HS256))).unwrap();
    let input = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
    let sig = key.signer().unwrap().sign(input).unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.encode(&sig),
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    );
    let verifier = key.verifier().unwrap();
    assert_eq!(verifier.alg(), Alg::HS256);
    assert!(verifier.verify(input, &sig));
    assert!(!verifier.verify(b"other", &sig));
    let other = Key::parse(b"your-256-bit-secret ", &opts(Some(Alg::HS256))).unwrap();
    assert!(!other.verifier().unwrap().verify(input, &sig));
}

#[test]
fn public_keys_cannot_sign() {
    let e = parse(RSA2048_SPKI).unwrap().signer().unwrap_err();
    assert!(
        e.msg
            .contains("RSA 2048-bit key is a public key; mint needs the private key"),
        "{e}"
    );
    assert!(e.hint.is_some());
    let e = parse(EC_SPKI).unwrap().signer().unwrap_err();
    assert!(e.msg.contains("EC P-256 key is a public key"), "{e}");
}

#[test]
fn signer_and_verifier_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Signer>();
    check::<Verifier>();
    check::<Key>();
    let signer = parse(EC_SEC1_WITH_PARAMS).unwrap().signer().unwrap();
    let verifier = parse(EC_SPKI).unwrap().verifier().unwrap();
    std::thread::scope(|s| {
        for i in 0..4u8 {
            let (signer, verifier) = (&signer, &verifier);
            s.spawn(move || {
                let msg = [i; 10];
                assert!(verifier.verify(&msg, &signer.sign(&msg).unwrap()));
            });
        }
    });
}

#[test]
fn debug_output_hides_secrets() {
    let key = Key::parse(b"topsecret", &opts(Some(Alg::HS256))).unwrap();
    let shown = format!(
        "{key:?} {:?} {:?}",
        key.signer().unwrap(),
        key.verifier().unwrap()
    );
    assert!(!shown.contains("topsecret"), "{shown}");
    let jwk = key.secret_jwk(None).unwrap();
    assert!(!format!("{jwk:?}").contains(jwk.k.as_deref().unwrap()));
}

/// Parsing never panics: every prefix of each fixture, and random byte damage.
#[test]
fn never_panics_on_damaged_input() {
    let fixtures = [
        RSA2048_SPKI,
        RSA2048_PKCS1_PUB,
        RSA2048_SSH,
        EC_SEC1_WITH_PARAMS,
        EC_SPKI,
        EC_JWK,
        RSA2048_JWK,
        EC_ENCRYPTED_PKCS8,
        CERT,
        ED25519_PKCS8,
        P384_SEC1,
        DSA_SPKI,
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for text in fixtures {
        let bytes = text.as_bytes();
        for end in (0..bytes.len()).step_by(7) {
            let _ = Key::parse(&bytes[..end], &opts(None));
            let _ = Key::parse(&bytes[..end], &opts(Some(Alg::HS256)));
        }
        for _ in 0..60 {
            let mut damaged = bytes.to_vec();
            for _ in 0..1 + next() % 4 {
                let i = (next() % damaged.len() as u64) as usize;
                damaged[i] = (next() % 256) as u8;
            }
            let _ = Key::parse(&damaged, &opts(None));
        }
    }
    // Damage inside the DER of valid base64: decode, flip, re-encode.
    for text in [RSA2048_SPKI, EC_SEC1_WITH_PARAMS, RSA2048_PKCS1, P384_PKCS8] {
        let block = text.rsplit("-----BEGIN ").next().unwrap();
        let label = block.split("-----").next().unwrap();
        let body: String = block
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = B64_LENIENT.decode(body).unwrap();
        for _ in 0..40 {
            let mut d = der.clone();
            let i = (next() % d.len() as u64) as usize;
            d[i] ^= 1 << (next() % 8);
            if next() % 3 == 0 {
                d.truncate((next() % d.len() as u64) as usize);
            }
            let _ = parse(&pem_encode(label, &d));
        }
    }
}
