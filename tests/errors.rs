//! Broken content: every error reported at once with file:line, a non-zero
//! exit, and the previous output left exactly as it was.

mod common;

use std::process::Command;

use common::TestSite;

const GOOD: &str = r#"
-- content/articles/2018-06-19-good.md --
---
title: A good article
people: [Jeff Sessions]
---
Fine.
"#;

/// Ten files, each broken in its own way, with the message expected for each.
const BROKEN: &[(&str, &[u8], &str)] = &[
    (
        "content/articles/2018-07-01-typo.md",
        b"---\ntitle: Typo\ntopcs: [courts]\n---\n",
        "content/articles/2018-07-01-typo.md:3:1: unknown key `topcs`; did you mean `topics`?",
    ),
    (
        "content/articles/2018-07-02-untitled.md",
        b"---\nsummary: No title here.\n---\n",
        "content/articles/2018-07-02-untitled.md:1:1: missing `title`",
    ),
    (
        "content/articles/2018-07-03-bad-date.md",
        b"---\ntitle: Bad date\ndate: June 19\n---\n",
        "content/articles/2018-07-03-bad-date.md:3:1: `date`: `June 19` is not a date",
    ),
    (
        "content/articles/2018-07-04-draft.md",
        b"---\ntitle: Draft\ndraft: yes\n---\n",
        "content/articles/2018-07-04-draft.md:3:1: `draft`: invalid type: string \"yes\", expected a boolean",
    ),
    (
        "content/articles/2018-07-05-open.md",
        b"---\ntitle: Never closed\n\nBody text.\n",
        "content/articles/2018-07-05-open.md:1:1: front matter opened with `---` is never closed",
    ),
    (
        "content/articles/2018-07-06-yaml.md",
        b"---\ntitle: Bad YAML\npeople: [a, b\nsummary: x\n---\n",
        "content/articles/2018-07-06-yaml.md:4:8: invalid YAML: did not find expected ',' or ']'",
    ),
    (
        "content/articles/2018-07-07-plain.md",
        b"Just some text without front matter.\n",
        "content/articles/2018-07-07-plain.md:1:1: no front matter",
    ),
    (
        "content/articles/2018-07-08-latin1.md",
        b"---\ntitle: Caf\xe9\n---\n",
        "content/articles/2018-07-08-latin1.md:2:11: not valid UTF-8 (byte offset 14)",
    ),
    (
        "content/articles/undated.md",
        b"---\ntitle: No date anywhere\n---\n",
        "content/articles/undated.md:1:1: missing `date`",
    ),
    (
        "content/articles/2018-07-10-image.md",
        b"---\ntitle: Missing image\n\nimage: lost.jpg\n---\n",
        "content/articles/2018-07-10-image.md:4:1: `image`: `lost.jpg` not found (looked for content/articles/lost.jpg)",
    ),
];

fn broken_site() -> TestSite {
    let site = TestSite::new(GOOD);
    site.built();
    for (path, bytes, _) in BROKEN {
        site.write(path, bytes);
    }
    site
}

#[test]
fn every_error_is_reported_at_once_with_file_and_line() {
    let site = broken_site();
    let message = site.build().unwrap_err().to_string();
    for (_, _, expected) in BROKEN {
        assert!(
            message.contains(expected),
            "missing `{expected}` in:\n{message}"
        );
    }
    assert!(
        message.ends_with("10 content errors; nothing was written"),
        "{message}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let site = broken_site();
    let before = site.tree();
    assert!(site.build().is_err());
    assert_eq!(before, site.tree());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !leftovers.iter().any(|n| n.contains("staging")),
        "{leftovers:?}"
    );
}

#[test]
fn the_command_exits_non_zero_and_prints_every_error() {
    let site = broken_site();
    let run = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("content/")).count(),
        10,
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn two_articles_writing_the_same_page_name_both_files() {
    let site = TestSite::new(GOOD);
    site.add(
        "-- content/articles/other/2018-06-19-good.md --\n---\ntitle: Same slug, same day\n---\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/other/2018-06-19-good.md:1:1: writes 2018/06/19/good/index.html which content/articles/2018-06-19-good.md already writes"),
        "{message}"
    );
}

#[test]
fn a_collision_points_at_the_lines_that_chose_the_addresses() {
    let site = TestSite::new(GOOD);
    site.add(
        "-- content/articles/2018-06-20-moved.md --\n---\ntitle: Moved\naliases:\n  - /old/\n  - /2018/06/19/good/\n---\n\
         -- content/articles/2018-06-21-custom.md --\n---\ntitle: Custom\ndate: 2018-06-20\nslug: moved\n---\n",
    );
    let message = site.build().unwrap_err().to_string();
    for expected in [
        // The second alias, on line 5, takes an article's address.
        "content/articles/2018-06-20-moved.md:5:1: writes 2018/06/19/good/index.html which content/articles/2018-06-19-good.md already writes",
        // `slug:` on line 4 takes the address the other's file name gave it.
        "content/articles/2018-06-21-custom.md:4:1: writes 2018/06/20/moved/index.html which content/articles/2018-06-20-moved.md already writes",
    ] {
        assert!(message.contains(expected), "missing `{expected}` in:\n{message}");
    }
    // The first to claim an address is named with its line too, when front
    // matter chose it.
    site.add(
        "-- content/articles/2018-06-22-again.md --\n---\ntitle: Again\naliases: [/old]\n---\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/2018-06-20-moved.md:4:1: writes old/index.html which content/articles/2018-06-22-again.md:3 already writes"),
        "{message}"
    );
}

#[test]
fn a_date_that_moves_an_article_onto_another_s_address_is_the_line_reported() {
    let site = TestSite::new(GOOD);
    site.add("-- content/articles/2018-06-20-good.md --\n---\ntitle: Moved\nslug: ~\ndate: 2018-06-19\naliases:\n  - /old/\n  - /aux/\n---\n");
    let message = site.build().unwrap_err().to_string();
    for expected in [
        "content/articles/2018-06-20-good.md:4:1: writes 2018/06/19/good/index.html which content/articles/2018-06-19-good.md already writes",
        "content/articles/2018-06-20-good.md:7:1: writes aux/index.html but `aux` is a reserved file name on Windows: change the alias",
    ] {
        assert!(message.contains(expected), "missing `{expected}` in:\n{message}");
    }
}

#[test]
fn files_whose_names_differ_only_by_case_or_unicode_normalisation_collide() {
    let site = TestSite::new(GOOD);
    // "café" composed (NFC) and decomposed (NFD): one file on macOS.
    site.write("content/files/caf\u{e9}.pdf", b"one");
    site.write("content/files/cafe\u{301}.pdf", b"two");
    site.write("content/files/Report.pdf", b"three");
    site.write("content/files/report.pdf", b"four");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("which content/files/caf\u{e9}.pdf already writes")
            || message.contains("which content/files/cafe\u{301}.pdf already writes"),
        "{message}"
    );
    assert!(
        message.contains("which content/files/Report.pdf already writes")
            || message.contains("which content/files/report.pdf already writes"),
        "{message}"
    );
}

#[test]
fn windows_device_names_are_refused_as_addresses() {
    let site = TestSite::new(GOOD);
    site.add("-- content/articles/2018-06-20-console.md --\n---\ntitle: Console\nslug: CON\n---\n");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/2018-06-20-console.md:3:1: writes 2018/06/20/con/index.html but `con` is a reserved file name on Windows"),
        "{message}"
    );
}

#[test]
fn content_cannot_replace_a_file_the_site_writes() {
    let site = TestSite::new(GOOD);
    site.write("content/search.js", b"alert('not the theme')");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/search.js:1:1: writes search.js which (built-in page /search.js) already writes"),
        "{message}"
    );
}

#[test]
fn a_page_cannot_take_a_built_in_address() {
    let site = TestSite::new(GOOD);
    site.add("-- content/pages/timeline.md --\n---\ntitle: My timeline\n---\n");
    let message = site.build().unwrap_err().to_string();
    assert!(message.contains("content/pages/timeline.md:1:1: writes timeline/index.html which (built-in page /timeline/) already writes"), "{message}");
}

#[test]
fn the_same_slug_on_different_days_is_fine() {
    let site = TestSite::new(GOOD);
    site.add("-- content/articles/2019-06-19-good.md --\n---\ntitle: A year later\n---\n");
    site.built();
    assert!(site.exists("2019/06/19/good/index.html") && site.exists("2018/06/19/good/index.html"));
}

#[test]
fn bad_site_yaml_names_the_key() {
    let site = TestSite::new(GOOD);
    site.write(
        "site.yaml",
        b"title: T\ntimezone: Europe/Paris\nbase_url: example.org\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("site.yaml:3:1: `base_url`: `example.org` must be an absolute URL"),
        "{message}"
    );
}

#[test]
fn an_output_folder_that_is_the_site_or_not_ours_is_refused() {
    let site = TestSite::new(GOOD);
    let mut options = site.options();
    options.output = Some(site.root().to_path_buf());
    let message = newsdigest::build(&options).unwrap_err().to_string();
    assert!(
        message.starts_with("refusing to write the site to"),
        "{message}"
    );
    assert!(site
        .root()
        .join("content/articles/2018-06-19-good.md")
        .exists());

    site.write("output/notes.txt", b"mine");
    let message = site.build().unwrap_err().to_string();
    assert!(message.contains("was not built by newsdigest"), "{message}");
    assert_eq!(
        std::fs::read(site.output().join("notes.txt")).unwrap(),
        b"mine"
    );
}

#[test]
fn a_template_error_leaves_the_previous_output() {
    let site = TestSite::new(GOOD);
    site.built();
    let before = site.tree();
    site.add("-- themes/default/templates/article.html --\n{{ article.no_such_field.deeper }}\n");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.starts_with("template article.html, rendering the page /2018/06/19/good/:"),
        "the template and the page it failed on: {message}"
    );
    assert!(message.contains("article.no_such_field"), "{message}");
    assert_eq!(before, site.tree());
}

#[test]
fn editors_cannot_write_into_generated_pages() {
    let site = TestSite::new(GOOD);
    site.add(
        "-- content/articles/2018-06-20-x.md --\n---\ntitle: X\naliases: [/people/jeff-sessions/mentions/, /timeline/page/2/]\n---\n",
    );
    site.write("content/people/jeff-sessions/index.html", b"<p>mine</p>");
    let message = site.build().unwrap_err().to_string();
    for expected in [
        "content/articles/2018-06-20-x.md:3:1: writes /people/jeff-sessions/mentions/, which is inside the pages of the person Jeff Sessions",
        "content/articles/2018-06-20-x.md:3:1: writes /timeline/page/2/, which is inside the generated folder /timeline/",
        "content/people/jeff-sessions/index.html:1:1: writes /people/jeff-sessions/index.html, which is inside the pages of the person Jeff Sessions",
    ] {
        assert!(message.contains(expected), "missing `{expected}` in:\n{message}");
    }
}

#[test]
fn unsafe_links_and_empty_aliases_are_refused() {
    let site = TestSite::new(GOOD);
    site.add(
        r#"
-- content/articles/2018-06-20-links.md --
---
title: Links
sources:
  - {title: Click, url: " javascript:alert(1)"}
---
[click](javascript:alert(2)) and ![x](data:text/html,hi)
-- content/people/pete.md --
---
name: Pete
aliases: [Peter, ""]
---
-- content/people/paul.md --
---
name: Paul
links: ["vbscript:msgbox(1)"]
---
"#,
    );
    let message = site.build().unwrap_err().to_string();
    for expected in [
        "content/articles/2018-06-20-links.md:4:1: `sources[0]`: ` javascript:alert(1)` is not a link to follow",
        "content/people/pete.md:3:1: `aliases`: an alias must have at least two letters or digits",
        "content/people/paul.md:3:1: `links[0]`: `vbscript:msgbox(1)` is not a link to follow",
    ] {
        assert!(message.contains(expected), "missing `{expected}` in:\n{message}");
    }
    std::fs::remove_file(site.root().join("content/people/pete.md")).unwrap();
    std::fs::remove_file(site.root().join("content/people/paul.md")).unwrap();
    site.write(
        "content/articles/2018-06-20-links.md",
        b"---\ntitle: 1984\n---\n[click](javascript:alert(2)) and ![x](data:text/html,hi)\n",
    );
    site.built();
    let html = site.read("2018/06/20/links/index.html");
    assert!(html.contains("<h1>1984</h1>"), "a number is a fine title");
    assert!(
        !html.contains("javascript:") && !html.contains("data:text"),
        "{html}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let site = TestSite::new(GOOD);
    site.write("site.yaml", b"limits: {max_file_kb: 1}\n");
    let big = format!("---\ntitle: Big\n---\n{}\n", "word ".repeat(400));
    site.write("content/articles/2018-06-20-big.md", big.as_bytes());
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/2018-06-20-big.md:1:1: the file is 2 KB, more than `limits.max_file_kb` (1 KB) in site.yaml allows"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_rebuild_never_writes_into_the_previous_output() {
    let site = TestSite::new(GOOD);
    site.write("themes/default/static/extra.js", b"// the theme's");
    site.built();
    let keep = site.root().join("keep.js");
    std::fs::hard_link(site.output().join("extra.js"), &keep).unwrap();
    let before = std::fs::read(&keep).unwrap();
    site.write("content/extra.js", b"alert('not the theme')");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("two files would be written at extra.js"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&keep).unwrap(),
        before,
        "a file linked from the old output is untouched"
    );
}
