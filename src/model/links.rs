//! Links between content files: a link to a Markdown file or an image that
//! does not exist is an error; an `#anchor` that no heading has is a warning.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Article, Bodies, Page};
use crate::error::Diagnostic;
use crate::load::CONTENT_DIR;
use crate::markdown::{LinkUse, Rendered};

/// A rendered document with what is needed to locate its links.
pub struct Document<'a> {
    pub source: &'a Path,
    pub body_line: usize,
    pub rendered: &'a Rendered,
}

/// The articles and pages with their rendered Markdown.
pub fn documents<'a>(
    articles: &'a [Article],
    pages: &'a [Page],
    bodies: &'a Bodies,
) -> Vec<Document<'a>> {
    let articles = articles
        .iter()
        .zip(&bodies.articles)
        .map(|(a, rendered)| Document {
            source: &a.source,
            body_line: a.body_line,
            rendered,
        });
    let pages = pages
        .iter()
        .zip(&bodies.pages)
        .map(|(p, rendered)| Document {
            source: &p.source,
            body_line: p.body_line,
            rendered,
        });
    articles.chain(pages).collect()
}

impl Document<'_> {
    /// A diagnostic at the link's line and column in the source file.
    pub fn at(&self, link: &LinkUse, message: String) -> Diagnostic {
        Diagnostic::new(
            self.source,
            self.body_line + link.line,
            link.column,
            message,
        )
    }

    fn folder(&self) -> PathBuf {
        self.source.parent().unwrap_or(Path::new("")).to_path_buf()
    }
}

/// Links and images naming a file that is not there.
pub fn missing_files(documents: &[Document]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for document in documents {
        for link in document
            .rendered
            .links
            .iter()
            .filter(|l| l.is_missing_file())
        {
            let path = link.written.split(['#', '?']).next().unwrap_or_default();
            let looked = document.folder().join(path);
            let kind = if link.image { "image" } else { "link" };
            diagnostics.push(document.at(
                link,
                format!(
                    "{kind} to `{}`: no such file (looked for {})",
                    link.written,
                    looked.display()
                ),
            ));
        }
    }
    diagnostics
}

/// `#anchors`, in the same document or another content file, that no heading has.
pub fn missing_anchors(documents: &[Document]) -> Vec<Diagnostic> {
    let by_source: HashMap<&Path, &Document> = documents.iter().map(|d| (d.source, d)).collect();
    let mut warnings = Vec::new();
    for document in documents {
        for link in &document.rendered.links {
            let Some(fragment) = link.fragment() else {
                continue;
            };
            let file = link.written.split(['#', '?']).next().unwrap_or_default();
            let target = if file.is_empty() {
                Some(document)
            } else if link.written.contains(':') || link.written.starts_with('/') {
                None
            } else {
                normalize(&document.folder().join(file))
                    .and_then(|path| by_source.get(path.as_path()).copied())
            };
            let Some(target) = target else { continue };
            if !target.rendered.ids.iter().any(|id| id == fragment) {
                warnings.push(document.at(
                    link,
                    format!(
                        "link to `{}`: {} has no heading with the id `{fragment}`",
                        link.written,
                        target.source.display()
                    ),
                ));
            }
        }
    }
    warnings
}

/// `content/a/../b.md` -> `content/b.md`; None when it leaves content/.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                if !normal.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal.starts_with(CONTENT_DIR).then_some(normal)
}
