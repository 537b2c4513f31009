//! The timeline: events with partial dates and ranges, one entry per event
//! however many articles report it, per-entity timelines, archives, charts and
//! the TimelineJS data.

mod common;

use common::{hrefs, TestSite};

const SITE: &str = r#"
-- content/people/jeff-sessions.md --
---
name: Jeff Sessions
---
-- content/topics/courts.md --
---
name: Courts
---
-- content/articles/2018-04-06-memo.md --
---
title: The memo
people: [Jeff Sessions]
events:
  - {date: 2018-04-06, title: Zero tolerance memo issued}
  - {date: "2018", title: A year of enforcement}
---
Text.
-- content/articles/2018-06-19-letters.md --
---
title: The letters
date: "2018-06-19 10:00"
topics: [Courts]
events:
  - {date: 2018-04-06, title: "zero tolerance memo issued."}
  - {date: 2018-04, end: 2018-06, title: Separations rise, text: "Thousands of *children*.", people: [Jeff Sessions]}
  - {date: 2018-06-19, title: Letters sent}
---
Text.
-- content/articles/2018-06-20-order.md --
---
title: The order
date: "2018-06-20 09:00"
topics: [Courts]
---
Jeff Sessions was not consulted.
"#;

fn timeline(site: &TestSite) -> String {
    site.read("timeline/index.html")
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"))
}

#[test]
fn partial_dates_and_ranges_show_as_written_in_their_group() {
    let site = TestSite::new(SITE);
    site.built();
    let html = timeline(&site);
    assert!(html.contains("<h2 id=\"m-2018-04\">April 2018</h2>"));
    assert!(
        html.contains("<h2 id=\"y-2018\">2018</h2>"),
        "a year-only event gets a year group"
    );
    assert!(
        html.contains(">April 2018 – June 2018</time>"),
        "a range shows both ends"
    );
    assert!(html.contains(">June 19, 2018</time>"));
    assert!(
        html.contains("<p>Thousands of <em>children</em>.</p>"),
        "event text is Markdown"
    );
    // Newest first: June, then April's dated events, the April month-only
    // event after every April day, and the year-only event last.
    let order = [
        "The order",
        "The letters",
        "Letters sent",
        "The memo",
        "Zero tolerance memo issued",
        "Separations rise",
        "A year of enforcement",
    ];
    let positions: Vec<usize> = order.iter().map(|n| position(&html, n)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {positions:?}"
    );
}

#[test]
fn an_event_reported_twice_is_shown_once_with_both_articles() {
    let site = TestSite::new(SITE);
    site.built();
    let html = timeline(&site);
    assert_eq!(
        html.to_lowercase()
            .matches("zero tolerance memo issued")
            .count(),
        1
    );
    let entry = &html[position(&html, "Zero tolerance memo issued")..];
    let reported = entry.split_once("</li>").unwrap().0;
    assert!(hrefs(reported).contains(&"/2018/04/06/memo/".to_string()));
    assert!(hrefs(reported).contains(&"/2018/06/19/letters/".to_string()));
    let memo = site.read("2018/04/06/memo/index.html");
    assert!(
        memo.contains("Also reported in <a href=\"/2018/06/19/letters/\">The letters</a>"),
        "{memo}"
    );
    let day = site.read("2018/04/06/index.html");
    assert_eq!(day.matches("Zero tolerance memo issued").count(), 1);
}

#[test]
fn person_and_topic_timelines_hold_exactly_their_entries() {
    let site = TestSite::new(SITE);
    site.built();
    let person = site.read("people/jeff-sessions/timeline/index.html");
    for present in [
        "The memo",
        "The order",
        "Separations rise",
        "Zero tolerance memo issued",
        "A year of enforcement",
    ] {
        assert!(
            person.contains(present),
            "{present} missing from his timeline"
        );
    }
    // The letters are not about him (though they report an event of his).
    assert!(!person.contains("class=\"entry-title\" href=\"/2018/06/19/letters/\""));
    assert!(!person.contains("Letters sent"));
    let topic = site.read("topics/courts/timeline/index.html");
    for present in [
        "The letters",
        "The order",
        "Letters sent",
        "Zero tolerance memo issued",
    ] {
        assert!(
            topic.contains(present),
            "{present} missing from the topic's timeline"
        );
    }
    assert!(!topic.contains("class=\"entry-title\" href=\"/2018/04/06/memo/\""));
    assert!(!topic.contains("A year of enforcement"));
    assert!(hrefs(&site.read("people/jeff-sessions/index.html"))
        .contains(&"/people/jeff-sessions/timeline/".to_string()));
}

#[test]
fn archives_link_the_nearest_periods_with_content() {
    let site = TestSite::new(SITE);
    site.built();
    let april = site.read("2018/04/index.html");
    assert!(
        april.contains("<a rel=\"next\" href=\"/2018/06/\">June 2018 →</a>"),
        "May is empty and skipped"
    );
    let june = site.read("2018/06/index.html");
    assert!(june.contains("<a rel=\"prev\" href=\"/2018/04/\">← April 2018</a>"));
    assert!(!june.contains("rel=\"next\""));
    let day = site.read("2018/06/19/index.html");
    assert!(day.contains("href=\"/2018/06/20/\">June 20, 2018 →</a>"));
    assert!(
        day.contains("Letters sent"),
        "the day digest lists the day's events"
    );
}

#[test]
fn the_timeline_paginates_with_a_jump_list() {
    let site = TestSite::new(SITE);
    site.write("site.yaml", b"per_page: {timeline: 2}\n");
    site.built();
    let first = timeline(&site);
    assert!(
        first.contains("<a href=\"/timeline/page/2/#m-2018-04\">April</a>"),
        "{first}"
    );
    assert!(site.exists("timeline/page/4/index.html"));
    assert!(site
        .read("timeline/page/4/index.html")
        .contains("A year of enforcement"));
}

#[test]
fn the_chart_counts_articles_per_month() {
    let site = TestSite::new(SITE);
    site.built();
    let html = timeline(&site);
    assert!(html.contains("data-month=\"2018-04\" data-count=\"1\""));
    assert!(html.contains("data-month=\"2018-06\" data-count=\"2\""));
    assert!(!html.contains("data-month=\"2018-05\""));
    assert!(
        html.contains("April 2018: 1; May 2018: 0; June 2018: 2"),
        "the text alternative has every figure"
    );
    let person = site.read("people/jeff-sessions/index.html");
    assert!(
        person.contains("data-month=\"2018-04\" data-count=\"1\"")
            && person.contains("data-month=\"2018-06\" data-count=\"1\"")
    );
    let people = site.read("people/index.html");
    assert!(people.contains("<svg class=\"sparkline\""));
    assert!(
        people.contains("aria-label=\"Jeff Sessions: 2 articles from April 2018 to June 2018\"")
    );
}

#[test]
fn timeline_json_is_valid_timelinejs_data() {
    let site = TestSite::new(SITE);
    site.built();
    for path in [
        "timeline.json",
        "people/jeff-sessions/timeline.json",
        "topics/courts/timeline.json",
    ] {
        let value: serde_json::Value = serde_json::from_str(&site.read(path)).unwrap();
        let events = value["events"].as_array().unwrap();
        assert!(!events.is_empty(), "{path}");
        let mut ids = std::collections::BTreeSet::new();
        for event in events {
            let year = event["start_date"]["year"].as_i64().expect("a year");
            assert!((1000..3000).contains(&year));
            if let Some(month) = event["start_date"]["month"].as_i64() {
                assert!((1..=12).contains(&month));
            }
            assert!(event["text"]["headline"].is_string());
            assert!(
                ids.insert(event["unique_id"].as_str().unwrap().to_string()),
                "unique ids"
            );
        }
    }
    let site_json: serde_json::Value = serde_json::from_str(&site.read("timeline.json")).unwrap();
    let rise = site_json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"]["headline"] == "Separations rise")
        .unwrap();
    assert_eq!(
        rise["start_date"],
        serde_json::json!({"year": 2018, "month": 4})
    );
    assert_eq!(
        rise["end_date"],
        serde_json::json!({"year": 2018, "month": 6})
    );
    assert_eq!(rise["group"], "Courts");
}
