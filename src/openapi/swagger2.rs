//! Swagger 2.0 read into the same model as OpenAPI 3: `host`, `basePath` and `schemes`
//! become servers; `body` and `formData` parameters a request body (one per `consumes`
//! type); a response's `schema` one content per `produces` type, with its `examples`;
//! `definitions` the named schemas; `securityDefinitions` the security schemes.

use super::load::{escape_segment, Resolver};
use super::model::{
    flag, in_from, read_common, text, Api, Body, Example, Flow, Header, In, Media, Operation,
    Parameter, Response, SecurityScheme, Server, SpecVersion, METHODS,
};
use super::schema::{Schema, SchemaReader};
use super::tree::Node;
use super::Error;

struct Reader2<'a> {
    res: &'a Resolver<'a>,
    schemas: SchemaReader<'a>,
    consumes: Vec<String>,
    produces: Vec<String>,
}

fn strings(n: Option<&Node>) -> Option<Vec<String>> {
    let v: Vec<String> = n?.items().filter_map(Node::as_text).collect();
    (!v.is_empty()).then_some(v)
}

pub fn read<'a>(res: &'a Resolver<'a>) -> Result<Api, Error> {
    let root = res.root();
    let mut r = Reader2 {
        res,
        schemas: SchemaReader::new(res),
        consumes: strings(root.get("consumes")).unwrap_or_else(|| vec!["application/json".into()]),
        produces: strings(root.get("produces")).unwrap_or_else(|| vec!["application/json".into()]),
    };
    let mut api = Api {
        version: Some(SpecVersion::Swagger2),
        ..Api::default()
    };
    read_common(root, &mut api);
    if let Some(d) = root.get("definitions") {
        r.schemas.register_named(d, "/definitions");
    }
    let base = text(root, "basePath").unwrap_or_default();
    let base = base.trim_end_matches('/');
    match text(root, "host") {
        Some(host) => {
            let schemes = strings(root.get("schemes")).unwrap_or_else(|| vec!["https".into()]);
            for s in schemes {
                api.servers.push(Server {
                    url: format!("{s}://{host}{base}"),
                    description: None,
                });
            }
        }
        None if !base.is_empty() => api.servers.push(Server {
            url: base.to_string(),
            description: None,
        }),
        None => {}
    }
    // Prefer https when both are offered.
    api.servers.sort_by_key(|s| !s.url.starts_with("https:"));
    for (key, s) in root
        .get("securityDefinitions")
        .map(|s| s.entries())
        .into_iter()
        .flatten()
    {
        api.security_schemes.push(security_scheme2(key, s));
    }
    for (path, item) in root.get("paths").map(|p| p.entries()).into_iter().flatten() {
        if path.starts_with("x-") {
            continue;
        }
        let pointer = format!("/paths/{}", escape_segment(path));
        api.operations.extend(r.path_item(item, path, &pointer)?);
    }
    r.schemas.finish()?;
    api.schemas = std::mem::take(&mut r.schemas.schemas);
    Ok(api)
}

/// A parameter as read: a plain one, a body, or a form field.
enum Param2 {
    Plain(Parameter),
    Body(Body),
    Form(Parameter, bool),
}

impl<'a> Reader2<'a> {
    fn follow(&self, doc: usize, n: &'a Node, pointer: &str) -> Result<(usize, &'a Node), Error> {
        self.res
            .follow(doc, n)
            .map(|(d, n, _)| (d, n))
            .map_err(|m| Error::at(self.res.doc_name(doc), n.line, pointer, &m))
    }

    fn path_item(
        &mut self,
        item: &'a Node,
        path: &str,
        pointer: &str,
    ) -> Result<Vec<Operation>, Error> {
        let (doc, item) = self.follow(0, item, pointer)?;
        let common = self.parameter_list(doc, item, pointer, &[])?;
        let mut out = Vec::new();
        for m in METHODS {
            let Some(op) = item.get(m).filter(|o| o.as_object().is_some()) else {
                continue;
            };
            let ptr = format!("{pointer}/{m}");
            let consumes = strings(op.get("consumes")).unwrap_or_else(|| self.consumes.clone());
            let produces = strings(op.get("produces")).unwrap_or_else(|| self.produces.clone());
            let own = self.parameter_list(doc, op, &ptr, &consumes)?;
            let all = with_common(own, &common);
            let mut params = Vec::new();
            let mut body = None;
            let mut form: Vec<(Parameter, bool)> = Vec::new();
            for p in all.into_iter().flatten() {
                match p {
                    Param2::Plain(p) => params.push(p),
                    Param2::Body(b) => body = Some(b),
                    Param2::Form(p, file) => form.push((p, file)),
                }
            }
            params.sort_by_key(|p| p.location != In::Path);
            if body.is_none() && !form.is_empty() {
                body = Some(self.form_body(&form, &consumes));
            }
            let responses = self.responses(doc, op, &ptr, &produces)?;
            let parts = (params, body, responses, Vec::new(), Vec::new());
            out.push(Operation::read(m, path, op, parts));
        }
        Ok(out)
    }

    /// The `parameters` of a path item or operation at `pointer` (`None` for one
    /// that is left out).
    fn parameter_list(
        &mut self,
        doc: usize,
        node: &'a Node,
        pointer: &str,
        consumes: &[String],
    ) -> Result<Vec<Option<Param2>>, Error> {
        let mut out = Vec::new();
        for (i, p) in node
            .get("parameters")
            .map(|p| p.items())
            .into_iter()
            .flatten()
            .enumerate()
        {
            out.push(self.parameter(doc, p, &format!("{pointer}/parameters/{i}"), consumes)?);
        }
        Ok(out)
    }

    /// An operation's responses (`x-` keys left out), their content per `produces`.
    fn responses(
        &mut self,
        doc: usize,
        op: &'a Node,
        ptr: &str,
        produces: &[String],
    ) -> Result<Vec<Response>, Error> {
        let mut responses = Vec::new();
        for (code, resp) in op
            .get("responses")
            .map(|r| r.entries())
            .into_iter()
            .flatten()
        {
            if code.starts_with("x-") {
                continue;
            }
            let rp = format!("{ptr}/responses/{}", escape_segment(code));
            responses.push(self.response(doc, code, resp, &rp, produces)?);
        }
        Ok(responses)
    }

    fn parameter(
        &mut self,
        doc: usize,
        p: &'a Node,
        pointer: &str,
        consumes: &[String],
    ) -> Result<Option<Param2>, Error> {
        let (doc, n) = self.follow(doc, p, pointer)?;
        let Some(name) = n.get("name").and_then(Node::as_text) else {
            return Ok(None);
        };
        let location = n.get("in").and_then(Node::as_str).unwrap_or("");
        let description = text(n, "description");
        if location == "body" {
            let schema = match n.get("schema") {
                Some(s) => Some(self.schemas.schema(doc, s, &format!("{pointer}/schema"))?),
                None => None,
            };
            let examples = n
                .get("x-example")
                .or_else(|| {
                    n.get("x-examples")
                        .and_then(|x| x.as_object()?.first().map(|(_, v)| v))
                })
                .map(|e| Example {
                    name: "example".into(),
                    summary: None,
                    value: Some(e.value.clone()),
                    external: None,
                })
                .into_iter()
                .collect::<Vec<_>>();
            let types = if consumes.is_empty() {
                vec!["application/json".to_string()]
            } else {
                consumes.to_vec()
            };
            let forms = ["application/x-www-form-urlencoded", "multipart/form-data"];
            let mut contents: Vec<Media> = types
                .iter()
                .filter(|t| !forms.contains(&t.as_str()))
                .map(|t| Media {
                    media_type: t.clone(),
                    schema,
                    examples: examples.clone(),
                })
                .collect();
            if contents.is_empty() {
                contents.push(Media {
                    media_type: "application/json".into(),
                    schema,
                    examples,
                });
            }
            return Ok(Some(Param2::Body(Body {
                description,
                required: flag(n, "required"),
                contents,
            })));
        }
        // The parameter object is itself a schema (`type`, `format`, `items`, `enum`…).
        let schema = Some(self.schemas.schema(doc, n, pointer)?);
        let example = n.get("x-example").map(|e| e.value.clone());
        let param = |location| Parameter {
            name: name.clone(),
            location,
            description: description.clone(),
            required: flag(n, "required") || location == In::Path,
            deprecated: flag(n, "deprecated"),
            schema,
            example: example.clone(),
        };
        if location == "formData" {
            let file = n.get("type").and_then(Node::as_str) == Some("file");
            return Ok(Some(Param2::Form(param(In::Query), file)));
        }
        Ok(in_from(location).map(|l| Param2::Plain(param(l))))
    }

    /// `formData` parameters as one request body: an object with a property each.
    fn form_body(&mut self, form: &[(Parameter, bool)], consumes: &[String]) -> Body {
        let multipart = form.iter().any(|(_, file)| *file)
            || consumes.iter().any(|c| c == "multipart/form-data")
                && !consumes
                    .iter()
                    .any(|c| c == "application/x-www-form-urlencoded");
        let mut s = Schema {
            types: vec!["object".into()],
            ..Schema::default()
        };
        for (p, file) in form {
            let id = if *file {
                self.schemas.schemas.push(Schema {
                    types: vec!["string".into()],
                    format: Some("binary".into()),
                    description: p.description.clone(),
                    ..Schema::default()
                })
            } else {
                p.schema
                    .unwrap_or_else(|| self.schemas.schemas.push(Schema::default()))
            };
            s.properties.push((p.name.clone(), id));
            if p.required {
                s.required.push(p.name.clone());
            }
        }
        let id = self.schemas.schemas.push(s);
        Body {
            description: None,
            required: form.iter().any(|(p, _)| p.required),
            contents: vec![Media {
                media_type: if multipart {
                    "multipart/form-data"
                } else {
                    "application/x-www-form-urlencoded"
                }
                .into(),
                schema: Some(id),
                examples: Vec::new(),
            }],
        }
    }

    fn response(
        &mut self,
        doc: usize,
        code: &str,
        r: &'a Node,
        pointer: &str,
        produces: &[String],
    ) -> Result<Response, Error> {
        let (doc, n) = self.follow(doc, r, pointer)?;
        let schema = match n.get("schema") {
            Some(s) => Some(self.schemas.schema(doc, s, &format!("{pointer}/schema"))?),
            None => None,
        };
        let examples = n.get("examples");
        let mut contents = Vec::new();
        if schema.is_some() || examples.is_some() {
            let mut types: Vec<String> = produces.to_vec();
            for (mt, _) in examples.map(|e| e.entries()).into_iter().flatten() {
                if !types.iter().any(|t| t == mt) {
                    types.push(mt.to_string());
                }
            }
            for t in types {
                let ex = examples.and_then(|e| e.get(&t)).map(|v| Example {
                    name: "example".into(),
                    summary: None,
                    value: Some(v.value.clone()),
                    external: None,
                });
                contents.push(Media {
                    media_type: t,
                    schema,
                    examples: ex.into_iter().collect(),
                });
            }
        }
        let mut headers = Vec::new();
        for (name, h) in n.get("headers").map(|h| h.entries()).into_iter().flatten() {
            let hp = format!("{pointer}/headers/{}", escape_segment(name));
            headers.push(Header {
                name: name.to_string(),
                description: text(h, "description"),
                schema: Some(self.schemas.schema(doc, h, &hp)?),
            });
        }
        Ok(Response {
            code: code.to_string(),
            description: text(r, "description").or_else(|| text(n, "description")),
            headers,
            contents,
            links: Vec::new(),
        })
    }
}

/// An operation's parameters with the path item's common ones it does not override
/// (same name and place; any body overrides the common body).
fn with_common(own: Vec<Option<Param2>>, common: &[Option<Param2>]) -> Vec<Option<Param2>> {
    let key = |p: &Option<Param2>| match p {
        Some(Param2::Plain(p)) | Some(Param2::Form(p, _)) => Some((
            p.name.clone(),
            p.location as u8,
            matches!(p.location, In::Path),
        )),
        _ => None,
    };
    let mut all = own;
    for c in common {
        let k = key(c);
        let is_body = matches!(c, Some(Param2::Body(_)));
        let present = all.iter().any(|p| {
            (k.is_some() && key(p) == k) || (is_body && matches!(p, Some(Param2::Body(_))))
        });
        if !present {
            all.push(c.as_ref().map(clone_param));
        }
    }
    all
}

fn clone_param(p: &Param2) -> Param2 {
    match p {
        Param2::Plain(p) => Param2::Plain(p.clone()),
        Param2::Body(b) => Param2::Body(b.clone()),
        Param2::Form(p, f) => Param2::Form(p.clone(), *f),
    }
}

fn security_scheme2(key: &str, s: &Node) -> SecurityScheme {
    let kind = text(s, "type").unwrap_or_default();
    let mut out = SecurityScheme {
        key: key.to_string(),
        description: text(s, "description"),
        ..SecurityScheme::default()
    };
    match kind.as_str() {
        "basic" => {
            out.kind = "http".into();
            out.scheme = Some("basic".into());
        }
        "apiKey" => {
            out.kind = "apiKey".into();
            out.location = text(s, "in");
            out.param_name = text(s, "name");
        }
        "oauth2" => {
            out.kind = "oauth2".into();
            let flow = match text(s, "flow").as_deref() {
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                Some("password") => "password",
                _ => "implicit",
            };
            out.flows.push(Flow {
                kind: flow.into(),
                authorization_url: text(s, "authorizationUrl"),
                token_url: text(s, "tokenUrl"),
                scopes: s
                    .get("scopes")
                    .map(|s| s.entries())
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.to_string(), v.as_text().unwrap_or_default()))
                    .collect(),
            });
        }
        other => out.kind = other.to_string(),
    }
    out
}
