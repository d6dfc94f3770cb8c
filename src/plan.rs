//! Where each page and file of the source folder goes: to its own path, or, under
//! `localizable/` on a multi-language site, to one path per language ([`i18n`]).
//! Decided before any page is rendered, so that each page knows its place, its
//! language and its translations, and links can be checked against the whole output.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Result};

use crate::frontmatter::FrontMatter;
use crate::i18n::{self, LangSet, Languages, Localized, MountAtRoot, Redirect, Strings};
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
    /// The translations of `locales/*.yml`, for `t(:key)`.
    pub strings: Strings,
    /// The pages `redirect` in `config.rb` writes.
    pub redirects: Vec<Redirect>,
    /// About `config.rb`, `locales/` and pages not built as they are named.
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
    /// Plans the build of `src`; `project` is the folder that holds it (for
    /// `config.rb` and `locales/`).
    pub fn new(src: &'a Source, project: &Path) -> Result<Plan<'a>> {
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
        plan.outputs = plan
            .pages
            .iter()
            .map(|p| p.out.clone())
            .chain(plan.statics.iter().map(|(_, rel)| rel.clone()))
            .chain(plan.redirects.iter().map(|r| r.from.clone()))
            .collect();
        Ok(plan)
    }

    /// `config.rb`'s redirects; one at the path of a page is an error naming both.
    fn add_redirects(
        &mut self,
        src: &Source,
        redirects: Vec<Redirect>,
        written: &mut HashMap<String, &str>,
    ) -> Result<()> {
        let mut seen: HashMap<String, String> = HashMap::new();
        for r in redirects {
            if let Some(page) = written.get(&r.from) {
                bail!(
                    "{}: `redirect \"{}\"` and {} would both be written to `{}`; remove the redirect or move the page",
                    r.place,
                    r.from,
                    src.label(page),
                    r.from
                );
            }
            if let Some(first) = seen.get(&r.from) {
                bail!(
                    "{}: `redirect \"{}\"` repeats the redirect at {first}; keep one of them",
                    r.place,
                    r.from
                );
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
    fn add_pages(
        &mut self,
        src: &Source,
        pages: &[Seen<'a>],
        ignored: &HashSet<&str>,
    ) -> Result<HashMap<String, &'a str>> {
        let langs = &self.languages;
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
            let Some(l) = l.as_ref().filter(|_| !langs.codes.is_empty()) else {
                let out = output_path(&f.rel);
                if l.is_some() {
                    self.warnings.push(Diagnostic::new(
                        &src.label(&f.rel),
                        0,
                        format!("the site has no languages (no locales/LANG.yml beside the source folder, no `langs` in config.rb, no language code in the file names under localizable/), so this page is written to `{out}`; add locales/en.yml (one file per language) to build it per language"),
                    ));
                }
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
                    .filter(|c| !suffixed.contains_key(&(home.clone(), c.as_str())))
                    .collect(),
            };
            if codes.is_empty() {
                let own: Vec<String> = langs
                    .codes
                    .iter()
                    .filter_map(|c| suffixed.get(&(home.clone(), c.as_str())))
                    .map(|rel| src.label(rel))
                    .collect();
                self.warnings.push(Diagnostic::new(
                    &src.label(&f.rel),
                    0,
                    format!(
                        "not built: every language of the site ({}) has its own page ({}); remove this page, or add a language without one",
                        langs.codes.join(", "),
                        own.join(", ")
                    ),
                ));
            }
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
        Ok(written)
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

/// The page written for a `redirect` of `config.rb`: a meta refresh and a link to the
/// target, as a URL relative to the page (so it works under any sub-path), and a
/// warning when the target is a path of this site that the build does not write.
pub fn redirect_page(r: &Redirect, outputs: &HashSet<String>) -> (String, Option<Diagnostic>) {
    let to = r.to.as_str();
    let scheme = to
        .find(':')
        .is_some_and(|i| !to[..i].contains(['/', '?', '#']));
    let mut warning = None;
    let url = if scheme || to.starts_with("//") {
        to.to_string()
    } else {
        let (path, rest) = to.split_at(to.find(['?', '#']).unwrap_or(to.len()));
        let from_dir = parent_dir(&r.from);
        let target = match path.strip_prefix('/') {
            Some(abs) => crate::site::normalize_rel("", abs),
            None if path.is_empty() => Some(r.from.clone()),
            None => crate::site::normalize_rel(from_dir, path),
        };
        match target {
            Some(mut target) => {
                if target.is_empty() || path.ends_with('/') {
                    target = format!(
                        "{target}{}index.html",
                        if target.is_empty() { "" } else { "/" }
                    );
                }
                if !outputs.contains(&target) {
                    warning = Some(format!(
                        "`redirect \"{}\"` leads to `{target}`, which this build does not write",
                        r.from
                    ));
                }
                format!("{}{rest}", relative_url(from_dir, &target))
            }
            None => {
                warning = Some(format!(
                    "`redirect \"{}\"` leads to `{to}`, outside the site",
                    r.from
                ));
                to.to_string()
            }
        }
    };
    let (file, line) = match r.place.rsplit_once(':') {
        Some((f, l)) => (f, l.parse().unwrap_or(0)),
        None => (r.place.as_str(), 0),
    };
    let u = crate::escape::html(&url);
    let html = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {u}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n<meta name=\"robots\" content=\"noindex,follow\">\n<meta http-equiv=\"cache-control\" content=\"no-cache\">\n<link rel=\"canonical\" href=\"{u}\">\n<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{u}\">{u}</a>.</p>\n</body>\n</html>\n"
    );
    (html, warning.map(|m| Diagnostic::new(file, line, m)))
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

    #[test]
    fn redirect_pages_are_relative_and_escaped() {
        let outputs: HashSet<String> = ["zh/index.html", "new.html", "v2/index.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let page = |from: &str, to: &str| {
            let r = Redirect {
                from: from.into(),
                to: to.into(),
                place: "config.rb:4".into(),
            };
            let (html, w) = redirect_page(&r, &outputs);
            let at = html.find("url=").unwrap() + 4;
            let url = html[at..at + html[at..].find('"').unwrap()].to_string();
            assert!(html.contains(&format!("<a href=\"{url}\">")), "{html}");
            (url, w.map(|d| d.to_string()))
        };
        assert_eq!(
            page("index.html", "./zh/index.html"),
            ("zh/index.html".into(), None)
        );
        assert_eq!(
            page("old/a.html", "/new.html"),
            ("../new.html".into(), None)
        );
        assert_eq!(
            page("old/a.html", "../v2/"),
            ("../v2/index.html".into(), None)
        );
        assert_eq!(
            page("a.html", "https://x.io/?a=1&b=\"<2>\""),
            ("https://x.io/?a=1&amp;b=&quot;&lt;2&gt;&quot;".into(), None)
        );
        assert_eq!(
            page("a.html", "/new.html?x=1#top"),
            ("new.html?x=1#top".into(), None)
        );
        let (url, w) = page("a.html", "gone.html");
        assert_eq!(url, "gone.html");
        assert_eq!(
            w.as_deref(),
            Some("config.rb:4: `redirect \"a.html\"` leads to `gone.html`, which this build does not write")
        );
        let (_, w) = page("a.html", "../../x.html");
        assert!(w.unwrap().contains("outside the site"));
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
