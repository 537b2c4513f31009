//! Markdown: `markdown::render` (raw HTML shown as text) and
//! `markdown::render_with` a sanitising `HtmlPolicy` (the default
//! `raw_html: sanitize`), with the syntax `Highlighter` and mention detection
//! (`mentions::Detector` through `markdown::MentionRules`).
//!
//! Input layout: byte 0 chooses the options, then UTF-8 text whose first line
//! lists extra names (separated by `|`) given to both detectors, and whose
//! remainder is the Markdown.
//! - bits 0-1: mention links First / All / None / no mention rules at all;
//! - bit 2: a link target callback that rewrites every scheme-less link;
//! - bit 3: sanitise raw HTML (embeds from one listed host) instead of
//!   escaping it.
//!
//! Besides "never panics, never hangs", it checks that the HTML runs no code
//! (only the tags Markdown, or with bit 3 the sanitiser, lets through; no
//! `on*` attribute; no `javascript:`, `vbscript:` or `data:` URL in
//! `href`/`src`; an `<iframe>` only from the listed host), that found mentions
//! are known entities listed once, that `First` links each person exactly
//! once, that heading ids are unique and non-empty, and that link offsets are
//! in range.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsdigest::config::{MentionLinks, RawHtml};
use newsdigest::highlight::Highlighter;
use newsdigest::markdown::{self, HtmlPolicy, MentionRules, Resolved};
use newsdigest::mentions::Detector;
use newsdigest::model::EntityId;

/// Loaded once: the syntax definitions take a while to load.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(|| {
    let highlighter = Highlighter;
    highlighter.block("rust", "fn main() {}\n");
    highlighter
});

/// The one host embeds may come from when raw HTML is sanitised.
const EMBED_HOST: &str = "www.youtube.com";

static SANITIZE: LazyLock<HtmlPolicy> =
    LazyLock::new(|| HtmlPolicy::new(RawHtml::Sanitize, &[EMBED_HOST.to_string()]));

/// Names shaped like the site's people and topics (ids below 100).
const PEOPLE: &[&str] = &[
    "Jeff Sessions",
    "Sessions",
    "Kirstjen Nielsen",
    "Nielsen",
    "José Rodríguez",
    "George W. Bush",
    "President Bush",
    "Beto O'Rourke",
    "Dana Sabraw",
];
const TOPICS: &[&str] = &["zero tolerance", "Family separation", "Border", "Border Patrol"];
/// Ids of the names from the input start here.
const EXTRA: EntityId = 100;

/// Tags that rendered Markdown, highlighted code and mention links may contain.
const TAGS: &[&str] = &[
    "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "input", "li", "ol", "p", "pre", "section", "span", "strong", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
];

/// Tags the sanitiser keeps from raw HTML besides `TAGS`: its defaults, and
/// the form, media and embed tags `HtmlPolicy` adds.
const SANITIZED_TAGS: &[&str] = &[
    "abbr", "acronym", "area", "article", "aside", "audio", "b", "bdi", "bdo", "caption",
    "center", "cite", "col", "colgroup", "data", "dd", "details", "dfn", "dl", "dt", "figcaption",
    "figure", "footer", "header", "hgroup", "i", "iframe", "ins", "kbd", "map", "mark", "nav", "q",
    "rp", "rt", "rtc", "ruby", "s", "samp", "small", "source", "strike", "sub", "summary", "time",
    "tt", "u", "var", "video", "wbr",
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (names_line, body) = text.split_once('\n').unwrap_or(("", text));
    let extra: Vec<&str> = names_line.split('|').filter(|n| !n.is_empty()).take(16).collect();

    let person_names = PEOPLE
        .iter()
        .enumerate()
        // "President Bush" is claimed twice below, so it is ambiguous.
        .map(|(i, n)| (*n, if *n == "President Bush" { 5 } else { i as EntityId }))
        .chain([("President Bush", 6)])
        .chain(extra.iter().enumerate().map(|(i, n)| (*n, EXTRA + i as EntityId)));
    let people = Detector::new(person_names, false);
    let topic_names = TOPICS
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, 50 + i as EntityId))
        .chain(extra.iter().enumerate().map(|(i, n)| (*n, EXTRA + i as EntityId)));
    let topics = Detector::new(topic_names, true);
    let person_url = |id: EntityId| format!("/people/person-{id}/");
    let link = match flags & 3 {
        0 => Some(MentionLinks::First),
        1 => Some(MentionLinks::All),
        2 => Some(MentionLinks::None),
        _ => None,
    };
    let rules = link.map(|link| MentionRules {
        people: &people,
        topics: &topics,
        person_url: &person_url,
        link,
    });
    let rewrite = flags & 4 != 0;
    let link_target = |target: &str| rewrite.then(|| format!("/files/{target}"));

    let sanitize = flags & 8 != 0;
    let rendered = if sanitize {
        markdown::render_with(body, &HIGHLIGHTER, &link_target, rules.as_ref(), &SANITIZE)
    } else {
        markdown::render(body, &HIGHLIGHTER, &link_target, rules.as_ref())
    };

    check_html(&rendered.html, sanitize);

    let known_person = |id: EntityId| id < PEOPLE.len() as EntityId || id >= EXTRA;
    let known_topic = |id: EntityId| (50..50 + TOPICS.len() as EntityId).contains(&id) || id >= EXTRA;
    assert!(rendered.people.iter().all(|id| known_person(*id)), "{:?}", rendered.people);
    assert!(rendered.topics.iter().all(|id| known_topic(*id)), "{:?}", rendered.topics);
    assert!(!rendered.people.contains(&6), "an ambiguous name matched");
    assert_unique(&rendered.people, "people");
    assert_unique(&rendered.topics, "topics");
    let mention_links = rendered.html.matches("<a class=\"mention\" href=").count();
    match link {
        Some(MentionLinks::First) => assert_eq!(mention_links, rendered.people.len()),
        Some(MentionLinks::All) => assert!(mention_links >= rendered.people.len()),
        Some(MentionLinks::None) | None => assert_eq!(mention_links, 0),
    }
    if link.is_none() {
        assert!(rendered.people.is_empty() && rendered.topics.is_empty());
    }

    assert_unique(&rendered.ids, "heading ids");
    assert!(rendered.ids.iter().all(|id| !id.is_empty()) || body.contains("{#"));
    for use_ in &rendered.links {
        assert!(use_.offset <= body.len(), "link offset out of range");
        if use_.resolved == Resolved::Dropped {
            assert!(!newsdigest::html::is_safe_url(&use_.written));
        }
    }
});

fn assert_unique<T: PartialEq + std::fmt::Debug>(items: &[T], what: &str) {
    for (i, item) in items.iter().enumerate() {
        assert!(!items[..i].contains(item), "{what}: {item:?} listed twice");
    }
}

/// Every `<` in the output opens a tag (text is escaped): each tag must be
/// one the renderer (or the sanitiser) lets through, with no event handler
/// and no URL that runs code.
fn check_html(html: &str, sanitized: bool) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = tag_end(after).unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
        let tag = &after[..close];
        rest = &after[close + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name_end = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let known = TAGS.contains(&name.as_str())
            || (sanitized && SANITIZED_TAGS.contains(&name.as_str()));
        assert!(known, "unexpected tag <{tag}> in {html:?}");
        for (attribute, value) in attributes(&tag[name_end..]) {
            let attribute = attribute.to_ascii_lowercase();
            assert!(
                !attribute.starts_with("on"),
                "event handler attribute in <{tag}>: {html:?}"
            );
            if matches!(
                attribute.as_str(),
                "href" | "src" | "action" | "formaction" | "poster" | "srcset"
            ) {
                let url: String = decode_entities(&value)
                    .chars()
                    .filter(|c| !c.is_control() && !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{attribute}={value:?} runs code: {html:?}");
                }
                if name == "iframe" && attribute == "src" {
                    let listed = url
                        .strip_prefix(&format!("https://{EMBED_HOST}"))
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
                    assert!(listed, "<iframe src={value:?}> is not listed: {html:?}");
                }
            }
        }
    }
}

/// The `>` that closes a tag, outside quoted attribute values (a quote opens
/// a value only right after `=`).
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if previous == '=' => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
        previous = c;
    }
    None
}

/// `name="value"` and bare `name` pairs of a tag (values are escaped, so the
/// next `"` closes them).
fn attributes(mut text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    loop {
        text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if text.is_empty() {
            return found;
        }
        let end = text.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(text.len());
        let name = text[..end].to_string();
        text = &text[end..];
        let mut value = String::new();
        if let Some(rest) = text.strip_prefix('=') {
            if let Some(quoted) = rest.strip_prefix('"') {
                let close = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..close].to_string();
                text = quoted.get(close + 1..).unwrap_or("");
            } else {
                let close = rest.find(char::is_whitespace).unwrap_or(rest.len());
                value = rest[..close].to_string();
                text = &rest[close..];
            }
        }
        found.push((name, value));
    }
}

/// Decodes the character references a browser would in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => entity.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
