//! File system calls that name the path in their error.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| Error::io("read", path, e))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| Error::io("read", path, e))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("create folder", path, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| Error::io("copy", from, e))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io("rename", from, e))
}

/// Removes the folder `path` and everything in it, its subfolders in
/// parallel: an archive's output holds tens of thousands of files, and the
/// previous one is removed at the end of every build. Links are removed,
/// never followed.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()) {
        return fs::remove_file(path).map_err(|e| Error::io("remove", path, e));
    }
    remove_tree(path)
}

fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let io = |e| Error::io("remove", dir, e);
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if entry.file_type().map_err(io)?.is_dir() {
            folders.push(path);
        } else {
            fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
    }
    folders
        .par_iter()
        .try_for_each(|folder| remove_tree(folder))?;
    fs::remove_dir(dir).map_err(io)
}

/// Writes `bytes` to `path`, creating its parent folders first.
pub fn write_creating_dirs(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_removed_whole_and_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept");
        fs::create_dir_all(kept.join("inside")).unwrap();
        fs::write(kept.join("inside/file.txt"), "stays").unwrap();
        let tree = dir.path().join("tree");
        for folder in ["a/b/c", "a/d", "e"] {
            fs::create_dir_all(tree.join(folder)).unwrap();
            fs::write(tree.join(folder).join("index.html"), "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("a/link")).unwrap();
        remove_dir_all(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            fs::read_to_string(kept.join("inside/file.txt")).unwrap(),
            "stays"
        );
        let error = remove_dir_all(&tree).unwrap_err().to_string();
        assert!(error.contains("tree"), "{error}");
    }
}
