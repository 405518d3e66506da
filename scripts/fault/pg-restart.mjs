// PostgreSQL restart under load (issue 6): collectivités file cases and readers browse while PostgreSQL is
// stopped for a few seconds and started again. While it is down the app answers 503 with a French message;
// it recovers by itself (no restart of the app) and no acknowledged submission is lost.
// Usage: node scripts/fault/pg-restart.mjs   (needs the local PostgreSQL cluster and the right to restart it)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { exportedCases, fileCase, freshDatabase, signIn, sleep, startServer } from './lib.mjs';

const port = Number(process.env.FAULT_PORT ?? 3212);
const downSeconds = Number(process.env.FAULT_DOWN_SECONDS ?? 6);
const filers = 8;
const version = fs.readdirSync('/etc/postgresql').sort().at(-1);
const cluster = (action) =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'inherit' });

const database = freshDatabase('postgres');
let server;
let failed = false;
try {
  server = await startServer(database.url, port, { IAF_LIMITE_DEPOTS_PAR_MINUTE: '100000' });
  const { base } = server;
  const run = `coupure ${Date.now()}`;
  const acknowledged = [];
  let retries = 0;
  let stop = false;
  let sequence = 0;
  const filing = Array.from({ length: filers }, async () => {
    while (!stop) {
      sequence += 1;
      acknowledged.push(await fileCase(() => base, `Cas ${sequence} (${run})`, () => { retries += 1; }));
    }
  });
  await sleep(3000);
  const beforeStop = acknowledged.length;
  cluster('stop');
  const stoppedAt = Date.now();
  // While down: pages that need the database answer 503 in French.
  const samples = [];
  while (Date.now() - stoppedAt < downSeconds * 1000) {
    const started = Date.now();
    const response = await fetch(`${base}/programme`);
    const text = await response.text();
    samples.push({ status: response.status, french: text.includes('indisponible'), ms: Date.now() - started });
    await sleep(300);
  }
  cluster('start');
  const startedAt = Date.now();
  let recoveredMs = -1;
  while (Date.now() - startedAt < 60_000) {
    const response = await fetch(`${base}/programme`);
    await response.arrayBuffer();
    if (response.status === 200) {
      recoveredMs = Date.now() - startedAt;
      break;
    }
    await sleep(200);
  }
  await sleep(3000);
  stop = true;
  await Promise.all(filing);
  const cookie = await signIn(base);
  const cases = (await exportedCases(base, cookie)).filter((c) => c.titre?.endsWith(`(${run})`));
  const titles = new Set(cases.map((c) => c.titre));
  const missing = acknowledged.filter((a) => !titles.has(a.title)).length;
  const duplicates = cases.length - titles.size;
  const unavailable = samples.filter((s) => s.status === 503 && s.french).length;
  const others = samples.filter((s) => !(s.status === 503 && s.french));
  console.log(`Redémarrage de PostgreSQL sous charge (${downSeconds} s d'arrêt) :`);
  console.log(`  dépôts accusés avant l'arrêt ..... ${beforeStop}`);
  console.log(`  pendant l'arrêt : réponses 503 en français ${unavailable}/${samples.length} (autres : ${others.map((s) => s.status).join(', ') || 'aucune'})`);
  console.log(`  temps de réponse pendant l'arrêt . max ${Math.max(...samples.map((s) => s.ms))} ms`);
  console.log(`  rétabli sans redémarrer l'app en . ${recoveredMs} ms après le redémarrage de PostgreSQL`);
  console.log(`  dépôts accusés au total ......... ${acknowledged.length} (requêtes reprises : ${retries})`);
  console.log(`  manquants ........................ ${missing}`);
  console.log(`  en double ........................ ${duplicates}`);
  if (recoveredMs < 0 || missing > 0 || duplicates > 0 || unavailable === 0 || others.length > 0) {
    console.error('ÉCHEC : indisponibilité mal signalée, pas de rétablissement, ou dépôt perdu.');
    failed = true;
  } else {
    console.log('  => 503 en français pendant la coupure, rétablissement seul, aucun dépôt accusé perdu.');
  }
} catch (error) {
  console.error(`ÉCHEC : ${error.stack ?? error}`);
  failed = true;
  try { cluster('start'); } catch { /* already running */ }
} finally {
  server?.child.kill('SIGKILL');
  await sleep(300);
  database.drop();
}
process.exit(failed ? 1 : 0);
