//! A failed rebuild as the writer sees it: the terminal line, and an overlay on every
//! page naming the file and line, over the last good build.

use crate::util::escape::html as escape;

/// Why the last build failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    /// The whole message, with its causes (`source/index.html.md:3:5: …`).
    pub message: String,
    /// The file the message is about, as it names it (`source/index.html.md`).
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl BuildFailure {
    /// Reads the file and line out of `message`: the first path that starts with one
    /// of `prefixes` (the source folder as given, and absolute folders of the project),
    /// followed by `:LINE` where the message has one.
    pub fn new(message: String, prefixes: &[String]) -> BuildFailure {
        let mut found: Option<(usize, String)> = None;
        for p in prefixes.iter().filter(|p| !p.is_empty()) {
            let mut from = 0;
            while let Some(i) = message[from..].find(p.as_str()) {
                let at = from + i;
                from = at + p.len();
                let starts_word = at == 0
                    || message[..at].ends_with([' ', '`', '(', '\'', '"'])
                    || p.starts_with('/');
                if !starts_word {
                    continue;
                }
                let end = message[at..]
                    .find(|c: char| c == ':' || c == '`' || c == '\'' || c.is_whitespace())
                    .map_or(message.len(), |e| at + e);
                if end > at + p.len() && !matches!(&found, Some((f, _)) if *f <= at) {
                    found = Some((at, message[at..end].to_string()));
                }
                break;
            }
        }
        let (file, line) = match found {
            Some((at, file)) => {
                let after = &message[at + file.len()..];
                let line = after
                    .strip_prefix(':')
                    .map(|r| {
                        r.chars()
                            .take_while(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .and_then(|d| d.parse().ok());
                (Some(file), line)
            }
            None => (None, None),
        };
        BuildFailure {
            message,
            file,
            line,
        }
    }

    /// `source/index.html.md:3` or `source/index.html.md`, when the message names a file.
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
                "<p style=\"margin:0 0 8px\"><code style=\"{CODE}\">{}</code>, line {l}</p>",
                escape(f)
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

    fn p() -> Vec<String> {
        vec!["source/".into(), "/home/me/docs/".into()]
    }

    #[test]
    fn reads_file_and_line() {
        let f = BuildFailure::new(
            "source/index.html.md:3:5: did not find expected key".into(),
            &p(),
        );
        assert_eq!(f.file.as_deref(), Some("source/index.html.md"));
        assert_eq!(f.line, Some(3));
        assert_eq!(f.location().as_deref(), Some("source/index.html.md:3"));

        let f = BuildFailure::new(
            "source/index.html.md: front matter `includes`: include `x` not found; tried source/includes/_x.md".into(),
            &p(),
        );
        assert_eq!(f.file.as_deref(), Some("source/index.html.md"));
        assert_eq!(f.line, None);

        let f = BuildFailure::new(
            "reading source/includes/_errors.md: Permission denied (os error 13)".into(),
            &p(),
        );
        assert_eq!(f.file.as_deref(), Some("source/includes/_errors.md"));

        let f = BuildFailure::new(
            "/home/me/docs/templates/layout.html: the layout template does not compile".into(),
            &p(),
        );
        assert_eq!(
            f.file.as_deref(),
            Some("/home/me/docs/templates/layout.html")
        );

        let f = BuildFailure::new("something else went wrong".into(), &p());
        assert_eq!(f.file, None);
        assert_eq!(f.location(), None);
    }

    #[test]
    fn overlay_is_escaped_and_one_line() {
        let f = BuildFailure::new(
            "source/a.html.md:1:1: <script>x</script>\nmore".into(),
            &p(),
        );
        let h = f.overlay_html();
        assert!(h.contains("&lt;script&gt;x&lt;/script&gt;"), "{h}");
        assert!(!h.contains("<script>"));
        assert!(!h.contains('\n'));
        assert!(h.contains("source/a.html.md</code>, line 1"), "{h}");
    }
}
