//! Path patterns as agno and FastAPI match them: Python's `fnmatch` (the route map, the
//! excluded routes), `{param}` templates, and percent-decoding.

/// Python `fnmatch` for patterns whose only special character is `*` (which spans '/').
pub(crate) fn fnmatch(text: &str, pattern: &str) -> bool {
    let t = text.as_bytes();
    let p = pattern.as_bytes();
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// A template's `{param}`s as `*`, for [`fnmatch`].
pub(crate) fn braces_to_star(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut depth = false;
    for c in pattern.chars() {
        match c {
            '{' if !depth => {
                depth = true;
                out.push('*');
            }
            '}' if depth => depth = false,
            _ if depth => {}
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Two OpenAPI templates are the same route (parameter names aside).
pub fn same_template(a: &str, b: &str) -> bool {
    let norm = |t: &str| {
        t.split('/')
            .map(|s| if s.starts_with('{') { "{}" } else { s })
            .collect::<Vec<_>>()
            .join("/")
    };
    norm(a) == norm(b)
}
