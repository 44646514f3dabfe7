// Browser tests of search (issue 11): queries typed into /search/ of the real site, built by
// the real binary, in Debian chromium. What a query should find is computed here from the built
// HTML, independently of the index: a document "contains" a query when the text of its title
// and body (the verbatim document, not the links around it) contains it, after folding
// full-width Latin and digits to half-width and Latin to lower case. Every wait is on a DOM
// condition, never a sleep.
//
//   PLANPORT_BIN=../../target/release/planport node --test search.test.mjs
//   SEARCH_TABLE=1 …  also prints the recall table (queries, documents containing, found)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, mkdirSync, statSync, mkdtempSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, serveStatic, buildSite, launchChromium, PHONE } from './lib.mjs';

const CONTENT = process.env.PLANPORT_CONTENT || join(repo, 'content');
let site, server, browser, docs;
const cleanups = [];

// ---- the truth, from the built HTML ----
const INLINE = new Set(['a', 'strong', 'em', 'b', 'i', 'span', 'mark', 'code', 'sup', 'sub', 'abbr', 'del', 's']);
function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[e.toLowerCase()];
  });
}
// Visible text of an HTML fragment; block boundaries become line breaks (a query never spans two
// paragraphs or items).
function textOf(html) {
  return decode(html.replace(/<(\/?)([a-z0-9]+)[^>]*>/gi, (_, __, tag) => (INLINE.has(tag.toLowerCase()) ? '' : '\n')));
}
function fold(s) {
  return Array.from(s).map((ch) => {
    const c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) ch = String.fromCodePoint(c - 0xfee0);
    return /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
  }).join('');
}
// Every plan and report page: { path, text } with the text of its h1 and body.
function documents(output) {
  const out = [];
  const visit = (dir, rel) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p, rel + name + '/');
      else if (name === 'index.html') {
        const html = readFileSync(p, 'utf8');
        const h1 = /<h1>([\s\S]*?)<\/h1>/.exec(html);
        const body = /<div class="body [^"]*">([\s\S]*)<\/div>\s*<\/article>/.exec(html);
        // The links the site adds under an item (related items, other years) are not the
        // document's words.
        const own = body && body[1].replace(/<p class="item-links">[\s\S]*?<\/p>/g, '');
        if (h1 && body) out.push({ path: rel, text: fold(textOf(h1[1]) + '\n' + textOf(own)) });
      }
    }
  };
  visit(join(output, 'plans'), '/plans/');
  visit(join(output, 'reports'), '/reports/');
  return out;
}
const containing = (q) => docs.filter((d) => q.split(/\s+/).every((w) => d.text.includes(fold(w)))).map((d) => d.path);

before(async () => {
  site = buildSite(CONTENT);
  cleanups.push(site.cleanup);
  docs = documents(site.output);
  server = await serveStatic(site.output);
  cleanups.push(server.close);
  browser = await launchChromium();
  cleanups.push(() => browser.close());
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function open(device = PHONE) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

// Wait until the results for `q` are drawn (or the no-result message is).
async function settled(page, q) {
  await page.waitForFunction((q) => {
    const l = document.getElementById('search-results');
    return l.dataset.state === 'done' && l.dataset.query === q;
  }, q.trim());
}

// Type `q` into the search box as a reader does, then wait for the results.
async function type(page, q) {
  await page.locator('#q').fill(q);
  await settled(page, q);
}

// Every result, clicking "显示更多" until all are shown: { path, hash, href, near, kind }.
async function allResults(page, q) {
  for (;;) {
    const more = page.locator('#search-more');
    if (!(await more.isVisible())) break;
    const before = await page.locator('#search-results > li').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n && document.getElementById('search-results').dataset.state === 'done', before);
  }
  await settled(page, q);
  return page.locator('#search-results > li').evaluateAll((lis) => lis.map((li) => {
    const a = li.querySelector('a.result-title');
    const url = new URL(a.href);
    return {
      path: url.pathname,
      hash: url.hash.slice(1),
      href: a.getAttribute('href'),
      near: /近似匹配/.test(li.querySelector('.result-kind').textContent),
      kind: li.querySelector('.result-kind').textContent,
      marks: Array.from(li.querySelectorAll('.result-text mark')).map((m) => m.textContent),
    };
  }));
}

// The text of the element a result links to (the whole article when there is no anchor),
// fetched and parsed in the page.
function targetTexts(page, results) {
  return page.evaluate(async (rs) => {
    const pages = {};
    const out = [];
    for (const r of rs) {
      pages[r.path] = pages[r.path] || fetch(r.path).then((x) => x.text()).then((t) => new DOMParser().parseFromString(t, 'text/html'));
      const doc = await pages[r.path];
      const el = r.hash ? doc.getElementById(r.hash) : doc.querySelector('article') || doc.querySelector('main');
      out.push(el ? el.textContent : null);
    }
    return out;
  }, results);
}

const isDoc = (r) => r.path.startsWith('/plans/') || r.path.startsWith('/reports/');

// Topic queries taken from the texts (names of programs, places, phrases of items), and
// substrings drawn from the documents with a fixed seed.
const TOPICS = ['科普', '青年人才托举工程', '兰考', '濮阳', '院士专家工作站', '学术与产业发展年会', '科技小院', '会市合作',
  '科创中原', '智汇中原', '科普中原', '出彩中原', '才荟中原', '5610', '省辖市', '科技馆', '全民科学素质', '科技志愿服务',
  '海智', '乡村振兴', '党建', '科学家精神', '全国科技工作者日', '青少年科技创新大赛', '郑州', '南阳', '驻马店', '济源',
  '自然科学学术奖', '科普中国', '数字乡村', '产业技术发展大会', '一市一品', '存在的问题', '反邪教', '学会服务中心', '科技成果转化',
  '创新驱动', '中原英才', '调研宣传部'];
function randomSubstrings(n, seed) {
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), x / 2 ** 32);
  const runs = docs.flatMap((d) => d.text.split(/[^\p{L}\p{N}]+/u).filter((r) => Array.from(r).length >= 5));
  const out = new Set();
  while (out.size < n) {
    const r = Array.from(runs[Math.floor(rnd() * runs.length)]);
    const len = 2 + Math.floor(rnd() * 4);
    const at = Math.floor(rnd() * (r.length - len + 1));
    out.add(r.slice(at, at + len).join(''));
  }
  return [...out];
}

test('search finds every document that contains the query, links only to passages that contain it, and ranks exact before near', async () => {
  const { context, page, errors } = await open();
  const rows = [];
  try {
    await page.goto(server.url + '/search/');
    for (const q of [...TOPICS, ...randomSubstrings(60, 11)]) {
      await type(page, q);
      const results = await allResults(page, q);
      const truth = containing(q);
      const exact = results.filter((r) => isDoc(r) && !r.near).map((r) => r.path);
      const missed = truth.filter((p) => !exact.includes(p));
      assert.deepEqual(missed, [], `${q}: documents containing it but not found`);
      assert.equal(new Set(results.map((r) => r.path)).size, results.length, `${q}: one result per page`);
      const firstNear = results.findIndex((r) => r.near);
      if (firstNear >= 0) assert.ok(results.slice(firstNear).every((r) => r.near), `${q}: an exact result after a near one`);
      // Every exact result links to an element that holds the query; near ones to an element
      // holding the pieces they highlight.
      const texts = await targetTexts(page, results);
      results.forEach((r, i) => {
        assert.ok(texts[i] !== null, `${q}: ${r.href} links to a missing anchor`);
        const words = r.near ? r.marks : [q];
        for (const w of words) assert.ok(fold(texts[i]).includes(fold(w)), `${q}: ${r.href} does not contain ${w}`);
      });
      const extra = exact.filter((p) => !truth.includes(p));
      rows.push({ q, containing: truth.length, found: exact.filter((p) => truth.includes(p)).length, extra: extra.length, near: results.filter((r) => r.near && isDoc(r)).length });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  if (process.env.SEARCH_TABLE) {
    console.log('| query | documents containing it | found | found elsewhere on the page (title line, metadata) | near misses |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.q} | ${r.containing} | ${r.found} | ${r.extra} | ${r.near} |`);
    const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
    console.log(`| **${rows.length} queries** | ${sum('containing')} | ${sum('found')} | ${sum('extra')} | ${sum('near')} |`);
  }
});

test('青年人才托举工程 finds the 2018, 2021 and 2025 plans, each landing on the item that names it', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    const q = '青年人才托举工程';
    await type(page, q);
    const results = await allResults(page, q);
    for (const plan of ['/plans/2018-work-points/', '/plans/2021-society-work-points/', '/plans/2025-society-work-points/']) {
      const r = results.find((x) => x.path === plan);
      assert.ok(r, `${plan} not found`);
      assert.match(r.hash, /^item-\d+$/, `${plan} links to #${r.hash}, not an item`);
      const [text] = await targetTexts(page, [r]);
      assert.ok(text.includes(q), `${plan}#${r.hash} does not name ${q}`);
    }
    // Clicking the result lands on the item.
    const link = page.locator('#search-results a.result-title[href*="/plans/2018-work-points/#item-"]');
    await link.click();
    await page.waitForURL(/\/plans\/2018-work-points\/#item-\d+$/);
    const id = new URL(page.url()).hash.slice(1);
    assert.ok((await page.locator(`[id="${id}"]`).textContent()).includes(q));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('兰考 finds the 开封 report; 濮阳 finds the 2021 plan and the 濮阳 report on distinct pages', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    await type(page, '兰考');
    assert.ok((await allResults(page, '兰考')).some((r) => r.path === '/reports/2024/kaifeng/'));
    await type(page, '濮阳');
    const results = await allResults(page, '濮阳');
    const paths = results.map((r) => r.path);
    assert.ok(paths.includes('/plans/2021-society-work-points/'), '2021 plan');
    assert.ok(paths.includes('/reports/2024/puyang/'), '濮阳 report');
    assert.equal(new Set(paths).size, paths.length, `one result per page: ${paths}`);
    assert.deepEqual(paths.sort(), containing('濮阳').sort());
    // Above the documents, the city's own page.
    assert.equal(await page.locator('#search-pages a[href="/cities/puyang/"]').count(), 1);
    // Every excerpt shows the word, highlighted.
    const excerpts = await page.locator('#search-results .result-text').evaluateAll((ps) => ps.map((p) => p.querySelector('mark')?.textContent));
    assert.ok(excerpts.length > 0 && excerpts.every((m) => m === '濮阳'), `excerpts: ${excerpts}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('院士工作站 finds the plans that write 院士专家工作站, as near misses', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    await type(page, '院士工作站');
    const results = await allResults(page, '院士工作站');
    const expected = containing('院士专家工作站');
    assert.ok(expected.length > 0);
    for (const p of expected) {
      const r = results.find((x) => x.path === p);
      assert.ok(r && r.near, `${p} not found as a near miss`);
    }
    // The page that has the pieces side by side comes first.
    assert.equal(results[0].path, expected[0]);
    assert.deepEqual(results[0].marks.slice(0, 2).sort(), ['工作站', '院士']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('two words narrow: 科普 濮阳 finds the documents that contain both, fewer than either word', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    const count = async (q) => {
      await type(page, q);
      return (await allResults(page, q)).filter((r) => isDoc(r) && !r.near).map((r) => r.path).sort();
    };
    for (const [a, b] of [['科普', '濮阳'], ['科技小院', '南阳'], ['学会', '2021']]) {
      const both = await count(`${a} ${b}`);
      assert.deepEqual(both, containing(`${a} ${b}`).sort(), `${a} ${b}`);
      assert.ok(both.length < (await count(a)).length, `${a} ${b} narrows ${a}`);
      // In another order, the same documents.
      assert.deepEqual(await count(`${b} ${a}`), both);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('filters narrow 科普 by year and kind, with the counts they announce; the address keeps them', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    await type(page, '科普');
    const all = await allResults(page, '科普');
    // On a phone the filters fold under one line; open it.
    assert.equal(await page.locator('select[name="year"]').isVisible(), false);
    await page.locator('#search-filter-box summary').click();
    const yearOption = await page.locator('select[name="year"] option', { hasText: '2018年' }).textContent();
    const announced = Number(/（(\d+)）/.exec(yearOption)[1]);
    await page.locator('select[name="year"]').selectOption('2018年');
    await settled(page, '科普');
    assert.match(await page.locator('#search-filter-box summary').textContent(), /已选：2018年/);
    const in2018 = await allResults(page, '科普');
    assert.equal(in2018.length, announced);
    assert.ok(in2018.length > 0 && in2018.length < all.length);
    assert.ok(in2018.every((r) => r.kind.includes('2018年')), 'only 2018');
    assert.equal(new URL(page.url()).searchParams.get('year'), '2018年');
    // Back to every year, then only city reports: 科普 is in many cities' reports.
    await page.locator('select[name="year"]').selectOption('');
    await settled(page, '科普');
    await page.locator('select[name="kind"]').selectOption('城市汇报');
    await settled(page, '科普');
    const reports = await allResults(page, '科普');
    assert.ok(reports.every((r) => r.path.startsWith('/reports/')));
    assert.equal(reports.length, containing('科普').filter((p) => p.startsWith('/reports/')).length);
    assert.ok(reports.length >= 10, 'many cities');
    // Reloading the address gives the same filtered results.
    await page.reload();
    await settled(page, '科普');
    assert.equal((await allResults(page, '科普')).length, reports.length);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('科普 pages by ten with "显示更多", and links the 科普部 department and the 科普中原 program', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('科普'));
    await settled(page, '科普');
    assert.equal(await page.locator('#search-results > li').count(), 10);
    assert.ok(await page.locator('#search-more').isVisible());
    const results = await allResults(page, '科普');
    assert.ok(results.length > 10);
    // The department and program pages are linked on one line above the documents.
    assert.equal(await page.locator('#search-pages a[href="/departments/kepubu/"]').textContent(), '科普部');
    assert.equal(await page.locator('#search-pages a[href="/programs/kepu-zhongyuan/"]').textContent(), '科普中原');
    assert.ok(results.every(isDoc));
    assert.ok(results.filter((r) => r.path.startsWith('/plans/')).length >= 3, 'plans');
    assert.ok(new Set(results.filter((r) => r.path.startsWith('/reports/')).map((r) => r.path)).size >= 10, 'many cities');
    assert.ok(!(await page.locator('#search-more').isVisible()));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a query with no hit says so, offers a shorter query that matches and the indexes', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/');
    const q = '数字化';
    assert.deepEqual(containing(q), []);
    await type(page, q);
    assert.equal(await page.locator('#search-results > li').count(), 0);
    assert.match(await page.locator('#search-status').textContent(), /没有找到/);
    const help = page.locator('#search-help');
    assert.ok(await help.isVisible());
    for (const path of ['/years/', '/departments/', '/cities/']) assert.equal(await help.locator(`a[href="${path}"]`).count(), 1, path);
    // The suggestion is a shorter query that the documents contain; following it finds them.
    const tip = (await help.locator('a.search-tip').first().textContent()).trim();
    assert.ok(q.includes(tip) && tip.length < q.length && containing(tip).length > 0, tip);
    await help.locator('a.search-tip').first().click();
    await settled(page, tip);
    assert.ok(await page.locator('#search-results > li').count() > 0);
    assert.equal(await page.locator('#q').inputValue(), tip);
    // Nothing at all in common with the site: still the indexes, and no error.
    await type(page, 'ｘｙｚｗ');
    assert.match(await page.locator('#search-status').textContent(), /没有找到/);
    assert.ok(await help.locator('a[href="/cities/"]').isVisible());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without JavaScript the search page says search needs it and links the indexes', async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('科普'));
    const box = page.locator('.search-nojs');
    assert.ok(await box.isVisible());
    assert.match(await box.textContent(), /搜索需要启用 JavaScript/);
    for (const path of ['/years/', '/departments/', '/cities/']) assert.equal(await box.locator(`a[href="${path}"]`).count(), 1);
  } finally {
    await context.close();
  }
});

test('every page has a search box that leads to the search page with the query', async () => {
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/plans/2023-work-points/');
    await page.locator('.site-search input[name="q"]').fill('兰考');
    await page.locator('.site-search input[name="q"]').press('Enter');
    await page.waitForURL(/\/search\/\?q=/);
    await settled(page, '兰考');
    assert.ok((await allResults(page, '兰考')).some((r) => r.path === '/reports/2024/kaifeng/'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('one query loads a small part of the index: meta, the shard of its bigram, and the entries shown', async () => {
  const { context, page, errors } = await open();
  try {
    const fetched = [];
    page.on('requestfinished', (req) => {
      const u = new URL(req.url());
      if (u.pathname.startsWith('/search/') && u.pathname.endsWith('.json')) fetched.push(u.pathname);
    });
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('兰考'));
    await settled(page, '兰考');
    // A two-character word: one bigram, one shard of units, no positions.
    assert.deepEqual(fetched.filter((p) => /^\/search\/[sp]\//.test(p)).map((p) => p.split('/')[2]), ['s'], `${fetched}`);
    // Each result: its header (which holds its first text chunk), nothing of other entries.
    const results = await page.locator('#search-results > li').count();
    const headers = fetched.filter((p) => /^\/search\/d\/\d+\.json$/.test(p));
    assert.equal(headers.length, results);
    const ids = new Set(headers.map((p) => p.match(/(\d+)\.json$/)[1]));
    assert.ok(fetched.filter((p) => p.startsWith('/search/d/')).every((p) => ids.has(p.match(/\/d\/(\d+)/)[1])));
    const all = ['s', 'p', 'd'].reduce((n, dir) => n + readdirSync(join(site.output, 'search', dir)).length, 1);
    assert.ok(fetched.length * 20 < all, `${fetched.length} of ${all} files`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('under a sub-path (/portal/) the search page reads its index there and links results there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'planport-subpath-'));
  symlinkSync(site.output, join(dir, 'portal'));
  const sub = await serveStatic(dir);
  const { context, page, errors } = await open();
  try {
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400 && new URL(r.url()).pathname.includes('/search/')) failed.push(r.url()); });
    await page.goto(sub.url + '/portal/search/?q=' + encodeURIComponent('兰考'));
    await settled(page, '兰考');
    const hrefs = await page.locator('#search-results a.result-title').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith('/portal/')), `${hrefs}`);
    assert.ok(hrefs.some((h) => h.startsWith('/portal/reports/2024/kaifeng/')));
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await sub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('screenshots at 390 px: results of 科普 and the no-result page', async () => {
  const dir = join(repo, 'tests', 'browser', 'screenshots');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const { context, page, errors } = await open();
  try {
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('科普'));
    await settled(page, '科普');
    await page.screenshot({ path: join(dir, 'search-results-390.png'), fullPage: false });
    await page.locator('#search-filters').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(dir, 'search-results-390-full.png'), fullPage: true });
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('院士工作站'));
    await settled(page, '院士工作站');
    await page.screenshot({ path: join(dir, 'search-near-390.png'), fullPage: true });
    await page.goto(server.url + '/search/?q=' + encodeURIComponent('数字化'));
    await settled(page, '数字化');
    await page.screenshot({ path: join(dir, 'search-none-390.png'), fullPage: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
