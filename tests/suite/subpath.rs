//! Sites work under any sub-path (a GitHub Pages project site, `file://`), as Slate's do:
//! every URL shale writes is relative to its page. The browser side (the same fixture
//! served at `/subpath/` and opened from `file://`) is `tests/e2e/tests/subpath.mjs`.

use crate::common::*;

#[test]
fn every_url_is_relative_and_resolves() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("build");
    let summary = build(&repo().join("tests/fixtures/subpath/source"), &site);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    assert_eq!(summary.pages, 3);
    let problems = unresolved_urls(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The page in a sub-folder: links and images written from the root, in markdown,
    // raw HTML and `toc_footers`, point back up.
    let v2 = std::fs::read_to_string(site.join("v2/index.html")).unwrap();
    for needle in [
        "<link rel=\"stylesheet\" href=\"../stylesheets/screen.css\"",
        "<script src=\"../javascripts/shale.js\"",
        "<link rel=\"icon\" href=\"../images/favicon.png\">",
        "<img src=\"../images/logo.png\" class=\"logo\"",
        "<script src=\"../v2/index.search.js\" defer>",
        "<img src=\"../images/diagram.svg\" alt=\"From the root\"",
        "<img src=\"../images/diagram.svg\" alt=\"A bare name\"",
        "<img src=\"../images/logo.png\" alt=\"Raw logo\"",
        "<a href=\"../index.html#start\" id=\"raw-home\">",
        "<a href=\"../index.html\">home</a>",
        "<a href=\"../v2/other.html\">next page</a>",
        "<a href=\"other.html\">next page, relative</a>",
        "<li><a href='../index.html'>Home</a></li>",
        "<li><a href=\"../v2/other.html\">Other page</a></li>",
    ] {
        assert!(v2.contains(needle), "v2/index.html lacks {needle}");
    }
    let root = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(root.contains("<li><a href='v2/index.html'>Version 2</a></li>"));
    assert!(root.contains("<a href=\"v2/other.html#second\">its second page</a>"));
}

#[test]
fn the_sample_and_fixtures_write_no_absolute_url() {
    let out = tempfile::tempdir().unwrap();
    for (name, source) in [
        ("sample", repo().join("source")),
        ("dialect", repo().join("tests/fixtures/dialect/source")),
        ("images", repo().join("tests/fixtures/e2e-images/source")),
    ] {
        let site = out.path().join(name);
        build(&source, &site);
        let absolute: Vec<String> = unresolved_urls(&site)
            .into_iter()
            .filter(|p| p.contains("is absolute"))
            .collect();
        assert!(absolute.is_empty(), "{name}:\n{}", absolute.join("\n"));
    }
}

#[test]
fn a_link_from_the_root_to_no_file_of_the_site_is_kept_and_warned_about() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("source");
    std::fs::create_dir_all(src.join("v2")).unwrap();
    std::fs::write(src.join("index.html.md"), "# A\n").unwrap();
    std::fs::write(
        src.join("v2/index.html.md"),
        "# B\n\n[gone](/gone.html) [api](/api/) [other host](//example.com/x) <a href=\"/gone/\">raw</a>\n",
    )
    .unwrap();
    let summary = build(&src, &d.path().join("build"));
    let page = std::fs::read_to_string(d.path().join("build/v2/index.html")).unwrap();
    assert!(page.contains("<a href=\"/gone.html\">gone</a>"));
    assert!(page.contains("<a href=\"/api/\">api</a>"));
    assert!(page.contains("<a href=\"//example.com/x\">other host</a>"));
    assert!(page.contains("<a href=\"/gone/\">raw</a>"));
    let w: Vec<String> = summary.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("`/gone.html` points to a file that is not in the source folder")),
        "{w:?}"
    );
}
