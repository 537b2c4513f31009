//! Fixture sites written inline in the test: one string of `-- path --` sections.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use newsdigest::{BuildOptions, BuildReport};
use tempfile::TempDir;

pub struct TestSite {
    pub dir: TempDir,
}

impl TestSite {
    /// `spec` holds files as `-- content/articles/a.md --` followed by their text.
    pub fn new(spec: &str) -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().expect("a temp dir"),
        };
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site.add(spec);
        site
    }

    /// Like `new`, without creating `content/`: another generator's archive.
    pub fn archive(spec: &str) -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().expect("a temp dir"),
        };
        site.add(spec);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn add(&self, spec: &str) {
        let mut current: Option<(String, String)> = None;
        let mut files = Vec::new();
        for line in spec.lines() {
            let header = line
                .trim()
                .strip_prefix("-- ")
                .and_then(|l| l.strip_suffix(" --"));
            match header {
                Some(path) => {
                    files.extend(current.take());
                    current = Some((path.to_string(), String::new()));
                }
                None => {
                    if let Some((_, text)) = current.as_mut() {
                        text.push_str(line);
                        text.push('\n');
                    }
                }
            }
        }
        files.extend(current);
        for (path, text) in files {
            self.write(&path, text.as_bytes());
        }
    }

    pub fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    pub fn build(&self) -> newsdigest::Result<BuildReport> {
        newsdigest::build(&self.options())
    }

    /// Builds and panics with the error text on failure.
    pub fn built(&self) -> BuildReport {
        self.build()
            .unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    pub fn read(&self, path: &str) -> String {
        let full = self.output().join(path.trim_start_matches('/'));
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output().join(path.trim_start_matches('/')).exists()
    }

    /// Every file of the output with its bytes.
    pub fn tree(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.output())
    }
}

pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every `href="..."` value in `html`.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The first bytes of a PNG file `width` by `height` pixels: as much as a
/// reader of its size looks at.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}
