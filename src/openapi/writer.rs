//! The Slate source written for an [`Api`]: the page (`index.html.md`: front matter,
//! introduction, servers, authentication) and its includes: one per tag (operations),
//! `webhooks` and `schemas`. The anchors Widdershins writes (`opIdNAME`, `schemaname`)
//! are kept so that links into docs built with it keep working.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;

use super::example::{example, pick_branch, Mode};
use super::markdown::{cell_text, html, inline, Ids};
use super::model::{Api, Body, Operation, Requirement, Response, SecurityScheme};
use super::prose::{leads_away, link_or_text, loose, Descs, Targets};
use super::samples::{self, media_example, preferred, LANGUAGES};
use super::schema::{Additional, Schema, SchemaId};

/// How many levels of nested properties a table shows before linking or stopping.
pub const TABLE_DEPTH: usize = 3;
/// The most rows of one table.
pub const TABLE_ROWS: usize = 400;

/// A generated Slate source: the page and its includes, in memory.
#[derive(Debug, Clone)]
pub struct Output {
    /// `index.html.md`.
    pub page: String,
    /// (name, text): `includes/_NAME.md`, in the page's `includes` order.
    pub includes: Vec<(String, String)>,
}

/// One group of operations: a tag, or a path's first segment for untagged ones.
struct Group<'a> {
    name: String,
    include: String,
    description: Option<String>,
    external_docs: Option<(String, Option<String>)>,
    ops: Vec<&'a Operation>,
}

/// The first path segment that names something (not `v1`, `api` or a `{parameter}`).
fn path_group(path: &str) -> String {
    let is_version = |s: &str| {
        let s = s.trim_start_matches(['v', 'V']);
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && *s != "api")
        .map(str::to_string)
        .unwrap_or_else(|| "default".into())
}

pub fn write(api: &Api, marker: &str) -> Output {
    let mut w = Writer {
        api,
        ids: Ids::default(),
        schema_anchor: HashMap::new(),
        descs: RefCell::new(Descs::default()),
        tag_ids: HashMap::new(),
        path_ids: HashMap::new(),
    };
    w.run(marker)
}

struct Writer<'a> {
    api: &'a Api,
    ids: Ids,
    schema_anchor: HashMap<SchemaId, String>,
    /// The descriptions waiting for the page's ids.
    descs: RefCell<Descs>,
    /// Tag name ([`loose`]) → its heading's id.
    tag_ids: HashMap<String, String>,
    /// (method, path) → the operation's heading id.
    path_ids: HashMap<(String, String), String>,
}

fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._/()-,".contains(c))
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        super::tree::json_string(s)
    }
}

/// The reason phrase of a status code, and where it is defined.
fn status_meaning(code: &str) -> String {
    let reason = match code {
        "100" => "Continue",
        "101" => "Switching Protocols",
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "Non-Authoritative Information",
        "204" => "No Content",
        "205" => "Reset Content",
        "206" => "Partial Content",
        "300" => "Multiple Choices",
        "301" => "Moved Permanently",
        "302" => "Found",
        "303" => "See Other",
        "304" => "Not Modified",
        "307" => "Temporary Redirect",
        "308" => "Permanent Redirect",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "402" => "Payment Required",
        "403" => "Forbidden",
        "404" => "Not Found",
        "405" => "Method Not Allowed",
        "406" => "Not Acceptable",
        "407" => "Proxy Authentication Required",
        "408" => "Request Timeout",
        "409" => "Conflict",
        "410" => "Gone",
        "411" => "Length Required",
        "412" => "Precondition Failed",
        "413" => "Content Too Large",
        "414" => "URI Too Long",
        "415" => "Unsupported Media Type",
        "416" => "Range Not Satisfiable",
        "417" => "Expectation Failed",
        "421" => "Misdirected Request",
        "422" => "Unprocessable Content",
        "425" => "Too Early",
        "426" => "Upgrade Required",
        "428" => "Precondition Required",
        "429" => "Too Many Requests",
        "431" => "Request Header Fields Too Large",
        "451" => "Unavailable For Legal Reasons",
        "500" => "Internal Server Error",
        "501" => "Not Implemented",
        "502" => "Bad Gateway",
        "503" => "Service Unavailable",
        "504" => "Gateway Timeout",
        "505" => "HTTP Version Not Supported",
        _ => "",
    };
    if !reason.is_empty() {
        return format!("[{reason}](https://www.rfc-editor.org/rfc/rfc9110#status.{code})");
    }
    match code.to_ascii_uppercase().as_str() {
        "DEFAULT" => "Default".into(),
        "1XX" => "Informational".into(),
        "2XX" => "Success".into(),
        "3XX" => "Redirection".into(),
        "4XX" => "Client Error".into(),
        "5XX" => "Server Error".into(),
        _ => "Unknown".into(),
    }
}

/// The page's code languages: the six of [`LANGUAGES`], plus those of `x-codeSamples`
/// shale can highlight. (Only operations of paths have samples; a spec of webhooks alone
/// has no tabs.)
fn languages(api: &Api) -> Vec<(String, String)> {
    let mut languages: Vec<(String, String)> = if api.operations.is_empty() {
        Vec::new()
    } else {
        LANGUAGES
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect()
    };
    for op in api.operations.iter() {
        for s in &op.code_samples {
            if let Some(lang) = samples::sample_language(&s.lang) {
                if !languages.iter().any(|(k, _)| *k == lang) {
                    languages.push((lang, s.lang.clone()));
                }
            }
        }
    }
    languages
}

/// The front matter keys that describe the API to templates: `api_version`, `servers`
/// and `authentication`.
fn api_front_matter(fm: &mut String, api: &Api) {
    if !api.api_version.is_empty() {
        let _ = writeln!(fm, "api_version: {}", yaml_scalar(&api.api_version));
    }
    if !api.servers.is_empty() {
        fm.push_str("servers:\n");
        for s in &api.servers {
            let _ = writeln!(fm, "  - url: {}", yaml_scalar(&s.url));
            if let Some(d) = &s.description {
                let _ = writeln!(fm, "    description: {}", yaml_scalar(d));
            }
        }
    }
    if !api.security_schemes.is_empty() {
        fm.push_str("authentication:\n");
        for s in &api.security_schemes {
            let _ = writeln!(fm, "  - name: {}", yaml_scalar(&s.key));
            let _ = writeln!(fm, "    type: {}", yaml_scalar(&s.kind));
            if let Some(x) = &s.scheme {
                let _ = writeln!(fm, "    scheme: {}", yaml_scalar(x));
            }
            if let Some(x) = &s.location {
                let _ = writeln!(fm, "    in: {}", yaml_scalar(x));
            }
            if let Some(x) = &s.param_name {
                let _ = writeln!(fm, "    parameter: {}", yaml_scalar(x));
            }
        }
    }
}

/// The introduction's terms of service, contact and licence lines.
fn terms_contact_licence(out: &mut String, api: &Api) {
    if let Some(t) = &api.terms_of_service {
        let _ = writeln!(out, "{}\n", link_or_text(t, "Terms of service"));
    }
    if let Some((name, url, email)) = &api.contact {
        let mut parts = Vec::new();
        if let Some(n) = name {
            parts.push(inline(n));
        }
        if let Some(e) = email {
            parts.push(format!(
                "Email: <a href=\"mailto:{}\">{}</a>",
                html(e),
                html(e)
            ));
        }
        if let Some(u) = url {
            parts.push(format!("Web: {}", link_or_text(u, u)));
        }
        let _ = writeln!(out, "Contact: {}\n", parts.join(", "));
    }
    if let Some((name, url)) = &api.license {
        match url {
            Some(u) => {
                let _ = writeln!(out, "License: {}\n", link_or_text(u, name));
            }
            None => {
                let _ = writeln!(out, "License: {}\n", inline(name));
            }
        }
    }
}

/// A security scheme's Type and Where cells in the Authentication table.
fn scheme_kind_and_place(s: &SecurityScheme) -> (String, String) {
    match s.kind.as_str() {
        "apiKey" => (
            "API key".to_string(),
            format!(
                "{} `{}`",
                s.location.as_deref().unwrap_or("header"),
                cell_text(s.param_name.as_deref().unwrap_or("")).replace('`', "")
            ),
        ),
        "http" => (
            format!("HTTP {}", s.scheme.as_deref().unwrap_or("")),
            match &s.bearer_format {
                Some(f) => format!("Authorization header ({})", cell_text(f)),
                None => "Authorization header".into(),
            },
        ),
        "oauth2" => (
            "OAuth 2.0".into(),
            s.flows
                .iter()
                .map(|f| cell_text(&f.kind))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        "openIdConnect" => (
            "OpenID Connect".into(),
            s.open_id_url.as_deref().map(cell_text).unwrap_or_default(),
        ),
        other => (cell_text(other), String::new()),
    }
}

/// A path operation's code samples: the six languages (an `x-codeSamples` entry
/// replaces its language's), then the spec's samples in other languages.
fn code_samples(out: &mut String, op: &Operation, request: &samples::Request) {
    out.push_str("> Code samples\n\n");
    for (lang, _) in LANGUAGES {
        let custom = op
            .code_samples
            .iter()
            .find(|s| samples::sample_language(&s.lang).as_deref() == Some(lang));
        let code = match custom {
            Some(s) => s.source.clone(),
            None => samples::render(lang, request),
        };
        fence(out, lang, &code);
    }
    for s in &op.code_samples {
        if let Some(lang) = samples::sample_language(&s.lang) {
            if !LANGUAGES.iter().any(|(k, _)| *k == lang) {
                fence(out, &lang, &s.source);
            }
        }
    }
}

/// The request body's example, in the code column ("Body parameter", or "Payload"
/// for a webhook or callback).
fn body_example(out: &mut String, api: &Api, op: &Operation, kind: Kind) {
    if let Some(b) = &op.body {
        if let Some(m) = preferred(&b.contents) {
            if let Some(v) = media_example(&api.schemas, m, Mode::Request) {
                let label = if kind == Kind::Path {
                    "Body parameter"
                } else {
                    "Payload"
                };
                let _ = writeln!(out, "> {label}\n");
                example_block(out, &m.media_type, &v);
            }
        }
    }
}

/// The examples of an operation's responses, in the code column.
fn response_examples(out: &mut String, api: &Api, op: &Operation, kind: Kind) {
    let with_examples: Vec<(&Response, Shown)> = op
        .responses
        .iter()
        .filter_map(|r| {
            let m = preferred(&r.contents)?;
            let v = media_example(&api.schemas, m, Mode::Response)?;
            Some((r, (m.media_type.clone(), v)))
        })
        .collect();
    if !with_examples.is_empty() {
        if kind == Kind::Path {
            out.push_str("> Example responses\n\n");
        }
        for (r, (mt, v)) in &with_examples {
            if kind == Kind::Path {
                let _ = writeln!(out, "> {} Response\n", r.code.replace('\n', " "));
            } else {
                let _ = writeln!(out, "> Response {}\n", r.code.replace('\n', " "));
            }
            example_block(out, mt, v);
        }
    }
}

/// Operation → its `opId…` anchor, keyed by address (operations are not `Hash`).
type OpAnchors = HashMap<*const Operation, String>;

impl<'a> Writer<'a> {
    /// The page and its includes: anchors first, then the front matter and
    /// introduction, one include per group, webhooks and schemas, and last the
    /// descriptions, whose links need every id.
    fn run(&mut self, marker: &str) -> Output {
        let api = self.api;
        let opid_anchor = self.allocate_anchors();
        let groups = self.groups();
        let mut page = self.front_matter(marker, &groups);
        self.ids.begin_file();
        page.push_str(&self.introduction());

        let mut includes = Vec::new();
        for g in &groups {
            let out = self.group_include(marker, g, &opid_anchor);
            includes.push((g.include.clone(), tidy(out)));
        }
        if !api.webhooks.is_empty() {
            let out = self.webhooks_include(marker, &opid_anchor);
            includes.push(("webhooks".into(), tidy(out)));
        }
        if !api.schemas.named.is_empty() {
            self.ids.begin_file();
            includes.push(("schemas".into(), tidy(self.schemas(marker))));
        }

        // The descriptions, now that every id the writer generates is known.
        self.descs.get_mut().allocate(&mut self.ids);
        let targets = self.targets(&opid_anchor);
        let descs = self.descs.get_mut();
        let page = descs.finish(&tidy(page), &targets);
        let includes = includes
            .into_iter()
            .map(|(n, t)| (n, descs.finish(&t, &targets)))
            .collect();
        Output { page, includes }
    }

    /// Takes the anchors Widdershins writes, before any heading can: `schemaNAME` for
    /// each named schema (kept in `schema_anchor`) and `opIdNAME` for each operation
    /// with an `operationId` (returned).
    fn allocate_anchors(&mut self) -> OpAnchors {
        let api = self.api;
        for &id in &api.schemas.named {
            let name = api.schemas.get(id).name.clone().unwrap_or_default();
            let base: String = name
                .to_lowercase()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || "_.-".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let a = self.ids.anchor(&format!("schema{base}"));
            self.schema_anchor.insert(id, a);
        }
        let mut opid_anchor = OpAnchors::new();
        let all_ops = api.operations.iter().chain(api.webhooks.iter());
        for op in all_ops {
            if let Some(id) = &op.operation_id {
                // As Widdershins writes it (spaces too), but without control
                // characters: a line break would end the anchor's HTML line.
                let id: String = id
                    .chars()
                    .map(|c| if c.is_control() { '-' } else { c })
                    .collect();
                let a = self.ids.anchor(&format!("opId{id}"));
                opid_anchor.insert(op as *const Operation, a);
            }
        }
        opid_anchor
    }

    /// The page's front matter, from `---` to `---` and a blank line.
    fn front_matter(&self, marker: &str, groups: &[Group<'a>]) -> String {
        let api = self.api;
        let languages = languages(api);
        let mut fm = String::from("---\n");
        let _ = writeln!(fm, "# {marker}");
        let _ = writeln!(fm, "title: {}", yaml_scalar(&self.title()));
        if !languages.is_empty() {
            fm.push_str("language_tabs:\n");
            for (k, l) in &languages {
                let _ = writeln!(fm, "  - {k}: {}", yaml_scalar(l));
            }
        }
        if let Some((url, desc)) = &api.external_docs {
            fm.push_str("toc_footers:\n");
            let text = desc.clone().unwrap_or_else(|| "Find out more".into());
            let _ = writeln!(
                fm,
                "  - {}",
                yaml_scalar(&if leads_away(url) {
                    format!("<a href=\"{}\">{}</a>", html(url), html(&text))
                } else {
                    html(&text)
                })
            );
        }
        let mut include_names: Vec<String> = groups.iter().map(|g| g.include.clone()).collect();
        if !api.webhooks.is_empty() {
            include_names.push("webhooks".into());
        }
        if !api.schemas.named.is_empty() {
            include_names.push("schemas".into());
        }
        if !include_names.is_empty() {
            fm.push_str("includes:\n");
            for n in &include_names {
                let _ = writeln!(fm, "  - {}", yaml_scalar(n));
            }
        }
        fm.push_str("search: true\ncode_clipboard: true\nheadingLevel: 2\n");
        api_front_matter(&mut fm, api);
        fm.push_str("---\n\n");
        fm
    }

    /// The include of one group (a tag): its heading, description, link and operations.
    fn group_include(&mut self, marker: &str, g: &Group<'a>, opid_anchor: &OpAnchors) -> String {
        let mut out = format!("<!-- {marker} -->\n\n");
        self.ids.begin_file();
        let (h, id) = self
            .ids
            .heading(&g.name, &[format!("{} operations", g.name)]);
        self.tag_ids.entry(loose(&g.name)).or_insert(id);
        let _ = writeln!(out, "# {h}\n");
        if let Some(d) = &g.description {
            let _ = writeln!(out, "{}\n", self.descs.borrow_mut().prose(&mut self.ids, d));
        }
        if let Some((url, d)) = &g.external_docs {
            let _ = writeln!(
                out,
                "{}\n",
                link_or_text(url, d.as_deref().unwrap_or("Find out more"))
            );
        }
        for op in &g.ops {
            let anchor = opid_anchor.get(&(*op as *const Operation)).cloned();
            self.operation(&mut out, op, anchor.as_deref(), Kind::Path);
        }
        out
    }

    /// The include of the webhooks (3.1): the requests the API sends.
    fn webhooks_include(&mut self, marker: &str, opid_anchor: &OpAnchors) -> String {
        let mut out = format!("<!-- {marker} -->\n\n");
        self.ids.begin_file();
        let (h, _) = self.ids.heading("Webhooks", &["Webhook operations".into()]);
        let _ = writeln!(out, "# {h}\n");
        out.push_str("Requests this API sends to you: each is a request your server receives, with the payload shown, and the responses it expects.\n\n");
        for op in &self.api.webhooks {
            let anchor = opid_anchor.get(&(op as *const Operation)).cloned();
            self.operation(&mut out, op, anchor.as_deref(), Kind::Webhook);
        }
        out
    }

    /// What a description's links may lead to: every id, tag, heading, path,
    /// `operationId` and schema name of the page.
    fn targets(&mut self, opid_anchor: &OpAnchors) -> Targets {
        let api = self.api;
        let mut targets = Targets {
            ids: self.ids.all().clone(),
            tags: std::mem::take(&mut self.tag_ids),
            headings: self.ids.names().clone(),
            paths: std::mem::take(&mut self.path_ids),
            ..Targets::default()
        };
        for op in api.operations.iter().chain(api.webhooks.iter()) {
            if let (Some(id), Some(a)) =
                (&op.operation_id, opid_anchor.get(&(op as *const Operation)))
            {
                targets
                    .operations
                    .entry(id.clone())
                    .or_insert_with(|| a.clone());
            }
        }
        for id in &api.schemas.named {
            if let (Some(name), Some(a)) = (&api.schemas.get(*id).name, self.schema_anchor.get(id))
            {
                targets
                    .schemas
                    .entry(name.clone())
                    .or_insert_with(|| a.clone());
                targets
                    .schemas
                    .entry(loose(name))
                    .or_insert_with(|| a.clone());
            }
        }
        targets
    }

    fn title(&self) -> String {
        let a = self.api;
        if a.api_version.is_empty() {
            a.title.clone()
        } else {
            format!("{} v{}", a.title, a.api_version)
        }
    }

    fn groups(&self) -> Vec<Group<'a>> {
        let api = self.api;
        let mut groups: Vec<Group<'a>> = Vec::new();
        for t in &api.tags {
            groups.push(Group {
                name: t.name.clone(),
                include: String::new(),
                description: t.description.clone(),
                external_docs: t.external_docs.clone(),
                ops: Vec::new(),
            });
        }
        for op in &api.operations {
            let name = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| path_group(&op.path));
            match groups.iter_mut().find(|g| g.name == name) {
                Some(g) => g.ops.push(op),
                None => groups.push(Group {
                    name,
                    include: String::new(),
                    description: None,
                    external_docs: None,
                    ops: vec![op],
                }),
            }
        }
        groups.retain(|g| !g.ops.is_empty());
        let mut used: Vec<String> = vec!["schemas".into(), "webhooks".into()];
        for (i, g) in groups.iter_mut().enumerate() {
            let base = crate::markdown::slug::parameterize(&g.name);
            let base = if base.is_empty() {
                format!("tag-{}", i + 1)
            } else {
                base
            };
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            used.push(name.clone());
            g.include = name;
        }
        groups
    }

    /// The page's introduction: title, description, base URLs, terms, contact and
    /// licence, then the Authentication section.
    fn introduction(&mut self) -> String {
        let api = self.api;
        let mut out = String::new();
        let (h, _) = self.ids.heading(&self.title(), &[]);
        let _ = writeln!(out, "# {h}\n");
        out.push_str("> Scroll down for code samples, example requests and responses. Select a language for code samples from the tabs above or the mobile navigation menu.\n\n");
        if let Some(d) = &api.description {
            let _ = writeln!(out, "{}\n", self.descs.borrow_mut().prose(&mut self.ids, d));
        }
        if !api.servers.is_empty() {
            out.push_str("Base URLs:\n\n");
            for s in &api.servers {
                let _ = write!(out, "* {}", link_or_text(&s.url, &s.url));
                if let Some(d) = &s.description {
                    let _ = write!(out, ": {}", inline(d));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        terms_contact_licence(&mut out, api);
        if !api.security_schemes.is_empty() {
            self.authentication(&mut out);
        }
        out
    }

    /// The Authentication section: a table of the schemes, then each OAuth flow with
    /// its URLs and scopes.
    fn authentication(&mut self, out: &mut String) {
        let api = self.api;
        let (h, _) = self
            .ids
            .heading("Authentication", &["Authentication methods".into()]);
        let _ = writeln!(out, "# {h}\n");
        out.push_str("|Name|Type|Where|Description|\n|---|---|---|---|\n");
        for s in &api.security_schemes {
            let (kind, place) = scheme_kind_and_place(s);
            let _ = writeln!(
                out,
                "|{}|{}|{}|{}|",
                cell_text(&s.key),
                kind,
                place,
                s.description
                    .as_deref()
                    .map(|d| self.cell(d))
                    .unwrap_or_default()
            );
        }
        out.push('\n');
        for s in &api.security_schemes {
            for f in &s.flows {
                let _ = write!(
                    out,
                    "OAuth 2.0 flow `{}` of {}",
                    f.kind.replace('`', ""),
                    inline(&s.key)
                );
                if let Some(u) = &f.authorization_url {
                    let _ = write!(out, ": authorization URL {}", link_or_text(u, u));
                }
                if let Some(u) = &f.token_url {
                    let _ = write!(out, ", token URL {}", link_or_text(u, u));
                }
                out.push_str(".\n\n");
                if !f.scopes.is_empty() {
                    out.push_str("|Scope|Scope Description|\n|---|---|\n");
                    for (k, v) in &f.scopes {
                        let _ = writeln!(out, "|{}|{}|", cell_text(k), self.cell(v));
                    }
                    out.push('\n');
                }
            }
        }
    }

    /// The type of schema `id` as a table cell: a link to a named schema's section.
    fn type_of(&self, id: SchemaId, depth: usize) -> String {
        let schemas = &self.api.schemas;
        if let Some(a) = self.schema_anchor.get(&id) {
            let name = schemas.get(id).name.clone().unwrap_or_default();
            return format!("[{}](#{a})", cell_text(&name));
        }
        if depth > 4 {
            return "object".into();
        }
        // A `$ref` with siblings is its target, refined.
        if let Some(b) = schemas.get(id).base {
            if self.schema_anchor.contains_key(&b) {
                return self.type_of(b, depth + 1);
            }
        }
        let s = schemas.merged(id);
        let branches = if s.one_of.is_empty() {
            &s.any_of
        } else {
            &s.one_of
        };
        let mut t = if !branches.is_empty() {
            let parts: Vec<String> = branches
                .iter()
                .map(|&b| self.type_of(b, depth + 1))
                .collect();
            parts.join(" or ")
        } else {
            match s.main_type() {
                Some("array") => match s.items {
                    Some(i) => format!("[{}]", self.type_of(i, depth + 1)),
                    None => "array".into(),
                },
                Some(t) => {
                    let mut t = t.to_string();
                    if let Some(f) = &s.format {
                        let _ = write!(t, "({f})");
                    }
                    cell_text(&t)
                }
                None => "any".into(),
            }
        };
        if s.nullable() && s.main_type() != Some("null") {
            t.push_str("¦null");
        }
        t
    }

    fn restrictions(s: &Schema) -> String {
        let mut r = Vec::new();
        if s.read_only {
            r.push("read-only".to_string());
        }
        if s.write_only {
            r.push("write-only".into());
        }
        if s.deprecated {
            r.push("deprecated".into());
        }
        if let Some(b) = &s.minimum {
            r.push(format!(
                "{} {}",
                if b.exclusive { "more than" } else { "min" },
                b.text
            ));
        }
        if let Some(b) = &s.maximum {
            r.push(format!(
                "{} {}",
                if b.exclusive { "less than" } else { "max" },
                b.text
            ));
        }
        if let Some(x) = s.min_length {
            r.push(format!("min length {x}"));
        }
        if let Some(x) = s.max_length {
            r.push(format!("max length {x}"));
        }
        if let Some(p) = &s.pattern {
            r.push(format!("pattern `{}`", p.replace('`', "")));
        }
        if let Some(x) = s.min_items {
            r.push(format!("min items {x}"));
        }
        if let Some(x) = s.max_items {
            r.push(format!("max items {x}"));
        }
        if r.is_empty() {
            "none".into()
        } else {
            r.join(", ").replace('|', "&#124;")
        }
    }

    /// A description in a table cell.
    fn cell(&self, d: &str) -> String {
        self.descs.borrow_mut().cell(d)
    }

    fn describe(&self, s: &Schema) -> String {
        s.description
            .as_deref()
            .or(s.title.as_deref())
            .map(|d| self.cell(d))
            .unwrap_or_else(|| "none".into())
    }

    /// Rows for the properties of `id` (and nested unnamed objects, [`TABLE_DEPTH`]
    /// levels): (name with `»` per level, type, required, restrictions, description).
    fn property_rows(
        &self,
        id: SchemaId,
        level: usize,
        rows: &mut Vec<[String; 5]>,
        enums: &mut Vec<(String, String)>,
        mode: Mode,
        seen: &mut Vec<SchemaId>,
    ) {
        let schemas = &self.api.schemas;
        let s = schemas.merged(id);
        let prefix = "»".repeat(level);
        let props: Vec<(String, SchemaId)> = s.properties.clone();
        for (name, pid) in props {
            if rows.len() >= TABLE_ROWS {
                return;
            }
            let p = schemas.merged(pid);
            if (mode == Mode::Request && p.read_only) || (mode == Mode::Response && p.write_only) {
                continue;
            }
            let shown = if prefix.is_empty() {
                cell_text(&name)
            } else {
                format!("{prefix} {}", cell_text(&name))
            };
            rows.push([
                shown,
                self.type_of(pid, 0),
                s.required.contains(&name).to_string(),
                Self::restrictions(p),
                self.describe(p),
            ]);
            for v in &p.enum_values {
                if enums.len() < TABLE_ROWS {
                    enums.push((cell_text(&name), enum_text(v)));
                }
            }
            self.nested(pid, level, rows, enums, mode, seen);
        }
        if let Some(Additional::Schema(a)) = s.additional {
            if rows.len() < TABLE_ROWS {
                let p = schemas.merged(a);
                let name = format!(
                    "{}**additionalProperties**",
                    if prefix.is_empty() {
                        String::new()
                    } else {
                        format!("{prefix} ")
                    }
                );
                rows.push([
                    name,
                    self.type_of(a, 0),
                    "false".into(),
                    Self::restrictions(p),
                    self.describe(p),
                ]);
                self.nested(a, level, rows, enums, mode, seen);
            }
        }
    }

    /// Rows for an unnamed object (or array of one) under a property.
    fn nested(
        &self,
        pid: SchemaId,
        level: usize,
        rows: &mut Vec<[String; 5]>,
        enums: &mut Vec<(String, String)>,
        mode: Mode,
        seen: &mut Vec<SchemaId>,
    ) {
        if level + 1 >= TABLE_DEPTH || seen.contains(&pid) {
            return;
        }
        let schemas = &self.api.schemas;
        let mut target = pid;
        for _ in 0..3 {
            if self.schema_anchor.contains_key(&target) {
                return;
            }
            let t = schemas.merged(target);
            match (t.main_type(), t.items) {
                (Some("array"), Some(i)) => target = i,
                _ => break,
            }
        }
        if self.schema_anchor.contains_key(&target) {
            return;
        }
        let t = schemas.merged(target);
        if t.properties.is_empty() && !matches!(t.additional, Some(Additional::Schema(_))) {
            return;
        }
        seen.push(pid);
        self.property_rows(target, level + 1, rows, enums, mode, seen);
        seen.pop();
    }

    fn property_table(&self, out: &mut String, id: SchemaId, mode: Mode, enum_heading_id: &str) {
        let mut rows = Vec::new();
        let mut enums = Vec::new();
        self.property_rows(id, 0, &mut rows, &mut enums, mode, &mut Vec::new());
        if rows.is_empty() {
            return;
        }
        out.push_str("|Name|Type|Required|Restrictions|Description|\n|---|---|---|---|---|\n");
        for r in &rows {
            let _ = writeln!(out, "|{}|{}|{}|{}|{}|", r[0], r[1], r[2], r[3], r[4]);
        }
        out.push('\n');
        if !enums.is_empty() {
            let _ = writeln!(out, "<h4 id=\"{enum_heading_id}\">Enumerated Values</h4>\n");
            out.push_str("|Property|Value|\n|---|---|\n");
            for (k, v) in &enums {
                let _ = writeln!(out, "|{k}|{v}|");
            }
            out.push('\n');
        }
    }

    /// One operation (a path's, or a webhook's, or a callback's).
    fn operation(&mut self, out: &mut String, op: &Operation, anchor: Option<&str>, kind: Kind) {
        let api = self.api;
        let method = op.method.to_ascii_uppercase();
        let slug = self.operation_heading(out, op, kind);
        if let Some(a) = anchor {
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", html(a));
        }
        if op.deprecated {
            out.push_str("<aside class=\"warning\">This operation is deprecated.</aside>\n\n");
        }
        if kind == Kind::Path {
            code_samples(out, op, &samples::request(api, op));
        }
        match kind {
            Kind::Webhook => {
                let _ = writeln!(
                    out,
                    "`{method} {}` (webhook: a request to your URL)\n",
                    op.path.replace('`', "")
                );
            }
            _ => {
                let _ = writeln!(out, "`{method} {}`\n", op.path.replace('`', ""));
            }
        }
        if let Some(d) = &op.description {
            let _ = writeln!(out, "{}\n", self.descs.borrow_mut().prose(&mut self.ids, d));
        }
        if let Some((url, d)) = &op.external_docs {
            let _ = writeln!(
                out,
                "{}\n",
                link_or_text(url, d.as_deref().unwrap_or("Find out more"))
            );
        }
        body_example(out, api, op, kind);
        self.parameters(out, op, &slug, kind);
        self.responses(out, op, &slug, kind);
        if !op.callbacks.is_empty() {
            self.callbacks(out, op, &slug);
        }
        if kind != Kind::Callback {
            self.security(out, op);
        }
    }

    /// An operation's callbacks, each with its own operations.
    fn callbacks(&mut self, out: &mut String, op: &Operation, slug: &str) {
        let id = self.ids.anchor(&format!("{slug}-callbacks"));
        let _ = writeln!(out, "<h3 id=\"{id}\">Callbacks</h3>\n");
        for cb in &op.callbacks {
            let _ = writeln!(
                out,
                "Callback `{}`: requests this API sends to the URL you give.\n",
                cb.name.replace('`', "")
            );
            for cop in &cb.operations {
                self.operation(out, cop, None, Kind::Callback);
            }
        }
    }

    /// An operation's heading (its summary, else its `operationId`, else `METHOD
    /// /path`; a raw `h4` for a callback); returns its id.
    fn operation_heading(&mut self, out: &mut String, op: &Operation, kind: Kind) -> String {
        let method = op.method.to_ascii_uppercase();
        let title = op
            .summary
            .clone()
            .or_else(|| op.operation_id.clone())
            .unwrap_or_else(|| format!("{method} {}", op.path));
        let alt = match kind {
            Kind::Webhook => format!("{title} (webhook {})", op.path),
            _ => format!("{title} ({method} {})", op.path),
        };
        let (h, slug) = if kind == Kind::Callback {
            self.ids.heading_unwritten(&title, &[alt])
        } else {
            self.ids.heading(&title, &[alt])
        };
        if kind != Kind::Callback {
            self.path_ids
                .entry((op.method.to_ascii_lowercase(), op.path.clone()))
                .or_insert_with(|| slug.clone());
        }
        let hashes = if kind == Kind::Callback { "###" } else { "##" };
        if kind == Kind::Callback {
            // Callbacks are raw headings so that their ids are the writer's.
            let id = self.ids.anchor(&format!("{slug}-callback"));
            let _ = writeln!(out, "<h4 id=\"{id}\">{}</h4>\n", html(&title));
        } else {
            let _ = writeln!(out, "{hashes} {h}\n");
        }
        slug
    }

    fn parameters(&mut self, out: &mut String, op: &Operation, slug: &str, kind: Kind) {
        let schemas = &self.api.schemas;
        if op.parameters.is_empty() && op.body.is_none() {
            return;
        }
        let tag = if kind == Kind::Callback { "h5" } else { "h3" };
        let id = self.ids.anchor(&format!("{slug}-parameters"));
        let _ = writeln!(out, "<{tag} id=\"{id}\">Parameters</{tag}>\n");
        out.push_str("|Name|In|Type|Required|Description|\n|---|---|---|---|---|\n");
        let mut enums: Vec<(String, String)> = Vec::new();
        for p in &op.parameters {
            let (ty, s) = match p.schema {
                Some(s) => (self.type_of(s, 0), Some(schemas.merged(s))),
                None => ("string".to_string(), None),
            };
            let mut desc = p
                .description
                .as_deref()
                .map(|d| self.cell(d))
                .unwrap_or_else(|| "none".into());
            if p.deprecated {
                desc.push_str(" (deprecated)");
            }
            let _ = writeln!(
                out,
                "|{}|{}|{}|{}|{}|",
                cell_text(&p.name),
                p.location.as_str(),
                ty,
                p.required,
                desc
            );
            if let Some(s) = s {
                let values = if s.enum_values.is_empty() {
                    s.items
                        .map(|i| schemas.merged(i).enum_values.clone())
                        .unwrap_or_default()
                } else {
                    s.enum_values.clone()
                };
                for v in values {
                    if enums.len() < TABLE_ROWS {
                        enums.push((cell_text(&p.name), enum_text(&v)));
                    }
                }
            }
        }
        if let Some(b) = &op.body {
            self.body_rows(out, b, &mut enums);
        }
        out.push('\n');
        if !enums.is_empty() {
            let id = self.ids.anchor(&format!("{slug}-enums"));
            let _ = writeln!(out, "<h4 id=\"{id}\">Enumerated Values</h4>\n");
            out.push_str("|Parameter|Value|\n|---|---|\n");
            for (k, v) in &enums {
                let _ = writeln!(out, "|{k}|{v}|");
            }
            out.push('\n');
        }
    }

    /// The Parameters table's `body` row and the rows of its properties (`»`),
    /// adding their enumerated values to `enums`.
    fn body_rows(&mut self, out: &mut String, b: &Body, enums: &mut Vec<(String, String)>) {
        let schemas = &self.api.schemas;
        let m = preferred(&b.contents);
        let ty = m
            .and_then(|m| m.schema)
            .map(|s| self.type_of(s, 0))
            .unwrap_or_else(|| "object".into());
        let desc = b
            .description
            .as_deref()
            .map(|d| self.cell(d))
            .unwrap_or_else(|| "none".into());
        let _ = writeln!(out, "|body|body|{ty}|{}|{desc}|", b.required);
        if let Some(sid) = m.and_then(|m| m.schema) {
            let mut rows = Vec::new();
            let target = {
                let s = schemas.merged(sid);
                match (s.main_type(), s.items) {
                    (Some("array"), Some(i)) => i,
                    _ => sid,
                }
            };
            let mut body_enums = Vec::new();
            self.property_rows(
                target,
                1,
                &mut rows,
                &mut body_enums,
                Mode::Request,
                &mut vec![sid],
            );
            for r in rows {
                let _ = writeln!(out, "|{}|body|{}|{}|{}|", r[0], r[1], r[2], r[4]);
            }
            enums.extend(body_enums);
        }
    }

    /// An operation's responses: examples in the code column, the Responses table,
    /// then the tables of inline response schemas, headers and links.
    fn responses(&mut self, out: &mut String, op: &Operation, slug: &str, kind: Kind) {
        if op.responses.is_empty() {
            return;
        }
        response_examples(out, self.api, op, kind);
        let tag = if kind == Kind::Callback { "h5" } else { "h3" };
        let id = self.ids.anchor(&format!("{slug}-responses"));
        let _ = writeln!(out, "<{tag} id=\"{id}\">Responses</{tag}>\n");
        out.push_str("|Status|Meaning|Description|Schema|\n|---|---|---|---|\n");
        for r in &op.responses {
            let schema = preferred(&r.contents)
                .and_then(|m| m.schema)
                .map(|s| self.type_of(s, 0))
                .unwrap_or_else(|| "None".into());
            let _ = writeln!(
                out,
                "|{}|{}|{}|{}|",
                cell_text(&r.code),
                status_meaning(&r.code),
                r.description
                    .as_deref()
                    .map(|d| self.cell(d))
                    .unwrap_or_else(|| "none".into()),
                schema
            );
        }
        out.push('\n');
        self.response_schemas(out, op, slug, tag);
        self.response_headers_and_links(out, op, slug, tag);
    }

    /// The table of each inline response schema (a named one links to its section).
    fn response_schemas(&mut self, out: &mut String, op: &Operation, slug: &str, tag: &str) {
        let api = self.api;
        for r in &op.responses {
            let Some(sid) = preferred(&r.contents).and_then(|m| m.schema) else {
                continue;
            };
            if self.schema_anchor.contains_key(&sid) {
                continue;
            }
            let s = api.schemas.merged(sid);
            let target = match (s.main_type(), s.items) {
                (Some("array"), Some(i)) if !self.schema_anchor.contains_key(&i) => i,
                _ => sid,
            };
            let t = api.schemas.merged(target);
            if t.properties.is_empty() {
                continue;
            }
            let id = self.ids.anchor(&format!(
                "{slug}-responseschema-{}",
                r.code.to_ascii_lowercase()
            ));
            let _ = writeln!(out, "<{tag} id=\"{id}\">Response Schema</{tag}>\n");
            let _ = writeln!(out, "Status Code **{}**\n", cell_text(&r.code));
            let eid = self.ids.anchor(&format!("{id}-enums"));
            self.property_table(out, target, Mode::Response, &eid);
        }
    }

    /// The Response Headers and Links tables.
    fn response_headers_and_links(
        &mut self,
        out: &mut String,
        op: &Operation,
        slug: &str,
        tag: &str,
    ) {
        // Response headers.
        let headers: Vec<_> = op
            .responses
            .iter()
            .flat_map(|r| r.headers.iter().map(move |h| (r, h)))
            .collect();
        if !headers.is_empty() {
            let id = self.ids.anchor(&format!("{slug}-responseheaders"));
            let _ = writeln!(out, "<{tag} id=\"{id}\">Response Headers</{tag}>\n");
            out.push_str("|Status|Header|Type|Description|\n|---|---|---|---|\n");
            for (r, h) in headers {
                let _ = writeln!(
                    out,
                    "|{}|{}|{}|{}|",
                    cell_text(&r.code),
                    cell_text(&h.name),
                    h.schema
                        .map(|s| self.type_of(s, 0))
                        .unwrap_or_else(|| "string".into()),
                    h.description
                        .as_deref()
                        .map(|d| self.cell(d))
                        .unwrap_or_else(|| "none".into())
                );
            }
            out.push('\n');
        }
        let links: Vec<_> = op
            .responses
            .iter()
            .flat_map(|r| r.links.iter().map(move |l| (r, l)))
            .collect();
        if !links.is_empty() {
            let id = self.ids.anchor(&format!("{slug}-links"));
            let _ = writeln!(out, "<{tag} id=\"{id}\">Links</{tag}>\n");
            out.push_str("|Status|Link|Description|\n|---|---|---|\n");
            for (r, (name, d)) in links {
                let _ = writeln!(
                    out,
                    "|{}|{}|{}|",
                    cell_text(&r.code),
                    cell_text(name),
                    d.as_deref()
                        .map(|d| self.cell(d))
                        .unwrap_or_else(|| "none".into())
                );
            }
            out.push('\n');
        }
    }

    fn security(&self, out: &mut String, op: &Operation) {
        let api = self.api;
        let reqs: &Vec<Requirement> = op.security.as_ref().unwrap_or(&api.security);
        let ways: Vec<String> = reqs
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                r.iter()
                    .map(|(k, scopes)| {
                        if scopes.is_empty() {
                            html(k)
                        } else {
                            format!("{} (scopes: {})", html(k), html(&scopes.join(", ")))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        let optional = reqs.iter().any(|r| r.is_empty());
        if ways.is_empty() {
            if !api.security_schemes.is_empty() || op.security.is_some() {
                out.push_str("<aside class=\"success\">\nThis operation does not require authentication\n</aside>\n\n");
            }
            return;
        }
        let _ = writeln!(
            out,
            "<aside class=\"warning\">\nTo perform this operation, you must be authenticated by means of one of the following methods{}:\n{}\n</aside>\n",
            if optional { " (or none: authentication is optional)" } else { "" },
            ways.join("; ")
        );
    }

    /// The Schemas include: a section per named schema.
    fn schemas(&mut self, marker: &str) -> String {
        let mut out = format!("<!-- {marker} -->\n\n");
        let (h, _) = self.ids.heading("Schemas", &["Schema definitions".into()]);
        let _ = writeln!(out, "# {h}\n");
        let api = self.api;
        for &id in &api.schemas.named {
            self.schema_section(&mut out, id);
        }
        out
    }

    /// A named schema's section: heading, anchor, example, description, what it is
    /// made of, and its properties (or its type and values).
    fn schema_section(&mut self, out: &mut String, id: SchemaId) {
        let api = self.api;
        let s = api.schemas.merged(id);
        let own = api.schemas.get(id);
        let name = own.name.clone().unwrap_or_default();
        let (h, slug) = self.ids.heading(&name, &[format!("{name} schema")]);
        let _ = writeln!(out, "## {h}\n");
        if let Some(a) = self.schema_anchor.get(&id) {
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", html(a));
        }
        let v = example(&api.schemas, id, Mode::Schema);
        example_block(out, "application/json", &v);
        if let Some(d) = &s.description {
            let _ = writeln!(out, "{}\n", self.descs.borrow_mut().prose(&mut self.ids, d));
        }
        if own.deprecated {
            out.push_str("<aside class=\"warning\">This schema is deprecated.</aside>\n\n");
        }
        self.schema_composition(out, id);
        if !s.properties.is_empty() || matches!(s.additional, Some(Additional::Schema(_))) {
            let pid = self.ids.anchor(&format!("{slug}-properties"));
            let _ = writeln!(out, "<h3 id=\"{pid}\">Properties</h3>\n");
            let eid = self.ids.anchor(&format!("{slug}-enums"));
            self.property_table(out, id, Mode::Schema, &eid);
        } else {
            let _ = writeln!(out, "Type: {}\n", self.type_of_unlinked(id));
            if !s.enum_values.is_empty() {
                let vals: Vec<String> = s
                    .enum_values
                    .iter()
                    .take(TABLE_ROWS)
                    .map(enum_text)
                    .collect();
                let _ = writeln!(out, "Values: {}\n", vals.join(", ").replace("&#124;", "|"));
            }
        }
    }

    /// What a schema is made of: the named schemas of its `allOf`, its `oneOf` and
    /// `anyOf` branches (which one the example shows), and its discriminator.
    fn schema_composition(&mut self, out: &mut String, id: SchemaId) {
        let api = self.api;
        let s = api.schemas.merged(id);
        let own = api.schemas.get(id);
        let parts: Vec<String> = own
            .all_of
            .iter()
            .filter(|p| self.schema_anchor.contains_key(p))
            .map(|&p| self.type_of(p, 0))
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "Includes all properties of {}.\n", parts.join(", "));
        }
        for (word, list) in [("One of", &s.one_of), ("Any of", &s.any_of)] {
            if list.is_empty() {
                continue;
            }
            let shown = pick_branch(&api.schemas, list).copied();
            let names: Vec<String> = list
                .iter()
                .map(|&b| {
                    let t = self.type_of(b, 0);
                    if Some(b) == shown {
                        // `\(`: after an array's `[any]`, ` (` would make a link.
                        format!("{t} \\(in the example)")
                    } else {
                        t
                    }
                })
                .collect();
            let _ = writeln!(out, "{word}: {}.\n", names.join(", "));
        }
        if let Some((prop, mapping)) = &s.discriminator {
            let _ = write!(out, "Discriminator: `{}`", prop.replace('`', ""));
            if !mapping.is_empty() {
                let m: Vec<String> = mapping
                    .iter()
                    .map(|(k, t)| format!("`{}` → {}", k.replace('`', ""), self.type_of(*t, 0)))
                    .collect();
                let _ = write!(out, " ({})", m.join(", "));
            }
            out.push_str(".\n\n");
        }
    }

    /// The type of a named schema for its own section (not a link to itself).
    fn type_of_unlinked(&self, id: SchemaId) -> String {
        let s = self.api.schemas.merged(id);
        match s.main_type() {
            Some("array") => match s.items {
                Some(i) => format!("[{}]", self.type_of(i, 0)),
                None => "array".into(),
            },
            Some(t) => {
                let mut t = t.to_string();
                if let Some(f) = &s.format {
                    let _ = write!(t, "({f})");
                }
                inline(&t)
            }
            None => "any".into(),
        }
    }
}

/// An example shown: its media type and value.
type Shown = (String, super::tree::Value);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Path,
    Webhook,
    Callback,
}

/// An enum value for a table cell.
fn enum_text(v: &super::tree::Value) -> String {
    match v {
        super::tree::Value::String(s) => cell_text(s),
        other => cell_text(&other.to_json()),
    }
}

/// A fenced code block whose fence no line of `code` can close.
fn fence(out: &mut String, lang: &str, code: &str) {
    let code = code.replace("\r\n", "\n");
    let mut ticks = 3;
    for line in code.lines() {
        let t = line.trim_start();
        let n = t.chars().take_while(|&c| c == '`').count();
        if n >= ticks {
            ticks = n + 1;
        }
    }
    let f = "`".repeat(ticks);
    let _ = writeln!(out, "{f}{lang}\n{}\n{f}\n", code.trim_end_matches('\n'));
}

/// An example value in a code block of its media type.
fn example_block(out: &mut String, media_type: &str, v: &super::tree::Value) {
    use super::tree::Value;
    let mt = media_type.to_ascii_lowercase();
    if samples::is_json(&mt) || !matches!(v, Value::String(_)) {
        fence(out, "json", &v.to_json_pretty());
    } else if let Value::String(s) = v {
        let lang = if mt.contains("xml") {
            "xml"
        } else if mt.contains("yaml") {
            "yaml"
        } else {
            ""
        };
        fence(out, lang, s);
    }
}

/// Collapses runs of blank lines and ends with one newline.
fn tidy(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    let mut in_fence: Option<String> = None;
    for line in s.lines() {
        let t = line.trim_start();
        if let Some(f) = &in_fence {
            if t.starts_with(f.as_str()) && t.trim_end().chars().all(|c| c == '`') {
                in_fence = None;
            }
            out.push_str(line);
            out.push('\n');
            blank = 0;
            continue;
        }
        if t.starts_with("```") {
            let n = t.chars().take_while(|&c| c == '`').count();
            in_fence = Some("`".repeat(n));
        }
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end().to_string();
    trimmed + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_operations_group_by_first_segment() {
        assert_eq!(path_group("/v1/charges/{charge}"), "charges");
        assert_eq!(path_group("/api/2.0/users"), "users");
        assert_eq!(path_group("/{id}"), "default");
        assert_eq!(path_group("/pets"), "pets");
    }

    #[test]
    fn fences_outlast_backticks_in_code() {
        let mut out = String::new();
        fence(&mut out, "shell", "echo\n```\n");
        assert_eq!(out, "````shell\necho\n```\n````\n\n");
    }

    #[test]
    fn yaml_scalars_quote_when_needed() {
        assert_eq!(yaml_scalar("Swagger Petstore"), "Swagger Petstore");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("a: b #c"), "\"a: b #c\"");
        assert_eq!(yaml_scalar("1.0.0"), "\"1.0.0\"");
    }
}
