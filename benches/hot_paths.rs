//! Micro-benchmarks of the hot paths of a build: front matter, Markdown with
//! highlighted code, mention detection, the words of an article for search,
//! and rendering one page of a small site.
//!
//! Run with `cargo bench --bench hot_paths` (add `-- --quick` for a short run).
//! Every input is made here from the synthetic corpus in `newsdigest::corpus`,
//! with a fixed seed, so figures are comparable between runs.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsdigest::config::MentionLinks;
use newsdigest::frontmatter::{self, ArticleMatter};
use newsdigest::highlight::Highlighter;
use newsdigest::markdown::{self, MentionRules, Target};
use newsdigest::mentions::Detector;
use newsdigest::model::EntityId;
use newsdigest::words::Distinct;
use newsdigest::{BuildOptions, Prepared};

/// Seed of the synthetic corpus: change it and every figure moves.
const SEED: u64 = 42;
/// Articles in the site whose page is rendered.
const SITE_ARTICLES: usize = 200;
/// Names in the mention registry.
const REGISTRY_NAMES: usize = 2_000;

/// A front matter with every kind of key an article commonly sets.
const FULL_MATTER: &str = r#"---
title: "Council approves the housing budget after a long hearing"
date: 2023-04-18T09:30:00+02:00
updated: 2023-04-19
summary: "The council voted 7-2 for the plan; the governor's office said it would review the proposal."
dateline: Brussels
authors: [Maria Alvarez, James Okafor]
topics: ["Topic 0", "Topic 3", "Topic 17"]
people: ["Maria Alvarez", "Chen Lindqvist", "José Nakamura", "Aisha Okafor"]
image:
  src: images/council.jpg
  alt: The council chamber during the vote
  credit: Staff photographer
sources:
  - https://example.org/minutes/2023-04-18
  - title: Budget proposal
    url: https://example.org/budget.pdf
    publisher: City council
events:
  - date: 2023-04-18
    title: Council approves the housing budget
    people: [Maria Alvarez]
    topics: Topic 0
  - date: 2023-05
    end: 2023-06
    title: Public review of the plan
    text: Residents may comment on the plan at the town hall.
aliases: [/old/housing-budget/]
extra:
  section: politics
  priority: 2
---
"#;

/// A generated site: its folder (removed on drop) and its article files.
struct Site {
    dir: tempfile::TempDir,
    articles: Vec<PathBuf>,
}

fn site(articles: usize) -> Site {
    let dir = tempfile::tempdir().expect("a temporary folder");
    newsdigest::corpus::generate(dir.path(), articles, SEED).expect("the corpus is written");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir.path().join("content/articles"))
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    Site {
        dir,
        articles: files,
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("an article is readable")
}

fn body_of(text: &str) -> &str {
    frontmatter::split(text)
        .expect("front matter is closed")
        .expect("the article has front matter")
        .body
}

/// The first article whose body has a fenced code block and 700-900 words.
fn typical_article(site: &Site) -> String {
    site.articles
        .iter()
        .map(|path| read(path))
        .find(|text| {
            let body = body_of(text);
            let words = body.split_whitespace().count();
            body.contains("```") && (700..=900).contains(&words)
        })
        .expect("the corpus has an article of ~800 words with code")
}

/// The corpus's own person names (so the articles mention some of them).
fn registry_names(count: usize) -> Vec<String> {
    (0..count).map(newsdigest::corpus::person_name).collect()
}

fn people_detector(names: &[String]) -> Detector {
    Detector::new(
        names
            .iter()
            .enumerate()
            .map(|(id, name)| (name.as_str(), id as EntityId)),
        false,
    )
}

fn bench_frontmatter(c: &mut Criterion, article: &str) {
    let full = format!("{FULL_MATTER}{}", body_of(article));
    let path = Path::new("content/articles/2023/04/2023-04-18-story.md");
    let mut group = c.benchmark_group("frontmatter");
    for (name, text) in [("corpus_article", article), ("full_article", full.as_str())] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("split_parse/{name}"), |b| {
            b.iter(|| {
                let split = frontmatter::split(black_box(text))
                    .expect("front matter is closed")
                    .expect("the article has front matter");
                let parsed = frontmatter::parse::<ArticleMatter>(path, &split);
                black_box(parsed.expect("the front matter is valid"))
            })
        });
    }
    group.finish();
}

fn bench_markdown(c: &mut Criterion, article: &str, detector: &Detector) {
    let body = body_of(article);
    let highlighter = Highlighter;
    // Load the syntax definitions once, as a build does before its first block.
    black_box(highlighter.block("rust", "fn main() {}\n"));
    let no_links = |_: &str| Target::default();
    let topics = Detector::new(std::iter::empty(), true);
    let person_url = |id: EntityId| format!("/people/person-{id}/");
    let rules = MentionRules {
        people: detector,
        topics: &topics,
        person_url: &person_url,
        link: MentionLinks::First,
    };
    let code = "fn main() {\n    let total: u32 = (1..=10).sum();\n    println!(\"figures: {total}\");\n}\n";

    let rendered = markdown::render(body, &highlighter, &no_links, Some(&rules));
    assert!(
        rendered.html.contains("hl-"),
        "the code block is highlighted"
    );
    assert!(
        !rendered.people.is_empty(),
        "the article mentions known people"
    );

    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("render_800_words", |b| {
        b.iter(|| {
            black_box(markdown::render(
                black_box(body),
                &highlighter,
                &no_links,
                None,
            ))
        })
    });
    group.bench_function("render_800_words_with_mentions", |b| {
        b.iter(|| {
            black_box(markdown::render(
                black_box(body),
                &highlighter,
                &no_links,
                Some(&rules),
            ))
        })
    });
    group.throughput(Throughput::Bytes(code.len() as u64));
    group.bench_function("highlight_rust_block", |b| {
        b.iter(|| black_box(highlighter.block("rust", black_box(code))))
    });
    group.finish();
}

fn bench_mentions(c: &mut Criterion, article: &str, names: &[String], detector: &Detector) {
    let body = body_of(article);
    assert!(
        !detector.find(body).is_empty(),
        "the article mentions known people"
    );
    let mut group = c.benchmark_group("mentions");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("find_in_article_2000_names", |b| {
        b.iter(|| black_box(detector.find(black_box(body))))
    });
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("build_detector_2000_names", |b| {
        b.iter(|| black_box(people_detector(black_box(names))))
    });
    group.finish();
}

fn bench_words(c: &mut Criterion, article: &str) {
    let body = body_of(article);
    let found = {
        let mut distinct = Distinct::default();
        distinct.feed(body, false);
        distinct.finish()
    };
    assert!(found.len() > 20, "the article has many distinct words");
    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("distinct_words_800_words", |b| {
        b.iter(|| {
            let mut distinct = Distinct::default();
            distinct.feed(black_box(body), false);
            black_box(distinct.finish())
        })
    });
    group.finish();
}

fn bench_page(c: &mut Criterion, site: &Site) {
    let options = BuildOptions {
        root: site.dir.path().to_path_buf(),
        without_search: true,
        force: false,
        keep_bodies: false,
        then_exit: false,
        ..BuildOptions::default()
    };
    let prepared: Prepared = newsdigest::prepare(&options).expect("the corpus site prepares");
    let index = &prepared.index;
    let article = &index.articles[index.articles.len() / 2];
    let url_path = article.path.as_str();
    let page = newsdigest::render::render_page(index, &prepared.theme, url_path)
        .expect("the page renders")
        .expect("an article page lives at its path");
    assert!(page.contains("</html>"), "a whole page is rendered");

    let mut group = c.benchmark_group("page");
    group.bench_function(
        format!("render_article_page_{SITE_ARTICLES}_articles"),
        |b| {
            b.iter(|| {
                black_box(
                    newsdigest::render::render_page(index, &prepared.theme, black_box(url_path))
                        .expect("the page renders"),
                )
            })
        },
    );
    group.finish();
}

fn hot_paths(c: &mut Criterion) {
    let site = site(SITE_ARTICLES);
    let article = typical_article(&site);
    let names = registry_names(REGISTRY_NAMES);
    let detector = people_detector(&names);
    bench_frontmatter(c, &article);
    bench_markdown(c, &article, &detector);
    bench_mentions(c, &article, &names, &detector);
    bench_words(c, &article);
    bench_page(c, &site);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = hot_paths
}
criterion_main!(benches);
