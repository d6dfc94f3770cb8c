use super::*;
use std::process::Command;

fn pre(info: &str, code: &str) -> (String, Option<String>, &'static str) {
    let (f, _) = classify_fence(info, code);
    (f.pre_class, f.tab, f.lexer)
}

fn render(info: &str, code: &str) -> String {
    let (f, _) = classify_fence(info, code);
    let mut out = String::new();
    render_block(&f, code, &mut out);
    out
}

/// The `<code>` content of a rendered block.
fn tokens(info: &str, code: &str) -> String {
    let html = render(info, code);
    let start = html.find("<code>").map_or(0, |i| i + 6);
    let end = html.rfind("</code>").unwrap_or(html.len());
    html[start..end].to_string()
}

/// slate-behaviour.md 5.1, every row.
#[test]
fn reference_table_5_1() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("ruby", "highlight ruby tab-ruby", Some("ruby")),
        (
            "javascript--node",
            "highlight javascript tab-javascript--node",
            Some("javascript--node"),
        ),
        (
            "shell--curl--v2",
            "highlight shell tab-shell--curl--v2",
            Some("shell--curl--v2"),
        ),
        ("json", "highlight json tab-json", Some("json")),
        ("js", "highlight javascript", None),
        ("bash", "highlight shell", None),
        ("zsh", "highlight shell", None),
        ("sh", "highlight sh tab-shell", Some("shell")),
        ("py", "highlight py tab-python", Some("python")),
        ("objc", "highlight objective_c", None),
        ("c#", "highlight csharp", None),
        ("c++", "highlight cpp", None),
        ("text", "highlight plaintext", None),
        (
            "plaintext--mac",
            "highlight plaintext tab-plaintext--mac",
            Some("plaintext--mac"),
        ),
        ("text--mac", "highlight plaintext", None),
        ("Ruby", "highlight plaintext", None),
        ("JSON", "highlight plaintext", None),
        ("foo", "highlight plaintext", None),
        ("", "highlight plaintext", None),
    ];
    for (info, class, tab) in cases {
        let (c, t, _) = pre(info, "x = 1\n");
        assert_eq!(&c, class, "pre class of {info:?}");
        assert_eq!(t.as_deref(), *tab, "tab of {info:?}");
    }
}

#[test]
fn fence_fields() {
    let (f, amb) = classify_fence("javascript--node", "");
    assert_eq!(amb, None);
    assert_eq!(f.info, "javascript--node");
    assert_eq!(f.base, "javascript");
    assert_eq!(f.lexer, "javascript");
    let (f, _) = classify_fence("js", "");
    assert_eq!((f.base.as_str(), f.lexer), ("js", "javascript"));
    let (f, _) = classify_fence("", "#!/bin/bash\n");
    assert_eq!((f.base.as_str(), f.lexer, f.tab), ("", "shell", None));
}

#[test]
fn odd_info_strings() {
    // Ruby: "--".split("--") == [] -> nil -> guess; sub("highlight ") hits.
    assert_eq!(pre("--", "#!/bin/bash\n").0, "highlight  tab---shell");
    assert_eq!(pre("----x", "").0, "highlight  tab-----xplaintext");
    assert_eq!(pre("---", "").0, "highlight  tab----plaintext");
    assert_eq!(pre("ruby--", "").0, "highlight ruby tab-ruby--");
    assert_eq!(pre("ruby?x=1", "").0, "highlight ruby");
    assert_eq!(pre("ruby?x=1", "").2, "ruby");
    assert_eq!(
        pre("guess", "#!/usr/bin/env python\n").0,
        "highlight python"
    );
    assert_eq!(pre("guess?mimetype=application/json", "{}\n").2, "json");
    assert_eq!(pre("?", "").2, "plaintext");
}

/// Guessing for fences without an info string (checked against Ruby too,
/// in `matches_ruby`).
#[test]
fn guessing() {
    let cases: &[(&str, &str)] = &[
        ("#!/bin/bash\necho hi\n", "shell"),
        ("#!/bin/sh\nls\n", "shell"),
        ("#!/usr/bin/env zsh\n", "shell"),
        ("#!/usr/bin/env python3\nprint(1)\n", "python"),
        ("#!/usr/bin/env python2.7\n", "python"),
        ("#!/usr/bin/env ruby\nputs 1\n", "ruby"),
        ("#!/usr/bin/env node\nconsole.log(1)\n", "javascript"),
        ("  #!/usr/bin/perl -w\n", "perl"),
        ("\u{feff}#!/bin/bash\n", "shell"),
        ("<?xml version=\"1.0\"?>\n<a/>\n", "xml"),
        ("<!DOCTYPE html>\n<html></html>\n", "html"),
        ("<!DOCTYPE foo>\n<foo/>\n", "xml"),
        ("<html><body></body></html>\n", "html"),
        ("{\"a\": 1}\n", "plaintext"),
        ("hello world\n", "plaintext"),
        ("", "plaintext"),
        ("<?php\necho 1;\n", "php"),
        ("<?= $x ?>\n", "lasso"),
        ("<?hh\n", "hack"),
        ("package main\n\nfunc main() {}\n", "mosel"),
        ("%YAML 1.2\n---\na: 1\n", "yaml"),
        ("--- a\n+++ b\n", "diff"),
        ("Index: foo\n", "diff"),
        ("\\documentclass{article}\n", "tex"),
        ("pragma solidity ^0.8.0;\n", "solidity"),
        ("#lang racket\n", "racket"),
        ("%!PS\n", "postscript"),
        ("# vim: set ft=ruby:\nputs 1\n", "ruby"),
        ("# -*- mode: python -*-\nx = 1\n", "python"),
        ("# vim: ft=json\n{}\n", "json"),
    ];
    for (code, tag) in cases {
        let (f, amb) = classify_fence("", code);
        assert_eq!(f.lexer, *tag, "guess for {code:?}");
        assert_eq!(amb, None, "{code:?}");
        assert_eq!(f.pre_class, format!("highlight {tag}"));
        assert_eq!(f.tab, None);
    }
}

#[test]
fn ambiguous_guess() {
    let (f, amb) = classify_fence("", "#!/bin/sh\npackage foo\n");
    assert_eq!(f.lexer, "plaintext");
    assert_eq!(f.pre_class, "highlight plaintext");
    assert_eq!(amb, Some(vec!["mosel", "shell"]));
    let (_, amb) = classify_fence("", "#!/usr/bin/env bash -x io\n");
    assert_eq!(amb, Some(vec!["io", "shell"]));
}

#[test]
fn every_detect_rule_is_ported() {
    let mut detectable: Vec<&str> = LEXERS
        .iter()
        .filter(|l| l.detectable)
        .map(|l| l.tag)
        .collect();
    let mut ported = guess::DETECT_TAGS.to_vec();
    detectable.sort_unstable();
    ported.sort_unstable();
    assert_eq!(detectable, ported);
}

#[test]
fn lookup_table_is_sorted_and_complete() {
    assert!(rouge_lexers::REGISTRY.windows(2).all(|w| w[0].0 < w[1].0));
    for l in LEXERS {
        assert_eq!(guess::find(l.tag).map(|i| LEXERS[i].tag), Some(l.tag));
    }
    assert!(SYNTAXES.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(rouge_lexers::SHELL_BUILTINS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn mapped_syntaxes_exist() {
    let ss = syntax_set();
    for (tag, name) in SYNTAXES {
        assert!(ss.find_syntax_by_name(name).is_some(), "{tag} -> {name}");
        assert!(guess::find(tag).is_some(), "{tag} is not a Rouge tag");
        assert!(has_highlighter(tag));
    }
    assert!(ss.find_syntax_by_name("PHP Source").is_some());
    assert!(has_highlighter("console"));
    assert!(!has_highlighter("plaintext"));
    assert!(!has_highlighter("abap"));
    for tag in [
        "shell",
        "console",
        "javascript",
        "json",
        "python",
        "ruby",
        "go",
        "java",
        "php",
        "csharp",
        "cpp",
        "c",
        "swift",
        "kotlin",
        "objective_c",
        "http",
        "xml",
        "html",
        "yaml",
        "sql",
        "typescript",
        "toml",
        "powershell",
        "docker",
        "graphql",
        "dart",
        "protobuf",
        "elixir",
        "rust",
        "scala",
        "perl",
        "lua",
        "r",
        "css",
        "scss",
        "markdown",
        "diff",
        "ini",
        "nginx",
        "make",
    ] {
        assert!(has_highlighter(tag), "{tag}");
    }
}

#[test]
fn block_shape() {
    assert_eq!(
        render("ruby", ""),
        "<div class=\"highlight\"><pre class=\"highlight ruby tab-ruby\"><code></code></pre></div>"
    );
    // The final newline stays inside <code> (in JSON inside a `w` span, as
    // Rouge does).
    let html = render("json", "{}\n");
    assert!(html.ends_with("\n</span></code></pre></div>"), "{html}");
    let html = render("python", "x\n");
    assert!(html.ends_with("\n</code></pre></div>"), "{html}");
}

#[test]
fn json_classes() {
    let t = tokens(
        "json",
        "{\n  \"id\": 2,\n  \"name\": \"Max\",\n  \"f\": 1.5, \"t\": true\n}\n",
    );
    assert!(
        t.contains("<span class=\"nl\">&quot;id&quot;</span>"),
        "{t}"
    );
    assert!(
        t.contains("<span class=\"s2\">&quot;Max&quot;</span>"),
        "{t}"
    );
    assert!(t.contains("<span class=\"mi\">2</span>"), "{t}");
    assert!(t.contains("<span class=\"mf\">1.5</span>"), "{t}");
    assert!(t.contains("<span class=\"kc\">true</span>"), "{t}");
    assert!(
        t.contains("<span class=\"p\">{</span><span class=\"w\">\n  </span>"),
        "{t}"
    );
}

#[test]
fn python_classes() {
    let t = tokens("python", "def f(a):\n    return 'x' + \"y\"  # c\n");
    // Rouge 3.30's Python lexer gives `s` to both quote styles.
    assert!(t.contains("<span class=\"s\">&#39;x&#39;</span>"), "{t}");
    assert!(t.contains("<span class=\"s\">&quot;y&quot;</span>"), "{t}");
    assert!(t.contains("<span class=\"k\">def</span>"), "{t}");
    assert!(t.contains("<span class=\"nf\">f</span>"), "{t}");
    assert!(t.contains("<span class=\"c1\"># c\n</span>"), "{t}");
}

#[test]
fn shell_classes() {
    let t = tokens(
        "shell",
        "# List kittens\ncurl \"http://x/api\" \\\n  -H 'Auth: meow'\necho $HOME\n",
    );
    assert!(t.starts_with("<span class=\"c\"># List kittens"), "{t}");
    assert!(
        t.contains("curl <span class=\"s2\">&quot;http://x/api&quot;</span>"),
        "{t}"
    );
    assert!(
        t.contains("  <span class=\"nt\">-H</span> <span class=\"s1\">&#39;Auth: meow&#39;</span>"),
        "{t}"
    );
    assert!(
        t.contains("<span class=\"nb\">echo</span> <span class=\"nv\">$HOME</span>"),
        "{t}"
    );
}

#[test]
fn javascript_classes() {
    let t = tokens("javascript", "const k = require('kittn');\n");
    assert!(
        t.contains("<span class=\"kd\">const</span> <span class=\"nx\">k</span>"),
        "{t}"
    );
    assert!(t.contains("<span class=\"dl\">&#39;</span><span class=\"s1\">kittn</span><span class=\"dl\">&#39;</span>"), "{t}");
}

#[test]
fn markup_classes() {
    let t = tokens("xml", "<?xml version=\"1.0\"?>\n<a href=\"x\">t</a>\n");
    assert!(
        t.starts_with("<span class=\"cp\">&lt;?xml version=&quot;1.0&quot;?&gt;</span>\n"),
        "{t}"
    );
    assert!(t.contains("<span class=\"nt\">&lt;a</span> <span class=\"na\">href=</span><span class=\"s\">&quot;x&quot;</span><span class=\"nt\">&gt;</span>t"), "{t}");
    let t = tokens("html", "<!DOCTYPE html>\n<p>&amp;</p>\n");
    assert!(
        t.starts_with("<span class=\"cp\">&lt;!DOCTYPE html&gt;</span>"),
        "{t}"
    );
    assert!(t.contains("<span class=\"ni\">&amp;amp;</span>"), "{t}");
}

#[test]
fn console_lines() {
    let t = tokens("console", "$ curl -X GET http://x\n{\"ok\": true}\n...\n");
    assert!(t.starts_with("<span class=\"gp\">$</span><span class=\"w\"> </span>curl <span class=\"nt\">-X</span>"), "{t}");
    assert!(
        t.contains(
            "<span class=\"go\">{&quot;ok&quot;: true}\n</span><span class=\"c\">...\n</span>"
        ),
        "{t}"
    );
}

#[test]
fn escaping() {
    let code = "<script>alert(\"x\" & 'y')</script>\n";
    let expect = "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;\n";
    for info in ["", "text", "plaintext", "nosuchlang", "Ruby"] {
        assert_eq!(tokens(info, code), expect, "{info:?}");
    }
    for info in ["html", "javascript", "shell", "json", "python", "console"] {
        let t = tokens(info, code);
        assert!(!t.contains("<script"), "{info}: {t}");
        let text = strip_tags(&t);
        assert_eq!(text, expect, "{info}");
    }
    // User text reaches the class attribute through the info string.
    let html = render("ruby--\"><b>", "x\n");
    assert!(html.starts_with(
        "<div class=\"highlight\"><pre class=\"highlight ruby tab-ruby--&quot;&gt;&lt;b&gt;\"><code>"
    ), "{html}");
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text survives highlighting unchanged, for every mapped language.
#[test]
fn text_preserved_everywhere() {
    let code = "fn main() { let s = \"a<b>&c\"; // é ü 日本\n}\n\t# x $y ${z} <?php ?>\n'''\n";
    for (tag, _) in SYNTAXES
        .iter()
        .chain([("console", ""), ("plaintext", "")].iter())
    {
        let (f, _) = classify_fence(tag, code);
        let mut out = String::new();
        render_block(&f, code, &mut out);
        let start = out.find("<code>").expect("code") + 6;
        let end = out.rfind("</code>").expect("/code");
        let text = strip_tags(&out[start..end])
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(text, code, "{tag}");
    }
}

#[test]
fn no_panic_on_odd_input() {
    let inputs = [
        "",
        "\n",
        "\r\n",
        "\u{feff}",
        "\0",
        "-*-",
        "-*- -*-",
        "vim: set ft=:",
        "#!",
        "#!\n",
        "<!DOCTYPE",
        "<!DOCTYPE >",
        "<?",
        "\"unterminated",
        "/* open",
        "'''",
        "é\u{301}",
        "\u{2028}\u{2029}",
        "a\rb\rc",
    ];
    let infos = [
        "",
        "--",
        "?",
        "guess",
        "guess?",
        "guess?mimetype",
        "guess?mimetype=%zz&&;=",
        "guess?mimetype=a&mimetype=b",
        "a?b?c",
        "--x--",
        "é",
        "json",
        "shell",
        "console",
        "python",
        "php",
        "http",
    ];
    for i in infos {
        for c in inputs {
            let code = format!("{c}\n{c}");
            let (f, _) = classify_fence(i, &code);
            let mut out = String::new();
            render_block(&f, &code, &mut out);
        }
    }
}

#[test]
fn two_threads_at_once() {
    let samples: Vec<(&str, String)> = vec![
        ("json", "{\"a\": [1, 2.5, \"x\"]}\n".repeat(50)),
        (
            "shell",
            "curl -X POST \"http://x\" -d 'a=1' # c\n".repeat(50),
        ),
        ("python", "def f(x):\n    return 'y'\n".repeat(50)),
        ("javascript", "const a = () => `t${1}`;\n".repeat(50)),
    ];
    let expected: Vec<String> = samples.iter().map(|(l, c)| render(l, c)).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    samples
                        .iter()
                        .map(|(l, c)| render(l, c))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("thread"), expected);
        }
    });
}

#[test]
fn theme() {
    let css = theme_css();
    let (screen, print) = css.split_once("@media print").expect("print section");
    assert!(screen.contains("@media screen {"));
    // JSON keys: pink, as Slate main compiles its theme (visual-oracle highlight-screen.css),
    // lifted to WCAG AA contrast.
    assert_eq!(theme::screen_color("nl"), Some("#f93b80"));
    assert_eq!(theme::screen_color("s2"), Some("#e6db74"));
    assert_eq!(theme::screen_color("s1"), Some("#e6db74"));
    assert_eq!(theme::screen_color("mi"), Some("#ae81ff"));
    assert_eq!(theme::screen_color("m"), Some("#ae81ff"));
    assert_eq!(theme::screen_color("k"), Some("#f93b80"));
    assert_eq!(theme::screen_color("o"), Some("#f93b80"));
    assert_eq!(theme::screen_color("nx"), Some("#ffffff"));
    assert!(screen.contains(".highlight .nl {\n  color: #f93b80;\n}"));
    assert!(screen.contains(
        ".highlight .c, .highlight .ch, .highlight .cd, .highlight .cpf {\n  color: #75715e;\n}"
    ));
    assert!(screen.contains(
        ".highlight .c, .highlight .cm, .highlight .c1, .highlight .cs {\n  color: #909090;\n}"
    ));
    assert!(screen.contains(".highlight, .highlight .w {\n  background-color: #1E2224;\n}"));
    assert!(print.contains(".highlight, .highlight .w {\n  color: #586e75;\n}"));
    assert!(print.contains("transition: none !important"));
    assert!(print.contains("font-weight: bold"));
    assert_eq!(css.matches('{').count(), css.matches('}').count());
}

// ---------------------------------------------------------------------------
// Against the real thing: Ruby + Rouge 3.30, when installed.
// ---------------------------------------------------------------------------

/// Runs `script` with ruby and rouge; `None` (skip) when they are missing,
/// a failure under CI=true.
fn ruby(script: &str, input: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!(
        "shale-highlight-{}-{}.txt",
        std::process::id(),
        input.len()
    ));
    std::fs::write(&path, input).expect("write temp file");
    let out = Command::new("ruby")
        .env("WANT_ROUGE", rouge_lexers::ROUGE_VERSION)
        .arg("-e")
        .arg(script)
        .arg(&path)
        .output();
    let _ = std::fs::remove_file(&path);
    let missing = |why: String| {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("ruby with rouge 3.30 is required under CI: {why}");
        }
        eprintln!("skipping the comparison with Rouge: {why}");
        None
    };
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => missing(String::from_utf8_lossy(&o.stderr).into_owned()),
        Err(e) => missing(format!("cannot run ruby: {e}")),
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// What Slate's `block_code` (multilang over middleman-syntax) does, per
/// line of input `HEXINFO HEXCODE` (`-` for no info string): prints
/// `TAG\tPRE_CLASS\tCANDIDATES`.
const RUBY_SLATE: &str = r#"
require 'rouge'
abort "rouge #{Rouge.version}, want #{ENV['WANT_ROUGE']}" unless Rouge.version == ENV['WANT_ROUGE']
File.readlines(ARGV[0], chomp: true).each do |line|
  i, c = line.split(' ', 2)
  info = i == '-' ? nil : [i].pack('H*').force_encoding('UTF-8')
  code = [c.to_s].pack('H*').force_encoding('UTF-8')
  lang = info ? (info.split('--')[0]) : nil
  amb = ''
  lexer = begin
    Rouge::Lexer.find_fancy(lang, code)
  rescue Rouge::Guesser::Ambiguous => e
    amb = e.alternatives.map(&:tag).join(',')
    nil
  end
  lexer ||= Rouge::Lexers::PlainText
  html = %(<div class="highlight"><pre class="highlight #{lexer.tag}"><code>)
  html = html.sub("highlight #{lang}") { |m| m + ' tab-' + info } if info
  puts [lexer.tag, html[/<pre class="([^"]*)"/, 1], amb].join("\t")
end
"#;

#[test]
fn matches_ruby() {
    let mut cases: Vec<(Option<String>, String)> = Vec::new();
    // Every name Rouge::Lexer.find knows, plus near misses.
    for (name, _) in rouge_lexers::REGISTRY {
        cases.push((Some(name.to_string()), "x\n".into()));
        cases.push((Some(format!("{name}--tab")), "x\n".into()));
    }
    for name in [
        "Ruby",
        "JSON",
        "text--mac",
        "c#",
        "c++",
        "Shell",
        "JavaScript",
        "js--node",
        "node",
        "golang",
        "yml",
        "ruby?x=1",
        "ruby?",
        "guess",
        "guess?mimetype=application/json",
        "guess?mimetype=text/x-ruby",
        "guess?mimetype=a&mimetype=b",
        "?",
        "--",
        "----",
        "---",
        "----x",
        "a--",
        "sh--x",
        "py--foo",
        "{ruby}",
        ".ruby",
        "é",
        "plain",
        "txt",
        "console",
        "terminal",
        "shell_session",
        "http",
        "curl",
        "cURL",
        "objective-c",
        "csharp--c#",
    ] {
        cases.push((Some(name.to_string()), "#!/bin/bash\necho 1\n".into()));
    }
    // Guessing.
    for code in [
        "#!/bin/bash\necho hi\n",
        "#!/bin/sh\nls\n",
        "#!/usr/bin/env zsh\n",
        "#!/usr/bin/env python3\nprint(1)\n",
        "#!/usr/bin/env python2.7\n",
        "#!/usr/bin/env ruby\nputs 1\n",
        "#!/usr/bin/env node\nconsole.log(1)\n",
        "  #!/usr/bin/perl -w\n",
        "\u{feff}#!/bin/bash\n",
        "\r\n#!/bin/bash\r\necho\r\n",
        "#!/usr/bin/env bash -x io\n",
        "#!/bin/sh\npackage foo\n",
        "#!/usr/bin/fish\n",
        "#!/usr/bin/env php\n",
        "#!/usr/bin/env Rscript\n",
        "#!/usr/bin/env lua5.1\n",
        "#!/bin/ksh\n",
        "<?xml version=\"1.0\"?>\n<a/>\n",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html/>\n",
        "<!DOCTYPE html>\n<html></html>\n",
        "<!doctype html>\n<html></html>\n",
        "<!DOCTYPE foo>\n<foo/>\n",
        "<!DOCTYPE\nHTML PUBLIC>\n",
        "<html><body></body></html>\n",
        "< html>\n",
        "<Biml></Biml>\n",
        "{\"a\": 1}\n",
        "[1, 2]\n",
        "hello world\n",
        "",
        "\n\n",
        "<?php\necho 1;\n",
        "x\n<?php\n",
        "<?= $x ?>\n",
        "<?hh\n",
        "async function foo() {}\n",
        "function f(): Awaitable<int> {}\n",
        "package main\n\nfunc main() {}\n",
        "package com.example;\nclass A {}\n",
        "  model x\n",
        "%YAML 1.2\n---\na: 1\n",
        "---\na: 1\n",
        "--- a\n+++ b\n",
        "+++ b\n--- a\n",
        "Index: foo\n",
        "diff --git a/x b/x\n",
        "\\documentclass{article}\n",
        "  \\input{x}\n",
        "pragma solidity ^0.8.0;\n",
        "#lang racket\n",
        "#lang scribble/manual\n",
        "#lang\nracket\n",
        "%!PS\n",
        "x\n%!PS\n",
        "# vim: set ft=ruby:\nputs 1\n",
        "# vim: ft=json\n{}\n",
        "# vi: syntax=python\n",
        "# -*- mode: python -*-\nx = 1\n",
        "// -*- ruby -*-\n",
        "-*- ruby\n",
        "# -*- coding: utf-8; mode: ruby -*-\n",
        "# -*- coding: utf-8 -*-\nputs 1\n",
        "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n# vim: ft=sh\n",
        "# vim: ft=Ruby\n",
        "# vim: ft=nosuch\n#!/bin/bash\n",
        "# -*- mode: ruby -*- vim: ft=python\n",
        "GET / HTTP/1.1\nHost: x\n",
        "$ curl x\n",
        "SELECT 1;\n",
    ] {
        cases.push((None, code.to_string()));
    }
    let input: String = cases
        .iter()
        .map(|(i, c)| format!("{} {}\n", i.as_deref().map_or("-".to_string(), hex), hex(c)))
        .collect();
    let Some(out) = ruby(RUBY_SLATE, &input) else {
        return;
    };
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len());
    let mut failures = Vec::new();
    for ((info, code), want) in cases.iter().zip(lines) {
        let (f, amb) = classify_fence(info.as_deref().unwrap_or(""), code);
        let got = format!(
            "{}\t{}\t{}",
            f.lexer,
            f.pre_class,
            amb.map(|a| a.join(",")).unwrap_or_default()
        );
        if got != want {
            failures.push(format!("{info:?} {code:?}: rouge {want:?}, shale {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rouge's own rendering of the print theme equals ours, rule by rule.
#[test]
fn print_theme_matches_rouge() {
    let script = r#"
require 'rouge'
abort "rouge #{Rouge.version}, want #{ENV['WANT_ROUGE']}" unless Rouge.version == ENV['WANT_ROUGE']
puts Rouge::Themes::Base16::Solarized.render(scope: '.highlight')
"#;
    let Some(rouge_css) = ruby(script, "") else {
        return;
    };
    let ours = theme_css();
    let print = ours.split_once("@media print {").expect("print").1;
    let rules = |css: &str| -> Vec<String> {
        let mut v: Vec<String> = css
            .split('}')
            .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|r| r.contains('{') && !r.contains("{ }") && !r.starts_with('*'))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        rules(print.trim_end().trim_end_matches('}')),
        rules(&rouge_css)
    );
}
