//! `shale build`: a [`Site`] loaded (the source folder walked, the theme, the plan of
//! what goes where), then built: the theme's files, every page, the redirects and the
//! files for machines written, the output folder replaced atomically.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::emit::machine::{self, PageRecord, Records};
use crate::emit::page::{self as page_files, Look, Place};
use crate::emit::redirect::redirect_page;
use crate::emit::resolver::UrlResolver;
use crate::emit::search;
use crate::emit::search::{SearchCache, SitePart};
use crate::emit::single_file::SingleFile;
use crate::emit::theme::Theme;
use crate::emit::{AsIs, Emitter, PageSource};
use crate::error::{Diagnostic, Located, Location};
use crate::highlight;
use crate::load::frontmatter::PageTheme;
pub use crate::load::plan::output_path;
use crate::load::plan::{is_ignored, split_h1, Plan, PlannedPage};
use crate::load::settings::{Lazy, Settings};
use crate::load::site::{self, SiteMap, SiteNav, VersionLink};
use crate::load::source::Source;
use crate::output::{Content, MemorySite, Sink, Staging};
use crate::page::split::Split;
use crate::page::{self, PageEnv, RenderedPage};
use crate::util::timing::Timings;
use crate::util::url::{parent_dir, SiteUrl};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The Slate `source/` folder.
    pub source: PathBuf,
    /// Where the site goes (replaced as a whole).
    pub output: PathBuf,
    /// Warnings are errors: the site is not written when there is any.
    pub strict: bool,
    /// `--single-file`: each page self-contained, its stylesheets, scripts, search
    /// index and local images inlined ([`crate::emit::single_file`]).
    pub single_file: bool,
    /// `--site-url`: the address the site is published at; writes `sitemap.xml` (and
    /// `robots.txt` at a host's root).
    pub site_url: Option<SiteUrl>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Where the time went (`shale build -v`).
    pub timings: Timings,
}

/// Builds the site into the output folder, atomically: the folder is replaced only when
/// the whole build succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    let site = Site::load(opts)?;
    check_output(&site.source.root, &opts.output)?;
    let mut staging = Staging::new(&opts.output)?;
    let mut summary = site.build(&mut staging, None)?;
    if opts.strict {
        refuse_warnings(&summary.warnings)?;
    }
    summary.bytes = staging.bytes();
    let t = Instant::now();
    staging.commit()?;
    summary.timings.write += t.elapsed();
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Builds the site in memory (for `shale serve`); `opts.output` is not used. What
/// `cache` holds (highlighted code, rendered pieces) is not made again, and what is new
/// is added to it.
pub fn build_in_memory(
    opts: &BuildOptions,
    cache: Option<&Cache>,
) -> Result<(MemorySite, BuildSummary)> {
    let start = Instant::now();
    let site = Site::load(opts)?;
    let mut out = MemorySite::default();
    let mut summary = site.build(&mut out, cache)?;
    summary.bytes = out.files.values().map(|f| f.len() as u64).sum();
    summary.elapsed = start.elapsed();
    Ok((out, summary))
}

/// `--strict`: any warning fails the build, listed.
fn refuse_warnings(warnings: &[Diagnostic]) -> Result<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let n = warnings.len();
    let list: Vec<String> = warnings.iter().map(|w| format!("warning: {w}")).collect();
    bail!(
        "{n} warning{} with --strict: the site was not written and the previous one is intact\n{}",
        if n == 1 { "" } else { "s" },
        list.join("\n"),
    );
}

/// Where each page of the source folder `source` is written, in build order: the
/// page's path in the source folder, its output path and, on a multi-language site,
/// its language. A page under `localizable/` without a language in its name has one
/// entry per language, the root language's first.
pub fn page_outputs(source: &Path) -> Result<Vec<(String, String, Option<String>)>> {
    let src = scan(source)?;
    let project = src.root.parent().unwrap_or(&src.root).to_path_buf();
    let plan = Plan::new(&src, &project)?;
    Ok(plan
        .pages
        .into_iter()
        .map(|p| (p.file.rel, p.out, p.lang))
        .collect())
}

/// Walks the source folder and checks that it has pages.
fn scan(source: &Path) -> Result<Source> {
    let display = source.display().to_string();
    let src = Source::scan(source, &display)?;
    if src.pages.is_empty() {
        let why = src.no_pages_message();
        return Err(Located::new(display, 0, why).into());
    }
    Ok(src)
}

/// A project loaded for building: the options, the source folder walked, the theme,
/// and the plan of where every page and file goes.
pub struct Site {
    pub options: BuildOptions,
    pub source: Source,
    pub theme: Theme,
    pub plan: Plan,
    /// `shale.yml`, and the pages as the sidebars list them.
    pub map: SiteMap,
    /// Every file of the site besides its pages (theme, static files): for links
    /// written from the root, and for the machine-readable files a source may replace.
    files: HashSet<String>,
    logo: Option<&'static str>,
    logo_size: Option<(u32, u32)>,
    favicon: Option<&'static str>,
    /// Names the site's files: pieces rendered for one page stay valid while it is the
    /// same (`shale serve`'s cache).
    fingerprint: u64,
    /// About the source folder and the plan.
    warnings: Vec<Diagnostic>,
    /// Walking the folder and planning (`scan`), loading the theme (`layout`).
    timings: Timings,
}

impl Site {
    /// Loads the project of `options.source`: walks the source folder, loads the theme
    /// (the project's own `templates/` and `assets/` over the built-in one), plans the
    /// build (languages, `config.rb`, `locales/`).
    pub fn load(options: &BuildOptions) -> Result<Site> {
        let mut timings = Timings::default();
        let t = Instant::now();
        let source = scan(&options.source)?;
        timings.scan += t.elapsed();
        let project = source.root.parent().unwrap_or(&source.root).to_path_buf();
        let t = Instant::now();
        let theme = Theme::load(&project)?;
        timings.layout += t.elapsed();
        let t = Instant::now();
        let plan = Plan::new(&source, &project)?;
        let map = SiteMap::load(&source, &plan, Settings::load(&project, &options.source)?)?;
        let files: HashSet<String> = theme
            .files
            .iter()
            .map(|(rel, _, _)| rel.clone())
            .chain(plan.statics.iter().map(|(_, rel)| rel.clone()))
            .collect();
        let logo = source.all.contains(LOGO).then_some(LOGO);
        let logo_size = logo.and_then(|l| png_size(&source.root.join(l)));
        let favicon = FAVICONS.iter().copied().find(|f| source.all.contains(*f));
        let mut warnings = source.warnings.clone();
        warnings.extend(plan.warnings.iter().cloned());
        let fingerprint = fingerprint(&source, &files, &plan);
        timings.scan += t.elapsed();
        Ok(Site {
            options: options.clone(),
            source,
            theme,
            plan,
            map,
            files,
            logo,
            logo_size,
            favicon,
            fingerprint,
            warnings,
            timings,
        })
    }

    /// Builds the site into `out`: the theme's files and the static files, every page,
    /// the redirects, the files for machines. With `--single-file`, each page inlines
    /// the files it uses, and only the others are written.
    pub fn build(&self, out: &mut dyn Sink, cache: Option<&Cache>) -> Result<BuildSummary> {
        Ok(self.build_pages(out, cache)?.0)
    }

    /// [`Site::build`], returning what each page gave as well (`None`: not built) and
    /// what the steps after them gave.
    fn build_pages(
        &self,
        out: &mut dyn Sink,
        cache: Option<&Cache>,
    ) -> Result<(BuildSummary, Vec<Option<PageResult>>, Tail)> {
        highlight::preload();
        let mut emit: Box<dyn Emitter + '_> = if self.options.single_file {
            Box::new(SingleFile::new(&self.theme.layout))
        } else {
            Box::new(AsIs::default())
        };
        let mut timings = self.timings.clone();
        let t = Instant::now();
        self.write_files(&mut *emit, out)?;
        timings.write += t.elapsed();
        let mut pages = Vec::with_capacity(self.plan.pages.len());
        for planned in &self.plan.pages {
            let page = self.write_page(planned, cache, &mut *emit, out)?;
            if let Some(page) = &page {
                timings.add(&page.timings);
            }
            pages.push(page);
        }
        let t = Instant::now();
        let mut tail = Tail::default();
        tail.files += self.write_redirects(out, &mut tail.warnings)?;
        tail.warnings.extend(emit.finish(out)?);
        tail.files += emit.files();
        tail.files += self.write_machine_files(out, pages.iter().flatten(), &mut tail.machine)?;
        tail.files += self.write_site_search(out, pages.iter().flatten(), &mut tail.machine)?;
        timings.write += t.elapsed();
        Ok((self.summary(&pages, &tail, timings), pages, tail))
    }

    /// The summary of a build that gave `pages` and `tail`.
    fn summary(&self, pages: &[Option<PageResult>], tail: &Tail, timings: Timings) -> BuildSummary {
        let mut warnings = self.warnings.clone();
        for page in pages.iter().flatten() {
            warnings.extend(page.warnings.iter().cloned());
        }
        warnings.extend(tail.warnings.iter().cloned());
        warnings.extend(tail.machine.iter().cloned());
        BuildSummary {
            pages: pages.iter().flatten().count(),
            files: tail.files,
            warnings,
            timings,
            ..Default::default()
        }
    }

    /// The theme's files and the source folder's static files.
    fn write_files(&self, emit: &mut dyn Emitter, out: &mut dyn Sink) -> Result<()> {
        for (rel, content, label) in &self.theme.files {
            emit.file(out, rel, content.clone(), label.clone())?;
        }
        for (f, rel) in &self.plan.statics {
            emit.file(
                out,
                rel,
                Content::File(f.abs.clone()),
                self.source.label(&f.rel),
            )?;
        }
        Ok(())
    }

    /// Renders the page `planned` and writes its files; `None` when the page is not
    /// built (`ignored: true`).
    fn write_page(
        &self,
        planned: &PlannedPage,
        cache: Option<&Cache>,
        emit: &mut dyn Emitter,
        out: &mut dyn Sink,
    ) -> Result<Option<PageResult>> {
        let resolver = self.resolver(planned);
        let env = PageEnv {
            lang: planned.lang.as_deref(),
            strings: &self.plan.strings,
        };
        let page_cache = cache.map(|c| &c.page);
        let mut rendered = page::render(&self.source, &planned.file, env, &resolver, page_cache)?;
        if is_ignored(&rendered.front) {
            return Ok(None); // Middleman's `ignored: true`: the page is not built
        }
        let label = self.source.label(&planned.file.rel);
        let toc_depth = site::toc_depth(&rendered.front, &self.map.settings, &label)?;
        let lazy = site::lazy_layout(&rendered.front, &self.map.settings, &label)?;
        if toc_depth < 4 && page::toc::has_h4(&rendered.toc) {
            page::toc::without_h4(&mut rendered.toc);
        }
        let split_line = rendered.front.key_line("split").unwrap_or(0);
        let (split, parts) = if split_h1(&rendered.front, &label)? {
            page::split::split(rendered, &planned.out)
        } else {
            (None, vec![rendered])
        };
        if let Some(split) = &split {
            self.check_parts(split, &Location::new(&label, split_line))?;
        }
        let mut result = PageResult {
            split: split.is_some(),
            ..Default::default()
        };
        for (i, part) in parts.into_iter().enumerate() {
            let at = split.as_ref().map(|s| (s, i));
            let job = PartJob {
                planned,
                label: &label,
                split: at,
                resolver: &resolver,
                toc_depth,
                lazy,
            };
            self.write_part(job, part, cache, emit, out, &mut result)?;
        }
        let theme = &result.theme;
        let unknown = self.theme.unknown_variables(theme, &label);
        result.warnings.extend(unknown);
        Ok(Some(result))
    }

    /// Writes a page, or a part of a split page, and adds what it gave to `result`.
    fn write_part(
        &self,
        job: PartJob<'_>,
        rendered: RenderedPage,
        cache: Option<&Cache>,
        emit: &mut dyn Emitter,
        out: &mut dyn Sink,
        result: &mut PageResult,
    ) -> Result<()> {
        let planned = job.planned;
        let path = match job.split {
            Some((split, i)) => split.parts[i].out.as_str(),
            None => planned.out.as_str(),
        };
        let mut warnings = self.index_collision(&rendered.front, path, job.label);
        let (nav, version, versions) = self.sidebar(planned);
        let place = Place {
            out: path,
            lang: planned.lang.as_deref(),
            translations: self.plan.translations(planned),
            nav,
            toc_depth: job.toc_depth,
            lazy: job.lazy,
            version: version.map(str::to_string),
            versions,
            // --single-file: each page keeps its own index, inlined (docs/several-pages.md)
            site_index: planned
                .site_index
                .as_deref()
                .filter(|_| !self.options.single_file),
            split: job.split,
        };
        let source = PageSource {
            label: job.label,
            rendered: &rendered,
        };
        let search = cache.map(|c| &c.search);
        let look = self.look();
        let written = page_files::write(&look, place, source, job.resolver, emit, out, search)?;
        let title = &rendered.front.title;
        let record = PageRecord::new(path, title, version, &rendered.toc, written.record);
        result.records.push(record);
        if let (Some(index), Some(part)) = (&planned.site_index, written.site_part) {
            result.site_parts.push((index.clone(), part));
        }
        result.timings.add(&rendered.timings);
        result.timings.layout += written.layout;
        result.timings.search += written.search;
        result.timings.write += written.write;
        warnings.extend(rendered.warnings);
        warnings.extend(written.warnings);
        result.warnings.extend(warnings);
        result.inputs.extend(rendered.inputs);
        if job.split.is_none_or(|(_, i)| i == 0) {
            result.theme = rendered.front.theme;
        }
        Ok(())
    }

    /// The parts of a split page other than the first are written beside it: an error
    /// when one would replace another page or file of the site.
    fn check_parts(&self, split: &Split, at: &Location) -> Result<()> {
        for p in &split.parts[1..] {
            if self.plan.outputs.contains(&p.out) || self.source.all.contains(&p.out) {
                return Err(Located {
                    at: at.clone(),
                    message: format!(
                        "`split: h1` writes the section `{}` to `{}`, which is also another page or file of the site",
                        p.title, p.out
                    ),
                    hint: Some("rename that file, or give the heading another id".into()),
                }
                .into());
            }
        }
        Ok(())
    }

    /// The sidebar of the page `planned` beyond its TOC: the site's pages (when the
    /// site lists them), its version, the version switcher.
    fn sidebar(&self, planned: &PlannedPage) -> (Option<SiteNav>, Option<&str>, Vec<VersionLink>) {
        let i = self
            .plan
            .pages
            .iter()
            .position(|p| std::ptr::eq(p, planned));
        match i {
            Some(i) => (
                self.map.nav_for(i),
                self.map.version(i),
                self.map.versions_for(i),
            ),
            None => (None, None, Vec::new()),
        }
    }

    /// How the URLs of the page `planned` resolve.
    fn resolver<'a>(&'a self, planned: &'a PlannedPage) -> UrlResolver<'a> {
        let out = planned.out.as_str();
        UrlResolver {
            src: &self.source,
            files: &self.files,
            outputs: &self.plan.outputs,
            page_dir: parent_dir(out),
            home_dir: planned.home.as_deref().map(parent_dir),
            root: "../".repeat(out.matches('/').count()),
            key: format!("{:016x} {out} {:?}", self.fingerprint, planned.home),
        }
    }

    /// What every page's layout shares.
    fn look(&self) -> Look<'_> {
        Look {
            layout: &self.theme.layout,
            variables_css: &self.theme.variables_css,
            logo: self.logo,
            logo_size: self.logo_size,
            favicon: self.favicon,
        }
    }

    /// A warning when the page's search index would replace a file of the source.
    fn index_collision(
        &self,
        front: &crate::load::frontmatter::FrontMatter,
        out: &str,
        label: &str,
    ) -> Vec<Diagnostic> {
        let index_rel = search::index_path(out);
        if !front.search || !self.source.all.contains(&index_rel) {
            return Vec::new();
        }
        vec![Diagnostic::new(
            label,
            1,
            format!("the page's search index replaces the file `{index_rel}` of the source folder; rename that file"),
        )]
    }

    /// `config.rb`'s redirects; returns how many files were written.
    fn write_redirects(&self, out: &mut dyn Sink, warnings: &mut Vec<Diagnostic>) -> Result<usize> {
        for r in &self.plan.redirects {
            let (html, warning) = redirect_page(r, &self.plan.outputs);
            out.write(&r.from, &[html.as_bytes()])?;
            warnings.extend(warning);
        }
        Ok(self.plan.redirects.len())
    }

    /// The site search indexes (`search.js` per language): each the parts of its pages,
    /// in the order of the plan; returns how many files were written.
    fn write_site_search<'p>(
        &self,
        out: &mut dyn Sink,
        pages: impl Iterator<Item = &'p PageResult>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<usize> {
        let mut by_index: BTreeMap<&str, Vec<&SitePart>> = BTreeMap::new();
        for (index, part) in pages.flat_map(|p| &p.site_parts) {
            by_index.entry(index.as_str()).or_default().push(part);
        }
        for (index, parts) in &by_index {
            if self.source.all.contains(*index) {
                warnings.push(Diagnostic::new(
                    &self.source.label(index),
                    1,
                    format!("the site's search index replaces the file `{index}` of the source folder; rename that file"),
                ));
            }
            let js = search::site_index(parts).to_js();
            out.write(index, &[js.as_bytes()])?;
        }
        Ok(by_index.len())
    }

    /// `toc.json`, `search-index.json`, and with `--site-url` the sitemap and
    /// `robots.txt`; returns how many files were written.
    fn write_machine_files<'p>(
        &self,
        out: &mut dyn Sink,
        pages: impl Iterator<Item = &'p PageResult>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<usize> {
        let mut records = Records::default();
        for page in pages {
            for record in &page.records {
                records.push(record);
            }
        }
        let site_url = self.options.site_url.as_ref();
        let (files, found) = machine::files(&self.source, &records, site_url, &self.files);
        warnings.extend(found);
        for (rel, text) in &files {
            out.write(rel, &[text.as_bytes()])?;
        }
        Ok(files.len())
    }
}

/// What `shale serve` keeps from one build to the next, so that an edit costs about what
/// the edited file costs: rendered pieces and highlighted code ([`page::Cache`]), the
/// parts of search indexes read and the terms of texts ([`SearchCache`]).
#[derive(Debug, Default)]
pub struct Cache {
    pub page: page::Cache,
    pub search: SearchCache,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Call before each build: forgets what the last builds did not use.
    pub fn begin_build(&self) {
        self.page.begin_build();
        self.search.begin_build();
    }

    /// Call after a build that failed: it does not count.
    pub fn build_failed(&self) {
        self.page.build_failed();
        self.search.build_failed();
    }
}

/// A site built in memory and kept (`shale serve`): after an edit to includes or
/// partials alone, [`Preview::update`] renders again only the pages that read them,
/// their other pieces taken from the [`Cache`], and writes the files for machines again.
pub struct Preview {
    site: Site,
    files: BTreeMap<String, Arc<Vec<u8>>>,
    pages: Vec<Option<PageResult>>,
    tail: Tail,
    /// Every file of the source folder, and the pages and copied files among them
    /// (absolute paths).
    known: HashSet<PathBuf>,
    page_files: HashSet<PathBuf>,
}

impl Preview {
    /// Builds the site of `opts` in memory (`opts.output` is not used), taking from
    /// `cache` what earlier builds made.
    pub fn build(opts: &BuildOptions, cache: Option<&Cache>) -> Result<(Preview, BuildSummary)> {
        let start = Instant::now();
        let site = Site::load(opts)?;
        let mut out = MemorySite::default();
        let (mut summary, pages, tail) = site.build_pages(&mut out, cache)?;
        let files: BTreeMap<String, Arc<Vec<u8>>> = out
            .files
            .into_iter()
            .map(|(rel, bytes)| (rel, Arc::new(bytes)))
            .collect();
        let root = &site.source.root;
        let known = site.source.all.iter().map(|rel| root.join(rel)).collect();
        // Pages, and files copied as they are (an `openapi:` page's spec): a change
        // of one is more than its pages' text.
        let page_files = site
            .source
            .pages
            .iter()
            .chain(&site.source.statics)
            .map(|p| p.abs.clone())
            .collect();
        let preview = Preview {
            site,
            files,
            pages,
            tail,
            known,
            page_files,
        };
        summary.bytes = preview.bytes();
        summary.elapsed = start.elapsed();
        Ok((preview, summary))
    }

    /// The site's files: path → bytes.
    pub fn files(&self) -> &BTreeMap<String, Arc<Vec<u8>>> {
        &self.files
    }

    /// Applies a change to the files at `changed` (absolute paths) when it edits
    /// includes or partials of pages and nothing else: renders those pages again and
    /// writes the files for machines again. `None` when the change may be anything
    /// else (a page, the theme, a file that came or went): build the site again. On an
    /// error, the preview is as it was (build again once the error is fixed: pages
    /// not rendered here may read the broken file too).
    pub fn update(
        &mut self,
        changed: &[PathBuf],
        cache: Option<&Cache>,
    ) -> Option<Result<BuildSummary>> {
        let affected = self.affected(changed)?;
        Some(self.render_again(&affected, cache))
    }

    /// The pages that read the files at `changed`, when the change only edits
    /// includes or partials (an editor's temporary files aside).
    fn affected(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        if self.site.options.single_file {
            return None;
        }
        let mut hit = std::collections::BTreeSet::new();
        for path in changed {
            let reading: Vec<usize> = (0..self.pages.len())
                .filter(|&i| {
                    self.pages[i]
                        .as_ref()
                        .is_some_and(|p| p.inputs.contains(path))
                })
                .collect();
            let read = !reading.is_empty();
            if reading
                .iter()
                .any(|&i| self.pages[i].as_ref().is_some_and(|p| p.split))
            {
                return None; // its parts may change: build again
            }
            hit.extend(reading);
            if read && path.is_file() && !self.page_files.contains(path) {
                continue;
            }
            if !read && !path.exists() && !self.known.contains(path) {
                continue; // an editor's temporary file, come and gone
            }
            return None;
        }
        Some(hit.into_iter().collect())
    }

    /// Renders the pages at `which` (indices of the plan's pages) again.
    fn render_again(&mut self, which: &[usize], cache: Option<&Cache>) -> Result<BuildSummary> {
        let start = Instant::now();
        let mut out = MemorySite::default();
        let mut emit = AsIs::default();
        let mut fresh = Vec::with_capacity(which.len());
        let mut timings = Timings::default();
        for &i in which {
            let page =
                self.site
                    .write_page(&self.site.plan.pages[i], cache, &mut emit, &mut out)?;
            if let Some(p) = &page {
                timings.add(&p.timings);
            }
            fresh.push((i, page));
        }
        let t = Instant::now();
        let mut machine = Vec::new();
        let pages = self.pages.iter().enumerate().map(|(i, old)| {
            match fresh.iter().find(|(k, _)| *k == i) {
                Some((_, new)) => new.as_ref(),
                None => old.as_ref(),
            }
        });
        self.site
            .write_machine_files(&mut out, pages.clone().flatten(), &mut machine)?;
        self.site
            .write_site_search(&mut out, pages.flatten(), &mut machine)?;
        for (i, page) in fresh {
            self.pages[i] = page;
        }
        self.tail.machine = machine;
        for (rel, bytes) in out.files {
            self.files.insert(rel, Arc::new(bytes));
        }
        timings.write += t.elapsed();
        let mut summary = self.site.summary(&self.pages, &self.tail, timings);
        summary.bytes = self.bytes();
        summary.elapsed = start.elapsed();
        Ok(summary)
    }

    fn bytes(&self) -> u64 {
        self.files.values().map(|f| f.len() as u64).sum()
    }
}

/// What one page of the site gave, besides its files.
#[derive(Default)]
struct PageResult {
    /// Its entries of `toc.json` and `search-index.json` (one per part of a split
    /// page).
    records: Vec<PageRecord>,
    /// With a site search index: where that index goes, and the page's part of it
    /// (each part's, for a split page).
    site_parts: Vec<(String, SitePart)>,
    /// The page's `theme:` (for the warnings about unknown variables).
    theme: PageTheme,
    /// Whether it was split (`split: h1`): an edit may change its parts, so `shale
    /// serve` builds the site again.
    split: bool,
    warnings: Vec<Diagnostic>,
    timings: Timings,
    /// The files it was read from (the page, its includes and partials).
    inputs: Vec<PathBuf>,
}

/// A page, or a part of a split page, to write.
struct PartJob<'a> {
    planned: &'a PlannedPage,
    label: &'a str,
    split: Option<(&'a Split, usize)>,
    resolver: &'a UrlResolver<'a>,
    /// The TOC's depth (1 to 4).
    toc_depth: u8,
    /// `lazy_layout`.
    lazy: Lazy,
}

/// What the steps after the pages gave.
#[derive(Default)]
struct Tail {
    files: usize,
    /// About the redirects, then the emitter's (`--single-file`).
    warnings: Vec<Diagnostic>,
    /// About the files for machines.
    machine: Vec<Diagnostic>,
}

/// A number naming the site's files (source files, theme files, outputs): the same as
/// long as no file comes or goes.
fn fingerprint(source: &Source, files: &HashSet<String>, plan: &Plan) -> u64 {
    let mut all: Vec<&str> = source
        .all
        .iter()
        .chain(files)
        .chain(&plan.outputs)
        .map(String::as_str)
        .collect();
    all.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    all.hash(&mut h);
    h.finish()
}

/// The logo the layout shows when the source has it.
const LOGO: &str = "images/logo.png";

/// Width and height of a PNG file, from its IHDR chunk.
fn png_size(path: &Path) -> Option<(u32, u32)> {
    use std::io::Read;
    let mut head = [0u8; 24];
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" || &head[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(head[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(head[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// Site icons the layout links when the source has one (the first found).
const FAVICONS: &[&str] = &[
    "favicon.ico",
    "favicon.png",
    "favicon.svg",
    "images/favicon.ico",
    "images/favicon.png",
    "images/favicon.svg",
    "images/favicon.webp",
];

/// The output folder must not be the source folder or contain it: replacing it would
/// delete the sources.
fn check_output(source_root: &Path, output: &Path) -> Result<()> {
    let out_abs = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir()
            .context("reading the current folder")?
            .join(output)
    };
    let out_abs = normalize(&out_abs);
    let out_real = out_abs.canonicalize().unwrap_or(out_abs);
    if source_root.starts_with(&out_real) {
        bail!(
            "output folder `{}` is the source folder or contains it; building there would delete your sources. Choose another --output, such as `build`",
            output.display()
        );
    }
    Ok(())
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source folder (in a project folder) with the given files.
    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (path, body) in files {
            let p = d.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        d
    }

    fn build_project(d: &tempfile::TempDir) -> Result<(MemorySite, BuildSummary)> {
        let opts = BuildOptions {
            source: d.path().join("source"),
            ..Default::default()
        };
        build_in_memory(&opts, None)
    }

    fn pages(site: &MemorySite) -> Vec<&str> {
        let mut v: Vec<&str> = site
            .files
            .keys()
            .map(String::as_str)
            .filter(|f| f.ends_with(".html"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn localizable_pages_per_language() {
        let d = project(&[
            ("source/localizable/index.en.html.md", "# English"),
            (
                "source/localizable/index.pt.html.md",
                "---\nmount_at_root: pt\n---\n# Português",
            ),
            ("source/localizable/guide.html.md", "# Guide"),
            ("source/localizable/guide.pt.html.md", "# Guia"),
            ("source/localizable/only.pt.html.md", "# Só"),
            ("source/other.html.md", "# Other"),
        ]);
        let (site, summary) = build_project(&d).unwrap();
        assert_eq!(
            pages(&site),
            [
                "en/guide.html",
                "en/index.html",
                "guide.html",
                "index.html",
                "only.html",
                "other.html"
            ]
        );
        assert_eq!(summary.pages, 6);
        let page = |p: &str| String::from_utf8(site.files[p].clone()).unwrap();
        assert!(page("guide.html").contains("<h1 id='guia'>Guia</h1>"));
        assert!(page("en/guide.html").contains("<h1 id='guide'>Guide</h1>"));
        assert!(page("en/guide.html").contains("<html lang=\"en\">"));
        assert!(page("guide.html").contains("<html lang=\"pt\">"));
        assert!(page("en/index.html")
            .contains("<a href=\"../index.html\" hreflang=\"pt\" lang=\"pt\">Português</a>"));
        // A page in one language only, and a page outside localizable/: no switcher.
        assert!(!page("only.html").contains("locale-switcher"));
        assert!(!page("other.html").contains("locale-switcher"));
        assert!(page("other.html").contains("<html lang=\"en\">"));
    }

    #[test]
    fn no_language_at_the_root_with_mount_at_root_false() {
        let d = project(&[
            (
                "source/localizable/index.en.html.md",
                "---\nmount_at_root: false\n---\n# A",
            ),
            ("source/localizable/index.de.html.md", "# B"),
        ]);
        let (site, _) = build_project(&d).unwrap();
        assert_eq!(pages(&site), ["de/index.html", "en/index.html"]);
        let en = String::from_utf8(site.files["en/index.html"].clone()).unwrap();
        assert!(!en.contains("x-default"));
        assert!(en.contains("href=\"../stylesheets/screen.css\""));
    }

    #[test]
    fn middleman_config_chooses_the_root() {
        let d = project(&[
            (
                "config.rb",
                "activate :i18n, :langs => [:pt, :en], :mount_at_root => :pt\n",
            ),
            ("source/localizable/index.en.html.md", "# A"),
            ("source/localizable/index.pt.html.md", "# B"),
        ]);
        let (site, summary) = build_project(&d).unwrap();
        assert_eq!(pages(&site), ["en/index.html", "index.html"]);
        assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
        // Front matter wins over config.rb.
        std::fs::write(
            d.path().join("source/localizable/index.en.html.md"),
            "---\nmount_at_root: en\n---\n# A",
        )
        .unwrap();
        let (site, _) = build_project(&d).unwrap();
        assert_eq!(pages(&site), ["index.html", "pt/index.html"]);
    }

    #[test]
    fn i18n_mistakes_are_clear_errors() {
        let err = |files: &[(&str, &str)]| {
            let d = project(files);
            match build_project(&d) {
                Ok(_) => panic!("{files:?} built"),
                Err(e) => format!("{e:#}"),
            }
        };
        let e = err(&[
            ("source/localizable/index.en.html.md", "# A"),
            ("source/localizable/index.pt.html.md", "# C"),
            ("source/pt/index.html.md", "# B"),
        ]);
        assert!(
            e.contains("source/localizable/index.pt.html.md and ")
                && e.ends_with("source/pt/index.html.md would both be written to `pt/index.html`; rename or remove one of them"),
            "{e}"
        );
        let e = err(&[
            (
                "source/localizable/index.en.html.md",
                "---\ntitle: x\nmount_at_root: fr\n---\n# A",
            ),
            ("source/localizable/index.pt.html.md", "# C"),
        ]);
        assert!(e.contains("localizable/index.en.html.md:3: `mount_at_root: fr`: `fr` is not a language of the site (languages: en, pt, from the file names under localizable/)"), "{e}");
        let e = err(&[(
            "source/localizable/index.en.html.md",
            "---\nmount_at_root: [en]\n---\n# A",
        )]);
        assert!(
            e.contains(
                "index.en.html.md:2: `mount_at_root` must be the language built at the site root"
            ),
            "{e}"
        );
        let e = err(&[
            (
                "source/localizable/index.pt.html.md",
                "---\nlanguage_name: Português\n---\n# A",
            ),
            (
                "source/localizable/guide.pt.html.md",
                "---\nlanguage_name: Brasileiro\n---\n# B",
            ),
        ]);
        assert!(e.contains("`language_name: "), "{e}");
        assert!(
            e.contains("the name of `pt` is the same on every page"),
            "{e}"
        );
        let e = err(&[(
            "source/localizable/index.pt.html.md",
            "---\nincludes:\n  - data\n---\n# A",
        )]);
        assert!(e.contains("include `data` not found; tried "), "{e}");
        let list = &e[e.find("tried ").unwrap() + 6..e.find(". Create").unwrap()];
        let tried: Vec<&str> = list
            .split(", ")
            .map(|t| &t[t.find("source/").unwrap()..])
            .collect();
        assert_eq!(
            tried,
            [
                "source/localizable/includes/_data.pt.md",
                "source/localizable/includes/data.pt.md",
                "source/includes/_data.pt.md",
                "source/includes/data.pt.md",
                "source/localizable/includes/_data.md",
                "source/localizable/includes/data.md",
                "source/includes/_data.md",
                "source/includes/data.md"
            ],
            "{e}"
        );
    }

    #[test]
    fn search_index_beside_pages_with_search_only() {
        let opts = BuildOptions {
            source: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/source"),
            ..Default::default()
        };
        let (site, _) = build_in_memory(&opts, None).unwrap();
        let page = String::from_utf8(site.files["index.html"].clone()).unwrap();
        assert!(page.contains("<script src=\"index.search.js\" defer></script>"));
        let index = String::from_utf8(site.files["index.search.js"].clone()).unwrap();
        assert!(index.starts_with("window.shaleSearchIndex={"));
        assert!(index.contains("\"Получение котят\""));
        let other = String::from_utf8(site.files["nosearch.html"].clone()).unwrap();
        assert!(!other.contains(".search.js"));
        assert!(!site.files.contains_key("nosearch.search.js"));
    }

    #[test]
    fn a_preview_renders_again_only_after_edits_of_includes() {
        let d = project(&[
            (
                "source/index.html.md",
                "---\nincludes:\n  - a\n---\n# Home\n",
            ),
            ("source/other.html.md", "# Other\n"),
            ("source/includes/_a.md", "# A\n"),
            ("source/includes/_b.md", "# B\n"),
        ]);
        let opts = BuildOptions {
            source: d.path().join("source"),
            ..Default::default()
        };
        let (mut preview, _) = Preview::build(&opts, None).unwrap();
        let root = opts.source.canonicalize().unwrap();
        let mut update = |paths: &[&str]| {
            let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            preview.update(&paths, None).map(|r| r.unwrap().pages)
        };
        assert_eq!(
            update(&["includes/_a.md"]),
            Some(2),
            "an include: by the part"
        );
        assert_eq!(update(&["index.html.md"]), None, "a page: build again");
        assert_eq!(update(&["includes/_b.md"]), None, "read by no page");
        assert_eq!(
            update(&["includes/.a.md.swp", "includes/_a.md"]),
            Some(2),
            "an editor's temporary file, gone"
        );
        std::fs::write(root.join("includes/_c.md"), "new").unwrap();
        assert_eq!(update(&["includes/_c.md"]), None, "a new file");
        std::fs::remove_file(root.join("includes/_a.md")).unwrap();
        assert_eq!(update(&["includes/_a.md"]), None, "a removed file");
    }
}
