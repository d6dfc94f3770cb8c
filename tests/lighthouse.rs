//! Lighthouse on the sample as users deploy it: `shale build` output served by a minimal
//! static server with gzip (`tests/e2e/lighthouse.mjs`), audited with Lighthouse's default
//! mobile settings in Debian's Chromium. Requires performance 98 or more and 100 for
//! accessibility and best practices (docs/performance.md, "Lighthouse").
//!
//! A test binary of its own so that it does not share the CPU with the browser tests
//! (Lighthouse scales the CPU time it observes). One run of about 15 s; when a score is
//! below its threshold, two more runs and the median counts.
//! Needs node, `/usr/bin/chromium` (or `CHROMIUM=path`) and `npm ci --prefix tests/e2e`;
//! skipped with a message without them, except under CI=true.

mod common;

use common::*;

#[test]
#[ignore = "needs chromium and node: npm ci --prefix tests/e2e (lighthouse)"]
fn lighthouse_scores_of_the_sample() {
    let Some(e2e) = browser_tools("lighthouse") else {
        return;
    };
    let site = repo().join("target/lighthouse-site");
    build(&repo().join("source"), &site);
    run_node(
        &e2e,
        "lighthouse.mjs",
        &[
            site.as_os_str(),
            "--min".as_ref(),
            "perf=98,a11y=100,bp=100".as_ref(),
            "--runs".as_ref(),
            "3".as_ref(),
        ],
        "Lighthouse",
    );
}
