//! `shale build --single-file`: each page one self-contained file. What the output
//! folder holds, that no attribute of a page still names a local file, that the inlined
//! bytes are the files' bytes, and the warnings for what cannot be inlined. The browser
//! side (the page opened alone from file://, offline) is `tests/e2e/tests/single.mjs`.

use std::path::Path;

use crate::common::*;
use shale::util::html_scan;

/// Every file of `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// URL-valued attributes of `html` (`src`, `href`, `srcset` candidates, `poster`) that
/// name a local file: not `data:`, not another scheme, not `//host`, not `#anchor`.
fn local_references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in html_scan::tags(html).filter(|t| !t.closing) {
        for a in html_scan::attributes(t.attrs) {
            let name = a.name.to_ascii_lowercase();
            let urls: Vec<String> = match name.as_str() {
                "src" | "href" | "poster" => vec![html_scan::decode(a.value)],
                "srcset" => html_scan::decode(a.value)
                    .split(", ")
                    .map(|c| c.split_whitespace().next().unwrap_or("").to_string())
                    .collect(),
                _ => continue,
            };
            for u in urls {
                let u = u.trim();
                let scheme = u.find(':').is_some_and(|i| {
                    u[..i]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if !(u.starts_with('#') || u.starts_with("//") || scheme) {
                    out.push(format!("<{} {name}={u}>", t.name));
                }
            }
        }
    }
    out
}

/// Decodes standard base64.
fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s {
        acc = acc << 6 | val(c) as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The bytes of the first `data:MIME;base64,…` URI of `html` with that MIME type
/// after `after` (a piece of text before it).
fn data_after(html: &str, after: &str, mime: &str) -> Vec<u8> {
    let at = html
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` not in the page"));
    let prefix = format!("data:{mime};base64,");
    let start = at + html[at..].find(&prefix).expect("a data URI") + prefix.len();
    let end = start
        + html[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c)))
            .unwrap();
    unbase64(&html[start..end])
}

#[test]
fn the_sample_is_one_file_with_no_local_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let summary = build_single_file(&repo().join("source"), &out);
    assert_eq!(summary.pages, 1);
    assert_eq!(
        files(&out),
        ["index.html", "search-index.json", "toc.json"],
        "only the page (and the machine-readable files)"
    );
    let page = read(out.join("index.html"));
    assert_eq!(local_references(&page), Vec::<String>::new());
    // the stylesheets, the script and the search index are in the page
    let screen = read(repo().join("assets/stylesheets/screen.css"));
    let first_rule = screen
        .lines()
        .find(|l| l.ends_with('{') && !l.starts_with('@') && !l.starts_with(' '))
        .unwrap();
    assert!(
        page.contains("<style media=\"screen\">"),
        "screen.css inlined"
    );
    assert!(page.contains(first_rule));
    assert!(
        page.contains("<style media=\"print\">"),
        "print.css inlined"
    );
    assert!(page.contains(".highlight .k"), "highlight.css inlined");
    assert!(
        page.contains("<script>window.shaleSearchIndex={"),
        "search index inlined"
    );
    let js = read(repo().join("assets/javascripts/shale.js"));
    assert!(
        page.contains(js.lines().nth(1).unwrap()),
        "shale.js inlined"
    );
    // shale.js needs the page's elements: it runs at the end of the body
    let script = page.find("<script>/* shale.js").expect("shale.js");
    assert!(script > page.find("</main>").unwrap() && script < page.find("</body>").unwrap());
    // every script element ends where it should
    assert_eq!(
        page.matches("<script").count(),
        page.matches("</script>").count()
    );
    // the rest of the page is what `shale build` writes
    let normal = tmp.path().join("normal");
    build(&repo().join("source"), &normal);
    assert_eq!(
        content_of(&page),
        content_of(&read(normal.join("index.html")))
    );
}

#[test]
fn images_fonts_and_icons_are_inlined_with_their_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let fixture = repo().join("tests/fixtures/single-file/source");
    let summary = build_single_file(&fixture, &out);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    assert_eq!(
        files(&out),
        ["index.html", "search-index.json", "toc.json"],
        "images, fonts and the imported stylesheet are all inlined"
    );
    let page = read(out.join("index.html"));
    assert_eq!(local_references(&page), Vec::<String>::new());
    let bytes = |rel: &str| std::fs::read(fixture.join(rel)).unwrap();
    assert_eq!(
        data_after(&page, "<link rel=\"icon\"", "image/png"),
        bytes("images/favicon.png")
    );
    assert_eq!(
        data_after(&page, "<nav", "image/png"),
        bytes("images/logo.png")
    );
    assert_eq!(
        data_after(&page, "<h2 id='get-a-kitten'>", "image/png"),
        bytes("images/diagram.png"),
        "markdown image"
    );
    assert_eq!(
        data_after(&page, "<picture>", "image/png"),
        bytes("images/diagram.png")
    );
    assert_eq!(
        data_after(&page, "srcset=\"", "image/png"),
        bytes("images/diagram@2x.png"),
        "srcset candidate"
    );
    assert_eq!(
        data_after(&page, "id='pictures-from-an-include'", "image/png"),
        bytes("images/diagram.png"),
        "`/images/…` in an include"
    );
    // @import of stylesheets/extra.css, whose url()s are relative to it
    let css = String::from_utf8(data_after(
        &page,
        "@import url(\"",
        "text/css;charset=utf-8",
    ))
    .unwrap();
    assert!(css.contains(".icon::before"), "{css}");
    let font_at = css
        .find("url(\"data:font/woff2;base64,")
        .expect("the font inlined");
    assert_eq!(
        data_after(&css[font_at..], "url(", "font/woff2"),
        bytes("fonts/slate.woff2")
    );
    assert_eq!(
        data_after(&css, ".badge", "image/svg+xml"),
        bytes("images/dot.svg")
    );
}

#[test]
fn what_cannot_be_inlined_is_a_warning_with_file_and_line() {
    let big = vec![7u8; (1 << 20) + 10];
    let d = project(&[
        (
            "source/index.html.md",
            b"---\ntitle: T\nincludes:\n  - more\n---\n\n# A\n\n<img src=\"images/gone.png\" alt=\"raw\">\n\n![md](images/gone-too.png)\n\n<img src=\"images/big.png\">\n\n<img src=\"https://example.com/remote.png\">\n\n<style>@import url(\"stylesheets/x.css\");</style>\n",
        ),
        (
            "source/includes/_more.md",
            b"# B\n\nText.\n\n<img src='../nowhere.png'>\n",
        ),
        (
            "source/stylesheets/x.css",
            b"p { color: red; }\n.x { background: url(../images/none.svg); }\n",
        ),
        ("source/images/big.png", &big),
    ]);
    let o = shale(
        d.path(),
        &["build", "--single-file", "-s", "source", "-o", "out"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let has = |prefix: &str, text: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(prefix) && l.contains(text))
    };
    assert!(
        has(
            "warning: source/index.html.md:9: ",
            "`images/gone.png` is not a file of the site, so --single-file cannot inline it"
        ),
        "{err}"
    );
    assert!(
        has("warning: source/includes/_more.md:5: ", "`../nowhere.png`"),
        "{err}"
    );
    assert!(
        has(
            "warning: source/stylesheets/x.css:2: ",
            "`../images/none.svg`"
        ),
        "{err}"
    );
    assert!(
        has("warning: source/images/big.png: ", "1.0 MB, inlined"),
        "{err}"
    );
    // the markdown image is reported once, by the usual check
    assert_eq!(err.matches("gone-too.png").count(), 1, "{err}");
    assert!(
        has(
            "warning: source/index.html.md:11: ",
            "image `images/gone-too.png` points to a file that is not in the source folder"
        ),
        "{err}"
    );
    let page = read(d.path().join("out/index.html"));
    assert!(
        page.contains("<img src=\"https://example.com/remote.png\">"),
        "remote URLs stay"
    );
    assert!(
        page.contains("<img src=\"images/gone.png\""),
        "a missing file keeps its URL"
    );
    assert_eq!(
        data_after(&page, "<h1 id='a'>", "image/png").len(),
        big.len(),
        "a large image is inlined anyway"
    );
    assert!(!d.path().join("out/images/big.png").exists());
    // with --strict, they are errors
    let o = shale(
        d.path(),
        &[
            "build",
            "--single-file",
            "--strict",
            "-s",
            "source",
            "-o",
            "out2",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!d.path().join("out2").exists());
}

#[test]
fn files_no_page_inlines_are_still_written() {
    let d = project(&[
        (
            "source/index.html.md",
            b"---\ntitle: T\n---\n\n# A\n\n![Logo again](images/logo.png)\n\n[The spec](files/spec.pdf), [the picture](images/photo.png)\n\n![Photo](images/photo.png)\n",
        ),
        ("source/images/logo.png", b"\x89PNG\r\n\x1a\nlogo"),
        ("source/images/photo.png", b"\x89PNG\r\n\x1a\nphoto"),
        ("source/images/unused.png", b"\x89PNG\r\n\x1a\nunused"),
        ("source/files/spec.pdf", b"%PDF-1.4"),
        ("source/CNAME", b"docs.example.com\n"),
    ]);
    let o = shale(d.path(), &["build", "--single-file", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        files(&d.path().join("build")),
        [
            "CNAME",
            "files/spec.pdf",
            "images/photo.png",
            "images/unused.png",
            "index.html",
            "search-index.json",
            "toc.json",
        ],
        "the logo is only inlined; the photo is inlined and linked; the PDF, CNAME and the unused image are copied"
    );
    let page = read(d.path().join("build/index.html"));
    assert!(page.contains("<a href=\"files/spec.pdf\">"));
    assert!(!page.contains("src=\"images/"), "{page}");
}

#[test]
fn inlined_scripts_and_styles_cannot_end_early() {
    let d = project(&[
        (
            "source/index.html.md",
            b"---\ntitle: T\nsearch: true\n---\n\n# Ends `</script>` here\n\nText with `</script><!--` and `</style>`.\n",
        ),
        (
            "assets/javascripts/shale.js",
            b"window.evil = '</script><script>window.broken=1</script><!--';\n",
        ),
        (
            "assets/stylesheets/print.css",
            b"p::after { content: '</style><script>window.broken=2</script>'; }\n",
        ),
    ]);
    let o = shale(d.path(), &["build", "--single-file", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = read(d.path().join("build/index.html"));
    assert!(
        page.contains("window.evil = '\\x3C/script><script>window.broken=1\\x3C/script>\\x3C!--';"),
        "{page}"
    );
    assert!(
        page.contains("content: '\\3C/style><script>window.broken=2</script>';"),
        "{page}"
    );
    assert!(page.contains("window.shaleSearchIndex={") && page.contains("\\u003c/script\\u003e"));
    // as a browser reads it: four scripts (the colour mode's in <head>, the TOC entry's
    // after the TOC, ours and the search index) and the stylesheets (the theme's
    // variables, then three files), each ending where it should
    let opened = |name: &str| {
        html_scan::tags(&page)
            .filter(|t| t.is(name) && !t.closing)
            .count()
    };
    assert_eq!(opened("script"), 4);
    assert_eq!(opened("style"), 4);
    assert!(!page.contains("</script><!--"));
}

#[test]
fn only_build_takes_single_file() {
    let d = project(&[("source/index.html.md", b"# A\n")]);
    let o = shale(d.path(), &["serve", "--single-file"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--single-file is an option of `shale build`, not of `shale serve`"),
        "{err}"
    );
    let o = shale(d.path(), &["build", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("--single-file") && help.contains("--site-url <URL>"),
        "{help}"
    );
}
