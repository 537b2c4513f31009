//! Markdown to HTML, once per document: GFM extensions, heading ids, smart
//! punctuation, highlighted code, raw HTML shown as text, and relative links to
//! files under content/ turned into their site URLs.

use std::collections::HashSet;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::{MentionLinks, RawHtml};
use crate::highlight::{CodeBlocks, Highlighter};
use crate::html::escape;
use crate::load::ImageSize;
use crate::mentions::Detector;
use crate::model::EntityId;
use crate::slug::slugify;

/// A document's HTML, the plain text of its first paragraph (the default
/// summary), and the people and topics its text mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub lead: String,
    /// People named in the text, in order of first mention.
    pub people: Vec<EntityId>,
    /// Topics named in the text (only those with `detect: true`).
    pub topics: Vec<EntityId>,
    /// Every heading id, for checking `#anchor` links.
    pub ids: Vec<String>,
    /// Every link and image, for checking them.
    pub links: Vec<LinkUse>,
    /// The distinct words of the text, folded for the search index, when
    /// asked for (`Pass::words`).
    pub words: Vec<String>,
}

/// A link or image in a document, with what became of its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    /// Byte offset in the Markdown where the link starts.
    pub offset: usize,
    /// The line of the Markdown where the link starts, from 0, and the
    /// column, from 1 (in characters): the text is not kept to count them.
    pub line: usize,
    pub column: usize,
    pub written: String,
    pub resolved: Resolved,
    pub image: bool,
}

/// What a link target became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Rewritten: a file under content/, or a path under the site's sub-path.
    To(String),
    /// Removed, because following it would run code.
    Dropped,
    /// Kept as written: a full URL, an anchor, or a relative target that names
    /// no file under content/.
    AsWritten,
}

/// What the site knows of a link or image target written without a scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The URL to write instead of the one written, if any: the address of a
    /// file under content/, or a path under the site's sub-path.
    pub url: Option<String>,
    /// The size of the image file the target names, if it is one.
    pub size: Option<ImageSize>,
}

impl LinkUse {
    /// A relative target that names no file under content/: a broken link
    /// when it points at a Markdown file or is an image.
    pub fn is_missing_file(&self) -> bool {
        let relative = !self.written.is_empty()
            && !self.written.starts_with(['#', '/'])
            && !self.written.contains(':');
        let path = self.written.split(['#', '?']).next().unwrap_or_default();
        // A name with an extension is a file (`report.pdf`, `2018-06-18-x.md`);
        // `../archive/` is a folder, which may be served by other means.
        let file_name = path.rsplit('/').next().unwrap_or_default();
        let is_file = file_name
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty());
        relative && self.resolved == Resolved::AsWritten && (is_file || self.image)
    }

    /// The `#anchor` of the target, if any.
    pub fn fragment(&self) -> Option<&str> {
        self.written
            .split_once('#')
            .map(|(_, f)| f)
            .filter(|f| !f.is_empty())
    }
}

/// How to find and link mentions while rendering.
pub struct MentionRules<'a> {
    pub people: &'a Detector,
    pub topics: &'a Detector,
    pub person_url: &'a (dyn Fn(EntityId) -> String + Sync),
    pub link: MentionLinks,
}

/// The Markdown extensions newsdigest turns on (the lower-bound benchmark
/// parses with the same).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What becomes of HTML written inside Markdown (`markdown.raw_html`), with
/// the sanitiser built once for the whole site.
pub struct HtmlPolicy {
    mode: RawHtml,
    sanitizer: ammonia::Builder<'static>,
}

impl HtmlPolicy {
    /// `embeds` lists the hosts whose pages an `<iframe>` may show.
    pub fn new(mode: RawHtml, embeds: &[String]) -> Self {
        let mut sanitizer = ammonia::Builder::default();
        // Keep what the Markdown renderer itself writes: heading and footnote
        // ids, classes of code, mentions and footnotes, task list checkboxes,
        // table alignment; plus embeds from the listed hosts.
        sanitizer
            .add_generic_attributes(["id", "class", "aria-label", "aria-hidden"])
            .add_tags(["input", "iframe", "video", "audio", "source"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("img", ["title", "loading"])
            .add_tag_attributes(
                "iframe",
                [
                    "src",
                    "title",
                    "width",
                    "height",
                    "allow",
                    "allowfullscreen",
                    "loading",
                    "referrerpolicy",
                ],
            )
            .add_tag_attributes("video", ["src", "controls", "width", "height", "poster"])
            .add_tag_attributes("audio", ["src", "controls"])
            .add_tag_attributes("source", ["src", "type"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(["text-align"].into())
            .link_rel(None);
        let hosts: Vec<String> = embeds.iter().map(|h| h.to_ascii_lowercase()).collect();
        sanitizer.attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                ("iframe", "src") => embed_allowed(value, &hosts).then(|| value.into()),
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                _ => Some(value.into()),
            },
        );
        HtmlPolicy { mode, sanitizer }
    }

    /// Raw HTML shown as text.
    pub fn escape() -> Self {
        HtmlPolicy::new(RawHtml::Escape, &[])
    }
}

/// True for an `https://` URL on one of `hosts`.
fn embed_allowed(url: &str, hosts: &[String]) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // No credentials or ports: `https://youtube.com@evil.example/`.
    !host.contains(['@', ':', '\\']) && hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// Renders `markdown`, showing raw HTML as text. `link_target` tells what
/// the site knows of a link or image target without a scheme (relative, or
/// from the site root): the URL to use instead, and an image's size.
pub fn render<'a>(
    markdown: &'a str,
    highlighter: &Highlighter,
    link_target: &dyn Fn(&str) -> Target,
    mentions: Option<&MentionRules>,
) -> Rendered {
    static ESCAPE: std::sync::OnceLock<HtmlPolicy> = std::sync::OnceLock::new();
    let policy = ESCAPE.get_or_init(HtmlPolicy::escape);
    render_with(markdown, highlighter, link_target, mentions, policy)
}

/// Renders `markdown` with raw HTML treated as `policy` says.
pub fn render_with(
    markdown: &str,
    highlighter: &Highlighter,
    link_target: &dyn Fn(&str) -> Target,
    mentions: Option<&MentionRules>,
    policy: &HtmlPolicy,
) -> Rendered {
    convert(
        markdown,
        highlighter,
        link_target,
        mentions,
        policy,
        Pass::HTML,
    )
}

/// What a pass over a document makes besides what it always finds (lead,
/// mentions, heading ids, links): the HTML, the search words, both, or
/// neither (the cheaper pass that builds the site's index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub html: bool,
    pub words: bool,
}

impl Pass {
    /// The HTML alone, as `render_with` makes it.
    pub const HTML: Pass = Pass {
        html: true,
        words: false,
    };
}

/// Converts `markdown` as `pass` says, with raw HTML treated as `policy`
/// says. Without HTML, `highlighter` is not used.
pub fn convert<'a>(
    markdown: &'a str,
    highlighter: &Highlighter,
    link_target: &dyn Fn(&str) -> Target,
    mentions: Option<&MentionRules>,
    policy: &HtmlPolicy,
    pass: Pass,
) -> Rendered {
    let (mut events, offsets): (Vec<Event>, Vec<usize>) = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(event, range)| (event, range.start))
        .unzip();
    let ids = assign_heading_ids(&mut events);
    let lead = first_paragraph(&events);
    let mut links = Vec::new();
    let mut has_raw_html = false;
    let allow = policy.mode == RawHtml::Allow;
    let mut position = Position::default();
    // The size of each image, in order, when its file is known.
    let mut image_sizes = Vec::new();
    let mut retarget = |url: CowStr<'a>, offset: usize, image: bool| {
        let (resolved, size) = retarget(&url, link_target, allow);
        if image {
            image_sizes.push(size);
        }
        let (line, column) = position.at(markdown, offset);
        links.push(LinkUse {
            offset,
            line,
            column,
            written: url.to_string(),
            resolved: resolved.clone(),
            image,
        });
        match resolved {
            Resolved::To(target) => CowStr::from(target),
            Resolved::Dropped => CowStr::from(""),
            Resolved::AsWritten => url,
        }
    };
    let events: Vec<Event> = events
        .into_iter()
        .zip(offsets)
        .map(|(event, offset)| match event {
            Event::Html(raw) | Event::InlineHtml(raw) if policy.mode == RawHtml::Escape => {
                Event::Text(raw)
            }
            event @ (Event::Html(_) | Event::InlineHtml(_)) => {
                has_raw_html = true;
                event
            }
            // `# Title {key=value}` would write any attribute, `onclick` too:
            // only ids and classes are kept, unless raw HTML is allowed.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: if allow { attrs } else { Vec::new() },
            }),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: retarget(dest_url, offset, false),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: retarget(dest_url, offset, true),
                title,
                id,
            }),
            other => other,
        })
        .collect();
    let (events, people, topics) = match mentions {
        Some(rules) => link_mentions(events, rules),
        None => (events, Vec::new(), Vec::new()),
    };
    let words = if pass.words {
        text_words(&events)
    } else {
        Vec::new()
    };
    let mut html = String::new();
    if pass.html {
        html.reserve(markdown.len() * 3 / 2);
        let events = write_images(events, &image_sizes);
        html::push_html(&mut html, CodeBlocks::new(events.into_iter(), highlighter));
        if has_raw_html && policy.mode == RawHtml::Sanitize {
            // What the renderer writes is safe by itself: only documents with
            // raw HTML pay for sanitising.
            html = policy.sanitizer.clean(&html).to_string();
        }
    }
    Rendered {
        html,
        lead,
        people,
        topics,
        ids,
        links,
        words,
    }
}

/// The distinct words of a document's text as a reader sees it: text and
/// code, with no word running across markup; not image descriptions, which
/// are attributes; raw HTML without its tags.
fn text_words(events: &[Event]) -> Vec<String> {
    let mut distinct = crate::words::Distinct::default();
    let mut images = 0usize;
    let mut raw = String::new();
    for event in events {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) && !raw.is_empty() {
            distinct.feed(&raw, true);
            distinct.flush();
            raw.clear();
        }
        match event {
            Event::Start(Tag::Image { .. }) => {
                distinct.flush();
                images += 1;
            }
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            _ if images > 0 => {}
            Event::Text(text) => distinct.feed(text, false),
            Event::Code(code) => {
                distinct.flush();
                distinct.feed(code, false);
                distinct.flush();
            }
            // A tag can span events: the run is read as one.
            Event::Html(html) | Event::InlineHtml(html) => {
                if raw.is_empty() {
                    distinct.flush();
                }
                raw.push_str(html);
            }
            _ => distinct.flush(),
        }
    }
    distinct.feed(&raw, true);
    distinct.finish()
}

/// Line and column of byte offsets, counted on from the last one asked for
/// (links come in the order of the text, but for reference definitions).
#[derive(Default)]
struct Position {
    offset: usize,
    line: usize,
    line_start: usize,
}

impl Position {
    /// The line (from 0) and column (from 1, in characters) of `offset`.
    fn at(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = Position::default();
        }
        let passed = &text[self.offset..offset];
        if let Some(last) = passed.rfind('\n') {
            self.line += passed.matches('\n').count();
            self.line_start = self.offset + last + 1;
        }
        self.offset = offset;
        (self.line, text[self.line_start..offset].chars().count() + 1)
    }
}

/// Finds mentions in running text (paragraphs, lists, quotes, table cells; not
/// headings, links, images or code) and links them as `rules.link` says.
fn link_mentions<'a>(
    events: Vec<Event<'a>>,
    rules: &MentionRules,
) -> (Vec<Event<'a>>, Vec<EntityId>, Vec<EntityId>) {
    let mut out = Vec::with_capacity(events.len());
    let mut people: Vec<EntityId> = Vec::new();
    let mut topics: Vec<EntityId> = Vec::new();
    let mut pending = String::new();
    let mut skip_depth = 0usize;
    let mut flush = |pending: &mut String, out: &mut Vec<Event<'a>>| {
        if pending.is_empty() {
            return;
        }
        // Soft line breaks were kept as '\n'; a name may wrap across them.
        let searchable = pending.replace('\n', " ");
        for found in rules.topics.find(&searchable) {
            if !topics.contains(&found.entity) {
                topics.push(found.entity);
            }
        }
        let mut written = 0;
        for found in rules.people.find(&searchable) {
            let first = !people.contains(&found.entity);
            if first {
                people.push(found.entity);
            }
            let link = match rules.link {
                MentionLinks::All => true,
                MentionLinks::First => first,
                MentionLinks::None => false,
            };
            if link {
                out.push(Event::Text(CowStr::from(
                    pending[written..found.start].to_string(),
                )));
                let url = escape(&(rules.person_url)(found.entity));
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"mention\" href=\"{url}\">"
                ))));
                out.push(Event::Text(CowStr::from(
                    pending[found.start..found.end].to_string(),
                )));
                out.push(Event::InlineHtml(CowStr::from("</a>")));
                written = found.end;
            }
        }
        out.push(Event::Text(CowStr::from(pending[written..].to_string())));
        pending.clear();
    };
    for event in events {
        match event {
            Event::Text(text) if skip_depth == 0 => {
                pending.push_str(&text);
                continue;
            }
            Event::SoftBreak if skip_depth == 0 && !pending.is_empty() => {
                pending.push('\n');
                continue;
            }
            _ => flush(&mut pending, &mut out),
        }
        match &event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::MetadataBlock(_),
            ) => skip_depth += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::MetadataBlock(_),
            ) => skip_depth = skip_depth.saturating_sub(1),
            _ => {}
        }
        out.push(event);
    }
    flush(&mut pending, &mut out);
    (out, people, topics)
}

/// What becomes of a link or image target, and the size of the image file
/// it names, if known.
fn retarget(
    url: &str,
    link_target: &dyn Fn(&str) -> Target,
    allow: bool,
) -> (Resolved, Option<ImageSize>) {
    if !allow && !crate::html::is_safe_url(url) {
        return (Resolved::Dropped, None);
    }
    let without_scheme =
        !url.is_empty() && !url.starts_with('#') && !url.starts_with("//") && !url.contains(':');
    let target = if without_scheme {
        link_target(url)
    } else {
        Target::default()
    };
    (
        target.url.map_or(Resolved::AsWritten, Resolved::To),
        target.size,
    )
}

/// Writes each image (`sizes` holds theirs, in order) as an `<img>` with its
/// width and height when known, so that the page keeps its space before it
/// loads; every image after the first loads only when it is scrolled near.
fn write_images<'a>(events: Vec<Event<'a>>, sizes: &[Option<ImageSize>]) -> Vec<Event<'a>> {
    if sizes.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    let mut images = 0;
    while let Some(event) = events.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            out.push(event);
            continue;
        };
        let n = images;
        images += 1;
        // The description, as text: what lies between the start and its end.
        // An image inside it counts, for the sizes of those after it.
        let mut alt = String::new();
        let mut depth = 0;
        for event in events.by_ref() {
            match event {
                Event::Start(Tag::Image { .. }) => {
                    images += 1;
                    depth += 1;
                }
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) => {
                    alt.push_str(&text)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let mut tag = String::from("<img src=\"");
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_href(&mut tag, &dest_url);
        tag.push_str("\" alt=\"");
        tag.push_str(&escape(&alt));
        if !title.is_empty() {
            tag.push_str("\" title=\"");
            tag.push_str(&escape(&title));
        }
        tag.push('"');
        if let Some(size) = sizes.get(n).copied().flatten() {
            tag.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                size.width, size.height
            ));
        }
        if n > 0 {
            tag.push_str(" loading=\"lazy\"");
        }
        tag.push_str(" />");
        out.push(Event::InlineHtml(tag.into()));
    }
    out
}

/// Gives every heading without an explicit `{#id}` a unique id from its text,
/// and returns every heading id.
fn assign_heading_ids(events: &mut [Event]) -> Vec<String> {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let mut text = String::new();
            for event in &events[index + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id));
            }
        }
        index += 1;
    }
    let mut ids: Vec<String> = used.into_iter().collect();
    ids.sort();
    ids
}

/// The text of the first top-level paragraph.
fn first_paragraph(events: &[Event]) -> String {
    let mut depth = 0usize;
    let mut text = String::new();
    let mut inside = false;
    for event in events {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Start(Tag::Heading { level, .. })
                if *level == HeadingLevel::H1 && depth == 0 =>
            {
                depth += 1
            }
            Event::Start(_) if !inside => depth += 1,
            Event::End(_) if !inside => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if inside => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Rendered {
        render(text, &Highlighter, &|_| Target::default(), None)
    }

    fn with_mentions(text: &str, link: MentionLinks) -> Rendered {
        let people = Detector::new(
            [
                ("Jeff Sessions", 0),
                ("Sessions", 0),
                ("Kirstjen Nielsen", 1),
            ],
            false,
        );
        let topics = Detector::new([("zero tolerance", 5)], true);
        let rules = MentionRules {
            people: &people,
            topics: &topics,
            person_url: &|id| format!("/people/{id}/"),
            link,
        };
        render(text, &Highlighter, &|_| Target::default(), Some(&rules))
    }

    fn with_policy(text: &str, mode: RawHtml) -> String {
        let policy = HtmlPolicy::new(mode, &["www.youtube-nocookie.com".to_string()]);
        render_with(text, &Highlighter, &|_| Target::default(), None, &policy).html
    }

    const RAW: &str = "<p onclick=\"steal()\">Hi <b>there</b></p>\n\n<script>alert(1)</script>\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n<iframe src=\"https://evil.example/\"></iframe>\n<iframe src=\"https://www.youtube-nocookie.com@evil.example/\"></iframe>\n\n<a href=\"javascript:alert(1)\">raw</a> [md](javascript:alert(2))\n";

    #[test]
    fn sanitized_raw_html_keeps_markup_and_listed_embeds_only() {
        let html = with_policy(RAW, RawHtml::Sanitize);
        assert!(html.contains("<b>there</b>"), "{html}");
        assert!(
            !html.contains("onclick") && !html.contains("script"),
            "{html}"
        );
        assert!(
            html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\">"),
            "{html}"
        );
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let text = "# Hi {onclick=alert(1) #x .y}\n";
        for mode in [RawHtml::Sanitize, RawHtml::Escape] {
            let html = with_policy(text, mode);
            assert!(
                html.starts_with("<h1 id=\"x\" class=\"y\">Hi</h1>"),
                "{html}"
            );
        }
        assert!(with_policy(text, RawHtml::Allow).contains("onclick"));
    }

    #[test]
    fn sanitizing_keeps_what_markdown_writes() {
        let text = "<kbd>Ctrl</kbd>\n\n## Heading {#custom}\n\n- [x] done\n\nA note[^1].\n\n[^1]: The note.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n";
        let html = with_policy(text, RawHtml::Sanitize);
        for kept in [
            "<kbd>Ctrl</kbd>",
            "<h2 id=\"custom\">",
            "type=\"checkbox\"",
            "class=\"footnote-reference\"",
            "class=\"footnote-definition\" id=\"1\"",
            "style=\"text-align:left\"",
            "class=\"language-rust\"",
            "<span class=\"hl-",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
    }

    #[test]
    fn sanitizing_keeps_what_images_are_written_with() {
        let policy = HtmlPolicy::new(RawHtml::Sanitize, &[]);
        let sized = |_: &str| Target {
            url: None,
            size: Some(ImageSize {
                width: 4,
                height: 3,
            }),
        };
        let text = "<kbd>raw</kbd>\n\n![a](x.png \"t\") ![b](y.png)\n";
        let html = render_with(text, &Highlighter, &sized, None, &policy).html;
        for kept in [
            "<img src=\"x.png\" alt=\"a\" title=\"t\" width=\"4\" height=\"3\">",
            "<img src=\"y.png\" alt=\"b\" width=\"4\" height=\"3\" loading=\"lazy\">",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
    }

    #[test]
    fn an_image_inside_a_description_keeps_the_sizes_of_the_next_in_place() {
        let sizes = |target: &str| Target {
            url: None,
            size: target
                .strip_suffix(".png")
                .and_then(|n| n.parse().ok())
                .map(|n: u32| ImageSize {
                    width: n,
                    height: n,
                }),
        };
        let text = "![outer ![inner](2.png) tail](1.png) then ![third](3.png)\n\n[![linked](4.png)](https://example.org/) ![js](javascript:alert(1))\n";
        let html = render(text, &Highlighter, &sizes, None).html;
        for expected in [
            "<img src=\"1.png\" alt=\"outer inner tail\" width=\"1\" height=\"1\" />",
            "<img src=\"3.png\" alt=\"third\" width=\"3\" height=\"3\" loading=\"lazy\" />",
            "<img src=\"4.png\" alt=\"linked\" width=\"4\" height=\"4\" loading=\"lazy\" />",
            "<img src=\"\" alt=\"js\" loading=\"lazy\" />",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }

    #[test]
    fn raw_html_can_be_escaped_or_allowed() {
        let escaped = with_policy(RAW, RawHtml::Escape);
        assert!(escaped.contains("&lt;script&gt;") && !escaped.contains("<script>"));
        assert!(!escaped.contains("<a href=\"javascript"), "{escaped}");
        let allowed = with_policy(RAW, RawHtml::Allow);
        assert!(allowed.contains("<script>alert(1)</script>"));
        assert!(allowed.contains("<a href=\"javascript:alert(2)\">md</a>"));
    }

    #[test]
    fn mentions_are_found_in_running_text_only() {
        let text = "# Jeff Sessions\n\n[Kirstjen Nielsen](https://x.example)\n\n`Sessions`\n\n```\nSessions\n```\n\n![Sessions](a.png)\n";
        assert!(with_mentions(text, MentionLinks::First).people.is_empty());
        let text = "> Jeff\nSessions said.\n\n- Nielsen? Kirstjen Nielsen.\n\n| a |\n|---|\n| Zero Tolerance |\n";
        let rendered = with_mentions(text, MentionLinks::First);
        assert_eq!(rendered.people, [0, 1]);
        assert_eq!(rendered.topics, [5]);
    }

    #[test]
    fn the_first_mention_is_linked() {
        let html = with_mentions(
            "Jeff Sessions spoke. Later *Sessions* and Sessions again.",
            MentionLinks::First,
        )
        .html;
        assert_eq!(html.matches("class=\"mention\"").count(), 1, "{html}");
        assert!(
            html.contains("<a class=\"mention\" href=\"/people/0/\">Jeff Sessions</a> spoke."),
            "{html}"
        );
        let all = with_mentions("Jeff Sessions spoke. Sessions again.", MentionLinks::All).html;
        assert_eq!(all.matches("class=\"mention\"").count(), 2, "{all}");
        let none = with_mentions("Jeff Sessions spoke.", MentionLinks::None);
        assert!(!none.html.contains("<a"));
        assert_eq!(none.people, [0]);
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = md("## The letter\n\n## The letter\n\n## Custom {#mine}\n").html;
        assert!(
            html.contains("<h2 id=\"the-letter\">The letter</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"the-letter-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"mine\">"), "{html}");
    }

    #[test]
    fn extensions_are_on() {
        let html = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\" it's\n\n- [x] done\n\nA[^1]\n\n[^1]: Note.\n").html;
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>x</del>"));
        assert!(html.contains("“q” it’s"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = md("<script>alert(1)</script>\n\nHi <b>x</b>\n").html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_lead_is_the_first_paragraph_as_text() {
        let rendered = md("# Title\n\n> quote\n\nFirst *para*\ngraph.\n\nSecond.\n");
        assert_eq!(rendered.lead, "First para graph.");
    }

    #[test]
    fn relative_links_to_content_files_are_retargeted() {
        let rendered = render(
            "![p](photo.jpg) [x](https://a.example/) [y](#top)",
            &Highlighter,
            &|target| Target {
                url: (target == "photo.jpg").then(|| "/articles/photo.jpg".to_string()),
                size: None,
            },
            None,
        );
        assert!(rendered.html.contains("src=\"/articles/photo.jpg\""));
        assert!(rendered.html.contains("href=\"https://a.example/\""));
        assert!(rendered.html.contains("href=\"#top\""));
    }

    #[test]
    fn links_know_their_line_and_column() {
        let text = "Intro\n\nSee [a](a.md) and\n«é» [b](b.md).\n\n[c]: c.md\n\nA [c] again.\n";
        let rendered = render(text, &Highlighter, &|_| Target::default(), None);
        let places: Vec<(&str, usize, usize)> = rendered
            .links
            .iter()
            .map(|l| (l.written.as_str(), l.line, l.column))
            .collect();
        assert_eq!(places, [("a.md", 2, 5), ("b.md", 3, 5), ("c.md", 7, 3)]);
    }

    /// The scan of `text` without its HTML, with its words or not.
    fn scan(text: &str, words: bool) -> Rendered {
        let pass = Pass { html: false, words };
        convert(
            text,
            &Highlighter,
            &|_| Target::default(),
            None,
            &HtmlPolicy::escape(),
            pass,
        )
    }

    #[test]
    fn scanned_words_are_those_the_html_shows() {
        let text = "Caf&eacute; *un*believ**able** [Zoë](x.md) `AT&T` R&D\n\n![hidden words](a.png)\n\n| a | b |\n|---|---|\n| cell | other |\n\n```\nfoo_bar(1)\n```\n\n<b>raw</b> &lt;tag&gt;\n";
        let mut scanned = scan(text, true).words;
        scanned.sort();
        let html = render(text, &Highlighter, &|_| Target::default(), None).html;
        let mut shown = Vec::new();
        crate::words::words(&html, true, |w| shown.push(w.to_string()));
        shown.sort();
        shown.dedup();
        assert_eq!(scanned, shown);
        let has = |w: &str| scanned.iter().any(|s| s == w);
        assert!(has("cafe") && has("believ") && has("raw") && has("tag"));
        assert!(!has("unbelievable"), "markup ends a word");
        assert!(!has("hidden"), "image descriptions are not text");
    }

    #[test]
    fn scanning_finds_what_rendering_finds_without_the_html() {
        let text = "# Title\n\nFirst [link](a.md).\n\n```rust\nfn main() {}\n```\n";
        let rendered = render(text, &Highlighter, &|_| Target::default(), None);
        let scanned = scan(text, false);
        assert!(scanned.html.is_empty());
        assert_eq!(
            Rendered {
                html: String::new(),
                ..rendered
            },
            scanned
        );
    }
}
