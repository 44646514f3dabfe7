// 适老化 tools and document tools. Every page works without this script: it only adds
//  - the text-size switch (标准 / 大 / 特大) and high-contrast mode, both kept in localStorage so
//    that they hold on the next page; it runs in <head>, before the page paints, so a chosen size
//    or contrast never flashes in the default one;
//  - on documents: 打印, 分享 (the Web Share API where the browser has it, else the link is
//    copied), 朗读 (speech synthesis in Chinese, where the browser has it), and citing: a click on
//    an item's or passage's ¶引用 link copies a citation such as
//    豫科协办发〔2023〕4号《河南省科协2023年工作要点》第11项 with its URL (without this script the
//    link simply leads to the passage's own address);
//  - the page's URL and the print date in the margin of printed pages;
//  - the back-to-top button appears once the reader has scrolled down a screen.
(function () {
  'use strict';
  var root = document.documentElement;
  var FS = 'planport-text-size';
  var CONTRAST = 'planport-contrast';

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key); else window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: the choice holds for this page only */ }
  }
  function applySize(step) {
    if (step === '1' || step === '2') root.setAttribute('data-fs', step); else root.removeAttribute('data-fs');
  }
  function applyContrast(on) {
    if (on) root.setAttribute('data-contrast', ''); else root.removeAttribute('data-contrast');
  }

  root.classList.add('js');
  applySize(load(FS));
  applyContrast(load(CONTRAST) === '1');

  function pressed(button, on) { button.setAttribute('aria-pressed', on ? 'true' : 'false'); }

  function syncTools() {
    var step = root.getAttribute('data-fs') || '0';
    document.querySelectorAll('[data-set-fs]').forEach(function (b) { pressed(b, b.getAttribute('data-set-fs') === step); });
    document.querySelectorAll('[data-set-contrast]').forEach(function (b) { pressed(b, root.hasAttribute('data-contrast')); });
  }

  function isoDate(d) {
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
  }
  function cssString(s) { return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ') + '"'; }

  // The URL and the date of printing in the bottom margin of every printed page.
  function printMargins() {
    var style = document.getElementById('print-margins');
    if (!style) {
      style = document.createElement('style');
      style.id = 'print-margins';
      document.head.appendChild(style);
    }
    var url = location.href.split('#')[0];
    try { url = decodeURI(url); } catch (e) { /* keep it encoded */ }
    style.textContent = '@page { @bottom-left { content: ' + cssString(url) + '; font-size: 9pt; } ' +
      '@bottom-right { content: ' + cssString('打印日期：' + isoDate(new Date())) + '; font-size: 9pt; } }';
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.top = '-1000px';
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand('copy'); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) ok(); else fail(new Error('copy refused'));
    });
  }

  // A short message next to the control that caused it, read out by screen readers.
  function tell(after, text) {
    var note = after.nextElementSibling;
    if (!note || !note.classList.contains('cite-done')) {
      note = document.createElement('span');
      note.className = 'cite-done';
      note.setAttribute('role', 'status');
      after.parentNode.insertBefore(note, after.nextSibling);
    }
    note.textContent = text;
  }

  function citation(link) {
    var article = link.closest('[data-cite]');
    var id = (link.getAttribute('href') || '').slice(1);
    var m = /^item-(\d+)$/.exec(id) || /^p-(\d+)$/.exec(id);
    var where = m ? (id.charAt(0) === 'i' ? '第' + m[1] + '项' : '第' + m[1] + '段') : '';
    var url = location.href.split('#')[0] + '#' + id;
    return (article ? article.getAttribute('data-cite') : document.title) + where + ' ' + url;
  }

  var speaking = null;
  function stopSpeaking() {
    window.speechSynthesis.cancel();
    if (speaking) { speaking.textContent = '朗读'; pressed(speaking, false); }
    speaking = null;
  }
  // Reads the selected text, else the document from the targeted item on, else the whole
  // document: one utterance per paragraph, so a long document is never cut off.
  function speak(button) {
    if (speaking) { stopSpeaking(); return; }
    var body = document.querySelector('.document .body');
    if (!body) return;
    var selected = String(window.getSelection ? window.getSelection() : '').trim();
    var blocks;
    if (selected) {
      blocks = [selected];
    } else {
      var nodes = Array.prototype.slice.call(body.querySelectorAll('h2, h3, h4, p, li'))
        .filter(function (e) { return !e.querySelector('p, li'); });
      var target = document.querySelector('.body :target');
      var from = target ? nodes.indexOf(target.matches('p, li') && !target.querySelector('p, li') ? target : target.querySelector('p') || target) : 0;
      blocks = nodes.slice(Math.max(0, from)).map(function (e) {
        var clone = e.cloneNode(true);
        clone.querySelectorAll('.cite, .cite-done').forEach(function (c) { c.remove(); });
        return clone.textContent.trim();
      }).filter(Boolean);
    }
    speaking = button;
    button.textContent = '停止朗读';
    pressed(button, true);
    blocks.forEach(function (text, i) {
      var u = new SpeechSynthesisUtterance(text);
      u.lang = 'zh-CN';
      if (i === blocks.length - 1) u.onend = function () { if (speaking === button) stopSpeaking(); };
      window.speechSynthesis.speak(u);
    });
  }

  function init() {
    syncTools();
    printMargins();
    window.addEventListener('beforeprint', printMargins);

    document.addEventListener('click', function (event) {
      var t = event.target.closest('button, a.cite');
      if (!t) return;
      if (t.hasAttribute('data-set-fs')) {
        var step = t.getAttribute('data-set-fs');
        applySize(step);
        save(FS, step === '0' ? null : step);
        syncTools();
      } else if (t.hasAttribute('data-set-contrast')) {
        var on = !root.hasAttribute('data-contrast');
        applyContrast(on);
        save(CONTRAST, on ? '1' : null);
        syncTools();
      } else if (t.hasAttribute('data-print')) {
        window.print();
      } else if (t.hasAttribute('data-share')) {
        var url = location.href.split('#')[0];
        if (navigator.share) {
          navigator.share({ title: document.title, url: url }).catch(function () { /* cancelled */ });
        } else {
          copy(url).then(function () { tell(t, '已复制本页网址'); }, function () { tell(t, '请复制地址栏中的网址'); });
        }
      } else if (t.hasAttribute('data-speak')) {
        speak(t);
      } else if (t.matches('a.cite')) {
        event.preventDefault();
        var text = citation(t);
        copy(text).then(function () { tell(t, '已复制引用'); }, function () { location.hash = t.getAttribute('href'); });
      }
    });

    document.querySelectorAll('[data-speak]').forEach(function (b) { if ('speechSynthesis' in window) b.hidden = false; });

    var toTop = document.querySelector('.to-top');
    if (toTop) {
      var onScroll = function () {
        if (window.scrollY > window.innerHeight) toTop.removeAttribute('data-hidden'); else toTop.setAttribute('data-hidden', '');
      };
      window.addEventListener('scroll', onScroll, { passive: true });
      onScroll();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
