// Browser tests of the built site: Debian chromium driven by playwright-core, against a tiny
// static server of a site that the real binary ($PLANPORT_BIN, default target/release/planport)
// builds into a temp dir from $PLANPORT_CONTENT (default: the repo's content/; the binary's
// built-in theme is overridden by a themes/<name>/ folder next to the content, which for the
// repo is themes/default/ itself, so theme edits are tested without rebuilding). Every wait is on a condition
// or selector, never a sleep. The browser, the server and the temp dirs are cleaned up in
// after() or in the test's finally, which run even when a test fails.
//
//   cd tests/browser && npm install && node --test site.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic, buildSite, siteUnderTest, horizontalOverflow, CONTENT, PHONE } from './lib.mjs';

const PHONE_PAGES = {
  home: '/',
  plan: '/plans/2023-work-points/',
  department: '/departments/kepubu/',
  city: '/cities/zhengzhou/',
  report: '/reports/2024/luoyang/',
};
const MORE_PAGES = { year: '/years/2024/', years: '/years/', departments: '/departments/', cities: '/cities/', programs: '/programs/', program: '/programs/kepu-zhongyuan/', search: '/search/' };
// Items per plan, as the official documents number them.
const PLAN_ITEMS = { '2023-key-tasks': 10, '2023-work-points': 23, '2018-work-points': 51, '2021-society-work-points': 18, '2025-society-work-points': 13 };

const site = siteUnderTest({ before, after });
const { open, load } = site;

test('every page kind is Chinese (lang="zh-CN") and has breadcrumbs back home and a footer', async () => {
  const { context, page } = await open();
  try {
    for (const [name, path] of Object.entries({ ...PHONE_PAGES, ...MORE_PAGES })) {
      await load(page, path);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', `${name} ${path}`);
      assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`);
      assert.ok(await page.locator('footer').isVisible(), `${name}: footer visible`);
      if (name !== 'home') {
        const crumbs = page.locator('nav.crumbs');
        assert.ok(await crumbs.isVisible(), `${name}: breadcrumbs visible`);
        assert.equal(await crumbs.locator('a').first().getAttribute('href'), '/', `${name}: breadcrumbs start at home`);
        assert.equal(await crumbs.locator('[aria-current="page"]').count(), 1, `${name}: breadcrumbs mark the current page`);
      }
    }
  } finally {
    await context.close();
  }
});

// Search has its own file: search.test.mjs.

test('at 390px wide no page scrolls horizontally', async () => {
  const { context, page } = await open(PHONE);
  try {
    for (const [name, path] of Object.entries({ ...PHONE_PAGES, ...MORE_PAGES, guide: '/guide/' })) {
      await load(page, path);
      if (name === 'search') continue; // covered with results below
      assert.equal(await horizontalOverflow(page), null, `${name} ${path} is wider than the screen`);
    }
    await load(page, '/search/?q=' + encodeURIComponent('科普'));
    await page.waitForSelector('#search-results li');
    assert.equal(await horizontalOverflow(page), null, 'search results are wider than the screen');
  } finally {
    await context.close();
  }
});

test('at 390px wide wide tables, long code lines and long unbroken text stay inside the screen', async () => {
  // A copy of the content with one free page full of things that like to overflow.
  const dir = mkdtempSync(join(tmpdir(), 'planport-wide-'));
  let wideSite, wideServer, context;
  try {
    cpSync(CONTENT, join(dir, 'content'), { recursive: true });
    // The site's own theme folder, if any, goes along (the default theme is built in).
    if (existsSync(join(CONTENT, '..', 'themes'))) cpSync(join(CONTENT, '..', 'themes'), join(dir, 'themes'), { recursive: true });
    const cells = Array.from({ length: 8 }, (_, i) => `第${i + 1}列很长的中文表头内容`);
    writeFileSync(join(dir, 'content', 'pages', 'layout-check.md'), [
      '---', 'title: 版式检查', '---', '',
      '很长的一行中文没有任何标点符号' + '河南省科学技术协会工作要点公开'.repeat(12), '',
      '一个很长的网址 https://www.hast.net.cn/' + 'averyveryverylongpathsegment'.repeat(8) + ' 之后还有文字。', '',
      '| ' + cells.join(' | ') + ' |', '|' + ' --- |'.repeat(8), '| ' + cells.map((c) => c + 'abcdefghijklmnopqrstuvwxyz0123456789').join(' | ') + ' |', '',
      '```yaml', 'title: ' + '河南省科协2024年工作要点'.repeat(10) + ' # ' + 'x'.repeat(200), '```', '',
      '行内代码 `content/data/departments.yaml/' + 'very-long-inline-code-segment-'.repeat(6) + '` 结束。', '',
    ].join('\n'));
    wideSite = buildSite(join(dir, 'content'));
    wideServer = await serveStatic(wideSite.output);
    context = await site.browser.newContext(PHONE);
    const page = await context.newPage();
    const res = await page.goto(wideServer.url + '/layout-check/', { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('main table').count(), 1, 'the table is rendered');
    assert.equal(await page.locator('main pre').count(), 1, 'the code block is rendered');
    assert.equal(await horizontalOverflow(page), null, 'layout-check page is wider than the screen');
    // The page itself does not scroll sideways; the table may scroll inside its own box.
    const table = await page.locator('main table').boundingBox();
    assert.ok(table.x >= 0 && table.x + table.width <= 390 + 0.5, `table box inside the screen: ${JSON.stringify(table)}`);
  } finally {
    await context?.close();
    await wideServer?.close();
    wideSite?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('body text is at least 16px with a line height of at least 1.7', async () => {
  const { context, page } = await open(PHONE);
  try {
    for (const [name, path] of Object.entries(PHONE_PAGES)) {
      await load(page, path);
      const r = await page.evaluate(() => {
        const px = (v) => parseFloat(v);
        const paragraphs = [...document.querySelectorAll('main p, main li')]
          .filter((e) => e.textContent.trim().length > 0 && e.getClientRects().length > 0)
          .map((e) => {
            const s = getComputedStyle(e);
            return { text: e.textContent.trim().slice(0, 20), size: px(s.fontSize), ratio: s.lineHeight === 'normal' ? 1.2 : px(s.lineHeight) / px(s.fontSize) };
          });
        // Every visible piece of text in main, paragraphs or not (meta lines, labels, badges).
        const small = [];
        const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent.trim() || !n.parentElement.getClientRects().length) continue;
          const size = px(getComputedStyle(n.parentElement).fontSize);
          if (size < 16) small.push(`${n.textContent.trim().slice(0, 20)} (${size}px)`);
        }
        return { paragraphs, small };
      });
      assert.ok(r.paragraphs.length >= 3, `${name}: paragraphs found (${r.paragraphs.length})`);
      const bad = r.paragraphs.filter((p) => p.size < 16 || p.ratio < 1.7 - 1e-6);
      assert.deepEqual(bad, [], `${name}: paragraphs under 16px or line height under 1.7`);
      assert.deepEqual(r.small.slice(0, 5), [], `${name}: text under 16px`);
    }
  } finally {
    await context.close();
  }
});

test('clicking an item on a department page lands on the plan with #item-N targeted and visible', async () => {
  const { context, page } = await open(PHONE);
  try {
    await load(page, '/departments/kepubu/');
    // An item further down the list that names 科普部 itself (牵头), so the plan must really
    // scroll to it.
    const link = page.locator('li.item-row:has(.role-lead) a.item-link[href*="/plans/2023-work-points/#item-"]').last();
    const href = await link.getAttribute('href');
    const n = href.match(/#item-(\d+)$/)[1];
    await link.click();
    await page.waitForURL((u) => u.pathname === '/plans/2023-work-points/' && u.hash === `#item-${n}`);
    await page.waitForFunction((id) => document.querySelector(':target')?.id === id, `item-${n}`);
    const item = page.locator(`#item-${n}`);
    assert.ok(await item.isVisible(), 'item visible');
    const box = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, innerHeight: window.innerHeight, scrollY: window.scrollY };
    }, `item-${n}`);
    assert.ok(box.scrollY > 0, 'the page scrolled to the item');
    assert.ok(box.top >= 0 && box.top < box.innerHeight, `item top is in the viewport: ${JSON.stringify(box)}`);
    // The item is the one the department page named, and it is marked for the eye.
    assert.match(await item.textContent(), /科普部/);
    const mark = await item.evaluate((e) => { const s = getComputedStyle(e); return { outline: s.outlineStyle, bg: s.backgroundColor }; });
    assert.notEqual(mark.outline, 'none', 'targeted item has an outline');
    assert.notEqual(mark.bg, 'rgba(0, 0, 0, 0)', 'targeted item has a background');
  } finally {
    await context.close();
  }
});

test('keyboard focus is visible', async () => {
  const { context, page } = await open();
  try {
    await load(page, '/plans/2023-work-points/');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      await page.waitForFunction(() => document.activeElement !== document.body);
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        return { tag: e.tagName, text: e.textContent.trim().slice(0, 10), visible: e.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.ok(f.visible && f.outline !== 'none' && f.width >= 2, `focus ring on ${f.tag} ${f.text}: ${JSON.stringify(f)}`);
    }
  } finally {
    await context.close();
  }
});

test('without JavaScript every plan shows all its items, and pages still work', async () => {
  const { context, page } = await open({ ...PHONE, javaScriptEnabled: false });
  try {
    for (const [slug, count] of Object.entries(PLAN_ITEMS)) {
      await load(page, `/plans/${slug}/`);
      const items = page.locator('.plan-body li[id^="item-"]');
      assert.equal(await items.count(), count, `${slug}: items`);
      const hidden = await items.evaluateAll((els) => els.filter((e) => !e.getClientRects().length || getComputedStyle(e).visibility === 'hidden').map((e) => e.id));
      assert.deepEqual(hidden, [], `${slug}: hidden items`);
      const numbers = await items.evaluateAll((els) => els.map((e) => e.id));
      assert.equal(new Set(numbers).size, count, `${slug}: distinct anchors`);
    }
    // The home page's search box is a plain GET form; the search page explains itself.
    await load(page, '/');
    assert.equal(await page.locator('form.search-form').getAttribute('action'), '/search/');
    await load(page, '/search/?q=' + encodeURIComponent('科普'));
    assert.match(await page.locator('main').textContent(), /搜索需要启用 JavaScript/);
    // Department pages list their items without any script.
    await load(page, '/departments/kepubu/');
    assert.ok(await page.locator('a.item-link').count() >= 10);
  } finally {
    await context.close();
  }
});
