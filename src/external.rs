//! `newsdigest check --external`: every http(s) link in articles and pages,
//! fetched once each by a bounded number of workers with a timeout. A link
//! that fails is a warning at its first use: outside sites come and go.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::Diagnostic;
use crate::markdown::LinkUse;
use crate::model::links::Document;

/// How external links are fetched.
#[derive(Debug, Clone, Copy)]
pub struct ExternalLinks {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// For each request, connection and answer together.
    pub timeout: Duration,
}

/// What a fetch found wrong, or None when the link works.
fn problem(agent: &ureq::Agent, url: &str) -> Option<String> {
    let answer = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match response {
        Ok(response) => Ok(response.status().as_u16()),
        Err(ureq::Error::StatusCode(code)) => Ok(code),
        Err(error) => Err(error),
    };
    // Some servers refuse HEAD; ask again with GET before calling a link broken.
    let status = match answer(agent.head(url).call()) {
        Ok(405 | 501 | 403) => answer(agent.get(url).call()),
        other => other,
    };
    match status {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("HTTP {code}")),
        Err(ureq::Error::Timeout(_)) => Some("no answer in time".to_string()),
        Err(error) => Some(error.to_string()),
    }
}

/// Fetches every distinct external link of `documents`; returns a warning per
/// broken one, at the first place it is used.
pub fn check(documents: &[Document], options: ExternalLinks) -> Vec<Diagnostic> {
    let mut first_use: BTreeMap<&str, (&Document, &LinkUse)> = BTreeMap::new();
    for document in documents {
        for link in &document.rendered.links {
            let url = link.written.as_str();
            if url.starts_with("http://") || url.starts_with("https://") {
                first_use.entry(url).or_insert((document, link));
            }
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(true)
        .user_agent(concat!(
            "newsdigest/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let queue: Mutex<Vec<&str>> = Mutex::new(first_use.keys().copied().collect());
    let broken: Mutex<Vec<(&str, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| loop {
                let Some(url) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    break;
                };
                if let Some(problem) = problem(&agent, url) {
                    broken
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((url, problem));
                }
            });
        }
    });
    let mut warnings: Vec<Diagnostic> = broken
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|(url, problem)| {
            let (document, link) = first_use[url];
            document.at(link, format!("external link to {url}: {problem}"))
        })
        .collect();
    warnings.sort();
    warnings
}
