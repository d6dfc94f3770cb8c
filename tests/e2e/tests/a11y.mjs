// Accessibility: landmarks, the skip link, visible focus, and axe-core (no serious or
// critical violation on the sample; a report on the other pages, where only the
// content's own markup may fail).
import path from 'node:path';
import { assert, openPage } from '../lib.mjs';

const AXE = path.join(path.dirname(new URL(import.meta.url).pathname), '../node_modules/axe-core/axe.min.js');

/** Runs axe-core on the page: [{id, impact, help, targets}] of the violations, and the incomplete count. */
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })),
      incomplete: r.incomplete.length,
    };
  });
}

const summary = (vs) => vs.map((v) => `${v.impact} ${v.id} ×${v.targets.length} (${v.targets.slice(0, 2).join(', ')})`).join('; ') || 'none';
const serious = (vs) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

export default function (test, ctx) {
  test('landmarks: one nav with a name, one main; the lang attribute is set', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const r = await page.evaluate(() => ({
      nav: [...document.querySelectorAll('nav, [role=navigation]')].map((n) => n.getAttribute('aria-label')),
      main: document.querySelectorAll('main, [role=main]').length,
      lang: document.documentElement.lang,
      tocInNav: !!document.querySelector('nav #toc'),
    }));
    assert(r.nav.length === 1 && r.nav[0] && r.tocInNav, `nav: ${JSON.stringify(r)}`);
    assert(r.main === 1 && r.lang, `main/lang: ${JSON.stringify(r)}`);
    await context.close();
  });

  test('the skip link is the first Tab stop, shows on focus and moves the focus to the content', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const hidden = await page.$eval('.skip-link', (a) => a.getBoundingClientRect().bottom <= 0);
    assert(hidden, 'the skip link is visible before it has the focus');
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => ({ cls: document.activeElement.className, rect: document.activeElement.getBoundingClientRect().toJSON(), outline: getComputedStyle(document.activeElement).outlineStyle }));
    assert(r.cls === 'skip-link' && r.rect.top >= 0 && r.rect.height > 10, `first Tab: ${JSON.stringify(r)}`);
    await page.keyboard.press('Enter');
    assert(await page.evaluate(() => document.activeElement.id) === 'shale-main', 'Enter on the skip link focuses main');
    // the next Tab goes to the first link of the content, not back to the TOC
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => !!document.activeElement.closest('.content')), 'Tab after the skip link stays in the content');
    await context.close();
  });

  test('every focusable control shows a visible focus ring with the keyboard', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const seen = new Set();
    const bad = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const key = e.className || e.id || e.tagName;
        const s = getComputedStyle(e);
        const span = e.id === 'nav-button' ? getComputedStyle(e.firstElementChild) : null;
        const ring = (x) => x && x.outlineStyle !== 'none' && parseFloat(x.outlineWidth) >= 2;
        return { key, ok: ring(s) || ring(span) || s.boxShadow !== 'none', what: `${e.tagName}.${e.className} ${e.textContent.trim().slice(0, 20)}` };
      });
      if (!f) break;
      if (!f.ok) bad.push(f.what);
      seen.add(f.key);
    }
    assert(bad.length === 0, `no focus ring on: ${[...new Set(bad)].join(', ')}`);
    for (const k of ['skip-link', 'toc-h1 toc-link', 'copy-clipboard']) assert([...seen].some((s) => s.startsWith(k)), `${k} never focused (${[...seen].join(', ')})`);
    await context.close();
  });

  test('axe-core: no serious or critical violation on the sample, on desktop, on a phone with the menu open, and in another tab', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html?python`);
    const desk = await axe(page);
    console.log(`  # axe sample (desktop): ${summary(desk.violations)}; ${desk.incomplete} to review by hand`);
    assert(serious(desk.violations).length === 0, `sample: ${summary(serious(desk.violations))}`);
    await page.setViewportSize({ width: 375, height: 667 });
    await page.click('#nav-button');
    await page.waitForTimeout(400);
    const phone = await axe(page);
    console.log(`  # axe sample (phone, menu open): ${summary(phone.violations)}`);
    assert(serious(phone.violations).length === 0, `sample on a phone: ${summary(serious(phone.violations))}`);
    await context.close();
  });

  test('axe-core in the dark mode: no serious or critical violation (contrast included) on the sample and the themed fixture, desktop and phone', async (b) => {
    for (const url of [`${ctx.sample}/index.html`, `${ctx.site('e2e-theme')}/index.html`]) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
      const page = await context.newPage();
      await page.goto(url);
      assert(await page.evaluate(() => document.documentElement.dataset.theme) === 'dark', `${url}: not dark`);
      const desk = await axe(page);
      console.log(`  # axe dark ${url.slice(ctx.base.length + 1)} (desktop): ${summary(desk.violations)}`);
      assert(serious(desk.violations).length === 0, `${url} dark: ${summary(serious(desk.violations))}`);
      await page.setViewportSize({ width: 375, height: 667 });
      await page.click('#nav-button');
      await page.waitForTimeout(400);
      const phone = await axe(page);
      assert(serious(phone.violations).length === 0, `${url} dark, phone: ${summary(serious(phone.violations))}`);
      await context.close();
    }
  });

  test('axe-core report on the corpus pages and fixtures (the theme must not fail; content markup is reported)', async (b) => {
    const urls = [`${ctx.site('dialect')}/index.html`, `${ctx.site('andolatam')}/index.html`, `${ctx.site('onetoken')}/index.html`,
      `${ctx.site('neoway')}/pt/index.html`, `${ctx.site('i18n')}/pt/index.html`];
    const theme = [];
    for (const url of urls) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      await context.route((u) => !u.href.startsWith(ctx.base), (r) => r.abort());
      const page = await context.newPage();
      await page.goto(url);
      if (url.includes('andolatam')) await page.setViewportSize({ width: 375, height: 667 }); // more code overflows
      const r = await axe(page);
      console.log(`  # axe ${url.slice(ctx.base.length + 1)}: ${summary(r.violations)}`);
      // what the author wrote sits in .content; everything else, code blocks included, is the theme's
      const inContent = await page.evaluate((ts) => ts.map((t) => {
        try { const e = document.querySelector(t); return !!e?.closest('.content') && !e.closest('pre.highlight'); } catch (e) { return false; }
      }),
        serious(r.violations).flatMap((v) => v.targets));
      let i = 0;
      for (const v of serious(r.violations)) {
        // the theme makes wide code and tables scroll
        for (const t of v.targets) if (!inContent[i++] || v.id === 'scrollable-region-focusable') theme.push(`${url}: ${v.id} ${t}`);
      }
      await context.close();
    }
    assert(theme.length === 0, `serious violations outside the content: ${theme.join('; ')}`);
  });
}
