//! ERB as Middleman runs it on a `.html.md.erb` page, before the markdown: Erubi's tags
//! and trimming (`<%= %>`, `<%== %>`, `<% %>`, `<%- -%>`, `<%# %>`, `<%%`), and the
//! helpers Slate pages use: Padrino's `image_tag` and `link_to` as Middleman overrides
//! them, `partial`, `current_page.data.KEY`, and `t(:key)` from `locales/*.yml`. Any
//! other Ruby is an error naming the tag, the file and the line.
//!
//! `<%= t(:key) %>` also works in plain markdown pages and includes, in prose (not in
//! code blocks or code spans), and in front-matter values ([`translate`],
//! [`translate_value`]): the one ERB tag shale reads outside ERB pages.
//!
//! The output keeps, for each of its lines, the line of the file it comes from, so
//! that warnings about the markdown point into the file as written.

use std::ops::Range;

use anyhow::Result;
use serde_json::Value;

use crate::error::{Diagnostic, Located};
use crate::load::i18n::{Lookup, Strings};
use crate::load::source::Source;
use crate::util::url::Resolver;

use crate::load::ruby::{self, Args, Expr, Link};

/// What the helpers may read: the page and the site.
pub struct Env<'a> {
    pub src: &'a Source,
    /// The page (`current_page`), as a path in the source folder.
    pub page_rel: &'a str,
    /// The page's language; `None` on a page built once (the site's default then).
    pub lang: Option<&'a str>,
    pub strings: &'a Strings,
    pub resolver: &'a dyn Resolver,
    /// The page's front matter (`current_page.data`).
    pub data: &'a serde_json::Map<String, Value>,
}

impl Env<'_> {
    fn language(&self) -> &str {
        self.lang
            .or(self.strings.default.as_deref())
            .unwrap_or("en")
    }
}

/// A file to expand: its name in messages, its text (front matter removed) and the
/// line of the file where the text starts.
#[derive(Clone, Copy)]
pub struct File<'a> {
    pub label: &'a str,
    pub text: &'a str,
    pub first_line: usize,
}

/// Text with the line of the file each of its lines comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub text: String,
    /// `lines[i]`: the file line of line `i + 1` of `text`.
    pub lines: Vec<usize>,
}

impl Text {
    /// The file line of line `line` (1-based) of the text.
    pub fn file_line(&self, line: usize) -> usize {
        match self.lines.get(line.saturating_sub(1)) {
            Some(&l) => l,
            None => self
                .lines
                .last()
                .map_or(line, |&l| l + line - self.lines.len()),
        }
    }
}

/// A piece of an expanded page: text, or a `partial` rendered on its own (as an
/// include is: its own markdown render).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(Text),
    Partial { name: String, line: usize },
}

/// What helpers give back.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(String),
    Sym(String),
    Num(String),
    Bool(bool),
    Nil,
    Array(Vec<Val>),
    Hash(Vec<(Val, Val)>),
    Partial(String),
    /// A `t(:key)` with no translation: the tag stays as written.
    Untranslated,
}

impl Val {
    fn truthy(&self) -> bool {
        !matches!(self, Val::Nil | Val::Bool(false) | Val::Untranslated)
    }

    /// As Ruby's `to_s` prints it (lists and hashes are refused).
    fn to_text(&self) -> Result<String, String> {
        Ok(match self {
            Val::Text(s) | Val::Sym(s) | Val::Num(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Nil | Val::Untranslated => String::new(),
            Val::Array(_) => return Err("the value is a list, not text".into()),
            Val::Hash(_) => return Err("the value is a mapping, not text".into()),
            Val::Partial(_) => {
                return Err("`partial` must be the whole tag, on a line of its own".into())
            }
        })
    }
}

/// One step of Erubi's output program.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    /// Text of the input, copied.
    Text(Range<usize>),
    /// `<%= code %>` (`escape`: `<%==`); `tag` is the whole tag.
    Expr {
        code: Range<usize>,
        escape: bool,
        tag: Range<usize>,
    },
    /// `<% code %>`.
    Code {
        code: Range<usize>,
        tag: Range<usize>,
    },
}

/// Erubi's scan (Middleman 4 renders ERB with Erubi through Tilt, trimming on): each
/// tag and the text between, with Erubi's rules for the spaces and line break around
/// a tag alone on its line. Returns the offset of a `<%` left without `%>` (Erubi
/// prints it as text).
fn scan(input: &str) -> (Vec<Op>, Option<usize>) {
    let mut ops = Vec::new();
    let (mut pos, mut is_bol) = (0usize, true);
    let bytes = input.as_bytes();
    let mut unclosed = None;
    let mut search = 0;
    while let Some(k) = input[search..].find("<%") {
        let start = search + k;
        let after = start + 2;
        let rest = &input[after..];
        let ind = indicator(rest);
        let code_start = after + ind.len();
        let Some(e) = input[code_start..].find("%>") else {
            unclosed = Some(start);
            break;
        };
        let mut code_end = code_start + e;
        let close_end = code_end + 2;
        let mut tailch = false;
        if code_end > code_start && matches!(bytes[code_end - 1], b'-' | b'=') {
            tailch = true;
            code_end -= 1;
        }
        // `[ \t]*\n` after the tag.
        let spaces = input[close_end..]
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        let mut rspace = (input[close_end + spaces..].starts_with('\n'))
            .then(|| close_end..close_end + spaces + 1);
        let end = rspace.as_ref().map_or(close_end, |r| r.end);
        let mut text = pos..start;
        let ch = ind.as_bytes().first().copied();
        let lspace = if ch != Some(b'=') {
            leading_space(input, &mut text, start, is_bol)
        } else {
            None
        };
        is_bol = rspace.is_some();
        if !text.is_empty() {
            ops.push(Op::Text(text));
        }
        let tag = start..close_end;
        if ch == Some(b'=') && tailch {
            rspace = None;
        }
        let code = code_start..code_end;
        push_tag(&mut ops, ind, code, tag, lspace, rspace, end);
        pos = end;
        search = end;
    }
    if pos < input.len() {
        ops.push(Op::Text(pos..input.len()));
    }
    (ops, unclosed)
}

/// The ops of one tag (`ind` its indicator, `end` where the text after it starts), with
/// the spaces around it that Erubi keeps.
fn push_tag(
    ops: &mut Vec<Op>,
    ind: &str,
    code: Range<usize>,
    tag: Range<usize>,
    lspace: Option<Range<usize>>,
    rspace: Option<Range<usize>>,
    end: usize,
) {
    let push = |ops: &mut Vec<Op>, r: Option<Range<usize>>| {
        if let Some(r) = r.filter(|r| !r.is_empty()) {
            ops.push(Op::Text(r));
        }
    };
    match ind.as_bytes().first() {
        Some(b'=') => {
            ops.push(Op::Expr {
                code,
                escape: ind == "==",
                tag,
            });
            push(ops, rspace);
        }
        Some(b'#') => {} // trimmed: the comment, its spaces and its line break go
        Some(b'%') => {
            let start = tag.start;
            push(ops, lspace);
            ops.push(Op::Text(start..start + 2));
            ops.push(Op::Text(start + 3..end));
        }
        _ => {
            let trimmed = lspace.is_some() && rspace.is_some();
            if !trimmed {
                push(ops, lspace);
            }
            ops.push(Op::Code { code, tag });
            if !trimmed {
                push(ops, rspace);
            }
        }
    }
}

/// The indicator after `<%`: `==`, `=`, `-`, `#`, `%` or none.
fn indicator(rest: &str) -> &'static str {
    if rest.starts_with("==") {
        return "==";
    }
    match rest.as_bytes().first() {
        Some(b'=') => "=",
        Some(b'-') => "-",
        Some(b'#') => "#",
        Some(b'%') => "%",
        _ => "",
    }
}

/// Erubi's `lspace`: the spaces before a tag that starts its line (taken out of `text`,
/// the text before the tag), or an empty range at the tag when the line starts there.
fn leading_space(
    input: &str,
    text: &mut Range<usize>,
    start: usize,
    is_bol: bool,
) -> Option<Range<usize>> {
    let t = &input[text.clone()];
    let blank = |s: &str| s.bytes().all(|b| b == b' ' || b == b'\t');
    if t.is_empty() {
        return is_bol.then_some(start..start);
    }
    if t.ends_with('\n') {
        return Some(start..start);
    }
    if let Some(r) = t.rfind('\n') {
        if !blank(&t[r + 1..]) {
            return None;
        }
        let lspace = text.start + r + 1..start;
        text.end = text.start + r + 1;
        return Some(lspace);
    }
    if is_bol && blank(t) {
        let lspace = text.clone();
        text.end = text.start;
        return Some(lspace);
    }
    None
}

/// Line numbers of offsets in a file's text.
struct Lines {
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, first_line }
    }

    fn at(&self, offset: usize) -> usize {
        self.first_line + self.starts.partition_point(|&s| s <= offset) - 1
    }
}

/// Output text being built, with the file line of each of its lines.
#[derive(Default)]
struct Out {
    text: Text,
}

impl Out {
    /// Appends `s`, whose first character comes from file line `line`; with
    /// `advance`, each line break in it moves to the next file line (text copied
    /// from the file), else all of it comes from `line` (a helper's output).
    fn push(&mut self, s: &str, mut line: usize, advance: bool) {
        let mut rest = s;
        while !rest.is_empty() {
            if self.text.text.is_empty() || self.text.text.ends_with('\n') {
                self.text.lines.push(line);
            }
            match rest.find('\n') {
                Some(n) => {
                    self.text.text.push_str(&rest[..=n]);
                    rest = &rest[n + 1..];
                    if advance {
                        line += 1;
                    }
                }
                None => {
                    self.text.text.push_str(rest);
                    rest = "";
                }
            }
        }
    }
}

/// A block helper being captured: its call, its line, its tag.
type Opened = (Expr, usize, Range<usize>);

/// A call's positional arguments, and its options as `(name, value)`.
type Arguments = (Vec<Val>, Vec<(String, Val)>);

/// Evaluates the ERB of an ERB file (a `.html.md.erb` page, an `.md.erb` partial).
/// A `partial` alone on its line cuts the output there.
pub fn expand(
    file: File<'_>,
    env: &Env<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Segment>> {
    let lines = Lines::new(file.text, file.first_line);
    let (ops, unclosed) = scan(file.text);
    if let Some(at) = unclosed {
        warnings.push(Diagnostic::new(
            file.label,
            lines.at(at),
            "`<%` without a closing `%>`: printed as text, as Middleman does; close the tag, or write `<%%` for a literal `<%`",
        ));
    }
    let mut x = Expander {
        file,
        env,
        lines,
        segments: Vec::new(),
        frames: vec![(Out::default(), None)],
        after_partial: false,
    };
    for op in ops {
        let skip_break = std::mem::take(&mut x.after_partial);
        match op {
            Op::Text(r) => x.text(r, skip_break),
            Op::Expr { code, escape, tag } => x.expr(code, escape, tag, warnings)?,
            Op::Code { code, tag } => x.code(code, tag, warnings)?,
        }
    }
    x.finish()
}

/// The state of [`expand`] over one file.
struct Expander<'a, 'e> {
    file: File<'a>,
    env: &'a Env<'e>,
    lines: Lines,
    segments: Vec<Segment>,
    /// The output, and one more for each block being captured (`link_to … do`).
    frames: Vec<(Out, Option<Opened>)>,
    /// Right after a partial: its line break is not text of the page.
    after_partial: bool,
}

impl Expander<'_, '_> {
    fn out(&mut self) -> &mut Out {
        &mut self.frames.last_mut().expect("the page's frame").0
    }

    fn ctx(&self, line: usize) -> Ctx<'_, '_> {
        Ctx {
            env: self.env,
            label: self.file.label,
            line,
        }
    }

    /// A tag in the wrong place.
    fn misplaced(&self, tag: &Range<usize>, why: &str) -> anyhow::Error {
        let line = self.lines.at(tag.start);
        let tag = shown(&self.file.text[tag.clone()]);
        Located::new(self.file.label, line, format!("`{tag}`: {why}")).into()
    }

    /// A tag shale does not run.
    fn unsupported(&self, tag: &Range<usize>, why: &str) -> anyhow::Error {
        Located::new(
            self.file.label,
            self.lines.at(tag.start),
            format!("ERB tag `{}` is not supported: {why}. shale runs Middleman's `image_tag`, `link_to`, `partial`, `current_page.data.KEY` and `t(:key)` in .html.md.erb pages", shown(&self.file.text[tag.clone()])),
        )
        .hint("write the result as markdown or HTML instead")
        .into()
    }

    /// Text between tags (without the line break of a partial just before it).
    fn text(&mut self, mut r: Range<usize>, skip_break: bool) {
        let input = self.file.text;
        if skip_break {
            let t = &input[r.clone()];
            let spaces = t.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
            if t[spaces..].starts_with('\n') {
                r.start += spaces + 1;
            }
        }
        let line = self.lines.at(r.start);
        self.out().push(&input[r], line, true)
    }

    /// `<%= expr %>` (or `<%= call do %>`, which opens a block).
    fn expr(
        &mut self,
        code: Range<usize>,
        escape: bool,
        tag: Range<usize>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<()> {
        let input = self.file.text;
        let line = self.lines.at(tag.start);
        let st =
            ruby::parse_statement(&input[code]).map_err(|e| self.unsupported(&tag, &e.message))?;
        if st.block {
            self.frames
                .push((Out::default(), Some((st.expr, line, tag))));
            return Ok(());
        }
        let value =
            eval(&st.expr, &self.ctx(line), warnings).map_err(|e| self.unsupported(&tag, &e))?;
        match value {
            Val::Partial(name) => self.partial(name, line, &tag)?,
            Val::Untranslated => self.out().push(&input[tag.clone()], line, true),
            v => {
                let s = v.to_text().map_err(|e| self.unsupported(&tag, &e))?;
                let s = if escape { html_escape(&s) } else { s };
                self.out().push(&s, line, false);
            }
        }
        Ok(())
    }

    /// `<%= partial "name" %>`, which must stand alone on its line: the text so far is a
    /// segment, the partial another.
    fn partial(&mut self, name: String, line: usize, tag: &Range<usize>) -> Result<()> {
        let input = self.file.text;
        let depth = self.frames.len();
        let out = self.out();
        // Alone on its line: nothing but spaces before it, a line break (or the end)
        // after it.
        let t = &out.text.text;
        let line_start = t.rfind('\n').map_or(0, |i| i + 1);
        let rest = &input[tag.end..];
        let after = rest
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        let alone = depth == 1
            && t[line_start..].bytes().all(|b| b == b' ' || b == b'\t')
            && (rest.len() == after || rest[after..].starts_with('\n'));
        if !alone {
            return Err(Located::new(
                self.file.label,
                line,
                format!("`{}`: a partial must stand alone on its line (shale renders it as an include: its own markdown, between the page's)", shown(&input[tag.clone()])),
            )
            .hint("put the tag on a line of its own")
            .into());
        }
        out.text.text.truncate(line_start);
        if out.text.lines.len() > out.text.text.matches('\n').count() {
            out.text.lines.pop();
        }
        let text = std::mem::take(&mut out.text);
        self.segments.push(Segment::Text(text));
        self.segments.push(Segment::Partial { name, line });
        self.after_partial = true;
        Ok(())
    }

    /// `<% code %>`: only a block's `do` and its `end` are read.
    fn code(
        &mut self,
        code: Range<usize>,
        tag: Range<usize>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<()> {
        let code = self.file.text[code].trim();
        if code.is_empty() {
            return Ok(());
        }
        let line = self.lines.at(tag.start);
        if code == "end" {
            if self.frames.len() == 1 {
                return Err(self.misplaced(&tag, "this `end` closes no block; remove it"));
            }
            let (inner, opened) = self.frames.pop().expect("a block frame");
            let (expr, at, open_tag) = opened.expect("a block frame has its call");
            let html = block_call(&expr, inner.text.text, &self.ctx(at), warnings)
                .map_err(|e| self.unsupported(&open_tag, &e))?;
            self.out().push(&html, at, false);
            return Ok(());
        }
        if let Ok(st) = ruby::parse_statement(code) {
            if st.block {
                self.frames
                    .push((Out::default(), Some((st.expr, line, tag))));
                return Ok(());
            }
        }
        Err(self.unsupported(
            &tag,
            "`<% … %>` runs Ruby code (conditions, loops, variables), which shale does not; only `<% link_to … do %>` … `<% end %>` is read",
        ))
    }

    /// The segments, once every block is closed.
    fn finish(mut self) -> Result<Vec<Segment>> {
        if self.frames.len() > 1 {
            let (_, opened) = self.frames.pop().expect("a block frame");
            let (_, _, tag) = opened.expect("a block frame has its call");
            return Err(self.misplaced(
                &tag,
                "its block has no `<% end %>`; add one after the block's content",
            ));
        }
        let (out, _) = self.frames.pop().expect("the page's frame");
        self.segments.push(Segment::Text(out.text));
        Ok(self.segments)
    }
}

/// `<%= t(:key) %>` in a file that is not ERB (a `.html.md` page, an include):
/// replaced by the translation in prose; left alone in code blocks and code spans,
/// and when it is not a `t` call. `None` when nothing changed.
pub fn translate(file: File<'_>, env: &Env<'_>, warnings: &mut Vec<Diagnostic>) -> Option<Text> {
    let input = file.text;
    if !input.contains("<%=") {
        return None;
    }
    let code = code_ranges(input);
    let lines = Lines::new(input, file.first_line);
    let mut out = Out::default();
    let mut pos = 0;
    let mut changed = false;
    let mut search = 0;
    while let Some(k) = input[search..].find("<%=") {
        let start = search + k;
        search = start + 3;
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let body = start + 3;
        let Some(e) = input[body..].find("%>") else {
            break;
        };
        let close_end = body + e + 2;
        let mut code_end = body + e;
        let tailch = code_end > body && matches!(input.as_bytes()[code_end - 1], b'-' | b'=');
        if tailch {
            code_end -= 1;
        }
        let Ok(st) = ruby::parse_statement(&input[body..code_end]) else {
            continue;
        };
        if st.block || !is_translation(&st.expr) {
            continue;
        }
        let line = lines.at(start);
        let ctx = Ctx {
            env,
            label: file.label,
            line,
        };
        let Ok(Val::Text(s)) = eval(&st.expr, &ctx, warnings) else {
            search = close_end;
            continue;
        };
        out.push(&input[pos..start], lines.at(pos), true);
        out.push(&s, line, false);
        pos = close_end;
        if tailch && input[pos..].starts_with('\n') {
            pos += 1;
        }
        search = pos;
        changed = true;
    }
    if !changed {
        return None;
    }
    out.push(&input[pos..], lines.at(pos), true);
    Some(out.text)
}

/// [`translate`] on a front-matter value written at `line` of the file `label`:
/// the value with its `<%= t(:key) %>` tags translated, or `None`.
pub fn translate_value(
    value: &str,
    env: &Env<'_>,
    label: &str,
    line: usize,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let file = File {
        label,
        text: value,
        first_line: line,
    };
    let mut w = Vec::new();
    let t = translate(file, env, &mut w);
    // Every tag of a value is on the value's line, as the file shows it.
    warnings.extend(w.into_iter().map(|mut d| {
        d.at.line = line;
        d
    }));
    t.map(|t| t.text)
}

/// Whether the expression is `t(…)`, `I18n.t(…)` or `I18n.translate(…)`.
fn is_translation(e: &Expr) -> bool {
    match (e.call_name(), e.receivers()) {
        (Some(("t", _)), Some(r)) => r.is_empty() || r == ["I18n"],
        (Some(("translate", _)), Some(r)) => r == ["I18n"],
        _ => false,
    }
}

/// Byte ranges of fenced code blocks and code spans (where `<%= t(…) %>` is text).
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Fences: up to 3 spaces, 3+ backticks or tildes; closed by a line of at least as
    // many of the same, or the end.
    let mut fence: Option<(u8, usize, usize)> = None; // char, length, start
    let mut offset = 0;
    let mut prose_start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.bytes().take_while(|b| *b == b' ').count();
        let run_of = |c: u8| line[indent..].bytes().take_while(|b| *b == c).count();
        match fence {
            Some((c, n, start)) => {
                let run = if indent <= 3 { run_of(c) } else { 0 };
                if run >= n && line[indent + run..].trim().is_empty() {
                    out.push(start..offset + line.len());
                    fence = None;
                    prose_start = offset + line.len();
                }
            }
            None if indent <= 3 => {
                for c in [b'`', b'~'] {
                    let run = run_of(c);
                    if run >= 3 {
                        spans(text, prose_start..offset, &mut out);
                        fence = Some((c, run, offset));
                        break;
                    }
                }
            }
            None => {}
        }
        offset += line.len();
    }
    match fence {
        Some((_, _, start)) => out.push(start..text.len()),
        None => spans(text, prose_start..text.len(), &mut out),
    }
    out
}

/// Code spans of the prose in `range`: a run of backticks to the next run of as many,
/// within a paragraph. Linear: each run is paired with the next run of its length.
fn spans(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    // (start, length, paragraph) of each run of backticks not escaped by `\`.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    // `blank`: the line so far holds only spaces; a blank line ends a paragraph.
    let (mut i, mut paragraph, mut blank) = (range.start, 0, true);
    while i < range.end {
        match b[i] {
            b'\n' => {
                if blank {
                    paragraph += 1;
                }
                blank = true;
                i += 1;
            }
            b'\\' => {
                blank = false;
                i += 2;
            }
            b'`' => {
                let n = b[i..range.end].iter().take_while(|c| **c == b'`').count();
                runs.push((i, n, paragraph));
                blank = false;
                i += n;
            }
            b' ' | b'\t' => i += 1,
            _ => {
                blank = false;
                i += 1;
            }
        }
    }
    // The next run of the same length, for each run.
    let mut next = vec![usize::MAX; runs.len()];
    let mut last_of_len: std::collections::HashMap<usize, usize> = Default::default();
    for k in (0..runs.len()).rev() {
        if let Some(&j) = last_of_len.get(&runs[k].1) {
            next[k] = j;
        }
        last_of_len.insert(runs[k].1, k);
    }
    let mut k = 0;
    while k < runs.len() {
        let j = next[k];
        if j != usize::MAX && runs[j].2 == runs[k].2 {
            out.push(runs[k].0..runs[j].0 + runs[j].1);
            k = j + 1;
        } else {
            k += 1;
        }
    }
}

/// A tag as shown in messages: one line, 80 characters at most.
fn shown(tag: &str) -> String {
    let one: String = tag.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        one.chars().take(77).collect::<String>() + "…"
    } else {
        one
    }
}

/// Erubi's `h`: `& < > " '`.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Padrino's attribute escaping: `& < > "`.
fn attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Where a helper runs.
struct Ctx<'a, 'e> {
    env: &'a Env<'e>,
    label: &'a str,
    line: usize,
}

impl Ctx<'_, '_> {
    fn warn(&self, warnings: &mut Vec<Diagnostic>, message: String) {
        warnings.push(Diagnostic::new(self.label, self.line, message));
    }
}

fn eval(e: &Expr, ctx: &Ctx<'_, '_>, w: &mut Vec<Diagnostic>) -> Result<Val, String> {
    Ok(match e {
        Expr::Str(s) => Val::Text(s.clone()),
        Expr::Sym(s) => Val::Sym(s.clone()),
        Expr::Num(n) => Val::Num(n.clone()),
        Expr::Bool(b) => Val::Bool(*b),
        Expr::Nil => Val::Nil,
        Expr::Array(items) => Val::Array(
            items
                .iter()
                .map(|i| eval(i, ctx, w))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Hash(pairs) => Val::Hash(
            pairs
                .iter()
                .map(|(k, v)| Ok((eval(k, ctx, w)?, eval(v, ctx, w)?)))
                .collect::<Result<_, String>>()?,
        ),
        Expr::Or(a, b) => {
            // `current_page.data.x || "default"`: no warning when `x` is missing.
            let mut quiet = Vec::new();
            let a = eval(a, ctx, &mut quiet)?;
            if a.truthy() {
                w.extend(quiet);
                a
            } else {
                eval(b, ctx, w)?
            }
        }
        Expr::Chain(links) => chain(e, links, ctx, w)?,
    })
}

fn chain(
    e: &Expr,
    links: &[Link],
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> Result<Val, String> {
    fn name(l: &Link) -> Option<&str> {
        match l {
            Link::Call { name, .. } => Some(name.as_str()),
            Link::Index(_) => None,
        }
    }
    // current_page.data…
    if links.len() >= 2
        && matches!(name(&links[0]), Some("current_page" | "current_resource"))
        && name(&links[1]) == Some("data")
        && links[..2]
            .iter()
            .all(|l| matches!(l, Link::Call { args: None, .. }))
    {
        return data(&links[2..], ctx, w);
    }
    if is_translation(e) {
        let (_, args) = e.call_name().expect("a call");
        return translation(args, ctx, w);
    }
    match (e.receivers().as_deref(), e.call_name()) {
        (Some([]), Some(("locale" | "lang", None))) | (Some(["I18n"]), Some(("locale", None))) => {
            return Ok(Val::Sym(ctx.env.language().to_string()))
        }
        (Some([]), Some(("image_tag", Some(args)))) => return image_tag(args, ctx, w),
        (Some([]), Some(("link_to", Some(args)))) => return link_to(args, None, ctx, w),
        (Some([]), Some(("partial", Some(args)))) => return partial(args, ctx, w),
        _ => {}
    }
    let names: Vec<&str> = links.iter().filter_map(name).collect();
    let mut what = format!("`{}` is not a helper shale runs", names.join("."));
    if names.first() == Some(&"data") {
        what.push_str(" (the files of Middleman's `data/` folder are not read)");
    }
    Err(what)
}

/// `current_page.data.a.b`, `current_page.data[:a]`: the front matter, printed as
/// Middleman prints it (not escaped). A key the front matter lacks prints nothing.
fn data(path: &[Link], ctx: &Ctx<'_, '_>, w: &mut Vec<Diagnostic>) -> Result<Val, String> {
    let mut v: Option<&Value> = None;
    let mut shown = String::from("current_page.data");
    for l in path {
        let key = match l {
            Link::Call { name, args: None } => {
                shown.push('.');
                shown.push_str(name);
                name.clone()
            }
            Link::Index(k) => {
                let k = eval(k, ctx, w)?.to_text()?;
                shown.push_str(&format!("[{k:?}]"));
                k
            }
            Link::Call { name, .. } => {
                return Err(format!("`{name}(…)` is not a key of the front matter"))
            }
        };
        let map = match v {
            None => ctx.env.data,
            Some(Value::Object(m)) => m,
            Some(_) => {
                return Err(format!(
                    "`{shown}`: the value before `{key}` is not a mapping (shale reads front-matter keys; Ruby methods are not run)"
                ))
            }
        };
        match map.get(&key) {
            Some(found) => v = Some(found),
            None => {
                ctx.warn(
                    w,
                    format!("`{shown}`: the front matter has no `{key}`, so this prints nothing (as in Middleman)"),
                );
                return Ok(Val::Nil);
            }
        }
    }
    Ok(match v {
        None => Val::Hash(Vec::new()),
        Some(v) => json_val(v),
    })
}

fn json_val(v: &Value) -> Val {
    match v {
        Value::Null => Val::Nil,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(n.to_string()),
        Value::String(s) => Val::Text(s.clone()),
        Value::Array(items) => Val::Array(items.iter().map(json_val).collect()),
        Value::Object(m) => Val::Hash(
            m.iter()
                .map(|(k, v)| (Val::Sym(k.clone()), json_val(v)))
                .collect(),
        ),
    }
}

/// The keyword arguments of a call, and a trailing hash given as the last positional
/// argument, as `(name, value)` pairs with names as text (Middleman symbolizes them).
fn options(
    args: &Args,
    positional: usize,
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> Result<Arguments, String> {
    let mut pos: Vec<Val> = args
        .positional
        .iter()
        .map(|e| eval(e, ctx, w))
        .collect::<Result<_, _>>()?;
    let mut opts = Vec::new();
    if pos.len() > positional {
        match pos.pop() {
            Some(Val::Hash(pairs)) if pos.len() == positional => {
                for (k, v) in pairs {
                    opts.push((k.to_text()?, v));
                }
            }
            _ => {
                return Err(format!(
                    "too many arguments (at most {positional} and options)"
                ))
            }
        }
    }
    for (k, v) in &args.keywords {
        let k = eval(k, ctx, w)?.to_text()?;
        let v = eval(v, ctx, w)?;
        // A key given twice: the last value, in the first place (a Ruby hash).
        match opts.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => opts.push((k, v)),
        }
    }
    Ok((pos, opts))
}

fn take(opts: &mut Vec<(String, Val)>, key: &str) -> Option<Val> {
    let i = opts.iter().position(|(k, _)| k == key)?;
    Some(opts.remove(i).1)
}

/// `t(:key)`, `t("a.b")`, with `scope:`, `default:`, `locale:` and `%{name}` values.
fn translation(
    args: Option<&Args>,
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> Result<Val, String> {
    let Some(args) = args else {
        return Err("`t` needs the key of a translation, such as `t(:title)`".into());
    };
    let (pos, mut opts) = options(args, 1, ctx, w)?;
    let key = match pos.first() {
        Some(Val::Sym(k) | Val::Text(k)) if !k.is_empty() => k.clone(),
        _ => return Err(
            "`t` needs the key of a translation, such as `t(:title)` or `t('errors.not_found')`"
                .into(),
        ),
    };
    let scope = match take(&mut opts, "scope") {
        None | Some(Val::Nil) => String::new(),
        Some(Val::Array(items)) => {
            items
                .iter()
                .map(Val::to_text)
                .collect::<Result<Vec<_>, _>>()?
                .join(".")
                + "."
        }
        Some(v) => v.to_text()? + ".",
    };
    let default = take(&mut opts, "default");
    let lang = match take(&mut opts, "locale") {
        Some(v) => v.to_text()?,
        None => ctx.env.language().to_string(),
    };
    if let Some((k, _)) = opts.iter().find(|(k, _)| k == "count") {
        return Err(format!("`t` with `{k}:` (plural forms) is not supported"));
    }
    let full = format!("{scope}{key}");
    let strings = ctx.env.strings;
    let found = match strings.lookup(&lang, &full) {
        Lookup::Text(t) => Some(t),
        Lookup::Group => {
            if default.is_none() {
                ctx.warn(w, format!("`t({key:?})`: `{full}` in locales/ is a group of keys, not a text; name one of its keys"));
            }
            None
        }
        Lookup::Missing => {
            if default.is_none() {
                let why = if !strings.present {
                    "there is no locales/ folder beside the source folder (Middleman reads translations from locales/LANG.yml)".to_string()
                } else if !strings.has_language(&lang) {
                    format!("no file of locales/ has translations for `{lang}` (`{lang}:` at the top of locales/{lang}.yml)")
                } else {
                    format!("locales/ has no `{full}` for `{lang}`")
                };
                ctx.warn(
                    w,
                    format!("`t({key:?})`: {why}; the tag is left as written"),
                );
            }
            None
        }
    };
    let Some(mut text) = found else {
        return Ok(match default {
            Some(d) => Val::Text(d.to_text()?),
            None => Val::Untranslated,
        });
    };
    // I18n's interpolation: `%{name}` from the other options.
    for (k, v) in &opts {
        text = text.replace(&format!("%{{{k}}}"), &v.to_text()?);
    }
    Ok(Val::Text(text))
}

/// `partial "includes/x"`: rendered by the caller, where the tag stands.
fn partial(args: &Args, ctx: &Ctx<'_, '_>, w: &mut Vec<Diagnostic>) -> Result<Val, String> {
    let (pos, opts) = options(args, 1, ctx, w)?;
    if let Some((k, _)) = opts
        .iter()
        .find(|(k, v)| !(k == "locals" && matches!(v, Val::Hash(h) if h.is_empty())))
    {
        return Err(format!(
            "`partial` with `{k}:` is not supported (shale renders a partial's markdown as it is)"
        ));
    }
    match pos.first() {
        Some(Val::Text(n) | Val::Sym(n)) if !n.trim().is_empty() => {
            Ok(Val::Partial(n.trim().to_string()))
        }
        _ => {
            Err("`partial` needs the partial's name, such as `partial \"includes/errors\"`".into())
        }
    }
}

/// Middleman's `asset_path(:images, …)`: the path resolved as markdown images are.
fn image_path(url: &str, ctx: &Ctx<'_, '_>, w: &mut Vec<Diagnostic>) -> String {
    if url.contains("//") || url.starts_with("data:") {
        return url.to_string();
    }
    if ctx.env.resolver.local_exists(url, true) == Some(false) {
        ctx.warn(
            w,
            format!("image `{url}` points to a file that is not in the source folder"),
        );
    }
    let src = ctx
        .env
        .resolver
        .image(url)
        .unwrap_or_else(|| url.to_string());
    src.replace(' ', "%20")
}

/// Padrino's `image_alt`: the file name without extension or digest, `-`/`_` as
/// spaces, capitalized.
fn image_alt(url: &str) -> String {
    let base = url.rsplit('/').next().unwrap_or(url);
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let stem = match stem.rfind('-') {
        Some(i)
            if (32..=64).contains(&(stem.len() - i - 1))
                && stem[i + 1..].bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            &stem[..i]
        }
        _ => stem,
    };
    let spaced = stem.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `image_tag "path", alt: "…", width: 100, class: "x"`: `<img src="…" … />`.
fn image_tag(args: &Args, ctx: &Ctx<'_, '_>, w: &mut Vec<Diagnostic>) -> Result<Val, String> {
    let (pos, mut opts) = options(args, 1, ctx, w)?;
    let url = match pos.first() {
        Some(v) => v.to_text()?,
        None => {
            return Err(
                "`image_tag` needs the image's path, such as `image_tag \"images/login.png\"`"
                    .into(),
            )
        }
    };
    // Middleman: each image of `srcset` resolved too.
    if let Some((_, v)) = opts.iter_mut().find(|(k, _)| k == "srcset") {
        let set = v.to_text()?;
        let items: Vec<String> = set
            .split(',')
            .map(|def| {
                if def.contains("//") {
                    return def.to_string();
                }
                let mut parts = def.split_whitespace();
                let img = parts.next().unwrap_or("");
                let size = parts.next().unwrap_or("");
                format!("{} {size}", image_path(img, ctx, w))
            })
            .collect();
        *v = Val::Text(items.join(", "));
    }
    let mut attrs = vec![("src".to_string(), Val::Text(image_path(&url, ctx, w)))];
    for (k, v) in opts {
        match attrs.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => attrs.push((k, v)),
        }
    }
    if !(url.is_empty() || url.starts_with("cid:") || url.starts_with("data:")) {
        match attrs.iter_mut().find(|(k, _)| k == "alt") {
            Some((_, v)) if !v.truthy() => *v = Val::Text(image_alt(&url)),
            Some(_) => {}
            None => attrs.push(("alt".into(), Val::Text(image_alt(&url)))),
        }
    }
    Ok(Val::Text(format!(
        "<img{} />",
        attributes(data_options(attrs))?
    )))
}

/// `link_to "text", "url", class: "x"` (or its block form, `content` given): Padrino's
/// link with Middleman's `url_for`: a link from the site root made relative, as in
/// markdown; `anchor:`/`fragment:` and `query:` added to the URL.
fn link_to(
    args: &Args,
    content: Option<String>,
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> Result<Val, String> {
    let block = content.is_some();
    let (pos, mut opts) = options(args, if block { 1 } else { 2 }, ctx, w)?;
    let (caption, url) = match content {
        Some(c) => (c, pos.first().cloned()),
        None => (
            pos.first()
                .map(Val::to_text)
                .transpose()?
                .unwrap_or_default(),
            pos.get(1).cloned(),
        ),
    };
    for unsupported in ["locale", "if", "unless"] {
        if opts.iter().any(|(k, _)| k == unsupported) {
            return Err(format!("`link_to` with `{unsupported}:` is not supported"));
        }
    }
    let fragment = match (take(&mut opts, "anchor"), take(&mut opts, "fragment")) {
        (_, Some(f)) | (Some(f), None) if f.truthy() => Some(f.to_text()?),
        _ => None,
    };
    let query = query_option(take(&mut opts, "query"))?;
    for dropped in ["relative", "current_resource", "find_resource"] {
        take(&mut opts, dropped);
    }
    let href = match url.filter(Val::truthy) {
        None => "#".to_string(),
        Some(u) => link_href(&u.to_text()?, query, fragment, ctx, w),
    };
    let mut attrs = vec![("href".to_string(), Val::Text(href))];
    attrs.extend(opts);
    Ok(Val::Text(format!(
        "<a{}>{caption}</a>",
        attributes(data_options(attrs))?
    )))
}

/// `link_to`'s `query:` option: a hash as `k=v&...` (sorted, form-escaped), or text.
fn query_option(query: Option<Val>) -> Result<Option<String>, String> {
    Ok(match query {
        Some(Val::Hash(pairs)) => {
            let mut items: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| Ok((k.to_text()?, v.to_text()?)))
                .collect::<Result<_, String>>()?;
            items.sort();
            Some(
                items
                    .iter()
                    .map(|(k, v)| format!("{}={}", form_escape(k), form_escape(v)))
                    .collect::<Vec<_>>()
                    .join("&"),
            )
        }
        Some(v) if v.truthy() => Some(v.to_text()?),
        _ => None,
    })
}

/// The `href` of `link_to` for the URL `u`: a page or file of the site resolved as
/// Middleman does (warned about when it is not in the source folder), with the query
/// and fragment options.
fn link_href(
    u: &str,
    query: Option<String>,
    fragment: Option<String>,
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> String {
    let external = u.contains("//")
        || u.split_once(':')
            .is_some_and(|(s, _)| !s.contains(['/', '?', '#']));
    let mut href = if external {
        u.to_string()
    } else {
        if ctx.env.resolver.local_exists(u, false) == Some(false) {
            ctx.warn(
                w,
                format!("link `{u}` points to a file that is not in the source folder"),
            );
        }
        ctx.env.resolver.link(u).unwrap_or_else(|| u.to_string())
    };
    if let Some(q) = query {
        let (base, frag) = match href.find('#') {
            Some(i) => (href[..i].to_string(), href[i..].to_string()),
            None => (href.clone(), String::new()),
        };
        let base = base.split('?').next().unwrap_or("").to_string();
        href = format!("{base}?{q}{frag}");
    }
    if let Some(f) = fragment {
        let base = href.split('#').next().unwrap_or("").to_string();
        href = format!("{base}#{f}");
    }
    href.replace(' ', "%20")
}

/// A block helper closed by `<% end %>`, with the block's output.
fn block_call(
    e: &Expr,
    content: String,
    ctx: &Ctx<'_, '_>,
    w: &mut Vec<Diagnostic>,
) -> Result<String, String> {
    match (e.receivers().as_deref(), e.call_name()) {
        (Some([]), Some(("link_to", args))) => {
            let args = args.cloned().unwrap_or_default();
            link_to(&args, Some(content), ctx, w)?.to_text()
        }
        (_, Some((name, _))) => Err(format!(
            "`{name} … do` is not a block helper shale runs (only `link_to … do`)"
        )),
        _ => Err("this block is not one shale runs".into()),
    }
}

/// CGI.escape, as `to_query` writes a query.
fn form_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Padrino's data options: `method:`, `remote:` and `confirm:` become `data-…` (and
/// `method:` adds `rel="nofollow"`).
fn data_options(attrs: Vec<(String, Val)>) -> Vec<(String, Val)> {
    let mut out = attrs.clone();
    for (k, _) in &attrs {
        if matches!(k.as_str(), "method" | "remote" | "confirm") {
            let v = take(&mut out, k).unwrap_or(Val::Nil);
            out.push((format!("data-{k}"), v));
            if k == "method" {
                match out.iter_mut().find(|(n, _)| n == "rel") {
                    Some(slot) => slot.1 = Val::Text("nofollow".into()),
                    None => out.push(("rel".into(), Val::Text("nofollow".into()))),
                }
            }
        }
    }
    out
}

/// Padrino's attributes: ` name="value"` each, values escaped; nothing for `nil` and
/// `false`; boolean attributes as `name="name"`; a hash as `name-key="…"`.
fn attributes(attrs: Vec<(String, Val)>) -> Result<String, String> {
    const BOOLEAN: &[&str] = &[
        "autoplay",
        "autofocus",
        "formnovalidate",
        "checked",
        "disabled",
        "hidden",
        "loop",
        "multiple",
        "muted",
        "readonly",
        "required",
        "selected",
        "declare",
        "defer",
        "ismap",
        "itemscope",
        "noresize",
        "novalidate",
    ];
    let mut out = String::new();
    fn one(out: &mut String, name: &str, v: &Val, boolean: bool) -> Result<(), String> {
        let ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
        if !ok {
            return Err(format!("`{name}` is not an HTML attribute name"));
        }
        match v {
            Val::Hash(pairs) => {
                for (k, v) in pairs {
                    let sub = format!("{name}-{}", k.to_text()?.replace('_', "-"));
                    if v.truthy() || matches!(v, Val::Hash(_)) {
                        one(out, &sub, v, false)?;
                    } else {
                        out.push_str(&format!(" {sub}=\"{}\"", attr_escape(&v.to_text()?)));
                    }
                }
            }
            _ if boolean => out.push_str(&format!(" {name}=\"{name}\"")),
            Val::Array(items) => {
                let joined = items
                    .iter()
                    .map(Val::to_text)
                    .collect::<Result<Vec<_>, _>>()?
                    .join(" ");
                out.push_str(&format!(" {name}=\"{}\"", attr_escape(&joined)));
            }
            v => out.push_str(&format!(" {name}=\"{}\"", attr_escape(&v.to_text()?))),
        }
        Ok(())
    }
    for (name, v) in &attrs {
        if !v.truthy() {
            continue;
        }
        one(&mut out, name, v, BOOLEAN.contains(&name.as_str()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
