/* shale.js: behaviour of shale's default theme. Vanilla JS, no dependencies,
 * no network. Sections: helpers, TOC scroll spy, language tabs, mobile menu,
 * copy buttons, search. Loaded with `defer`, so the DOM is ready. */
(function () {
  'use strict';
  const doc = document, body = doc.body, win = window;
  const $$ = (sel, root) => Array.from((root || doc).querySelectorAll(sel));
  const content = doc.querySelector('.content');
  const wrapper = doc.querySelector('.toc-wrapper');

  function rafThrottle(fn) {
    let queued = false;
    return () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; fn(); });
    };
  }
  function setUrl(url, push) {
    if (url === location.search + location.hash) return;
    try { history[push ? 'pushState' : 'replaceState'](history.state, '', url); } catch (e) { /* e.g. some file:// pages */ }
  }
  function decode(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }

  /* ---------------------------------------------------------------- TOC */
  const toc = doc.getElementById('toc');
  const originalTitle = doc.title;
  const entries = [];
  let current = null, pinned = null, marked = [];

  if (toc) $$('.toc-link', toc).forEach(link => {
    const target = doc.getElementById(decode((link.getAttribute('href') || '').slice(1)));
    if (target) entries.push({ link, target, top: 0 });
  });
  const entryFor = hash => entries.find(e => '#' + e.target.id === decode(hash)) || null;

  function recache() {
    const y = win.pageYOffset;
    entries.forEach(e => { e.top = e.target.getBoundingClientRect().top + y; });
    spy(false);
  }
  const scheduleRecache = rafThrottle(recache);

  // Choose the entry whose heading is the last one above the top of the viewport.
  function spy(fromScroll) {
    if (!entries.length) return;
    const y = win.pageYOffset, pos = y + 10;
    const noRoom = y + win.innerHeight >= doc.documentElement.scrollHeight - 2;
    if (pinned) {
      const r = pinned.target.getBoundingClientRect();
      if (r.bottom < 0 || r.top > win.innerHeight) pinned = null;
    }
    let best = null;
    // A link followed on purpose (load, TOC, hash) wins while the page cannot
    // scroll it further up (Slate #1440); otherwise at the very bottom the last
    // heading is chosen, so short final sections can be selected.
    if (pinned && (noRoom || y === 0)) best = pinned;
    else if (noRoom && y > 0) best = entries.reduce((a, e) => (e.top >= a.top ? e : a));
    else entries.forEach(e => { if (e.top <= pos && (!best || e.top >= best.top)) best = e; });
    if (best !== current) select(best, fromScroll);
  }

  function select(entry, fromScroll) {
    marked.forEach(el => { el.classList.remove('active', 'active-parent'); el.removeAttribute('aria-current'); });
    marked = [];
    current = entry;
    if (!entry) { doc.title = originalTitle; return; }
    const link = entry.link;
    const mark = (el, cls) => { if (el) { el.classList.add(cls); marked.push(el); } };
    mark(link, 'active');
    link.setAttribute('aria-current', 'location');
    const list = link.closest('.toc-list-h2');
    if (list) {
      mark(list, 'active');
      const parent = list.previousElementSibling;
      if (parent && parent.classList.contains('toc-link')) mark(parent, 'active-parent');
    }
    const sub = link.nextElementSibling;
    if (sub && sub.classList.contains('toc-list-h2')) mark(sub, 'active');
    const title = link.getAttribute('data-title');
    doc.title = title ? title + ' \u2013 ' + originalTitle : originalTitle;
    if (fromScroll) setUrl(location.search + link.getAttribute('href'));
    // keep the active entry visible in the sidebar
    if (wrapper && wrapper.scrollHeight > wrapper.clientHeight) {
      const w = wrapper.getBoundingClientRect(), r = link.getBoundingClientRect();
      if (r.top < w.top || r.bottom > w.bottom) wrapper.scrollTop += r.top - w.top - w.height / 3;
    }
  }

  if (entries.length) {
    pinned = entryFor(location.hash);
    win.addEventListener('scroll', rafThrottle(() => spy(true)), { passive: true });
    win.addEventListener('resize', scheduleRecache);
    win.addEventListener('load', scheduleRecache);
    win.addEventListener('hashchange', () => { pinned = entryFor(location.hash); spy(false); });
    // a scroll by the reader ends the pin of a followed link
    ['wheel', 'touchmove', 'keydown'].forEach(t => win.addEventListener(t, () => { pinned = null; }, { passive: true }));
    if (content) {
      $$('img', content).forEach(img => { if (!img.complete) img.addEventListener('load', scheduleRecache); });
      if (win.ResizeObserver) new ResizeObserver(scheduleRecache).observe(content);
    }
    entries.forEach(e => e.link.addEventListener('click', () => { pinned = e; }));
    recache();
  }

  /* ------------------------------------------------------ Language tabs */
  let langs = [];
  try { langs = JSON.parse(body.getAttribute('data-languages') || '[]'); } catch (e) { /* ignore */ }
  if (!Array.isArray(langs)) langs = [];
  langs = langs.map(String);
  const tabs = $$('.lang-selector a[data-language-name]');
  const switchable = [];
  let currentLang = null, defaultLang = null;

  function langFromUrl() {
    const q = location.search.slice(1), candidates = [q];
    q.split('&').forEach(p => { if (p.indexOf('language=') === 0) candidates.push(p.slice(9)); });
    for (const c of candidates) {
      for (const v of [decode(c), decode(c.replace(/\+/g, ' '))]) if (langs.includes(v)) return v;
    }
    return null;
  }
  function storage(value) {
    try {
      if (value === undefined) return localStorage.getItem('language');
      localStorage.setItem('language', value);
    } catch (e) { /* storage disabled */ }
    return null;
  }
  // URL after choosing `lang`: `?KEY` when the query was empty or just a key,
  // else `language=` is set; other parameters and the hash are kept.
  function urlFor(lang) {
    let q = location.search.slice(1);
    const enc = encodeURIComponent(lang);
    if (!q || langs.includes(decode(q))) q = enc;
    else {
      let found = false;
      const parts = q.split('&').map(p => (p.indexOf('language=') === 0 ? ((found = true), 'language=' + enc) : p));
      if (!found) parts.push('language=' + enc);
      q = parts.join('&');
    }
    return '?' + q + location.hash;
  }
  // The first prose element at the top of the viewport, to keep it in place.
  function readingAnchor() {
    if (!content) return null;
    for (const el of content.children) {
      if (/^(PRE|BLOCKQUOTE)$/.test(el.tagName) || el.classList.contains('highlight') || el.classList.contains('lang-specific')) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.height) return { el, top: r.top };
    }
    return null;
  }

  function setLanguage(lang, keepPlace) {
    const anchor = keepPlace && readingAnchor();
    currentLang = lang;
    tabs.forEach(a => {
      const on = a.getAttribute('data-language-name') === lang;
      a.classList.toggle('active', on);
      a.setAttribute('aria-selected', on ? 'true' : 'false');
      a.tabIndex = on ? 0 : -1;
    });
    switchable.forEach(s => { s.el.style.display = s.keys.includes(lang) ? '' : 'none'; });
    if (anchor) win.scrollBy(0, anchor.el.getBoundingClientRect().top - anchor.top);
    recache();
  }

  function onTabKey(ev) {
    const a = ev.currentTarget, list = $$('a[data-language-name]', a.parentNode);
    const n = list.length, i = list.indexOf(a), k = ev.key;
    const rtl = getComputedStyle(a.parentNode).direction === 'rtl';
    let j;
    if (k === ' ' || k === 'Spacebar') { ev.preventDefault(); a.click(); return; }
    if (k === 'ArrowRight') j = rtl ? i - 1 : i + 1;
    else if (k === 'ArrowLeft') j = rtl ? i + 1 : i - 1;
    else if (k === 'Home') j = 0;
    else if (k === 'End') j = n - 1;
    else return;
    ev.preventDefault();
    const next = list[(j + n) % n];
    next.focus();
    next.click();
  }

  if (langs.length) {
    $$('.highlight, .lang-specific').forEach(el => {
      const cl = el.classList, hl = cl.contains('highlight'), ls = cl.contains('lang-specific');
      const keys = langs.filter(l => (hl && cl.contains('tab-' + l)) || (ls && cl.contains(l)));
      if (keys.length) switchable.push({ el, keys });
    });
    const fromUrl = langFromUrl(), saved = storage();
    if (fromUrl) storage(fromUrl);
    defaultLang = fromUrl || (langs.includes(saved) ? saved : langs[0]);
    setLanguage(defaultLang, false);
    // hiding code moved things: bring a deep-linked heading back into view
    const target = location.hash && doc.getElementById(decode(location.hash.slice(1)));
    if (target) target.scrollIntoView();
    tabs.forEach(a => {
      a.addEventListener('click', ev => {
        ev.preventDefault();
        const lang = a.getAttribute('data-language-name');
        if (lang === currentLang) return;
        setLanguage(lang, true);
        storage(lang);
        setUrl(urlFor(lang), true);
      });
      a.addEventListener('keydown', onTabKey);
    });
    win.addEventListener('popstate', () => {
      const lang = langFromUrl() || defaultLang;
      if (lang !== currentLang) setLanguage(lang, true);
    });
  }

  /* -------------------------------------------------------- Mobile menu */
  const navButton = doc.getElementById('nav-button');
  function setNav(open) {
    if (!wrapper || !navButton) return;
    wrapper.classList.toggle('open', open);
    navButton.classList.toggle('open', open);
    navButton.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  const navOpen = () => !!wrapper && wrapper.classList.contains('open');
  if (navButton && wrapper) {
    navButton.addEventListener('click', ev => { ev.preventDefault(); setNav(!navOpen()); });
    const pageWrapper = doc.querySelector('.page-wrapper');
    if (pageWrapper) pageWrapper.addEventListener('click', () => setNav(false));
    $$('.toc-link', wrapper).forEach(a => a.addEventListener('click', () => setNav(false)));
    doc.addEventListener('keydown', ev => {
      if (ev.key === 'Escape' && navOpen()) { setNav(false); navButton.focus(); }
    });
  }

  /* ------------------------------------------------------- Copy buttons */
  const COPY_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11z"/></svg>';

  function legacyCopy(text) {
    const ta = doc.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.cssText = 'position:fixed;top:0;left:0;opacity:0';
    body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = doc.execCommand('copy'); } catch (e) { /* unsupported */ }
    body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }
  function copyText(text) {
    if (navigator.clipboard && win.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(() => legacyCopy(text));
    }
    return legacyCopy(text);
  }

  if (body.hasAttribute('data-code-clipboard')) {
    $$('pre.highlight').forEach(pre => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'copy-clipboard';
      b.title = 'Copy to clipboard';
      b.setAttribute('aria-label', 'Copy to clipboard');
      b.innerHTML = COPY_ICON + '<span class="copy-status" aria-live="polite"></span>';
      pre.insertBefore(b, pre.firstChild);
    });
    doc.addEventListener('click', ev => {
      const b = ev.target.closest && ev.target.closest('.copy-clipboard');
      if (!b) return;
      const code = b.parentNode.querySelector('code') || b.parentNode;
      const status = b.querySelector('.copy-status');
      const show = msg => {
        b.focus();
        status.textContent = msg;
        b.classList.add('copied');
        clearTimeout(b.shaleTimer);
        b.shaleTimer = setTimeout(() => { status.textContent = ''; b.classList.remove('copied'); }, 1500);
      };
      copyText(code.textContent.replace(/\n$/, '')).then(() => show('Copied'), () => show('Copy failed'));
    });
  }

  /* ============================================================= Search
   * Only when #input-search exists. The index is built in the browser from
   * the h1/h2/h3 sections of .content: {id, title, text}, plus folded
   * (lowercased, accent-free) copies used for matching. A prebuilt index
   * can later replace buildIndex() with the same shape.
   * =================================================================== */
  const input = doc.getElementById('input-search');
  const results = doc.querySelector('.search-results');
  if (input && results && content) initSearch();

  function initSearch() {
    let sections = null, timer = 0;
    // Scripts written without spaces between words: match anywhere.
    const NOSPACE = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F]/;
    let WORD = /\w/;
    try { WORD = new RegExp('[\\p{L}\\p{N}]', 'u'); } catch (e) { /* old engine */ }
    const fold = s => (s.normalize ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC') : s).toLowerCase();
    const SKIP = 'script,style,button,svg,textarea';

    function buildIndex() {
      sections = [];
      let cur = null, n;
      const walker = doc.createTreeWalker(content, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
        acceptNode: x => (x.nodeType === 1 && x.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      while ((n = walker.nextNode())) {
        if (n.nodeType === 1) {
          if (/^H[123]$/.test(n.tagName) && n.id) {
            cur = { id: n.id, el: n, title: n.textContent.replace(/\s+/g, ' ').trim(), parts: [] };
            sections.push(cur);
          }
        } else if (cur && !cur.el.contains(n)) cur.parts.push(n.nodeValue);
      }
      for (const s of sections) {
        s.text = s.parts.join('').replace(/\s+/g, ' ').trim();
        delete s.parts;
        s.ftitle = fold(s.title);
        s.ftext = fold(s.text);
      }
    }

    // Index of `word` in `hay` at the start of a word (prefix match), or -1.
    function find(hay, word, from) {
      let i = from || 0;
      while ((i = hay.indexOf(word, i)) >= 0) {
        const prev = hay[i - 1];
        if (!i || !WORD.test(prev) || NOSPACE.test(prev) || NOSPACE.test(word[0])) return i;
        i++;
      }
      return -1;
    }

    function search(words) {
      const hits = [];
      sections.forEach((s, idx) => {
        let score = 0, inTitle = 0, first = -1;
        for (const w of words) {
          const t = find(s.ftitle, w);
          let b = find(s.ftext, w), count = 0;
          if (t < 0 && b < 0) return;
          if (t >= 0) { inTitle++; score += t ? 10 : 15; }
          if (b >= 0 && (first < 0 || b < first)) first = b;
          while (b >= 0 && count < 5) { count++; b = find(s.ftext, w, b + w.length); }
          score += count;
        }
        hits.push({ s, rank: inTitle === words.length ? 2 : inTitle ? 1 : 0, score, first, idx });
      });
      return hits.sort((a, b) => b.rank - a.rank || b.score - a.score || a.idx - b.idx);
    }

    function el(tag, cls, text) {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    }
    function snippet(text, at) {
      if (at < 0 || !text) return '';
      let start = Math.max(0, at - 40);
      if (start) { const sp = text.indexOf(' ', start); if (sp >= 0 && sp < at) start = sp + 1; }
      const end = Math.min(text.length, start + 120);
      return (start ? '\u2026' : '') + text.slice(start, end) + (end < text.length ? '\u2026' : '');
    }

    function render(hits, query) {
      results.textContent = '';
      results.classList.add('visible');
      if (!hits.length) {
        results.appendChild(el('li', 'search-no-results', 'No Results Found for "' + query + '"'));
        return;
      }
      for (const h of hits.slice(0, 50)) {
        const li = el('li'), a = el('a');
        a.href = '#' + h.s.id;
        a.appendChild(el('span', 'search-result-title', h.s.title));
        const snip = snippet(h.s.text, h.first);
        if (snip) a.appendChild(el('span', 'search-result-snippet', snip));
        li.appendChild(a);
        results.appendChild(li);
      }
    }

    function clearHighlights() {
      const parents = new Set();
      $$('span.search-highlight', content).forEach(sp => {
        parents.add(sp.parentNode);
        sp.replaceWith(doc.createTextNode(sp.textContent));
      });
      parents.forEach(p => p.normalize());
    }

    function highlight(words) {
      let budget = 1000, n;
      const nodes = [], walker = doc.createTreeWalker(content, NodeFilter.SHOW_TEXT);
      while ((n = walker.nextNode())) if (!n.parentNode.closest(SKIP)) nodes.push(n);
      for (const node of nodes) {
        if (budget <= 0) break;
        const f = fold(node.nodeValue);
        if (f.length !== node.nodeValue.length) continue; // offsets would not match
        const ranges = [];
        for (const w of words) {
          for (let i = find(f, w); i >= 0; i = find(f, w, i + w.length)) ranges.push([i, i + w.length]);
        }
        ranges.sort((a, b) => a[0] - b[0]);
        const merged = [];
        for (const r of ranges) {
          const last = merged[merged.length - 1];
          if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
          else merged.push(r);
        }
        for (let k = merged.length - 1; k >= 0 && budget > 0; k--, budget--) {
          const mid = node.splitText(merged[k][0]);
          mid.splitText(merged[k][1] - merged[k][0]);
          const span = el('span', 'search-highlight');
          mid.replaceWith(span);
          span.appendChild(mid);
        }
      }
    }

    function run() {
      const query = input.value.trim();
      clearHighlights();
      if (!query) { results.classList.remove('visible'); results.textContent = ''; return; }
      if (!sections) buildIndex();
      const words = fold(query).split(/\s+/).filter(Boolean);
      render(search(words), query);
      highlight(words);
    }

    input.addEventListener('focus', () => { if (!sections) buildIndex(); });
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, sections && sections.length > 500 ? 200 : 0);
    });
    input.addEventListener('keydown', ev => {
      const links = $$('a', results);
      if (ev.key === 'Escape' && input.value) { ev.stopPropagation(); input.value = ''; run(); }
      else if (ev.key === 'ArrowDown' && links.length) { ev.preventDefault(); links[0].focus(); }
      else if (ev.key === 'Enter' && links.length) { ev.preventDefault(); links[0].click(); }
    });
    results.addEventListener('keydown', ev => {
      const links = $$('a', results), i = links.indexOf(doc.activeElement);
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        const j = i + (ev.key === 'ArrowDown' ? 1 : -1);
        (j < 0 ? input : links[Math.min(j, links.length - 1)]).focus();
      } else if (ev.key === 'Escape') {
        ev.stopPropagation();
        input.value = '';
        run();
        input.focus();
      }
    });
    results.addEventListener('click', ev => { if (ev.target.closest('a')) setNav(false); });
  }
})();
