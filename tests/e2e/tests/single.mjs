// `shale build --single-file`: the page alone (copied into an empty folder, as if
// mailed), opened from file:// with the network off and every other request aborted.
// Sites: `single-sample` (the sample) and `single-fixture` (tests/fixtures/single-file:
// images in markdown, srcset, an include, a logo, a favicon, @import, a font).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, visibleBlocks, waitFor, tocState, scrollToId } from '../lib.mjs';

/**
 * Opens `SITE/index.html`, copied alone into a new folder, from file:// in an offline
 * context where every request but the page's own is aborted and recorded.
 */
async function openAlone(browser, dir, { deviceScaleFactor = 1 } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shale-single-'));
  const file = path.join(tmp, 'index.html');
  fs.copyFileSync(path.join(dir, 'index.html'), file);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor, offline: true });
  const others = [];
  const errors = [];
  const isPage = (u) => u.split('#')[0].split('?')[0] === url;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (isPage(u)) return route.continue();
    others.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => { const u = r.url(); if (!isPage(u) && !u.startsWith('data:')) others.push(u); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const close = async () => {
    await context.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { page, context, others, errors, close };
}

/** Attributes of the page that still name a local file (not data:, a scheme, or #anchor). */
const localRefs = (page) => page.evaluate(() => {
  const bad = [];
  for (const el of document.querySelectorAll('[src], [href], [srcset]')) {
    for (const name of ['src', 'href', 'srcset']) {
      const v = el.getAttribute(name);
      if (v === null) continue;
      const urls = name === 'srcset' ? v.split(/,\s+/).map((c) => c.trim().split(/\s+/)[0]) : [v.trim()];
      for (const u of urls) if (!/^(#|[a-z][a-z0-9+.-]*:)/i.test(u)) bad.push(`${el.tagName.toLowerCase()}[${name}=${u}]`);
    }
  }
  return bad;
});

export default function (test, ctx) {
  test('the sample alone from file://: styled, no request, no local reference', async (b) => {
    const { page, others, errors, close } = await openAlone(b, ctx.dir('single-sample'));
    try {
      await page.waitForTimeout(300);
      const style = await page.evaluate(() => {
        const cs = (sel) => getComputedStyle(document.querySelector(sel));
        return {
          darkBox: cs('.page-wrapper .dark-box').backgroundColor,
          darkBoxWidth: document.querySelector('.page-wrapper .dark-box').getBoundingClientRect().width,
          code: cs('.content pre.highlight').backgroundColor,
          codeFloat: cs('.content pre.highlight').float,
          toc: cs('.toc-wrapper').position,
          sheets: document.styleSheets.length,
          linked: document.querySelectorAll('link[rel~=stylesheet], script[src]').length,
        };
      });
      assert(style.darkBox === 'rgb(46, 51, 54)' && style.darkBoxWidth > 300, `code column: ${JSON.stringify(style)}`);
      assert(style.code === 'rgb(30, 34, 36)' && style.codeFloat === 'right', `code blocks: ${JSON.stringify(style)}`);
      assert(style.toc === 'fixed', `TOC column: ${JSON.stringify(style)}`);
      assert(style.sheets >= 3 && style.linked === 0, `stylesheets inline: ${JSON.stringify(style)}`);
      const code = await page.$eval('.content pre.highlight', (p) => {
        const k = [...p.querySelectorAll('span')].find((s) => getComputedStyle(s).color !== getComputedStyle(p).color);
        return k ? k.className : null;
      });
      assert(code, 'highlight.css colours the code');
      assert((await localRefs(page)).length === 0, `local references: ${await localRefs(page)}`);
      assert(others.length === 0, `requests besides the page: ${others.join(' ')}`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    } finally {
      await close();
    }
  });

  test('the sample alone from file://: tabs, TOC, search and copy work', async (b) => {
    const { page, context, others, errors, close } = await openAlone(b, ctx.dir('single-sample'));
    try {
      // language tabs
      await page.click('.dark-box .lang-selector a[data-language-name="python"]');
      const vis = await visibleBlocks(page);
      assert(vis.some((c) => c.includes('tab-python')) && !vis.some((c) => c.includes('tab-shell')), `python tab: ${vis}`);
      assert(await page.$eval('.dark-box .lang-selector a[data-language-name="python"]', (a) => a.classList.contains('active')), 'python tab active');

      // TOC: a click on an h2 entry, then scrolling to another section
      const links = await page.$$eval('#toc a.toc-h2', (as) => as.map((a) => a.getAttribute('href')));
      assert(links.length >= 3, `h2 entries: ${links}`);
      await page.click(`#toc a[href="${links[1]}"]`);
      await waitFor(page, (h) => document.querySelector(`#toc a[href="${h}"]`).classList.contains('active'), links[1], `${links[1]} active after its click`, { state: () => [...document.querySelectorAll('#toc .active')].map((a) => a.getAttribute('href')) });
      const last = links[links.length - 1];
      await scrollToId(page, last.slice(1), 0);
      await waitFor(page, (h) => document.querySelector(`#toc a[href="${h}"]`).classList.contains('active'), last, `${last} active after scrolling to it`);
      const toc = await tocState(page);
      assert(toc.title.includes('–'), `title follows the section: ${toc.title}`);

      // search: the inlined index answers
      await page.fill('#input-search', 'whatsapp');
      await waitFor(page, () => document.querySelectorAll('.search-results li a').length > 0, null, 'search results for "whatsapp"', { state: () => document.querySelector('.search-results').textContent });
      const first = await page.$eval('.search-results li a', (a) => a.getAttribute('href'));
      assert(first.startsWith('#'), `result links into the page: ${first}`);
      await page.fill('#input-search', '');

      // copy buttons: one per block, and they copy
      const counts = await page.evaluate(() => [document.querySelectorAll('.content pre.highlight').length, document.querySelectorAll('.content pre.highlight > .copy-clipboard').length]);
      assert(counts[0] > 0 && counts[0] === counts[1], `copy buttons: ${counts}`);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const want = await page.$eval('.content pre.highlight.tab-python code, .content pre.highlight.tab-python', (p) => p.textContent.replace(/\n$/, ''));
      await page.click('.content pre.highlight.tab-python .copy-clipboard');
      await waitFor(page, () => /copied/i.test(document.querySelector('.content pre.highlight.tab-python .copy-clipboard').textContent + document.querySelector('.content pre.highlight.tab-python .copy-clipboard').getAttribute('aria-label')), null, 'the button says Copied');
      const got = await page.evaluate(() => navigator.clipboard.readText());
      assert(got.trim() === want.trim() && got.length > 0, `clipboard: ${JSON.stringify(got.slice(0, 60))} vs ${JSON.stringify(want.slice(0, 60))}`);

      assert(others.length === 0, `requests besides the page: ${others.join(' ')}`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    } finally {
      await close();
    }
  });

  test('images, srcset, icon, CSS backgrounds and the font are inlined and render', async (b) => {
    for (const deviceScaleFactor of [1, 2]) {
      const { page, others, errors, close } = await openAlone(b, ctx.dir('single-fixture'), { deviceScaleFactor });
      try {
        await page.evaluate(() => document.fonts.load('16px slate'));
        const r = await page.evaluate(() => ({
          imgs: [...document.images].map((i) => ({ alt: i.alt || i.className, w: i.naturalWidth, src: i.currentSrc.slice(0, 22) })),
          responsive: (({ currentSrc, naturalWidth }, srcset) => ({ current: currentSrc.slice(0, 22), naturalWidth, srcset: srcset.split(/,\s+/).map((c) => c.slice(0, 22)) }))(document.querySelector('img.responsive'), document.querySelector('img.responsive').getAttribute('srcset')),
          icon: document.querySelector('link[rel=icon]').getAttribute('href').slice(0, 22),
          badge: getComputedStyle(document.getElementById('badge')).backgroundImage.slice(0, 30),
          font: [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'slate').map((f) => f.status),
          glyph: getComputedStyle(document.getElementById('icon'), '::before').fontFamily,
        }));
        assert(r.imgs.length === 4, `images: ${JSON.stringify(r.imgs)}`);
        for (const i of r.imgs) assert(i.w > 0 && i.src.startsWith('data:image/png;base64'), `image not rendered from a data: URI: ${JSON.stringify(i)}`);
        // srcset: every candidate inlined (Chromium then takes the densest, as it does
        // with cached images: 128 px, shown at 64 CSS px)
        const rs = r.responsive;
        assert(rs.srcset.length === 1 && rs.srcset[0] === 'data:image/png;base64,' && rs.current === rs.srcset[0] && rs.naturalWidth === 64, `srcset at ${deviceScaleFactor}x: ${JSON.stringify(rs)}`);
        assert(r.icon === 'data:image/png;base64,', `favicon: ${r.icon}`);
        assert(r.badge.startsWith('url("data:image/svg+xml'), `badge background: ${r.badge}`);
        assert(r.font.length === 1 && r.font[0] === 'loaded', `icon font (from @import): ${JSON.stringify(r.font)}`);
        assert(r.glyph.includes('slate'), `icon glyph font: ${r.glyph}`);
        assert((await localRefs(page)).length === 0, `local references: ${await localRefs(page)}`);
        assert(others.length === 0, `requests besides the page: ${others.join(' ')}`);
        assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
      } finally {
        await close();
      }
    }
  });

  test('the fixture alone: TOC and search across the include', async (b) => {
    const { page, others, errors, close } = await openAlone(b, ctx.dir('single-fixture'));
    try {
      await page.fill('#input-search', 'ocelot');
      await waitFor(page, () => document.querySelectorAll('.search-results li a').length === 1, null, 'one result for "ocelot"', { state: () => document.querySelector('.search-results').textContent });
      const href = await page.$eval('.search-results li a', (a) => a.getAttribute('href'));
      assert(href === '#pictures-from-an-include', `result: ${href}`);
      await page.click('.search-results li a');
      await waitFor(page, () => document.querySelector('#toc a[href="#pictures-from-an-include"]').classList.contains('active'), null, 'the TOC follows the result');
      assert(others.length === 0, `requests besides the page: ${others.join(' ')}`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    } finally {
      await close();
    }
  });
}
