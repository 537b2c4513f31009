//! Rendering: Markdown once per document, then every page of the site rendered
//! from borrowed views, in parallel, straight into the staging folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Context;

use crate::dates::{long_date, month_name, PartialDate};
use crate::error::{Error, Result};
use crate::highlight::{self, Highlighter};
use crate::markdown::{self, Rendered};
use crate::model::{self, output_file, paginated, ArticleId, SiteIndex};
use crate::theme::Theme;
use crate::views::*;

/// Markdown of every document, rendered once.
struct Bodies {
    articles: Vec<Rendered>,
    people: Vec<String>,
    topics: Vec<String>,
    pages: Vec<String>,
}

/// Every page the site has.
#[derive(Debug, Clone)]
enum Job {
    Home,
    Article(ArticleId),
    Page(usize),
    TopicsIndex,
    Topic { id: usize, page: usize },
    PeopleIndex,
    Person { id: usize, page: usize },
    Timeline { page: usize },
    Year { index: usize },
    Month { index: usize },
    Day { index: usize },
    NotFound,
    Redirect { from: String, to: String },
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
    bodies: Bodies,
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
    let highlighter = Highlighter::default();
    let targets = content_targets(index);
    let bodies = render_bodies(index, &highlighter, &targets);
    let (months, years) = periods(index);
    let renderer = Renderer {
        index,
        theme,
        site: SiteView::new(index),
        bodies,
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

/// Site URL of every file under content/, by content-relative path, so relative
/// links between content files become links between pages.
fn content_targets(index: &SiteIndex) -> HashMap<PathBuf, String> {
    let site = &index.site;
    let content_relative = |path: &Path| {
        path.strip_prefix(crate::load::CONTENT_DIR)
            .unwrap_or(path)
            .to_path_buf()
    };
    let mut targets = HashMap::new();
    for asset in &index.assets {
        let url = site.url(&format!("/{}", model::to_url_path(&asset.content_path)));
        targets.insert(asset.content_path.clone(), url);
    }
    for article in &index.articles {
        targets.insert(content_relative(&article.source), site.url(&article.path));
    }
    for page in &index.pages {
        targets.insert(content_relative(&page.source), site.url(&page.path));
    }
    for (entities, prefix) in [(&index.people, "/people/"), (&index.topics, "/topics/")] {
        for entity in entities.iter() {
            if let Some(profile) = &entity.profile {
                let url = site.url(&format!("{prefix}{}/", entity.slug));
                targets.insert(content_relative(profile), url);
            }
        }
    }
    targets
}

fn render_bodies(
    index: &SiteIndex,
    highlighter: &Highlighter,
    targets: &HashMap<PathBuf, String>,
) -> Bodies {
    let render = |source: &Path, body: &str| {
        let dir = source
            .strip_prefix(crate::load::CONTENT_DIR)
            .unwrap_or(source)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let link_target = move |target: &str| {
            let (file, fragment) = match target.find(['#', '?']) {
                Some(i) => target.split_at(i),
                None => (target, ""),
            };
            let joined = normalize_relative(&dir.join(file))?;
            targets.get(&joined).map(|url| format!("{url}{fragment}"))
        };
        markdown::render(body, highlighter, &link_target)
    };
    let profile_html = |entities: &[model::Entity]| -> Vec<String> {
        entities
            .par_iter()
            .map(|e| match &e.profile {
                Some(path) if !e.body.trim().is_empty() => render(path, &e.body).html,
                _ => String::new(),
            })
            .collect()
    };
    Bodies {
        articles: index
            .articles
            .par_iter()
            .map(|a| render(&a.source, &a.body))
            .collect(),
        people: profile_html(&index.people),
        topics: profile_html(&index.topics),
        pages: index
            .pages
            .par_iter()
            .map(|p| render(&p.source, &p.body).html)
            .collect(),
    }
}

/// `a/b/../c` -> `a/c`; None when `..` climbs out of content/.
fn normalize_relative(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::Normal(part) => normal.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !normal.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(normal)
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
        for (id, articles) in index.topic_articles.iter().enumerate() {
            let pages = page_count(articles.len(), per_page.topic);
            jobs.extend((1..=pages).map(|page| Job::Topic { id, page }));
        }
        for (id, articles) in index.person_articles.iter().enumerate() {
            let pages = page_count(articles.len(), per_page.person);
            jobs.extend((1..=pages).map(|page| Job::Person { id, page }));
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
                context.insert(
                    "top_topics",
                    &self.ranked(&index.topics, &index.topic_articles, "/topics/", 10),
                );
                context.insert(
                    "top_people",
                    &self.ranked(&index.people, &index.person_articles, "/people/", 10),
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
                        "body_html": self.bodies.pages[*id],
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
            Job::Topic { id, page } => self.entity_page(*id, *page, false),
            Job::Person { id, page } => self.entity_page(*id, *page, true),
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
            .unwrap_or(&self.bodies.articles[id].lead)
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

    /// The most covered entities, by article count; ties by slug.
    fn ranked<'e>(
        &self,
        entities: &'e [model::Entity],
        articles: &[Vec<ArticleId>],
        prefix: &str,
        limit: usize,
    ) -> Vec<EntityCard<'e>> {
        let mut cards = self.entity_cards(entities, articles, prefix);
        cards.retain(|c| c.count > 0);
        cards.sort_by_key(|c| std::cmp::Reverse(c.count));
        cards.truncate(limit);
        cards
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
            body_html: &self.bodies.articles[id].html,
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
            events,
            day_url: site.url(&model::day_path(article.day())),
            extra: article.extra.as_ref(),
        }
    }

    fn entity_page(&self, id: usize, page: usize, is_person: bool) -> Result<(String, String)> {
        let index = self.index;
        let site = &index.site;
        let (entities, articles, bodies, prefix, template, per_page) = if is_person {
            (
                &index.people,
                &index.person_articles,
                &self.bodies.people,
                "/people/",
                "person.html",
                site.per_page.person,
            )
        } else {
            (
                &index.topics,
                &index.topic_articles,
                &self.bodies.topics,
                "/topics/",
                "topic.html",
                site.per_page.topic,
            )
        };
        let entity = &entities[id];
        let list = &articles[id];
        let first_page = format!("{prefix}{}/", entity.slug);
        let path = paginated(&first_page, page);
        let pages = page_count(list.len(), per_page);
        let shown = list
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .copied();
        let children: &[usize] = if is_person {
            &[]
        } else {
            &self.topic_children[id]
        };
        let view = EntityView {
            name: &entity.name,
            url: site.url(&first_page),
            role: entity.role.as_deref(),
            born: entity.born.as_deref(),
            description: entity.description.as_deref(),
            body_html: &bodies[id],
            image: entity.image.as_ref().map(|image| ImageView {
                src: image.src.clone(),
                alt: image.alt.as_deref().unwrap_or(""),
                credit: image.credit.as_deref(),
            }),
            links: entity
                .links
                .iter()
                .map(|l| LinkView::new(l.title.as_deref().unwrap_or(&l.url), l.url.clone()))
                .collect(),
            parent: entity.parent.map(|p| {
                LinkView::new(
                    &entities[p].name,
                    self.entity_url(prefix, &entities[p].slug),
                )
            }),
            children: entity_links(site, entities, children, prefix),
            article_count: list.len(),
        };
        let title = if page > 1 {
            format!("{} (page {page})", entity.name)
        } else {
            entity.name.clone()
        };
        let description = entity.description.as_deref().unwrap_or("");
        let mut context = self.context(&title, &path, description);
        context.insert("entity", &view);
        context.insert("articles", &self.cards(shown));
        context.insert("paginator", &self.paginator(&first_page, page, pages));
        self.finish(template, &path, context)
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

/// An event's short Markdown text, without the wrapping paragraph.
fn inline_markdown(text: &str) -> String {
    let html = markdown::render(text, &Highlighter::default(), &|_| None).html;
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}
