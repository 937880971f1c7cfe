//! Spinners and progress bars for slow work, drawn on stderr only when stderr is a
//! terminal (and not with `--quiet`); elsewhere they are inert, so callers need no
//! checks of their own. Dropping one clears its line.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::GlobalArgs;

pub struct Progress(Option<ProgressBar>);

fn visible(g: &GlobalArgs) -> bool {
    !g.quiet && std::io::stderr().is_terminal()
}

impl Progress {
    /// A spinner with `msg` and the elapsed time, for work of unknown length.
    pub fn spinner(g: &GlobalArgs, msg: impl Into<String>) -> Progress {
        if !visible(g) {
            return Progress(None);
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.set_message(msg.into());
        // Drawn at once: short work would otherwise end before the first tick.
        pb.tick();
        pb.enable_steady_tick(Duration::from_millis(100));
        Progress(Some(pb))
    }

    /// A bar for `len` items (e.g. tokens of a batch); advance it with [`Progress::inc`].
    pub fn bar(g: &GlobalArgs, len: u64, msg: impl Into<String>) -> Progress {
        if !visible(g) {
            return Progress(None);
        }
        let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(msg.into());
        Progress(Some(pb))
    }

    /// Whether anything is drawn (false off a terminal or with --quiet).
    pub fn is_visible(&self) -> bool {
        self.0.is_some()
    }

    pub fn inc(&self, n: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(n);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}
