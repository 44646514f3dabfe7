// Shared helpers of the browser tools: a tiny static file server for a built output/ directory,
// building a site into a temp dir with the real binary, and launching Debian chromium.
// No external server and no downloaded browser.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const planportBin = process.env.PLANPORT_BIN || join(repo, 'target', 'release', 'planport');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

/** Serve `root` on 127.0.0.1 (a free port). `/x/` → x/index.html; `/x` (a folder) → 301 `/x/`;
 *  anything else missing → 404.html with status 404. Resolves to { url, close }. */
export async function serveStatic(root) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://x');
      let rel = decodeURIComponent(pathname);
      let file = resolve(root, '.' + rel);
      if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'text/plain', 'forbidden');
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) {
        if (!rel.endsWith('/')) {
          res.writeHead(301, { Location: pathname + '/' });
          return res.end();
        }
        file = join(file, 'index.html');
        st = await stat(file).catch(() => null);
      }
      if (!st?.isFile()) {
        const body = await readFile(join(root, '404.html')).catch(() => 'not found');
        return send(res, 404, TYPES['.html'], body);
      }
      send(res, 200, TYPES[extname(file)] || 'application/octet-stream', await readFile(file));
    } catch (e) {
      send(res, 500, 'text/plain', String(e));
    }
  });
  // Keep-alive sockets would hold close() open; track and destroy them.
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => { for (const s of sockets) s.destroy(); server.close(() => ok()); }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Build content/ into a fresh temp dir with the real binary. Returns { dir, output, cleanup }. */
export function buildSite(content = join(repo, 'content')) {
  const dir = mkdtempSync(join(tmpdir(), 'planport-site-'));
  const output = join(dir, 'output');
  try {
    execFileSync(planportBin, ['build', '--content', content, '--output', output], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`planport build failed (${planportBin}): ${e.stderr || e.message}`);
  }
  return { dir, output, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Debian chromium, headless. playwright creates a fresh temporary user-data-dir for every
 *  launch() and deletes it on close (it refuses an explicit --user-data-dir argument). */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

export const CONTENT = process.env.PLANPORT_CONTENT || join(repo, 'content');

/** The built site a test file runs against. `hooks` are node:test's before and after: before()
 *  builds `content` with the real binary into a temp dir, serves it on 127.0.0.1 and launches
 *  chromium; after() stops them, last started first, one failing cleanup not skipping the others.
 *  `open(options, storage)` gives a fresh context and page (storage: localStorage entries every
 *  page of it starts with; the caller closes the context in its finally), `load(page, path)`
 *  goes to a path of the site, asserts 200 and waits for the fonts. */
export function siteUnderTest({ before, after }, content = CONTENT) {
  const s = { cleanups: [] };
  before(async () => {
    const site = buildSite(content);
    s.cleanups.push(site.cleanup);
    s.server = await serveStatic(site.output);
    s.cleanups.push(s.server.close);
    s.browser = await launchChromium();
    s.cleanups.push(() => s.browser.close());
  });
  after(async () => {
    for (const f of s.cleanups.reverse()) {
      try { await f(); } catch (e) { console.error('cleanup:', e); }
    }
  });
  return {
    get url() { return s.server.url; },
    get browser() { return s.browser; },
    async open(options = {}, storage = {}) {
      const context = await s.browser.newContext(options);
      if (Object.keys(storage).length) {
        await context.addInitScript((m) => { for (const [k, v] of Object.entries(m)) localStorage.setItem(k, v); }, storage);
      }
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { context, page, errors };
    },
    async load(page, path) {
      const res = await page.goto(s.server.url + path, { waitUntil: 'load' });
      if (res.status() !== 200) throw new Error(`${path} answers ${res.status()}, not 200`);
      await page.evaluate(() => document.fonts.ready);
    },
  };
}

/** null when the page fits the screen's width, else what makes it wider. */
export function horizontalOverflow(page) {
  return page.evaluate(overflowInPage);
}

function overflowInPage() {
  // With mobile emulation Chromium widens the layout viewport (and innerWidth) to fit a page
  // that is too wide, so compare with the screen's width too (clientWidth of <html>).
  const root = document.scrollingElement;
  const screen = Math.min(window.innerWidth, document.documentElement.clientWidth);
  if (root.scrollWidth <= window.innerWidth && window.innerWidth <= document.documentElement.clientWidth) return null;
  // Name the widest culprits, to make a failure easy to fix.
  const wide = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > screen + 0.5)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} (right ${Math.round(e.getBoundingClientRect().right)})`);
  return { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, clientWidth: document.documentElement.clientWidth, wide };
}
