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

use serde_json::Value;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::fragments::{self, Keyed};
use crate::error::Result;
use crate::model::output_file;
use crate::output::Writer;

/// Where the keys of a build's pages are kept, in its output: a 64-bit hash
/// of the page's path and its 128-bit key, little-endian, sorted by path.
pub const KEYS_FILE: &str = ".newsdigest-pages";

pub(super) struct PageKeys<'w> {
    /// The presentation and what every page's data holds alike.
    presentation: u128,
    previous: HashMap<u64, u128>,
    current: Mutex<Vec<(u64, u128)>>,
    writer: &'w Writer<'w>,
    reused: AtomicUsize,
}

impl<'w> PageKeys<'w> {
    /// Keys for pages written through `writer`, whose previous output may
    /// hold the keys of the previous build. Every page's data holds `shared`
    /// besides its own.
    pub(super) fn new(writer: &'w Writer<'w>, presentation: u64, shared: &[&Value]) -> Self {
        // 128 bits, as for the rest of a page's key.
        let mut bytes = presentation.to_le_bytes().to_vec();
        for value in shared {
            encode_value(value, &mut bytes);
        }
        let presentation = xxh3_128(&bytes);
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
    /// `data` and what `stand_in` identifies. True when the previous build
    /// rendered the same page from the same data and its file now stands in
    /// the new output.
    pub(super) fn reuse(
        &self,
        path: &str,
        template: &str,
        data: &Value,
        stand_in: &[u8],
    ) -> Result<bool> {
        // A 128-bit key: a collision would keep a stale page.
        let key = KEY_BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            bytes.extend(self.presentation.to_le_bytes());
            encode(template, bytes);
            encode_value(data, bytes);
            bytes.extend_from_slice(stand_in);
            xxh3_128(bytes)
        });
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

/// A 128-bit hash of `value`, for a page's key to hold data its own
/// does not.
pub(super) fn fingerprint(value: &Value) -> u128 {
    KEY_BYTES.with_borrow_mut(|bytes| {
        bytes.clear();
        encode_value(value, bytes);
        xxh3_128(bytes)
    })
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

thread_local! {
    /// What a page's key is the hash of, kept from page to page.
    static KEY_BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Appends `text`, prefixed with its length, so that no two sequences of
/// strings give the same bytes.
fn encode(text: &str, bytes: &mut Vec<u8>) {
    bytes.extend((text.len() as u64).to_le_bytes());
    bytes.extend_from_slice(text.as_bytes());
}

/// Appends `value` in a form that tells any two values apart: a tag per
/// kind, lengths before contents. Cheaper than JSON, which escapes strings.
fn encode_value(value: &Value, bytes: &mut Vec<u8>) {
    match value {
        Value::Null => bytes.push(b'n'),
        Value::Bool(b) => bytes.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(n), _, _) => {
                bytes.push(b'u');
                bytes.extend(n.to_le_bytes());
            }
            (None, Some(n), _) => {
                bytes.push(b'i');
                bytes.extend(n.to_le_bytes());
            }
            (None, None, n) => {
                bytes.push(b'd');
                bytes.extend(n.unwrap_or(f64::NAN).to_bits().to_le_bytes());
            }
        },
        Value::String(text) => {
            bytes.push(b's');
            encode(text, bytes);
        }
        Value::Array(items) => {
            bytes.push(b'[');
            bytes.extend((items.len() as u64).to_le_bytes());
            for item in items {
                encode_value(item, bytes);
            }
        }
        Value::Object(map) => {
            bytes.push(b'{');
            // The count of fields goes before them, once they are counted.
            let count_at = bytes.len();
            bytes.extend(0u64.to_le_bytes());
            let mut count = 0u64;
            for (key, item) in map {
                match fragments::keyed(key, item) {
                    Keyed::Value => {
                        encode(key, bytes);
                        encode_value(item, bytes);
                    }
                    // Fragments follow from the data beside them (and the
                    // theme).
                    Keyed::Skipped => continue,
                    Keyed::Text(text) => {
                        encode(key, bytes);
                        bytes.push(b'h');
                        encode(text, bytes);
                    }
                }
                count += 1;
            }
            bytes[count_at..count_at + 8].copy_from_slice(&count.to_le_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bytes(value: Value) -> Vec<u8> {
        let mut bytes = Vec::new();
        encode_value(&value, &mut bytes);
        bytes
    }

    #[test]
    fn fragments_are_left_out_of_keys() {
        let plain = bytes(json!({"title": "A", "topics": [{"name": "B"}]}));
        let with = bytes(json!({
            "title": "A",
            "card_html": fragments::beside(3),
            "topics": [{"name": "B", "entry_html": fragments::beside(12)}]
        }));
        assert_eq!(plain, with);
        let other = json!({"title": "A", "topics": [{"name": "C"}]});
        assert_ne!(plain, bytes(other));
        for text in ["text", "\u{0}fragment 3"] {
            let from_content = json!({"title": "A", "card_html": text, "topics": [{"name": "B"}]});
            assert_ne!(
                plain,
                bytes(from_content),
                "a field of that name from content counts"
            );
        }
    }

    #[test]
    fn a_stand_in_alone_is_keyed_by_its_hash_not_its_number() {
        let card = |stand_in: String| bytes(json!([{ "card_html": stand_in }]));
        assert_eq!(
            card(fragments::alone(7, 3)),
            card(fragments::alone(7, 4)),
            "an article added before it moves its number"
        );
        assert_ne!(card(fragments::alone(7, 3)), card(fragments::alone(8, 3)));
        let from_content = format!("\u{0}item {:032x} 3", 7);
        assert_ne!(card(fragments::alone(7, 3)), card(from_content));
    }

    #[test]
    fn different_data_never_encodes_the_same() {
        let values = [
            json!(["ab", "c"]),
            json!(["a", "bc"]),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!([["a"], "b"]),
            json!([["a", "b"]]),
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!(1),
            json!(-1),
            json!(1.5),
            json!("1"),
            json!(true),
            json!(false),
        ];
        for (i, a) in values.iter().enumerate() {
            for b in &values[i + 1..] {
                assert_ne!(bytes(a.clone()), bytes(b.clone()), "{a} and {b}");
            }
        }
    }
}
