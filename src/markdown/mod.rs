//! Slate's markdown dialect on pulldown-cmark.
//!
//! One file (a page body or an include) goes through:
//! 1. [`redcarpet::prepare`]: a line pass that gives pulldown-cmark redcarpet's block structure;
//! 2. pulldown-cmark with tables and strikethrough;
//! 3. small adapters over the event stream, each in its own type: [`InlineDialect`]
//!    (no intra-word emphasis, `~~` strikethrough only), [`Headings`] (Slate's ids),
//!    [`CodeBlocks`] (fences become highlight jobs), and [`RawHtml`] (placeholders back to
//!    raw blocks, ids of raw HTML collected, image paths resolved).
//!
//! The result is a [`Part`]: the stream as [`Item`]s, plus its headings and code blocks.
//! Ids are made unique across the whole page and code is highlighted before the page is
//! written (see [`crate::page`]).

pub mod redcarpet;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::highlight::{self, Fence};
use crate::html_scan;
use crate::slug::{self, SlateCounter};

/// One event of a rendered file, or a slot filled in when the page is assembled.
#[derive(Debug)]
pub enum Item<'a> {
    Event(Event<'a>),
    /// `headings[i]` of the part.
    Heading(usize),
    /// `code_blocks[i]` of the part.
    Code(usize),
    /// A run of events already rendered to HTML (see [`ItemSink`]).
    Html(String),
}

/// Collects a file's items, rendering the events between slots to HTML as they come:
/// a 100 MB page holds tens of millions of events (80 bytes each), their HTML a few
/// bytes each. Runs are cut between top-level blocks, or at a slot; never inside a
/// table or an image, whose rendering has state. The HTML is the same as one
/// `push_html` over the whole stream: pulldown-cmark's writer carries only whether its
/// output ends with a newline from one event to the next, and each run is started in
/// that state.
#[derive(Default)]
struct ItemSink<'a> {
    /// Keep every event as it is (to test that rendering in runs changes nothing).
    unbatched: bool,
    items: Vec<Item<'a>>,
    pending: Vec<Event<'a>>,
    depth: usize,
    /// Whether the output so far does not end with a newline (false at the start).
    mid_line: bool,
}

impl<'a> ItemSink<'a> {
    /// Events rendered at once, at most, between top-level blocks.
    const RUN: usize = 128;

    fn event(&mut self, ev: Event<'a>) {
        if self.unbatched {
            self.items.push(Item::Event(ev));
            return;
        }
        match ev {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.pending.push(ev);
        if self.depth == 0 && self.pending.len() >= Self::RUN {
            self.flush();
        }
    }

    /// A heading or a code block: HTML that does not end with a newline.
    fn slot(&mut self, item: Item<'a>) {
        self.flush();
        self.items.push(item);
        self.mid_line = true;
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        // A one-byte raw write first puts the writer in the "mid-line" state.
        let mark = self
            .mid_line
            .then_some(Event::Html(CowStr::Borrowed("\u{1}")));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, mark.into_iter().chain(self.pending.drain(..)));
        if self.mid_line {
            html.remove(0);
        }
        if !html.is_empty() {
            self.mid_line = !html.ends_with('\n');
            self.items.push(Item::Html(html));
        }
    }

    fn finish(mut self) -> Vec<Item<'a>> {
        self.flush();
        self.items
    }
}

/// A heading as Slate sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Inner HTML as redcarpet renders it (what Slate's id algorithm reads).
    pub html: String,
    /// The id Slate gives it (counter per file); where that repeats an id of the page,
    /// [`crate::page`] replaces it with a unique one.
    pub slate_id: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// A fenced code block waiting to be highlighted.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub fence: Fence,
    pub code: String,
    pub line: usize,
}

/// Something worth telling the author, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// Where a file's relative links and images resolve.
pub trait Resolver: Sync {
    /// The URL to write for a markdown image `src`, or `None` to keep it.
    fn image(&self, src: &str) -> Option<String>;
    /// For a link or image to a file of this site: whether that file exists. `None` for
    /// URLs that are not local files (other hosts, `mailto:`, anchors).
    fn local_exists(&self, _url: &str, _image: bool) -> Option<bool> {
        None
    }
    /// The URL to write for a link (a markdown link, or `src` and `href` in raw HTML),
    /// or `None` to keep it. shale makes links from the site root (`/v2/api.html`)
    /// relative, so that the site works under any sub-path.
    fn link(&self, _url: &str) -> Option<String> {
        None
    }
}

/// Raw HTML with its `src` and `href` values passed through [`Resolver::link`].
fn raw_html<'a>(html: CowStr<'a>, resolver: &dyn Resolver) -> CowStr<'a> {
    match html_scan::rewrite_urls(&html, |u| resolver.link(u)) {
        Some(new) => new.into(),
        None => html,
    }
}

/// A resolver that keeps every URL.
pub struct KeepUrls;
impl Resolver for KeepUrls {
    fn image(&self, _src: &str) -> Option<String> {
        None
    }
}

/// One rendered file.
#[derive(Debug, Default)]
pub struct Part<'a> {
    pub items: Vec<Item<'a>>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    /// Every `id` attribute written in raw HTML of this file.
    pub raw_ids: HashSet<String>,
    /// Markdown links and images, for the link check.
    pub links: Vec<LinkRef>,
    pub warnings: Vec<Warning>,
}

/// A markdown link or image destination, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub url: String,
    pub image: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// pulldown-cmark options for Slate's dialect.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders one prepared file into a [`Part`].
pub fn render<'a>(prepared: &'a redcarpet::Prepared<'a>, resolver: &dyn Resolver) -> Part<'a> {
    render_items(prepared, resolver, false)
}

fn render_items<'a>(
    prepared: &'a redcarpet::Prepared<'a>,
    resolver: &dyn Resolver,
    unbatched: bool,
) -> Part<'a> {
    let src: &'a str = &prepared.text;
    let lines = LineIndex::new(src);
    let events = Parser::new_ext(src, options()).into_offset_iter();
    let events = InlineDialect::new(events, src);
    let mut part = Part::default();
    if let Some(t) = prepared.too_deep {
        let more = match t.lines {
            1 => String::new(),
            n => format!(" ({n} lines of this file do)"),
        };
        part.warnings.push(Warning {
            line: t.first_line,
            message: format!(
                "this line nests {} lists or blockquotes; shale keeps {} levels and shows the markers beyond as text{more}",
                t.depth,
                redcarpet::MAX_NESTING
            ),
        });
    }
    let mut counter = SlateCounter::default();
    let mut iter = events;
    let mut out = ItemSink {
        unbatched,
        ..Default::default()
    };
    let mut inner = Vec::new();
    while let Some((ev, range)) = iter.next() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                inner.clear();
                for (e, r) in iter.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push((e, r));
                }
                for (e, r) in &inner {
                    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                        e
                    {
                        part.links.push(LinkRef {
                            url: dest_url.to_string(),
                            image: matches!(e, Event::Start(Tag::Image { .. })),
                            line: lines.line_of(r.start),
                        });
                    }
                }
                let html = inline_html(&inner, src, resolver);
                if html.trim().is_empty() {
                    continue; // redcarpet drops empty headings
                }
                let slate_id = counter.unique(slug::heading_slug(&html));
                out.slot(Item::Heading(part.headings.len()));
                part.headings.push(Heading {
                    level: heading_level(level),
                    html,
                    slate_id,
                    line: lines.line_of(range.start),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let line = lines.line_of(range.start);
                match kind {
                    CodeBlockKind::Fenced(info) => {
                        let info = fence_word(&info);
                        let (fence, ambiguous) = highlight::classify_fence(info, &code);
                        if let Some(candidates) = ambiguous {
                            part.warnings.push(Warning {
                                line,
                                message: format!(
                                    "the language of this unlabelled code block could be any of {}; add one after the ``` (Slate's build stops here)",
                                    candidates.join(", ")
                                ),
                            });
                        }
                        out.slot(Item::Code(part.code_blocks.len()));
                        part.code_blocks.push(CodeBlock { fence, code, line });
                    }
                    CodeBlockKind::Indented => {
                        // Redcarpet has no indented code; the line pass removes them, but
                        // nested in a list one may remain: show it as text.
                        out.event(Event::Start(Tag::Paragraph));
                        out.event(Event::Text(code.into()));
                        out.event(Event::End(TagEnd::Paragraph));
                    }
                }
            }
            Event::Html(h) => {
                let html = raw_block(&h, prepared);
                html_scan::collect_ids(&html, &mut part.raw_ids);
                out.event(Event::Html(raw_html(html, resolver)));
            }
            Event::InlineHtml(h) => {
                if &*h == redcarpet::PARA_MARK {
                    continue;
                }
                html_scan::collect_ids(&h, &mut part.raw_ids);
                out.event(Event::InlineHtml(raw_html(h, resolver)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                part.links.push(LinkRef {
                    url: dest_url.to_string(),
                    image: false,
                    line: lines.line_of(range.start),
                });
                let dest_url = match resolver.link(&dest_url) {
                    Some(u) => u.into(),
                    None => dest_url,
                };
                out.event(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                part.links.push(LinkRef {
                    url: dest_url.to_string(),
                    image: true,
                    line: lines.line_of(range.start),
                });
                let dest_url = match resolver.image(&dest_url) {
                    Some(u) => u.into(),
                    None => dest_url,
                };
                out.event(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            ev => out.event(ev),
        }
    }
    part.items = out.finish();
    part
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// The fence's language word, with redcarpet's `{lang}` braces removed.
fn fence_word(info: &str) -> &str {
    let info = info.trim();
    if let Some(inner) = info.strip_prefix('{') {
        return inner.split('}').next().unwrap_or("").trim();
    }
    info.split_whitespace().next().unwrap_or("")
}

/// An HTML block event: a placeholder goes back to the raw block it stands for.
fn raw_block<'a>(h: &CowStr<'a>, prepared: &redcarpet::Prepared<'_>) -> CowStr<'a> {
    let t = h.trim_end();
    if let Some(n) = t
        .strip_prefix(redcarpet::RAW_PREFIX)
        .and_then(|r| r.strip_suffix("-->"))
    {
        if let Some(block) = n
            .parse::<usize>()
            .ok()
            .and_then(|i| prepared.raw_blocks.get(i))
        {
            let mut s = String::with_capacity(block.len() + 1);
            s.push_str(block);
            s.push('\n');
            return s.into();
        }
    }
    h.clone()
}

/// Renders a heading's inline events the way redcarpet does, since Slate's ids are
/// computed from exactly that string: `'` as `&#39;`, entities written in the source kept.
pub fn inline_html(
    events: &[(Event<'_>, Range<usize>)],
    src: &str,
    resolver: &dyn Resolver,
) -> String {
    let mut out = String::new();
    let mut in_image = 0usize;
    for (e, r) in events {
        match e {
            Event::Text(t) => {
                let raw = src.get(r.clone()).unwrap_or("");
                if in_image > 0 {
                    escape_text(&mut out, t);
                } else if raw != &**t && is_entity(raw) {
                    out.push_str(raw);
                } else {
                    escape_text(&mut out, t);
                }
            }
            Event::Code(c) => {
                out.push_str("<code>");
                escape_text(&mut out, c);
                out.push_str("</code>");
            }
            Event::Html(h) | Event::InlineHtml(h) if &**h != redcarpet::PARA_MARK => {
                out.push_str(&raw_html(CowStr::Borrowed(h), resolver))
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>"),
            Event::Start(Tag::Emphasis) => out.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => out.push_str("</em>"),
            Event::Start(Tag::Strong) => out.push_str("<strong>"),
            Event::End(TagEnd::Strong) => out.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => out.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => out.push_str("</del>"),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let href = resolver.link(dest_url);
                out.push_str("<a href=\"");
                escape_attr(
                    &mut out,
                    &href.as_deref().unwrap_or(dest_url).replace(' ', "%20"),
                );
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape_attr(&mut out, title);
                    out.push('"');
                }
                out.push('>');
            }
            Event::End(TagEnd::Link) => out.push_str("</a>"),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                in_image += 1;
                let src_url = resolver
                    .image(dest_url)
                    .unwrap_or_else(|| dest_url.to_string());
                out.push_str("<img src=\"");
                escape_attr(&mut out, &src_url);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape_attr(&mut out, title);
                    out.push('"');
                }
                out.push_str(" alt=\"");
            }
            Event::End(TagEnd::Image) => {
                in_image -= 1;
                out.push_str("\" />");
            }
            _ => {}
        }
    }
    out
}

fn is_entity(raw: &str) -> bool {
    raw.len() > 2
        && raw.starts_with('&')
        && raw.ends_with(';')
        && raw[1..raw.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'#')
}

/// Redcarpet's text escaping: `& < > " '`.
pub fn escape_text(out: &mut String, s: &str) {
    crate::escape::html_into(out, s)
}

/// Escaping for a double-quoted attribute value.
pub fn escape_attr(out: &mut String, s: &str) {
    escape_text(out, s)
}

/// Byte offset → 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(s: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            s.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Redcarpet's inline rules that CommonMark lacks: emphasis does not open inside a word
/// (`no_intra_emphasis`: no ASCII letter or digit right before or after), and
/// strikethrough needs `~~`. Such delimiters go back to being literal text.
pub struct InlineDialect<'a, I> {
    inner: I,
    src: &'a str,
    /// For every open emphasis/strong/strikethrough: the literal closing text when it was
    /// turned back into text.
    stack: Vec<Option<CowStr<'a>>>,
}

impl<'a, I> InlineDialect<'a, I> {
    pub fn new(inner: I, src: &'a str) -> Self {
        InlineDialect {
            inner,
            src,
            stack: Vec::new(),
        }
    }

    fn literal(&self, r: &Range<usize>, n: usize) -> (CowStr<'a>, CowStr<'a>) {
        let s = self.src;
        let open = s.get(r.start..r.start + n).unwrap_or("");
        let close = s.get(r.end.saturating_sub(n)..r.end).unwrap_or("");
        (CowStr::Borrowed(open), CowStr::Borrowed(close))
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for InlineDialect<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (ev, r) = self.inner.next()?;
        match &ev {
            Event::Start(Tag::Emphasis | Tag::Strong) => {
                let n = if matches!(ev, Event::Start(Tag::Strong)) {
                    2
                } else {
                    1
                };
                // Redcarpet looks at the bytes around the delimiters: an ASCII letter or
                // digit before the opener or after the closer makes it literal.
                let before = self.src.as_bytes()[..r.start].last();
                let after = self.src.as_bytes().get(r.end);
                let intra = before.is_some_and(u8::is_ascii_alphanumeric)
                    || after.is_some_and(u8::is_ascii_alphanumeric);
                if intra {
                    let (open, close) = self.literal(&r, n);
                    self.stack.push(Some(close));
                    return Some((Event::Text(open), r));
                }
                self.stack.push(None);
            }
            Event::Start(Tag::Strikethrough) => {
                if !self.src[r.clone()].starts_with("~~") {
                    let (open, close) = self.literal(&r, 1);
                    self.stack.push(Some(close));
                    return Some((Event::Text(open), r));
                }
                self.stack.push(None);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                if let Some(Some(close)) = self.stack.pop() {
                    return Some((Event::Text(close), r));
                }
            }
            _ => {}
        }
        Some((ev, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn html_of(md: &str) -> (String, Vec<Heading>) {
        html_of_with(md, false)
    }

    fn html_of_with(md: &str, unbatched: bool) -> (String, Vec<Heading>) {
        let p = redcarpet::prepare(md);
        let part = render_items(&p, &KeepUrls, unbatched);
        let headings = part.headings.clone();
        let mut out = String::new();
        let events = part.items.into_iter().map(|it| match it {
            Item::Event(e) => e,
            Item::Heading(i) => {
                let h = &headings[i];
                Event::Html(
                    format!("<h{0} id='{1}'>{2}</h{0}>", h.level, h.slate_id, h.html).into(),
                )
            }
            Item::Code(_) => Event::Html("<pre>code</pre>".into()),
            Item::Html(h) => Event::Html(h.into()),
        });
        pulldown_cmark::html::push_html(&mut out, events);
        (out, headings)
    }

    fn ids(md: &str) -> Vec<String> {
        html_of(md).1.into_iter().map(|h| h.slate_id).collect()
    }

    #[test]
    fn rendering_in_runs_changes_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = walkdir::WalkDir::new(root.join("tests/fixtures"))
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.push(std::fs::read_to_string(root.join("source/index.html.md")).unwrap());
        assert!(texts.len() > 10);
        // Slots inside containers and tables, after raw HTML, at the very start.
        texts.push("# A\n- # B\n  text\n\n  ```\n  code\n  ```\n  more\n> ## C\n> quote\n\na | b\n--|--\n1 | 2\n\n<div>\nraw\n</div>\n# D\n".into());
        texts.push("```\nx\n```\n- a\n\n  b\n".into());
        let mut long = String::new();
        for i in 0..300 {
            long.push_str(&format!(
                "p{i} *e* ![i](x.png \"t\") [l](#a)\n\n- li{i}\n\n> q\n\n"
            ));
            if i % 50 == 0 {
                long.push_str("## Sec\n\nx | y\n--|--\n1|2\n\n```\nc\n```\n");
            }
        }
        texts.push(long);
        // Noise of block and inline markers (xorshift, reproducible).
        const BITS: &[&str] = &[
            "#", "- ", "> ", "1. ", "```", "|", "---", "<div>", "</div>", "*", "`", "[", "](", ")",
            "![", "a", " ", "\n", "\n\n", "    ", "<h2>", "</h2>", "~~", "&amp;", "é",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..1500 {
            let mut t = String::new();
            for _ in 0..(x % 200) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(BITS[(x % BITS.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(html_of_with(t, false), html_of_with(t, true), "{t:?}");
        }
    }

    #[test]
    fn heading_ids_use_redcarpet_escaping() {
        assert_eq!(ids("# Q&A\n"), ["q-amp-a"]);
        assert_eq!(ids("# Don't \"Panic\"\n"), ["don-39-t-quot-panic-quot"]);
        assert_eq!(ids("# Copyright &copy; 2024\n"), ["copyright-copy-2024"]);
        assert_eq!(ids("# `GET /users/{id}`\n"), ["get-users-id"]);
        assert_eq!(ids("# `日本語`\n"), ["48ee1d6d34"]);
        assert_eq!(ids("#NoSpace\n"), ["nospace"]);
        assert_eq!(ids("# C++ & C#\n"), ["c-amp-c"]);
        assert_eq!(ids("Setext Heading\n===\n"), ["setext-heading"]);
        assert_eq!(
            ids("# **Bold** and *em* [link](http://x.com)\n"),
            ["bold-and-em-link"]
        );
    }

    #[test]
    fn duplicate_counter_per_file() {
        assert_eq!(ids("# A\n# A\n# A 2\n"), ["a", "a-2", "a-2"]);
    }

    #[test]
    fn empty_headings_vanish() {
        assert!(ids("# \n##\n").is_empty());
    }

    #[test]
    fn no_intra_word_emphasis() {
        let (h, _) = html_of("foo*bar*baz and *real* snake_case_word 最近**1天**的 a.*b*\n");
        assert!(h.contains("最近<strong>1天</strong>的"), "{h}");
        assert!(h.contains("a.<em>b</em>"), "{h}");
        assert!(h.contains("foo*bar*baz"), "{h}");
        assert!(h.contains("<em>real</em>"), "{h}");
        assert!(h.contains("snake_case_word"), "{h}");
    }

    #[test]
    fn strikethrough_needs_two_tildes() {
        let (h, _) = html_of("~~gone~~ and ~kept~\n");
        assert!(h.contains("<del>gone</del>"), "{h}");
        assert!(h.contains("~kept~"), "{h}");
    }

    #[test]
    fn no_footnotes_tasks_or_bare_autolinks() {
        let (h, _) = html_of("See [^1] and https://example.com\n\n- [ ] task\n");
        assert!(h.contains("[^1]"), "{h}");
        assert!(!h.contains("<a href=\"https://example.com\""), "{h}");
        assert!(h.contains("[ ] task"), "{h}");
    }

    #[test]
    fn raw_html_passes_through() {
        let (h, _) =
            html_of("<aside class=\"notice\">\nKeep <code>this</code>\n\n**raw**\n</aside>\n");
        assert!(
            h.contains("<aside class=\"notice\">\nKeep <code>this</code>\n\n**raw**\n</aside>"),
            "{h}"
        );
    }

    #[test]
    fn indented_text_is_prose() {
        let (h, _) = html_of("Intro\n\n    not code\n");
        assert!(h.contains("<p>not code</p>"), "{h}");
        assert!(!h.contains("<pre"), "{h}");
    }
}
