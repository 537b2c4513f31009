//! How long the dev server takes to show an edit: prepares a site once, then
//! edits one article and prepares it again, several times, and prints the
//! median. `cargo run --release --example rebuild -- /tmp/corpus`
//! (the site is edited in place; make the corpus with the `corpus` example).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use newsdigest::BuildOptions;

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: rebuild SITE");
        return ExitCode::FAILURE;
    };
    let options = BuildOptions {
        root: root.clone(),
        // As serve reads a site: the search words are kept up to date.
        without_search: false,
        force: false,
        keep_bodies: true,
        ..Default::default()
    };
    let run = || -> newsdigest::Result<()> {
        let started = Instant::now();
        let mut prepared = newsdigest::prepare(&options)?;
        println!(
            "first read of {} articles: {:.0?}",
            prepared.index.articles.len(),
            started.elapsed()
        );
        let article = prepared.index.articles[prepared.index.articles.len() / 2]
            .source
            .clone();
        let file = root.join(&article);
        let original =
            std::fs::read_to_string(&file).map_err(|e| newsdigest::Error::io("read", &file, e))?;
        let mut again = Vec::new();
        let mut from_scratch = Vec::new();
        for round in 0..5 {
            let edited = format!("{original}\nEdited in round {round}.\n");
            std::fs::write(&file, edited).map_err(|e| newsdigest::Error::io("write", &file, e))?;
            let started = Instant::now();
            prepared = newsdigest::prepare_again(&options, &prepared)?;
            again.push(started.elapsed());
            if round == 0 {
                for (stage, time) in &prepared.timings.stages {
                    println!("  {stage}: {time:.0?}");
                }
            }
            let started = Instant::now();
            newsdigest::prepare(&options)?;
            from_scratch.push(started.elapsed());
        }
        std::fs::write(&file, original).map_err(|e| newsdigest::Error::io("write", &file, e))?;
        let median = |times: &mut Vec<Duration>| {
            times.sort();
            times[times.len() / 2]
        };
        println!(
            "one-article edit, reusing unchanged articles: median {:.0?}",
            median(&mut again)
        );
        println!(
            "one-article edit, from scratch:               median {:.0?}",
            median(&mut from_scratch)
        );
        println!("(serve renders each page when it is opened: one page takes milliseconds)");
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
