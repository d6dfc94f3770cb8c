// Multi-language sites (tests/fixtures/i18n): the language switcher in the sidebar,
// by mouse and keyboard, keeping the section; every language from file://.
import path from 'node:path';
import { assert, openPage, frames, waitFor } from '../lib.mjs';

// Does `action` (a click, a key) and waits until the page at a URL matching `re` has loaded.
async function follow(page, re, action) {
  await action();
  for (const end = Date.now() + 10000; ;) {
    const done = re.test(page.url()) && await page.evaluate(() => document.readyState === 'complete').catch(() => false);
    if (done) return;
    assert(Date.now() < end, `no page at ${re} (now ${page.url()})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

const switcher = (page) => page.$$eval('.toc-wrapper nav.locale-switcher a', (as) => as.map((a) => ({
  text: a.textContent, lang: a.getAttribute('hreflang'), current: a.getAttribute('aria-current'),
})));

export default function (test, ctx) {
  const site = ctx.site('i18n');

  test('the switcher lists every language, marks this one, and leads to the same page in another', async (b) => {
    const { page, context, errors } = await openPage(b, `${site}/index.html`);
    const links = await switcher(page);
    assert(JSON.stringify(links.map((l) => l.text)) === JSON.stringify(['English', 'Español (Latinoamérica)', 'Português']), `links ${JSON.stringify(links)}`);
    assert(links.filter((l) => l.current).map((l) => l.lang).join() === 'en', 'English is current');
    assert(await page.$eval('html', (h) => h.lang) === 'en', 'html lang');
    // in the sidebar, under the logo, above the TOC
    const box = await page.$eval('nav.locale-switcher', (n) => n.getBoundingClientRect().toJSON());
    const logo = await page.$eval('.toc-wrapper .logo', (n) => n.getBoundingClientRect().toJSON());
    const toc = await page.$eval('#toc', (n) => n.getBoundingClientRect().toJSON());
    assert(box.left >= 0 && box.right <= 230 && box.height > 10 && box.top >= logo.bottom && box.bottom <= toc.top, `switcher at ${JSON.stringify(box)}`);
    await follow(page, /\/pt\/index\.html$/, () => page.click('nav.locale-switcher a[hreflang="pt"]'));
    assert(await page.$eval('html', (h) => h.lang) === 'pt', 'now Portuguese');
    assert((await page.textContent('.content')).includes('escrita em português'), 'the Portuguese include');
    assert((await switcher(page)).filter((l) => l.current).map((l) => l.lang).join() === 'pt', 'Português is current');
    // the page works there: stylesheets, images, search index of that language
    assert(await page.$eval('.toc-wrapper', (e) => getComputedStyle(e).position) === 'fixed', 'stylesheet from ../');
    const broken = await page.$$eval('img', (is) => is.filter((i) => !i.complete || !i.naturalWidth).map((i) => i.src));
    assert(broken.length === 0, `broken images: ${broken}`);
    await page.fill('#input-search', 'autentica');
    await waitFor(page, () => document.querySelectorAll('.search-results li a').length > 0, null, 'Portuguese search results');
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });

  test('the switcher keeps the section when the other language has it, else opens at the top', async (b) => {
    const { page, context } = await openPage(b, `${site}/index.html#get-kittens`);
    await frames(page);
    await follow(page, /\/es\/index\.html#get-kittens$/, () => page.click('nav.locale-switcher a[hreflang="es"]'));
    await frames(page);
    // at the heading, or as near as the page scrolls
    const at = await page.$eval('#get-kittens', (h) => ({
      y: window.scrollY, want: Math.min(h.getBoundingClientRect().top + window.scrollY, document.documentElement.scrollHeight - window.innerHeight),
    }));
    assert(at.want > 0 && Math.abs(at.y - at.want) < 5, `Spanish page at GET /kittens: ${JSON.stringify(at)}`);
    assert((await page.$eval('#toc .toc-link.active', (a) => a.getAttribute('href'))) === '#get-kittens', 'TOC entry active');
    // `authentication` is `autenticacion` in Spanish: the page opens at the top
    await page.goto(`${site}/index.html#authentication`);
    await frames(page);
    assert(await page.evaluate(() => window.scrollY) > 0, 'the English page scrolled to Authentication');
    await follow(page, /\/es\/index\.html#authentication$/, () => page.click('nav.locale-switcher a[hreflang="es"]'));
    await frames(page);
    assert(await page.evaluate(() => window.scrollY) === 0, 'the Spanish page at its top');
    await context.close();
  });

  test('keyboard: Tab reaches the switcher with a visible focus ring, Enter follows it', async (b) => {
    const { page, context } = await openPage(b, `${site}/pt/index.html`);
    await page.focus('.skip-link');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement, s = getComputedStyle(a);
      return { lang: a.getAttribute('hreflang'), inSwitcher: !!a.closest('.locale-switcher'), outline: s.outlineStyle, width: s.outlineWidth };
    });
    assert(focused.inSwitcher && focused.lang === 'en', `focus after the skip link: ${JSON.stringify(focused)}`);
    assert(focused.outline !== 'none' && focused.width !== '0px', `focus ring ${JSON.stringify(focused)}`);
    await page.keyboard.press('Tab');
    await follow(page, /\/es\/index\.html$/, () => page.keyboard.press('Enter'));
    assert(await page.$eval('html', (h) => h.lang) === 'es', 'Enter opened the Spanish page');
    await context.close();
  });

  test('on a phone the switcher is in the menu', async (b) => {
    const { page, context } = await openPage(b, `${site}/pt/changelog.html`, { viewport: { width: 375, height: 667 } });
    await page.click('#nav-button');
    await page.waitForTimeout(400);
    const box = await page.$eval('nav.locale-switcher', (n) => n.getBoundingClientRect().toJSON());
    assert(box.left >= 0 && box.right <= 375 && box.width > 0, `switcher in the open menu: ${JSON.stringify(box)}`);
    await follow(page, /\/changelog\.html$/, () => page.click('nav.locale-switcher a[hreflang="en"]'));
    assert(new URL(page.url()).pathname.endsWith('/i18n/changelog.html'), page.url());
    assert((await page.textContent('.content')).includes('untranslated'), 'the English changelog');
    assert(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'nothing scrolls sideways');
    await context.close();
  });

  test('every language works from file:// and the switcher moves between them', async (b) => {
    const url = `file://${path.join(ctx.dir('i18n'), 'pt', 'index.html')}`;
    const { page, context, errors } = await openPage(b, url, { allowedBase: 'file://' });
    assert(await page.$eval('.toc-wrapper', (e) => getComputedStyle(e).position) === 'fixed', 'stylesheet');
    const broken = await page.$$eval('img', (is) => is.filter((i) => !i.complete || !i.naturalWidth).map((i) => i.src));
    assert(broken.length === 0, `broken images: ${broken}`);
    await page.click('.dark-box .lang-selector a[data-language-name="ruby"]');
    assert(await page.$eval('.content pre.tab-shell', (p) => getComputedStyle(p).display) === 'none', 'tabs work');
    await page.fill('#input-search', 'gatinhos');
    await waitFor(page, () => document.querySelectorAll('.search-results li a').length > 0, null, 'search from file://');
    await follow(page, /\/i18n\/index\.html$/, () => page.click('nav.locale-switcher a[hreflang="en"]'));
    assert(await page.$eval('html', (h) => h.lang) === 'en', 'English from file://');
    assert((await page.textContent('.content')).includes('written in English'), 'English include');
    const broken2 = await page.$$eval('img', (is) => is.filter((i) => !i.complete || !i.naturalWidth).map((i) => i.src));
    assert(broken2.length === 0, `broken images: ${broken2}`);
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });

  test('the redirect of config.rb opens the Chinese pages, served and from file://', async (b) => {
    // tests/fixtures/i18n-zh: `mount_at_root: false`, `redirect "index.html", :to => "./zh/index.html"`.
    for (const url of [`${ctx.site('i18n-zh')}/index.html`, `file://${path.join(ctx.dir('i18n-zh'), 'index.html')}`]) {
      const { page, context, errors } = await openPage(b, url, { allowedBase: url.startsWith('file:') ? 'file://' : undefined });
      for (const end = Date.now() + 10000; !/\/i18n-zh\/zh\/index\.html$/.test(page.url()) || await page.evaluate(() => document.readyState) !== 'complete';) {
        assert(Date.now() < end, `not redirected from ${url} (now ${page.url()})`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
      assert(await page.$eval('html', (h) => h.lang) === 'zh', 'the Chinese page');
      assert((await page.textContent('.content')).includes('includes/_doc.zh.md'), 'with its include');
      assert(JSON.stringify((await switcher(page)).map((l) => l.text)) === JSON.stringify(['English', '中文']), 'both languages');
      assert(errors.length === 0, `errors: ${errors}`);
      await context.close();
    }
  });
}
