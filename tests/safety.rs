//! A build that fails or is killed part-way leaves the previous site exactly
//! as it was.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{tree, TestSite};

/// A site large enough that a build takes a while.
fn big_site() -> TestSite {
    let site = TestSite::new("");
    newsdigest::corpus::generate(site.root(), 600, 7).unwrap();
    site
}

fn files_under(dir: &std::path::Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

#[test]
fn a_template_error_half_way_leaves_the_old_output_byte_identical() {
    let site = big_site();
    site.built();
    let before = tree(&site.output());
    let pages = before.keys().filter(|p| p.ends_with("index.html")).count();

    // One article in the middle of the archive fails to render.
    let articles: Vec<_> = before
        .keys()
        .filter(|p| p.components().count() == 5 && p.ends_with("index.html"))
        .collect();
    let middle = articles[articles.len() / 2]
        .to_string_lossy()
        .replace("/index.html", "/");
    site.write(
        "themes/default/templates/article.html",
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{{% if page_url == \"/{middle}\" %}}{{{{ missing.value }}}}{{% endif %}}{{{{ article.title }}}}{{% endblock content %}}"
        )
        .as_bytes(),
    );
    let error = site.build().expect_err("the build fails").to_string();
    assert!(error.contains("article.html"), "{error}");
    assert_eq!(
        tree(&site.output()),
        before,
        "the previous site is untouched"
    );
    let staging = site.root().join(".output.staging");
    assert!(!staging.exists(), "the staging folder is removed");
    assert!(
        pages > 1000,
        "the site is big enough to fail half-way ({pages} pages)"
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_half_way_leaves_the_old_output_and_the_next_build_cleans_up() {
    let site = big_site();
    site.built();
    let before = tree(&site.output());
    site.write(
        "content/articles/extra.md",
        b"---\ntitle: One more\ndate: 2020-01-01\n---\nText.\n",
    );

    let staging = site.root().join(".output.staging");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["build", "--quiet", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until about half the files are in the staging folder, then kill.
    let half = before.len() / 2;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut killed_at = 0;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let written = files_under(&staging);
        if written >= half {
            child.kill().unwrap();
            killed_at = written;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    assert!(killed_at > 0, "the build was killed part-way through");
    assert!(staging.exists(), "a killed build leaves its staging folder");
    assert_eq!(
        tree(&site.output()),
        before,
        "the previous site is untouched"
    );

    site.built();
    assert!(
        !staging.exists(),
        "the next build removes the stale staging folder"
    );
    assert!(site.exists("2020/01/01/extra/index.html"));
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_only_when_allowed_and_loops_are_reported() {
    let site =
        TestSite::new("-- content/articles/2018-06-19-real.md --\n---\ntitle: Real\n---\nText.\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("2018-06-20-linked.md"),
        "---\ntitle: Linked\n---\nFrom elsewhere.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/articles/shared"))
        .unwrap();
    let report = site.built();
    assert!(
        !site.exists("2018/06/20/linked/index.html"),
        "links are not followed by default"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.path.ends_with("content/articles/shared")
                && w.message.contains("follow_links: true")),
        "{:?}",
        report.warnings
    );

    site.write("site.yaml", b"follow_links: true\n");
    site.built();
    assert!(
        site.exists("2018/06/20/linked/index.html"),
        "followed when allowed"
    );

    // A link to its own folder.
    std::os::unix::fs::symlink(".", outside.path().join("again")).unwrap();
    let message = site.build().unwrap_err().to_string();
    assert!(
        message.contains("content/articles/shared/again:1:1: symbolic link loop: it leads back to"),
        "{message}"
    );
}
