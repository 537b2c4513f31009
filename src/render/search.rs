//! Search that works on static hosting: an inverted index of every article,
//! split into small JSON files the browser fetches as a query needs them.
//!
//! Under `/search/data/`:
//! - `index.json`: the number of articles, the chunk size of `docs/`, the
//!   word shards that exist, the words left out as too common, and the
//!   topics, people and years to filter by;
//! - `words/<key>.json`: every word whose first two letters give `<key>`,
//!   with the articles that hold it;
//! - `docs/<n>.json`: URL, title, date and summary of articles
//!   `n * DOC_CHUNK ..`;
//! - `filters/{topic,person,year}/<value>.json`: the articles of one topic,
//!   one person (about or mentioning them) or one year.
//!
//! Articles are numbered as the site sorts them, newest first. A posting is
//! `number * 2 + 1` when the word is in the title and `number * 2` otherwise;
//! lists are ascending and written as differences, so they stay short.
//!
//! Words are folded the same way here and in `search.js`: lowercased,
//! decomposed (NFD) with combining marks removed, split on anything that is
//! not a letter or a digit.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::Renderer;
use crate::html::json_bytes;

/// Where the index lives in the site.
pub const SEARCH_DIR: &str = "search/data";
/// Articles per file of `docs/`.
const DOC_CHUNK: usize = 200;
/// Longer "words" are identifiers, hashes or URLs: not indexed.
const MAX_WORD_CHARS: usize = 40;
/// Archives this large leave out words found in more than half the articles.
const COMMON_FROM: usize = 200;

/// One article as the search index sees it.
#[derive(Hash)]
pub(super) struct Record<'a> {
    url: String,
    title: &'a str,
    date: String,
    summary: &'a str,
    /// Identifies the text of the body.
    body: u64,
    topics: Vec<usize>,
    people: Vec<usize>,
    year: i16,
}

/// Identifies an index: same records, entities and version, same files.
pub(super) fn fingerprint(records: &[Record], renderer: &Renderer) -> String {
    let mut hasher = DefaultHasher::new();
    records.hash(&mut hasher);
    for entity in renderer.index.topics.iter().chain(&renderer.index.people) {
        (&entity.slug, &entity.name).hash(&mut hasher);
    }
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Calls `each` with every folded word of `text`. In HTML, tags are skipped
/// and character references separate words.
fn words(text: &str, html: bool, mut each: impl FnMut(&str)) {
    let mut word = String::new();
    let mut folded = String::new();
    let mut flush = |word: &mut String| {
        if !word.is_empty() {
            if word.chars().count() <= MAX_WORD_CHARS {
                fold(word, &mut folded);
                each(&folded);
            }
            word.clear();
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if html && c == '<' {
            flush(&mut word);
            for c in chars.by_ref() {
                if c == '>' {
                    break;
                }
            }
        } else if html && c == '&' {
            flush(&mut word);
            while chars
                .next_if(|c| c.is_ascii_alphanumeric() || *c == '#')
                .is_some()
            {}
            chars.next_if_eq(&';');
        } else if c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c)) {
            word.push(c);
        } else {
            flush(&mut word);
        }
    }
    flush(&mut word);
}

/// `word` lowercased and without diacritics, into `folded`.
fn fold(word: &str, folded: &mut String) {
    folded.clear();
    if word.is_ascii() {
        folded.push_str(word);
        folded.make_ascii_lowercase();
    } else {
        folded.extend(
            word.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// The shard a word belongs to, as a file name: its first two characters,
/// ASCII letters and digits as they are, others as `_` and their hex code.
fn shard_key(word: &str) -> String {
    word.chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect()
}

/// An ascending list of numbers, stored as LEB128 differences while it grows.
#[derive(Default)]
struct Postings {
    last: Option<u32>,
    count: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, value: u32) {
        let mut delta = value - self.last.unwrap_or(0);
        self.last = Some(value);
        self.count += 1;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
    }

    fn deltas(&self) -> Vec<u32> {
        let mut deltas = Vec::with_capacity(self.count as usize);
        let (mut value, mut shift) = (0u32, 0);
        for byte in &self.bytes {
            value |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                deltas.push(value);
                (value, shift) = (0, 0);
            }
        }
        deltas
    }
}

/// Differences between consecutive numbers of an ascending list.
fn deltas(ids: &[usize]) -> Vec<usize> {
    let mut previous = 0;
    ids.iter()
        .map(|id| {
            let delta = id - previous;
            previous = *id;
            delta
        })
        .collect()
}

/// The distinct words of an article, each with whether its title has it.
pub(super) fn article_words(title: &str, body_html: &str) -> Vec<(String, bool)> {
    let mut found: FxHashMap<String, bool> = FxHashMap::default();
    words(title, false, |w| {
        found.insert(w.to_string(), true);
    });
    words(body_html, true, |w| {
        if !found.contains_key(w) {
            found.insert(w.to_string(), false);
        }
    });
    found.into_iter().collect()
}

/// The words of every article, with the articles that hold them, taken as
/// the articles' pages are written.
#[derive(Default)]
pub(super) struct Words {
    postings: FxHashMap<String, Postings>,
}

impl Words {
    /// Adds the words of article `id`; ids come in ascending order.
    pub(super) fn add(&mut self, id: usize, found: Vec<(String, bool)>) {
        let value = (id * 2) as u32;
        for (word, in_title) in found {
            let value = value + u32::from(in_title);
            match self.postings.get_mut(&word) {
                Some(list) => list.push(value),
                None => self.postings.entry(word).or_default().push(value),
            }
        }
    }
}

impl<'a> Renderer<'a> {
    /// Every article as a search record.
    pub(super) fn search_records(&self) -> Vec<Record<'a>> {
        let index = self.index;
        index
            .articles
            .par_iter()
            .enumerate()
            .map(|(id, article)| {
                let mut people: Vec<usize> = article
                    .people
                    .iter()
                    .chain(&index.relations.article_mentions[id])
                    .copied()
                    .collect();
                people.sort_unstable();
                people.dedup();
                Record {
                    url: index.site.url(&article.path),
                    title: &article.title,
                    date: crate::dates::long_date(article.day()),
                    summary: self.summary(id),
                    body: article.body.hash,
                    topics: article.topics.clone(),
                    people,
                    year: article.day().year(),
                }
            })
            .collect()
    }

    /// The search index files for `records`, whose words are in `words`,
    /// as (site path, bytes).
    pub(super) fn search_index(&self, records: &[Record], words: Words) -> Vec<(String, Vec<u8>)> {
        let index = self.index;
        let postings = words.postings;
        let total = records.len();
        let is_common = |list: &Postings| total >= COMMON_FROM && list.count as usize * 2 > total;
        let mut common: Vec<&str> = postings
            .iter()
            .filter(|(_, list)| is_common(list))
            .map(|(word, _)| word.as_str())
            .collect();
        common.sort_unstable();
        let mut shards: BTreeMap<String, Vec<(&str, &Postings)>> = BTreeMap::new();
        for (word, list) in &postings {
            if !is_common(list) {
                shards
                    .entry(shard_key(word))
                    .or_default()
                    .push((word, list));
            }
        }
        let base = format!("/{SEARCH_DIR}");
        let mut files: Vec<(String, Vec<u8>)> = shards
            .par_iter()
            .map(|(key, words)| {
                let words: BTreeMap<&str, Vec<u32>> = words
                    .iter()
                    .map(|(word, list)| (*word, list.deltas()))
                    .collect();
                (
                    format!("{base}/words/{key}.json"),
                    json_bytes(&words, false),
                )
            })
            .collect();

        files.par_extend(records.par_chunks(DOC_CHUNK).enumerate().map(|(n, chunk)| {
            let docs: Vec<[&str; 4]> = chunk
                .iter()
                .map(|r| [r.url.as_str(), r.title, &r.date, r.summary])
                .collect();
            (format!("{base}/docs/{n}.json"), json_bytes(&docs, false))
        }));

        let mut by_topic = vec![Vec::new(); index.topics.len()];
        let mut by_person = vec![Vec::new(); index.people.len()];
        let mut by_year: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
        for (id, record) in records.iter().enumerate() {
            for topic in &record.topics {
                by_topic[*topic].push(id);
            }
            for person in &record.people {
                by_person[*person].push(id);
            }
            by_year.entry(record.year).or_default().push(id);
        }
        let mut filters = |kind: &str, entities: &[crate::model::Entity], ids: &[Vec<usize>]| {
            let mut values = Vec::new();
            for (entity, ids) in entities.iter().zip(ids) {
                if !ids.is_empty() {
                    values.push(json!([entity.slug, entity.name, ids.len()]));
                    files.push((
                        format!("{base}/filters/{kind}/{}.json", entity.slug),
                        json_bytes(&deltas(ids), false),
                    ));
                }
            }
            values
        };
        let topics = filters("topic", &index.topics, &by_topic);
        let people = filters("person", &index.people, &by_person);
        let mut years = Vec::new();
        for (year, ids) in by_year.iter().rev() {
            years.push(json!([year.to_string(), year.to_string(), ids.len()]));
            files.push((
                format!("{base}/filters/year/{year}.json"),
                json_bytes(&deltas(ids), false),
            ));
        }
        let meta = json!({
            "version": 1,
            "articles": total,
            "chunk": DOC_CHUNK,
            "shards": shards.keys().collect::<Vec<_>>(),
            "common": common,
            "filters": { "topic": topics, "person": people, "year": years },
        });
        files.push((format!("{base}/index.json"), json_bytes(&meta, false)));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, html: bool) -> Vec<String> {
        let mut found = Vec::new();
        words(text, html, |w| found.push(w.to_string()));
        found
    }

    #[test]
    fn words_are_folded_and_split_like_the_browser_does() {
        assert_eq!(
            all(
                "<p>Peña &amp; O’Brien met <a href=\"x\">Zoë</a> in 2018.</p>",
                true
            ),
            ["pena", "o", "brien", "met", "zoe", "in", "2018"]
        );
        assert_eq!(all("AT&T", false), ["at", "t"]);
        assert_eq!(all("Schäfer SCHÄFER Schäfer", false), ["schafer"; 3]);
    }

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("pena"), "pe");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("ørsted"), "_f8r");
        assert_eq!(shard_key("../x"), "_2e_2e");
    }

    #[test]
    fn postings_round_trip_as_differences() {
        let mut list = Postings::default();
        for value in [0, 1, 5, 300, 70_000] {
            list.push(value);
        }
        assert_eq!(list.deltas(), [0, 1, 4, 295, 69_700]);
        assert_eq!(deltas(&[3, 4, 10]), [3, 1, 6]);
    }
}
