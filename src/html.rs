//! Escaping for text placed into HTML outside the template engine.

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and
/// in quoted attribute values, in HTML and XML. Control characters other than
/// tab and line breaks, which XML forbids and HTML reports as errors, are
/// dropped.
pub fn escape(text: &str) -> String {
    let mut rest = text;
    let mut escaped = String::new();
    // Most text has nothing to escape: copy the runs between special bytes.
    while let Some(at) = rest.bytes().position(|b| SPECIAL[usize::from(b)]) {
        if escaped.is_empty() {
            escaped.reserve(text.len() + text.len() / 8);
        }
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

/// The bytes `escape` replaces or drops.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = !matches!(byte as u8, b'\t' | b'\n' | b'\r');
        byte += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table
};

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
pub fn json_for_script(value: &impl serde::Serialize) -> String {
    text(json_bytes(value, false))
}

/// A JSON file, indented, with `<`, `>` and `&` escaped as in
/// `json_for_script`, so it stays inert even if a server sends it as HTML.
pub fn json_file(value: &impl serde::Serialize) -> String {
    let mut bytes = json_bytes(value, true);
    bytes.push(b'\n');
    text(bytes)
}

/// Data only scripts read, escaped as `json_file` but not indented, written
/// to `out` as it is made, however large.
pub(crate) fn write_json_data(
    value: &impl serde::Serialize,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write;
    // serde_json writes a few bytes at a time: they are gathered before
    // they are escaped and passed on.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, MarkupEscaped(out));
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// JSON, compact or indented, with `<`, `>` and `&` escaped as in
/// `json_for_script`; serialised straight into the bytes, however large.
pub(crate) fn json_bytes(value: &impl serde::Serialize, pretty: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let out = MarkupEscaped(&mut bytes);
    let written = if pretty {
        serde_json::to_writer_pretty(out, value)
    } else {
        serde_json::to_writer(out, value)
    };
    // Only maps with keys that are not strings fail, and no caller has one.
    match written {
        Ok(()) => bytes,
        Err(_) => b"null".to_vec(),
    }
}

/// serde_json writes UTF-8, and escaping ASCII keeps it so.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|_| "null".to_string())
}

/// Passes JSON on with `<`, `>` and `&` written as `\u` escapes. Outside
/// strings JSON has none of them, and inside strings the escapes mean the
/// same; being ASCII, they are never part of a longer UTF-8 sequence.
struct MarkupEscaped<W>(W);

impl<W: std::io::Write> std::io::Write for MarkupEscaped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.0.write_all(&rest[..at])?;
            self.0.write_all(match rest[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
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
