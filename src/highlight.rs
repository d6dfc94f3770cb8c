//! TEMPORARY STUB (replaced by the real module).
#[derive(Debug, Clone)]
pub struct Fence {
    pub info: String,
    pub base: String,
    pub lexer: &'static str,
    pub pre_class: String,
    pub tab: Option<String>,
}
pub fn classify_fence(info: &str, _code: &str) -> (Fence, Option<Vec<&'static str>>) {
    let base = info.split("--").next().unwrap_or("").to_string();
    let pre = if info.is_empty() {
        "highlight plaintext".to_string()
    } else {
        format!("highlight {base} tab-{info}")
    };
    (
        Fence {
            info: info.into(),
            base,
            lexer: "plaintext",
            pre_class: pre,
            tab: None,
        },
        None,
    )
}
pub fn render_block(fence: &Fence, code: &str, out: &mut String) {
    out.push_str("<div class=\"highlight\"><pre class=\"");
    out.push_str(&fence.pre_class);
    out.push_str("\"><code>");
    crate::markdown::escape_text(out, code);
    out.push_str("</code></pre></div>");
}
pub fn has_highlighter(_lexer: &str) -> bool {
    false
}
pub fn theme_css() -> String {
    String::new()
}
