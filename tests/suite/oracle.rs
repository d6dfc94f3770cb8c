//! Slate compatibility, checked against the reference renderer of Slate's pipeline
//! (`../shared/oracle/slate-oracle.rb`, Ruby) with `compare.py`: heading ids, TOC, code
//! blocks (visibility under each tab, and text), prose and asides must all match.
//!
//! Runs on the sample (`source/`), the dialect fixture, the multi-language fixtures
//! (`tests/fixtures/i18n-*`, each page in each language), the ERB fixture, the corpus
//! copies in `tests/fixtures/corpus/` and every folder of `../shared/corpus/`. Skipped with a
//! message when ruby or `../shared` is missing, except under CI=true.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn oracle_available() -> Option<PathBuf> {
    let shared = shared();
    if !prerequisite(shared.is_some(), "../shared (the Slate oracle)") {
        return None;
    }
    let ok = runs(
        "ruby",
        &[
            "-e",
            "require 'redcarpet'; require 'rouge'; require 'nokogiri'; require 'active_support'",
        ],
    );
    if !prerequisite(ok, "ruby with redcarpet, rouge, nokogiri and activesupport (Debian: ruby-redcarpet ruby-rouge ruby-nokogiri ruby-activesupport)") {
        return None;
    }
    if !prerequisite(runs("python3", &["--version"]), "python3") {
        return None;
    }
    shared
}

/// Builds `source` with shale and with the oracle and compares them. Returns compare.py's
/// summary line, or an error with its whole report.
fn compare(shared: &Path, name: &str, source: &Path) -> Result<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let oracle = tmp.path().join("oracle");
    build(source, &site);
    // compare.py reads the page built from `NAME.html.md` at `NAME.html`; a page of a
    // multi-language site is elsewhere (`localizable/index.pt.html.md` at
    // `pt/index.html`): copy it where compare.py looks for the oracle's name of it.
    for (from, to) in oracle_layout(source) {
        let to = site.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(site.join(from), to).unwrap();
    }
    let out = Command::new("ruby")
        .arg(shared.join("oracle/slate-oracle.rb"))
        .arg(source)
        .arg(&oracle)
        .output()
        .expect("running the oracle");
    // The oracle exits 1 when Slate itself would fail (e.g. an ambiguous unlabelled block);
    // it still writes its pages, which is what we compare against.
    assert!(
        oracle.is_dir(),
        "{name}: the oracle wrote nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp = Command::new("python3")
        .arg(shared.join("oracle/compare.py"))
        .arg(&oracle)
        .arg(&site)
        .output()
        .expect("running compare.py");
    let report =
        String::from_utf8_lossy(&cmp.stdout).into_owned() + &String::from_utf8_lossy(&cmp.stderr);
    let last = report
        .lines()
        .rev()
        .find(|l| l.starts_with("ids:"))
        .unwrap_or("")
        .to_string();
    if cmp.status.success() {
        Ok(last)
    } else {
        Err(report)
    }
}

/// Where the oracle names the pages shale writes elsewhere: (shale's output path, the
/// oracle's `NAME.html`). With `locales/` beside the source folder, the oracle builds a
/// page under `localizable/` per language as Middleman does, naming the copy of
/// `localizable/index.html.md` for `pt` `localizable/index.pt` (and
/// `localizable/index.pt.html.md` by its own name); without, it builds each page once
/// by its name (compared with the root language's copy).
fn oracle_layout(source: &Path) -> Vec<(String, String)> {
    let locales = source.parent().unwrap().join("locales").is_dir();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (rel, written, lang) in shale::build::page_outputs(source).unwrap() {
        let stem = shale::build::output_path(&rel);
        let stem = stem.strip_suffix(".html").unwrap();
        let name = match lang {
            Some(lang)
                if locales
                    && rel.starts_with("localizable/")
                    && !stem.ends_with(&format!(".{lang}")) =>
            {
                format!("{stem}.{lang}.html")
            }
            _ if seen.insert(rel.clone()) => format!("{stem}.html"),
            _ => continue,
        };
        if name != written {
            out.push((written, name));
        }
    }
    out
}

fn inputs(shared: &Path) -> Vec<(String, PathBuf)> {
    let mut v = vec![
        ("sample".to_string(), repo().join("source")),
        (
            "dialect".to_string(),
            repo().join("tests/fixtures/dialect/source"),
        ),
    ];
    // Multi-language sources shaped like real ones (locales/ beside source/), and ERB.
    for f in ["i18n-cn", "i18n-zh", "i18n-kr", "erb"] {
        v.push((
            f.to_string(),
            repo().join("tests/fixtures").join(f).join("source"),
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
                v.push((format!("corpus/{name}"), p.join("source")));
            }
        }
    }
    v
}

#[test]
#[ignore = "needs ruby with redcarpet, rouge, nokogiri, activesupport, and ../shared (the oracle)"]
fn every_page_matches_slate() {
    let Some(shared) = oracle_available() else {
        return;
    };
    let mut failures = Vec::new();
    for (name, source) in inputs(&shared) {
        match compare(&shared, &name, &source) {
            Ok(line) => eprintln!("{name}: {line}"),
            Err(report) => failures.push(format!("== {name} ==\n{report}")),
        }
    }
    assert!(
        failures.is_empty(),
        "pages differ from Slate:\n{}",
        failures.join("\n")
    );
}
