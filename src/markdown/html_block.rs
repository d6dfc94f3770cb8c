//! Raw HTML blocks: port of markdown.c's `parse_htmlblock`, `htmlblock_end` and
//! `find_block_tag` (html_blocks.h). A block starts at a line beginning with `<` and a
//! block tag name, and runs to the first `</name>` that ends its line (first looking only
//! at closing tags at the start of a line, then anywhere); `<!-- -->` and `<hr>` blocks
//! must end their line. Everything in between is copied as it is.
//!
//! The searches for the closing tag go through [`Text::index`], so that a document of
//! unclosed tags is not scanned once per tag.

use super::block::is_empty;
use super::parser::Parser;
use super::text::Text;

/// redcarpet 3.6.0's block tag names (html_block_names.txt).
const BLOCK_TAGS: [&str; 44] = [
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "blockquote",
    "canvas",
    "center",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "iframe",
    "ins",
    "math",
    "nav",
    "noscript",
    "ol",
    "output",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "summary",
    "table",
    "tfoot",
    "ul",
    "video",
];

/// The block tag named `name` (any case), as `find_block_tag` finds it.
fn find_block_tag(name: &[u8]) -> Option<&'static str> {
    BLOCK_TAGS
        .iter()
        .copied()
        .find(|t| t.as_bytes().eq_ignore_ascii_case(name))
}

/// `htmlblock_end_tag`: at `data` (which starts with `</`), the closing tag `tag`
/// followed by a blank rest of line, and an optional blank line; returns the length.
pub(crate) fn end_tag_len(tag: &[u8], data: &[u8]) -> usize {
    let size = data.len();
    let n = tag.len();
    if n + 3 >= size || !data[2..2 + n].eq_ignore_ascii_case(tag) || data[n + 2] != b'>' {
        return 0;
    }
    let mut i = n + 3;
    let mut w = 0;
    if i < size {
        w = is_empty(&data[i..]);
        if w == 0 {
            return 0;
        }
    }
    i += w;
    w = 0;
    if i < size {
        w = is_empty(&data[i..]);
    }
    i + w
}

impl Parser<'_> {
    /// A raw HTML block at `s`, rendered; returns its length, 0 if there is none.
    pub(crate) fn parse_htmlblock(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        s: usize,
        e: usize,
    ) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        if size < 2 || data[0] != b'<' {
            return 0;
        }
        // The tag name runs to the first `>` or space.
        let i = t
            .index
            .find_either(&t.d, b'>', b' ', s + 1, e)
            .map_or(size, |p| p - s);
        let curtag = if i < size {
            find_block_tag(&data[1..i])
        } else {
            None
        };
        let len = match curtag {
            Some(tag) => self.html_block_with_tag(t, s, e, tag),
            None => special_block(t, s, e),
        };
        if len != 0 {
            self.r.raw_block(ob, &data[..len.min(size)]);
        }
        len
    }

    /// The length of a block opened by block tag `tag`, up to its closing tag.
    fn html_block_with_tag(&mut self, t: &Text, s: usize, e: usize, tag: &'static str) -> usize {
        let end = t.index.html_block_end(&t.d, tag, s, e, true);
        if end != 0 || tag == "ins" || tag == "del" {
            return end;
        }
        t.index.html_block_end(&t.d, tag, s, e, false)
    }
}

/// The length of a comment block (`<!--` … `-->`) or an `<hr>` block at `s`, each
/// ending its line, or 0.
fn special_block(t: &Text, s: usize, e: usize) -> usize {
    let data = &t.d[s..e];
    let size = data.len();
    if size > 5 && data[1] == b'!' && data[2] == b'-' && data[3] == b'-' {
        // The first `-->` whose `>` is at index 5 or later.
        let mut i = t
            .index
            .find_comment_end(&t.d, s + 5, e)
            .map_or(size, |p| p - s);
        i += 1;
        let mut j = 0;
        if i < size {
            j = is_empty(&data[i..]);
        }
        if j != 0 {
            return i + j;
        }
    }
    if size > 4 && matches!(data[1], b'h' | b'H') && matches!(data[2], b'r' | b'R') {
        let mut i = t.index.find(&t.d, b'>', s + 3, e).map_or(size, |p| p - s);
        if i + 1 < size {
            i += 1;
            let j = is_empty(&data[i..]);
            if j != 0 {
                return i + j;
            }
        }
    }
    0
}

/// `htmlblock_end` as written in C, for the index to check itself against in tests.
#[cfg(test)]
pub(crate) fn html_block_end_naive(tag: &str, data: &[u8], start_of_line: bool) -> usize {
    let size = data.len();
    let tag = tag.as_bytes();
    let mut i = 1;
    let mut block_lines = 0;
    while i < size {
        i += 1;
        while i < size && !(data[i - 1] == b'<' && data[i] == b'/') {
            if data[i] == b'\n' {
                block_lines += 1;
            }
            i += 1;
        }
        // Only closing tags at the start of a line, unless on the first line.
        if start_of_line && block_lines > 0 && data[i - 2] != b'\n' {
            continue;
        }
        if i + 2 + tag.len() >= size {
            break;
        }
        let end_tag = end_tag_len(tag, &data[i - 1..]);
        if end_tag != 0 {
            return i + end_tag - 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_any_case() {
        assert_eq!(find_block_tag(b"DIV"), Some("div"));
        assert_eq!(find_block_tag(b"center"), Some("center"));
        assert_eq!(find_block_tag(b"span"), None);
        assert_eq!(find_block_tag(b"div\n"), None);
    }

    #[test]
    fn closing_tags() {
        assert_eq!(end_tag_len(b"div", b"</div>\n\nx"), 8);
        assert_eq!(end_tag_len(b"div", b"</DIV>  \nx"), 9);
        assert_eq!(end_tag_len(b"div", b"</div> x\n"), 0);
        let d = b"<div>\n a </div>\n</div>\n\n";
        assert_eq!(html_block_end_naive("div", d, true), d.len());
        assert_eq!(html_block_end_naive("div", d, false), 16);
        assert_eq!(
            html_block_end_naive("div", b"<div>x</div>\nmore\n", true),
            13
        );
    }
}
