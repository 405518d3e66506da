// First-load weight of pages as the server sends them to a browser that accepts brotli: the HTML, then every
// style sheet, script, module preload and WebAssembly file it loads, counted compressed as transferred.
// Usage: node first-load.mjs http://127.0.0.1:3200 /catalogue=204800 /deposer /equipe/tableau
// A "=N" after a path is its budget in bytes; the script fails when a page is over its budget.
import http from 'node:http';

const base = process.argv[2];
const pages = process.argv.slice(3).map((arg) => {
  const [path, budget] = arg.split('=');
  return { path, budget: budget ? Number(budget) : null };
});

// A signed-in page (the board) is measured with the session cookie given in BENCH_COOKIE.
const cookie = process.env.BENCH_COOKIE ? { cookie: process.env.BENCH_COOKIE } : {};

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br, gzip', ...cookie, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function decoded(url) {
  // The same page, uncompressed, to read its links.
  return new Promise((resolve, reject) => {
    http.get(url, { headers: cookie }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let failed = false;
console.log('Poids au premier chargement (compressé, tel que transféré) :');
for (const { path, budget } of pages) {
  const html = await get(base + path);
  const text = await decoded(base + path);
  const assets = new Set();
  for (const match of text.matchAll(/<(?:link|script)[^>]+(?:href|src)="([^"]+)"/g)) {
    const url = match[1];
    if (url.startsWith('/pkg/') || url.endsWith('.css') || url.endsWith('.js') || url.endsWith('.wasm')) assets.add(url);
  }
  // The loader imports a client and its WebAssembly module only when the page holds an island (islands mode):
  // the first module of its list that holds all the page's islands, as the loader chooses (app/src/loader.rs).
  const islands = [...text.matchAll(/<leptos-island[^>]*data-component="([^"]+)"/g)].map((m) => m[1].replace(/_\d+$/, ''));
  const listed = text.match(/const modules = (\[.*?\]);\n/);
  if (islands.length > 0 && listed) {
    const chosen = JSON.parse(listed[1]).find((m) => !m.islands || islands.every((name) => m.islands.includes(name)));
    if (chosen) {
      assets.add(chosen.js);
      assets.add(chosen.wasm);
    }
  }
  let total = html.body.length;
  const lines = [`  HTML ${path.padEnd(30)} ${kb(html.body.length).padStart(10)} (${html.headers['content-encoding'] ?? 'non compressé'})`];
  for (const asset of assets) {
    const res = await get(base + asset);
    total += res.body.length;
    lines.push(`  ${asset.padEnd(35)} ${kb(res.body.length).padStart(10)} (${res.headers['content-encoding'] ?? 'non compressé'}, ${res.headers['cache-control'] ?? 'sans cache'})`);
  }
  const verdict = budget == null ? '' : total <= budget ? ` — budget ${kb(budget)} respecté` : ` — DÉPASSEMENT du budget ${kb(budget)}`;
  if (budget != null && total > budget) failed = true;
  console.log(`${path} : ${kb(total)}${verdict}`);
  lines.forEach((line) => console.log(line));
}
process.exit(failed ? 1 : 0);
