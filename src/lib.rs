//! shale: builds Slate API documentation (`source/` folders written for Slate) into a
//! static three-column site.
//!
//! The build reads as the data flows: [`source`] walks the folder, [`plan`] decides
//! where each page and file goes (once per language on a multi-language site:
//! [`i18n`]), [`frontmatter`] reads each page's settings, [`markdown`] renders Slate's
//! markdown dialect with Slate's heading ids ([`slug`]) and code blocks
//! ([`highlight`]), [`erb`] runs the ERB helpers of `.html.md.erb` pages and `t(:key)`,
//! [`page`] assembles a page and its includes, [`toc`] reads the table
//! of contents back, [`render`] puts it in the layout ([`theme`]), [`search`] indexes
//! it for the search box, [`inline`] makes it self-contained (`--single-file`),
//! [`machine`] describes the site for machines (`toc.json`, `search-index.json`,
//! `sitemap.xml`), and [`output`] writes the site atomically. [`site::build`] runs it.
//! [`openapi`] turns an OpenAPI or Swagger spec into a Slate source (`shale import`).

pub mod check;
pub mod erb;
pub mod escape;
pub mod frontmatter;
pub mod highlight;
pub mod html_scan;
pub mod i18n;
pub mod inline;
pub mod machine;
pub mod markdown;
pub mod openapi;
pub mod output;
pub mod page;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod theme;
pub mod toc;
pub mod watch;

pub use site::{build, BuildOptions, BuildSummary, Timings};

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
