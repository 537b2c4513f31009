//! What templates see: small serializable structs borrowed from the index, so a
//! renamed model field cannot silently break a theme. Every value is plain text
//! (escaped by the templates) except fields named `*_html`.

use std::borrow::Cow;

use serde::Serialize;

use crate::config::Site;
use crate::dates::{long_date, PartialDate};
use crate::model::{Article, Entity, Event, SiteIndex};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// Prefix for every link inside pages: empty or a sub-path like `/news`.
    pub base_url: &'a str,
    pub home_url: String,
    pub nav: Vec<LinkView>,
    pub stylesheets: Vec<String>,
}

impl<'a> SiteView<'a> {
    pub fn new(index: &'a SiteIndex) -> Self {
        let site = &index.site;
        let mut nav = vec![
            LinkView::new("Timeline", site.url("/timeline/")),
            LinkView::new("Topics", site.url("/topics/")),
            LinkView::new("People", site.url("/people/")),
        ];
        nav.extend(
            index
                .pages
                .iter()
                .map(|p| LinkView::new(&p.title, site.url(&p.path))),
        );
        if site.search {
            nav.push(LinkView::new("Search", site.url("/search/")));
        }
        SiteView {
            title: &site.title,
            description: &site.description,
            language: &site.language,
            base_url: &site.base_path,
            home_url: site.url("/"),
            nav,
            stylesheets: vec![site.url("/style.css"), site.url("/syntax.css")],
        }
    }
}

/// An entry of the site's navigation, as the theme's `site_nav` macro gets
/// it: `current` on the page it links.
#[derive(Serialize)]
pub struct NavItem<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub current: bool,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

impl LinkView {
    pub fn new(name: &str, url: String) -> Self {
        LinkView {
            name: name.to_string(),
            url,
        }
    }
}

/// What lists and timelines show of an article besides its title and
/// summary: formatted once per build, though the article is on many pages.
pub struct Listed {
    pub url: String,
    pub date_iso: String,
    pub date_display: String,
}

impl Listed {
    pub fn new(index: &SiteIndex, article: &Article) -> Self {
        Listed {
            url: index.site.url(&article.path),
            date_iso: iso_datetime(&article.date),
            date_display: long_date(article.day()),
        }
    }
}

/// An article in a list.
#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date_iso: &'a str,
    pub date_display: &'a str,
    pub dateline: Option<&'a str>,
    pub summary: &'a str,
    pub topics: Vec<&'a LinkView>,
    /// The card as the theme's `article_card` macro writes it, rendered once
    /// per build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_html: Option<String>,
}

impl<'a> ArticleCard<'a> {
    /// The card of `article`, with the link of every topic at its id in
    /// `topic_links`.
    pub fn new(
        article: &'a Article,
        listed: &'a Listed,
        summary: &'a str,
        topic_links: &'a [LinkView],
    ) -> Self {
        ArticleCard {
            title: &article.title,
            url: &listed.url,
            date_iso: &listed.date_iso,
            date_display: &listed.date_display,
            dateline: article.dateline.as_deref(),
            summary,
            topics: article.topics.iter().map(|t| &topic_links[*t]).collect(),
            card_html: None,
        }
    }
}

/// An article card or timeline entry as a page's data holds it: whole, or
/// only its markup when no page template reads more of it (see `reads`).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Item<T> {
    Whole(T),
    Markup(Markup),
}

/// An item's markup alone, under the field that carries it.
pub struct Markup {
    pub field: &'static str,
    pub html: String,
}

impl Serialize for Markup {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.field, &self.html)?;
        map.end()
    }
}

/// A person or topic in an index or a ranking.
#[derive(Serialize)]
pub struct EntityCard<'a> {
    pub name: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub role: Option<&'a str>,
    pub count: usize,
    /// Index pages: activity over time, as inline SVG.
    pub sparkline_html: Option<String>,
}

#[derive(Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    pub alt: &'a str,
    pub credit: Option<&'a str>,
    /// In pixels, for an image file of the site.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub publisher: Option<&'a str>,
}

#[derive(Serialize)]
pub struct EventView<'a> {
    pub title: &'a str,
    pub date_iso: String,
    pub date_display: String,
    pub end_display: Option<String>,
    pub text_html: Option<&'a str>,
    /// Every article that reports the event.
    pub reported_in: Vec<LinkView>,
}

impl<'a> EventView<'a> {
    pub fn new(event: &'a Event, text_html: Option<&'a str>, reported_in: Vec<LinkView>) -> Self {
        EventView {
            title: &event.title,
            date_iso: event.date.iso(),
            date_display: event.date.display(),
            end_display: event.end.as_ref().map(PartialDate::display),
            text_html,
            reported_in,
        }
    }
}

/// A whole article, for its own page.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: String,
    pub date_iso: String,
    pub date_display: String,
    pub updated_iso: Option<String>,
    pub updated_display: Option<String>,
    pub dateline: Option<&'a str>,
    pub summary: &'a str,
    pub body_html: &'a str,
    pub authors: &'a [String],
    pub image: Option<ImageView<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub topics: Vec<LinkView>,
    pub people: Vec<LinkView>,
    /// People the text mentions who are not in `people`.
    pub mentioned: Vec<LinkView>,
    pub related: Vec<Item<ArticleCard<'a>>>,
    pub events: Vec<EventView<'a>>,
    pub day_url: String,
    pub extra: Option<&'a serde_yaml::Value>,
}

/// A person or topic, for its own page.
#[derive(Serialize)]
pub struct EntityView<'a> {
    pub name: &'a str,
    pub url: String,
    pub role: Option<&'a str>,
    /// As written, or "December 24, 1946" when it is a full date.
    pub born: Option<String>,
    pub description: Option<&'a str>,
    pub body_html: &'a str,
    pub image: Option<ImageView<'a>>,
    pub links: Vec<LinkView>,
    pub parent: Option<LinkView>,
    pub children: Vec<LinkView>,
    /// Articles about the person, or filed under the topic.
    pub article_count: usize,
    /// Articles that only mention them.
    pub mention_count: usize,
    pub mentions_url: String,
    pub first_appearance: Option<DatedLink<'a>>,
    pub latest_appearance: Option<DatedLink<'a>>,
}

/// An article named with its date.
#[derive(Serialize)]
pub struct DatedLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub date_display: String,
}

#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub first: String,
    pub last: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// One entry of the timeline: an article or an event.
#[derive(Serialize)]
pub struct TimelineEntry<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub date_iso: Cow<'a, str>,
    pub date_display: Cow<'a, str>,
    pub end_display: Option<String>,
    pub summary: &'a str,
    /// Events: their text, as inline HTML.
    pub text_html: Option<&'a str>,
    /// Events: every article that reports it.
    pub reported_in: Vec<LinkView>,
    /// The entry as the theme's `timeline_entry` macro writes it, rendered
    /// once per build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_html: Option<String>,
}

/// A year of a timeline's jump list, with its months.
#[derive(Serialize)]
pub struct JumpYear {
    pub year: i16,
    pub url: String,
    pub months: Vec<JumpMonth>,
}

/// A month of a timeline's jump list.
#[derive(Serialize)]
pub struct JumpMonth {
    /// With its year: "March 2019".
    pub name: String,
    /// Without: "March".
    pub short: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub struct TimelineGroup<'a> {
    pub label: String,
    pub id: String,
    pub entries: Vec<Item<TimelineEntry<'a>>>,
}

pub fn entity_links(
    site: &Site,
    entities: &[Entity],
    ids: &[usize],
    prefix: &str,
) -> Vec<LinkView> {
    ids.iter()
        .map(|id| {
            let entity = &entities[*id];
            let url = [site.base_path.as_str(), prefix, &entity.slug, "/"].concat();
            LinkView::new(&entity.name, url)
        })
        .collect()
}

/// RFC 3339 with the date's own offset.
pub fn iso_datetime(date: &jiff::ZonedDateTime) -> String {
    crate::dates::rfc3339(date)
}
