//! Multi-language documentation, laid out as Middleman's i18n extension lays it out:
//! the files under `source/localizable/` are built once per language, the language at
//! the site root (`index.html`) and the others under `LANG/` (`pt/index.html`). A file
//! whose name carries a language (`index.pt.html.md`, `diagram.pt.png`) is built for
//! that language only; one without (`index.html.md`) for every language that has no
//! file of its own.
//!
//! The languages are, as Middleman takes them, the `langs` (or `locales`) of
//! `activate :i18n` in the project's `config.rb`, else the names of the `locales/*.yml`
//! files beside the source folder (sorted); a file named for one of them is localized
//! wherever it is. Without either, shale falls back on the language codes of the file
//! names under `localizable/`. The language at the root is the `mount_at_root` of a
//! localizable page's front matter, else `config.rb`'s, else the first language.
//!
//! [`Strings`] are the translations of `locales/*.yml`, for `t(:key)`.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use crate::error::{Diagnostic, Located, Location};
use crate::load::frontmatter::FrontMatter;

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

/// How the languages of a site are known.
#[derive(Debug, Clone, Copy)]
pub enum LangSet<'a> {
    /// From `config.rb` or `locales/`: exactly these, and a file named for one of them
    /// is localized wherever it is (Middleman's `parse_locale_extension`).
    Known(&'a [String]),
    /// Neither: a language code (see [`is_language`]) in the name of a file under
    /// `localizable/`.
    Guess,
}

impl LangSet<'_> {
    fn is_language(&self, code: &str) -> bool {
        match self {
            LangSet::Known(codes) => codes.iter().any(|c| c == code),
            LangSet::Guess => is_language(code, &[]),
        }
    }
}

/// How i18n sees the file at `rel` (a path in the source folder): `None` when it is not
/// localized (not under `localizable/`, nor named for a known language). `page` tells
/// a page (`NAME.LANG.html.md`) from another file (`NAME.LANG.png`).
pub fn localized(rel: &str, page: bool, langs: LangSet) -> Option<Localized> {
    let inner = rel.strip_prefix(FOLDER).and_then(|r| r.strip_prefix('/'));
    if inner.is_none() && matches!(langs, LangSet::Guess) {
        return None;
    }
    let path = inner.unwrap_or(rel);
    let (dir, file) = match path.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, path),
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
        (!name.is_empty() && langs.is_language(lang)).then(|| (lang, format!("{name}{ext}")))
    });
    let (lang, file) = match lang_and_stem {
        Some((lang, f)) => (Some(lang.to_string()), f),
        None if inner.is_none() => return None,
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

/// Country codes that sites use to name a language (`locales/cn.yml`, `kr.yml`), and
/// the language each means: what `lang`, `hreflang` and the switcher say for them.
const COUNTRY_CODES: &[(&str, &str)] = &[("cn", "zh"), ("jp", "ja"), ("kr", "ko")];

fn country_alias(code: &str) -> Option<&'static str> {
    COUNTRY_CODES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, l)| *l)
}

/// The language's own name (`pt` → `Português`), else the code.
pub fn native_name(code: &str) -> String {
    let code = country_alias(code).unwrap_or(code);
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

/// The code as a BCP 47 tag, for `lang` and `hreflang` (`pt_BR` → `pt-BR`; a
/// country code used for a language, `cn`, `jp`, `kr`, as that language).
pub fn bcp47(code: &str) -> String {
    match country_alias(code) {
        Some(lang) => lang.to_string(),
        None => code.replace('_', "-"),
    }
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
    pub place: Location,
}

/// What the project's Middleman `config.rb` says about i18n (`activate :i18n, …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MiddlemanConfig {
    /// Whether it has `activate :i18n`.
    pub i18n: bool,
    /// `langs:` (or `locales:`), in order.
    pub langs: Vec<String>,
    pub mount_at_root: Option<MountAtRoot>,
    /// Its `redirect` statements.
    pub redirects: Vec<Redirect>,
}

/// Reads `config.rb` in `project` (the folder that holds the source folder): the
/// `langs`/`locales` and `mount_at_root` options of `activate :i18n`, and `redirect`
/// statements; the rest of the file is not Ruby that shale runs. Options shale cannot
/// follow are warnings.
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
    config.redirects = parse_redirects(&lines, label, warnings);
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
    config.i18n = true;
    let statement = statement_at(&lines, start);
    read_i18n_options(&mut config, &statement, label, start + 1, warnings);
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

/// The Ruby statement starting at line `start`: continued while brackets are open or a
/// line ends with `,` or `\`; a `do … end` block up to the `end` at the statement's
/// indentation.
fn statement_at(lines: &[&str], start: usize) -> String {
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
    statement
}

/// `mount_at_root` and `langs` of `activate :i18n` (its `statement`, on `line`).
fn read_i18n_options(
    config: &mut MiddlemanConfig,
    statement: &str,
    label: &str,
    line: usize,
    warnings: &mut Vec<Diagnostic>,
) {
    let at = Location::new(label, line);
    if let Some(value) = option_value(statement, &["mount_at_root"]) {
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
                line,
                "`mount_at_root` of `activate :i18n` is not a language shale can read; write `mount_at_root: pt` in the front matter of a page under localizable/ instead",
            )),
        }
    }
    if let Some(value) = option_value(statement, &["langs", "locales"]) {
        match ruby_list(value) {
            Some(langs) => config.langs = langs,
            None => warnings.push(Diagnostic::new(
                label,
                line,
                "`langs` of `activate :i18n` is not a list shale can read (such as `[:en, :pt]`); shale uses the languages of the file names under localizable/",
            )),
        }
    }
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
    let place = Location::new(label, line);
    let lang = match v {
        Value::Null => return Ok(None),
        Value::Bool(false) => None,
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => {
            return Err(Located {
                at: place,
                message: "`mount_at_root` must be the language built at the site root, such as `mount_at_root: pt`, or `false` for none".into(),
                hint: None,
            }
            .into())
        }
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
            Err(Located::new(
                label,
                line,
                "`language_name` must be text, such as `language_name: Português`",
            )
            .into())
        }
    }
}

/// Chooses the language at the root and orders the languages. `codes` are the
/// languages of the site in their order (`origin` says where they come from, for
/// messages), `mounts` every `mount_at_root` of the front matter (which must agree),
/// then `config.rb`'s. As Middleman: the `mount_at_root` given, else the first language.
pub fn languages(
    codes: Vec<String>,
    origin: &str,
    config: &MiddlemanConfig,
    mounts: &[MountAtRoot],
) -> Result<Languages> {
    let mut codes = codes;
    let mut seen = std::collections::HashSet::new();
    codes.retain(|c| seen.insert(c.clone()));
    if codes.is_empty() {
        return Ok(Languages::default());
    }
    if let Some(first) = mounts.first() {
        if let Some(other) = mounts.iter().find(|m| m.lang != first.lang) {
            return Err(Located {
                at: other.place.clone(),
                message: format!(
                    "`mount_at_root: {}` disagrees with `mount_at_root: {}` at {}",
                    show(&other.lang),
                    show(&first.lang),
                    first.place
                ),
                hint: Some("write the same language in both, or keep only one".into()),
            }
            .into());
        }
    }
    let chosen = mounts.first().or(config.mount_at_root.as_ref());
    let root = match chosen {
        Some(m) => match &m.lang {
            Some(l) if codes.contains(l) => Some(l.clone()),
            Some(l) => {
                return Err(Located {
                    at: m.place.clone(),
                    message: format!(
                        "`mount_at_root: {l}`: `{l}` is not a language of the site (languages: {}, from {origin})",
                        codes.join(", ")
                    ),
                    hint: Some("name one of them, or `false`".into()),
                }
                .into())
            }
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

/// The folder beside the source folder that holds the translations
/// (`locales/en.yml`), as Middleman's i18n reads it.
pub const LOCALES: &str = "locales";

/// The languages named by `locales/*.yml` (also `.yaml`, `.rb`) in `project`, sorted
/// as Middleman sorts them; empty without the folder.
pub fn locale_codes(project: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(project.join(LOCALES)) else {
        return Vec::new();
    };
    let mut codes: Vec<String> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            [".yml", ".yaml", ".rb"]
                .iter()
                .find_map(|ext| name.strip_suffix(ext).map(str::to_string))
        })
        .filter(|c| !c.is_empty() && !c.starts_with('.'))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The translations of a site: every `locales/**/*.yml` (and `.yaml`) merged, as
/// Middleman's I18n loads them (`en:` at the top, keys nested below).
#[derive(Debug, Default)]
pub struct Strings {
    /// Language → its keys (nested mappings).
    tables: HashMap<String, serde_yaml::Mapping>,
    /// Whether the project has a `locales/` folder.
    pub present: bool,
    /// The language of pages that have none (Middleman's default locale).
    pub default: Option<String>,
}

/// What `t(key)` finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Text(String),
    /// The key names a group of keys, not a text.
    Group,
    Missing,
}

impl Strings {
    /// Reads `locales/` in `project`. A file that is not valid YAML, or not a mapping
    /// of languages at its top, is an error naming it.
    pub fn read(project: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Strings> {
        let dir = project.join(LOCALES);
        let mut strings = Strings {
            present: dir.is_dir(),
            ..Default::default()
        };
        if !strings.present {
            return Ok(strings);
        }
        let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            let rel = path.strip_prefix(project).unwrap_or(&path);
            let label = rel.to_string_lossy().replace('\\', "/");
            let name = label.rsplit('/').next().unwrap_or("");
            if name.ends_with(".rb") {
                warnings.push(Diagnostic::new(
                    &label,
                    0,
                    "translations written in Ruby are not read; shale reads `locales/LANG.yml` files",
                ));
                continue;
            }
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) || name.starts_with('.') {
                continue;
            }
            let text = crate::load::source::read_text(&path, &label)?;
            strings.add(&text, &label)?;
        }
        Ok(strings)
    }

    /// Adds the YAML `text` of the file `label`.
    pub fn add(&mut self, text: &str, label: &str) -> Result<()> {
        let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line());
            Located::new(
                label,
                line,
                format!("not valid YAML: {}", strip_at(&e.to_string())),
            )
            .hint("Middleman's translations are `LANG:` at the top, keys nested below")
        })?;
        let top = match value {
            serde_yaml::Value::Null => return Ok(()),
            serde_yaml::Value::Mapping(m) => m,
            _ => {
                return Err(Located::new(
                    label,
                    0,
                    "the top of a translations file is the language, such as `en:`, with the keys nested below it",
                )
                .into())
            }
        };
        for (lang, keys) in top {
            let Some(lang) = yaml_key(&lang) else {
                continue;
            };
            let table = self.tables.entry(lang).or_default();
            if let serde_yaml::Value::Mapping(keys) = keys {
                merge(table, keys);
            }
        }
        Ok(())
    }

    /// The text of `key` (`title`, `errors.not_found`) in `lang`, else in its parent
    /// languages (`pt-BR`, then `pt`), as I18n's fallbacks in Middleman.
    pub fn lookup(&self, lang: &str, key: &str) -> Lookup {
        let mut l = lang;
        loop {
            if let Some(found) = self.get(l, key) {
                return found;
            }
            match l.rsplit_once('-') {
                Some((parent, _)) => l = parent,
                None => return Lookup::Missing,
            }
        }
    }

    fn get(&self, lang: &str, key: &str) -> Option<Lookup> {
        let mut map = self.tables.get(lang)?;
        let mut parts = key.split('.').filter(|p| !p.is_empty()).peekable();
        parts.peek()?;
        while let Some(part) = parts.next() {
            let v = map
                .iter()
                .find(|(k, _)| yaml_key(k).as_deref() == Some(part))
                .map(|(_, v)| v)?;
            if parts.peek().is_none() {
                return match v {
                    serde_yaml::Value::Null => None,
                    serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_) => {
                        Some(Lookup::Group)
                    }
                    other => yaml_key(other).map(Lookup::Text),
                };
            }
            match v {
                serde_yaml::Value::Mapping(m) => map = m,
                _ => return None,
            }
        }
        None
    }

    /// Whether any file defines `lang`.
    pub fn has_language(&self, lang: &str) -> bool {
        self.tables.contains_key(lang)
    }
}

/// The text of a YAML scalar, as Ruby prints it.
fn yaml_key(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => yaml_key(&t.value),
        _ => None,
    }
}

/// Deep-merges `from` into `into`, as I18n merges translation files.
fn merge(into: &mut serde_yaml::Mapping, from: serde_yaml::Mapping) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(serde_yaml::Value::Mapping(a)), serde_yaml::Value::Mapping(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// A serde_yaml message without its " at line X column Y".
fn strip_at(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A page written by `redirect "FROM", to: "TO"` in `config.rb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The output path written (`index.html`, `old/index.html`).
    pub from: String,
    /// Where it leads, as written.
    pub to: String,
    /// Where it is written (`config.rb:7`), for messages.
    pub place: Location,
}

/// The `redirect "FROM", to: "TO"` statements of `config.rb` (also `:to =>`, with or
/// without parentheses). One shale cannot read is a warning.
fn parse_redirects(lines: &[&str], label: &str, warnings: &mut Vec<Diagnostic>) -> Vec<Redirect> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let code = strip_comment(lines[i]).trim();
        i += 1;
        let Some(rest) = code.strip_prefix("redirect") else {
            continue;
        };
        if !rest.starts_with([' ', '\t', '(']) {
            continue;
        }
        let mut statement = code.to_string();
        let open = |s: &str| s.matches('(').count() > s.matches(')').count();
        while i < lines.len()
            && (statement.ends_with(',') || statement.ends_with('\\') || open(&statement))
        {
            statement.push('\n');
            statement.push_str(strip_comment(lines[i]).trim());
            i += 1;
        }
        let place = Location::new(label, start + 1);
        match read_redirect(&statement) {
            Ok((from, to)) => {
                let from = from.trim_start_matches('/');
                let from = if from.is_empty() || from.ends_with('/') {
                    format!("{from}index.html")
                } else {
                    from.to_string()
                };
                out.push(Redirect { from, to, place });
            }
            Err(why) => warnings.push(Diagnostic::new(
                label,
                start + 1,
                format!("a `redirect` shale cannot read ({why}); write it as `redirect \"old.html\", to: \"new.html\"`. No page is written for it"),
            )),
        }
    }
    out
}

fn read_redirect(statement: &str) -> std::result::Result<(String, String), String> {
    use crate::load::ruby::{self, Expr};
    let st = ruby::parse_statement(statement).map_err(|e| e.message)?;
    let Some(("redirect", Some(args))) = st.expr.call_name() else {
        return Err("not a call of `redirect`".into());
    };
    let from = match args.positional.first() {
        Some(Expr::Str(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err("the path redirected is not a string".into()),
    };
    let to = args.keywords.iter().find_map(|(k, v)| match (k, v) {
        (Expr::Sym(k) | Expr::Str(k), Expr::Str(v)) if k == "to" => Some(v.clone()),
        _ => None,
    });
    match to {
        Some(to) if !to.trim().is_empty() => Ok((from, to.trim().to_string())),
        _ => Err("its `to:` is not a string".into()),
    }
}

fn show(lang: &Option<String>) -> &str {
    lang.as_deref().unwrap_or("false")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(rel: &str, page: bool) -> Option<(String, Option<String>)> {
        localized(rel, page, LangSet::Guess).map(|l| (l.path, l.lang))
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
        // Known languages (locales/*.yml, config.rb's `langs`): any code, only those,
        // and a file named for one is localized wherever it is, as in Middleman.
        let known = ["cn".to_string(), "en".to_string()];
        let k = |rel: &str, page: bool| {
            localized(rel, page, LangSet::Known(&known)).map(|l| (l.path, l.lang))
        };
        assert_eq!(
            k("localizable/index.cn.html.md", true),
            some("index.html.md", Some("cn"))
        );
        assert_eq!(
            k("localizable/index.pt.html.md", true),
            some("index.pt.html.md", None),
            "not a language of the site"
        );
        assert_eq!(k("api.cn.html.md", true), some("api.html.md", Some("cn")));
        assert_eq!(
            k("images/logo.en.png", false),
            some("images/logo.png", Some("en"))
        );
        assert_eq!(k("index.html.md", true), None);
        assert_eq!(k("images/logo.png", false), None);
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
        // Country codes sites use for languages.
        assert_eq!(
            (bcp47("cn"), native_name("cn")),
            ("zh".into(), "中文".into())
        );
        assert_eq!(
            (bcp47("kr"), native_name("kr")),
            ("ko".into(), "한국어".into())
        );
        assert_eq!(
            (bcp47("jp"), native_name("jp")),
            ("ja".into(), "日本語".into())
        );
    }

    fn mount(lang: Option<&str>, place: &str) -> MountAtRoot {
        MountAtRoot {
            lang: lang.map(String::from),
            place: {
                let (f, l) = place.rsplit_once(':').unwrap();
                Location::new(f, l.parse().unwrap())
            },
        }
    }

    #[test]
    fn chooses_the_root_language() {
        let found = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let none = MiddlemanConfig::default();
        let o = "locales/*.yml";
        // The first language (Middleman: `locales.first`; the codes come sorted).
        let l = languages(found(&["de", "en", "pt"]), o, &none, &[]).unwrap();
        assert_eq!(l.root.as_deref(), Some("de"));
        assert_eq!(l.codes, ["de", "en", "pt"]);
        // config.rb's `langs` order.
        let l = languages(found(&["pt", "en"]), o, &none, &[]).unwrap();
        assert_eq!(
            (l.root.as_deref(), l.codes.as_slice()),
            (Some("pt"), &found(&["pt", "en"])[..])
        );
        // Front matter.
        let l = languages(found(&["en", "pt"]), o, &none, &[mount(Some("pt"), "a:1")]).unwrap();
        assert_eq!(l.root.as_deref(), Some("pt"));
        assert_eq!(l.codes, ["pt", "en"]);
        assert_eq!(l.output("pt", "index.html"), "index.html");
        assert_eq!(l.output("en", "index.html"), "en/index.html");
        // No language at the root.
        let l = languages(found(&["en", "pt"]), o, &none, &[mount(None, "a:1")]).unwrap();
        assert_eq!(l.root, None);
        assert_eq!(l.output("en", "index.html"), "en/index.html");
        // config.rb's mount_at_root; the front matter's first.
        let config = MiddlemanConfig {
            mount_at_root: Some(mount(Some("pt"), "config.rb:3")),
            ..Default::default()
        };
        let l = languages(found(&["en", "pt"]), o, &config, &[]).unwrap();
        assert_eq!(l.root.as_deref(), Some("pt"));
        let l = languages(
            found(&["en", "pt"]),
            o,
            &config,
            &[mount(Some("en"), "a:2")],
        )
        .unwrap();
        assert_eq!(l.root.as_deref(), Some("en"));
        // Mistakes.
        let e = languages(found(&["en", "pt"]), o, &none, &[mount(Some("fr"), "a:2")])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a:2: `mount_at_root: fr`: `fr` is not a language of the site (languages: en, pt, from locales/*.yml)"), "{e}");
        let e = languages(
            found(&["en", "pt"]),
            o,
            &none,
            &[mount(Some("en"), "a:2"), mount(Some("pt"), "b:3")],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b:3: `mount_at_root: pt` disagrees with `mount_at_root: en` at a:2"),
            "{e}"
        );
        assert_eq!(
            languages(vec![], o, &none, &[]).unwrap(),
            Languages::default()
        );
    }

    #[test]
    fn reads_translations_as_i18n() {
        let mut s = Strings::default();
        s.add(
            "en:\n  title: API\n  errors:\n    404: Not found\n    list: [a, b]\n  empty:\n",
            "locales/en.yml",
        )
        .unwrap();
        s.add(
            "en:\n  errors:\n    500: Broken\npt-BR:\n  title: API BR\npt:\n  other: Outro\n",
            "locales/more.yml",
        )
        .unwrap();
        assert_eq!(s.lookup("en", "title"), Lookup::Text("API".into()));
        // Files merge deeply; numbers are keys as Ruby prints them.
        assert_eq!(
            s.lookup("en", "errors.404"),
            Lookup::Text("Not found".into())
        );
        assert_eq!(s.lookup("en", "errors.500"), Lookup::Text("Broken".into()));
        assert_eq!(s.lookup("en", "errors"), Lookup::Group);
        assert_eq!(s.lookup("en", "errors.list"), Lookup::Group);
        assert_eq!(s.lookup("en", "empty"), Lookup::Missing);
        assert_eq!(s.lookup("en", "title.x"), Lookup::Missing);
        // pt-BR, then pt; never another language.
        assert_eq!(s.lookup("pt-BR", "title"), Lookup::Text("API BR".into()));
        assert_eq!(s.lookup("pt-BR", "other"), Lookup::Text("Outro".into()));
        assert_eq!(s.lookup("pt", "title"), Lookup::Missing);
        let e = s
            .add("en:\n  a: [\n", "locales/bad.yml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("locales/bad.yml:"), "{e}");
        assert!(e.contains("not valid YAML"), "{e}");
        let e = s.add("- a\n", "locales/list.yml").unwrap_err().to_string();
        assert!(
            e.starts_with("locales/list.yml: the top of a translations file is the language"),
            "{e}"
        );
    }

    #[test]
    fn reads_redirects_of_config_rb() {
        let mut w = Vec::new();
        let c = parse_config(
            "activate :i18n, :mount_at_root => false\nredirect \"index.html\", :to => \"./zh/index.html\"\n  redirect('old/', to: '/new.html') # moved\n# redirect 'x.html', to: 'y.html'\nredirect \"a.html\",\n  to: \"b.html\"\nredirect some_path, to: 'x'\n",
            "config.rb",
            &mut w,
        );
        assert_eq!(c.mount_at_root, Some(mount(None, "config.rb:1")));
        let r: Vec<(&str, &str, String)> = c
            .redirects
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.place.to_string()))
            .collect();
        assert_eq!(
            r,
            [
                ("index.html", "./zh/index.html", "config.rb:2".into()),
                ("old/index.html", "/new.html", "config.rb:3".into()),
                ("a.html", "b.html", "config.rb:5".into()),
            ]
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].to_string()
                .starts_with("config.rb:7: a `redirect` shale cannot read"),
            "{w:?}"
        );
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
        assert!(c.i18n);
        assert_eq!(c.mount_at_root, None);
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
