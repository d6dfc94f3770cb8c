//! `shale build --single-file`: every page made self-contained, so that it works alone
//! (mailed, or opened from disk with no network). Stylesheets become `<style>` elements,
//! scripts inline `<script>`s, and every local file a page or its CSS uses (images,
//! fonts, icons) a `data:` URI with its MIME type.
//!
//! What is inlined:
//! - `<link rel=stylesheet href>` (keeping `media`), and `url(…)` and `@import` in it,
//!   recursively; `url(…)` in `<style>` elements and `style` attributes;
//! - `<script src>`; one with `defer` or `async` moves to just before `</body>` (an
//!   inline script cannot be deferred, and shale's script needs the page's elements);
//! - `<link rel=icon href>` (any `rel` ending in `icon`);
//! - `src` and `srcset` of `img` and `source`, `src` of `video`, `audio`, `track`,
//!   `embed`, `input`, `poster` of `video`, `href` of SVG `image`.
//!
//! Left as they are: URLs with a scheme (`https:`, `data:`, `mailto:`), `//host/…`,
//! `#anchors`, and links (`<a href>`, `<iframe src>`, other `<link>`s): the files they
//! point to are recorded as linked, so that the build still writes them.
//!
//! Inline script text is made safe for `<script>`: `</script` and `<!--` are written
//! `\x3C/script` and `\x3C!--` (the same characters in JavaScript strings, templates
//! and regular expressions); inline CSS has `</style` written `\3C/style`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use std::rc::Rc;

use anyhow::{Context, Result};

use crate::emit::emitter::{Emitter, PageSource};
use crate::emit::layout::{Layout, PageHtml};
use crate::output::{Content, Sink};
use crate::util::html_scan::{self, TagRef};
use crate::Diagnostic;

/// The `--single-file` [`Emitter`]: files are handed to the [`Inliner`], each page is
/// written with the files it uses inlined, and the files no page inlined are written at
/// the end.
pub struct SingleFile<'a> {
    inliner: Inliner,
    /// The layout, to find where a reference outside the body was written.
    layout: &'a Layout,
    /// The page being written: its path and HTML, until its search index is made.
    pending: Option<(String, PageHtml)>,
    files: usize,
}

impl<'a> SingleFile<'a> {
    pub fn new(layout: &'a Layout) -> SingleFile<'a> {
        SingleFile {
            inliner: Inliner::new(),
            layout,
            pending: None,
            files: 0,
        }
    }

    /// Where a reference to a missing file was written: in the body, the file and line
    /// of the page's markdown or includes; else the layout's line (0 when the URL is
    /// not found as written).
    fn locate(&self, page: PageSource<'_>, html: &PageHtml, miss: &Miss) -> (String, usize) {
        if html.body.contains(&miss.at) {
            let at = miss.at - html.body.start;
            return match page.rendered.locate(at, &miss.url) {
                Some((label, line)) => (label.to_string(), line),
                None => (page.label.to_string(), 0),
            };
        }
        let text = self.layout.text();
        let url = miss.url.as_str();
        let forms = [
            url,
            url.trim_start_matches("../"),
            url.trim_start_matches('/'),
        ];
        let line = forms
            .iter()
            .filter(|f| !f.is_empty())
            .find_map(|f| text.find(f))
            .map_or(0, |at| text[..at].matches('\n').count() + 1);
        (self.layout.name().to_string(), line)
    }
}

impl Emitter for SingleFile<'_> {
    fn file(&mut self, _: &mut dyn Sink, rel: &str, content: Content, label: String) -> Result<()> {
        self.inliner.add(rel, content, label);
        Ok(())
    }

    fn page(&mut self, _: &mut dyn Sink, rel: &str, html: PageHtml) -> Result<()> {
        self.pending = Some((rel.to_string(), html)); // written once its index is inlined
        Ok(())
    }

    /// Writes the page with the files it uses inlined, its search index among them.
    /// Warns about references to missing files (those the link check has not reported
    /// already).
    fn end_page(
        &mut self,
        out: &mut dyn Sink,
        index: Option<(String, String)>,
        page: PageSource<'_>,
    ) -> Result<Vec<Diagnostic>> {
        let (rel, html) = self.pending.take().expect("a page before its end");
        let index_rel = index.as_ref().map(|(rel, _)| rel.clone());
        if let Some((rel, js)) = index {
            let label = format!("the search index of {}", page.label);
            self.inliner
                .add(&rel, Content::Bytes(js.into_bytes()), label);
        }
        let (inlined, misses) = self.inliner.page(&html.html, &rel)?;
        out.write(&rel, &[inlined.as_bytes()])?;
        self.files += 1;
        drop(inlined);
        if let Some(rel) = index_rel {
            // a layout that does not load the index: written beside the page
            if let Some(unused) = self.inliner.take(&rel) {
                out.put(&rel, &unused)?;
                self.files += 1;
            }
        }
        let mut warnings = Vec::new();
        for m in misses {
            let (file, line) = self.locate(page, &html, &m);
            let reported = page.rendered.warnings.iter().any(|w| {
                w.at.file == file && w.at.line == line && w.message.starts_with("image `")
            });
            if !reported {
                warnings.push(Diagnostic::new(
                    &file,
                    line,
                    format!("`{}` is not a file of the site, so --single-file cannot inline it; the page will show it missing", m.url),
                ));
            }
        }
        Ok(warnings)
    }

    fn finish(&mut self, out: &mut dyn Sink) -> Result<Vec<Diagnostic>> {
        for (rel, content) in self.inliner.to_write() {
            out.put(rel, content)?;
            self.files += 1;
        }
        Ok(std::mem::take(&mut self.inliner.warnings))
    }

    fn files(&self) -> usize {
        self.files
    }
}

/// Files larger than this are inlined with a warning (1 MB).
pub const LARGE: usize = 1 << 20;

struct Entry {
    content: Content,
    /// How the file is named in messages.
    label: String,
}

/// A reference of a page to a local file that the site does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// The URL as written.
    pub url: String,
    /// Byte offset of the URL in the page's HTML.
    pub at: usize,
}

/// Inlines the files of one site into its pages. Data URIs and processed stylesheets
/// are made once per build, whatever the number of pages that use them.
#[derive(Default)]
pub struct Inliner {
    files: HashMap<String, Entry>,
    /// rel → `data:` URI.
    data: HashMap<String, Rc<str>>,
    /// rel → stylesheet text with its URLs inlined.
    css: HashMap<String, Rc<str>>,
    inlined: HashSet<String>,
    linked: HashSet<String>,
    /// Warnings about the files themselves (large, missing references in stylesheets).
    pub warnings: Vec<Diagnostic>,
}

/// What becomes of one URL.
enum Outcome {
    /// Not a local file: left as it is.
    Keep,
    /// The file's `data:` URI (with the URL's `#fragment`).
    Data(String),
    /// A local file the site does not have.
    Missing,
}

impl Inliner {
    pub fn new() -> Inliner {
        Inliner::default()
    }

    /// Adds (or replaces) the file of the site at `rel`.
    pub fn add(&mut self, rel: &str, content: Content, label: String) {
        self.data.remove(rel);
        self.css.remove(rel);
        self.files.insert(rel.to_string(), Entry { content, label });
    }

    /// Removes the file at `rel` (a page's search index, once its page is done); returns
    /// it when no page inlined it or a page links to it, so that it is written.
    pub fn take(&mut self, rel: &str) -> Option<Content> {
        self.data.remove(rel);
        self.css.remove(rel);
        let e = self.files.remove(rel)?;
        (!self.inlined.remove(rel) || self.linked.contains(rel)).then_some(e.content)
    }

    /// The files no page inlined, or that a page links to: the build still writes
    /// them. Sorted by path.
    pub fn to_write(&self) -> Vec<(&str, &Content)> {
        let mut out: Vec<(&str, &Content)> = self
            .files
            .iter()
            .filter(|(rel, _)| !self.inlined.contains(*rel) || self.linked.contains(*rel))
            .map(|(rel, e)| (rel.as_str(), &e.content))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The page `html` (written at `page_rel`, relative to the site root) with every
    /// local stylesheet, script and image inlined, and the references to local files
    /// the site does not have.
    pub fn page(&mut self, html: &str, page_rel: &str) -> Result<(String, Vec<Miss>)> {
        let dir = crate::util::url::parent_dir(page_rel);
        let mut ed = Edits::default();
        let mut misses = Vec::new();
        let mut tags = html_scan::tags(html);
        while let Some(t) = tags.next() {
            if t.closing {
                if t.is("body") {
                    ed.body_close = Some(t.start);
                }
                continue;
            }
            if t.is("script") || t.is("style") {
                let close = tags.next().filter(|c| c.closing && c.is(t.name));
                let inner_end = close.as_ref().map_or(html.len(), |c| c.start);
                let end = close.as_ref().map_or(html.len(), |c| c.end);
                if t.is("style") {
                    self.style(html, &t, inner_end, dir, &mut ed, &mut misses)?;
                } else {
                    self.script(html, &t, end, dir, &mut ed, &mut misses)?;
                }
            } else if t.is("link") {
                self.link(html, &t, dir, &mut ed.edits, &mut misses)?;
            } else {
                self.attributes(html, &t, dir, &mut ed.edits, &mut misses)?;
            }
        }
        Ok((ed.apply(html), misses))
    }

    /// `<style>`: its `url(...)`s inlined.
    fn style(
        &mut self,
        html: &str,
        t: &TagRef<'_>,
        inner_end: usize,
        dir: &str,
        ed: &mut Edits,
        misses: &mut Vec<Miss>,
    ) -> Result<()> {
        let text = &html[t.end..inner_end];
        let (css, found) = self.css(text, dir, &mut Vec::new())?;
        misses.extend(found.into_iter().map(|(url, at)| Miss {
            url,
            at: t.end + at,
        }));
        if css != text {
            ed.edits
                .push((t.end, inner_end, escape_style(&css).into_owned()));
        }
        Ok(())
    }

    /// `<script src>` (ending at `end`): its code inlined, in place, or moved to the end
    /// of the body when it was deferred (`defer`, `async`), as the browser would run it.
    fn script(
        &mut self,
        html: &str,
        t: &TagRef<'_>,
        end: usize,
        dir: &str,
        ed: &mut Edits,
        misses: &mut Vec<Miss>,
    ) -> Result<()> {
        let Some(src) = html_scan::attr(t.attrs, "src") else {
            return Ok(());
        };
        let at = src.as_ptr() as usize - html.as_ptr() as usize;
        let Some(rel) = self.local(src, dir, misses, at)? else {
            return Ok(());
        };
        let code = self.read(&rel)?.unwrap_or_default();
        let script = inline_script(t, &String::from_utf8_lossy(&code));
        let module = html_scan::attr(t.attrs, "type")
            .is_some_and(|ty| ty.trim().eq_ignore_ascii_case("module"));
        let later = !module
            && ["defer", "async"]
                .iter()
                .any(|a| html_scan::attr(t.attrs, a).is_some());
        if later {
            ed.moved.push(script);
            ed.edits
                .push((line_start(html, t.start, end), end, String::new()));
        } else {
            ed.edits.push((t.start, end, script));
        }
        self.inlined.insert(rel);
        Ok(())
    }

    /// The resource attributes of any other tag (`src`, `srcset`, `style`, `href`...).
    fn attributes(
        &mut self,
        html: &str,
        t: &TagRef<'_>,
        dir: &str,
        edits: &mut Vec<(usize, usize, String)>,
        misses: &mut Vec<Miss>,
    ) -> Result<()> {
        for a in html_scan::attributes(t.attrs) {
            let name = a.name.to_ascii_lowercase();
            let kind = resource_attr(t.name, &name);
            if kind == AttrKind::None || a.value.is_empty() {
                continue;
            }
            let at = a.value.as_ptr() as usize - html.as_ptr() as usize;
            let new = match kind {
                AttrKind::Url => match self.url(a.value, dir, true, &mut Vec::new())? {
                    Outcome::Data(d) => Some(d),
                    Outcome::Missing => {
                        misses.push(Miss {
                            url: html_scan::decode(a.value),
                            at,
                        });
                        None
                    }
                    Outcome::Keep => None,
                },
                AttrKind::Srcset => self.srcset(a.value, dir, at, misses)?,
                AttrKind::Link => {
                    if let Url::Local(Some(rel), _) = classify(&html_scan::decode(a.value), dir) {
                        self.linked.insert(rel);
                    }
                    None
                }
                AttrKind::Style => {
                    let css = html_scan::decode(a.value);
                    let (new, found) = self.css(&css, dir, &mut Vec::new())?;
                    // Offsets in the decoded text: close enough for a line number.
                    misses.extend(found.into_iter().map(|(url, o)| Miss {
                        url,
                        at: at + o.min(a.value.len()),
                    }));
                    (new != css).then(|| crate::util::escape::html(&new))
                }
                AttrKind::None => None,
            };
            if let Some(new) = new {
                edits.push(attr_edit(&a, at, new));
            }
        }
        Ok(())
    }

    /// `<link>`: a stylesheet becomes `<style>`, an icon a `data:` URI; other links are
    /// recorded as linked.
    fn link(
        &mut self,
        html: &str,
        t: &TagRef<'_>,
        dir: &str,
        edits: &mut Vec<(usize, usize, String)>,
        misses: &mut Vec<Miss>,
    ) -> Result<()> {
        let Some(href) =
            html_scan::attributes(t.attrs).find(|a| a.name.eq_ignore_ascii_case("href"))
        else {
            return Ok(());
        };
        let rel_attr = html_scan::attr(t.attrs, "rel")
            .unwrap_or("")
            .to_ascii_lowercase();
        let rels: Vec<&str> = rel_attr.split_ascii_whitespace().collect();
        let at = href.value.as_ptr() as usize - html.as_ptr() as usize;
        if rels.contains(&"stylesheet") && !rels.contains(&"alternate") {
            let Some(rel) = self.local(href.value, dir, misses, at)? else {
                return Ok(());
            };
            let Some(css) = self.css_file(&rel, &mut Vec::new())? else {
                return Ok(());
            };
            let mut style = String::from("<style");
            if let Some(media) =
                html_scan::attributes(t.attrs).find(|a| a.name.eq_ignore_ascii_case("media"))
            {
                style.push(' ');
                style.push_str(media.whole);
            }
            style.push('>');
            style.push_str(&escape_style(&css));
            style.push_str("</style>");
            edits.push((t.start, t.end, style));
            self.inlined.insert(rel);
        } else if rels.iter().any(|r| r.ends_with("icon")) {
            match self.url(href.value, dir, true, &mut Vec::new())? {
                Outcome::Data(d) => edits.push(attr_edit(&href, at, d)),
                Outcome::Missing => misses.push(Miss {
                    url: html_scan::decode(href.value),
                    at,
                }),
                Outcome::Keep => {}
            }
        } else if let Url::Local(Some(rel), _) = classify(&html_scan::decode(href.value), dir) {
            self.linked.insert(rel);
        }
        Ok(())
    }

    /// The site path of a local URL (an attribute value) when the site has the file;
    /// `None` for other URLs, and for missing files (recorded in `misses`).
    fn local(
        &mut self,
        raw: &str,
        dir: &str,
        misses: &mut Vec<Miss>,
        at: usize,
    ) -> Result<Option<String>> {
        let url = html_scan::decode(raw);
        match classify(&url, dir) {
            Url::Remote => Ok(None),
            Url::Local(Some(rel), _) if self.files.contains_key(&rel) => Ok(Some(rel)),
            Url::Local(..) => {
                misses.push(Miss { url, at });
                Ok(None)
            }
        }
    }

    /// `srcset` with each local candidate inlined; `None` when nothing changed.
    fn srcset(
        &mut self,
        raw: &str,
        dir: &str,
        at: usize,
        misses: &mut Vec<Miss>,
    ) -> Result<Option<String>> {
        let value = html_scan::decode(raw);
        let mut out = String::new();
        let mut changed = false;
        for (url, descriptor) in parse_srcset(&value) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            match self.url(url, dir, false, &mut Vec::new())? {
                Outcome::Data(d) => {
                    out.push_str(&d);
                    changed = true;
                }
                Outcome::Missing => {
                    misses.push(Miss {
                        url: url.to_string(),
                        at,
                    });
                    out.push_str(url);
                }
                Outcome::Keep => out.push_str(url),
            }
            if !descriptor.is_empty() {
                out.push(' ');
                out.push_str(descriptor);
            }
        }
        Ok(changed.then(|| crate::util::escape::html(&out)))
    }

    /// What becomes of `url` (entity-encoded when `entities`), relative to `dir`.
    fn url(
        &mut self,
        url: &str,
        dir: &str,
        entities: bool,
        stack: &mut Vec<String>,
    ) -> Result<Outcome> {
        let decoded = if entities {
            html_scan::decode(url)
        } else {
            url.to_string()
        };
        let (rel, fragment) = match classify(&decoded, dir) {
            Url::Remote => return Ok(Outcome::Keep),
            Url::Local(None, _) => return Ok(Outcome::Missing),
            Url::Local(Some(rel), fragment) => (rel, fragment),
        };
        let Some(data) = self.data_uri(&rel, stack)? else {
            return Ok(Outcome::Missing);
        };
        let mut d = data.to_string();
        if !fragment.is_empty() {
            d.push_str(&crate::util::escape::html(&fragment));
        }
        Ok(Outcome::Data(d))
    }

    /// The `data:` URI of the file at `rel`, `None` when the site has no such file.
    fn data_uri(&mut self, rel: &str, stack: &mut Vec<String>) -> Result<Option<Rc<str>>> {
        if let Some(d) = self.data.get(rel) {
            self.inlined.insert(rel.to_string());
            return Ok(Some(d.clone()));
        }
        let Some(bytes) = self.read(rel)? else {
            return Ok(None);
        };
        let mime = mime_type(rel, &bytes);
        if mime == "text/css" && stack.iter().any(|r| r == rel) {
            let label = self.files[rel].label.clone();
            self.warnings.push(Diagnostic::new(
                &label,
                0,
                "this stylesheet imports itself (through @import); the repeated import is left out of the single-file page",
            ));
            return Ok(Some(Rc::from("data:text/css,")));
        }
        let uri = if mime == "text/css" {
            let css = self.css_file(rel, stack)?.unwrap_or_default();
            data_uri("text/css;charset=utf-8", css.as_bytes())
        } else {
            let (uri, len) = (data_uri(mime, &bytes), bytes.len());
            self.warn_large(rel, len);
            uri
        };
        let uri: Rc<str> = uri.into();
        self.data.insert(rel.to_string(), uri.clone());
        self.inlined.insert(rel.to_string());
        Ok(Some(uri))
    }

    /// The stylesheet at `rel` with its URLs inlined; references to missing files
    /// are warnings naming the stylesheet's line.
    fn css_file(&mut self, rel: &str, stack: &mut Vec<String>) -> Result<Option<Rc<str>>> {
        if let Some(c) = self.css.get(rel) {
            return Ok(Some(c.clone()));
        }
        let Some(bytes) = self.read(rel)? else {
            return Ok(None);
        };
        let label = self.files[rel].label.clone();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        self.warn_large(rel, text.len());
        stack.push(rel.to_string());
        let (css, found) = self.css(&text, crate::util::url::parent_dir(rel), stack)?;
        stack.pop();
        for (url, at) in found {
            self.warnings.push(Diagnostic::new(
                &label,
                line_of(&text, at),
                format!("`{url}` is not a file of the site, so --single-file cannot inline it; the page will show it missing"),
            ));
        }
        let css: Rc<str> = css.into();
        self.css.insert(rel.to_string(), css.clone());
        Ok(Some(css))
    }

    /// `text` (CSS) with every `url(…)` and `@import "…"` of a local file replaced by
    /// the file's `data:` URI; the missing ones as (URL, offset in `text`).
    fn css(
        &mut self,
        text: &str,
        dir: &str,
        stack: &mut Vec<String>,
    ) -> Result<(String, Vec<(String, usize)>)> {
        let refs = css_refs(text);
        if refs.is_empty() {
            return Ok((text.to_string(), Vec::new()));
        }
        let mut out = String::with_capacity(text.len());
        let mut misses = Vec::new();
        let mut pos = 0;
        for r in refs {
            match self.url(&r.url, dir, false, stack)? {
                Outcome::Data(d) => {
                    out.push_str(&text[pos..r.start]);
                    out.push_str("url(\"");
                    out.push_str(&d.replace('\\', "\\\\").replace('"', "\\\""));
                    out.push_str("\")");
                    pos = r.end;
                }
                Outcome::Missing => misses.push((r.url, r.start)),
                Outcome::Keep => {}
            }
        }
        out.push_str(&text[pos..]);
        Ok((out, misses))
    }

    /// The bytes of the file at `rel`, `None` when the site has no such file.
    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>> {
        let Some(e) = self.files.get(rel) else {
            return Ok(None);
        };
        Ok(Some(match &e.content {
            Content::Static(b) => Cow::Borrowed(*b),
            Content::Bytes(b) => Cow::Borrowed(b.as_slice()),
            Content::File(p) => {
                Cow::Owned(std::fs::read(p).with_context(|| format!("reading {}", e.label))?)
            }
        }))
    }

    fn warn_large(&mut self, rel: &str, len: usize) {
        if len > LARGE && !self.data.contains_key(rel) && !self.inlined.contains(rel) {
            let label = self.files[rel].label.clone();
            self.warnings.push(Diagnostic::new(
                &label,
                0,
                format!(
                    "{:.1} MB, inlined by --single-file into every page that uses it (a third larger, as base64); a smaller file, or one on another host (URLs with https: are left as they are), keeps the page light",
                    len as f64 / (1 << 20) as f64
                ),
            ));
        }
    }
}

/// Which attributes of which elements name a resource to inline (or a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrKind {
    None,
    Url,
    Srcset,
    Style,
    Link,
}

fn resource_attr(tag: &str, attr: &str) -> AttrKind {
    let tag = tag.to_ascii_lowercase();
    match (tag.as_str(), attr) {
        (_, "style") => AttrKind::Style,
        ("img" | "source", "srcset") => AttrKind::Srcset,
        ("img" | "source" | "video" | "audio" | "track" | "embed" | "input", "src") => {
            AttrKind::Url
        }
        ("video", "poster") => AttrKind::Url,
        ("image", "href" | "xlink:href") => AttrKind::Url,
        ("a" | "area", "href") | ("iframe", "src") => AttrKind::Link,
        _ => AttrKind::None,
    }
}

/// The edit that puts `new` in place of the value of attribute `a` (at `at` in the
/// page), quoting it when the value was not quoted.
fn attr_edit(a: &html_scan::Attr<'_>, at: usize, new: String) -> (usize, usize, String) {
    let off = a.value.as_ptr() as usize - a.whole.as_ptr() as usize;
    let quoted = off > 0 && matches!(a.whole.as_bytes()[off - 1], b'"' | b'\'');
    let new = if quoted { new } else { format!("\"{new}\"") };
    (at, at + a.value.len(), new)
}

/// An inline `<script>` with the text of `code`, keeping the attributes of `tag` that
/// still mean something without `src`.
fn inline_script(tag: &TagRef<'_>, code: &str) -> String {
    const DROP: &[&str] = &[
        "src",
        "defer",
        "async",
        "blocking",
        "integrity",
        "crossorigin",
        "charset",
        "fetchpriority",
        "referrerpolicy",
    ];
    let mut s = String::with_capacity(code.len() + 32);
    s.push_str("<script");
    for a in html_scan::attributes(tag.attrs) {
        if !DROP.iter().any(|d| a.name.eq_ignore_ascii_case(d)) {
            s.push(' ');
            s.push_str(a.whole);
        }
    }
    s.push('>');
    s.push_str(&escape_script(code));
    s.push_str("</script>");
    s
}

/// A URL of a page or stylesheet.
#[derive(Debug, PartialEq, Eq)]
enum Url {
    /// Not a file of the site: a scheme (`https:`, `data:`), `//host`, `#anchor`, empty.
    Remote,
    /// A local file: its path from the site root (`None` when the URL leaves the site)
    /// and the `#fragment`, if any.
    Local(Option<String>, String),
}

/// Classifies `url` (entities decoded), relative to the folder `dir` of the site.
fn classify(url: &str, dir: &str) -> Url {
    let url = url.trim();
    if url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
        || crate::util::url::has_scheme(url)
    {
        return Url::Remote;
    }
    let (path, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = crate::util::url::percent_decode(path).replace('\\', "/");
    let rel = match path.strip_prefix('/') {
        Some(abs) => crate::util::url::normalize_rel("", abs),
        None => crate::util::url::normalize_rel(dir, &path),
    };
    Url::Local(rel.filter(|r| !r.is_empty()), fragment.to_string())
}

/// Where to start removing the element at `start..end`: at the start of its line (the
/// newline before it included) when nothing else is on that line, else at `start`.
fn line_start(html: &str, start: usize, end: usize) -> usize {
    let indent = html[..start].trim_end_matches([' ', '\t']).len();
    let alone =
        indent > 0 && html.as_bytes()[indent - 1] == b'\n' && html[end..].starts_with(['\n', '\r']);
    if alone {
        indent - 1
    } else {
        start
    }
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The candidates of a `srcset` value: (URL, descriptor such as `2x` or `480w`), as
/// the HTML standard splits them (a URL is a run of non-spaces; commas at its end
/// separate candidates).
fn parse_srcset(s: &str) -> Vec<(&str, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let u0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut u1 = i;
        if b[u1 - 1] == b',' {
            while u1 > u0 && b[u1 - 1] == b',' {
                u1 -= 1;
            }
            out.push((&s[u0..u1], ""));
            continue;
        }
        let d0 = i;
        let mut depth = 0i32;
        while i < b.len() && (b[i] != b',' || depth > 0) {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        out.push((&s[u0..u1], s[d0..i].trim()));
    }
    out
}

/// A `url(…)`, or the string of an `@import "…"`, in CSS.
#[derive(Debug, PartialEq, Eq)]
struct CssRef {
    /// The URL, quotes and escapes removed.
    url: String,
    /// The range of the whole token (`url(…)` or the string).
    start: usize,
    end: usize,
}

/// Every `url(…)` and `@import "…"` of a stylesheet, skipping comments and other strings.
fn css_refs(css: &str) -> Vec<CssRef> {
    let b = css.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            }
            q @ (b'"' | b'\'') => {
                let (value, end) = css_string(css, i + 1, q);
                let before = css[..i].trim_end();
                let import = before.len() >= 7
                    && before.is_char_boundary(before.len() - 7)
                    && before[before.len() - 7..].eq_ignore_ascii_case("@import");
                if import {
                    out.push(CssRef {
                        url: value,
                        start: i,
                        end,
                    });
                }
                i = end;
            }
            b'\\' => i += 2,
            b'u' | b'U'
                if b.len() >= i + 4
                    && b[i..i + 4].eq_ignore_ascii_case(b"url(")
                    && (i == 0 || !is_ident_byte(b[i - 1])) =>
            {
                let mut j = i + 4;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let value;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let (v, e) = css_string(css, j + 1, b[j]);
                    value = v;
                    j = e;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                } else {
                    let v0 = j;
                    while j < b.len() && b[j] != b')' && !b[j].is_ascii_whitespace() {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    j = j.min(b.len());
                    value = css_unescape(&css[v0..j]);
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                }
                if j < b.len() && b[j] == b')' {
                    out.push(CssRef {
                        url: value,
                        start: i,
                        end: j + 1,
                    });
                    i = j + 1;
                } else {
                    i = j.max(i + 1); // not a well-formed url(): left alone
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c >= 0x80
}

/// A CSS string starting at `from` (after the quote `q`): its value and the offset
/// just past the closing quote.
fn css_string(css: &str, from: usize, q: u8) -> (String, usize) {
    let b = css.as_bytes();
    let mut j = from;
    while j < b.len() && b[j] != q && b[j] != b'\n' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    let j = j.min(b.len());
    let value = css_unescape(&css[from..j]);
    (value, (j + 1).min(b.len()))
}

/// Removes CSS backslash escapes (`\"`, `\26 `).
fn css_unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            hex.push(chars.next().unwrap_or('0'));
        }
        if hex.is_empty() {
            match chars.next() {
                Some('\n') | None => {}
                Some(c) => out.push(c),
            }
        } else {
            if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            let code = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
            out.push(
                char::from_u32(code)
                    .filter(|&c| c != '\0')
                    .unwrap_or('\u{fffd}'),
            );
        }
    }
    out
}

/// Script text safe inside `<script>…</script>`: `</script` and `<!--` (any case)
/// written with `\x3C`, which JavaScript reads as `<` in strings, templates and
/// regular expressions.
pub fn escape_script(js: &str) -> Cow<'_, str> {
    escape_lt(js, &["</script", "<!--"], "\\x3C")
}

/// Style text safe inside `<style>…</style>`: `</style` written `\3C/style`.
pub fn escape_style(css: &str) -> Cow<'_, str> {
    escape_lt(css, &["</style"], "\\3C")
}

fn escape_lt<'a>(s: &'a str, needles: &[&str], lt: &str) -> Cow<'a, str> {
    let hit = |rest: &str| {
        needles.iter().any(|n| {
            rest.len() >= n.len() && rest.as_bytes()[..n.len()].eq_ignore_ascii_case(n.as_bytes())
        })
    };
    let mut out: Option<String> = None;
    let mut last = 0;
    for (i, _) in s.match_indices('<') {
        if hit(&s[i..]) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(&s[last..i]);
            o.push_str(lt);
            last = i + 1;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(&s[last..]);
            Cow::Owned(o)
        }
    }
}

/// The MIME type of the file at `rel`: from its extension, else from its first bytes.
pub fn mime_type(rel: &str, bytes: &[u8]) -> &'static str {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let by_ext = match ext.as_str() {
        "png" => "image/png",
        "apng" => "image/apng",
        "jpg" | "jpeg" | "jpe" | "jfif" | "pjpeg" | "pjp" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "ico" | "cur" => "image/x-icon",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript;charset=utf-8",
        "json" => "application/json",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "vtt" => "text/vtt;charset=utf-8",
        "txt" => "text/plain;charset=utf-8",
        "pdf" => "application/pdf",
        _ => "",
    };
    if !by_ext.is_empty() {
        return by_ext;
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG") {
        "image/png"
    } else if starts(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if starts(b"GIF8") {
        "image/gif"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "image/webp"
    } else if starts(b"wOF2") {
        "font/woff2"
    } else if starts(b"wOFF") {
        "font/woff"
    } else if String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).contains("<svg") {
        "image/svg+xml"
    } else {
        "application/octet-stream"
    }
}

/// `data:MIME;base64,…`.
fn data_uri(mime: &str, bytes: &[u8]) -> String {
    let mut s = String::with_capacity(mime.len() + 13 + bytes.len().div_ceil(3) * 4);
    s.push_str("data:");
    s.push_str(mime);
    s.push_str(";base64,");
    base64_into(&mut s, bytes);
    s
}

/// Standard base64 (RFC 4648, with padding).
fn base64_into(out: &mut String, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (c[0] as u32) << 16 | (c[1] as u32) << 8 | c[2] as u32;
        for shift in [18, 12, 6, 0] {
            out.push(ALPHABET[(n >> shift & 63) as usize] as char);
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let n = (rest[0] as u32) << 16 | rest.get(1).map_or(0, |&b| (b as u32) << 8);
        out.push(ALPHABET[(n >> 18 & 63) as usize] as char);
        out.push(ALPHABET[(n >> 12 & 63) as usize] as char);
        if rest.len() == 2 {
            out.push(ALPHABET[(n >> 6 & 63) as usize] as char);
        } else {
            out.push('=');
        }
        out.push('=');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> String {
        let mut out = String::new();
        base64_into(&mut out, s);
        out
    }

    #[test]
    fn base64_as_rfc_4648() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(b64(input), want);
        }
        assert_eq!(b64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn scripts_and_styles_cannot_end_early() {
        assert_eq!(
            escape_script("a='</script><!-- </SCRIPT>'; b=1<2"),
            "a='\\x3C/script>\\x3C!-- \\x3C/SCRIPT>'; b=1<2"
        );
        assert!(matches!(escape_script("x < y"), Cow::Borrowed(_)));
        assert_eq!(
            escape_style("a::after{content:'</style>'}"),
            "a::after{content:'\\3C/style>'}"
        );
    }

    #[test]
    fn classifies_urls() {
        assert_eq!(classify("https://x/y.png", ""), Url::Remote);
        assert_eq!(classify("data:,", ""), Url::Remote);
        assert_eq!(classify("//cdn/x.js", ""), Url::Remote);
        assert_eq!(classify("#top", ""), Url::Remote);
        assert_eq!(classify("mailto:a@b", ""), Url::Remote);
        assert_eq!(
            classify("../images/a%20b.png?v=2#frag", "stylesheets"),
            Url::Local(Some("images/a b.png".into()), "#frag".into())
        );
        assert_eq!(
            classify("/images/x.png", "v2"),
            Url::Local(Some("images/x.png".into()), String::new())
        );
        assert_eq!(
            classify("x.png", "v2"),
            Url::Local(Some("v2/x.png".into()), String::new())
        );
        assert_eq!(
            classify("../../etc/passwd", "v2"),
            Url::Local(None, String::new())
        );
    }

    #[test]
    fn splits_srcset() {
        assert_eq!(
            parse_srcset("a.png, b.png 2x,c.png 480w , d,e.png"),
            [
                ("a.png", ""),
                ("b.png", "2x"),
                ("c.png", "480w"),
                ("d,e.png", "")
            ]
        );
        assert_eq!(parse_srcset("a.png,"), [("a.png", "")]);
    }

    #[test]
    fn finds_css_urls_outside_comments_and_strings() {
        let css = "/* url(no.png) */ a{background:url( 'x y.png' ) , URL(z.png)}\n\
                   b::after{content:\"url(no2.png)\"}\n@import \"more.css\" print;\n\
                   c{mask:my-url(no3.png); b:url(a\\)b.png)}";
        let urls: Vec<String> = css_refs(css).into_iter().map(|r| r.url).collect();
        assert_eq!(urls, ["x y.png", "z.png", "more.css", "a)b.png"]);
        let r = &css_refs(css)[0];
        assert_eq!(&css[r.start..r.end], "url( 'x y.png' )");
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("a/B.PNG", b""), "image/png");
        assert_eq!(mime_type("logo.svg", b""), "image/svg+xml");
        assert_eq!(mime_type("f.woff2", b""), "font/woff2");
        assert_eq!(mime_type("noext", b"\x89PNG\r\n"), "image/png");
        assert_eq!(mime_type("noext", b"<?xml?><svg"), "image/svg+xml");
        assert_eq!(mime_type("noext", b"\0\0"), "application/octet-stream");
    }

    fn site() -> Inliner {
        let mut i = Inliner::new();
        i.add(
            "stylesheets/screen.css",
            Content::Static(b"@import 'more.css';\nbody{background:url(../images/bg.png)}\na{b:url(missing.png)}"),
            "built-in stylesheets/screen.css".into(),
        );
        i.add(
            "stylesheets/more.css",
            Content::Static(b"i{background:url(\"../images/bg.png#x\")}"),
            "more.css".into(),
        );
        i.add(
            "images/bg.png",
            Content::Static(b"\x89PNG"),
            "source/images/bg.png".into(),
        );
        i.add(
            "images/page.pdf",
            Content::Static(b"%PDF"),
            "source/images/page.pdf".into(),
        );
        i.add(
            "javascripts/a.js",
            Content::Static(b"s='</script>'"),
            "a.js".into(),
        );
        i
    }

    #[test]
    fn inlines_a_page() {
        let mut i = site();
        let html = "<html><head><link rel=\"stylesheet\" href=\"../stylesheets/screen.css\" media=\"screen\">\
                    <link rel=icon href=/images/bg.png>\
                    <script src=\"../javascripts/a.js\" defer blocking=\"render\" id=\"s\"></script>\
                    <script src=\"https://cdn.example/x.js\"></script></head>\
                    <body><img src=\"../images/bg.png\" alt=\"x\" srcset=\"../images/bg.png 2x, https://x/y.png 3x\">\
                    <img src=\"nope.png\"><a href=\"../images/page.pdf\">pdf</a>\
                    <p style=\"background: url(&quot;../images/bg.png&quot;)\">t</p></body></html>";
        let (out, misses) = i.page(html, "v2/api.html").unwrap();
        let png = "data:image/png;base64,iVBORw==";
        assert!(
            out.contains(
                "<style media=\"screen\">@import url(\"data:text/css;charset=utf-8;base64,"
            ),
            "{out}"
        );
        assert!(
            out.contains(&format!("body{{background:url(\"{png}\")}}")),
            "{out}"
        );
        assert!(
            out.contains(&format!("<link rel=icon href=\"{png}\">")),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "<img src=\"{png}\" alt=\"x\" srcset=\"{png} 2x, https://x/y.png 3x\">"
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!("style=\"background: url(&quot;{png}&quot;)\"")),
            "{out}"
        );
        assert!(out.contains("<script src=\"https://cdn.example/x.js\"></script>"));
        // the deferred script runs at the end of the body, its text escaped
        assert!(
            out.ends_with("<script id=\"s\">s='\\x3C/script>'</script>\n</body></html>"),
            "{out}"
        );
        assert_eq!(
            misses,
            [Miss {
                url: "nope.png".into(),
                at: html.find("nope.png").unwrap()
            }]
        );
        // the stylesheet's own missing reference is a warning with its line
        assert_eq!(i.warnings.len(), 1);
        assert_eq!(
            i.warnings[0].to_string().split(": ").next(),
            Some("built-in stylesheets/screen.css:3")
        );
        // inlined files are not written; linked and unused ones are
        let written: Vec<&str> = i.to_write().into_iter().map(|(r, _)| r).collect();
        assert_eq!(written, ["images/page.pdf"]);
    }

    #[test]
    fn a_stylesheet_importing_itself_ends() {
        let mut i = Inliner::new();
        i.add(
            "a.css",
            Content::Static(b"@import url(a.css); p{}"),
            "a.css".into(),
        );
        let (out, _) = i
            .page("<link rel=stylesheet href=a.css>", "index.html")
            .unwrap();
        assert!(
            out.starts_with("<style>@import url(\"data:text/css"),
            "{out}"
        );
        assert!(i.warnings[0].message.contains("imports itself"));
    }
}

/// The changes to a page's HTML: replacements of byte ranges, and the deferred scripts
/// that go before `</body>`.
#[derive(Default)]
struct Edits {
    edits: Vec<(usize, usize, String)>,
    moved: Vec<String>,
    body_close: Option<usize>,
}

impl Edits {
    /// `html` with the edits made.
    fn apply(mut self, html: &str) -> String {
        if !self.moved.is_empty() {
            let at = self.body_close.unwrap_or(html.len());
            let mut text = self.moved.join("\n");
            text.push('\n');
            self.edits.push((at, at, text));
        }
        self.edits.sort_by_key(|e| e.0);
        let extra: usize = self.edits.iter().map(|e| e.2.len()).sum();
        let mut out = String::with_capacity(html.len() + extra);
        let mut pos = 0;
        for (start, end, text) in self.edits {
            out.push_str(&html[pos..start]);
            out.push_str(&text);
            pos = end;
        }
        out.push_str(&html[pos..]);
        out
    }
}
