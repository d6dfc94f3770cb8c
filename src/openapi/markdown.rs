//! Writing Slate's markdown dialect (redcarpet 3.6.0): escaping text for prose, headings
//! and table cells, unique heading ids computed as Slate computes them, and the CommonMark
//! descriptions of a spec adjusted to redcarpet's rules (a blank line before a list,
//! fence, table, quote or HTML block; indented code fenced).

use std::collections::HashSet;

use crate::slug::heading_slug;

/// Escapes plain text (a name, a summary) for markdown prose: markdown's punctuation
/// with a backslash, `&`, `<` and `>` as entities, runs of whitespace as one space.
pub fn inline(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Inside a word, `_` and `*` are literal (no intra-word emphasis).
            '_' | '*'
                if i > 0
                    && chars[i - 1].is_alphanumeric()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) =>
            {
                out.push(c)
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' | '^' | '$' | '=' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Plain text for a table cell (inline, with `|` as an entity: redcarpet has no `\|`).
pub fn cell_text(text: &str) -> String {
    inline(text).replace("\\|", "&#124;")
}

/// Markdown (a description) for a table cell: one line, line breaks as `<br>`, `|` as
/// an entity.
pub fn cell_markdown(text: &str) -> String {
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

/// Text for an HTML attribute or element (raw HTML blocks: asides, headings).
pub fn html(text: &str) -> String {
    crate::escape::html(text)
}

/// The heading and anchor ids of one page (the page and all its includes).
#[derive(Debug, Default)]
pub struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// Reserves a raw-HTML id: `base`, else `base-2`, `base-3`…
    pub fn anchor(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap()
    }

    /// Whether a raw-HTML id is taken.
    pub fn taken(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    /// A markdown heading's text whose Slate id is unique on the page: `text`, else the
    /// first free alternative, else `text (2)`, `text (3)`… Returns (markdown, id).
    pub fn heading(&mut self, text: &str, alternatives: &[String]) -> (String, String) {
        let text = if text.trim().is_empty() {
            "Untitled"
        } else {
            text
        };
        let candidates = std::iter::once(text.to_string())
            .chain(alternatives.iter().cloned())
            .chain((2..).map(|n| format!("{text} ({n})")));
        for c in candidates {
            let md = inline(&c);
            let id = heading_slug(&html_of_inline(&c));
            if !self.used.contains(&id) {
                self.used.insert(id.clone());
                return (md, id);
            }
        }
        unreachable!()
    }
}

/// The inner HTML redcarpet writes for [`inline`]`(text)`.
fn html_of_inline(text: &str) -> String {
    let mut collapsed = String::new();
    for w in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.extend(w.chars().filter(|c| !c.is_control()));
    }
    crate::escape::html(&collapsed)
}

fn is_fence(line: &str) -> Option<&str> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
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
    if is_fence(line).is_some() {
        Some("fence")
    } else if is_list_item(line) {
        Some("list")
    } else if t.starts_with('|') {
        Some("table")
    } else if t.starts_with('#') {
        Some("heading")
    } else if t.starts_with('>') {
        Some("quote")
    } else if t.starts_with('<')
        && t[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
    {
        Some("html")
    } else {
        None
    }
}

/// A description (CommonMark) as redcarpet reads it the way its author meant: a blank
/// line before each list, fence, table, quote, heading and HTML block that follows a
/// paragraph line; indented code blocks fenced; headings given ids unique on the page.
pub fn prose(text: &str, ids: &mut Ids) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut prev_kind: Option<&'static str> = Some("blank");
    let mut in_list = false;
    let lines: Vec<&str> = text.trim_matches('\n').split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        i += 1;
        if let Some(f) = fence {
            out.push(line.to_string());
            if line.trim_start().starts_with(f)
                && line
                    .trim()
                    .trim_start_matches(f.chars().next().unwrap())
                    .is_empty()
            {
                fence = None;
                prev_kind = Some("fence-end");
            }
            continue;
        }
        if line.trim().is_empty() {
            out.push(String::new());
            prev_kind = Some("blank");
            continue;
        }
        // Indented code after a blank line (outside a list): fenced.
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && prev_kind == Some("blank") && !in_list {
            out.push("```".into());
            let mut block = vec![line];
            while i < lines.len() {
                let l = lines[i].trim_end();
                if l.starts_with("    ") || l.starts_with('\t') || l.is_empty() {
                    block.push(l);
                    i += 1;
                } else {
                    break;
                }
            }
            while block.last().is_some_and(|l| l.is_empty()) {
                block.pop();
            }
            for l in block {
                let l = l
                    .strip_prefix("    ")
                    .or_else(|| l.strip_prefix('\t'))
                    .unwrap_or(l);
                out.push(l.to_string());
            }
            out.push("```".into());
            out.push(String::new());
            prev_kind = Some("blank");
            continue;
        }
        let kind = block_kind(line);
        let continues = match (prev_kind, kind) {
            (Some("blank"), _) => true,
            (Some("list"), Some("list"))
            | (Some("table"), Some("table"))
            | (Some("quote"), Some("quote")) => true,
            // A list item's continuation or a nested item.
            (Some("list"), _) if line.starts_with(' ') => true,
            (_, None) => true,
            _ => false,
        };
        if !continues {
            out.push(String::new());
        }
        if kind == Some("list") {
            in_list = true;
        } else if kind.is_some() || (prev_kind == Some("blank") && !line.starts_with(' ')) {
            in_list = false;
        }
        match kind {
            Some("fence") => {
                fence = is_fence(line);
                out.push(line.to_string());
            }
            Some("heading") => {
                let t = line.trim_start();
                let level = t.bytes().take_while(|&b| b == b'#').count().min(6);
                let body = t[level..].trim().trim_end_matches('#').trim();
                let (md, _) = ids.heading(body, &[]);
                out.push(format!("{} {md}", "#".repeat(level)));
                // A heading is a block of its own.
                out.push(String::new());
                prev_kind = Some("blank");
                continue;
            }
            _ => out.push(line.to_string()),
        }
        prev_kind = kind.or(Some("text"));
        if kind.is_none() && line.starts_with(' ') && in_list {
            prev_kind = Some("list");
        }
    }
    if let Some(f) = fence {
        out.push(f.to_string());
    }
    let mut s = out.join("\n");
    while s.contains("\n\n\n") {
        s = s.replace("\n\n\n", "\n\n");
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_escapes_markdown_and_html() {
        assert_eq!(
            inline("a_b _x *c* <d> & [e]\n f"),
            "a_b \\_x \\*c\\* &lt;d&gt; &amp; \\[e\\] f"
        );
        assert_eq!(cell_text("a|b"), "a&#124;b");
        assert_eq!(
            cell_markdown("one\n\ntwo | three\n"),
            "one<br><br>two &#124; three"
        );
    }

    #[test]
    fn heading_ids_stay_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.heading("Pet", &[]).1, "pet");
        let (md, id) = ids.heading("pet", &["Pet schema".into()]);
        assert_eq!((md.as_str(), id.as_str()), ("Pet schema", "pet-schema"));
        assert_eq!(ids.heading("Pet", &[]).1, "pet-2");
        assert_eq!(ids.anchor("pet-2"), "pet-2-2");
        assert_eq!(
            ids.heading("Tom's \"pets\"", &[]).1,
            "tom-39-s-quot-pets-quot"
        );
    }

    #[test]
    fn prose_follows_redcarpet_rules() {
        let mut ids = Ids::default();
        let got = prose(
            "Intro:\n- a\n- b\ntext\n```\ncode\n```\n\n    indented\n\n# Intro",
            &mut ids,
        );
        assert_eq!(
            got,
            "Intro:\n\n- a\n- b\ntext\n\n```\ncode\n```\n\n```\nindented\n```\n\n# Intro"
        );
        let again = prose("# Intro", &mut ids);
        assert_eq!(again, "# Intro (2)");
    }
}
