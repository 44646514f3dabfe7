// Browser tests of issue 13 (public pages fit for elderly readers): axe on every page kind, the
// 适老化 switches, names that never break, tap targets, no sideways scroll at 320px, citing,
// sharing, reading aloud, back to top and print. Same set-up as site.test.mjs: the real binary
// builds content/ into a temp dir, a tiny static server on 127.0.0.1 serves it, Debian chromium
// drives it. Every wait is on a condition, never a sleep.
//
//   cd tests/browser && npm install && node --test a11y.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { siteUnderTest, horizontalOverflow, PHONE, DESKTOP } from './lib.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// One page of every kind the site has.
const PAGE_KINDS = {
  home: '/',
  years: '/years/',
  year: '/years/2024/',
  plan: '/plans/2023-work-points/',
  'plan with sub-sections': '/plans/2018-work-points/',
  report: '/reports/2024/luoyang/',
  departments: '/departments/',
  department: '/departments/kepubu/',
  collective: '/departments/all-cities/',
  cities: '/cities/',
  city: '/cities/zhengzhou/',
  programs: '/programs/',
  program: '/programs/kepu-zhongyuan/',
  search: '/search/?q=' + encodeURIComponent('科普'),
  guide: '/guide/',
};
const PLANS = ['2023-key-tasks', '2023-work-points', '2018-work-points', '2021-society-work-points', '2025-society-work-points'];
const NARROW = { ...PHONE, viewport: { width: 320, height: 640 } };
// localStorage of a reader who chose a mode (a11y.js reads these keys).
const MODES = { standard: {}, contrast: { 'planport-contrast': '1' }, 特大: { 'planport-text-size': '2' } };

const site = siteUnderTest({ before, after });
const { open } = site;

async function load(page, path) {
  await site.load(page, path);
  if (path.startsWith('/search/?')) await page.waitForSelector('#search-results li');
}

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), WCAG21_AA);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const bodyStyle = (page) => page.evaluate(() => {
  const s = getComputedStyle(document.body);
  return { size: parseFloat(s.fontSize), color: s.color, background: s.backgroundColor };
});

for (const [label, options] of [['1280', DESKTOP], ['390', PHONE]]) {
  test(`axe finds no WCAG 2.1 A/AA violation on any page kind at ${label}px`, async () => {
    const { context, page } = await open(options);
    try {
      const found = {};
      for (const [name, path] of Object.entries(PAGE_KINDS)) {
        await load(page, path);
        const v = await axeViolations(page);
        if (v.length) found[name] = v;
      }
      await page.goto(site.url + '/no-such-page/', { waitUntil: 'load' });
      const v = await axeViolations(page);
      if (v.length) found['404'] = v;
      assert.deepEqual(found, {});
    } finally {
      await context.close();
    }
  });
}

test('axe finds no violation in high contrast and at 特大 text either (390px)', async () => {
  for (const [mode, storage] of Object.entries(MODES).filter(([m]) => m !== 'standard')) {
    const { context, page } = await open(PHONE, storage);
    try {
      const found = {};
      for (const name of ['home', 'plan', 'report', 'department', 'city', 'search']) {
        await load(page, PAGE_KINDS[name]);
        const v = await axeViolations(page);
        if (v.length) found[name] = v;
      }
      assert.deepEqual(found, {}, `${mode}`);
    } finally {
      await context.close();
    }
  }
});

test('the text-size switch has three steps, the largest 1.33× the body, and it holds on the next page', async () => {
  const { context, page, errors } = await open(PHONE);
  try {
    await load(page, '/plans/2023-work-points/');
    const standard = (await bodyStyle(page)).size;
    assert.equal(standard, 18);
    const buttons = page.locator('.tools [data-set-fs]');
    assert.deepEqual(await buttons.allTextContents(), ['标准', '大', '特大']);
    assert.equal(await page.locator('.tools [data-set-fs="0"]').getAttribute('aria-pressed'), 'true');
    const sizes = [];
    for (const step of ['1', '2']) {
      await page.locator(`.tools [data-set-fs="${step}"]`).click();
      await page.waitForFunction((s) => document.documentElement.getAttribute('data-fs') === s, step);
      sizes.push((await bodyStyle(page)).size);
      assert.equal(await page.locator(`.tools [data-set-fs="${step}"]`).getAttribute('aria-pressed'), 'true');
    }
    assert.ok(sizes[0] > standard && sizes[1] > sizes[0], `sizes grow: ${standard} ${sizes}`);
    assert.ok(sizes[1] >= 1.25 * standard, `特大 is at least 1.25× body: ${sizes[1]}`);
    // Everything scales, not only the body: an item's department names grow too.
    const deptSize = await page.locator('a.dept').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(deptSize >= 1.25 * 16, `department names scale: ${deptSize}`);
    // The next page (a link followed) opens at 特大, with 特大 marked as chosen.
    await Promise.all([page.waitForURL('**/departments/**'), page.locator('a.dept').first().click()]);
    await page.waitForLoadState('load');
    assert.equal((await bodyStyle(page)).size, sizes[1]);
    assert.equal(await page.locator('.tools [data-set-fs="2"]').getAttribute('aria-pressed'), 'true');
    await page.locator('.tools [data-set-fs="0"]').click();
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-fs'));
    assert.equal((await bodyStyle(page)).size, standard);
    await load(page, '/');
    assert.equal((await bodyStyle(page)).size, standard, 'back to 标准 on the next page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Text whose colour is the colour of what lies behind it: axe takes such text for hidden on
// purpose and lets it pass, so a swapped colour variable could make a heading vanish unseen.
function invisibleText() {
  const background = (e) => {
    for (; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !e.getClientRects().length || e.closest('.visually-hidden, .skip')) continue;
    if (getComputedStyle(e).color === background(e)) bad.push(`${e.tagName.toLowerCase()}.${e.className} ${n.textContent.trim().slice(0, 12)}`);
  }
  return bad;
}

test('no text takes the colour of its background, in either colour mode', async () => {
  for (const [mode, storage] of Object.entries(MODES).filter(([m]) => m !== '特大')) {
    const { context, page } = await open(PHONE, storage);
    try {
      for (const [name, path] of Object.entries(PAGE_KINDS)) {
        await load(page, path);
        assert.deepEqual(await page.evaluate(invisibleText), [], `${name} (${mode})`);
      }
    } finally {
      await context.close();
    }
  }
});

test('high contrast turns the page to light on black, and holds on the next page', async () => {
  const { context, page, errors } = await open(DESKTOP);
  try {
    await load(page, '/');
    const normal = await bodyStyle(page);
    assert.equal(normal.background, 'rgb(255, 255, 255)');
    const toggle = page.locator('.tools [data-set-contrast]');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-contrast'));
    const high = await bodyStyle(page);
    assert.equal(high.background, 'rgb(0, 0, 0)');
    assert.equal(high.color, 'rgb(255, 255, 255)');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await load(page, '/plans/2023-work-points/');
    assert.deepEqual(await bodyStyle(page), high, 'the next page opens in high contrast');
    const link = await page.locator('a.dept').first().evaluate((e) => getComputedStyle(e).color);
    assert.equal(link, 'rgb(255, 255, 0)', 'links are yellow');
    await page.locator('.tools [data-set-contrast]').click();
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-contrast'));
    assert.deepEqual(await bodyStyle(page), normal);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the switches are reachable and work by keyboard', async () => {
  const { context, page } = await open(DESKTOP);
  try {
    await load(page, '/');
    const reached = [];
    for (let i = 0; i < 8 && !reached.includes('高对比度'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement.textContent.trim()));
      if (reached.at(-1) === '特大') {
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.documentElement.getAttribute('data-fs') === '2');
      }
      if (reached.at(-1) === '高对比度') {
        await page.keyboard.press('Space');
        await page.waitForFunction(() => document.documentElement.hasAttribute('data-contrast'));
      }
    }
    assert.deepEqual(reached.slice(0, 5), ['跳到正文', '标准', '大', '特大', '高对比度']);
  } finally {
    await context.close();
  }
});

test('without JavaScript the switches and document buttons are hidden, and citations are plain links', async () => {
  const { context, page } = await open({ ...PHONE, javaScriptEnabled: false });
  try {
    await load(page, '/plans/2023-work-points/');
    assert.equal(await page.locator('.tools').isVisible(), false, 'switches hidden');
    assert.equal(await page.locator('.doc-tools').isVisible(), false, 'print/share hidden');
    assert.equal(await page.locator('script:not([src$="/static/a11y.js"])').count(), 0, 'a11y.js is the only script');
    const cite = page.locator('#item-11 a.cite');
    assert.equal(await cite.getAttribute('href'), '#item-11');
    await cite.click();
    await page.waitForURL((u) => u.hash === '#item-11');
    await page.waitForFunction(() => document.querySelector(':target')?.id === 'item-11');
    // Back to top is a plain link, there from the start.
    assert.ok(await page.locator('.to-top').isVisible());
    assert.equal(await page.locator('.to-top').getAttribute('href'), '#top');
  } finally {
    await context.close();
  }
});

// Names in more than one line box, except (at 特大) a name wider than the whole line together
// with the 、，） that must stay on its line: it has nowhere else to go.
function brokenNames(selector) {
  // A distributed collective (各高校科协、企业科协、医疗卫生机构科协) is a list: it may break at 、.
  return [...document.querySelectorAll(selector)].filter((a) => !a.textContent.includes('、') && a.getClientRects().length !== 1).filter((a) => {
    const block = a.closest('li, p, div');
    const s = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    a.style.whiteSpace = 'nowrap';
    let width = a.getBoundingClientRect().width;
    a.style.whiteSpace = '';
    // The punctuation that follows the name (after the group it closes, if it is the last).
    const next = a.nextSibling || (a.parentElement.classList.contains('dept-group') ? a.parentElement.nextSibling : null);
    if (next && next.nodeType === 3 && /^[、，）。；,)]/.test(next.textContent)) width += parseFloat(getComputedStyle(block).fontSize);
    return width <= room;
  }).map((a) => `${a.textContent} (${a.getClientRects().length})`);
}

test('no department or city name on a plan page breaks across lines at 390px, in any text size', async () => {
  for (const [mode, storage] of Object.entries(MODES).filter(([m]) => m !== 'contrast')) {
    const { context, page } = await open(PHONE, storage);
    try {
      for (const slug of PLANS) {
        await load(page, `/plans/${slug}/`);
        const selector = 'main a[href^="/departments/"], main a[href^="/cities/"]';
        const r = await page.evaluate((s) => {
          const names = [...document.querySelectorAll(s)];
          // A distributed collective (各高校科协、企业科协、医疗卫生机构科协) is a list of names:
          // it may break at its 、, never inside a name.
          const single = names.filter((a) => !a.textContent.includes('、'));
          return { count: names.length, strict: single.filter((a) => a.getClientRects().length !== 1).length };
        }, selector);
        r.broken = await page.evaluate(brokenNames, selector);
        if (mode === 'standard') assert.equal(r.strict, 0, `${slug}: at 标准 size every name is one line box`);
        assert.ok(r.count > 0, `${slug}: names found`);
        assert.deepEqual(r.broken, [], `${slug} (${mode}): names in more than one line box`);
      }
      for (const path of ['/departments/kepubu/', '/cities/zhengzhou/', '/programs/kepu-zhongyuan/']) {
        await load(page, path);
        const broken = await page.evaluate(brokenNames, '.item-deps a, .chip');
        assert.deepEqual(broken, [], `${path} (${mode}): names in more than one line box`);
      }
    } finally {
      await context.close();
    }
  }
});

test('no line starts with the 、 or ， that follows a department name', async () => {
  const { context, page } = await open(PHONE);
  try {
    for (const path of ['/plans/2023-work-points/', '/departments/kepubu/']) {
      await load(page, path);
      const orphans = await page.evaluate(() => {
        const bad = [];
        for (const a of document.querySelectorAll('a.dept, .item-deps a, .item-deps .current')) {
          // The punctuation that follows the name (after the group it closes, if it is the last).
    const next = a.nextSibling || (a.parentElement.classList.contains('dept-group') ? a.parentElement.nextSibling : null);
          if (!next || next.nodeType !== 3 || !/^[、，,]/.test(next.textContent)) continue;
          const range = document.createRange();
          range.setStart(next, 0);
          range.setEnd(next, 1);
          const sep = range.getClientRects()[0];
          const name = a.getClientRects()[0];
          if (sep && name && sep.top > name.bottom - 1) bad.push(a.textContent);
        }
        return bad;
      });
      assert.deepEqual(orphans, [], `${path}: a separator wrapped away from its name`);
    }
  } finally {
    await context.close();
  }
});

test('department chips are tap targets of at least 44×44 px on a phone', async () => {
  const { context, page } = await open(PHONE);
  try {
    for (const path of ['/plans/2023-work-points/', '/plans/2018-work-points/', '/departments/kepubu/', '/cities/zhengzhou/', '/']) {
      await load(page, path);
      const r = await page.evaluate(() => {
        const targets = [...document.querySelectorAll('main a.dept, main .item-deps a, main .chip, main .chip-list a, main a.cite, .tools button, .doc-tools button:not([hidden]), .to-top:not([data-hidden])')];
        const small = targets.map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.height < 44 - 0.01 || r.width < 44 - 0.01)
          .map(({ e, r }) => `${e.textContent.trim()} ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
        return { count: targets.length, small };
      });
      assert.ok(r.count > 5, `${path}: targets found (${r.count})`);
      assert.deepEqual(r.small.slice(0, 8), [], `${path}: targets under 44px (${r.small.length} of ${r.count})`);
    }
  } finally {
    await context.close();
  }
});

test('at 390px a plan item uses the width of the screen', async () => {
  const { context, page } = await open(PHONE);
  try {
    await load(page, '/plans/2023-work-points/');
    const r = await page.evaluate(() => {
      const main = document.querySelector('main').getBoundingClientRect();
      const p = document.querySelector('#item-11 p') || document.querySelector('#item-11');
      const lines = [...p.getClientRects()];
      const range = document.createRange();
      range.selectNodeContents(p);
      const text = [...range.getClientRects()];
      return { mainLeft: main.left + parseFloat(getComputedStyle(document.querySelector('main')).paddingLeft), left: Math.min(...text.slice(2).map((x) => x.left)), lines: lines.length };
    });
    assert.ok(r.left - r.mainLeft <= 1, `item text starts at the content edge from its second line on: ${JSON.stringify(r)}`);
  } finally {
    await context.close();
  }
});

test('at 320px no page kind scrolls sideways, in any mode', async () => {
  for (const [mode, storage] of Object.entries(MODES)) {
    const { context, page } = await open(NARROW, storage);
    try {
      for (const [name, path] of Object.entries(PAGE_KINDS)) {
        await load(page, path);
        const o = await horizontalOverflow(page);
        assert.equal(o, null, `${name} (${mode}) is wider than 320px: ${JSON.stringify(o)}`);
      }
    } finally {
      await context.close();
    }
  }
});

test('the table of contents of a plan shows its sections 一、二、… with their items', async () => {
  const { context, page } = await open(DESKTOP);
  try {
    await load(page, '/plans/2023-work-points/');
    const toc = page.locator('details.toc');
    await toc.locator('summary').click();
    const sections = await toc.locator('.toc-section > a').allTextContents();
    assert.deepEqual(sections.map((s) => s.slice(0, 2)), ['一、', '二、', '三、', '四、', '五、', '六、', '七、']);
    assert.equal(await toc.locator('.toc-items a').count(), 23);
    // A section link leads to the section's heading.
    await toc.locator('.toc-section > a').nth(4).click();
    await page.waitForFunction(() => /^五、/.test(document.querySelector(':target')?.textContent || ''));
  } finally {
    await context.close();
  }
});

test('¶引用 copies the citation of an item or a passage with its URL', async () => {
  const { context, page, errors } = await open(DESKTOP);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await load(page, '/plans/2023-work-points/');
    await page.locator('#item-11 a.cite').click();
    await page.waitForSelector('#item-11 .cite-done');
    assert.equal(await page.locator('#item-11 .cite-done').textContent(), '已复制引用');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
      `豫科协办发〔2023〕4号《河南省科协2023年工作要点》第11项 ${site.url}/plans/2023-work-points/#item-11`);
    // A plan without a document number is cited by its title.
    await load(page, '/plans/2018-work-points/');
    await page.locator('#item-3 a.cite').click();
    await page.waitForSelector('#item-3 .cite-done');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `《河南省科协2018年工作要点》第3项 ${site.url}/plans/2018-work-points/#item-3`);
    // A report passage: the city's association and the report's title.
    await load(page, '/reports/2024/luoyang/');
    const cite = page.locator('.report-body a.cite').nth(2);
    const href = await cite.getAttribute('href');
    const n = href.match(/^#p-(\d+)$/)[1];
    await cite.click();
    await page.waitForSelector(`[id="${href.slice(1)}"] .cite-done`);
    const title = await page.locator('h1').textContent();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `洛阳市科协《${title}》第${n}段 ${site.url}/reports/2024/luoyang/${href}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('分享 uses the Web Share API where the browser has it, and copies the link where not', async () => {
  const { context, page } = await open(PHONE);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await context.addInitScript(() => {
      window.__shared = [];
      Object.defineProperty(Navigator.prototype, 'share', { configurable: true, value: (data) => { window.__shared.push(data); return Promise.resolve(); } });
    });
    await load(page, '/reports/2024/luoyang/#p-3');
    await page.locator('.doc-tools [data-share]').click();
    await page.waitForFunction(() => window.__shared.length === 1);
    const shared = await page.evaluate(() => window.__shared[0]);
    assert.equal(shared.url, `${site.url}/reports/2024/luoyang/`);
    assert.match(shared.title, /洛阳市/);
  } finally {
    await context.close();
  }
  const { context: plain, page: p2 } = await open(DESKTOP);
  try {
    await plain.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await plain.addInitScript(() => { delete Navigator.prototype.share; });
    await load(p2, '/plans/2023-work-points/');
    await p2.locator('.doc-tools [data-share]').click();
    await p2.waitForSelector('.doc-tools .cite-done');
    assert.equal(await p2.evaluate(() => navigator.clipboard.readText()), `${site.url}/plans/2023-work-points/`);
  } finally {
    await plain.close();
  }
});

test('朗读 reads the document in Chinese, from the targeted item on, and stops on a second press', async () => {
  const { context, page } = await open(DESKTOP);
  try {
    await context.addInitScript(() => {
      window.__spoken = [];
      window.__cancelled = 0;
      window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
      window.speechSynthesis.cancel = () => { window.__cancelled++; };
    });
    await load(page, '/plans/2023-work-points/#item-11');
    const button = page.locator('.doc-tools [data-speak]');
    assert.ok(await button.isVisible(), 'shown where speech synthesis exists');
    await button.click();
    await page.waitForFunction(() => window.__spoken.length > 0);
    const spoken = await page.evaluate(() => window.__spoken);
    assert.ok(spoken.every((u) => u.lang === 'zh-CN'));
    assert.match(spoken[0].text, /^深入开展“会市合作”/);
    assert.ok(!spoken.some((u) => /引用$/.test(u.text)), 'the citation links are not read');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await button.click();
    await page.waitForFunction(() => window.__cancelled > 0);
    assert.equal(await button.textContent(), '朗读');
  } finally {
    await context.close();
  }
});

test('back to top appears once the reader has scrolled and brings them back', async () => {
  const { context, page } = await open(PHONE);
  try {
    await load(page, '/plans/2018-work-points/');
    const toTop = page.locator('.to-top');
    assert.equal(await toTop.isVisible(), false, 'hidden at the top of the page');
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight / 2));
    await toTop.waitFor({ state: 'visible' });
    const box = await toTop.boundingBox();
    assert.ok(box.y + box.height <= 844 && box.y > 844 / 2, `in the lower corner of the screen: ${JSON.stringify(box)}`);
    await toTop.click();
    await page.waitForFunction(() => window.scrollY === 0);
  } finally {
    await context.close();
  }
});

test('printed, a plan is the document alone: black text, no chrome, URL and print date in the margin', async () => {
  for (const [mode, storage] of Object.entries(MODES)) {
    const { context, page } = await open(DESKTOP, storage);
    try {
      await load(page, '/plans/2023-work-points/');
      await page.emulateMedia({ media: 'print' });
      const r = await page.evaluate(() => {
        const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).length;
        const colours = new Set();
        for (const e of document.querySelectorAll('main *')) if (e.getClientRects().length && e.textContent.trim()) colours.add(getComputedStyle(e).color);
        return {
          chrome: ['.site-header', '.tools', '.crumbs', '.site-footer', '.toc', '.doc-tools', 'a.cite', '.to-top'].filter((s) => shown(s)),
          colours: [...colours],
          background: getComputedStyle(document.body).backgroundColor,
          title: shown('main h1'),
          items: shown('.plan-body li[id^="item-"]'),
          margins: document.getElementById('print-margins')?.textContent || '',
        };
      });
      assert.deepEqual(r.chrome, [], `${mode}: chrome that prints`);
      assert.deepEqual(r.colours, ['rgb(0, 0, 0)'], `${mode}: text colours in print`);
      assert.ok(['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].includes(r.background), `${mode}: paper stays white (${r.background})`);
      assert.equal(r.title, 1);
      assert.equal(r.items, 23);
      assert.ok(r.margins.includes(`${site.url}/plans/2023-work-points/`), `URL in the page margin: ${r.margins}`);
      assert.match(r.margins, /打印日期：\d{4}-\d{2}-\d{2}/);
      // A real PDF of it comes out (A4 pages).
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    } finally {
      await context.close();
    }
  }
});
