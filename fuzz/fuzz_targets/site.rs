//! A whole build, in memory, of a small source folder made from the input: the bytes
//! up to the first 0xFF (never part of UTF-8 text) are `index.html.md`, each later
//! chunk an include `includes/_iN.md` that the page lists (unless the page has its own
//! front matter). Files need not be UTF-8: reading errors are part of what is fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let chunks: Vec<&[u8]> = data.split(|&b| b == 0xFF).take(8).collect();
    let Ok(dir) = tempfile::tempdir() else { return };
    let src = dir.path().join("source");
    if std::fs::create_dir_all(src.join("includes")).is_err()
        || std::fs::create_dir_all(src.join("images")).is_err()
        || std::fs::write(src.join("images/logo.png"), b"PNG").is_err()
    {
        return;
    }
    let mut page = Vec::new();
    if chunks.len() > 1 && !chunks[0].starts_with(b"---") {
        page.extend_from_slice(b"---\nincludes:\n");
        for i in 1..chunks.len() {
            page.extend_from_slice(format!("  - i{i}\n").as_bytes());
        }
        page.extend_from_slice(b"---\n");
    }
    page.extend_from_slice(chunks[0]);
    if std::fs::write(src.join("index.html.md"), &page).is_err() {
        return;
    }
    for (i, c) in chunks.iter().enumerate().skip(1) {
        if std::fs::write(src.join(format!("includes/_i{i}.md")), c).is_err() {
            return;
        }
    }
    let opts = shale::BuildOptions {
        source: src,
        output: dir.path().join("build"),
        ..Default::default()
    };
    let _ = shale::build::build_in_memory(&opts, None);
});
