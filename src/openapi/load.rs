//! Reading a spec and the files its `$ref`s name, and resolving `$ref`s.
//!
//! A spec may be one file or several joined by relative `$ref`s (`schemas/pet.yaml#/Pet`).
//! Every file read must lie inside the spec's folder tree (after following symbolic
//! links); nothing is fetched from the network. Files are read once each, up front (a
//! pass over each file finds the files its `$ref`s name), so that resolving is a lookup.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::tree::{self, Node, Value};
use super::Error;

/// The largest spec file read.
pub const MAX_FILE_BYTES: u64 = 128 << 20;
/// The most files one spec may join.
pub const MAX_FILES: usize = 2000;
/// The most `$ref`s followed in a row (`$ref` to a `$ref` to …).
pub const MAX_REF_CHAIN: usize = 64;

/// One file of the spec.
#[derive(Debug)]
pub struct Doc {
    /// The path as shown in messages: relative to the current folder when the spec was
    /// named so, else as given.
    pub name: String,
    /// Canonical path.
    pub path: PathBuf,
    pub root: Node,
}

/// The spec's files; the first is the one named on the command line.
#[derive(Debug)]
pub struct Loaded {
    pub docs: Vec<Doc>,
    /// The canonical folder every file must be in.
    pub root_dir: PathBuf,
}

/// A place in a file: which file and the JSON pointer, for messages.
#[derive(Debug, Clone)]
pub struct Place {
    pub doc: usize,
    pub pointer: String,
    pub line: u32,
}

/// Escapes one JSON-pointer segment.
pub fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

impl Loaded {
    /// Reads `spec` and every file its `$ref`s name, transitively; messages name it
    /// `name` (and the other files from its folder).
    pub fn read(spec: &Path, name: &str) -> Result<Loaded, Error> {
        let name = name.to_string();
        let path = spec
            .canonicalize()
            .map_err(|e| Error::plain(format!("{name}: cannot read the spec: {e}")))?;
        if path.is_dir() {
            return Err(Error::plain(format!(
                "{name} is a folder; name the spec file (openapi.yaml, swagger.json, …)"
            )));
        }
        let root_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let root = read_file(&path, &name)?;
        let mut loaded = Loaded {
            docs: vec![Doc { name, path, root }],
            root_dir,
        };
        let mut i = 0;
        while i < loaded.docs.len() {
            let mut wanted = Vec::new();
            collect_file_refs(&loaded.docs[i].root, &mut wanted);
            for r in wanted {
                // Refs that cannot be read are reported when used, with their place.
                if let Ok(target) = loaded.file_target(i, &r) {
                    if !loaded.docs.iter().any(|d| d.path == target) {
                        if loaded.docs.len() >= MAX_FILES {
                            return Err(Error::plain(format!(
                                "{}: the spec joins more than {MAX_FILES} files with $ref",
                                loaded.docs[0].name
                            )));
                        }
                        let name = loaded.display_name(&target);
                        let root = read_file(&target, &name)?;
                        loaded.docs.push(Doc {
                            name,
                            path: target,
                            root,
                        });
                    }
                }
            }
            i += 1;
        }
        Ok(loaded)
    }

    /// Every file read, for `serve` to watch.
    pub fn files(&self) -> Vec<PathBuf> {
        self.docs.iter().map(|d| d.path.clone()).collect()
    }

    fn display_name(&self, target: &Path) -> String {
        let first = Path::new(&self.docs[0].name);
        let rel = target.strip_prefix(&self.root_dir).unwrap_or(target);
        match first.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(rel).display().to_string(),
            _ => rel.display().to_string(),
        }
    }

    /// The canonical file a `$ref` written in `doc` names (its part before `#`), checked
    /// to be a local file inside the spec's folder.
    fn file_target(&self, doc: usize, r: &str) -> Result<PathBuf, String> {
        let file = r.split('#').next().unwrap_or("");
        if has_scheme(file) || file.starts_with("//") {
            return Err(format!(
                "`{r}` is a URL; shale never fetches from the network: download the file into the spec's folder and refer to it by a relative path"
            ));
        }
        let decoded = percent_decode(file);
        let rel = Path::new(&decoded);
        if rel.is_absolute() {
            return Err(format!(
                "`{r}` is an absolute path; refer to files by a path relative to the spec, inside its folder"
            ));
        }
        let base = self.docs[doc].path.parent().unwrap_or(&self.root_dir);
        let joined = base.join(rel);
        let target = joined
            .canonicalize()
            .map_err(|e| format!("`{r}`: cannot read {}: {e}", self.display_name(&joined)))?;
        if !target.starts_with(&self.root_dir) {
            return Err(format!(
                "`{r}` leads outside the spec's folder ({}); shale reads only files inside it: copy the file in",
                self.root_dir.display()
            ));
        }
        if target.is_dir() {
            return Err(format!("`{r}` names a folder, not a file"));
        }
        Ok(target)
    }
}

fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    // `C:` alone would be a Windows drive; a scheme has two letters or more.
    scheme.len() >= 2
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_file(path: &Path, name: &str) -> Result<Node, Error> {
    let meta =
        std::fs::metadata(path).map_err(|e| Error::plain(format!("{name}: cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::plain(format!(
            "{name}: {} MB; shale reads spec files of at most {} MB",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Error::plain(format!("{name}: cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::plain(format!(
            "{name}:{line}: not valid UTF-8 (byte offset {at}); re-save the file as UTF-8"
        ))
    })?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    tree::parse(&text, json).map_err(|e| {
        Error::plain(format!(
            "{name}:{}:{}: {}",
            e.line,
            e.column,
            if e.message.starts_with("not valid YAML") || !json {
                e.message
            } else {
                format!("not valid JSON: {}", e.message)
            }
        ))
    })
}

/// The `$ref` strings of a tree that name another file.
fn collect_file_refs(n: &Node, out: &mut Vec<String>) {
    match &n.value {
        Value::Object(m) => {
            for (k, v) in m {
                match (&v.value, k.as_str()) {
                    (Value::String(r), "$ref") if !r.starts_with('#') => {
                        if !out.contains(r) {
                            out.push(r.clone())
                        }
                    }
                    // Examples are data, not references.
                    (_, "example" | "examples" | "default" | "const" | "enum") => {}
                    _ => collect_file_refs(v, out),
                }
            }
        }
        Value::Array(a) => {
            for v in a {
                collect_file_refs(v, out);
            }
        }
        _ => {}
    }
}

/// What a `$ref` names: its file, the node, and its JSON pointer.
pub type Hit<'a> = (usize, &'a Node, String);

/// Resolves `$ref`s, remembering each.
pub struct Resolver<'a> {
    pub loaded: &'a Loaded,
    memo: RefCell<Vec<HashMap<String, Hit<'a>>>>,
}

impl<'a> Resolver<'a> {
    pub fn new(loaded: &'a Loaded) -> Self {
        Resolver {
            loaded,
            memo: RefCell::new(vec![HashMap::new(); loaded.docs.len()]),
        }
    }

    pub fn root(&self) -> &'a Node {
        &self.loaded.docs[0].root
    }

    pub fn doc_name(&self, doc: usize) -> &str {
        &self.loaded.docs[doc].name
    }

    /// The node `r` (written in `doc`) names: (its file, the node, its pointer).
    pub fn resolve(&self, doc: usize, r: &str) -> Result<Hit<'a>, String> {
        if let Some(hit) = self.memo.borrow()[doc].get(r) {
            return Ok(hit.clone());
        }
        let (file, frag) = r.split_once('#').unwrap_or((r, ""));
        let target_doc = if file.is_empty() {
            doc
        } else {
            let path = self.loaded.file_target(doc, r)?;
            self.loaded
                .docs
                .iter()
                .position(|d| d.path == path)
                .ok_or_else(|| format!("`{r}`: the file was not read"))?
        };
        let frag = percent_decode(frag);
        let mut node = &self.loaded.docs[target_doc].root;
        if !frag.is_empty() && !frag.starts_with('/') {
            return Err(format!(
                "`{r}`: only JSON-pointer fragments (`#/components/schemas/Pet`) are supported, not anchors"
            ));
        }
        for seg in frag.split('/').skip(1) {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Object(_) => node.get(&seg),
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            node = next.ok_or_else(|| {
                format!(
                    "`{r}`: {} has no `{seg}`; fix the reference or add what it names",
                    self.loaded.docs[target_doc].name
                )
            })?;
        }
        let hit = (target_doc, node, frag.to_string());
        self.memo.borrow_mut()[doc].insert(r.to_string(), hit.clone());
        Ok(hit)
    }

    /// Follows `$ref`s from `node` to a node that is not a reference; returns it, its
    /// file, and the pointer of the last reference followed (None when `node` is not one).
    pub fn follow(
        &self,
        mut doc: usize,
        mut node: &'a Node,
    ) -> Result<(usize, &'a Node, Option<String>), String> {
        let mut last = None;
        for _ in 0..MAX_REF_CHAIN {
            match node.reference() {
                Some(r) => {
                    let (d, n, p) = self.resolve(doc, r)?;
                    doc = d;
                    node = n;
                    last = Some(p);
                }
                None => return Ok((doc, node, last)),
            }
        }
        Err(format!(
            "more than {MAX_REF_CHAIN} `$ref`s in a row (a loop of references that never reaches a value)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_decoding() {
        assert!(has_scheme("https://x/y.yaml"));
        assert!(has_scheme("file:///etc/passwd"));
        assert!(!has_scheme("pet.yaml"));
        assert!(!has_scheme("C:x"));
        assert_eq!(percent_decode("a%20b%7B%"), "a b{%");
        assert_eq!(escape_segment("/pets/{id}~"), "~1pets~1{id}~0");
    }
}
