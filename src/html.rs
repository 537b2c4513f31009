//! Escaping for text placed into HTML outside the template engine.

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and
/// in quoted attribute values, in HTML and XML. Control characters other than
/// tab and line breaks, which XML forbids and HTML reports as errors, are
/// dropped.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    // Most text has nothing to escape: copy the runs between special bytes.
    while let Some(at) = rest.bytes().position(|b| {
        matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
            || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    }) {
        escaped.push_str(&rest[..at]);
        escaped.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => "",
        });
        rest = &rest[at + 1..];
    }
    escaped.push_str(rest);
    escaped
}

/// False for URLs that run code or smuggle content when followed:
/// `javascript:`, `vbscript:` and `data:`, however they are spelt.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore control characters and whitespace inside a scheme.
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take_while(|c| *c != ':' && *c != '/' && *c != '?' && *c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme =
        url.trim_start().len() > scheme.len() && url.contains(':') && !scheme.is_empty();
    !(has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data"))
}

/// JSON to place inside `<script>`: `<`, `>` and `&` are written as `\u003c`,
/// `\u003e` and `\u0026`, so no content can close the element.
pub fn json_for_script(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    escape_json_markup(&json)
}

/// A JSON file, indented, with `<`, `>` and `&` escaped as in
/// `json_for_script`, so it stays inert even if a server sends it as HTML.
pub fn json_file(value: &serde_json::Value) -> String {
    let json = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    escape_json_markup(&json) + "\n"
}

/// `<`, `>` and `&` only occur inside JSON strings, where `\u` escapes mean the same.
pub(crate) fn escape_json_markup(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn scripts_in_urls_are_caught_however_spelt() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,<b>",
        ] {
            assert!(!super::is_safe_url(bad), "{bad}");
        }
        for good in [
            "https://example.org/a:b",
            "/people/",
            "photo.jpg",
            "#top",
            "mailto:a@example.org",
            "javascript-guide/",
        ] {
            assert!(super::is_safe_url(good), "{good}");
        }
    }

    #[test]
    fn json_in_scripts_cannot_close_the_element() {
        let value = serde_json::json!({"name": "</script><script>alert(1)</script> & \"q\""});
        let json = super::json_for_script(&value);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"</script> & "a" 'b'"#),
            "&lt;/script&gt; &amp; &quot;a&quot; &#39;b&#39;"
        );
    }
}
