// Language tabs: which code shows under which tab, where the choice comes from (URL,
// localStorage, first tab), the URL and history after a click, special keys, keeping
// the reader's place, and the keyboard.
import { assert, openPage, languages, tabRuleViolations, activeTabs, frames, scrollToId, waitFor, median } from '../lib.mjs';

const bar = '.dark-box .lang-selector';
const tab = (key) => `${bar} a[data-language-name="${key.replace(/["\\]/g, '\\$&')}"]`;

/** Clicks every tab of the page in turn and checks Slate's visibility rule under each. */
async function everyTab(page, where) {
  const langs = await languages(page);
  assert(langs.length, `${where}: no language tabs`);
  for (const lang of langs) {
    await page.click(tab(lang));
    const bad = await tabRuleViolations(page, lang);
    assert(bad.length === 0, `${where}: ${bad.join('; ')}`);
    const { active, selected } = await activeTabs(page);
    assert(active.join() === lang && selected.join() === lang, `${where}: active tab ${active} (aria-selected ${selected}), want ${lang}`);
  }
  return langs;
}

const current = async (page) => (await activeTabs(page)).active.join();

/** Records, in the page, every change of `style` or `class` on a code block or a
 * `.lang-specific` element, and of html[data-language]: `window.__writes`. */
const recordWrites = (page) => page.evaluate(() => {
  window.__writes = { blocks: [], root: 0 };
  new MutationObserver((rs) => {
    for (const r of rs) {
      if (r.target === document.documentElement) { if (r.attributeName === 'data-language') window.__writes.root++; }
      else if (r.target.matches('pre, pre *, .highlight, .lang-specific')) window.__writes.blocks.push(`${r.target.tagName}.${r.target.className} ${r.attributeName}`);
    }
  }).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['style', 'class', 'hidden', 'data-language'] });
});

/** In a new context where shale.js never arrives: the page as the layout alone draws it,
 * with what the first animation frame (before the first paint) found. */
async function withoutShaleJs(b, url, saved) {
  const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route(/shale\.js$/, (r) => r.abort());
  if (saved) await context.addInitScript((v) => localStorage.setItem('language', v), saved);
  await context.addInitScript(() => requestAnimationFrame(() => {
    const shown = (p) => getComputedStyle(p).display !== 'none';
    window.__first = { lang: document.documentElement.dataset.language, body: !!document.body,
      pres: [...document.querySelectorAll('.content pre.highlight')].map((p) => [p.className, shown(p)]) };
  }));
  const page = await context.newPage();
  await page.goto(url);
  await frames(page);
  return { page, context, first: await page.evaluate(() => window.__first) };
}

export default function (test, ctx) {
  test('sample: each tab shows its code and keeps blocks of non-tab languages', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const bad = await tabRuleViolations(page, 'shell');
    assert(bad.length === 0, `before any click: ${bad}`);
    await everyTab(page, 'sample');
    // ruby and json are not tabs of the sample: their blocks stay visible under javascript
    const shown = await page.$$eval('.content pre.highlight', (ps) => ps.filter((p) => p.offsetParent).map((p) => p.classList[1]));
    assert(shown.includes('ruby') && shown.includes('json') && shown.includes('javascript') && !shown.includes('shell') && !shown.includes('python'), `visible under javascript: ${shown}`);
    await context.close();
  });

  test('dialect fixture: sh and py follow their tab, js, bash and json show under every tab, .lang-specific switches', async (b) => {
    const { page, context } = await openPage(b, `${ctx.site('dialect')}/index.html`);
    await everyTab(page, 'dialect');
    const visible = (sel) => page.$eval(sel, (e) => getComputedStyle(e).display !== 'none');
    await page.click(tab('ruby'));
    assert(!(await visible('pre.highlight.sh')) && !(await visible('pre.highlight.py')), 'sh and py hidden under ruby');
    assert(await visible('pre.highlight.javascript:not([class*="tab-"])'), '```js shows under ruby');
    assert(await visible('pre.highlight.json'), 'json shows under ruby');
    assert(await visible('.lang-specific.ruby'), '.lang-specific.ruby shows under ruby');
    await page.click(tab('shell'));
    assert(await visible('pre.highlight.sh') && !(await visible('.lang-specific.ruby')), 'sh shows and the ruby note hides under shell');
    await page.click(tab('javascript--node'));
    assert(await visible('pre.highlight.tab-javascript--node') && !(await visible('pre.highlight.tab-ruby')), 'javascript--node tab');
    await context.close();
  });

  test('corpus pages: the rule holds under every tab (onetoken has json as a tab)', async (b) => {
    for (const url of [`${ctx.site('andolatam')}/index.html`, `${ctx.site('onetoken')}/index.html`, `${ctx.site('neoway')}/index.html`, `${ctx.site('neoway')}/pt/index.html`]) {
      const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
      await context.route((u) => !u.href.startsWith(ctx.base), (r) => r.abort());
      const page = await context.newPage();
      await page.goto(url);
      const langs = await everyTab(page, url);
      if (url.includes('onetoken')) {
        await page.click(tab('python'));
        assert(langs.includes('json') && !(await page.$eval('pre.highlight.tab-json', (e) => e.offsetParent)), 'onetoken: json blocks hide under python');
      }
      await context.close();
    }
  });

  test('initial tab: ?KEY, ?language=KEY among other parameters, else localStorage, else the first tab', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    assert(await current(page) === 'shell', `first tab by default, got ${await current(page)}`);
    await page.goto(`${ctx.sample}/index.html?python`);
    assert(await current(page) === 'python', `?python gives ${await current(page)}`);
    assert((await tabRuleViolations(page, 'python')).length === 0, 'python code shown on load');
    assert(await page.evaluate(() => localStorage.getItem('language')) === 'python', 'a language from the URL is saved');
    await page.goto(`${ctx.sample}/index.html?x=1&language=javascript&y=2#kittens`);
    assert(await current(page) === 'javascript', `?x=1&language=javascript&y=2 gives ${await current(page)}`);
    // reload without a language in the URL: the saved choice
    await page.goto(`${ctx.sample}/index.html`);
    assert(await current(page) === 'javascript', `localStorage gives ${await current(page)}`);
    await page.goto(`${ctx.sample}/index.html?language=cobol`);
    assert(await current(page) === 'javascript', `an unknown language falls back to the saved one, got ${await current(page)}`);
    await page.click(tab('python'));
    await page.reload();
    assert(await current(page) === 'python', `a clicked tab survives a reload, got ${await current(page)}`);
    await context.close();
  });

  test('a click pushes ?KEY or sets language= keeping other parameters and the hash', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    const len = await page.evaluate(() => history.length);
    await page.click(tab('python'));
    let u = new URL(page.url());
    assert(u.search === '?python' && !page.url().endsWith('#'), `plain page: ${page.url()}`);
    assert(await page.evaluate(() => history.length) === len + 1, 'a click adds a history entry');
    await page.click(tab('javascript'));
    assert(new URL(page.url()).search === '?javascript', `?python then javascript: ${page.url()}`);

    await page.goto(`${ctx.sample}/index.html?foo=1&bar=a%20b#get-a-specific-kitten`);
    await frames(page);
    const hash = new URL(page.url()).hash;
    await page.click(tab('shell'));
    u = new URL(page.url());
    assert(u.search === '?foo=1&bar=a%20b&language=shell', `other parameters kept: ${u.search}`);
    assert(u.hash === hash && hash === '#get-a-specific-kitten', `hash kept: ${u.hash}, was ${hash}`);

    await page.goto(`${ctx.sample}/index.html?language=shell&x=1`);
    await page.click(tab('python'));
    assert(new URL(page.url()).search === '?language=python&x=1', `language= replaced in place: ${page.url()}`);
    await context.close();
  });

  test('back and forward restore the tab', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    await page.click(tab('python'));
    await page.click(tab('javascript'));
    const check = async (want, step) => {
      await waitFor(page, (w) => document.querySelector('.dark-box .lang-selector a.active')?.dataset.languageName === w, want, `${step}: want ${want}`);
      const bad = await tabRuleViolations(page, want);
      assert(bad.length === 0, `${step}: ${bad}`);
    };
    await page.goBack();
    await check('python', 'back');
    await page.goBack();
    await check('shell', 'back to the first page');
    await page.goForward();
    await check('python', 'forward');
    await page.goForward();
    await check('javascript', 'forward again');
    // the language shown after going back is the one the next visit starts with
    await page.goBack();
    await page.goBack();
    await check('shell', 'back twice');
    await page.goto(`${ctx.sample}/index.html`);
    assert(await current(page) === 'shell', `a new visit after going back shows ${await current(page)}`);
    await context.close();
  });

  test('tab keys with +, . and # switch, round-trip through the URL and survive a reload', async (b) => {
    const { page, context, errors } = await openPage(b, `${ctx.site('e2e-keys')}/index.html`);
    const langs = await everyTab(page, 'e2e-keys');
    assert(langs.join() === 'cpp--c++,csharp--c#,objective.c,shell', `keys ${langs}`);
    for (const key of langs) {
      await page.click(tab(key));
      const u = new URL(page.url());
      assert(u.search === `?${encodeURIComponent(key)}`, `URL after ${key}: ${u.search}`);
      await page.reload();
      assert(await current(page) === key, `reload of ${u.search} gives ${await current(page)}`);
    }
    for (const [query, key] of [['?cpp--c++', 'cpp--c++'], ['?language=csharp--c%23', 'csharp--c#'], ['?a=1&language=cpp--c%2B%2B', 'cpp--c++'], ['?objective.c', 'objective.c']]) {
      await page.evaluate(() => localStorage.clear());
      await page.goto(`${ctx.site('e2e-keys')}/index.html${query}`);
      assert(await current(page) === key, `${query} gives ${await current(page)}, want ${key}`);
      assert((await tabRuleViolations(page, key)).length === 0, `${query}: code of ${key} shown`);
    }
    assert(errors.length === 0, `console errors: ${errors}`);
    await context.close();
  });

  test('the reader stays at the same heading when the code column changes height', async (b) => {
    for (const [site, id] of [[ctx.sample, 'delete-a-specific-kitten'], [ctx.site('andolatam'), null]]) {
      const { page, context } = await openPage(b, `${site}/index.html`);
      // a heading in the lower half of the page
      const target = id || await page.evaluate(() => { const hs = [...document.querySelectorAll('.content h2[id]')]; return hs[Math.floor(hs.length * 0.6)].id; });
      await scrollToId(page, target, 120);
      await frames(page);
      const before = await page.evaluate(() => document.querySelector('#toc .toc-link.active')?.getAttribute('href'));
      const y0 = await page.evaluate(() => window.pageYOffset);
      let moved = false;
      for (const lang of [...(await languages(page)).slice(1), (await languages(page))[0]]) {
        await page.click(tab(lang));
        await frames(page);
        const top = await page.$eval(`[id="${target}"]`, (e) => e.getBoundingClientRect().top);
        assert(Math.abs(top - 120) <= 2, `${site} under ${lang}: #${target} moved to ${top}px from 120px`);
        if (Math.abs(await page.evaluate(() => window.pageYOffset) - y0) > 20) moved = true;
        const active = await page.evaluate(() => document.querySelector('#toc .toc-link.active')?.getAttribute('href'));
        assert(active === before, `${site} under ${lang}: active TOC entry ${active}, was ${before}`);
      }
      assert(moved, `${site}: the code above #${target} never changed height (the test proves nothing)`);
      await context.close();
    }
  });

  test('keyboard: Tab reaches the tabs, arrows, Home, End, Enter and Space switch them', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    // Tab through the page until a language tab has the focus
    let found = false;
    for (let i = 0; i < 400 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => !!document.activeElement.closest('.lang-selector'));
    }
    assert(found, 'no language tab reached with Tab');
    const focused = () => page.evaluate(() => document.activeElement.dataset.languageName);
    assert(await focused() === 'shell', `Tab lands on the selected tab, got ${await focused()}`);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== 'none', 'the focused tab shows a focus ring');
    await page.keyboard.press('ArrowRight');
    assert(await focused() === 'python' && await current(page) === 'python', `ArrowRight: focus ${await focused()}, active ${await current(page)}`);
    assert((await tabRuleViolations(page, 'python')).length === 0, 'ArrowRight shows python code');
    await page.keyboard.press('End');
    assert(await current(page) === 'javascript', `End: ${await current(page)}`);
    await page.keyboard.press('ArrowRight');
    assert(await current(page) === 'shell', `ArrowRight wraps to the first tab: ${await current(page)}`);
    await page.keyboard.press('ArrowLeft');
    assert(await current(page) === 'javascript', `ArrowLeft wraps to the last tab: ${await current(page)}`);
    await page.keyboard.press('Home');
    assert(await current(page) === 'shell', `Home: ${await current(page)}`);
    // only the selected tab is in the Tab order (roving tabindex)
    const order = await page.$$eval(`${bar} a`, (as) => as.map((a) => a.tabIndex));
    assert(order.join() === '0,-1,-1', `tabindex ${order}`);
    await page.focus(tab('python'));
    await page.keyboard.press('Enter');
    assert(await current(page) === 'python', `Enter: ${await current(page)}`);
    await page.focus(tab('javascript'));
    await page.keyboard.press(' ');
    assert(await current(page) === 'javascript', `Space: ${await current(page)}`);
    assert(new URL(page.url()).search === '?javascript', `keyboard choice in the URL: ${page.url()}`);
    await context.close();
  });

  test('the first paint already shows the chosen tab\'s code: no flash of the others, even before shale.js runs', async (b) => {
    const cases = [[`${ctx.sample}/index.html`, null, 'shell'], [`${ctx.sample}/index.html?python`, null, 'python'],
      [`${ctx.sample}/index.html?x=1&language=javascript#kittens`, null, 'javascript'], [`${ctx.sample}/index.html`, 'python', 'python'],
      [`${ctx.sample}/index.html?language=cobol`, 'javascript', 'javascript'], [`${ctx.site('e2e-keys')}/index.html?language=csharp--c%23`, null, 'csharp--c#'],
      [`${ctx.site('e2e-keys')}/index.html?objective.c`, null, 'objective.c'], [`${ctx.site('e2e-keys')}/index.html`, 'cpp--c++', 'cpp--c++'],
      [`${ctx.site('dialect')}/index.html?ruby`, null, 'ruby']];
    let seenInFirstFrame = 0;
    for (const [url, saved, want] of cases) {
      const { page, context, first } = await withoutShaleJs(b, url, saved);
      const where = `${url}${saved ? ` (saved ${saved})` : ''}`;
      assert(first && first.lang === want, `${where}: the first frame has html[data-language] ${first && first.lang}, want ${want}`);
      // what the first frame found of the content follows Slate's rule already
      const langs = await languages(page);
      for (const [cls, shown] of first.pres) {
        const keys = langs.filter((l) => cls.split(' ').includes(`tab-${l}`));
        assert(shown === (!keys.length || keys.includes(want)), `${where}: first frame: pre.${cls} ${shown ? 'shown' : 'hidden'} under ${want}`);
      }
      seenInFirstFrame += first.pres.length;
      // and the whole page, with no script but the layout's
      const bad = await tabRuleViolations(page, want);
      assert(bad.length === 0, `${where} without shale.js: ${bad.join('; ')}`);
      await context.close();
    }
    assert(seenInFirstFrame > 0, 'no code block was in any first frame: the test proves nothing');
  });

  test('a switch changes html[data-language] only: no style or class written on a code block', async (b) => {
    for (const [site, keys] of [['sample', ['python', 'javascript', 'shell']], ['e2e-keys', ['csharp--c#', 'objective.c', 'cpp--c++']], ['dialect', ['ruby', 'javascript--node', 'shell']]]) {
      const { page, context } = await openPage(b, `${ctx.site(site)}/index.html`);
      await recordWrites(page);
      for (const key of keys) {
        await page.click(tab(key));
        await frames(page);
        assert((await tabRuleViolations(page, key)).length === 0, `${site}: ${key} shown`);
      }
      await page.goBack();
      await waitFor(page, (k) => document.documentElement.dataset.language === k, keys[1], `${site}: back to ${keys[1]}`);
      const w = await page.evaluate(() => window.__writes);
      assert(w.blocks.length === 0, `${site}: ${w.blocks.length} writes on code blocks: ${w.blocks.slice(0, 3).join(', ')}`);
      assert(w.root === keys.length + 1, `${site}: html[data-language] changed ${w.root} times for ${keys.length + 1} switches`);
      await context.close();
    }
  });

  test('10 MB page: the first paint comes before the page is loaded; a switch is one attribute (figures)', async (b) => {
    const context = await b.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${ctx.site('big')}/index.html`, { waitUntil: 'load', timeout: 300000 });
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0], fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { fcp: fcp ? fcp.startTime : NaN, dcl: n.domContentLoadedEventStart, load: n.loadEventStart };
    });
    // the reader in the middle of the page; each switch by a real click, timed by the
    // browser from the click to the next paint (Event Timing)
    await page.evaluate(() => {
      const hs = document.querySelectorAll('.content h2');
      hs[hs.length >> 1].scrollIntoView();
      window.__clicks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'click') window.__clicks.push(e.duration); }).observe({ type: 'event', durationThreshold: 16 });
    });
    await page.waitForTimeout(500);
    await recordWrites(page);
    const keys = ['python', 'javascript', 'shell', 'python', 'javascript', 'shell', 'python'];
    for (const key of keys) {
      await page.click(tab(key), { timeout: 60000 });
      await waitFor(page, (k) => document.documentElement.dataset.language === k, key, `switch to ${key}`, { timeout: 60000 });
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok))));
      await page.waitForTimeout(300);
    }
    const ms = await page.evaluate(() => window.__clicks);
    const w = await page.evaluate(() => window.__writes);
    const f = (v) => `${Math.round(v)} ms`;
    console.log(`    10 MB page: first contentful paint ${f(t.fcp)}, DOMContentLoaded ${f(t.dcl)}, load ${f(t.load)} (first paint at ${(t.fcp / t.load).toFixed(2)} of the load); ` +
      `tab switch click-to-paint median ${ms.length ? f(median(ms)) : '< 16 ms'} (${ms.map(Math.round).join(', ')} ms; ${keys.length - ms.length} under 16 ms)`);
    assert(w.blocks.length === 0 && w.root === keys.length, `writes: ${w.blocks.length} on code blocks, ${w.root} on html for ${keys.length} switches`);
    assert((await tabRuleViolations(page, 'python')).length === 0, 'python shown at the end');
    assert(errors.length === 0, `page errors: ${errors}`);
    await context.close();
  });
}
