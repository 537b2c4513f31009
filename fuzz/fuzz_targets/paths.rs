//! Slugs and site paths: `slug::slugify`, `slug::name_key`,
//! `model::normalize_alias`, `model::to_url_path`, `model::output_file` and
//! the page path builders (`article_path`, `person_path`, `topic_path`,
//! `paginated`, and a page's `/<slug>/`).
//!
//! The input is the text (lossily decoded), and its first bytes also pick a
//! date and a page number. Invariants:
//! - a slug never contains `/`, `\`, `..` or NUL, never starts with `.`, and
//!   `slugify` is idempotent; `name_key` is idempotent too;
//! - an accepted alias starts with `/` (not `//`), has no `.` or `..`
//!   segment, no backslash, no NUL, and normalising it again changes nothing;
//! - every path built from a slug or an accepted alias, and every
//!   `to_url_path` result, maps through `output_file` to a relative file path
//!   made only of plain names: it cannot leave the output folder.

#![no_main]

use std::path::{Component, Path};

use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;
use newsdigest::model::{
    article_path, normalize_alias, output_file, paginated, person_path, to_url_path, topic_path,
};
use newsdigest::slug::{name_key, slugify};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let slug = slugify(&text);
    assert!(
        !slug.contains(['/', '\\', '\0']) && !slug.contains("..") && !slug.starts_with('.'),
        "unsafe slug {slug:?} from {text:?}"
    );
    assert_eq!(slugify(&slug), slug, "slugify is not idempotent on {text:?}");

    let key = name_key(&text);
    assert_eq!(name_key(&key), key, "name_key is not idempotent on {text:?}");

    if let Some(alias) = normalize_alias(&text) {
        assert!(
            alias.starts_with('/') && !alias.starts_with("//"),
            "alias {alias:?} from {text:?} is not a site path"
        );
        assert!(
            !alias.contains(['\\', '\0']),
            "alias {alias:?} from {text:?} has a backslash or NUL"
        );
        assert!(
            !alias.split('/').any(|s| s == ".." || s == "."),
            "alias {alias:?} from {text:?} has a dot segment"
        );
        assert_eq!(
            normalize_alias(&alias).as_deref(),
            Some(alias.as_str()),
            "normalize_alias is not idempotent on {text:?}"
        );
        assert_inside(&alias);
    }

    if !slug.is_empty() {
        let day = date(data);
        let page = usize::from(data.first().copied().unwrap_or(0));
        for path in [
            article_path(day, &slug),
            person_path(&slug),
            topic_path(&slug),
            paginated(&topic_path(&slug), page),
            format!("/{slug}/"),
        ] {
            assert!(path.starts_with('/') && path.ends_with('/'), "{path:?}");
            assert_inside(&path);
        }
    }

    let url = to_url_path(Path::new(&*text));
    assert!(!url.starts_with('/'), "to_url_path({text:?}) = {url:?}");
    if !url.is_empty() {
        assert!(
            url.split('/').all(|s| !s.is_empty() && s != "." && s != ".."),
            "to_url_path({text:?}) = {url:?}"
        );
    }
    assert_inside(&format!("/{url}"));
});

/// A valid date picked by the first bytes of the input.
fn date(data: &[u8]) -> Date {
    let byte = |i: usize| u16::from(data.get(i).copied().unwrap_or(0));
    let year = 1 + ((byte(1) << 8 | byte(2)) % 9999) as i16;
    let month = 1 + (byte(3) % 12) as i8;
    let day = 1 + (byte(4) % 28) as i8;
    Date::new(year, month, day).expect("a valid date")
}

/// The file written for `url_path` stays inside the output folder.
fn assert_inside(url_path: &str) {
    let file = output_file(url_path);
    assert!(
        file.components().all(|c| matches!(c, Component::Normal(_))),
        "{url_path:?} is written to {file:?}, outside the output folder"
    );
}
