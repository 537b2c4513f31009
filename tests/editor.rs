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
fn new_refuses_a_folder_that_is_no_site() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["new", "article", "Stray", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a site"));
    assert!(!dir.path().join("content").exists());
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

/// A local web server: /ok answers 200, /gone 404, /slow never in time.
fn link_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut request = [0u8; 1024];
                let read = stream.read(&mut request).unwrap_or(0);
                let request = String::from_utf8_lossy(&request[..read]);
                let path = request.split(' ').nth(1).unwrap_or("/").to_string();
                let status = match path.as_str() {
                    "/ok" => "200 OK",
                    "/slow" => {
                        std::thread::sleep(std::time::Duration::from_secs(4));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    port
}

#[test]
fn check_external_fetches_links_with_a_timeout() {
    let port = link_server();
    let site = TestSite::new(&format!(
        "-- content/articles/2018-06-19-links.md --\n---\ntitle: Links\n---\n[ok](http://127.0.0.1:{port}/ok) [gone](http://127.0.0.1:{port}/gone)\n\n[slow](http://127.0.0.1:{port}/slow) [again](http://127.0.0.1:{port}/gone)\n"
    ));
    let (ok, out, _) = newsdigest(
        &site,
        &[
            "check",
            "--external",
            "--timeout",
            "1",
            "--concurrency",
            "2",
        ],
    );
    assert!(ok, "broken external links are warnings: {out}");
    let column = format!("[ok](http://127.0.0.1:{port}/ok) ").len() + 1;
    assert!(
        out.contains(&format!("content/articles/2018-06-19-links.md:4:{column}: warning: external link to http://127.0.0.1:{port}/gone: HTTP 404")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "external link to http://127.0.0.1:{port}/slow: no answer in time"
        )),
        "{out}"
    );
    assert!(!out.contains("/ok:"), "{out}");
    assert_eq!(
        out.matches("/gone: HTTP 404").count(),
        1,
        "each link is fetched and reported once"
    );
    let (_, without, _) = newsdigest(&site, &["check"]);
    assert!(!without.contains("external link"), "only with --external");
}

#[test]
fn links_to_files_are_decoded_and_checked_whatever_the_kind() {
    let site = TestSite::new(LINKED);
    site.write("content/articles/2018/my report.pdf", b"%PDF");
    site.add("-- content/articles/2018/2018-06-22-files.md --\n---\ntitle: Files\n---\n[report](my%20report.pdf) and [data](figures.csv)\n");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("link to `figures.csv`: no such file"),
        "{message}"
    );
    assert!(!message.contains("my%20report.pdf"), "{message}");
    std::fs::write(
        site.root().join("content/articles/2018/figures.csv"),
        "a,b\n",
    )
    .unwrap();
    site.built();
    let html = site.read("2018/06/22/files/index.html");
    assert!(
        html.contains("href=\"/articles/2018/my%20report.pdf\""),
        "{html}"
    );
}
