//! Site-wide settings: `shale.yml` beside the source folder (optional). One place for
//! every key that is about the whole site rather than one page; a page's front matter
//! overrides those that make sense per page (`toc_depth`).
//!
//! To add a key: a field of [`Settings`], its name in [`KNOWN`], its reading in
//! `Settings::set`, and a line in docs/several-pages.md (`shale.yml`'s table).

use std::path::Path;

use anyhow::Result;
use serde_yaml::Value;

use crate::error::Located;

/// The file's name, beside `source/`.
pub const FILE: &str = "shale.yml";

/// Every key `shale.yml` may have (listed in errors).
pub const KNOWN: &[&str] = &["lazy_layout", "nav", "title", "toc_depth"];

/// The deepest heading level a TOC can list (`h4`).
pub const MAX_TOC_DEPTH: u8 = 4;

/// What `shale.yml` says; defaults when it does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `nav: true`: each page's sidebar lists the site's pages; unset, it does when a
    /// page declares a `version:`.
    pub nav: Option<bool>,
    /// `title:`: the site's name, at the head of the list of pages.
    pub title: Option<String>,
    /// `toc_depth:` (1 to 4): the heading levels the TOC lists; 2 is Slate's.
    pub toc_depth: u8,
    /// `lazy_layout:` whether long pages are cut into chunks laid out only near the
    /// viewport.
    pub lazy_layout: Lazy,
}

/// `lazy_layout:` `auto` (pages from 512 KB of HTML), `true` (every page with a place
/// to cut) or `false` (Slate's page as it is, however long).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lazy {
    #[default]
    Auto,
    Always,
    Never,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nav: None,
            title: None,
            toc_depth: 2,
            lazy_layout: Lazy::Auto,
        }
    }
}

impl Settings {
    /// Reads `shale.yml` in the project folder `project`, if there is one; `source` is
    /// the source folder as the user named it (messages name `shale.yml` beside it).
    pub fn load(project: &Path, source: &Path) -> Result<Settings> {
        let path = project.join(FILE);
        let label = match source.parent() {
            _ if source == Path::new(".") => Path::new("..").join(FILE),
            _ if source.file_name().is_none() => source.join("..").join(FILE),
            Some(p) if !p.as_os_str().is_empty() => p.join(FILE),
            _ => FILE.into(),
        };
        let label = label.display().to_string();
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                Located::new(&label, 0, "the file is not UTF-8").hint("save it as UTF-8")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(Located::new(&label, 0, format!("cannot read it: {e}")).into()),
        };
        Ok(Settings::parse(&text, &label)?)
    }

    /// The settings `text` (the YAML of `label`) gives.
    pub fn parse(text: &str, label: &str) -> Result<Settings, Located> {
        let mut s = Settings::default();
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line());
                Located::new(label, line, format!("not valid YAML: {e}"))
            })?
        };
        let map = match value {
            Value::Null => return Ok(s),
            Value::Mapping(m) => m,
            _ => {
                return Err(Located::new(label, 1, "the settings are not a mapping")
                    .hint("write one `key: value` per line, such as `nav: true`"))
            }
        };
        for (k, v) in &map {
            let key = k.as_str().unwrap_or_default();
            let line = key_line(text, key);
            s.set(key, v).map_err(|why| {
                let mut e = Located::new(label, line, why.0);
                e.hint = why.1;
                e
            })?;
        }
        Ok(s)
    }

    /// Sets `key` to `v`; else what is wrong, and what to do.
    fn set(&mut self, key: &str, v: &Value) -> Result<(), (String, Option<String>)> {
        match key {
            "nav" => self.nav = Some(boolean(key, v)?),
            "title" => {
                self.title = match v {
                    Value::Null => None,
                    Value::String(t) => Some(t.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => return Err((format!("`{key}` is not a text"), None)),
                }
            }
            "toc_depth" => self.toc_depth = toc_depth(v)?,
            "lazy_layout" => self.lazy_layout = lazy_layout(v)?,
            _ => {
                return Err((
                    format!("unknown setting `{key}`"),
                    Some(format!("the settings are {}", KNOWN.join(", "))),
                ))
            }
        }
        Ok(())
    }
}

fn boolean(key: &str, v: &Value) -> Result<bool, (String, Option<String>)> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err((
            format!("`{key}` is `true` or `false`"),
            Some(format!("write `{key}: true` or `{key}: false`")),
        )),
    }
}

/// A `toc_depth` value (shale.yml or front matter): 1 to 4.
pub fn toc_depth(v: &Value) -> Result<u8, (String, Option<String>)> {
    match v.as_u64() {
        Some(n @ 1..=4) => Ok(n as u8),
        _ => Err((
            format!(
                "`toc_depth: {}` is not a heading level the TOC can list",
                serde_yaml::to_string(v).unwrap_or_default().trim()
            ),
            Some(format!(
                "write a number from 1 (h1 only) to {MAX_TOC_DEPTH} (down to h4); 2, Slate's, is the default"
            )),
        )),
    }
}

/// A `lazy_layout` value (shale.yml or front matter): `auto`, `true` or `false`.
pub fn lazy_layout(v: &Value) -> Result<Lazy, (String, Option<String>)> {
    match v {
        Value::Bool(true) => Ok(Lazy::Always),
        Value::Bool(false) => Ok(Lazy::Never),
        Value::String(s) if s == "auto" => Ok(Lazy::Auto),
        _ => Err((
            format!(
                "`lazy_layout: {}` is not `auto`, `true` or `false`",
                serde_yaml::to_string(v).unwrap_or_default().trim()
            ),
            Some("write `auto` (the default: pages from 512 KB of HTML), `true` or `false`".into()),
        )),
    }
}

/// The 1-based line of the top-level `key` in `text` (0 when not found).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.strip_prefix(key).or_else(|| {
                l.strip_prefix(&format!("\"{key}\""))
                    .or_else(|| l.strip_prefix(&format!("'{key}'")))
            });
            l.is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let text = "# site\nnav: true\ntitle: Acme API\ntoc_depth: 3\nlazy_layout: false\n";
        let s = Settings::parse(text, "s").unwrap();
        assert_eq!(
            s,
            Settings {
                nav: Some(true),
                title: Some("Acme API".into()),
                toc_depth: 3,
                lazy_layout: Lazy::Never,
            }
        );
        let default = Settings::parse("", "s").unwrap();
        assert_eq!((default.toc_depth, default.lazy_layout), (2, Lazy::Auto));
        let on = Settings::parse("lazy_layout: true", "s").unwrap();
        assert_eq!(on.lazy_layout, Lazy::Always);
        let e = Settings::parse("title: x\nlazy_layout: yes please\n", "shale.yml").unwrap_err();
        assert_eq!(e.at.line, 2);
        assert!(e.message.contains("not `auto`, `true` or `false`"), "{e:?}");
    }

    #[test]
    fn mistakes_name_the_line() {
        let e = Settings::parse("nav: true\nsearh: true\n", "shale.yml").unwrap_err();
        assert_eq!(e.at.line, 2);
        assert!(e.message.contains("`searh`"), "{e:?}");
        assert!(e.hint.unwrap().contains("nav, title, toc_depth"));
        let e = Settings::parse("title: x\ntoc_depth: 5\n", "shale.yml").unwrap_err();
        assert_eq!(e.at.line, 2);
        let e = Settings::parse("nav: yes please\n", "shale.yml").unwrap_err();
        assert!(e.message.contains("true"), "{e:?}");
        assert!(Settings::parse("- nav\n", "shale.yml").is_err());
    }
}
