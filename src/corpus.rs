//! A deterministic synthetic archive for tests and benchmarks: N articles of
//! 600-1,000 words with headings, quotes, lists, links and some code, 1-4 topics
//! from a pool of 200, 0-8 people from a pool of 2,000 with Zipf-like
//! popularity (some names with diacritics), dates over ten years.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;

/// splitmix64: tiny, seeded and stable across platforms and versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Index in 0..n where index k is picked about 1/(k+1) as often as index 0.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64 + 1.0).powf(u) - 1.0).floor().min(n as f64 - 1.0) as usize
    }
}

const FIRST: &[&str] = &[
    "Maria", "James", "Aisha", "Chen", "José", "Ingrid", "Kwame", "Sofia", "Dmitri", "Lena",
    "Rafael", "Noor", "Zoë", "Björn", "Amara", "Hiroshi", "Élodie", "Tomás", "Priya", "Owen",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Okafor",
    "Lindqvist",
    "Nakamura",
    "Rodríguez",
    "Haddad",
    "Kowalski",
    "Moreau",
    "Brennan",
    "Petrova",
    "Mensah",
    "Schäfer",
    "Castillo",
    "Ibrahim",
    "Novak",
    "Fischer",
    "Gonçalves",
    "Tanaka",
    "Ó Briain",
    "Walsh",
    "Dubois",
    "Kim",
    "Larsen",
    "Costa",
    "Singh",
];
const WORDS: &[&str] = &[
    "council",
    "budget",
    "hearing",
    "policy",
    "court",
    "ruling",
    "election",
    "agency",
    "report",
    "border",
    "health",
    "school",
    "housing",
    "transport",
    "vote",
    "committee",
    "investigation",
    "statement",
    "minister",
    "governor",
    "families",
    "workers",
    "funding",
    "proposal",
    "review",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "on",
    "for",
    "with",
    "after",
    "before",
    "said",
    "would",
    "could",
    "new",
    "public",
    "federal",
    "state",
    "local",
    "officials",
    "residents",
    "plan",
];

/// The `i`th name of the corpus's pool of people (benchmarks build a
/// registry of them).
pub fn person_name(i: usize) -> String {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()];
    match i / (FIRST.len() * LAST.len()) {
        0 => format!("{first} {last}"),
        n => format!("{first} {} {last}", (b'A' + (n % 26) as u8) as char),
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => text,
    }
}

/// Words of running text in a block of Markdown (markers like `-` and `>` are not words).
fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

fn body(rng: &mut Rng, people: &[String]) -> String {
    let mut body = String::new();
    // No block is longer than 60 words, so the article ends between 600 and 1,000.
    let target = 600 + rng.below(340);
    let mut words = 0;
    let mut section = 0;
    while words < target {
        let mut block = String::new();
        match rng.below(12) {
            0 => {
                section += 1;
                let _ = writeln!(block, "## Section {section}: {}\n", sentence(rng, 4));
            }
            1 => {
                let _ = writeln!(block, "> {}\n", sentence(rng, 18));
            }
            2 => {
                for _ in 0..3 {
                    let _ = writeln!(block, "- {}", sentence(rng, 8));
                }
                block.push('\n');
            }
            3 if rng.below(6) == 0 => {
                block.push_str("```rust\nfn main() {\n    println!(\"figures\");\n}\n```\n\n");
            }
            _ => {
                let mut paragraph = sentence(rng, 25);
                if let Some(name) = people.get(rng.below(people.len().max(1))) {
                    let _ = write!(
                        paragraph,
                        " {name} said the [report](https://example.org/r/{words}) was {}",
                        sentence(rng, 6)
                    );
                }
                let _ = writeln!(block, "{paragraph} {}\n", sentence(rng, 20));
            }
        }
        words += count_words(&block);
        body.push_str(&block);
    }
    body
}

/// `count` distinct values from `pick`, in the order first drawn.
fn distinct(count: usize, mut pick: impl FnMut() -> String) -> Vec<String> {
    let mut items: Vec<String> = Vec::with_capacity(count);
    while items.len() < count {
        let item = pick();
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// Writes a site with `articles` articles into `dir` (content/ and site.yaml).
pub fn generate(dir: &Path, articles: usize, seed: u64) -> Result<()> {
    let mut rng = Rng(seed);
    let content = dir.join(crate::load::CONTENT_DIR);
    crate::fs::write_creating_dirs(
        &dir.join("site.yaml"),
        b"title: Synthetic archive\nbase_url: /\n",
    )?;
    let people: Vec<String> = (0..2000).map(person_name).collect();
    for (i, name) in people.iter().enumerate().take(200) {
        let profile = format!(
            "---\nname: {name}\nrole: Official number {i}\naliases: [\"{name} Jr\"]\n---\nA profile of {name}.\n"
        );
        let slug = crate::slug::slugify(name);
        crate::fs::write_creating_dirs(
            &content.join(format!("people/{slug}.md")),
            profile.as_bytes(),
        )?;
    }
    for i in 0..20 {
        let profile =
            format!("---\nname: Topic {i}\ndescription: About topic {i}.\n---\nAn introduction.\n");
        crate::fs::write_creating_dirs(
            &content.join(format!("topics/topic-{i}.md")),
            profile.as_bytes(),
        )?;
    }
    let start = jiff::civil::Date::new(2015, 1, 1).expect("a valid date");
    for n in 0..articles {
        let day = start
            .checked_add(jiff::Span::new().days(rng.below(3650) as i64))
            .unwrap_or(start);
        let topic_count = 1 + rng.below(4);
        let topics = distinct(topic_count, || format!("Topic {}", rng.zipf(200)));
        let people_count = rng.below(9);
        let about = distinct(people_count, || people[rng.zipf(people.len())].clone());
        let title = format!("{} {n}", sentence(&mut rng, 6).trim_end_matches('.'));
        let quote = |items: &[String]| {
            items
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            "---\ntitle: \"{title}\"\ntopics: [{}]\npeople: [{}]\n---\n{}",
            quote(&topics),
            quote(&about),
            body(&mut rng, &about)
        );
        let path = content.join(format!(
            "articles/{:04}/{:02}/{day}-story-{n}.md",
            day.year(),
            day.month()
        ));
        crate::fs::write_creating_dirs(&path, text.as_bytes())?;
    }
    Ok(())
}
