//! Search that works on static hosting: a Pagefind index built from every
//! article (full text, with filters by topic, person and year), split into
//! chunks the browser loads on demand, plus the `/search/` page.

use std::collections::BTreeMap;

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

impl<'a> Renderer<'a> {
    /// The search index files, as (site path, bytes).
    pub(super) fn search_index(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let index = self.index;
        let failed = |e: &dyn std::fmt::Display| {
            Error::Usage(format!("could not build the search index: {e}"))
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| failed(&e))?;
        let language = index
            .site
            .language
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_string();
        let config = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut search = PagefindIndex::new(Some(config)).map_err(|e| failed(&e))?;
        runtime.block_on(async {
            for (id, article) in index.articles.iter().enumerate() {
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
                let filters = BTreeMap::from([
                    ("topic".to_string(), topics),
                    ("person".to_string(), people),
                    ("year".to_string(), vec![article.day().year().to_string()]),
                ]);
                let meta = BTreeMap::from([
                    ("title".to_string(), article.title.clone()),
                    ("date".to_string(), crate::dates::long_date(article.day())),
                    ("summary".to_string(), self.summary(id).to_string()),
                ]);
                let sort = BTreeMap::from([("date".to_string(), article.day().to_string())]);
                let content = format!(
                    "{}\n{}",
                    article.title,
                    plain_text(&index.bodies.articles[id].html)
                );
                search
                    .add_custom_record(
                        article.path.clone(),
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
