//! `shale new DIR`: writes a ready documentation project (a sample page with an include,
//! a second page listed beside it by `shale.yml`, a `.gitignore`, a GitHub Actions workflow that publishes to GitHub Pages) into a new
//! or empty folder. The files are the `scaffold/` folder of this repository, embedded.
//! `shale init` ([`init`]) adds the workflow and the `.gitignore` line to an existing
//! Slate repository.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};

static SCAFFOLD: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scaffold");

/// The workflow: the shale action builds the site (`SHALE_GIT` is the fallback that
/// builds shale from its source).
pub const WORKFLOW: &str = ".github/workflows/docs.yml";

/// What the workflow says for shale's GitHub repository (owner/name) until shale has a
/// public address; [`files`] puts the real one there when Cargo.toml's `repository` is
/// a GitHub URL.
pub const ACTION_PLACEHOLDER: &str = "OWNER/shale";

/// The action's reference in the scaffold's workflow, replaced by [`workflow`].
const ACTION_USES: &str = "uses: OWNER/shale@v0\n";

/// The line of the workflow that [`files`] fills in with shale's repository.
const SHALE_GIT_LINE: &str = "  SHALE_GIT: \"\"\n";

/// The line of the workflow that says where `source/` is, relative to the git root.
const DOCS_LINE: &str = "  DOCS: .\n";

/// The GitHub `owner/name` of `repository` (Cargo.toml's `repository`), when it is a
/// GitHub URL.
pub fn action_repository(repository: &str) -> Option<String> {
    let rest = repository
        .trim()
        .strip_prefix("https://github.com/")?
        .trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let mut parts = rest.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (ok(owner) && ok(name) && parts.next().is_none()).then(|| format!("{owner}/{name}"))
}

/// The workflow's text for a project whose `source/` is in `docs` (relative to the git
/// root, `/`-separated, `.` for the root itself). `repository` is shale's git URL
/// (empty when unknown): the action's owner/name and `SHALE_GIT` come from it.
pub fn workflow(repository: &str, docs: &str) -> String {
    let template = SCAFFOLD
        .get_file(WORKFLOW)
        .and_then(|f| f.contents_utf8())
        .expect("the scaffold has its workflow");
    let action = action_repository(repository).unwrap_or_else(|| ACTION_PLACEHOLDER.into());
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let mut text = template.replacen(ACTION_USES, &format!("uses: {action}@v{major}\n"), 1);
    if !repository.is_empty() {
        let git = format!("  SHALE_GIT: \"{}\"\n", yaml_escape(repository));
        text = text.replacen(SHALE_GIT_LINE, &git, 1);
    }
    if docs != "." {
        text = text.replacen(
            DOCS_LINE,
            &format!("  DOCS: \"{}\"\n", yaml_escape(docs)),
            1,
        );
    }
    text
}

/// `s` for a double-quoted YAML string.
fn yaml_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect()
}

/// What each file of a new project is, in the order they are listed.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    ("source/index.html.md", "the API reference page: edit it"),
    (
        "source/includes/_errors.md",
        "an include, appended to the page",
    ),
    ("source/guide.html.md", "a second page"),
    ("shale.yml", "site settings: the sidebar lists the pages"),
    (".gitignore", "keeps build/ out of git"),
    (
        WORKFLOW,
        "builds the site on GitHub and publishes it to GitHub Pages",
    ),
];

/// Folder entries that do not make a folder "not empty": a fresh `git init` or clone.
const IGNORED_ENTRIES: &[&str] = &[".git"];

/// The files of a new project: (path relative to the project, contents), in the order
/// of [`DESCRIPTIONS`]. `repository` (shale's git URL, empty when unknown) goes into
/// the workflow ([`workflow`]).
pub fn files(repository: &str) -> Vec<(&'static str, Cow<'static, [u8]>)> {
    let mut out = Vec::new();
    collect(&SCAFFOLD, &mut out);
    let rank = |p: &str| DESCRIPTIONS.iter().position(|(d, _)| *d == p);
    out.sort_by_key(|(p, _)| (rank(p).is_none(), rank(p), *p));
    for (path, body) in &mut out {
        if *path == WORKFLOW {
            *body = Cow::Owned(workflow(repository, ".").into_bytes());
        }
    }
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, Cow<'static, [u8]>)>) {
    for f in dir.files() {
        let path = f.path().to_str().expect("scaffold paths are UTF-8");
        out.push((path, Cow::Borrowed(f.contents())));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// What [`create`] wrote.
#[derive(Debug)]
pub struct Created {
    /// The files, relative to the project folder, in the order written.
    pub files: Vec<&'static str>,
    /// Whether the workflow names shale's action (false: it says [`ACTION_PLACEHOLDER`]).
    pub action_known: bool,
    /// Inside a git work tree: the workflow at its root (not in [`Created::files`]).
    pub workflow: Option<WorkflowStep>,
}

/// Writes a new project into `dir`, which must not exist or be empty (a `.git` folder
/// alone is allowed). Never overwrites a file; when a write fails, the files written so
/// far are removed again.
///
/// In a git work tree whose root is not `dir` itself, the workflow goes to the root's
/// `.github/workflows/` (GitHub runs no other), building `dir`'s `source/`, unless git
/// ignores `dir`.
pub fn create(dir: &Path, repository: &str) -> Result<Created> {
    check_empty(dir)?;
    let mut files = files(repository);
    let abs = absolute(dir)?;
    let root = git_root(&abs).filter(|r| *r != abs && !git_ignores(r, &abs));
    let Some(root) = root else {
        write_files(dir, &files)?;
        return Ok(Created {
            files: files.iter().map(|(p, _)| *p).collect(),
            action_known: action_repository(repository).is_some(),
            workflow: None,
        });
    };
    let docs = relative_docs(&root, &abs);
    let step = plan_workflow(&root, &docs)?;
    files.retain(|(p, _)| *p != WORKFLOW);
    write_files(dir, &files)?;
    write_workflow(&root, &step, repository, &docs)?;
    Ok(Created {
        files: files.iter().map(|(p, _)| *p).collect(),
        action_known: action_repository(repository).is_some(),
        workflow: Some(step),
    })
}

/// `dir` as an absolute path, its existing part with links resolved (it may not exist).
fn absolute(dir: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(dir).with_context(|| format!("reading {}", dir.display()))?;
    let existing = abs.ancestors().find(|a| a.exists()).unwrap_or(&abs);
    let rest = abs.strip_prefix(existing).unwrap_or(Path::new(""));
    let real = existing
        .canonicalize()
        .with_context(|| format!("reading {}", existing.display()))?;
    Ok(real.join(rest))
}

/// Whether git ignores `path` in the work tree at `root` (a project under `target/`,
/// say, is no part of the repository). Without git, nothing is taken as ignored.
fn git_ignores(root: &Path, path: &Path) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["check-ignore", "-q", "--no-index"])
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The root of the git work tree `abs` is in: the nearest folder with a `.git`.
fn git_root(abs: &Path) -> Option<PathBuf> {
    abs.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Writes `files` under `dir`, creating folders as needed, never replacing a file; on
/// failure, removes the files and folders it made.
fn write_files(dir: &Path, files: &[(&str, Cow<'_, [u8]>)]) -> Result<()> {
    let mut written: Vec<PathBuf> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<()> {
        for (rel, body) in files {
            let path = dir.join(rel);
            make_dirs(path.parent().unwrap_or(dir), &mut made_dirs)?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                        "{} appeared while shale was writing the project; nothing is overwritten, and what shale wrote is removed again",
                        path.display()
                    ),
                    _ => anyhow::anyhow!("creating {}: {e}", path.display()),
                })?;
            written.push(path.clone());
            std::io::Write::write_all(&mut f, body)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for f in &written {
            let _ = std::fs::remove_file(f);
        }
        for d in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d); // only when empty
        }
    }
    result
}

/// Creates `dir` and its missing parents, recording the ones it created.
fn make_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        make_dirs(parent, made)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => made.push(dir.to_path_buf()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "cannot create the folder {}: a file has that name; nothing was written",
                dir.display()
            )
        }
        Err(e) => bail!("cannot create the folder {}: {e}", dir.display()),
    }
    Ok(())
}

/// `dir` may be missing, or a folder holding nothing but [`IGNORED_ENTRIES`].
fn check_empty(dir: &Path) -> Result<()> {
    let meta = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            let file = dir.ancestors().skip(1).find(|a| a.is_file()).unwrap_or(dir);
            bail!(
                "cannot create `{}`: `{}` is a file, not a folder. Pass a folder that does not exist yet",
                dir.display(),
                file.display()
            )
        }
        Err(e) => bail!("`{}`: {e}", dir.display()),
    };
    if !meta.is_dir() {
        bail!(
            "`{}` is a file; shale new writes a project into a new or empty folder. Pass a folder that does not exist yet",
            dir.display()
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the folder {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !IGNORED_ENTRIES.contains(&n.as_str()))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = match names.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    bail!(
        "folder `{}` is not empty (it holds {}{more}); shale new writes only into a new or empty folder, so nothing was written. Pass a folder that does not exist yet",
        dir.display(),
        shown.join(", ")
    )
}

/// What [`init`] did in an existing Slate repository.
#[derive(Debug)]
pub struct Initialised {
    /// The git work tree's root, if the folder is in one.
    pub git_root: Option<PathBuf>,
    /// The folder that holds `source/`, relative to the git root (`.` for the root).
    pub docs: String,
    /// What happened to the workflow.
    pub workflow: WorkflowStep,
    /// What happened to `.gitignore`.
    pub gitignore: GitignoreStep,
    /// Whether the workflow names shale's action (false: it says [`ACTION_PLACEHOLDER`]).
    pub action_known: bool,
    /// Slate's files: what each is to shale now, in the order found.
    pub slate_files: Vec<(String, &'static str)>,
}

/// The workflow [`init`] writes.
#[derive(Debug, PartialEq, Eq)]
pub enum WorkflowStep {
    /// Written at this path.
    Written(PathBuf),
    /// Not written: this workflow already builds with shale.
    AlreadyThere(PathBuf),
}

/// The `.gitignore` line [`init`] adds.
#[derive(Debug, PartialEq, Eq)]
pub enum GitignoreStep {
    Created,
    Appended,
    AlreadyIgnored,
}

/// Slate's files at a Slate repository's root and what each is to shale: (the file that
/// shows it is Slate's, the name shown, what it is now).
const SLATE_FILES: &[(&str, &str, &str)] = &[
    (
        "Gemfile",
        "Gemfile",
        "no longer needed (Ruby's gems for Middleman)",
    ),
    ("Gemfile.lock", "Gemfile.lock", "no longer needed"),
    (
        "deploy.sh",
        "deploy.sh",
        "no longer needed: `shale deploy` pushes build/ to gh-pages",
    ),
    ("Vagrantfile", "Vagrantfile", "no longer needed"),
    (
        "lib/multilang.rb",
        "lib/",
        "no longer needed (Slate's Ruby extensions of redcarpet)",
    ),
];

/// The names a workflow for shale may take in `.github/workflows/`, in order of choice.
const WORKFLOW_NAMES: &[&str] = &["docs.yml", "shale-docs.yml"];

/// `shale init`: adds what shale needs to the Slate repository at `dir` (the folder
/// that holds `source/`), and nothing else: the Pages workflow at the git root's
/// `.github/workflows/` (never replacing a file) and the `build/` line in `.gitignore`.
/// Deletes nothing; [`Initialised::slate_files`] says what Slate's files are now.
pub fn init(dir: &Path, repository: &str) -> Result<Initialised> {
    let source = dir.join("source");
    if !source.is_dir() {
        bail!(
            "`{}` has no source/ folder: shale init adds shale to an existing Slate repository (run it in the folder that holds source/). To start a new project, run `shale new DIR`",
            dir.display()
        );
    }
    let abs = absolute(dir)?;
    let git_root = git_root(&abs);
    let root = git_root.clone().unwrap_or_else(|| abs.clone());
    let docs = relative_docs(&root, &abs);
    let workflow = plan_workflow(&root, &docs)?;
    write_workflow(&root, &workflow, repository, &docs)?;
    let gitignore = ignore_build(dir)?;
    Ok(Initialised {
        git_root,
        docs,
        workflow,
        gitignore,
        action_known: action_repository(repository).is_some(),
        slate_files: slate_files(dir, &root),
    })
}

/// `dir` relative to `root`, `/`-separated; `.` when they are the same.
fn relative_docs(root: &Path, dir: &Path) -> String {
    let parts: Vec<String> = dir
        .strip_prefix(root)
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Where the workflow goes in `root/.github/workflows/`: the first free name of
/// [`WORKFLOW_NAMES`], unless a workflow there already runs shale.
/// A workflow of shale's builds `docs` when its `DOCS` line says so; one written by hand
/// (no `DOCS` line) is taken as building the project.
fn plan_workflow(root: &Path, docs: &str) -> Result<WorkflowStep> {
    let docs_line = workflow("", docs)
        .lines()
        .find(|l| l.starts_with("  DOCS: "))
        .map(str::to_string)
        .unwrap_or_default();
    let folder = root.join(".github/workflows");
    let mut existing: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    existing.sort();
    for path in &existing {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let shale = text.contains("shale build") || text.contains("/shale@");
        let ours = !text.contains("\n  DOCS: ") || text.lines().any(|l| l == docs_line);
        if shale && ours {
            return Ok(WorkflowStep::AlreadyThere(path.clone()));
        }
    }
    let Some(name) = WORKFLOW_NAMES
        .iter()
        .find(|n| !folder.join(n).exists() && !folder.join(n.replace(".yml", ".yaml")).exists())
    else {
        bail!(
            "{} already has {}: shale writes no workflow over yours, and nothing was written. Rename one of them and run shale again",
            folder.display(),
            WORKFLOW_NAMES.join(" and ")
        );
    };
    Ok(WorkflowStep::Written(folder.join(name)))
}

/// Writes the workflow [`plan_workflow`] chose, building `docs/source`.
fn write_workflow(root: &Path, step: &WorkflowStep, repository: &str, docs: &str) -> Result<()> {
    let WorkflowStep::Written(path) = step else {
        return Ok(());
    };
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let text = workflow(repository, docs).replace(WORKFLOW, &rel);
    write_files(root, &[(rel.as_str(), Cow::Owned(text.into_bytes()))])
}

/// Makes `dir/.gitignore` ignore `build/`: creates it, or appends `/build`, unless a
/// line already ignores it.
fn ignore_build(dir: &Path) -> Result<GitignoreStep> {
    let path = dir.join(".gitignore");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_files(
                dir,
                &[(".gitignore", Cow::Borrowed(b"/build\n".as_slice()))],
            )?;
            return Ok(GitignoreStep::Created);
        }
        Err(e) => bail!("reading {}: {e}", path.display()),
    };
    let ignored = text
        .lines()
        .any(|l| matches!(l.trim(), "build" | "build/" | "/build" | "/build/"));
    if ignored {
        return Ok(GitignoreStep::AlreadyIgnored);
    }
    let sep = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    std::io::Write::write_all(&mut f, format!("{sep}/build\n").as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(GitignoreStep::Appended)
}

/// Slate's files found in `dir` (and Middleman workflows in the git `root`), and what
/// each is to shale now. `config.rb` is still read when it sets up languages or redirects.
fn slate_files(dir: &Path, root: &Path) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for (probe, name, what) in SLATE_FILES {
        if dir.join(probe).exists() {
            out.push((name.to_string(), what));
        }
    }
    if let Ok(config) = std::fs::read_to_string(dir.join("config.rb")) {
        let i18n = config.contains("activate :i18n");
        let redirects = config
            .lines()
            .any(|l| l.trim_start().starts_with("redirect "));
        let what = match (i18n, redirects) {
            (true, true) => "still read by shale: its languages (activate :i18n) and redirects",
            (true, false) => "still read by shale: its languages (activate :i18n)",
            (false, true) => "still read by shale: its redirects",
            (false, false) => "no longer needed (Middleman's settings)",
        };
        out.insert(out.len().min(2), ("config.rb".into(), what));
    }
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    workflows.sort();
    for w in workflows {
        let text = std::fs::read_to_string(&w).unwrap_or_default();
        if text.contains("middleman") || text.contains("deploy.sh") {
            let name = w.strip_prefix(root).unwrap_or(&w).display().to_string();
            out.push((
                name,
                "builds with Ruby and Middleman: remove it once the shale workflow publishes",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scaffold_file_is_described_and_listed_in_order() {
        let paths: Vec<&str> = files("").iter().map(|(p, _)| *p).collect();
        let described: Vec<&str> = DESCRIPTIONS.iter().map(|(p, _)| *p).collect();
        assert_eq!(paths, described);
    }

    #[test]
    fn the_repository_goes_into_the_workflow() {
        let text = |repo: &str| {
            let all = files(repo);
            let (_, body) = all.iter().find(|(p, _)| *p == WORKFLOW).unwrap();
            String::from_utf8(body.to_vec()).unwrap()
        };
        let unknown = text("");
        assert!(unknown.contains(SHALE_GIT_LINE), "the fallback is off");
        assert_eq!(
            unknown.matches(ACTION_PLACEHOLDER).count(),
            2,
            "uses + comment"
        );
        assert!(unknown.contains("\n        uses: OWNER/shale@v0\n"));
        let filled = text("https://example.com/shale.git");
        assert!(filled.contains("\n  SHALE_GIT: \"https://example.com/shale.git\"\n"));
        assert!(
            filled.contains("uses: OWNER/shale@v0"),
            "not a GitHub address"
        );
        let github = text("https://github.com/someone/shale-fork");
        assert!(github.contains("\n        uses: someone/shale-fork@v0\n"));
    }

    #[test]
    fn the_action_is_found_only_in_a_github_url() {
        let f = action_repository;
        assert_eq!(f("https://github.com/a/b").as_deref(), Some("a/b"));
        assert_eq!(f("https://github.com/a/b.git/").as_deref(), Some("a/b"));
        assert_eq!(f("https://gitlab.com/a/b"), None);
        assert_eq!(f("https://github.com/a"), None);
        assert_eq!(f("https://github.com/a/b/c"), None);
        assert_eq!(f("https://github.com/a/b c"), None);
        assert_eq!(f(""), None);
    }

    #[test]
    fn the_docs_folder_goes_into_the_workflow_quoted() {
        let w = workflow("", "my \"docs\"");
        assert!(w.contains("\n  DOCS: \"my \\\"docs\\\"\"\n"), "{w}");
        assert!(workflow("", ".").contains(DOCS_LINE));
    }

    #[test]
    fn refuses_a_folder_with_files_and_accepts_a_git_folder_alone() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join(".git")).unwrap();
        assert!(check_empty(d.path()).is_ok());
        std::fs::write(d.path().join("README.md"), "mine").unwrap();
        let e = check_empty(d.path()).unwrap_err().to_string();
        assert!(e.contains("is not empty (it holds `README.md`)"), "{e}");
        assert!(check_empty(&d.path().join("new/deeper")).is_ok());
    }

    #[test]
    fn a_failed_write_removes_what_was_written() {
        let d = tempfile::tempdir().unwrap();
        // `.github` is a file: the workflow, written last, cannot be.
        std::fs::write(d.path().join(".github"), "mine").unwrap();
        let e = write_files(d.path(), &files("")).unwrap_err().to_string();
        assert!(e.contains(".github: a file has that name"), "{e}");
        let left: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [".github"], "only the file that was there");
        assert_eq!(
            std::fs::read_to_string(d.path().join(".github")).unwrap(),
            "mine"
        );
    }
}
