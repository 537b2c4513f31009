//! Front matter: `frontmatter::split`, `frontmatter::key_positions` and
//! `frontmatter::parse` into every typed matter (article, profile, page).
//!
//! Besides "never panics, never hangs", it checks:
//! - `split` returns `Ok(None)` exactly when the first line (after a BOM) is
//!   not `---`, and an error exactly when that fence is never closed;
//! - the YAML block and the body are slices of the input, the YAML block
//!   starts on line 2 and `body_line` is the file line the body starts on;
//! - every key position lies within the YAML block's lines;
//! - a parse error carries at least one diagnostic, each on a line of the
//!   front matter or its closing fence (lines end at `\n`, even where YAML
//!   also breaks them at a lone `\r`);
//! - a successful parse only holds keys the typed struct knows.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsdigest::frontmatter::{self, ArticleMatter, PageMatter, ProfileMatter, Split};
use serde::de::DeserializeOwned;

fuzz_target!(|data: &[u8]| {
    // Content files are read as UTF-8 text; anything else is refused earlier.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let unbommed = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = unbommed.split('\n').next().unwrap_or_default();
    let opened = first_line.trim_end() == "---";
    let split = match frontmatter::split(text) {
        Ok(None) => {
            assert!(!opened, "an opening fence was not recognised");
            return;
        }
        Err((line, message)) => {
            assert!(opened, "an error without an opening fence: {message}");
            assert_eq!(line, 1, "an unclosed fence is reported on line 1");
            let closed = unbommed
                .split('\n')
                .skip(1)
                .any(|l| matches!(l.trim_end(), "---" | "..."));
            assert!(!closed, "a closed fence was reported unclosed");
            return;
        }
        Ok(Some(split)) => split,
    };
    assert!(opened, "front matter found without an opening fence");
    check_split(text, &split);

    // Lines as this crate counts them: `\n` ends one (YAML also breaks at a
    // lone `\r`, NEL, LS and PS; diagnostics must still name a file line).
    let total_lines = text.split('\n').count();
    let yaml_lines = split.yaml.lines().count();
    for (key, line) in frontmatter::key_positions(split.yaml, split.yaml_line) {
        assert!(
            (split.yaml_line..split.yaml_line + yaml_lines.max(1)).contains(&line),
            "key {key:?} placed on line {line}, outside the YAML block"
        );
    }

    // The closing fence is the last line of the front matter.
    let last_line = (split.body_line - 1).min(total_lines);
    check_parse::<ArticleMatter>(&split, last_line);
    check_parse::<ProfileMatter>(&split, last_line);
    check_parse::<PageMatter>(&split, last_line);
});

/// Offset of `part` inside `whole`; panics if `part` is not a slice of it.
fn offset_in(whole: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize;
    let base = whole.as_ptr() as usize;
    assert!(
        start >= base && start + part.len() <= base + whole.len(),
        "a part of the split is not a slice of the input"
    );
    start - base
}

fn check_split(text: &str, split: &Split<'_>) {
    let yaml_at = offset_in(text, split.yaml);
    let body_at = offset_in(text, split.body);
    assert!(yaml_at + split.yaml.len() <= body_at, "YAML and body overlap");
    assert_eq!(body_at + split.body.len(), text.len(), "the body runs to the end");
    assert_eq!(split.yaml_line, 2);
    assert_eq!(
        text[..yaml_at].matches('\n').count() + 1,
        split.yaml_line,
        "yaml_line is not the line the YAML starts on"
    );
    // When the closing fence ends the file without a newline, the body is
    // empty and has no line of its own; otherwise body_line is exact.
    if text[..body_at].ends_with('\n') {
        assert_eq!(
            text[..body_at].matches('\n').count() + 1,
            split.body_line,
            "body_line is not the line the body starts on"
        );
    } else {
        assert!(split.body.is_empty());
    }
}

fn check_parse<T: DeserializeOwned>(split: &Split<'_>, last_line: usize) {
    let path = Path::new("content/articles/2018/2018-06-19-fuzz.md");
    match frontmatter::parse::<T>(path, split) {
        Ok((_, mapping)) => {
            let known = frontmatter::field_names::<T>();
            for key in mapping.keys() {
                let name = key.as_str();
                assert!(
                    name.is_some_and(|n| known.contains(&n)),
                    "accepted an unknown key {key:?}"
                );
            }
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error without a diagnostic");
            for d in &diagnostics {
                assert_eq!(d.path, path);
                assert!(
                    (1..=last_line).contains(&d.line),
                    "diagnostic on line {}, past the front matter (last line {last_line}): {d}",
                    d.line
                );
                assert!(d.column >= 1);
            }
        }
    }
}
