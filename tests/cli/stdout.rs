//! Every command writes its output through one writer: a full disk is one error line.

use crate::common::assert_one_line_error;

#[test]
fn every_command_reports_a_failed_stdout_write_without_panicking() {
    // All product output goes through one writer (commands::print_line/print_text):
    // a full disk is one error line and exit 3, a closed pipe a quiet exit.
    for args in [
        &["scopes"][..],
        &["scopes", "--json"],
        &["inspect", "e30.e30.c2ln"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_one_line_error(&o, 3, "cannot write to standard output");
    }
}
