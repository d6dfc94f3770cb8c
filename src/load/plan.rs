//! Where each page and file of the source folder goes: to its own path, or, under
//! `localizable/` on a multi-language site, to one path per language ([`i18n`]).
//! Decided before any page is rendered, so that each page knows its place, its
//! language and its translations, and links can be checked against the whole output.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Result};

use serde::Serialize;

use crate::error::{Diagnostic, Located, Location};
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::i18n::{self, LangSet, Languages, Localized, MountAtRoot, Redirect, Strings};
use crate::load::source::{self, Source, SourceFile};
use crate::util::url::{parent_dir, relative_url, url_path};

/// `dir/name.html.md` → `dir/name.html`.
pub fn output_path(rel: &str) -> String {
    let rel = rel.strip_suffix(".erb").unwrap_or(rel);
    match rel.rfind(".html.") {
        Some(i) => format!("{}.html", &rel[..i]),
        None => format!("{rel}.html"),
    }
}

/// The name of a site search index (in the folder of its language).
pub const SITE_INDEX: &str = "search.js";

/// Middleman's `ignored: true`: the page is not built.
pub fn is_ignored(front: &FrontMatter) -> bool {
    front
        .extra
        .get("ignored")
        .is_some_and(|v| !v.is_null() && *v != serde_json::Value::Bool(false))
}

/// The output of a build, decided from the source folder.
pub struct Plan {
    pub pages: Vec<PlannedPage>,
    /// Files copied as they are, and where to.
    pub statics: Vec<(SourceFile, String)>,
    /// Every page and copied file of the output (for link checks).
    pub outputs: HashSet<String>,
    pub languages: Languages,
    /// Languages' names given by `language_name` (else [`i18n::native_name`]).
    names: HashMap<String, String>,
    /// The translations of `locales/*.yml`, for `t(:key)`.
    pub strings: Strings,
    /// The pages `redirect` in `config.rb` writes.
    pub redirects: Vec<Redirect>,
    /// About `config.rb`, `locales/` and pages not built as they are named.
    pub warnings: Vec<Diagnostic>,
}

/// One language of a page, for the language switcher and `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    /// BCP 47 tag (`pt-BR`), for `lang` and `hreflang`.
    pub lang: String,
    /// The language's own name (`Português`), or that page's `language_name`.
    pub name: String,
    /// URL of that page from the site root (`pt/index.html`).
    pub path: String,
    /// URL of that page relative to this one (`../pt/index.html`, `index.html`).
    pub url: String,
    /// Whether it is this page.
    pub current: bool,
    /// Whether it is the language at the site root (for `hreflang="x-default"`).
    pub default: bool,
}

/// A page to render, and where.
pub struct PlannedPage {
    pub file: SourceFile,
    /// Output path (`pt/index.html`).
    pub out: String,
    /// Its language on a multi-language site.
    pub lang: Option<String>,
    /// Where a localized page would be written if it were not (`index.html`).
    pub home: Option<String>,
    /// The same page in each language (indices into `Plan::pages`, in the switcher's
    /// order); empty when there is no other.
    translations: Vec<usize>,
    /// The site search index this page queries (`search.js`, `pt/search.js`), when its
    /// language has more than one page with `search: true` (`Plan::plan_site_search`).
    pub site_index: Option<String>,
}

/// A source file and how i18n sees it (`None`: not under `localizable/`).
type Seen<'a> = (&'a SourceFile, Option<Localized>);

/// What the localizable pages' front matter says for the whole site.
#[derive(Default)]
struct Settings<'a> {
    mounts: Vec<MountAtRoot>,
    /// Language → (`language_name`, where it is written).
    names: HashMap<String, (String, Location)>,
    /// Pages with `ignored: true`.
    ignored: HashSet<&'a str>,
}

impl Plan {
    /// Plans the build of `src`; `project` is the folder that holds it (for
    /// `config.rb` and `locales/`).
    pub fn new<'a>(src: &'a Source, project: &Path) -> Result<Plan> {
        let mut warnings = Vec::new();
        let config = i18n::read_config(project, &mut warnings);
        let mut strings = Strings::read(project, &mut warnings)?;
        // The languages as Middleman takes them: `langs` of config.rb, else the names
        // of locales/*.yml; else (shale's fallback) the codes in the file names.
        let locale_codes = i18n::locale_codes(project);
        let (known, origin) = if !config.langs.is_empty() {
            (Some(config.langs.clone()), "`langs` in config.rb")
        } else if !locale_codes.is_empty() {
            (Some(locale_codes), "locales/*.yml")
        } else {
            (None, "the file names under localizable/")
        };
        let langs = match &known {
            Some(k) => LangSet::Known(k),
            None => LangSet::Guess,
        };
        let seen = |files: &'a [SourceFile], page: bool| -> Vec<Seen<'a>> {
            files
                .iter()
                .map(|f| (f, i18n::localized(&f.rel, page, langs)))
                .collect()
        };
        let pages = seen(&src.pages, true);
        let statics = seen(&src.statics, false);
        let codes = known.clone().unwrap_or_else(|| {
            let mut found: Vec<String> = pages
                .iter()
                .chain(&statics)
                .filter_map(|(_, l)| l.as_ref()?.lang.clone())
                .collect();
            found.sort();
            found
        });
        let (languages, settings) = if codes.is_empty() {
            (Languages::default(), Settings::default())
        } else {
            let settings = read_settings(src, &pages)?;
            (
                i18n::languages(codes, origin, &config, &settings.mounts)?,
                settings,
            )
        };
        strings.default = Some(
            languages
                .root
                .clone()
                .or_else(|| languages.codes.first().cloned())
                .unwrap_or_else(|| "en".to_string()),
        );
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
            strings,
            redirects: Vec::new(),
            warnings,
        };
        let mut written = plan.add_pages(src, &pages, &settings.ignored)?;
        plan.add_statics(&statics);
        plan.add_redirects(src, config.redirects, &mut written)?;
        plan.plan_site_search(src)?;
        plan.outputs = plan
            .pages
            .iter()
            .map(|p| p.out.clone())
            .chain(plan.statics.iter().map(|(_, rel)| rel.clone()))
            .chain(plan.redirects.iter().map(|r| r.from.clone()))
            .chain(plan.pages.iter().filter_map(|p| p.site_index.clone()))
            .collect();
        Ok(plan)
    }

    /// Site search: when a language has more than one page with `search: true` (or a
    /// page with `split: h1`), those pages share one index, `search.js` in the
    /// language's folder, instead of one `NAME.search.js` each (a site with one such
    /// page, not split, builds as before).
    fn plan_site_search(&mut self, src: &Source) -> Result<()> {
        let mut by_index: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        for (i, p) in self.pages.iter().enumerate() {
            let front = peek_front_matter(src, &p.file, &["search", "ignored", "split"])?;
            let split = split_h1(&front, &src.label(&p.file.rel))?;
            if front.search && !is_ignored(&front) {
                let index = match &p.lang {
                    Some(code) => self.languages.output(code, SITE_INDEX),
                    None => SITE_INDEX.to_string(),
                };
                by_index.entry(index).or_default().push((i, split));
            }
        }
        for (index, pages) in by_index {
            // the parts of a split page are pages of the site index too
            if pages.len() > 1 || pages.iter().any(|(_, split)| *split) {
                for (i, _) in pages {
                    self.pages[i].site_index = Some(index.clone());
                }
            }
        }
        Ok(())
    }

    /// `config.rb`'s redirects; one at the path of a page is an error naming both.
    fn add_redirects(
        &mut self,
        src: &Source,
        redirects: Vec<Redirect>,
        written: &mut HashMap<String, &str>,
    ) -> Result<()> {
        let mut seen: HashMap<String, Location> = HashMap::new();
        for r in redirects {
            if let Some(page) = written.get(&r.from) {
                return Err(Located {
                    at: r.place,
                    message: format!(
                        "`redirect \"{}\"` and {} would both be written to `{}`",
                        r.from,
                        src.label(page),
                        r.from
                    ),
                    hint: Some("remove the redirect or move the page".into()),
                }
                .into());
            }
            if let Some(first) = seen.get(&r.from) {
                return Err(Located {
                    at: r.place,
                    message: format!("`redirect \"{}\"` repeats the redirect at {first}", r.from),
                    hint: Some("keep one of them".into()),
                }
                .into());
            }
            seen.insert(r.from.clone(), r.place.clone());
            self.redirects.push(r);
        }
        Ok(())
    }

    /// Each page at its path; a localizable page once per language (a page named for
    /// a language replaces that language's copy of the same page without one, as in
    /// Middleman), and the copies of one page linked as translations. Returns what is
    /// written where (output path → source path).
    fn add_pages<'a>(
        &mut self,
        src: &Source,
        pages: &[Seen<'a>],
        ignored: &HashSet<&str>,
    ) -> Result<HashMap<String, &'a str>> {
        let no_languages = self.languages.codes.is_empty();
        let suffixed: HashMap<(String, &str), &str> = pages
            .iter()
            .filter_map(|(f, l)| {
                let l = l.as_ref()?;
                Some(((output_path(&l.path), l.lang.as_deref()?), f.rel.as_str()))
            })
            .collect();
        let mut written: HashMap<String, &'a str> = HashMap::new();
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (f, l) in pages {
            let Some(l) = l.as_ref().filter(|_| !no_languages) else {
                self.add_page_once(src, f, l.is_some(), &mut written)?;
                continue;
            };
            if ignored.contains(f.rel.as_str()) {
                continue;
            }
            let home = output_path(&l.path);
            for code in self.page_languages(src, f, l, &home, &suffixed) {
                let out = self.languages.output(&code, &home);
                check_unique(&mut written, &out, src, &f.rel)?;
                groups
                    .entry(home.clone())
                    .or_default()
                    .push(self.pages.len());
                self.pages.push(PlannedPage {
                    file: (*f).clone(),
                    out,
                    lang: Some(code),
                    home: Some(home.clone()),
                    translations: Vec::new(),
                    site_index: None,
                });
            }
        }
        self.link_translations(groups);
        Ok(written)
    }

    /// A page written once, at its own path: the site has no languages (a page under
    /// `localizable/` is then warned about).
    fn add_page_once<'a>(
        &mut self,
        src: &Source,
        f: &'a SourceFile,
        localizable: bool,
        written: &mut HashMap<String, &'a str>,
    ) -> Result<()> {
        let out = output_path(&f.rel);
        if localizable {
            self.warnings.push(Diagnostic::new(
                &src.label(&f.rel),
                0,
                format!("the site has no languages (no locales/LANG.yml beside the source folder, no `langs` in config.rb, no language code in the file names under localizable/), so this page is written to `{out}`; add locales/en.yml (one file per language) to build it per language"),
            ));
        }
        check_unique(written, &out, src, &f.rel)?;
        self.pages.push(PlannedPage {
            file: f.clone(),
            out,
            lang: None,
            home: None,
            translations: Vec::new(),
            site_index: None,
        });
        Ok(())
    }

    /// The languages a localizable page is built in: its own, or every language of the
    /// site that has no page of its own at `home` (warned about when that leaves none).
    fn page_languages(
        &mut self,
        src: &Source,
        f: &SourceFile,
        l: &Localized,
        home: &str,
        suffixed: &HashMap<(String, &str), &str>,
    ) -> Vec<String> {
        let langs = &self.languages;
        let codes: Vec<String> = match &l.lang {
            Some(lang) => vec![lang.clone()],
            None => langs
                .codes
                .iter()
                .filter(|c| !suffixed.contains_key(&(home.to_string(), c.as_str())))
                .cloned()
                .collect(),
        };
        if codes.is_empty() {
            let own: Vec<String> = langs
                .codes
                .iter()
                .filter_map(|c| suffixed.get(&(home.to_string(), c.as_str())))
                .map(|rel| src.label(rel))
                .collect();
            let message = format!(
                "not built: every language of the site ({}) has its own page ({}); remove this page, or add a language without one",
                langs.codes.join(", "),
                own.join(", ")
            );
            self.warnings
                .push(Diagnostic::new(&src.label(&f.rel), 0, message));
        }
        codes
    }

    /// The copies of one page in several languages know each other, in the site's
    /// language order.
    fn link_translations(&mut self, groups: HashMap<String, Vec<usize>>) {
        for mut group in groups.into_values().filter(|g| g.len() > 1) {
            group.sort_by_key(|&i| {
                let lang = self.pages[i].lang.as_deref().unwrap_or("");
                self.languages.codes.iter().position(|c| c == lang)
            });
            for &i in &group {
                self.pages[i].translations = group.clone();
            }
        }
    }

    /// Each file at its path; under `localizable/`, one copy per language too.
    fn add_statics(&mut self, statics: &[Seen<'_>]) {
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
                self.statics.push(((*f).clone(), f.rel.clone()));
                continue;
            };
            for code in &langs.codes {
                let mine = match &l.lang {
                    Some(lang) => lang == code,
                    None => !suffixed.contains(&(l.path.as_str(), code.as_str())),
                };
                if mine {
                    self.statics
                        .push(((*f).clone(), langs.output(code, &l.path)));
                }
            }
        }
    }

    /// The switcher's entries for `page`.
    pub fn translations(&self, page: &PlannedPage) -> Vec<Translation> {
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
                    path: url_path(&other.out),
                    url: url_path(&relative_url(parent_dir(&page.out), &other.out)),
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
        let front = peek_front_matter(src, f, &["mount_at_root", "language_name", "ignored"])?;
        let label = src.label(&f.rel);
        if let Some(m) = i18n::front_mount_at_root(&front, &label)? {
            settings.mounts.push(m);
        }
        if let (Some(name), Some(lang)) = (i18n::front_language_name(&front, &label)?, &l.lang) {
            let here = Location::new(&label, front.key_line("language_name").unwrap_or(0));
            match settings.names.get(lang) {
                Some((first, at)) if *first != name => {
                    return Err(Located {
                        at: here,
                        message: format!(
                        "`language_name: {name}` disagrees with `language_name: {first}` at {at}"
                    ),
                        hint: Some(format!(
                            "the name of `{lang}` is the same on every page: write it once"
                        )),
                    }
                    .into())
                }
                Some(_) => {}
                None => {
                    settings.names.insert(lang.clone(), (name, here));
                }
            }
        }
        if is_ignored(&front) {
            settings.ignored.insert(f.rel.as_str());
        }
    }
    Ok(settings)
}

fn front_matter(split: &frontmatter::Split<'_>, label: &str) -> Result<FrontMatter> {
    Ok(match split.yaml {
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line).map_err(|e| e.located(label))?,
        None => FrontMatter::default(),
    })
}

/// The front matter of the page, when it writes one of `keys` (else the default, and
/// the YAML is not parsed): what the build must know of a page before rendering any.
pub fn peek_front_matter(
    src: &source::Source,
    page: &SourceFile,
    keys: &[&str],
) -> Result<FrontMatter> {
    let label = src.label(&page.rel);
    let text = source::read_text(&page.abs, &label)?;
    let split = frontmatter::split(&text);
    match split.yaml {
        Some(yaml) if keys.iter().any(|k| yaml.contains(k)) => front_matter(&split, &label),
        _ => Ok(FrontMatter::default()),
    }
}

/// Whether the page asks to be split by `h1` (`split: h1`); any other value of `split`
/// is an error naming the page and the line.
pub fn split_h1(front: &FrontMatter, label: &str) -> Result<bool> {
    match front.extra.get("split") {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(false)) => Ok(false),
        Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("h1") => Ok(true),
        Some(other) => Err(Located {
            at: Location::new(label, front.key_line("split").unwrap_or(0)),
            message: format!(
                "`split: {}` is not a way to split a page",
                other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_string)
            ),
            hint: Some(
                "write `split: h1` (one page per top-level section) or remove the key".into(),
            ),
        }
        .into()),
    }
}

/// Two pages written to one path is an error naming both.
fn check_unique<'s>(
    written: &mut HashMap<String, &'s str>,
    out: &str,
    src: &Source,
    rel: &'s str,
) -> Result<()> {
    // Two pages writing one path: never one lost without a word.
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
}
