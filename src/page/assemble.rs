//! A page from its pieces: each rendered as markdown (or taken from the [`Cache`]),
//! ids made unique across the page, checked, code highlighted, joined into the body,
//! the TOC read back.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::error::Located;
use crate::load::frontmatter::FrontMatter;
use crate::markdown::{slug, Item, Part};
use crate::page::cache::Cache;
use crate::page::check;
use crate::page::code::{highlight_all, Highlighted};
use crate::page::read::{Piece, ReadPage};
use crate::page::toc::{self, TocEntry};
use crate::util::html_scan::{self, CodeSpans};
use crate::util::timing::Timings;
use crate::util::url::Resolver;
use crate::Diagnostic;

/// A page ready for the layout.
#[derive(Debug)]
pub struct RenderedPage {
    pub front: FrontMatter,
    /// HTML of the content column: the page's markdown, then each include.
    pub body: String,
    /// Where the code blocks are in `body`, and their text.
    pub code: CodeSpans,
    pub toc: Vec<TocEntry>,
    pub warnings: Vec<Diagnostic>,
    /// Where the time went (read, markdown, highlight, assembly, TOC).
    pub timings: Timings,
    /// The pieces the body was made of, and the range of `body` each one wrote.
    pub pieces: Vec<(Piece, Range<usize>)>,
    /// The page file, its includes and partials, as read.
    pub inputs: Vec<PathBuf>,
    /// What the page cannot be built with: a custom heading id that is not one, or
    /// that repeats another id of the page.
    pub errors: Vec<Located>,
}

impl RenderedPage {
    /// Where `url`, written in the body at byte `at`, is in the sources: the piece that
    /// wrote that part of the body, and the line of the first place its text has the
    /// URL (as written, or without the `../` or `/` the resolver may have added); line
    /// 0 when the text does not have it.
    pub fn locate(&self, at: usize, url: &str) -> Option<(&str, usize)> {
        let (piece, _) = self.pieces.iter().find(|(_, r)| r.contains(&at))?;
        let forms = [
            url,
            url.trim_start_matches("../"),
            url.trim_start_matches('/'),
        ];
        let line = forms
            .iter()
            .filter(|f| !f.is_empty())
            .find_map(|f| piece.text.find(f))
            .map_or(0, |i| piece.line(piece.text[..i].matches('\n').count() + 1));
        Some((&piece.label, line))
    }
}

/// Assembles the page `read`: its pieces rendered (those `cache` has, not again),
/// ids made unique, checks run, code highlighted, the body joined, the TOC read back.
pub fn assemble(read: ReadPage, resolver: &dyn Resolver, cache: Option<&Cache>) -> RenderedPage {
    let ReadPage {
        front,
        pieces,
        mut warnings,
        inputs,
    } = read;
    let mut timings = Timings::default();
    let t = Instant::now();
    let parts = parse(&pieces, resolver, cache);
    let parts: Vec<&Part> = parts.iter().map(|p| &**p).collect();
    let ids = PageIds::new(&parts);
    let errors = id_errors(&pieces, &parts);
    warnings.extend(part_warnings(&pieces, &parts));
    warnings.extend(ids.warnings(&pieces, &parts));
    warnings.extend(checks(&front, &pieces, &parts, &ids, resolver));
    let t2 = Instant::now();
    timings.markdown += t2 - t;
    let code = highlight_all(&parts, cache.map(|c| &c.highlight));
    let t = Instant::now();
    timings.highlight += t - t2;
    timings.blocks = parts.iter().map(|p| p.code_blocks.len()).sum();
    timings.unique_blocks = code.html.len();
    timings.highlighted_blocks = code.highlighted;
    timings.languages = parts
        .iter()
        .flat_map(|p| p.code_blocks.iter().map(|b| b.fence.lexer))
        .collect();
    let (body, spans, ranges) = join(&parts, &ids, &code);
    let t2 = Instant::now();
    timings.assembly += t2 - t;
    let headings = match cache {
        Some(c) => c.headings(&body, &spans, &ranges),
        None => html_scan::headings_skipping(&body, &spans.ranges),
    };
    let toc = toc::build(headings);
    timings.toc += t2.elapsed();
    RenderedPage {
        front,
        body,
        code: spans,
        toc,
        warnings,
        timings,
        pieces: pieces.into_iter().zip(ranges).collect(),
        inputs,
        errors,
    }
}

/// The parts' errors, and each custom id (`{#id}`) that repeats another id of the page
/// (a heading's, or one written in raw HTML), at the custom heading.
fn id_errors(pieces: &[Piece], parts: &[&Part]) -> Vec<Located> {
    let mut out = Vec::new();
    for (part, piece) in parts.iter().zip(pieces) {
        for e in &part.errors {
            out.push(Located::new(
                &piece.label,
                piece.line(e.line),
                e.message.clone(),
            ));
        }
    }
    if !parts.iter().any(|p| p.headings.iter().any(|h| h.custom)) {
        return out;
    }
    // every heading id → where its headings are, in page order
    let mut places: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for (part, piece) in parts.iter().zip(pieces) {
        for h in &part.headings {
            let at = (piece.label.as_str(), piece.line(h.line));
            places.entry(h.slate_id.as_str()).or_default().push(at);
        }
    }
    let raw: HashSet<&str> = parts
        .iter()
        .flat_map(|p| p.raw_ids.iter().map(String::as_str))
        .collect();
    for (part, piece) in parts.iter().zip(pieces) {
        for h in part.headings.iter().filter(|h| h.custom) {
            let here = (piece.label.as_str(), piece.line(h.line));
            let other = places[h.slate_id.as_str()].iter().find(|&&at| at != here);
            let what = match other {
                Some((file, line)) => format!("the id of the heading at {file}:{line}"),
                None if raw.contains(h.slate_id.as_str()) => {
                    "an `id` written in the page's HTML".to_string()
                }
                None => continue,
            };
            out.push(
                Located::new(
                    here.0,
                    here.1,
                    format!("the custom id `{{#{}}}` repeats {what}", h.slate_id),
                )
                .hint("give this heading another id: ids are unique in a page"),
            );
        }
    }
    out.dedup();
    out
}

/// Each piece rendered as markdown, in parallel; with a cache, only the pieces it does
/// not have.
fn parse(pieces: &[Piece], resolver: &dyn Resolver, cache: Option<&Cache>) -> Vec<Arc<Part>> {
    use rayon::prelude::*;
    match cache {
        Some(c) => c.parts.parts(pieces, resolver),
        None => pieces
            .par_iter()
            .map(|p| Arc::new(crate::markdown::render(&p.text, resolver)))
            .collect(),
    }
}

/// The markdown's own warnings, at the lines of the files.
fn part_warnings(pieces: &[Piece], parts: &[&Part]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (part, piece) in parts.iter().zip(pieces) {
        for w in &part.warnings {
            out.push(Diagnostic::new(
                &piece.label,
                piece.line(w.line),
                w.message.clone(),
            ));
        }
    }
    out
}

/// The ids of a page: Slate's, with later repeats renamed, and those of raw HTML.
struct PageIds {
    /// Per heading of the page, in order: its new id when Slate's repeats an earlier one.
    renamed: Vec<Option<String>>,
    /// Every `id` written in raw HTML.
    raw: HashSet<String>,
}

impl PageIds {
    /// Ids unique in the page: Slate's first, a fresh one for later repeats. No id is
    /// copied (a page may have a million), except those renamed.
    fn new(parts: &[&Part]) -> PageIds {
        let mut raw = HashSet::new();
        for p in parts {
            raw.extend(p.raw_ids.iter().cloned());
        }
        let slate_ids: Vec<&str> = parts
            .iter()
            .flat_map(|p| p.headings.iter().map(|h| h.slate_id.as_str()))
            .collect();
        let renamed = slug::dedupe_page_ids(&slate_ids, &raw);
        PageIds { renamed, raw }
    }

    /// The final id of each heading, part by part.
    fn per_part<'p>(&'p self, parts: &'p [&'p Part]) -> impl Iterator<Item = Vec<&'p str>> + 'p {
        let mut renamed = self.renamed.iter();
        parts.iter().map(move |p| {
            p.headings
                .iter()
                .map(|h| match renamed.next() {
                    Some(Some(new)) => new.as_str(),
                    _ => h.slate_id.as_str(),
                })
                .collect()
        })
    }

    /// A warning for each renamed heading.
    fn warnings(&self, pieces: &[Piece], parts: &[&Part]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut renamed = self.renamed.iter();
        for (part, piece) in parts.iter().zip(pieces) {
            for h in &part.headings {
                if let Some(Some(new)) = renamed.next() {
                    out.push(Diagnostic::new(
                        &piece.label,
                        piece.line(h.line),
                        format!("heading id `{}` is already used on this page; this heading gets `{new}` (Slate would repeat the id)", h.slate_id),
                    ));
                }
            }
        }
        out
    }
}

/// Links, anchors, tabs and fences: warnings.
fn checks(
    front: &FrontMatter,
    pieces: &[Piece],
    parts: &[&Part],
    ids: &PageIds,
    resolver: &dyn Resolver,
) -> Vec<Diagnostic> {
    let origins: Vec<check::Origin> = pieces
        .iter()
        .map(|p| check::Origin {
            label: &p.label,
            first_line: p.first_line,
            lines: &p.lines,
        })
        .collect();
    // Every id of the page, for links to `#anchor` (when there is one).
    let mut all_ids: HashSet<&str> = HashSet::new();
    if parts
        .iter()
        .any(|p| p.links.iter().any(|l| l.url.starts_with('#')))
    {
        all_ids.extend(ids.raw.iter().map(String::as_str));
        all_ids.extend(ids.per_part(parts).flatten());
    }
    let mut out = check::links(parts, &origins, &all_ids, resolver);
    out.extend(check::code(front, &pieces[0].label, parts, &origins));
    out
}

/// The page body: each part's HTML, headings with their final ids, code blocks
/// highlighted; where the code blocks are; and the range each part wrote.
fn join(
    parts: &[&Part],
    ids: &PageIds,
    code: &Highlighted,
) -> (String, CodeSpans, Vec<Range<usize>>) {
    let final_ids: Vec<Vec<&str>> = ids.per_part(parts).collect();
    let size: usize = parts
        .iter()
        .zip(&code.index)
        .zip(&final_ids)
        .flat_map(|((part, index), ids)| {
            part.items.iter().map(move |item| match item {
                Item::Html(h) => h.len(),
                Item::Heading(i) => part.headings[*i].html.len() + ids[*i].len() + 20,
                Item::Code(i) => code.html[index[*i]].len(),
            })
        })
        .sum();
    let mut body = String::with_capacity(size);
    let mut spans = CodeSpans::default();
    let mut ranges = Vec::with_capacity(parts.len());
    // Distinct block → its index in `spans.texts`, filled as blocks are first written.
    let mut text_of: Vec<Option<u32>> = vec![None; code.html.len()];
    for ((part, index), ids) in parts.iter().zip(&code.index).zip(&final_ids) {
        let start = body.len();
        for item in &part.items {
            match item {
                Item::Html(h) => body.push_str(h),
                Item::Heading(i) => {
                    let h = &part.headings[*i];
                    let level = char::from(b'0' + h.level);
                    body.push_str("<h");
                    body.push(level);
                    body.push_str(" id='");
                    body.push_str(ids[*i]);
                    body.push_str("'>");
                    body.push_str(&h.html);
                    body.push_str("</h");
                    body.push(level);
                    body.push('>');
                }
                Item::Code(i) => {
                    let u = index[*i];
                    let t = *text_of[u].get_or_insert_with(|| {
                        spans.texts.push(part.code_blocks[*i].code.clone());
                        spans.texts.len() as u32 - 1
                    });
                    let start = body.len();
                    body.push_str(&code.html[u]);
                    spans.ranges.push(start..body.len());
                    spans.block.push(t);
                }
            }
        }
        ranges.push(start..body.len());
    }
    (body, spans, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::code::HighlightCache;
    use crate::util::url::KeepUrls;

    fn read(md: &str) -> ReadPage {
        ReadPage {
            front: FrontMatter::default(),
            pieces: vec![Piece::plain("index.html.md".into(), md.into(), 1)],
            warnings: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// The page of `md` alone, with no cache.
    fn render_markdown(md: &str) -> RenderedPage {
        assemble(read(md), &KeepUrls, None)
    }

    /// One build of `md` with `cache`, as `shale serve` runs it; returns how many blocks
    /// were highlighted rather than taken from the cache.
    fn build_with(md: &str, cache: &Cache) -> usize {
        cache.begin_build();
        let page = assemble(read(md), &KeepUrls, Some(cache));
        assert_eq!(
            page.body,
            render_markdown(md).body,
            "cached blocks give the same page"
        );
        page.timings.highlighted_blocks
    }

    const TWO: &str = "# A\n\n```ruby\nputs 1\n```\n\n```python\nprint(2)\n```\n";

    #[test]
    fn cache_highlights_only_new_blocks() {
        let c = Cache::new();
        assert_eq!(build_with(TWO, &c), 2);
        assert_eq!(build_with(TWO, &c), 0);
        let edited = format!("{TWO}\nprose\n\n```ruby\nputs 3\n```\n");
        assert_eq!(build_with(&edited, &c), 1);
        assert_eq!(c.highlight.len(), 3);
    }

    #[test]
    fn cache_survives_an_empty_save_and_failed_builds() {
        let c = Cache::new();
        assert_eq!(build_with(TWO, &c), 2);
        // An editor truncates the file, the watcher builds the empty page...
        assert_eq!(build_with("", &c), 0);
        // ...and builds that fail before highlighting do not age the blocks.
        for _ in 0..10 {
            c.begin_build();
            c.build_failed();
        }
        assert_eq!(build_with(TWO, &c), 0, "nothing highlighted again");
    }

    #[test]
    fn cache_forgets_blocks_unused_for_several_builds() {
        let c = Cache::new();
        build_with(TWO, &c);
        for _ in 0..HighlightCache::KEEP {
            build_with("# Empty\n", &c);
        }
        assert_eq!(c.highlight.len(), 2, "kept while recent");
        build_with("# Empty\n", &c);
        assert_eq!(
            c.highlight.len(),
            0,
            "forgotten after {} unused builds",
            HighlightCache::KEEP + 1
        );
    }

    /// Keeps URLs, under a key (so that the cache keeps what it renders).
    struct Keyed(&'static str);
    impl Resolver for Keyed {
        fn image(&self, _: &str) -> Option<String> {
            None
        }
        fn key(&self) -> Option<&str> {
            Some(self.0)
        }
    }

    #[test]
    fn an_unchanged_piece_is_not_parsed_again() {
        let c = Cache::new();
        let pieces = |second: &str| ReadPage {
            front: FrontMatter::default(),
            pieces: vec![
                Piece::plain("a.md".into(), "# A\n\nSame [link](#b).\n".into(), 1),
                Piece::plain("b.md".into(), second.into(), 1),
            ],
            warnings: Vec::new(),
            inputs: Vec::new(),
        };
        c.begin_build();
        let first = assemble(pieces("# B\n"), &Keyed("p"), Some(&c));
        assert_eq!(c.parts.len(), 2);
        c.begin_build();
        let again = assemble(pieces("# A\n\nNew.\n"), &Keyed("p"), Some(&c));
        assert_eq!(c.parts.len(), 3, "one new piece parsed");
        // ids, warnings and the body as a build without the cache gives them
        let fresh = assemble(pieces("# A\n\nNew.\n"), &Keyed("p"), None);
        assert_eq!(again.body, fresh.body);
        assert_eq!(again.warnings, fresh.warnings);
        assert!(again.body.contains("<h1 id='a-2'>A</h1>"), "{}", again.body);
        assert!(first.body.contains("<h1 id='b'>B</h1>"));
        assert_eq!(again.warnings.len(), 2, "{:?}", again.warnings);
        // another page (resolver key) does not share them
        c.begin_build();
        assemble(pieces("# B\n"), &Keyed("q"), Some(&c));
        assert_eq!(c.parts.len(), 5);
    }
}
