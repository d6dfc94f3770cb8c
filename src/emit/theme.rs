//! The default theme (layout template and assets) embedded in the binary, and the
//! project's own `templates/` and `assets/` folders that override it file by file
//! (except `stylesheets/variables.css`, which is added to the built-in one and written
//! into each page).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::emit::layout::Layout;
use crate::error::{Diagnostic, Located};
use crate::highlight;
use crate::load::frontmatter::PageTheme;
use crate::output::Content;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The name of the page layout template.
pub const LAYOUT: &str = "layout.html";

/// The theme's CSS custom properties (see `Finder::variables`).
pub const VARIABLES: &str = "stylesheets/variables.css";

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    Builtin(&'static [u8]),
    Project(PathBuf),
}

impl Origin {
    /// The file's text (read from the project's file when it is one).
    pub fn text(&self) -> anyhow::Result<String> {
        Ok(match self {
            Origin::Builtin(b) => String::from_utf8_lossy(b).into_owned(),
            Origin::Project(p) => String::from_utf8_lossy(
                &std::fs::read(p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?,
            )
            .into_owned(),
        })
    }
}

/// The theme of a project, loaded: the compiled layout, the CSS custom properties
/// pages carry inline, the names of the variables the theme's stylesheets declare
/// (what `theme:` in front matter is checked against), and the asset files to write.
pub struct Theme {
    pub layout: Layout,
    /// The theme's variables as a `<style>` element's text ([`inline_css`]).
    pub variables_css: String,
    /// Every custom property `variables.css` and `screen.css` declare.
    pub variables: BTreeSet<String>,
    /// The files of the theme: (path in the site, where the bytes come from, how
    /// messages name it), `stylesheets/highlight.css` generated unless the project
    /// has its own.
    pub files: Vec<(String, Content, String)>,
}

impl Theme {
    /// Loads the theme of the project folder `project`: the layout compiled, the
    /// variables read and checked, the assets listed.
    pub fn load(project: &Path) -> anyhow::Result<Theme> {
        let finder = Finder {
            project: project.to_path_buf(),
        };
        let (text, origin) = finder.layout()?;
        let layout = Layout::new(&text, &origin)?;
        let css = finder.variables()?;
        let mut variables: BTreeSet<String> =
            declared_variables(&css).map(str::to_string).collect();
        let mut files = Vec::new();
        for (rel, origin) in finder.assets() {
            if rel == "stylesheets/screen.css" {
                variables.extend(declared_variables(&origin.text()?).map(str::to_string));
            }
            files.push(match origin {
                Origin::Builtin(bytes) => {
                    let label = format!("built-in {rel}");
                    (rel, Content::Static(bytes), label)
                }
                Origin::Project(path) => (rel, Content::File(path.clone()), shown(&path)),
            });
        }
        if !finder.has_own_asset("stylesheets/highlight.css") {
            files.push((
                "stylesheets/highlight.css".into(),
                Content::Bytes(highlight::theme_css().into_bytes()),
                "the generated stylesheets/highlight.css".into(),
            ));
        }
        Ok(Theme {
            layout,
            variables_css: inline_css(&css),
            variables,
            files,
        })
    }
}

impl Theme {
    /// Warnings for the names of the front matter's `theme:` that no stylesheet of the
    /// theme declares (a typo, or a variable of another theme): they would change nothing.
    pub fn unknown_variables(&self, page: &PageTheme, label: &str) -> Vec<Diagnostic> {
        let known = &self.variables;
        page.vars
        .iter()
        .chain(&page.dark)
        .filter(|v| !known.contains(&v.name))
        .map(|v| {
            let near = known
                .iter()
                .map(|k| (edit_distance(k, &v.name), k))
                .min()
                .filter(|(d, _)| *d <= 3)
                .map(|(_, k)| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            Diagnostic::new(
                label,
                v.line,
                format!(
                    "theme: `{}` is not a variable of the theme, so it changes nothing{near} (shale's docs/theming.md lists the variables)",
                    v.name
                ),
            )
        })
        .collect()
    }
}

/// Levenshtein distance (for suggestions; names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Finds the theme's files: built-in ones unless the project has its own.
#[derive(Debug, Clone)]
struct Finder {
    /// The project folder (where `templates/` and `assets/` are looked for).
    project: PathBuf,
}

impl Finder {
    /// The layout template's text and where it came from (for messages).
    fn layout(&self) -> anyhow::Result<(String, String)> {
        let own = self.project.join("templates").join(LAYOUT);
        if own.is_file() {
            let text = std::fs::read_to_string(&own)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", own.display()))?;
            return Ok((text, shown(&own)));
        }
        let f = TEMPLATES
            .get_file(LAYOUT)
            .expect("the built-in layout is embedded");
        Ok((
            String::from_utf8_lossy(f.contents()).into_owned(),
            format!("built-in {LAYOUT}"),
        ))
    }

    /// The theme's CSS custom properties: the built-in `stylesheets/variables.css`, then
    /// the project's own `assets/stylesheets/variables.css` when it has one (so that it
    /// need only hold the variables it changes). Pages carry them in a `<style>` element
    /// (see [`inline_css`]), not as a file: one request less before the first paint.
    fn variables(&self) -> anyhow::Result<String> {
        let builtin = ASSETS
            .get_file(VARIABLES)
            .expect("the built-in variables.css is embedded");
        let mut css = String::from_utf8_lossy(builtin.contents()).into_owned();
        let own = self.project.join("assets").join(VARIABLES);
        if own.is_file() {
            let mine = std::fs::read_to_string(&own)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", own.display()))?;
            if let Some(at) = mine.to_ascii_lowercase().find("</style") {
                let line = mine[..at].matches('\n').count() + 1;
                return Err(Located::new(
                    shown(&own),
                    line,
                    "`</style` would end the <style> element the variables are written in",
                )
                .hint("remove it")
                .into());
            }
            css.push_str("\n/* The project's own assets/stylesheets/variables.css */\n");
            css.push_str(&mine);
        }
        Ok(css)
    }

    /// Every asset file, as (relative path, origin): built-in ones first replaced by the
    /// project's files of the same path, then the project's extra files. Not
    /// `stylesheets/variables.css`, which pages carry inline (see `Finder::variables`).
    fn assets(&self) -> Vec<(String, Origin)> {
        let mut out: Vec<(String, Origin)> = Vec::new();
        let own_root = self.project.join("assets");
        collect_builtin(&ASSETS, &mut out);
        out.retain(|(rel, _)| rel != VARIABLES);
        for (rel, origin) in out.iter_mut() {
            let own = own_root.join(&*rel);
            let Origin::Builtin(builtin) = *origin else {
                continue;
            };
            // A copy of the built-in file is the built-in file (this repository's own
            // `assets/` beside `source/`, a project that copied them to read).
            if own.is_file() && !same_bytes(&own, builtin) {
                *origin = Origin::Project(own);
            } else if rel == SCRIPT {
                *origin = Origin::Builtin(compact_script(builtin));
            }
        }
        if own_root.is_dir() {
            for e in walkdir::WalkDir::new(&own_root)
                .follow_links(false)
                .into_iter()
                .flatten()
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let rel = e.path().strip_prefix(&own_root).unwrap_or(e.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel != VARIABLES && !out.iter().any(|(r, _)| *r == rel) {
                    out.push((rel, Origin::Project(e.path().to_path_buf())));
                }
            }
        }
        out
    }

    /// Whether the project overrides the asset at `rel`.
    fn has_own_asset(&self, rel: &str) -> bool {
        self.project.join("assets").join(rel).is_file()
    }
}

/// A project file named as the user would: relative to the current folder when under it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .ok()
        .and_then(|d| path.strip_prefix(d).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// `css` made small for a `<style>` element: no comments and no `@charset` rule
/// (neither means anything there), runs of white space as one space, none around
/// `{`, `}`, `;`, `,` and `>` nor after `:`. Strings are kept as they are.
pub fn inline_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len() / 2);
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    let mut space = false;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            c => {
                // (a space before `:` can matter: `a :hover` is not `a:hover`)
                let tight = |x: char| matches!(x, '{' | '}' | ';' | ',' | '>');
                if space && !out.is_empty() && !tight(c) && !out.ends_with(|x| tight(x) || x == ':')
                {
                    out.push(' ');
                }
                space = false;
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                // `a;}` is `a}`
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
        }
    }
    out.replace("@charset \"utf-8\";", "")
        .replace("@charset \"UTF-8\";", "")
}

/// The custom properties that `css` declares (`--nav-width: …` gives `nav-width`).
pub fn declared_variables(css: &str) -> impl Iterator<Item = &str> {
    css.match_indices("--").filter_map(move |(i, _)| {
        let rest = &css[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let before = css[..i].chars().next_back();
        let starts_declaration = matches!(before, None | Some('{' | ';' | ' ' | '\n' | '\t'));
        (end > 0 && starts_declaration && rest[end..].trim_start().starts_with(':'))
            .then(|| &rest[..end])
    })
}

/// The built-in script, shipped compacted (see [`compact_js`]).
const SCRIPT: &str = "javascripts/shale.js";

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == bytes)
}

/// The built-in script without its comments and indentation, made once.
fn compact_script(source: &'static [u8]) -> &'static [u8] {
    static COMPACT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    COMPACT.get_or_init(|| compact_js(&String::from_utf8_lossy(source)).into_bytes())
}

/// JavaScript without the lines that are only a comment (`// …`, `/* … */`, a block
/// comment over several lines) and without each line's indentation: what the browser
/// downloads and parses, not what a reader of `assets/javascripts/shale.js` reads. The
/// first line, the header naming the script, stays (also in `--single-file` pages).
/// Safe for a script with no template literal or string spanning lines and no `/*`
/// opening a line inside one (the built-in script; tested); a project's own script is
/// copied as it is.
fn compact_js(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    let mut lines = js.lines().peekable();
    let one_line_comment = |l: &str| {
        let l = l.trim();
        l.starts_with("//")
            || (l.starts_with("/*") && l.ends_with("*/") && l.matches("*/").count() == 1)
    };
    if let Some(header) = lines.next_if(|l| one_line_comment(l)) {
        out.push_str(header.trim());
        out.push('\n');
    }
    for line in lines {
        let t = line.trim_start();
        if in_block {
            in_block = !t.contains("*/");
            if !in_block && !t.trim_end().ends_with("*/") {
                out.push_str(&t[t.find("*/").unwrap() + 2..]);
                out.push('\n');
            }
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if t.starts_with("/*") {
            match t.find("*/") {
                None => in_block = true,
                Some(end) if t[end + 2..].trim().is_empty() => {}
                Some(_) => {
                    out.push_str(t);
                    out.push('\n');
                }
            }
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

fn collect_builtin(dir: &'static Dir<'static>, out: &mut Vec<(String, Origin)>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        out.push((rel, Origin::Builtin(f.contents())));
    }
    for d in dir.dirs() {
        collect_builtin(d, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_variables_include_slates_names() {
        let f = ASSETS
            .get_file(VARIABLES)
            .expect("variables.css is embedded");
        let css = std::str::from_utf8(f.contents()).unwrap();
        let names: Vec<&str> = declared_variables(css).collect();
        for n in [
            "nav-width",
            "examples-width",
            "main-bg",
            "nav-bg",
            "code-bg",
            "font-code",
            "aside-warning-bg",
        ] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        // references are not declarations
        assert!(declared_variables("a { color: var(--x); --y: 1px }").eq(["y"]));
    }

    #[test]
    fn a_projects_variables_are_added_to_the_builtin_ones_other_assets_replaced() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("assets/stylesheets")).unwrap();
        let own = d.path().join("assets/stylesheets/variables.css");
        std::fs::write(&own, "@charset \"utf-8\";\n:root { --nav-width: 300px; }\n").unwrap();
        std::fs::write(d.path().join("assets/stylesheets/print.css"), "mine").unwrap();
        let theme = Finder {
            project: d.path().to_path_buf(),
        };
        let vars = theme.variables().unwrap();
        let builtin = vars
            .find("--nav-width: 230px")
            .expect("built-in value kept");
        let mine = vars
            .find("--nav-width: 300px")
            .expect("project value added");
        assert!(builtin < mine, "the project's file comes last, so it wins");
        let assets = theme.assets();
        let text = |rel: &str| {
            assets
                .iter()
                .find(|(r, _)| r == rel)
                .map(|(_, o)| o.text().unwrap())
        };
        assert_eq!(text("stylesheets/print.css").as_deref(), Some("mine"));
        assert_eq!(text(VARIABLES), None, "written into the pages, not copied");
        std::fs::write(&own, ":root {\n  --x: 1px;\n}\n</style><script>\n").unwrap();
        let e = theme.variables().unwrap_err().to_string();
        assert!(e.ends_with("variables.css:4: `</style` would end the <style> element the variables are written in; remove it"), "{e}");
    }

    #[test]
    fn inline_css_drops_comments_and_space_but_not_strings() {
        assert_eq!(
            inline_css("@charset \"utf-8\";\n/* a */\n:root {\n  --a: 1px; /* b */\n  --font: \"A  /* x */ B\", serif;\n  --i: url('data:x,%3C a');\n}\n:root[data-theme=\"dark\"] { --a: calc(1px + 2px); }\n"),
            ":root{--a:1px;--font:\"A  /* x */ B\",serif;--i:url('data:x,%3C a')}:root[data-theme=\"dark\"]{--a:calc(1px + 2px)}"
        );
        let builtin = std::str::from_utf8(ASSETS.get_file(VARIABLES).unwrap().contents()).unwrap();
        let small = inline_css(builtin);
        assert!(
            small.len() < builtin.len() * 3 / 4,
            "{} of {}",
            small.len(),
            builtin.len()
        );
        let names = |css| {
            declared_variables(css)
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&small), names(builtin), "every declaration kept");
    }
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    #[test]
    fn comments_and_indentation_go_and_code_stays() {
        let js = "/* head\n   comment */\nfunction f() {\n  // note\n  let a = '//x'; /* kept */\n  return a;\n}\n  /* one */\n";
        assert_eq!(
            compact_js(js),
            "function f() {\nlet a = '//x'; /* kept */\nreturn a;\n}\n"
        );
    }

    #[test]
    fn the_built_in_script_has_no_line_a_compaction_would_break() {
        // Lines are only joined as they are: a template literal or string spanning lines
        // would lose its indentation; none may exist in the built-in script.
        let js = std::str::from_utf8(ASSETS.get_file(SCRIPT).unwrap().contents()).unwrap();
        for (n, line) in js.lines().enumerate() {
            assert!(
                line.matches('`').count() % 2 == 0,
                "shale.js:{}: a template literal spans lines",
                n + 1
            );
        }
        let compact = compact_js(js);
        assert!(
            compact.len() < js.len() * 9 / 10,
            "comments and indentation removed"
        );
        assert!(compact.contains("use strict") || compact.contains("function"));
    }
}
