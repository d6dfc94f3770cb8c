//! One page: its front matter, its includes, the markdown of each rendered and joined,
//! ids made unique, code highlighted, the TOC read back from the result.

use std::collections::HashSet;

use anyhow::{bail, Context, Result};
use pulldown_cmark::Event;
use rayon::prelude::*;

use crate::check;
use crate::frontmatter::{self, FrontMatter};
use crate::highlight;
use crate::markdown::{self, redcarpet, Item, Part, Resolver};
use crate::slug;
use crate::source::{self, SourceFile};
use crate::toc::{self, TocEntry};
use crate::Diagnostic;

/// A page ready for the layout.
#[derive(Debug)]
pub struct RenderedPage {
    pub front: FrontMatter,
    /// HTML of the content column: the page's markdown, then each include.
    pub body: String,
    pub toc: Vec<TocEntry>,
    pub warnings: Vec<Diagnostic>,
}

/// One markdown file of a page: the page body or an include.
struct Piece {
    /// Path shown in messages (relative to the project).
    label: String,
    /// The markdown, front matter removed.
    text: String,
    /// Line of the file where `text` starts.
    first_line: usize,
}

/// Renders the page at `page` (relative to the source folder).
pub fn render(
    src: &source::Source,
    page: &SourceFile,
    resolver: &dyn Resolver,
) -> Result<RenderedPage> {
    let label = src.label(&page.rel);
    let text = source::read_text(&page.abs, &label)?;
    if page.erb && text.contains("<%") {
        bail!(
            "{label}: ERB tags (`<%`) are not supported; shale builds `.html.md.erb` pages as plain markdown. \
             Move what the ERB does into markdown or an include, and rename the file to `.html.md`"
        );
    }
    let split = frontmatter::split(&text);
    let front = match split.yaml {
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line)
            .map_err(|e| anyhow::anyhow!("{label}:{}:{}: {}", e.line, e.column, e.message))?,
        None => FrontMatter::default(),
    };
    let mut pieces = vec![Piece {
        label: label.clone(),
        text: split.body.to_string(),
        first_line: split.body_line,
    }];
    drop(text);
    for name in &front.includes {
        let path = src
            .find_include(&page.rel, name)
            .with_context(|| format!("{label}: front matter `includes`"))?;
        let inc_label = src.label_abs(&path);
        let inc = source::read_text(&path, &inc_label)?;
        // Front matter in an include is not content: strip it (Slate would print it).
        let s = frontmatter::split(&inc);
        pieces.push(Piece {
            label: inc_label,
            text: s.body.to_string(),
            first_line: s.body_line,
        });
    }
    render_pieces(front, &pieces, resolver)
}

fn render_pieces(
    front: FrontMatter,
    pieces: &[Piece],
    resolver: &dyn Resolver,
) -> Result<RenderedPage> {
    let prepared: Vec<redcarpet::Prepared> =
        pieces.iter().map(|p| redcarpet::prepare(&p.text)).collect();
    let mut parts: Vec<Part> = prepared
        .par_iter()
        .map(|p| markdown::render(p, resolver))
        .collect();
    let mut warnings = Vec::new();
    for (part, piece) in parts.iter_mut().zip(pieces) {
        for w in part.warnings.drain(..) {
            warnings.push(Diagnostic::new(
                &piece.label,
                piece.first_line + w.line - 1,
                w.message,
            ));
        }
    }

    // Ids unique in the page: Slate's first, a fresh one for later repeats.
    let slate_ids: Vec<String> = parts
        .iter()
        .flat_map(|p| p.headings.iter().map(|h| h.slate_id.clone()))
        .collect();
    let mut raw_ids = HashSet::new();
    for p in &parts {
        raw_ids.extend(p.raw_ids.iter().cloned());
    }
    let renamed = slug::dedupe_page_ids(&slate_ids, &raw_ids);
    let mut final_ids: Vec<Vec<String>> = Vec::with_capacity(parts.len());
    let mut k = 0;
    for (part, piece) in parts.iter().zip(pieces) {
        let mut ids = Vec::with_capacity(part.headings.len());
        for h in &part.headings {
            match &renamed[k] {
                Some(new) => {
                    warnings.push(Diagnostic::new(
                        &piece.label,
                        piece.first_line + h.line - 1,
                        format!("heading id `{}` is already used on this page; this heading gets `{new}` (Slate would repeat the id)", h.slate_id),
                    ));
                    ids.push(new.clone());
                }
                None => ids.push(h.slate_id.clone()),
            }
            k += 1;
        }
        final_ids.push(ids);
    }

    // Links, anchors, tabs and fences: warnings.
    let origins: Vec<check::Origin> = pieces
        .iter()
        .map(|p| check::Origin {
            label: &p.label,
            first_line: p.first_line,
        })
        .collect();
    let mut all_ids = raw_ids;
    all_ids.extend(final_ids.iter().flatten().cloned());
    warnings.extend(check::links(&parts, &origins, &all_ids, resolver));
    warnings.extend(check::code(&front, &pieces[0].label, &parts, &origins));

    let (code_html, code_index) = highlight_all(&parts);

    let mut body = String::with_capacity(pieces.iter().map(|p| p.text.len()).sum::<usize>() * 2);
    for ((part, ids), code) in parts.into_iter().zip(&final_ids).zip(&code_index) {
        let headings = &part.headings;
        let events = part.items.into_iter().map(|it| match it {
            Item::Event(e) => e,
            Item::Heading(i) => {
                let h = &headings[i];
                Event::Html(format!("<h{0} id='{1}'>{2}</h{0}>", h.level, ids[i], h.html).into())
            }
            Item::Code(i) => Event::Html(code_html[code[i]].as_str().into()),
        });
        pulldown_cmark::html::push_html(&mut body, events);
    }
    let toc = toc::from_html(&body);
    Ok(RenderedPage {
        front,
        body,
        toc,
        warnings,
    })
}

/// Highlights every code block of the page, in parallel; identical blocks once.
/// Returns the highlighted blocks and, per part, the index of each of its blocks.
fn highlight_all(parts: &[Part]) -> (Vec<String>, Vec<Vec<usize>>) {
    use std::collections::HashMap;
    let mut unique: HashMap<(&str, &str), usize> = HashMap::new();
    let mut jobs: Vec<(&highlight::Fence, &str)> = Vec::new();
    let index: Vec<Vec<usize>> = parts
        .iter()
        .map(|p| {
            p.code_blocks
                .iter()
                .map(|b| {
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
    let done: Vec<String> = jobs
        .par_iter()
        .map(|(fence, code)| {
            let mut out = String::with_capacity(code.len() * 3 + 100);
            highlight::render_block(fence, code, &mut out);
            out
        })
        .collect();
    (done, index)
}

/// Renders markdown text as a standalone page body (for tests and tools).
pub fn render_markdown(text: &str) -> Result<RenderedPage> {
    let split = frontmatter::split(text);
    let front = match split.yaml {
        Some(y) => frontmatter::parse(y, split.yaml_line).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => FrontMatter::default(),
    };
    let piece = Piece {
        label: "<input>".into(),
        text: split.body.to_string(),
        first_line: split.body_line,
    };
    render_pieces(front, std::slice::from_ref(&piece), &markdown::KeepUrls)
}
