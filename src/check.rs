//! `newsdigest check`: everything `build` verifies, without writing anything,
//! plus warnings an editor wants to see: ambiguous aliases, names that nearly
//! match a profile, and recurring names that deserve a profile.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::dialect::template_tags::StrippedTags;
use crate::error::{Diagnostic, Error, Result};
use crate::external::ExternalLinks;
use crate::mentions::Detector;
use crate::model::{Entity, SiteIndex};
use crate::slug::{name_key, slugify};
use crate::{config, load, model, theme};

/// A recurring name is suggested as a profile from this many articles on.
pub const SUGGEST_FROM_ARTICLES: usize = 3;

#[derive(Debug, Default)]
pub struct CheckReport {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Worth knowing, never a failure: articles dated in the future.
    pub notes: Vec<Diagnostic>,
    /// Template tags removed from article bodies, as `build` reports them.
    pub stripped: StrippedTags,
}

impl CheckReport {
    /// The report as JSON, for CI: `{"errors": [...], "warnings": [...], "notes": [...]}`.
    pub fn to_json(&self) -> String {
        let list = |diagnostics: &[Diagnostic]| -> Vec<serde_json::Value> {
            diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "path": d.path.to_string_lossy(),
                        "line": d.line,
                        "column": d.column,
                        "message": d.message,
                    })
                })
                .collect()
        };
        let mut value = serde_json::json!({
            "errors": list(&self.errors),
            "warnings": list(&self.warnings),
            "notes": list(&self.notes),
        });
        if !self.stripped.is_empty() {
            value["stripped_template_tags"] = serde_json::json!({
                "tags": self.stripped.tags,
                "files": self.stripped.files,
            });
        }
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// Checks the site at `root`. Content errors are part of the report; only a
/// failure to read the site at all is an `Err`.
/// With `external`, also fetches every http(s) link (see `external`).
pub fn check(root: &Path, drafts: bool, external: Option<ExternalLinks>) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let site = match config::load(root, None) {
        Ok(site) => site,
        Err(Error::Content(errors)) => {
            report.errors = errors;
            return Ok(report);
        }
        Err(other) => return Err(other),
    };
    theme::load(root, &site.theme)?;
    let loaded = load::load(
        root,
        &site,
        load::LoadOptions {
            keep_article_bodies: false,
        },
    )?;
    report.warnings.extend(loaded.warnings.iter().cloned());
    report.stripped = loaded.stripped;
    match model::build(site, loaded, drafts, None, None) {
        Ok(index) => {
            report.warnings.extend(index.warnings.iter().cloned());
            report
                .warnings
                .extend(near_misses(&index.people, "people", "person"));
            report
                .warnings
                .extend(near_misses(&index.topics, "topics", "topic"));
            report.warnings.extend(crossed_kinds(
                &index.people,
                &index.topics,
                "people",
                "topic",
            ));
            report.warnings.extend(crossed_kinds(
                &index.topics,
                &index.people,
                "topics",
                "person",
            ));
            report.warnings.extend(recurring_names(&index));
            report.notes = scheduled(&index, jiff::Timestamp::now());
            if let Some(options) = external {
                let documents =
                    model::links::documents(&index.articles, &index.pages, &index.bodies);
                report
                    .warnings
                    .extend(crate::external::check(&documents, options));
            }
        }
        Err(Error::Content(errors)) => report.errors = errors,
        Err(other) => return Err(other),
    }
    report.warnings.sort();
    report.warnings.dedup();
    Ok(report)
}

/// Entities without a profile whose name is a small edit away from a profile's
/// name or alias: "Jeff Session" for "Jeff Sessions".
fn near_misses(entities: &[Entity], field: &str, kind: &str) -> Vec<Diagnostic> {
    let spellings: Vec<(String, &str)> = entities
        .iter()
        .filter(|p| p.profile.is_some())
        .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
        .map(|s| (name_key(s), s.as_str()))
        .collect();
    entities
        .par_iter()
        .filter_map(|entity| {
            let (path, line) = entity.named_at.as_ref()?;
            let written = name_key(&entity.name);
            let nearest = spellings
                .iter()
                .filter(|(key, _)| {
                    key.len().abs_diff(written.len()) <= 2 && written.chars().count() >= 5
                })
                .map(|(key, spelling)| (strsim::damerau_levenshtein(&written, key), *spelling))
                .filter(|(distance, _)| *distance <= 2)
                .min()?;
            Some(Diagnostic::new(
                path,
                *line,
                1,
                format!(
                    "`{field}`: `{}` is no known {kind}; did you mean `{}`?",
                    entity.name, nearest.1
                ),
            ))
        })
        .collect()
}

/// Articles dated after `now`: they are built like the others, so a static
/// host shows them at once; listed so an editor can hold them back.
fn scheduled(index: &SiteIndex, now: jiff::Timestamp) -> Vec<Diagnostic> {
    index
        .articles
        .iter()
        .take_while(|a| a.date.timestamp() > now)
        .map(|a| {
            Diagnostic::new(
                &a.source,
                1,
                1,
                format!(
                    "dated {} (in the future): it is published with the next build",
                    crate::views::iso_datetime(&a.date)
                ),
            )
        })
        .collect()
}

/// Names written under the wrong key: a person without a profile whose name
/// is a topic's ("people: [Immigration]"), and the reverse.
fn crossed_kinds(
    entities: &[Entity],
    others: &[Entity],
    field: &str,
    other_kind: &str,
) -> Vec<Diagnostic> {
    let other_names: HashMap<String, &str> = others
        .iter()
        .flat_map(|o| {
            std::iter::once(&o.name)
                .chain(&o.aliases)
                .map(move |n| (name_key(n), o.name.as_str()))
        })
        .collect();
    entities
        .iter()
        .filter_map(|entity| {
            let (path, line) = entity.named_at.as_ref()?;
            let other = other_names.get(&name_key(&entity.name))?;
            Some(Diagnostic::new(
                path,
                *line,
                1,
                format!(
                    "`{field}`: `{}` is the {other_kind} `{other}`; is it under the right key?",
                    entity.name
                ),
            ))
        })
        .collect()
}

/// Words that start a capitalised run but are not part of a name.
const NOT_NAME_WORDS: &[&str] = &[
    "A",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "On",
    "Or",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "Then",
    "They",
    "This",
    "Those",
    "To",
    "We",
    "When",
    "While",
    "With",
    "After",
    "Before",
    "Under",
    "Of",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen",
    "Rep",
    "Gov",
    "President",
    "Senator",
    "Judge",
    "Governor",
    "Secretary",
    "Attorney",
    "General",
    "Mayor",
    "Commissioner",
    "Commander",
    "Chief",
    "Justice",
    "Department",
    "Court",
    "House",
    "Senate",
    "Security",
    "Committee",
    "Office",
    "Agency",
    "Service",
    "Patrol",
    "Administration",
    "Act",
    "Policy",
    "Order",
    "Party",
    "University",
    "Council",
    "Center",
    "Commission",
    "Union",
    "States",
    "United",
    "Street",
    "County",
    "City",
    "Homeland",
    "Federal",
    "National",
    "Democratic",
    "Republican",
    "Democrats",
    "Republicans",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "New",
    "San",
    "Los",
    "Las",
    "Santa",
    "Fort",
    "Port",
    "Lake",
    "Mount",
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "District",
    "Civil",
    "American",
    "U.S.",
];

/// Lowercase words that join the parts of an institution's name: a capitalised
/// run next to one ("Health and Human Services") is not a person.
const CONNECTORS: &[&str] = &["and", "of", "for", "&", "on", "de", "del"];

/// Runs of two to four capitalised words ("Lee Gelernt", "George W. Bush") in
/// running text, with where each starts.
fn capitalised_runs(text: &str) -> Vec<(String, usize)> {
    let mut runs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut sentence_start = true;
    let mut run_at_sentence_start = false;
    let mut institution = false;
    let mut after_connector = false;
    let mut last_capitalised = false;
    // A run that opens a sentence may begin with an ordinary capitalised word
    // ("Separately Lee Gelernt"): it also counts without that word.
    let flush = |current: &mut Vec<&str>,
                 start: usize,
                 at_sentence_start: bool,
                 institution: bool,
                 runs: &mut Vec<(String, usize)>| {
        if institution {
            current.clear();
            return;
        }
        if (2..=4).contains(&current.len()) {
            runs.push((current.join(" "), start));
        }
        if at_sentence_start && (3..=5).contains(&current.len()) {
            runs.push((current[1..].join(" "), start));
        }
        current.clear();
    };
    for (offset, raw) in word_spans(text) {
        let word = raw
            .trim_start_matches(['"', '“', '‘', '(', '\''])
            .trim_end_matches(['"', '”', '’', ')', ',', ';', ':', '!', '?', '\''])
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        let initial =
            word.len() == 2 && word.ends_with('.') && word.starts_with(|c: char| c.is_uppercase());
        let word = if initial {
            word
        } else {
            word.trim_end_matches('.')
        };
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && (initial || word.chars().skip(1).any(char::is_lowercase))
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'));
        let stop = NOT_NAME_WORDS.contains(&word);
        if capitalised && after_connector {
            // "Health and Human Services", "Office of Refugee Resettlement".
            institution = true;
        }
        after_connector = false;
        if capitalised && !stop {
            if current.is_empty() {
                start = offset;
                run_at_sentence_start = sentence_start;
            }
            current.push(word);
        } else if CONNECTORS.contains(&raw) && last_capitalised {
            // A full name stays a name ("Jeff Merkley of Oregon"); what follows
            // the connector, and a lone word before it, belong to an institution.
            if current.len() >= 2 {
                flush(
                    &mut current,
                    start,
                    run_at_sentence_start,
                    institution,
                    &mut runs,
                );
            }
            after_connector = true;
        } else {
            flush(
                &mut current,
                start,
                run_at_sentence_start,
                institution,
                &mut runs,
            );
            institution = false;
        }
        if capitalised && stop && !current.is_empty() {
            flush(
                &mut current,
                start,
                run_at_sentence_start,
                institution,
                &mut runs,
            );
            institution = false;
        }
        if !initial && raw.ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '”']) {
            flush(
                &mut current,
                start,
                run_at_sentence_start,
                institution,
                &mut runs,
            );
            institution = false;
            after_connector = false;
        }
        last_capitalised = capitalised;
        sentence_start = raw.ends_with(['.', '!', '?']) && !initial;
    }
    flush(
        &mut current,
        start,
        run_at_sentence_start,
        institution,
        &mut runs,
    );
    runs
}

fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

/// Capitalised names found in `SUGGEST_FROM_ARTICLES` or more articles that are
/// no known person or topic: each is suggested as a profile once.
fn recurring_names(index: &SiteIndex) -> Vec<Diagnostic> {
    let known_names = |entities: &[Entity]| -> Vec<(String, usize)> {
        entities
            .iter()
            .enumerate()
            .flat_map(|(id, e)| {
                std::iter::once(e.name.clone())
                    .chain(e.aliases.iter().cloned())
                    .map(move |n| (n, id))
            })
            .collect()
    };
    let people = known_names(&index.people);
    let topics = known_names(&index.topics);
    let known: HashSet<String> = people
        .iter()
        .chain(&topics)
        .map(|(n, _)| name_key(n))
        .collect();
    let detector = Detector::new(people.iter().map(|(n, id)| (n.as_str(), *id)), false);

    // For each article, its candidate names with the body line they first occur on.
    let found: Vec<HashMap<String, usize>> = index
        .articles
        .par_iter()
        .map(|article| {
            let mut names = HashMap::new();
            // A file changed since it was loaded only misses the suggestions.
            let Ok(body) = article.body.read(&article.source) else {
                return names;
            };
            let mut skip = 0usize;
            let (mut line, mut counted) = (0, 0);
            for (event, range) in Parser::new(&body).into_offset_iter() {
                match event {
                    Event::Start(Tag::CodeBlock(_) | Tag::Heading { .. }) => skip += 1,
                    Event::End(TagEnd::CodeBlock | TagEnd::Heading(_)) => {
                        skip = skip.saturating_sub(1)
                    }
                    Event::Text(text) if skip == 0 => {
                        // Lines are counted forward from the last text seen.
                        line += body[counted..range.start].matches('\n').count();
                        counted = range.start;
                        for (name, _) in capitalised_runs(&text) {
                            if known.contains(&name_key(&name)) || !detector.find(&name).is_empty()
                            {
                                continue;
                            }
                            names.entry(name).or_insert(line);
                        }
                    }
                    _ => {}
                }
            }
            names
        })
        .collect();

    let mut counts: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    for (article, names) in found.iter().enumerate().rev() {
        for (name, line) in names {
            let entry = counts.entry(name).or_insert((0, article, *line));
            entry.0 += 1;
            *entry = (entry.0, article, *line);
        }
    }
    let mut suggestions: Vec<Diagnostic> = counts
        .into_iter()
        .filter(|(_, (count, _, _))| *count >= SUGGEST_FROM_ARTICLES)
        .map(|(name, (count, article, line))| {
            let article = &index.articles[article];
            Diagnostic::new(
                &article.source,
                article.body_line + line,
                1,
                format!(
                    "`{name}` appears in {count} articles but is no known person or topic; a profile would give them a page (content/people/{}.md)",
                    slugify(name)
                ),
            )
        })
        .collect();
    suggestions.sort();
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<String> {
        capitalised_runs(text)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn names_are_capitalised_runs() {
        assert_eq!(
            runs("ACLU lawyer Lee Gelernt said the order was clear."),
            ["Lee Gelernt"]
        );
        assert_eq!(
            runs("the ruling by Judge Dana Sabraw, who sits in San Diego."),
            ["Dana Sabraw"]
        );
        assert_eq!(
            runs("a visit by Sen. Jeff Merkley’s staff"),
            ["Jeff Merkley"]
        );
        assert_eq!(runs("as George W. Bush did"), ["George W. Bush"]);
        assert_eq!(runs("Lee Gelernt and his team"), ["Lee Gelernt"]);
        assert_eq!(runs("Jeff Merkley of Oregon"), ["Jeff Merkley"]);
    }

    #[test]
    fn institutions_and_places_are_not_names() {
        assert!(runs("the Department of Health and Human Services said").is_empty());
        assert!(
            runs("the Office of Refugee Resettlement and Immigration and Customs Enforcement")
                .is_empty()
        );
        assert!(
            runs("in the Western District of Arkansas, in New York and in San Diego").is_empty()
        );
    }

    #[test]
    fn a_sentence_start_is_not_a_name_on_its_own() {
        assert_eq!(
            runs("Separately Lee Gelernt spoke."),
            ["Separately Lee Gelernt", "Lee Gelernt"]
        );
        assert_eq!(
            runs("Lee Gelernt spoke. Then officials left."),
            ["Lee Gelernt"]
        );
        assert!(runs("On Tuesday the House voted.").is_empty());
    }
}
