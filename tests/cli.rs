//! `shale build` as a user runs it: the binary, its flags, its output folder, its errors.

mod common;

use std::path::Path;

use common::*;

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
fn erb_pages_with_tags_are_refused() {
    let d = project(&[(
        "source/index.html.md.erb",
        b"# Hi\n<%= partial 'includes/x' %>\n",
    )]);
    let o = shale(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ERB tags"), "{}", stderr(&o));
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
        "warning: source/index.html.md:3: theme: `nav-widht` is not a variable of the theme, so it changes nothing; did you mean `nav-width`? (the README's \"Theming\" section lists the variables)\n"
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
