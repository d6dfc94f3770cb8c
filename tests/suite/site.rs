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

/// The site's pages a sidebar lists: (title, href, current), in order.
fn listed(html: &str) -> Vec<(String, String, bool)> {
    let Some(start) = html.find("<ul class=\"site-pages\">") else {
        return Vec::new();
    };
    html[start..]
        .split("<li class=\"site-page")
        .skip(1)
        .map(|li| {
            let href = li
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let title = li.split("class=\"site-page-link\"").nth(1).unwrap();
            let title = title.split('>').nth(1).unwrap().split('<').next().unwrap();
            (
                title.to_string(),
                href.to_string(),
                li.starts_with(" current"),
            )
        })
        .collect()
}

/// The version switcher's entries: (name, href, current).
fn switcher(html: &str) -> Vec<(String, String, bool)> {
    let Some(start) = html.find("<nav class=\"version-switcher\"") else {
        return Vec::new();
    };
    let end = start + html[start..].find("</nav>").unwrap();
    html[start..end]
        .split("<li>")
        .skip(1)
        .map(|li| {
            let href = li
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let name = li.split('>').nth(1).unwrap().split('<').next().unwrap();
            (
                name.to_string(),
                href.to_string(),
                li.contains("aria-current"),
            )
        })
        .collect()
}

fn own(v: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect()
}

#[test]
fn several_pages_without_settings_build_as_before() {
    let (_p, out) = built(&[
        ("source/index.html.md", b"---\ntitle: One\n---\n# One\n"),
        (
            "source/two.html.md",
            b"---\ntitle: Two\nnav_title: 2\n---\n# Two\n",
        ),
    ]);
    for page in ["index.html", "two.html"] {
        let html = read(out.join(page));
        assert!(
            !html.contains("site-nav") && !html.contains("version-switcher"),
            "{page}"
        );
        assert!(html.contains("<ul id=\"toc\" class=\"toc-list-h1\">"));
    }
}

#[test]
fn the_sidebar_lists_the_sites_pages_in_order() {
    let out = tempfile::tempdir().unwrap();
    build(&repo().join("tests/fixtures/site/source"), out.path());
    let index = read(out.path().join("index.html"));
    assert!(index.contains("<p class=\"site-title\">Acme API</p>"));
    // nav_order, then the index page, then the path; `nav: false` left out; on a page of
    // no version, the newest version's pages
    let want = [
        ("Overview", "index.html", true),
        ("API reference", "v3.html", false),
        ("Webhooks", "v3/webhooks.html", false),
        ("Changelog", "changelog.html", false),
    ];
    assert_eq!(listed(&index), own(&want));
    // the current page holds its own TOC, the others none
    let current = index
        .split("aria-current=\"page\">Overview</a>")
        .nth(1)
        .unwrap();
    assert!(
        current.trim_start().starts_with("<ul id=\"toc\""),
        "{current}"
    );
    assert_eq!(index.matches("id=\"toc\"").count(), 1);
    // a versioned page lists the pages of its version; links are relative to it
    let v2 = read(out.path().join("v2/webhooks.html"));
    let want = [
        ("Overview", "../index.html", false),
        ("API reference", "../v2.html", false),
        ("Webhooks", "webhooks.html", true),
        ("Changelog", "../changelog.html", false),
    ];
    assert_eq!(listed(&v2), own(&want));
    // a page out of the list still shows it, and its TOC after it
    let internal = read(out.path().join("internal.html"));
    assert_eq!(listed(&internal).len(), 4);
    assert!(listed(&internal).iter().all(|(_, _, current)| !current));
    assert_eq!(internal.matches("id=\"toc\"").count(), 1);
}

#[test]
fn one_list_per_language() {
    let (_p, out) = built(&[
        ("locales/en.yml", b"en:\n  guide: Guide\n"),
        ("locales/fr.yml", b"fr:\n  guide: Mode d'emploi\n"),
        (
            "source/localizable/index.html.md",
            b"---\ntitle: Docs\n---\n# Intro\n",
        ),
        (
            "source/localizable/guide.html.md",
            b"---\ntitle: <%= t(:guide) %>\n---\n# Guide\n",
        ),
        ("source/api.html.md", b"---\ntitle: API\n---\n# API\n"),
        ("shale.yml", b"nav: true\n"),
    ]);
    let want = [
        ("Docs", "index.html", false),
        ("API", "api.html", false),
        ("Guide", "guide.html", true),
    ];
    assert_eq!(listed(&read(out.join("guide.html"))), own(&want));
    // a page built once (not under localizable/) is in every list, and lists the root
    // language's pages
    let want = [
        ("Docs", "index.html", false),
        ("API", "api.html", true),
        ("Guide", "guide.html", false),
    ];
    assert_eq!(listed(&read(out.join("api.html"))), own(&want));
    // each language its own pages, titles translated (`t(:key)`)
    let want = [
        ("Docs", "index.html", false),
        ("API", "../api.html", false),
        ("Mode d&#39;emploi", "guide.html", true),
    ];
    assert_eq!(listed(&read(out.join("fr/guide.html"))), own(&want));
}

#[test]
fn version_switcher_links_the_same_page_or_the_versions_first() {
    let out = tempfile::tempdir().unwrap();
    build(&repo().join("tests/fixtures/site/source"), out.path());
    let page = |p: &str| read(out.path().join(p));
    let want = [
        ("v3", "v3.html", false),
        ("v2", "v2.html", true),
        ("v1", "v1.html", false),
    ];
    assert_eq!(switcher(&page("v2.html")), own(&want));
    // a page in a version's folder: the same page in the other folder, else the top
    let want = [
        ("v3", "webhooks.html", true),
        ("v2", "../v2/webhooks.html", false),
        ("v1", "../v1.html", false),
    ];
    assert_eq!(switcher(&page("v3/webhooks.html")), own(&want));
    assert!(
        switcher(&page("index.html")).is_empty(),
        "no version, no switcher"
    );
    let toc: serde_json::Value = serde_json::from_str(&page("toc.json")).unwrap();
    let versions: Vec<(String, String)> = toc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| Some((p["url"].as_str()?.into(), p["version"].as_str()?.into())))
        .collect();
    assert_eq!(versions.len(), 5, "{versions:?}");
    assert!(versions.contains(&("v2/webhooks.html".into(), "v2".into())));
}

#[test]
fn pages_not_built_are_not_listed_and_titles_are_escaped() {
    let (_p, out) = built(&[
        (
            "source/index.html.md",
            b"---\ntitle: A <b> & \"c\"\n---\n# One\n",
        ),
        (
            "source/draft.html.md",
            b"---\ntitle: Draft\nignored: true\n---\n# Draft\n",
        ),
        (
            "source/v9/x.html.md",
            b"---\ntitle: X\nversion: v9\nignored: true\n---\n# X\n",
        ),
        (
            "source/v1/x.html.md",
            b"---\ntitle: X\nversion: v1 <beta>\n---\n# X\n",
        ),
        ("shale.yml", b"nav: true\ntitle: <Acme>\n"),
    ]);
    let index = read(out.join("index.html"));
    // v9's only page is not built: v1 is the newest version
    let want = [
        ("A &lt;b&gt; &amp; &quot;c&quot;", "index.html", true),
        ("X", "v1/x.html", false),
    ];
    assert_eq!(listed(&index), own(&want));
    assert!(index.contains("<p class=\"site-title\">&lt;Acme&gt;</p>"));
    let x = read(out.join("v1/x.html"));
    let want = [("v1 &lt;beta&gt;", "x.html", true)];
    assert_eq!(switcher(&x), own(&want), "no link to a page not built");
    assert!(!out.join("draft.html").exists() && !out.join("v9/x.html").exists());
}

#[test]
fn versions_without_the_list_of_pages() {
    let (_p, out) = built(&[
        ("source/v1.html.md", b"---\nversion: 1\n---\n# One\n"),
        ("source/v2.html.md", b"---\nversion: 2.0\n---\n# Two\n"),
        ("shale.yml", b"nav: false\n"),
    ]);
    let v1 = read(out.join("v1.html"));
    assert!(listed(&v1).is_empty());
    let want = [("2.0", "v2.html", false), ("1", "v1.html", true)];
    assert_eq!(switcher(&v1), own(&want));
}

#[test]
fn toc_depth_from_the_site_and_the_page() {
    let md = "# A\n\n## B\n\n### C\n\n#### D\n";
    let page = |front: &str| format!("---\ntitle: T\n{front}---\n{md}");
    let (one, three, four) = (page("toc_depth: 1\n"), page(""), page("toc_depth: 4\n"));
    let (_p, out) = built(&[
        ("source/one.html.md", one.as_bytes()),
        ("source/three.html.md", three.as_bytes()),
        ("source/four.html.md", four.as_bytes()),
        ("shale.yml", b"toc_depth: 3\n"),
    ]);
    let sidebar = |p: &str| {
        let html = read(out.join(p));
        let toc = html.split("<ul id=\"toc\"").nth(1).unwrap().to_string();
        toc.split("<script>").next().unwrap().to_string()
    };
    let links = |p: &str| {
        let toc = sidebar(p);
        (1..=4)
            .filter(|n| toc.contains(&format!("class=\"toc-h{n} toc-link\"")))
            .count()
    };
    assert_eq!(
        (links("one.html"), links("three.html"), links("four.html")),
        (1, 3, 4)
    );
    assert!(sidebar("four.html").contains("<ul class=\"toc-list-h4\">"));
    let toc: serde_json::Value = serde_json::from_str(&read(out.join("toc.json"))).unwrap();
    let has_h4 = |url: &str| {
        let page = toc["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["url"] == url)
            .unwrap();
        page.to_string().contains("\"level\":4")
    };
    assert!(
        has_h4("four.html") && !has_h4("three.html"),
        "toc.json lists what the TOC lists"
    );
}
