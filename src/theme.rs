//! The default theme (layout template and assets) embedded in the binary, and the
//! project's own `templates/` and `assets/` folders that override it file by file.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The name of the page layout template.
pub const LAYOUT: &str = "layout.html";

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    Builtin(&'static [u8]),
    Project(PathBuf),
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

    /// Every asset file, as (relative path, origin): built-in ones first replaced by the
    /// project's files of the same path, then the project's extra files.
    pub fn assets(&self) -> Vec<(String, Origin)> {
        let mut out: Vec<(String, Origin)> = Vec::new();
        let own_root = self.project.join("assets");
        collect_builtin(&ASSETS, &mut out);
        for (rel, origin) in out.iter_mut() {
            let own = own_root.join(&*rel);
            if own.is_file() {
                *origin = Origin::Project(own);
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
                if !out.iter().any(|(r, _)| *r == rel) {
                    out.push((rel, Origin::Project(e.path().to_path_buf())));
                }
            }
        }
        out
    }

    /// Whether the project overrides the asset at `rel`.
    pub fn has_own_asset(&self, rel: &str) -> bool {
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
