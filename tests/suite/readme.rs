//! The README as a user follows it: every command of its quick starts (the shell blocks
//! marked `<!-- readme-test NAME: FILES -->`) runs, line by line, in a temporary folder
//! with the built `shale`, and the files the marker lists exist afterwards. Lines marked
//! `(needs the network)` are skipped, saying so. And every relative link and `#anchor`
//! of README.md, CONTRIBUTING.md and docs/*.md leads somewhere.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::*;

/// A marked quick start: its name, the files it says exist afterwards, its lines.
#[derive(Debug)]
struct QuickStart {
    name: String,
    files: Vec<String>,
    lines: Vec<String>,
}

const MARKER: &str = "<!-- readme-test ";

fn quick_starts(readme: &str) -> Vec<QuickStart> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(rest) = l.strip_prefix(MARKER) else {
            continue;
        };
        let rest = rest
            .trim_end()
            .strip_suffix("-->")
            .expect("marker ends with -->");
        let (name, files) = rest.split_once(':').expect("NAME: FILES");
        assert_eq!(
            lines[i + 1],
            "```sh",
            "a shell block follows the marker {name}"
        );
        let body: Vec<String> = lines[i + 2..]
            .iter()
            .take_while(|l| !l.starts_with("```"))
            .map(|l| l.to_string())
            .collect();
        out.push(QuickStart {
            name: name.trim().to_string(),
            files: files.split_whitespace().map(str::to_string).collect(),
            lines: body,
        });
    }
    out
}

const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "readme"),
    ("GIT_AUTHOR_EMAIL", "readme@example.com"),
    ("GIT_COMMITTER_NAME", "readme"),
    ("GIT_COMMITTER_EMAIL", "readme@example.com"),
];

/// `PATH` with the built `shale` first.
fn path_with_shale() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_shale")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn sh(dir: &Path, line: &str) -> std::process::Output {
    Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path_with_shale())
        .envs(IDENTITY)
        .output()
        .unwrap()
}

/// The folder a quick start begins in, as the README's text describes it.
fn set_up(name: &str, root: &Path) {
    match name {
        "new-project" => {}
        "openapi" => {
            // A small spec of the repository's, so that the quick start runs offline.
            std::fs::copy(
                crate::common::repo().join("tests/fixtures/openapi/redoc-oas3.yaml"),
                root.join("openapi.yaml"),
            )
            .unwrap();
        }
        "slate-repository" => {
            // A Slate checkout: the sample's source/, Slate's Ruby files, a remote.
            let repo = root.join("my-slate-docs");
            for e in walkdir::WalkDir::new(crate::common::repo().join("source")) {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(crate::common::repo()).unwrap();
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(repo.join(rel)).unwrap();
                } else {
                    std::fs::copy(e.path(), repo.join(rel)).unwrap();
                }
            }
            for (f, body) in [
                ("Gemfile", "source 'https://rubygems.org'\ngem 'middleman', '~> 4.4'\n"),
                ("config.rb", "set :markdown_engine, :redcarpet\n"),
                ("deploy.sh", "#!/usr/bin/env bash\n"),
                (".gitignore", "*.gem\n.bundle\nbuild/\n"),
            ] {
                std::fs::write(repo.join(f), body).unwrap();
            }
            for line in [
                "git init -q -b main published.git --bare",
                "cd my-slate-docs && git init -q -b main && git add -A && git commit -q -m Slate && git remote add origin ../published.git",
            ] {
                let o = sh(root, line);
                assert!(o.status.success(), "{line}: {}", stderr(&o));
            }
        }
        other => panic!("tests/suite/readme.rs does not know the quick start {other}: add how its folder begins"),
    }
}

/// What the README says happened besides the files, per quick start.
fn check_after(name: &str, root: &Path) {
    if name == "slate-repository" {
        let o = sh(
            root,
            "git --git-dir published.git cat-file -e gh-pages:index.html",
        );
        assert!(o.status.success(), "shale deploy put the site on gh-pages");
    }
    if name == "openapi" {
        let page = read(root.join("api-docs/build/index.html"));
        assert!(
            page.contains("id=\"opIdaddPet\""),
            "the site holds the spec's operations"
        );
    }
}

/// Runs `shale serve` (on a free port rather than 4567, which another program may
/// hold), fetches the page it prints the address of, and stops it with Ctrl-C.
fn serve(dir: &Path, line: &str) {
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shale"))
        .args(&args)
        .args(["--port", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let port = loop {
        let mut l = String::new();
        if out.read_line(&mut l).unwrap() == 0 {
            panic!("{line}: no address printed: {seen}");
        }
        seen.push_str(&l);
        if let Some(p) = l.split("http://127.0.0.1:").nth(1) {
            break p.trim().trim_end_matches('/').parse::<u16>().unwrap();
        }
    };
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(&mut s, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
    let mut page = String::new();
    s.read_to_string(&mut page).unwrap();
    assert!(
        page.starts_with("HTTP/1.1 200") || page.starts_with("HTTP/1.0 200"),
        "{page:.200}"
    );
    assert!(page.contains("<h1 id="), "the preview serves the page");
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    assert!(child.wait().unwrap().success(), "{line} stops on Ctrl-C");
}

#[cfg(unix)]
#[test]
fn every_quick_start_runs_and_does_what_it_says() {
    if !prerequisite(runs("git", &["--version"]), "git") {
        return;
    }
    let readme = read(repo().join("README.md"));
    let starts = quick_starts(&readme);
    let names: Vec<&str> = starts.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(
        names,
        ["new-project", "slate-repository", "openapi"],
        "the marked quick starts"
    );
    for q in &starts {
        let d = tempfile::tempdir().unwrap();
        set_up(&q.name, d.path());
        let mut cwd: PathBuf = d.path().to_path_buf();
        for line in &q.lines {
            let command = line.split(" # ").next().unwrap().trim();
            if line.contains("(needs the network)") {
                eprintln!("readme {}: skipped (needs the network): {command}", q.name);
                continue;
            }
            if let Some(dir) = command.strip_prefix("cd ") {
                cwd = cwd.join(dir.trim());
                assert!(cwd.is_dir(), "{}: `{command}`: no such folder", q.name);
                continue;
            }
            if command.starts_with("shale serve") {
                eprintln!("readme {}: {command} (on a free port, then Ctrl-C)", q.name);
                serve(&cwd, command);
                continue;
            }
            eprintln!("readme {}: {command}", q.name);
            let o = sh(&cwd, command);
            assert!(
                o.status.success(),
                "{}: `{command}` failed:\n{}{}",
                q.name,
                stdout(&o),
                stderr(&o)
            );
        }
        for f in &q.files {
            assert!(d.path().join(f).exists(), "{}: {f} does not exist", q.name);
        }
        for f in q.files.iter().filter(|f| f.ends_with("build/index.html")) {
            assert!(
                read(d.path().join(f)).contains("<h1 id="),
                "{f}: a built page"
            );
        }
        check_after(&q.name, d.path());
    }
}

/// Whether `l` opens or closes a fenced code block: three or more backticks, and no
/// backtick in the info string (```` ```` ```sh ```` ```` at a line's start is a code span).
fn is_fence(l: &str) -> bool {
    let n = l.chars().take_while(|c| *c == '`').count();
    n >= 3 && !l[n..].contains('`')
}

/// GitHub's id for a heading: lower case, punctuation but `-` and `_` dropped, spaces
/// made `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a markdown file's headings (repeats get `-1`, `-2`).
fn anchors(text: &str) -> HashSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = HashSet::new();
    let mut fence = false;
    for l in text.lines() {
        if is_fence(l) {
            fence = !fence;
            continue;
        }
        let hashes = l.chars().take_while(|c| *c == '#').count();
        if fence || hashes == 0 || hashes > 6 || !l[hashes..].starts_with(' ') {
            continue;
        }
        let s = slug(&l[hashes + 1..]);
        let n = seen.entry(s.clone()).or_insert(0);
        out.insert(if *n == 0 {
            s.clone()
        } else {
            format!("{s}-{n}")
        });
        *n += 1;
    }
    out
}

/// `line` with its code spans blanked: a run of N backticks up to the next run of
/// exactly N.
fn without_code_spans(line: &str) -> String {
    let b = line.as_bytes();
    let run = |i: usize| b[i..].iter().take_while(|c| **c == b'`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'`' {
            let next = line[i..].find('`').map_or(b.len(), |n| i + n);
            out.push_str(&line[i..next]);
            i = next;
            continue;
        }
        let n = run(i);
        let mut j = i + n;
        let close = loop {
            match line[j..].find('`') {
                None => break None,
                Some(k) => {
                    let m = run(j + k);
                    if m == n {
                        break Some(j + k + m);
                    }
                    j += k + m;
                }
            }
        };
        match close {
            Some(end) => {
                out.push(' ');
                i = end;
            }
            None => {
                out.push_str(&line[i..i + n]);
                i += n;
            }
        }
    }
    out
}

/// The link targets of `text`, outside code blocks and code spans.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence = false;
    for l in text.lines() {
        if is_fence(l) {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let prose = without_code_spans(l);
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_of_the_documentation_resolves() {
    let root = repo();
    let mut files = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = read(file);
        for target in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let dest = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = file.strip_prefix(&root).unwrap().display().to_string();
            if !dest.exists() {
                broken.push(format!("{shown}: {target}: no such file"));
                continue;
            }
            if !anchor.is_empty() && !anchors(&read(&dest)).contains(anchor) {
                broken.push(format!("{shown}: {target}: no such heading"));
            }
        }
    }
    assert!(checked > 50, "the links were found ({checked})");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_link_check_finds_a_broken_anchor() {
    let text = "# A title\n## `shale build`\n## Same\n## Same\n";
    let a = anchors(text);
    for id in ["a-title", "shale-build", "same", "same-1"] {
        assert!(a.contains(id), "{id}: {a:?}");
    }
    assert_eq!(
        links("see [x](docs/a.md#b) and `[not](a link)`\n```\n[no](code)\n```\n```` ```sh ```` [y](c.md)\n"),
        ["docs/a.md#b", "c.md"]
    );
}

/// The output the documentation file `file` shows after `$ COMMAND` (the rest of its
/// code block).
fn shown_output(file: &str, command: &str) -> String {
    let text = read(repo().join(file));
    let start = format!("```\n$ {command}\n");
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("{file} shows `$ {command}`"))
        + start.len();
    let end = text[at..].find("```\n").unwrap();
    text[at..at + end].to_string()
}

#[test]
fn the_output_the_documentation_shows_is_what_shale_prints() {
    let d = tempfile::tempdir().unwrap();
    let o = shale(d.path(), &["new", "docs"]);
    assert_eq!(stdout(&o), shown_output("README.md", "shale new docs"));

    // The Slate repository of the example of `shale init` in docs/projects.md.
    let d = project(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        ("Gemfile", b"gem 'middleman'\n"),
        ("Gemfile.lock", b"GEM\n"),
        ("config.rb", b"activate :i18n\n"),
        ("deploy.sh", b"#!/usr/bin/env bash\n"),
        ("lib/multilang.rb", b"module Multilang\nend\n"),
        (".gitignore", b"build/\n"),
        (
            ".github/workflows/deploy.yml",
            b"on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n",
        ),
        ("source/index.html.md", b"# A\n"),
    ]);
    let o = shale(d.path(), &["init"]);
    assert_eq!(stdout(&o), shown_output("docs/projects.md", "shale init"));
}

/// The README's minimum Rust version is the one cargo enforces, so the figure is written
/// by hand in one place and checked against the other.
#[test]
fn the_readme_names_the_rust_version_of_cargo_toml() {
    let manifest = read(repo().join("Cargo.toml"));
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("Cargo.toml sets rust-version")
        .trim()
        .trim_matches('"');
    let readme = read(repo().join("README.md"));
    assert!(
        readme.contains(&format!("needs **Rust {version}** or later")),
        "README.md, Get shale: the minimum Rust version is {version} (Cargo.toml)"
    );
    assert_eq!(
        readme.matches("**Rust ").count(),
        1,
        "README.md names the Rust version once"
    );
}
