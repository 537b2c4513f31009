// The reader's experience of the built sample digest, in headless Chromium: a
// walk through the site and back, no dead internal link, no accessibility
// violation (axe-core) in light or dark mode, valid HTML (the Nu HTML
// Checker), nothing wider than a phone's or a desktop's screen (with
// full-page screenshots of each page type in tests/browser/screenshots/), the
// weight of an article page, and no layout shift while images arrive late.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSample, launch, serve } from "./support.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..");
const SCREENSHOTS = join(HERE, "screenshots");
const AXE = join(REPO, "node_modules", "axe-core", "axe.min.js");
const VNU = join(REPO, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

/** A phone's width and a desktop's. */
const WIDTHS = [390, 1280];
/** HTML and CSS of an article page, uncompressed. */
const ARTICLE_BUDGET = 60 * 1024;

/** One page of each type the theme renders, from the sample digest. */
const PAGES = [
  { name: "home", path: "/" },
  { name: "article", path: "/2018/06/16/dhs-figures-separations/" },
  { name: "article-sources", path: "/2018/07/10/gee-rejects-flores-change/" },
  { name: "topics", path: "/topics/" },
  { name: "topic", path: "/topics/zero-tolerance/" },
  { name: "people", path: "/people/" },
  { name: "person", path: "/people/kirstjen-nielsen/" },
  { name: "person-mentions", path: "/people/kirstjen-nielsen/mentions/" },
  { name: "person-timeline", path: "/people/kirstjen-nielsen/timeline/" },
  { name: "timeline", path: "/timeline/" },
  { name: "year", path: "/2018/" },
  { name: "month", path: "/2018/06/" },
  { name: "day", path: "/2018/06/22/" },
  { name: "search", path: "/search/?q=Nielsen" },
  { name: "404", path: "/no-such-page/" },
  { name: "page", path: "/about/" },
];

let output;
let site;
let browser;
/** The Nu HTML Checker's messages, started in `before` and awaited by its test. */
let nuMessages;

before(async () => {
  output = buildSample();
  site = await serve(output);
  browser = await launch();
  // The search page's results are written by script: check that markup too.
  const page = await browser.newPage();
  await open(page, PAGES.find((p) => p.name === "search"));
  const rendered = join(mkdtempSync(join(tmpdir(), "newsdigest-dom-")), "search-with-results.html");
  writeFileSync(rendered, await page.content());
  await page.close();
  nuMessages = nuCheck([output, rendered]);
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

/** Opens `path` and waits until it is ready to look at: the search page once
 * its results are shown. */
async function open(page, { name, path }, base = site.url) {
  await page.goto(base + path);
  if (name === "search") {
    await page.waitForFunction(() => /\d+ results?/.test(document.querySelector("#search-status")?.textContent));
  }
  await page.evaluate(() => document.fonts.ready);
}

/** Runs the Nu HTML Checker on files and folders; resolves to its messages
 * (never rejects, so it can run while other tests do). */
function nuCheck(paths) {
  return new Promise((resolve) => {
    execFile(
      "java",
      ["-jar", VNU, "--format", "json", "--skip-non-html", ...paths],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        try {
          resolve(JSON.parse(stderr).messages);
        } catch {
          resolve([{ type: "error", url: "vnu", message: `the checker did not run: ${error?.message}\n${stderr}` }]);
        }
      },
    );
  });
}

/** axe-core's violations on the page as it is now. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations));
}

/** Every URL the page links to or loads from its own site, with the `id`s a
 * link's fragment must find. */
function pageLinks(page) {
  return page.evaluate(() => {
    const found = [];
    for (const element of document.querySelectorAll("a[href], area[href], link[href], script[src], img[src], source[src]")) {
      const attribute = element.hasAttribute("href") ? "href" : "src";
      const url = new URL(element.getAttribute(attribute), document.baseURI);
      if (url.origin !== location.origin) continue;
      const html = element.outerHTML;
      const here = url.pathname === location.pathname && url.search === location.search;
      found.push({
        url: url.href,
        html: html.length > 120 ? html.slice(0, 117) + "..." : html,
        // A link within the page (a skip link, a footnote) is judged by the page itself.
        here: here && url.hash !== "",
        target: here && url.hash !== "" && document.getElementById(decodeURIComponent(url.hash.slice(1))) !== null,
      });
    }
    return found;
  });
}

/** Fetches each URL once: its status, and the ids in it if it is HTML. */
const fetched = new Map();
function fetchOnce(url) {
  if (!fetched.has(url)) {
    fetched.set(
      url,
      fetch(url).then(async (response) => {
        const type = response.headers.get("content-type") ?? "";
        const text = type.startsWith("text/html") ? await response.text() : (await response.arrayBuffer(), "");
        const ids = new Set([...text.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));
        return { status: response.status, ids };
      }),
    );
  }
  return fetched.get(url);
}

/** Dead links on the page: URLs of this site that do not answer 200, and
 * fragments that name no element of their page. */
async function deadLinks(page) {
  const problems = [];
  for (const { url, html, here, target: found } of await pageLinks(page)) {
    if (here) {
      if (!found) problems.push(`${page.url()}: ${html} names no element of the page`);
      continue;
    }
    const target = new URL(url);
    const fragment = decodeURIComponent(target.hash.slice(1));
    target.hash = "";
    const { status, ids } = await fetchOnce(target.href);
    if (status !== 200) problems.push(`${page.url()}: ${html} answers ${status}`);
    else if (fragment && !ids.has(fragment)) problems.push(`${page.url()}: ${html} names no element with id "${fragment}"`);
  }
  return problems;
}

/** What sticks out past the right edge of the window: the document's own
 * width, and each element whose box ends past it (the outermost of them,
 * not what they hold; an element in an ancestor that clips or scrolls is
 * judged by that ancestor). */
function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const problems = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width) problems.push(`the document is ${scrollWidth}px wide in a ${width}px window`);
    const selector = (element) => {
      const parts = [];
      for (let e = element; e && e !== document.documentElement; e = e.parentElement) {
        let part = e.localName;
        if (e.id) {
          parts.unshift(`${part}#${e.id}`);
          break;
        }
        const classes = [...e.classList].map((c) => `.${c}`).join("");
        part += classes;
        const siblings = e.parentElement ? [...e.parentElement.children].filter((s) => s.localName === e.localName) : [];
        if (siblings.length > 1) part += `:nth-of-type(${siblings.indexOf(e) + 1})`;
        parts.unshift(part);
      }
      return parts.join(" > ");
    };
    const clipped = (element) => {
      for (let a = element.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    const reported = new Set();
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right <= width + 0.5) continue;
      if (clipped(element)) continue;
      reported.add(element);
      if (reported.has(element.parentElement)) continue;
      problems.push(`${selector(element)} ends at ${Math.round(box.right)}px, past the ${width}px window`);
    }
    return problems;
  });
}

/** Adds up layout shifts (Cumulative Layout Shift) from the page's start. */
function watchLayoutShifts(context) {
  return context.addInitScript(() => {
    window.__layoutShift = 0;
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        window.__layoutShift += entry.value;
        for (const source of entry.sources ?? []) {
          const node = source.node;
          window.__layoutShifts.push(node?.outerHTML?.slice(0, 80) ?? node?.nodeName ?? "?");
        }
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

/** The layout shift so far, once the page has loaded and painted twice more. */
async function layoutShift(page) {
  await page.waitForLoadState("load");
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => ({ score: window.__layoutShift, shifted: window.__layoutShifts }));
}

test("a reader goes from the home page to a topic, a person, an article and the timeline, and back", async () => {
  const page = await browser.newPage();
  const trail = [];
  const problems = [];
  async function arrive(pattern, heading) {
    await page.waitForURL(pattern);
    const h1 = (await page.locator("h1").textContent()).trim();
    if (heading !== undefined) assert.equal(h1, heading, `the page a link leads to is headed by the link's text`);
    trail.push({ url: page.url(), h1 });
    problems.push(...(await deadLinks(page)));
  }
  async function follow(link) {
    const text = (await link.textContent()).trim();
    await link.click();
    return text;
  }

  await page.goto(`${site.url}/`);
  await arrive(`${site.url}/`);

  const topic = await follow(page.getByRole("complementary").getByRole("list", { name: "Topics" }).getByRole("link").first());
  await arrive(/\/topics\/[^/]+\/$/, topic);

  const person = await follow(page.getByRole("list", { name: /^People in / }).getByRole("link").first());
  await arrive(/\/people\/[^/]+\/$/, person);

  const articles = page.getByRole("region", { name: /articles? about / });
  const article = await follow(articles.getByRole("heading", { level: 3 }).first().getByRole("link"));
  await arrive(/\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/, article);
  const chips = await page.getByRole("list", { name: "People this article is about" }).getByRole("link").allTextContents();
  assert.ok(chips.includes(person), `the article is about ${person}: ${chips.join(", ")}`);

  await follow(page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Timeline" }));
  await arrive(/\/timeline\/$/);
  assert.equal(
    await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Timeline" }).getAttribute("aria-current"),
    "page",
    "the site navigation marks the timeline as the current page",
  );

  for (const step of trail.slice(0, -1).reverse()) {
    await page.goBack();
    assert.equal(page.url(), step.url, "Back returns to the previous page");
    assert.equal((await page.locator("h1").textContent()).trim(), step.h1);
  }
  assertNone(problems, "dead internal links");
  await page.close();
});

test("every internal link of every page type answers 200", async () => {
  const page = await browser.newPage();
  const problems = [];
  for (const type of PAGES) {
    await open(page, type);
    problems.push(...(await deadLinks(page)));
  }
  assertNone(problems, "dead internal links");
  await page.close();
});

test("axe finds no accessibility violation on any page type, in light and dark mode", async () => {
  const page = await browser.newPage();
  const problems = [];
  for (const type of PAGES) {
    await open(page, type);
    for (const colorScheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme });
      for (const v of await axeViolations(page)) {
        const nodes = v.nodes.slice(0, 3).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`);
        if (v.nodes.length > 3) nodes.push(`    and ${v.nodes.length - 3} more`);
        problems.push(`${type.name} (${type.path}, ${colorScheme}): ${v.id} [${v.impact}] ${v.help}\n${nodes.join("\n")}`);
      }
    }
    await page.emulateMedia({ colorScheme: null });
  }
  assertNone(problems, "axe violations");
  await page.close();
});

test("every page is valid HTML for the Nu HTML Checker", async (t) => {
  const messages = await nuMessages;
  const where = (m) => `${m.url.replace(`file:${output}`, "")}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}`;
  const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error");
  for (const m of messages.filter((m) => !errors.includes(m))) t.diagnostic(`${m.subType ?? m.type} ${where(m)}: ${m.message}`);
  assertNone(
    errors.map((m) => `${where(m)}: ${m.message}${m.extract ? ` in ${JSON.stringify(m.extract)}` : ""}`),
    "HTML errors (Nu HTML Checker)",
  );
  const checked = readdirSync(output, { recursive: true }).filter((f) => f.endsWith(".html")).length;
  assert.ok(checked > 100, `the whole site was checked (${checked} pages)`);
});

for (const width of WIDTHS) {
  test(`at ${width} px wide nothing overflows and nothing shifts; screenshots in tests/browser/screenshots/`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await watchLayoutShifts(context);
    const page = await context.newPage();
    const problems = [];
    for (const type of PAGES) {
      await open(page, type);
      const { score, shifted } = await layoutShift(page);
      if (score > 0.001) problems.push(`${type.name}: layout shift ${score.toFixed(4)} (${shifted.join(", ")})`);
      for (const problem of await overflow(page)) problems.push(`${type.name} (${type.path}): ${problem}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${type.name}-${width}.png`), fullPage: true });
    }
    assertNone(problems, `problems at ${width}px wide`);
    await context.close();
  });
}

test("an article page's HTML and CSS weigh under 60 KB before compression", async () => {
  // As the browser loads it: the document and every stylesheet.
  const page = await browser.newPage();
  const loaded = [];
  page.on("response", (response) => {
    const kind = response.request().resourceType();
    if (kind === "document" || kind === "stylesheet") loaded.push(response);
  });
  const article = PAGES.find((p) => p.name === "article");
  await open(page, article);
  let total = 0;
  const parts = [];
  for (const response of loaded) {
    const size = (await response.body()).length;
    total += size;
    parts.push(`${new URL(response.url()).pathname} ${size} B`);
  }
  assert.ok(total < ARTICLE_BUDGET, `${article.path} weighs ${total} B: ${parts.join(", ")}`);
  await page.close();

  // Every article of the sample, from the files: the HTML and the stylesheets it links.
  const articles = readdirSync(output, { recursive: true }).filter((f) => /^\d{4}\/\d{2}\/\d{2}\/[^/]+\/index\.html$/.test(f));
  assert.ok(articles.length > 10, `the sample's articles are found (${articles.length})`);
  const heavy = [];
  for (const file of articles) {
    const html = readFileSync(join(output, file), "utf8");
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="\/([^"]+)">/g)].map((m) => m[1]);
    const size = Buffer.byteLength(html) + sheets.reduce((sum, sheet) => sum + statSync(join(output, sheet)).size, 0);
    if (size >= ARTICLE_BUDGET) heavy.push(`${file}: ${size} B`);
  }
  assertNone(heavy, `articles over the ${ARTICLE_BUDGET} B budget`);
});

test("an article's lead image and a person's portrait that arrive late shift nothing", async () => {
  // The sample has no images: a copy of it gets two, served half a second late.
  const root = mkdtempSync(join(tmpdir(), "newsdigest-images-"));
  for (const part of ["content", "themes", "site.yaml"]) cpSync(join(REPO, part), join(root, part), { recursive: true });
  const picture = (w, h, label) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="${w}" height="${h}" fill="#7a8a99"/><text x="50%" y="50%" font-size="${h / 8}" text-anchor="middle" fill="#fff">${label}</text></svg>`;
  const articleFile = join(root, "content/articles/2018/2018-06-16-dhs-figures-separations.md");
  writeFileSync(join(dirname(articleFile), "border.svg"), picture(1600, 900, "Lead image"));
  addFrontMatter(articleFile, 'image: {src: border.svg, alt: "A crossing on the border", credit: "Photo: Staff"}');
  writeFileSync(join(root, "content/people/nielsen.svg"), picture(400, 500, "Portrait"));
  addFrontMatter(join(root, "content/people/kirstjen-nielsen.md"), 'image: {src: /people/nielsen.svg, alt: "Kirstjen Nielsen"}');

  const slow = await serve(buildSample(root), { delay: (path) => (path.endsWith(".svg") ? 500 : 0) });
  try {
    const problems = [];
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await watchLayoutShifts(context);
      const page = await context.newPage();
      for (const type of [
        { name: "article-image", path: "/2018/06/16/dhs-figures-separations/" },
        { name: "person-portrait", path: "/people/kirstjen-nielsen/" },
      ]) {
        await open(page, type, slow.url);
        const images = page.locator("main img");
        assert.ok((await images.count()) > 0, `${type.name} shows an image`);
        await page.waitForFunction(() => [...document.querySelectorAll("img")].every((img) => img.complete && img.naturalWidth > 0));
        const { score, shifted } = await layoutShift(page);
        if (score > 0.001) problems.push(`${type.name} at ${width}px: layout shift ${score.toFixed(4)} (${shifted.join(", ")})`);
        for (const problem of await overflow(page)) problems.push(`${type.name} at ${width}px: ${problem}`);
        for (const v of await axeViolations(page)) problems.push(`${type.name} at ${width}px: axe ${v.id}: ${v.help}`);
        await page.screenshot({ path: join(SCREENSHOTS, `${type.name}-${width}.png`), fullPage: true });
      }
      await context.close();
    }
    assertNone(problems, "problems with images that arrive late");
  } finally {
    slow.server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

/** Fails with the list of problems (the first 40), if there are any. */
function assertNone(problems, what) {
  const shown = problems.slice(0, 40);
  if (problems.length > shown.length) shown.push(`and ${problems.length - shown.length} more`);
  assert.ok(problems.length === 0, `${problems.length} ${what}:\n${shown.join("\n")}`);
}

/** Adds a line to a Markdown file's front matter. */
function addFrontMatter(file, line) {
  const text = readFileSync(file, "utf8");
  assert.ok(text.startsWith("---\n"), `${file} starts with front matter`);
  writeFileSync(file, `---\n${line}\n${text.slice(4)}`);
}
