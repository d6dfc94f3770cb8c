//! The text redcarpet parses, and the source line of every byte of it.
//!
//! redcarpet works on byte buffers it builds as it goes: the document after its first
//! pass (reference definitions taken out, tabs expanded, line ends normalised), then one
//! buffer per blockquote and per list item (their lines with the `>` or the indentation
//! taken off). [`Text`] is such a buffer, with the line of the source file each of its
//! lines comes from, so that headings, links and warnings carry their true line however
//! deep they sit. Port of the first pass of `sd_markdown_render` (markdown.c).

use super::block::is_codefence;
use super::index::Index;
use super::refs::{is_ref, Refs};

/// A buffer redcarpet parses, with the source line of each of its lines.
pub(crate) struct Text {
    pub d: Vec<u8>,
    /// `(offset in d where a line starts, 1-based line in the file)`, ascending.
    lines: Vec<(u32, u32)>,
    /// Search structures for long scans, built on first use (see [`Index`]).
    pub index: Index,
}

impl Text {
    /// The 1-based source line of byte `pos`.
    pub fn line_at(&self, pos: usize) -> usize {
        let k = self.lines.partition_point(|&(o, _)| o as usize <= pos);
        match k {
            0 => self.lines.first().map_or(1, |l| l.1 as usize),
            k => self.lines[k - 1].1 as usize,
        }
    }
}

/// Builds a [`Text`] line by line.
#[derive(Default)]
pub(crate) struct TextBuilder {
    d: Vec<u8>,
    lines: Vec<(u32, u32)>,
}

impl TextBuilder {
    pub fn with_capacity(n: usize) -> Self {
        TextBuilder {
            d: Vec::with_capacity(n),
            lines: Vec::new(),
        }
    }

    /// Appends `bytes`, which start a line of the buffer coming from source line `line`.
    pub fn push_line(&mut self, bytes: &[u8], line: usize) {
        self.mark(line);
        self.d.extend_from_slice(bytes);
    }

    /// Notes that what is appended next starts a line from source line `line`.
    fn mark(&mut self, line: usize) {
        let at = self.d.len() as u32;
        match self.lines.last_mut() {
            Some(last) if last.0 == at => last.1 = line as u32,
            _ => self.lines.push((at, line as u32)),
        }
    }

    pub fn len(&self) -> usize {
        self.d.len()
    }

    pub fn finish(self) -> Text {
        Text {
            d: self.d,
            lines: self.lines,
            index: Index::default(),
        }
    }
}

/// redcarpet's first pass over a document: skips a UTF-8 byte-order mark, takes out
/// reference definitions (outside fenced blocks) into `refs`, expands tabs and writes
/// one `\n` per line end (`\n`, `\r\n` or `\r`); the result ends with a newline.
pub(crate) fn first_pass(doc: &[u8], refs: &mut Refs) -> Text {
    let size = doc.len();
    let mut text = TextBuilder::with_capacity(size + 1);
    let mut beg = 0;
    let mut line = 1usize;
    let mut in_fence = false;
    let mut fence_delim = (0u8, 0usize);
    if doc.starts_with(&[0xEF, 0xBB, 0xBF]) {
        beg = 3;
    }
    while beg < size {
        if is_codefence(&doc[beg..], Some(&mut fence_delim), None) != 0 {
            in_fence = !in_fence;
        }
        let mut end = 0;
        if !in_fence && is_ref(doc, beg, size, &mut end, refs) {
            line += count_newlines(&doc[beg..end]);
            beg = end;
            continue;
        }
        end = beg;
        while end < size && doc[end] != b'\n' && doc[end] != b'\r' {
            end += 1;
        }
        text.mark(line);
        if end > beg {
            expand_tabs(&mut text.d, &doc[beg..end]);
        }
        while end < size && (doc[end] == b'\n' || doc[end] == b'\r') {
            // One `\n` per line end: `\r\n` counts once.
            if doc[end] == b'\n' || (end + 1 < size && doc[end + 1] != b'\n') {
                text.d.push(b'\n');
            }
            if doc[end] == b'\n' {
                line += 1;
            }
            end += 1;
            text.mark(line);
        }
        beg = end;
    }
    if let Some(&last) = text.d.last() {
        if last != b'\n' && last != b'\r' {
            text.d.push(b'\n');
        }
    }
    text.finish()
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// redcarpet's `expand_tabs`: a tab moves to the next multiple of 4 bytes of the line.
fn expand_tabs(out: &mut Vec<u8>, line: &[u8]) {
    let mut tab = 0usize;
    let mut i = 0;
    while i < line.len() {
        let org = i;
        while i < line.len() && line[i] != b'\t' {
            i += 1;
            tab += 1;
        }
        out.extend_from_slice(&line[org..i]);
        if i >= line.len() {
            break;
        }
        loop {
            out.push(b' ');
            tab += 1;
            if tab.is_multiple_of(4) {
                break;
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> (String, Vec<usize>) {
        let mut refs = Refs::default();
        let t = first_pass(s.as_bytes(), &mut refs);
        let text = String::from_utf8(t.d.clone()).unwrap();
        let mut lines = Vec::new();
        let mut at = 0;
        for l in text.split_inclusive('\n') {
            lines.push(t.line_at(at));
            at += l.len();
        }
        (text, lines)
    }

    #[test]
    fn tabs_expand_by_bytes_to_four_columns() {
        assert_eq!(pass("\tx\n ab\ty").0, "    x\n ab y\n");
        // Bytes, not characters: `é` is two.
        assert_eq!(pass("é\tx").0, "é  x\n");
    }

    #[test]
    fn line_ends_and_bom() {
        assert_eq!(pass("\u{feff}a\r\nb\rc\n").0, "a\nb\nc\n");
    }

    #[test]
    fn reference_lines_keep_the_line_count() {
        let (text, lines) = pass("[a]: /x\nText [a]\n\n[b]: /y\n  \"title\"\nMore\n");
        assert_eq!(text, "\nText [a]\n\n\nMore\n");
        assert_eq!(lines, [1, 2, 3, 5, 6]);
    }
}
