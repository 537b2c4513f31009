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

/// The hashes of the site's inputs; None when some file cannot be read (the
/// build then runs and reports it).
pub fn fingerprint(options: &BuildOptions) -> Option<Fingerprint> {
    survey(options, false)?.finish(&HashMap::new())
}

/// The site's input files, each hashed or waiting to be. A first build (no
/// previous output to compare with) leaves the Markdown files to the load,
/// which reads them anyway: `finish` then takes the hashes of the bytes the
/// build used.
pub struct Survey {
    /// Every input file, sorted, with its hash when it is taken already.
    files: Vec<(PathBuf, Option<u64>)>,
    /// Folders whose files are content, not presentation.
    content_folders: Vec<PathBuf>,
    root: PathBuf,
    /// The hash of the program and the build options.
    options: DefaultHasher,
}

/// Lists and hashes the site's input files; with `leave_markdown`, Markdown
/// files are listed but not read. None when some file cannot be read.
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
            let hash = match leave_markdown && crate::load::is_markdown(&path) {
                true => None,
                false => Some(file_hash(&path)?),
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

    /// The fingerprint. A file left unhashed takes its hash from `read` (the
    /// hashes the load took of the bytes it read, by path as walked), or is
    /// read now: it is then one the build reads later, if at all (Markdown
    /// that is copied as it is), so the hash is never of older bytes than
    /// the ones built.
    pub fn finish(self, read: &HashMap<PathBuf, u64>) -> Option<Fingerprint> {
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
                None => read.get(path).copied().or_else(|| file_hash(path)),
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
    match bytes.len() as u64 <= HASHED_BYTES {
        true => Some(xxhash_rust::xxh3::xxh3_64(bytes)),
        false => metadata_hash(before),
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
