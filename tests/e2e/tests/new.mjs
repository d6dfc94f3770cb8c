// The project `shale new` writes (built into the site `new` by tests/e2e.rs): its
// sample page works as a reader expects, with no console error and no axe violation.
import path from 'node:path';
import { assert, openPage, tabRuleViolations, waitFor } from '../lib.mjs';

const AXE = path.join(path.dirname(new URL(import.meta.url).pathname), '../node_modules/axe-core/axe.min.js');

export default function (test, ctx) {
  test('the scaffolded sample: tabs with their labels, search, copy, no console error', async (b) => {
    const { page, context, errors, foreign } = await openPage(b, `${ctx.site('new')}/index.html`);
    const labels = await page.$$eval('.dark-box .lang-selector a', (as) => as.map((a) => a.textContent));
    assert(labels.join() === 'cURL,python,Node.js', `tab labels: ${labels}`);
    await page.click('.dark-box .lang-selector a[data-language-name="javascript"]');
    assert((await tabRuleViolations(page, 'javascript')).length === 0, 'only the Node.js code shows');
    assert(await page.$$eval('.content pre.tab-json', (ps) => ps.every((p) => p.offsetParent !== null)), 'JSON responses stay');
    const copies = await page.$$eval('.content pre.highlight', (ps) => ps.filter((p) => p.querySelector('button.copy-clipboard')).length);
    assert(copies === 15, `a copy button on each of the 15 code blocks: ${copies}`);
    await page.fill('#input-search', 'widget');
    await waitFor(page, () => [...document.querySelectorAll('.search-results li')].some((li) => /List widgets/.test(li.textContent)), null, 'search finds `List widgets`');
    await page.fill('#input-search', '');
    assert(await page.$eval('#errors', (h) => h.tagName) === 'H1', 'the errors include is on the page');
    const pages = await page.$$eval('.site-page-link', (as) => as.map((a) => `${a.textContent}${a.getAttribute('aria-current') ? '*' : ''}`));
    assert(pages.join() === 'Example API Reference*,Getting started', `the sidebar lists both pages: ${pages}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    assert(foreign.length === 0, `requests to other hosts: ${foreign.join(' ')}`);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.map((v) => `${v.impact} ${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 2).join(', ')})`));
    assert(violations.length === 0, `axe: ${violations.join('; ')}`);
    await context.close();
  });
}
