//! Escaping for text placed into HTML outside the template engine.

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and
/// in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"</script> & "a" 'b'"#),
            "&lt;/script&gt; &amp; &quot;a&quot; &#39;b&#39;"
        );
    }
}
