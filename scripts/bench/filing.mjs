// Filing throughput over HTTP on loopback against the release server on a fresh SQLite file (or PostgreSQL with
// `postgres` as argument): 2,000 cases filed by 8 collectivités at a time, each as a browser without JavaScript
// does — start, the five steps, file: 14,000 form posts. Prints requests/s and the latency of each kind of
// request (p50/p95/p99); fails under 2,000 requests/s on SQLite (the figure before the issues that slowed it).
// The posts go through `node:http` with kept-alive connections, not `fetch`: on 2 cores `fetch` alone tops out
// near 2,000 requests/s on `/robots.txt` (the load generator then measures itself); the floor printed first is
// that of this client on `/robots.txt`.
// Usage: node filing.mjs [sqlite|postgres]   (BENCH_CASES, BENCH_CONCURRENCY to change the run)
import http from 'node:http';
import {
  encode, freePort, freshDatabase, killServer, label, RAISED_LIMITS, startServer, stepAnswers,
} from '../fault/lib.mjs';

const kind = process.argv[2] ?? 'sqlite';
const CASES = Number(process.env.BENCH_CASES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BUDGET = kind === 'sqlite' ? 2000 : 0;

const db = freshDatabase(kind);
const port = await freePort();
const server = await startServer(db, port, { ...RAISED_LIMITS, RUST_LOG: 'error' });
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const { port: serverPort } = new URL(server.base);

/** One request on a kept-alive connection: its status and Location (the body is read and dropped). */
function send(method, pathName, body = '', from = '/deposer') {
  return new Promise((resolve, reject) => {
    const headers = body === '' && method === 'GET' ? {} : {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      accept: 'text/html,application/xhtml+xml',
      origin: server.base,
      referer: `${server.base}${from}`,
    };
    const req = http.request({ host: '127.0.0.1', port: serverPort, path: pathName, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location ?? '' }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${pathName} : pas de réponse en 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
const postForm = (_base, pathName, pairs, from) => send('POST', pathName, encode(pairs), from);

/** This client's own ceiling: `/robots.txt` (a file) as many times, as many at a time. */
async function floor(requests) {
  let next = 0;
  const began = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests) {
      next += 1;
      const { status } = await send('GET', '/robots.txt');
      if (status !== 200) throw new Error(`/robots.txt : ${status}`);
    }
  }));
  return requests / ((Date.now() - began) / 1000);
}

const timings = new Map();
const time = async (what, send, expected) => {
  const began = process.hrtime.bigint();
  const result = await send();
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  if (!expected(result)) throw new Error(`${what} : réponse inattendue ${result.status} ${result.location}`);
  if (!timings.has(what)) timings.set(what, []);
  timings.get(what).push(ms);
};

async function fileOne(base, n) {
  let token = '';
  await time('commencer', () => postForm(base, '/api/depot/commencer', {}, '/deposer'), (r) => {
    token = r.location.replace(/^\/deposer\//, '').replace(/\/etape\/1$/, '');
    return /^[0-9a-f]{64}$/.test(token);
  });
  const steps = stepAnswers(`Instruction des permis ${n}`, n);
  for (let step = 1; step <= 5; step += 1) {
    await time(`étape ${step}`, () => postForm(base, `/api/depot/etape${step}`, { token, ...steps[step - 1] }, `/deposer/${token}/etape/${step}`),
      (r) => r.location === `/deposer/${token}/etape/${step + 1}`);
  }
  await time('déposer', () => postForm(base, '/api/depot/deposer', { token }, `/deposer/${token}/etape/6`),
    (r) => r.location === `/deposer/${token}/recu`);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
let failed = false;
try {
  console.log(`Plancher de ce client (GET /robots.txt, ${CONCURRENCY} à la fois) : ${(await floor(CASES * 7)).toFixed(0)} req/s`);
  let next = 0;
  const began = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < CASES) {
      const n = next;
      next += 1;
      await fileOne(server.base, n);
    }
  }));
  const seconds = (Date.now() - began) / 1000;
  const requests = [...timings.values()].reduce((sum, list) => sum + list.length, 0);
  const rate = requests / seconds;
  console.log(`Dépôt par HTTP (boucle locale, serveur release, ${label(kind)}) : ${CASES} cas, ${CONCURRENCY} à la fois, ${requests} requêtes en ${seconds.toFixed(1)} s`);
  for (const [what, list] of timings) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`  ${what.padEnd(10)} p50 ${percentile(sorted, 50).toFixed(2).padStart(6)} ms  p95 ${percentile(sorted, 95).toFixed(2).padStart(6)} ms  p99 ${percentile(sorted, 99).toFixed(2).padStart(6)} ms`);
  }
  failed = rate < BUDGET;
  console.log(`  débit ${rate.toFixed(0)} req/s${BUDGET ? ` (budget ≥ ${BUDGET} req/s : ${failed ? 'DÉPASSÉ' : 'respecté'})` : ' (mesuré, sans budget)'}`);
} finally {
  await killServer(server);
  db.drop();
}
process.exit(failed ? 1 : 0);
