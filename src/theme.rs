//! The default theme (layout template and assets) embedded in the binary, and the
//! project's own `templates/` and `assets/` folders that override it file by file
//! (except `stylesheets/variables.css`, which is added to the built-in one).

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The name of the page layout template.
pub const LAYOUT: &str = "layout.html";

/// The theme's CSS custom properties: a project's own file of that name is appended to
/// the built-in one, so that it need only hold the variables it changes.
pub const VARIABLES: &str = "stylesheets/variables.css";

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    Builtin(&'static [u8]),
    Project(PathBuf),
    /// Made from both (`stylesheets/variables.css`).
    Merged(Vec<u8>),
}

impl Origin {
    /// The file's text (read from the project's file when it is one).
    pub fn text(&self) -> anyhow::Result<String> {
        Ok(match self {
            Origin::Builtin(b) => String::from_utf8_lossy(b).into_owned(),
            Origin::Merged(b) => String::from_utf8_lossy(b).into_owned(),
            Origin::Project(p) => String::from_utf8_lossy(
                &std::fs::read(p).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?,
            )
            .into_owned(),
        })
    }
}

/// The theme of a project: built-in files unless the project has its own.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The project folder (where `templates/` and `assets/` are looked for).
    pub project: PathBuf,
}

impl Theme {
    pub fn new(project: &Path) -> Theme {
        Theme {
            project: project.to_path_buf(),
        }
    }

    /// The layout template's text and where it came from (for messages).
    pub fn layout(&self) -> anyhow::Result<(String, String)> {
        let own = self.project.join("templates").join(LAYOUT);
        if own.is_file() {
            let text = std::fs::read_to_string(&own)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", own.display()))?;
            // Named as the user would: relative to the current folder when under it.
            let shown = std::env::current_dir()
                .and_then(|d| d.canonicalize())
                .ok()
                .and_then(|d| own.strip_prefix(d).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| own.clone());
            return Ok((text, shown.display().to_string()));
        }
        let f = TEMPLATES
            .get_file(LAYOUT)
            .expect("the built-in layout is embedded");
        Ok((
            String::from_utf8_lossy(f.contents()).into_owned(),
            format!("built-in {LAYOUT}"),
        ))
    }

    /// Every asset file, as (relative path, origin): built-in ones first replaced by the
    /// project's files of the same path (the project's `stylesheets/variables.css` is
    /// appended to the built-in one instead), then the project's extra files.
    pub fn assets(&self) -> anyhow::Result<Vec<(String, Origin)>> {
        let mut out: Vec<(String, Origin)> = Vec::new();
        let own_root = self.project.join("assets");
        collect_builtin(&ASSETS, &mut out);
        for (rel, origin) in out.iter_mut() {
            let own = own_root.join(&*rel);
            if !own.is_file() {
                continue;
            }
            *origin = match (rel.as_str(), &*origin) {
                (VARIABLES, Origin::Builtin(builtin)) => {
                    let mine = std::fs::read(&own)
                        .map_err(|e| anyhow::anyhow!("reading {}: {e}", own.display()))?;
                    let mut merged = builtin.to_vec();
                    merged.extend_from_slice(
                        b"\n/* The project's own assets/stylesheets/variables.css, after the built-in variables. */\n",
                    );
                    merged.extend_from_slice(
                        mine.strip_prefix(b"@charset \"utf-8\";").unwrap_or(&mine),
                    );
                    Origin::Merged(merged)
                }
                _ => Origin::Project(own),
            };
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
                if !out.iter().any(|(r, _)| *r == rel) {
                    out.push((rel, Origin::Project(e.path().to_path_buf())));
                }
            }
        }
        Ok(out)
    }

    /// Whether the project overrides the asset at `rel`.
    pub fn has_own_asset(&self, rel: &str) -> bool {
        self.project.join("assets").join(rel).is_file()
    }
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

fn collect_builtin(dir: &'static Dir<'static>, out: &mut Vec<(String, Origin)>) {
    for f in dir.files() {
        out.push((
            f.path().to_string_lossy().replace('\\', "/"),
            Origin::Builtin(f.contents()),
        ));
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
        std::fs::write(
            d.path().join("assets/stylesheets/variables.css"),
            "@charset \"utf-8\";\n:root { --nav-width: 300px; }\n",
        )
        .unwrap();
        std::fs::write(d.path().join("assets/stylesheets/print.css"), "mine").unwrap();
        let assets = Theme::new(d.path()).assets().unwrap();
        let text = |rel: &str| {
            assets
                .iter()
                .find(|(r, _)| r == rel)
                .unwrap()
                .1
                .text()
                .unwrap()
        };
        let vars = text(VARIABLES);
        let builtin = vars
            .find("--nav-width: 230px")
            .expect("built-in value kept");
        let own = vars
            .find("--nav-width: 300px")
            .expect("project value added");
        assert!(builtin < own, "the project's file comes last, so it wins");
        assert_eq!(
            vars.matches("@charset").count(),
            1,
            "one @charset, at the top"
        );
        assert_eq!(text("stylesheets/print.css"), "mine");
    }
}
