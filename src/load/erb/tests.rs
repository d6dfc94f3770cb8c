use super::*;

use std::collections::HashSet;

/// A site with the files `have` (for image and link checks); images are resolved as
/// the site's resolver does for a page at the root: `x.png` found under `images/`.
struct Site {
    have: HashSet<String>,
}

impl Resolver for Site {
    fn image(&self, src: &str) -> Option<String> {
        (!self.have.contains(src) && self.have.contains(&format!("images/{src}")))
            .then(|| format!("images/{src}"))
    }
    fn local_exists(&self, url: &str, image: bool) -> Option<bool> {
        if url.contains("://") || url.starts_with('#') {
            return None;
        }
        let path = url.split(['#', '?']).next().unwrap_or("");
        let path = path.trim_start_matches('/');
        Some(self.have.contains(path) || image && self.have.contains(&format!("images/{path}")))
    }
    fn link(&self, url: &str) -> Option<String> {
        url.strip_prefix('/').map(str::to_string)
    }
}

struct Fixture {
    src: Source,
    site: Site,
    strings: Strings,
    data: serde_json::Map<String, Value>,
}

fn fixture() -> Fixture {
    let mut strings = Strings::default();
    strings
        .add(
            "en:\n  title: Kittens API\n  nav:\n    home: Home\n  hello: Hello, %{name}!\n  multi: |\n    one\n    two\n",
            "locales/en.yml",
        )
        .unwrap();
    strings
        .add(
            "pt:\n  title: API de Gatinhos\n  nav:\n    home: Início\n",
            "locales/pt.yml",
        )
        .unwrap();
    strings.present = true;
    strings.default = Some("en".into());
    let data = serde_json::json!({
        "title": "Kittens <b>&</b>",
        "version": 2,
        "beta": false,
        "author": {"name": "Ana"},
    });
    Fixture {
        src: Source::default(),
        site: Site {
            have: ["images/login.png", "images/logo.png", "api.html"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        },
        strings,
        data: data.as_object().unwrap().clone(),
    }
}

impl Fixture {
    fn env(&self, lang: Option<&'static str>) -> Env<'_> {
        Env {
            src: &self.src,
            page_rel: "index.html.md.erb",
            lang,
            strings: &self.strings,
            resolver: &self.site,
            data: &self.data,
        }
    }
}

const LABEL: &str = "source/index.html.md.erb";

/// Expands `text` (a page body starting at line 1) into one text.
fn run_lang(text: &str, lang: Option<&'static str>) -> (Result<String, String>, Vec<String>) {
    let f = fixture();
    let env = f.env(lang);
    let mut w = Vec::new();
    let r = expand(
        File {
            label: LABEL,
            text,
            first_line: 1,
        },
        &env,
        &mut w,
    );
    let r = r.map_err(|e| e.to_string()).map(|segs| {
        segs.into_iter()
            .map(|s| match s {
                Segment::Text(t) => t.text,
                Segment::Partial { name, line } => format!("[partial {name} at {line}]"),
            })
            .collect::<String>()
    });
    (r, w.iter().map(|d| d.to_string()).collect())
}

fn run(text: &str) -> String {
    let (r, w) = run_lang(text, None);
    assert!(w.is_empty(), "{text}: {w:?}");
    r.unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn error(text: &str) -> String {
    run_lang(text, None).0.unwrap_err()
}

#[test]
fn trims_as_erubi_does() {
    // A comment alone on its line goes with its line; a code tag too.
    assert_eq!(run("a\n<%# note %>\nb\n"), "a\nb\n");
    assert_eq!(run("a\n  <%# note\n  over lines %>  \nb\n"), "a\nb\n");
    // Inside a line, a comment leaves the text around it (and takes its line break).
    assert_eq!(run("a <%# note %>\nb\n"), "a b\n");
    // `<%=` keeps the line break after it; `-%>` and `=%>` drop it.
    assert_eq!(run("<%= 1 %>\nb"), "1\nb");
    assert_eq!(run("<%= 1 -%>\nb"), "1b");
    assert_eq!(run("  <%= 1 %>  \nb"), "  1  \nb");
    // `<%-` is a code tag: alone on its line it takes the line.
    assert_eq!(run("a\n<%- %>\nb"), "a\nb");
    // `<%%` writes `<%`.
    assert_eq!(run("<%%= t(:x) %>\n"), "<%= t(:x) %>\n");
    // `<%==` escapes, `<%=` does not (Middleman's ERB).
    assert_eq!(run("<%= current_page.data.title %>"), "Kittens <b>&</b>");
    assert_eq!(
        run("<%== current_page.data.title %>"),
        "Kittens &lt;b&gt;&amp;&lt;/b&gt;"
    );
}

#[test]
fn image_tag_as_middleman_writes_it() {
    assert_eq!(
        run("<%= image_tag \"images/login.png\" %>"),
        "<img src=\"images/login.png\" alt=\"Login\" />"
    );
    // Found under images/ like a markdown image; alt from the file name.
    assert_eq!(
        run("<%= image_tag('logo.png') %>"),
        "<img src=\"images/logo.png\" alt=\"Logo\" />"
    );
    assert_eq!(
        run("<%= image_tag 'images/login.png', alt: 'Sign \"in\"', width: 300, height: 200, class: 'shot wide' %>"),
        "<img src=\"images/login.png\" alt=\"Sign &quot;in&quot;\" width=\"300\" height=\"200\" class=\"shot wide\" />"
    );
    assert_eq!(
        run("<%= image_tag 'images/login.png', :class => ['a', 'b'], :data => { :zoom_level => 2 }, hidden: true, title: nil %>"),
        "<img src=\"images/login.png\" class=\"a b\" data-zoom-level=\"2\" hidden=\"hidden\" alt=\"Login\" />"
    );
    assert_eq!(
        image_alt("images/my_screen-shot.v2.png"),
        "My screen shot.v2"
    );
    assert_eq!(
        image_alt("a/logo-0123456789abcdef0123456789abcdef.png"),
        "Logo"
    );
    assert_eq!(
        run("<%= image_tag 'https://x.io/a b.png', srcset: 'login.png 2x' %>"),
        "<img src=\"https://x.io/a b.png\" srcset=\"images/login.png 2x\" alt=\"A b\" />"
    );
    // A missing image: written as asked, and a warning with the line.
    let (r, w) = run_lang("\n<%= image_tag 'gone.png' %>", None);
    assert_eq!(r.unwrap(), "\n<img src=\"gone.png\" alt=\"Gone\" />");
    assert_eq!(
        w,
        [format!(
            "{LABEL}:2: image `gone.png` points to a file that is not in the source folder"
        )]
    );
    let e = error("<%= image_tag 'a.png', 'on load' => 'x' %>");
    assert!(e.contains("`on load` is not an HTML attribute name"), "{e}");
}

#[test]
fn link_to_as_middleman_writes_it() {
    assert_eq!(
        run("<%= link_to 'The API', 'api.html' %>"),
        "<a href=\"api.html\">The API</a>"
    );
    // From the site root: relative, as markdown links; the caption is not escaped
    // (Middleman's content_tag), the attributes are.
    assert_eq!(
        run("<%= link_to '<em>API</em>', '/api.html', class: 'x\"y', anchor: 'auth' %>"),
        "<a href=\"api.html#auth\" class=\"x&quot;y\"><em>API</em></a>"
    );
    assert_eq!(
        run("<%= link_to 'Q', 'https://x.io/a b?c=1', query: { page: 2, q: 'a b' } %>"),
        "<a href=\"https://x.io/a%20b?page=2&amp;q=a+b\">Q</a>"
    );
    assert_eq!(
        run("<%= link_to image_tag('logo.png'), 'https://x.io', method: :delete %>"),
        "<a href=\"https://x.io\" data-method=\"delete\" rel=\"nofollow\"><img src=\"images/logo.png\" alt=\"Logo\" /></a>"
    );
    // The block form, with Padrino's `<% … do %>` and Rails' `<%= … do %>`.
    assert_eq!(
        run("<% link_to 'https://x.io', class: 'card' do %>\n  <%= t(:title) %>\n<% end %>\nafter\n"),
        "<a href=\"https://x.io\" class=\"card\">  Kittens API\n</a>after\n"
    );
    assert_eq!(
        run("a <%= link_to '#top' do %>up<% end %> b"),
        "a <a href=\"#top\">up</a> b"
    );
    assert_eq!(
        error("<% link_to 'x' do %>up"),
        format!("{LABEL}:1: `<% link_to 'x' do %>`: its block has no `<% end %>`; add one after the block's content")
    );
    assert!(error("<% end %>").contains("this `end` closes no block"));
    let (r, w) = run_lang("<%= link_to 'Old', 'old.html' %>", None);
    assert_eq!(r.unwrap(), "<a href=\"old.html\">Old</a>");
    assert_eq!(
        w,
        [format!(
            "{LABEL}:1: link `old.html` points to a file that is not in the source folder"
        )]
    );
}

#[test]
fn front_matter_values() {
    assert_eq!(run("v<%= current_page.data.version %>"), "v2");
    assert_eq!(run("<%= current_page.data.author.name %>"), "Ana");
    assert_eq!(run("<%= current_page.data[:author]['name'] %>"), "Ana");
    assert_eq!(run("<%= current_page.data.beta %>"), "false");
    assert_eq!(run("<%= current_page.data.subtitle || 'API' %>"), "API");
    let (r, w) = run_lang("[<%= current_page.data.subtitle %>]", None);
    assert_eq!(r.unwrap(), "[]");
    assert_eq!(w.len(), 1);
    assert!(
        w[0].contains("`current_page.data.subtitle`: the front matter has no `subtitle`"),
        "{w:?}"
    );
    assert!(error("<%= current_page.data.author %>").contains("the value is a mapping, not text"));
}

#[test]
fn translations_from_locales() {
    assert_eq!(run("# <%= t(:title) %>"), "# Kittens API");
    assert_eq!(
        run_lang("# <%= t(:title) %>", Some("pt")).0.unwrap(),
        "# API de Gatinhos"
    );
    assert_eq!(
        run_lang("<%= I18n.t('nav.home') %>", Some("pt")).0.unwrap(),
        "Início"
    );
    // pt-BR falls back on pt, as I18n does; not on another language.
    assert_eq!(
        run_lang("<%= t :title %>", Some("pt-BR")).0.unwrap(),
        "API de Gatinhos"
    );
    assert_eq!(run("<%= t('hello', name: 'Ana') %>"), "Hello, Ana!");
    assert_eq!(run("<%= t(:home, scope: :nav) %>"), "Home");
    assert_eq!(run("<%= t(:nope, default: 'Hi') %>"), "Hi");
    assert_eq!(run("<%= t(:title, locale: :pt) %>"), "API de Gatinhos");
    assert_eq!(run("<%= t(:multi) %>x"), "one\ntwo\nx");
    // Unknown: the tag stays, with a warning at its line.
    let (r, w) = run_lang("a\n<%= t(:nope) %>\n", Some("pt"));
    assert_eq!(r.unwrap(), "a\n<%= t(:nope) %>\n");
    assert_eq!(
        w,
        [format!(
            "{LABEL}:2: `t(\"nope\")`: locales/ has no `nope` for `pt`; the tag is left as written"
        )]
    );
    let (_, w) = run_lang("<%= t(:title) %>", Some("de"));
    assert!(
        w[0].contains("no file of locales/ has translations for `de`"),
        "{w:?}"
    );
    let (_, w) = run_lang("<%= t(:nav) %>", None);
    assert!(w[0].contains("is a group of keys"), "{w:?}");
    assert_eq!(run_lang("<%= I18n.locale %>", Some("pt")).0.unwrap(), "pt");
}

#[test]
fn partials_cut_the_page() {
    assert_eq!(
        run("# A\n\n<%= partial \"includes/errors\" %>\n\n# B\n"),
        "# A\n\n[partial includes/errors at 3]\n# B\n"
    );
    let e = error("Text <%= partial 'x' %>\n");
    assert!(
        e.starts_with(&format!(
            "{LABEL}:1: `<%= partial 'x' %>`: a partial must stand alone on its line"
        )),
        "{e}"
    );
    let e = error("<%= partial 'x', locals: { a: 1 } %>");
    assert!(
        e.contains("`partial` with `locals:` is not supported"),
        "{e}"
    );
}

#[test]
fn other_ruby_is_an_error_naming_the_tag_and_line() {
    let e = error("# A\n\n<% if current_page.data.beta %>\nBeta\n<% end %>\n");
    assert_eq!(
        e,
        format!("{LABEL}:3: ERB tag `<% if current_page.data.beta %>` is not supported: `<% … %>` runs Ruby code (conditions, loops, variables), which shale does not; only `<% link_to … do %>` … `<% end %>` is read. shale runs Middleman's `image_tag`, `link_to`, `partial`, `current_page.data.KEY` and `t(:key)` in .html.md.erb pages; write the result as markdown or HTML instead")
    );
    for (text, why) in [
        (
            "<%= data.api.version %>",
            "`data.api.version` is not a helper shale runs (the files of Middleman's `data/` folder are not read)",
        ),
        (
            "<%= stylesheet_link_tag 'x' %>",
            "`stylesheet_link_tag` is not a helper shale runs",
        ),
        ("<% x = 1 %>", "`<% … %>` runs Ruby code"),
        ("<%= x = 1 %>", "`= 1` is not Ruby that shale understands"),
        ("<%= \"#{x}\" %>", "`#{…}` inside a string is not supported"),
        ("<%= current_page.data.title.upcase %>", "`upcase`"),
    ] {
        let e = error(text);
        assert!(e.contains(why), "{text}: {e}");
        assert!(e.starts_with(&format!("{LABEL}:1: ERB tag `")), "{e}");
    }
    // An unclosed `<%` is text, as Erubi prints it, with a warning.
    let (r, w) = run_lang("a\n5 <% 6\n", None);
    assert_eq!(r.unwrap(), "a\n5 <% 6\n");
    assert!(
        w[0].starts_with(&format!("{LABEL}:2: `<%` without a closing `%>`")),
        "{w:?}"
    );
}

#[test]
fn output_lines_point_into_the_file() {
    let f = fixture();
    let env = f.env(None);
    let mut w = Vec::new();
    let segs = expand(
        File {
            label: LABEL,
            text: "a\n<%# gone %>\n<%= t(:multi) %>\nb\n<%= partial 'x' %>\nc\n",
            first_line: 5,
        },
        &env,
        &mut w,
    )
    .unwrap();
    let Segment::Text(t) = &segs[0] else { panic!() };
    // The translation ends with a line break, and the tag's own follows (as in ERB).
    assert_eq!(t.text, "a\none\ntwo\n\nb\n");
    // a: line 5; the comment's line 6 is gone; the translation is line 7; b is line 8.
    assert_eq!(t.lines, [5, 7, 7, 7, 8]);
    assert_eq!(
        segs[1],
        Segment::Partial {
            name: "x".into(),
            line: 9
        }
    );
    let Segment::Text(t) = &segs[2] else { panic!() };
    assert_eq!((t.text.as_str(), t.lines.as_slice()), ("c\n", &[10][..]));
    assert_eq!(t.file_line(1), 10);
}

#[test]
fn translate_in_prose_not_in_code() {
    let f = fixture();
    let env = f.env(Some("pt"));
    let md = "# <%= t(:title) %>\n\n`<%= t(:title) %>` and ``a <%= t(:title) %> b``\n\n```erb\n<%= t(:title) %>\n```\n\n<%= t('nav.home') -%>\n!\n<%= image_tag 'x' %> <%= t(:missing) %>\n";
    let mut w = Vec::new();
    let t = translate(
        File {
            label: "source/index.html.md",
            text: md,
            first_line: 4,
        },
        &env,
        &mut w,
    )
    .unwrap();
    assert_eq!(
        t.text,
        "# API de Gatinhos\n\n`<%= t(:title) %>` and ``a <%= t(:title) %> b``\n\n```erb\n<%= t(:title) %>\n```\n\nInício!\n<%= image_tag 'x' %> <%= t(:missing) %>\n"
    );
    assert_eq!(t.file_line(9), 12, "the line of the tag");
    assert_eq!(
        t.file_line(10),
        14,
        "`-%>` took a line break: later lines keep theirs"
    );
    assert_eq!(w.len(), 1);
    assert!(
        w[0].to_string()
            .starts_with("source/index.html.md:14: `t(\"missing\")`"),
        "{w:?}"
    );
    assert_eq!(
        translate(
            File {
                label: "x",
                text: "no tags",
                first_line: 1
            },
            &env,
            &mut w
        ),
        None
    );
    assert_eq!(
        translate_value(
            "<%= t(:title) %> v2",
            &env,
            "source/index.html.md",
            2,
            &mut w
        )
        .as_deref(),
        Some("API de Gatinhos v2")
    );
}

#[test]
fn code_spans_pair_runs_of_one_length_within_a_paragraph() {
    fn spans_of(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        spans(t, 0..t.len(), &mut out);
        out.into_iter().map(|r| &t[r]).collect()
    }
    assert_eq!(spans_of("a `b` c ``d ` e`` f"), ["`b`", "``d ` e``"]);
    assert_eq!(spans_of("\\`a` `b`"), ["` `"]);
    assert_eq!(spans_of("`a\nb`"), ["`a\nb`"]);
    assert_eq!(
        spans_of("`a\n  \nb`"),
        Vec::<&str>::new(),
        "not across a blank line"
    );
    // Hostile input stays linear: many runs of distinct lengths never closed.
    let many: String = (1..2000).map(|n| "`".repeat(n) + " x ").collect();
    assert_eq!(spans_of(&many).len(), 0);
}
