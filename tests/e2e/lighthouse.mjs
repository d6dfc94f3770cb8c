// Lighthouse on a site built by `shale build`, as a host serves it.
//
// usage: node lighthouse.mjs SITE_DIR [--page index.html] [--plain] [--min perf=98,a11y=100,bp=100]
//          [--runs N] [--dark] [--json FILE]
//   Serves SITE_DIR on 127.0.0.1 (a random port) with a minimal static server that
//   compresses text with gzip, as GitHub Pages, Netlify and most hosts do (--plain:
//   uncompressed), runs one Lighthouse audit with its default settings (mobile form
//   factor, simulated slow 4G and 4x CPU throttling) in Debian's Chromium (CHROMIUM=path
//   to use another), and prints the four category scores and every audit that is not
//   passed. --dark: the system prefers a dark colour scheme (Chromium's --force-dark-mode),
//   so the page opens in its dark mode. With --min, exits 1 when a score is below its threshold. Scores vary from run
//   to run with the machine's load (Lighthouse scales the CPU time it sees): with
//   --runs N (N odd), a run below a threshold is followed by N-1 more, and the median
//   score of each category is what counts, as Lighthouse's documentation advises.
import fs from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { serve } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 && !!args.splice(i, 1); };
const pagePath = opt('--page', 'index.html');
const min = Object.fromEntries((opt('--min', '') || '').split(',').filter(Boolean).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
const jsonOut = opt('--json', '');
const runs = Math.max(1, Number(opt('--runs', '1')) | 0);
const plain = flag('--plain');
const dark = flag('--dark');
const root = path.resolve(args[0] || '../../build');
if (!fs.existsSync(path.join(root, pagePath))) {
  console.error(`error: ${path.join(root, pagePath)} not found; build the site first (shale build -o DIR)`);
  process.exit(2);
}

const server = await serve(root, { gzip: !plain });
const url = `http://127.0.0.1:${server.address().port}/${pagePath}`;

/** One Lighthouse run in a fresh Chromium: the result (lhr and the JSON report). */
async function audit() {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', ...(dark ? ['--force-dark-mode'] : [])],
  });
  try {
    return await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' });
  } finally {
    await chrome.kill();
  }
}

const NAMES = { performance: 'perf', accessibility: 'a11y', 'best-practices': 'bp', seo: 'seo' };
const m = (lhr, id) => lhr.audits[id]?.displayValue || '-';

/** Prints the scores, the metrics and every scored audit that is not passed; returns the scores. */
function report(lhr) {
  const scores = {};
  for (const [id, short] of Object.entries(NAMES)) scores[short] = Math.round((lhr.categories[id]?.score ?? 0) * 100);
  console.log(`performance ${scores.perf}, accessibility ${scores.a11y}, best practices ${scores.bp}, SEO ${scores.seo}`);
  console.log(`FCP ${m(lhr, 'first-contentful-paint')}, LCP ${m(lhr, 'largest-contentful-paint')}, TBT ${m(lhr, 'total-blocking-time')}, CLS ${m(lhr, 'cumulative-layout-shift')}, Speed Index ${m(lhr, 'speed-index')}`);
  if (lhr.runtimeError) console.log(`runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  for (const w of lhr.runWarnings || []) console.log(`warning: ${w}`);
  for (const [id, cat] of Object.entries(lhr.categories)) {
    for (const ref of cat.auditRefs) {
      const a = lhr.audits[ref.id];
      if (a.score !== null && a.score < 1 && (ref.weight > 0 || a.scoreDisplayMode === 'binary')) {
        const items = (a.details?.items || []).slice(0, 3).map((it) => it.node?.snippet || it.url || it.source?.url || '').filter(Boolean);
        console.log(`  ${id} / ${ref.id} (weight ${ref.weight}): score ${a.score}${a.displayValue ? `, ${a.displayValue}` : ''}${items.length ? ` — ${items.join(' | ')}` : ''}`);
      }
    }
  }
  return scores;
}

const below = (scores) => Object.entries(min).filter(([k, v]) => !(scores[k] >= v));
const all = [];
try {
  for (let i = 0; i < runs && (i === 0 || below(all[0]).length); i++) {
    const result = await audit();
    if (i === 0) {
      console.log(`lighthouse ${result.lhr.lighthouseVersion}, ${result.lhr.configSettings.formFactor}, ${result.lhr.configSettings.throttlingMethod} throttling, ${plain ? 'uncompressed' : 'gzip'}${dark ? ', dark' : ''}: ${url}`);
      if (jsonOut) fs.writeFileSync(jsonOut, result.report);
    }
    if (runs > 1) console.log(`run ${i + 1}:`);
    all.push(report(result.lhr));
  }
} finally {
  server.close();
}
let scores = all[0];
if (all.length > 1) {
  const median = (xs) => xs.sort((a, b) => a - b)[(xs.length - 1) >> 1];
  scores = Object.fromEntries(Object.values(NAMES).map((k) => [k, median(all.map((s) => s[k]))]));
  console.log(`median of ${all.length} runs: performance ${scores.perf}, accessibility ${scores.a11y}, best practices ${scores.bp}, SEO ${scores.seo}`);
}
const low = below(scores);
if (low.length) {
  console.log(`below the thresholds: ${low.map(([k, v]) => `${k} ${scores[k]} < ${v}`).join(', ')}`);
  process.exit(1);
}
