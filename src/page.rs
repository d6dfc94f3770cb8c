//! One page: its front matter, its includes, the markdown of each rendered and joined,
//! ids made unique, code highlighted, the TOC read back from the result.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use pulldown_cmark::Event;
use rayon::prelude::*;

use crate::check;
use crate::frontmatter::{self, FrontMatter};
use crate::highlight;
use crate::markdown::{self, redcarpet, Item, Part, Resolver};
use crate::site::Timings;
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
    /// Where the time went (read, markdown, highlight, assembly, TOC).
    pub timings: Timings,
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

/// Renders the page at `page` (relative to the source folder). `cache`, when given,
/// supplies code blocks highlighted by earlier builds (`shale serve` keeps one).
///
/// `lang` is the page's language on a multi-language site (`pt` for
/// `localizable/index.pt.html.md`): an include `data` is then `_data.pt.md` when there
/// is one, else `_data.md`.
pub fn render(
    src: &source::Source,
    page: &SourceFile,
    lang: Option<&str>,
    resolver: &dyn Resolver,
    cache: Option<&HighlightCache>,
) -> Result<RenderedPage> {
    let start = Instant::now();
    let label = src.label(&page.rel);
    let text = read_page(page, &label)?;
    let split = frontmatter::split(&text);
    let front = front_matter(&split, &label)?;
    let mut pieces = vec![Piece {
        label: label.clone(),
        text: split.body.to_string(),
        first_line: split.body_line,
    }];
    drop(text);
    for name in &front.includes {
        let path = src
            .find_include(&page.rel, name, lang)
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
    let read = start.elapsed();
    let mut page = render_pieces(front, &pieces, resolver, cache)?;
    page.timings.read += read;
    Ok(page)
}

/// The text of the page file: UTF-8, and no ERB tags in a `.html.md.erb` page.
fn read_page(page: &SourceFile, label: &str) -> Result<String> {
    let text = source::read_text(&page.abs, label)?;
    if page.erb && text.contains("<%") {
        bail!(
            "{label}: ERB tags (`<%`) are not supported; shale builds `.html.md.erb` pages as plain markdown. \
             Move what the ERB does into markdown or an include, and rename the file to `.html.md`"
        );
    }
    Ok(text)
}

fn front_matter(split: &frontmatter::Split<'_>, label: &str) -> Result<FrontMatter> {
    Ok(match split.yaml {
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line)
            .map_err(|e| anyhow::anyhow!("{label}:{}:{}: {}", e.line, e.column, e.message))?,
        None => FrontMatter::default(),
    })
}

/// The front matter of the page, when it writes one of `keys` (else the default, and
/// the YAML is not parsed): what the build must know of a page before rendering any.
pub fn peek_front_matter(
    src: &source::Source,
    page: &SourceFile,
    keys: &[&str],
) -> Result<FrontMatter> {
    let label = src.label(&page.rel);
    let text = read_page(page, &label)?;
    let split = frontmatter::split(&text);
    match split.yaml {
        Some(yaml) if keys.iter().any(|k| yaml.contains(k)) => front_matter(&split, &label),
        _ => Ok(FrontMatter::default()),
    }
}

fn render_pieces(
    front: FrontMatter,
    pieces: &[Piece],
    resolver: &dyn Resolver,
    cache: Option<&HighlightCache>,
) -> Result<RenderedPage> {
    let mut timings = Timings::default();
    let t = Instant::now();
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
                    piece.first_line + h.line - 1,
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
    let (code_html, code_index) = highlight_all(&parts, cache);
    let t = Instant::now();
    timings.highlight += t - t2;
    timings.blocks = parts.iter().map(|p| p.code_blocks.len()).sum();
    timings.unique_blocks = code_html.len();
    timings.languages = parts
        .iter()
        .flat_map(|p| p.code_blocks.iter().map(|b| b.fence.lexer))
        .collect();

    let mut body = String::with_capacity(pieces.iter().map(|p| p.text.len()).sum::<usize>() * 2);
    for (part, code) in parts.into_iter().zip(&code_index) {
        let headings = &part.headings;
        let events = part.items.into_iter().map(|it| match it {
            Item::Event(e) => e,
            Item::Heading(i) => {
                let h = &headings[i];
                Event::Html(
                    format!("<h{0} id='{1}'>{2}</h{0}>", h.level, h.slate_id, h.html).into(),
                )
            }
            Item::Code(i) => Event::Html(code_html[code[i]].as_ref().into()),
            Item::Html(h) => Event::Html(h.into()),
        });
        pulldown_cmark::html::push_html(&mut body, events);
    }
    let t2 = Instant::now();
    timings.assembly += t2 - t;
    let toc = toc::from_html(&body);
    timings.toc += t2.elapsed();
    Ok(RenderedPage {
        front,
        body,
        toc,
        warnings,
        timings,
    })
}

/// Highlighted code blocks kept from one build to the next (`shale serve`), keyed by
/// the fence's `pre` class and the code: after an edit only new or changed blocks are
/// highlighted again. Entries that a whole build did not use are dropped at the start
/// of the build after it, so the cache holds at most two builds' blocks.
#[derive(Debug, Default)]
pub struct HighlightCache {
    inner: Mutex<CacheGenerations>,
}

type CodeKey = (String, String);

#[derive(Debug, Default)]
struct CacheGenerations {
    /// Blocks used by the build in progress.
    current: HashMap<CodeKey, Arc<str>>,
    /// Blocks of the previous build not used yet by this one.
    previous: HashMap<CodeKey, Arc<str>>,
}

impl HighlightCache {
    pub fn new() -> HighlightCache {
        HighlightCache::default()
    }

    /// Call before each build: forgets the blocks the previous build did not use.
    pub fn begin_build(&self) {
        let mut g = self.lock();
        g.previous = std::mem::take(&mut g.current);
    }

    /// Call after a build that failed: it may have used only some of the blocks, so
    /// none is forgotten at the start of the next build.
    pub fn build_failed(&self) {
        let mut g = self.lock();
        let previous = std::mem::take(&mut g.previous);
        g.current.extend(previous);
    }

    /// How many highlighted blocks are held.
    pub fn len(&self) -> usize {
        let g = self.lock();
        g.current.len() + g.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheGenerations> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Highlights every code block of the page, in parallel; identical blocks once, and
/// blocks found in `cache` not at all. Returns the highlighted blocks and, per part,
/// the index of each of its blocks.
fn highlight_all(
    parts: &[Part],
    cache: Option<&HighlightCache>,
) -> (Vec<Arc<str>>, Vec<Vec<usize>>) {
    let mut unique: HashMap<(&str, &str), usize> = HashMap::new();
    let mut jobs: Vec<(&highlight::Fence, &str)> = Vec::new();
    // Measurement only (README "Performance"): highlight every block, even repeats.
    let no_dedup = std::env::var_os("SHALE_NO_DEDUP").is_some();
    let index: Vec<Vec<usize>> = parts
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
    let render = |fence: &highlight::Fence, code: &str| -> Arc<str> {
        let mut out = String::with_capacity(code.len() * 3 + 100);
        highlight::render_block(fence, code, &mut out);
        out.into()
    };
    let Some(cache) = cache else {
        let done = jobs.par_iter().map(|(f, code)| render(f, code)).collect();
        return (done, index);
    };
    let key = |f: &highlight::Fence, code: &str| (f.pre_class.clone(), code.to_string());
    let found: Vec<Option<Arc<str>>> = {
        let mut g = cache.lock();
        jobs.iter()
            .map(|(f, code)| {
                let k = key(f, code);
                if let Some(h) = g.current.get(&k) {
                    return Some(h.clone());
                }
                let h = g.previous.remove(&k)?;
                g.current.insert(k, h.clone());
                Some(h)
            })
            .collect()
    };
    let missing: Vec<usize> = (0..jobs.len()).filter(|&i| found[i].is_none()).collect();
    let fresh: Vec<Arc<str>> = missing
        .par_iter()
        .map(|&i| render(jobs[i].0, jobs[i].1))
        .collect();
    let mut g = cache.lock();
    for (&i, h) in missing.iter().zip(&fresh) {
        g.current.insert(key(jobs[i].0, jobs[i].1), h.clone());
    }
    drop(g);
    let mut fresh = fresh.into_iter();
    let done = found
        .into_iter()
        .map(|h| h.unwrap_or_else(|| fresh.next().expect("one fresh block per miss")))
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
    render_pieces(
        front,
        std::slice::from_ref(&piece),
        &markdown::KeepUrls,
        None,
    )
}
