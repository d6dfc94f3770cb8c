//! A page whose front matter names a spec (`openapi: openapi.yaml`): the spec, found
//! beside the page and inside the source folder, read in memory into the markdown that
//! `shale import` would write. The page's own front matter wins over the spec's; its
//! own body comes first, then the generated introduction and sections, then its own
//! `includes`.

use std::path::{Component, Path, PathBuf};

use crate::error::Located;
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::source::Source;

/// The front matter key that names a spec.
pub const KEY: &str = "openapi";

/// The markdown a spec gives a page.
#[derive(Debug)]
pub struct SpecPage {
    /// The generated page's body (introduction, authentication) as (label, text, first
    /// line), then each generated include likewise: what `shale import` would write.
    pub parts: Vec<(String, String, usize)>,
    /// The spec and every file its `$ref`s name (for `shale serve` to watch).
    pub files_read: Vec<PathBuf>,
}

/// When `front` names a spec, reads it: `front` gets the spec's settings for the keys
/// the page does not set. `label` names the page (`source/index.html.md`), at `abs`.
pub fn read(
    src: &Source,
    abs: &Path,
    label: &str,
    front: &mut FrontMatter,
) -> Result<Option<SpecPage>, Located> {
    let Some(value) = front.extra.remove(KEY) else {
        return Ok(None);
    };
    let line = front.key_line(KEY).unwrap_or(0);
    let spec = spec_path(src, abs, &value, (label, line))?;
    let spec_label = src.label_abs(&spec);
    let marker = format!("{} from {}", super::MARKER, spec_label);
    let g =
        super::generate_named(&spec, &spec_label, &marker).map_err(|e| e.located((label, line)))?;
    let split = frontmatter::split(&g.page);
    let generated = match split.yaml {
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line)
            .map_err(|e| e.located(&format!("{spec_label} → index.html.md")))?,
        None => FrontMatter::default(),
    };
    merge(front, generated);
    let mut parts = vec![(
        format!("{spec_label} → index.html.md"),
        split.body.to_string(),
        split.body_line,
    )];
    for (name, text) in &g.includes {
        parts.push((
            format!("{spec_label} → includes/_{name}.md"),
            text.clone(),
            1,
        ));
    }
    // As the source folder names them (what `serve`'s watcher reports).
    let root = src.root.canonicalize().unwrap_or_else(|_| src.root.clone());
    let files_read = g
        .files_read
        .into_iter()
        .map(|f| match f.strip_prefix(&root) {
            Ok(rel) => src.root.join(rel),
            Err(_) => f,
        })
        .collect();
    Ok(Some(SpecPage { parts, files_read }))
}

/// The spec a page at `page` names: a relative path, without `..`, to a file inside
/// the source folder (after following symbolic links).
fn spec_path(
    src: &Source,
    page: &Path,
    value: &serde_json::Value,
    at: (&str, usize),
) -> Result<PathBuf, Located> {
    let err = |msg: String, hint: &str| Located::new(at.0, at.1, msg).hint(hint);
    let name = match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => s.trim(),
        _ => {
            return Err(err(
                format!("front matter `{KEY}`: {value} is not a file name"),
                "name the spec beside the page: `openapi: openapi.yaml`",
            ))
        }
    };
    let rel = Path::new(name);
    let outside = rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if outside {
        return Err(err(
            format!("front matter `{KEY}`: `{name}` is not a path inside the source folder"),
            "put the spec in the source folder and name it relative to the page (no `..`, no absolute path)",
        ));
    }
    let joined = page.parent().unwrap_or(&src.root).join(rel);
    let target = joined.canonicalize().map_err(|e| {
        err(
            format!("front matter `{KEY}`: cannot read `{name}`: {e}"),
            "the path is relative to the page",
        )
    })?;
    let root = src.root.canonicalize().unwrap_or_else(|_| src.root.clone());
    if !target.starts_with(&root) {
        return Err(err(
            format!(
                "front matter `{KEY}`: `{name}` leads out of the source folder (a symbolic link)"
            ),
            "copy the spec into the source folder",
        ));
    }
    if !target.is_file() {
        return Err(err(
            format!("front matter `{KEY}`: `{name}` is not a file"),
            "name the spec file (openapi.yaml, swagger.json, …)",
        ));
    }
    // Named as the source folder names it (`source/openapi.yaml`), not canonically.
    Ok(joined)
}

/// The spec's front matter under the page's: each key the page does not write comes
/// from the spec, except `includes` (the spec's are generated, not files).
fn merge(page: &mut FrontMatter, spec: FrontMatter) {
    let keys = page.key_lines.clone();
    let has = |k: &str| keys.iter().any(|(key, _)| key == k);
    if !has("title") {
        page.title = spec.title;
    }
    if !has("language_tabs") {
        page.language_tabs = spec.language_tabs;
    }
    if !has("toc_footers") {
        page.toc_footers = spec.toc_footers;
    }
    if !has("search") {
        page.search = spec.search;
    }
    if !has("code_clipboard") {
        page.code_clipboard = spec.code_clipboard;
    }
    if !has("meta") {
        page.meta = spec.meta;
    }
    for (k, v) in spec.extra {
        page.extra.entry(k).or_insert(v);
    }
}
