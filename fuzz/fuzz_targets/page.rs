//! The page pipeline on arbitrary text: front matter, the markdown (the port of
//! redcarpet), heading ids, the TOC and highlighting. Besides not panicking,
//! every heading id shale writes must be unique on the page (checked on input without
//! raw HTML, which may repeat its own ids) and every TOC entry must link to an id of
//! the page.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use shale::util::html_scan;
use shale::page::toc::TocEntry;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(page) = shale::page::render_markdown(text) else {
        return; // front matter errors are reported, not rendered
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in html_scan::tags(&page.body) {
        if !t.closing {
            if let Some(id) = html_scan::attr(t.attrs, "id") {
                *counts.entry(html_scan::decode(id)).or_default() += 1;
            }
        }
    }
    // Without raw HTML, every id is one shale wrote (raw HTML may repeat its own ids).
    if !text.contains('<') {
        for (id, n) in &counts {
            assert_eq!(*n, 1, "id `{id}` written {n} times");
        }
    }
    fn walk(entries: &[TocEntry], counts: &HashMap<String, usize>) {
        for e in entries {
            assert!(
                e.id.is_empty() || counts.contains_key(&e.id),
                "TOC links to `#{}`, which no element has",
                e.id
            );
            walk(&e.children, counts);
        }
    }
    walk(&page.toc, &counts);
});
