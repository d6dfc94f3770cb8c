//! The state of one render: redcarpet's `struct sd_markdown` with Slate's options.

use super::refs::Refs;
use super::render::Renderer;
use super::text::Text;

/// redcarpet's `max_nesting`, as the Ruby binding sets it (16): once this many work
/// buffers are in use (one per blockquote, list, paragraph; two per list item; one per
/// emphasis, link or table cell...), deeper content is not parsed and not shown.
pub(crate) const MAX_NESTING: usize = 16;

/// One render of one file.
pub(crate) struct Parser<'r> {
    pub refs: Refs,
    /// Work buffers in use: `work_bufs[BUFFER_BLOCK].size + work_bufs[BUFFER_SPAN].size`.
    pub depth: usize,
    pub r: Renderer<'r>,
    /// Where content was dropped for being nested too deep: the first line, and how many
    /// times.
    pub dropped: Option<(usize, usize)>,
    /// Bytes of link destinations and titles written from reference definitions so far
    /// (see [`Parser::ref_budget`]).
    pub ref_bytes: usize,
    /// The most such bytes a document may write: references can repeat a long URL many
    /// times, an output quadratic in the input.
    pub ref_budget: usize,
    /// Reference links not expanded for being over the budget: first line, count.
    pub refs_over: Option<(usize, usize)>,
    /// Empty cells a table may still write to pad its short rows.
    pub cell_budget: usize,
    /// Tables whose short rows stopped being padded: first line, count.
    pub cells_over: Option<(usize, usize)>,
}

impl<'r> Parser<'r> {
    pub fn new(refs: Refs, r: Renderer<'r>, doc_len: usize) -> Self {
        Parser {
            refs,
            depth: 0,
            r,
            dropped: None,
            ref_bytes: 0,
            ref_budget: doc_len.saturating_mul(16).max(1 << 20),
            refs_over: None,
            cell_budget: 0,
            cells_over: None,
        }
    }

    /// Whether the work buffers in use are past [`MAX_NESTING`] (redcarpet's check at the
    /// top of `parse_block` and `parse_inline`); notes the drop when there was content.
    pub fn too_deep(&mut self, t: &Text, beg: usize, end: usize) -> bool {
        if self.depth <= MAX_NESTING {
            return false;
        }
        if t.d[beg.min(end)..end]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
        {
            note(&mut self.dropped, t.line_at(beg));
        }
        true
    }
}

/// Counts one more occurrence of something worth a warning, keeping the first line.
pub(crate) fn note(slot: &mut Option<(usize, usize)>, line: usize) {
    match slot {
        Some((_, n)) => *n += 1,
        None => *slot = Some((line, 1)),
    }
}
