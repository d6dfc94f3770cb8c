//! Highlighting a page's code blocks: in parallel, identical blocks once, and (for
//! `shale serve`) blocks highlighted by earlier builds taken from a cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::highlight;
use crate::markdown::Part;

/// Highlighted code blocks kept from one build to the next (`shale serve`), keyed by
/// the fence's `pre` class and the code: after an edit only new or changed blocks are
/// highlighted again. A block is forgotten once [`HighlightCache::KEEP`] successful
/// builds in a row have not used it, so the cache holds a few builds' blocks at most,
/// and a build of a half-saved (say, empty) file does not empty it.
#[derive(Debug, Default)]
pub struct HighlightCache {
    inner: Mutex<CacheInner>,
}

/// A fast hash with a random seed per process (code blocks are long keys).
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

#[derive(Debug, Default)]
struct CacheInner {
    /// Builds begun (failed ones not counted).
    build: u64,
    /// `pre` class → code → the highlighted block and the last build that used it.
    blocks: FastMap<String, FastMap<String, (Arc<str>, u64)>>,
}

impl HighlightCache {
    /// Builds in a row that may leave a block unused before it is forgotten.
    pub const KEEP: u64 = 3;

    pub fn new() -> HighlightCache {
        HighlightCache::default()
    }

    /// Call before each build: forgets the blocks the last [`Self::KEEP`] builds did
    /// not use.
    pub fn begin_build(&self) {
        let mut g = self.lock();
        g.build += 1;
        let build = g.build;
        for by_code in g.blocks.values_mut() {
            by_code.retain(|_, (_, used)| build.saturating_sub(*used) <= Self::KEEP);
        }
        g.blocks.retain(|_, by_code| !by_code.is_empty());
    }

    /// Call after a build that failed: it may have stopped before using the blocks, so
    /// it does not count.
    pub fn build_failed(&self) {
        let mut g = self.lock();
        g.build = g.build.saturating_sub(1);
    }

    /// How many highlighted blocks are held.
    pub fn len(&self) -> usize {
        self.lock().blocks.values().map(|m| m.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A page's code blocks highlighted.
pub struct Highlighted {
    /// The HTML of each distinct block.
    pub html: Vec<Arc<str>>,
    /// Per part, the distinct block of each of its blocks (an index into `html`).
    pub index: Vec<Vec<usize>>,
    /// How many blocks were highlighted (not taken from the cache).
    pub highlighted: usize,
}

/// A block to highlight: its fence and its code.
type Job<'a> = (&'a highlight::Fence, &'a str);

/// Highlights every code block of the page, in parallel; identical blocks once, and
/// blocks found in `cache` not at all.
pub fn highlight_all(parts: &[&Part], cache: Option<&HighlightCache>) -> Highlighted {
    let (jobs, index) = distinct_blocks(parts);
    let Some(cache) = cache else {
        let all: Vec<usize> = (0..jobs.len()).collect();
        let html = render_grouped(&jobs, &all, &render);
        let highlighted = jobs.len();
        return Highlighted {
            html,
            index,
            highlighted,
        };
    };
    let found = cache.find(&jobs);
    let missing: Vec<usize> = (0..jobs.len()).filter(|&i| found[i].is_none()).collect();
    let fresh = render_grouped(&jobs, &missing, &render);
    cache.insert(missing.iter().map(|&i| jobs[i]).zip(&fresh));
    let highlighted = fresh.len();
    let mut fresh = fresh.into_iter();
    let html = found
        .into_iter()
        .map(|h| h.unwrap_or_else(|| fresh.next().expect("one fresh block per miss")))
        .collect();
    Highlighted {
        html,
        index,
        highlighted,
    }
}

/// The distinct blocks of the page (by `pre` class and code), and per part the
/// distinct block of each of its blocks.
fn distinct_blocks<'p>(parts: &[&'p Part]) -> (Vec<Job<'p>>, Vec<Vec<usize>>) {
    let mut unique: FastMap<(&str, &str), usize> = FastMap::default();
    let mut jobs: Vec<Job<'p>> = Vec::new();
    // Measurement only (docs/performance.md): highlight every block, even repeats.
    let no_dedup = std::env::var_os("SHALE_NO_DEDUP").is_some();
    let index = parts
        .iter()
        .map(|p| {
            p.code_blocks
                .iter()
                .map(|b| {
                    if no_dedup {
                        jobs.push((&b.fence, b.code.as_str()));
                        return jobs.len() - 1;
                    }
                    *unique
                        .entry((b.fence.pre_class.as_str(), b.code.as_str()))
                        .or_insert_with(|| {
                            jobs.push((&b.fence, b.code.as_str()));
                            jobs.len() - 1
                        })
                })
                .collect()
        })
        .collect();
    (jobs, index)
}

/// One block highlighted.
fn render(fence: &highlight::Fence, code: &str) -> Arc<str> {
    let mut out = String::with_capacity(code.len() * 3 + 100);
    highlight::render_block(fence, code, &mut out);
    out.into()
}

impl HighlightCache {
    /// The cached HTML of each job (marked used by this build), `None` for the others.
    fn find(&self, jobs: &[Job<'_>]) -> Vec<Option<Arc<str>>> {
        let mut g = self.lock();
        let build = g.build;
        jobs.iter()
            .map(|(f, code)| {
                let (h, used) = g.blocks.get_mut(f.pre_class.as_str())?.get_mut(*code)?;
                *used = build;
                Some(h.clone())
            })
            .collect()
    }

    /// Adds blocks highlighted by this build.
    fn insert<'a>(&self, blocks: impl Iterator<Item = (Job<'a>, &'a Arc<str>)>) {
        let mut g = self.lock();
        let build = g.build;
        for ((f, code), h) in blocks {
            g.blocks
                .entry(f.pre_class.clone())
                .or_default()
                .insert(code.to_string(), (h.clone(), build));
        }
    }
}

/// Renders the jobs at `which`, in parallel, returning their HTML in the order of
/// `which`. Work is handed out as tasks of blocks of one language (at most
/// [`TASK_BYTES`] of code each): syntect compiles a syntax's regexes on its first use,
/// 0.5–5 ms per language, and a small page would otherwise pay for that on every
/// thread; a task per language lets two threads compile different languages at once.
fn render_grouped(
    jobs: &[Job<'_>],
    which: &[usize],
    render: &(impl Fn(&highlight::Fence, &str) -> Arc<str> + Sync),
) -> Vec<Arc<str>> {
    let mut order: Vec<usize> = (0..which.len()).collect();
    order.sort_by_key(|&k| jobs[which[k]].0.lexer);
    let mut tasks: Vec<&[usize]> = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (n, &k) in order.iter().enumerate() {
        let (fence, code) = jobs[which[k]];
        if n > start && (bytes >= TASK_BYTES || fence.lexer != jobs[which[order[start]]].0.lexer) {
            tasks.push(&order[start..n]);
            (start, bytes) = (n, 0);
        }
        bytes += code.len();
    }
    if start < order.len() {
        tasks.push(&order[start..]);
    }
    let done: Vec<Vec<Arc<str>>> = tasks
        .par_iter()
        .with_max_len(1)
        .map(|task| {
            task.iter()
                .map(|&k| {
                    let (f, code) = jobs[which[k]];
                    render(f, code)
                })
                .collect()
        })
        .collect();
    let mut out: Vec<Option<Arc<str>>> = vec![None; which.len()];
    for (&k, h) in order.iter().zip(done.into_iter().flatten()) {
        out[k] = Some(h);
    }
    out.into_iter()
        .map(|h| h.expect("every job rendered"))
        .collect()
}

/// Code per highlighting task, at most (a task takes about 15 ms at syntect's speed).
const TASK_BYTES: usize = 8 << 10;
