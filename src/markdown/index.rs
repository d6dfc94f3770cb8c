//! Searches over a [`super::text::Text`] (placeholder: plain scans).

use super::html_block::end_tag_len;

#[derive(Default)]
pub(crate) struct Index {}

impl Index {
    /// The first `b` in `d[from..end]`.
    pub fn find(&self, d: &[u8], b: u8, from: usize, end: usize) -> Option<usize> {
        if from >= end {
            return None;
        }
        d[from..end].iter().position(|&c| c == b).map(|p| p + from)
    }

    /// The first `a` or `b` in `d[from..end]`.
    pub fn find_either(&self, d: &[u8], a: u8, b: u8, from: usize, end: usize) -> Option<usize> {
        if from >= end {
            return None;
        }
        d[from..end]
            .iter()
            .position(|&c| c == a || c == b)
            .map(|p| p + from)
    }

    /// The first `>` at or after `from` (before `end`) that ends a `-->`.
    pub fn find_comment_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        (from..end).find(|&i| d[i] == b'>' && d[i - 1] == b'-' && d[i - 2] == b'-')
    }

    /// The `]` matching the `[` at `p` (nested brackets counted, a bracket after a
    /// backslash not), and whether a line end comes before it.
    pub fn match_bracket(&self, d: &[u8], p: usize, end: usize) -> Option<(usize, bool)> {
        let mut level = 1;
        let mut nl = false;
        let mut i = p + 1;
        while i < end {
            if d[i] == b'\n' {
                nl = true;
            } else if d[i - 1] == b'\\' {
            } else if d[i] == b'[' {
                level += 1;
            } else if d[i] == b']' {
                level -= 1;
                if level <= 0 {
                    return Some((i, nl));
                }
            }
            i += 1;
        }
        None
    }

    /// Where an inline link's destination starting at `from` stops: the `)` that
    /// balances the parentheses after `from`, or a quote after a blank (a title). A
    /// backslash skips the byte after it.
    pub fn find_link_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        let mut i = from;
        let mut nb_p = 0usize;
        while i < end {
            if d[i] == b'\\' {
                i += 2;
            } else if d[i] == b'(' {
                nb_p += 1;
                i += 1;
            } else if d[i] == b')' {
                if nb_p == 0 {
                    return Some(i);
                }
                nb_p -= 1;
                i += 1;
            } else if crate::markdown::block::is_space(d[i - 1]) && (d[i] == b'\'' || d[i] == b'"')
            {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    /// Where a link title starting at `from` stops: the first `)` after the first `q`
    /// (a backslash skips the byte after it).
    pub fn find_title_end(&self, d: &[u8], q: u8, from: usize, end: usize) -> Option<usize> {
        let mut i = from;
        let mut in_title = true;
        while i < end {
            if d[i] == b'\\' {
                i += 2;
            } else if d[i] == q {
                in_title = false;
                i += 1;
            } else if d[i] == b')' && !in_title {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    /// Where a `<scheme:...` autolink starting at `from` stops: `>`, a quote, a space
    /// or a line end (a backslash skips the byte after it).
    pub fn find_autolink_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        let mut i = from;
        while i < end {
            if d[i] == b'\\' {
                i += 2;
            } else if matches!(d[i], b'>' | b'\'' | b'"' | b' ' | b'\n') {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    /// The end of the first `n` consecutive backticks in `d[from..end]`.
    pub fn find_backtick_run(&self, d: &[u8], from: usize, end: usize, n: usize) -> Option<usize> {
        let mut i = 0;
        let mut e = from;
        while e < end && i < n {
            if d[e] == b'`' {
                i += 1;
            } else {
                i = 0;
            }
            e += 1;
        }
        if i < n && e >= end {
            return None;
        }
        Some(e)
    }

    /// `htmlblock_end`: the length of the block opened at `s` by `tag`, 0 if not closed.
    pub fn html_block_end(
        &self,
        d: &[u8],
        tag: &str,
        s: usize,
        e: usize,
        start_of_line: bool,
    ) -> usize {
        let data = &d[s..e];
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
}
