// Screenshot tool (not a test): serves a built site on 127.0.0.1 and saves PNGs of the main
// page kinds at desktop (1280 wide) and phone (390 wide) into tests/browser/screenshots/.
//
//   node screenshots.mjs              # serves /work/main/output (run `planport build` first)
//   node screenshots.mjs path/to/out  # serves another built output dir
//   node screenshots.mjs --build      # builds content/ with $PLANPORT_BIN into a temp dir first
//
// For each page and width it writes <name>-<width>.png (the first screen, as a reader sees it),
// <name>-<width>-full.png (the whole page, cut at MAX_FULL CSS pixels), on the phone also
// <name>-390-2.png … (the next screens, one by one), plus focus-<width>.png (keyboard focus on
// the home page after a few Tabs); and prints whether a page scrolls horizontally.
// The same again in the 适老化 modes, as a reader who chose them sees every page (the choice is
// in localStorage): <name>-<width>-contrast.png (high contrast) and <name>-<width>-xl.png
// (特大 text), first screen and whole page. Last, the 2023 工作要点 printed to PDF (A4, as the
// browser's 打印 does) in both colour modes, each PDF page as print-<mode>-<n>.png (pdftoppm,
// from Debian's poppler-utils; without it only the PDF is written).
import { mkdirSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { repo, serveStatic, buildSite, launchChromium, PHONE, DESKTOP } from './lib.mjs';

const PAGES = [
  ['home', '/'],
  ['plan', '/plans/2023-work-points/'],
  ['department', '/departments/kepubu/'],
  ['city', '/cities/zhengzhou/'],
  ['report', '/reports/2024/luoyang/'],
  ['year', '/years/2024/'],
  ['search', '/search/?q=' + encodeURIComponent('科普')],
  ['guide', '/guide/'],                          // code blocks
  ['item', '/plans/2023-work-points/#item-13'],  // a targeted item, as a department page links it
  ['departments', '/departments/'],              // the department × year matrix
  ['program', '/programs/huishi-hezuo/'],        // a program timeline
  ['framework', '/programs/5610/'],              // the 5610 tree
  ['problems', '/reports/2024/problems/'],       // every city's problems side by side
  ['collection', '/collections/reports-2024-03/'],
  ['cities', '/cities/'],
];
const MODES = [['', null], ['contrast', { 'planport-contrast': '1' }], ['xl', { 'planport-text-size': '2' }]];
const PRINTED = '/plans/2023-work-points/';
const SCREENS = 4; // first screens saved one by one (phone), as a reader scrolls
const MAX_FULL = 4000;
const outDir = join(repo, 'tests', 'browser', 'screenshots');

const arg = process.argv[2];
let site = null;
let root;
if (arg === '--build') {
  site = buildSite();
  root = site.output;
} else {
  root = resolve(arg || join(repo, 'output'));
}
if (!existsSync(join(root, 'index.html'))) {
  console.error(`no built site in ${root} (run \`planport build\` or pass --build)`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.png') || f.endsWith('.pdf')) rmSync(join(outDir, f)); // no stale shots

const server = await serveStatic(root);
const browser = await launchChromium();
let failed = false;
try {
  for (const [mode, storage] of MODES) for (const [label, options] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const context = await browser.newContext(options);
    if (storage) await context.addInitScript((s) => { for (const [k, v] of Object.entries(s)) localStorage.setItem(k, v); }, storage);
    const suffix = mode ? '-' + mode : '';
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    for (const [name, path] of PAGES) {
      const res = await page.goto(server.url + path, { waitUntil: 'load' });
      if (!res || res.status() !== 200) {
        console.error(`${path}: HTTP ${res?.status()}`);
        failed = true;
      }
      if (name === 'search') await page.waitForSelector('#search-results li', { timeout: 10000 });
      if (path.includes('#')) await page.waitForFunction(() => document.querySelector(':target') !== null);
      const m = await page.evaluate(() => ({
        // innerWidth grows with a too-wide page under mobile emulation; clientWidth does not
        sw: document.scrollingElement.scrollWidth, iw: Math.min(window.innerWidth, document.documentElement.clientWidth),
        h: document.scrollingElement.scrollHeight,
      }));
      const width = options.viewport.width;
      await page.screenshot({ path: join(outDir, `${name}-${width}${suffix}.png`) });
      if (!path.includes('#')) {
        await page.screenshot({
          path: join(outDir, `${name}-${width}${suffix}-full.png`),
          fullPage: true,
          clip: { x: 0, y: 0, width, height: Math.min(m.h, MAX_FULL) },
        });
      }
      if (options === PHONE && !mode && !path.includes('#')) {
        const vh = options.viewport.height;
        for (let k = 2; k <= SCREENS && (k - 1) * vh < m.h; k++) {
          await page.screenshot({
            path: join(outDir, `${name}-${width}-${k}.png`),
            fullPage: true,
            clip: { x: 0, y: (k - 1) * vh, width, height: Math.min(vh, m.h - (k - 1) * vh) },
          });
        }
      }
      const overflow = m.sw > m.iw ? `  HORIZONTAL OVERFLOW ${m.sw} > ${m.iw}` : '';
      console.log(`${(label + suffix).padEnd(16)} ${path.padEnd(28)} height ${m.h}${overflow}`);
      if (overflow) failed = true;
    }
    // Keyboard focus: skip link, site name, first nav links.
    await page.goto(server.url + '/', { waitUntil: 'load' });
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body);
    await page.screenshot({ path: join(outDir, `focus-${options.viewport.width}${suffix}.png`) });
    // Printed: what the browser's 打印 makes of the plan, page by page.
    if (options === DESKTOP && mode !== 'xl') {
      await page.goto(server.url + PRINTED, { waitUntil: 'load' });
      const pdf = join(outDir, `print${suffix}.pdf`);
      writeFileSync(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
      try {
        execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(outDir, `print${suffix || '-standard'}`)]);
      } catch (e) {
        console.error(`no PNGs of ${pdf}: ${e.code === 'ENOENT' ? 'pdftoppm is not installed (apt-get install poppler-utils)' : e.message}`);
      }
      console.log(`printed ${PRINTED} → ${pdf}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  site?.cleanup();
}
console.log(`screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
