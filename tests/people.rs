//! People and topics as entities: mentions, aliases, connections, and `check`.

mod common;

use std::process::Command;

use common::{hrefs, TestSite};

const SITE: &str = r#"
-- content/people/jeff-sessions.md --
---
name: Jeff Sessions
aliases: [Attorney General Sessions]
role: Attorney General
links:
  - {title: Wikipedia, url: "https://en.wikipedia.org/wiki/Jeff_Sessions"}
  - {title: Campaign site, url: "https://example.org/sessions"}
---
-- content/people/kirstjen-nielsen.md --
---
name: Kirstjen Nielsen
aliases: [Secretary Nielsen]
---
-- content/people/george-w-bush.md --
---
name: George W. Bush
aliases: [President Bush]
---
-- content/people/george-h-w-bush.md --
---
name: George H. W. Bush
aliases: [President Bush]
---
-- content/topics/zero-tolerance.md --
---
name: Zero tolerance
detect: true
---
-- content/topics/courts.md --
---
name: Courts
---
-- content/articles/2018-04-06-memo.md --
---
title: The memo
people: [Jeff Sessions]
topics: [Courts]
---
Jeff Sessions signed it. Later Jeff Sessions repeated it. Kirstjen Nielsen agreed.
-- content/articles/2018-06-18-briefing.md --
---
title: The briefing
people: [Kirstjen Nielsen]
---
Kirstjen Nielsen spoke at length about zero tolerance.

## Jeff Sessions

The Nielsens next door and [Jeff Sessions](https://example.org/) were not involved.
`Jeff Sessions` is code. President Bush was not mentioned.
-- content/articles/2018-06-19-letters.md --
---
title: The letters
people: [Kirstjen Nielsen, Jeff Sessions]
topics: [courts]
---
Prosecutors wrote to Attorney General Sessions and to Kirstjen Nielsen. George W. Bush appointed some.
"#;

#[test]
fn person_pages_separate_about_from_mentions() {
    let site = TestSite::new(SITE);
    site.built();
    let nielsen = site.read("people/kirstjen-nielsen/index.html");
    let (about, mentioned) = nielsen
        .split_once("id=\"mentions-heading\"")
        .expect("a mentions section");
    assert!(hrefs(about).contains(&"/2018/06/18/briefing/".to_string()));
    assert!(hrefs(about).contains(&"/2018/06/19/letters/".to_string()));
    assert!(
        hrefs(mentioned).contains(&"/2018/04/06/memo/".to_string()),
        "the memo only mentions her"
    );
    assert!(mentioned.contains("Mentioned in 1 more article"));
    let sessions = site.read("people/jeff-sessions/index.html");
    assert!(
        !sessions.contains("mentions-heading"),
        "headings, links and code are not mentions"
    );
}

#[test]
fn the_first_mention_links_to_the_person_page() {
    let site = TestSite::new(SITE);
    site.built();
    let memo = site.read("2018/04/06/memo/index.html");
    assert_eq!(
        memo.matches("<a class=\"mention\" href=\"/people/jeff-sessions/\">Jeff Sessions</a>")
            .count(),
        1
    );
    assert!(memo
        .contains("<a class=\"mention\" href=\"/people/kirstjen-nielsen/\">Kirstjen Nielsen</a>"));
    let letters = site.read("2018/06/19/letters/index.html");
    assert!(letters.contains(
        "<a class=\"mention\" href=\"/people/jeff-sessions/\">Attorney General Sessions</a>"
    ));
    assert!(
        letters.contains("<a class=\"mention\" href=\"/people/george-w-bush/\">George W. Bush</a>")
    );
    let briefing = site.read("2018/06/18/briefing/index.html");
    assert!(
        !briefing.contains("href=\"/people/george-h-w-bush/\""),
        "an ambiguous alias links nobody"
    );
    assert!(!briefing.contains("class=\"mention\" href=\"/people/george-w-bush/\""));
}

#[test]
fn mention_links_follow_site_yaml() {
    let site = TestSite::new(SITE);
    site.write("site.yaml", b"mentions: {link: all}\n");
    site.built();
    let memo = site.read("2018/04/06/memo/index.html");
    assert_eq!(
        memo.matches("class=\"mention\" href=\"/people/jeff-sessions/\"")
            .count(),
        2
    );
    site.write("site.yaml", b"mentions: {link: none}\n");
    site.built();
    let memo = site.read("2018/04/06/memo/index.html");
    assert!(!memo.contains("class=\"mention\""));
    assert!(
        site.read("people/kirstjen-nielsen/index.html")
            .contains("mentions-heading"),
        "still detected"
    );
    site.write("site.yaml", b"mentions: {link: some}\n");
    let error = site.build().unwrap_err().to_string();
    assert!(
        error.contains("site.yaml:1:1: `mentions`: unknown variant `some`"),
        "{error}"
    );
}

#[test]
fn topics_with_detect_are_found_in_text() {
    let site = TestSite::new(SITE);
    site.built();
    let topic = site.read("topics/zero-tolerance/index.html");
    assert!(topic.contains("mentions-heading"));
    assert!(hrefs(&topic).contains(&"/2018/06/18/briefing/".to_string()));
    let courts = site.read("topics/courts/index.html");
    assert!(
        !courts.contains("mentions-heading"),
        "topics are detected only when asked"
    );
}

#[test]
fn many_mentions_get_their_own_paginated_pages() {
    let site = TestSite::new(SITE);
    site.write("site.yaml", b"per_page: {person: 1}\n");
    for day in 1..=3 {
        site.write(
            &format!("content/articles/2018-07-0{day}-note.md"),
            format!("---\ntitle: Note {day}\n---\nKirstjen Nielsen again.\n").as_bytes(),
        );
    }
    site.built();
    let page1 = site.read("people/kirstjen-nielsen/mentions/index.html");
    assert!(
        page1.contains("<link rel=\"next\" href=\"/people/kirstjen-nielsen/mentions/page/2/\">")
    );
    assert!(site.exists("people/kirstjen-nielsen/mentions/page/4/index.html"));
    let person = site.read("people/kirstjen-nielsen/index.html");
    assert!(
        person.contains("href=\"/people/kirstjen-nielsen/mentions/\""),
        "a link to all mentions"
    );
}

#[test]
fn person_pages_know_their_company_topics_and_appearances() {
    let site = TestSite::new(SITE);
    // Someone who is in every article is no particular company: add one without Nielsen.
    site.add("-- content/articles/2018-05-01-other.md --\n---\ntitle: Other\npeople: [George W. Bush]\n---\nText.\n");
    site.built();
    let sessions = site.read("people/jeff-sessions/index.html");
    let company = sessions
        .split_once("In the news with")
        .expect("company section")
        .1;
    assert!(
        company.contains("Kirstjen Nielsen</a> <span class=\"count\">2 shared articles"),
        "{company}"
    );
    assert!(sessions.contains("First in the news</dt><dd><a href=\"/2018/04/06/memo/\">"));
    assert!(sessions.contains("Latest</dt><dd><a href=\"/2018/06/19/letters/\">"));
    assert!(sessions.contains("Courts <span class=\"count\">2</span>"));
    let json = sessions
        .split_once("<script type=\"application/ld+json\">")
        .unwrap()
        .1
        .split_once("</script>")
        .unwrap()
        .0;
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        value["mainEntity"]["sameAs"],
        serde_json::json!(["https://en.wikipedia.org/wiki/Jeff_Sessions"])
    );
}

#[test]
fn articles_list_mentioned_people_and_related_articles() {
    let site = TestSite::new(SITE);
    site.built();
    let memo = site.read("2018/04/06/memo/index.html");
    let mentioned = memo
        .split_once("Also mentioned")
        .unwrap()
        .1
        .split_once("</ul>")
        .unwrap()
        .0;
    assert!(mentioned.contains("Kirstjen Nielsen") && !mentioned.contains("Jeff Sessions"));
    let related = memo.split_once("id=\"related-heading\"").unwrap().1;
    assert!(
        hrefs(related).contains(&"/2018/06/19/letters/".to_string()),
        "shares Sessions and Courts"
    );
    assert!(
        !hrefs(related).contains(&"/2018/04/06/memo/".to_string()),
        "not related to itself"
    );
}

#[test]
fn the_home_page_shows_who_is_in_the_news_lately() {
    let site = TestSite::new(SITE);
    site.add("-- content/articles/2019-01-10-later.md --\n---\ntitle: Months later\npeople: [George W. Bush]\n---\nText.\n");
    site.built();
    let home = site.read("index.html");
    let people = home.split_once("People in the news").unwrap().1;
    assert!(people.contains("George W. Bush"));
    assert!(
        !people.contains("Kirstjen Nielsen"),
        "June 2018 is more than 30 days before January 2019"
    );
}

fn check(site: &TestSite, strict: bool) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
    command.args(["check", "--root"]).arg(site.root());
    if strict {
        command.arg("--strict");
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn check_warns_about_names_and_writes_nothing() {
    let site = TestSite::new(SITE);
    site.add(
        r#"
-- content/articles/2018-08-01-a.md --
---
title: A
people: [Jeff Session, kirstjen  nielsen]
---
ACLU lawyer Lee Gelernt said so.
-- content/articles/2018-08-02-b.md --
---
title: B
---
Separately Lee Gelernt spoke.
-- content/articles/2018-08-03-c.md --
---
title: C
---
The judge heard Lee Gelernt's argument.
"#,
    );
    let (ok, out) = check(&site, false);
    assert!(ok, "{out}");
    for expected in [
        "content/articles/2018-08-01-a.md:3:1: warning: `people`: `Jeff Session` is no known person; did you mean `Jeff Sessions`?",
        "content/articles/2018-08-01-a.md:3:1: warning: `people`: `kirstjen  nielsen` is written differently from the profile's `Kirstjen Nielsen`",
        "content/people/george-h-w-bush.md:1:1: warning: the person name `president bush` is also claimed by George W. Bush",
        "warning: `Lee Gelernt` appears in 3 articles but is no known person or topic",
        "content/articles/2018-06-19-letters.md:4:1: warning: `topics`: `courts` is written differently from the profile's `Courts`",
        "check: 0 errors, ",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    assert!(!site.output().exists(), "check writes nothing");
    let (ok, _) = check(&site, true);
    assert!(!ok, "--strict fails on warnings");
}

#[test]
fn check_reports_errors_with_a_failing_status() {
    let site = TestSite::new(SITE);
    site.add("-- content/articles/2018-08-01-bad.md --\n---\ntitle: Bad\ndraft: maybe\n---\n");
    let (ok, out) = check(&site, false);
    assert!(!ok);
    assert!(
        out.contains("content/articles/2018-08-01-bad.md:3:1: `draft`: invalid type"),
        "{out}"
    );
    assert!(out.contains("check: 1 error, "), "{out}");
}

#[test]
fn a_name_written_in_many_articles_is_checked_in_each() {
    let site = TestSite::new(SITE);
    site.add(
        r#"
-- content/articles/2018-08-02-b.md --
---
title: B
people: [Jeff Session, kirstjen  nielsen]
---
-- content/articles/2018-08-03-c.md --
---
title: C
topics: [Courts]
people:
  - kirstjen  nielsen
  - Jeff Session
---
"#,
    );
    let (ok, out) = check(&site, false);
    assert!(ok, "{out}");
    for expected in [
        // Every article that writes a profile's name differently is told so.
        "content/articles/2018-08-02-b.md:3:1: warning: `people`: `kirstjen  nielsen` is written differently",
        "content/articles/2018-08-03-c.md:4:1: warning: `people`: `kirstjen  nielsen` is written differently",
        // A name without a profile is shown where it is first written.
        "content/articles/2018-08-02-b.md:3:1: warning: `people`: `Jeff Session` is no known person",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    assert!(
        !out.contains("2018-08-03-c.md:4:1: warning: `people`: `Jeff Session`"),
        "{out}"
    );

    // Every article that names someone ambiguously is told so.
    site.add(
        r#"
-- content/articles/2018-08-01-a.md --
---
title: A
people: [President Bush]
---
-- content/articles/2018-08-04-d.md --
---
title: D
people: [Jeff Session, President Bush]
---
"#,
    );
    let (ok, out) = check(&site, false);
    assert!(!ok, "an ambiguous name is an error:\n{out}");
    for file in ["2018-08-01-a", "2018-08-04-d"] {
        let expected =
            format!("content/articles/{file}.md:3:1: `people`: `President Bush` could be");
        assert!(out.contains(&expected), "missing `{expected}` in:\n{out}");
    }
}
