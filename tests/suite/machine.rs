//! The machine-readable files beside the HTML: `toc.json` and `search-index.json` (every
//! build) agree with the pages, and `sitemap.xml` / `robots.txt` (`--site-url`) list the
//! right URLs, escaped, and never replace the source folder's own.

use std::path::Path;

use crate::common::*;
use serde_json::Value;
use shale::util::html_scan;

fn json(p: impl AsRef<Path>) -> Value {
    serde_json::from_str(&read(p)).expect("valid JSON")
}

/// The `href`s of the page's TOC links (`#toc a.toc-link`), in order.
fn toc_links(page: &str) -> Vec<String> {
    let start = page.find("<ul id=\"toc\"").expect("the TOC");
    let end = start + page[start..].find("</nav>").unwrap();
    html_scan::tags(&page[start..end])
        .filter(|t| t.is("a") && !t.closing)
        .filter(|t| html_scan::attr(t.attrs, "class").is_some_and(|c| c.contains("toc-link")))
        .map(|t| html_scan::decode(html_scan::attr(t.attrs, "href").unwrap()))
        .collect()
}

/// Every id in the page.
fn ids(page: &str) -> std::collections::HashSet<String> {
    let mut set = std::collections::HashSet::new();
    html_scan::collect_ids(page, &mut set);
    set
}

#[test]
fn toc_json_is_the_pages_toc() {
    for source in [
        repo().join("source"),
        repo().join("tests/fixtures/dialect/source"),
        repo().join("tests/fixtures/corpus/neoway/source"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let summary = build(&source, &out);
        let toc = json(out.join("toc.json"));
        assert_eq!(toc["version"], 1);
        let pages = toc["pages"].as_array().unwrap();
        assert_eq!(pages.len(), summary.pages, "{}", source.display());
        for p in pages {
            let url = p["url"].as_str().unwrap();
            let html = read(out.join(url));
            let title = html_scan::text_of(
                &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()],
            );
            assert_eq!(p["title"], title.as_str());
            // the layout's two levels: each h1 and its children
            let mut listed = Vec::new();
            for h1 in p["toc"].as_array().unwrap() {
                listed.push(format!("#{}", h1["id"].as_str().unwrap()));
                for c in h1["children"].as_array().unwrap() {
                    listed.push(format!("#{}", c["id"].as_str().unwrap()));
                }
            }
            assert!(!listed.is_empty());
            assert_eq!(listed, toc_links(&html), "{}: {url}", source.display());
            // every entry at any depth: its url is the page's, and its anchor exists
            let ids = ids(&html);
            fn walk(e: &Value, f: &mut dyn FnMut(&Value)) {
                f(e);
                for c in e["children"].as_array().unwrap() {
                    walk(c, f);
                }
            }
            for e in p["toc"].as_array().unwrap() {
                walk(e, &mut |e| {
                    let id = e["id"].as_str().unwrap();
                    if id.is_empty() {
                        // a raw heading without an id: listed, as Slate does, linking
                        // to the page
                        assert_eq!(e["url"], url);
                    } else {
                        assert!(ids.contains(id), "{url}: no element has the id {id}");
                        assert!(e["url"].as_str().unwrap().starts_with(&format!("{url}#")));
                    }
                    assert!((1..=3).contains(&e["level"].as_u64().unwrap()));
                    assert!(!e["title"].as_str().unwrap().is_empty());
                });
            }
        }
    }
}

/// The search tokens of `text`, sorted (a multiset).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut scratch = String::new();
    shale::emit::search::for_each_token(text, &mut scratch, &mut |t| out.push(t.to_string()));
    out.sort();
    out
}

#[test]
fn search_index_json_holds_every_section_and_its_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("tests/fixtures/search/source"), &out);
    let index = json(out.join("search-index.json"));
    assert_eq!(index["version"], 1);
    let pages = index["pages"].as_array().unwrap();
    let urls: Vec<&str> = pages.iter().map(|p| p["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        ["index.html", "nosearch.html"],
        "every page, with or without the search box"
    );
    for p in pages {
        let url = p["url"].as_str().unwrap();
        let html = read(out.join(url));
        let body = content_of(&html);
        let want = shale::emit::search::sections(body);
        let got = p["sections"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{url}");
        assert!(!got.is_empty(), "{url}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g["id"], w.id.as_str());
            assert_eq!(g["title"], w.title.as_str());
            // The prose in `text`, each code block's text apart in `code`: together,
            // the words the whole section holds, and each block as it is on the page.
            let code: Vec<&str> = g["code"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            let together = format!("{} {}", g["text"].as_str().unwrap(), code.join(" "));
            assert_eq!(words(&together), words(&w.text), "{url}#{}", w.id);
            for c in &code {
                let collapsed = c.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(w.text.contains(&collapsed), "{url}#{}: code {c:?}", w.id);
            }
            assert_eq!(g["level"], w.level as u64);
            assert!(ids(&html).contains(&w.id));
        }
    }
    // terms a reader searches for are in the records, at the right section
    let find = |word: &str| -> Vec<String> {
        pages
            .iter()
            .flat_map(|p| p["sections"].as_array().unwrap())
            .filter(|s| {
                s["title"].as_str().unwrap().contains(word)
                    || s["text"].as_str().unwrap().contains(word)
            })
            .map(|s| s["url"].as_str().unwrap().to_string())
            .collect()
    };
    let kittens = find("Получение котят");
    assert!(!kittens.is_empty());
    assert!(
        kittens.iter().all(|u| u.starts_with("index.html#")),
        "{kittens:?}"
    );
    // the sample: a code-only term is found too
    let out2 = tmp.path().join("sample");
    build(&repo().join("source"), &out2);
    let index = read(out2.join("search-index.json"));
    assert!(index.contains("WhatsApp"));
    let sample: Value = serde_json::from_str(&index).unwrap();
    let first = &sample["pages"][0]["sections"][0];
    assert_eq!(
        first["url"].as_str().unwrap(),
        format!("index.html#{}", first["id"].as_str().unwrap())
    );
}

#[test]
fn anchors_and_paths_are_percent_encoded_in_urls() {
    let d = project(&[(
        "source/my docs.html.md",
        "---\ntitle: T\n---\n\n# Café & crème\n\n<h2 id=\"a b%\">Raw</h2>\n".as_bytes(),
    )]);
    let o = shale(d.path(), &["build", "-q"]);
    assert!(o.status.success());
    let toc = json(d.path().join("build/toc.json"));
    let page = &toc["pages"][0];
    assert_eq!(page["url"], "my%20docs.html");
    assert_eq!(page["toc"][0]["id"], "cafe-amp-creme", "Slate's id");
    assert_eq!(page["toc"][0]["title"], "Café & crème");
    assert_eq!(page["toc"][0]["children"][0]["id"], "a b%");
    assert_eq!(
        page["toc"][0]["children"][0]["url"],
        "my%20docs.html#a%20b%25"
    );
}

#[test]
fn sitemap_lists_every_page_with_escaped_absolute_urls() {
    let d = project(&[
        ("source/index.html.md", b"# Home\n"),
        ("source/v2/api.html.md", b"# API\n"),
        ("source/v2/index.html.md", b"# V2\n"),
        ("source/hidden.html.md", b"---\nignored: true\n---\n# No\n"),
    ]);
    let o = shale(d.path(), &["build", "-q"]);
    assert!(o.status.success());
    assert!(
        !d.path().join("build/sitemap.xml").exists(),
        "no sitemap without --site-url"
    );
    assert!(!d.path().join("build/robots.txt").exists());

    let o = shale(
        d.path(),
        &["build", "-q", "--site-url", "https://Example.COM/r&d"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = read(d.path().join("build/sitemap.xml"));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"));
    assert!(xml.ends_with("</urlset>\n"));
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .map(|s| &s[..s.find("</loc>").unwrap()])
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.com/r&amp;d/",
            "https://example.com/r&amp;d/v2/api.html",
            "https://example.com/r&amp;d/v2/",
        ]
    );
    assert_eq!(xml.matches("<url>").count(), 3);
    assert_eq!(xml.matches("</url>").count(), 3);
    // well-formed: every `&` starts an entity, no stray `<`
    for (i, _) in xml.match_indices('&') {
        assert!(xml[i..].starts_with("&amp;"), "{xml}");
    }
    // a site under a sub-path: crawlers do not read robots.txt there
    assert!(!d.path().join("build/robots.txt").exists());

    let o = shale(
        d.path(),
        &["build", "-q", "--site-url", "https://docs.example.com"],
    );
    assert!(o.status.success());
    assert_eq!(
        read(d.path().join("build/robots.txt")),
        "User-agent: *\nAllow: /\n\nSitemap: https://docs.example.com/sitemap.xml\n"
    );
    assert!(read(d.path().join("build/sitemap.xml"))
        .contains("<url><loc>https://docs.example.com/</loc></url>"));
}

#[test]
fn the_sources_own_files_are_kept_with_a_warning() {
    let d = project(&[
        ("source/index.html.md", b"# Home\n"),
        ("source/sitemap.xml", b"<mine/>"),
        ("source/robots.txt", b"User-agent: *\nDisallow: /private\n"),
        ("source/toc.json", b"{\"mine\":true}"),
    ]);
    let o = shale(
        d.path(),
        &["build", "--site-url", "https://docs.example.com/"],
    );
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(read(d.path().join("build/sitemap.xml")), "<mine/>");
    assert_eq!(
        read(d.path().join("build/robots.txt")),
        "User-agent: *\nDisallow: /private\n"
    );
    assert_eq!(read(d.path().join("build/toc.json")), "{\"mine\":true}");
    assert!(d.path().join("build/search-index.json").exists());
    assert!(
        err.contains("warning: source/sitemap.xml: kept: shale writes its own `sitemap.xml`"),
        "{err}"
    );
    assert!(
        err.contains("warning: source/toc.json: kept: shale writes its own `toc.json`"),
        "{err}"
    );
    assert!(err.contains("warning: source/robots.txt: kept as it is, without a `Sitemap:` line: add `Sitemap: https://docs.example.com/sitemap.xml`"), "{err}");
    // a robots.txt that names a sitemap: no warning
    std::fs::write(
        d.path().join("source/robots.txt"),
        "User-agent: *\nSitemap: https://docs.example.com/sitemap.xml\n",
    )
    .unwrap();
    let o = shale(
        d.path(),
        &["build", "--site-url", "https://docs.example.com/"],
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("robots.txt"));
}

#[test]
fn a_bad_site_url_is_an_error_before_anything_is_written() {
    let d = project(&[("source/index.html.md", b"# Home\n")]);
    for (url, says) in [
        ("docs.example.com", "is not an absolute URL"),
        (
            "ftp://example.com/",
            "the scheme must be http or https, not `ftp`",
        ),
        ("https://example.com/a b", "is not allowed in a URL"),
        ("https://example.com/?x=1", "no `?query` or `#fragment`"),
    ] {
        let o = shale(d.path(), &["build", "--site-url", url]);
        assert_eq!(o.status.code(), Some(1), "{url}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with(&format!("error: --site-url `{url}`")),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
        assert!(
            err.contains("such as `--site-url https://docs.example.com/`"),
            "{err}"
        );
        assert!(!d.path().join("build").exists());
    }
}
