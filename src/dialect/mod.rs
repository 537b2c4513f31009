//! Front matter dialects: reading posts written for Jekyll, Hugo or Eleventy
//! as they are. A dialect says which of another generator's keys mean which
//! of ours, how to read the values real archives hold ("A, B and C" as three
//! people, `tags: "a b c"`), and keeps what it cannot map under `extra`.

mod fields;
mod names;
pub mod presets;
pub mod template_tags;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

use crate::frontmatter::{field_names, nearest, ArticleMatter, OneOrMany};

pub use fields::Mapped;
pub use names::split_names;

/// A generator whose archives newsdigest reads as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    Jekyll,
    Hugo,
    Eleventy,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Jekyll, Preset::Hugo, Preset::Eleventy];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Jekyll => "jekyll",
            Preset::Hugo => "hugo",
            Preset::Eleventy => "eleventy",
        }
    }

    /// Whether `file`, beside the posts, is data the generator reads rather
    /// than a file it publishes: Eleventy's data files (`x.11tydata.json`,
    /// `posts/posts.json` for the folder, `entry.json` beside `entry.md`).
    pub fn is_data_file(self, file: &Path) -> bool {
        if self != Preset::Eleventy {
            return false;
        }
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (Some(stem), Some(extension)) = (
            file.file_stem().and_then(|s| s.to_str()),
            file.extension().and_then(|e| e.to_str()),
        ) else {
            return false;
        };
        let data = matches!(extension, "json" | "js" | "cjs" | "mjs");
        let folder = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        let beside_a_post = ["md", "markdown"]
            .iter()
            .any(|e| file.with_extension(e).is_file());
        name.contains(".11tydata.") || (data && (folder == Some(stem) || beside_a_post))
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(text: &str) -> Result<Preset, String> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("`{text}` is not a preset: jekyll, hugo or eleventy"))
    }
}

/// What becomes of a front matter key that no field takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unknown {
    /// An error naming the file, line and key.
    #[default]
    Error,
    /// Kept under `extra`, with one warning per key for the whole site.
    Warn,
    /// Kept under `extra` silently.
    Ignore,
}

/// What becomes of other generators' template tags in article bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateTags {
    /// Shown as written.
    #[default]
    Keep,
    /// Removed, outside code.
    Strip,
}

/// What a source key becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One of the article's own keys (`topics`, `summary`...).
    Field(&'static str),
    /// The opposite of `draft`: Jekyll's `published: false`.
    Published,
    /// Kept under `extra` with its own name.
    Extra,
    /// Dropped.
    Ignore,
}

impl Target {
    /// Every name a `fields` entry may map to.
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = field_names::<ArticleMatter>().to_vec();
        names.extend(["published", "ignore"]);
        names
    }

    pub fn parse(name: &str) -> Result<Target, String> {
        match name {
            "published" => return Ok(Target::Published),
            "ignore" => return Ok(Target::Ignore),
            "extra" => return Ok(Target::Extra),
            _ => {}
        }
        if let Some(field) = field_names::<ArticleMatter>()
            .iter()
            .find(|field| **field == name)
        {
            return Ok(Target::Field(field));
        }
        let names = Target::names();
        let hint = nearest(name, &names)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Err(format!(
            "`{name}` is not an article key{hint} (one of {}, or `published`, `extra`, `ignore`)",
            field_names::<ArticleMatter>()
                .iter()
                .filter(|f| **f != "extra")
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// How to read a site's articles when they are not in newsdigest's own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    pub preset: Option<Preset>,
    /// Source key -> what it becomes. A key of our own not listed here keeps
    /// its meaning.
    pub fields: HashMap<String, Vec<Target>>,
    pub unknown: Unknown,
    /// Separators between several names in one `people` or `authors` value.
    pub name_separators: Vec<String>,
    /// Source keys whose one-string value is a list of words.
    pub space_separated: Vec<String>,
    /// Topics dropped (compared ignoring case).
    pub ignored_topics: Vec<String>,
}

/// `front_matter:` as site.yaml writes it, before presets are applied.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatterConfig {
    /// jekyll, hugo or eleventy: their keys, folders and habits.
    pub preset: Option<Preset>,
    /// Source key -> one of our keys (or several), over the preset's.
    pub fields: BTreeMap<String, OneOrMany>,
    pub unknown: Option<Unknown>,
    /// Separators between names; `[]` keeps every name whole.
    pub split_names: Option<OneOrMany>,
    pub space_separated: Option<OneOrMany>,
    pub ignore_topics: Option<OneOrMany>,
    pub template_tags: TemplateTags,
}

impl FrontMatterConfig {
    /// The dialect this asks for; None when it asks for nothing but
    /// newsdigest's own keys. Errors name the `fields` entry at fault.
    pub fn dialect(&self) -> Result<Option<Dialect>, (String, String)> {
        let FrontMatterConfig {
            preset,
            fields,
            unknown,
            split_names,
            space_separated,
            ignore_topics,
            template_tags: _,
        } = self;
        let asks_nothing = preset.is_none()
            && fields.is_empty()
            && unknown.is_none()
            && split_names.is_none()
            && space_separated.is_none()
            && ignore_topics.is_none();
        if asks_nothing {
            return Ok(None);
        }
        let mut dialect = match preset {
            Some(preset) => Dialect::preset(*preset),
            None => Dialect::native(),
        };
        for (source, targets) in fields {
            let targets = targets
                .0
                .iter()
                .map(|t| Target::parse(t.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|message| (source.clone(), message))?;
            dialect.fields.insert(source.clone(), targets);
        }
        if let Some(unknown) = unknown {
            dialect.unknown = *unknown;
        }
        if let Some(separators) = split_names {
            dialect.name_separators = separators.0.clone();
        }
        if let Some(keys) = space_separated {
            dialect.space_separated = keys.0.clone();
        }
        if let Some(topics) = ignore_topics {
            dialect.ignored_topics = topics.0.clone();
        }
        Ok(Some(dialect))
    }
}

impl Dialect {
    /// Our own keys, strictly: what `fields` and the other settings start from
    /// without a preset.
    pub fn native() -> Dialect {
        Dialect {
            preset: None,
            fields: HashMap::new(),
            unknown: Unknown::Error,
            name_separators: Vec::new(),
            space_separated: Vec::new(),
            ignored_topics: Vec::new(),
        }
    }

    /// A preset with nothing overridden.
    pub fn preset(preset: Preset) -> Dialect {
        let fields = presets::fields(preset)
            .map(|(source, targets)| {
                let targets = targets
                    .iter()
                    .map(|t| Target::parse(t).expect("preset targets are article keys"))
                    .collect();
                (source.to_string(), targets)
            })
            .collect();
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Dialect {
            preset: Some(preset),
            fields,
            unknown: Unknown::Ignore,
            name_separators: strings(presets::NAME_SEPARATORS),
            space_separated: strings(presets::space_separated(preset)),
            ignored_topics: strings(presets::ignored_topics(preset)),
        }
    }

    /// What `key` becomes; None for a key nothing takes.
    pub fn targets(&self, key: &str) -> Option<Vec<Target>> {
        if let Some(targets) = self.fields.get(key) {
            return Some(targets.clone());
        }
        Target::parse(key)
            .ok()
            .filter(|t| matches!(t, Target::Field(_)) || key == "extra")
            .map(|t| match t {
                Target::Extra => vec![Target::Field("extra")],
                t => vec![t],
            })
    }
}

/// `1234567` as "1,234,567".
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_with_a_suggestion() {
        assert_eq!(Target::parse("topics"), Ok(Target::Field("topics")));
        assert_eq!(Target::parse("published"), Ok(Target::Published));
        let error = Target::parse("topix").unwrap_err();
        assert!(error.starts_with("`topix` is not an article key; did you mean `topics`?"));
    }

    #[test]
    fn explicit_fields_extend_and_override_the_preset() {
        let config: FrontMatterConfig = serde_yaml::from_str(
            "preset: jekyll\nfields: {tags: ignore, kicker: dateline, author: [people]}\n",
        )
        .unwrap();
        let dialect = config.dialect().unwrap().unwrap();
        assert_eq!(dialect.targets("tags"), Some(vec![Target::Ignore]));
        assert_eq!(
            dialect.targets("kicker"),
            Some(vec![Target::Field("dateline")])
        );
        assert_eq!(
            dialect.targets("author"),
            Some(vec![Target::Field("people")])
        );
        assert_eq!(
            dialect.targets("categories"),
            Some(vec![Target::Field("topics")])
        );
        assert_eq!(dialect.targets("title"), Some(vec![Target::Field("title")]));
        assert_eq!(dialect.targets("extra"), Some(vec![Target::Field("extra")]));
        assert_eq!(dialect.targets("mood"), None);
        assert_eq!(dialect.unknown, Unknown::Ignore);
    }

    #[test]
    fn no_front_matter_settings_is_no_dialect() {
        let config = FrontMatterConfig {
            template_tags: TemplateTags::Strip,
            ..FrontMatterConfig::default()
        };
        assert_eq!(config.dialect(), Ok(None));
        let config: FrontMatterConfig = serde_yaml::from_str("fields: {tags: topicz}\n").unwrap();
        let (key, message) = config.dialect().unwrap_err();
        assert_eq!(key, "tags");
        assert!(message.contains("did you mean `topics`?"), "{message}");
    }

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
