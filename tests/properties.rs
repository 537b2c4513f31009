//! Invariants over generated sites: every article is on each of its topic and
//! person pages, and every output path is unique and inside output/.

mod common;

use std::collections::BTreeSet;

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
        let list = |first: &str| -> String {
            tree.iter()
                .filter(|(path, _)| path.starts_with(first))
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
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
        let paths: BTreeSet<String> = tree.keys().map(|p| p.to_string_lossy().to_lowercase()).collect();
        prop_assert_eq!(paths.len(), tree.len());
        prop_assert!(tree.keys().all(|p| !p.is_absolute() && !p.components().any(|c| c.as_os_str() == "..")));
    }
}
