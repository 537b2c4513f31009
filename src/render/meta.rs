//! Sharing metadata: OpenGraph and Twitter card values, feed links, and
//! schema.org JSON-LD (NewsArticle, ProfilePage, CollectionPage,
//! BreadcrumbList), every JSON block escaped for its `<script>`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::Renderer;
use crate::dates::{long_date, month_name};
use crate::html::{escape_into, json_for_script};
use crate::model::{self, ArticleId};
use crate::views::iso_datetime;

/// What a page says about itself to feed readers, crawlers and social sites.
#[derive(Serialize)]
pub struct MetaView {
    pub og_type: &'static str,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// In pixels, for an image file of the site.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub feeds: Vec<FeedLink>,
    /// JSON-LD blocks, already safe inside `<script>`.
    pub json_ld: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
}

impl<'a> Renderer<'a> {
    fn site_feeds(&self) -> Vec<FeedLink> {
        self.site_feeds.clone()
    }

    /// The site's own feeds, which every page links.
    pub(super) fn feed_links(site: &crate::config::Site) -> Vec<FeedLink> {
        vec![
            FeedLink {
                title: format!("{} (Atom)", site.title),
                url: site.absolute_url("/feed.xml"),
                kind: "application/atom+xml",
            },
            FeedLink {
                title: format!("{} (JSON Feed)", site.title),
                url: site.absolute_url("/feed.json"),
                kind: "application/feed+json",
            },
        ]
    }

    /// A plain page: the site's feeds, no structured data.
    pub(super) fn default_meta(&self) -> MetaView {
        MetaView {
            og_type: "website",
            image: None,
            image_alt: None,
            image_width: None,
            image_height: None,
            published: None,
            modified: None,
            section: None,
            tags: Vec::new(),
            feeds: self.site_feeds(),
            json_ld: Vec::new(),
        }
    }

    /// Home > ... > the page, as schema.org BreadcrumbList.
    fn breadcrumbs(&self, trail: &[(String, String)]) -> String {
        let site = &self.index.site;
        let home = (site.title.as_str(), "/");
        let items = std::iter::once(home)
            .chain(
                trail
                    .iter()
                    .map(|(name, path)| (name.as_str(), path.as_str())),
            )
            .enumerate()
            .map(|(i, (name, path))| ListItem {
                kind: "ListItem",
                item: site.absolute_url(path),
                name,
                position: i + 1,
            })
            .collect();
        json_for_script(&BreadcrumbList {
            context: SCHEMA,
            kind: "BreadcrumbList",
            item_list_element: items,
        })
    }

    fn person_refs(&self, ids: &[usize]) -> Vec<Thing<'a>> {
        ids.iter()
            .map(|id| {
                let person = &self.index.people[*id];
                let url = self
                    .index
                    .site
                    .absolute_url(&model::person_path(&person.slug));
                Thing::new("Person", &person.name).at(url)
            })
            .collect()
    }

    pub(super) fn article_meta(&self, id: ArticleId) -> MetaView {
        let index = self.index;
        let site = &index.site;
        let article = &index.articles[id];
        let url = site.absolute_url(&article.path);
        let topics: Vec<String> = article
            .topics
            .iter()
            .map(|t| index.topics[*t].name.clone())
            .collect();
        let image = article.image.as_ref().map(|i| self.absolute(&i.src));
        let image_size = article.image.as_ref().and_then(|i| i.size);
        let authors = if article.authors.is_empty() {
            vec![Thing::new("Organization", &site.title)]
        } else {
            article
                .authors
                .iter()
                .map(|a| Thing::new("Person", a))
                .collect()
        };
        let published = iso_datetime(&article.date);
        let modified = self.updated(id);
        let data = NewsArticle {
            context: SCHEMA,
            kind: "NewsArticle",
            about: self.person_refs(&article.people),
            article_section: topics.first().map(String::as_str),
            author: authors,
            date_modified: &modified,
            date_published: &published,
            dateline: article.dateline.as_deref(),
            description: self.summary(id),
            headline: &article.title,
            image: image.as_deref().map(|image| [image]),
            in_language: &site.language,
            keywords: (!topics.is_empty()).then(|| topics.join(", ")),
            main_entity_of_page: &url,
            mentions: self.person_refs(&index.relations.article_mentions[id]),
            publisher: Thing::new("Organization", &site.title).at(site.absolute_url("/")),
            url: &url,
        };
        let json_ld = json_for_script(&data);
        let day = article.day();
        let trail = [
            (day.year().to_string(), model::year_path(day.year())),
            (
                format!("{} {}", month_name(day.month()), day.year()),
                model::month_path(day.year(), day.month()),
            ),
            (long_date(day), model::day_path(day)),
            (article.title.clone(), article.path.clone()),
        ];
        MetaView {
            og_type: "article",
            image_alt: article.image.as_ref().and_then(|i| i.alt.clone()),
            image_width: image_size.map(|s| s.width),
            image_height: image_size.map(|s| s.height),
            image,
            published: Some(published),
            modified: Some(modified),
            section: topics.first().cloned(),
            tags: topics,
            feeds: self.site_feeds(),
            json_ld: vec![json_ld, self.breadcrumbs(&trail)],
        }
    }

    /// A person's or topic's page: ProfilePage or CollectionPage, breadcrumbs,
    /// and their own feed first among the feed links.
    pub(super) fn entity_meta(&self, is_person: bool, id: usize) -> MetaView {
        let index = self.index;
        let site = &index.site;
        let (entity, prefix, section) = if is_person {
            (&index.people[id], "/people/", "People")
        } else {
            (&index.topics[id], "/topics/", "Topics")
        };
        let path = format!("{prefix}{}/", entity.slug);
        let url = site.absolute_url(&path);
        let image = entity.image.as_ref().map(|i| self.absolute(&i.src));
        let image_size = entity.image.as_ref().and_then(|i| i.size);
        let data = if is_person {
            json_for_script(&ProfilePage {
                context: SCHEMA,
                kind: "ProfilePage",
                main_entity: Person {
                    kind: "Person",
                    alternate_name: &entity.aliases,
                    description: entity.description.as_deref(),
                    image: image.as_deref(),
                    job_title: entity.role.as_deref(),
                    name: &entity.name,
                    same_as: entity
                        .links
                        .iter()
                        .map(|l| l.url.as_str())
                        .filter(|u| u.contains("wikipedia.org/") || u.contains("wikidata.org/"))
                        .collect(),
                    url: &url,
                },
                url: &url,
            })
        } else {
            json_for_script(&CollectionPage {
                context: SCHEMA,
                kind: "CollectionPage",
                about: Thing::new("Thing", &entity.name),
                description: entity.description.as_deref(),
                name: &entity.name,
                url: &url,
            })
        };
        let mut trail = vec![(section.to_string(), prefix.to_string())];
        if let Some(parent) = entity.parent {
            let parent = &index.topics[parent];
            trail.push((parent.name.clone(), model::topic_path(&parent.slug)));
        }
        trail.push((entity.name.clone(), path.clone()));
        let mut feeds = vec![FeedLink {
            title: format!("{} ({})", entity.name, site.title),
            url: site.absolute_url(&format!("{path}feed.xml")),
            kind: "application/atom+xml",
        }];
        feeds.extend(self.site_feeds());
        MetaView {
            og_type: if is_person { "profile" } else { "website" },
            image_alt: entity.image.as_ref().and_then(|i| i.alt.clone()),
            image_width: image_size.map(|s| s.width),
            image_height: image_size.map(|s| s.height),
            image,
            feeds,
            json_ld: vec![data, self.breadcrumbs(&trail)],
            ..self.default_meta()
        }
    }
}

/// The tags a page's `<head>` holds about the page, as `meta_html` gives
/// them to templates: its description, canonical link, Open Graph and
/// Twitter card values, feed links, JSON-LD blocks, and the links to the
/// previous and next pages of a paginated list. They are made from
/// the page's data as the template language would print it (the same
/// escaping, empty values left out), `meta` being the page's own sharing
/// metadata or the site's default, and `site` the site's data.
pub(super) fn head_tags(page: &Map<String, Value>, meta: &Value, site: &Value) -> String {
    let field = |name: &str| given(meta.get(name));
    let (description, image) = (given(page.get("description")), field("image"));
    let (canonical, title) = (page.get("canonical"), page.get("page_title"));
    let mut tags = Tags(String::with_capacity(2048));
    // The canonical link starts the description's line or a line of its own.
    match description {
        Some(_) => tags.meta("name", "description", description),
        None => tags.0.push('\n'),
    }
    tags.put(r#"<link rel="canonical" href=""#, canonical, "\">\n");
    tags.meta("property", "og:site_name", site.get("title"));
    tags.meta("property", "og:title", title);
    tags.meta("property", "og:type", meta.get("og_type"));
    tags.meta("property", "og:url", canonical);
    if description.is_some() {
        tags.meta("property", "og:description", description);
    }
    if image.is_some() {
        tags.meta("property", "og:image", image);
        if field("image_width").is_some() {
            tags.meta("property", "og:image:width", meta.get("image_width"));
            tags.meta("property", "og:image:height", meta.get("image_height"));
        }
        if let Some(alt) = field("image_alt") {
            tags.meta("property", "og:image:alt", Some(alt));
        }
    }
    if field("published").is_some() {
        tags.meta("property", "article:published_time", meta.get("published"));
        tags.meta("property", "article:modified_time", meta.get("modified"));
    }
    if let Some(section) = field("section") {
        tags.meta("property", "article:section", Some(section));
    }
    for tag in list(meta.get("tags")) {
        tags.meta("property", "article:tag", Some(tag));
    }
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    tags.text(&[r#"<meta name="twitter:card" content=""#, card, "\">\n"]);
    tags.meta("name", "twitter:title", title);
    if description.is_some() {
        tags.meta("name", "twitter:description", description);
    }
    if image.is_some() {
        tags.meta("name", "twitter:image", image);
    }
    for feed in list(meta.get("feeds")) {
        tags.put(r#"<link rel="alternate" type=""#, feed.get("kind"), "");
        tags.put(r#"" title=""#, feed.get("title"), "");
        tags.put(r#"" href=""#, feed.get("url"), "\">\n");
    }
    for data in list(meta.get("json_ld")) {
        // Made safe inside `<script>` when it was made.
        let data = data.as_str().unwrap_or_default();
        tags.text(&[
            r#"<script type="application/ld+json">"#,
            data,
            "</script>\n",
        ]);
    }
    // Each on a line of its own, if any.
    let paginator = given(page.get("paginator"));
    for rel in ["prev", "next"] {
        let link = paginator.and_then(|p| given(p.get(rel)));
        tags.0.push('\n');
        if link.is_some() {
            tags.text(&["<link rel=\"", rel, "\" href=\""]);
            tags.put("", link, "\">");
        }
    }
    tags.0
}

/// Tags as `head_tags` writes them.
struct Tags(String);

impl Tags {
    /// Markup, as it is.
    fn text(&mut self, parts: &[&str]) {
        for part in parts {
            self.0.push_str(part);
        }
    }

    /// `before`, `value` printed, then `after`, which is markup.
    fn put(&mut self, before: &str, value: Option<&Value>, after: &str) {
        self.0.push_str(before);
        print(&mut self.0, value);
        self.0.push_str(after);
    }

    /// `<meta kind="name" content="value">` on a line of its own.
    fn meta(&mut self, kind: &str, name: &str, value: Option<&Value>) {
        self.text(&["<meta ", kind, "=\"", name, "\" content=\""]);
        self.put("", value, "\">\n");
    }
}

/// `value`, if the template language takes it as true.
fn given(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| truthy(v))
}

/// Whether the template language takes `value` as true.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The items of a list, none for anything else.
fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Prints `value` as the template language prints it into HTML: text
/// escaped, numbers as they are, nothing for what is missing.
fn print(out: &mut String, value: Option<&Value>) {
    match value {
        Some(Value::String(text)) => escape_into(out, text),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&f.to_string()),
            _ => {}
        },
        Some(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        _ => {}
    }
}

// schema.org JSON-LD. Fields are declared in alphabetical order, which is
// the order the blocks have always been written in; empty ones are left out.

const SCHEMA: &str = "https://schema.org";

/// A typed reference: a person, an organisation, a thing.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

impl<'a> Thing<'a> {
    fn new(kind: &'static str, name: &'a str) -> Self {
        Thing {
            kind,
            name,
            url: None,
        }
    }

    fn at(self, url: String) -> Self {
        Thing {
            url: Some(url),
            ..self
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    author: Vec<Thing<'a>>,
    date_modified: &'a str,
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<Thing<'a>>,
    publisher: Thing<'a>,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfilePage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    main_entity: Person<'a>,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    alternate_name: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
struct CollectionPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Thing<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}
