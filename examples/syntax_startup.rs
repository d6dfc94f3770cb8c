//! Startup cost of syntax coverage: the time to load the syntax set (on the first
//! highlighted block), then to highlight the first block of each language (syntect
//! compiles a syntax's regexes lazily, on first use).
//!
//!     cargo run --release --example syntax_startup

use std::time::Instant;

use shale::highlight::{classify_fence, render_block};

const BLOCKS: &[(&str, &str)] = &[
    ("http", "GET /v1/users HTTP/1.1\nHost: api.example.com\nAccept: application/json\n"),
    ("typescript", "interface User { id: number; name: string }\nconst u: User = { id: 1, name: \"a\" };\n"),
    ("swift", "let url = URL(string: \"https://api.example.com\")!\nfunc f(x: Int) -> Int { return x * 2 }\n"),
    ("kotlin", "val client = OkHttpClient()\nfun main() { println(\"hi\") }\n"),
    ("powershell", "$r = Invoke-RestMethod -Uri 'https://api.example.com' -Method Get\nWrite-Output $r\n"),
    ("toml", "[server]\nport = 8080\nname = \"api\"\n"),
    ("graphql", "query { user(id: 1) { name email } }\n"),
    ("dart", "void main() { var x = 1; print('x: $x'); }\n"),
    ("dockerfile", "FROM rust:1.80\nRUN cargo build --release\nCMD [\"./app\"]\n"),
    ("protobuf", "syntax = \"proto3\";\nmessage User { int64 id = 1; string name = 2; }\n"),
    ("elixir", "defmodule Api do\n  def get(id), do: {:ok, id}\nend\n"),
    ("csharp", "var client = new HttpClient();\npublic class User { public int Id { get; set; } }\n"),
    ("objective_c", "NSURL *url = [NSURL URLWithString:@\"https://api.example.com\"];\n"),
];

fn main() {
    let mut out = String::new();
    let t = Instant::now();
    // A plain-text block loads nothing; a shell block loads the syntax set.
    let (fence, _) = classify_fence("shell", "curl https://api.example.com\n");
    render_block(&fence, "curl https://api.example.com\n", &mut out);
    println!(
        "{:<12} {:>8.2} ms  (syntax set load + first shell block)",
        "load",
        ms(t)
    );
    let mut total = 0.0;
    for (lang, code) in BLOCKS {
        let (fence, _) = classify_fence(lang, code);
        out.clear();
        let t = Instant::now();
        render_block(&fence, code, &mut out);
        let first = ms(t);
        out.clear();
        let t = Instant::now();
        render_block(&fence, code, &mut out);
        let second = ms(t);
        total += first;
        let spans = out.matches("<span").count();
        println!(
            "{lang:<12} {first:>8.2} ms first, {second:>6.3} ms again  (lexer {}, {spans} spans)",
            fence.lexer
        );
    }
    println!(
        "{:<12} {total:>8.2} ms  (first blocks of the 13 languages)",
        "all"
    );
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
