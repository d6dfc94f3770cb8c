//! `shale build` as a user runs it: the binary, its flags, its output folder, its errors.

use std::path::Path;

use crate::common::*;

#[test]
fn builds_the_sample_with_default_folders() {
    let d = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        for e in walkdir::WalkDir::new(from)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), dest).unwrap();
        }
    };
    copy(&repo().join("source"), &d.path().join("source"));
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("built 1 page ("), "one summary line: {out}");
    assert!(out.contains(" ms → build"), "{out}");
    let page = read(d.path().join("build/index.html"));
    for needle in [
        "<title>API Reference</title>",
        "<meta name=\"description\" content=\"Documentation for the Kittn API\">",
        "data-languages=\"[&quot;shell&quot;,&quot;python&quot;,&quot;javascript&quot;]\"",
        "data-language-name=\"shell\"",
        "<ul id=\"toc\" class=\"toc-list-h1\">",
        "class=\"toc-h1 toc-link\"",
        "<ul class=\"toc-footer\">",
        "<li><a href='#'>Copyright &copy; Sobot 2023</a></li>",
        "id=\"input-search\"",
        "<h1 id='sobot-api-documentation'>Sobot API Documentation</h1>",
        "class=\"highlight shell tab-shell\"",
        "<aside class=\"notice\">",
        "href=\"stylesheets/screen.css\"",
        "src=\"javascripts/shale.js\"",
    ] {
        assert!(page.contains(needle), "index.html lacks {needle}");
    }
    for asset in [
        "stylesheets/screen.css",
        "stylesheets/print.css",
        "stylesheets/highlight.css",
        "javascripts/shale.js",
    ] {
        assert!(
            d.path().join("build").join(asset).is_file(),
            "{asset} missing"
        );
    }
    // No leftovers beside the output.
    let names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only source/ and build/: {names:?}");
}

#[test]
fn help_and_version() {
    let d = tempfile::tempdir().unwrap();
    let o = shale(d.path(), &["build", "--help"]);
    let help = stdout(&o);
    assert!(o.status.success());
    for flag in [
        "--source <DIR>",
        "--output <DIR>",
        "[default:",
        "--quiet",
        "replaced as a whole",
    ] {
        assert!(help.contains(flag), "help lacks {flag}:\n{help}");
    }
    let o = shale(d.path(), &["--version"]);
    assert_eq!(
        stdout(&o).trim(),
        format!("shale {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn pages_statics_and_subfolders() {
    let d = project(&[
        (
            "source/index.html.md",
            b"# Home\n\n![logo](logo.png) ![abs](/images/logo.png)\n",
        ),
        ("source/v2/api.html.md", b"---\ntitle: V2\n---\n# V2 API\n"),
        ("source/images/logo.png", b"PNG"),
        ("source/CNAME", b"docs.example.com"),
        ("source/fonts/slate.woff", b"font"),
        ("source/stylesheets/screen.css.scss", b"$x: 1;"),
        ("source/javascripts/all.js", b"//= require ./lib/_energize"),
        ("source/layouts/layout.erb", b"<%= yield %>"),
        ("source/includes/_errors.md", b"# Errors"),
        ("source/_drafts/x.html.md", b"# Draft"),
        ("source/notes.html.md.erb", b"# Plain ERB page, no tags\n"),
        (
            "source/hidden.html.md",
            b"---\nignored: true\n---\n# Not built\n",
        ),
    ]);
    let o = shale(d.path(), &["build", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "--quiet prints nothing");
    let b = d.path().join("build");
    for f in [
        "index.html",
        "v2/api.html",
        "notes.html",
        "images/logo.png",
        "CNAME",
        "fonts/slate.woff",
    ] {
        assert!(b.join(f).is_file(), "{f} missing");
    }
    for f in [
        "stylesheets/screen.css.scss",
        "javascripts/all.js",
        "layouts/layout.erb",
        "includes/_errors.md",
        "_drafts/x.html",
        "_drafts/x.html.md",
        "hidden.html",
    ] {
        assert!(!b.join(f).exists(), "{f} must not be copied");
    }
    let v2 = read(b.join("v2/api.html"));
    assert!(
        v2.contains("href=\"../stylesheets/screen.css\""),
        "assets relative to the page"
    );
    assert!(
        v2.contains("class=\"v2 v2_api\""),
        "Middleman's page classes on body"
    );
    assert!(v2.contains("<title>V2</title>"));
    let index = read(b.join("index.html"));
    assert!(
        index.contains("<img src=\"images/logo.png\" alt=\"logo\""),
        "bare image names resolve into images/"
    );
    assert!(
        index.contains("<img src=\"images/logo.png\" alt=\"abs\""),
        "absolute image paths become relative"
    );
    assert!(
        index.contains("src=\"images/logo.png\" class=\"logo\"")
            || index.contains("class=\"logo\""),
        "the logo is shown when images/logo.png exists"
    );
}

#[test]
fn crlf_bom_and_no_final_newline() {
    let d = project(&[(
        "source/index.html.md",
        b"\xef\xbb\xbf---\r\ntitle: Windows\r\nlanguage_tabs:\r\n  - ruby\r\n---\r\n# Title\r\n\r\n```ruby\r\nputs 1\r\n```\r\nlast line",
    )]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(d.path().join("build/index.html"));
    assert!(page.contains("<title>Windows</title>"));
    assert!(page.contains("<h1 id='title'>Title</h1>"));
    assert!(page.contains("last line"));
    assert!(!page.contains('\r'));
}

#[test]
fn missing_include_names_include_page_and_paths_and_keeps_the_old_site() {
    let d = project(&[(
        "source/index.html.md",
        b"---\nincludes:\n  - errors\n---\n# Hi\n",
    )]);
    std::fs::create_dir_all(d.path().join("build")).unwrap();
    std::fs::write(d.path().join("build/index.html"), "previous site").unwrap();
    let o = shale(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: source/index.html.md"), "{err}");
    assert!(err.contains("include `errors` not found"), "{err}");
    assert!(err.contains("source/includes/_errors.md"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert_eq!(
        read(d.path().join("build/index.html")),
        "previous site",
        "a failed build leaves the old site"
    );
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        2,
        "no staging folder left behind"
    );
}

#[test]
fn broken_front_matter_points_at_the_page_line() {
    let d = project(&[(
        "source/index.html.md",
        b"---\ntitle: x\nlanguage_tabs: [shell\n---\n# Hi\n",
    )]);
    let o = shale(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("source/index.html.md:"), "{err}");
    assert!(err.contains("front matter is not valid YAML"), "{err}");
    let d = project(&[(
        "source/index.html.md",
        b"---\ntitle: x\nlanguage_tabs: shell\n---\n# Hi\n",
    )]);
    let err = stderr(&shale(d.path(), &["build"]));
    assert!(err.contains("source/index.html.md:3:"), "{err}");
    assert!(err.contains("`language_tabs` must be a list"), "{err}");
}

#[test]
fn bad_folders_are_clear_errors() {
    let d = tempfile::tempdir().unwrap();
    let err = stderr(&shale(d.path(), &["build"]));
    assert!(err.contains("source folder `source` not found"), "{err}");
    let d = project(&[("source/readme.txt", b"x")]);
    let err = stderr(&shale(d.path(), &["build"]));
    assert!(err.contains("no pages found"), "{err}");
    let d = project(&[("source/index.html.md", b"# x")]);
    for out in ["source", ".", "source/.."] {
        let o = shale(d.path(), &["build", "--output", out]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("would delete your sources"),
            "{out}: {}",
            stderr(&o)
        );
    }
    assert!(d.path().join("source/index.html.md").is_file());
}

#[test]
fn project_templates_and_assets_override_the_builtin_ones() {
    let d = project(&[
        ("source/index.html.md", b"---\ntitle: Own\nversion: 2.1\n---\n# Hi\n"),
        ("templates/layout.html", b"<title>{{ page.title }} v{{ page.extra.version }}</title><body>{{ content | safe }}</body>"),
        ("assets/stylesheets/screen.css", b"/* mine */"),
        ("assets/stylesheets/extra.css", b"/* extra */"),
    ]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = d.path().join("build");
    assert_eq!(
        read(b.join("index.html")),
        "<title>Own v2.1</title><body><h1 id='hi'>Hi</h1></body>"
    );
    assert_eq!(read(b.join("stylesheets/screen.css")), "/* mine */");
    assert_eq!(read(b.join("stylesheets/extra.css")), "/* extra */");
    assert!(
        read(b.join("stylesheets/print.css")).len() > 100,
        "the other built-in assets stay"
    );
}

#[test]
fn theme_variables_from_the_project_and_the_front_matter_and_rtl() {
    let d = project(&[
        (
            "source/index.html.md",
            b"---\ntitle: Own\nrtl: true\ntheme:\n  nav-width: 300px\n  brand-accent: \"#c00\"\n  dark:\n    main-bg: \"#000\"\n---\n# Hi\n",
        ),
        ("source/plain.html.md", b"---\ntheme:\n  dark: false\n---\n# Plain\n"),
        (
            "assets/stylesheets/variables.css",
            b"@charset \"utf-8\";\n:root { --main-bg: #fff; --brand-accent: red; }\n",
        ),
    ]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // `brand-accent` is declared by the project's variables.css: no warning
    assert_eq!(stderr(&o), "", "no warnings");
    let b = d.path().join("build");
    assert!(
        !b.join("stylesheets/variables.css").exists(),
        "the variables are in the pages, not in a file"
    );
    let page = read(b.join("index.html"));
    assert!(page.contains("<html lang=\"en\" dir=\"rtl\">"), "{page}");
    // one <style> before screen.css: the built-in variables, the project's, the page's
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s} not in {page}"));
    let style = &page[at("<style>")..at("</style>")];
    let order = [
        "--main-bg:#F3F7F9",
        ":root{--main-bg:#fff;--brand-accent:red}",
        ":root{--nav-width:300px;--brand-accent:#c00}:root[data-theme=\"dark\"]{--main-bg:#000}",
    ];
    let found: Vec<usize> = order
        .iter()
        .map(|s| {
            style
                .find(s)
                .unwrap_or_else(|| panic!("{s} not in {style}"))
        })
        .collect();
    assert!(found.windows(2).all(|w| w[0] < w[1]), "{style}");
    assert!(
        style.ends_with(order[2]),
        "the page's own come last: {style}"
    );
    assert!(at("</style>") < at("stylesheets/screen.css"));
    assert!(page.contains("id=\"theme-toggle\" aria-pressed=\"false\""));
    // `dark: false`: no switch and no script choosing the mode
    let plain = read(b.join("plain.html"));
    assert!(
        !plain.contains("theme-toggle") && !plain.contains("prefers-color-scheme"),
        "{plain}"
    );
    assert!(plain.contains("<html lang=\"en\">") && plain.contains("--main-bg:#fff"));

    // a name no stylesheet declares: a warning with a suggestion
    std::fs::write(
        d.path().join("source/index.html.md"),
        "---\ntheme:\n  nav-widht: 300px\n---\n# Hi\n",
    )
    .unwrap();
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "warning: source/index.html.md:3: theme: `nav-widht` is not a variable of the theme, so it changes nothing; did you mean `nav-width`? (shale's docs/theming.md lists the variables)\n"
    );
}

#[test]
fn user_text_is_escaped_in_attributes_and_title() {
    let d = project(&[(
        "source/index.html.md",
        b"---\ntitle: A </title><script>alert(1)</script>\nlanguage_tabs:\n  - 'x\"><script>': Bad\nmeta:\n  - name: description\n    content: '\"><script>alert(1)</script>'\n---\n# Say \"hi\" <b>now</b>\n",
    )]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(d.path().join("build/index.html"));
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(!page.contains("x\"><script>"), "{page}");
    assert!(
        page.contains("data-title=\"Say &quot;hi&quot; now\""),
        "{page}"
    );
}

#[test]
fn warnings_name_file_and_line_and_strict_makes_them_errors() {
    let d = project(&[
        (
            "source/index.html.md",
            b"---\nlanguage_tabs:\n  - shell\n  - ruby\n---\n# Intro\n\nSee [nowhere](#missing), [intro](#intro), [raw](#raw-anchor), [other](other.html), [gone](gone.html).\n\n![missing](nope.png) ![ok](logo.png)\n\n<a id=\"raw-anchor\"></a>\n\n```shell\nls\n```\n\n```Shell\nls\n```\n",
        ),
        ("source/other.html.md", b"# Other\n"),
        ("source/images/logo.png", b"PNG"),
    ]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let expect = [
        "warning: source/index.html.md:8: link to `#missing`, but no element of this page has the id `missing`",
        "warning: source/index.html.md:8: link `gone.html` points to a file that is not in the source folder",
        "warning: source/index.html.md:10: image `nope.png` points to a file that is not in the source folder",
        "warning: source/index.html.md:18: no highlighter for code language `Shell`",
        "warning: source/index.html.md:2: language tab `ruby` is used by no code block of this page",
    ];
    for e in expect {
        assert!(err.contains(e), "missing «{e}» in:\n{err}");
    }
    assert_eq!(
        err.lines().count(),
        expect.len(),
        "no other warnings:\n{err}"
    );

    let site = read(d.path().join("build/index.html"));
    std::fs::write(d.path().join("source/other.html.md"), "# Changed\n").unwrap();
    let o = shale(d.path(), &["build", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("5 warnings with --strict: the site was not written"),
        "{err}"
    );
    assert_eq!(
        read(d.path().join("build/index.html")),
        site,
        "old site intact"
    );
    assert!(read(d.path().join("build/other.html")).contains("Other"));
}

#[test]
fn warnings_below_raw_html_and_in_quotes_name_their_source_line() {
    // Issue 12, item 6: a warning below a multi-line raw HTML block, in a blockquote or
    // after a reference definition names the line it is on, in a page and an include.
    let page = "---\nincludes:\n  - part\n---\n# Page\n\n<div class=\"note\">\none\n\ntwo\n\nthree\n</div>\n\nA [missing link](#nowhere) here.\n\n> - quoted [gone](gone.html)\n>\n> ```Shell\n> ls\n> ```\n";
    let part = "## Part\n\n<aside class=\"notice\">\na\n\nb\n\nc\n</aside>\n\n[x]: /ref\nBelow [a ref][x] and\n[missing](#nope-too).\n";
    let d = project(&[
        ("source/index.html.md", page.as_bytes()),
        ("source/includes/_part.md", part.as_bytes()),
    ]);
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let expect = [
        "warning: source/index.html.md:15: link to `#nowhere`, but no element of this page has the id `nowhere`",
        "warning: source/index.html.md:17: link `gone.html` points to a file that is not in the source folder",
        "warning: source/index.html.md:19: no highlighter for code language `Shell`",
        "warning: source/includes/_part.md:12: link `/ref` points to a file that is not in the source folder",
        "warning: source/includes/_part.md:13: link to `#nope-too`, but no element of this page has the id `nope-too`",
    ];
    for e in expect {
        assert!(err.contains(e), "missing «{e}» in:\n{err}");
    }
    assert_eq!(
        err.lines().count(),
        expect.len(),
        "no other warnings:\n{err}"
    );
}

/// The `href`/`src` values of every `attr="…"` in `html` after `from` and before `to`.
fn urls_between<'a>(html: &'a str, attr: &str, from: &str, to: &str) -> Vec<&'a str> {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = start + html[start..].find(to).unwrap_or_else(|| panic!("no {to}"));
    let needle = format!("{attr}=\"");
    html[start..end]
        .match_indices(&needle)
        .map(|(i, _)| {
            let v = &html[start + i + needle.len()..end];
            &v[..v.find('"').unwrap()]
        })
        .collect()
}

/// `shale build -s SRC -o OUT`, run in `dir`.
fn build_to(dir: &Path, src: &Path, out: &Path) -> std::process::Output {
    let (src, out) = (src.to_str().unwrap(), out.to_str().unwrap());
    shale(dir, &["build", "-s", src, "-o", out])
}

#[test]
fn multi_language_site_per_language_with_its_own_includes() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let src = repo().join("tests/fixtures/i18n/source");
    let o = build_to(d.path(), &src, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    assert!(stdout(&o).starts_with("built 6 pages ("), "{}", stdout(&o));
    // en is first in alphabetical order: at the root; es and pt in their folders.
    // changelog.html.md has no language in its name: built for every language.
    for (page, lang, texts) in [
        (
            "index.html",
            "en",
            &[
                "written in English (includes/_intro.en.md)",
                "shared by every language (includes/_errors.md)",
            ][..],
        ),
        (
            "es/index.html",
            "es",
            &[
                "escrita en español (includes/_intro.es.md)",
                "shared by every language (includes/_errors.md)",
            ],
        ),
        (
            "pt/index.html",
            "pt",
            &[
                "escrita em português (includes/_intro.pt.md)",
                "em português (includes/_errors.pt.md)",
            ],
        ),
        (
            "changelog.html",
            "en",
            &["untranslated (includes/_notes.md)"],
        ),
        (
            "es/changelog.html",
            "es",
            &["untranslated (includes/_notes.md)"],
        ),
        (
            "pt/changelog.html",
            "pt",
            &["em português (includes/_notes.pt.md)"],
        ),
    ] {
        let html = read(out.join(page));
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{page}: lang"
        );
        for t in texts {
            assert!(html.contains(t), "{page} lacks {t}");
        }
        // Every other include stays out.
        let includes = html.matches("(includes/_").count();
        assert_eq!(includes, texts.len(), "{page}: {includes} includes");
        let dir = out.join(page).parent().unwrap().to_path_buf();
        // The switcher: one link per language, this one marked, each to a built page
        // in that language.
        let links = urls_between(&html, "href", "<nav class=\"locale-switcher\"", "</nav>");
        assert_eq!(links.len(), 3, "{page}: {links:?}");
        let current: Vec<&str> = html
            .lines()
            .filter(|l| l.contains("aria-current=\"page\""))
            .collect();
        assert_eq!(current.len(), 1, "{page}: {current:?}");
        assert!(
            current[0].contains(&format!("hreflang=\"{lang}\"")),
            "{page}: {current:?}"
        );
        for (link, (code, name)) in links.iter().zip([
            ("en", "English"),
            ("es", "Español (Latinoamérica)"),
            ("pt", "Português"),
        ]) {
            let target = dir.join(link);
            assert!(target.is_file(), "{page}: {link} does not exist");
            let other = read(&target);
            assert!(
                other.contains(&format!("<html lang=\"{code}\">")),
                "{page}: {link}"
            );
            assert!(
                html.contains(&format!(
                    "<a href=\"{link}\" hreflang=\"{code}\" lang=\"{code}\""
                )) && html.contains(&format!(">{name}</a>")),
                "{page}: the {code} link"
            );
            assert!(
                html.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{link}\">"
                )),
                "{page}: hreflang {code}"
            );
        }
        assert!(
            html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">",
                links[0]
            )),
            "{page}: x-default is the root language"
        );
        // Stylesheets, scripts, the logo and images resolve from the page's folder.
        for url in urls_between(&html, "href", "<head>", "</head>")
            .into_iter()
            .chain(urls_between(&html, "src", "<head>", "</body>"))
            .filter(|u| !u.starts_with("data:") && !u.starts_with('#'))
        {
            assert!(dir.join(url).is_file(), "{page}: {url} does not exist");
        }
    }
    // The same markdown image in every language; a file under localizable/ per language.
    let pt = read(out.join("pt/index.html"));
    assert!(pt.contains("<img src=\"../images/kitten.png\" alt=\"Um gatinho\" />"));
    assert!(pt.contains("<img src=\"flow.svg\""));
    assert!(read(out.join("pt/flow.svg")).contains("gatinho"));
    assert!(read(out.join("flow.svg")).contains("kitten"));
    assert!(read(out.join("es/flow.svg")).contains("kitten"));
    assert!(pt.contains("<script src=\"../pt/index.search.js\" defer>"));
    assert!(read(out.join("pt/index.search.js")).contains("Autenticação"));
    assert!(!out.join("localizable").exists());
    assert!(!out.join("es/index.search.js").exists(), "es has no search");
}

#[test]
fn corpus_neoway_builds_per_language() {
    // A real i18n Slate source: explicit `data.en` / `data.pt` includes keep working.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let src = repo().join("tests/fixtures/corpus/neoway/source");
    let o = build_to(d.path(), &src, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let en = read(out.join("index.html"));
    let pt = read(out.join("pt/index.html"));
    assert!(en.contains("<html lang=\"en\">") && pt.contains("<html lang=\"pt\">"));
    assert!(
        en.contains("<h1 id='data-api'>Data API</h1>"),
        "_data.en.md"
    );
    assert!(
        pt.contains("<h1 id='api-de-dados'>API de Dados</h1>"),
        "_data.pt.md"
    );
    assert!(!en.contains("API de Dados") && !pt.contains("<h1 id='data-api'>"));
    assert!(pt.contains("<link rel=\"stylesheet\" href=\"../stylesheets/screen.css\""));
    assert!(pt.contains("<a href=\"../index.html\" hreflang=\"en\" lang=\"en\">English</a>"));
}

#[test]
fn right_to_left_languages_get_the_mirrored_layout() {
    let p = project(&[
        (
            "source/localizable/index.en.html.md",
            b"---\ntitle: API\n---\n# Hello\n",
        ),
        (
            "source/localizable/index.ar.html.md",
            b"---\ntitle: API\n---\n# \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\n",
        ),
        (
            "source/localizable/index.he.html.md",
            b"---\ntitle: API\nrtl: false\n---\n# Shalom\n",
        ),
    ]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = |rel: &str| read(p.path().join("build").join(rel));
    // `ar` is first alphabetically: at the root.
    assert!(html("index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(
        html("en/index.html").contains("<html lang=\"en\">"),
        "English stays left to right"
    );
    assert!(
        html("he/index.html").contains("<html lang=\"he\">"),
        "`rtl: false` in the front matter wins"
    );
}

/// The `<html lang>` of a built page.
fn html_lang(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("<html lang>") + 12;
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn locales_name_the_languages_as_middleman() {
    // A repository with locales/en.yml and locales/cn.yml beside source/ and
    // `activate :i18n, :mount_at_root => :en`: English at the root, Chinese in cn/.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let o = build_to(
        d.path(),
        &repo().join("tests/fixtures/i18n-cn/source"),
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    assert!(stdout(&o).starts_with("built 2 pages ("), "{}", stdout(&o));
    assert!(!out.join("localizable").exists());
    let en = read(out.join("index.html"));
    let cn = read(out.join("cn/index.html"));
    // `cn` names Chinese: `lang="zh"`, and the switcher says so in Chinese.
    assert_eq!((html_lang(&en), html_lang(&cn)), ("en", "zh"));
    // t(:key) in the front matter (title, toc_footers), from locales/LANG.yml.
    assert!(en.contains("<title>Payments API</title>"));
    assert!(cn.contains("<title>支付 API</title>"));
    assert!(cn.contains(">申请开发者密钥</a>") && !cn.contains("t(:signup)"));
    // The page without a language is built for English only (Chinese has its own);
    // each with its language's include.
    assert!(en.contains("Welcome to the Payments API") && en.contains("(includes/_errors.md)"));
    assert!(cn.contains("欢迎使用支付 API") && cn.contains("includes/_errors.cn.md）"));
    assert!(!en.contains("_errors.cn.md") && !cn.contains("(includes/_errors.md)"));
    assert!(cn.contains("<img src=\"../images/kitten.png\" alt=\"小猫\" />"));
    assert!(cn.contains("<a href=\"../index.html\" hreflang=\"en\" lang=\"en\">English</a>"));
    assert!(en.contains("<a href=\"cn/index.html\" hreflang=\"zh\" lang=\"zh\">中文</a>"));
    let problems = unresolved_urls(&out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn mount_at_root_false_and_a_redirect_from_config_rb() {
    // One page for every language, its include as _doc.en.md and _doc.zh.md, and in
    // config.rb `:mount_at_root => false` and `redirect "index.html", :to =>
    // "./zh/index.html"`.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let o = build_to(
        d.path(),
        &repo().join("tests/fixtures/i18n-zh/source"),
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    assert!(stdout(&o).starts_with("built 2 pages ("), "{}", stdout(&o));
    let en = read(out.join("en/index.html"));
    let zh = read(out.join("zh/index.html"));
    assert!(en.contains("(includes/_doc.en.md)") && zh.contains("includes/_doc.zh.md）"));
    assert!(en.contains("<title>Open Platform API</title>"));
    assert!(zh.contains("<title>开放平台 API</title>"));
    // No language at the root: no x-default, each switcher link to the other folder.
    assert!(!zh.contains("x-default"));
    assert!(zh.contains("<a href=\"../en/index.html\" hreflang=\"en\" lang=\"en\">English</a>"));
    // The redirect: a meta refresh and a link, relative (works under any sub-path).
    let root = read(out.join("index.html"));
    assert!(
        root.contains("<meta http-equiv=\"refresh\" content=\"0; url=zh/index.html\">"),
        "{root}"
    );
    assert!(
        root.contains("<a href=\"zh/index.html\">zh/index.html</a>"),
        "{root}"
    );
    assert!(root.contains("<meta name=\"robots\" content=\"noindex,follow\">"));
    assert!(
        !root.contains("class=\"content\""),
        "not a page of the site"
    );
    let problems = unresolved_urls(&out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_language_with_its_own_page_does_not_hide_the_others() {
    // locales/en.yml and locales/kr.yml, localizable/index.html.md and
    // index.kr.html.md: English at the root from the first, Korean in kr/.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("site");
    let o = build_to(
        d.path(),
        &repo().join("tests/fixtures/i18n-kr/source"),
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    let en = read(out.join("index.html"));
    let kr = read(out.join("kr/index.html"));
    assert_eq!((html_lang(&en), html_lang(&kr)), ("en", "ko"));
    assert!(en.contains("<h1 id='introduction'>Introduction</h1>") && en.contains("Bad Request"));
    assert!(kr.contains(">소개</h1>") && kr.contains("잘못된 요청"));
    assert!(kr.contains("<title>거래소 API</title>"));
}

#[test]
fn languages_translations_and_redirects_warn_with_file_and_line() {
    let p = project(&[
        ("locales/en.yml", b"en:\n  title: Cats\n  hello: Hello\n"),
        ("locales/pt.yml", b"pt:\n  title: Gatos\n"),
        (
            "config.rb",
            b"activate :i18n\nredirect \"old.html\", to: \"/gone.html\"\nredirect 'v1/', :to => '/index.html'\n",
        ),
        (
            "source/localizable/index.html.md",
            b"---\ntitle: <%= t(:title) %>\n---\n# <%= t(:title) %>\n\n<%= t(:hello) %>, `<%= t(:hello) %>`.\n\n```erb\n<%= t(:hello) %>\n```\n",
        ),
        ("source/localizable/guide.html.md", b"# Guide\n"),
        ("source/localizable/guide.en.html.md", b"# Guide\n"),
        ("source/localizable/guide.pt.html.md", b"# Guia\n"),
    ]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = |rel: &str| read(p.path().join("build").join(rel));
    let en = html("index.html");
    let pt = html("pt/index.html");
    assert!(en.contains("<title>Cats</title>") && en.contains(">Cats</h1>"));
    assert!(pt.contains("<title>Gatos</title>") && pt.contains(">Gatos</h1>"));
    // In prose, not in code.
    assert!(
        en.contains("<p>Hello, <code>&lt;%= t(:hello) %&gt;</code>.</p>"),
        "{en}"
    );
    assert!(
        en.contains("<span class=\"ss\">:hello</span>"),
        "the code block keeps it"
    );
    // `pt` has no `hello`: the tag stays, with a warning at its line.
    assert!(pt.contains("&lt;%= t(:hello) %&gt;, <code>"), "{pt}");
    assert!(p.path().join("build/v1/index.html").is_file());
    assert!(read(p.path().join("build/v1/index.html")).contains("url=../index.html\""));
    assert!(read(p.path().join("build/old.html")).contains("url=gone.html\""));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    for want in [
        "warning: config.rb:2: `redirect \"old.html\"` leads to `gone.html`, which this build does not write",
        "warning: source/localizable/guide.html.md: not built: every language of the site (en, pt) has its own page (source/localizable/guide.en.html.md, source/localizable/guide.pt.html.md); remove this page, or add a language without one",
        "warning: source/localizable/index.html.md:6: `t(\"hello\")`: locales/ has no `hello` for `pt`; the tag is left as written",
    ] {
        assert!(lines.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("warning:")).count(),
        3,
        "{err}"
    );
    let o = shale(p.path(), &["build", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn localizable_without_languages_is_said() {
    let p = project(&[("source/localizable/index.html.md", b"# Hi\n")]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(p.path().join("build/localizable/index.html").is_file());
    assert!(
        stderr(&o).contains("warning: source/localizable/index.html.md: the site has no languages (no locales/LANG.yml beside the source folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn erb_pages_run_middlemans_helpers() {
    let png = std::fs::read(repo().join("tests/fixtures/i18n/source/images/kitten.png")).unwrap();
    let p = project(&[
        (
            "source/index.html.md.erb",
            b"---\ntitle: Widgets\nversion: 2.1\nincludes:\n  - errors\n---\n<%# Middleman runs the ERB, then the markdown. %>\n# <%= current_page.data.title %> v<%= current_page.data.version %>\n\n<%= image_tag \"images/login.png\", alt: \"The sign-in screen\", width: 320 %>\n\nSee <%= link_to \"the guide\", \"/guide.html\" %> and <%= link_to \"GitHub\", \"https://github.com\", class: \"ext\" %>.\n\n<% link_to \"https://example.com/signup\" do -%>\nSign up\n<% end -%>\n\n<%= partial \"includes/kinds\" %>\n\n# Pricing\n\n<%%= not run %>\n\n[Kinds](#widget-kinds)\n",
        ),
        ("source/includes/_kinds.md", b"---\nignored: front matter\n---\n# Widget kinds\n\nRound and square.\n"),
        ("source/includes/_errors.md", b"# Errors\n"),
        ("source/guide.html.md", b"# Guide\n"),
        ("source/images/login.png", &png),
    ]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    let html = read(p.path().join("build/index.html"));
    let content = content_of(&html);
    for want in [
        "<h1 id='widgets-v2-1'>Widgets v2.1</h1>",
        "<img src=\"images/login.png\" alt=\"The sign-in screen\" width=\"320\" />",
        "See <a href=\"guide.html\">the guide</a> and <a href=\"https://github.com\" class=\"ext\">GitHub</a>.",
        "<a href=\"https://example.com/signup\">Sign up\n</a>",
        "<h1 id='widget-kinds'>Widget kinds</h1>",
        "&lt;%= not run %&gt;",
    ] {
        assert!(content.contains(want), "lacks {want}:\n{content}");
    }
    assert!(!content.contains("Middleman runs the ERB"), "comments go");
    assert!(
        !content.contains("ignored: front matter"),
        "a partial's front matter goes"
    );
    // The partial where its tag stands: after the link, before the page's next heading
    // and before the includes.
    let at = |s: &str| content.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("Sign up") < at("Widget kinds") && at("Widget kinds") < at("Pricing"));
    assert!(at("Pricing") < at("<h1 id='errors'>"));
    assert!(
        html.contains(
            "href=\"#widget-kinds\" class=\"toc-h1 toc-link\" data-title=\"Widget kinds\""
        ),
        "in the TOC"
    );
    assert!(p.path().join("build/images/login.png").is_file());
}

#[test]
fn erb_warnings_point_at_the_lines_of_the_file() {
    // ERB takes lines out (a comment, a trimmed tag): a warning about the markdown
    // after them still names the line of the file.
    let p = project(&[(
        "source/index.html.md.erb",
        b"---\ntitle: x\n---\n<%# one %>\n<%# two %>\n<%- -%>\n# A\n\n<%= image_tag 'nowhere.png' %>\n\n[broken](#nowhere)\n",
    )]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: source/index.html.md.erb:9: image `nowhere.png` points to a file that is not in the source folder"), "{err}");
    assert!(
        err.contains("warning: source/index.html.md.erb:11: link to `#nowhere`"),
        "{err}"
    );
}

#[test]
fn erb_pages_in_a_multi_language_site() {
    // An ERB page under localizable/: built per language, its t(), partials and images
    // resolved for each language as markdown's are.
    let png = std::fs::read(repo().join("tests/fixtures/i18n/source/images/kitten.png")).unwrap();
    let p = project(&[
        ("locales/en.yml", b"en:\n  hello: Hello\n"),
        ("locales/pt.yml", b"pt:\n  hello: Ol\xc3\xa1\n"),
        (
            "source/localizable/index.html.md.erb",
            b"# <%= t(:hello) %>\n\n<%= image_tag 'images/kitten.png' %>\n\n<%= partial 'includes/part' %>\n",
        ),
        ("source/includes/_part.md", b"Shared part.\n"),
        ("source/includes/_part.pt.md", b"Parte em portugu\xc3\xaas.\n"),
        ("source/images/kitten.png", &png),
    ]);
    let o = shale(p.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    let en = read(p.path().join("build/index.html"));
    let pt = read(p.path().join("build/pt/index.html"));
    assert!(
        en.contains(">Hello</h1>")
            && en.contains("<img src=\"images/kitten.png\" alt=\"Kitten\" />")
    );
    assert!(en.contains("Shared part."));
    assert!(
        pt.contains(">Olá</h1>")
            && pt.contains("<img src=\"../images/kitten.png\" alt=\"Kitten\" />")
    );
    assert!(pt.contains("Parte em português.") && !pt.contains("Shared part."));
}
