// The page as a whole: no console error, no request to another host, no layout shift,
// no web font, the JavaScript budget, and file:// use.
import fs from 'node:fs';
import path from 'node:path';
import { assert, openPage, languages, tabRuleViolations, frames } from '../lib.mjs';

const pages = (ctx) => [`${ctx.sample}/index.html`, `${ctx.site('dialect')}/index.html`, `${ctx.site('andolatam')}/index.html`,
  `${ctx.site('onetoken')}/index.html`, `${ctx.site('neoway')}/index.html`, `${ctx.site('neoway')}/pt/index.html`,
  `${ctx.site('e2e-keys')}/index.html`, `${ctx.site('e2e-images')}/index.html`];

/** Records layout shifts from the start of the page in `window.__shifts`. */
const recordShifts = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.hadRecentInput) window.__shifts.push({ value: e.value, t: Math.round(e.startTime), sources: (e.sources || []).map((s) => s.node && (s.node.id || s.node.className || s.node.nodeName)) });
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

export default function (test, ctx) {
  test('every page loads, switches tabs and scrolls with no console error and no request to another host', async (b) => {
    for (const url of pages(ctx)) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      const errors = [], foreign = [];
      // content images of another host are the author's (onetoken has some): refused
      // here, and allowed only when an <img> of the content names them
      await context.route((u) => !u.href.startsWith(ctx.base), (r) => r.abort());
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => { if (!r.url().startsWith(ctx.base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
      await page.goto(url);
      for (const lang of (await languages(page)).reverse()) await page.click(`.dark-box .lang-selector a[data-language-name="${lang}"]`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
      await frames(page);
      const authored = await page.$$eval('.content img', (is) => is.map((i) => i.src));
      const theme = foreign.filter((u) => !authored.includes(u));
      assert(theme.length === 0, `${url}: requests to other hosts: ${theme.join(' ')}`);
      const real = errors.filter((e) => !authored.some((u) => e.includes(u)));
      assert(real.length === 0, `${url}: console errors: ${real.join(' | ')}`);
      await context.close();
    }
  });

  test('no layout shift while loading (language and TOC set before the first paint) or when the fonts are ready; no web font', async (b) => {
    const times = [];
    for (const url of pages(ctx)) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      // Images are left out: one without width and height (the logo too: the build does
      // not write its size yet) moves what follows when it arrives, in Slate as here.
      await context.route((u) => !u.href.startsWith(ctx.base) || /\.(png|jpe?g|gif|svg|webp)$/i.test(u.pathname), (r) => r.abort());
      await context.addInitScript(recordShifts);
      const page = await context.newPage();
      await page.goto(url);
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(200);
      const r = await page.evaluate(() => ({ shifts: window.__shifts, fonts: [...document.fonts].map((f) => f.family) }));
      assert(r.fonts.length === 0, `${url}: web fonts ${r.fonts}`);
      const total = r.shifts.reduce((a, s) => a + s.value, 0);
      assert(total === 0, `${url}: layout shift ${total.toFixed(4)}: ${JSON.stringify(r.shifts)}`);
      times.push(await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0], p = performance.getEntriesByName('first-contentful-paint')[0];
        return `${location.pathname.split('/').slice(1, -1).join('/') || '/'} ${p ? Math.round(p.startTime) : '-'}/${Math.round(n.loadEventStart)}`;
      }));
      await context.close();
    }
    // figures, not asserted: the first paint does not wait for the whole page
    console.log(`    first contentful paint / load event (ms): ${times.join(', ')}`);
  });

  test('JavaScript: one script of our own, under 20 KB (the search index excluded)', async (b) => {
    const context = await b.newContext();
    const page = await context.newPage();
    const scripts = [];
    page.on('response', async (r) => { if (r.request().resourceType() === 'script') scripts.push({ url: r.url(), size: (await r.body()).length }); });
    await page.goto(`${ctx.sample}/index.html`);
    await page.waitForTimeout(200);
    const inline = await page.$$eval('script:not([src])', (ss) => ss.reduce((a, s) => a + s.textContent.length, 0));
    const own = scripts.filter((s) => !/\.search\.js$|search[-_.]?index/i.test(s.url));
    const total = own.reduce((a, s) => a + s.size, 0) + inline;
    console.log(`  # JavaScript: ${total} bytes (${own.map((s) => `${path.basename(s.url)} ${s.size}`).join(', ')}${inline ? `, inline ${inline}` : ''})`);
    assert(own.every((s) => s.url.startsWith(ctx.base)), 'a script from another host');
    assert(total < 20000, `${total} bytes of JavaScript, over the 20 KB (20,000 bytes) budget`);
    // and the built site ships no other script file
    const js = fs.readdirSync(path.join(ctx.dir('sample'), 'javascripts')).filter((f) => !/\.search\.js$|search[-_.]?index/i.test(f));
    assert(js.join() === 'shale.js', `scripts in the site: ${js}`);
    await context.close();
  });

  test('works from file:// (tabs, TOC) with no error', async (b) => {
    const url = `file://${path.join(ctx.dir('sample'), 'index.html')}`;
    const { page, context, errors } = await openPage(b, url, { allowedBase: 'file://' });
    await page.click('.dark-box .lang-selector a[data-language-name="python"]');
    assert((await tabRuleViolations(page, 'python')).length === 0, 'python under file://');
    await page.click('#toc a[href="#kittens"]');
    await frames(page);
    assert(await page.$eval('#toc .toc-link.active', (a) => a.getAttribute('href')) === '#kittens', 'TOC under file://');
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });
}
