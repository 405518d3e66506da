// Kill test (issue 6): 50 simulated collectivités file cases at once through the no-JavaScript form posts; the
// server is killed with SIGKILL in the middle of the run and started again on the same database. Every
// submission that got its receipt must be in the database, complete, exactly once.
// Usage: node scripts/fault/kill-test.mjs [sqlite|postgres]   (prints its figures; exits 1 on any loss)
import { exportedCases, fileCase, freshDatabase, signIn, sleep, startServer } from './lib.mjs';

const kind = process.argv[2] ?? 'sqlite';
const port = Number(process.env.FAULT_PORT ?? 3210);
const submitters = Number(process.env.FAULT_SUBMITTERS ?? 50);
const limits = { IAF_LIMITE_DEPOTS_PAR_MINUTE: '100000', IAF_LIMITE_RECHERCHES_PAR_MINUTE: '100000' };

const database = freshDatabase(kind);
let server;
let failed = false;
try {
  server = await startServer(database.url, port, limits);
  let base = server.base;
  let retries = 0;
  const run = `essai ${Date.now()}`;
  const acknowledged = [];
  const started = Date.now();
  const jobs = Array.from({ length: submitters }, (_, index) =>
    (async () => {
      // Spread the starts so that the kill falls in the middle of the run.
      await sleep(index * 40);
      const filed = await fileCase(() => base, `Cas de test ${index + 1} (${run})`, () => { retries += 1; });
      acknowledged.push({ ...filed, at: Date.now() });
    })(),
  );
  // Kill once about a third of the collectivités have their receipt.
  while (acknowledged.length < Math.floor(submitters / 3)) await sleep(20);
  const beforeKill = acknowledged.length;
  server.child.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((resolve) => server.child.once('exit', resolve));
  await sleep(500);
  server = await startServer(database.url, port, limits);
  base = server.base;
  const restartMs = Date.now() - killedAt;
  await Promise.all(jobs);
  const elapsed = Date.now() - started;

  // Check: every receipt's case is there once and complete; the receipt page still answers.
  const cookie = await signIn(base);
  const cases = (await exportedCases(base, cookie)).filter((c) => c.titre?.endsWith(`(${run})`));
  const byTitle = new Map();
  for (const c of cases) byTitle.set(c.titre, (byTitle.get(c.titre) ?? 0) + 1);
  const missing = acknowledged.filter((a) => !byTitle.has(a.title));
  const duplicated = [...byTitle.entries()].filter(([, count]) => count > 1);
  const incomplete = cases.filter((c) => c.agents_concernes !== '25' || c.heures_economisees_par_an !== '900' || c.domaine !== 'Urbanisme' || c.etape !== 'Remontée');
  let receiptsOk = 0;
  for (const a of acknowledged) {
    const page = await (await fetch(`${base}/deposer/${a.token}/recu`)).text();
    if (/IAF-\d{4}-\d{4}/.test(page)) receiptsOk += 1;
  }
  console.log(`Test d'arrêt brutal (${kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}) :`);
  console.log(`  collectivités simultanées ........ ${submitters}`);
  console.log(`  accusés de réception avant SIGKILL ${beforeKill}`);
  console.log(`  requêtes reprises après l'arrêt .. ${retries}`);
  console.log(`  redémarrage du serveur ........... ${restartMs} ms`);
  console.log(`  accusés de réception au total .... ${acknowledged.length} (durée ${elapsed} ms)`);
  console.log(`  cas en base pour cet essai ....... ${cases.length}`);
  console.log(`  manquants ........................ ${missing.length}`);
  console.log(`  en double ........................ ${duplicated.length}`);
  console.log(`  incomplets ....................... ${incomplete.length}`);
  console.log(`  accusés relus après redémarrage .. ${receiptsOk}/${acknowledged.length}`);
  if (missing.length || duplicated.length || incomplete.length || acknowledged.length !== submitters || cases.length !== submitters || receiptsOk !== acknowledged.length) {
    console.error('ÉCHEC : un dépôt accusé manque, est en double ou incomplet.');
    failed = true;
  } else {
    console.log('  => aucun dépôt accusé perdu, aucun doublon.');
  }
} catch (error) {
  console.error(`ÉCHEC : ${error.stack ?? error}`);
  failed = true;
} finally {
  server?.child.kill('SIGKILL');
  await sleep(300);
  database.drop();
}
process.exit(failed ? 1 : 0);
