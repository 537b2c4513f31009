//! Markdown of every document, rendered once while the index is built, because
//! the mentions found in article text are part of the index.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Article, Entity, Event, Page};
use crate::config::Site;
use crate::error::Diagnostic;
use crate::highlight::Highlighter;
use crate::load::{Asset, ImageSize, CONTENT_DIR};
use crate::markdown::{self, MentionRules, Pass, Rendered, Target};
use crate::mentions::Detector;

/// Articles scanned at once, in order: bounds the memory their words take
/// before the search index has them.
const ARTICLE_BATCH: usize = 1024;

/// The rendered Markdown of every document, by index.
#[derive(Debug, Default)]
pub struct Bodies {
    /// What each article's text holds, without its HTML (`Markdown::article_html`
    /// makes that when the page is written).
    pub articles: Vec<Rendered>,
    pub people: Vec<String>,
    pub topics: Vec<String>,
    pub pages: Vec<Rendered>,
    /// Each event's `text`, as inline HTML.
    pub events: Vec<Option<String>>,
    /// What every article's HTML depends on besides its own text.
    pub fingerprint: u64,
    /// The words of every article for the search index, when the site has
    /// one.
    pub words: Option<crate::words::Words>,
    /// How long rendering took (`build --timings`).
    pub elapsed: std::time::Duration,
    /// How many article texts were scanned for search words.
    pub scanned_for_words: usize,
    /// Documents the Markdown renderer failed on (it panicked): each is
    /// reported as an error at its file, and the others still render.
    pub failures: Vec<Diagnostic>,
}

/// The documents whose Markdown is rendered.
pub struct Documents<'a> {
    pub site: &'a Site,
    pub articles: &'a [Article],
    pub people: &'a [Entity],
    pub topics: &'a [Entity],
    pub pages: &'a [Page],
    pub assets: &'a [Asset],
    pub events: &'a [Event],
}

/// Rendered articles of a previous build, for a rebuild to reuse: an article
/// whose file and text are unchanged keeps its mentions, lead and links, as
/// long as nothing that every article depends on (names, aliases, content
/// paths, settings) changed either.
pub struct Reuse<'a> {
    fingerprint: u64,
    by_source: HashMap<&'a Path, (u64, &'a Rendered)>,
    /// The previous articles, in order, and the search words they gave.
    articles: &'a [Article],
    words: Option<&'a crate::words::Words>,
    /// The previous relations and what they were computed from.
    pub relations: (u64, &'a super::relations::Relations),
}

impl<'a> Reuse<'a> {
    pub fn of(index: &'a super::SiteIndex) -> Self {
        Reuse {
            fingerprint: index.bodies.fingerprint,
            relations: (index.relations_fingerprint, &index.relations),
            articles: &index.articles,
            words: index.bodies.words.as_ref(),
            by_source: index
                .articles
                .iter()
                .zip(&index.bodies.articles)
                .map(|(a, r)| (a.source.as_path(), (a.body.hash, r)))
                .collect(),
        }
    }
}

/// Everything besides its own text that an article's HTML depends on.
fn fingerprint(docs: &Documents, markdown: &Markdown) -> u64 {
    let Markdown { targets, sizes, .. } = markdown;
    let mut hasher = DefaultHasher::new();
    for entity in docs.people.iter().chain(docs.topics) {
        (&entity.slug, &entity.name, &entity.aliases, entity.detect).hash(&mut hasher);
    }
    docs.people.len().hash(&mut hasher);
    // Any fixed order does: bytes compare faster than path components.
    let mut targets: Vec<_> = targets.iter().collect();
    targets.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    targets.hash(&mut hasher);
    let mut sizes: Vec<_> = sizes.iter().collect();
    sizes.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    sizes.hash(&mut hasher);
    (&docs.site.base_path, docs.site.mention_links as u8).hash(&mut hasher);
    (docs.site.raw_html as u8, &docs.site.embeds).hash(&mut hasher);
    hasher.finish()
}

/// Runs `work` for the file `source`; if it panics, records an error at the
/// file and returns an empty result, so one file cannot bring the build down.
fn isolated<T: Default>(
    source: &Path,
    failures: &std::sync::Mutex<Vec<Diagnostic>>,
    work: impl FnOnce() -> T,
) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(renderer_failed(source));
        T::default()
    })
}

fn renderer_failed(source: &Path) -> Diagnostic {
    Diagnostic::new(
        source,
        1,
        1,
        "the Markdown renderer failed on this file (an internal error: please report it with the file); the rest of the site was checked",
    )
}

/// What the rendering of every body shares: the site URL of each content
/// file, the names to find, the policy for raw HTML. It stays with the
/// index, so that an article's HTML is made when its page is written and
/// is not held in memory with every other article's.
pub struct Markdown {
    targets: HashMap<PathBuf, String>,
    /// The size of each image file, by content-relative path.
    sizes: HashMap<PathBuf, ImageSize>,
    people: Detector,
    topics: Detector,
    person_urls: Vec<String>,
    policy: markdown::HtmlPolicy,
    highlighter: Highlighter,
    base_path: String,
    mention_links: crate::config::MentionLinks,
    /// Whether scans take the words for the search index.
    words: bool,
    /// Articles' HTML the scan made, when it did.
    spill: Option<Spill>,
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Markdown")
            .field("targets", &self.targets.len())
            .finish_non_exhaustive()
    }
}

impl Markdown {
    fn new(docs: &Documents) -> Self {
        // The automata take a while to build with thousands of names.
        let (targets, (people, topics)) = rayon::join(
            || content_targets(docs),
            || {
                rayon::join(
                    || Detector::new(names(docs.people, false), false),
                    || Detector::new(names(docs.topics, true), true),
                )
            },
        );
        Markdown {
            targets,
            sizes: docs
                .assets
                .iter()
                .filter_map(|a| Some((a.content_path.clone(), a.size?)))
                .collect(),
            people,
            topics,
            person_urls: docs
                .people
                .iter()
                .map(|p| docs.site.url(&super::person_path(&p.slug)))
                .collect(),
            policy: markdown::HtmlPolicy::new(docs.site.raw_html, &docs.site.embeds),
            highlighter: Highlighter,
            base_path: docs.site.base_path.clone(),
            mention_links: docs.site.mention_links,
            words: docs.site.search,
            spill: None,
        }
    }

    /// The body of the file `source` (shown path) as HTML, what it holds, or
    /// both. Articles have their mentions found and linked.
    fn convert(&self, source: &Path, body: &str, article: bool, pass: Pass) -> Rendered {
        let dir = source
            .strip_prefix(CONTENT_DIR)
            .unwrap_or(source)
            .parent()
            .unwrap_or(Path::new(""));
        let link_target = |target: &str| {
            if target.starts_with('/') {
                // From the site root: under a sub-path, the root is the sub-path.
                return Target {
                    url: (!self.base_path.is_empty())
                        .then(|| format!("{}{target}", self.base_path)),
                    size: site_file(target).and_then(|file| self.sizes.get(&file).copied()),
                };
            }
            let (file, fragment) = match target.find(['#', '?']) {
                Some(i) => target.split_at(i),
                None => (target, ""),
            };
            // `my%20file.md` names `my file.md`.
            let file = percent_encoding::percent_decode_str(file).decode_utf8();
            let Some(joined) = file
                .ok()
                .and_then(|f| normalize_relative(&dir.join(f.as_ref())))
            else {
                return Target::default();
            };
            Target {
                url: self
                    .targets
                    .get(&joined)
                    .map(|url| format!("{url}{fragment}")),
                size: self.sizes.get(&joined).copied(),
            }
        };
        let person_url = |id: usize| self.person_urls[id].clone();
        let rules = MentionRules {
            people: &self.people,
            topics: &self.topics,
            person_url: &person_url,
            link: self.mention_links,
        };
        let rules = article.then_some(&rules);
        let (highlighter, policy) = (&self.highlighter, &self.policy);
        markdown::convert(body, highlighter, &link_target, rules, policy, pass)
    }

    /// Article `id`'s body as HTML: set aside by the scan, or made again
    /// from its file.
    pub fn article_html(&self, id: usize, article: &Article) -> Result<String, Diagnostic> {
        if let Some(html) = self.spill.as_ref().and_then(|s| s.read(id)) {
            return Ok(html);
        }
        let body = article.body.read(&article.source)?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.convert(&article.source, &body, true, Pass::HTML).html
        }))
        .map_err(|_| renderer_failed(&article.source))
    }
}

/// Articles' HTML made by the scan, set aside in an unnamed temporary file
/// until their pages are written. A build that keeps no page of a previous
/// one writes every article's page: each body is then converted once, not
/// once to scan it and again for its page. The file is not held in the
/// process's memory, and the system removes it when it is closed.
struct Spill {
    file: std::fs::File,
    /// Where each article's HTML is in the file, by article.
    places: Vec<Option<(u64, usize)>>,
}

impl Spill {
    fn read(&self, id: usize) -> Option<String> {
        let (offset, len) = (*self.places.get(id)?)?;
        let mut bytes = vec![0; len];
        read_at(&self.file, &mut bytes, offset).ok()?;
        String::from_utf8(bytes).ok()
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// A `Spill` being written, one article after another.
struct Spilling {
    out: std::io::BufWriter<std::fs::File>,
    end: u64,
    places: Vec<Option<(u64, usize)>>,
}

impl Spilling {
    /// In an unnamed file in `dir`; None when it cannot be made (the pages
    /// then convert their articles again).
    fn begin(dir: &Path) -> Option<Self> {
        let file = tempfile::tempfile_in(dir).ok()?;
        Some(Spilling {
            out: std::io::BufWriter::with_capacity(1 << 20, file),
            end: 0,
            places: Vec::new(),
        })
    }

    /// Sets aside the next article's HTML: false if it could not be written.
    fn add(&mut self, html: &str) -> bool {
        use std::io::Write;
        // A body that failed to convert has none: its page converts it again.
        let place = (!html.is_empty()).then_some((self.end, html.len()));
        if self.out.write_all(html.as_bytes()).is_err() {
            return false;
        }
        self.end += html.len() as u64;
        self.places.push(place);
        true
    }

    fn finish(self) -> Option<Spill> {
        let file = self.out.into_inner().ok()?;
        Some(Spill {
            file,
            places: self.places,
        })
    }
}

/// Renders every body but the articles', and finds what each article's
/// holds: mentions of people (every name and alias) and of topics whose
/// profile sets `detect: true`, its lead, its links. With `spill`, a
/// folder, the articles' HTML is made in the same pass and set aside there
/// in an unnamed file (see `Spill`), unless `reuse` offers earlier scans.
pub fn render(docs: &Documents, reuse: Option<&Reuse>, spill: Option<&Path>) -> (Bodies, Markdown) {
    let started = std::time::Instant::now();
    let mut markdown = Markdown::new(docs);
    let mut spilling = spill.filter(|_| reuse.is_none()).and_then(Spilling::begin);
    // The scan makes the HTML too when it is set aside for the pages.
    let pass = Pass {
        html: spilling.is_some(),
        words: markdown.words,
    };
    let fingerprint = fingerprint(docs, &markdown);
    let reuse = reuse.filter(|r| r.fingerprint == fingerprint);
    let failures = std::sync::Mutex::new(Vec::new());
    let render = |source: &Path, body: &str| {
        isolated(source, &failures, || {
            markdown.convert(source, body, false, Pass::HTML)
        })
    };
    let profile_html = |entities: &[Entity]| -> Vec<String> {
        entities
            .par_iter()
            .map(|e| match &e.profile {
                Some(path) if !e.body.trim().is_empty() => render(path, &e.body).html,
                _ => String::new(),
            })
            .collect()
    };
    // Article texts scanned for search words: every one in a build, the
    // edited ones in a rebuild that keeps the previous words.
    let scanned_for_words = AtomicUsize::new(0);
    let count_scan = || {
        if pass.words {
            scanned_for_words.fetch_add(1, Ordering::Relaxed);
        }
    };
    let scan = |article: &Article| match article.body.read(&article.source) {
        Ok(body) => isolated(&article.source, &failures, || {
            count_scan();
            markdown.convert(&article.source, &body, true, pass)
        }),
        Err(changed) => {
            failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(changed);
            Rendered::default()
        }
    };
    // Articles go a batch at a time, in order, so that the search index
    // takes their words and no more than two batches' words are held: a
    // batch's words are added while the next batch is scanned.
    let search = docs.site.search;
    // When the articles are those of the previous build in the same order,
    // its search words are kept, and only the articles whose text or title
    // changed are taken out and put back in (the dev server's edits).
    let previous_words = reuse.and_then(|r| {
        // An article's old words are taken out by scanning its old text,
        // which the dev server keeps.
        let same = r.articles.len() == docs.articles.len()
            && r.articles.iter().zip(docs.articles).all(|(old, new)| {
                old.source == new.source
                    && (old.body.hash == new.body.hash || old.body.kept.is_some())
            });
        r.words.filter(|_| search && same).map(|w| (r.articles, w))
    });
    let changed = |id: usize| {
        previous_words.is_none_or(|(old, _)| {
            let (old, new) = (&old[id], &docs.articles[id]);
            old.body.hash != new.body.hash || old.title != new.title
        })
    };
    let scan_batch = |(first, batch): (usize, &[Article])| -> Vec<Rendered> {
        batch
            .par_iter()
            .enumerate()
            .map(|(n, a)| {
                let unchanged = reuse
                    .and_then(|r| r.by_source.get(a.source.as_path()))
                    .filter(|(hash, _)| *hash == a.body.hash);
                match unchanged {
                    // A reused scan has no words: scan again for them,
                    // unless the previous words are kept.
                    Some((_, rendered)) if !search || !changed(first + n) => (*rendered).clone(),
                    Some((_, rendered)) => Rendered {
                        words: scan(a).words,
                        ..(*rendered).clone()
                    },
                    None => scan(a),
                }
            })
            .collect()
    };
    let mut words = match previous_words {
        Some((_, words)) => Some(words.clone()),
        None => search.then(crate::words::Words::default),
    };
    let mut articles: Vec<Rendered> = Vec::with_capacity(docs.articles.len());
    let mut add = |scanned: Vec<Rendered>| {
        for mut rendered in scanned {
            let html = std::mem::take(&mut rendered.html);
            if spilling.as_mut().is_some_and(|s| !s.add(&html)) {
                // Nothing is lost: the pages convert their articles again.
                spilling = None;
            }
            let id = articles.len();
            let title = &docs.articles[id].title;
            let body = std::mem::take(&mut rendered.words);
            match (words.as_mut(), previous_words) {
                (Some(words), Some((old, _))) if changed(id) => {
                    let old = &old[id];
                    let same_text = old.body.hash == docs.articles[id].body.hash;
                    // `previous_words` is only taken when every changed text
                    // is kept.
                    debug_assert!(same_text || old.body.kept.is_some());
                    let old_words = match &old.body.kept {
                        _ if same_text => body.clone(),
                        Some(text) => isolated(&old.source, &failures, || {
                            count_scan();
                            let pass = Pass {
                                html: false,
                                words: true,
                            };
                            markdown.convert(&old.source, text, true, pass).words
                        }),
                        None => body.clone(),
                    };
                    words.remove(id, &old.title, old_words);
                    words.insert(id, title, body);
                }
                (Some(_), Some(_)) => {}
                (Some(words), None) => words.add(id, title, body),
                (None, _) => {}
            }
            articles.push(rendered);
        }
    };
    let mut previous = Vec::new();
    for (n, batch) in docs.articles.chunks(ARTICLE_BATCH).enumerate() {
        let first = n * ARTICLE_BATCH;
        let (scanned, ()) = rayon::join(|| scan_batch((first, batch)), || add(previous));
        previous = scanned;
    }
    // The last batch's words are added while the other bodies render.
    let ((), (people, topics, pages, events)) = rayon::join(
        || add(previous),
        || {
            (
                profile_html(docs.people),
                profile_html(docs.topics),
                docs.pages
                    .par_iter()
                    .map(|p| render(&p.source, &p.body))
                    .collect(),
                docs.events
                    .par_iter()
                    .map(|e| {
                        e.text
                            .as_deref()
                            .map(|text| inline(&render(Path::new(""), text).html))
                    })
                    .collect(),
            )
        },
    );
    let mut bodies = Bodies {
        articles,
        words,
        fingerprint,
        people,
        topics,
        pages,
        events,
        elapsed: std::time::Duration::ZERO,
        failures: Vec::new(),
        scanned_for_words: scanned_for_words.into_inner(),
    };
    bodies.failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    bodies.failures.sort_by(|a, b| a.path.cmp(&b.path));
    markdown.spill = spilling.and_then(Spilling::finish);
    bodies.elapsed = started.elapsed();
    (bodies, markdown)
}

/// Short Markdown (an event's text) without its wrapping paragraph.
fn inline(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Every (name or alias, entity) pair, of detected topics only when asked.
fn names(entities: &[Entity], only_detected: bool) -> Vec<(&str, usize)> {
    entities
        .iter()
        .enumerate()
        .filter(|(_, e)| !only_detected || e.detect)
        .flat_map(|(id, e)| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .map(move |n| (n, id))
        })
        .collect()
}

/// Site URL of every file under content/, by content-relative path, so relative
/// links between content files become links between pages.
fn content_targets(docs: &Documents) -> HashMap<PathBuf, String> {
    let site = docs.site;
    let content_relative =
        |path: &Path| path.strip_prefix(CONTENT_DIR).unwrap_or(path).to_path_buf();
    let mut targets = HashMap::new();
    for asset in docs.assets {
        let url = site.url(&format!("/{}", super::to_url_path(&asset.content_path)));
        targets.insert(asset.content_path.clone(), url);
    }
    for article in docs.articles {
        targets.insert(content_relative(&article.source), site.url(&article.path));
    }
    for page in docs.pages {
        targets.insert(content_relative(&page.source), site.url(&page.path));
    }
    for (entities, prefix) in [(docs.people, "/people/"), (docs.topics, "/topics/")] {
        for entity in entities {
            if let Some(profile) = &entity.profile {
                let url = site.url(&format!("{prefix}{}/", entity.slug));
                targets.insert(content_relative(profile), url);
            }
        }
    }
    targets
}

/// The file a path from the site root names, as files of the site are
/// keyed (`/img/my%20map.png?v=2` is `img/my map.png`); None when it climbs
/// out of the site.
pub(crate) fn site_file(target: &str) -> Option<PathBuf> {
    let path = target.strip_prefix('/')?.split(['#', '?']).next()?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    normalize_relative(Path::new(decoded.as_ref()))
}

/// `a/b/../c` -> `a/c`; None when `..` climbs out of content/.
fn normalize_relative(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => normal.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(normal)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_file_the_renderer_fails_on_is_an_error_not_a_crash() {
        let failures = std::sync::Mutex::new(Vec::new());
        let path = Path::new("content/articles/bad.md");
        let out: String = super::isolated(path, &failures, || panic!("renderer bug"));
        assert_eq!(out, "");
        let ok = super::isolated(path, &failures, || "fine".to_string());
        assert_eq!(ok, "fine");
        let failures = failures.into_inner().unwrap();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].path, path);
        assert!(failures[0].message.contains("Markdown renderer failed"));
    }
}
