// Shared helpers of the browser tests.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json', '.webp': 'image/webp' };

/** Serves `root` on 127.0.0.1 (a random port). */
export function serve(root) {
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
