// The search page. Reads the static index that `planport build` writes under search/ (see
// src/search.rs for the format): meta.json once; for a query, the shards holding its character
// bigrams (which passages hold them; their positions too for words of three characters or
// more); then, for the results on screen, their headers and the text chunks of the passages
// shown. Nothing else is loaded.
//
// Matching. A query is split into words at spaces and punctuation. A word is found where its
// characters stand in a row (exact phrase): 科普 in 科普部, 省辖市 in 各省辖市. A word of four
// characters or more that does not stand in a row in a document is still a near miss when it
// splits into few pieces of two characters or more that each occur there (院士工作站 →
// 院士 + 工作站 in 院士专家工作站), in any order. A document is a result when every word is found
// in it; several words narrow.
//
// Department, city and program pages whose name holds the words are listed on one line above
// the documents. Ranking of documents, best first: documents whose title holds the words; documents with every word exact in one passage; exact but in different
// passages; near misses in one passage; near misses spread out. Within a rank, documents with
// more matching passages first, then the site's order (newest year first).
//
// URLs: the site root is derived from this script's own address (…/static/search.js), so the
// page works under a sub-path as well as at the domain root.
(function () {
  'use strict';
  var ROOT = new URL('../', document.currentScript.src);
  var INDEX = new URL('search/', ROOT);
  var PAGE = 10;
  var NAV_KINDS = { '重点工作': 1, '责任部门': 1, '省辖市': 1 };

  var form = document.querySelector('.search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var filtersBox = document.getElementById('search-filters');
  // The filters fold away under one line on a phone, so the first screen shows results; on a
  // wide screen, and whenever a filter is chosen, they stand open.
  var filterBox = document.getElementById('search-filter-box');
  var filterSummary = filterBox.querySelector('summary');
  var wide = window.matchMedia('(min-width: 641px)').matches;
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var help = document.getElementById('search-help');
  var pagesBox = document.getElementById('search-pages');

  // ---- fetching, each file once ----
  var files = {};
  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, INDEX)).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  // ---- decoding (src/search.rs writes base-64 VLQ numbers) ----
  var DIGIT = {};
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach(function (c, i) { DIGIT[c] = i; });
  function numbers(s) {
    var out = [], v = 0, mul = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s[i]];
      v += (d & 31) * mul;
      if (d & 32) { mul *= 32; } else { out.push(v); v = 0; mul = 1; }
    }
    return out;
  }
  // Units of one bigram: Map entry → Map unit → positions (null until loaded).
  function unitsOf(s) {
    var n = numbers(s), i = 0, e = 0, map = new Map();
    while (i < n.length) {
      e += n[i++];
      var units = new Map(), k = n[i++], u = 0;
      for (var j = 0; j < k; j++) { u += n[i++]; units.set(u, null); }
      map.set(e, units);
    }
    return map;
  }
  // Fill in the positions of a bigram's units, listed in the same order as the units.
  function addPositions(map, s) {
    var n = numbers(s), i = 0;
    map.forEach(function (units) {
      units.forEach(function (_, u) {
        var m = n[i++], pos = new Array(m), p = 0;
        for (var q = 0; q < m; q++) { p += n[i++]; pos[q] = p; }
        units.set(u, pos);
      });
    });
  }
  function ids(s) { var n = numbers(s), out = [], x = 0; for (var i = 0; i < n.length; i++) { x += n[i]; out.push(x); } return out; }

  // ---- text rules shared with src/search.rs ----
  var WORD = /[\p{L}\p{N}]/u;
  function fold(ch) {
    var c = ch.codePointAt(0);
    if (c >= 0xFF01 && c <= 0xFF5E) ch = String.fromCodePoint(c - 0xFEE0);
    return /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
  }
  function chars(s) { return Array.from(s).map(fold); }
  // Words of a query: runs of letters, digits and ideographs, each once.
  function words(q) {
    var out = [], cur = '';
    chars(q).concat([' ']).forEach(function (c) {
      if (WORD.test(c)) { cur += c; } else { if (cur && out.indexOf(cur) < 0) out.push(cur); cur = ''; }
    });
    return out;
  }
  function fnv(s) {
    var h = 0x811c9dc5, b = new TextEncoder().encode(s);
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // ---- state ----
  var meta = null;        // meta.json, decoded
  var kindOf = [];        // entry → kind label
  var decoded = {};       // bigram → Map entry → Map unit → positions (an empty Map: nowhere)
  var placed = {};        // bigram → true once its positions are in `decoded`
  var run = 0;            // the current search; older ones stop when they see a newer one
  var current = null;     // { q, words, hits, shown }
  var chosen = {};        // facet key → value name

  function loadMeta() {
    return get('meta.json').then(function (m) {
      if (meta) return meta;
      m.filters.forEach(function (f) {
        f.of = {};
        f.values.forEach(function (v) {
          v.name = v[0];
          ids(v[1]).forEach(function (id) { (f.of[id] = f.of[id] || []).push(v.name); if (f.key === 'kind') kindOf[id] = v.name; });
        });
      });
      meta = m;
      return m;
    });
  }

  function bigramsOf(w) { var out = []; for (var i = 0; i + 1 < w.length; i++) out.push(w[i] + w[i + 1]); return out; }

  // Load and decode what the words `ws` (arrays of characters) need: the units of every
  // bigram, and the positions of the bigrams of words of three characters or more.
  function loadPostings(ws) {
    var units = {}, positions = {};
    ws.forEach(function (w) {
      bigramsOf(w).forEach(function (b) {
        if (!decoded[b]) units[b] = 1;
        if (w.length > 2 && !placed[b]) positions[b] = 1;
      });
    });
    var load = function (dir, set, use) {
      return Promise.all(Object.keys(set).map(function (b) {
        return get(dir + '/' + (fnv(b) % meta.shards) + '.json').then(function (shard) { use(b, shard[b]); });
      }));
    };
    return load('s', units, function (b, s) { decoded[b] = s ? unitsOf(s) : new Map(); }).then(function () {
      return load('p', positions, function (b, s) { if (s && !placed[b]) addPositions(decoded[b], s); placed[b] = true; });
    });
  }

  function has(sorted, x) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (sorted[mid] === x) return true; if (sorted[mid] < x) lo = mid + 1; else hi = mid - 1; }
    return false;
  }
  // Where w[from..to) stands in a row in entry e: Map unit → positions where it starts.
  function phraseIn(w, from, to, e) {
    var out = new Map(), first = decoded[w[from] + w[from + 1]].get(e);
    if (!first) return out;
    // Two characters: every passage holding the bigram (positions may not be loaded).
    if (to - from === 2) { first.forEach(function (pos, u) { out.set(u, pos || []); }); return out; }
    var rest = [];
    for (var k = from + 1; k + 1 < to; k++) {
      var p = decoded[w[k] + w[k + 1]].get(e);
      if (!p) return out;
      rest.push(p);
    }
    first.forEach(function (pos, u) {
      var at = [];
      for (var i = 0; i < pos.length; i++) {
        var ok = true;
        for (var k = 0; k < rest.length && ok; k++) { var pk = rest[k].get(u); ok = !!pk && has(pk, pos[i] + k + 1); }
        if (ok) at.push(pos[i]);
      }
      if (at.length) out.set(u, at);
    });
    return out;
  }
  function entriesWith(b) { return decoded[b] ? Array.from(decoded[b].keys()) : []; }

  // Fewest pieces (two characters or more) of w that each stand in a row somewhere in entry e,
  // or null when it takes more than `most`. Each piece: [from, to, Map unit → positions].
  // A number or a Latin word is never cut: 2021 is not 20 + 21, but 2023年科普 may be
  // 2023年 + 科普.
  function cuttable(w, j) { return j === 0 || j === w.length || !(/[0-9a-z]/.test(w[j - 1]) && /[0-9a-z]/.test(w[j])); }
  function pieces(w, e, most) {
    var n = w.length, best = [[]];
    for (var i = 1; i <= n; i++) {
      best[i] = null;
      if (!cuttable(w, i)) continue;
      for (var j = Math.max(0, i - n); j <= i - 2; j++) {
        if (!best[j] || best[j].length >= most || !cuttable(w, j)) continue;
        if (best[i] && best[j].length + 1 >= best[i].length) continue;
        var at = phraseIn(w, j, i, e);
        if (at.size) best[i] = best[j].concat([[j, i, at]]);
      }
    }
    return best[n];
  }

  // Characters from the first to the last piece in the closest place where every piece occurs
  // (`starts[k]`: positions of piece k, `lens[k]`: its length); Infinity when one is missing.
  function closeness(starts, lens) {
    var best = Infinity;
    if (starts.some(function (p) { return !p || !p.length; })) return best;
    starts[0].forEach(function (p0) {
      var lo = p0, hi = p0 + lens[0];
      for (var k = 1; k < starts.length; k++) {
        var near = null;
        starts[k].forEach(function (q) { if (near === null || Math.abs(q - p0) < Math.abs(near - p0)) near = q; });
        lo = Math.min(lo, near); hi = Math.max(hi, near + lens[k]);
      }
      best = Math.min(best, hi - lo);
    });
    return best;
  }

  // Match every word in every entry: a list of hits { e, rank, units: Map unit → words found,
  // needles: strings to highlight, exact }, best first.
  function match(ws) {
    var per = ws.map(function (w) {
      var found = new Map(); // entry → { exact, units: Map unit → positions, needles, gap }
      entriesWith(w[0] + w[1]).forEach(function (e) {
        var at = phraseIn(w, 0, w.length, e);
        if (at.size) found.set(e, { exact: true, units: at, needles: [w.join('')], gap: 0 });
      });
      if (w.length >= 4) {
        var most = Math.max(2, Math.floor(w.length / 3));
        var last = decoded[w[w.length - 2] + w[w.length - 1]];
        entriesWith(w[0] + w[1]).forEach(function (e) {
          if (found.has(e) || !last.has(e)) return;
          var ps = pieces(w, e, most);
          if (!ps) return;
          var units = new Map(), gap = Infinity;
          ps.forEach(function (p) { p[2].forEach(function (at, u) { units.set(u, (units.get(u) || []).concat(at)); }); });
          // How far apart the pieces are in the passage where they are closest (extra characters).
          units.forEach(function (_, u) {
            gap = Math.min(gap, closeness(ps.map(function (p) { return p[2].get(u); }), ps.map(function (p) { return p[1] - p[0]; })) - w.length);
          });
          found.set(e, { exact: false, units: units, needles: ps.map(function (p) { return w.slice(p[0], p[1]).join(''); }), gap: gap });
        });
      }
      return found;
    });
    var hits = [];
    per[0].forEach(function (f0, e) {
      var fs = per.map(function (m) { return m.get(e); });
      if (fs.some(function (f) { return !f; })) return;
      var units = new Map();
      fs.forEach(function (f) { f.units.forEach(function (_, u) { units.set(u, (units.get(u) || 0) + 1); }); });
      var exact = fs.every(function (f) { return f.exact; });
      var inTitle = exact && fs.every(function (f) { return f.units.has(0); });
      var together = false;
      units.forEach(function (n) { if (n === fs.length) together = true; });
      var gap = 0;
      fs.forEach(function (f) { gap += f.gap; });
      // Near misses: pieces a few characters apart (院士【专家】工作站), then in one passage, then
      // anywhere in the document.
      var rank = inTitle ? (NAV_KINDS[kindOf[e]] ? 0 : 1)
        : exact ? (together ? 2 : 3)
        : gap <= 10 * fs.length ? 4 : gap < Infinity ? 5 : 6;
      var needles = [];
      fs.forEach(function (f) { needles = needles.concat(f.needles); });
      hits.push({ e: e, rank: rank, gap: gap, units: units, needles: needles, exact: exact });
    });
    hits.sort(function (a, b) { return a.rank - b.rank || a.gap - b.gap || b.units.size - a.units.size || a.e - b.e; });
    return hits;
  }

  // ---- filters ----
  function passes(e, except) {
    return meta.filters.every(function (f) {
      if (f.key === except || !chosen[f.key]) return true;
      return (f.of[e] || []).indexOf(chosen[f.key]) >= 0;
    });
  }
  function drawFilters(hits) {
    filtersBox.innerHTML = '';
    if (!hits.length) { filterBox.hidden = true; return; }
    filterBox.hidden = false;
    var picked = meta.filters.filter(function (f) { return chosen[f.key]; }).map(function (f) { return chosen[f.key]; });
    filterSummary.textContent = picked.length ? '筛选（已选：' + picked.join('、') + '）' : '按年度、类别、省辖市、责任部门筛选';
    if (picked.length || wide) filterBox.open = true;
    meta.filters.forEach(function (f) {
      var counts = {};
      hits.forEach(function (h) { if (passes(h.e, f.key)) (f.of[h.e] || []).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; }); });
      var total = hits.filter(function (h) { return passes(h.e, f.key); }).length;
      var values = f.values.filter(function (v) { return counts[v.name] || chosen[f.key] === v.name; });
      if (!values.length) return;
      var label = document.createElement('label');
      label.className = 'search-filter';
      label.textContent = f.label;
      var select = document.createElement('select');
      select.name = f.key;
      select.add(new Option('全部（' + total + '）', ''));
      values.forEach(function (v) { select.add(new Option(v.name + '（' + (counts[v.name] || 0) + '）', v.name, false, chosen[f.key] === v.name)); });
      select.addEventListener('change', function () {
        if (select.value) chosen[f.key] = select.value; else delete chosen[f.key];
        remember();
        show(current);
      });
      label.appendChild(select);
      filtersBox.appendChild(label);
    });
  }

  // ---- drawing ----
  function esc(s) { return s.replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  // Character ranges [from, to) of every needle in `text` (folded), merged.
  function spans(text, needles) {
    var t = chars(text).join(''), cps = Array.from(t), out = [];
    needles.forEach(function (nd) {
      var n = Array.from(nd).length;
      for (var i = 0; i + n <= cps.length; i++) if (cps.slice(i, i + n).join('') === nd) out.push([i, i + n]);
    });
    out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    out.forEach(function (s) { var l = merged[merged.length - 1]; if (l && s[0] <= l[1]) l[1] = Math.max(l[1], s[1]); else merged.push(s.slice()); });
    return merged;
  }
  // Escaped text[from..to) with the spans marked.
  function marked(cps, sp, from, to) {
    var html = '', at = from;
    sp.forEach(function (s) {
      var a = Math.max(s[0], from), b = Math.min(s[1], to);
      if (a >= b || a < at) return;
      html += esc(cps.slice(at, a).join('')) + '<mark>' + esc(cps.slice(a, b).join('')) + '</mark>';
      at = b;
    });
    return html + esc(cps.slice(at, to).join(''));
  }
  // About `len` characters of `text` around the place where most needles stand closest,
  // marked; '' when nothing matches.
  function excerpt(text, needles, len) {
    var cps = Array.from(text), sp = spans(text, needles);
    if (!sp.length) return '';
    var start = sp[0][0], most = 0;
    sp.forEach(function (s) {
      var inside = {};
      sp.forEach(function (t) { if (t[0] >= s[0] && t[1] <= s[0] + len / 2) inside[cps.slice(t[0], t[1]).join('')] = 1; });
      var n = Object.keys(inside).length;
      if (n > most) { most = n; start = s[0]; }
    });
    var from = Math.max(0, start - Math.floor(len / 4)), to = Math.min(cps.length, from + len);
    from = Math.max(0, Math.min(from, to - len));
    return (from > 0 ? '…' : '') + marked(cps, sp, from, to) + (to < cps.length ? '…' : '');
  }
  // A page of the site: `url` is root-absolute in the index ("/plans/x/"); under a sub-path the
  // root's path goes in front.
  function href(url, anchor) { return ROOT.pathname + url.replace(/^\//, '') + (anchor ? '#' + anchor : ''); }
  // What a passage is, for the link to it: 第5项, 小标题, 段落; the title and the metadata
  // block sit at the top of the page.
  function place(anchor, u) {
    var m = /^item-(\d+)$/.exec(anchor);
    if (m) return '第' + m[1] + '项';
    if (/^sec-/.test(anchor)) return '小标题';
    return anchor ? '段落' : u === 0 ? '标题' : '文件信息';
  }

  function drawHit(h, d) {
    // Passages that hold the words, most words first, then in page order; the title (unit 0)
    // and metadata only when nothing in the body matches.
    // Score each passage: how many of the needles it holds, how close together, items first.
    var score = {};
    Array.from(h.units.keys()).forEach(function (u) {
      if (d.x[u] === undefined) return;
      var per = h.needles.map(function (nd) { return spans(d.x[u], [nd]).map(function (s) { return s[0]; }); });
      var present = per.filter(function (p) { return p.length; });
      if (!present.length) return;
      score[u] = { n: present.length, gap: closeness(present, h.needles.filter(function (_, k) { return per[k].length; }).map(function (nd) { return Array.from(nd).length; })), item: /^item-/.test(d.a[u]) ? 0 : 1 };
    });
    var units = Object.keys(score).map(Number);
    units.sort(function (a, b) { var x = score[a], y = score[b]; return y.n - x.n || x.gap - y.gap || x.item - y.item || a - b; });
    var body = units.filter(function (u) { return d.a[u]; });
    var target = body.length ? body[0] : units.length ? units[0] : 0;
    var li = document.createElement('li');
    var info = [d.k];
    if (d.y) info.push(d.y + '年');
    if (d.c && d.k !== '省辖市') info.push(d.c);
    if (!h.exact) info.push('近似匹配');
    var html = '<a class="result-title" href="' + esc(href(d.u, d.a[target])) + '">' + marked(Array.from(d.t), spans(d.t, h.needles), 0, Array.from(d.t).length) + '</a>' +
      '<span class="result-kind">' + esc(info.join(' · ')) + '</span>';
    var text = d.x[target] === undefined ? '' : excerpt(d.x[target], h.needles, 110);
    if (text && target !== 0) html += '<p class="result-text"><a href="' + esc(href(d.u, d.a[target])) + '">' + esc(place(d.a[target], target)) + '</a>：' + text + '</p>';
    // Other passages, when they hold as many of the words as the one linked.
    var others = body.filter(function (u) { return u !== target && score[u].n === score[target].n; });
    if (others.length) {
      html += '<ul class="result-more">' + others.slice(0, 3).map(function (u) {
        return '<li><a href="' + esc(href(d.u, d.a[u])) + '">' + esc(place(d.a[u], u)) + '</a>：' + excerpt(d.x[u], h.needles, 60) + '</li>';
      }).join('') + '</ul>';
      var rest = Array.from(h.units.keys()).filter(function (u) { return d.a[u] && u !== target; }).length - Math.min(3, others.length);
      if (rest > 0) html += '<p class="result-count">本文另有 ' + rest + ' 处提到</p>';
    }
    li.innerHTML = html;
    return li;
  }

  // A result's header and the texts of the passages it may show (those where most words were
  // found, at most eight): { t, u, y, k, c, a, x: sparse array of texts }.
  function entry(h) {
    return get('d/' + h.e + '.json').then(function (d) {
      var units = Array.from(h.units.keys());
      units.sort(function (a, b) { return h.units.get(b) - h.units.get(a) || a - b; });
      units = units.slice(0, 8);
      // Chunk 0's texts come with the header; the others are fetched if a passage is there.
      var chunks = {};
      units.forEach(function (u) { var c = 0; while (c + 1 < d.g.length && d.g[c + 1] <= u) c++; if (c) chunks[c] = 1; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return get('d/' + h.e + '-' + c + '.json').then(function (texts) { return [Number(c), texts]; });
      })).then(function (got) {
        var x = [];
        got.concat([[0, d.x]]).forEach(function (ct) { ct[1].forEach(function (t, i) { x[d.g[ct[0]] + i] = t; }); });
        return { t: d.t, u: d.u, y: d.y, k: d.k, c: d.c, a: d.a, x: x };
      });
    });
  }

  function setState(state) { list.dataset.state = state; list.dataset.query = current ? current.q : ''; }

  // Department, city and program pages whose name holds the words: one line of links above the
  // documents, so the first screen shows both the pages that gather a topic and the documents.
  function drawPages(c) {
    var mine = run;
    pagesBox.hidden = true;
    if (!c.pages.length) return Promise.resolve();
    var some = c.pages.slice(0, 12);
    return Promise.all(some.map(function (h) { return get('d/' + h.e + '.json'); })).then(function (ds) {
      if (mine !== run) return;
      // Names closest to the query first: 科普部 before 全媒体科普传播中心.
      var order = ds.map(function (d, i) { return i; });
      order.sort(function (a, b) { return some[a].rank - some[b].rank || Array.from(ds[a].t).length - Array.from(ds[b].t).length || a - b; });
      pagesBox.innerHTML = '相关栏目：' + order.slice(0, 8).map(function (i) {
        var d = ds[i];
        return '<a href="' + esc(href(d.u)) + '">' + marked(Array.from(d.t), spans(d.t, some[i].needles), 0, Array.from(d.t).length) + '</a><span class="search-page-kind">（' + esc(d.k) + '）</span>';
      }).join('　');
      pagesBox.hidden = false;
    });
  }

  // Draw results from `current` under the chosen filters: the first page, or the next one.
  function show(c, next) {
    var mine = run;
    var hits = c.hits.filter(function (h) { return passes(h.e); });
    if (!next) { list.innerHTML = ''; c.shown = 0; drawFilters(c.hits); }
    var page = hits.slice(c.shown, c.shown + PAGE);
    c.shown += page.length;
    setState('loading');
    return Promise.all(page.map(entry)).then(function (docs) {
      if (mine !== run) return;
      docs.forEach(function (d, i) {
        var li = drawHit(page[i], d);
        // Where near misses begin, say what they are.
        var before = c.shown - page.length + i - 1;
        if (!page[i].exact && (before < 0 ? true : hits[before].exact)) {
          var note = document.createElement('p');
          note.className = 'near-note';
          note.textContent = '以下文件没有完整的“' + c.q + '”，但含有它的各个部分（如词语之间隔了别的字）：';
          li.insertBefore(note, li.firstChild);
        }
        list.appendChild(li);
      });
      var filtered = Object.keys(chosen).length > 0;
      status.textContent = hits.length
        ? '“' + c.q + '”找到 ' + hits.length + ' 篇文件' + (filtered ? '（已筛选，共 ' + c.hits.length + ' 篇）' : '') + '，显示第 1–' + c.shown + ' 篇。'
        : c.hits.length ? '“' + c.q + '”在所选条件下没有结果（不限条件时有 ' + c.hits.length + ' 篇）。'
        : '“' + c.q + '”没有找到文件，只有下面的栏目页。';
      more.hidden = c.shown >= hits.length;
      more.textContent = '显示更多结果（还有 ' + (hits.length - c.shown) + ' 篇）';
      if (c.hits.length) help.hidden = true;
      setState('done');
    });
  }

  // No result: say so, offer shorter queries that match and the browsing indexes.
  function noResult(q, ws) {
    var tips = [];
    ws.forEach(function (w) {
      // The longest stretches of the word that stand in a row somewhere.
      for (var len = w.length - 1; len >= 2 && !tips.length; len--) {
        for (var i = 0; i + len <= w.length; i++) {
          var s = w.slice(i, i + len).join('');
          var some = entriesWith(w[i] + w[i + 1]).some(function (e) { return phraseIn(w, i, i + len, e).size; });
          if (some && tips.indexOf(s) < 0) tips.push(s);
        }
      }
    });
    if (ws.length > 1) {
      var alone = ws.map(function (w) { return w.join(''); }).filter(function (w, i) { return match([ws[i]]).length; });
      if (alone.length) tips = [alone.join(' ')].concat(alone.length > 1 ? alone : []).concat(tips);
    }
    status.textContent = '没有找到与“' + q + '”相符的内容。';
    var html = '';
    if (tips.length) html += '<p>试试较短的关键词：' + tips.slice(0, 4).map(function (t) { return '<a class="search-tip" href="?q=' + encodeURIComponent(t) + '">' + esc(t) + '</a>'; }).join('　') + '</p>';
    html += '<p>也可以按<a href="' + href('/years/') + '">年度</a>、<a href="' + href('/departments/') + '">责任部门</a>、<a href="' + href('/cities/') + '">省辖市</a>或<a href="' + href('/programs/') + '">重点工作</a>浏览全部文件。</p>';
    help.innerHTML = html;
    help.hidden = false;
  }

  function search(q) {
    var mine = ++run;
    q = q.trim();
    var all = words(q).map(function (w) { return Array.from(w); });
    var ws = all.filter(function (w) { return w.length >= 2; });
    list.innerHTML = ''; filtersBox.innerHTML = ''; filterBox.hidden = true; more.hidden = true; help.hidden = true; pagesBox.hidden = true;
    current = { q: q, words: ws, hits: [], pages: [], shown: 0 };
    if (!q) { status.textContent = ''; setState('done'); return Promise.resolve(); }
    if (!ws.length) {
      status.textContent = '请输入至少两个字的关键词，如“科普”“濮阳”。';
      setState('done');
      return Promise.resolve();
    }
    status.textContent = '正在搜索…';
    setState('loading');
    return loadMeta().then(function () { return loadPostings(ws); }).then(function () {
      if (mine !== run) return;
      var hits = match(ws);
      current.pages = hits.filter(function (h) { return NAV_KINDS[kindOf[h.e]]; });
      current.hits = hits.filter(function (h) { return !NAV_KINDS[kindOf[h.e]]; });
      if (!hits.length) { noResult(q, ws); setState('done'); return; }
      return drawPages(current).then(function () { return show(current); });
    }).catch(function (err) {
      if (window.console) console.error(err);
      if (mine !== run) return;
      status.textContent = '搜索索引载入失败，请检查网络后重试；也可以按年度、部门或城市浏览。';
      setState('error');
    });
  }

  // ---- the address keeps the query and the filters, so a search can be shared ----
  var KEYS = ['year', 'kind', 'city', 'department'];
  function remember() {
    var p = new URLSearchParams();
    if (input.value.trim()) p.set('q', input.value.trim());
    KEYS.forEach(function (k) { if (chosen[k]) p.set(k, chosen[k]); });
    var s = p.toString();
    history.replaceState(null, '', s ? '?' + s : location.pathname);
  }
  var params = new URLSearchParams(location.search);
  KEYS.forEach(function (k) { if (params.get(k)) chosen[k] = params.get(k); });
  input.value = params.get('q') || '';

  form.addEventListener('submit', function (ev) { ev.preventDefault(); remember(); search(input.value); });
  // Results follow the typing, but not while an input method is still composing (拼音 letters).
  input.addEventListener('input', function (ev) {
    if (ev.isComposing) return;
    chosen = {};
    remember();
    search(input.value);
  });
  input.addEventListener('compositionend', function () { chosen = {}; remember(); search(input.value); });
  more.addEventListener('click', function () { if (current) show(current, true); });
  help.addEventListener('click', function (ev) {
    var a = ev.target.closest('a.search-tip');
    if (!a) return;
    ev.preventDefault();
    input.value = a.textContent;
    chosen = {};
    remember();
    search(input.value);
  });
  if (input.value) search(input.value); else setState('done');
})();
