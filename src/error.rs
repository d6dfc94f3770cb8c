//! What shale tells the author about the sources: warnings ([`Diagnostic`]).

/// A warning about a place in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the message is about the whole file.
    pub line: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Messages quote the sources (link targets, names): control characters there
        // must not reach the terminal as such.
        let clean = |f: &mut std::fmt::Formatter<'_>, s: &str| -> std::fmt::Result {
            for c in s.chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    std::fmt::Write::write_char(f, c)?;
                }
            }
            Ok(())
        };
        clean(f, &self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?; // 0: about the whole file
        }
        f.write_str(": ")?;
        clean(f, &self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::Diagnostic;

    #[test]
    fn diagnostics_escape_control_characters() {
        let d = Diagnostic::new("a.md", 3, "link `x\u{1b}[2Jy` is missing");
        assert_eq!(d.to_string(), "a.md:3: link `x\\u{1b}[2Jy` is missing");
        assert_eq!(Diagnostic::new("a\tb", 0, "m").to_string(), "a\\tb: m");
    }
}
