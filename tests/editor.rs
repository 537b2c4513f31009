//! The editor's tools: `new`, links between content files, and `check`.

mod common;

use std::process::Command;

use common::TestSite;

fn newsdigest(site: &TestSite, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn new_creates_files_that_build_and_never_overwrites() {
    let site = TestSite::new("");
    let (ok, out, _) = newsdigest(
        &site,
        &[
            "new",
            "article",
            "Judge: \"reunite families\"",
            "--topics",
            "courts, family separation",
            "--people",
            "Dana Sabraw",
            "--date",
            "2018-06-26",
        ],
    );
    assert!(ok, "{out}");
    let path = site
        .root()
        .join("content/articles/2018/2018-06-26-judge-reunite-families.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\ntitle: 'Judge: \"reunite families\"'\n"),
        "{text}"
    );
    assert!(text.contains("topics:\n- courts\n- family separation\n"));
    assert!(text.contains("people:\n- Dana Sabraw\n"));

    std::fs::write(&path, "---\ntitle: Edited by hand\n---\nMine.\n").unwrap();
    let (ok, _, err) = newsdigest(
        &site,
        &[
            "new",
            "article",
            "Judge: \"reunite families\"",
            "--date",
            "2018-06-26",
        ],
    );
    assert!(!ok);
    assert!(err.contains("already exists; nothing was written"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Edited by hand\n---\nMine.\n"
    );

    assert!(newsdigest(&site, &["new", "person", "José Rodríguez"]).0);
    assert!(newsdigest(&site, &["new", "topic", "Family separation"]).0);
    assert!(site
        .root()
        .join("content/people/jose-rodriguez.md")
        .exists());
    assert!(site
        .root()
        .join("content/topics/family-separation.md")
        .exists());
    site.built();
    assert!(site.exists("2018/06/26/judge-reunite-families/index.html"));
    assert!(site
        .read("people/jose-rodriguez/index.html")
        .contains("José Rodríguez"));
}

#[test]
fn new_articles_are_dated_today_by_default() {
    let site = TestSite::new("");
    let (ok, out, _) = newsdigest(&site, &["new", "article", "Today's news"]);
    assert!(ok);
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    assert!(
        out.contains(&format!(
            "content/articles/{}/{today}-today-s-news.md",
            today.year()
        )),
        "{out}"
    );
}

const LINKED: &str = r#"
-- content/articles/2018/2018-06-18-briefing.md --
---
title: The briefing
---
## What she said

Text.
-- content/articles/2018/2018-06-19-letters.md --
---
title: The letters
---
See [the briefing](2018-06-18-briefing.md#what-she-said) and [below](#later).

## Later

More.
"#;

#[test]
fn links_between_content_files_become_page_links() {
    let site = TestSite::new(LINKED);
    site.built();
    let html = site.read("2018/06/19/letters/index.html");
    assert!(
        html.contains("<a href=\"/2018/06/18/briefing/#what-she-said\">the briefing</a>"),
        "{html}"
    );
}

#[test]
fn a_link_to_a_missing_file_is_an_error_at_its_line() {
    let site = TestSite::new(LINKED);
    site.add(
        "-- content/articles/2018/2018-06-20-broken.md --\n---\ntitle: Broken\n---\nIntro.\n\nSee [the memo](2018-04-06-memo.md) and ![a map](maps/border.png).\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/2018/2018-06-20-broken.md:6:5: link to `2018-04-06-memo.md`: no such file (looked for content/articles/2018/2018-04-06-memo.md)"),
        "{message}"
    );
    assert!(message.contains("content/articles/2018/2018-06-20-broken.md:6:40: image to `maps/border.png`: no such file"), "{message}");
}

#[test]
fn check_reports_broken_anchors_scheduled_articles_and_speaks_json() {
    let site = TestSite::new(LINKED);
    site.add(
        "-- content/articles/2018/2018-06-21-anchors.md --\n---\ntitle: Anchors\n---\n[x](2018-06-18-briefing.md#nowhere) and [y](#missing)\n-- content/articles/2999-01-01-future.md --\n---\ntitle: From the future\n---\nLater.\n",
    );
    let (ok, out, _) = newsdigest(&site, &["check"]);
    assert!(ok, "warnings alone pass: {out}");
    for expected in [
        "content/articles/2018/2018-06-21-anchors.md:4:1: warning: link to `2018-06-18-briefing.md#nowhere`: content/articles/2018/2018-06-18-briefing.md has no heading with the id `nowhere`",
        "content/articles/2018/2018-06-21-anchors.md:4:41: warning: link to `#missing`: content/articles/2018/2018-06-21-anchors.md has no heading with the id `missing`",
        "content/articles/2999-01-01-future.md:1:1: note: dated 2999-01-01T00:00:00+00:00 (in the future)",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    assert!(
        !out.contains("2018-06-19-letters.md"),
        "its anchors exist: {out}"
    );
    let (_, json, _) = newsdigest(&site, &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["errors"].as_array().unwrap().len(), 0);
    assert!(value["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["line"] == 4 && w["column"] == 41));
    assert_eq!(
        value["notes"][0]["path"],
        "content/articles/2999-01-01-future.md"
    );
}
