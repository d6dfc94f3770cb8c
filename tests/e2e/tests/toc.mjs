// Table of contents: structure, scroll spy (active, active-parent, one expanded
// sub-list, title, hash without history), deep links (Slate #1440), the sidebar
// following the active entry, and offsets recomputed after images, resize and a
// language change.
import { assert, openPage, tocState, scrollToId, waitFor, frames } from '../lib.mjs';

const ENDASH = '\u2013';

/** Every TOC entry of the page: {href, id, level, parent, title}. */
const entries = (page) => page.$$eval('#toc .toc-link', (as) => as.map((a) => {
  const list = a.closest('.toc-list-h2');
  return {
    href: a.getAttribute('href'),
    id: decodeURIComponent(a.getAttribute('href').slice(1)),
    level: list ? 2 : 1,
    parent: list ? list.previousElementSibling.getAttribute('href') : null,
    title: a.dataset.title,
  };
}));

/** Scrolls heading `e` to the top and checks the whole TOC state for it. */
async function expectActive(page, e, base, where) {
  await scrollToId(page, e.id, 0);
  await waitFor(page, (href) => {
    const a = document.querySelector('#toc .toc-link.active');
    return a && a.getAttribute('href') === href;
  }, e.href, `${where}: ${e.href} at the top of the viewport is not the active entry`, { state: () => document.querySelector('#toc .toc-link.active')?.getAttribute('href') });
  await frames(page, 2);
  const s = await tocState(page);
  assert(s.active.length === 1, `${where}: active entries ${s.active}`);
  const section = e.level === 1 ? e.href : e.parent;
  assert(s.parents.join() === (e.level === 2 ? e.parent : ''), `${where}: active-parent ${s.parents} for ${e.href}`);
  assert(s.expanded.length <= 1 && s.expanded.every((h) => h === section), `${where}: expanded sub-lists ${s.expanded} for ${e.href}`);
  assert(s.title === `${e.title} ${ENDASH} ${base}`, `${where}: title "${s.title}"`);
  assert(s.hash === `#${e.id}`, `${where}: hash ${s.hash} for ${e.href}`);
}

export default function (test, ctx) {
  test('lists the h1 headings with their h2 children, in page order', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const toc = await entries(page);
    const heads = await page.$$eval('.content h1[id], .content h2[id]', (hs) => hs.map((h) => ({ id: h.id, level: +h.tagName[1] })));
    let parent = null;
    const want = heads.map((h) => {
      if (h.level === 1) parent = `#${h.id}`;
      return { id: h.id, level: h.level, parent: h.level === 2 ? parent : null };
    });
    const got = toc.map(({ id, level, parent }) => ({ id, level, parent }));
    assert(JSON.stringify(got) === JSON.stringify(want), `TOC ${JSON.stringify(got)}\nheadings ${JSON.stringify(want)}`);
    // h2 sub-lists are collapsed except the current section's
    const s = await tocState(page);
    assert(s.expanded.join() === '#sobot-api-documentation', `expanded at the top: ${s.expanded}`);
    await context.close();
  });

  test('scrolling: the entry in view is active, its h1 active-parent, one sub-list open, title and hash follow', async (b) => {
    for (const url of [`${ctx.sample}/index.html`, `${ctx.site('neoway')}/index.html`, `${ctx.site('andolatam')}/index.html`]) {
      const { page, context } = await openPage(b, url);
      const base = await page.evaluate(() => document.title.split(' \u2013 ').pop());
      const all = await entries(page);
      // every entry but the last two (the end of the page selects the last one),
      // bottom up (and then top down on the sample)
      const some = all.slice(0, -2);
      const order = [...some].reverse().concat(url.startsWith(ctx.sample) ? some.slice(1) : []);
      for (const e of order) await expectActive(page, e, base, url);
      await context.close();
    }
  });

  test('the hash follows scrolling with replaceState: no history entry added', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const len = await page.evaluate(() => history.length);
    for (const id of ['getting-started', 'authentication', 'get-all-kittens', 'get-a-specific-kitten']) {
      await scrollToId(page, id);
      await waitFor(page, (id) => location.hash === `#${id}`, id, `hash after scrolling to #${id}`, { state: () => location.hash });
    }
    assert(await page.evaluate(() => history.length) === len, 'history grew while scrolling');
    // scrolling back to the very top selects the first heading again
    await page.evaluate(() => window.scrollTo(0, 0));
    await waitFor(page, () => location.hash === '#sobot-api-documentation', null, 'hash at the top', { state: () => location.hash });
    await context.close();
  });

  test('a non-ASCII id: the hash follows once, not one history call per scroll frame', async (b) => {
    const context = await b.newContext({ viewport: { width: 1400, height: 400 } });
    await context.addInitScript(() => {
      window.__replaced = 0;
      const replace = history.replaceState.bind(history);
      history.replaceState = (...a) => { window.__replaced++; return replace(...a); };
    });
    const page = await context.newPage();
    await page.goto(`${ctx.site('e2e-keys')}/index.html`);
    // room to scroll inside the section
    await page.evaluate(() => { document.querySelector('.content').insertAdjacentHTML('beforeend', '<p style="height:2000px">Spacer</p>'); });
    await frames(page);
    await scrollToId(page, 'größe-ß');
    await waitFor(page, () => decodeURIComponent(location.hash) === '#größe-ß', null, 'the hash did not follow to #größe-ß', { state: () => location.hash });
    const before = await page.evaluate(() => window.__replaced);
    const y0 = await page.evaluate(() => scrollY);
    for (let i = 0; i < 10; i++) {
      await page.evaluate(() => window.scrollBy(0, 3));
      await frames(page, 1);
    }
    await frames(page);
    const s = await tocState(page);
    assert(s.active.join() === '#größe-ß' && await page.evaluate(() => scrollY) >= y0 + 20, `active ${s.active}, scrolled from ${y0} to ${await page.evaluate(() => scrollY)}`);
    const calls = await page.evaluate(() => window.__replaced) - before;
    assert(calls === 0, `${calls} replaceState calls while scrolling inside one section`);
    await context.close();
  });

  test('a deep link marks its own entry active on load, even near the end of the page (Slate #1440)', async (b) => {
    const cases = [[`${ctx.sample}/index.html`, 'delete-a-specific-kitten'], [`${ctx.sample}/index.html`, 'kittens'],
      [`${ctx.site('neoway')}/index.html`, null], [`${ctx.site('andolatam')}/index.html`, null],
      [`${ctx.site('e2e-images')}/index.html`, 'second-subsection'], [`${ctx.site('e2e-images')}/index.html`, 'after-the-image']];
    let atEnd = 0;
    for (const [url, idOrNull] of cases) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      let id = idOrNull;
      if (!id) {
        // the second to last entry: on load, the end of the page is in view
        await page.goto(url);
        const all = await entries(page);
        id = all[all.length - 2].id;
      }
      await page.goto(`${url}#${encodeURIComponent(id)}`);
      await frames(page);
      atEnd += await page.evaluate(() => innerHeight + pageYOffset >= document.documentElement.scrollHeight - 2);
      const s = await tocState(page);
      assert(s.active.join() === `#${id}`, `${url}#${id}: active ${s.active}`);
      assert(s.hash === `#${id}`, `${url}#${id}: the hash became ${s.hash}`);
      const top = await page.$eval(`[id="${id}"]`, (e) => e.getBoundingClientRect().top);
      assert(top >= -1 && top < 900, `${url}#${id}: heading not in view (top ${top})`);
      assert(s.title.startsWith(await page.$eval(`#toc a[href="#${id}"]`, (a) => a.dataset.title)), `title ${s.title}`);
      await context.close();
    }
    assert(atEnd >= 1, `only ${atEnd} deep links had the end of the page in view (the #1440 case)`);
  });

  test('clicking a TOC entry scrolls to its heading and marks it active', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    // (an h2 entry is visible once its section is the current one)
    for (const id of ['kittens', 'get-a-specific-kitten', 'authentication', 'errors']) {
      await page.click(`#toc a[href="#${id}"]`);
      await waitFor(page, (id) => document.querySelector('#toc .toc-link.active')?.getAttribute('href') === `#${id}`, id, `#${id} active after its click`,
        { state: () => document.querySelector('#toc .toc-link.active')?.getAttribute('href') });
      const top = await page.$eval(`#${id}`, (e) => e.getBoundingClientRect().top);
      assert(Math.abs(top) <= 1 || id === 'errors', `#${id} at ${top}px after its click`);
    }
    // a short section at the end of the page: the page cannot scroll it to the top
    await page.goto(`${ctx.site('e2e-images')}/index.html`);
    await page.click('#toc a[href="#after-the-image"]');
    await page.click('#toc a[href="#second-subsection"]');
    await frames(page);
    const s = await tocState(page);
    assert(s.active.join() === '#second-subsection' && s.hash === '#second-subsection', `after a click on a short last section: ${JSON.stringify(s)}`);
    await context.close();
  });

  test('the sidebar scrolls to keep the active entry visible', async (b) => {
    for (const [url, height] of [[`${ctx.site('onetoken')}/index.html`, 400], [`${ctx.site('dialect')}/index.html`, 600]]) {
      const context = await b.newContext({ viewport: { width: 1400, height } });
      await context.route((u) => !u.href.startsWith(ctx.base), (r) => r.abort());
      const page = await context.newPage();
      await page.goto(url);
      assert(await page.$eval('.toc-wrapper', (w) => w.scrollHeight > w.clientHeight + 100), `${url}: the TOC is not long enough to test`);
      const inView = () => page.evaluate(() => {
        const w = document.querySelector('.toc-wrapper').getBoundingClientRect();
        const r = document.querySelector('#toc .toc-link.active').getBoundingClientRect();
        return r.top >= w.top && r.bottom <= w.bottom;
      });
      const all = await entries(page);
      // the last entry whose heading can be scrolled to the top of the viewport
      const reach = await page.evaluate((ids) => ids.filter((id) => document.getElementById(id).getBoundingClientRect().top + window.pageYOffset
        + innerHeight < document.documentElement.scrollHeight - 20), all.map((e) => e.id));
      const late = all.filter((e) => reach.includes(e.id)).pop();
      for (const e of [late, all[Math.floor(all.length / 2)], all[0]]) {
        await scrollToId(page, e.id);
        await waitFor(page, (href) => document.querySelector('#toc .toc-link.active')?.getAttribute('href') === href, e.href, `${url}: ${e.href} active`);
        await frames(page, 2);
        assert(await inView(), `${url}: active entry ${e.href} outside the visible part of the sidebar`);
      }
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await waitFor(page, (href) => document.querySelector('#toc .toc-link.active')?.getAttribute('href') === href, all[all.length - 1].href, `${url}: the last entry is active at the end of the page`);
      await frames(page, 2);
      assert(await inView(), `${url}: last entry outside the visible part of the sidebar`);
      await context.close();
    }
  });

  test('offsets are recomputed when a late image has loaded', async (b) => {
    const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
    let release;
    const gate = new Promise((ok) => { release = ok; });
    await context.route('**/images/tall.svg', async (r) => { await gate; await r.continue(); });
    const page = await context.newPage();
    await page.goto(`${ctx.site('e2e-images')}/index.html`, { waitUntil: 'domcontentloaded' });
    await frames(page);
    const before = await page.$eval('#first-subsection', (e) => e.getBoundingClientRect().top + window.pageYOffset);
    release();
    await page.waitForFunction(() => document.querySelector('.content img').complete && document.querySelector('.content img').naturalHeight > 0);
    await frames(page);
    const after = await page.$eval('#first-subsection', (e) => e.getBoundingClientRect().top + window.pageYOffset);
    assert(after - before > 1000, `the image did not push the headings down (${before} → ${after})`);
    const base = 'Late images';
    for (const id of ['after-the-image', 'first-subsection', 'top']) {
      const e = (await entries(page)).find((x) => x.id === id);
      await expectActive(page, e, base, 'e2e-images');
    }
    await context.close();
  });

  test('a deep link keeps its heading when a late image above it loads', async (b) => {
    const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
    let release;
    const gate = new Promise((ok) => { release = ok; });
    await context.route('**/images/tall.svg', async (r) => { await gate; await r.continue(); });
    const page = await context.newPage();
    await page.goto(`${ctx.site('e2e-images')}/index.html#first-subsection`, { waitUntil: 'domcontentloaded' });
    await frames(page);
    const top = () => page.$eval('#first-subsection', (e) => Math.round(e.getBoundingClientRect().top));
    const before = await top();
    assert(before >= -2 && before < 50, `the deep link did not scroll to its heading (top ${before})`);
    release();
    await page.waitForFunction(() => document.querySelector('.content img').complete && document.querySelector('.content img').naturalHeight > 0);
    await frames(page, 6);
    const after = await top();
    const state = await page.evaluate(() => ({ hash: location.hash, active: document.querySelector('#toc a.active')?.getAttribute('href') }));
    assert(after >= -2 && after < 50, `the image pushed the deep-linked heading away (top ${before} → ${after})`);
    assert(state.hash === '#first-subsection', `the hash changed to ${state.hash}`);
    assert(state.active === '#first-subsection', `the active TOC entry is ${state.active}`);
    await context.close();
  });

  test('offsets are recomputed on resize and after a language change', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('andolatam')}/index.html`);
    const base = await page.evaluate(() => document.title.split(' \u2013 ').pop());
    const all = await entries(page);
    const some = [all[3], all[Math.floor(all.length / 2)], all[all.length - 4]];
    await page.setViewportSize({ width: 1000, height: 700 });
    for (const e of some) await expectActive(page, e, base, 'andolatam at 1000px');
    await page.setViewportSize({ width: 1600, height: 900 });
    for (const e of some.reverse()) await expectActive(page, e, base, 'andolatam at 1600px');
    for (const lang of ['go', 'php']) {
      await page.click(`.dark-box .lang-selector a[data-language-name="${lang}"]`);
      for (const e of some.reverse()) await expectActive(page, e, base, `andolatam under ${lang}`);
    }
    await context.close();
  });
}
