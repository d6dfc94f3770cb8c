//! Example values generated from a schema, deterministically: the schema's own
//! `example` (or first of `examples`), else `const`, `default`, the first `enum` value,
//! else a value of its type (a placeholder per `format`, bounds and lengths respected, a
//! string matching `pattern` when the pattern is simple enough). `allOf` parts are
//! merged, the first `oneOf`/`anyOf` branch is used, `readOnly` properties are left out
//! of requests and `writeOnly` ones out of responses, a schema recurs at most twice on
//! one branch, and one example holds at most [`BUDGET`] values.

use super::schema::{Additional, Schema, SchemaId, Schemas};
use super::tree::{Node, Value};

/// The most values one generated example holds (a `$ref` bomb stays small).
pub const BUDGET: usize = 1000;
/// Below this many nested objects, only required properties are shown, and required
/// nullable ones are `null`: examples of APIs whose objects nest deeply stay readable.
pub const FULL_DEPTH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A request body: no `readOnly` properties.
    Request,
    /// A response: no `writeOnly` properties.
    Response,
    /// A schema's own section: everything.
    Schema,
}

/// An example for schema `id`.
pub fn example(schemas: &Schemas, id: SchemaId, mode: Mode) -> Value {
    let mut g = Gen {
        schemas,
        mode,
        budget: BUDGET,
        stack: Vec::new(),
        objects: 0,
    };
    g.value(id).unwrap_or(Value::Null)
}

struct Gen<'a> {
    schemas: &'a Schemas,
    mode: Mode,
    budget: usize,
    stack: Vec<SchemaId>,
    /// Objects being generated, around the current value.
    objects: usize,
}

impl Gen<'_> {
    fn value(&mut self, id: SchemaId) -> Option<Value> {
        if self.stack.contains(&id) || self.stack.len() > 64 {
            return None;
        }
        self.stack.push(id);
        let v = self.value_inner(id);
        self.stack.pop();
        v
    }

    fn value_inner(&mut self, id: SchemaId) -> Option<Value> {
        let s = self.schemas.merged(id);
        if s.never {
            return None;
        }
        self.budget = self.budget.saturating_sub(1);
        if let Some(v) = s.example.clone() {
            return Some(v);
        }
        if let Some(v) = s.const_value.clone() {
            return Some(v);
        }
        if let Some(v) = s.default.clone() {
            return Some(v);
        }
        if let Some(v) = s
            .enum_values
            .iter()
            .find(|v| **v != Value::Null)
            .or(s.enum_values.first())
        {
            return Some(v.clone());
        }
        let branches = if s.one_of.is_empty() {
            &s.any_of
        } else {
            &s.one_of
        };
        if let Some(&branch) = pick_branch(self.schemas, branches) {
            let own = if s.properties.is_empty() {
                None
            } else {
                self.object(s)
            };
            let mut v = self.value(branch)?;
            if let (Some(Value::Object(own)), Value::Object(m)) = (own, &mut v) {
                for (k, n) in own {
                    if !m.iter().any(|(k2, _)| *k2 == k) {
                        m.push((k, n));
                    }
                }
            }
            if let (Some((prop, mapping)), Value::Object(m)) = (&s.discriminator, &mut v) {
                let tag = mapping
                    .iter()
                    .find(|(_, t)| *t == branch)
                    .map(|(k, _)| k.clone())
                    .or_else(|| self.schemas.get(branch).name.clone());
                if let Some(tag) = tag {
                    match m.iter_mut().find(|(k, _)| k == prop) {
                        Some((_, n)) => n.value = Value::String(tag),
                        None => m.push((prop.clone(), Node::new(Value::String(tag), 0))),
                    }
                }
            }
            return Some(v);
        }
        if self.budget == 0 {
            return Some(minimal(s));
        }
        match s.main_type() {
            Some("object") => self.object(s),
            Some("array") => Some(self.array(s)),
            Some("string") => Some(Value::String(string(s))),
            Some("integer") => Some(number(s, true)),
            Some("number") => Some(number(s, false)),
            Some("boolean") => Some(Value::Bool(true)),
            Some("null") => Some(Value::Null),
            _ => Some(Value::Object(Vec::new())),
        }
    }

    fn object(&mut self, s: &Schema) -> Option<Value> {
        let mut out: Vec<(String, Node)> = Vec::new();
        // A discriminator's value is the schema's name (the mapping's key for it).
        let disc = s.discriminator.as_ref().map(|(p, _)| p.clone());
        let deep = self.objects >= FULL_DEPTH;
        self.objects += 1;
        for (name, pid) in &s.properties {
            let required = s.required.contains(name);
            if (self.budget == 0 || deep) && !required {
                continue;
            }
            if deep && self.schemas.merged(*pid).nullable() {
                out.push((name.clone(), Node::new(Value::Null, 0)));
                continue;
            }
            let p = self.schemas.merged(*pid);
            let skip = match self.mode {
                Mode::Request => p.read_only,
                Mode::Response => p.write_only,
                Mode::Schema => false,
            };
            if skip && !s.required.contains(name) {
                continue;
            }
            let v = match self.value(*pid) {
                Some(v) => v,
                None if s.required.contains(name) => minimal(p),
                None => continue,
            };
            let v = match (&disc, &s.name) {
                (Some(d), Some(n)) if d == name && p.enum_values.is_empty() => {
                    Value::String(n.clone())
                }
                _ => v,
            };
            out.push((name.clone(), Node::new(v, 0)));
        }
        self.objects -= 1;
        if let Some(Additional::Schema(a)) = s.additional {
            if s.properties.is_empty() && !deep {
                for key in ["property1", "property2"] {
                    if let Some(v) = self.value(a) {
                        out.push((key.into(), Node::new(v, 0)));
                    }
                }
            }
        }
        Some(Value::Object(out))
    }

    fn array(&mut self, s: &Schema) -> Value {
        let mut out = Vec::new();
        for &p in &s.prefix_items {
            match self.value(p) {
                Some(v) => out.push(Node::new(v, 0)),
                None => return Value::Array(out),
            }
        }
        if let Some(items) = s.items {
            let want = s
                .min_items
                .unwrap_or(1)
                .max(1)
                .min(s.max_items.unwrap_or(u64::MAX));
            let want = want.min(20) as usize;
            while out.len() < want.max(s.prefix_items.len()) {
                match self.value(items) {
                    Some(v) => {
                        if s.unique_items && out.iter().any(|n: &Node| n.value == v) {
                            break;
                        }
                        out.push(Node::new(v, 0));
                    }
                    None => break,
                }
                if out.len() >= want {
                    break;
                }
            }
        }
        Value::Array(out)
    }
}

/// The branch of a `oneOf`/`anyOf` to show: the first that is not just `null`.
pub fn pick_branch<'b>(schemas: &Schemas, branches: &'b [SchemaId]) -> Option<&'b SchemaId> {
    branches
        .iter()
        .find(|&&b| schemas.get(b).types != ["null"])
        .or(branches.first())
}

/// The smallest value of a schema's type (for a required property that recurs).
fn minimal(s: &Schema) -> Value {
    match s.main_type() {
        Some("array") => Value::Array(Vec::new()),
        Some("string") => Value::String(string(s)),
        Some("integer") => number(s, true),
        Some("number") => number(s, false),
        Some("boolean") => Value::Bool(true),
        _ if s.nullable() => Value::Null,
        _ => Value::Object(Vec::new()),
    }
}

/// A placeholder for a string `format`.
pub fn format_placeholder(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2019-08-24T14:15:22Z",
        "date" => "2019-08-24",
        "time" => "14:15:22Z",
        "duration" => "P3D",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => "http://example.com",
        "uri-template" => "http://example.com/{id}",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "uuid" => "497f6eca-6276-4993-bfeb-53cbbbba6f08",
        "byte" => "c3RyaW5n",
        "binary" => "string",
        "password" => "pa$$word",
        "json-pointer" => "/a/b",
        "regex" => "^[a-z]+$",
        _ => return None,
    })
}

fn string(s: &Schema) -> String {
    let mut v = s
        .format
        .as_deref()
        .and_then(format_placeholder)
        .unwrap_or("string")
        .to_string();
    if let Some(p) = &s.pattern {
        v = matching(p, v);
    }
    let len = v.chars().count() as u64;
    if let Some(min) = s.min_length {
        if len < min {
            let pad = if s.pattern.is_some() { "" } else { "a" };
            if !pad.is_empty() {
                v.extend(std::iter::repeat_n('a', (min - len).min(10_000) as usize));
            }
        }
    }
    if let Some(max) = s.max_length {
        if v.chars().count() as u64 > max {
            v = v.chars().take(max as usize).collect();
        }
    }
    v
}

/// `v` if it matches `pattern`, else the string [`from_pattern`] gives when it matches.
/// Remembered per (pattern, value): specs repeat patterns (AWS's, of many Unicode
/// ranges, take milliseconds to compile), and examples are generated many times.
fn matching(pattern: &str, v: String) -> String {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<(String, String), String>> =
            Default::default();
    }
    let key = (pattern.to_string(), v);
    if let Some(hit) = SEEN.with(|m| m.borrow().get(&key).cloned()) {
        return hit;
    }
    let mut out = key.1.clone();
    if let Ok(re) = regex::Regex::new(pattern) {
        if !re.is_match(&out) {
            if let Some(m) = from_pattern(pattern).filter(|m| re.is_match(m)) {
                out = m;
            }
        }
    }
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, out.clone());
    });
    out
}

/// The shortest simple string the regular expression `pattern` matches, when its
/// syntax is one the `regex` crate reads (most OpenAPI patterns are).
pub fn from_pattern(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    fn walk(h: &regex_syntax::hir::Hir, out: &mut String) -> Option<()> {
        if out.len() > 10_000 {
            return None;
        }
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
            HirKind::Class(Class::Unicode(c)) => {
                let ranges = c.ranges();
                let prefer = ['a', 'A', '0', '_', '-'];
                let pick = prefer
                    .iter()
                    .find(|&&p| ranges.iter().any(|r| r.start() <= p && p <= r.end()))
                    .copied()
                    .or_else(|| {
                        ranges
                            .iter()
                            .flat_map(|r| [r.start(), r.end()])
                            .find(|c| c.is_ascii_graphic())
                    })
                    .or_else(|| ranges.first().map(|r| r.start()))?;
                out.push(pick);
            }
            HirKind::Class(Class::Bytes(c)) => {
                let r = c.ranges().first()?;
                out.push(r.start() as char);
            }
            HirKind::Repetition(r) => {
                for _ in 0..r.min.min(1000) {
                    walk(&r.sub, out)?;
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out)?,
            HirKind::Concat(v) => {
                for x in v {
                    walk(x, out)?;
                }
            }
            HirKind::Alternation(v) => walk(v.first()?, out)?,
        }
        Some(())
    }
    let mut out = String::new();
    walk(&hir, &mut out)?;
    Some(out)
}

fn number(s: &Schema, integer: bool) -> Value {
    let mut v = 0.0f64;
    let step = if integer { 1.0 } else { 0.5 };
    if let Some(min) = &s.minimum {
        v = if min.exclusive {
            if integer {
                min.value.floor() + 1.0
            } else {
                min.value + step
            }
        } else if integer {
            min.value.ceil()
        } else {
            min.value
        };
    }
    if let Some(max) = &s.maximum {
        let over = if max.exclusive {
            v >= max.value
        } else {
            v > max.value
        };
        if over || (s.minimum.is_none() && v > max.value) {
            v = if max.exclusive {
                if integer {
                    max.value.ceil() - 1.0
                } else {
                    max.value - step
                }
            } else if integer {
                max.value.floor()
            } else {
                max.value
            };
            if let Some(min) = &s.minimum {
                if v < min.value {
                    v = (min.value + max.value) / 2.0;
                }
            }
        }
    }
    if let Some(m) = s.multiple_of {
        let k = (v / m).ceil();
        let candidate = k * m;
        let fits = s
            .maximum
            .as_ref()
            .is_none_or(|max| candidate < max.value || (!max.exclusive && candidate == max.value));
        v = if fits { candidate } else { (k - 1.0) * m };
    }
    // Bounds written beyond f64's exact range are kept as written.
    if let Some(min) = &s.minimum {
        if !min.exclusive && v == min.value && min.value.abs() >= 9.0e15 {
            return Value::Number(min.text.clone());
        }
    }
    if let Some(max) = &s.maximum {
        if !max.exclusive && v == max.value && max.value.abs() >= 9.0e15 {
            return Value::Number(max.text.clone());
        }
    }
    if integer && v.abs() >= 1e15 {
        return Value::Number(format!("{v:.0}"));
    }
    Value::number(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::schema::Bound;

    fn bound(v: f64, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            text: v.to_string(),
            value: v,
            exclusive,
        })
    }

    #[test]
    fn patterns_give_matching_strings() {
        for p in [
            "^[A-Z]{3}$",
            r"^\d{3}-\d{4}$",
            "^(foo|bar)+baz$",
            r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
            "^acct_",
        ] {
            let s = from_pattern(p).unwrap();
            assert!(regex::Regex::new(p).unwrap().is_match(&s), "{p}: {s}");
        }
    }

    #[test]
    fn numbers_respect_bounds() {
        let s = Schema {
            minimum: bound(5.0, true),
            maximum: bound(10.0, false),
            ..Schema::default()
        };
        assert_eq!(number(&s, true), Value::Number("6".into()));
        let s = Schema {
            maximum: bound(-3.0, false),
            ..Schema::default()
        };
        assert_eq!(number(&s, true), Value::Number("-3".into()));
        let s = Schema {
            minimum: bound(1.0, false),
            multiple_of: Some(5.0),
            ..Schema::default()
        };
        assert_eq!(number(&s, true), Value::Number("5".into()));
    }

    #[test]
    fn strings_respect_lengths_and_formats() {
        let s = Schema {
            min_length: Some(8),
            ..Schema::default()
        };
        assert_eq!(string(&s), "stringaa");
        let s = Schema {
            max_length: Some(3),
            format: Some("date".into()),
            ..Schema::default()
        };
        assert_eq!(string(&s), "201");
    }
}
