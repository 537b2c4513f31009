//! `site.yaml`: the site's settings. Every key is optional; unknown keys are errors.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::dialect::{presets, Dialect, FrontMatterConfig, TemplateTags};
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, Split};

pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Where the site is published, possibly with a sub-path:
    /// `https://example.org/news/`. A bare path (`/news/`) gives root-relative links.
    pub base_url: String,
    pub language: String,
    /// IANA name; dates written without an offset are in this zone.
    pub timezone: String,
    pub theme: String,
    pub per_page: PerPage,
    pub mentions: MentionsConfig,
    pub feeds: FeedsConfig,
    pub search: SearchConfig,
    /// A Google News sitemap of the latest articles, written only when set.
    pub news_sitemap: Option<NewsSitemap>,
    pub limits: Limits,
    pub markdown: MarkdownConfig,
    /// Follow symbolic links under content/ (loops are reported).
    pub follow_links: bool,
    /// Where the articles are, when not in content/articles/, and folders
    /// copied into the site as they are.
    pub content: ContentConfig,
    /// How to read articles written for another generator.
    pub front_matter: FrontMatterConfig,
}

/// `content:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// The folder of articles, from the site's folder: `_posts`, `content/posts`.
    pub articles: Option<String>,
    /// Folders copied into the site as they are: folder -> site path
    /// (`{assets: /assets/, static: /}`).
    #[serde(rename = "static")]
    pub static_folders: Option<BTreeMap<String, String>>,
}

/// The default folder of articles.
pub const ARTICLES_DIR: &str = "content/articles";

/// A folder whose files are copied into the site as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFolder {
    /// Relative to the site's folder.
    pub folder: PathBuf,
    /// Where its files land, as a path under the site root ("" for the root).
    pub at: PathBuf,
}

/// The hosts an `<iframe>` may show when `markdown.embeds` is not set: video,
/// map, chart and audio players.
pub const DEFAULT_EMBEDS: &[&str] = &[
    "www.youtube-nocookie.com",
    "www.youtube.com",
    "player.vimeo.com",
    "www.openstreetmap.org",
    "datawrapper.dwcdn.net",
    "w.soundcloud.com",
    "open.spotify.com",
];

/// `markdown:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
    /// Hosts whose pages may be embedded with `<iframe>` when raw HTML is
    /// sanitised.
    pub embeds: Vec<String>,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::default(),
            embeds: DEFAULT_EMBEDS.iter().map(|h| h.to_string()).collect(),
        }
    }
}

/// What becomes of HTML written inside Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept, minus scripts, event handlers, unsafe URLs, styles and embeds
    /// from hosts not listed in `embeds`.
    #[default]
    Sanitize,
    /// Kept exactly as written: only for content you write yourself.
    Allow,
    /// Shown as text.
    Escape,
}

/// `limits:` in site.yaml: guards against accidents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The largest Markdown file accepted, in KB.
    pub max_file_kb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_kb: 10 * 1024,
        }
    }
}

/// `feeds:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// How many of the latest articles each feed holds.
    pub items: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { items: 50 }
    }
}

/// `search:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `news_sitemap:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsSitemap {
    /// The publication's name as Google News knows it.
    pub publication: String,
    /// ISO 639 language code; default: the site's language.
    #[serde(default)]
    pub language: Option<String>,
}

/// `mentions:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MentionsConfig {
    pub link: MentionLinks,
}

/// Which mentions of a person in an article's text link to their page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionLinks {
    #[default]
    First,
    All,
    None,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "News digest".to_string(),
            description: String::new(),
            base_url: "/".to_string(),
            language: "en".to_string(),
            timezone: "UTC".to_string(),
            theme: "default".to_string(),
            per_page: PerPage::default(),
            mentions: MentionsConfig::default(),
            feeds: FeedsConfig::default(),
            search: SearchConfig::default(),
            news_sitemap: None,
            limits: Limits::default(),
            markdown: MarkdownConfig::default(),
            follow_links: false,
            content: ContentConfig::default(),
            front_matter: FrontMatterConfig::default(),
        }
    }
}

/// How many entries each kind of list shows per page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PerPage {
    pub home: usize,
    pub timeline: usize,
    pub topic: usize,
    pub person: usize,
}

impl Default for PerPage {
    fn default() -> Self {
        PerPage {
            home: 12,
            timeline: 40,
            topic: 20,
            person: 20,
        }
    }
}

/// The settings the build uses, checked and resolved.
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub description: String,
    /// `base_url` without its trailing slash: absolute URLs are `base + path`.
    pub base: String,
    /// The path part of `base`: links inside pages are `base_path + path`.
    pub base_path: String,
    pub language: String,
    pub timezone: TimeZone,
    pub theme: String,
    pub per_page: PerPage,
    pub mention_links: MentionLinks,
    pub feed_items: usize,
    pub search: bool,
    pub news_sitemap: Option<NewsSitemap>,
    pub max_file_bytes: u64,
    pub raw_html: RawHtml,
    pub embeds: Vec<String>,
    pub follow_links: bool,
    /// The folder of articles, relative to the site's folder.
    pub articles_dir: PathBuf,
    pub static_folders: Vec<StaticFolder>,
    /// None: newsdigest's own front matter keys, strictly.
    pub dialect: Option<Dialect>,
    pub template_tags: TemplateTags,
}

impl Site {
    /// The link to a site path that starts with `/`, as pages use it:
    /// root-relative, with the base URL's sub-path, so a built site also works
    /// when previewed on another host.
    pub fn url(&self, path: &str) -> String {
        [self.base_path.as_str(), path].concat()
    }

    /// The full URL of a site path, for what is read outside the site: canonical
    /// links, feeds, sitemaps, sharing metadata. Absolute when `base_url` has a host.
    pub fn absolute_url(&self, path: &str) -> String {
        [self.base.as_str(), path].concat()
    }

    /// True when `base_url` names a host, so URLs are absolute (feeds, sitemaps
    /// and sharing metadata need that).
    pub fn has_absolute_urls(&self) -> bool {
        self.base.starts_with("http://") || self.base.starts_with("https://")
    }
}

/// Reads `site.yaml` under `root` (defaults when it is missing) and applies a
/// `--base-url` given on the command line.
pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Site> {
    let path = root.join(CONFIG_FILE);
    let (config, key_lines) = if path.exists() {
        let text = crate::fs::read_to_string(&path)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let split = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 1,
        };
        let shown = Path::new(CONFIG_FILE);
        let config = frontmatter::parse::<SiteConfig>(shown, &split)
            .map(|(config, _)| config)
            .map_err(Error::content)?;
        (config, nested_key_lines(text))
    } else {
        (SiteConfig::default(), HashMap::new())
    };
    resolve(root, config, base_url_override, &key_lines)
}

fn resolve(
    root: &Path,
    config: SiteConfig,
    base_url_override: Option<&str>,
    key_lines: &HashMap<String, usize>,
) -> Result<Site> {
    let SiteConfig {
        title,
        description,
        base_url,
        language,
        timezone,
        theme,
        per_page,
        mentions: MentionsConfig {
            link: mention_links,
        },
        feeds: FeedsConfig { items: feed_items },
        search: SearchConfig { enabled: search },
        news_sitemap,
        limits: Limits { max_file_kb },
        markdown: MarkdownConfig { raw_html, embeds },
        follow_links,
        content,
        front_matter,
    } = config;
    // Messages start with the key in backquotes (`a.b` for a nested one);
    // they point at its line, or at its parent's.
    let at = |message: String| {
        let mut key = message.split('`').nth(1).unwrap_or_default();
        let line = loop {
            if let Some(line) = key_lines.get(key) {
                break *line;
            }
            match key.rsplit_once('.') {
                Some((parent, _)) => key = parent,
                None => break 1,
            }
        };
        Error::content(vec![Diagnostic::new(
            Path::new(CONFIG_FILE),
            line,
            1,
            message,
        )])
    };
    let timezone = TimeZone::get(&timezone).map_err(|_| {
        at(format!(
            "`timezone`: `{timezone}` is not an IANA time zone name (for example Europe/Paris)"
        ))
    })?;
    let base_url = base_url_override.unwrap_or(&base_url);
    let base = normalize_base_url(base_url)
        .ok_or_else(|| at(format!("`base_url`: `{base_url}` must be an absolute URL (https://example.org/news/) or a path starting with `/`")))?;
    if per_page.home == 0 || per_page.timeline == 0 || per_page.topic == 0 || per_page.person == 0 {
        return Err(at("`per_page`: every count must be at least 1".to_string()));
    }
    if feed_items == 0 {
        return Err(at("`feeds`: `items` must be at least 1".to_string()));
    }
    let base_path = match base.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or(String::new(), |i| rest[i..].to_string()),
        None => base.clone(),
    };
    let dialect = front_matter
        .dialect()
        .map_err(|(key, message)| at(format!("`front_matter.fields.{key}`: {message}")))?;
    let preset = front_matter.preset;
    let articles_dir = match (&content.articles, preset) {
        (Some(folder), _) => site_folder(folder).ok_or_else(|| {
            at(format!("`content.articles`: `{folder}` must be a folder inside the site's folder, written from it (like `_posts` or `content/posts`)"))
        })?,
        (None, Some(preset)) => {
            let candidates = presets::article_folders(preset);
            let found = candidates.iter().find(|c| root.join(c).is_dir());
            PathBuf::from(found.unwrap_or(&candidates[0]))
        }
        (None, None) => PathBuf::from(ARTICLES_DIR),
    };
    let static_folders = match (&content.static_folders, preset) {
        (Some(folders), _) => folders
            .iter()
            .map(|(folder, site_path)| {
                let bad = |what: &str| at(format!("`content.static.{folder}`: {what}"));
                let folder = site_folder(folder)
                    .ok_or_else(|| bad("the folder must be inside the site's folder, written from it (like `assets`)"))?;
                let at = site_prefix(site_path).ok_or_else(|| {
                    bad(&format!("`{site_path}` must be a path in the site, like `/` or `/assets/`"))
                })?;
                Ok(StaticFolder { folder, at })
            })
            .collect::<Result<Vec<_>>>()?,
        (None, Some(preset)) => presets::static_folders(preset)
            .iter()
            .filter(|(folder, _)| root.join(folder).is_dir())
            .filter_map(|(folder, site_path)| {
                Some(StaticFolder {
                    folder: PathBuf::from(folder),
                    at: site_prefix(site_path)?,
                })
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    let content_dir = Path::new(crate::load::CONTENT_DIR);
    for StaticFolder { folder, .. } in &static_folders {
        let shown = folder.display();
        if folder.starts_with(content_dir) {
            return Err(at(format!(
                "`content.static.{shown}`: the files under content/ are part of the site already"
            )));
        }
        if folder.starts_with(&articles_dir) || articles_dir.starts_with(folder) {
            return Err(at(format!(
                "`content.static.{shown}`: it overlaps the articles folder `{}`",
                articles_dir.display()
            )));
        }
    }
    Ok(Site {
        title,
        description,
        base_path,
        base,
        language,
        timezone,
        theme,
        per_page,
        mention_links,
        feed_items,
        search,
        news_sitemap,
        max_file_bytes: max_file_kb.saturating_mul(1024),
        raw_html,
        embeds,
        follow_links,
        articles_dir,
        static_folders,
        dialect,
        template_tags: front_matter.template_tags,
    })
}

/// A folder written from the site's folder, made only of plain names (no
/// `..`, no root), and not the output folder.
fn site_folder(text: &str) -> Option<PathBuf> {
    let path = PathBuf::from(text.trim().trim_end_matches('/'));
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    let first = path.components().next()?;
    (plain && !text.contains('\\') && first.as_os_str() != "output").then_some(path)
}

/// `/` -> "", `/assets/` or `assets` -> "assets".
fn site_prefix(text: &str) -> Option<PathBuf> {
    if text.trim() == "/" {
        return Some(PathBuf::new());
    }
    let path = crate::model::normalize_alias(text)?;
    (!path.ends_with(".html")).then(|| PathBuf::from(path.trim_matches('/')))
}

/// Where each key of site.yaml is written, a nested one as `parent.key`
/// (block style; a key inside a `{...}` is found at its parent's line).
fn nested_key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(['#', '-', '{', '[']) {
            continue;
        }
        let Some((key, _)) = trimmed.split_once(':') else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        while parents.last().is_some_and(|(depth, _)| *depth >= indent) {
            parents.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let mut path: Vec<&str> = parents.iter().map(|(_, k)| k.as_str()).collect();
        path.push(&key);
        lines.entry(path.join(".")).or_insert(index + 1);
        parents.push((indent, key));
    }
    lines
}

fn normalize_base_url(base_url: &str) -> Option<String> {
    let trimmed = base_url.trim();
    let has_scheme = trimmed.starts_with("http://") || trimmed.starts_with("https://");
    if !(has_scheme || trimmed.starts_with('/')) || trimmed.contains(['"', '<', '>', ' ', '\\']) {
        return None;
    }
    Some(trimmed.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_sub_path() {
        assert_eq!(
            normalize_base_url("https://example.org/news/").unwrap(),
            "https://example.org/news"
        );
        assert_eq!(normalize_base_url("/").unwrap(), "");
        assert_eq!(normalize_base_url("/news").unwrap(), "/news");
        assert!(normalize_base_url("example.org").is_none());
        assert!(normalize_base_url("javascript:alert(1)").is_none());
    }

    #[test]
    fn nested_keys_have_lines() {
        let lines =
            nested_key_lines("title: T\ncontent:\n  articles: _posts\n  static:\n    assets: /a/\nfront_matter: {preset: hugo}\n");
        assert_eq!(lines["content"], 2);
        assert_eq!(lines["content.articles"], 3);
        assert_eq!(lines["content.static.assets"], 5);
        assert_eq!(lines["front_matter"], 6);
    }

    #[test]
    fn the_articles_folder_comes_from_the_preset_or_content() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        assert_eq!(
            load(dir.path(), None).unwrap().articles_dir,
            Path::new("content/articles")
        );
        write("front_matter: {preset: hugo}\n");
        assert_eq!(
            load(dir.path(), None).unwrap().articles_dir,
            Path::new("content/posts")
        );
        std::fs::create_dir_all(dir.path().join("content/post")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        let site = load(dir.path(), None).unwrap();
        assert_eq!(site.articles_dir, Path::new("content/post"));
        assert_eq!(
            site.static_folders,
            [StaticFolder {
                folder: PathBuf::from("static"),
                at: PathBuf::new()
            }]
        );
        write("front_matter: {preset: hugo}\ncontent:\n  articles: archive/\n  static: {}\n");
        let site = load(dir.path(), None).unwrap();
        assert_eq!(site.articles_dir, Path::new("archive"));
        assert!(site.static_folders.is_empty());
        for (yaml, expected) in [
            ("content:\n  articles: ../elsewhere\n", "site.yaml:2:1: `content.articles`: `../elsewhere` must be a folder inside"),
            ("content:\n  articles: /abs\n", "site.yaml:2:1: `content.articles`"),
            ("content:\n  static:\n    assets: https://x/\n", "site.yaml:3:1: `content.static.assets`: `https://x/` must be a path in the site"),
            ("content:\n  static:\n    content/img: /img/\n", "site.yaml:3:1: `content.static.content/img`: the files under content/"),
            ("front_matter:\n  fields:\n    tags: topicz\n", "site.yaml:3:1: `front_matter.fields.tags`: `topicz` is not an article key; did you mean `topics`?"),
            ("front_matter:\n  preset: jekyl\n", "site.yaml:1:1: `front_matter`: unknown variant `jekyl`"),
            ("front_matter:\n  presets: jekyll\n", "did you mean `preset`?"),
        ] {
            write(yaml);
            let error = load(dir.path(), None).unwrap_err().to_string();
            assert!(error.contains(expected), "{yaml}: {error}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_zones_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: T\nbase_ur: /x/\n").unwrap();
        let error = load(dir.path(), None).unwrap_err().to_string();
        assert!(
            error.contains("site.yaml:2:1: unknown key `base_ur`; did you mean `base_url`?"),
            "{error}"
        );
        std::fs::write(dir.path().join(CONFIG_FILE), "timezone: Mars/Olympus\n").unwrap();
        let error = load(dir.path(), None).unwrap_err().to_string();
        assert!(error.contains("Mars/Olympus"), "{error}");
    }
}
