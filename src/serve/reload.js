/* shale serve: live reload. Added to pages by `shale serve` only, never by
 * `shale build`. Listens to /__shale/events; on a rebuild the page reloads and comes
 * back at the same place (the heading above the viewport and the distance to it, or
 * the scroll offset) with the same language tab; when only stylesheets changed they
 * are swapped in place; a failed build shows an overlay, the next good one clears it.
 * Hidden tabs close their stream (browsers allow few connections per server) and
 * reopen it when shown, reloading if the site was rebuilt meanwhile. */
(function () {
  'use strict';
  var script = document.currentScript;
  var build = script ? script.getAttribute('data-build') : null;
  var KEY = 'shale-serve:' + location.pathname;
  var OVERLAY = 'shale-error-overlay';
  var source = null;

  function activeLanguage() {
    var a = document.querySelector('.lang-selector a.active[data-language-name]');
    return a ? a.getAttribute('data-language-name') : null;
  }

  function headings() {
    var root = document.querySelector('.content') || document.body;
    return root.querySelectorAll('h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]');
  }

  // Where the reader is: the last heading at or above the top of the viewport, and how
  // far above it is, so an edit above the reader does not move the reader. On a long
  // page laid out in chunks, only the chunk at the top is measured (the others are not
  // laid out, and measuring them would lay them out).
  function place() {
    var hs = headings(), chunks = document.querySelectorAll('.content > .chunk'), lo, hi, m;
    var top = function (el) { return el.getBoundingClientRect().top; };
    for (lo = 0, hi = chunks.length; lo < hi;) { m = (lo + hi) >> 1; if (top(chunks[m]) <= 1) lo = m + 1; else hi = m; }
    var at = chunks[lo - 1];
    function above(h) {
      if (!chunks.length || at && at.contains(h)) return top(h) <= 1;
      return !!at && !!(at.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_PRECEDING);
    }
    for (lo = 0, hi = hs.length; lo < hi;) { m = (lo + hi) >> 1; if (above(hs[m])) lo = m + 1; else hi = m; }
    var anchor = lo ? { id: hs[lo - 1].id, top: top(hs[lo - 1]) } : null;
    var toc = document.querySelector('.toc-wrapper');
    return {
      x: window.pageXOffset, y: window.pageYOffset, anchor: anchor,
      lang: activeLanguage(), toc: toc ? toc.scrollTop : 0, at: Date.now()
    };
  }

  function reload() {
    try { sessionStorage.setItem(KEY, JSON.stringify(place())); } catch (e) { /* private mode */ }
    try { history.scrollRestoration = 'manual'; } catch (e) { /* old browser */ }
    location.reload();
  }

  function restore() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      sessionStorage.removeItem(KEY);
    } catch (e) { /* none */ }
    if (!saved || Date.now() - saved.at > 60000) return;
    if (saved.lang && saved.lang !== activeLanguage()) {
      var tabs = document.querySelectorAll('.lang-selector a[data-language-name]');
      for (var i = 0; i < tabs.length; i++) {
        if (tabs[i].getAttribute('data-language-name') === saved.lang) { tabs[i].click(); break; }
      }
    }
    var moved = false;
    function apply() {
      if (moved) return;
      var y = saved.y;
      var el = saved.anchor && document.getElementById(saved.anchor.id);
      if (el) y = el.getBoundingClientRect().top + window.pageYOffset - saved.anchor.top;
      window.scrollTo(saved.x, y);
      var toc = document.querySelector('.toc-wrapper');
      if (toc) toc.scrollTop = saved.toc;
    }
    apply();
    // Images and fonts arriving can still move the page: place it again, unless the
    // reader has scrolled meanwhile.
    ['wheel', 'touchstart', 'keydown', 'mousedown'].forEach(function (t) {
      window.addEventListener(t, function () { moved = true; }, { passive: true, once: true });
    });
    if (document.readyState === 'complete') requestAnimationFrame(apply);
    else window.addEventListener('load', function () { apply(); requestAnimationFrame(apply); });
  }

  function showError(html) {
    hideError();
    if (html) document.body.insertAdjacentHTML('beforeend', html);
  }

  function hideError() {
    var o = document.getElementById(OVERLAY);
    if (o) o.parentNode.removeChild(o);
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    for (var i = 0; i < links.length; i++) {
      var l = links[i], url = new URL(l.getAttribute('href'), location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('shale-reload', String(Date.now()));
      var next = l.cloneNode();
      next.href = url.href;
      next.addEventListener('load', function () { this.prev.parentNode && this.prev.parentNode.removeChild(this.prev); });
      next.addEventListener('error', function () { this.prev.parentNode && this.prev.parentNode.removeChild(this.prev); });
      next.prev = l;
      l.parentNode.insertBefore(next, l.nextSibling);
    }
  }

  function data(ev) {
    try { return JSON.parse(ev.data); } catch (e) { return {}; }
  }

  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource('/__shale/events');
    source.addEventListener('hello', function (ev) {
      var d = data(ev);
      if (build && d.build && d.build !== build) { reload(); return; }
      if (d.error) { if (!document.getElementById(OVERLAY)) showError(d.error); } else hideError();
    });
    source.addEventListener('reload', reload);
    source.addEventListener('css', function (ev) { build = data(ev).build || build; hideError(); swapStylesheets(); });
    source.addEventListener('ok', function () { hideError(); });
    source.addEventListener('build-error', function (ev) { showError(data(ev).html); });
  }

  function disconnect() {
    if (source) { source.close(); source = null; }
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') disconnect(); else connect();
  });
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', function () { if (document.visibilityState !== 'hidden') connect(); });

  // Restore after the page's own scripts (deferred, so they run before this event)
  // have set the language and followed the URL's #hash.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', restore);
  else restore();
  if (document.visibilityState !== 'hidden') connect();
})();
