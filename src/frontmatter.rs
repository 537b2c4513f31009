//! Front matter: splitting a file into its YAML block and Markdown body, and
//! reading the block into typed structs with every error located by file line.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::error::Diagnostic;

/// A file cut in two. Line numbers are the file's, 1-based.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The line of the file on which the YAML block starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` at its `---` fences. A BOM and CRLF line endings are accepted.
/// A file that does not start with `---` has no front matter.
pub fn split(text: &str) -> Result<Option<Split<'_>>, (usize, String)> {
    split_fenced(text, "---", &["---", "..."])
}

/// Cuts `text` at a block that opens with the line `open` and closes with one
/// of `closes`; `Split::yaml` holds the block whatever its language.
pub fn split_fenced<'a>(
    text: &'a str,
    open: &str,
    closes: &[&str],
) -> Result<Option<Split<'a>>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != open {
        return Ok(None);
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let content = text[offset..end].trim_end();
        if closes.contains(&content) {
            return Ok(Some(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            }));
        }
        offset = end;
        line += 1;
    }
    Err((
        1,
        format!("front matter opened with `{open}` is never closed: add a line `{open}` after the last key"),
    ))
}

/// Where each top-level key of a block-style YAML mapping is written.
/// Items of a block sequence under a key are recorded as `key[0]`, `key[1]`...
pub fn key_positions(yaml: &str, yaml_line: usize) -> HashMap<String, usize> {
    let mut positions = HashMap::new();
    // The current top-level key, the indentation of its items, and their count.
    let mut current: Option<(String, Option<usize>, usize)> = None;
    for (index, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with("- ") || line.trim() == "-" {
            if let Some((key, item_indent, count)) = current.as_mut() {
                if *item_indent.get_or_insert(indent) == indent {
                    positions.insert(format!("{key}[{count}]"), yaml_line + index);
                    *count += 1;
                }
            }
            continue;
        }
        let starts_key = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '-' | '{' | '[' | '}'));
        if !starts_key {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            positions
                .entry(key.to_string())
                .or_insert(yaml_line + index);
            current = Some((key.to_string(), None, 0));
        }
    }
    positions
}

/// Reads the YAML block into `T`, reporting every bad key, not just the first.
/// `T` must use `deny_unknown_fields` and have no required fields: callers check
/// what is required themselves, with a message that fits the document kind.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    split: &Split<'_>,
) -> Result<(T, Mapping), Vec<Diagnostic>> {
    let mapping = read_mapping(path, split)?;
    deserialize(path, mapping, split.yaml_line, || {
        key_positions(split.yaml, split.yaml_line)
    })
}

/// Reads the YAML block into a mapping, with numbers under text keys as
/// written; a syntax error is located in the file.
pub fn read_mapping(path: &Path, split: &Split<'_>) -> Result<Mapping, Vec<Diagnostic>> {
    let located =
        |line: usize, column: usize, message: String| Diagnostic::new(path, line, column, message);
    if let Some((line, column)) = too_deep(split.yaml) {
        return Err(vec![located(
            split.yaml_line + line - 1,
            column,
            format!("front matter nests lists or mappings more than {MAX_NESTING} deep"),
        )]);
    }
    let value: Value = if split.yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| {
            let reason = strip_location(&e);
            // YAML also breaks lines at a lone `\r`; keep the place inside
            // the front matter (or on its closing fence) as this file's
            // lines count it.
            let last_line = split.yaml_line + split.yaml.lines().count();
            let at = e
                .location()
                .map(|l| ((split.yaml_line + l.line() - 1).min(last_line), l.column()));
            let (line, column) = duplicate_key_line(&e, split)
                .or_else(|| {
                    reason
                        .contains("repetition limit")
                        .then(|| first_alias_line(split))
                        .flatten()
                })
                .or(at)
                .unwrap_or((split.yaml_line, 1));
            let line_text = split
                .yaml
                .lines()
                .nth(line - split.yaml_line)
                .unwrap_or_default();
            let message = if reason.contains("recursion limit exceeded") {
                format!("front matter nests lists or mappings more than {MAX_NESTING} deep")
            } else if reason.contains("cannot start any token") && line_text.contains('\t') {
                format!("invalid YAML: {reason}: a tab, and YAML indents with spaces only")
            } else if reason.contains("repetition limit") {
                format!("invalid YAML: aliases (`*name`) expand to too much text: {reason}")
            } else {
                format!("invalid YAML: {reason}")
            };
            vec![located(line, column, message)]
        })?
    };
    let Value::Mapping(mut mapping) = value else {
        return Err(vec![located(
            split.yaml_line,
            1,
            "front matter must be `key: value` lines".to_string(),
        )]);
    };
    numbers_as_written(&mut mapping, split);
    Ok(mapping)
}

/// Reads a mapping into `T`; on failure, every bad key is reported at its line
/// (`positions`, asked for only then), or at `first_line` when it has none.
pub fn deserialize<T: DeserializeOwned>(
    path: &Path,
    mapping: Mapping,
    first_line: usize,
    positions: impl FnOnce() -> HashMap<String, usize>,
) -> Result<(T, Mapping), Vec<Diagnostic>> {
    let located =
        |line: usize, column: usize, message: String| Diagnostic::new(path, line, column, message);
    match T::deserialize(&Value::Mapping(mapping.clone())) {
        Ok(parsed) => Ok((parsed, mapping)),
        Err(whole_error) => {
            let positions = positions();
            let known = field_names::<T>();
            let mut diagnostics = Vec::new();
            for (key, value) in &mapping {
                let Some(name) = key.as_str() else {
                    diagnostics.push(located(first_line, 1, "keys must be text".into()));
                    continue;
                };
                let line = positions.get(name).copied().unwrap_or(first_line);
                if !known.contains(&name) {
                    let hint = nearest(name, known)
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    diagnostics.push(located(line, 1, format!("unknown key `{name}`{hint}")));
                    continue;
                }
                let mut single = Mapping::new();
                single.insert(key.clone(), value.clone());
                if let Err(e) = T::deserialize(&Value::Mapping(single)) {
                    diagnostics.push(located(
                        line,
                        1,
                        format!("`{name}`: {}", with_suggestion(strip_location(&e))),
                    ));
                }
            }
            if diagnostics.is_empty() {
                diagnostics.push(located(first_line, 1, strip_location(&whole_error)));
            }
            Err(diagnostics)
        }
    }
}

/// Deeper than any real front matter; past this the YAML parser slows down
/// sharply, so such input is refused before it is parsed.
pub const MAX_NESTING: usize = 64;

/// Where `[` and `{` first nest deeper than `MAX_NESTING` (line, column; both
/// 1-based within the YAML), outside quoted text.
pub fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    for c in yaml.chars() {
        column += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, column));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// serde_yaml names a duplicated key but not where: point at its second use.
/// The line and column of the second use of a key written twice. A nested
/// key (`image: duplicate entry...`) is looked for from where YAML stopped.
fn duplicate_key_line(error: &serde_yaml::Error, split: &Split<'_>) -> Option<(usize, usize)> {
    let message = error.to_string();
    let (path, rest) = message.split_once("duplicate entry with key \"")?;
    let key = rest.split('"').next()?;
    let nested = !path.trim().is_empty();
    let from = match (nested, error.location()) {
        (true, Some(location)) => location.line().saturating_sub(1),
        _ => 0,
    };
    split
        .yaml
        .lines()
        .enumerate()
        .skip(from)
        .filter(|(_, line)| {
            line.split_once(':').is_some_and(|(k, _)| {
                k.trim().trim_matches(['"', '\'']) == key && (nested || !line.starts_with(' '))
            })
        })
        .nth(1)
        .map(|(index, line)| {
            let indent = line.len() - line.trim_start().len();
            (split.yaml_line + index, indent + 1)
        })
}

/// Keys whose values are text, even when YAML reads them as numbers.
const TEXT_KEYS: &[&str] = &[
    "title",
    "summary",
    "dateline",
    "authors",
    "name",
    "role",
    "description",
    "slug",
];

/// Numbers under the text keys become the text as written (`title: 1.50` is
/// "1.50", not "1.5"), also in one-line and block lists.
fn numbers_as_written(mapping: &mut Mapping, split: &Split<'_>) {
    let has_number = |value: &Value| match value {
        Value::Number(_) => true,
        Value::Sequence(items) => items.iter().any(Value::is_number),
        _ => false,
    };
    // Almost every file has none: skip the line scan.
    if !TEXT_KEYS
        .iter()
        .any(|key| mapping.get(*key).is_some_and(has_number))
    {
        return;
    }
    let lines: Vec<&str> = split.yaml.lines().collect();
    let positions = key_positions(split.yaml, split.yaml_line);
    let raw_line = |key: &str| {
        let line = *positions.get(key)?;
        lines.get(line.checked_sub(split.yaml_line)?).copied()
    };
    let after_colon = |line: &str| -> String {
        let value = line.split_once(':').map_or("", |(_, v)| v);
        let value = value.split(" #").next().unwrap_or(value);
        value.trim().trim_start_matches("- ").trim().to_string()
    };
    for key in TEXT_KEYS {
        match mapping.get_mut(*key) {
            Some(value @ Value::Number(_)) => {
                if let Some(line) = raw_line(key) {
                    *value = Value::String(after_colon(line));
                }
            }
            Some(Value::Sequence(items)) => {
                let inline = raw_line(key).map(after_colon).unwrap_or_default();
                let written: Vec<String> = match inline.strip_prefix('[') {
                    Some(list) => list
                        .trim_end_matches(']')
                        .split(',')
                        .map(|item| item.trim().to_string())
                        .collect(),
                    None => (0..items.len())
                        .map(|i| {
                            raw_line(&format!("{key}[{i}]"))
                                .map(|line| {
                                    let item = line.trim_start().trim_start_matches('-');
                                    item.split(" #").next().unwrap_or(item).trim().to_string()
                                })
                                .unwrap_or_default()
                        })
                        .collect(),
                };
                for (item, text) in items.iter_mut().zip(written) {
                    if item.is_number() && !text.is_empty() {
                        *item = Value::String(text);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Where the first alias (`*name`) is used.
fn first_alias_line(split: &Split<'_>) -> Option<(usize, usize)> {
    split.yaml.lines().enumerate().find_map(|(index, line)| {
        let bytes = line.as_bytes();
        (0..bytes.len())
            .find(|&i| {
                bytes[i] == b'*'
                    && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b','))
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            })
            .map(|i| (split.yaml_line + index, i + 1))
    })
}

pub fn strip_location(error: &serde_yaml::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// serde's message about a nested unknown field or variant lists what it
/// expected; this adds the nearest of those to what was written.
fn with_suggestion(message: String) -> String {
    let Some((_, rest)) = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))
    else {
        return message;
    };
    let written = rest.split('`').next().unwrap_or_default();
    let expected: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    match nearest(written, &expected) {
        Some(near) if near != written => format!("{message}; did you mean `{near}`?"),
        _ => message,
    }
}

/// The known key nearest to a misspelt one, if any is near enough.
pub fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// The field names a derived `Deserialize` struct accepts, asked of serde itself
/// so the list can never drift from the struct.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct FieldCatcher<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for FieldCatcher<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields caught"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldCatcher(&mut fields));
    fields
}

/// A value written either as one string or as a list of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Scalar>()? {
                    items.push(item.0);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// Text written as a YAML scalar: a string, or a number or boolean taken as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A struct that may also be written as one string (its main field).
pub trait Shorthand: Sized {
    fn from_shorthand(text: String) -> Self;
}

/// Deserializes `T` from a mapping, or from a string through `Shorthand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrShorthand<T>(pub T);

impl<'de, T: Shorthand + Deserialize<'de>> Deserialize<'de> for OrShorthand<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShorthandVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Shorthand + Deserialize<'de>> Visitor<'de> for ShorthandVisitor<T> {
            type Value = OrShorthand<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a mapping")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OrShorthand(T::from_shorthand(v.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(OrShorthand)
            }
        }
        deserializer.deserialize_any(ShorthandVisitor(std::marker::PhantomData))
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ImageMatter {
    pub src: String,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
}

impl Shorthand for ImageMatter {
    fn from_shorthand(src: String) -> Self {
        ImageMatter {
            src,
            alt: None,
            credit: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LinkMatter {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
}

impl Shorthand for LinkMatter {
    fn from_shorthand(url: String) -> Self {
        LinkMatter { url, title: None }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SourceMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
}

impl Shorthand for SourceMatter {
    fn from_shorthand(url: String) -> Self {
        SourceMatter {
            title: None,
            url: Some(url),
            publisher: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EventMatter {
    pub date: Scalar,
    #[serde(default)]
    pub end: Option<Scalar>,
    pub title: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub people: OneOrMany,
    #[serde(default)]
    pub topics: OneOrMany,
}

/// An article's front matter, as DESIGN.md lists it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMatter {
    pub title: Option<Scalar>,
    pub date: Option<Scalar>,
    pub updated: Option<Scalar>,
    pub summary: Option<Scalar>,
    #[serde(default)]
    pub topics: OneOrMany,
    #[serde(default)]
    pub people: OneOrMany,
    #[serde(default)]
    pub sources: Vec<OrShorthand<SourceMatter>>,
    #[serde(default)]
    pub events: Vec<EventMatter>,
    pub dateline: Option<Scalar>,
    pub image: Option<OrShorthand<ImageMatter>>,
    #[serde(default)]
    pub authors: OneOrMany,
    pub slug: Option<Scalar>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: OneOrMany,
    #[serde(default)]
    pub extra: Option<Value>,
}

/// A person or topic profile. `name` and `title` are synonyms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileMatter {
    pub name: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub aliases: OneOrMany,
    pub description: Option<String>,
    pub image: Option<OrShorthand<ImageMatter>>,
    #[serde(default)]
    pub links: Vec<OrShorthand<LinkMatter>>,
    /// People only.
    pub role: Option<String>,
    /// People only.
    pub born: Option<Scalar>,
    /// Topics only: the slug or name of the broader topic.
    pub parent: Option<String>,
    /// Topics only: count articles whose text names the topic as mentioning it.
    #[serde(default)]
    pub detect: bool,
    #[serde(default)]
    pub extra: Option<Value>,
}

/// A standalone page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub slug: Option<Scalar>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: OneOrMany,
    #[serde(default)]
    pub extra: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn splits_with_file_line_numbers() {
        let text = "---\ntitle: A\ndate: 2018-06-19\n---\nBody\n";
        let split = split(text).unwrap().unwrap();
        assert_eq!(split.yaml, "title: A\ndate: 2018-06-19\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        let split = split(text).unwrap().unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body\r\n");
    }

    #[test]
    fn no_fence_means_no_front_matter() {
        assert_eq!(split("Just text\n---\n").unwrap(), None);
        assert_eq!(split("").unwrap(), None);
    }

    #[test]
    fn an_unclosed_fence_is_an_error() {
        assert!(split("---\ntitle: A\nBody\n")
            .unwrap_err()
            .1
            .contains("never closed"));
    }

    #[test]
    fn a_dashes_line_in_the_body_stays_in_the_body() {
        let split = split("---\ntitle: A\n---\nOne\n\n---\n\nTwo\n")
            .unwrap()
            .unwrap();
        assert_eq!(split.body, "One\n\n---\n\nTwo\n");
    }

    fn parse_article(text: &str) -> Result<ArticleMatter, Vec<String>> {
        let split = split(text).unwrap().unwrap();
        parse::<ArticleMatter>(&PathBuf::from("a.md"), &split)
            .map(|(matter, _)| matter)
            .map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn every_bad_key_is_reported_with_its_line() {
        let errors = parse_article("---\ntitle: A\ntitel: B\ndraft: yes\ntopics: {a: 1}\n---\n")
            .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("a.md:3:1: unknown key `titel`; did you mean `title`?"));
        assert!(errors[1].starts_with("a.md:4:1: `draft`: invalid type: string \"yes\""));
        assert!(errors[2].starts_with("a.md:5:1: `topics`:"));
    }

    #[test]
    fn yaml_syntax_errors_point_into_the_file() {
        let errors = parse_article("---\ntitle: A\npeople: [a, b\n---\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("a.md:4:"), "{errors:?}");
    }

    #[test]
    fn lone_carriage_returns_do_not_move_errors_past_the_front_matter() {
        let errors = parse_article("---\n\r\r]\n---\n").unwrap_err();
        assert!(
            errors[0].starts_with("a.md:2:") || errors[0].starts_with("a.md:3:"),
            "{errors:?}"
        );
    }

    #[test]
    fn hostile_yaml_is_refused_quickly_and_precisely() {
        let errors = parse_article("---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert_eq!(
            errors,
            ["a.md:3:1: invalid YAML: duplicate entry with key \"title\""]
        );
        let deep = format!(
            "---\ntitle: A\nextra: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let errors = parse_article(&deep).unwrap_err();
        assert!(
            errors[0]
                .starts_with("a.md:3:72: front matter nests lists or mappings more than 64 deep"),
            "{errors:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let quoted = format!("---\ntitle: \"{}\"\n---\n", "[".repeat(1000));
        assert!(
            parse_article(&quoted).is_ok(),
            "brackets inside quotes are text"
        );
        let mut bomb = String::from(
            "---\ntitle: Bomb\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{previous}"); 9].join(", ");
            bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        }
        bomb.push_str("---\n");
        let errors = parse_article(&bomb).unwrap_err();
        assert!(
            errors[0].contains("repetition limit exceeded"),
            "{errors:?}"
        );
    }

    #[test]
    fn lists_accept_a_single_string_and_null() {
        let matter = parse_article("---\ntopics: immigration\npeople:\n---\n").unwrap();
        assert_eq!(matter.topics.0, ["immigration"]);
        assert!(matter.people.0.is_empty());
    }

    #[test]
    fn image_and_sources_have_shorthands() {
        let matter =
            parse_article("---\nimage: photo.jpg\nsources: [\"https://example.org\"]\n---\n")
                .unwrap();
        assert_eq!(matter.image.unwrap().0.src, "photo.jpg");
        assert_eq!(
            matter.sources[0].0.url.as_deref(),
            Some("https://example.org")
        );
    }

    #[test]
    fn field_names_come_from_serde() {
        let names = field_names::<ArticleMatter>();
        assert!(names.contains(&"title") && names.contains(&"extra"));
    }
}
