//! `newsdigest serve`: build the site into a temporary folder, serve it on
//! this machine, and follow every change to content, themes or site.yaml.
//!
//! A change re-reads and resolves the site (fast: no page is rendered), then
//! open pages reload and each page is rendered when it is asked for, so an
//! edit shows in well under a second even in a large archive. The full site is
//! written again in the background for the files that are not pages (styles,
//! images, feeds). A change that fails keeps the last good site online and
//! shows its errors over every page until they are fixed.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::error::{Error, Result};
use crate::html::escape;
use crate::{BuildOptions, Prepared};

/// Where the dev server's own files live; no site page can use this path.
const INTERNAL: &str = "/__newsdigest/";

const LIVE_RELOAD_JS: &str = r#"// Reloads the page when newsdigest serve has rebuilt the site.
(function () {
  var events = new EventSource("/__newsdigest/events");
  events.addEventListener("reload", function () { window.location.reload(); });
})();
"#;

/// What `newsdigest serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// What every request handler shares.
struct Shared {
    /// The built site (replaced atomically by each full build).
    site: PathBuf,
    /// The latest good site, whose pages are rendered on request.
    current: RwLock<Option<Arc<Prepared>>>,
    /// The errors of the latest build, if it failed.
    errors: RwLock<Option<String>>,
    reload: broadcast::Sender<()>,
    bind: IpAddr,
}

/// Runs the server until Ctrl-C. Nothing outside a temporary folder is written.
pub fn serve(options: ServeOptions) -> Result<()> {
    // Builds run outside the server's runtime: search indexing has its own.
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Error::io("open the site folder", &options.root, e))?;
    let listener = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .map_err(|e| {
            Error::Usage(format!(
                "could not listen on {}:{}: {e}",
                options.bind, options.port
            ))
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("could not read the server address: {e}")))?;
    let shown_host = if options.bind.is_unspecified() || options.bind.is_loopback() {
        "localhost".to_string()
    } else {
        address.ip().to_string()
    };
    let url = format!("http://{shown_host}:{}/", address.port());
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the site (drafts included with --drafts)",
            options.bind
        );
    }

    let scratch = tempfile::Builder::new()
        .prefix("newsdigest-serve-")
        .tempdir()
        .map_err(|e| Error::io("create a temporary folder", &std::env::temp_dir(), e))?;
    let (reload, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        site: scratch.path().join("site"),
        current: RwLock::new(None),
        errors: RwLock::new(None),
        reload,
        bind: options.bind,
    });
    let build_options = BuildOptions {
        root: root.clone(),
        output: Some(shared.site.clone()),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        without_search: false,
        force: false,
        keep_bodies: true,
        then_exit: false,
    };
    let (watcher, changes) = start_watching(&root)?;
    let writer = start_writer(Arc::clone(&shared), build_options.clone());
    update(&shared, &build_options, &writer, true);
    follow(
        root.clone(),
        watcher,
        changes,
        Arc::clone(&shared),
        build_options,
        writer,
    );

    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("could not start the server: {e}")))?;
    runtime.block_on(run(listener, shared))?;
    // `scratch` is removed here; output/ and the content were never touched.
    drop(scratch);
    Ok(())
}

async fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<()> {
    let failed = |e: std::io::Error| Error::Usage(format!("the server stopped: {e}"));
    listener.set_nonblocking(true).map_err(failed)?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(failed)?;
    let app = Router::new()
        .route("/__newsdigest/events", get(events))
        .route("/__newsdigest/livereload.js", get(live_reload_js))
        .fallback(get(page))
        .with_state(Arc::clone(&shared));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let mut stopped = stopped;
        let _ = stopped.changed().await;
    });
    // Open pages keep their reload stream open, so a graceful stop could wait
    // for ever: give connections a second, then stop regardless.
    let interrupted = async {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    tokio::select! {
        result = server => result.map_err(failed),
        () = interrupted => Ok(()),
    }
}

/// Re-reads the site. On success its pages render from the new version and
/// the full site is rewritten in the background (at once, the first time); on
/// failure the previous version stays and the errors are recorded.
fn update(
    shared: &Shared,
    options: &BuildOptions,
    writer: &mpsc::Sender<Arc<Prepared>>,
    first: bool,
) {
    let started = Instant::now();
    let previous = shared
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let outcome = match &previous {
        Some(previous) => crate::prepare_again(options, previous),
        None => crate::prepare(options),
    };
    let mut errors = shared.errors.write().unwrap_or_else(|e| e.into_inner());
    match outcome {
        Ok(prepared) => {
            *errors = None;
            drop(errors);
            let prepared = Arc::new(prepared);
            if first {
                match crate::write(&prepared, options) {
                    Ok(report) => {
                        println!("Built {} pages in {:.0?}", report.pages, started.elapsed())
                    }
                    Err(error) => eprintln!("{error}"),
                }
            } else {
                println!("Updated in {:.0?}", started.elapsed());
                let _ = writer.send(Arc::clone(&prepared));
            }
            *shared.current.write().unwrap_or_else(|e| e.into_inner()) = Some(prepared);
        }
        Err(error) => {
            eprintln!("{error}");
            *errors = Some(error.to_string());
        }
    }
    let _ = shared.reload.send(());
}

/// Writes the full site for each new version, skipping to the latest when
/// several are waiting; pages reload once their styles and images are there.
fn start_writer(shared: Arc<Shared>, options: BuildOptions) -> mpsc::Sender<Arc<Prepared>> {
    let (sender, receiver) = mpsc::channel::<Arc<Prepared>>();
    std::thread::spawn(move || {
        while let Ok(mut prepared) = receiver.recv() {
            while let Ok(newer) = receiver.try_recv() {
                prepared = newer;
            }
            if let Err(error) = crate::write(&prepared, &options) {
                eprintln!("{error}");
                *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = Some(error.to_string());
            }
            let _ = shared.reload.send(());
        }
    });
    sender
}

/// Watches content/, themes/ and site.yaml; rebuilds after each burst of
/// changes. Reading files (as every build does) is not a change.
/// Starts watching the site; events wait in the returned channel until
/// `follow` reads them, so nothing saved during the first build is missed.
fn start_watching(
    root: &Path,
) -> Result<(
    Arc<Mutex<RecommendedWatcher>>,
    mpsc::Receiver<notify::Event>,
)> {
    let (sender, receiver) = mpsc::channel::<notify::Event>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = sender.send(event);
        }
    })
    .map_err(|e| Error::Usage(format!("could not watch for changes: {e}")))?;
    // The site folder itself (not recursively: it may hold output/ or more),
    // to see site.yaml and a content/ or themes/ folder appear.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Usage(format!("could not watch {}: {e}", root.display())))?;
    for path in watched_folders(root) {
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::Usage(format!("could not watch {}: {e}", path.display())))?;
        }
    }
    Ok((Arc::new(Mutex::new(watcher)), receiver))
}

/// content/, themes/, and the articles and static folders site.yaml names
/// outside content/ (as it reads when serve starts).
fn watched_folders(root: &Path) -> Vec<PathBuf> {
    let mut folders = vec![root.join(crate::load::CONTENT_DIR), root.join("themes")];
    if let Ok(site) = crate::config::load(root, None) {
        folders.push(root.join(site.articles_dir));
        folders.extend(site.static_folders.iter().map(|s| root.join(&s.folder)));
    }
    folders
}

/// Re-reads the site after each burst of changes to content/, themes/ or
/// site.yaml. Reading files (as every build does) is not a change.
fn follow(
    root: PathBuf,
    watcher: Arc<Mutex<RecommendedWatcher>>,
    receiver: mpsc::Receiver<notify::Event>,
    shared: Arc<Shared>,
    options: BuildOptions,
    writer: mpsc::Sender<Arc<Prepared>>,
) {
    let config = root.join(crate::config::CONFIG_FILE);
    let watched = watched_folders(&root);
    let relevant = move |event: &notify::Event| {
        let changes = match event.kind {
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
            _ => false,
        };
        changes
            && event
                .paths
                .iter()
                .any(|p| watched.iter().any(|w| p.starts_with(w)) || *p == config)
    };
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !relevant(&event) {
                continue;
            }
            if matches!(event.kind, EventKind::Create(_)) {
                // A content/ or themes/ folder made after serve started.
                for path in event
                    .paths
                    .iter()
                    .filter(|p| p.parent() == Some(root.as_path()) && p.is_dir())
                {
                    let _ = watcher
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .watch(path, RecursiveMode::Recursive);
                }
            }
            // Editors save in several steps: wait for the burst to end.
            while receiver.recv_timeout(Duration::from_millis(150)).is_ok() {}
            update(&shared, &options, &writer, false);
        }
    });
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

/// Only names that mean this machine, so a web page elsewhere cannot reach
/// the server through a domain that resolves here (DNS rebinding). Serving on
/// all interfaces also accepts IP addresses, as a phone on the network sends.
fn host_allowed(headers: &HeaderMap, bind: IpAddr) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if matches!(name, "localhost" | "127.0.0.1" | "::1") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_string(),
    )
        .into_response()
}

async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !host_allowed(&headers, shared.bind) {
        return refuse(StatusCode::FORBIDDEN, "unexpected Host header");
    }
    let stream = BroadcastStream::new(shared.reload.subscribe()).map(|_| {
        Ok::<Event, std::convert::Infallible>(Event::default().event("reload").data("reload"))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn live_reload_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_RELOAD_JS,
    )
        .into_response()
}

/// The file a request names inside the built site, or None when the path
/// tries to leave it (`..`, encoded or not, backslashes, NUL, symlinks out).
fn resolve(site: &Path, raw_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(raw_path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut path = site.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return None;
        }
        path.push(segment);
    }
    if !path
        .components()
        .all(|c| !matches!(c, Component::ParentDir))
    {
        return None;
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    let site = site.canonicalize().ok()?;
    real.starts_with(&site).then_some(real)
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !host_allowed(&headers, shared.bind) {
        return refuse(StatusCode::FORBIDDEN, "unexpected Host header");
    }
    let raw_path = uri.path();
    if raw_path.starts_with(INTERNAL) {
        return refuse(StatusCode::NOT_FOUND, "not found");
    }
    // A folder without its slash: redirect, so relative links inside resolve.
    if !raw_path.ends_with('/')
        && resolve(&shared.site, raw_path).is_some_and(|p| p.ends_with("index.html"))
        && !raw_path.ends_with("index.html")
    {
        // Built from the path's own segments, so `//host` cannot become a
        // redirect to another site.
        let segments: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
        let location = format!("/{}/", segments.join("/"));
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    let errors = shared
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some((status, html)) = render_on_request(&shared, raw_path).await {
        let mut response = Response::new(Body::from(inject(&html, errors.as_deref())));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let found = match resolve(&shared.site, raw_path) {
        Some(file) => tokio::fs::read(&file).await.ok().map(|bytes| (file, bytes)),
        None => None,
    };
    let (status, file, bytes) = match found {
        Some((file, bytes)) => (StatusCode::OK, file, bytes),
        None => {
            let not_found = shared.site.join("404.html");
            let bytes = tokio::fs::read(&not_found).await.unwrap_or_else(|_| {
                b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><h1>The site has not been built yet</h1></body></html>".to_vec()
            });
            (StatusCode::NOT_FOUND, not_found, bytes)
        }
    };
    let is_html = file.extension().is_some_and(|e| e == "html");
    let body = if is_html {
        inject(&String::from_utf8_lossy(&bytes), errors.as_deref()).into_bytes()
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A page of the latest good site, rendered now. None for paths that are no
/// page (files are served from the written site) or that try to leave it.
async fn render_on_request(shared: &Arc<Shared>, raw_path: &str) -> Option<(StatusCode, String)> {
    let decoded = percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let is_page = decoded.ends_with('/') || decoded.ends_with(".html");
    let unsafe_path =
        decoded.contains(['\\', '\0']) || decoded.split('/').any(|s| s == ".." || s == ".");
    if !is_page || unsafe_path {
        return None;
    }
    let prepared = shared
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()?;
    // Files under content/ that happen to end in .html are served as they are.
    let is_asset = prepared
        .index
        .assets
        .iter()
        .any(|a| format!("/{}", crate::model::to_url_path(&a.content_path)) == decoded);
    if is_asset {
        return None;
    }
    let path = match decoded.strip_suffix("index.html") {
        Some(folder) if folder.ends_with('/') => folder.to_string(),
        _ => decoded,
    };
    let rendered = tokio::task::spawn_blocking(move || {
        let render =
            |path: &str| crate::render::render_page(&prepared.index, &prepared.theme, path);
        match render(&path)? {
            Some(html) => Ok((StatusCode::OK, html)),
            // Not in the current site (deleted, renamed): never a stale copy.
            None => Ok((
                StatusCode::NOT_FOUND,
                render("/404.html")?.unwrap_or_default(),
            )),
        }
    })
    .await
    .ok()?;
    Some(rendered.unwrap_or_else(|error: Error| {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Template error</title></head><body><h1>This page could not be rendered</h1><pre>{}</pre></body></html>",
            escape(&error.to_string())
        );
        (StatusCode::INTERNAL_SERVER_ERROR, page)
    }))
}

/// Adds the live reload script, and the build errors when there are any.
fn inject(html: &str, errors: Option<&str>) -> String {
    let mut extra = String::from("<script src=\"/__newsdigest/livereload.js\"></script>");
    if let Some(errors) = errors {
        extra.push_str(&format!(
            "<div id=\"newsdigest-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;border-top:4px solid #ff6b5f\"><strong>The last build failed; this is the previous version of the site. Fix these and save:</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            escape(errors)
        ));
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_this_machine_may_ask() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "localhost",
        ] {
            assert!(host_allowed(&host(ok), loopback), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "192.168.1.5:1111",
            "localhost.evil.example",
        ] {
            assert!(!host_allowed(&host(bad), loopback), "{bad}");
        }
        assert!(!host_allowed(&HeaderMap::new(), loopback));
        let everywhere: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed(&host("192.168.1.5:1111"), everywhere));
        assert!(!host_allowed(&host("evil.example"), everywhere));
    }

    #[test]
    fn paths_cannot_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
        assert!(resolve(&site, "/a/").is_some());
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/a%00",
            "/link.txt",
        ] {
            assert!(resolve(&site, bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn errors_are_shown_escaped_over_the_page() {
        let html = inject(
            "<html><body><p>x</p></body></html>",
            Some("a.md:1:1: <script>"),
        );
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("/__newsdigest/livereload.js"));
        assert!(html.ends_with("</body></html>"));
    }
}
