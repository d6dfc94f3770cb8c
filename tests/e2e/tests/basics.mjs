// Basic page checks on the sample.
import { assert, openPage, visibleBlocks } from '../lib.mjs';

export default function (test, ctx) {
  test('loads with no console error and no request to another host', async (b) => {
    const { page, context, errors, foreign } = await openPage(b, `${ctx.sample}/index.html`);
    await page.waitForTimeout(300);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    assert(foreign.length === 0, `requests to other hosts: ${foreign.join(' ')}`);
    await context.close();
  });

  test('three columns on desktop: TOC left, prose, code on the right', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const toc = await page.$eval('.toc-wrapper', (e) => e.getBoundingClientRect().toJSON());
    const prose = await page.$eval('.content > p', (e) => e.getBoundingClientRect().toJSON());
    const code = await page.$eval('.content pre.highlight', (e) => e.getBoundingClientRect().toJSON());
    assert(toc.left === 0 && toc.width >= 200 && toc.width <= 260, `toc ${JSON.stringify(toc)}`);
    assert(prose.left >= toc.right, 'prose right of the TOC');
    assert(code.left >= prose.right - 1, `code (${code.left}) right of the prose (${prose.right})`);
    await context.close();
  });

  test('clicking a language tab shows that language and keeps non-tab blocks', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    await page.click('.dark-box .lang-selector a[data-language-name="python"]');
    const vis = await visibleBlocks(page);
    assert(vis.some((c) => c.includes('tab-python')), 'python blocks visible');
    assert(!vis.some((c) => c.includes('tab-shell') || c.includes('tab-javascript')), `other tabs hidden: ${vis}`);
    assert(vis.some((c) => c.includes('tab-json')), 'json responses stay visible');
    assert((await page.url()).includes('python'), 'the URL names the language');
    await context.close();
  });

  test('TOC links point at headings of the page', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const missing = await page.$$eval('#toc a.toc-link', (as) => as
      .map((a) => a.getAttribute('href').slice(1))
      .filter((id) => !document.getElementById(id)));
    assert(missing.length === 0, `TOC targets missing: ${missing}`);
    await context.close();
  });
}
