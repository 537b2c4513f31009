//! newsdigest: a static site generator for news digests. The pipeline is the
//! layout: `load` -> `model` -> `render` -> `output`.

pub mod charts;
pub mod check;
pub mod config;
pub mod corpus;
pub mod dates;
pub mod dialect;
pub mod error;
pub mod external;
pub mod frontmatter;
pub mod fs;
pub mod highlight;
pub mod html;
pub mod import;
pub mod init;
pub mod inputs;
pub mod load;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod new;
pub mod output;
pub mod reads;
pub mod render;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod toml_matter;
pub mod views;
pub mod words;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    /// Leave out the search index whatever site.yaml says (for measuring
    /// the rest of a build).
    pub without_search: bool,
    /// Replace the output folder even when newsdigest did not build it.
    pub force: bool,
    /// Keep every article's Markdown in memory rather than reading it again
    /// when its page is rendered: the dev server keeps serving the last good
    /// version of a site while its files change.
    pub keep_bodies: bool,
    /// The process ends with this build: what it read and made is left for
    /// the system to reclaim at exit instead of being freed piece by piece,
    /// which takes a large archive's build a noticeable fraction of a
    /// second.
    pub then_exit: bool,
}

/// How long each stage of a build took, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// The process's peak memory (resident set, bytes) at the end of each
    /// stage, where the system tells it.
    pub peaks: Vec<Option<u64>>,
    /// Observations printed after the stages.
    pub notes: Vec<String>,
}

impl Timings {
    /// Records the time since `clock` for `stage` and restarts the clock.
    pub(crate) fn lap(&mut self, stage: &'static str, clock: &mut Instant) {
        self.record(stage, clock.elapsed());
        *clock = Instant::now();
    }

    /// Records `time` for `stage`, with the peak memory so far.
    pub(crate) fn record(&mut self, stage: &'static str, time: Duration) {
        self.stages.push((stage, time));
        self.peaks.push(peak_memory());
    }
}

/// The peak resident memory of this process so far, on Linux.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
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
    /// Pages that were as the previous build left them, so not rendered again.
    pub kept: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    /// The inputs were those of the previous build, so its output was kept
    /// as it was (counts are the previous build's; warnings are not repeated).
    pub unchanged: bool,
    /// Template tags removed from article bodies.
    pub stripped: dialect::template_tags::StrippedTags,
}

/// A site read and resolved, ready to render.
pub struct Prepared {
    pub index: model::SiteIndex,
    pub theme: theme::Theme,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// Template tags removed from article bodies, for the build's summary.
    pub stripped: dialect::template_tags::StrippedTags,
}

/// Reads and resolves the site (config, theme, content, model with Markdown)
/// without writing anything.
pub fn prepare(options: &BuildOptions) -> Result<Prepared> {
    prepare_reusing(options, None, None).map(|(prepared, _)| prepared)
}

/// Like `prepare`, reusing what a previous version of the same site already
/// rendered for the articles that did not change (the dev server's rebuilds).
pub fn prepare_again(options: &BuildOptions, previous: &Prepared) -> Result<Prepared> {
    prepare_reusing(options, Some(&model::Reuse::of(&previous.index)), None)
        .map(|(prepared, _)| prepared)
}

/// Also returns the hashes of the Markdown files read (`Loaded::read`).
fn prepare_reusing(
    options: &BuildOptions,
    reuse: Option<&model::Reuse>,
    spill: Option<&Path>,
) -> Result<(Prepared, HashMap<PathBuf, Option<u64>>)> {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut site = config::load(&options.root, options.base_url.as_deref())?;
    site.search &= !options.without_search;
    let theme = theme::load(&options.root, &site.theme)?;
    let mut loaded = load::load(
        &options.root,
        &site,
        load::LoadOptions {
            keep_article_bodies: options.keep_bodies,
        },
    )?;
    let mut warnings = loaded.warnings.clone();
    let stripped = loaded.stripped;
    let read = std::mem::take(&mut loaded.read);
    timings.lap("load", &mut clock);
    let index = model::build(site, loaded, options.drafts, reuse, spill)?;
    warnings.extend(index.warnings.iter().cloned());
    let markdown = index.bodies.elapsed;
    timings.record("model", clock.elapsed().saturating_sub(markdown));
    timings.record("markdown", markdown);
    let prepared = Prepared {
        index,
        theme,
        warnings,
        timings,
        stripped,
    };
    Ok((prepared, read))
}

/// Renders a prepared site into a staging folder and swaps it in for the
/// output. On any error the previous output is left as it was.
pub fn write(prepared: &Prepared, options: &BuildOptions) -> Result<BuildReport> {
    write_marked(prepared, options, None)
}

/// `write`, recording the hash of the inputs in the output's marker.
fn write_marked(
    prepared: &Prepared,
    options: &BuildOptions,
    inputs: Option<inputs::Fingerprint>,
) -> Result<BuildReport> {
    let mut timings = prepared.timings.clone();
    let output = output::resolve_output(&options.root, options.output.as_deref())?;
    let previous = output.exists().then(|| output.clone());
    let stage = output::Stage::begin(&output, options.force)?;
    let writer = output::Writer::new(stage.path(), previous.as_deref());
    let presentation = inputs.as_ref().map(|i| i.presentation);
    let mut written = render::render_site(
        &prepared.index,
        &prepared.theme,
        &writer,
        &mut timings,
        presentation,
    )?;
    let index = &prepared.index;
    let mut clock = Instant::now();
    if let Some(inputs) = inputs {
        written.marker.extend([
            ("inputs", inputs.inputs),
            ("pages", written.pages.to_string()),
            ("files", written.files.to_string()),
            ("articles", index.articles.len().to_string()),
            ("people", index.people.len().to_string()),
            ("topics", index.topics.len().to_string()),
        ]);
    }
    writer.write_marker(&written.marker)?;
    stage.commit()?;
    timings.lap("swap", &mut clock);
    Ok(BuildReport {
        timings,
        output,
        articles: index.articles.len(),
        people: index.people.len(),
        topics: index.topics.len(),
        pages: written.pages,
        kept: written.kept,
        files: written.files,
        warnings: prepared.warnings.clone(),
        unchanged: false,
        stripped: prepared.stripped,
    })
}

/// Builds the site: load, resolve, render into a staging folder, swap it in.
/// On any error the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    // An unsafe output folder is refused before any work is done.
    let output = output::resolve_output(&options.root, options.output.as_deref())?;
    let mut clock = Instant::now();
    let previous = output::marker_values(&output);
    let value = |key: &str| previous.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    // With previous inputs to compare with, every input file is hashed
    // first: a build of the same inputs ends there.
    let compare = value("inputs").is_some();
    let mut survey = compare.then(|| inputs::survey(options, false)).flatten();
    let mut inputs = None;
    if survey.as_ref().is_some_and(|survey| !survey.is_partial()) {
        inputs = survey
            .take()
            .and_then(|survey| survey.finish(&HashMap::new()));
    }
    let mut timings = Timings::default();
    if let Some(inputs) = &inputs {
        let count = |key: &str| value(key).and_then(|v| v.parse().ok()).unwrap_or(0);
        if value("inputs") == Some(&inputs.inputs) {
            timings.lap("compare inputs", &mut clock);
            return Ok(BuildReport {
                timings,
                output,
                articles: count("articles"),
                people: count("people"),
                topics: count("topics"),
                pages: count("pages"),
                kept: count("pages"),
                files: count("files"),
                warnings: Vec::new(),
                unchanged: true,
                stripped: Default::default(),
            });
        }
    }
    // With no page of a previous build to keep, every article's page is
    // written: the articles' HTML is made while they are scanned and set
    // aside beside the output until then (an unnamed file, gone when closed).
    let keeps_pages = output.join(render::KEYS_FILE).is_file();
    let spill = output.parent().filter(|dir| !keeps_pages && dir.is_dir());
    timings.lap("inputs", &mut clock);
    let prepare = || prepare_reusing(options, None, spill);
    // Otherwise the other files are hashed while the site loads, and the
    // Markdown files as the load reads them rather than read twice.
    let (survey, prepared) = match compare {
        true => (survey, prepare()),
        false => rayon::join(|| inputs::survey(options, true), prepare),
    };
    let (mut prepared, read) = prepared?;
    let clock = Instant::now();
    let inputs = inputs.or_else(|| {
        let survey = survey?;
        let read = if survey.is_partial() {
            &read
        } else {
            &HashMap::new()
        };
        survey.finish(read)
    });
    // The inputs stage comes first, with the hashes taken after the load.
    timings.stages[0].1 += clock.elapsed();
    timings.stages.append(&mut prepared.timings.stages);
    timings.peaks.append(&mut prepared.timings.peaks);
    timings.notes.append(&mut prepared.timings.notes);
    prepared.timings = timings;
    let report = write_marked(&prepared, options, inputs);
    if options.then_exit {
        std::mem::forget(prepared);
    }
    report
}
