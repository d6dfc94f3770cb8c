//! The lenient schema model: JSON Schema as OpenAPI 3.0, 3.1 and Swagger 2.0 write it,
//! keywords of all three accepted together (`nullable` and type arrays, `x-nullable`,
//! boolean and numeric `exclusiveMinimum`, `$ref` with siblings). Schemas live in an
//! arena and refer to each other by index, so `$ref` cycles are just indices.

use std::collections::HashMap;

use super::load::{escape_segment, Resolver};
use super::tree::{Node, Value};
use super::Error;

pub type SchemaId = usize;

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    Allowed(bool),
    Schema(SchemaId),
}

/// `minimum`/`maximum`, as written and as a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub text: String,
    pub value: f64,
    pub exclusive: bool,
}

/// A schema, as read (`allOf` not merged: see [`Schemas::merged`]).
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// The name of a schema that has its own section (`components/schemas/Pet`).
    pub name: Option<String>,
    pub types: Vec<String>,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub properties: Vec<(String, SchemaId)>,
    pub required: Vec<String>,
    pub additional: Option<Additional>,
    pub items: Option<SchemaId>,
    pub prefix_items: Vec<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub not: Option<SchemaId>,
    pub enum_values: Vec<Value>,
    pub const_value: Option<Value>,
    pub default: Option<Value>,
    pub example: Option<Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    /// `discriminator`: the property and its mapping (value → schema).
    pub discriminator: Option<(String, Vec<(String, SchemaId)>)>,
    /// A `$ref` written with siblings: the schema the siblings refine.
    pub base: Option<SchemaId>,
    /// `true` for `{}` or `true` (anything), `false` for the schema `false`.
    pub never: bool,
}

impl Schema {
    /// The type to show and generate: the first non-null type, else implied by keywords.
    pub fn main_type(&self) -> Option<&str> {
        if let Some(t) = self.types.iter().find(|t| *t != "null") {
            return Some(t);
        }
        if !self.properties.is_empty() || matches!(self.additional, Some(Additional::Schema(_))) {
            return Some("object");
        }
        if self.items.is_some() || !self.prefix_items.is_empty() {
            return Some("array");
        }
        if self.types.iter().any(|t| t == "null") {
            return Some("null");
        }
        None
    }

    pub fn nullable(&self) -> bool {
        self.types.iter().any(|t| t == "null")
    }
}

/// Every schema of a spec.
#[derive(Debug, Default)]
pub struct Schemas {
    pub list: Vec<Schema>,
    /// Named schemas, in the order of their sections.
    pub named: Vec<SchemaId>,
    /// Each schema with its `allOf` folded in (see [`Schemas::merge_all`]).
    folded: Vec<Schema>,
}

impl Schemas {
    pub fn get(&self, id: SchemaId) -> &Schema {
        &self.list[id]
    }

    pub fn push(&mut self, s: Schema) -> SchemaId {
        self.list.push(s);
        self.list.len() - 1
    }

    /// The schema with its `allOf` parts folded in (properties and required of every
    /// part, in order; the first part's type, format, example… where the schema has
    /// none), as computed by [`Schemas::merge_all`] (the schema as read before that).
    pub fn merged(&self, id: SchemaId) -> &Schema {
        self.folded.get(id).unwrap_or(&self.list[id])
    }

    /// Computes [`Schemas::merged`] for every schema (once all are read).
    pub fn merge_all(&mut self) {
        let folded = (0..self.list.len())
            .map(|id| {
                let mut out = self.list[id].clone();
                let mut seen = vec![id];
                self.fold_all_of(&mut out, &mut seen, 0);
                out
            })
            .collect();
        self.folded = folded;
    }

    fn fold_all_of(&self, out: &mut Schema, seen: &mut Vec<SchemaId>, depth: usize) {
        let parts = std::mem::take(&mut out.all_of);
        if depth > 16 {
            return;
        }
        for p in parts {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let mut part = self.list[p].clone();
            self.fold_all_of(&mut part, seen, depth + 1);
            fill_keywords(out, &part);
            for (k, v) in part.properties {
                if !out.properties.iter().any(|(k2, _)| *k2 == k) {
                    out.properties.push((k, v));
                }
            }
            for r in part.required {
                if !out.required.contains(&r) {
                    out.required.push(r);
                }
            }
            if out.types.is_empty() {
                out.types = part.types;
            }
            if out.description.is_none() && out.name.is_none() {
                out.description = part.description;
            }
            if out.enum_values.is_empty() {
                out.enum_values = part.enum_values;
            }
            if out.one_of.is_empty() {
                out.one_of = part.one_of;
            }
            if out.any_of.is_empty() {
                out.any_of = part.any_of;
            }
            out.read_only |= part.read_only;
            out.write_only |= part.write_only;
            out.never |= part.never;
        }
    }
}

/// Reads schemas from the spec's tree into [`Schemas`].
pub struct SchemaReader<'a> {
    pub res: &'a Resolver<'a>,
    pub schemas: Schemas,
    by_node: HashMap<*const Node, SchemaId>,
    pending: Vec<(SchemaId, usize, &'a Node, String)>,
    names: HashMap<String, usize>,
}

/// The keywords of a schema that are values, not schemas: types (with `nullable`),
/// format, bounds, enum, const, default, example, required…
fn read_keywords(s: &mut Schema, node: &Node) {
    let text = |k: &str| node.get(k).and_then(Node::as_text);
    let uint = |k: &str| {
        node.get(k)
            .and_then(Node::as_f64)
            .filter(|f| *f >= 0.0)
            .map(|f| f as u64)
    };
    let flag = |k: &str| node.get(k).and_then(Node::as_bool).unwrap_or(false);
    match node.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => s.types.push(t.clone()),
        Some(Value::Array(a)) => {
            s.types = a
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect()
        }
        _ => {}
    }
    if (flag("nullable") || flag("x-nullable"))
        && !s.types.is_empty()
        && !s.types.iter().any(|t| t == "null")
    {
        s.types.push("null".into());
    }
    s.format = text("format");
    s.title = text("title");
    s.description = text("description");
    s.pattern = text("pattern");
    s.read_only = flag("readOnly");
    s.write_only = flag("writeOnly");
    s.deprecated = flag("deprecated");
    s.unique_items = flag("uniqueItems");
    s.min_length = uint("minLength");
    s.max_length = uint("maxLength");
    s.min_items = uint("minItems");
    s.max_items = uint("maxItems");
    s.min_properties = uint("minProperties");
    s.multiple_of = node
        .get("multipleOf")
        .and_then(Node::as_f64)
        .filter(|f| *f > 0.0);
    s.minimum = bound(node, "minimum", "exclusiveMinimum");
    s.maximum = bound(node, "maximum", "exclusiveMaximum");
    if let Some(e) = node.get("enum").and_then(Node::as_array) {
        s.enum_values = e.iter().map(|n| n.value.clone()).collect();
    }
    s.const_value = node.get("const").map(|n| n.value.clone());
    s.default = node.get("default").map(|n| n.value.clone());
    s.example = node.get("example").map(|n| n.value.clone()).or_else(|| {
        node.get("examples")
            .and_then(Node::as_array)
            .and_then(|a| a.first())
            .map(|n| n.value.clone())
    });
    if let Some(r) = node.get("required").and_then(Node::as_array) {
        s.required = r
            .iter()
            .filter_map(|n| n.as_str().map(String::from))
            .collect();
    }
}

impl<'a> SchemaReader<'a> {
    pub fn new(res: &'a Resolver<'a>) -> Self {
        SchemaReader {
            res,
            schemas: Schemas::default(),
            by_node: HashMap::new(),
            pending: Vec::new(),
            names: HashMap::new(),
        }
    }

    /// An error at `node` of `doc`, `pointer` being where it is.
    pub fn error(&self, doc: usize, node: &Node, pointer: &str, msg: &str) -> Error {
        Error::at(self.res.doc_name(doc), node.line, pointer, msg)
    }

    fn unique_name(&mut self, name: &str) -> String {
        let n = self.names.entry(name.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            name.to_string()
        } else {
            format!("{name}{n}")
        }
    }

    /// Registers the named schemas of the root document (`components/schemas` or
    /// `definitions`) first, so that they keep their names and order.
    pub fn register_named(&mut self, map: &'a Node, base_pointer: &str) {
        for (name, node) in map.entries() {
            // A named schema that is only a `$ref` to another is its own section too.
            let id = self.schemas.push(Schema::default());
            let unique = self.unique_name(name);
            self.schemas.list[id].name = Some(unique);
            self.schemas.named.push(id);
            self.by_node.insert(node as *const Node, id);
            self.pending.push((
                id,
                0,
                node,
                format!("{base_pointer}/{}", escape_segment(name)),
            ));
        }
    }

    /// The schema at `node` (in `doc`, at `pointer`).
    pub fn schema(&mut self, doc: usize, node: &'a Node, pointer: &str) -> Result<SchemaId, Error> {
        if let Some(&id) = self.by_node.get(&(node as *const Node)) {
            return Ok(id);
        }
        if let Some(r) = node.reference() {
            let only_ref = node
                .entries()
                .all(|(k, _)| k == "$ref" || k.starts_with("x-"));
            let target = self.target(doc, node, r, pointer)?;
            if only_ref {
                return Ok(target);
            }
            let id = self.schemas.push(Schema::default());
            self.by_node.insert(node as *const Node, id);
            self.read_fields(id, doc, node, pointer)?;
            self.schemas.list[id].base = Some(target);
            return Ok(id);
        }
        let id = self.schemas.push(Schema::default());
        self.by_node.insert(node as *const Node, id);
        self.read_fields(id, doc, node, pointer)?;
        Ok(id)
    }

    /// The schema a `$ref` names; read later (from [`Self::finish`]) when new.
    fn target(
        &mut self,
        doc: usize,
        at: &'a Node,
        r: &'a str,
        pointer: &str,
    ) -> Result<SchemaId, Error> {
        let here = format!("{pointer}/$ref");
        let (mut d, mut n, mut p) = self
            .res
            .resolve(doc, r)
            .map_err(|m| self.error(doc, at, &here, &m))?;
        // Follow a chain of pure references to the schema itself.
        let mut hops = 0;
        while let Some(r2) = n.reference() {
            if self.by_node.contains_key(&(n as *const Node)) {
                break;
            }
            if n.entries()
                .any(|(k, _)| k != "$ref" && !k.starts_with("x-"))
            {
                break;
            }
            hops += 1;
            if hops > super::load::MAX_REF_CHAIN {
                return Err(self.error(
                    doc,
                    at,
                    &here,
                    &format!("`{r}`: a loop of `$ref`s that never reaches a schema; make one of them a schema"),
                ));
            }
            let (d2, n2, p2) = self
                .res
                .resolve(d, r2)
                .map_err(|m| self.error(d, n, &format!("{p}/$ref"), &m))?;
            d = d2;
            n = n2;
            p = p2;
        }
        if let Some(&id) = self.by_node.get(&(n as *const Node)) {
            return Ok(id);
        }
        let id = self.schemas.push(Schema::default());
        self.by_node.insert(n as *const Node, id);
        // A schema reached by reference from another file (a whole file, or one of its
        // top-level or `components/schemas` entries) gets a section of its own, named by
        // the reference; one deep inside a document (`#/paths/…/schema`) does not.
        let segments: Vec<&str> = p.split('/').skip(1).collect();
        let nameable = match segments.as_slice() {
            [] => d != 0,
            [_] => true,
            ["components", "schemas", _] | ["definitions", _] => true,
            _ => false,
        };
        if nameable {
            let name = match segments.last() {
                Some(last) => last.replace("~1", "/").replace("~0", "~"),
                None => {
                    let path = &self.res.loaded.docs[d].path;
                    path.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "schema".into())
                }
            };
            let name = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".json"))
                .unwrap_or(&name)
                .to_string();
            let unique = self.unique_name(&name);
            self.schemas.list[id].name = Some(unique);
            self.schemas.named.push(id);
        }
        self.pending.push((id, d, n, p));
        Ok(id)
    }

    /// Reads the schemas met by reference so far (and those they reference).
    pub fn finish(&mut self) -> Result<(), Error> {
        while let Some((id, doc, node, pointer)) = self.pending.pop() {
            if let Some(r) = node.reference() {
                // A loop of references that never reaches a schema is an error.
                self.res
                    .follow(doc, node)
                    .map_err(|m| self.error(doc, node, &pointer, &m))?;
                let target = self.target(doc, node, r, &pointer)?;
                let name = self.schemas.list[id].name.clone();
                self.read_fields(id, doc, node, &pointer)?;
                let s = &mut self.schemas.list[id];
                s.base = Some(target);
                s.name = name;
            } else {
                self.read_fields(id, doc, node, &pointer)?;
            }
        }
        // `$ref` with siblings: the siblings refine the referenced schema.
        for id in 0..self.schemas.list.len() {
            let mut seen = vec![id];
            let mut base = self.schemas.list[id].base;
            while let Some(b) = base {
                if seen.contains(&b) || seen.len() > 16 {
                    break;
                }
                seen.push(b);
                let from = self.schemas.list[b].clone();
                let s = &mut self.schemas.list[id];
                inherit(s, &from);
                base = from.base;
            }
        }
        self.schemas.merge_all();
        Ok(())
    }

    fn opt_schema(
        &mut self,
        doc: usize,
        node: &'a Node,
        key: &str,
        pointer: &str,
    ) -> Result<Option<SchemaId>, Error> {
        match node.get(key) {
            Some(n) if n.as_object().is_some() || n.as_bool().is_some() => {
                Ok(Some(self.schema(doc, n, &format!("{pointer}/{key}"))?))
            }
            _ => Ok(None),
        }
    }

    fn list(
        &mut self,
        doc: usize,
        node: &'a Node,
        key: &str,
        pointer: &str,
    ) -> Result<Vec<SchemaId>, Error> {
        let mut out = Vec::new();
        for (i, n) in node
            .get(key)
            .map(|n| n.items())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if n.as_object().is_some() || n.as_bool().is_some() {
                out.push(self.schema(doc, n, &format!("{pointer}/{key}/{i}"))?);
            }
        }
        Ok(out)
    }

    /// Reads the schema at `node` into `id` (its keywords, then its subschemas).
    fn read_fields(
        &mut self,
        id: SchemaId,
        doc: usize,
        node: &'a Node,
        pointer: &str,
    ) -> Result<(), Error> {
        let mut s = Schema {
            name: self.schemas.list[id].name.clone(),
            ..Schema::default()
        };
        if let Some(b) = node.as_bool() {
            s.never = !b;
            self.schemas.list[id] = s;
            return Ok(());
        }
        read_keywords(&mut s, node);
        self.read_subschemas(&mut s, doc, node, pointer)?;
        self.read_discriminator(&mut s, doc, node);
        self.schemas.list[id] = s;
        Ok(())
    }

    /// The subschemas of `node`: properties, `additionalProperties`, items, the
    /// combinations (`allOf`, `oneOf`, `anyOf`) and `not`.
    fn read_subschemas(
        &mut self,
        s: &mut Schema,
        doc: usize,
        node: &'a Node,
        pointer: &str,
    ) -> Result<(), Error> {
        for (k, v) in node
            .get("properties")
            .map(|p| p.entries())
            .into_iter()
            .flatten()
        {
            if v.as_object().is_some() || v.as_bool().is_some() {
                let p = format!("{pointer}/properties/{}", escape_segment(k));
                let pid = self.schema(doc, v, &p)?;
                s.properties.push((k.to_string(), pid));
            }
        }
        s.additional = match node.get("additionalProperties") {
            Some(n) if n.as_bool().is_some() => Some(Additional::Allowed(n.as_bool().unwrap())),
            Some(n) if n.as_object().is_some() => Some(Additional::Schema(self.schema(
                doc,
                n,
                &format!("{pointer}/additionalProperties"),
            )?)),
            _ => None,
        };
        match node.get("items") {
            Some(n) if n.as_array().is_some() => {
                s.prefix_items = self.list(doc, node, "items", pointer)?
            }
            _ => s.items = self.opt_schema(doc, node, "items", pointer)?,
        }
        if s.prefix_items.is_empty() {
            s.prefix_items = self.list(doc, node, "prefixItems", pointer)?;
        }
        s.all_of = self.list(doc, node, "allOf", pointer)?;
        s.one_of = self.list(doc, node, "oneOf", pointer)?;
        s.any_of = self.list(doc, node, "anyOf", pointer)?;
        s.not = self.opt_schema(doc, node, "not", pointer)?;
        Ok(())
    }

    /// The `discriminator` of `node` (3.x: an object with a mapping; 2.0: a name).
    fn read_discriminator(&mut self, s: &mut Schema, doc: usize, node: &'a Node) {
        match node.get("discriminator") {
            Some(d) if d.as_object().is_some() => {
                if let Some(prop) = d.get("propertyName").and_then(Node::as_str) {
                    let mut mapping = Vec::new();
                    for (value, target) in
                        d.get("mapping").map(|m| m.entries()).into_iter().flatten()
                    {
                        let Some(t) = target.as_str() else { continue };
                        if let Some(tid) = self.mapping_target(doc, t) {
                            mapping.push((value.to_string(), tid));
                        }
                    }
                    s.discriminator = Some((prop.to_string(), mapping));
                }
            }
            // Swagger 2.0: the property name alone.
            Some(d) if d.as_str().is_some() => {
                s.discriminator = Some((d.as_str().unwrap().to_string(), Vec::new()))
            }
            _ => {}
        }
    }

    /// A discriminator mapping's schema: a reference, or the name of a component.
    fn mapping_target(&mut self, doc: usize, t: &str) -> Option<SchemaId> {
        let pointer = if t.contains('#') || t.contains('/') || t.contains('.') {
            t.to_string()
        } else {
            format!("#/components/schemas/{}", escape_segment(t))
        };
        let (_, n, _) = self.res.resolve(doc, &pointer).ok()?;
        self.by_node.get(&(n as *const Node)).copied()
    }
}

fn bound(node: &Node, key: &str, exclusive_key: &str) -> Option<Bound> {
    let ex = node.get(exclusive_key);
    // 3.1: `exclusiveMinimum: 5` is the bound itself.
    if let Some(n) = ex.filter(|n| n.as_f64().is_some()) {
        if let Value::Number(t) = &n.value {
            return Some(Bound {
                text: t.clone(),
                value: n.as_f64().unwrap(),
                exclusive: true,
            });
        }
    }
    let n = node.get(key)?;
    let Value::Number(t) = &n.value else {
        return None;
    };
    Some(Bound {
        text: t.clone(),
        value: n.as_f64()?,
        exclusive: ex.and_then(Node::as_bool).unwrap_or(false),
    })
}

/// Sets each keyword of `out` (but its title and description, which the callers take
/// each their way) that `out` does not have and `from` has.
fn fill_keywords(out: &mut Schema, from: &Schema) {
    macro_rules! fill {
        ($($f:ident),*) => {$( if out.$f.is_none() { out.$f = from.$f.clone(); } )*};
    }
    fill!(
        format,
        additional,
        items,
        not,
        const_value,
        default,
        example,
        minimum,
        maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        min_items,
        max_items,
        min_properties,
        discriminator
    );
}

/// Fills what `s` does not say from `from` (the schema its `$ref` names).
fn inherit(s: &mut Schema, from: &Schema) {
    if s.title.is_none() {
        s.title = from.title.clone();
    }
    if s.description.is_none() {
        s.description = from.description.clone();
    }
    fill_keywords(s, from);
    if s.types.is_empty() || s.types == ["null"] {
        let null = s.types.len() == 1;
        s.types = from.types.clone();
        if null && !s.types.iter().any(|t| t == "null") {
            s.types.push("null".into());
        }
    }
    macro_rules! fill_vec {
        ($($f:ident),*) => {$( if s.$f.is_empty() { s.$f = from.$f.clone(); } )*};
    }
    fill_vec!(
        properties,
        required,
        prefix_items,
        all_of,
        one_of,
        any_of,
        enum_values
    );
    s.read_only |= from.read_only;
    s.write_only |= from.write_only;
    s.deprecated |= from.deprecated;
    s.unique_items |= from.unique_items;
    s.never |= from.never;
}
