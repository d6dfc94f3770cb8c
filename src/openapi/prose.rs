//! The descriptions of a spec (CommonMark, written for Redoc or Swagger UI) as Slate
//! markdown that keeps the author's content and builds cleanly:
//!
//! - blocks adjusted to redcarpet's rules ([`adjust`]): a blank line before a list,
//!   fence, table, quote or HTML block; indented code fenced; a fence's language that
//!   no highlighter knows normalised (`Shell` → `shell`, `curl` → `shell`) or else
//!   `text`;
//! - links and images that lead nowhere in the generated site (`Links`): a link to a
//!   relative or root-relative URL (`/docs/x`, `guide.html`) becomes its text, an image
//!   with such a source its alt text, in markdown (inline and reference-style) and in raw
//!   HTML (`<a href>`, `<img src>`); a `#fragment` names an element of the page, is
//!   rewritten to one (Redoc's `#tag/NAME`, `#operation/ID`, `#schema/NAME`,
//!   `#section/…`, `#/components/schemas/NAME`) or becomes text. Reference definitions
//!   are inlined (redcarpet shares them across a whole file);
//! - headings: each keeps its markdown when the id Slate gives it is free on the page,
//!   else it is written as a raw HTML heading with a free id (the same look).
//!
//! Which links and headings redcarpet sees is decided by shale's port of it
//! ([`crate::markdown::render`]); this module finds where they are written.
//!
//! The page is written first with a placeholder per description that needs the page's
//! ids (headings, `#fragment` links); [`Descs::finish`] replaces them once every id the
//! writer generates is known, so that generated ids (Widdershins' anchors, operation
//! and schema headings) never yield to a description's heading.

use std::collections::{HashMap, HashSet};

use super::markdown::{inline, Ids, Logged};
use crate::markdown::render;
use crate::markdown::slug::heading_slug;
use crate::util::url::KeepUrls;

/// Starts and ends a placeholder (Unicode private use characters).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

// ---------------------------------------------------------------------------------
// Blocks.

/// The fence (character and length) a line opens or closes, after up to three spaces.
fn fence_of(line: &str) -> Option<(u8, usize, usize)> {
    let b = line.as_bytes();
    let indent = b.iter().take(4).take_while(|&&c| c == b' ').count();
    if indent > 3 {
        return None;
    }
    let c = *b.get(indent)?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = b[indent..].iter().take_while(|&&x| x == c).count();
    (n >= 3).then_some((c, n, indent))
}

/// A line that starts (after quote markers and up to three spaces) with a code span of
/// three or more backticks, as CommonMark reads it (a backtick fence's info string has
/// no backtick), rewritten with fewer backticks so that redcarpet does not open a
/// fence: `` > ```curl x``` `` → `` > `curl x` ``. `None` when the line is not one, or
/// when the code itself has two backticks in a row.
fn code_span_line(line: &str) -> Option<String> {
    let mut p = 0;
    let b = line.as_bytes();
    loop {
        let sp = b[p..].iter().take(4).take_while(|&&c| c == b' ').count();
        if sp > 3 {
            return None;
        }
        if b.get(p + sp) == Some(&b'>') {
            p += sp + 1;
        } else {
            p += sp;
            break;
        }
    }
    let n = b[p..].iter().take_while(|&&c| c == b'`').count();
    let rest = &line[p + n..];
    if n < 3 || !rest.contains('`') {
        return None;
    }
    // The closing run: the first of exactly n backticks.
    let rb = rest.as_bytes();
    let mut k = 0;
    let close = loop {
        let at = k + rb[k..].iter().position(|&c| c == b'`')?;
        let run = rb[at..].iter().take_while(|&&c| c == b'`').count();
        if run == n {
            break at;
        }
        k = at + run;
    };
    let code = &rest[..close];
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    if longest >= 2 || code.trim().is_empty() {
        return None;
    }
    let inner = if code.len() >= 2 && code.starts_with(' ') && code.ends_with(' ') {
        &code[1..code.len() - 1]
    } else {
        code
    };
    let ticks = "`".repeat(longest + 1);
    let pad = if inner.starts_with('`') || inner.ends_with('`') {
        " "
    } else {
        ""
    };
    Some(format!(
        "{}{ticks}{pad}{inner}{pad}{ticks}{}",
        &line[..p],
        &rest[close + n..]
    ))
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return false;
    }
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits < 10 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// The kind of block a line starts, for the blank-line rule.
fn block_kind(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    if fence_of(line).is_some() {
        Some("fence")
    } else if is_list_item(line) {
        Some("list")
    } else if t.starts_with('|') {
        Some("table")
    } else if t.starts_with('#') {
        Some("heading")
    } else if t.starts_with('>') {
        Some("quote")
    } else if starts_html_block(t) {
        Some("html")
    } else {
        None
    }
}

/// The tags of CommonMark's HTML blocks of kind 6, which may interrupt a paragraph.
const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether a line starts an HTML block that may interrupt a paragraph in CommonMark:
/// a comment, `<!…>`, `<?…>`, or a block-level tag (`<div>`, `<table>`, `</p>`…). An
/// inline tag (`<a>`, `<img>`, `<code>`) continues the paragraph.
fn starts_html_block(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with('!') || rest.starts_with('?') {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let after = rest[name.len()..].chars().next();
    HTML_BLOCK_TAGS.contains(&name.as_str())
        && after.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// Whether Slate and shale show a fence of language `lang` holding `code` without a
/// warning: a language with a highlighter, a plain-text name, or none (and the
/// content guessed unambiguously).
fn fence_language_ok(lang: &str, code: &str) -> bool {
    let (f, ambiguous) = crate::highlight::classify_fence(lang, code);
    if ambiguous.is_some() {
        return false;
    }
    if f.lexer == "plaintext" {
        lang.is_empty() || matches!(f.base.as_str(), "plaintext" | "text" | "plain" | "txt")
    } else {
        crate::highlight::has_highlighter(f.lexer)
    }
}

/// Names written on fences that are not a highlighter's but mean one.
fn synonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "curl" | "wget" | "httpie" | "cli" | "terminal" => "shell",
        "arduino" | "ino" => "cpp",
        "jquery" | "node" | "nodejs" => "javascript",
        "jsonc" | "json5" => "json",
        "none" | "nohighlight" | "plain-text" => "text",
        _ => return None,
    })
}

/// The language to write on a description's fence of info word `info`: `info` when it
/// is fine, else the first of its lower case, a synonym, or a word of it (`javascript`
/// of `javascript/jQuery`) that a highlighter knows, else `text`.
pub fn fence_language(info: &str, code: &str) -> String {
    if fence_language_ok(info, code) {
        return info.to_string();
    }
    let lower = info.to_lowercase();
    let mut candidates = vec![lower.clone()];
    candidates.extend(
        lower
            .split(|c: char| !(c.is_alphanumeric() || "+#-_".contains(c)))
            .filter(|w| !w.is_empty() && *w != lower)
            .map(str::to_string),
    );
    for c in candidates {
        if !c.is_empty() && fence_language_ok(&c, code) {
            return c;
        }
        if let Some(s) = synonym(&c) {
            if fence_language_ok(s, code) {
                return s.to_string();
            }
        }
    }
    "text".into()
}

/// A description (CommonMark) as redcarpet reads it the way its author meant: a blank
/// line before each list, fence, table, quote, heading and HTML block that follows a
/// paragraph line; indented code blocks fenced; fences of languages without a
/// highlighter renamed ([`fence_language`]).
pub fn adjust(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut prev_kind: Option<&'static str> = Some("blank");
    let mut in_list = false;
    let lines: Vec<&str> = text.trim_matches('\n').split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let span = code_span_line(lines[i].trim_end());
        let line = span.as_deref().unwrap_or(lines[i].trim_end());
        i += 1;
        if line.trim().is_empty() {
            out.push(String::new());
            prev_kind = Some("blank");
            continue;
        }
        // Indented code after a blank line (outside a list): fenced.
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && prev_kind == Some("blank") && !in_list {
            fence_indented(&lines, &mut i, line, &mut out);
            prev_kind = Some("blank");
            continue;
        }
        let kind = block_kind(line);
        if !continues_block(prev_kind, kind, line) {
            out.push(String::new());
        }
        if kind == Some("list") {
            in_list = true;
        } else if kind.is_some() || (prev_kind == Some("blank") && !line.starts_with(' ')) {
            in_list = false;
        }
        if kind == Some("fence") {
            copy_fence(&lines, &mut i, line, &mut out);
            prev_kind = Some("fence-end");
            continue;
        }
        out.push(line.to_string());
        if kind == Some("heading") {
            // A heading is a block of its own.
            out.push(String::new());
            prev_kind = Some("blank");
            continue;
        }
        prev_kind = kind.or(Some("text"));
        if kind.is_none() && line.starts_with(' ') && in_list {
            prev_kind = Some("list");
        }
    }
    collapse_blank_lines(&out.join("\n"))
}

/// Writes a fence of `body` opened by `open`, its language from `info` and the code
/// ([`fence_language`]); the caller closes it.
fn push_fence(out: &mut Vec<String>, open: String, info: &str, body: &[&str]) {
    let code = body.join("\n");
    let lang = fence_language(info, &code);
    out.push(format!("{open}{lang}"));
    out.extend(body.iter().map(|l| l.to_string()));
}

/// An indented code block starting with `first` (its other lines from `lines[*i]`),
/// written as a fence longer than any backtick fence inside it.
fn fence_indented<'t>(lines: &[&'t str], i: &mut usize, first: &'t str, out: &mut Vec<String>) {
    let mut block = vec![first];
    while *i < lines.len() {
        let l = lines[*i].trim_end();
        if l.starts_with("    ") || l.starts_with('\t') || l.is_empty() {
            block.push(l);
            *i += 1;
        } else {
            break;
        }
    }
    while block.last().is_some_and(|l| l.is_empty()) {
        block.pop();
    }
    let body: Vec<&str> = block
        .iter()
        .map(|l| {
            l.strip_prefix("    ")
                .or_else(|| l.strip_prefix('\t'))
                .unwrap_or(l)
        })
        .collect();
    let ticks = body
        .iter()
        .filter_map(|l| fence_of(l))
        .filter(|f| f.0 == b'`')
        .map(|f| f.1 + 1)
        .max()
        .unwrap_or(3);
    push_fence(out, "`".repeat(ticks), "", &body);
    out.push("`".repeat(ticks));
    out.push(String::new());
}

/// A fenced block opened by `line` (its lines from `lines[*i]`), copied with its
/// language renamed as [`fence_language`] says, and closed if it was not.
fn copy_fence(lines: &[&str], i: &mut usize, line: &str, out: &mut Vec<String>) {
    let (c, n, indent) = fence_of(line).unwrap_or((b'`', 3, 0));
    let rest = line[indent + n..].trim();
    // The info word, as redcarpet reads it (`{lang}` or the first word).
    let info = if let Some(r) = rest.strip_prefix('{') {
        r.split('}').next().unwrap_or("").trim()
    } else {
        rest.split_whitespace().next().unwrap_or("")
    };
    let mut body = Vec::new();
    let mut closed = None;
    while *i < lines.len() {
        let l = lines[*i];
        *i += 1;
        if let Some((c2, n2, ind2)) = fence_of(l) {
            if c2 == c && n2 >= n && l[ind2 + n2..].trim().is_empty() {
                closed = Some(l.trim_end());
                break;
            }
        }
        body.push(l.trim_end());
    }
    push_fence(out, line[..indent + n].to_string(), info, &body);
    out.push(
        closed
            .map(str::to_string)
            .unwrap_or_else(|| (c as char).to_string().repeat(n)),
    );
}

/// Whether a line of block `kind` may follow one of `prev_kind` without a blank line.
fn continues_block(prev_kind: Option<&str>, kind: Option<&str>, line: &str) -> bool {
    match (prev_kind, kind) {
        (Some("blank"), _) => true,
        (Some("list"), Some("list"))
        | (Some("table"), Some("table"))
        | (Some("quote"), Some("quote")) => true,
        // A list item's continuation or a nested item.
        (Some("list"), _) if line.starts_with(' ') => true,
        (_, None) => true,
        _ => false,
    }
}

/// Runs of blank lines outside fences as one; no blank line at the start or end.
fn collapse_blank_lines(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut blank = false;
    let mut fence: Option<(u8, usize)> = None;
    for l in text.split('\n') {
        match fence {
            Some((c, n)) => {
                if fence_of(l).is_some_and(|f| f.0 == c && f.1 >= n) {
                    fence = None;
                }
            }
            None => {
                if l.trim().is_empty() {
                    if blank {
                        continue;
                    }
                    blank = true;
                } else {
                    blank = false;
                    fence = fence_of(l).map(|f| (f.0, f.1));
                }
            }
        }
        s.push_str(l);
        s.push('\n');
    }
    s.trim_matches('\n').to_string()
}

// ---------------------------------------------------------------------------------
// URLs.

/// What a link's destination leads to from the generated page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest<'a> {
    /// Another site or a scheme (`https:`, `mailto:`, `//host`), or nothing at all.
    Away,
    /// An element of this page (without the `#`).
    Fragment(&'a str),
    /// A relative or root-relative URL: a file of the API's own site, not of this one.
    Nowhere,
}

fn dest(url: &str) -> Dest<'_> {
    if url.is_empty() || url.starts_with("//") {
        return Dest::Away;
    }
    if let Some(f) = url.strip_prefix('#') {
        return Dest::Fragment(f);
    }
    let scheme = url.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme {
        Dest::Away
    } else {
        Dest::Nowhere
    }
}

/// Whether a URL written by the generator (a server, contact or licence URL) leads
/// somewhere from the generated page.
pub fn leads_away(url: &str) -> bool {
    dest(url.trim()) == Dest::Away
}

/// Decodes `%XX` escapes (as a browser does for a fragment).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let (Some(x), Some(y)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push((x * 16 + y) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A name compared loosely: lower case, runs of other characters than letters and
/// digits as one `-`.
pub fn loose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// The elements of the page a `#fragment` may name, once every id is known.
#[derive(Debug, Default)]
pub struct Targets {
    /// Every id of the page.
    pub ids: HashSet<String>,
    /// Tag name ([`loose`]) → its heading's id.
    pub tags: HashMap<String, String>,
    /// `operationId` → its anchor.
    pub operations: HashMap<String, String>,
    /// Schema name → its anchor (and by [`loose`] name).
    pub schemas: HashMap<String, String>,
    /// Heading text ([`loose`]) → id, the first heading with that text.
    pub headings: HashMap<String, String>,
    /// (method in lower case, path) → the operation's heading id.
    pub paths: HashMap<(String, String), String>,
}

impl Targets {
    /// The id on this page a `#fragment` (without `#`) means, if any: the fragment when
    /// it is an id; Redoc's `tag/NAME`, `tag/NAME/operation/ID`, `operation/ID`,
    /// `tag/NAME/paths/~1PATH/METHOD`, `schema/NAME`, `section/A/B`, and the JSON
    /// pointers `/paths/~1PATH/METHOD`, `/components/schemas/NAME` and
    /// `/definitions/NAME`; else a heading whose text it names.
    pub fn resolve(&self, fragment: &str) -> Option<String> {
        let f = percent_decode(fragment);
        if self.ids.contains(&f) {
            return Some(fragment.to_string());
        }
        let f = f.trim_start_matches('/');
        let schema = |name: &str| {
            self.schemas
                .get(name)
                .or_else(|| self.schemas.get(&loose(name)))
                .cloned()
        };
        // A JSON pointer to an operation (`paths/~1pets/get`), alone or in Redoc's
        // `tag/NAME/paths/…` for an operation without `operationId`.
        if let Some(at) = f
            .find("paths/")
            .filter(|&k| k == 0 || f[..k].ends_with('/'))
        {
            let pointer = &f[at + "paths/".len()..];
            if let Some((path, method)) = pointer.rsplit_once('/') {
                let path = path.replace("~1", "/").replace("~0", "~");
                return self
                    .paths
                    .get(&(method.to_ascii_lowercase(), path))
                    .cloned();
            }
        }
        if let Some(rest) = f.strip_prefix("tag/") {
            if let Some((_, op)) = rest.split_once("/operation/") {
                return self.operations.get(op).cloned();
            }
            let name = rest.split('/').next().unwrap_or(rest);
            return self
                .tags
                .get(&loose(rest))
                .or_else(|| self.tags.get(&loose(name)))
                .cloned();
        }
        if let Some(op) = f.strip_prefix("operation/") {
            return self.operations.get(op).cloned();
        }
        for prefix in ["schema/", "components/schemas/", "definitions/"] {
            if let Some(name) = f.strip_prefix(prefix) {
                return schema(name);
            }
        }
        if let Some(rest) = f.strip_prefix("section/") {
            let last = rest.rsplit('/').next().unwrap_or(rest);
            return self.headings.get(&loose(last)).cloned();
        }
        let slug = heading_slug(&crate::util::escape::html(f));
        if self.ids.contains(&slug) {
            return Some(slug);
        }
        self.headings.get(&loose(f)).cloned()
    }
}

// ---------------------------------------------------------------------------------
// Links.

/// A reference definition: destination as written, title.
#[derive(Debug, Clone)]
struct Def {
    link: Vec<u8>,
    title: Option<Vec<u8>>,
}

/// A reference definition starting at `beg` (redcarpet's `is_ref`, from the markdown
/// stage): its id in lower case, its definition and the end of its last line.
fn is_ref(data: &[u8], beg: usize) -> Option<(Vec<u8>, Def, usize)> {
    let r = crate::markdown::parse_ref(data, beg, data.len())?;
    let def = Def {
        link: data[r.link].to_vec(),
        title: r.title.map(|t| data[t].to_vec()),
    };
    Some((data[r.id].to_ascii_lowercase(), def, r.last))
}

/// redcarpet's `unescape_text`: a backslash and the byte after it as that byte.
fn unescape(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i] == b'\\' {
            if i + 1 >= src.len() {
                break;
            }
            out.push(src[i + 1]);
            i += 2;
        } else {
            out.push(src[i]);
            i += 1;
        }
    }
    out
}

fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\n'
}

/// The `]` that closes the link text opened at `p` (brackets nest, `\\` escapes),
/// and whether the text holds a line break.
fn link_text_end(b: &[u8], p: usize, pe: usize) -> Option<(usize, bool)> {
    let mut level = 1;
    let mut has_nl = false;
    for i in p + 1..pe {
        if b[i] == b'\n' {
            has_nl = true;
        } else if b[i - 1] == b'\\' {
        } else if b[i] == b'[' {
            level += 1;
        } else if b[i] == b']' {
            level -= 1;
            if level <= 0 {
                return Some((i, has_nl));
            }
        }
    }
    None
}

/// The reference id a link's text `p..q` stands for: lower case, line breaks as
/// spaces (one after a space is dropped when the text has one).
fn text_id(b: &[u8], p: usize, q: usize, has_nl: bool) -> Vec<u8> {
    let mut id = Vec::new();
    for j in p + 1..q {
        if b[j] != b'\n' {
            id.push(b[j]);
        } else if !has_nl || b[j - 1] != b' ' {
            id.push(b' ');
        }
    }
    id.to_ascii_lowercase()
}

/// An inline link's `(destination "title")`, from the `(` at `i`, as redcarpet reads
/// it.
fn inline_link(b: &[u8], mut i: usize, pe: usize, text: (usize, usize)) -> Option<Link> {
    i += 1;
    while i < pe && is_space(b[i]) {
        i += 1;
    }
    let mut link_b = i;
    let mut nb = 0usize;
    loop {
        if i >= pe {
            return None;
        }
        if b[i] == b'\\' {
            i += 2;
        } else if b[i] == b'(' {
            nb += 1;
            i += 1;
        } else if b[i] == b')' {
            if nb == 0 {
                break;
            }
            nb -= 1;
            i += 1;
        } else if is_space(b[i - 1]) && (b[i] == b'\'' || b[i] == b'"') {
            break;
        } else {
            i += 1;
        }
    }
    let (i, title_b, title_e, mut link_e) = link_title(b, i, pe)?;
    while link_e > link_b && is_space(b[link_e - 1]) {
        link_e -= 1;
    }
    if link_e > link_b && b[link_b] == b'<' {
        link_b += 1;
    }
    if link_e > link_b && b[link_e - 1] == b'>' {
        link_e -= 1;
    }
    let url = (link_e > link_b).then(|| unescape(&b[link_b..link_e]));
    let title = (title_e > title_b).then(|| b[title_b..title_e].to_vec());
    Some(Link {
        end: i + 1,
        text,
        url,
        url_at: (link_e > link_b).then_some((link_b, link_e)),
        title,
        by_ref: false,
    })
}

/// The title of an inline link whose destination ends at `i`: where the link ends
/// (its `)`), the title's bounds (`0, 0` for none) and where the destination ends
/// (past what looked like a title but was not one).
fn link_title(b: &[u8], mut i: usize, pe: usize) -> Option<(usize, usize, usize, usize)> {
    let mut link_e = i;
    let (mut title_b, mut title_e) = (0, 0);
    if b[i] == b'\'' || b[i] == b'"' {
        let qt = b[i];
        i += 1;
        title_b = i;
        let mut in_title = true;
        loop {
            if i >= pe {
                return None;
            }
            if b[i] == b'\\' {
                i += 2;
            } else if b[i] == qt {
                in_title = false;
                i += 1;
            } else if b[i] == b')' && !in_title {
                break;
            } else {
                i += 1;
            }
        }
        title_e = i - 1;
        while title_e > title_b && is_space(b[title_e]) {
            title_e -= 1;
        }
        if b[title_e] != b'\'' && b[title_e] != b'"' {
            title_b = 0;
            title_e = 0;
            link_e = i;
        }
    }
    Some((i, title_b, title_e, link_e))
}

/// The `>` that ends a tag whose name ends at `from`, quotes respected; `None` when a
/// `<` comes first or the text ends.
fn tag_end(b: &[u8], from: usize, end: usize) -> Option<usize> {
    let mut i = from;
    let mut quote = None;
    while i < end {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i),
            None if c == b'<' => return None,
            None => {}
        }
        i += 1;
    }
    None
}

/// A tag's attributes between `from` and its `>` at `i`: (name in lower case, value
/// range).
fn tag_attributes(b: &[u8], from: usize, i: usize) -> Vec<(Vec<u8>, usize, usize)> {
    let mut attrs = Vec::new();
    let mut j = from;
    while j < i {
        while j < i && (b[j].is_ascii_whitespace() || b[j] == b'/') {
            j += 1;
        }
        let k0 = j;
        while j < i && !b[j].is_ascii_whitespace() && b[j] != b'=' {
            j += 1;
        }
        let key = b[k0..j].to_ascii_lowercase();
        while j < i && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < i && b[j] == b'=' {
            j += 1;
            while j < i && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (v0, v1);
            if j < i && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                v0 = j + 1;
                v1 = v0 + b[v0..i].iter().position(|&c| c == q).unwrap_or(i - v0);
                j = (v1 + 1).min(i);
            } else {
                v0 = j;
                while j < i && !b[j].is_ascii_whitespace() {
                    j += 1;
                }
                v1 = j;
            }
            attrs.push((key, v0, v1));
        } else if key.is_empty() {
            j += 1;
        }
    }
    attrs
}

/// An attribute's value, its character references decoded.
fn decode_attribute(b: &[u8], (v0, v1): (usize, usize)) -> String {
    crate::util::html_scan::decode(&String::from_utf8_lossy(&b[v0..v1]))
}

/// When the line at `i` opens a fence: where the fenced block ends (after its
/// closing line, or at `e`).
fn fenced_block_end(b: &[u8], i: usize, e: usize) -> Option<usize> {
    let line_end = i + b[i..e].iter().position(|&c| c == b'\n').unwrap_or(e - i);
    let line = std::str::from_utf8(&b[i..line_end]).unwrap_or("");
    let (c, n, _) = fence_of(line)?;
    let mut j = (line_end + 1).min(e);
    while j < e {
        let le = j + b[j..e].iter().position(|&c| c == b'\n').unwrap_or(e - j);
        let l = std::str::from_utf8(&b[j..le]).unwrap_or("");
        j = (le + 1).min(e);
        if let Some((c2, n2, ind)) = fence_of(l) {
            if c2 == c && n2 >= n && l[ind + n2..].trim().is_empty() {
                break;
            }
        }
    }
    Some(j)
}

/// A markdown link or image found in the text.
struct Link {
    /// Where it ends (after `)` or `]`).
    end: usize,
    /// The text between the brackets.
    text: (usize, usize),
    /// The destination, unescaped.
    url: Option<Vec<u8>>,
    /// The destination as written, for an inline link.
    url_at: Option<(usize, usize)>,
    title: Option<Vec<u8>>,
    /// Reference-style (`[text][id]`, `[text][]`, `[id]`).
    by_ref: bool,
}

/// The markdown text between `[`…`]` as an HTML attribute or text: markdown's
/// punctuation as numeric entities, so that it shows as written in prose and in HTML.
fn literal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes what would end an inline link's destination early.
fn safe_url(url: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(url.len());
    for &c in url {
        match c {
            b' ' => out.extend_from_slice(b"%20"),
            b'(' => out.extend_from_slice(b"%28"),
            b')' => out.extend_from_slice(b"%29"),
            b'<' => out.extend_from_slice(b"%3C"),
            b'>' => out.extend_from_slice(b"%3E"),
            b'\n' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Finds and rewrites the links, images and reference definitions of one description.
struct Links<'a> {
    b: &'a [u8],
    /// Start offset of each line of `b`.
    starts: Vec<usize>,
    /// Line (1-based) of the text the port read, for each line of `b`.
    line_of: Vec<usize>,
    /// Start offsets of blank lines (where a paragraph ends).
    blanks: Vec<usize>,
    /// (line, destination, image) → how many the port found.
    confirmed: HashMap<(usize, Vec<u8>, bool), u32>,
    defs: HashMap<Vec<u8>, Def>,
    /// `None` in the first stage: fragments are kept; then the page's ids.
    targets: Option<&'a Targets>,
    /// `<a>` tags removed whose `</a>` is still to come.
    removed_anchors: usize,
    /// A `#fragment` link was kept for the second stage.
    fragments: bool,
    /// Only escapes the `[` of the links it confirms (nothing else is rewritten).
    escape: bool,
    out: Vec<u8>,
}

impl<'a> Links<'a> {
    fn line_index(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    fn para_end(&self, pos: usize, end: usize) -> usize {
        let k = self.blanks.partition_point(|&b| b <= pos);
        self.blanks.get(k).copied().unwrap_or(end).min(end)
    }

    fn confirm(&mut self, pos: usize, url: &[u8], image: bool) -> bool {
        let line = self.line_of[self.line_index(pos)];
        match self.confirmed.get_mut(&(line, url.to_vec(), image)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// The link starting with the `[` at `p`, as redcarpet's `char_link` reads it.
    fn parse_link(&self, p: usize, end: usize) -> Option<Link> {
        let b = self.b;
        let pe = self.para_end(p, end);
        let (q, has_nl) = link_text_end(b, p, pe)?;
        let text = (p + 1, q);
        let mut i = q + 1;
        while i < pe && is_space(b[i]) {
            i += 1;
        }
        if i < pe && b[i] == b'(' {
            return inline_link(b, i, pe, text);
        }
        let (id, end_at) = if i < pe && b[i] == b'[' {
            let id_b = i + 1;
            let id_e = id_b + b[id_b..pe].iter().position(|&c| c == b']')?;
            let id = if id_b == id_e {
                text_id(b, p, q, has_nl)
            } else {
                b[id_b..id_e].to_ascii_lowercase()
            };
            (id, id_e + 1)
        } else {
            (text_id(b, p, q, has_nl), q + 1)
        };
        let def = self.defs.get(&id)?;
        Some(Link {
            end: end_at,
            text,
            url: Some(unescape(&def.link)),
            url_at: None,
            title: def.title.clone(),
            by_ref: true,
        })
    }

    /// Writes link `l` as an inline link to `url`, its text walked for images.
    fn write_inline(&mut self, l: &Link, url: &[u8], image: bool) {
        self.out.push(b'[');
        if image {
            self.out.extend_from_slice(&self.b[l.text.0..l.text.1]);
        } else {
            self.walk(l.text.0, l.text.1, true);
        }
        self.out.extend_from_slice(b"](");
        self.out.extend_from_slice(&safe_url(url));
        if let Some(t) = &l.title {
            let t = String::from_utf8_lossy(t).replace('\n', " ");
            if !t.contains('"') {
                self.out.extend_from_slice(format!(" \"{t}\"").as_bytes());
            } else if !t.contains('\'') {
                self.out.extend_from_slice(format!(" '{t}'").as_bytes());
            }
        }
        self.out.push(b')');
    }

    /// A line end for each one in `b[from..to]`: what replaces a removed part, so that
    /// the text keeps its lines.
    fn keep_lines(&mut self, from: usize, to: usize) {
        let n = self.b[from..to].iter().filter(|&&c| c == b'\n').count();
        self.out.extend(std::iter::repeat_n(b'\n', n));
    }

    fn handle_link(&mut self, l: &Link, image: bool) {
        let b = self.b;
        if self.escape {
            self.out.extend_from_slice(b"\\[");
            self.out.extend_from_slice(&b[l.text.0..l.end]);
            return;
        }
        let url = l.url.clone().unwrap_or_default();
        let url_s = String::from_utf8_lossy(&url).into_owned();
        let action = match dest(&url_s) {
            Dest::Away => Some(None),
            Dest::Fragment(f) if !image => match self.targets {
                None => {
                    self.fragments = true;
                    Some(None)
                }
                Some(t) => t.resolve(f).map(|id| Some(format!("#{id}"))),
            },
            _ => None,
        };
        match action {
            // Kept: as written (its text walked), or inline when by reference.
            Some(None) if !l.by_ref => {
                self.out.push(b'[');
                if image {
                    self.out.extend_from_slice(&b[l.text.0..l.text.1]);
                } else {
                    self.walk(l.text.0, l.text.1, true);
                }
                self.out.extend_from_slice(&b[l.text.1..l.end]);
            }
            Some(None) => self.write_inline(l, &url, image),
            // Kept, to another id.
            Some(Some(new)) => match l.url_at {
                Some((ub, ue)) if !l.by_ref => {
                    self.out.push(b'[');
                    self.walk(l.text.0, l.text.1, true);
                    self.out.extend_from_slice(&b[l.text.1..ub]);
                    self.out.extend_from_slice(&safe_url(new.as_bytes()));
                    self.out.extend_from_slice(&b[ue..l.end]);
                }
                _ => self.write_inline(l, new.as_bytes(), image),
            },
            // Leads nowhere: its text (an image's alt text).
            None => {
                if image {
                    if self.out.last() == Some(&b'!') {
                        self.out.pop();
                    }
                    let alt = String::from_utf8_lossy(&b[l.text.0..l.text.1]).into_owned();
                    let alt = alt.split('\n').map(literal_text).collect::<Vec<_>>();
                    self.out.extend_from_slice(alt.join("\n").as_bytes());
                } else {
                    self.walk(l.text.0, l.text.1, true);
                }
                self.keep_lines(l.text.1, l.end);
            }
        }
    }

    /// An `<a …>`, `</a>` or `<img …>` tag at `p`; returns where it ends when handled.
    fn handle_tag(&mut self, p: usize, end: usize) -> Option<usize> {
        let b = self.b;
        let rest = &b[p + 1..end];
        let name_len = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'/')
            .count();
        let name = rest[..name_len].to_ascii_lowercase();
        if name != b"a" && name != b"img" && name != b"/a" {
            return None;
        }
        let i = tag_end(b, p + 1 + name_len, end)?;
        let tag_end = i + 1;
        if name == b"/a" {
            if self.removed_anchors > 0 {
                self.removed_anchors -= 1;
                return Some(tag_end);
            }
            return None;
        }
        if name_len == 0
            || !(b[p + 1 + name_len].is_ascii_whitespace()
                || b[p + 1 + name_len] == b'>'
                || b[p + 1 + name_len] == b'/')
        {
            return None;
        }
        let attrs = tag_attributes(b, p + 1 + name_len, i);
        let attr = |k: &[u8]| attrs.iter().find(|a| a.0 == k).map(|a| (a.1, a.2));
        if name == b"a" {
            return self.rewrite_anchor(p, tag_end, attr(b"href")?);
        }
        // <img>
        let src = decode_attribute(b, attr(b"src")?);
        if dest(src.trim()) == Dest::Away {
            return None;
        }
        if let Some((a0, a1)) = attr(b"alt") {
            let alt = String::from_utf8_lossy(&b[a0..a1]).into_owned();
            let alt = alt.split('\n').map(literal_text).collect::<Vec<_>>();
            self.out.extend_from_slice(alt.join("\n").as_bytes());
        }
        self.keep_lines(p, tag_end);
        Some(tag_end)
    }

    /// An `<a>` tag at `p..tag_end` whose `href` is `b[v0..v1]`: a fragment is pointed
    /// at the id it resolves to, and a link that leads nowhere is removed (with its
    /// `</a>`); one that leads away is left alone (`None`).
    fn rewrite_anchor(
        &mut self,
        p: usize,
        tag_end: usize,
        (v0, v1): (usize, usize),
    ) -> Option<usize> {
        let b = self.b;
        let url = decode_attribute(b, (v0, v1));
        let new = match dest(url.trim()) {
            Dest::Away => return None,
            Dest::Fragment(f) => match self.targets {
                None => {
                    self.fragments = true;
                    return None;
                }
                Some(t) => t.resolve(f),
            },
            Dest::Nowhere => None,
        };
        match new {
            Some(id) => {
                self.out.extend_from_slice(&b[p..v0]);
                self.out
                    .extend_from_slice(crate::util::escape::html(&format!("#{id}")).as_bytes());
                self.out.extend_from_slice(&b[v1..tag_end]);
            }
            None => {
                self.removed_anchors += 1;
                self.keep_lines(p, tag_end);
            }
        }
        Some(tag_end)
    }

    /// Where the code span opened by the backticks at `i` ends: after the next run of
    /// as many backticks in the paragraph (else just after the first backtick).
    fn code_span_end(&self, i: usize, e: usize) -> usize {
        let b = self.b;
        let n = b[i..e].iter().take_while(|&&c| c == b'`').count();
        let pe = self.para_end(i, e);
        let mut j = i + n;
        let mut run = 0;
        while j < pe {
            if b[j] == b'`' {
                run += 1;
                if run == n {
                    return j + 1;
                }
            } else {
                run = 0;
            }
            j += 1;
        }
        i + 1
    }

    /// Copies `b[s..e]`, rewriting what it finds; `in_link`: inside a link's text.
    fn walk(&mut self, s: usize, e: usize, in_link: bool) {
        let b = self.b;
        let mut i = s;
        let mut copied = s;
        while i < e {
            // Fenced code, at a line start: copied as it is.
            if !in_link && (i == 0 || b[i - 1] == b'\n') {
                if let Some(j) = fenced_block_end(b, i, e) {
                    i = j;
                    continue;
                }
            }
            match b[i] {
                b'\\' => i += 2,
                b'`' => i = self.code_span_end(i, e),
                b'[' => {
                    let image = i > 0 && b[i - 1] == b'!';
                    if let Some(l) = self.parse_link(i, e) {
                        let url = l.url.clone().unwrap_or_default();
                        if l.url.is_some() && self.confirm(i, &url, image) {
                            self.out.extend_from_slice(&b[copied..i]);
                            self.handle_link(&l, image);
                            i = l.end;
                            copied = i;
                            continue;
                        }
                    }
                    i += 1;
                }
                b'<' if !self.escape => {
                    if b[i..e].starts_with(b"<!--") {
                        i = b[i + 4..e]
                            .windows(3)
                            .position(|w| w == b"-->")
                            .map_or(e, |k| i + 4 + k + 3);
                        continue;
                    }
                    let before = self.out.len();
                    self.out.extend_from_slice(&b[copied..i]);
                    match self.handle_tag(i, e) {
                        Some(next) => {
                            i = next;
                            copied = i;
                        }
                        None => {
                            self.out.truncate(before);
                            i += 1;
                        }
                    }
                }
                _ => i += 1,
            }
        }
        let i = i.min(e);
        self.out.extend_from_slice(&b[copied..i]);
    }
}

/// A description without its reference definitions.
struct Definitions {
    /// Id (lower case) → its definition.
    defs: HashMap<Vec<u8>, Def>,
    /// The text left.
    kept: Vec<u8>,
    /// The line (in the description) of each line of `kept`.
    line_of: Vec<usize>,
    /// Where each line of `kept` starts.
    starts: Vec<usize>,
}

/// Takes the reference definitions (outside fences) out of `text`, as redcarpet's
/// first pass does.
fn take_definitions(text: &str) -> Definitions {
    let d = text.as_bytes();
    let mut defs: HashMap<Vec<u8>, Def> = HashMap::new();
    let mut kept = Vec::with_capacity(d.len());
    let mut line_of = Vec::new();
    let mut starts = Vec::new();
    let mut line = 1;
    let mut beg = 0;
    let mut fence: Option<(u8, usize)> = None;
    while beg < d.len() {
        let le = beg
            + d[beg..]
                .iter()
                .position(|&c| c == b'\n')
                .unwrap_or(d.len() - beg);
        let l = std::str::from_utf8(&d[beg..le]).unwrap_or("");
        if let Some((c, n, ind)) = fence_of(l) {
            match fence {
                None => fence = Some((c, n)),
                Some((c0, n0)) if c == c0 && n >= n0 && l[ind + n..].trim().is_empty() => {
                    fence = None
                }
                _ => {}
            }
        }
        if fence.is_none() && text.contains("]:") {
            if let Some((id, def, last)) = is_ref(d, beg) {
                defs.insert(id, def);
                line += d[beg..last].iter().filter(|&&c| c == b'\n').count() + 1;
                beg = (last + 1).min(d.len());
                continue;
            }
        }
        starts.push(kept.len());
        line_of.push(line);
        kept.extend_from_slice(&d[beg..le]);
        if le < d.len() {
            kept.push(b'\n');
        }
        line += 1;
        beg = le + 1;
    }
    if starts.is_empty() {
        starts.push(0);
        line_of.push(1);
    }
    Definitions {
        defs,
        kept,
        line_of,
        starts,
    }
}

/// Rewrites the links, images and reference definitions of `text` (see the module
/// documentation); `targets` is `None` in the first stage (fragments kept), then the
/// page's. Returns the text and whether it has `#fragment` links left for the second
/// stage. Lines are kept, except those of reference definitions.
fn rewrite_links(text: &str, targets: Option<&Targets>) -> (String, bool) {
    let lower = text.to_ascii_lowercase();
    if !text.contains('[') && !lower.contains("<a") && !lower.contains("<img") {
        return (text.to_string(), false);
    }
    let Definitions {
        defs,
        kept,
        line_of,
        starts,
    } = take_definitions(text);
    let part = render(text, &KeepUrls);
    let mut confirmed: HashMap<(usize, Vec<u8>, bool), u32> = HashMap::new();
    for l in &part.links {
        *confirmed
            .entry((l.line, l.url.as_bytes().to_vec(), l.image))
            .or_default() += 1;
    }
    let mut blanks = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(kept.len());
        if kept[s..e].iter().all(|c| c.is_ascii_whitespace()) {
            blanks.push(s);
        }
    }
    let mut w = Links {
        b: &kept,
        starts,
        line_of,
        blanks,
        confirmed,
        defs,
        targets,
        removed_anchors: 0,
        fragments: false,
        escape: false,
        out: Vec::with_capacity(kept.len() + 16),
    };
    w.walk(0, kept.len(), false);
    let fragments = w.fragments;
    let out = String::from_utf8(w.out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (out, fragments)
}

// ---------------------------------------------------------------------------------
// Headings and the page's descriptions.

/// A heading redcarpet sees in a description.
#[derive(Debug, Clone)]
struct Found {
    level: u8,
    html: String,
    line: usize,
}

#[derive(Debug)]
struct Pending {
    /// After the first stage.
    text: String,
    /// A table cell's description (no headings, one line).
    cell: bool,
    headings: Vec<Found>,
    /// Per heading: `None` keeps its markdown, `Some(id)` makes it raw HTML.
    ids: Vec<Option<String>>,
}

/// The descriptions of a page waiting for its ids.
#[derive(Debug, Default)]
pub struct Descs {
    pending: Vec<Pending>,
    /// Ids written in raw HTML of descriptions.
    raw_ids: HashSet<String>,
}

fn placeholder(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// The text of a description's raw HTML blocks with markdown's inline characters
/// backslash-escaped, the rest as it is. CommonMark leaves the text of an HTML block
/// (a paragraph whose first line starts with a block-level tag: `<p>a*b*c</p>`) alone,
/// and redcarpet does too on a page, but a table cell is inline: there `*`, `_`, `` ` ``,
/// `[`, `]` and `~` would make emphasis, code and links the author did not write.
fn escape_html_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut raw = false;
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let t = line.trim_start();
        if t.is_empty() {
            raw = false;
        } else if !raw && line.len() - t.len() <= 3 && starts_html_block(t) {
            raw = true;
        }
        if !raw {
            out.push_str(line);
            continue;
        }
        let mut tag: Option<char> = None;
        let mut quote: Option<char> = None;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (tag, quote) {
                (Some(_), Some(q)) => {
                    if c == q {
                        quote = None;
                    }
                }
                (Some(_), None) => {
                    if c == '"' || c == '\'' {
                        quote = Some(c);
                    } else if c == '>' {
                        tag = None;
                    }
                }
                (None, _) => {
                    if c == '<'
                        && chars
                            .peek()
                            .is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(*n))
                    {
                        tag = Some(c);
                    } else if "\\`*_[]~".contains(c) {
                        out.push('\\');
                    }
                }
            }
            out.push(c);
        }
    }
    out
}

/// A table cell's markdown ([`cell_line`]) in which each link or image that only the
/// one-line form makes has its `[` escaped: `<p>[a-z](x|y)</p>` is an HTML block whose
/// text redcarpet (and CommonMark) leaves alone, but a table cell is inline.
fn cell_form(text: &str) -> String {
    let line = cell_line(text);
    if !line.contains('[') {
        return line;
    }
    let key = |l: &crate::markdown::LinkRef| (l.url.replace("&#124;", "|").into_bytes(), l.image);
    let mut written: HashMap<(Vec<u8>, bool), u32> = HashMap::new();
    for l in &render(text, &KeepUrls).links {
        *written.entry(key(l)).or_default() += 1;
    }
    let mut line = line;
    // Escaping a link may uncover one inside it: a few rounds.
    for _ in 0..8 {
        let mut seen = written.clone();
        let mut extra: HashMap<(usize, Vec<u8>, bool), u32> = HashMap::new();
        for l in &render(&format!("x {line}"), &KeepUrls).links {
            match seen.get_mut(&key(l)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    *extra
                        .entry((1, l.url.clone().into_bytes(), l.image))
                        .or_default() += 1
                }
            }
        }
        if extra.is_empty() {
            break;
        }
        let mut w = Links {
            b: line.as_bytes(),
            starts: vec![0],
            line_of: vec![1],
            blanks: Vec::new(),
            confirmed: extra,
            defs: HashMap::new(),
            targets: None,
            removed_anchors: 0,
            fragments: false,
            escape: true,
            out: Vec::with_capacity(line.len() + 8),
        };
        w.walk(0, line.len(), false);
        let out = String::from_utf8_lossy(&w.out).into_owned();
        if out == line {
            break;
        }
        line = out;
    }
    line
}

/// A table cell's markdown: one line, line breaks as `<br>`, `|` as an entity.
pub fn cell_line(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.trim().split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        out.push_str(line.trim());
    }
    out.replace('|', "&#124;")
}

impl Descs {
    /// A description as a block of the page (or its placeholder); `ids` logs it.
    pub fn prose(&mut self, ids: &mut Ids, text: &str) -> String {
        let adjusted = adjust(text);
        let (text, fragments) = rewrite_links(&adjusted, None);
        let text = collapse_blank_lines(&text);
        let may_have_headings = text.contains('#') || text.contains("\n=") || text.contains("\n-");
        let mut headings = Vec::new();
        if may_have_headings || text.to_ascii_lowercase().contains("id=") {
            let part = render(&text, &KeepUrls);
            self.raw_ids.extend(part.raw_ids.iter().cloned());
            headings = part
                .headings
                .iter()
                .map(|h| Found {
                    level: h.level,
                    html: h.html.clone(),
                    line: h.line,
                })
                .collect();
        }
        if headings.is_empty() && !fragments {
            return text;
        }
        let n = self.pending.len();
        if !headings.is_empty() {
            ids.log(Logged::Desc(n));
        }
        self.pending.push(Pending {
            text,
            cell: false,
            headings,
            ids: Vec::new(),
        });
        placeholder(n)
    }

    /// A description as a table cell (or its placeholder).
    pub fn cell(&mut self, text: &str) -> String {
        let text = escape_html_blocks(&text.replace("\r\n", "\n"));
        let (text, fragments) = rewrite_links(&text, None);
        if !fragments {
            return cell_form(&text);
        }
        let n = self.pending.len();
        self.pending.push(Pending {
            text,
            cell: true,
            headings: Vec::new(),
            ids: Vec::new(),
        });
        placeholder(n)
    }

    /// Gives every description heading an id, once the writer's are all taken: the id
    /// Slate gives it (a counter per file) when it is free, else a free one.
    pub fn allocate(&mut self, ids: &mut Ids) {
        for id in &self.raw_ids {
            ids.reserve(id);
        }
        let files = ids.take_log();
        for file in files {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for entry in file {
                match entry {
                    Logged::Heading(slug) => *counts.entry(slug).or_default() += 1,
                    Logged::Desc(n) => {
                        let p = &mut self.pending[n];
                        for h in &p.headings {
                            let slug = heading_slug(&h.html);
                            let c = counts.get(&slug).copied().unwrap_or(0);
                            let slate = if c == 0 {
                                slug.clone()
                            } else {
                                format!("{slug}-{}", c + 1)
                            };
                            let text = crate::util::html_scan::text_of(&h.html);
                            if !ids.taken(&slate) {
                                ids.reserve(&slate);
                                ids.name(&text, &slate);
                                *counts.entry(slug).or_default() += 1;
                                p.ids.push(None);
                            } else {
                                let id = ids.anchor(&slug);
                                ids.name(&text, &id);
                                p.ids.push(Some(id));
                            }
                        }
                    }
                }
            }
        }
    }

    /// `text` with its placeholders replaced by the descriptions, their `#fragment`
    /// links resolved against `targets` and their headings given their ids.
    pub fn finish(&self, text: &str, targets: &Targets) -> String {
        if !text.contains(OPEN) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() * 2);
        let mut rest = text;
        while let Some(k) = rest.find(OPEN) {
            out.push_str(&rest[..k]);
            let after = &rest[k + OPEN.len_utf8()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let n = after[..digits].parse::<usize>().ok();
            match n.and_then(|n| self.pending.get(n).map(|p| (n, p))) {
                Some((_, p)) if after[digits..].starts_with(CLOSE) => {
                    out.push_str(&self.second(p, targets));
                    rest = &after[digits + CLOSE.len_utf8()..];
                }
                _ => {
                    out.push(OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn second(&self, p: &Pending, targets: &Targets) -> String {
        let (text, _) = rewrite_links(&p.text, Some(targets));
        if p.cell {
            return cell_form(&text);
        }
        if p.ids.iter().all(Option::is_none) {
            return text;
        }
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        // From the last, so that line numbers hold.
        for (h, id) in p.headings.iter().zip(&p.ids).rev() {
            let Some(id) = id else { continue };
            let at = h.line - 1;
            let Some(line) = lines.get(at) else { continue };
            let setext = !line.trim_start_matches([' ', '>']).starts_with('#')
                && lines.get(at + 1).is_some_and(|u| {
                    let u = u.trim_start_matches([' ', '>']).trim_end();
                    !u.is_empty() && (u.bytes().all(|c| c == b'=') || u.bytes().all(|c| c == b'-'))
                });
            let take = if setext { 2 } else { 1 };
            let md = lines[at..at + take].join("\n");
            // The heading's inner HTML as redcarpet writes it, its links resolved.
            let prefix_len = md.len() - md.trim_start_matches([' ', '>']).len();
            let (prefix, body) = md.split_at(prefix_len);
            let body = body
                .split('\n')
                .map(|l| l.trim_start_matches([' ', '>']))
                .collect::<Vec<_>>()
                .join("\n");
            let part = render(&body, &KeepUrls);
            let inner = part
                .headings
                .first()
                .map(|x| x.html.clone())
                .unwrap_or_else(|| h.html.clone());
            let html = format!(
                "<h{0} id=\"{1}\">{2}</h{0}>",
                h.level,
                crate::util::escape::html(id),
                inner.replace('\n', " ")
            );
            let mut with = Vec::new();
            if prefix.is_empty() {
                if at > 0 && !lines[at - 1].trim().is_empty() {
                    with.push(String::new());
                }
                with.push(html);
                if lines.get(at + take).is_some_and(|l| !l.trim().is_empty()) {
                    with.push(String::new());
                }
            } else {
                with.push(format!("{prefix}{html}"));
            }
            lines.splice(at..at + take, with);
        }
        lines.join("\n")
    }
}

/// Escapes the text of a link that leads nowhere, written by the generator.
pub fn link_or_text(url: &str, text: &str) -> String {
    if leads_away(url) {
        format!(
            "<a href=\"{}\">{}</a>",
            crate::util::escape::html(url),
            crate::util::escape::html(text)
        )
    } else {
        inline(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        for id in ["pets", "opIdlistPets", "schemapet", "introduction"] {
            t.ids.insert(id.into());
        }
        t.tags.insert("pets".into(), "pets".into());
        t.operations
            .insert("listPets".into(), "opIdlistPets".into());
        t.schemas.insert("Pet".into(), "schemapet".into());
        t.headings
            .insert("introduction".into(), "introduction".into());
        t.paths
            .insert(("get".into(), "/pets/{id}".into()), "find-pet".into());
        t
    }

    fn both(text: &str) -> String {
        let (first, _) = rewrite_links(text, None);
        rewrite_links(&first, Some(&targets())).0
    }

    #[test]
    fn links_that_lead_nowhere_become_text() {
        assert_eq!(
            both("See [the guide](/docs/guide) now."),
            "See the guide now."
        );
        assert_eq!(both("See [the guide](guide.html)."), "See the guide.");
        assert_eq!(
            both("Ask [us](https://x.example/a) or [mail](mailto:a@b.c)."),
            "Ask [us](https://x.example/a) or [mail](mailto:a@b.c)."
        );
        assert_eq!(
            both("![Flow *chart*](img/flow.png)"),
            "Flow &#42;chart&#42;"
        );
        assert_eq!(
            both("![logo](https://x.example/l.png)"),
            "![logo](https://x.example/l.png)"
        );
        assert_eq!(
            both("a <a href=\"/x\">b</a> <img src=\"y.png\" alt=\"c_d\"> e"),
            "a b c&#95;d e"
        );
        assert_eq!(
            both("<a href=\"https://x.example\">b</a>"),
            "<a href=\"https://x.example\">b</a>"
        );
        // Code is left alone.
        assert_eq!(
            both("`[a](/b)` and\n```\n[a](/b)\n```"),
            "`[a](/b)` and\n```\n[a](/b)\n```"
        );
    }

    #[test]
    fn references_are_inlined_and_their_definitions_removed() {
        assert_eq!(
            both("Use [the API][api] and [docs].\n\n[api]: https://x.example/api \"The API\"\n[docs]: /docs\n"),
            "Use [the API](https://x.example/api \"The API\") and docs.\n\n"
        );
        // No definition: not a link.
        assert_eq!(both("[a][b] and [c]"), "[a][b] and [c]");
    }

    #[test]
    fn fragments_resolve_to_the_page_or_become_text() {
        assert_eq!(both("[Pets](#tag/pets)"), "[Pets](#pets)");
        assert_eq!(both("[list](#operation/listPets)"), "[list](#opIdlistPets)");
        assert_eq!(
            both("[list](#tag/pets/operation/listPets)"),
            "[list](#opIdlistPets)"
        );
        assert_eq!(both("[Pet](#/components/schemas/Pet)"), "[Pet](#schemapet)");
        assert_eq!(both("[Pet](#schema/Pet)"), "[Pet](#schemapet)");
        assert_eq!(
            both("[intro](#section/Introduction)"),
            "[intro](#introduction)"
        );
        assert_eq!(both("[x](#nothing-here)"), "x");
        assert_eq!(
            both("[find](#tag/pets/paths/~1pets~1%7Bid%7D/get) [f](#/paths/~1pets~1{id}/get)"),
            "[find](#find-pet) [f](#find-pet)"
        );
        assert_eq!(
            both("<a href=\"#tag/pets\">P</a>"),
            "<a href=\"#pets\">P</a>"
        );
        assert_eq!(both("<a href=\"#nope\">P</a>!"), "P!");
    }

    #[test]
    fn description_headings_yield_to_generated_ids() {
        let mut ids = Ids::default();
        let mut d = Descs::default();
        ids.begin_file();
        let a = d.prose(
            &mut ids,
            "Send message\n============\nText.\n\n## Notes\n\n## Notes",
        );
        ids.begin_file();
        // Generated after the description, yet it keeps its id.
        let (_, generated) = ids.heading("Send message", &[]);
        let b = d.prose(&mut ids, "### Notes");
        d.allocate(&mut ids);
        let t = Targets {
            ids: ids.all().clone(),
            ..Targets::default()
        };
        assert_eq!(generated, "send-message");
        // Slate's counter, per file, gives the second `Notes` `notes-2`.
        assert_eq!(
            d.finish(&a, &t),
            "<h1 id=\"send-message-2\">Send message</h1>\n\nText.\n\n## Notes\n\n## Notes"
        );
        // In another file, Slate would give `notes` again.
        assert_eq!(d.finish(&b, &t), "<h3 id=\"notes-3\">Notes</h3>");
    }

    #[test]
    fn fence_languages_normalised() {
        assert_eq!(fence_language("json", "{}"), "json");
        assert_eq!(fence_language("JSON", "{}"), "json");
        assert_eq!(fence_language("Shell", "ls"), "shell");
        assert_eq!(fence_language("curl", "curl x"), "shell");
        assert_eq!(fence_language("javascript/jQuery", "$()"), "javascript");
        assert_eq!(fence_language("csv", "a,b"), "text");
        assert_eq!(fence_language("", "plain words"), "");
    }

    #[test]
    fn adjust_follows_redcarpet_rules() {
        let got = adjust("Intro:\n- a\n- b\ntext\n```JSON\n{}\n```\n\n    indented\n\n# Intro");
        assert_eq!(
            got,
            "Intro:\n\n- a\n- b\ntext\n\n```json\n{}\n```\n\n```\nindented\n```\n\n# Intro"
        );
        // Blank lines inside a fence stay.
        assert_eq!(adjust("```\na\n\n\nb\n```"), "```\na\n\n\nb\n```");
    }

    #[test]
    fn a_code_span_at_a_line_start_is_not_a_fence() {
        // CommonMark: a backtick fence's info string has no backtick, so this is code.
        assert_eq!(
            adjust("**Example**\n> ```https://x.example/a?b=1&c=2```\n\nNext"),
            "**Example**\n\n> `https://x.example/a?b=1&c=2`\n\nNext"
        );
        assert_eq!(adjust("```a`b``` and more"), "``a`b`` and more");
        // Real fences are untouched; code with a run of two backticks is left alone.
        assert_eq!(code_span_line("```json"), None);
        assert_eq!(code_span_line("```a``b```"), None);
        assert_eq!(code_span_line("    ```a```"), None);
    }

    #[test]
    fn table_cells_make_no_markup_the_author_did_not_write() {
        let mut d = Descs::default();
        // Raw HTML keeps its text as it is: no link, no emphasis.
        let regex = "<p>Names: \"^[A-Za-z_]([A-Za-z0-9]*|[A-Za-z0-9][A-Za-z0-9_]*)$\".</p>";
        let cell = d.cell(regex);
        let html = render(&format!("|a|\n|-|\n|{cell}|\n"), &KeepUrls);
        assert!(html.links.is_empty(), "{cell}");
        assert_eq!(
            cell,
            "<p>Names: \"^\\[A-Za-z\\_\\](\\[A-Za-z0-9\\]\\*&#124;\\[A-Za-z0-9\\]\\[A-Za-z0-9\\_\\]\\*)$\".</p>"
        );
        // Markdown keeps its markup; a link that leads nowhere still becomes text.
        assert_eq!(d.cell("A *b* [c](/d) `e`"), "A *b* c `e`");
        // A link that only the one-line form makes is escaped.
        assert_eq!(
            cell_form("<p>[a](b) [c](https://x.example)</p>"),
            "<p>\\[a](b) \\[c](https://x.example)</p>"
        );
        assert_eq!(cell_form("[a](b)"), "[a](b)");
    }
}
