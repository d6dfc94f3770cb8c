//! One site of several pages (issue 14, part A): custom heading ids, `toc_depth`,
//! `shale.yml`, the sidebar's list of pages, versions.

use crate::common::*;

/// Builds the project `files` into `build/`; returns the project (kept alive) and the
/// output folder.
fn built(files: &[(&str, &[u8])]) -> (tempfile::TempDir, std::path::PathBuf) {
    let p = project(files);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let out = p.path().join("build");
    (p, out)
}

#[test]
fn custom_ids_replace_slates_and_leave_the_text() {
    let (_p, out) = built(&[(
        "source/index.html.md",
        b"---\ntitle: API\nsearch: true\n---\n# Charges\n\n## Create a charge {#create-charge}\n\nText.\n\nList charges   {#v1.list:all_}\n---------------\n\n## Create a charge\n",
    )]);
    let html = read(out.join("index.html"));
    let body = content_of(&html);
    assert!(
        body.contains("<h2 id='create-charge'>Create a charge</h2>"),
        "{body}"
    );
    assert!(
        body.contains("<h2 id='v1.list:all_'>List charges</h2>"),
        "{body}"
    );
    // Slate's counter does not count the custom heading: the next one is Slate's first
    assert!(
        body.contains("<h2 id='create-a-charge'>Create a charge</h2>"),
        "{body}"
    );
    assert!(html.contains("<a href=\"#create-charge\" class=\"toc-h2 toc-link\" data-title=\"Create a charge\">Create a charge</a>"));
    assert!(!html.contains("{#"), "no suffix left anywhere in the page");
    let index = read(out.join("index.search.js"));
    assert!(
        index.contains("create-charge") && !index.contains("{#"),
        "{index}"
    );
    let toc = read(out.join("toc.json"));
    assert!(
        toc.contains("\"create-charge\"") && !toc.contains("{#"),
        "{toc}"
    );
}
