//! Invariants over generated sites: every article is on each of its topic and
//! person pages, and every output path is unique and inside output/.

mod common;

use common::{hrefs, TestSite};
use proptest::prelude::*;

const TOPICS: &[&str] = &["Immigration", "Courts", "Congress", "Zero tolerance"];
const PEOPLE: &[&str] = &[
    "Jeff Sessions",
    "Dana Sabraw",
    "José Rodríguez",
    "Kirstjen Nielsen",
];

#[derive(Debug, Clone)]
struct ArticleSpec {
    day: u8,
    topics: Vec<usize>,
    people: Vec<usize>,
}

fn article_spec() -> impl Strategy<Value = ArticleSpec> {
    (
        1u8..=28,
        proptest::collection::vec(0..TOPICS.len(), 0..3),
        proptest::collection::vec(0..PEOPLE.len(), 0..3),
    )
        .prop_map(|(day, topics, people)| ArticleSpec {
            day,
            topics,
            people,
        })
}

fn quoted(names: &[&str], ids: &[usize]) -> String {
    ids.iter()
        .map(|i| format!("\"{}\"", names[*i]))
        .collect::<Vec<_>>()
        .join(", ")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_article_is_listed_on_its_topic_and_person_pages(
        articles in proptest::collection::vec(article_spec(), 1..12),
        per_page in 1usize..4,
    ) {
        let site = TestSite::new("");
        site.write("site.yaml", format!("per_page: {{topic: {per_page}, person: {per_page}}}\n").as_bytes());
        for (n, spec) in articles.iter().enumerate() {
            let text = format!(
                "---\ntitle: Story {n}\ntopics: [{}]\npeople: [{}]\n---\nBody {n}.\n",
                quoted(TOPICS, &spec.topics),
                quoted(PEOPLE, &spec.people),
            );
            site.write(&format!("content/articles/2018-05-{:02}-story-{n}.md", spec.day), text.as_bytes());
        }
        site.built();
        let tree = site.tree();
        // All pages of one list, concatenated.
        // The article lists of a topic's or person's pages (page 1, page 2...),
        // not their sidebars or timelines.
        let list = |first: &str| -> String {
            tree.iter()
                .filter(|(path, _)| {
                    let rest = path.strip_prefix(first).ok();
                    rest.is_some_and(|r| r == std::path::Path::new("index.html") || r.starts_with("page"))
                })
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
                .map(|html| {
                    let lists = html.split_once("id=\"articles-heading\"").map_or("", |(_, rest)| rest).to_string();
                    lists.split_once("id=\"mentions-heading\"").map_or(lists.clone(), |(about, _)| about.to_string())
                })
                .collect()
        };
        for (n, spec) in articles.iter().enumerate() {
            let url = format!("/2018/05/{:02}/story-{n}/", spec.day);
            for topic in &spec.topics {
                let slug = newsdigest::slug::slugify(TOPICS[*topic]);
                let links = hrefs(&list(&format!("topics/{slug}")));
                prop_assert!(links.contains(&url), "{url} missing from topic {slug}");
            }
            for person in &spec.people {
                let slug = newsdigest::slug::slugify(PEOPLE[*person]);
                let links = hrefs(&list(&format!("people/{slug}")));
                prop_assert!(links.contains(&url), "{url} missing from person {slug}");
            }
        }
    }

    #[test]
    fn aliases_never_leave_the_output_folder(alias in "\\PC{0,40}", prefix in "(/|\\.\\./|%2e%2e/|//|\\\\)?") {
        let written = format!("{prefix}{alias}");
        if let Some(path) = newsdigest::model::normalize_alias(&written) {
            let file = newsdigest::model::output_file(&path);
            prop_assert!(path.starts_with('/'));
            prop_assert!(file.components().all(|c| matches!(c, std::path::Component::Normal(_))), "{written} -> {file:?}");
        }
    }

    #[test]
    fn slugs_are_safe_path_segments(text in "\\PC*") {
        let slug = newsdigest::slug::slugify(&text);
        let path = newsdigest::model::person_path(&slug);
        let file = newsdigest::model::output_file(&path);
        prop_assert!(file.components().all(|c| matches!(c, std::path::Component::Normal(_))));
        prop_assert_eq!(newsdigest::slug::slugify(&slug), slug.clone(), "slugify is idempotent");
    }

    #[test]
    fn escaped_text_reads_back_the_same_through_a_parser(text in "\\PC*") {
        // Escaped for element content and for a quoted attribute, the text
        // parses back to itself: nothing in it can open or close markup.
        let escaped = newsdigest::html::escape(&text);
        let document = format!("<p title=\"{escaped}\" lang='{escaped}'>{escaped}</p>");
        let parsed = roxmltree::Document::parse(&document);
        prop_assert!(parsed.is_ok(), "{document}: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        let p = parsed.root_element();
        prop_assert_eq!(p.attribute("title"), Some(text.as_str()));
        prop_assert_eq!(p.attribute("lang"), Some(text.as_str()));
        prop_assert_eq!(p.text().unwrap_or(""), text.as_str());
        prop_assert_eq!(p.children().count(), usize::from(!text.is_empty()));
    }
}
