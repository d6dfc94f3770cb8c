//! A small, linear scanner over HTML that shale itself wrote or that an author wrote raw:
//! finds tags and their attributes, skipping comments and the contents of `<script>`,
//! `<style>` and `<textarea>`. Enough to read ids and headings back, as Slate's TOC does
//! with Nokogiri, without building a DOM of a 100 MB page.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

/// A tag found in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef<'a> {
    /// The name as written, without `/` (compare with [`TagRef::is`]).
    pub name: &'a str,
    pub closing: bool,
    /// The attribute text between the name and `>`.
    pub attrs: &'a str,
    /// Byte range of the whole tag.
    pub start: usize,
    pub end: usize,
}

/// Iterates over the tags of `html`.
pub fn tags(html: &str) -> Tags<'_> {
    Tags {
        html,
        pos: 0,
        ran_off: false,
    }
}

impl TagRef<'_> {
    /// Whether the tag is `name` (ASCII case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Iterator returned by [`tags`].
pub struct Tags<'a> {
    html: &'a str,
    pos: usize,
    /// A comment, tag or script the text ends inside of.
    ran_off: bool,
}

impl Tags<'_> {
    /// Whether the text ended inside a comment, a tag, or the content of a `script`,
    /// `style` or `textarea`: what follows it would continue them.
    pub fn ran_off(&self) -> bool {
        self.ran_off
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = TagRef<'a>;
    fn next(&mut self) -> Option<TagRef<'a>> {
        let h = self.html;
        let b = h.as_bytes();
        loop {
            let lt = self.pos + h.get(self.pos..)?.find('<')?;
            if h[lt..].starts_with("<!--") {
                self.pos = match h[lt + 4..].find("-->") {
                    Some(i) => lt + 4 + i + 3,
                    None => {
                        self.ran_off = true;
                        h.len()
                    }
                };
                continue;
            }
            let closing = b.get(lt + 1) == Some(&b'/');
            let name_start = lt + 1 + closing as usize;
            let name_len = b[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
            if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
                self.pos = lt + 1;
                continue;
            }
            let name_end = name_start + name_len;
            let (gt, closed) = tag_end(b, name_end);
            self.ran_off |= !closed;
            let name = &h[name_start..name_end];
            // `gt` is past the `>`, or the end of the text when the tag is not closed.
            let attrs_end = if b[gt - 1] == b'>' { gt - 1 } else { gt };
            let attrs = h[name_end..attrs_end.max(name_end)].trim_end_matches('/');
            self.pos = gt;
            if !closing
                && ["script", "style", "textarea"]
                    .iter()
                    .any(|t| name.eq_ignore_ascii_case(t))
            {
                let close = format!("</{}", name.to_ascii_lowercase());
                let lower_rest = &h[gt..];
                self.pos = match find_ci(lower_rest, &close) {
                    Some(i) => gt + i,
                    None => {
                        self.ran_off = true;
                        h.len()
                    }
                };
            }
            return Some(TagRef {
                name,
                closing,
                attrs,
                start: lt,
                end: gt,
            });
        }
    }
}

/// The code blocks shale wrote into a page body: where each one's HTML is, and the
/// plain text of each distinct block. Scanners step over the highlighted HTML (most of
/// a code-heavy page) instead of reading it tag by tag.
#[derive(Debug, Clone, Default)]
pub struct CodeSpans {
    /// Byte range of each block's HTML in the body, in order.
    pub ranges: Vec<Range<usize>>,
    /// For each range, the index of its text in `texts`.
    pub block: Vec<u32>,
    /// The code of each distinct block (the text content of its HTML).
    pub texts: Vec<String>,
}

/// Iterates over the tags of `html` like [`tags`], telling which tag starts one of the
/// `spans` (a code block's HTML) so that the caller can [`TagsSkipping::jump`] over it.
/// A span whose first tag the scan does not meet there (it lies in a comment or a
/// script left open by raw HTML) is read tag by tag, as [`tags`] would.
pub fn tags_skipping<'a>(html: &'a str, spans: &'a [Range<usize>]) -> TagsSkipping<'a> {
    TagsSkipping {
        inner: tags(html),
        spans,
        next: 0,
    }
}

/// Iterator returned by [`tags_skipping`].
pub struct TagsSkipping<'a> {
    inner: Tags<'a>,
    spans: &'a [Range<usize>],
    next: usize,
}

impl TagsSkipping<'_> {
    /// Continues the scan after span `k` (a value [`TagsSkipping::next`] returned).
    pub fn jump(&mut self, k: usize) {
        self.inner.pos = self.spans[k].end;
    }

    /// See [`Tags::ran_off`].
    pub fn ran_off(&self) -> bool {
        self.inner.ran_off
    }
}

impl<'a> Iterator for TagsSkipping<'a> {
    /// A tag, and the index of the span it starts.
    type Item = (TagRef<'a>, Option<usize>);
    fn next(&mut self) -> Option<Self::Item> {
        let t = self.inner.next()?;
        while self.spans.get(self.next).is_some_and(|s| s.start < t.start) {
            self.next += 1;
        }
        if self
            .spans
            .get(self.next)
            .is_some_and(|s| s.start == t.start)
        {
            self.next += 1;
            return Some((t, Some(self.next - 1)));
        }
        Some((t, None))
    }
}

/// End of a tag (just past `>`), honouring quoted attribute values; the end of the text
/// (and `false`) when the tag is not closed.
fn tag_end(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut quote = 0u8;
    while i < b.len() {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'>' {
            return (i + 1, true);
        }
        i += 1;
    }
    (b.len(), false)
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The value of attribute `name` in an attribute string (`id='x' class="y"`).
pub fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    attributes(attrs)
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| a.value)
}

/// One attribute of a tag: slices of the attribute string, raw (entities not decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    pub name: &'a str,
    /// The value without its quotes; empty (at the end of the name) when there is none.
    pub value: &'a str,
    /// The whole attribute, from the name to the end of the value and its quote.
    pub whole: &'a str,
}

/// Iterates over the attributes of an attribute string, in order.
pub fn attributes(attrs: &str) -> Attributes<'_> {
    Attributes { attrs, i: 0 }
}

/// Iterator returned by [`attributes`].
pub struct Attributes<'a> {
    attrs: &'a str,
    i: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Attr<'a>;
    fn next(&mut self) -> Option<Attr<'a>> {
        let attrs = self.attrs;
        let b = attrs.as_bytes();
        let mut i = self.i;
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                self.i = i;
                return None;
            }
            let k0 = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            let key = &attrs[k0..i];
            let key_end = i;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = &attrs[key_end..key_end];
            let mut end = key_end;
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let v0 = i + 1;
                    let v1 = attrs[v0..].find(q as char).map_or(attrs.len(), |j| v0 + j);
                    value = &attrs[v0..v1];
                    i = (v1 + 1).min(b.len());
                } else {
                    let v0 = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &attrs[v0..i];
                }
                end = i;
            } else {
                i = key_end;
            }
            if i == k0 {
                i += 1; // a lone `>` or `=`: skip it
                continue;
            }
            self.i = i;
            return Some(Attr {
                name: key,
                value,
                whole: &attrs[k0..end],
            });
        }
    }
}

/// `html` with the `src` and `href` attribute values that `f` maps to a new value
/// replaced (`f` gets the value as written, entities and all; what it returns is written
/// as it is, so it must be safe in the attribute's quotes); `None` when none changed.
pub fn rewrite_urls(html: &str, f: impl Fn(&str) -> Option<String>) -> Option<String> {
    if find_ci(html, "src").is_none() && find_ci(html, "href").is_none() {
        return None;
    }
    let base = html.as_ptr() as usize;
    let mut out = String::new();
    let mut copied = 0;
    let mut changed = false;
    for t in tags(html) {
        if t.closing {
            continue;
        }
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        for name in ["src", "href"] {
            // An empty value may not point into `html` (`attr` returns "" for `<a href>`).
            if let Some(value) = attr(t.attrs, name).filter(|v| !v.is_empty()) {
                if let Some(new) = f(value) {
                    found.push((value.as_ptr() as usize - base, value.len(), new));
                }
            }
        }
        found.sort_by_key(|(start, ..)| *start);
        for (start, len, new) in found {
            out.push_str(&html[copied..start]);
            out.push_str(&new);
            copied = start + len;
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Adds every `id` attribute value in `html` to `ids`.
pub fn collect_ids(html: &str, ids: &mut HashSet<String>) {
    if !html.contains("id") {
        return;
    }
    for t in tags(html) {
        if !t.closing {
            if let Some(id) = attr(t.attrs, "id") {
                ids.insert(decode(id));
            }
        }
    }
}

/// A heading found in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundHeading {
    pub level: u8,
    /// The id attribute, decoded; empty when absent.
    pub id: String,
    /// Inner HTML.
    pub html: String,
}

/// Every `h1`..`h4` element in `html`, in order (Slate's TOC reads `h1, h2, h3`;
/// `toc_depth: 4` the `h4`s too).
pub fn headings(html: &str) -> Vec<FoundHeading> {
    headings_skipping(html, &[])
}

/// [`headings`], stepping over the code blocks at `spans` (which hold no heading).
pub fn headings_skipping(html: &str, spans: &[Range<usize>]) -> Vec<FoundHeading> {
    read_headings(html, spans).0
}

/// [`headings_skipping`], and whether the text ends clean: outside any heading, tag,
/// comment or script, so that reading what follows on its own continues exactly.
pub fn read_headings(html: &str, spans: &[Range<usize>]) -> (Vec<FoundHeading>, bool) {
    let mut out = Vec::new();
    let mut open: Option<(u8, String, usize)> = None;
    let mut scan = tags_skipping(html, spans);
    while let Some((t, span)) = scan.next() {
        if let (Some(k), None) = (span, &open) {
            scan.jump(k);
            continue;
        }
        let b = t.name.as_bytes();
        let level = match b {
            [h, d @ b'1'..=b'4'] if h.eq_ignore_ascii_case(&b'h') => d - b'0',
            _ => continue,
        };
        if !t.closing {
            let id = attr(t.attrs, "id").map(decode).unwrap_or_default();
            open = Some((level, id, t.end));
        } else if let Some((l, id, start)) = open.take() {
            if l == level {
                out.push(FoundHeading {
                    level,
                    id,
                    html: html[start..t.start].to_string(),
                });
            } else {
                open = Some((l, id, start));
            }
        }
    }
    let clean = !scan.ran_off() && open.is_none();
    (out, clean)
}

/// Decodes HTML entities.
pub fn decode(s: &str) -> String {
    if s.contains('&') {
        html_escape::decode_html_entities(s).into_owned()
    } else {
        s.to_string()
    }
}

/// Plain text of an HTML fragment: tags removed, entities decoded.
pub fn text_of(html: &str) -> String {
    decode(&strip_tags(html))
}

/// Removes every `<...>` tag, as the regex `<[^>]*>` does (an unclosed `<` stays).
///
/// Nothing is inserted where a tag was (`Line<br>break` gives `Linebreak`), entities are
/// left alone, and a tag may span lines. Returns the input unchanged (borrowed) when it
/// contains no complete tag.
pub fn strip_tags(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut pos = 0;
    while let Some(lt) = find_byte(bytes, pos, b'<') {
        let Some(gt) = find_byte(bytes, lt + 1, b'>') else {
            break; // No `>` after this `<`: no later `<` can start a tag either.
        };
        out.get_or_insert_with(|| String::with_capacity(html.len()))
            .push_str(&html[pos..lt]);
        pos = gt + 1;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[pos..]);
            Cow::Owned(s)
        }
    }
}

#[inline]
fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_in_any_quoting() {
        assert_eq!(attr(" id='a' class=\"b c\"", "class"), Some("b c"));
        assert_eq!(attr(" data-x=1 id=plain", "id"), Some("plain"));
        assert_eq!(attr(" hidden id=\"x\"", "id"), Some("x"));
        assert_eq!(attr(" class=\"id\"", "id"), None);
        assert_eq!(attr(" id", "id"), Some(""));
    }

    #[test]
    fn iterates_attributes_with_their_extent() {
        let a: Vec<(&str, &str, &str)> = attributes(" src='a b' defer data-x = \"1\" alt=z /")
            .map(|a| (a.name, a.value, a.whole))
            .collect();
        assert_eq!(
            a,
            [
                ("src", "a b", "src='a b'"),
                ("defer", "", "defer"),
                ("data-x", "1", "data-x = \"1\""),
                ("alt", "z", "alt=z"),
            ]
        );
    }

    #[test]
    fn finds_headings_and_skips_comments_and_scripts() {
        let html = "<h1 id='a'>A <code>x</code></h1><!-- <h2 id='no'>x</h2> --><script>\"<h2>\"</script><H2 ID=\"b&amp;c\">B</H2><h3>C</h3><h4 id='d'>D</h4><h5>E</h5>";
        let h = headings(html);
        assert_eq!(h.len(), 4, "h1 to h4 (h4 for toc_depth: 4)");
        assert_eq!(
            (h[0].level, h[0].id.as_str(), h[0].html.as_str()),
            (1, "a", "A <code>x</code>")
        );
        assert_eq!((h[1].level, h[1].id.as_str()), (2, "b&c"));
        assert_eq!((h[2].level, h[2].id.as_str()), (3, ""));
        assert_eq!((h[3].level, h[3].id.as_str()), (4, "d"));
    }

    #[test]
    fn unclosed_tags_at_the_end_are_byte_safe() {
        for html in ["<a é", "<a title=\"é", "<a\u{200b}", "<h1 id='x'>é</h1 é"] {
            let _ = tags(html).count();
            let _ = headings(html);
        }
        assert_eq!(tags("<a href='é").next().unwrap().attrs, " href='é");
    }

    #[test]
    fn rewrites_src_and_href_values() {
        let f = |v: &str| v.strip_prefix('/').map(|r| format!("../{r}"));
        assert_eq!(
            rewrite_urls(
                "<p><img alt='/x' SRC=\"/images/a.png\"> <a title=\"/t\" href=/b.html><img src=/a.png></a> <a href='#c'>c</a></p>",
                f
            )
            .as_deref(),
            Some("<p><img alt='/x' SRC=\"../images/a.png\"> <a title=\"/t\" href=../b.html><img src=../a.png></a> <a href='#c'>c</a></p>")
        );
        assert_eq!(
            rewrite_urls("<a href='#x'>x</a> <!-- <a href='/y'> -->", f),
            None
        );
        assert_eq!(rewrite_urls("<a href>x</a><img src=''>", f), None);
        assert_eq!(
            rewrite_urls("<script>x = '<a href=\"/y\">'</script><a href=\"/é\">", f).as_deref(),
            Some("<script>x = '<a href=\"/y\">'</script><a href=\"../é\">")
        );
    }

    #[test]
    fn collects_ids() {
        let mut ids = HashSet::new();
        collect_ids(
            "<a id='x'></a><div id=\"y\" class='z'><span class=\"id\">",
            &mut ids,
        );
        assert_eq!(ids, HashSet::from(["x".to_string(), "y".to_string()]));
    }
}
