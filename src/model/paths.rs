//! URL paths of every page (DESIGN.md's table), and the check that no two
//! sources write the same file.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::{Article, ArticleId, Asset, Entity, Page};
use crate::error::Diagnostic;

pub fn article_path(day: Date, slug: &str) -> String {
    format!("{}{slug}/", day_path(day))
}

pub fn day_path(day: Date) -> String {
    format!("/{:04}/{:02}/{:02}/", day.year(), day.month(), day.day())
}

pub fn month_path(year: i16, month: i8) -> String {
    format!("/{year:04}/{month:02}/")
}

pub fn year_path(year: i16) -> String {
    format!("/{year:04}/")
}

/// `/topics/<slug>/`, page 1, or `/topics/<slug>/page/<n>/`.
pub fn paginated(first_page: &str, page: usize) -> String {
    if page <= 1 {
        first_page.to_string()
    } else {
        format!("{first_page}page/{page}/")
    }
}

/// A content-relative file path as a URL path (forward slashes, no leading `/`).
pub fn to_url_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The file a URL path is written to, relative to the output folder.
pub fn output_file(url_path: &str) -> PathBuf {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        PathBuf::from(trimmed).join("index.html")
    } else {
        PathBuf::from(trimmed)
    }
}

/// `old/url` or `/old/url/` -> `/old/url/`; anything that could leave the site is refused.
pub fn normalize_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    let bad = trimmed.is_empty()
        || trimmed.contains([
            '\\', '\0', '?', '#', '%', '"', '<', '>', ':', '*', '|', '^', '`',
        ])
        || trimmed.contains(|c: char| c.is_whitespace() || c.is_control())
        || trimmed.contains("://")
        || trimmed.starts_with("//");
    if bad {
        return None;
    }
    let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || parts.iter().any(|p| *p == "." || *p == "..") {
        return None;
    }
    let joined = parts.join("/");
    let is_file = parts.last().is_some_and(|p| p.ends_with(".html"));
    Some(if is_file {
        format!("/{joined}")
    } else {
        format!("/{joined}/")
    })
}

/// Windows refuses these as file or folder names, with any extension.
fn reserved_on_windows(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// Paths the site writes whatever the content.
const BUILT_IN: &[&str] = &[
    "/",
    "/timeline/",
    "/topics/",
    "/people/",
    "/404.html",
    "/style.css",
    "/syntax.css",
    "/search/",
    "/feed.xml",
    "/feed.json",
    "/timeline.json",
    "/sitemap.xml",
    "/robots.txt",
    "/_redirects",
    "/.nojekyll",
    "/search.js",
    "/sitemap-news.xml",
];

/// The file the site itself writes that `path` (an alias, as a folder) would
/// turn into a folder, if any: `/feed.xml/` would need `feed.xml` to be one.
pub fn over_built_in_file(path: &str) -> Option<&'static str> {
    let lower = path.to_lowercase();
    BUILT_IN
        .iter()
        .filter(|file| !file.ends_with('/'))
        .find(|file| lower.starts_with(&format!("{file}/")) || lower == **file)
        .copied()
}

/// What writes a file: a source (or a description of the site's own page
/// in parentheses) and the front matter line that chose the file's address,
/// if one did.
struct Claim<'a> {
    owner: Cow<'a, Path>,
    line: Option<usize>,
    /// Whether an alias chose the address, rather than the owner's own.
    alias: bool,
}

impl<'a> Claim<'a> {
    fn new(owner: impl Into<Cow<'a, Path>>, line: Option<usize>) -> Self {
        Claim {
            owner: owner.into(),
            line,
            alias: false,
        }
    }

    fn alias(owner: &'a Path, line: Option<usize>) -> Self {
        Claim {
            alias: true,
            ..Claim::new(owner, line)
        }
    }

    fn diagnostic(&self, message: String) -> Diagnostic {
        Diagnostic::new(&self.owner, self.line.unwrap_or(1), 1, message)
    }
}

impl std::fmt::Display for Claim<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.owner.display()),
            None => write!(f, "{}", self.owner.display()),
        }
    }
}

/// The key of the file that `url_path` writes, the same for paths that are
/// the same file on macOS and Windows (differing only by case or Unicode
/// normalisation); and an error if a name in it is reserved on Windows.
fn file_key(url_path: &str, claim: &Claim) -> (String, Option<Diagnostic>) {
    let file = output_file(url_path);
    let reserved = file
        .iter()
        .map(|c| c.to_string_lossy())
        .find(|c| reserved_on_windows(c))
        .map(|name| {
            let advice = if claim.alias {
                "change the alias"
            } else {
                "set `slug:` (or rename the file) to something else"
            };
            claim.diagnostic(format!(
                "writes {} but `{name}` is a reserved file name on Windows: {advice}",
                file.display()
            ))
        });
    let name = file.to_string_lossy();
    // Most names are ASCII: composed and lowercased as they are.
    let key = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.nfc().collect::<String>().to_lowercase()
    };
    (key, reserved)
}

/// What writes files in a site, as `check_unique_paths` reads it.
pub struct Sources<'a> {
    pub days: &'a [(Date, Vec<ArticleId>)],
    pub people: &'a [Entity],
    pub topics: &'a [Entity],
    pub articles: &'a [Article],
    pub pages: &'a [Page],
    pub assets: &'a [Asset],
}

/// Two sources that would write the same file (also when the paths differ only by
/// case, which breaks on case-insensitive disks) are an error naming both.
/// Each message points at the line that chose the address, when front
/// matter did.
pub fn check_unique_paths(index: &Sources) -> Vec<Diagnostic> {
    // Every (site path, claim) that writes a file, in order.
    let mut claims: Vec<(Cow<str>, Claim)> = Vec::new();
    for path in BUILT_IN {
        let owner = PathBuf::from(format!("(built-in page {path})"));
        claims.push(((*path).into(), Claim::new(owner, None)));
    }
    for (day, _) in index.days {
        let archive = || Claim::new(PathBuf::from("(date archive)"), None);
        claims.push((day_path(*day).into(), archive()));
        claims.push((month_path(day.year(), day.month()).into(), archive()));
        claims.push((year_path(day.year()).into(), archive()));
    }
    // Paths an editor chooses (aliases, pages, files under content/) may not
    // land in folders the site fills itself, whose pages depend on content.
    let generated: Vec<(String, String)> = index
        .people
        .iter()
        .map(|p| {
            (
                person_path(&p.slug),
                format!("the pages of the person {}", p.name),
            )
        })
        .chain(index.topics.iter().map(|t| {
            (
                topic_path(&t.slug),
                format!("the pages of the topic {}", t.name),
            )
        }))
        .chain(
            GENERATED_FOLDERS
                .iter()
                .map(|f| (f.to_string(), format!("the generated folder {f}"))),
        )
        .collect();
    // Claims (by number) whose paths an editor chose. Addresses come before
    // aliases: an alias that takes a document's address is the one reported.
    let mut chosen: Vec<usize> = Vec::new();
    for article in index.articles {
        let claim = Claim::new(article.source.as_path(), article.lines.address);
        claims.push((article.path.as_str().into(), claim));
    }
    for page in index.pages {
        chosen.push(claims.len());
        let claim = Claim::new(page.source.as_path(), page.lines.address);
        claims.push((page.path.as_str().into(), claim));
    }
    let aliases = index
        .articles
        .iter()
        .map(|a| (&a.source, &a.aliases, &a.lines))
        .chain(
            index
                .pages
                .iter()
                .map(|p| (&p.source, &p.aliases, &p.lines)),
        );
    for (source, aliases, lines) in aliases {
        for (i, alias) in aliases.iter().enumerate() {
            chosen.push(claims.len());
            let line = lines.aliases.get(i).copied().flatten();
            claims.push((alias.as_str().into(), Claim::alias(source, line)));
        }
    }
    for asset in index.assets {
        let path = format!("/{}", to_url_path(&asset.content_path));
        chosen.push(claims.len());
        claims.push((path.into(), Claim::new(asset.path.as_path(), None)));
    }
    // Each file's name is checked, and made the key that tells files apart,
    // in parallel; the keys are compared in order.
    let checked: Vec<(String, Option<Diagnostic>)> = claims
        .par_iter()
        .map(|(url_path, claim)| file_key(url_path, claim))
        .collect();
    let mut owners: FxHashMap<String, usize> = FxHashMap::default();
    let mut diagnostics = Vec::new();
    for (n, ((url_path, claim), (key, reserved))) in claims.iter().zip(checked).enumerate() {
        diagnostics.extend(reserved);
        match owners.get(&key).map(|first| &claims[*first]) {
            Some((_, first)) if first.owner == claim.owner => {}
            Some((first_path, first)) => diagnostics.push(claim.diagnostic(format!(
                "writes {} which {first} already writes{}",
                output_file(url_path).display(),
                if first_path == url_path {
                    String::new()
                } else {
                    format!(" (as {first_path})")
                },
            ))),
            None => {
                owners.insert(key, n);
            }
        }
    }
    // A file and a folder of the same name cannot both be written.
    let mut nested = Vec::new();
    for (key, n) in &owners {
        let (url_path, claim) = &claims[*n];
        let mut folder = Path::new(key.as_str()).parent();
        while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty()) {
            // Keys are text: so are the folders above them.
            if let Some(file) = dir.to_str().and_then(|dir| owners.get(dir)) {
                nested.push(claim.diagnostic(format!(
                    "writes {url_path} inside {}, which {} writes as a file",
                    dir.display(),
                    claims[*file].1
                )));
            }
            folder = dir.parent();
        }
    }
    nested.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
    diagnostics.extend(nested);
    for n in chosen {
        let (path, claim) = &claims[n];
        let lower = path.to_lowercase();
        if let Some((_, owner)) = generated
            .iter()
            .find(|(folder, _)| lower.starts_with(folder.as_str()))
        {
            diagnostics.push(claim.diagnostic(format!("writes {path}, which is inside {owner}")));
        }
    }
    diagnostics
}

/// `/people/<slug>/`: a person's page, its pages, mentions, timeline and feed.
pub fn person_path(slug: &str) -> String {
    format!("/people/{slug}/")
}

/// `/topics/<slug>/`: a topic's page, its pages, mentions, timeline and feed.
pub fn topic_path(slug: &str) -> String {
    format!("/topics/{slug}/")
}

/// Folders the build fills whatever the content.
const GENERATED_FOLDERS: &[&str] = &["/timeline/", "/search/", "/sitemaps/"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_design() {
        let day = Date::new(2018, 6, 9).unwrap();
        assert_eq!(article_path(day, "letters"), "/2018/06/09/letters/");
        assert_eq!(month_path(2018, 6), "/2018/06/");
        assert_eq!(paginated("/topics/courts/", 1), "/topics/courts/");
        assert_eq!(paginated("/topics/courts/", 3), "/topics/courts/page/3/");
        assert_eq!(output_file("/"), PathBuf::from("index.html"));
        assert_eq!(output_file("/a/b/"), PathBuf::from("a/b/index.html"));
        assert_eq!(output_file("/404.html"), PathBuf::from("404.html"));
    }

    #[test]
    fn aliases_cannot_leave_the_site() {
        assert_eq!(normalize_alias("old/url").as_deref(), Some("/old/url/"));
        assert_eq!(
            normalize_alias("/old/page.html").as_deref(),
            Some("/old/page.html")
        );
        for bad in [
            "../x",
            "/a/../../b",
            "https://evil.example/",
            "//evil",
            "a\\b",
            "%2e%2e/x",
            "",
        ] {
            assert_eq!(normalize_alias(bad), None, "{bad}");
        }
    }
}
