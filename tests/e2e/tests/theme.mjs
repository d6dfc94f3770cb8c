// Theming: the dark mode switch (follows the system, remembers the reader's choice, no
// flash of the wrong colours, print stays light), the theme variables a project sets in
// assets/stylesheets/variables.css and a page in its front matter, and `rtl: true`.
import { assert, openPage, frames } from '../lib.mjs';

const LIGHT_BG = 'rgb(243, 247, 249)'; // --main-bg, #F3F7F9
const DARK_BG = 'rgb(26, 29, 32)'; // --main-bg in the dark mode, #1A1D20

/** The mode the page shows: html[data-theme], the switch's state and the prose column's colours. */
const mode = (page) => page.evaluate(() => {
  const b = document.getElementById('theme-toggle'), w = getComputedStyle(document.querySelector('.page-wrapper'));
  return { theme: document.documentElement.dataset.theme, pressed: b && b.getAttribute('aria-pressed'), bg: w.backgroundColor, text: getComputedStyle(document.querySelector('.content p')).color };
});

/** A fresh context with the system set to `colorScheme`; `stored` in localStorage first, when given. */
async function open(b, url, { colorScheme, stored, viewport = { width: 1400, height: 900 }, init } = {}) {
  const context = await b.newContext({ viewport, colorScheme });
  if (stored) await context.addInitScript((v) => { if (!sessionStorage.seeded) { localStorage.setItem('shale-theme', v); sessionStorage.seeded = 1; } }, stored);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, context, errors };
}

export default function (test, ctx) {
  const sample = `${ctx.sample}/index.html`;

  test('dark mode: the default follows prefers-color-scheme, light and dark', async (b) => {
    for (const [scheme, theme, bg] of [['light', 'light', LIGHT_BG], ['dark', 'dark', DARK_BG]]) {
      const { page, context, errors } = await open(b, sample, { colorScheme: scheme });
      const m = await mode(page);
      assert(m.theme === theme && m.pressed === String(theme === 'dark') && m.bg === bg, `system ${scheme}: ${JSON.stringify(m)}`);
      assert(errors.length === 0, `errors: ${errors}`);
      await context.close();
    }
  });

  test('dark mode: a real button with a name and aria-pressed; click and keyboard switch; the choice survives a reload', async (b) => {
    const { page, context } = await open(b, sample, { colorScheme: 'light' });
    const info = await page.$eval('#theme-toggle', (e) => ({ tag: e.tagName, type: e.type, name: e.textContent.trim(), inNav: !!e.closest('nav'), h: e.getBoundingClientRect().height }));
    assert(info.tag === 'BUTTON' && info.type === 'button' && info.name === 'Dark mode' && info.inNav && info.h >= 24, `button: ${JSON.stringify(info)}`);
    await page.click('#theme-toggle');
    let m = await mode(page);
    assert(m.theme === 'dark' && m.pressed === 'true' && m.bg === DARK_BG, `after a click: ${JSON.stringify(m)}`);
    assert(m.text !== 'rgb(51, 51, 51)', `the text colour changes too: ${m.text}`);
    assert(await page.evaluate(() => localStorage.getItem('shale-theme')) === 'dark', 'the choice is saved');
    await page.reload();
    m = await mode(page);
    assert(m.theme === 'dark' && m.pressed === 'true' && m.bg === DARK_BG, `after a reload: ${JSON.stringify(m)}`);
    // from the keyboard: Space and Enter on the focused button
    await page.focus('#theme-toggle');
    await page.keyboard.press('Space');
    assert((await mode(page)).theme === 'light', 'Space switches back');
    await page.keyboard.press('Enter');
    assert((await mode(page)).theme === 'dark', 'Enter switches');
    await context.close();
  });

  test('dark mode: a saved choice wins over the system, which is followed live until the reader chooses', async (b) => {
    let { page, context } = await open(b, sample, { colorScheme: 'dark', stored: 'light' });
    let m = await mode(page);
    assert(m.theme === 'light' && m.bg === LIGHT_BG, `saved light on a dark system: ${JSON.stringify(m)}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.emulateMedia({ colorScheme: 'dark' });
    assert((await mode(page)).theme === 'light', 'a system change does not override the saved choice');
    await context.close();
    ({ page, context } = await open(b, sample, { colorScheme: 'light' }));
    await page.emulateMedia({ colorScheme: 'dark' });
    await frames(page);
    m = await mode(page);
    assert(m.theme === 'dark' && m.pressed === 'true' && m.bg === DARK_BG, `no choice saved, the system turns dark: ${JSON.stringify(m)}`);
    await context.close();
  });

  test('dark mode: no flash: the first frame already has the saved colours, even before shale.js runs', async (b) => {
    // The first animation frame comes before the first paint: record the colours then.
    const init = () => requestAnimationFrame(() => {
      const h = document.documentElement;
      window.__first = { theme: h.dataset.theme, bg: getComputedStyle(h).getPropertyValue('--main-bg').trim(), body: !!document.body };
    });
    const context = await b.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    await context.addInitScript((v) => localStorage.setItem('shale-theme', v), 'dark');
    await context.addInitScript(init);
    // shale.js never arrives: what the first paint shows comes from <head> alone
    await context.route(/shale\.js$/, (r) => r.abort());
    const page = await context.newPage();
    await page.goto(sample);
    await frames(page);
    const first = await page.evaluate(() => window.__first);
    assert(first && first.theme === 'dark' && /^#1A1D20$/i.test(first.bg), `first frame: ${JSON.stringify(first)}`);
    const bg = await page.$eval('.page-wrapper', (e) => getComputedStyle(e).backgroundColor);
    assert(bg === DARK_BG, `without shale.js: ${bg}`);
    // and no script: the switch is hidden (it could do nothing), the page is light
    const noJs = await b.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark', javaScriptEnabled: false });
    const p2 = await noJs.newPage();
    await p2.goto(sample);
    assert(!(await p2.locator('#theme-toggle').isVisible()), 'the switch shows without scripts');
    const bg2 = await p2.$eval('.page-wrapper', (e) => getComputedStyle(e).backgroundColor);
    assert(bg2 === LIGHT_BG, `without scripts the page is light: ${bg2}`);
    await noJs.close();
    await context.close();
  });

  test('dark mode: print stays light', async (b) => {
    const { page, context } = await open(b, sample, { colorScheme: 'dark' });
    assert((await mode(page)).theme === 'dark', 'dark on screen');
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.querySelector('.content p')).color,
      wrapper: getComputedStyle(document.querySelector('.page-wrapper')).backgroundColor, toggle: getComputedStyle(document.getElementById('theme-toggle')).display }));
    assert(['rgb(255, 255, 255)'].includes(r.body) && r.text === 'rgb(0, 0, 0)', `print: ${JSON.stringify(r)}`);
    assert(r.wrapper === 'rgba(0, 0, 0, 0)' || r.wrapper === 'rgb(255, 255, 255)', `print wrapper: ${JSON.stringify(r)}`);
    assert(r.toggle === 'none', `the switch is not printed: ${r.toggle}`);
    await context.close();
  });

  test('theme variables: the project\'s variables.css and the front matter\'s theme: are applied', async (b) => {
    const url = `${ctx.site('e2e-theme')}/index.html`;
    const { page, context } = await open(b, url, { colorScheme: 'light' });
    const read = () => page.evaluate(() => {
      const s = (sel) => getComputedStyle(document.querySelector(sel));
      return {
        navWidth: document.querySelector('.toc-wrapper').getBoundingClientRect().width, navBg: s('.toc-wrapper').backgroundColor,
        margin: s('.page-wrapper').marginLeft, bg: s('.page-wrapper').backgroundColor, link: s('.content p a').color,
        font: s('.content p').fontFamily, code: s('.content pre').fontFamily, pre: s('.content pre').backgroundColor,
      };
    });
    let r = await read();
    // from the front matter
    assert(r.navWidth === 300 && r.margin === '300px', `nav-width: ${JSON.stringify(r)}`);
    assert(r.navBg === 'rgb(18, 52, 86)', `nav-bg: ${r.navBg}`);
    assert(r.font.startsWith('Georgia'), `font-default: ${r.font}`);
    // from the project's variables.css (the rest stays built-in)
    assert(r.bg === 'rgb(255, 253, 245)' && r.link === 'rgb(138, 43, 226)', `variables.css: ${JSON.stringify(r)}`);
    assert(r.pre === 'rgb(30, 34, 36)' && /Consolas/.test(r.code), `built-in values stay: ${JSON.stringify(r)}`);
    await page.click('#theme-toggle');
    r = await read();
    assert(r.bg === 'rgb(16, 24, 32)' && r.link === 'rgb(217, 179, 255)' && r.navWidth === 300, `dark: ${JSON.stringify(r)}`);
    await context.close();
  });

  test('rtl: true mirrors the layout: TOC on the right, code on the left, prose right to left, code left to right', async (b) => {
    const url = `${ctx.site('e2e-theme')}/rtl.html`;
    const { page, context, errors } = await open(b, url, { colorScheme: 'light' });
    const r = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
      const dir = (sel) => getComputedStyle(document.querySelector(sel)).direction;
      return { dir: document.documentElement.dir, vw: document.documentElement.clientWidth, nav: box('.toc-wrapper'), darkBox: box('.page-wrapper .dark-box'),
        pre: box('.content pre.highlight:not([style*="none"])'), p: box('.content > p'), pDir: dir('.content > p'), preDir: dir('.content pre'),
        align: getComputedStyle(document.querySelector('.content > p')).textAlign, quote: box('.content > blockquote') };
    });
    assert(r.dir === 'rtl', `html dir: ${r.dir}`);
    assert(Math.abs(r.nav.right - r.vw) < 1 && r.nav.left > r.vw / 2, `the TOC is on the right: ${JSON.stringify(r.nav)}`);
    assert(r.darkBox.left < 1 && r.pre.left < 1 && r.pre.right <= r.p.left + 1, `code on the left: ${JSON.stringify({ d: r.darkBox, pre: r.pre, p: r.p })}`);
    assert(r.quote.left < 1, `annotations on the left too: ${JSON.stringify(r.quote)}`);
    assert(r.p.right <= r.nav.left + 1, 'prose between the code and the TOC');
    assert(r.pDir === 'rtl' && r.preDir === 'ltr' && (r.align === 'right' || r.align === 'start'), `directions: ${JSON.stringify(r)}`);
    // tablet: the TOC slides off to the right, the NAV button is on the right and opens it
    await page.setViewportSize({ width: 800, height: 700 });
    await page.waitForTimeout(350);
    const t = await page.evaluate(() => ({ nav: document.querySelector('.toc-wrapper').getBoundingClientRect().toJSON(), btn: document.getElementById('nav-button').getBoundingClientRect().toJSON(), vw: document.documentElement.clientWidth }));
    assert(t.nav.left >= t.vw - 1 && t.btn.right > t.vw - 60, `tablet: ${JSON.stringify(t)}`);
    await page.click('#nav-button');
    await page.waitForTimeout(400);
    const opened = await page.evaluate(() => document.querySelector('.toc-wrapper').getBoundingClientRect().toJSON());
    assert(Math.abs(opened.right - t.vw) < 1, `opened from the right: ${JSON.stringify(opened)}`);
    assert(errors.length === 0, `errors: ${errors}`);
    await context.close();
  });

  test('rtl: the left-to-right sample is not mirrored', async (b) => {
    const { page, context } = await openPage(b, sample);
    const r = await page.evaluate(() => ({ dir: document.documentElement.dir, nav: document.querySelector('.toc-wrapper').getBoundingClientRect().left }));
    assert(r.dir === '' && r.nav === 0, JSON.stringify(r));
    await context.close();
  });
}
