//! Search: the sections of a rendered page and the index the browser queries, built
//! at build time and shipped as a script beside the page (`NAME.search.js`, which sets
//! `window.shaleSearchIndex`): a script rather than JSON fetched at run time, so that
//! search works from `file://` too. Only pages with `search: true` get one.
//!
//! **Sections** ([`sections`]) are the `h1`, `h2` and `h3` elements with an id, as in
//! the TOC: the heading text, then the text of everything up to the next such heading,
//! tags removed and entities decoded. Code is included: in API documentation the
//! endpoint paths, header names and JSON field names (`created_at`) often appear only
//! in the code column, and they are what readers look up (Slate indexes code too);
//! repeated code in several languages costs little, as a section lists a term once.
//! Text before the first heading belongs to no section; a heading without an id does
//! not start one (there would be nothing to link to), its text stays in the section.
//!
//! **Tokens** ([`for_each_token`]): text is folded (lower case, final sigma as sigma,
//! Latin/Greek/Cyrillic diacritics removed: `Café` → `cafe`, `ё` → `е`) and split into
//! runs of letters, digits, combining marks and `_`. Scripts written without spaces
//! (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) give overlapping character
//! bigrams plus the last character of each run, so any substring of two or more
//! characters is found by its bigrams and a single character by prefix. The browser
//! (`assets/javascripts/shale.js`) folds and splits queries with the same rules.
//!
//! **Index** ([`Index`]), as JSON: `v` (the format), the sections' `ids` (a number
//! where the id is the one [`guess_id`] derives from the title) and `titles` in page
//! order; `terms`, the distinct tokens sorted in UTF-16 order (JavaScript's `<`), so that
//! a prefix is a binary search and a scan; `postings`, for each term the sections that
//! contain it (both written as one space-separated string): per section
//! `(gap << 2) | tf` (gap = section − previous section − 1, tf the occurrence count
//! bucketed as 1, 2–3, 4–7, 8+) in base-32 varints, most significant digit first,
//! digits `W`…`_` meaning "more follows" and `0`…`V` ending a number; `size`, the
//! bytes of the page body (the browser highlights big pages differently).
//! Built in one pass over the page, linear in its size.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::util::html_scan::{self, CodeSpans};
use crate::util::kept::{self, ByPart};

/// Version of the index format, checked by the browser code.
pub const FORMAT: u32 = 1;

/// One searchable section of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's id (decoded).
    pub id: String,
    pub level: u8,
    /// The heading's text.
    pub title: String,
    /// The text after the heading up to the next section, whitespace collapsed
    /// (without the code blocks listed in `code`).
    pub text: String,
    /// Code blocks of the section whose text is not in `text`: indexes into the page's
    /// [`CodeSpans::texts`].
    pub code: Vec<u32>,
}

/// The sections of a page body: every `h1`–`h3` with an id.
pub fn sections(html: &str) -> Vec<Section> {
    sections_skipping(html, &[], &[])
}

/// [`sections`] of a body whose code blocks are at `spans`: instead of reading a block's
/// HTML, the section notes `block[k]` (the index of its text) in [`Section::code`].
pub fn sections_skipping(html: &str, spans: &[Range<usize>], block: &[u32]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    read_sections(html, spans, block, &mut out);
    finish(out.last_mut());
    out
}

/// Reads the sections of `html` into `out` (its last section, if any, receives the text
/// before the first heading), leaving the last one open (not [`finish`]ed). Returns
/// whether the text ends clean: outside any tag, comment, script, heading and entity,
/// so that reading what follows it on its own continues exactly.
fn read_sections(
    html: &str,
    spans: &[Range<usize>],
    block: &[u32],
    out: &mut Vec<Section>,
) -> bool {
    // Level of the sectioning heading being read (its text is the title).
    let mut in_title: Option<u8> = None;
    let mut pos = 0;
    let mut skip = false; // the content of <script>, <style>, <textarea>
    let mut scan = html_scan::tags_skipping(html, spans);
    while let Some((t, span)) = scan.next() {
        if let (Some(k), None, false) = (span, in_title, skip) {
            // A block-level element: its text is a word apart from what surrounds it.
            if let Some(s) = out.last_mut() {
                push_text(&mut s.text, &html[pos..t.start]);
                space(&mut s.text);
                s.code.push(block[k]);
            }
            scan.jump(k);
            pos = spans[k].end;
            continue;
        }
        if !skip {
            if let Some(s) = out.last_mut() {
                let buf = if in_title.is_some() {
                    &mut s.title
                } else {
                    &mut s.text
                };
                push_text(buf, &html[pos..t.start]);
            }
        }
        pos = t.end;
        skip = !t.closing && (t.is("script") || t.is("style") || t.is("textarea"));
        let level = heading_level(t.name);
        if level > 0 && !t.closing && in_title.is_none() {
            if let Some(id) = html_scan::attr(t.attrs, "id").filter(|id| !id.is_empty()) {
                finish(out.last_mut());
                out.push(Section {
                    id: html_scan::decode(id),
                    level,
                    title: String::new(),
                    text: String::new(),
                    code: Vec::new(),
                });
                in_title = Some(level);
                continue;
            }
        }
        if level > 0 && t.closing && in_title == Some(level) {
            in_title = None;
            continue;
        }
        if !is_inline(t.name) {
            if let Some(s) = out.last_mut() {
                space(if in_title.is_some() {
                    &mut s.title
                } else {
                    &mut s.text
                });
            }
        }
    }
    if let Some(s) = out.last_mut() {
        if !skip {
            let buf = if in_title.is_some() {
                &mut s.title
            } else {
                &mut s.text
            };
            push_text(buf, &html[pos..]);
        }
    }
    let ends_between = html.is_empty() || html.ends_with(|c: char| c == '>' || c.is_whitespace());
    !scan.ran_off() && in_title.is_none() && !skip && ends_between
}

/// The sections of a body made of parts (each include's HTML, in order: `parts` are
/// their ranges), each part read on its own and kept in `cache`: after an edit to one
/// include only its part is read again. The result is what [`sections_skipping`] gives
/// for the whole body; when a part does not end clean (an unclosed comment, tag or
/// heading in raw HTML), the whole body is read at once.
pub fn sections_by_part(
    html: &str,
    code: &CodeSpans,
    parts: &[Range<usize>],
    cache: &SearchCache,
) -> Vec<Section> {
    let mut scans = Vec::with_capacity(parts.len());
    let mut first_span = 0;
    for range in parts {
        let spans = kept::spans_in(&code.ranges, first_span, range);
        let part = &html[range.clone()];
        match cache
            .parts
            .get(part, &spans, || scan_part(part, &spans).map(Arc::new))
        {
            Some(scan) => scans.push((scan, first_span)),
            None => return sections_skipping(html, &code.ranges, &code.block),
        }
        first_span += spans.len();
    }
    let mut out: Vec<Section> = Vec::new();
    for (scan, first_span) in scans {
        let global = |local: &u32| code.block[first_span + *local as usize];
        if let Some(prev) = out.last_mut() {
            // The text before the part's first heading ends the section before.
            let lead = &scan.lead;
            let mut text = &lead.text[SENTINEL.len()..];
            if let Some(rest) = text.strip_prefix(' ') {
                space(&mut prev.text);
                text = rest;
            }
            prev.text.push_str(text);
            prev.code.extend(lead.code.iter().map(global));
        }
        for s in &scan.sections {
            finish(out.last_mut());
            out.push(Section {
                code: s.code.iter().map(global).collect(),
                ..s.clone()
            });
        }
    }
    finish(out.last_mut());
    out
}

/// Stands first in the text of the section a part's reading starts with, so that the
/// space a tag or white space at the part's start puts after it is seen.
const SENTINEL: &str = "\u{1}";

/// A part of a body read on its own: the text and code before its first heading, then
/// its sections, the last one left open; code blocks as indexes among the part's.
#[derive(Debug)]
struct PartScan {
    lead: Section,
    sections: Vec<Section>,
}

/// Reads a part on its own; `None` when it does not end clean.
fn scan_part(html: &str, spans: &[Range<usize>]) -> Option<PartScan> {
    let local: Vec<u32> = (0..spans.len() as u32).collect();
    let mut out = vec![Section {
        id: String::new(),
        level: 0,
        title: String::new(),
        text: SENTINEL.to_string(),
        code: Vec::new(),
    }];
    if !read_sections(html, spans, &local, &mut out) {
        return None;
    }
    let mut sections = out.into_iter();
    let lead = sections.next().expect("the lead");
    Some(PartScan {
        lead,
        sections: sections.collect(),
    })
}

/// What `shale serve` keeps of the search indexes from one build to the next: each part
/// of a body read ([`sections_by_part`]), and the terms of texts ([`index_cached`]).
/// Entries unused for a few builds in a row are forgotten.
#[derive(Debug, Default)]
pub struct SearchCache {
    parts: ByPart<Option<Arc<PartScan>>>,
    inner: std::sync::Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    build: u64,
    /// Text → its terms and how often each occurs, last use.
    terms: HashMap<String, (Arc<Terms>, u64), foldhash::fast::RandomState>,
    /// Every term seen, by number (what [`Terms`] holds), and the number of each.
    names: Vec<String>,
    numbers: HashMap<String, u32, BuildHasherDefault<Fnv>>,
}

/// Terms of a text (numbers into `names`) and how often each occurs, in order of first
/// occurrence.
type Terms = Vec<(u32, u32)>;

impl SearchCache {
    pub fn new() -> SearchCache {
        SearchCache::default()
    }

    /// Call before each build: forgets what the last builds did not use.
    pub fn begin_build(&self) {
        self.parts.begin_build();
        let mut g = self.lock();
        g.build += 1;
        let build = g.build;
        g.terms
            .retain(|_, (_, used)| build.saturating_sub(*used) <= kept::KEEP);
    }

    /// Call after a build that failed: it does not count.
    pub fn build_failed(&self) {
        self.parts.build_failed();
        let mut g = self.lock();
        g.build = g.build.saturating_sub(1);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CacheInner {
    /// The terms of `text`, from the cache or found now.
    fn terms_of(&mut self, text: &str) -> Arc<Terms> {
        let build = self.build;
        if let Some((terms, used)) = self.terms.get_mut(text) {
            *used = build;
            return terms.clone();
        }
        let mut terms: Terms = Vec::new();
        let mut at: HashMap<u32, usize, BuildHasherDefault<Fnv>> = HashMap::default();
        let (names, numbers) = (&mut self.names, &mut self.numbers);
        for_each_token(text, &mut String::new(), &mut |t| {
            let id = match numbers.get(t) {
                Some(&id) => id,
                None => {
                    let id = names.len() as u32;
                    numbers.insert(t.to_string(), id);
                    names.push(t.to_string());
                    id
                }
            };
            match at.get(&id) {
                Some(&k) => terms[k].1 += 1,
                None => {
                    at.insert(id, terms.len());
                    terms.push((id, 1));
                }
            }
        });
        let terms = Arc::new(terms);
        self.terms.insert(text.to_string(), (terms.clone(), build));
        terms
    }
}

fn heading_level(name: &str) -> u8 {
    match name.as_bytes() {
        [h, d @ b'1'..=b'3'] if h.eq_ignore_ascii_case(&b'h') => d - b'0',
        _ => 0,
    }
}

/// Elements that do not separate words (`<em>Kit</em>tens` is one word); every other
/// tag does (`<td>a</td><td>b</td>` is two).
fn is_inline(name: &str) -> bool {
    let mut buf = [0u8; 6];
    if name.len() > buf.len() {
        return false;
    }
    for (d, c) in buf.iter_mut().zip(name.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..name.len()],
        b"span"
            | b"a"
            | b"code"
            | b"em"
            | b"strong"
            | b"b"
            | b"i"
            | b"abbr"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"data"
            | b"del"
            | b"dfn"
            | b"font"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

fn finish(s: Option<&mut Section>) {
    if let Some(s) = s {
        for buf in [&mut s.title, &mut s.text] {
            let end = buf.trim_end().len();
            buf.truncate(end);
        }
    }
}

/// Appends the text of raw HTML text (comments removed, entities decoded), with runs of
/// whitespace as one space.
fn push_text(buf: &mut String, raw: &str) {
    if !raw.contains('<') {
        return push_decoded(buf, raw); // no comment: the usual case
    }
    let mut rest = raw;
    while let Some(at) = rest.find("<!--") {
        push_decoded(buf, &rest[..at]);
        rest = rest[at + 4..]
            .find("-->")
            .map_or("", |e| &rest[at + 4 + e + 3..]);
    }
    push_decoded(buf, rest);
}

fn push_decoded(buf: &mut String, raw: &str) {
    if raw.is_empty() {
        return;
    }
    let text = if raw.contains('&') {
        html_escape::decode_html_entities(raw)
    } else {
        raw.into()
    };
    let mut first = true;
    for piece in text.split(char::is_whitespace) {
        if !first {
            space(buf);
        }
        first = false;
        buf.push_str(piece);
    }
}

fn space(buf: &mut String) {
    if !buf.is_empty() && !buf.ends_with(' ') {
        buf.push(' ');
    }
}

/// How a character takes part in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Separator,
    Word,
    /// A letter of a script written without spaces between words.
    NoSpace,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() || c == '_' {
            Class::Word
        } else {
            Class::Separator
        };
    }
    if !(c.is_alphanumeric() || is_combining_mark(c)) {
        Class::Separator
    } else if is_nospace(c) {
        Class::NoSpace
    } else {
        Class::Word
    }
}

/// Scripts written without spaces between words (the same ranges as `NOSPACE` in
/// shale.js): Thai, Lao, Myanmar, Khmer, kana, CJK ideographs (the ranges include
/// punctuation and symbols, which are separators anyway).
fn is_nospace(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF
        | 0x1000..=0x109F
        | 0x1780..=0x17FF
        | 0x3005..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFF)
}

/// Diacritics removed by folding (the same ranges as `MARKS` in shale.js).
fn is_folded_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Appends the folded form of `s` to `out`: lower case, `ς` as `σ`, canonical
/// decomposition without the Latin, Greek and Cyrillic diacritics (U+0300–U+036F
/// and the other combining-diacritic blocks), recomposed.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    out.extend(
        s.chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ς' { 'σ' } else { c })
            .nfd()
            .filter(|c| !is_folded_mark(*c))
            .nfc(),
    );
}

/// The folded form of `s`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Calls `f` with every token of `text` (see the module documentation); `scratch` is a
/// reusable buffer.
pub fn for_each_token(text: &str, scratch: &mut String, f: &mut impl FnMut(&str)) {
    let mut run_start = 0;
    let mut run_class = Class::Separator;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if k != run_class {
            emit(&text[run_start..i], run_class, scratch, f);
            run_start = i;
            run_class = k;
        }
    }
    emit(&text[run_start..], run_class, scratch, f);
}

fn emit(run: &str, class: Class, scratch: &mut String, f: &mut impl FnMut(&str)) {
    if run.is_empty() || class == Class::Separator {
        return;
    }
    scratch.clear();
    fold_into(run, scratch);
    if class == Class::Word {
        if !scratch.is_empty() {
            f(scratch);
        }
        return;
    }
    // Bigrams of characters, then the last character alone.
    let mut chars = scratch.char_indices().map(|(i, _)| i).peekable();
    let mut prev = match chars.next() {
        Some(i) => i,
        None => return,
    };
    for cur in chars.by_ref() {
        let end = scratch[cur..]
            .chars()
            .next()
            .map_or(scratch.len(), |c| cur + c.len_utf8());
        f(&scratch[prev..end]);
        prev = cur;
    }
    f(&scratch[prev..]);
}

/// The search index of a page (see the module documentation for the format).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Index {
    pub v: u32,
    /// Section ids: a number `n` stands for [`guess_id`] of the title (with `-n`
    /// appended when `n` > 0), which is what most Slate ids are.
    pub ids: Vec<IdRef>,
    pub titles: Vec<String>,
    /// Written as one string, the terms separated by spaces (tokens have none).
    #[serde(serialize_with = "joined")]
    pub terms: Vec<String>,
    /// Written as one string, separated by spaces, like `terms`.
    #[serde(serialize_with = "joined")]
    pub postings: Vec<String>,
    /// Bytes of the page body: on big pages the browser highlights matches with the
    /// CSS highlight API, as changing the DOM of a big page costs a long relayout.
    pub size: usize,
}

fn joined<S: serde::Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.join(" "))
}

/// A section id in the index: guessed from the title, or written out.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum IdRef {
    Guessed(u32),
    Id(String),
}

/// The id Slate gives an ASCII heading with this text, in most cases: lower case, runs
/// of characters other than `a-z0-9_-` as one `-`, runs of `-` as one, no `-` at
/// either end (the same as `guessId` in shale.js). None for non-ASCII titles.
pub fn guess_id(title: &str) -> Option<String> {
    if !title.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_start_matches('-');
    let t = t.strip_suffix('-').unwrap_or(t);
    Some(t.to_string())
}

fn id_ref(id: &str, title: &str) -> IdRef {
    if let Some(g) = guess_id(title) {
        if id == g {
            return IdRef::Guessed(0);
        }
        if let Some(n) = id
            .strip_prefix(g.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .filter(|n| !n.starts_with('0'))
            .and_then(|n| n.parse::<u32>().ok())
        {
            if n > 0 && format!("{g}-{n}") == id {
                return IdRef::Guessed(n);
            }
        }
    }
    IdRef::Id(id.to_string())
}

/// A fast hasher for short strings (FNV-1a); the index is built from trusted input.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ *b as u64).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Digits of the postings varints: 0..32 end a number, 32..64 continue it.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Terms and their postings while the index is built.
#[derive(Default)]
struct Builder {
    ids: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    terms: Vec<String>,
    /// Per term: encoded postings and the last section written.
    postings: Vec<(String, u32)>,
    /// Occurrences of each term in the current section.
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Builder {
    fn id(&mut self, token: &str) -> u32 {
        match self.ids.get(token) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.ids.insert(token.to_string(), id);
                self.terms.push(token.to_string());
                self.postings.push((String::new(), u32::MAX));
                self.counts.push(0);
                id
            }
        }
    }

    /// A term known to be new to the index: its number.
    fn new_term(&mut self, term: String) -> u32 {
        let id = self.terms.len() as u32;
        self.terms.push(term);
        self.postings.push((String::new(), u32::MAX));
        self.counts.push(0);
        id
    }

    /// Counts `n` occurrences of `token` in the current section.
    fn add(&mut self, token: &str, n: u32) {
        let id = self.id(token);
        self.add_id(id, n);
    }

    fn add_id(&mut self, id: u32, n: u32) {
        let c = &mut self.counts[id as usize];
        if *c == 0 {
            self.touched.push(id);
        }
        *c += n;
    }

    /// The terms of `text` and how often each occurs, in order of first occurrence.
    fn terms_of(&mut self, text: &str, scratch: &mut String) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        let mut at: HashMap<u32, usize, BuildHasherDefault<Fnv>> = HashMap::default();
        for_each_token(text, scratch, &mut |t| {
            let id = self.id(t);
            match at.get(&id) {
                Some(&k) => out[k].1 += 1,
                None => {
                    at.insert(id, out.len());
                    out.push((id, 1));
                }
            }
        });
        out
    }

    fn end_section(&mut self, section: u32) {
        for id in self.touched.drain(..) {
            let n = std::mem::take(&mut self.counts[id as usize]);
            let (buf, last) = &mut self.postings[id as usize];
            let gap = section.wrapping_sub(last.wrapping_add(1)); // first: `section`
            let tf = match n {
                1 => 0,
                2..=3 => 1,
                4..=7 => 2,
                _ => 3,
            };
            push_varint(buf, ((gap as u64) << 2) | tf);
            *last = section;
        }
    }
}

fn push_varint(buf: &mut String, v: u64) {
    let mut digits = [0u8; 13];
    let mut n = 0;
    let mut v = v;
    loop {
        digits[n] = (v & 31) as u8;
        n += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for k in (0..n).rev() {
        let d = digits[k] + if k > 0 { 32 } else { 0 };
        buf.push(DIGITS[d as usize] as char);
    }
}

/// Builds the index of `sections`; `code` holds the texts their [`Section::code`] lists.
pub fn index(sections: &[Section], code: &[String]) -> Index {
    let mut b = Builder::default();
    let mut scratch = String::new();
    // Per distinct code block, its terms and their counts, tokenized once.
    let mut code_terms: Vec<Option<Vec<(u32, u32)>>> = vec![None; code.len()];
    for (i, s) in sections.iter().enumerate() {
        let mut add = |t: &str| b.add(t, 1);
        for_each_token(&s.title, &mut scratch, &mut add);
        for_each_token(&s.text, &mut scratch, &mut add);
        for &c in &s.code {
            let terms = code_terms[c as usize]
                .get_or_insert_with(|| b.terms_of(&code[c as usize], &mut scratch));
            for &(id, n) in terms.iter() {
                b.add_id(id, n);
            }
        }
        b.end_section(i as u32);
    }
    b.finish(sections)
}

impl Builder {
    /// The index of `sections`, whose terms were all added.
    fn finish(mut self, sections: &[Section]) -> Index {
        let b = &mut self;
        let mut order: Vec<u32> = (0..b.terms.len() as u32).collect();
        order.sort_unstable_by(|&x, &y| {
            let (x, y) = (&b.terms[x as usize], &b.terms[y as usize]);
            x.encode_utf16().cmp(y.encode_utf16())
        });
        let mut terms = std::mem::take(&mut b.terms);
        let mut postings = std::mem::take(&mut b.postings);
        Index {
            v: FORMAT,
            ids: sections.iter().map(|s| id_ref(&s.id, &s.title)).collect(),
            titles: sections.iter().map(|s| s.title.clone()).collect(),
            terms: order
                .iter()
                .map(|&i| std::mem::take(&mut terms[i as usize]))
                .collect(),
            postings: order
                .iter()
                .map(|&i| std::mem::take(&mut postings[i as usize].0))
                .collect(),
            size: 0,
        }
    }
}

/// [`index`], with the terms of every title, text and code block taken from `cache`
/// (found and kept there when it does not have them).
pub fn index_cached(sections: &[Section], code: &[String], cache: &SearchCache) -> Index {
    let mut g = cache.lock();
    let mut b = Builder::default();
    // The cache's number of a term → the index's.
    let mut local: Vec<u32> = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        let texts = [&s.title, &s.text]
            .into_iter()
            .chain(s.code.iter().map(|&c| &code[c as usize]));
        for text in texts {
            let terms = g.terms_of(text);
            local.resize(g.names.len(), u32::MAX);
            for &(id, n) in terms.iter() {
                let l = &mut local[id as usize];
                if *l == u32::MAX {
                    *l = b.new_term(g.names[id as usize].clone());
                }
                b.add_id(*l, n);
            }
        }
        b.end_section(i as u32);
    }
    drop(g);
    b.finish(sections)
}

impl Index {
    /// The index as a script setting `window.shaleSearchIndex`. No text of the page can
    /// end the script or start a comment if it is inlined (`<`, `>`, `&` are escaped),
    /// and U+2028/U+2029 are escaped for engines older than ES2019.
    pub fn to_js(&self) -> String {
        let json = serde_json::to_string(self).expect("strings serialize");
        let mut out = String::with_capacity(json.len() + 64);
        out.push_str("window.shaleSearchIndex=");
        for c in json.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
        out.push_str(";\n");
        out
    }
}

/// The search index script of a page body.
pub fn index_js(body: &str) -> String {
    index_js_with(body, &CodeSpans::default())
}

/// The search index script of a page body whose code blocks are at `code`.
pub fn index_js_with(body: &str, code: &CodeSpans) -> String {
    index_js_of(
        &sections_skipping(body, &code.ranges, &code.block),
        &code.texts,
        body.len(),
    )
}

/// The search index script of a page's `sections` (whose [`Section::code`] index
/// `code`); `size` is the length of its body.
pub fn index_js_of(sections: &[Section], code: &[String], size: usize) -> String {
    let mut ix = index(sections, code);
    ix.size = size;
    ix.to_js()
}

/// Where the index of the page at `page_path` goes: `dir/name.html` → `dir/name.search.js`.
pub fn index_path(page_path: &str) -> String {
    let stem = page_path.strip_suffix(".html").unwrap_or(page_path);
    format!("{stem}.search.js")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, &mut String::new(), &mut |t| out.push(t.to_string()));
        out
    }

    /// Decodes a postings string into (section, tf bucket) pairs.
    fn decode(p: &str) -> Vec<(u32, u8)> {
        let mut out = Vec::new();
        let (mut sec, mut v) = (-1i64, 0u64);
        for ch in p.bytes() {
            let d = DIGITS.iter().position(|&x| x == ch).unwrap() as u64;
            v = v * 32 + (d & 31);
            if d < 32 {
                sec += (v >> 2) as i64 + 1;
                out.push((sec as u32, (v & 3) as u8));
                v = 0;
            }
        }
        out
    }

    fn postings(ix: &Index, term: &str) -> Vec<(u32, u8)> {
        let i = ix
            .terms
            .iter()
            .position(|t| t == term)
            .unwrap_or_else(|| panic!("no term {term:?} in {:?}", ix.terms));
        decode(&ix.postings[i])
    }

    #[test]
    fn sections_from_h1_h2_h3_with_ids() {
        let html = "<p>intro</p><h1 id='a'>Kit<em>tens</em> &amp; Co</h1><p>All  the\n<code>kitten_id</code></p>\
            <table><tr><td>one</td><td>two</td></tr></table>\
            <h4 id='x'>Deep</h4><h2>No id</h2><p>still a</p><!-- <h2 id='c'>hidden</h2> secret -->\
            <script>var s = '<h2 id=\"s\">';</script><h3 id=\"b&amp;c\">B</h3>\
            <pre class=\"highlight\"><code><span class=\"s\">&quot;created_at&quot;</span></code></pre>";
        let s = sections(html);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].id.as_str(), s[0].level, s[0].title.as_str()),
            ("a", 1, "Kittens & Co")
        );
        assert_eq!(s[0].text, "All the kitten_id one two Deep No id still a");
        assert_eq!((s[1].id.as_str(), s[1].level), ("b&c", 3));
        assert_eq!(s[1].text, "\"created_at\"");
    }

    #[test]
    fn tokens_fold_case_and_accents() {
        assert_eq!(
            tokens("Café, CRÈME-brûlée user_id v2.1 ΟΔΟΣ Ёлка İstanbul"),
            ["cafe", "creme", "brulee", "user_id", "v2", "1", "οδοσ", "елка", "istanbul"]
        );
        assert_eq!(fold("Cafe\u{301}"), "cafe");
        assert_eq!(fold("한국어"), "한국어"); // Hangul recomposed
    }

    #[test]
    fn tokens_of_scripts_without_spaces_are_bigrams() {
        assert_eq!(
            tokens("1Token使用指南。交易"),
            ["1token", "使用", "用指", "指南", "南", "交易", "易"]
        );
        assert_eq!(tokens("ภาษาไทย"), ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย", "ย"]);
        assert_eq!(tokens("中"), ["中"]);
        // Thai tone marks are not alphabetic but stay in the run
        assert_eq!(tokens("ไม่"), ["ไม", "ม่", "่"]);
    }

    #[test]
    fn index_lists_sections_per_term_with_counts() {
        let secs: Vec<Section> = (0..40)
            .map(|i| Section {
                id: format!("s{i}"),
                level: 2,
                title: format!("Section {i}"),
                text: if i % 13 == 0 {
                    "kitten kitten kitten kittens".into()
                } else {
                    "other".into()
                },
                code: Vec::new(),
            })
            .collect();
        let ix = index(&secs, &[]);
        assert_eq!(ix.ids.len(), 40);
        assert_eq!(ix.ids[3], IdRef::Id("s3".into()));
        assert_eq!(postings(&ix, "kitten"), [(0, 1), (13, 1), (26, 1), (39, 1)]);
        assert_eq!(
            postings(&ix, "kittens"),
            [(0, 0), (13, 0), (26, 0), (39, 0)]
        );
        assert_eq!(postings(&ix, "section").len(), 40);
        assert_eq!(postings(&ix, "other").len(), 36);
        let mut sorted = ix.terms.clone();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(ix.terms, sorted);
    }

    #[test]
    fn large_gaps_and_utf16_order() {
        let mut secs: Vec<Section> = (0..5000)
            .map(|i| Section {
                id: format!("s{i}"),
                level: 1,
                title: String::new(),
                text: String::new(),
                code: Vec::new(),
            })
            .collect();
        secs[3].text = "far 𠀀 \u{FF70}".into();
        secs[4999].text = "far".into();
        let ix = index(&secs, &[]);
        assert_eq!(postings(&ix, "far"), [(3, 0), (4999, 0)]);
        // U+20000 is a surrogate pair in UTF-16, which sorts before U+FF70
        let a = ix.terms.iter().position(|t| t == "𠀀").unwrap();
        let b = ix.terms.iter().position(|t| t == "\u{FF70}").unwrap();
        assert!(a < b);
    }

    #[test]
    fn script_cannot_be_broken_out_of() {
        let html = "<h1 id='x'>&lt;/script&gt;&lt;script&gt;alert(1)&lt;!--</h1><p>a\u{2028}b\u{2029} &amp; \"q\" \\</p>";
        let js = index_js(html);
        assert!(js.starts_with("window.shaleSearchIndex={\"v\":1,"), "{js}");
        for bad in ["<", ">", "\u{2028}", "\u{2029}"] {
            assert!(!js.contains(bad), "{bad:?} in {js}");
        }
        let json = js
            .strip_prefix("window.shaleSearchIndex=")
            .unwrap()
            .trim_end()
            .strip_suffix(';')
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["titles"][0], "</script><script>alert(1)<!--");
    }

    #[test]
    fn ids_guessed_from_titles_when_they_can_be() {
        assert_eq!(guess_id("Get All Kittens").unwrap(), "get-all-kittens");
        assert_eq!(guess_id(" --A  b_c-- (d) ").unwrap(), "a-b_c-d");
        assert_eq!(guess_id("Café"), None);
        assert_eq!(
            id_ref("get-all-kittens", "Get All Kittens"),
            IdRef::Guessed(0)
        );
        assert_eq!(id_ref("http-request-3", "HTTP Request"), IdRef::Guessed(3));
        assert_eq!(
            id_ref("kittens-amp-co", "Kittens & Co"),
            IdRef::Id("kittens-amp-co".into())
        );
        assert_eq!(id_ref("x-03", "X"), IdRef::Id("x-03".into()));
        assert_eq!(id_ref("custom", "Title"), IdRef::Id("custom".into()));
        let js = index_js("<h1 id='a-b'>A b</h1><h2 id='a-b-2'>A b</h2><h2 id='z'>A b</h2>");
        assert!(js.contains("\"ids\":[0,2,\"z\"]"), "{js}");
    }

    /// `SHALE_SEARCH_BENCH=page.html cargo test --release --lib search::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench() {
        let Ok(path) = std::env::var("SHALE_SEARCH_BENCH") else {
            return;
        };
        let html = std::fs::read_to_string(path).unwrap();
        let t = std::time::Instant::now();
        let s = sections(&html);
        let t1 = t.elapsed();
        let ix = index(&s, &[]);
        let t2 = t.elapsed();
        let js = ix.to_js();
        let t3 = t.elapsed();
        eprintln!(
            "{} bytes: {} sections in {t1:?}, {} terms by {t2:?}, {} bytes of script by {t3:?}",
            html.len(),
            s.len(),
            ix.terms.len(),
            js.len()
        );
    }

    #[test]
    fn sections_read_by_part_join_as_at_once() {
        let cases: &[&[&str]] = &[
            // a part ending in an inline tag, the next starting with a space
            &["<h1 id='a'>A</h1><b>word</b>", " more<p>x</p>"],
            &[
                "<h1 id='a'>A</h1><p>x</p>\n",
                "<h2 id='b'>B</h2>y",
                "\n<p>z</p>",
            ],
            // the text before the first heading belongs to no section
            &["lead <p>x</p>", "<h2 id='b'>B</h2>y"],
            // parts that do not end clean: read at once
            &["<h1 id='a'>A</h1><!-- open", " -->x"],
            &["<h1 id='a'>A", "</h1>x"],
            &["<h1 id='a'>A</h1>AT&", "amp;T"],
        ];
        let cache = SearchCache::new();
        for parts in cases {
            let body = parts.concat();
            let mut ranges = Vec::new();
            let mut at = 0;
            for p in *parts {
                ranges.push(at..at + p.len());
                at += p.len();
            }
            let by_part = sections_by_part(&body, &CodeSpans::default(), &ranges, &cache);
            assert_eq!(by_part, sections(&body), "{parts:?}");
        }
        assert_eq!(
            sections("<h1 id='a'>A</h1><b>word</b> more")[0].text,
            "word more"
        );
    }

    #[test]
    fn paths() {
        assert_eq!(index_path("index.html"), "index.search.js");
        assert_eq!(index_path("v2/api.html"), "v2/api.search.js");
    }
}
