//! File I/O with the guarantees the tool promises: atomic writes (temp file in the
//! same directory, fsync, rename), no silent overwrite, 0600 for secrets whatever the
//! umask, and advisory locks around read-modify-write of shared files.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{io_error, Error, Result};
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
pub fn write_atomic(path: &Path, data: &[u8], mode: u32, overwrite: Overwrite) -> Result<()> {
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

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a new, exclusive temp file named `.<name>.tmp-<pid>-<n>` in `dir`.
fn create_temp(dir: &Path, target: &Path, mode: u32) -> Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
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

/// Reads a whole file (at most [`MAX_INPUT_BYTES`]), with a one-line error naming the path.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(
            Error::io(format!("cannot read {}: is a directory", shown_path(path)))
                .hint("give a file path"),
        );
    }
    let file = File::open(path).map_err(|e| io_error("read", path, &e))?;
    read_capped(file, path)
}

/// Reads `-` as standard input, anything else as a file path.
pub fn read_input(spec: &Path) -> Result<Vec<u8>> {
    if spec.as_os_str() == "-" {
        read_capped(std::io::stdin(), Path::new("standard input"))
    } else {
        read_file(spec)
    }
}

fn read_capped(source: impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    source
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_error("read", path, &e))?;
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

/// A warning when a file holding a private key is readable by group or others.
pub fn loose_permissions_warning(path: &Path) -> Option<String> {
    let mode = fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "warning: {} is readable by others (mode {:o}); fix with: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

/// An exclusive advisory lock on `<path>.lock`, held until dropped.
///
/// Guards read-modify-write of shared files (the JWKS, the keyring) so concurrent runs
/// never lose each other's changes. The lock file itself is left in place: removing it
/// would race with a process that has just opened it.
pub struct FileLock {
    _file: File,
}

impl FileLock {
    pub fn exclusive(path: &Path) -> Result<FileLock> {
        let lock_path = lock_path(path);
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
            .open(&lock_path)
            .map_err(|e| io_error("open lock file", &lock_path, &e))?;
        fs4::fs_std::FileExt::lock_exclusive(&file)
            .map_err(|e| io_error("lock", &lock_path, &e))?;
        Ok(FileLock { _file: file })
    }
}

pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "file".into());
    name.push(".lock");
    parent_dir(path).join(name)
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
