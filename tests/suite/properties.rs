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
use shale::page::toc::TocEntry;
use shale::util::html_scan;

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
    let js = shale::emit::search::index_js(body);
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
    prop_assert_eq!(&page.toc, &shale::page::toc::from_html(&page.body));
    prop_assert_eq!(
        shale::emit::search::index_js_with(&page.body, &page.code),
        shale::emit::search::index_js(&page.body)
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
        let (site, _) = shale::build::build_in_memory(&opts, None).expect("builds");
        let html = String::from_utf8(site.files["index.html"].clone()).unwrap();
        let start = html.find("class=\"content\"").expect("content column");
        let end = html.rfind("</main>").expect("end of content");
        let body = &html[start..end];
        let toc = shale::page::toc::from_html(body);
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
        let src = shale::load::source::Source::default();
        let mut strings = shale::load::i18n::Strings::default();
        strings.add("en:\n  a: A\n  b:\n    c: \"C\\nD\"\n", "locales/en.yml").unwrap();
        let data = serde_json::json!({"title": "T"}).as_object().unwrap().clone();
        let env = shale::load::erb::Env {
            src: &src,
            page_rel: "index.html.md.erb",
            lang: Some("en"),
            strings: &strings,
            resolver: &shale::util::url::KeepUrls,
            data: &data,
        };
        let file = shale::load::erb::File { label: "index.html.md.erb", text: &text, first_line: 3 };
        let last = 3 + text.matches('\n').count();
        let mut w = Vec::new();
        if let Ok(segments) = shale::load::erb::expand(file, &env, &mut w) {
            for s in segments {
                if let shale::load::erb::Segment::Text(t) = s {
                    prop_assert_eq!(t.lines.len(), t.text.split_inclusive('\n').count());
                    prop_assert!(t.lines.iter().all(|l| (3..=last).contains(l)), "{:?}", t.lines);
                    prop_assert!(t.lines.windows(2).all(|p| p[0] <= p[1]), "{:?}", t.lines);
                }
            }
        }
        if let Some(t) = shale::load::erb::translate(file, &env, &mut w) {
            prop_assert_eq!(t.lines.len(), t.text.split_inclusive('\n').count());
            prop_assert!(t.lines.iter().all(|l| (3..=last).contains(l)), "{:?}", t.lines);
        }
        prop_assert!(w.iter().all(|d| (3..=last).contains(&d.at.line)), "{:?}", w);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// `shale serve` renders by the part: after an edit to one include, the pages that
    /// read it are assembled again from the edited include and the others' kept pieces,
    /// and the whole site (pages, search indexes, `toc.json`, `search-index.json`) and
    /// its warnings are those a full build gives.
    #[test]
    fn an_include_edited_gives_what_a_full_build_gives(
        page in markdown(),
        includes in prop::collection::vec(markdown(), 2..5),
        other in markdown(),
        edited in any::<prop::sample::Index>(),
        new_text in markdown(),
    ) {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("source");
        std::fs::create_dir_all(src.join("includes")).unwrap();
        let mut front = String::from("---\nsearch: true\nincludes:\n");
        for (i, inc) in includes.iter().enumerate() {
            front.push_str(&format!("  - part{i}\n"));
            std::fs::write(src.join(format!("includes/_part{i}.md")), inc).unwrap();
        }
        front.push_str("---\n");
        std::fs::write(src.join("index.html.md"), front + &page).unwrap();
        // A second page reads the last include only.
        let last = includes.len() - 1;
        std::fs::write(
            src.join("other.html.md"),
            format!("---\nincludes:\n  - part{last}\n---\n{other}"),
        )
        .unwrap();
        let opts = shale::BuildOptions { source: src.clone(), ..Default::default() };
        let cache = shale::build::Cache::new();
        cache.begin_build();
        let (mut preview, _) = shale::build::Preview::build(&opts, Some(&cache)).expect("builds");

        let k = edited.index(includes.len());
        let path = src.canonicalize().unwrap().join(format!("includes/_part{k}.md"));
        std::fs::write(&path, &new_text).unwrap();
        cache.begin_build();
        let summary = preview
            .update(std::slice::from_ref(&path), Some(&cache))
            .expect("an include edit is rendered by the part")
            .expect("builds");

        let (full, want) = shale::build::build_in_memory(&opts, None).expect("builds");
        let got: Vec<(&String, &[u8])> =
            preview.files().iter().map(|(k, v)| (k, v.as_slice())).collect();
        let full: Vec<(&String, &[u8])> =
            full.files.iter().map(|(k, v)| (k, v.as_slice())).collect();
        prop_assert_eq!(got.len(), full.len());
        for ((a, x), (b, y)) in got.iter().zip(&full) {
            prop_assert_eq!(a, b);
            prop_assert!(x == y, "{} differs from a full build", a);
        }
        prop_assert_eq!(&summary.warnings, &want.warnings);
        prop_assert_eq!((summary.pages, summary.files), (want.pages, want.files));
    }
}

/// Markdown, or raw HTML that may leave a comment, tag, heading or script open at the
/// end of its part.
fn part_text() -> impl Strategy<Value = String> {
    let raw = prop::collection::vec(
        prop_oneof![
            Just("<div>"),
            Just("</div>"),
            Just("<!-- a comment"),
            Just("-->"),
            Just("<h2 id='raw'>Raw"),
            Just("</h2>"),
            Just("<script>x"),
            Just("</script>"),
            Just("<b"),
            Just(">"),
            Just("AT&"),
            Just("amp; T"),
            Just("&nbsp;"),
            Just(" "),
            Just("\n"),
            Just("\n\n"),
            Just("text"),
            Just("# Heading\n"),
        ],
        0..12,
    )
    .prop_map(|v| v.concat());
    prop_oneof![3 => markdown(), 1 => raw]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// The search index read part by part (as `shale serve` does, each include's part
    /// kept) is the one read from the whole body, and so is the index built from the
    /// kept terms of each text.
    #[test]
    fn sections_read_by_part_are_those_of_the_whole_body(texts in prop::collection::vec(part_text(), 1..6)) {
        use shale::emit::search;
        let read = shale::page::ReadPage {
            front: Default::default(),
            pieces: texts
                .iter()
                .enumerate()
                .map(|(i, t)| shale::page::Piece::plain(format!("p{i}.md"), t.clone(), 1))
                .collect(),
            warnings: Vec::new(),
            inputs: Vec::new(),
        };
        let page = shale::page::assemble::assemble(read, &shale::util::url::KeepUrls, None);
        let (body, code) = (&page.body, &page.code);
        let parts: Vec<_> = page.pieces.iter().map(|(_, r)| r.clone()).collect();
        let whole = search::sections_skipping(body, &code.ranges, &code.block);
        let cache = search::SearchCache::new();
        let pages = shale::page::Cache::new();
        for _ in 0..2 {
            cache.begin_build();
            pages.begin_build();
            let by_part = search::sections_by_part(body, code, &parts, &cache);
            prop_assert_eq!(&by_part, &whole);
            let cached = search::index_cached(&by_part, &code.texts, &cache).to_js();
            prop_assert_eq!(cached, search::index(&whole, &code.texts).to_js());
            prop_assert_eq!(
                pages.headings(body, code, &parts),
                shale::util::html_scan::headings_skipping(body, &code.ranges)
            );
        }
    }
}

/// Raw HTML as any part of a body may end or start: inline and block tags, headings,
/// comments, entities, white space.
fn html_part() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<p>"),
            Just("</p>"),
            Just("<h1 id='a'>"),
            Just("<h2 id=\"b\">"),
            Just("</h1>"),
            Just("</h2>"),
            Just("<b>"),
            Just("</b>"),
            Just("<!-- c -->"),
            Just("<!--"),
            Just("<script>x</script>"),
            Just("<script>"),
            Just("&amp;"),
            Just("&"),
            Just("<i"),
            Just(" "),
            Just("\n"),
            Just("word"),
            Just("more"),
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Sections read part by part equal those read at once, wherever the parts split
    /// the body (here not only at the ends of rendered files).
    #[test]
    fn sections_read_by_any_parts_are_those_of_the_whole(texts in prop::collection::vec(html_part(), 1..6)) {
        use shale::emit::search;
        let body = texts.concat();
        let mut parts = Vec::new();
        let mut at = 0;
        for t in &texts {
            parts.push(at..at + t.len());
            at += t.len();
        }
        let code = shale::util::html_scan::CodeSpans::default();
        let cache = search::SearchCache::new();
        prop_assert_eq!(
            search::sections_by_part(&body, &code, &parts, &cache),
            search::sections(&body)
        );
        let pages = shale::page::Cache::new();
        prop_assert_eq!(
            pages.headings(&body, &code, &parts),
            shale::util::html_scan::headings(&body)
        );
    }
}
