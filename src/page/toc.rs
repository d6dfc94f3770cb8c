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
    /// Heading level (1..3).
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

/// Builds the TOC from headings in document order.
pub fn build(headings: Vec<FoundHeading>) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    // The most recent h1 or h2 and where it went: Some(true) = h1 kept at the top level,
    // Some(false) = h2 kept as a child of the last h1, None = dropped.
    let mut last_upper: Option<(u8, bool)> = None;
    for h in headings {
        let entry = TocEntry {
            title: html_scan::text_of(&h.html),
            id: h.id,
            level: h.level,
            html: h.html,
            children: Vec::new(),
        };
        match entry.level {
            1 => {
                toc.push(entry);
                last_upper = Some((1, true));
            }
            2 => {
                let kept = match toc.last_mut() {
                    Some(parent) => {
                        parent.children.push(entry);
                        true
                    }
                    None => false,
                };
                last_upper = Some((2, kept));
            }
            _ => match last_upper {
                Some((1, true)) => toc.last_mut().expect("an h1 was kept").children.push(entry),
                Some((2, true)) => toc
                    .last_mut()
                    .and_then(|p| p.children.last_mut())
                    .expect("an h2 was kept")
                    .children
                    .push(entry),
                _ => {}
            },
        }
    }
    toc
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
    fn h3_after_dropped_h2_is_dropped() {
        let toc = from_html("<h2 id='x'>X</h2><h3 id='y'>Y</h3>");
        assert!(toc.is_empty());
    }
}
