use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shale::util::url::SiteUrl;

/// shale builds Slate API documentation: point it at a Slate `source/` folder and it
/// writes the three-column static site, no Ruby needed.
#[derive(Debug, Parser)]
#[command(name = "shale", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site: every `*.html.md` page of the source folder becomes an `.html`
    /// page of the output folder, with stylesheets, scripts and images beside it.
    Build {
        /// The Slate source folder to read (pages, `includes/`, `images/`).
        #[arg(long, short = 's', value_name = "DIR", default_value = "source")]
        source: PathBuf,
        /// The folder to write the site to. It is replaced as a whole, and only when the
        /// build succeeds; a failed build leaves the previous site intact.
        #[arg(long, short = 'o', value_name = "DIR", default_value = "build")]
        output: PathBuf,
        /// Print nothing but errors and warnings.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Also print where the time went, phase by phase.
        #[arg(long, short = 'v')]
        verbose: bool,
        /// Treat warnings (broken anchors and links, missing images, unused language
        /// tabs, unknown code languages, renamed duplicate ids) as errors.
        #[arg(long)]
        strict: bool,
        /// Make each page one self-contained HTML file: stylesheets, scripts, the search
        /// index and every local image, icon and font inlined (as `data:` URIs), so it
        /// works mailed or opened from disk with no network. Remote (https:) URLs are
        /// left as they are.
        #[arg(long)]
        single_file: bool,
        /// The address the site is published at (`https://docs.example.com/`): also
        /// write `sitemap.xml` listing every page, and `robots.txt` pointing to it when
        /// the site is at the root of its host.
        #[arg(long, value_name = "URL", value_parser = site_url)]
        site_url: Option<SiteUrl>,
    },
    /// Preview the site while you write: build it, serve it from memory (`build/` is not
    /// touched) and rebuild on every save; open pages reload by themselves, keeping
    /// their scroll position and language tab. A change that does not build shows its
    /// error in the terminal and on the page, over the last good build.
    Serve {
        /// The Slate source folder to read (pages, `includes/`, `images/`).
        #[arg(long, short = 's', value_name = "DIR", default_value = "source")]
        source: PathBuf,
        /// The port to listen on (Slate's `middleman server` uses 4567 too).
        #[arg(long, short = 'p', value_name = "PORT", default_value_t = shale::serve::DEFAULT_PORT)]
        port: u16,
        /// The address to listen on. The default keeps the preview on this machine;
        /// `0.0.0.0` makes it reachable from your network.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        host: String,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Check the files for changes every 300 ms instead of waiting for the system's
        /// events: for network mounts, containers and VMs, where events do not arrive.
        #[arg(long)]
        poll: bool,
        /// Print nothing when a build succeeds, the first one included: only the
        /// address, errors and warnings are printed.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// After each rebuild, print the time of each phase (as `shale build -v`).
        #[arg(long, short = 'v', conflicts_with = "quiet")]
        verbose: bool,
        /// Not an option of serve: said so (it belongs to `shale build`).
        #[arg(long, hide = true)]
        single_file: bool,
    },
    /// Write a Slate source folder from an OpenAPI 3.0/3.1 or Swagger 2.0 spec (JSON or
    /// YAML; one file or several joined by relative `$ref`s): `index.html.md` and an
    /// include per tag, plus webhooks and schemas. Files written by an earlier import are
    /// replaced; other files are not, unless --force.
    Import {
        /// The spec: openapi.yaml, swagger.json, …
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// The Slate source folder to write.
        #[arg(long, short = 'o', value_name = "DIR", default_value = "source")]
        output: PathBuf,
        /// Also replace files that shale import did not write (or whose marker line was
        /// deleted to keep edits).
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Start a documentation project in DIR, a new or empty folder (`shale new .` fills
    /// the current one): a sample page with an include, a second page listed beside it
    /// (`shale.yml`), a `.gitignore`, and a GitHub
    /// Actions workflow that publishes the site to GitHub Pages. Nothing is overwritten.
    New {
        /// The folder to create (or an empty one to fill).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Import this OpenAPI or Swagger spec as the page, in place of the sample (as
        /// `shale import SPEC --output DIR/source` does).
        #[arg(long, value_name = "SPEC")]
        openapi: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Add shale to an existing Slate repository: run it in the folder that holds
    /// `source/`. Writes the GitHub Pages workflow at the git root's
    /// `.github/workflows/` (building this folder's `source/`) and the `build/` line of
    /// `.gitignore`, and says which of Slate's files are no longer needed. Deletes and
    /// overwrites nothing.
    Init {
        /// The folder that holds `source/`.
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Publish as Slate's `deploy.sh` did: build the site and push it as a new commit on
    /// the `gh-pages` branch of a git remote (GitHub Pages' "Deploy from a branch").
    /// Keeps the branch's `CNAME`; touches neither the work tree nor local branches.
    /// Refuses uncommitted changes.
    Deploy {
        /// The Slate source folder to read (pages, `includes/`, `images/`).
        #[arg(long, short = 's', value_name = "DIR", default_value = "source")]
        source: PathBuf,
        /// The git remote to push to.
        #[arg(long, value_name = "NAME", default_value = "origin")]
        remote: String,
        /// The branch to push the site to.
        #[arg(long, value_name = "NAME", default_value = "gh-pages")]
        branch: String,
        /// Treat warnings as errors: nothing is pushed when there is one.
        #[arg(long)]
        strict: bool,
        /// Print nothing but errors and warnings.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return bad_arguments(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `--site-url`, checked once, as the command line is read.
fn site_url(s: &str) -> Result<SiteUrl, String> {
    SiteUrl::parse(s).map_err(|e| e.to_string())
}

/// A command line clap refuses. A value shale checks itself (`--site-url`) is an error
/// of the build, said in shale's words (exit status 1); the rest is clap's usage error.
fn bad_arguments(e: clap::Error) -> ExitCode {
    use std::error::Error;
    match (e.kind(), e.source()) {
        (clap::error::ErrorKind::ValueValidation, Some(why)) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
        _ => e.exit(),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build {
            source,
            output,
            quiet,
            verbose,
            strict,
            single_file,
            site_url,
        } => build(
            shale::BuildOptions {
                source,
                output,
                strict,
                single_file,
                site_url,
            },
            quiet,
            verbose,
        ),
        Command::Serve {
            source,
            port,
            host,
            open,
            poll,
            quiet,
            verbose,
            single_file,
        } => {
            if single_file {
                anyhow::bail!("--single-file is an option of `shale build`, not of `shale serve` (the preview serves the ordinary site): run `shale build --single-file` to write self-contained pages");
            }
            let mut opts = shale::serve::ServeOptions::new(source);
            opts.port = port;
            opts.host = host;
            opts.watch.poll = poll;
            opts.quiet = quiet;
            opts.verbose = verbose;
            serve(opts, open)
        }
        Command::Init { dir, quiet } => init(&dir, quiet),
        Command::Deploy {
            source,
            remote,
            branch,
            strict,
            quiet,
        } => deploy(
            shale::deploy::DeployOptions {
                source,
                remote,
                branch,
                strict,
            },
            quiet,
        ),
        Command::Import {
            spec,
            output,
            force,
            quiet,
        } => import(
            shale::openapi::ImportOptions {
                spec,
                output,
                force,
            },
            quiet,
        ),
        Command::New {
            dir,
            openapi,
            quiet,
        } => new(&dir, openapi.as_deref(), quiet),
    }
}

/// Runs `shale import` and prints what it wrote and what to run next.
fn import(opts: shale::openapi::ImportOptions, quiet: bool) -> anyhow::Result<()> {
    let s = shale::openapi::import(&opts)?;
    if !quiet {
        let (spec, output) = (&opts.spec, &opts.output);
        println!(
            "imported {} operation{}, {} webhook{} and {} schema{} from {} in {} ms → {} ({} files)\nnext: shale build -s {}",
            s.operations,
            if s.operations == 1 { "" } else { "s" },
            s.webhooks,
            if s.webhooks == 1 { "" } else { "s" },
            s.schemas,
            if s.schemas == 1 { "" } else { "s" },
            spec.display(),
            s.elapsed.as_millis(),
            output.display(),
            s.files.len(),
            shell_quote(&output.display().to_string())
        );
    }
    Ok(())
}

/// Runs `shale new` (with `--openapi`, the spec's import in place of the sample page)
/// and prints what it created.
fn new(
    dir: &std::path::Path,
    openapi: Option<&std::path::Path>,
    quiet: bool,
) -> anyhow::Result<()> {
    // A spec that does not read leaves no project behind.
    if let Some(spec) = openapi {
        shale::openapi::generate(spec)?;
    }
    let mut created = shale::scaffold::create(dir, env!("CARGO_PKG_REPOSITORY"))?;
    let imported = match openapi {
        Some(spec) => {
            let s = shale::openapi::import_into_new_project(spec, dir)?;
            created
                .files
                .retain(|f| !f.starts_with("source/") && !shale::openapi::SAMPLE_FILES.contains(f));
            Some(s)
        }
        None => None,
    };
    if !quiet {
        if let (Some(s), Some(spec)) = (&imported, openapi) {
            println!(
                "imported {} ({} operations, {} webhooks, {} schemas) into {}:",
                spec.display(),
                s.operations,
                s.webhooks,
                s.schemas,
                dir.join("source").display()
            );
            for f in &s.files {
                println!("  source/{f}");
            }
        }
        print!("{}", new_report(dir, &created));
    }
    Ok(())
}

/// Runs `shale build` and prints what it did.
fn build(opts: shale::BuildOptions, quiet: bool, verbose: bool) -> anyhow::Result<()> {
    let summary = shale::build(&opts)?;
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    if !quiet {
        println!(
            "built {} page{} ({}, {} files) in {} ms → {}",
            summary.pages,
            if summary.pages == 1 { "" } else { "s" },
            human_size(summary.bytes),
            summary.files,
            summary.elapsed.as_millis(),
            opts.output.display()
        );
    }
    if verbose {
        print!("{}", summary.timings);
    }
    Ok(())
}

/// Runs `shale init` and prints what it did.
fn init(dir: &std::path::Path, quiet: bool) -> anyhow::Result<()> {
    let done = shale::scaffold::init(dir, env!("CARGO_PKG_REPOSITORY"))?;
    if !quiet {
        print!("{}", init_report(&done));
    }
    Ok(())
}

/// What `shale init` prints: what it wrote, what Slate's files are now, what is left.
fn init_report(done: &shale::scaffold::Initialised) -> String {
    use shale::scaffold::{GitignoreStep, WorkflowStep};
    use std::fmt::Write;
    let show = relative_to_cwd;
    let mut out = String::new();
    let mut workflow_written = None;
    match &done.workflow {
        WorkflowStep::Written(p) => {
            let _ = writeln!(
                out,
                "wrote {}: builds {} and publishes it to GitHub Pages",
                show(p),
                source_of(&done.docs)
            );
            workflow_written = Some(show(p));
        }
        WorkflowStep::AlreadyThere(p) => {
            let _ = writeln!(
                out,
                "kept {}: it already builds with shale (no workflow written)",
                show(p)
            );
        }
    }
    if done.git_root.is_none() {
        out.push_str("  (this folder is not in a git repository: the workflow is at its root; keep .github/ at the root of the repository you push)
");
    }
    out.push_str(match done.gitignore {
        GitignoreStep::Created => {
            "wrote .gitignore: keeps build/ out of git
"
        }
        GitignoreStep::Appended => {
            "added /build to .gitignore
"
        }
        GitignoreStep::AlreadyIgnored => {
            ".gitignore already ignores build/
"
        }
    });
    if !done.slate_files.is_empty() {
        out.push_str(
            "
Slate's files (shale deletes nothing):
",
        );
        let width = done
            .slate_files
            .iter()
            .map(|(f, _)| f.len())
            .max()
            .unwrap_or(0);
        for (f, what) in &done.slate_files {
            let _ = writeln!(out, "  {f:<width$}  {what}");
        }
    }
    out.push_str(
        "
next:
  shale serve      (a live preview at http://127.0.0.1:4567/)
",
    );
    if let Some(w) = workflow_written {
        out.push_str(&before_you_push(done.action_known, &w));
    }
    out
}

/// How the workflow names the source folder of the project at `docs`.
fn source_of(docs: &str) -> String {
    match docs {
        "." => "source/".into(),
        d => format!("{d}/source/ (from the repository's root, where GitHub looks for workflows)"),
    }
}

/// `p` relative to the current folder (`../x` when outside it).
fn relative_to_cwd(p: &std::path::Path) -> String {
    let abs = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) else {
        return abs.display().to_string();
    };
    let common = cwd
        .components()
        .zip(abs.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return abs.display().to_string();
    }
    let mut rel = std::path::PathBuf::new();
    for _ in cwd.components().skip(common) {
        rel.push("..");
    }
    rel.extend(abs.components().skip(common));
    rel.display().to_string()
}

/// Runs `shale deploy` and prints what it did.
fn deploy(opts: shale::deploy::DeployOptions, quiet: bool) -> anyhow::Result<()> {
    let done = shale::deploy::deploy(&opts)?;
    for w in &done.summary.warnings {
        eprintln!("warning: {w}");
    }
    if quiet {
        return Ok(());
    }
    let s = &done.summary;
    println!(
        "built {} page{} ({}, {} files)",
        s.pages,
        if s.pages == 1 { "" } else { "s" },
        human_size(s.bytes),
        s.files
    );
    if done.pushed {
        println!(
            "pushed the site to {} on {} ({}), commit {}{}",
            opts.branch,
            opts.remote,
            done.url,
            done.commit,
            if done.cname_kept {
                "; kept its CNAME"
            } else {
                ""
            }
        );
        println!(
            "GitHub Pages serves it once Settings > Pages > Source is \"Deploy from a branch\", {}",
            opts.branch
        );
    } else {
        println!(
            "{} on {} already holds this site (commit {}): nothing pushed",
            opts.branch, opts.remote, done.commit
        );
    }
    Ok(())
}

/// What `shale new` prints: the files written and the next two commands.
fn new_report(dir: &std::path::Path, created: &shale::scaffold::Created) -> String {
    use std::fmt::Write;
    let here = dir.canonicalize().ok() == std::env::current_dir().ok();
    let mut out = String::new();
    if here {
        out.push_str("created a documentation project in this folder:\n");
    } else {
        let _ = writeln!(out, "created a documentation project in {}:", dir.display());
    }
    let width = created.files.iter().map(|f| f.len()).max().unwrap_or(0);
    for f in &created.files {
        let what = shale::scaffold::DESCRIPTIONS
            .iter()
            .find(|(p, _)| p == f)
            .map_or("", |(_, d)| d);
        let _ = writeln!(out, "  {f:<width$}  {what}");
    }
    if let Some(shale::scaffold::WorkflowStep::Written(p)) = &created.workflow {
        let _ = writeln!(
            out,
            "  {:<width$}  builds the site on GitHub and publishes it to GitHub Pages (at the git root: GitHub runs no other workflows)",
            relative_to_cwd(p)
        );
    }
    if let Some(shale::scaffold::WorkflowStep::AlreadyThere(p)) = &created.workflow {
        let _ = writeln!(
            out,
            "  (no workflow: {} already builds with shale)",
            relative_to_cwd(p)
        );
    }
    out.push_str("\nnext:\n");
    if !here {
        let _ = writeln!(out, "  cd {}", shell_quote(&dir.display().to_string()));
    }
    out.push_str("  shale serve      (a live preview at http://127.0.0.1:4567/)\n");
    if here {
        out.push_str("  shale build      (the site, in build/)\n");
    }
    let workflow = match &created.workflow {
        None => Some(shale::scaffold::WORKFLOW.to_string()),
        Some(shale::scaffold::WorkflowStep::Written(p)) => Some(relative_to_cwd(p)),
        Some(_) => None,
    };
    if let Some(w) = workflow {
        out.push_str(&before_you_push(created.action_known, &w));
    }
    out
}

/// The steps left before the workflow at `workflow` can publish.
fn before_you_push(action_known: bool, workflow: &str) -> String {
    let mut out = String::from("\nbefore you push:\n");
    if !action_known {
        out.push_str(&format!(
            "  - in {workflow}, replace {} with shale's GitHub repository (owner/name), or set SHALE_GIT there to build shale from its source\n",
            shale::scaffold::ACTION_PLACEHOLDER
        ));
    }
    out.push_str(
        "  - choose \"GitHub Actions\" as the source in the repository's Settings > Pages\n",
    );
    out
}

/// `s` as one shell word.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./~+@%:,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Runs the preview server until Ctrl-C.
fn serve(opts: shale::serve::ServeOptions, open: bool) -> anyhow::Result<()> {
    use shale::serve::{Server, Startup};
    use std::sync::atomic::{AtomicBool, Ordering};

    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    static STOPPING: AtomicBool = AtomicBool::new(false);
    ctrlc::set_handler(move || {
        if STOPPING.swap(true, Ordering::SeqCst) {
            std::process::exit(130); // a second Ctrl-C: stop now
        }
        let _ = stop_tx.send(());
    })?;
    let source = opts.source.display().to_string();
    let poll = opts.watch.poll;
    let quiet = opts.quiet;
    let server = Server::start(opts)?;
    match server.startup() {
        Startup::Built {
            pages,
            files,
            bytes,
            elapsed,
            warnings,
        } => {
            for w in warnings {
                eprintln!("warning: {w}");
            }
            if !quiet {
                println!(
                    "built {pages} page{} ({}, {files} files) in {} ms",
                    if *pages == 1 { "" } else { "s" },
                    human_size(*bytes),
                    elapsed.as_millis()
                );
            }
        }
        Startup::Failed(f) => {
            eprintln!("error: {}", f.message);
            eprintln!("  the preview runs anyway and shows this error; save a fix and it builds");
        }
    }
    if server.exposed() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the preview; use --host 127.0.0.1 to keep it on this machine",
            server.addr()
        );
    }
    let url = server.url();
    println!(
        "serving {source} at {url}\nwatching for changes{}; press Ctrl-C to stop",
        if poll { " (polling)" } else { "" }
    );
    if open {
        open_browser(&url);
    }
    let _ = stop_rx.recv();
    server.stop();
    println!("stopped");
    Ok(())
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("warning: could not open a browser ({e}); open {url} yourself"),
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
