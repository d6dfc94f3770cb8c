//! Pipe tables: port of markdown.c's `parse_table`, `parse_table_header` and
//! `parse_table_row`. A table is a header row with a `|`, a delimiter row with at least
//! as many cells of dashes (`:` for alignment), then every following line that has a
//! `|`. Cells are split at every `|` (`\|` too) and a row's cells beyond the header's
//! are dropped; missing ones are written empty.

use super::block::is_space;
use super::parser::{note, Parser};
use super::text::Text;

/// Cell flags (`MKD_TABLE_*`).
pub(crate) const ALIGN_L: u8 = 1;
pub(crate) const ALIGN_R: u8 = 2;
pub(crate) const ALIGN_CENTER: u8 = 3;
pub(crate) const ALIGN_MASK: u8 = 3;
pub(crate) const HEADER: u8 = 4;

/// Empty cells any table may write to pad short rows...
pub(crate) const CELLS_FREE: usize = 4096;
/// ...plus this many per byte of the table: a header of many columns over many
/// one-cell rows would otherwise write cells quadratic in the input.
pub(crate) const CELLS_PER_BYTE: usize = 4;

impl Parser<'_> {
    /// A table at `s`; returns its length, 0 if there is none.
    pub(crate) fn parse_table(&mut self, ob: &mut Vec<u8>, t: &Text, s: usize, e: usize) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        self.depth += 2;
        let mut header = Vec::new();
        let mut body = Vec::new();
        let mut cols = Vec::new();
        // Short rows are padded with empty cells up to a budget proportional to the
        // table's text (see docs/hostile-input.md).
        self.cell_budget = CELLS_FREE;
        let mut i = self.parse_table_header(&mut header, t, s, e, &mut cols);
        if i > 0 {
            while i < size {
                let row_start = i;
                let mut pipes = 0;
                while i < size && data[i] != b'\n' {
                    if data[i] == b'|' {
                        pipes += 1;
                    }
                    i += 1;
                }
                if pipes == 0 || i == size {
                    i = row_start;
                    break;
                }
                self.cell_budget = self
                    .cell_budget
                    .saturating_add(CELLS_PER_BYTE * (i - row_start + 1));
                self.parse_table_row(&mut body, t, s + row_start, s + i, &cols, 0);
                i += 1;
            }
            self.r.table(ob, &header, &body);
        }
        self.depth -= 2;
        i
    }

    /// The header row and the delimiter row under it: fills `cols` with each column's
    /// alignment and returns the length of both rows, or 0.
    fn parse_table_header(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        s: usize,
        e: usize,
        cols: &mut Vec<u8>,
    ) -> usize {
        let data = &t.d[s..e];
        let size = data.len();
        let at = |i: usize| data.get(i).copied().unwrap_or(0);
        let mut pipes: isize = 0;
        let mut i = 0;
        while i < size && data[i] != b'\n' {
            if data[i] == b'|' {
                pipes += 1;
            }
            i += 1;
        }
        if i == size || pipes == 0 {
            return 0;
        }
        let mut header_end = i;
        while header_end > 0 && is_space(data[header_end - 1]) {
            header_end -= 1;
        }
        if data[0] == b'|' {
            pipes -= 1;
        }
        if header_end > 0 && data[header_end - 1] == b'|' {
            pipes -= 1;
        }
        let columns = (pipes + 1).max(0) as usize;
        *cols = vec![0u8; columns];

        // The delimiter row.
        i += 1;
        if i < size && data[i] == b'|' {
            i += 1;
        }
        let mut under_end = i;
        while under_end < size && data[under_end] != b'\n' {
            under_end += 1;
        }
        let mut col = 0;
        while col < columns && i < under_end {
            let mut dashes = 0;
            while i < under_end && data[i] == b' ' {
                i += 1;
            }
            if at(i) == b':' {
                i += 1;
                cols[col] |= ALIGN_L;
                dashes += 1;
            }
            while i < under_end && data[i] == b'-' {
                i += 1;
                dashes += 1;
            }
            if i < under_end && data[i] == b':' {
                i += 1;
                cols[col] |= ALIGN_R;
                dashes += 1;
            }
            while i < under_end && data[i] == b' ' {
                i += 1;
            }
            if i < under_end && data[i] != b'|' && data[i] != b'+' {
                break;
            }
            if dashes < 1 {
                break;
            }
            i += 1;
            col += 1;
        }
        if col < columns {
            return 0;
        }
        self.cell_budget = self
            .cell_budget
            .saturating_add(CELLS_PER_BYTE * (under_end + 1));
        self.parse_table_row(ob, t, s, s + header_end, cols, HEADER);
        under_end + 1
    }

    /// One row: its cells up to the header's count, then empty ones.
    fn parse_table_row(
        &mut self,
        ob: &mut Vec<u8>,
        t: &Text,
        s: usize,
        e: usize,
        cols: &[u8],
        header: u8,
    ) {
        let data = &t.d[s..e];
        let size = data.len();
        let columns = cols.len();
        self.depth += 1;
        let mut row = Vec::new();
        let mut i = 0;
        if i < size && data[i] == b'|' {
            i += 1;
        }
        let mut col = 0;
        while col < columns && i < size {
            self.depth += 1;
            let mut cell = Vec::new();
            while i < size && is_space(data[i]) {
                i += 1;
            }
            let cell_start = i;
            while i < size && data[i] != b'|' {
                i += 1;
            }
            let mut cell_end = i as isize - 1;
            while cell_end > cell_start as isize && is_space(data[cell_end as usize]) {
                cell_end -= 1;
            }
            let len = (1 + cell_end - cell_start as isize).max(0) as usize;
            self.parse_inline(&mut cell, t, s + cell_start, s + cell_start + len);
            self.r.table_cell(&mut row, &cell, cols[col] | header);
            self.depth -= 1;
            i += 1;
            col += 1;
        }
        if col < columns {
            let missing = columns - col;
            if missing > self.cell_budget {
                note(&mut self.cells_over, t.line_at(s));
            } else {
                self.cell_budget -= missing;
                for &flags in &cols[col..] {
                    self.r.table_cell(&mut row, &[], flags | header);
                }
            }
        }
        self.r.table_row(ob, &row);
        self.depth -= 1;
    }
}
