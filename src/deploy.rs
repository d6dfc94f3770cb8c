//! `shale deploy`: what Slate's `deploy.sh` did. Builds the site into a temporary folder
//! and pushes it as one new commit on the remote's `gh-pages` branch, with git: the work
//! tree, the index and the local branches are not touched. A `CNAME` the branch has
//! (GitHub Pages' custom domain) is kept when the site has none.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};

use crate::build::{BuildOptions, BuildSummary};

/// What to publish, and where.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The Slate `source/` folder.
    pub source: PathBuf,
    /// The git remote to push to.
    pub remote: String,
    /// The branch the site goes to.
    pub branch: String,
    /// Warnings fail the build (nothing is pushed).
    pub strict: bool,
}

/// What [`deploy`] did.
#[derive(Debug)]
pub struct Deployed {
    /// The build's summary (its warnings are to be printed).
    pub summary: BuildSummary,
    /// The commit now at the branch's tip (abbreviated).
    pub commit: String,
    /// Whether a commit was pushed: false when the branch already held this site.
    pub pushed: bool,
    /// Whether the branch's `CNAME` was carried over.
    pub cname_kept: bool,
    /// The remote's URL.
    pub url: String,
}

/// Builds the site and pushes it to `opts.branch` on `opts.remote`. Refuses, pushing
/// nothing, outside a git work tree, without the remote, or with uncommitted changes (the
/// site published is the one of a commit).
pub fn deploy(opts: &DeployOptions) -> Result<Deployed> {
    let here = Path::new(".");
    git(here, &["rev-parse", "--is-inside-work-tree"], &[]).map_err(|_| {
        anyhow!("shale deploy publishes with git, and this folder is not in a git repository: run it in your documentation's repository (git must be installed)")
    })?;
    let url = git(here, &["remote", "get-url", &opts.remote], &[]).map_err(|_| {
        anyhow!(
            "this repository has no git remote `{0}` to publish to: add it with `git remote add {0} URL`, or name another with --remote",
            opts.remote
        )
    })?;
    let dirty = git(here, &["status", "--porcelain"], &[])?;
    if let Some(first) = dirty.lines().next() {
        let n = dirty.lines().count();
        bail!(
            "the work tree has uncommitted changes ({n} file{}, first `{}`): commit or stash them first, so that the site published is the one of a commit",
            if n == 1 { "" } else { "s" },
            first.get(3..).unwrap_or(first)
        );
    }
    let tmp = TempDir::new()?;
    let site = tmp.0.join("site");
    let summary = crate::build::build(&BuildOptions {
        source: opts.source.clone(),
        output: site.clone(),
        strict: opts.strict,
        single_file: false,
        site_url: None,
    })?;
    let parent = fetch_tip(&opts.remote, &opts.branch)?;
    let cname_kept = keep_cname(&site, parent.as_deref())?;
    if !site.join(".nojekyll").exists() {
        std::fs::write(site.join(".nojekyll"), "").context("writing .nojekyll")?;
    }
    let tree = write_tree(&site, &tmp.0.join("index"))?;
    let unchanged = match &parent {
        Some(p) => git(here, &["rev-parse", &format!("{p}^{{tree}}")], &[])? == tree,
        None => false,
    };
    let commit = if unchanged {
        parent.clone().unwrap_or_default()
    } else {
        let commit = commit_tree(&tree, parent.as_deref())?;
        let refspec = format!("{commit}:refs/heads/{}", opts.branch);
        git(here, &["push", "--quiet", &opts.remote, &refspec], &[])?;
        commit
    };
    Ok(Deployed {
        summary,
        commit: commit.chars().take(7).collect(),
        pushed: !unchanged,
        cname_kept,
        url,
    })
}

/// The commit at the tip of `branch` on `remote`, fetched; `None` when there is no
/// such branch yet.
fn fetch_tip(remote: &str, branch: &str) -> Result<Option<String>> {
    let here = Path::new(".");
    let heads = git(here, &["ls-remote", "--heads", remote, branch], &[])?;
    let wanted = format!("refs/heads/{branch}");
    if !heads.lines().any(|l| l.ends_with(&wanted)) {
        return Ok(None);
    }
    git(
        here,
        &["fetch", "--quiet", "--no-tags", remote, &wanted],
        &[],
    )?;
    Ok(Some(git(here, &["rev-parse", "FETCH_HEAD"], &[])?))
}

/// Copies the `CNAME` of `parent` into `site` when the site has none.
fn keep_cname(site: &Path, parent: Option<&str>) -> Result<bool> {
    let Some(parent) = parent else {
        return Ok(false);
    };
    if site.join("CNAME").exists() {
        return Ok(false);
    }
    let spec = format!("{parent}:CNAME");
    if git(Path::new("."), &["cat-file", "-e", &spec], &[]).is_err() {
        return Ok(false);
    }
    let out = Command::new("git")
        .args(["show", &spec])
        .output()
        .context("running git")?;
    std::fs::write(site.join("CNAME"), out.stdout).context("writing CNAME")?;
    Ok(true)
}

/// The tree of every file in `site`, written with a separate index file.
fn write_tree(site: &Path, index: &Path) -> Result<String> {
    let git_dir = git(Path::new("."), &["rev-parse", "--absolute-git-dir"], &[])?;
    let env = [("GIT_INDEX_FILE", index.as_os_str())];
    let work_tree = format!("--work-tree={}", site.display());
    let base = ["--git-dir", git_dir.as_str(), work_tree.as_str()];
    let add: Vec<&str> = base
        .iter()
        .copied()
        .chain(["add", "--all", "--force", "."])
        .collect();
    git(site, &add, &env)?;
    let write: Vec<&str> = base.iter().copied().chain(["write-tree"]).collect();
    git(site, &write, &env)
}

/// A commit of `tree` on `parent`, saying which commit of the sources it is the site of.
fn commit_tree(tree: &str, parent: Option<&str>) -> Result<String> {
    let here = Path::new(".");
    let head = git(here, &["rev-parse", "--short", "HEAD"], &[])
        .unwrap_or_else(|_| "a repository with no commit".into());
    let message = format!("shale deploy: the site of {head}");
    let mut args = vec!["commit-tree", tree, "-m", &message];
    if let Some(p) = parent {
        args.extend(["-p", p]);
    }
    git(here, &args, &[])
}

/// Runs git in `dir`; its output, trimmed, or an error with what git said.
fn git(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Result<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| anyhow!("running git: {e}; shale deploy needs git installed"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        bail!("`git {}` failed: {said}", args.join(" "));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("shale-deploy-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir)
            .with_context(|| format!("creating the temporary folder {}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
