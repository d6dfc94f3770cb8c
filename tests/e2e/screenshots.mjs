// The README's screenshots: the sample in the light and the dark mode at desktop width.
//
// usage: node screenshots.mjs SITE_DIR [OUT_DIR]   (OUT_DIR: ../../docs)
//   SITE_DIR is the sample built by `shale build -o SITE_DIR`. Writes
//   screenshot-light.png and screenshot-dark.png (1400 x 900), then makes them smaller
//   with pngquant and optipng when they are installed (Debian packages of those names).
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from './lib.mjs';

const site = path.resolve(process.argv[2] || '../../build');
const out = path.resolve(process.argv[3] || path.join(path.dirname(new URL(import.meta.url).pathname), '../../docs'));
const server = await serve(site);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const scheme of ['light', 'dark']) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: scheme });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html?python#authentication`);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const file = path.join(out, `screenshot-${scheme}.png`);
  await page.screenshot({ path: file });
  await context.close();
  for (const [cmd, args] of [['pngquant', ['--force', '--skip-if-larger', '--strip', '--output', file, '64', file]], ['optipng', ['-quiet', '-o5', file]]]) {
    try { execFileSync(cmd, args); } catch (e) { if (e.code !== 'ENOENT' && e.status !== 98 && e.status !== 99) throw e; }
  }
  console.log(file);
}
await browser.close();
server.close();
