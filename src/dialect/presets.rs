//! What each preset knows about its generator: which front matter keys mean
//! what, where the posts are, and which folders hold the files posts link to.

use super::Preset;

/// Source key -> targets, for keys every preset reads alike.
const COMMON_FIELDS: &[(&str, &[&str])] = &[
    ("tags", &["topics"]),
    ("categories", &["topics"]),
    ("category", &["topics"]),
    ("author", &["authors", "people"]),
    ("authors", &["authors", "people"]),
    ("excerpt", &["summary"]),
    ("description", &["summary"]),
    ("published", &["published"]),
    ("permalink", &["slug"]),
    ("modified", &["updated"]),
    ("layout", &["ignore"]),
    ("comments", &["ignore"]),
    ("sitemap", &["ignore"]),
];

const JEKYLL_FIELDS: &[(&str, &[&str])] = &[
    ("last_modified_at", &["updated"]),
    ("redirect_from", &["aliases"]),
    ("redirect_to", &["ignore"]),
];

const HUGO_FIELDS: &[(&str, &[&str])] = &[
    ("lastmod", &["updated"]),
    ("publishDate", &["date"]),
    ("publishdate", &["date"]),
    ("pubdate", &["date"]),
    ("url", &["slug"]),
    ("images", &["image"]),
    ("type", &["ignore"]),
    ("weight", &["ignore"]),
    ("menu", &["ignore"]),
    ("outputs", &["ignore"]),
    ("build", &["ignore"]),
    ("_build", &["ignore"]),
    ("cascade", &["ignore"]),
    ("markup", &["ignore"]),
    ("headless", &["ignore"]),
];

const ELEVENTY_FIELDS: &[(&str, &[&str])] = &[
    ("eleventyExcludeFromCollections", &["ignore"]),
    ("eleventyNavigation", &["ignore"]),
    ("eleventyComputed", &["ignore"]),
    ("eleventyImport", &["ignore"]),
    ("pagination", &["ignore"]),
    ("templateEngineOverride", &["ignore"]),
];

/// The preset's field table: the common keys, then its own.
pub fn fields(preset: Preset) -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    let own = match preset {
        Preset::Jekyll => JEKYLL_FIELDS,
        Preset::Hugo => HUGO_FIELDS,
        Preset::Eleventy => ELEVENTY_FIELDS,
    };
    COMMON_FIELDS.iter().chain(own).copied()
}

/// Where the generator keeps posts, most usual first; the first that exists
/// is the articles folder.
pub fn article_folders(preset: Preset) -> &'static [&'static str] {
    match preset {
        Preset::Jekyll => &["_posts"],
        Preset::Hugo => &["content/posts", "content/post", "content/blog"],
        Preset::Eleventy => &["posts", "src/posts", "content/posts", "blog", "src/blog"],
    }
}

/// Folders copied into the site as they are (folder, site path), each used
/// when it exists.
pub fn static_folders(preset: Preset) -> &'static [(&'static str, &'static str)] {
    match preset {
        Preset::Jekyll => &[
            ("assets", "/assets/"),
            ("images", "/images/"),
            ("img", "/img/"),
        ],
        Preset::Hugo => &[("static", "/")],
        Preset::Eleventy => &[
            ("assets", "/assets/"),
            ("images", "/images/"),
            ("img", "/img/"),
            ("src/assets", "/assets/"),
            ("src/images", "/images/"),
            ("src/img", "/img/"),
        ],
    }
}

/// Separators between several names in one string, under every preset.
pub const NAME_SEPARATORS: &[&str] = &[",", ";", "&", "and"];

/// Keys whose one-string value is a list of words (Jekyll's own rule).
pub fn space_separated(preset: Preset) -> &'static [&'static str] {
    match preset {
        Preset::Jekyll => &["tags", "categories"],
        Preset::Hugo | Preset::Eleventy => &[],
    }
}

/// Tags that name a collection of the generator, not a subject.
pub fn ignored_topics(preset: Preset) -> &'static [&'static str] {
    match preset {
        Preset::Eleventy => &["post", "posts", "all"],
        Preset::Jekyll | Preset::Hugo => &[],
    }
}
