// Search on the built sample digest, as a reader uses it, in headless Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { buildSample, launch, serve } from "./support.mjs";

let site;
let browser;

before(async () => {
  site = await serve(buildSample());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

/** The result count Pagefind's UI announces ("12 results for ..."), once it
 * differs from `previous` (the text before a change). */
async function resultCount(page, previous = "") {
  await page.waitForFunction((previous) => {
    const text = document.querySelector(".pagefind-ui__message")?.textContent ?? "";
    return /\d+ results?/.test(text) && text !== previous;
  }, previous);
  const text = await page.locator(".pagefind-ui__message").textContent();
  return { count: Number(text.match(/(\d+) results?/)[1]), text };
}

test("searching a person's name finds their articles, and a topic filter narrows it", async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}/search/?q=Nielsen`);
  const { count: all, text } = await resultCount(page);
  assert.ok(all >= 5, `expected several articles about Nielsen, got ${all}`);
  const links = await page.locator(".pagefind-ui__result-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(
    links.includes("/2018/06/18/nielsen-defends-policy-briefing/"),
    `the briefing article is among the results: ${links.join(", ")}`,
  );

  const excerpt = await page.locator(".pagefind-ui__result-excerpt").first().textContent();
  assert.match(excerpt, /^\w+ \d{1,2}, \d{4} · ./, `a result shows its date and summary: ${excerpt}`);

  await page.locator(".pagefind-ui__filter-name", { hasText: "topic" }).click();
  await page.getByLabel("Congress").check();
  const { count: narrowed } = await resultCount(page, text);
  assert.ok(narrowed > 0 && narrowed < all, `the Congress filter narrows ${all} results to ${narrowed}`);
  await page.close();
});

test("the search page says what to do without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${site.url}/search/`);
  const notice = await page.locator("noscript").innerHTML();
  assert.match(notice, /needs JavaScript/);
  await context.close();
});
