//! Issue 21, item 6: the README's install section says why the first build is long and
//! quiet, and how to watch it, before a newcomer gives up on `pip install .`.

#[test]
fn readme_install_explains_the_long_quiet_build() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let install = readme
        .split("\n## Install\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an Install section");
    for needed in [
        "still running...",    // what pip shows meanwhile
        "cargo run --release", // the other long first build
        "aws-lc",              // what takes the time
        "pip install -v .",    // how to see progress
    ] {
        assert!(install.contains(needed), "Install section lacks {needed:?}");
    }
}
