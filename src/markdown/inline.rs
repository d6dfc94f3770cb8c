//! Inline parsing: port of markdown.c's `parse_inline` and its character triggers for
//! Slate's options: emphasis and strikethrough ([`super::emphasis`]), code spans, line
//! breaks (two spaces before a newline), links and images ([`super::link`]), raw HTML
//! tags and `<url>` autolinks, backslash escapes and entities. Bare URLs are not links
//! (no `autolink` extension).

use super::parser::Parser;
use super::text::Text;

/// What a byte triggers (`markdown_char_t`, for the characters Slate's options make
/// active).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    None,
    Emphasis,
    CodeSpan,
    LineBreak,
    Link,
    LeftAngle,
    Escape,
    Entity,
}

const fn triggers() -> [Trigger; 256] {
    let mut t = [Trigger::None; 256];
    t[b'*' as usize] = Trigger::Emphasis;
    t[b'_' as usize] = Trigger::Emphasis;
    t[b'~' as usize] = Trigger::Emphasis;
    t[b'`' as usize] = Trigger::CodeSpan;
    t[b'\n' as usize] = Trigger::LineBreak;
    t[b'[' as usize] = Trigger::Link;
    t[b'<' as usize] = Trigger::LeftAngle;
    t[b'\\' as usize] = Trigger::Escape;
    t[b'&' as usize] = Trigger::Entity;
    t
}

static TRIGGERS: [Trigger; 256] = triggers();

/// Characters a backslash escapes (`\$` keeps its backslash); NUL too, which C's
/// `strchr` finds as the string's terminator.
fn escapable(c: u8) -> bool {
    b"\\`*_{}[]()#+-.!:|&<>^~=\0".contains(&c)
}

/// redcarpet's `_isalnum`: ASCII letters and digits only.
#[inline]
pub(crate) fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// Kinds of `<...>` autolink (`enum mkd_autolink`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Autolink {
    No,
    Url,
    Email,
}

impl Parser<'_> {
    /// Parses the inline content `t.d[beg..end]` into `ob`.
    pub(crate) fn parse_inline(&mut self, ob: &mut Vec<u8>, t: &Text, beg: usize, end: usize) {
        if self.too_deep(t, beg, end) {
            return;
        }
        let d = &t.d;
        let (mut i, mut e, mut consumed) = (beg, beg, beg);
        while i < end {
            // Copy the inactive characters.
            while e < end && TRIGGERS[d[e] as usize] == Trigger::None {
                e += 1;
            }
            self.r.normal_text(ob, &d[i..e]);
            if e >= end {
                break;
            }
            i = e;
            let offset = i - consumed;
            let n = match TRIGGERS[d[i] as usize] {
                Trigger::Emphasis => self.char_emphasis(ob, t, i, offset, end),
                Trigger::CodeSpan => self.char_codespan(ob, t, i, end),
                Trigger::LineBreak => self.char_linebreak(ob, t, i, offset),
                Trigger::Link => self.char_link(ob, t, i, offset, end),
                Trigger::LeftAngle => self.char_langle_tag(ob, t, i, end),
                Trigger::Escape => self.char_escape(ob, t, i, end),
                Trigger::Entity => char_entity(ob, t, i, end),
                Trigger::None => 0,
            };
            if n == 0 {
                e = i + 1;
            } else {
                i += n;
                e = i;
                consumed = i;
            }
        }
    }

    /// A newline after two spaces: a `<br>`, the spaces before it dropped.
    fn char_linebreak(&mut self, ob: &mut Vec<u8>, t: &Text, p: usize, offset: usize) -> usize {
        if offset < 2 || t.d[p - 1] != b' ' || t.d[p - 2] != b' ' {
            return 0;
        }
        while ob.last() == Some(&b' ') {
            ob.pop();
        }
        self.r.linebreak(ob);
        1
    }

    /// A code span: a run of backticks up to the next run of as many; spaces at its
    /// edges are trimmed.
    fn char_codespan(&mut self, ob: &mut Vec<u8>, t: &Text, p: usize, end: usize) -> usize {
        let d = &t.d;
        let mut nb = 0;
        while p + nb < end && d[p + nb] == b'`' {
            nb += 1;
        }
        // The end of the first run of `nb` backticks after the opening ones.
        let close = match t.index.find_backtick_run(d, p + nb, end, nb) {
            Some(close) => close,
            None => return 0,
        };
        let mut f_begin = p + nb;
        while f_begin < close && d[f_begin] == b' ' {
            f_begin += 1;
        }
        let mut f_end = close - nb;
        while f_end > p + nb && d[f_end - 1] == b' ' {
            f_end -= 1;
        }
        let text = (f_begin < f_end).then(|| &d[f_begin..f_end]);
        self.r.codespan(ob, text);
        close - p
    }

    /// A backslash escape: the next character as text when redcarpet escapes it.
    fn char_escape(&mut self, ob: &mut Vec<u8>, t: &Text, p: usize, end: usize) -> usize {
        let size = end - p;
        if size > 1 {
            if !escapable(t.d[p + 1]) {
                return 0;
            }
            self.r.normal_text(ob, &t.d[p + 1..p + 2]);
        } else if size == 1 {
            ob.push(t.d[p]);
        }
        2
    }

    /// `<`: an autolink (`<http://x>`, `<a@b.c>`) or a raw HTML tag.
    fn char_langle_tag(&mut self, ob: &mut Vec<u8>, t: &Text, p: usize, end: usize) -> usize {
        let (len, kind) = tag_length(t, p, end);
        if len <= 2 {
            return 0;
        }
        let tag = &t.d[p..p + len];
        let done = if kind != Autolink::No {
            let link = unescape(&tag[1..len - 1]);
            self.r.autolink(ob, &link, kind == Autolink::Email)
        } else if !is_html_tag_name(tag) {
            // shale: `<YOUR_API_KEY>` is text, not a tag that would hide it (docs/writing.md,
            // "Markdown").
            false
        } else {
            self.r.raw_html(ob, tag)
        };
        if done {
            len
        } else {
            0
        }
    }
}

/// An entity (`&name;`, `&#123;`) is copied as it is; a lone `&` is text.
fn char_entity(ob: &mut Vec<u8>, t: &Text, p: usize, end: usize) -> usize {
    let d = &t.d;
    let mut e = p + 1;
    if e < end && d[e] == b'#' {
        e += 1;
    }
    while e < end && is_alnum(d[e]) {
        e += 1;
    }
    if e < end && d[e] == b';' {
        e += 1;
    } else {
        return 0;
    }
    ob.extend_from_slice(&d[p..e]);
    e - p
}

/// redcarpet's `unscape_text`: backslashes removed, each keeping the byte after it.
pub(crate) fn unescape(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let org = i;
        while i < src.len() && src[i] != b'\\' {
            i += 1;
        }
        out.extend_from_slice(&src[org..i]);
        if i + 1 >= src.len() {
            break;
        }
        out.push(src[i + 1]);
        i += 2;
    }
    out
}

/// `is_mail_autolink`: `[-@._a-zA-Z0-9]+` with exactly one `@`, then `>`; returns the
/// length up to and with the `>`.
fn is_mail_autolink(data: &[u8]) -> usize {
    let mut nb = 0;
    for (i, &c) in data.iter().enumerate() {
        if is_alnum(c) {
            continue;
        }
        match c {
            b'@' => nb += 1,
            b'-' | b'.' | b'_' => {}
            b'>' => return if nb == 1 { i + 1 } else { 0 },
            _ => return 0,
        }
    }
    0
}

/// `tag_length`: the length of the tag or autolink at `p`, 0 if there is none.
fn tag_length(t: &Text, p: usize, end: usize) -> (usize, Autolink) {
    let data = &t.d[p..end];
    let size = data.len();
    let at = |i: usize| data.get(i).copied().unwrap_or(0);
    if size < 3 || data[0] != b'<' {
        return (0, Autolink::No);
    }
    let mut i = if data[1] == b'/' { 2 } else { 1 };
    if !is_alnum(data[i]) {
        return (0, Autolink::No);
    }
    let mut kind = Autolink::No;
    // The scheme, or the name before the `@`.
    while i < size && (is_alnum(data[i]) || matches!(data[i], b'.' | b'+' | b'-')) {
        i += 1;
    }
    if i > 1 && at(i) == b'@' {
        let j = is_mail_autolink(&data[i.min(size)..]);
        if j != 0 {
            return (i + j, Autolink::Email);
        }
    }
    if i > 2 && at(i) == b':' {
        kind = Autolink::Url;
        i += 1;
    }
    if i >= size {
        kind = Autolink::No;
    } else if kind != Autolink::No {
        // An autolink has no blanks or quotes.
        let j = i;
        i = match t.index.find_autolink_end(&t.d, p + i, end) {
            Some(q) => q - p,
            None => return (0, Autolink::No),
        };
        if i > j && data[i] == b'>' {
            return (i + 1, kind);
        }
        kind = Autolink::No;
    }
    // Anything up to a `>` is a tag.
    match t.index.find(&t.d, b'>', p + i, end) {
        Some(q) => (q - p + 1, kind),
        None => (0, Autolink::No),
    }
}

/// Whether a tag redcarpet found (`<` alphanumeric ... `>`) has a name browsers read as
/// an element: a letter, then letters, digits and hyphens, then a blank, `/` or `>`.
/// redcarpet passes `<YOUR_API_KEY>` through as a tag, which hides it in the page.
fn is_html_tag_name(tag: &[u8]) -> bool {
    let name = tag
        .strip_prefix(b"</")
        .or_else(|| tag.strip_prefix(b"<"))
        .unwrap_or(tag);
    if !name.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let n = name
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    matches!(name.get(n), Some(b'>' | b'/') | Some(b' ' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names() {
        assert!(is_html_tag_name(b"<a href=\"x\">"));
        assert!(is_html_tag_name(b"</span>"));
        assert!(is_html_tag_name(b"<br/>"));
        assert!(is_html_tag_name(b"<my-element\nx>"));
        assert!(!is_html_tag_name(b"<YOUR_API_KEY>"));
        assert!(!is_html_tag_name(b"<1st>"));
        assert!(!is_html_tag_name(b"<a.b>"));
    }

    #[test]
    fn unescaping() {
        assert_eq!(unescape(br"a\)b\\c\"), b"a)b\\c");
    }

    #[test]
    fn mail_autolinks() {
        assert_eq!(is_mail_autolink(b"@b.c>x"), 5);
        assert_eq!(is_mail_autolink(b"@b@c>"), 0);
        assert_eq!(is_mail_autolink(b"@b c>"), 0);
    }
}
