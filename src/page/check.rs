//! Checks of a rendered page that end in warnings (errors with `--strict`): links to
//! anchors no element carries, links and images to files that do not exist, language
//! tabs that no code block uses, code fences whose language has no highlighter.

use std::collections::HashSet;

use crate::highlight;
use crate::load::frontmatter::FrontMatter;
use crate::markdown::Part;
use crate::util::url::{percent_decode, Resolver};
use crate::Diagnostic;

/// Where a part of the page comes from, for messages.
pub struct Origin<'a> {
    pub label: &'a str,
    /// Line of the file where the part's text starts.
    pub first_line: usize,
    /// The file line of each line of the part's text, when they are not consecutive
    /// from `first_line` (text written by ERB); empty otherwise.
    pub lines: &'a [usize],
}

impl Origin<'_> {
    /// The file line of line `line` (1-based) of the part's text.
    pub fn line(&self, line: usize) -> usize {
        file_line(self.first_line, self.lines, line)
    }
}

/// Line `line` (1-based) of a text that starts at `first_line` of its file, or whose
/// lines come from the file lines `lines` (when not empty).
pub fn file_line(first_line: usize, lines: &[usize], line: usize) -> usize {
    match (lines.get(line.saturating_sub(1)), lines.last()) {
        (Some(&l), _) => l,
        (None, Some(&last)) => last + line - lines.len(),
        (None, None) => first_line + line.saturating_sub(1),
    }
}

/// Links and images of every part, against the page's ids and the site's files.
pub fn links(
    parts: &[&Part],
    origins: &[Origin],
    ids: &HashSet<&str>,
    resolver: &dyn Resolver,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (part, origin) in parts.iter().zip(origins) {
        for link in &part.links {
            let line = origin.line(link.line);
            if let Some(fragment) = link.url.strip_prefix('#') {
                let id = percent_decode(fragment);
                if !id.is_empty() && !ids.contains(id.as_str()) {
                    out.push(Diagnostic::new(
                        origin.label,
                        line,
                        format!(
                            "link to `#{fragment}`, but no element of this page has the id `{id}`"
                        ),
                    ));
                }
                continue;
            }
            if resolver.local_exists(&link.url, link.image) == Some(false) {
                let what = if link.image { "image" } else { "link" };
                out.push(Diagnostic::new(
                    origin.label,
                    line,
                    format!(
                        "{what} `{}` points to a file that is not in the source folder",
                        link.url
                    ),
                ));
            }
        }
    }
    out
}

/// Language tabs that no code block of the page uses, and fences with a language that
/// has no highlighter (shown as plain text).
pub fn code(
    front: &FrontMatter,
    page_label: &str,
    parts: &[&Part],
    origins: &[Origin],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut used: HashSet<&str> = HashSet::new();
    let mut unknown: HashSet<&str> = HashSet::new();
    for (part, origin) in parts.iter().zip(origins) {
        for block in &part.code_blocks {
            if let Some(tab) = &block.fence.tab {
                used.insert(tab);
            }
            let lang = block.fence.base.as_str();
            if !lang.is_empty()
                && block.fence.lexer == "plaintext"
                && !is_plain(lang)
                && unknown.insert(lang)
            {
                out.push(Diagnostic::new(
                    origin.label,
                    origin.line(block.line),
                    format!("no highlighter for code language `{lang}`; the block is shown as plain text (language names are case-sensitive: `ruby`, `json`)"),
                ));
            } else if !lang.is_empty()
                && block.fence.lexer != "plaintext"
                && !highlight::has_highlighter(block.fence.lexer)
                && unknown.insert(lang)
            {
                out.push(Diagnostic::new(
                    origin.label,
                    origin.line(block.line),
                    format!("code language `{lang}` is known but shale has no highlighter for it; the block is shown as plain text"),
                ));
            }
        }
    }
    for tab in &front.language_tabs {
        if !used.contains(tab.key.as_str()) {
            out.push(Diagnostic::new(
                page_label,
                front.key_line("language_tabs").unwrap_or(1),
                format!(
                    "language tab `{}` is used by no code block of this page: no fence gets the class `tab-{}` (```{} does when `{}` is a highlighter's name; otherwise write ```LANGUAGE--{})",
                    tab.key, tab.key, tab.key, tab.key, tab.key
                ),
            ));
        }
    }
    out
}

fn is_plain(lang: &str) -> bool {
    matches!(lang, "plaintext" | "text" | "plain" | "txt")
}
