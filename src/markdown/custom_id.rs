//! Custom heading ids, a shale extension: `## Create a charge {#create-charge}` gives
//! the heading the id `create-charge`, and the suffix is not part of its text. Slate
//! keeps such a suffix as text; sources written for Slate practically never end a
//! heading with `{#…}`.

/// What the end of a heading's text says about its id.
#[derive(Debug, PartialEq, Eq)]
pub enum Suffix {
    /// No `{#…}` suffix: Slate's id.
    None,
    /// The id, and where the heading's text ends without the suffix.
    Id(String, usize),
    /// A suffix whose id is not one: what is wrong.
    Invalid(String),
}

/// Reads the `{#id}` at the end of `text` (a heading's text, trailing spaces and `#`s
/// already trimmed). The suffix counts when spaces separate it from some text before it.
pub fn suffix(text: &[u8]) -> Suffix {
    let Some(body) = text.strip_suffix(b"}") else {
        return Suffix::None;
    };
    let Some(open) = body.windows(2).rposition(|w| w == b"{#") else {
        return Suffix::None;
    };
    let inner = &body[open + 2..];
    if inner.contains(&b'{') || inner.contains(&b'}') {
        return Suffix::None;
    }
    let before = &text[..open];
    let end = before.len() - before.iter().rev().take_while(|&&b| b == b' ').count();
    if end == before.len() || end == 0 {
        return Suffix::None;
    }
    let id = String::from_utf8_lossy(inner).into_owned();
    match check(&id) {
        Ok(()) => Suffix::Id(id, end),
        Err(why) => Suffix::Invalid(why),
    }
}

/// An id is letters, digits, `-`, `_`, `.` and `:`.
fn check(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the heading ends with `{#}`: a custom id is missing; write one, such as `{#create-charge}`, or remove the braces".into());
    }
    match id
        .chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
    {
        Some(c) => Err(format!(
            "the custom id `{{#{id}}}` has {c:?}: an id is letters, digits, `-`, `_`, `.` and `:`; write it without that character"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_suffix() {
        assert_eq!(
            suffix(b"Create a charge {#create-charge}"),
            Suffix::Id("create-charge".into(), 15)
        );
        assert_eq!(suffix(b"A  {#v1.2:x_y}"), Suffix::Id("v1.2:x_y".into(), 1));
        assert_eq!(suffix(b"Create a charge"), Suffix::None);
        assert_eq!(suffix(b"{#alone}"), Suffix::None, "no text before it");
        assert_eq!(suffix(b"Glued{#x}"), Suffix::None, "no space before it");
        assert_eq!(suffix(b"Set {a} {b}"), Suffix::None);
        assert!(matches!(suffix(b"Bad {#a b}"), Suffix::Invalid(m) if m.contains("' '")));
        assert!(matches!(suffix(b"Bad {#a\"b}"), Suffix::Invalid(_)));
        assert!(matches!(suffix(b"Empty {#}"), Suffix::Invalid(m) if m.contains("missing")));
    }
}
