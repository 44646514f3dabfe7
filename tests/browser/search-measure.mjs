// Measuring tool (not a test): the size of a built site's search index and the bytes one query
// fetches, typed into /search/ in chromium. Bytes are as served (uncompressed) and gzipped
// (what most static hosts send for JSON).
//
//   node search-measure.mjs OUTPUT_DIR [query …]
//
// Prints a Markdown table: query, results, files fetched, bytes for the first screen of
// results (meta + shards + the 10 entries shown), and the same gzipped.
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveStatic, launchChromium, PHONE } from './lib.mjs';

const [output, ...args] = process.argv.slice(2);
if (!output) {
  console.error('usage: node search-measure.mjs OUTPUT_DIR [query …]');
  process.exit(2);
}
const queries = args.length ? args : ['科普', '青年人才托举工程', '兰考', '濮阳', '院士工作站', '科普 濮阳', '数字化'];

function walk(dir) {
  let bytes = 0, gz = 0, files = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const r = walk(p);
      bytes += r.bytes; gz += r.gz; files += r.files;
    } else if (name.endsWith('.json')) {
      const b = readFileSync(p);
      bytes += b.length; gz += gzipSync(b).length; files += 1;
    }
  }
  return { bytes, gz, files };
}
const kb = (n) => (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB';
const mb = (n) => (n / 1048576).toFixed(1) + ' MB';

const index = walk(join(output, 'search'));
console.log(`index: ${index.files} files, ${mb(index.bytes)} (${mb(index.gz)} gzipped); largest shard ${kb(Math.max(...readdirSync(join(output, 'search', 's')).map((f) => statSync(join(output, 'search', 's', f)).size)))}`);
const server = await serveStatic(output);
const browser = await launchChromium();
try {
  console.log('| query | documents found | files fetched | bytes (first 10 results) | gzipped |');
  console.log('|---|---|---|---|---|');
  for (const q of queries) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const bodies = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/search/') && u.pathname.endsWith('.json')) bodies.push(r.body().catch(() => Buffer.alloc(0)));
    });
    await page.goto(server.url + '/search/?q=' + encodeURIComponent(q));
    await page.waitForFunction((q) => {
      const l = document.getElementById('search-results');
      return l.dataset.state === 'done' && l.dataset.query === q;
    }, q);
    const status = await page.locator('#search-status').textContent();
    const got = await Promise.all(bodies);
    const bytes = got.reduce((a, b) => a + b.length, 0);
    const gz = got.reduce((a, b) => a + gzipSync(b).length, 0);
    const found = /找到 (\d+) 篇/.exec(status)?.[1] ?? '0';
    console.log(`| ${q} | ${found} | ${got.length} | ${kb(bytes)} | ${kb(gz)} |`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
