//! `shale build`: load the source folder, render every page, write the site atomically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::highlight;
use crate::html_scan;
use crate::i18n;
use crate::inline::{Content, Inliner, Miss};
use crate::machine::{self, Records, SiteUrl};
use crate::markdown::Resolver;
use crate::output::{MemorySite, Sink, Staging};
use crate::page::{self, HighlightCache, RenderedPage};
pub use crate::plan::output_path;
use crate::plan::{is_ignored, parent_dir, Plan};
use crate::render::{self, Layout, LayoutContext, PageContext};
use crate::search;
use crate::source::{Source, SourceFile};
use crate::theme::{self, Origin, Theme};
use crate::Diagnostic;

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
    /// index and local images inlined ([`crate::inline`]).
    pub single_file: bool,
    /// `--site-url`: the address the site is published at; writes `sitemap.xml` (and
    /// `robots.txt` at a host's root).
    pub site_url: Option<String>,
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

/// Time per build phase, summed over the pages (one `Instant::now` per phase per page).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Walking the source folder.
    pub scan: Duration,
    /// Reading the page and its includes, splitting and parsing front matter.
    pub read: Duration,
    /// Parsing and rendering the markdown, unique ids and the checks.
    pub markdown: Duration,
    /// Highlighting code blocks (identical blocks once).
    pub highlight: Duration,
    /// Code blocks of the pages.
    pub blocks: usize,
    /// Distinct blocks (identical blocks counted once).
    pub unique_blocks: usize,
    /// Blocks actually highlighted: the distinct ones less those `serve` had cached.
    pub highlighted_blocks: usize,
    /// Rouge lexers of the blocks.
    pub languages: std::collections::BTreeSet<&'static str>,
    /// Writing the events as HTML (`push_html`).
    pub assembly: Duration,
    /// Reading the TOC back from the body.
    pub toc: Duration,
    /// Building the search indexes.
    pub search: Duration,
    /// Loading the layout and rendering it around each page.
    pub layout: Duration,
    /// Writing files (assets, pages, indexes) and replacing the output folder.
    pub write: Duration,
}

impl Timings {
    /// Adds the figures of `other` (a page) to these.
    pub fn add(&mut self, other: &Timings) {
        self.scan += other.scan;
        self.read += other.read;
        self.markdown += other.markdown;
        self.highlight += other.highlight;
        self.blocks += other.blocks;
        self.unique_blocks += other.unique_blocks;
        self.highlighted_blocks += other.highlighted_blocks;
        self.languages.extend(other.languages.iter().copied());
        self.assembly += other.assembly;
        self.toc += other.toc;
        self.search += other.search;
        self.layout += other.layout;
        self.write += other.write;
    }

    /// The sum of the phases.
    pub fn total(&self) -> Duration {
        self.scan
            + self.read
            + self.markdown
            + self.highlight
            + self.assembly
            + self.toc
            + self.search
            + self.layout
            + self.write
    }
}

/// One line per phase (`shale build -v`, `shale serve -v`).
impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let langs: Vec<&str> = self.languages.iter().copied().collect();
        let highlight = format!(
            " ({} blocks, {} distinct, {} highlighted, {} languages: {})",
            self.blocks,
            self.unique_blocks,
            self.highlighted_blocks,
            langs.len(),
            langs.join(" ")
        );
        let rows = [
            ("scan", self.scan, ""),
            ("read + front matter", self.read, ""),
            ("markdown (parse, ids, checks)", self.markdown, ""),
            ("highlight", self.highlight, highlight.as_str()),
            ("page assembly", self.assembly, ""),
            ("TOC", self.toc, ""),
            ("search index", self.search, ""),
            ("layout", self.layout, ""),
            ("write", self.write, ""),
            ("total of phases", self.total(), ""),
        ];
        for (name, d, extra) in rows {
            writeln!(f, "  {name:<34} {:>9.2} ms{extra}", ms(d))?;
        }
        Ok(())
    }
}

/// Builds the site into the output folder, atomically: the folder is replaced only when
/// the whole build succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    if let Some(url) = &opts.site_url {
        SiteUrl::parse(url)?;
    }
    let src = scan(opts)?;
    let scanned = start.elapsed();
    check_output(&src.root, &opts.output)?;
    let mut staging = Staging::new(&opts.output)?;
    let mut summary = build_into(&src, opts, &mut staging, None)?;
    summary.timings.scan += scanned;
    if opts.strict && !summary.warnings.is_empty() {
        let n = summary.warnings.len();
        let list: Vec<String> = summary
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect();
        bail!(
            "{n} warning{} with --strict: the site was not written and the previous one is intact\n{}",
            if n == 1 { "" } else { "s" },
            list.join("\n"),
        );
    }
    summary.bytes = staging.bytes();
    let t = Instant::now();
    staging.commit()?;
    summary.timings.write += t.elapsed();
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Builds the site in memory (for `shale serve`); `opts.output` is not used. Code
/// blocks found in `cache` are not highlighted again, and new ones are added to it.
pub fn build_in_memory(
    opts: &BuildOptions,
    cache: Option<&HighlightCache>,
) -> Result<(MemorySite, BuildSummary)> {
    let start = Instant::now();
    let src = scan(opts)?;
    let scanned = start.elapsed();
    let mut site = MemorySite::default();
    let mut summary = build_into(&src, opts, &mut site, cache)?;
    summary.timings.scan += scanned;
    summary.bytes = site.files.values().map(|f| f.len() as u64).sum();
    summary.elapsed = start.elapsed();
    Ok((site, summary))
}

/// Where each page of the source folder `source` is written, in build order: the
/// page's path in the source folder, its output path and, on a multi-language site,
/// its language. A page under `localizable/` without a language in its name has one
/// entry per language, the root language's first.
pub fn page_outputs(source: &Path) -> Result<Vec<(String, String, Option<String>)>> {
    let src = scan(&BuildOptions {
        source: source.to_path_buf(),
        ..Default::default()
    })?;
    let project = src.root.parent().unwrap_or(&src.root).to_path_buf();
    let plan = Plan::new(&src, &project)?;
    Ok(plan
        .pages
        .into_iter()
        .map(|p| (p.file.rel.clone(), p.out, p.lang))
        .collect())
}

/// Walks the source folder and checks that it has pages.
fn scan(opts: &BuildOptions) -> Result<Source> {
    let display = opts.source.display().to_string();
    let src = Source::scan(&opts.source, &display)?;
    if src.pages.is_empty() {
        bail!(
            "{display}: no pages found; a Slate page is a `*.html.md` file such as {display}/index.html.md"
        );
    }
    Ok(src)
}

/// Renders every page and writes it, the theme's assets, the static files and the
/// machine-readable files to `out`. With `opts.single_file`, each page inlines the
/// files it uses, and only the others are written.
pub fn build_into(
    src: &Source,
    opts: &BuildOptions,
    out: &mut dyn Sink,
    cache: Option<&HighlightCache>,
) -> Result<BuildSummary> {
    let site_url = opts.site_url.as_deref().map(SiteUrl::parse).transpose()?;
    let project = src
        .root
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| src.root.clone());
    highlight::preload();
    let mut timings = Timings::default();
    let t = Instant::now();
    let theme = Theme::new(&project);
    let (layout_text, layout_origin) = theme.layout()?;
    let layout = Layout::new(&layout_text, &layout_origin)?;
    timings.layout += t.elapsed();
    let logo = src
        .all
        .contains("images/logo.png")
        .then_some("images/logo.png");
    let logo_size = logo.and_then(|l| png_size(&src.root.join(l)));
    let favicon = FAVICONS.iter().copied().find(|f| src.all.contains(*f));
    let mut summary = BuildSummary::default();
    summary.warnings.extend(src.warnings.iter().cloned());

    let t = Instant::now();
    // The theme's variables go into every page; the names the theme's stylesheets
    // declare are what `theme:` in front matter is checked against.
    let variables_css = theme.variables()?;
    let inline_variables = theme::inline_css(&variables_css);
    let mut variables: std::collections::BTreeSet<String> =
        theme::declared_variables(&variables_css)
            .map(str::to_string)
            .collect();
    // The files written as they are; with --single-file, handed to the inliner, which
    // gives back those that no page inlines.
    let mut single = opts.single_file.then(|| SingleFile {
        inliner: Inliner::new(),
        layout: (&layout_text, &layout_origin),
    });
    // Every file the site has besides its pages (theme, static files): for links
    // written from the root, and for the machine-readable files a source may replace.
    let mut own_files: HashSet<String> = HashSet::new();
    let mut put = |rel: &str, content: Content, label: String| -> Result<()> {
        own_files.insert(rel.to_string());
        match &mut single {
            Some(single) => single.inliner.add(rel, content, label),
            None => {
                write_content(out, rel, &content)?;
                summary.files += 1;
            }
        }
        Ok(())
    };
    for (rel, origin) in theme.assets() {
        if rel == "stylesheets/screen.css" {
            variables.extend(theme::declared_variables(&origin.text()?).map(str::to_string));
        }
        match origin {
            Origin::Builtin(bytes) => put(&rel, Content::Static(bytes), format!("built-in {rel}"))?,
            Origin::Project(path) => {
                let label = theme::shown(&path);
                put(&rel, Content::File(path), label)?
            }
        }
    }
    if !theme.has_own_asset("stylesheets/highlight.css") {
        put(
            "stylesheets/highlight.css",
            Content::Bytes(highlight::theme_css().into_bytes()),
            "the generated stylesheets/highlight.css".into(),
        )?;
    }
    let plan = Plan::new(src, &project)?;
    summary.warnings.extend(plan.warnings.iter().cloned());
    for (f, rel) in &plan.statics {
        put(rel, Content::File(f.abs.clone()), src.label(&f.rel))?;
    }
    timings.write += t.elapsed();

    let mut records = Records::default();
    for planned in &plan.pages {
        let p = planned.file;
        let out_rel = planned.out.as_str();
        let depth = out_rel.matches('/').count();
        let root = "../".repeat(depth);
        let resolver = UrlResolver {
            src,
            files: &own_files,
            outputs: &plan.outputs,
            page_dir: parent_dir(out_rel),
            home_dir: planned.home.as_deref().map(parent_dir),
            root: &root,
        };
        let env = page::PageEnv {
            lang: planned.lang.as_deref(),
            strings: &plan.strings,
        };
        let rendered = page::render(src, p, env, &resolver, cache)?;
        timings.add(&rendered.timings);
        if is_ignored(&rendered.front) {
            continue; // Middleman's `ignored: true`: the page is not built
        }
        // Footers are raw HTML too: their links from the root become relative.
        let footers: Vec<String> = rendered
            .front
            .toc_footers
            .iter()
            .map(|f| html_scan::rewrite_urls(f, |u| resolver.link(u)).unwrap_or_else(|| f.clone()))
            .collect();
        let mut ctx = LayoutContext {
            page: PageContext::new(&rendered.front, &rendered.toc, out_rel),
            root: root.clone(),
            logo,
            logo_size,
            favicon,
            content: render::content_marker(),
            shale_version: env!("CARGO_PKG_VERSION"),
        };
        ctx.page.toc_footers = &footers;
        if let Some(lang) = &planned.lang {
            ctx.page.lang = i18n::bcp47(lang);
            ctx.page.rtl = rendered.front.rtl.unwrap_or_else(|| i18n::is_rtl(lang));
            ctx.page.translations = plan.translations(planned);
        }
        ctx.page.theme_css.insert_str(0, &inline_variables);
        let index_rel = search::index_path(out_rel);
        if rendered.front.search {
            if src.all.contains(&index_rel) {
                summary.warnings.push(Diagnostic::new(
                    &src.label(&p.rel),
                    1,
                    format!("the page's search index replaces the file `{index_rel}` of the source folder; rename that file"),
                ));
            }
            ctx.page.search_index = Some(search::url_path(&index_rel));
        }
        // The sections (for the search index and search-index.json) are read on
        // another thread while the layout is rendered and the page written (on a large
        // page it is the longest phase after markdown).
        let body = rendered.body.as_str();
        let code = &rendered.code;
        let title = rendered.front.title.as_str();
        let with_index = rendered.front.search;
        let (halves, index_js, record) = std::thread::scope(|scope| -> Result<_> {
            let job = scope.spawn(|| {
                let t = Instant::now();
                let sections = search::sections_skipping(body, &code.ranges, &code.block);
                let js =
                    with_index.then(|| search::index_js_of(&sections, &code.texts, body.len()));
                let record = machine::search_record(out_rel, title, &sections, &code.texts);
                (js, record, t.elapsed())
            });
            let t = Instant::now();
            let (before, after) = layout.render(&mut ctx)?;
            let t2 = Instant::now();
            timings.layout += t2 - t;
            let halves = if single.is_some() {
                Some((before, after)) // written once the search index is inlined
            } else {
                out.write(
                    out_rel,
                    &[before.as_bytes(), body.as_bytes(), after.as_bytes()],
                )?;
                timings.write += t2.elapsed();
                None
            };
            let (js, record, took) = job.join().map_err(|_| {
                anyhow::anyhow!(
                    "{out_rel}: reading the page's sections for its search index and search-index.json failed (a bug in shale: please report it)"
                )
            })?;
            timings.search += took;
            Ok((halves, js, record))
        })?;
        let t = Instant::now();
        let mut inline_warnings = Vec::new();
        match (&mut single, halves) {
            (Some(single), Some(halves)) => {
                let index = index_js.map(|js| (index_rel.as_str(), js));
                let (files, warnings) = single.write_page(
                    out,
                    src,
                    p,
                    planned.lang.as_deref(),
                    &rendered,
                    out_rel,
                    halves,
                    index,
                )?;
                summary.files += files;
                inline_warnings = warnings;
            }
            _ => {
                if let Some(js) = index_js {
                    out.write(&index_rel, &[js.as_bytes()])?;
                    summary.files += 1;
                }
            }
        }
        timings.write += t.elapsed();
        records.add(out_rel, title, &rendered.toc, record);
        summary.pages += 1;
        summary.files += 1;
        summary.warnings.extend(rendered.warnings);
        summary.warnings.extend(inline_warnings);
        let label = src.label(&p.rel);
        summary.warnings.extend(unknown_theme_variables(
            &rendered.front.theme,
            &variables,
            &label,
        ));
    }

    let t = Instant::now();
    // config.rb's redirects.
    for r in &plan.redirects {
        let (html, warning) = crate::plan::redirect_page(r, &plan.outputs);
        out.write(&r.from, &[html.as_bytes()])?;
        summary.files += 1;
        summary.warnings.extend(warning);
    }
    if let Some(single) = single {
        for (rel, content) in single.inliner.to_write() {
            write_content(out, rel, content)?;
            summary.files += 1;
        }
        summary.warnings.extend(single.inliner.warnings);
    }
    write_machine_files(
        out,
        src,
        &records,
        site_url.as_ref(),
        &own_files,
        &mut summary,
    )?;
    timings.write += t.elapsed();
    summary.timings = timings;
    Ok(summary)
}

/// Warnings for the names of the front matter's `theme:` that no stylesheet of the
/// theme declares (a typo, or a variable of another theme): they would change nothing.
fn unknown_theme_variables(
    page: &crate::frontmatter::PageTheme,
    known: &std::collections::BTreeSet<String>,
    label: &str,
) -> Vec<Diagnostic> {
    page.vars
        .iter()
        .chain(&page.dark)
        .filter(|v| !known.contains(&v.name))
        .map(|v| {
            let near = known
                .iter()
                .map(|k| (edit_distance(k, &v.name), k))
                .min()
                .filter(|(d, _)| *d <= 3)
                .map(|(_, k)| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            Diagnostic::new(
                label,
                v.line,
                format!(
                    "theme: `{}` is not a variable of the theme, so it changes nothing{near} (the README's \"Theming\" section lists the variables)",
                    v.name
                ),
            )
        })
        .collect()
}

/// Levenshtein distance (for suggestions; names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// `toc.json`, `search-index.json` and, with a site URL, `sitemap.xml` and `robots.txt`,
/// unless the source folder (or `assets/`) has its own (`own_files`): that one is kept,
/// with a warning.
fn write_machine_files(
    out: &mut dyn Sink,
    src: &Source,
    records: &Records,
    site_url: Option<&SiteUrl>,
    own_files: &HashSet<String>,
    summary: &mut BuildSummary,
) -> Result<()> {
    let mut files = vec![
        (machine::TOC_JSON, records.toc_json()),
        (machine::SEARCH_JSON, records.search_json()),
    ];
    if let Some(url) = site_url {
        if records.pages.len() > machine::SITEMAP_LIMIT {
            summary.warnings.push(Diagnostic::new(
                machine::SITEMAP,
                0,
                format!("{} pages: a sitemap may list at most {}, so search engines will read only the first ones", records.pages.len(), machine::SITEMAP_LIMIT),
            ));
        }
        files.push((machine::SITEMAP, machine::sitemap(url, &records.pages)));
        if own_files.contains(machine::ROBOTS) {
            let own = src.statics.iter().find(|f| f.rel == machine::ROBOTS);
            let text = own.and_then(|f| std::fs::read_to_string(&f.abs).ok());
            if text.is_some_and(|t| !machine::names_sitemap(&t)) {
                summary.warnings.push(Diagnostic::new(
                    &src.label(machine::ROBOTS),
                    0,
                    format!("kept as it is, without a `Sitemap:` line: add `Sitemap: {}{}` so that crawlers find the sitemap", url.as_str(), machine::SITEMAP),
                ));
            }
        } else if url.at_host_root() {
            files.push((machine::ROBOTS, machine::robots(url)));
        }
    }
    for (rel, text) in files {
        if own_files.contains(rel) {
            let shown = if src.all.contains(rel) {
                src.label(rel)
            } else {
                format!("assets/{rel}")
            };
            summary.warnings.push(Diagnostic::new(
                &shown,
                0,
                format!("kept: shale writes its own `{rel}` (see the README, \"Machine-readable files\") only when the source folder and assets/ have none; rename this file to get it"),
            ));
            continue;
        }
        out.write(rel, &[text.as_bytes()])?;
        summary.files += 1;
    }
    Ok(())
}

/// `--single-file`: the inliner, and the layout (text, name) for messages.
struct SingleFile<'a> {
    inliner: Inliner,
    layout: (&'a str, &'a str),
}

impl SingleFile<'_> {
    /// Writes the page (`halves` around its body) at `out_rel` with the files it uses
    /// inlined, `index` (path, script) among them when the page has a search index.
    /// Returns the number of files written and warnings about references to missing
    /// files (those the link check has not reported already).
    #[allow(clippy::too_many_arguments)]
    fn write_page(
        &mut self,
        out: &mut dyn Sink,
        src: &Source,
        page: &SourceFile,
        lang: Option<&str>,
        rendered: &RenderedPage,
        out_rel: &str,
        (before, after): (String, String),
        index: Option<(&str, String)>,
    ) -> Result<(usize, Vec<Diagnostic>)> {
        let body = rendered.body.as_str();
        let index_rel = index.as_ref().map(|(rel, _)| *rel);
        if let Some((rel, js)) = index {
            let label = format!("the search index of {}", src.label(&page.rel));
            self.inliner
                .add(rel, Content::Bytes(js.into_bytes()), label);
        }
        let html = [before.as_str(), body, after.as_str()].concat();
        let (inlined, misses) = self.inliner.page(&html, out_rel)?;
        drop(html);
        out.write(out_rel, &[inlined.as_bytes()])?;
        let mut files = 0;
        if let Some(rel) = index_rel {
            // a layout that does not load the index: written beside the page
            if let Some(unused) = self.inliner.take(rel) {
                write_content(out, rel, &unused)?;
                files += 1;
            }
        }
        let body_at = before.len()..before.len() + body.len();
        let mut warnings = Vec::new();
        for m in misses {
            let (file, line) = locate_miss(
                src,
                page,
                lang,
                &rendered.front.includes,
                self.layout,
                &body_at,
                &m,
            );
            let reported = rendered
                .warnings
                .iter()
                .any(|w| w.file == file && w.line == line && w.message.starts_with("image `"));
            if !reported {
                warnings.push(Diagnostic::new(
                    &file,
                    line,
                    format!("`{}` is not a file of the site, so --single-file cannot inline it; the page will show it missing", m.url),
                ));
            }
        }
        Ok((files, warnings))
    }
}

/// Writes one file of the site as it is.
fn write_content(out: &mut dyn Sink, rel: &str, content: &Content) -> Result<()> {
    match content {
        Content::Static(bytes) => out.write(rel, &[bytes]),
        Content::Bytes(bytes) => out.write(rel, &[bytes]),
        Content::File(path) => out.copy(path, rel),
    }
}

/// Where a reference to a missing file in a single-file page was written: the file and
/// line of the page's markdown or includes (when the reference is in the body), or of
/// the layout; line 0 when the URL is not found as written.
fn locate_miss(
    src: &Source,
    page: &SourceFile,
    lang: Option<&str>,
    includes: &[String],
    layout: (&str, &str),
    body: &std::ops::Range<usize>,
    miss: &Miss,
) -> (String, usize) {
    let url = miss.url.as_str();
    let forms = [
        url,
        url.trim_start_matches("../"),
        url.trim_start_matches('/'),
    ];
    let find = |text: &str| {
        forms
            .iter()
            .find_map(|f| text.find(f).filter(|_| !f.is_empty()))
    };
    let line_at = |text: &str, at: usize| text[..at].matches('\n').count() + 1;
    if !body.contains(&miss.at) {
        let line = find(layout.0).map_or(0, |at| line_at(layout.0, at));
        return (layout.1.to_string(), line);
    }
    let mut files = vec![(src.label(&page.rel), page.abs.clone())];
    for name in includes {
        if let Ok(path) = src.find_include(&page.rel, name, lang) {
            files.push((src.label_abs(&path), path));
        }
    }
    for (label, path) in &files {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Some(at) = find(&text) {
                return (label.clone(), line_at(&text, at));
            }
        }
    }
    (src.label(&page.rel), 0)
}

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

/// Resolves a page's URLs so that the site works from any sub-path, as Slate's
/// `relative_assets` and `relative_links` do: markdown image paths as Middleman's
/// `image_tag` does (`/images/x.png` and a bare `x.png` found under `images/` become
/// paths relative to the page), and links from the site root to a file of the site
/// (`/v2/api.html`, `/`) relative to the page.
struct UrlResolver<'a> {
    src: &'a Source,
    /// The site's files other than pages (static files, theme assets).
    files: &'a HashSet<String>,
    /// Every page and copied file of the output.
    outputs: &'a HashSet<String>,
    /// The page's folder in the output.
    page_dir: &'a str,
    /// A localized page's folder as if it were not localized (`guides` for
    /// `pt/guides/intro.html`): its images are also looked up from there, so
    /// `images/x.png` works in every language.
    home_dir: Option<&'a str>,
    root: &'a str,
}

impl UrlResolver<'_> {
    /// Whether the site has `rel`: a page or file of the output, or a file of the
    /// source folder or the theme.
    fn has(&self, rel: &str) -> bool {
        self.outputs.contains(rel) || self.files.contains(rel) || self.src.all.contains(rel)
    }
}

impl Resolver for UrlResolver<'_> {
    fn link(&self, url: &str) -> Option<String> {
        let (path, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
        let abs = path.strip_prefix('/')?;
        if abs.starts_with(['/', '\\']) {
            return None; // `//host/x`: another host
        }
        let file = normalize_rel("", &crate::check::percent_decode(abs))?;
        // A folder (`/`, `/v2/`) is its `index.html`, which also works from `file://`.
        let (written, file) = if file.is_empty() || abs.ends_with('/') {
            let index = if file.is_empty() {
                "index.html".to_string()
            } else {
                format!("{file}/index.html")
            };
            (format!("{abs}index.html"), index)
        } else {
            (abs.to_string(), file)
        };
        self.has(&file)
            .then(|| format!("{}{written}{rest}", self.root))
    }

    fn image(&self, url: &str) -> Option<String> {
        if url.is_empty()
            || url.contains("://")
            || url.starts_with("data:")
            || url.starts_with("//")
            || url.starts_with('#')
        {
            return None;
        }
        let (path, rest) = match url.find(['?', '#']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        if let Some(abs) = path.strip_prefix('/') {
            return Some(format!("{}{abs}{rest}", self.root));
        }
        let beside = if self.page_dir.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.page_dir)
        };
        if self.has(&beside) {
            return None;
        }
        if let Some(home) = self.home_dir.and_then(|d| normalize_rel(d, path)) {
            if self.has(&home) {
                return Some(format!("{}{home}{rest}", self.root));
            }
        }
        let in_images = format!("images/{path}");
        if self.has(&in_images) {
            return Some(format!("{}{in_images}{rest}", self.root));
        }
        None
    }

    fn local_exists(&self, url: &str, image: bool) -> Option<bool> {
        let scheme = url
            .find(':')
            .is_some_and(|i| !url[..i].contains(['/', '?', '#']));
        if url.is_empty() || scheme || url.starts_with("//") || url.starts_with('#') {
            return None;
        }
        let path = url.split(['?', '#']).next().unwrap_or("");
        let path = crate::check::percent_decode(path);
        if path.is_empty() {
            return None;
        }
        let rel = match path.strip_prefix('/') {
            Some(abs) => normalize_rel("", abs),
            None => normalize_rel(self.page_dir, &path),
        };
        let Some(rel) = rel else { return Some(false) };
        let rel = if rel.is_empty() || path.ends_with('/') {
            format!("{rel}{}index.html", if rel.is_empty() { "" } else { "/" })
        } else {
            rel
        };
        let from_home = || {
            self.home_dir
                .and_then(|d| normalize_rel(d, &path))
                .is_some_and(|r| self.has(&r))
        };
        let found = self.has(&rel) || image && (self.has(&format!("images/{path}")) || from_home());
        Some(found)
    }
}

/// `dir` + `path` with `.` and `..` resolved; `None` when it leaves the site.
pub(crate) fn normalize_rel(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
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
}
