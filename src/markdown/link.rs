//! Links and images: port of markdown.c's `char_link`. `[text](url "title")`, with
//! blanks (even a line end) allowed between `]` and `(`, a destination that may span
//! lines and hold spaces and balanced parentheses; `[text][id]`, `[text][]` and `[id]`
//! through the reference definitions; `!` in front for an image, whose text is its
//! `alt`, not parsed.
//!
//! Like cmark, shale bounds what references may write: past 16 bytes of link
//! destinations and titles per byte of the document, reference links stay text (see
//! [`Parser::ref_budget`]).

use std::borrow::Cow;

use super::block::is_space;
use super::inline::unescape;
use super::parser::{note, Parser};
use super::refs::{hash_id, LinkDef};
use super::text::Text;

impl Parser<'_> {
    pub(crate) fn char_link(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        p: usize,
        offset: usize,
        end: usize,
    ) -> usize {
        let org_depth = self.depth;
        let n = self.link_or_image(ob, t, p, offset, end);
        self.depth = org_depth;
        n
    }

    fn link_or_image(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        p: usize,
        offset: usize,
        end: usize,
    ) -> usize {
        let d = &t.d;
        let data = &d[p..end];
        let size = data.len();
        let is_img = offset > 0 && d[p - 1] == b'!';

        // The matching closing bracket.
        let (txt_e, text_has_nl) = match t.index.match_bracket(d, p, end) {
            Some((q, nl)) => (q - p, nl),
            None => return 0,
        };
        let mut i = txt_e + 1;
        // Any blanks, even line ends, before `(` or `[`.
        while i < size && is_space(data[i]) {
            i += 1;
        }

        let link: Option<Cow<[u8]>>;
        let title: Option<Cow<[u8]>>;
        if i < size && data[i] == b'(' {
            // Inline: `(url "title")`.
            i += 1;
            while i < size && is_space(data[i]) {
                i += 1;
            }
            let mut link_b = i;
            i = match t.index.find_link_end(d, p + i, end) {
                Some(q) => q - p,
                None => return 0,
            };
            let mut link_e = i;
            let (mut title_b, mut title_e) = (0, 0);
            if data[i] == b'\'' || data[i] == b'"' {
                let qtype = data[i];
                i += 1;
                title_b = i;
                i = match t.index.find_title_end(d, qtype, p + i, end) {
                    Some(q) => q - p,
                    None => return 0,
                };
                title_e = i - 1;
                while title_e > title_b && is_space(data[title_e]) {
                    title_e -= 1;
                }
                // No closing quote: the "title" is part of the link.
                if data[title_e] != b'\'' && data[title_e] != b'"' {
                    title_b = 0;
                    title_e = 0;
                    link_e = i;
                }
            }
            while link_e > link_b && is_space(data[link_e - 1]) {
                link_e -= 1;
            }
            if data[link_b] == b'<' {
                link_b += 1;
            }
            if data[link_e - 1] == b'>' {
                link_e -= 1;
            }
            link = (link_e > link_b).then(|| Cow::Borrowed(&data[link_b..link_e]));
            if link.is_some() {
                self.depth += 1;
            }
            title = (title_e > title_b).then(|| Cow::Borrowed(&data[title_b..title_e]));
            if title.is_some() {
                self.depth += 1;
            }
            i += 1;
        } else {
            // `[text][id]`, `[text][]` or `[text]`.
            let def = if i < size && data[i] == b'[' {
                i += 1;
                let link_b = i;
                i = match t.index.find(d, b']', p + i, end) {
                    Some(q) => q - p,
                    None => return 0,
                };
                let hash = if link_b == i {
                    self.id_of_text(t, p, txt_e, text_has_nl)
                } else {
                    Some(hash_id(&data[link_b..i]))
                };
                i += 1;
                hash
            } else {
                i = txt_e + 1;
                self.id_of_text(t, p, txt_e, text_has_nl)
            };
            let Some(def) = def.and_then(|h| self.expand_ref(h, t.line_at(p))) else {
                return 0;
            };
            link = Some(Cow::Owned(def.link));
            title = def.title.map(Cow::Owned);
        }

        // The content: an image's alt text as written, a link's text parsed.
        let mut content = None;
        if txt_e > 1 {
            self.depth += 1;
            if is_img {
                content = Some(Cow::Borrowed(&data[1..txt_e]));
            } else {
                let mut c = Vec::new();
                self.parse_inline(&mut c, t, p + 1, p + txt_e);
                content = Some(Cow::Owned(c));
            }
        }
        let u_link = link.map(|l| unescape(&l));
        if u_link.is_some() {
            self.depth += 1;
        }
        let line = t.line_at(p);
        let done = if is_img {
            if ob.last() == Some(&b'!') {
                ob.pop();
            }
            self.r.image(
                ob,
                u_link.as_deref(),
                title.as_deref(),
                content.as_deref(),
                line,
            )
        } else {
            self.r.link(
                ob,
                u_link.as_deref(),
                title.as_deref(),
                content.as_deref(),
                line,
            )
        };
        if done {
            i
        } else {
            0
        }
    }

    /// The hash of the id the link text `data[1..txt_e]` names (line ends as spaces,
    /// one per run of space and line end); `None` when there are no references.
    fn id_of_text(&mut self, t: &Text, p: usize, txt_e: usize, has_nl: bool) -> Option<u32> {
        if self.refs.is_empty() {
            return None;
        }
        if has_nl {
            // The buffer redcarpet builds the id in.
            self.depth += 1;
        }
        Some(t.index.id_hash(&t.d, p + 1, p + txt_e))
    }

    /// The definition with id hash `hash`, if there is one and what it writes fits in the
    /// document's budget.
    fn expand_ref(&mut self, hash: u32, line: usize) -> Option<LinkDef> {
        let def = self.refs.get(hash)?;
        let bytes = def.link.len() + def.title.as_ref().map_or(0, Vec::len);
        if self.ref_bytes.saturating_add(bytes) > self.ref_budget {
            note(&mut self.refs_over, line);
            return None;
        }
        self.ref_bytes += bytes;
        Some(def.clone())
    }
}
