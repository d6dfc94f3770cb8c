//! `split: h1`: a long page as one page per top-level section. The rendered page is cut
//! before each `h1` with an id but the first (what comes before the first `h1` stays
//! with it); every part is a [`RenderedPage`] of its own, in the page's folder:
//!
//! - the first part keeps the page's path (`index.html`); the others are named from
//!   the page's stem and their `h1`'s id made file-safe (`index-authentication.html`:
//!   ASCII letters, digits, `-` and `_` kept, other runs as one `-`; `index-part-3.html`
//!   when nothing is left; `-2`… when two parts would share a name);
//! - a link to an id of another part (`href="#errors"`) becomes `part.html#errors`;
//! - the layout ends each part with links to the previous and next ([`Split::link`]);
//! - each part's `toc` is its own entries (for `toc.json`); the layout shows the whole
//!   page's TOC on every part ([`Split::href`] gives each entry's link).
//!
//! Every id of the page is mapped to its part ([`Split::part_of`]), so that old links
//! (`index.html#errors`) still land: the first part carries the map
//! ([`Split::map_json`]) and sends the reader on to the right part.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::page::read::Piece;
use crate::page::toc::TocEntry;
use crate::page::RenderedPage;
use crate::util::html_scan::{self, CodeSpans};
use crate::util::url::{percent_decode, url_path};

/// How a page was split.
#[derive(Debug, Clone, Default)]
pub struct Split {
    /// The parts, in order.
    pub parts: Vec<PartRef>,
    /// The part each id of the page is on (ids decoded).
    pub part_of: HashMap<String, usize>,
    /// The whole page's TOC, which every part's sidebar shows.
    pub toc: Vec<TocEntry>,
}

/// One part of a split page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRef {
    /// Output path (`index.html`, `index-authentication.html`).
    pub out: String,
    /// The id and the text of the part's `h1`.
    pub id: String,
    pub title: String,
}

/// A link to a part, for the layout (escaped there).
#[derive(Debug, Clone, Serialize)]
pub struct PartLink {
    pub url: String,
    pub title: String,
}

/// The map the first part carries: the parts' file names, and the part of each id
/// that is not on the first part.
#[derive(Serialize)]
struct Map<'a> {
    parts: Vec<&'a str>,
    ids: std::collections::BTreeMap<&'a str, usize>,
}

impl Split {
    /// The part's file name, as a relative URL from the page's folder.
    pub fn file_url(&self, part: usize) -> String {
        let out = &self.parts[part].out;
        url_path(out.rsplit('/').next().unwrap_or(out))
    }

    /// The link, from part `from`, to the element with id `id` (decoded), written as
    /// `fragment` (`#id` as it is in an attribute): the fragment alone on the same
    /// part (or for an id the page does not have), else `part.html#id`.
    pub fn href(&self, from: usize, id: &str, fragment: &str) -> String {
        match self.part_of.get(id) {
            Some(&p) if p != from => format!("{}{fragment}", self.file_url(p)),
            _ => fragment.to_string(),
        }
    }

    /// The link to part `p` (`index-errors.html#errors`, to its `h1`) and its title.
    pub fn link(&self, p: usize) -> PartLink {
        PartLink {
            url: format!("{}#{}", self.file_url(p), self.parts[p].id),
            title: self.parts[p].title.clone(),
        }
    }

    /// The JSON map of ids to parts that the first part carries (ids on the first part
    /// left out).
    pub fn map_json(&self) -> String {
        let map = Map {
            parts: self
                .parts
                .iter()
                .map(|p| p.out.rsplit('/').next().unwrap_or(&p.out))
                .collect(),
            ids: self
                .part_of
                .iter()
                .filter(|(_, &p)| p > 0)
                .map(|(id, &p)| (id.as_str(), p))
                .collect(),
        };
        serde_json::to_string(&map).expect("strings serialize")
    }
}

/// Splits the rendered page written at `out` before each `h1` but the first; a page
/// with fewer than two `h1`s with ids comes back whole, with `None`.
pub fn split(page: RenderedPage, out: &str) -> (Option<Split>, Vec<RenderedPage>) {
    let cuts = cuts(&page);
    if cuts.len() < 2 {
        return (None, vec![page]);
    }
    let mut split = Split {
        parts: names(out, &cuts),
        part_of: HashMap::new(),
        toc: page.toc.clone(),
    };
    let starts: Vec<usize> = std::iter::once(0)
        .chain(cuts[1..].iter().map(|c| c.0))
        .collect();
    split.part_of = ids_by_part(&page.body, &page.code.ranges, &starts);
    let mut parts = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(page.body.len());
        parts.push(part(&page, &split, i, start..end));
    }
    let first = &mut parts[0];
    first.warnings = page.warnings;
    first.timings = page.timings;
    first.inputs = page.inputs;
    (Some(split), parts)
}

/// Each `h1` with an id that the TOC lists, outside code: its position, id and text.
fn cuts(page: &RenderedPage) -> Vec<(usize, String, String)> {
    let titles: HashMap<&str, &str> = page
        .toc
        .iter()
        .filter(|e| e.level == 1 && !e.id.is_empty())
        .map(|e| (e.id.as_str(), e.title.as_str()))
        .collect();
    let mut out: Vec<(usize, String, String)> = Vec::new();
    let mut seen = HashSet::new();
    let mut scan = html_scan::tags_skipping(&page.body, &page.code.ranges);
    while let Some((t, span)) = scan.next() {
        if let Some(k) = span {
            scan.jump(k);
            continue;
        }
        if t.closing || !t.is("h1") {
            continue;
        }
        let Some(id) = html_scan::attr(t.attrs, "id").map(html_scan::decode) else {
            continue;
        };
        if let Some(title) = titles.get(id.as_str()) {
            if seen.insert(id.clone()) {
                out.push((t.start, id, title.to_string()));
            }
        }
    }
    out
}

/// The parts' paths and titles: the first at `out`, the others beside it.
fn names(out: &str, cuts: &[(usize, String, String)]) -> Vec<PartRef> {
    let stem = out.strip_suffix(".html").unwrap_or(out);
    let mut taken: HashSet<String> = HashSet::from([out.to_string()]);
    let mut parts = Vec::with_capacity(cuts.len());
    for (i, (_, id, title)) in cuts.iter().enumerate() {
        let path = if i == 0 {
            out.to_string()
        } else {
            let mut slug = file_slug(id);
            if slug.is_empty() {
                slug = format!("part-{}", i + 1);
            }
            let mut path = format!("{stem}-{slug}.html");
            let mut n = 2;
            while taken.contains(&path) {
                path = format!("{stem}-{slug}-{n}.html");
                n += 1;
            }
            path
        };
        taken.insert(path.clone());
        parts.push(PartRef {
            out: path,
            id: id.clone(),
            title: title.clone(),
        });
    }
    parts
}

/// An id as a file name: ASCII letters, digits, `-` and `_`; other runs as one `-`.
fn file_slug(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Every id of the body (outside code) and the part it is on.
fn ids_by_part(body: &str, spans: &[Range<usize>], starts: &[usize]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut part = 0;
    let mut scan = html_scan::tags_skipping(body, spans);
    while let Some((t, span)) = scan.next() {
        if let Some(k) = span {
            scan.jump(k);
            continue;
        }
        while part + 1 < starts.len() && t.start >= starts[part + 1] {
            part += 1;
        }
        if t.closing {
            continue;
        }
        if let Some(id) = html_scan::attr(t.attrs, "id").filter(|id| !id.is_empty()) {
            out.entry(html_scan::decode(id)).or_insert(part);
        }
    }
    out
}

/// Part `i` of `page`, the body at `range`: links to other parts rewritten, the links
/// to the previous and next parts after it.
fn part(page: &RenderedPage, split: &Split, i: usize, range: Range<usize>) -> RenderedPage {
    let inside: Vec<&(Piece, Range<usize>)> = page
        .pieces
        .iter()
        .filter(|(_, r)| r.start < range.end && r.end > range.start)
        .collect();
    // the pieces' bounds in the part, found while its links are rewritten
    let bounds: Vec<usize> = inside
        .iter()
        .flat_map(|(_, r)| [r.start.max(range.start), r.end.min(range.end)])
        .collect();
    let (body, code, moved) = rewrite(page, split, i, range.clone(), &bounds);
    let pieces = inside
        .iter()
        .enumerate()
        .map(|(k, (p, _))| {
            let piece = Piece {
                label: p.label.clone(),
                text: String::new(), // lines of warnings: from the whole page's
                first_line: p.first_line,
                lines: Vec::new(),
            };
            (piece, moved[2 * k]..moved[2 * k + 1])
        })
        .collect();
    let mut front = page.front.clone();
    if i > 0 {
        front.title = format!("{} – {}", split.parts[i].title, page.front.title);
    }
    RenderedPage {
        front,
        body,
        code,
        toc: own_toc(&split.toc, split, i),
        warnings: Vec::new(),
        timings: Default::default(),
        pieces,
        inputs: Vec::new(),
        errors: Vec::new(), // checked on the whole page, before it is split
    }
}

/// The body at `range` with links to ids of other parts made `part.html#id`, its code
/// blocks (each one's text once), and where the positions `bounds` (in order, outside
/// code blocks) are in it.
fn rewrite(
    page: &RenderedPage,
    split: &Split,
    i: usize,
    range: Range<usize>,
    bounds: &[usize],
) -> (String, CodeSpans, Vec<usize>) {
    let html = &page.body;
    let mut body = String::with_capacity(range.len() + 256);
    let mut code = CodeSpans::default();
    let mut moved = Vec::with_capacity(bounds.len());
    let mut local: HashMap<u32, u32> = HashMap::new();
    let link = |v: &str| {
        let fragment = v.strip_prefix('#')?;
        let id = percent_decode(&html_scan::decode(fragment));
        let href = split.href(i, &id, v);
        (href != v).then_some(href)
    };
    // the text from `pos` to `end`, read up to each bound on its own
    let mut pos = range.start;
    let mut gap = |body: &mut String, pos: &mut usize, end: usize| {
        for &b in &bounds[moved.len()..] {
            if b > end {
                break;
            }
            push_rewritten(body, &html[*pos..b.max(*pos)], link);
            *pos = b.max(*pos);
            moved.push(body.len());
        }
        push_rewritten(body, &html[*pos..end], link);
        *pos = end;
    };
    let first = page.code.ranges.partition_point(|r| r.end <= range.start);
    for (k, r) in page.code.ranges.iter().enumerate().skip(first) {
        if r.start >= range.end {
            break;
        }
        gap(&mut body, &mut pos, r.start);
        let start = body.len();
        body.push_str(&html[r.clone()]);
        pos = r.end;
        code.ranges.push(start..body.len());
        let block = page.code.block[k];
        let next = code.texts.len() as u32;
        let n = *local.entry(block).or_insert(next);
        if n == next {
            code.texts.push(page.code.texts[block as usize].clone());
        }
        code.block.push(n);
    }
    gap(&mut body, &mut pos, range.end);
    (body, code, moved)
}

/// Appends `text` with the links `link` maps rewritten.
fn push_rewritten(body: &mut String, text: &str, link: impl Fn(&str) -> Option<String>) {
    match html_scan::rewrite_urls(text, link) {
        Some(new) => body.push_str(&new),
        None => body.push_str(text),
    }
}

/// The top-level entries of `toc` that are on part `i` (an entry without an id goes
/// with the one before it).
fn own_toc(toc: &[TocEntry], split: &Split, i: usize) -> Vec<TocEntry> {
    let mut part = 0;
    let mut out = Vec::new();
    for e in toc {
        if let Some(&p) = split.part_of.get(&e.id) {
            part = p;
        }
        if part == i {
            out.push(e.clone());
        }
    }
    out
}
