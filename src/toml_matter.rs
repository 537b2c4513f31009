//! TOML front matter between `+++` lines, as Hugo writes it: read into the
//! same mapping YAML front matter gives, with the line of every top-level key.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::error::Diagnostic;
use crate::frontmatter::{self, Split, MAX_NESTING};

/// Cuts `text` at its `+++` fences; None when it does not start with `+++`.
pub fn split(text: &str) -> Result<Option<Split<'_>>, (usize, String)> {
    frontmatter::split_fenced(text, "+++", &["+++"])
}

/// Reads the TOML block into a mapping. Dates and times become text as TOML
/// writes them (`2019-03-04T10:20:30+01:00`), which the date parser reads.
pub fn read_mapping(path: &Path, split: &Split<'_>) -> Result<Mapping, Vec<Diagnostic>> {
    if let Some((line, column)) = frontmatter::too_deep(split.yaml) {
        return Err(vec![Diagnostic::new(
            path,
            split.yaml_line + line - 1,
            column,
            format!("front matter nests lists or tables more than {MAX_NESTING} deep"),
        )]);
    }
    let table: toml::Table = toml::from_str(split.yaml).map_err(|error| {
        let mut offset = error
            .span()
            .map_or(0, |span| span.start)
            .min(split.yaml.len());
        while !split.yaml.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &split.yaml[..offset];
        let line = split.yaml_line + before.matches('\n').count();
        let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
        let reason = error.message().trim().to_string();
        vec![Diagnostic::new(
            path,
            line,
            column,
            format!("invalid TOML: {reason}"),
        )]
    })?;
    Ok(table
        .into_iter()
        .map(|(key, value)| (Value::String(key), to_yaml(value)))
        .collect())
}

fn to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::Number(number.into()),
        toml::Value::Float(number) => Value::Number(number.into()),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(moment) => Value::String(moment.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(key, value)| (Value::String(key), to_yaml(value)))
                .collect(),
        ),
    }
}

/// Where each top-level key is written (a `[table]` header, or the first
/// part of a dotted key), and each item of a top-level array as `key[i]`,
/// as the YAML reader records them. Read from the spans TOML's own parser
/// gives; empty when the TOML does not parse (`read_mapping` reports why).
pub fn key_positions(toml: &str, first_line: usize) -> HashMap<String, usize> {
    let mut positions = HashMap::new();
    let Ok(table) = toml::de::DeTable::parse(toml) else {
        return positions;
    };
    let starts = crate::error::LineStarts::of(toml);
    let line = |offset: usize| first_line + starts.line(offset);
    for (key, value) in table.get_ref() {
        let name: &str = key.get_ref();
        positions.insert(name.to_string(), line(key.span().start));
        if let toml::de::DeValue::Array(items) = value.get_ref() {
            for (i, item) in items.iter().enumerate() {
                positions.insert(format!("{name}[{i}]"), line(item.span().start));
            }
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Mapping, Vec<String>> {
        let split = split(text).unwrap().unwrap();
        read_mapping(Path::new("a.md"), &split)
            .map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn toml_reads_into_the_same_values_as_yaml() {
        let mapping = read(concat!(
            "+++\n",
            "title = \"Rain in Spain\"\n",
            "date = 2019-03-04T10:20:30+01:00\n",
            "day = 2019-03-05\n",
            "tags = [\"weather\", \"spain\"]\n",
            "draft = false\n",
            "weight = 3\n",
            "[params]\n",
            "mood = \"grey\"\n",
            "+++\n",
            "Body\n",
        ))
        .unwrap();
        let get = |key: &str| mapping.get(key).cloned().unwrap();
        assert_eq!(get("title"), Value::from("Rain in Spain"));
        assert_eq!(get("date"), Value::from("2019-03-04T10:20:30+01:00"));
        assert_eq!(get("day"), Value::from("2019-03-05"));
        assert_eq!(get("tags"), Value::from(vec!["weather", "spain"]));
        assert_eq!(get("draft"), Value::Bool(false));
        assert_eq!(get("weight"), Value::from(3));
        assert_eq!(get("params").get("mood"), Some(&Value::from("grey")));
        let keys: Vec<&str> = mapping.keys().filter_map(Value::as_str).collect();
        assert_eq!(
            keys,
            ["title", "date", "day", "tags", "draft", "weight", "params"]
        );
    }

    #[test]
    fn toml_errors_name_the_line() {
        let errors = read("+++\ntitle = \"A\"\ntags = [\"a\"\n+++\n").unwrap_err();
        assert!(errors[0].starts_with("a.md:3:"), "{errors:?}");
        assert!(errors[0].contains("invalid TOML"), "{errors:?}");
        let errors = read("+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n").unwrap_err();
        assert!(errors[0].starts_with("a.md:3:"), "{errors:?}");
    }

    #[test]
    fn top_level_keys_and_tables_have_lines() {
        let toml = "title = \"A\"\ndescription = \"\"\"\nx = 1\n\"\"\"\nsite.x = 2\n[params]\ninner = 1\n[[resources]]\n";
        let positions = key_positions(toml, 2);
        assert_eq!(positions.get("title"), Some(&2));
        assert_eq!(positions.get("description"), Some(&3));
        assert_eq!(positions.get("x"), None);
        assert_eq!(positions.get("site"), Some(&6));
        assert_eq!(positions.get("params"), Some(&7));
        assert_eq!(positions.get("inner"), None);
        assert_eq!(positions.get("resources"), Some(&9));
    }

    #[test]
    fn items_of_arrays_have_lines_and_strings_are_not_keys() {
        let toml = "aliases = [\n  \"/old/\",\n  \"a = b\",\n]\na = 1\n[[events]]\ntitle = \"x\"\n[[events]]\ntitle = \"y\"\n";
        let positions = key_positions(toml, 2);
        assert_eq!(positions.get("aliases"), Some(&2));
        assert_eq!(positions.get("aliases[0]"), Some(&3));
        assert_eq!(positions.get("aliases[1]"), Some(&4));
        assert_eq!(positions.get("a"), Some(&6), "not the string on line 4");
        assert_eq!(positions.get("events[1]"), Some(&9));
    }

    proptest::proptest! {
        #[test]
        fn any_toml_is_read_or_refused_with_a_line(
            toml in "([a-z=\"'\\[\\]{}.,#\n ]|é|\"\"\"|2019-03-04){0,80}"
        ) {
            let text = format!("+++\n{toml}\n+++\n");
            let split = split(&text).unwrap().unwrap();
            let _ = key_positions(split.yaml, split.yaml_line);
            if let Err(errors) = read_mapping(Path::new("a.md"), &split) {
                proptest::prop_assert!(errors[0].line >= 2, "{errors:?}");
            }
        }
    }

    #[test]
    fn an_unclosed_toml_block_says_which_fence() {
        let error = split("+++\ntitle = \"A\"\n").unwrap_err();
        assert!(error.1.contains("`+++`"), "{error:?}");
    }
}
