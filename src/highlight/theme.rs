//! The highlight stylesheet, generated from style tables the way Rouge's
//! `CSSTheme#render` does: each styled token gets a rule whose selector
//! lists the token's class plus every sub-token without a style of its own
//! (so `Comment` also covers `.ch`, `.cd`, `.cpf`), and `Text` is the
//! `.highlight` element itself.
//!
//! Screen: Slate's `monokai.sublime.slate` theme plus the two overrides in
//! Slate's `screen.css` (comments `#909090`, background `#1E2224`). Print:
//! Rouge's `base16.solarized` (light mode) plus the rule that disables
//! transitions, as in Slate's print `<style>` block.

use std::fmt::Write as _;

use super::rouge_lexers::TOKENS;

/// One style: foreground, background, bold.
#[derive(Clone, Copy)]
struct Style {
    fg: Option<&'static str>,
    bg: Option<&'static str>,
    bold: bool,
}

const fn fg(c: &'static str) -> Style {
    Style {
        fg: Some(c),
        bg: None,
        bold: false,
    }
}

/// The CSS scope of every rule.
const SCOPE: &str = ".highlight";

/// Slate's `lib/monokai_sublime_slate.rb` (Rouge's Monokai Sublime without
/// the background), in its order, as Slate's `main` (97c8dd4) compiles it: JSON keys
/// (`Name.Label`) bright pink, first of the operator group (an older Slate had them
/// soft yellow).
/// `Generic.Strong` only says "not bold", which renders no declaration.
const SLATE_SCREEN: &[(&[&str], Style)] = &[
    (&["Generic.Heading"], fg("#999999")),
    (&["Literal.String.Regex"], fg("#f6aa11")),
    (&["Generic.Output"], fg("#888888")),
    (&["Generic.Prompt"], fg("#555555")),
    (&["Generic.Subheading"], fg("#aaaaaa")),
    (&["Name.Builtin"], fg("#f6aa11")),
    (
        &[
            "Comment.Multiline",
            "Comment.Preproc",
            "Comment.Single",
            "Comment.Special",
            "Comment",
        ],
        fg("#75715e"),
    ),
    (
        &["Error", "Generic.Error", "Generic.Traceback"],
        fg("#960050"),
    ),
    (
        &["Generic.Deleted", "Generic.Inserted", "Generic.Emph"],
        fg("#49483e"),
    ),
    (
        &[
            "Keyword.Constant",
            "Keyword.Declaration",
            "Keyword.Reserved",
            "Name.Constant",
            "Keyword.Type",
        ],
        fg("#66d9ef"),
    ),
    (
        &[
            "Literal.Number.Float",
            "Literal.Number.Hex",
            "Literal.Number.Integer.Long",
            "Literal.Number.Integer",
            "Literal.Number.Oct",
            "Literal.Number",
            "Literal.String.Char",
            "Literal.String.Escape",
            "Literal.String.Symbol",
        ],
        fg("#ae81ff"),
    ),
    (
        &[
            "Literal.String.Doc",
            "Literal.String.Double",
            "Literal.String.Backtick",
            "Literal.String.Heredoc",
            "Literal.String.Interpol",
            "Literal.String.Other",
            "Literal.String.Single",
            "Literal.String",
        ],
        fg("#e6db74"),
    ),
    (
        &[
            "Name.Attribute",
            "Name.Class",
            "Name.Decorator",
            "Name.Exception",
            "Name.Function",
        ],
        fg("#a6e22e"),
    ),
    (
        &[
            "Name.Variable.Class",
            "Name.Namespace",
            "Name.Entity",
            "Name.Builtin.Pseudo",
            "Name.Variable.Global",
            "Name.Variable.Instance",
            "Name.Variable",
            "Text.Whitespace",
            "Text",
            "Name",
        ],
        fg("#ffffff"),
    ),
    (
        &[
            "Name.Label",
            "Operator.Word",
            "Name.Tag",
            "Keyword",
            "Keyword.Namespace",
            "Keyword.Pseudo",
            "Operator",
        ],
        // Slate's bright pink #f92672 has a contrast of 4.24:1 on the code background,
        // under WCAG AA's 4.5:1 for text this size; mixed with 10% white it has 4.56:1
        // and looks the same.
        fg("#f93b80"),
    ),
];

/// Slate's `screen.css` rules for code, which follow the theme there.
const SLATE_SCREEN_OVERRIDES: &str = "\
.highlight .c, .highlight .cm, .highlight .c1, .highlight .cs {
  color: #909090;
}
.highlight, .highlight .w {
  background-color: #1E2224;
}
";

/// Rouge's `base16.solarized` in light mode (`Base16` styles over the
/// Solarized palette; light mode sets `Text` to base02).
const SOLARIZED_LIGHT: &[(&[&str], Style)] = &[
    (&["Text"], fg("#586e75")),
    (
        &["Error"],
        Style {
            fg: Some("#002b36"),
            bg: Some("#dc322f"),
            bold: false,
        },
    ),
    (&["Comment"], fg("#657b83")),
    (&["Comment.Preproc", "Name.Tag"], fg("#b58900")),
    (&["Operator", "Punctuation"], fg("#93a1a1")),
    (&["Generic.Inserted"], fg("#859900")),
    (&["Generic.Deleted"], fg("#dc322f")),
    (
        &["Generic.Heading"],
        Style {
            fg: Some("#268bd2"),
            bg: Some("#002b36"),
            bold: true,
        },
    ),
    (&["Keyword"], fg("#6c71c4")),
    (&["Keyword.Constant", "Keyword.Type"], fg("#cb4b16")),
    (&["Keyword.Declaration"], fg("#cb4b16")),
    (&["Literal.String"], fg("#859900")),
    (&["Literal.String.Affix"], fg("#6c71c4")),
    (&["Literal.String.Regex"], fg("#2aa198")),
    (
        &["Literal.String.Interpol", "Literal.String.Escape"],
        fg("#d33682"),
    ),
    (
        &["Name.Namespace", "Name.Class", "Name.Constant"],
        fg("#b58900"),
    ),
    (&["Name.Attribute"], fg("#268bd2")),
    (&["Literal.Number", "Literal.String.Symbol"], fg("#859900")),
];

/// The stylesheet for `.highlight` code blocks: Slate's screen theme inside
/// `@media screen`, Rouge's Solarized light inside `@media print`.
pub fn theme_css() -> String {
    let mut css = String::with_capacity(8 * 1024);
    css.push_str("/* Generated by shale: Rouge token classes. */\n");
    css.push_str("@media screen {\n");
    render_theme(&mut css, SLATE_SCREEN);
    css.push_str(SLATE_SCREEN_OVERRIDES);
    css.push_str("}\n@media print {\n");
    css.push_str("* { transition: none !important; }\n");
    render_theme(&mut css, SOLARIZED_LIGHT);
    css.push_str("}\n");
    css
}

fn token_index(qualname: &str) -> Option<usize> {
    TOKENS.iter().position(|t| t.qualname == qualname)
}

/// Rouge's `CSSTheme#render` for one theme.
fn render_theme(css: &mut String, theme: &[(&[&str], Style)]) {
    let _ = writeln!(css, "{SCOPE} table td {{ padding: 5px; }}");
    let _ = writeln!(css, "{SCOPE} table pre {{ margin: 0; }}");
    let styled: Vec<usize> = theme
        .iter()
        .flat_map(|(toks, _)| toks.iter().filter_map(|t| token_index(t)))
        .collect();
    for (toks, style) in theme {
        for tok in toks.iter().filter_map(|t| token_index(t)) {
            let mut selectors = Vec::new();
            inflate(tok, &styled, &mut selectors);
            let decls = declarations(style);
            if decls.is_empty() {
                continue;
            }
            let _ = writeln!(css, "{} {{", selectors.join(", "));
            for d in decls {
                let _ = writeln!(css, "  {d};");
            }
            css.push_str("}\n");
        }
    }
}

/// The token's selector and those of its unstyled sub-tokens, recursively.
fn inflate(tok: usize, styled: &[usize], out: &mut Vec<String>) {
    let t = &TOKENS[tok];
    if t.qualname == "Text" {
        out.push(SCOPE.to_string());
    } else {
        out.push(format!("{SCOPE} .{}", t.shortname));
    }
    for (i, sub) in TOKENS.iter().enumerate() {
        if sub.parent == Some(tok) && !styled.contains(&i) {
            inflate(i, styled, out);
        }
    }
}

fn declarations(style: &Style) -> Vec<String> {
    let mut d = Vec::new();
    if let Some(c) = style.fg {
        d.push(format!("color: {c}"));
    }
    if let Some(c) = style.bg {
        d.push(format!("background-color: {c}"));
    }
    if style.bold {
        d.push("font-weight: bold".to_string());
    }
    d
}

/// The class → colour table of the screen theme (for tests and tooling).
#[cfg(test)]
pub(crate) fn screen_color(class: &str) -> Option<&'static str> {
    let idx = TOKENS.iter().position(|t| t.shortname == class)?;
    // Nearest styled ancestor, as Rouge resolves it.
    let mut cur = Some(idx);
    while let Some(i) = cur {
        for (toks, style) in SLATE_SCREEN {
            if toks.contains(&TOKENS[i].qualname) {
                return style.fg;
            }
        }
        cur = TOKENS[i].parent;
    }
    None
}
