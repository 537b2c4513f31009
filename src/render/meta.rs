//! Sharing metadata: OpenGraph and Twitter card values, feed links, and
//! schema.org JSON-LD (NewsArticle, ProfilePage, CollectionPage,
//! BreadcrumbList), every JSON block escaped for its `<script>`.

use serde::Serialize;
use serde_json::{json, Value};

use super::Renderer;
use crate::dates::{long_date, month_name};
use crate::html::json_for_script;
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
        let items: Vec<Value> = std::iter::once((site.title.clone(), "/".to_string()))
            .chain(trail.iter().cloned())
            .enumerate()
            .map(|(i, (name, path))| {
                json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": site.absolute_url(&path) })
            })
            .collect();
        json_for_script(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        }))
    }

    fn person_refs(&self, ids: &[usize]) -> Vec<Value> {
        ids.iter()
            .map(|id| {
                let person = &self.index.people[*id];
                let url = self
                    .index
                    .site
                    .absolute_url(&model::person_path(&person.slug));
                json!({ "@type": "Person", "name": person.name, "url": url })
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
        let authors: Vec<Value> = if article.authors.is_empty() {
            vec![json!({ "@type": "Organization", "name": site.title })]
        } else {
            article
                .authors
                .iter()
                .map(|a| json!({ "@type": "Person", "name": a }))
                .collect()
        };
        let mut data = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": self.summary(id),
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": iso_datetime(&article.date),
            "dateModified": self.updated(id),
            "author": authors,
            "publisher": { "@type": "Organization", "name": site.title, "url": site.absolute_url("/") },
            "inLanguage": site.language,
        });
        if let Some(image) = &image {
            data["image"] = json!([image]);
        }
        if !article.people.is_empty() {
            data["about"] = self.person_refs(&article.people).into();
        }
        let mentioned = &index.relations.article_mentions[id];
        if !mentioned.is_empty() {
            data["mentions"] = self.person_refs(mentioned).into();
        }
        if let Some(section) = topics.first() {
            data["articleSection"] = section.as_str().into();
            data["keywords"] = topics.join(", ").into();
        }
        if let Some(dateline) = &article.dateline {
            data["dateline"] = dateline.as_str().into();
        }
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
            published: Some(iso_datetime(&article.date)),
            modified: Some(self.updated(id)),
            section: topics.first().cloned(),
            tags: topics,
            feeds: self.site_feeds(),
            json_ld: vec![json_for_script(&data), self.breadcrumbs(&trail)],
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
            let same_as: Vec<&str> = entity
                .links
                .iter()
                .map(|l| l.url.as_str())
                .filter(|u| u.contains("wikipedia.org/") || u.contains("wikidata.org/"))
                .collect();
            let mut person = json!({ "@type": "Person", "name": entity.name, "url": url });
            if let Some(role) = &entity.role {
                person["jobTitle"] = role.as_str().into();
            }
            if let Some(description) = &entity.description {
                person["description"] = description.as_str().into();
            }
            if !same_as.is_empty() {
                person["sameAs"] = same_as.into();
            }
            if !entity.aliases.is_empty() {
                person["alternateName"] = entity.aliases.clone().into();
            }
            if let Some(image) = &image {
                person["image"] = image.as_str().into();
            }
            json!({ "@context": "https://schema.org", "@type": "ProfilePage", "url": url, "mainEntity": person })
        } else {
            let mut page = json!({
                "@context": "https://schema.org",
                "@type": "CollectionPage",
                "name": entity.name,
                "url": url,
                "about": { "@type": "Thing", "name": entity.name },
            });
            if let Some(description) = &entity.description {
                page["description"] = description.as_str().into();
            }
            page
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
            json_ld: vec![json_for_script(&data), self.breadcrumbs(&trail)],
            ..self.default_meta()
        }
    }
}
