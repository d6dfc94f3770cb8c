// Browser tests of sites built by shale, in headless Debian Chromium via playwright-core.
//
// usage: node run.mjs SITES_DIR [FILTER]
//   SITES_DIR holds one built site per folder (tests/e2e.rs builds them): `sample/` is
//   the project's source/, other folders are fixtures and corpus pages.
//   Each module in tests/*.mjs exports `default (test, ctx)` and registers its tests;
//   ctx.sample is the URL of the sample site, ctx.site(name) the URL of another one,
//   ctx.dir(name) its folder on disk (for file:// tests).
// Prints `ok - NAME` / `FAIL - NAME: why` per test and `N passed, M failed` at the end.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './lib.mjs';

const sitesDir = path.resolve(process.argv[2] || '../../target/e2e-sites');
const filter = process.argv[3] || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const server = await serve(sitesDir);
const base = `http://127.0.0.1:${server.address().port}`;
const ctx = {
  base,
  sample: `${base}/sample`,
  site: (name) => `${base}/${name}`,
  dir: (name) => path.join(sitesDir, name),
};

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const here = path.dirname(new URL(import.meta.url).pathname);
for (const f of fs.readdirSync(path.join(here, 'tests')).filter((f) => f.endsWith('.mjs')).sort()) {
  const mod = await import(pathToFileURL(path.join(here, 'tests', f)));
  mod.default((name, fn) => test(`${f.replace('.mjs', '')}: ${name}`, fn), ctx);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
let passed = 0, failed = 0;
for (const t of tests.filter((t) => t.name.includes(filter))) {
  const t0 = Date.now();
  try {
    await t.fn(browser);
    passed++;
    console.log(`ok - ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${e.message}`);
  }
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
