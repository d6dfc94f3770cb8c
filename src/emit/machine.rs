//! Files for machines beside the HTML: `toc.json` and `search-index.json` (every
//! build), `sitemap.xml` and `robots.txt` (with `--site-url`). Formats are documented in
//! docs/building.md ("Machine-readable files").

use serde::Serialize;

use std::collections::HashSet;

use crate::emit::search::Section;
use crate::load::source::Source;
use crate::page::toc::TocEntry;
use crate::util::url::SiteUrl;
use crate::Diagnostic;

/// Version of the JSON formats (`"version"` in both files).
pub const FORMAT: u32 = 1;

/// The files this module writes, at the root of the site.
pub const TOC_JSON: &str = "toc.json";
pub const SEARCH_JSON: &str = "search-index.json";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// A page's entries of `toc.json` and `search-index.json`, as JSON.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// The page's output path (for the sitemap).
    pub path: String,
    toc: String,
    search: String,
}

/// The records of the site's pages, in order.
#[derive(Debug, Default)]
pub struct Records<'a> {
    pages: Vec<&'a PageRecord>,
}

#[derive(Serialize)]
struct TocPage<'a> {
    url: &'a str,
    title: &'a str,
    /// The page's version (`version:` or its folder's), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    toc: Vec<TocItem<'a>>,
}

#[derive(Serialize)]
struct TocItem<'a> {
    id: &'a str,
    url: String,
    level: u8,
    title: &'a str,
    children: Vec<TocItem<'a>>,
}

#[derive(Serialize)]
struct SearchPage<'a> {
    url: &'a str,
    title: &'a str,
    sections: Vec<SearchSection<'a>>,
}

#[derive(Serialize)]
struct SearchSection<'a> {
    id: &'a str,
    url: String,
    level: u8,
    title: &'a str,
    /// The section's prose (headings, paragraphs, tables), whitespace collapsed.
    text: &'a str,
    /// The text of each of the section's code blocks, in page order.
    code: Vec<&'a str>,
}

impl PageRecord {
    /// The records of the page at `path` (`index.html`) with its title and TOC;
    /// `search` is its [`search_record`]; `version`, its version if it has one.
    pub fn new(
        path: &str,
        title: &str,
        version: Option<&str>,
        toc: &[TocEntry],
        search: String,
    ) -> PageRecord {
        let url = crate::util::url::url_path(path);
        fn item<'a>(url: &str, e: &'a TocEntry) -> TocItem<'a> {
            TocItem {
                id: &e.id,
                url: anchor_url(url, &e.id),
                level: e.level,
                title: &e.title,
                children: e.children.iter().map(|c| item(url, c)).collect(),
            }
        }
        let page = TocPage {
            url: &url,
            title,
            version,
            toc: toc.iter().map(|e| item(&url, e)).collect(),
        };
        PageRecord {
            path: path.to_string(),
            toc: serde_json::to_string(&page).expect("strings serialize"),
            search,
        }
    }
}

impl<'a> Records<'a> {
    /// Adds a page (after those added before).
    pub fn push(&mut self, page: &'a PageRecord) {
        self.pages.push(page);
    }

    /// `toc.json`.
    pub fn toc_json(&self) -> String {
        site_json(self.pages.iter().map(|p| p.toc.as_str()))
    }

    /// `search-index.json`.
    pub fn search_json(&self) -> String {
        site_json(self.pages.iter().map(|p| p.search.as_str()))
    }

    /// The output paths of the pages, in order.
    pub fn paths(&self) -> Vec<String> {
        self.pages.iter().map(|p| p.path.clone()).collect()
    }
}

/// The search record of the page at `path` (its entry of `search-index.json`): its
/// sections as the browser's index sees them, with their prose and, apart, the text of
/// their code blocks (`code`: the texts [`Section::code`] indexes).
pub fn search_record(path: &str, title: &str, sections: &[Section], code: &[String]) -> String {
    let url = crate::util::url::url_path(path);
    let page = SearchPage {
        url: &url,
        title,
        sections: sections
            .iter()
            .map(|s| SearchSection {
                id: &s.id,
                url: anchor_url(&url, &s.id),
                level: s.level,
                title: &s.title,
                text: &s.text,
                code: s.code.iter().map(|&c| code[c as usize].as_str()).collect(),
            })
            .collect(),
    };
    serde_json::to_string(&page).expect("strings serialize")
}

/// `{"version":1,"pages":[…]}` with one page per line.
fn site_json<'a>(pages: impl Iterator<Item = &'a str> + Clone) -> String {
    let size = pages.clone().map(|p| p.len() + 2).sum::<usize>();
    let mut out = String::with_capacity(size + 40);
    out.push_str(&format!("{{\"version\":{FORMAT},\"pages\":["));
    for (i, p) in pages.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(p);
    }
    out.push_str("\n]}\n");
    out
}

/// `page.html#id`, the id percent-encoded as a URL fragment (`page.html` alone for an
/// empty id).
fn anchor_url(page_url: &str, id: &str) -> String {
    let mut out = String::with_capacity(page_url.len() + id.len() + 1);
    out.push_str(page_url);
    if id.is_empty() {
        return out;
    }
    out.push('#');
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The most URLs one sitemap may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` listing the pages at `paths` (sitemaps.org 0.9).
pub fn sitemap(site: &SiteUrl, paths: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        out.push_str("  <url><loc>");
        crate::util::escape::html_into(&mut out, &site.page(p));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots(site: &SiteUrl) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}{SITEMAP}\n",
        site.as_str()
    )
}

/// Whether a `robots.txt` names a sitemap.
pub fn names_sitemap(robots: &str) -> bool {
    robots.lines().any(|l| {
        l.trim_start()
            .get(..8)
            .is_some_and(|k| k.eq_ignore_ascii_case("sitemap:"))
    })
}

/// `toc.json`, `search-index.json` and, with a site URL, `sitemap.xml` and `robots.txt`,
/// unless the source folder (or `assets/`) has its own (`own_files`): that one is kept,
/// with a warning.
/// Returns the files to write and the warnings.
pub fn files(
    src: &Source,
    records: &Records<'_>,
    site_url: Option<&SiteUrl>,
    own_files: &HashSet<String>,
) -> (Vec<(&'static str, String)>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut files = vec![
        (TOC_JSON, records.toc_json()),
        (SEARCH_JSON, records.search_json()),
    ];
    if let Some(url) = site_url {
        let paths = records.paths();
        if paths.len() > SITEMAP_LIMIT {
            warnings.push(Diagnostic::new(
                SITEMAP,
                0,
                format!("{} pages: a sitemap may list at most {}, so search engines will read only the first ones", paths.len(), SITEMAP_LIMIT),
            ));
        }
        files.push((SITEMAP, sitemap(url, &paths)));
        if own_files.contains(ROBOTS) {
            let own = src.statics.iter().find(|f| f.rel == ROBOTS);
            let text = own.and_then(|f| std::fs::read_to_string(&f.abs).ok());
            if text.is_some_and(|t| !names_sitemap(&t)) {
                warnings.push(Diagnostic::new(
                    &src.label(ROBOTS),
                    0,
                    format!("kept as it is, without a `Sitemap:` line: add `Sitemap: {}{}` so that crawlers find the sitemap", url.as_str(), SITEMAP),
                ));
            }
        } else if url.at_host_root() {
            files.push((ROBOTS, robots(url)));
        }
    }
    files.retain(|(rel, _)| {
        if own_files.contains(*rel) {
            let shown = if src.all.contains(*rel) {
                src.label(rel)
            } else {
                format!("assets/{rel}")
            };
            warnings.push(Diagnostic::new(
                &shown,
                0,
                format!("kept: shale writes its own `{rel}` (see \"Machine-readable files\" in shale's docs/building.md) only when the source folder and assets/ have none; rename this file to get it"),
            ));
            return false;
        }
        true
    });
    (files, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_escapes() {
        let u = SiteUrl::parse("https://x.org/r&d").unwrap();
        let xml = sitemap(&u, &["index.html".into(), "api.html".into()]);
        assert!(xml.contains("<loc>https://x.org/r&amp;d/</loc>"), "{xml}");
        assert!(
            xml.contains("<loc>https://x.org/r&amp;d/api.html</loc>"),
            "{xml}"
        );
        assert!(robots(&u).ends_with("Sitemap: https://x.org/r&d/sitemap.xml\n"));
        assert!(names_sitemap("User-agent: *\n  SITEMAP: https://x/s.xml"));
        assert!(!names_sitemap("User-agent: *\n"));
    }

    #[test]
    fn json_records() {
        let toc = crate::page::toc::from_html("<h1 id='a'>A</h1><h2 id='b c'>B &amp; C</h2>");
        let body = "<h1 id='a'>A</h1><p>alpha</p><h2 id='b c'>B &amp; C</h2><p>beta</p>";
        let sections = crate::emit::search::sections(body);
        let page = PageRecord::new(
            "v2/api.html",
            "T",
            None,
            &toc,
            search_record("v2/api.html", "T", &sections, &[]),
        );
        let mut r = Records::default();
        r.push(&page);
        let toc: serde_json::Value = serde_json::from_str(&r.toc_json()).unwrap();
        assert_eq!(toc["version"], 1);
        let page = &toc["pages"][0];
        assert_eq!(page["url"], "v2/api.html");
        assert_eq!(page["toc"][0]["children"][0]["url"], "v2/api.html#b%20c");
        assert_eq!(page["toc"][0]["children"][0]["title"], "B & C");
        let search: serde_json::Value = serde_json::from_str(&r.search_json()).unwrap();
        let s = &search["pages"][0]["sections"];
        assert_eq!(s[1]["id"], "b c");
        assert_eq!(s[1]["text"], "beta");
        assert_eq!(s[0]["level"], 1);
    }
}
