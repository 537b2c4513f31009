//! Writes a synthetic archive: `cargo run --release --example corpus -- 10000 /tmp/corpus [seed]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(dir)) = (args.first().and_then(|c| c.parse().ok()), args.get(1)) else {
        eprintln!("usage: corpus ARTICLES DIR [SEED]");
        return ExitCode::FAILURE;
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2018);
    match newsdigest::corpus::generate(&PathBuf::from(dir), count, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
