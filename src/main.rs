//! The `newsdigest` command: parses arguments and prints errors; the work is
//! done by the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use newsdigest::dialect::Preset;
use newsdigest::{BuildOptions, Error};

/// Pages are made of many small allocations: jemalloc serves them faster
/// than the system's allocator, for the same peak memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// A static site generator for news digests: articles, people, topics and timelines.
#[derive(Parser)]
#[command(name = "newsdigest", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into output/ (replaced only when the build succeeds).
    Build {
        /// The site's folder, holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/output].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override site.yaml's base_url, e.g. https://example.org/news/.
        #[arg(long)]
        base_url: Option<String>,
        /// Also build articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Print how long each stage took (load, model, Markdown, pages with feeds and timeline data, search, swap).
        #[arg(long)]
        timings: bool,
        /// Replace the output folder even if it was not built by newsdigest
        /// (it has no .newsdigest file). The site folder, its parents, the
        /// home folder and folders holding content/ or site.yaml are still refused.
        #[arg(long)]
        force: bool,
    },
    /// Check the site without writing anything: every error, plus warnings
    /// (ambiguous aliases, misspelt names, recurring names without a profile).
    Check {
        /// The site's folder, holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (exit status 1 when there are any).
        #[arg(long)]
        strict: bool,
        /// How to print the report: text lines, or one JSON document for CI.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also fetch every http(s) link in articles and pages.
        #[arg(long)]
        external: bool,
        /// With --external: requests in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// With --external: seconds to wait for each link.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
    },
    /// Start a new article, person or topic with its front matter filled in.
    New {
        #[command(subcommand)]
        item: NewCommand,
        /// The site's folder.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
    },
    /// Build, serve on this machine, rebuild on every change, reload open pages.
    Serve {
        /// The site's folder, holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 or ::1 exposes the
        /// site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also build articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Convert another generator's archive once: its posts into
    /// content/articles/ with front matter in newsdigest's keys (bodies as
    /// they are; keys without a field of ours under `extra`), the files they
    /// use, and a site.yaml from the old site's settings. SOURCE is only read.
    /// (To build an archive as it is instead, set `front_matter.preset` in
    /// site.yaml.)
    Import {
        /// The generator that made the archive.
        #[arg(long, value_enum)]
        from: Generator,
        /// The old site's folder (holding _posts/, content/posts/, posts/...).
        source: PathBuf,
        /// The new site's folder; its content/ must be missing or empty.
        /// An existing site.yaml is kept.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder of posts inside SOURCE [default: the generator's usual
        /// one: _posts; content/posts, content/post or content/blog; posts or
        /// src/posts].
        #[arg(long)]
        posts: Option<PathBuf>,
        /// Remove template tags ({% ... %}, {{ ... }}, {{< ... >}}) from the
        /// posts, outside code; highlight blocks become fenced code.
        #[arg(long)]
        strip_template_tags: bool,
    },
    /// Create a new site in DIR with a sample article, person and topic.
    Init {
        /// The folder to create (it must not exist or be empty).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// content/articles/<yyyy>/<yyyy-mm-dd>-<slug>.md
    Article {
        /// The headline.
        title: String,
        /// Topics, comma-separated: --topics "immigration, courts".
        #[arg(long, default_value = "")]
        topics: String,
        /// People the article is about, comma-separated.
        #[arg(long, default_value = "")]
        people: String,
        /// Publication date, YYYY-MM-DD [default: today in the site's time zone].
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// content/people/<slug>.md
    Person {
        /// The person's name.
        name: String,
    },
    /// content/topics/<slug>.md
    Topic {
        /// The topic's name.
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
            timings,
            force,
        } => build(
            BuildOptions {
                root,
                output,
                base_url,
                drafts,
                without_search: false,
                force,
                keep_bodies: false,
                then_exit: true,
            },
            quiet,
            timings,
        ),
        Command::Check {
            root,
            drafts,
            strict,
            format,
            external,
            concurrency,
            timeout,
        } => {
            let external = external.then_some(newsdigest::external::ExternalLinks {
                concurrency,
                timeout: std::time::Duration::from_secs(timeout),
            });
            check(&root, drafts, strict, format, external)
        }
        Command::New { item, root } => {
            use newsdigest::new::{create, split_list, NewItem};
            let item = match &item {
                NewCommand::Article {
                    title,
                    topics,
                    people,
                    date,
                } => NewItem::Article {
                    title,
                    topics: split_list(topics),
                    people: split_list(people),
                    date: *date,
                },
                NewCommand::Person { name } => NewItem::Person { name },
                NewCommand::Topic { name } => NewItem::Topic { name },
            };
            create(&root, item).map(|path| println!("Created {}", path.display()))
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
        } => newsdigest::serve::serve(newsdigest::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
        }),
        Command::Import {
            from,
            source,
            root,
            posts,
            strip_template_tags,
        } => import(newsdigest::import::ImportOptions {
            from: match from {
                Generator::Jekyll => Preset::Jekyll,
                Generator::Hugo => Preset::Hugo,
                Generator::Eleventy => Preset::Eleventy,
            },
            source,
            root,
            posts,
            strip_template_tags,
        }),
        Command::Init { dir } => newsdigest::init::init(&dir).map(|()| {
            println!("Created a new site in {}.", dir.display());
            println!("Build it with: newsdigest build --root {}", dir.display());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            match &error {
                Error::Content(_) => eprintln!("{error}"),
                _ => eprintln!("error: {error}"),
            }
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Generator {
    Jekyll,
    Hugo,
    Eleventy,
}

fn import(options: newsdigest::import::ImportOptions) -> Result<(), Error> {
    let report = newsdigest::import::import(&options)?;
    let content = options.root.join("content");
    println!(
        "Imported {} post{} from {} into {}",
        report.articles,
        plural(report.articles),
        report.posts_dir.display(),
        content.join("articles").display()
    );
    if report.files > 0 {
        println!(
            "Copied {} other file{} (beside the posts, or used by them)",
            report.files,
            plural(report.files)
        );
    }
    if report.unchanged > 0 {
        println!(
            "Copied {} post{} unchanged: they could not be read (see below)",
            report.unchanged,
            plural(report.unchanged)
        );
    }
    if !report.skipped.is_empty() {
        println!(
            "Skipped {} section page{} (_index.md): they are not posts",
            report.skipped.len(),
            plural(report.skipped.len())
        );
    }
    if !report.data_files.is_empty() {
        println!(
            "Left out {} data file{} the old generator read beside the posts (such as posts.json): they are not published",
            report.data_files.len(),
            plural(report.data_files.len())
        );
    }
    if !report.kept.is_empty() {
        let kept: Vec<String> = report
            .kept
            .iter()
            .map(|(key, posts)| format!("`{key}` ({posts} post{})", plural(*posts)))
            .collect();
        println!(
            "Kept under `extra` (not read as one of newsdigest's keys): {}",
            kept.join(", ")
        );
    }
    if !report.stripped.is_empty() {
        println!("{}", report.stripped);
    }
    match (&report.site_yaml, &report.settings_from) {
        (Some(written), Some(from)) => println!(
            "Wrote {} with the settings of {}",
            written.display(),
            from.display()
        ),
        (Some(written), None) => println!("Wrote {}", written.display()),
        (None, _) => println!(
            "Kept the existing {}",
            options.root.join("site.yaml").display()
        ),
    }
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    if !report.problems.is_empty() {
        eprintln!(
            "import: {} problem{} to look at",
            report.problems.len(),
            plural(report.problems.len())
        );
    }
    println!(
        "Next: newsdigest check --root {0}, then newsdigest build --root {0}",
        options.root.display()
    );
    if report.unchanged > 0 {
        // The site is written, but it will not build until those posts are fixed.
        let one = report.unchanged == 1;
        return Err(Error::Usage(format!(
            "{} post{} could not be converted and {} copied unchanged: fix {} (listed above) before building",
            report.unchanged,
            plural(report.unchanged),
            if one { "was" } else { "were" },
            if one { "it" } else { "them" },
        )));
    }
    Ok(())
}

fn check(
    root: &std::path::Path,
    drafts: bool,
    strict: bool,
    format: Format,
    external: Option<newsdigest::external::ExternalLinks>,
) -> Result<(), Error> {
    let report = newsdigest::check::check(root, drafts, external)?;
    let (errors, warnings) = (report.errors.len(), report.warnings.len());
    match format {
        Format::Json => println!("{}", report.to_json()),
        Format::Text => {
            for error in &report.errors {
                println!("{error}");
            }
            for (kind, list) in [("warning", &report.warnings), ("note", &report.notes)] {
                for diagnostic in list {
                    let newsdigest::Diagnostic {
                        path,
                        line,
                        column,
                        message,
                    } = diagnostic;
                    println!("{}:{line}:{column}: {kind}: {message}", path.display());
                }
            }
            if !report.stripped.is_empty() {
                println!("{}", report.stripped);
            }
            println!(
                "check: {errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
        }
    }
    if errors > 0 || (strict && warnings > 0) {
        return Err(Error::Usage(if errors > 0 {
            "the site has errors".to_string()
        } else {
            "warnings are errors with --strict".to_string()
        }));
    }
    Ok(())
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn build(options: BuildOptions, quiet: bool, timings: bool) -> Result<(), Error> {
    let started = Instant::now();
    let report = newsdigest::build(&options)?;
    for warning in &report.warnings {
        let newsdigest::Diagnostic {
            path,
            line,
            column,
            message,
        } = warning;
        eprintln!("{}:{line}:{column}: warning: {message}", path.display());
    }
    if timings {
        let peaks = report.timings.peaks.iter().chain(std::iter::repeat(&None));
        for ((stage, time), peak) in report.timings.stages.iter().zip(peaks) {
            let peak = peak.map_or(String::new(), |bytes| {
                format!("   peak memory {:>6} MiB", bytes >> 20)
            });
            println!("{stage:>30}: {:>8.1} ms{peak}", time.as_secs_f64() * 1000.0);
        }
        for note in &report.timings.notes {
            println!("{:>30}  {note}", "");
        }
    }
    if report.unchanged {
        if !quiet {
            println!(
                "Nothing changed since the last build: {} is up to date ({} page{})",
                report.output.display(),
                report.pages,
                plural(report.pages)
            );
        }
        return Ok(());
    }
    if !quiet && !report.stripped.is_empty() {
        println!("{}", report.stripped);
    }
    if !quiet {
        let people = if report.people == 1 {
            "person"
        } else {
            "people"
        };
        println!(
            "Built {} page{} ({} article{}, {} {people}, {} topic{}) into {} in {:.2?}",
            report.pages,
            plural(report.pages),
            report.articles,
            plural(report.articles),
            report.people,
            report.topics,
            plural(report.topics),
            report.output.display(),
            started.elapsed()
        );
    }
    Ok(())
}
