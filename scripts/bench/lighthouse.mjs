// Lighthouse 12.2.3 (mobile preset, Debian Chromium) on the pages of the performance report: performance,
// accessibility, best practices and SEO. Budgets: accessibility 100 and performance at least 95 on each page.
// Usage: node lighthouse.mjs http://127.0.0.1:3200 /catalogue /catalogue/slug /deposer/TOKEN/etape/1 /equipe/tableau
//   /equipe/cas/IAF-…
// BENCH_COOKIE holds the session cookie for the team's pages. Also reports the WebAssembly and JavaScript each
// page really transfers on its first load, with the budgets of its kind of page: 120 KB of WebAssembly on a
// wizard step, 150 KB on the board and a case page, none on a public page. Exits 1 when a page misses a budget.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const base = process.argv[2];
const pages = process.argv.slice(3);
const tools = process.env.IAF_TOOLS_DIR ?? path.join(process.env.HOME, '.cache/ia-factory-tools');
const lighthouse = path.join(tools, 'node_modules/.bin/lighthouse');
const chromeFlags = '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync';
const cookie = process.env.BENCH_COOKIE;
let failed = false;
console.log('Lighthouse 12.2.3 (mobile) :');
console.log(`  ${'page'.padEnd(34)} perf.  access.  bonnes pr.  SEO   WASM transféré  JS transféré`);
const PERFORMANCE_BUDGET = 95;
/** The WebAssembly a page may transfer (compressed), by kind of page. */
const wasmBudget = (page) =>
  /^\/deposer\/.+\/etape\//.test(page) ? 120 * 1024 : /^\/equipe\/(tableau|cas\/)/.test(page) ? 150 * 1024 : 0;
for (const page of pages) {
  const args = [
    `${base}${page}`,
    '--output=json',
    '--output-path=stdout',
    '--quiet',
    `--chrome-flags=${chromeFlags}`,
    '--only-categories=performance,accessibility,best-practices,seo',
  ];
  if (cookie && page.startsWith('/equipe')) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  let report;
  try {
    report = JSON.parse(execFileSync(lighthouse, args, {
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
      maxBuffer: 64 * 1024 * 1024,
    }).toString());
  } catch (error) {
    console.log(`  ${page.padEnd(34)} ÉCHEC de Lighthouse : ${String(error.message).split('\n')[0]}`);
    failed = true;
    continue;
  }
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const [perf, access, practices, seo] = ['performance', 'accessibility', 'best-practices', 'seo'].map(score);
  const requests = report.audits['network-requests']?.details?.items ?? [];
  const transferred = (test) => requests.filter((r) => test(r.url)).reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  const wasm = transferred((url) => url.split('?')[0].endsWith('.wasm'));
  const js = transferred((url) => url.split('?')[0].endsWith('.js'));
  const kb = (n) => `${(n / 1024).toFixed(1)} Ko`;
  const over = [];
  if (access < 100) over.push('accessibilité < 100');
  if (perf < PERFORMANCE_BUDGET) over.push(`performance < ${PERFORMANCE_BUDGET}`);
  if (wasm > wasmBudget(page)) over.push(`WASM > ${kb(wasmBudget(page))}`);
  console.log(`  ${page.slice(0, 34).padEnd(34)} ${String(perf).padStart(5)}  ${String(access).padStart(7)}  ${String(practices).padStart(10)}  ${String(seo).padStart(4)}  ${kb(wasm).padStart(14)}  ${kb(js).padStart(12)}${over.length ? `  BUDGET DÉPASSÉ : ${over.join(', ')}` : ''}`);
  if (access < 100) {
    for (const audit of Object.values(report.audits).filter((a) => a.score === 0 && report.categories.accessibility.auditRefs.some((r) => r.id === a.id))) {
      console.log(`      accessibilité : ${audit.id} — ${audit.title}`);
    }
  }
  if (perf < PERFORMANCE_BUDGET) {
    const metric = (id) => report.audits[id]?.displayValue ?? '?';
    console.log(`      performance : FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, indice de vitesse ${metric('speed-index')}`);
  }
  if (over.length) failed = true;
}
process.exit(failed ? 1 : 0);
