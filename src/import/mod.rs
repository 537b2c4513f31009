//! `newsdigest import`: converts another generator's archive once, for those
//! who would rather keep newsdigest's own layout than build the archive as
//! it is. Posts are copied into content/articles/ with their front matter
//! rewritten in our keys (the bodies byte for byte, unless template tags are
//! stripped; keys without a field of ours under `extra`), the files they use
//! from the old site's root are copied to the same address, and a site.yaml
//! is written from the old site's settings. The archive is only ever read.

mod old_config;
mod references;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::dialect::template_tags::{self, StrippedTags};
use crate::dialect::{presets, Dialect, Preset, Unknown};
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, ArticleMatter};
use crate::load::{is_ignored, is_markdown, PostNames, CONTENT_DIR};

/// What `newsdigest import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The generator the archive was made with.
    pub from: Preset,
    /// The old site's folder.
    pub source: PathBuf,
    /// The new site's folder; its content/ must be missing or empty.
    pub root: PathBuf,
    /// The folder of posts, relative to `source`; default: the generator's usual one.
    pub posts: Option<PathBuf>,
    pub strip_template_tags: bool,
}

/// What an import did, and what it could not do.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Where the posts were read, as given (`old-blog/_posts`).
    pub posts_dir: PathBuf,
    /// Posts written with their front matter in our keys.
    pub articles: usize,
    /// Posts copied as they were, because they could not be read (see `problems`).
    pub unchanged: usize,
    /// Other files copied: those beside the posts, and those posts link to.
    pub files: usize,
    /// The site.yaml written, or None when one was there already.
    pub site_yaml: Option<PathBuf>,
    /// The old settings file site.yaml took its values from.
    pub settings_from: Option<PathBuf>,
    /// Front matter keys kept under `extra` (without a field of ours, or
    /// left over where a field took another key), with the number of posts
    /// that have them.
    pub kept: BTreeMap<String, usize>,
    /// Files that are not posts (Hugo's `_index.md` section pages).
    pub skipped: Vec<PathBuf>,
    /// Data files beside the posts that the old generator read (Eleventy's
    /// `posts.json`, `*.11tydata.json`): not copied.
    pub data_files: Vec<PathBuf>,
    pub stripped: StrippedTags,
    /// Per file, what could not be mapped or found.
    pub problems: Vec<Diagnostic>,
}

/// Converts the archive at `options.source` into a new site at `options.root`.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let ImportOptions {
        from,
        source,
        root,
        posts,
        strip_template_tags,
    } = options;
    if !source.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder: give the old site's folder",
            source.display()
        )));
    }
    let content = root.join(CONTENT_DIR);
    if content.exists() && !is_empty_dir(&content) {
        return Err(Error::Usage(format!(
            "{} is not empty: import writes a new content/ folder and never adds to one; import into another --root, or empty it first",
            content.display()
        )));
    }
    if absolute(root).starts_with(absolute(source)) {
        return Err(Error::Usage(format!(
            "the new site's folder {} is inside the archive {}, which import never changes: give another --root",
            root.display(),
            source.display()
        )));
    }
    let posts = posts_folder(source, *from, posts.as_deref())?;
    let posts_dir = source.join(&posts);

    let mut report = ImportReport {
        posts_dir: posts_dir.clone(),
        ..ImportReport::default()
    };
    let settings = old_config::read(source, *from).unwrap_or_else(|(file, reason)| {
        report.problems.push(Diagnostic::new(
            &file,
            1,
            1,
            format!("could not read the old site's settings ({reason}); site.yaml keeps newsdigest's defaults"),
        ));
        old_config::OldSettings::default()
    });
    let base_path = settings
        .base_url
        .as_deref()
        .and_then(|url| url.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default();

    // What an import that fails made of the new site's folder goes again.
    let mut made = MadeFolders::missing(root);
    crate::fs::create_dir_all(root)?;
    let staging = tempfile::Builder::new()
        .prefix(".newsdigest-import-")
        .tempdir_in(root)
        .map_err(|e| Error::io("create a folder in", root, e))?;
    let converter = Converter {
        dialect: Dialect {
            unknown: Unknown::Warn,
            ..Dialect::preset(*from)
        },
        strip: *strip_template_tags,
    };
    let entries: Vec<walkdir::DirEntry> = WalkDir::new(&posts_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .collect::<Result<_, _>>()
        .map_err(|e| {
            let path = e.path().unwrap_or(&posts_dir).to_path_buf();
            Error::io("read", &path, e.into())
        })?;
    // Posts by name, for link tags; paths relative to the posts folder, which
    // keeps its layout under content/articles/.
    let names: Vec<(String, PathBuf)> = entries
        .iter()
        .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
        .filter_map(|e| e.path().strip_prefix(&posts_dir).ok())
        .map(|within| (crate::load::article_name(within), within.to_path_buf()))
        .collect();
    let posts = PostNames::of(names.iter().map(|(n, p)| (n.as_str(), p.as_path())));
    // Root paths the posts use, with the first post that uses each and its line.
    let mut used: BTreeMap<PathBuf, (PathBuf, usize)> = BTreeMap::new();
    for entry in entries {
        let within = entry
            .path()
            .strip_prefix(&posts_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let target = staging.path().join("articles").join(&within);
        if entry.file_type().is_dir() {
            continue;
        }
        if entry.file_type().is_symlink() {
            report.problems.push(Diagnostic::new(
                entry.path(),
                1,
                1,
                "a symbolic link: not copied",
            ));
            continue;
        }
        if from.is_data_file(entry.path()) {
            report.data_files.push(entry.path().to_path_buf());
            continue;
        }
        let bytes = crate::fs::read(entry.path())?;
        if !is_markdown(&within) {
            crate::fs::write_creating_dirs(&target, &bytes)?;
            report.files += 1;
            continue;
        }
        let file_name = within.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if *from == Preset::Hugo && file_name.starts_with("_index.") {
            report.skipped.push(entry.path().to_path_buf());
            continue;
        }
        let name = crate::load::article_name(&within);
        let link = |argument: &str| posts.link(&within, argument);
        match converter.convert(entry.path(), &name, bytes.clone(), &link) {
            Ok(converted) => {
                crate::fs::write_creating_dirs(&target, converted.text.as_bytes())?;
                report.articles += 1;
                report.stripped.add(converted.stripped);
                report.problems.extend(converted.notes);
                for key in converted.kept {
                    *report.kept.entry(key).or_default() += 1;
                }
                for (path, line) in converted.uses {
                    used.entry(path)
                        .or_insert_with(|| (entry.path().to_path_buf(), line));
                }
            }
            Err(problems) => {
                crate::fs::write_creating_dirs(&target, &bytes)?;
                report.unchanged += 1;
                report.problems.extend(problems.into_iter().map(|mut d| {
                    d.message
                        .push_str(" (the post was copied unchanged: fix it by hand)");
                    d
                }));
            }
        }
    }
    let copied: BTreeSet<PathBuf> = walk_files(staging.path());
    for (path, (first_user, line)) in used {
        if copied.contains(&path) {
            continue;
        }
        match references::find(source, *from, &path, &base_path) {
            Some(file) => {
                crate::fs::write_creating_dirs(
                    &staging.path().join(&path),
                    &crate::fs::read(&file)?,
                )?;
                report.files += 1;
            }
            None => report.problems.push(Diagnostic::new(
                &first_user,
                line,
                1,
                format!(
                    "links to /{}, which is not in the archive: the link will not work until the file is added under {}",
                    path.display(),
                    content.display()
                ),
            )),
        }
    }

    if content.exists() {
        std::fs::remove_dir(&content).map_err(|e| Error::io("replace", &content, e))?;
    }
    let staged = staging.keep();
    crate::fs::rename(&staged, &content)?;
    let site_yaml = root.join(CONFIG_FILE);
    if !site_yaml.exists() {
        crate::fs::write(&site_yaml, settings.site_yaml(source).as_bytes())?;
        report.site_yaml = Some(site_yaml);
        report.settings_from = settings.file;
    }
    report.problems.sort();
    made.keep();
    Ok(report)
}

/// Folders about to be made for the new site (`root` and those of its
/// parents that do not exist yet), removed again when this is dropped
/// before `keep`, as far as they are empty: a failed import leaves no
/// empty site folder behind, and never removes anything it did not make.
struct MadeFolders(Vec<PathBuf>);

impl MadeFolders {
    fn missing(root: &Path) -> Self {
        MadeFolders(
            root.ancestors()
                .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
                .map(Path::to_path_buf)
                .collect(),
        )
    }

    fn keep(&mut self) {
        self.0.clear();
    }
}

impl Drop for MadeFolders {
    fn drop(&mut self) {
        // Innermost first; a folder that is not empty stops the walk up.
        for dir in &self.0 {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}

/// Turns one post into newsdigest's front matter.
struct Converter {
    dialect: Dialect,
    strip: bool,
}

/// A post in our keys.
struct Converted {
    text: String,
    /// Keys put under `extra`.
    kept: Vec<String>,
    /// Root paths of files the post uses, each with the line that first
    /// names it.
    uses: Vec<(PathBuf, usize)>,
    stripped: usize,
    /// What the build will complain about (kept as written).
    notes: Vec<Diagnostic>,
}

impl Converter {
    /// The post rewritten, or what stops it from being read.
    fn convert(
        &self,
        path: &Path,
        name: &str,
        bytes: Vec<u8>,
        link: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Converted, Vec<Diagnostic>> {
        let problem = |line: usize, message: &str| vec![Diagnostic::new(path, line, 1, message)];
        let text = String::from_utf8(bytes).map_err(|_| problem(1, "not valid UTF-8"))?;
        let located = |(line, message): (usize, String)| problem(line, &message);
        let (split, mapping, positions) =
            if let Some(split) = frontmatter::split(&text).map_err(located)? {
                let mapping = frontmatter::read_mapping(path, &split)?;
                let positions = frontmatter::key_positions(split.yaml, split.yaml_line);
                (split, mapping, positions)
            } else if let Some(split) = crate::toml_matter::split(&text).map_err(located)? {
                let mapping = crate::toml_matter::read_mapping(path, &split)?;
                let positions = crate::toml_matter::key_positions(split.yaml, split.yaml_line);
                (split, mapping, positions)
            } else if text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{')
            {
                return Err(problem(1, "JSON front matter is not read"));
            } else {
                return Err(problem(1, "no front matter"));
            };
        let (mapped, errors) = self
            .dialect
            .map(path, mapping, &positions, split.yaml_line, name);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (matter, _) = frontmatter::deserialize::<ArticleMatter>(
            path,
            mapped.mapping.clone(),
            split.yaml_line,
            || mapped.lines.clone(),
        )
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|d| mapped.reword(d))
                .collect::<Vec<_>>()
        })?;

        let mut notes = Vec::new();
        let at = |key: &str| mapped.lines.get(key).copied().unwrap_or(split.yaml_line);
        if let Some(date) = &matter.date {
            if let Err(reason) = crate::dates::parse_datetime(&date.0, &jiff::tz::TimeZone::UTC) {
                notes.push(Diagnostic::new(
                    path,
                    at("date"),
                    1,
                    format!("`date`: {reason}; written as it was, for you to correct"),
                ));
            }
        } else if !starts_with_date(name) {
            notes.push(Diagnostic::new(path, split.yaml_line, 1, "no date, in the front matter or the file name: add `date: YYYY-MM-DD` before building"));
        }
        if matter.title.is_none() {
            notes.push(Diagnostic::new(
                path,
                split.yaml_line,
                1,
                "no title: add `title: ...` before building",
            ));
        }

        let mut body = split.body.to_string();
        let mut stripped = 0;
        if self.strip {
            if let Some((text, count)) = template_tags::strip(&body, link) {
                body = text;
                stripped = count;
            }
        }
        let image = matter.image.as_ref().map(|image| image.0.src.as_str());
        // The image's own line, or where the front matter starts.
        let image_line = positions.get("image").copied().unwrap_or(split.yaml_line);
        let uses = references::root_paths(&body, image)
            .into_iter()
            .map(|(path, line)| (path, line.map_or(image_line, |l| split.body_line + l)))
            .collect();
        let front =
            serde_yaml::to_string(&mapped.mapping).map_err(|e| problem(1, &e.to_string()))?;
        Ok(Converted {
            text: if text.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
                // A post written with CRLF line ends keeps them throughout.
                format!("---\r\n{}---\r\n{body}", front.replace('\n', "\r\n"))
            } else {
                format!("---\n{front}---\n{body}")
            },
            kept: mapped.kept,
            uses,
            stripped,
            notes,
        })
    }
}

/// The folder of posts inside the archive: the one given, or the first of
/// the generator's usual ones that exists.
fn posts_folder(source: &Path, from: Preset, given: Option<&Path>) -> Result<PathBuf> {
    if let Some(given) = given {
        let plain = given
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !plain || !source.join(given).is_dir() {
            return Err(Error::Usage(format!(
                "--posts {}: give a folder inside {}",
                given.display(),
                source.display()
            )));
        }
        return Ok(given.to_path_buf());
    }
    let candidates = presets::article_folders(from);
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|c| source.join(c).is_dir())
        .ok_or_else(|| {
            Error::Usage(format!(
                "found no posts in {}: looked for {}; name the folder with --posts",
                source.display(),
                candidates.join(", ")
            ))
        })
}

fn starts_with_date(name: &str) -> bool {
    name.get(..10)
        .is_some_and(|d| d.parse::<jiff::civil::Date>().is_ok())
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Every file under `dir`, relative to it.
fn walk_files(dir: &Path) -> BTreeSet<PathBuf> {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

/// `path` made absolute and resolved as far as it exists, to compare folders
/// that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = existing.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(resolved, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}
