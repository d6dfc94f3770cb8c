//! The API as the writer sees it, whatever the spec's version, and the reader of
//! OpenAPI 3.0 and 3.1 documents into it (Swagger 2.0: [`super::swagger2`]).
//!
//! Reading is lenient: a keyword of the wrong type is ignored, not an error, so that the
//! real specs that strict readers reject still import. What cannot be read at all (a
//! `$ref` that names nothing, leaves the spec's folder or names a URL) is an error naming
//! the file, line and JSON pointer.

use super::load::{escape_segment, Resolver};
use super::schema::{SchemaId, SchemaReader, Schemas};
use super::tree::{Node, Value};
use super::Error;

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

#[derive(Debug, Clone, Default)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Flow {
    pub kind: String,
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub scopes: Vec<(String, String)>,
}

/// A security scheme (`components/securitySchemes`, `securityDefinitions`).
#[derive(Debug, Clone, Default)]
pub struct SecurityScheme {
    pub key: String,
    /// `apiKey`, `http`, `oauth2`, `openIdConnect`, `mutualTLS`.
    pub kind: String,
    pub description: Option<String>,
    /// `http`: `bearer`, `basic`, …
    pub scheme: Option<String>,
    pub bearer_format: Option<String>,
    /// `apiKey`: `header`, `query`, `cookie`, and the parameter's name.
    pub location: Option<String>,
    pub param_name: Option<String>,
    pub flows: Vec<Flow>,
    pub open_id_url: Option<String>,
}

/// One way to authenticate: schemes used together, each with its scopes.
pub type Requirement = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone, Default)]
pub struct TagInfo {
    pub name: String,
    pub description: Option<String>,
    pub external_docs: Option<(String, Option<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum In {
    Path,
    Query,
    Header,
    Cookie,
}

impl In {
    pub fn as_str(self) -> &'static str {
        match self {
            In::Path => "path",
            In::Query => "query",
            In::Header => "header",
            In::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: In,
    pub description: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    pub schema: Option<SchemaId>,
    pub example: Option<Value>,
}

/// An example: its name and summary, and its value (None: only an `externalValue`).
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub summary: Option<String>,
    pub value: Option<Value>,
    pub external: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub media_type: String,
    pub schema: Option<SchemaId>,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub description: Option<String>,
    pub required: bool,
    pub contents: Vec<Media>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub description: Option<String>,
    pub schema: Option<SchemaId>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub code: String,
    pub description: Option<String>,
    pub headers: Vec<Header>,
    pub contents: Vec<Media>,
    pub links: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct CodeSample {
    pub lang: String,
    pub label: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Callback {
    pub name: String,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Lower case.
    pub method: String,
    /// The path (or, for a webhook, its name; for a callback, its URL expression).
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub callbacks: Vec<Callback>,
    /// None: the spec's global security applies.
    pub security: Option<Vec<Requirement>>,
    pub servers: Vec<Server>,
    pub code_samples: Vec<CodeSample>,
    pub external_docs: Option<(String, Option<String>)>,
}

/// What an operation is made of besides its node's own keys: parameters, body,
/// responses, callbacks, servers (each read by the 3.x or the Swagger 2.0 reader).
pub(crate) type OperationParts = (
    Vec<Parameter>,
    Option<Body>,
    Vec<Response>,
    Vec<Callback>,
    Vec<Server>,
);

impl Operation {
    /// The operation `m path` of the node `op`: its own keys (id, summary, tags, …)
    /// read here, the rest given.
    pub(crate) fn read(m: &str, path: &str, op: &Node, parts: OperationParts) -> Operation {
        let (parameters, body, responses, callbacks, servers) = parts;
        Operation {
            method: m.to_string(),
            path: path.to_string(),
            operation_id: text(op, "operationId"),
            summary: text(op, "summary"),
            description: text(op, "description"),
            tags: op
                .get("tags")
                .map(|t| t.items())
                .into_iter()
                .flatten()
                .filter_map(Node::as_text)
                .collect(),
            deprecated: flag(op, "deprecated"),
            parameters,
            body,
            responses,
            callbacks,
            security: op.get("security").map(|s| requirements(Some(s))),
            servers,
            code_samples: code_samples(op),
            external_docs: external_docs(op),
        }
    }
}

/// A whole API.
#[derive(Debug, Default)]
pub struct Api {
    pub version: Option<SpecVersion>,
    pub title: String,
    pub api_version: String,
    pub description: Option<String>,
    pub terms_of_service: Option<String>,
    pub contact: Option<(Option<String>, Option<String>, Option<String>)>,
    pub license: Option<(String, Option<String>)>,
    pub external_docs: Option<(String, Option<String>)>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    pub security: Vec<Requirement>,
    pub tags: Vec<TagInfo>,
    pub operations: Vec<Operation>,
    pub webhooks: Vec<Operation>,
    pub schemas: Schemas,
}

pub fn text(n: &Node, key: &str) -> Option<String> {
    n.get(key)
        .and_then(Node::as_text)
        .filter(|s| !s.trim().is_empty())
}

pub fn flag(n: &Node, key: &str) -> bool {
    n.get(key).and_then(Node::as_bool).unwrap_or(false)
}

pub fn external_docs(n: &Node) -> Option<(String, Option<String>)> {
    let d = n.get("externalDocs")?;
    Some((text(d, "url")?, text(d, "description")))
}

/// Reads the parts every version shares: `info`, `tags`, `security`.
pub fn read_common(root: &Node, api: &mut Api) {
    if let Some(info) = root.get("info") {
        api.title = text(info, "title").unwrap_or_default();
        api.api_version = text(info, "version").unwrap_or_default();
        api.description = text(info, "description");
        api.terms_of_service = text(info, "termsOfService");
        api.contact = info
            .get("contact")
            .map(|c| (text(c, "name"), text(c, "url"), text(c, "email")))
            .filter(|c| c.0.is_some() || c.1.is_some() || c.2.is_some());
        api.license = info
            .get("license")
            .and_then(|l| Some((text(l, "name")?, text(l, "url"))));
    }
    if api.title.trim().is_empty() {
        api.title = "API".into();
    }
    api.external_docs = external_docs(root);
    for t in root.get("tags").map(|t| t.items()).into_iter().flatten() {
        if let Some(name) = text(t, "name") {
            if !api.tags.iter().any(|x| x.name == name) {
                api.tags.push(TagInfo {
                    name,
                    description: text(t, "description"),
                    external_docs: external_docs(t),
                });
            }
        }
    }
    api.security = requirements(root.get("security"));
}

pub fn requirements(n: Option<&Node>) -> Vec<Requirement> {
    n.map(|n| n.items())
        .into_iter()
        .flatten()
        .map(|req| {
            req.entries()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        v.items().filter_map(Node::as_text).collect::<Vec<_>>(),
                    )
                })
                .collect()
        })
        .collect()
}

pub fn code_samples(op: &Node) -> Vec<CodeSample> {
    let list = op.get("x-codeSamples").or_else(|| op.get("x-code-samples"));
    list.map(|l| l.items())
        .into_iter()
        .flatten()
        .filter_map(|s| {
            Some(CodeSample {
                lang: text(s, "lang")?,
                label: text(s, "label"),
                source: s.get("source").and_then(Node::as_text)?,
            })
        })
        .collect()
}

pub fn in_from(s: &str) -> Option<In> {
    match s {
        "path" => Some(In::Path),
        "query" | "querystring" => Some(In::Query),
        "header" => Some(In::Header),
        "cookie" => Some(In::Cookie),
        _ => None,
    }
}

/// Reads an OpenAPI 3.0/3.1 document.
pub struct Reader3<'a> {
    pub res: &'a Resolver<'a>,
    pub schemas: SchemaReader<'a>,
}

impl<'a> Reader3<'a> {
    pub fn read(res: &'a Resolver<'a>, version: SpecVersion) -> Result<Api, Error> {
        let root = res.root();
        let mut r = Reader3 {
            res,
            schemas: SchemaReader::new(res),
        };
        let mut api = Api {
            version: Some(version),
            ..Api::default()
        };
        read_common(root, &mut api);
        let components = root.get("components");
        if let Some(s) = components.and_then(|c| c.get("schemas")) {
            r.schemas.register_named(s, "/components/schemas");
        }
        api.servers = servers(root.get("servers"));
        for (key, s) in components
            .and_then(|c| c.get("securitySchemes"))
            .map(|s| s.entries())
            .into_iter()
            .flatten()
        {
            let pointer = format!("/components/securitySchemes/{}", escape_segment(key));
            let (_, s, _) = res
                .follow(0, s)
                .map_err(|m| Error::at(res.doc_name(0), s.line, &pointer, &m))?;
            api.security_schemes.push(security_scheme3(key, s));
        }
        for (path, item) in root.get("paths").map(|p| p.entries()).into_iter().flatten() {
            let pointer = format!("/paths/{}", escape_segment(path));
            let ops = r.path_item(0, item, path, &pointer)?;
            api.operations.extend(ops);
        }
        for (name, item) in root
            .get("webhooks")
            .map(|p| p.entries())
            .into_iter()
            .flatten()
        {
            let pointer = format!("/webhooks/{}", escape_segment(name));
            let ops = r.path_item(0, item, name, &pointer)?;
            api.webhooks.extend(ops);
        }
        r.schemas.finish()?;
        api.schemas = std::mem::take(&mut r.schemas.schemas);
        Ok(api)
    }

    fn err(&self, doc: usize, node: &Node, pointer: &str, m: &str) -> Error {
        Error::at(self.res.doc_name(doc), node.line, pointer, m)
    }

    /// Follows `$ref`s from `node`: (file, node).
    fn follow(
        &self,
        doc: usize,
        node: &'a Node,
        pointer: &str,
    ) -> Result<(usize, &'a Node), Error> {
        self.res
            .follow(doc, node)
            .map(|(d, n, _)| (d, n))
            .map_err(|m| self.err(doc, node, pointer, &m))
    }

    /// The operations of a path item (or of a callback's expression), its common
    /// parameters and servers applied.
    fn path_item(
        &mut self,
        doc: usize,
        item: &'a Node,
        path: &str,
        pointer: &str,
    ) -> Result<Vec<Operation>, Error> {
        let (doc, item) = self.follow(doc, item, pointer)?;
        let common = self.parameter_list(doc, item, pointer)?;
        let item_servers = servers(item.get("servers"));
        let mut out = Vec::new();
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            if op.as_object().is_none() {
                continue;
            }
            let ptr = format!("{pointer}/{m}");
            let mut params = self.parameter_list(doc, op, &ptr)?;
            for c in &common {
                if !params
                    .iter()
                    .any(|p| p.name == c.name && p.location == c.location)
                {
                    params.push(c.clone());
                }
            }
            // Path parameters first, in the order of the path, then the others as written.
            params.sort_by_key(|p| (p.location != In::Path, p.location == In::Path));
            let body = match op.get("requestBody") {
                Some(b) => self.body(doc, b, &format!("{ptr}/requestBody"))?,
                None => None,
            };
            let responses = self.responses(doc, op, &ptr)?;
            let callbacks = self.callbacks(doc, op, &ptr)?;
            let op_servers = servers(op.get("servers"));
            let servers = if op_servers.is_empty() {
                item_servers.clone()
            } else {
                op_servers
            };
            let parts = (params, body, responses, callbacks, servers);
            out.push(Operation::read(m, path, op, parts));
        }
        Ok(out)
    }

    /// The `parameters` of a path item or operation at `pointer`.
    fn parameter_list(
        &mut self,
        doc: usize,
        node: &'a Node,
        pointer: &str,
    ) -> Result<Vec<Parameter>, Error> {
        let mut out = Vec::new();
        for (i, p) in node
            .get("parameters")
            .map(|p| p.items())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(p) = self.parameter(doc, p, &format!("{pointer}/parameters/{i}"))? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// An operation's responses, in the order written.
    fn responses(&mut self, doc: usize, op: &'a Node, ptr: &str) -> Result<Vec<Response>, Error> {
        let mut responses = Vec::new();
        for (code, resp) in op
            .get("responses")
            .map(|r| r.entries())
            .into_iter()
            .flatten()
        {
            let rp = format!("{ptr}/responses/{}", escape_segment(code));
            responses.push(self.response(doc, code, resp, &rp)?);
        }
        Ok(responses)
    }

    /// An operation's callbacks: each expression's path item read as one.
    fn callbacks(&mut self, doc: usize, op: &'a Node, ptr: &str) -> Result<Vec<Callback>, Error> {
        let mut callbacks = Vec::new();
        for (name, cb) in op
            .get("callbacks")
            .map(|c| c.entries())
            .into_iter()
            .flatten()
        {
            let cp = format!("{ptr}/callbacks/{}", escape_segment(name));
            let (cdoc, cb) = self.follow(doc, cb, &cp)?;
            let mut operations = Vec::new();
            for (expr, item) in cb.entries() {
                if expr.starts_with("x-") {
                    continue;
                }
                let ip = format!("{cp}/{}", escape_segment(expr));
                operations.extend(self.path_item(cdoc, item, expr, &ip)?);
            }
            callbacks.push(Callback {
                name: name.to_string(),
                operations,
            });
        }
        Ok(callbacks)
    }

    fn parameter(
        &mut self,
        doc: usize,
        p: &'a Node,
        pointer: &str,
    ) -> Result<Option<Parameter>, Error> {
        let (doc, n) = self.follow(doc, p, pointer)?;
        let (Some(name), Some(loc)) = (
            n.get("name").and_then(Node::as_text),
            n.get("in").and_then(Node::as_str).and_then(in_from),
        ) else {
            return Ok(None);
        };
        let mut schema = match n.get("schema") {
            Some(s) => Some(self.schemas.schema(doc, s, &format!("{pointer}/schema"))?),
            None => None,
        };
        let mut example = n.get("example").map(|e| e.value.clone());
        if let Some((_, media)) = n
            .get("content")
            .and_then(|c| c.as_object())
            .and_then(|c| c.first())
        {
            if schema.is_none() {
                if let Some(s) = media.get("schema") {
                    schema = Some(self.schemas.schema(
                        doc,
                        s,
                        &format!("{pointer}/content/schema"),
                    )?);
                }
            }
            if example.is_none() {
                example = media.get("example").map(|e| e.value.clone());
            }
        }
        if example.is_none() {
            example = self
                .first_example(doc, n.get("examples"), pointer)?
                .and_then(|e| e.value);
        }
        Ok(Some(Parameter {
            name,
            location: loc,
            description: text(p, "description").or_else(|| text(n, "description")),
            required: flag(n, "required") || loc == In::Path,
            deprecated: flag(n, "deprecated"),
            schema,
            example,
        }))
    }

    fn examples(
        &mut self,
        doc: usize,
        n: Option<&'a Node>,
        pointer: &str,
    ) -> Result<Vec<Example>, Error> {
        let mut out = Vec::new();
        for (name, e) in n.map(|n| n.entries()).into_iter().flatten() {
            let (_, e) = self.follow(
                doc,
                e,
                &format!("{pointer}/examples/{}", escape_segment(name)),
            )?;
            out.push(Example {
                name: name.to_string(),
                summary: text(e, "summary"),
                value: e.get("value").map(|v| v.value.clone()),
                external: text(e, "externalValue"),
            });
        }
        Ok(out)
    }

    fn first_example(
        &mut self,
        doc: usize,
        n: Option<&'a Node>,
        pointer: &str,
    ) -> Result<Option<Example>, Error> {
        Ok(self
            .examples(doc, n, pointer)?
            .into_iter()
            .find(|e| e.value.is_some()))
    }

    fn contents(
        &mut self,
        doc: usize,
        n: Option<&'a Node>,
        pointer: &str,
    ) -> Result<Vec<Media>, Error> {
        let mut out = Vec::new();
        for (mt, m) in n.map(|n| n.entries()).into_iter().flatten() {
            let mp = format!("{pointer}/content/{}", escape_segment(mt));
            let schema = match m.get("schema") {
                Some(s) => Some(self.schemas.schema(doc, s, &format!("{mp}/schema"))?),
                None => None,
            };
            let mut examples = Vec::new();
            if let Some(e) = m.get("example") {
                examples.push(Example {
                    name: "example".into(),
                    summary: None,
                    value: Some(e.value.clone()),
                    external: None,
                });
            }
            examples.extend(self.examples(doc, m.get("examples"), &mp)?);
            out.push(Media {
                media_type: mt.to_string(),
                schema,
                examples,
            });
        }
        Ok(out)
    }

    fn body(&mut self, doc: usize, b: &'a Node, pointer: &str) -> Result<Option<Body>, Error> {
        let (doc, n) = self.follow(doc, b, pointer)?;
        Ok(Some(Body {
            description: text(b, "description").or_else(|| text(n, "description")),
            required: flag(n, "required"),
            contents: self.contents(doc, n.get("content"), pointer)?,
        }))
    }

    fn response(
        &mut self,
        doc: usize,
        code: &str,
        r: &'a Node,
        pointer: &str,
    ) -> Result<Response, Error> {
        let (doc, n) = self.follow(doc, r, pointer)?;
        let mut headers = Vec::new();
        for (name, h) in n.get("headers").map(|h| h.entries()).into_iter().flatten() {
            let hp = format!("{pointer}/headers/{}", escape_segment(name));
            let (hdoc, hn) = self.follow(doc, h, &hp)?;
            let schema = match hn.get("schema") {
                Some(s) => Some(self.schemas.schema(hdoc, s, &format!("{hp}/schema"))?),
                None => None,
            };
            headers.push(Header {
                name: name.to_string(),
                description: text(hn, "description"),
                schema,
            });
        }
        Ok(Response {
            code: code.to_string(),
            description: text(r, "description").or_else(|| text(n, "description")),
            headers,
            contents: self.contents(doc, n.get("content"), pointer)?,
            links: n
                .get("links")
                .map(|l| l.entries())
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_string(), text(v, "description")))
                .collect(),
        })
    }
}

/// `servers`, with each variable replaced by its default.
pub fn servers(n: Option<&Node>) -> Vec<Server> {
    n.map(|n| n.items())
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let mut url = text(s, "url")?;
            for (name, var) in s
                .get("variables")
                .map(|v| v.entries())
                .into_iter()
                .flatten()
            {
                if let Some(d) = var.get("default").and_then(Node::as_text) {
                    url = url.replace(&format!("{{{name}}}"), &d);
                }
            }
            Some(Server {
                url,
                description: text(s, "description"),
            })
        })
        .collect()
}

fn security_scheme3(key: &str, s: &Node) -> SecurityScheme {
    let mut flows = Vec::new();
    for (kind, f) in s.get("flows").map(|f| f.entries()).into_iter().flatten() {
        flows.push(Flow {
            kind: kind.to_string(),
            authorization_url: text(f, "authorizationUrl"),
            token_url: text(f, "tokenUrl"),
            scopes: f
                .get("scopes")
                .map(|s| s.entries())
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_string(), v.as_text().unwrap_or_default()))
                .collect(),
        });
    }
    SecurityScheme {
        key: key.to_string(),
        kind: text(s, "type").unwrap_or_default(),
        description: text(s, "description"),
        scheme: text(s, "scheme").map(|x| x.to_ascii_lowercase()),
        bearer_format: text(s, "bearerFormat"),
        location: text(s, "in"),
        param_name: text(s, "name"),
        flows,
        open_id_url: text(s, "openIdConnectUrl"),
    }
}
