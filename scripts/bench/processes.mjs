// /catalogue rendered by one server process, then by three on the same PostgreSQL database: 10,000 published
// cases (`bench-catalogue generer`), search cache off (IAF_CATALOGUE_CACHE_SECONDS=0), release server, HTTP on
// loopback, the same total of connections spread evenly over the processes, autocannon, one run each. Prints both
// throughputs and the ratio; fails when three processes serve less than FLOOR × one (a shared resource — the
// database, a lock — that made more processes slower would be a regression).
// Usage: node processes.mjs   (BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_PROCESSES to change the run)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { homedir, availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { freePort, freshDatabase, killServer, RAISED_LIMITS, repo, startServer } from '../fault/lib.mjs';

const toolsDir = process.env.IAF_TOOLS_DIR ?? join(homedir(), '.cache/ia-factory-tools');
const autocannon = createRequire(join(toolsDir, 'package.json'))('autocannon');

const connections = Number(process.env.BENCH_CONNECTIONS ?? 12);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const processes = Number(process.env.BENCH_PROCESSES ?? 3);
const FLOOR = 0.8;
const bins = join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'release');

async function run(bases) {
  const each = Math.max(1, Math.round(connections / bases.length));
  const results = await Promise.all(
    bases.map((base) =>
      autocannon({ url: `${base}/catalogue`, connections: each, duration, headers: { 'accept-encoding': 'br, gzip' } }),
    ),
  );
  for (const r of results) {
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.url} : ${r.non2xx} réponses non 2xx, ${r.errors} erreurs`);
  }
  return {
    total: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: results.map((r) => r.latency.p50).join(' / '),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    each,
  };
}

const db = freshDatabase('postgres');
const servers = [];
try {
  execFileSync(join(bins, 'bench-catalogue'), ['generer', db.url], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = { ...RAISED_LIMITS, IAF_CATALOGUE_CACHE_SECONDS: '0', RUST_LOG: 'error' };
  for (let i = 0; i < processes; i += 1) servers.push(await startServer(db, await freePort(), env));
  const bases = servers.map((s) => s.base);
  // The first requests of each process warm its pools and the database's caches.
  await Promise.all(bases.map(async (base) => (await fetch(`${base}/catalogue`)).arrayBuffer()));
  const one = await run(bases.slice(0, 1));
  const all = await run(bases);
  const ratio = all.total / one.total;
  console.log(`/catalogue rendu, cache de recherche coupé, 10 000 cas publiés, PostgreSQL, serveur release, HTTP sur la boucle locale (${connections} connexions au total, ${duration} s, autocannon) :`);
  console.log(`  1 processus   ${one.total.toFixed(0).padStart(7)} req/s  (latence p50 ${one.p50} ms, p99 ${one.p99} ms)`);
  console.log(`  ${processes} processus   ${all.total.toFixed(0).padStart(7)} req/s  (${all.each} connexions chacun ; latence p50 ${all.p50} ms, p99 max ${all.p99} ms)`);
  const ok = ratio >= FLOOR;
  console.log(`  rapport ${processes} / 1   ${ratio.toFixed(2).padStart(7)}        (plancher ${FLOOR} : ${ok ? 'respecté' : 'NON RESPECTÉ'} ; ${availableParallelism()} cœurs partagés par les serveurs, PostgreSQL et l'outil de charge)`);
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const server of servers) await killServer(server);
  db.drop();
}
