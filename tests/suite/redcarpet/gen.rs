//! Random markdown for the differential test against redcarpet (`tests/redcarpet.rs`):
//! documents dense in the constructs where redcarpet differs from other parsers and in
//! their neighbours (emphasis next to letters, digits, punctuation, CJK and line edges;
//! code spans; links broken across lines; tables; headings after spaces; lists;
//! blockquotes; raw HTML; entities; escapes). Deterministic for a seed.

/// xorshift64*: small, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "api",
    "token",
    "user",
    "bar",
    "Taker",
    "foo",
    "the",
    "a",
    "of",
    "id",
    "42",
    "7",
    "v2",
    "是",
    "时间戳",
    "日本語",
    "é",
    "ñandú",
    "Привет",
    "x",
    "you",
    "in",
    "created",
    "s",
    "snake_case",
    "foo*bar",
    "1.5",
    "e.g.",
    "it's",
    "\"q\"",
    "(p)",
    "a/b",
    "x:y",
    "-",
];

const PUNCT: &[&str] = &[
    ".", ",", ";", ":", "!", "?", "'", "\"", "(", ")", "/", "-", "=", "+", "$", "%", "@", "|", "#",
    "^",
];

const DELIMS: &[&str] = &["*", "**", "***", "_", "__", "___", "~~", "~", "****", "~~~"];

const ENTITIES: &[&str] = &[
    "&amp;", "&copy;", "&#123;", "&#x41;", "&bogus;", "&", "&#;", "& ", "&nbsp;",
];

const ESCAPES: &[&str] = &[
    "\\*", "\\_", "\\`", "\\$", "\\\\", "\\|", "\\[", "\\]", "\\(", "\\#", "\\<", "\\&", "\\~",
    "\\a", "\\",
];

const URLS: &[&str] = &[
    "#a",
    "#the-contract",
    "http://x.com/a_b",
    "/v2/api.html",
    "x y",
    "<u v>",
    "a(b)c",
    "a(b",
    "#the-contract-\nperiod",
    "mailto:a@b.c?s=Hi there",
    "",
    "a\\)b",
    "'q'",
    "https://e.com/?a=1&b=2",
];

const TAGS: &[&str] = &[
    "<code>x</code>",
    "<span class=\"a\">",
    "</span>",
    "<br>",
    "<br/>",
    "<a href=\"/x\">l</a>",
    "<em>",
    "<img src=\"i.png\">",
    "<kbd>K</kbd>",
    "<!-- c -->",
    "<https://example.com/a>",
    "<me@example.com>",
    "<a\nhref=\"#\">n</a>",
    "<div>",
    "</div>",
];

/// A word, a bit of punctuation or markup, without spaces around.
fn atom(r: &mut Rng) -> String {
    match r.below(100) {
        0..=39 => r.pick(WORDS).to_string(),
        40..=49 => r.pick(PUNCT).to_string(),
        50..=64 => {
            // Emphasis around or beside something.
            let d = r.pick(DELIMS);
            let inner = r.pick(WORDS);
            match r.below(6) {
                0 => format!("{d}{inner}{d}"),
                1 => format!("{d}{inner}"),
                2 => format!("{inner}{d}"),
                3 => format!("{d}{inner} {}{d}{}", r.pick(WORDS), r.pick(WORDS)),
                4 => format!("{d}{inner}{}{}", r.pick(DELIMS), r.pick(WORDS)),
                _ => d.to_string(),
            }
        }
        65..=71 => {
            let ticks = "`".repeat(1 + r.below(3));
            let close = if r.chance(80) {
                ticks.clone()
            } else {
                "`".repeat(1 + r.below(3))
            };
            let pad = if r.chance(30) { " " } else { "" };
            let body = if r.chance(20) {
                "a ` b".to_string()
            } else {
                wrds(r, 1, 3)
            };
            format!("{ticks}{pad}{body}{pad}{close}")
        }
        72..=81 => link(r),
        82..=85 => r.pick(TAGS).to_string(),
        86..=89 => r.pick(ENTITIES).to_string(),
        90..=94 => r.pick(ESCAPES).to_string(),
        95..=96 => "](a b)".to_string(),
        _ => ["  \n", "\n", "\\\n", "[", "]", "!", "\t", "a\tb"][r.below(8)].to_string(),
    }
}

/// `inline` with `min` to `min + span - 1` atoms.
fn inl(r: &mut Rng, min: usize, span: usize) -> String {
    let n = min + r.below(span);
    inline(r, n)
}

fn wrds(r: &mut Rng, min: usize, span: usize) -> String {
    let n = min + r.below(span);
    words(r, n)
}

fn words(r: &mut Rng, n: usize) -> String {
    (0..n).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn link(r: &mut Rng) -> String {
    let text = if r.chance(15) {
        format!("{} [{}] {}", r.pick(WORDS), r.pick(WORDS), r.pick(WORDS))
    } else if r.chance(15) {
        format!("{}\n{}", r.pick(WORDS), r.pick(WORDS))
    } else {
        inl(r, 1, 2)
    };
    let bang = if r.chance(20) { "!" } else { "" };
    let url = r.pick(URLS);
    let title = match r.below(6) {
        0 => " \"t\"",
        1 => " 'it''s'",
        2 => " \"x",
        _ => "",
    };
    match r.below(8) {
        0 => format!("{bang}[{text}] ({url})"),
        1 => format!("{bang}[{text}][{}]", ["ref", "Ref", "none", ""][r.below(4)]),
        2 => format!("{bang}[{}]", ["ref", "other", "none"][r.below(3)]),
        3 => format!("{bang}[{text}](\n{url}{title})"),
        _ => format!("{bang}[{text}]({url}{title})"),
    }
}

/// Inline content: `n` atoms joined by spaces, sometimes by nothing.
pub fn inline(r: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for k in 0..n {
        if k > 0 {
            s.push_str(if r.chance(75) { " " } else { "" });
        }
        s.push_str(&atom(r));
    }
    s
}

const LANGS: &[&str] = &[
    "",
    "shell",
    "ruby",
    "js",
    "{ruby}",
    "ruby x",
    "json",
    "a`b",
    "{ python }",
    "~",
];

fn fence(r: &mut Rng) -> String {
    let ch = if r.chance(70) { "`" } else { "~" };
    let open = ch.repeat(3 + r.below(2));
    let indent = " ".repeat([0, 0, 1, 2, 3, 4][r.below(6)]);
    let mut s = format!("{indent}{open}{}\n", r.pick(LANGS));
    for _ in 0..r.below(4) {
        s.push_str(&match r.below(6) {
            0 => String::new(),
            1 => format!("  {}", words(r, 2)),
            2 => "```".to_string(),
            3 => "# not a heading".to_string(),
            _ => format!("{} = \"{}\";", r.pick(WORDS), r.pick(WORDS)),
        });
        s.push('\n');
    }
    if r.chance(85) {
        let close = if r.chance(85) {
            open.clone()
        } else {
            [
                ch.repeat(3),
                ch.repeat(5),
                "~~~".into(),
                format!("{open} x"),
            ][r.below(4)]
            .clone()
        };
        s.push_str(&" ".repeat(r.below(3)));
        s.push_str(&close);
        s.push('\n');
    }
    s
}

fn table(r: &mut Rng) -> String {
    let cols = 1 + r.below(3);
    let indent = " ".repeat([0, 0, 0, 1, 4, 6][r.below(6)]);
    let outer = r.chance(50);
    let row = |r: &mut Rng, cells: Vec<String>| {
        let body = cells.join(if r.chance(80) { " | " } else { "|" });
        if outer {
            format!("| {body} |")
        } else {
            body
        }
    };
    let head: Vec<String> = (0..cols)
        .map(|_| {
            if r.chance(10) {
                String::new()
            } else {
                inline(r, 1)
            }
        })
        .collect();
    let mut s = format!("{indent}{}\n", row(r, head));
    let extra = if r.chance(15) { 1 } else { 0 };
    let delims: Vec<String> = (0..cols + extra)
        .map(|_| [":--", "---", "--:", ":-:", ":", "-"][r.below(6)].to_string())
        .collect();
    s.push_str(&row(r, delims));
    s.push('\n');
    for _ in 0..r.below(4) {
        let n = 1 + r.below(cols + 1);
        let cells: Vec<String> = (0..n)
            .map(|_| {
                if r.chance(15) {
                    "a \\| b".to_string()
                } else {
                    inl(r, 1, 2)
                }
            })
            .collect();
        s.push_str(&" ".repeat(r.below(3)));
        s.push_str(&row(r, cells));
        s.push('\n');
    }
    s
}

fn list(r: &mut Rng, depth: usize) -> String {
    let marker = r.pick(&["*", "-", "+", "1.", "2.", "10."]);
    let mut s = String::new();
    for _ in 0..1 + r.below(3) {
        let indent = " ".repeat(depth * [2, 4][r.below(2)]);
        if r.chance(5) {
            s.push_str(&format!("{indent}{marker}\n"));
            continue;
        }
        s.push_str(&format!("{indent}{marker} {}\n", inl(r, 1, 4)));
        match r.below(10) {
            0 => s.push_str(&format!("{indent}  {}\n", inline(r, 2))),
            1 => s.push_str(&format!("\n{indent}    {}\n", inline(r, 2))),
            2 if depth < 3 => s.push_str(&list(r, depth + 1)),
            3 => s.push('\n'),
            4 => s.push_str(&format!("{indent}{}\n", inline(r, 1))),
            _ => {}
        }
    }
    s
}

fn html_block(r: &mut Rng) -> String {
    let tag = r.pick(&[
        "div",
        "aside class=\"notice\"",
        "table",
        "DIV",
        "p",
        "span",
        "details",
        "h2 id=\"raw\"",
    ]);
    let name = tag.split(' ').next().unwrap();
    let indent = if r.chance(10) { "  " } else { "" };
    let inner = if r.chance(40) {
        format!("{}\n\n{}", inline(r, 2), inline(r, 2))
    } else {
        inline(r, 3)
    };
    match r.below(8) {
        0 => format!("{indent}<{tag}>\n{inner}\n"),
        1 => format!("{indent}<{tag}>{inner}</{name}>\n"),
        2 => format!("<!-- {} -->\n", words(r, 2)),
        3 => "<hr>\n".to_string(),
        4 => format!("<{tag}>\n  <{tag}>{inner}</{name}>\n</{name}> x\n"),
        _ => format!("{indent}<{tag}>\n{inner}\n</{name}>\n"),
    }
}

fn block(r: &mut Rng) -> String {
    match r.below(100) {
        0..=11 => {
            let spaces = " ".repeat([0, 0, 0, 1, 2, 3, 4][r.below(7)]);
            let hashes = "#".repeat(1 + r.below(7));
            let sep = r.pick(&[" ", "", "  "]);
            let close = if r.chance(15) { " ##" } else { "" };
            format!("{spaces}{hashes}{sep}{}{close}\n", inl(r, 1, 3))
        }
        12..=16 => {
            let under = r.pick(&["===", "---", " ===", "=", "-- -"]);
            format!("{}\n{under}\n", inl(r, 1, 3))
        }
        17..=36 => {
            let mut s = String::new();
            for _ in 0..1 + r.below(3) {
                s.push_str(&" ".repeat([0, 0, 0, 1, 4][r.below(5)]));
                s.push_str(&inl(r, 2, 8));
                s.push('\n');
            }
            s
        }
        37..=45 => fence(r),
        46..=55 => list(r, 0),
        56..=62 => {
            let mut s = String::new();
            for k in 0..1 + r.below(3) {
                let prefix = if k > 0 && r.chance(25) {
                    ""
                } else {
                    r.pick(&["> ", ">", "> > ", "   > "])
                };
                let body = if r.chance(20) {
                    format!("- {}", inline(r, 2))
                } else {
                    inl(r, 2, 4)
                };
                s.push_str(&format!("{prefix}{body}\n"));
            }
            s
        }
        63..=71 => table(r),
        72..=78 => html_block(r),
        79..=81 => format!("{}\n", r.pick(&["***", "---", "* * *", "___", "- - -"])),
        82..=83 => format!("    {}\n", inline(r, 3)),
        84..=85 => deep(r),
        86..=89 => format!(
            "{}[{}]: {}\n",
            " ".repeat(r.below(4)),
            r.pick(&["ref", "Ref", "other"]),
            r.pick(&[
                "/u",
                "<http://x.com/y>",
                "/u \"T\"",
                "/u 'T'",
                "/u\n  (T)",
                "/u x"
            ])
        ),
        _ => format!("{}\n", inl(r, 1, 5)),
    }
}

/// Nesting around redcarpet's limit of 16 work buffers: quotes, lists, emphasis, links.
fn deep(r: &mut Rng) -> String {
    match r.below(3) {
        0 => format!("{}{}\n", ">".repeat(3 + r.below(16)), inline(r, 3)),
        1 => {
            let mut s = String::new();
            for level in 0..2 + r.below(7) {
                s.push_str(&format!(
                    "{}- *a [b **c** ~~d~~](#x)* {}\n",
                    "  ".repeat(level),
                    inline(r, 2)
                ));
                if r.chance(30) {
                    s.push('\n');
                }
            }
            s
        }
        _ => format!("> - > 1. > * {} *[a **b _c_**](#y)*\n", inline(r, 2)),
    }
}

/// A document of a few dozen blocks; some indent with tabs, some end lines with CR LF.
pub fn document(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let mut s = String::new();
    for _ in 0..3 + r.below(20) {
        s.push_str(&block(&mut r));
        match r.below(10) {
            0..=6 => s.push('\n'),
            7 => s.push_str("\n\n"),
            _ => {}
        }
    }
    if r.chance(10) {
        s = s.replace("\n    ", "\n\t").replace("\n  ", "\n \t");
    }
    if r.chance(5) {
        s = s.replace('\n', "\r\n");
    }
    s
}
