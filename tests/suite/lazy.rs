//! `lazy_layout`: long pages cut into chunks the browser lays out only near the viewport
//! (src/emit/chunks.rs; docs/performance.md, "Long pages"). What the browser shows is
//! tested in tests/e2e/tests/lazy.mjs; here, which pages are cut and that the cut page
//! holds the same content.

use crate::common::*;

const CHUNK: &str = "<div class=\"content chunk\" style=\"contain-intrinsic-size:auto ";

/// The page body of tests/fixtures/lazy (about 55 KB of HTML) `times` over, after `front`.
fn page(front: &str, times: usize) -> String {
    let text = read(repo().join("tests/fixtures/lazy/source/index.html.md"));
    let body = text[3..].split_once("\n---\n").unwrap().1;
    format!(
        "---\ntitle: Long\nlanguage_tabs:\n  - shell\n  - json\n{front}---\n{}",
        body.repeat(times)
    )
}

fn build(files: &[(&str, &[u8])]) -> (tempfile::TempDir, String) {
    let p = project(files);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let html = read(p.path().join("build/index.html"));
    (p, html)
}

/// The content column without the chunks' tags.
fn unchunked(html: &str) -> String {
    let mut out = String::new();
    for (i, piece) in content_of(html).split(CHUNK).enumerate() {
        if i == 0 {
            out.push_str(piece);
            continue;
        }
        let piece = piece.split_once("px\">").unwrap().1;
        let end = piece.rfind("</div>\n").expect("the chunk's end");
        out.push_str(&piece[..end]);
        out.push_str(&piece[end + "</div>\n".len()..]);
    }
    out
}

#[test]
fn long_pages_are_cut_and_short_ones_are_not() {
    // auto: 12 × 55 KB is over 512 KB, once is not
    let (_p, long) = build(&[("source/index.html.md", page("", 12).as_bytes())]);
    let (_q, short) = build(&[("source/index.html.md", page("", 1).as_bytes())]);
    assert!(
        long.matches(CHUNK).count() > 20,
        "{} chunks",
        long.matches(CHUNK).count()
    );
    assert_eq!(short.matches(CHUNK).count(), 0);
    // every chunk but the last ends with a heading
    let chunks: Vec<&str> = content_of(&long).split(CHUNK).skip(1).collect();
    for c in &chunks[..chunks.len() - 1] {
        let inner = c.trim_end().strip_suffix("</div>").expect("a chunk's end");
        let tail = &inner[inner.len().saturating_sub(80)..];
        let end = inner.trim_end();
        assert!(
            end.ends_with("</h2>") || end.ends_with("</h1>"),
            "a chunk ends: {tail}"
        );
    }
}

#[test]
fn the_page_and_the_site_choose() {
    let on = page("lazy_layout: true\n", 1);
    let off = page("lazy_layout: false\n", 12);
    let (_p, forced) = build(&[("source/index.html.md", on.as_bytes())]);
    let (_q, plain) = build(&[("source/index.html.md", page("", 1).as_bytes())]);
    assert!(forced.matches(CHUNK).count() > 5);
    // the same content, cut
    assert_eq!(unchunked(&forced), content_of(&plain));
    let (_r, kept) = build(&[
        ("source/index.html.md", off.as_bytes()),
        ("shale.yml", b"lazy_layout: true\n"),
    ]);
    assert_eq!(
        kept.matches(CHUNK).count(),
        0,
        "the page's `false` wins over the site's"
    );
    let (_s, site) = build(&[
        ("source/index.html.md", page("", 1).as_bytes()),
        ("shale.yml", b"lazy_layout: true\n"),
    ]);
    assert!(site.matches(CHUNK).count() > 5, "the site's `true`");
}

#[test]
fn a_wrong_value_names_the_line() {
    let p = project(&[(
        "source/index.html.md",
        page("lazy_layout: maybe\n", 1).as_bytes(),
    )]);
    let o = shale(p.path(), &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("index.html.md:6")
            && e.contains("`lazy_layout: maybe` is not `auto`, `true` or `false`"),
        "{e}"
    );
    assert!(!p.path().join("build").exists(), "nothing written");
}
