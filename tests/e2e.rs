//! The built page in a real browser: `tests/e2e/run.mjs` drives headless Debian Chromium
//! with playwright-core against the sample site served on 127.0.0.1.
//! Needs node, `/usr/bin/chromium` (Debian package `chromium`) and
//! `npm ci --prefix tests/e2e`; skipped with a message without them, except under CI=true.

mod common;

use std::process::Command;

use common::*;

#[test]
fn sample_page_in_chromium() {
    let e2e = repo().join("tests/e2e");
    if !prerequisite(runs("node", &["--version"]), "node") {
        return;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !prerequisite(
        std::path::Path::new(&chromium).is_file(),
        "chromium (Debian package `chromium`)",
    ) {
        return;
    }
    if !prerequisite(
        e2e.join("node_modules/playwright-core").is_dir(),
        "playwright-core (`npm ci --prefix tests/e2e`)",
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build(&repo().join("source"), &site);
    let out = Command::new("node")
        .arg(e2e.join("run.mjs"))
        .arg(&site)
        .current_dir(&e2e)
        .output()
        .expect("running node");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    eprintln!("{report}");
    assert!(out.status.success(), "browser tests failed:\n{report}");
}
