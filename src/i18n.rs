//! Multi-language documentation, laid out as Middleman's i18n extension lays it out:
//! the files under `source/localizable/` are built once per language, the language at
//! the site root (`index.html`) and the others under `LANG/` (`pt/index.html`). A file
//! whose name carries a language (`index.pt.html.md`, `diagram.pt.png`) is built for
//! that language only; one without (`index.html.md`) for every language found.
//!
//! The languages are the suffixes of the files under `localizable/` (and the `langs` of
//! the project's Middleman `config.rb`, when it activates i18n). The one at the root is
//! the `mount_at_root` of a localizable page's front matter, else `config.rb`'s, else
//! the first of `config.rb`'s `langs`, else the first in alphabetical order (Middleman's
//! default, which sorts the `locales/*.yml` file names).

use std::path::Path;

use anyhow::{bail, Result};
use serde_json::Value;

use crate::frontmatter::FrontMatter;
use crate::Diagnostic;

/// The folder whose files are localized (Middleman's `templates_dir`).
pub const FOLDER: &str = "localizable";

/// A file under `localizable/`, as the i18n extension sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized {
    /// Its path with `localizable/` and the language suffix removed
    /// (`localizable/guides/intro.pt.html.md` → `guides/intro.html.md`).
    pub path: String,
    /// The language its name carries (`pt`), if any.
    pub lang: Option<String>,
}

/// Whether `rel` (a path in the source folder) is under `localizable/`, and then how
/// i18n sees it. `page` tells a page (`NAME.LANG.html.md`) from another file
/// (`NAME.LANG.png`); `known` are languages accepted besides the common codes.
pub fn localized(rel: &str, page: bool, known: &[String]) -> Option<Localized> {
    let inner = rel.strip_prefix(FOLDER)?.strip_prefix('/')?;
    let (dir, file) = match inner.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, inner),
    };
    // The name before what Middleman strips: `.html.md(.erb)` of a page, the last
    // extension of a file. Middleman needs three dot-separated parts (`x.pt.html`).
    let split_at = if page {
        file.rfind(".html.")
    } else {
        file.rfind('.')
    };
    let lang_and_stem = split_at.and_then(|i| {
        let (stem, ext) = file.split_at(i);
        let (name, lang) = stem.rsplit_once('.')?;
        (!name.is_empty() && is_language(lang, known)).then(|| (lang, format!("{name}{ext}")))
    });
    let (lang, file) = match lang_and_stem {
        Some((lang, f)) => (Some(lang.to_string()), f),
        None => (None, file.to_string()),
    };
    Some(Localized {
        path: match dir {
            Some(d) => format!("{d}/{file}"),
            None => file,
        },
        lang,
    })
}

/// Whether `code` names a language: an ISO 639-1 code (`pt`), or one of the few
/// three-letter codes with a name below, optionally followed by a region or script
/// (`pt-BR`, `zh-Hant`, `en_US`); or any code in `known`.
pub fn is_language(code: &str, known: &[String]) -> bool {
    if known.iter().any(|k| k == code) {
        return true;
    }
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    let primary_ok = match primary.len() {
        2 => ISO_639_1
            .split(' ')
            .any(|c| c.as_bytes() == primary.as_bytes()),
        3 => NAMES.iter().any(|(c, _)| *c == primary),
        _ => false,
    };
    primary_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Every ISO 639-1 language code.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Languages' own names, by lower-case code (`-` between subtags). A code with a region
/// not listed falls back to its language (`de-AT` → Deutsch), then to the code itself.
const NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("ca", "Català"),
    ("ckb", "کوردی"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("en-gb", "English (UK)"),
    ("en-us", "English (US)"),
    ("es", "Español"),
    ("es-419", "Español (Latinoamérica)"),
    ("es-es", "Español (España)"),
    ("es-mx", "Español (México)"),
    ("et", "Eesti"),
    ("eu", "Euskara"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fil", "Filipino"),
    ("fr", "Français"),
    ("fr-ca", "Français (Canada)"),
    ("gl", "Galego"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("hy", "Հայերեն"),
    ("id", "Bahasa Indonesia"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ka", "ქართული"),
    ("kk", "Қазақ тілі"),
    ("km", "ខ្មែរ"),
    ("ko", "한국어"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mk", "Македонски"),
    ("mn", "Монгол"),
    ("ms", "Bahasa Melayu"),
    ("my", "မြန်မာ"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("nn", "Norsk nynorsk"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("pt-br", "Português (Brasil)"),
    ("pt-pt", "Português (Portugal)"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("te", "తెలుగు"),
    ("th", "ไทย"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("uz", "Oʻzbekcha"),
    ("vi", "Tiếng Việt"),
    ("yue", "粵語"),
    ("zh", "中文"),
    ("zh-cn", "简体中文"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("zh-hk", "繁體中文（香港）"),
    ("zh-tw", "繁體中文"),
];

/// The language's own name (`pt` → `Português`), else the code.
pub fn native_name(code: &str) -> String {
    let key = code.replace('_', "-").to_ascii_lowercase();
    let find = |k: &str| NAMES.iter().find(|(c, _)| *c == k).map(|(_, n)| *n);
    let primary = key.split('-').next().unwrap_or("");
    find(&key)
        .or_else(|| find(primary))
        .map_or_else(|| code.to_string(), str::to_string)
}

/// Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu, …):
/// its pages get the mirrored layout unless their front matter says `rtl: false`.
pub fn is_rtl(code: &str) -> bool {
    let base = code.split(['-', '_']).next().unwrap_or(code);
    matches!(
        base.to_ascii_lowercase().as_str(),
        "ar" | "arc" | "ckb" | "dv" | "fa" | "he" | "iw" | "ks" | "ps" | "sd" | "ug" | "ur" | "yi"
    )
}

/// The code as a BCP 47 tag, for `lang` and `hreflang` (`pt_BR` → `pt-BR`).
pub fn bcp47(code: &str) -> String {
    code.replace('_', "-")
}

/// The languages of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    /// In the order of the switcher: the one at the root first, then the others in the
    /// order of `config.rb`'s `langs`, then alphabetically.
    pub codes: Vec<String>,
    /// The language built at the site root; `None` with `mount_at_root: false`.
    pub root: Option<String>,
}

impl Languages {
    /// Where the page or file at `path` (as in [`Localized::path`], already turned into
    /// its output name) goes for `lang`: `path` at the root, else `LANG/path`.
    pub fn output(&self, lang: &str, path: &str) -> String {
        if self.root.as_deref() == Some(lang) {
            path.to_string()
        } else {
            format!("{lang}/{path}")
        }
    }
}

/// `mount_at_root` as written somewhere: a language, or `false` (none at the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountAtRoot {
    pub lang: Option<String>,
    /// Where it is written (`source/localizable/index.pt.html.md:4`), for messages.
    pub place: String,
}

/// What the project's Middleman `config.rb` says about i18n (`activate :i18n, …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MiddlemanConfig {
    /// `langs:` (or `locales:`), in order.
    pub langs: Vec<String>,
    pub mount_at_root: Option<MountAtRoot>,
}

/// Reads `config.rb` in `project` (the folder that holds the source folder), when it
/// activates i18n. Only the `langs`/`locales` and `mount_at_root` options are read;
/// the rest of the file is not Ruby that shale runs. Options shale cannot follow are
/// warnings.
pub fn read_config(project: &Path, warnings: &mut Vec<Diagnostic>) -> MiddlemanConfig {
    let path = project.join("config.rb");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return MiddlemanConfig::default();
    };
    parse_config(&text, "config.rb", warnings)
}

/// [`read_config`] on the text of `config.rb`, named `label` in messages.
pub fn parse_config(text: &str, label: &str, warnings: &mut Vec<Diagnostic>) -> MiddlemanConfig {
    let mut config = MiddlemanConfig::default();
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| {
        let l = l.trim_start();
        l.strip_prefix("activate")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('(').map(str::trim_start).or(Some(r)))
            .and_then(|r| r.strip_prefix(":i18n"))
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    }) else {
        return config;
    };
    // The statement: continued while brackets are open or a line ends with `,` or `\`;
    // a `do … end` block up to the `end` at the statement's indentation.
    let mut statement = String::new();
    let mut depth = 0i32;
    let indent = lines[start].len() - lines[start].trim_start().len();
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let code = strip_comment(line);
        if in_block {
            let ind = line.len() - line.trim_start().len();
            if code.trim() == "end" && ind <= indent {
                break;
            }
        }
        statement.push_str(code);
        statement.push('\n');
        for c in code.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
        }
        let t = code.trim_end();
        if i == start || !in_block {
            if t.ends_with(" do") || t.contains(" do |") {
                in_block = true;
                continue;
            }
            if depth <= 0 && !t.ends_with(',') && !t.ends_with('\\') {
                break;
            }
        }
    }
    let at = format!("{label}:{}", start + 1);
    if let Some(value) = option_value(&statement, &["mount_at_root"]) {
        match ruby_scalar(value) {
            Some(RubyValue::Name(lang)) => {
                config.mount_at_root = Some(MountAtRoot {
                    lang: Some(lang),
                    place: at.clone(),
                })
            }
            Some(RubyValue::False) => {
                config.mount_at_root = Some(MountAtRoot {
                    lang: None,
                    place: at.clone(),
                })
            }
            Some(RubyValue::Nil) => {}
            None => warnings.push(Diagnostic::new(
                label,
                start + 1,
                "`mount_at_root` of `activate :i18n` is not a language shale can read; write `mount_at_root: pt` in the front matter of a page under localizable/ instead",
            )),
        }
    }
    if let Some(value) = option_value(&statement, &["langs", "locales"]) {
        match ruby_list(value) {
            Some(langs) => config.langs = langs,
            None => warnings.push(Diagnostic::new(
                label,
                start + 1,
                "`langs` of `activate :i18n` is not a list shale can read (such as `[:en, :pt]`); shale uses the languages of the file names under localizable/",
            )),
        }
    }
    for option in ["path", "templates_dir", "lang_map", "locale_map"] {
        if option_value(&statement, &[option]).is_some() {
            warnings.push(Diagnostic::new(
                label,
                start + 1,
                format!("the `{option}` option of `activate :i18n` is not supported: shale builds the files of localizable/ and puts each language under `LANG/`"),
            ));
        }
    }
    config
}

/// A line of Ruby without its `#` comment (a `#` outside quotes and not `#{`).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == b'#' && b.get(i + 1) != Some(&b'{') => return &line[..i],
            None => {}
        }
    }
    line
}

/// The text after the first `name:`, `:name =>` or `.name =` of `statement`.
fn option_value<'a>(statement: &'a str, names: &[&str]) -> Option<&'a str> {
    for name in names {
        let mut from = 0;
        while let Some(i) = statement[from..].find(name) {
            let at = from + i;
            from = at + name.len();
            let before = statement[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &statement[at + name.len()..];
            let value = if let Some(r) = rest.strip_prefix(':') {
                (!r.starts_with(':')).then_some(r)
            } else {
                let r = rest.trim_start();
                r.strip_prefix("=>")
                    .or_else(|| r.strip_prefix('=').filter(|r| !r.starts_with(['=', '>'])))
            };
            if let Some(v) = value {
                return Some(v.trim_start());
            }
        }
    }
    None
}

#[derive(Debug, PartialEq, Eq)]
enum RubyValue {
    Name(String),
    False,
    Nil,
}

/// `:pt`, `:"pt-BR"`, `'pt'`, `"pt"`, `false`, `nil` at the start of `text`.
fn ruby_scalar(text: &str) -> Option<RubyValue> {
    let word_end = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(s.len())
    };
    let quoted = |s: &str| -> Option<String> {
        let q = s.chars().next()?;
        if q != '\'' && q != '"' {
            return None;
        }
        let end = s[1..].find(q)?;
        Some(s[1..1 + end].to_string())
    };
    if let Some(sym) = text.strip_prefix(':') {
        let name = quoted(sym).unwrap_or_else(|| sym[..word_end(sym)].to_string());
        return (!name.is_empty()).then_some(RubyValue::Name(name));
    }
    if let Some(s) = quoted(text) {
        return (!s.is_empty()).then_some(RubyValue::Name(s));
    }
    let word = &text[..word_end(text)];
    match word {
        "false" => Some(RubyValue::False),
        "nil" => Some(RubyValue::Nil),
        _ => None,
    }
}

/// `[:en, :pt]`, `%w(en pt)`, `%i[en pt]`, or a single `:en`, at the start of `text`.
fn ruby_list(text: &str) -> Option<Vec<String>> {
    if let Some(rest) = text.strip_prefix("%w").or_else(|| text.strip_prefix("%i")) {
        let open = rest.chars().next()?;
        let close = match open {
            '(' => ')',
            '[' => ']',
            '{' => '}',
            '<' => '>',
            _ => return None,
        };
        let end = rest.find(close)?;
        return Some(rest[1..end].split_whitespace().map(String::from).collect());
    }
    if let Some(rest) = text.strip_prefix('[') {
        let end = rest.find(']')?;
        let mut out = Vec::new();
        for item in rest[..end].split(',') {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            match ruby_scalar(item)? {
                RubyValue::Name(n) => out.push(n),
                _ => return None,
            }
        }
        return Some(out);
    }
    match ruby_scalar(text)? {
        RubyValue::Name(n) => Some(vec![n]),
        _ => None,
    }
}

/// `mount_at_root` in a page's front matter, if written: `pt`, or `false`.
pub fn front_mount_at_root(front: &FrontMatter, label: &str) -> Result<Option<MountAtRoot>> {
    let Some(v) = front.extra.get("mount_at_root") else {
        return Ok(None);
    };
    let line = front.key_line("mount_at_root").unwrap_or(1);
    let place = format!("{label}:{line}");
    let lang = match v {
        Value::Null => return Ok(None),
        Value::Bool(false) => None,
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => bail!(
            "{place}: `mount_at_root` must be the language built at the site root, such as `mount_at_root: pt`, or `false` for none"
        ),
    };
    Ok(Some(MountAtRoot { lang, place }))
}

/// `language_name` in a page's front matter: what the language switcher calls the
/// page's language.
pub fn front_language_name(front: &FrontMatter, label: &str) -> Result<Option<String>> {
    match front.extra.get("language_name") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
        Some(_) => {
            let line = front.key_line("language_name").unwrap_or(1);
            bail!(
                "{label}:{line}: `language_name` must be text, such as `language_name: Português`"
            )
        }
    }
}

/// Chooses the language at the root and orders the languages. `found` are the codes
/// of the files under `localizable/` (any order), `mounts` every `mount_at_root` of the
/// front matter (which must agree), then `config.rb`'s.
pub fn languages(
    found: &[String],
    config: &MiddlemanConfig,
    mounts: &[MountAtRoot],
) -> Result<Languages> {
    let mut codes: Vec<String> = config.langs.clone();
    let mut rest: Vec<String> = found
        .iter()
        .filter(|c| !codes.contains(c))
        .cloned()
        .collect();
    rest.sort();
    rest.dedup();
    codes.extend(rest);
    if codes.is_empty() {
        return Ok(Languages::default());
    }
    if let Some(first) = mounts.first() {
        if let Some(other) = mounts.iter().find(|m| m.lang != first.lang) {
            bail!(
                "{}: `mount_at_root: {}` disagrees with `mount_at_root: {}` at {}; write the same language in both, or keep only one",
                other.place,
                show(&other.lang),
                show(&first.lang),
                first.place
            );
        }
    }
    let chosen = mounts.first().or(config.mount_at_root.as_ref());
    let root = match chosen {
        Some(m) => match &m.lang {
            Some(l) if codes.contains(l) => Some(l.clone()),
            Some(l) => bail!(
                "{}: `mount_at_root: {l}`: no file under localizable/ is in `{l}` (languages: {}); name a language of the site, or `false`",
                m.place,
                codes.join(", ")
            ),
            None => None,
        },
        None => Some(codes[0].clone()),
    };
    if let Some(r) = &root {
        let i = codes.iter().position(|c| c == r).unwrap_or(0);
        let r = codes.remove(i);
        codes.insert(0, r);
    }
    Ok(Languages { codes, root })
}

fn show(lang: &Option<String>) -> &str {
    lang.as_deref().unwrap_or("false")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(rel: &str, page: bool) -> Option<(String, Option<String>)> {
        localized(rel, page, &[]).map(|l| (l.path, l.lang))
    }

    #[test]
    fn reads_language_suffixes_as_middleman() {
        let some = |p: &str, l: Option<&str>| Some((p.to_string(), l.map(String::from)));
        assert_eq!(loc("index.html.md", true), None);
        assert_eq!(loc("v2/localizable/x.html.md", true), None);
        assert_eq!(
            loc("localizable/index.pt.html.md", true),
            some("index.html.md", Some("pt"))
        );
        assert_eq!(
            loc("localizable/index.html.md", true),
            some("index.html.md", None)
        );
        assert_eq!(
            loc("localizable/guides/intro.pt-BR.html.md.erb", true),
            some("guides/intro.html.md.erb", Some("pt-BR"))
        );
        assert_eq!(
            loc("localizable/index.zh_CN.html.markdown", true),
            some("index.html.markdown", Some("zh_CN"))
        );
        // Not languages: versions, words, an empty name.
        assert_eq!(
            loc("localizable/api.v2.html.md", true),
            some("api.v2.html.md", None)
        );
        assert_eq!(
            loc("localizable/api.old.html.md", true),
            some("api.old.html.md", None)
        );
        assert_eq!(
            loc("localizable/pt.html.md", true),
            some("pt.html.md", None)
        );
        // Other files: the suffix before the last extension.
        assert_eq!(
            loc("localizable/images/flow.pt.png", false),
            some("images/flow.png", Some("pt"))
        );
        assert_eq!(loc("localizable/flow.png", false), some("flow.png", None));
        // A code from config.rb's `langs` is a language too.
        assert_eq!(
            localized("localizable/index.tlh.html.md", true, &["tlh".into()]).map(|l| l.lang),
            Some(Some("tlh".into()))
        );
    }

    #[test]
    fn names_languages_in_their_own_language() {
        assert_eq!(native_name("en"), "English");
        assert_eq!(native_name("pt"), "Português");
        assert_eq!(native_name("pt-BR"), "Português (Brasil)");
        assert_eq!(native_name("pt_br"), "Português (Brasil)");
        assert_eq!(native_name("de-AT"), "Deutsch");
        assert_eq!(native_name("ja"), "日本語");
        assert_eq!(native_name("xx"), "xx");
        assert_eq!(bcp47("zh_Hant"), "zh-Hant");
    }

    fn mount(lang: Option<&str>, place: &str) -> MountAtRoot {
        MountAtRoot {
            lang: lang.map(String::from),
            place: place.into(),
        }
    }

    #[test]
    fn chooses_the_root_language() {
        let found = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let none = MiddlemanConfig::default();
        // Alphabetical first, as Middleman with locales/*.yml.
        let l = languages(&found(&["pt", "en", "de"]), &none, &[]).unwrap();
        assert_eq!(l.root.as_deref(), Some("de"));
        assert_eq!(l.codes, ["de", "en", "pt"]);
        // Front matter.
        let l = languages(&found(&["pt", "en"]), &none, &[mount(Some("pt"), "a:1")]).unwrap();
        assert_eq!(l.root.as_deref(), Some("pt"));
        assert_eq!(l.codes, ["pt", "en"]);
        assert_eq!(l.output("pt", "index.html"), "index.html");
        assert_eq!(l.output("en", "index.html"), "en/index.html");
        // No language at the root.
        let l = languages(&found(&["pt", "en"]), &none, &[mount(None, "a:1")]).unwrap();
        assert_eq!(l.root, None);
        assert_eq!(l.output("en", "index.html"), "en/index.html");
        // config.rb: langs order, its mount_at_root, front matter first.
        let config = MiddlemanConfig {
            langs: found(&["pt", "en"]),
            mount_at_root: None,
        };
        let l = languages(&found(&["en", "pt", "es"]), &config, &[]).unwrap();
        assert_eq!(l.codes, ["pt", "en", "es"]);
        let config = MiddlemanConfig {
            langs: vec![],
            mount_at_root: Some(mount(Some("pt"), "config.rb:3")),
        };
        let l = languages(&found(&["en", "pt"]), &config, &[]).unwrap();
        assert_eq!(l.root.as_deref(), Some("pt"));
        let l = languages(&found(&["en", "pt"]), &config, &[mount(Some("en"), "a:2")]).unwrap();
        assert_eq!(l.root.as_deref(), Some("en"));
        // Mistakes.
        let e = languages(&found(&["en", "pt"]), &none, &[mount(Some("fr"), "a:2")])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a:2: `mount_at_root: fr`: no file under localizable/ is in `fr` (languages: en, pt)"), "{e}");
        let e = languages(
            &found(&["en", "pt"]),
            &none,
            &[mount(Some("en"), "a:2"), mount(Some("pt"), "b:3")],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b:3: `mount_at_root: pt` disagrees with `mount_at_root: en` at a:2"),
            "{e}"
        );
        assert_eq!(languages(&[], &none, &[]).unwrap(), Languages::default());
    }

    #[test]
    fn reads_middleman_config() {
        let read = |text: &str| {
            let mut w = Vec::new();
            let c = parse_config(text, "config.rb", &mut w);
            (c, w.iter().map(|d| d.to_string()).collect::<Vec<_>>())
        };
        let (c, w) = read("set :css_dir, 'stylesheets'\nactivate :i18n, :langs => [:pt, :en], :mount_at_root => :pt\n");
        assert_eq!(c.langs, ["pt", "en"]);
        assert_eq!(c.mount_at_root, Some(mount(Some("pt"), "config.rb:2")));
        assert!(w.is_empty(), "{w:?}");
        let (c, _) = read("activate(:i18n,\n  langs: %w[en pt-BR],\n  mount_at_root: false\n)\nactivate :syntax\n");
        assert_eq!(c.langs, ["en", "pt-BR"]);
        assert_eq!(c.mount_at_root, Some(mount(None, "config.rb:1")));
        let (c, _) = read("activate :i18n do |i|\n  i.langs = [\"en\", :\"pt-BR\"]\n  i.mount_at_root = :en\nend\nmount_at_root = :zz\n");
        assert_eq!(c.langs, ["en", "pt-BR"]);
        assert_eq!(c.mount_at_root.unwrap().lang.as_deref(), Some("en"));
        let (c, _) = read("# activate :i18n, mount_at_root: :pt\nactivate :i18nx\n");
        assert_eq!(c, MiddlemanConfig::default());
        let (c, _) = read("activate :i18n # mount_at_root: :pt\n");
        assert_eq!(c, MiddlemanConfig::default());
        let (c, w) = read("activate :i18n, mount_at_root: ENV['LANG'], path: '/:locale/docs/'\n");
        assert_eq!(c.mount_at_root, None);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].starts_with(
                "config.rb:1: `mount_at_root` of `activate :i18n` is not a language shale can read"
            ),
            "{w:?}"
        );
        assert!(w[1].contains("`path` option"), "{w:?}");
    }
}
