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

/// Print a shell completion script on stdout.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  source <(agentos-auth completions bash)                          # this bash session\n  dir=${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions   # for good:\n  agentos-auth completions bash > \"$dir/agentos-auth\"\n  agentos-auth completions zsh > \"${fpath[1]}/_agentos-auth\"\n  agentos-auth completions fish > ~/.config/fish/completions/agentos-auth.fish\n\nThe same scripts, and man pages, are in the source tree under completions/ and man/."
)]
pub struct CompletionsArgs {
    /// Shell to complete for
    pub shell: Shell,
}
