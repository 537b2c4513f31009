//! Rendering: Markdown once per document, then every page of the site rendered
//! from borrowed views, in parallel, straight into the staging folder.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use tera::Context;

use crate::dates::{long_date, month_name, PartialDate};
use crate::error::{Error, Result};
use crate::highlight::{self, Highlighter};
use crate::markdown;
use crate::model::relations::Counted;
use crate::model::{self, output_file, paginated, ArticleId, SiteIndex};
use crate::theme::Theme;
use crate::views::*;

/// Every page the site has.
#[derive(Debug, Clone)]
enum Job {
    Home,
    Article(ArticleId),
    Page(usize),
    TopicsIndex,
    PeopleIndex,
    /// A page of a person's or topic's articles, or of their mentions.
    Entity {
        person: bool,
        id: usize,
        listing: Listing,
        page: usize,
    },
    Timeline {
        page: usize,
    },
    Year {
        index: usize,
    },
    Month {
        index: usize,
    },
    Day {
        index: usize,
    },
    NotFound,
    Redirect {
        from: String,
        to: String,
    },
}

/// Which articles an entity page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    /// Articles about the person, or filed under the topic.
    About,
    /// Articles that only mention them.
    Mentions,
}

impl Listing {
    fn name(self) -> &'static str {
        match self {
            Listing::About => "about",
            Listing::Mentions => "mentions",
        }
    }
}

/// The parts of the index one kind of entity page reads.
struct EntityKind<'a> {
    entities: &'a [model::Entity],
    about: &'a [Vec<ArticleId>],
    mentions: &'a [Vec<ArticleId>],
    bodies: &'a [String],
    prefix: &'static str,
    template: &'static str,
    per_page: usize,
}

/// A run of `index.days` that shares a month.
struct MonthSpan {
    year: i16,
    month: i8,
    days: std::ops::Range<usize>,
}

/// A run of months that shares a year.
struct YearSpan {
    year: i16,
    months: std::ops::Range<usize>,
}

enum TimelineItem {
    Article(ArticleId),
    Event(usize),
}

struct Renderer<'a> {
    index: &'a SiteIndex,
    theme: &'a Theme,
    site: SiteView<'a>,
    months: Vec<MonthSpan>,
    years: Vec<YearSpan>,
    timeline: Vec<(PartialDate, TimelineItem)>,
    /// Events by the article that reports them.
    article_events: Vec<Vec<usize>>,
    /// Events by the day they happened, for day digests.
    day_events: HashMap<jiff::civil::Date, Vec<usize>>,
    /// Narrower topics of each topic.
    topic_children: Vec<Vec<usize>>,
}

/// What a build wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
}

/// Renders the whole site into `dir`, which must be empty but for the marker.
pub fn render_site(index: &SiteIndex, theme: &Theme, dir: &Path) -> Result<Written> {
    let (months, years) = periods(index);
    let renderer = Renderer {
        index,
        theme,
        site: SiteView::new(index),
        months,
        years,
        timeline: timeline_items(index),
        article_events: events_by_article(index),
        day_events: events_by_day(index),
        topic_children: topic_children(index),
    };
    let jobs = renderer.jobs();
    jobs.par_iter().try_for_each(|job| {
        let (path, html) = renderer.render(job)?;
        crate::fs::write_creating_dirs(&dir.join(output_file(&path)), html.as_bytes())
    })?;

    let mut files = 0;
    for (name, bytes) in &theme.static_files {
        crate::fs::write_creating_dirs(&dir.join(name), bytes)?;
        files += 1;
    }
    crate::fs::write(&dir.join("syntax.css"), highlight::stylesheet().as_bytes())?;
    index.assets.par_iter().try_for_each(|asset| {
        let target = dir.join(&asset.content_path);
        if let Some(parent) = target.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::copy(&asset.source, &target)
    })?;
    files += 1 + index.assets.len();
    Ok(Written {
        pages: jobs.len(),
        files: files + jobs.len(),
    })
}

fn periods(index: &SiteIndex) -> (Vec<MonthSpan>, Vec<YearSpan>) {
    let mut months: Vec<MonthSpan> = Vec::new();
    for (i, (day, _)) in index.days.iter().enumerate() {
        match months.last_mut() {
            Some(span) if span.year == day.year() && span.month == day.month() => {
                span.days.end = i + 1
            }
            _ => months.push(MonthSpan {
                year: day.year(),
                month: day.month(),
                days: i..i + 1,
            }),
        }
    }
    let mut years: Vec<YearSpan> = Vec::new();
    for (i, month) in months.iter().enumerate() {
        match years.last_mut() {
            Some(span) if span.year == month.year => span.months.end = i + 1,
            _ => years.push(YearSpan {
                year: month.year,
                months: i..i + 1,
            }),
        }
    }
    (months, years)
}

/// Articles and events together, newest first; same-date entries by time, then title.
fn timeline_items(index: &SiteIndex) -> Vec<(PartialDate, TimelineItem)> {
    let mut items: Vec<(PartialDate, TimelineItem)> = index
        .articles
        .iter()
        .enumerate()
        .map(|(id, article)| {
            let date = PartialDate {
                time: Some(article.date.datetime().time()),
                ..PartialDate::from_date(article.day())
            };
            (date, TimelineItem::Article(id))
        })
        .chain(
            index
                .events
                .iter()
                .enumerate()
                .map(|(id, e)| (e.date, TimelineItem::Event(id))),
        )
        .collect();
    let title = |item: &TimelineItem| match item {
        TimelineItem::Article(id) => index.articles[*id].title.as_str(),
        TimelineItem::Event(id) => index.events[*id].title.as_str(),
    };
    items.sort_by(|(a_date, a), (b_date, b)| {
        b_date.cmp(a_date).then_with(|| title(a).cmp(title(b)))
    });
    items
}

fn events_by_article(index: &SiteIndex) -> Vec<Vec<usize>> {
    let mut by_article = vec![Vec::new(); index.articles.len()];
    for (id, event) in index.events.iter().enumerate() {
        by_article[event.article].push(id);
    }
    by_article
}

fn events_by_day(index: &SiteIndex) -> HashMap<jiff::civil::Date, Vec<usize>> {
    let mut by_day: HashMap<jiff::civil::Date, Vec<usize>> = HashMap::new();
    for (id, event) in index.events.iter().enumerate() {
        if let (Some(month), Some(day)) = (event.date.month, event.date.day) {
            if let Ok(date) = jiff::civil::Date::new(event.date.year, month, day) {
                by_day.entry(date).or_default().push(id);
            }
        }
    }
    by_day
}

fn topic_children(index: &SiteIndex) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); index.topics.len()];
    for (id, topic) in index.topics.iter().enumerate() {
        if let Some(parent) = topic.parent {
            children[parent].push(id);
        }
    }
    children
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

impl<'a> Renderer<'a> {
    fn jobs(&self) -> Vec<Job> {
        let index = self.index;
        let per_page = &index.site.per_page;
        let mut jobs = vec![Job::Home, Job::TopicsIndex, Job::PeopleIndex, Job::NotFound];
        jobs.extend((0..index.articles.len()).map(Job::Article));
        jobs.extend((0..index.pages.len()).map(Job::Page));
        for person in [false, true] {
            let kind = self.entity_kind(person);
            for id in 0..kind.entities.len() {
                let about_pages = page_count(kind.about[id].len(), kind.per_page);
                jobs.extend((1..=about_pages).map(|page| Job::Entity {
                    person,
                    id,
                    listing: Listing::About,
                    page,
                }));
                if !kind.mentions[id].is_empty() {
                    let pages = page_count(kind.mentions[id].len(), kind.per_page);
                    jobs.extend((1..=pages).map(|page| Job::Entity {
                        person,
                        id,
                        listing: Listing::Mentions,
                        page,
                    }));
                }
            }
        }
        let timeline_pages = page_count(self.timeline.len(), per_page.timeline);
        jobs.extend((1..=timeline_pages).map(|page| Job::Timeline { page }));
        jobs.extend((0..self.years.len()).map(|index| Job::Year { index }));
        jobs.extend((0..self.months.len()).map(|index| Job::Month { index }));
        jobs.extend((0..index.days.len()).map(|index| Job::Day { index }));
        for article in &index.articles {
            for alias in &article.aliases {
                jobs.push(Job::Redirect {
                    from: alias.clone(),
                    to: article.path.clone(),
                });
            }
        }
        for page in &index.pages {
            for alias in &page.aliases {
                jobs.push(Job::Redirect {
                    from: alias.clone(),
                    to: page.path.clone(),
                });
            }
        }
        jobs
    }

    /// Renders one page: its URL path and HTML.
    fn render(&self, job: &Job) -> Result<(String, String)> {
        let index = self.index;
        let site = &index.site;
        match job {
            Job::Home => {
                let latest = self.cards(
                    index
                        .articles
                        .iter()
                        .enumerate()
                        .take(site.per_page.home)
                        .map(|(i, _)| i),
                );
                let mut context = self.context(&site.title, "/", &site.description);
                context.insert("latest", &latest);
                let relations = &index.relations;
                context.insert(
                    "top_topics",
                    &self.counted_cards(&index.topics, &relations.topics_in_the_news, "/topics/"),
                );
                context.insert(
                    "top_people",
                    &self.counted_cards(&index.people, &relations.people_in_the_news, "/people/"),
                );
                context.insert("has_more", &(index.articles.len() > latest.len()));
                context.insert("timeline_url", &site.url("/timeline/"));
                self.finish("index.html", "/", context)
            }
            Job::Article(id) => {
                let article = &index.articles[*id];
                let view = self.article_view(*id);
                let mut context = self.context(&article.title, &article.path, view.summary);
                context.insert("article", &view);
                self.finish("article.html", &article.path, context)
            }
            Job::Page(id) => {
                let page = &index.pages[*id];
                let mut context = self.context(
                    &page.title,
                    &page.path,
                    page.summary.as_deref().unwrap_or(""),
                );
                context.insert(
                    "page",
                    &serde_json::json!({
                        "title": page.title,
                        "summary": page.summary,
                        "body_html": self.index.bodies.pages[*id],
                        "extra": page.extra,
                    }),
                );
                self.finish("page.html", &page.path, context)
            }
            Job::TopicsIndex => {
                let cards = self.entity_cards(&index.topics, &index.topic_articles, "/topics/");
                let mut context = self.context("Topics", "/topics/", "Every topic in the digest");
                context.insert("entities", &cards);
                self.finish("topics.html", "/topics/", context)
            }
            Job::PeopleIndex => {
                let cards = self.entity_cards(&index.people, &index.person_articles, "/people/");
                let mut context =
                    self.context("People", "/people/", "Everyone in the news in this digest");
                context.insert("entities", &cards);
                self.finish("people.html", "/people/", context)
            }
            Job::Entity {
                person,
                id,
                listing,
                page,
            } => self.entity_page(*person, *id, *listing, *page),
            Job::Timeline { page } => self.timeline_page(*page),
            Job::Year { index: i } => self.year_page(*i),
            Job::Month { index: i } => self.month_page(*i),
            Job::Day { index: i } => self.day_page(*i),
            Job::NotFound => {
                let context = self.context("Page not found", "/404.html", "");
                self.finish("404.html", "/404.html", context)
            }
            Job::Redirect { from, to } => {
                let mut context = self.context("Moved", to, "");
                context.insert("target", &site.url(to));
                self.finish("redirect.html", from, context)
            }
        }
    }

    fn context(&self, title: &str, path: &str, description: &str) -> Context {
        let mut context = Context::new();
        context.insert("site", &self.site);
        context.insert("page_title", title);
        context.insert("canonical", &self.index.site.url(path));
        context.insert("description", description);
        context
    }

    fn finish(&self, template: &str, path: &str, context: Context) -> Result<(String, String)> {
        let html = self
            .theme
            .templates
            .render(template, &context)
            .map_err(|e| Error::template(template, &e))?;
        Ok((path.to_string(), html))
    }

    fn summary(&self, id: ArticleId) -> &str {
        self.index.articles[id]
            .summary
            .as_deref()
            .unwrap_or(&self.index.bodies.articles[id].lead)
    }

    fn cards(&self, ids: impl Iterator<Item = ArticleId>) -> Vec<ArticleCard<'_>> {
        ids.map(|id| ArticleCard::new(self.index, &self.index.articles[id], self.summary(id)))
            .collect()
    }

    fn entity_url(&self, prefix: &str, slug: &str) -> String {
        self.index.site.url(&format!("{prefix}{slug}/"))
    }

    fn entity_cards<'e>(
        &self,
        entities: &'e [model::Entity],
        articles: &[Vec<ArticleId>],
        prefix: &str,
    ) -> Vec<EntityCard<'e>> {
        entities
            .iter()
            .zip(articles)
            .map(|(e, list)| EntityCard {
                name: &e.name,
                url: self.entity_url(prefix, &e.slug),
                description: e.description.as_deref(),
                role: e.role.as_deref(),
                count: list.len(),
            })
            .collect()
    }

    fn paginator(&self, first_page: &str, page: usize, pages: usize) -> Paginator {
        let url = |n: usize| self.index.site.url(&paginated(first_page, n));
        Paginator {
            current: page,
            total: pages,
            first: url(1),
            last: url(pages),
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < pages).then(|| url(page + 1)),
        }
    }

    fn article_view(&self, id: ArticleId) -> ArticleView<'_> {
        let index = self.index;
        let site = &index.site;
        let article = &index.articles[id];
        let image = article.image.as_ref().map(|image| ImageView {
            src: if image.src.starts_with('/') {
                site.url(&image.src)
            } else {
                image.src.clone()
            },
            alt: image.alt.as_deref().unwrap_or(""),
            credit: image.credit.as_deref(),
        });
        let events = self.article_events[id]
            .iter()
            .map(|e| &index.events[*e])
            .map(|e| EventView::new(e, e.text.as_deref().map(inline_markdown), None))
            .collect();
        ArticleView {
            title: &article.title,
            url: site.url(&article.path),
            date_iso: iso_datetime(&article.date),
            date_display: long_date(article.day()),
            updated_iso: article.updated.as_ref().map(iso_datetime),
            updated_display: article.updated.as_ref().map(|u| long_date(u.date())),
            dateline: article.dateline.as_deref(),
            summary: self.summary(id),
            body_html: &self.index.bodies.articles[id].html,
            authors: &article.authors,
            image,
            sources: article
                .sources
                .iter()
                .map(|s| SourceView {
                    title: s.title.as_deref().or(s.url.as_deref()).unwrap_or(""),
                    url: s.url.as_deref(),
                    publisher: s.publisher.as_deref(),
                })
                .collect(),
            topics: entity_links(site, &index.topics, &article.topics, "/topics/"),
            people: entity_links(site, &index.people, &article.people, "/people/"),
            mentioned: entity_links(
                site,
                &index.people,
                &index.relations.article_mentions[id],
                "/people/",
            ),
            related: self.cards(index.relations.related_articles[id].iter().copied()),
            events,
            day_url: site.url(&model::day_path(article.day())),
            extra: article.extra.as_ref(),
        }
    }

    fn entity_kind(&self, is_person: bool) -> EntityKind<'a> {
        let index = self.index;
        let per_page = &index.site.per_page;
        let relations = &index.relations;
        if is_person {
            EntityKind {
                entities: &index.people,
                about: &index.person_articles,
                mentions: &relations.person_mentions,
                bodies: &index.bodies.people,
                prefix: "/people/",
                template: "person.html",
                per_page: per_page.person,
            }
        } else {
            EntityKind {
                entities: &index.topics,
                about: &index.topic_articles,
                mentions: &relations.topic_mentions,
                bodies: &index.bodies.topics,
                prefix: "/topics/",
                template: "topic.html",
                per_page: per_page.topic,
            }
        }
    }

    fn counted_cards<'e>(
        &self,
        entities: &'e [model::Entity],
        counted: &[Counted],
        prefix: &str,
    ) -> Vec<EntityCard<'e>> {
        counted
            .iter()
            .map(|(id, count)| {
                let e = &entities[*id];
                EntityCard {
                    name: &e.name,
                    url: self.entity_url(prefix, &e.slug),
                    description: e.description.as_deref(),
                    role: e.role.as_deref(),
                    count: *count,
                }
            })
            .collect()
    }

    fn appearance(&self, id: Option<&ArticleId>) -> Option<DatedLink<'_>> {
        let article = &self.index.articles[*id?];
        Some(DatedLink {
            title: &article.title,
            url: self.index.site.url(&article.path),
            date_display: long_date(article.day()),
        })
    }

    fn entity_page(
        &self,
        is_person: bool,
        id: usize,
        listing: Listing,
        page: usize,
    ) -> Result<(String, String)> {
        let index = self.index;
        let site = &index.site;
        let kind = self.entity_kind(is_person);
        let entity = &kind.entities[id];
        let (about, mentions) = (&kind.about[id], &kind.mentions[id]);
        let first_page = format!("{}{}/", kind.prefix, entity.slug);
        let mentions_page = format!("{first_page}mentions/");
        let (list, list_first_page) = match listing {
            Listing::About => (about, &first_page),
            Listing::Mentions => (mentions, &mentions_page),
        };
        let path = paginated(list_first_page, page);
        let pages = page_count(list.len(), kind.per_page);
        let shown = list
            .iter()
            .skip((page - 1) * kind.per_page)
            .take(kind.per_page)
            .copied();
        let children: &[usize] = if is_person {
            &[]
        } else {
            &self.topic_children[id]
        };
        // Article ids are in date order, newest first.
        let newest = about.first().into_iter().chain(mentions.first()).min();
        let oldest = about.last().into_iter().chain(mentions.last()).max();
        let links: Vec<LinkView> = entity
            .links
            .iter()
            .map(|l| LinkView::new(l.title.as_deref().unwrap_or(&l.url), l.url.clone()))
            .collect();
        let view = EntityView {
            name: &entity.name,
            url: site.url(&first_page),
            role: entity.role.as_deref(),
            born: entity.born.as_deref(),
            description: entity.description.as_deref(),
            body_html: &kind.bodies[id],
            image: entity.image.as_ref().map(|image| ImageView {
                src: image.src.clone(),
                alt: image.alt.as_deref().unwrap_or(""),
                credit: image.credit.as_deref(),
            }),
            json_ld: is_person.then(|| person_json_ld(entity, &site.url(&first_page), &links)),
            links,
            parent: entity.parent.map(|p| {
                LinkView::new(
                    &kind.entities[p].name,
                    self.entity_url(kind.prefix, &kind.entities[p].slug),
                )
            }),
            children: entity_links(site, kind.entities, children, kind.prefix),
            article_count: about.len(),
            mention_count: mentions.len(),
            mentions_url: site.url(&mentions_page),
            first_appearance: self.appearance(oldest),
            latest_appearance: self.appearance(newest),
        };
        let relations = &index.relations;
        let (related, related_kind) = if is_person {
            (
                self.counted_cards(&index.people, &relations.people_with[id], "/people/"),
                "people",
            )
        } else {
            (
                self.counted_cards(&index.topics, &relations.related_topics[id], "/topics/"),
                "topics",
            )
        };
        let (present, present_kind) = if is_person {
            (
                self.counted_cards(&index.topics, &relations.person_topics[id], "/topics/"),
                "topics",
            )
        } else {
            (
                self.counted_cards(&index.people, &relations.topic_people[id], "/people/"),
                "people",
            )
        };
        let mut title = entity.name.clone();
        if matches!(listing, Listing::Mentions) {
            title = format!("Mentions of {title}");
        }
        if page > 1 {
            title = format!("{title} (page {page})");
        }
        let description = entity.description.as_deref().unwrap_or("");
        let mut context = self.context(&title, &path, description);
        context.insert("entity", &view);
        context.insert("listing", listing.name());
        context.insert("articles", &self.cards(shown));
        context.insert("paginator", &self.paginator(list_first_page, page, pages));
        let mention_preview = match listing {
            Listing::About if page == 1 => self.cards(mentions.iter().take(kind.per_page).copied()),
            _ => Vec::new(),
        };
        context.insert("mentions", &mention_preview);
        context.insert("related", &related);
        context.insert("related_kind", related_kind);
        context.insert("present", &present);
        context.insert("present_kind", present_kind);
        self.finish(kind.template, &path, context)
    }

    fn timeline_page(&self, page: usize) -> Result<(String, String)> {
        let index = self.index;
        let site = &index.site;
        let per_page = site.per_page.timeline;
        let pages = page_count(self.timeline.len(), per_page);
        let mut groups: Vec<TimelineGroup> = Vec::new();
        for (date, item) in self
            .timeline
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
        {
            let (label, id) = match date.month {
                Some(month) => (
                    format!("{} {}", month_name(month), date.year),
                    format!("m-{}-{:02}", date.year, month),
                ),
                None => (date.year.to_string(), format!("y-{}", date.year)),
            };
            let entry = match item {
                TimelineItem::Article(id) => {
                    let article = &index.articles[*id];
                    TimelineEntry {
                        kind: "article",
                        title: &article.title,
                        url: Some(site.url(&article.path)),
                        date_iso: iso_datetime(&article.date),
                        date_display: long_date(article.day()),
                        end_display: None,
                        summary: self.summary(*id),
                        article: None,
                    }
                }
                TimelineItem::Event(id) => {
                    let event = &index.events[*id];
                    let article = &index.articles[event.article];
                    TimelineEntry {
                        kind: "event",
                        title: &event.title,
                        url: None,
                        date_iso: event.date.iso(),
                        date_display: event.date.display(),
                        end_display: event.end.as_ref().map(PartialDate::display),
                        summary: event.text.as_deref().unwrap_or(""),
                        article: Some(LinkView::new(&article.title, site.url(&article.path))),
                    }
                }
            };
            match groups.last_mut() {
                Some(group) if group.id == id => group.entries.push(entry),
                _ => groups.push(TimelineGroup {
                    label,
                    id,
                    entries: vec![entry],
                }),
            }
        }
        let path = paginated("/timeline/", page);
        let title = if page > 1 {
            format!("Timeline (page {page})")
        } else {
            "Timeline".to_string()
        };
        let mut context = self.context(
            &title,
            &path,
            "Articles and the events they report, newest first",
        );
        context.insert("groups", &groups);
        context.insert("paginator", &self.paginator("/timeline/", page, pages));
        self.finish("timeline.html", &path, context)
    }

    fn period_links(
        &self,
        newer: Option<(String, String)>,
        older: Option<(String, String)>,
        context: &mut Context,
    ) {
        let link = |p: Option<(String, String)>| {
            p.map(|(name, path)| LinkView::new(&name, self.index.site.url(&path)))
        };
        context.insert("newer", &link(newer));
        context.insert("older", &link(older));
    }

    fn year_page(&self, i: usize) -> Result<(String, String)> {
        let span = &self.years[i];
        let path = model::year_path(span.year);
        let months: Vec<serde_json::Value> = self.months[span.months.clone()]
            .iter()
            .map(|m| {
                let count: usize = self.index.days[m.days.clone()]
                    .iter()
                    .map(|(_, a)| a.len())
                    .sum();
                serde_json::json!({
                    "label": format!("{} {}", month_name(m.month), m.year),
                    "url": self.index.site.url(&model::month_path(m.year, m.month)),
                    "count": count,
                })
            })
            .collect();
        let label = span.year.to_string();
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("months", &months);
        let year = |j: usize| {
            self.years
                .get(j)
                .map(|y| (y.year.to_string(), model::year_path(y.year)))
        };
        self.period_links(i.checked_sub(1).and_then(year), year(i + 1), &mut context);
        self.finish("year.html", &path, context)
    }

    fn month_page(&self, i: usize) -> Result<(String, String)> {
        let span = &self.months[i];
        let path = model::month_path(span.year, span.month);
        let days: Vec<serde_json::Value> = self.index.days[span.days.clone()]
            .iter()
            .map(|(day, ids)| {
                serde_json::json!({
                    "label": long_date(*day),
                    "url": self.index.site.url(&model::day_path(*day)),
                    "articles": self.cards(ids.iter().copied()),
                })
            })
            .collect();
        let label = format!("{} {}", month_name(span.month), span.year);
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("days", &days);
        context.insert(
            "year",
            &LinkView::new(
                &span.year.to_string(),
                self.index.site.url(&model::year_path(span.year)),
            ),
        );
        let month = |j: usize| {
            self.months.get(j).map(|m| {
                (
                    format!("{} {}", month_name(m.month), m.year),
                    model::month_path(m.year, m.month),
                )
            })
        };
        self.period_links(i.checked_sub(1).and_then(month), month(i + 1), &mut context);
        self.finish("month.html", &path, context)
    }

    fn day_page(&self, i: usize) -> Result<(String, String)> {
        let index = self.index;
        let (day, ids) = &index.days[i];
        let path = model::day_path(*day);
        let events: Vec<EventView> = self
            .day_events
            .get(day)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|e| &index.events[*e])
            .map(|e| {
                let article = &index.articles[e.article];
                EventView::new(
                    e,
                    e.text.as_deref().map(inline_markdown),
                    Some(LinkView::new(&article.title, index.site.url(&article.path))),
                )
            })
            .collect();
        let label = long_date(*day);
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("articles", &self.cards(ids.iter().copied()));
        context.insert("events", &events);
        context.insert(
            "month",
            &LinkView::new(
                &format!("{} {}", month_name(day.month()), day.year()),
                index.site.url(&model::month_path(day.year(), day.month())),
            ),
        );
        let day_link = |j: usize| {
            index
                .days
                .get(j)
                .map(|(d, _)| (long_date(*d), model::day_path(*d)))
        };
        self.period_links(
            i.checked_sub(1).and_then(day_link),
            day_link(i + 1),
            &mut context,
        );
        self.finish("day.html", &path, context)
    }
}

/// schema.org ProfilePage data for a person; Wikipedia and Wikidata links
/// become `sameAs`.
fn person_json_ld(person: &model::Entity, url: &str, links: &[LinkView]) -> String {
    let same_as: Vec<&str> = links
        .iter()
        .map(|l| l.url.as_str())
        .filter(|u| u.contains("wikipedia.org/") || u.contains("wikidata.org/"))
        .collect();
    let mut main = serde_json::json!({
        "@type": "Person",
        "name": person.name,
        "url": url,
    });
    if let Some(role) = &person.role {
        main["jobTitle"] = role.as_str().into();
    }
    if let Some(description) = &person.description {
        main["description"] = description.as_str().into();
    }
    if !same_as.is_empty() {
        main["sameAs"] = same_as.into();
    }
    if !person.aliases.is_empty() {
        main["alternateName"] = person.aliases.clone().into();
    }
    crate::html::json_for_script(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "mainEntity": main,
    }))
}

/// An event's short Markdown text, without the wrapping paragraph.
fn inline_markdown(text: &str) -> String {
    let html = markdown::render(text, &Highlighter::default(), &|_| None, None).html;
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}
