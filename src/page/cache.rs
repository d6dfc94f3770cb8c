//! What `shale serve` keeps from one build to the next, so that an edit costs about
//! what the edited file costs: the pieces of pages rendered as markdown ([`PartCache`])
//! and highlighted code blocks ([`HighlightCache`]).

use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::markdown::Part;
use crate::page::code::{FastMap, HighlightCache};
use crate::page::read::Piece;
use crate::util::html_scan::{self, CodeSpans, FoundHeading};
use crate::util::kept::{self, ByPart};
use crate::util::url::Resolver;

/// The caches of a `shale serve` session.
#[derive(Debug, Default)]
pub struct Cache {
    pub highlight: HighlightCache,
    pub parts: PartCache,
    /// The headings of each part of a body, for the TOC (`None`: a part that does not
    /// end clean, so the body is read at once).
    pub headings: ByPart<Option<Arc<Vec<FoundHeading>>>>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Call before each build: forgets what the last builds did not use.
    pub fn begin_build(&self) {
        self.highlight.begin_build();
        self.parts.begin_build();
        self.headings.begin_build();
    }

    /// Call after a build that failed: it does not count.
    pub fn build_failed(&self) {
        self.highlight.build_failed();
        self.parts.build_failed();
        self.headings.build_failed();
    }
}

impl Cache {
    /// The headings of a body made of `parts` (ranges), each part read on its own and
    /// kept: what [`html_scan::headings_skipping`] gives for the whole body.
    pub fn headings(
        &self,
        body: &str,
        code: &CodeSpans,
        parts: &[Range<usize>],
    ) -> Vec<FoundHeading> {
        let mut out = Vec::new();
        let mut first = 0;
        for range in parts {
            let spans = kept::spans_in(&code.ranges, first, range);
            let part = &body[range.clone()];
            let found = self.headings.get(part, &spans, || {
                let (found, clean) = html_scan::read_headings(part, &spans);
                clean.then(|| Arc::new(found))
            });
            match found {
                Some(found) => out.extend(found.iter().cloned()),
                None => return html_scan::headings_skipping(body, &code.ranges),
            }
            first += spans.len();
        }
        out
    }
}

/// Pieces of pages rendered as markdown, keyed by the resolver's key (how the page's
/// URLs resolve: the page's place and the site's files) and the piece's text: a piece
/// whose text did not change is not parsed again. Entries unused for
/// [`HighlightCache::KEEP`] builds in a row are forgotten.
#[derive(Debug, Default)]
pub struct PartCache {
    inner: Mutex<PartsInner>,
}

#[derive(Debug, Default)]
struct PartsInner {
    build: u64,
    /// Resolver key → text → the rendered part and the last build that used it.
    parts: FastMap<String, FastMap<String, (Arc<Part>, u64)>>,
}

impl PartCache {
    /// Each piece rendered with `resolver`, in parallel; those held, not again. A
    /// resolver without a key is never cached.
    pub fn parts(&self, pieces: &[Piece], resolver: &dyn Resolver) -> Vec<Arc<Part>> {
        let render = |p: &Piece| Arc::new(crate::markdown::render(&p.text, resolver));
        let Some(key) = resolver.key() else {
            return pieces.par_iter().map(render).collect();
        };
        let found: Vec<Option<Arc<Part>>> = {
            let mut g = self.lock();
            let build = g.build;
            let by_text = g.parts.get_mut(key);
            match by_text {
                None => vec![None; pieces.len()],
                Some(by_text) => pieces
                    .iter()
                    .map(|p| {
                        let (part, used) = by_text.get_mut(&p.text)?;
                        *used = build;
                        Some(part.clone())
                    })
                    .collect(),
            }
        };
        let missing: Vec<usize> = (0..pieces.len()).filter(|&i| found[i].is_none()).collect();
        let fresh: Vec<Arc<Part>> = missing.par_iter().map(|&i| render(&pieces[i])).collect();
        let mut g = self.lock();
        let build = g.build;
        let by_text = g.parts.entry(key.to_string()).or_default();
        for (&i, part) in missing.iter().zip(&fresh) {
            by_text.insert(pieces[i].text.clone(), (part.clone(), build));
        }
        drop(g);
        let mut fresh = fresh.into_iter();
        found
            .into_iter()
            .map(|p| p.unwrap_or_else(|| fresh.next().expect("one fresh part per miss")))
            .collect()
    }

    /// How many rendered pieces are held.
    pub fn len(&self) -> usize {
        self.lock().parts.values().map(|m| m.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn begin_build(&self) {
        let mut g = self.lock();
        g.build += 1;
        let build = g.build;
        for by_text in g.parts.values_mut() {
            by_text.retain(|_, (_, used)| build.saturating_sub(*used) <= HighlightCache::KEEP);
        }
        g.parts.retain(|_, by_text| !by_text.is_empty());
    }

    fn build_failed(&self) {
        let mut g = self.lock();
        g.build = g.build.saturating_sub(1);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PartsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
