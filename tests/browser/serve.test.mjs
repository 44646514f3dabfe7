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
  assert.match(error, /unknown variant `plam`/);

  writeFileSync(plan, original);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === '河南省科协2023年重点工作', null, { timeout: 30000 });
  assert.equal(await page.locator('#planport-error').count(), 0);
  assert.equal(await page.locator('li[id^="item-"]').count(), 10);
  await page.close();
});
