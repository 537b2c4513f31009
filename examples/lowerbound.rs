//! A lower bound for building a site: the work no generator can skip, done as
//! plainly as possible. It reads every article under `SITE/content/articles`,
//! parses its YAML front matter, renders its Markdown with the same options as
//! newsdigest, and writes PAGES pages into OUT (which must not exist), in
//! parallel: one page per article, and to make up the count, small pages that
//! each list 20 article titles. Every page is `NAME/index.html`, as in a real
//! site. `bench/run` passes the page count newsdigest reports for the same site.
//!
//! `cargo run --release --example lowerbound -- SITE OUT PAGES`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pulldown_cmark::{html, Parser};
use rayon::prelude::*;
use serde::Deserialize;

/// The front matter keys the synthetic archive writes.
#[derive(Deserialize, Default)]
#[serde(default)]
struct FrontMatter {
    title: String,
    date: Option<String>,
    summary: Option<String>,
    topics: Vec<String>,
    people: Vec<String>,
}

/// Titles listed on each of the extra pages.
const PER_LIST: usize = 20;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Splits `---\nYAML\n---\nbody` into YAML and body.
fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end], &rest[end + 5..]))
}

fn write_page(out: &Path, name: &str, html: &str) -> Result<(), String> {
    let dir = out.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("index.html");
    std::fs::write(&file, html).map_err(|e| format!("{}: {e}", file.display()))
}

/// Reads, parses, renders and writes one article; returns its title.
fn article(out: &Path, index: usize, path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (yaml, body) =
        split(&text).ok_or_else(|| format!("{}: no front matter", path.display()))?;
    let front: FrontMatter =
        serde_yaml::from_str(yaml).map_err(|e| format!("{}: {e}", path.display()))?;
    let title = escape(&front.title);
    let mut page = String::with_capacity(body.len() * 3 / 2 + 256);
    let _ = write!(
        page,
        "<!doctype html><title>{title}</title><h1>{title}</h1>"
    );
    if let Some(date) = &front.date {
        let _ = write!(page, "<time>{}</time>", escape(date));
    }
    if let Some(summary) = &front.summary {
        let _ = write!(page, "<p>{}</p>", escape(summary));
    }
    for name in front.topics.iter().chain(&front.people) {
        let _ = write!(page, "<span>{}</span> ", escape(name));
    }
    html::push_html(
        &mut page,
        Parser::new_ext(body, newsdigest::markdown::options()),
    );
    write_page(out, &format!("a{index}"), &page)?;
    Ok(title)
}

fn run(site: &Path, out: &Path, pages: usize) -> Result<(usize, usize), String> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/articles"))
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    std::fs::create_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let titles: Vec<String> = files
        .par_iter()
        .enumerate()
        .map(|(index, path)| article(out, index, path))
        .collect::<Result<_, _>>()?;
    let lists = pages.saturating_sub(titles.len());
    (0..lists).into_par_iter().try_for_each(|list| {
        let mut page = format!("<!doctype html><title>List {list}</title><ul>");
        for k in 0..PER_LIST.min(titles.len()) {
            let index = (list * PER_LIST + k) % titles.len();
            let _ = write!(page, "<li><a href=\"/a{index}/\">{}</a>", titles[index]);
        }
        page.push_str("</ul>");
        write_page(out, &format!("l{list}"), &page)
    })?;
    Ok((titles.len(), titles.len() + lists))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(site), Some(out), Some(pages)) = (
        args.first(),
        args.get(1),
        args.get(2).and_then(|p| p.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: lowerbound SITE OUT PAGES");
        return ExitCode::FAILURE;
    };
    let started = Instant::now();
    match run(Path::new(site), Path::new(out), pages) {
        Ok((articles, written)) => {
            println!(
                "Wrote {written} pages ({articles} articles) into {out} in {:.2?}",
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
