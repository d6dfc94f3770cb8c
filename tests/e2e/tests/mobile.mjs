// Slate's breakpoints: ≤ 930 px the TOC goes off-canvas behind the menu button, ≤ 700 px
// one column; no sideways scrolling on phones; the menu opens, closes on a TOC link,
// a tap on the page and Escape.
import { assert, openPage, waitFor, tabRuleViolations, frames, languages } from '../lib.mjs';

const PHONE = { width: 375, height: 667 };

const geometry = (page) => page.evaluate(() => {
  const rect = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().toJSON() : null; };
  const visible = (sel) => { const e = document.querySelector(sel); return !!e && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'; };
  return {
    toc: rect('.toc-wrapper'), tocVisible: visible('.toc-wrapper'), button: visible('#nav-button'),
    prose: rect('.content > p'), code: rect('.content pre.highlight'), content: rect('.content'),
    darkBox: visible('.dark-box'), codeBar: visible('.dark-box .lang-selector'), tocBar: visible('.toc-wrapper .lang-selector'),
  };
});

/** Whether the TOC is off-canvas (out of view and not focusable). */
const offCanvas = (g) => g.toc.right <= 0 && !g.tocVisible;

const pages = (ctx) => [`${ctx.sample}/index.html`, `${ctx.site('dialect')}/index.html`, `${ctx.site('andolatam')}/index.html`,
  `${ctx.site('onetoken')}/index.html`, `${ctx.site('neoway')}/index.html`, `${ctx.site('neoway')}/pt/index.html`,
  `${ctx.site('e2e-keys')}/index.html`];

export default function (test, ctx) {
  test('breakpoints: 931 px three columns, 930 px TOC off-canvas with a menu button, 700 px one column', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`, { viewport: { width: 931, height: 800 } });
    let g = await geometry(page);
    assert(g.toc.left === 0 && g.tocVisible && !g.button, `931 px: ${JSON.stringify(g)}`);
    await page.setViewportSize({ width: 930, height: 800 });
    await page.waitForTimeout(400); // the slide-out transition
    g = await geometry(page);
    assert(offCanvas(g) && g.button, `930 px: TOC ${JSON.stringify(g.toc)}, button ${g.button}`);
    assert(g.content.left === 0 && g.code.left >= g.prose.right - 1 && g.darkBox && g.codeBar, `930 px: prose and code side by side: ${JSON.stringify(g)}`);
    await page.setViewportSize({ width: 701, height: 800 });
    g = await geometry(page);
    assert(g.code.left >= g.prose.right - 1, `701 px: still two columns: ${JSON.stringify(g)}`);
    await page.setViewportSize({ width: 700, height: 800 });
    g = await geometry(page);
    assert(!g.darkBox && !g.codeBar && g.code.left < g.prose.right && Math.abs(g.code.width - g.content.width) <= 1,
      `700 px: one column, code full width, no code column: ${JSON.stringify(g)}`);
    assert(g.prose.width >= g.content.width - 60, `700 px: prose uses the width: ${JSON.stringify(g)}`);
    await context.close();
  });

  test('phone width: no sideways scrolling on any page', async (b) => {
    for (const url of pages(ctx)) {
      const context = await b.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      await context.route((u) => !u.href.startsWith(ctx.base), (r) => r.abort());
      const page = await context.newPage();
      await page.goto(url);
      const w = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, inner: innerWidth,
        wide: [...document.querySelectorAll('.content *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1
          && !e.closest('pre, table')).slice(0, 3).map((e) => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 40)}`),
      }));
      assert(w.scroll <= w.inner, `${url}: scrollWidth ${w.scroll} > ${w.inner}: ${w.wide.join(' | ')}`);
      const g = await geometry(page);
      assert(offCanvas(g) && g.button, `${url}: TOC on screen at ${PHONE.width} px`);
      await context.close();
    }
  });

  test('the menu button opens the TOC; choosing an entry closes it and goes there', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`, { viewport: PHONE });
    await page.click('#nav-button');
    await waitFor(page, () => document.querySelector('.toc-wrapper').getBoundingClientRect().left === 0, null, 'the TOC did not slide in');
    let g = await geometry(page);
    assert(g.tocVisible && await page.getAttribute('#nav-button', 'aria-expanded') === 'true', `open: ${JSON.stringify(g.toc)}`);
    assert(g.tocBar, 'the language bar is in the menu on phones');
    await page.click('#toc a[href="#kittens"]');
    await waitFor(page, () => !document.querySelector('.toc-wrapper').classList.contains('open'), null, 'the menu stayed open after a TOC link');
    await page.waitForTimeout(400);
    g = await geometry(page);
    assert(offCanvas(g) && await page.getAttribute('#nav-button', 'aria-expanded') === 'false', `closed: ${JSON.stringify(g.toc)}`);
    const top = await page.$eval('#kittens', (e) => e.getBoundingClientRect().top);
    assert(Math.abs(top) <= 1 && new URL(page.url()).hash === '#kittens', `#kittens at ${top}px, URL ${page.url()}`);
    // a tap on the page closes it too
    await page.click('#nav-button');
    await waitFor(page, () => document.querySelector('.toc-wrapper').classList.contains('open'), null, 'reopen');
    await page.waitForTimeout(400);
    await page.mouse.click(340, 400);
    await waitFor(page, () => !document.querySelector('.toc-wrapper').classList.contains('open'), null, 'a tap on the page left the menu open');
    await context.close();
  });

  test('keyboard on a phone: the menu button, Escape closes the menu and returns the focus', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`, { viewport: PHONE });
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.activeElement.id) === 'nav-button', 'second Tab: the menu button');
    const ring = await page.$eval('#nav-button span', (s) => getComputedStyle(s).outlineStyle);
    assert(ring !== 'none', 'the focused menu button shows no focus ring');
    await page.keyboard.press('Enter');
    await waitFor(page, () => document.querySelector('.toc-wrapper').classList.contains('open'), null, 'Enter did not open the menu');
    await page.waitForTimeout(400);
    await page.keyboard.press('Tab');
    const inMenu = await page.evaluate(() => !!document.activeElement.closest('.toc-wrapper'));
    assert(inMenu, 'Tab after opening the menu goes into it');
    await page.keyboard.press('Escape');
    await waitFor(page, () => !document.querySelector('.toc-wrapper').classList.contains('open'), null, 'Escape did not close the menu');
    assert(await page.evaluate(() => document.activeElement.id) === 'nav-button', 'the focus went back to the menu button');
    await page.waitForTimeout(400);
    // closed, its links are out of the Tab order
    await page.keyboard.press('Tab');
    assert(!(await page.evaluate(() => !!document.activeElement.closest('.toc-wrapper'))), 'Tab went into the closed menu');
    await context.close();
  });

  test('phone: the language bar in the menu switches the code', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('dialect')}/index.html`, { viewport: PHONE });
    await page.click('#nav-button');
    await page.waitForTimeout(400);
    await page.click('.toc-wrapper .lang-selector a[data-language-name="ruby"]');
    await frames(page);
    const bad = await tabRuleViolations(page, 'ruby');
    assert(bad.length === 0, bad.join('; '));
    assert(new URL(page.url()).search === '?ruby', `URL ${page.url()}`);
    await context.close();
  });

  test('phone (390 px): the menu\'s language bar wraps its six tabs as Slate does: each whole on screen and clickable', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('andolatam')}/index.html`, { viewport: { width: 390, height: 844 } });
    await page.click('#nav-button');
    await waitFor(page, () => document.querySelector('.toc-wrapper').getBoundingClientRect().left === 0, null, 'the menu did not open');
    const langs = await languages(page);
    assert(langs.length === 6, `andolatam has ${langs.length} tabs`);
    const tabs = () => page.$$eval('.toc-wrapper .lang-selector a', (as) => {
      const bar = as[0].parentElement, b = bar.getBoundingClientRect(), menu = document.querySelector('.toc-wrapper').getBoundingClientRect();
      return { sideways: bar.scrollWidth - bar.clientWidth, tabs: as.map((a) => {
        const r = a.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        return { key: a.dataset.languageName, x, y, whole: r.width > 0 && r.left >= Math.max(b.left, menu.left) - 0.5 && r.right <= Math.min(b.right, menu.right, innerWidth) + 0.5 && r.top >= 0 && r.bottom <= innerHeight,
          hit: document.elementFromPoint(x, y) === a };
      }) };
    });
    const t = await tabs();
    assert(t.sideways <= 0, `the bar scrolls sideways by ${t.sideways} px`);
    const bad = t.tabs.filter((x) => !x.whole || !x.hit).map((x) => `${x.key}${x.whole ? '' : ' clipped'}${x.hit ? '' : ' covered'}`);
    assert(bad.length === 0, `tabs not whole on screen or not clickable: ${bad.join(', ')}`);
    // each one, clicked where it is drawn, chooses its language
    for (const x of [...t.tabs].reverse()) {
      await page.mouse.click(x.x, x.y);
      await frames(page);
      const now = await page.evaluate(() => document.querySelector('.toc-wrapper .lang-selector a.active')?.dataset.languageName);
      assert(now === x.key, `a tap on ${x.key} chose ${now}`);
      assert((await tabRuleViolations(page, x.key)).length === 0, `${x.key}: its code is shown`);
    }
    await context.close();
  });
}
