// Kill drill (issue 18): 50 collectivités file cases at once, through the no-JavaScript form posts, and keep filing
// while the server is killed with SIGKILL at five random moments, each time started again on the same database.
// At each kill some requests must be in flight. Afterwards the database itself (sqlite3 / psql) must hold, for
// every acknowledged receipt, the case with the reference its receipt page showed, every answer that was posted
// and exactly one "déposé" event, and nothing half-written; every email of the outbox committed before a kill
// must reach the SMTP server, counted by Message-ID: once, or twice with the same Message-ID when a kill fell
// between the SMTP server's acceptance and the sender's record of it (at most one such copy per kill: SMTP cannot
// be exactly once across a crash; see reportOutbox in lib.mjs).
// Usage: node scripts/fault/kill-test.mjs [sqlite|postgres] [long]   (prints its figures; exits 1 on any failure)
import { RAISED_LIMITS, drillArgs, fileCase, freePort, freshDatabase, getPage, killServer, label, query, random, report, sleep, startServer, traffic, REFERENCE, serverLog, reportCrash } from './lib.mjs';
import { checkFilings, reportFilings } from './checks.mjs';
import { checkOutbox, reportOutbox, startSmtpSink } from './smtp.mjs';

const { kind, long } = drillArgs();
const filers = Number(process.env.FAULT_FILERS ?? 50);
const kills = Number(process.env.FAULT_KILLS ?? 5);
// How long the server runs before each kill, and stays down after it (ms).
const upMs = long ? [3000, 12000] : [700, 2500];
const downMs = long ? [200, 2000] : [100, 600];
const rng = random();

const out = report(`Arrêt brutal du serveur (${label(kind)}, variante ${long ? 'longue' : 'rapide'}) : ${filers} collectivités, ${kills} SIGKILL (graine ${rng.seed})`);
const db = freshDatabase(kind);
const log = serverLog(`kill-${kind}`);
let smtp;
let server;
let passed = false;
try {
  smtp = await startSmtpSink();
  const port = await freePort();
  const env = { ...RAISED_LIMITS, IAF_SMTP_URL: smtp.url };
  server = await startServer(db, port, env, { log });
  const base = server.base;
  const run = Date.now().toString(36);
  const acknowledged = [];
  const failures = [];
  let unanswered = 0;
  let stop = false;
  let sequence = 0;
  const began = Date.now();
  const filing = Array.from({ length: filers }, async (_, index) => {
    // All within the first half second, then each one files again and again until the kills are over.
    await sleep(index * 10);
    while (!stop) {
      sequence += 1;
      const n = sequence;
      try {
        await fileCase(() => base, `Cas d'essai ${n} (${run})`, n, {
          onAcknowledged: (filed) => acknowledged.push(filed),
          observe: (result) => {
            if (result === null) unanswered += 1;
          },
        });
      } catch (error) {
        failures.push(`dépôt ${n} : ${error.message}`);
        return;
      }
      await sleep(rng.between(0, 100));
    }
  });

  const killed = [];
  const committedBeforeKills = new Set();
  for (let k = 1; k <= kills; k += 1) {
    await sleep(rng.between(...upMs));
    const inFlight = traffic.inFlight;
    const acknowledgedBefore = acknowledged.length;
    const killedAt = Date.now();
    await killServer(server);
    // What the outbox held when the server died (read by the database's own client, the server being down).
    const outbox = query(db, 'SELECT message_id, sent_at FROM outbox');
    for (const message of outbox) committedBeforeKills.add(message.message_id);
    await sleep(rng.between(...downMs));
    server = await startServer(db, port, env, { log });
    killed.push({
      at: killedAt - began,
      inFlight,
      acknowledgedBefore,
      unsent: outbox.filter((m) => m.sent_at === null).length,
      restartMs: Date.now() - killedAt,
    });
  }
  // The collectivités still filing finish their case, then stop.
  await sleep(long ? 3000 : 1000);
  stop = true;
  await Promise.all(filing);
  const elapsed = Date.now() - began;

  // The receipt pages answer after the last restart.
  let receiptsReread = 0;
  for (const filed of acknowledged) {
    const page = await getPage(base, `/deposer/${filed.token}/recu`).catch(() => null);
    if (page?.status === 200 && page.body.match(REFERENCE)?.[0] === filed.reference) receiptsReread += 1;
  }
  const figures = checkFilings(db, acknowledged);
  const ours = query(db, 'SELECT COUNT(*) AS n FROM cases WHERE draft_id IS NOT NULL')[0].n;
  const mail = await checkOutbox(db, smtp, { committedBeforeKills });

  out.line('durée des dépôts', `${(elapsed / 1000).toFixed(1)} s`);
  for (const [index, kill] of killed.entries()) {
    out.line(
      `SIGKILL n° ${index + 1} à ${(kill.at / 1000).toFixed(1)} s`,
      `${kill.inFlight} requêtes en cours, ${kill.acknowledgedBefore} accusés avant, ${kill.unsent} courriels en attente, redémarré en ${kill.restartMs} ms`,
    );
    out.check(kill.inFlight > 0, `aucune requête en cours au SIGKILL n° ${index + 1}.`);
  }
  out.line('requêtes envoyées / sans réponse (serveur tué)', `${traffic.started} / ${unanswered}`);
  out.line('accusés de réception', acknowledged.length);
  out.line('dépôts en base', ours);
  out.line('accusés relus après le dernier redémarrage', `${receiptsReread}/${acknowledged.length}`);
  out.check(failures.length === 0, `${failures.length} dépôts abandonnés : ${failures.slice(0, 3).join(' ; ')}`);
  out.check(receiptsReread === acknowledged.length, 'un accusé de réception ne se relit plus après le redémarrage.');
  reportFilings(out, figures, acknowledged.length);
  reportOutbox(out, mail, { kills });
  passed = out.finish(`${kills} arrêts brutaux avec des requêtes en cours ; chaque dépôt accusé est en base, complet, une seule fois ; chaque courriel validé est parti (une copie au plus par arrêt, même Message-ID).`);
} catch (error) {
  reportCrash(error, log);
} finally {
  await killServer(server);
  await smtp?.stop();
  db.drop();
}
process.exit(passed ? 0 : 1);
