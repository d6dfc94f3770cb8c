//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tests run under CI, where optional tools must be present.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips a test whose prerequisite is missing: a loud message on a developer's machine,
/// a failure under CI=true (where `.ci/run` installs everything).
pub fn prerequisite(ok: bool, what: &str) -> bool {
    if !ok {
        if under_ci() {
            panic!("{what} is required under CI=true (.ci/run installs it)");
        }
        eprintln!("\n*** SKIPPED: {what} is not available; install it to run this check ***\n");
    }
    ok
}

/// `../shared` beside the repository (or `$SHALE_SHARED`), when present.
pub fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("SHALE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    p.join("oracle/slate-oracle.rb").is_file().then_some(p)
}

/// Whether `cmd args` runs and exits 0.
pub fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Builds `source` into `out` with the library.
pub fn build(source: &Path, out: &Path) -> shale::BuildSummary {
    shale::build(&shale::BuildOptions {
        strict: false,
        source: source.to_path_buf(),
        output: out.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("building {}: {e:#}", source.display()))
}

/// Builds `source` into `out` with `--single-file`.
pub fn build_single_file(source: &Path, out: &Path) -> shale::BuildSummary {
    shale::build(&shale::BuildOptions {
        source: source.to_path_buf(),
        output: out.to_path_buf(),
        single_file: true,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("building {} --single-file: {e:#}", source.display()))
}

/// The HTML inside `<main class="content" ...>` … `</main>` of a built page.
pub fn content_of(page: &str) -> &str {
    let start = page.find("class=\"content\"").expect("content column");
    let start = start + page[start..].find('>').unwrap() + 1;
    let end = page.rfind("</main>").expect("end of content");
    &page[start..end]
}
