//! Process-wide protections set once at start, before any key is read.

/// Keeps key material out of core dumps: the process is marked not dumpable
/// (`PR_SET_DUMPABLE` 0, which also closes `/proc/PID/mem` and `environ` to other
/// users and to ptrace by non-root) and its core size limit is set to 0 (for the case
/// where a core handler ignores the dumpable flag). Best effort: a failure leaves the
/// process as it was, and nothing else depends on it.
pub fn disable_core_dumps() {
    // SAFETY: prctl(PR_SET_DUMPABLE, 0) and setrlimit with a valid, initialised struct
    // take no pointers we keep and have no preconditions.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
    }
}
