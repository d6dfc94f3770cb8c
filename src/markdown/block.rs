//! Block-level parsing: port of markdown.c's `parse_block` and the block parsers it
//! calls (ATX and setext headings, paragraphs, fenced code, blockquotes, lists, rules),
//! with Slate's extensions: fenced code on, indented code off, tables on, no lax
//! spacing. Raw HTML blocks are in [`super::html_block`], tables in [`super::table`].
//!
//! Functions taking a `data: &[u8]` work on the rest of the buffer from the current
//! position, exactly as their C originals do on `(data, size)`.

use super::parser::Parser;
use super::text::{Text, TextBuilder};

/// List flag: an ordered list (`MKD_LIST_ORDERED`).
pub(crate) const LIST_ORDERED: u8 = 1;
/// List item flag: the item holds blocks (`MKD_LI_BLOCK`).
pub(crate) const LI_BLOCK: u8 = 2;
/// Internal list flag: the list ends after this item (`MKD_LI_END`).
const LI_END: u8 = 8;

/// A fence's delimiter: its character and length (length 0: none).
pub(crate) type Delim = (u8, usize);

/// The length of the line if it is blank (spaces only), including its `\n`; else 0.
/// Like redcarpet, a last line without `\n` counts one byte past the end.
pub(crate) fn is_empty(data: &[u8]) -> usize {
    let mut i = 0;
    while i < data.len() && data[i] != b'\n' {
        if data[i] != b' ' {
            return 0;
        }
        i += 1;
    }
    i + 1
}

/// redcarpet's `_isspace`: a space or a newline (tabs are gone by now).
#[inline]
pub(crate) fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\n'
}

/// Up to three leading spaces (the C idiom `if (data[0] == ' ') { i++; ... }`).
fn three_spaces(data: &[u8]) -> usize {
    data.iter().take(3).take_while(|&&c| c == b' ').count()
}

/// A horizontal rule: three or more `*`, `-` or `_`, with spaces, after up to three
/// spaces.
pub(crate) fn is_hrule(data: &[u8]) -> bool {
    let size = data.len();
    if size < 3 {
        return false;
    }
    let mut i = three_spaces(data);
    if i + 2 >= size || (data[i] != b'*' && data[i] != b'-' && data[i] != b'_') {
        return false;
    }
    let c = data[i];
    let mut n = 0;
    while i < size && data[i] != b'\n' {
        if data[i] == c {
            n += 1;
        } else if data[i] != b' ' {
            return false;
        }
        i += 1;
    }
    n >= 3
}

/// The start of a fence line matching `open` (same character, at least as long) or any
/// fence when `open` has length 0: returns the index after the fence characters and the
/// delimiter found; 0 when there is none.
fn prefix_codefence(data: &[u8], open: Delim) -> (usize, Delim) {
    let size = data.len();
    if size < 3 {
        return (0, (0, 0));
    }
    let mut i = three_spaces(data);
    if i + 2 >= size || !(data[i] == b'~' || data[i] == b'`') {
        return (0, (0, 0));
    }
    let (c, min_n) = if open.1 > 0 { open } else { (data[i], 3) };
    let mut n = 0;
    while i < size && data[i] == c {
        n += 1;
        i += 1;
    }
    if n < min_n {
        return (0, (0, 0));
    }
    (i, (c, n))
}

/// Whether the line is a code fence; returns its length (with the `\n`) or 0. With
/// `curdelim`, fences pair up: an empty delimiter is set by an opening fence, a set one
/// is only matched (and cleared) by a closing fence without info string. `syntax` gets
/// the info word (start, length), braces and blanks around it removed.
pub(crate) fn is_codefence(
    data: &[u8],
    curdelim: Option<&mut Delim>,
    syntax: Option<&mut (usize, usize)>,
) -> usize {
    let size = data.len();
    let open = curdelim.as_deref().copied().unwrap_or((0, 0));
    let (mut i, delim) = prefix_codefence(data, open);
    if i == 0 {
        return 0;
    }
    while i < size && data[i] == b' ' {
        i += 1;
    }
    let mut syn_start = i;
    let mut syn_len = 0;
    if i < size && data[i] == b'{' {
        i += 1;
        syn_start += 1;
        while i < size && data[i] != b'}' && data[i] != b'\n' {
            syn_len += 1;
            i += 1;
        }
        if i == size || data[i] != b'}' {
            return 0;
        }
        while syn_len > 0 && is_space(data[syn_start]) {
            syn_start += 1;
            syn_len -= 1;
        }
        while syn_len > 0 && is_space(data[syn_start + syn_len - 1]) {
            syn_len -= 1;
        }
        i += 1;
    } else {
        while i < size && !is_space(data[i]) {
            syn_len += 1;
            i += 1;
        }
    }
    // No info string on a closing fence.
    if open.1 > 0 && syn_len > 0 {
        return 0;
    }
    while i < size && data[i] != b'\n' {
        if !is_space(data[i]) {
            return 0;
        }
        i += 1;
    }
    if let Some(cur) = curdelim {
        *cur = if cur.1 > 0 { (0, 0) } else { delim };
    }
    if let Some(s) = syntax {
        *s = (syn_start, syn_len);
    }
    i + 1
}

/// An ATX heading line (`#` first; no space needed after it).
fn is_atxheader(data: &[u8]) -> bool {
    data.first() == Some(&b'#')
}

/// A setext underline: `=`s (1) or `-`s (2), then spaces, from the first column.
pub(crate) fn is_headerline(data: &[u8]) -> u8 {
    let size = data.len();
    let (c, level) = match data.first() {
        Some(b'=') => (b'=', 1),
        Some(b'-') => (b'-', 2),
        _ => return 0,
    };
    let mut i = 1;
    while i < size && data[i] == c {
        i += 1;
    }
    while i < size && data[i] == b' ' {
        i += 1;
    }
    if i >= size || data[i] == b'\n' {
        level
    } else {
        0
    }
}

fn is_next_headerline(data: &[u8]) -> bool {
    let size = data.len();
    let mut i = 0;
    while i < size && data[i] != b'\n' {
        i += 1;
    }
    i += 1;
    if i >= size {
        return false;
    }
    is_headerline(&data[i..]) != 0
}

/// Length of a blockquote prefix (`>` after up to three spaces, and one space after it).
pub(crate) fn prefix_quote(data: &[u8]) -> usize {
    let size = data.len();
    let i = three_spaces(data);
    if i < size && data[i] == b'>' {
        if i + 1 < size && data[i + 1] == b' ' {
            return i + 2;
        }
        return i + 1;
    }
    0
}

/// Length of an ordered list item prefix (`1. `), 0 if none.
pub(crate) fn prefix_oli(data: &[u8]) -> usize {
    let size = data.len();
    let mut i = three_spaces(data);
    if i >= size || !data[i].is_ascii_digit() {
        return 0;
    }
    while i < size && data[i].is_ascii_digit() {
        i += 1;
    }
    if i + 1 >= size || data[i] != b'.' || data[i + 1] != b' ' {
        return 0;
    }
    if is_next_headerline(&data[i..]) {
        return 0;
    }
    i + 2
}

/// Length of an unordered list item prefix (`* `, `+ `, `- `), 0 if none.
pub(crate) fn prefix_uli(data: &[u8]) -> usize {
    let size = data.len();
    let i = three_spaces(data);
    if i + 1 >= size || !matches!(data[i], b'*' | b'+' | b'-') || data[i + 1] != b' ' {
        return 0;
    }
    if is_next_headerline(&data[i..]) {
        return 0;
    }
    i + 2
}

/// The end of the line starting at `beg` (after its `\n`), as the C loops
/// `for (end = beg + 1; end < size && data[end - 1] != '\n'; end++);` compute it.
fn line_end(data: &[u8], beg: usize) -> usize {
    let mut end = beg + 1;
    while end < data.len() && data[end - 1] != b'\n' {
        end += 1;
    }
    end
}

impl Parser<'_> {
    /// Parses the blocks of `t.d[beg..end]` into `ob`.
    pub(crate) fn parse_block(&mut self, ob: &mut Vec<u8>, t: &Text, beg: usize, end: usize) {
        if self.too_deep(t, beg, end) {
            return;
        }
        let mut at = beg;
        while at < end {
            at += self.parse_one_block(ob, t, at, end);
        }
    }

    /// The block at `s`, in the order redcarpet tries them; returns its length.
    fn parse_one_block(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        if is_atxheader(data) {
            return self.parse_atxheader(ob, t, s, e);
        }
        if data[0] == b'<' {
            let i = self.parse_htmlblock(ob, t, s, e);
            if i != 0 {
                return i;
            }
        }
        let i = is_empty(data);
        if i != 0 {
            return i;
        }
        if is_hrule(data) {
            self.r.hrule(ob);
            return data.iter().position(|&c| c == b'\n').unwrap_or(data.len()) + 1;
        }
        let i = self.parse_fencedcode(ob, t, s, e);
        if i != 0 {
            return i;
        }
        let i = self.parse_table(ob, t, s, e);
        if i != 0 {
            return i;
        }
        if prefix_quote(data) != 0 {
            return self.parse_blockquote(ob, t, s, e);
        }
        if prefix_uli(data) != 0 {
            return self.parse_list(ob, t, s, e, 0);
        }
        if prefix_oli(data) != 0 {
            return self.parse_list(ob, t, s, e, LIST_ORDERED);
        }
        self.parse_paragraph(ob, t, s, e)
    }

    /// An ATX heading; returns the length up to the line's `\n`.
    fn parse_atxheader(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        let mut level = 0;
        while level < size && level < 6 && data[level] == b'#' {
            level += 1;
        }
        let mut i = level;
        while i < size && data[i] == b' ' {
            i += 1;
        }
        let mut end = i;
        while end < size && data[end] != b'\n' {
            end += 1;
        }
        let skip = end;
        while end > 0 && data[end - 1] == b'#' {
            end -= 1;
        }
        while end > 0 && data[end - 1] == b' ' {
            end -= 1;
        }
        if end > i {
            let (end, custom) = self.custom_id(&data[i..end], t.line_at(s));
            let mut work = Vec::new();
            self.depth += 1;
            self.r.in_heading += 1;
            self.parse_inline(&mut work, t, s + i, s + i + end);
            self.r.in_heading -= 1;
            self.r.header(ob, &work, level as u8, t.line_at(s), custom);
            self.depth -= 1;
        }
        skip
    }

    /// The `{#id}` ending a heading's `text` (shale's extension): where the text ends
    /// without it, and the id; an id that is not one is an error at `line`.
    fn custom_id(&mut self, text: &[u8], line: usize) -> (usize, Option<String>) {
        use super::custom_id::{suffix, Suffix};
        match suffix(text) {
            Suffix::None => (text.len(), None),
            Suffix::Id(id, end) => (end, Some(id)),
            Suffix::Invalid(message) => {
                self.r.errors.push(super::Warning { line, message });
                (text.len(), None)
            }
        }
    }

    /// A paragraph, or a setext heading (its last line) with the paragraph above it.
    fn parse_paragraph(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        let (mut i, mut end) = (0, 0);
        let mut level = 0;
        let mut last_is_empty = true;
        while i < size {
            end = line_end(data, i);
            if is_empty(&data[i..]) != 0 {
                break;
            }
            if !last_is_empty {
                level = is_headerline(&data[i..]);
                if level != 0 {
                    break;
                }
            }
            last_is_empty = false;
            if is_atxheader(&data[i..]) || is_hrule(&data[i..]) || prefix_quote(&data[i..]) != 0 {
                end = i;
                break;
            }
            i = end;
        }
        let mut work_size = i;
        while work_size > 0 && data[work_size - 1] == b'\n' {
            work_size -= 1;
        }
        if level == 0 {
            let mut tmp = Vec::new();
            self.depth += 1;
            self.parse_inline(&mut tmp, t, s, s + work_size);
            self.r.paragraph(ob, &tmp);
            self.depth -= 1;
        } else {
            let mut work_beg = 0;
            if work_size > 0 {
                let i = work_size;
                work_size -= 1;
                while work_size > 0 && data[work_size] != b'\n' {
                    work_size -= 1;
                }
                let beg = work_size + 1;
                while work_size > 0 && data[work_size - 1] == b'\n' {
                    work_size -= 1;
                }
                if work_size > 0 {
                    let mut tmp = Vec::new();
                    self.depth += 1;
                    self.parse_inline(&mut tmp, t, s, s + work_size);
                    self.r.paragraph(ob, &tmp);
                    self.depth -= 1;
                    work_beg = beg;
                    work_size = i - beg;
                } else {
                    work_size = i;
                }
            }
            let line = t.line_at(s + work_beg);
            let text = &data[work_beg..work_beg + work_size];
            let text = &text[..text.len() - text.iter().rev().take_while(|&&b| b == b' ').count()];
            let (work_size, custom) = match self.custom_id(text, line) {
                (end, Some(id)) => (end, Some(id)),
                _ => (work_size, None),
            };
            let mut header = Vec::new();
            self.depth += 1;
            self.r.in_heading += 1;
            self.parse_inline(&mut header, t, s + work_beg, s + work_beg + work_size);
            self.r.in_heading -= 1;
            self.r.header(ob, &header, level, line, custom);
            self.depth -= 1;
        }
        end
    }

    /// A fenced code block; 0 if `s` does not start one.
    fn parse_fencedcode(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        let mut delim: Delim = (0, 0);
        let mut lang = (0, 0);
        let mut beg = is_codefence(data, Some(&mut delim), Some(&mut lang));
        if beg == 0 {
            return 0;
        }
        self.depth += 1;
        let mut work = Vec::new();
        while beg < size {
            let fence_end = is_codefence(&data[beg..], Some(&mut delim), None);
            if fence_end != 0 {
                beg += fence_end;
                break;
            }
            let end = line_end(data, beg);
            if beg < end {
                if is_empty(&data[beg..end]) != 0 {
                    work.push(b'\n');
                } else {
                    work.extend_from_slice(&data[beg..end]);
                }
            }
            beg = end;
        }
        if work.last().is_some_and(|&c| c != b'\n') {
            work.push(b'\n');
        }
        let lang = (lang.1 > 0).then(|| &data[lang.0..lang.0 + lang.1]);
        self.r.blockcode(ob, &work, lang, t.line_at(s));
        self.depth -= 1;
        beg
    }

    /// A blockquote: its lines without their `>`, parsed as blocks of their own.
    fn parse_blockquote(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        self.depth += 1;
        let mut work = TextBuilder::default();
        let mut beg = 0;
        let mut end = 0;
        while beg < size {
            end = line_end(data, beg);
            let pre = prefix_quote(&data[beg..end]);
            if pre != 0 {
                beg += pre;
            } else if is_empty(&data[beg..end]) != 0
                && (end >= size || (prefix_quote(&data[end..]) == 0 && is_empty(&data[end..]) == 0))
            {
                // A blank line followed by a line that is not quoted.
                break;
            }
            if beg < end {
                work.push_line(&data[beg..end], t.line_at(s + beg));
            }
            beg = end;
        }
        let work = work.finish();
        let mut out = Vec::new();
        self.parse_block(&mut out, &work, 0, work.d.len());
        self.r.blockquote(ob, &out);
        self.depth -= 1;
        end
    }

    /// A list: its items, while they last.
    fn parse_list(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        s: usize,
        e: usize,
        mut flags: u8,
    ) -> usize {
        self.depth += 1;
        let mut work = Vec::new();
        let mut i = 0;
        while s + i < e {
            let j = self.parse_listitem(&mut work, t, s + i, e, &mut flags);
            i += j;
            if j == 0 || flags & LI_END != 0 {
                break;
            }
        }
        self.r.list(ob, &work, flags & LIST_ORDERED != 0);
        self.depth -= 1;
        i
    }

    /// One list item: its first line after the marker, the lines that belong to it
    /// without their indentation (up to four spaces), parsed as text or as blocks.
    fn parse_listitem(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        s: usize,
        e: usize,
        flags: &mut u8,
    ) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        let orgpre = three_spaces(data);
        let mut beg = prefix_uli(data);
        if beg == 0 {
            beg = prefix_oli(data);
        }
        if beg == 0 {
            return 0;
        }
        // The rest of the first line.
        let mut end = beg;
        while end < size && data[end - 1] != b'\n' {
            end += 1;
        }
        self.depth += 2;
        let mut work = TextBuilder::default();
        work.push_line(&data[beg..end], t.line_at(s + beg));
        beg = end;

        let (mut in_empty, mut has_inside_empty, mut in_fence) = (false, false, false);
        let mut sublist = 0;
        let mut fence_delim: Delim = (0, 0);
        while beg < size {
            end += 1;
            while end < size && data[end - 1] != b'\n' {
                end += 1;
            }
            if is_empty(&data[beg..end]) != 0 {
                in_empty = true;
                beg = end;
                continue;
            }
            let mut i = 0;
            while i < 4 && beg + i < end && data[beg + i] == b' ' {
                i += 1;
            }
            let pre = i;
            let line = &data[beg + i..end];
            if is_codefence(line, Some(&mut fence_delim), None) != 0 {
                in_fence = !in_fence;
            }
            let (mut has_next_uli, mut has_next_oli) = (false, false);
            if !in_fence {
                has_next_uli = prefix_uli(line) != 0;
                has_next_oli = prefix_oli(line) != 0;
            }
            // An item of the other kind of list after a blank line ends the list.
            let ordered = *flags & LIST_ORDERED != 0;
            if in_empty && ((ordered && has_next_uli) || (!ordered && has_next_oli)) {
                *flags |= LI_END;
                break;
            }
            if (has_next_uli && !is_hrule(line)) || has_next_oli {
                if in_empty {
                    has_inside_empty = true;
                }
                // An item as indented as this one is the next item.
                if pre == orgpre {
                    break;
                }
                if sublist == 0 {
                    sublist = work.len();
                }
            } else if in_empty && i < 4 && data[beg] != b'\t' {
                // After a blank line, only indented lines belong to the item.
                *flags |= LI_END;
                break;
            } else if in_empty {
                work.push_line(b"\n", t.line_at(s + beg));
                has_inside_empty = true;
            }
            in_empty = false;
            work.push_line(line, t.line_at(s + beg));
            beg = end;
        }

        if has_inside_empty {
            *flags |= LI_BLOCK;
        }
        let work = work.finish();
        let size = work.d.len();
        let mut inter = Vec::new();
        if sublist != 0 && sublist < size {
            if *flags & LI_BLOCK != 0 {
                self.parse_block(&mut inter, &work, 0, sublist);
            } else {
                self.parse_inline(&mut inter, &work, 0, sublist);
            }
            self.parse_block(&mut inter, &work, sublist, size);
        } else if *flags & LI_BLOCK != 0 {
            self.parse_block(&mut inter, &work, 0, size);
        } else {
            self.parse_inline(&mut inter, &work, 0, size);
        }
        self.r.listitem(ob, &inter);
        self.depth -= 2;
        beg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_pair_by_character_and_length() {
        let mut d: Delim = (0, 0);
        let mut syn = (0, 0);
        assert_eq!(is_codefence(b"````ruby\n", Some(&mut d), Some(&mut syn)), 9);
        assert_eq!((d, syn), ((b'`', 4), (4, 4)));
        assert_eq!(is_codefence(b"```\n", Some(&mut d), None), 0, "shorter");
        assert_eq!(
            is_codefence(b"~~~~\n", Some(&mut d), None),
            0,
            "other character"
        );
        assert_eq!(
            is_codefence(b"```` x\n", Some(&mut d), None),
            0,
            "info string"
        );
        assert_eq!(is_codefence(b"  `````  \n", Some(&mut d), None), 10);
        assert_eq!(d, (0, 0));
        assert_eq!(is_codefence(b"``` a b\n", None, None), 0, "two words");
        let mut syn = (0, 0);
        assert_ne!(is_codefence(b"```{ ruby }\n", None, Some(&mut syn)), 0);
        assert_eq!(syn, (5, 4));
    }

    #[test]
    fn line_prefixes() {
        assert_eq!(prefix_uli(b"  - a\n"), 4);
        assert_eq!(prefix_uli(b"- a\n---\n"), 0, "a setext heading instead");
        assert_eq!(prefix_oli(b"12. a\n"), 4);
        assert_eq!(prefix_oli(b"1) a\n"), 0);
        assert_eq!(prefix_quote(b"   > a"), 5);
        assert!(is_hrule(b" * * *\n"));
        assert!(!is_hrule(b"    ***\n"));
        assert_eq!(is_headerline(b"===  \n"), 1);
        assert_eq!(is_headerline(b" ===\n"), 0);
        assert_eq!(is_empty(b"   \nx"), 4);
        assert_eq!(is_empty(b"  x\n"), 0);
    }
}
