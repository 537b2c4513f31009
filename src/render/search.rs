//! Search that works on static hosting: a Pagefind index built from every
//! article (full text, with filters by topic, person and year), split into
//! chunks the browser loads on demand, plus the `/search/` page.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::Renderer;
use crate::error::{Error, Result};

/// Where the index and Pagefind's own scripts live in the site.
pub const SEARCH_DIR: &str = "pagefind";

/// The text of an HTML fragment: tags dropped, the common entities decoded.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One article as the search index sees it.
#[derive(Hash)]
pub(super) struct Record {
    url: String,
    content: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// Identifies an index: same records, language and version, same index files.
pub(super) fn fingerprint(records: &[Record], language: &str) -> String {
    let mut hasher = DefaultHasher::new();
    (records, language, env!("CARGO_PKG_VERSION")).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

impl<'a> Renderer<'a> {
    /// The language the index is built for (ISO 639-1).
    pub(super) fn search_language(&self) -> String {
        let language = &self.index.site.language;
        language
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_string()
    }

    /// Every article as a search record: full text, title, date and summary,
    /// and filters by topic, person and year.
    pub(super) fn search_records(&self) -> Vec<Record> {
        let index = self.index;
        index
            .articles
            .iter()
            .enumerate()
            .map(|(id, article)| {
                let people = article
                    .people
                    .iter()
                    .chain(&index.relations.article_mentions[id])
                    .map(|p| index.people[*p].name.clone())
                    .collect();
                let topics = article
                    .topics
                    .iter()
                    .map(|t| index.topics[*t].name.clone())
                    .collect();
                Record {
                    url: article.path.clone(),
                    content: format!(
                        "{}\n{}",
                        article.title,
                        plain_text(&index.bodies.articles[id].html)
                    ),
                    meta: BTreeMap::from([
                        ("title".to_string(), article.title.clone()),
                        ("date".to_string(), crate::dates::long_date(article.day())),
                        ("summary".to_string(), self.summary(id).to_string()),
                    ]),
                    filters: BTreeMap::from([
                        ("topic".to_string(), topics),
                        ("person".to_string(), people),
                        ("year".to_string(), vec![article.day().year().to_string()]),
                    ]),
                    sort: BTreeMap::from([("date".to_string(), article.day().to_string())]),
                }
            })
            .collect()
    }

    /// The search index files for `records`, as (site path, bytes).
    pub(super) fn search_index(&self, records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>> {
        let failed = |e: &dyn std::fmt::Display| {
            Error::Usage(format!("could not build the search index: {e}"))
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| failed(&e))?;
        let language = self.search_language();
        let config = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut search = PagefindIndex::new(Some(config)).map_err(|e| failed(&e))?;
        runtime.block_on(async {
            for record in records {
                let Record {
                    url,
                    content,
                    meta,
                    filters,
                    sort,
                } = record;
                search
                    .add_custom_record(
                        url,
                        content,
                        language.clone(),
                        Some(meta),
                        Some(filters),
                        Some(sort),
                    )
                    .await
                    .map_err(|e| failed(&e))?;
            }
            let files = search.get_files().await.map_err(|e| failed(&e))?;
            let mut files: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|file| {
                    let name = crate::model::to_url_path(&file.filename);
                    (format!("/{SEARCH_DIR}/{name}"), file.contents)
                })
                .collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(files)
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            super::plain_text("<p>A &amp; <a href=\"x\">B</a></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B"]
        );
    }
}
