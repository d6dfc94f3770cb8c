//! Moving a Slate repository to shale: `shale init` adds the Pages workflow at the git
//! root (building the right `source/`) and the `.gitignore` line, overwrites and deletes
//! nothing; `shale new` inside a repository puts its workflow at the root too; `shale
//! deploy` pushes the site to `gh-pages` as Slate's `deploy.sh` did (against a local
//! bare repository).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;
use crate::new::check_workflow;

/// Every file under `dir` (but `.git/`) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

const PAGE: &[u8] = b"---\ntitle: Kittn API\n---\n\n# Introduction\n\nWelcome.\n";
const MIDDLEMAN_WORKFLOW: &[u8] =
    b"name: Deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bundle exec middleman build --clean\n      - run: ./deploy.sh --push-only\n";
const LINT_WORKFLOW: &[u8] = b"name: lint\non: push\njobs: {}\n";

/// A Slate checkout: Slate's Ruby files, its own workflows, `source/`, a `.git` folder.
fn slate_repository() -> tempfile::TempDir {
    project(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        (
            "Gemfile",
            b"source 'https://rubygems.org'\ngem 'middleman'\n",
        ),
        ("Gemfile.lock", b"GEM\n"),
        (
            "config.rb",
            b"set :markdown_engine, :redcarpet\nactivate :i18n, langs: [:en]\n",
        ),
        ("deploy.sh", b"#!/usr/bin/env bash\n"),
        ("lib/multilang.rb", b"module Multilang\nend\n"),
        (".gitignore", b"*.gem\n.bundle\nbuild/\n"),
        (".github/workflows/deploy.yml", MIDDLEMAN_WORKFLOW),
        (".github/workflows/docs.yml", LINT_WORKFLOW),
        ("source/index.html.md", PAGE),
    ])
}

/// The workflow at `path`, parsed.
fn parse(path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&read(path)).expect("valid YAML")
}

/// Runs the workflow's build step (the cargo fallback's `shale build`, the same
/// folders as the action's inputs) from the git root, as a runner would.
fn run_build_step(root: &Path, w: &serde_yaml::Value) {
    let docs = w["env"]["DOCS"].as_str().unwrap();
    let script = crate::new::steps(&w["jobs"]["build"])
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .find(|r| r.starts_with("shale build"))
        .unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_shale")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .args(["-c", &script])
        .current_dir(root)
        .env("DOCS", docs)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{script}: {}", stderr(&o));
}

#[test]
fn a_slate_repository_gets_a_workflow_at_its_root_and_keeps_its_files() {
    if !prerequisite(runs("bash", &["--version"]), "bash") {
        return;
    }
    let d = slate_repository();
    let before = snapshot(d.path());
    let o = shale(d.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("wrote .github/workflows/shale-docs.yml: builds source/"),
        "docs.yml is taken: {out}"
    );
    assert!(out.contains(".gitignore already ignores build/"), "{out}");
    for (file, what) in [
        ("Gemfile ", "no longer needed"),
        ("Gemfile.lock ", "no longer needed"),
        ("deploy.sh ", "`shale deploy` pushes build/ to gh-pages"),
        ("lib/ ", "no longer needed"),
        (
            "config.rb ",
            "still read by shale: its languages (activate :i18n)",
        ),
        (
            ".github/workflows/deploy.yml ",
            "builds with Ruby and Middleman",
        ),
    ] {
        let line = out.lines().find(|l| l.trim_start().starts_with(file));
        assert!(line.is_some_and(|l| l.contains(what)), "{file}: {out}");
    }
    assert!(
        !out.contains("docs.yml  "),
        "their lint workflow is not Slate's"
    );
    assert!(out.contains("replace OWNER/shale"), "{out}");

    // Everything that was there is there unchanged; one file more.
    let after = snapshot(d.path());
    for (f, body) in &before {
        assert_eq!(after.get(f), Some(body), "{f} is unchanged");
    }
    let added: Vec<&String> = after.keys().filter(|f| !before.contains_key(*f)).collect();
    assert_eq!(added, [".github/workflows/shale-docs.yml"]);

    let w = parse(&d.path().join(".github/workflows/shale-docs.yml"));
    check_workflow(&w, ".");
    run_build_step(d.path(), &w);
    assert!(read(d.path().join("build/index.html")).contains("<h1 id='introduction'>"));

    // Again: nothing to add, nothing changed.
    let before = snapshot(d.path());
    let o = shale(d.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .starts_with("kept .github/workflows/shale-docs.yml: it already builds with shale"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn docs_in_a_subfolder_get_the_workflow_at_the_git_root() {
    if !prerequisite(runs("bash", &["--version"]), "bash") {
        return;
    }
    let d = project(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        ("README.md", b"the product\n"),
        (
            "docs/config.rb",
            b"redirect \"old.html\", to: \"index.html\"\n",
        ),
        ("docs/source/index.html.md", PAGE),
    ]);
    let docs = d.path().join("docs");
    let o = shale(&docs, &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("wrote ../.github/workflows/docs.yml: builds docs/source/"),
        "{out}"
    );
    assert!(
        out.contains("wrote .gitignore: keeps build/ out of git"),
        "{out}"
    );
    assert!(out.contains("still read by shale: its redirects"), "{out}");
    assert!(
        !docs.join(".github").exists(),
        "GitHub never runs docs/.github"
    );
    assert_eq!(read(docs.join(".gitignore")), "/build\n");

    let w = parse(&d.path().join(".github/workflows/docs.yml"));
    check_workflow(&w, "docs");
    run_build_step(d.path(), &w);
    assert!(docs.join("build/index.html").is_file());
    assert!(
        docs.join("build/old.html").is_file(),
        "config.rb's redirect"
    );

    // A .gitignore without the line gets it appended, after a missing final newline.
    std::fs::write(docs.join(".gitignore"), "*.log").unwrap();
    std::fs::remove_file(d.path().join(".github/workflows/docs.yml")).unwrap();
    assert!(shale(&docs, &["init", "-q"]).status.success());
    assert_eq!(read(docs.join(".gitignore")), "*.log\n/build\n");
}

#[test]
fn refuses_a_folder_without_source_and_a_full_workflows_folder() {
    let d = project(&[("README.md", b"hi\n")]);
    let o = shale(d.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: `.` has no source/ folder"), "{err}");
    assert!(err.contains("run `shale new DIR`"), "{err}");
    assert_eq!(snapshot(d.path()).len(), 1, "nothing written");

    let d = project(&[
        ("source/index.html.md", PAGE),
        (".github/workflows/docs.yml", LINT_WORKFLOW),
        (".github/workflows/shale-docs.yml", LINT_WORKFLOW),
    ]);
    let before = snapshot(d.path());
    let o = shale(d.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("already has docs.yml and shale-docs.yml"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(snapshot(d.path()), before, "not even .gitignore");
}

#[test]
fn new_inside_a_repository_puts_the_workflow_at_its_root() {
    let d = project(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        ("README.md", b"x\n"),
    ]);
    let o = shale(d.path(), &["new", "docs"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("  .github/workflows/docs.yml  builds the site on GitHub"),
        "{out}"
    );
    assert!(out.contains("at the git root"), "{out}");
    assert!(!d.path().join("docs/.github").exists());
    let w = parse(&d.path().join(".github/workflows/docs.yml"));
    check_workflow(&w, "docs");
    // The project itself, as outside a repository.
    for f in [
        "docs/source/index.html.md",
        "docs/source/includes/_errors.md",
        "docs/.gitignore",
    ] {
        assert!(d.path().join(f).is_file(), "{f}");
    }
}

#[test]
fn new_in_a_folder_git_ignores_keeps_its_workflow() {
    if !prerequisite(runs("git", &["--version"]), "git") {
        return;
    }
    // As the browser tests' project under target/: no part of the repository.
    let d = project(&[(".gitignore", b"/target\n")]);
    git(d.path(), &["init", "-q"]);
    let o = shale(d.path(), &["new", "-q", "target/site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !d.path().join(".github").exists(),
        "the repository is untouched"
    );
    let w = parse(&d.path().join("target/site/.github/workflows/docs.yml"));
    check_workflow(&w, ".");
    // Not ignored: the root, as for any project in the repository.
    let o = shale(d.path(), &["new", "-q", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    check_workflow(&parse(&d.path().join(".github/workflows/docs.yml")), "site");
}

// `shale deploy`

/// Runs `git` in `dir` with a fixed identity; its stdout, trimmed.
fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .envs(IDENTITY)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "t"),
    ("GIT_AUTHOR_EMAIL", "t@example.com"),
    ("GIT_COMMITTER_NAME", "t"),
    ("GIT_COMMITTER_EMAIL", "t@example.com"),
];

fn deploy(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(dir)
        .arg("deploy")
        .args(args)
        .envs(IDENTITY)
        .output()
        .unwrap()
}

/// The files of the remote's `gh-pages`, or none.
fn published(bare: &Path) -> Vec<String> {
    let o = Command::new("git")
        .current_dir(bare)
        .args(["ls-tree", "-r", "--name-only", "gh-pages"])
        .output()
        .unwrap();
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn deploy_pushes_the_site_to_gh_pages_and_keeps_its_cname() {
    if !prerequisite(runs("git", &["--version"]), "git") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (bare, work) = (d.path().join("bare.git"), d.path().join("work"));
    std::fs::create_dir_all(work.join("source")).unwrap();
    git(d.path(), &["init", "-q", "--bare", "bare.git"]);
    git(&work, &["init", "-q"]);
    std::fs::write(work.join("source/index.html.md"), PAGE).unwrap();
    std::fs::write(work.join(".gitignore"), "/build\n").unwrap();

    // Refusals push nothing: no remote, uncommitted changes.
    let o = deploy(&work, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "no git remote `origin` to publish to: add it with `git remote add origin URL`"
        ),
        "{}",
        stderr(&o)
    );
    git(&work, &["remote", "add", "origin", "../bare.git"]);
    let o = deploy(&work, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("uncommitted changes (2 files, first `.gitignore`): commit or stash them"),
        "{}",
        stderr(&o)
    );
    assert!(published(&bare).is_empty());

    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "docs"]);
    let o = deploy(&work, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("pushed the site to gh-pages on origin"),
        "{}",
        stdout(&o)
    );
    let files = published(&bare);
    for f in [".nojekyll", "index.html", "toc.json"] {
        assert!(files.contains(&f.to_string()), "{f}: {files:?}");
    }
    assert!(
        !files.iter().any(|f| f.starts_with("source/")),
        "only the site"
    );

    // The owner sets a custom domain on the branch (as GitHub's Settings do).
    let pages = d.path().join("pages");
    git(
        d.path(),
        &["clone", "-q", "-b", "gh-pages", "bare.git", "pages"],
    );
    std::fs::write(pages.join("CNAME"), "docs.example.com\n").unwrap();
    git(&pages, &["add", "CNAME"]);
    git(&pages, &["commit", "-q", "-m", "custom domain"]);
    git(&pages, &["push", "-q", "origin", "gh-pages"]);
    let with_cname = git(&bare, &["rev-parse", "gh-pages"]);

    std::fs::write(work.join("source/index.html.md"), b"# Changed\n").unwrap();
    git(&work, &["commit", "-q", "-am", "change"]);
    let o = deploy(&work, &["-q"]);
    assert!(o.status.success() && o.stdout.is_empty(), "{}", stderr(&o));
    assert_eq!(git(&bare, &["show", "gh-pages:CNAME"]), "docs.example.com");
    assert!(git(&bare, &["show", "gh-pages:index.html"]).contains("<h1 id='changed'>"));
    assert_eq!(
        git(&bare, &["rev-parse", "gh-pages^"]),
        with_cname,
        "on top of it"
    );

    // The work tree, its branch and its branches are as they were.
    assert_eq!(git(&work, &["status", "--porcelain"]), "");
    assert_eq!(git(&work, &["branch", "--format=%(refname:short)"]), "main");
    assert!(!work.join("build").exists());

    // Nothing new: nothing pushed.
    let tip = git(&bare, &["rev-parse", "gh-pages"]);
    let o = deploy(&work, &[]);
    assert!(
        stdout(&o).contains("already holds this site"),
        "{}",
        stdout(&o)
    );
    assert_eq!(git(&bare, &["rev-parse", "gh-pages"]), tip);

    // --strict: a warning stops it before anything is pushed.
    std::fs::write(work.join("source/index.html.md"), b"# A\n\n[b](#nowhere)\n").unwrap();
    git(&work, &["commit", "-q", "-am", "broken"]);
    let o = deploy(&work, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(git(&bare, &["rev-parse", "gh-pages"]), tip);
}

#[test]
fn deploy_outside_a_repository_says_so() {
    if !prerequisite(runs("git", &["--version"]), "git") {
        return;
    }
    let d = project(&[("source/index.html.md", PAGE)]);
    let o = deploy(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(
            "error: shale deploy publishes with git, and this folder is not in a git repository"
        ),
        "{}",
        stderr(&o)
    );
}
