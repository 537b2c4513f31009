//! `newsdigest serve` as an editor uses it: pages, live reload, the error
//! overlay over the last good site, and what the server refuses to serve.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .unwrap();
            if let Some(rest) = line.split_once("http://localhost:").map(|(_, r)| r) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port }
    }

    /// A raw HTTP/1.1 GET, so tests control the exact path and Host header.
    fn get_with_host(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.get_with_host(path, &format!("localhost:{}", self.port))
    }

    /// Waits until `condition` holds for the page at `path`.
    fn wait_for(&self, path: &str, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, body) = self.get(path);
            if condition(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens the reload event stream and returns a reader positioned after the headers.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__newsdigest/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        reader
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "the event stream closed"
        );
        if line.starts_with("event: reload") {
            return;
        }
    }
}

const SITE: &str =
    "-- content/articles/2018-06-19-letters.md --\n---\ntitle: The letters\n---\nText.\n";

#[test]
fn edits_reload_pages_and_errors_show_over_the_last_good_site() {
    let site = TestSite::new(SITE);
    let server = Server::start(&site);
    let (status, page) = server.get("/2018/06/19/letters/");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>The letters</h1>"));
    assert!(page.contains("<script src=\"/__newsdigest/livereload.js\"></script></body>"));
    assert!(!page.to_lowercase().contains("access-control-allow-origin"));

    let mut events = server.events();
    site.write(
        "content/articles/2018-06-19-letters.md",
        b"---\ntitle: The letters, edited\n---\nText.\n",
    );
    wait_for_reload(&mut events);
    server.wait_for("/2018/06/19/letters/", "the edit", |b| {
        b.contains("<h1>The letters, edited</h1>")
    });

    site.write(
        "content/articles/2018-06-19-letters.md",
        b"---\ntitel: Broken\n---\nText.\n",
    );
    wait_for_reload(&mut events);
    let broken = server.wait_for("/2018/06/19/letters/", "the overlay", |b| {
        b.contains("id=\"newsdigest-errors\"")
    });
    assert!(broken.contains(
        "content/articles/2018-06-19-letters.md:2:1: unknown key `titel`; did you mean `title`?"
    ));
    assert!(
        broken.contains("<h1>The letters, edited</h1>"),
        "the last good page still serves"
    );
    assert!(
        server.get("/").1.contains("id=\"newsdigest-errors\""),
        "on every page"
    );

    site.write(
        "content/articles/2018-06-19-letters.md",
        b"---\ntitle: Fixed\n---\nText.\n",
    );
    wait_for_reload(&mut events);
    let fixed = server.wait_for("/2018/06/19/letters/", "recovery", |b| {
        b.contains("<h1>Fixed</h1>")
    });
    assert!(!fixed.contains("id=\"newsdigest-errors\""));
    assert!(!site.output().exists(), "serve never writes output/");
}

#[test]
fn search_works_in_serve_and_follows_edits() {
    let site = TestSite::new(SITE);
    let server = Server::start(&site);
    let (status, page) = server.get("/search/");
    assert_eq!(status, 200);
    assert!(page.contains("data-index=\"/search/data\""), "{page}");
    let (status, index) = server.get("/search/data/index.json");
    assert_eq!(status, 200, "{index}");
    assert!(index.contains("\"articles\":1"), "{index}");

    site.add("-- content/articles/2018-06-20-order.md --\n---\ntitle: The order\n---\nText.\n");
    server.wait_for(
        "/search/data/index.json",
        "the new article in the index",
        |body| body.contains("\"articles\":2"),
    );
}

#[test]
fn nothing_outside_the_built_site_is_served() {
    let site = TestSite::new(SITE);
    std::fs::write(site.root().join("secret.txt"), "secret").unwrap();
    let server = Server::start(&site);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/2018/..\\..\\secret.txt",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("secret") || body.contains("Page not found"),
            "{path}"
        );
        assert!(!body.contains("root:"), "{path}");
    }
    let (status, _) = server.get_with_host("/", "evil.example");
    assert_eq!(status, 403, "a Host header for another name is refused");
    let (status, _) = server.get_with_host("/", &format!("evil.example:{}", server.port));
    assert_eq!(status, 403);
    let (status, redirect) = server.get("/2018");
    assert_eq!(status, 301);
    assert!(redirect.contains("location: /2018/"), "{redirect}");
    let (status, redirect) = server.get("//2018");
    assert_eq!(status, 301);
    assert!(
        redirect.contains("location: /2018/\r\n"),
        "never a redirect to another host: {redirect}"
    );
}

#[test]
fn deleted_pages_are_gone_and_new_theme_folders_are_followed() {
    let site = TestSite::new(SITE);
    site.add("-- content/articles/2018-06-20-order.md --\n---\ntitle: The order\n---\nText.\n");
    let server = Server::start(&site);
    assert_eq!(server.get("/2018/06/20/order/").0, 200);
    let mut events = server.events();
    std::fs::remove_file(site.root().join("content/articles/2018-06-20-order.md")).unwrap();
    wait_for_reload(&mut events);
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.get("/2018/06/20/order/").0 != 404 {
        assert!(
            Instant::now() < deadline,
            "a deleted article keeps being served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.get("/2018/06/20/order/index.html").0, 404);

    // themes/ did not exist when serve started.
    site.write(
        "themes/default/templates/404.html",
        b"{% extends \"base.html\" %}{% block content %}Lost here{% endblock content %}",
    );
    server.wait_for("/nowhere/", "the new template", |b| b.contains("Lost here"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_touches_nothing() {
    let site = TestSite::new(SITE);
    let mut server = Server::start(&site);
    let before = common::tree(&site.root().join("content"));
    // An open page keeps its reload stream open; that must not hold the server.
    let _open_page = server.events();
    Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert_eq!(before, common::tree(&site.root().join("content")));
    assert!(!site.output().exists());
}
