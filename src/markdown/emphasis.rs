//! Emphasis (`*`, `_`), strong emphasis (`**`, `__`), both (`***`) and
//! strikethrough (`~~`): port of markdown.c's `char_emphasis`, `parse_emph1/2/3` and
//! `find_emph_char`, with `no_intra_emphasis` (an opener right after an ASCII letter or
//! digit is text; so is a single closer followed by one).
//!
//! Positions are absolute in the buffer; `data` in the C code is `t.d[b..end]`.

use super::block::is_space;
use super::inline::is_alnum;
use super::parser::Parser;
use super::text::Text;

impl Parser<'_> {
    pub(crate) fn char_emphasis(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        p: usize,
        offset: usize,
        end: usize,
    ) -> usize {
        let d = &t.d;
        let c = d[p];
        let size = end - p;
        // no_intra_emphasis: not right after a letter or digit.
        if offset > 0 && is_alnum(d[p - 1]) {
            return 0;
        }
        if size > 2 && d[p + 1] != c {
            // No space after an opener; strikethrough takes two `~`.
            if c == b'~' || is_space(d[p + 1]) {
                return 0;
            }
            let ret = self.parse_emph1(ob, t, p + 1, end, c);
            return if ret == 0 { 0 } else { ret + 1 };
        }
        if size > 3 && d[p + 1] == c && d[p + 2] != c {
            if is_space(d[p + 2]) {
                return 0;
            }
            let ret = self.parse_emph2(ob, t, p + 2, end, c);
            return if ret == 0 { 0 } else { ret + 2 };
        }
        if size > 4 && d[p + 1] == c && d[p + 2] == c && d[p + 3] != c {
            if c == b'~' || is_space(d[p + 3]) {
                return 0;
            }
            let ret = self.parse_emph3(ob, t, p + 3, end, c);
            return if ret == 0 { 0 } else { ret + 3 };
        }
        0
    }

    /// Single emphasis whose content starts at `b`: closed by a `c` not after a blank
    /// (nor, with no_intra_emphasis, before a letter or digit). Returns the length up to
    /// and with the closer, or 0.
    pub(crate) fn parse_emph1(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        b: usize,
        end: usize,
        c: u8,
    ) -> usize {
        let d = &t.d;
        // Coming from parse_emph3 over `ccc`: skip one.
        let start = if end - b > 1 && d[b] == c && d[b + 1] == c {
            b + 1
        } else {
            b
        };
        let close = t.index.chain(
            (1, c, end),
            start,
            |x| next_candidate(t, x, end, c),
            |y| {
                let after_blank = is_space(d[y - 1]);
                let before_alnum = y + 1 < end && is_alnum(d[y + 1]);
                if after_blank || before_alnum {
                    Err(y)
                } else {
                    Ok(())
                }
            },
        );
        let Some(y) = close else {
            return 0;
        };
        self.depth += 1;
        let mut work = Vec::new();
        self.parse_inline(&mut work, t, b, y);
        let r = self.r.emphasis(ob, &work);
        self.depth -= 1;
        if r {
            y - b + 1
        } else {
            0
        }
    }

    /// Double emphasis (or strikethrough for `~`) whose content starts at `b`.
    pub(crate) fn parse_emph2(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        b: usize,
        end: usize,
        c: u8,
    ) -> usize {
        let d = &t.d;
        let close = t.index.chain(
            (2, c, end),
            b,
            |x| next_candidate(t, x, end, c),
            |y| {
                if y + 1 < end && d[y + 1] == c && y > b && !is_space(d[y - 1]) {
                    Ok(())
                } else {
                    Err(y + 1)
                }
            },
        );
        let Some(y) = close else {
            return 0;
        };
        self.depth += 1;
        let mut work = Vec::new();
        self.parse_inline(&mut work, t, b, y);
        let r = if c == b'~' {
            self.r.strikethrough(ob, &work)
        } else {
            self.r.double_emphasis(ob, &work)
        };
        self.depth -= 1;
        if r {
            y - b + 2
        } else {
            0
        }
    }

    /// Triple emphasis whose content starts at `b`: the first closer not after a blank
    /// decides: `ccc` closes both, `cc` or `c` hands over to the single or double parser
    /// from the start.
    pub(crate) fn parse_emph3(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        b: usize,
        end: usize,
        c: u8,
    ) -> usize {
        let d = &t.d;
        let close = t.index.chain(
            (3, c, end),
            b,
            |x| next_candidate(t, x, end, c),
            |y| if is_space(d[y - 1]) { Err(y) } else { Ok(()) },
        );
        let Some(y) = close else {
            return 0;
        };
        if y + 2 < end && d[y + 1] == c && d[y + 2] == c {
            self.depth += 1;
            let mut work = Vec::new();
            self.parse_inline(&mut work, t, b, y);
            let r = self.r.triple_emphasis(ob, &work);
            self.depth -= 1;
            if r {
                y - b + 3
            } else {
                0
            }
        } else if y + 1 < end && d[y + 1] == c {
            let len = self.parse_emph1(ob, t, b - 2, end, c);
            if len == 0 {
                0
            } else {
                len - 2
            }
        } else {
            let len = self.parse_emph2(ob, t, b - 1, end, c);
            if len == 0 {
                0
            } else {
                len - 1
            }
        }
    }
}

/// The next closer candidate an emphasis loop finds searching from `x` (its
/// `find_emph_char(data + i, ...)`), absolute.
fn next_candidate(t: &Text, x: usize, end: usize, c: u8) -> Option<usize> {
    if x >= end {
        return None;
    }
    let len = find_emph_char(t, x, end, c);
    (len != 0).then_some(x + len)
}

/// `find_emph_char`: from `s + 1`, the next `c` not after a backslash, stepping over
/// links (`[...]` followed by `(...)` or `[...]`), though a `c` inside a link that does
/// not complete is returned. Returns its offset from `s`, 0 if there is none.
pub(crate) fn find_emph_char(t: &Text, s: usize, end: usize, c: u8) -> usize {
    let d = &t.d;
    let size = end - s;
    let mut i = 1;
    while i < size {
        match t.index.find_either(d, c, b'[', s + i, end) {
            Some(q) => i = q - s,
            None => return 0,
        }
        // Not counting escaped characters.
        if d[s + i - 1] == b'\\' {
            i += 1;
            continue;
        }
        if d[s + i] == c {
            return i;
        }
        // A link: skip its text, and its destination or reference.
        i += 1;
        let close = t.index.find(d, b']', s + i, end).map_or(size, |q| q - s);
        let mut tmp = first_in(t, c, s + i, s + close).map_or(0, |q| q - s);
        i = close + 1;
        while i < size && is_space(d[s + i]) {
            i += 1;
        }
        if i >= size {
            return tmp;
        }
        let cc = match d[s + i] {
            b'[' => b']',
            b'(' => b')',
            _ => {
                if tmp != 0 {
                    return tmp;
                }
                continue;
            }
        };
        i += 1;
        let close = t.index.find(d, cc, s + i, end).map_or(size, |q| q - s);
        if tmp == 0 {
            tmp = first_in(t, c, s + i, s + close).map_or(0, |q| q - s);
        }
        i = close;
        if i >= size {
            return tmp;
        }
        i += 1;
    }
    0
}

/// The first `c` in `t.d[from..to]`.
fn first_in(t: &Text, c: u8, from: usize, to: usize) -> Option<usize> {
    t.index.find(&t.d, c, from, to)
}
