//! `split: h1`: one page per top-level section, every id and link still reachable.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::common::*;

const PARTS: [&str; 4] = [
    "index.html",
    "index-authentication.html",
    "index-kittens.html",
    "index-errors.html",
];

/// The split fixture as it is, and with `split: h1` removed (the page whole).
fn built() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo().join("tests/fixtures/split/source");
    let split = tmp.path().join("split");
    build(&src, &split);
    let whole_src = tmp.path().join("whole-src");
    std::fs::create_dir_all(whole_src.join("includes")).unwrap();
    let index = read(src.join("index.html.md")).replace("split: h1\n", "");
    std::fs::write(whole_src.join("index.html.md"), index).unwrap();
    std::fs::copy(
        src.join("includes/_errors.md"),
        whole_src.join("includes/_errors.md"),
    )
    .unwrap();
    let whole = tmp.path().join("whole");
    build(&whole_src, &whole);
    (tmp, split, whole)
}

/// The ids of the elements of an HTML text.
fn ids_of(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in shale::util::html_scan::tags(html) {
        if let Some(id) = shale::util::html_scan::attr(t.attrs, "id").filter(|i| !i.is_empty()) {
            out.push(id.to_string());
        }
    }
    out
}

/// A page's body: its content column without the layout's line breaks around it and
/// the links to the previous and next parts.
fn own_content(page: &str) -> String {
    let c = content_of(page);
    let c = c.strip_prefix('\n').unwrap_or(c);
    let c = match c.find("\n      <nav class=\"split-nav\"") {
        Some(at) => &c[..at],
        None => c.strip_suffix("\n    ").unwrap_or(c),
    };
    c.to_string()
}

#[test]
fn the_parts_together_are_the_page() {
    let (_tmp, split, whole) = built();
    let mut joined = String::new();
    for part in PARTS {
        let html = read(split.join(part));
        let mut c = own_content(&html);
        // links to other parts back to same-page anchors
        for other in PARTS {
            c = c.replace(&format!("href=\"{other}#"), "href=\"#");
        }
        joined.push_str(&c);
    }
    let want = own_content(&read(whole.join("index.html")));
    assert_eq!(joined, want, "the parts' bodies, one after the other");
    assert!(
        !whole.join("index-errors.html").exists(),
        "no split without the key"
    );
}

#[test]
fn every_id_has_one_part_and_old_links_find_it() {
    let (_tmp, split, _whole) = built();
    let first = read(split.join("index.html"));
    let at = first
        .find("data-parts=\"")
        .expect("the map on the first part")
        + 12;
    let map = &first[at..at + first[at..].find('"').unwrap()];
    let map: serde_json::Value =
        serde_json::from_str(&shale::util::html_scan::decode(map)).unwrap();
    assert_eq!(map["parts"], serde_json::json!(PARTS));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, part) in PARTS.iter().enumerate() {
        let html = read(split.join(part));
        assert_eq!(
            html.contains("data-parts="),
            i == 0,
            "{part}: the map on the first part only"
        );
        for id in ids_of(&own_content(&html)) {
            assert!(seen.insert(id.clone(), i).is_none(), "{id} on two parts");
            let mapped = map["ids"].get(&id).and_then(|v| v.as_u64());
            assert_eq!(mapped, (i > 0).then_some(i as u64), "{id}: map");
        }
        // every link to an id of the page goes to the part that has it
        for t in shale::util::html_scan::tags(&own_content(&html)) {
            let Some(href) = shale::util::html_scan::attr(t.attrs, "href") else {
                continue;
            };
            let (file, id) = href.split_once('#').unwrap_or((href, ""));
            if id.is_empty() || href.starts_with("http") {
                continue;
            }
            let target = if file.is_empty() { *part } else { file };
            let html = read(split.join(target));
            assert!(
                ids_of(content_of(&html)).iter().any(|x| x == id),
                "{part}: {href}"
            );
        }
    }
    for want in [
        "introduction",
        "authentication",
        "rate-limits",
        "headers",
        "errors",
        "retrying",
    ] {
        assert!(seen.contains_key(want), "{want}");
    }
}

#[test]
fn every_part_shows_the_whole_toc_and_its_neighbours() {
    let (_tmp, split, whole) = built();
    let toc = |html: &str| {
        let at = html.find("<ul id=\"toc\"").unwrap();
        let t = &html[at..at + html[at..].find("\n    </ul>").unwrap()];
        let mut t = t.to_string();
        for p in PARTS {
            t = t.replace(&format!("href=\"{p}#"), "href=\"#");
        }
        t
    };
    let whole_toc = toc(&read(whole.join("index.html")));
    for (i, part) in PARTS.iter().enumerate() {
        let html = read(split.join(part));
        // the whole page's entries, less the sub-entries of other parts' sections
        // (the sidebar shows only the current section's)
        let want: String = whole_toc
            .split_inclusive("      </li>\n")
            .map(|entry| {
                let id = entry
                    .split("href=\"#")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let here = content_of(&html).contains(&format!("<h1 id='{id}'"));
                match (here, entry.find("\n        <ul class=\"toc-list-h2\">")) {
                    (false, Some(at)) => {
                        let end = entry.find("\n        </ul>").unwrap() + "\n        </ul>".len();
                        format!("{}{}", &entry[..at], &entry[end..])
                    }
                    _ => entry.to_string(),
                }
            })
            .collect();
        assert_eq!(toc(&html), want, "{part}: the whole page's entries");
        assert_eq!(
            toc(&html).contains("toc-h2"),
            i > 0,
            "{part}: its own sub-entries"
        );
        let prev = html.contains("rel=\"prev\"");
        let next = html.contains("rel=\"next\"");
        assert_eq!((prev, next), (i > 0, i + 1 < PARTS.len()), "{part}");
        if i > 0 {
            assert!(
                html.contains(&format!("href=\"{}#", PARTS[i - 1])),
                "{part}: prev link"
            );
        }
    }
}

#[test]
fn machine_files_and_search_list_every_part() {
    let (_tmp, split, _whole) = built();
    let toc: serde_json::Value = serde_json::from_str(&read(split.join("toc.json"))).unwrap();
    let urls: Vec<&str> = toc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, PARTS);
    assert_eq!(
        toc["pages"][1]["toc"][0]["url"],
        "index-authentication.html#authentication"
    );
    let search: serde_json::Value =
        serde_json::from_str(&read(split.join("search-index.json"))).unwrap();
    assert_eq!(
        search["pages"][3]["sections"][1]["url"],
        "index-errors.html#retrying"
    );
    // one site index over the parts, loaded on focus; no index per part
    let js = read(split.join("search.js"));
    for p in PARTS {
        assert!(js.contains(&format!("[\"{p}\",")), "{p} in the site index");
        assert!(!split.join(p.replace(".html", ".search.js")).exists());
    }
}

#[test]
fn single_file_writes_one_file_per_part() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_single_file(&repo().join("tests/fixtures/split/source"), &out);
    let files: HashSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for p in PARTS {
        assert!(files.contains(p), "{p}");
        let html = read(out.join(p));
        assert!(
            html.contains("window.shaleSearchIndex="),
            "{p}: its own index inlined"
        );
        assert!(!html.contains("<script src="), "{p}: self-contained");
    }
    assert!(!Path::new(&out.join("search.js")).exists());
    let kittens = read(out.join("index-kittens.html"));
    assert!(kittens.contains("href=\"index-errors.html#errors\""));
}

#[test]
fn part_names_stay_file_safe_and_distinct() {
    let p = project(&[(
        "source/api/index.html.md",
        "---\ntitle: T\nsplit: h1\n---\n# One\n\n<h1 id=\"中文\">Chinese</h1>\n\n# Same\n\n<h1 id=\"same-\">Same again</h1>\n".as_bytes(),
    )]);
    let out = p.path().join("build");
    build(&p.path().join("source"), &out);
    for f in [
        "api/index.html",
        "api/index-part-2.html",
        "api/index-same.html",
        "api/index-same-2.html",
    ] {
        let files: Vec<_> = std::fs::read_dir(out.join("api"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(out.join(f).is_file(), "{f}: {files:?}");
    }
}

/// `shale serve`: an include of a split page edited (here giving it a new section)
/// builds the site again, so the preview is what a full build gives, parts and all.
#[test]
fn serve_after_an_include_edit_equals_a_full_build() {
    let p = project(&[
        (
            "source/index.html.md",
            b"---\ntitle: T\nsearch: true\nsplit: h1\nincludes:\n  - more\n---\n# One\n\n[to two](#two)\n\n# Two\n\ntext\n",
        ),
        ("source/includes/_more.md", b"# Three\n\nthree\n"),
    ]);
    let src = p.path().join("source").canonicalize().unwrap();
    let opts = shale::BuildOptions {
        source: src.clone(),
        ..Default::default()
    };
    let cache = shale::build::Cache::new();
    cache.begin_build();
    let (mut preview, _) = shale::build::Preview::build(&opts, Some(&cache)).expect("builds");
    assert!(preview.files().contains_key("index-three.html"));
    let include = src.join("includes/_more.md");
    std::fs::write(&include, "# Four\n\nfour, see [one](#one)\n").unwrap();
    assert!(
        preview
            .update(std::slice::from_ref(&include), Some(&cache))
            .is_none(),
        "a split page's include edited: build again"
    );
    cache.begin_build();
    let (preview, _) = shale::build::Preview::build(&opts, Some(&cache)).expect("builds");
    let (full, _) = shale::build::build_in_memory(&opts, None).expect("builds");
    let got: Vec<_> = preview.files().keys().collect();
    let want: Vec<_> = full.files.keys().collect();
    assert_eq!(got, want);
    for (k, v) in &full.files {
        assert!(preview.files()[k].as_slice() == v.as_slice(), "{k} differs");
    }
    assert!(!preview.files().contains_key("index-three.html"));
    let four = String::from_utf8(full.files["index-four.html"].clone()).unwrap();
    assert!(four.contains("href=\"index.html#one\""));
}
