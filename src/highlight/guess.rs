//! Rouge 3.30's lexer lookup, ported: `Rouge::Lexer.find_fancy` (exact,
//! case-sensitive tag or alias, `name?opt=val` options, the special name
//! `guess`) and `Rouge::Lexer.guess(source:)` with its three guessers
//! (mimetype, modeline, source `detect?` rules of the 38 lexers that have
//! one), keeping Rouge's quirks: whatever Rouge picks for a snippet, this
//! picks too.

use std::sync::LazyLock;

use regex::Regex;

use super::rouge_lexers::{LEXERS, REGISTRY};

/// The result of a lookup, as indices into `LEXERS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// One lexer.
    Found(usize),
    /// `find` had no such name (middleman-syntax then uses PlainText).
    NotFound,
    /// Rouge's guesser could not decide: `Rouge::Guesser::Ambiguous`, which
    /// stops a Middleman build. Candidates in `Rouge::Lexer.all` order.
    Ambiguous(Vec<usize>),
}

/// `Rouge::Lexer.find(name)`: exact, case-sensitive tag or alias.
pub(crate) fn find(name: &str) -> Option<usize> {
    REGISTRY
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| REGISTRY[i].1)
}

/// Index of Rouge's `plaintext` lexer.
pub(crate) fn plaintext() -> usize {
    // The generated table always has it; 0 only keeps this total.
    find("plaintext").unwrap_or(0)
}

/// `Rouge::Lexer.find_fancy(name, code)` (without instantiating): `None` is
/// Ruby's `nil` name, which guesses from `code`, as does the name `guess`.
pub(crate) fn find_fancy(name: Option<&str>, code: &str) -> Lookup {
    if let Some(s) = name {
        if !s.contains('?') && s != "guess" {
            return find(s).map_or(Lookup::NotFound, Lookup::Found);
        }
    }
    let (name, opts) = match name {
        Some(s) => match s.split_once('?') {
            Some((n, o)) => (Some(n), o),
            None => (Some(s), ""),
        },
        None => (None, ""),
    };
    match name {
        None | Some("guess") => {
            let mimetype = single_query_value(opts, "mimetype");
            guess(code, mimetype.as_deref())
        }
        Some(n) => find(n).map_or(Lookup::NotFound, Lookup::Found),
    }
}

/// `CGI.parse(query)[key]` when it holds exactly one value (Rouge passes a
/// lone value as a string; none or several never match a mimetype).
fn single_query_value(query: &str, key: &str) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    let mut key_seen = false;
    for pair in query.split(['&', ';']) {
        let (k, v) = match pair.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (pair, None),
        };
        if pair.is_empty() {
            continue;
        }
        if cgi_unescape(k) == key {
            key_seen = true;
            if let Some(v) = v {
                found.push(cgi_unescape(v));
            }
        }
    }
    if key_seen && found.len() == 1 {
        found.pop()
    } else {
        None
    }
}

/// `CGI.unescape`: `+` is a space, `%XX` a byte.
fn cgi_unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `Rouge::Lexer.guess(source: code, mimetype: ...)`.
pub(crate) fn guess(source: &str, mimetype: Option<&str>) -> Lookup {
    let all: Vec<usize> = (0..LEXERS.len()).collect();
    let original = all.len();
    let mut lexers = all;
    // Rouge::Guessers::Util::SourceNormalizer: drop a BOM, CRLF -> LF.
    let normalized = source
        .strip_prefix('\u{feff}')
        .unwrap_or(source)
        .replace("\r\n", "\n");

    // Guesser.guess: each guesser narrows the list, unless it would empty it.
    if let Some(mt) = mimetype {
        let narrowed: Vec<usize> = lexers
            .iter()
            .copied()
            .filter(|&i| LEXERS[i].mimetypes.contains(&mt))
            .collect();
        if !narrowed.is_empty() {
            lexers = narrowed;
        }
    }
    if lexers.len() != 1 {
        let narrowed = modeline_filter(&normalized, &lexers);
        if !narrowed.is_empty() {
            lexers = narrowed;
        }
    }
    if lexers.len() != 1 {
        let text = TextAnalyzer::new(&normalized);
        let narrowed: Vec<usize> = lexers
            .iter()
            .copied()
            .filter(|&i| LEXERS[i].detectable && detect(LEXERS[i].tag, &text))
            .collect();
        if !narrowed.is_empty() {
            lexers = narrowed;
        }
    }
    // Not narrowed at all: Rouge has no idea, returns [] and so PlainText.
    if lexers.len() == original {
        return Lookup::Found(plaintext());
    }
    match lexers.len() {
        0 => Lookup::Found(plaintext()),
        1 => Lookup::Found(lexers[0]),
        _ => Lookup::Ambiguous(lexers),
    }
}

/// Rouge's modeline regexes (from linguist), made ASCII for `\w`/`\s` as in
/// Ruby. Emacs' needs look-ahead, so these run on syntect's Oniguruma-family
/// regex engine, which is what Ruby uses too.
fn modeline_regexes() -> &'static [syntect::parsing::Regex; 3] {
    static RES: LazyLock<[syntect::parsing::Regex; 3]> = LazyLock::new(|| {
        const W: &str = "[a-zA-Z0-9_]";
        const S: &str = "[ \\t\\n\\x0B\\f\\r]";
        let emacs = format!(
            "(?i)-\\*-{S}*(?:(?!mode)[{w}-]+{S}*:{S}*(?:[{w}+-]+){S}*;?{S}*)*(?:mode{S}*:)?{S}*([{w}+-]+){S}*(?:;{S}*(?!mode)[{w}-]+{S}*:{S}*[{w}+-]+{S}*)*;?{S}*-\\*-",
            w = "a-zA-Z0-9_"
        );
        let vim1 = format!("(?i)(?:vim|vi|ex):{S}*(?:ft|filetype|syntax)=({W}+){S}?");
        let vim2 =
            format!("(?i)(?:vim|vi|Vim|ex):{S}*se(?:t)?.*{S}(?:ft|filetype|syntax)=({W}+){S}?.*:");
        [emacs, vim1, vim2].map(syntect::parsing::Regex::new)
    });
    &RES
}

/// `Rouge::Guessers::Modeline#filter`: look for an Emacs or Vim modeline in
/// the first and last five lines; keep the lexers it names.
fn modeline_filter(source: &str, lexers: &[usize]) -> Vec<usize> {
    // Ruby's `split(/\n/)` drops trailing empty fields.
    let mut lines: Vec<&str> = source.split('\n').collect();
    while lines.last() == Some(&"") {
        lines.pop();
    }
    let n = lines.len();
    let mut space: Vec<&str> = lines[..n.min(5)].to_vec();
    space.extend_from_slice(&lines[n.saturating_sub(5)..]);
    let search_space = space.join("\n");

    let mut names: Vec<String> = Vec::new();
    for re in modeline_regexes() {
        let mut region = syntect::parsing::Region::new();
        if re.search(&search_space, 0, search_space.len(), Some(&mut region)) {
            if let Some((s, e)) = region.pos(1) {
                names.push(search_space[s..e].to_string());
            }
        }
    }
    if names.is_empty() {
        return lexers.to_vec();
    }
    lexers
        .iter()
        .copied()
        .filter(|&i| {
            let l = &LEXERS[i];
            names
                .iter()
                .any(|n| n == l.tag || l.aliases.contains(&n.as_str()))
        })
        .collect()
}

/// Rouge's `TextAnalyzer`: the source plus its shebang and doctype.
struct TextAnalyzer<'a> {
    text: &'a str,
    shebang: Option<&'a str>,
    doctype: Option<&'a str>,
}

/// Compile one of the fixed patterns below (all tested).
fn re(pattern: &str) -> Regex {
    // The patterns are constants covered by tests; an impossible failure
    // degrades to a never-matching regex rather than a panic.
    Regex::new(pattern).unwrap_or_else(|_| Regex::new("[^\\s\\S]").expect("valid fallback"))
}

macro_rules! static_re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| re($pat));
    };
}

// Ruby's `\s` is ASCII `[ \t\r\n\f\v]`, `\d` is `[0-9]`; `^`/`$` are line
// anchors and `.` stops at `\n` (as with Rust's `(?m)`).
static_re!(SHEBANG, r"\A[ \t\r\n\f\x0B]*#!(.*)");
static_re!(
    DOCTYPE,
    r"(?s)\A[ \t\r\n\f\x0B]*(?:<\?.*?\?>[ \t\r\n\f\x0B]*)?<!DOCTYPE[ \t\r\n\f\x0B]+(.+?)>"
);

impl<'a> TextAnalyzer<'a> {
    fn new(text: &'a str) -> Self {
        let shebang = SHEBANG
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str());
        let doctype = DOCTYPE
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str());
        TextAnalyzer {
            text,
            shebang,
            doctype,
        }
    }

    /// `shebang?(match)`: `/\b#{match}(\s|$)/ === shebang`. `pattern` is
    /// the regex source Rouge interpolates (a plain word or a regex).
    fn shebang_is(&self, pattern: &str) -> bool {
        let Some(sb) = self.shebang else {
            return false;
        };
        // Few distinct patterns; compile on demand and cache.
        static CACHE: LazyLock<std::sync::Mutex<Vec<(String, Regex)>>> =
            LazyLock::new(|| std::sync::Mutex::new(Vec::new()));
        let regex = {
            let mut cache = match CACHE.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            match cache.iter().find(|(p, _)| p == pattern) {
                Some((_, r)) => r.clone(),
                None => {
                    let r = re(&format!(r"\b(?:{pattern})(?:[ \t\r\n\f\x0B]|$)"));
                    cache.push((pattern.to_string(), r.clone()));
                    r
                }
            }
        };
        regex.is_match(sb)
    }
}

static_re!(XML_PROLOG, r"\A<\?xml\b");
static_re!(HTML_WORD_I, r"(?i)\bhtml\b");
static_re!(HTML_WORD, r"html");
static_re!(HTML_TAG, r"<[ \t\r\n\f\x0B]*html\b");
static_re!(BIML, r"<[ \t\r\n\f\x0B]*Biml\b");
static_re!(DIFF_HEADER, r"\Adiff[^\n]*?\ba/[^\n]*\bb/");
static_re!(DIFF_MINUS_PLUS, r"---.*?\n[+][+][+]");
static_re!(DIFF_PLUS_MINUS, r"[+][+][+].*?\n---");
static_re!(YAML_DIRECTIVE, r"\A[ \t\r\n\f\x0B]*%YAML");
static_re!(PHP_HH, r"(?m)^<\?hh");
static_re!(PHP_OPEN, r"(?m)^<\?php");
static_re!(HACK_HH, r"<\?hh");
static_re!(HACK_ASYNC, r"async function [a-zA-Z]");
static_re!(HACK_AWAITABLE, r"\): Awaitable<");
static_re!(LASSO, r"\A.*?<\?(lasso(script)?|=)");
static_re!(
    MOSEL,
    r"(?m)^[ \t\r\n\f\x0B]*(model|package)[ \t\r\n\f\x0B]+"
);
static_re!(POSTSCRIPT, r"(?m)^%!");
static_re!(RACKET_LANG, r"(?m)\A#lang[ \t\r\n\f\x0B]*(.*?)$");
static_re!(RACKET_NAME, r"racket|scribble");
static_re!(
    TEX,
    r"\A[ \t\r\n\f\x0B]*\\(documentclass|input|documentstyle|relax|ProvidesPackage|ProvidesClass)"
);

/// The `detect?` class method of each Rouge lexer that defines one, by tag.
/// Returns Ruby truthiness of the method's result.
fn detect(tag: &str, t: &TextAnalyzer<'_>) -> bool {
    let text = t.text;
    match tag {
        "awk" => t.shebang_is("awk"),
        "xml" => {
            if t.doctype.is_some_and(|d| HTML_WORD.is_match(d)) {
                return false;
            }
            XML_PROLOG.is_match(text) || t.doctype.is_some()
        }
        "biml" => BIML.is_match(text),
        "coffeescript" => t.shebang_is("coffee"),
        "crystal" => t.shebang_is("crystal"),
        "python" => t.shebang_is(r"pythonw?(?:[23](?:\.[0-9]+)?)?"),
        "diff" => {
            text.starts_with("Index: ")
                || DIFF_HEADER.is_match(text)
                || DIFF_MINUS_PLUS.is_match(text)
                || DIFF_PLUS_MINUS.is_match(text)
        }
        "yaml" => YAML_DIRECTIVE.is_match(text),
        "factor" => t.shebang_is("factor"),
        "gherkin" => t.shebang_is("cucumber"),
        "groovy" => t.shebang_is("groovy"),
        "php" => {
            if t.shebang_is("php") {
                return true;
            }
            if PHP_HH.is_match(text) {
                return false;
            }
            PHP_OPEN.is_match(text)
        }
        "hack" => {
            HACK_HH.is_match(text)
                || t.shebang_is("hhvm")
                || HACK_ASYNC.is_match(text)
                || HACK_AWAITABLE.is_match(text)
        }
        "haskell" => t.shebang_is("runhaskell"),
        "haxe" => t.shebang_is("haxe"),
        "html" => {
            if t.doctype.is_some_and(|d| HTML_WORD_I.is_match(d)) {
                return true;
            }
            if XML_PROLOG.is_match(text) {
                return false;
            }
            HTML_TAG.is_match(text)
        }
        "io" => t.shebang_is("io"),
        "ruby" => t.shebang_is("ruby"),
        "javascript" => t.shebang_is("node") || t.shebang_is("jsc"),
        "julia" => t.shebang_is("julia"),
        "lasso" => t.shebang_is("lasso9") || LASSO.is_match(text),
        "livescript" => t.shebang_is("lsc"),
        "lua" => t.shebang_is("lua"),
        "moonscript" => t.shebang_is("moon"),
        "mosel" => MOSEL.is_match(text),
        "perl" => t.shebang_is("perl"),
        "postscript" => POSTSCRIPT.is_match(text),
        "praat" => t.shebang_is("praat"),
        "puppet" => t.shebang_is("puppet-apply") || t.shebang_is("puppet"),
        "r" => t.shebang_is("Rscript"),
        "racket" => RACKET_LANG
            .captures(text)
            .and_then(|c| c.get(1))
            .is_some_and(|m| RACKET_NAME.is_match(m.as_str())),
        "rust" => t.shebang_is("rustc"),
        "sed" => t.shebang_is("sed"),
        "shell" => t.shebang_is("(ba|z|k)?sh"),
        "solidity" => text.starts_with("pragma solidity"),
        "tcl" => t.shebang_is("tclsh") || t.shebang_is("wish") || t.shebang_is("jimsh"),
        "tex" => TEX.is_match(text),
        "tulip" => t.shebang_is("tulip"),
        _ => false,
    }
}

/// Tags that [`detect`] has a rule for (checked against the generated table).
#[cfg(test)]
pub(crate) const DETECT_TAGS: &[&str] = &[
    "awk",
    "xml",
    "biml",
    "coffeescript",
    "crystal",
    "python",
    "diff",
    "yaml",
    "factor",
    "gherkin",
    "groovy",
    "php",
    "hack",
    "haskell",
    "haxe",
    "html",
    "io",
    "ruby",
    "javascript",
    "julia",
    "lasso",
    "livescript",
    "lua",
    "moonscript",
    "mosel",
    "perl",
    "postscript",
    "praat",
    "puppet",
    "r",
    "racket",
    "rust",
    "sed",
    "shell",
    "solidity",
    "tcl",
    "tex",
    "tulip",
];
