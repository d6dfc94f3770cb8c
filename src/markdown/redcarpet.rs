//! A line pass that makes pulldown-cmark see the block structure redcarpet sees.
//!
//! Slate renders markdown with redcarpet, whose block rules differ from CommonMark in
//! ways authors rely on (or stumble over) and that decide ids, the TOC and which code
//! blocks exist. Rather than fork a parser, this pass rewrites the few lines where the
//! two disagree, so that pulldown-cmark then parses the text as redcarpet would:
//!
//! - tabs are expanded to 4-column stops, as redcarpet does before parsing;
//! - `#Heading` (no space) is a heading; redcarpet's trailing-`#` rule is kept;
//!   an empty `#` heading disappears;
//! - a paragraph is only ended by a blank line, a heading, a rule or `>`: a fence, a list,
//!   an HTML block or a table written right under a paragraph line stays paragraph text;
//! - indented code blocks are off: indented text is a paragraph;
//! - a fence whose info string has a second word is not a fence;
//! - the last line of a paragraph above a setext underline is the heading, not all lines;
//! - a table ends at the first line without a `|`;
//! - raw HTML blocks run to their closing tag, across blank lines, verbatim. They are
//!   replaced by a placeholder comment line and handed back through [`Prepared::raw_blocks`].

use std::borrow::Cow;

/// Marker put in front of a line that must be paragraph text for pulldown-cmark; it is an
/// inline HTML tag that the renderer drops.
pub const PARA_MARK: &str = "<shale-p/>";
/// Prefix of the placeholder comment standing for raw HTML block N.
pub const RAW_PREFIX: &str = "<!--shale-raw-";
/// The most list and blockquote markers one line may open (`- - - x`, `> > x`); deeper
/// markers are shown as text. Slate (redcarpet's `max_nesting` of 16) drops content
/// nested deeper than 16 levels; without a cap, a page of lines `- - … x` would make
/// pulldown-cmark build a list tree quadratic in the page's size.
pub const MAX_NESTING: usize = 100;

/// The rewritten markdown of one file, ready for pulldown-cmark.
#[derive(Debug, Default)]
pub struct Prepared<'a> {
    pub text: Cow<'a, str>,
    /// Redcarpet raw HTML blocks, in order; `<!--shale-raw-N-->` stands for `raw_blocks[N]`.
    pub raw_blocks: Vec<String>,
    /// Lines nesting more than [`MAX_NESTING`] lists and blockquotes: the first one
    /// (1-based line, depth written) and how many there are.
    pub too_deep: Option<TooDeep>,
}

/// Lines of a file whose markers went past [`MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub first_line: usize,
    pub depth: usize,
    pub lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of the document, a blank line, or a block that a new block may follow.
    Boundary,
    /// A line of paragraph text (or list item text).
    Text,
    /// A table row.
    Table,
}

struct Fence {
    ch: u8,
    len: usize,
}

/// Rewrites `src` for pulldown-cmark (see the module docs). `src` has `\n` line endings.
pub fn prepare(src: &str) -> Prepared<'_> {
    let expanded = expand_tabs(src);
    let mut out = String::with_capacity(expanded.len() + 64);
    let mut raw_blocks = Vec::new();
    let mut changed = matches!(expanded, Cow::Owned(_));
    let text: &str = &expanded;

    let mut prev = Prev::Boundary;
    let mut in_list = false;
    let mut para_lines = 0usize;
    let mut last_line_start = 0usize;
    let mut fence: Option<Fence> = None;
    let mut too_deep: Option<TooDeep> = None;

    let mut pos = 0;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let full = &text[pos..end];
        let line = full.trim_end_matches('\n');
        let nl = if full.ends_with('\n') { "\n" } else { "" };
        let line_start = pos;
        pos = end;

        if let Some(f) = &fence {
            if is_closing_fence(line, f) {
                fence = None;
                prev = Prev::Boundary;
            }
            out.push_str(full);
            continue;
        }

        let blank = line.trim().is_empty();
        if blank {
            out.push_str(full);
            if prev == Prev::Table || prev == Prev::Text || prev == Prev::Boundary {
                prev = Prev::Boundary;
            }
            para_lines = 0;
            // A list goes on after a blank line only when the next line is indented or an item.
            if in_list {
                let next = text[pos..].lines().find(|l| !l.trim().is_empty());
                if let Some(n) = next {
                    if indent(n) == 0 && list_marker(n).is_none() {
                        in_list = false;
                    }
                }
            }
            continue;
        }
        // Inline rewrites that do not change the block structure.
        let owned;
        let (full, line) = match inline_fixes(line) {
            Some(fixed) => {
                changed = true;
                owned = fixed + nl;
                (owned.as_str(), owned.trim_end_matches('\n'))
            }
            None => (full, line),
        };
        let capped;
        let (full, line) = match cap_nesting(line) {
            Some((fixed, depth)) => {
                changed = true;
                match &mut too_deep {
                    Some(t) => t.lines += 1,
                    None => {
                        too_deep = Some(TooDeep {
                            first_line: text[..line_start].matches('\n').count() + 1,
                            depth,
                            lines: 1,
                        })
                    }
                }
                capped = fixed + nl;
                (capped.as_str(), capped.trim_end_matches('\n'))
            }
            None => (full, line),
        };
        let ind = indent(line);
        let in_para = prev == Prev::Text;

        // Redcarpet's table rows go on while a line has a pipe, whatever it starts with.
        if prev == Prev::Table && line.contains('|') {
            if needs_escape(line.trim_start()) && !line.trim_start().starts_with('|') {
                changed = true;
                out.push_str(PARA_MARK);
            }
            out.push_str(full);
            continue;
        }

        // ATX headings: redcarpet needs the `#` in column 0, and no space after it.
        if line.starts_with('#') {
            changed = true;
            if let Some(h) = atx_heading(line) {
                out.push_str(&h);
            }
            out.push('\n');
            prev = Prev::Boundary;
            para_lines = 0;
            in_list = false;
            continue;
        }

        // Raw HTML blocks, only where a block may start.
        if !in_para && line.starts_with('<') {
            if let Some(len) = html_block_len(&text[line_start..]) {
                changed = true;
                let block = &text[line_start..line_start + len];
                out.push_str(RAW_PREFIX);
                out.push_str(&raw_blocks.len().to_string());
                out.push_str("-->\n");
                raw_blocks.push(block.trim_end_matches('\n').to_string());
                pos = line_start + len;
                if block.ends_with("\n\n") || text[pos..].is_empty() {
                    out.push('\n');
                }
                prev = Prev::Boundary;
                para_lines = 0;
                in_list = false;
                continue;
            }
        }

        // Setext underline: only the last paragraph line becomes the heading.
        if in_para && !in_list && is_setext_underline(line) {
            if para_lines >= 2 {
                changed = true;
                out.insert(last_line_start, '\n');
            }
            out.push_str(full);
            prev = Prev::Boundary;
            para_lines = 0;
            continue;
        }

        if ind <= 3 && is_hrule(line) {
            out.push_str(full);
            prev = Prev::Boundary;
            para_lines = 0;
            in_list = false;
            continue;
        }

        let this_start = out.len();
        if let Some(f) = fence_open(line) {
            if in_para {
                // Paragraph text in redcarpet; keep it from interrupting the paragraph.
                changed = true;
                out.push_str("    ");
                out.push_str(full);
            } else if f.valid_info {
                fence = Some(Fence {
                    ch: f.ch,
                    len: f.len,
                });
                out.push_str(full);
                prev = Prev::Boundary;
                para_lines = 0;
                continue;
            } else {
                // "```ruby title=x" is not a fence in redcarpet: a paragraph with a code span.
                changed = true;
                out.push_str(PARA_MARK);
                out.push_str(full);
            }
        } else if prev == Prev::Table {
            // Redcarpet ends a table at the first line without a pipe.
            changed = true;
            out.push('\n');
            out.push_str(full);
        } else if !in_para && is_table_start(line, &text[pos..]) {
            if needs_escape(line.trim_start()) && !line.trim_start().starts_with('|') {
                // `1. a | b` or `- a | b` is a table header in redcarpet, a list in CommonMark.
                changed = true;
                out.push_str(PARA_MARK);
            }
            out.push_str(full);
            // The delimiter row. Redcarpet ignores its cells beyond the header's; CommonMark
            // would reject the table.
            let next = text[pos..].split('\n').next().unwrap_or("");
            let (want, have) = (table_cells(line), table_cells(next));
            if have > want {
                changed = true;
                let trimmed = next.trim().trim_start_matches('|');
                let cells: Vec<&str> = trimmed.split('|').take(want).collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            } else {
                out.push_str(next);
                out.push('\n');
            }
            pos = (pos + next.len() + 1).min(text.len());
            prev = Prev::Table;
            para_lines = 0;
            continue;
        } else if in_para && !in_list && ind <= 3 && list_marker(line).is_some() {
            changed = true;
            out.push_str("    ");
            out.push_str(full);
        } else if list_marker(line).is_some() && ind <= 3 {
            in_list = true;
            out.push_str(full);
        } else if in_para
            && (ind <= 3 && line.trim_start().starts_with('<') || is_table_delimiter(line))
        {
            // An HTML block or a table would interrupt the paragraph in CommonMark.
            changed = true;
            out.push_str("    ");
            out.push_str(full);
        } else if !in_para && !in_list && ind >= 4 {
            // No indented code blocks: the text is a paragraph.
            changed = true;
            let t = line.trim_start();
            if needs_escape(t) {
                out.push_str(PARA_MARK);
            }
            out.push_str(t);
            out.push_str(nl);
        } else if !in_para
            && line.trim_start().starts_with('<')
            && !in_list
            && !line.starts_with(PARA_MARK)
        {
            // Not a redcarpet HTML block: a paragraph with inline HTML.
            changed = true;
            out.push_str(PARA_MARK);
            out.push_str(full);
        } else {
            out.push_str(full);
        }
        last_line_start = this_start;
        if line.trim_start().starts_with('>') {
            prev = Prev::Boundary;
            para_lines = 0;
        } else {
            prev = Prev::Text;
            para_lines += 1;
        }
    }

    let text = if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(src)
    };
    Prepared {
        text,
        raw_blocks,
        too_deep,
    }
}

/// Rewrites inside a line that keep its block role: link destinations with spaces, and
/// `1)` at the start (a list marker in CommonMark, text in redcarpet).
fn inline_fixes(line: &str) -> Option<String> {
    let fixed = link_spaces(line);
    let l = fixed.as_deref().unwrap_or(line);
    let ind = indent(l);
    let t = &l[ind..];
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && t.as_bytes().get(digits) == Some(&b')')
        && matches!(t.as_bytes().get(digits + 1), None | Some(b' '))
    {
        return Some(format!("{}{PARA_MARK}{t}", &l[..ind]));
    }
    fixed
}

/// A line opening more than [`MAX_NESTING`] lists and blockquotes, with the marker past
/// the cap escaped (`\-`, `\>`, `1\.`) so that it and the rest of the line are text;
/// also returns how many markers the line has. `None` for every other line.
fn cap_nesting(line: &str) -> Option<(String, usize)> {
    let b = line.as_bytes();
    // Every marker takes a byte at least (`>>>`).
    if b.len() <= MAX_NESTING || is_hrule(line) {
        return None;
    }
    let mut i = indent(line);
    let mut depth = 0;
    let mut escape_at = None;
    loop {
        let (len, escape) = match b.get(i) {
            Some(b'>') => (1, i),
            Some(b'-' | b'*' | b'+') if b.get(i + 1) == Some(&b' ') => (1, i),
            Some(c) if c.is_ascii_digit() => {
                let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                match (b.get(i + n), b.get(i + n + 1)) {
                    (Some(b'.' | b')'), Some(b' ')) if n <= 9 => (n + 1, i + n),
                    _ => break,
                }
            }
            _ => break,
        };
        depth += 1;
        if depth == MAX_NESTING + 1 {
            escape_at = Some(escape);
        }
        i += len;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let at = escape_at?;
    let mut out = String::with_capacity(line.len() + 1);
    out.push_str(&line[..at]);
    out.push('\\');
    out.push_str(&line[at..]);
    Some((out, depth))
}

/// Redcarpet accepts spaces in an inline link's destination (`[mail](mailto:a?subject=Hi there)`);
/// CommonMark only in the `<...>` form. Returns the line with such destinations wrapped.
fn link_spaces(line: &str) -> Option<String> {
    if !line.contains("](") {
        return None;
    }
    let b = line.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut ticks = 0usize;
    while i + 1 < b.len() {
        match b[i] {
            b'`' => ticks += 1,
            b']' if b[i + 1] == b'(' && ticks.is_multiple_of(2) => {
                let start = i + 2;
                let mut depth = 1;
                let mut j = start;
                while j < b.len() {
                    match b[j] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= b.len() {
                    break;
                }
                let inner = &line[start..j];
                let trimmed = inner.trim();
                // Split off a quoted title: `url "title"`.
                let (dest, title) = match trimmed.as_bytes().last() {
                    Some(&q @ (b'"' | b'\'')) => {
                        match trimmed[..trimmed.len() - 1].rfind(|c: char| c as u32 == q as u32) {
                            Some(k) if k > 0 && trimmed.as_bytes()[k - 1] == b' ' => {
                                (trimmed[..k].trim_end(), &trimmed[k..])
                            }
                            _ => (trimmed, ""),
                        }
                    }
                    _ => (trimmed, ""),
                };
                if dest.contains(' ') && !dest.starts_with('<') && !dest.contains(['<', '>']) {
                    out.push_str(&line[last..start]);
                    out.push('<');
                    out.push_str(dest);
                    out.push('>');
                    if !title.is_empty() {
                        out.push(' ');
                        out.push_str(title);
                    }
                    last = j;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if last == 0 {
        return None;
    }
    out.push_str(&line[last..]);
    Some(out)
}

/// Redcarpet's `expand_tabs`: 4-column tab stops, counting characters per line.
pub fn expand_tabs(src: &str) -> Cow<'_, str> {
    if !src.contains('\t') {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len() + 64);
    let mut col = 0usize;
    for ch in src.chars() {
        match ch {
            '\t' => loop {
                out.push(' ');
                col += 1;
                if col.is_multiple_of(4) {
                    break;
                }
            },
            '\n' => {
                out.push('\n');
                col = 0;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    Cow::Owned(out)
}

fn indent(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Redcarpet's ATX heading, rewritten so CommonMark reads the same level and text.
/// `None` for an empty heading, which redcarpet drops.
fn atx_heading(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let level = b.iter().take_while(|&&c| c == b'#').count().min(6);
    let mut text = line[level..].trim_start_matches(' ');
    text = text.trim_end_matches('#');
    text = text.trim_end_matches(' ');
    if text.is_empty() {
        return None;
    }
    let mut h = String::with_capacity(level + 2 + text.len());
    h.push_str(&line[..level]);
    h.push(' ');
    // CommonMark would strip a closing `#` run that redcarpet keeps (`# a #  `).
    let trailing = text.len() - text.trim_end_matches('#').len();
    let (body, hashes) = text.split_at(text.len() - trailing);
    if trailing > 0 && (body.is_empty() || body.ends_with(' ')) {
        h.push_str(body);
        for _ in 0..trailing {
            h.push_str("\\#");
        }
    } else {
        h.push_str(text);
        let _ = hashes;
    }
    Some(h)
}

struct FenceOpen {
    ch: u8,
    len: usize,
    valid_info: bool,
}

/// A fence line as redcarpet's `is_codefence` sees it (up to 3 spaces, 3+ backticks or
/// tildes). `valid_info` is false when the info string has more than one word.
fn fence_open(line: &str) -> Option<FenceOpen> {
    let ind = indent(line);
    if ind > 3 {
        return None;
    }
    let rest = &line[ind..];
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim_start_matches(' ');
    let valid_info = if let Some(braced) = info.strip_prefix('{') {
        match braced.find('}') {
            Some(i) => braced[i + 1..].trim().is_empty(),
            None => false,
        }
    } else {
        let word_end = info.find(char::is_whitespace).unwrap_or(info.len());
        info[word_end..].trim().is_empty() && !(ch == b'`' && info.contains('`'))
    };
    Some(FenceOpen {
        ch,
        len,
        valid_info,
    })
}

fn is_closing_fence(line: &str, f: &Fence) -> bool {
    let ind = indent(line);
    if ind > 3 {
        return false;
    }
    let rest = &line[ind..];
    let n = rest.bytes().take_while(|&b| b == f.ch).count();
    n >= f.len && rest[n..].trim().is_empty()
}

fn is_hrule(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    let Some(c) = t.bytes().next() else {
        return false;
    };
    if c != b'*' && c != b'-' && c != b'_' {
        return false;
    }
    let mut n = 0;
    for b in t.bytes() {
        if b == c {
            n += 1;
        } else if b != b' ' {
            return false;
        }
    }
    n >= 3
}

fn is_setext_underline(line: &str) -> bool {
    let t = line.trim_end();
    let Some(c) = t.bytes().next() else {
        return false;
    };
    (c == b'=' || c == b'-') && t.bytes().all(|b| b == c)
}

/// The list marker of a line (`-`, `*`, `+` or `1.` followed by a space), if any.
fn list_marker(line: &str) -> Option<usize> {
    let t = line.trim_start_matches(' ');
    let b = t.as_bytes();
    match b.first()? {
        b'*' | b'-' | b'+' if b.get(1).is_some_and(|&c| c == b' ') => Some(1),
        c if c.is_ascii_digit() => {
            let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (b.get(n) == Some(&b'.') && b.get(n + 1) == Some(&b' ')).then_some(n + 1)
        }
        _ => None,
    }
}

fn is_table_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains(['|', '-'])
        && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
        && (t.contains('|') || t.contains(':'))
}

fn is_table_start(line: &str, rest: &str) -> bool {
    if !line.contains('|') {
        return false;
    }
    let next = rest.split('\n').next().unwrap_or("");
    is_table_delimiter(next) && table_cells(next) >= table_cells(line)
}

/// Redcarpet's column count: the pipes, less a leading and a trailing one, plus one.
fn table_cells(line: &str) -> usize {
    let t = line.trim();
    let mut pipes = t.bytes().filter(|&b| b == b'|').count();
    if t.starts_with('|') {
        pipes = pipes.saturating_sub(1);
    }
    if t.len() > 1 && t.ends_with('|') {
        pipes = pipes.saturating_sub(1);
    }
    pipes + 1
}

/// Whether a line that redcarpet takes as paragraph text starts with something that
/// CommonMark would read as a block marker.
fn needs_escape(t: &str) -> bool {
    matches!(
        t.as_bytes().first(),
        Some(b'#' | b'>' | b'-' | b'*' | b'+' | b'=' | b'|' | b'`' | b'~' | b'<')
    ) || list_marker(t).is_some()
}

/// Redcarpet's block tags (`find_block_tag`).
const BLOCK_TAGS: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "del",
    "div",
    "dl",
    "fieldset",
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
    "iframe",
    "ins",
    "math",
    "nav",
    "noscript",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "table",
    "ul",
    "audio",
    "canvas",
    "figcaption",
    "hgroup",
    "output",
    "progress",
    "video",
    "center",
];

/// Length of the raw HTML block starting at `s` (which starts with `<`), following
/// redcarpet's `parse_htmlblock`, or `None` when redcarpet would not see a block here.
fn html_block_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let name_end = b[1..]
        .iter()
        .position(|&c| c == b'>' || c == b' ' || c == b'\n')
        .map(|i| i + 1)?;
    let name = &s[1..name_end];
    let tag = BLOCK_TAGS.iter().find(|t| t.eq_ignore_ascii_case(name));
    let Some(tag) = tag else {
        if s.starts_with("<!--") {
            let close = s.strip_prefix("<!--")?.find("-->")? + 4 + 3;
            return rest_of_line_blank(s, close);
        }
        if name.eq_ignore_ascii_case("hr") || name.to_ascii_lowercase().starts_with("hr") {
            let close = s.find('>')? + 1;
            return rest_of_line_blank(s, close);
        }
        return None;
    };
    block_end(s, tag, true).or_else(|| {
        if *tag == "ins" || *tag == "del" {
            None
        } else {
            block_end(s, tag, false)
        }
    })
}

/// After `at`, the rest of the line must be blank; a following blank line is taken too.
fn rest_of_line_blank(s: &str, at: usize) -> Option<usize> {
    let line_end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
    if !s[at..line_end].trim().is_empty() {
        return None;
    }
    let next_end = s[line_end..]
        .find('\n')
        .map_or(s.len(), |i| line_end + i + 1);
    if line_end < s.len() && s[line_end..next_end].trim().is_empty() {
        Some(next_end)
    } else {
        Some(line_end)
    }
}

/// Redcarpet's `htmlblock_end`: the first `</tag>` (at a line start when `line_start`,
/// or on the first line) followed by nothing but blanks on its line.
fn block_end(s: &str, tag: &str, line_start: bool) -> Option<usize> {
    let first_nl = s.find('\n').unwrap_or(s.len());
    let mut from = 1;
    while let Some(i) = s[from..].find("</") {
        let at = from + i;
        from = at + 2;
        if line_start && at > first_nl && s.as_bytes()[at - 1] != b'\n' {
            continue;
        }
        let after = &s[at + 2..];
        if after.len() > tag.len()
            && after.as_bytes()[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
            && after.as_bytes()[tag.len()] == b'>'
        {
            if let Some(end) = rest_of_line_blank(s, at + 3 + tag.len()) {
                return Some(end);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(s: &str) -> String {
        prepare(s).text.into_owned()
    }

    #[test]
    fn untouched_markdown_is_borrowed() {
        let p = prepare("# Title\n\nText\n\n```ruby\ncode\n```\n");
        assert!(
            matches!(p.text, Cow::Borrowed(_))
                || p.text == "# Title\n\nText\n\n```ruby\ncode\n```\n"
        );
    }

    #[test]
    fn headings_without_space() {
        assert_eq!(prep("#Title\n##Sub\n"), "# Title\n## Sub\n");
        assert_eq!(prep("####### Seven\n"), "###### # Seven\n");
        assert_eq!(prep("# C++ & C#\n"), "# C++ & C\n");
        assert_eq!(prep("# \n"), "\n");
    }

    #[test]
    fn fence_after_paragraph_line_is_text() {
        assert_eq!(
            prep("Text\n```shell\ncurl\n```\n"),
            "Text\n    ```shell\ncurl\n    ```\n"
        );
    }

    #[test]
    fn multi_word_fence_is_not_a_fence() {
        assert!(prep("```ruby title=x\ncode\n```\n").starts_with(PARA_MARK));
    }

    #[test]
    fn code_inside_fence_is_untouched() {
        let s = "```shell\n#comment\n    indented\n<div>\n```\n";
        assert_eq!(prep(s), s);
    }

    #[test]
    fn indented_text_is_a_paragraph() {
        // The first line starts the paragraph; later ones are continuation lines either way.
        assert_eq!(
            prep("Intro\n\n    indented\n    more\n"),
            "Intro\n\nindented\n    more\n"
        );
        assert_eq!(
            prep("Intro\n\n    # not a heading\n"),
            "Intro\n\n<shale-p/># not a heading\n"
        );
    }

    #[test]
    fn list_after_paragraph_line_is_text() {
        // Every line stays in the paragraph: redcarpet renders `<p>Text - a - b</p>`.
        assert_eq!(prep("Text\n- a\n- b\n"), "Text\n    - a\n    - b\n");
        assert_eq!(prep("Text\n\n- a\n- b\n"), "Text\n\n- a\n- b\n");
    }

    #[test]
    fn raw_html_block_runs_to_its_closing_tag() {
        let p = prepare("<aside class=\"notice\">\nOne\n\n**Two**\n</aside>\n\nAfter\n");
        assert_eq!(
            p.raw_blocks,
            vec!["<aside class=\"notice\">\nOne\n\n**Two**\n</aside>"]
        );
        assert_eq!(p.text, "<!--shale-raw-0-->\n\nAfter\n");
    }

    #[test]
    fn setext_takes_only_the_last_line() {
        assert_eq!(prep("One\nTwo\n---\n"), "One\n\nTwo\n---\n");
    }

    #[test]
    fn paren_numbers_are_not_list_markers() {
        assert_eq!(
            prep("Text\n1) not a list\n"),
            "Text\n    <shale-p/>1) not a list\n"
        );
        assert_eq!(prep("1) not a list\n"), "<shale-p/>1) not a list\n");
    }

    #[test]
    fn link_destinations_with_spaces() {
        assert_eq!(
            prep("[mail](mailto:a?s=Hi there&b=x y)\n"),
            "[mail](<mailto:a?s=Hi there&b=x y>)\n"
        );
        assert_eq!(
            prep("[a](b c \"t\") `[x](y z)`\n"),
            "[a](<b c> \"t\") `[x](y z)`\n"
        );
        assert_eq!(prep("[a](b \"t\")\n"), "[a](b \"t\")\n");
    }

    #[test]
    fn table_delimiter_cells_beyond_the_header_are_ignored() {
        assert_eq!(
            prep("a | b\n--- | --- | ---\n1 | 2\n"),
            "a | b\n--- | --- \n1 | 2\n"
        );
        // Fewer delimiter cells than header cells: not a table in either parser.
        assert!(!is_table_start("a | b | c", "--- | ---\n"));
    }

    #[test]
    fn table_rows_run_while_lines_have_pipes() {
        assert_eq!(
            prep("a | b\n--|--\n# x | y\nafter\n"),
            "a | b\n--|--\n<shale-p/># x | y\n\nafter\n"
        );
        assert_eq!(prep("1. a | b\n--|--\n"), "<shale-p/>1. a | b\n--|--\n");
    }

    #[test]
    fn table_after_list_is_a_table() {
        let s = "* item\n\n a | b\n--- | ---\n1 | 2\n";
        assert_eq!(prep(s), s);
    }

    #[test]
    fn closing_tag_check_is_byte_safe() {
        // `</` followed by a multi-byte character where the tag name would end: found
        // by the property tests (a panic slicing inside U+200B).
        let s = "<div>\n</d\u{200b}\n</div>\n";
        assert_eq!(prepare(s).raw_blocks, vec!["<div>\n</d\u{200b}\n</div>"]);
        assert!(prepare("<div>\n</é\n").raw_blocks.is_empty());
    }

    #[test]
    fn nesting_is_capped() {
        let deep = format!("{}x\n", "- ".repeat(150));
        let p = prepare(&deep);
        let want = format!("{}\\{}x\n", "- ".repeat(100), "- ".repeat(50));
        assert_eq!(p.text, want);
        assert_eq!(
            p.too_deep,
            Some(TooDeep {
                first_line: 1,
                depth: 150,
                lines: 1
            })
        );
        let quotes = format!("a\n\n{}b\n", ">".repeat(101));
        let p = prepare(&quotes);
        assert_eq!(p.text, format!("a\n\n{}\\>b\n", ">".repeat(100)));
        assert_eq!(p.too_deep.map(|t| t.first_line), Some(3));
        // Ordered markers are escaped before their dot; 100 levels are kept as they are.
        let ordered = format!("{}x\n", "1. ".repeat(101));
        let p = prepare(&ordered);
        assert!(p.text.ends_with("1\\. x\n"), "{}", p.text);
        assert_eq!(prepare(&format!("{}x\n", "> ".repeat(100))).too_deep, None);
        // A rule of 200 dashes is a rule, not a nest.
        assert_eq!(prepare(&format!("{}\n", "- ".repeat(200))).too_deep, None);
    }

    #[test]
    fn tabs_expand_to_four_columns() {
        assert_eq!(expand_tabs("\tx\n ab\ty"), "    x\n ab y");
    }
}
