//! `jwks sync` without Python or a real provider: a tiny HTTP server on 127.0.0.1 (plain
//! http to a loopback address is allowed) answers by path with canned JWKS and discovery
//! documents, and the hostile answers (a redirect to another host, non-JSON, an empty
//! set, an oversize body, no answer at all). Every failure leaves FILE byte for byte as
//! it was. The real provider (oidc-provider over TLS) and AgentOS: tests/interop/idp.rs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos_auth::keys::{Alg, Key};
use serde_json::{json, Value};

use crate::common::{assert_one_line_error, bin, stderr};

/// One canned answer.
#[derive(Clone)]
pub(crate) enum Reply {
    /// Status, extra header lines, body.
    Answer(u16, Vec<String>, Vec<u8>),
    /// Read the request, never answer (until the server stops).
    Silence,
}

pub(crate) fn json_reply(v: &Value) -> Reply {
    Reply::Answer(
        200,
        vec!["content-type: application/json".into()],
        v.to_string().into_bytes(),
    )
}

/// A server on 127.0.0.1 answering each path from a table the test may change; stopped
/// (thread ended) when dropped. Each connection's read is bounded in time.
pub(crate) struct Stub {
    pub(crate) url: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    /// The request lines seen, in order.
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Stub {
    pub(crate) fn start() -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, s, log) = (Arc::clone(&routes), Arc::clone(&stop), Arc::clone(&seen));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (r, s, log) = (Arc::clone(&r), Arc::clone(&s), Arc::clone(&log));
                std::thread::spawn(move || serve(stream, &r, &s, &log));
            }
        });
        Stub {
            url: format!("http://{addr}"),
            routes,
            seen,
            stop,
            addr,
        }
    }

    pub(crate) fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

fn serve(
    stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    stop: &AtomicBool,
    seen: &Mutex<Vec<String>>,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    seen.lock().unwrap().push(first.trim().to_string());
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = routes.lock().unwrap().get(&path).cloned();
    let mut stream = reader.into_inner();
    match reply {
        Some(Reply::Silence) => {
            // Bounded: until the test drops the server, at most 30 s.
            for _ in 0..300 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Some(Reply::Answer(status, headers, body)) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for h in headers {
                head.push_str(&h);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        None => {
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nconnection: close\r\n\r\nNot Found");
        }
    }
    let _ = stream.flush();
}

fn public_jwk(alg: Alg, kid: &str) -> Value {
    let key = Key::generate(alg, 2048).unwrap();
    serde_json::to_value(key.public_jwk(Some(kid)).unwrap()).unwrap()
}

fn sync(args: &[&str]) -> Output {
    bin()
        .args(["jwks", "sync"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(o)))
}

fn kids_in(path: &Path) -> Vec<String> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// A JWKS file that already holds a key of another source (as `jwks add` writes it).
fn file_with_foreign_key(dir: &Path) -> PathBuf {
    let path = dir.join("jwks.json");
    let key = dir.join("partner.pub.pem");
    let k = Key::generate(Alg::RS256, 2048).unwrap();
    std::fs::write(&key, k.public_key_pem().unwrap()).unwrap();
    let o = bin()
        .args(["jwks", "add", "--jwks"])
        .arg(&path)
        .arg("--key")
        .arg(&key)
        .args(["--kid", "partner"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    path
}

#[test]
fn sync_copies_the_providers_signing_keys_and_follows_its_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let file = file_with_foreign_key(dir.path());
    let stub = Stub::start();
    let (a, b, c) = (
        public_jwk(Alg::RS256, "a"),
        public_jwk(Alg::RS256, "b"),
        public_jwk(Alg::RS256, "c"),
    );
    let mut enc = public_jwk(Alg::RS256, "enc");
    enc["use"] = "enc".into();
    let ec = public_jwk(Alg::ES256, "ec");
    stub.set("/jwks", json_reply(&json!({"keys": [a, b, enc, ec]})));
    let marker = dir.path().join("restarts");
    let on_change = format!(
        "echo \"$AGENTOS_AUTH_ADDED|$AGENTOS_AUTH_REMOVED\" >> '{}'",
        marker.display()
    );
    let from = format!("{}/jwks", stub.url);
    let f = file.to_str().unwrap();
    let args = [
        "--from",
        &from,
        "--jwks",
        f,
        "--json",
        "--on-change",
        &on_change,
    ];

    let o = sync(&args);
    let out = json_of(&o);
    assert_eq!(out["changed"], true);
    assert_eq!(strings(&out["added"]), ["a", "b"]);
    assert_eq!(strings(&out["removed"]), Vec::<String>::new());
    let dropped: Vec<&str> = out["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kid"].as_str().unwrap())
        .collect();
    assert_eq!(dropped, ["enc", "ec"]);
    assert!(
        stderr(&o).contains("dropped kid enc: use \"enc\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(kids_in(&file), ["partner", "a", "b"]);

    // Unchanged provider: nothing written, no command run.
    let before = std::fs::read(&file).unwrap();
    let out = json_of(&sync(&args));
    assert_eq!(out["changed"], false);
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Rotation: "a" retired, "c" new. The partner's key stays.
    stub.set("/jwks", json_reply(&json!({"keys": [c, b]})));
    let out = json_of(&sync(&args));
    assert_eq!(
        (strings(&out["added"]), strings(&out["removed"])),
        (vec!["c".to_string()], vec!["a".to_string()])
    );
    assert_eq!(kids_in(&file), ["partner", "b", "c"]);
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "a b|\nc|a\n");
    let sources: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("jwks.json.sources")).unwrap())
            .unwrap();
    assert_eq!(sources["sources"][0]["jwks_url"], from.as_str());
    assert_eq!(strings(&sources["sources"][0]["kids"]), ["b", "c"]);
    // jwks list marks the provider's keys; the partner's is not marked.
    let o = bin()
        .args(["jwks", "list", "--json", "--jwks", f])
        .output()
        .unwrap();
    let listed = json_of(&o);
    let marks: Vec<(String, Value)> = listed["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kid"].as_str().unwrap().to_string(),
                k["synced_from"].clone(),
            )
        })
        .collect();
    let url = Value::from(from.as_str());
    assert_eq!(
        marks,
        [
            ("partner".to_string(), Value::Null),
            ("b".into(), url.clone()),
            ("c".into(), url)
        ]
    );
    let o = bin().args(["jwks", "list", "--jwks", f]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&format!("- (jwks sync from {from})")),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    // ES256: only the EC key; a key set with none for the algorithm is refused (exit 1).
    stub.set("/jwks-ec", json_reply(&json!({"keys": [ec, a]})));
    let es = dir.path().join("es.json");
    let e = es.to_str().unwrap();
    let out = json_of(&sync(&[
        "--from",
        &format!("{}/jwks-ec", stub.url),
        "--jwks",
        e,
        "--json",
        "--alg",
        "es256",
    ]));
    assert_eq!(strings(&out["added"]), ["ec"]);
    let before = std::fs::read(&es).unwrap();
    let o = sync(&["--from", &from, "--jwks", e, "--alg", "ES256"]);
    assert_one_line_error(&o, 1, "can verify ES256 tokens");
    assert!(stderr(&o).contains("--alg RS256"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&es).unwrap(), before);
}

#[test]
fn an_issuer_is_found_through_its_discovery_document_which_must_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let stub = Stub::start();
    let issuer = format!("{}/realms/acme", stub.url);
    stub.set(
        "/realms/acme/.well-known/openid-configuration",
        json_reply(&json!({"issuer": issuer, "jwks_uri": format!("{}/certs", stub.url)})),
    );
    stub.set(
        "/certs",
        json_reply(&json!({"keys": [public_jwk(Alg::ES256, "k1")]})),
    );
    let file = dir.path().join("jwks.json");
    let f = file.to_str().unwrap();
    // The issuer itself answers 404: then it is asked for its discovery document.
    let out = json_of(&sync(&[
        "--from", &issuer, "--jwks", f, "--alg", "ES256", "--json",
    ]));
    assert_eq!(strings(&out["added"]), ["k1"]);
    assert_eq!(out["jwks_uri"], format!("{}/certs", stub.url).as_str());
    // The discovery URL itself works too, with the same source (nothing changes).
    let out = json_of(&sync(&[
        "--from",
        &format!("{issuer}/.well-known/openid-configuration"),
        "--jwks",
        f,
        "--alg",
        "ES256",
        "--json",
    ]));
    assert_eq!(out["changed"], false);

    // A document naming another issuer is refused: its keys sign someone else's tokens.
    let before = std::fs::read(&file).unwrap();
    stub.set(
        "/other/.well-known/openid-configuration",
        json_reply(
            &json!({"issuer": "https://evil.example", "jwks_uri": format!("{}/certs", stub.url)}),
        ),
    );
    let o = sync(&[
        "--from",
        &format!("{}/other", stub.url),
        "--jwks",
        f,
        "--alg",
        "ES256",
    ]);
    assert_one_line_error(&o, 1, "names the issuer \"https://evil.example\"");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn hostile_answers_leave_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = file_with_foreign_key(dir.path());
    let before = std::fs::read(&file).unwrap();
    let stub = Stub::start();
    let port = stub.addr.port();
    let good = json!({"keys": [public_jwk(Alg::RS256, "good")]});
    stub.set("/good", json_reply(&good));
    // localhost is this machine too, but another host name: not followed.
    stub.set(
        "/elsewhere",
        Reply::Answer(
            302,
            vec![format!("location: http://localhost:{port}/good")],
            vec![],
        ),
    );
    stub.set(
        "/html",
        Reply::Answer(
            200,
            vec!["content-type: text/html".into()],
            b"<html>maintenance</html>".to_vec(),
        ),
    );
    stub.set("/empty", json_reply(&json!({"keys": []})));
    stub.set(
        "/huge",
        Reply::Answer(200, vec![], vec![b' '; (1 << 20) + 1]),
    );
    stub.set("/slow", Reply::Silence);
    stub.set("/boom", Reply::Answer(503, vec![], b"{}".to_vec()));
    stub.set(
        "/deep",
        Reply::Answer(
            200,
            vec![],
            [vec![b'['; 500_000], vec![b']'; 500_000]].concat(),
        ),
    );
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/jwks", l.local_addr().unwrap())
    };
    let f = file.to_str().unwrap();
    for (from, code, words) in [
        (format!("{}/elsewhere", stub.url), 4, "another host"),
        (format!("{}/html", stub.url), 4, "is neither a JWKS"),
        (format!("{}/empty", stub.url), 4, "has no keys"),
        (format!("{}/huge", stub.url), 4, "larger than 1 MiB"),
        (format!("{}/slow", stub.url), 4, "did not answer within 1 s"),
        (
            format!("{}/boom", stub.url),
            4,
            "is neither a JWKS (it answered 503)",
        ),
        (closed, 4, "connection refused"),
        (
            "http://idp.example.com/jwks".to_string(),
            1,
            "plain http to a host that is not this machine",
        ),
        ("idp.example.com".to_string(), 1, "invalid --from"),
    ] {
        let o = sync(&["--from", &from, "--jwks", f, "--timeout", "1", "--json"]);
        assert_one_line_error(&o, code, words);
        assert_eq!(std::fs::read(&file).unwrap(), before, "{from}");
    }
    assert!(!dir.path().join("jwks.json.sources").exists());

    // A redirect to the same host is followed.
    stub.set(
        "/moved",
        Reply::Answer(301, vec!["location: /good".into()], vec![]),
    );
    let out = json_of(&sync(&[
        "--from",
        &format!("{}/moved", stub.url),
        "--jwks",
        f,
        "--json",
    ]));
    assert_eq!(strings(&out["added"]), ["good"]);

    // A provider that publishes a private key: that key is never copied.
    let mut leaked = public_jwk(Alg::RS256, "leak");
    leaked["d"] = "AQAB".into();
    stub.set(
        "/leak",
        json_reply(&json!({"keys": [leaked, good["keys"][0]]})),
    );
    let o = sync(&[
        "--from",
        &format!("{}/leak", stub.url),
        "--jwks",
        f,
        "--json",
    ]);
    let out = json_of(&o);
    assert_eq!(out["dropped"][0]["kid"], "leak");
    assert!(!std::fs::read_to_string(&file).unwrap().contains("\"d\""));

    // A usage error: HS256 has nothing to sync.
    let o = sync(&[
        "--from",
        &format!("{}/good", stub.url),
        "--jwks",
        f,
        "--alg",
        "HS256",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_failing_on_change_is_exit_5_after_the_file_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let stub = Stub::start();
    stub.set(
        "/jwks",
        json_reply(&json!({"keys": [public_jwk(Alg::ES256, "k")]})),
    );
    let file = dir.path().join("jwks.json");
    let o = sync(&[
        "--from",
        &format!("{}/jwks", stub.url),
        "--jwks",
        file.to_str().unwrap(),
        "--alg",
        "ES256",
        "--on-change",
        "echo restarting; exit 3",
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "the command's output goes to stderr");
    let err = stderr(&o);
    assert!(
        err.contains("restarting") && err.contains("--on-change exited with status 3"),
        "{err}"
    );
    assert_eq!(kids_in(&file), ["k"]);
}

#[test]
fn watch_keeps_syncing_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let stub = Stub::start();
    stub.set(
        "/jwks",
        json_reply(&json!({"keys": [public_jwk(Alg::ES256, "k1")]})),
    );
    let file = dir.path().join("jwks.json");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentos-auth"))
        .args([
            "jwks",
            "sync",
            "--from",
            &format!("{}/jwks", stub.url),
            "--alg",
            "ES256",
            "--watch",
            "1s",
            "--json",
            "--jwks",
        ])
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Always stopped, whatever happens below.
    struct Kill(u32);
    impl Drop for Kill {
        fn drop(&mut self) {
            unsafe { libc::kill(self.0 as i32, libc::SIGKILL) };
        }
    }
    let guard = Kill(child.id());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(strings(&first["added"]), ["k1"]);
    // The provider rotates; a later sync (each line is one) picks it up.
    stub.set(
        "/jwks",
        json_reply(&json!({"keys": [public_jwk(Alg::ES256, "k2")]})),
    );
    let rotated = lines
        .by_ref()
        .take(30)
        .map(|l| serde_json::from_str::<Value>(&l.unwrap()).unwrap())
        .find(|v| v["changed"] == true)
        .expect("a sync that saw the rotation");
    assert_eq!(
        (strings(&rotated["added"]), strings(&rotated["removed"])),
        (vec!["k2".to_string()], vec!["k1".to_string()])
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    drop(guard);
    assert_eq!(status.code(), Some(0));
    assert_eq!(kids_in(&file), ["k2"]);
}

/// `doctor --issuer`: the configuration is built from the discovery document, the JWKS
/// and a sample token (here minted by this tool with the provider's key, in Auth0's
/// `permissions` shape). The real provider and AgentOS: tests/interop/idp.rs.
#[test]
fn doctor_issuer_prints_the_agentos_configuration_for_the_providers_tokens() {
    let key = Key::generate(Alg::ES256, 0).unwrap();
    let stub = Stub::start();
    let issuer = format!("{}/", stub.url);
    stub.set(
        "/.well-known/openid-configuration",
        json_reply(&json!({"issuer": issuer, "jwks_uri": format!("{}/jwks", stub.url)})),
    );
    stub.set(
        "/jwks",
        json_reply(&json!({"keys": [public_jwk(Alg::RS256, "rsa"), serde_json::to_value(key.public_jwk(Some("ec1")).unwrap()).unwrap()]})),
    );
    // What the provider signs: Auth0's shape (a permissions list, a space-separated scope).
    let signer = key.signer().unwrap();
    let claims = json!({"iss": issuer, "sub": "svc", "aud": "my-os", "exp": agentos_auth::time::now() + 600,
        "permissions": ["agents:read"], "scope": "openid agents:read"});
    let token = agentos_auth::token::encode(
        &agentos_auth::token::header(&signer, Some("ec1")),
        claims.as_object().unwrap(),
        &signer,
    )
    .unwrap();
    let doctor = |extra: &[&str]| {
        bin()
            .args([
                "doctor",
                "--issuer",
                &issuer,
                "--jwks",
                "/srv/agentos/jwks.json",
            ])
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let o = doctor(&["--token", &token, "--json"]);
    let cfg = json_of(&o);
    assert_eq!(cfg["algorithm"], "ES256", "the token's algorithm");
    assert_eq!(cfg["issuer"], issuer.as_str());
    assert_eq!(cfg["audience"], json!(["my-os"]));
    assert_eq!(cfg["scopes_claim"], "permissions");
    assert_eq!(cfg["env"], json!(["JWT_JWKS_FILE=/srv/agentos/jwks.json"]));
    let python = cfg["python"].as_str().unwrap();
    for line in [
        "    jwks_file=\"/srv/agentos/jwks.json\",",
        "    algorithm=\"ES256\",",
        &format!("    issuer=\"{issuer}\","),
        "    audience=\"my-os\",",
        "    verify_audience=True,",
        "    scopes_claim=\"permissions\",",
        "    authorization=True,",
        &format!("#   agentos-auth jwks sync --from {issuer} --jwks /srv/agentos/jwks.json --alg ES256 --watch 15m"),
    ] {
        assert!(python.lines().any(|l| l.starts_with(line)), "{line:?} not in\n{python}");
    }
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));

    // Plain text: the same Python, then the .env line.
    let o = doctor(&["--token", &token]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with(python), "{text}");
    assert!(
        text.ends_with("JWT_JWKS_FILE=/srv/agentos/jwks.json\n"),
        "{text}"
    );

    // No token: RS256 (the provider has an RSA key), the audience a placeholder.
    let cfg = json_of(&doctor(&["--json"]));
    assert_eq!(cfg["algorithm"], "RS256");
    assert!(cfg["python"]
        .as_str()
        .unwrap()
        .contains("YOUR_API_AUDIENCE"));

    // A token of a kid the provider does not publish: configuration printed, with a warning.
    stub.set(
        "/jwks",
        json_reply(&json!({"keys": [public_jwk(Alg::ES256, "other")]})),
    );
    let o = doctor(&["--token", &token]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("the token's kid \"ec1\" is not among the provider's ES256 signing keys"),
        "{}",
        stderr(&o)
    );

    // The provider unreachable: exit 4, one line.
    drop(stub);
    let o = bin()
        .args(["doctor", "--issuer", &issuer])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_one_line_error(&o, 4, "cannot connect");
}

/// The one HTTP client (`agentos_auth::http`, which the token service reuses): a POST
/// answered 303 is followed with a GET on the same host, a 307 repeats the POST.
#[test]
fn redirects_of_a_post_follow_rfc_9110() {
    let stub = Stub::start();
    stub.set(
        "/see-other",
        Reply::Answer(303, vec!["location: /done".into()], vec![]),
    );
    stub.set(
        "/temporary",
        Reply::Answer(307, vec!["location: /done".into()], vec![]),
    );
    stub.set("/done", Reply::Answer(200, vec![], b"ok".to_vec()));
    let client =
        agentos_auth::provider::fetch::client(Duration::from_secs(10), None, "--from").unwrap();
    for (path, second) in [
        ("/see-other", "GET /done HTTP/1.1"),
        ("/temporary", "POST /done HTTP/1.1"),
    ] {
        stub.seen.lock().unwrap().clear();
        let r = client
            .run(
                "POST",
                &format!("{}{path}", stub.url),
                &[("Content-Type", "application/x-www-form-urlencoded")],
                Some(b"a=b"),
            )
            .unwrap_or_else(|f| panic!("{}", f.error));
        assert_eq!(
            (r.status, r.text(), r.url),
            (200, "ok".to_string(), format!("{}/done", stub.url))
        );
        assert_eq!(
            *stub.seen.lock().unwrap(),
            [format!("POST {path} HTTP/1.1"), second.to_string()]
        );
    }
}
