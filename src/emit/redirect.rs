//! The pages `redirect` in `config.rb` writes.

use std::collections::HashSet;

use crate::load::i18n::Redirect;
use crate::util::url::{parent_dir, relative_url};
use crate::Diagnostic;

/// The page written for a `redirect` of `config.rb`: a meta refresh and a link to the
/// target, as a URL relative to the page (so it works under any sub-path), and a
/// warning when the target is a path of this site that the build does not write.
pub fn redirect_page(r: &Redirect, outputs: &HashSet<String>) -> (String, Option<Diagnostic>) {
    let to = r.to.as_str();
    let scheme = to
        .find(':')
        .is_some_and(|i| !to[..i].contains(['/', '?', '#']));
    let mut warning = None;
    let url = if scheme || to.starts_with("//") {
        to.to_string()
    } else {
        let (path, rest) = to.split_at(to.find(['?', '#']).unwrap_or(to.len()));
        let from_dir = parent_dir(&r.from);
        let target = match path.strip_prefix('/') {
            Some(abs) => crate::util::url::normalize_rel("", abs),
            None if path.is_empty() => Some(r.from.clone()),
            None => crate::util::url::normalize_rel(from_dir, path),
        };
        match target {
            Some(mut target) => {
                if target.is_empty() || path.ends_with('/') {
                    target = format!(
                        "{target}{}index.html",
                        if target.is_empty() { "" } else { "/" }
                    );
                }
                if !outputs.contains(&target) {
                    warning = Some(format!(
                        "`redirect \"{}\"` leads to `{target}`, which this build does not write",
                        r.from
                    ));
                }
                format!("{}{rest}", relative_url(from_dir, &target))
            }
            None => {
                warning = Some(format!(
                    "`redirect \"{}\"` leads to `{to}`, outside the site",
                    r.from
                ));
                to.to_string()
            }
        }
    };
    let u = crate::util::escape::html(&url);
    let html = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {u}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n<meta name=\"robots\" content=\"noindex,follow\">\n<meta http-equiv=\"cache-control\" content=\"no-cache\">\n<link rel=\"canonical\" href=\"{u}\">\n<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{u}\">{u}</a>.</p>\n</body>\n</html>\n"
    );
    (
        html,
        warning.map(|message| Diagnostic {
            at: r.place.clone(),
            message,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_pages_are_relative_and_escaped() {
        let outputs: HashSet<String> = ["zh/index.html", "new.html", "v2/index.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let page = |from: &str, to: &str| {
            let r = Redirect {
                from: from.into(),
                to: to.into(),
                place: crate::error::Location::new("config.rb", 4),
            };
            let (html, w) = redirect_page(&r, &outputs);
            let at = html.find("url=").unwrap() + 4;
            let url = html[at..at + html[at..].find('"').unwrap()].to_string();
            assert!(html.contains(&format!("<a href=\"{url}\">")), "{html}");
            (url, w.map(|d| d.to_string()))
        };
        assert_eq!(
            page("index.html", "./zh/index.html"),
            ("zh/index.html".into(), None)
        );
        assert_eq!(
            page("old/a.html", "/new.html"),
            ("../new.html".into(), None)
        );
        assert_eq!(
            page("old/a.html", "../v2/"),
            ("../v2/index.html".into(), None)
        );
        assert_eq!(
            page("a.html", "https://x.io/?a=1&b=\"<2>\""),
            ("https://x.io/?a=1&amp;b=&quot;&lt;2&gt;&quot;".into(), None)
        );
        assert_eq!(
            page("a.html", "/new.html?x=1#top"),
            ("new.html?x=1#top".into(), None)
        );
        let (url, w) = page("a.html", "gone.html");
        assert_eq!(url, "gone.html");
        assert_eq!(
            w.as_deref(),
            Some("config.rb:4: `redirect \"a.html\"` leads to `gone.html`, which this build does not write")
        );
        let (_, w) = page("a.html", "../../x.html");
        assert!(w.unwrap().contains("outside the site"));
    }
}
