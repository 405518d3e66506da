// Concurrent moves (issue 18): 20 distinct team accounts move the same 6 cases back and forth, each move naming
// the version its author saw on the board. Afterwards the database itself must agree with the answers: each
// case's final version is its initial version plus the moves accepted on it, the event chain is continuous (each
// move starts where the previous one ended, the last one ends where the case stands), each accepted version was
// given once, to the account whose event it is, and every 409 names who moved the case and when (an actual move
// of that case, after the version the refused author saw).
// Prints the moves' response times over HTTP (p50/p95/p99/max), sent on kept-alive `node:http` connections (one
// per account, as a browser keeps its own); with MOVES_P95_BUDGET_MS, fails over that p95.
// Usage: node scripts/fault/concurrent-moves.mjs [sqlite|postgres] [long]
import { keptAliveClient, drillArgs, formatTally, freePort, freshDatabase, insertAccounts, killServer, label, query, random, report, signIn, sleep, startServer, tally, serverLog, formatParis, percentile, reportCrash } from './lib.mjs';

const { kind, long } = drillArgs();
const people = Number(process.env.FAULT_PEOPLE ?? 20);
const seconds = Number(process.env.FAULT_SECONDS ?? (long ? 30 : 8));
// The board's stages a case may move between one step at a time; a demonstration case went through the gates of
// every stage up to the one it stands in, so each move inside that range passes them.
const PATH = ['qualification', 'cadrage', 'conception', 'diffusion'];
const DEMO_ACTOR = 'Équipe programme (démonstration)';
const rng = random();

const out = report(`Déplacements concurrents (${label(kind)}, variante ${long ? 'longue' : 'rapide'}) : ${people} comptes, ${seconds} s`);
const db = freshDatabase(kind);
const log = serverLog(`moves-${kind}`);
let server;
let passed = false;
try {
  const port = await freePort();
  server = await startServer(db, port, { IAF_DEMO: '1' }, { log });
  const { base } = server;
  const accounts = insertAccounts(db, people, 'deplaceur');
  for (const account of accounts) account.cookie = await signIn(base, account.email);
  // One kept-alive connection per account, as each person's browser keeps its own.
  const client = keptAliveClient(base, people);
  const initial = query(
    db,
    `SELECT id, reference, stage, version, updated_by, updated_at, (SELECT COALESCE(MAX(e.id), 0) FROM case_events e WHERE e.case_id = c.id) AS last_event
     FROM cases c WHERE stage IN ('cadrage', 'conception', 'diffusion') ORDER BY reference`,
  );
  out.check(initial.length === 6, `6 cas de démonstration attendus en cadrage, conception ou diffusion, ${initial.length} trouvés.`);
  const cases = new Map(
    initial.map((c) => [c.reference, { ...c, allowed: PATH.slice(0, PATH.indexOf(c.stage) + 1), accepted: [] }]),
  );
  const outcomes = new Map();
  const conflicts = [];
  const unexpected = [];
  const latencies = [];
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    accounts.map(async (account) => {
      while (Date.now() < deadline) {
        // What the person sees: the board, then a drag of one card to the next or previous column.
        const board = await client.callApi('/api/equipe/tableau', {}, account.cookie);
        if (board.status !== 200) {
          tally(outcomes, `tableau ${board.status}`);
          unexpected.push(`tableau : ${board.status} ${board.body.slice(0, 200)}`);
          continue;
        }
        const cards = JSON.parse(board.body).columns.flatMap((c) => c.cards).filter((card) => cases.has(card.reference));
        const card = rng.pick(cards);
        const state = cases.get(card.reference);
        const index = state.allowed.indexOf(card.stage);
        const targets = [state.allowed[index - 1], state.allowed[index + 1]].filter(Boolean);
        const to = rng.pick(targets);
        const started = Date.now();
        const result = await client.callApi('/api/equipe/deplacer', {
          reference: card.reference,
          version: String(card.version),
          vers: to,
          raison: `Essai de charge : ${account.name}`,
          destination: '',
        }, account.cookie);
        latencies.push(Date.now() - started);
        tally(outcomes, String(result.status));
        if (result.status === 200) {
          const done = JSON.parse(result.body);
          state.accepted.push({ version: done.version, sent: card.version, by: account.name, to });
        } else if (result.status === 409) {
          conflicts.push({ reference: card.reference, sent: card.version, body: result.body, by: account.name });
        } else {
          if (/^\{"Conflict":/.test(result.body)) tally(outcomes, `dont ${result.status} au corps « Conflict »`);
          unexpected.push(`${card.reference} ${card.stage} → ${to} : ${result.status} ${result.body.slice(0, 300)}`);
        }
      }
    }),
  );
  client.close();

  // The database afterwards.
  let versionErrors = 0;
  let chainErrors = 0;
  let attributionErrors = 0;
  const problems = [];
  const eventsByCase = new Map();
  for (const state of cases.values()) {
    const [now] = query(db, `SELECT stage, version FROM cases WHERE id = ${state.id}`);
    const events = query(
      db,
      `SELECT id, kind, actor, from_stage, to_stage, created_at FROM case_events WHERE case_id = ${state.id} AND id > ${state.last_event} ORDER BY id`,
    );
    eventsByCase.set(state.reference, events);
    const moves = events.filter((e) => e.kind === 'deplace');
    if (Number(now.version) !== Number(state.version) + state.accepted.length || moves.length !== state.accepted.length || moves.length !== events.length) {
      versionErrors += 1;
      problems.push(`${state.reference} : version ${state.version} → ${now.version}, ${state.accepted.length} déplacements acceptés, ${moves.length} événements « déplacé » (${events.length} au total)`);
    }
    let stage = state.stage;
    for (const event of moves) {
      if (event.from_stage !== stage) {
        chainErrors += 1;
        problems.push(`${state.reference} : l'événement ${event.id} part de « ${event.from_stage} », le cas était en « ${stage} »`);
      }
      stage = event.to_stage;
    }
    if (stage !== now.stage) {
      chainErrors += 1;
      problems.push(`${state.reference} : le dernier événement mène à « ${stage} », le cas est en « ${now.stage} »`);
    }
    // Version initial + i + 1 was given to the author of the i-th new event, and to nobody else.
    const given = [...state.accepted].sort((a, b) => a.version - b.version);
    for (const [i, move] of given.entries()) {
      const event = moves[i];
      if (move.version !== Number(state.version) + i + 1 || move.sent !== move.version - 1 || !event || event.actor !== move.by || event.to_stage !== move.to) {
        attributionErrors += 1;
        if (problems.length < 30) problems.push(`${state.reference} : la version ${move.version} (acceptée pour ${move.by}) ne correspond pas à l'événement ${event ? `${event.id} de ${event.actor}` : 'attendu'}`);
      }
    }
  }

  // Every 409 names who moved the case and when: a move of that case after the version its author saw (or, for
  // the first version of the drill, the last change the demonstration made).
  let conflictsNamed = 0;
  const conflictSamples = [];
  // For each case, "who|when" of each move with the last version it made.
  const marks = new Map();
  for (const state of cases.values()) {
    const latest = new Map();
    eventsByCase
      .get(state.reference)
      .filter((e) => e.kind === 'deplace')
      .forEach((e, i) => latest.set(`${e.actor}|${formatParis(Number(e.created_at))}`, Number(state.version) + i + 1));
    marks.set(state.reference, { latest, initial: `${state.updated_by || DEMO_ACTOR}|${formatParis(Number(state.updated_at))}` });
  }
  for (const conflict of conflicts) {
    let message = '';
    try {
      message = JSON.parse(conflict.body)?.Conflict ?? '';
    } catch {
      message = '';
    }
    const match = message.match(/modifié par (.+) le (\d{1,2}|1er) (\S+) (\d{4}) à (\d{1,2}) h (\d{2})/);
    const state = cases.get(conflict.reference);
    let named = false;
    if (match) {
      const key = `${match[1]}|${match[2]} ${match[3]} ${match[4]} à ${match[5]} h ${match[6]}`;
      const { latest, initial } = marks.get(conflict.reference);
      // A move by that person at that minute, after the version the refused author saw.
      named = (latest.get(key) ?? 0) > conflict.sent || (conflict.sent < Number(state.version) && key === initial);
    }
    if (named) conflictsNamed += 1;
    else if (conflictSamples.length < 3) conflictSamples.push(`${conflict.reference} (version ${conflict.sent}) : ${conflict.body.slice(0, 300)}`);
  }
  const distinctMovers = new Set([...cases.values()].flatMap((s) => s.accepted.map((m) => m.by))).size;
  const total = [...outcomes.entries()].filter(([k]) => !k.startsWith('dont')).reduce((a, [, b]) => a + b, 0);
  out.line('cas déplacés', [...cases.keys()].join(', '));
  out.line('demandes de déplacement', total);
  out.line('réponses', formatTally(outcomes));
  out.line('acceptés par cas', [...cases.values()].map((s) => `${s.reference} : ${s.accepted.length}`).join(', '));
  out.line('comptes distincts dont un déplacement a passé', `${distinctMovers}/${people}`);
  out.line('temps de réponse HTTP sur la boucle locale p50 / p95 / p99 / max', `${percentile(latencies, 50)} / ${percentile(latencies, 95)} / ${percentile(latencies, 99)} / ${Math.max(0, ...latencies)} ms`);
  out.line('version finale ≠ initiale + acceptés', versionErrors);
  out.line('ruptures de la chaîne des événements', chainErrors);
  out.line('versions mal attribuées', attributionErrors);
  out.line('409 nommant qui a déplacé et quand', `${conflictsNamed}/${conflicts.length}`);
  if (conflicts.length > 0) out.note(`exemple de 409 : ${conflicts[0].body.slice(0, 300)}`);
  for (const problem of problems.slice(0, 20)) out.note(problem);
  for (const sample of conflictSamples) out.note(`409 sans auteur ni date vérifiables : ${sample}`);
  for (const line of unexpected.slice(0, 5)) out.note(`réponse inattendue : ${line}`);
  out.check(unexpected.length === 0, `${unexpected.length} réponses autres que 200 ou 409.`);
  out.check(versionErrors === 0 && attributionErrors === 0, 'une version ne compte pas exactement les déplacements acceptés.');
  out.check(chainErrors === 0, 'la chaîne des événements est rompue.');
  out.check(conflictsNamed === conflicts.length, `${conflicts.length - conflictsNamed} réponses 409 ne nomment pas qui a déplacé le cas et quand.`);
  // `scripts/bench.sh` sets the budget of the moves' p95 (30 ms); the drills of the test suite only report it.
  const budget = Number(process.env.MOVES_P95_BUDGET_MS ?? 0);
  if (budget > 0) out.check(percentile(latencies, 95) < budget, `p95 des déplacements ${percentile(latencies, 95)} ms, budget ${budget} ms.`);
  out.check(conflicts.length > 0 && total - conflicts.length > 0, 'il faut des déplacements acceptés et des conflits pour que l\'essai dise quelque chose.');
  passed = out.finish('chaque déplacement accepté est une version et un événement ; la chaîne est continue ; chaque 409 dit qui et quand.');
} catch (error) {
  reportCrash(error, log);
} finally {
  await killServer(server);
  await sleep(100);
  db.drop();
}
process.exit(passed ? 0 : 1);
