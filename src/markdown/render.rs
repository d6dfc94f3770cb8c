//! The renderer Slate runs: redcarpet's HTML renderer (html.c, houdini's escaping) with
//! no render flags, where Slate's renderer class overrides four callbacks in Ruby:
//! `header` (`UniqueHeadCounter`: `<hN id='ID'>`), `block_code` (Slate's multilang over
//! middleman-syntax), `link` and `image` (Middleman's Padrino helpers).
//!
//! shale adds its own work to the same callbacks: headings and code blocks become slots
//! filled when the page is assembled (ids made unique across the page, code
//! highlighted); raw HTML has its `id`s collected and its `src`/`href` resolved; links
//! and images are resolved and kept for the link check.

use std::collections::HashSet;

use super::table::{ALIGN_CENTER, ALIGN_L, ALIGN_MASK, ALIGN_R, HEADER};
use super::{CodeBlock, Heading, LinkRef, Warning};
use crate::highlight;
use crate::markdown::slug::{self, SlateCounter};
use crate::util::html_scan;
use crate::util::url::Resolver;

/// First and last byte of a slot marker in the output (never in UTF-8 text).
pub(crate) const MARK: u8 = 0xFF;
/// Slot kinds after [`MARK`].
pub(crate) const SLOT_HEADING: u8 = b'h';
pub(crate) const SLOT_CODE: u8 = b'c';
/// In a heading's inner HTML only: a URL shale writes differently from Slate.
const SLOT_URL: u8 = b'u';

/// The callbacks, and what shale collects through them.
pub(crate) struct Renderer<'r> {
    resolver: &'r dyn Resolver,
    counter: SlateCounter,
    /// Inside a heading's inline content (its HTML makes Slate's id).
    pub in_heading: usize,
    /// URLs of the heading being parsed that shale rewrites: (shale's, Slate's).
    heading_urls: Vec<(Vec<u8>, Vec<u8>)>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub raw_ids: HashSet<String>,
    pub links: Vec<LinkRef>,
    pub warnings: Vec<Warning>,
    /// See [`crate::markdown::Part::errors`].
    pub errors: Vec<Warning>,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// houdini's `escape_html` as html.c calls it: `& < > " '`.
pub(crate) fn escape_html(ob: &mut Vec<u8>, src: &[u8]) {
    let mut last = 0;
    for (i, &b) in src.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        ob.extend_from_slice(&src[last..i]);
        ob.extend_from_slice(rep);
        last = i + 1;
    }
    ob.extend_from_slice(&src[last..]);
}

/// houdini's `escape_href`: bytes outside its safe set as `%XX`, `'` as `&#x27;`.
fn escape_href(ob: &mut Vec<u8>, src: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in src {
        let safe = b.is_ascii_alphanumeric() || b"!#$%&()*+,-./:;=?@_".contains(&b);
        if safe {
            ob.push(b);
        } else if b == b'\'' {
            ob.extend_from_slice(b"&#x27;");
        } else {
            ob.extend_from_slice(&[b'%', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        }
    }
}

/// Padrino's `escape_value` for attribute values: `& < > "` (not `'`).
fn escape_attr(ob: &mut Vec<u8>, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => continue,
        };
        ob.extend_from_slice(&s.as_bytes()[last..i]);
        ob.extend_from_slice(rep);
        last = i + 1;
    }
    ob.extend_from_slice(&s.as_bytes()[last..]);
}

fn newline_if_not_first(ob: &mut Vec<u8>) {
    if !ob.is_empty() {
        ob.push(b'\n');
    }
}

fn push_slot(ob: &mut Vec<u8>, kind: u8, index: usize) {
    ob.push(MARK);
    ob.push(kind);
    ob.extend_from_slice(index.to_string().as_bytes());
    ob.push(MARK);
}

impl<'r> Renderer<'r> {
    pub fn new(resolver: &'r dyn Resolver) -> Self {
        Renderer {
            resolver,
            counter: SlateCounter::default(),
            in_heading: 0,
            heading_urls: Vec::new(),
            headings: Vec::new(),
            code_blocks: Vec::new(),
            raw_ids: HashSet::new(),
            links: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
        }
    }

    // Block callbacks.

    /// Slate's `block_code`: a slot for the highlighted block (no newline around it).
    pub fn blockcode(&mut self, ob: &mut Vec<u8>, code: &[u8], lang: Option<&[u8]>, line: usize) {
        let info = lang.map(text).unwrap_or_default();
        let code = text(code);
        let (fence, ambiguous) = highlight::classify_fence(&info, &code);
        if let Some(candidates) = ambiguous {
            self.warnings.push(Warning {
                line,
                message: format!(
                    "the language of this unlabelled code block could be any of {}; add one after the ``` (Slate's build stops here)",
                    candidates.join(", ")
                ),
            });
        }
        push_slot(ob, SLOT_CODE, self.code_blocks.len());
        self.code_blocks.push(CodeBlock { fence, code, line });
    }

    pub fn blockquote(&mut self, ob: &mut Vec<u8>, text: &[u8]) {
        newline_if_not_first(ob);
        ob.extend_from_slice(b"<blockquote>\n");
        ob.extend_from_slice(text);
        ob.extend_from_slice(b"</blockquote>\n");
    }

    /// A raw HTML block, without the line ends around it.
    pub fn raw_block(&mut self, ob: &mut Vec<u8>, block: &[u8]) {
        let mut size = block.len();
        while size > 0 && block[size - 1] == b'\n' {
            size -= 1;
        }
        let mut org = 0;
        while org < size && block[org] == b'\n' {
            org += 1;
        }
        newline_if_not_first(ob);
        self.raw_html_into(ob, &block[org..size]);
        ob.push(b'\n');
    }

    /// Slate's `header`: a slot for `<hN id='ID'>INNER</hN>`, the id from Slate's counter
    /// over the inner HTML as Slate writes it (URLs as written, not made relative).
    /// With `custom` (`{#id}`, shale's extension), the heading has that id instead, and
    /// Slate's counter does not count it.
    pub fn header(
        &mut self,
        ob: &mut Vec<u8>,
        inner: &[u8],
        level: u8,
        line: usize,
        custom: Option<String>,
    ) {
        let (html, slate_html) = self.heading_versions(inner);
        let is_custom = custom.is_some();
        let slate_id = match custom {
            Some(id) => id,
            None => self.counter.unique(slug::heading_slug(&slate_html)),
        };
        push_slot(ob, SLOT_HEADING, self.headings.len());
        self.headings.push(Heading {
            level,
            html,
            slate_id,
            line,
            custom: is_custom,
        });
    }

    /// A heading's inner HTML as shale writes it and as Slate does.
    fn heading_versions(&mut self, inner: &[u8]) -> (String, String) {
        let urls = std::mem::take(&mut self.heading_urls);
        if urls.is_empty() {
            let html = text(inner);
            return (html.clone(), html);
        }
        let (mut shale, mut slate) = (Vec::new(), Vec::new());
        let mut rest = inner;
        while let Some(at) = rest.iter().position(|&b| b == MARK) {
            shale.extend_from_slice(&rest[..at]);
            slate.extend_from_slice(&rest[..at]);
            let end = rest[at + 1..]
                .iter()
                .position(|&b| b == MARK)
                .map_or(rest.len(), |e| at + 1 + e);
            let index: Option<usize> =
                std::str::from_utf8(rest.get(at + 2..end).unwrap_or_default())
                    .ok()
                    .and_then(|s| s.parse().ok());
            if let Some((ours, theirs)) = index.and_then(|i| urls.get(i)) {
                shale.extend_from_slice(ours);
                slate.extend_from_slice(theirs);
            }
            rest = rest.get(end + 1..).unwrap_or_default();
        }
        shale.extend_from_slice(rest);
        slate.extend_from_slice(rest);
        (text(&shale), text(&slate))
    }

    /// Writes what shale writes for a URL or a raw tag; in a heading, a slot when Slate
    /// writes something else.
    fn write_rewritten(&mut self, ob: &mut Vec<u8>, ours: Vec<u8>, theirs: Vec<u8>) {
        if self.in_heading == 0 || ours == theirs {
            ob.extend_from_slice(&ours);
            return;
        }
        push_slot(ob, SLOT_URL, self.heading_urls.len());
        self.heading_urls.push((ours, theirs));
    }

    pub fn hrule(&mut self, ob: &mut Vec<u8>) {
        newline_if_not_first(ob);
        ob.extend_from_slice(b"<hr>\n");
    }

    pub fn list(&mut self, ob: &mut Vec<u8>, text: &[u8], ordered: bool) {
        newline_if_not_first(ob);
        ob.extend_from_slice(if ordered { b"<ol>\n" } else { b"<ul>\n" });
        ob.extend_from_slice(text);
        ob.extend_from_slice(if ordered { b"</ol>\n" } else { b"</ul>\n" });
    }

    pub fn listitem(&mut self, ob: &mut Vec<u8>, text: &[u8]) {
        let mut size = text.len();
        while size > 0 && text[size - 1] == b'\n' {
            size -= 1;
        }
        ob.extend_from_slice(b"<li>");
        ob.extend_from_slice(&text[..size]);
        ob.extend_from_slice(b"</li>\n");
    }

    pub fn paragraph(&mut self, ob: &mut Vec<u8>, text: &[u8]) {
        newline_if_not_first(ob);
        // C's isspace: blanks and line ends.
        let i = text
            .iter()
            .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            .count();
        if i == text.len() {
            return;
        }
        ob.extend_from_slice(b"<p>");
        ob.extend_from_slice(&text[i..]);
        ob.extend_from_slice(b"</p>\n");
    }

    pub fn table(&mut self, ob: &mut Vec<u8>, header: &[u8], body: &[u8]) {
        newline_if_not_first(ob);
        ob.extend_from_slice(b"<table><thead>\n");
        ob.extend_from_slice(header);
        ob.extend_from_slice(b"</thead><tbody>\n");
        ob.extend_from_slice(body);
        ob.extend_from_slice(b"</tbody></table>\n");
    }

    pub fn table_row(&mut self, ob: &mut Vec<u8>, text: &[u8]) {
        ob.extend_from_slice(b"<tr>\n");
        ob.extend_from_slice(text);
        ob.extend_from_slice(b"</tr>\n");
    }

    pub fn table_cell(&mut self, ob: &mut Vec<u8>, text: &[u8], flags: u8) {
        let header = flags & HEADER != 0;
        ob.extend_from_slice(if header { b"<th" } else { b"<td" });
        ob.extend_from_slice(match flags & ALIGN_MASK {
            ALIGN_CENTER => b" style=\"text-align: center\">",
            ALIGN_L => b" style=\"text-align: left\">",
            ALIGN_R => b" style=\"text-align: right\">",
            _ => b">",
        });
        ob.extend_from_slice(text);
        ob.extend_from_slice(if header { b"</th>\n" } else { b"</td>\n" });
    }

    // Span callbacks: `false` leaves the markup as text.

    /// `<http://x>` and `<a@b.c>`: redcarpet's own `rndr_autolink`.
    pub fn autolink(&mut self, ob: &mut Vec<u8>, link: &[u8], email: bool) -> bool {
        if link.is_empty() {
            return false;
        }
        ob.extend_from_slice(b"<a href=\"");
        if email {
            ob.extend_from_slice(b"mailto:");
        }
        escape_href(ob, link);
        ob.extend_from_slice(b"\">");
        escape_html(ob, link.strip_prefix(b"mailto:").unwrap_or(link));
        ob.extend_from_slice(b"</a>");
        true
    }

    pub fn codespan(&mut self, ob: &mut Vec<u8>, text: Option<&[u8]>) -> bool {
        ob.extend_from_slice(b"<code>");
        if let Some(t) = text {
            escape_html(ob, t);
        }
        ob.extend_from_slice(b"</code>");
        true
    }

    fn wrap(ob: &mut Vec<u8>, text: &[u8], open: &[u8], close: &[u8]) -> bool {
        if text.is_empty() {
            return false;
        }
        ob.extend_from_slice(open);
        ob.extend_from_slice(text);
        ob.extend_from_slice(close);
        true
    }

    pub fn double_emphasis(&mut self, ob: &mut Vec<u8>, text: &[u8]) -> bool {
        Self::wrap(ob, text, b"<strong>", b"</strong>")
    }

    pub fn emphasis(&mut self, ob: &mut Vec<u8>, text: &[u8]) -> bool {
        Self::wrap(ob, text, b"<em>", b"</em>")
    }

    pub fn triple_emphasis(&mut self, ob: &mut Vec<u8>, text: &[u8]) -> bool {
        Self::wrap(ob, text, b"<strong><em>", b"</em></strong>")
    }

    pub fn strikethrough(&mut self, ob: &mut Vec<u8>, text: &[u8]) -> bool {
        Self::wrap(ob, text, b"<del>", b"</del>")
    }

    pub fn linebreak(&mut self, ob: &mut Vec<u8>) {
        ob.extend_from_slice(b"<br>\n");
    }

    /// Middleman's `link`: `<a href="URL" title="T">content</a>` (spaces in the URL as
    /// `%20`, `#` when there is none), the URL made relative by the resolver.
    pub fn link(
        &mut self,
        ob: &mut Vec<u8>,
        link: Option<&[u8]>,
        title: Option<&[u8]>,
        content: Option<&[u8]>,
        line: usize,
    ) -> bool {
        let (href, slate_href) = match link {
            None => ("#".to_string(), "#".to_string()),
            Some(l) => {
                let url = text(l);
                let href = self.resolver.link(&url).unwrap_or_else(|| url.clone());
                let slate = url.replace(' ', "%20");
                self.links.push(LinkRef {
                    url,
                    image: false,
                    line,
                });
                (href.replace(' ', "%20"), slate)
            }
        };
        ob.extend_from_slice(b"<a href=\"");
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        escape_attr(&mut ours, &href);
        escape_attr(&mut theirs, &slate_href);
        self.write_rewritten(ob, ours, theirs);
        ob.push(b'"');
        if let Some(t) = title {
            ob.extend_from_slice(b" title=\"");
            escape_attr(ob, &text(t));
            ob.push(b'"');
        }
        ob.push(b'>');
        ob.extend_from_slice(content.unwrap_or_default());
        ob.extend_from_slice(b"</a>");
        true
    }

    /// Middleman's `image`: `<img src="SRC" title="T" alt="ALT" />`, the source resolved.
    pub fn image(
        &mut self,
        ob: &mut Vec<u8>,
        link: Option<&[u8]>,
        title: Option<&[u8]>,
        alt: Option<&[u8]>,
        line: usize,
    ) -> bool {
        let url = link.map(text).unwrap_or_default();
        let src = self.resolver.image(&url).unwrap_or_else(|| url.clone());
        if link.is_some() {
            self.links.push(LinkRef {
                url,
                image: true,
                line,
            });
        }
        ob.extend_from_slice(b"<img src=\"");
        escape_attr(ob, &src);
        ob.push(b'"');
        if let Some(t) = title {
            ob.extend_from_slice(b" title=\"");
            escape_attr(ob, &text(t));
            ob.push(b'"');
        }
        ob.extend_from_slice(b" alt=\"");
        escape_attr(ob, &text(alt.unwrap_or_default()));
        ob.extend_from_slice(b"\" />");
        true
    }

    /// An inline HTML tag.
    pub fn raw_html(&mut self, ob: &mut Vec<u8>, tag: &[u8]) -> bool {
        self.raw_html_into(ob, tag);
        true
    }

    /// Raw HTML as written, its ids collected and its `src`/`href` resolved.
    fn raw_html_into(&mut self, ob: &mut Vec<u8>, html: &[u8]) {
        let html = String::from_utf8_lossy(html);
        html_scan::collect_ids(&html, &mut self.raw_ids);
        match html_scan::rewrite_urls(&html, |u| self.resolver.link(u)) {
            Some(new) => self.write_rewritten(ob, new.into_bytes(), html.as_bytes().to_vec()),
            None => ob.extend_from_slice(html.as_bytes()),
        }
    }

    /// Text between markup: escaped.
    pub fn normal_text(&mut self, ob: &mut Vec<u8>, text: &[u8]) {
        escape_html(ob, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        let mut ob = Vec::new();
        escape_html(&mut ob, b"a&b<c>\"d'e/f");
        assert_eq!(ob, b"a&amp;b&lt;c&gt;&quot;d&#39;e/f");
        ob.clear();
        escape_href(&mut ob, "a b'c\u{e9}/?x=1&y".as_bytes());
        assert_eq!(ob, b"a%20b&#x27;c%C3%A9/?x=1&y");
    }
}
