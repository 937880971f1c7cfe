//! `doctor/verify --env-file FILE`: a .env file read as python-dotenv reads it
//! (`dotenv_values`; `uvicorn --env-file` loads it through python-dotenv's
//! `load_dotenv`), so the key checked is the key AgentOS is started with.
//!
//! A port of python-dotenv 1.x `parser.py` and `variables.py`, not a dotenv crate:
//! `dotenvy` 0.15 decodes `\n` in unquoted values and expands `$NAME`, python-dotenv
//! does neither, and a PEM with literal `\n` in an unquoted value is exactly the
//! mistake doctor must see. Docker compose agrees with python-dotenv on the forms
//! `export --format dotenv` writes (a double-quoted value with `\n`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsio;

/// The variables of one .env file, with the lines python-dotenv skips.
pub struct EnvFile {
    pub path: PathBuf,
    /// In file order; a later binding of the same name wins, as in a Python dict.
    vars: Vec<(String, String)>,
    /// 1-based lines python-dotenv cannot parse: it logs "could not parse statement
    /// starting at line N" and leaves them out.
    pub skipped: Vec<usize>,
}

impl EnvFile {
    /// Reads FILE. Errors name the file, never a value in it (it holds keys).
    pub fn read(path: &Path) -> Result<EnvFile> {
        let bytes = fsio::read_file(path).map_err(|e| e.context("--env-file"))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            Error::input(format!("--env-file {}: not UTF-8 text", path.display()))
                .hint("python-dotenv reads .env files as UTF-8: save the file as UTF-8")
        })?;
        let (bindings, skipped) = parse(text);
        Ok(EnvFile {
            path: path.to_path_buf(),
            vars: resolve(bindings, |name| {
                std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
            }),
            skipped,
        })
    }

    /// The file's value of NAME, if the file sets it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The environment AgentOS reads (`os.getenv`): the --env-file's variables over this
/// process's, as docker compose's `env_file:` gives them to the container.
pub struct AgentosEnv {
    pub file: Option<EnvFile>,
}

impl AgentosEnv {
    pub fn load(path: Option<&Path>) -> Result<AgentosEnv> {
        Ok(AgentosEnv {
            file: path.map(EnvFile::read).transpose()?,
        })
    }

    /// NAME as AgentOS sees it: unset and empty are alike.
    pub fn var(&self, name: &str) -> Option<String> {
        match self.file.as_ref().and_then(|f| f.get(name)) {
            Some(v) => Some(v.to_string()),
            None => std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
        }
        .filter(|v| !v.is_empty())
    }

    /// NAME as a path: the process's value as its bytes (a non-UTF-8 path stays
    /// openable, as it does for Python's `os.getenv`), the file's as written.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        match self.file.as_ref().and_then(|f| f.get(name)) {
            Some(v) => Some(PathBuf::from(v)),
            None => std::env::var_os(name).map(PathBuf::from),
        }
        .filter(|p| !p.as_os_str().is_empty())
    }

    /// What the reader should know about the file, one line each, values never
    /// quoted: lines python-dotenv skips, and variables this shell sets to something
    /// else (`uvicorn --env-file` keeps the shell's: `load_dotenv(override=False)`).
    pub fn remarks(&self, names: &[&str]) -> Vec<String> {
        let Some(f) = &self.file else {
            return Vec::new();
        };
        let shown = f.path.display();
        let mut out = Vec::new();
        if !f.skipped.is_empty() {
            let lines: Vec<String> = f.skipped.iter().map(usize::to_string).collect();
            out.push(format!(
                "{shown}: python-dotenv cannot parse line {} and leaves it out (write NAME=VALUE, a value with spaces or newlines in double quotes)",
                lines.join(", ")
            ));
        }
        for name in names {
            let Some(file_value) = f.get(name) else {
                continue;
            };
            let shell = std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
            if shell.as_deref().is_some_and(|s| s != file_value) {
                out.push(format!(
                    "{name} is also set in this shell, to another value: checked is the value in {shown} (docker compose's env_file); uvicorn --env-file would keep the shell's"
                ));
            }
        }
        out
    }
}

/// One `NAME=VALUE` statement; `None` for `NAME` without `=` (python-dotenv keeps it as
/// None and `load_dotenv` sets nothing).
type Binding = (String, Option<String>);

/// python-dotenv's `parse_stream`: the bindings, and the lines of statements it
/// cannot parse.
fn parse(text: &str) -> (Vec<Binding>, Vec<usize>) {
    let mut r = Reader {
        s: text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .chars()
            .collect(),
        pos: 0,
    };
    let mut bindings = Vec::new();
    let mut skipped = Vec::new();
    while r.pos < r.s.len() {
        // `_multiline_whitespace` first; a statement's line is where it starts.
        while r.peek().is_some_and(char::is_whitespace) {
            r.pos += 1;
        }
        if r.pos == r.s.len() {
            break;
        }
        let line = r.line();
        match parse_binding(&mut r) {
            Some(Ok(b)) => bindings.push(b),
            Some(Err(())) => {
                // `_rest_of_line`: the statement's remains and one line break.
                while r.peek().is_some_and(|c| c != '\r' && c != '\n') {
                    r.pos += 1;
                }
                if !r.eat('\r') {
                    r.eat('\n');
                }
                skipped.push(line);
            }
            None => {}
        }
    }
    (bindings, skipped)
}

struct Reader {
    s: Vec<char>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        self.pos += usize::from(hit);
        hit
    }

    /// `[^\S\r\n]*`: whitespace that does not end a line. Returns how much.
    fn blanks(&mut self) -> usize {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_whitespace() && c != '\r' && c != '\n')
        {
            self.pos += 1;
        }
        self.pos - start
    }

    /// 1-based line of the position (`\r\n`, `\n` and `\r` each end a line).
    fn line(&self) -> usize {
        let before = &self.s[..self.pos];
        1 + before
            .iter()
            .enumerate()
            .filter(|&(i, c)| *c == '\n' || (*c == '\r' && before.get(i + 1) != Some(&'\n')))
            .count()
    }
}

/// `parse_binding` after the leading whitespace: `None` for a comment line,
/// `Err` where python-dotenv raises its parse `Error`.
fn parse_binding(r: &mut Reader) -> Option<std::result::Result<Binding, ()>> {
    // `_export`: "export" and at least one blank, else nothing is consumed.
    let export: Vec<char> = "export".chars().collect();
    if r.s[r.pos..].starts_with(&export) {
        let save = r.pos;
        r.pos += export.len();
        if r.blanks() == 0 {
            r.pos = save;
        }
    }
    let key = match r.peek() {
        Some('#') => None,
        Some('\'') => {
            // `'([^']+)'`; a regex that fails consumes nothing.
            let save = r.pos;
            r.pos += 1;
            let start = r.pos;
            while r.peek().is_some_and(|c| c != '\'') {
                r.pos += 1;
            }
            if r.pos == start || !r.eat('\'') {
                r.pos = save;
                return Some(Err(()));
            }
            Some(r.s[start..r.pos - 1].iter().collect::<String>())
        }
        _ => {
            // `[^=\#\s]+`
            let start = r.pos;
            while r
                .peek()
                .is_some_and(|c| c != '=' && c != '#' && !c.is_whitespace())
            {
                r.pos += 1;
            }
            if r.pos == start {
                return Some(Err(()));
            }
            Some(r.s[start..r.pos].iter().collect::<String>())
        }
    };
    r.blanks();
    let value = if r.eat('=') {
        let blanks = r.blanks();
        // `KEY= # comment` is empty; `KEY=#x` is "#x".
        if blanks > 0 && r.peek() == Some('#') {
            Some(String::new())
        } else {
            match parse_value(r) {
                Ok(v) => Some(v),
                Err(()) => return Some(Err(())),
            }
        }
    } else {
        None
    };
    // `_comment`: blanks, then `#` to the end of the line, or nothing at all.
    let save = r.pos;
    r.blanks();
    if r.eat('#') {
        while r.peek().is_some_and(|c| c != '\r' && c != '\n') {
            r.pos += 1;
        }
    } else {
        r.pos = save;
    }
    // `_end_of_line`
    r.blanks();
    match r.peek() {
        None => {}
        Some('\r') => {
            r.pos += 1;
            r.eat('\n');
        }
        Some('\n') => r.pos += 1,
        Some(_) => return Some(Err(())),
    }
    key.map(|k| Ok((k, value)))
}

/// `parse_value`: single-quoted (only `\\` and `\'` decoded), double-quoted (Python
/// escapes `\\ \' \" \a \b \f \n \r \t \v` decoded, newlines kept), else unquoted
/// (taken as written to the end of the line, minus a ` #comment` and trailing blanks).
fn parse_value(r: &mut Reader) -> std::result::Result<String, ()> {
    match r.peek() {
        Some(q @ ('\'' | '"')) => {
            // `'((?:\\.|[^'\\])*)'` (DOTALL), likewise with `"`; a regex that fails
            // consumes nothing.
            let save = r.pos;
            r.pos += 1;
            let mut raw = Vec::new();
            loop {
                match r.peek() {
                    None => {
                        r.pos = save;
                        return Err(());
                    }
                    Some('\\') if r.pos + 1 < r.s.len() => {
                        raw.extend_from_slice(&r.s[r.pos..r.pos + 2]);
                        r.pos += 2;
                    }
                    Some('\\') => {
                        r.pos = save;
                        return Err(());
                    }
                    Some(c) if c == q => {
                        r.pos += 1;
                        break;
                    }
                    Some(c) => {
                        raw.push(c);
                        r.pos += 1;
                    }
                }
            }
            Ok(decode_escapes(&raw, q == '"'))
        }
        None | Some('\r' | '\n') => Ok(String::new()),
        Some(_) => {
            let start = r.pos;
            while r.peek().is_some_and(|c| c != '\r' && c != '\n') {
                r.pos += 1;
            }
            let part = &r.s[start..r.pos];
            // re.sub(r"\s+#.*", "", part): cut at the first blank run followed by '#'.
            let mut end = part.len();
            let mut i = 0;
            while i < part.len() {
                if part[i].is_whitespace() {
                    let run = part[i..].iter().take_while(|c| c.is_whitespace()).count();
                    if part.get(i + run) == Some(&'#') {
                        end = i;
                        break;
                    }
                    i += run;
                } else {
                    i += 1;
                }
            }
            let kept: String = part[..end].iter().collect();
            Ok(kept.trim_end().to_string())
        }
    }
}

/// `decode_escapes`: `\\[\\'"abfnrtv]` in double quotes, `\\[\\']` in single quotes,
/// left to right; any other backslash stays as written.
fn decode_escapes(raw: &[char], double: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let decoded = match (raw[i], raw.get(i + 1)) {
            ('\\', Some(&c @ ('\\' | '\''))) => Some(c),
            ('\\', Some(&c)) if double => match c {
                '"' => Some('"'),
                'a' => Some('\u{7}'),
                'b' => Some('\u{8}'),
                'f' => Some('\u{c}'),
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                'v' => Some('\u{b}'),
                _ => None,
            },
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                i += 2;
            }
            None => {
                out.push(raw[i]);
                i += 1;
            }
        }
    }
    out
}

/// `resolve_variables(override=True)`, what `dotenv_values` does: `${NAME}` and
/// `${NAME:-default}` in any value, from the file's earlier bindings first, then the
/// process environment; `$NAME` without braces stays as written.
fn resolve(
    bindings: Vec<Binding>,
    process: impl Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let mut done: Vec<(String, Option<String>)> = Vec::new();
    for (name, value) in bindings {
        let value = value.map(|v| {
            expand(&v, |n| {
                done.iter()
                    .rev()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v.clone())
                    .or_else(|| process(n).map(Some))
            })
        });
        done.push((name, value));
    }
    // A name without `=` is None: load_dotenv sets nothing for it.
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in done {
        out.retain(|(k, _)| *k != name);
        if let Some(v) = value {
            out.push((name, v));
        }
    }
    out
}

/// `\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}`, each match replaced by the
/// variable (a known name, even empty, beats the default; None is "").
fn expand(value: &str, lookup: impl Fn(&str) -> Option<Option<String>>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let name_len = after.find(['}', ':']).unwrap_or(after.len());
        let name = &after[..name_len];
        let tail = &after[name_len..];
        let (default, used) = if tail.starts_with('}') {
            (None, name_len + 1)
        } else if let Some(d) = tail.strip_prefix(":-") {
            match d.find('}') {
                Some(end) => (Some(&d[..end]), name_len + 2 + end + 1),
                None => (None, usize::MAX),
            }
        } else {
            (None, usize::MAX)
        };
        if used == usize::MAX {
            // No match here: the regex tries again one character on.
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        }
        out.push_str(&rest[..at]);
        let resolved = match lookup(name) {
            Some(v) => v.unwrap_or_default(),
            None => default.unwrap_or_default().to_string(),
        };
        out.push_str(&resolved);
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, String)> {
        resolve(parse(text).0, |_| None)
    }

    fn one(text: &str) -> String {
        values(text).pop().map(|(_, v)| v).unwrap_or_default()
    }

    #[test]
    fn double_quotes_decode_newlines_single_quotes_and_bare_values_do_not() {
        assert_eq!(one("K=\"a\\nb\""), "a\nb");
        assert_eq!(one("K='a\\nb'"), "a\\nb");
        assert_eq!(one("K=a\\nb"), "a\\nb");
        assert_eq!(one("K=\"line1\nline2\"\n"), "line1\nline2");
        assert_eq!(one("export K=\"x\\ty\" # note"), "x\ty");
        assert_eq!(one("K=a b  # c"), "a b");
        assert_eq!(one("K=a#b"), "a#b");
        assert_eq!(one("K= #c"), "");
        assert_eq!(one("K='it\\'s'"), "it's");
        assert_eq!(one("K=\"\\q\""), "\\q");
    }

    #[test]
    fn braces_expand_and_bare_dollars_do_not() {
        assert_eq!(
            values("A=1\nB=${A}-$A-${C:-d}-${A:x}\n"),
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "1-$A-d-${A:x}".to_string())
            ]
        );
    }

    #[test]
    fn unparsable_lines_are_skipped_and_numbered() {
        let (b, skipped) = parse("A=1\n\nB=\"open\nC='x' junk\nD=2\n");
        // B's double quote never closes: the statement fails at line 3 and python-dotenv
        // goes on after that line.
        assert_eq!(skipped, vec![3, 4]);
        assert_eq!(
            b,
            vec![
                ("A".to_string(), Some("1".to_string())),
                ("D".to_string(), Some("2".to_string()))
            ]
        );
    }
}
