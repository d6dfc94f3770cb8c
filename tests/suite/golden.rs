//! Golden files: the content column shale renders for the sample and for the dialect
//! fixture, and each part of the split fixture (its TOC and content column), compared byte for byte with `tests/golden/*.html`. After an intended change,
//! regenerate them with `SHALE_BLESS=1 cargo test --test suite golden` and review the diff.

use crate::common::*;

fn check(name: &str, source: &std::path::Path) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(source, &out);
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    compare(name, content_of(&page).trim().to_string() + "\n");
}

/// Compares `got` with `tests/golden/NAME.html` (or writes it, with SHALE_BLESS).
fn compare(name: &str, got: String) {
    let file = repo().join("tests/golden").join(format!("{name}.html"));
    golden(&file, &got, &format!("{name}: content"), "golden");
}

#[test]
fn sample_content() {
    check("sample", &repo().join("source"));
}

#[test]
fn dialect_content() {
    check("dialect", &repo().join("tests/fixtures/dialect/source"));
}

/// The multi-page fixture (`tests/fixtures/site`: `shale.yml`, versions, a folder per
/// version, `toc_depth`, custom ids): each page's sidebar and content column, and
/// `toc.json`, in `tests/golden/site/`.
#[test]
fn site_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("tests/fixtures/site/source"), &out);
    let dir = repo().join("tests/golden/site");
    let pages = [
        "index.html",
        "v1.html",
        "v2.html",
        "v3.html",
        "v2/webhooks.html",
        "v3/webhooks.html",
        "changelog.html",
        "internal.html",
    ];
    let mut files: Vec<(String, String)> = pages
        .iter()
        .map(|p| {
            let html = read(out.join(p));
            let start = html.find("<nav class=\"toc-wrapper\"").expect("sidebar");
            let end = html.find("<div class=\"page-wrapper\">").expect("page");
            let got = format!(
                "{}\n{}\n",
                html[start..end].trim(),
                content_of(&html).trim()
            );
            (p.replace('/', "-"), got)
        })
        .collect();
    files.push(("toc.json".into(), read(out.join("toc.json"))));
    for (name, got) in files {
        let golden = dir.join(&name);
        if std::env::var_os("SHALE_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&golden, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
            panic!(
                "{} missing: run SHALE_BLESS=1 cargo test --test suite golden",
                golden.display()
            )
        });
        assert!(
            got == want,
            "{name} differs from {} (SHALE_BLESS=1 to accept):\n{got}",
            golden.display()
        );
    }
}

/// `split: h1`: every part's TOC (the whole page's, other parts' entries linking there),
/// its content column and the links to the previous and next parts.
#[test]
fn split_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("tests/fixtures/split/source"), &out);
    let mut got = String::new();
    for part in [
        "index.html",
        "index-authentication.html",
        "index-kittens.html",
        "index-errors.html",
    ] {
        let page = std::fs::read_to_string(out.join(part)).unwrap();
        let toc_at = page.find("<ul id=\"toc\"").expect("toc");
        let toc = &page[toc_at..toc_at + page[toc_at..].find("\n    </ul>").unwrap()];
        got.push_str(&format!("<!-- {part} -->\n{toc}\n    </ul>\n"));
        got.push_str(content_of(&page).trim());
        got.push('\n');
    }
    compare("split", got);
}
