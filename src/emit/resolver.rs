//! How a page's URLs resolve in the built site ([`UrlResolver`]).

use std::collections::HashSet;

use crate::load::source::Source;
use crate::util::url::{normalize_rel, Resolver};

/// Resolves a page's URLs so that the site works from any sub-path, as Slate's
/// `relative_assets` and `relative_links` do: markdown image paths as Middleman's
/// `image_tag` does (`/images/x.png` and a bare `x.png` found under `images/` become
/// paths relative to the page), and links from the site root to a file of the site
/// (`/v2/api.html`, `/`) relative to the page.
pub struct UrlResolver<'a> {
    pub src: &'a Source,
    /// The site's files other than pages (static files, theme assets).
    pub files: &'a HashSet<String>,
    /// Every page and copied file of the output.
    pub outputs: &'a HashSet<String>,
    /// The page's folder in the output.
    pub page_dir: &'a str,
    /// A localized page's folder as if it were not localized (`guides` for
    /// `pt/guides/intro.html`): its images are also looked up from there, so
    /// `images/x.png` works in every language.
    pub home_dir: Option<&'a str>,
    /// `../` once per folder of the page's path.
    pub root: String,
    /// Names how this resolver answers (see [`Resolver::key`]).
    pub key: String,
}

impl UrlResolver<'_> {
    /// Whether the site has `rel`: a page or file of the output, or a file of the
    /// source folder or the theme.
    pub fn has(&self, rel: &str) -> bool {
        self.outputs.contains(rel) || self.files.contains(rel) || self.src.all.contains(rel)
    }
}

impl Resolver for UrlResolver<'_> {
    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }

    fn link(&self, url: &str) -> Option<String> {
        let (path, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
        let abs = path.strip_prefix('/')?;
        if abs.starts_with(['/', '\\']) {
            return None; // `//host/x`: another host
        }
        let file = normalize_rel("", &crate::util::url::percent_decode(abs))?;
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
        let path = crate::util::url::percent_decode(path);
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
