//! Escaping for text placed into HTML outside the template engine.

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and
/// in quoted attribute values, in HTML and XML. Control characters other than
/// tab and line breaks, which XML forbids and HTML reports as errors, are
/// dropped.
pub fn escape(text: &str) -> String {
    let mut escaped = String::new();
    escape_into(&mut escaped, text);
    escaped
}

/// `escape`, appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most text has nothing to escape: copy the runs between special bytes.
    let mut run = 0;
    while let Some(at) = next_special(bytes, run) {
        if run == 0 {
            out.reserve(text.len() + text.len() / 8);
        }
        out.push_str(&text[run..at]);
        out.push_str(replacement(bytes[at]));
        run = at + 1;
    }
    out.push_str(&text[run..]);
}

/// Text escaped as by `escape`, written where it is formatted instead of
/// into a string of its own.
pub struct Escaped<'a>(pub &'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let (text, mut run) = (self.0, 0);
        while let Some(at) = next_special(text.as_bytes(), run) {
            f.write_str(&text[run..at])?;
            f.write_str(replacement(text.as_bytes()[at]))?;
            run = at + 1;
        }
        f.write_str(&text[run..])
    }
}

/// What `escape` writes for a byte it replaces or drops.
fn replacement(byte: u8) -> &'static str {
    match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => "",
    }
}

/// Where the first byte that `escape` replaces or drops is, from `from` on.
/// Eight bytes at a time: a word with none of them is passed over whole.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let each = |byte: u8| ONES * u64::from(byte);
    // High bits where a byte of `word` is less than `n` (n <= 128); none
    // when no byte is.
    let less_than = |word: u64, n: u8| word.wrapping_sub(each(n)) & !word & HIGHS;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        // A byte ORed with 5 is 0x27 for `"`, `#`, `&` and `'`; ORed with 2,
        // it is 0x3e for `<` and `>`: found as zero bytes after an XOR. `#`
        // passes the test, and the bytes are looked at one by one.
        let found = less_than(word, 0x20)
            | less_than((word | each(0x05)) ^ each(0x27), 1)
            | less_than((word | each(0x02)) ^ each(0x3e), 1);
        if found != 0 {
            if let Some(i) = chunk.iter().position(|b| SPECIAL[usize::from(*b)]) {
                return Some(at + i);
            }
        }
        at += 8;
    }
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|b| SPECIAL[usize::from(*b)])
        .map(|i| at + i)
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
/// `json_for_script`.
pub(crate) fn json_bytes(value: &impl serde::Serialize, pretty: bool) -> Vec<u8> {
    use std::io::Write;
    // serde_json writes a few bytes at a time: the JSON is escaped once it
    // is whole.
    let mut json = Vec::new();
    let written = if pretty {
        serde_json::to_writer_pretty(&mut json, value)
    } else {
        serde_json::to_writer(&mut json, value)
    };
    // Only maps with keys that are not strings fail, and no caller has one.
    if written.is_err() {
        return b"null".to_vec();
    }
    if memchr::memchr3(b'<', b'>', b'&', &json).is_none() {
        return json;
    }
    let mut escaped = Vec::with_capacity(json.len() + json.len() / 8);
    // Writing into a Vec cannot fail.
    let _ = MarkupEscaped(&mut escaped).write_all(&json);
    escaped
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
        // Timeline data runs to tens of megabytes: searched a word at a time.
        while let Some(at) = memchr::memchr3(b'<', b'>', b'&', rest) {
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
    use super::escape;

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

    proptest::proptest! {
        #[test]
        fn escaping_a_word_at_a_time_matches_a_byte_at_a_time(
            text in "[a-z#%=?;& <>\"'\t\n\r\u{0}-\u{1f}\u{7f}é€😀]{0,40}",
        ) {
            let mut expected = String::new();
            for c in text.chars() {
                match c {
                    '&' => expected.push_str("&amp;"),
                    '<' => expected.push_str("&lt;"),
                    '>' => expected.push_str("&gt;"),
                    '"' => expected.push_str("&quot;"),
                    '\'' => expected.push_str("&#39;"),
                    '\t' | '\n' | '\r' => expected.push(c),
                    c if u32::from(c) < 0x20 => {}
                    c => expected.push(c),
                }
            }
            proptest::prop_assert_eq!(escape(&text), expected);
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"</script> & "a" 'b'"#),
            "&lt;/script&gt; &amp; &quot;a&quot; &#39;b&#39;"
        );
    }
}
