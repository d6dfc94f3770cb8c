//! The site as the sidebar shows it: which pages its list of pages has and in what
//! order, each page's title there, and the versions of the pages (the version
//! switcher). Read from each page's front matter before any page is rendered (keys
//! `title`, `nav_title`, `nav_order`, `nav`, `version`), so that every page's sidebar
//! can list the others.
//!
//! The list is off unless `shale.yml` says `nav: true` or a page declares a `version:`
//! (a source of several pages is most often one page per language, or pages that do not
//! belong together; it builds as it did).

use std::cmp::Ordering;
use std::collections::BTreeSet;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use crate::error::Located;
use crate::load::erb;
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::plan::{is_ignored, peek_front_matter, Plan, PlannedPage};
use crate::load::settings::{self, Lazy, Settings};
use crate::load::source::{self, Source};
use crate::util::url::{parent_dir, relative_url, url_path, KeepUrls};

/// The front matter keys read here.
const KEYS: &[&str] = &[
    "nav",
    "nav_title",
    "nav_order",
    "version",
    "title",
    "ignored",
];

/// What the site map knows of one planned page (same index as `Plan::pages`).
#[derive(Debug, Clone)]
struct Entry {
    out: String,
    lang: Option<String>,
    /// `nav_title`, else `title`.
    label: String,
    order: Option<f64>,
    /// `nav: false` takes the page out of the list.
    listed: bool,
    /// Middleman's `ignored: true`: the page is not written, and nothing links to it.
    ignored: bool,
    version: Option<String>,
    /// Whether its version comes from its folder (`v3/orders.html`).
    version_folder: bool,
}

/// The site's pages as the sidebars show them.
#[derive(Debug, Default)]
pub struct SiteMap {
    pub settings: Settings,
    /// Whether the sidebars list the site's pages.
    pub nav: bool,
    entries: Vec<Entry>,
    /// Every version, newest first.
    pub versions: Vec<String>,
    /// The language at the site root, on a multi-language site (else the first).
    root_lang: Option<String>,
}

/// One page in a sidebar's list.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub title: String,
    /// Relative to the page showing the list.
    pub url: String,
    /// Whether it is that page (`aria-current="page"`, its TOC under it).
    pub current: bool,
}

/// The list of pages of one page's sidebar.
#[derive(Debug, Clone, Serialize)]
pub struct SiteNav {
    /// `title` of `shale.yml`.
    pub title: Option<String>,
    pub pages: Vec<NavLink>,
    /// Whether the page itself is in the list (else its TOC follows the list).
    pub current_listed: bool,
}

/// One version in the version switcher.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub name: String,
    /// The same page in that version, else its first page; relative to this page.
    pub url: String,
    pub current: bool,
}

impl SiteMap {
    /// Reads the front matter the sidebars need; only the pages that mention `version`
    /// when the list of pages is off.
    pub fn load(src: &Source, plan: &Plan, settings: Settings) -> Result<SiteMap> {
        let mut any_version = false;
        if settings.nav != Some(true) {
            for p in &plan.pages {
                let front = peek_front_matter(src, &p.file, &["version"])?;
                any_version |= front.extra.get("version").is_some_and(|v| !v.is_null());
            }
            if !any_version {
                return Ok(SiteMap {
                    settings,
                    ..SiteMap::default()
                });
            }
        }
        let nav = settings.nav.unwrap_or(any_version);
        let mut entries = Vec::with_capacity(plan.pages.len());
        for p in &plan.pages {
            let front = nav_front_matter(src, plan, p)?;
            let label = src.label(&p.file.rel);
            entries.push(entry(&p.out, p.lang.clone(), &front, &label)?);
        }
        let versions = folder_versions(&mut entries);
        Ok(SiteMap {
            settings,
            nav,
            entries,
            versions,
            root_lang: (plan.languages.root.clone())
                .or_else(|| plan.languages.codes.first().cloned()),
        })
    }

    /// The list of pages of page `i`'s sidebar: the pages of its language (and those
    /// built once, outside `localizable/`; a page built once lists the root language's),
    /// of no version or of its own (on a page of no version: the newest), in the list's
    /// order.
    pub fn nav_for(&self, i: usize) -> Option<SiteNav> {
        let me = self.entries.get(i).filter(|_| self.nav)?;
        let lang = me.lang.as_ref().or(self.root_lang.as_ref());
        let version = me.version.as_ref().or(self.versions.first());
        let mut pages: Vec<usize> = (0..self.entries.len())
            .filter(|&j| {
                let e = &self.entries[j];
                e.listed
                    && !e.ignored
                    && (e.lang.is_none() || e.lang.as_ref() == lang)
                    && (e.version.is_none() || e.version.as_ref() == version)
            })
            .collect();
        pages.sort_by(|&a, &b| self.order(a, b));
        Some(SiteNav {
            title: self.settings.title.clone(),
            current_listed: pages.contains(&i),
            pages: pages
                .into_iter()
                .map(|j| NavLink {
                    title: self.entries[j].label.clone(),
                    url: self.url(i, j),
                    current: i == j,
                })
                .collect(),
        })
    }

    /// The version switcher of page `i` (empty when it has no version): each version,
    /// linking to the same page in it when there is one, else to its first page.
    pub fn versions_for(&self, i: usize) -> Vec<VersionLink> {
        let Some(mine) = self.version(i) else {
            return Vec::new();
        };
        self.versions
            .iter()
            .filter_map(|v| {
                let j = self.counterpart(i, v)?;
                Some(VersionLink {
                    name: v.clone(),
                    url: self.url(i, j),
                    current: v == mine,
                })
            })
            .collect()
    }

    /// The version of page `i`, if it has one.
    pub fn version(&self, i: usize) -> Option<&str> {
        self.entries.get(i)?.version.as_deref()
    }

    /// Page `i` in version `v`: the page at the same path in `v`'s folder, else `v`'s
    /// first page in the list's order (of `i`'s language).
    fn counterpart(&self, i: usize, v: &str) -> Option<usize> {
        let me = &self.entries[i];
        let mine = me.version.as_deref()?;
        let same_path = me
            .version_folder
            .then(|| me.out.strip_prefix(mine))
            .flatten()
            .map(|rest| format!("{v}{rest}"));
        let in_v = |e: &Entry| e.version.as_deref() == Some(v) && e.lang == me.lang && !e.ignored;
        if let Some(path) = same_path {
            if let Some(j) = self.entries.iter().position(|e| in_v(e) && e.out == path) {
                return Some(j);
            }
        }
        (0..self.entries.len())
            .filter(|&j| in_v(&self.entries[j]))
            .min_by(|&a, &b| self.order(a, b))
    }

    /// The list's order: `nav_order`, then the index page first, then by path.
    fn order(&self, a: usize, b: usize) -> Ordering {
        let (a, b) = (&self.entries[a], &self.entries[b]);
        let by_order = match (a.order, b.order) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_order
            .then_with(|| is_index(&b.out).cmp(&is_index(&a.out)))
            .then_with(|| a.out.cmp(&b.out))
    }

    /// The URL of page `j` from page `i`.
    fn url(&self, i: usize, j: usize) -> String {
        let (from, to) = (&self.entries[i].out, &self.entries[j].out);
        url_path(&relative_url(parent_dir(from), to))
    }
}

/// The front matter of the page `p` when it sets one of [`KEYS`], its `t(:key)`
/// translated into the page's language (`title: <%= t(:title) %>`).
fn nav_front_matter(src: &Source, plan: &Plan, p: &PlannedPage) -> Result<FrontMatter> {
    let label = src.label(&p.file.rel);
    let text = source::read_text(&p.file.abs, &label)?;
    let split = frontmatter::split(&text);
    let Some(yaml) = split.yaml.filter(|y| KEYS.iter().any(|k| y.contains(k))) else {
        return Ok(FrontMatter::default());
    };
    let data = serde_json::Map::new();
    let env = erb::Env {
        src,
        page_rel: &p.file.rel,
        lang: p.lang.as_deref(),
        strings: &plan.strings,
        resolver: &KeepUrls,
        data: &data,
    };
    // the page's own rendering reports what is wrong in its ERB
    let mut ignored = Vec::new();
    frontmatter::parse_translated(yaml, split.yaml_line, &mut |value, line| {
        erb::translate_value(value, &env, &label, line, &mut ignored)
    })
    .map_err(|e| e.located(&label).into())
}

/// Whether `out` is the index page of its folder.
fn is_index(out: &str) -> bool {
    out == "index.html" || out.ends_with("/index.html")
}

/// A page's entry, its front matter checked.
fn entry(out: &str, lang: Option<String>, front: &FrontMatter, label: &str) -> Result<Entry> {
    let bad = |key: &str, what: &str| -> anyhow::Error {
        let line = front.key_line(key).unwrap_or(0);
        Located::new(label, line, format!("`{key}` is {what}"))
            .hint(format!("see \"Several pages\" in the README for `{key}`"))
            .into()
    };
    let text = |key: &str| -> Result<Option<String>> {
        match front.extra.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(bad(key, "not a text (write a name, such as `v3`)")),
        }
    };
    let order = match front.extra.get("nav_order") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => return Err(bad("nav_order", "not a number (write `nav_order: 2`)")),
    };
    let listed = match front.extra.get("nav") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("nav", "`true` or `false`")),
    };
    Ok(Entry {
        out: out.to_string(),
        lang,
        label: text("nav_title")?.unwrap_or_else(|| front.title.clone()),
        order,
        listed,
        ignored: is_ignored(front),
        version: text("version")?,
        version_folder: false,
    })
}

/// A page without a `version:` in a folder named as a version another page declares
/// belongs to that version (`v3/orders.html` with `v3/index.html` saying `version: v3`).
/// Returns every version, newest first.
fn folder_versions(entries: &mut [Entry]) -> Vec<String> {
    let declared: BTreeSet<String> = entries
        .iter()
        .filter(|e| !e.ignored)
        .filter_map(|e| e.version.clone())
        .collect();
    for e in entries.iter_mut() {
        let folder = e.out.split('/').next().unwrap_or_default();
        let folder_is_a_version = e.out.contains('/') && declared.contains(folder);
        match &e.version {
            None if folder_is_a_version => {
                e.version = Some(folder.to_string());
                e.version_folder = true;
            }
            Some(v) if folder_is_a_version && v == folder => e.version_folder = true,
            _ => {}
        }
    }
    let mut versions: Vec<String> = declared.into_iter().collect();
    versions.sort_by(|a, b| natural(b, a));
    versions
}

/// Compares version names by their numbers (`v10` after `v9`), else as text.
fn natural(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 {
                out.push((rest[..digits].parse().unwrap_or(u64::MAX), String::new()));
                rest = &rest[digits..];
            } else {
                let text =
                    rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
                out.push((0, rest[..text].to_string()));
                rest = &rest[text..];
            }
        }
        out
    }
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

/// The TOC depth of a page: its front matter's `toc_depth`, else the site's.
pub fn toc_depth(front: &FrontMatter, settings: &Settings, label: &str) -> Result<u8> {
    page_setting(
        front,
        "toc_depth",
        settings.toc_depth,
        settings::toc_depth,
        label,
    )
}

/// Whether a page is laid out lazily: its front matter's `lazy_layout`, else the site's.
pub fn lazy_layout(front: &FrontMatter, settings: &Settings, label: &str) -> Result<Lazy> {
    page_setting(
        front,
        "lazy_layout",
        settings.lazy_layout,
        settings::lazy_layout,
        label,
    )
}

/// How `shale.yml` reads a setting's value: the value, or what is wrong and what to do.
type ReadSetting<T> = fn(&serde_yaml::Value) -> Result<T, (String, Option<String>)>;

/// A setting a page's front matter may override: `key` read by `read` (as in
/// `shale.yml`), else `site`; a wrong value is an error naming the page's line.
fn page_setting<T>(
    front: &FrontMatter,
    key: &str,
    site: T,
    read: ReadSetting<T>,
    label: &str,
) -> Result<T> {
    match front.extra.get(key) {
        None | Some(Value::Null) => Ok(site),
        Some(v) => {
            let yaml: serde_yaml::Value = serde_yaml::to_value(v).unwrap_or_default();
            read(&yaml).map_err(|(message, hint)| {
                let line = front.key_line(key).unwrap_or(0);
                let mut e = Located::new(label, line, message);
                e.hint = hint;
                e.into()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_newest_first() {
        let mut v = vec!["v1", "v10", "v2", "v1.5", "beta"];
        v.sort_by(|a, b| natural(b, a));
        assert_eq!(v, ["v10", "v2", "v1.5", "v1", "beta"]);
    }
}
