//! `shale serve`: a live preview. The site is built in memory and served over HTTP from
//! there (`build/` is never touched); the project is watched, and each change runs
//! watch → classify → rebuild → notify:
//!
//! - [`crate::watch`] debounces the file events and drops those that cannot change the
//!   site;
//! - the site is rebuilt in memory, reusing the code blocks highlighted by earlier
//!   builds and the pieces of pages whose text did not change ([`crate::build::Cache`]);
//! - the new site is compared with the one served: nothing changed, only stylesheets
//!   changed (pages swap them in place), or pages changed (pages reload, keeping their
//!   scroll position and language tab);
//! - open pages hear of it over server-sent events (`events`).
//!
//! A build that fails never stops the server: the last good site stays served, the
//! terminal shows the error, and every page shows it in an overlay ([`BuildFailure`])
//! until a save builds again. The reload script and the overlay are added to HTML
//! responses here, never to `shale build`'s output.

mod conn;
mod events;
mod http;
mod overlay;

pub use overlay::BuildFailure;

use std::collections::{BTreeMap, HashMap};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::build::{BuildOptions, BuildSummary, Cache, Preview};
use crate::watch::{Batch, StopHandle, WatchOptions, Watcher};
use crate::Diagnostic;

/// Slate's (Middleman's) port.
pub const DEFAULT_PORT: u16 = 4567;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The Slate `source/` folder.
    pub source: PathBuf,
    /// The address to listen on: `127.0.0.1` unless the writer wants the preview
    /// reachable from elsewhere.
    pub host: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    pub watch: WatchOptions,
    /// Print nothing when a rebuild succeeds (errors and warnings are still printed).
    pub quiet: bool,
    /// Print the time of each build phase after every rebuild.
    pub verbose: bool,
}

impl ServeOptions {
    pub fn new(source: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            source: source.into(),
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            watch: WatchOptions::default(),
            quiet: false,
            verbose: false,
        }
    }
}

/// How the first build went.
#[derive(Debug, Clone)]
pub enum Startup {
    Built {
        pages: usize,
        files: usize,
        bytes: u64,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    /// The server runs anyway, showing the error, and builds again on the next save.
    Failed(BuildFailure),
}

/// A running preview server. Stops when dropped.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    watcher: Option<(StopHandle, JoinHandle<()>)>,
    startup: Startup,
}

/// What the threads share: the site being served, the open connections and event
/// streams.
pub(crate) struct Shared {
    state: RwLock<State>,
    events: events::Broadcaster,
    connections: conn::Connections,
    stopping: AtomicBool,
}

/// The site served, and the error of the last build when it failed.
#[derive(Clone)]
struct State {
    site: Arc<ServedSite>,
    error: Option<Arc<BuildFailure>>,
}

/// A built site ready to serve: bodies shared, never copied per request.
struct ServedSite {
    files: HashMap<String, Arc<Vec<u8>>>,
    /// The HTML pages, sorted (for the 404 page).
    pages: Vec<String>,
    /// This build's id: pages carry it, and reload when the server has another.
    build: String,
}

impl ServedSite {
    fn new(files: &BTreeMap<String, Arc<Vec<u8>>>, build: String) -> ServedSite {
        let pages = files
            .keys()
            .filter(|k| k.ends_with(".html"))
            .cloned()
            .collect();
        ServedSite {
            files: files.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            pages,
            build,
        }
    }
}

impl Shared {
    fn state(&self) -> State {
        self.state.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_state(&self, state: State) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = state;
    }

    /// The `hello` event's data: the current build and error.
    fn hello_json(&self) -> String {
        let s = self.state();
        serde_json::json!({
            "build": s.site.build,
            "error": s.error.as_ref().map(|e| e.overlay_html()),
        })
        .to_string()
    }
}

/// The first build: the site and what to print, or an empty site and the failure
/// (shown by the running server).
fn first_build(builder: &mut Builder) -> (State, Startup) {
    match builder.build(None) {
        Ok((site, summary)) => (
            State {
                site: Arc::new(site),
                error: None,
            },
            Startup::Built {
                pages: summary.pages,
                files: summary.files,
                bytes: summary.bytes,
                elapsed: summary.elapsed,
                warnings: summary.warnings,
            },
        ),
        Err(failure) => (
            State {
                site: Arc::new(ServedSite::new(
                    &BTreeMap::new(),
                    format!("{}-0", builder.session),
                )),
                error: Some(Arc::new(failure.clone())),
            },
            Startup::Failed(failure),
        ),
    }
}

impl Server {
    /// Builds the site, starts listening and watching, and returns at once; requests
    /// are answered and changes rebuilt on threads of the server. Fails only when the
    /// source folder is missing or the address cannot be had: a build error is shown
    /// by the running server (see [`Server::startup`]).
    pub fn start(opts: ServeOptions) -> Result<Server> {
        let display = opts.source.display().to_string();
        if !opts.source.is_dir() {
            bail!(
                "{}",
                crate::load::source::missing_source(&opts.source, &display)
            );
        }
        let listener = bind(&opts.host, opts.port)?;
        let addr = listener
            .local_addr()
            .context("reading the server's address")?;
        // Watching starts before the first build, so no change is missed.
        let mut watcher = Watcher::new(&opts.source, opts.watch.clone())?;
        for n in watcher.notices.drain(..) {
            eprintln!("warning: {n}");
        }
        let mut builder = Builder::new(&opts.source)?;
        let (state, startup) = first_build(&mut builder);
        let warnings = match &startup {
            Startup::Built { warnings, .. } => warnings.clone(),
            Startup::Failed(_) => Vec::new(),
        };
        let shared = Arc::new(Shared {
            state: RwLock::new(state),
            events: events::Broadcaster::default(),
            connections: conn::Connections::default(),
            stopping: AtomicBool::new(false),
        });
        let accept_shared = shared.clone();
        let accept = std::thread::Builder::new()
            .name("shale-serve-accept".into())
            .spawn(move || conn::accept_loop(listener, accept_shared))
            .context("starting the server's thread")?;
        let stop = watcher.stop_handle();
        let base = opts
            .source
            .canonicalize()
            .ok()
            .and_then(|s| s.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let rebuilds = Rebuilds {
            shared: shared.clone(),
            builder,
            quiet: opts.quiet,
            verbose: opts.verbose,
            base,
            warnings,
        };
        let watch_thread = std::thread::Builder::new()
            .name("shale-serve-watch".into())
            .spawn(move || rebuilds.run(&mut watcher))
            .context("starting the watcher's thread")?;
        Ok(Server {
            addr,
            shared,
            accept: Some(accept),
            watcher: Some((stop, watch_thread)),
            startup,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open: the listening address, or this machine's loopback address when
    /// listening on all addresses.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{ip}:{}/", self.addr.port())
    }

    /// Whether other machines may reach the server (it does not listen on loopback).
    pub fn exposed(&self) -> bool {
        !self.addr.ip().is_loopback()
    }

    /// How the first build went.
    pub fn startup(&self) -> &Startup {
        &self.startup
    }

    /// Stops watching, ends the event streams and stops answering requests.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.shared.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some((stop, t)) = self.watcher.take() {
            stop.stop();
            let _ = t.join();
        }
        if let Some(t) = self.accept.take() {
            conn::wake(self.addr);
            let _ = t.join();
        }
        self.shared.events.close_all();
        self.shared.connections.close_all();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Listens on `host:port`, with errors that say what to do.
fn bind(host: &str, port: u16) -> Result<TcpListener> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .with_context(|| {
            format!("--host `{host}` is not an address or name of this machine; the default is 127.0.0.1")
        })?
        .collect();
    let mut last = None;
    for a in addrs {
        match TcpListener::bind(a) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some((a, e)),
        }
    }
    let Some((a, e)) = last else {
        bail!("--host `{host}` has no address");
    };
    let other = if port == DEFAULT_PORT {
        4568
    } else {
        DEFAULT_PORT
    };
    Err(match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow!(
            "port {port} is already in use on {host} (another `shale serve` or `middleman server`?); stop that server or choose another port with --port, such as --port {other}"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow!(
            "not allowed to listen on port {port} ({e}); ports below 1024 need privileges: choose another with --port, such as --port {DEFAULT_PORT}"
        ),
        std::io::ErrorKind::AddrNotAvailable => anyhow!(
            "--host `{host}`: {} is not an address of this machine; the default is 127.0.0.1",
            a.ip()
        ),
        _ => anyhow!("listening on {a}: {e}"),
    })
}

/// Builds the site in memory, keeping highlighted code and rendered pieces between
/// builds, and the last build: an edit to includes alone renders again only the pages
/// that read them ([`Preview::update`]).
struct Builder {
    opts: BuildOptions,
    cache: Cache,
    /// The last build, when it succeeded.
    preview: Option<Preview>,
    /// Unique to this server run; build ids are `SESSION-N`.
    session: String,
    count: u64,
}

impl Builder {
    fn new(source: &Path) -> Result<Builder> {
        source
            .canonicalize()
            .with_context(|| format!("reading {}", source.display()))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Ok(Builder {
            opts: BuildOptions {
                source: source.to_path_buf(),
                ..Default::default()
            },
            cache: Cache::new(),
            preview: None,
            session: format!("{:x}", nanos ^ ((std::process::id() as u128) << 64)),
            count: 0,
        })
    }

    /// Builds the site again after the changes of `batch` (the whole site without one,
    /// or when the change is more than an edit of includes).
    fn build(&mut self, batch: Option<&Batch>) -> Result<(ServedSite, BuildSummary), BuildFailure> {
        self.cache.begin_build();
        let built = std::panic::catch_unwind(AssertUnwindSafe(|| self.build_or_update(batch)));
        let failure = match built {
            Ok(Ok(summary)) => {
                self.count += 1;
                let id = format!("{}-{}", self.session, self.count);
                let files = self
                    .preview
                    .as_ref()
                    .expect("a build keeps its preview")
                    .files();
                return Ok((ServedSite::new(files, id), summary));
            }
            Ok(Err(e)) => BuildFailure::from_error(&e),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown");
                BuildFailure::internal(format!("internal error in shale ({what}); this is a bug, please report it with the file that causes it"))
            }
        };
        // The next build is a whole one: pages not rendered here may read the file
        // that broke.
        self.preview = None;
        self.cache.build_failed();
        Err(failure)
    }

    fn build_or_update(&mut self, batch: Option<&Batch>) -> Result<BuildSummary> {
        if let (Some(preview), Some(batch)) = (&mut self.preview, batch) {
            if let Some(updated) = preview.update(&batch.paths, Some(&self.cache)) {
                return updated;
            }
        }
        self.preview = None;
        let (preview, summary) = Preview::build(&self.opts, Some(&self.cache))?;
        self.preview = Some(preview);
        Ok(summary)
    }
}

/// How a new build differs from the one served.
#[derive(Debug, PartialEq, Eq)]
enum Difference {
    None,
    /// Only stylesheets: pages swap them without reloading.
    Stylesheets,
    Pages,
}

fn compare(old: &ServedSite, new: &ServedSite) -> Difference {
    let mut css_only = true;
    let mut any = false;
    let mut note = |rel: &str| {
        any = true;
        if !rel.ends_with(".css") {
            css_only = false;
        }
    };
    for (rel, bytes) in &new.files {
        match old.files.get(rel) {
            Some(o) if o == bytes => {}
            _ => note(rel),
        }
    }
    for rel in old.files.keys() {
        if !new.files.contains_key(rel) {
            note(rel);
        }
    }
    match (any, css_only) {
        (false, _) => Difference::None,
        (true, true) => Difference::Stylesheets,
        (true, false) => Difference::Pages,
    }
}

/// The watch thread: each batch of changes rebuilt and announced.
struct Rebuilds {
    shared: Arc<Shared>,
    builder: Builder,
    quiet: bool,
    verbose: bool,
    /// The project folder: changed paths are shown relative to it.
    base: PathBuf,
    /// The last build's warnings (printed again only when they change).
    warnings: Vec<Diagnostic>,
}

impl Rebuilds {
    fn run(mut self, watcher: &mut Watcher) {
        while let Some(batch) = watcher.next_batch() {
            for n in watcher.notices.drain(..) {
                eprintln!("warning: {n}");
            }
            if self.shared.stopping.load(Ordering::SeqCst) {
                return;
            }
            self.rebuild(&batch);
        }
    }

    fn rebuild(&mut self, batch: &Batch) {
        let what = batch.describe(&self.base);
        let started = Instant::now();
        let built = self.builder.build(Some(batch));
        let old = self.shared.state();
        let (site, summary) = match built {
            Ok(b) => b,
            Err(failure) => {
                let html = serde_json::json!({ "html": failure.overlay_html() }).to_string();
                self.shared.set_state(State {
                    site: old.site,
                    error: Some(Arc::new(failure.clone())),
                });
                let tabs = self.shared.events.send("build-error", &html);
                eprintln!("error: {}", failure.message);
                eprintln!(
                    "  (after a change to {what}; the last good build is still served, the error shows on {}; save a fix to clear it)",
                    pages_note(tabs)
                );
                return;
            }
        };
        let fixed = old.error.is_some();
        let difference = compare(&old.site, &site);
        let (event, build) = match difference {
            Difference::None => ("ok", old.site.build.clone()),
            Difference::Stylesheets => ("css", site.build.clone()),
            Difference::Pages => ("reload", site.build.clone()),
        };
        let served = if difference == Difference::None {
            old.site
        } else {
            Arc::new(site)
        };
        self.shared.set_state(State {
            site: served,
            error: None,
        });
        let tabs = self
            .shared
            .events
            .send(event, &serde_json::json!({ "build": build }).to_string());
        if summary.warnings != self.warnings {
            for w in &summary.warnings {
                eprintln!("warning: {w}");
            }
            self.warnings = summary.warnings;
        }
        if !self.quiet {
            let done = match difference {
                Difference::None if fixed => "the site is as before; error cleared".to_string(),
                Difference::None => "the site is as before".to_string(),
                Difference::Stylesheets => {
                    format!("stylesheets swapped in {}", pages_note(tabs))
                }
                Difference::Pages => format!("reloading {}", pages_note(tabs)),
            };
            println!(
                "{} {what}: rebuilt in {} ms, {done} ({} ms after the save)",
                if fixed { "fixed" } else { "changed" },
                started.elapsed().as_millis(),
                batch.first_event.elapsed().as_millis(),
            );
            if self.verbose {
                print!("{}", summary.timings);
            }
        }
    }
}

fn pages_note(n: usize) -> String {
    match n {
        0 => "no open page".to_string(),
        1 => "1 open page".to_string(),
        n => format!("{n} open pages"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> ServedSite {
        let m = files
            .iter()
            .map(|(k, v)| (k.to_string(), Arc::new(v.as_bytes().to_vec())))
            .collect();
        ServedSite::new(&m, "x".into())
    }

    #[test]
    fn classifies_what_a_rebuild_changed() {
        let a = site(&[("index.html", "a"), ("s/screen.css", "x")]);
        assert_eq!(
            compare(&a, &site(&[("index.html", "a"), ("s/screen.css", "x")])),
            Difference::None
        );
        assert_eq!(
            compare(&a, &site(&[("index.html", "a"), ("s/screen.css", "y")])),
            Difference::Stylesheets
        );
        assert_eq!(
            compare(&a, &site(&[("index.html", "b"), ("s/screen.css", "x")])),
            Difference::Pages
        );
        assert_eq!(
            compare(&a, &site(&[("index.html", "a")])),
            Difference::Stylesheets
        );
        assert_eq!(
            compare(
                &a,
                &site(&[("index.html", "a"), ("s/screen.css", "x"), ("i.png", "")])
            ),
            Difference::Pages
        );
    }

    #[test]
    fn busy_port_is_a_clear_error() {
        let held = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = held.local_addr().unwrap().port();
        let e = bind("127.0.0.1", port).unwrap_err().to_string();
        assert!(e.contains(&format!("port {port} is already in use")), "{e}");
        assert!(e.contains("--port"), "{e}");
        let e = bind("no-such-host.invalid", 0).unwrap_err().to_string();
        assert!(e.contains("--host"), "{e}");
    }
}
