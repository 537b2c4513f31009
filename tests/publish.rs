//! What a site publishes besides its pages: feeds (checked with a real feed
//! parser), sitemaps (checked with xmllint against the sitemaps.org schema),
//! sharing metadata, search, and the files static hosts read.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{hrefs, png_header, TestSite};

const HOSTILE: &str = r#"</script><script>alert(1)</script> & "quotes""#;

const SITE: &str = r#"
-- site.yaml --
title: The Digest
description: News & views
base_url: https://example.org/news/
timezone: America/New_York
feeds: {items: 2}
news_sitemap: {publication: The Digest}
-- content/people/jeff-sessions.md --
---
name: Jeff Sessions
role: Attorney General
aliases: [Jefferson Sessions]
description: Attorney General from 2017 to 2018.
image: /img/letters.jpg
links: ["https://en.wikipedia.org/wiki/Jeff_Sessions", "https://www.wikidata.org/wiki/Q358443"]
---
-- content/topics/courts.md --
---
name: Courts
description: Rulings.
---
-- content/articles/2018-04-06-memo.md --
---
title: The memo
people: [Jeff Sessions]
topics: [Courts]
aliases: [/old/memo/]
---
The [letters](2018-06-19-letters.md) came later.
-- content/articles/2018-06-19-letters.md --
---
title: The letters
date: "2018-06-19 10:00"
updated: "2018-06-20 08:00"
topics: [Courts]
people: [Jeff Sessions]
image: {src: /img/letters.jpg, alt: Two letters}
authors: [Ana Reporter]
---
Prosecutors wrote to Jeff Sessions.
-- content/articles/2018-06-20-order.md --
---
title: The order
date: "2018-06-20 18:00"
topics: [Courts]
---
An order.
"#;

fn built() -> TestSite {
    let site = TestSite::new(SITE);
    site.built();
    site
}

fn parse_feed(site: &TestSite, path: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(site.read(path).as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn atom_and_json_feeds_parse_and_hold_the_latest_articles() {
    let site = built();
    let atom = parse_feed(&site, "feed.xml");
    assert_eq!(atom.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(atom.title.unwrap().content, "The Digest");
    let titles: Vec<String> = atom
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(
        titles,
        ["The order", "The letters"],
        "feeds.items caps the feed"
    );
    let letters = &atom.entries[1];
    assert_eq!(
        letters.links[0].href,
        "https://example.org/news/2018/06/19/letters/"
    );
    assert_eq!(
        letters.published.unwrap().to_rfc3339(),
        "2018-06-19T14:00:00+00:00"
    );
    assert_eq!(
        letters.updated.unwrap().to_rfc3339(),
        "2018-06-20T12:00:00+00:00"
    );
    assert_eq!(letters.authors[0].name.as_deref(), Some("Ana Reporter"));
    assert!(letters
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .contains("Prosecutors wrote"));
    assert!(site.read("feed.xml").contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/news/feed.xml\"/>"));

    let json = parse_feed(&site, "feed.json");
    assert_eq!(json.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(json.entries.len(), 2);
    let value: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(value["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        value["items"][1]["image"],
        "https://example.org/news/img/letters.jpg"
    );
}

#[test]
fn every_person_and_topic_has_an_advertised_feed() {
    let site = built();
    for (feed, page) in [
        (
            "people/jeff-sessions/feed.xml",
            "people/jeff-sessions/index.html",
        ),
        ("topics/courts/feed.xml", "topics/courts/index.html"),
    ] {
        let parsed = parse_feed(&site, feed);
        assert!(!parsed.entries.is_empty(), "{feed}");
        for entry in &parsed.entries {
            assert!(entry.summary.is_some(), "{feed}: entries carry the summary");
            assert!(entry.content.is_none(), "{feed}: and not the whole text");
        }
        let html = site.read(page);
        let advert = "type=\"application/atom+xml\" title=\"";
        assert!(html.contains(advert), "{page}");
        assert!(
            hrefs(&html).contains(&format!("https://example.org/news/{feed}")),
            "{page} links {feed}"
        );
    }
    let home = site.read("index.html");
    assert!(hrefs(&home).contains(&"https://example.org/news/feed.xml".to_string()));
    assert!(hrefs(&home).contains(&"https://example.org/news/feed.json".to_string()));
}

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

/// Validates `file` with xmllint against `schema`; both tools come from
/// `.ci/run` (apt-get install libxml2-utils, npm ci).
fn xmllint(schema: &Path, file: &Path) {
    assert!(
        schema.exists(),
        "{} is missing: run `npm ci` first",
        schema.display()
    );
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output()
        .expect("xmllint must be installed (apt-get install libxml2-utils)");
    assert!(
        output.status.success(),
        "{} is not valid:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sitemap_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/sitemap/schema/sitemap.xsd")
}

#[test]
fn the_sitemap_is_valid_and_lists_every_page_with_lastmod() {
    let site = built();
    let sitemap = site.output().join("sitemap.xml");
    xmllint(&sitemap_schema(), &sitemap);
    let xml = site.read("sitemap.xml");
    for url in [
        "https://example.org/news/",
        "https://example.org/news/2018/06/19/letters/",
        "https://example.org/news/people/jeff-sessions/",
        "https://example.org/news/topics/courts/timeline/",
        "https://example.org/news/2018/06/",
    ] {
        assert!(xml.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    assert!(xml.contains("<loc>https://example.org/news/2018/06/19/letters/</loc><lastmod>2018-06-20T08:00:00-04:00</lastmod>"));
    assert!(!xml.contains("/old/memo/"), "redirects are not pages");
    assert!(!xml.contains("404.html"));
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/news/sitemap.xml"));
    assert!(robots.contains("Sitemap: https://example.org/news/sitemap-news.xml"));
}

#[test]
fn the_news_sitemap_holds_the_latest_two_days() {
    let site = built();
    xmllint(
        &schemas().join("news-sitemap.xsd"),
        &site.output().join("sitemap-news.xml"),
    );
    let xml = site.read("sitemap-news.xml");
    assert!(xml.contains("<news:title>The order</news:title>"));
    assert!(
        xml.contains("<news:title>The letters</news:title>"),
        "32 hours before the newest"
    );
    assert!(!xml.contains("The memo"), "April is long before June 20");
    assert!(xml.contains("<news:name>The Digest</news:name><news:language>en</news:language>"));
}

#[test]
fn large_sitemaps_are_split_under_an_index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        "base_url: https://example.org/\n",
    )
    .unwrap();
    let site = newsdigest::config::load(dir.path(), None).unwrap();
    let pages: Vec<(String, Option<String>)> = (0..5)
        .map(|n| (format!("/p{n}/"), Some(format!("2018-06-0{}", n + 1))))
        .collect();
    let files = newsdigest::render::feeds::sitemap_files(&site, &pages, 2);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/sitemaps/sitemap-1.xml",
            "/sitemaps/sitemap-2.xml",
            "/sitemaps/sitemap-3.xml",
            "/sitemap.xml"
        ]
    );
    let index = roxmltree::Document::parse(&files[3].1).unwrap();
    assert_eq!(index.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<&str> = index
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs[2], "https://example.org/sitemaps/sitemap-3.xml");
    for (path, xml) in &files[..3] {
        let file = dir
            .path()
            .join(path.trim_start_matches('/').replace('/', "-"));
        std::fs::write(&file, xml).unwrap();
        xmllint(&sitemap_schema(), &file);
    }
    assert_eq!(newsdigest::render::feeds::SITEMAP_LIMIT, 50_000);
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| rest.split_once("</script>").unwrap().0)
        .map(|json| serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}")))
        .collect()
}

#[test]
fn pages_carry_sharing_metadata_and_structured_data() {
    let site = built();
    let article = site.read("2018/06/19/letters/index.html");
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:url\" content=\"https://example.org/news/2018/06/19/letters/\">",
        "<meta property=\"og:image\" content=\"https://example.org/news/img/letters.jpg\">",
        "<meta property=\"article:published_time\" content=\"2018-06-19T10:00:00-04:00\">",
        "<meta property=\"article:modified_time\" content=\"2018-06-20T08:00:00-04:00\">",
        "<meta property=\"article:section\" content=\"Courts\">",
        "<meta property=\"article:tag\" content=\"Courts\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
    ] {
        assert!(article.contains(tag), "missing {tag}");
    }
    let blocks = json_ld(&article);
    let news = blocks
        .iter()
        .find(|b| b["@type"] == "NewsArticle")
        .expect("NewsArticle");
    assert_eq!(news["headline"], "The letters");
    assert_eq!(news["dateModified"], "2018-06-20T08:00:00-04:00");
    assert_eq!(news["about"][0]["name"], "Jeff Sessions");
    assert_eq!(news["publisher"]["name"], "The Digest");
    assert_eq!(
        news["image"],
        serde_json::json!(["https://example.org/news/img/letters.jpg"])
    );
    assert_eq!(news["articleSection"], "Courts");
    let crumbs = blocks
        .iter()
        .find(|b| b["@type"] == "BreadcrumbList")
        .expect("breadcrumbs");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 5);

    let person = json_ld(&site.read("people/jeff-sessions/index.html"));
    let profile = person
        .iter()
        .find(|b| b["@type"] == "ProfilePage")
        .expect("ProfilePage");
    assert_eq!(profile["mainEntity"]["sameAs"].as_array().unwrap().len(), 2);
    assert_eq!(
        profile["mainEntity"]["alternateName"],
        serde_json::json!(["Jefferson Sessions"])
    );
    assert_eq!(
        profile["mainEntity"]["image"],
        "https://example.org/news/img/letters.jpg"
    );
    let topic = json_ld(&site.read("topics/courts/index.html"));
    assert!(topic.iter().any(|b| b["@type"] == "CollectionPage"));
    // The same keys in the same order from build to build, so that a
    // deploy's diff shows only what changed: alphabetical, at every level.
    for (path, bytes) in site.tree() {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            json_ld(&html);
            for block in html.split("<script type=\"application/ld+json\">").skip(1) {
                let raw = block.split_once("</script>").unwrap().0;
                serde_json::from_str::<KeysInOrder>(raw)
                    .unwrap_or_else(|e| panic!("{}: {e}: {raw}", path.display()));
            }
        }
    }
}

/// JSON whose objects have their keys in alphabetical order, however deep;
/// anything else fails to deserialise.
struct KeysInOrder;

impl<'de> serde::Deserialize<'de> for KeysInOrder {
    fn deserialize<D: serde::Deserializer<'de>>(json: D) -> Result<Self, D::Error> {
        json.deserialize_any(KeysInOrder)
    }
}

impl<'de> serde::de::Visitor<'de> for KeysInOrder {
    type Value = KeysInOrder;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut previous: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            if previous.as_ref().is_some_and(|p| *p >= key) {
                return Err(serde::de::Error::custom(format!(
                    "`{key}` comes after `{}`",
                    previous.unwrap_or_default()
                )));
            }
            map.next_value::<KeysInOrder>()?;
            previous = Some(key);
        }
        Ok(KeysInOrder)
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(
        self,
        mut items: S,
    ) -> Result<Self::Value, S::Error> {
        while items.next_element::<KeysInOrder>()?.is_some() {}
        Ok(KeysInOrder)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(KeysInOrder)
    }
}

#[test]
fn a_hostile_title_stays_text_in_every_format() {
    let site = TestSite::new(SITE);
    site.write(
        "content/articles/2018-06-21-hostile.md",
        format!(
            "---\ntitle: '{}'\nsummary: '{}'\ntopics: [Courts]\n---\nBody.\n",
            HOSTILE.replace('\'', "''"),
            HOSTILE
        )
        .as_bytes(),
    );
    site.built();
    let html = site.read("2018/06/21/hostile/index.html");
    assert!(html.contains(
        "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</h1>"
    ));
    assert!(html.contains("<meta property=\"og:title\" content=\"&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;\">"));
    let news = json_ld(&html)
        .into_iter()
        .find(|b| b["@type"] == "NewsArticle")
        .unwrap();
    assert_eq!(news["headline"], HOSTILE, "JSON-LD round-trips the title");
    let atom = parse_feed(&site, "feed.xml");
    assert_eq!(atom.entries[0].title.as_ref().unwrap().content, HOSTILE);
    let json = parse_feed(&site, "feed.json");
    assert_eq!(json.entries[0].title.as_ref().unwrap().content, HOSTILE);
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{} lets the script through",
            path.display()
        );
    }
}

#[test]
fn static_hosts_get_redirects_and_nojekyll() {
    let site = built();
    assert!(site.exists(".nojekyll"));
    assert_eq!(
        site.read("_redirects"),
        "/news/old/memo/ /news/2018/04/06/memo/ 301\n"
    );
    let redirect = site.read("old/memo/index.html");
    assert!(redirect
        .contains("<meta http-equiv=\"refresh\" content=\"0; url=/news/2018/04/06/memo/\">"));
    assert!(redirect
        .contains("<link rel=\"canonical\" href=\"https://example.org/news/2018/04/06/memo/\">"));
}

#[test]
fn search_is_built_and_can_be_switched_off() {
    let site = built();
    let json = |path: &str| -> serde_json::Value {
        serde_json::from_str(&site.read(&format!("search/data/{path}")))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let page = site.read("search/index.html");
    assert!(page.contains("<noscript>"));
    assert!(page.contains("data-index=\"/news/search/data\""));
    assert!(page.contains("src=\"/news/search.js\""));
    assert!(site.exists("search.js"));
    assert!(hrefs(&site.read("index.html")).contains(&"/news/search/".to_string()));

    let index = json("index.json");
    assert_eq!(index["articles"], 3, "{index}");
    assert_eq!(
        index["filters"]["topic"],
        serde_json::json!([["courts", "Courts", 3]])
    );
    assert_eq!(
        index["filters"]["person"],
        serde_json::json!([["jeff-sessions", "Jeff Sessions", 2]])
    );
    // Articles are numbered newest first (order 0, letters 1, memo 2); a
    // posting is number * 2, plus 1 for a word in the title, as differences.
    let le = json("words/le.json");
    assert_eq!(
        le["letters"],
        serde_json::json!([3, 1]),
        "title of 1, body of 2"
    );
    assert_eq!(json("words/or.json")["order"], serde_json::json!([1]));
    assert_eq!(json("words/pr.json")["prosecutors"], serde_json::json!([2]));
    assert_eq!(
        json("filters/person/jeff-sessions.json"),
        serde_json::json!([1, 1])
    );
    assert_eq!(json("filters/year/2018.json"), serde_json::json!([0, 1, 1]));
    let docs = json("docs/0.json");
    assert_eq!(docs[1][0], "/news/2018/06/19/letters/");
    assert_eq!(docs[1][1], "The letters");
    assert_eq!(docs[1][2], "June 19, 2018");

    site.write(
        "site.yaml",
        b"base_url: https://example.org/news/\nsearch: {enabled: false}\n",
    );
    site.built();
    assert!(!site.exists("search"));
    assert!(!site.read("index.html").contains("/news/search/"));
}

/// How the default theme printed the page's metadata tags before it printed
/// `meta_html`: what a theme made then still does.
const TAGS_FROM_META: &str = r#"{% if description %}<meta name="description" content="{{ description }}">{% endif %}
<link rel="canonical" href="{{ canonical }}">
<meta property="og:site_name" content="{{ site.title }}">
<meta property="og:title" content="{{ page_title }}">
<meta property="og:type" content="{{ meta.og_type }}">
<meta property="og:url" content="{{ canonical }}">
{% if description %}<meta property="og:description" content="{{ description }}">
{% endif %}{% if meta.image %}<meta property="og:image" content="{{ meta.image }}">
{% if meta.image_width %}<meta property="og:image:width" content="{{ meta.image_width }}">
<meta property="og:image:height" content="{{ meta.image_height }}">
{% endif %}{% if meta.image_alt %}<meta property="og:image:alt" content="{{ meta.image_alt }}">
{% endif %}{% endif %}{% if meta.published %}<meta property="article:published_time" content="{{ meta.published }}">
<meta property="article:modified_time" content="{{ meta.modified }}">
{% endif %}{% if meta.section %}<meta property="article:section" content="{{ meta.section }}">
{% endif %}{% for tag in meta.tags %}<meta property="article:tag" content="{{ tag }}">
{% endfor %}<meta name="twitter:card" content="{% if meta.image %}summary_large_image{% else %}summary{% endif %}">
<meta name="twitter:title" content="{{ page_title }}">
{% if description %}<meta name="twitter:description" content="{{ description }}">
{% endif %}{% if meta.image %}<meta name="twitter:image" content="{{ meta.image }}">
{% endif %}{% for feed in meta.feeds %}<link rel="alternate" type="{{ feed.kind }}" title="{{ feed.title }}" href="{{ feed.url }}">
{% endfor %}{% for data in meta.json_ld %}<script type="application/ld+json">{{ data | safe }}</script>
{% endfor %}
{% if paginator and paginator.prev %}<link rel="prev" href="{{ paginator.prev }}">{% endif %}
{% if paginator and paginator.next %}<link rel="next" href="{{ paginator.next }}">{% endif %}"#;

/// How it printed the site's navigation before it printed `nav_html`.
const NAV_FROM_SITE: &str = r#"<ul>
      {% for item in site.nav %}<li><a href="{{ item.url }}"{% if item.url == page_url %} aria-current="page"{% endif %}>{{ item.name }}</a></li>
      {% endfor %}</ul>"#;

#[test]
fn meta_html_and_nav_html_hold_what_a_theme_would_print_from_meta_and_site() {
    let make = || {
        let site = TestSite::new(SITE);
        // Text to escape everywhere, and an image of known size.
        site.write(
            "content/articles/2018-06-21-hostile.md",
            format!(
                "---\ntitle: '{0}'\nsummary: '{0}'\ntopics: [Courts, '{0}']\nimage: {{src: /img/wide.png, alt: '{0}'}}\n---\nBody.\n",
                HOSTILE.replace('\'', "''"),
            )
            .as_bytes(),
        );
        site.write("content/img/wide.png", &png_header(1200, 800));
        // Lists of more than one page.
        let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write(
            "site.yaml",
            format!("{config}per_page: {{timeline: 2, topic: 2}}\n").as_bytes(),
        );
        site
    };
    let default = make();
    default.built();
    let own = make();
    let base = include_str!("../themes/default/templates/base.html");
    assert!(base.contains("{{ meta_html | safe }}") && base.contains("{{ nav_html | safe }}"));
    let base = base
        .replace("{{ meta_html | safe }}", TAGS_FROM_META)
        .replace("{{ nav_html | safe }}", NAV_FROM_SITE);
    own.write("themes/default/templates/base.html", base.as_bytes());
    own.built();

    let page = default.read("2018/06/21/hostile/index.html");
    let timeline = default.read("timeline/index.html");
    assert!(timeline.contains("<a href=\"/news/timeline/\" aria-current=\"page\">"));
    let second = default.read("timeline/page/2/index.html");
    assert!(second.contains("\n<link rel=\"prev\" href=\"/news/timeline/\">\n"));
    for tag in [
        "<meta property=\"og:image:width\" content=\"1200\">",
        "<meta property=\"og:image:alt\" content=\"&lt;/script&gt;",
        "<meta name=\"description\" content=\"&lt;/script&gt;",
    ] {
        assert!(page.contains(tag), "missing {tag} in:\n{page}");
    }
    let html = |site: &TestSite| {
        site.tree()
            .into_iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
            .collect::<Vec<_>>()
    };
    let (made, printed) = (html(&default), html(&own));
    assert_eq!(made.len(), printed.len());
    assert!(made.len() > 20, "pages of every kind");
    for ((path, a), (_, b)) in made.iter().zip(&printed) {
        assert_eq!(
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b),
            "{}",
            path.display()
        );
    }
}
