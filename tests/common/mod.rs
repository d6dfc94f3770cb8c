//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Every URL a built site writes in its HTML (`src`, `href`) and CSS (`url(…)`) files,
/// checked as a browser would resolve it when the site is served under a sub-path: no
/// URL may start with `/` (it would leave the sub-path), every local one must name a
/// file of the site, and a `#fragment` into a page must name an id of that page.
/// Returns one line per problem.
pub fn unresolved_urls(site: &Path) -> Vec<String> {
    let attr = regex::Regex::new(r#"(?i)\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#)
        .unwrap();
    let css_url = regex::Regex::new(r#"url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)"#).unwrap();
    let scheme = regex::Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for e in walkdir::WalkDir::new(site).into_iter().flatten() {
        let path = e.path();
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        let re = match ext {
            "html" => &attr,
            "css" => &css_url,
            _ => continue,
        };
        let text = std::fs::read_to_string(path).unwrap();
        let rel = path.strip_prefix(site).unwrap().display().to_string();
        for c in re.captures_iter(&text) {
            let url = (1..=3).find_map(|i| c.get(i)).unwrap().as_str();
            let url = url.replace("&amp;", "&");
            checked += 1;
            if url.starts_with("//") || scheme.is_match(&url) {
                continue; // another host, data:, mailto:
            }
            if url.starts_with('/') {
                problems.push(format!("{rel}: `{url}` is absolute: it leaves a sub-path"));
                continue;
            }
            let (file_part, fragment) = match url.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (url.as_str(), None),
            };
            let file_part = file_part.split('?').next().unwrap();
            let target = if file_part.is_empty() {
                Some(path.to_path_buf())
            } else {
                resolve(site, path.parent().unwrap(), &percent_decode(file_part))
            };
            let Some(target) = target.filter(|t| t.is_file()) else {
                problems.push(format!("{rel}: `{url}` names no file of the site"));
                continue;
            };
            if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|x| x == "html") {
                    let page = std::fs::read_to_string(&target).unwrap();
                    let id = percent_decode(frag);
                    if !page.contains(&format!("id=\"{id}\""))
                        && !page.contains(&format!("id='{id}'"))
                    {
                        problems.push(format!("{rel}: `{url}`: no id `{id}` in its page"));
                    }
                }
            }
        }
    }
    assert!(checked > 0, "no URL found under {}", site.display());
    problems
}

/// `dir`/`rel` with `.` and `..` resolved; `None` when it leaves `site`.
fn resolve(site: &Path, dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out == site {
                    return None;
                }
                out.pop();
            }
            s => out.push(s),
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    shale::util::url::percent_decode(s)
}

/// Runs the `shale` binary in `dir`.
pub fn shale(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("running shale")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A project folder with the given files (paths relative to the project).
pub fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let p = d.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    d
}

/// A text file, or a panic naming it.
pub fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// The browser tools in `tests/e2e/`: node, Debian's Chromium (or `CHROMIUM`) and the
/// npm package `package` (installed by `npm ci --prefix tests/e2e`). Returns the
/// folder, or None (after saying what is missing) when the test is to be skipped.
pub fn browser_tools(package: &str) -> Option<PathBuf> {
    let e2e = repo().join("tests/e2e");
    if !prerequisite(runs("node", &["--version"]), "node") {
        return None;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !prerequisite(
        Path::new(&chromium).is_file(),
        "chromium (Debian package `chromium`)",
    ) {
        return None;
    }
    if !prerequisite(
        e2e.join("node_modules").join(package).is_dir(),
        &format!("{package} (`npm ci --prefix tests/e2e`)"),
    ) {
        return None;
    }
    Some(e2e)
}

/// Runs `node SCRIPT ARGS…` in `tests/e2e/`, prints its report and fails the test
/// (with `what` and the report) when the script exits with an error.
pub fn run_node(e2e: &Path, script: &str, args: &[&std::ffi::OsStr], what: &str) {
    let out = Command::new("node")
        .arg(e2e.join(script))
        .args(args)
        .current_dir(e2e)
        .output()
        .expect("running node");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    eprintln!("{report}");
    assert!(out.status.success(), "{what}:\n{report}");
}

/// Compares `got` with the golden file `golden`, or writes it with `SHALE_BLESS` set;
/// `what` names the output in the message, `rerun` the test to bless with.
pub fn golden(golden: &Path, got: &str, what: &str, rerun: &str) {
    if std::env::var_os("SHALE_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(golden, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(golden).unwrap_or_else(|_| {
        panic!(
            "{} missing: run SHALE_BLESS=1 cargo test --test suite {rerun}",
            golden.display()
        )
    });
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
        panic!(
            "{what} differs from {} at line {}:\n  got:  {}\n  want: {}\n(SHALE_BLESS=1 to accept)",
            golden.display(),
            line + 1,
            got.lines().nth(line).unwrap_or(""),
            want.lines().nth(line).unwrap_or("")
        );
    }
}
