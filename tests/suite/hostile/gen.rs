//! Generators of hostile and huge sources for `tests/suite/hostile.rs`: each returns the files
//! of a project (paths relative to the project folder) and is deterministic, so a
//! failure can be reproduced by writing the same files.

/// A source folder: `(path, bytes)` pairs, paths relative to the project.
pub type Files = Vec<(String, Vec<u8>)>;

fn page(body: impl Into<Vec<u8>>) -> Files {
    vec![("source/index.html.md".to_string(), body.into())]
}

/// Realistic documentation, repeated until it is `bytes` long: front matter with tabs,
/// then sections with distinct headings, prose with links and emphasis, a table, an
/// aside and code blocks in three languages (a few distinct ones, as real pages repeat
/// their examples).
pub fn big_page(bytes: usize) -> Files {
    let mut s = String::with_capacity(bytes + 4096);
    s.push_str(
        "---\ntitle: Big\nlanguage_tabs:\n  - shell\n  - ruby\n  - python\nsearch: true\n---\n\n",
    );
    let mut i = 0usize;
    while s.len() < bytes {
        let n = i % 7;
        s.push_str(&format!(
            "# Resource {i}\n\nThe **resource {i}** endpoint returns a [list](#resource-{i}) of \
             items for the account, with *pagination* and `filters`.\n\n\
             ## Get resource {i}\n\n\
             ```shell\ncurl \"https://api.example.com/v1/resources/{n}\" -H \"Authorization: key\"\n```\n\n\
             ```ruby\nrequire 'kittn'\napi = Kittn::APIClient.authorize!('meowmeowmeow')\napi.kittens.get({n})\n```\n\n\
             ```python\nimport kittn\napi = kittn.authorize('meowmeowmeow')\napi.kittens.get({n})\n```\n\n\
             Parameter | Default | Description\n--------- | ------- | -----------\nid | none | The id {i}\nlimit | 20 | At most `limit` items\n\n\
             <aside class=\"notice\">Remember: resource {i} needs a key.</aside>\n\n"
        ));
        i += 1;
    }
    page(s)
}

/// `depth` blockquote markers on one line, written `>>>…` and `> > …`.
pub fn deep_blockquotes(depth: usize) -> Files {
    page(format!(
        "# Quotes\n\n{} deep\n\n{} deeper\n",
        ">".repeat(depth),
        "> ".repeat(depth)
    ))
}

/// `depth` list markers on one line (`- - - … x` and `1. 1. … x`), then a nest built
/// line by line with indentation as deep as `indented` levels.
pub fn deep_lists(depth: usize, indented: usize) -> Files {
    let mut s = format!(
        "# Lists\n\n{}x\n\n{}y\n\n",
        "- ".repeat(depth),
        "1. ".repeat(depth)
    );
    for level in 0..indented {
        s.push_str(&"  ".repeat(level));
        s.push_str("- item\n");
    }
    page(s)
}

/// `lines` lines, line `i` being `- ` repeated `i` times and `x`: without a cap on
/// nesting, a list tree of lines²/2 items.
pub fn list_staircase(lines: usize) -> Files {
    let mut s = String::from("# Staircase\n\n");
    for i in 1..=lines {
        s.push_str(&"- ".repeat(i));
        s.push_str("x\n");
    }
    page(s)
}

/// One line of `bytes` bytes: words with emphasis, code spans and links, no newline.
pub fn long_line(bytes: usize) -> Files {
    let mut s = String::with_capacity(bytes + 64);
    s.push_str("# One line\n\n");
    let mut i = 0usize;
    while s.len() < bytes {
        s.push_str(&format!("word{i} *em* `code` [l](#one-line) & more "));
        i += 1;
    }
    page(s)
}

/// `n` distinct headings `# Heading N`, nothing else.
pub fn headings(n: usize) -> Files {
    let mut s = String::with_capacity(n * 16);
    for i in 0..n {
        s.push_str(&format!("# Heading {i}\n"));
    }
    page(s)
}

/// `n` headings with the same text (every id but the first gets a suffix).
pub fn same_headings(n: usize) -> Files {
    page("## Same\n".repeat(n))
}

/// A page listing `n` includes, each a small section of its own.
pub fn many_includes(n: usize) -> Files {
    let mut front = String::from("---\nincludes:\n");
    let mut files = Vec::with_capacity(n + 1);
    for i in 0..n {
        front.push_str(&format!("  - part{i}\n"));
        files.push((
            format!("source/includes/_part{i}.md"),
            format!("## Part {i}\n\nText of part {i}.\n").into_bytes(),
        ));
    }
    front.push_str("---\n# Many includes\n");
    files.push(("source/index.html.md".to_string(), front.into_bytes()));
    files
}

/// A page whose `includes` lists one include `times` times.
pub fn repeated_include(times: usize) -> Files {
    let mut front = String::from("---\nincludes:\n");
    for _ in 0..times {
        front.push_str("  - same\n");
    }
    front.push_str("---\n# Repeated\n");
    vec![
        ("source/index.html.md".to_string(), front.into_bytes()),
        (
            "source/includes/_same.md".to_string(),
            b"## Same\n\nSame text.\n".to_vec(),
        ),
    ]
}

/// A page under `includes/` that lists itself as an include, beside a normal page.
pub fn self_include() -> Files {
    vec![
        ("source/index.html.md".to_string(), b"# Home\n".to_vec()),
        (
            "source/includes/self.html.md".to_string(),
            b"---\nincludes:\n  - self.html\n---\n# Self\n".to_vec(),
        ),
    ]
}

/// `depth` nested `<div>`s of raw HTML, one per line, and the same nest on one line.
pub fn deep_html(depth: usize) -> Files {
    let mut s = String::from("# Raw\n\n");
    for _ in 0..depth {
        s.push_str("<div>\n");
    }
    s.push_str("<h2 id=\"deep\">Deep</h2>\n");
    for _ in 0..depth {
        s.push_str("</div>\n");
    }
    s.push_str("\n<div>");
    s.push_str(&"<span>".repeat(depth));
    s.push('x');
    s.push_str(&"</span>".repeat(depth));
    s.push_str("</div>\n\nAfter [deep](#deep).\n");
    page(s)
}

/// Inline constructs known to be slow in markdown parsers (cmark's pathological tests):
/// nested brackets, emphasis openers, backticks, link reference runs, `n` of each.
pub fn pathological_inlines(n: usize) -> Files {
    let mut s = String::from("# Inlines\n\n");
    for part in [
        "[".repeat(n) + "a" + &"]".repeat(n),
        "*a **a ".repeat(n / 4),
        "a_".repeat(n),
        "`a``".repeat(n / 2),
        "[a](b".repeat(n / 2),
        "<a href=\"".repeat(n / 4),
        "![[]()".repeat(n / 4),
        "&#".repeat(n),
        "~~a".repeat(n),
        "|".repeat(n),
    ] {
        s.push_str(&part);
        s.push_str("\n\n");
    }
    page(s)
}

/// Binary data (with NUL bytes and invalid UTF-8) in a page, or in an include.
pub fn binary(place: &str, bytes: usize) -> Files {
    let mut data = Vec::with_capacity(bytes);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..bytes {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.push((x >> 24) as u8);
    }
    match place {
        "page" => page(data),
        "include" => vec![
            (
                "source/index.html.md".to_string(),
                b"---\nincludes:\n  - blob\n---\n# Home\n".to_vec(),
            ),
            ("source/includes/_blob.md".to_string(), data),
        ],
        // Not a page or an include: never read as markdown, copied as it is.
        _ => vec![
            ("source/index.html.md".to_string(), b"# Home\n".to_vec()),
            ("source/notes/blob.md".to_string(), data.clone()),
            ("source/images/blob.html.png".to_string(), data),
        ],
    }
}

/// YAML built to explode: aliases of aliases (billion laughs) and a deep nest of lists.
pub fn yaml_bomb(kind: &str) -> Files {
    let yaml = match kind {
        "aliases" => {
            let mut y = String::from("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
            for i in 1..10 {
                let prev = format!("*a{}", i - 1);
                y.push_str(&format!(
                    "a{i}: &a{i} [{}]\n",
                    [prev.as_str(); 9].join(", ")
                ));
            }
            y
        }
        _ => format!("deep: {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
    };
    page(format!("---\n{yaml}---\n# Bomb\n"))
}

/// A code block of `lines` lines and one with a single line of `line_bytes` bytes.
pub fn big_code(lines: usize, line_bytes: usize) -> Files {
    let mut s = String::from("---\nlanguage_tabs:\n  - javascript\n---\n# Code\n\n```javascript\n");
    for i in 0..lines {
        s.push_str(&format!(
            "const value{i} = compute({i}, \"text {i}\"); // note\n"
        ));
    }
    s.push_str("```\n\n```javascript\nvar s = \"");
    s.push_str(&"ab(".repeat(line_bytes / 3));
    s.push_str("\";\n```\n");
    page(s)
}

/// Lines on which JavaScript's and TypeScript's grammars rescan the rest of the line at
/// every position: a base64 string (one long word), a long identifier and a minified
/// object literal, each `bytes` long.
pub fn long_js_lines(bytes: usize) -> Files {
    let word: String = (0..bytes)
        .map(|i| char::from(b"UmVjZWl2ZWQ6IGZyb20"[i % 19]))
        .collect();
    let mut object = String::from("[");
    while object.len() < bytes {
        object.push_str(&format!("{{\"id\":{},\"name\":\"kitten\"}},", object.len()));
    }
    object.push_str("{}]");
    let mut s = String::from("---\nlanguage_tabs:\n  - javascript\n---\n# Code\n\n");
    for lang in ["javascript", "typescript"] {
        s.push_str(&format!(
            "```{lang}\nconst body = {{\n  \"payload\": \"{word}\"\n}};\nlet {word} = 1;\nconst all = {object};\n```\n\n"
        ));
    }
    page(s)
}

/// An ERB page of `n` sections, each with Middleman helpers (`current_page.data`,
/// `image_tag` with options, `link_to`, a comment, `t(:key)` from locales/), and a
/// partial included once per section.
pub fn erb_page(n: usize) -> Files {
    let mut s = String::from("---\ntitle: Many\n---\n");
    for i in 0..n {
        s.push_str(&format!(
            "<%# section {i} %>\n# <%= current_page.data.title %> {i}\n\n<%= image_tag \"images/a.png\", alt: \"Shot {i}\", width: 10 %> \
             <%= link_to \"next\", \"#many-{}\", class: \"n\" %> <%= t(:hello) %>\n\n<%= partial \"includes/same\" %>\n\n",
            i + 1
        ));
    }
    vec![
        ("source/index.html.md.erb".to_string(), s.into_bytes()),
        (
            "source/includes/_same.md".to_string(),
            b"## Same\n\nText.\n".to_vec(),
        ),
        ("source/images/a.png".to_string(), b"PNG".to_vec()),
        (
            "locales/en.yml".to_string(),
            b"en:\n  hello: Hello\n".to_vec(),
        ),
    ]
}

/// ERB that a template reader must refuse or pass without running out of stack or
/// time: `kind` is `nesting` (an expression nested `n` deep) or `unclosed` (`n` times
/// `<%=` in prose, backtick runs of every length, and no `%>`).
pub fn erb_hostile(kind: &str, n: usize) -> Files {
    match kind {
        "nesting" => vec![(
            "source/index.html.md.erb".to_string(),
            format!("# Deep\n\n<%= {}1{} %>\n", "[".repeat(n), "]".repeat(n)).into_bytes(),
        )],
        _ => {
            let mut s = String::from("# Prose\n\n");
            for i in 0..n {
                s.push_str(&"`".repeat(i % 300 + 1));
                s.push_str(" <%= t(:x) ");
            }
            page(s)
        }
    }
}
