// A site served under a sub-path (`/subpath/`, as a GitHub Pages project site is) and
// opened from file://: stylesheets, the script, the search index, images and links of a
// page in a sub-folder all resolve (tests/fixtures/subpath).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, openPage, waitFor } from '../lib.mjs';

/** Opens `url`; records every request that failed or answered 400 and above. */
async function open(b, url, allowedBase) {
  const o = await openPage(b, url, { allowedBase });
  o.failed = [];
  // A request the browser cancels (the first load's favicon, cut short by the reload
  // below) is not a missing file: those fail with a 404 or net::ERR_FILE_NOT_FOUND.
  o.page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') o.failed.push(`${r.url()} (${why})`);
  });
  o.page.on('response', (r) => { if (r.status() >= 400) o.failed.push(`${r.url()} (${r.status()})`); });
  await o.page.reload({ waitUntil: 'load' }); // now with the listeners on
  return o;
}

/** Everything the page loads is in place: CSS, script, search index, images. */
async function assertComplete(page, where) {
  const state = await page.evaluate(() => ({
    tocFixed: getComputedStyle(document.querySelector('.toc-wrapper')).position,
    darkBox: getComputedStyle(document.querySelector('.dark-box')).backgroundColor,
    activeTab: document.querySelector('.lang-selector a.active')?.dataset.languageName ?? null,
    index: typeof window.shaleSearchIndex,
    images: [...document.images].map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })),
  }));
  assert(state.tocFixed === 'fixed', `${where}: screen.css not applied (toc position ${state.tocFixed})`);
  assert(state.darkBox !== 'rgba(0, 0, 0, 0)', `${where}: the code column has no background`);
  assert(state.activeTab === 'shell', `${where}: shale.js did not run (active tab ${state.activeTab})`);
  assert(state.index === 'object', `${where}: the search index did not load`);
  assert(state.images.length >= 4, `${where}: images ${JSON.stringify(state.images)}`);
  const broken = state.images.filter((i) => !i.ok);
  assert(broken.length === 0, `${where}: broken images ${JSON.stringify(broken)}`);
}

export default function (test, ctx) {
  test('a page in a sub-folder, served under /subpath/, loads everything', async (b) => {
    const { page, context, errors, failed } = await open(b, `${ctx.site('subpath')}/v2/index.html`);
    await assertComplete(page, 'http');
    await page.fill('#input-search', 'curl');
    await waitFor(page, () => document.querySelectorAll('.search-results li a').length > 0, null, 'search finds `curl`');
    assert(failed.length === 0, `failed requests: ${failed.join(' | ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    // Links written from the site root stay under the sub-path.
    await page.click('#raw-home');
    await page.waitForURL(`${ctx.site('subpath')}/index.html#start`);
    await page.click('.toc-footer a');
    await page.waitForURL(`${ctx.site('subpath')}/v2/index.html`);
    await page.click('.content a:text-is("the start")');
    await page.waitForURL(`${ctx.site('subpath')}/index.html#start`);
    await context.close();
  });

  test('the same page from file:// loads everything and its links work', async (b) => {
    const dir = ctx.dir('subpath');
    const { page, context, errors, failed } = await open(b, pathToFileURL(path.join(dir, 'v2', 'index.html')).href, 'file://');
    await assertComplete(page, 'file://');
    assert(failed.length === 0, `failed requests: ${failed.join(' | ')}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    // `[home](/)` leads to the root page's file, not to a folder listing or to `/`.
    await page.click('.content a:text-is("home")');
    await page.waitForURL(pathToFileURL(path.join(dir, 'index.html')).href);
    await page.click('.content a:text-is("its second page")');
    await page.waitForURL(pathToFileURL(path.join(dir, 'v2', 'other.html')).href + '#second');
    await context.close();
  });
}
