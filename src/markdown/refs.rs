//! Reference definitions (`[id]: url "title"`): found in the first pass, looked up by
//! reference links. Port of `is_ref`, `hash_link_ref` and the reference table of
//! markdown.c: like redcarpet, a lookup compares hashes only, and a later definition of
//! an id replaces an earlier one.

use std::collections::HashMap;
use std::ops::Range;

/// A reference definition.
#[derive(Debug, Clone)]
pub(crate) struct LinkDef {
    pub link: Vec<u8>,
    pub title: Option<Vec<u8>>,
}

/// The references of a document, by the hash of their id.
#[derive(Debug, Default)]
pub(crate) struct Refs {
    by_hash: HashMap<u32, LinkDef>,
}

impl Refs {
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    pub fn get(&self, hash: u32) -> Option<&LinkDef> {
        self.by_hash.get(&hash)
    }
}

/// One step of redcarpet's `hash_link_ref` (sdbm over lower-cased bytes).
#[inline]
pub(crate) fn hash_step(hash: u32, b: u8) -> u32 {
    u32::from(b.to_ascii_lowercase())
        .wrapping_add(hash << 6)
        .wrapping_add(hash << 16)
        .wrapping_sub(hash)
}

/// redcarpet's `hash_link_ref`.
pub(crate) fn hash_id(id: &[u8]) -> u32 {
    id.iter().fold(0, |h, &b| hash_step(h, b))
}

/// `strchr("\t ", c)`: a tab or a space, or NUL (which `strchr` finds as the terminator).
fn tab_or_space(c: u8) -> bool {
    matches!(c, b'\t' | b' ' | 0)
}

/// Whether a reference definition starts at `beg` (it may run to `end`); if so, records
/// it in `refs` and sets `last` to the end of its last line (its `\n`).
pub(crate) fn is_ref(
    data: &[u8],
    beg: usize,
    end: usize,
    last: &mut usize,
    refs: &mut Refs,
) -> bool {
    let Some(def) = parse_ref(data, beg, end) else {
        return false;
    };
    *last = def.last;
    refs.by_hash.insert(
        hash_id(&data[def.id]),
        LinkDef {
            link: data[def.link].to_vec(),
            title: def.title.map(|t| data[t].to_vec()),
        },
    );
    true
}

/// A reference definition, as byte ranges of the text it was read from.
pub(crate) struct RefDef {
    /// `[id]`, without the brackets.
    pub id: Range<usize>,
    /// The destination, without angle brackets.
    pub link: Range<usize>,
    pub title: Option<Range<usize>>,
    /// The end of its last line (its `\n`, or the end of the text).
    pub last: usize,
}

/// redcarpet's `is_ref` without the recording: the reference definition starting at
/// `beg` (it may run to `end`), if one does.
pub(crate) fn parse_ref(data: &[u8], beg: usize, end: usize) -> Option<RefDef> {
    // Up to 3 optional leading spaces.
    if beg + 3 >= end {
        return None;
    }
    let mut i = 0;
    if data[beg] == b' ' {
        i = 1;
        if data[beg + 1] == b' ' {
            i = 2;
            if data[beg + 2] == b' ' {
                i = 3;
                if data[beg + 3] == b' ' {
                    return None;
                }
            }
        }
    }
    i += beg;

    // The id: anything but a line end between brackets.
    if data[i] != b'[' {
        return None;
    }
    i += 1;
    let id_offset = i;
    while i < end && data[i] != b'\n' && data[i] != b'\r' && data[i] != b']' {
        i += 1;
    }
    if i >= end || data[i] != b']' {
        return None;
    }
    let id_end = i;

    // Spacer: colon, blanks, at most one line end, blanks.
    i += 1;
    if i >= end || data[i] != b':' {
        return None;
    }
    i += 1;
    while i < end && tab_or_space(data[i]) {
        i += 1;
    }
    if i < end && (data[i] == b'\n' || data[i] == b'\r') {
        i += 1;
        if i < end && data[i] == b'\r' && data[i - 1] == b'\n' {
            i += 1;
        }
    }
    while i < end && tab_or_space(data[i]) {
        i += 1;
    }
    if i >= end {
        return None;
    }

    // The link: no blanks, optionally in angle brackets.
    if data[i] == b'<' {
        i += 1;
    }
    let link_offset = i;
    while i < end && data[i] != b' ' && data[i] != b'\n' && data[i] != b'\r' {
        i += 1;
    }
    let link_end = if data[i - 1] == b'>' { i - 1 } else { i };

    // Optional spacer: blanks, then a line end or the start of a title.
    while i < end && tab_or_space(data[i]) {
        i += 1;
    }
    if i < end
        && data[i] != b'\n'
        && data[i] != b'\r'
        && data[i] != b'\''
        && data[i] != b'"'
        && data[i] != b'('
    {
        return None;
    }
    let mut line_end = 0;
    if i >= end || data[i] == b'\r' || data[i] == b'\n' {
        line_end = i;
    }
    if i + 1 < end && data[i] == b'\n' && data[i + 1] == b'\r' {
        line_end = i + 1;
    }
    // Blanks at the start of the next line.
    if line_end != 0 {
        i = line_end + 1;
        while i < end && tab_or_space(data[i]) {
            i += 1;
        }
    }

    // Optional title in '', "" or (), alone on its line.
    let (mut title_offset, mut title_end) = (0, 0);
    if i + 1 < end && (data[i] == b'\'' || data[i] == b'"' || data[i] == b'(') {
        i += 1;
        title_offset = i;
        while i < end && data[i] != b'\n' && data[i] != b'\r' {
            i += 1;
        }
        title_end = if i + 1 < end && data[i] == b'\n' && data[i + 1] == b'\r' {
            i + 1
        } else {
            i
        };
        // Back over trailing spaces to the closing character.
        i -= 1;
        while i > title_offset && data[i] == b' ' {
            i -= 1;
        }
        if i > title_offset && (data[i] == b'\'' || data[i] == b'"' || data[i] == b')') {
            line_end = title_end;
            title_end = i;
        }
    }

    if line_end == 0 || link_end == link_offset {
        return None;
    }
    Some(RefDef {
        id: id_offset..id_end,
        link: link_offset..link_end,
        title: (title_end > title_offset).then_some(title_offset..title_end),
        last: line_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(usize, LinkDef)> {
        let mut refs = Refs::default();
        let mut last = 0;
        if !is_ref(s.as_bytes(), 0, s.len(), &mut last, &mut refs) {
            return None;
        }
        let (_, def) = refs.by_hash.into_iter().next()?;
        Some((last, def))
    }

    #[test]
    fn definitions() {
        let (last, d) = parse("[Id]: <http://x> \"T\"\nnext").unwrap();
        assert_eq!(
            (last, &d.link[..], d.title.as_deref()),
            (20, &b"http://x"[..], Some(&b"T"[..]))
        );
        let (_, d) = parse("   [a]: /u\n  (title)\n").unwrap();
        assert_eq!(d.title.as_deref(), Some(&b"title"[..]));
        assert!(parse("    [a]: /u\n").is_none(), "four spaces");
        assert!(parse("[a]: /u x\n").is_none(), "garbage after the link");
        assert!(
            parse("[a]: /u \"\"\n").is_none(),
            "an empty title is no title"
        );
        assert!(parse("[a]: <>\n").is_none(), "an empty link");
    }

    #[test]
    fn ids_hash_case_insensitively() {
        assert_eq!(hash_id(b"Foo Bar"), hash_id(b"foo bar"));
        assert_ne!(hash_id(b"foo"), hash_id(b"bar"));
    }
}
