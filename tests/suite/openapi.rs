//! `shale import`: OpenAPI/Swagger specs written as Slate sources.
//!
//! - golden files of the imports of the specs in `tests/fixtures/openapi/`
//!   (`tests/golden/openapi/NAME.md`: the page and its includes; re-bless with
//!   `SHALE_BLESS=1 cargo test --test suite openapi`);
//! - every import builds with `--strict` (no warning), has every operation, and its
//!   JSON examples validate against their schemas (the `jsonschema` crate);
//! - the checkers of `../shared/openapi/tools` on every spec of `../shared/openapi/specs`
//!   (operations, parameters, response codes, the body in every sample, sample syntax
//!   per language, JSON blocks, table rows, examples), when they are there;
//! - the CLI: refusing to replace hand-written files, re-importing, errors;
//! - hostile specs fail fast with a clear message; generated specs never panic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::common::*;
use shale::openapi;

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/openapi")
}

/// The specs of a folder, by name.
fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no spec in {}", dir.display());
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Writes a generated page as a Slate source folder.
fn write_source(g: &openapi::Generated, source: &Path) {
    std::fs::create_dir_all(source.join("includes")).unwrap();
    std::fs::write(source.join("index.html.md"), &g.page).unwrap();
    for (name, text) in &g.includes {
        std::fs::write(source.join(format!("includes/_{name}.md")), text).unwrap();
    }
}

/// Tags `\` and `#` (found by the property test below): redcarpet drops a heading's
/// trailing `#` even when escaped, so `# \#` was the heading `\`, the other tag's, and
/// its id the other's.
#[test]
fn a_tag_ending_in_a_hash_keeps_its_heading() {
    let spec = r##"{"openapi":"3.1.0","info":{"title":"T","version":"1"},"paths":{
        "/a":{"post":{"tags":["\\"],"responses":{}}},
        "/b":{"get":{"tags":["#"],"responses":{}}},
        "/c":{"get":{"tags":["C#"],"responses":{}}}}}"##;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("api.json");
    std::fs::write(&path, spec).unwrap();
    let g = openapi::generate(&path).unwrap();
    let source = tmp.path().join("source");
    write_source(&g, &source);
    let summary = build(&source, &tmp.path().join("build"));
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let html = read(tmp.path().join("build/index.html"));
    for title in ["\\", "#", "C#"] {
        assert!(
            html.contains(&format!("data-title=\"{title}\"")),
            "a TOC entry {title}"
        );
    }
}

/// The page and its includes as one markdown file, in front-matter order.
fn concat(g: &openapi::Generated) -> String {
    let mut out = g.page.clone();
    for (_, text) in &g.includes {
        out.push('\n');
        out.push_str(text);
    }
    out
}

#[test]
fn golden_imports() {
    let dir = repo().join("tests/golden/openapi");
    for spec in specs_in(&fixtures()) {
        let g = openapi::generate(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        let mut got = g.page.clone();
        for (name, text) in &g.includes {
            got.push_str(&format!("\n==> includes/_{name}.md <==\n"));
            got.push_str(text);
        }
        // Two imports of one spec are byte-identical.
        let again = openapi::generate(&spec).unwrap();
        assert_eq!(g.page, again.page, "{}: not deterministic", spec.display());
        assert_eq!(
            g.includes,
            again.includes,
            "{}: not deterministic",
            spec.display()
        );
        let file = dir.join(format!("{}.md", stem(&spec)));
        let what = format!("{}: import", spec.display());
        golden(&file, &got, &what, "openapi");
    }
}

/// The values of attribute `name` in `html` (quoted with `"` or `'`), entities decoded.
fn attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for q in ['"', '\''] {
        let pat = format!(" {name}={q}");
        let mut rest = html;
        while let Some(k) = rest.find(&pat) {
            let v = &rest[k + pat.len()..];
            let end = v.find(q).unwrap_or(v.len());
            out.push(
                v[..end]
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
            rest = &v[end..];
        }
    }
    out
}

#[test]
fn imports_build_strict_with_every_operation() {
    for spec in specs_in(&fixtures()) {
        let g = openapi::generate(&spec).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("source");
        write_source(&g, &source);
        let summary = shale::build(&shale::BuildOptions {
            source: source.clone(),
            output: tmp.path().join("build"),
            strict: true,
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{}: {e:#}", spec.display()));
        assert!(
            summary.warnings.is_empty(),
            "{}: {:?}",
            spec.display(),
            summary.warnings
        );
        let html = read(tmp.path().join("build/index.html"));
        // Every id once; every link to `#id` (markdown and raw HTML) has its target.
        let mut ids = std::collections::HashSet::new();
        for id in attr_values(&html, "id") {
            assert!(
                ids.insert(id.clone()),
                "{}: id `{id}` twice",
                spec.display()
            );
        }
        for href in attr_values(&html, "href") {
            if let Some(f) = href.strip_prefix('#').filter(|f| !f.is_empty()) {
                assert!(
                    ids.contains(f) || ids.contains(&shale::util::url::percent_decode(f)),
                    "{}: a link to `#{f}`, which no element has",
                    spec.display()
                );
            }
        }
        let (api, files) = openapi::read(&spec).unwrap();
        assert_eq!(files.len(), 1);
        for op in api.operations.iter().chain(&api.webhooks) {
            let line = format!(
                "<code>{} {}</code>",
                op.method.to_uppercase(),
                shale::util::escape::html(&op.path)
            );
            assert!(html.contains(&line), "{}: no {line}", spec.display());
            if let Some(id) = &op.operation_id {
                let a = format!("id=\"opId{}\"", shale::util::escape::html(id));
                assert!(html.contains(&a), "{}: no {a}", spec.display());
            }
            for p in &op.parameters {
                let cell = format!("<td>{}</td>", shale::util::escape::html(&p.name));
                assert!(
                    html.contains(&cell),
                    "{}: parameter {}",
                    spec.display(),
                    p.name
                );
            }
        }
        for &s in &api.schemas.named {
            let name = api.schemas.get(s).name.clone().unwrap().to_lowercase();
            assert!(
                html.contains(&format!("id=\"schema{name}\"")),
                "{}: schema {name}",
                spec.display()
            );
        }
        eprintln!(
            "{}: {} operations, {} webhooks, {} schemas: built with --strict, no warning",
            stem(&spec),
            api.operations.len(),
            api.webhooks.len(),
            api.schemas.named.len()
        );
    }
}

/// The spec as JSON, with OpenAPI 3.0's and Swagger's `nullable` as JSON Schema says it
/// (what the python checker does too).
/// Descriptions written for Redoc (`tests/fixtures/openapi/descriptions.yaml`, shaped
/// like the specs of APIs.guru's directory that first failed `--strict`): their content
/// kept, their links pointing where they can, the writer's ids untouched.
#[test]
fn descriptions_keep_their_content() {
    let g = openapi::generate(&fixtures().join("descriptions.yaml")).unwrap();
    let md = concat(&g);
    let has = |s: &str| assert!(md.contains(s), "no {s:?} in the import");
    let lacks = |s: &str| assert!(!md.contains(s), "{s:?} in the import");
    // Redoc's anchors, to the sections shale writes.
    has("Start with the [messages section](#message) or [send one](#opIdsendMessage).");
    has("Messages are [Message](#schemamessage) objects ([its schema](#schemamessage));");
    has("[the limits](#limits)");
    has("The [list operation](#list-messages)");
    has("None: see [the operation again](#list-messages).");
    has("See [Send message](#opIdsendMessage) and [the other tag](#other).");
    has("<a href=\"#other\">Other things</a>");
    // Anchors to nothing, and links into the API's own site: their text.
    has("see Authentication and");
    has("and a link to nothing.");
    has("Read the guide or the FAQ, then [our site](https://example.com \"Example\") or\nthe terms.");
    has("Write to support@example.com\nor <a href=\"mailto:support@example.com\">support</a>.");
    has("|The messages ([Message](#schemamessage), guide).|");
    lacks("[faq]:");
    lacks("[d]:");
    has("See the docs.");
    // Images with a relative source: their alt text; others kept.
    has("Flow of a message and Architecture &#42;overview&#42;,");
    has("![logo](https://example.com/logo.png)");
    has("The text, as in a picture and x.");
    // Code is left as written.
    has("Inline code keeps `[a](/b)` and `<img src=\"c.png\">` as written.");
    // Fences: a highlighter's name, else `text`.
    for fence in [
        "```shell\ncurl https",
        "```shell\ncurl -X POST",
        "```javascript\n$.get",
        "```text\nid,body",
        "```cpp\nvoid setup",
    ] {
        has(fence);
    }
    // Generated headings keep their ids; the description's that would repeat one get a
    // free id in a raw heading (Slate's per-file counter gives the others theirs).
    has("## Send message\n");
    has("<h1 id=\"send-message-2\">Send message</h1>");
    has("Parameters\n----------");
    has("### Parameters\n");
    has("Parameters\n==========");
    has("<h2 id=\"message-2\">Message</h2>");
    has("<h2 id=\"message-3\">Message</h2>");
    has("<h1 id=\"message-4\">Message</h1>");
}

fn spec_json(spec: &Path) -> serde_json::Value {
    let text = read(spec);
    let v: serde_json::Value = if spec.extension().is_some_and(|x| x == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml::from_str(&text).unwrap()
    };
    fn fix(v: &mut serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                for (_, x) in m.iter_mut() {
                    fix(x);
                }
                let nullable = [m.remove("nullable"), m.remove("x-nullable")]
                    .iter()
                    .any(|n| n == &Some(Value::Bool(true)));
                for k in ["exclusiveMinimum", "exclusiveMaximum"] {
                    if let Some(Value::Bool(b)) = m.get(k).cloned() {
                        m.remove(k);
                        let base = if k == "exclusiveMinimum" {
                            "minimum"
                        } else {
                            "maximum"
                        };
                        if b {
                            if let Some(x) = m.remove(base) {
                                m.insert(k.into(), x);
                            }
                        }
                    }
                }
                if m.get("type") == Some(&Value::String("file".into())) {
                    m.remove("type");
                }
                if nullable {
                    if let Some(Value::String(t)) = m.get("type").cloned() {
                        m.insert("type".into(), serde_json::json!([t, "null"]));
                    } else if m.contains_key("$ref") || m.contains_key("allOf") {
                        let inner = Value::Object(std::mem::take(m));
                        m.insert("anyOf".into(), serde_json::json!([inner, {"type": "null"}]));
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(fix),
            _ => {}
        }
    }
    let mut v = v;
    fix(&mut v);
    v
}

fn escape_ptr(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref`s from `pointer` in `doc`: the pointer of what it names.
fn deref_ptr(doc: &serde_json::Value, mut pointer: String) -> String {
    for _ in 0..10 {
        match doc
            .pointer(&pointer)
            .and_then(|v| v.get("$ref"))
            .and_then(|r| r.as_str())
        {
            Some(r) if r.starts_with("#/") => pointer = r[1..].to_string(),
            _ => break,
        }
    }
    pointer
}

fn is_json_media(m: &str) -> bool {
    let m = m.split(';').next().unwrap().trim();
    m == "application/json" || m.ends_with("+json")
}

#[test]
fn examples_validate_against_their_schemas() {
    let body_re = regex::Regex::new(r"(?ms)^> Body parameter\n\n```json\n(.*?)^```").unwrap();
    let resp_re =
        regex::Regex::new(r"(?ms)^> (\d{3}|default|\dXX) Response\n\n```json\n(.*?)^```").unwrap();
    let (mut checked, mut invalid) = (0, 0);
    for spec in specs_in(&fixtures()) {
        let doc = spec_json(&spec);
        let swagger2 = doc.get("swagger").is_some();
        let g = openapi::generate(&spec).unwrap();
        let md = concat(&g);
        let resource = jsonschema::Draft::Draft202012.create_resource(doc.clone());
        let validate = |pointer: &str, example: &str, what: &str| -> bool {
            let fragment: String = pointer
                .chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '/' | '~' | '-' | '.' | '_' => {
                        c.to_string()
                    }
                    c => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
                })
                .collect();
            let schema = serde_json::json!({ "$ref": format!("urn:spec#{fragment}") });
            let v = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .with_resource("urn:spec", resource.clone())
                .build(&schema)
                .unwrap_or_else(|e| panic!("{}: {what}: {e}", spec.display()));
            let instance: serde_json::Value = serde_json::from_str(example)
                .unwrap_or_else(|e| panic!("{}: {what}: not JSON: {e}", spec.display()));
            let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
            if !errors.is_empty() {
                eprintln!("{}: {what}: {}", spec.display(), errors[0]);
            }
            errors.is_empty()
        };
        let sections: Vec<(usize, &str)> = md.match_indices("<a id=\"opId").collect();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Some(id) = op.get("operationId").and_then(|i| i.as_str()) else {
                    continue;
                };
                let anchor = format!("<a id=\"opId{id}\"></a>");
                let Some(start) = md.find(&anchor) else {
                    panic!("{}: no anchor for {id}", spec.display())
                };
                let end = sections
                    .iter()
                    .map(|(i, _)| *i)
                    .find(|&i| i > start)
                    .unwrap_or(md.len());
                let section = &md[start..end];
                let op_ptr = format!("/paths/{}/{method}", escape_ptr(path));
                for c in resp_re.captures_iter(section) {
                    let code = &c[1];
                    let resp = deref_ptr(&doc, format!("{op_ptr}/responses/{code}"));
                    let schema = if swagger2 {
                        Some(format!("{resp}/schema"))
                    } else {
                        doc.pointer(&format!("{resp}/content"))
                            .and_then(|c| c.as_object())
                            .and_then(|c| c.keys().find(|k| is_json_media(k)))
                            .map(|k| format!("{resp}/content/{}/schema", escape_ptr(k)))
                    };
                    let Some(schema) = schema.filter(|s| doc.pointer(s).is_some()) else {
                        continue;
                    };
                    checked += 1;
                    if !validate(&schema, &c[2], &format!("{id} {code} response")) {
                        invalid += 1;
                    }
                }
                if let Some(c) = body_re.captures(section) {
                    let schema = if swagger2 {
                        op["parameters"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .enumerate()
                            .map(|(i, _)| deref_ptr(&doc, format!("{op_ptr}/parameters/{i}")))
                            .find(|p| {
                                doc.pointer(p).and_then(|p| p.get("in")) == Some(&"body".into())
                            })
                            .map(|p| format!("{p}/schema"))
                    } else {
                        let body = deref_ptr(&doc, format!("{op_ptr}/requestBody"));
                        doc.pointer(&format!("{body}/content"))
                            .and_then(|c| c.as_object())
                            .and_then(|c| c.keys().find(|k| is_json_media(k)))
                            .map(|k| format!("{body}/content/{}/schema", escape_ptr(k)))
                    };
                    if let Some(schema) = schema.filter(|s| doc.pointer(s).is_some()) {
                        checked += 1;
                        if !validate(&schema, &c[1], &format!("{id} body")) {
                            invalid += 1;
                        }
                    }
                }
            }
        }
    }
    eprintln!("examples checked against their schemas: {checked}, invalid: {invalid}");
    assert!(checked >= 40, "only {checked} examples found");
    assert!(
        invalid * 100 <= checked,
        "{invalid} of {checked} examples are invalid"
    );
}

// ---------------------------------------------------------------------------------
// The checkers of ../shared/openapi/tools on every spec of ../shared/openapi/specs.

fn python_has(module: &str) -> bool {
    runs("python3", &["-c", &format!("import {module}")])
}

fn gofmt_runs() -> bool {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("a.go");
    std::fs::write(&f, "package main\n").unwrap();
    runs("gofmt", &["-e", f.to_str().unwrap()])
}

fn run_tool(tool: &Path, args: &[&Path]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(tool)
        .args(args)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} failed: {}",
        tool.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().next().unwrap_or("{}"))
        .unwrap_or_else(|e| panic!("{}: {e}: {stdout}", tool.display()))
}

#[test]
#[ignore = "needs python3 with PyYAML and jsonschema, node, ruby, gofmt and ../shared (the OpenAPI checkers)"]
fn shared_checkers_pass_on_every_spec() {
    let Some(shared) = shared() else {
        prerequisite(false, "../shared (the OpenAPI specs and checkers)");
        return;
    };
    let tools = shared.join("openapi/tools");
    let specs_dir = shared.join("openapi/specs");
    if !prerequisite(
        tools.join("check_md.py").is_file(),
        "../shared/openapi/tools",
    ) || !prerequisite(python_has("yaml"), "python3 with PyYAML")
        || !prerequisite(
            python_has("jsonschema, referencing"),
            "python3 with jsonschema 4.18+ (`pip install jsonschema`)",
        )
        || !prerequisite(runs("node", &["--version"]), "node")
        || !prerequisite(runs("ruby", &["--version"]), "ruby")
        || !prerequisite(gofmt_runs(), "gofmt (Debian package golang-go)")
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for spec in specs_in(&specs_dir) {
        let name = stem(&spec);
        let t = Instant::now();
        let g = openapi::generate(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ms = t.elapsed().as_millis();
        let md = tmp.path().join(format!("{name}.md"));
        std::fs::write(&md, concat(&g)).unwrap();
        let figures = run_tool(&tools.join("check_md.py"), &[&spec, &md]);
        let n = |k: &str| figures[k].as_u64().unwrap_or(0);
        let samples = run_tool(&tools.join("check_samples.py"), &[&md]);
        let examples = run_tool(&tools.join("check_examples.py"), &[&spec, &md]);
        let failed_samples: u64 = samples["checked/failed"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v[1].as_u64().unwrap())
            .sum();
        let checked_samples: u64 = samples["checked/failed"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v[0].as_u64().unwrap())
            .sum();
        let ex_checked = examples["checked"].as_u64().unwrap_or(0);
        let ex_invalid = examples["invalid"].as_u64().unwrap_or(0);
        eprintln!(
            "{name}: generated in {ms} ms (debug build), {} bytes; operations {}/{}, parameters {}/{}, response codes {}/{}, body in curl {}/{}, JSON blocks {} ({} invalid), broken table rows {}, samples {} ({} with syntax errors), examples {} ({} invalid)",
            n("md_bytes"),
            n("ops_found"),
            n("spec_ops"),
            n("params_found"),
            n("params_total"),
            n("codes_found"),
            n("codes_total"),
            n("body_in_curl"),
            n("body_ops"),
            n("json_blocks"),
            n("json_invalid"),
            n("broken_table_rows"),
            checked_samples,
            failed_samples,
            ex_checked,
            ex_invalid
        );
        let mut check = |ok: bool, what: &str| {
            if !ok {
                problems.push(format!("{name}: {what}"));
            }
        };
        check(n("ops_found") == n("spec_ops"), "operations missing");
        check(n("params_found") == n("params_total"), "parameters missing");
        check(
            n("codes_found") == n("codes_total"),
            "response codes missing",
        );
        check(
            n("body_in_curl") == n("body_ops"),
            "a body missing from a curl sample",
        );
        check(n("json_invalid") == 0, "JSON blocks that do not parse");
        check(n("broken_table_rows") == 0, "broken table rows");
        check(
            failed_samples == 0,
            &format!("sample syntax errors: {}", samples["first_error"]),
        );
        check(
            ex_invalid * 100 <= ex_checked,
            "more than 1% of the examples invalid",
        );
        // Webhooks: each has its section.
        let (api, _) = openapi::read(&spec).unwrap();
        for w in &api.webhooks {
            check(
                concat(&g).contains(&format!("`{} {}`", w.method.to_uppercase(), w.path)),
                &format!("webhook {} not rendered", w.path),
            );
        }
        // Body in every language's sample of an operation with a body.
        check(
            g.includes.iter().all(|(_, t)| {
                !t.contains("body: JSON.stringify(body)") || t.contains("const body =")
            }),
            "javascript sample without its body",
        );
        // And the import builds with --strict.
        let source = tmp.path().join(&name).join("source");
        write_source(&g, &source);
        match shale::build(&shale::BuildOptions {
            source,
            output: tmp.path().join(&name).join("build"),
            strict: true,
            ..Default::default()
        }) {
            Ok(s) => check(s.warnings.is_empty(), "warnings in the build"),
            Err(e) => check(false, &format!("shale build --strict: {e:#}")),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------
// The command line.

#[test]
fn import_refuses_hand_written_files_and_replaces_its_own() {
    let spec = fixtures().join("petstore-oas3.json");
    let tmp = project(&[("source/index.html.md", b"# My own page\n")]);
    let spec_arg = spec.to_str().unwrap();
    let out = shale(tmp.path(), &["import", spec_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("source/index.html.md exists and was not written by shale import"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        read(tmp.path().join("source/index.html.md")),
        "# My own page\n"
    );
    assert!(
        !tmp.path().join("source/includes").exists(),
        "nothing may be written"
    );

    let out = shale(tmp.path(), &["import", spec_arg, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 20 operations, 0 webhooks and 6 schemas"),
        "{}",
        stdout(&out)
    );
    let page = read(tmp.path().join("source/index.html.md"));
    assert!(page.contains(openapi::MARKER));
    // A re-import replaces what it wrote, without --force.
    let out = shale(tmp.path(), &["import", spec_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read(tmp.path().join("source/index.html.md")), page);
    // An include whose marker line was deleted (to keep edits) is not replaced.
    let pet = tmp.path().join("source/includes/_pet.md");
    let edited: String = read(&pet)
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&pet, &edited).unwrap();
    let out = shale(tmp.path(), &["import", spec_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("_pet.md"), "{}", stderr(&out));
    assert_eq!(read(&pet), edited);
    // And the imported folder builds.
    let out = shale(tmp.path(), &["build", "--strict", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn import_output_flag_and_quiet() {
    let spec = fixtures().join("redoc-oas3.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let out = shale(
        tmp.path(),
        &["import", "-q", spec.to_str().unwrap(), "-o", "docs/src"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(tmp.path().join("docs/src/index.html.md").is_file());
    assert!(tmp.path().join("docs/src/includes/_schemas.md").is_file());
}

/// Runs `shale import` on a spec written into a fresh folder; returns its stderr after
/// checking it failed with status 1 within `secs` seconds (printed, not asserted on time).
fn import_fails(files: &[(&str, &[u8])], spec: &str) -> String {
    let tmp = project(files);
    let t = Instant::now();
    let out = shale(tmp.path(), &["import", spec, "-o", "out"]);
    let err = stderr(&out);
    eprintln!("{spec}: {} ms: {}", t.elapsed().as_millis(), err.trim());
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!tmp.path().join("out").exists(), "nothing may be written");
    err
}

#[test]
fn errors_name_file_line_and_pointer() {
    let err = import_fails(
        &[(
            "api.yaml",
            b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Missing'\n",
        )],
        "api.yaml",
    );
    assert!(
        err.contains("api.yaml:8: #/paths/~1a/get/responses/200: `#/components/responses/Missing`: api.yaml has no `components`"),
        "{err}"
    );
    let err = import_fails(
        &[(
            "api.json",
            b"{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}",
        )],
        "api.json",
    );
    assert!(err.contains("api.json:3:13: not valid JSON"), "{err}");
    let err = import_fails(&[("api.yaml", b"title: not a spec\n")], "api.yaml");
    assert!(err.contains("not an OpenAPI document"), "{err}");
    let err = import_fails(
        &[("api.yaml", b"openapi: 3.0.0\npaths:\n  - [\n")],
        "api.yaml",
    );
    assert!(err.contains("api.yaml:4:"), "{err}");
    let err = import_fails(&[], "missing.yaml");
    assert!(err.contains("missing.yaml: cannot read the spec"), "{err}");
}

// ---------------------------------------------------------------------------------
// Several files, and hostile specs.

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn spec_with_schema_ref(r: &str) -> String {
    format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '{r}'\n"
    )
}

#[test]
fn external_refs_are_read_and_listed() {
    let tmp = project(&[
        ("api/openapi.yaml", spec_with_schema_ref("schemas/pet.yaml#/Pet").as_bytes()),
        (
            "api/schemas/pet.yaml",
            b"Pet:\n  type: object\n  required: [name]\n  properties:\n    name: {type: string, example: Rex}\n    tag:\n      $ref: './tag.json'\n",
        ),
        ("api/schemas/tag.json", b"{\"type\": \"string\", \"enum\": [\"dog\", \"cat\"]}"),
    ]);
    let g = openapi::generate(&tmp.path().join("api/openapi.yaml")).unwrap();
    let md = concat(&g);
    assert!(md.contains("\"name\": \"Rex\""), "{md}");
    assert!(md.contains("\"tag\": \"dog\""), "{md}");
    assert!(md.contains("<a id=\"schemapet\"></a>"), "{md}");
    let mut read_files: Vec<String> = g
        .files_read
        .iter()
        .map(|p| {
            p.strip_prefix(tmp.path().canonicalize().unwrap())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    read_files.sort();
    assert_eq!(
        read_files,
        [
            "api/openapi.yaml",
            "api/schemas/pet.yaml",
            "api/schemas/tag.json"
        ]
    );
}

#[test]
fn refs_outside_the_spec_folder_or_to_urls_are_refused() {
    let err = import_fails(
        &[
            (
                "api/openapi.yaml",
                spec_with_schema_ref("../secret.yaml").as_bytes(),
            ),
            ("secret.yaml", b"type: string\n"),
        ],
        "api/openapi.yaml",
    );
    assert!(err.contains("leads outside the spec's folder"), "{err}");
    assert!(err.contains("api/openapi.yaml:12: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref"), "{err}");
    let err = import_fails(
        &[(
            "openapi.yaml",
            spec_with_schema_ref("https://example.com/pet.yaml#/Pet").as_bytes(),
        )],
        "openapi.yaml",
    );
    assert!(
        err.contains("`https://example.com/pet.yaml#/Pet` is a URL; shale never fetches"),
        "{err}"
    );
    let err = import_fails(
        &[(
            "openapi.yaml",
            spec_with_schema_ref("/etc/passwd").as_bytes(),
        )],
        "openapi.yaml",
    );
    assert!(err.contains("absolute path"), "{err}");
    let err = import_fails(
        &[(
            "openapi.yaml",
            spec_with_schema_ref("nothere.yaml").as_bytes(),
        )],
        "openapi.yaml",
    );
    assert!(err.contains("`nothere.yaml`: cannot read"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_spec_folder_are_refused() {
    let tmp = project(&[
        (
            "api/openapi.yaml",
            spec_with_schema_ref("link.yaml").as_bytes(),
        ),
        ("outside.yaml", b"type: string\n"),
    ]);
    std::os::unix::fs::symlink(
        tmp.path().join("outside.yaml"),
        tmp.path().join("api/link.yaml"),
    )
    .unwrap();
    let out = shale(tmp.path(), &["import", "api/openapi.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("leads outside the spec's folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ref_cycles_and_bombs_stay_small_and_fast() {
    // A loop of references that never reaches a schema.
    let looped = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
    );
    let err = import_fails(&[("api.yaml", looped.as_bytes())], "api.yaml");
    assert!(
        err.contains("a loop of references that never reaches a value"),
        "{err}"
    );

    // Recursive schemas import: the example stops where the schema recurs.
    let tree = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Node'}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        name: {{type: string}}\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n        parent: {{$ref: '#/components/schemas/Node'}}\n"
    );
    let tmp = project(&[("api.yaml", tree.as_bytes())]);
    let g = openapi::generate(&tmp.path().join("api.yaml")).unwrap();
    assert!(concat(&g).contains("\"children\": []"), "{}", concat(&g));

    // A `$ref` bomb: 12 levels of 10 references each to the level below (10^12 paths).
    let mut bomb = format!(
        "{HEAD}paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/L0'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/L0'}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..12 {
        bomb.push_str(&format!("    L{i}:\n      type: object\n      required: [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9]\n      properties:\n"));
        for p in 0..10 {
            if i < 11 {
                bomb.push_str(&format!(
                    "        p{p}: {{$ref: '#/components/schemas/L{}'}}\n",
                    i + 1
                ));
            } else {
                bomb.push_str(&format!("        p{p}: {{type: string}}\n"));
            }
        }
    }
    let tmp = project(&[("api.yaml", bomb.as_bytes())]);
    let t = Instant::now();
    let g = openapi::generate(&tmp.path().join("api.yaml")).unwrap();
    let size = concat(&g).len();
    eprintln!(
        "$ref bomb: {size} bytes of markdown in {} ms",
        t.elapsed().as_millis()
    );
    assert!(size < 2_000_000, "{size} bytes");
}

#[test]
fn deep_nesting_yaml_bombs_and_huge_files_fail_fast() {
    let deep = format!("{{\"openapi\": \"3.0.0\", \"x\": {}}}", "[".repeat(200_000));
    let err = import_fails(&[("deep.json", deep.as_bytes())], "deep.json");
    assert!(err.contains("nest more than 256 levels"), "{err}");
    let deep_yaml = format!("openapi: 3.0.0\nx: {}\n", "[".repeat(200_000));
    let err = import_fails(&[("deep.yaml", deep_yaml.as_bytes())], "deep.yaml");
    assert!(err.contains("nest more than 256 levels"), "{err}");

    let mut bomb = String::from("openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = import_fails(&[("bomb.yaml", bomb.as_bytes())], "bomb.yaml");
    assert!(
        err.contains("aliases (`*name`) expand to more than"),
        "{err}"
    );

    // A file over the limit is refused before it is read (a sparse file: no disk used).
    let tmp = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(tmp.path().join("huge.json")).unwrap();
    f.set_len(openapi::load::MAX_FILE_BYTES + 1).unwrap();
    let out = shale(tmp.path(), &["import", "huge.json", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("shale reads spec files of at most 128 MB"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------
// Properties: whatever spec the reader accepts imports without panic and builds.

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text that breaks markdown, HTML, YAML and the samples' string literals.
    fn nasty() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("a".to_string()),
                Just("pet".to_string()),
                Just(" ".to_string()),
                Just("|".to_string()),
                Just("<b>".to_string()),
                Just("`".to_string()),
                Just("```".to_string()),
                Just("*".to_string()),
                Just("_".to_string()),
                Just("'".to_string()),
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("\n".to_string()),
                Just("\n\n- item\n".to_string()),
                Just("#".to_string()),
                Just("# Heading\n".to_string()),
                Just("{id}".to_string()),
                Just("#{x}".to_string()),
                Just("$(rm -rf /)".to_string()),
                Just("é日本".to_string()),
                Just("[link](/x)".to_string()),
                Just("&amp;".to_string()),
            ],
            0..6,
        )
        .prop_map(|v| v.concat())
    }

    fn schema(depth: u32) -> BoxedStrategy<serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::json!({"type": "string"})),
            Just(serde_json::json!({"type": "integer", "minimum": 3, "maximum": 9})),
            Just(serde_json::json!({"type": "string", "format": "date-time", "nullable": true})),
            Just(serde_json::json!({"type": ["number", "null"]})),
            Just(serde_json::json!({"$ref": "#/components/schemas/S0"})),
            Just(serde_json::json!({"$ref": "#/components/schemas/S1", "description": "sibling"})),
            Just(serde_json::json!({"type": "string", "pattern": "^[A-Z]{2}-\\d+$"})),
            nasty().prop_map(|e| serde_json::json!({"type": "string", "enum": [e]})),
            Just(serde_json::json!({})),
            Just(serde_json::json!(true)),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        prop_oneof![
            leaf,
            prop::collection::vec((nasty(), schema(depth - 1)), 0..4).prop_map(|props| {
                let mut m = serde_json::Map::new();
                for (k, v) in props {
                    m.insert(k, v);
                }
                let required: Vec<String> = m.keys().take(1).cloned().collect();
                serde_json::json!({"type": "object", "properties": m, "required": required})
            }),
            schema(depth - 1).prop_map(|s| serde_json::json!({"type": "array", "items": s})),
            (schema(depth - 1), schema(depth - 1))
                .prop_map(|(a, b)| serde_json::json!({"oneOf": [a, b]})),
            (schema(depth - 1), schema(depth - 1))
                .prop_map(|(a, b)| serde_json::json!({"allOf": [a, b]})),
        ]
        .boxed()
    }

    fn operation() -> impl Strategy<Value = serde_json::Value> {
        (
            prop::option::of(nasty()),
            prop::option::of(nasty()),
            prop::option::of(nasty()),
            prop::collection::vec((nasty(), 0..4usize, any::<bool>()), 0..3),
            prop::option::of(schema(2)),
            prop::collection::vec(("[1-5][0-9][0-9]|default", schema(2)), 0..3),
            prop::option::of(nasty()),
        )
            .prop_map(|(id, summary, desc, params, body, responses, tag)| {
                let mut op = serde_json::json!({});
                if let Some(x) = id {
                    op["operationId"] = x.into();
                }
                if let Some(x) = summary {
                    op["summary"] = x.into();
                }
                if let Some(x) = desc {
                    op["description"] = x.into();
                }
                if let Some(t) = tag {
                    op["tags"] = serde_json::json!([t]);
                }
                op["parameters"] = params
                    .into_iter()
                    .map(|(name, i, required)| {
                        let location = ["query", "header", "cookie", "query"][i];
                        serde_json::json!({"name": name, "in": location, "required": required, "schema": {"type": "string"}, "description": "multi\nline | cell"})
                    })
                    .collect();
                if let Some(b) = body {
                    op["requestBody"] = serde_json::json!({"content": {"application/json": {"schema": b}}});
                }
                let mut r = serde_json::Map::new();
                for (code, s) in responses {
                    r.insert(code, serde_json::json!({"description": "d", "content": {"application/json": {"schema": s}}}));
                }
                op["responses"] = r.into();
                op
            })
    }

    fn spec() -> impl Strategy<Value = serde_json::Value> {
        (
            nasty(),
            prop::collection::vec(("/[a-z{}]{1,8}(/[a-z{}]{1,5})?", operation()), 1..5),
            schema(2),
            schema(2),
            prop::option::of(operation()),
        )
            .prop_map(|(title, ops, s0, s1, webhook)| {
                let mut paths = serde_json::Map::new();
                for (i, (p, op)) in ops.into_iter().enumerate() {
                    let method = ["get", "post", "put", "delete"][i % 4];
                    paths.entry(p).or_insert_with(|| serde_json::json!({}))[method] = op;
                }
                let mut spec = serde_json::json!({
                    "openapi": "3.1.0",
                    "info": {"title": title, "version": "1"},
                    "servers": [{"url": "https://api.example.com/v1"}],
                    "paths": paths,
                    "components": {"schemas": {"S0": s0, "S1": s1},
                        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
                    "security": [{"key": []}],
                });
                if let Some(w) = webhook {
                    spec["webhooks"] = serde_json::json!({"event": {"post": w}});
                }
                spec
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn generated_specs_import_and_build(spec in spec()) {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join("api.json");
            std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
            // A spec the reader refuses (a loop of `$ref`s the generator made) says why.
            let g = match openapi::generate(&path) {
                Ok(g) => g,
                Err(e) => {
                    prop_assert!(e.to_string().contains("loop of references"), "{}", e);
                    return Ok(());
                }
            };
            let source = tmp.path().join("source");
            write_source(&g, &source);
            let summary = shale::build(&shale::BuildOptions {
                source,
                output: tmp.path().join("build"),
                ..Default::default()
            }).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
            // No id renamed: every heading and anchor the import writes is unique.
            for w in &summary.warnings {
                prop_assert!(!w.message.contains("renamed") && !w.message.contains("already"), "{}", w);
            }
            // No row of the import's own tables broken by a line break.
            let md = concat(&g);
            let mut table = false;
            for line in md.lines() {
                let header = ["|Name|", "|Status|", "|Property|", "|Parameter|", "|Scope|"];
                if header.iter().any(|h| line.starts_with(h)) {
                    table = true;
                } else if !line.starts_with('|') {
                    table = false;
                }
                if table {
                    prop_assert!(line.ends_with('|'), "broken row: {}", line);
                }
            }
            // Every JSON block parses.
            for block in md.split("```json\n").skip(1) {
                let body = &block[..block.find("\n```").unwrap() + 1];
                prop_assert!(serde_json::from_str::<serde_json::Value>(body).is_ok(), "{}", body);
            }
        }

        #[test]
        fn any_text_reads_without_panic(text in "(\\PC|[\\[\\]{}:,'\"&*!|>-]|\n| ){0,200}") {
            let tmp = tempfile::tempdir().unwrap();
            for name in ["a.yaml", "a.json"] {
                let path = tmp.path().join(name);
                std::fs::write(&path, format!("openapi: 3.0.0\n{text}")).unwrap();
                let _ = openapi::generate(&path);
                std::fs::write(&path, &text).unwrap();
                let _ = openapi::generate(&path);
            }
        }
    }
}

#[test]
fn new_project_from_a_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = fixtures().join("petstore-swagger2.json");
    let out = shale(
        tmp.path(),
        &["new", "docs", "--openapi", spec.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(20 operations, 0 webhooks, 6 schemas)"),
        "{}",
        stdout(&out)
    );
    let docs = tmp.path().join("docs");
    assert!(read(docs.join("source/index.html.md")).contains(openapi::MARKER));
    for sample in [
        "source/includes/_errors.md",
        "source/guide.html.md",
        "shale.yml",
    ] {
        assert!(
            !docs.join(sample).exists(),
            "{sample}: the sample API's file is removed"
        );
        assert!(
            !stdout(&out).contains(sample.trim_start_matches("source/")),
            "{sample} is not reported: {}",
            stdout(&out)
        );
    }
    assert!(docs.join(".github/workflows/docs.yml").is_file());
    let out = shale(&docs, &["build", "--strict", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A spec that does not read leaves no project behind.
    let out = shale(tmp.path(), &["new", "other", "--openapi", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!tmp.path().join("other").exists());
}

/// The imports of the fixtures, rendered by Slate's own pipeline (the oracle in
/// `../shared/oracle`), have the same heading ids, TOC, code blocks, text and asides as
/// shale's build of them.
#[test]
#[ignore = "needs ruby with redcarpet, rouge, nokogiri, activesupport, and ../shared (the oracle)"]
fn imports_render_as_slate_renders_them() {
    let Some(shared) = shared() else {
        prerequisite(false, "../shared (the Slate oracle)");
        return;
    };
    let ruby_ok = runs(
        "ruby",
        &[
            "-e",
            "require 'redcarpet'; require 'rouge'; require 'nokogiri'; require 'active_support'",
        ],
    );
    if !prerequisite(
        ruby_ok,
        "ruby with redcarpet, rouge, nokogiri and activesupport",
    ) || !prerequisite(runs("python3", &["--version"]), "python3")
    {
        return;
    }
    for spec in specs_in(&fixtures()) {
        let g = openapi::generate(&spec).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("source");
        write_source(&g, &source);
        build(&source, &tmp.path().join("site"));
        let oracle = tmp.path().join("oracle");
        let out = Command::new("ruby")
            .arg(shared.join("oracle/slate-oracle.rb"))
            .arg(&source)
            .arg(&oracle)
            .output()
            .expect("running the oracle");
        assert!(
            oracle.is_dir(),
            "{}: {}",
            spec.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let cmp = Command::new("python3")
            .arg(shared.join("oracle/compare.py"))
            .arg(&oracle)
            .arg(tmp.path().join("site"))
            .output()
            .expect("running compare.py");
        let report = String::from_utf8_lossy(&cmp.stdout).into_owned()
            + &String::from_utf8_lossy(&cmp.stderr);
        assert!(
            cmp.status.success(),
            "{}: differs from Slate:\n{report}",
            spec.display()
        );
        eprintln!(
            "{}: {}",
            stem(&spec),
            report
                .lines()
                .rev()
                .find(|l| l.starts_with("ids:"))
                .unwrap_or("")
        );
    }
}

#[test]
fn keywords_of_every_version_are_read_together() {
    let spec = format!(
        "{HEAD}paths:\n  /n:\n    post:\n      operationId: post-n\n      x-codeSamples:\n        - lang: Shell\n          source: my-cli post-n --all\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/N'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/N'}}\ncomponents:\n  schemas:\n    N:\n      type: object\n      required: [big, small]\n      properties:\n        big: {{type: integer, example: 18446744073709552000}}\n        small: {{type: integer, minimum: -9223372036854776000, maximum: -9223372036854776000}}\n        old: {{type: string, nullable: true, description: 3.0 keyword}}\n        new: {{type: [string, 'null']}}\n        ref: {{$ref: '#/components/schemas/M', description: a sibling}}\n        count: {{type: integer, exclusiveMinimum: 5}}\n        flag: {{type: integer, minimum: 5, exclusiveMinimum: true}}\n        custom: {{type: integer, format: uint128}}\n    M: {{type: string, enum: [m1, m2]}}\n"
    );
    let tmp = project(&[("api.yaml", spec.as_bytes())]);
    let g = openapi::generate(&tmp.path().join("api.yaml")).unwrap();
    let md = concat(&g);
    // Numbers as written, beyond 64 bits too.
    assert!(md.contains("\"big\": 18446744073709552000"), "{md}");
    assert!(md.contains("\"small\": -9223372036854776000"), "{md}");
    // 3.1 `exclusiveMinimum: 5` and 3.0 `exclusiveMinimum: true`: both more than 5.
    assert!(
        md.contains("\"count\": 6") && md.contains("\"flag\": 6"),
        "{md}"
    );
    assert!(
        md.contains("|old|string¦null|false|none|3.0 keyword|"),
        "{md}"
    );
    assert!(md.contains("|new|string¦null|"), "{md}");
    // A `$ref` with siblings links to its target, with its own description.
    assert!(
        md.contains("|ref|[M](#schemam)|false|none|a sibling|"),
        "{md}"
    );
    assert!(md.contains("\"ref\": \"m1\""), "{md}");
    // x-codeSamples replaces the generated sample of its language, not the others.
    assert!(md.contains("```shell\nmy-cli post-n --all\n```"), "{md}");
    assert!(md.contains("```python\nimport requests"), "{md}");
}

// ---------------------------------------------------------------------------------
// Pages whose front matter names a spec (`openapi: openapi.yaml`).

/// A built page's content without the comments that name where it was generated from
/// (the import's name the command, the page's the spec).
fn content_without_markers(page: &str) -> String {
    let mut s = content_of(page).to_string();
    while let Some(a) = s.find("<!-- generated by shale import") {
        let b = a + s[a..].find("-->").expect("comment end") + 3;
        s.replace_range(a..b, "");
    }
    s
}

/// A page that names a spec builds as the import of that spec builds: the same
/// content (ids, TOC, sections, code), title and tabs.
#[test]
fn a_page_naming_a_spec_builds_as_its_import() {
    for name in [
        "redoc-oas3.yaml",
        "petstore-swagger2.json",
        "oai-v3.1-webhook-example.json",
    ] {
        let spec = fixtures().join(name);
        let d = tempfile::tempdir().unwrap();
        let imported = d.path().join("imported");
        let o = shale(
            d.path(),
            &[
                "import",
                "-q",
                spec.to_str().unwrap(),
                "-o",
                "imported/source",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        build(&imported.join("source"), &imported.join("build"));

        let named = d.path().join("named/source");
        std::fs::create_dir_all(named.join("api")).unwrap();
        std::fs::copy(&spec, named.join("api").join(name)).unwrap();
        std::fs::write(
            named.join("index.html.md"),
            format!("---\nopenapi: api/{name}\n---\n"),
        )
        .unwrap();
        let s = build(&named, &d.path().join("named/build"));
        assert!(s.warnings.is_empty(), "{name}: {:?}", s.warnings);

        let a = read(imported.join("build/index.html"));
        let b = read(d.path().join("named/build/index.html"));
        assert_eq!(
            content_without_markers(&a),
            content_without_markers(&b),
            "{name}: the content differs from the import's"
        );
        let title =
            |p: &str| p[p.find("<title>").unwrap()..p.find("</title>").unwrap()].to_string();
        assert_eq!(title(&a), title(&b), "{name}");
        let toc = |p: &str| {
            let at = p.find("id=\"toc\"").expect("TOC");
            p[at..at + p[at..].find("</nav>").unwrap_or(p.len() - at)].to_string()
        };
        assert_eq!(toc(&a), toc(&b), "{name}: TOC");
        let tabs = |p: &str| p.matches("data-language-name=").count();
        assert_eq!(tabs(&a), tabs(&b), "{name}: language tabs");
        // Slate copies every file of source/: the spec is served beside the page.
        assert!(d.path().join("named/build/api").join(name).is_file());
    }
}

/// The page's own front matter wins, its body comes first, its own includes last.
#[test]
fn a_spec_page_keeps_its_own_settings_body_and_includes() {
    let spec = read(fixtures().join("redoc-oas3.yaml"));
    let d = project(&[
        ("source/_openapi.yaml", spec.as_bytes()),
        (
            "source/index.html.md",
            b"---\ntitle: Our pets\nopenapi: _openapi.yaml\nlanguage_tabs:\n  - shell\nincludes:\n  - errors\n---\n\n# Getting started\n\nRead this first.\n",
        ),
        ("source/includes/_errors.md", b"# Errors\n\nWe have none.\n"),
    ]);
    let o = shale(d.path(), &["build", "-q", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(d.path().join("build/index.html"));
    assert!(page.contains("<title>Our pets</title>"));
    assert!(page.contains("data-language-name=\"shell\""));
    assert!(
        !page.contains("data-language-name=\"python\""),
        "the page's tabs only"
    );
    let content = content_of(&page);
    let first = content
        .find("id='getting-started'")
        .expect("the page's body");
    let api = content
        .find("id=\"opIdaddPet\"")
        .expect("the generated sections");
    let errors = content.find("id='errors'").expect("the page's include");
    assert!(
        first < api && api < errors,
        "body, then the spec, then the page's includes"
    );
    // The spec's settings the page does not set: search and its servers for templates.
    assert!(d.path().join("build/search-index.json").is_file());
    // A spec named with `_` is not published.
    assert!(!d.path().join("build/_openapi.yaml").exists());
}

/// A spec that is missing, outside the source folder or broken: an error naming the
/// page's line (or the spec's), and no site.
#[test]
fn a_spec_page_refuses_missing_and_outside_specs() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.yaml"), "openapi: 3.0.0\n").unwrap();
    let abs = outside.path().join("x.yaml");
    let cases: Vec<(String, &str)> = vec![
        ("nope.yaml".into(), "cannot read `nope.yaml`"),
        ("../x.yaml".into(), "not a path inside the source folder"),
        (
            abs.display().to_string(),
            "not a path inside the source folder",
        ),
        ("link.yaml".into(), "leads out of the source folder"),
        ("includes".into(), "is not a file"),
    ];
    for (value, want) in cases {
        let d = project(&[
            (
                "source/index.html.md",
                format!("---\ntitle: x\nopenapi: {value}\n---\n").as_bytes(),
            ),
            ("source/includes/_a.md", b"# A\n"),
        ]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(&abs, d.path().join("source/link.yaml")).unwrap();
        let o = shale(d.path(), &["build", "-q"]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{value}: {err}");
        assert!(
            err.contains("source/index.html.md:3: front matter `openapi`"),
            "{value}: {err}"
        );
        assert!(err.contains(want), "{value}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!d.path().join("build/index.html").exists());
    }
    // An error in the spec names the spec's file and line.
    let d = project(&[
        ("source/index.html.md", b"---\nopenapi: api.yaml\n---\n"),
        (
            "source/api.yaml",
            b"openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n",
        ),
    ]);
    let o = shale(d.path(), &["build", "-q"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("source/api.yaml:7: #/paths/~1a/get/responses/200"),
        "{}",
        stderr(&o)
    );
}

/// A JSON example written as a string holding JSON (Jira's spec does this) is shown as
/// the document it holds; a string schema's example stays a string.
#[test]
fn json_examples_written_as_strings_are_shown_as_json() {
    let d = project(&[(
        "api.yaml",
        br#"openapi: 3.0.0
info: {title: x, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
              example: "{\"id\": 7}"
        '201':
          description: OK
          content:
            application/json:
              schema: {type: string}
              example: "{\"id\": 8}"
"#,
    )]);
    let g = openapi::generate(&d.path().join("api.yaml")).unwrap();
    let md = concat(&g);
    assert!(md.contains("```json\n{\n  \"id\": 7\n}\n```"), "{md}");
    assert!(md.contains("```json\n\"{\\\"id\\\": 8}\"\n```"), "{md}");
}
