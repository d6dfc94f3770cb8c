//! The HTML shale's markdown stage gives for each markdown file, as
//! `scripts/redcarpet-html.rb` writes redcarpet's: headings with Slate's ids, code blocks
//! as `<pre lang="LANG">CODE</pre>`, URLs kept as written.
//!
//! usage: cargo run --example markdown_html FILE.md...   (writes FILE.md.shale.html)

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: markdown_html FILE.md...");
        std::process::exit(2);
    }
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        let html = shale::markdown::harness_html(&text);
        if let Err(e) = std::fs::write(format!("{path}.shale.html"), html) {
            eprintln!("{path}.shale.html: {e}");
            std::process::exit(1);
        }
    }
}
