// Several pages (tests/fixtures/site: shale.yml `nav: true`, versions v1-v3 as pages and
// folders, toc_depth 4 on the webhooks pages, custom ids): the sidebar's list of pages by
// mouse, keyboard and on a phone; scroll spy at h3 and h4; custom ids; the version
// switcher keeping the section; axe-core on the new sidebar.
import path from 'node:path';
import { assert, openPage, frames, waitFor, scrollToId } from '../lib.mjs';

const AXE = path.join(path.dirname(new URL(import.meta.url).pathname), '../node_modules/axe-core/axe.min.js');

// Does `action` and waits until the page at a URL matching `re` has loaded.
async function follow(page, re, action) {
  await action();
  for (const end = Date.now() + 10000; ;) {
    const done = re.test(page.url()) && await page.evaluate(() => document.readyState === 'complete').catch(() => false);
    if (done) return;
    assert(Date.now() < end, `no page at ${re} (now ${page.url()})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

const listed = (page) => page.$$eval('.site-pages .site-page-link', (as) => as.map((a) => ({
  text: a.textContent, href: a.getAttribute('href'), current: a.getAttribute('aria-current'),
  toc: !!a.parentNode.querySelector('#toc'),
})));

/** The TOC at every depth: active entries, active-parent entries, open lists (by the entry above them). */
const deepState = (page) => page.evaluate(() => ({
  active: [...document.querySelectorAll('#toc .toc-link.active')].map((a) => a.getAttribute('href')),
  parents: [...document.querySelectorAll('#toc .toc-link.active-parent')].map((a) => a.getAttribute('href')),
  open: [...document.querySelectorAll('#toc ul')].filter((ul) => getComputedStyle(ul).display !== 'none')
    .map((ul) => ul.previousElementSibling.getAttribute('href')),
  hash: decodeURIComponent(location.hash),
}));

/** Where the page is scrolled, and where the heading `id` would put it. */
const at = (page, id) => page.$eval(`#${id}`, (h) => ({
  y: window.scrollY, want: Math.min(h.getBoundingClientRect().top + window.scrollY, document.documentElement.scrollHeight - window.innerHeight),
}));

export default function (test, ctx) {
  const site = ctx.site('site');

  test('the sidebar lists the pages, marks the current one with its TOC, and a click opens another', async (b) => {
    const { page, context, errors } = await openPage(b, `${site}/index.html`);
    const links = await listed(page);
    assert(JSON.stringify(links.map((l) => l.text)) === JSON.stringify(['Overview', 'API reference', 'Webhooks', 'Changelog']), `pages ${JSON.stringify(links)}`);
    assert(links.filter((l) => l.current === 'page').map((l) => l.text).join() === 'Overview', 'Overview is current');
    assert(links.filter((l) => l.toc).map((l) => l.text).join() === 'Overview', 'the TOC under the current page only');
    // in the sidebar, above the TOC entries, each link visible
    const boxes = await page.$$eval('.site-page-link', (as) => as.map((a) => a.getBoundingClientRect().toJSON()));
    assert(boxes.every((r) => r.left >= 0 && r.right <= 231 && r.height >= 20), `links at ${JSON.stringify(boxes)}`);
    await follow(page, /\/changelog\.html$/, () => page.click('.site-page-link >> text=Changelog'));
    const now = await listed(page);
    assert(now.filter((l) => l.current).map((l) => l.text).join() === 'Changelog', `current after the click: ${JSON.stringify(now)}`);
    assert(await page.$eval('#toc .toc-link.active', (a) => a.getAttribute('href')) === '#changelog', 'its TOC works');
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });

  test('keyboard: Tab reaches each page link with a visible focus, Enter opens it', async (b) => {
    const { page, context } = await openPage(b, `${site}/index.html`);
    let found = null;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => {
        const e = document.activeElement;
        return e.classList.contains('site-page-link') && e.textContent === 'API reference'
          ? { outline: getComputedStyle(e).outlineStyle, rect: e.getBoundingClientRect().toJSON() } : null;
      });
    }
    assert(found, 'Tab never reached the "API reference" link');
    assert(found.outline !== 'none' && found.rect.height > 10, `focus ring: ${JSON.stringify(found)}`);
    await follow(page, /\/v3\.html$/, () => page.keyboard.press('Enter'));
    assert((await listed(page)).find((l) => l.current)?.text === 'API reference', 'v3 is current');
    await context.close();
  });

  test('phone: the menu button shows the list of pages; a page link opens it', async (b) => {
    const { page, context } = await openPage(b, `${site}/v3.html`, { viewport: { width: 375, height: 667 } });
    const hidden = await page.$eval('.site-page-link', (a) => a.getBoundingClientRect().right <= 0);
    assert(hidden, 'the list is off-canvas until the menu opens');
    await page.click('#nav-button');
    await page.waitForTimeout(400); // the slide-in transition
    const r = await page.$eval('.site-page-link', (a) => a.getBoundingClientRect().toJSON());
    assert(r.left >= 0 && r.right <= 375, `menu open: first link at ${JSON.stringify(r)}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert(!wide, 'no sideways scrolling');
    await follow(page, /\/v3\/webhooks\.html$/, () => page.click('.site-page-link >> text=Webhooks'));
    assert((await listed(page)).find((l) => l.current)?.text === 'Webhooks', 'webhooks is current');
    await context.close();
  });

  test('toc_depth 4: scroll spy marks h3 and h4 entries, opens their lists, and the hash follows', async (b) => {
    const { page, context } = await openPage(b, `${site}/v3/webhooks.html`, { viewport: { width: 1400, height: 400 } });
    const levels = await page.$$eval('#toc .toc-link', (as) => [...new Set(as.map((a) => a.className.match(/toc-h(\d)/)[1]))].join());
    assert(levels === '1,2,3,4', `TOC levels ${levels}`);
    let s = await deepState(page);
    assert(s.active.join() === '#webhooks' && s.open.join() === '#webhooks', `at the top: ${JSON.stringify(s)}`);
    for (const [id, parents, open] of [
      ['payload', '#webhooks,#events,#order-created', '#webhooks,#events,#order-created'],
      ['order-paid', '#webhooks,#events', '#webhooks,#events'],
      ['order-created', '#webhooks,#events', '#webhooks,#events,#order-created'],
    ]) {
      await scrollToId(page, id, 0);
      await waitFor(page, (h) => document.querySelector('#toc .toc-link.active')?.getAttribute('href') === h, `#${id}`,
        `#${id} at the top is not the active entry`, { state: () => document.querySelector('#toc .toc-link.active')?.getAttribute('href') });
      await frames(page, 2);
      s = await deepState(page);
      assert(s.active.join() === `#${id}` && s.parents.join() === parents && s.open.join() === open && s.hash === `#${id}`,
        `at #${id}: ${JSON.stringify(s)}`);
      const visible = await page.$eval(`#toc a[href="#${id}"]`, (a) => a.getBoundingClientRect().height > 0);
      assert(visible, `the entry of #${id} is shown`);
    }
    await context.close();
    // a deep link to an h4 opens with its entry marked, its lists open
    const deep = await openPage(b, `${site}/v3/webhooks.html#payload`, { viewport: { width: 1400, height: 400 } });
    await frames(deep.page);
    s = await deepState(deep.page);
    assert(s.active.join() === '#payload' && s.open.join() === '#webhooks,#events,#order-created', `deep link: ${JSON.stringify(s)}`);
    await deep.context.close();
  });

  test('custom ids: the heading, its TOC entry and a deep link use the id, the text has no suffix', async (b) => {
    const { page, context } = await openPage(b, `${site}/v3.html#create-order`, { viewport: { width: 1400, height: 500 } });
    await frames(page);
    const h = await page.$eval('#create-order', (e) => ({ tag: e.tagName, text: e.textContent }));
    assert(h.tag === 'H2' && h.text === 'Create an order', `heading ${JSON.stringify(h)}`);
    const entry = await page.$eval('#toc a[href="#create-order"]', (a) => ({ text: a.textContent, active: a.classList.contains('active') }));
    assert(entry.text === 'Create an order' && entry.active, `TOC entry ${JSON.stringify(entry)}`);
    const where = await at(page, 'create-order');
    assert(Math.abs(where.y - where.want) < 5, `scrolled to the heading: ${JSON.stringify(where)}`);
    assert(!(await page.textContent('body')).includes('{#'), 'no {#…} suffix shown');
    await context.close();
  });

  test('version switcher: the same section in another version, else its top; by keyboard too', async (b) => {
    const { page, context, errors } = await openPage(b, `${site}/v3.html#create-order`, { viewport: { width: 1400, height: 500 } });
    await frames(page);
    const current = await page.$$eval('.version-switcher a', (as) => as.filter((a) => a.getAttribute('aria-current') === 'page').map((a) => a.textContent).join());
    assert(current === 'v3', `current version ${current}`);
    await follow(page, /\/v2\.html#create-order$/, () => page.click('.version-switcher a >> text=v2'));
    await frames(page);
    const where = await at(page, 'create-order');
    assert(where.want > 0 && Math.abs(where.y - where.want) < 5, `v2 at its "create-order" section: ${JSON.stringify(where)}`);
    assert(await page.$eval('#toc .toc-link.active', (a) => a.getAttribute('href')) === '#create-order', 'its TOC entry active');
    // v1 has no such section: its top, its first entry marked
    await follow(page, /\/v1\.html/, () => page.click('.version-switcher a >> text=v1'));
    await frames(page);
    const top = await page.evaluate(() => ({ y: window.scrollY, active: document.querySelector('#toc .toc-link.active')?.getAttribute('href') }));
    assert(top.y === 0 && top.active === '#introduction', `v1 at its top: ${JSON.stringify(top)}`);
    // keyboard: focus the v3 link, Enter
    await page.focus('.version-switcher a[href="v3.html"]');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(ring !== 'none', 'a focus ring on the switcher');
    await follow(page, /\/v3\.html/, () => page.keyboard.press('Enter'));
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });

  test('axe-core: no serious or critical violation with the list of pages and the version switcher', async (b) => {
    for (const p of ['index.html', 'v3.html', 'v3/webhooks.html']) {
      for (const viewport of [{ width: 1400, height: 900 }, { width: 375, height: 667 }]) {
        const { page, context } = await openPage(b, `${site}/${p}`, { viewport });
        if (viewport.width < 900) {
          await page.click('#nav-button');
          await page.waitForTimeout(400);
        }
        await page.addScriptTag({ path: AXE });
        const bad = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        });
        assert(bad.length === 0, `${p} at ${viewport.width} px: ${bad.join('; ')}`);
        await context.close();
      }
    }
  });
}
