//! Properties of the page pipeline on generated input (proptest): rendering and the
//! search index never panic, whatever the text, and the index stays valid JSON that
//! cannot end a script; every id of a page is unique (raw HTML aside, which may
//! repeat its own); every TOC entry links to an element id of the page. The generators
//! favour what breaks ids: repeated headings, `Duplicate` / `Duplicate 2`, headings
//! that slug to the same id, headings split over includes. ERB (well formed or not)
//! never panics, and every line it writes points to a line of its file.
//!
//! The fuzz target `fuzz/fuzz_targets/page.rs` checks the same on mutated real pages.

use std::collections::HashMap;

use proptest::prelude::*;
use shale::html_scan;
use shale::toc::TocEntry;

/// Every `id` attribute of `html` with its count.
fn id_counts(html: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for t in html_scan::tags(html) {
        if !t.closing {
            if let Some(id) = html_scan::attr(t.attrs, "id") {
                *counts.entry(html_scan::decode(id)).or_default() += 1;
            }
        }
    }
    counts
}

/// Checks the id and TOC properties of a rendered body.
fn check_ids(body: &str, toc: &[TocEntry]) -> Result<(), TestCaseError> {
    let counts = id_counts(body);
    for (id, n) in &counts {
        prop_assert_eq!(*n, 1, "id `{}` is written {} times", id, n);
    }
    fn walk(entries: &[TocEntry], counts: &HashMap<String, usize>) -> Result<(), TestCaseError> {
        for e in entries {
            prop_assert!(!e.id.is_empty(), "a TOC entry without an id");
            prop_assert!(
                counts.contains_key(&e.id),
                "the TOC links to `#{}`, which no element has",
                e.id
            );
            walk(&e.children, counts)?;
        }
        Ok(())
    }
    walk(toc, &counts)
}

/// The page's search index is one JSON assignment that no text can end early.
fn check_search_index(body: &str) -> Result<(), TestCaseError> {
    let js = shale::search::index_js(body);
    let json = js
        .strip_prefix("window.shaleSearchIndex=")
        .and_then(|s| s.strip_suffix(";\n"));
    prop_assert!(json.is_some(), "not one assignment: {}", js);
    let json = json.unwrap_or_default();
    prop_assert!(!json.contains('<') && !json.contains('>'), "{}", json);
    prop_assert!(
        serde_json::from_str::<serde_json::Value>(json).is_ok(),
        "{}",
        json
    );
    Ok(())
}

/// Heading texts that collide once slugged, or with Slate's `-2` suffixes.
fn heading_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Duplicate".to_string()),
        Just("Duplicate 2".to_string()),
        Just("duplicate-2".to_string()),
        Just("Duplicate 2 2".to_string()),
        Just("Get **all** kittens".to_string()),
        Just("get-all-kittens".to_string()),
        Just("`GET /kittens`".to_string()),
        Just("日本語".to_string()),
        Just("Ünïcödé".to_string()),
        Just("Q&A".to_string()),
        Just("Don't \"panic\"".to_string()),
        Just("[link](#duplicate)".to_string()),
        Just("a_b".to_string()),
        "[a-c]{1,2}( [0-9])?".prop_map(|s| s),
    ]
}

/// One markdown line (or a few): headings, lists, quotes, tables, code, rules.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (1usize..=6, heading_text()).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        1 => heading_text().prop_map(|t| format!("#{t}")),
        1 => heading_text().prop_map(|t| format!("{t}\n===")),
        1 => heading_text().prop_map(|t| format!("{t}\n---")),
        2 => "[a-z ]{0,12}".prop_map(|t| format!("Text {t} *em* **strong** `code` [a](#duplicate)")),
        1 => Just(String::new()),
        1 => (0usize..4, heading_text()).prop_map(|(n, t)| format!("{}- {t}", "  ".repeat(n))),
        1 => (1usize..5).prop_map(|n| format!("{}quote", "> ".repeat(n))),
        1 => heading_text().prop_map(|t| format!("> # {t}")),
        1 => Just("a | b\n--- | ---\n1 | 2".to_string()),
        1 => Just("```\nplain code\n```".to_string()),
        1 => Just("```json\n{\"a\": 1}\n```".to_string()),
        1 => Just("    indented".to_string()),
        1 => Just("1) paren".to_string()),
        1 => Just("* * *".to_string()),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 0..40).prop_map(|blocks| blocks.join("\n") + "\n")
}

/// The TOC and the search index step over code blocks instead of reading their HTML:
/// the result must be what reading every tag of the body gives.
fn check_code_skipping(page: &shale::page::RenderedPage) -> Result<(), TestCaseError> {
    prop_assert_eq!(&page.toc, &shale::toc::from_html(&page.body));
    prop_assert_eq!(
        shale::search::index_js_with(&page.body, &page.code),
        shale::search::index_js(&page.body)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ids_are_unique_and_the_toc_resolves(md in markdown()) {
        let page = shale::page::render_markdown(&md).expect("no front matter, no error");
        check_ids(&page.body, &page.toc)?;
        check_code_skipping(&page)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Ok(page) = shale::page::render_markdown(&text) {
            check_search_index(&page.body)?;
        }
    }

    #[test]
    fn arbitrary_front_matter_never_panics(yaml in "[a-z_:\\[\\]{}\\-'\" \n&*!|>#0-9]{0,80}", body in markdown()) {
        let _ = shale::page::render_markdown(&format!("---\n{yaml}\n---\n{body}"));
    }

    #[test]
    fn markdown_like_noise_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                Just("#"), Just("- "), Just("> "), Just("1. "), Just("```"), Just("~~~"),
                Just("|"), Just("---"), Just("<div>"), Just("</div>"), Just("<!--"), Just("-->"),
                Just("*"), Just("_"), Just("`"), Just("["), Just("]("), Just(")"), Just("!"),
                Just("&amp;"), Just("&#"), Just("\n"), Just("\n\n"), Just("    "), Just("\t"),
                Just("é"), Just("日"), Just("\u{200b}"), Just("a"), Just(" "), Just("<h2 id='x'>"),
                Just("</h2>"), Just("<aside>"), Just("<script>"), Just("</script>"),
            ],
            0..120,
        )
    ) {
        let text: String = parts.concat();
        let page = shale::page::render_markdown(&text).expect("no front matter");
        // Raw HTML may repeat ids, but the TOC must still link to existing ones.
        let counts = id_counts(&page.body);
        fn walk(entries: &[TocEntry], counts: &HashMap<String, usize>) -> bool {
            entries.iter().all(|e| (e.id.is_empty() || counts.contains_key(&e.id)) && walk(&e.children, counts))
        }
        prop_assert!(walk(&page.toc, &counts));
        check_search_index(&page.body)?;
        check_code_skipping(&page)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// A page and its includes: Slate's counter restarts in every file, shale's ids stay
    /// unique over the whole page.
    #[test]
    fn ids_are_unique_across_includes(page in markdown(), includes in prop::collection::vec(markdown(), 1..4)) {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("source");
        std::fs::create_dir_all(src.join("includes")).unwrap();
        let mut front = String::from("---\nincludes:\n");
        for (i, inc) in includes.iter().enumerate() {
            front.push_str(&format!("  - part{i}\n"));
            std::fs::write(src.join(format!("includes/_part{i}.md")), inc).unwrap();
        }
        front.push_str("---\n");
        std::fs::write(src.join("index.html.md"), front + &page).unwrap();
        let opts = shale::BuildOptions { source: src, ..Default::default() };
        let (site, _) = shale::site::build_in_memory(&opts, None).expect("builds");
        let html = String::from_utf8(site.files["index.html"].clone()).unwrap();
        let start = html.find("class=\"content\"").expect("content column");
        let end = html.rfind("</main>").expect("end of content");
        let body = &html[start..end];
        let toc = shale::toc::from_html(body);
        check_ids(body, &toc)?;
    }
}

/// Pieces of ERB, well formed or not.
fn erb_noise() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<%"),
            Just("%>"),
            Just("<%="),
            Just("<%=="),
            Just("<%-"),
            Just("-%>"),
            Just("<%#"),
            Just("<%%"),
            Just("=%>"),
            Just(" t(:a) "),
            Just(" t('b.c') "),
            Just(" image_tag 'x.png', alt: 'y' "),
            Just(" link_to 'a', '/b' "),
            Just(" link_to 'u' do "),
            Just(" end "),
            Just(" partial 'p' "),
            Just(" current_page.data.title "),
            Just(" || "),
            Just("\""),
            Just("'"),
            Just("("),
            Just(")"),
            Just("["),
            Just("{"),
            Just(":"),
            Just(","),
            Just("#{"),
            Just("\n"),
            Just("  "),
            Just("`"),
            Just("```\n"),
            Just("日"),
            Just("a"),
        ],
        0..60,
    )
    .prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// ERB pages and `t(:key)` in prose: an error or a text, never a panic; every line
    /// of the output points to a line of the file.
    #[test]
    fn erb_never_panics_and_lines_stay_in_the_file(text in erb_noise()) {
        let src = shale::source::Source::default();
        let mut strings = shale::i18n::Strings::default();
        strings.add("en:\n  a: A\n  b:\n    c: \"C\\nD\"\n", "locales/en.yml").unwrap();
        let data = serde_json::json!({"title": "T"}).as_object().unwrap().clone();
        let env = shale::erb::Env {
            src: &src,
            page_rel: "index.html.md.erb",
            lang: Some("en"),
            strings: &strings,
            resolver: &shale::markdown::KeepUrls,
            data: &data,
        };
        let file = shale::erb::File { label: "index.html.md.erb", text: &text, first_line: 3 };
        let last = 3 + text.matches('\n').count();
        let mut w = Vec::new();
        if let Ok(segments) = shale::erb::expand(file, &env, &mut w) {
            for s in segments {
                if let shale::erb::Segment::Text(t) = s {
                    prop_assert_eq!(t.lines.len(), t.text.split_inclusive('\n').count());
                    prop_assert!(t.lines.iter().all(|l| (3..=last).contains(l)), "{:?}", t.lines);
                    prop_assert!(t.lines.windows(2).all(|p| p[0] <= p[1]), "{:?}", t.lines);
                }
            }
        }
        if let Some(t) = shale::erb::translate(file, &env, &mut w) {
            prop_assert_eq!(t.lines.len(), t.text.split_inclusive('\n').count());
            prop_assert!(t.lines.iter().all(|l| (3..=last).contains(l)), "{:?}", t.lines);
        }
        prop_assert!(w.iter().all(|d| (3..=last).contains(&d.line)), "{:?}", w);
    }
}
