/* shale.js: behaviour of shale's default theme. Vanilla JS, no dependencies,
 * no requests. Loaded with `defer`, so the DOM is ready. Sections: TOC scroll
 * spy, language tabs, mobile menu, copy buttons, search. */
(function () {
  'use strict';
  const doc = document, body = doc.body, win = window;
  const $$ = (sel, root) => Array.from((root || doc).querySelectorAll(sel));
  const content = doc.querySelector('.content');
  const wrapper = doc.querySelector('.toc-wrapper');
  const decode = s => { try { return decodeURIComponent(s); } catch (e) { return s; } };
  const has = (el, cls) => el.classList.contains(cls);
  const rafThrottle = fn => {
    let queued = false;
    return () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fn(); }); } };
  };
  function setUrl(url, push) {
    if (url === location.search + location.hash) return;
    try { history[push ? 'pushState' : 'replaceState'](history.state, '', url); } catch (e) { /* file:// */ }
  }

  /* ---------------------------------------------------------------- TOC */
  const toc = doc.getElementById('toc'), originalTitle = doc.title, entries = [];
  let current = null, pinned = null, marked = [];
  if (toc) $$('.toc-link', toc).forEach(link => {
    const target = doc.getElementById(decode((link.getAttribute('href') || '').slice(1)));
    if (target) entries.push({ link, target, top: 0 });
  });
  const entryFor = hash => entries.find(e => '#' + e.target.id === decode(hash)) || null;

  function recache() {
    entries.forEach(e => { e.top = e.target.getBoundingClientRect().top + win.pageYOffset; });
    spy(false);
  }
  const scheduleRecache = rafThrottle(recache);

  // The current entry is the last heading above the top of the viewport.
  function spy(fromScroll) {
    if (!entries.length) return;
    const y = win.pageYOffset, h = win.innerHeight;
    const atEnd = y + h >= doc.documentElement.scrollHeight - 2;
    if (pinned) {
      const r = pinned.target.getBoundingClientRect();
      if (r.bottom < 0 || r.top > h) pinned = null;
    }
    let best = null;
    // A followed link (load, TOC click, hash) wins while the page cannot scroll
    // it higher (Slate #1440); else the page end selects the last heading.
    if (pinned && (atEnd || !y)) best = pinned;
    else if (atEnd && y) best = entries.reduce((a, e) => (e.top >= a.top ? e : a));
    else entries.forEach(e => { if (e.top <= y + 10 && (!best || e.top >= best.top)) best = e; });
    if (best !== current) select(best, fromScroll);
  }

  function select(entry, fromScroll) {
    marked.forEach(el => { el.classList.remove('active', 'active-parent'); el.removeAttribute('aria-current'); });
    marked = [];
    current = entry;
    doc.title = originalTitle;
    if (!entry) return;
    const link = entry.link, list = link.closest('.toc-list-h2'), sub = link.nextElementSibling;
    const mark = (el, cls) => { if (el) { el.classList.add(cls); marked.push(el); } };
    mark(link, 'active');
    link.setAttribute('aria-current', 'location');
    if (list) {
      mark(list, 'active');
      const parent = list.previousElementSibling;
      if (parent && has(parent, 'toc-link')) mark(parent, 'active-parent');
    }
    if (sub && has(sub, 'toc-list-h2')) mark(sub, 'active');
    const title = link.getAttribute('data-title');
    if (title) doc.title = title + ' \u2013 ' + originalTitle;
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
    // scrolling by the reader ends the pin of a followed link
    ['wheel', 'touchmove', 'keydown'].forEach(t => win.addEventListener(t, () => { pinned = null; }, { passive: true }));
    entries.forEach(e => e.link.addEventListener('click', () => { pinned = e; }));
    if (content) {
      $$('img', content).forEach(img => img.addEventListener('load', scheduleRecache));
      if (win.ResizeObserver) new ResizeObserver(scheduleRecache).observe(content);
    }
    recache();
  }

  /* ------------------------------------------------------ Language tabs */
  let langs = [], currentLang = null, defaultLang = null;
  try { langs = JSON.parse(body.getAttribute('data-languages') || '[]').map(String); } catch (e) { /* none */ }
  const tabs = $$('.lang-selector a[data-language-name]'), switchable = [];
  const store = lang => { try { return lang ? localStorage.setItem('language', lang) : localStorage.getItem('language'); } catch (e) { return null; } };

  // `?KEY` (the whole query) or `?language=KEY` among other parameters.
  function langFromUrl() {
    const q = location.search.slice(1);
    const found = [q].concat(q.split('&').filter(p => !p.indexOf('language=')).map(p => p.slice(9)))
      .map(c => [decode(c), decode(c.replace(/\+/g, ' '))])
      .reduce((a, b) => a.concat(b), [])
      .find(c => langs.includes(c));
    return found === undefined ? null : found;
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
      const on = a.getAttribute('data-language-name') === lang;
      a.classList.toggle('active', on);
      a.setAttribute('aria-selected', on);
      a.tabIndex = on ? 0 : -1;
    });
    switchable.forEach(s => { s.el.style.display = s.keys.includes(lang) ? '' : 'none'; });
    if (anchor) win.scrollBy(0, anchor.el.getBoundingClientRect().top - anchor.top);
    recache();
  }

  // Arrow keys, Home and End move between tabs; Space activates.
  function onTabKey(ev) {
    const a = ev.currentTarget, list = $$('a[data-language-name]', a.parentNode), k = ev.key;
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
      const keys = langs.filter(l => (has(el, 'highlight') && has(el, 'tab-' + l)) || (has(el, 'lang-specific') && has(el, l)));
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
      a.addEventListener('click', ev => {
        ev.preventDefault();
        const lang = a.getAttribute('data-language-name');
        if (lang === currentLang) return;
        setLanguage(lang, true);
        store(lang);
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
  const navOpen = () => !!wrapper && has(wrapper, 'open');
  function setNav(open) {
    if (!wrapper || !navButton) return;
    wrapper.classList.toggle('open', open);
    navButton.classList.toggle('open', open);
    navButton.setAttribute('aria-expanded', open);
  }
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
  function legacyCopy(text) {
    const ta = doc.createElement('textarea');
    ta.value = text;
    ta.style.cssText = 'position:fixed;top:0;opacity:0';
    body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = doc.execCommand('copy'); } catch (e) { /* unsupported */ }
    ta.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }
  if (body.hasAttribute('data-code-clipboard')) {
    $$('pre.highlight').forEach(pre => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'copy-clipboard';
      b.title = 'Copy to clipboard';
      b.setAttribute('aria-label', 'Copy to clipboard');
      b.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11z"/></svg><span class="copy-status" aria-live="polite"></span>';
      pre.insertBefore(b, pre.firstChild);
    });
    doc.addEventListener('click', ev => {
      const b = ev.target.closest && ev.target.closest('.copy-clipboard');
      if (!b) return;
      const text = (b.parentNode.querySelector('code') || b.parentNode).textContent.replace(/\n$/, '');
      const show = msg => {
        const status = b.querySelector('.copy-status');
        b.focus();
        status.textContent = msg;
        b.classList.add('copied');
        clearTimeout(b.shaleTimer);
        b.shaleTimer = setTimeout(() => { status.textContent = ''; b.classList.remove('copied'); }, 1500);
      };
      const clip = navigator.clipboard && win.isSecureContext ? navigator.clipboard.writeText(text) : Promise.reject();
      clip.catch(() => legacyCopy(text)).then(() => show('Copied'), () => show('Copy failed'));
    });
  }

  /* ============================================================= Search
   * Only when #input-search exists. The index is built in the browser from
   * the h1/h2/h3 sections of .content as [{id, title, text}] plus folded
   * (lowercase, accent-free) copies for matching; a prebuilt index of the
   * same shape can replace buildIndex() later.
   * =================================================================== */
  const input = doc.getElementById('input-search'), results = doc.querySelector('.search-results');
  if (input && results && content) initSearch();

  function initSearch() {
    let sections = null, timer = 0, WORD = /\w/;
    try { WORD = new RegExp('[\\p{L}\\p{N}]', 'u'); } catch (e) { /* old engine */ }
    // scripts written without spaces between words: match anywhere in a word
    const NOSPACE = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F]/;
    const SKIP = 'script,style,button,svg,textarea';
    const fold = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase();
    const el = (tag, cls, text) => Object.assign(doc.createElement(tag), cls ? { className: cls } : {}, text ? { textContent: text } : {});

    function buildIndex() {
      sections = [];
      let cur = null, n;
      const walker = doc.createTreeWalker(content, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
        { acceptNode: x => (x.nodeType === 1 && x.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
      while ((n = walker.nextNode())) {
        if (n.nodeType === 3) { if (cur && !cur.el.contains(n)) cur.parts.push(n.nodeValue); }
        else if (/^H[123]$/.test(n.tagName) && n.id) sections.push(cur = { id: n.id, el: n, title: n.textContent.trim(), parts: [] });
      }
      for (const s of sections) {
        s.text = s.parts.join('').replace(/\s+/g, ' ').trim();
        s.ftitle = fold(s.title);
        s.ftext = fold(s.text);
      }
    }

    // Position of `word` at the start of a word of `hay` (prefix match), or -1.
    function find(hay, word, from) {
      for (let i = from || 0; (i = hay.indexOf(word, i)) >= 0; i++) {
        const prev = hay[i - 1];
        if (!i || !WORD.test(prev) || NOSPACE.test(prev) || NOSPACE.test(word[0])) return i;
      }
      return -1;
    }

    // Every word must match; sections matching all words in the heading first.
    function search(words) {
      const hits = [];
      sections.forEach((s, idx) => {
        let score = 0, inTitle = 0, first = -1;
        for (const w of words) {
          const t = find(s.ftitle, w);
          let b = find(s.ftext, w);
          if (t < 0 && b < 0) return;
          if (t >= 0) { inTitle++; score += t ? 10 : 15; }
          if (b >= 0 && (first < 0 || b < first)) first = b;
          for (let c = 0; b >= 0 && c < 5; c++, score++) b = find(s.ftext, w, b + w.length);
        }
        hits.push({ s, rank: inTitle === words.length ? 2 : inTitle ? 1 : 0, score, first, idx });
      });
      return hits.sort((a, b) => b.rank - a.rank || b.score - a.score || a.idx - b.idx);
    }

    function render(hits, query) {
      results.textContent = '';
      results.classList.add('visible');
      if (!hits.length) results.appendChild(el('li', 'search-no-results', 'No Results Found for "' + query + '"'));
      for (const { s, first } of hits.slice(0, 50)) {
        const a = el('a');
        a.href = '#' + s.id;
        a.appendChild(el('span', 'search-result-title', s.title));
        if (first >= 0) {
          let start = Math.max(0, first - 30);
          if (start) start = s.text.indexOf(' ', start) + 1 || start;
          if (start > first) start = first;
          const end = start + 100;
          a.appendChild(el('span', 'search-result-snippet', (start ? '\u2026' : '') + s.text.slice(start, end) + (end < s.text.length ? '\u2026' : '')));
        }
        results.appendChild(el('li')).appendChild(a);
      }
    }

    function clearHighlights() {
      const spans = $$('span.search-highlight', content);
      spans.forEach(sp => sp.replaceWith(sp.textContent));
      if (spans.length) content.normalize();
    }

    // Wrap every matched word of .content in span.search-highlight.
    function highlight(words) {
      let budget = 1000, n;
      const nodes = [], walker = doc.createTreeWalker(content, NodeFilter.SHOW_TEXT);
      while ((n = walker.nextNode())) if (!n.parentNode.closest(SKIP)) nodes.push(n);
      for (const node of nodes) {
        if (budget <= 0) break;
        const f = fold(node.nodeValue), ranges = [];
        if (f.length !== node.nodeValue.length) continue; // offsets would not match
        for (const w of words) for (let i = find(f, w); i >= 0; i = find(f, w, i + w.length)) ranges.push([i, i + w.length]);
        ranges.sort((a, b) => a[0] - b[0]);
        let end = -1;
        const kept = ranges.filter(r => r[0] >= end && ((end = r[1]), true));
        for (let k = kept.length - 1; k >= 0 && budget > 0; k--, budget--) {
          const mid = node.splitText(kept[k][0]), span = el('span', 'search-highlight');
          mid.splitText(kept[k][1] - kept[k][0]);
          mid.replaceWith(span);
          span.appendChild(mid);
        }
      }
    }

    function run() {
      const query = input.value.trim();
      clearHighlights();
      results.textContent = '';
      results.classList.remove('visible');
      if (!query) return;
      if (!sections) buildIndex();
      const words = fold(query).split(/\s+/);
      render(search(words), query);
      highlight(words);
    }

    input.addEventListener('focus', () => { if (!sections) buildIndex(); });
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, sections && sections.length > 500 ? 200 : 0);
    });
    // ArrowDown/ArrowUp move between the input and the results, Enter opens
    // the first result, Escape clears the search.
    const onKey = ev => {
      const links = $$('a', results), i = links.indexOf(doc.activeElement), k = ev.key;
      if (k === 'Escape' && input.value) {
        ev.stopPropagation();
        input.value = '';
        run();
        input.focus();
      } else if ((k === 'ArrowDown' || k === 'ArrowUp') && links.length) {
        ev.preventDefault();
        const j = Math.min(i + (k === 'ArrowDown' ? 1 : -1), links.length - 1);
        (j < 0 ? input : links[j]).focus();
      } else if (k === 'Enter' && i < 0 && links.length) {
        ev.preventDefault();
        links[0].click();
      }
    };
    input.addEventListener('keydown', onKey);
    results.addEventListener('keydown', onKey);
    results.addEventListener('click', ev => { if (ev.target.closest('a')) setNav(false); });
  }
})();
