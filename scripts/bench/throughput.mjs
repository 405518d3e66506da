// Throughput of /catalogue rendered by the server against the same HTML served as a static file by the same
// server: one run each, same load tool (autocannon), same connections and duration, first plain (no compression
// asked), then brotli accepted. The server must run with its search cache off (`IAF_CATALOGUE_CACHE_SECONDS=0`,
// as `bench.sh` starts it): each rendering then counts and reads the catalogue. Prints both figures and their
// ratio for each encoding; fails when a ratio is under the budget (50 %).
// Usage: node throughput.mjs http://127.0.0.1:3200 target/site
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';

// autocannon is installed by scripts/bench.sh in the tools folder, outside the repository.
const toolsDir = process.env.IAF_TOOLS_DIR ?? join(homedir(), '.cache/ia-factory-tools');
const autocannon = createRequire(join(toolsDir, 'package.json'))('autocannon');

const base = process.argv[2];
const siteRoot = process.argv[3] ?? 'target/site';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const GOAL = 0.5;

const html = await (await fetch(`${base}/catalogue`)).text();
const dir = join(siteRoot, 'mesure');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'catalogue.html'), html);

async function run(path, encoding) {
  const result = await autocannon({
    url: base + path,
    connections,
    duration,
    headers: encoding ? { 'accept-encoding': encoding } : {},
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} erreurs`);
  return result;
}

let failed = false;
try {
  console.log(`Débit (${connections} connexions, ${duration} s chacun, autocannon, cache des recherches coupé) :`);
  for (const [name, encoding] of [['sans compression', ''], ['brotli', 'br']]) {
    const ssr = await run('/catalogue', encoding);
    const file = await run('/mesure/catalogue.html', encoding);
    const ratio = ssr.requests.average / file.requests.average;
    console.log(`  ${name} :`);
    console.log(`    /catalogue rendu par le serveur   ${ssr.requests.average.toFixed(0).padStart(7)} req/s  (latence p50 ${ssr.latency.p50} ms, p99 ${ssr.latency.p99} ms)`);
    console.log(`    même HTML en fichier statique     ${file.requests.average.toFixed(0).padStart(7)} req/s  (latence p50 ${file.latency.p50} ms, p99 ${file.latency.p99} ms)`);
    const verdict = ratio >= GOAL ? 'budget tenu' : 'BUDGET DÉPASSÉ';
    console.log(`    rapport rendu / statique          ${(ratio * 100).toFixed(0).padStart(7)} %   (budget ≥ ${GOAL * 100} % : ${verdict})`);
    if (ratio < GOAL) failed = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
