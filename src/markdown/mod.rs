//! Slate's markdown: a port of redcarpet 3.6.0, the parser Slate pins, with Slate's
//! options and renderer.
//!
//! Slate renders markdown with redcarpet (a C library, `markdown.c` and `html.c`) with
//! the extensions `fenced_code_blocks`, `disable_indented_code_blocks`, `strikethrough`,
//! `tables` and `no_intra_emphasis`, redcarpet's HTML renderer with no flags, and Ruby
//! callbacks for headings, code blocks, links and images. No crate reproduces that
//! dialect (pulldown-cmark and comrak are CommonMark), so this module ports the C code
//! function by function, the same decisions in the same order, on byte slices:
//!
//! - `text.rs`: the first pass (reference definitions, tabs, line ends) and the buffers
//!   parsed, each with the source line of its lines;
//! - `block.rs`, `html_block.rs`, `table.rs`: block-level parsing;
//! - `inline.rs`, `emphasis.rs`, `link.rs`: inline parsing;
//! - `render.rs`: the callbacks, Slate's and redcarpet's, and what shale collects;
//! - `index.rs`: searches that keep long scans from repeating (redcarpet rescans the rest
//!   of a paragraph for every unmatched `*`, `[` or backtick, and the rest of the document
//!   for every unclosed `<div>`), with the same results.
//!
//! redcarpet is © 2009 Natacha Porté, © 2015 Vicent Marti, MIT licence: see
//! `REDCARPET-COPYING` beside this file.
//!
//! The result of a file is a [`Part`]: its HTML in runs, with slots for headings and
//! code blocks, which [`crate::page`] fills once ids are unique across the page and code
//! is highlighted.

mod block;
pub mod custom_id;
mod emphasis;
mod html_block;
mod index;
mod inline;
mod link;
mod parser;
mod refs;
mod render;
pub mod slug;
mod table;
mod text;

pub(crate) use refs::parse_ref;

use std::collections::HashSet;

use crate::highlight::Fence;
use crate::util::url::{KeepUrls, Resolver};

/// A piece of a rendered file: HTML, or a slot filled in when the page is assembled.
#[derive(Debug)]
pub enum Item {
    /// HTML as it goes into the page.
    Html(String),
    /// `headings[i]` of the part.
    Heading(usize),
    /// `code_blocks[i]` of the part.
    Code(usize),
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
    /// Whether `slate_id` is the author's own (`## Title {#id}`, a shale extension).
    pub custom: bool,
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

/// One rendered file.
#[derive(Debug, Default)]
pub struct Part {
    pub items: Vec<Item>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    /// Every `id` attribute written in raw HTML of this file.
    pub raw_ids: HashSet<String>,
    /// Markdown links and images, for the link check.
    pub links: Vec<LinkRef>,
    pub warnings: Vec<Warning>,
    /// Mistakes the page cannot be built with (a custom heading id that is not one).
    pub errors: Vec<Warning>,
}

/// A markdown link or image destination, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub url: String,
    pub image: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// Renders one markdown file (a page body or an include) as Slate does.
pub fn render(markdown: &str, resolver: &dyn Resolver) -> Part {
    let mut refs = refs::Refs::default();
    let doc = text::first_pass(markdown.as_bytes(), &mut refs);
    let mut p = parser::Parser::new(refs, render::Renderer::new(resolver), markdown.len());
    let mut ob = Vec::with_capacity(doc.d.len() + doc.d.len() / 2);
    if !doc.d.is_empty() {
        p.parse_block(&mut ob, &doc, 0, doc.d.len());
    }
    let mut warnings = std::mem::take(&mut p.r.warnings);
    let more = |n: usize, what: &str| match n {
        1 => String::new(),
        n => format!(" ({n} {what} in this file)"),
    };
    if let Some((line, n)) = p.dropped {
        warnings.push(Warning {
            line,
            message: format!(
                "this text is nested more than {} levels deep (each list, blockquote, emphasis, link and table counts) and is not shown, as in Slate; nest it less to show it{}",
                parser::MAX_NESTING,
                more(n, "places")
            ),
        });
    }
    if let Some((line, n)) = p.refs_over {
        warnings.push(Warning {
            line,
            message: format!(
                "this reference link is left as text: the file's reference links would write more than 16 times its size{}",
                more(n, "links")
            ),
        });
    }
    if let Some((line, n)) = p.cells_over {
        warnings.push(Warning {
            line,
            message: format!(
                "this table row is left without the empty cells that pad it to the header's columns: the table would write more than {} of them plus {} per byte of it{}",
                table::CELLS_FREE,
                table::CELLS_PER_BYTE,
                more(n, "rows")
            ),
        });
    }
    warnings.sort_by_key(|w| w.line);
    Part {
        items: split_slots(ob),
        headings: p.r.headings,
        code_blocks: p.r.code_blocks,
        raw_ids: p.r.raw_ids,
        links: p.r.links,
        warnings,
        errors: p.r.errors,
    }
}

/// Cuts the rendered bytes at the slot markers the renderer wrote.
fn split_slots(ob: Vec<u8>) -> Vec<Item> {
    let mut items = Vec::new();
    let html = |b: &[u8]| match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    };
    let mut rest = &ob[..];
    while let Some(at) = rest.iter().position(|&b| b == render::MARK) {
        if at > 0 {
            items.push(Item::Html(html(&rest[..at])));
        }
        let end = rest[at + 1..]
            .iter()
            .position(|&b| b == render::MARK)
            .map_or(rest.len(), |e| at + 1 + e);
        let kind = rest.get(at + 1).copied().unwrap_or(0);
        let index = std::str::from_utf8(rest.get(at + 2..end).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        items.push(match kind {
            render::SLOT_HEADING => Item::Heading(index),
            _ => Item::Code(index),
        });
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        items.push(Item::Html(html(rest)));
    }
    items
}

/// The part's HTML with headings as Slate writes them (`<hN id='ID'>`, Slate's ids)
/// and each code block as `code` writes it: what redcarpet gives Slate for one file.
pub fn part_html(part: &Part, code: impl Fn(&CodeBlock) -> String) -> String {
    let mut out = String::new();
    for item in &part.items {
        match item {
            Item::Html(h) => out.push_str(h),
            Item::Heading(i) => {
                let h = &part.headings[*i];
                out.push_str(&format!(
                    "<h{0} id='{1}'>{2}</h{0}>",
                    h.level, h.slate_id, h.html
                ));
            }
            Item::Code(i) => out.push_str(&code(&part.code_blocks[*i])),
        }
    }
    out
}

/// The HTML of one markdown file as `scripts/redcarpet-html.rb` writes redcarpet's:
/// URLs kept, code blocks as `<pre lang="LANG">CODE</pre>` (`& < > "` escaped), for the
/// differential test against redcarpet (`tests/redcarpet.rs`).
pub fn harness_html(markdown: &str) -> String {
    fn attr(out: &mut String, s: &str) {
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
    }
    let part = render(markdown, &KeepUrls);
    part_html(&part, |b| {
        let mut s = String::from("<pre");
        if !b.fence.info.is_empty() {
            s.push_str(" lang=\"");
            attr(&mut s, &b.fence.info);
            s.push('"');
        }
        s.push('>');
        attr(&mut s, &b.code);
        s.push_str("</pre>");
        s
    })
}

/// Redcarpet's text escaping: `& < > " '`.
pub fn escape_text(out: &mut String, s: &str) {
    crate::util::escape::html_into(out, s)
}

/// Escaping for a double-quoted attribute value.
pub fn escape_attr(out: &mut String, s: &str) {
    escape_text(out, s)
}

#[cfg(test)]
#[path = "../../tests/suite/redcarpet/gen.rs"]
mod gen;

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        harness_html(md)
    }

    fn ids(md: &str) -> Vec<String> {
        render(md, &KeepUrls)
            .headings
            .into_iter()
            .map(|h| h.slate_id)
            .collect()
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
    fn redcarpet_corners_from_issue_12() {
        // A closer followed by a letter still closes; an opener after a non-ASCII letter opens.
        assert_eq!(
            html("**bar**s 是_时间戳_ foo*bar*baz\n"),
            "<p><strong>bar</strong>s 是<em>时间戳</em> foo*bar*baz</p>\n"
        );
        // Headings need their `#` or underline in the first column.
        assert_eq!(html(" #### Title\n"), "<p>#### Title</p>\n");
        assert_eq!(html("Title\n ===\n"), "<p>Title\n ===</p>\n");
        // A destination across a line end; a space between `]` and `(`.
        assert_eq!(
            html("[a](#the-contract-\nperiod) [b] (u)\n"),
            "<p><a href=\"#the-contract-\nperiod\">a</a> <a href=\"u\">b</a></p>\n"
        );
        // A backslash before a line end or `$` stays.
        assert_eq!(html("a\\\nb \\$5\n"), "<p>a\\\nb \\$5</p>\n");
        // Code spans: edge spaces trimmed, a longer run closes a shorter one's search.
        assert_eq!(
            html("` a ` ``b`c``\n"),
            "<p><code>a</code> <code>b`c</code></p>\n"
        );
        // A fence indented by 1-3 spaces keeps the indent in the code.
        assert_eq!(html("  ```\n  x\n  ```\n"), "<pre>  x\n</pre>");
    }

    #[test]
    fn no_markup_the_author_did_not_write() {
        assert_eq!(html("see ](a b) here\n"), "<p>see ](a b) here</p>\n");
        // shale: a tag with a name no browser shows as text stays text.
        assert_eq!(
            html("Use <YOUR_API_KEY> here\n"),
            "<p>Use &lt;YOUR_API_KEY&gt; here</p>\n"
        );
        assert_eq!(html("a <span>b</span>\n"), "<p>a <span>b</span></p>\n");
    }

    #[test]
    fn tables_as_redcarpet_splits_them() {
        let h = html("    a | b\n--|--|--\n1 | 2 \\| 3\n");
        assert!(
            h.starts_with("<table><thead>\n<tr>\n<th>a</th>\n<th>b</th>"),
            "{h}"
        );
        assert!(h.contains("<td>1</td>\n<td>2 \\</td>"), "{h}");
    }

    #[test]
    fn lines_are_source_lines() {
        let md = "<div>\none\n\ntwo\n\nthree\n</div>\n\n# Heading\n\n> - quoted [link](#x)\n>\n> ```\n> code\n> ```\n";
        let part = render(md, &KeepUrls);
        assert_eq!(part.headings[0].line, 9);
        assert_eq!(part.links[0].line, 11);
        assert_eq!(part.code_blocks[0].line, 13);
    }

    #[test]
    fn slots_split_the_html() {
        let part = render("# A\n\n```\nx\n```\ntext\n", &KeepUrls);
        assert!(matches!(part.items[0], Item::Heading(0)));
        // Slate's heading and code callbacks add no newline.
        assert!(matches!(part.items[1], Item::Code(0)));
        let Item::Html(h) = &part.items[2] else {
            panic!("{:?}", part.items)
        };
        assert_eq!(h, "\n<p>text</p>\n");
    }

    /// Renders `md` with the searches in `mode`.
    fn html_in(mode: index::Mode, md: &str) -> String {
        index::set_mode(mode);
        let h = harness_html(md);
        index::set_mode(index::Mode::Auto);
        h
    }

    /// Inputs where redcarpet's scans run far: markers without a match, nested
    /// brackets, unclosed tags, backtick runs, link destinations and titles that do not
    /// end, emphasis walking past many candidates.
    fn far_scans() -> Vec<String> {
        let n = 300;
        let mut v: Vec<String> = [
            "[".repeat(n) + "a" + &"]".repeat(n),
            "*a **a ".repeat(n),
            "*a ".repeat(n) + "*",
            "**a ".repeat(n) + "b**",
            "~~a ".repeat(n) + "b~~",
            "_a ".repeat(n) + "b_",
            "***a ".repeat(n) + "b***",
            "`a``".repeat(n),
            (1..40).rev().map(|k| "`".repeat(k) + "a").collect(),
            "[a](b".repeat(n) + ")",
            r#"[a](b (c) \) "t"#.repeat(n) + "\")",
            "<a href=\"".repeat(n) + ">",
            "![[]()".repeat(n),
            "<div>\n\n".repeat(n) + "</div>\n",
            "<div>\nx </div>\n".repeat(n),
            "<!--\n\n".repeat(n) + "-->\n",
            "<hrx\n\n".repeat(n) + ">\n",
            "<a:b".repeat(n) + ">",
            "[r]: /u\n\n".to_string() + &"[\n".repeat(n) + "r" + &"]".repeat(n),
            "[r]: /u\n\n".to_string() + &"[".repeat(n) + "r" + &"]".repeat(n) + " [r]",
            "\\\\[".repeat(n) + "]",
            "*[ ".repeat(n) + "a*",
            "[a][".repeat(n) + "]",
            "*a [b](".repeat(n) + ")*",
        ]
        .into_iter()
        .collect();
        for k in 0..v.len() {
            v.push(format!("> - {}\n", v[k]));
        }
        v
    }

    #[test]
    fn search_tables_find_what_scans_find() {
        let mut docs = far_scans();
        docs.extend((0..400).map(gen::document));
        for md in &docs {
            let scan = html_in(index::Mode::Scan, md);
            assert_eq!(scan, html_in(index::Mode::Tables, md), "{md:?}");
            assert_eq!(scan, html_in(index::Mode::Auto, md), "{md:?}");
        }
    }

    #[test]
    fn table_padding_is_bounded() {
        // 3,000 columns over 3,000 one-cell rows: redcarpet would write 9 million cells.
        let cols = 3000;
        let md = format!(
            "{}\n{}\n{}",
            vec!["h"; cols].join("|"),
            vec!["-"; cols].join("|"),
            "x|\n".repeat(3000)
        );
        let part = render(&md, &KeepUrls);
        let html = part_html(&part, |_| String::new());
        let cells = html.matches("<td></td>").count();
        assert!(
            cells < table::CELLS_FREE + table::CELLS_PER_BYTE * md.len(),
            "{cells}"
        );
        assert!(
            cells >= table::CELLS_FREE,
            "short rows are padded while the budget lasts"
        );
        let w = &part.warnings[0];
        assert!(w.message.contains("left without the empty cells"), "{w:?}");
        assert!(
            w.line > 3 && w.message.contains("rows in this file"),
            "{w:?}"
        );
        // An ordinary table is padded as redcarpet pads it.
        let h = html_in(index::Mode::Auto, "a | b | c\n--|--|--\n1 |\n2 | x\n");
        assert_eq!(h.matches("<td></td>").count(), 3, "{h}");
    }

    #[test]
    fn reference_expansion_is_bounded() {
        let url = "u".repeat(100_000);
        let md = format!("[r]: /{url}\n\n{}\n\nlater [r]\n", "[r] ".repeat(100));
        let part = render(&md, &KeepUrls);
        let html = part_html(&part, |_| String::new());
        let expanded = html.matches(&url).count();
        assert!((10..100).contains(&expanded), "{expanded}");
        assert!(html.contains("later [r]"));
        let w = &part.warnings[0];
        assert_eq!(w.line, 3);
        assert!(
            w.message.contains("reference link is left as text"),
            "{w:?}"
        );
    }

    /// Makes links from the site root relative, as the site's resolver does.
    struct Relative;
    impl Resolver for Relative {
        fn image(&self, _src: &str) -> Option<String> {
            None
        }
        fn link(&self, url: &str) -> Option<String> {
            url.strip_prefix('/').map(str::to_string)
        }
    }

    #[test]
    fn heading_ids_hash_the_html_slate_writes() {
        // No Latin letters: Slate's id is the SHA-1 of the inner HTML, with the link as
        // written; shale writes the link relative but keeps Slate's id.
        let part = render("# [日本語](/ja/) <a href=\"/x\">語</a>\n", &Relative);
        let h = &part.headings[0];
        assert_eq!(h.html, "<a href=\"ja/\">日本語</a> <a href=\"x\">語</a>");
        let slate_html = "<a href=\"/ja/\">日本語</a> <a href=\"/x\">語</a>";
        assert_eq!(h.slate_id, crate::markdown::slug::heading_slug(slate_html));
        assert_ne!(h.slate_id, crate::markdown::slug::heading_slug(&h.html));
        // Outside headings, links are written resolved.
        let part = render("[a](/b) <a href=\"/c\">c</a>\n", &Relative);
        assert_eq!(
            part_html(&part, |_| String::new()),
            "<p><a href=\"b\">a</a> <a href=\"c\">c</a></p>\n"
        );
    }
}
