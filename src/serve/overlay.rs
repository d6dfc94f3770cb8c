//! A failed rebuild as the writer sees it: the terminal line, and an overlay on every
//! page naming the file and line, over the last good build.

use crate::error::location_of;
use crate::util::escape::html as escape;

/// Why the last build failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    /// The whole message, with its causes, as the terminal shows it
    /// (`source/index.html.md:3:5: …`).
    pub message: String,
    /// The file the error is in, as messages name it (`source/index.html.md`), when the
    /// error is [`Located`](crate::error::Located).
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl BuildFailure {
    /// The failure of a build that returned `e`: its message, and where it is when the
    /// error (or one of its causes) is [`Located`](crate::error::Located).
    pub fn from_error(e: &anyhow::Error) -> BuildFailure {
        let at = location_of(e).map(|l| &l.at);
        let known = |n: usize| (n > 0).then_some(n);
        BuildFailure {
            message: format!("{e:#}"),
            file: at.map(|a| a.file.clone()),
            line: at.and_then(|a| known(a.line)),
            column: at.and_then(|a| known(a.column)),
        }
    }

    /// A failure that is not about the sources (a bug of shale).
    pub fn internal(message: String) -> BuildFailure {
        BuildFailure {
            message,
            file: None,
            line: None,
            column: None,
        }
    }

    /// `source/index.html.md:3` or `source/index.html.md`, when the error has a file.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match self.line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        })
    }

    /// The overlay: a panel fixed at the top of the page, styled inline so that no
    /// theme CSS changes it; the page stays readable and scrollable under it.
    pub fn overlay_html(&self) -> String {
        let location = match (&self.file, self.line) {
            (Some(f), Some(l)) => format!(
                "<p style=\"margin:0 0 8px\"><code style=\"{CODE}\">{}</code>, line {l}{}</p>",
                escape(f),
                self.column
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default()
            ),
            (Some(f), None) => format!(
                "<p style=\"margin:0 0 8px\"><code style=\"{CODE}\">{}</code></p>",
                escape(f)
            ),
            _ => String::new(),
        };
        let html = format!(
            "<div id=\"shale-error-overlay\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;z-index:2147483647;\
             max-height:60vh;overflow:auto;box-sizing:border-box;padding:16px 20px 14px;background:#fff5f5;color:#1f1f1f;\
             border-bottom:4px solid #d32f2f;box-shadow:0 4px 24px rgba(0,0,0,.35);text-align:left;\
             font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\">\
             <button type=\"button\" aria-label=\"Hide this message\" onclick=\"this.parentNode.remove()\" \
             style=\"float:right;border:0;background:none;font-size:22px;line-height:1;cursor:pointer;color:#555\">&times;</button>\
             <p style=\"margin:0 0 8px;font-weight:700;font-size:16px;color:#b71c1c\">shale: the last change does not build</p>\
             {location}\
             <pre style=\"margin:0 0 10px;white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #f0c4c4;\
             padding:10px;border-radius:4px;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;color:#1f1f1f\">{}</pre>\
             <p style=\"margin:0;color:#555\">Below is the last good build. Save a fix and this page updates by itself.</p></div>",
            escape(&self.message)
        );
        html.replace('\n', "&#10;")
    }
}

const CODE: &str = "background:#fde0e0;padding:1px 4px;border-radius:3px;font-family:ui-monospace,Menlo,Consolas,monospace";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Located;
    use anyhow::Context;

    #[test]
    fn the_location_comes_from_the_error_not_its_text() {
        let e: anyhow::Error = Located::new("source/index.html.md", 3, "did not find expected key")
            .column(5)
            .into();
        let f = BuildFailure::from_error(&e);
        assert_eq!(
            f.message,
            "source/index.html.md:3:5: did not find expected key"
        );
        assert_eq!(f.file.as_deref(), Some("source/index.html.md"));
        assert_eq!((f.line, f.column), (Some(3), Some(5)));
        assert_eq!(f.location().as_deref(), Some("source/index.html.md:3"));

        let e = anyhow::Error::from(Located::new(
            "source/index.html.md",
            0,
            "front matter `includes`: include `x` not found",
        ));
        let f = BuildFailure::from_error(&e.context("building"));
        assert_eq!(f.file.as_deref(), Some("source/index.html.md"));
        assert_eq!(f.line, None);

        // A message that merely names a file is not located.
        let e = anyhow::anyhow!("source/index.html.md:3: looks located but is not");
        let f = BuildFailure::from_error(&e);
        assert_eq!(f.file, None);
        assert_eq!(f.location(), None);

        let e: anyhow::Result<()> = Err(std::io::Error::other("Permission denied").into());
        let e = e
            .context(Located::new("source/includes/_errors.md", 0, "reading"))
            .unwrap_err();
        let f = BuildFailure::from_error(&e);
        assert_eq!(
            f.message,
            "source/includes/_errors.md: reading: Permission denied"
        );
        assert_eq!(f.file.as_deref(), Some("source/includes/_errors.md"));
    }

    #[test]
    fn overlay_is_escaped_and_one_line() {
        let e: anyhow::Error = Located::new("source/a.html.md", 1, "<script>x</script>\nmore")
            .column(1)
            .into();
        let h = BuildFailure::from_error(&e).overlay_html();
        assert!(h.contains("&lt;script&gt;x&lt;/script&gt;"), "{h}");
        assert!(!h.contains("<script>"));
        assert!(!h.contains('\n'));
        assert!(
            h.contains("source/a.html.md</code>, line 1, column 1"),
            "{h}"
        );
    }
}
