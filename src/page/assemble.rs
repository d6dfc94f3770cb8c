//! A page from its pieces: each rendered as markdown, ids made unique across the
//! page, checked, code highlighted, joined into the body, the TOC read back.

use std::collections::HashSet;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use crate::load::frontmatter::FrontMatter;
use crate::markdown::{self, slug, Item, Part};
use crate::page::check;
use crate::page::code::{highlight_all, HighlightCache};
use crate::page::read::Piece;
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
}

pub(crate) fn render_pieces(
    front: FrontMatter,
    pieces: &[Piece],
    resolver: &dyn Resolver,
    cache: Option<&HighlightCache>,
) -> Result<RenderedPage> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let mut parts: Vec<Part> = pieces
        .par_iter()
        .map(|p| markdown::render(&p.text, resolver))
        .collect();
    let mut warnings = Vec::new();
    for (part, piece) in parts.iter_mut().zip(pieces) {
        for w in part.warnings.drain(..) {
            warnings.push(Diagnostic::new(&piece.label, piece.line(w.line), w.message));
        }
    }

    // Ids unique in the page: Slate's first, a fresh one for later repeats (which
    // replaces the heading's `slate_id`). No id is copied: a page may have a million.
    let mut raw_ids = HashSet::new();
    for p in &parts {
        raw_ids.extend(p.raw_ids.iter().cloned());
    }
    let mut renamed = {
        let slate_ids: Vec<&str> = parts
            .iter()
            .flat_map(|p| p.headings.iter().map(|h| h.slate_id.as_str()))
            .collect();
        slug::dedupe_page_ids(&slate_ids, &raw_ids).into_iter()
    };
    for (part, piece) in parts.iter_mut().zip(pieces) {
        for h in &mut part.headings {
            if let Some(new) = renamed.next().flatten() {
                warnings.push(Diagnostic::new(
                    &piece.label,
                    piece.line(h.line),
                    format!("heading id `{}` is already used on this page; this heading gets `{new}` (Slate would repeat the id)", h.slate_id),
                ));
                h.slate_id = new;
            }
        }
    }
    drop(renamed);

    // Links, anchors, tabs and fences: warnings.
    let origins: Vec<check::Origin> = pieces
        .iter()
        .map(|p| check::Origin {
            label: &p.label,
            first_line: p.first_line,
            lines: &p.lines,
        })
        .collect();
    {
        // Every id of the page, for links to `#anchor` (when there is one).
        let mut all_ids: HashSet<&str> = HashSet::new();
        if parts
            .iter()
            .any(|p| p.links.iter().any(|l| l.url.starts_with('#')))
        {
            all_ids.extend(raw_ids.iter().map(String::as_str));
            all_ids.extend(
                parts
                    .iter()
                    .flat_map(|p| p.headings.iter().map(|h| h.slate_id.as_str())),
            );
        }
        warnings.extend(check::links(&parts, &origins, &all_ids, resolver));
    }
    warnings.extend(check::code(&front, &pieces[0].label, &parts, &origins));

    let t2 = Instant::now();
    timings.markdown += t2 - t;
    let (code_html, code_index, highlighted) = highlight_all(&parts, cache);
    let t = Instant::now();
    timings.highlight += t - t2;
    timings.blocks = parts.iter().map(|p| p.code_blocks.len()).sum();
    timings.unique_blocks = code_html.len();
    timings.highlighted_blocks = highlighted;
    timings.languages = parts
        .iter()
        .flat_map(|p| p.code_blocks.iter().map(|b| b.fence.lexer))
        .collect();

    let code_html_ref = &code_html;
    let size: usize = parts
        .iter()
        .zip(&code_index)
        .flat_map(|(part, index)| {
            part.items.iter().map(move |item| match item {
                Item::Html(h) => h.len(),
                Item::Heading(i) => {
                    part.headings[*i].html.len() + part.headings[*i].slate_id.len() + 20
                }
                Item::Code(i) => code_html_ref[index[*i]].len(),
            })
        })
        .sum();
    let mut body = String::with_capacity(size);
    let mut code = CodeSpans::default();
    // Distinct block → its index in `code.texts`, filled as blocks are first written.
    let mut text_of: Vec<Option<u32>> = vec![None; code_html.len()];
    for (mut part, index) in parts.into_iter().zip(&code_index) {
        for item in part.items {
            match item {
                Item::Html(h) => body.push_str(&h),
                Item::Heading(i) => {
                    let h = &part.headings[i];
                    let level = char::from(b'0' + h.level);
                    body.push_str("<h");
                    body.push(level);
                    body.push_str(" id='");
                    body.push_str(&h.slate_id);
                    body.push_str("'>");
                    body.push_str(&h.html);
                    body.push_str("</h");
                    body.push(level);
                    body.push('>');
                }
                Item::Code(i) => {
                    let u = index[i];
                    let t = *text_of[u].get_or_insert_with(|| {
                        code.texts
                            .push(std::mem::take(&mut part.code_blocks[i].code));
                        code.texts.len() as u32 - 1
                    });
                    let start = body.len();
                    body.push_str(&code_html[u]);
                    code.ranges.push(start..body.len());
                    code.block.push(t);
                }
            }
        }
    }
    let t2 = Instant::now();
    timings.assembly += t2 - t;
    let toc = toc::build(html_scan::headings_skipping(&body, &code.ranges));
    timings.toc += t2.elapsed();
    Ok(RenderedPage {
        front,
        body,
        code,
        toc,
        warnings,
        timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::url::KeepUrls;

    /// The page of `md` alone, with no cache.
    fn render_markdown(md: &str) -> RenderedPage {
        let piece = Piece::plain("index.html.md".into(), md.into(), 1);
        render_pieces(
            FrontMatter::default(),
            std::slice::from_ref(&piece),
            &KeepUrls,
            None,
        )
        .unwrap()
    }

    /// One build of `md` with `cache`, as `shale serve` runs it; returns how many blocks
    /// were highlighted rather than taken from the cache.
    fn build_with(md: &str, cache: &HighlightCache) -> usize {
        cache.begin_build();
        let piece = Piece::plain("index.html.md".into(), md.into(), 1);
        let page = render_pieces(
            FrontMatter::default(),
            std::slice::from_ref(&piece),
            &KeepUrls,
            Some(cache),
        )
        .unwrap();
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
        let c = HighlightCache::new();
        assert_eq!(build_with(TWO, &c), 2);
        assert_eq!(build_with(TWO, &c), 0);
        let edited = format!("{TWO}\nprose\n\n```ruby\nputs 3\n```\n");
        assert_eq!(build_with(&edited, &c), 1);
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn cache_survives_an_empty_save_and_failed_builds() {
        let c = HighlightCache::new();
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
        let c = HighlightCache::new();
        build_with(TWO, &c);
        for _ in 0..HighlightCache::KEEP {
            build_with("# Empty\n", &c);
        }
        assert_eq!(c.len(), 2, "kept while recent");
        build_with("# Empty\n", &c);
        assert_eq!(
            c.len(),
            0,
            "forgotten after {} unused builds",
            HighlightCache::KEEP + 1
        );
    }
}
