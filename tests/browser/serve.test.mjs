// Browser test of `planport serve`: an editor changes a file and sees the page change without
// reloading; breaks it and sees the error in the page; fixes it and sees the page again.
// Debian chromium driven by playwright-core. Every wait is on a condition, never a sleep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.PLANPORT_BIN || join(repo, 'target', 'release', 'planport');
const site = mkdtempSync(join(tmpdir(), 'planport-serve-'));
const plan = join(site, 'content', 'plans', '2023-key-tasks.md');
let server, browser, base;

before(async () => {
  cpSync(join(repo, 'content'), join(site, 'content'), { recursive: true });
  server = spawn(bin, ['serve', '--content', join(site, 'content'), '--output', join(site, 'output'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', () => {});
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) resolve(`http://${m[1]}`);
    });
    server.on('exit', (code) => reject(new Error(`planport serve exited with ${code}: ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

test('serve binds to 127.0.0.1 only', () => {
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('an edit shows up, a broken file shows its error, a fix recovers, all without a manual reload', async () => {
  const page = await browser.newPage();
  const original = readFileSync(plan, 'utf8');
  await page.goto(`${base}/plans/2023-key-tasks/`);
  assert.equal(await page.locator('h1').textContent(), '河南省科协2023年重点工作');
  // Marks the document: a manual reload would lose it, the live reload replaces it too, so we
  // check it is gone only after the change arrived.
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });

  writeFileSync(plan, original.replace('title: 河南省科协2023年重点工作', 'title: 河南省科协2023年重点工作（修订稿）'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === '河南省科协2023年重点工作（修订稿）', null, { timeout: 30000 });
  assert.ok(navigations.length >= 1, 'the page reloaded itself');

  writeFileSync(plan, original.replace('kind: plan', 'kind: plam'));
  await page.waitForSelector('#planport-error', { timeout: 30000 });
  const error = await page.locator('#planport-error').textContent();
  assert.match(error, /2023-key-tasks\.md:\d+:\d+/);
  assert.match(error, /E0117\]：kind 的值 plam 无效，您是否想写 plan？/);

  writeFileSync(plan, original);
  // The page reloads itself once for the edited page and again when the rest of the site is
  // caught up; a check made between the two may see a page still loading. So the whole fixed
  // state is awaited in one condition: the title back, all ten items, no error box.
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === '河南省科协2023年重点工作' &&
    document.querySelectorAll('li[id^="item-"]').length === 10 && !document.querySelector('#planport-error'), null, { timeout: 30000 });
  await page.close();
});

test('the error page is Chinese and its caret sits under the marked text of a long item', async () => {
  const fixture = join(repo, 'tests', 'fixtures', 'long-item', 'content', 'plans', '2023-long-item.md');
  const broken = join(site, 'content', 'plans', '2023-long-item.md');
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/`);
  writeFileSync(broken, readFileSync(fixture, 'utf8'));
  try {
    await page.waitForSelector('#planport-error', { timeout: 30000 });
    assert.equal(await page.locator('h1').textContent(), '生成失败');
    const error = await page.locator('#planport-error').textContent();
    assert.match(error, /错误\[E0201\]：未知的部门 科普布，您是否想写 科普部？/);
    assert.match(error, /2023-long-item\.md:8:\d+/);
    assert.match(error, /1 个错误，涉及 1 个文件/);
    assert.doesNotMatch(error, /\b(error|hint|unknown)\b/, 'no English words');
    assert.equal(await page.locator('#planport-error mark').textContent(), '科普布');
    const mark = await page.locator('#planport-error mark').boundingBox();
    const caret = await page.locator('#planport-error .caret').boundingBox();
    assert.ok(Math.abs(mark.x - caret.x) < 1, `the caret starts under the mark: ${mark.x} ${caret.x}`);
    assert.ok(caret.y > mark.y && caret.y - mark.y < 2 * mark.height, 'on the next line');
    assert.ok(mark.x >= 0 && mark.x + mark.width <= 390, `the box starts scrolled to the mark: ${mark.x}`);
    // Lines never wrap: a long one scrolls inside the box, the page itself does not.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 390, `the page does not scroll sideways: ${pageWidth}`);
  } finally {
    rmSync(broken);
    await page.close();
  }
});
