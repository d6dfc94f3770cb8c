// Long pages laid out lazily (`lazy_layout`, src/emit/chunks.rs): the body cut into
// `.content > .chunk` elements with `content-visibility: auto`. The cuts must move
// nothing: the same page built with `lazy_layout: true` (sites `lazy-*`) and without
// (the sample and corpus sites) have every element at the same place once all chunks
// are shown. On the 10 MB page (site `big`, cut by `lazy_layout: auto`), links land,
// the TOC follows and a tab switch keeps the reader's place.
import { assert, openPage, tabRuleViolations, frames, waitFor } from '../lib.mjs';

const PAIRS = ['cuts', 'sample', 'andolatam', 'onetoken', 'neoway'];

/** Every box of the content column, in order: tag, id or text, top, left, height. */
const boxes = (page) => page.evaluate(() => {
  const out = [];
  for (const el of document.querySelector('.content').querySelectorAll('h1,h2,h3,h4,h5,h6,p,pre,table,ul,ol,aside,blockquote,dl,hr,img')) {
    const r = el.getBoundingClientRect();
    if (!r.height && !r.width) continue;
    out.push({ what: `${el.tagName.toLowerCase()} ${el.id || (el.textContent || '').trim().slice(0, 30)}`, top: r.top + scrollY, left: r.left, height: r.height });
  }
  return { out, height: document.documentElement.scrollHeight };
});

async function layout(b, url, width, showAll) {
  // images from other hosts fail at once in both (the tests have no network)
  const context = await b.newContext({ viewport: { width, height: 900 } });
  await context.route((u) => u.origin !== new URL(url).origin, (r) => r.abort());
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  if (showAll) await page.addStyleTag({ content: '.content > .chunk { content-visibility: visible !important; }' });
  // images in chunks off screen load once shown
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10000 });
  await frames(page);
  const chunks = await page.evaluate(() => document.querySelectorAll('.content > .chunk').length);
  // broken images get their alt text's box a moment after their error: measure until
  // two readings agree
  let got = await boxes(page);
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const again = await boxes(page);
    if (JSON.stringify(again) === JSON.stringify(got)) break;
    got = again;
  }
  await page.context().close();
  return { chunks, ...got };
}

export default function (test, ctx) {
  test('lazy_layout: true cuts the page into chunks and moves nothing (every element below a heading, sample, corpus; 1400/930/390 px)', async (b) => {
    for (const name of PAIRS) {
      for (const width of [1400, 930, 390]) {
        const plain = await layout(b, `${ctx.site(name)}/index.html`, width, false);
        const lazy = await layout(b, `${ctx.site('lazy-' + name)}/index.html`, width, true);
        const where = `${name} at ${width} px`;
        assert(plain.chunks === 0, `${where}: the page without lazy_layout has ${plain.chunks} chunks`);
        assert(lazy.chunks >= 2, `${where}: ${lazy.chunks} chunks with lazy_layout: true`);
        const first = plain.out.findIndex((p, i) => !lazy.out[i] || p.what !== lazy.out[i].what);
        assert(plain.out.length === lazy.out.length && first < 0,
          `${where}: ${plain.out.length} boxes, ${lazy.out.length} in chunks; first different: ${JSON.stringify([plain.out[first], lazy.out[first]])}`);
        const moved = plain.out.map((p, i) => [p, lazy.out[i]])
          .filter(([p, l]) => p.what !== l.what || Math.abs(p.top - l.top) > 0.5 || Math.abs(p.left - l.left) > 0.5 || Math.abs(p.height - l.height) > 0.5);
        assert(!moved.length, `${where}: ${moved.length} boxes moved, first ${JSON.stringify(moved[0])}`);
        assert(Math.abs(plain.height - lazy.height) <= 1, `${where}: page height ${plain.height} vs ${lazy.height}`);
      }
    }
  });

  test('10 MB page: laid out in chunks; a link lands, the TOC follows, a switch keeps the reader', async (b) => {
    const { page, errors } = await openPage(b, `${ctx.site('big')}/index.html#get-a-specific-kitten-700`);
    await frames(page, 5);
    const s = await page.evaluate(() => ({
      chunks: document.querySelectorAll('.content > .chunk').length,
      top: document.getElementById('get-a-specific-kitten-700').getBoundingClientRect().top,
      active: (document.querySelector('#toc a.active') || {}).hash,
    }));
    assert(s.chunks > 100, `${s.chunks} chunks`);
    assert(Math.abs(s.top) <= 2, `the linked heading is at ${s.top} px, not at the top`);
    assert(s.active === '#get-a-specific-kitten-700', `the TOC marks ${s.active}`);
    // a switch: the prose at the top stays where it was, the code shown is python's
    await page.evaluate(() => scrollBy(0, 300));
    await frames(page);
    const at = () => page.evaluate(() => {
      const h = document.getElementById('get-a-specific-kitten-700');
      let p = h.nextElementSibling;
      while (p && p.tagName !== 'P') p = p.nextElementSibling;
      return p.getBoundingClientRect().top;
    });
    const before = await at();
    await page.click('.dark-box .lang-selector a[data-language-name="python"]');
    await waitFor(page, () => document.documentElement.dataset.language === 'python', null, 'switch to python');
    await frames(page);
    const after = await at();
    assert(Math.abs(after - before) <= 1, `the prose moved from ${before} to ${after} px on a switch`);
    assert((await tabRuleViolations(page, 'python')).length === 0, 'python shown');
    // the TOC follows a scroll through chunks never shown before
    await page.evaluate(() => document.getElementById('kittens-1200').scrollIntoView());
    await frames(page, 5);
    const active = await page.evaluate(() => (document.querySelector('#toc a.active') || {}).hash);
    assert(active === '#kittens-1200', `after a scroll the TOC marks ${active}`);
    // wide code on screen scrolls by keyboard; no page error
    const wide = await page.evaluate(() => [...document.querySelectorAll('pre.highlight')].filter((p) => {
      const r = p.getBoundingClientRect();
      return r.height && r.bottom > 0 && r.top < innerHeight && (p.scrollWidth > p.clientWidth) !== (p.tabIndex === 0);
    }).length);
    assert(wide === 0, `${wide} code blocks on screen with the wrong tabindex`);
    assert(errors.length === 0, `page errors: ${errors}`);
    await page.context().close();
  });
}
