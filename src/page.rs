//! One page: its front matter, its includes, the markdown of each rendered and joined,
//! ids made unique, code highlighted, the TOC read back from the result.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::check;
use crate::erb;
use crate::frontmatter::{self, FrontMatter};
use crate::highlight;
use crate::html_scan::{self, CodeSpans};
use crate::i18n::Strings;
use crate::markdown::{self, Item, Part, Resolver};
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
    /// Where the code blocks are in `body`, and their text.
    pub code: CodeSpans,
    pub toc: Vec<TocEntry>,
    pub warnings: Vec<Diagnostic>,
    /// Where the time went (read, markdown, highlight, assembly, TOC).
    pub timings: Timings,
}

/// One markdown file of a page: the page body or an include (or a part of the page
/// body between partials, or a partial).
struct Piece {
    /// Path shown in messages (relative to the project).
    label: String,
    /// The markdown, front matter removed.
    text: String,
    /// Line of the file where `text` starts.
    first_line: usize,
    /// The file line of each line of `text` when ERB or `t(:key)` changed the lines;
    /// empty when they follow from `first_line`.
    lines: Vec<usize>,
}

impl Piece {
    fn plain(label: String, text: String, first_line: usize) -> Piece {
        Piece {
            label,
            text,
            first_line,
            lines: Vec::new(),
        }
    }

    /// The file line of line `line` (1-based) of the text.
    fn line(&self, line: usize) -> usize {
        check::file_line(self.first_line, &self.lines, line)
    }
}

/// What a page needs of the site besides its own files: its language, and the
/// translations of `locales/` for `t(:key)`.
#[derive(Clone, Copy)]
pub struct PageEnv<'a> {
    /// The page's language on a multi-language site (`pt` for
    /// `localizable/index.pt.html.md`): an include `data` is then `_data.pt.md` when
    /// there is one, else `_data.md`.
    pub lang: Option<&'a str>,
    pub strings: &'a Strings,
}

/// Partials within partials, at most (a partial that includes itself stops here).
const MAX_PARTIAL_DEPTH: usize = 16;

/// Renders the page at `page` (relative to the source folder). `cache`, when given,
/// supplies code blocks highlighted by earlier builds (`shale serve` keeps one).
pub fn render(
    src: &source::Source,
    page: &SourceFile,
    site: PageEnv<'_>,
    resolver: &dyn Resolver,
    cache: Option<&HighlightCache>,
) -> Result<RenderedPage> {
    let start = Instant::now();
    let label = src.label(&page.rel);
    let text = read_page(page, &label)?;
    let split = frontmatter::split(&text);
    let data = match (page.erb, split.yaml) {
        (true, Some(yaml)) => frontmatter::data(yaml),
        _ => serde_json::Map::new(),
    };
    let env = erb::Env {
        src,
        page_rel: &page.rel,
        lang: site.lang,
        strings: site.strings,
        resolver,
        data: &data,
    };
    let mut warnings = Vec::new();
    let front = match split.yaml {
        Some(yaml) => frontmatter::parse_translated(yaml, split.yaml_line, &mut |value, line| {
            erb::translate_value(value, &env, &label, line, &mut warnings)
        })
        .map_err(|e| anyhow::anyhow!("{label}:{}:{}: {}", e.line, e.column, e.message))?,
        None => FrontMatter::default(),
    };
    let mut pieces = Vec::new();
    let body = erb::File {
        label: &label,
        text: split.body,
        first_line: split.body_line,
    };
    add_file(&mut pieces, body, page.erb, &env, &mut warnings, 0)?;
    drop(text);
    for name in &front.includes {
        let path = src
            .find_include(&page.rel, name, site.lang)
            .with_context(|| format!("{label}: front matter `includes`"))?;
        add_partial(&mut pieces, &path, &env, &mut warnings, 0)?;
    }
    let read = start.elapsed();
    let mut page = render_pieces(front, &pieces, resolver, cache)?;
    page.warnings.splice(0..0, warnings);
    page.timings.read += read;
    Ok(page)
}

/// Adds the markdown of a file: an ERB file expanded (its partials each a piece of
/// their own, as Middleman renders a partial separately), another with its
/// `<%= t(:key) %>` translated.
fn add_file(
    pieces: &mut Vec<Piece>,
    file: erb::File<'_>,
    is_erb: bool,
    env: &erb::Env<'_>,
    warnings: &mut Vec<Diagnostic>,
    depth: usize,
) -> Result<()> {
    if !is_erb {
        pieces.push(match erb::translate(file, env, warnings) {
            Some(t) => Piece {
                label: file.label.to_string(),
                text: t.text,
                first_line: file.first_line,
                lines: t.lines,
            },
            None => Piece::plain(
                file.label.to_string(),
                file.text.to_string(),
                file.first_line,
            ),
        });
        return Ok(());
    }
    for segment in erb::expand(file, env, warnings)? {
        match segment {
            erb::Segment::Text(t) => pieces.push(Piece {
                label: file.label.to_string(),
                first_line: t.lines.first().copied().unwrap_or(file.first_line),
                text: t.text,
                lines: t.lines,
            }),
            erb::Segment::Partial { name, line } => {
                if depth >= MAX_PARTIAL_DEPTH {
                    bail!(
                        "{}:{line}: partial `{name}`: partials nest more than {MAX_PARTIAL_DEPTH} deep; does a partial include itself?",
                        file.label
                    );
                }
                let path = env
                    .src
                    .find_partial(env.page_rel, &name, env.lang)
                    .map_err(|e| anyhow::anyhow!("{}:{line}: {e}", file.label))?;
                add_partial(pieces, &path, env, warnings, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// Adds an include or a partial: its front matter is not content (Slate would print
/// it), and a `.md.erb` one is ERB first.
fn add_partial(
    pieces: &mut Vec<Piece>,
    path: &Path,
    env: &erb::Env<'_>,
    warnings: &mut Vec<Diagnostic>,
    depth: usize,
) -> Result<()> {
    let label = env.src.label_abs(path);
    let text = source::read_text(path, &label)?;
    let s = frontmatter::split(&text);
    let file = erb::File {
        label: &label,
        text: s.body,
        first_line: s.body_line,
    };
    let is_erb = path.extension().is_some_and(|e| e == "erb");
    add_file(pieces, file, is_erb, env, warnings, depth)
}

/// The text of the page file (UTF-8).
fn read_page(page: &SourceFile, label: &str) -> Result<String> {
    source::read_text(&page.abs, label)
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
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

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

/// Highlights every code block of the page, in parallel; identical blocks once, and
/// blocks found in `cache` not at all. Returns the distinct blocks' HTML, per part the
/// index of each of its blocks, and how many blocks were highlighted (not cached).
fn highlight_all(
    parts: &[Part],
    cache: Option<&HighlightCache>,
) -> (Vec<Arc<str>>, Vec<Vec<usize>>, usize) {
    let mut unique: FastMap<(&str, &str), usize> = FastMap::default();
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
        let all: Vec<usize> = (0..jobs.len()).collect();
        let done = render_grouped(&jobs, &all, &render);
        return (done, index, jobs.len());
    };
    let found: Vec<Option<Arc<str>>> = {
        let mut g = cache.lock();
        let build = g.build;
        jobs.iter()
            .map(|(f, code)| {
                let (h, used) = g.blocks.get_mut(f.pre_class.as_str())?.get_mut(*code)?;
                *used = build;
                Some(h.clone())
            })
            .collect()
    };
    let missing: Vec<usize> = (0..jobs.len()).filter(|&i| found[i].is_none()).collect();
    let fresh = render_grouped(&jobs, &missing, &render);
    let mut g = cache.lock();
    let build = g.build;
    for (&i, h) in missing.iter().zip(&fresh) {
        let (f, code) = jobs[i];
        g.blocks
            .entry(f.pre_class.clone())
            .or_default()
            .insert(code.to_string(), (h.clone(), build));
    }
    drop(g);
    let highlighted = fresh.len();
    let mut fresh = fresh.into_iter();
    let done = found
        .into_iter()
        .map(|h| h.unwrap_or_else(|| fresh.next().expect("one fresh block per miss")))
        .collect();
    (done, index, highlighted)
}

/// Renders the jobs at `which`, in parallel, returning their HTML in the order of
/// `which`. Work is handed out as tasks of blocks of one language (at most
/// [`TASK_BYTES`] of code each): syntect compiles a syntax's regexes on its first use,
/// 0.5–5 ms per language, and a small page would otherwise pay for that on every
/// thread; a task per language lets two threads compile different languages at once.
fn render_grouped(
    jobs: &[(&highlight::Fence, &str)],
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

/// Renders markdown text as a standalone page body (for tests and tools).
pub fn render_markdown(text: &str) -> Result<RenderedPage> {
    let split = frontmatter::split(text);
    let front = match split.yaml {
        Some(y) => frontmatter::parse(y, split.yaml_line).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => FrontMatter::default(),
    };
    let piece = Piece::plain("<input>".into(), split.body.to_string(), split.body_line);
    render_pieces(
        front,
        std::slice::from_ref(&piece),
        &markdown::KeepUrls,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One build of `md` with `cache`, as `shale serve` runs it; returns how many blocks
    /// were highlighted rather than taken from the cache.
    fn build_with(md: &str, cache: &HighlightCache) -> usize {
        cache.begin_build();
        let piece = Piece::plain("index.html.md".into(), md.into(), 1);
        let page = render_pieces(
            FrontMatter::default(),
            std::slice::from_ref(&piece),
            &markdown::KeepUrls,
            Some(cache),
        )
        .unwrap();
        assert_eq!(
            page.body,
            render_markdown(md).unwrap().body,
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
