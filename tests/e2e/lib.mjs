// Shared helpers of the browser tests.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8' };
const COMPRESS = /^(text\/|application\/json|image\/svg)/;

/**
 * Serves `root` on 127.0.0.1 (a random port). With `gzip`, text is compressed for
 * clients that accept it and files may be cached for 10 minutes, as static hosts do
 * (for Lighthouse).
 */
export function serve(root, { gzip = false } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!p.startsWith(root)) { res.writeHead(404); return res.end(); }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'index.html');
    fs.readFile(p, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('not found'); }
      const type = TYPES[path.extname(p).toLowerCase()] || 'application/octet-stream';
      const headers = { 'content-type': type };
      if (gzip) {
        headers['cache-control'] = 'max-age=600';
        if (COMPRESS.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
          data = zlib.gzipSync(data, { level: 9 });
          headers['content-encoding'] = 'gzip';
          headers.vary = 'accept-encoding';
        }
      }
      headers['content-length'] = data.length;
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export const assert = (cond, msg) => { if (!cond) throw new Error(msg); };

/**
 * Opens `url` in a fresh browser context. Collects console errors, page errors and
 * requests to hosts other than `allowedBase`.
 */
export async function openPage(browser, url, { viewport = { width: 1400, height: 900 }, allowedBase } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  const base = allowedBase ?? new URL(url).origin;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith('data:')) foreign.push(u); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors, foreign };
}

/** Class names of the code blocks that are visible in the content column. */
export const visibleBlocks = (page) => page.$$eval('.content pre.highlight', (pres) => pres
  .filter((p) => p.offsetParent !== null && getComputedStyle(p).display !== 'none')
  .map((p) => p.className));

/** Waits until `fn(arg)` is truthy in the page; fails with `msg` (and the last value of `state`, when given). */
export async function waitFor(page, fn, arg, msg, { timeout = 3000, state } = {}) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch (e) {
    const now = state ? ` (now: ${JSON.stringify(await page.evaluate(state, arg))})` : '';
    throw new Error(`${msg}${now}`);
  }
}

/** Resolves after `n` animation frames (throttled handlers have run). */
export const frames = (page, n = 3) => page.evaluate((n) => new Promise((ok) => {
  const step = () => (n-- ? requestAnimationFrame(step) : ok());
  step();
}), n);

/** The tab keys of the page (`body[data-languages]`). */
export const languages = (page) => page.evaluate(() => JSON.parse(document.body.dataset.languages || '[]'));

/**
 * Code blocks and `.lang-specific` elements of the content whose visibility breaks
 * Slate's rule under `lang`: an element marked for tab keys (`pre.highlight.tab-KEY`,
 * `.lang-specific.KEY`) shows only under one of them, every other one always.
 */
export const tabRuleViolations = (page, lang) => page.evaluate((lang) => {
  const langs = JSON.parse(document.body.dataset.languages || '[]');
  const bad = [];
  for (const el of document.querySelectorAll('.content pre.highlight, .content .lang-specific')) {
    const pre = el.matches('pre.highlight');
    const keys = langs.filter((l) => el.classList.contains(pre ? `tab-${l}` : l));
    const expected = !keys.length || keys.includes(lang);
    const shown = getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
    if (expected !== shown) bad.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${shown ? 'shown' : 'hidden'} under ${lang}`);
  }
  return bad;
}, lang);

/** The state of the language tabs: the active keys of each bar, and aria-selected. */
export const activeTabs = (page) => page.$$eval('.lang-selector a[data-language-name]', (as) => ({
  active: [...new Set(as.filter((a) => a.classList.contains('active')).map((a) => a.dataset.languageName))],
  selected: [...new Set(as.filter((a) => a.getAttribute('aria-selected') === 'true').map((a) => a.dataset.languageName))],
}));

/** The TOC state: active links, active-parent links, expanded sub-lists, the title. */
export const tocState = (page) => page.evaluate(() => ({
  active: [...document.querySelectorAll('#toc .toc-link.active')].map((a) => a.getAttribute('href')),
  parents: [...document.querySelectorAll('#toc .toc-link.active-parent')].map((a) => a.getAttribute('href')),
  expanded: [...document.querySelectorAll('#toc .toc-list-h2')]
    .filter((ul) => getComputedStyle(ul).display !== 'none')
    .map((ul) => ul.previousElementSibling.getAttribute('href')),
  title: document.title,
  hash: decodeURIComponent(location.hash),
}));

/** Scrolls so that the element with id `id` is `offset` px below the top of the viewport. */
export const scrollToId = (page, id, offset = 0) => page.evaluate(({ id, offset }) => {
  const el = document.getElementById(id);
  window.scrollTo(0, el.getBoundingClientRect().top + window.pageYOffset - offset);
}, { id, offset });

/** The median of some numbers (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
