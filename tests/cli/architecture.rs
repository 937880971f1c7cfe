//! The layering of `src/` (documented in `src/lib.rs`), checked on the source itself:
//! the file-level import graph (from `use crate::`/`super::`/`self::` trees, and
//! `crate::path`/`super::path`/alias paths in code) has no cycle, each file uses only its
//! own layer and the layers below it (so no library module reaches the CLI layer), only
//! the CLI layer prints, and the agno model does no I/O.
//!
//! `ARCHITECTURE_GRAPH=1 cargo test --test cli architecture -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first: a file may use files of its own layer and of the layers
/// below. Each entry is a file or a directory prefix under `src/`; every file must match
/// one (the longest match wins).
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "error.rs",
            "redact.rs",
            "hardening.rs",
            "time.rs",
            "notice.rs",
        ],
    ),
    ("file safety", &["fsio.rs"]),
    ("HTTP client", &["http.rs"]),
    ("keys and signing", &["keys/", "jwk_set.rs", "token.rs"]),
    ("agno model", &["agentos/"]),
    ("token claims", &["claims.rs"]),
    ("key store", &["keyring.rs", "store.rs", "clients.rs"]),
    ("identity provider", &["provider/"]),
    ("live-server client", &["live/"]),
    ("token service", &["serve/"]),
    ("CLI", &["cli/", "commands/", "main.rs"]),
];

/// The crate root declares the modules and nothing else: it belongs to no layer.
const ROOT: &str = "lib.rs";
/// The layer allowed to print.
const CLI: &str = "CLI";
/// The layer that does no I/O at all.
const MODEL: &str = "agno model";
const PRINTING: &[&str] = &["println!", "eprintln!", "print!", "eprint!", "dbg!"];
const MODEL_IO: &[&str] = &["std::fs", "std::net", "std::process", "std::env"];

// ---------------------------------------------------------------------------
// Lexing: code tokens with comments, strings and char literals removed.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
    /// A macro name with its `!` (`println!`).
    Macro(String),
}

fn lex(src: &str) -> Vec<(Tok, usize)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let count = |s: &[char]| s.iter().filter(|c| **c == '\n').count();
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let (start, mut depth) = (i, 0);
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count(&b[start..i.min(b.len())]);
        } else if let Some(end) = raw_string_end(&b, i) {
            line += count(&b[i..end]);
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let start = i;
            i += if c == 'b' { 2 } else { 1 };
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            line += count(&b[start..i.min(b.len())]);
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            // A char literal ('x', '\n', '\u{0}', b'x') or a lifetime ('a).
            let q = if c == 'b' { i + 1 } else { i };
            if b.get(q + 1) == Some(&'\\') {
                i = q + 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(q + 2) == Some(&'\'') {
                i = q + 3;
            } else {
                i = q + 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let mut word: String = b[start..i].iter().collect();
            if word == "r" && b.get(i) == Some(&'#') {
                // A raw identifier (r#type).
                i += 1;
                let s = i;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                word = b[s..i].iter().collect();
            }
            if b.get(i) == Some(&'!') && b.get(i + 1) != Some(&'=') {
                i += 1;
                out.push((Tok::Macro(format!("{word}!")), line));
            } else {
                out.push((Tok::Ident(word), line));
            }
        } else if c == ':' && next == Some(':') {
            out.push((Tok::Path, line));
            i += 2;
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '.') {
                i += 1;
            }
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// The end of a raw string (`r"..."`, `r#"..."#`, `br"..."`) starting at `i`.
fn raw_string_end(b: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&'b') {
        j += 1;
    }
    if b.get(j) != Some(&'r') || (i > 0 && is_ident_char(b.get(i - 1))) {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while b.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    loop {
        if j >= b.len() {
            return Some(b.len());
        }
        if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
}

fn is_ident_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

// ---------------------------------------------------------------------------
// The module tree and the import graph.

/// A source file: its path under `src/` and its module path (`agentos::routes`).
struct File {
    rel: String,
    module: Vec<String>,
    toks: Vec<(Tok, usize)>,
}

fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// One reference from a file to a module path, at a line.
struct Edge {
    from: String,
    to: String,
    line: usize,
}

struct Graph {
    files: Vec<File>,
    /// Module path -> file.
    modules: BTreeMap<Vec<String>, String>,
    edges: Vec<Edge>,
}

impl Graph {
    fn build(sources: &[(String, String)]) -> Graph {
        let files: Vec<File> = sources
            .iter()
            .map(|(rel, text)| File {
                rel: rel.clone(),
                module: module_of(rel),
                toks: lex(text),
            })
            .collect();
        let modules = files
            .iter()
            .filter(|f| f.rel != "main.rs")
            .map(|f| (f.module.clone(), f.rel.clone()))
            .collect();
        let mut g = Graph {
            files,
            modules,
            edges: Vec::new(),
        };
        let mut edges = Vec::new();
        for f in &g.files {
            edges.extend(g.file_edges(f));
        }
        g.edges = edges;
        g
    }

    /// The file that holds module path `abs` (its longest prefix that is a file).
    fn file_of(&self, abs: &[String]) -> Option<&str> {
        (0..=abs.len())
            .rev()
            .find_map(|n| self.modules.get(&abs[..n]))
            .map(String::as_str)
    }

    fn is_module(&self, abs: &[String]) -> bool {
        self.modules.contains_key(abs)
    }

    /// `path` as written in module `cur` (with `aliases` in scope), made absolute; `None`
    /// for another crate's path.
    fn resolve(
        &self,
        cur: &[String],
        path: &[String],
        aliases: &BTreeMap<String, Vec<String>>,
        is_bin: bool,
    ) -> Option<Vec<String>> {
        let first = path.first()?;
        let mut abs: Vec<String> = match first.as_str() {
            "crate" if !is_bin => Vec::new(),
            "agentos_auth" => Vec::new(),
            "self" => cur.to_vec(),
            "super" => {
                let mut m = cur.to_vec();
                let ups = path.iter().take_while(|s| *s == "super").count();
                for _ in 0..ups {
                    m.pop()?;
                }
                m.extend(path[ups..].iter().cloned());
                return Some(m);
            }
            name if aliases.contains_key(name) => aliases[name].clone(),
            name if !is_bin && self.is_module(&[cur, &[name.to_string()]].concat()) => {
                let mut m = cur.to_vec();
                m.push(name.to_string());
                m
            }
            _ => return None,
        };
        abs.extend(path[1..].iter().cloned());
        Some(abs)
    }

    fn file_edges(&self, f: &File) -> Vec<Edge> {
        let is_bin = f.rel == "main.rs";
        let toks = &f.toks;
        let mut out = Vec::new();
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // Inline modules (`mod tests { ... }`): names and the brace depth they close at.
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0usize;
        let push = |to: Option<Vec<String>>, line: usize, out: &mut Vec<Edge>| {
            if let Some(file) = to.as_deref().and_then(|abs| self.file_of(abs)) {
                if file != f.rel {
                    out.push(Edge {
                        from: f.rel.clone(),
                        to: file.to_string(),
                        line,
                    });
                }
            }
        };
        let mut i = 0;
        while i < toks.len() {
            let cur: Vec<String> = f
                .module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(n, _)| n.clone()))
                .collect();
            match &toks[i].0 {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                }
                Tok::Ident(w) if w == "mod" => {
                    if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        inline.push((name.clone(), depth));
                        depth += 1;
                        i += 3;
                        continue;
                    }
                }
                Tok::Ident(w) if w == "use" => {
                    let end = (i..toks.len())
                        .find(|&j| toks[j].0 == Tok::Punct(';'))
                        .unwrap_or(toks.len());
                    let mut items = Vec::new();
                    use_tree(&toks[i + 1..end], Vec::new(), &mut items);
                    for (path, alias) in items {
                        let abs = self.resolve(&cur, &path, &aliases, is_bin);
                        if let (Some(abs), Some(name)) = (&abs, alias) {
                            if self.is_module(abs) {
                                aliases.insert(name, abs.clone());
                            }
                        }
                        push(abs, toks[i].1, &mut out);
                    }
                    i = end + 1;
                    continue;
                }
                Tok::Ident(first) if toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) => {
                    // A path in code: `crate::a::b`, `super::x`, `alias::y`.
                    let after_path = i > 0 && toks[i - 1].0 == Tok::Path;
                    if !after_path {
                        let mut path = vec![first.clone()];
                        let mut j = i + 1;
                        while toks.get(j).map(|t| &t.0) == Some(&Tok::Path) {
                            match toks.get(j + 1).map(|t| &t.0) {
                                Some(Tok::Ident(s)) => path.push(s.clone()),
                                Some(Tok::Macro(m)) => path.push(m.trim_end_matches('!').into()),
                                _ => break,
                            }
                            j += 2;
                        }
                        let abs = self.resolve(&cur, &path, &aliases, is_bin);
                        push(abs, toks[i].1, &mut out);
                        i = j;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        out
    }
}

/// Expands a `use` tree into `(path, name it is bound to)` pairs; a glob binds nothing.
fn use_tree(
    toks: &[(Tok, usize)],
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let mut path = prefix.clone();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(s) if s == "as" => {
                if let Some((Tok::Ident(name), _)) = toks.get(i + 1) {
                    out.push((path.clone(), Some(name.clone())));
                }
                return;
            }
            Tok::Ident(s) if s == "self" && !path.is_empty() && i == 0 => {
                // `{self}` / `{self as x}`: the prefix itself.
                if let Some((Tok::Ident(a), _)) = toks.get(1) {
                    if a == "as" {
                        if let Some((Tok::Ident(name), _)) = toks.get(2) {
                            out.push((path.clone(), Some(name.clone())));
                        }
                        return;
                    }
                }
                let name = path.last().cloned();
                out.push((path.clone(), name));
                return;
            }
            Tok::Ident(s) => path.push(s.clone()),
            Tok::Path => {}
            Tok::Punct('*') => {
                out.push((path.clone(), None));
                return;
            }
            Tok::Punct('{') => {
                // Split the group at top-level commas.
                let mut d = 0;
                let mut start = i + 1;
                for j in i + 1..toks.len() {
                    match toks[j].0 {
                        Tok::Punct('{') => d += 1,
                        Tok::Punct('}') if d == 0 => {
                            if start < j {
                                use_tree(&toks[start..j], path.clone(), out);
                            }
                            return;
                        }
                        Tok::Punct('}') => d -= 1,
                        Tok::Punct(',') if d == 0 => {
                            if start < j {
                                use_tree(&toks[start..j], path.clone(), out);
                            }
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            _ => {}
        }
        i += 1;
    }
    if !path.is_empty() {
        let name = path.last().cloned();
        out.push((path, name));
    }
}

// ---------------------------------------------------------------------------
// The checks.

fn layer_of(rel: &str) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(n, (_, prefixes))| prefixes.iter().map(move |p| (n, *p)))
        .filter(|(_, p)| rel == *p || (p.ends_with('/') && rel.starts_with(p)))
        .max_by_key(|(_, p)| p.len())
        .map(|(n, _)| n)
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(nodes: &[String], edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on: BTreeSet<String>,
        out: Vec<Vec<String>>,
    }
    fn visit(s: &mut State, v: &str) {
        let n = s.index.len();
        s.index.insert(v.into(), n);
        s.low.insert(v.into(), n);
        s.stack.push(v.into());
        s.on.insert(v.into());
        for w in s.edges.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(&w) {
                visit(s, &w);
                let lw = s.low[&w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on.contains(&w) {
                let iw = s.index[&w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Every breach of the layering, one line each.
fn problems(sources: &[(String, String)]) -> Vec<String> {
    let g = Graph::build(sources);
    let mut out = Vec::new();
    let mut adj: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &g.edges {
        adj.entry(e.from.clone()).or_default().insert(e.to.clone());
    }
    let nodes: Vec<String> = g.files.iter().map(|f| f.rel.clone()).collect();
    for comp in cycles(&nodes, &adj) {
        let inside: Vec<String> = g
            .edges
            .iter()
            .filter(|e| comp.contains(&e.from) && comp.contains(&e.to))
            .map(|e| format!("{}:{} -> {}", e.from, e.line, e.to))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(format!(
            "import cycle between {}: {}",
            comp.join(", "),
            inside.join("; ")
        ));
    }
    let cli = LAYERS.iter().position(|(n, _)| *n == CLI);
    let model = LAYERS.iter().position(|(n, _)| *n == MODEL);
    for f in &g.files {
        if f.rel == ROOT {
            continue;
        }
        let Some(layer) = layer_of(&f.rel) else {
            out.push(format!(
                "src/{} belongs to no layer (tests/architecture.rs, LAYERS)",
                f.rel
            ));
            continue;
        };
        for e in g.edges.iter().filter(|e| e.from == f.rel) {
            if let Some(to) = layer_of(&e.to).filter(|to| *to > layer) {
                out.push(format!(
                    "src/{}:{} ({}) uses src/{} ({}), a layer above it",
                    e.from, e.line, LAYERS[layer].0, e.to, LAYERS[to].0
                ));
            }
        }
        for (tok, line) in &f.toks {
            if let Tok::Macro(m) = tok {
                if Some(layer) != cli && PRINTING.contains(&m.as_str()) {
                    out.push(format!(
                        "src/{}:{line} calls {m}: only the CLI layer prints (return warnings as values)",
                        f.rel
                    ));
                }
            }
        }
        if Some(layer) == model {
            for w in f.toks.windows(3) {
                if let [(Tok::Ident(a), line), (Tok::Path, _), (Tok::Ident(b), _)] = w {
                    let p = format!("{a}::{b}");
                    if MODEL_IO.contains(&p.as_str()) {
                        out.push(format!(
                            "src/{}:{line} uses {p}: the agno model does no I/O",
                            f.rel
                        ));
                    }
                }
            }
        }
    }
    out
}

fn read_tree(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let r = format!("{rel}{name}");
        if p.is_dir() {
            read_tree(&p, &format!("{r}/"), out);
        } else if name.ends_with(".rs") {
            out.push((r, std::fs::read_to_string(&p).expect("read a source file")));
        }
    }
}

fn src_tree() -> Vec<(String, String)> {
    let mut out = Vec::new();
    read_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut out,
    );
    out
}

#[test]
fn the_layering_holds() {
    let sources = src_tree();
    if std::env::var_os("ARCHITECTURE_GRAPH").is_some() {
        let g = Graph::build(&sources);
        let edges: BTreeSet<(String, String)> = g
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        for (a, b) in edges {
            println!("{a} -> {b}");
        }
    }
    let found = problems(&sources);
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The checker on small trees, so a breach is seen to fail.

fn tree(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn a_circle_between_files_fails() {
    let t = tree(&[
        ("lib.rs", "pub mod agentos;"),
        ("agentos/mod.rs", "pub mod a; pub mod b;"),
        ("agentos/a.rs", "use super::b::X; pub struct Y;"),
        (
            "agentos/b.rs",
            "pub struct X; fn f() { let _ = super::a::Y; }",
        ),
    ]);
    let p = problems(&t);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("import cycle between agentos/a.rs, agentos/b.rs"),
        "{p:?}"
    );
}

#[test]
fn a_circle_through_a_facade_and_an_alias_fails() {
    // b uses the parent's re-export, the parent re-exports from b: a circle.
    let t = tree(&[
        ("lib.rs", "pub mod agentos;"),
        ("agentos/mod.rs", "pub mod a; pub mod b; pub use b::X;"),
        ("agentos/a.rs", "pub struct Y;"),
        (
            "agentos/b.rs",
            "use super::{self as model}; pub struct X; fn f() { model::a::Y; let _ = \"crate::cli::Z\"; }",
        ),
    ]);
    let p = problems(&t);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("agentos/b.rs, agentos/mod.rs"), "{p:?}");
    assert!(p[0].contains("agentos/b.rs:1 -> agentos/mod.rs"), "{p:?}");
}

#[test]
fn a_circle_inside_one_directory_is_reported() {
    let inside = tree(&[
        ("lib.rs", "pub mod agentos;"),
        ("agentos/mod.rs", "pub mod profiles;"),
        (
            "agentos/profiles/mod.rs",
            "mod v1; pub struct P; pub const ALL: &[P] = &[v1::P1];",
        ),
        (
            "agentos/profiles/v1.rs",
            "use super::P; pub const P1: P = P;",
        ),
    ]);
    let p = problems(&inside);
    assert!(
        p.iter().any(|l| l
            .starts_with("import cycle between agentos/profiles/mod.rs, agentos/profiles/v1.rs")),
        "{p:?}"
    );
}

#[test]
fn a_library_module_using_the_cli_fails() {
    let t = tree(&[
        ("lib.rs", "pub mod cli; pub mod store;"),
        ("cli/mod.rs", "pub struct Args;"),
        (
            "store.rs",
            "// crate::cli in a comment is no use\nfn f(_: crate::cli::Args) {}",
        ),
    ]);
    assert_eq!(
        problems(&t),
        ["src/store.rs:2 (key store) uses src/cli/mod.rs (CLI), a layer above it"]
    );
}

#[test]
fn printing_or_io_outside_the_cli_fails() {
    let t = tree(&[
        ("lib.rs", "pub mod agentos; pub mod fsio; pub mod commands;"),
        ("agentos/mod.rs", "fn f() { let _ = std::fs::read(\"x\"); }"),
        ("fsio.rs", "fn f() { eprintln!(\"warning\"); }"),
        (
            "commands/mod.rs",
            "fn f() { eprintln!(\"fine\"); let _ = std::fs::read(\"x\"); }",
        ),
        ("stray.rs", ""),
    ]);
    let p = problems(&t);
    assert_eq!(
        p,
        [
            "src/agentos/mod.rs:1 uses std::fs: the agno model does no I/O",
            "src/fsio.rs:1 calls eprintln!: only the CLI layer prints (return warnings as values)",
            "src/stray.rs belongs to no layer (tests/architecture.rs, LAYERS)",
        ]
    );
}

#[test]
fn the_lexer_skips_strings_chars_and_lifetimes() {
    let toks = lex("fn f<'a>(x: &'a str) -> char { let _ = r#\"crate::x \"# ; '\\'' }");
    let idents: Vec<String> = toks
        .into_iter()
        .filter_map(|(t, _)| match t {
            Tok::Ident(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(idents, ["fn", "f", "x", "str", "char", "let", "_"]);
}
