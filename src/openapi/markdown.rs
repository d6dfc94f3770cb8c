//! Writing Slate's markdown dialect (redcarpet 3.6.0): escaping text for prose, headings
//! and table cells, and the ids of the page: unique, heading ids computed as Slate
//! computes them. Descriptions are in [`super::prose`].

use std::collections::{HashMap, HashSet};

use crate::markdown::slug::heading_slug;

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
            // (`^` and `$` are text: Slate's redcarpet has no superscript or math.)
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' | '=' => {
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

/// Text for an HTML attribute or element (raw HTML blocks: asides, headings).
pub fn html(text: &str) -> String {
    crate::util::escape::html(text)
}

/// What the page writes, per file and in order, that Slate's per-file counter of
/// heading ids sees: a generated markdown heading (its id), or a description with
/// headings (its number in [`super::prose::Descs`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logged {
    Heading(String),
    Desc(usize),
}

/// The heading and anchor ids of one page (the page and all its includes).
#[derive(Debug, Default)]
pub struct Ids {
    used: HashSet<String>,
    /// Per file of the page, in order.
    log: Vec<Vec<Logged>>,
    /// Heading text ([`super::prose::loose`]) → id, the first heading with that text.
    names: HashMap<String, String>,
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

    /// Whether an id is taken.
    pub fn taken(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    /// Takes an id (written by a description).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// Every id taken.
    pub fn all(&self) -> &HashSet<String> {
        &self.used
    }

    /// Heading text → id, for links that name a heading.
    pub fn names(&self) -> &HashMap<String, String> {
        &self.names
    }

    /// Records that heading `text` has id `id` (the first with that text is kept).
    pub fn name(&mut self, text: &str, id: &str) {
        self.names
            .entry(super::prose::loose(text))
            .or_insert_with(|| id.to_string());
    }

    /// The writer starts the next file of the page.
    pub fn begin_file(&mut self) {
        self.log.push(Vec::new());
    }

    pub fn log(&mut self, entry: Logged) {
        if self.log.is_empty() {
            self.log.push(Vec::new());
        }
        if let Some(f) = self.log.last_mut() {
            f.push(entry);
        }
    }

    /// The log, per file.
    pub fn take_log(&mut self) -> Vec<Vec<Logged>> {
        std::mem::take(&mut self.log)
    }

    /// A markdown heading's text whose Slate id is unique on the page: `text`, else the
    /// first free alternative, else `text (2)`, `text (3)`… Returns (markdown, id).
    pub fn heading(&mut self, text: &str, alternatives: &[String]) -> (String, String) {
        let (md, id) = self.heading_unwritten(text, alternatives);
        self.log(Logged::Heading(id.clone()));
        (md, id)
    }

    /// As [`Ids::heading`], for a heading not written as markdown.
    pub fn heading_unwritten(&mut self, text: &str, alternatives: &[String]) -> (String, String) {
        let text = if text.trim().is_empty() {
            "Untitled"
        } else {
            text
        };
        let candidates = std::iter::once(text.to_string())
            .chain(alternatives.iter().cloned())
            .chain((2..).map(|n| format!("{text} ({n})")));
        for c in candidates {
            let md = heading_inline(&c);
            let id = heading_slug(&html_of_inline(&c));
            if !self.used.contains(&id) {
                self.used.insert(id.clone());
                self.name(&c, &id);
                return (md, id);
            }
        }
        unreachable!()
    }
}

/// [`inline`] for an ATX heading's text. Redcarpet drops a heading's trailing `#`s even
/// when escaped (`# C\#` is the heading `C\`), so a text ending in `#` gets a closing
/// `#` (`# C\# #` is the heading `C#`).
fn heading_inline(text: &str) -> String {
    let mut md = inline(text);
    if md.ends_with('#') {
        md.push_str(" #");
    }
    md
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
    crate::util::escape::html(&collapsed)
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
        // Not special in Slate's redcarpet: written as they are (Google's `$.xgafv`).
        assert_eq!(inline("$.xgafv ^x"), "$.xgafv ^x");
        assert_eq!(
            super::super::prose::cell_line("one\n\ntwo | three\n"),
            "one<br><br>two &#124; three"
        );
    }

    #[test]
    fn a_heading_ending_in_a_hash_keeps_it() {
        // tags `\` and `#`: written `\\` and `\#`, the second would be the heading `\`
        let mut ids = Ids::default();
        let (back, back_id) = ids.heading("\\", &[]);
        let (hash, hash_id) = ids.heading("#", &[]);
        let (csharp, _) = ids.heading("C#", &[]);
        assert_eq!(
            (back.as_str(), hash.as_str(), csharp.as_str()),
            ("\\\\", "\\# #", "C\\# #")
        );
        assert_ne!(back_id, hash_id);
        // what the markdown stage makes of them: those texts and those ids
        for (md, text, id) in [(&hash, "#", &hash_id), (&back, "\\", &back_id)] {
            let part = crate::markdown::render(&format!("# {md}\n"), &crate::util::url::KeepUrls);
            assert_eq!(part.headings[0].html, text);
            assert_eq!(&part.headings[0].slate_id, id);
        }
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
}
