//! The timeline: articles and the events they report, newest first, grouped by
//! month, for the whole site and for each person and topic; and the same data
//! as TimelineJS3 JSON so the story can be embedded elsewhere.

use std::borrow::Cow;
use std::fmt;

use rayon::prelude::*;
use serde::Serialize;

use super::{Page, Renderer};
use crate::charts::{self, Monthly};
use crate::dates::{month_name, PartialDate};
use crate::error::Result;
use crate::html::Escaped;
use crate::model::{output_file, paginated, Article, ArticleId, SiteIndex};
use crate::output::Writer;
use crate::reads::Part;
use crate::slug::slugify;
use crate::theme::Fragment;
use crate::views::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimelineItem {
    Article(ArticleId),
    Event(usize),
}

/// Which timeline a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Site,
    Person(usize),
    Topic(usize),
}

/// A timeline's entries with their dates, newest first.
pub(super) type Items = Vec<(PartialDate, TimelineItem)>;

/// Articles and events together, newest first; same-date entries by time, then
/// title. An article published on the day of an event it reports comes first.
pub(super) fn timeline_items(
    index: &SiteIndex,
    articles: impl Iterator<Item = ArticleId>,
    events: impl Iterator<Item = usize>,
) -> Items {
    let mut items: Items = articles
        .map(|id| {
            let article = &index.articles[id];
            let date = PartialDate {
                time: Some(article.date.datetime().time()),
                ..PartialDate::from_date(article.day())
            };
            (date, TimelineItem::Article(id))
        })
        .chain(events.map(|id| (index.events[id].date, TimelineItem::Event(id))))
        .collect();
    let title = |item: &TimelineItem| match item {
        TimelineItem::Article(id) => index.articles[*id].title.as_str(),
        TimelineItem::Event(id) => index.events[*id].title.as_str(),
    };
    items.sort_by(|(a_date, a), (b_date, b)| {
        b_date
            .cmp(a_date)
            .then_with(|| title(a).cmp(title(b)))
            .then_with(|| format!("{a:?}").cmp(&format!("{b:?}")))
    });
    items
}

/// Each entity's timeline: the articles it appears in (about or mentioned) and
/// the events that name it.
pub(super) fn entity_timelines(
    index: &SiteIndex,
    about: &[Vec<ArticleId>],
    mentions: &[Vec<ArticleId>],
    event_entities: impl Fn(&crate::model::Event) -> &[usize] + Sync,
) -> Vec<Items> {
    let mut events = vec![Vec::new(); about.len()];
    for (id, event) in index.events.iter().enumerate() {
        for entity in event_entities(event) {
            events[*entity].push(id);
        }
    }
    about
        .par_iter()
        .zip(mentions)
        .zip(events)
        .map(|((about, mentions), events)| {
            timeline_items(
                index,
                about.iter().chain(mentions).copied(),
                events.into_iter(),
            )
        })
        .collect()
}

/// The anchor and label of the group an entry falls in: its month, or its year
/// for an event dated only by year.
fn group_of(date: &PartialDate) -> (String, String) {
    match date.month {
        Some(month) => (
            format!("m-{}-{:02}", date.year, month),
            format!("{} {}", month_name(month), date.year),
        ),
        None => (format!("y-{}", date.year), date.year.to_string()),
    }
}

impl<'a> Renderer<'a> {
    pub(super) fn items(&self, scope: Scope) -> &Items {
        match scope {
            Scope::Site => &self.timeline,
            Scope::Person(id) => &self.person_timelines[id],
            Scope::Topic(id) => &self.topic_timelines[id],
        }
    }

    pub(super) fn timeline_first_page(&self, scope: Scope) -> String {
        self.scope_paths(scope).0
    }

    /// The first page of a scope's timeline, and what it is about.
    fn scope_paths(&self, scope: Scope) -> (String, Option<(&str, String)>) {
        let index = self.index;
        match scope {
            Scope::Site => ("/timeline/".to_string(), None),
            Scope::Person(id) => {
                let person = &index.people[id];
                let url = self.entity_url("/people/", &person.slug);
                (
                    format!("/people/{}/timeline/", person.slug),
                    Some((person.name.as_str(), url)),
                )
            }
            Scope::Topic(id) => {
                let topic = &index.topics[id];
                let url = self.entity_url("/topics/", &topic.slug);
                (
                    format!("/topics/{}/timeline/", topic.slug),
                    Some((topic.name.as_str(), url)),
                )
            }
        }
    }

    pub(super) fn timeline_page_count(&self, scope: Scope) -> usize {
        super::page_count(self.items(scope).len(), self.index.site.per_page.timeline)
    }

    /// An entry of a timeline, as pages hold it. Its markup is the same on
    /// every timeline that holds it, so rendered once (see `fragments`).
    fn entry(&self, item: &TimelineItem) -> Item<TimelineEntry<'_>> {
        let n = match item {
            TimelineItem::Article(id) => *id,
            TimelineItem::Event(id) => self.index.articles.len() + id,
        };
        self.entries.item(n, || self.entry_view(n))
    }

    /// Entry `n` without its markup: article `n`, or event `n` after the
    /// articles.
    pub(super) fn entry_view(&self, n: usize) -> TimelineEntry<'_> {
        let index = self.index;
        match n.checked_sub(index.articles.len()) {
            None => {
                let (article, listed) = (&index.articles[n], &self.listed[n]);
                TimelineEntry {
                    kind: "article",
                    title: &article.title,
                    url: Some(&listed.url),
                    date_iso: Cow::Borrowed(&listed.date_iso),
                    date_display: Cow::Borrowed(&listed.date_display),
                    end_display: None,
                    summary: self.summary(n),
                    text_html: None,
                    reported_in: Vec::new(),
                    entry_html: None,
                }
            }
            Some(id) => {
                let event = &index.events[id];
                TimelineEntry {
                    kind: "event",
                    title: &event.title,
                    url: None,
                    date_iso: Cow::Owned(event.date.iso()),
                    date_display: Cow::Owned(event.date.display()),
                    end_display: event.end.as_ref().map(PartialDate::display),
                    summary: "",
                    text_html: index.bodies.events[id].as_deref(),
                    reported_in: self.reported_in(event),
                    entry_html: None,
                }
            }
        }
    }

    /// Links to every article that reports an event.
    pub(super) fn reported_in(&self, event: &crate::model::Event) -> Vec<LinkView> {
        event
            .articles
            .iter()
            .map(|a| LinkView::new(&self.index.articles[*a].title, self.listed[*a].url.clone()))
            .collect()
    }

    /// Years and months of a timeline, each linked to the page and anchor where
    /// it starts.
    fn jump_list(&self, scope: Scope, first_page: &str) -> Vec<JumpYear> {
        let per_page = self.index.site.per_page.timeline;
        let mut years: Vec<JumpYear> = Vec::new();
        let mut previous = None;
        for (position, (date, _)) in self.items(scope).iter().enumerate() {
            // Every page shows the list: only a new month costs anything.
            if previous == Some((date.year, date.month)) {
                continue;
            }
            previous = Some((date.year, date.month));
            let (anchor, label) = group_of(date);
            let url = format!(
                "{}#{anchor}",
                self.index
                    .site
                    .url(&paginated(first_page, position / per_page + 1))
            );
            let year = match years.last_mut() {
                Some(year) if year.year == date.year => year,
                _ => {
                    years.push(JumpYear {
                        year: date.year,
                        url: url.clone(),
                        months: Vec::new(),
                    });
                    years.last_mut().expect("just pushed")
                }
            };
            if let Some(month) = date.month {
                if year.months.last().is_none_or(|m| m.name != label) {
                    year.months.push(JumpMonth {
                        name: label,
                        short: month_name(month),
                        url,
                    });
                }
            }
        }
        years
    }

    pub(super) fn timeline_page(&self, scope: Scope, page: usize) -> Result<Page> {
        let index = self.index;
        let per_page = index.site.per_page.timeline;
        let items = self.items(scope);
        let (first_page, subject) = self.scope_paths(scope);
        let mut groups: Vec<TimelineGroup> = Vec::new();
        let mut group_month = None;
        for (date, item) in items.iter().skip((page - 1) * per_page).take(per_page) {
            let entry = self.entry(item);
            match groups.last_mut() {
                Some(group) if group_month == Some((date.year, date.month)) => {
                    group.entries.push(entry)
                }
                _ => {
                    let (id, label) = group_of(date);
                    group_month = Some((date.year, date.month));
                    groups.push(TimelineGroup {
                        label,
                        id,
                        entries: vec![entry],
                    })
                }
            }
        }
        let path = paginated(&first_page, page);
        let mut title = match &subject {
            Some((name, _)) => format!("Timeline: {name}"),
            None => "Timeline".to_string(),
        };
        if page > 1 {
            title = format!("{title} (page {page})");
        }
        let chart = (page == 1).then(|| self.chart(scope)).flatten();
        let mut context = self.context(
            &title,
            &path,
            "Articles and the events they report, newest first",
        );
        context.insert("heading", &title);
        context.insert(
            "subject",
            &subject.map(|(name, url)| LinkView::new(name, url)),
        );
        // Where the entries go must be in `reads::ROOTS`.
        context.insert("groups", &groups);
        // Every page of a timeline shows the same jump list: its markup is
        // rendered once. Pages carry the list only for a theme that reads it
        // from them; otherwise their keys hold a hash of it.
        let scope_number = self.scope_number(scope);
        let jump_hash = if self.page_reads.contains(Part::Jump) {
            context.insert("jump", &self.jump_list(scope, &first_page));
            None
        } else {
            let hash = self.jump_hashes[scope_number].get_or_init(|| {
                let list = serde_json::to_value(self.jump_list(scope, &first_page));
                super::unchanged::fingerprint(&list.unwrap_or_default())
            });
            Some(hash.to_le_bytes())
        };
        context.insert("chart_html", &chart);
        context.insert(
            "json_url",
            &index
                .site
                .url(&format!("{}.json", first_page.trim_end_matches('/'))),
        );
        context.insert(
            "paginator",
            &self.paginator(&first_page, page, self.timeline_page_count(scope)),
        );
        let stand_in = jump_hash.as_ref().map_or(&[][..], |hash| &hash[..]);
        self.finish_with("timeline.html", &path, context, stand_in, |data| {
            let Some(page) = data.as_object_mut() else {
                return Ok(());
            };
            let html = match page.get("jump") {
                Some(jump) => self.jumps.get(self.theme, scope_number, jump)?,
                None => self.jumps.get_with(self.theme, scope_number, || {
                    self.jump_list(scope, &first_page)
                })?,
            };
            let html = serde_json::Value::String(html.to_string());
            page.insert(Fragment::Jump.field().to_string(), html);
            Ok(())
        })
    }

    /// The scope's place among every timeline: the site's, then each
    /// person's, then each topic's.
    fn scope_number(&self, scope: Scope) -> usize {
        match scope {
            Scope::Site => 0,
            Scope::Person(id) => 1 + id,
            Scope::Topic(id) => 1 + self.index.people.len() + id,
        }
    }

    /// Articles per month for a scope's articles, as an SVG chart.
    pub(super) fn chart(&self, scope: Scope) -> Option<String> {
        let days = self.items(scope).iter().filter_map(|(_, item)| match item {
            TimelineItem::Article(id) => Some(self.index.articles[*id].day()),
            TimelineItem::Event(_) => None,
        });
        let series = Monthly::of(days)?;
        let subject = match scope {
            Scope::Site => "in the digest".to_string(),
            Scope::Person(id) => format!("about or mentioning {}", self.index.people[id].name),
            Scope::Topic(id) => format!("on {}", self.index.topics[id].name),
        };
        Some(charts::bar_chart(&series, &subject))
    }

    /// Writes the timeline of `scope` in TimelineJS3's JSON format:
    /// `/timeline.json`, and `timeline.json` beside each person's and topic's
    /// timeline folder. Slides are written as they are made: the site's
    /// timeline can be tens of megabytes.
    pub(super) fn write_timeline_json(&self, scope: Scope, writer: &Writer) -> Result<()> {
        let index = self.index;
        let site = &index.site;
        let (first_page, subject) = self.scope_paths(scope);
        let path = format!("{}.json", first_page.trim_end_matches('/'));
        let headline = match &subject {
            Some((name, _)) => format!("{name}: {}", site.title),
            None => site.title.clone(),
        };
        let group = |topics: &[usize]| topics.first().map(|t| index.topics[*t].name.as_str());
        let base = site.absolute_url("");
        let items = self.items(scope);
        let slide = |(date, item): &(PartialDate, TimelineItem)| match item {
            TimelineItem::Article(id) => {
                let article = &index.articles[*id];
                Slide {
                    end_date: None,
                    group: group(&article.topics),
                    start_date: Some(SlideDate::of(date)),
                    text: SlideText {
                        headline: Markup::Link {
                            base: &base,
                            article,
                        },
                        text: Markup::Text(self.summary(*id)),
                    },
                    unique_id: Some(SlideId::Article(article)),
                }
            }
            TimelineItem::Event(id) => {
                let event = &index.events[*id];
                Slide {
                    end_date: event.end.as_ref().map(SlideDate::of),
                    group: group(&event.topics),
                    start_date: Some(SlideDate::of(&event.date)),
                    text: SlideText {
                        headline: Markup::Text(&event.title),
                        text: Markup::Event {
                            base: &base,
                            html: index.bodies.events[*id].as_deref().unwrap_or_default(),
                            reports: &event.articles,
                            articles: &index.articles,
                        },
                    },
                    unique_id: Some(SlideId::Event(*id, event)),
                }
            }
        };
        let document = TimelineDocument {
            events: Produced(|| items.iter().map(slide)),
            title: Slide {
                end_date: None,
                group: None,
                start_date: None,
                text: SlideText {
                    headline: Markup::Text(&headline),
                    text: Markup::Text(&site.description),
                },
                unique_id: None,
            },
        };
        writer.write_streamed(&output_file(&path), |out| {
            crate::html::write_json_data(&document, out)
        })
    }
}

// TimelineJS3's JSON, with keys in alphabetical order. A missing value is
// left out: TimelineJS reads a missing group as "no group"; null is not that.

#[derive(Serialize)]
struct TimelineDocument<'a, E: Serialize> {
    /// Slides are made as they are written: a site's timeline can be long.
    events: E,
    title: Slide<'a>,
}

/// A sequence serialised as its items are made.
struct Produced<F>(F);

impl<F, I> Serialize for Produced<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct Slide<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<SlideDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<SlideDate>,
    text: SlideText<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<SlideId<'a>>,
}

#[derive(Serialize)]
struct SlideText<'a> {
    headline: Markup<'a>,
    text: Markup<'a>,
}

// Slides are many: the strings of their texts are made as they are written,
// not kept. They serialise as what they display.

impl Serialize for Markup<'_> {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.collect_str(self)
    }
}

impl Serialize for SlideId<'_> {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.collect_str(self)
    }
}

/// The HTML of a slide's headline or text.
enum Markup<'a> {
    /// Plain text, escaped.
    Text(&'a str),
    /// A link to an article, its title the text.
    Link { base: &'a str, article: &'a Article },
    /// An event's text (HTML already), then the articles that report it.
    Event {
        base: &'a str,
        html: &'a str,
        reports: &'a [ArticleId],
        articles: &'a [Article],
    },
}

impl fmt::Display for Markup<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let link = |f: &mut fmt::Formatter, base: &str, article: &Article| {
            write!(
                f,
                "<a href=\"{}{}\">{}</a>",
                Escaped(base),
                Escaped(&article.path),
                Escaped(&article.title)
            )
        };
        match self {
            Markup::Text(text) => Escaped(text).fmt(f),
            Markup::Link { base, article } => link(f, base, article),
            Markup::Event {
                base,
                html,
                reports,
                articles,
            } => {
                f.write_str(html)?;
                if let Some((first, rest)) = reports.split_first() {
                    f.write_str("<p>Reported in ")?;
                    link(f, base, &articles[*first])?;
                    for id in rest {
                        f.write_str(", ")?;
                        link(f, base, &articles[*id])?;
                    }
                    f.write_str("</p>")?;
                }
                Ok(())
            }
        }
    }
}

/// A slide's `unique_id`.
enum SlideId<'a> {
    Article(&'a Article),
    Event(usize, &'a crate::model::Event),
}

impl fmt::Display for SlideId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            SlideId::Article(article) => write!(f, "article-{}-{}", article.day(), article.slug),
            SlideId::Event(id, event) => write!(
                f,
                "event-{}-{}-{id}",
                event.date.iso(),
                slugify(&event.title)
            ),
        }
    }
}

#[derive(Serialize)]
struct SlideDate {
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<i8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<i8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<i8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<i8>,
    year: i16,
}

impl SlideDate {
    fn of(date: &PartialDate) -> Self {
        SlideDate {
            day: date.day,
            hour: date.time.map(|t| t.hour()),
            minute: date.time.map(|t| t.minute()),
            month: date.month,
            year: date.year,
        }
    }
}
