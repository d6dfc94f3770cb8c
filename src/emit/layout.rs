//! The page layout: a Tera template fed typed context structs. The page body is not
//! passed through Tera (autoescaping or copying a 60 MB body costs time): the template
//! renders a short marker where `{{ content }}` goes, and the page is written with the
//! body in its place ([`Layout::render`]).

use anyhow::Result;
use serde::Serialize;
use tera::Tera;

use crate::error::Located;
use crate::load::frontmatter::{FrontMatter, LanguageTab, MetaAttr};
use crate::load::plan::Translation;
use crate::load::site::{SiteNav, VersionLink};
use crate::page::split::PartLink;
use crate::page::toc::TocEntry;

/// What `{{ content }}` renders to; replaced by the page body.
const CONTENT_MARKER: &str = "shale0content0marker0a81f3";

/// Everything the layout can use. Documented in docs/theming.md ("Templates and assets").
#[derive(Debug, Serialize)]
pub struct LayoutContext<'a> {
    pub page: PageContext<'a>,
    /// Relative prefix from this page to the site root: `""` or `"../"`...
    pub root: String,
    /// Path of the logo relative to the site root, when `images/logo.png` exists.
    pub logo: Option<&'a str>,
    /// The logo's width and height in pixels (PNG), so the page does not shift when it loads.
    pub logo_size: Option<(u32, u32)>,
    /// Path of the site icon relative to the site root, when the source has one.
    pub favicon: Option<&'a str>,
    pub content: &'static str,
    pub shale_version: &'static str,
    /// The sidebar's list of the site's pages (`nav: true` in `shale.yml`, or pages
    /// with versions); `None` otherwise.
    pub site: Option<SiteNav>,
}

/// The page's front matter and TOC, as the layout sees them.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    pub title: &'a str,
    pub language_tabs: &'a [LanguageTab],
    /// The tab keys as a JSON array, for `body[data-languages]`.
    pub languages_json: String,
    pub toc_footers: &'a [String],
    pub search: bool,
    /// URL of the page's search index script relative to the site root
    /// (`index.search.js`), when `search` is on; load it with `defer`.
    pub search_index: Option<String>,
    /// URL of the site search index relative to this page (`search.js`, `../search.js`)
    /// when the page queries the whole site's: loaded on the first focus of the box.
    pub search_site: Option<String>,
    /// This page's URL in the site index (from the index's folder).
    pub search_page: String,
    /// A part of a page with `split: h1`: the TOC is the whole page's, its entries on
    /// other parts linking to `part.html#id`.
    pub split: bool,
    /// On the first part of a split page: the JSON map of ids on other parts
    /// (`{"parts":["index.html","index-errors.html"],"ids":{"errors":1}}`), for the
    /// script that sends an old link (`index.html#errors`) on to its part.
    pub split_map: Option<String>,
    /// On the other parts of a split page: the first part's URL, where a link to an id
    /// that is not on this part is sent (the first part's map knows where it is).
    pub split_first: Option<String>,
    /// A part of a split page: the links to the previous and the next part.
    pub split_prev: Option<PartLink>,
    pub split_next: Option<PartLink>,
    pub code_clipboard: bool,
    pub meta: &'a [Vec<MetaAttr>],
    /// The TOC's entries, only when the layout uses `page.toc` (serializing a TOC of a
    /// million headings for Tera costs seconds); the default layout uses `toc_html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toc: Option<&'a [TocEntry]>,
    /// The `<li>` entries of Slate's TOC (`toc-h1`/`toc-h2` links), rendered by shale.
    pub toc_html: String,
    /// Middleman's `page_classes` for `<body class>`.
    pub body_class: String,
    /// Output path, such as `index.html` or `v2/api.html`.
    pub path: &'a str,
    /// `rtl: true`: `<html dir="rtl">`.
    pub rtl: bool,
    /// Whether the page has the dark mode switch (not with `theme: {dark: false}`).
    pub dark_mode: bool,
    /// The theme's CSS custom properties for a `<style>` element in `<head>` (written
    /// unescaped: checked not to end it): the built-in `variables.css`, the project's own,
    /// then the front matter's `theme:` (`:root{--nav-width:300px}`).
    pub theme_css: String,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The page's language as a BCP 47 tag, for `<html lang>`: its language on a
    /// multi-language site, else `en`.
    pub lang: String,
    /// The same page in each language of a multi-language site, this one included,
    /// in the switcher's order; empty when the page has no other language.
    pub translations: Vec<Translation>,
    /// The heading levels the TOC lists (`toc_depth`, 1 to 4; 2 is Slate's).
    pub toc_depth: u8,
    /// The page's version (`version:`, or its folder's), if it has one.
    pub version: Option<String>,
    /// The version switcher: each version of the site, this one marked; empty when the
    /// page has no version.
    pub versions: Vec<VersionLink>,
}

impl<'a> PageContext<'a> {
    pub fn new(front: &'a FrontMatter, toc: &'a [TocEntry], path: &'a str) -> Self {
        let keys: Vec<&str> = front.language_tabs.iter().map(|t| t.key.as_str()).collect();
        PageContext {
            title: &front.title,
            language_tabs: &front.language_tabs,
            languages_json: serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into()),
            toc_footers: &front.toc_footers,
            search: front.search,
            search_index: None,
            search_site: None,
            search_page: String::new(),
            split: false,
            split_map: None,
            split_first: None,
            split_prev: None,
            split_next: None,
            code_clipboard: front.code_clipboard,
            meta: &front.meta,
            toc: Some(toc),
            toc_html: toc_html(toc),
            body_class: page_classes(path),
            path,
            rtl: front.rtl.unwrap_or(false),
            dark_mode: !front.theme.no_dark_mode,
            theme_css: front.theme.css(),
            extra: &front.extra,
            lang: "en".to_string(),
            translations: Vec::new(),
            toc_depth: 2,
            version: None,
            versions: Vec::new(),
        }
    }

    /// The same page with a TOC of `depth` levels.
    pub fn set_toc_depth(&mut self, depth: u8, toc: &[TocEntry]) {
        if depth != self.toc_depth {
            self.toc_depth = depth;
            self.toc_html = toc_html_nested(toc, depth);
        }
    }
}

/// The entries of a TOC of `depth` levels (1 to 4): each entry's children in a
/// `ul.toc-list-hN`, as `a.toc-hN.toc-link`, N its depth in the list (Slate's classes
/// for the first two).
pub fn toc_html_nested(toc: &[TocEntry], depth: u8) -> String {
    fn level(out: &mut String, entries: &[TocEntry], n: u8, depth: u8, indent: usize) {
        let pad = "  ".repeat(indent);
        for e in entries {
            out.push_str(&pad);
            out.push_str("<li>");
            out.push_str("<a href=\"#");
            crate::markdown::escape_attr(out, &e.id);
            out.push_str(&format!("\" class=\"toc-h{n} toc-link\" data-title=\""));
            crate::markdown::escape_attr(out, &e.title);
            out.push_str("\">");
            out.push_str(&e.html);
            out.push_str("</a>");
            if n < depth && !e.children.is_empty() {
                out.push_str(&format!("\n{pad}  <ul class=\"toc-list-h{}\">\n", n + 1));
                level(out, &e.children, n + 1, depth, indent + 2);
                out.push_str(&pad);
                out.push_str("  </ul>\n");
                out.push_str(&pad);
            }
            out.push_str("</li>\n");
        }
    }
    let mut out = String::with_capacity(toc.len() * 120);
    level(&mut out, toc, 1, depth, 3);
    out
}

/// The entries of Slate's TOC list: each h1 as `a.toc-h1.toc-link`, its children in a
/// `ul.toc-list-h2` as `a.toc-h2.toc-link`, with `data-title` (escaped, unlike Slate).
pub fn toc_html(toc: &[TocEntry]) -> String {
    toc_html_with(toc, &|_| None)
}

/// [`toc_html`], each entry's link prefixed with what `page` gives for its id (the
/// page it is on, `index-errors.html`, as a relative URL), if anything; the entries
/// on another page are listed without their sub-entries.
pub fn toc_html_with(toc: &[TocEntry], page: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(toc.len() * 120);
    let link = |out: &mut String, e: &TocEntry, class: &str| {
        out.push_str("<a href=\"");
        if let Some(url) = page(&e.id) {
            crate::markdown::escape_attr(out, &url);
        }
        out.push('#');
        crate::markdown::escape_attr(out, &e.id);
        out.push_str("\" class=\"");
        out.push_str(class);
        out.push_str(" toc-link\" data-title=\"");
        crate::markdown::escape_attr(out, &e.title);
        out.push_str("\">");
        out.push_str(&e.html);
        out.push_str("</a>");
    };
    for h1 in toc {
        out.push_str("      <li>\n        ");
        link(&mut out, h1, "toc-h1");
        // an entry on another page: its sub-entries would never show (only the
        // current entry's list is displayed), and a split page would repeat them all
        // on every part
        if !h1.children.is_empty() && page(&h1.id).is_none() {
            out.push_str("\n        <ul class=\"toc-list-h2\">");
            for h2 in &h1.children {
                out.push_str("\n          <li>");
                link(&mut out, h2, "toc-h2");
                out.push_str("</li>");
            }
            out.push_str("\n        </ul>");
        }
        out.push_str("\n      </li>\n");
    }
    out
}

/// Stands for `page.toc_html` while Tera renders (see [`Layout::render`]).
const TOC_MARKER: &str = "shale0toc0marker0c4e9d2";

/// A compiled layout.
pub struct Layout {
    tera: Tera,
    name: String,
    text: String,
    /// Whether the template reads `page.toc` (and not only `page.toc_html`).
    uses_toc: bool,
    /// Whether the template writes `page.toc_html` only as `{{ page.toc_html | safe }}`.
    toc_html_safe_only: bool,
}

impl Layout {
    /// Compiles the layout `text`; `origin` names it in errors.
    pub fn new(text: &str, origin: &str) -> Result<Layout> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("layout.html", text).map_err(|e| {
            Located::new(
                origin,
                0,
                format!("the layout template does not compile: {}", chain(&e)),
            )
        })?;
        let uses_toc = text.match_indices("page.toc").any(|(i, m)| {
            !text[i + m.len()..].starts_with(|c: char| c == '_' || c.is_ascii_alphanumeric())
        });
        let toc_html_safe_only = text.match_indices("page.toc_html").all(|(i, m)| {
            let rest = text[i + m.len()..].trim_start();
            rest.strip_prefix('|')
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix("safe"))
                .map(str::trim_start)
                .is_some_and(|r| r.starts_with("}}") || r.starts_with("-}}"))
        });
        Ok(Layout {
            tera,
            name: origin.to_string(),
            text: text.to_string(),
            uses_toc,
            toc_html_safe_only,
        })
    }

    /// Renders the page: the layout with `body` (its pieces, one after the other) where
    /// it writes `{{ content | safe }}`.
    ///
    /// Tera never sees the body (a page body can be tens of megabytes): it renders a
    /// marker where the body goes, and the page is then written once, the body copied
    /// in place of the marker. When the layout writes the TOC as
    /// `{{ page.toc_html | safe }}`, the TOC's HTML is put in place of a marker the same
    /// way (copied once instead of three times); `ctx.page.toc_html` is left empty.
    pub fn render(&self, ctx: &mut LayoutContext<'_>, body: &[&str]) -> Result<PageHtml> {
        if !self.uses_toc {
            ctx.page.toc = None;
        }
        let toc_html = (self.toc_html_safe_only && !ctx.page.toc_html.is_empty())
            .then(|| std::mem::replace(&mut ctx.page.toc_html, TOC_MARKER.to_string()));
        let context = tera::Context::from_serialize(&*ctx)
            .map_err(|e| Located::new(&self.name, 0, chain(&e)))?;
        let shell = self.tera.render("layout.html", &context).map_err(|e| {
            let why = format!("rendering {}: {}", ctx.page.path, chain(&e));
            Located::new(&self.name, 0, why)
        })?;
        let Some(at) = shell.find(CONTENT_MARKER) else {
            let why = "the layout must write `{{ content | safe }}` once, where the page body goes";
            return Err(Located::new(&self.name, 0, why).into());
        };
        let (before, after) = (&shell[..at], &shell[at + CONTENT_MARKER.len()..]);
        let toc = toc_html.as_deref().unwrap_or("");
        let markers = if toc_html.is_some() {
            ctx.page.toc_html = String::new();
            shell.matches(TOC_MARKER).count()
        } else {
            0
        };
        let body_len: usize = body.iter().map(|p| p.len()).sum();
        let mut html = String::with_capacity(shell.len() + body_len + markers * toc.len());
        let put = |html: &mut String, s: &str| match &toc_html {
            Some(toc) => {
                for (k, piece) in s.split(TOC_MARKER).enumerate() {
                    if k > 0 {
                        html.push_str(toc);
                    }
                    html.push_str(piece);
                }
            }
            None => html.push_str(s),
        };
        put(&mut html, before);
        let start = html.len();
        body.iter().for_each(|p| html.push_str(p));
        let body = start..html.len();
        put(&mut html, after);
        Ok(PageHtml { html, body })
    }

    /// How messages name the layout (`built-in layout.html`, `templates/layout.html`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The layout's text (to find a line in it).
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A page as the layout wrote it, and where its body is in it.
#[derive(Debug)]
pub struct PageHtml {
    pub html: String,
    pub body: std::ops::Range<usize>,
}

/// Tera's autoescape function: `& < > " '` (Tera's default also escapes `/`, which
/// makes every URL and `GET /users` title unreadable in the source).
fn escape_html(s: &str) -> String {
    crate::util::escape::html(s)
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The marker the layout receives as `content`.
pub fn content_marker() -> &'static str {
    CONTENT_MARKER
}

/// Middleman's `page_classes`: the output path without extension, each cumulative
/// prefix joined with `_` (`v2/api.html` → `v2 v2_api`).
pub fn page_classes(path: &str) -> String {
    let stem = path.split('.').next().unwrap_or("");
    let parts: Vec<String> = stem
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c: String = s
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' {
                        ch
                    } else {
                        '-'
                    }
                })
                .collect();
            if c.starts_with(|ch: char| ch.is_ascii_digit()) {
                c.insert(0, 'x');
            }
            c
        })
        .collect();
    let mut classes = Vec::with_capacity(parts.len());
    for i in 0..parts.len() {
        classes.push(parts[..=i].join("_"));
    }
    classes.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layout context for `fm` and `toc` at `index.html`, with no logo or icon.
    fn test_ctx<'a>(fm: &'a FrontMatter, toc: &'a [TocEntry]) -> LayoutContext<'a> {
        LayoutContext {
            page: PageContext::new(fm, toc, "index.html"),
            root: String::new(),
            logo: None,
            logo_size: None,
            favicon: None,
            content: content_marker(),
            shale_version: "0",
            site: None,
        }
    }

    #[test]
    fn page_classes_like_middleman() {
        assert_eq!(page_classes("index.html"), "index");
        assert_eq!(page_classes("v2/api.html"), "v2 v2_api");
        assert_eq!(page_classes("v1.2/api.html"), "v1");
        assert_eq!(page_classes("2fa/my page.html"), "x2fa x2fa_my-page");
    }

    #[test]
    fn splits_around_the_body_and_escapes() {
        let layout = Layout::new("<title>{{ page.title }}</title><div data-l=\"{{ page.languages_json }}\">{{ content | safe }}</div>", "test").unwrap();
        let fm = FrontMatter {
            title: "A </title><script>".into(),
            language_tabs: vec![LanguageTab {
                key: "shell".into(),
                label: "cURL".into(),
            }],
            ..Default::default()
        };
        let mut ctx = test_ctx(&fm, &[]);
        let page = layout.render(&mut ctx, &["<p>body</p>"]).unwrap();
        assert_eq!(
            page.html,
            "<title>A &lt;/title&gt;&lt;script&gt;</title><div data-l=\"[&quot;shell&quot;]\"><p>body</p></div>"
        );
        assert_eq!(&page.html[page.body], "<p>body</p>");
    }

    #[test]
    fn custom_layouts_can_walk_the_toc() {
        let toc = crate::page::toc::from_html("<h1 id='a'>A</h1><h2 id='b'>B &amp; C</h2>");
        let fm = FrontMatter::default();
        let render = |tpl: &str| {
            let layout = Layout::new(tpl, "t").unwrap();
            let mut ctx = test_ctx(&fm, &toc);
            let page = layout.render(&mut ctx, &[""]).unwrap();
            page.html[..page.body.start].to_string()
        };
        let own = render("{% for e in page.toc %}{{ e.id }}:{% for c in e.children %}{{ c.title }}{% endfor %}{% endfor %}{{ content | safe }}");
        assert_eq!(own, "a:B &amp; C");
        let builtin = render("<ul>{{ page.toc_html | safe }}</ul>{{ content | safe }}");
        assert!(
            builtin.contains(
                "<a href=\"#b\" class=\"toc-h2 toc-link\" data-title=\"B &amp; C\">B &amp; C</a>"
            ),
            "{builtin}"
        );
    }

    #[test]
    fn toc_depth_nests_the_lists() {
        let toc = crate::page::toc::from_html(
            "<h1 id='a'>A</h1><h2 id='b'>B</h2><h3 id='c'>C</h3><h4 id='d'>D</h4>",
        );
        let one = toc_html_nested(&toc, 1);
        assert!(one.contains("toc-h1") && !one.contains("<ul"), "{one}");
        let four = toc_html_nested(&toc, 4);
        for n in 2..=4 {
            assert!(
                four.contains(&format!("<ul class=\"toc-list-h{n}\">")),
                "{four}"
            );
            assert!(
                four.contains(&format!("class=\"toc-h{n} toc-link\"")),
                "{four}"
            );
        }
        let three = toc_html_nested(&toc, 3);
        assert!(
            three.contains("toc-h3") && !three.contains("toc-h4"),
            "{three}"
        );
        let fm = FrontMatter::default();
        let mut page = PageContext::new(&fm, &toc, "index.html");
        let slate = page.toc_html.clone();
        page.set_toc_depth(2, &toc);
        assert_eq!(page.toc_html, slate, "2 is Slate's TOC, unchanged");
    }

    #[test]
    fn layout_without_content_is_an_error() {
        let layout = Layout::new("<p>no body</p>", "mine.html").unwrap();
        let fm = FrontMatter::default();
        let mut ctx = test_ctx(&fm, &[]);
        let e = layout.render(&mut ctx, &[""]).unwrap_err().to_string();
        assert!(e.contains("content | safe"), "{e}");
    }
}
