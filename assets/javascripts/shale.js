/* shale.js: TOC scroll spy, language tabs, dark mode, mobile menu, copy, search. */
(function () {
'use strict';
const doc = document, body = doc.body, win = window;
const $$ = (sel, root) => Array.from((root || doc).querySelectorAll(sel));
const content = doc.querySelector('.content'), wrapper = doc.querySelector('.toc-wrapper');
const decode = s => { try { return decodeURIComponent(s); } catch (e) { return s; } };
const attr = (el, name) => el.getAttribute(name), rect = el => el.getBoundingClientRect();
const on = (el, type, fn, opt) => el.addEventListener(type, fn, opt);
const rafThrottle = (fn, queued) => () => { if (!queued) queued = requestAnimationFrame(() => { queued = 0; fn(); }); };
function setUrl(url, push) {
  // decoded: location percent-encodes non-ASCII
  if (decode(url) !== decode(location.search + location.hash)) try { history[push ? 'pushState' : 'replaceState'](history.state, '', url); } catch (e) { /* file:// */ }
}

// A long page's chunks, laid out only near the viewport (docs/performance.md, "Long pages"): what
// reads the layout reads it in the chunks on screen, never in all of them.
const chunks = content ? $$(':scope > .chunk', content) : [], shown = new Set();
const chunkAt = (y, f) => { let lo = 0, hi = chunks.length; while (lo < hi) { const m = (lo + hi) >> 1; if (f(rect(chunks[m])) <= y) lo = m + 1; else hi = m; } return lo; };

/* TOC */
const originalTitle = doc.title, entries = [], clip = body.hasAttribute('data-code-clipboard');
let current, pinned, marked = $$('#toc .active, #toc .active-parent'); // by the layout
$$('#toc .toc-link').forEach(link => {
  const target = doc.getElementById(decode(attr(link, 'href').slice(1)));
  if (target) entries.push({ link, target });
});
if (chunks.length) { const at = new Map(chunks.map((c, i) => [c, i])); entries.forEach(e => { e.chunk = at.get(e.target.closest('.chunk')); }); }
const entryFor = hash => entries.find(e => '#' + e.target.id === decode(hash));

// wide code and tables scroll by keyboard (unless a copy button has focus)
const keyboardScroll = (sel, roots) => (roots || shown).forEach(root => $$(sel || (clip ? '.content > table' : '.content > table, pre.highlight'), root)
  .forEach(p => { if (p.scrollWidth > p.clientWidth) p.tabIndex = 0; else p.removeAttribute('tabindex'); }));
if (!chunks.length || !win.IntersectionObserver) shown.add(doc);
else {
  const io = new IntersectionObserver(list => list.forEach(e => {
    if (!e.isIntersecting) return void shown.delete(e.target);
    shown.add(e.target);
    keyboardScroll(0, [e.target]);
  }), { rootMargin: '50% 0px' });
  chunks.forEach(c => io.observe(c));
}
const refresh = rafThrottle(() => { keyboardScroll(); spy(); });

// The current entry: the last heading above the viewport's top.
function spy(fromScroll) {
  if (!entries.length) return;
  const y = win.pageYOffset, h = win.innerHeight, atEnd = y + h >= doc.documentElement.scrollHeight - 2;
  // a scroll hiding a followed link unpins it (not on load)
  if (pinned && fromScroll) {
    const r = rect(pinned.target);
    if (r.bottom < 0 || r.top > h) pinned = null;
  }
  let best = pinned, lo = 0, hi = entries.length;
  // a followed link wins while the page cannot scroll it higher (Slate #1440)
  if (!(pinned && (atEnd || !y))) {
    if (atEnd && y) lo = hi;
    else {
      // on a long page, the chunk at the top first: headings in others are not read
      const c = chunks.length && chunkAt(10, r => r.top) - 1;
      const above = e => (e.chunk === undefined || e.chunk === c ? rect(e.target).top <= 10 : e.chunk < c);
      while (lo < hi) { const m = (lo + hi) >> 1; if (above(entries[m])) lo = m + 1; else hi = m; }
    }
    best = entries[lo - 1];
  }
  if (best !== current) select(best);
  // the hash follows the reader
  if (fromScroll && best) setUrl(location.search + attr(best.link, 'href'));
}

function select(entry) {
  marked.forEach(el => { el.classList.remove('active', 'active-parent'); el.removeAttribute('aria-current'); });
  marked = [];
  current = entry;
  doc.title = originalTitle;
  if (!entry) return;
  const link = entry.link, title = attr(link, 'data-title');
  const mark = (el, cls) => el && marked.push(el) && el.classList.add(cls);
  mark(link, 'active');
  link.setAttribute('aria-current', 'location');
  // its lists, and the entries above them (Slate: its h2 list, its h1)
  for (let l = link.parentNode.closest('ul'); l.id !== 'toc'; l = l.parentNode.closest('ul')) mark(l, 'active'), mark(l.previousElementSibling, 'active-parent');
  mark(link.parentNode.querySelector('ul'), 'active'); // its own list
  if (title) doc.title = title + ' \u2013 ' + originalTitle;
  const w = rect(wrapper || body), r = rect(link);
  if (wrapper && (r.top < w.top || r.bottom > w.bottom)) wrapper.scrollTop += r.top - w.top - w.height / 3;
}

if (entries.length) {
  pinned = entryFor(location.hash);
  on(win, 'scroll', rafThrottle(() => spy(true)), { passive: true });
  on(win, 'hashchange', () => { pinned = entryFor(location.hash); spy(false); });
  // the reader scrolling unpins
  ['wheel', 'touchmove', 'keydown'].forEach(t => on(win, t, () => { pinned = null; }, { passive: true }));
  entries.forEach(e => on(e.link, 'click', () => { pinned = e; }));
  // images, code shown or hidden: the content resizes
  if (content && win.ResizeObserver) new ResizeObserver(rafThrottle(spy)).observe(content);
  spy();
}
on(win, 'resize', refresh);
on(win, 'load', refresh);
keyboardScroll();

/* Language tabs */
// The layout chose the tab (html[data-language]); CSS shows its code.
const html = doc.documentElement, tabs = $$('.lang-selector a[data-language-name]');
const langs = [...new Set(tabs.map(a => attr(a, 'data-language-name')))], langFromUrl = win.shaleLanguage || (() => 0);
const store = (v, k = 'language') => { try { return v ? localStorage.setItem(k, v) : localStorage.getItem(k); } catch (e) { return null; } };
let currentLang;

// The URL for `lang`: `?KEY` if the query was empty or a key, else `language=`.
function urlFor(lang) {
  let q = location.search.slice(1);
  const param = 'language=' + encodeURIComponent(lang);
  if (!q || langs.includes(decode(q))) q = encodeURIComponent(lang);
  else if (/(^|&)language=/.test(q)) q = q.split('&').map(p => (p.indexOf('language=') ? p : param)).join('&');
  else q += '&' + param;
  return '?' + q + location.hash;
}

// The first prose element in the viewport, else the one across its top.
function readerAt() {
  const box = chunks.length ? chunks[Math.min(chunkAt(0, r => r.bottom), chunks.length - 1)] : content;
  const kids = box.children, code = el => el.matches('pre,blockquote,.highlight,.lang-specific');
  const next = el => el.nextElementSibling || (el.parentNode !== content && el.parentNode.nextElementSibling && el.parentNode.nextElementSibling.firstElementChild);
  let lo = 0, hi = kids.length, j, r, at = null;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    for (j = m; j < hi && code(kids[j]);) j++;
    if (j === hi || rect(kids[j]).bottom > 0) hi = m; else lo = j + 1;
  }
  for (let el = kids[lo] || (box !== content && next(box.lastElementChild)); el && !(at && r.top >= 0); el = next(el)) {
    if (!code(el) && (r = rect(el)).height && (!at || (r.top >= 0 && r.top < win.innerHeight))) at = { el, top: r.top };
  }
  return at;
}

function setLanguage(lang) {
  const at = content && readerAt(); // stays where it is
  currentLang = html.dataset.language = lang;
  tabs.forEach(a => {
    const sel = attr(a, 'data-language-name') === lang;
    a.classList.toggle('active', sel);
    a.setAttribute('aria-selected', sel);
    a.tabIndex = sel ? 0 : -1;
  });
  if (at) win.scrollBy(0, rect(at.el).top - at.top);
  // after the paint, the code now shown that is wide
  if (!clip) requestAnimationFrame(() => setTimeout(() => keyboardScroll('pre.tab-' + CSS.escape(lang))));
}

// Arrows, Home and End move between tabs and choose; Space chooses.
function onTabKey(ev) {
  const a = ev.currentTarget, list = $$('a', a.parentNode), n = list.length, i = list.indexOf(a),
    back = getComputedStyle(a).direction === 'rtl' ? 1 : -1,
    next = list[({ ArrowLeft: i + back, ArrowRight: i - back, Home: 0, End: n - 1, ' ': i }[ev.key] + n) % n];
  if (next) { ev.preventDefault(); next.focus(); next.click(); }
}

// remembered for the next visit
const choose = (lang, push) => {
  if (lang === currentLang) return;
  setLanguage(lang);
  store(lang);
  if (push) setUrl(urlFor(lang), 1);
};
if (langs.length) {
  const first = html.dataset.language || langs[0];
  if (langFromUrl()) store(first);
  setLanguage(first);
  tabs.forEach(a => {
    on(a, 'click', ev => { ev.preventDefault(); choose(attr(a, 'data-language-name'), 1); });
    on(a, 'keydown', onTabKey);
  });
  // back and forward: the language of that URL
  on(win, 'popstate', () => choose(langFromUrl() || first));
}

/* Dark mode */
// html[data-theme]: set in <head>
const themeButton = doc.getElementById('theme-toggle'), system = matchMedia('(prefers-color-scheme: dark)');
const setTheme = dark => { html.dataset.theme = dark ? 'dark' : 'light'; themeButton.setAttribute('aria-pressed', dark); };
if (themeButton) {
  setTheme(html.dataset.theme === 'dark');
  on(themeButton, 'click', () => { setTheme(html.dataset.theme !== 'dark'); store(html.dataset.theme, 'shale-theme'); });
  on(system, 'change', () => store(0, 'shale-theme') || setTheme(system.matches));
}

/* Mobile menu */
const navButton = doc.getElementById('nav-button');
const navOpen = () => wrapper.classList.contains('open');
function setNav(open) {
  if (!navButton || !wrapper) return;
  wrapper.classList.toggle('open', open);
  navButton.classList.toggle('open', open);
  navButton.setAttribute('aria-expanded', open);
}
if (navButton && wrapper) {
  on(navButton, 'click', ev => { ev.preventDefault(); setNav(!navOpen()); });
  on(doc, 'click', ev => ev.target.closest('.page-wrapper, .toc-link') && setNav(false));
  on(doc, 'keydown', ev => {
    if (ev.key === 'Escape' && navOpen()) { setNav(false); navButton.focus(); }
  });
}

// language and version switchers: same section
$$('.locale-switcher a, .version-switcher a').forEach(a => on(a, 'click', () => { a.hash = location.hash; }));

/* Copy buttons */
// no Clipboard API (http): copy a selected textarea
function legacyCopy(text) {
  const ta = body.appendChild(Object.assign(doc.createElement('textarea'), { value: text }));
  ta.style.cssText = 'position:fixed;top:0;opacity:0';
  ta.select();
  const ok = doc.execCommand('copy');
  ta.remove();
  return ok ? Promise.resolve() : Promise.reject();
}
if (clip) {
  const t = doc.createElement('template');
  t.innerHTML = '<button type="button" class="copy-clipboard" title="Copy to clipboard" aria-label="Copy to clipboard"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18 6v-6h-18v18h6v6h18v-18h-6zm-12 10h-4v-14h14v4h-10v10zm16 6h-14v-14h14v14z"/></svg><span class="copy-status" aria-live="polite"></span></button>';
  $$('pre.highlight').forEach(pre => pre.prepend(t.content.cloneNode(true)));
  on(doc, 'click', ev => {
    const b = ev.target.closest && ev.target.closest('.copy-clipboard');
    if (!b) return;
    // the code's text, less one final newline
    const text = (b.parentNode.querySelector('code') || b.parentNode).textContent.replace(/\n$/, '');
    const show = msg => {
      const status = b.querySelector('.copy-status');
      b.focus();
      status.textContent = msg;
      b.classList.add('copied');
      clearTimeout(b.shaleTimer);
      b.shaleTimer = setTimeout(() => { status.textContent = ''; b.classList.remove('copied'); }, 1500);
    };
    (navigator.clipboard && win.isSecureContext ? navigator.clipboard.writeText(text) : Promise.reject())
      .catch(() => legacyCopy(text)).then(() => show('Copied'), () => show('Copy failed'));
  });
}

/* Search (index format: src/emit/search.rs): NAME.search.js, or the site's
   (input[data-index]) loaded on first use. Every word must match, as a prefix. */
const input = doc.getElementById('input-search'), results = doc.querySelector('.search-results');
if (input && results && content) initSearch();

function initSearch() {
  const TX = [], DIG = [], HL = 'search-highlight', api = win.CSS && CSS.highlights, B = 16777216;
  let ix = null, T, P, PG, gen = 0, marks = [], WORD, NOSPACE, cur, asked;
  const site = attr(input, 'data-index');
  try {
    WORD = RegExp('[\\p{Alphabetic}\\p{N}\\p{M}_]', 'u');
    NOSPACE = RegExp('[\\u0e00-\\u0eff\\u1000-\\u109f\\u1780-\\u17ff\\u3005-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{3ffff}]', 'u');
  } catch (e) { return; /* old engine: no search */ }
  const fold = s => (/^[\0-\x7f]*$/.test(s) ? s.toLowerCase() : s.toLowerCase().replace(/ς/g, 'σ').normalize('NFD')
    .replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, '').normalize('NFC'));
  const el = (tag, cls, text) => Object.assign(doc.createElement(tag), { className: cls || '', textContent: text || '' });
  for (let i = 0; i < 64; i++) DIG['0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.charCodeAt(i)] = i;
  // an id, or n: the title as Slate slugs ASCII (+ '-n')
  const idOf = (s, e = ix.ids[s]) => (e.length ? e : ix.titles[s].toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '') + (e ? '-' + e : ''));
  const onPage = s => !PG || PG[s] === cur;
  // where w starts a word of hay (or anywhere, without spaces), or -1
  function find(hay, w, i) {
    for (i = i || 0; (i = hay.indexOf(w.s, i)) >= 0; i++) if (w.ns || !i || !WORD.test(hay[i - 1]) || NOSPACE.test(hay[i - 1])) return i;
    return -1;
  }

  // Sort keys, best first: rank (words in the heading), score, this page, order.
  function search(query) {
    const n = ix.titles.length, hit = new Uint16Array(n), score = new Float64Array(n), ws = [], keys = [], out = [];
    let s = '', ns = false;
    for (const c of fold(query) + ' ') {
      const w = WORD.test(c), z = w && NOSPACE.test(c), cs = Array.from(s);
      if (s && (!w || z !== ns)) {
        ws.push({ s, ns });
        if (!ns || !cs[1]) keys.push([s, 1]);
        for (let i = 1; ns && i < cs.length; i++) keys.push([cs[i - 1] + cs[i], 0]);
        s = '';
      }
      if (w) { s += c; ns = z; }
    }
    keys.forEach(([t, prefix], k) => {
      let i = 0, hi = T.length;
      while (i < hi) { const m = (i + hi) >> 1; if (T[m] < t) i = m + 1; else hi = m; }
      for (; T[i] === t || (prefix && i < T.length && T[i].startsWith(t)); i++) {
        const p = P[i], bonus = T[i] === t ? 3 : 1;
        for (let j = 0, s = -1, v = 0, d; j < p.length; j++) {
          d = DIG[p.charCodeAt(j)];
          v = v * 32 + (d & 31);
          if (d < 32) {
            s += (v >> 2) + 1;
            if (hit[s] === k) { hit[s]++; score[s] += (v & 3) + bonus; }
            v = 0;
          }
        }
      }
    });
    for (let s = 0; keys.length && s < n; s++) if (hit[s] === keys.length) {
      const t = fold(ix.titles[s]);
      let inT = 0, sc = score[s];
      for (const w of ws) { const at = find(t, w); if (at >= 0) { inT++; sc += at ? 10 : 15; } }
      out.push((((inT === ws.length ? 2 : inT ? 1 : 0) * 4096 + Math.min(sc, 4095)) * 2 + onPage(s)) * B + B - 1 - s);
    }
    return [ws, Float64Array.from(out).sort().reverse()];
  }

  // ~100 characters of section s around the first match
  function snippet(s, ws) {
    if (TX[s] === undefined) { // the nodes after the heading, up to the next
      const next = ix.ids[s + 1] !== undefined && onPage(s + 1) && doc.getElementById(idOf(s + 1)), parts = [];
      const after = x => { while (x && x !== content && !x.nextSibling) x = x.parentNode; return x && x !== content && x.nextSibling; };
      for (let n = after(doc.getElementById(idOf(s))), len = 0; n && n !== next && len < 1e5;) {
        if (next && n.contains(next)) n = n.firstChild;
        else { parts.push(n.textContent); len += n.textContent.length; n = after(n); }
      }
      TX[s] = parts.join(' ').replace(/\s+/g, ' ').trim();
    }
    const t = TX[s], f = fold(t);
    let at = f.length === t.length ? Math.min(...ws.map(w => find(f, w) >>> 0)) : 0;
    let start = Math.max(0, (at = at > t.length ? 0 : at) - 30);
    if (start) start = Math.min(at, t.indexOf(' ', start) + 1 || start);
    return t && (start ? '\u2026' : '') + t.slice(start, start + 100) + (start + 100 < t.length ? '\u2026' : '');
  }

  // Matches in .content (8 ms at a time), wrapped at once, or on big pages the CSS highlight API
  function highlight(ws, my) {
    const found = [], walker = doc.createTreeWalker(content, 5, { acceptNode: x => (x.nodeType === 3 ? 1 : x.matches('script,style,button') ? 2 : 3) });
    let node, next = walker.nextNode();
    const step = () => {
      for (const stop = performance.now() + 8; (node = next) && found.length < 3000;) {
        if (my !== gen) return;
        next = walker.nextNode();
        const t = node.nodeValue, f = fold(t), rs = [];
        if (f.length !== t.length) continue; // offsets would not match
        for (const w of ws) for (let i = find(f, w); i >= 0; i = find(f, w, i + w.s.length)) rs.push([node, i, i + w.s.length]);
        let end = -1;
        found.push(...rs.sort((a, b) => a[1] - b[1] || b[2] - a[2]).filter(r => r[1] >= end && ((end = r[2]), true)));
        if (performance.now() > stop) return void setTimeout(step);
      }
      if (api && (PG ? (ix.pages[cur] || [])[3] : ix.size) > 5e5) api.set(HL, new Highlight(...found.map(([n, a, b]) => new StaticRange({ startContainer: n, startOffset: a, endContainer: n, endOffset: b }))));
      else found.reverse().forEach(([n, a, b]) => { // from the end: offsets stay valid
        const mid = n.splitText(a), span = el('span', HL);
        mid.splitText(b - a);
        mid.replaceWith(span);
        marks.push(span.appendChild(mid).parentNode);
      });
    };
    setTimeout(step);
  }

  function run() {
    const query = input.value.trim(), my = ++gen, parents = new Set(), list = doc.createDocumentFragment();
    marks.forEach(sp => { parents.add(sp.parentNode); sp.replaceWith(sp.textContent); });
    parents.forEach(p => p && p.normalize());
    marks = [];
    if (api) api.delete(HL);
    results.textContent = '';
    results.classList.toggle('visible', !!query);
    if (!query) return;
    const [ws, hits] = load() ? search(query) : [[], []];
    if (!hits.length) list.appendChild(el('li', 'search-no-results', ix ? 'No Results Found for "' + query + '"' : asked ? 'Loading\u2026' : 'No search index'));
    for (let r = 0; r < hits.length && r < 50; r++) {
      const s = B - 1 - hits[r] % B, a = el('a'), o = onPage(s), pg = PG && ix.pages[PG[s]], sn = o ? snippet(s, ws) : pg[1];
      a.href = (o ? '' : site.replace(/[^/]*$/, '') + pg[0]) + '#' + idOf(s);
      a.appendChild(el('span', 'search-result-title', ix.titles[s]));
      if (sn) a.appendChild(el('span', 'search-result-snippet', sn));
      list.appendChild(el('li')).appendChild(a);
    }
    results.appendChild(list);
    if (hits.length) highlight(ws, my);
  }

  const load = (x = win.shaleSearchIndex) => ix || (x && x.v === 1 && (T = x.terms.split(' '), P = x.postings.split(' '), ix = x,
    x.pages && (PG = new Uint32Array(x.ids.length), x.pages.forEach((p, i, a) => { PG.fill(i, p[2], (a[i + 1] || [])[2]); if (p[0] === attr(input, 'data-page')) cur = i; })), x));
  // the site index: a script, for file://
  const ask = () => { if (!load() && site && asked == null) { const sc = doc.head.appendChild(el('script')); asked = sc.onload = sc.onerror = () => { asked = 0; load() && search('e'); run(); }; sc.src = site; } };
  on(input, 'input', () => { ask(); run(); });
  on(input, 'focus', () => { ask(); load() && search('e'); }, { once: true }); // warms up
  // arrows: input and results; Enter: the first; Escape: clears
  const onKey = ev => {
    const links = $$('a', results), i = links.indexOf(doc.activeElement), k = ev.key, down = k === 'ArrowDown';
    if (k === 'Escape' && input.value) { ev.stopPropagation(); input.value = ''; run(); input.focus(); }
    if ((down || k === 'ArrowUp') && links.length) { ev.preventDefault(); (links[Math.min(i + (down ? 1 : -1), links.length - 1)] || input).focus(); }
    if (k === 'Enter' && i < 0 && links.length) { ev.preventDefault(); links[0].click(); }
  };
  on(input, 'keydown', onKey);
  on(results, 'keydown', onKey);
  on(results, 'click', ev => { if (ev.target.closest('a')) setNav(false); });
}
})();
