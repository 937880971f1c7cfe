//! What the library has to tell the user besides its results and errors, as values:
//! warnings (about safety: shown even with `--quiet`) and notices (a wait, a repair:
//! hidden by `--quiet`). The CLI layer installs the one sink that prints them (scrubbed
//! of key material, control characters escaped); without a sink (a library user, a
//! unit test) they are dropped, so library code never writes to the terminal itself.

use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Something unsafe the user should fix (printed as `warning: ...`).
    Warning(String),
    /// Something the user may want to know while it happens.
    Info(String),
}

type Sink = Box<dyn Fn(&Notice) + Send + Sync>;

static SINK: OnceLock<Sink> = OnceLock::new();

/// Installs the sink for the rest of the process (the first one wins).
pub fn set_sink(sink: impl Fn(&Notice) + Send + Sync + 'static) {
    let _ = SINK.set(Box::new(sink));
}

/// Hands `notice` to the sink, if there is one.
pub fn emit(notice: Notice) {
    if let Some(sink) = SINK.get() {
        sink(&notice);
    }
}

pub fn warn(text: impl Into<String>) {
    emit(Notice::Warning(text.into()));
}

pub fn info(text: impl Into<String>) {
    emit(Notice::Info(text.into()));
}
