//! A key store mounted as Kubernetes mounts a Secret (docs/serve.md, "Kubernetes"),
//! without a cluster: the kubelet's AtomicWriter layout (hidden timestamped directory,
//! `..data` symlink swapped on update, top-level symlinks, 0440 files, a world-writable
//! volume root) bound read-only (and, as the control, read-write) into a mount namespace
//! by `unshare` (util-linux; user namespaces must be allowed). In this tier because it
//! needs that system capability; a missing one fails the test.

use std::path::Path;

use serde_json::Value;

use crate::common::{assert_one_line_error, bin_at, ok_stdout};
use crate::serve_support::{basic, Answer, Serve};

/// Lays the store `from` out in `volume` as the kubelet's AtomicWriter lays out a Secret
/// volume (the manifest in docs/serve.md): the files in a hidden timestamped directory
/// (`..GEN`, with `keys/` as a subdirectory through the Secret's `items`), `..data` a
/// symlink to it, swapped by rename on each update, and every top-level name a symlink
/// through `..data`. Modes as with `defaultMode: 0400` and `fsGroup` (0440 files), the
/// volume's root world-writable and sticky, as kubelet's tmpfs is on the node.
fn project_secret(from: &Path, volume: &Path, generation: u32) {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let chmod = |p: &Path, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    std::fs::create_dir_all(volume).unwrap();
    let gen = format!("..2026_12_07_00_00_00.{generation:09}");
    let dir = volume.join(&gen);
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    let mut files = vec![
        "jwks.json".to_string(),
        "clients.json".to_string(),
        "settings.json".to_string(),
    ];
    for e in std::fs::read_dir(from.join("keys")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name == "keyring.json" || name.ends_with(".pem") {
            files.push(format!("keys/{name}"));
        }
    }
    for f in &files {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
        chmod(&dir.join(f), 0o440);
    }
    chmod(&dir.join("keys"), 0o755);
    chmod(&dir, 0o755);
    let tmp = volume.join("..data_tmp");
    symlink(&gen, &tmp).unwrap();
    std::fs::rename(&tmp, volume.join("..data")).unwrap();
    for top in ["jwks.json", "clients.json", "settings.json", "keys"] {
        let _ = symlink(format!("..data/{top}"), volume.join(top));
    }
    for e in std::fs::read_dir(volume).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.starts_with("..2026") && name != gen {
            std::fs::remove_dir_all(volume.join(&name)).unwrap();
        }
    }
    chmod(volume, 0o1777);
}

/// A store mounted read-only as a Kubernetes Secret (docs/serve.md): the world-writable
/// volume root is accepted because nothing can be written through a read-only mount (the
/// same layout mounted read-write is refused), tokens are issued, and a Secret update
/// (`jwks use`, projected anew) is followed on the next request without a restart.
#[test]
fn a_store_mounted_like_a_kubernetes_secret_is_served_and_followed() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("s");
    ok_stdout(bin_at(&home).args(["keygen", "--aud", "my-os"]));
    let out = ok_stdout(bin_at(&home).args([
        "clients",
        "add",
        "ci",
        "--scopes",
        "agents:read",
        "--json",
    ]));
    let secret = serde_json::from_str::<Value>(&out).unwrap()["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let staged = ok_stdout(bin_at(&home).args(["jwks", "rotate", "--stage", "--json"]));
    let new_kid = serde_json::from_str::<Value>(&staged).unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_string();
    let volume = dir.path().join("volume");
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    project_secret(&home, &volume, 1);
    let (vol, mnt_s) = (volume.to_str().unwrap(), mnt.to_str().unwrap());
    // unshare -rm: a mount namespace (and a user namespace mapping us to root in it, so
    // that it also works unprivileged); bind the volume, read-only unless told otherwise.
    let wrapper = |read_only: bool| -> Vec<String> {
        let remount = if read_only {
            r#" && mount -o remount,bind,ro "$2""#
        } else {
            ""
        };
        vec![
            "unshare".into(),
            "-rm".into(),
            "sh".into(),
            "-c".into(),
            format!(r#"mount --bind "$1" "$2"{remount} && shift 2 && exec "$@""#),
            "sh".into(),
            vol.into(),
            mnt_s.into(),
        ]
    };
    let check = |read_only: bool| {
        let mut cmd = std::process::Command::new("unshare");
        cmd.args(&wrapper(read_only)[1..])
            .arg(env!("CARGO_BIN_EXE_agentos-auth"))
            .arg("--home")
            .arg(&mnt)
            .args(["serve", "--check"]);
        cmd.output().expect("run unshare (util-linux)")
    };
    let o = check(false);
    assert_one_line_error(&o, 3, "writable by everyone");
    let o = check(true);
    assert!(o.status.success(), "{o:?}");

    let w = wrapper(true);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    let srv = Serve::start_wrapped(&w, &mnt, &["--rate-limit", "0"], &[]);
    let kid = |a: &Answer| {
        assert_eq!(a.status, 200, "{a:?}; log:\n{}", srv.log());
        let t = a.json()["access_token"].as_str().unwrap().to_string();
        let o = ok_stdout(bin_at(&home).args(["inspect", &t, "--json"]));
        serde_json::from_str::<Value>(&o).unwrap()["header"]["kid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let grant = || srv.token(&[&basic("ci", &secret)], "grant_type=client_credentials");
    let old_kid = kid(&grant());
    assert_ne!(old_kid, new_kid);
    let jwks = srv.get("/.well-known/jwks.json").json();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2, "{jwks}");

    // `jwks use` on the source store, then the Secret updated: the next token follows.
    ok_stdout(bin_at(&home).args(["jwks", "use", "--kid", &new_kid]));
    project_secret(&home, &volume, 2);
    assert_eq!(kid(&grant()), new_kid);
    srv.log_with(r#""event":"reloaded""#);
}
