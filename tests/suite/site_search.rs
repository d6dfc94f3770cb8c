//! Search across pages: a language with several pages with `search: true` shares one
//! index, `search.js`, with a page table; a site with one such page builds as before.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// The JSON of an index script (`window.shaleSearchIndex=…;`).
fn index_of(path: &Path) -> Value {
    let js = read(path);
    let json = js
        .strip_prefix("window.shaleSearchIndex=")
        .and_then(|j| j.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("{}: not an index script", path.display()));
    serde_json::from_str(json).unwrap()
}

/// The section ids of an index, numbers expanded as the browser does.
fn ids(ix: &Value) -> Vec<String> {
    let titles = ix["titles"].as_array().unwrap();
    ix["ids"]
        .as_array()
        .unwrap()
        .iter()
        .zip(titles)
        .map(|(id, title)| match id {
            Value::String(s) => s.clone(),
            Value::Number(n) => {
                let g = shale::emit::search::guess_id(title.as_str().unwrap()).unwrap();
                match n.as_u64().unwrap() {
                    0 => g,
                    n => format!("{g}-{n}"),
                }
            }
            other => panic!("id {other}"),
        })
        .collect()
}

/// The `data-index` and `data-page` of a page's search box.
fn search_box(html: &str) -> Option<(String, String)> {
    let at = html.find("id=\"input-search\"")?;
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    let attr = |name: &str| {
        let k = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[k..k + tag[k..].find('"').unwrap()].to_string())
    };
    Some((attr("data-index")?, attr("data-page")?))
}

#[test]
fn pages_with_search_share_one_site_index() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("tests/fixtures/site-search/source"), &out);
    for own in [
        "index.search.js",
        "orders.search.js",
        "guides/webhooks.search.js",
    ] {
        assert!(!out.join(own).exists(), "{own}: no index of its own");
    }
    let ix = index_of(&out.join("search.js"));
    let pages = ix["pages"].as_array().unwrap();
    let urls: Vec<&str> = pages.iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        ["guides/webhooks.html", "index.html", "orders.html"],
        "the pages with search, not nosearch.html"
    );
    let all = ids(&ix);
    for (k, p) in pages.iter().enumerate() {
        let url = p[0].as_str().unwrap();
        let html = read(out.join(url));
        assert!(html.contains(&format!("<title>{}</title>", p[1].as_str().unwrap())));
        // The page's sections, in order, where the table says they start.
        let first = p[2].as_u64().unwrap() as usize;
        let end = pages
            .get(k + 1)
            .map_or(all.len(), |n| n[2].as_u64().unwrap() as usize);
        let want: Vec<String> = shale::emit::search::sections(content_of(&html))
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(all[first..end], want[..], "{url}");
        // The body's bytes (the content column, less the layout's white space around it).
        let size = p[3].as_u64().unwrap() as usize;
        let column = content_of(&html).len();
        assert!(
            size <= column && size + 16 >= column,
            "{url}: body size {size}, column {column}"
        );
        // The box loads the index on focus: no script of it in the page.
        let (index, page) = search_box(&html).unwrap_or_else(|| panic!("{url}: site box"));
        let dir = Path::new(url).parent().unwrap();
        assert!(out.join(dir).join(&index).is_file(), "{url}: {index}");
        assert_eq!(page, url);
        assert!(
            !html.contains("search.js\" defer"),
            "{url}: loaded on focus only"
        );
    }
    let other = read(out.join("nosearch.html"));
    assert!(!other.contains("input-search") && !other.contains("search.js"));
}

#[test]
fn one_page_with_search_keeps_its_own_index() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("tests/fixtures/search/source"), &out);
    assert!(out.join("index.search.js").is_file());
    assert!(!out.join("search.js").exists());
    let html = read(out.join("index.html"));
    assert!(html.contains("<script src=\"index.search.js\" defer></script>"));
    assert!(search_box(&html).is_none());
    assert!(index_of(&out.join("index.search.js"))
        .get("pages")
        .is_none());
}

#[test]
fn each_language_has_its_site_index() {
    let page =
        |title: &str| format!("---\ntitle: {title}\nsearch: true\n---\n\n# {title}\n\nText.\n");
    let (en, pt) = (page("Guide"), page("Guia"));
    let (en2, pt2) = (page("Reference"), page("Referência"));
    let p = project(&[
        ("locales/en.yml", b"en:\n  hello: Hi\n"),
        ("locales/pt.yml", b"pt:\n  hello: Oi\n"),
        ("source/localizable/index.en.html.md", en.as_bytes()),
        ("source/localizable/index.pt.html.md", pt.as_bytes()),
        ("source/localizable/api.en.html.md", en2.as_bytes()),
        ("source/localizable/api.pt.html.md", pt2.as_bytes()),
    ]);
    let out = p.path().join("build");
    build(&p.path().join("source"), &out);
    let en = index_of(&out.join("search.js"));
    let pt = index_of(&out.join("pt/search.js"));
    assert_eq!(en["titles"], serde_json::json!(["Reference", "Guide"]));
    assert_eq!(pt["titles"], serde_json::json!(["Referência", "Guia"]));
    assert_eq!(
        pt["pages"][0][0], "api.html",
        "URLs from the index's folder"
    );
    let (index, page) = search_box(&read(out.join("pt/api.html"))).unwrap();
    assert_eq!((index.as_str(), page.as_str()), ("search.js", "api.html"));
}

/// `shale serve`: an include edited renders its pages again, and the site index with
/// them: the preview is what a full build gives.
#[test]
fn serve_updates_the_site_index_after_an_include_edit() {
    let page = |title: &str| {
        format!(
            "---\ntitle: {title}\nsearch: true\nincludes:\n  - shared\n---\n# {title}\n\nText.\n"
        )
    };
    let (a, b) = (page("Alpha"), page("Beta"));
    let p = project(&[
        ("source/index.html.md", a.as_bytes()),
        ("source/beta.html.md", b.as_bytes()),
        ("source/includes/_shared.md", b"# Shared\n\nold words\n"),
    ]);
    let src = p.path().join("source").canonicalize().unwrap();
    let opts = shale::BuildOptions {
        source: src.clone(),
        ..Default::default()
    };
    let cache = shale::build::Cache::new();
    cache.begin_build();
    let (mut preview, _) = shale::build::Preview::build(&opts, Some(&cache)).expect("builds");
    let include = src.join("includes/_shared.md");
    std::fs::write(&include, "# Shared\n\nzanzibar\n").unwrap();
    cache.begin_build();
    preview
        .update(std::slice::from_ref(&include), Some(&cache))
        .expect("an include edit is rendered by the part")
        .expect("builds");
    let (full, _) = shale::build::build_in_memory(&opts, None).expect("builds");
    let index = String::from_utf8(full.files["search.js"].clone()).unwrap();
    assert!(index.contains("zanzibar") && !index.contains(" old "));
    assert!(preview.files()["search.js"].as_slice() == full.files["search.js"].as_slice());
    assert_eq!(
        preview.files().keys().collect::<Vec<_>>(),
        full.files.keys().collect::<Vec<_>>()
    );
}
