//! Hostile and broken input: nothing crashes, nothing leaks, nothing is lost.
//!
//! Each file in `tests/hostile/` is one small site and what building it must
//! give; its first line says what it attacks. See `tests/hostile/README.md`
//! for the format. Every case is built with the `newsdigest` binary in its own
//! temporary folder and checked for:
//!
//! - the exit status and the exact lines printed on stderr;
//! - no panic, and no build slower than its time limit;
//! - nothing written outside `output/` (the site sits three folders deep, so
//!   a `../../` that escapes would land in the temporary folder and be seen);
//! - on failure: the previous `output/` left byte for byte as it was, and
//!   `newsdigest check` reporting the same errors;
//! - the case's own expectations on the built files.
//!
//! `HOSTILE_KEEP=1 cargo test --release --test hostile -- CASE --nocapture`
//! keeps the case's site and output and prints where.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Written when a case has no `site.yaml` of its own: with a host in
/// `base_url`, feeds and sitemaps are written and the build prints no warning.
const DEFAULT_SITE_YAML: &str = "base_url: https://example.org/\n";

/// A build that takes longer than this is a failure even without `seconds`.
const DEFAULT_SECONDS: u64 = 60;

/// The hosts the default `markdown.embeds` lets an `<iframe>` show.
const EMBED_HOSTS: &[&str] = newsdigest::config::DEFAULT_EMBEDS;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*
    };
}

cases!(
    html_heading_attributes,
    text_bom,
    text_crlf,
    text_crlf_error_lines,
    text_not_utf8,
    text_utf16,
    text_empty,
    text_unclosed,
    text_dashes_in_body,
    text_duplicate_keys,
    text_alias_bomb,
    text_deep_flow,
    text_deep_block,
    text_number_title,
    text_number_as_written,
    text_null_title,
    text_draft_yes,
    text_impossible_date,
    text_size_cap,
    text_tab_indent,
    text_control_chars,
    text_not_a_mapping,
    text_wrong_types,
    text_uppercase_extension,
    path_slug_dotdot,
    path_slug_absolute,
    path_slug_backslash,
    path_slug_percent,
    path_slug_nul,
    path_windows_names,
    path_alias_escapes,
    path_alias_injection,
    path_alias_over_file,
    path_same_address,
    path_case_collision,
    path_unicode_normalisation,
    path_generated_names,
    path_page_over_archive,
    path_symlinks,
    path_preset_permalink,
    path_preset_redirect,
    html_script,
    html_event_handlers,
    html_iframe,
    html_fence_info,
    html_deep_nesting,
    md_link_schemes,
    md_huge_code_line,
    md_deep_quotes,
    md_deep_brackets,
    meta_link_schemes,
    meta_script_in_title,
    meta_base_url,
    meta_stand_in_in_extra,
    template_syntax,
    template_recursive_macro,
);

#[test]
fn every_fixture_is_run_and_there_are_at_least_thirty() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txtar"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/hostile/*.txtar and cases!() differ");
    assert!(CASES.len() >= 30);
}

/// A content error leaves the previous output byte for byte as it was, and no
/// staging folder behind. (Every failing case above checks this too.)
#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("a/b/site");
    write_site(
        &site,
        &[
            file("site.yaml", DEFAULT_SITE_YAML),
            file(
                "content/articles/2018-06-19-good.md",
                "---\ntitle: Good\npeople: [Jeff Sessions]\n---\nFine.\n",
            ),
        ],
    );
    let first = run(&site, "build", DEFAULT_SECONDS);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = common::tree(&site.join("output"));

    let mut bomb = String::from(
        "---\ntitle: Bomb\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "  {name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 9].join(", ")
        ));
    }
    bomb.push_str("---\n");
    write_site(
        &site,
        &[
            file("content/articles/2018-06-20-bomb.md", &bomb),
            SiteFile {
                path: "content/articles/2018-06-21-latin1.md".into(),
                bytes: b"---\ntitle: Caf\xe9\n---\n".to_vec(),
                symlink: false,
            },
            file(
                "content/articles/other/2018-06-19-good.md",
                "---\ntitle: Same address\n---\n",
            ),
            file(
                "content/articles/2018-06-22-escape.md",
                "---\ntitle: Escape\naliases: [../../../escaped/]\n---\n",
            ),
        ],
    );
    let failed = run(&site, "build", DEFAULT_SECONDS);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).ends_with("4 content errors; nothing was written\n"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(before, common::tree(&site.join("output")));
    assert_nothing_outside_the_site(work.path());
}

/// The checker behind `inert` finds what a browser would run, and only that.
#[test]
fn the_live_markup_checker_sees_what_a_browser_runs() {
    for live in [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img/src/onerror=alert(1)>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=' JavaScript&colon;alert(1)'>x</a>",
        "<a href=vbscript:msgbox(1)>x</a>",
        "<iframe src=\"data:text/html,x\"></iframe>",
        "<img src=\"data:image/svg+xml,x\">",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<iframe srcdoc=\"x\"></iframe>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<body><base href=\"https://evil.example/\">",
        "<object data=x></object>",
        "<script type=\"application/ld+json\">{\"a\": \"</b>\"}</script>",
        "<title></title><script>alert(1)</script></title>",
    ] {
        assert!(!live_markup(live).is_empty(), "not seen: {live}");
    }
    for inert in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<p>javascript:alert(1) is text</p>",
        "<a href=\"https://example.org/?a=1&amp;b=2\" title=\"onerror=x\">x</a>",
        "<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
        "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>",
        "<iframe></iframe>",
        "<script type=\"application/ld+json\">{\"a\": \"\\u003c/script\\u003e\"}</script>",
        "<script src=\"/search.js\"></script>",
        "<title>&lt;/title&gt;&lt;script&gt;</title>",
        "<!-- <script>alert(1)</script> -->",
        // A tag named `scr<script`, which browsers ignore.
        "<scr<script>ipt>",
        "<pre><code class=\"language-&quot;&gt;&lt;script&gt;\">x</code></pre>",
    ] {
        assert!(
            live_markup(inert).is_empty(),
            "wrongly seen in {inert}: {:?}",
            live_markup(inert)
        );
    }
}

// ---------------------------------------------------------------------------
// The fixture format

struct Case {
    name: String,
    files: Vec<SiteFile>,
    expect: Vec<Expect>,
}

struct SiteFile {
    path: String,
    bytes: Vec<u8>,
    symlink: bool,
}

#[derive(Debug)]
enum Expect {
    /// `exit N`: the build's exit status.
    Exit(i32),
    /// `stderr LINE`: one line of stderr, in order; `…` matches any text.
    Stderr(String),
    /// `seconds N`: the build takes at most N seconds.
    Seconds(u64),
    /// `exists PATH` / `absent PATH`: a file of the output.
    Exists(String),
    Absent(String),
    /// `contains PATH TEXT` / `lacks PATH TEXT`: a file of the output holds TEXT.
    Contains(String, Vec<u8>),
    Lacks(String, Vec<u8>),
    /// `nowhere TEXT`: no file of the output holds TEXT.
    Nowhere(Vec<u8>),
    /// `inert`: no page, feed or timeline data holds a live script, event
    /// handler, code-running URL, or frame onto an unlisted host.
    Inert,
    /// `well-formed`: every XML and JSON file parses, and so does every
    /// JSON-LD block of every page.
    WellFormed,
    /// `xml-text PATH TEXT`: an element of the XML file has exactly TEXT.
    XmlText(String, String),
    /// `json-string PATH TEXT`: a string of the JSON file is exactly TEXT.
    JsonString(String, String),
    /// `json-ld PATH TEXT`: a string of a JSON-LD block of the page is exactly TEXT.
    JsonLd(String, String),
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn file(path: &str, text: &str) -> SiteFile {
    SiteFile {
        path: path.to_string(),
        bytes: text.as_bytes().to_vec(),
        symlink: false,
    }
}

fn load_case(name: &str) -> Case {
    let path = fixtures().join(format!("{name}.txtar"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut description = Vec::new();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let header = line.strip_prefix("-- ").and_then(|l| l.strip_suffix(" --"));
        match (header, sections.last_mut()) {
            (Some(header), _) => sections.push((header.to_string(), String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) if line.starts_with("# ") => description.push(line),
            (None, None) => assert!(
                line.is_empty(),
                "{name}: text before the first file: {line}"
            ),
        }
    }
    assert_eq!(
        description.len(),
        1,
        "{name}: a case starts with one `# ` line saying what it attacks"
    );
    let (expect_header, expect_text) = sections.pop().expect("sections");
    assert_eq!(
        expect_header, "expect",
        "{name}: the last section is `-- expect --`"
    );
    let files = sections
        .into_iter()
        .map(|(header, body)| {
            let (path, flags) = match header.strip_suffix(')').and_then(|h| h.split_once(" (")) {
                Some((path, flags)) => (path.to_string(), flags.split(", ").collect::<Vec<_>>()),
                None => (header.clone(), Vec::new()),
            };
            for flag in &flags {
                assert!(
                    matches!(*flag, "escaped" | "crlf" | "symlink"),
                    "{name}: unknown flag `{flag}`"
                );
            }
            let escaped = flags.contains(&"escaped");
            let path = if escaped {
                String::from_utf8(unescape(&path)).unwrap()
            } else {
                path
            };
            let mut bytes = if escaped {
                unescape(&body)
            } else {
                body.into_bytes()
            };
            if flags.contains(&"crlf") {
                bytes = String::from_utf8(bytes)
                    .unwrap()
                    .replace('\n', "\r\n")
                    .into_bytes();
            }
            let symlink = flags.contains(&"symlink");
            if symlink {
                while bytes.last() == Some(&b'\n') {
                    bytes.pop();
                }
            }
            SiteFile {
                path,
                bytes,
                symlink,
            }
        })
        .collect();
    let expect = expect_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| parse_expect(name, line))
        .collect();
    Case {
        name: name.to_string(),
        files,
        expect,
    }
}

fn parse_expect(name: &str, line: &str) -> Expect {
    let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
    let text = || String::from_utf8(unescape(rest)).unwrap();
    let path_and_text = || {
        let (path, text) = rest
            .split_once(' ')
            .unwrap_or_else(|| panic!("{name}: `{line}` needs a path and a text"));
        (path.to_string(), String::from_utf8(unescape(text)).unwrap())
    };
    match verb {
        "exit" => Expect::Exit(rest.parse().unwrap()),
        "stderr" => Expect::Stderr(text()),
        "seconds" => Expect::Seconds(rest.parse().unwrap()),
        "exists" => Expect::Exists(rest.to_string()),
        "absent" => Expect::Absent(rest.to_string()),
        "contains" => {
            let (path, text) = path_and_text();
            Expect::Contains(path, text.into_bytes())
        }
        "lacks" => {
            let (path, text) = path_and_text();
            Expect::Lacks(path, text.into_bytes())
        }
        "nowhere" => Expect::Nowhere(unescape(rest)),
        "inert" => Expect::Inert,
        "well-formed" => Expect::WellFormed,
        "xml-text" => {
            let (path, text) = path_and_text();
            Expect::XmlText(path, text)
        }
        "json-string" => {
            let (path, text) = path_and_text();
            Expect::JsonString(path, text)
        }
        "json-ld" => {
            let (path, text) = path_and_text();
            Expect::JsonLd(path, text)
        }
        _ => panic!("{name}: unknown expectation `{line}`"),
    }
}

/// `\xHH` (a byte), `\u{H..}` (a character), `\t`, `\r`, `\n`, `\0`, `\\`, and
/// `\repeat{N}{TEXT}` (TEXT, which holds no `}`, N times; `_` may group N's digits).
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        rest = &rest[at + 1..];
        if let Some(repeat) = rest.strip_prefix("repeat{") {
            let (count, after) = repeat.split_once("}{").expect("\\repeat{N}{TEXT}");
            let (unit, after) = after.split_once('}').expect("\\repeat{N}{TEXT}");
            let count: usize = count.replace('_', "").parse().expect("\\repeat{N}");
            out.extend_from_slice(unit.repeat(count).as_bytes());
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().expect("a character after `\\`");
        rest = chars.as_str();
        match c {
            '\\' => out.push(b'\\'),
            't' => out.push(b'\t'),
            'r' => out.push(b'\r'),
            'n' => out.push(b'\n'),
            '0' => out.push(0),
            'x' => {
                out.push(u8::from_str_radix(&rest[..2], 16).expect("\\xHH"));
                rest = &rest[2..];
            }
            'u' => {
                let end = rest.find('}').expect("\\u{...}");
                let code = u32::from_str_radix(&rest[1..end], 16).expect("\\u{hex}");
                let mut buffer = [0; 4];
                let c = char::from_u32(code).expect("a Unicode scalar value");
                out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                rest = &rest[end + 1..];
            }
            other => panic!("unknown escape `\\{other}`"),
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

// ---------------------------------------------------------------------------
// Running a case

fn write_site(site: &Path, files: &[SiteFile]) {
    for f in files {
        let path = site.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if f.symlink {
            let target = String::from_utf8(f.bytes.clone()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &path).unwrap();
            #[cfg(not(unix))]
            let _ = target;
        } else {
            std::fs::write(&path, &f.bytes).unwrap();
        }
    }
}

/// Runs `newsdigest COMMAND --root SITE`, killed after `seconds`.
fn run(site: &Path, command: &str, seconds: u64) -> Output {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .arg(command)
        .arg("--root")
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes while waiting, so a chatty run cannot block on them.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut buffer).unwrap();
        buffer
    });
    let err_reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut buffer).unwrap();
        buffer
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(seconds) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`newsdigest {command}` took more than {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-article site, built, as the "previous output" a failing build must
/// leave alone.
fn previous_output() -> (tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    write_site(
        dir.path(),
        &[
            file("site.yaml", DEFAULT_SITE_YAML),
            file(
                "content/articles/2000-01-01-previous.md",
                "---\ntitle: The previous build\n---\nStill here.\n",
            ),
        ],
    );
    let output = run(dir.path(), "build", DEFAULT_SECONDS);
    assert!(output.status.success(), "{}", stderr(&output));
    let tree = common::tree(&dir.path().join("output"));
    (dir, tree)
}

fn run_case(name: &str) {
    let case = load_case(name);
    let work = tempfile::tempdir().unwrap();
    // Three folders deep: whatever climbs out of output/ lands inside `work`.
    let site = work.path().join("a/b/site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    write_site(&site, &case.files);
    if !case.files.iter().any(|f| f.path == "site.yaml") {
        std::fs::write(site.join("site.yaml"), DEFAULT_SITE_YAML).unwrap();
    }

    let exit = case
        .expect
        .iter()
        .find_map(|e| match e {
            Expect::Exit(code) => Some(*code),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{name}: no `exit` line"));
    let seconds = case
        .expect
        .iter()
        .find_map(|e| match e {
            Expect::Seconds(s) => Some(*s),
            _ => None,
        })
        .unwrap_or(DEFAULT_SECONDS);
    let expected_stderr: Vec<&str> = case
        .expect
        .iter()
        .filter_map(|e| match e {
            Expect::Stderr(line) => Some(line.as_str()),
            _ => None,
        })
        .collect();

    let previous = (exit != 0).then(|| {
        let (dir, tree) = previous_output();
        copy_tree(&dir.path().join("output"), &site.join("output"));
        tree
    });

    let started = Instant::now();
    let build = run(&site, "build", seconds);
    let took = started.elapsed();
    let printed = stderr(&build);
    let mut failures = Vec::new();
    if printed.contains("panicked") || printed.contains("overflow") {
        failures.push(format!("the build crashed:\n{printed}"));
    }
    if build.status.code() != Some(exit) {
        failures.push(format!(
            "exit status {:?}, expected {exit}",
            build.status.code()
        ));
    }
    let lines: Vec<&str> = printed.lines().collect();
    if !lines_match(&lines, &expected_stderr) {
        failures.push(format!(
            "stderr differs\n--- expected\n{}\n--- printed\n{}",
            expected_stderr.join("\n"),
            lines.join("\n")
        ));
    }
    if took > Duration::from_secs(seconds) {
        failures.push(format!("took {took:?}, more than {seconds} s"));
    }
    if let Some(previous) = &previous {
        if *previous != common::tree(&site.join("output")) {
            failures.push("the previous output/ was changed by a failed build".to_string());
        }
        let check = run(&site, "check", seconds);
        let errors: Vec<&str> = expected_stderr
            .iter()
            .copied()
            .filter(|l| !l.contains("content error") && !l.contains(": warning: "))
            .collect();
        let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
        let reported: Vec<&str> = stdout
            .lines()
            .filter(|l| {
                !l.contains(": warning: ") && !l.contains(": note: ") && !l.starts_with("check: ")
            })
            .collect();
        if check.status.code() != Some(1) || !lines_match(&reported, &errors) {
            failures.push(format!(
                "`newsdigest check` exited with {:?} and reported\n{}\n{}",
                check.status.code(),
                stdout,
                stderr(&check)
            ));
        }
    }
    // A case may be an archive of another generator (`_posts/`): its own
    // top-level inputs are the site's too.
    let inputs: Vec<String> = case
        .files
        .iter()
        .filter_map(|f| f.path.split('/').next().map(str::to_string))
        .collect();
    if let Err(leak) = nothing_outside_the_site(work.path(), &inputs) {
        failures.push(leak);
    }
    let output = site.join("output");
    for expect in &case.expect {
        if let Err(failure) = check_expectation(&output, expect) {
            failures.push(failure);
        }
    }
    if std::env::var_os("HOSTILE_KEEP").is_some() {
        let kept = work.keep();
        eprintln!(
            "{name}: the site and its output are kept in {}",
            kept.display()
        );
    }
    assert!(
        failures.is_empty(),
        "case {} failed:\n\n{}",
        case.name,
        failures.join("\n\n")
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in common::tree(from) {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// `expected` lines may hold `…`, which matches any text.
fn lines_match(printed: &[&str], expected: &[&str]) -> bool {
    printed.len() == expected.len()
        && printed
            .iter()
            .zip(expected)
            .all(|(line, pattern)| wildcard_match(line, pattern))
}

fn wildcard_match(text: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return text == pattern;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn assert_nothing_outside_the_site(work: &Path) {
    if let Err(leak) = nothing_outside_the_site(work, &[]) {
        panic!("{leak}");
    }
}

/// Everything under `work` is the site's own input or its output: the
/// folders leading to the site, then only `content/`, `site.yaml`, `themes/`,
/// the case's other `inputs` (top-level names) and `output/` in it (no
/// staging folder left behind, nothing beside it).
fn nothing_outside_the_site(work: &Path, inputs: &[String]) -> Result<(), String> {
    let mut strays = Vec::new();
    for entry in walkdir::WalkDir::new(work).follow_links(false) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(work).unwrap();
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let leading = ["a", "b", "site"];
        let allowed = if parts.len() <= leading.len() {
            parts.iter().zip(leading).all(|(p, l)| p == l)
        } else {
            parts[..3] == leading
                && (matches!(
                    parts[3].as_str(),
                    "content" | "site.yaml" | "themes" | "output"
                ) || inputs.contains(&parts[3]))
        };
        if !allowed {
            strays.push(relative.display().to_string());
        }
    }
    if strays.is_empty() {
        Ok(())
    } else {
        Err(format!("written outside output/: {strays:?}"))
    }
}

// ---------------------------------------------------------------------------
// Expectations on the output

fn read(output: &Path, path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(output.join(path)).map_err(|e| format!("{path}: {e}"))
}

fn shorten(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() > 300 {
        format!(
            "{}… ({} bytes)",
            text.chars().take(300).collect::<String>(),
            bytes.len()
        )
    } else {
        text.into_owned()
    }
}

fn check_expectation(output: &Path, expect: &Expect) -> Result<(), String> {
    match expect {
        Expect::Exit(_) | Expect::Stderr(_) | Expect::Seconds(_) => Ok(()),
        Expect::Exists(path) => output
            .join(path)
            .exists()
            .then_some(())
            .ok_or_else(|| format!("{path} was not written")),
        Expect::Absent(path) => (!output.join(path).exists())
            .then_some(())
            .ok_or_else(|| format!("{path} was written")),
        Expect::Contains(path, text) => {
            let bytes = read(output, path)?;
            find(&bytes, text).then_some(()).ok_or_else(|| {
                format!(
                    "{path} lacks `{}`; it holds:\n{}",
                    shorten(text),
                    excerpt(&bytes)
                )
            })
        }
        Expect::Lacks(path, text) => {
            let bytes = read(output, path)?;
            (!find(&bytes, text))
                .then_some(())
                .ok_or_else(|| format!("{path} holds `{}`", shorten(text)))
        }
        Expect::Nowhere(text) => {
            // The keys of the pages written are binary: any byte can be in them.
            let holding: Vec<String> = common::tree(output)
                .into_iter()
                .filter(|(path, _)| path != Path::new(".newsdigest-pages"))
                .filter(|(_, bytes)| find(bytes, text))
                .map(|(path, _)| path.display().to_string())
                .collect();
            holding
                .is_empty()
                .then_some(())
                .ok_or_else(|| format!("`{}` is in {holding:?}", shorten(text).escape_debug()))
        }
        Expect::Inert => {
            let mut live = Vec::new();
            for (path, bytes) in common::tree(output) {
                let shown = path.display().to_string();
                for found in live_in_file(&path, &bytes) {
                    live.push(format!("{shown}: {found}"));
                }
            }
            live.is_empty()
                .then_some(())
                .ok_or_else(|| format!("live markup in the output:\n{}", live.join("\n")))
        }
        Expect::WellFormed => {
            let mut broken = Vec::new();
            for (path, bytes) in common::tree(output) {
                let shown = path.display().to_string();
                let text = String::from_utf8_lossy(&bytes);
                match path.extension().and_then(|e| e.to_str()) {
                    Some("xml") => {
                        if let Err(e) = roxmltree::Document::parse(&text) {
                            broken.push(format!("{shown}: {e}"));
                        }
                    }
                    Some("json") => {
                        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                            broken.push(format!("{shown}: {e}"));
                        }
                    }
                    Some("html") => {
                        for block in json_ld_blocks(&text) {
                            if let Err(e) = serde_json::from_str::<serde_json::Value>(block) {
                                broken.push(format!("{shown}: JSON-LD: {e}: {block}"));
                            }
                        }
                    }
                    _ => {}
                }
            }
            broken
                .is_empty()
                .then_some(())
                .ok_or_else(|| format!("files that do not parse:\n{}", broken.join("\n")))
        }
        Expect::XmlText(path, wanted) => {
            let text = String::from_utf8_lossy(&read(output, path)?).into_owned();
            let document = roxmltree::Document::parse(&text).map_err(|e| format!("{path}: {e}"))?;
            document
                .descendants()
                .any(|n| n.is_element() && n.text() == Some(wanted.as_str()))
                .then_some(())
                .ok_or_else(|| {
                    format!(
                        "{path} has no element with the text `{wanted}`:\n{}",
                        excerpt(text.as_bytes())
                    )
                })
        }
        Expect::JsonString(path, wanted) => {
            let text = String::from_utf8_lossy(&read(output, path)?).into_owned();
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            has_string(&value, wanted).then_some(()).ok_or_else(|| {
                format!(
                    "{path} has no string `{wanted}`:\n{}",
                    excerpt(text.as_bytes())
                )
            })
        }
        Expect::JsonLd(path, wanted) => {
            let text = String::from_utf8_lossy(&read(output, path)?).into_owned();
            let found = json_ld_blocks(&text).into_iter().any(|block| {
                serde_json::from_str::<serde_json::Value>(block)
                    .is_ok_and(|value| has_string(&value, wanted))
            });
            found.then_some(()).ok_or_else(|| {
                format!(
                    "no JSON-LD block of {path} has the string `{wanted}`:\n{}",
                    json_ld_blocks(&text).join("\n")
                )
            })
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    // The page's content is what cases check; show it, not the head.
    let start = text.find("<h1").or_else(|| text.find("<main")).unwrap_or(0);
    let shown: String = text[start..].chars().take(3000).collect();
    shown
}

fn has_string(value: &serde_json::Value, wanted: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == wanted,
        serde_json::Value::Array(items) => items.iter().any(|v| has_string(v, wanted)),
        serde_json::Value::Object(map) => map.values().any(|v| has_string(v, wanted)),
        _ => false,
    }
}

fn json_ld_blocks(html: &str) -> Vec<&str> {
    let open = "<script type=\"application/ld+json\">";
    html.split(open)
        .skip(1)
        .map(|rest| rest.split("</script>").next().unwrap_or(rest))
        .collect()
}

// ---------------------------------------------------------------------------
// Live markup: what a browser or feed reader would run

/// Live markup in one output file: its HTML, the HTML inside its Atom
/// entries, the HTML of its JSON Feed items and TimelineJS entries.
fn live_in_file(path: &Path, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let name = path.file_name().unwrap().to_string_lossy();
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => live_markup(&text),
        Some("xml") => {
            let Ok(document) = roxmltree::Document::parse(&text) else {
                return vec!["does not parse as XML".to_string()];
            };
            document
                .descendants()
                .filter(|n| n.is_element() && n.attribute("type") == Some("html"))
                .flat_map(|n| live_markup(n.text().unwrap_or_default()))
                .map(|found| format!("in an entry: {found}"))
                .collect()
        }
        Some("json") if name == "feed.json" || name == "timeline.json" => {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                return vec!["does not parse as JSON".to_string()];
            };
            // JSON Feed's `content_html`; TimelineJS shows `headline` and
            // `text` as HTML.
            let mut found = Vec::new();
            html_strings(&value, &["content_html", "headline", "text"], &mut found);
            found
                .iter()
                .flat_map(|html| live_markup(html))
                .map(|f| format!("in an item: {f}"))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn html_strings(value: &serde_json::Value, keys: &[&str], found: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                html_strings(item, keys, found);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                match item {
                    serde_json::Value::String(s) if keys.contains(&key.as_str()) => {
                        found.push(s.clone())
                    }
                    other => html_strings(other, keys, found),
                }
            }
        }
        _ => {}
    }
}

struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Tokenises `html` the way a browser does (simplified: tags, attributes,
/// comments, raw-text elements) and lists every live thing in it.
fn live_markup(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut in_body = false;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let rest = &html[start..];
        let skip_to =
            |end: &str, extra: usize| rest.find(end).map_or(html.len(), |e| start + e + extra);
        if rest.starts_with("<!--") {
            at = skip_to("-->", 3);
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            at = skip_to(">", 1);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start + 1;
            continue;
        }
        let (tag, end) = parse_tag(html, start);
        check_tag(&tag, in_body, &mut found);
        in_body |= tag.name == "body";
        at = end;
        if matches!(
            tag.name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
        ) {
            let close = format!("</{}", tag.name);
            let content_end = lower[at..].find(&close).map_or(html.len(), |e| at + e);
            let content = &html[at..content_end];
            if tag.name == "script" && content.contains('<') {
                found.push(format!(
                    "`<` inside a script element: {}",
                    shorten(content.as_bytes())
                ));
            }
            at = content_end;
        }
    }
    found
}

fn parse_tag(html: &str, start: usize) -> (Tag, usize) {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let name_start = i;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (Tag { name, attributes }, bytes.len());
        }
        if bytes[i] == b'>' {
            return (Tag { name, attributes }, i + 1);
        }
        let attr_start = i;
        i += 1; // a first `=` belongs to the name
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = html[attr_start..i].to_ascii_lowercase();
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                i = value_start;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                value = html[value_start..i.min(bytes.len())].to_string();
                i = (i + 1).min(bytes.len());
            } else {
                let value_start = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = html[value_start..i].to_string();
            }
        }
        attributes.push((attr, decode_entities(&value)));
    }
}

/// Character references as a browser reads them in attribute values.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            value.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" | "Tab" => Some('\t'),
                "newline" | "NewLine" => Some('\n'),
                "sol" => Some('/'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// A URL as a browser resolves its scheme: no whitespace or control
/// characters, lowercase.
fn scheme_of(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "data",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "codebase",
    "archive",
    "to",
    "from",
    "values",
    "by",
];

fn check_tag(tag: &Tag, in_body: bool, found: &mut Vec<String>) {
    let name = tag.name.as_str();
    let attribute = |wanted: &str| {
        tag.attributes
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, v)| v.as_str())
    };
    for (attr, value) in &tag.attributes {
        if attr.starts_with("on") {
            found.push(format!("event handler `{attr}` on <{name}>"));
        }
        if attr == "srcdoc" {
            found.push(format!("`srcdoc` on <{name}>"));
        }
        let url = scheme_of(value);
        if URL_ATTRIBUTES.contains(&attr.as_str()) || attr == "srcset" {
            let runs = ["javascript:", "vbscript:", "livescript:"]
                .iter()
                .any(|s| url.starts_with(s) || (attr == "values" && url.contains(s)));
            if runs {
                found.push(format!("`{attr}=\"{value}\"` on <{name}> runs code"));
            }
            let raster = [
                "data:image/png",
                "data:image/jpeg",
                "data:image/gif",
                "data:image/webp",
            ]
            .iter()
            .any(|p| url.starts_with(p));
            if url.starts_with("data:") && !(name == "img" && attr == "src" && raster) {
                found.push(format!("`{attr}=\"{value}\"` on <{name}> is a data: URL"));
            }
        }
        if attr == "style" && (url.contains("expression(") || url.contains("javascript:")) {
            found.push(format!("`style=\"{value}\"` on <{name}> runs code"));
        }
    }
    if name == "meta" {
        if let Some(content) = attribute("content") {
            let content = scheme_of(content);
            if let Some((_, target)) = content.split_once("url=") {
                let target = target.trim_matches(['\'', '"']);
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| target.starts_with(s))
                {
                    found.push(format!("<meta> refreshes to `{target}`"));
                }
            }
        }
    }
    match name {
        "script" => {
            let json_ld =
                tag.attributes == [("type".to_string(), "application/ld+json".to_string())];
            let theme_script = matches!(&tag.attributes[..], [(a, v)] if a == "src" && v.ends_with("/search.js") && !v.contains(':'));
            if !json_ld && !theme_script {
                found.push(format!("a script element {:?}", tag.attributes));
            }
        }
        // A frame without a source shows an empty page.
        "iframe" | "frame" if attribute("src").is_some() => {
            let src = attribute("src").unwrap_or_default();
            let host = src
                .strip_prefix("https://")
                .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
            if !host.is_some_and(|h| EMBED_HOSTS.contains(&h)) {
                found.push(format!("a frame onto `{src}`"));
            }
        }
        "object" | "embed" | "applet" | "frameset" | "portal" => {
            found.push(format!("an <{name}> element"));
        }
        "base" | "meta" | "link" | "style" if in_body => {
            found.push(format!(
                "a <{name}> element in the body {:?}",
                tag.attributes
            ));
        }
        _ => {}
    }
}
