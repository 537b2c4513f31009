//! The files a post uses from the old site's root (`/assets/map.png`), found
//! in its Markdown links and images, its raw HTML and its `image`, so import
//! can copy them to the same address in the new site.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use crate::dialect::Preset;

/// Root-relative paths (`assets/map.png`, without the leading `/`) that the
/// body and `image` name, each once, in order of appearance, with where each
/// is first named: None for `image`, else the line of the body (from 0).
pub fn root_paths(body: &str, image: Option<&str>) -> Vec<(PathBuf, Option<usize>)> {
    let mut targets: Vec<(String, Option<usize>)> =
        image.map(|i| (i.to_string(), None)).into_iter().collect();
    let starts = crate::error::LineStarts::of(body);
    let line = |offset: usize| Some(starts.line(offset));
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                targets.push((dest_url.to_string(), line(range.start)));
            }
            Event::Html(html) | Event::InlineHtml(html) => targets.extend(
                attributes(&html)
                    .into_iter()
                    .map(|(at, value)| (value, line(range.start + at))),
            ),
            _ => {}
        }
    }
    // Jekyll's `{{ site.baseurl }}/assets/x.png` names a root path too, even
    // where the tag is kept (Markdown does not read it as a link then).
    for marker in ["{{ site.baseurl }}", "{{site.baseurl}}"] {
        for (index, _) in body.match_indices(marker) {
            let rest = &body[index + marker.len()..];
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>'))
                .unwrap_or(rest.len());
            targets.push((rest[..end].to_string(), line(index)));
        }
    }
    // Markers are found after the rest: each path keeps its first line.
    targets.sort_by_key(|(_, line)| *line);
    let mut paths: Vec<(PathBuf, Option<usize>)> = Vec::new();
    for (target, line) in targets {
        if let Some(path) = root_path(&target) {
            if !paths.iter().any(|(p, _)| *p == path) {
                paths.push((path, line));
            }
        }
    }
    paths
}

/// `/assets/my%20map.png?v=2` -> `assets/my map.png`: a file (it has an
/// extension, and is not a page) under the site root; None for anything else.
fn root_path(target: &str) -> Option<PathBuf> {
    let path = target.strip_prefix('/').filter(|p| !p.starts_with('/'))?;
    let path = path.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let path = PathBuf::from(decoded.as_ref());
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !matches!(extension.as_str(), "html" | "htm" | "md" | "markdown")).then_some(path)
}

/// The `src` and `href` values in a piece of raw HTML, each with its offset.
fn attributes(html: &str) -> Vec<(usize, String)> {
    let mut values = Vec::new();
    for name in ["src=", "href="] {
        for (index, _) in html.match_indices(name) {
            let rest = &html[index + name.len()..];
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                values.push((index, rest[1..1 + end].to_string()));
            }
        }
    }
    values
}

/// Where the old site keeps a file served at `path`, if it has it: under its
/// root, or the folder the generator copies to the root.
pub fn find(source: &Path, preset: Preset, path: &Path, base_path: &str) -> Option<PathBuf> {
    let roots: &[&str] = match preset {
        Preset::Jekyll => &[""],
        Preset::Hugo => &["static", "assets"],
        Preset::Eleventy => &["", "src", "public"],
    };
    // A link that carries the site's sub-path (`/notes/assets/x.png`).
    let without_base = path.strip_prefix(base_path.trim_matches('/')).ok();
    let tries = std::iter::once(path).chain(without_base);
    // A symbolic link inside the archive may lead out of it: not followed.
    let inside = source.canonicalize().ok()?;
    tries
        .flat_map(|path| roots.iter().map(move |root| source.join(root).join(path)))
        .find(|candidate| {
            candidate.is_file()
                && candidate
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&inside))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_paths_in_links_images_html_and_image() {
        let body = concat!(
            "![map](/assets/my%20map.png) [report](/files/report.pdf?v=2) ",
            "[page](/about/) [post](/2019/03/04/x.html) [elsewhere](https://x.example/a.png) ",
            "[beside](photo.jpg) [up](/../etc/passwd.txt)\n\n",
            "<img src=\"/img/a.jpg\" alt=\"\"> <a href='/files/b.zip'>b</a>\n\n",
            "![logo]({{ site.baseurl }}/assets/logo.svg)\n",
        );
        let paths = root_paths(body, Some("/assets/cover.jpg"));
        let shown: Vec<(String, Option<usize>)> = paths
            .iter()
            .map(|(p, line)| (p.display().to_string(), *line))
            .collect();
        let expected = [
            ("assets/cover.jpg", None),
            ("assets/my map.png", Some(0)),
            ("files/report.pdf", Some(0)),
            ("img/a.jpg", Some(2)),
            ("files/b.zip", Some(2)),
            ("assets/logo.svg", Some(4)),
        ];
        assert_eq!(
            shown,
            expected.map(|(p, line)| (p.to_string(), line)).to_vec()
        );
    }

    #[test]
    fn files_are_found_where_the_generator_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static/images")).unwrap();
        std::fs::write(dir.path().join("static/images/a.png"), "A").unwrap();
        let found = find(dir.path(), Preset::Hugo, Path::new("images/a.png"), "");
        assert_eq!(found, Some(dir.path().join("static/images/a.png")));
        let found = find(
            dir.path(),
            Preset::Hugo,
            Path::new("news/images/a.png"),
            "/news/",
        );
        assert_eq!(found, Some(dir.path().join("static/images/a.png")));
        assert_eq!(
            find(dir.path(), Preset::Jekyll, Path::new("images/a.png"), ""),
            None
        );
    }
}
