//! The built page in a real browser: `tests/e2e/run.mjs` drives headless Debian Chromium
//! with playwright-core against the sample, the dialect fixture and the corpus sites,
//! served on 127.0.0.1 (built into `target/e2e-sites/`). `E2E_FILTER=tabs` runs only the
//! tests whose name contains `tabs`.
//! Needs node, `/usr/bin/chromium` (Debian package `chromium`) and
//! `npm ci --prefix tests/e2e`; skipped with a message without them, except under CI=true.
//!
//! `layout_matches_slate` compares the layout with Slate's own CSS and JS in Chromium
//! (`../shared/visual-oracle`); it also needs ruby and `../shared`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::common::*;

/// One browser test at a time: the figures they print (timings) are not skewed by the
/// other's Chromium on the same cores.
static CHROMIUM: Mutex<()> = Mutex::new(());

#[test]
#[ignore = "needs chromium and node: npm ci --prefix tests/e2e"]
fn sample_page_in_chromium() {
    let Some(e2e) = browser_tools("playwright-core") else {
        return;
    };
    let _one = CHROMIUM.lock().unwrap_or_else(|e| e.into_inner());
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
        &repo().join("tests/fixtures/site-search/source"),
        &sites.join("site-search"),
    );
    build(&site200_source(), &sites.join("site200"));
    build(
        &repo().join("tests/fixtures/split/source"),
        &sites.join("split"),
    );
    build(&chapters_source(false), &sites.join("big-chapters"));
    build(&chapters_source(true), &sites.join("big-split"));
    build(
        &repo().join("tests/fixtures/subpath/source"),
        &sites.join("subpath"),
    );
    build(
        &repo().join("tests/fixtures/i18n/source"),
        &sites.join("i18n"),
    );
    // Several pages (issue 14): shale.yml, versions, toc_depth, custom ids.
    build(
        &repo().join("tests/fixtures/site/source"),
        &sites.join("site"),
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
    // The sample and the corpus pages with `lazy_layout: true` (tests/e2e/tests/lazy.mjs)
    // and a page with every kind of element right below a heading (tests/fixtures/lazy)
    let cuts = repo().join("tests/fixtures/lazy/source");
    build(&cuts, &sites.join("cuts"));
    let mut lazy = vec![
        ("sample".to_string(), repo().join("source")),
        ("cuts".to_string(), cuts),
    ];
    for entry in std::fs::read_dir(repo().join("tests/fixtures/corpus"))
        .unwrap()
        .flatten()
    {
        if entry.path().join("source").is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            lazy.push((name, entry.path().join("source")));
        }
    }
    for (name, source) in lazy {
        let name = format!("lazy-{name}");
        let source = with_settings(&name, &source, "lazy_layout: true\n");
        build(&source, &sites.join(name));
    }
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

/// A site of 200 pages for the site search figures (site `site200`), as in
/// `bench/bench.py`: the sample's page 200 times, each with its own title, written to
/// `target/e2e-site200/source/`.
fn site200_source() -> PathBuf {
    let dir = repo().join("target/e2e-site200/source");
    let sample = std::fs::read_to_string(repo().join("source/index.html.md")).unwrap();
    std::fs::create_dir_all(dir.join("includes")).unwrap();
    for entry in std::fs::read_dir(repo().join("source/includes"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(entry.path(), dir.join("includes").join(entry.file_name())).unwrap();
    }
    for i in 0..200 {
        let page = sample.replacen("title: API Reference", &format!("title: Page {i}"), 1);
        std::fs::write(dir.join(format!("page{i}.html.md")), page).unwrap();
    }
    dir
}

/// A 10 MB page of 20 chapters for the `split: h1` figures (sites `big-chapters`,
/// and `big-split` with `split: h1`): the sample's body repeated, its headings one
/// level down, under a `# Chapter N` every twentieth of the way; written to
/// `target/e2e-chapters[-split]/source/`. (The 10 MB bench page itself has an `h1`
/// every 3 KB: split, each of its ~4,000 parts would carry a sidebar of ~4,000 entries.)
fn chapters_source(split: bool) -> PathBuf {
    let name = if split {
        "e2e-chapters-split"
    } else {
        "e2e-chapters"
    };
    let dir = repo().join("target").join(name).join("source");
    let sample = std::fs::read_to_string(repo().join("source/index.html.md")).unwrap();
    let body_at = sample[3..].find("\n---\n").expect("front matter") + 3 + 5;
    let (front, body) = sample.split_at(body_at);
    let body: String = body
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if rest.starts_with([' ', '#']) => format!("#{l}\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    let mut text = String::with_capacity(10_100_000);
    text.push_str(&front.replacen("---\n", if split { "---\nsplit: h1\n" } else { "---\n" }, 1));
    let each = 10_000_000 / 20;
    for chapter in 1..=20 {
        text.push_str(&format!("\n# Chapter {chapter}\n\n"));
        let end = text.len() + each;
        while text.len() < end {
            text.push_str(&body);
            text.push('\n');
        }
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

/// The sources whose layout must be Slate's: the sample, the dialect fixture, the corpus
/// copies and every folder of `../shared/corpus` (as `tests/suite/oracle.rs`).
fn look_inputs(shared: &Path) -> Vec<(String, PathBuf)> {
    let mut v = vec![
        ("sample".to_string(), repo().join("source")),
        (
            "dialect".to_string(),
            repo().join("tests/fixtures/dialect/source"),
        ),
    ];
    // the sidebar listing the site's pages, a deeper TOC: the content column stays put
    let nav = "nav: true\ntitle: Site name\ntoc_depth: 4\n";
    v.push((
        "sample-nav".into(),
        with_settings("sample-nav", &repo().join("source"), nav),
    ));
    let neoway = repo().join("tests/fixtures/corpus/neoway/source");
    if neoway.is_dir() {
        v.push((
            "neoway-nav".into(),
            with_settings("neoway-nav", &neoway, nav),
        ));
    }
    let mut names = std::collections::HashSet::new();
    for dir in [repo().join("tests/fixtures/corpus"), shared.join("corpus")] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.join("source").is_dir() && names.insert(name.clone()) {
                v.push((name, p.join("source")));
            }
        }
    }
    v
}

/// A copy of the source folder `source` in a project whose `shale.yml` is `settings`
/// (in `target/e2e-look-inputs/NAME/`); returns the copy's source folder.
fn with_settings(name: &str, source: &Path, settings: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let (f, t) = (e.path(), to.join(e.file_name()));
            if f.is_dir() {
                copy(&f, &t);
            } else {
                std::fs::copy(&f, &t).unwrap();
            }
        }
    }
    let project = repo().join("target/e2e-look-inputs").join(name);
    let _ = std::fs::remove_dir_all(&project);
    copy(source, &project.join("source"));
    std::fs::write(project.join("shale.yml"), settings).unwrap();
    project.join("source")
}

/// `../shared` with the visual oracle, and ruby with the gems the oracle needs, else None
/// (after saying what is missing; a failure under CI=true).
fn visual_oracle() -> Option<PathBuf> {
    let shared = shared();
    if !prerequisite(
        shared
            .as_ref()
            .is_some_and(|s| s.join("visual-oracle/geometry.mjs").is_file()),
        "../shared (the Slate oracle and visual-oracle/)",
    ) {
        return None;
    }
    let gems = "require 'redcarpet'; require 'rouge'; require 'nokogiri'; require 'active_support'";
    if !prerequisite(
        runs("ruby", &["-e", gems]),
        "ruby with redcarpet, rouge, nokogiri and activesupport (Debian: ruby-redcarpet ruby-rouge ruby-nokogiri ruby-activesupport)",
    ) || !prerequisite(runs("python3", &["--version"]), "python3")
    {
        return None;
    }
    shared
}

/// Slate's look: each source is rendered by the oracle as Slate renders it, dressed in
/// Slate's real CSS and JS (`slate-page.py`), and compared with shale's page by
/// `geometry.mjs` in Chromium, at 1400 px and at Slate's tablet width (930 px, its
/// `$tablet-width`): no heading's prose may start more than 40 px further down than in
/// Slate (prose pushed below the code beside it, as when a code block clears the floats).
#[test]
#[ignore = "needs chromium, node, ruby and ../shared (the visual oracle)"]
fn layout_matches_slate() {
    let filter = std::env::var("E2E_FILTER").unwrap_or_default();
    if !"look: layout matches Slate".contains(&filter) {
        return;
    }
    let Some(e2e) = browser_tools("playwright-core") else {
        return;
    };
    let Some(shared) = visual_oracle() else {
        return;
    };
    let _one = CHROMIUM.lock().unwrap_or_else(|e| e.into_inner());
    let work = repo().join("target/e2e-look");
    let _ = std::fs::remove_dir_all(&work);
    let geometry = shared.join("visual-oracle/geometry.mjs");
    let mut failures = Vec::new();
    let mut pairs = 0;
    for (name, source) in look_inputs(&shared) {
        let (site, oracle, slate) = (
            work.join(&name).join("site"),
            work.join(&name).join("oracle"),
            work.join(&name).join("slate"),
        );
        build(&source, &site);
        // exit 1: Slate itself would stop on a page (the oracle still writes it)
        let out = Command::new("ruby")
            .arg(shared.join("oracle/slate-oracle.rb"))
            .args([&source, &oracle])
            .output()
            .expect("running the oracle");
        assert!(
            out.status.code().is_some_and(|c| c <= 1) && oracle.is_dir(),
            "{name}: the oracle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("python3")
            .arg(shared.join("visual-oracle/slate-page.py"))
            .arg("--source")
            .args([&source, &oracle, &slate])
            .output()
            .expect("running slate-page.py");
        assert!(
            out.status.success(),
            "{name}: slate-page.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Slate's page under the oracle's name (`localizable/index.pt.html`), shale's
        // where shale writes it (`pt/index.html`); a page built in each language once.
        let mut seen = std::collections::HashSet::new();
        for (rel, written, _) in shale::build::page_outputs(&source).unwrap() {
            if !seen.insert(rel.clone()) {
                continue;
            }
            let slate_page = slate.join(shale::build::output_path(&rel));
            for width in ["1400", "930"] {
                pairs += 1;
                let out = Command::new("node")
                    .arg(&geometry)
                    .args([slate_page.as_os_str(), site.join(&written).as_os_str()])
                    .args(["--width", width])
                    .env("NODE_PATH", e2e.join("node_modules"))
                    .output()
                    .expect("running geometry.mjs");
                let report = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                eprintln!(
                    "{name} {rel} at {width} px: {}",
                    report.lines().next().unwrap_or("")
                );
                if !out.status.success() {
                    failures.push(format!("== {name} {rel} at {width} px ==\n{report}"));
                }
            }
        }
    }
    assert!(pairs >= 12, "only {pairs} page and width pairs compared");
    assert!(
        failures.is_empty(),
        "headings whose prose starts further down than in Slate:\n{}",
        failures.join("\n")
    );
}
