//! Feeds and the files static hosts and crawlers read: Atom and JSON Feed for
//! the site, an Atom feed per person and per topic, sitemaps, robots.txt,
//! `_redirects` and `.nojekyll`.

use serde_json::json;

use super::timeline::Scope;
use super::Renderer;
use crate::config::Site;
use crate::html::escape;
use crate::model::ArticleId;
use crate::views::iso_datetime;

/// Most URLs one sitemap file may list.
pub const SITEMAP_LIMIT: usize = 50_000;

/// A feed being written: where it lives and what it holds.
pub(super) struct Feed {
    pub title: String,
    /// The feed's own path, `/feed.xml` or `/people/<slug>/feed.xml`.
    pub path: String,
    /// The HTML page it follows.
    pub page: String,
    pub articles: Vec<ArticleId>,
    /// Entries carry the article's whole text as HTML, one per article (the
    /// site feed), or only its summary (person and topic feeds, which would
    /// otherwise repeat the archive's text once per person and topic it
    /// names): then this is empty.
    pub full_text: Vec<String>,
}

impl<'a> Renderer<'a> {
    /// The feed of a scope: the latest articles of the site, or of a person or
    /// topic (about them or mentioning them). `newest_html` holds the HTML
    /// of the site's newest articles, as many as a feed lists.
    pub(super) fn feed(&self, scope: Scope, newest_html: &[String]) -> Feed {
        let index = self.index;
        let limit = index.site.feed_items;
        let merged = |about: &[ArticleId], mentions: &[ArticleId]| {
            let mut ids: Vec<ArticleId> = about.iter().chain(mentions).copied().collect();
            ids.sort_unstable();
            ids.dedup();
            ids.truncate(limit);
            ids
        };
        match scope {
            Scope::Site => Feed {
                title: index.site.title.clone(),
                path: "/feed.xml".to_string(),
                page: "/".to_string(),
                articles: (0..index.articles.len().min(limit)).collect(),
                full_text: newest_html.iter().take(limit).cloned().collect(),
            },
            Scope::Person(id) | Scope::Topic(id) => {
                let kind = self.entity_kind(matches!(scope, Scope::Person(_)));
                let entity = &kind.entities[id];
                let page = format!("{}{}/", kind.prefix, entity.slug);
                Feed {
                    title: format!("{}: {}", entity.name, index.site.title),
                    path: format!("{page}feed.xml"),
                    page,
                    articles: merged(&kind.about[id], &kind.mentions[id]),
                    full_text: Vec::new(),
                }
            }
        }
    }

    /// A stable identifier for a site path: its absolute URL when `base_url`
    /// has a host, otherwise a URN (Atom ids must be absolute).
    fn feed_id(&self, path: &str) -> String {
        let site = &self.index.site;
        if site.has_absolute_urls() {
            site.absolute_url(path)
        } else {
            format!("urn:newsdigest:{}{path}", crate::slug::slugify(&site.title))
        }
    }

    /// An article's HTML with its site links made full URLs, as feed readers
    /// need (many ignore `xml:base`).
    fn absolute_html(&self, html: &str) -> String {
        let site = &self.index.site;
        if !site.has_absolute_urls() {
            return html.to_string();
        }
        let origin = site
            .base
            .strip_suffix(site.base_path.as_str())
            .unwrap_or(&site.base);
        let mut out = String::with_capacity(html.len() + 256);
        let mut rest = html;
        while let Some(at) = rest.find("=\"/") {
            let (before, after) = rest.split_at(at + 2);
            out.push_str(before);
            let attribute_ok = before.ends_with("href=\"") || before.ends_with("src=\"");
            if attribute_ok && !after.starts_with("//") {
                out.push_str(origin);
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }

    /// When an article last changed.
    pub(super) fn changed(&self, id: ArticleId) -> &jiff::ZonedDateTime {
        let article = &self.index.articles[id];
        article.updated.as_ref().unwrap_or(&article.date)
    }

    /// When an article last changed, RFC 3339.
    pub(super) fn updated(&self, id: ArticleId) -> String {
        iso_datetime(self.changed(id))
    }

    /// The latest change among `ids`, RFC 3339.
    pub(super) fn latest_change(&self, ids: impl Iterator<Item = ArticleId>) -> Option<String> {
        ids.max_by_key(|id| self.changed(*id).timestamp())
            .map(|id| self.updated(id))
    }

    /// The feed as Atom (RFC 4287).
    pub(super) fn atom(&self, feed: &Feed) -> String {
        let index = self.index;
        let site = &index.site;
        let updated = self
            .latest_change(feed.articles.iter().copied())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<id>{}</id>\n<title>{}</title>\n<updated>{updated}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n<generator uri=\"https://crates.io/crates/newsdigest\" version=\"{}\">newsdigest</generator>\n",
            escape(&site.language),
            escape(&self.feed_id(&feed.page)),
            escape(&feed.title),
            escape(&site.absolute_url(&feed.path)),
            escape(&site.absolute_url(&feed.page)),
            escape(&site.title),
            env!("CARGO_PKG_VERSION"),
        );
        if !site.description.is_empty() {
            xml.push_str(&format!(
                "<subtitle>{}</subtitle>\n",
                escape(&site.description)
            ));
        }
        for (n, id) in feed.articles.iter().enumerate() {
            let article = &index.articles[*id];
            let url = site.absolute_url(&article.path);
            xml.push_str(&format!(
                "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n",
                escape(&self.feed_id(&article.path)),
                escape(&article.title),
                escape(&url),
                iso_datetime(&article.date),
                self.updated(*id),
            ));
            let authors: Vec<&str> = if article.authors.is_empty() {
                vec![site.title.as_str()]
            } else {
                article.authors.iter().map(String::as_str).collect()
            };
            for author in authors {
                xml.push_str(&format!(
                    "<author><name>{}</name></author>\n",
                    escape(author)
                ));
            }
            for topic in &article.topics {
                xml.push_str(&format!(
                    "<category term=\"{}\"/>\n",
                    escape(&index.topics[*topic].name)
                ));
            }
            xml.push_str(&format!(
                "<summary>{}</summary>\n",
                escape(self.summary(*id))
            ));
            if let Some(html) = feed.full_text.get(n) {
                xml.push_str(&format!(
                    "<content type=\"html\" xml:base=\"{}\">{}</content>\n",
                    escape(&url),
                    escape(&self.absolute_html(html)),
                ));
            }
            xml.push_str("</entry>\n");
        }
        xml.push_str("</feed>\n");
        xml
    }

    /// The site feed as JSON Feed 1.1.
    pub(super) fn json_feed(&self, feed: &Feed) -> String {
        let index = self.index;
        let site = &index.site;
        let items: Vec<serde_json::Value> = feed
            .articles
            .iter()
            .zip(&feed.full_text)
            .map(|(id, html)| {
                let article = &index.articles[*id];
                let mut item = json!({
                    "id": self.feed_id(&article.path),
                    "url": site.absolute_url(&article.path),
                    "title": article.title,
                    "summary": self.summary(*id),
                    "content_html": self.absolute_html(html),
                    "date_published": iso_datetime(&article.date),
                    "date_modified": self.updated(*id),
                    "tags": article.topics.iter().map(|t| index.topics[*t].name.as_str()).collect::<Vec<_>>(),
                });
                if !article.authors.is_empty() {
                    item["authors"] = article.authors.iter().map(|a| json!({ "name": a })).collect();
                }
                if let Some(image) = &article.image {
                    item["image"] = self.absolute(&image.src).into();
                }
                item
            })
            .collect();
        let document = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": site.absolute_url(&feed.page),
            "feed_url": site.absolute_url("/feed.json"),
            "description": site.description,
            "language": site.language,
            "authors": [{ "name": site.title }],
            "items": items,
        });
        crate::html::json_file(&document)
    }

    /// An image `src` as a full URL: site paths get the base URL.
    pub(super) fn absolute(&self, src: &str) -> String {
        if src.starts_with('/') {
            self.index.site.absolute_url(src)
        } else {
            src.to_string()
        }
    }

    /// `/sitemap.xml` (a sitemap index with numbered parts past
    /// `SITEMAP_LIMIT` URLs), and `/sitemap-news.xml` when configured.
    pub(super) fn sitemaps(&self, pages: &[(String, Option<String>)]) -> Vec<(String, String)> {
        if !self.index.site.has_absolute_urls() {
            // A sitemap must list full URLs; without a host there are none.
            return Vec::new();
        }
        let mut files = sitemap_files(&self.index.site, pages, SITEMAP_LIMIT);
        if let Some(news) = &self.index.site.news_sitemap {
            files.push(("/sitemap-news.xml".to_string(), self.news_sitemap(news)));
        }
        files
    }

    /// Articles of the two days up to the newest article, in Google News form.
    /// Counted from the newest article, not the clock, so builds stay
    /// reproducible; publish promptly after adding articles.
    fn news_sitemap(&self, news: &crate::config::NewsSitemap) -> String {
        let index = self.index;
        let site = &index.site;
        let language = news.language.as_deref().unwrap_or(&site.language);
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
        );
        if let Some(newest) = index.articles.first() {
            let since = newest.date.timestamp() - jiff::SignedDuration::from_hours(48);
            for article in index
                .articles
                .iter()
                .take_while(|a| a.date.timestamp() >= since)
                .take(1000)
            {
                xml.push_str(&format!(
                    "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
                    escape(&site.absolute_url(&article.path)),
                    escape(&news.publication),
                    escape(language),
                    iso_datetime(&article.date),
                    escape(&article.title),
                ));
            }
        }
        xml.push_str("</urlset>\n");
        xml
    }

    /// robots.txt: everything may be crawled; the sitemaps are named when
    /// `base_url` is absolute (the Sitemap line needs a full URL).
    pub(super) fn robots(&self) -> String {
        let site = &self.index.site;
        let mut text = String::from("User-agent: *\nAllow: /\n");
        if site.has_absolute_urls() {
            text.push_str(&format!(
                "\nSitemap: {}\n",
                site.absolute_url("/sitemap.xml")
            ));
            if site.news_sitemap.is_some() {
                text.push_str(&format!(
                    "Sitemap: {}\n",
                    site.absolute_url("/sitemap-news.xml")
                ));
            }
        } else {
            text.push_str("\n# Set base_url in site.yaml to the published address to list the sitemap here.\n");
        }
        text
    }

    /// `_redirects` for hosts that read it (Netlify, Cloudflare Pages): every
    /// alias to its page, permanently.
    pub(super) fn redirects(&self) -> String {
        let index = self.index;
        let site_path = |path: &str| index.site.url(path);
        let mut lines = String::new();
        let aliased = index
            .articles
            .iter()
            .map(|a| (&a.aliases, &a.path))
            .chain(index.pages.iter().map(|p| (&p.aliases, &p.path)));
        for (aliases, target) in aliased {
            for alias in aliases {
                lines.push_str(&format!("{} {} 301\n", site_path(alias), site_path(target)));
            }
        }
        lines
    }
}

/// Sitemap files for `pages` (site path, lastmod): one urlset, or past `limit`
/// URLs an index at `/sitemap.xml` and parts under `/sitemaps/`.
pub fn sitemap_files(
    site: &Site,
    pages: &[(String, Option<String>)],
    limit: usize,
) -> Vec<(String, String)> {
    let urlset = |entries: &[(String, Option<String>)]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (path, lastmod) in entries {
            xml.push_str(&format!(
                "<url><loc>{}</loc>",
                escape(&site.absolute_url(path))
            ));
            if let Some(lastmod) = lastmod {
                xml.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if pages.len() <= limit {
        return vec![("/sitemap.xml".to_string(), urlset(pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in pages.chunks(limit.max(1)).enumerate() {
        let path = format!("/sitemaps/sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc>",
            escape(&site.absolute_url(&path))
        ));
        if let Some(lastmod) = chunk.iter().filter_map(|(_, l)| l.as_ref()).max() {
            index.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        index.push_str("</sitemap>\n");
        files.push((path, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("/sitemap.xml".to_string(), index));
    files
}
