//! The document tree every spec file is read into: JSON's values with the line each
//! value starts on, numbers kept as written (a spec may hold integers beyond 64 bits:
//! `18446744073709552000` is printed back as it is, not as a float), object members in
//! document order. [`parse`] reads JSON with a small parser of its own and YAML from
//! `yaml-rust2`'s events, both with limits so that a hostile file fails fast.

use std::collections::HashMap;
use std::fmt::Write;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How deep arrays and objects may nest in one file.
pub const MAX_DEPTH: usize = 256;
/// How many values YAML aliases (`*name`) may add to a file, all aliases together.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// A value of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as JSON writes it (YAML's `0x1F`, `+1`, `.5` are normalised).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order; a repeated key keeps its last value.
    Object(Vec<(String, Node)>),
}

/// A value and the line (1-based) it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
}

impl Node {
    pub fn new(value: Value, line: u32) -> Self {
        Node { value, line }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or a number or boolean as text (YAML authors write `version: 1.0`).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The members of an object (none for anything else).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.as_object()
            .unwrap_or(&[])
            .iter()
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The items of an array (none for anything else).
    pub fn items(&self) -> impl Iterator<Item = &Node> {
        self.as_array().unwrap_or(&[]).iter()
    }

    /// The `$ref` of a reference object.
    pub fn reference(&self) -> Option<&str> {
        self.get("$ref").and_then(Node::as_str)
    }
}

impl Value {
    /// The value as `JSON.stringify(v, null, 2)` writes it.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, 0, true);
        out
    }

    /// The value as compact JSON.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, 0, false);
        out
    }

    pub fn object(members: Vec<(String, Value)>) -> Value {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, Node::new(v, 0)))
                .collect(),
        )
    }

    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(items.into_iter().map(|v| Node::new(v, 0)).collect())
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A number from an `f64`, written as JSON writes it (`1` for 1.0).
    pub fn number(f: f64) -> Value {
        if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
            Value::Number(format!("{}", f as i64))
        } else if f.is_finite() {
            Value::Number(format!("{f}"))
        } else {
            Value::Null
        }
    }

    /// The number of values in this one, itself included.
    pub fn size(&self) -> usize {
        match self {
            Value::Array(a) => 1 + a.iter().map(|n| n.value.size()).sum::<usize>(),
            Value::Object(m) => 1 + m.iter().map(|(_, n)| n.value.size()).sum::<usize>(),
            _ => 1,
        }
    }
}

/// `s` as a JSON string literal (also valid in JavaScript, Python and Go).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json_string_into(&mut out, s);
    out
}

pub fn json_string_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, v: &Value, indent: usize, pretty: bool) {
    let nl = |out: &mut String, n: usize| {
        if pretty {
            out.push('\n');
            for _ in 0..n {
                out.push_str("  ");
            }
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => json_string_into(out, s),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, indent + 1);
                write_json(out, &item.value, indent + 1, pretty);
            }
            nl(out, indent);
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            // A repeated key is written once, with its last value.
            let mut first = true;
            for (i, (k, item)) in m.iter().enumerate() {
                if m[i + 1..].iter().any(|(k2, _)| k2 == k) && m.len() < 64 {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                nl(out, indent + 1);
                json_string_into(out, k);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, &item.value, indent + 1, pretty);
            }
            nl(out, indent);
            out.push('}');
        }
    }
}

/// Keeps the last of repeated keys (as JSON parsers and YAML loaders commonly do), at
/// the place of the first.
fn dedupe(members: &mut Vec<(String, Node)>) {
    if members.len() < 2 {
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(members.len());
    let mut repeats = Vec::new();
    for (i, (k, _)) in members.iter().enumerate() {
        if let Some(first) = seen.insert(k.as_str(), i) {
            repeats.push((seen[k.as_str()].min(first), i));
        }
    }
    if repeats.is_empty() {
        return;
    }
    drop(seen);
    let mut keep = vec![true; members.len()];
    for (first, later) in repeats {
        keep[later] = false;
        let v = members[later].1.clone();
        members[first].1 = v;
    }
    let mut i = 0;
    members.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Why a file could not be read as a tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads `text` as JSON when it looks like JSON (starts with `{` or `[`, or `json` is
/// set), else as YAML (a superset: JSON that the JSON parser rejects is tried as YAML).
pub fn parse(text: &str, json: bool) -> Result<Node, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let starts_json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    if json || starts_json {
        match parse_json(text) {
            Ok(n) => return Ok(n),
            Err(e) if json || e.message.contains("nest") => return Err(e),
            Err(_) => {}
        }
    }
    parse_yaml(text)
}

/// Reads JSON (RFC 8259), keeping numbers as written.
pub fn parse_json(text: &str) -> Result<Node, ParseError> {
    let mut p = JsonParser {
        s: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        line_start: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("unexpected text after the end of the JSON value"));
    }
    Ok(v)
}

struct JsonParser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl JsonParser<'_> {
    fn err(&self, msg: &str) -> ParseError {
        let col = self.text[self.line_start..self.pos.min(self.text.len())]
            .chars()
            .count()
            + 1;
        ParseError {
            line: self.line,
            column: col,
            message: msg.to_string(),
        }
    }

    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    /// The JSON value at the current position (objects and arrays at most
    /// [`MAX_DEPTH`] deep).
    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        let line = self.line as u32;
        let Some(&b) = self.s.get(self.pos) else {
            return Err(self.err("the JSON ends where a value was expected"));
        };
        if (b == b'{' || b == b'[') && depth >= MAX_DEPTH {
            return Err(self.err(&format!(
                "objects and arrays nest more than {MAX_DEPTH} levels deep"
            )));
        }
        let value = match b {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Value::String(self.string()?),
            b't' if self.s[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' if self.s[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' if self.s[self.pos..].starts_with(b"null") => {
                self.pos += 4;
                Value::Null
            }
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return Err(self.err("expected a JSON value")),
        };
        Ok(Node::new(value, line))
    }

    /// The object whose `{` is at the current position (of a repeated name, the last
    /// value, at the place of the first: [`dedupe`]).
    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut members: Vec<(String, Node)> = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if self.s.get(self.pos) != Some(&b'"') {
                    return Err(self.err("expected a member name in double quotes"));
                }
                let key = self.string()?;
                self.ws();
                if self.s.get(self.pos) != Some(&b':') {
                    return Err(self.err("expected `:` after a member name"));
                }
                self.pos += 1;
                self.ws();
                let v = self.value(depth + 1)?;
                members.push((key, v));
                self.ws();
                match self.s.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err("expected `,` or `}` in an object")),
                }
            }
        }
        dedupe(&mut members);
        Ok(Value::Object(members))
    }

    /// The array whose `[` is at the current position.
    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                items.push(self.value(depth + 1)?);
                self.ws();
                match self.s.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err("expected `,` or `]` in an array")),
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        let s = self.s;
        let mut i = self.pos;
        if s.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let st = *i;
            while s.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - st
        };
        let int_start = i;
        if digits(&mut i) == 0 || (s[int_start] == b'0' && i - int_start > 1) {
            self.pos = i;
            return Err(self.err("a number is not written as JSON writes numbers"));
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.err("a number needs digits after `.`"));
            }
        }
        if matches!(s.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(s.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.err("a number needs digits in its exponent"));
            }
        }
        self.pos = i;
        Ok(Value::Number(self.text[start..i].to_string()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let h = self
            .text
            .get(self.pos..self.pos + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("`\\u` needs four hexadecimal digits"))?;
        self.pos += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.s.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.s.get(self.pos) {
                None => return Err(self.err("a string is not closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(&e) = self.s.get(self.pos) else {
                        return Err(self.err("a string is not closed"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.pos..self.pos + 2) == Some(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{fffd}'));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.err("an unknown escape in a string"));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.err(
                        "a control character (a line break or tab) inside a string; write it as \\n or \\t",
                    ))
                }
            }
        }
    }
}

/// Reads YAML (1.2 core schema: `yes` is a string) into a tree.
pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    let mut builder = YamlBuilder::default();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(e) => e,
            Err(e) => {
                let m = e.marker();
                return Err(ParseError {
                    line: m.line(),
                    column: m.col() + 1,
                    message: if e.info().contains("recursion limit") {
                        format!("lists and mappings nest more than {MAX_DEPTH} levels deep")
                    } else {
                        format!("not valid YAML: {}", e.info())
                    },
                });
            }
        };
        if event == Event::StreamEnd {
            break;
        }
        builder.on_event(event, mark);
        if let Some(e) = builder.error.take() {
            return Err(e);
        }
        if builder.done {
            break; // only the first document of a stream
        }
    }
    builder.root.ok_or(ParseError {
        line: 1,
        column: 1,
        message: "the file is empty".into(),
    })
}

enum Open {
    Seq(Vec<Node>, u32, usize),
    Map(Vec<(String, Node)>, Option<String>, u32, usize),
}

#[derive(Default)]
struct YamlBuilder {
    stack: Vec<Open>,
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    error: Option<ParseError>,
    alias_nodes: usize,
    done: bool,
}

impl YamlBuilder {
    fn fail(&mut self, mark: Marker, msg: String) {
        if self.error.is_none() {
            self.error = Some(ParseError {
                line: mark.line(),
                column: mark.col() + 1,
                message: msg,
            });
        }
    }

    fn push_value(&mut self, node: Node, anchor: usize, mark: Marker) {
        if anchor > 0 {
            let size = node.value.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                self.done = true;
            }
            Some(Open::Seq(items, _, _)) => items.push(node),
            Some(Open::Map(members, key, _, _)) => match key.take() {
                Some(k) => members.push((k, node)),
                None => match node.value {
                    Value::String(s) | Value::Number(s) => *key = Some(s),
                    Value::Bool(b) => *key = Some(b.to_string()),
                    Value::Null => *key = Some("null".into()),
                    _ => self.fail(
                        mark,
                        "a mapping key is a list or a mapping; OpenAPI keys are strings".into(),
                    ),
                },
            },
        }
    }
}

impl MarkedEventReceiver for YamlBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() || self.done {
            return;
        }
        let line = mark.line() as u32;
        match ev {
            Event::Scalar(s, style, anchor, tag) => {
                let v = scalar(s, style, tag.as_ref());
                self.push_value(Node::new(v, line), anchor, mark);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        mark,
                        format!("lists and mappings nest more than {MAX_DEPTH} levels deep"),
                    );
                    return;
                }
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new(), line, anchor)
                } else {
                    Open::Map(Vec::new(), None, line, anchor)
                });
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Seq(items, line, anchor)) => {
                    self.push_value(Node::new(Value::Array(items), line), anchor, mark)
                }
                Some(Open::Map(mut members, _, line, anchor)) => {
                    merge_keys(&mut members);
                    dedupe(&mut members);
                    self.push_value(Node::new(Value::Object(members), line), anchor, mark)
                }
                None => {}
            },
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((node, size)) => {
                    self.alias_nodes += size;
                    if self.alias_nodes > MAX_ALIAS_NODES {
                        self.fail(
                            mark,
                            format!("aliases (`*name`) expand to more than {MAX_ALIAS_NODES} values (a YAML bomb?); write the values out or use $ref"),
                        );
                        return;
                    }
                    let mut node = node.clone();
                    node.line = line;
                    self.push_value(node, 0, mark);
                }
                None => self.fail(mark, "an alias names an unknown anchor".into()),
            },
            _ => {}
        }
    }
}

/// YAML merge keys: `<<: *base` (or a list of them) adds the members of the mapping(s)
/// that the mapping does not have itself.
fn merge_keys(members: &mut Vec<(String, Node)>) {
    let Some(pos) = members.iter().position(|(k, _)| k == "<<") else {
        return;
    };
    let (_, merged) = members.remove(pos);
    let sources: Vec<Node> = match merged.value {
        Value::Object(_) => vec![merged],
        Value::Array(a) => a,
        _ => return,
    };
    for src in sources {
        if let Value::Object(m) = src.value {
            for (k, v) in m {
                if !members.iter().any(|(k2, _)| *k2 == k) {
                    members.push((k, v));
                }
            }
        }
    }
}

/// A YAML scalar's value under the core schema (plain scalars only are typed).
fn scalar(s: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let tag = tag.filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!");
    if let Some(t) = tag {
        match t.suffix.as_str() {
            "str" => return Value::String(s),
            "null" => return Value::Null,
            "bool" | "int" | "float" => {}
            _ => {}
        }
    }
    if style != TScalarStyle::Plain && tag.is_none() {
        return Value::String(s);
    }
    match s.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = yaml_number(&s) {
        return Value::Number(n);
    }
    Value::String(s)
}

/// A YAML core-schema number as JSON writes it, or None.
fn yaml_number(s: &str) -> Option<String> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let sign = if neg { "-" } else { "" };
    if let Some(h) = body.strip_prefix("0x") {
        return u128::from_str_radix(h, 16)
            .ok()
            .filter(|_| !neg && s.starts_with('0'))
            .map(|v| v.to_string());
    }
    if let Some(o) = body.strip_prefix("0o") {
        return u128::from_str_radix(o, 8)
            .ok()
            .filter(|_| !neg && s.starts_with('0'))
            .map(|v| v.to_string());
    }
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &body[..i];
    let mut frac: Option<&str> = None;
    if i < b.len() && b[i] == b'.' {
        let st = i + 1;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac = Some(&body[st..i]);
    }
    if int_part.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let mut exp: Option<&str> = None;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let st = i + 1;
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let ds = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if ds == i {
            return None;
        }
        exp = Some(&body[st..i]);
    }
    if i != b.len() {
        return None;
    }
    let int_norm = int_part.trim_start_matches('0');
    let int_norm = if int_norm.is_empty() { "0" } else { int_norm };
    let mut out = format!("{sign}{int_norm}");
    if let Some(f) = frac {
        if !f.is_empty() {
            out.push('.');
            out.push_str(f);
        } else if exp.is_none() {
            out.push_str(".0");
        }
    }
    if let Some(e) = exp {
        out.push('e');
        out.push_str(e.strip_prefix('+').unwrap_or(e));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_big_numbers_and_lines() {
        let n = parse_json(
            "{\n \"a\": -9223372036854776000,\n \"b\": [18446744073709552000, 1.5e3]\n}",
        )
        .unwrap();
        assert_eq!(
            n.get("a").unwrap().value,
            Value::Number("-9223372036854776000".into())
        );
        assert_eq!(n.get("b").unwrap().line, 3);
        assert_eq!(
            n.value.to_json(),
            r#"{"a":-9223372036854776000,"b":[18446744073709552000,1.5e3]}"#
        );
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = parse_json("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e:?}");
        let deep = "[".repeat(100_000);
        let e = parse_json(&deep).unwrap_err();
        assert!(e.message.contains("nest"), "{e:?}");
    }

    #[test]
    fn json_strings_decode_escapes() {
        let n = parse_json(r#""a\"\\\/\n\u00e9\ud83d\ude00\ud800""#).unwrap();
        assert_eq!(n.as_str(), Some("a\"\\/\né😀\u{fffd}"));
    }

    #[test]
    fn yaml_core_schema() {
        let n = parse_yaml(
            "a: yes\nb: 0x1F\nc: +1\nd: .5\ne: '1'\nf: ~\ng: 007\nh: 18446744073709552000\ni: 1.\n200:\n  x: true\n",
        )
        .unwrap();
        let get = |k: &str| n.get(k).unwrap().value.clone();
        assert_eq!(get("a"), Value::String("yes".into()));
        assert_eq!(get("b"), Value::Number("31".into()));
        assert_eq!(get("c"), Value::Number("1".into()));
        assert_eq!(get("d"), Value::Number("0.5".into()));
        assert_eq!(get("e"), Value::String("1".into()));
        assert_eq!(get("f"), Value::Null);
        assert_eq!(get("g"), Value::Number("7".into()));
        assert_eq!(get("h"), Value::Number("18446744073709552000".into()));
        assert_eq!(get("i"), Value::Number("1.0".into()));
        assert_eq!(n.get("200").unwrap().line, 11);
        assert_eq!(n.get("200").unwrap().get("x").unwrap().line, 11);
        assert_eq!(n.get("b").unwrap().line, 2);
    }

    #[test]
    fn yaml_bombs_and_depth_fail_fast() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb += &format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            );
        }
        let e = parse_yaml(&bomb).unwrap_err();
        assert!(e.message.contains("aliases"), "{e:?}");
        let e = parse_yaml(&"[".repeat(10_000)).unwrap_err();
        assert!(e.message.contains("nest"), "{e:?}");
    }

    #[test]
    fn repeated_keys_keep_the_last_and_merge_keys_merge() {
        let n = parse_json(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(n.value.to_json(), r#"{"a":3,"b":2}"#);
        let n = parse_yaml("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(n.get("c").unwrap().value.to_json(), r#"{"y":3,"x":1}"#);
    }

    #[test]
    fn pretty_json_is_javascripts() {
        let n = parse_json(r#"{"a":[1,{"b":null}],"c":{},"d":[]}"#).unwrap();
        assert_eq!(
            n.value.to_json_pretty(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}"
        );
    }
}
