// split: h1 (src/page/split.rs): one page per top-level section; old links land on
// the right part, prev/next, the tab, dark mode and search carry across parts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, openPage, waitFor, median } from '../lib.mjs';

const AXE = path.join(path.dirname(new URL(import.meta.url).pathname), '../node_modules/axe-core/axe.min.js');

const file = (u) => u.split('/').pop();

/** Waits until the page is on the part `part` (after the redirect, if any), loaded; returns where it is. */
async function landed(page, part) {
  await page.waitForURL((u) => u.pathname.endsWith('/' + part), { timeout: 5000 }).catch(() => {});
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const id = decodeURIComponent(location.hash.slice(1)), el = document.getElementById(id);
    return { file: location.pathname.split('/').pop(), hash: location.hash, found: !!el,
      top: el ? el.getBoundingClientRect().top : null, active: document.querySelector('#toc .toc-link.active')?.getAttribute('href') };
  });
}

async function oldLinks(b, base, opts) {
  let { page, context, errors } = await openPage(b, `${base}/index.html#rate-limits`, opts);
  let at = await landed(page, 'index-authentication.html');
  assert(at.file === 'index-authentication.html' && at.hash === '#rate-limits' && at.found, `old link: ${JSON.stringify(at)}`);
  assert(at.active === '#rate-limits', `TOC marks the heading: ${JSON.stringify(at)}`);
  await page.goto(`${base}/index.html#retrying`);
  at = await landed(page, 'index-errors.html');
  assert(at.file === 'index-errors.html' && at.found, `include's section: ${JSON.stringify(at)}`);
  // an id on the first part stays
  await page.goto(`${base}/index.html#introduction`);
  at = await landed(page, 'index.html');
  assert(at.file === 'index.html' && at.found, `first part: ${JSON.stringify(at)}`);
  // an id asked of another part goes there through the first part
  await page.goto(`${base}/index-kittens.html#retrying`);
  at = await landed(page, 'index-errors.html');
  assert(at.file === 'index-errors.html' && at.found, `via the first part: ${JSON.stringify(at)}`);
  await page.goto(`${base}/index-kittens.html#no-such-id`);
  at = await landed(page, 'index.html');
  assert(at.file === 'index.html' && !at.found, `an unknown id rests on the first part: ${JSON.stringify(at)}`);
  await page.close();
  page = await context.newPage(); // fresh: no navigation of the steps above under way
  await page.goto(`${base}/index.html#introduction`);
  // one typed into the address bar later moves on
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/index-kittens.html')), page.evaluate(() => { location.hash = '#get-all-kittens'; })]);
  at = await landed(page, 'index-kittens.html');
  assert(at.file === 'index-kittens.html' && at.found, `hash change: ${JSON.stringify(at)}`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await context.close();
}

export default function (test, ctx) {
  test('old deep links land on the part and heading (http)', (b) => oldLinks(b, ctx.site('split')));
  test('old deep links land on the part and heading (file://)', (b) => oldLinks(b, pathToFileURL(ctx.dir('split')).href, { allowedBase: 'file://' }));

  test('prev/next, links between parts, TOC entries of other parts', async (b) => {
    const { page, context, errors } = await openPage(b, `${ctx.site('split')}/index.html`);
    await Promise.all([page.waitForNavigation(), page.click('.split-nav a[rel=next]')]);
    assert(file(page.url()).startsWith('index-authentication.html'), page.url());
    await Promise.all([page.waitForNavigation(), page.click('.split-nav a[rel=next]')]);
    assert(file(page.url()).startsWith('index-kittens.html'), page.url());
    await Promise.all([page.waitForNavigation(), page.click('.split-nav a[rel=prev]')]);
    assert(file(page.url()).startsWith('index-authentication.html'), page.url());
    // a link in the text to another part's section
    await Promise.all([page.waitForNavigation(), page.click('.content a[href="index.html#introduction"]')]);
    assert(file(page.url()) === 'index.html#introduction', page.url());
    // the sidebar lists every section; another part's opens that part
    const entries = await page.$$eval('#toc .toc-h1', (as) => as.map((a) => a.textContent));
    assert(entries.join() === 'Introduction,Authentication,Kittens,Errors', `TOC: ${entries}`);
    await Promise.all([page.waitForNavigation(), page.click('#toc a[href="index-errors.html#errors"]')]);
    const at = await landed(page);
    assert(at.file === 'index-errors.html' && at.active === '#errors', `TOC link: ${JSON.stringify(at)}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  test('the tab choice and dark mode carry across parts', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('split')}/index.html`);
    await page.click('.dark-box .lang-selector a[data-language-name=python]');
    await page.click('#theme-toggle');
    const mode = await page.evaluate(() => document.documentElement.dataset.theme);
    await Promise.all([page.waitForNavigation(), page.click('.split-nav a[rel=next]')]);
    const now = await page.evaluate(() => [document.documentElement.dataset.language, document.documentElement.dataset.theme]);
    assert(now[0] === 'python' && now[1] === mode, `on the next part: ${now} (dark mode was ${mode})`);
    const shown = await page.$$eval('.content pre.highlight', (ps) => ps.filter((p) => p.offsetParent).map((p) => p.className));
    assert(shown.length && shown.every((c) => c.includes('tab-python')), `python code shown: ${shown}`);
    await context.close();
  });

  test('search finds every part', async (b) => {
    const { page, context, errors } = await openPage(b, `${ctx.site('split')}/index-kittens.html`);
    await page.fill('#input-search', 'retry');
    await waitFor(page, () => document.querySelector('.search-results a'), null, 'results');
    const r = await page.$$eval('.search-results a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert(r[0][0] === 'index-errors.html#retrying' && r[0][1].includes('Errors – Split API'), `other part: ${JSON.stringify(r)}`);
    await page.fill('#input-search', 'kittens');
    const k = await page.$$eval('.search-results a', (as) => as.map((a) => a.getAttribute('href')));
    assert(k[0] === '#kittens', `this part first: ${k}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    await context.close();
  });

  test('axe-core: no serious or critical violation on a part and on site search results, light and dark', async (b) => {
    for (const scheme of ['light', 'dark']) {
      for (const url of [`${ctx.site('split')}/index-kittens.html`, `${ctx.site('site-search')}/guides/webhooks.html`]) {
        const context = await b.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(url);
        await page.fill('#input-search', 'kitt');
        await waitFor(page, () => document.querySelector('.search-results a'), null, 'results');
        await page.addScriptTag({ path: AXE });
        const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
          .filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id} ${x.nodes.map((n) => n.target.join(' ')).slice(0, 2)}`));
        assert(v.length === 0, `${url} (${scheme}): ${v.join('; ')}`);
        await context.close();
      }
    }
  });

  test('10 MB page split by h1: first paint and tab switch on a part, against the whole page (figures)', async (b) => {
    const figures = {};
    for (const [name, url] of [['whole', `${ctx.site('big-chapters')}/index.html`], ['part', `${ctx.site('big-split')}/index-chapter-10.html`]]) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: 300000 });
      const t = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0], fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { fcp: fcp ? fcp.startTime : NaN, load: n.loadEventStart, bytes: document.documentElement.outerHTML.length };
      });
      await page.evaluate(() => {
        window.__clicks = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'click') window.__clicks.push(e.duration); }).observe({ type: 'event', durationThreshold: 16 });
      });
      const keys = ['python', 'javascript', 'shell', 'python', 'javascript'];
      for (const key of keys) {
        await page.click(`.dark-box .lang-selector a[data-language-name="${key}"]`, { timeout: 60000 });
        await waitFor(page, (k) => document.documentElement.dataset.language === k, key, `switch to ${key}`, { timeout: 60000 });
        await page.waitForTimeout(300);
      }
      const ms = await page.evaluate(() => window.__clicks);
      figures[name] = { ...t, switch: ms.length ? median(ms) : 0, under16: keys.length - ms.length };
      await context.close();
    }
    const f = (x) => `first contentful paint ${Math.round(x.fcp)} ms, load ${Math.round(x.load)} ms, ${(x.bytes / 1e6).toFixed(1)} MB of HTML, tab switch click-to-paint median ${x.switch ? Math.round(x.switch) + ' ms' : '< 16 ms'} (${x.under16} of 5 under 16 ms)`;
    console.log(`    10 MB page, whole: ${f(figures.whole)}\n    10 MB page split by h1, a part: ${f(figures.part)}`);
    assert(figures.part.bytes < figures.whole.bytes / 5, 'a part is a fraction of the page');
  });
}
