// The site built for a sub-path (`--base-url /portal/`) and served under /portal/ by a static
// server whose root holds nothing else: a reader follows links from the home page and uses
// search, and the browser never asks for anything outside /portal/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, planportBin, serveStatic, launchChromium } from './lib.mjs';

let dir, server, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'planport-subpath-'));
  execFileSync(planportBin, ['build', '--content', join(repo, 'content'), '--output', join(dir, 'www', 'portal'), '--base-url', '/portal/'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = await serveStatic(join(dir, 'www'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('under /portal/ a reader follows links through every kind of page and searches', async () => {
  const page = await browser.newPage();
  const requested = [];
  const failed = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  try {
    await page.goto(server.url + '/portal/');
    // The stylesheet is there: the header has the portal's red, not the browser's default.
    const header = await page.$eval('.site-header', (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(header, 'rgba(0, 0, 0, 0)');
    const steps = [
      ['nav.site-nav a:has-text("年度")', /\/portal\/years\/$/],
      ['main a[href$="/years/2023/"]', /\/portal\/years\/2023\/$/],
      ['main a[href$="/plans/2023-work-points/"]', /\/portal\/plans\/2023-work-points\/$/],
      ['main a.dept >> nth=0', /\/portal\/departments\/[a-z-]+\/$/],
      ['nav.site-nav a:has-text("省辖市")', /\/portal\/cities\/$/],
      ['main a[href$="/cities/kaifeng/"]', /\/portal\/cities\/kaifeng\/$/],
      ['main .doc-row a >> nth=0', /\/portal\/reports\/2024\/kaifeng\/$/],
      ['nav.site-nav a:has-text("重点工作")', /\/portal\/programs\/$/],
    ];
    for (const [selector, url] of steps) {
      await Promise.all([page.waitForURL(url), page.click(selector)]);
      assert.equal(await page.locator('main h1').count(), 1, `${page.url()} has its title`);
    }
    await page.goto(server.url + '/portal/search/?q=' + encodeURIComponent('兰考'));
    const first = page.locator('#search-results a').first();
    await first.waitFor();
    const href = await first.getAttribute('href');
    assert.ok(new URL(href, page.url()).pathname.startsWith('/portal/'), href);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/portal/search/'), first.click()]);
    assert.match(await page.locator('main').innerText(), /兰考/, 'the result leads to a page with the words');
    assert.deepEqual(failed, [], 'no request failed');
    const outside = requested.filter((p) => !p.startsWith('/portal/'));
    assert.deepEqual(outside, [], 'nothing is asked for outside /portal/');
  } finally {
    await page.close();
  }
});
