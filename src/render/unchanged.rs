//! Pages a build need not render again. A page's key is a hash of its
//! template, the data it is rendered from, and the site's presentation
//! (themes, site.yaml, build options, newsdigest itself): the same key gives
//! the same bytes. The keys are kept in the output, in `KEYS_FILE`; a page
//! whose key is the one the previous build recorded for it is hard-linked
//! from the previous output instead of rendered, so an edit to one article
//! renders only the pages that show it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::error::Result;
use crate::model::output_file;
use crate::output::Writer;

/// Where the keys of a build's pages are kept, in its output: a 64-bit hash
/// of the page's path and its 128-bit key, little-endian, sorted by path.
pub const KEYS_FILE: &str = ".newsdigest-pages";

pub(super) struct PageKeys<'w> {
    presentation: u64,
    previous: HashMap<u64, u128>,
    current: Mutex<Vec<(u64, u128)>>,
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
            .chunks_exact(PAIR)
            .map(|pair| {
                let (path, key) = pair.split_at(8);
                (number(path) as u64, number(key))
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
        // A 128-bit key: a collision would keep a stale page.
        let mut hasher = Xxh3::new();
        hasher.update(&self.presentation.to_le_bytes());
        hasher.update(template.as_bytes());
        hasher.update(&[0]);
        // Writing to a hasher cannot fail, and the data is plain JSON.
        let _ = serde_json::to_writer(HashWriter(&mut hasher), data);
        let key = hasher.digest128();
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

/// Bytes of one entry of `KEYS_FILE`.
const PAIR: usize = 8 + 16;

fn path_hash(path: &str) -> u64 {
    xxh3_64(path.as_bytes())
}

/// A little-endian number of up to 16 bytes.
fn number(bytes: &[u8]) -> u128 {
    let mut array = [0; 16];
    array[..bytes.len()].copy_from_slice(bytes);
    u128::from_le_bytes(array)
}

/// Feeds what is written to a hasher.
struct HashWriter<'a>(&'a mut Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
