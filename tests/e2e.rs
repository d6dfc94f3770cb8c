//! The built page in a real browser: `tests/e2e/run.mjs` drives headless Debian Chromium
//! with playwright-core against the sample, the dialect fixture and the corpus sites,
//! served on 127.0.0.1 (built into `target/e2e-sites/`). `E2E_FILTER=tabs` runs only the
//! tests whose name contains `tabs`.
//! Needs node, `/usr/bin/chromium` (Debian package `chromium`) and
//! `npm ci --prefix tests/e2e`; skipped with a message without them, except under CI=true.

mod common;

use common::*;

#[test]
fn sample_page_in_chromium() {
    let Some(e2e) = browser_tools("playwright-core") else {
        return;
    };
    // One site per folder: the sample, and the corpus fixtures.
    let sites = repo().join("target/e2e-sites");
    let _ = std::fs::remove_dir_all(&sites);
    build(&repo().join("source"), &sites.join("sample"));
    for entry in std::fs::read_dir(repo().join("tests/fixtures/corpus"))
        .unwrap()
        .flatten()
    {
        if entry.path().join("source").is_dir() {
            build(&entry.path().join("source"), &sites.join(entry.file_name()));
        }
    }
    build(
        &repo().join("tests/fixtures/dialect/source"),
        &sites.join("dialect"),
    );
    build(
        &repo().join("tests/fixtures/e2e-keys/source"),
        &sites.join("e2e-keys"),
    );
    build(
        &repo().join("tests/fixtures/e2e-images/source"),
        &sites.join("e2e-images"),
    );
    build(
        &repo().join("tests/fixtures/e2e-theme/source"),
        &sites.join("e2e-theme"),
    );
    build(
        &repo().join("tests/fixtures/search/source"),
        &sites.join("search"),
    );
    build(
        &repo().join("tests/fixtures/subpath/source"),
        &sites.join("subpath"),
    );
    build(
        &repo().join("tests/fixtures/i18n/source"),
        &sites.join("i18n"),
    );
    // Middleman's i18n with every language in its folder and a redirect at the root.
    build(
        &repo().join("tests/fixtures/i18n-zh/source"),
        &sites.join("i18n-zh"),
    );
    // The project `shale new` writes.
    let new = repo().join("target/e2e-new");
    let _ = std::fs::remove_dir_all(&new);
    shale::scaffold::create(&new, "").expect("shale new");
    build(&new.join("source"), &sites.join("new"));
    build(&big_source(), &sites.join("big"));
    // `--single-file` pages, opened alone from file:// (tests/e2e/tests/single.mjs).
    for (source, name) in [
        (repo().join("source"), "single-sample"),
        (
            repo().join("tests/fixtures/single-file/source"),
            "single-fixture",
        ),
    ] {
        build_single_file(&source, &sites.join(name));
    }
    let filter = std::env::var("E2E_FILTER").unwrap_or_default();
    run_node(
        &e2e,
        "run.mjs",
        &[sites.as_os_str(), filter.as_ref()],
        "browser tests failed",
    );
}

/// A 10 MB page for the search timing (site `big`): the sample's markdown body
/// repeated, written to `target/e2e-big/source/`.
fn big_source() -> std::path::PathBuf {
    let dir = repo().join("target/e2e-big/source");
    let sample = std::fs::read_to_string(repo().join("source/index.html.md")).unwrap();
    let body_at = sample[3..].find("\n---\n").expect("front matter") + 3 + 5;
    let (front, body) = sample.split_at(body_at);
    let mut text = String::with_capacity(10_100_000);
    text.push_str(front);
    while text.len() < 10_000_000 {
        text.push_str(body);
        text.push('\n');
    }
    std::fs::create_dir_all(dir.join("includes")).unwrap();
    std::fs::write(dir.join("index.html.md"), text).unwrap();
    std::fs::copy(
        repo().join("source/includes/_errors.md"),
        dir.join("includes/_errors.md"),
    )
    .unwrap();
    dir
}
