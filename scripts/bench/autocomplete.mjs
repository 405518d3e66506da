// Autocomplete latency over the full official list: sends queries drawn from the data file (name prefixes,
// postal codes, INSEE codes, SIRENs) one at a time to a running server and prints p50/p95. The figure is
// measured by the client on loopback, so it bounds the server time from above. Fails when p95 ≥ 20 ms.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const count = Number(process.argv[3] ?? 2000);
const budgetMs = 20;

const rows = readFileSync(new URL('../../server/data/collectivites.tsv', import.meta.url), 'utf8')
  .split('\n').slice(1).filter(Boolean).map((line) => line.split('\t'));

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];

function query() {
  const [kind, code, siren, name, postal] = pick(rows);
  switch (Math.floor(random() * 4)) {
    case 0: return name.slice(0, 3 + Math.floor(random() * 6));
    case 1: return postal ? postal.split(' ')[0] : name;
    case 2: return code;
    default: return siren || name;
  }
}

async function call(q) {
  const started = performance.now();
  const response = await fetch(`${base}/api/collectivites`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ q }).toString(),
  });
  await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${q}`);
  return performance.now() - started;
}

for (let i = 0; i < 50; i++) await call(query()); // warm-up
const times = [];
for (let i = 0; i < count; i++) times.push(await call(query()));
times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
console.log(`Autocomplétion (${rows.length} collectivités, ${count} requêtes) : p50 ${at(50).toFixed(2)} ms, p95 ${at(95).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms (budget p95 < ${budgetMs} ms)`);
if (at(95) >= budgetMs) {
  console.error('Budget dépassé.');
  process.exit(1);
}
