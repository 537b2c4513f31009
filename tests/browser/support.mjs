// Shared by the browser tests: build the sample digest, serve it on a free
// local port, and start Debian's Chromium through playwright-core.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".wasm": "application/wasm",
};

/** Builds the repository's sample digest (or the site in `root`) into a
 * temporary folder, with `cargo run`, or with the binary named by the
 * NEWSDIGEST environment variable (e.g. target/release/newsdigest). */
export function buildSample(root = ".") {
  const output = join(mkdtempSync(join(tmpdir(), "newsdigest-browser-")), "site");
  const args = ["build", "--quiet", "--root", root, "--output", output, "--base-url", "/"];
  if (process.env.NEWSDIGEST) {
    execFileSync(process.env.NEWSDIGEST, args, { stdio: "inherit" });
  } else {
    execFileSync("cargo", ["run", "--quiet", "--", ...args], { stdio: "inherit" });
  }
  return output;
}

/** Serves `root` on 127.0.0.1 at a free port; resolves to the server and its
 * URL. `delay(path)`, if given, is how many milliseconds to hold a response
 * back, to play a slow network for some files. */
export function serve(root, { delay } = {}) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const wait = delay?.(path) ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": TYPES[".html"] });
      response.end(readFileSync(join(root, "404.html")));
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** Debian's Chromium, headless, with nothing that reaches the network. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
