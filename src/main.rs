//! The `newsdigest` command: parses arguments and prints errors; the work is
//! done by the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use newsdigest::{BuildOptions, Error};

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
    },
    /// Create a new site in DIR with a sample article, person and topic.
    Init {
        /// The folder to create (it must not exist or be empty).
        dir: PathBuf,
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
        } => build(
            BuildOptions {
                root,
                output,
                base_url,
                drafts,
            },
            quiet,
        ),
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

fn build(options: BuildOptions, quiet: bool) -> Result<(), Error> {
    let started = Instant::now();
    let report = newsdigest::build(&options)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if !quiet {
        println!(
            "Built {} pages ({} articles, {} people, {} topics) into {} in {:.2?}",
            report.pages,
            report.articles,
            report.people,
            report.topics,
            report.output.display(),
            started.elapsed()
        );
    }
    Ok(())
}
