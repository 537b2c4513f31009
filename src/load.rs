//! Loading: walk `content/` (and the articles and static folders site.yaml
//! names elsewhere), split and parse every Markdown file into a raw document,
//! list the other files as assets, and collect every error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::config::{Site, ARTICLES_DIR};
use crate::dialect::template_tags::{self, StrippedTags};
use crate::dialect::{Dialect, Preset, TemplateTags};
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, ArticleMatter, PageMatter, ProfileMatter, Split};

pub const CONTENT_DIR: &str = "content";

/// One Markdown file with its front matter parsed, not yet resolved.
#[derive(Debug, Clone)]
pub struct RawDoc<M> {
    /// The file as shown in messages: relative to the site root.
    pub path: PathBuf,
    /// The file relative to `content/`; for an articles folder outside
    /// content/, relative to the site's folder.
    pub content_path: PathBuf,
    /// The name that gives the slug (and maybe the date): the file's name
    /// without its extension, or for `index.md` in a folder of its own (a page
    /// bundle), the folder's name.
    pub name: String,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    xxhash_rust::xxh3::xxh3_64(body.as_bytes())
}

impl<M> RawDoc<M> {
    /// A diagnostic at the line of `key`, or at the top of the front matter.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.path, self.line_of(key).unwrap_or(1), 1, message)
    }

    /// The line of `key` in the front matter, if it is there.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        // `events[2]` falls back to `events` when the list is written inline.
        let parent = key.split('[').next().unwrap_or(key);
        self.key_lines
            .get(key)
            .or_else(|| self.key_lines.get(parent))
            .copied()
    }

    /// The file name without its extension (a bundle's folder name).
    pub fn stem(&self) -> &str {
        &self.name
    }
}

/// A file that is copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Its path in the site (relative to `content/`, or as a static
    /// folder places it).
    pub content_path: PathBuf,
    /// The file as shown in messages: relative to the site root.
    pub path: PathBuf,
    /// Its width and height, when it is an image.
    pub size: Option<ImageSize>,
}

/// An image's width and height in pixels, as its file's header gives them:
/// written on `<img>`, so that browsers keep the image's space before it
/// loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl ImageSize {
    /// The size of the image at `path`, when its name says it is a JPEG,
    /// PNG, GIF, WebP or AVIF file and its header gives one. Only the header
    /// is read.
    pub fn of(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        if !matches!(
            extension.as_str(),
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif"
        ) {
            return None;
        }
        let size = imagesize::size(path).ok()?;
        let size = ImageSize {
            width: u32::try_from(size.width).ok()?,
            height: u32::try_from(size.height).ok()?,
        };
        (size.width > 0 && size.height > 0).then_some(size)
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    /// Boxed: an archive has many, and they are moved from list to list.
    pub articles: Vec<Box<RawDoc<ArticleMatter>>>,
    pub people: Vec<RawDoc<ProfileMatter>>,
    pub topics: Vec<RawDoc<ProfileMatter>>,
    pub pages: Vec<RawDoc<PageMatter>>,
    pub assets: Vec<Asset>,
    /// Files that could not be read or parsed; the model adds its own errors
    /// to these so one run reports everything.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Template tags removed from article bodies (`front_matter.template_tags: strip`).
    pub stripped: StrippedTags,
    /// The hash of each Markdown file parsed (`inputs::hash_read`; None
    /// where none could be taken), by its path as walked: the build's input
    /// fingerprint takes them from here.
    pub read: HashMap<PathBuf, Option<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Person,
    Topic,
    Page,
    Asset,
}

/// What a file under content/ is; `articles` is the articles folder relative
/// to content/, when it is inside.
fn classify(content_path: &Path, articles: Option<&Path>) -> Kind {
    let is_markdown = is_markdown(content_path);
    let mut components = content_path.components();
    let folder = components.next().and_then(|c| c.as_os_str().to_str());
    let depth = content_path.components().count();
    match (is_markdown, folder, depth) {
        (true, Some("people"), 2) => Kind::Person,
        (true, Some("topics"), 2) => Kind::Topic,
        (true, Some("pages"), 2) => Kind::Page,
        (true, _, _) if articles.is_some_and(|a| content_path.starts_with(a)) => Kind::Article,
        _ => Kind::Asset,
    }
}

pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}

/// An article's name: its file stem, or for `index.md` below the articles
/// folder's top, its folder's name (a Hugo page bundle).
pub(crate) fn article_name(within_articles: &Path) -> String {
    let stem = within_articles
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if !stem.eq_ignore_ascii_case("index") {
        return stem.to_string();
    }
    within_articles
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or(stem)
        .to_string()
}

/// One Markdown file to parse.
struct Pending {
    kind: Kind,
    source: PathBuf,
    content_path: PathBuf,
    shown: PathBuf,
    name: String,
}

enum Parsed {
    Article(Box<RawDoc<ArticleMatter>>, ArticleNotes),
    Person(RawDoc<ProfileMatter>),
    Topic(RawDoc<ProfileMatter>),
    Page(RawDoc<PageMatter>),
}

/// A file parsed, with the hash of the bytes read (`inputs::hash_read`).
type ParsedFile = (Parsed, Option<u64>);

/// Front matter keys no field takes, with their lines.
type UnknownKeys = Vec<(String, usize)>;

/// What reading an article under a dialect noticed.
#[derive(Default)]
struct ArticleNotes {
    /// For `front_matter.unknown: warn`.
    unknown: UnknownKeys,
    /// Template tags removed from the body.
    stripped: usize,
}

/// What a walked file becomes.
enum Place {
    Markdown(Kind, PathBuf, String),
    Asset(PathBuf),
    Skip,
}

/// How to load a site's content, besides what site.yaml says.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep articles' bodies in memory instead of reading them again.
    pub keep_article_bodies: bool,
}

/// Loads the site's content: everything under `root/content/`, the articles
/// folder and the static folders site.yaml names. Files with errors are left
/// out and their errors kept in `Loaded::errors`.
/// A Markdown file larger than `site.max_file_bytes` is an error (an accident,
/// like a pasted data dump, should not stall the build).
pub fn load(root: &Path, site: &Site, options: LoadOptions) -> Result<Loaded> {
    let LoadOptions {
        keep_article_bodies,
    } = options;
    let content = root.join(CONTENT_DIR);
    let articles_in_content = site.articles_dir.starts_with(CONTENT_DIR);
    if articles_in_content && !content.is_dir() {
        return Err(Error::Usage(format!(
            "{} has no content/ folder: is --root the site's folder? (`newsdigest init DIR` creates a site)",
            root.display()
        )));
    }
    if site.articles_dir != Path::new(ARTICLES_DIR) && !root.join(&site.articles_dir).is_dir() {
        return Err(Error::Usage(format!(
            "the articles folder {} does not exist: set `content.articles` in {} to the folder that holds the posts",
            root.join(&site.articles_dir).display(),
            root.join(crate::config::CONFIG_FILE).display()
        )));
    }
    let mut loaded = Loaded::default();
    let mut pending = Vec::new();
    let skip_section_pages = site
        .dialect
        .as_ref()
        .is_some_and(|d| d.preset == Some(Preset::Hugo));
    // Data the archive's generator reads (Eleventy's data files) is not
    // published.
    let preset = site.dialect.as_ref().and_then(|d| d.preset);
    let is_data = |file: &Path| preset.is_some_and(|p| p.is_data_file(file));
    // Hugo's section pages (`_index.md`) hold a list's title, not a post.
    let section_page = |path: &Path| {
        skip_section_pages
            && path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("_index."))
    };
    // A Markdown file in the articles folder (`within` it).
    let article_place = |within: &Path, content_path: PathBuf| {
        if section_page(within) {
            return Place::Skip;
        }
        Place::Markdown(Kind::Article, content_path, article_name(within))
    };
    // Markdown under content/ that is no article, profile or page.
    let mut stray = Vec::new();
    if content.is_dir() {
        let articles = site
            .articles_dir
            .strip_prefix(CONTENT_DIR)
            .ok()
            .map(Path::to_path_buf);
        walk(
            &content,
            Path::new(CONTENT_DIR),
            site.follow_links,
            &mut loaded,
            &mut pending,
            |content_path| match classify(content_path, articles.as_deref()) {
                _ if is_markdown(content_path) && section_page(content_path) => Place::Skip,
                Kind::Asset
                    if articles
                        .as_deref()
                        .is_some_and(|a| content_path.starts_with(a))
                        && is_data(&content.join(content_path)) =>
                {
                    Place::Skip
                }
                Kind::Asset => {
                    if is_markdown(content_path) {
                        stray.push(content_path.to_path_buf());
                    }
                    Place::Asset(content_path.to_path_buf())
                }
                Kind::Article => {
                    let within = articles
                        .as_deref()
                        .and_then(|a| content_path.strip_prefix(a).ok())
                        .unwrap_or(content_path);
                    article_place(within, content_path.to_path_buf())
                }
                kind => Place::Markdown(
                    kind,
                    content_path.to_path_buf(),
                    content_path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or_default()
                        .to_string(),
                ),
            },
        )?;
    }
    for content_path in stray {
        let articles = site.articles_dir.display().to_string().replace('\\', "/");
        loaded.warnings.push(Diagnostic::new(
            &Path::new(CONTENT_DIR).join(&content_path),
            1,
            1,
            format!(
                "this Markdown file is not an article, a profile or a page, so it is published as it is, at /{}: articles go anywhere under {articles}/, profiles and pages directly in content/people/, content/topics/ or content/pages/; keep drafts and notes outside content/",
                content_path.display().to_string().replace('\\', "/")
            ),
        ));
    }
    if !articles_in_content {
        let folder = &site.articles_dir;
        walk(
            &root.join(folder),
            folder,
            site.follow_links,
            &mut loaded,
            &mut pending,
            |within| match is_markdown(within) {
                true => article_place(within, folder.join(within)),
                false if is_data(&root.join(folder).join(within)) => Place::Skip,
                false => Place::Asset(folder.join(within)),
            },
        )?;
    }
    for static_folder in &site.static_folders {
        let source = root.join(&static_folder.folder);
        if !source.is_dir() {
            return Err(Error::Usage(format!(
                "the static folder {} named in site.yaml's `content.static` does not exist",
                source.display()
            )));
        }
        walk(
            &source,
            &static_folder.folder,
            site.follow_links,
            &mut loaded,
            &mut pending,
            |within| Place::Asset(static_folder.at.join(within)),
        )?;
    }

    let posts = match site.template_tags {
        TemplateTags::Strip => PostNames::of(
            pending
                .iter()
                .filter(|p| p.kind == Kind::Article)
                .map(|p| (p.name.as_str(), p.shown.as_path())),
        ),
        TemplateTags::Keep => PostNames::default(),
    };
    let parse = || -> Vec<Result<ParsedFile, Vec<Diagnostic>>> {
        pending
            .par_iter()
            .map(|file| parse_file(file, site, &posts, keep_article_bodies))
            .collect()
    };
    let measure = |assets: &mut Vec<Asset>| {
        assets
            .par_iter_mut()
            .for_each(|asset| asset.size = ImageSize::of(&asset.source))
    };
    let (results, ()) = rayon::join(parse, || measure(&mut loaded.assets));
    // Room for every document at once: growing the lists of these large
    // values copied them again and again.
    let count = |kind: Kind| pending.iter().filter(|p| p.kind == kind).count();
    loaded.articles.reserve(count(Kind::Article));
    loaded.people.reserve(count(Kind::Person));
    loaded.topics.reserve(count(Kind::Topic));
    loaded.pages.reserve(count(Kind::Page));
    loaded.read.reserve(pending.len());
    // Keys no field takes: (files, first file, its line), for one warning each.
    let mut unknown: BTreeMap<String, (usize, PathBuf, usize)> = BTreeMap::new();
    for (file, result) in pending.into_iter().zip(results) {
        let result = result.map(|(parsed, hash)| {
            loaded.read.insert(file.source, hash);
            parsed
        });
        match result {
            Ok(Parsed::Article(doc, notes)) => {
                for (key, line) in notes.unknown {
                    unknown
                        .entry(key)
                        .or_insert_with(|| (0, doc.path.clone(), line))
                        .0 += 1;
                }
                loaded.stripped.add(notes.stripped);
                loaded.articles.push(doc);
            }
            Ok(Parsed::Person(doc)) => loaded.people.push(doc),
            Ok(Parsed::Topic(doc)) => loaded.topics.push(doc),
            Ok(Parsed::Page(doc)) => loaded.pages.push(doc),
            Err(mut errors) => loaded.errors.append(&mut errors),
        }
    }
    for (key, (files, path, line)) in unknown {
        let many = match files {
            1 => String::new(),
            n => format!(
                " (in {} articles; this is the first)",
                crate::dialect::thousands(n)
            ),
        };
        loaded.warnings.push(Diagnostic::new(
            &path,
            line,
            1,
            format!("unknown key `{key}` kept under `extra`{many}: map it in site.yaml's `front_matter.fields` to use it"),
        ));
    }
    Ok(loaded)
}

/// Walks `dir` (shown in messages as `shown_dir`), sorted by name, leaving
/// out ignored names and reporting symbolic links; `place` says what each
/// file (given relative to `dir`) is.
fn walk(
    dir: &Path,
    shown_dir: &Path,
    follow_links: bool,
    loaded: &mut Loaded,
    pending: &mut Vec<Pending>,
    mut place: impl FnMut(&Path) -> Place,
) -> Result<()> {
    let shown = |p: &Path| shown_dir.join(p.strip_prefix(dir).unwrap_or(p));
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(follow_links)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) if error.loop_ancestor().is_some() => {
                let ancestor = error.loop_ancestor().unwrap_or(dir);
                loaded.errors.push(Diagnostic::new(
                    &shown(error.path().unwrap_or(dir)),
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
                let path = error.path().unwrap_or(dir).to_path_buf();
                return Err(Error::io("read", &path, error.into()));
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let within = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if file_type.is_symlink() {
            loaded.warnings.push(Diagnostic::new(
                &shown(entry.path()),
                1,
                1,
                "symbolic link not followed: the file is not part of the site (set `follow_links: true` in site.yaml to follow links)",
            ));
            continue;
        }
        match place(within) {
            Place::Skip => {}
            Place::Asset(content_path) => loaded.assets.push(Asset {
                source: entry.path().to_path_buf(),
                content_path,
                path: shown_dir.join(within),
                size: None,
            }),
            Place::Markdown(kind, content_path, name) => pending.push(Pending {
                kind,
                source: entry.path().to_path_buf(),
                content_path,
                shown: shown_dir.join(within),
                name,
            }),
        }
    }
    Ok(())
}

/// Articles by name (file stem, or bundle folder), for link tags to find.
#[derive(Default)]
pub(crate) struct PostNames<'a>(HashMap<&'a str, Vec<&'a Path>>);

impl<'a> PostNames<'a> {
    pub(crate) fn of(posts: impl Iterator<Item = (&'a str, &'a Path)>) -> Self {
        let mut names: HashMap<&str, Vec<&Path>> = HashMap::new();
        for (name, path) in posts {
            names.entry(name).or_default().push(path);
        }
        PostNames(names)
    }

    /// The relative path from `from` to the one post a link tag names.
    pub(crate) fn link(&self, from: &Path, argument: &str) -> Option<String> {
        let (name, fragment) = template_tags::linked_name(argument);
        match self.0.get(name).map(Vec::as_slice) {
            Some([to]) => Some(format!(
                "{}{fragment}",
                template_tags::relative_path(from, to)
            )),
            _ => None,
        }
    }
}

/// Reads one Markdown file, with the hash of the bytes read. An article's
/// body is kept in memory only with `keep_article_bodies` (or when stripping
/// template tags changed it); otherwise its place in the file is kept, to
/// read it again.
fn parse_file(
    file: &Pending,
    site: &Site,
    posts: &PostNames,
    keep_article_bodies: bool,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    let Pending { source, shown, .. } = file;
    let shown = shown.as_path();
    let max_file_bytes = site.max_file_bytes;
    let metadata = std::fs::metadata(source).ok();
    let size = metadata.as_ref().map_or(0, |m| m.len());
    if size > max_file_bytes {
        return Err(vec![Diagnostic::new(
            shown,
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
        crate::fs::read(source).map_err(|e| vec![Diagnostic::new(shown, 1, 1, e.to_string())])?;
    let hash = metadata.and_then(|m| crate::inputs::hash_read(&bytes, &m));
    let text = decode(shown, bytes).map_err(|d| vec![d])?;
    parse_text(file, &text, site, posts, keep_article_bodies).map(|parsed| (parsed, hash))
}

/// Parses one Markdown file's text (see `parse_file`).
fn parse_text(
    file: &Pending,
    text: &str,
    site: &Site,
    posts: &PostNames,
    keep_article_bodies: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    let Pending {
        kind,
        source,
        content_path,
        shown,
        name,
    } = file;
    let shown = shown.as_path();
    let at = Located {
        shown,
        content_path,
        name,
    };
    match kind {
        Kind::Article => {
            let (mut doc, unknown) = at.parse_doc(text, source, site.dialect.as_ref(), false)?;
            let mut notes = ArticleNotes {
                unknown,
                stripped: 0,
            };
            let body = text.get(doc.stored.offset..).unwrap_or_default();
            let stripped = match site.template_tags {
                TemplateTags::Strip => {
                    template_tags::strip(body, &|argument| posts.link(shown, argument))
                }
                TemplateTags::Keep => None,
            };
            match stripped {
                // A body with its tags stripped is not what its file holds:
                // it is kept rather than read again.
                Some((stripped, count)) => {
                    notes.stripped = count;
                    doc.stored.hash = body_hash(&stripped);
                    doc.stored.kept = Some(stripped);
                }
                None => doc.stored.kept = keep_article_bodies.then(|| body.to_string()),
            }
            Ok(Parsed::Article(Box::new(doc), notes))
        }
        Kind::Person => at
            .parse_doc(text, source, None, true)
            .map(|(doc, _)| Parsed::Person(doc)),
        Kind::Topic => at
            .parse_doc(text, source, None, true)
            .map(|(doc, _)| Parsed::Topic(doc)),
        Kind::Page => at
            .parse_doc(text, source, None, true)
            .map(|(doc, _)| Parsed::Page(doc)),
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

/// Where a document is, for reading it.
struct Located<'a> {
    shown: &'a Path,
    content_path: &'a Path,
    name: &'a str,
}

/// A front matter block and its language.
enum Block<'a> {
    Yaml(Split<'a>),
    Toml(Split<'a>),
}

impl Located<'_> {
    /// Reads a document. Under a dialect (articles only), its keys are first
    /// mapped to ours; the keys no field takes are returned with their lines.
    /// `file` is the file as it is opened, to read the body again; `keep_body`
    /// holds the body in memory too (profiles and pages).
    fn parse_doc<M: DeserializeOwned>(
        &self,
        text: &str,
        file: &Path,
        dialect: Option<&Dialect>,
        keep_body: bool,
    ) -> Result<(RawDoc<M>, UnknownKeys), Vec<Diagnostic>> {
        let shown = self.shown;
        let block = self.split(text)?;
        let (split, mapping, positions) = match block {
            Block::Yaml(split) => {
                let mapping = frontmatter::read_mapping(shown, &split)?;
                let positions = frontmatter::key_positions(split.yaml, split.yaml_line);
                (split, mapping, positions)
            }
            Block::Toml(split) => {
                let mapping = crate::toml_matter::read_mapping(shown, &split)?;
                let positions = crate::toml_matter::key_positions(split.yaml, split.yaml_line);
                (split, mapping, positions)
            }
        };
        let (matter, key_lines, unknown) = match dialect {
            None => {
                let (matter, _) =
                    frontmatter::deserialize::<M>(shown, mapping, split.yaml_line, || {
                        positions.clone()
                    })?;
                (matter, positions, Vec::new())
            }
            Some(dialect) => {
                let (mapped, mut errors) =
                    dialect.map(shown, mapping, &positions, split.yaml_line, self.name);
                let read = frontmatter::deserialize::<M>(
                    shown,
                    mapped.mapping.clone(),
                    split.yaml_line,
                    || mapped.lines.clone(),
                );
                match read {
                    Ok((matter, _)) if errors.is_empty() => (matter, mapped.lines, mapped.unknown),
                    Ok(_) => return Err(errors),
                    Err(more) => {
                        errors.extend(more.into_iter().map(|d| mapped.reword(d)));
                        return Err(errors);
                    }
                }
            }
        };
        let doc = RawDoc {
            path: shown.to_path_buf(),
            content_path: self.content_path.to_path_buf(),
            name: self.name.to_string(),
            matter,
            key_lines,
            body: if keep_body {
                split.body.to_string()
            } else {
                String::new()
            },
            body_line: split.body_line,
            stored: StoredBody::of(file, text, split.body),
        };
        Ok((doc, unknown))
    }

    /// The front matter block: YAML between `---` lines, or TOML between `+++`.
    fn split<'t>(&self, text: &'t str) -> Result<Block<'t>, Vec<Diagnostic>> {
        let located =
            |(line, message): (usize, String)| vec![Diagnostic::new(self.shown, line, 1, message)];
        if let Some(split) = frontmatter::split(text).map_err(located)? {
            return Ok(Block::Yaml(split));
        }
        if let Some(split) = crate::toml_matter::split(text).map_err(located)? {
            return Ok(Block::Toml(split));
        }
        let message = if text.trim().is_empty() {
            "the file is empty: it needs front matter between `---` lines, with at least a title"
        } else if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            "JSON front matter is not read: write it as YAML between `---` lines (or TOML between `+++` lines)"
        } else {
            "no front matter: the file must start with a `---` line, then `title: ...`, then `---`"
        };
        Err(vec![Diagnostic::new(self.shown, 1, 1, message)])
    }
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
        let classify = |path: &str| classify(Path::new(path), Some(Path::new("articles")));
        assert_eq!(classify("articles/2018/06/a.md"), Kind::Article);
        assert_eq!(classify("people/jeff-sessions.md"), Kind::Person);
        assert_eq!(classify("people/old/x.md"), Kind::Asset);
        assert_eq!(classify("topics/immigration.markdown"), Kind::Topic);
        assert_eq!(classify("pages/about.md"), Kind::Page);
        assert_eq!(classify("articles/2018/photo.jpg"), Kind::Asset);
        assert_eq!(classify("notes.md"), Kind::Asset);
    }

    #[test]
    fn another_articles_folder_inside_content() {
        let posts = Some(Path::new("posts"));
        assert_eq!(
            classify(Path::new("posts/a/index.md"), posts),
            Kind::Article
        );
        assert_eq!(classify(Path::new("articles/a.md"), posts), Kind::Asset);
        assert_eq!(
            classify(Path::new("pages/about.md"), Some(Path::new(""))),
            Kind::Page
        );
        assert_eq!(
            classify(Path::new("about.md"), Some(Path::new(""))),
            Kind::Article
        );
    }

    #[test]
    fn a_page_bundle_is_named_by_its_folder() {
        assert_eq!(article_name(Path::new("2019/rain/index.md")), "rain");
        assert_eq!(
            article_name(Path::new("2019-03-04-rain/index.markdown")),
            "2019-03-04-rain"
        );
        assert_eq!(article_name(Path::new("index.md")), "index");
        assert_eq!(
            article_name(Path::new("2019/2019-03-04-rain.markdown")),
            "2019-03-04-rain"
        );
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
