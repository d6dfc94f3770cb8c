//! The tree reads as the pipeline: every module of `src/` belongs to a layer of
//! [`LAYERS`], and imports (`use crate::…`, `crate::…` paths, `super::…`) only modules
//! of its own layer or of a layer before it. The list is documented in
//! docs/architecture.md; a new module goes in the layer of the stage it serves.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::repo;

/// The layers, first to last. A module belongs to the longest entry that is a prefix
/// of its path; `page` holds `page/mod.rs` and any child not listed on its own.
const LAYERS: &[&str] = &[
    // what everything uses
    "error",
    "util",
    "output",
    // load the project
    "load::source",
    "load::settings",
    "load::frontmatter",
    "load::ruby",
    "load::i18n",
    "load::erb",
    "load::plan",
    "load::site",
    "load",
    // render the markdown
    "highlight",
    "markdown",
    // an OpenAPI spec as Slate markdown (its descriptions go through the markdown port)
    "openapi",
    // assemble a page
    "page::toc",
    "page::check",
    "page::code",
    "page::read",
    "page::cache",
    "page::assemble",
    "page",
    // turn pages into files
    "emit::search",
    "emit::machine",
    "emit::layout",
    "emit::chunks",
    "emit::theme",
    "emit::resolver",
    "emit::redirect",
    "emit::emitter",
    "emit::single_file",
    "emit::page",
    "emit",
    // run it
    "build",
    "watch",
    "serve",
    "scaffold",
    "deploy",
];

/// The layer of the module at `path` (`page::read`), as an index into [`LAYERS`].
fn layer(path: &str) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .filter(|(_, l)| path == **l || path.starts_with(&format!("{l}::")))
        .max_by_key(|(_, l)| l.len())
        .map(|(i, _)| i)
}

/// `text` with comments, string and char literals blanked (lengths kept).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend(b"  ");
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
            }
        } else if b[i] == b'"' || (b[i] == b'r' && matches!(b.get(i + 1), Some(b'"' | b'#'))) {
            let raw = b[i] == b'r';
            let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
            if raw && prev_ident {
                out.push(b[i]);
                i += 1;
                continue;
            }
            let start = i;
            if raw {
                i += 1;
                let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
                i += hashes;
                if b.get(i) != Some(&b'"') {
                    out.extend(&b[start..i]);
                    continue;
                }
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 1;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i = (i + close.len()).min(b.len());
            } else {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
            }
            out.extend(
                b[start..i]
                    .iter()
                    .map(|&c| if c == b'\n' { b'\n' } else { b' ' }),
            );
        } else if b[i] == b'\'' {
            // a char literal ('x', '\n', '\u{1F600}'), not a lifetime
            let rest = &text[i + 1..];
            let len = if rest.starts_with('\\') {
                rest.find('\'').map(|e| e + 2)
            } else {
                let mut cs = rest.chars();
                let c = cs.next().map_or(0, char::len_utf8);
                (cs.next() == Some('\'')).then_some(c + 2)
            };
            match len {
                Some(n) => {
                    out.extend(std::iter::repeat_n(b' ', n));
                    i += n;
                }
                None => {
                    out.push(b[i]);
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("blanked ASCII")
}

/// The module paths a file's code refers to: `crate::a::b` (with `crate::a::{b, c}`
/// groups expanded) and `super::x` resolved from `module`.
fn imports(code: &str, module: &[String]) -> BTreeSet<String> {
    let ident = |s: &str| {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<String>()
    };
    // Lower-case segments: modules (and functions, which the prefix match ignores).
    let path_at = |s: &str| -> (Vec<String>, Option<usize>) {
        let mut segs = Vec::new();
        let mut pos = 0;
        loop {
            let id = ident(&s[pos..]);
            if id.is_empty() {
                let group = s[pos..].starts_with('{').then_some(pos + 1);
                return (segs, group);
            }
            let lower = id.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            if !lower || id == "self" {
                return (segs, None);
            }
            pos += id.len();
            segs.push(id);
            if s[pos..].starts_with("::") {
                pos += 2;
            } else {
                return (segs, None);
            }
        }
    };
    let mut out = BTreeSet::new();
    let add = |base: Vec<String>, rest: &str, out: &mut BTreeSet<String>| {
        let (segs, group) = path_at(rest);
        let mut full = base;
        full.extend(segs);
        if let Some(g) = group {
            // `{a::b, c, self}`: each item from the group's base
            let mut depth = 0;
            let mut item_start = g;
            for (k, ch) in rest[g..].char_indices() {
                let at = g + k;
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        let (segs, _) = path_at(rest[item_start..at].trim());
                        out.insert([full.clone(), segs].concat().join("::"));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let (segs, _) = path_at(rest[item_start..at].trim());
                        out.insert([full.clone(), segs].concat().join("::"));
                        item_start = at + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(full.join("::"));
        }
    };
    // Inline modules (`mod tests { … }`): `super::` inside one is the file's module.
    let inline_mods: Vec<(usize, usize, String)> = code
        .match_indices("mod ")
        .filter_map(|(at, _)| {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            let name = ident(&code[at + 4..]);
            let open = at + 4 + name.len();
            if name.is_empty() || !code[open..].trim_start().starts_with('{') {
                return None;
            }
            let open = open + code[open..].find('{')?;
            let mut depth = 0;
            for (k, ch) in code[open..].char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some((open, open + k, name));
                        }
                    }
                    _ => {}
                }
            }
            None
        })
        .collect();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue; // `$crate::`, `my_crate::`
        }
        add(Vec::new(), &code[at + 7..], &mut out);
    }
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue; // a second `super::` of `super::super::` is counted with the first
        }
        let mut base = module.to_vec();
        base.extend(
            inline_mods
                .iter()
                .filter(|(open, close, _)| *open < at && at < *close)
                .map(|(_, _, name)| name.clone()),
        );
        let mut rest = &code[at..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        add(base, rest, &mut out);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The module path of a file of `src/` (`src/page/read.rs` → `page::read`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut segs: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segs.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        segs.push(stem.to_string());
    }
    segs
}

/// Names `lib.rs` re-exports at the crate root (`crate::Diagnostic`), and their modules.
fn root_reexports(lib: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let (module, names) = match rest.split_once("::{") {
            Some((m, n)) => (m, n.trim_end_matches('}')),
            None => rest.rsplit_once("::").unwrap_or(("", rest)),
        };
        let module: Vec<&str> = module
            .split("::")
            .filter(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .collect();
        for n in names.split(',') {
            out.push((n.trim().to_string(), module.join("::")));
        }
    }
    out
}

#[test]
fn no_module_imports_a_later_layer() {
    let src = repo().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let reexports = root_reexports(&lib);
    let mut problems = Vec::new();
    let mut files = 0;
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "rs") || path.ends_with("src/main.rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let module = module_of(rel);
        if module.is_empty() {
            continue; // lib.rs declares the modules
        }
        files += 1;
        let name = module.join("::");
        let Some(mine) = layer(&name) else {
            problems.push(format!(
                "src/{}: module `{name}` is in no layer of LAYERS (tests/suite/layers.rs): add it where its stage is",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let code = code_only(&text);
        let mut used = imports(&code, &module);
        for (name, module) in &reexports {
            if code.contains(&format!("crate::{name}")) {
                used.insert(module.clone());
            }
        }
        for target in used {
            let Some(theirs) = layer(&target) else {
                continue; // an item at the crate root, or an external path
            };
            if theirs > mine {
                problems.push(format!(
                    "src/{}: `{name}` (layer `{}`) uses `{target}` (layer `{}`, a later one)",
                    rel.display(),
                    LAYERS[mine],
                    LAYERS[theirs]
                ));
            }
        }
    }
    assert!(files > 40, "only {files} files under src/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_imports() {
    let module: Vec<String> = ["page", "read"].iter().map(|s| s.to_string()).collect();
    let code = code_only(
        "use crate::load::{erb, source::{self, SourceFile}};\nuse super::check; // crate::serve\nlet s = \"crate::build\"; crate::util::url::parent_dir(x); 'c'; fn f<'a>() {}",
    );
    let got = imports(&code, &module);
    for want in [
        "load::erb",
        "load::source",
        "page::check",
        "util::url::parent_dir",
    ] {
        assert!(got.contains(want), "{want} not in {got:?}");
    }
    assert!(
        !got.contains("load"),
        "a group's base is not an import: {got:?}"
    );
    let tests = code_only("mod tests {\n    use super::*;\n}\nuse super::toc;");
    let got = imports(&tests, &module);
    assert!(
        got.contains("page::read") && got.contains("page::toc"),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|p| p.starts_with("serve") || p.starts_with("build")),
        "{got:?}"
    );
    assert_eq!(layer("page::read::Piece"), layer("page::read"));
    assert!(layer("emit::single_file") > layer("page"));
    assert_eq!(layer("nothing"), None);
}
