//! PKCS#11: keys that live in an HSM, a cloud KMS's PKCS#11 library or SoftHSM2,
//! named by RFC 7512 URIs such as
//! `pkcs11:token=agentos;object=signing-2026;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin`.
//!
//! The module is loaded at run time (`cryptoki`, dlopen): nothing links against a
//! PKCS#11 library. The private key never leaves the token: RS256 signs with
//! `CKM_SHA256_RSA_PKCS`; ES256 hashes with SHA-256 here and signs the digest with
//! `CKM_ECDSA` (SoftHSM2 has no `CKM_ECDSA_SHA256`), whose result is already JWS's
//! 64-byte `r || s`. The public half is read from the token's public key object
//! (no PIN needed) or, for RSA, from the private object's modulus.
//!
//! One `C_Login` per token and process, never retried: tokens lock after a few wrong
//! PINs. Parallel signing takes sessions from a pool (one per thread in flight): a
//! login is per application, so every session of the pool is logged in.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use aws_lc_rs::{digest, rand};
use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use zeroize::Zeroizing;

use super::alg::Alg;
use super::ask::{self, Request, Secret};
use super::formats::crypto_failure;
use super::key::{ec_public, rsa_public, HeldKey, Key};
use crate::error::{Error, Result};
use crate::notice;

/// The environment variable naming the default module (`module-path`).
pub const MODULE_ENV: &str = "AGENTOS_AUTH_PKCS11_MODULE";

/// DER of the P-256 curve OID: the `CKA_EC_PARAMS` of an ES256 key.
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// True when `name` is a PKCS#11 URI rather than a file name.
pub fn is_uri(name: &str) -> bool {
    name.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("pkcs11:"))
}

// ---------------------------------------------------------------------------------
// RFC 7512 URIs.

/// The parts of a `pkcs11:` URI this tool uses.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Uri {
    pub token: Option<String>,
    pub manufacturer: Option<String>,
    pub serial: Option<String>,
    pub model: Option<String>,
    pub slot_id: Option<u64>,
    pub object: Option<String>,
    pub id: Option<Vec<u8>>,
    /// `type=`: private, public, secret-key, cert, data.
    pub object_type: Option<String>,
    pub module_path: Option<String>,
    pub pin_source: Option<String>,
    pub pin_value: Option<Zeroizing<String>>,
}

impl fmt::Debug for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl Uri {
    /// Parses an RFC 7512 URI: path attributes `a=v;b=v`, then `?q=v&r=v`, values
    /// percent-encoded. Unknown attributes are refused (a typo would pick another key).
    pub fn parse(text: &str) -> Result<Uri> {
        let uri = Uri::parse_unnamed(text)?;
        if uri.object.is_none() && uri.id.is_none() {
            return Err(Error::input(format!(
                "invalid PKCS#11 URI: {} names no key",
                uri.display()
            ))
            .hint("add object=KEY_LABEL (or id=%01%02) to the URI"));
        }
        Ok(uri)
    }

    /// As [`Uri::parse`], but the URI may name only a token (where a key is created).
    pub fn parse_unnamed(text: &str) -> Result<Uri> {
        let bad = |why: String| {
            Error::input(format!("invalid PKCS#11 URI: {why}")).hint(
                "write it as pkcs11:token=LABEL;object=KEY_LABEL?module-path=/path/to/module.so&pin-source=file:/path/to/pin",
            )
        };
        if !is_uri(text) {
            return Err(bad("it does not start with pkcs11:".into()));
        }
        let rest = text.get(7..).unwrap_or_default();
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let mut uri = Uri::default();
        for part in path.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| bad(format!("\"{}\" is not NAME=VALUE", shown(part))))?;
            let raw =
                percent_decode(value).ok_or_else(|| bad(format!("bad %-escape in {name}")))?;
            let text = || {
                String::from_utf8(raw.clone()).map_err(|_| bad(format!("{name} is not UTF-8 text")))
            };
            match name {
                "token" => uri.token = Some(text()?),
                "manufacturer" => uri.manufacturer = Some(text()?),
                "serial" => uri.serial = Some(text()?),
                "model" => uri.model = Some(text()?),
                "object" => uri.object = Some(text()?),
                "id" => uri.id = Some(raw),
                "type" => {
                    let t = text()?;
                    if !["private", "public", "secret-key", "cert", "data"].contains(&t.as_str()) {
                        return Err(bad(format!(
                            "type={} is not one of private, public, secret-key, cert, data",
                            shown(&t)
                        )));
                    }
                    uri.object_type = Some(t);
                }
                "slot-id" => {
                    uri.slot_id = Some(
                        text()?
                            .parse()
                            .map_err(|_| bad("slot-id is not a number".into()))?,
                    )
                }
                // Accepted and not needed to find a key.
                "library-manufacturer"
                | "library-description"
                | "library-version"
                | "slot-description"
                | "slot-manufacturer" => {}
                other => return Err(bad(format!("unknown attribute \"{}\"", shown(other)))),
            }
        }
        for part in query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| bad(format!("\"{}\" is not NAME=VALUE", shown(part))))?;
            let raw = Zeroizing::new(
                percent_decode(value).ok_or_else(|| bad(format!("bad %-escape in {name}")))?,
            );
            let text = String::from_utf8(raw.to_vec())
                .map_err(|_| bad(format!("{name} is not UTF-8 text")))?;
            match name {
                "module-path" => uri.module_path = Some(text),
                "pin-source" => uri.pin_source = Some(text),
                "pin-value" => uri.pin_value = Some(Zeroizing::new(text)),
                "module-name" => {
                    return Err(bad(
                        "module-name is not supported; give the library's file with module-path="
                            .into(),
                    ))
                }
                other => return Err(bad(format!("unknown attribute \"{}\"", shown(other)))),
            }
        }
        Ok(uri)
    }

    /// The URI as text, without `pin-value` (which must never reach a message or a
    /// file): the form shown in messages and recorded in key rings.
    pub fn display(&self) -> String {
        let attr = |name: &str, v: &Option<String>| {
            v.as_ref()
                .map(|v| format!("{name}={}", percent_encode(v.as_bytes())))
        };
        let path: Vec<String> = [
            attr("token", &self.token),
            attr("manufacturer", &self.manufacturer),
            attr("serial", &self.serial),
            attr("model", &self.model),
            self.slot_id.map(|s| format!("slot-id={s}")),
            attr("object", &self.object),
            self.id.as_ref().map(|id| {
                format!(
                    "id={}",
                    id.iter().map(|b| format!("%{b:02X}")).collect::<String>()
                )
            }),
            attr("type", &self.object_type),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut query = Vec::new();
        if let Some(m) = &self.module_path {
            query.push(format!("module-path={}", percent_encode(m.as_bytes())));
        }
        if let Some(p) = &self.pin_source {
            query.push(format!("pin-source={}", percent_encode(p.as_bytes())));
        }
        let mut s = format!("pkcs11:{}", path.join(";"));
        if !query.is_empty() {
            s.push('?');
            s.push_str(&query.join("&"));
        }
        s
    }

    fn module(&self) -> Result<PathBuf> {
        if let Some(m) = &self.module_path {
            return Ok(PathBuf::from(m));
        }
        match std::env::var_os(MODULE_ENV).filter(|v| !v.is_empty()) {
            Some(m) => Ok(PathBuf::from(m)),
            None => Err(Error::input(format!(
                "{}: no PKCS#11 module named",
                self.display()
            ))
            .hint(format!(
                "add ?module-path=/path/to/module.so to the URI, or set {MODULE_ENV} (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)"
            ))),
        }
    }

    /// The user PIN: `pin-value`, `pin-source` (a file, `file:` optional; first
    /// line), else asked (at a terminal); `None` for a protected authentication path.
    fn pin(&self) -> Result<Zeroizing<String>> {
        if let Some(v) = &self.pin_value {
            return Ok(v.clone());
        }
        if let Some(src) = &self.pin_source {
            let path = src.strip_prefix("file:").unwrap_or(src);
            let path = path.strip_prefix("//").unwrap_or(path);
            let bytes = Zeroizing::new(crate::fsio::read_file(Path::new(path)).map_err(|e| {
                e.hint("pin-source=file:PATH must name a readable file holding the PIN")
            })?);
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                Error::input(format!("{path}: the PIN file is not text"))
                    .hint("write the PIN on the file's first line")
            })?;
            let pin = text.lines().next().unwrap_or_default();
            return Ok(Zeroizing::new(pin.to_string()));
        }
        ask::ask(&Request {
            what: Secret::Pin,
            subject: &self.display(),
        })
    }
}

/// A value for a message: control characters escaped, long values cut.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(40).flat_map(char::escape_default).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = *b.get(i)?;
        if c == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Some(out)
}

/// RFC 7512 `pk11-pchar`: unreserved characters and `:[]@!$'()*+,=&` stay as they are.
fn percent_encode(b: &[u8]) -> String {
    b.iter()
        .map(|&c| {
            if c.is_ascii_alphanumeric() || b"-._~:[]@!$'()*+,/".contains(&c) {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Modules and tokens (one load, one C_Initialize and at most one login per process).

struct Module {
    ctx: Pkcs11,
    /// Slots whose token this process has logged in to (login is per application).
    logged_in: Mutex<Vec<u64>>,
}

fn modules() -> &'static Mutex<HashMap<PathBuf, Arc<Module>>> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Arc<Module>>>> = OnceLock::new();
    MODULES.get_or_init(|| Mutex::new(HashMap::new()))
}

fn load_module(path: &Path) -> Result<Arc<Module>> {
    let mut map = modules()
        .lock()
        .map_err(|_| Error::input("PKCS#11 module table poisoned").hint("retry"))?;
    if let Some(m) = map.get(path) {
        return Ok(m.clone());
    }
    let shown = path.display();
    if !path.exists() {
        return Err(Error::input(format!("PKCS#11 module {shown} not found"))
            .hint(format!("install it or fix module-path= (or {MODULE_ENV}); SoftHSM2's is /usr/lib/softhsm/libsofthsm2.so")));
    }
    let ctx = Pkcs11::new(path).map_err(|e| {
        Error::input(format!(
            "cannot load PKCS#11 module {shown}: {}",
            one_line(&e.to_string())
        ))
        .hint("module-path must name the vendor's PKCS#11 library (.so) for this machine")
    })?;
    match ctx.initialize(CInitializeArgs::OsThreads) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => {
            return Err(Error::input(format!(
                "PKCS#11 module {shown} failed to start: {}",
                ck_message(&e)
            ))
            .hint("check the module's configuration (SoftHSM2: SOFTHSM2_CONF and its tokendir)"))
        }
    }
    let m = Arc::new(Module {
        ctx,
        logged_in: Mutex::new(Vec::new()),
    });
    map.insert(path.to_path_buf(), m.clone());
    Ok(m)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cryptoki error in a few words: the CKR_ name, not the spec's paragraph.
fn ck_message(e: &CkError) -> String {
    match e {
        CkError::Pkcs11(rv, func) => format!("{func}: {rv:?}"),
        other => one_line(&other.to_string()),
    }
}

fn token_error(uri: &Uri, what: &str, e: &CkError) -> Error {
    Error::input(format!(
        "{}: {what} failed ({})",
        uri.display(),
        ck_message(e)
    ))
    .hint("check the token and the module (pkcs11-tool --module MODULE --list-slots)")
}

/// The one slot whose token matches the URI's token attributes.
fn find_slot(m: &Module, uri: &Uri) -> Result<Slot> {
    let slots = m
        .ctx
        .get_slots_with_token()
        .map_err(|e| token_error(uri, "listing the slots", &e))?;
    let mut found = Vec::new();
    let mut labels = Vec::new();
    for slot in slots {
        let Ok(info) = m.ctx.get_token_info(slot) else {
            continue;
        };
        if !info.token_initialized() {
            continue;
        }
        labels.push(info.label().trim_end().to_string());
        let fits = |want: &Option<String>, have: &str| {
            want.as_deref().is_none_or(|w| w == have.trim_end())
        };
        if fits(&uri.token, info.label())
            && fits(&uri.manufacturer, info.manufacturer_id())
            && fits(&uri.serial, info.serial_number())
            && fits(&uri.model, info.model())
            && uri.slot_id.is_none_or(|s| s == slot.id())
        {
            found.push(slot);
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::input(format!(
            "{}: no such token is present{}",
            uri.display(),
            if labels.is_empty() {
                " (the module sees no initialised token)".to_string()
            } else {
                format!(" (tokens present: {})", labels.join(", "))
            }
        ))
        .hint("insert or initialise the token, or fix token= in the URI")),
        many => Err(
            Error::input(format!("{}: {} tokens match", uri.display(), many.len()))
                .hint("name one: add token=LABEL or serial=SERIAL to the URI"),
        ),
    }
}

/// Logs in to the token of `slot` once per process; a wrong PIN is never retried.
fn login(m: &Module, slot: Slot, session: &Session, uri: &Uri) -> Result<()> {
    let mut done = m
        .logged_in
        .lock()
        .map_err(|_| Error::input("PKCS#11 login state poisoned").hint("retry"))?;
    if done.contains(&slot.id()) {
        return Ok(());
    }
    let info = m.ctx.get_token_info(slot).ok();
    // Some modules (cloud KMS bridges) sign without a login: then none is made.
    if info.as_ref().is_some_and(|i| !i.login_required()) {
        done.push(slot.id());
        return Ok(());
    }
    let protected = info
        .as_ref()
        .is_some_and(|i| i.protected_authentication_path());
    let pin = if protected && uri.pin_value.is_none() && uri.pin_source.is_none() {
        None
    } else {
        Some(uri.pin()?)
    };
    let auth = pin.as_ref().map(|p| AuthPin::new(p.to_string()));
    match session.login(UserType::User, auth.as_ref()) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
        Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => {
            return Err(Error::input(format!("{}: wrong PIN", uri.display())).hint(
                "fix the PIN in pin-source (not retried: tokens lock after a few wrong PINs)",
            ))
        }
        Err(CkError::Pkcs11(RvError::PinLocked, _)) => {
            return Err(
                Error::input(format!("{}: the token's user PIN is locked", uri.display())).hint(
                    "unlock it with the security officer PIN (softhsm2-util / the vendor's tool)",
                ),
            )
        }
        Err(CkError::Pkcs11(RvError::PinLenRange, _)) => {
            return Err(Error::input(format!(
                "{}: wrong PIN (its length is out of range)",
                uri.display()
            ))
            .hint("fix the PIN in pin-source (not retried: tokens lock after a few wrong PINs)"))
        }
        Err(e) => return Err(token_error(uri, "login", &e)),
    }
    done.push(slot.id());
    Ok(())
}

// ---------------------------------------------------------------------------------
// Keys in a token.

/// A key pair whose private half is a token object. Signing sessions are pooled:
/// one per thread signing at the same time, opened on demand.
pub struct TokenKey {
    uri: Uri,
    uri_text: String,
    module: Arc<Module>,
    slot: Slot,
    alg: Alg,
    /// The private key object, found at the first signature (after the login).
    private: OnceLock<ObjectHandle>,
    pool: Mutex<Vec<Session>>,
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenKey({})", self.uri_text)
    }
}

impl TokenKey {
    fn session(&self) -> Result<Session> {
        if let Some(s) = self.pool.lock().ok().and_then(|mut p| p.pop()) {
            return Ok(s);
        }
        self.module
            .ctx
            .open_ro_session(self.slot)
            .map_err(|e| token_error(&self.uri, "opening a session", &e))
    }

    fn give_back(&self, s: Session) {
        if let Ok(mut p) = self.pool.lock() {
            p.push(s);
        }
    }
}

impl HeldKey for TokenKey {
    fn uri(&self) -> &str {
        &self.uri_text
    }

    fn alg(&self) -> Alg {
        self.alg
    }

    /// Logs in (once) and finds the private object; called before the first signature.
    fn prepare(&self) -> Result<()> {
        if self.private.get().is_some() {
            return Ok(());
        }
        let session = self.session()?;
        let result = login(&self.module, self.slot, &session, &self.uri)
            .and_then(|()| find_one(&session, &self.uri, ObjectClass::PRIVATE_KEY))
            .and_then(|h| {
                check_key_type(&session, h, self.alg, &self.uri)?;
                Ok(h)
            });
        self.give_back(session);
        let handle = result?;
        let _ = self.private.set(handle);
        Ok(())
    }

    /// RS256: PKCS#1 v1.5 over SHA-256 in the token. ES256: SHA-256 here, ECDSA of
    /// the digest in the token; the 64-byte `r || s` comes back as JWS wants it.
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        self.prepare()?;
        let handle = *self.private.get().ok_or_else(|| {
            Error::input("PKCS#11 key not ready").hint("retry; if it persists, report a bug")
        })?;
        let session = self.session()?;
        let result = match self.alg {
            Alg::RS256 => session.sign(&Mechanism::Sha256RsaPkcs, handle, signing_input),
            _ => {
                let d = digest::digest(&digest::SHA256, signing_input);
                session.sign(&Mechanism::Ecdsa, handle, d.as_ref())
            }
        };
        self.give_back(session);
        let sig = result.map_err(|e| token_error(&self.uri, "signing", &e))?;
        if self.alg == Alg::ES256 && sig.len() != 64 {
            return Err(Error::input(format!(
                "{}: the token returned a {}-byte ECDSA signature, not 64 bytes (r || s)",
                self.uri_text,
                sig.len()
            ))
            .hint("use an EC P-256 key"));
        }
        Ok(sig)
    }
}

fn object_template(uri: &Uri, class: ObjectClass) -> Vec<Attribute> {
    let mut t = vec![Attribute::Class(class)];
    if let Some(l) = &uri.object {
        t.push(Attribute::Label(l.as_bytes().to_vec()));
    }
    if let Some(id) = &uri.id {
        t.push(Attribute::Id(id.clone()));
    }
    t
}

fn find_all(session: &Session, uri: &Uri, class: ObjectClass) -> Result<Vec<ObjectHandle>> {
    session
        .find_objects(&object_template(uri, class))
        .map_err(|e| token_error(uri, "searching the token", &e))
}

fn find_one(session: &Session, uri: &Uri, class: ObjectClass) -> Result<ObjectHandle> {
    let found = find_all(session, uri, class)?;
    let kind = if class == ObjectClass::PRIVATE_KEY {
        "private key"
    } else {
        "public key"
    };
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::input(format!(
            "{}: no {kind} object with this label/id in the token",
            uri.display()
        ))
        .hint("list the token's objects: pkcs11-tool --module MODULE --login --list-objects; fix object= or id=")),
        many => Err(Error::input(format!(
            "{}: {} {kind} objects match",
            uri.display(),
            many.len()
        ))
        .hint("name one: add id=%.. (or a unique object=) to the URI")),
    }
}

fn check_key_type(session: &Session, h: ObjectHandle, alg: Alg, uri: &Uri) -> Result<()> {
    let attrs = session
        .get_attributes(h, &[AttributeType::KeyType])
        .map_err(|e| token_error(uri, "reading the key type", &e))?;
    let have = attrs.iter().find_map(|a| match a {
        Attribute::KeyType(k) => Some(*k),
        _ => None,
    });
    let fits = match alg {
        Alg::RS256 => have == Some(KeyType::RSA),
        _ => have == Some(KeyType::EC),
    };
    if !fits {
        return Err(Error::input(format!(
            "{}: the token's key is {}, but {alg} needs {}",
            uri.display(),
            have.map_or("of unknown type".to_string(), |k| format!("a {k} key")),
            alg.key_type()
        ))
        .hint(format!(
            "use an {} key, or the --alg that fits this one",
            alg.key_type()
        )));
    }
    Ok(())
}

fn hs256_refused(uri: &str) -> Error {
    Error::input(format!(
        "{uri}: HS256 keys are not kept in a token: AgentOS verifies HS256 with the secret itself (JWT_VERIFICATION_KEY), so it cannot stay inside an HSM"
    ))
    .hint("use --alg RS256 or ES256 with a pkcs11: key, or keep the HS256 secret in a file")
}

/// Opens the key a URI names: its public half (from the token's public key object,
/// needing no PIN; for RSA, else from the private object after login) and a handle
/// for signing. `want`: the algorithm the caller needs, if any.
pub fn open(text: &str, want: Option<Alg>) -> Result<Key> {
    let uri = Uri::parse(text)?;
    if uri.pin_value.is_some() {
        notice::warn(
            "pin-value= puts the token PIN in the command line or environment, where other local users and logs can read it; prefer pin-source=file:PATH",
        );
    }
    if want == Some(Alg::HS256) {
        return Err(hs256_refused(&uri.display()));
    }
    if matches!(
        uri.object_type.as_deref(),
        Some("secret-key" | "cert" | "data")
    ) {
        return Err(Error::input(format!(
            "{}: type={} is not a signing key pair",
            uri.display(),
            uri.object_type.as_deref().unwrap_or_default()
        ))
        .hint("name the key pair (type=private, or no type=)"));
    }
    let module = load_module(&uri.module()?)?;
    let slot = find_slot(&module, &uri)?;
    let session = module
        .ctx
        .open_ro_session(slot)
        .map_err(|e| token_error(&uri, "opening a session", &e))?;
    let key = public_half(&module, slot, &session, &uri)?;
    let alg = key.alg();
    if let Some(want) = want.filter(|w| *w != alg) {
        return Err(Error::input(format!(
            "{}: the token's key is {} but --alg {want} needs {}",
            uri.display(),
            alg.key_type(),
            want.key_type()
        ))
        .hint(format!("use --alg {alg} with this key")));
    }
    Ok(with_token(key, uri, module, slot, alg, session))
}

fn public_half(m: &Module, slot: Slot, session: &Session, uri: &Uri) -> Result<Key> {
    let public = find_all(session, uri, ObjectClass::PUBLIC_KEY)?;
    if public.len() > 1 {
        return Err(Error::input(format!(
            "{}: {} public key objects match",
            uri.display(),
            public.len()
        ))
        .hint("name one: add id=%.. (or a unique object=) to the URI"));
    }
    let secret = find_all(session, uri, ObjectClass::SECRET_KEY)?;
    if !secret.is_empty() && public.is_empty() {
        return Err(hs256_refused(&uri.display()));
    }
    let handle = match public.first() {
        Some(h) => *h,
        // No public object visible: the private object (after login) has n and e.
        None => {
            login(m, slot, session, uri)?;
            find_one(session, uri, ObjectClass::PRIVATE_KEY)?
        }
    };
    key_from_object(session, handle, uri)
}

fn key_from_object(session: &Session, h: ObjectHandle, uri: &Uri) -> Result<Key> {
    let attrs = session
        .get_attributes(
            h,
            &[
                AttributeType::KeyType,
                AttributeType::Modulus,
                AttributeType::PublicExponent,
                AttributeType::EcParams,
                AttributeType::EcPoint,
            ],
        )
        .map_err(|e| token_error(uri, "reading the public key", &e))?;
    let mut kt = None;
    let (mut n, mut e, mut params, mut point) = (None, None, None, None);
    for a in attrs {
        match a {
            Attribute::KeyType(k) => kt = Some(k),
            Attribute::Modulus(v) => n = Some(v),
            Attribute::PublicExponent(v) => e = Some(v),
            Attribute::EcParams(v) => params = Some(v),
            Attribute::EcPoint(v) => point = Some(v),
            _ => {}
        }
    }
    let ctx = |e: Error| e.context(uri.display());
    match kt {
        Some(KeyType::RSA) => match (n, e) {
            (Some(n), Some(e)) => rsa_public(&n, &e).map_err(ctx),
            _ => Err(Error::input(format!(
                "{}: the token does not show this RSA key's modulus",
                uri.display()
            ))
            .hint("import or create the public key object too (same id and label)")),
        },
        Some(KeyType::EC) => {
            if params.as_deref().is_some_and(|p| p != P256_PARAMS) {
                return Err(Error::input(format!(
                    "{}: the token's EC key is not on P-256; ES256 needs an EC P-256 key",
                    uri.display()
                ))
                .hint("create a P-256 key: agentos-auth keygen --alg ES256 --key-dir DIR --kid ... (pkcs11: destination)"));
            }
            let Some(point) = point else {
                return Err(Error::input(format!(
                    "{}: no EC public key object for this key in the token",
                    uri.display()
                ))
                .hint("import or create the public key object too (same id and label)"));
            };
            // CKA_EC_POINT is a DER OCTET STRING holding the point (some modules
            // give the bare point).
            let raw = match point.as_slice() {
                [0x04, len, rest @ ..] if usize::from(*len) == rest.len() => rest.to_vec(),
                _ => point,
            };
            ec_public(&raw).map_err(ctx)
        }
        Some(KeyType::GENERIC_SECRET) | Some(KeyType::AES) => Err(hs256_refused(&uri.display())),
        other => Err(Error::input(format!(
            "{}: the token's key is {}; AgentOS supports RS256 (RSA) and ES256 (EC P-256) in a token",
            uri.display(),
            other.map_or("of unknown type".to_string(), |k| format!("a {k} key"))
        ))
        .hint("name an RSA or EC P-256 key pair")),
    }
}

/// Creates a key pair inside the token the URI names (private: sensitive, never
/// extractable, token object), labelled `object=` with `id=` (random 8 bytes when
/// the URI has none). Refuses when an object with that label or id exists.
pub fn generate(text: &str, alg: Alg, rsa_bits: u32, default_label: &str) -> Result<Key> {
    let mut uri = Uri::parse_unnamed(text)?;
    if alg == Alg::HS256 {
        return Err(hs256_refused(&uri.display()));
    }
    let label = uri
        .object
        .get_or_insert_with(|| default_label.to_string())
        .clone();
    if !matches!(uri.object_type.as_deref(), None | Some("private")) {
        return Err(Error::input(format!(
            "{}: a new key pair is named with type=private (or no type=)",
            uri.display()
        ))
        .hint("drop type= from the URI"));
    }
    if uri.id.is_none() {
        let mut id = vec![0u8; 8];
        rand::fill(&mut id).map_err(|_| crypto_failure("read the system random generator"))?;
        uri.id = Some(id);
    }
    let module = load_module(&uri.module()?)?;
    let slot = find_slot(&module, &uri)?;
    let session = module
        .ctx
        .open_rw_session(slot)
        .map_err(|e| token_error(&uri, "opening a read-write session", &e))?;
    login(&module, slot, &session, &uri)?;
    let by_label = Uri {
        id: None,
        ..uri.clone()
    };
    let by_id = Uri {
        object: None,
        ..uri.clone()
    };
    for (u, what) in [(&by_label, "label"), (&by_id, "id")] {
        for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
            if !find_all(&session, u, class)?.is_empty() {
                return Err(Error::io(format!(
                    "{}: the token already holds a key with this {what}",
                    uri.display()
                ))
                .hint("choose another object= (and id=), or delete the old objects with pkcs11-tool --delete-object"));
            }
        }
    }
    let id = uri.id.clone().unwrap_or_default();
    let common = |public: bool| {
        let mut t = vec![
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(id.clone()),
        ];
        if public {
            t.push(Attribute::Verify(true));
            t.push(Attribute::Private(false));
        } else {
            t.extend([
                Attribute::Sign(true),
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Extractable(false),
            ]);
        }
        t
    };
    let (mechanism, mut public_t) = match alg {
        Alg::RS256 => (
            Mechanism::RsaPkcsKeyPairGen,
            vec![
                Attribute::ModulusBits(u64::from(rsa_bits).into()),
                Attribute::PublicExponent(vec![1, 0, 1]),
            ],
        ),
        _ => (
            Mechanism::EccKeyPairGen,
            vec![Attribute::EcParams(P256_PARAMS.to_vec())],
        ),
    };
    public_t.extend(common(true));
    let mut private_t = vec![Attribute::KeyType(if alg == Alg::RS256 {
        KeyType::RSA
    } else {
        KeyType::EC
    })];
    private_t.extend(common(false));
    if alg == Alg::RS256 {
        public_t.push(Attribute::KeyType(KeyType::RSA));
    } else {
        public_t.push(Attribute::KeyType(KeyType::EC));
    }
    let (public, _private) = session
        .generate_key_pair(&mechanism, &public_t, &private_t)
        .map_err(|e| token_error(&uri, "generating the key pair", &e))?;
    let key = key_from_object(&session, public, &uri)?;
    // Recorded by label and id, as a private object ([`Uri::display`] never holds
    // the pin-value).
    uri.object_type = Some("private".to_string());
    if uri.pin_value.is_some() && uri.pin_source.is_none() {
        notice::warn("the key's recorded URI leaves out pin-value=; add pin-source=file:PATH to it (or pass the URI again) to use the key");
    }
    Ok(with_token(key, uri, module, slot, alg, session))
}

fn with_token(
    key: Key,
    uri: Uri,
    module: Arc<Module>,
    slot: Slot,
    alg: Alg,
    session: Session,
) -> Key {
    let token = TokenKey {
        uri_text: uri.display(),
        uri,
        module,
        slot,
        alg,
        private: OnceLock::new(),
        pool: Mutex::new(vec![session]),
    };
    Key {
        token: Some(Arc::new(token)),
        ..key
    }
}

/// The URI of the token holding the key `text` names (object, id and type dropped):
/// where `jwks rotate` creates the next key of a ring kept in a token.
pub fn token_of(text: &str) -> Result<String> {
    let uri = Uri::parse_unnamed(text)?;
    Ok(Uri {
        object: None,
        id: None,
        object_type: None,
        ..uri
    }
    .display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_round_trip_and_redaction() {
        let u = Uri::parse("pkcs11:token=agentos;object=signing%202026;id=%01%ab;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234").unwrap();
        assert_eq!(u.token.as_deref(), Some("agentos"));
        assert_eq!(u.object.as_deref(), Some("signing 2026"));
        assert_eq!(u.id.as_deref(), Some(&[1u8, 0xab][..]));
        assert_eq!(u.pin_value.as_deref().map(String::as_str), Some("1234"));
        let shown = u.display();
        assert!(!shown.contains("1234"), "{shown}");
        assert_eq!(shown, "pkcs11:token=agentos;object=signing%202026;id=%01%AB;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so");
        let again = Uri::parse(&shown).unwrap();
        assert_eq!(again.display(), shown);
        assert!(is_uri("PKCS11:object=x"));
        assert!(!is_uri("key.pem"));
        assert!(!is_uri("ééééé.pem"));
        assert!(Uri::parse("pkcs11:object=%+1").is_err());
    }

    #[test]
    fn uri_errors() {
        for (text, needle) in [
            ("pkcs11:token=a", "names no key"),
            ("pkcs11:object=a;colour=red", "unknown attribute \"colour\""),
            ("pkcs11:object=a;type=banana", "type=banana"),
            ("pkcs11:object=a%zz", "bad %-escape"),
            ("pkcs11:object=a?module-name=softhsm2", "module-name"),
            ("pkcs11:object", "is not NAME=VALUE"),
        ] {
            let e = Uri::parse(text).unwrap_err();
            assert!(e.to_string().contains(needle), "{text}: {e}");
            assert!(e.hint.is_some());
        }
    }

    #[test]
    fn missing_module_is_one_line() {
        std::env::remove_var(MODULE_ENV);
        let e = open("pkcs11:object=x", None).unwrap_err();
        assert!(e.to_string().contains("no PKCS#11 module named"), "{e}");
        let e = open("pkcs11:object=x?module-path=/nonexistent/lib.so", None).unwrap_err();
        assert!(e.to_string().contains("not found"), "{e}");
        let e = open("pkcs11:object=x?module-path=/etc/hostname", None).unwrap_err();
        assert!(e.to_string().contains("cannot load PKCS#11 module"), "{e}");
        let e = open(
            "pkcs11:object=x?module-path=/etc/hostname",
            Some(Alg::HS256),
        )
        .unwrap_err();
        assert!(e.to_string().contains("HS256"), "{e}");
    }
}
