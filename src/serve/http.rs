//! Answering requests from the site in memory: URL paths to site files (nothing else can
//! be reached: the site is a map of relative paths, and paths that try to leave it are
//! refused before the lookup), content types, the reload snippet in HTML, the 404 page.

use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use super::conn::{Reply, Request, Response};
use super::{Shared, State};
use crate::util::escape::html as escape;

/// Where the live-reload script is served.
pub const RELOAD_JS: &str = "/__shale/reload.js";
/// Where the browser listens for rebuilds (server-sent events).
pub const EVENTS: &str = "/__shale/events";

const RELOAD_JS_SOURCE: &str = include_str!("reload.js");

/// Answers one request.
pub(super) fn handle(req: &Request, shared: &Arc<Shared>) -> Reply {
    if req.method != "GET" && req.method != "HEAD" {
        return Reply::Response(
            Response::text(405, "Method not allowed\n").with_header("Allow", "GET, HEAD"),
        );
    }
    let url = req.target.as_str();
    let (path, query) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let response = match path {
        EVENTS if req.head() => Response::new(200, "text/event-stream", Body::empty()),
        EVENTS => return Reply::Events,
        RELOAD_JS => Response::new(
            200,
            "text/javascript; charset=utf-8",
            Body::whole(Arc::new(RELOAD_JS_SOURCE.as_bytes().to_vec())),
        ),
        _ => {
            let state = shared.state();
            match lookup(&state, path) {
                Lookup::File(rel) => {
                    let bytes = state.site.files[&rel].clone();
                    let ctype = content_type(&rel);
                    let body = if ctype.starts_with("text/html") {
                        Body::injected(bytes, snippet(&state))
                    } else {
                        Body::whole(bytes)
                    };
                    Response::new(200, ctype, body)
                }
                Lookup::Redirect => Response::text(301, "Moved\n")
                    .with_header("Location", format!("{path}/{query}")),
                Lookup::NotFound => {
                    let page = not_found_page(&state, path);
                    Response::new(
                        404,
                        "text/html; charset=utf-8",
                        Body::whole(Arc::new(page.into_bytes())),
                    )
                }
            }
        }
    };
    Reply::Response(response)
}

/// What a URL path names in the site.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    File(String),
    /// A folder with an `index.html`, asked for without the final `/`.
    Redirect,
    NotFound,
}

fn lookup(state: &State, path: &str) -> Lookup {
    let files = &state.site.files;
    let Some(target) = site_path(path) else {
        return Lookup::NotFound;
    };
    if files.contains_key(&target.rel) {
        return Lookup::File(target.rel);
    }
    if !target.folder {
        if files.contains_key(&format!("{}/index.html", target.rel)) {
            return Lookup::Redirect;
        }
        // `/errors` for `errors.html`, as on most static hosts.
        let html = format!("{}.html", target.rel);
        if files.contains_key(&html) {
            return Lookup::File(html);
        }
    }
    Lookup::NotFound
}

/// A request path turned into a site path.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SitePath {
    /// The relative path of the file (`index.html` for a folder).
    pub rel: String,
    /// The request named a folder (ended with `/`).
    pub folder: bool,
}

/// Decodes a request path (`/dir/my%20page.html`) into a relative site path. Refuses
/// anything that is not a plain path down from the root: `.` and `..` segments (also
/// percent-encoded), encoded `/` and `\`, backslashes, empty segments (`//etc/passwd`),
/// NUL, and bytes that are not UTF-8.
pub(super) fn site_path(path: &str) -> Option<SitePath> {
    let rest = path.strip_prefix('/')?;
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(rest)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for s in trimmed.split('/') {
            if s.is_empty() || s == "." || s == ".." {
                return None;
            }
            segments.push(s);
        }
    }
    let mut rel = segments.join("/");
    if folder {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Some(SitePath { rel, folder })
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a relative site path for a link.
fn encode_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for &b in rel.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The Content-Type for a site file, from its extension.
pub(super) fn content_type(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = match name.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => {
            return if name == "CNAME" {
                "text/plain; charset=utf-8"
            } else {
                "application/octet-stream"
            }
        }
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// What `serve` adds before `</body>` of every HTML page: the error overlay while the
/// last build failed, and the live-reload script, which knows which build it is from.
fn snippet(state: &State) -> String {
    let mut s = String::new();
    if let Some(e) = &state.error {
        s.push_str(&e.overlay_html());
    }
    s.push_str(&format!(
        "<script src=\"{RELOAD_JS}\" data-build=\"{}\"></script>\n",
        state.site.build
    ));
    s
}

/// A response body: a site file, or a site file with the snippet spliced in, without
/// copying the file.
pub(super) struct Body {
    parts: Vec<Piece>,
}

struct Piece {
    bytes: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl Body {
    pub fn empty() -> Body {
        Body { parts: Vec::new() }
    }

    pub fn whole(bytes: Arc<Vec<u8>>) -> Body {
        let range = 0..bytes.len();
        Body {
            parts: vec![Piece { bytes, range }],
        }
    }

    /// `page` with `snippet` before its last `</body>` (at the end when it has none).
    pub fn injected(page: Arc<Vec<u8>>, snippet: String) -> Body {
        let at = rfind_ci(&page, b"</body").unwrap_or(page.len());
        let n = page.len();
        let snippet = Arc::new(snippet.into_bytes());
        let s = snippet.len();
        Body {
            parts: vec![
                Piece {
                    bytes: page.clone(),
                    range: 0..at,
                },
                Piece {
                    bytes: snippet,
                    range: 0..s,
                },
                Piece {
                    bytes: page,
                    range: at..n,
                },
            ],
        }
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.range.len()).sum()
    }

    pub fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        for p in &self.parts {
            w.write_all(&p.bytes[p.range.clone()])?;
        }
        Ok(())
    }
}

/// The last occurrence of `needle` (ASCII, lowercase) in `hay`, ignoring ASCII case.
fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page for a path the site does not have: what was asked, the site's pages, and
/// the live-reload snippet (so the page appears as soon as its source is saved).
fn not_found_page(state: &State, path: &str) -> String {
    let shown = percent_decode(path).unwrap_or_else(|| path.to_string());
    let mut list = String::new();
    for p in &state.site.pages {
        list.push_str(&format!(
            "<li><a href=\"/{}\">{}</a></li>",
            escape(&encode_path(p)),
            escape(p)
        ));
    }
    let pages = if state.site.pages.is_empty() {
        "<p>There is no page to show yet: the site has not built. Fix the error shown above and save.</p>".to_string()
    } else {
        format!("<p>The pages of this site:</p><ul>{list}</ul>")
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Not found · shale serve</title>\n<style>\
         body{{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#333;background:#f3f7f9;margin:0}}\
         main{{max-width:40em;margin:10vh auto;padding:0 1.5em}}h1{{font-weight:600;font-size:1.6em}}\
         code{{background:#e4e9ec;padding:.1em .3em;border-radius:3px;word-break:break-all}}a{{color:#2467af}}\
         .hint{{color:#777;font-size:.9em}}</style>\n</head>\n<body>\n<main>\n\
         <h1>Page not found</h1>\n<p><code>{}</code> is not a page or file of this site.</p>\n{pages}\n\
         <p class=\"hint\">This is <code>shale serve</code>'s preview: when a page's source is saved, it shows here by itself.</p>\n\
         </main>\n{}</body>\n</html>\n",
        escape(&shown),
        snippet(state)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(p: &str) -> Option<String> {
        site_path(p).map(|t| t.rel)
    }

    #[test]
    fn request_paths_to_site_paths() {
        assert_eq!(rel("/").as_deref(), Some("index.html"));
        assert_eq!(rel("/index.html").as_deref(), Some("index.html"));
        assert_eq!(rel("/v2/").as_deref(), Some("v2/index.html"));
        assert_eq!(rel("/v2").as_deref(), Some("v2"));
        assert_eq!(
            rel("/images/my%20logo.png").as_deref(),
            Some("images/my logo.png")
        );
        assert_eq!(rel("/%C3%A9t%C3%A9.html").as_deref(), Some("été.html"));
        assert_eq!(rel("/été.html").as_deref(), Some("été.html"));
        for bad in [
            "",
            "index.html",
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/..%2fCargo.toml",
            "/..%2FCargo.toml",
            "/images/..%5c..%5cCargo.toml",
            "/images/../../Cargo.toml",
            "/./index.html",
            "//etc/passwd",
            "/a//b",
            "/..\\Cargo.toml",
            "/%00",
            "/bad%zz",
            "/%ff.html",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("index.html", "text/html; charset=utf-8"),
            ("stylesheets/screen.css", "text/css; charset=utf-8"),
            ("javascripts/shale.js", "text/javascript; charset=utf-8"),
            ("search.json", "application/json"),
            ("images/logo.SVG", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.webp", "image/webp"),
            ("favicon.ico", "image/x-icon"),
            ("fonts/a.woff", "font/woff"),
            ("fonts/a.woff2", "font/woff2"),
            ("CNAME", "text/plain; charset=utf-8"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(f), t, "{f}");
        }
    }

    #[test]
    fn splices_the_snippet_before_the_body_end() {
        let page = Arc::new(b"<html><body><p>x</p></BODY></html>".to_vec());
        let b = Body::injected(page, "<script></script>".into());
        let mut s = Vec::new();
        b.write_to(&mut s).unwrap();
        assert_eq!(s, b"<html><body><p>x</p><script></script></BODY></html>");
        assert_eq!(b.len(), s.len());
        let b = Body::injected(Arc::new(b"no end".to_vec()), "!".into());
        let mut s = Vec::new();
        b.write_to(&mut s).unwrap();
        assert_eq!(s, b"no end!");
    }

    #[test]
    fn encodes_links() {
        assert_eq!(encode_path("dir/my page.html"), "dir/my%20page.html");
        assert_eq!(encode_path("été.html"), "%C3%A9t%C3%A9.html");
    }
}
