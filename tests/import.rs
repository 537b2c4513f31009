//! Archives of other generators (Jekyll, Hugo, Eleventy), written as those
//! generators' users write them, awkward values included: built as they are
//! with only a site.yaml preset, and converted once with `newsdigest import`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{tree, TestSite};

/// A Jekyll blog: posts in `_posts/` (one nested, one `.markdown`), Jekyll's
/// date format, space-separated categories, bylines naming several people,
/// null values, Liquid tags in bodies and in code, a post without a title,
/// a draft by `published: false`, the same slug on two days, duplicate titles.
const JEKYLL: &str = r#"
-- _config.yml --
title: Harbour Notes
description: News from the harbour.
url: "https://harbour.example"
baseurl: "/notes"
timezone: Europe/Lisbon
-- _posts/2019-03-04-ferry-strike.md --
---
layout: post
title: "  Ferry   strike   ends "
date: 2019-03-04 10:20:30 +0000
categories: news transport
tags: [strike, Ferries]
author: Ana Silva, Bruno Costa and Carla Dias (@carla)
comments: true
---
The strike ended on {{ page.date | date: "%A" }}, after [the talks]({% post_url 2019-03-02-ferry-talks %}).

```liquid
{{ page.title }} stays in code
```
-- _posts/2019-03-02-ferry-talks.markdown --
---
title: Ferry talks
author: "Ana Silva & Duarte Reis"
tags: "talks strike"
excerpt: null
published: true
---
{% comment %}
An editor's note.
{% endcomment %}
Talks resumed at the port.
-- _posts/2019/2019-05-01-market-day.md --
---
layout: post
category: Local Markets
image: {path: /assets/img/market.jpg, width: 800}
---
The market opened.

{% highlight ruby %}
puts "{{ stall }}"
{% endhighlight %}
-- _posts/2019-05-02-ferry-strike.md --
---
title: Ferry strike ends
date: "2019-05-02T08:00:00.123+01:00"
tags: strike
author: ~
---
Another strike, another end.
-- _posts/2019-06-01-not-yet.md --
---
title: Not yet
published: false
---
Unfinished.
-- assets/img/market.jpg --
JPEG
"#;

const JEKYLL_SITE_YAML: &str =
    "base_url: https://harbour.example/notes/\nfront_matter:\n  preset: jekyll\n";

/// A Hugo site: a page bundle in TOML with an image beside it, a nested YAML
/// post, a section `_index.md`, shortcodes, and `static/`.
const HUGO: &str = r#"
-- hugo.toml --
baseURL = "https://valley.example/"
title = "Valley Weekly"
languageCode = "en-gb"
-- content/_index.md --
---
title: Home
---
-- content/posts/_index.md --
+++
title = "Posts"
+++
-- content/topics/_index.md --
---
title: Topics
---
-- content/posts/bridge-opens/index.md --
+++
title = "Bridge opens"
date = 2020-07-01T09:00:00+02:00
tags = ["Bridges", "Valley"]
categories = ["infrastructure"]
authors = ["Eva Lind"]
draft = false
weight = 10
[params]
mood = "sunny"
+++
![The bridge](bridge.jpg)

{{< figure src="bridge.jpg" caption="Opening day" >}}
-- content/posts/bridge-opens/bridge.jpg --
JPEG
-- content/posts/2020/council-vote.md --
---
title: Council vote
date: 2020-07-02
lastmod: 2020-07-03
tags: [valley]
author: "Eva Lind and Omar Haddad"
description: The council voted.
series: [council]
---
{{% notice %}}The vote passed.{{% /notice %}} See ![logo](/images/logo.png) and [the bridge]({{< ref "bridge-opens" >}}).
-- static/images/logo.png --
PNG
"#;

const HUGO_SITE_YAML: &str = "base_url: https://valley.example/\nfront_matter:\n  preset: hugo\n";

/// An Eleventy site: posts in `src/posts/` with a directory data file, the
/// `post` collection tag, `date: Last Modified`, a literal permalink and a
/// templated one, Nunjucks tags.
const ELEVENTY: &str = r#"
-- _data/metadata.json --
{"title": "Ledger", "url": "https://ledger.example/", "language": "en"}
-- src/posts/posts.json --
{"tags": "posts", "layout": "post.njk"}
-- src/posts/2021-02-03-first-entry.md --
---
title: First entry
date: Last Modified
tags: [post, Accounts]
author: "Fay Wong (@fay)"
permalink: "/posts/{{ page.fileSlug }}/"
eleventyExcludeFromCollections: false
---
{# a Nunjucks comment #}The ledger opened. {% image "a.png", "A ledger" %}
-- src/posts/2021/second.json --
{"eleventyComputed": {"title": "Second"}}
-- src/posts/2021/second.11tydata.json --
{"draft": false}
-- src/posts/2021/chart.json --
{"published": "as a file beside the posts"}
-- src/posts/2021/second.md --
---
title: Second entry
date: 2021-02-04 09:15
tags: post
authors: [Fay Wong, "Gus Hart & Ida Bell"]
permalink: /ledger/second-entry/
---
Balanced.
"#;

const ELEVENTY_SITE_YAML: &str =
    "base_url: https://ledger.example/\nfront_matter:\n  preset: eleventy\n";

fn archive(spec: &str, site_yaml: &str) -> TestSite {
    let site = TestSite::archive(spec);
    site.write("site.yaml", site_yaml.as_bytes());
    site
}

/// The article, topic and person pages of a built site.
fn page_set(output: &Path) -> BTreeSet<String> {
    tree(output)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with("/index.html"))
        .filter(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            let article =
                parts.len() == 5 && parts[0].len() == 4 && parts[0].parse::<u16>().is_ok();
            let entity = parts.len() == 3 && (parts[0] == "topics" || parts[0] == "people");
            article || entity
        })
        .collect()
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const JEKYLL_PAGES: &[&str] = &[
    "2019/03/02/ferry-talks/index.html",
    "2019/03/04/ferry-strike/index.html",
    "2019/05/01/market-day/index.html",
    "2019/05/02/ferry-strike/index.html",
    "people/ana-silva/index.html",
    "people/bruno-costa/index.html",
    "people/carla-dias/index.html",
    "people/duarte-reis/index.html",
    "topics/ferries/index.html",
    "topics/local-markets/index.html",
    "topics/news/index.html",
    "topics/strike/index.html",
    "topics/talks/index.html",
    "topics/transport/index.html",
];

#[test]
fn a_jekyll_archive_builds_as_it_is() {
    let site = archive(JEKYLL, JEKYLL_SITE_YAML);
    site.built();
    assert_eq!(page_set(&site.output()), set(JEKYLL_PAGES));
    let strike = site.read("2019/03/04/ferry-strike/index.html");
    assert!(
        strike.contains("<h1>Ferry strike ends</h1>"),
        "stray spaces are gone"
    );
    for name in ["Ana Silva", "Bruno Costa", "Carla Dias"] {
        assert!(strike.contains(name), "{name} is named");
    }
    assert!(
        !strike.contains("@carla"),
        "the handle is not part of the name"
    );
    // Kept, Liquid is text, never run.
    assert!(
        strike.contains("The strike ended on {{ page.date | date: "),
        "{strike}"
    );
    assert!(strike.contains("{{ page.title }} stays in code"));
    // The title Jekyll would give a post without one, and its image.
    let market = site.read("2019/05/01/market-day/index.html");
    assert!(market.contains("<h1>Market Day</h1>"), "{market}");
    assert!(market.contains("/notes/assets/img/market.jpg"), "{market}");
    assert_eq!(site.read("assets/img/market.jpg"), "JPEG\n");
    // A `.markdown` post's address has no extension; the draft is left out.
    assert!(site
        .read("2019/03/02/ferry-talks/index.html")
        .contains("Talks resumed"));
    assert!(!site.exists("2019/06/01/not-yet/index.html"));
    // Nothing of the archive's own layout is copied into the site.
    assert!(!site.exists("_posts"));
    assert!(!site.exists("_config.yml"));
}

#[test]
fn stripping_template_tags_is_counted_once_for_build_and_check() {
    let site = archive(
        JEKYLL,
        &format!("{JEKYLL_SITE_YAML}  template_tags: strip\n"),
    );
    let root = site.root().to_str().unwrap();
    let (ok, stdout, stderr) = run(&["build", "--root", root]);
    assert!(ok, "{stderr}");
    // Two in the strike post (its code block keeps its tag), the comment
    // block's two, and the highlight block's two.
    let summary = "stripped 6 template tags in 3 files";
    assert_eq!(stdout.matches("stripped").count(), 1, "{stdout}");
    assert!(stdout.contains(summary), "{stdout}");
    let strike = site.read("2019/03/04/ferry-strike/index.html");
    assert!(!strike.contains("page.date"), "{strike}");
    assert!(
        strike.contains("<a href=\"/notes/2019/03/02/ferry-talks/\">the talks</a>"),
        "post_url links to the post: {strike}"
    );
    assert!(strike.contains("{{ page.title }} stays in code"));
    let talks = site.read("2019/03/02/ferry-talks/index.html");
    assert!(!talks.contains("editor"), "a comment goes with its text");
    let market = site.read("2019/05/01/market-day/index.html");
    assert!(
        market.contains("<pre"),
        "a highlight block becomes code: {market}"
    );
    assert!(
        market.contains("{{ stall }}"),
        "its code is kept as written"
    );
    let (ok, stdout, _) = run(&["check", "--root", root]);
    assert!(ok, "{stdout}");
    assert!(stdout.contains(summary), "{stdout}");
    let (_, quiet, _) = run(&["build", "--root", root, "--quiet"]);
    assert!(!quiet.contains("stripped"), "{quiet}");
}

#[test]
fn the_same_slug_on_the_same_day_names_both_posts() {
    let site = archive(JEKYLL, JEKYLL_SITE_YAML);
    site.built();
    let before = site.tree();
    site.add("-- _posts/2019/2019-03-04-ferry-strike.markdown --\n---\ntitle: Again\n---\n");
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("_posts/2019/2019-03-04-ferry-strike.markdown:1:1: writes 2019/03/04/ferry-strike/index.html which _posts/2019-03-04-ferry-strike.md:4 already writes"),
        "{message}"
    );
    assert_eq!(site.tree(), before, "the previous output is untouched");
}

#[test]
fn errors_in_an_archive_name_the_file_line_and_key_as_written() {
    let site = archive(JEKYLL, JEKYLL_SITE_YAML);
    site.add(concat!(
        "-- _posts/2019-07-01-bad.md --\n",
        "---\n",
        "title: Bad\n",
        "tags: {a: 1}\n",
        "published: perhaps\n",
        "---\n",
        "-- _posts/2019-07-02-worse.md --\n",
        "---\n",
        "title: Worse\n",
        "date: July second\n",
        "author: [[Ann]]\n",
        "---\n",
        "-- _posts/2019-07-03-wrong-day.md --\n",
        "---\n",
        "title: Wrong day\n",
        "date: July third\n",
        "---\n",
    ));
    let message = site.build().unwrap_err().to_string();
    for expected in [
        "_posts/2019-07-01-bad.md:3:1: `tags` (read as `topics`): invalid type: map",
        "_posts/2019-07-01-bad.md:4:1: `published`: expected true or false",
        "_posts/2019-07-02-worse.md:4:1: `author` (read as `people`): ",
        "_posts/2019-07-03-wrong-day.md:3:1: `date`: `July third` is not a date",
    ] {
        assert!(message.contains(expected), "{expected}\n{message}");
    }
}

#[test]
fn unknown_keys_can_be_refused_or_warned_about_once() {
    let moods = concat!(
        "-- _posts/2019-07-01-calm.md --\n---\ntitle: Calm\nmood: calm\n---\n",
        "-- _posts/2019-07-02-storm.md --\n---\ntitle: Storm\nlayout: post\nmood: wild\n---\n",
    );
    let site = archive(
        JEKYLL,
        "base_url: https://harbour.example/\nfront_matter:\n  preset: jekyll\n  unknown: error\n",
    );
    site.add(moods);
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("_posts/2019-07-01-calm.md:3:1: unknown key `mood`: map it"),
        "{message}"
    );
    assert!(
        message.contains("_posts/2019-07-02-storm.md:4:1: unknown key `mood`"),
        "{message}"
    );
    assert!(
        !message.contains("`layout`"),
        "the preset knows layout: {message}"
    );

    let site = archive(
        JEKYLL,
        "base_url: https://harbour.example/\nfront_matter:\n  preset: jekyll\n  unknown: warn\n",
    );
    site.add(moods);
    let warnings: Vec<String> = site
        .built()
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("unknown key"))
        .collect();
    assert_eq!(
        warnings,
        ["_posts/2019-07-01-calm.md:3:1: unknown key `mood` kept under `extra` (in 2 articles; this is the first): map it in site.yaml's `front_matter.fields` to use it"]
    );

    let site = archive(
        JEKYLL,
        "front_matter:\n  preset: jekyll\n  fields:\n    mood: tags\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("site.yaml:4:1: `front_matter.fields.mood`: `tags` is not an article key"),
        "{message}"
    );
}

#[test]
fn a_post_of_several_megabytes_builds() {
    let site = archive(JEKYLL, JEKYLL_SITE_YAML);
    let mut changelog = String::from("---\ntitle: Changelog\ntags: releases\n---\n");
    let mut release = 0;
    while changelog.len() < 3 * 1024 * 1024 {
        release += 1;
        changelog.push_str(&format!(
            "\n## Release {release}\n\n- Fixed the harbour clock drifting by {release} seconds.\n- Updated {{{{ site.version }}}} in the footer.\n"
        ));
    }
    site.write("_posts/2018-12-31-changelog.md", changelog.as_bytes());
    site.built();
    let page = site.read("2018/12/31/changelog/index.html");
    assert!(page.contains(&format!("Release {release}")));
}

const HUGO_PAGES: &[&str] = &[
    "2020/07/01/bridge-opens/index.html",
    "2020/07/02/council-vote/index.html",
    "people/eva-lind/index.html",
    "people/omar-haddad/index.html",
    "topics/bridges/index.html",
    "topics/infrastructure/index.html",
    "topics/valley/index.html",
];

#[test]
fn a_hugo_site_builds_as_it_is() {
    let site = archive(HUGO, HUGO_SITE_YAML);
    let report = site.built();
    assert_eq!(page_set(&site.output()), set(HUGO_PAGES));
    assert!(
        !site.exists("_index.md"),
        "section pages are neither built nor published"
    );
    assert!(report
        .warnings
        .iter()
        .all(|w| !w.path.ends_with("_index.md")));
    let bridge = site.read("2020/07/01/bridge-opens/index.html");
    assert!(bridge.contains("<h1>Bridge opens</h1>"));
    assert!(
        bridge.contains("src=\"/posts/bridge-opens/bridge.jpg\""),
        "{bridge}"
    );
    assert!(
        bridge.contains("{{&lt; figure"),
        "a shortcode is shown, not run: {bridge}"
    );
    assert_eq!(site.read("posts/bridge-opens/bridge.jpg"), "JPEG\n");
    assert_eq!(
        site.read("images/logo.png"),
        "PNG\n",
        "static/ is the site root"
    );
    let vote = site.read("2020/07/02/council-vote/index.html");
    assert!(
        vote.contains("The council voted."),
        "description is the summary"
    );

    let site = archive(HUGO, &format!("{HUGO_SITE_YAML}  template_tags: strip\n"));
    site.built();
    let vote = site.read("2020/07/02/council-vote/index.html");
    assert!(vote.contains("The vote passed."), "{vote}");
    assert!(!vote.contains("notice"), "{vote}");
    assert!(
        vote.contains("<a href=\"/2020/07/01/bridge-opens/\">the bridge</a>"),
        "ref links to the post: {vote}"
    );
}

const ELEVENTY_PAGES: &[&str] = &[
    "2021/02/03/first-entry/index.html",
    "2021/02/04/second-entry/index.html",
    "people/fay-wong/index.html",
    "people/gus-hart/index.html",
    "people/ida-bell/index.html",
    "topics/accounts/index.html",
];

#[test]
fn an_eleventy_site_builds_as_it_is() {
    let site = archive(ELEVENTY, ELEVENTY_SITE_YAML);
    site.built();
    assert_eq!(page_set(&site.output()), set(ELEVENTY_PAGES));
    let first = site.read("2021/02/03/first-entry/index.html");
    assert!(first.contains("{# a Nunjucks comment #}"), "{first}");
    // Eleventy's data files are its own; other files beside the posts are
    // published.
    for data in [
        "posts.json",
        "2021/second.json",
        "2021/second.11tydata.json",
    ] {
        assert!(!site.exists(&format!("src/posts/{data}")), "{data}");
    }
    assert!(site.exists("src/posts/2021/chart.json"));
    // Outside the posts, such a name is only a file.
    site.write("content/files/files.json", b"{}");
    site.built();
    assert!(site.exists("files/files.json"));
}

#[test]
fn the_articles_folder_may_be_named_and_must_exist() {
    let site = archive(
        ELEVENTY,
        "base_url: https://ledger.example/\nfront_matter: {preset: eleventy}\ncontent: {articles: src/posts/2021}\n",
    );
    site.built();
    assert_eq!(
        page_set(&site.output())
            .into_iter()
            .filter(|p| p.starts_with("20"))
            .collect::<Vec<_>>(),
        ["2021/02/04/second-entry/index.html"]
    );
    let site = archive(
        ELEVENTY,
        "front_matter: {preset: eleventy}\ncontent: {articles: posts}\n",
    );
    let message = site.build().unwrap_err().to_string();
    assert!(message.contains("the articles folder"), "{message}");
    assert!(message.contains("does not exist"), "{message}");
}

fn import(from: &str, source: &TestSite, root: &Path, extra: &[&str]) -> (bool, String, String) {
    let mut args = vec![
        "import",
        "--from",
        from,
        source.root().to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend(extra);
    run(&args)
}

/// Imports `spec` with `newsdigest import`, builds the new site, and checks
/// it has the pages the archive built as it is has; the archive is unchanged.
fn imports_like_it_builds(spec: &str, site_yaml: &str, from: &str, pages: &[&str]) -> TestSite {
    let as_is = archive(spec, site_yaml);
    as_is.built();
    let source = TestSite::archive(spec);
    let before = tree(source.root());
    let new_site = TestSite::archive("");
    let root = new_site.root().join("site");
    let (ok, stdout, stderr) = import(from, &source, &root, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(tree(source.root()), before, "the archive is not changed");
    let report = newsdigest::build(&newsdigest::BuildOptions {
        root: root.clone(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("the imported site does not build:\n{e}\n{stdout}\n{stderr}"));
    assert_eq!(page_set(&report.output), page_set(&as_is.output()));
    assert_eq!(page_set(&report.output), set(pages));
    new_site
}

#[test]
fn an_imported_jekyll_archive_builds_the_same_pages() {
    let new_site = imports_like_it_builds(JEKYLL, JEKYLL_SITE_YAML, "jekyll", JEKYLL_PAGES);
    let root = new_site.root().join("site");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let site_yaml = read("site.yaml");
    let (comment, settings) = site_yaml.split_once('\n').unwrap();
    assert!(
        comment.starts_with("# Written by `newsdigest import` from "),
        "{comment}"
    );
    assert!(comment.ends_with("_config.yml."), "{comment}");
    assert_eq!(
        settings,
        "title: Harbour Notes\ndescription: News from the harbour.\nbase_url: https://harbour.example/notes/\ntimezone: Europe/Lisbon\n"
    );
    let strike = read("content/articles/2019-03-04-ferry-strike.md");
    assert_eq!(
        strike,
        concat!(
            "---\n",
            "title: Ferry strike ends\n",
            "date: 2019-03-04 10:20:30 +0000\n",
            "topics:\n- news\n- transport\n- strike\n- Ferries\n",
            "people:\n- Ana Silva\n- Bruno Costa\n- Carla Dias\n",
            "authors:\n- Ana Silva\n- Bruno Costa\n- Carla Dias\n",
            "---\n",
            "The strike ended on {{ page.date | date: \"%A\" }}, after [the talks]({% post_url 2019-03-02-ferry-talks %}).\n",
            "\n",
            "```liquid\n",
            "{{ page.title }} stays in code\n",
            "```\n",
        )
    );
    let market = read("content/articles/2019/2019-05-01-market-day.md");
    assert!(market.starts_with("---\ntitle: Market Day\n"), "{market}");
    assert!(
        market.contains("image:\n  src: /assets/img/market.jpg\n"),
        "{market}"
    );
    assert_eq!(read("content/assets/img/market.jpg"), "JPEG\n");
    let draft = read("content/articles/2019-06-01-not-yet.md");
    assert!(draft.contains("draft: true\n"), "{draft}");
}

#[test]
fn an_imported_hugo_site_builds_the_same_pages() {
    let new_site = imports_like_it_builds(HUGO, HUGO_SITE_YAML, "hugo", HUGO_PAGES);
    let root = new_site.root().join("site");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let bridge = read("content/articles/bridge-opens/index.md");
    assert!(
        bridge.starts_with("---\ntitle: Bridge opens\ndate: 2020-07-01T09:00:00+02:00\n"),
        "{bridge}"
    );
    assert!(
        bridge.contains("extra:\n  params:\n    mood: sunny\n"),
        "{bridge}"
    );
    assert!(!bridge.contains("weight"), "{bridge}");
    assert!(bridge.ends_with("---\n![The bridge](bridge.jpg)\n\n{{< figure src=\"bridge.jpg\" caption=\"Opening day\" >}}\n"), "{bridge}");
    assert_eq!(read("content/articles/bridge-opens/bridge.jpg"), "JPEG\n");
    assert_eq!(read("content/images/logo.png"), "PNG\n");
    assert!(!root.join("content/articles/_index.md").exists());
    assert!(read("site.yaml").contains("title: Valley Weekly\n"));
}

#[test]
fn an_imported_eleventy_site_builds_the_same_pages() {
    let new_site = imports_like_it_builds(ELEVENTY, ELEVENTY_SITE_YAML, "eleventy", ELEVENTY_PAGES);
    let root = new_site.root().join("site");
    let second = std::fs::read_to_string(root.join("content/articles/2021/second.md")).unwrap();
    assert!(second.contains("slug: second-entry\n"), "{second}");
    let articles = root.join("content/articles");
    assert!(!articles.join("posts.json").exists());
    assert!(!articles.join("2021/second.11tydata.json").exists());
    assert!(articles.join("2021/chart.json").exists());
    assert!(std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .contains("base_url: https://ledger.example/\n"));
}

#[test]
fn import_reports_what_it_could_not_map_and_refuses_to_overwrite() {
    let source = TestSite::archive(JEKYLL);
    source.add(concat!(
        "-- _posts/2019-07-01-moods.md --\n---\ntitle: Moods\nmood: calm\nshare: true\npermalink: /:year/:title/\n---\nCalm.\n",
        "-- _posts/2019-07-02-broken.md --\n---\ntitle: [unclosed\n---\nBody.\n",
        "-- _posts/2019-07-03-missing.md --\n---\ntitle: Missing\nimage: /assets/cover-gone.jpg\n---\nFirst paragraph.\n\n![gone](/assets/gone.png)\n",
    ));
    let new_site = TestSite::archive("");
    let root = new_site.root().join("site");
    let (ok, stdout, stderr) = import("jekyll", &source, &root, &["--strip-template-tags"]);
    assert!(
        !ok,
        "a post left to fix fails the import:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("1 post could not be converted and was copied unchanged: fix it (listed above) before building"),
        "{stderr}"
    );
    assert!(stdout.contains("Imported 7 posts from"), "{stdout}");
    assert!(stdout.contains("Copied 1 post unchanged"), "{stdout}");
    assert!(
        stdout.contains(
            "Kept under `extra` (not read as one of newsdigest's keys): `mood` (1 post), `permalink` (1 post), `share` (1 post)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("stripped 6 template tags in 3 files"),
        "{stdout}"
    );
    assert!(
        stderr.contains("_posts/2019-07-02-broken.md:3:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(the post was copied unchanged: fix it by hand)"),
        "{stderr}"
    );
    assert!(stderr.contains("_posts/2019-07-03-missing.md:7:1: links to /assets/gone.png, which is not in the archive"), "{stderr}");
    assert!(stderr.contains("_posts/2019-07-03-missing.md:3:1: links to /assets/cover-gone.jpg, which is not in the archive"), "{stderr}");
    let strike =
        std::fs::read_to_string(root.join("content/articles/2019-03-04-ferry-strike.md")).unwrap();
    assert!(
        strike.contains("[the talks](2019-03-02-ferry-talks.markdown)"),
        "{strike}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("content/articles/2019-07-02-broken.md")).unwrap(),
        "---\ntitle: [unclosed\n---\nBody.\n"
    );

    // A second import would mix two archives: refused, nothing changed.
    let before = tree(&root);
    let (ok, _, stderr) = import("jekyll", &source, &root, &[]);
    assert!(!ok);
    assert!(stderr.contains("content is not empty"), "{stderr}");
    assert_eq!(tree(&root), before);

    // Nor may the new site be inside the archive.
    let (ok, _, stderr) = import("jekyll", &source, &source.root().join("new"), &[]);
    assert!(!ok);
    assert!(stderr.contains("inside the archive"), "{stderr}");
    assert!(!source.root().join("new").exists());
}

#[test]
fn a_post_with_crlf_line_ends_keeps_them() {
    let source = TestSite::archive(JEKYLL);
    std::fs::write(
        source.root().join("_posts/2019-08-02-windows.md"),
        "---\r\ntitle: Written on Windows\r\ntags: [a, b]\r\n---\r\nBody.\r\n",
    )
    .unwrap();
    let new_site = TestSite::archive("");
    let root = new_site.root().join("site");
    let (ok, stdout, stderr) = import("jekyll", &source, &root, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    let post =
        std::fs::read_to_string(root.join("content/articles/2019-08-02-windows.md")).unwrap();
    assert!(
        post.starts_with("---\r\ntitle: Written on Windows\r\n"),
        "{post:?}"
    );
    assert_eq!(
        post.matches('\n').count(),
        post.matches("\r\n").count(),
        "{post:?}"
    );
    assert!(post.ends_with("---\r\nBody.\r\n"), "{post:?}");
}

#[test]
fn a_failed_import_leaves_no_new_site_folder_behind() {
    // A post deep enough to be read where it is, but not written under a
    // longer --root: the import fails after making the site's folder.
    let source = TestSite::archive(JEKYLL);
    let deep: PathBuf = (0..15).map(|n| format!("{n}{}", "d".repeat(240))).collect();
    let post = source
        .root()
        .join("_posts")
        .join(&deep)
        .join("2019-08-01-deep.md");
    std::fs::create_dir_all(post.parent().unwrap()).unwrap();
    std::fs::write(&post, "---\ntitle: Deep\n---\nBody.\n").unwrap();
    let new_site = TestSite::archive("");
    let parent = new_site.root().join("x".repeat(200));
    let root = parent.join("y".repeat(200));
    let (ok, stdout, stderr) = import("jekyll", &source, &root, &[]);
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("2019-08-01-deep.md"), "{stderr}");
    assert!(!parent.exists(), "the folders the import made are gone");
    assert!(new_site.root().exists(), "what was there before stays");
}

#[test]
fn a_new_article_goes_to_the_archive_s_folder_of_posts() {
    let site = archive(JEKYLL, JEKYLL_SITE_YAML);
    let path = newsdigest::new::create(
        site.root(),
        newsdigest::new::NewItem::Article {
            title: "Harbour reopens",
            topics: vec!["transport".to_string()],
            people: vec!["Ana Silva".to_string()],
            date: Some(jiff::civil::date(2019, 7, 1)),
        },
    )
    .unwrap();
    assert_eq!(
        path,
        site.root()
            .join("_posts/2019/2019-07-01-harbour-reopens.md")
    );
    site.built();
    assert!(site.exists("2019/07/01/harbour-reopens/index.html"));
}
