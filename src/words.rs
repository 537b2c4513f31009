//! The words of articles, for the search index: split and folded the same
//! way here and in `search.js` (lowercased, decomposed with combining marks
//! removed, split on anything that is not a letter or a digit), and the
//! articles that hold each word.

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Longer "words" are identifiers, hashes or URLs: not indexed.
const MAX_WORD_CHARS: usize = 40;

/// Each byte's class in a word: 0 for none (any byte but an ASCII letter
/// or digit), `UPPER` for an uppercase letter, 1 for the others.
const ASCII_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if b.is_ascii_uppercase() {
            table[byte] = UPPER;
        } else if b.is_ascii_alphanumeric() {
            table[byte] = 1;
        }
        byte += 1;
    }
    table
};
const UPPER: u8 = 2;

/// Splits text into folded words. Text comes a piece at a time: a piece can
/// continue the word the previous one ended with, until `flush`.
#[derive(Default)]
pub struct Tokenizer {
    word: String,
    /// Whether `word` is all ASCII, and so already folded.
    ascii: bool,
    folded: String,
}

impl Tokenizer {
    /// Calls `each` with every word `text` ends. In HTML, tags are skipped
    /// and character references separate words.
    pub fn feed(&mut self, text: &str, html: bool, each: &mut impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii_alphanumeric() {
                // A run of ASCII letters and digits at a time.
                let mut end = at;
                let mut upper = false;
                while let Some(&class) = bytes.get(end).map(|b| &ASCII_WORD[*b as usize]) {
                    if class == 0 {
                        break;
                    }
                    upper |= class == UPPER;
                    end += 1;
                }
                let run = &text[at..end];
                let ends_word = bytes.get(end).is_some_and(u8::is_ascii);
                if self.word.is_empty() && ends_word && !upper {
                    // A whole word, folded already: no copy.
                    if run.len() <= MAX_WORD_CHARS {
                        each(run);
                    }
                } else {
                    if self.word.is_empty() {
                        self.ascii = true;
                    }
                    let start = self.word.len();
                    self.word.push_str(run);
                    self.word[start..].make_ascii_lowercase();
                }
                at = end;
            } else if byte.is_ascii() {
                self.flush(each);
                at += 1;
                if html && byte == b'<' {
                    at = bytes[at..]
                        .iter()
                        .position(|b| *b == b'>')
                        .map_or(bytes.len(), |end| at + end + 1);
                } else if html && byte == b'&' {
                    while at < bytes.len()
                        && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'#')
                    {
                        at += 1;
                    }
                    if bytes.get(at) == Some(&b';') {
                        at += 1;
                    }
                }
            } else {
                // Only ASCII ends a char: `at` starts one here.
                let c = text[at..].chars().next().unwrap_or_default();
                at += c.len_utf8();
                if c.is_alphanumeric() || is_combining_mark(c) {
                    self.ascii = false;
                    self.word.push(c);
                } else {
                    self.flush(each);
                }
            }
        }
    }

    /// Ends the current word, if any.
    pub fn flush(&mut self, each: &mut impl FnMut(&str)) {
        if self.word.is_empty() {
            return;
        }
        if self.ascii {
            if self.word.len() <= MAX_WORD_CHARS {
                each(&self.word);
            }
        } else if self.word.chars().count() <= MAX_WORD_CHARS {
            fold(&self.word, &mut self.folded);
            each(&self.folded);
        }
        self.word.clear();
    }
}

/// Calls `each` with every folded word of `text`.
pub fn words(text: &str, html: bool, mut each: impl FnMut(&str)) {
    let mut tokenizer = Tokenizer::default();
    tokenizer.feed(text, html, &mut each);
    tokenizer.flush(&mut each);
}

/// The distinct words of a text, gathered a piece at a time.
#[derive(Default)]
pub struct Distinct {
    tokenizer: Tokenizer,
    found: FxHashSet<String>,
}

impl Distinct {
    pub fn feed(&mut self, text: &str, html: bool) {
        let found = &mut self.found;
        self.tokenizer.feed(text, html, &mut |w| {
            if !found.contains(w) {
                found.insert(w.to_string());
            }
        });
    }

    /// Ends the current word: what comes next starts a new one.
    pub fn flush(&mut self) {
        let found = &mut self.found;
        self.tokenizer.flush(&mut |w| {
            if !found.contains(w) {
                found.insert(w.to_string());
            }
        });
    }

    pub fn finish(mut self) -> Vec<String> {
        self.flush();
        self.found.into_iter().collect()
    }
}

/// `word` lowercased and without diacritics, into `folded`.
fn fold(word: &str, folded: &mut String) {
    folded.clear();
    if word.is_ascii() {
        folded.push_str(word);
        folded.make_ascii_lowercase();
    } else {
        folded.extend(
            word.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// An ascending list of numbers, stored as LEB128 differences while it grows.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Postings {
    last: Option<u32>,
    /// How many numbers the list holds.
    pub count: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, value: u32) {
        let mut delta = value - self.last.unwrap_or(0);
        self.last = Some(value);
        self.count += 1;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
    }

    /// The differences between consecutive numbers, the first from 0.
    pub fn deltas(&self) -> Vec<u32> {
        let mut deltas = Vec::with_capacity(self.count as usize);
        let (mut value, mut shift) = (0u32, 0);
        for byte in &self.bytes {
            value |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                deltas.push(value);
                (value, shift) = (0, 0);
            }
        }
        deltas
    }

    /// Every number, in order.
    fn values(&self) -> Vec<u32> {
        let mut value = 0;
        self.deltas()
            .into_iter()
            .map(|delta| {
                value += delta;
                value
            })
            .collect()
    }

    fn of(values: impl IntoIterator<Item = u32>) -> Self {
        let mut list = Postings::default();
        values.into_iter().for_each(|value| list.push(value));
        list
    }
}

/// The words of every article, with the articles that hold them. Article
/// `id` is posted as `id * 2 + 1` when its title has the word, `id * 2`
/// when only its body does.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub postings: FxHashMap<String, Postings>,
}

impl Words {
    /// Adds article `id`, with the distinct words of its body; ids come in
    /// ascending order.
    pub fn add(&mut self, id: usize, title: &str, body: Vec<String>) {
        for (word, value) in posted(id, title, body) {
            match self.postings.get_mut(&word) {
                Some(list) => list.push(value),
                None => self.postings.entry(word).or_default().push(value),
            }
        }
    }

    /// Takes article `id` out, given the title and distinct body words it
    /// was added with: a word no other article holds is gone.
    pub fn remove(&mut self, id: usize, title: &str, body: Vec<String>) {
        for (word, value) in posted(id, title, body) {
            let Some(list) = self.postings.get_mut(&word) else {
                continue;
            };
            let rest: Vec<u32> = list.values().into_iter().filter(|v| *v != value).collect();
            if rest.is_empty() {
                self.postings.remove(&word);
            } else {
                *list = Postings::of(rest);
            }
        }
    }

    /// Adds article `id` wherever it falls among those added already.
    pub fn insert(&mut self, id: usize, title: &str, body: Vec<String>) {
        for (word, value) in posted(id, title, body) {
            let list = self.postings.entry(word).or_default();
            if list.last.is_none_or(|last| last < value) {
                list.push(value);
            } else {
                let mut values = list.values();
                if let Err(at) = values.binary_search(&value) {
                    values.insert(at, value);
                }
                *list = Postings::of(values);
            }
        }
    }
}

/// Each word of an article with the number it is posted as: `id * 2 + 1`
/// for the words of its title, `id * 2` for those only its body has.
fn posted(id: usize, title: &str, body: Vec<String>) -> Vec<(String, u32)> {
    let mut in_title: FxHashSet<String> = FxHashSet::default();
    words(title, false, |w| {
        if !in_title.contains(w) {
            in_title.insert(w.to_string());
        }
    });
    let value = (id * 2) as u32;
    let body: Vec<(String, u32)> = body
        .into_iter()
        .filter(|w| !in_title.contains(w))
        .map(|w| (w, value))
        .collect();
    in_title
        .into_iter()
        .map(|w| (w, value + 1))
        .chain(body)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, html: bool) -> Vec<String> {
        let mut found = Vec::new();
        words(text, html, |w| found.push(w.to_string()));
        found
    }

    #[test]
    fn words_are_folded_and_split_like_the_browser_does() {
        assert_eq!(
            all(
                "<p>Peña &amp; O’Brien met <a href=\"x\">Zoë</a> in 2018.</p>",
                true
            ),
            ["pena", "o", "brien", "met", "zoe", "in", "2018"]
        );
        assert_eq!(all("AT&T", false), ["at", "t"]);
        assert_eq!(all("Schäfer SCHÄFER Schäfer", false), ["schafer"; 3]);
        assert_eq!(
            all("naïve NAÏVE x2 X2.", false),
            ["naive", "naive", "x2", "x2"]
        );
        // Words too long to be searched for are left out, whatever their case.
        let long = "a".repeat(MAX_WORD_CHARS);
        let text = format!("{long} {long}b {} {}B ok", long.to_uppercase(), long);
        assert_eq!(all(&text, false), [long.as_str(), &long, "ok"]);
    }

    #[test]
    fn a_word_can_span_pieces_until_flushed() {
        let mut distinct = Distinct::default();
        distinct.feed("caf", false);
        distinct.feed("é au", false);
        distinct.flush();
        distinct.feed("lait", false);
        let mut found = distinct.finish();
        found.sort();
        assert_eq!(found, ["au", "cafe", "lait"]);

        let mut distinct = Distinct::default();
        distinct.feed("news", false);
        distinct.feed("Digest and", false);
        distinct.feed(" more", false);
        let mut found = distinct.finish();
        found.sort();
        assert_eq!(found, ["and", "more", "newsdigest"]);
    }

    #[test]
    fn title_words_are_posted_odd_and_once() {
        let mut words = Words::default();
        words.add(0, "Rain in Spain", vec!["rain".into(), "plain".into()]);
        words.add(3, "Dry", vec!["rain".into()]);
        assert_eq!(words.postings["rain"].deltas(), [1, 5]);
        assert_eq!(words.postings["plain"].deltas(), [0]);
        assert_eq!(words.postings["dry"].deltas(), [7]);
    }

    /// Splits as `Tokenizer` does, a char at a time: the plain statement of
    /// what the fast path must do.
    fn reference(text: &str, html: bool) -> Vec<String> {
        let mut found = Vec::new();
        let mut word = String::new();
        let mut flush = |word: &mut String| {
            if !word.is_empty() && word.chars().count() <= MAX_WORD_CHARS {
                let mut folded = String::new();
                fold(word, &mut folded);
                found.push(folded);
            }
            word.clear();
        };
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if html && c == '<' {
                flush(&mut word);
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            } else if html && c == '&' {
                flush(&mut word);
                while chars
                    .next_if(|c| c.is_ascii_alphanumeric() || *c == '#')
                    .is_some()
                {}
                chars.next_if_eq(&';');
            } else if c.is_alphanumeric() || is_combining_mark(c) {
                word.push(c);
            } else {
                flush(&mut word);
            }
        }
        flush(&mut word);
        found
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_splits_as_the_reference(
            text in "[a-zA-Z0-9 <>&;#éÉøß\u{301}\u{3c0}一,.'’-]{0,60}",
            html: bool,
        ) {
            proptest::prop_assert_eq!(all(&text, html), reference(&text, html));
        }

        #[test]
        fn a_text_fed_in_two_pieces_splits_as_the_reference(
            text in "[a-zA-Z0-9 éÉøß\u{301}\u{3c0}一,.'’-]{0,60}",
            cut in 0usize..80,
        ) {
            let cut = (0..=cut.min(text.len()))
                .rev()
                .find(|at| text.is_char_boundary(*at))
                .unwrap_or(0);
            let mut found = Vec::new();
            let mut each = |word: &str| found.push(word.to_string());
            let mut tokenizer = Tokenizer::default();
            tokenizer.feed(&text[..cut], false, &mut each);
            tokenizer.feed(&text[cut..], false, &mut each);
            tokenizer.flush(&mut each);
            proptest::prop_assert_eq!(found, reference(&text, false));
        }
    }

    #[test]
    fn an_article_taken_out_and_put_back_is_posted_where_it_belongs() {
        let mut words = Words::default();
        for (id, title) in ["Rain", "Sun", "Rain again"].into_iter().enumerate() {
            words.add(id, title, vec!["weather".into()]);
        }
        words.remove(1, "Sun", vec!["weather".into()]);
        assert!(!words.postings.contains_key("sun"), "its only article left");
        assert_eq!(words.postings["weather"].deltas(), [0, 4]);
        words.insert(1, "More rain", vec!["weather".into()]);
        let mut fresh = Words::default();
        for (id, title) in ["Rain", "More rain", "Rain again"].into_iter().enumerate() {
            fresh.add(id, title, vec!["weather".into()]);
        }
        assert_eq!(words, fresh);
    }

    #[test]
    fn postings_round_trip_as_differences() {
        let mut list = Postings::default();
        for value in [0, 1, 5, 300, 70_000] {
            list.push(value);
        }
        assert_eq!(list.deltas(), [0, 1, 4, 295, 69_700]);
    }
}
