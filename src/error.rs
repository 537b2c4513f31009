//! Errors: content diagnostics reported as `path:line:column: message`, and the
//! one error type every stage of the build returns.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Where the lines of a text start, to name the line of a byte offset in it.
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    pub(crate) fn of(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1));
        LineStarts(starts.collect())
    }

    /// The line (from 0) that holds byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset) - 1
    }
}

/// A problem in one content file, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// Content errors, all of them, sorted by file and line.
    Content(Vec<Diagnostic>),
    /// A file system call failed; `action` says what was being done.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// A template failed to load or, rendering `page`, to render.
    Template {
        template: String,
        page: Option<String>,
        message: String,
    },
    /// The command was asked to do something unsafe or impossible.
    Usage(String),
}

impl Error {
    pub fn content(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Error::Content(diagnostics)
    }

    pub fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Tera hides the useful part of an error in its source chain.
    pub fn template(template: &str, error: &tera::Error) -> Self {
        Self::template_in(template, None, error)
    }

    /// A template error while rendering the page at `page` (a site path).
    pub fn rendering(template: &str, page: &str, error: &tera::Error) -> Self {
        Self::template_in(template, Some(page), error)
    }

    fn template_in(template: &str, page: Option<&str>, error: &tera::Error) -> Self {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Error::Template {
            template: template.to_string(),
            page: page.map(str::to_string),
            message,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(diagnostics) => {
                for diagnostic in diagnostics {
                    writeln!(f, "{diagnostic}")?;
                }
                let count = diagnostics.len();
                let plural = if count == 1 { "" } else { "s" };
                write!(f, "{count} content error{plural}; nothing was written")
            }
            Error::Io {
                action,
                path,
                source,
            } => write!(f, "could not {action} {}: {source}", path.display()),
            Error::Template {
                template,
                page: None,
                message,
            } => write!(f, "template {template}: {message}"),
            Error::Template {
                template,
                page: Some(page),
                message,
            } => write!(
                f,
                "template {template}, rendering the page {page}: {message}"
            ),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
