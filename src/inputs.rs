//! Everything a build's output depends on, hashed: when a build finds the
//! same hash in the previous output's marker, that output is already what it
//! would write, and nothing is done.

use std::collections::hash_map::DefaultHasher;
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
    files.sort();
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|path| file_hash(path))
        .collect::<Option<_>>()?;
    let mut presentation = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut presentation);
    // Another build of newsdigest may render differently, whatever its version.
    let program = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    (program.len(), program.modified().ok()?).hash(&mut presentation);
    (&options.base_url, options.drafts, options.without_search).hash(&mut presentation);
    let mut all = presentation.clone();
    for (path, hash) in files.iter().zip(hashes) {
        let path = path.strip_prefix(root).unwrap_or(path);
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

fn file_hash(path: &Path) -> Option<u64> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.len() <= HASHED_BYTES {
        // Every input is read for this: xxh3 hashes it several times faster
        // than the standard hasher.
        Some(xxhash_rust::xxh3::xxh3_64(&std::fs::read(path).ok()?))
    } else {
        let mut hasher = DefaultHasher::new();
        (metadata.len(), metadata.modified().ok()?).hash(&mut hasher);
        Some(hasher.finish())
    }
}
