//! How the files of the site reach the output, chosen once per build: as they are
//! ([`AsIs`]), or with `--single-file` inlined into the pages that use them
//! ([`crate::emit::single_file::SingleFile`]).

use anyhow::Result;

use crate::emit::layout::PageHtml;
use crate::output::{Content, Sink};
use crate::page::RenderedPage;
use crate::Diagnostic;

/// How the files of the site reach the output.
pub trait Emitter {
    /// A file of the site other than a page: a theme asset, a static file.
    fn file(
        &mut self,
        out: &mut dyn Sink,
        rel: &str,
        content: Content,
        label: String,
    ) -> Result<()>;
    /// The HTML of the page at `rel`, while its search index is being made.
    fn page(&mut self, out: &mut dyn Sink, rel: &str, html: PageHtml) -> Result<()>;
    /// Ends the page: its search index (path, script) when it has one. Returns
    /// warnings about the page.
    fn end_page(
        &mut self,
        out: &mut dyn Sink,
        index: Option<(String, String)>,
        page: PageSource<'_>,
    ) -> Result<Vec<Diagnostic>>;
    /// After the last page: writes what is left; returns warnings about the files.
    fn finish(&mut self, out: &mut dyn Sink) -> Result<Vec<Diagnostic>>;
    /// Files written so far.
    fn files(&self) -> usize;
}

/// A page as its warnings name it: its source file, and what it was rendered from.
#[derive(Clone, Copy)]
pub struct PageSource<'a> {
    /// The page file as messages name it (`source/index.html.md`).
    pub label: &'a str,
    pub rendered: &'a RenderedPage,
}

/// Every file written as it is.
#[derive(Default)]
pub struct AsIs {
    files: usize,
}

impl Emitter for AsIs {
    fn file(&mut self, out: &mut dyn Sink, rel: &str, content: Content, _: String) -> Result<()> {
        out.put(rel, &content)?;
        self.files += 1;
        Ok(())
    }

    fn page(&mut self, out: &mut dyn Sink, rel: &str, html: PageHtml) -> Result<()> {
        out.write(rel, &[html.html.as_bytes()])?;
        self.files += 1;
        Ok(())
    }

    fn end_page(
        &mut self,
        out: &mut dyn Sink,
        index: Option<(String, String)>,
        _: PageSource<'_>,
    ) -> Result<Vec<Diagnostic>> {
        if let Some((rel, js)) = index {
            out.write(&rel, &[js.as_bytes()])?;
            self.files += 1;
        }
        Ok(Vec::new())
    }

    fn finish(&mut self, _: &mut dyn Sink) -> Result<Vec<Diagnostic>> {
        Ok(Vec::new())
    }

    fn files(&self) -> usize {
        self.files
    }
}
