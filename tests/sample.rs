//! The sample digest in content/ builds, and tells the seed story as promised.

mod common;

use std::path::Path;

use common::{hrefs, tree};

const SEED_ARTICLE: &str = "/2018/06/19/prosecutors-urge-sessions-end-separations/";

/// Everyone the seed story names who has a profile.
const NAMED_IN_THE_SEED: &[&str] = &[
    "jeff-sessions",
    "hector-balderas",
    "andrew-cuomo",
    "preet-bharara",
    "chuck-rosenberg",
    "jenny-durkan",
    "conner-eldridge",
    "john-boozman",
    "kirstjen-nielsen",
    "tim-heaphy",
    "george-w-bush",
    "barack-obama",
    "donald-trump",
];

fn build_sample() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    newsdigest::build(&newsdigest::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(output.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("the sample digest must build:\n{e}"));
    let files = tree(&output);
    (out, files)
}

#[test]
fn the_seed_story_reaches_every_person_it_names_and_no_one_else() {
    let (_dir, files) = build_sample();
    let person_pages = files.iter().filter(|(path, _)| {
        let parts: Vec<_> = path.components().collect();
        parts.len() == 3 && path.starts_with("people") && path.ends_with("index.html")
    });
    let mut reached = Vec::new();
    for (path, bytes) in person_pages {
        let slug = path
            .components()
            .nth(1)
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let html = String::from_utf8_lossy(bytes);
        // The seed article may be listed in "about" or "mentioned in"; the
        // sidebar sections (first/latest appearance) do not count.
        let lists = html
            .split_once("id=\"articles-heading\"")
            .map_or("", |(_, rest)| rest);
        let lists = lists
            .split_once("id=\"company-heading\"")
            .map_or(lists, |(before, _)| before);
        if hrefs(lists).iter().any(|h| h == SEED_ARTICLE) {
            reached.push(slug);
        }
    }
    reached.sort();
    let mut expected: Vec<String> = NAMED_IN_THE_SEED.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(reached, expected);
}

#[test]
fn check_suggests_profiles_for_recurring_names() {
    let report =
        newsdigest::check::check(Path::new(env!("CARGO_MANIFEST_DIR")), false, None).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.message.clone()).collect();
    for name in ["Lee Gelernt", "Jeff Merkley"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&format!("`{name}` appears in"))),
            "no suggestion for {name}: {warnings:?}"
        );
    }
}

#[test]
fn the_sample_digest_is_big_enough_to_show_every_feature() {
    let (_dir, files) = build_sample();
    let count = |prefix: &str| {
        files
            .keys()
            .filter(|p| {
                p.starts_with(prefix) && p.components().count() == 3 && p.ends_with("index.html")
            })
            .count()
    };
    assert!(count("people") >= 12, "people profiles");
    assert!(count("topics") >= 6, "topics");
    let articles = files
        .keys()
        .filter(|p| p.components().count() == 5 && p.ends_with("index.html"))
        .count();
    assert!(articles >= 25, "{articles} articles");
}

#[test]
fn the_timeline_tells_the_seed_story_in_order() {
    let (_dir, files) = build_sample();
    let read = |path: &str| String::from_utf8(files[Path::new(path)].clone()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&read("timeline.json")).unwrap();
    let headlines: Vec<String> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"]["headline"].as_str().unwrap().to_string())
        .collect();
    let at = |title: &str| {
        let matches: Vec<usize> = headlines
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == title)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            matches.len(),
            1,
            "`{title}` must be on the timeline exactly once"
        );
        matches[0]
    };
    let announcement = at("Sessions announces zero tolerance policy");
    let letters = at("Prosecutors and state attorneys general urge Sessions to end separations");
    assert!(
        letters < announcement,
        "newest first: the June letters above the April announcement"
    );
    let pages: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("timeline"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert_eq!(
        pages
            .matches("</span> Sessions announces zero tolerance policy</span>")
            .count(),
        1,
        "reported six times, shown once"
    );
}
