//! Rendering: Markdown once per document, then every page of the site rendered
//! from borrowed views, in parallel, straight into the staging folder.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;
use tera::Context;

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::highlight;
use crate::model::{self, output_file, paginated, ArticleId, SiteIndex};
use crate::output::Writer;
use crate::reads::{Part, Parts};
use crate::theme::{Fragment, Theme};
use crate::views::*;
use crate::Timings;

mod archives;
mod entities;
pub mod feeds;
mod fragments;
mod meta;
mod search;
mod shared;
mod timeline;
mod unchanged;

use archives::{events_by_day, periods, MonthSpan, YearSpan};
use entities::Listing;
use fragments::Fragments;
use shared::Shared;
use timeline::{entity_timelines, timeline_items, Items, Scope};
pub(crate) use unchanged::KEYS_FILE;

use crate::charts::Monthly;

/// Bytes set aside for a page's HTML before it is rendered.
const PAGE_CAPACITY: usize = 32 << 10;

/// A page's site path and HTML (UTF-8, as Tera writes text only); no HTML
/// when the previous build's file was kept in its place (see `unchanged`).
type Page = (String, Option<Vec<u8>>);

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
        scope: Scope,
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
    Search,
    NotFound,
    Redirect {
        from: String,
        to: String,
    },
}

struct Renderer<'a> {
    index: &'a SiteIndex,
    theme: &'a Theme,
    /// What every page's data holds alike.
    shared: Shared,
    months: Vec<MonthSpan>,
    years: Vec<YearSpan>,
    /// The site's timeline, and each person's and topic's.
    timeline: Items,
    person_timelines: Vec<Items>,
    topic_timelines: Vec<Items>,
    /// The site's articles per month, the range sparklines are drawn over.
    site_months: Option<Monthly>,
    /// Events by the article that reports them.
    article_events: Vec<Vec<usize>>,
    /// Events by the day they happened, for day digests.
    day_events: HashMap<jiff::civil::Date, Vec<usize>>,
    /// Narrower topics of each topic.
    topic_children: Vec<Vec<usize>>,
    /// The latest change to any article (RFC 3339), for the sitemap.
    newest_change: Option<String>,
    /// The keys of the pages written, to keep those of the previous build
    /// that would come out the same.
    keys: Option<unchanged::PageKeys<'a>>,
    /// The site's feeds, as every page links them.
    site_feeds: Vec<meta::FeedLink>,
    /// What lists and timelines show of each article.
    listed: Vec<Listed>,
    /// Each topic's link.
    topic_links: Vec<LinkView>,
    /// Each article's card.
    cards: Fragments,
    /// Each article's timeline entry, then each event's.
    entries: Fragments,
    /// The jump list of the site's timeline, then each person's, then each
    /// topic's.
    jumps: Fragments,
    /// The site's navigation, as `site.nav` holds it.
    nav: Vec<LinkView>,
    /// Its markup on the page of each of its entries, then on every other
    /// page.
    navs: Fragments,
    /// What of the costly parts of pages' data the theme's page templates
    /// read: a timeline's `jump` list, more of cards and entries than their
    /// markup.
    page_reads: Parts,
    /// A hash of each timeline's jump list, in the same order, for the keys
    /// of pages that do not carry it.
    jump_hashes: Vec<OnceLock<u128>>,
}

/// What a build wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub pages: usize,
    /// Pages kept from the previous build, not rendered again.
    pub kept: usize,
    pub files: usize,
    /// What the marker file should record about this build.
    pub marker: Vec<(&'static str, String)>,
}

/// Renders the whole site through `writer`, into a folder that holds only the
/// marker so far.
pub fn render_site(
    index: &SiteIndex,
    theme: &Theme,
    writer: &Writer,
    timings: &mut Timings,
    presentation: Option<u64>,
) -> Result<Written> {
    let mut clock = Instant::now();
    let renderer = Renderer::new(index, theme);
    let mut renderer = Renderer {
        keys: presentation.map(|p| unchanged::PageKeys::new(writer, p, &renderer.shared.values())),
        ..renderer
    };
    let jobs = renderer.jobs();
    timings.lap("page list and timelines", &mut clock);
    let write = |path: &str, bytes: &[u8]| writer.write(&output_file(path), bytes);
    let mut marker = Vec::new();
    // Indexing is a large part of a build: the previous index is kept when
    // every record is the same. Returns the records' fingerprint and how
    // many files were written.
    let search_index = || -> Result<Option<(String, usize)>> {
        if !index.site.search {
            return Ok(None);
        }
        let records = renderer.search_records();
        let fingerprint = search::fingerprint(&records, &renderer);
        let unchanged =
            writer.previous_marker_value("search-index").as_deref() == Some(fingerprint.as_str());
        let reused = unchanged && writer.reuse_folder(Path::new(search::SEARCH_DIR))?;
        let written = match (reused, &index.bodies.words) {
            (false, Some(words)) => renderer.write_search_index(&records, words, &write)?,
            _ => 0,
        };
        Ok(Some((fingerprint, written)))
    };
    // Thread time spent rendering and writing, in nanoseconds.
    let (rendering, writing) = (AtomicU64::new(0), AtomicU64::new(0));
    let add = |total: &AtomicU64, since: Instant| {
        total.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    };
    let scopes: Vec<Scope> = std::iter::once(Scope::Site)
        .chain((0..index.people.len()).map(Scope::Person))
        .chain((0..index.topics.len()).map(Scope::Topic))
        .collect();
    // Feeds and timeline data need none of the pages: they are made while
    // the pages are, the site's (the largest) first.
    let feeds = || {
        // The site feed carries the newest articles whole.
        let newest_html = (0..index.site.feed_items.min(index.articles.len()))
            .into_par_iter()
            .map(|id| renderer.article_html(id))
            .collect::<Result<Vec<_>>>()?;
        scopes.par_iter().try_for_each(|scope| {
            renderer.write_timeline_json(*scope, writer)?;
            let feed = renderer.feed(*scope, &newest_html);
            write(&feed.path, renderer.atom(&feed).as_bytes())?;
            if *scope == Scope::Site {
                write("/feed.json", renderer.json_feed(&feed).as_bytes())?;
            }
            Ok::<(), Error>(())
        })
    };
    let pages = || {
        jobs.par_iter()
            .map(|job| {
                let started = Instant::now();
                let (path, html) = renderer.render(job)?;
                add(&rendering, started);
                let started = Instant::now();
                if let Some(html) = html {
                    write(&path, &html)?;
                }
                add(&writing, started);
                Ok((path, renderer.lastmod(job)))
            })
            .collect::<Result<Vec<_>>>()
    };
    // The search index needs none of them either: it is written beside them.
    let beside_pages = || {
        feeds()?;
        search_index()
    };
    let (done, fed) = rayon::join(pages, beside_pages);
    let done: Vec<(String, Option<String>)> = done?;
    let search_files = match fed? {
        Some((fingerprint, written)) => {
            marker.push(("search-index", fingerprint));
            written
        }
        None => 0,
    };
    let pages: Vec<(String, Option<String>)> = done
        .into_iter()
        .zip(&jobs)
        .filter(|(_, job)| !matches!(job, Job::NotFound | Job::Redirect { .. }))
        .map(|(entry, _)| entry)
        .collect();
    if let Some(keys) = &renderer.keys {
        writer.write(Path::new(unchanged::KEYS_FILE), &keys.file())?;
        timings.notes.push(format!(
            "{} of {} pages were as the previous build left them: not rendered again",
            keys.reused(),
            jobs.len()
        ));
    }
    renderer.cards.clear();
    renderer.entries.clear();
    renderer.jumps.clear();
    renderer.navs.clear();
    timings.lap("pages, feeds, timeline data, search index", &mut clock);
    let times = [rendering, writing].map(AtomicU64::into_inner);
    let share = |time: u64| time * 100 / times.iter().sum::<u64>().max(1);
    timings.notes.push(format!(
        "page threads spent {}% of their time rendering, {}% writing",
        share(times[0]),
        share(times[1]),
    ));

    let mut generated: Vec<(String, Vec<u8>)> = renderer
        .sitemaps(&pages)
        .into_iter()
        .map(|(path, xml)| (path, xml.into_bytes()))
        .collect();
    generated.push(("/robots.txt".to_string(), renderer.robots().into_bytes()));
    generated.push((
        "/syntax.css".to_string(),
        highlight::stylesheet().into_bytes(),
    ));
    generated.push(("/.nojekyll".to_string(), Vec::new()));
    let redirects = renderer.redirects();
    if !redirects.is_empty() {
        generated.push(("/_redirects".to_string(), redirects.into_bytes()));
    }
    for (name, bytes) in &theme.static_files {
        generated.push((format!("/{name}"), bytes.clone()));
    }
    for (path, bytes) in &generated {
        write(path, bytes)?;
    }
    index
        .assets
        .par_iter()
        .try_for_each(|asset| writer.copy(&asset.source, &asset.content_path))?;
    timings.lap("other files", &mut clock);
    Ok(Written {
        marker,
        pages: jobs.len(),
        kept: renderer.keys.as_ref().map_or(0, |keys| keys.reused()),
        files: jobs.len()
            + scopes.len() * 2
            + 1
            + usize::from(renderer.keys.is_some())
            + generated.len()
            + search_files
            + index.assets.len(),
    })
}

fn events_by_article(index: &SiteIndex) -> Vec<Vec<usize>> {
    let mut by_article = vec![Vec::new(); index.articles.len()];
    for (id, event) in index.events.iter().enumerate() {
        for article in &event.articles {
            by_article[*article].push(id);
        }
    }
    by_article
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

/// Renders the one page at `url_path` (as in DESIGN.md, without the base
/// URL), or None when no page lives there. The dev server uses this to show
/// a changed site without rendering every page.
pub fn render_page(index: &SiteIndex, theme: &Theme, url_path: &str) -> Result<Option<String>> {
    let renderer = Renderer::new(index, theme);
    let job = renderer
        .jobs()
        .into_iter()
        .find(|job| renderer.job_path(job) == url_path);
    // Without keys, every page is rendered.
    job.map(|job| {
        let (_, html) = renderer.render(&job)?;
        String::from_utf8(html.unwrap_or_default())
            .map_err(|e| Error::Usage(format!("the page {url_path} is not UTF-8 text: {e}")))
    })
    .transpose()
}

impl<'a> Renderer<'a> {
    fn new(index: &'a SiteIndex, theme: &'a Theme) -> Self {
        let (months, years) = periods(index);
        let page_reads = theme.page_reads();
        let alone = |part: Part| !page_reads.contains(part);
        let site_view = SiteView::new(index);
        let renderer = Renderer {
            index,
            theme,
            shared: Shared::default(),
            months,
            years,
            timeline: timeline_items(index, 0..index.articles.len(), 0..index.events.len()),
            person_timelines: entity_timelines(
                index,
                &index.person_articles,
                &index.relations.person_mentions,
                |e| &e.people,
            ),
            topic_timelines: entity_timelines(
                index,
                &index.topic_articles,
                &index.relations.topic_mentions,
                |e| &e.topics,
            ),
            site_months: Monthly::of(index.articles.iter().map(|a| a.day())),
            article_events: events_by_article(index),
            day_events: events_by_day(index),
            topic_children: topic_children(index),
            newest_change: None,
            keys: None,
            site_feeds: Renderer::feed_links(&index.site),
            listed: index
                .articles
                .par_iter()
                .map(|a| Listed::new(index, a))
                .collect(),
            topic_links: entity_links(
                &index.site,
                &index.topics,
                &(0..index.topics.len()).collect::<Vec<_>>(),
                "/topics/",
            ),
            cards: Fragments::new(Fragment::Card, index.articles.len(), alone(Part::Card)),
            entries: Fragments::new(
                Fragment::Entry,
                index.articles.len() + index.events.len(),
                alone(Part::Entry),
            ),
            jumps: Fragments::new(
                Fragment::Jump,
                1 + index.people.len() + index.topics.len(),
                false,
            ),
            nav: site_view.nav.clone(),
            navs: Fragments::new(Fragment::Nav, site_view.nav.len() + 1, false),
            page_reads,
            jump_hashes: (0..1 + index.people.len() + index.topics.len())
                .map(|_| OnceLock::new())
                .collect(),
        };
        Renderer {
            newest_change: renderer.latest_change(0..index.articles.len()),
            shared: Shared::new(&site_view, &renderer.default_meta()),
            ..renderer
        }
    }

    /// Where a page is written, as a site path.
    fn job_path(&self, job: &Job) -> String {
        let index = self.index;
        match job {
            Job::Home => "/".to_string(),
            Job::Article(id) => index.articles[*id].path.clone(),
            Job::Page(id) => index.pages[*id].path.clone(),
            Job::TopicsIndex => "/topics/".to_string(),
            Job::PeopleIndex => "/people/".to_string(),
            Job::Entity {
                person,
                id,
                listing,
                page,
            } => {
                let first = if *person {
                    model::person_path(&index.people[*id].slug)
                } else {
                    model::topic_path(&index.topics[*id].slug)
                };
                let first = match listing {
                    Listing::About => first,
                    Listing::Mentions => format!("{first}mentions/"),
                };
                paginated(&first, *page)
            }
            Job::Timeline { scope, page } => paginated(&self.timeline_first_page(*scope), *page),
            Job::Year { index: i } => model::year_path(self.years[*i].year),
            Job::Month { index: i } => {
                model::month_path(self.months[*i].year, self.months[*i].month)
            }
            Job::Day { index: i } => model::day_path(index.days[*i].0),
            Job::Search => "/search/".to_string(),
            Job::NotFound => "/404.html".to_string(),
            Job::Redirect { from, .. } => from.clone(),
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let index = self.index;
        let mut jobs = vec![Job::Home, Job::TopicsIndex, Job::PeopleIndex, Job::NotFound];
        if index.site.search {
            jobs.push(Job::Search);
        }
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
        let scopes = std::iter::once(Scope::Site)
            .chain((0..index.people.len()).map(Scope::Person))
            .chain((0..index.topics.len()).map(Scope::Topic));
        for scope in scopes {
            let pages = self.timeline_page_count(scope);
            jobs.extend((1..=pages).map(|page| Job::Timeline { scope, page }));
        }
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
    fn render(&self, job: &Job) -> Result<Page> {
        let index = self.index;
        let site = &index.site;
        match job {
            Job::Home => {
                let latest = self.cards(0..index.articles.len().min(site.per_page.home));
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
            Job::Article(id) => self.render_article(*id),
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
                        "body_html": self.index.bodies.pages[*id].html,
                        "extra": page.extra,
                    }),
                );
                self.finish("page.html", &page.path, context)
            }
            Job::TopicsIndex => {
                let cards = self.entity_cards(false);
                let mut context = self.context("Topics", "/topics/", "Every topic in the digest");
                context.insert("entities", &cards);
                self.finish("topics.html", "/topics/", context)
            }
            Job::PeopleIndex => {
                let cards = self.entity_cards(true);
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
            Job::Timeline { scope, page } => self.timeline_page(*scope, *page),
            Job::Year { index: i } => self.year_page(*i),
            Job::Month { index: i } => self.month_page(*i),
            Job::Day { index: i } => self.day_page(*i),
            Job::Search => {
                let mut context = self.context("Search", "/search/", "Search every article");
                context.insert(
                    "search_base",
                    &site.url(&format!("/{}", search::SEARCH_DIR)),
                );
                self.finish("search.html", "/search/", context)
            }
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

    /// When a page last changed, for the sitemap: the latest change among the
    /// articles it shows.
    fn lastmod(&self, job: &Job) -> Option<String> {
        let index = self.index;
        let newest = |ids: &mut dyn Iterator<Item = ArticleId>| self.latest_change(ids);
        let per_page = &index.site.per_page;
        match job {
            Job::Home | Job::TopicsIndex | Job::PeopleIndex => self.newest_change.clone(),
            Job::Article(id) => Some(self.updated(*id)),
            Job::Entity {
                person,
                id,
                listing,
                page,
            } => {
                let kind = self.entity_kind(*person);
                let list = match listing {
                    Listing::About => &kind.about[*id],
                    Listing::Mentions => &kind.mentions[*id],
                };
                newest(
                    &mut list
                        .iter()
                        .skip((page - 1) * kind.per_page)
                        .take(kind.per_page)
                        .copied(),
                )
                .or_else(|| self.newest_change.clone())
            }
            Job::Timeline { scope, page } => newest(
                &mut self
                    .items(*scope)
                    .iter()
                    .skip((page - 1) * per_page.timeline)
                    .take(per_page.timeline)
                    .filter_map(|(_, item)| match item {
                        timeline::TimelineItem::Article(id) => Some(*id),
                        timeline::TimelineItem::Event(_) => None,
                    }),
            ),
            Job::Year { index: i } => {
                let span = &self.years[*i];
                let days = self.months[span.months.start].days.start
                    ..self.months[span.months.end - 1].days.end;
                newest(
                    &mut index.days[days]
                        .iter()
                        .flat_map(|(_, ids)| ids.iter().copied()),
                )
            }
            Job::Month { index: i } => newest(
                &mut index.days[self.months[*i].days.clone()]
                    .iter()
                    .flat_map(|(_, ids)| ids.iter().copied()),
            ),
            Job::Day { index: i } => newest(&mut index.days[*i].1.iter().copied()),
            Job::Page(_) | Job::Search | Job::NotFound | Job::Redirect { .. } => None,
        }
    }

    fn event_view(&self, id: usize) -> EventView<'_> {
        let event = &self.index.events[id];
        EventView::new(
            event,
            self.index.bodies.events[id].as_deref(),
            self.reported_in(event),
        )
    }

    /// An image `src` as pages link it: site paths get the base URL's sub-path.
    fn image_view<'b>(&self, image: &'b crate::model::Image) -> ImageView<'b> {
        let src = &image.src;
        ImageView {
            src: if src.starts_with('/') {
                self.index.site.url(src)
            } else {
                src.to_string()
            },
            alt: image.alt.as_deref().unwrap_or(""),
            credit: image.credit.as_deref(),
            width: image.size.map(|s| s.width),
            height: image.size.map(|s| s.height),
        }
    }

    /// What a page's data holds; `finish` adds `site` and the default
    /// `meta`.
    fn context(&self, title: &str, path: &str, description: &str) -> Context {
        let mut context = Context::new();
        context.insert("page_title", title);
        context.insert("canonical", &self.index.site.absolute_url(path));
        context.insert("page_url", &self.index.site.url(path));
        context.insert("description", description);
        context
    }

    fn finish(&self, template: &str, path: &str, context: Context) -> Result<Page> {
        self.finish_with(template, path, context, &[], |_| Ok(()))
    }

    /// `finish`, for a page whose `context` lacks a costly part, which
    /// `stand_in` identifies (what the part is made from) in the page's key,
    /// and which `complete` adds to the page's data if the page is rendered.
    fn finish_with(
        &self,
        template: &str,
        path: &str,
        context: Context,
        stand_in: &[u8],
        complete: impl FnOnce(&mut serde_json::Value) -> Result<()>,
    ) -> Result<Page> {
        // Pages with sharing metadata of their own have set it already.
        let own_meta = context.contains_key("meta");
        let mut data = context.into_json();
        if let Some(keys) = &self.keys {
            if keys.reuse(path, template, &data, stand_in)? {
                return Ok((path.to_string(), None));
            }
        }
        complete(&mut data)?;
        let card = |id| serde_json::to_value(self.card(id)).unwrap_or_default();
        let entry = |n| serde_json::to_value(self.entry_view(n)).unwrap_or_default();
        fragments::resolve(
            &[(&self.cards, &card), (&self.entries, &entry)],
            self.theme,
            &mut data,
        )?;
        if let serde_json::Value::Object(page) = &mut data {
            let page_url = page.get("page_url").and_then(serde_json::Value::as_str);
            let nav = self.nav_html(page_url)?.to_string();
            page.insert(Fragment::Nav.field().to_string(), nav.into());
            let [site, default_meta] = self.shared.values();
            let meta = page.get("meta").unwrap_or(default_meta);
            let tags = meta::head_tags(page, meta, site);
            page.insert("meta_html".to_string(), serde_json::Value::String(tags));
        }
        let context =
            Context::from_value(data).map_err(|e| Error::rendering(template, path, &e))?;
        // Room for most pages at once: growing the buffer copied each page
        // several times.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.shared
            .lend(context, own_meta, |context| {
                self.theme.templates.render_to(template, context, &mut html)
            })
            .map_err(|e| Error::rendering(template, path, &e))?;
        Ok((path.to_string(), Some(html)))
    }

    /// The site's navigation on the page at `page_url`: the same markup on
    /// every page it does not link.
    fn nav_html(&self, page_url: Option<&str>) -> Result<&str> {
        let current = |url: &str| Some(url) == page_url;
        let slot = self.nav.iter().position(|item| current(&item.url));
        self.navs
            .get_with(self.theme, slot.unwrap_or(self.nav.len()), || {
                self.nav
                    .iter()
                    .map(|item| NavItem {
                        name: &item.name,
                        url: &item.url,
                        current: current(&item.url),
                    })
                    .collect::<Vec<_>>()
            })
    }

    fn summary(&self, id: ArticleId) -> &'a str {
        self.index.articles[id]
            .summary
            .as_deref()
            .unwrap_or(&self.index.bodies.articles[id].lead)
    }

    /// The cards of a list, as pages hold them (see `fragments`). Where a
    /// page's data puts a list of them must be in `reads::ROOTS`.
    fn cards(&self, ids: impl Iterator<Item = ArticleId>) -> Vec<Item<ArticleCard<'_>>> {
        ids.map(|id| self.cards.item(id, || self.card(id)))
            .collect()
    }

    /// An article's card, without its markup.
    fn card(&self, id: ArticleId) -> ArticleCard<'_> {
        ArticleCard::new(
            &self.index.articles[id],
            &self.listed[id],
            self.summary(id),
            &self.topic_links,
        )
    }

    fn entity_url(&self, prefix: &str, slug: &str) -> String {
        [self.index.site.base_path.as_str(), prefix, slug, "/"].concat()
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

    /// An article's body as HTML, made from its file.
    fn article_html(&self, id: ArticleId) -> Result<String> {
        let index = self.index;
        index
            .markdown
            .article_html(id, &index.articles[id])
            .map_err(|d| Error::content(vec![d]))
    }

    /// An article's page. Its body's HTML is made only if the page is
    /// rendered: the page's key stands for it by the body's text, its file,
    /// and what every body's HTML depends on.
    fn render_article(&self, id: ArticleId) -> Result<Page> {
        let index = self.index;
        let article = &index.articles[id];
        let view = self.article_view(id, "");
        let mut context = self.context(&article.title, &article.path, view.summary);
        context.insert("article", &view);
        context.insert("meta", &self.article_meta(id));
        let mut stand_in = Vec::new();
        stand_in.extend(article.body.hash.to_le_bytes());
        stand_in.extend(index.bodies.fingerprint.to_le_bytes());
        stand_in.extend(article.source.to_string_lossy().as_bytes());
        self.finish_with("article.html", &article.path, context, &stand_in, |data| {
            let body = self.article_html(id)?;
            if let Some(view) = data.get_mut("article").and_then(|v| v.as_object_mut()) {
                view.insert("body_html".to_string(), body.into());
            }
            Ok(())
        })
    }

    fn article_view<'b>(&'b self, id: ArticleId, body_html: &'b str) -> ArticleView<'b> {
        let index = self.index;
        let site = &index.site;
        let article = &index.articles[id];
        let image = article.image.as_ref().map(|image| self.image_view(image));
        let events = self.article_events[id]
            .iter()
            .map(|e| self.event_view(*e))
            .collect();
        ArticleView {
            title: &article.title,
            url: self.listed[id].url.clone(),
            date_iso: self.listed[id].date_iso.clone(),
            date_display: self.listed[id].date_display.clone(),
            updated_iso: article.updated.as_ref().map(iso_datetime),
            updated_display: article.updated.as_ref().map(|u| long_date(u.date())),
            dateline: article.dateline.as_deref(),
            summary: self.summary(id),
            body_html,
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
}
