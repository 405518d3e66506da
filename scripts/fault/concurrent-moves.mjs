// Concurrent moves (issue 6): 20 team members move the same few cases back and forth for 30 seconds, each move
// naming the version it saw. Afterwards the event log and the cases must agree: every move answered 200 is one
// event, every case stands where its last move put it, and no update was lost.
// Usage: node scripts/fault/concurrent-moves.mjs [sqlite|postgres]
import { freshDatabase, signIn, sleep, startServer } from './lib.mjs';

const kind = process.argv[2] ?? 'sqlite';
const port = Number(process.env.FAULT_PORT ?? 3211);
const clients = Number(process.env.FAULT_CLIENTS ?? 20);
const seconds = Number(process.env.FAULT_SECONDS ?? 30);
const STAGES = ['cadrage', 'conception', 'diffusion'];

async function api(base, cookie, path, body) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: base, cookie },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const database = freshDatabase(kind);
let server;
let failed = false;
try {
  server = await startServer(database.url, port);
  const { base } = server;
  const cookie = await signIn(base);
  const board = JSON.parse((await api(base, cookie, '/api/equipe/tableau', '')).text);
  const cases = board.columns.flatMap((c) => c.cards).filter((card) => STAGES.includes(card.stage_code));
  const references = cases.map((c) => c.reference);
  const before = await trail(base, cookie);
  const outcomes = { 200: 0, 409: 0, 422: 0, other: 0 };
  const successes = new Map(references.map((r) => [r, 0]));
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < deadline) {
        const current = JSON.parse((await api(base, cookie, '/api/equipe/tableau', '')).text)
          .columns.flatMap((c) => c.cards)
          .filter((card) => references.includes(card.reference));
        const card = current[Math.floor(Math.random() * current.length)];
        const index = STAGES.indexOf(card.stage_code);
        const target = index <= 0 ? STAGES[1] : index === 2 ? STAGES[1] : STAGES[Math.random() < 0.5 ? 0 : 2];
        const body = `reference=${card.reference}&version=${card.version}&vers=${target}&raison=${encodeURIComponent(`Essai de charge ${client}`)}&destination=`;
        const { status } = await api(base, cookie, '/api/equipe/deplacer', body);
        if (status === 200) successes.set(card.reference, successes.get(card.reference) + 1);
        outcomes[status in outcomes ? status : 'other'] += 1;
      }
    }),
  );
  const after = await trail(base, cookie);
  const final = JSON.parse((await api(base, cookie, '/api/equipe/tableau', '')).text).columns.flatMap((c) => c.cards);
  let disagreements = 0;
  for (const reference of references) {
    const newMoves = after.filter((e) => e.reference === reference && e.action.startsWith('Déplacé')).length
      - before.filter((e) => e.reference === reference && e.action.startsWith('Déplacé')).length;
    if (newMoves !== successes.get(reference)) {
      disagreements += 1;
      console.error(`${reference} : ${successes.get(reference)} déplacements acceptés, ${newMoves} événements`);
    }
    const lastMove = after.filter((e) => e.reference === reference && e.vers).at(-1);
    const card = final.find((c) => c.reference === reference);
    if (lastMove && card && lastMove.vers !== stageLabel(card.stage_code)) {
      disagreements += 1;
      console.error(`${reference} : le dernier événement mène à « ${lastMove.vers} », le cas est en « ${card.stage_code} »`);
    }
  }
  const total = outcomes[200] + outcomes[409] + outcomes[422] + outcomes.other;
  console.log(`Déplacements concurrents (${kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}), ${clients} personnes, ${seconds} s, ${references.length} cas :`);
  console.log(`  demandes ............... ${total}`);
  console.log(`  acceptées (200) ........ ${outcomes[200]}`);
  console.log(`  conflits de version (409) ${outcomes[409]}`);
  console.log(`  refusées par une porte (422) ${outcomes[422]}`);
  console.log(`  autres réponses ........ ${outcomes.other}`);
  console.log(`  désaccords journal / cas ${disagreements}`);
  if (disagreements > 0 || outcomes.other > 0 || outcomes[200] === 0) {
    console.error('ÉCHEC : le journal et les cas ne concordent pas, ou une réponse inattendue.');
    failed = true;
  } else {
    console.log('  => chaque déplacement accepté est un événement ; aucune mise à jour perdue.');
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

function stageLabel(code) {
  return { cadrage: 'Cadrage détaillé', conception: 'Conception et implémentation', diffusion: 'Diffusion et passage à l\'échelle' }[code];
}

async function trail(base, cookie) {
  const text = (await (await fetch(`${base}/equipe/export/decisions.csv`, { headers: { cookie } })).text()).replace(/^\uFEFF/, '');
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(';');
  return lines.map((line) => {
    const cells = line.split(';').map((cell) => cell.replace(/^"|"$/g, ''));
    return Object.fromEntries(columns.map((column, index) => [column, cells[index]]));
  });
}
