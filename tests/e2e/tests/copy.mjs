// Copy buttons (code_clipboard: true): one real <button> per code block, the exact code
// text on the clipboard, a short "Copied", the keyboard, and print.
import { assert, openPage, waitFor } from '../lib.mjs';

/** Opens `url` with clipboard permissions for the test server's origin. */
async function openWithClipboard(b, ctx, url) {
  const o = await openPage(b, url);
  await o.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.base });
  return o;
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());
const resetClipboard = (page) => page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));

/** The text a copy button of block `i` must copy: the code's text minus one final newline. */
const expected = (page, i) => page.$$eval('.content pre.highlight', (ps, i) => ps[i].querySelector('code').textContent.replace(/\n$/, ''), i);

export default function (test, ctx) {
  test('one <button type=button> with a name per code block, none without code_clipboard', async (b) => {
    for (const url of [`${ctx.sample}/index.html`, `${ctx.site('dialect')}/index.html`, `${ctx.site('neoway')}/pt/index.html`, `${ctx.site('e2e-keys')}/index.html`]) {
      const { page, context } = await openPage(b, url);
      const r = await page.$$eval('.content pre.highlight', (ps) => ps.map((p) => {
        const bs = p.querySelectorAll('.copy-clipboard');
        return bs.length === 1 && bs[0].tagName === 'BUTTON' && bs[0].type === 'button' && /copy/i.test(bs[0].getAttribute('aria-label') || bs[0].textContent);
      }));
      assert(r.length > 0 && r.every(Boolean), `${url}: ${r.filter((x) => !x).length} of ${r.length} blocks without exactly one named button`);
      await context.close();
    }
    const { page, context } = await openPage(b, `${ctx.site('andolatam')}/index.html`);
    assert(await page.$$eval('.copy-clipboard', (x) => x.length) === 0, 'andolatam (no code_clipboard) has copy buttons');
    await context.close();
  });

  test('a click copies the code text exactly: no markup, one trailing newline trimmed', async (b) => {
    const { page, context } = await openWithClipboard(b, ctx, `${ctx.site('e2e-keys')}/index.html?shell`);
    const n = await page.$$eval('.content pre.highlight', (ps) => ps.length);
    for (let i = 0; i < n; i++) {
      const visible = await page.$$eval('.content pre.highlight', (ps, i) => !!ps[i].offsetParent, i);
      if (!visible) continue;
      await resetClipboard(page);
      await page.locator('.content pre.highlight').nth(i).locator('.copy-clipboard').click();
      await waitFor(page, () => document.activeElement.classList.contains('copied'), null, `block ${i}: no "Copied"`);
      const got = await clipboard(page);
      const want = await expected(page, i);
      assert(got === want, `block ${i}: copied ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    // the markdown source of the second shell block, with its blank last line
    await page.locator('pre.highlight.tab-shell').nth(1).locator('.copy-clipboard').click();
    const got = await clipboard(page);
    assert(got === `# markup-like text: <b>bold</b> &amp; "quotes"\nprintf '%s\\t%s\\n' tab separated\n`, `copied ${JSON.stringify(got)}`);
    // a highlighted block of the sample: the text of the code, none of its spans
    await page.goto(`${ctx.sample}/index.html`);
    await page.locator('pre.highlight.tab-shell').first().locator('.copy-clipboard').click();
    const shell = await clipboard(page);
    assert(shell.startsWith('# With shell, you can just pass the correct header with each request\ncurl "api_endpoint_here" \\\n'), `copied ${JSON.stringify(shell)}`);
    assert(!/<|Copied|Copy to clipboard/.test(shell), `copied text carries markup or button text: ${JSON.stringify(shell)}`);
    await context.close();
  });

  test('the button says "Copied" briefly, then goes back', async (b) => {
    const { page, context } = await openWithClipboard(b, ctx, `${ctx.sample}/index.html`);
    const button = page.locator('.content pre.highlight .copy-clipboard').first();
    await button.click();
    await waitFor(page, () => document.querySelector('.copy-clipboard .copy-status')?.textContent === 'Copied', null, 'no "Copied" status');
    const box = await button.locator('.copy-status').boundingBox();
    assert(box && box.width > 10 && box.height > 5, `"Copied" not visible: ${JSON.stringify(box)}`);
    await waitFor(page, () => document.querySelector('.copy-clipboard .copy-status').textContent === '', null, '"Copied" still shown after 3 s', { timeout: 3000 });
    await context.close();
  });

  test('keyboard: Tab reaches the copy button, Enter and Space copy', async (b) => {
    const { page, context } = await openWithClipboard(b, ctx, `${ctx.sample}/index.html`);
    // start from the first paragraph of the Authentication section and Tab forward
    await page.evaluate(() => { const h = document.getElementById('authentication'); h.tabIndex = -1; h.focus(); });
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.classList.contains('copy-clipboard'));
    }
    assert(reached, 'no copy button reached with Tab');
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(focusRing !== 'none', 'the focused copy button shows no focus ring');
    const want = await page.evaluate(() => document.activeElement.parentNode.querySelector('code').textContent.replace(/\n$/, ''));
    await resetClipboard(page);
    await page.keyboard.press('Enter');
    await waitFor(page, () => document.activeElement.classList.contains('copied'), null, 'Enter: no "Copied"');
    assert(await clipboard(page) === want, 'Enter copied the wrong text');
    await resetClipboard(page);
    await page.keyboard.press(' ');
    await page.waitForTimeout(100);
    assert(await clipboard(page) === want, 'Space copied the wrong text');
    await context.close();
  });

  test('print hides the copy buttons, the language bars and the menu button, keeps the chosen code, prints the whole TOC', async (b) => {
    const { page, context } = await openPage(b, `${ctx.sample}/index.html`);
    await page.emulateMedia({ media: 'print' });
    const shown = await page.$$eval('.copy-clipboard, .lang-selector, #nav-button, .skip-link, .search', (es) => es
      .filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.className || e.id));
    assert(shown.length === 0, `shown in print: ${shown}`);
    // the code of the current language is still there, one column
    const code = await page.$eval('pre.highlight.tab-shell', (p) => ({ display: getComputedStyle(p).display, float: getComputedStyle(p).float }));
    assert(code.display !== 'none' && code.float === 'none', `shell code in print: ${JSON.stringify(code)}`);
    assert(await page.$eval('pre.highlight.tab-python', (p) => getComputedStyle(p).display) === 'none', 'code of the other tabs stays hidden');
    // the TOC prints whole, whichever section was on screen
    const toc = await page.$$eval('.toc-list-h2', (ls) => ls.filter((l) => getComputedStyle(l).display === 'none').length);
    assert(toc === 0, `${toc} TOC sub-lists hidden in print`);
    await context.close();
  });
}
