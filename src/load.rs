//! Loading: walk `content/`, split and parse every Markdown file into a raw
//! document, list the other files as assets, and collect every error.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, ArticleMatter, PageMatter, ProfileMatter};

pub const CONTENT_DIR: &str = "content";

/// One Markdown file with its front matter parsed, not yet resolved.
#[derive(Debug, Clone)]
pub struct RawDoc<M> {
    /// The file as shown in messages: relative to the site root.
    pub path: PathBuf,
    /// The file relative to `content/`.
    pub content_path: PathBuf,
    pub matter: M,
    /// Where each front matter key is written, for later messages.
    pub key_lines: HashMap<String, usize>,
    /// The Markdown body. Empty for articles: an archive's bodies do not all
    /// fit in memory, so theirs are read again when needed (`stored`).
    pub body: String,
    pub body_line: usize,
    /// Where the body is, to read it again.
    pub stored: StoredBody,
}

/// Where a document's Markdown body is in its file, with a hash of the
/// text, so that it can be read again when it is rendered instead of being
/// held in memory from loading to writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBody {
    /// The file as it is opened.
    pub file: PathBuf,
    /// The byte offset of the body in the file.
    pub offset: usize,
    pub hash: u64,
    /// The body itself, when it is kept after all (the dev server serves
    /// the last good version of a site while its files change).
    pub kept: Option<String>,
}

impl StoredBody {
    fn of(file: &Path, text: &str, body: &str) -> Self {
        StoredBody {
            file: file.to_path_buf(),
            offset: text.len() - body.len(),
            hash: body_hash(body),
            kept: None,
        }
    }

    /// Reads the body again. A file that changed since it was loaded is an
    /// error at `shown`: the site must be built from one version of it.
    pub fn read(&self, shown: &Path) -> Result<String, Diagnostic> {
        if let Some(body) = &self.kept {
            return Ok(body.clone());
        }
        let changed = || {
            Diagnostic::new(
                shown,
                1,
                1,
                "the file changed while the site was being built: build again",
            )
        };
        let bytes = crate::fs::read(&self.file).map_err(|_| changed())?;
        let mut text = String::from_utf8(bytes).map_err(|_| changed())?;
        if !text.is_char_boundary(self.offset) {
            return Err(changed());
        }
        text.drain(..self.offset);
        if body_hash(&text) != self.hash {
            return Err(changed());
        }
        Ok(text)
    }
}

/// A hash of a body's text, to recognise it again.
pub fn body_hash(body: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

impl<M> RawDoc<M> {
    /// A diagnostic at the line of `key`, or at the top of the front matter.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        // `events[2]` falls back to `events` when the list is written inline.
        let parent = key.split('[').next().unwrap_or(key);
        let line = self
            .key_lines
            .get(key)
            .or_else(|| self.key_lines.get(parent))
            .copied()
            .unwrap_or(1);
        Diagnostic::new(&self.path, line, 1, message)
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        self.content_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
    }
}

/// A file under `content/` that is copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    pub content_path: PathBuf,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<RawDoc<ArticleMatter>>,
    pub people: Vec<RawDoc<ProfileMatter>>,
    pub topics: Vec<RawDoc<ProfileMatter>>,
    pub pages: Vec<RawDoc<PageMatter>>,
    pub assets: Vec<Asset>,
    /// Files that could not be read or parsed; the model adds its own errors
    /// to these so one run reports everything.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Person,
    Topic,
    Page,
    Asset,
}

fn classify(content_path: &Path) -> Kind {
    let is_markdown = content_path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let mut components = content_path.components();
    let folder = components.next().and_then(|c| c.as_os_str().to_str());
    let depth = content_path.components().count();
    match (is_markdown, folder, depth) {
        (true, Some("articles"), _) => Kind::Article,
        (true, Some("people"), 2) => Kind::Person,
        (true, Some("topics"), 2) => Kind::Topic,
        (true, Some("pages"), 2) => Kind::Page,
        _ => Kind::Asset,
    }
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}

enum Parsed {
    Article(RawDoc<ArticleMatter>),
    Person(RawDoc<ProfileMatter>),
    Topic(RawDoc<ProfileMatter>),
    Page(RawDoc<PageMatter>),
}

/// How to load a site's content.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// A Markdown file larger than this is an error (an accident, like a
    /// pasted data dump, should not stall the build).
    pub max_file_bytes: u64,
    pub follow_links: bool,
    /// Keep articles' bodies in memory instead of reading them again.
    pub keep_article_bodies: bool,
}

/// Loads everything under `root/content/`. Files with errors are left out and
/// their errors kept in `Loaded::errors`.
pub fn load(root: &Path, options: LoadOptions) -> Result<Loaded> {
    let LoadOptions {
        max_file_bytes,
        follow_links,
        keep_article_bodies,
    } = options;
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "{} has no content/ folder: is --root the site's folder? (`newsdigest init DIR` creates a site)",
            root.display()
        )));
    }
    let mut loaded = Loaded::default();
    let mut markdown = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .follow_links(follow_links)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) if error.loop_ancestor().is_some() => {
                let shown =
                    |p: &Path| Path::new(CONTENT_DIR).join(p.strip_prefix(&content).unwrap_or(p));
                let ancestor = error.loop_ancestor().unwrap_or(&content);
                loaded.errors.push(Diagnostic::new(
                    &shown(error.path().unwrap_or(&content)),
                    1,
                    1,
                    format!(
                        "symbolic link loop: it leads back to {}, which holds it",
                        shown(ancestor).display()
                    ),
                ));
                continue;
            }
            Err(error) => {
                let path = error.path().unwrap_or(&content).to_path_buf();
                return Err(Error::io("read", &path, error.into()));
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let content_path = entry
            .path()
            .strip_prefix(&content)
            .unwrap_or(entry.path())
            .to_path_buf();
        if file_type.is_symlink() {
            loaded.warnings.push(Diagnostic::new(
                &Path::new(CONTENT_DIR).join(&content_path),
                1,
                1,
                "symbolic link not followed: the file is not part of the site (set `follow_links: true` in site.yaml to follow links)",
            ));
            continue;
        }
        match classify(&content_path) {
            Kind::Asset => loaded.assets.push(Asset {
                source: entry.path().to_path_buf(),
                content_path,
            }),
            kind => markdown.push((kind, entry.path().to_path_buf(), content_path)),
        }
    }

    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = markdown
        .par_iter()
        .map(|(kind, source, content_path)| {
            parse_file(
                *kind,
                source,
                content_path,
                max_file_bytes,
                keep_article_bodies,
            )
        })
        .collect();
    for result in results {
        match result {
            Ok(Parsed::Article(doc)) => loaded.articles.push(doc),
            Ok(Parsed::Person(doc)) => loaded.people.push(doc),
            Ok(Parsed::Topic(doc)) => loaded.topics.push(doc),
            Ok(Parsed::Page(doc)) => loaded.pages.push(doc),
            Err(mut errors) => loaded.errors.append(&mut errors),
        }
    }
    Ok(loaded)
}

fn parse_file(
    kind: Kind,
    source: &Path,
    content_path: &Path,
    max_file_bytes: u64,
    keep_article_bodies: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    let shown = Path::new(CONTENT_DIR).join(content_path);
    let size = std::fs::metadata(source).map(|m| m.len()).unwrap_or(0);
    if size > max_file_bytes {
        return Err(vec![Diagnostic::new(
            &shown,
            1,
            1,
            format!(
                "the file is {} KB, more than `limits.max_file_kb` ({} KB) in site.yaml allows",
                size.div_ceil(1024),
                max_file_bytes / 1024
            ),
        )]);
    }
    let bytes =
        crate::fs::read(source).map_err(|e| vec![Diagnostic::new(&shown, 1, 1, e.to_string())])?;
    let text = decode(&shown, bytes).map_err(|d| vec![d])?;
    match kind {
        Kind::Article => parse_doc(&shown, source, content_path, &text, keep_article_bodies).map(
            |mut doc: RawDoc<ArticleMatter>| {
                doc.stored.kept = keep_article_bodies.then(|| std::mem::take(&mut doc.body));
                Parsed::Article(doc)
            },
        ),
        Kind::Person => parse_doc(&shown, source, content_path, &text, true).map(Parsed::Person),
        Kind::Topic => parse_doc(&shown, source, content_path, &text, true).map(Parsed::Topic),
        Kind::Page => parse_doc(&shown, source, content_path, &text, true).map(Parsed::Page),
        Kind::Asset => unreachable!("assets are not parsed"),
    }
}

/// UTF-8 only; the error names the line and byte offset of the first bad byte.
fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = offset
            - before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        Diagnostic::new(
            shown,
            line,
            column,
            format!("not valid UTF-8 (byte offset {offset}): save the file as UTF-8"),
        )
    })
}

/// Parses one decoded file. `keep_body` keeps the body in memory (profiles
/// and pages); otherwise only its place is kept.
fn parse_doc<M: DeserializeOwned>(
    shown: &Path,
    file: &Path,
    content_path: &Path,
    text: &str,
    keep_body: bool,
) -> Result<RawDoc<M>, Vec<Diagnostic>> {
    let split = frontmatter::split(text)
        .map_err(|(line, message)| vec![Diagnostic::new(shown, line, 1, message)])?
        .ok_or_else(|| {
            let message = if text.trim().is_empty() {
                "the file is empty: it needs front matter between `---` lines, with at least a title"
            } else {
                "no front matter: the file must start with a `---` line, then `title: ...`, then `---`"
            };
            vec![Diagnostic::new(shown, 1, 1, message)]
        })?;
    let (matter, _) = frontmatter::parse::<M>(shown, &split)?;
    Ok(RawDoc {
        path: shown.to_path_buf(),
        content_path: content_path.to_path_buf(),
        matter,
        key_lines: frontmatter::key_positions(split.yaml, split.yaml_line),
        body: if keep_body {
            split.body.to_string()
        } else {
            String::new()
        },
        body_line: split.body_line,
        stored: StoredBody::of(file, text, split.body),
    })
}

/// True when `path` is made only of plain names (no `..`, no root).
pub fn is_plain_relative(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_classified_by_folder() {
        assert_eq!(classify(Path::new("articles/2018/06/a.md")), Kind::Article);
        assert_eq!(classify(Path::new("people/jeff-sessions.md")), Kind::Person);
        assert_eq!(classify(Path::new("people/old/x.md")), Kind::Asset);
        assert_eq!(
            classify(Path::new("topics/immigration.markdown")),
            Kind::Topic
        );
        assert_eq!(classify(Path::new("pages/about.md")), Kind::Page);
        assert_eq!(classify(Path::new("articles/2018/photo.jpg")), Kind::Asset);
        assert_eq!(classify(Path::new("notes.md")), Kind::Asset);
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let error = decode(Path::new("a.md"), b"---\ntitle: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a.md:2:11: not valid UTF-8 (byte offset 14): save the file as UTF-8"
        );
    }

    #[test]
    fn bodies_are_read_again_only_while_their_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let text = "---\ntitle: A\n---\nThe body.\n";
        std::fs::write(&file, text).unwrap();
        let mut stored = StoredBody::of(&file, text, "The body.\n");
        let shown = Path::new("content/articles/a.md");
        assert_eq!(stored.read(shown).unwrap(), "The body.\n");

        std::fs::write(&file, "---\ntitle: A\n---\nThe body, edited.\n").unwrap();
        assert_eq!(
            stored.read(shown).unwrap_err().to_string(),
            "content/articles/a.md:1:1: the file changed while the site was being built: build again"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(stored.read(shown).is_err());

        stored.kept = Some("The body.\n".to_string());
        assert_eq!(
            stored.read(shown).unwrap(),
            "The body.\n",
            "kept bodies are not read"
        );
    }
}
