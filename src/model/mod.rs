//! The model: resolve raw documents into one immutable `SiteIndex` (articles
//! sorted newest first, people and topics with their articles, events, pages).

mod bodies;
mod entities;
mod events;
pub mod links;
mod paths;
pub mod relations;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::ZonedDateTime;
use rayon::prelude::*;

pub use bodies::{Bodies, Markdown, Reuse};
pub use entities::{Entity, EntityId, Registry, ResolveError};
pub use paths::{
    article_path, check_unique_paths, day_path, month_path, normalize_alias, output_file,
    paginated, person_path, to_url_path, topic_path, year_path,
};

use crate::config::Site;
use crate::dates::{parse_datetime, PartialDate};
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{ArticleMatter, EventMatter, ImageMatter, PageMatter, ProfileMatter};
use crate::load::{Asset, ImageSize, Loaded, RawDoc, StoredBody};
use crate::slug::{name_key, slugify};

pub type ArticleId = usize;

#[derive(Debug, Clone)]
pub struct Source {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
}

/// An image with its `src` resolved to a site URL path or an absolute URL.
#[derive(Debug, Clone)]
pub struct Image {
    pub src: String,
    pub alt: Option<String>,
    pub credit: Option<String>,
    /// Known for an image file of the site.
    pub size: Option<ImageSize>,
}

/// A dated fact an article reports.
#[derive(Debug, Clone)]
pub struct Event {
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub title: String,
    pub text: Option<String>,
    pub people: Vec<EntityId>,
    pub topics: Vec<EntityId>,
    /// The articles that report it, newest first.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: ZonedDateTime,
    pub updated: Option<ZonedDateTime>,
    pub summary: Option<String>,
    pub topics: Vec<EntityId>,
    pub people: Vec<EntityId>,
    pub sources: Vec<Source>,
    pub dateline: Option<String>,
    pub image: Option<Image>,
    pub authors: Vec<String>,
    pub aliases: Vec<String>,
    /// Where the front matter sets the address and aliases, for messages.
    pub lines: AddressLines,
    pub extra: Option<serde_yaml::Value>,
    /// Where the Markdown is: it is read when needed, not kept.
    pub body: StoredBody,
    /// The line of the source file on which `body` starts.
    pub body_line: usize,
    /// The URL path, `/yyyy/mm/dd/slug/`.
    pub path: String,
}

impl Article {
    /// The publication day as written (in the date's own offset).
    pub fn day(&self) -> Date {
        self.date.date()
    }
}

/// The front matter lines that choose the files a document writes: the
/// address (`slug:`, or an article's `date:`; None when the file name gives
/// both) and each alias. Messages about those files point there.
#[derive(Debug, Clone, Default)]
pub struct AddressLines {
    pub address: Option<usize>,
    /// One per alias, in order.
    pub aliases: Vec<Option<usize>>,
}

impl AddressLines {
    /// `chosen_by` is the key whose value made the address, if one did.
    fn of<M>(doc: &RawDoc<M>, chosen_by: Option<&str>, aliases: &[(usize, String)]) -> Self {
        AddressLines {
            address: chosen_by.and_then(|key| doc.line_of(key)),
            aliases: aliases
                .iter()
                .map(|(i, _)| doc.line_of(&format!("aliases[{i}]")))
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub aliases: Vec<String>,
    /// Where the front matter sets the address and aliases, for messages.
    pub lines: AddressLines,
    pub extra: Option<serde_yaml::Value>,
    pub body: String,
    /// The line of the source file on which `body` starts.
    pub body_line: usize,
    pub path: String,
}

/// Everything the renderer needs, built once and never changed.
#[derive(Debug)]
pub struct SiteIndex {
    pub site: Site,
    /// Newest first; ties by slug.
    pub articles: Vec<Article>,
    /// Sorted by slug.
    pub people: Vec<Entity>,
    pub topics: Vec<Entity>,
    /// For each person, the articles about them, newest first.
    pub person_articles: Vec<Vec<ArticleId>>,
    /// For each topic, its articles, newest first.
    pub topic_articles: Vec<Vec<ArticleId>>,
    /// All events, each once however many articles report it, newest first;
    /// ties by time, then title.
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Days with articles, newest first, each with its articles newest first.
    pub days: Vec<(Date, Vec<ArticleId>)>,
    /// Every document's Markdown, rendered once (articles: scanned).
    pub bodies: Bodies,
    /// What renders an article's Markdown when its page is written.
    pub markdown: Markdown,
    /// Mentions, co-occurrence, related articles, who is in the news.
    pub relations: relations::Relations,
    /// What `relations` was computed from, for a rebuild to reuse it.
    pub relations_fingerprint: u64,
    /// Problems that do not stop the build (`newsdigest check` shows them).
    pub warnings: Vec<Diagnostic>,
}

/// Resolves everything that was loaded. All content errors are returned together.
/// `reuse` offers the rendered articles of a previous build of the same site;
/// `spill` is a folder where the articles' HTML may be set aside, for a build
/// that will write every article's page (see `bodies::render`).
pub fn build(
    site: Site,
    loaded: Loaded,
    include_drafts: bool,
    reuse: Option<&Reuse>,
    spill: Option<&Path>,
) -> Result<SiteIndex> {
    let Loaded {
        articles: raw_articles,
        people: raw_people,
        topics: raw_topics,
        pages: raw_pages,
        assets,
        errors,
        warnings: _,
        stripped: _,
        read: _,
    } = loaded;
    let mut diagnostics = errors;
    let mut warnings = Vec::new();
    if !site.has_absolute_urls() {
        warnings.push(Diagnostic::new(
            Path::new(crate::config::CONFIG_FILE),
            1,
            1,
            "`base_url` has no host, so no sitemap is written and feeds, canonical links and sharing metadata carry paths, not full URLs: set it to the published address (https://example.org/news/)",
        ));
    }
    let asset_paths: AssetPaths = assets
        .iter()
        .map(|a| (a.content_path.as_path(), a.size))
        .collect();

    let mut people = Registry::default();
    let mut topics = Registry::default();
    for doc in &raw_people {
        add_profile(&mut people, doc, &asset_paths, &mut diagnostics);
    }
    let topic_ids: Vec<Option<EntityId>> = raw_topics
        .iter()
        .map(|doc| add_profile(&mut topics, doc, &asset_paths, &mut diagnostics))
        .collect();
    for (doc, id) in raw_topics.iter().zip(topic_ids) {
        let (Some(id), Some(parent)) = (id, &doc.matter.parent) else {
            continue;
        };
        match topics.resolve(parent) {
            Ok(parent_id) if parent_id == id => diagnostics
                .push(doc.error_at("parent", "`parent`: a topic cannot be its own parent")),
            Ok(parent_id) => topics.get_mut(id).parent = Some(parent_id),
            Err(e) => {
                diagnostics.push(doc.error_at("parent", resolve_message("parent", parent, e)))
            }
        }
    }

    // Each article's own fields are read side by side; the names it gives
    // are then resolved in file order, which decides where a person with no
    // profile is first named.
    let mut unresolved: Vec<Unresolved> = raw_articles
        .into_par_iter()
        .filter(|d| include_drafts || !d.matter.draft)
        .map(|doc| article_fields(&site, doc, &asset_paths))
        .collect();
    let (mut people_names, mut topic_names) = (Names::new(&mut people), Names::new(&mut topics));
    for article in &mut unresolved {
        article.resolve(&mut people_names, &mut topic_names, &mut warnings);
        diagnostics.append(&mut article.errors);
    }
    let pages: Vec<Page> = raw_pages
        .into_iter()
        .filter(|d| include_drafts || !d.matter.draft)
        .filter_map(|doc| page(doc).map_err(|d| diagnostics.extend(d)).ok())
        .collect();

    warnings.extend(ambiguous_name_warnings(&people, "person"));
    warnings.extend(ambiguous_name_warnings(&topics, "topic"));
    let (people, person_id) = people.finish();
    let (topics, topic_id) = topics.finish();
    diagnostics.extend(check_topic_cycles(&topics));

    // Sort articles newest first (ties by slug), carrying their events along.
    // The keys are gathered first: comparing the articles themselves
    // reached all over memory.
    let mut keys: Vec<_> = unresolved
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let a = u.article.as_ref()?;
            let newest_first = std::cmp::Reverse(a.date.timestamp());
            Some((newest_first, a.slug.as_str(), a.source.as_path(), i))
        })
        .collect();
    keys.par_sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|key| key.3).collect();
    let mut articles = Vec::with_capacity(order.len());
    let mut reported = Vec::new();
    for (id, old) in order.into_iter().enumerate() {
        let resolved = &mut unresolved[old];
        let Some(mut article) = resolved.article.take() else {
            continue;
        };
        remap(&mut article.people, &person_id);
        remap(&mut article.topics, &topic_id);
        for (event, _, _) in std::mem::take(&mut resolved.events) {
            let Some(mut event) = event else { continue };
            remap(&mut event.people, &person_id);
            remap(&mut event.topics, &topic_id);
            reported.push((event, id));
        }
        articles.push(article);
    }
    // The names each article gave are resolved: their memory is not kept
    // through the scan.
    drop(unresolved);
    // The oldest report of an event gives its wording; later ones add links.
    let mut events = events::EventSet::default();
    for (event, id) in reported.into_iter().rev() {
        events.add(event, id);
    }
    let events = events.finish();

    let mut person_articles = vec![Vec::new(); people.len()];
    let mut topic_articles = vec![Vec::new(); topics.len()];
    let mut by_day: BTreeMap<Date, Vec<ArticleId>> = BTreeMap::new();
    for (id, article) in articles.iter().enumerate() {
        for person in &article.people {
            person_articles[*person].push(id);
        }
        for topic in &article.topics {
            topic_articles[*topic].push(id);
        }
        by_day.entry(article.day()).or_default().push(id);
    }
    let days: Vec<_> = by_day.into_iter().rev().collect();
    let (bodies, markdown) = bodies::render(
        &bodies::Documents {
            site: &site,
            articles: &articles,
            people: &people,
            topics: &topics,
            pages: &pages,
            assets: &assets,
            events: &events,
        },
        reuse,
        spill,
    );
    // Relations, links and the files each source writes are checked side
    // by side: none needs another's results.
    let relations = || {
        let (people, topics) = (people.len(), topics.len());
        let fingerprint =
            relations::inputs_fingerprint(&articles, &bodies.articles, people, topics);
        let relations = match reuse.map(|r| r.relations) {
            Some((previous, kept)) if previous == fingerprint => kept.clone(),
            _ => relations::compute(&articles, &bodies.articles, people, topics),
        };
        (fingerprint, relations)
    };
    let links = || {
        let documents = links::documents(&articles, &pages, &bodies);
        (
            links::missing_files(&documents),
            links::missing_anchors(&documents),
        )
    };
    let unique_paths = || {
        check_unique_paths(&paths::Sources {
            days: &days,
            people: &people,
            topics: &topics,
            articles: &articles,
            pages: &pages,
            assets: &assets,
        })
    };
    let ((relations_fingerprint, relations), ((missing_files, missing_anchors), collisions)) =
        rayon::join(relations, || rayon::join(links, unique_paths));
    diagnostics.extend(bodies.failures.iter().cloned());
    diagnostics.extend(missing_files);
    warnings.extend(missing_anchors);

    let index = SiteIndex {
        site,
        articles,
        people,
        topics,
        person_articles,
        topic_articles,
        events,
        pages,
        assets,
        days,
        bodies,
        markdown,
        relations,
        relations_fingerprint,
        warnings,
    };
    diagnostics.extend(collisions);
    if diagnostics.is_empty() {
        Ok(index)
    } else {
        Err(Error::content(diagnostics))
    }
}

/// A name or alias two profiles claim links nobody: say so at both profiles.
fn ambiguous_name_warnings(registry: &Registry, kind: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (name, a, b) in registry.ambiguous_names() {
        let (a, b) = (registry.get(a), registry.get(b));
        for (entity, other) in [(a, b), (b, a)] {
            if let Some(profile) = &entity.profile {
                warnings.push(Diagnostic::new(
                    profile,
                    1,
                    1,
                    format!(
                        "the {kind} name `{name}` is also claimed by {}: it is ambiguous, so it links neither",
                        other.name
                    ),
                ));
            }
        }
    }
    warnings
}

fn remap(ids: &mut [EntityId], new_id: &[EntityId]) {
    for id in ids {
        *id = new_id[*id];
    }
}

fn resolve_message(field: &str, reference: &str, error: ResolveError) -> String {
    match error {
        ResolveError::Ambiguous { first, second } => format!(
            "`{field}`: `{reference}` could be {first} or {second}; write the full name or the slug"
        ),
        ResolveError::NoSlug => {
            format!(
                "`{field}`: `{reference}` has no letters or digits to build a page address from"
            )
        }
    }
}

fn add_profile(
    registry: &mut Registry,
    doc: &RawDoc<ProfileMatter>,
    asset_paths: &AssetPaths,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<EntityId> {
    let ProfileMatter {
        name,
        title,
        aliases,
        description,
        image,
        links,
        role,
        born,
        parent: _,
        detect,
        extra: _,
    } = &doc.matter;
    let Some(name) = name
        .as_deref()
        .or(title.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
    else {
        diagnostics.push(doc.error_at("name", "missing `name`: a profile needs `name: ...`"));
        return None;
    };
    let slug = slugify(doc.stem());
    if slug.is_empty() {
        diagnostics.push(doc.error_at(
            "name",
            "the file name has no letters or digits to build a page address from",
        ));
        return None;
    }
    let mut entity = Entity::named(name, slug);
    entity.aliases = aliases.0.iter().map(|a| a.trim().to_string()).collect();
    if entity
        .aliases
        .iter()
        .any(|a| a.chars().filter(|c| c.is_alphanumeric()).count() < 2)
    {
        diagnostics.push(doc.error_at(
            "aliases",
            "`aliases`: an alias must have at least two letters or digits (an empty alias would match everywhere)",
        ));
        return None;
    }
    entity.description = description.clone();
    let content_dir = doc.content_path.parent().unwrap_or(Path::new(""));
    entity.image = image.as_ref().and_then(|image| {
        resolve_image(image.0.clone(), content_dir, &doc.path, asset_paths)
            .map_err(|e| diagnostics.push(doc.error_at("image", e)))
            .ok()
    });
    entity.links = links.iter().map(|l| l.0.clone()).collect();
    let unsafe_links: Vec<Diagnostic> = entity
        .links
        .iter()
        .enumerate()
        .filter(|(_, l)| !crate::html::is_safe_url(&l.url))
        .map(|(i, link)| {
            doc.error_at(
                &format!("links[{i}]"),
                format!("`links[{i}]`: `{}` is not a link to follow", link.url),
            )
        })
        .collect();
    if !unsafe_links.is_empty() {
        diagnostics.extend(unsafe_links);
        return None;
    }
    entity.role = role.clone();
    entity.born = born.as_ref().map(|b| b.0.clone());
    entity.body = doc.body.clone();
    entity.profile = Some(doc.path.clone());
    entity.detect = *detect;
    match registry.add_profile(entity) {
        Ok(id) => Some(id),
        Err(_) => {
            diagnostics.push(doc.error_at(
                "name",
                format!(
                    "another profile already has the address `{}`",
                    slugify(doc.stem())
                ),
            ));
            None
        }
    }
}

fn check_topic_cycles(topics: &[Entity]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (start, topic) in topics.iter().enumerate() {
        let mut current = topic.parent;
        let mut steps = 0;
        while let Some(id) = current {
            if id == start || steps > topics.len() {
                let path = topic.profile.clone().unwrap_or_default();
                diagnostics.push(Diagnostic::new(
                    &path,
                    1,
                    1,
                    format!("`parent`: the topic `{}` is its own ancestor", topic.slug),
                ));
                break;
            }
            current = topics[id].parent;
            steps += 1;
        }
    }
    diagnostics
}

/// The date a file name starts with: `2018-06-19-slug.md`.
fn date_prefix(stem: &str) -> Option<(&str, &str)> {
    let date = stem.get(..10)?;
    let rest = stem.get(10..)?;
    let valid = date.parse::<Date>().is_ok();
    (valid && (rest.is_empty() || rest.starts_with(['-', '_'])))
        .then(|| (date, rest.trim_start_matches(['-', '_'])))
}

/// An article's own fields, read; the people and topics it names are still
/// names.
struct Unresolved {
    /// The file, as messages show it.
    source: PathBuf,
    /// The lines of `people`, `topics` and `events`, for messages.
    lines: NameLines,
    /// None when a field is wrong (`errors` says which).
    article: Option<Article>,
    errors: Vec<Diagnostic>,
    people: Vec<String>,
    topics: Vec<String>,
    /// Each event with the people and topics it names: None when a field of
    /// its own is wrong.
    events: Vec<(Option<Event>, Vec<String>, Vec<String>)>,
}

/// Where an article's front matter names people, topics and events.
struct NameLines {
    people: usize,
    topics: usize,
    events: usize,
}

/// Reads everything of an article that needs no other document.
fn article_fields(
    site: &Site,
    mut doc: Box<RawDoc<ArticleMatter>>,
    asset_paths: &AssetPaths,
) -> Unresolved {
    let mut errors = Vec::new();
    let ArticleMatter {
        title,
        date,
        updated,
        summary,
        topics,
        people,
        sources,
        events,
        dateline,
        image,
        authors,
        slug,
        draft: _,
        aliases,
        extra,
    } = std::mem::take(&mut doc.matter);

    let title = title
        .map(|t| t.0.trim().to_string())
        .filter(|t| !t.is_empty());
    if title.is_none() {
        errors.push(if doc.key_lines.contains_key("title") {
            doc.error_at(
                "title",
                "`title` has no value: YAML reads `null`, `Null`, `~` and nothing as no value; write the title (in quotes if it is one of those words)",
            )
        } else {
            doc.error_at("title", "missing `title`: every article needs `title: ...`")
        });
    }
    let stem = doc.stem().to_string();
    let from_name = date_prefix(&stem);
    let address_key = match (&slug, &date) {
        (Some(_), _) => Some("slug"),
        (None, Some(_)) => Some("date"),
        (None, None) => None,
    };
    let date = match (&date, from_name) {
        (Some(text), _) => parse_datetime(&text.0, &site.timezone)
            .map_err(|e| errors.push(doc.error_at("date", format!("`date`: {e}"))))
            .ok(),
        (None, Some((day, _))) => parse_datetime(day, &site.timezone).ok(),
        (None, None) => {
            errors.push(match crate::dates::no_such_day(&stem) {
                Some(problem) => Diagnostic::new(
                    &doc.path,
                    1,
                    1,
                    format!("the file name starts with a date that does not exist: {problem}"),
                ),
                None => doc.error_at(
                    "date",
                    "missing `date`: add `date: YYYY-MM-DD` or start the file name with the date (2018-06-19-title.md)",
                ),
            });
            None
        }
    };
    let updated = updated.and_then(|text| {
        parse_datetime(&text.0, &site.timezone)
            .map_err(|e| errors.push(doc.error_at("updated", format!("`updated`: {e}"))))
            .ok()
    });
    let slug_source = match &slug {
        Some(custom) => custom.0.clone(),
        None => from_name.map_or(stem.clone(), |(_, rest)| rest.to_string()),
    };
    let slug = slugify(&slug_source);
    if slug.is_empty() {
        errors.push(doc.error_at(
            "slug",
            "the slug (from `slug:` or the file name) has no letters or digits",
        ));
    }

    let events = events
        .into_iter()
        .enumerate()
        .map(|(index, matter)| {
            let EventMatter {
                date,
                end,
                title,
                text,
                people,
                topics,
            } = matter;
            let at = |message: String| {
                doc.error_at(
                    &format!("events[{index}]"),
                    format!("`events[{index}]`: {message}"),
                )
            };
            let start =
                PartialDate::parse(&date.0).map_err(|e| errors.push(at(format!("`date`: {e}"))));
            let end = end.map(|end| {
                PartialDate::parse(&end.0).map_err(|e| errors.push(at(format!("`end`: {e}"))))
            });
            let title = title.trim().to_string();
            let event = match (start, end.transpose()) {
                (Ok(_), Ok(_)) if title.is_empty() => {
                    errors.push(at("`title` is empty".to_string()));
                    None
                }
                (Ok(date), Ok(end)) => Some(Event {
                    date,
                    end,
                    title,
                    text,
                    people: Vec::new(),
                    topics: Vec::new(),
                    articles: Vec::new(),
                }),
                _ => None,
            };
            (event, people.0, topics.0)
        })
        .collect();

    let sources = sources
        .into_iter()
        .map(|s| s.0)
        .enumerate()
        .filter_map(|(index, s)| {
            if s.title.is_none() && s.url.is_none() {
                errors.push(doc.error_at(
                    &format!("sources[{index}]"),
                    format!("`sources[{index}]`: give a `title`, a `url`, or both"),
                ));
                return None;
            }
            if let Some(url) = s.url.as_deref().filter(|u| !crate::html::is_safe_url(u)) {
                errors.push(doc.error_at(
                    &format!("sources[{index}]"),
                    format!("`sources[{index}]`: `{url}` is not a link to follow"),
                ));
                return None;
            }
            Some(Source {
                title: s.title,
                url: s.url,
                publisher: s.publisher,
            })
        })
        .collect();

    let content_dir = doc.content_path.parent().unwrap_or(Path::new(""));
    let image = image.and_then(|image| {
        resolve_image(image.0, content_dir, &doc.path, asset_paths)
            .map_err(|e| errors.push(doc.error_at("image", e)))
            .ok()
    });
    let aliases = check_aliases(&doc, aliases.0, &mut errors);
    let lines = AddressLines::of(&doc, address_key, &aliases);
    let aliases = aliases.into_iter().map(|(_, path)| path).collect();

    let article = match (title, date, errors.is_empty()) {
        (Some(title), Some(date), true) => Some(Article {
            source: PathBuf::new(),
            path: article_path(date.date(), &slug),
            slug,
            title,
            date,
            updated,
            summary: summary
                .map(|s| s.0.trim().to_string())
                .filter(|s| !s.is_empty()),
            topics: Vec::new(),
            people: Vec::new(),
            sources,
            dateline: dateline
                .map(|d| d.0.trim().to_string())
                .filter(|d| !d.is_empty()),
            image,
            authors: authors.0,
            aliases,
            lines,
            extra,
            body: std::mem::take(&mut doc.stored),
            body_line: doc.body_line,
        }),
        _ => None,
    };
    let line = |field| doc.line_of(field).unwrap_or(1);
    Unresolved {
        lines: NameLines {
            people: line("people"),
            topics: line("topics"),
            events: line("events"),
        },
        source: doc.path,
        article,
        errors,
        people: people.0,
        topics: topics.0,
        events,
    }
}

impl Unresolved {
    /// Resolves the names the article and its events give. Names are
    /// resolved even when a field is wrong, so that every error shows; a
    /// name that does not resolve leaves the article out.
    fn resolve(&mut self, people: &mut Names, topics: &mut Names, warnings: &mut Vec<Diagnostic>) {
        let (source, lines) = (self.source.as_path(), &self.lines);
        let mut notes = Notes::default();
        let mut resolve = |names: &mut Names, given: &[String], field: &str, line: usize| {
            resolve_all(source, line, names, given, field, &mut notes)
        };
        let person_ids = resolve(people, &self.people, "people", lines.people);
        let topic_ids = resolve(topics, &self.topics, "topics", lines.topics);
        for (event, event_people, event_topics) in &mut self.events {
            let event_people = resolve(people, event_people, "events", lines.events);
            let event_topics = resolve(topics, event_topics, "events", lines.events);
            if let Some(event) = event {
                event.people = match event_people.is_empty() {
                    true => person_ids.clone(),
                    false => event_people,
                };
                event.topics = match event_topics.is_empty() {
                    true => topic_ids.clone(),
                    false => event_topics,
                };
            }
        }
        self.errors.append(&mut notes.errors);
        warnings.append(&mut notes.warnings);
        if !self.errors.is_empty() {
            self.article = None;
        }
        if let Some(article) = &mut self.article {
            article.source = std::mem::take(&mut self.source);
            article.people = person_ids;
            article.topics = topic_ids;
        }
    }
}

/// Resolves each name, dropping repeats; failures are reported at `field`'s
/// line, and a profile's name written with other case or spacing is a warning.
fn resolve_all(
    source: &Path,
    line: usize,
    names: &mut Names,
    given: &[String],
    field: &str,
    notes: &mut Notes,
) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = Vec::new();
    for name in given {
        let id = match names.resolve(name) {
            Ok(id) => id,
            Err(e) => {
                notes.errors.push(Diagnostic::new(
                    source,
                    line,
                    1,
                    resolve_message(field, name, e),
                ));
                continue;
            }
        };
        let entity = names.registry.get(id);
        let written = name.trim();
        let mut spellings = std::iter::once(&entity.name).chain(&entity.aliases);
        // Most names are written as their profile writes them: only the
        // others are compared by key.
        if entity.profile.is_some() && !spellings.clone().any(|s| s == written) {
            let key = name_key(written);
            if let Some(spelling) = spellings.find(|s| name_key(s) == key) {
                notes.warnings.push(Diagnostic::new(
                    source,
                    line,
                    1,
                    format!("`{field}`: `{written}` is written differently from the profile's `{spelling}`"),
                ));
            }
        }
        if entity.profile.is_none() && entity.named_at.is_none() {
            names.registry.get_mut(id).named_at = Some((source.to_path_buf(), line));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A registry, with what each name written so far resolved to: an archive
/// writes the same names thousands of times. What a name resolves to does
/// not change as others are added, since a new entity only claims a name
/// nobody had.
struct Names<'r> {
    registry: &'r mut Registry,
    known: rustc_hash::FxHashMap<String, Result<EntityId, ResolveError>>,
}

impl<'r> Names<'r> {
    fn new(registry: &'r mut Registry) -> Self {
        Names {
            registry,
            known: Default::default(),
        }
    }

    fn resolve(&mut self, name: &str) -> Result<EntityId, ResolveError> {
        if let Some(known) = self.known.get(name) {
            return known.clone();
        }
        let resolved = self.registry.resolve(name);
        self.known.insert(name.to_string(), resolved.clone());
        resolved
    }
}

/// Errors and warnings gathered while resolving.
#[derive(Default)]
struct Notes {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// The site's files by their path under content/ (or where a static folder
/// puts them), with their sizes when they are images.
type AssetPaths<'a> = HashMap<&'a Path, Option<ImageSize>>;

/// A relative image names a file beside the article; it must exist.
/// `document` is the file naming the image, as messages show it.
fn resolve_image(
    image: ImageMatter,
    content_dir: &Path,
    document: &Path,
    asset_paths: &AssetPaths,
) -> Result<Image, String> {
    let ImageMatter { src, alt, credit } = image;
    let src = src.trim().to_string();
    let is_url = src.starts_with("https://") || src.starts_with("http://") || src.starts_with('/');
    let (src, size) = if is_url {
        // A path from the site root may name one of its files.
        let file = bodies::site_file(&src).filter(|_| !src.starts_with("//"));
        let size = file.and_then(|file| asset_paths.get(file.as_path()).copied().flatten());
        (src, size)
    } else {
        let relative = Path::new(&src);
        if !crate::load::is_plain_relative(relative) {
            return Err(format!("`image`: `{src}` must be a file beside the article, a path from the site root, or an http(s) URL"));
        }
        let content_path = content_dir.join(relative);
        let Some(size) = asset_paths.get(content_path.as_path()) else {
            let looked = document.parent().unwrap_or(Path::new("")).join(relative);
            return Err(format!(
                "`image`: `{src}` not found (looked for {})",
                looked.display()
            ));
        };
        (format!("/{}", paths::to_url_path(&content_path)), *size)
    };
    Ok(Image {
        src,
        alt,
        credit,
        size,
    })
}

/// `text` with control characters (a line break, a tab) written as escapes,
/// so a message shows them.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The aliases that are site paths, each with its place in the list.
fn check_aliases<M>(
    doc: &RawDoc<M>,
    aliases: Vec<String>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(usize, String)> {
    aliases
        .into_iter()
        .enumerate()
        .filter_map(|(i, alias)| match paths::normalize_alias(&alias) {
            Some(path) => match paths::over_built_in_file(&path) {
                Some(file) => {
                    errors.push(doc.error_at(
                        &format!("aliases[{i}]"),
                        format!("`aliases`: `{alias}` is the address of {file}, a file the site writes"),
                    ));
                    None
                }
                None => Some((i, path)),
            },
            None => {
                errors.push(doc.error_at(
                    &format!("aliases[{i}]"),
                    format!("`aliases`: `{}` must be a site path like /2018/old-address/ (no `..`, no scheme, no spaces, `:` or `*`)", visible(&alias)),
                ));
                None
            }
        })
        .collect()
}

fn page(mut doc: RawDoc<PageMatter>) -> Result<Page, Vec<Diagnostic>> {
    let PageMatter {
        title,
        summary,
        slug,
        draft: _,
        aliases,
        extra,
    } = std::mem::take(&mut doc.matter);
    let Some(title) = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        return Err(vec![doc.error_at(
            "title",
            "missing `title`: every page needs `title: ...`",
        )]);
    };
    let address_key = slug.is_some().then_some("slug");
    let slug = slugify(&slug.map_or_else(|| doc.stem().to_string(), |s| s.0));
    if slug.is_empty() {
        return Err(vec![doc.error_at(
            "slug",
            "the slug (from `slug:` or the file name) has no letters or digits",
        )]);
    }
    let mut errors = Vec::new();
    let aliases = check_aliases(&doc, aliases.0, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Page {
        path: format!("/{slug}/"),
        lines: AddressLines::of(&doc, address_key, &aliases),
        aliases: aliases.into_iter().map(|(_, path)| path).collect(),
        source: doc.path,
        slug,
        title,
        summary,
        extra,
        body: doc.body,
        body_line: doc.body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_may_carry_the_date() {
        assert_eq!(
            date_prefix("2018-06-19-letters"),
            Some(("2018-06-19", "letters"))
        );
        assert_eq!(date_prefix("2018-06-19"), Some(("2018-06-19", "")));
        assert_eq!(date_prefix("2018-06-31-x"), None);
        assert_eq!(date_prefix("letters"), None);
        assert_eq!(date_prefix("2018-06-19letters"), None);
    }
}
