//! The source folder: which files are pages, which are includes, which are copied as
//! they are, and how Slate finds an include by name.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use walkdir::WalkDir;

use crate::error::{Diagnostic, Located};

/// Markdown extensions Middleman renders.
pub const MARKDOWN_EXTS: &[&str] = &["md", "markdown", "mkd", "mkdn", "mdown"];

/// A file of the source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the source folder, with `/` separators.
    pub rel: String,
    pub abs: PathBuf,
    /// A `.html.md.erb` page.
    pub erb: bool,
}

/// Why `root` (not found) is missing, and what to do (said by `build` and `serve`).
pub fn missing_source(root: &Path, display: &str) -> String {
    let parent = root.parent().unwrap_or(Path::new(""));
    let here = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    if here.join("index.html.md").is_file() {
        return format!(
            "source folder `{display}` not found, but `{}` holds index.html.md: it looks like the source folder itself. Run shale from the folder above it (`cd ..`), or pass --source {}",
            here.display(),
            here.display()
        );
    }
    format!(
        "source folder `{display}` not found: run shale in the folder that holds `source/`, or pass --source DIR. To start a new project here, run `shale new .`"
    )
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Source {
    pub root: PathBuf,
    /// How the source folder is named in messages (as given on the command line).
    pub display: String,
    pub pages: Vec<SourceFile>,
    /// Files copied to the output as they are.
    pub statics: Vec<SourceFile>,
    /// Every file's relative path (for link and image checks).
    pub all: HashSet<String>,
    /// Symbolic links skipped: to nothing, or to outside the folder.
    pub warnings: Vec<Diagnostic>,
}

impl Source {
    /// Why there is no page, and what to do: an `index.md` at the top of the folder
    /// (old Slate naming, or another Markdown extension) is named with the rename to
    /// make (`index.html.md`).
    pub fn no_pages_message(&self) -> String {
        let d = &self.display;
        let mut misnamed: Vec<String> = std::fs::read_dir(&self.root)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("index.") && is_markdown(&n.to_ascii_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        misnamed.sort();
        let Some(first) = misnamed.first() else {
            return format!(
                "no pages found; a Slate page is a `*.html.md` file such as {d}/index.html.md"
            );
        };
        let (plain, erb) = match first.strip_suffix(".erb") {
            Some(p) => (p, ".erb"),
            None => (first.as_str(), ""),
        };
        let stem = plain.rsplit_once('.').map_or(plain, |(s, _)| s);
        let ext = &plain[stem.len()..];
        format!(
            "no pages found: `{d}/{first}` is not a page, because a Slate page's name ends in `.html.md`. Rename it: `mv {d}/{first} {d}/{stem}.html{ext}{erb}`"
        )
    }

    /// Walks `root`. Symlinks are followed only when they stay inside the folder.
    pub fn scan(root: &Path, display: &str) -> Result<Source> {
        let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow!("{}", missing_source(root, display)),
            _ => anyhow!("source folder `{display}`: {e}"),
        })?;
        if !meta.is_dir() {
            bail!("source `{display}` is a file, not a folder: pass the folder that holds the pages (`--source source`, with `source/index.html.md` in it)");
        }
        let root = root
            .canonicalize()
            .with_context(|| format!("reading {display}"))?;
        let mut src = Source {
            root: root.clone(),
            display: display.trim_end_matches('/').to_string(),
            ..Default::default()
        };
        let mut walker = WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    src.walk_error(e, &root)?;
                    continue;
                }
            };
            let abs = entry.path().to_path_buf();
            if entry.depth() > 0
                && (entry.path_is_symlink() || is_under_symlink(&root, &abs))
                && !abs.canonicalize().is_ok_and(|real| real.starts_with(&root))
            {
                // Never read: shale only reads inside the source folder.
                if entry.path_is_symlink() {
                    src.warnings.push(Diagnostic::new(
                        &src.label_abs(&abs),
                        0,
                        "a symbolic link to outside the source folder; skipped (shale only reads files inside it)",
                    ));
                }
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = rel_string(entry.path().strip_prefix(&root).unwrap_or(entry.path()));
            src.all.insert(rel.clone());
            match classify(&rel) {
                Kind::Page { erb } => src.pages.push(SourceFile { rel, abs, erb }),
                Kind::Static => src.statics.push(SourceFile {
                    rel,
                    abs,
                    erb: false,
                }),
                Kind::Skip => {}
            }
        }
        Ok(src)
    }

    /// An entry the walk could not read: a symbolic link loop (each file is reached
    /// once anyway) or a dangling link is skipped (the latter warned about); anything
    /// else is an error.
    fn walk_error(&mut self, e: walkdir::Error, root: &Path) -> Result<()> {
        if e.loop_ancestor().is_some() {
            return Ok(()); // a symlink loop: each file is reached once anyway
        }
        let path = e.path().unwrap_or(root).to_path_buf();
        let shown = self.label_abs(&path);
        let dangling = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && e.io_error()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
        if dangling {
            self.warnings.push(Diagnostic::new(
                &shown,
                0,
                "a symbolic link to a file that does not exist; skipped",
            ));
            return Ok(());
        }
        Err(match e.io_error() {
            Some(io) => Located::new(shown, 0, io.to_string())
                .hint("check that shale may read it")
                .into(),
            None => anyhow!("reading {}: {e}", self.display),
        })
    }

    /// `source/x` as shown in messages.
    pub fn label(&self, rel: &str) -> String {
        format!("{}/{}", self.display, rel)
    }

    /// A message label for an absolute path inside the source folder.
    pub fn label_abs(&self, abs: &Path) -> String {
        match abs.strip_prefix(&self.root) {
            Ok(r) => self.label(&rel_string(r)),
            Err(_) => abs.display().to_string(),
        }
    }

    /// Slate's (Middleman's) lookup of `includes: [name]` for the page at `page_rel`:
    /// `includes/_NAME.md` (and the other markdown extensions), then `includes/NAME.md`,
    /// first beside the page, then at the source root. `name` may contain `/`.
    ///
    /// On a page in language `lang` (a multi-language site), Middleman's localized
    /// partials come first: `NAME.LANG` (`_data.pt.md`) is looked up the same way
    /// before `NAME`.
    pub fn find_include(&self, page_rel: &str, name: &str, lang: Option<&str>) -> Result<PathBuf> {
        let name = name.trim();
        if name.is_empty() {
            bail!("an include name is empty; remove the empty item");
        }
        check_partial_name(
            name,
            "include",
            "include names are paths under `includes/` such as `errors` or `v2/users`",
        )?;
        match self.locate(page_rel, &format!("includes/{name}"), lang) {
            Ok(found) => self.inside(&found, name),
            Err(tried) => bail!(
                "include `{name}` not found; tried {}. Create one of these files or remove `{name}` from `includes`",
                tried.join(", ")
            ),
        }
    }

    /// Middleman's lookup of `partial "includes/NAME"` in an ERB page: as an include
    /// (`includes/_NAME.md` beside the page, then from the source root; localized
    /// first), the path being from the page's folder (`/includes/x`: from the root).
    pub fn find_partial(&self, page_rel: &str, name: &str, lang: Option<&str>) -> Result<PathBuf> {
        let name = name.trim();
        let (rooted, path) = match name.strip_prefix('/') {
            Some(p) => (true, p),
            None => (false, name),
        };
        check_partial_name(
            path,
            "partial",
            "partials are paths in the source folder such as `includes/errors`",
        )?;
        let from = if rooted { "" } else { page_rel };
        match self.locate(from, path, lang) {
            Ok(found) => self.inside(&found, name),
            Err(tried) => bail!(
                "partial `{name}` not found; tried {}. Create one of these files, or fix the name",
                tried.join(", ")
            ),
        }
    }

    /// The markdown file for `path` (`includes/errors`), looked up from the folder of
    /// `page_rel`, then from the root, `PATH.LANG` first; else the `.md` paths tried.
    fn locate(
        &self,
        page_rel: &str,
        path: &str,
        lang: Option<&str>,
    ) -> std::result::Result<PathBuf, Vec<String>> {
        let page_dir = Path::new(page_rel)
            .parent()
            .filter(|p| !p.as_os_str().is_empty());
        let mut roots = Vec::new();
        if let Some(pd) = page_dir {
            roots.push(pd.to_path_buf());
        }
        roots.push(PathBuf::new());
        let mut names = Vec::with_capacity(2);
        if let Some(lang) = lang {
            // `data` → `data.pt`; `data.md` → `data.pt.md`.
            names.push(
                match MARKDOWN_EXTS
                    .iter()
                    .find_map(|e| path.strip_suffix(&format!(".{e}")).map(|s| (s, e)))
                {
                    Some((stem, ext)) => format!("{stem}.{lang}.{ext}"),
                    None => format!("{path}.{lang}"),
                },
            );
        }
        names.push(path.to_string());
        let mut tried = Vec::new();
        for candidate in &names {
            let (dir, base) = match candidate.rsplit_once('/') {
                Some((d, b)) => (Some(d), b),
                None => (None, candidate.as_str()),
            };
            for r in &roots {
                let folder = match dir {
                    Some(d) => r.join(d),
                    None => r.clone(),
                };
                for stem in [format!("_{base}"), base.to_string()] {
                    for ext in MARKDOWN_EXTS {
                        let rel = folder.join(format!("{stem}.{ext}"));
                        let abs = self.root.join(&rel);
                        tried.push(self.label(&rel_string(&rel)));
                        if abs.is_file() {
                            return Ok(abs);
                        }
                        // Markdown run through ERB first (`_errors.md.erb`).
                        let abs = self.root.join(folder.join(format!("{stem}.{ext}.erb")));
                        if abs.is_file() {
                            return Ok(abs);
                        }
                    }
                    // The name may already carry its extension (`_errors.md`).
                    let rel = folder.join(&stem);
                    let abs = self.root.join(&rel);
                    if abs.is_file() && is_markdown(&stem) {
                        return Ok(abs);
                    }
                }
            }
        }
        Err(tried.into_iter().filter(|t| t.ends_with(".md")).collect())
    }

    fn inside(&self, abs: &Path, name: &str) -> Result<PathBuf> {
        let real = abs
            .canonicalize()
            .with_context(|| format!("reading include `{name}`"))?;
        if !real.starts_with(&self.root) {
            bail!("include `{name}` is a link to a file outside the source folder; shale only reads files inside it");
        }
        Ok(real)
    }
}

/// A partial or include name must stay in the source folder.
fn check_partial_name(name: &str, what: &str, hint: &str) -> Result<()> {
    if name.is_empty() {
        bail!("a {what} name is empty");
    }
    if Path::new(name).is_absolute()
        || Path::new(name)
            .components()
            .any(|c| matches!(c, Component::ParentDir))
    {
        bail!("{what} `{name}` leads outside the source folder; {hint}");
    }
    Ok(())
}

fn is_under_symlink(root: &Path, abs: &Path) -> bool {
    let mut p = abs.parent();
    while let Some(d) = p {
        if d == root {
            return false;
        }
        if d.symlink_metadata()
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false)
        {
            return true;
        }
        p = d.parent();
    }
    false
}

fn is_markdown(name: &str) -> bool {
    let n = name.strip_suffix(".erb").unwrap_or(name);
    Path::new(n)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTS.contains(&e))
}

fn rel_string(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Page { erb: bool },
    Static,
    Skip,
}

/// What Slate does with the file at `rel`.
fn classify(rel: &str) -> Kind {
    let segments: Vec<&str> = rel.split('/').collect();
    let file = segments.last().copied().unwrap_or("");
    // Partials (any `_` segment), Slate's own layouts, dotfiles.
    if segments
        .iter()
        .any(|s| s.starts_with('_') || s.starts_with('.'))
        || segments[0] == "layouts"
    {
        return Kind::Skip;
    }
    for ext in MARKDOWN_EXTS {
        if file.ends_with(&format!(".html.{ext}")) {
            return Kind::Page { erb: false };
        }
        if file.ends_with(&format!(".html.{ext}.erb")) {
            return Kind::Page { erb: true };
        }
    }
    let lower = file.to_ascii_lowercase();
    // Sass sources, ERB templates and other markdown are Middleman's inputs, not outputs.
    if lower.ends_with(".scss")
        || lower.ends_with(".sass")
        || lower.ends_with(".erb")
        || is_markdown(&lower)
    {
        return Kind::Skip;
    }
    // Slate's Sprockets manifests.
    if segments[0] == "javascripts" && (file == "all.js" || file == "all_nosearch.js") {
        return Kind::Skip;
    }
    Kind::Static
}

/// Reads a text file: UTF-8 required (the error names the byte offset), BOM dropped,
/// CRLF and CR line endings turned into LF.
pub fn read_text(path: &Path, label: &str) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {label}"))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Located::new(label, line, format!("not valid UTF-8 (byte offset {at})"))
            .hint("save the file as UTF-8")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if text.contains('\0') {
        return Err(Located::new(
            label,
            0,
            "contains NUL bytes; it looks like a binary file, not markdown",
        )
        .into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_middleman() {
        assert_eq!(classify("index.html.md"), Kind::Page { erb: false });
        assert_eq!(classify("v2/api.html.md"), Kind::Page { erb: false });
        assert_eq!(classify("index.html.md.erb"), Kind::Page { erb: true });
        assert_eq!(classify("includes/_errors.md"), Kind::Skip);
        assert_eq!(classify("_drafts/x.html.md"), Kind::Skip);
        assert_eq!(classify("layouts/layout.erb"), Kind::Skip);
        assert_eq!(classify("stylesheets/screen.css.scss"), Kind::Skip);
        assert_eq!(classify("javascripts/all.js"), Kind::Skip);
        assert_eq!(classify("javascripts/app/_lang.js"), Kind::Skip);
        assert_eq!(classify("images/logo.png"), Kind::Static);
        assert_eq!(classify("fonts/slate.woff"), Kind::Static);
        assert_eq!(classify("CNAME"), Kind::Static);
        assert_eq!(classify("README.md"), Kind::Skip);
    }

    #[test]
    fn finds_includes_in_slate_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "includes/_errors.md",
            "includes/endpoints/_users.md",
            "includes/plain.md",
            "v2/includes/_errors.md",
            "includes/_data.en.md",
            "v2/index.html.md",
            "index.html.md",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "x").unwrap();
        }
        let src = Source::scan(root, "source").unwrap();
        let root = src.root.clone();
        assert_eq!(
            src.find_include("index.html.md", "errors", None).unwrap(),
            root.join("includes/_errors.md")
        );
        assert_eq!(
            src.find_include("index.html.md", "endpoints/users", None)
                .unwrap(),
            root.join("includes/endpoints/_users.md")
        );
        assert_eq!(
            src.find_include("index.html.md", "plain", None).unwrap(),
            root.join("includes/plain.md")
        );
        assert_eq!(
            src.find_include("index.html.md", "data.en", None).unwrap(),
            root.join("includes/_data.en.md")
        );
        assert_eq!(
            src.find_include("v2/index.html.md", "errors", None)
                .unwrap(),
            root.join("v2/includes/_errors.md")
        );
        let e = src
            .find_include("index.html.md", "missing", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("include `missing` not found"), "{e}");
        assert!(e.contains("source/includes/_missing.md"), "{e}");
        let e = src
            .find_include("index.html.md", "../../etc/passwd", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the source folder"), "{e}");
        assert_eq!(src.pages.len(), 2);
    }

    #[test]
    fn finds_localized_includes_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "includes/_data.md",
            "includes/_data.pt.md",
            "includes/_notes.md",
            "localizable/includes/_local.md",
            "localizable/includes/_local.pt.md",
            "localizable/index.pt.html.md",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "x").unwrap();
        }
        let src = Source::scan(root, "source").unwrap();
        let root = src.root.clone();
        let page = "localizable/index.pt.html.md";
        let find = |name: &str, lang: Option<&str>| src.find_include(page, name, lang).unwrap();
        assert_eq!(find("data", Some("pt")), root.join("includes/_data.pt.md"));
        assert_eq!(find("data", Some("en")), root.join("includes/_data.md"));
        assert_eq!(find("data", None), root.join("includes/_data.md"));
        assert_eq!(
            find("data.md", Some("pt")),
            root.join("includes/_data.pt.md")
        );
        assert_eq!(find("notes", Some("pt")), root.join("includes/_notes.md"));
        // An explicit language keeps working in any page.
        assert_eq!(
            find("data.pt", Some("en")),
            root.join("includes/_data.pt.md")
        );
        // Beside the page (localizable/includes/) before the root, localized first.
        assert_eq!(
            find("local", Some("pt")),
            root.join("localizable/includes/_local.pt.md")
        );
        assert_eq!(
            find("local", Some("de")),
            root.join("localizable/includes/_local.md")
        );
        let e = src
            .find_include(page, "missing", Some("pt"))
            .unwrap_err()
            .to_string();
        let order = [
            "source/localizable/includes/_missing.pt.md",
            "source/includes/_missing.pt.md",
            "source/localizable/includes/_missing.md",
            "source/includes/_missing.md",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|p| e.find(p).unwrap_or_else(|| panic!("{p} not in {e}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{e}");
    }

    #[test]
    fn reads_bom_crlf_and_rejects_bad_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(read_text(&p, "a.md").unwrap(), "---\ntitle: x\n---\nbody");
        std::fs::write(&p, b"ok\nbad \xff here").unwrap();
        let e = read_text(&p, "a.md").unwrap_err().to_string();
        assert!(e.contains("a.md:2: not valid UTF-8 (byte offset 7)"), "{e}");
    }
}
