// Browser tests of a site built by shale, in headless Debian Chromium via playwright-core.
// usage: node run.mjs SAMPLE_SITE_DIR   (tests/e2e.rs builds the site and runs this)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const siteDir = path.resolve(process.argv[2] || '../../build');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!p.startsWith(root)) { res.writeHead(404); return res.end(); }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'index.html');
    fs.readFile(p, (err, data) => {
      if (err) { res.writeHead(404); return res.end('not found'); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const assert = (cond, msg) => { if (!cond) throw new Error(msg); };

async function openPage(browser, url, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors, foreign };
}

// Visible code blocks by tab class.
const visibleTabs = (page) => page.$$eval('.content pre.highlight', (pres) => pres
  .filter((p) => p.offsetParent !== null && getComputedStyle(p).display !== 'none')
  .map((p) => p.className));

let base;

test('loads with no console error and no request to another host', async (b) => {
  const { page, context, errors, foreign } = await openPage(b, `${base}/index.html`);
  await page.waitForTimeout(300);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  assert(foreign.length === 0, `requests to other hosts: ${foreign.join(' ')}`);
  await context.close();
});

test('three columns on desktop: TOC left, prose, code on the right', async (b) => {
  const { page, context } = await openPage(b, `${base}/index.html`);
  const toc = await page.$eval('.toc-wrapper', (e) => e.getBoundingClientRect().toJSON());
  const prose = await page.$eval('.content > p', (e) => e.getBoundingClientRect().toJSON());
  const code = await page.$eval('.content pre.highlight', (e) => e.getBoundingClientRect().toJSON());
  assert(toc.left === 0 && toc.width >= 200 && toc.width <= 260, `toc ${JSON.stringify(toc)}`);
  assert(prose.left >= toc.right, 'prose right of the TOC');
  assert(code.left >= prose.right - 1, `code (${code.left}) right of the prose (${prose.right})`);
  await context.close();
});

test('clicking a language tab shows that language and keeps non-tab blocks', async (b) => {
  const { page, context } = await openPage(b, `${base}/index.html`);
  await page.click('.dark-box .lang-selector a[data-language-name="python"]');
  const vis = await visibleTabs(page);
  assert(vis.some((c) => c.includes('tab-python')), 'python blocks visible');
  assert(!vis.some((c) => c.includes('tab-shell') || c.includes('tab-javascript')), `other tabs hidden: ${vis}`);
  assert(vis.some((c) => c.includes('tab-json')), 'json responses stay visible');
  assert((await page.url()).includes('python'), 'the URL names the language');
  await context.close();
});

test('TOC links point at headings of the page', async (b) => {
  const { page, context } = await openPage(b, `${base}/index.html`);
  const missing = await page.$$eval('#toc a.toc-link', (as) => as
    .map((a) => a.getAttribute('href').slice(1))
    .filter((id) => !document.getElementById(id)));
  assert(missing.length === 0, `TOC targets missing: ${missing}`);
  await context.close();
});

const server = await serve(siteDir);
base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
let passed = 0, failed = 0;
for (const t of tests) {
  try {
    await t.fn(browser);
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name}: ${e.message}`);
  }
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
