//! One page: its front matter, its includes, the markdown of each rendered and joined,
//! ids made unique, code highlighted, the TOC read back from the result.
//!
//! [`read`] reads the page and its includes into pieces (ERB expanded, `t(:key)`
//! translated), [`assemble`] renders and joins them (ids, [`check`]s, highlighted
//! [`code`], [`toc`]); `shale serve` keeps what it rendered in a [`cache`], so that an
//! edit to one include renders that include alone.

pub mod assemble;
pub mod cache;
pub mod check;
pub mod code;
pub mod read;
pub mod toc;

use std::time::Instant;

use anyhow::Result;

use crate::load::frontmatter::{self, FrontMatter};
use crate::load::source::{Source, SourceFile};
use crate::util::url::{KeepUrls, Resolver};

pub use assemble::RenderedPage;
pub use cache::Cache;
pub use code::HighlightCache;
pub use read::{PageEnv, Piece, ReadPage};

/// Renders the page `page` of `src`: reads it and its includes, and assembles them.
/// `cache`, when given, supplies what earlier builds rendered (`shale serve` keeps
/// one).
pub fn render(
    src: &Source,
    page: &SourceFile,
    env: PageEnv<'_>,
    resolver: &dyn Resolver,
    cache: Option<&Cache>,
) -> Result<RenderedPage> {
    let start = Instant::now();
    let read = read::read(src, page, env, resolver)?;
    let read_time = start.elapsed();
    let mut page = assemble::assemble(read, resolver, cache);
    page.timings.read += read_time;
    if let Some(e) = page.errors.first() {
        return Err(e.clone().into());
    }
    Ok(page)
}

/// Renders markdown text as a standalone page body (for tests and tools).
pub fn render_markdown(text: &str) -> Result<RenderedPage> {
    let split = frontmatter::split(text);
    let front = match split.yaml {
        Some(y) => frontmatter::parse(y, split.yaml_line).map_err(|e| e.located("<input>"))?,
        None => FrontMatter::default(),
    };
    let read = ReadPage {
        front,
        pieces: vec![Piece::plain(
            "<input>".into(),
            split.body.to_string(),
            split.body_line,
        )],
        warnings: Vec::new(),
        inputs: Vec::new(),
    };
    let page = assemble::assemble(read, &KeepUrls, None);
    if let Some(e) = page.errors.first() {
        return Err(e.clone().into());
    }
    Ok(page)
}
