//! Nothing an author writes in front matter or heading text breaks out of an attribute,
//! `<title>`, a `<script>` or the search index's JSON. Raw HTML in markdown passes
//! through unchanged, as in Slate (see docs/writing.md), so these pages use none.
//!
//! The check builds the same page twice, once with hostile text and once with plain
//! letters in the same places, and requires the same document structure: the same tags
//! with the same attribute names, in the same order. Escaping that failed anywhere
//! would add a tag or an attribute. Then the hostile values must read back intact.

use std::path::Path;
use std::process::Command;

use shale::util::html_scan;

/// Quotes of both kinds, tags that end an element or a script, a comment opener, an
/// entity, a JSON string end, a line separator.
const HOSTILE: &str = "\"'><script>alert(1)</script><!--&amp;</title></textarea>\\\"}]\u{2028}";
/// The same for heading text, less what markdown itself reads (backslash escapes,
/// entities, whitespace).
const HOSTILE_HEADING: &str = "\"'><script>alert(1)</script><!--&</title></textarea>}]";

/// The page, with `p` in every place of the front matter and `h` in its headings.
fn page(p: &str, h: &str) -> String {
    // A YAML double-quoted scalar, with its escapes (U+2028 is a line break to YAML).
    let inner = p
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\u{2028}', "\\u2028");
    let y = format!("\"{inner}\"");
    let yx = format!("\"x{inner}\"");
    // In markdown heading text, `<` would start raw HTML: it is written as an entity.
    let m = h.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "---\n\
         title: {y}\n\
         language_tabs:\n  - shell: {y}\n  - {y}\n  - {yx}: {y}\n\
         toc_footers:\n  - plain footer\n\
         search: true\n\
         code_clipboard: true\n\
         meta:\n  - name: description\n    content: {y}\n  - property: 'og:title'\n    content: {y}\n\
         version: {y}\n\
         ---\n\
         # Heading {m}\n\n\
         Text.\n\n\
         ## Quote \" and ' and `</script>` and `<!--`\n\n\
         ```shell\ncurl '{HOSTILE}'\n```\n\n\
         ## Code `{h}`\n\n\
         Text [link](#heading).\n"
    )
}

struct Built {
    html: String,
    index: String,
}

fn build(payload: &str, heading: &str) -> Built {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("source");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("index.html.md"), page(payload, heading)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(d.path())
        .args(["build", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    Built {
        html: read(&d.path().join("build/index.html")),
        index: read(&d.path().join("build/index.search.js")),
    }
}

/// The document's structure: every tag, with its attribute names in order.
fn skeleton(html: &str) -> Vec<String> {
    html_scan::tags(html)
        .map(|t| {
            let mut s = format!("{}{}", if t.closing { "/" } else { "" }, t.name);
            for name in attribute_names(t.attrs) {
                s.push(' ');
                s.push_str(&name);
            }
            s
        })
        .collect()
}

/// Attribute names of a tag's attribute text, honouring quoted values.
fn attribute_names(attrs: &str) -> Vec<String> {
    let b = attrs.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        if i > start {
            names.push(attrs[start..i].to_ascii_lowercase());
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            } else {
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
        }
    }
    names
}

/// The plain-letter stand-in for `p`, of the same length in characters.
fn plain(p: &str) -> String {
    p.chars().map(|_| 'x').collect()
}

#[test]
fn hostile_text_keeps_the_document_structure() {
    let hostile = build(HOSTILE, HOSTILE_HEADING);
    let benign = build(&plain(HOSTILE), &plain(HOSTILE_HEADING));
    let (h, b) = (skeleton(&hostile.html), skeleton(&benign.html));
    if h != b {
        let at = h
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(h.len().min(b.len()));
        panic!(
            "the structure differs at tag {at}: hostile {:?}, plain {:?}",
            &h[at.saturating_sub(2)..(at + 3).min(h.len())],
            &b[at.saturating_sub(2)..(at + 3).min(b.len())]
        );
    }
}

#[test]
fn hostile_text_reads_back_intact() {
    let page = build(HOSTILE, HOSTILE_HEADING).html;
    let decode = |s: &str| html_scan::decode(s);

    // <title>: one element, no tag inside, the title as written.
    let start = page.find("<title>").unwrap() + "<title>".len();
    let end = page.find("</title>").unwrap();
    assert_eq!(page.matches("<title>").count(), 1);
    assert!(!page[start..end].contains('<'), "{}", &page[start..end]);
    assert_eq!(decode(&page[start..end]), HOSTILE);

    // Every attribute value that carries the payload reads back as the payload.
    let mut seen = 0;
    for t in html_scan::tags(&page) {
        for name in [
            "content",
            "data-language-name",
            "data-title",
            "data-languages",
        ] {
            if let Some(v) = html_scan::attr(t.attrs, name) {
                let v = decode(v);
                if v.contains("alert(1)") {
                    seen += 1;
                    assert!(
                        v.contains(HOSTILE) || name == "data-languages" || name == "data-title",
                        "{name}={v:?}"
                    );
                }
            }
        }
    }
    assert!(
        seen >= 6,
        "the payload is in meta, tabs and data-languages ({seen})"
    );

    // data-languages is a JSON array of the tab keys.
    let body = html_scan::tags(&page).find(|t| t.is("body")).unwrap();
    let langs: Vec<String> = serde_json::from_str(&decode(
        html_scan::attr(body.attrs, "data-languages").unwrap(),
    ))
    .unwrap();
    assert_eq!(
        langs,
        ["shell".to_string(), HOSTILE.into(), format!("x{HOSTILE}")]
    );

    // The TOC's data-title: the heading's text.
    let titles: Vec<String> = html_scan::tags(&page)
        .filter_map(|t| html_scan::attr(t.attrs, "data-title").map(decode))
        .collect();
    assert!(
        titles.contains(&format!("Heading {HOSTILE_HEADING}")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&format!("Code {HOSTILE_HEADING}")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Quote \" and ' and </script> and <!--".to_string()),
        "{titles:?}"
    );

    // No script element but the layout's own, and none left open.
    let benign = build(&plain(HOSTILE), &plain(HOSTILE_HEADING)).html;
    assert_eq!(
        page.matches("<script").count(),
        benign.matches("<script").count()
    );
    assert_eq!(page.matches("<!--").count(), benign.matches("<!--").count());
}

#[test]
fn search_index_is_json_that_cannot_end_a_script() {
    let index = build(HOSTILE, HOSTILE_HEADING).index;
    let json = index
        .strip_prefix("window.shaleSearchIndex=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("one assignment");
    for bad in ["<", ">", "\u{2028}", "<!--", "</script"] {
        assert!(!json.contains(bad), "the index holds {bad:?}");
    }
    let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    let titles: Vec<&str> = v["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&format!("Heading {HOSTILE_HEADING}").as_str()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&format!("Code {HOSTILE_HEADING}").as_str()),
        "{titles:?}"
    );
}

#[test]
fn meta_attribute_names_cannot_add_attributes() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("source")).unwrap();
    std::fs::write(
        d.path().join("source/index.html.md"),
        "---\nmeta:\n  - 'name=x onload': y\n---\n# Hi\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(d.path())
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("is not an HTML attribute name"), "{err}");
}

#[test]
fn language_names_cannot_add_tags_or_attributes() {
    // `language_name` is shown in the switcher of every page of the site.
    let build_i18n = |name: &str| {
        let d = tempfile::tempdir().unwrap();
        let loc = d.path().join("source/localizable");
        std::fs::create_dir_all(&loc).unwrap();
        let inner = name
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\u{2028}', "\\u2028");
        std::fs::write(loc.join("index.en.html.md"), "# English\n").unwrap();
        std::fs::write(
            loc.join("index.pt.html.md"),
            format!("---\nlanguage_name: \"{inner}\"\n---\n# Português\n"),
        )
        .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_shale"))
            .current_dir(d.path())
            .args(["build", "-q"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(d.path().join("build/index.html")).unwrap()
    };
    let hostile = build_i18n(HOSTILE);
    let benign = build_i18n(&plain(HOSTILE));
    assert_eq!(skeleton(&hostile), skeleton(&benign));
    let open = "hreflang=\"pt\" lang=\"pt\">";
    let at = hostile.find(open).unwrap() + open.len();
    let text = &hostile[at..at + hostile[at..].find("</a>").unwrap()];
    // (surrounding white space, U+2028 included, is trimmed)
    assert_eq!(html_escape::decode_html_entities(text), HOSTILE.trim());
}
