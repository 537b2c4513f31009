//! Other generators' template tags in article bodies: Liquid and Nunjucks
//! (`{% ... %}`, `{{ ... }}`, `{# ... #}`) and Hugo shortcodes (`{{< ... >}}`,
//! `{{% ... %}}`). They are never run. Kept, Markdown shows them as text;
//! stripped, they are removed outside code, keeping what they wrap:
//!
//! - `{% raw %}...{% endraw %}` keeps its text as written (tags inside too);
//! - `{% comment %}...{% endcomment %}` goes with its text;
//! - `{% highlight ruby %}...{% endhighlight %}` and Hugo's
//!   `{{< highlight go >}}...{{< /highlight >}}` become fenced code blocks;
//! - a link tag (Jekyll's `{% post_url 2019-03-04-rain %}` and `{% link ... %}`,
//!   Hugo's `{{< ref "rain.md" >}}` and `relref`) becomes the relative path of
//!   the post it names, which the build turns into that post's address;
//! - any other tag goes; a paired shortcode's inner text stays.
//!
//! Each removed tag leaves the line breaks it spanned, so the lines of the
//! body keep their numbers in messages.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag as MarkdownTag};

use super::thousands;

/// How many tags were removed, in how many files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StrippedTags {
    pub tags: usize,
    pub files: usize,
}

impl StrippedTags {
    pub fn add(&mut self, tags: usize) {
        if tags > 0 {
            self.tags += tags;
            self.files += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tags == 0
    }
}

impl fmt::Display for StrippedTags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "stripped {} template tag{} in {} file{}",
            thousands(self.tags),
            plural(self.tags),
            thousands(self.files),
            plural(self.files)
        )
    }
}

/// A template tag found in the text.
#[derive(Clone)]
struct Found<'a> {
    range: Range<usize>,
    /// The first word inside the delimiters: `raw`, `endraw`, `/highlight`.
    name: &'a str,
    /// The second word, unquoted: a highlight's language.
    argument: &'a str,
}

/// Tags that name another post.
const LINK_TAGS: &[&str] = &["post_url", "link", "ref", "relref"];

/// Opening and closing delimiters, longest opening first.
const DELIMITERS: [(&str, &str); 5] = [
    ("{{<", ">}}"),
    ("{{%", "%}}"),
    ("{{", "}}"),
    ("{%", "%}"),
    ("{#", "#}"),
];

/// The body with its template tags removed, and how many there were; None
/// when it has none (the body is then used as it is). `link` gives the
/// relative path of the post a link tag names, if it knows one.
pub fn strip(body: &str, link: &dyn Fn(&str) -> Option<String>) -> Option<(String, usize)> {
    if !body.contains("{{") && !body.contains("{%") && !body.contains("{#") {
        return None;
    }
    let code = code_ranges(body);
    let scanner = Scanner::new(body);
    let mut closings = Closings::default();
    let mut out = String::with_capacity(body.len());
    let (mut copied, mut at, mut count, mut code_index) = (0, 0, 0, 0);
    while let Some(offset) = body[at..].find('{') {
        let start = at + offset;
        while code.get(code_index).is_some_and(|r| r.end <= start) {
            code_index += 1;
        }
        if let Some(range) = code.get(code_index).filter(|r| r.start <= start) {
            at = range.end;
            continue;
        }
        let Some(tag) = scanner.tag_at(start) else {
            at = start + 1;
            continue;
        };
        out.push_str(&body[copied..start]);
        let mut closing =
            |names: &'static [&'static str]| closings.find(&scanner, tag.range.end, names);
        match tag.name {
            "raw" => {
                if let Some(end) = closing(&["endraw"]) {
                    out.push_str(&line_breaks(&body[tag.range.clone()]));
                    out.push_str(&body[tag.range.end..end.range.start]);
                    out.push_str(&line_breaks(&body[end.range.clone()]));
                    (copied, count) = (end.range.end, count + 2);
                } else {
                    out.push_str(&line_breaks(&body[tag.range.clone()]));
                    (copied, count) = (tag.range.end, count + 1);
                }
            }
            "comment" => {
                let end = closing(&["endcomment"]).map_or(tag.range.end, |e| e.range.end);
                out.push_str(&line_breaks(&body[start..end]));
                count += if end == tag.range.end { 1 } else { 2 };
                copied = end;
            }
            "highlight" => match closing(&["endhighlight", "/highlight"]) {
                Some(end) => {
                    fence(&mut out, body, &tag, &end);
                    (copied, count) = (end.range.end, count + 2);
                }
                None => {
                    out.push_str(&line_breaks(&body[tag.range.clone()]));
                    (copied, count) = (tag.range.end, count + 1);
                }
            },
            name => {
                if LINK_TAGS.contains(&name) {
                    out.push_str(&link(tag.argument).unwrap_or_default());
                }
                out.push_str(&line_breaks(&body[tag.range.clone()]));
                (copied, count) = (tag.range.end, count + 1);
            }
        }
        at = copied;
    }
    if count == 0 {
        return None;
    }
    out.push_str(&body[copied..]);
    Some((out, count))
}

/// Where code spans and code blocks are: tags there are text to show.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, crate::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(MarkdownTag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// Where a body's blank lines and closing delimiters are, found once: looking
/// for them again from every `{` took minutes on a post of a few megabytes.
struct Scanner<'a> {
    body: &'a str,
    /// The start of each blank line (the line break before it): a tag does
    /// not run past one.
    blank_lines: Vec<usize>,
    /// Where each closing delimiter of `DELIMITERS` starts, in their order.
    closes: Vec<Vec<usize>>,
}

impl<'a> Scanner<'a> {
    fn new(body: &'a str) -> Self {
        let blank_lines = body
            .match_indices('\n')
            .map(|(i, _)| i)
            .filter(|i| {
                let next = &body.as_bytes()[i + 1..];
                next.starts_with(b"\n") || next.starts_with(b"\r\n")
            })
            .collect();
        let closes = DELIMITERS
            .iter()
            .map(|(_, close)| occurrences(body, close))
            .collect();
        Scanner {
            body,
            blank_lines,
            closes,
        }
    }

    /// The tag that starts at `start`, if one does and is closed before the
    /// paragraph ends.
    fn tag_at(&self, start: usize) -> Option<Found<'a>> {
        let body = self.body;
        let rest = &body[start..];
        let (index, (open, close)) = DELIMITERS
            .iter()
            .enumerate()
            .find(|(_, (open, _))| rest.starts_with(open))?;
        let inner_start = start + open.len();
        let paragraph_end = first_from(&self.blank_lines, inner_start).unwrap_or(body.len());
        let close_at = first_from(&self.closes[index], inner_start)
            .filter(|at| at + close.len() <= paragraph_end)?;
        let inner = body[inner_start..close_at]
            .trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
        let mut words = inner.split_whitespace();
        let name = words.next().unwrap_or_default();
        let argument = words.next().unwrap_or_default().trim_matches(['"', '\'']);
        Some(Found {
            range: start..close_at + close.len(),
            name,
            argument,
        })
    }

    /// The first tag named one of `names` from `from` on, wherever it is.
    fn find_tag(&self, from: usize, names: &[&str]) -> Option<Found<'a>> {
        let mut at = from;
        while let Some(offset) = self.body[at..].find('{') {
            let start = at + offset;
            match self.tag_at(start) {
                Some(tag) if names.contains(&tag.name) => return Some(tag),
                _ => at = start + 1,
            }
        }
        None
    }
}

/// The closing tags found so far, by the names looked for. The body is read
/// forwards, so a search from further on finds the same tag if it is still
/// ahead, and none again if there was none: a post with many unclosed
/// `{% raw %}` tags is read once, not once per tag.
#[derive(Default)]
struct Closings<'a> {
    found: Vec<(&'static [&'static str], Option<Found<'a>>)>,
}

impl<'a> Closings<'a> {
    fn find(
        &mut self,
        scanner: &Scanner<'a>,
        from: usize,
        names: &'static [&'static str],
    ) -> Option<Found<'a>> {
        let known = self.found.iter_mut().find(|(n, _)| *n == names);
        if let Some((_, found)) = &known {
            match found {
                None => return None,
                Some(tag) if tag.range.start >= from => return Some(tag.clone()),
                Some(_) => {}
            }
        }
        let found = scanner.find_tag(from, names);
        match known {
            Some((_, known)) => *known = found.clone(),
            None => self.found.push((names, found.clone())),
        }
        found
    }
}

/// Every place `needle` starts in `text`, overlapping ones included.
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let mut places = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find(needle) {
        places.push(at + offset);
        // Delimiters start with an ASCII character, so the next byte is a
        // character boundary.
        at += offset + 1;
    }
    places
}

/// The first of the sorted `places` at or after `from`.
fn first_from(places: &[usize], from: usize) -> Option<usize> {
    places.get(places.partition_point(|p| *p < from)).copied()
}

fn line_breaks(text: &str) -> String {
    "\n".repeat(text.matches('\n').count())
}

fn at_line_start(body: &str, index: usize) -> bool {
    body[..index]
        .rsplit('\n')
        .next()
        .is_none_or(|line| line.trim().is_empty())
}

/// A highlight block as a fenced code block, with a fence longer than any run
/// of backticks in the code.
fn fence(out: &mut String, body: &str, open: &Found, close: &Found) {
    let code = &body[open.range.end..close.range.start];
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    if !at_line_start(body, open.range.start) {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push_str(open.argument);
    if !code.starts_with(['\n', '\r']) {
        out.push('\n');
    }
    out.push_str(code);
    if !at_line_start(body, close.range.start) {
        out.push('\n');
    }
    out.push_str(&fence);
}

/// The name a link tag gives a post (`2019/2019-03-04-rain`, `posts/rain.md`,
/// `rain/index.md#section`): the file name without extension, or a bundle's
/// folder, and the `#fragment`.
pub fn linked_name(argument: &str) -> (&str, &str) {
    let (path, fragment) = match argument.find('#') {
        Some(i) => argument.split_at(i),
        None => (argument, ""),
    };
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let last = parts.next().unwrap_or_default();
    let stem = [".md", ".markdown"]
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last);
    match stem {
        "index" => (parts.next().unwrap_or(stem), fragment),
        _ => (stem, fragment),
    }
}

/// The path from the folder of `from` to `to`, both relative to one folder.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from_dir: Vec<_> = from
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from_dir.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(body: &str) -> (String, usize) {
        strip(body, &|_| None).unwrap_or_else(|| (body.to_string(), 0))
    }

    #[test]
    fn link_tags_become_paths_to_the_posts_they_name() {
        let link = |argument: &str| match linked_name(argument) {
            ("2019-03-02-talks", fragment) => Some(format!("../2019-03-02-talks.md{fragment}")),
            _ => None,
        };
        assert_eq!(
            strip(
                "[talks]({% post_url 2019-03-02-talks %}) and [gone]({% post_url nope %})",
                &link
            ),
            Some((
                "[talks](../2019-03-02-talks.md) and [gone]()".to_string(),
                2
            ))
        );
        assert_eq!(
            strip(
                "[talks]({{< ref \"posts/2019-03-02-talks/index.md#vote\" >}})",
                &link
            ),
            Some(("[talks](../2019-03-02-talks.md#vote)".to_string(), 1))
        );
        assert_eq!(
            relative_path(Path::new("_posts/2019/a.md"), Path::new("_posts/b/c.md")),
            "../b/c.md"
        );
        assert_eq!(relative_path(Path::new("a.md"), Path::new("b.md")), "b.md");
    }

    #[test]
    fn liquid_and_shortcodes_go_and_their_lines_stay() {
        assert_eq!(
            stripped("See ![map]({{ site.baseurl }}/map.png) and {% include note.html %}.\n"),
            ("See ![map](/map.png) and .\n".to_string(), 2)
        );
        assert_eq!(
            stripped("A\n{{< figure src=\"a.jpg\"\n  caption=\"x\" >}}\nB\n"),
            ("A\n\n\nB\n".to_string(), 1)
        );
        assert_eq!(
            stripped("{{% note %}}Read *this*.{{% /note %}}\n"),
            ("Read *this*.\n".to_string(), 2)
        );
        assert_eq!(
            stripped("{# a Nunjucks comment #}Text"),
            ("Text".to_string(), 1)
        );
    }

    #[test]
    fn raw_keeps_its_text_and_comments_go_with_theirs() {
        assert_eq!(
            stripped("{% raw %}{{ page.title }}{% endraw %}\n"),
            ("{{ page.title }}\n".to_string(), 2)
        );
        assert_eq!(
            stripped("A {% comment %}\nnot for {{ readers }}\n\nat all\n{% endcomment %}B\n"),
            ("A \n\n\n\nB\n".to_string(), 2)
        );
    }

    #[test]
    fn code_keeps_its_tags() {
        let body = "Write `{{ page.title }}` or:\n\n```liquid\n{% raw %}{{ x }}{% endraw %}\n```\n\n    {% indented %}\n";
        assert_eq!(strip(body, &|_| None), None);
        let body = "`{{ kept }}` but {{ dropped }}\n";
        assert_eq!(stripped(body), ("`{{ kept }}` but \n".to_string(), 1));
    }

    #[test]
    fn highlight_blocks_become_fenced_code() {
        assert_eq!(
            stripped(
                "Ruby:\n\n{% highlight ruby linenos %}\ndef hi = \"{{ x }}\"\n{% endhighlight %}\n"
            ),
            (
                "Ruby:\n\n```ruby\ndef hi = \"{{ x }}\"\n```\n".to_string(),
                2
            )
        );
        assert_eq!(
            stripped("{{< highlight go \"linenos=table\" >}}\nfmt.Println(\"```\")\n{{< /highlight >}}\n"),
            ("````go\nfmt.Println(\"```\")\n````\n".to_string(), 2)
        );
    }

    #[test]
    fn what_is_not_a_closed_tag_is_text() {
        assert_eq!(
            strip(
                "## Heading {#custom-id}\n\nA {{ never closed\n\n}}\n",
                &|_| None
            ),
            None
        );
        assert_eq!(
            strip("Plain {braces} and {{ }}", &|_| None),
            Some(("Plain {braces} and ".to_string(), 1))
        );
    }

    #[test]
    fn a_long_post_full_of_tags_is_stripped_in_one_pass() {
        // Each tag used to look for the end of its paragraph (and, with LF
        // line endings, for a CRLF blank line) through the rest of the post.
        let line = "## Heading {#id}\nText {{ site.x }}, {% include a.html %} and {% raw %}.\n";
        let body = line.repeat(20_000);
        let started = std::time::Instant::now();
        let (out, count) = stripped(&body);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(count, 60_000);
        assert_eq!(
            out,
            "## Heading {#id}\nText ,  and .\n".repeat(20_000),
            "heading ids are not tags"
        );
        let crlf = "Text {{ x }}\r\n\r\n{{ not closed\r\n\r\n}}\r\n";
        assert_eq!(
            stripped(crlf),
            ("Text \r\n\r\n{{ not closed\r\n\r\n}}\r\n".to_string(), 1),
            "a CRLF blank line ends a paragraph too"
        );
    }

    proptest::proptest! {
        #[test]
        fn stripping_any_text_keeps_its_lines(
            body in "([{}%<>#`\n -]|a|é|raw |endraw|comment|endcomment|post_url |highlight |endhighlight){0,80}"
        ) {
            let link = |_: &str| Some("other.md".to_string());
            if let Some((out, count)) = strip(&body, &link) {
                proptest::prop_assert!(count > 0);
                if !body.contains("highlight") {
                    proptest::prop_assert_eq!(out.matches('\n').count(), body.matches('\n').count());
                }
            }
        }
    }

    #[test]
    fn the_summary_counts_tags_and_files() {
        let mut stripped = StrippedTags::default();
        stripped.add(1200);
        stripped.add(0);
        stripped.add(34);
        assert_eq!(
            stripped.to_string(),
            "stripped 1,234 template tags in 2 files"
        );
        let mut one = StrippedTags::default();
        one.add(1);
        assert_eq!(one.to_string(), "stripped 1 template tag in 1 file");
    }
}
