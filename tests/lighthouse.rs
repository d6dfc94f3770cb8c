//! Lighthouse on the sample as users deploy it: `shale build` output served by a minimal
//! static server with gzip (`tests/e2e/lighthouse.mjs`), audited with Lighthouse's default
//! mobile settings in Debian's Chromium. Requires performance 98 or more and 100 for
//! accessibility and best practices (README, "Lighthouse").
//!
//! A test binary of its own so that it does not share the CPU with the browser tests
//! (Lighthouse scales the CPU time it observes). One run of about 15 s; when a score is
//! below its threshold, two more runs and the median counts.
//! Needs node, `/usr/bin/chromium` (or `CHROMIUM=path`) and `npm ci --prefix tests/e2e`;
//! skipped with a message without them, except under CI=true.

mod common;

use std::process::Command;

use common::*;

#[test]
fn lighthouse_scores_of_the_sample() {
    let Some(e2e) = browser_tools("lighthouse") else {
        return;
    };
    let site = repo().join("target/lighthouse-site");
    build(&repo().join("source"), &site);
    let out = Command::new("node")
        .arg(e2e.join("lighthouse.mjs"))
        .arg(&site)
        .args(["--min", "perf=98,a11y=100,bp=100", "--runs", "3"])
        .current_dir(&e2e)
        .output()
        .expect("running node");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    eprintln!("{report}");
    assert!(out.status.success(), "Lighthouse:\n{report}");
}
