//! clap types for `completions` (issue: completions, man pages, prompts).

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Print a shell completion script (stub).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}
