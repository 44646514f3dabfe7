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
