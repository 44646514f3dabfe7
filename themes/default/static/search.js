// Client-side search over /search-index.json. Chinese has no spaces, so matching is by
// substring: "科普" finds 科普中原 and 科普部. Several words (split on spaces) must all match.
(function () {
  var form = document.querySelector('.search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var index = null;

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]; });
  }
  function excerpt(text, word) {
    var at = text.indexOf(word);
    var start = Math.max(0, at - 30);
    var s = (start > 0 ? '…' : '') + text.slice(start, at + word.length + 60) + (at + word.length + 60 < text.length ? '…' : '');
    return esc(s).split(esc(word)).join('<mark>' + esc(word) + '</mark>');
  }
  function run(q) {
    var words = q.trim().split(/\s+/).filter(Boolean);
    list.innerHTML = '';
    if (!words.length) { status.textContent = ''; return; }
    var hits = index.filter(function (e) {
      var hay = e.t + ' ' + e.x;
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
    hits.sort(function (a, b) {
      return (b.t.indexOf(words[0]) >= 0) - (a.t.indexOf(words[0]) >= 0);
    });
    status.textContent = '“' + q + '”共找到 ' + hits.length + ' 条结果' + (hits.length > 200 ? '，显示前 200 条' : '');
    hits.slice(0, 200).forEach(function (e) {
      var li = document.createElement('li');
      li.innerHTML = '<a href="' + esc(e.u) + '">' + esc(e.t) + '</a><div class="doc-meta">' + esc(e.d) + '</div><div>' + excerpt(e.t + '：' + e.x, words[0]) + '</div>';
      list.appendChild(li);
    });
  }
  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  status.textContent = '正在载入索引…';
  fetch('/search-index.json').then(function (r) { return r.json(); }).then(function (data) {
    index = data;
    status.textContent = '';
    if (q) run(q);
  }).catch(function () { status.textContent = '搜索索引载入失败，请稍后重试。'; });
  form.addEventListener('submit', function (ev) {
    if (!index) return;
    ev.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    run(input.value);
  });
})();
