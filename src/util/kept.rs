//! What `shale serve` keeps of each part of a page body from one build to the next
//! ([`ByPart`]): a value computed from the part's HTML and its code blocks' ranges,
//! found again while the part is the same.

use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::Mutex;

/// Builds in a row that may leave an entry unused before it is forgotten.
pub const KEEP: u64 = 3;

/// Values kept by part (HTML and code ranges), forgotten after [`KEEP`] builds in a
/// row that did not use them.
#[derive(Debug)]
pub struct ByPart<V> {
    inner: Mutex<Inner<V>>,
}

#[derive(Debug)]
struct Inner<V> {
    build: u64,
    /// Hash of the part → (HTML, ranges, value, last build that used it).
    parts: std::collections::HashMap<u64, Vec<Entry<V>>>,
}

type Entry<V> = (String, Vec<Range<usize>>, V, u64);

impl<V> Default for ByPart<V> {
    fn default() -> Self {
        ByPart {
            inner: Mutex::new(Inner {
                build: 0,
                parts: Default::default(),
            }),
        }
    }
}

impl<V: Clone> ByPart<V> {
    /// The value of the part `html` (whose code blocks are at `spans`): kept, or made
    /// now by `make` and kept.
    pub fn get(&self, html: &str, spans: &[Range<usize>], make: impl FnOnce() -> V) -> V {
        let mut h = foldhash::fast::FixedState::default().build_hasher();
        html.hash(&mut h);
        spans.hash(&mut h);
        let hash = h.finish();
        {
            let mut g = self.lock();
            let build = g.build;
            if let Some(v) = g.parts.get_mut(&hash) {
                for (text, ranges, value, used) in v.iter_mut() {
                    if text == html && ranges == spans {
                        *used = build;
                        return value.clone();
                    }
                }
            }
        }
        let value = make();
        let mut g = self.lock();
        let build = g.build;
        let entry = (html.to_string(), spans.to_vec(), value.clone(), build);
        g.parts.entry(hash).or_default().push(entry);
        value
    }

    /// How many parts are kept.
    pub fn len(&self) -> usize {
        self.lock().parts.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Call before each build: forgets the parts the last [`KEEP`] builds did not use.
    pub fn begin_build(&self) {
        let mut g = self.lock();
        g.build += 1;
        let build = g.build;
        for v in g.parts.values_mut() {
            v.retain(|(_, _, _, used)| build.saturating_sub(*used) <= KEEP);
        }
        g.parts.retain(|_, v| !v.is_empty());
    }

    /// Call after a build that failed: it does not count.
    pub fn build_failed(&self) {
        let mut g = self.lock();
        g.build = g.build.saturating_sub(1);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The code ranges of the body that fall in `part`, relative to it, and the index of
/// the first of them among all (`spans` in order, `part` starting at or after the
/// ranges before `first`).
pub fn spans_in(spans: &[Range<usize>], first: usize, part: &Range<usize>) -> Vec<Range<usize>> {
    spans[first..]
        .iter()
        .take_while(|s| s.start < part.end)
        .map(|s| s.start - part.start..s.end - part.start)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_part_while_builds_use_it() {
        let k: ByPart<usize> = ByPart::default();
        let mut made = 0;
        let mut get = |html: &str, spans: &[Range<usize>]| {
            k.get(html, spans, || {
                made += 1;
                html.len()
            })
        };
        assert_eq!(get("<p>a</p>", &[]), 8);
        assert_eq!(get("<p>a</p>", &[]), 8);
        assert_eq!(
            get("<p>a</p>", std::slice::from_ref(&(0..1))),
            8,
            "other code ranges: another part"
        );
        assert_eq!(made, 2);
        for _ in 0..=KEEP {
            k.begin_build();
        }
        assert_eq!(k.len(), 0, "forgotten once unused for {} builds", KEEP + 1);
    }
}
