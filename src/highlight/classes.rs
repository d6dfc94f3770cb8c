//! Mapping syntect scopes to Rouge/Pygments short token classes (`k`, `s2`,
//! `nl`, ...), so that Slate stylesheets that target `.highlight .nb` and
//! the like keep working.
//!
//! A text run gets its class from its scope stack, read from the innermost
//! scope outwards: the first scope that a rule matches (longest matching
//! prefix; the language's own rules first, then the generic ones) decides.
//! Some scopes only describe a delimiter (`punctuation.definition.string`,
//! the `.` of a float) and defer to the scope around them, so `"id"` is one
//! token as in Rouge.

use syntect::parsing::Scope;

use super::rouge_lexers::SHELL_BUILTINS;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What a rule says about a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// This class.
    Class(&'static str),
    /// Plain text: no class, stop looking.
    Plain,
    /// Look at the enclosing scopes; use the fallback if none decides.
    Defer(Option<&'static str>),
    /// This class for the whole scope, whatever the scopes inside it say
    /// (Rouge lexes `<?xml ...?>` and `<!DOCTYPE ...>` as one token).
    Whole(&'static str),
    /// A shell command word: `nb` if Rouge's shell lexer lists it as a
    /// builtin, else plain.
    ShellCommand,
}

use Action::{Class as C, Defer as D, Plain as P};

/// A list of (scope prefix, action) rules.
type RuleTable = &'static [(&'static str, Action)];

/// Rules compiled to scopes.
type Compiled = Vec<(Scope, Action)>;

/// Rules for every language, as (scope prefix, action).
const GENERIC: &[(&str, Action)] = &[
    ("comment.block.documentation", C("cm")),
    ("comment.line", C("c1")),
    ("comment.block", C("cm")),
    ("comment", C("c")),
    ("punctuation.definition.comment", D(Some("c"))),
    ("punctuation.definition.string", D(Some("s"))),
    ("punctuation.definition.variable", D(Some("nv"))),
    ("punctuation.definition.tag", D(Some("nt"))),
    ("punctuation.definition.annotation", D(Some("nd"))),
    ("punctuation.definition.entity", D(Some("ni"))),
    ("punctuation.definition", D(Some("p"))),
    ("punctuation.terminator.entity", D(Some("ni"))),
    ("punctuation.separator.decimal", D(None)),
    ("punctuation.separator.continuation", C("se")),
    ("punctuation.section.interpolation", C("si")),
    ("punctuation.section.embedded", C("cp")),
    ("punctuation", C("p")),
    ("string.regexp", C("sr")),
    ("string.quoted.single", C("s1")),
    ("string.quoted.double", C("s2")),
    ("string.interpolated", C("sb")),
    ("string.unquoted.heredoc", C("sh")),
    ("string.unquoted", C("s")),
    ("string.other.link", C("sx")),
    ("string", C("s")),
    ("constant.numeric.integer.hexadecimal", C("mh")),
    ("constant.numeric.integer.octal", C("mo")),
    ("constant.numeric.integer.binary", C("mb")),
    ("constant.numeric.integer", C("mi")),
    ("constant.numeric.float", C("mf")),
    ("constant.numeric", C("m")),
    ("constant.language", C("kc")),
    ("constant.character.escape", C("se")),
    ("constant.character.entity", C("ni")),
    ("constant.character", C("sc")),
    ("constant.other.symbol", C("ss")),
    ("constant.other.placeholder", C("si")),
    ("constant.other.color", C("mh")),
    ("constant", C("no")),
    ("keyword.operator.word", C("ow")),
    ("keyword.operator", C("o")),
    ("keyword.control.import", C("kn")),
    ("keyword.declaration", C("kd")),
    ("keyword", C("k")),
    ("storage.type.function", C("kd")),
    ("storage.type.class", C("kd")),
    ("storage.type.struct", C("kd")),
    ("storage.type.interface", C("kd")),
    ("storage.type.enum", C("kd")),
    ("storage.type.trait", C("kd")),
    ("storage.type", C("kt")),
    ("storage.modifier", C("kd")),
    ("storage", C("k")),
    ("entity.name.function", C("nf")),
    ("entity.name.class", C("nc")),
    ("entity.name.struct", C("nc")),
    ("entity.name.type", C("nc")),
    ("entity.name.enum", C("nc")),
    ("entity.name.interface", C("nc")),
    ("entity.name.trait", C("nc")),
    ("entity.name.impl", C("nc")),
    ("entity.name.namespace", C("nn")),
    ("entity.name.module", C("nn")),
    ("entity.name.tag", C("nt")),
    ("entity.name.label", C("nl")),
    ("entity.name.constant", C("no")),
    ("entity.name.exception", C("ne")),
    ("entity.name.section", C("gh")),
    ("entity.name", C("n")),
    ("entity.other.attribute-name", C("na")),
    ("entity.other.inherited-class", C("nc")),
    ("support.function", C("nb")),
    ("support.class", C("nc")),
    ("support.type.property-name", C("nl")),
    ("support.type", C("kt")),
    ("support.constant", C("nb")),
    ("support", C("nb")),
    ("variable.parameter.option", C("nt")),
    ("variable.parameter", C("nv")),
    ("variable.language", C("bp")),
    ("variable.function", C("nf")),
    ("variable.annotation", C("nd")),
    ("variable.other.constant", C("no")),
    ("variable.other.readwrite.instance", C("vi")),
    ("variable.other.readwrite.global", C("vg")),
    ("variable.other.readwrite.class", C("vc")),
    ("variable", C("nv")),
    ("markup.heading", C("gh")),
    ("markup.inserted", C("gi")),
    ("markup.deleted", C("gd")),
    ("markup.changed", C("gu")),
    ("markup.bold", C("gs")),
    ("markup.italic", C("ge")),
    ("markup.raw", C("sb")),
    ("meta.diff.header", C("gh")),
    ("meta.diff.range", C("gu")),
    ("meta.preprocessor", C("cp")),
    ("meta.tag.sgml.doctype", Action::Whole("cp")),
    ("meta.tag.preprocessor", Action::Whole("cp")),
    ("invalid", C("err")),
];

/// Per-language adjustments towards what Rouge's own lexer emits, keyed by
/// Rouge tag. Checked before [`GENERIC`].
const OVERRIDES: &[(&[&str], RuleTable)] = &[
    (
        &["shell", "console"],
        &[
            ("comment", C("c")),
            ("storage.modifier", C("nb")),
            ("string.unquoted", P),
            ("keyword.operator.logical.pipe", P),
            ("punctuation.section.expansion", C("k")),
            ("variable.function", Action::ShellCommand),
            ("support.function", Action::ShellCommand),
        ],
    ),
    (
        &["javascript", "typescript", "jsx", "tsx"],
        &[
            ("punctuation.definition.string", C("dl")),
            ("string.quoted.other", C("s2")),
            ("storage.type", C("kd")),
            ("storage.modifier", C("kd")),
            ("variable.language", C("k")),
            ("variable", C("nx")),
            ("entity.name.function", C("nx")),
            ("entity.name.class", C("nx")),
            ("entity.other.inherited-class", C("nx")),
            ("support.function", C("nx")),
            ("meta.property", C("nx")),
            ("meta.binding.name", C("nx")),
        ],
    ),
    (
        &["python"],
        &[
            ("keyword.declaration", C("k")),
            ("storage.type", C("k")),
            ("string", C("s")),
            ("comment.block.documentation", C("sd")),
            ("punctuation.definition.comment", D(Some("c1"))),
            ("meta.generic-name", D(Some("n"))),
            ("variable.function", C("n")),
            ("variable.parameter", C("n")),
            ("support.type", C("nb")),
            ("constant.language", C("bp")),
            ("keyword.operator.logical", C("ow")),
            ("meta.qualified-name", C("n")),
        ],
    ),
    (
        &["ruby"],
        &[
            ("support.class", C("no")),
            ("variable.function", C("nf")),
            ("keyword.control.import", C("nb")),
            ("punctuation.separator.key-value", C("o")),
            ("punctuation.accessor.double-colon", C("o")),
            ("keyword.declaration", C("k")),
            ("storage.type", C("k")),
        ],
    ),
    (
        &["yaml"],
        &[
            ("entity.name.tag", C("na")),
            ("punctuation.separator.key-value", C("pi")),
            ("punctuation.definition.block.sequence", C("pi")),
            ("constant.language", C("no")),
            ("constant.numeric", C("m")),
            ("comment", C("c1")),
        ],
    ),
    (
        &["html", "xml"],
        &[
            ("string", C("s")),
            ("punctuation.separator.key-value", C("na")),
            ("comment", C("c")),
        ],
    ),
    (
        &["css", "scss", "sass"],
        &[
            ("entity.other.attribute-name.class", C("nc")),
            ("entity.other.attribute-name.id", C("nf")),
            ("support.constant", C("nb")),
            ("constant.other.color", C("m")),
            ("constant.numeric", C("m")),
        ],
    ),
    (
        &["java", "kotlin", "scala"],
        &[
            ("string", C("s")),
            ("punctuation", C("o")),
            ("support.class", C("nc")),
        ],
    ),
    (
        &["go"],
        &[
            ("string", C("s")),
            ("storage.type.keyword", C("k")),
            ("keyword.declaration", C("k")),
            ("constant.numeric", C("m")),
            ("punctuation.accessor", C("o")),
        ],
    ),
    (&["json"], &[("constant.numeric.float", C("mf"))]),
    (
        &["http"],
        &[
            ("keyword.operator.word", C("nf")),
            ("meta.url", C("nn")),
            ("punctuation.separator.path", D(None)),
            ("constant.language.protocol-version", C("k")),
            ("keyword.other.http-header.key", C("na")),
            ("punctuation.separator.key-value", C("p")),
            ("string.unquoted.http-header.value", C("s")),
            ("constant.numeric", C("m")),
        ],
    ),
];

/// A rule set compiled to syntect scopes.
struct Rules {
    generic: Vec<(Scope, Action)>,
    overrides: Vec<(&'static [&'static str], Compiled)>,
}

fn compile(rules: &[(&str, Action)]) -> Vec<(Scope, Action)> {
    rules
        .iter()
        .filter_map(|(s, a)| Scope::new(s).ok().map(|sc| (sc, *a)))
        .collect()
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    generic: compile(GENERIC),
    overrides: OVERRIDES
        .iter()
        .map(|(tags, rules)| (*tags, compile(rules)))
        .collect(),
});

/// Longest-prefix rule of `rules` matching `scope`.
fn best(rules: &[(Scope, Action)], scope: Scope) -> Option<Action> {
    let mut found: Option<(u32, Action)> = None;
    for (prefix, action) in rules {
        if prefix.is_prefix_of(scope) {
            let len = prefix.len();
            if found.is_none_or(|(l, _)| len > l) {
                found = Some((len, *action));
            }
        }
    }
    found.map(|(_, a)| a)
}

/// Resolves scope stacks to classes for one language.
pub(crate) struct Classifier {
    overrides: Option<&'static [(Scope, Action)]>,
    /// Rule lookups already made in this block, per scope.
    cache: HashMap<Scope, Option<Action>>,
    mapping_key: Scope,
    json: bool,
}

impl Classifier {
    /// The classifier for Rouge tag `tag`.
    pub(crate) fn new(tag: &str) -> Self {
        let rules = &*RULES;
        let overrides = rules
            .overrides
            .iter()
            .find(|(tags, _)| tags.contains(&tag))
            .map(|(_, r)| r.as_slice());
        Classifier {
            overrides,
            cache: HashMap::new(),
            mapping_key: Scope::new("meta.mapping.key").unwrap_or_default(),
            json: tag == "json",
        }
    }

    /// The class of a run of `text` under `stack` (outermost first).
    pub(crate) fn class(&mut self, stack: &[Scope], text: &str) -> Option<&'static str> {
        for &scope in stack {
            if let Some(Action::Whole(c)) = self.action(scope) {
                return Some(c);
            }
        }
        let mut class = None;
        let mut fallback = None;
        let mut depth = 0;
        for (i, &scope) in stack.iter().enumerate().rev() {
            let action = self.action(scope);
            match action {
                Some(C(c)) => {
                    class = Some(c);
                    depth = i;
                    break;
                }
                Some(P) => return fallback.or_else(|| self.whitespace(text)),
                Some(Action::ShellCommand) => {
                    let word = text.trim();
                    return if SHELL_BUILTINS.binary_search(&word).is_ok() {
                        Some("nb")
                    } else {
                        fallback.or_else(|| self.whitespace(text))
                    };
                }
                Some(D(f)) if fallback.is_none() => fallback = f,
                Some(D(_)) | Some(Action::Whole(_)) | None => {}
            }
        }
        let class = match class {
            Some(c) => c,
            None => return fallback.or_else(|| self.whitespace(text)),
        };
        // JSON object keys: Rouge's JSON lexer calls them Name.Label.
        if matches!(class, "s" | "s1" | "s2")
            && stack[..depth]
                .iter()
                .any(|s| self.mapping_key.is_prefix_of(*s))
        {
            return Some("nl");
        }
        Some(class)
    }

    /// The rule for one scope (cached for the block).
    fn action(&mut self, scope: Scope) -> Option<Action> {
        let overrides = self.overrides;
        *self.cache.entry(scope).or_insert_with(|| {
            overrides
                .and_then(|o| best(o, scope))
                .or_else(|| best(&RULES.generic, scope))
        })
    }

    /// Unclassified text: Rouge's JSON lexer marks whitespace `w`.
    pub(crate) fn whitespace(&self, text: &str) -> Option<&'static str> {
        if self.json && !text.is_empty() && text.bytes().all(|b| b.is_ascii_whitespace()) {
            Some("w")
        } else {
            None
        }
    }
}
