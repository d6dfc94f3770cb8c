// Search: the prebuilt index (src/search.rs) queried by shale.js as the reader types.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, openPage } from '../lib.mjs';

/** Types `query` into the search box; returns the result list. */
async function search(page, query) {
  await page.fill('#input-search', query);
  return results(page);
}

const results = (page) => page.$$eval('.search-results li', (lis) => lis.map((li) => ({
  title: li.querySelector('.search-result-title')?.textContent ?? null,
  snippet: li.querySelector('.search-result-snippet')?.textContent ?? null,
  href: li.querySelector('a')?.getAttribute('href') ?? null,
  text: li.textContent,
  cls: li.className,
})));

/** Waits for the highlighting (done in slices after the results) to settle; returns the highlighted texts. */
async function highlights(page) {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const n = await page.$$eval('.content span.search-highlight', (s) => s.length);
    if (n === last) break;
    last = n;
  }
  return page.$$eval('.content span.search-highlight', (s) => s.map((x) => x.textContent));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default function (test, ctx) {
  test('the index is a script beside the page, only with search: true', async (b) => {
    const { page, context, errors } = await openPage(b, `${ctx.sample}/index.html`);
    const src = await page.$$eval('script[src]', (s) => s.map((x) => x.getAttribute('src')));
    assert(src.includes('index.search.js'), `scripts: ${src}`);
    const n = await page.evaluate(() => window.shaleSearchIndex && window.shaleSearchIndex.ids.length);
    assert(n >= 10, `sections in the index: ${n}`);
    assert(!fs.existsSync(path.join(ctx.dir('search'), 'nosearch.search.js')), 'no index for a page without search');
    await page.goto(`${ctx.site('search')}/nosearch.html`);
    assert(!(await page.$('#input-search')) && !(await page.$('script[src$=".search.js"]')), 'no search box, no index script');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  test('a prefix finds the word: kitt finds Kittens', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const r = await search(page, 'kitt');
    assert(r.length >= 4, `results: ${JSON.stringify(r)}`);
    assert(/kitten/i.test(r[0].title), `first result ${r[0].title}`);
    assert(await page.$eval('.search-results', (e) => e.classList.contains('visible')), 'results visible');
    assert(r.every((x) => x.href && x.href.startsWith('#')), 'every result links to a section');
    // the link targets a heading of the page
    const ok = await page.evaluate((ids) => ids.every((id) => /^H[123]$/.test(document.getElementById(id)?.tagName)), r.map((x) => x.href.slice(1)));
    assert(ok, 'result links target h1-h3');
    await context.close();
  });

  test('several words must all match; results show heading and snippet', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const r = await search(page, 'delete  SPECIFIC kitt');
    assert(r.length >= 1 && r[0].title === 'Delete a Specific Kitten', `results: ${JSON.stringify(r)}`);
    assert(r.every((x) => x.title !== 'Get All Kittens'), 'a section without "delete" is not a result');
    const s = await search(page, 'register developer');
    const auth = s.find((x) => x.title === 'Authentication');
    assert(auth && /register a new Kittn API key/.test(auth.snippet), `snippet around the first match: ${JSON.stringify(s)}`);
    assert(auth.snippet.length <= 110, `short snippet: ${auth.snippet}`);
    await context.close();
  });

  test('ranking: heading matches come first', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('search')}/index.html`);
    const r = await search(page, 'penguin');
    assert(r.map((x) => x.title).join('|') === 'Penguin facts|Ordering', `order: ${JSON.stringify(r)}`);
    await page.goto(`${ctx.sample}/index.html`);
    const k = await search(page, 'kitten');
    const inTitle = k.map((x) => /kitten/i.test(x.title));
    const firstBody = inTitle.indexOf(false);
    assert(firstBody > 0 && !inTitle.slice(firstBody).includes(true), `heading matches first: ${k.map((x) => x.title)}`);
    await context.close();
  });

  test('Chinese finds a section of the onetoken corpus', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('onetoken')}/index.html`);
    const r = await search(page, '模拟账号');
    assert(r.length && r[0].title === '模拟账号申请与交易', `results: ${JSON.stringify(r.slice(0, 3))}`);
    const one = await search(page, '账');
    assert(one.length >= 2, `a single character: ${one.length}`);
    const mixed = await search(page, 'websocket 行情');
    assert(mixed.some((x) => x.title.startsWith('Websocket行情')), `mixed scripts: ${JSON.stringify(mixed.slice(0, 3))}`);
    const h = await highlights(page);
    assert(h.some((t) => t === '行情'), `highlights: ${h.slice(0, 5)}`);
    await context.close();
  });

  test('Cyrillic, Thai and accents are findable', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('search')}/index.html`);
    let r = await search(page, 'котят');
    assert(r[0]?.title === 'Получение котят', `Cyrillic: ${JSON.stringify(r)}`);
    r = await search(page, 'ПОЛУЧ');
    assert(r[0]?.title === 'Получение котят', `Cyrillic prefix, any case: ${JSON.stringify(r)}`);
    r = await search(page, 'елка');
    assert(r[0]?.title === 'Получение котят', `ё folded to е: ${JSON.stringify(r)}`);
    r = await search(page, 'ช่องว่าง');
    assert(r[0]?.title === 'การค้นหา', `Thai: ${JSON.stringify(r)}`);
    r = await search(page, 'creme cafe');
    assert(r[0]?.title === 'Crème brûlée', `accents: ${JSON.stringify(r)}`);
    r = await search(page, 'résumé');
    assert(r[0]?.title === 'Crème brûlée', `accented query: ${JSON.stringify(r)}`);
    const h = await highlights(page);
    assert(h.includes('résumé'), `accented highlight: ${h}`);
    r = await search(page, '</script>');
    assert(r[0]?.title === 'Escaping </script><!-- in text', `escaped title: ${JSON.stringify(r)}`);
    await context.close();
  });

  test('No Results Found for "QUERY", inserted as text', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const r = await search(page, '<b>zzqx</b>');
    assert(r.length === 1 && r[0].text === 'No Results Found for "<b>zzqx</b>"', `results: ${JSON.stringify(r)}`);
    assert(!(await page.$('.search-results b')), 'the query is text, not HTML');
    await search(page, '');
    assert(!(await page.$eval('.search-results', (e) => e.classList.contains('visible'))), 'empty query hides the list');
    await context.close();
  });

  test('every query word is highlighted; old highlights removed', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    await search(page, 'kitt auth');
    let h = await highlights(page);
    assert(h.some((t) => /^kitt$/i.test(t)) && h.some((t) => /^auth$/i.test(t)), `both words: ${h.slice(0, 10)}`);
    assert(h.every((t) => /^(kitt|auth)$/i.test(t)), `only the words: ${h.filter((t) => !/^(kitt|auth)$/i.test(t))}`);
    const text0 = await page.$eval('.content', (e) => e.textContent);
    await search(page, 'errors');
    h = await highlights(page);
    assert(h.length > 0 && h.every((t) => /^errors$/i.test(t)), `new query replaces highlights: ${h}`);
    await search(page, '');
    h = await highlights(page);
    assert(h.length === 0, `cleared: ${h}`);
    assert((await page.$eval('.content', (e) => e.textContent)) === text0, 'text unchanged');
    await context.close();
  });

  test('keyboard: arrows move, Enter follows, Escape clears', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    await page.focus('#input-search');
    await page.keyboard.type('kitten');
    await page.waitForSelector('.search-results.visible li a');
    const hrefs = (await results(page)).map((x) => x.href);
    const focused = () => page.evaluate(() => (document.activeElement.id === 'input-search' ? 'input' : document.activeElement.getAttribute('href')));
    await page.keyboard.press('ArrowDown');
    assert((await focused()) === hrefs[0], `first result focused: ${await focused()}`);
    await page.keyboard.press('ArrowDown');
    assert((await focused()) === hrefs[1], `second result focused: ${await focused()}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert((await focused()) === 'input', 'back in the input');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => location.hash === h, hrefs[0]);
    await page.focus('#input-search');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => location.hash === h, hrefs[1]);
    await page.focus('#input-search');
    await page.keyboard.press('Escape');
    assert((await page.inputValue('#input-search')) === '', 'Escape empties the box');
    assert(!(await page.$eval('.search-results', (e) => e.classList.contains('visible'))), 'and hides the results');
    assert((await highlights(page)).length === 0, 'and removes the highlights');
    await context.close();
  });

  test('works from file://', async (b) => {
    const url = pathToFileURL(path.join(ctx.dir('sample'), 'index.html')).href;
    const { page, context, errors } = await openPage(b, url, { allowedBase: 'file://' });
    const r = await search(page, 'kitt');
    assert(r.length >= 4 && /kitten/i.test(r[0].title), `results from file://: ${JSON.stringify(r.slice(0, 2))}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  test('a 10 MB document answers in under 50 ms', async (b) => {
    const dir = ctx.dir('big');
    const mb = (f) => (fs.statSync(path.join(dir, f)).size / 1e6).toFixed(1);
    const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const t0 = Date.now();
    await page.goto(`${ctx.site('big')}/index.html`, { waitUntil: 'load', timeout: 180000 });
    const load = Date.now() - t0;
    const queries = ['kitt', 'kittens api', 'delete specific', 'authorization', 'errors', 'zzqx', 'get all kittens', 'query parameters'];
    // Time from the input event to the results in the page and laid out.
    const times = await page.evaluate(async (qs) => {
      const input = document.getElementById('input-search'), list = document.querySelector('.search-results');
      const out = [];
      input.focus(); // the reader clicks the box, then types
      for (const q of qs) {
        await new Promise((ok) => setTimeout(ok, 300)); // the reader types the next query later
        const shown = new Promise((ok) => {
          const mo = new MutationObserver(() => { if (list.querySelector('li')) { mo.disconnect(); ok(); } });
          mo.observe(list, { childList: true });
        });
        input.value = q;
        const t = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await shown;
        void list.offsetHeight; // layout of the results
        out.push({ q, ms: performance.now() - t, n: list.querySelectorAll('li a').length });
      }
      return out;
    }, queries);
    const ms = times.map((t) => t.ms);
    const med = median(ms);
    console.log(`    search on 10 MB: ${med.toFixed(1)} ms median (first ${ms[0].toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms; ` +
      `${times.map((t) => `${t.q}: ${t.ms.toFixed(1)}`).join(', ')}); page ${mb('index.html')} MB loaded in ${load} ms, index ${mb('index.search.js')} MB`);
    assert(times[0].n > 0 && times.find((t) => t.q === 'zzqx').n === 0, `results: ${JSON.stringify(times)}`);
    assert(med < 50, `median ${med} ms`);
    // matches are highlighted without changing the DOM (a relayout of this page takes seconds)
    await page.fill('#input-search', 'kittens');
    await page.waitForFunction(() => CSS.highlights.get('search-highlight')?.size > 100, null, { timeout: 30000 });
    assert(!(await page.$('.content span.search-highlight')), 'no spans on a big page');
    assert(errors.length === 0, `page errors: ${errors}`);
    await context.close();
  });
}
