//! Searches over one buffer ([`super::text::Text`]) that give exactly what redcarpet's
//! forward scans give, without rescanning.
//!
//! redcarpet scans forward from a marker to the end of the paragraph or document when
//! the marker has no match: every unmatched `[`, `*`, backtick, `<`, every unclosed
//! `<div>` or `<!--` at a block start. A paragraph of such markers costs the square of
//! its length (a few megabytes of `*a ` take minutes). Each search here first scans a
//! little ([`SCAN`] bytes) as the C code does; past that it answers from a table built
//! once per buffer on first need (positions of a byte, bracket and parenthesis levels,
//! backtick runs, closing tags), so an ordinary document never builds one and a hostile
//! one builds each once. [`Index::chain`] memoizes the walk of the emphasis parsers from
//! one closer candidate to the next, and [`Index::id_hash`] hashes reference ids from
//! prefix sums.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::block::is_space;
use super::html_block::end_tag_len;
use super::refs::hash_step;

/// Bytes a search scans before it turns to the tables.
const SCAN: usize = 256;

/// How searches run (tests compare the modes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// Scan [`SCAN`] bytes, then use the tables.
    Auto,
    /// Scan only, as redcarpet does.
    Scan,
    /// Use the tables at once.
    #[cfg_attr(not(test), allow(dead_code))]
    Tables,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Auto) };
}

/// Sets how this thread's searches run (tests).
#[cfg(test)]
pub(crate) fn set_mode(m: Mode) {
    MODE.with(|c| c.set(m));
}

fn mode() -> Mode {
    MODE.with(Cell::get)
}

/// Where the plain scan from `from` stops, and whether the tables take over there.
fn window(from: usize, end: usize) -> (usize, bool) {
    match mode() {
        Mode::Scan => (end, false),
        Mode::Tables => (from.min(end), from < end),
        Mode::Auto => {
            let stop = from.saturating_add(SCAN).min(end);
            (stop, stop < end)
        }
    }
}

/// The first entry of a sorted position list at or after `from`.
fn next_in(list: &[u32], from: usize) -> Option<usize> {
    let k = list.partition_point(|&p| (p as usize) < from);
    list.get(k).map(|&p| p as usize)
}

/// How many entries of a sorted position list are before `x`.
fn count_below(list: &[u32], x: usize) -> usize {
    list.partition_point(|&p| (p as usize) < x)
}

/// Search tables of one buffer, built on first need.
#[derive(Default)]
pub(crate) struct Index {
    tables: RefCell<Option<Box<Tables>>>,
}

#[derive(Default)]
struct Tables {
    /// Positions of a byte.
    bytes: HashMap<u8, Vec<u32>>,
    brackets: Option<Brackets>,
    track: Option<Track>,
    ticks: Option<TickRuns>,
    /// Positions of the `>` of every `-->`.
    comment_ends: Option<Vec<u32>>,
    /// Per block tag: where its closing tags ending their line are.
    closers: HashMap<&'static str, Closers>,
    /// Emphasis walks: `(parser, char, end, start) -> closer` (`u32::MAX`: none).
    chains: HashMap<(u8, u8, u32, u32), u32>,
    hashes: Option<PrefixHash>,
}

/// `[` and `]` not after a backslash, and the bracket level before each `]`.
struct Brackets {
    open: Vec<u32>,
    close: Vec<u32>,
    /// Positions of `]` by the level before them (opens minus closes).
    close_by_level: HashMap<i64, Vec<u32>>,
}

/// The bytes a scan that skips the byte after each backslash visits (from the start of
/// the buffer: scans starting after a byte other than a backslash join it), and the
/// stops of the scans that use it.
struct Track {
    /// Whether each byte is visited.
    on: Vec<u64>,
    open_paren: Vec<u32>,
    close_paren: Vec<u32>,
    /// `)` by the parenthesis level before them.
    close_by_level: HashMap<i64, Vec<u32>>,
    /// A quote right after a blank: where a link title starts.
    quote_after_space: Vec<u32>,
    single_quote: Vec<u32>,
    double_quote: Vec<u32>,
    /// `>`, a quote, a space or a line end: where an autolink stops.
    autolink_stop: Vec<u32>,
}

/// Maximal runs of backticks, and a max-tree over their lengths.
struct TickRuns {
    start: Vec<u32>,
    len: Vec<u32>,
    /// `tree[1]` is the root; leaves from `tree[size]`.
    tree: Vec<u32>,
    size: usize,
}

/// Closing tags `</tag>` ending their line.
#[derive(Default)]
struct Closers {
    all: Vec<u32>,
    /// Those at the start of a line.
    line_start: Vec<u32>,
}

/// redcarpet's id hash over the buffer with each line end as a space (dropped after a
/// space), every [`PrefixHash::STEP`] bytes: hash and length of the prefix.
struct PrefixHash {
    at: Vec<(u32, u32)>,
}

impl PrefixHash {
    const STEP: usize = 64;
}

/// The multiplier of redcarpet's hash step (`h * 65599 + c`).
const HASH_MUL: u32 = 65599;

fn pow_mul(mut e: u32) -> u32 {
    let mut base = HASH_MUL;
    let mut r: u32 = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = r.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        e >>= 1;
    }
    r
}

/// The byte the link-id transform writes for `d[j]`, if any.
fn id_byte(d: &[u8], j: usize) -> Option<u8> {
    if d[j] != b'\n' {
        Some(d[j])
    } else if j == 0 || d[j - 1] != b' ' {
        Some(b' ')
    } else {
        None
    }
}

impl Index {
    fn with<R>(&self, f: impl FnOnce(&mut Tables) -> R) -> R {
        let mut t = self.tables.borrow_mut();
        f(t.get_or_insert_with(Default::default))
    }

    fn positions<'t>(t: &'t mut Tables, d: &[u8], b: u8) -> &'t Vec<u32> {
        t.bytes.entry(b).or_insert_with(|| {
            d.iter()
                .enumerate()
                .filter(|&(_, &c)| c == b)
                .map(|(i, _)| i as u32)
                .collect()
        })
    }

    /// The first `b` in `d[from..end]`.
    pub fn find(&self, d: &[u8], b: u8, from: usize, end: usize) -> Option<usize> {
        if from >= end {
            return None;
        }
        let (stop, more) = window(from, end);
        if let Some(p) = d[from..stop].iter().position(|&c| c == b) {
            return Some(from + p);
        }
        if !more {
            return None;
        }
        self.with(|t| next_in(Self::positions(t, d, b), stop))
            .filter(|&p| p < end)
    }

    /// The first `a` or `b` in `d[from..end]`.
    pub fn find_either(&self, d: &[u8], a: u8, b: u8, from: usize, end: usize) -> Option<usize> {
        if from >= end {
            return None;
        }
        let (stop, more) = window(from, end);
        if let Some(p) = d[from..stop].iter().position(|&c| c == a || c == b) {
            return Some(from + p);
        }
        if !more {
            return None;
        }
        self.with(|t| {
            let x = next_in(Self::positions(t, d, a), stop);
            let y = next_in(Self::positions(t, d, b), stop);
            match (x, y) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            }
        })
        .filter(|&p| p < end)
    }

    /// The first `>` at or after `from` (before `end`) that ends a `-->`.
    pub fn find_comment_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        let (stop, more) = window(from, end);
        if let Some(i) =
            (from..stop).find(|&i| d[i] == b'>' && d[i - 1] == b'-' && d[i - 2] == b'-')
        {
            return Some(i);
        }
        if !more {
            return None;
        }
        self.with(|t| {
            let ends = t.comment_ends.get_or_insert_with(|| {
                (2..d.len())
                    .filter(|&i| d[i] == b'>' && d[i - 1] == b'-' && d[i - 2] == b'-')
                    .map(|i| i as u32)
                    .collect()
            });
            next_in(ends, stop)
        })
        .filter(|&p| p < end)
    }

    /// The `]` matching the `[` at `p` (nested brackets counted, a bracket after a
    /// backslash not), and whether a line end comes before it: `char_link`'s scan.
    pub fn match_bracket(&self, d: &[u8], p: usize, end: usize) -> Option<(usize, bool)> {
        let (stop, more) = window(p + 1, end);
        let mut level = 1;
        let mut nl = false;
        for i in p + 1..stop {
            if d[i] == b'\n' {
                nl = true;
            } else if d[i - 1] == b'\\' {
            } else if d[i] == b'[' {
                level += 1;
            } else if d[i] == b']' {
                level -= 1;
                if level <= 0 {
                    return Some((i, nl));
                }
            }
        }
        if !more {
            return None;
        }
        let q = self.with(|t| {
            let b = t.brackets.get_or_insert_with(|| Brackets::new(d));
            let level = count_below(&b.open, p + 1) as i64 - count_below(&b.close, p + 1) as i64;
            next_in(b.close_by_level.get(&level)?, p + 1)
        })?;
        if q >= end {
            return None;
        }
        let nl = self.find(d, b'\n', p + 1, q).is_some();
        Some((q, nl))
    }

    /// Whether the track of backslash-skipping scans visits `i`; builds the track.
    fn on_track(t: &mut Tables, d: &[u8], i: usize) -> bool {
        let track = t.track.get_or_insert_with(|| Track::new(d));
        track.on[i / 64] >> (i % 64) & 1 == 1
    }

    /// Where an inline link's destination starting at `from` stops: the `)` that
    /// balances the parentheses after `from`, or a quote after a blank (a title). A
    /// backslash skips the byte after it.
    pub fn find_link_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        let (stop, more) = window(from, end);
        let mut i = from;
        let mut nb_p = 0usize;
        while i < stop {
            if d[i] == b'\\' {
                i += 2;
            } else if d[i] == b'(' {
                nb_p += 1;
                i += 1;
            } else if d[i] == b')' {
                if nb_p == 0 {
                    return Some(i);
                }
                nb_p -= 1;
                i += 1;
            } else if is_space(d[i - 1]) && (d[i] == b'\'' || d[i] == b'"') {
                return Some(i);
            } else {
                i += 1;
            }
        }
        if !more || i >= end {
            return None;
        }
        self.with(|t| {
            if !Self::on_track(t, d, from) {
                return Self::link_end_scan(d, from, end);
            }
            let tr = t.track.as_ref()?;
            let level = count_below(&tr.open_paren, from) as i64
                - count_below(&tr.close_paren, from) as i64;
            let paren = tr.close_by_level.get(&level).and_then(|l| next_in(l, from));
            let quote = next_in(&tr.quote_after_space, from);
            match (paren, quote) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        })
        .filter(|&q| q < end)
    }

    fn link_end_scan(d: &[u8], from: usize, end: usize) -> Option<usize> {
        let mut i = from;
        let mut nb_p = 0usize;
        while i < end {
            if d[i] == b'\\' {
                i += 2;
            } else if d[i] == b'(' {
                nb_p += 1;
                i += 1;
            } else if d[i] == b')' {
                if nb_p == 0 {
                    return Some(i);
                }
                nb_p -= 1;
                i += 1;
            } else if is_space(d[i - 1]) && (d[i] == b'\'' || d[i] == b'"') {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    /// Where a link title starting at `from` stops: the first `)` after the first `q`
    /// (a backslash skips the byte after it).
    pub fn find_title_end(&self, d: &[u8], q: u8, from: usize, end: usize) -> Option<usize> {
        let (stop, more) = window(from, end);
        let mut i = from;
        let mut in_title = true;
        while i < stop {
            if d[i] == b'\\' {
                i += 2;
            } else if d[i] == q {
                in_title = false;
                i += 1;
            } else if d[i] == b')' && !in_title {
                return Some(i);
            } else {
                i += 1;
            }
        }
        if !more || i >= end {
            return None;
        }
        self.with(|t| {
            if !Self::on_track(t, d, from) {
                let mut i = from;
                let mut in_title = true;
                while i < end {
                    if d[i] == b'\\' {
                        i += 2;
                    } else if d[i] == q {
                        in_title = false;
                        i += 1;
                    } else if d[i] == b')' && !in_title {
                        return Some(i);
                    } else {
                        i += 1;
                    }
                }
                return None;
            }
            let tr = t.track.as_ref()?;
            let quotes = if q == b'"' {
                &tr.double_quote
            } else {
                &tr.single_quote
            };
            let closed = next_in(quotes, from)?;
            next_in(&tr.close_paren, closed + 1)
        })
        .filter(|&p| p < end)
    }

    /// Where a `<scheme:...` autolink starting at `from` stops: `>`, a quote, a space
    /// or a line end (a backslash skips the byte after it).
    pub fn find_autolink_end(&self, d: &[u8], from: usize, end: usize) -> Option<usize> {
        let stops = |c: u8| matches!(c, b'>' | b'\'' | b'"' | b' ' | b'\n');
        let (stop, more) = window(from, end);
        let mut i = from;
        while i < stop {
            if d[i] == b'\\' {
                i += 2;
            } else if stops(d[i]) {
                return Some(i);
            } else {
                i += 1;
            }
        }
        if !more || i >= end {
            return None;
        }
        self.with(|t| {
            if !Self::on_track(t, d, from) {
                let mut i = from;
                while i < end {
                    if d[i] == b'\\' {
                        i += 2;
                    } else if stops(d[i]) {
                        return Some(i);
                    } else {
                        i += 1;
                    }
                }
                return None;
            }
            next_in(&t.track.as_ref()?.autolink_stop, from)
        })
        .filter(|&p| p < end)
    }

    /// The end of the first `n` consecutive backticks in `d[from..end]` (`from` is not
    /// a backtick).
    pub fn find_backtick_run(&self, d: &[u8], from: usize, end: usize, n: usize) -> Option<usize> {
        let (stop, more) = window(from, end);
        let mut i = 0;
        let mut e = from;
        while e < stop && i < n {
            if d[e] == b'`' {
                i += 1;
            } else {
                i = 0;
            }
            e += 1;
        }
        if i == n {
            return Some(e);
        }
        if !more {
            return None;
        }
        self.with(|t| {
            let runs = t.ticks.get_or_insert_with(|| TickRuns::new(d));
            let k = runs.first_at_least(count_below(&runs.start, from), n as u32)?;
            Some(runs.start[k] as usize + n)
        })
        .filter(|&close| close <= end)
    }

    /// `htmlblock_end`: the length of the block opened at `s` by `tag` (the first
    /// `</tag>` ending its line; with `start_of_line`, only at a line start or on the
    /// first line), 0 if there is none before `e`.
    pub fn html_block_end(
        &self,
        d: &[u8],
        tag: &'static str,
        s: usize,
        e: usize,
        start_of_line: bool,
    ) -> usize {
        let (stop, more) = window(s, e);
        if let Some(len) = html_block_end_scan(d, tag, s, e, stop, start_of_line) {
            return len;
        }
        if !more {
            return 0;
        }
        let first_nl = self.find(d, b'\n', s + 1, e).unwrap_or(e);
        let mut from = s + 1;
        loop {
            let q = self.with(|t| {
                let c = t.closers.entry(tag).or_insert_with(|| Closers::new(d, tag));
                let any = next_in(&c.all, from);
                if !start_of_line {
                    return any;
                }
                let on_first_line = any.filter(|&q| q < first_nl);
                on_first_line.or_else(|| next_in(&c.line_start, from))
            });
            let Some(q) = q.filter(|&q| q < e) else {
                return 0;
            };
            let len = end_tag_len(tag.as_bytes(), &d[q..e]);
            if len != 0 {
                return q - s + len;
            }
            from = q + 1;
        }
    }

    /// The closer an emphasis parser reaches from `start`: `step(y)` says whether the
    /// candidate `y` found by `find(x)` closes (`Ok`) or where to search next (`Err`).
    /// Walks through the memo of earlier walks with the same `(parser, c, end)`.
    pub fn chain(
        &self,
        key: (u8, u8, usize),
        start: usize,
        mut find: impl FnMut(usize) -> Option<usize>,
        mut step: impl FnMut(usize) -> Result<(), usize>,
    ) -> Option<usize> {
        const FREE: usize = 16;
        let (parser, c, end) = key;
        let memo = mode() != Mode::Scan;
        let mut visited: Vec<usize> = Vec::new();
        let mut x = start;
        let mut steps = 0;
        let result = loop {
            if memo && steps >= FREE {
                let known =
                    self.with(|t| t.chains.get(&(parser, c, end as u32, x as u32)).copied());
                if let Some(r) = known {
                    break (r != u32::MAX).then_some(r as usize);
                }
            }
            if memo {
                visited.push(x);
            }
            steps += 1;
            let Some(y) = find(x) else {
                break None;
            };
            match step(y) {
                Ok(()) => break Some(y),
                Err(next) => x = next,
            }
        };
        if memo && steps > FREE {
            let r = result.map_or(u32::MAX, |r| r as u32);
            self.with(|t| {
                for v in visited {
                    t.chains.insert((parser, c, end as u32, v as u32), r);
                }
            });
        }
        result
    }

    /// redcarpet's hash of the link id `d[from..to]`, line ends as spaces (one per run
    /// of space and line end).
    pub fn id_hash(&self, d: &[u8], from: usize, to: usize) -> u32 {
        let direct = || {
            (from..to)
                .filter_map(|j| id_byte(d, j))
                .fold(0u32, hash_step)
        };
        if mode() == Mode::Scan || (mode() == Mode::Auto && to - from <= SCAN) {
            return direct();
        }
        self.with(|t| {
            let ph = t.hashes.get_or_insert_with(|| PrefixHash::new(d));
            let (ha, la) = ph.prefix(d, from);
            let (hb, lb) = ph.prefix(d, to);
            hb.wrapping_sub(ha.wrapping_mul(pow_mul(lb.wrapping_sub(la))))
        })
    }
}

/// `htmlblock_end` as written in C, looking at closing tags before `stop`; `None` when
/// it got there without an answer.
fn html_block_end_scan(
    d: &[u8],
    tag: &str,
    s: usize,
    e: usize,
    stop: usize,
    start_of_line: bool,
) -> Option<usize> {
    let data = &d[s..e];
    let size = data.len();
    let stop = stop - s;
    let tag = tag.as_bytes();
    let mut i = 1;
    let mut block_lines = 0;
    while i < size {
        i += 1;
        while i < stop && !(data[i - 1] == b'<' && data[i] == b'/') {
            if data[i] == b'\n' {
                block_lines += 1;
            }
            i += 1;
        }
        if i >= stop && stop < size {
            return None;
        }
        // Only closing tags at the start of a line, unless on the first line.
        if start_of_line && block_lines > 0 && data[i - 2] != b'\n' {
            continue;
        }
        if i + 2 + tag.len() >= size {
            break;
        }
        let end_tag = end_tag_len(tag, &data[i - 1..]);
        if end_tag != 0 {
            return Some(i + end_tag - 1);
        }
    }
    Some(0)
}

impl Brackets {
    fn new(d: &[u8]) -> Self {
        let mut b = Brackets {
            open: Vec::new(),
            close: Vec::new(),
            close_by_level: HashMap::new(),
        };
        let mut level: i64 = 0;
        for (i, &c) in d.iter().enumerate() {
            if (c != b'[' && c != b']') || (i > 0 && d[i - 1] == b'\\') {
                continue;
            }
            if c == b'[' {
                b.open.push(i as u32);
                level += 1;
            } else {
                b.close.push(i as u32);
                b.close_by_level.entry(level).or_default().push(i as u32);
                level -= 1;
            }
        }
        b
    }
}

impl Track {
    fn new(d: &[u8]) -> Self {
        let mut t = Track {
            on: vec![0; d.len() / 64 + 1],
            open_paren: Vec::new(),
            close_paren: Vec::new(),
            close_by_level: HashMap::new(),
            quote_after_space: Vec::new(),
            single_quote: Vec::new(),
            double_quote: Vec::new(),
            autolink_stop: Vec::new(),
        };
        let mut level: i64 = 0;
        let mut i = 0;
        while i < d.len() {
            t.on[i / 64] |= 1 << (i % 64);
            let c = d[i];
            let p = i as u32;
            match c {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b'(' => {
                    t.open_paren.push(p);
                    level += 1;
                }
                b')' => {
                    t.close_paren.push(p);
                    t.close_by_level.entry(level).or_default().push(p);
                    level -= 1;
                }
                b'\'' | b'"' => {
                    if i > 0 && is_space(d[i - 1]) {
                        t.quote_after_space.push(p);
                    }
                    if c == b'"' {
                        t.double_quote.push(p);
                    } else {
                        t.single_quote.push(p);
                    }
                }
                _ => {}
            }
            if matches!(c, b'>' | b'\'' | b'"' | b' ' | b'\n') {
                t.autolink_stop.push(p);
            }
            i += 1;
        }
        t
    }
}

impl TickRuns {
    fn new(d: &[u8]) -> Self {
        let (mut start, mut len) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < d.len() {
            if d[i] == b'`' {
                let s = i;
                while i < d.len() && d[i] == b'`' {
                    i += 1;
                }
                start.push(s as u32);
                len.push((i - s) as u32);
            } else {
                i += 1;
            }
        }
        let size = len.len().next_power_of_two().max(1);
        let mut tree = vec![0u32; 2 * size];
        tree[size..size + len.len()].copy_from_slice(&len);
        for k in (1..size).rev() {
            tree[k] = tree[2 * k].max(tree[2 * k + 1]);
        }
        TickRuns {
            start,
            len,
            tree,
            size,
        }
    }

    /// The first run at index `from` or later at least `n` long.
    fn first_at_least(&self, from: usize, n: u32) -> Option<usize> {
        if from >= self.len.len() {
            return None;
        }
        self.descend(1, 0, self.size, from, n)
    }

    fn descend(&self, node: usize, lo: usize, hi: usize, from: usize, n: u32) -> Option<usize> {
        if hi <= from || self.tree[node] < n {
            return None;
        }
        if hi - lo == 1 {
            return (lo < self.len.len()).then_some(lo);
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * node, lo, mid, from, n)
            .or_else(|| self.descend(2 * node + 1, mid, hi, from, n))
    }
}

impl Closers {
    fn new(d: &[u8], tag: &str) -> Self {
        let mut c = Closers::default();
        let tag = tag.as_bytes();
        let mut i = 0;
        while let Some(k) = d[i..].iter().position(|&b| b == b'<') {
            let q = i + k;
            i = q + 1;
            if q == 0 || d.get(q + 1) != Some(&b'/') || end_tag_len(tag, &d[q..]) == 0 {
                continue;
            }
            c.all.push(q as u32);
            if d[q - 1] == b'\n' {
                c.line_start.push(q as u32);
            }
        }
        c
    }
}

impl PrefixHash {
    fn new(d: &[u8]) -> Self {
        let mut at = Vec::with_capacity(d.len() / Self::STEP + 1);
        let (mut h, mut n) = (0u32, 0u32);
        for j in 0..d.len() {
            if j % Self::STEP == 0 {
                at.push((h, n));
            }
            if let Some(b) = id_byte(d, j) {
                h = hash_step(h, b);
                n = n.wrapping_add(1);
            }
        }
        at.push((h, n));
        PrefixHash { at }
    }

    /// Hash and length of the transformed `d[..x]`.
    fn prefix(&self, d: &[u8], x: usize) -> (u32, u32) {
        let k = (x / Self::STEP).min(self.at.len() - 1);
        let (mut h, mut n) = self.at[k];
        for j in k * Self::STEP..x {
            if let Some(b) = id_byte(d, j) {
                h = hash_step(h, b);
                n = n.wrapping_add(1);
            }
        }
        (h, n)
    }
}
