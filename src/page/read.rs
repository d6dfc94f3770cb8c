//! Reading a page and its includes into pieces: one per markdown file (ERB pages
//! split at their partials), with the file line of each line, for messages.

use std::path::Path;

use anyhow::{bail, Result};

use crate::load::erb;
use crate::load::frontmatter;
use crate::load::i18n::Strings;
use crate::load::source::{self, SourceFile};
use crate::page::check;
use crate::Diagnostic;

/// One markdown file of a page: the page body or an include (or a part of the page
/// body between partials, or a partial).
pub(crate) struct Piece {
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
    pub(crate) fn plain(label: String, text: String, first_line: usize) -> Piece {
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

/// Partials within partials, at most (a partial that includes itself stops here).
const MAX_PARTIAL_DEPTH: usize = 16;

/// Adds the markdown of a file: an ERB file expanded (its partials each a piece of
/// their own, as Middleman renders a partial separately), another with its
/// `<%= t(:key) %>` translated.
pub(crate) fn add_file(
    pieces: &mut Vec<Piece>,
    file: erb::File<'_>,
    is_erb: bool,
    env: &erb::Env<'_>,
    warnings: &mut Vec<Diagnostic>,
    depth: usize,
) -> Result<()> {
    if !is_erb {
        pieces.push(match erb::translate(file, env, warnings) {
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
        });
        return Ok(());
    }
    for segment in erb::expand(file, env, warnings)? {
        match segment {
            erb::Segment::Text(t) => pieces.push(Piece {
                label: file.label.to_string(),
                first_line: t.lines.first().copied().unwrap_or(file.first_line),
                text: t.text,
                lines: t.lines,
            }),
            erb::Segment::Partial { name, line } => {
                if depth >= MAX_PARTIAL_DEPTH {
                    bail!(
                        "{}:{line}: partial `{name}`: partials nest more than {MAX_PARTIAL_DEPTH} deep; does a partial include itself?",
                        file.label
                    );
                }
                let path = env
                    .src
                    .find_partial(env.page_rel, &name, env.lang)
                    .map_err(|e| anyhow::anyhow!("{}:{line}: {e}", file.label))?;
                add_partial(pieces, &path, env, warnings, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// Adds an include or a partial: its front matter is not content (Slate would print
/// it), and a `.md.erb` one is ERB first.
pub(crate) fn add_partial(
    pieces: &mut Vec<Piece>,
    path: &Path,
    env: &erb::Env<'_>,
    warnings: &mut Vec<Diagnostic>,
    depth: usize,
) -> Result<()> {
    let label = env.src.label_abs(path);
    let text = source::read_text(path, &label)?;
    let s = frontmatter::split(&text);
    let file = erb::File {
        label: &label,
        text: s.body,
        first_line: s.body_line,
    };
    let is_erb = path.extension().is_some_and(|e| e == "erb");
    add_file(pieces, file, is_erb, env, warnings, depth)
}

/// The text of the page file (UTF-8).
pub(crate) fn read_page(page: &SourceFile, label: &str) -> Result<String> {
    source::read_text(&page.abs, label)
}
