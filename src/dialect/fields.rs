//! A dialect applied to one article's front matter: every key becomes one of
//! ours, is kept under `extra`, is dropped, or is refused.
//!
//! Merge rules: list fields (`topics`, `people`...) take the items of every key
//! mapped to them, in the order written, once each. A single-value field
//! (`summary`, `date`...) takes the key written with our own name, else the
//! first key mapped to it; the others are kept under `extra` with their names.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::{names::split_names, Dialect, Preset, Target, Unknown};
use crate::error::Diagnostic;
use crate::frontmatter::{field_names, nearest, ArticleMatter};

const LIST_FIELDS: &[&str] = &[
    "topics", "people", "authors", "aliases", "sources", "events",
];
const NAME_FIELDS: &[&str] = &["people", "authors"];

/// Eleventy's date keywords: dates taken from the file system, which an
/// archive does not keep; the file name's date is used instead.
const FILE_DATES: &[&str] = &[
    "created",
    "last modified",
    "git created",
    "git last modified",
];

/// One article's front matter in our keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// Our keys only, in the order DESIGN.md lists them.
    pub mapping: Mapping,
    /// The line of each of our keys: where its (first) source key is written.
    pub lines: HashMap<String, usize>,
    /// Our key -> the key as written, where they differ, for messages.
    pub written_as: HashMap<String, String>,
    /// Keys no field takes, kept under `extra`, with their lines.
    pub unknown: Vec<(String, usize)>,
    /// Every key this mapping put under `extra`: those no field takes, and
    /// those whose field took another key or cannot use the value (a
    /// permalink pattern).
    pub kept: Vec<String>,
}

impl Mapped {
    /// A message about one of our keys, naming the key as the file writes it:
    /// "`tags` (read as `topics`): ...".
    pub fn reword(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        for (ours, written) in &self.written_as {
            let prefix = format!("`{ours}`");
            if let Some(rest) = diagnostic.message.strip_prefix(&prefix) {
                diagnostic.message = format!("`{written}` (read as `{ours}`){rest}");
                break;
            }
        }
        diagnostic
    }
}

/// A single value taken for a field, with where it came from.
struct Taken {
    value: Value,
    original: Value,
    line: usize,
    source: String,
}

#[derive(Default)]
struct Gathered {
    lists: HashMap<&'static str, (Vec<Value>, usize, String)>,
    singles: HashMap<&'static str, Taken>,
    draft: Option<(bool, usize, String)>,
    /// Kept under `extra`: (name, value, line), in the order written.
    kept: Vec<(String, Value, usize)>,
    literal_extra: Option<(Value, usize)>,
    errors: Vec<(usize, String)>,
    unknown: Vec<(String, usize)>,
}

impl Dialect {
    /// Maps `matter` (as read, in file order) to our keys. `positions` gives
    /// each written key's line; `name` is the file's name without extension
    /// (or its bundle folder's), for a title where Jekyll would take it.
    pub fn apply(
        &self,
        path: &Path,
        matter: Mapping,
        positions: &HashMap<String, usize>,
        first_line: usize,
        name: &str,
    ) -> Result<Mapped, Vec<Diagnostic>> {
        let (mapped, errors) = self.map(path, matter, positions, first_line, name);
        if errors.is_empty() {
            Ok(mapped)
        } else {
            Err(errors)
        }
    }

    /// Like `apply`, but also returns what could be mapped when some keys
    /// could not, so that every error of a file can be reported at once.
    pub fn map(
        &self,
        path: &Path,
        matter: Mapping,
        positions: &HashMap<String, usize>,
        first_line: usize,
        name: &str,
    ) -> (Mapped, Vec<Diagnostic>) {
        let mut gathered = Gathered::default();
        for (key, value) in matter {
            let Some(key) = key.as_str() else {
                gathered
                    .errors
                    .push((first_line, "keys must be text".to_string()));
                continue;
            };
            let line = positions.get(key).copied().unwrap_or(first_line);
            match self.targets(key) {
                Some(targets) => {
                    for target in targets {
                        self.take(&mut gathered, target, key, value.clone(), line);
                    }
                }
                None => self.unknown_key(&mut gathered, key, value, line),
            }
        }
        let untitled = gathered
            .singles
            .get("title")
            .is_none_or(|title| title.value.is_null());
        if self.preset == Some(Preset::Jekyll) && untitled {
            let title = title_from_name(name);
            if !title.is_empty() {
                gathered.singles.insert(
                    "title",
                    Taken {
                        value: Value::String(title.clone()),
                        original: Value::String(title),
                        line: first_line,
                        source: "title".to_string(),
                    },
                );
            }
        }
        let mapped = self.assemble(&mut gathered, first_line);
        let errors = gathered
            .errors
            .into_iter()
            .map(|(line, message)| Diagnostic::new(path, line, 1, message))
            .collect();
        (mapped, errors)
    }

    fn unknown_key(&self, gathered: &mut Gathered, key: &str, value: Value, line: usize) {
        match self.unknown {
            Unknown::Error => {
                let mut known: Vec<&str> = field_names::<ArticleMatter>().to_vec();
                known.extend(self.fields.keys().map(String::as_str));
                let message = match nearest(key, &known) {
                    Some(near) => format!("unknown key `{key}`; did you mean `{near}`?"),
                    None => format!(
                        "unknown key `{key}`: map it to an article key in site.yaml's `front_matter.fields`, or set `front_matter.unknown: ignore` to keep such keys under `extra`"
                    ),
                };
                gathered.errors.push((line, message));
            }
            Unknown::Warn => {
                gathered.unknown.push((key.to_string(), line));
                gathered.kept.push((key.to_string(), value, line));
            }
            Unknown::Ignore => gathered.kept.push((key.to_string(), value, line)),
        }
    }

    fn take(&self, gathered: &mut Gathered, target: Target, key: &str, value: Value, line: usize) {
        let field = match target {
            Target::Ignore => return,
            Target::Extra => {
                gathered.kept.push((key.to_string(), value, line));
                return;
            }
            Target::Published | Target::Field("draft") => {
                if value.is_null() {
                    return;
                }
                let Some(flag) = as_bool(&value) else {
                    gathered
                        .errors
                        .push((line, format!("`{key}`: expected true or false")));
                    return;
                };
                let draft = if target == Target::Published {
                    !flag
                } else {
                    flag
                };
                mark_draft(gathered, draft, line, key);
                return;
            }
            Target::Field("extra") => {
                gathered.literal_extra = Some((value, line));
                return;
            }
            Target::Field(field) => field,
        };
        if value.is_null() && field != "title" {
            return;
        }
        if LIST_FIELDS.contains(&field) {
            let items = self.list_items(field, key, value);
            gathered
                .lists
                .entry(field)
                .or_insert_with(|| (Vec::new(), line, key.to_string()))
                .0
                .extend(items);
            return;
        }
        let original = value.clone();
        let value = match single_value(field, value) {
            Single::Value(value) => value,
            Single::Draft => {
                mark_draft(gathered, true, line, key);
                return;
            }
            Single::Drop => return,
            Single::Keep => {
                gathered.kept.push((key.to_string(), original, line));
                return;
            }
        };
        let taken = Taken {
            value,
            original,
            line,
            source: key.to_string(),
        };
        let literal = key == field;
        match gathered.singles.get(field) {
            None => {
                gathered.singles.insert(field, taken);
            }
            Some(existing) if literal && existing.source != field => {
                let previous = gathered.singles.insert(field, taken);
                if let Some(previous) = previous {
                    gathered
                        .kept
                        .push((previous.source, previous.original, previous.line));
                }
            }
            Some(_) => gathered
                .kept
                .push((taken.source, taken.original, taken.line)),
        }
    }

    /// The items a list field takes from one key's value.
    fn list_items(&self, field: &str, key: &str, value: Value) -> Vec<Value> {
        let items = match value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => items,
            Value::String(text) if self.space_separated.iter().any(|k| k == key) => text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|word| !word.is_empty())
                .map(Value::from)
                .collect(),
            other => vec![other],
        };
        let items = items.into_iter().filter(|item| !item.is_null());
        if NAME_FIELDS.contains(&field) {
            items
                .flat_map(|item| match name_text(&item) {
                    Some(text) => split_names(&text, &self.name_separators)
                        .into_iter()
                        .map(Value::String)
                        .collect(),
                    None => vec![item],
                })
                .collect()
        } else if field == "topics" {
            items
                .filter_map(|item| match name_text(&item) {
                    Some(text) => {
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        let ignored = self
                            .ignored_topics
                            .iter()
                            .any(|t| t.eq_ignore_ascii_case(&text));
                        (!text.is_empty() && !ignored).then_some(Value::String(text))
                    }
                    None => Some(item),
                })
                .collect()
        } else {
            items.collect()
        }
    }

    /// Our keys in DESIGN.md's order, with their lines.
    fn assemble(&self, gathered: &mut Gathered, first_line: usize) -> Mapped {
        let mut mapped = Mapped {
            mapping: Mapping::new(),
            lines: HashMap::new(),
            written_as: HashMap::new(),
            unknown: std::mem::take(&mut gathered.unknown),
            kept: gathered
                .kept
                .iter()
                .map(|(name, _, _)| name.clone())
                .collect(),
        };
        let record = |mapped: &mut Mapped, field: &str, value: Value, line, source: &str| {
            mapped.mapping.insert(Value::from(field), value);
            mapped.lines.insert(field.to_string(), line);
            if source != field {
                mapped
                    .written_as
                    .insert(field.to_string(), source.to_string());
            }
        };
        for field in field_names::<ArticleMatter>() {
            if let Some((items, line, source)) = gathered.lists.remove(field) {
                let mut unique: Vec<Value> = Vec::with_capacity(items.len());
                for item in items {
                    if !unique.contains(&item) {
                        unique.push(item);
                    }
                }
                record(&mut mapped, field, Value::Sequence(unique), line, &source);
            } else if let Some(taken) = gathered.singles.remove(field) {
                record(&mut mapped, field, taken.value, taken.line, &taken.source);
            } else if *field == "draft" {
                if let Some((draft, line, source)) = gathered.draft.take() {
                    record(&mut mapped, field, Value::Bool(draft), line, &source);
                }
            } else if *field == "extra" {
                if let Some((extra, line)) = extra(gathered, first_line) {
                    record(&mut mapped, field, extra, line, "extra");
                }
            }
        }
        mapped
    }
}

/// The literal `extra` with the kept keys added (an entry written in `extra`
/// wins over a key of the same name).
fn extra(gathered: &mut Gathered, first_line: usize) -> Option<(Value, usize)> {
    let kept = std::mem::take(&mut gathered.kept);
    let literal = gathered.literal_extra.take();
    if kept.is_empty() {
        return literal;
    }
    let (literal, line) = literal.unwrap_or((Value::Null, line_of(&kept, first_line)));
    let mut extra = match literal {
        Value::Mapping(mapping) => mapping,
        Value::Null => Mapping::new(),
        other => {
            let names: Vec<String> = kept
                .iter()
                .map(|(name, _, _)| format!("`{name}`"))
                .collect();
            gathered.errors.push((
                line,
                format!(
                    "`extra` is not a mapping, so the keys without a field ({}) have nowhere to go: write `extra` as `key: value` lines",
                    names.join(", ")
                ),
            ));
            return Some((other, line));
        }
    };
    for (name, value, _) in kept {
        let key = Value::String(name);
        if !extra.contains_key(&key) {
            extra.insert(key, value);
        }
    }
    Some((Value::Mapping(extra), line))
}

fn line_of(kept: &[(String, Value, usize)], first_line: usize) -> usize {
    kept.first().map_or(first_line, |(_, _, line)| *line)
}

fn mark_draft(gathered: &mut Gathered, draft: bool, line: usize, key: &str) {
    match &mut gathered.draft {
        Some((current, _, _)) => *current |= draft,
        None => gathered.draft = Some((draft, line, key.to_string())),
    }
}

/// What a single-value field makes of a value.
enum Single {
    Value(Value),
    /// `permalink: false`: Eleventy writes no page; a draft here.
    Draft,
    /// Means nothing here (Eleventy's `date: Last Modified`).
    Drop,
    /// Not usable as this field (a permalink pattern): kept under `extra`.
    Keep,
}

fn single_value(field: &str, value: Value) -> Single {
    let value = match value {
        Value::Sequence(items) => match items.into_iter().next() {
            Some(first) => first,
            None => return Single::Drop,
        },
        other => other,
    };
    match (field, value) {
        ("title", Value::String(title)) => Single::Value(Value::String(
            title.split_whitespace().collect::<Vec<_>>().join(" "),
        )),
        ("date" | "updated", Value::String(text))
            if FILE_DATES.contains(&text.trim().to_lowercase().as_str()) =>
        {
            Single::Drop
        }
        ("slug", Value::Bool(false)) => Single::Draft,
        ("slug", Value::String(text)) => match slug_from_address(&text) {
            Some(slug) => Single::Value(Value::String(slug)),
            None => Single::Keep,
        },
        ("image", Value::Mapping(image)) => Single::Value(Value::Mapping(image_matter(image))),
        (_, value) => Single::Value(value),
    }
}

/// `/2019/03/04/rain/` or `/blog/rain.html` -> `rain`; None for a pattern
/// (`/:year/:title/`, `{{ page.fileSlug }}/`), which names no one address.
fn slug_from_address<'a>(text: &'a str) -> Option<String> {
    if text.contains(['{', '}', ':', '%']) {
        return None;
    }
    let without_extension = |part: &'a str| {
        [".html", ".htm"]
            .iter()
            .find_map(|ext| part.strip_suffix(ext))
            .unwrap_or(part)
    };
    text.split('/')
        .map(without_extension)
        .rfind(|part| !part.is_empty() && *part != "index")
        .map(str::to_string)
}

/// An image mapping as other generators write it (`path:` or `url:` for the
/// file; `width`, `height`...) in our keys: `src`, `alt`, `credit`.
fn image_matter(image: Mapping) -> Mapping {
    let get = |key: &str| image.get(key).filter(|v| !v.is_null()).cloned();
    let mut out = Mapping::new();
    if let Some(src) = get("src").or_else(|| get("path")).or_else(|| get("url")) {
        out.insert(Value::from("src"), src);
    }
    for key in ["alt", "credit"] {
        if let Some(value) = get(key) {
            out.insert(Value::from(key), value);
        }
    }
    out
}

/// The text of a name: a scalar as written, or a mapping's `name`.
fn name_text(item: &Value) -> Option<String> {
    match item {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Mapping(mapping) => mapping
            .get("name")
            .or_else(|| mapping.get("title"))
            .and_then(name_text),
        _ => None,
    }
}

/// YAML 1.1's booleans, which Jekyll's YAML reader still takes.
fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.trim().to_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Jekyll's title for a post without one: the file name's words, capitalised.
fn title_from_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let dated = name.len() >= 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    let words = if dated { &name[11..] } else { name };
    words
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::FrontMatterConfig;

    fn dialect(yaml: &str) -> Dialect {
        let config: FrontMatterConfig = serde_yaml::from_str(yaml).unwrap();
        config.dialect().unwrap().unwrap()
    }

    fn apply(dialect: &Dialect, yaml: &str, name: &str) -> Result<Mapped, Vec<String>> {
        let matter: Mapping = serde_yaml::from_str(yaml).unwrap();
        let positions = crate::frontmatter::key_positions(yaml, 2);
        dialect
            .apply(Path::new("a.md"), matter, &positions, 2, name)
            .map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    fn yaml(mapped: &Mapped) -> String {
        serde_yaml::to_string(&mapped.mapping).unwrap()
    }

    #[test]
    fn a_jekyll_post_in_our_keys() {
        let mapped = apply(
            &dialect("preset: jekyll"),
            concat!(
                "layout: post\n",
                "title: \"  Rain   in Spain \"\n",
                "date: 2019-03-04 10:20:30 +0100\n",
                "categories: news politics\n",
                "tags: [Spain, news]\n",
                "author: Ann Lee, Bo Chen and Jane Doe (@jdoe)\n",
                "published: false\n",
                "excerpt: ~\n",
                "permalink: /2019/03/04/rain-in-spain.html\n",
                "mood: grey\n",
            ),
            "2019-03-04-rain",
        )
        .unwrap();
        assert_eq!(
            yaml(&mapped),
            concat!(
                "title: Rain in Spain\n",
                "date: 2019-03-04 10:20:30 +0100\n",
                "topics:\n- news\n- politics\n- Spain\n",
                "people:\n- Ann Lee\n- Bo Chen\n- Jane Doe\n",
                "authors:\n- Ann Lee\n- Bo Chen\n- Jane Doe\n",
                "slug: rain-in-spain\n",
                "draft: true\n",
                "extra:\n  mood: grey\n",
            )
        );
        assert_eq!(mapped.lines["topics"], 5, "the first key mapped to topics");
        assert_eq!(mapped.written_as["topics"], "categories");
        assert!(
            mapped.unknown.is_empty(),
            "a preset keeps unknown keys quietly"
        );
    }

    #[test]
    fn jekyll_titles_a_post_without_one_from_its_file_name() {
        let mapped = apply(
            &dialect("preset: jekyll"),
            "tags: a\n",
            "2019-03-04-rain-in-spain",
        )
        .unwrap();
        assert_eq!(mapped.mapping["title"], Value::from("Rain In Spain"));
        let mapped = apply(&dialect("preset: jekyll"), "title: ~\n", "rain").unwrap();
        assert_eq!(mapped.mapping["title"], Value::from("Rain"));
        let mapped = apply(&dialect("preset: hugo"), "tags: a\n", "rain").unwrap();
        assert!(!mapped.mapping.contains_key("title"));
    }

    #[test]
    fn our_own_key_wins_and_the_other_is_kept() {
        let mapped = apply(
            &dialect("preset: hugo"),
            "description: From the description\nsummary: From the summary\nextra: {description: mine}\n",
            "x",
        )
        .unwrap();
        assert_eq!(mapped.mapping["summary"], Value::from("From the summary"));
        assert_eq!(
            mapped.mapping["extra"]["description"],
            Value::from("mine"),
            "an explicit extra entry is not clobbered"
        );
        let mapped = apply(
            &dialect("preset: hugo"),
            "description: First\nexcerpt: Second\n",
            "x",
        )
        .unwrap();
        assert_eq!(mapped.mapping["summary"], Value::from("First"));
        assert_eq!(mapped.mapping["extra"]["excerpt"], Value::from("Second"));
        assert_eq!(mapped.kept, ["excerpt"], "the key left over is named");
    }

    #[test]
    fn eleventy_habits() {
        let mapped = apply(
            &dialect("preset: eleventy"),
            "tags: [post, Weather]\ndate: Last Modified\npermalink: \"/posts/{{ page.fileSlug }}/\"\neleventyExcludeFromCollections: true\n",
            "2019-03-04-rain",
        )
        .unwrap();
        assert_eq!(
            yaml(&mapped),
            "topics:\n- Weather\nextra:\n  permalink: /posts/{{ page.fileSlug }}/\n"
        );
        assert_eq!(mapped.kept, ["permalink"]);
        let mapped = apply(&dialect("preset: eleventy"), "permalink: false\n", "x").unwrap();
        assert_eq!(mapped.mapping["draft"], Value::Bool(true));
    }

    #[test]
    fn images_and_names_written_as_mappings() {
        let mapped = apply(
            &dialect("preset: jekyll"),
            "image: {path: /assets/rain.jpg, width: 800, alt: Rain}\nauthor: {name: Ann Lee, twitter: annlee}\n",
            "x",
        )
        .unwrap();
        assert_eq!(
            yaml(&mapped),
            "title: X\npeople:\n- Ann Lee\nimage:\n  src: /assets/rain.jpg\n  alt: Rain\nauthors:\n- Ann Lee\n"
        );
        let mapped = apply(&dialect("preset: hugo"), "images: [a.jpg, b.jpg]\n", "x").unwrap();
        assert_eq!(mapped.mapping["image"], Value::from("a.jpg"));
    }

    #[test]
    fn unknown_keys_are_refused_warned_or_kept() {
        let errors = apply(
            &dialect("fields: {tags: topics}"),
            "title: A\ntitel: B\nmood: x\n",
            "x",
        )
        .unwrap_err();
        assert_eq!(
            errors[0],
            "a.md:3:1: unknown key `titel`; did you mean `title`?"
        );
        assert!(
            errors[1].starts_with("a.md:4:1: unknown key `mood`: map it"),
            "{errors:?}"
        );
        let mapped = apply(
            &dialect("fields: {tags: topics}\nunknown: warn"),
            "title: A\nmood: x\n",
            "x",
        )
        .unwrap();
        assert_eq!(mapped.unknown, [("mood".to_string(), 3)]);
        assert_eq!(mapped.mapping["extra"]["mood"], Value::from("x"));
        let errors = apply(&dialect("preset: hugo"), "mood: x\nextra: 5\n", "x").unwrap_err();
        assert!(
            errors[0].starts_with("a.md:3:1: `extra` is not a mapping"),
            "{errors:?}"
        );
    }

    #[test]
    fn booleans_as_jekyll_reads_them() {
        let errors = apply(&dialect("preset: jekyll"), "published: maybe\n", "x").unwrap_err();
        assert_eq!(errors, ["a.md:2:1: `published`: expected true or false"]);
        let mapped = apply(
            &dialect("preset: jekyll"),
            "published: no\ndraft: false\n",
            "x",
        )
        .unwrap();
        assert_eq!(mapped.mapping["draft"], Value::Bool(true));
    }

    #[test]
    fn messages_name_the_key_as_written() {
        let mapped = apply(&dialect("preset: jekyll"), "title: A\ntags: {a: 1}\n", "x").unwrap();
        let diagnostic = Diagnostic::new(Path::new("a.md"), 3, 1, "`topics`: invalid type");
        assert_eq!(
            mapped.reword(diagnostic).message,
            "`tags` (read as `topics`): invalid type"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_front_matter_maps_without_a_panic(
            yaml in "((title|tags|author|date|published|extra|image|permalink|mood): ([a-z ,&()@/:{}]|and|\\[|\\]|~|yes|\\{path: x\\}){0,12}\n){0,8}"
        ) {
            let Ok(matter) = serde_yaml::from_str::<Mapping>(&yaml) else {
                return Ok(());
            };
            let positions = crate::frontmatter::key_positions(&yaml, 2);
            for preset in ["jekyll", "hugo", "eleventy"] {
                let dialect = dialect(&format!("preset: {preset}"));
                let (mapped, _) = dialect.map(Path::new("a.md"), matter.clone(), &positions, 2, "2019-03-04-x");
                for key in mapped.mapping.keys() {
                    let key = key.as_str().unwrap_or_default();
                    proptest::prop_assert!(field_names::<ArticleMatter>().contains(&key), "{key}");
                }
            }
        }
    }

    #[test]
    fn addresses_give_slugs_and_patterns_do_not() {
        assert_eq!(
            slug_from_address("/2019/03/04/rain/").as_deref(),
            Some("rain")
        );
        assert_eq!(
            slug_from_address("/blog/rain.html").as_deref(),
            Some("rain")
        );
        assert_eq!(slug_from_address("rain").as_deref(), Some("rain"));
        assert_eq!(slug_from_address("/:year/:title/"), None);
        assert_eq!(slug_from_address("/"), None);
        assert_eq!(
            slug_from_address("/rain/index.html").as_deref(),
            Some("rain")
        );
    }
}
