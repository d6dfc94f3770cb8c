//! Where each page and file of the source folder goes: to its own path, or, under
//! `localizable/` on a multi-language site, to one path per language ([`i18n`]).
//! Decided before any page is rendered, so that each page knows its place, its
//! language and its translations, and links can be checked against the whole output.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Result};

use crate::frontmatter::FrontMatter;
use crate::i18n::{self, Languages, Localized, MiddlemanConfig, MountAtRoot};
use crate::page;
use crate::render::Translation;
use crate::search;
use crate::source::{Source, SourceFile};
use crate::Diagnostic;

/// `dir/name.html.md` → `dir/name.html`.
pub fn output_path(rel: &str) -> String {
    let rel = rel.strip_suffix(".erb").unwrap_or(rel);
    match rel.rfind(".html.") {
        Some(i) => format!("{}.html", &rel[..i]),
        None => format!("{rel}.html"),
    }
}

/// The folder part of `rel` (`""` at the root).
pub fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Middleman's `ignored: true`: the page is not built.
pub fn is_ignored(front: &FrontMatter) -> bool {
    front
        .extra
        .get("ignored")
        .is_some_and(|v| !v.is_null() && *v != serde_json::Value::Bool(false))
}

/// The output of a build, decided from the source folder.
pub struct Plan<'a> {
    pub pages: Vec<PlannedPage<'a>>,
    /// Files copied as they are, and where to.
    pub statics: Vec<(&'a SourceFile, String)>,
    /// Every page and copied file of the output (for link checks).
    pub outputs: HashSet<String>,
    pub languages: Languages,
    /// Languages' names given by `language_name` (else [`i18n::native_name`]).
    names: HashMap<String, String>,
    /// About `config.rb`.
    pub warnings: Vec<Diagnostic>,
}

/// A page to render, and where.
pub struct PlannedPage<'a> {
    pub file: &'a SourceFile,
    /// Output path (`pt/index.html`).
    pub out: String,
    /// Its language on a multi-language site.
    pub lang: Option<String>,
    /// Where a localized page would be written if it were not (`index.html`).
    pub home: Option<String>,
    /// The same page in each language (indices into `Plan::pages`, in the switcher's
    /// order); empty when there is no other.
    translations: Vec<usize>,
}

/// A source file and how i18n sees it (`None`: not under `localizable/`).
type Seen<'a> = (&'a SourceFile, Option<Localized>);

/// What the localizable pages' front matter says for the whole site.
#[derive(Default)]
struct Settings<'a> {
    mounts: Vec<MountAtRoot>,
    /// Language → (`language_name`, where it is written).
    names: HashMap<String, (String, String)>,
    /// Pages with `ignored: true`.
    ignored: HashSet<&'a str>,
}

impl<'a> Plan<'a> {
    /// Plans the build of `src`; `project` is the folder that holds it (for `config.rb`).
    pub fn new(src: &'a Source, project: &Path) -> Result<Plan<'a>> {
        let mut warnings = Vec::new();
        let under = |f: &SourceFile| f.rel.starts_with(&format!("{}/", i18n::FOLDER));
        let config = if src.pages.iter().any(under) {
            i18n::read_config(project, &mut warnings)
        } else {
            MiddlemanConfig::default()
        };
        let seen = |files: &'a [SourceFile], page: bool| -> Vec<Seen<'a>> {
            files
                .iter()
                .map(|f| (f, i18n::localized(&f.rel, page, &config.langs)))
                .collect()
        };
        let pages = seen(&src.pages, true);
        let statics = seen(&src.statics, false);
        let found: Vec<String> = pages
            .iter()
            .chain(&statics)
            .filter_map(|(_, l)| l.as_ref()?.lang.clone())
            .collect();
        let (languages, settings) = if found.is_empty() && config.langs.is_empty() {
            (Languages::default(), Settings::default())
        } else {
            let settings = read_settings(src, &pages)?;
            (
                i18n::languages(&found, &config, &settings.mounts)?,
                settings,
            )
        };
        let mut plan = Plan {
            pages: Vec::with_capacity(src.pages.len()),
            statics: Vec::with_capacity(src.statics.len()),
            outputs: HashSet::new(),
            languages,
            names: settings
                .names
                .into_iter()
                .map(|(lang, (name, _))| (lang, name))
                .collect(),
            warnings,
        };
        plan.add_pages(src, &pages, &settings.ignored)?;
        plan.add_statics(&statics);
        plan.outputs = plan
            .pages
            .iter()
            .map(|p| p.out.clone())
            .chain(plan.statics.iter().map(|(_, rel)| rel.clone()))
            .collect();
        Ok(plan)
    }

    /// Each page at its path; a localizable page once per language (a page named for
    /// a language replaces that language's copy of the same page without one, as in
    /// Middleman), and the copies of one page linked as translations.
    fn add_pages(
        &mut self,
        src: &Source,
        pages: &[Seen<'a>],
        ignored: &HashSet<&str>,
    ) -> Result<()> {
        let langs = &self.languages;
        let suffixed: HashSet<(String, &str)> = pages
            .iter()
            .filter_map(|(_, l)| {
                let l = l.as_ref()?;
                Some((output_path(&l.path), l.lang.as_deref()?))
            })
            .collect();
        let mut written: HashMap<String, &str> = HashMap::new();
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (f, l) in pages {
            let Some(l) = l.as_ref().filter(|_| !langs.codes.is_empty()) else {
                let out = output_path(&f.rel);
                check_unique(&mut written, &out, src, &f.rel)?;
                self.pages.push(PlannedPage {
                    file: f,
                    out,
                    lang: None,
                    home: None,
                    translations: Vec::new(),
                });
                continue;
            };
            if ignored.contains(f.rel.as_str()) {
                continue;
            }
            let home = output_path(&l.path);
            let codes: Vec<&String> = match &l.lang {
                Some(lang) => vec![lang],
                None => langs
                    .codes
                    .iter()
                    .filter(|c| !suffixed.contains(&(home.clone(), c.as_str())))
                    .collect(),
            };
            for code in codes {
                let out = langs.output(code, &home);
                check_unique(&mut written, &out, src, &f.rel)?;
                groups
                    .entry(home.clone())
                    .or_default()
                    .push(self.pages.len());
                self.pages.push(PlannedPage {
                    file: f,
                    out,
                    lang: Some(code.clone()),
                    home: Some(home.clone()),
                    translations: Vec::new(),
                });
            }
        }
        for mut group in groups.into_values().filter(|g| g.len() > 1) {
            group.sort_by_key(|&i| {
                let lang = self.pages[i].lang.as_deref().unwrap_or("");
                langs.codes.iter().position(|c| c == lang)
            });
            for &i in &group {
                self.pages[i].translations = group.clone();
            }
        }
        Ok(())
    }

    /// Each file at its path; under `localizable/`, one copy per language too.
    fn add_statics(&mut self, statics: &[Seen<'a>]) {
        let langs = &self.languages;
        let suffixed: HashSet<(&str, &str)> = statics
            .iter()
            .filter_map(|(_, l)| {
                let l = l.as_ref()?;
                Some((l.path.as_str(), l.lang.as_deref()?))
            })
            .collect();
        for (f, l) in statics {
            let Some(l) = l.as_ref().filter(|_| !langs.codes.is_empty()) else {
                self.statics.push((f, f.rel.clone()));
                continue;
            };
            for code in &langs.codes {
                let mine = match &l.lang {
                    Some(lang) => lang == code,
                    None => !suffixed.contains(&(l.path.as_str(), code.as_str())),
                };
                if mine {
                    self.statics.push((f, langs.output(code, &l.path)));
                }
            }
        }
    }

    /// The switcher's entries for `page`.
    pub fn translations(&self, page: &PlannedPage<'_>) -> Vec<Translation> {
        page.translations
            .iter()
            .map(|&i| {
                let other = &self.pages[i];
                let code = other.lang.as_deref().unwrap_or_default();
                Translation {
                    lang: i18n::bcp47(code),
                    name: self
                        .names
                        .get(code)
                        .cloned()
                        .unwrap_or_else(|| i18n::native_name(code)),
                    path: search::url_path(&other.out),
                    url: search::url_path(&relative_url(parent_dir(&page.out), &other.out)),
                    current: other.out == page.out,
                    default: self.languages.root.as_deref() == Some(code),
                }
            })
            .collect()
    }
}

/// What the build must know of the localizable pages before rendering any: the root
/// language, the names of languages, which pages are not built. Only pages whose
/// front matter mentions these keys have it parsed here.
fn read_settings<'a>(src: &Source, pages: &[Seen<'a>]) -> Result<Settings<'a>> {
    let mut settings = Settings::default();
    for (f, l) in pages {
        let Some(l) = l else { continue };
        let front =
            page::peek_front_matter(src, f, &["mount_at_root", "language_name", "ignored"])?;
        let label = src.label(&f.rel);
        if let Some(m) = i18n::front_mount_at_root(&front, &label)? {
            settings.mounts.push(m);
        }
        if let (Some(name), Some(lang)) = (i18n::front_language_name(&front, &label)?, &l.lang) {
            match settings.names.get(lang) {
                Some((first, at)) if *first != name => bail!(
                    "{label}: `language_name: {name}` disagrees with `language_name: {first}` in {at}; the name of `{lang}` is the same on every page: write it once"
                ),
                Some(_) => {}
                None => {
                    settings.names.insert(lang.clone(), (name, label));
                }
            }
        }
        if is_ignored(&front) {
            settings.ignored.insert(f.rel.as_str());
        }
    }
    Ok(settings)
}

/// The relative URL from a page in `from_dir` to the file at `to` (both from the site
/// root): `pt/index.html` from `es` is `../pt/index.html`, from `pt` `index.html`.
pub fn relative_url(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let dirs = &to[..to.len() - 1];
    let common = from.iter().zip(dirs).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    url.push_str(&to[common..].join("/"));
    url
}

/// Two pages written to one path is an error naming both.
fn check_unique<'s>(
    written: &mut HashMap<String, &'s str>,
    out: &str,
    src: &Source,
    rel: &'s str,
) -> Result<()> {
    if let Some(first) = written.get(out) {
        bail!(
            "{} and {} would both be written to `{out}`; rename or remove one of them",
            src.label(first),
            src.label(rel)
        );
    }
    written.insert(out.to_string(), rel);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("index.html.md"), "index.html");
        assert_eq!(output_path("v2/api.html.md"), "v2/api.html");
        assert_eq!(output_path("index.html.md.erb"), "index.html");
        assert_eq!(
            output_path("localizable/index.en.html.md"),
            "localizable/index.en.html"
        );
    }

    #[test]
    fn relative_urls_between_pages() {
        assert_eq!(relative_url("", "pt/index.html"), "pt/index.html");
        assert_eq!(relative_url("pt", "index.html"), "../index.html");
        assert_eq!(relative_url("pt", "pt/index.html"), "index.html");
        assert_eq!(relative_url("es", "pt/index.html"), "../pt/index.html");
        assert_eq!(
            relative_url("pt/guides", "guides/a.html"),
            "../../guides/a.html"
        );
        assert_eq!(relative_url("pt/guides", "pt/b.html"), "../b.html");
    }
}
