//! Every error a user can meet in `shale build`, `serve`, `new` and `init`, as the user meets it: the binary's exit
//! status and exact output, compared with a snapshot in `tests/snapshots/errors/`
//! (paths of the temporary project written as `$PROJECT`). After each failure the
//! previous site in `build/` must be intact and no temporary folder left behind.
//!
//! `SHALE_BLESS=1 cargo test --test suite errors` rewrites the snapshots; review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The previous site, which a failed build must leave alone.
const OLD_SITE: &str = "<p>the previous site</p>";

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
    /// Runs on the project folder before the build (symlinks, odd files).
    setup: Option<fn(&Path)>,
}

fn case(name: &'static str, files: &[(&'static str, &[u8])]) -> Case {
    Case {
        name,
        files: files.iter().map(|(p, b)| (*p, b.to_vec())).collect(),
        args: vec!["build"],
        setup: None,
    }
}

impl Case {
    fn args(mut self, args: &[&'static str]) -> Case {
        self.args = args.to_vec();
        self
    }
    fn setup(mut self, f: fn(&Path)) -> Case {
        self.setup = Some(f);
        self
    }
}

const INDEX: &str = "source/index.html.md";

fn cases() -> Vec<Case> {
    vec![
        case("source_missing", &[]),
        case("source_is_a_file", &[("source", b"# not a folder\n")]),
        case("no_pages", &[("source/README.md", b"# x\n"), ("source/images/a.png", b"PNG")]),
        // Old Slate naming: the rename to make.
        case("no_pages_index_md", &[("source/index.md", b"# x\n")]),
        case(
            "yaml_syntax",
            &[(INDEX, b"---\ntitle: API\nlanguage_tabs: [shell\nsearch: true\n---\n# Hi\n")],
        ),
        case(
            "yaml_tab_indent",
            &[(INDEX, b"---\ntitle: API\nlanguage_tabs:\n\t- shell\n---\n# Hi\n")],
        ),
        case(
            "yaml_not_a_mapping",
            &[(INDEX, b"---\n- shell\n- ruby\n---\n# Hi\n")],
        ),
        case(
            "yaml_deep_nesting",
            &[(INDEX, format!("---\ntitle: x\ndeep: {}\n---\n# Hi\n", "[".repeat(5000)).leak().as_bytes())],
        ),
        case(
            "yaml_alias_bomb",
            &[(INDEX, b"---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n# Hi\n")],
        ),
        case(
            "language_tabs_not_a_list",
            &[(INDEX, b"---\ntitle: API\nlanguage_tabs: shell\n---\n# Hi\n")],
        ),
        case(
            "title_is_a_list",
            &[(INDEX, b"---\ntitle:\n  - one\n  - two\n---\n# Hi\n")],
        ),
        case(
            "includes_item_is_a_mapping",
            &[(INDEX, b"---\nincludes:\n  - errors: yes\n---\n# Hi\n")],
        ),
        case(
            "meta_not_a_list",
            &[(INDEX, b"---\nmeta: description\n---\n# Hi\n")],
        ),
        case(
            "meta_attribute_name",
            &[(INDEX, b"---\nmeta:\n  - name: description\n    'content=x onload': alert(1)\n---\n# Hi\n")],
        ),
        case(
            "theme_value_breaks_out",
            &[(INDEX, b"---\ntitle: API\ntheme:\n  nav-width: 300px\n  main-bg: \"#fff} body { display: none\"\n---\n# Hi\n")],
        ),
        case(
            "theme_colour_unquoted",
            &[(INDEX, b"---\ntheme:\n  dark:\n    main-bg: #111\n---\n# Hi\n")],
        ),
        case(
            "theme_variables_css_ends_style",
            &[
                (INDEX, b"# Hi\n"),
                ("assets/stylesheets/variables.css", b":root {\n  --main-bg: #fff;\n}\n</style><script>alert(1)</script>\n"),
            ],
        ),
        case(
            "theme_unknown_variable_strict",
            &[(INDEX, b"---\ntheme:\n  nav-widht: 300px\n---\n# Hi\n")],
        )
        .args(&["build", "--strict"]),
        case(
            "include_missing",
            &[(INDEX, b"---\nincludes:\n  - errors\n---\n# Hi\n")],
        ),
        case(
            "include_missing_in_subfolder",
            &[("source/v2/api.html.md", b"---\nincludes:\n  - v2/users\n---\n# Hi\n")],
        ),
        case(
            "include_missing_localized",
            &[
                ("source/localizable/index.en.html.md", b"# Hi\n"),
                ("source/localizable/index.pt.html.md", b"---\nincludes:\n  - errors\n---\n# Oi\n"),
            ],
        ),
        case(
            "mount_at_root_unknown_language",
            &[
                ("source/localizable/index.en.html.md", b"---\ntitle: API\nmount_at_root: fr\n---\n# Hi\n"),
                ("source/localizable/index.pt.html.md", b"# Oi\n"),
            ],
        ),
        case(
            "mount_at_root_disagree",
            &[
                ("source/localizable/index.en.html.md", b"---\nmount_at_root: en\n---\n# Hi\n"),
                ("source/localizable/index.pt.html.md", b"---\ntitle: API\nmount_at_root: pt\n---\n# Oi\n"),
            ],
        ),
        case(
            "localized_page_collides",
            &[
                ("source/localizable/index.en.html.md", b"# Hi\n"),
                ("source/localizable/index.pt.html.md", b"# Oi\n"),
                ("source/pt/index.html.md", b"# Old\n"),
            ],
        ),
        case(
            "include_leaves_source",
            &[(INDEX, b"---\nincludes:\n  - ../../etc/passwd\n---\n# Hi\n")],
        ),
        case(
            "include_absolute",
            &[(INDEX, b"---\nincludes:\n  - /etc/passwd\n---\n# Hi\n")],
        ),
        case(
            "include_empty_name",
            &[(INDEX, b"---\nincludes:\n  - ''\n---\n# Hi\n")],
        ),
        case(
            "include_symlink_outside",
            &[(INDEX, b"---\nincludes:\n  - secret\n---\n# Hi\n"), ("secret.md", b"SECRET")],
        )
        .setup(|d| {
            std::fs::create_dir_all(d.join("source/includes")).unwrap();
            std::os::unix::fs::symlink(d.join("secret.md"), d.join("source/includes/_secret.md"))
                .unwrap()
        }),
        case(
            "page_not_utf8",
            &[(INDEX, b"---\ntitle: x\n---\n# Caf\xe9\n\nText\n")],
        ),
        case(
            "include_not_utf8",
            &[
                (INDEX, b"---\nincludes:\n  - latin1\n---\n# Hi\n"),
                ("source/includes/_latin1.md", b"# Ok\n\nline two\nna\xefve\n"),
            ],
        ),
        case("page_with_nul", &[(INDEX, b"# Hi\n\x00\x01\x02binary\n")]),
        case(
            "erb_ruby_code",
            &[("source/index.html.md.erb", b"---\nbeta: true\n---\n# Hi\n\n<% if current_page.data.beta %>\nBeta\n<% end %>\n")],
        ),
        case(
            "erb_unknown_helper",
            &[("source/index.html.md.erb", b"# Hi\n\nVersion <%= data.api.version %>\n")],
        ),
        case(
            "erb_helper_arguments",
            &[("source/index.html.md.erb", b"# Hi\n\n<%= image_tag \"images/a.png\", \"onload=x\" => 1 %>\n")],
        ),
        case(
            "erb_block_not_closed",
            &[("source/index.html.md.erb", b"# Hi\n\n<% link_to \"https://example.com\" do %>\nSign up\n")],
        ),
        case(
            "erb_partial_missing",
            &[("source/v2/index.html.md.erb", b"# Hi\n\n<%= partial \"includes/users\" %>\n")],
        ),
        case(
            "erb_partial_inside_a_line",
            &[
                ("source/index.html.md.erb", b"# Hi\n\nSee <%= partial \"includes/users\" %>\n"),
                ("source/includes/_users.md", b"# Users\n"),
            ],
        ),
        case(
            "erb_partial_includes_itself",
            &[
                ("source/index.html.md.erb", b"# Hi\n\n<%= partial \"includes/loop\" %>\n"),
                ("source/includes/_loop.md.erb", b"# Loop\n\n<%= partial \"includes/loop\" %>\n"),
            ],
        ),
        case(
            "locales_not_yaml",
            &[
                ("source/localizable/index.html.md", b"# Hi\n"),
                ("locales/en.yml", b"en:\n  title: [API\n"),
            ],
        ),
        case(
            "redirect_over_a_page",
            &[
                (INDEX, b"# Hi\n"),
                ("config.rb", b"set :css_dir, 'stylesheets'\nredirect \"index.html\", to: \"v2/index.html\"\n"),
            ],
        ),
        case("output_is_source", &[(INDEX, b"# Hi\n")]).args(&["build", "--output", "source"]),
        case("output_contains_source", &[(INDEX, b"# Hi\n")]).args(&["build", "-o", "."]),
        case("output_is_a_file", &[(INDEX, b"# Hi\n"), ("site", b"a file")])
            .args(&["build", "-o", "site"]),
        // /sys refuses new folders even to root: an unwritable output parent.
        case("output_parent_unwritable", &[(INDEX, b"# Hi\n")]).args(&["build", "-o", "/sys/build"]),
        case("output_parent_is_a_file", &[(INDEX, b"# Hi\n"), ("blocker", b"a file")])
            .args(&["build", "-o", "blocker/build"]),
        case(
            "layout_does_not_compile",
            &[(INDEX, b"# Hi\n"), ("templates/layout.html", b"<title>{{ page.title }</title>\n{{ content | safe }}\n")],
        ),
        case(
            "layout_without_content",
            &[(INDEX, b"# Hi\n"), ("templates/layout.html", b"<title>{{ page.title }}</title>\n")],
        ),
        case(
            "layout_unknown_variable",
            &[(INDEX, b"# Hi\n"), ("templates/layout.html", b"{{ page.nope }}{{ content | safe }}\n")],
        ),
        case(
            "strict_warnings",
            &[
                (INDEX, b"---\nlanguage_tabs:\n  - ruby\n---\n# Hi\n\n[gone](#nowhere) ![img](missing.png)\n\n```Ruby\nx\n```\n\n# Hi\n"),
            ],
        )
        .args(&["build", "--strict"]),
        case(
            "strict_nesting",
            &[(INDEX, format!("# Deep\n\n{}x\n", "> ".repeat(150)).leak().as_bytes())],
        )
        .args(&["build", "--strict"]),
        case("unknown_flag", &[(INDEX, b"# Hi\n")]).args(&["build", "--sauce", "x"]),
        // `shale new` writes nothing at all when it refuses (the listing check).
        case("new_not_empty", &[("docs/README.md", b"mine")]).args(&["new", "docs"]),
        case("new_here_not_empty", &[]).args(&["new", "."]),
        case("new_into_a_file", &[("docs", b"a file")]).args(&["new", "docs"]),
        case("new_inside_a_file", &[("docs", b"a file")]).args(&["new", "docs/api"]),
        case("new_without_dir", &[]).args(&["new"]),
        case(
            "settings_unknown_key",
            &[(INDEX, b"# Hi\n"), ("shale.yml", b"nav: true\nsidebar: pages\n")],
        ),
        case(
            "settings_toc_depth",
            &[(INDEX, b"# Hi\n"), ("shale.yml", b"title: Acme\ntoc_depth: 6\n")],
        ),
        case(
            "settings_nav_not_bool",
            &[(INDEX, b"# Hi\n"), ("shale.yml", b"nav: pages\n")],
        ),
        case(
            "settings_not_yaml",
            &[(INDEX, b"# Hi\n"), ("shale.yml", b"nav: true\ntitle: [Acme\n")],
        ),
        case(
            "front_toc_depth",
            &[(INDEX, b"---\ntitle: API\ntoc_depth: deep\n---\n# Hi\n")],
        ),
        case(
            "front_nav_order",
            &[
                (INDEX, b"# Hi\n"),
                ("source/two.html.md", b"---\ntitle: Two\nnav_order: first\n---\n# Two\n"),
                ("shale.yml", b"nav: true\n"),
            ],
        ),
        case(
            "front_version",
            &[(INDEX, b"---\ntitle: API\nversion: [3]\n---\n# Hi\n")],
        ),
        case(
            "custom_id_invalid",
            &[(INDEX, b"---\ntitle: API\n---\n# Orders\n\n## Create an order {#create order}\n")],
        ),
        case(
            "custom_id_repeats_heading",
            &[
                (INDEX, b"---\ntitle: API\nincludes:\n  - orders\n---\n# Orders\n"),
                ("source/includes/_orders.md", b"# List\n\n## List orders {#orders}\n"),
            ],
        ),
        case(
            "custom_id_repeats_html_id",
            &[(INDEX, b"# Orders {#list}\n\n<div id=\"list\">x</div>\n")],
        ),
        case("init_without_source", &[]).args(&["init"]),
        case("serve_single_file", &[("source/index.html.md", b"# A\n")])
            .args(&["serve", "--single-file"]),
    ]
}

fn snapshots() -> PathBuf {
    crate::common::repo().join("tests/snapshots/errors")
}

/// Runs one case; returns the normalised transcript.
fn run(c: &Case) -> String {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    for (path, body) in &c.files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    if let Some(f) = c.setup {
        f(root);
    }
    let out = root.join("build");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), OLD_SITE).unwrap();
    let before = listing(root);

    let o = Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(root)
        .args(&c.args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "{}: must fail", c.name);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{}: a panic reached the user:\n{stderr}",
        c.name
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        OLD_SITE,
        "{}: the previous site must be intact",
        c.name
    );
    assert_eq!(
        listing(root),
        before,
        "{}: the failed build left files behind or removed some",
        c.name
    );
    if c.name == "source_missing" {
        assert!(!root.join("source").exists());
    }

    let real = root.canonicalize().unwrap();
    let normalise = |s: &str| {
        let s = s
            .replace(&real.display().to_string(), "$PROJECT")
            .replace(&root.display().to_string(), "$PROJECT");
        // The staging folder's name ends with the process id.
        match s.find(".shale-tmp-build-") {
            Some(i) => {
                let at = i + ".shale-tmp-build-".len();
                let digits = s[at..].bytes().take_while(u8::is_ascii_digit).count();
                format!("{}PID{}", &s[..at], &s[at + digits..])
            }
            None => s,
        }
    };
    format!(
        "args: {}\nstatus: {}\n--- stdout\n{}--- stderr\n{}",
        c.args.join(" "),
        o.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        normalise(&stdout),
        normalise(&stderr)
    )
}

/// Every path under `root` with its size, for "nothing changed" checks.
fn listing(root: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .map(|e| {
            let size = e
                .metadata()
                .map(|m| if m.is_file() { m.len() } else { 0 })
                .unwrap_or(0);
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                size,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn error_messages_match_their_snapshots() {
    let bless = std::env::var("SHALE_BLESS").is_ok_and(|v| v == "1");
    let dir = snapshots();
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let mut names = Vec::new();
    for c in cases() {
        names.push(format!("{}.txt", c.name));
        let got = run(&c);
        let path = dir.join(format!("{}.txt", c.name));
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: output differs from {}\n--- want\n{want}--- got\n{got}",
                c.name,
                path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no snapshot {} (run with SHALE_BLESS=1)\n{got}",
                c.name,
                path.display()
            )),
        }
    }
    // No stale snapshots.
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if !names.contains(&n) {
            if bless {
                std::fs::remove_file(e.path()).unwrap();
            } else {
                failures.push(format!("{n}: a snapshot without a case"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
