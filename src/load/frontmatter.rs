//! Front matter: the YAML block between `---` lines at the top of a page, read the way
//! Slate's layout reads it (Ruby truthiness, both `language_tabs` forms, null values
//! accepted). Unknown keys are kept for custom layouts as `extra`.

use crate::error::Located;
use serde::Serialize;
use serde_yaml::Value;

/// Title used when the front matter has none (or `title: false`), as in Slate.
pub const DEFAULT_TITLE: &str = "API Documentation";

/// One language tab: the key that code fences use (`tab-KEY`) and the label shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageTab {
    pub key: String,
    pub label: String,
}

/// One attribute of a `<meta>` tag, in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaAttr {
    pub name: String,
    pub value: String,
}

/// Everything Slate reads from a page's front matter, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub language_tabs: Vec<LanguageTab>,
    pub toc_footers: Vec<String>,
    pub includes: Vec<String>,
    pub search: bool,
    pub code_clipboard: bool,
    pub meta: Vec<Vec<MetaAttr>>,
    /// `rtl: true`: the page reads right to left (`<html dir="rtl">`, mirrored layout);
    /// unset, a page of a multi-language site in Arabic, Hebrew, Persian… is.
    pub rtl: Option<bool>,
    /// `theme:`: CSS custom properties set for this page, validated.
    pub theme: PageTheme,
    /// Keys Slate does not read, passed to templates as `page.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Page line of each top-level key, for messages.
    #[serde(skip)]
    pub key_lines: Vec<(String, usize)>,
}

impl FrontMatter {
    /// The page line on which `key` is written, if it is.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|&(_, l)| l)
    }
}

impl Default for FrontMatter {
    fn default() -> Self {
        FrontMatter {
            title: DEFAULT_TITLE.to_string(),
            language_tabs: Vec::new(),
            toc_footers: Vec::new(),
            includes: Vec::new(),
            search: false,
            code_clipboard: false,
            meta: Vec::new(),
            rtl: None,
            theme: PageTheme::default(),
            extra: serde_json::Map::new(),
            key_lines: Vec::new(),
        }
    }
}

/// The front matter's `theme:` mapping: values of the theme's CSS custom properties
/// (`nav-width: 300px`), and under `dark:` those of the dark mode (`dark: false` removes
/// the dark mode switch). Names and values are checked, so [`PageTheme::css`] can go
/// into a `<style>` element as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PageTheme {
    /// Set for the page (in the light mode, and in the dark mode unless `dark:` or the
    /// theme's dark palette sets them too).
    pub vars: Vec<ThemeVar>,
    /// Set in the dark mode only.
    pub dark: Vec<ThemeVar>,
    /// `dark: false`: no dark mode for this page.
    pub no_dark_mode: bool,
}

/// One CSS custom property of `theme:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeVar {
    /// The name without its leading `--` (`nav-width`).
    pub name: String,
    pub value: String,
    /// The page line it is written on.
    pub line: usize,
}

impl PageTheme {
    /// The CSS of the page's variables: `:root{--nav-width:300px}` and
    /// `:root[data-theme="dark"]{…}`; empty when there are none.
    pub fn css(&self) -> String {
        let mut out = String::new();
        for (selector, vars) in [
            (":root", &self.vars),
            (":root[data-theme=\"dark\"]", &self.dark),
        ] {
            if vars.is_empty() {
                continue;
            }
            out.push_str(selector);
            out.push('{');
            for (i, v) in vars.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                out.push_str("--");
                out.push_str(&v.name);
                out.push(':');
                out.push_str(&v.value);
            }
            out.push('}');
        }
        out
    }
}

/// Reads `theme:` (its value `v`; `yaml` starts on page line `yaml_line`).
fn theme(v: &Value, yaml: &str, yaml_line: usize) -> Result<PageTheme, FrontMatterError> {
    let top = key_line(yaml, "theme").unwrap_or(0);
    let err = |line0: usize, message: String| FrontMatterError {
        line: yaml_line + line0,
        column: 1,
        message: format!("front matter `theme`: {message}"),
    };
    let map = match v {
        Value::Null | Value::Bool(false) => return Ok(PageTheme::default()),
        Value::Mapping(m) => m,
        other => {
            return Err(err(
                top,
                format!(
                    "must be a mapping of theme variables to values, such as `nav-width: 300px`, found {}",
                    kind(other)
                ),
            ))
        }
    };
    let mut out = PageTheme::default();
    for (k, v) in map {
        let name = scalar_text(k).unwrap_or_default();
        let line0 = nested_key_line(yaml, top, &name).unwrap_or(top);
        if name == "dark" {
            match v {
                Value::Bool(false) => out.no_dark_mode = true,
                Value::Null | Value::Bool(true) => {}
                Value::Mapping(dark) => {
                    for (k, v) in dark {
                        let name = scalar_text(k).unwrap_or_default();
                        let l = nested_key_line(yaml, line0, &name).unwrap_or(line0);
                        let mut var = theme_var(&name, v, "dark.").map_err(|m| err(l, m))?;
                        var.line = yaml_line + l;
                        out.dark.push(var);
                    }
                }
                other => {
                    return Err(err(
                        line0,
                        format!(
                            "`dark` must be a mapping of the dark mode's variables (`main-bg: \"#111\"`), or `false` for no dark mode, found {}",
                            kind(other)
                        ),
                    ))
                }
            }
            continue;
        }
        let mut var = theme_var(&name, v, "").map_err(|m| err(line0, m))?;
        var.line = yaml_line + line0;
        out.vars.push(var);
    }
    Ok(out)
}

/// One `name: value` of `theme:`, checked; `path` is `dark.` under `dark:`.
fn theme_var(name: &str, v: &Value, path: &str) -> Result<ThemeVar, String> {
    let bare = name.strip_prefix("--").unwrap_or(name);
    let valid = bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && bare
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(format!(
            "`{path}{name}` is not a theme variable name (letters, digits, `-` and `_`, such as `nav-width`)"
        ));
    }
    let value = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => {
            return Err(format!(
                "`{path}{bare}` has no value; quote colours (`{bare}: \"#2E3336\"`): in YAML an unquoted `#` starts a comment"
            ))
        }
        other => {
            return Err(format!(
                "the value of `{path}{bare}` must be a CSS value such as `#2E3336`, `300px` or `Georgia, serif`, found {}",
                kind(other)
            ))
        }
    };
    if let Some(why) = css_value_problem(&value) {
        return Err(format!(
            "the value of `{path}{bare}` ({}) {why}; write one CSS value, such as `#2E3336`, `300px` or `Georgia, serif`",
            shorten(&value)
        ));
    }
    Ok(ThemeVar {
        name: bare.to_string(),
        value,
        line: 0,
    })
}

/// Why `value` cannot be written as the value of a CSS custom property inside a
/// `<style>` element, or `None` when it can: it must not end the declaration, the
/// rule or the element, nor open a comment or a string it does not close.
pub fn css_value_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("is empty".into());
    }
    if let Some(c) = value
        .chars()
        .find(|c| matches!(c, ';' | '{' | '}' | '<' | '>' | '\\'))
    {
        return Some(match c {
            ';' => "contains `;`, which would end the declaration".into(),
            '{' | '}' => format!("contains `{c}`, which would end the rule"),
            '<' | '>' => format!("contains `{c}`, which could end the <style> element (in a data URL, write `%3C` and `%3E`)"),
            _ => "contains `\\`: CSS escapes are not allowed in theme values".into(),
        });
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Some(format!(
            "contains the control character U+{:04X} (a line break or a tab?)",
            c as u32
        ));
    }
    if value.contains("/*") || value.contains("*/") {
        return Some("contains a CSS comment (`/*` or `*/`)".into());
    }
    // quotes closed, parentheses balanced (outside quotes)
    let (mut quote, mut depth) = (None, 0i32);
    for c in value.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return Some("has a `)` that no `(` opens".into());
                }
            }
            _ => {}
        }
    }
    if let Some(q) = quote {
        return Some(format!("opens a string with `{q}` that it does not close"));
    }
    if depth > 0 {
        return Some("has a `(` that it does not close".into());
    }
    None
}

/// `value` in backticks, cut after 40 characters.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((i, _)) => format!("`{}…`", &value[..i]),
        None => format!("`{value}`"),
    }
}

/// 0-based line of the YAML block on which `key:` is written inside the block mapping
/// whose key is on line `parent` (the lines below it that are indented more).
fn nested_key_line(yaml: &str, parent: usize, key: &str) -> Option<usize> {
    let lines: Vec<&str> = yaml.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let base = indent(lines.get(parent)?);
    for (i, l) in lines.iter().enumerate().skip(parent + 1) {
        let t = l.trim_start_matches(' ');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent(l) <= base {
            break;
        }
        let t = t.trim_start_matches(['"', '\'']);
        if t.strip_prefix(key)
            .map(|r| r.trim_start_matches(['"', '\'']))
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return Some(i);
        }
    }
    None
}

/// A front-matter problem, with the 1-based line of the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl FrontMatterError {
    /// The error in the page `file` (as messages name it).
    pub fn located(self, file: &str) -> Located {
        Located::new(file, self.line, self.message).column(self.column)
    }
}

impl std::fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// A page split into its front matter text and its markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the delimiters; `None` when the page has no front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the page on which the YAML text starts.
    pub yaml_line: usize,
    /// The markdown after the closing delimiter.
    pub body: &'a str,
    /// 1-based line of the page on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (BOM already removed) into front matter and body, as Middleman does:
/// an optional `coding:` line, `---`, the YAML, then `---` or `...` on a line of its own.
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        yaml_line: 0,
        body: text,
        body_line: 1,
    };
    let mut rest = text;
    let mut line = 1;
    // An optional first line naming the encoding (`# coding: utf-8`).
    if let Some((first, after)) = split_line(rest) {
        if first.contains("coding:") && !is_delimiter(first, &["---"]) {
            rest = after;
            line += 1;
        }
    }
    let Some((open, after_open)) = split_line(rest) else {
        return none;
    };
    if !is_delimiter(open, &["---"]) || !open.ends_with('\n') {
        return none;
    }
    let yaml_start = after_open;
    let yaml_line = line + 1;
    let mut cursor = after_open;
    let mut n = yaml_line;
    while let Some((l, after)) = split_line(cursor) {
        if is_delimiter(l, &["---", "..."]) {
            let yaml_len = yaml_start.len() - cursor.len();
            return Split {
                yaml: Some(&yaml_start[..yaml_len]),
                yaml_line,
                body: after,
                body_line: n + 1,
            };
        }
        cursor = after;
        n += 1;
    }
    none
}

/// Returns the first line of `s` (with its line ending) and the rest, or `None` when empty.
fn split_line(s: &str) -> Option<(&str, &str)> {
    if s.is_empty() {
        return None;
    }
    match s.find('\n') {
        Some(i) => Some((&s[..=i], &s[i + 1..])),
        None => Some((s, "")),
    }
}

fn is_delimiter(line: &str, marks: &[&str]) -> bool {
    let l = line.trim_end_matches(['\n', '\r']).trim_end_matches(' ');
    marks.contains(&l)
}

/// Parses the YAML of a front matter block. `yaml_line` is the page line it starts on,
/// so errors point into the page, not into the block.
pub fn parse(yaml: &str, yaml_line: usize) -> Result<FrontMatter, FrontMatterError> {
    parse_translated(yaml, yaml_line, &mut |_, _| None)
}

/// The YAML of a front matter block as a value; a syntax error points at the page line
/// and column of the mistake.
fn read_yaml(yaml: &str, yaml_line: usize) -> Result<Value, FrontMatterError> {
    if yaml.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let (mut line, mut column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let text = e.to_string();
        // "found unexpected end of stream at line 4 column 1, while scanning a quoted
        // scalar at line 1 column 8": the second place is where the mistake is.
        let message = match text.split_once(", while ") {
            Some((what, context)) => {
                if let Some((l, c)) = location_in(context) {
                    (line, column) = (l, c);
                }
                format!("{} while {}", strip_location(what), strip_location(context))
            }
            None => strip_location(&text),
        };
        let hint = yaml_hint(&text, yaml.lines().nth(line.saturating_sub(1)));
        FrontMatterError {
            line: yaml_line + line.saturating_sub(1),
            column,
            message: format!("front matter is not valid YAML: {message}{hint}"),
        }
    })
}

/// [`parse`], with each text value that holds an ERB tag (`<%=`) first given to
/// `translate` with the page line it is written on: its result, if any, replaces it
/// (`title: <%= t(:title) %>`).
pub fn parse_translated(
    yaml: &str,
    yaml_line: usize,
    translate: &mut dyn FnMut(&str, usize) -> Option<String>,
) -> Result<FrontMatter, FrontMatterError> {
    if let Some((line, column)) = flow_too_deep(yaml, MAX_FLOW_NESTING) {
        return Err(FrontMatterError {
            line: yaml_line + line - 1,
            column,
            message: format!(
                "front matter is not valid YAML: `[` and `{{` nest more than {MAX_FLOW_NESTING} levels deep here"
            ),
        });
    }
    let value: Value = read_yaml(yaml, yaml_line)?;
    let map = match value {
        Value::Null => return Ok(FrontMatter::default()),
        Value::Mapping(m) => m,
        other => {
            return Err(FrontMatterError {
                line: yaml_line,
                column: 1,
                message: format!(
                    "front matter must be a mapping of `key: value` lines, found {}",
                    kind(&other)
                ),
            })
        }
    };
    read_keys(map, yaml, yaml_line, translate)
}

/// The keys of a front matter mapping into a [`FrontMatter`]; a value of the wrong kind
/// is an error on its key's line.
fn read_keys(
    map: serde_yaml::Mapping,
    yaml: &str,
    yaml_line: usize,
    translate: &mut dyn FnMut(&str, usize) -> Option<String>,
) -> Result<FrontMatter, FrontMatterError> {
    let mut fm = FrontMatter::default();
    for (k, mut v) in map {
        let key = scalar_text(&k).unwrap_or_default();
        let key_at = key_line(yaml, &key).unwrap_or(0);
        translate_strings(&mut v, yaml, key_at, yaml_line, translate);
        if let Some(l) = key_line(yaml, &key) {
            fm.key_lines.push((key.clone(), yaml_line + l));
        }
        let at = |message: String| FrontMatterError {
            line: key_line(yaml, &key).map_or(yaml_line, |l| yaml_line + l),
            column: 1,
            message,
        };
        match key.as_str() {
            "title" => {
                if truthy(&v) {
                    fm.title = scalar_text(&v)
                        .ok_or_else(|| at(format!("`title` must be text, found {}", kind(&v))))?;
                }
            }
            "language_tabs" => fm.language_tabs = language_tabs(&v).map_err(at)?,
            "toc_footers" => fm.toc_footers = string_list(&v, "toc_footers").map_err(at)?,
            "includes" => fm.includes = string_list(&v, "includes").map_err(at)?,
            "search" => fm.search = truthy(&v),
            "code_clipboard" => fm.code_clipboard = truthy(&v),
            "meta" => fm.meta = meta(&v).map_err(at)?,
            "rtl" => fm.rtl = Some(truthy(&v)),
            "theme" => fm.theme = theme(&v, yaml, yaml_line)?,
            _ => {
                fm.extra.insert(key, to_json(&v));
            }
        }
    }
    Ok(fm)
}

/// Gives every text of `v` that holds `<%=` to `translate`, with the page line where
/// the tag is written (searched from `from`, the 0-based line of the block where the
/// value's key is).
fn translate_strings(
    v: &mut Value,
    yaml: &str,
    from: usize,
    yaml_line: usize,
    translate: &mut dyn FnMut(&str, usize) -> Option<String>,
) {
    match v {
        Value::String(s) if s.contains("<%=") => {
            let tag = &s[s.find("<%=").unwrap_or(0)..];
            let tag = &tag[..tag.find("%>").map_or(tag.len(), |i| i + 2)];
            let line = yaml
                .lines()
                .enumerate()
                .skip(from)
                .find(|(_, l)| l.contains(tag))
                .map_or(from, |(i, _)| i);
            if let Some(new) = translate(s, yaml_line + line) {
                *s = new;
            }
        }
        Value::Sequence(items) => {
            for i in items {
                translate_strings(i, yaml, from, yaml_line, translate);
            }
        }
        Value::Mapping(m) => {
            for (_, i) in m.iter_mut() {
                translate_strings(i, yaml, from, yaml_line, translate);
            }
        }
        Value::Tagged(t) => translate_strings(&mut t.value, yaml, from, yaml_line, translate),
        _ => {}
    }
}

/// The front matter as data, as Middleman's `current_page.data` holds it (every key,
/// nothing checked); empty when it is not a mapping.
pub fn data(yaml: &str) -> serde_json::Map<String, serde_json::Value> {
    match serde_yaml::from_str::<Value>(yaml) {
        Ok(v @ Value::Mapping(_)) => match to_json(&v) {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    }
}

/// Deepest nesting of YAML flow collections (`[[…]]`, `{a: {…}}`) read. The YAML parser
/// takes time quadratic in that depth (seconds for a few thousand levels) before its
/// own recursion limit (128) rejects the document; this check rejects it at once.
const MAX_FLOW_NESTING: usize = 100;

/// Where the flow collections of `yaml` first nest deeper than `max`: 1-based line and
/// column. Skips quoted scalars and comments; brackets inside plain scalars count, so
/// this can only err towards rejecting text with over `max` unclosed brackets.
fn flow_too_deep(yaml: &str, max: usize) -> Option<(usize, usize)> {
    let b = yaml.as_bytes();
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    // The last byte that is not a space or a tab (`\n` at a line start).
    let mut last = b'\n';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                last = b'\n';
                i += 1;
                continue;
            }
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                i = yaml[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' if matches!(last, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?') => {
                // A quoted scalar: `\"` escapes in double quotes, `''` in single ones.
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == b'\n' {
                        line += 1;
                        line_start = j + 1;
                    } else if c == b'"' && b[j] == b'\\' {
                        j += 1;
                    } else if b[j] == c {
                        if c == b'\'' && b.get(j + 1) == Some(&b'\'') {
                            j += 1;
                        } else {
                            break;
                        }
                    }
                    j += 1;
                }
                i = j + 1;
                last = c;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some((line, yaml[line_start..i].chars().count() + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        last = c;
        i += 1;
    }
    None
}

/// Ruby truthiness: everything but `false` and `nil` is true (`search: "no"` enables search).
pub fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The text of a scalar, as Ruby's `to_s` prints it.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

fn string_list(v: &Value, key: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(|i| {
                scalar_text(i)
                    .ok_or_else(|| format!("every item of `{key}` must be text, found {}", kind(i)))
            })
            .collect(),
        other => Err(format!(
            "`{key}` must be a list (lines starting with `- `), found {}",
            kind(other)
        )),
    }
}

fn language_tabs(v: &Value) -> Result<Vec<LanguageTab>, String> {
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(items) => items,
        other => {
            return Err(format!(
                "`language_tabs` must be a list such as `- shell` or `- shell: cURL`, found {}",
                kind(other)
            ))
        }
    };
    let mut tabs = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Null => {}
            Value::Mapping(m) => {
                // Slate uses the first pair only: `- shell: cURL`.
                if let Some((k, v)) = m.iter().next() {
                    let key = scalar_text(k).ok_or("a `language_tabs` key must be text")?;
                    let label = match v {
                        Value::Null => key.clone(),
                        v => scalar_text(v).ok_or_else(|| {
                            format!("the label of language tab `{key}` must be text")
                        })?,
                    };
                    tabs.push(LanguageTab { key, label });
                }
            }
            other => {
                let key = scalar_text(other).ok_or_else(|| {
                    format!("a `language_tabs` item must be text, found {}", kind(other))
                })?;
                tabs.push(LanguageTab {
                    label: key.clone(),
                    key,
                });
            }
        }
    }
    Ok(tabs)
}

fn meta(v: &Value) -> Result<Vec<Vec<MetaAttr>>, String> {
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(items) => items,
        other => {
            return Err(format!(
                "`meta` must be a list of mappings such as `- name: description`, found {}",
                kind(other)
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Null => {}
            Value::Mapping(m) => {
                let mut attrs = Vec::with_capacity(m.len());
                for (k, v) in m {
                    let name = scalar_text(k).ok_or("a `meta` attribute name must be text")?;
                    if !is_attribute_name(&name) {
                        return Err(format!(
                            "`meta` attribute name `{name}` is not an HTML attribute name (letters, digits, `-`, `_`, `:`, `.`)"
                        ));
                    }
                    let value = scalar_text(v).ok_or_else(|| {
                        format!("the `meta` attribute `{name}` must have a text value")
                    })?;
                    attrs.push(MetaAttr { name, value });
                }
                out.push(attrs);
            }
            other => {
                return Err(format!(
                    "every `meta` item must be a mapping of attributes, found {}",
                    kind(other)
                ))
            }
        }
    }
    Ok(out)
}

/// An attribute name the layout can write as it is: `name`, `http-equiv`, `og:title`.
fn is_attribute_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::to_value(n).unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => items.iter().map(to_json).collect(),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| (scalar_text(k).unwrap_or_default(), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// 0-based line of the YAML block on which top-level `key:` is written.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// The `line X column Y` of a serde_yaml message part.
fn location_in(msg: &str) -> Option<(usize, usize)> {
    let at = msg.find(" at line ")?;
    let mut words = msg[at + 9..].split_whitespace();
    let line = words.next()?.trim_end_matches(',').parse().ok()?;
    (words.next()? == "column").then_some(())?;
    let column = words.next()?.trim_end_matches(',').parse().ok()?;
    Some((line, column))
}

/// serde_yaml appends " at line X column Y"; the caller reports the page position itself.
/// What to do about the YAML errors that do not say it themselves.
fn yaml_hint(msg: &str, line: Option<&str>) -> &'static str {
    if line.is_some_and(|l| l.trim_start_matches(' ').starts_with('\t')) {
        "; YAML indents with spaces, not tabs"
    } else if msg.starts_with("repetition limit exceeded") {
        " (its aliases, `*name`, expand to too much data)"
    } else if msg.starts_with("recursion limit exceeded") {
        " (lists and mappings nest more than 128 levels deep)"
    } else {
        ""
    }
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> FrontMatter {
        let s = split(text);
        parse(s.yaml.unwrap(), s.yaml_line).unwrap()
    }

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\ntitle: X\n---\n# Body\n");
        assert_eq!(s.yaml, Some("title: X\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn splits_crlf_dots_and_coding_line() {
        let s = split("# coding: utf-8\r\n---\r\ntitle: X\r\n...\r\nBody");
        assert_eq!(s.yaml, Some("title: X\r\n"));
        assert_eq!(s.body, "Body");
        assert_eq!(s.yaml_line, 3);
    }

    #[test]
    fn no_front_matter_when_unclosed_or_absent() {
        assert_eq!(split("# Title\n").yaml, None);
        assert_eq!(split("---\ntitle: x\n").yaml, None);
        assert_eq!(split("").yaml, None);
        // A thematic break later in the page is not front matter.
        assert_eq!(split("Text\n---\nmore\n---\n").yaml, None);
    }

    #[test]
    fn empty_front_matter_gives_defaults() {
        let s = split("---\n---\nBody");
        assert_eq!(s.yaml, Some(""));
        assert_eq!(parse("", 2).unwrap(), FrontMatter::default());
        assert_eq!(parse("# only a comment\n", 2).unwrap().title, DEFAULT_TITLE);
    }

    #[test]
    fn reads_every_slate_key() {
        let f = fm("---\ntitle: API Reference\nlanguage_tabs:\n  - shell: cURL\n  - ruby\n  - python: \ntoc_footers:\n  - <a href='#'>Sign Up</a>\nincludes:\n  - errors\n  - v2/users\nsearch: true\ncode_clipboard: yes\nmeta:\n  - name: description\n    content: Docs\n---\n");
        assert_eq!(f.title, "API Reference");
        assert_eq!(
            f.language_tabs,
            vec![
                LanguageTab {
                    key: "shell".into(),
                    label: "cURL".into()
                },
                LanguageTab {
                    key: "ruby".into(),
                    label: "ruby".into()
                },
                LanguageTab {
                    key: "python".into(),
                    label: "python".into()
                },
            ]
        );
        assert_eq!(f.toc_footers, vec!["<a href='#'>Sign Up</a>"]);
        assert_eq!(f.includes, vec!["errors", "v2/users"]);
        assert!(f.search);
        assert!(
            f.code_clipboard,
            "`yes` is a YAML string here, and truthy in Ruby"
        );
        assert_eq!(
            f.meta,
            vec![vec![
                MetaAttr {
                    name: "name".into(),
                    value: "description".into()
                },
                MetaAttr {
                    name: "content".into(),
                    value: "Docs".into()
                },
            ]]
        );
    }

    #[test]
    fn ruby_truthiness_and_nulls() {
        let f = fm("---\ntitle:\nsearch: \"no\"\ncode_clipboard: false\nincludes:\nlanguage_tabs:\ntoc_footers: []\n---\n");
        assert_eq!(f.title, DEFAULT_TITLE);
        assert!(f.search, "any string, even \"no\", is truthy in Ruby");
        assert!(!f.code_clipboard);
        assert!(f.includes.is_empty() && f.language_tabs.is_empty() && f.toc_footers.is_empty());
        assert_eq!(fm("---\ntitle: false\n---\n").title, DEFAULT_TITLE);
        assert_eq!(fm("---\ntitle: 2024\n---\n").title, "2024");
    }

    #[test]
    fn unknown_keys_are_kept_as_extra() {
        let f = fm("---\nheadingLevel: 2\nversion: v1\nlogo: {src: x.png}\n---\n");
        assert_eq!(f.extra["headingLevel"], serde_json::json!(2));
        assert_eq!(f.extra["version"], serde_json::json!("v1"));
        assert_eq!(f.extra["logo"]["src"], serde_json::json!("x.png"));
    }

    #[test]
    fn wrong_types_are_errors_on_the_page_line() {
        let e = parse("title: x\nlanguage_tabs: shell\n", 2).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("language_tabs"), "{}", e.message);
        let e = parse("includes: errors\n", 2).unwrap_err();
        assert!(
            e.message.contains("`includes` must be a list"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unclosed_quote_points_at_the_quote() {
        let e = parse("title: \"broken\nlanguage_tabs:\n  - shell\n", 2).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e}");
        assert!(
            e.message.contains("while scanning a quoted scalar"),
            "{}",
            e.message
        );
    }

    #[test]
    fn broken_yaml_reports_the_page_line() {
        let e = parse("title: x\nlanguage_tabs:\n  - shell\n bad: [\n", 2).unwrap_err();
        assert!(e.line >= 4, "line {} should point into the page", e.line);
        assert!(
            e.message.starts_with("front matter is not valid YAML"),
            "{}",
            e.message
        );
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn rtl_and_theme_variables() {
        let f = fm("---\ntitle: x\nrtl: true\ntheme:\n  nav-width: 300px\n  --main-bg: \"#fff\"\n  line-height: 1.5\n  font-default: Georgia, \"Times New Roman\", serif\n  dark:\n    main-bg: \"#000\"\n---\n");
        assert_eq!(f.rtl, Some(true));
        let names: Vec<(&str, &str, usize)> = f
            .theme
            .vars
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str(), v.line))
            .collect();
        assert_eq!(
            names,
            [
                ("nav-width", "300px", 5),
                ("main-bg", "#fff", 6),
                ("line-height", "1.5", 7),
                ("font-default", "Georgia, \"Times New Roman\", serif", 8)
            ]
        );
        assert_eq!(f.theme.dark[0].line, 10);
        assert!(!f.theme.no_dark_mode);
        assert_eq!(
            f.theme.css(),
            ":root{--nav-width:300px;--main-bg:#fff;--line-height:1.5;--font-default:Georgia, \"Times New Roman\", serif}:root[data-theme=\"dark\"]{--main-bg:#000}"
        );
        assert!(fm("---\ntheme:\n  dark: false\n---\n").theme.no_dark_mode);
        assert_eq!(
            fm("---\ntheme: {nav-width: 1px}\n---\n").theme.vars[0].line,
            2
        );
        assert_eq!(fm("---\ntitle: x\n---\n").theme.css(), "");
        assert_eq!(fm("---\nrtl: false\n---\n").rtl, Some(false));
        assert_eq!(fm("---\ntitle: x\n---\n").rtl, None);
    }

    #[test]
    fn theme_values_that_could_break_out_are_errors_naming_the_key_and_line() {
        let err = |yaml: &str| parse(yaml, 2).unwrap_err();
        for (value, why) in [
            ("\"red; } body { display: none\"", "contains `;`"),
            ("\"red}\"", "contains `}`"),
            ("\"</style><script>alert(1)</script>\"", "contains `<`"),
            ("\"url(x\"", "`(` that it does not close"),
            ("\"a)\"", "`)` that no `(` opens"),
            ("'\"Georgia'", "does not close"),
            ("\"red /* x\"", "comment"),
            ("\"\\\\3c\"", "escapes"),
            ("\"a\\nb\"", "control character"),
            ("\"  \"", "is empty"),
            ("true", "found a boolean"),
            ("[a, b]", "found a list"),
        ] {
            let e = err(&format!(
                "title: x\ntheme:\n  nav-width: 1px\n  main-bg: {value}\n"
            ));
            assert_eq!(e.line, 5, "{value}: {e}");
            assert!(e.message.starts_with("front matter `theme`: "), "{e}");
            assert!(e.message.contains("main-bg"), "{value}: {e}");
            assert!(e.message.contains(why), "{value}: expected {why:?} in {e}");
        }
        let e = err("theme:\n  main-bg: #fff\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("`main-bg` has no value; quote colours"),
            "{e}"
        );
        let e = err("theme:\n  dark:\n    main-bg: \"x;y\"\n");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("`dark.main-bg`"), "{e}");
        let e = err("theme:\n  \"nav width\": 1px\n");
        assert!(
            e.message
                .contains("`nav width` is not a theme variable name"),
            "{e}"
        );
        let e = err("theme: blue\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("must be a mapping"), "{e}");
        let e = err("theme:\n  dark: 1\n");
        assert!(e.message.contains("`dark` must be a mapping"), "{e}");
        // what CSS values need is allowed
        for ok in [
            "rgba(0, 0, 0, 0.5)",
            "calc(100% - 2 * var(--x))",
            "url(\"data:image/svg+xml,%3Csvg%3E\")",
            "'it''s'",
            "300px !important",
        ] {
            assert_eq!(css_value_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_rejected_at_once() {
        let deep = format!(
            "title: x\ndeep: {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let start = std::time::Instant::now();
        let e = parse(&deep, 2).unwrap_err();
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        assert_eq!((e.line, e.column), (3, 107));
        assert!(
            e.message.contains("nest more than 100 levels"),
            "{}",
            e.message
        );
        // Brackets in quotes and comments, and balanced ones in plain text, are fine.
        let ok = format!(
            "title: \"{0}\"\nx: '{0}'\n# {0}\ny: [{1}]\nz: it's \"fine\"\n",
            "[".repeat(300),
            "[a], ".repeat(300)
        );
        assert_eq!(flow_too_deep(&ok, 100), None);
        assert_eq!(flow_too_deep("a: [[[{b: [c]}]]]", 5), None);
        assert_eq!(flow_too_deep("a: [[[{b: [[c]]}]]]", 5), Some((1, 12)));
        // An apostrophe inside plain text starts no quoted scalar.
        assert_eq!(flow_too_deep("a: it's\nb: [[[[[[c]]]]]]", 5), Some((2, 9)));
    }
}
