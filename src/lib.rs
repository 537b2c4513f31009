//! newsdigest: a static site generator for news digests. The pipeline is the
//! layout: `load` -> `model` -> `render` -> `output`.

pub mod charts;
pub mod check;
pub mod config;
pub mod corpus;
pub mod dates;
pub mod error;
pub mod external;
pub mod frontmatter;
pub mod fs;
pub mod highlight;
pub mod html;
pub mod init;
pub mod load;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod views;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, Result};

/// What `newsdigest build` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (holding `content/` and optionally `site.yaml`).
    pub root: PathBuf,
    /// Where to write the site; default `<root>/output`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Build articles and pages marked `draft: true` too.
    pub drafts: bool,
    /// Leave out the search index whatever site.yaml says (serve does: it is
    /// the slowest part of a build and only `build` publishes).
    pub without_search: bool,
    /// Replace the output folder even when newsdigest did not build it.
    pub force: bool,
}

/// How long each stage of a build took, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Observations printed after the stages.
    pub notes: Vec<String>,
}

impl Timings {
    /// Records the time since `clock` for `stage` and restarts the clock.
    pub(crate) fn lap(&mut self, stage: &'static str, clock: &mut Instant) {
        self.stages.push((stage, clock.elapsed()));
        *clock = Instant::now();
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub timings: Timings,
    pub output: PathBuf,
    pub articles: usize,
    pub people: usize,
    pub topics: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

/// A site read and resolved, ready to render.
pub struct Prepared {
    pub index: model::SiteIndex,
    pub theme: theme::Theme,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Reads and resolves the site (config, theme, content, model with Markdown)
/// without writing anything.
pub fn prepare(options: &BuildOptions) -> Result<Prepared> {
    prepare_reusing(options, None)
}

/// Like `prepare`, reusing what a previous version of the same site already
/// rendered for the articles that did not change (the dev server's rebuilds).
pub fn prepare_again(options: &BuildOptions, previous: &Prepared) -> Result<Prepared> {
    prepare_reusing(options, Some(&model::Reuse::of(&previous.index)))
}

fn prepare_reusing(options: &BuildOptions, reuse: Option<&model::Reuse>) -> Result<Prepared> {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut site = config::load(&options.root, options.base_url.as_deref())?;
    site.search &= !options.without_search;
    let theme = theme::load(&options.root, &site.theme)?;
    let loaded = load::load(&options.root, site.max_file_bytes, site.follow_links)?;
    let mut warnings = loaded.warnings.clone();
    timings.lap("load", &mut clock);
    let index = model::build(
        site,
        loaded,
        options.drafts,
        &highlight::Highlighter::default(),
        reuse,
    )?;
    warnings.extend(index.warnings.iter().cloned());
    let markdown = index.bodies.elapsed;
    timings
        .stages
        .push(("model", clock.elapsed().saturating_sub(markdown)));
    timings.stages.push(("markdown", markdown));
    Ok(Prepared {
        index,
        theme,
        warnings,
        timings,
    })
}

/// Renders a prepared site into a staging folder and swaps it in for the
/// output. On any error the previous output is left as it was.
pub fn write(prepared: &Prepared, options: &BuildOptions) -> Result<BuildReport> {
    let mut timings = prepared.timings.clone();
    let output = output::resolve_output(&options.root, options.output.as_deref())?;
    let previous = output.exists().then(|| output.clone());
    let stage = output::Stage::begin(&output, options.force)?;
    let writer = output::Writer::new(stage.path(), previous.as_deref());
    let written = render::render_site(&prepared.index, &prepared.theme, &writer, &mut timings)?;
    let mut clock = Instant::now();
    stage.commit()?;
    timings.lap("swap", &mut clock);
    let index = &prepared.index;
    Ok(BuildReport {
        timings,
        output,
        articles: index.articles.len(),
        people: index.people.len(),
        topics: index.topics.len(),
        pages: written.pages,
        files: written.files,
        warnings: prepared.warnings.clone(),
    })
}

/// Builds the site: load, resolve, render into a staging folder, swap it in.
/// On any error the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    // An unsafe output folder is refused before any work is done.
    output::resolve_output(&options.root, options.output.as_deref())?;
    write(&prepare(options)?, options)
}
