//! End-to-end builds of small inline sites, checked file by file.

mod common;

use std::path::Path;

use common::{hrefs, png_header, TestSite};

const NEWS: &str = r#"
-- site.yaml --
title: Test Digest
per_page: {topic: 2, person: 2, timeline: 3, home: 2}
-- content/people/jeff-sessions.md --
---
name: Jeff Sessions
aliases: [Attorney General Sessions]
role: Attorney General
---
Alabama senator, then attorney general.
-- content/people/hector-balderas.md --
---
name: Hector Balderas
role: New Mexico Attorney General
---
-- content/topics/immigration.md --
---
name: Immigration
description: Who may come, and how.
---
The **immigration** beat.
-- content/topics/zero-tolerance.md --
---
name: Zero tolerance
parent: immigration
---
-- content/articles/2018/2018-04-06-memo.md --
---
title: Sessions orders zero tolerance at the border
topics: [Immigration, zero-tolerance]
people: Attorney General Sessions
events:
  - {date: 2018-04-06, title: Zero tolerance memo issued}
---
The attorney general told prosecutors to charge every illegal crossing.
-- content/articles/2018/2018-06-19-letters.md --
---
title: Prosecutors urge Sessions to end family separations
date: 2018-06-19 14:30
summary: Two letters in one day.
topics: [immigration]
people: [Jeff Sessions, Hector Balderas]
sources:
  - {title: The letter, url: "https://example.org/letter", publisher: Example}
events:
  - {date: 2018-04, title: Policy announced}
dateline: Washington
---
State attorneys general wrote to the attorney general.

## The letters

Read [the memo story](2018-04-06-memo.md) for background.
-- content/articles/2018/2018-06-20-order.md --
---
title: An executive order ends separations
topics: [Immigration]
---
The president signed an order.
-- content/pages/about.md --
---
title: About this digest
---
We write short articles.
"#;

#[test]
fn every_page_kind_is_written_where_design_md_says() {
    let site = TestSite::new(NEWS);
    let report = site.built();
    assert_eq!(report.articles, 3);
    for path in [
        "index.html",
        "2018/06/19/letters/index.html",
        "2018/04/06/memo/index.html",
        "2018/06/19/index.html",
        "2018/06/index.html",
        "2018/04/index.html",
        "2018/index.html",
        "topics/index.html",
        "topics/immigration/index.html",
        "topics/immigration/page/2/index.html",
        "topics/zero-tolerance/index.html",
        "people/index.html",
        "people/jeff-sessions/index.html",
        "people/hector-balderas/index.html",
        "timeline/index.html",
        "timeline/page/2/index.html",
        "about/index.html",
        "404.html",
        "style.css",
        "syntax.css",
    ] {
        assert!(site.exists(path), "{path} is missing");
    }
    assert!(!site.exists("topics/immigration/page/3/index.html"));
}

#[test]
fn an_article_page_shows_everything_its_front_matter_says() {
    let site = TestSite::new(NEWS);
    site.built();
    let html = site.read("2018/06/19/letters/index.html");
    assert!(html.contains("<h1>Prosecutors urge Sessions to end family separations</h1>"));
    assert!(html.contains("Two letters in one day."));
    assert!(html.contains("Washington"));
    assert!(html.contains("datetime=\"2018-06-19T14:30:00+00:00\""));
    assert!(html.contains("June 19, 2018"));
    assert!(html.contains("<h2 id=\"the-letters\">The letters</h2>"));
    assert!(
        html.contains("April 2018"),
        "partial event dates show as such"
    );
    assert!(html.contains("Policy announced"));
    let links = hrefs(&html);
    for expected in [
        "/topics/immigration/",
        "/people/jeff-sessions/",
        "/people/hector-balderas/",
        "https://example.org/letter",
        "/2018/04/06/memo/",
        "/2018/06/19/",
    ] {
        assert!(
            links.iter().any(|l| l == expected),
            "no link to {expected} in {links:?}"
        );
    }
}

#[test]
fn names_slugs_and_aliases_reach_the_same_person() {
    let site = TestSite::new(NEWS);
    let report = site.built();
    assert_eq!(report.people, 2, "an alias must not create a second person");
    let html = site.read("people/jeff-sessions/index.html");
    assert!(html.contains("Attorney General"));
    assert!(html.contains("Alabama senator"));
    assert!(hrefs(&html).contains(&"/2018/04/06/memo/".to_string()));
    assert!(hrefs(&html).contains(&"/2018/06/19/letters/".to_string()));
}

#[test]
fn lists_paginate_with_rel_next_and_prev() {
    let site = TestSite::new(NEWS);
    site.built();
    let first = site.read("topics/immigration/index.html");
    assert!(first.contains("<link rel=\"next\" href=\"/topics/immigration/page/2/\">"));
    assert!(first.contains("<a rel=\"next\" href=\"/topics/immigration/page/2/\">"));
    assert!(first.contains("/2018/06/20/order/") && first.contains("/2018/06/19/letters/"));
    assert!(
        !first.contains("/2018/04/06/memo/"),
        "the oldest article is on page 2"
    );
    let second = site.read("topics/immigration/page/2/index.html");
    assert!(second.contains("<link rel=\"prev\" href=\"/topics/immigration/\">"));
    assert!(second.contains("/2018/04/06/memo/"));
    assert!(!second.contains("rel=\"next\""));
}

#[test]
fn the_timeline_interleaves_articles_and_events_newest_first() {
    let site = TestSite::new(NEWS);
    site.built();
    let page1 = site.read("timeline/index.html");
    let page2 = site.read("timeline/page/2/index.html");
    let order = |html: &str, needles: &[&str]| {
        let positions: Vec<usize> = needles
            .iter()
            .map(|n| html.find(n).unwrap_or_else(|| panic!("{n}")))
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{needles:?} out of order"
        );
    };
    // On one day the article reporting an event comes before (above) the event.
    order(
        &page1,
        &[
            "An executive order",
            "Prosecutors urge",
            "Sessions orders zero tolerance",
        ],
    );
    order(&page2, &["Zero tolerance memo issued", "Policy announced"]);
    assert!(page1.contains("June 2018") && page2.contains("April 2018"));
}

#[test]
fn archives_link_to_their_days_and_neighbours() {
    let site = TestSite::new(NEWS);
    site.built();
    let june = site.read("2018/06/index.html");
    assert!(hrefs(&june).contains(&"/2018/06/19/".to_string()));
    assert!(
        hrefs(&june).contains(&"/2018/04/".to_string()),
        "the previous month with content"
    );
    let year = site.read("2018/index.html");
    assert!(year.contains("June 2018") && year.contains("April 2018"));
    let day = site.read("2018/04/06/index.html");
    assert!(
        day.contains("Zero tolerance memo issued"),
        "the day digest lists its events"
    );
    assert!(hrefs(&day).contains(&"/2018/06/19/".to_string()));
}

#[test]
fn topics_know_their_parent_and_children() {
    let site = TestSite::new(NEWS);
    site.built();
    let child = site.read("topics/zero-tolerance/index.html");
    assert!(child.contains("Part of <a href=\"/topics/immigration/\">Immigration</a>"));
    let parent = site.read("topics/immigration/index.html");
    assert!(hrefs(&parent).contains(&"/topics/zero-tolerance/".to_string()));
    assert!(parent.contains("<strong>immigration</strong>"));
}

#[test]
fn every_link_carries_the_base_url_sub_path() {
    let site = TestSite::new(NEWS);
    site.write(
        "site.yaml",
        b"title: T\nbase_url: https://example.org/news/\nper_page: {topic: 2}\n",
    );
    site.add(
        "-- content/people/dana-sabraw.md --\n---\nname: Dana Sabraw\nimage: {src: sabraw.jpg, alt: Judge Sabraw}\n---\n-- content/articles/2018-06-26-ruling.md --\n---\ntitle: The ruling\npeople: [Dana Sabraw]\nimage: /img/court.jpg\n---\nSee [all people](/people/) and ![the court](/img/court.jpg).\n",
    );
    site.write("content/people/sabraw.jpg", b"JPEG");
    site.built();
    let mut checked = 0;
    for (path, bytes) in site.tree() {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in hrefs(&html) {
            let external = href == "https://example.org/letter";
            let in_page = href.starts_with('#');
            // Canonical and feed links are full URLs; links inside pages are
            // root-relative under the sub-path.
            let full = href.starts_with("https://example.org/news/");
            assert!(
                external || in_page || full || href.starts_with("/news/"),
                "{}: {href}",
                path.display()
            );
            assert!(
                !href.trim_start_matches("https://").contains("//"),
                "{}: {href}",
                path.display()
            );
            checked += 1;
        }
        for src in html
            .split("src=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            assert!(src.starts_with("/news/"), "{}: src={src}", path.display());
        }
    }
    assert!(checked > 50);
    let topic = site.read("topics/immigration/index.html");
    assert!(topic.contains("<link rel=\"next\" href=\"/news/topics/immigration/page/2/\">"));
    assert!(topic.contains(
        "<link rel=\"canonical\" href=\"https://example.org/news/topics/immigration/\">"
    ));
    let person = site.read("people/dana-sabraw/index.html");
    assert!(
        person.contains("src=\"/news/people/sabraw.jpg\""),
        "a profile image beside the profile"
    );
    let ruling = site.read("2018/06/26/ruling/index.html");
    assert!(
        ruling.contains("href=\"/news/people/\""),
        "a root-relative Markdown link"
    );
    assert!(ruling.contains("src=\"/news/img/court.jpg\""));
}

#[test]
fn the_command_line_base_url_overrides_site_yaml() {
    let site = TestSite::new(NEWS);
    let mut options = site.options();
    options.base_url = Some("/sub/".to_string());
    newsdigest::build(&options).unwrap();
    assert!(site
        .read("index.html")
        .contains("href=\"/sub/2018/06/20/order/\""));
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = TestSite::new(NEWS);
    site.built();
    let first = site.tree();
    site.built();
    assert_eq!(first, site.tree());
    let other = TestSite::new(NEWS);
    other.built();
    assert_eq!(
        first,
        other.tree(),
        "the temp folder must not leak into the output"
    );
}

#[test]
fn the_build_counts_every_file_it_writes() {
    // The search index, written beside the pages, included; the marker
    // that records the count is not.
    let site = TestSite::new(NEWS);
    let report = site.built();
    let tree = site.tree();
    assert!(tree
        .keys()
        .any(|path| path.starts_with("search/data/filters")));
    let written = tree.keys().filter(|path| *path != Path::new(".newsdigest"));
    assert_eq!(report.files, written.count());
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::new(NEWS);
    site.add("-- content/articles/2018-07-01-wip.md --\n---\ntitle: Work in progress\ndraft: true\npeople: [Nobody Yet]\n---\nSoon.\n");
    site.built();
    assert!(!site.exists("2018/07/01/wip/index.html"));
    assert!(
        !site.exists("people/nobody-yet/index.html"),
        "a draft names nobody"
    );
    let mut options = site.options();
    options.drafts = true;
    newsdigest::build(&options).unwrap();
    assert!(site.exists("2018/07/01/wip/index.html"));
}

#[test]
fn files_beside_articles_are_copied_and_relative_images_resolve() {
    let site = TestSite::new(
        "-- content/articles/2018/2018-06-19-photo.md --\n---\ntitle: With a photo\nimage: {src: border.jpg, alt: The border fence}\n---\n![Map](map.png)\n",
    );
    site.write("content/articles/2018/border.jpg", b"JPEG");
    site.write("content/articles/2018/map.png", b"PNG");
    site.built();
    assert_eq!(site.read("articles/2018/border.jpg"), "JPEG");
    let html = site.read("2018/06/19/photo/index.html");
    assert!(
        html.contains("src=\"/articles/2018/border.jpg\" alt=\"The border fence\""),
        "{html}"
    );
    assert!(html.contains("src=\"/articles/2018/map.png\""), "{html}");
}

#[test]
fn markdown_that_is_no_article_profile_or_page_is_copied_with_a_warning() {
    let site = TestSite::new(
        "-- content/articles/2018-06-19-a.md --\n---\ntitle: A\n---\nText.\n\
         -- content/notes/idea.md --\nA private note.\n\
         -- content/people/old/jeff-sessions.md --\n---\nname: Jeff Sessions\n---\n\
         -- content/people/kirstjen-nielsen.md --\n---\nname: Kirstjen Nielsen\n---\n",
    );
    let report = site.built();
    let stray: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("not an article, a profile or a page"))
        .collect();
    assert_eq!(stray.len(), 2, "{:?}", report.warnings);
    assert_eq!(stray[0].path, std::path::Path::new("content/notes/idea.md"));
    assert!(
        stray[0].message.contains("at /notes/idea.md"),
        "{}",
        stray[0].message
    );
    assert_eq!(
        stray[1].path,
        std::path::Path::new("content/people/old/jeff-sessions.md")
    );
    // DESIGN.md: other files under content/ are copied as they are.
    assert_eq!(site.read("notes/idea.md"), "A private note.\n");
    assert!(site.exists("people/kirstjen-nielsen/index.html"));
}

#[test]
fn images_of_the_site_carry_their_size_and_later_ones_load_lazily() {
    let site = TestSite::new(
        "-- content/articles/2018/2018-06-19-photo.md --\n---\ntitle: With photos\nimage: {src: border.png, alt: The fence}\n---\n![Map of <A & B>](map.png \"A map\")\n\n![Chart](/img/chart.png) ![Elsewhere](https://example.org/x.png) ![Not an image](notes.png)\n",
    );
    site.write("content/articles/2018/border.png", &png_header(1200, 800));
    site.write("content/articles/2018/map.png", &png_header(640, 480));
    site.write("content/img/chart.png", &png_header(300, 200));
    site.write("content/articles/2018/notes.png", b"not a PNG");
    site.add("-- content/articles/2018-06-20-root.md --\n---\ntitle: From the root\nimage: /img/my%20chart.png?v=2\n---\n![Chart](/img/../img/my%20chart.png#top)\n");
    site.write("content/img/my chart.png", &png_header(30, 20));
    site.built();
    let root = site.read("2018/06/20/root/index.html");
    for expected in [
        "alt=\"\" width=\"30\" height=\"20\">",
        "alt=\"Chart\" width=\"30\" height=\"20\" />",
    ] {
        assert!(root.contains(expected), "missing `{expected}` in:\n{root}");
    }
    let html = site.read("2018/06/19/photo/index.html");
    for expected in [
        // The lead image, and the sharing metadata.
        "<img src=\"/articles/2018/border.png\" alt=\"The fence\" width=\"1200\" height=\"800\">",
        "<meta property=\"og:image:width\" content=\"1200\">\n<meta property=\"og:image:height\" content=\"800\">",
        // The first image in the text loads at once.
        "<img src=\"/articles/2018/map.png\" alt=\"Map of &lt;A &amp; B&gt;\" title=\"A map\" width=\"640\" height=\"480\" />",
        // From the site root, and when the size is unknown.
        "<img src=\"/img/chart.png\" alt=\"Chart\" width=\"300\" height=\"200\" loading=\"lazy\" />",
        "<img src=\"https://example.org/x.png\" alt=\"Elsewhere\" loading=\"lazy\" />",
        "<img src=\"/articles/2018/notes.png\" alt=\"Not an image\" loading=\"lazy\" />",
    ] {
        assert!(html.contains(expected), "missing `{expected}` in:\n{html}");
    }

    // A new picture under the same name changes the page.
    site.write("content/articles/2018/map.png", &png_header(64, 48));
    site.built();
    let html = site.read("2018/06/19/photo/index.html");
    assert!(html.contains("width=\"64\" height=\"48\" />"), "{html}");
}

#[test]
fn aliases_become_redirect_pages() {
    let site = TestSite::new(
        "-- content/articles/2018-06-19-moved.md --\n---\ntitle: Moved story\naliases: [/old/moved-story/, news/123.html]\n---\nText.\n",
    );
    site.built();
    for path in ["old/moved-story/index.html", "news/123.html"] {
        let html = site.read(path);
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/2018/06/19/moved/\">"),
            "{html}"
        );
        assert!(html.contains("<link rel=\"canonical\" href=\"/2018/06/19/moved/\">"));
    }
}

#[test]
fn content_is_escaped_in_html_and_attributes() {
    let site = TestSite::new(
        "-- content/articles/2018-06-19-x.md --\n---\ntitle: '</title><script>alert(1)</script> & \"quotes\"'\nsummary: '\" onmouseover=\"alert(1)'\npeople: ['<b>Bold</b> Person']\n---\n<script>alert(2)</script>\n",
    );
    site.built();
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>"),
            "{} lets a script through",
            path.display()
        );
        assert!(
            !text.contains("\" onmouseover=\""),
            "{} breaks out of an attribute",
            path.display()
        );
    }
    let html = site.read("2018/06/19/x/index.html");
    assert!(
        html.contains(
            "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
        ),
        "{html}"
    );
    assert!(site.exists("people/b-bold-b-person/index.html"));
}

#[test]
fn init_creates_a_site_that_builds_with_the_embedded_theme() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my-site");
    newsdigest::init::init(&root).unwrap();
    let report = newsdigest::build(&newsdigest::BuildOptions {
        root: root.clone(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!((report.articles, report.people, report.topics), (1, 1, 1));
    assert!(!root.join("themes").exists());
    assert!(root.join("output/people/alex-rivera/index.html").exists());
    assert!(root.join("output/topics/city-council/index.html").exists());
    assert!(root.join("output/style.css").exists());
    let error = newsdigest::init::init(&root).unwrap_err().to_string();
    assert!(error.contains("not empty"), "{error}");
}

#[test]
fn a_site_template_overrides_the_embedded_one() {
    let site = TestSite::new(NEWS);
    site.add("-- themes/default/templates/404.html --\n{% extends \"base.html\" %}{% block content %}Lost at {{ site.title }}{% endblock content %}\n");
    site.built();
    assert!(site.read("404.html").contains("Lost at Test Digest"));
    assert!(
        site.read("index.html").contains("Prosecutors urge"),
        "other templates stay"
    );
}

/// The default theme's macros.html with macro `name` replaced by `macro_text`.
fn default_macros_with(name: &str, macro_text: &str) -> String {
    let macros = newsdigest::theme::DEFAULT_TEMPLATES
        .iter()
        .find(|(file, _)| *file == "macros.html")
        .map(|(_, text)| *text)
        .unwrap();
    let start = macros.find(&format!("{{% macro {name}(")).unwrap();
    let end_tag = format!("{{% endmacro {name} %}}");
    let end = macros.find(&end_tag).unwrap() + end_tag.len();
    format!("{}{macro_text}{}", &macros[..start], &macros[end..])
}

#[test]
fn a_theme_card_macro_shapes_every_list_of_articles() {
    let site = TestSite::new(NEWS);
    let custom = default_macros_with(
        "article_card",
        "{% macro article_card(article, heading=\"h4\") %}<{{ heading }} class=\"mine\">{{ article.title }}</{{ heading }}>{% endmacro article_card %}",
    );
    site.write("themes/default/templates/macros.html", custom.as_bytes());
    site.built();
    let card = "<h4 class=\"mine\">Prosecutors urge Sessions to end family separations</h4>";
    for page in [
        "index.html",
        "topics/immigration/index.html",
        "people/jeff-sessions/index.html",
        "2018/06/index.html",
        "2018/06/19/index.html",
    ] {
        assert!(
            site.read(page).contains(card),
            "{page} lists the theme's card"
        );
    }
    // A template may still call the macro itself, with another heading.
    site.add("-- themes/default/templates/day.html --\n{% import \"macros.html\" as m %}{% for article in articles %}{{ m::article_card(article=article, heading=\"h2\") }}{% endfor %}\n");
    site.built();
    assert_eq!(
        site.read("2018/06/19/index.html").trim(),
        "<h2 class=\"mine\">Prosecutors urge Sessions to end family separations</h2>"
    );
}

#[test]
fn a_theme_timeline_entry_macro_shapes_every_timeline() {
    let site = TestSite::new(NEWS);
    let custom = default_macros_with(
        "timeline_entry",
        "{% macro timeline_entry(entry) %}<li class=\"mine\">{{ entry.kind }}: {{ entry.title }}</li>{% endmacro timeline_entry %}",
    );
    site.write("themes/default/templates/macros.html", custom.as_bytes());
    site.built();
    let timeline = site.read("timeline/index.html") + &site.read("timeline/page/2/index.html");
    assert!(
        timeline.contains("<li class=\"mine\">article: An executive order ends separations</li>")
    );
    assert!(timeline.contains("<li class=\"mine\">event: Zero tolerance memo issued</li>"));
    let person = site.read("people/jeff-sessions/timeline/index.html");
    assert!(
        person.contains("<li class=\"mine\">event: Zero tolerance memo issued</li>"),
        "{person}"
    );
    assert!(
        !person.contains("An executive order"),
        "only the person's own entries"
    );
}

#[test]
fn a_theme_jump_macro_shapes_every_timeline_page() {
    let site = TestSite::new(NEWS);
    site.write("site.yaml", b"per_page: {timeline: 2}\n");
    let custom = default_macros_with(
        "timeline_jump",
        "{% macro timeline_jump(jump) %}<p class=\"mine\">{% for year in jump %}{{ year.year }}:{% for month in year.months %}[{{ month.short }} {{ month.url }}]{% endfor %}{% endfor %}</p>{% endmacro timeline_jump %}",
    );
    site.write("themes/default/templates/macros.html", custom.as_bytes());
    site.built();
    let list =
        "<p class=\"mine\">2018:[June /timeline/#m-2018-06][April /timeline/page/2/#m-2018-04]";
    for page in ["timeline/index.html", "timeline/page/2/index.html"] {
        assert!(
            site.read(page).contains(list),
            "{page}: {}",
            site.read(page)
        );
    }
    // Each timeline has its own list.
    let person = site.read("people/jeff-sessions/timeline/index.html");
    assert!(
        person.contains("<p class=\"mine\">2018:[June /people/jeff-sessions/timeline/#m-2018-06]"),
        "{person}"
    );
}

#[test]
fn a_theme_nav_macro_shapes_the_navigation_of_every_page() {
    let site = TestSite::new(NEWS);
    let custom = default_macros_with(
        "site_nav",
        "{% macro site_nav(nav) %}<p class=\"mine\">{% for item in nav %}[{{ item.name }} {{ item.url }}{% if item.current %} here{% endif %}]{% endfor %}</p>{% endmacro site_nav %}",
    );
    site.write("themes/default/templates/macros.html", custom.as_bytes());
    site.built();
    let nav = |here: &str| {
        [
            "Timeline /timeline/",
            "Topics /topics/",
            "People /people/",
            "About this digest /about/",
            "Search /search/",
        ]
        .map(|item| match item.starts_with(here) {
            true => format!("[{item} here]"),
            false => format!("[{item}]"),
        })
        .concat()
    };
    for (page, here) in [
        ("index.html", "-"),
        ("2018/06/19/letters/index.html", "-"),
        ("people/jeff-sessions/index.html", "-"),
        ("timeline/index.html", "Timeline"),
        ("timeline/page/2/index.html", "-"),
        ("topics/index.html", "Topics"),
        ("people/index.html", "People"),
        ("about/index.html", "About"),
        ("search/index.html", "Search"),
    ] {
        let html = site.read(page);
        let expected = format!("<p class=\"mine\">{}</p>", nav(here));
        assert!(html.contains(&expected), "{page}: {expected} in\n{html}");
    }
}

#[test]
fn a_new_month_shows_in_the_jump_list_of_pages_that_list_the_same_entries() {
    let site = TestSite::new(NEWS);
    site.write("site.yaml", b"per_page: {timeline: 2}\n");
    site.built();
    let first = site.read("timeline/index.html");
    assert!(!first.contains("#m-2015-01"), "{first}");
    // The oldest entry: it goes on the last page, and the first page lists
    // what it listed, but its jump list gains 2015 and January.
    site.write(
        "content/articles/2015/2015-01-10-early.md",
        b"---\ntitle: An early warning\n---\nA report came out.\n",
    );
    let report = site.built();
    assert!(report.kept > 0, "pages without the article are kept");
    for page in ["timeline/index.html", "timeline/page/2/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains("/timeline/page/3/#m-2015-01\">January</a>"),
            "{page}: {html}"
        );
    }
}

#[test]
fn a_theme_that_reads_list_items_gets_all_their_fields() {
    let site = TestSite::new(NEWS);
    site.built();
    // The default theme prints only each item's markup: pages hold nothing
    // else of them. These read more, and get it.
    site.add(concat!(
        "-- themes/default/templates/index.html --\n",
        "{% for a in latest %}[{{ a.title }} | {{ a.date_display }}]{% endfor %}\n",
        "-- themes/default/templates/timeline.html --\n",
        "{% for g in groups %}{% for e in g.entries %}({{ e.kind }}: {{ e.title }}){% endfor %}{% endfor %}\n",
    ));
    site.built();
    let home = site.read("index.html");
    assert!(
        home.contains("[Prosecutors urge Sessions to end family separations | June 19, 2018]"),
        "{home}"
    );
    let timeline = site.read("timeline/index.html");
    assert!(
        timeline.contains("(article: An executive order ends separations)"),
        "{timeline}"
    );
}

#[test]
fn a_theme_without_the_fragment_macros_gets_the_default_markup() {
    let site = TestSite::new(NEWS);
    site.write("site.yaml", b"per_page: {timeline: 2}\n");
    // A macros.html made before the jump, card and nav macros existed.
    let macros = default_macros_with("timeline_jump", "");
    let macros = macros.replace(
        &macros[macros.find("{% macro site_nav(").unwrap()
            ..macros.find("{% endmacro site_nav %}").unwrap() + 23],
        "",
    );
    let macros = macros.replace(
        &macros[macros.find("{% macro article_card(").unwrap()
            ..macros.find("{% endmacro article_card %}").unwrap() + 27],
        "",
    );
    site.write("themes/default/templates/macros.html", macros.as_bytes());
    site.built();
    assert!(site
        .read("timeline/index.html")
        .contains("<nav class=\"jump\" aria-label=\"Jump to a year or month\">"));
    assert!(site
        .read("topics/immigration/index.html")
        .contains("<article class=\"card\">"));
    assert!(site
        .read("topics/index.html")
        .contains("<li><a href=\"/topics/\" aria-current=\"page\">Topics</a></li>"));
    // A template of its own still gets the list itself.
    site.add("-- themes/default/templates/timeline.html --\n{% for year in jump %}{{ year.year }} {{ year.url }};{% endfor %}\n");
    site.built();
    assert_eq!(
        site.read("timeline/page/2/index.html").trim(),
        "2018 /timeline/#m-2018-06;"
    );
}

#[test]
fn a_theme_macro_of_a_fragment_name_for_something_else_is_left_alone() {
    let site = TestSite::new(NEWS);
    // A macro the theme wrote for itself before `site_nav(nav)` existed.
    let macros = default_macros_with(
        "site_nav",
        "{% macro site_nav(links, label) %}<nav class=\"mine\" aria-label=\"{{ label }}\">{% for link in links %}{{ link.name }};{% endfor %}</nav>{% endmacro site_nav %}",
    );
    site.write("themes/default/templates/macros.html", macros.as_bytes());
    site.add("-- themes/default/templates/page.html --\n{% import \"macros.html\" as m %}{{ m::site_nav(links=site.nav, label=\"Sections\") }}|{{ nav_html | safe }}\n");
    site.built();
    let page = site.read("about/index.html");
    assert!(
        page.starts_with("<nav class=\"mine\" aria-label=\"Sections\">Timeline;Topics;People;About this digest;Search;</nav>|<ul>"),
        "{page}"
    );
    assert!(
        page.contains("<li><a href=\"/about/\" aria-current=\"page\">About this digest</a></li>")
    );
}

#[test]
fn a_card_macro_that_fails_names_macros_html() {
    let site = TestSite::new(NEWS);
    site.add("-- themes/default/templates/macros.html --\n{% macro article_card(article) %}{{ article.no_such_field }}{% endmacro article_card %}\n{% macro pagination(paginator) %}{% endmacro pagination %}\n{% macro period_nav(newer, older) %}{% endmacro period_nav %}\n{% macro entity_list(entities, label) %}{% endmacro entity_list %}\n{% macro mentions_preview(entity, mentions) %}{% endmacro mentions_preview %}\n{% macro mentions_listing(entity, articles, paginator) %}{% endmacro mentions_listing %}\n");
    let error = site.build().unwrap_err().to_string();
    assert!(error.contains("macros.html"), "{error}");
    assert!(!site.output().exists(), "nothing is written");
}

#[test]
fn a_day_page_heads_its_cards_under_the_day() {
    let site = TestSite::new(NEWS);
    site.built();
    let day = site.read("2018/06/19/index.html");
    let headings: Vec<&str> = day
        .match_indices("<h")
        .map(|(at, _)| &day[at + 1..at + 3])
        .filter(|tag| tag.ends_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(headings, ["h1", "h2", "h3"], "{day}");
    assert!(day.contains("1 article</h2>"));
}

#[test]
fn a_synthetic_archive_builds() {
    let dir = tempfile::tempdir().unwrap();
    newsdigest::corpus::generate(dir.path(), 300, 7).unwrap();
    let report = newsdigest::build(&newsdigest::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(report.articles, 300);
    assert!(report.people > 200);
}

#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_their_times() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new(NEWS);
    site.built();
    let inode = |path: &str| std::fs::metadata(site.output().join(path)).unwrap().ino();
    let memo = inode("2018/04/06/memo/index.html");
    let april = inode("2018/04/index.html");
    let order = inode("2018/06/20/order/index.html");
    let search = inode("search/data/docs/0.json");
    let timeline = inode("timeline.json");
    let topic_timeline = inode("topics/zero-tolerance/timeline.json");
    site.built();
    assert_eq!(
        inode("2018/04/06/memo/index.html"),
        memo,
        "the same bytes are the same file"
    );
    assert_eq!(
        inode("timeline.json"),
        timeline,
        "timeline data, written as it is made, is kept too"
    );
    assert_eq!(
        inode("search/data/docs/0.json"),
        search,
        "an unchanged search index is reused"
    );

    site.write(
        "content/articles/2018/2018-06-20-order.md",
        b"---\ntitle: An executive order ends separations\ntopics: [Immigration]\n---\nThe president signed an order on Wednesday.\n",
    );
    site.built();
    assert_eq!(
        inode("2018/04/index.html"),
        april,
        "pages that do not show the article stay as they were"
    );
    assert_ne!(
        inode("2018/06/20/order/index.html"),
        order,
        "the edited page is new"
    );
    assert!(site
        .read("2018/06/20/order/index.html")
        .contains("on Wednesday"));
    assert_ne!(
        inode("search/data/docs/0.json"),
        search,
        "the search index follows the edit"
    );
    assert_ne!(
        inode("timeline.json"),
        timeline,
        "the site's timeline shows the edit"
    );
    assert!(site.read("timeline.json").contains("on Wednesday"));
    assert_eq!(
        inode("topics/zero-tolerance/timeline.json"),
        topic_timeline,
        "a timeline without the article stays"
    );
}

#[test]
fn an_edit_renders_only_the_pages_that_show_it() {
    let site = TestSite::new(NEWS);
    let first = site.built();
    assert_eq!(first.kept, 0, "nothing to keep the first time");
    site.write(
        "content/articles/2018/2018-06-20-order.md",
        b"---\ntitle: An executive order ends separations\ntopics: [Immigration]\n---\nThe president signed an order on Wednesday.\n",
    );
    let edited = site.built();
    assert!(
        edited.kept > 0 && edited.kept < edited.pages,
        "{} of {} pages kept",
        edited.kept,
        edited.pages
    );
    let fresh = tempfile::tempdir().unwrap();
    let fresh_output = fresh.path().join("site");
    newsdigest::build(&newsdigest::BuildOptions {
        output: Some(fresh_output.clone()),
        ..site.options()
    })
    .unwrap();
    assert_eq!(
        common::tree(&site.output()),
        common::tree(&fresh_output),
        "an incremental build makes the site a fresh one does"
    );

    // A sentence added below the lead shows only on the article's page, and
    // the search finds it.
    site.write(
        "content/articles/2018/2018-06-20-order.md",
        b"---\ntitle: An executive order ends separations\ntopics: [Immigration]\n---\nThe president signed an order on Wednesday.\n\nCourts weighed in.\n",
    );
    let extended = site.built();
    assert_eq!(extended.kept, extended.pages - 1);
    assert!(site
        .read("2018/06/20/order/index.html")
        .contains("Courts weighed in."));
    let shard = site.read("search/data/words/co.json");
    assert!(shard.contains("\"courts\""), "{shard}");

    // A linked article's new address changes the HTML of the body that links
    // it, though that body's text is the same.
    site.write(
        "content/articles/2018/2018-04-06-memo.md",
        b"---\ntitle: Sessions orders zero tolerance at the border\nslug: memo-renamed\n---\nThe attorney general told prosecutors.\n",
    );
    site.built();
    assert!(hrefs(&site.read("2018/06/19/letters/index.html"))
        .contains(&"/2018/04/06/memo-renamed/".to_string()));

    // A theme change shows on every page: none is kept.
    site.add("-- themes/default/templates/404.html --\n{% extends \"base.html\" %}{% block content %}Lost{% endblock content %}\n");
    let restyled = site.built();
    assert_eq!(restyled.kept, 0);
    assert!(site.read("404.html").contains("Lost"));

    // Without the keys of the previous build, every page is rendered.
    std::fs::remove_file(site.output().join(".newsdigest-pages")).unwrap();
    site.write(
        "content/articles/2018/2018-06-20-order.md",
        b"---\ntitle: Again\n---\nText.\n",
    );
    assert_eq!(site.built().kept, 0);
    assert!(site.read("2018/06/20/order/index.html").contains("Again"));
}

#[test]
fn a_renamed_page_shows_in_the_menu_of_every_page_at_the_next_build() {
    let site = TestSite::new(NEWS);
    site.built();
    // The menu is on every page: none of them can be kept. The second build
    // runs in the same process, as `serve` does.
    site.write(
        "content/pages/about.md",
        b"---\ntitle: Who we are\n---\nWe write short articles.\n",
    );
    let renamed = site.built();
    assert_eq!(renamed.kept, 0);
    let html_pages: Vec<_> = site
        .tree()
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .filter(|(_, html)| !html.contains("http-equiv=\"refresh\""))
        .collect();
    assert!(html_pages.len() > 20, "{} pages", html_pages.len());
    for (path, html) in &html_pages {
        assert!(
            html.contains(">Who we are</a>") && !html.contains("About this digest"),
            "{} has the old menu",
            path.display()
        );
    }
}

#[test]
fn article_pages_are_the_same_whether_the_scan_or_the_page_made_their_html() {
    let site = TestSite::new(NEWS);
    site.add(
        r#"
-- content/articles/2018/2018-06-21-code.md --
---
title: How the count was made
topics: [Immigration]
---
Jeff Sessions & Hector Balderas disagreed <em>sharply</em>. See [the order](2018-06-20-order.md#top).

```rust
fn main() { println!("<count>"); }
```

- one
- two
"#,
    );
    let root_before: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // No previous build: every article page is written, and each article's
    // HTML is made in the scan and set aside until then.
    assert_eq!(site.built().kept, 0);
    let mut root_after: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "output")
        .collect();
    root_after.sort();
    let mut root_before = root_before;
    root_before.sort();
    assert_eq!(root_before, root_after, "nothing is left beside the output");
    let set_aside = site.tree();
    assert!(String::from_utf8_lossy(
        &set_aside[std::path::Path::new("2018/06/21/code/index.html")]
    )
    .contains("<a class=\"mention\" href=\"/people/jeff-sessions/\">Jeff Sessions</a> &amp; "));

    // A theme file no page uses: every page is rendered again, with keys of
    // a previous build present, so each article's page converts its own.
    site.add("-- themes/default/templates/unused.html --\nunused\n");
    assert_eq!(site.built().kept, 0);
    let converted = site.tree();
    let pages = |tree: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        tree.iter()
            .filter(|(path, _)| !path.to_string_lossy().starts_with(".newsdigest"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&set_aside), pages(&converted));
}

#[test]
fn a_rebuild_that_reuses_work_gives_the_same_site_as_a_fresh_one() {
    let site = TestSite::new(NEWS);
    let options = site.options();
    let first = newsdigest::prepare(&options).unwrap();
    let edits: [&[u8]; 2] = [
        // Same people and topics: the previous relations are reused.
        b"---\ntitle: An executive order ends separations\ntopics: [Immigration]\n---\nThe president signed it.\n",
        // Now the text mentions someone: mentions and relations must follow.
        b"---\ntitle: An executive order ends separations\ntopics: [Immigration]\n---\nJeff Sessions was not consulted.\n",
    ];
    let mut previous = first;
    for edit in edits {
        site.write("content/articles/2018/2018-06-20-order.md", edit);
        let again = newsdigest::prepare_again(&options, &previous).unwrap();
        let fresh = newsdigest::prepare(&options).unwrap();
        assert_eq!(
            again.index.relations_fingerprint,
            fresh.index.relations_fingerprint
        );
        assert_eq!(
            format!("{:?}", again.index.relations),
            format!("{:?}", fresh.index.relations)
        );
        assert_eq!(again.index.bodies.articles, fresh.index.bodies.articles);
        let html = |p: &newsdigest::Prepared| -> Vec<String> {
            p.index
                .articles
                .iter()
                .enumerate()
                .map(|(id, a)| p.index.markdown.article_html(id, a).unwrap())
                .collect()
        };
        assert_eq!(html(&again), html(&fresh));
        previous = again;
    }
    let sessions = previous
        .index
        .people
        .iter()
        .position(|p| p.slug == "jeff-sessions")
        .unwrap();
    let order = previous
        .index
        .articles
        .iter()
        .position(|a| a.slug == "order")
        .unwrap();
    assert!(previous.index.relations.person_mentions[sessions].contains(&order));
}

#[test]
fn an_edit_under_serve_leaves_the_search_index_a_fresh_build_would_make() {
    let site = TestSite::new(
        "-- content/articles/2018-06-18-first.md --\n---\ntitle: First report\n---\nBorder agents spoke.\n\
         -- content/articles/2018-06-19-middle.md --\n---\ntitle: Middle report\n---\nJudges ruled on asylum.\n\
         -- content/articles/2018-06-20-last.md --\n---\ntitle: Last report\n---\nCourts and judges again.\n",
    );
    // As the dev server reads a site: every article's text kept.
    let options = newsdigest::BuildOptions {
        keep_bodies: true,
        ..site.options()
    };
    let edits: [&[u8]; 4] = [
        // New words, and "asylum", which no other article has, gone.
        b"---\ntitle: Middle report\n---\nJudges ruled on zebras and quagga.\n",
        // The title only: its words move from the body's to the title's.
        b"---\ntitle: Judges on zebras\n---\nJudges ruled on zebras and quagga.\n",
        // Both, with a word the first article has too.
        b"---\ntitle: Agents again\n---\nBorder agents and judges.\n",
        // Unchanged: nothing to redo.
        b"---\ntitle: Agents again\n---\nBorder agents and judges.\n",
    ];
    let mut previous = newsdigest::prepare(&options).unwrap();
    assert!(previous.index.bodies.words.is_some(), "the site has search");
    assert_eq!(previous.index.bodies.scanned_for_words, 3);
    // The texts scanned for words: the new one and the old one when the
    // text changed, the one text when only the title did, none otherwise.
    for (edit, scanned) in edits.into_iter().zip([2, 1, 2, 0]) {
        site.write("content/articles/2018-06-19-middle.md", edit);
        let again = newsdigest::prepare_again(&options, &previous).unwrap();
        let fresh = newsdigest::prepare(&options).unwrap();
        assert_eq!(again.index.bodies.words, fresh.index.bodies.words);
        assert_eq!(again.index.bodies.scanned_for_words, scanned);
        previous = again;
    }
    let words = previous.index.bodies.words.as_ref().unwrap();
    assert!(!words.postings.contains_key("asylum"));
    assert!(!words.postings.contains_key("quagga"));
    assert_eq!(words.postings["agents"].count, 2);
}

#[test]
fn a_first_build_records_inputs_the_next_build_finds_unchanged() {
    // A first build hashes the Markdown files it reads as it loads them; the
    // next build reads every file to compare. Both must agree, for every
    // kind of Markdown file: articles, profiles, pages, one copied as it is
    // and one too large to hash by content.
    let site = TestSite::new(NEWS);
    site.write(
        "site.yaml",
        b"title: Test Digest\nlimits: {max_file_kb: 2048}\n",
    );
    site.write("content/notes/idea.md", b"# An idea, not an article\n");
    let mut big = b"---\ntitle: Long read\ndate: 2018-06-21\n---\n".to_vec();
    big.extend(b"Word after word. ".repeat(70_000));
    assert!(big.len() > 1 << 20);
    site.write("content/articles/2018/2018-06-21-long.md", &big);
    assert!(!site.built().unchanged);
    assert!(
        site.built().unchanged,
        "the first build's inputs were recorded"
    );

    // An output whose inputs are not recorded (the dev server's) is built
    // over, and then recorded.
    let marker = site.output().join(".newsdigest");
    let text = std::fs::read_to_string(&marker).unwrap();
    assert!(text.contains("inputs: "));
    let text: String = text
        .lines()
        .filter(|line| !line.starts_with("inputs: "))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&marker, text).unwrap();
    assert!(!site.built().unchanged);
    assert!(site.built().unchanged);
    site.write("content/notes/idea.md", b"# A changed idea\n");
    assert!(!site.built().unchanged);
    assert_eq!(site.read("notes/idea.md"), "# A changed idea\n");
}

#[test]
fn a_build_with_the_inputs_of_the_last_one_writes_nothing() {
    let site = TestSite::new(NEWS);
    let first = site.built();
    assert!(!first.unchanged);
    let before = common::tree(&site.output());
    let marker = site.output().join(".newsdigest");
    let marker_time = std::fs::metadata(&marker).unwrap().modified().unwrap();

    let again = site.built();
    assert!(again.unchanged, "same inputs, nothing to do");
    assert_eq!((again.pages, again.articles), (first.pages, first.articles));
    assert_eq!(
        std::fs::metadata(&marker).unwrap().modified().unwrap(),
        marker_time
    );
    assert_eq!(common::tree(&site.output()), before);

    // Any input changing means a build: content, site.yaml, a theme file, an option.
    site.write("themes/default/static/extra.css", b"p { color: red }");
    assert!(!site.built().unchanged);
    assert!(site.exists("extra.css"));
    assert!(site.built().unchanged);
    let mut options = site.options();
    options.drafts = true;
    assert!(!newsdigest::build(&options).unwrap().unchanged);
}
