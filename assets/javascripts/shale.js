/* shale.js: TOC scroll spy, language tabs, dark mode, mobile menu, copy buttons, search. */
(function () {
'use strict';
const doc = document, body = doc.body, win = window;
const $$ = (sel, root) => Array.from((root || doc).querySelectorAll(sel));
const content = doc.querySelector('.content'), wrapper = doc.querySelector('.toc-wrapper');
const decode = s => { try { return decodeURIComponent(s); } catch (e) { return s; } };
const has = (el, cls) => el.classList.contains(cls);
const attr = (el, name) => el.getAttribute(name);
const on = (el, type, fn, opt) => el.addEventListener(type, fn, opt);
const rafThrottle = (fn, queued) => () => { if (!queued) queued = requestAnimationFrame(() => { queued = 0; fn(); }); };
function setUrl(url, push) {
  // decoded: location percent-encodes non-ASCII
  if (decode(url) !== decode(location.search + location.hash)) try { history[push ? 'pushState' : 'replaceState'](history.state, '', url); } catch (e) { /* file:// */ }
}

/* TOC */
const originalTitle = doc.title, entries = [], clip = body.hasAttribute('data-code-clipboard');
let current = null, pinned = null, marked = [];
$$('#toc .toc-link').forEach(link => {
  const target = doc.getElementById(decode(attr(link, 'href').slice(1)));
  if (target) entries.push({ link, target, top: 0 });
});
const entryFor = hash => entries.find(e => '#' + e.target.id === decode(hash)) || null;

function recache() {
  entries.forEach(e => { e.top = e.target.getBoundingClientRect().top + win.pageYOffset; });
  // wide code and tables scroll by keyboard (unless a copy button takes the focus)
  $$(clip ? '.content > table' : '.content > table, pre.highlight').forEach(p => { if (p.scrollWidth > p.clientWidth) p.tabIndex = 0; else p.removeAttribute('tabindex'); });
  spy(false);
}
const scheduleRecache = rafThrottle(recache);

// The current entry is the last heading above the top of the viewport.
function spy(fromScroll) {
  if (!entries.length) return;
  const y = win.pageYOffset, h = win.innerHeight, atEnd = y + h >= doc.documentElement.scrollHeight - 2;
  // a scroll that hides a followed link unpins it (not on load: no scroll yet)
  if (pinned && fromScroll) {
    const r = pinned.target.getBoundingClientRect();
    if (r.bottom < 0 || r.top > h) pinned = null;
  }
  let best = null;
  // A followed link (load, TOC click, hash) wins while the page cannot scroll
  // it higher (Slate #1440); else the page end selects the last heading.
  if (pinned && (atEnd || !y)) best = pinned;
  else if (atEnd && y) best = entries.reduce((a, e) => (e.top >= a.top ? e : a));
  else entries.forEach(e => { if (e.top <= y + 10 && (!best || e.top >= best.top)) best = e; });
  if (best !== current) select(best);
  // the hash follows the reader (also when a recache chose the entry first)
  if (fromScroll && best) setUrl(location.search + attr(best.link, 'href'));
}

function select(entry) {
  marked.forEach(el => { el.classList.remove('active', 'active-parent'); el.removeAttribute('aria-current'); });
  marked = [];
  current = entry;
  doc.title = originalTitle;
  if (!entry) return;
  const link = entry.link, list = link.closest('.toc-list-h2'), sub = link.nextElementSibling, title = attr(link, 'data-title');
  const mark = (el, cls) => { if (el) { el.classList.add(cls); marked.push(el); } };
  mark(link, 'active');
  link.setAttribute('aria-current', 'location');
  if (list) {
    mark(list, 'active');
    mark(list.previousElementSibling, 'active-parent');
  }
  if (sub && has(sub, 'toc-list-h2')) mark(sub, 'active');
  if (title) doc.title = title + ' \u2013 ' + originalTitle;
  // keep the active entry visible in the sidebar
  const w = (wrapper || body).getBoundingClientRect(), r = link.getBoundingClientRect();
  if (wrapper && (r.top < w.top || r.bottom > w.bottom)) wrapper.scrollTop += r.top - w.top - w.height / 3;
}

if (entries.length) {
  pinned = entryFor(location.hash);
  on(win, 'scroll', rafThrottle(() => spy(true)), { passive: true });
  on(win, 'resize', scheduleRecache);
  on(win, 'load', scheduleRecache);
  on(win, 'hashchange', () => { pinned = entryFor(location.hash); spy(false); });
  // scrolling by the reader ends the pin of a followed link
  ['wheel', 'touchmove', 'keydown'].forEach(t => on(win, t, () => { pinned = null; }, { passive: true }));
  entries.forEach(e => on(e.link, 'click', () => { pinned = e; }));
  // images arriving, code shown or hidden, a new width: the content resizes
  if (content && win.ResizeObserver) new ResizeObserver(scheduleRecache).observe(content);
  recache();
}

/* Language tabs */
let langs = [], currentLang = null, defaultLang = null;
try { langs = JSON.parse(attr(body, 'data-languages') || '[]').map(String); } catch (e) { /* none */ }
const tabs = $$('.lang-selector a[data-language-name]'), switchable = [];
const store = (v, k = 'language') => { try { return v ? localStorage.setItem(k, v) : localStorage.getItem(k); } catch (e) { return null; } };

// `?KEY` (the whole query) or `?language=KEY` among other parameters.
function langFromUrl() {
  const q = location.search.slice(1);
  const found = [q].concat(q.split('&').filter(p => !p.indexOf('language=')).map(p => p.slice(9)))
    .flatMap(c => [decode(c), decode(c.replace(/\+/g, ' '))])
    .find(c => langs.includes(c));
  return found || null;
}
// The URL after choosing `lang`: `?KEY` when the query was empty or a key,
// else `language=` is set; other parameters and the hash are kept.
function urlFor(lang) {
  let q = location.search.slice(1);
  const param = 'language=' + encodeURIComponent(lang);
  if (!q || langs.includes(decode(q))) q = encodeURIComponent(lang);
  else if (/(^|&)language=/.test(q)) q = q.split('&').map(p => (p.indexOf('language=') ? p : param)).join('&');
  else q += '&' + param;
  return '?' + q + location.hash;
}

function setLanguage(lang, keepPlace) {
  // keep the first prose element at the top of the viewport in place
  let anchor = null;
  if (keepPlace && content) {
    for (const el of content.children) {
      if (/^(PRE|BLOCKQUOTE)$/.test(el.tagName) || has(el, 'highlight') || has(el, 'lang-specific')) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.height) { anchor = { el, top: r.top }; break; }
    }
  }
  currentLang = lang;
  tabs.forEach(a => {
    const sel = attr(a, 'data-language-name') === lang;
    a.classList.toggle('active', sel);
    a.setAttribute('aria-selected', sel);
    a.tabIndex = sel ? 0 : -1;
  });
  switchable.forEach(s => { s.el.style.display = s.keys.includes(lang) ? '' : 'none'; });
  if (anchor) win.scrollBy(0, anchor.el.getBoundingClientRect().top - anchor.top);
  recache();
}

// Arrow keys, Home and End move between tabs (and choose); Space chooses.
function onTabKey(ev) {
  const a = ev.currentTarget, list = $$('a', a.parentNode), k = ev.key;
  const n = list.length, i = list.indexOf(a), back = getComputedStyle(a).direction === 'rtl' ? 1 : -1;
  const j = { ArrowLeft: i + back, ArrowRight: i - back, Home: 0, End: n - 1 }[k];
  if (k === ' ' || j !== undefined) ev.preventDefault();
  if (k === ' ') a.click();
  if (j === undefined) return;
  const next = list[(j + n) % n];
  next.focus();
  next.click();
}

if (langs.length) {
  $$('.highlight, .lang-specific').forEach(el => {
    const keys = langs.filter(l => has(el, has(el, 'lang-specific') ? l : 'tab-' + l));
    if (keys.length) switchable.push({ el, keys });
  });
  const fromUrl = langFromUrl(), saved = store();
  if (fromUrl) store(fromUrl);
  defaultLang = fromUrl || (langs.includes(saved) ? saved : langs[0]);
  setLanguage(defaultLang, false);
  // hidden code moved the page: bring a deep-linked heading back into view
  const target = location.hash && doc.getElementById(decode(location.hash.slice(1)));
  if (target) target.scrollIntoView();
  tabs.forEach(a => {
    on(a, 'click', ev => {
      ev.preventDefault();
      const lang = attr(a, 'data-language-name');
      if (lang === currentLang) return;
      setLanguage(lang, true);
      store(lang);
      setUrl(urlFor(lang), true);
    });
    on(a, 'keydown', onTabKey);
  });
  // back and forward: the language of that URL, remembered for the next visit
  on(win, 'popstate', () => {
    const lang = langFromUrl() || defaultLang;
    if (lang !== currentLang) { setLanguage(lang, true); store(lang); }
  });
}

/* Dark mode */
// the script in <head> set html[data-theme]: the saved choice, else the system's
const themeButton = doc.getElementById('theme-toggle'), html = doc.documentElement, system = matchMedia('(prefers-color-scheme: dark)');
const setTheme = dark => { html.dataset.theme = dark ? 'dark' : 'light'; themeButton.setAttribute('aria-pressed', dark); };
if (themeButton) {
  setTheme(html.dataset.theme === 'dark');
  on(themeButton, 'click', () => { setTheme(html.dataset.theme !== 'dark'); store(html.dataset.theme, 'shale-theme'); });
  on(system, 'change', () => store(0, 'shale-theme') || setTheme(system.matches));
}

/* Mobile menu */
const navButton = doc.getElementById('nav-button');
const navOpen = () => has(wrapper, 'open');
function setNav(open) {
  if (!navButton || !wrapper) return;
  wrapper.classList.toggle('open', open);
  navButton.classList.toggle('open', open);
  navButton.setAttribute('aria-expanded', open);
}
if (navButton && wrapper) {
  on(navButton, 'click', ev => { ev.preventDefault(); setNav(!navOpen()); });
  $$('.page-wrapper, .toc-link').forEach(el => on(el, 'click', () => setNav(false)));
  on(doc, 'keydown', ev => {
    if (ev.key === 'Escape' && navOpen()) { setNav(false); navButton.focus(); }
  });
}

// language switcher: same section
$$('.locale-switcher a').forEach(a => on(a, 'click', () => { a.hash = location.hash; }));

/* Copy buttons */
// no Clipboard API (plain http, not localhost): copy a selected textarea
function legacyCopy(text) {
  const ta = body.appendChild(Object.assign(doc.createElement('textarea'), { value: text }));
  ta.style.cssText = 'position:fixed;top:0;opacity:0';
  ta.select();
  const ok = doc.execCommand('copy');
  ta.remove();
  return ok ? Promise.resolve() : Promise.reject();
}
if (clip) {
  $$('pre.highlight').forEach(pre => {
    const b = pre.insertBefore(Object.assign(doc.createElement('button'), { type: 'button', className: 'copy-clipboard', title: 'Copy to clipboard' }), pre.firstChild);
    b.setAttribute('aria-label', b.title);
    b.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 7h11v15H9zM5 18V3h11"/></svg><span class="copy-status" aria-live="polite"></span>';
  });
  on(doc, 'click', ev => {
    const b = ev.target.closest && ev.target.closest('.copy-clipboard');
    if (!b) return;
    // the code's text, not its markup, less one final newline
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

/* ============================================================= Search
 * The index is window.shaleSearchIndex, set by NAME.search.js (format in
 * src/search.rs). Every word must match, as a prefix; headings first.
 * =================================================================== */
const input = doc.getElementById('input-search'), results = doc.querySelector('.search-results');
if (input && results && content) initSearch();

function initSearch() {
  const TX = [], DIG = [], HL = 'search-highlight', api = win.CSS && CSS.highlights;
  let ix = null, T, P, gen = 0, marks = [], WORD, NOSPACE;
  try { // as in src/search.rs
    WORD = RegExp('[\\p{Alphabetic}\\p{N}\\p{M}_]', 'u');
    NOSPACE = RegExp('[\\u0e00-\\u0eff\\u1000-\\u109f\\u1780-\\u17ff\\u3005-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{3ffff}]', 'u');
  } catch (e) { return; /* old engine: no search */ }
  const fold = s => (/^[\0-\x7f]*$/.test(s) ? s.toLowerCase() : s.toLowerCase().replace(/ς/g, 'σ').normalize('NFD')
    .replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, '').normalize('NFC'));
  const el = (tag, cls, text) => Object.assign(doc.createElement(tag), { className: cls || '', textContent: text || '' });
  for (let i = 0; i < 64; i++) DIG['0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.charCodeAt(i)] = i;
  // an id, or n: the title as Slate slugs ASCII (+ '-n')
  const idOf = (s, e = ix.ids[s]) => (e.length ? e : ix.titles[s].toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '') + (e ? '-' + e : ''));
  // where w starts a word of hay (or anywhere, without spaces), or -1
  function find(hay, w, i) {
    for (i = i || 0; (i = hay.indexOf(w.s, i)) >= 0; i++) if (w.ns || !i || !WORD.test(hay[i - 1]) || NOSPACE.test(hay[i - 1])) return i;
    return -1;
  }

  // Sort keys of the matches, best first: rank (all words in the heading 2,
  // some 1), score, page order. ws: the words (ns: no spaces in the script).
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
      out.push(((inT === ws.length ? 2 : inT ? 1 : 0) * 4096 + Math.min(sc, 4095)) * 16777216 + 16777215 - s);
    }
    return [ws, Float64Array.from(out).sort().reverse()];
  }

  // ~100 characters of section s around the first match, from the page
  function snippet(s, ws) {
    if (TX[s] === undefined) { // the nodes after the heading, up to the next
      const next = ix.ids[s + 1] !== undefined && doc.getElementById(idOf(s + 1)), parts = [];
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

  // Matches in .content, found 8 ms at a time, then wrapped in spans at once
  // (one relayout); on big pages (slow relayout) the CSS highlight API.
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
      if (api && ix.size > 5e5) api.set(HL, new Highlight(...found.map(([n, a, b]) => new StaticRange({ startContainer: n, startOffset: a, endContainer: n, endOffset: b }))));
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
    if (!hits.length) list.appendChild(el('li', 'search-no-results', ix ? 'No Results Found for "' + query + '"' : 'No search index'));
    for (let r = 0; r < hits.length && r < 50; r++) {
      const s = 16777215 - (hits[r] % 16777216), a = el('a'), sn = snippet(s, ws);
      a.href = '#' + idOf(s);
      a.appendChild(el('span', 'search-result-title', ix.titles[s]));
      if (sn) a.appendChild(el('span', 'search-result-snippet', sn));
      list.appendChild(el('li')).appendChild(a);
    }
    results.appendChild(list);
    if (hits.length) highlight(ws, my);
  }

  const load = (x = win.shaleSearchIndex) => ix || (x && x.v === 1 && (T = x.terms.split(' '), P = x.postings.split(' '), ix = x));
  input.addEventListener('input', run);
  input.addEventListener('focus', () => load() && search('e'), { once: true }); // warms up
  // arrows: between the input and the results; Enter: the first; Escape: clears
  const onKey = ev => {
    const links = $$('a', results), i = links.indexOf(doc.activeElement), k = ev.key, down = k === 'ArrowDown';
    if (k === 'Escape' && input.value) { ev.stopPropagation(); input.value = ''; run(); input.focus(); }
    if ((down || k === 'ArrowUp') && links.length) { ev.preventDefault(); (links[Math.min(i + (down ? 1 : -1), links.length - 1)] || input).focus(); }
    if (k === 'Enter' && i < 0 && links.length) { ev.preventDefault(); links[0].click(); }
  };
  input.addEventListener('keydown', onKey);
  results.addEventListener('keydown', onKey);
  results.addEventListener('click', ev => { if (ev.target.closest('a')) setNav(false); });
}
})();
