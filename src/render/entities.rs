//! Person and topic pages: profile, articles about them, articles that mention
//! them, and how they connect to other people and topics.

use super::timeline::Scope;
use super::{page_count, Page, Renderer};
use crate::charts;
use crate::dates::long_date;
use crate::error::Result;
use crate::model::relations::Counted;
use crate::model::{self, paginated, ArticleId};
use crate::views::*;

/// Which articles an entity page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    /// Articles about the person, or filed under the topic.
    About,
    /// Articles that only mention them.
    Mentions,
}

impl Listing {
    pub(super) fn name(self) -> &'static str {
        match self {
            Listing::About => "about",
            Listing::Mentions => "mentions",
        }
    }
}

/// The parts of the index one kind of entity page reads.
pub(super) struct EntityKind<'a> {
    pub(super) entities: &'a [model::Entity],
    pub(super) about: &'a [Vec<ArticleId>],
    pub(super) mentions: &'a [Vec<ArticleId>],
    pub(super) bodies: &'a [String],
    pub(super) prefix: &'static str,
    pub(super) template: &'static str,
    pub(super) per_page: usize,
}

impl<'a> Renderer<'a> {
    pub(super) fn entity_kind(&self, is_person: bool) -> EntityKind<'a> {
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

    /// The people or topics index: every entity with its article count and a
    /// sparkline of its articles (about and mentioning) over the site's range.
    pub(super) fn entity_cards(&self, is_person: bool) -> Vec<EntityCard<'a>> {
        let kind = self.entity_kind(is_person);
        kind.entities
            .iter()
            .enumerate()
            .map(|(id, e)| {
                let (about, mentions) = (&kind.about[id], &kind.mentions[id]);
                let sparkline_html = self.site_months.as_ref().map(|site| {
                    let days = about
                        .iter()
                        .chain(mentions)
                        .map(|a| self.index.articles[*a].day());
                    charts::sparkline(&site.same_range(days), &e.name)
                });
                EntityCard {
                    name: &e.name,
                    url: self.entity_url(kind.prefix, &e.slug),
                    description: e.description.as_deref(),
                    role: e.role.as_deref(),
                    // Every article they appear in: about them or mentioning them.
                    count: about.len() + mentions.len(),
                    sparkline_html,
                }
            })
            .collect()
    }

    pub(super) fn counted_cards<'e>(
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
                    sparkline_html: None,
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

    pub(super) fn entity_page(
        &self,
        is_person: bool,
        id: usize,
        listing: Listing,
        page: usize,
    ) -> Result<Page> {
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
            born: entity.born.as_deref().map(|b| {
                b.parse::<jiff::civil::Date>()
                    .map_or_else(|_| b.to_string(), crate::dates::long_date)
            }),
            description: entity.description.as_deref(),
            body_html: &kind.bodies[id],
            image: entity.image.as_ref().map(|image| self.image_view(image)),
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
        context.insert("meta", &self.entity_meta(is_person, id));
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
        let scope = if is_person {
            Scope::Person(id)
        } else {
            Scope::Topic(id)
        };
        let on_first_page = matches!(listing, Listing::About) && page == 1;
        context.insert(
            "chart_html",
            &on_first_page.then(|| self.chart(scope)).flatten(),
        );
        context.insert("timeline_url", &site.url(&format!("{first_page}timeline/")));
        self.finish(kind.template, &path, context)
    }
}
