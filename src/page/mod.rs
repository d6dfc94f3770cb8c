//! One page: its front matter, its includes, the markdown of each rendered and joined,
//! ids made unique, code highlighted, the TOC read back from the result.
//!
//! [`read`] reads the page and its includes into pieces (ERB expanded, `t(:key)`
//! translated), [`assemble`] renders and joins them (ids, [`check`]s, highlighted
//! [`code`], [`toc`]).

pub mod assemble;
pub mod check;
pub mod code;
pub mod read;
pub mod toc;

use std::time::Instant;

use anyhow::{Context, Result};

use crate::load::erb;
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::source;
use crate::load::source::SourceFile;
use crate::util::url::{KeepUrls, Resolver};

use assemble::render_pieces;
pub use assemble::RenderedPage;
pub use code::HighlightCache;
pub use read::PageEnv;
use read::{add_file, add_partial, read_page, Piece};

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

/// Renders markdown text as a standalone page body (for tests and tools).
pub fn render_markdown(text: &str) -> Result<RenderedPage> {
    let split = frontmatter::split(text);
    let front = match split.yaml {
        Some(y) => frontmatter::parse(y, split.yaml_line).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => FrontMatter::default(),
    };
    let piece = Piece::plain("<input>".into(), split.body.to_string(), split.body_line);
    render_pieces(front, std::slice::from_ref(&piece), &KeepUrls, None)
}
