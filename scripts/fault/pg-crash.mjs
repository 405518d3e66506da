// PostgreSQL crash (issue 18): collectivités file cases (no-JavaScript form posts), team members move cases (the
// board's JSON calls) and readers browse while PostgreSQL is stopped with `pg_ctlcluster … stop -m immediate` for a
// few seconds and started again. While it is down every write is refused with a 503 in French (never a 500, never
// an acknowledgement that is then lost) and the pages answer 503 in French too; once it is back the same server
// process serves again by itself, and the database holds every acknowledged filing (same checks as the kill
// drill) and every accepted move, and every email of the outbox reaches the SMTP server once.
// Usage: node scripts/fault/pg-crash.mjs [long]   (as root: creates, crashes and drops a cluster of its own with
// pg_createcluster / pg_ctlcluster / pg_dropcluster; FAULT_PG_CLUSTER=main crashes the shared `main` cluster)
import { RAISED_LIMITS, callApi, drillArgs, fileCase, formatTally, freePort, freshDatabase, getPage, insertAccounts, killServer, onInterrupt, refusedInFrench, verdictOf, query, random, report, signIn, sleep, startServer, tally, serverLog, reportCrash } from './lib.mjs';
import { checkFilings, reportFilings } from './checks.mjs';
import { checkOutbox, reportOutbox, startSmtpSink } from './smtp.mjs';
import { ensurePgUp, pgCluster, privatePgCluster } from './cluster.mjs';

const { long } = drillArgs('postgres');
const downSeconds = Number(process.env.FAULT_DOWN_SECONDS ?? (long ? 10 : 8));
const filers = long ? 16 : 8;
const movers = 4;
const readers = 4;
const beforeMs = long ? 5000 : 2500;
const afterMs = long ? 5000 : 2500;
const PATH = ['qualification', 'cadrage', 'conception', 'diffusion'];
const PAGES = ['/', '/catalogue', '/programme', '/deposer'];
const rng = random();

// The drill's own cluster by default; FAULT_PG_CLUSTER=main crashes the local `main` cluster (TEST_POSTGRES_URL).
const shared = process.env.FAULT_PG_CLUSTER === 'main';
const out = report(`Arrêt brutal de PostgreSQL sous charge (variante ${long ? 'longue' : 'rapide'}) : ${filers} collectivités, ${movers} déplaceurs, ${readers} lecteurs, ${downSeconds} s d'arrêt`);
let cluster;
let db;
const log = serverLog(`pg`);
let smtp;
let server;
let passed = false;
try {
  cluster = shared
    ? { name: 'main', ctl: (action, mode) => pgCluster(action, mode), up: () => ensurePgUp(), drop: () => {} }
    : await privatePgCluster();
  out.line('grappe PostgreSQL arrêtée', shared ? 'main (partagée)' : `${cluster.name}, propre à l'exercice (port ${cluster.port})`);
  db = freshDatabase('postgres', shared ? {} : { adminUrl: cluster.adminUrl });
  smtp = await startSmtpSink();
  const port = await freePort();
  server = await startServer(db, port, { ...RAISED_LIMITS, IAF_DEMO: '1', IAF_SMTP_URL: smtp.url }, { log });
  const { base } = server;
  const team = insertAccounts(db, movers + 1, 'coupure');
  for (const account of team) account.cookie = await signIn(base, account.email);
  const initial = query(db, "SELECT id, reference, stage, version FROM cases WHERE stage IN ('cadrage', 'conception', 'diffusion') ORDER BY reference");
  const cases = new Map(initial.map((c) => [c.reference, { ...c, allowed: PATH.slice(0, PATH.indexOf(c.stage) + 1), accepted: 0 }]));

  // Every answer, with when it was asked and answered.
  const answers = [];
  const phase = { stopAt: Infinity, startedAt: Infinity };
  // The moment of the answer itself (before a browser without JavaScript follows the redirect back to its page).
  const record = (what, kindOf, result, sentAt) => answers.push({ what, kind: kindOf, result, sentAt, doneAt: result?.answeredAt ?? Date.now() });
  const acknowledged = [];
  const failures = [];
  let stop = false;
  let sequence = 0;
  const run = Date.now().toString(36);

  const filing = Array.from({ length: filers }, async (_, index) => {
    await sleep(index * 50);
    while (!stop) {
      sequence += 1;
      const n = sequence;
      try {
        await fileCase(() => base, `Cas de la coupure ${n} (${run})`, n, {
          followErrors: true,
          onAcknowledged: (filed) => acknowledged.push(filed),
          observe: (result, what, sentAt) => record(`dépôt : ${what}`, what === 'accusé de réception' ? 'lecture' : 'écriture', result, sentAt),
          pauseMs: 200,
        });
      } catch (error) {
        failures.push(`dépôt ${n} : ${error.message}`);
        return;
      }
    }
  });
  const moving = team.slice(0, movers).map(async (account) => {
    // The board as this person last saw it: while the database is down they still drag cards on it.
    let cards = [];
    while (!stop) {
      let sentAt = Date.now();
      const board = await callApi(base, '/api/equipe/tableau', {}, account.cookie).catch(() => null);
      record('tableau (JSON)', 'lecture', board, sentAt);
      if (board?.status === 200) cards = JSON.parse(board.body).columns.flatMap((c) => c.cards).filter((card) => cases.has(card.reference));
      if (cards.length === 0) {
        await sleep(200);
        continue;
      }
      const card = rng.pick(cards);
      const state = cases.get(card.reference);
      const index = state.allowed.indexOf(card.stage);
      const to = rng.pick([state.allowed[index - 1], state.allowed[index + 1]].filter(Boolean));
      sentAt = Date.now();
      const moved = await callApi(base, '/api/equipe/deplacer', { reference: card.reference, version: String(card.version), vers: to, raison: `Essai de coupure : ${account.name}`, destination: '' }, account.cookie).catch(() => null);
      record('déplacement (JSON)', 'écriture', moved, sentAt);
      if (moved?.status === 200) state.accepted += 1;
      await sleep(rng.between(50, 250));
    }
  });
  const reader = team.at(-1);
  const reading = Array.from({ length: readers }, async () => {
    while (!stop) {
      const done = acknowledged.filter((a) => a.reference);
      const target = rng() < 0.3 && done.length > 0 ? `/deposer/${rng.pick(done).token}/recu` : rng() < 0.3 ? '/equipe/tableau' : rng.pick(PAGES);
      const sentAt = Date.now();
      const page = await getPage(base, target, target.startsWith('/equipe') ? reader.cookie : undefined).catch(() => null);
      record(`page ${target.startsWith('/deposer/') ? '/deposer/…/recu' : target}`, 'lecture', page, sentAt);
      await sleep(rng.between(50, 200));
    }
  });

  // The crash: immediate stop (no checkpoint, connections cut), a few seconds down, started again.
  await sleep(beforeMs);
  const acknowledgedBefore = acknowledged.length;
  const outboxBefore = new Set(query(db, 'SELECT message_id FROM outbox').map((m) => m.message_id));
  phase.stopAt = Date.now();
  try {
    // Interrupted while the shared cluster is down: it is started again.
    if (shared) onInterrupt(() => pgCluster("start"));
    cluster.ctl('stop', 'immediate');
    await sleep(downSeconds * 1000);
  } finally {
    cluster.ctl('start');
  }
  phase.startedAt = Date.now();
  // Recovery: the first write and the first page that succeed once PostgreSQL is back, the server untouched.
  let writeRecoveredMs = -1;
  let readRecoveredMs = -1;
  for (let i = 0; i < 600 && (writeRecoveredMs < 0 || readRecoveredMs < 0); i += 1) {
    const back = answers.filter((a) => a.sentAt >= phase.startedAt && a.result && (a.result.status === 200 || a.result.status === 302 || a.result.status === 303));
    const write = back.find((a) => a.kind === 'écriture' && (a.result.status === 200 || a.result.followed === undefined));
    const read = back.find((a) => a.kind === 'lecture' && a.result.status === 200);
    if (write) writeRecoveredMs = write.doneAt - phase.startedAt;
    if (read) readRecoveredMs = read.doneAt - phase.startedAt;
    await sleep(100);
  }
  await sleep(afterMs);
  stop = true;
  await Promise.all([...filing, ...moving, ...reading]);
  const serverAlive = server.child.exitCode === null && server.child.signalCode === null;

  // What was answered while PostgreSQL was down (between the stop and the start): refusals in French, or, for a
  // request whose transaction committed just before the stop, its success (then checked in the database).
  const answeredDown = answers.filter((a) => a.doneAt > phase.stopAt && a.doneAt <= phase.startedAt);
  const succeeded = (a) => a.result && ((a.result.status >= 300 && a.result.status < 400 && a.result.followed === undefined) || (a.result.status === 200 && a.kind === 'écriture'));
  const committedBefore = answeredDown.filter((a) => a.kind === 'écriture' && succeeded(a));
  const during = answeredDown.filter((a) => !(a.kind === 'écriture' && succeeded(a)));
  const writesDown = new Map();
  const readsDown = new Map();
  const badDown = [];
  for (const a of during) {
    const r = a.result;
    const verdict = verdictOf(r);
    tally(a.kind === 'écriture' ? writesDown : readsDown, `${a.what.replace(/^dépôt : (étape \d)$/, 'dépôt : étape')} → ${verdict}`);
    // A write must be refused in French; a page may also answer without the database (200).
    // A move refused as a conflict was decided by the database before it stopped (like a commit just before
    // the stop): its 409 names who moved the case and when, in French.
    const conflictDecidedBefore = a.kind === 'écriture' && r?.status === 409 && /"Conflict":"Ce cas a été modifié par /.test(r?.body ?? '');
    const good = refusedInFrench(verdict) || (a.kind === 'lecture' && verdict === '200') || conflictDecidedBefore;
    if (!good && badDown.length < 8) {
      const where = r?.location ? ` (Location ${decodeURIComponent(r.location).slice(0, 160)})` : '';
      badDown.push(`${a.what} → ${verdict}${where} ${(r?.followed?.body ?? r?.body ?? '').replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    a.good = good;
  }
  const all500 = answers.filter((a) => a.result && a.result.status >= 500 && a.result.status !== 503);
  const noAnswer = answers.filter((a) => !a.result);

  const figures = checkFilings(db, acknowledged);
  let moveErrors = 0;
  for (const state of cases.values()) {
    const [now] = query(db, `SELECT version FROM cases WHERE id = ${state.id}`);
    if (Number(now.version) !== Number(state.version) + state.accepted) {
      moveErrors += 1;
      out.note(`${state.reference} : version ${state.version} → ${now.version} pour ${state.accepted} déplacements acceptés`);
    }
  }
  const mail = await checkOutbox(db, smtp, { committedBeforeKills: outboxBefore });

  out.line('accusés avant l\'arrêt de PostgreSQL', acknowledgedBefore);
  out.line('écritures refusées pendant l\'arrêt', during.filter((a) => a.kind === 'écriture').length);
  for (const [k, v] of writesDown) out.note(`${k} : ${v}`);
  out.line('écritures validées juste avant l\'arrêt', committedBefore.length);
  out.line('lectures pendant l\'arrêt', during.filter((a) => a.kind === 'lecture').length);
  for (const [k, v] of readsDown) out.note(`${k} : ${v}`);
  out.line('temps de réponse max pendant l\'arrêt', `${Math.max(0, ...during.map((a) => a.doneAt - a.sentAt))} ms`);
  out.line('réponses 500 (toute la durée)', all500.length);
  out.line('requêtes sans réponse (toute la durée)', noAnswer.length);
  out.line('serveur toujours le même processus', serverAlive ? 'oui' : 'non');
  out.line('première écriture réussie après le retour', writeRecoveredMs < 0 ? 'aucune' : `${writeRecoveredMs} ms`);
  out.line('première page servie après le retour', readRecoveredMs < 0 ? 'aucune' : `${readRecoveredMs} ms`);
  out.line('accusés de réception au total', acknowledged.length);
  out.line('déplacements acceptés', [...cases.values()].reduce((s, c) => s + c.accepted, 0));
  out.line('versions ≠ initiale + déplacements acceptés', moveErrors);
  for (const bad of badDown) out.note(`pendant l'arrêt : ${bad}`);
  for (const a of all500.slice(0, 5)) out.note(`500 : ${a.what} ${a.result.body.slice(0, 200)}`);
  out.check(during.some((a) => a.kind === 'écriture'), 'aucune écriture tentée pendant l\'arrêt.');
  out.check(during.every((a) => a.good), 'une réponse pendant l\'arrêt n\'est pas un 503 en français (voir ci-dessus).');
  out.check(all500.length === 0, `${all500.length} réponses 500.`);
  out.check(noAnswer.length === 0, `${noAnswer.length} requêtes restées sans réponse.`);
  out.check(serverAlive, 'le serveur s\'est arrêté.');
  out.check(writeRecoveredMs >= 0 && writeRecoveredMs <= 30_000 && readRecoveredMs >= 0 && readRecoveredMs <= 30_000, 'le service ne s\'est pas rétabli seul dans les 30 s.');
  out.check(failures.length === 0, `${failures.length} dépôts abandonnés : ${failures.slice(0, 3).join(' ; ')}`);
  out.check(moveErrors === 0, 'un déplacement accepté manque en base.');
  reportFilings(out, figures, acknowledged.length);
  reportOutbox(out, mail, { kills: 1 });
  passed = out.finish('503 en français pendant l\'arrêt, jamais de 500 ; rétabli sans redémarrer l\'application ; aucun accusé perdu.');
} catch (error) {
  reportCrash(error, log);
} finally {
  await cluster?.up().catch((error) => console.error(`  PostgreSQL : ${error.message}`));
  await killServer(server);
  await smtp?.stop();
  db?.drop();
  cluster?.drop();
}
process.exit(passed ? 0 : 1);
