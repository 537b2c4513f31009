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

/** The result count the search page announces ("12 results for ..."), once
 * it differs from `previous` (the text before a change). */
async function resultCount(page, previous = "") {
  await page.waitForFunction((previous) => {
    const text = document.querySelector("#search-status")?.textContent ?? "";
    return /\d+ results?/.test(text) && text !== previous;
  }, previous);
  const text = await page.locator("#search-status").textContent();
  return { count: Number(text.match(/(\d+) results?/)[1]), text };
}

test("searching a person's name finds their articles, and a topic filter narrows it", async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}/search/?q=Nielsen`);
  const { count: all, text } = await resultCount(page);
  assert.ok(all >= 5, `expected several articles about Nielsen, got ${all}`);
  const links = await page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(
    links.includes("/2018/06/18/nielsen-defends-policy-briefing/"),
    `the briefing article is among the results: ${links.join(", ")}`,
  );

  const excerpt = await page.locator("#search-results p").first().textContent();
  assert.match(excerpt, /^\w+ \d{1,2}, \d{4} · ./, `a result shows its date and summary: ${excerpt}`);

  await page.getByLabel("Topic").selectOption("congress");
  const { count: narrowed, text: narrowedText } = await resultCount(page, text);
  assert.ok(narrowed > 0 && narrowed < all, `the Congress filter narrows ${all} results to ${narrowed}`);
  assert.match(narrowedText, /in Congress/);
  assert.match(page.url(), /[?&]topic=congress/, "the filter is kept in the address, so it can be shared");
  await page.close();
});

test("the beginning of a word finds it, and a query with no match says so", async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}/search/`);
  await page.getByLabel("Words to find").fill("NIELS");
  const { count } = await resultCount(page);
  assert.ok(count >= 5, `a word's beginning finds it, got ${count}`);
  await page.getByLabel("Words to find").fill("zzqxv");
  await page.waitForFunction(() => /^0 results/.test(document.querySelector("#search-status").textContent));
  assert.equal(await page.locator("#search-results li").count(), 0);
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
