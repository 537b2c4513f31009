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
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::json;

use super::Renderer;
use crate::error::Result;
use crate::html::json_bytes;
use crate::words::{Postings, Words};

/// Where the index lives in the site.
pub const SEARCH_DIR: &str = "search/data";
/// Articles per file of `docs/`.
const DOC_CHUNK: usize = 200;
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

    /// Writes the search index files for `records`, whose words are in
    /// `words`, with `write` (site path, bytes): each as it is made, in
    /// parallel, so that the index is never held whole. Returns how many
    /// files it wrote.
    pub(super) fn write_search_index(
        &self,
        records: &[Record],
        words: &Words,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<usize> {
        let written = AtomicUsize::new(0);
        let write = |path: &str, bytes: &[u8]| {
            write(path, bytes)?;
            written.fetch_add(1, Ordering::Relaxed);
            Ok::<(), crate::error::Error>(())
        };
        let index = self.index;
        let postings = &words.postings;
        let total = records.len();
        let is_common = |list: &Postings| total >= COMMON_FROM && list.count as usize * 2 > total;
        let mut common: Vec<&str> = postings
            .iter()
            .filter(|(_, list)| is_common(list))
            .map(|(word, _)| word.as_str())
            .collect();
        common.sort_unstable();
        let mut shards: BTreeMap<String, Vec<(&str, &Postings)>> = BTreeMap::new();
        for (word, list) in postings {
            if !is_common(list) {
                shards
                    .entry(shard_key(word))
                    .or_default()
                    .push((word, list));
            }
        }
        let base = format!("/{SEARCH_DIR}");
        shards.par_iter().try_for_each(|(key, words)| {
            let words: BTreeMap<&str, Vec<u32>> = words
                .iter()
                .map(|(word, list)| (*word, list.deltas()))
                .collect();
            write(
                &format!("{base}/words/{key}.json"),
                &json_bytes(&words, false),
            )
        })?;
        records
            .par_chunks(DOC_CHUNK)
            .enumerate()
            .try_for_each(|(n, chunk)| {
                let docs: Vec<[&str; 4]> = chunk
                    .iter()
                    .map(|r| [r.url.as_str(), r.title, &r.date, r.summary])
                    .collect();
                write(&format!("{base}/docs/{n}.json"), &json_bytes(&docs, false))
            })?;

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
        // Each filter's articles, by the file that lists them.
        let mut lists: Vec<(String, &[usize])> = Vec::new();
        let [topics, people] = [
            ("topic", &index.topics, &by_topic),
            ("person", &index.people, &by_person),
        ]
        .map(|(kind, entities, ids)| {
            let mut values = Vec::new();
            for (entity, ids) in entities.iter().zip(ids) {
                if !ids.is_empty() {
                    values.push(json!([entity.slug, entity.name, ids.len()]));
                    lists.push((format!("{base}/filters/{kind}/{}.json", entity.slug), ids));
                }
            }
            values
        });
        let mut years = Vec::new();
        for (year, ids) in by_year.iter().rev() {
            years.push(json!([year.to_string(), year.to_string(), ids.len()]));
            lists.push((format!("{base}/filters/year/{year}.json"), ids));
        }
        lists
            .par_iter()
            .try_for_each(|(path, ids)| write(path, &json_bytes(&deltas(ids), false)))?;
        let meta = json!({
            "version": 1,
            "articles": total,
            "chunk": DOC_CHUNK,
            "shards": shards.keys().collect::<Vec<_>>(),
            "common": common,
            "filters": { "topic": topics, "person": people, "year": years },
        });
        write(&format!("{base}/index.json"), &json_bytes(&meta, false))?;
        Ok(written.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("pena"), "pe");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("ørsted"), "_f8r");
        assert_eq!(shard_key("../x"), "_2e_2e");
    }

    #[test]
    fn filters_are_written_as_differences() {
        assert_eq!(deltas(&[3, 4, 10]), [3, 1, 6]);
    }
}
