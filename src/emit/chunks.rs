//! Long pages are laid out lazily: the body is cut into chunks, each a
//! `<div class="content chunk">` that the stylesheet gives `content-visibility: auto`,
//! so that the browser styles, lays out and paints only the chunks near the viewport.
//! A 29 MB page (10 MB of markdown) then loads in seconds instead of half a minute and
//! switches language tabs in ~100 ms instead of seconds (docs/performance.md, "Long pages").
//!
//! A chunk is a block formatting context of its own (floats and margins stay inside),
//! so the cuts are where that changes nothing in Slate's layout: right after an `h2`
//! that ends a run of headings. The `h2` clears the floated code column above it, so no
//! float crosses the cut; its bottom margin is 0, so the next element's top margin is
//! the whole gap in both layouts, and a float after it starts at its bottom in both.
//! After an `h1` (bottom margin 21 px) only before a `p` or a `table`: in the flow, with
//! no top margin, so the `h1`'s margin is the whole gap in both.
//! No cut before an element a heading follows (`div:first-child + h1` would match);
//! sibling rules of Slate's stylesheet (`h1 + h2`, `h1 + div + h2`, `pre + h2`) never
//! span such a cut. The chunks keep the class `content`, so that a theme's
//! `.content > p` rules still match.
//!
//! A chunk off screen has the height the build estimates for it (`contain-intrinsic-size`)
//! until the reader scrolls to it; the browser then remembers its real height.

use std::borrow::Cow;
use std::ops::Range;

use crate::util::html_scan::{self, CodeSpans};

/// With `lazy_layout: auto`, a page body of this many bytes or more is cut into chunks
/// (unchunked, a tab switch took a median of 128 ms with 0.9 MB of HTML and 344 ms
/// with 2.9 MB, on the CI machines).
pub const AUTO_FROM: usize = 512 * 1024;

/// A chunk is cut at the first place allowed once it has this many bytes, or a 32nd
/// of the body on a shorter page (at least [`MIN_CHUNK_BYTES`]): ~1,200 chunks on a
/// 29 MB page, where 11,700 (one per heading) made the browser's own bookkeeping of
/// them the slow part of a tab switch.
const CHUNK_BYTES: usize = 24 * 1024;
const MIN_CHUNK_BYTES: usize = 1024;

/// What a top-level element of the body is, for the cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    H1,
    /// Clears the floats above it; no bottom margin.
    H2,
    /// `p` or `table`: in the flow, no top margin.
    Flat,
    /// Another block of the prose column (`ul`, `aside`, `hr`…); with `Flat`, counted
    /// for the estimate.
    Prose,
    Other,
}

/// A top-level element: its byte range in the body and its kind.
#[derive(Debug, Clone, Copy)]
struct Element {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// The body cut into chunks, as the pieces to write one after the other (the body's
/// own text borrowed, not copied: it can be tens of megabytes), or `None` when it has
/// no place to cut (or tags that do not balance, which would make the browser's
/// elements differ from the scan's). `languages` is the number of language tabs (one
/// block of each is shown).
pub fn chunk<'a>(body: &'a str, code: &CodeSpans, languages: usize) -> Option<Vec<Cow<'a, str>>> {
    let elements = top_level(body, code)?;
    let min = (body.len() / 32).clamp(MIN_CHUNK_BYTES, CHUNK_BYTES);
    let cuts = cuts(&elements, min);
    if cuts.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(3 * (cuts.len() + 1));
    let (mut from, mut next_block) = (0, 0);
    let mut prose = elements
        .iter()
        .filter(|e| matches!(e.kind, Kind::Flat | Kind::Prose))
        .map(|e| e.start)
        .peekable();
    for at in cuts.into_iter().chain(std::iter::once(body.len())) {
        let mut blocks = 0;
        while prose.next_if(|&p| p < at).is_some() {
            blocks += 1;
        }
        let height = estimate(from..at, blocks, code, &mut next_block, languages);
        out.push(Cow::Owned(format!(
            "<div class=\"content chunk\" style=\"contain-intrinsic-size:auto {height}px\">"
        )));
        out.push(Cow::Borrowed(&body[from..at]));
        out.push(Cow::Borrowed("</div>\n"));
        from = at;
    }
    Some(out)
}

/// The top-level elements of `body`, in order; `None` when the tags do not balance.
fn top_level(body: &str, code: &CodeSpans) -> Option<Vec<Element>> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = (0, Kind::Other);
    let mut scan = html_scan::tags_skipping(body, &code.ranges);
    while let Some((t, span)) = scan.next() {
        if let Some(k) = span {
            scan.jump(k);
            if depth == 0 {
                let r = &code.ranges[k];
                out.push(Element {
                    start: r.start,
                    end: r.end,
                    kind: Kind::Other,
                });
            }
            continue;
        }
        let void = VOID.iter().any(|v| t.is(v))
            || (!t.closing && b[t.end - 1] == b'>' && b[t.end - 2] == b'/');
        if void {
            if depth == 0 {
                out.push(Element {
                    start: t.start,
                    end: t.end,
                    kind: kind_of(&t),
                });
            }
        } else if t.closing {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                out.push(Element {
                    start: open.0,
                    end: t.end,
                    kind: open.1,
                });
            }
        } else {
            if depth == 0 {
                open = (t.start, kind_of(&t));
            }
            depth += 1;
        }
    }
    (depth == 0 && !scan.ran_off()).then_some(out)
}

fn kind_of(t: &html_scan::TagRef<'_>) -> Kind {
    if t.is("h1") {
        Kind::H1
    } else if t.is("h2") {
        Kind::H2
    } else if t.is("p") || t.is("table") {
        Kind::Flat
    } else if ["ul", "ol", "aside", "dl", "hr"].iter().any(|n| t.is(n)) {
        Kind::Prose
    } else {
        Kind::Other
    }
}

/// Where to cut: after an `h2` that ends a run of headings, or after an `h1` before a
/// `p` or a `table`, before an element that no heading follows, once the chunk has
/// `min` bytes.
fn cuts(elements: &[Element], min: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut from = 0;
    for w in elements.windows(3) {
        let (before, at, after) = (w[0], w[1], w[2]);
        let after_heading = match before.kind {
            Kind::H2 => !matches!(at.kind, Kind::H1 | Kind::H2),
            // the `h1`'s bottom margin stays above the cut: what follows must have none
            Kind::H1 => at.kind == Kind::Flat,
            _ => false,
        };
        if after_heading && !matches!(after.kind, Kind::H1 | Kind::H2) && at.start - from >= min {
            cuts.push(at.start);
            from = at.start;
        }
        debug_assert!(before.end <= at.start);
    }
    cuts
}

/// The height, in CSS pixels at Slate's desktop width, the chunk at `range` of the body
/// with `blocks` blocks of prose is estimated to have, from its bytes of prose, its
/// blocks and its lines of code shown (one language's of `languages`). Only for the
/// scroll bar until the chunk is shown: the figures are a least-squares fit to the
/// heights Chromium gave the chunks of the sample, the corpus pages and
/// tests/fixtures/lazy (estimate / real height: 0.77, 0.97 and 1.18 at the 10th, 50th
/// and 90th percentiles). `next` is the first code block not yet counted.
fn estimate(
    range: Range<usize>,
    blocks: usize,
    code: &CodeSpans,
    next: &mut usize,
    languages: usize,
) -> u32 {
    let (mut code_bytes, mut lines) = (0usize, 0usize);
    while let Some(r) = code.ranges.get(*next).filter(|r| r.start < range.end) {
        if r.start >= range.start {
            code_bytes += r.len().min(range.end - r.start);
            lines += code.texts[code.block[*next] as usize].lines().count();
        }
        *next += 1;
    }
    let prose = (range.len() - code_bytes) as f64;
    let lines = lines as f64 / languages.max(1) as f64;
    (PX_PER_BYTE * prose + PX_PER_BLOCK * blocks as f64 + PX_PER_CODE_LINE * lines).round() as u32
}

const PX_PER_BYTE: f64 = 0.34;
const PX_PER_BLOCK: f64 = 41.0;
const PX_PER_CODE_LINE: f64 = 11.6;

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<(Kind, &str)> {
        top_level(body, &CodeSpans::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.kind, &body[e.start..e.end]))
            .collect()
    }

    #[test]
    fn reads_the_top_level_elements() {
        let body = "<h1 id='a'>A</h1><p>x <b>y</b><br></p>\n<hr/><div class=\"highlight\"><pre>q</pre></div><ul><li>z</li></ul><img src=x>";
        let k: Vec<Kind> = kinds(body).into_iter().map(|e| e.0).collect();
        use Kind::*;
        assert_eq!(k, [H1, Flat, Prose, Other, Prose, Other]);
        assert_eq!(kinds(body)[1].1, "<p>x <b>y</b><br></p>");
    }

    #[test]
    fn unbalanced_tags_are_not_cut() {
        assert!(top_level("<div><p>a</p>", &CodeSpans::default()).is_none());
        assert!(top_level("<p>a</p></div><p>b</p>", &CodeSpans::default()).is_none());
        assert!(top_level("<p>a<!-- open", &CodeSpans::default()).is_none());
    }

    fn page(sections: usize) -> String {
        let filler = "<p>".to_string() + &"word ".repeat(CHUNK_BYTES / 5) + "</p>\n";
        let mut s = String::new();
        for i in 0..sections {
            s += &format!("<h1 id='s{i}'>S</h1>\n<h2 id='t{i}'>T</h2>\n{filler}<aside>n</aside>\n");
        }
        s
    }

    #[test]
    fn cuts_after_heading_runs_only() {
        let body = page(4);
        let out = chunk(&body, &CodeSpans::default(), 1).unwrap().concat();
        // the first section is long enough, so a cut before each later section's `p`
        assert_eq!(out.matches("<div class=\"content chunk\"").count(), 4);
        // nothing lost, nothing moved
        let back = out
            .split('\n')
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            back.contains("</h2>\n</div>\n<div class=\"content chunk\""),
            "a chunk ends with the heading run"
        );
        let stripped: String = out
            .split("<div class=\"content chunk\"")
            .map(|c| c.split_once('>').map_or(c, |x| x.1))
            .collect::<String>()
            .replace("</div>\n", "");
        assert_eq!(stripped, body);
    }

    #[test]
    fn no_cut_before_an_element_a_heading_follows() {
        // `div:first-child + h1` would match; an `h1` has a bottom margin
        let filler = "<p>".to_string() + &"word ".repeat(CHUNK_BYTES / 5) + "</p>\n";
        let body = format!(
            "{filler}<h2 id='a'>A</h2><div>x</div><h1 id='b'>B</h1><ul><li>y</li></ul>{filler}"
        );
        assert_eq!(chunk(&body, &CodeSpans::default(), 1), None);
    }

    #[test]
    fn small_bodies_are_one_chunk() {
        assert_eq!(
            chunk(
                "<h1>A</h1><p>x</p><h2>B</h2><p>y</p><p>z</p>",
                &CodeSpans::default(),
                1
            ),
            None
        );
    }
}
