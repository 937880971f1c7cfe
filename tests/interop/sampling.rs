//! How much of a cross product a matrix runs on a release (the version matrix, the roles
//! matrix). The newest modelled release of each agno minor line runs it whole; every other
//! release runs a covering sample, drawn from a fixed seed, so a run is reproducible and a
//! failure reruns the same cells. `AGENTOS_AUTH_FULL_MATRIX=1` runs every release whole;
//! `AGENTOS_AUTH_MATRIX_SEED=N` draws another sample (docs/testing.md, "Sampling").
//!
//! Why this keeps the coverage: a release that is sampled still sends every route
//! template and every token form, each pair of them on a release of its line that is run
//! whole, and the profiles of one minor line share most of their rules (a switch that
//! changes inside a line changes on a row of data/agno/releases.toml, whose own release
//! is run too, sampled or whole).

use agentos_auth::agentos::PROFILES;

/// The sample's seed when `AGENTOS_AUTH_MATRIX_SEED` is unset.
pub const SEED: u64 = 1207;

/// `(major, minor, patch)` of an agno release string.
fn parts(version: &str) -> (u32, u32, u32) {
    let mut it = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

/// The newest release of each minor line among the profiles' releases (their `version`
/// and `since`), oldest line first.
pub fn newest_of_each_minor_line() -> Vec<&'static str> {
    let mut newest: Vec<&'static str> = Vec::new();
    for v in PROFILES.iter().flat_map(|p| [p.version, p.since]) {
        let (major, minor, _) = parts(v);
        match newest
            .iter_mut()
            .find(|n| (parts(n).0, parts(n).1) == (major, minor))
        {
            Some(n) if parts(n) < parts(v) => *n = v,
            Some(_) => {}
            None => newest.push(v),
        }
    }
    newest.sort_by_key(|v| parts(v));
    newest
}

/// `AGENTOS_AUTH_FULL_MATRIX=1`: every release runs the whole cross product.
pub fn full_everywhere() -> bool {
    std::env::var("AGENTOS_AUTH_FULL_MATRIX").is_ok_and(|v| v == "1")
}

/// Whether `version` runs the whole cross product (else a sample).
pub fn runs_whole(version: &str) -> bool {
    full_everywhere() || newest_of_each_minor_line().contains(&version)
}

/// The seed: `AGENTOS_AUTH_MATRIX_SEED`, else [`SEED`]. An unreadable value fails the test.
pub fn seed() -> u64 {
    match std::env::var("AGENTOS_AUTH_MATRIX_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("AGENTOS_AUTH_MATRIX_SEED={s:?} is not a number")),
        Err(_) => SEED,
    }
}

/// A generator for one sample (`what`, e.g. "roles") of one release: the seed mixed with
/// both names (FNV-1a), so each release draws its own cells and adding a release moves
/// no other release's sample.
pub fn rng(version: &str, what: &str) -> fastrand::Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed();
    for b in version.bytes().chain([0]).chain(what.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    fastrand::Rng::with_seed(h)
}

/// A covering sample of the cross product `a × b × c` (indices): every pair of `b` and `c`
/// once, under a drawn `a`; then every pair of `a` and `c`, and of `a` and `b`, that this
/// left out, once, with the third drawn. Sorted, no repeats.
pub fn covering_triples(
    (a, b, c): (usize, usize, usize),
    rng: &mut fastrand::Rng,
) -> Vec<(usize, usize, usize)> {
    let mut cells = std::collections::BTreeSet::new();
    for j in 0..b {
        for k in 0..c {
            cells.insert((rng.usize(..a), j, k));
        }
    }
    for i in 0..a {
        for k in 0..c {
            if !cells.iter().any(|&(x, _, z)| (x, z) == (i, k)) {
                cells.insert((i, rng.usize(..b), k));
            }
        }
        for j in 0..b {
            if !cells.iter().any(|&(x, y, _)| (x, y) == (i, j)) {
                cells.insert((i, j, rng.usize(..c)));
            }
        }
    }
    cells.into_iter().collect()
}

/// How many distinct pairs of each two axes `cells` hold: `(a×b, a×c, b×c)`.
pub fn pairs_covered(cells: &[(usize, usize, usize)]) -> (usize, usize, usize) {
    use std::collections::BTreeSet;
    let ab: BTreeSet<_> = cells.iter().map(|&(x, y, _)| (x, y)).collect();
    let ac: BTreeSet<_> = cells.iter().map(|&(x, _, z)| (x, z)).collect();
    let bc: BTreeSet<_> = cells.iter().map(|&(_, y, z)| (y, z)).collect();
    (ab.len(), ac.len(), bc.len())
}

#[test]
fn the_newest_release_of_each_minor_line_runs_whole() {
    let whole = newest_of_each_minor_line();
    // One per minor line, and the newest modelled release among them.
    let newest = PROFILES.iter().map(|p| p.version).max_by_key(|v| parts(v));
    assert!(whole.contains(&newest.unwrap()), "{whole:?}");
    let mut lines: Vec<(u32, u32)> = whole.iter().map(|v| (parts(v).0, parts(v).1)).collect();
    lines.dedup();
    assert_eq!(lines.len(), whole.len(), "{whole:?}");
}

#[test]
fn a_covering_sample_holds_every_pair_of_axes() {
    let dims = (7, 22, 21);
    let cells = covering_triples(dims, &mut rng("3.1.0", "test"));
    assert_eq!(pairs_covered(&cells), (7 * 22, 7 * 21, 22 * 21));
    assert!(cells.len() < 7 * 22 * 21 / 4, "{} cells", cells.len());
    // The same seed draws the same cells; another release draws others.
    assert_eq!(cells, covering_triples(dims, &mut rng("3.1.0", "test")));
    assert_ne!(cells, covering_triples(dims, &mut rng("3.0.9", "test")));
}
