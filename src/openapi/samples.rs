//! Request samples: one [`Request`] per operation (method, URL with the path and
//! required query parameters, headers, authentication, body), written out per language
//! tab: curl, raw HTTP, JavaScript (`fetch`), Python (`requests`), Ruby (`net/http`) and
//! Go (`net/http`). Every sample of an operation with a body sends the body.

use std::fmt::Write;

use super::example::{example, Mode};
use super::model::{Api, Body, In, Media, Operation};
use super::schema::Schemas;
use super::tree::{json_string, Value};

/// The language tabs the samples are written for: (fence language, label).
pub const LANGUAGES: [(&str, &str); 6] = [
    ("shell", "curl"),
    ("http", "HTTP"),
    ("javascript", "JavaScript"),
    ("python", "Python"),
    ("ruby", "Ruby"),
    ("go", "Go"),
];

/// A request body as the samples send it.
#[derive(Debug, Clone, PartialEq)]
pub enum BodySample {
    Json(Value),
    /// `application/x-www-form-urlencoded`: fields as text.
    Form(Vec<(String, String)>),
    /// `multipart/form-data`: fields as text, `true` for a file.
    Multipart(Vec<(String, String, bool)>),
    Text(String),
    /// A file's bytes.
    Binary,
}

/// One request, from which every language's sample is written.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The URL with the query string.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub body: Option<BodySample>,
    /// Whether the response to expect is JSON.
    pub json_response: bool,
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, …).
pub fn is_json(media_type: &str) -> bool {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

/// The media to show for a body or response: JSON first, else the first.
pub fn preferred(contents: &[Media]) -> Option<&Media> {
    contents
        .iter()
        .find(|m| is_json(&m.media_type) && m.media_type != "*/*")
        .or_else(|| contents.iter().find(|m| is_json(&m.media_type)))
        .or(contents.first())
}

/// The value a media shows: its first example with a value, else one generated.
pub fn media_example(schemas: &Schemas, m: &Media, mode: Mode) -> Option<Value> {
    if let Some(v) = m.examples.iter().find_map(|e| e.value.clone()) {
        return Some(json_in_string(schemas, m, v));
    }
    m.schema.map(|s| example(schemas, s, mode))
}

/// An example of a JSON media written as a string holding a JSON object or array
/// (`example: "{\"id\": 1}"`, as Jira's spec has them), when the schema is not a
/// string's: the document the string holds.
fn json_in_string(schemas: &Schemas, m: &Media, v: Value) -> Value {
    let Value::String(s) = &v else { return v };
    let t = s.trim();
    let looks =
        (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'));
    let string_schema = m
        .schema
        .is_some_and(|id| schemas.merged(id).main_type() == Some("string"));
    if !looks || string_schema || !is_json(&m.media_type.to_ascii_lowercase()) {
        return v;
    }
    match super::tree::parse_json(t) {
        Ok(node) => node.value,
        Err(_) => v,
    }
}

/// A value as text in a URL, header or form field.
pub fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(a) => a
            .iter()
            .map(|n| as_text(&n.value))
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => v.to_json(),
    }
}

/// Percent-encodes a query-string component.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The request an operation's samples make.
pub fn request(api: &Api, op: &Operation) -> Request {
    let schemas = &api.schemas;
    let server = op
        .servers
        .first()
        .or(api.servers.first())
        .map(|s| s.url.trim_end_matches('/').to_string())
        .unwrap_or_default();
    let mut path = op.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut cookies: Vec<String> = Vec::new();
    let param_value = |p: &super::model::Parameter| -> String {
        p.example
            .clone()
            .or_else(|| p.schema.map(|s| example(schemas, s, Mode::Request)))
            .map(|v| as_text(&v))
            .unwrap_or_else(|| "string".into())
    };
    for p in &op.parameters {
        match p.location {
            In::Path => {
                if let Some(ex) = &p.example {
                    path = path.replace(&format!("{{{}}}", p.name), &encode(&as_text(ex)));
                }
            }
            In::Query if p.required => query.push((p.name.clone(), param_value(p))),
            In::Header if p.required => headers.push((p.name.clone(), param_value(p))),
            In::Cookie if p.required => cookies.push(format!("{}={}", p.name, param_value(p))),
            _ => {}
        }
    }
    authentication(api, op, &mut query, &mut headers, &mut cookies);
    if !cookies.is_empty() {
        headers.push(("Cookie".into(), cookies.join("; ")));
    }
    let accept = accept_of(op);
    let json_response = accept.as_deref().is_some_and(is_json);
    if let Some(a) = &accept {
        headers.insert(0, ("Accept".into(), a.clone()));
    }
    let mut content_type = None;
    let mut body = None;
    if let Some(b) = &op.body {
        let (ct, sample) = body_of(schemas, b);
        if !matches!(sample, BodySample::Multipart(_)) {
            headers.insert(0, ("Content-Type".into(), ct.clone()));
        }
        body = Some(sample);
        content_type = Some(ct);
    }
    let mut url = format!("{server}{path}");
    if !query.is_empty() {
        url.push('?');
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        url.push_str(&q.join("&"));
    }
    Request {
        method: op.method.to_ascii_uppercase(),
        url,
        headers,
        content_type,
        body,
        json_response,
    }
}

/// The authentication of a request: the first way the operation (or the API)
/// accepts, as a query parameter, a header or a cookie.
fn authentication(
    api: &Api,
    op: &Operation,
    query: &mut Vec<(String, String)>,
    headers: &mut Vec<(String, String)>,
    cookies: &mut Vec<String>,
) {
    let security = op.security.as_ref().unwrap_or(&api.security);
    if let Some(req) = security.iter().find(|r| !r.is_empty()) {
        for (key, _) in req {
            let Some(s) = api.security_schemes.iter().find(|s| &s.key == key) else {
                continue;
            };
            match (s.kind.as_str(), s.location.as_deref()) {
                ("apiKey", Some("query")) => query.push((
                    s.param_name.clone().unwrap_or_else(|| "api_key".into()),
                    "API_KEY".into(),
                )),
                ("apiKey", Some("cookie")) => cookies.push(format!(
                    "{}=API_KEY",
                    s.param_name.clone().unwrap_or_else(|| "api_key".into())
                )),
                ("apiKey", _) => headers.push((
                    s.param_name.clone().unwrap_or_else(|| "X-API-Key".into()),
                    "API_KEY".into(),
                )),
                ("http", _) if s.scheme.as_deref() == Some("basic") => {
                    headers.push(("Authorization".into(), "Basic {credentials}".into()))
                }
                ("http", _) if s.scheme.as_deref() != Some("bearer") => headers.push((
                    "Authorization".into(),
                    format!("{} {{credentials}}", s.scheme.clone().unwrap_or_default()),
                )),
                ("mutualTLS", _) => {}
                _ => headers.push(("Authorization".into(), "Bearer {access-token}".into())),
            }
        }
    }
}

/// The media type of the response to expect (the first success with content): the
/// request's `Accept`.
fn accept_of(op: &Operation) -> Option<String> {
    let success = op
        .responses
        .iter()
        .find(|r| r.code.starts_with('2') && !r.contents.is_empty())
        .or_else(|| op.responses.iter().find(|r| !r.contents.is_empty()));
    success
        .and_then(|r| preferred(&r.contents))
        .map(|m| m.media_type.clone())
}

/// A request body's content type and sample.
fn body_of(schemas: &Schemas, b: &Body) -> (String, BodySample) {
    let m = preferred(&b.contents);
    let mt = m
        .map(|m| m.media_type.clone())
        .unwrap_or_else(|| "application/json".into());
    let value = m.and_then(|m| media_example(schemas, m, Mode::Request));
    // Fields that are files: `format: binary` (Swagger's `type: file`), or a
    // `contentMediaType`/`contentEncoding` (3.1).
    let files: Vec<String> = m
        .and_then(|m| m.schema)
        .map(|id| {
            schemas
                .merged(id)
                .properties
                .iter()
                .filter(|(_, p)| {
                    let p = schemas.merged(*p);
                    matches!(p.format.as_deref(), Some("binary" | "base64"))
                })
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    let sample = body_sample(&mt, value, &files);
    let ct = if mt.contains('*') {
        "application/json".to_string()
    } else {
        mt
    };
    (ct, sample)
}

fn body_sample(media_type: &str, value: Option<Value>, files: &[String]) -> BodySample {
    let mt = media_type.to_ascii_lowercase();
    let fields = |v: &Option<Value>| -> Vec<(String, Value)> {
        match v {
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, n)| (k.clone(), n.value.clone()))
                .collect(),
            _ => Vec::new(),
        }
    };
    if is_json(&mt) {
        BodySample::Json(value.unwrap_or(Value::Object(Vec::new())))
    } else if mt.starts_with("application/x-www-form-urlencoded") {
        BodySample::Form(
            fields(&value)
                .iter()
                .map(|(k, v)| (k.clone(), as_text(v)))
                .collect(),
        )
    } else if mt.starts_with("multipart/") {
        BodySample::Multipart(
            fields(&value)
                .iter()
                .map(|(k, v)| (k.clone(), as_text(v), files.contains(k)))
                .collect(),
        )
    } else if mt.starts_with("text/")
        || mt.contains("xml")
        || mt.contains("yaml")
        || mt.contains("csv")
    {
        BodySample::Text(match value {
            Some(Value::String(s)) => s,
            Some(v) if mt.contains("xml") => to_xml("root", &v),
            Some(v) => v.to_json_pretty(),
            None => String::new(),
        })
    } else {
        BodySample::Binary
    }
}

/// A JSON value as simple XML (for a body that only accepts XML).
fn to_xml(name: &str, v: &Value) -> String {
    let tag: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match v {
        Value::Object(m) => {
            let inner: String = m.iter().map(|(k, n)| to_xml(k, &n.value)).collect();
            format!("<{tag}>{inner}</{tag}>")
        }
        Value::Array(a) => a.iter().map(|n| to_xml(name, &n.value)).collect(),
        v => format!("<{tag}>{}</{tag}>", crate::util::escape::html(&as_text(v))),
    }
}

/// `s` in single quotes for a POSIX shell.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The sample in one language (a fence language of [`LANGUAGES`]).
pub fn render(lang: &str, r: &Request) -> String {
    match lang {
        "shell" => shell(r),
        "http" => http(r),
        "javascript" => javascript(r),
        "python" => python(r),
        "ruby" => ruby(r),
        "go" => go(r),
        _ => String::new(),
    }
}

fn shell(r: &Request) -> String {
    // `-g`: `{id}` and `[x]` in the URL are text, not curl's URL globbing.
    let glob = if r.url.contains(['{', '[']) {
        "-g "
    } else {
        ""
    };
    let mut out = if r.method == "HEAD" {
        format!("curl {glob}--head {}", sh_quote(&r.url))
    } else {
        format!("curl {glob}-X {} {}", r.method, sh_quote(&r.url))
    };
    let mut args: Vec<String> = r
        .headers
        .iter()
        .map(|(k, v)| format!("-H {}", sh_quote(&format!("{k}: {v}"))))
        .collect();
    match &r.body {
        None => {}
        Some(BodySample::Json(v)) => args.push(format!("--data {}", sh_quote(&v.to_json_pretty()))),
        Some(BodySample::Text(t)) => args.push(format!("--data {}", sh_quote(t))),
        Some(BodySample::Form(f)) => {
            for (k, v) in f {
                args.push(format!(
                    "--data-urlencode {}",
                    sh_quote(&format!("{k}={v}"))
                ));
            }
            if f.is_empty() {
                args.push("--data ''".into());
            }
        }
        Some(BodySample::Multipart(f)) => {
            for (k, v, file) in f {
                let v = if *file {
                    "@path/to/file".to_string()
                } else {
                    v.clone()
                };
                args.push(format!("-F {}", sh_quote(&format!("{k}={v}"))));
            }
            if f.is_empty() {
                args.push("-F ''".into());
            }
        }
        Some(BodySample::Binary) => args.push("--data-binary '@path/to/file'".into()),
    }
    for a in args {
        out.push_str(" \\\n  ");
        out.push_str(&a);
    }
    out.push('\n');
    out
}

fn form_text(f: &[(String, String)]) -> String {
    f.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn http(r: &Request) -> String {
    let (host, target) = match r.url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => (Some(&rest[..i]), rest[i..].to_string()),
            None => (Some(rest), "/".to_string()),
        },
        None => (None, r.url.clone()),
    };
    let mut out = format!("{} {target} HTTP/1.1\n", r.method);
    if let Some(h) = host {
        let _ = writeln!(out, "Host: {h}");
    }
    for (k, v) in &r.headers {
        let _ = writeln!(out, "{k}: {v}");
    }
    match &r.body {
        None => {}
        Some(b) => {
            if matches!(b, BodySample::Multipart(_)) {
                out.push_str("Content-Type: multipart/form-data; boundary=boundary\n");
            }
            out.push('\n');
            match b {
                BodySample::Json(v) => out.push_str(&v.to_json_pretty()),
                BodySample::Text(t) => out.push_str(t),
                BodySample::Form(f) => out.push_str(&form_text(f)),
                BodySample::Multipart(f) => {
                    for (k, v, file) in f {
                        let _ = write!(
                            out,
                            "--boundary\nContent-Disposition: form-data; name=\"{k}\"{}\n\n{}\n",
                            if *file { "; filename=\"file\"" } else { "" },
                            if *file { "(file contents)" } else { v }
                        );
                    }
                    out.push_str("--boundary--");
                }
                BodySample::Binary => out.push_str("(file contents)"),
            }
            out.push('\n');
        }
    }
    out
}

/// A JSON value as a literal of a language whose literals are JSON's but for the
/// names of true, false and null, indented by `indent` spaces per level.
fn literal(v: &Value, t: &str, f: &str, n: &str, indent: usize, level: usize) -> String {
    let pad = |l: usize| " ".repeat(indent * l);
    match v {
        Value::Null => n.to_string(),
        Value::Bool(true) => t.to_string(),
        Value::Bool(false) => f.to_string(),
        Value::Number(x) => x.clone(),
        Value::String(s) => json_string(s),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|x| {
                    format!(
                        "{}{}",
                        pad(level + 1),
                        literal(&x.value, t, f, n, indent, level + 1)
                    )
                })
                .collect();
            format!("[\n{}\n{}]", items.join(",\n"), pad(level))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{}{}: {}",
                        pad(level + 1),
                        json_string(k),
                        literal(&x.value, t, f, n, indent, level + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{}}}", items.join(",\n"), pad(level))
        }
    }
}

fn javascript(r: &Request) -> String {
    let mut out = String::new();
    let mut opts = vec![format!("  method: {}", json_string(&r.method))];
    if !r.headers.is_empty() {
        out.push_str("const headers = {\n");
        let lines: Vec<String> = r
            .headers
            .iter()
            .map(|(k, v)| format!("  {}: {}", json_string(k), json_string(v)))
            .collect();
        out.push_str(&lines.join(",\n"));
        out.push_str("\n};\n");
        opts.push("  headers".into());
    }
    match &r.body {
        None => {}
        Some(BodySample::Json(v)) => {
            let _ = writeln!(
                out,
                "const body = {};",
                literal(v, "true", "false", "null", 2, 0)
            );
            opts.push("  body: JSON.stringify(body)".into());
        }
        Some(BodySample::Text(t)) => {
            let _ = writeln!(out, "const body = {};", json_string(t));
            opts.push("  body".into());
        }
        Some(BodySample::Form(f)) => {
            out.push_str("const body = new URLSearchParams();\n");
            for (k, v) in f {
                let _ = writeln!(out, "body.append({}, {});", json_string(k), json_string(v));
            }
            opts.push("  body".into());
        }
        Some(BodySample::Multipart(f)) => {
            out.push_str("const body = new FormData();\n");
            for (k, v, file) in f {
                if *file {
                    let _ = writeln!(
                        out,
                        "body.append({}, new Blob([\"file contents\"]), \"file\");",
                        json_string(k)
                    );
                } else {
                    let _ = writeln!(out, "body.append({}, {});", json_string(k), json_string(v));
                }
            }
            opts.push("  body".into());
        }
        Some(BodySample::Binary) => {
            out.push_str("const body = new Blob([\"file contents\"]);\n");
            opts.push("  body".into());
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = write!(
        out,
        "fetch({}, {{\n{}\n}})\n  .then((response) => response.{}())\n  .then((data) => console.log(data));\n",
        json_string(&r.url),
        opts.join(",\n"),
        if r.json_response { "json" } else { "text" }
    );
    out
}

fn python(r: &Request) -> String {
    let mut out = String::from("import requests\n\n");
    let mut args = vec![json_string(&r.url)];
    if !r.headers.is_empty() {
        out.push_str("headers = {\n");
        for (k, v) in &r.headers {
            let _ = writeln!(out, "    {}: {},", json_string(k), json_string(v));
        }
        out.push_str("}\n");
        args.push("headers=headers".into());
    }
    match &r.body {
        None => {}
        Some(BodySample::Json(v)) => {
            let _ = writeln!(out, "body = {}", literal(v, "True", "False", "None", 4, 0));
            args.push("json=body".into());
        }
        Some(BodySample::Text(t)) => {
            let _ = writeln!(out, "body = {}", json_string(t));
            args.push("data=body".into());
        }
        Some(BodySample::Form(f)) => {
            out.push_str("body = {\n");
            for (k, v) in f {
                let _ = writeln!(out, "    {}: {},", json_string(k), json_string(v));
            }
            out.push_str("}\n");
            args.push("data=body".into());
        }
        Some(BodySample::Multipart(f)) => {
            out.push_str("body = {\n");
            for (k, v, file) in f.iter().filter(|x| !x.2) {
                let _ = (
                    file,
                    writeln!(out, "    {}: {},", json_string(k), json_string(v)),
                );
            }
            out.push_str("}\nfiles = {\n");
            for (k, _, _) in f.iter().filter(|x| x.2) {
                let _ = writeln!(
                    out,
                    "    {}: open(\"path/to/file\", \"rb\"),",
                    json_string(k)
                );
            }
            out.push_str("}\n");
            args.push("data=body".into());
            args.push("files=files".into());
        }
        Some(BodySample::Binary) => {
            out.push_str("body = open(\"path/to/file\", \"rb\")\n");
            args.push("data=body".into());
        }
    }
    let func = match r.method.as_str() {
        "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" => {
            format!("requests.{}", r.method.to_ascii_lowercase())
        }
        m => {
            args.insert(0, json_string(m));
            "requests.request".to_string()
        }
    };
    let _ = write!(
        out,
        "\nresponse = {func}({})\nprint(response.{})\n",
        args.join(", "),
        if r.json_response { "json()" } else { "text" }
    );
    out
}

/// `s` as a Ruby double-quoted string (JSON's escapes, and `#` kept from interpolating).
fn ruby_string(s: &str) -> String {
    json_string(s).replace('#', "\\#")
}

fn ruby(r: &Request) -> String {
    let class = {
        let m = r.method.to_ascii_lowercase();
        let mut c = m[..1].to_ascii_uppercase();
        c.push_str(&m[1..]);
        c
    };
    let mut out = format!(
        "require \"net/http\"\n\nuri = URI({})\nrequest = Net::HTTP::{class}.new(uri)\n",
        ruby_string(&r.url)
    );
    for (k, v) in &r.headers {
        let _ = writeln!(out, "request[{}] = {}", ruby_string(k), ruby_string(v));
    }
    match &r.body {
        None => {}
        Some(BodySample::Json(v)) => {
            let json = v.to_json_pretty();
            if json.lines().any(|l| l.trim() == "JSON") {
                let _ = writeln!(out, "request.body = {}", ruby_string(&json));
            } else {
                out.push_str("request.body = <<~'JSON'\n");
                for l in json.lines() {
                    let _ = writeln!(out, "  {l}");
                }
                out.push_str("JSON\n");
            }
        }
        Some(BodySample::Text(t)) => {
            let _ = writeln!(out, "request.body = {}", ruby_string(t));
        }
        Some(BodySample::Form(f)) => {
            let pairs: Vec<String> = f
                .iter()
                .map(|(k, v)| format!("{} => {}", ruby_string(k), ruby_string(v)))
                .collect();
            let _ = writeln!(out, "request.set_form_data({})", pairs.join(", "));
        }
        Some(BodySample::Multipart(f)) => {
            let pairs: Vec<String> = f
                .iter()
                .map(|(k, v, file)| {
                    if *file {
                        format!("[{}, File.open(\"path/to/file\")]", ruby_string(k))
                    } else {
                        format!("[{}, {}]", ruby_string(k), ruby_string(v))
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "request.set_form([{}], \"multipart/form-data\")",
                pairs.join(", ")
            );
        }
        Some(BodySample::Binary) => out.push_str("request.body = File.binread(\"path/to/file\")\n"),
    }
    out.push_str(
        "\nresponse = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == \"https\") do |http|\n  http.request(request)\nend\nputs response.body\n",
    );
    out
}

/// `s` as a Go string literal: raw when it can be.
fn go_string(s: &str) -> String {
    if !s.contains('`') && !s.contains('\r') {
        format!("`{s}`")
    } else {
        json_string(s)
    }
}

/// The Go sample's body: adds its imports, the statements that make it (`setup`) and
/// headers to set after the request is made; returns the argument to pass
/// (`"body"` or `"nil"`).
fn go_body(
    body: Option<&BodySample>,
    imports: &mut Vec<&'static str>,
    setup: &mut String,
    extra_headers: &mut Vec<String>,
) -> &'static str {
    match body {
        None => "nil",
        Some(BodySample::Json(v)) => {
            imports.push("strings");
            let _ = writeln!(
                setup,
                "\tbody := strings.NewReader({})",
                go_string(&v.to_json_pretty())
            );
            "body"
        }
        Some(BodySample::Text(t)) => {
            imports.push("strings");
            let _ = writeln!(setup, "\tbody := strings.NewReader({})", go_string(t));
            "body"
        }
        Some(BodySample::Form(f)) => {
            imports.push("strings");
            let _ = writeln!(
                setup,
                "\tbody := strings.NewReader({})",
                json_string(&form_text(f))
            );
            "body"
        }
        Some(BodySample::Multipart(f)) => {
            imports.push("bytes");
            imports.push("mime/multipart");
            setup.push_str("\tbody := &bytes.Buffer{}\n\tform := multipart.NewWriter(body)\n");
            for (k, v, file) in f {
                if *file {
                    let _ = writeln!(
                        setup,
                        "\tif part, err := form.CreateFormFile({}, \"file\"); err == nil {{\n\t\tpart.Write([]byte(\"file contents\"))\n\t}}",
                        json_string(k)
                    );
                } else {
                    let _ = writeln!(
                        setup,
                        "\tform.WriteField({}, {})",
                        json_string(k),
                        json_string(v)
                    );
                }
            }
            setup.push_str("\tform.Close()\n");
            extra_headers.push(
                "\treq.Header.Set(\"Content-Type\", form.FormDataContentType())\n".to_string(),
            );
            "body"
        }
        Some(BodySample::Binary) => {
            imports.push("os");
            setup.push_str("\tbody, err := os.Open(\"path/to/file\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer body.Close()\n");
            "body"
        }
    }
}

fn go(r: &Request) -> String {
    let mut imports = vec!["fmt", "io", "net/http"];
    let mut setup = String::new();
    let mut extra_headers = Vec::new();
    let body_arg = go_body(
        r.body.as_ref(),
        &mut imports,
        &mut setup,
        &mut extra_headers,
    );
    imports.sort_unstable();
    let mut out = String::from("package main\n\nimport (\n");
    for i in &imports {
        let _ = writeln!(out, "\t\"{i}\"");
    }
    out.push_str(")\n\nfunc main() {\n");
    out.push_str(&setup);
    let _ = writeln!(
        out,
        "\treq, err := http.NewRequest({}, {}, {body_arg})",
        json_string(&r.method),
        json_string(&r.url)
    );
    out.push_str("\tif err != nil {\n\t\tpanic(err)\n\t}\n");
    for (k, v) in &r.headers {
        let _ = writeln!(
            out,
            "\treq.Header.Set({}, {})",
            json_string(k),
            json_string(v)
        );
    }
    for h in extra_headers {
        out.push_str(&h);
    }
    out.push_str(
        "\n\tresp, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer resp.Body.Close()\n\tdata, err := io.ReadAll(resp.Body)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(string(data))\n}\n",
    );
    out
}

/// The fence language for an `x-codeSamples` `lang`, or None when shale has no
/// highlighter for it.
pub fn sample_language(lang: &str) -> Option<String> {
    let l = lang.trim().to_ascii_lowercase();
    let mapped = match l.as_str() {
        "curl" | "shell" | "bash" | "sh" | "cli" => "shell",
        "javascript" | "js" | "node" | "node.js" | "nodejs" | "jquery" => "javascript",
        "python" | "py" | "python3" => "python",
        "ruby" | "rb" => "ruby",
        "go" | "golang" => "go",
        "http" => "http",
        "c#" | "csharp" | "cs" | ".net" | "dotnet" => "csharp",
        "typescript" | "ts" => "typescript",
        "php" => "php",
        "java" => "java",
        "kotlin" => "kotlin",
        "swift" => "swift",
        "objective-c" | "objc" => "objective_c",
        "c++" | "cpp" => "cpp",
        "c" => "c",
        "rust" => "rust",
        "scala" => "scala",
        "elixir" => "elixir",
        "perl" => "perl",
        "powershell" => "powershell",
        "dart" => "dart",
        other => other,
    };
    if LANGUAGES.iter().any(|(k, _)| *k == mapped) || crate::highlight::has_highlighter(mapped) {
        Some(mapped.to_string())
    } else {
        None
    }
}
