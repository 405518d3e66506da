// Throughput of each open-data document served from its copy (HTTP on loopback, release server, autocannon):
// compression accepted (the gzip copy), then a reader revalidating with the ETag it has (304). Prints requests/s, latency and the
// bytes sent; fails when a document is below its floor or a revalidation is not answered 304.
// Usage: node open-data.mjs http://127.0.0.1:3200
import { join } from 'node:path';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';

const toolsDir = process.env.IAF_TOOLS_DIR ?? join(homedir(), '.cache/ia-factory-tools');
const autocannon = createRequire(join(toolsDir, 'package.json'))('autocannon');

const base = process.argv[2];
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const duration = Number(process.env.BENCH_SECONDS ?? 5);
// Floors (requests/s, gzip): a copy is a file read and sent; rebuilding at each request (3.4 s for the
// Bibliothèque CSV at 10,000 cases before the copies) would be far below.
const FLOOR = 50;
const FLOOR_304 = 1000;
const DOCUMENTS = [
  '/catalogue.json',
  '/catalogue.csv',
  '/catalogue/bibliotheque-ia-territoriale.csv',
  '/catalogue/dcat.jsonld',
  '/catalogue.atom',
  '/sitemap.xml',
];

async function run(path, headers) {
  const result = await autocannon({ url: base + path, connections, duration, headers });
  if (result.errors > 0) throw new Error(`${path}: ${result.errors} erreurs`);
  return result;
}

let failed = false;
console.log(`Données ouvertes servies depuis leurs copies (${connections} connexions, ${duration} s chacune, autocannon) :`);
console.log('  document                                       gzip req/s  p50 ms  p99 ms  octets envoyés (gzip / décompressés)  304 req/s');
for (const path of DOCUMENTS) {
  // The first request writes the copy if the catalogue changed since the last one.
  const first = await fetch(base + path, { headers: { 'accept-encoding': 'gzip, br' } });
  const etag = first.headers.get('etag');
  const decoded = (await first.arrayBuffer()).byteLength;
  const sent = Number(first.headers.get('content-length') ?? 0);
  const again = await fetch(base + path, { headers: { 'if-none-match': etag } });
  if (first.status !== 200 || again.status !== 304) {
    console.log(`  ${path} : ${first.status} puis ${again.status} (attendu 200 puis 304)`);
    failed = true;
    continue;
  }
  const full = await run(path, { 'accept-encoding': 'gzip, br' });
  const revalidated = await run(path, { 'if-none-match': etag });
  const ok = full.non2xx === 0 && full.requests.average >= FLOOR && revalidated.requests.average >= FLOOR_304;
  failed ||= !ok;
  console.log(
    `  ${path.padEnd(46)} ${full.requests.average.toFixed(0).padStart(12)} ${String(full.latency.p50).padStart(7)} ` +
      `${String(full.latency.p99).padStart(7)} ${`${sent} / ${decoded}`.padStart(39)} ${revalidated.requests.average.toFixed(0).padStart(10)}` +
      (ok ? '' : `   SOUS LE PLANCHER (${FLOOR} req/s, 304 : ${FLOOR_304} req/s)`),
  );
}
console.log(`  plancher : ${FLOOR} req/s compressé, ${FLOOR_304} req/s en 304`);
process.exit(failed ? 1 : 0);
