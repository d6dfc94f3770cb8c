//! Watching a project for changes (`shale serve`): the source folder and the project's
//! `templates/`, `assets/`, `locales/`, `config.rb` and `shale.yml` (in the folder that holds the
//! source folder; shale reads Middleman's i18n options, redirects and translations
//! there), with notify's
//! native watcher or, for file systems whose events do not arrive, a polling one.
//!
//! Raw events are debounced into batches: a batch closes once the files have been quiet
//! for a moment, so an editor's save (write a temporary file, rename it over the page;
//! or delete and create) is one batch. Events that cannot change the site (reads,
//! editors' swap and backup files, hidden files of the source folder, anything else in
//! the project folder) are dropped here.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::event::{CreateKind, EventKind, ModifyKind, RemoveKind};
use notify::{Event, RecursiveMode, Watcher as _};

/// How to watch.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Poll the files instead of waiting for the system's events.
    pub poll: bool,
    /// How often to poll, with `poll`.
    pub poll_interval: Duration,
    /// A batch closes after this long without a new event...
    pub quiet: Duration,
    /// ...or this long after its first event, whichever comes first.
    pub max_wait: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            poll: false,
            poll_interval: Duration::from_millis(300),
            quiet: Duration::from_millis(30),
            max_wait: Duration::from_millis(400),
        }
    }
}

/// Changed files that can change the site.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The changed paths (absolute), without repeats, in the order first seen.
    pub paths: Vec<PathBuf>,
    /// When the first event of the batch arrived.
    pub first_event: Instant,
}

impl Batch {
    /// The changed paths, shown relative to `base` where they are inside it. Only the
    /// files that exist are shown when there are any (not an editor's temporary file,
    /// renamed over the page, nor the folders around a new file).
    pub fn describe(&self, base: &Path) -> String {
        let files: Vec<&PathBuf> = self.paths.iter().filter(|p| p.is_file()).collect();
        let shown: Vec<&PathBuf> = if files.is_empty() {
            self.paths.iter().collect()
        } else {
            files
        };
        let mut names: Vec<String> = shown
            .iter()
            .take(3)
            .map(|p| {
                p.strip_prefix(base)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        if shown.len() > 3 {
            names.push(format!("{} more", shown.len() - 3));
        }
        names.join(", ")
    }
}

enum Msg {
    Fs(notify::Result<Event>),
    Stop,
}

/// Stops a [`Watcher`] blocked in [`Watcher::next_batch`] from another thread.
#[derive(Clone)]
pub struct StopHandle(Sender<Msg>);

impl StopHandle {
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// The folders a project's site is built from.
#[derive(Debug, Clone)]
struct Roots {
    source: PathBuf,
    project: PathBuf,
    templates: PathBuf,
    assets: PathBuf,
    /// Middleman's translations (`locales/en.yml`), for `t(:key)` and the languages.
    locales: PathBuf,
}

/// A running watch of one project.
pub struct Watcher {
    /// The system's watcher; `None` when polling.
    inner: Option<Box<dyn notify::Watcher + Send>>,
    /// Stops the polling thread when the watcher goes.
    poll_stop: Arc<AtomicBool>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    roots: Roots,
    opts: WatchOptions,
    /// Notices the watcher reports (lost watches, errors), for the terminal.
    pub notices: Vec<String>,
}

impl Roots {
    /// The folders watched for the source folder `source`.
    fn new(source: &Path) -> Result<Roots> {
        let source = source
            .canonicalize()
            .with_context(|| format!("watching {}", source.display()))?;
        let project = source.parent().unwrap_or(&source).to_path_buf();
        Ok(Roots {
            templates: project.join("templates"),
            assets: project.join("assets"),
            locales: project.join(crate::load::i18n::LOCALES),
            source,
            project,
        })
    }
}

impl Watcher {
    /// Starts watching the source folder `source` and the `templates/` and `assets/`
    /// folders beside it.
    pub fn new(source: &Path, opts: WatchOptions) -> Result<Watcher> {
        let roots = Roots::new(source)?;
        let (tx, rx) = mpsc::channel();
        let poll_stop = Arc::new(AtomicBool::new(false));
        if opts.poll {
            poll::start(
                vec![
                    roots.source.clone(),
                    roots.templates.clone(),
                    roots.assets.clone(),
                    roots.locales.clone(),
                    roots.project.join("config.rb"),
                    roots.project.join(crate::load::settings::FILE),
                ],
                opts.poll_interval,
                tx.clone(),
                poll_stop.clone(),
            )?;
            return Ok(Watcher {
                inner: None,
                poll_stop,
                rx,
                tx,
                roots,
                opts,
                notices: Vec::new(),
            });
        }
        let handler_tx = tx.clone();
        let handler = move |e: notify::Result<Event>| {
            let _ = handler_tx.send(Msg::Fs(e));
        };
        let mut inner = notify::RecommendedWatcher::new(handler, notify::Config::default())
            .context(
                "starting the file watcher; if this file system does not support it, try --poll",
            )?;
        inner
            .watch(&roots.source, RecursiveMode::Recursive)
            .with_context(|| {
                format!(
                    "watching {}; on a network or container mount, try --poll",
                    roots.source.display()
                )
            })?;
        let mut w = Watcher {
            inner: Some(Box::new(inner)),
            poll_stop,
            rx,
            tx,
            roots,
            opts,
            notices: Vec::new(),
        };
        w.watch_project();
        Ok(w)
    }

    /// The project folder, not recursively: only to notice `templates/` and `assets/`
    /// (or the source folder itself) appearing, disappearing or being replaced, and
    /// saves of `config.rb`; and `templates/`, `assets/` and `locales/` themselves.
    fn watch_project(&mut self) {
        if self.roots.project == self.roots.source {
            return;
        }
        let project = self.roots.project.clone();
        if let Some(Err(e)) = self
            .inner
            .as_mut()
            .map(|i| i.watch(&project, RecursiveMode::NonRecursive))
        {
            self.notices
                .push(format!("not watching {}: {e}", project.display()));
        }
        for dir in [
            self.roots.templates.clone(),
            self.roots.assets.clone(),
            self.roots.locales.clone(),
        ] {
            self.rewatch(&dir);
        }
    }

    /// A handle that makes [`Watcher::next_batch`] return `None`.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.tx.clone())
    }

    /// (Re)watches `dir` recursively when it is a folder, as after it was created or
    /// replaced.
    fn rewatch(&mut self, dir: &Path) {
        let Some(inner) = self.inner.as_mut() else {
            return; // polling walks the folders anew each time
        };
        let _ = inner.unwatch(dir);
        if dir.is_dir() {
            if let Err(e) = inner.watch(dir, RecursiveMode::Recursive) {
                self.notices
                    .push(format!("not watching {}: {e}", dir.display()));
            }
        }
    }

    /// Blocks until the next batch of relevant changes; `None` once stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch: Option<Batch> = None;
        loop {
            let msg = match &batch {
                None => self.rx.recv().ok()?,
                Some(b) => {
                    let waited = b.first_event.elapsed();
                    if waited >= self.opts.max_wait {
                        return batch;
                    }
                    let wait = self.opts.quiet.min(self.opts.max_wait - waited);
                    match self.rx.recv_timeout(wait) {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Timeout) => return batch,
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
            };
            let event = match msg {
                Msg::Stop => return None,
                Msg::Fs(Err(e)) => {
                    self.notices.push(format!("watcher: {e}"));
                    continue;
                }
                Msg::Fs(Ok(e)) => e,
            };
            let relevant = self.relevant_paths(&event);
            if relevant.is_empty() {
                continue;
            }
            let b = batch.get_or_insert_with(|| Batch {
                paths: Vec::new(),
                first_event: Instant::now(),
            });
            for p in relevant {
                if !b.paths.contains(&p) {
                    b.paths.push(p);
                }
            }
        }
    }

    /// The paths of `event` that can change the site; re-establishes watches on
    /// folders that were created or replaced.
    fn relevant_paths(&mut self, event: &Event) -> Vec<PathBuf> {
        if event.need_rescan() {
            // The system dropped events: anything may have changed.
            return vec![self.roots.source.clone()];
        }
        if let EventKind::Access(_) = event.kind {
            // Opening and reading, by the build itself among others.
            return Vec::new();
        }
        let mut out = Vec::new();
        for p in &event.paths {
            match classify(&self.roots, p) {
                Relevance::Ignore => {}
                Relevance::Site => out.push(p.clone()),
                Relevance::Root(dir) => {
                    self.rewatch(&dir);
                    out.push(p.clone());
                }
            }
        }
        out
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.poll_stop.store(true, Ordering::SeqCst);
    }
}

/// Polling: each folder walked every interval, each file's modification time (to the
/// nanosecond where the file system keeps it) and size compared with the walk before.
/// (notify's PollWatcher keeps whole seconds, and misses a save made in the same second
/// as the change before it.)
mod poll {
    use super::*;
    use std::collections::HashMap;
    use std::time::SystemTime;

    type Snapshot = HashMap<PathBuf, (Option<SystemTime>, u64, bool)>;

    fn snapshot(roots: &[PathBuf]) -> Snapshot {
        let mut snap = Snapshot::new();
        for root in roots {
            for e in walkdir::WalkDir::new(root)
                .follow_links(true)
                .into_iter()
                .flatten()
            {
                if let Ok(m) = e.metadata() {
                    snap.insert(
                        e.path().to_path_buf(),
                        (m.modified().ok(), m.len(), m.is_dir()),
                    );
                }
            }
        }
        snap
    }

    /// Starts the polling thread; it sends an event per changed path to `tx`.
    pub(super) fn start(
        roots: Vec<PathBuf>,
        interval: Duration,
        tx: Sender<Msg>,
        stop: Arc<AtomicBool>,
    ) -> Result<()> {
        let mut before = snapshot(&roots);
        std::thread::Builder::new()
            .name("shale-serve-poll".into())
            .spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(interval);
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let now = snapshot(&roots);
                    let mut changed: Vec<(PathBuf, EventKind)> = Vec::new();
                    for (p, meta) in &now {
                        match before.get(p) {
                            None => changed.push((p.clone(), EventKind::Create(CreateKind::Any))),
                            Some(old) if old != meta && !meta.2 => {
                                changed.push((p.clone(), EventKind::Modify(ModifyKind::Any)))
                            }
                            _ => {}
                        }
                    }
                    for p in before.keys() {
                        if !now.contains_key(p) {
                            changed.push((p.clone(), EventKind::Remove(RemoveKind::Any)));
                        }
                    }
                    before = now;
                    for (p, kind) in changed {
                        if tx.send(Msg::Fs(Ok(Event::new(kind).add_path(p)))).is_err() {
                            return;
                        }
                    }
                }
            })
            .context("starting the polling thread")?;
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Relevance {
    Ignore,
    /// A file the site is built from.
    Site,
    /// One of the watched folders itself, created, removed or replaced.
    Root(PathBuf),
}

fn classify(roots: &Roots, path: &Path) -> Relevance {
    let name = path.file_name().unwrap_or_default();
    if is_editor_temp(name) {
        return Relevance::Ignore;
    }
    if let Ok(rel) = path.strip_prefix(&roots.source) {
        // Hidden files and folders of the source folder are never part of the site.
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Relevance::Ignore;
        }
        if rel.as_os_str().is_empty() {
            return Relevance::Root(roots.source.clone());
        }
        return Relevance::Site;
    }
    if path == roots.project.join("config.rb")
        || path == roots.project.join(crate::load::settings::FILE)
    {
        return Relevance::Site;
    }
    for dir in [&roots.templates, &roots.assets, &roots.locales] {
        if let Ok(rel) = path.strip_prefix(dir) {
            if rel.as_os_str().is_empty() {
                return Relevance::Root(dir.clone());
            }
            return Relevance::Site;
        }
    }
    Relevance::Ignore
}

/// Swap, backup, lock and probe files that editors write beside the file being saved.
pub fn is_editor_temp(name: &OsStr) -> bool {
    let n = name.to_string_lossy();
    n.ends_with('~')
        || n.starts_with(".#")
        || (n.starts_with('#') && n.ends_with('#'))
        || n == "4913"
        || n == ".DS_Store"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| n.ends_with(s))
        || n.starts_with(".goutputstream-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files() {
        for n in [
            ".index.html.md.swp",
            "index.html.md~",
            ".#index.html.md",
            "#index.html.md#",
            "4913",
            "index.html.md___jb_tmp___",
            "x.tmp",
            ".goutputstream-ABC123",
        ] {
            assert!(is_editor_temp(OsStr::new(n)), "{n}");
        }
        for n in [
            "index.html.md",
            "_errors.md",
            "logo.png",
            "screen.css",
            "4914",
        ] {
            assert!(!is_editor_temp(OsStr::new(n)), "{n}");
        }
    }

    #[test]
    fn classifies_paths() {
        let roots = Roots {
            source: "/p/source".into(),
            project: "/p".into(),
            templates: "/p/templates".into(),
            assets: "/p/assets".into(),
            locales: "/p/locales".into(),
        };
        let c = |p: &str| classify(&roots, Path::new(p));
        assert_eq!(c("/p/source/index.html.md"), Relevance::Site);
        assert_eq!(c("/p/source/includes/_errors.md"), Relevance::Site);
        assert_eq!(c("/p/source/images/a b.png"), Relevance::Site);
        assert_eq!(c("/p/source/.git/index"), Relevance::Ignore);
        assert_eq!(c("/p/source/.index.html.md.swp"), Relevance::Ignore);
        assert_eq!(c("/p/templates/layout.html"), Relevance::Site);
        assert_eq!(c("/p/assets/stylesheets/screen.css"), Relevance::Site);
        assert_eq!(c("/p/build/index.html"), Relevance::Ignore);
        assert_eq!(c("/p/README.md"), Relevance::Ignore);
        assert_eq!(c("/p/config.rb"), Relevance::Site);
        assert_eq!(c("/p/shale.yml"), Relevance::Site);
        assert_eq!(c("/p/templates/config.rb"), Relevance::Site);
        assert_eq!(c("/p/Gemfile"), Relevance::Ignore);
        assert_eq!(c("/p/templates"), Relevance::Root("/p/templates".into()));
        assert_eq!(c("/p/locales/pt.yml"), Relevance::Site);
        assert_eq!(c("/p/locales"), Relevance::Root("/p/locales".into()));
        assert_eq!(c("/p/source"), Relevance::Root("/p/source".into()));
    }

    fn wait_for(w: &mut Watcher, what: &str) -> Batch {
        let stop = w.stop_handle();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(10));
            stop.stop();
        });
        let b = w
            .next_batch()
            .unwrap_or_else(|| panic!("no batch for {what}"));
        drop(t);
        b
    }

    #[test]
    fn polling_sees_quick_successive_saves() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("source");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("index.html.md"), "# a").unwrap();
        let opts = WatchOptions {
            poll: true,
            poll_interval: Duration::from_millis(50),
            ..Default::default()
        };
        let mut w = Watcher::new(&src, opts).unwrap();
        let real = src.canonicalize().unwrap();
        for text in ["# b", "# c, longer", "# d, same size"] {
            std::fs::write(src.join("index.html.md"), text).unwrap();
            let b = wait_for(&mut w, text);
            assert_eq!(b.paths, vec![real.join("index.html.md")], "{text}");
        }
        std::fs::write(src.join(".hidden.swp"), "x").unwrap();
        std::fs::create_dir(d.path().join("assets")).unwrap();
        std::fs::write(d.path().join("assets/extra.css"), "x").unwrap();
        let b = wait_for(&mut w, "a new assets folder");
        assert!(
            b.paths.iter().any(|p| p.ends_with("assets/extra.css")),
            "{b:?}"
        );
        assert!(b.paths.iter().all(|p| !p.ends_with(".hidden.swp")), "{b:?}");
    }

    #[test]
    fn sees_saves_by_rename_and_new_folders() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("source");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("index.html.md"), "# a").unwrap();
        let mut w = Watcher::new(&src, WatchOptions::default()).unwrap();
        let real = src.canonicalize().unwrap();

        // An editor that saves by writing a temporary file and renaming it.
        std::fs::write(src.join(".index.html.md.swp"), "x").unwrap();
        std::fs::write(src.join("index.html.md.tmp"), "# b").unwrap();
        std::fs::rename(src.join("index.html.md.tmp"), src.join("index.html.md")).unwrap();
        let b = wait_for(&mut w, "a rename");
        assert!(b.paths.contains(&real.join("index.html.md")), "{b:?}");
        assert!(b
            .paths
            .iter()
            .all(|p| !is_editor_temp(p.file_name().unwrap())));

        // A templates folder created after the watch started is watched too.
        let t = d.path().join("templates");
        std::fs::create_dir(&t).unwrap();
        let _ = wait_for(&mut w, "the new folder");
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(t.join("layout.html"), "{{ content | safe }}").unwrap();
        let b = wait_for(&mut w, "a file in the new folder");
        assert!(
            b.paths.iter().any(|p| p.ends_with("templates/layout.html")),
            "{b:?}"
        );

        // Outside the watched folders: nothing.
        std::fs::create_dir(d.path().join("build")).unwrap();
        std::fs::write(d.path().join("build/index.html"), "x").unwrap();
        std::fs::write(src.join("new.html.md"), "# new").unwrap();
        let b = wait_for(&mut w, "a new page");
        assert_eq!(b.paths, vec![real.join("new.html.md")]);
    }
}
