//! URLs and paths of the site: the folder of a path, paths joined and normalized,
//! relative URLs between pages, percent-encoding, the [`Resolver`] that rewrites a
//! page's URLs, and the site's public address ([`SiteUrl`]).

use anyhow::{bail, Result};

/// The folder part of `rel` (`""` at the root).
pub fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir` + `path` with `.` and `..` resolved; `None` when it leaves the site.
pub fn normalize_rel(dir: &str, path: &str) -> Option<String> {
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

/// The relative URL from a page in `from_dir` to the file at `to` (both from the site
/// root): `pt/index.html` from `es` is `../pt/index.html`, from `pt` `index.html`.
pub fn relative_url(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let dirs = &to[..to.len() - 1];
    let common = from.iter().zip(dirs).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    url.push_str(&to[common..].join("/"));
    url
}

/// `path` as a relative URL: bytes outside `A-Za-z0-9-._~/` percent-encoded.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (as a browser does for a fragment).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `url` starts with a scheme (`https:`, `data:`, `mailto:`).
pub fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Where a file's relative links and images resolve.
pub trait Resolver: Sync {
    /// The URL to write for a markdown image `src`, or `None` to keep it.
    fn image(&self, src: &str) -> Option<String>;
    /// For a link or image to a file of this site: whether that file exists. `None` for
    /// URLs that are not local files (other hosts, `mailto:`, anchors).
    fn local_exists(&self, _url: &str, _image: bool) -> Option<bool> {
        None
    }
    /// The URL to write for a link (a markdown link, or `src` and `href` in raw HTML),
    /// or `None` to keep it. shale makes links from the site root (`/v2/api.html`)
    /// relative, so that the site works under any sub-path.
    fn link(&self, _url: &str) -> Option<String> {
        None
    }
    /// A key naming how this resolver answers: resolvers with the same key give the
    /// same answers, so what was rendered with one holds for the other (`shale serve`
    /// keeps rendered pieces by it). `None`: nothing is kept.
    fn key(&self) -> Option<&str> {
        None
    }
}

/// A resolver that keeps every URL.
pub struct KeepUrls;
impl Resolver for KeepUrls {
    fn image(&self, _src: &str) -> Option<String> {
        None
    }
}

/// The public address of the site (`--site-url`): an absolute `http` or `https` URL,
/// kept with a final `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    url: String,
    /// Whether the site is at the root of its host (`https://docs.example.com/`).
    at_host_root: bool,
}

impl SiteUrl {
    /// Checks and normalizes `--site-url`: `https://example.com/docs` →
    /// `https://example.com/docs/`. Non-ASCII characters of the path are percent-encoded.
    pub fn parse(s: &str) -> Result<SiteUrl> {
        let hint = "give the address the site is published at, such as `--site-url https://docs.example.com/` or `--site-url https://example.github.io/project/`";
        let s = s.trim();
        let Some((scheme, rest)) = s.split_once("://") else {
            bail!("--site-url `{s}` is not an absolute URL: {hint}");
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            bail!("--site-url `{s}`: the scheme must be http or https, not `{scheme}`; {hint}");
        }
        let (host, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
        let host_ok = !host.is_empty()
            && !host.contains('@')
            && host.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_')
            });
        if !host_ok {
            bail!("--site-url `{s}`: `{host}` is not a host name (write non-ASCII names in their xn-- form); {hint}");
        }
        if let Some(c) = path
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(*c))
        {
            bail!("--site-url `{s}`: the character {c:?} is not allowed in a URL; percent-encode it; {hint}");
        }
        if path.contains(['?', '#']) {
            bail!("--site-url `{s}`: a site address has no `?query` or `#fragment`; {hint}");
        }
        let mut url = format!("{scheme}://{}", host.to_ascii_lowercase());
        for b in path.bytes() {
            if b.is_ascii() {
                url.push(b as char);
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(SiteUrl {
            at_host_root: path.trim_end_matches('/').is_empty(),
            url,
        })
    }

    /// The URL, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The public URL of the page written at `path`: `index.html` is the folder's URL.
    pub fn page(&self, path: &str) -> String {
        let path = match path.strip_suffix("index.html") {
            Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
            _ => path,
        };
        format!("{}{}", self.url, url_path(path))
    }

    /// Whether the site is at the root of its host, where crawlers read `robots.txt`.
    pub fn at_host_root(&self) -> bool {
        self.at_host_root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_are_percent_encoded() {
        assert_eq!(
            url_path("v2/my page#1.search.js"),
            "v2/my%20page%231.search.js"
        );
        assert_eq!(url_path("中.js"), "%E4%B8%AD.js");
    }

    #[test]
    fn relative_urls_between_pages() {
        assert_eq!(relative_url("", "pt/index.html"), "pt/index.html");
        assert_eq!(relative_url("pt", "index.html"), "../index.html");
        assert_eq!(relative_url("pt", "pt/index.html"), "index.html");
        assert_eq!(relative_url("es", "pt/index.html"), "../pt/index.html");
        assert_eq!(
            relative_url("pt/guides", "guides/a.html"),
            "../../guides/a.html"
        );
        assert_eq!(relative_url("pt/guides", "pt/b.html"), "../b.html");
    }

    #[test]
    fn decodes_fragments() {
        assert_eq!(percent_decode("%E6%94%AF%E6%8C%81"), "支持");
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("bad%zz%"), "bad%zz%");
        assert_eq!(percent_decode("plain"), "plain");
        assert_eq!(percent_decode("%é%2"), "%é%2");
    }

    #[test]
    fn site_urls() {
        let u = SiteUrl::parse("HTTPS://Docs.Example.com").unwrap();
        assert_eq!(u.as_str(), "https://docs.example.com/");
        assert!(u.at_host_root());
        let u = SiteUrl::parse("https://example.github.io/r&d/api").unwrap();
        assert_eq!(u.as_str(), "https://example.github.io/r&d/api/");
        assert!(!u.at_host_root());
        assert_eq!(
            SiteUrl::parse("http://localhost:8080/ü/").unwrap().as_str(),
            "http://localhost:8080/%C3%BC/"
        );
        for bad in [
            "docs.example.com",
            "ftp://example.com/",
            "https:///x",
            "https://exa mple.com/",
            "https://user@example.com/",
            "https://example.com/a b/",
            "https://example.com/?q=1",
            "javascript:alert(1)",
            "https://bücher.de/",
        ] {
            let e = SiteUrl::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("--site-url"), "{bad}: {e}");
        }
    }

    #[test]
    fn page_urls() {
        let u = SiteUrl::parse("https://x.org/docs/").unwrap();
        assert_eq!(u.page("index.html"), "https://x.org/docs/");
        assert_eq!(u.page("v2/index.html"), "https://x.org/docs/v2/");
        assert_eq!(
            u.page("v2/myindex.html"),
            "https://x.org/docs/v2/myindex.html"
        );
        assert_eq!(u.page("a b.html"), "https://x.org/docs/a%20b.html");
    }
}
