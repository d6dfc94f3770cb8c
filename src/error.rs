//! What shale tells the author about the sources, and where: a [`Location`] (file,
//! line, column), shared by errors ([`Located`]) and warnings ([`Diagnostic`]). The
//! terminal prints them as `file:line:column: message`; `shale serve`'s overlay shows
//! the file and line apart ([`location_of`]), without reading them back from the text.

use std::fmt;

/// A place in the sources: a file as messages name it (`source/index.html.md`), and a
/// line and column in it when known (1-based; 0 when the message is about the whole
/// file, or the line as a whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// Line `line` (0: the whole file) of `file`.
    pub fn new(file: impl Into<String>, line: usize) -> Location {
        Location {
            file: file.into(),
            line,
            column: 0,
        }
    }

    /// The same place, at column `column` of its line.
    pub fn column(mut self, column: usize) -> Location {
        self.column = column;
        self
    }
}

/// `file`, `file:line` or `file:line:column`.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// An error at a place in the sources: what is wrong there and, when there is one
/// thing to do about it, what (printed after the message: `…; save the file as UTF-8`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub at: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Located {
    /// An error at line `line` (0: the whole file) of `file`.
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> Located {
        Located {
            at: Location::new(file, line),
            message: message.into(),
            hint: None,
        }
    }

    /// The same error at column `column` of its line.
    pub fn column(mut self, column: usize) -> Located {
        self.at.column = column;
        self
    }

    /// The same error, saying what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Located {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Located {}

/// Where an error is in the sources, when it is [`Located`] (itself, or under the
/// context an outer step added).
pub fn location_of(e: &anyhow::Error) -> Option<&Located> {
    e.downcast_ref::<Located>()
        .or_else(|| e.chain().find_map(|c| c.downcast_ref::<Located>()))
}

/// A warning about a place in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub at: Location,
    pub message: String,
}

impl Diagnostic {
    /// A warning about line `line` (0: the whole file) of `file`.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            at: Location::new(file, line),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages quote the sources (link targets, names): control characters there
        // must not reach the terminal as such.
        let clean = |f: &mut fmt::Formatter<'_>, s: &str| -> fmt::Result {
            for c in s.chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    fmt::Write::write_char(f, c)?;
                }
            }
            Ok(())
        };
        clean(f, &self.at.to_string())?;
        f.write_str(": ")?;
        clean(f, &self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_escape_control_characters() {
        let d = Diagnostic::new("a.md", 3, "link `x\u{1b}[2Jy` is missing");
        assert_eq!(d.to_string(), "a.md:3: link `x\\u{1b}[2Jy` is missing");
        assert_eq!(Diagnostic::new("a\tb", 0, "m").to_string(), "a\\tb: m");
    }

    #[test]
    fn located_errors_print_file_line_column_and_hint() {
        let e = Located::new(
            "source/index.html.md",
            4,
            "not valid UTF-8 (byte offset 22)",
        )
        .hint("save the file as UTF-8");
        assert_eq!(
            e.to_string(),
            "source/index.html.md:4: not valid UTF-8 (byte offset 22); save the file as UTF-8"
        );
        let e = Located::new("a.md", 3, "bad key").column(16);
        assert_eq!(e.to_string(), "a.md:3:16: bad key");
        assert_eq!(
            Located::new("a.md", 0, "m").column(2).to_string(),
            "a.md: m"
        );
    }

    #[test]
    fn the_location_is_found_under_context() {
        use anyhow::Context;
        let e: anyhow::Result<()> = Err(Located::new("a.md", 3, "bad").into());
        let e = e.context("building").unwrap_err();
        assert_eq!(location_of(&e).map(|l| l.at.line), Some(3));
        let e = anyhow::Error::from(std::io::Error::other("disk"))
            .context(Located::new("b.md", 0, "reading"));
        assert_eq!(format!("{e:#}"), "b.md: reading: disk");
        assert_eq!(location_of(&e).map(|l| l.at.file.as_str()), Some("b.md"));
        assert!(location_of(&anyhow::anyhow!("plain")).is_none());
    }
}
