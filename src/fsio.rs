//! File I/O with the guarantees the tool promises: atomic writes (temp file in the
//! same directory, fsync, rename), no silent overwrite, 0600 for secrets whatever the
//! umask, and advisory locks around read-modify-write of shared files.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::error::{io_error, Error, Result};
use crate::notice;
use crate::redact::shown_path;

/// Mode for private keys and secrets.
pub const PRIVATE_MODE: u32 = 0o600;
/// Mode for public material (public PEM, JWKS, settings).
pub const PUBLIC_MODE: u32 = 0o644;

/// Whether an existing file at the destination may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Never,
    Replace,
}

/// Writes `data` to `path` atomically with exactly `mode`.
///
/// The data goes to a temp file beside `path`, is fsynced, then moved into place, and
/// the directory is fsynced: a crash leaves either the old file or the new one, never a
/// half-written one. With `Overwrite::Never` the final step is a hard link, which fails
/// if `path` exists, so two racing writers cannot both win.
///
/// A symlink at `path` (config management, Kubernetes mounts) is written through:
/// the file it points to is replaced, atomically in that file's directory, and the
/// link stays. (`Overwrite::Never` never follows a link: an existing link is refused.)
pub fn write_atomic(path: &Path, data: &[u8], mode: u32, overwrite: Overwrite) -> Result<()> {
    let resolved;
    let path = if overwrite == Overwrite::Replace {
        resolved = resolve_symlinks(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = parent_dir(path);
    if overwrite == Overwrite::Never && path.exists() {
        return Err(exists_error(path));
    }
    if path.is_dir() {
        return Err(
            Error::io(format!("cannot write {}: is a directory", path.display()))
                .hint("give a file path"),
        );
    }
    let (tmp_path, mut tmp) = create_temp(&dir, path, mode)?;
    let result = (|| {
        tmp.write_all(data)
            .and_then(|_| tmp.sync_all())
            .map_err(|e| io_error("write", &tmp_path, &e))?;
        drop(tmp);
        match overwrite {
            Overwrite::Replace => {
                fs::rename(&tmp_path, path).map_err(|e| io_error("write", path, &e))?
            }
            Overwrite::Never => {
                fs::hard_link(&tmp_path, path).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        exists_error(path)
                    } else {
                        io_error("write", path, &e)
                    }
                })?;
                let _ = fs::remove_file(&tmp_path);
            }
        }
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

fn exists_error(path: &Path) -> Error {
    Error::io(format!("{} already exists", path.display()))
        .hint("pass --force to replace it, or choose another path")
}

/// The file `path` finally names after following symlinks (it may not exist yet).
pub fn resolve_symlinks(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As the kernel: at most 40 links in a row.
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p).map_err(|e| io_error("read link", &p, &e))?;
                p = if target.is_absolute() {
                    target
                } else {
                    parent_dir(&p).join(target)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::io(format!(
        "cannot follow {}: too many levels of symbolic links",
        path.display()
    ))
    .hint("check the links"))
}

/// At most this many bytes of a file's name go into a temp or lock name, so that
/// the affixes still fit the 255-byte name limit of Linux file systems.
const MAX_NAME_STEM: usize = 200;

/// The first [`MAX_NAME_STEM`] bytes of `name` (at a character boundary), plus a
/// digest of the whole name when it was cut, so distinct long names stay distinct.
fn short_name(name: &str) -> String {
    if name.len() <= MAX_NAME_STEM {
        return name.to_string();
    }
    let mut end = MAX_NAME_STEM - 17;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, name.as_bytes());
    let hex: String = digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}-{hex}", &name[..end])
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a new, exclusive temp file named `.<name>.tmp-<pid>-<n>` in `dir`.
fn create_temp(dir: &Path, target: &Path, mode: u32) -> Result<(PathBuf, File)> {
    let name = short_name(
        &target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into()),
    );
    for attempt in 0..100u32 {
        let nonce = nonce() ^ attempt;
        let tmp = dir.join(format!(".{name}.tmp-{}-{nonce:08x}", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)
        {
            Ok(f) => {
                // The umask may have narrowed (or, for 0600, never widens) the mode;
                // set it exactly.
                f.set_permissions(fs::Permissions::from_mode(mode))
                    .map_err(|e| io_error("set permissions on", &tmp, &e))?;
                return Ok((tmp, f));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error("create a file in", dir, &e)),
        }
    }
    Err(Error::io(format!(
        "cannot create a temp file in {}",
        dir.display()
    )))
}

fn nonce() -> u32 {
    let mut b = [0u8; 4];
    // A random suffix only avoids collisions; the clock is a fine fallback.
    if aws_lc_rs::rand::fill(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        return t;
    }
    u32::from_le_bytes(b)
}

fn sync_dir(dir: &Path) {
    // Best effort: makes the rename durable; some file systems refuse fsync on dirs.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The most any input file may hold. Keys, JWKS, settings and claims are kilobytes;
/// the cap stops `/dev/zero`, a FIFO fed forever or a wrong huge file from eating memory.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// Reads a whole file (at most [`MAX_INPUT_BYTES`]), with a one-line error naming the
/// path. Only regular files are read: a FIFO, device or socket would block forever or
/// never end, so it is refused (`-` for standard input is [`read_input`]'s). The buffer
/// is wiped when dropped: it may hold a private key or secret.
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let file = open_regular(path)?;
    read_capped(file, path)
}

/// Opens `path` for reading when it is a regular file (following symlinks). The open
/// itself does not block on a FIFO (`O_NONBLOCK`, which regular files ignore), and the
/// type is checked on the opened file, so a file swapped in between cannot slip by.
pub fn open_regular(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| io_error("read", path, &e))?;
    let meta = file.metadata().map_err(|e| io_error("read", path, &e))?;
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(file);
    }
    use std::os::unix::fs::FileTypeExt;
    let what = if ft.is_dir() {
        return Err(
            Error::io(format!("cannot read {}: is a directory", shown_path(path)))
                .hint("give a file path"),
        );
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(Error::io(format!(
        "cannot read {}: {what}, not a regular file",
        path.display()
    ))
    .hint("give a regular file, or - to read standard input"))
}

/// Reads `-` as standard input, anything else as a (regular) file path.
pub fn read_input(spec: &Path) -> Result<Zeroizing<Vec<u8>>> {
    if spec.as_os_str() == "-" {
        read_capped(std::io::stdin(), Path::new("standard input"))
    } else {
        read_file(spec)
    }
}

/// Reads at most [`MAX_INPUT_BYTES`] + 1 bytes. The buffer grows by copying into a
/// new wiped-on-drop buffer, never by `realloc`, which would leave unwiped copies of
/// a key in freed memory.
fn read_capped(mut source: impl Read, path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let limit = MAX_INPUT_BYTES as usize + 1;
    let mut buf: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(8 * 1024));
    loop {
        if buf.len() == buf.capacity() {
            if buf.len() >= limit {
                break;
            }
            let mut bigger = Zeroizing::new(Vec::with_capacity((buf.capacity() * 2).min(limit)));
            bigger.extend_from_slice(&buf);
            buf = bigger;
        }
        let len = buf.len();
        let room = (buf.capacity() - len).min(limit - len);
        buf.resize(len + room, 0);
        match source.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                break;
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => return Err(io_error("read", path, &e)),
        }
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::input(format!(
            "{} is larger than {} MiB: not a key, JWKS or settings file",
            shown_path(path),
            MAX_INPUT_BYTES >> 20
        ))
        .hint("check the path"));
    }
    Ok(buf)
}

/// Creates `dir` (and parents) when missing, with `dir` itself 0700: it holds private
/// keys. An existing directory is left as it is (it may be the user's working dir).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(
            Error::io(format!("{} exists and is not a directory", dir.display()))
                .hint("choose another directory"),
        );
    }
    fs::create_dir_all(dir).map_err(|e| io_error("create directory", dir, &e))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| io_error("set permissions on", dir, &e))
}

/// Directories a command may create, removed again unless it succeeds ([`NewDirs::keep`]):
/// a failed keygen or rotate leaves no new empty directories behind. Only directories
/// that did not exist when watched are touched, only lock files and a `.gitignore` (what
/// we put there first) are deleted from them, and a directory that still holds anything
/// else stays.
pub struct NewDirs {
    /// Deepest first.
    dirs: Vec<PathBuf>,
    keep: bool,
}

impl NewDirs {
    pub fn watch(paths: &[&Path]) -> NewDirs {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for p in paths {
            for a in p.ancestors() {
                if a.as_os_str().is_empty() || fs::symlink_metadata(a).is_ok() {
                    break;
                }
                if !dirs.iter().any(|d| d == a) {
                    dirs.push(a.to_path_buf());
                }
            }
        }
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        NewDirs { dirs, keep: false }
    }

    /// The command succeeded: the new directories stay.
    pub fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for NewDirs {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for d in &self.dirs {
            if let Ok(entries) = fs::read_dir(d) {
                for e in entries.flatten() {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    if name.ends_with(".lock") || name == ".gitignore" {
                        let _ = fs::remove_file(e.path());
                    }
                }
            }
            let _ = fs::remove_dir(d);
        }
    }
}

/// The warning for a file holding a private key that is readable by group or others.
pub fn loose_permissions_warning(path: &Path) -> Option<String> {
    let mode = fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} is readable by others (mode {:o}); fix with: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

/// How long [`FileLock::exclusive`] waits for a lock another run holds (`--lock-timeout`).
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

static LOCK_TIMEOUT_MS: AtomicU64 = AtomicU64::new(DEFAULT_LOCK_TIMEOUT.as_millis() as u64);

/// Sets how long lock waits last for the rest of this process (from `--lock-timeout`).
pub fn set_lock_timeout(timeout: Duration) {
    LOCK_TIMEOUT_MS.store(timeout.as_millis() as u64, Ordering::Relaxed);
}

fn lock_timeout() -> Duration {
    Duration::from_millis(LOCK_TIMEOUT_MS.load(Ordering::Relaxed))
}

/// After this long waiting for a lock, say so on stderr (a silent hang looks broken).
const LOCK_NOTICE_AFTER: Duration = Duration::from_secs(1);

/// An exclusive advisory lock on `<path>.lock`, held until dropped.
///
/// Guards read-modify-write of shared files (the JWKS, the keyring) so concurrent runs
/// never lose each other's changes. The lock file itself is left in place: removing it
/// would race with a process that has just opened it. It is opened without following
/// a symlink (a planted link would make us create files elsewhere), beside the file a
/// symlinked `path` points to (the file that is written). A lock another run holds is
/// waited for, with a note after a second, up to the lock timeout.
pub struct FileLock {
    _file: File,
}

impl FileLock {
    pub fn exclusive(path: &Path) -> Result<FileLock> {
        let lock_path = lock_path(&resolve_symlinks(path)?);
        let dir = parent_dir(&lock_path);
        if !dir.exists() {
            fs::create_dir_all(&dir).map_err(|e| io_error("create directory", &dir, &e))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(PUBLIC_MODE)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&lock_path)
            .map_err(|e| {
                if e.raw_os_error() == Some(libc::ELOOP) {
                    Error::io(format!(
                        "refusing to open lock file {}: it is a symbolic link",
                        lock_path.display()
                    ))
                    .hint("someone may be trying to redirect writes; remove the link")
                } else {
                    io_error("open lock file", &lock_path, &e)
                }
            })?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(Error::io(format!(
                "refusing to use lock file {}: not a regular file",
                lock_path.display()
            ))
            .hint("remove it"));
        }
        let started = Instant::now();
        let timeout = lock_timeout();
        let mut told = false;
        loop {
            match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
                Ok(true) => return Ok(FileLock { _file: file }),
                Ok(false) => {}
                Err(e) => return Err(io_error("lock", &lock_path, &e)),
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(Error::io(format!(
                    "gave up after {}s waiting for the lock {}: another agentos-auth run holds it",
                    timeout.as_secs(),
                    lock_path.display()
                ))
                .hint("let it finish and retry, or wait longer with --lock-timeout DUR"));
            }
            if !told && waited >= LOCK_NOTICE_AFTER {
                told = true;
                notice::info(format!(
                    "waiting for the lock {} (another agentos-auth run holds it; giving up after {}s)",
                    lock_path.display(),
                    timeout.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `<dir>/<name>.lock`; a name too long for the suffix is shortened (see [`short_name`]).
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let name = if name.len() + ".lock".len() > 255 {
        format!(".{}", short_name(&name))
    } else {
        name
    };
    parent_dir(path).join(format!("{name}.lock"))
}

/// Whose files we trust: this process's effective user, and root.
fn trusted_owner(uid: u32) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    uid == 0 || uid == unsafe { libc::geteuid() }
}

/// True when `path` is on a read-only mount: nothing can be changed through it, whatever
/// the mode bits say. A Kubernetes Secret volume is one: its root is world-writable on
/// the node (kubelet's tmpfs) and mounted read-only in the pod.
fn on_read_only_mount(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c` is a NUL-terminated path and `st` a buffer statvfs(3) fills on success.
    if unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: statvfs returned 0, so it initialised `st`.
    let st = unsafe { st.assume_init() };
    st.f_flag & libc::ST_RDONLY != 0
}

/// Refuses a directory that holds (or will hold) private keys, settings or the
/// keyring when someone else could change what is in it, as ssh does for `~/.ssh`:
/// owned by another user (root is fine), or writable by group or others (but not on a
/// read-only mount). A missing directory is fine (it is created 0700).
pub fn check_trusted_dir(dir: &Path) -> Result<()> {
    let Ok(meta) = fs::metadata(dir) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Ok(());
    }
    let mode = meta.mode() & 0o7777;
    if !trusted_owner(meta.uid()) {
        return Err(Error::io(format!(
            "refusing to use {}: it is owned by uid {}, not by you: whoever owns it can replace keys and settings",
            dir.display(),
            meta.uid()
        ))
        .hint(format!(
            "use a directory of your own (--home DIR), or chown it to yourself and chmod 700 {}",
            dir.display()
        )));
    }
    // A sticky directory (like /tmp) still lets others create files beside ours.
    if mode & 0o022 != 0 && !on_read_only_mount(dir) {
        return Err(Error::io(format!(
            "refusing to use {}: it is writable by {} (mode {:o}), so others can replace keys and settings",
            dir.display(),
            if mode & 0o002 != 0 { "everyone" } else { "its group" },
            mode & 0o777
        ))
        .hint(format!("fix with: chmod 700 {}", dir.display())));
    }
    Ok(())
}

/// Refuses a file we are about to trust (keyring, a private key, settings) when another
/// user owns it or group/others may write it. A missing file is fine.
pub fn check_trusted_file(path: &Path) -> Result<()> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    let mode = meta.mode() & 0o7777;
    if !trusted_owner(meta.uid()) {
        return Err(Error::io(format!(
            "refusing to use {}: it is owned by uid {}, not by you",
            path.display(),
            meta.uid()
        ))
        .hint("someone else may have put it there; check it, then chown it to yourself"));
    }
    if meta.is_file() && mode & 0o022 != 0 && !on_read_only_mount(path) {
        return Err(Error::io(format!(
            "refusing to use {}: it is writable by others (mode {:o})",
            path.display(),
            mode & 0o777
        ))
        .hint(format!(
            "check it, then fix with: chmod go-w {}",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_sets_mode_and_refuses_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.pem");
        write_atomic(&p, b"one", PRIVATE_MODE, Overwrite::Never).unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let err = write_atomic(&p, b"two", PRIVATE_MODE, Overwrite::Never).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", PUBLIC_MODE, Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o644
        );
        // No temp files left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn write_into_directory_path_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x", PUBLIC_MODE, Overwrite::Replace).unwrap_err();
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn read_errors_are_one_line() {
        let err = read_file(Path::new("/nonexistent/x.pem")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read /nonexistent/x.pem: no such file or directory (check the path)"
        );
    }
}
