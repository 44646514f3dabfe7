// Client-side search over /search-index.json. Chinese has no spaces, so matching is by
// substring: "科普" finds 科普中原 and 科普部. Several words (split on spaces) must all match.
// Ranking: departments, cities and programs whose name matches come first (a reader who types a
// name usually wants that page), then documents, then plan items, then passages that only
// mention the words in their text. The order within a rank is the index order (by document).
(function () {
  var form = document.querySelector('.search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var index = null;
  // The path the site is served under (`/`, `/portal/`): the index and its URLs are site paths.
  var base = document.documentElement.getAttribute('data-base') || '/';
  var NAV = { department: 1, city: 1, program: 1 };
  var LIMIT = 200;

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]; });
  }
  function reEsc(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  // Escape `text` and wrap every occurrence of any word in <mark>.
  function highlight(text, words) {
    var re = new RegExp('(' + words.map(reEsc).join('|') + ')', 'g');
    return text.split(re).map(function (part, i) { return i % 2 ? '<mark>' + esc(part) + '</mark>' : esc(part); }).join('');
  }
  // About 90 characters of `text` around the first word found.
  function excerpt(text, words) {
    var at = -1, word = '';
    words.forEach(function (w) { var i = text.indexOf(w); if (i >= 0 && (at < 0 || i < at)) { at = i; word = w; } });
    if (at < 0) return '';
    var start = Math.max(0, at - 30), end = Math.min(text.length, at + word.length + 60);
    return (start > 0 ? '…' : '') + highlight(text.slice(start, end), words) + (end < text.length ? '…' : '');
  }
  function rank(e, words) {
    var inTitle = words.every(function (w) { return e.t.indexOf(w) >= 0; });
    if (!inTitle) return 4;
    if (NAV[e.k]) return e.t === words.join('') ? 0 : 1;
    return e.x ? 3 : 2;
  }
  function run(q) {
    var words = q.trim().split(/\s+/).filter(Boolean);
    list.innerHTML = '';
    if (!words.length) { status.textContent = ''; return; }
    var hits = index.filter(function (e) {
      var hay = e.t + ' ' + e.x;
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    }).map(function (e, i) { return { e: e, r: rank(e, words), i: i }; });
    hits.sort(function (a, b) { return a.r - b.r || a.i - b.i; });
    status.textContent = '“' + q.trim() + '”共找到 ' + hits.length + ' 条结果' + (hits.length > LIMIT ? '，显示前 ' + LIMIT + ' 条' : '') + '。';
    var html = hits.slice(0, LIMIT).map(function (h) {
      var e = h.e;
      var text = e.x ? excerpt(e.x, words) : '';
      return '<li><a class="result-title" href="' + esc(base + e.u.replace(/^\//, '')) + '">' + highlight(e.t, words) + '</a>' +
        '<span class="result-kind">' + esc(e.d) + '</span>' +
        (text ? '<p class="result-text">' + text + '</p>' : '') + '</li>';
    });
    list.innerHTML = html.join('');
  }
  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  status.textContent = '正在载入索引…';
  fetch(base + 'search-index.json').then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    index = data;
    status.textContent = '';
    if (q) run(q);
  }).catch(function () { status.textContent = '搜索索引载入失败，请稍后重试。'; });
  form.addEventListener('submit', function (ev) {
    if (!index) return; // not loaded yet: let the browser submit ?q= and try again
    ev.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    run(input.value);
  });
  // Results follow the typing, but not while an input method is still composing (拼音 letters).
  input.addEventListener('input', function (ev) {
    if (!index || ev.isComposing) return;
    history.replaceState(null, '', input.value ? '?q=' + encodeURIComponent(input.value) : location.pathname);
    run(input.value);
  });
  input.addEventListener('compositionend', function () {
    if (index) run(input.value);
  });
})();
