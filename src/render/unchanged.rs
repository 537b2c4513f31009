//! Pages a build need not render again. A page's key is a hash of its
//! template, the data it is rendered from, and the site's presentation
//! (themes, site.yaml, build options, newsdigest itself): the same key gives
//! the same bytes. The keys are kept in the output, in `KEYS_FILE`; a page
//! whose key is the one the previous build recorded for it is hard-linked
//! from the previous output instead of rendered, so an edit to one article
//! renders only the pages that show it.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Result;
use crate::model::output_file;
use crate::output::Writer;

/// Where the keys of a build's pages are kept, in its output: pairs of
/// little-endian 64-bit numbers, a hash of the page's path and its key,
/// sorted.
pub const KEYS_FILE: &str = ".newsdigest-pages";

pub(super) struct PageKeys<'w> {
    presentation: u64,
    previous: HashMap<u64, u64>,
    current: Mutex<Vec<(u64, u64)>>,
    writer: &'w Writer<'w>,
    reused: AtomicUsize,
}

impl<'w> PageKeys<'w> {
    /// Keys for pages written through `writer`, whose previous output may
    /// hold the keys of the previous build.
    pub(super) fn new(writer: &'w Writer<'w>, presentation: u64) -> Self {
        let bytes = writer
            .previous_bytes(Path::new(KEYS_FILE))
            .unwrap_or_default();
        let previous = bytes
            .chunks_exact(16)
            .map(|pair| {
                let (path, key) = pair.split_at(8);
                (number(path), number(key))
            })
            .collect();
        PageKeys {
            presentation,
            previous,
            current: Mutex::default(),
            writer,
            reused: AtomicUsize::new(0),
        }
    }

    /// Records the key of the page at `path`, rendered with `template` from
    /// `data`. True when the previous build rendered the same page from the
    /// same data and its file now stands in the new output.
    pub(super) fn reuse(
        &self,
        path: &str,
        template: &str,
        data: &serde_json::Value,
    ) -> Result<bool> {
        let mut hasher = DefaultHasher::new();
        (self.presentation, template).hash(&mut hasher);
        // Writing to a hasher cannot fail, and the data is plain JSON.
        let _ = serde_json::to_writer(HashWriter(&mut hasher), data);
        let key = hasher.finish();
        let path_hash = path_hash(path);
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path_hash, key));
        let same = self.previous.get(&path_hash) == Some(&key);
        if same && self.writer.reuse(&output_file(path))? {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(true);
        }
        Ok(false)
    }

    /// How many pages were kept from the previous build.
    pub(super) fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// The contents of `KEYS_FILE` for this build.
    pub(super) fn file(&self) -> Vec<u8> {
        let mut keys = self
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        keys.sort_unstable();
        keys.iter()
            .flat_map(|(path, key)| path.to_le_bytes().into_iter().chain(key.to_le_bytes()))
            .collect()
    }
}

fn path_hash(path: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    path.hash(&mut hasher);
    hasher.finish()
}

fn number(bytes: &[u8]) -> u64 {
    let mut array = [0; 8];
    array.copy_from_slice(bytes);
    u64::from_le_bytes(array)
}

/// Feeds what is written to a hasher.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
