// Search across pages: the site index search.js (src/emit/search.rs), loaded by
// shale.js on the first focus of the box, queried as on one page.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, openPage, waitFor, median } from '../lib.mjs';

const results = (page) => page.$$eval('.search-results li', (lis) => lis.map((li) => ({
  title: li.querySelector('.search-result-title')?.textContent ?? null,
  snippet: li.querySelector('.search-result-snippet')?.textContent ?? null,
  href: li.querySelector('a')?.getAttribute('href') ?? null,
  text: li.textContent,
})));

/** Types `query` and waits for results that are not the loading line. */
async function search(page, query) {
  await page.fill('#input-search', query);
  await waitFor(page, () => !/Loading/.test(document.querySelector('.search-results').textContent), null, 'index loaded');
  return results(page);
}

/** The site's pages and sections found for queries, from `base` (http or file:). */
async function acrossPages(b, base, opts) {
  const { page, context, errors } = await openPage(b, `${base}/index.html`, opts);
  const loaded = () => page.evaluate(() => [!!window.shaleSearchIndex, !!document.querySelector('script[src$="search.js"]')]);
  assert((await loaded()).every((x) => !x), 'no index before the box is used');
  await page.focus('#input-search');
  await waitFor(page, () => !!window.shaleSearchIndex, null, 'index loaded on focus');
  let r = await search(page, 'zebrafish');
  assert(r.length === 1 && r[0].title === 'Receiving webhooks' && r[0].snippet === 'Webhooks guide'
    && r[0].href === 'guides/webhooks.html#receiving-webhooks', `another page: ${JSON.stringify(r)}`);
  r = await search(page, 'kitt');
  assert(r[0].href === '#kittens' && r.some((x) => x.href.startsWith('orders.html#')), `this page first, then others: ${JSON.stringify(r)}`);
  assert(r.filter((x) => x.href.startsWith('#')).every((x) => x.snippet !== 'Orders API'), 'same-page results keep their snippet');
  r = await search(page, 'котят');
  assert(r[0]?.title === 'Заказы котят' && r[0].href.startsWith('orders.html#'), `Cyrillic on another page: ${JSON.stringify(r)}`);
  r = await search(page, '検索');
  assert(r[0]?.title === '注文の検索', `CJK bigrams: ${JSON.stringify(r)}`);
  r = await search(page, 'ord');
  assert(r[0]?.title === 'Orders' && r[0].snippet === 'Orders API', `prefix, heading first: ${JSON.stringify(r)}`);
  // a same-page result scrolls without a reload; another page's opens at the heading
  await search(page, 'delete');
  await page.click('.search-results a[href="#delete-a-kitten"]');
  assert(page.url().endsWith('index.html#delete-a-kitten'), page.url());
  await search(page, 'signature');
  await Promise.all([page.waitForNavigation(), page.click('.search-results a')]);
  assert(page.url().endsWith('guides/webhooks.html#receiving-webhooks'), page.url());
  // at the heading: at the top, or the page scrolled as far as it goes (a short page)
  const [top, end] = await page.evaluate(() => [document.getElementById('receiving-webhooks').getBoundingClientRect().top,
    scrollY + innerHeight >= document.documentElement.scrollHeight - 1]);
  assert(top < 100 || (end && top < 900), `lands at the heading: top ${top}`);
  // from a page in a folder, URLs go up to the others
  r = await search(page, 'yarn');
  assert(r[0]?.href === '../index.html#get-all-kittens', `from guides/: ${JSON.stringify(r)}`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
}

export default function (test, ctx) {
  test('results from every page, opening page.html#id (http)', (b) => acrossPages(b, ctx.site('site-search')));

  test('results from every page from file://', (b) => acrossPages(b, pathToFileURL(ctx.dir('site-search')).href, { allowedBase: 'file://' }));

  test('200-page site: index size and first query', async (b) => {
    const bytes = fs.statSync(path.join(ctx.dir('site200'), 'search.js')).size;
    const { page, context } = await openPage(b, `${ctx.site('site200')}/page7.html`);
    const before = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('search.js')).length);
    assert(before === 0, 'the index is not fetched with the page');
    const t0 = Date.now();
    await page.focus('#input-search');
    await waitFor(page, () => !!window.shaleSearchIndex, null, 'index loaded', { timeout: 30000 });
    const load = Date.now() - t0;
    const ms = await page.evaluate(() => {
      const input = document.getElementById('input-search'), out = [];
      for (const q of ['kitt', 'errors', 'kittens get', 'page', 'authorization api key', 'x']) {
        input.value = q;
        const t = performance.now();
        input.dispatchEvent(new Event('input'));
        out.push(performance.now() - t);
      }
      return out;
    });
    const r = await results(page);
    assert(r.length === 50, `results capped at 50: ${r.length}`);
    await page.fill('#input-search', 'kittens');
    const first = await results(page);
    assert(first[0].href.startsWith('#'), `this page's section first: ${JSON.stringify(first[0])}`);
    console.log(`    site search on 200 pages: index ${(bytes / 1024).toFixed(0)} KB, loaded in ${load} ms after focus; `
      + `first query ${ms[0].toFixed(1)} ms, median ${median(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
    await context.close();
  });
}
