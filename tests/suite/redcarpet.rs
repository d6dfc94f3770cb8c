//! shale's markdown against redcarpet 3.6.0 itself, byte for byte: random documents
//! dense in redcarpet's corner cases (`tests/suite/redcarpet/gen.rs`), and every markdown file
//! of the fixtures, the sample and `../shared/corpus`, rendered by
//! `scripts/redcarpet-html.rb` (the oracle's compiled redcarpet with Slate's options
//! and renderer) and by `shale::markdown::harness_html`.
//!
//! `REDCARPET_DOCS=N` sets the number of random documents (default 3000),
//! `REDCARPET_SEED=S` the first seed. Differing documents are kept in
//! `target/redcarpet-diff/`. Needs ruby, ruby-dev, gcc, make and `../shared`; skipped
//! loudly without them (a failure under CI=true).

#[path = "redcarpet/gen.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn oracle() -> Option<PathBuf> {
    let shared = shared();
    if !prerequisite(shared.is_some(), "../shared (the Slate oracle)") {
        return None;
    }
    let ok = runs(
        "ruby",
        &[
            "-e",
            "require 'rouge'; require 'nokogiri'; require 'active_support'",
        ],
    ) && runs("gcc", &["--version"])
        && runs("make", &["--version"]);
    if !prerequisite(ok, "ruby with rouge, nokogiri and activesupport, ruby-dev, gcc and make (to compile redcarpet 3.6.0)") {
        return None;
    }
    Some(shared.unwrap().join("oracle"))
}

/// Renders `files` with redcarpet; returns each one's HTML.
fn redcarpet(oracle: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new("ruby")
        .arg(repo().join("scripts/redcarpet-html.rb"))
        .arg(oracle)
        .args(files)
        .output()
        .expect("running ruby");
    assert!(
        out.status.success(),
        "scripts/redcarpet-html.rb failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    files
        .iter()
        .map(|f| std::fs::read_to_string(format!("{}.html", f.display())).unwrap())
        .collect()
}

/// Compares shale with redcarpet on `docs` (name, markdown); returns the names of the
/// documents that differ, after printing the first few differences.
fn compare(oracle: &Path, docs: &[(String, String)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, (_, md))| {
            let p = dir.path().join(format!("{i}.md"));
            std::fs::write(&p, md).unwrap();
            p
        })
        .collect();
    let want = redcarpet(oracle, &files);
    let keep = repo().join("target/redcarpet-diff");
    let mut differ = Vec::new();
    for ((name, md), want) in docs.iter().zip(&want) {
        let got = shale::markdown::harness_html(md);
        if &got == want {
            continue;
        }
        if differ.len() < 3 {
            let at = got
                .bytes()
                .zip(want.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(want.len()));
            let from = at.saturating_sub(120);
            eprintln!(
                "--- {name} differs at byte {at}\n  shale:     {:?}\n  redcarpet: {:?}",
                got.get(from..(at + 80).min(got.len())).unwrap_or(&got[..]),
                want.get(from..(at + 80).min(want.len()))
                    .unwrap_or(&want[..]),
            );
        }
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(keep.join(format!("{name}.md")), md).unwrap();
        differ.push(name.clone());
    }
    differ
}

#[test]
#[ignore = "needs ruby, ruby-dev, gcc, make and ../shared (redcarpet 3.6.0)"]
fn random_documents_render_as_redcarpet_renders_them() {
    let Some(oracle) = oracle() else { return };
    let n = env_num("REDCARPET_DOCS", 3000);
    let seed = env_num("REDCARPET_SEED", 1);
    let docs: Vec<(String, String)> = (seed..seed + n)
        .map(|s| (format!("seed-{s}"), gen::document(s)))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let differ = compare(&oracle, &docs);
    eprintln!(
        "redcarpet: {}/{n} random documents byte-identical ({} KB of markdown, seeds {seed}..{})",
        n as usize - differ.len(),
        bytes / 1024,
        seed + n
    );
    assert!(
        differ.is_empty(),
        "{} documents differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
}

#[test]
#[ignore = "needs ruby, ruby-dev, gcc, make and ../shared (redcarpet 3.6.0)"]
fn real_documents_render_as_redcarpet_renders_them() {
    let Some(oracle) = oracle() else { return };
    let mut roots = vec![repo().join("tests/fixtures"), repo().join("source")];
    roots.push(oracle.parent().unwrap().join("corpus"));
    let mut docs = Vec::new();
    for root in roots {
        for e in walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(p).unwrap();
                // Front matter is not markdown: Middleman takes it off first.
                let body = shale::load::frontmatter::split(&text).body.to_string();
                let name = p
                    .strip_prefix(&root)
                    .unwrap()
                    .display()
                    .to_string()
                    .replace('/', "_");
                docs.push((name, body));
            }
        }
    }
    // `## Title {#id}` is shale's extension: Slate keeps the suffix as text
    let before = docs.len();
    docs.retain(|(_, body)| !uses_custom_ids(body));
    eprintln!(
        "redcarpet: {} documents with custom heading ids (shale's extension) left out",
        before - docs.len()
    );
    let differ = compare(&oracle, &docs);
    eprintln!(
        "redcarpet: {}/{} real documents byte-identical",
        docs.len() - differ.len(),
        docs.len()
    );
    assert!(docs.len() > 50);
    assert!(differ.is_empty(), "{differ:?}");
}

/// Whether a heading of `md` ends with a custom id (`## Title {#id}`).
fn uses_custom_ids(md: &str) -> bool {
    use shale::markdown::custom_id::{suffix, Suffix};
    md.lines().any(|l| {
        let text = l.trim_end().trim_end_matches('#').trim_end();
        l.starts_with('#') && suffix(text.as_bytes()) != Suffix::None
    })
}
