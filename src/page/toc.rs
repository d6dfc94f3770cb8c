//! The table of contents, built as Slate's `toc_data` builds it: from every `h1`, `h2`
//! and `h3` of the assembled page (raw-HTML headings too), `h3`s nested under the nearest
//! `h1`/`h2`, `h2`s under the nearest `h1`, orphans dropped. The layout prints two levels:
//! each `h1`, and its direct children whatever their level.

use serde::Serialize;

use crate::util::html_scan::{self, FoundHeading};

/// One TOC entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Target id (empty for a raw heading without one, as in Slate).
    pub id: String,
    /// Heading level (1..4).
    pub level: u8,
    /// Plain text, for `data-title` and `document.title`.
    pub title: String,
    /// Inner HTML of the heading.
    pub html: String,
    pub children: Vec<TocEntry>,
}

/// Builds the TOC from the page's HTML.
pub fn from_html(html: &str) -> Vec<TocEntry> {
    build(html_scan::headings(html))
}

/// Builds the TOC from headings in document order: Slate's `h1`..`h3` as Slate nests
/// them, and each `h4` under the heading above it of a lower level (for `toc_depth: 4`;
/// [`without_h4`] takes them out again).
///
/// A heading goes under the last heading before it of a lower level, when that one was
/// kept; an `h1` is at the top; anything else is dropped (Slate's orphans). For `h2` and
/// `h3` this is Slate's rule: an `h2` under the last `h1`, an `h3` under the last `h1`
/// or `h2`, whichever came last.
pub fn build(headings: Vec<FoundHeading>) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    // The headings above the next one, each of a higher level than the one before it:
    // its level, and its index among its parent's children (None: dropped).
    let mut open: Vec<(u8, Option<usize>)> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            title: html_scan::text_of(&h.html),
            id: h.id,
            level: h.level,
            html: h.html,
            children: Vec::new(),
        };
        while open.last().is_some_and(|&(l, _)| l >= entry.level) {
            open.pop();
        }
        let level = entry.level;
        let at = if level == 1 {
            toc.push(entry);
            Some(toc.len() - 1)
        } else if !open.is_empty() && open.iter().all(|(_, at)| at.is_some()) {
            let mut list = &mut toc;
            for (_, at) in &open {
                list = &mut list[at.expect("kept")].children;
            }
            list.push(entry);
            Some(list.len() - 1)
        } else {
            None
        };
        open.push((level, at));
    }
    toc
}

/// The TOC without its `h4` entries: Slate's (`toc_depth` up to 3).
pub fn without_h4(toc: &mut Vec<TocEntry>) {
    toc.retain(|e| e.level < 4);
    for e in toc {
        without_h4(&mut e.children);
    }
}

/// Whether the TOC has an `h4` entry.
pub fn has_h4(toc: &[TocEntry]) -> bool {
    toc.iter().any(|e| e.level >= 4 || has_h4(&e.children))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(toc: &[TocEntry]) -> Vec<(String, Vec<String>)> {
        toc.iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.children.iter().map(|c| c.id.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn nests_like_slate() {
        let html = "<h2 id='orphan'>O</h2><h3 id='orphan3'>O</h3><h1 id='a'>A</h1><h3 id='a3'>promoted</h3><h2 id='b'>B</h2><h3 id='b3'>hidden</h3><h1 id='c'>C &amp; D</h1>";
        let toc = from_html(html);
        assert_eq!(
            shape(&toc),
            vec![
                ("a".to_string(), vec!["a3".to_string(), "b".to_string()]),
                ("c".to_string(), vec![]),
            ]
        );
        assert_eq!(toc[0].children[1].children[0].id, "b3");
        assert_eq!(toc[1].title, "C & D");
        assert_eq!(toc[1].html, "C &amp; D");
    }

    #[test]
    fn h4_goes_under_the_heading_above_it() {
        let html = "<h4 id='o'>O</h4><h1 id='a'>A</h1><h4 id='a4'>A4</h4><h2 id='b'>B</h2><h3 id='c'>C</h3><h4 id='c4'>C4</h4><h2 id='d'>D</h2><h4 id='d4'>D4</h4>";
        let mut toc = from_html(html);
        assert_eq!(
            shape(&toc),
            vec![(
                "a".to_string(),
                vec!["a4".to_string(), "b".to_string(), "d".to_string()]
            )]
        );
        assert_eq!(toc[0].children[1].children[0].children[0].id, "c4");
        assert_eq!(toc[0].children[2].children[0].id, "d4");
        assert!(has_h4(&toc));
        without_h4(&mut toc);
        assert!(!has_h4(&toc));
        assert_eq!(
            toc,
            from_html(&html.replace("h4", "h5")),
            "Slate's TOC once the h4s are out"
        );
    }

    #[test]
    fn h3_after_dropped_h2_is_dropped() {
        let toc = from_html("<h2 id='x'>X</h2><h3 id='y'>Y</h3>");
        assert!(toc.is_empty());
    }
}
