//! Reading a page and its includes into pieces: one per markdown file (ERB pages
//! split at their partials), with the file line of each line, for messages.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::{Diagnostic, Located};
use crate::load::erb;
use crate::load::frontmatter::{self, FrontMatter};
use crate::load::i18n::Strings;
use crate::load::source::{self, Source, SourceFile};
use crate::openapi;
use crate::page::check;
use crate::util::url::Resolver;

/// One markdown file of a page: the page body or an include (or a part of the page
/// body between partials, or a partial).
#[derive(Debug, Clone)]
pub struct Piece {
    /// Path shown in messages (relative to the project).
    pub label: String,
    /// The markdown, front matter removed.
    pub text: String,
    /// Line of the file where `text` starts.
    pub first_line: usize,
    /// The file line of each line of `text` when ERB or `t(:key)` changed the lines;
    /// empty when they follow from `first_line`.
    pub lines: Vec<usize>,
}

impl Piece {
    pub fn plain(label: String, text: String, first_line: usize) -> Piece {
        Piece {
            label,
            text,
            first_line,
            lines: Vec::new(),
        }
    }

    /// The file line of line `line` (1-based) of the text.
    pub fn line(&self, line: usize) -> usize {
        check::file_line(self.first_line, &self.lines, line)
    }
}

/// What a page needs of the site besides its own files: its language, and the
/// translations of `locales/` for `t(:key)`.
#[derive(Clone, Copy)]
pub struct PageEnv<'a> {
    /// The page's language on a multi-language site (`pt` for
    /// `localizable/index.pt.html.md`): an include `data` is then `_data.pt.md` when
    /// there is one, else `_data.md`.
    pub lang: Option<&'a str>,
    pub strings: &'a Strings,
}

/// A page read: its front matter, the pieces of its body and includes, warnings
/// about them (`t(:key)`, ERB), and every file read (for `shale serve`, which
/// re-renders a page when one of them changes).
pub struct ReadPage {
    pub front: FrontMatter,
    pub pieces: Vec<Piece>,
    pub warnings: Vec<Diagnostic>,
    /// The page file, its includes and partials, as read.
    pub inputs: Vec<PathBuf>,
}

/// Partials within partials, at most (a partial that includes itself stops here).
const MAX_PARTIAL_DEPTH: usize = 16;

/// Reads the page `page` of `src`: its front matter (values translated), its body and
/// its includes, each a piece (an ERB page expanded, its partials pieces of their own).
pub fn read(
    src: &Source,
    page: &SourceFile,
    site: PageEnv<'_>,
    resolver: &dyn Resolver,
) -> Result<ReadPage> {
    let label = src.label(&page.rel);
    let text = source::read_text(&page.abs, &label)?;
    let split = frontmatter::split(&text);
    let data = match (page.erb, split.yaml) {
        (true, Some(yaml)) => frontmatter::data(yaml),
        _ => serde_json::Map::new(),
    };
    let env = erb::Env {
        src,
        page_rel: &page.rel,
        lang: site.lang,
        strings: site.strings,
        resolver,
        data: &data,
    };
    let mut reader = Reader {
        env: &env,
        pieces: Vec::new(),
        warnings: Vec::new(),
        inputs: vec![page.abs.clone()],
    };
    let mut front = match split.yaml {
        Some(yaml) => frontmatter::parse_translated(yaml, split.yaml_line, &mut |value, line| {
            erb::translate_value(value, &env, &label, line, &mut reader.warnings)
        })
        .map_err(|e| e.located(&label))?,
        None => FrontMatter::default(),
    };
    let body = erb::File {
        label: &label,
        text: split.body,
        first_line: split.body_line,
    };
    let spec = openapi::page::read(src, &page.abs, &label, &mut front)?;
    reader.file(body, page.erb, 0)?;
    drop(text);
    if let Some(spec) = spec {
        for (label, text, first_line) in spec.parts {
            reader.pieces.push(Piece::plain(label, text, first_line));
        }
        reader.inputs.extend(spec.files_read);
    }
    for name in &front.includes {
        let path = src
            .find_include(&page.rel, name, site.lang)
            .map_err(|e| Located::new(&label, 0, format!("front matter `includes`: {e:#}")))?;
        reader.partial(&path, 0)?;
    }
    Ok(ReadPage {
        front,
        pieces: reader.pieces,
        warnings: reader.warnings,
        inputs: reader.inputs,
    })
}

/// Reads the files of one page into pieces.
struct Reader<'a, 'e> {
    env: &'a erb::Env<'e>,
    pieces: Vec<Piece>,
    warnings: Vec<Diagnostic>,
    inputs: Vec<PathBuf>,
}

impl Reader<'_, '_> {
    /// Adds the markdown of a file: an ERB file expanded (its partials each a piece of
    /// their own, as Middleman renders a partial separately), another with its
    /// `<%= t(:key) %>` translated.
    fn file(&mut self, file: erb::File<'_>, is_erb: bool, depth: usize) -> Result<()> {
        if !is_erb {
            let piece = match erb::translate(file, self.env, &mut self.warnings) {
                Some(t) => Piece {
                    label: file.label.to_string(),
                    text: t.text,
                    first_line: file.first_line,
                    lines: t.lines,
                },
                None => Piece::plain(
                    file.label.to_string(),
                    file.text.to_string(),
                    file.first_line,
                ),
            };
            self.pieces.push(piece);
            return Ok(());
        }
        for segment in erb::expand(file, self.env, &mut self.warnings)? {
            match segment {
                erb::Segment::Text(t) => self.pieces.push(Piece {
                    label: file.label.to_string(),
                    first_line: t.lines.first().copied().unwrap_or(file.first_line),
                    text: t.text,
                    lines: t.lines,
                }),
                erb::Segment::Partial { name, line } => {
                    if depth >= MAX_PARTIAL_DEPTH {
                        return Err(Located::new(
                            file.label,
                            line,
                            format!("partial `{name}`: partials nest more than {MAX_PARTIAL_DEPTH} deep; does a partial include itself?"),
                        )
                        .into());
                    }
                    let path = self
                        .env
                        .src
                        .find_partial(self.env.page_rel, &name, self.env.lang)
                        .map_err(|e| Located::new(file.label, line, format!("{e:#}")))?;
                    self.partial(&path, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    /// Adds an include or a partial: its front matter is not content (Slate would print
    /// it), and a `.md.erb` one is ERB first.
    fn partial(&mut self, path: &Path, depth: usize) -> Result<()> {
        let label = self.env.src.label_abs(path);
        let text = source::read_text(path, &label)?;
        self.inputs.push(path.to_path_buf());
        let s = frontmatter::split(&text);
        let file = erb::File {
            label: &label,
            text: s.body,
            first_line: s.body_line,
        };
        let is_erb = path.extension().is_some_and(|e| e == "erb");
        self.file(file, is_erb, depth)
    }
}
