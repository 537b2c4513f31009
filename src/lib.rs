//! newsdigest: a static site generator for news digests. The pipeline is the
//! layout: `load` -> `model` -> `render` -> `output`.

pub mod charts;
pub mod check;
pub mod config;
pub mod corpus;
pub mod dates;
pub mod error;
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
}

/// How long each stage of a build took, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
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

/// Builds the site: load, resolve, render into a staging folder, swap it in.
/// On any error the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str| {
        timings.stages.push((stage, clock.elapsed()));
        clock = Instant::now();
    };
    let output = output::resolve_output(&options.root, options.output.as_deref())?;
    let site = config::load(&options.root, options.base_url.as_deref())?;
    let theme = theme::load(&options.root, &site.theme)?;
    let loaded = load::load(&options.root)?;
    let mut warnings = loaded.warnings.clone();
    lap("load");
    let index = model::build(
        site,
        loaded,
        options.drafts,
        &highlight::Highlighter::default(),
    )?;
    warnings.extend(index.warnings.iter().cloned());
    lap("model (with markdown)");
    let stage = output::Stage::begin(&output)?;
    let written = render::render_site(&index, &theme, stage.path())?;
    lap("render and write");
    stage.commit()?;
    lap("swap");
    Ok(BuildReport {
        timings,
        output,
        articles: index.articles.len(),
        people: index.people.len(),
        topics: index.topics.len(),
        pages: written.pages,
        files: written.files,
        warnings,
    })
}
