//! A rendered page as files: the layout around its body, its search index script, and
//! its records for `toc.json` and `search-index.json`.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::emit::chunks;
use crate::emit::emitter::{Emitter, PageSource};
use crate::emit::layout::{content_marker, Layout, LayoutContext, PageContext};
use crate::emit::machine;
use crate::emit::search::{self, SearchCache, SitePart};
use crate::load::i18n;
use crate::load::plan::Translation;
use crate::load::settings::Lazy;
use crate::load::site::{SiteNav, VersionLink};
use crate::output::Sink;
use crate::page::split::Split;
use crate::page::RenderedPage;
use crate::util::html_scan;
use crate::util::url::{parent_dir, relative_url, url_path, Resolver};
use crate::Diagnostic;

/// What the layout of every page shares.
pub struct Look<'a> {
    pub layout: &'a Layout,
    /// The theme's variables, for a `<style>` element.
    pub variables_css: &'a str,
    /// `images/logo.png` when the source has it, and its size.
    pub logo: Option<&'a str>,
    pub logo_size: Option<(u32, u32)>,
    /// The site icon, when the source has one.
    pub favicon: Option<&'a str>,
}

/// Where a page goes, in which language, and its translations.
pub struct Place<'a> {
    /// Output path (`pt/index.html`).
    pub out: &'a str,
    pub lang: Option<&'a str>,
    pub translations: Vec<Translation>,
    /// Its sidebar's list of the site's pages, when the site has one.
    pub nav: Option<SiteNav>,
    /// Its TOC's depth (1 to 4).
    pub toc_depth: u8,
    /// Whether its body is cut into chunks laid out lazily ([`chunks`]).
    pub lazy: Lazy,
    /// Its version, and the version switcher's entries.
    pub version: Option<String>,
    pub versions: Vec<VersionLink>,
    /// The site search index the page queries, instead of an index of its own.
    pub site_index: Option<&'a str>,
    /// A part of a page with `split: h1`: how the page was split, and which part.
    pub split: Option<(&'a Split, usize)>,
}

/// What writing a page gave.
pub struct Written {
    /// Its entry of `search-index.json`.
    pub record: String,
    /// With a site index: what the page gives it.
    pub site_part: Option<SitePart>,
    /// Warnings about the page's files (`--single-file`: references it cannot inline).
    pub warnings: Vec<Diagnostic>,
    pub layout: Duration,
    pub search: Duration,
    pub write: Duration,
}

/// Writes the page `page` at `place` through `emit`: the layout around its body and,
/// with `search: true`, its search index script.
///
/// The sections (for the search index and `search-index.json`) are read on another
/// thread while the layout is rendered and the page written: on a large page it is the
/// longest phase after markdown.
pub fn write(
    look: &Look<'_>,
    place: Place<'_>,
    page: PageSource<'_>,
    resolver: &dyn Resolver,
    emit: &mut dyn Emitter,
    out: &mut dyn Sink,
    cache: Option<&SearchCache>,
) -> Result<Written> {
    let rendered = page.rendered;
    let footers = footers(rendered, resolver);
    let site = place.site_index.filter(|_| rendered.front.search);
    let index_rel =
        (rendered.front.search && site.is_none()).then(|| search::index_path(place.out));
    let mut ctx = context(look, &place, rendered, &footers, index_rel.as_deref());
    let (index_js, record, mut written) = std::thread::scope(|scope| -> Result<_> {
        let job = scope.spawn(|| search_files(place.out, rendered, cache, site));
        let t = Instant::now();
        let chunked = match place.lazy {
            Lazy::Always => true,
            Lazy::Auto => rendered.body.len() >= chunks::AUTO_FROM,
            Lazy::Never => false,
        }
        .then(|| {
            chunks::chunk(
                &rendered.body,
                &rendered.code,
                rendered.front.language_tabs.len(),
            )
        })
        .flatten();
        let body: Vec<&str> = match &chunked {
            Some(pieces) => pieces.iter().map(|p| p.as_ref()).collect(),
            None => vec![&rendered.body],
        };
        let html = look.layout.render(&mut ctx, &body)?;
        let t2 = Instant::now();
        emit.page(out, place.out, html)?;
        let write = t2.elapsed();
        let (js, site_part, record, search) = job.join().map_err(|_| {
            anyhow::anyhow!(
                "{}: reading the page's sections for its search index and search-index.json failed (a bug in shale: please report it)",
                place.out
            )
        })?;
        let written = Written {
            record: String::new(),
            site_part,
            warnings: Vec::new(),
            layout: t2 - t,
            search,
            write,
        };
        Ok((js, record, written))
    })?;
    let t = Instant::now();
    let index = index_rel.zip(index_js);
    written.warnings = emit.end_page(out, index, page)?;
    written.write += t.elapsed();
    written.record = record;
    Ok(written)
}

/// What reading a page's sections gave: its own search index script, or its part of
/// the site index; its `search-index.json` record; the time taken.
type SearchFiles = (Option<String>, Option<SitePart>, String, Duration);

/// The page's search index script (with `search: true`) or, when it queries the site
/// index `site`, its part of it; its `search-index.json` record, and the time they
/// took. With a cache (`shale serve`), each part of the body is read once, and the
/// terms of each text found once.
fn search_files(
    out: &str,
    page: &RenderedPage,
    cache: Option<&SearchCache>,
    site: Option<&str>,
) -> SearchFiles {
    let t = Instant::now();
    let (body, code) = (&page.body, &page.code);
    let title = &page.front.title;
    let own = page.front.search && site.is_none();
    let sections = match cache {
        Some(cache) => {
            let parts: Vec<_> = page.pieces.iter().map(|(_, range)| range.clone()).collect();
            search::sections_by_part(body, code, &parts, cache)
        }
        None => search::sections_skipping(body, &code.ranges, &code.block),
    };
    let js = own.then(|| match cache {
        Some(cache) => {
            let mut ix = search::index_cached(&sections, &code.texts, cache);
            ix.size = body.len();
            ix.to_js()
        }
        None => search::index_js_of(&sections, &code.texts, body.len()),
    });
    let record = machine::search_record(out, title, &sections, &code.texts);
    let part = site.map(|index| SitePart {
        url: url_path(&relative_url(parent_dir(index), out)),
        title: title.clone(),
        sections,
        code: code.texts.clone(),
        size: body.len(),
    });
    (js, part, record, t.elapsed())
}

/// The TOC's footers: raw HTML too, so their links from the root become relative.
fn footers(page: &RenderedPage, resolver: &dyn Resolver) -> Vec<String> {
    page.front
        .toc_footers
        .iter()
        .map(|f| html_scan::rewrite_urls(f, |u| resolver.link(u)).unwrap_or_else(|| f.clone()))
        .collect()
}

/// Everything the layout can use for this page.
fn context<'a>(
    look: &Look<'a>,
    place: &Place<'a>,
    page: &'a RenderedPage,
    footers: &'a [String],
    index_rel: Option<&str>,
) -> LayoutContext<'a> {
    let depth = place.out.matches('/').count();
    let mut ctx = LayoutContext {
        page: PageContext::new(&page.front, &page.toc, place.out),
        root: "../".repeat(depth),
        logo: look.logo,
        logo_size: look.logo_size,
        favicon: look.favicon,
        content: content_marker(),
        shale_version: env!("CARGO_PKG_VERSION"),
        site: place.nav.clone(),
    };
    ctx.page.toc_footers = footers;
    ctx.page.set_toc_depth(place.toc_depth, &page.toc);
    ctx.page.version = place.version.clone();
    ctx.page.versions = place.versions.clone();
    if let Some(lang) = place.lang {
        ctx.page.lang = i18n::bcp47(lang);
        ctx.page.rtl = page.front.rtl.unwrap_or_else(|| i18n::is_rtl(lang));
        ctx.page.translations = place.translations.clone();
    }
    ctx.page.theme_css.insert_str(0, look.variables_css);
    ctx.page.search_index = index_rel.map(url_path);
    if let Some(index) = place.site_index.filter(|_| page.front.search) {
        ctx.page.search_site = Some(url_path(&relative_url(parent_dir(place.out), index)));
        ctx.page.search_page = url_path(&relative_url(parent_dir(index), place.out));
    }
    if let Some((split, part)) = place.split {
        split_context(&mut ctx.page, split, part);
    }
    ctx
}

/// A part of a split page: the whole page's TOC, entries on other parts linking there;
/// on the first part, the map of ids to parts.
fn split_context<'a>(page: &mut PageContext<'a>, split: &'a Split, part: usize) {
    let file = |id: &str| match split.part_of.get(id) {
        Some(&p) if p != part => Some(split.file_url(p)),
        _ => None,
    };
    page.toc_html = crate::emit::layout::toc_html_with(&split.toc, &file);
    page.toc = Some(&split.toc);
    page.split = true;
    page.split_prev = part.checked_sub(1).map(|p| split.link(p));
    page.split_next = (part + 1 < split.parts.len()).then(|| split.link(part + 1));
    if part == 0 {
        page.split_map = Some(split.map_json());
    } else {
        page.split_first = Some(split.file_url(0));
    }
}
