//! Everything a build's output depends on, hashed: when a build finds the
//! same hash in the previous output's marker, that output is already what it
//! would write, and nothing is done.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::BuildOptions;

/// Files up to this size are hashed by content; larger ones (media) by size
/// and modification time, as rsync does.
const HASHED_BYTES: u64 = 1 << 20;

/// What a build's output depends on, hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Everything: site.yaml, content, themes/, the build options and
    /// newsdigest's version.
    pub inputs: String,
    /// All but the content: how a page looks given what it shows. Pages
    /// whose data and presentation are those of the previous build are
    /// not rendered again.
    pub presentation: u64,
}

/// The site's input files, each hashed or waiting to be. A first build (no
/// previous output to compare with) leaves the content's Markdown files to
/// the load, which reads them anyway: `finish` then takes the hashes of the
/// bytes the build used.
pub struct Survey {
    /// Every input file, sorted, with its hash when it is taken already.
    files: Vec<(PathBuf, Option<u64>)>,
    /// Folders whose files are content, not presentation.
    content_folders: Vec<PathBuf>,
    root: PathBuf,
    /// The hash of the program and the build options.
    options: DefaultHasher,
}

/// Lists and hashes the site's input files; with `leave_markdown`, the
/// Markdown files of the content folders are listed but not read (the
/// theme's, which the theme's loading reads, are). None when some file
/// cannot be read.
pub fn survey(options: &BuildOptions, leave_markdown: bool) -> Option<Survey> {
    let root = &options.root;
    let mut files = Vec::new();
    // site.yaml may name an articles folder and static folders outside content/.
    let site = crate::config::load(root, options.base_url.as_deref()).ok()?;
    let mut folders = vec![
        PathBuf::from(crate::load::CONTENT_DIR),
        PathBuf::from("themes"),
    ];
    folders.push(site.articles_dir);
    folders.extend(site.static_folders.into_iter().map(|s| s.folder));
    let content_folders: Vec<PathBuf> = folders
        .iter()
        .filter(|folder| *folder != Path::new("themes"))
        .cloned()
        .collect();
    folders.retain(|folder| {
        !(folder.starts_with(crate::load::CONTENT_DIR)
            && folder != Path::new(crate::load::CONTENT_DIR))
    });
    for folder in folders {
        let dir = root.join(folder);
        if !dir.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).follow_links(true) {
            let entry = entry.ok()?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    let config = root.join(crate::config::CONFIG_FILE);
    if config.exists() {
        files.push(config);
    }
    // Any fixed order does: bytes compare faster than path components.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let files = files
        .into_par_iter()
        .map(|path| {
            let content = || {
                let path = path.strip_prefix(root).unwrap_or(&path);
                content_folders
                    .iter()
                    .any(|folder| path.starts_with(folder))
            };
            let hash = if leave_markdown && crate::load::is_markdown(&path) && content() {
                None
            } else {
                Some(file_hash(&path)?)
            };
            Some((path, hash))
        })
        .collect::<Option<_>>()?;
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    // Another build of newsdigest may render differently, whatever its version.
    let program = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    (program.len(), program.modified().ok()?).hash(&mut hasher);
    (&options.base_url, options.drafts, options.without_search).hash(&mut hasher);
    Some(Survey {
        files,
        content_folders,
        root: root.clone(),
        options: hasher,
    })
}

impl Survey {
    /// Whether some file is left for `finish` to hash.
    pub fn is_partial(&self) -> bool {
        self.files.iter().any(|(_, hash)| hash.is_none())
    }

    /// The fingerprint; None when some file cannot be hashed. A file left
    /// unhashed takes its hash from `read` (the hashes the load took of the
    /// bytes of each file it parsed, by path as walked; None where it could
    /// take none), or is read now: it is then one the build did not parse,
    /// so reads later if at all (Markdown copied as it is), and the hash is
    /// never of older bytes than the ones built.
    pub fn finish(self, read: &HashMap<PathBuf, Option<u64>>) -> Option<Fingerprint> {
        let Survey {
            files,
            content_folders,
            root,
            options,
        } = self;
        let hashes: Vec<u64> = files
            .par_iter()
            .map(|(path, hash)| match hash {
                Some(hash) => Some(*hash),
                None => match read.get(path) {
                    Some(hash) => *hash,
                    None => file_hash(path),
                },
            })
            .collect::<Option<_>>()?;
        let mut presentation = options;
        let mut all = presentation.clone();
        for ((path, _), hash) in files.iter().zip(hashes) {
            let path = path.strip_prefix(&root).unwrap_or(path);
            (path, hash).hash(&mut all);
            if !content_folders
                .iter()
                .any(|folder| path.starts_with(folder))
            {
                (path, hash).hash(&mut presentation);
            }
        }
        Some(Fingerprint {
            inputs: format!("{:016x}", all.finish()),
            presentation: presentation.finish(),
        })
    }
}

/// The hash `survey` takes of a file, given the bytes read from it and its
/// metadata taken before reading: by content up to `HASHED_BYTES`, else by
/// size and modification time. Changes between the two make a hash no later
/// build takes again, so such a build runs in full.
pub fn hash_read(bytes: &[u8], before: &std::fs::Metadata) -> Option<u64> {
    if bytes.len() as u64 <= HASHED_BYTES {
        Some(xxhash_rust::xxh3::xxh3_64(bytes))
    } else {
        metadata_hash(before)
    }
}

fn metadata_hash(metadata: &std::fs::Metadata) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    (metadata.len(), metadata.modified().ok()?).hash(&mut hasher);
    Some(hasher.finish())
}

fn file_hash(path: &Path) -> Option<u64> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.len() <= HASHED_BYTES {
        // Every input is read for this: xxh3 hashes it several times faster
        // than the standard hasher.
        Some(xxhash_rust::xxh3::xxh3_64(&std::fs::read(path).ok()?))
    } else {
        metadata_hash(&metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_build_takes_the_hashes_the_load_took() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("site.yaml", "title: T\n"),
            (
                "content/articles/2018-06-19-a.md",
                "---\ntitle: A\n---\nText.\n",
            ),
            ("content/people/jo.md", "---\nname: Jo\n---\n"),
            ("content/notes/idea.md", "An idea, copied as it is.\n"),
            ("themes/default/static/notes.md", "Read with the theme.\n"),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let options = BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let site = crate::config::load(root, None).unwrap();
        let loaded = crate::load::load(root, &site, Default::default()).unwrap();
        assert_eq!(loaded.read.len(), 2, "the article and the profile");
        let full = survey(&options, false)
            .unwrap()
            .finish(&HashMap::new())
            .unwrap();

        let first = || survey(&options, true).unwrap();
        let left: Vec<_> = first()
            .files
            .into_iter()
            .filter(|(_, hash)| hash.is_none())
            .map(|(path, _)| path)
            .collect();
        assert_eq!(left.len(), 3, "the content's Markdown, not the theme's");
        assert_eq!(first().finish(&loaded.read), Some(full.clone()));

        // The hashes are the load's, not taken from the files again.
        let mut other = loaded.read.clone();
        other.values_mut().for_each(|hash| *hash = Some(0));
        assert_ne!(first().finish(&other).unwrap().inputs, full.inputs);
        // A file parsed without a hash leaves the inputs unrecorded.
        other.values_mut().for_each(|hash| *hash = None);
        assert_eq!(first().finish(&other), None);
    }
}
