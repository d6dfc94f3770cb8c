//! The little Ruby that Middleman templates and `config.rb` lines use around helpers:
//! literals (`'x'`, `"x"`, `:x`, `:"x"`, `12`, `1.5`, `true`, `false`, `nil`, `[…]`,
//! `{…}`), method calls with or without parentheses (`t(:key)`, `image_tag "x.png",
//! alt: "X"`), receivers (`current_page.data.title`, `I18n.t`), index (`data[:x]`),
//! keyword arguments in both hash syntaxes (`alt: "x"`, `:alt => "x"`, `"data-x" =>
//! 1`), `a || b`, and a trailing `do` (a block). Anything else is an error that says
//! what was not understood; nothing is evaluated here (see [`super`]).

use std::fmt;

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    Sym(String),
    /// A number as written (`12`, `-1.5`): Ruby prints it the same way.
    Num(String),
    Bool(bool),
    Nil,
    Array(Vec<Expr>),
    Hash(Vec<(Expr, Expr)>),
    /// A chain of method calls and indexes: `current_page.data.title`, `t(:x)`,
    /// `::I18n.t("a")`, `current_page.data[:x]`.
    Chain(Vec<Link>),
    /// `a || b`.
    Or(Box<Expr>, Box<Expr>),
}

/// One step of a [`Expr::Chain`].
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// A name, with its arguments when called with any (`t(:x)`, `partial "x"`).
    Call { name: String, args: Option<Args> },
    /// `[key]`.
    Index(Expr),
}

/// The arguments of a call: positional ones, then keyword ones (Ruby collects these
/// into a trailing hash, in order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Args {
    pub positional: Vec<Expr>,
    pub keywords: Vec<(Expr, Expr)>,
}

/// A statement of an ERB tag: the expression, and whether it opens a block (`do`).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub expr: Expr,
    pub block: bool,
}

/// What could not be read, and where (byte offset in the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Expr {
    /// The names of a chain of plain names (`current_page.data.title` →
    /// `["current_page", "data", "title"]`), or `None`.
    pub fn call_name(&self) -> Option<(&str, Option<&Args>)> {
        match self {
            Expr::Chain(links) => match links.last()? {
                Link::Call { name, args } => Some((name.as_str(), args.as_ref())),
                Link::Index(_) => None,
            },
            _ => None,
        }
    }

    /// The receiver names before the last call of a chain (`I18n.t` → `["I18n"]`),
    /// when they are all plain names without arguments.
    pub fn receivers(&self) -> Option<Vec<&str>> {
        let Expr::Chain(links) = self else {
            return None;
        };
        links[..links.len().saturating_sub(1)]
            .iter()
            .map(|l| match l {
                Link::Call { name, args: None } => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Parses the code of an ERB tag (or a `config.rb` statement): one expression, with an
/// optional trailing `do` or `do |x|`.
pub fn parse_statement(code: &str) -> Result<Statement, ParseError> {
    let mut p = Parser {
        s: code,
        i: 0,
        depth: 0,
    };
    p.skip_space(true);
    if p.at_end() {
        return Err(p.error("nothing to evaluate"));
    }
    let expr = p.expr(true)?;
    p.skip_space(true);
    let block = p.keyword("do");
    if block {
        p.skip_space(true);
        if p.eat("|") {
            match p.rest().find('|') {
                Some(n) => p.i += n + 1,
                None => return Err(p.error("a block's `|` is not closed")),
            }
            p.skip_space(true);
        }
    }
    if !p.at_end() {
        return Err(p.error(&format!(
            "`{}` is not Ruby that shale understands",
            p.rest().trim().chars().take(30).collect::<String>()
        )));
    }
    Ok(Statement { expr, block })
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    /// Expressions being read inside one another.
    depth: usize,
}

/// Expressions nested deeper than this are refused (no template needs it, and the
/// reader must not exhaust the stack on hostile input).
const MAX_DEPTH: usize = 64;

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError {
            at: self.i,
            message: message.to_string(),
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        if self.rest().starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    /// A keyword (`do`, `true`) not followed by a name character.
    fn keyword(&mut self, k: &str) -> bool {
        let r = self.rest();
        if r.starts_with(k) && !r[k.len()..].starts_with(is_ident) {
            self.i += k.len();
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs, and line breaks when `lines` (inside brackets, or after
    /// a comma).
    fn skip_space(&mut self, lines: bool) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || (lines && (c == '\n' || c == '\r')) {
                self.i += c.len_utf8();
            } else if c == '\\' && self.peek2() == Some('\n') {
                self.i += 2;
            } else {
                break;
            }
        }
    }

    /// `a || b || c`.
    fn expr(&mut self, command: bool) -> Result<Expr, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(&format!("expressions nest more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let e = self.or_expr(command);
        self.depth -= 1;
        e
    }

    fn or_expr(&mut self, command: bool) -> Result<Expr, ParseError> {
        let mut left = self.primary(command)?;
        let mut operands = 1;
        loop {
            let save = self.i;
            self.skip_space(false);
            if self.eat("||") {
                operands += 1;
                if operands > MAX_DEPTH {
                    return Err(
                        self.error(&format!("`||` expressions nest more than {MAX_DEPTH} deep"))
                    );
                }
                self.skip_space(true);
                let right = self.primary(command)?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                self.i = save;
                return Ok(left);
            }
        }
    }

    /// A literal or a chain. `command`: a call without parentheses may take
    /// arguments here (`link_to "a", "b"`), as Ruby allows for the outermost call and
    /// for the last argument of one.
    fn primary(&mut self, command: bool) -> Result<Expr, ParseError> {
        let Some(c) = self.peek() else {
            return Err(self.error("an expression is missing"));
        };
        match c {
            '\'' | '"' => self.string().map(Expr::Str),
            ':' if self.peek2() == Some(':') => self.chain(command),
            ':' => self.symbol(),
            '[' => self.array(),
            '{' => {
                self.i += 1;
                let mut args = Args::default();
                self.arguments(&mut args, Some('}'))?;
                if !args.positional.is_empty() {
                    return Err(self.error("a hash `{…}` holds `key: value` pairs only"));
                }
                Ok(Expr::Hash(args.keywords))
            }
            '-' | '0'..='9' => self.number(),
            c if is_ident_start(c) => {
                for (k, v) in [
                    ("true", Expr::Bool(true)),
                    ("false", Expr::Bool(false)),
                    ("nil", Expr::Nil),
                ] {
                    if self.keyword(k) {
                        return Ok(v);
                    }
                }
                self.chain(command)
            }
            _ => Err(self.error(&format!("`{c}` is not Ruby that shale understands"))),
        }
    }

    /// `:name` or `:"text"` (the `:` not yet read).
    fn symbol(&mut self) -> Result<Expr, ParseError> {
        self.i += 1;
        match self.peek() {
            Some('"') | Some('\'') => self.string().map(Expr::Sym),
            Some(c) if is_ident_start(c) => {
                let mut name = self.ident();
                if let Some(c @ ('?' | '!' | '=')) = self.peek() {
                    if c != '=' || self.peek2() != Some('>') {
                        self.i += 1;
                        name.push(c);
                    }
                }
                Ok(Expr::Sym(name))
            }
            _ => Err(self.error("`:` must start a symbol such as `:title`")),
        }
    }

    /// `[a, b]`.
    fn array(&mut self) -> Result<Expr, ParseError> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space(true);
            if self.eat("]") {
                return Ok(Expr::Array(items));
            }
            items.push(self.expr(false)?);
            self.skip_space(true);
            if !self.eat(",") {
                self.skip_space(true);
                if !self.eat("]") {
                    return Err(self.error("a list `[` is not closed with `]`"));
                }
                return Ok(Expr::Array(items));
            }
        }
    }

    /// An integer or decimal, optionally negative, `_` allowed between digits.
    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.i;
        self.eat("-");
        let digits = |p: &mut Self| {
            let n = p
                .rest()
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(p.rest().len());
            p.i += n;
            n
        };
        if digits(self) == 0 {
            return Err(self.error("a number is expected"));
        }
        if self.peek() == Some('.') && self.peek2().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
            digits(self);
        }
        Ok(Expr::Num(self.s[start..self.i].replace('_', "")))
    }

    fn ident(&mut self) -> String {
        let n = self
            .rest()
            .find(|c: char| !is_ident(c))
            .unwrap_or(self.rest().len());
        let name = self.rest()[..n].to_string();
        self.i += n;
        name
    }

    /// `a.b(…).c[…]`, `::A::B.c`.
    fn chain(&mut self, command: bool) -> Result<Expr, ParseError> {
        let mut links = Vec::new();
        self.eat("::");
        loop {
            match self.peek() {
                Some(c) if is_ident_start(c) => {}
                _ => return Err(self.error("a name is expected")),
            }
            let mut name = self.ident();
            if let Some(c @ ('?' | '!')) = self.peek() {
                self.i += 1;
                name.push(c);
            }
            let mut args = None;
            if self.eat("(") {
                let mut a = Args::default();
                self.arguments(&mut a, Some(')'))?;
                args = Some(a);
            }
            links.push(Link::Call { name, args });
            while self.peek() == Some('[') {
                self.i += 1;
                self.skip_space(true);
                let key = self.expr(false)?;
                self.skip_space(true);
                if !self.eat("]") {
                    return Err(self.error("`[` is not closed with `]`"));
                }
                links.push(Link::Index(key));
            }
            if self.eat(".") || self.eat("::") {
                continue;
            }
            break;
        }
        // A command call: `name arg, arg` (a space, then something that starts an
        // argument).
        if command {
            if let Some(Link::Call {
                args: args @ None, ..
            }) = links.last_mut()
            {
                let save = self.i;
                self.skip_space(false);
                if self.i > save && self.starts_argument() {
                    let mut a = Args::default();
                    self.arguments(&mut a, None)?;
                    *args = Some(a);
                } else {
                    self.i = save;
                }
            }
        }
        Ok(Expr::Chain(links))
    }

    /// Whether the text at the cursor starts an argument of a call without
    /// parentheses (not an operator, `do`, or the end).
    fn starts_argument(&self) -> bool {
        let r = self.rest();
        match self.peek() {
            Some('\'' | '"' | '[' | '{') => true,
            Some(':') => self
                .peek2()
                .is_some_and(|c| c == '"' || c == '\'' || is_ident_start(c) || c == ':'),
            Some('-') => self.peek2().is_some_and(|c| c.is_ascii_digit()),
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if is_ident_start(c) => {
                let word = &r[..r.find(|c: char| !is_ident(c)).unwrap_or(r.len())];
                !matches!(word, "do" | "if" | "unless" | "or" | "and")
            }
            _ => false,
        }
    }

    /// Arguments up to `close` (consumed), or, without one, to the end of the
    /// statement (before `do`).
    fn arguments(&mut self, args: &mut Args, close: Option<char>) -> Result<(), ParseError> {
        let inside = close.is_some();
        self.skip_space(inside);
        if let Some(c) = close {
            if self.eat(&c.to_string()) {
                return Ok(());
            }
        }
        loop {
            self.skip_space(inside);
            // `name: value` (not `name::X`), `"name": value`.
            let save = self.i;
            let key = match self.peek() {
                Some(c) if is_ident_start(c) => {
                    let name = self.ident();
                    if self.peek() == Some(':') && self.peek2() != Some(':') {
                        self.i += 1;
                        Some(Expr::Sym(name))
                    } else {
                        None
                    }
                }
                Some('"' | '\'') => {
                    let s = self.string()?;
                    if self.peek() == Some(':') && self.peek2() != Some(':') {
                        self.i += 1;
                        Some(Expr::Sym(s))
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if key.is_none() {
                self.i = save;
            }
            match key {
                Some(k) => {
                    self.skip_space(true);
                    let v = self.expr(!inside)?;
                    args.keywords.push((k, v));
                }
                None => {
                    let e = self.expr(!inside)?;
                    self.skip_space(inside);
                    if self.eat("=>") {
                        self.skip_space(true);
                        let v = self.expr(!inside)?;
                        args.keywords.push((e, v));
                    } else if !args.keywords.is_empty() {
                        return Err(self.error("a positional argument after `key: value` ones"));
                    } else {
                        args.positional.push(e);
                    }
                }
            }
            self.skip_space(inside);
            if self.eat(",") {
                self.skip_space(true);
                continue;
            }
            return match close {
                Some(c) => {
                    self.skip_space(true);
                    if self.eat(&c.to_string()) {
                        Ok(())
                    } else {
                        Err(self.error(&format!("`{c}` is missing after the arguments")))
                    }
                }
                None => Ok(()),
            };
        }
    }

    /// A quoted string: `'…'` (only `\'` and `\\` escaped) or `"…"` (the usual
    /// escapes; `#{…}` is refused).
    fn string(&mut self) -> Result<String, ParseError> {
        let q = self.peek().unwrap_or('"');
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                self.i = start;
                return Err(self.error(&format!("a string that starts with {q} is not closed")));
            };
            self.i += c.len_utf8();
            if c == q {
                return Ok(out);
            }
            if c == '\\' {
                let Some(e) = self.peek() else { continue };
                self.i += e.len_utf8();
                if q == '\'' {
                    if e != '\'' && e != '\\' {
                        out.push('\\');
                    }
                    out.push(e);
                } else {
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        's' => ' ',
                        '0' => '\0',
                        'e' => '\u{1b}',
                        other => other,
                    });
                }
                continue;
            }
            if q == '"' && c == '#' && self.peek() == Some('{') {
                self.i -= 1;
                return Err(
                    self.error("`#{…}` inside a string is not supported; write the text out")
                );
            }
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, pos: Vec<Expr>, kw: Vec<(Expr, Expr)>) -> Expr {
        Expr::Chain(vec![Link::Call {
            name: name.into(),
            args: Some(Args {
                positional: pos,
                keywords: kw,
            }),
        }])
    }

    fn s(x: &str) -> Expr {
        Expr::Str(x.into())
    }

    fn sym(x: &str) -> Expr {
        Expr::Sym(x.into())
    }

    fn parse(code: &str) -> Expr {
        let st = parse_statement(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert!(!st.block);
        st.expr
    }

    #[test]
    fn calls_with_and_without_parentheses() {
        let img = call("image_tag", vec![s("images/a.png")], vec![]);
        assert_eq!(parse(" image_tag \"images/a.png\" "), img);
        assert_eq!(parse("image_tag('images/a.png')"), img);
        assert_eq!(parse("image_tag( 'images/a.png' )"), img);
        let with = call(
            "image_tag",
            vec![s("a.png")],
            vec![
                (sym("alt"), s("A")),
                (sym("width"), Expr::Num("100".into())),
            ],
        );
        assert_eq!(parse("image_tag 'a.png', alt: 'A', width: 100"), with);
        assert_eq!(parse("image_tag 'a.png', :alt => 'A', :width => 100"), with);
        assert_eq!(
            parse("image_tag('a.png', { alt: \"A\", \"width\": 100 })")
                .call_name()
                .unwrap()
                .0,
            "image_tag"
        );
        assert_eq!(
            parse("image_tag 'a.png', 'data-x' => 1"),
            call(
                "image_tag",
                vec![s("a.png")],
                vec![(s("data-x"), Expr::Num("1".into()))]
            )
        );
        // Nested calls: a call with parentheses, and a command call as the last argument.
        assert_eq!(
            parse("link_to image_tag(\"logo.png\"), 'https://x.io', class: 'logo'"),
            call(
                "link_to",
                vec![
                    call("image_tag", vec![s("logo.png")], vec![]),
                    s("https://x.io")
                ],
                vec![(sym("class"), s("logo"))]
            )
        );
        assert_eq!(
            parse("link_to t(:home), '/'"),
            call(
                "link_to",
                vec![call("t", vec![sym("home")], vec![]), s("/")],
                vec![]
            )
        );
    }

    #[test]
    fn receivers_symbols_indexes_and_or() {
        let e = parse("current_page.data.title");
        assert_eq!(e.receivers().unwrap(), ["current_page", "data"]);
        assert_eq!(e.call_name().unwrap(), ("title", None));
        let e = parse("::I18n.t(:\"a.b\")");
        assert_eq!(e.receivers().unwrap(), ["I18n"]);
        assert_eq!(e.call_name().unwrap().1.unwrap().positional, [sym("a.b")]);
        let e = parse("current_page.data[:title] || 'API'");
        let Expr::Or(a, b) = e else { panic!() };
        assert_eq!(*b, s("API"));
        let Expr::Chain(links) = *a else { panic!() };
        assert_eq!(links.last(), Some(&Link::Index(sym("title"))));
        assert_eq!(parse("t :key"), call("t", vec![sym("key")], vec![]));
        assert_eq!(
            parse("[1, :a, 'b']"),
            Expr::Array(vec![Expr::Num("1".into()), sym("a"), s("b")])
        );
        assert_eq!(parse("-1.5"), Expr::Num("-1.5".into()));
        assert_eq!(parse("nil"), Expr::Nil);
    }

    #[test]
    fn strings_and_blocks() {
        assert_eq!(parse(r#""a\"b\n""#), s("a\"b\n"));
        assert_eq!(parse(r"'a\'b\n'"), s("a'b\\n"));
        let st = parse_statement("link_to 'https://x.io', class: 'c' do |x|").unwrap();
        assert!(st.block);
        assert_eq!(st.expr.call_name().unwrap().0, "link_to");
        let st = parse_statement("link_to('/') do").unwrap();
        assert!(st.block);
    }

    #[test]
    fn says_what_it_does_not_understand() {
        for (code, want) in [
            ("\"#{x}\"", "`#{…}` inside a string is not supported"),
            ("'abc", "is not closed"),
            ("a + b", "`+ b` is not Ruby that shale understands"),
            ("image_tag('a'", "`)` is missing"),
            ("", "nothing to evaluate"),
            ("f(a: 1, 2)", "a positional argument after"),
        ] {
            let e = parse_statement(code).unwrap_err();
            assert!(e.message.contains(want), "{code}: {}", e.message);
        }
        // Hostile nesting is refused before it can exhaust the stack.
        for code in [
            "[".repeat(100_000),
            "t(".repeat(100_000),
            "a || ".repeat(100_000) + "a",
        ] {
            let e = parse_statement(&code).unwrap_err();
            assert!(
                e.message.contains("nest more than 64 deep"),
                "{}",
                e.message
            );
        }
    }
}
