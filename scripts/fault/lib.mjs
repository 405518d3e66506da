// Shared by the fault drills (issue 18): a release server started and killed at will on a fresh database (SQLite
// file or PostgreSQL database), the database read directly (sqlite3 -json, psql), a collectivité filing a case
// through the same HTTP form posts a browser without JavaScript sends (retrying a step when the server does not
// answer, as a person would), every request counted while it is in flight, an SMTP server that keeps what it
// receives (Debian's aiosmtpd), and the checks every drill makes of what the database holds after a fault.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const serverBin =
  process.env.IAF_SERVER_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'release/server');
export const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(repo, 'target/site');
export const pgAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What must be undone if the drill is interrupted (Ctrl+C, or the caller stopping it): servers, mounts, clusters.
const cleanups = new Set();
export function onInterrupt(cleanup) {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\nExercice interrompu (${signal}) : nettoyage…`);
    for (const cleanup of [...cleanups].reverse()) {
      try {
        cleanup();
      } catch {
        // best effort
      }
    }
    process.exit(130);
  });
}
export const label = (kind) => (kind === 'postgres' ? 'PostgreSQL' : 'SQLite');
/** Raised limits: every simulated collectivité comes from 127.0.0.1. */
export const RAISED_LIMITS = { IAF_LIMITE_DEPOTS_PAR_MINUTE: '1000000', IAF_LIMITE_RECHERCHES_PAR_MINUTE: '1000000' };

/** `node drill.mjs sqlite long`: the database kind and the variant (rapide by default). */
export function drillArgs(defaultKind = 'sqlite') {
  const kind = process.argv.slice(2).find((a) => a === 'sqlite' || a === 'postgres') ?? defaultKind;
  const long = process.argv.slice(2).includes('long');
  return { kind, long };
}

/** A small seeded generator (mulberry32), so that a run can be replayed with FAULT_SEED. */
export function random(seed = Number(process.env.FAULT_SEED ?? Date.now() % 2 ** 31)) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.seed = seed;
  next.between = (min, max) => Math.floor(min + next() * (max - min + 1));
  next.pick = (items) => items[Math.floor(next() * items.length)];
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures and verdict, printed in French.

/** The figures of one drill: `line` prints one, `check` records a failure, `finish` prints the verdict. */
export function report(title) {
  console.log(`\n${title}`);
  const failures = [];
  return {
    line(name, value) {
      const dots = '.'.repeat(Math.max(2, 46 - name.length));
      console.log(`  ${name} ${dots} ${value}`);
    },
    note(text) {
      console.log(`    ${text}`);
    },
    check(ok, failure) {
      if (!ok) failures.push(failure);
      return ok;
    },
    get failed() {
      return failures.length > 0;
    },
    finish(success) {
      if (failures.length === 0) {
        console.log(`  => ${success}`);
        return true;
      }
      for (const failure of failures) console.error(`  ÉCHEC : ${failure}`);
      return false;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Databases: a fresh one per run, read and written directly.

/** A fresh database for one run (`dir`: where the SQLite file goes); `drop()` removes it. */
export function freshDatabase(kind, { dir, adminUrl = pgAdminUrl } = {}) {
  if (kind === 'postgres') {
    const name = `iaf_fault_${process.pid}_${Date.now()}`;
    execFileSync('psql', ['-X', '-q', `${adminUrl}/postgres`, '-c', `CREATE DATABASE ${name}`]);
    onInterrupt(() => execFileSync('psql', ['-X', '-q', `${adminUrl}/postgres`, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'ignore', timeout: 10_000 }));
    return {
      kind,
      name,
      url: `${adminUrl}/${name}`,
      drop: () => {
        try {
          execFileSync('psql', ['-X', '-q', `${adminUrl}/postgres`, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
        } catch (error) {
          console.error(`Base ${name} non supprimée : ${error.message}`);
        }
      },
    };
  }
  const own = !dir;
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-fault-'));
  const file = path.join(folder, 'fault.db');
  if (own) onInterrupt(() => fs.rmSync(folder, { recursive: true, force: true }));
  return {
    kind,
    file,
    url: `sqlite://${file}`,
    drop: () => {
      if (own) fs.rmSync(folder, { recursive: true, force: true });
      else for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
}

// A busy timeout, and no checkpoint when the client closes (`.dbconfig` prints its setting: sent nowhere).
const SQLITE_OPTIONS = ['-cmd', '.timeout 10000', '-cmd', '.output /dev/null', '-cmd', '.dbconfig no_ckpt_on_close on', '-cmd', '.output'];

/**
 * The rows of `sql` read by the database's own client (sqlite3 -json, psql with json_agg), as objects. The SQLite
 * client never checkpoints on close: reading while the server is stopped leaves its write-ahead log as it was.
 */
export function query(db, sql) {
  if (db.kind === 'postgres') {
    const out = execFileSync(
      'psql',
      ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', db.url, '-c', `SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q`],
      { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
    );
    return JSON.parse(out.trim() || '[]');
  }
  const out = execFileSync('sqlite3', ['-json', ...SQLITE_OPTIONS, db.file, sql], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return JSON.parse(out.trim() || '[]');
}

/** Runs a write statement with the database's own client. */
export function execute(db, sql) {
  if (db.kind === 'postgres') {
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url, '-c', sql], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  } else {
    execFileSync('sqlite3', [...SQLITE_OPTIONS, db.file, sql], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
  }
}

export const sqlText = (value) => `'${String(value).replace(/'/g, "''")}'`;
export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// The server.

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// One folder per drill for the server's files (emails written without SMTP, documents), removed at exit; the
// server's log is kept only when the drill fails.
let scratchDir;
const logs = new Set();
process.on('exit', (code) => {
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  if (code === 0) for (const log of logs) fs.rmSync(log, { force: true });
});

/** Where the server's output goes for drill `name` (kept after a failure, its path printed). */
export function serverLog(name) {
  const log = path.join(os.tmpdir(), `iaf-fault-${name}-${process.pid}.log`);
  logs.add(log);
  return log;
}

/**
 * Starts the release server on `db` and waits until it answers; the same `log` file collects the output of every
 * start. Returns { child, base, startedMs }.
 */
export async function startServer(db, port, extraEnv = {}, { log, timeoutMs = 60_000 } = {}) {
  if (!fs.existsSync(serverBin)) throw new Error(`serveur introuvable : ${serverBin} (compilez d'abord la version release)`);
  scratchDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-fault-files-'));
  const scratch = scratchDir;
  const logFd = log ? fs.openSync(log, 'a') : 'ignore';
  const began = Date.now();
  const child = spawn(serverBin, [], {
    cwd: repo,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
      IAF_COURRIELS_DIR: path.join(scratch, 'courriels'),
      IAF_PIECES_DIR: path.join(scratch, 'pieces'),
      ...extraEnv,
    },
    stdio: ['ignore', logFd, logFd],
  });
  if (typeof logFd === 'number') fs.closeSync(logFd);
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    forget();
    resolve({ code, signal });
  }));
  child.exited = exited;
  const base = `http://127.0.0.1:${port}`;
  while (Date.now() - began < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`le serveur s'est arrêté au démarrage (code ${child.exitCode ?? child.signalCode})${log ? ` ; voir ${log}` : ''}`);
    }
    try {
      const response = await fetch(`${base}/robots.txt`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return { child, base, startedMs: Date.now() - began };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`le serveur ne répond pas après ${timeoutMs / 1000} s`);
}

/** SIGKILL, and wait until the process is gone. */
export async function killServer(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.child.exited;
}

export function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP, with every request counted while it is in flight (started, body not yet read).

export const traffic = { inFlight: 0, started: 0, failed: 0 };

// Every request asks for compressed answers, as browsers do (FAULT_ACCEPT_ENCODING=identity to diagnose without).
const ACCEPT_ENCODING = process.env.FAULT_ACCEPT_ENCODING ?? 'gzip, deflate, br';

/** One request; resolves to { status, location, type, body } once the body is read; throws when no answer came. */
export async function request(url, init = {}, timeoutMs = 30_000) {
  traffic.inFlight += 1;
  traffic.started += 1;
  try {
    const headers = { 'accept-encoding': ACCEPT_ENCODING, ...(init.headers ?? {}) };
    const response = await fetch(url, { redirect: 'manual', ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      type: response.headers.get('content-type') ?? '',
      setCookie: response.headers.get('set-cookie') ?? '',
      body,
    };
  } catch (error) {
    traffic.failed += 1;
    throw error;
  } finally {
    traffic.inFlight -= 1;
  }
}

export function encode(pairs) {
  return Object.entries(pairs)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** A form post of a browser without JavaScript, sent from the page `from` (its Referer). */
export function postForm(base, pathName, pairs, from = '/deposer', cookie) {
  return request(`${base}${pathName}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml',
      origin: base,
      referer: `${base}${from}`,
      ...(cookie ? { cookie } : {}),
    },
    body: encode(pairs),
  });
}

/** A server function called as the page's JavaScript calls it (JSON answer). */
export function callApi(base, pathName, pairs, cookie) {
  return request(`${base}${pathName}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      origin: base,
      ...(cookie ? { cookie } : {}),
    },
    body: encode(pairs),
  });
}

export function getPage(base, pathName, cookie) {
  return request(`${base}${pathName}`, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
}

/** Whether a body speaks French to the person (the service's own sentences). */
export function isFrench(body) {
  return /momentanément indisponible/.test(body);
}

/**
 * What a refused request answered, for the tallies: "503 en français" (a page or text in French), "503 JSON
 * « Unavailable »" (the error a page's JavaScript receives and shows with its French message, app/src/error.rs),
 * "302 puis …" (a form without JavaScript sent back to its page, then what that page answered: the page with the
 * French message, or its own status), or the status.
 */
export function verdictOf(result) {
  if (!result) return 'sans réponse';
  if (result.followed !== undefined) {
    // Leptos shows the error of a form posted without JavaScript on the page it sends the browser back to.
    const page = result.followed;
    const shown = page?.status === 200 && isFrench(page.body) ? 'page avec « momentanément indisponible »' : verdictOf(page);
    return `${result.status} puis ${shown}`;
  }
  if (result.status === 503) {
    if (result.type.includes('json') && result.body.trim() === '"Unavailable"') return '503 JSON « Unavailable »';
    return isFrench(result.body) ? '503 en français' : `503 sans texte français (${result.body.slice(0, 40)})`;
  }
  return String(result.status);
}

/** Whether a refusal tells the person, in French, that the service is unavailable. */
export const refusedInFrench = (verdict) =>
  /503 en français$/.test(verdict) || /503 JSON « Unavailable »$/.test(verdict) || /page avec « momentanément indisponible »$/.test(verdict);

export function tally(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export const formatTally = (map) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} : ${v}`)
    .join(', ') || 'aucune';

// ---------------------------------------------------------------------------------------------------------------
// Filing a case as a collectivité without JavaScript.

/** The answers of the five steps of case `n`, titled `title` (each case's own title, problem, contact, agents). */
export function stepAnswers(title, n = 0) {
  return [
    { intention: 'suivant', collectivite: 'commune:42218', contact_nom: 'Camille Martin', contact_fonction: 'Cheffe de projet', contact_email: `contact.${n}@saint-etienne.fr`, contact_telephone: '' },
    { intention: 'suivant', titre: title, probleme: `Les dossiers arrivent incomplets et les instructeurs perdent du temps (cas n° ${n}).`, solution: 'Un agent IA vérifie la complétude des dossiers et prépare une note.', domaine: 'urbanisme', perimetre: 'Permis de construire', directions: 'Urbanisme, DSI', brique_agents: 'on', typologie: 'application-integree-si' },
    { intention: 'suivant', agents: String(10 + (n % 90)), usagers: '12 000', occurrences_mois: '200', minutes_par_occurrence: '45', part_temps_gagne: '50' },
    { intention: 'suivant', metier_nom: 'Jean Dupont', metier_fonction: 'Directeur' },
    { intention: 'suivant', donnees_necessaires: 'Dossiers de permis numérisés', disponibilite_donnees: 'disponibles', qualite_donnees: 'bonne', donnees_personnelles: 'oui', maturite: '2', stade_projet: 'besoin-defini', hebergement: 'mistral-compute', agents_vibe: '' },
  ];
}

/** What the draft must hold once the steps are posted: every non-empty field (the form's `intention` aside). */
export function expectedAnswers(steps) {
  const values = {};
  for (const step of steps) {
    for (const [name, value] of Object.entries(step)) {
      if (name === 'intention' || value === '') continue;
      values[name] = value;
    }
  }
  return values;
}

export const REFERENCE = /IAF-\d{4}-\d{4,}/;

/**
 * Sends a request until the expected answer comes, for at most `deadlineMs`, as a person would (and, with
 * `followErrors`, following the redirect that brings a form without JavaScript back to its page with the error).
 * `observe(result | null, what, sentAt)` sees every answer (null: no answer).
 */
async function attempt(getBase, what, send, expected, { observe = () => {}, deadlineMs = 120_000, pauseMs = 150, stopped = () => false, followErrors = false } = {}) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    let result = null;
    const sentAt = Date.now();
    try {
      result = await send(getBase());
      result.answeredAt = Date.now();
      if (followErrors && !expected(result) && result.status >= 300 && result.status < 400 && result.location) {
        const target = result.location.startsWith('http') ? result.location : `${getBase()}${result.location}`;
        try {
          result.followed = await request(target, { headers: { accept: 'text/html' } });
        } catch {
          result.followed = null;
        }
      }
    } catch {
      result = null;
    }
    observe(result, what, sentAt);
    if (result && expected(result)) return result;
    if (Date.now() > deadline || stopped()) {
      throw new Error(`${what} : ${result ? `réponse inattendue ${result.status} ${result.location}` : 'pas de réponse'} après ${deadlineMs / 1000} s`);
    }
    await sleep(pauseMs);
  }
}

/** A draft started and its five steps posted (not filed): { token, title, n, steps }. Options as `attempt`. */
export async function prepareDraft(getBase, title, n, options = {}) {
  const started = await attempt(
    getBase,
    'commencer',
    (base) => postForm(base, '/api/depot/commencer', {}, '/deposer'),
    (r) => /^\/deposer\/[0-9a-f]{64}\/etape\/1$/.test(r.location),
    options,
  );
  const token = started.location.replace(/^\/deposer\//, '').replace(/\/etape\/1$/, '');
  const steps = stepAnswers(title, n);
  for (let step = 1; step <= 5; step += 1) {
    await attempt(
      getBase,
      `étape ${step}`,
      (base) => postForm(base, `/api/depot/etape${step}`, { token, ...steps[step - 1] }, `/deposer/${token}/etape/${step}`),
      (r) => r.location === `/deposer/${token}/etape/${step + 1}`,
      options,
    );
  }
  return { token, title, n, steps, reference: null };
}

/**
 * Files a prepared draft: the form of the summary page until the receipt redirect comes (the acknowledgement;
 * `onAcknowledged(draft)` is called then), then the receipt page read for the reference it shows.
 */
export async function fileDraft(getBase, draft, { onAcknowledged = () => {}, ...options } = {}) {
  const { token } = draft;
  await attempt(
    getBase,
    'déposer',
    (base) => postForm(base, '/api/depot/deposer', { token }, `/deposer/${token}/etape/6`),
    (r) => r.location === `/deposer/${token}/recu`,
    options,
  );
  draft.acknowledgedAt = Date.now();
  onAcknowledged(draft);
  const receipt = await attempt(
    getBase,
    'accusé de réception',
    (base) => getPage(base, `/deposer/${token}/recu`),
    (r) => r.status === 200 && REFERENCE.test(r.body),
    { ...options, followErrors: false },
  );
  draft.reference = receipt.body.match(REFERENCE)[0];
  return draft;
}

/**
 * A collectivité filing one case: start, five steps, file, then the receipt page read for its reference. Every
 * request is retried until the expected redirect comes (the draft's token survives a crash), for at most
 * `deadlineMs` per request. Resolves to { token, title, n, steps, reference, acknowledgedAt }; `onAcknowledged`
 * is called when the receipt redirect came, before the receipt page is read.
 */
export async function fileCase(getBase, title, n, options = {}) {
  return fileDraft(getBase, await prepareDraft(getBase, title, n, options), options);
}

// ---------------------------------------------------------------------------------------------------------------
// Team accounts.

export async function signIn(base, email, password = 'territoires-ia-demo') {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const result = await request(`${base}/api/equipe/connexion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base },
      body: encode({ email, mot_de_passe: password }),
    });
    const cookie = result.setCookie.split(';')[0];
    if (cookie.includes('=')) return cookie;
    // "Trop de connexions en cours de vérification": try again shortly.
    await sleep(300);
  }
  throw new Error(`connexion refusée pour ${email}`);
}

/**
 * `count` team accounts (role programme) inserted directly in the drill's database, with the password hash of the
 * demonstration administrator (so the demonstration password opens them); returns their emails and names.
 */
export function insertAccounts(db, count, prefix = 'personne') {
  const [admin] = query(db, "SELECT password_hash FROM accounts WHERE email = 'admin@demo.ia-factory.fr'");
  if (!admin) throw new Error('compte de démonstration absent (IAF_DEMO=1 attendu)');
  const now = Math.floor(Date.now() / 1000);
  const accounts = Array.from({ length: count }, (_, i) => ({
    email: `${prefix}-${String(i + 1).padStart(2, '0')}@essai.ia-factory.fr`,
    name: `Personne ${String(i + 1).padStart(2, '0')} (essai)`,
  }));
  const values = accounts
    .map((a) => `(${sqlText(a.email)}, ${sqlText(a.name)}, 'programme', ${sqlText(admin.password_hash)}, 0, ${now})`)
    .join(', ');
  execute(db, `INSERT INTO accounts (email, name, role, password_hash, disabled, created_at) VALUES ${values}`);
  return accounts;
}

// ---------------------------------------------------------------------------------------------------------------
// What the database holds after a fault.

/**
 * Checks, in the database itself, every acknowledged filing (its reference from the receipt page, its token) and
 * what nothing may leave half-written. Returns the figures; `problems` lists each failure in French.
 */
export function checkFilings(db, acknowledged) {
  const rows = query(
    db,
    `SELECT c.id, c.reference, c.draft_id, c.answers, c.stage, c.version, c.terms_indexed, c.term_count,
       d.token_hash, d.submitted_at, d.answers AS draft_answers,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'depose') AS filed_events,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id) AS events,
       (SELECT COUNT(*) FROM follow_up_links l WHERE l.draft_id = c.draft_id AND l.token_hash = d.token_hash) AS own_link,
       (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id) AS emails,
       (SELECT COUNT(*) FROM case_terms t WHERE t.case_id = c.id) AS terms
     FROM cases c LEFT JOIN drafts d ON d.id = c.draft_id`,
  );
  const byReference = new Map(rows.map((r) => [r.reference, r]));
  const problems = [];
  const figures = { cases: rows.length, intakeCases: 0, missing: 0, wrongDraft: 0, wrongAnswers: 0, wrongEvents: 0, halfWritten: 0, ghosts: 0, duplicateReceipts: 0 };
  const note = (text) => {
    if (problems.length < 30) problems.push(text);
  };
  const seenReferences = new Map();
  for (const filed of acknowledged) {
    if (!filed.reference) {
      figures.missing += 1;
      note(`l'accusé du jeton ${filed.token.slice(0, 8)}… n'a pas pu être relu`);
      continue;
    }
    if (seenReferences.has(filed.reference)) {
      figures.duplicateReceipts += 1;
      note(`deux accusés portent la référence ${filed.reference}`);
    }
    seenReferences.set(filed.reference, filed);
    const row = byReference.get(filed.reference);
    if (!row) {
      figures.missing += 1;
      note(`${filed.reference} (accusé reçu) est absent de la base`);
      continue;
    }
    if (row.token_hash !== sha256(filed.token) || row.submitted_at === null || Number(row.own_link) !== 1) {
      figures.wrongDraft += 1;
      note(`${filed.reference} n'est pas rattaché au brouillon déposé de son jeton`);
    }
    const expected = expectedAnswers(filed.steps);
    const stored = JSON.parse(row.answers)?.values ?? {};
    const draft = row.draft_answers ? JSON.parse(row.draft_answers)?.values ?? {} : {};
    const differs = (values) =>
      Object.keys(expected).some((k) => values[k] !== expected[k]) || Object.keys(values).some((k) => !(k in expected));
    if (differs(stored) || differs(draft)) {
      figures.wrongAnswers += 1;
      const wrong = Object.keys({ ...expected, ...stored }).filter((k) => stored[k] !== expected[k]);
      note(`${filed.reference} : réponses différentes de celles envoyées (${wrong.join(', ') || 'brouillon'})`);
    }
    if (Number(row.filed_events) !== 1) {
      figures.wrongEvents += 1;
      note(`${filed.reference} : ${row.filed_events} événements « déposé » au lieu d'un`);
    }
  }
  const tokens = new Set(acknowledged.map((a) => sha256(a.token)));
  for (const row of rows) {
    if (row.draft_id !== null) figures.intakeCases += 1;
    // Every case, acknowledged or not, is whole: its filing event, its draft marked filed, its first follow-up
    // link, its notice to the collectivité, its words for the similar cases.
    const whole =
      Number(row.filed_events) === 1 &&
      Number(row.events) >= 1 &&
      (row.draft_id === null ||
        (row.submitted_at !== null && Number(row.own_link) === 1 && Number(row.emails) === 1 && Number(row.terms_indexed) === 1 && Number(row.terms) > 0));
    if (!whole) {
      figures.halfWritten += 1;
      note(`${row.reference} est incomplet (événements « déposé » ${row.filed_events}, lien ${row.own_link}, courriels ${row.emails}, mots ${row.terms})`);
    }
    if (row.draft_id !== null && !tokens.has(row.token_hash)) {
      figures.ghosts += 1;
      note(`${row.reference} est en base sans qu'aucun accusé n'ait été reçu`);
    }
  }
  const [orphans] = query(
    db,
    `SELECT
       (SELECT COUNT(*) FROM drafts d WHERE d.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.draft_id = d.id)) AS filed_drafts_without_case,
       (SELECT COUNT(*) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)) AS events_without_case,
       (SELECT COUNT(*) FROM outbox o WHERE o.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = o.case_id)) AS emails_without_case,
       (SELECT COUNT(*) FROM follow_up_links l WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.id = l.draft_id AND d.submitted_at IS NOT NULL)) AS links_without_filing,
       (SELECT COUNT(*) FROM case_terms t WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = t.case_id)) AS terms_without_case,
       (SELECT COUNT(*) FROM cases) AS cases,
       (SELECT COALESCE(SUM(last_number), 0) FROM reference_counters) AS numbers_given`,
  );
  for (const [key, text] of [
    ['filed_drafts_without_case', 'brouillons marqués déposés sans cas'],
    ['events_without_case', 'événements sans cas'],
    ['emails_without_case', 'courriels sans cas'],
    ['links_without_filing', 'liens de suivi sans dépôt'],
    ['terms_without_case', 'mots indexés sans cas'],
  ]) {
    if (Number(orphans[key]) > 0) {
      figures.halfWritten += Number(orphans[key]);
      note(`${orphans[key]} ${text}`);
    }
  }
  // Each reference number given is one case: a rolled-back filing gives its number back.
  if (Number(orphans.numbers_given) !== Number(orphans.cases)) {
    figures.halfWritten += 1;
    note(`${orphans.numbers_given} numéros de référence attribués pour ${orphans.cases} cas`);
  }
  figures.problems = problems;
  figures.ok =
    figures.missing + figures.wrongDraft + figures.wrongAnswers + figures.wrongEvents + figures.halfWritten + figures.ghosts + figures.duplicateReceipts === 0;
  return figures;
}

/** Prints the figures of `checkFilings` on a report and records its failures. */
export function reportFilings(out, figures, acknowledgedCount) {
  out.line('accusés de réception vérifiés en base', `${acknowledgedCount - figures.missing}/${acknowledgedCount}`);
  out.line('cas en base (dont dépôts de la démo)', `${figures.cases} (${figures.cases - figures.intakeCases})`);
  out.line('rattachés à un autre brouillon', figures.wrongDraft);
  out.line('réponses différentes de celles envoyées', figures.wrongAnswers);
  out.line('sans exactement un événement « déposé »', figures.wrongEvents);
  out.line('écritures à moitié faites', figures.halfWritten);
  out.line('cas sans accusé de réception', figures.ghosts);
  out.line('références accusées deux fois', figures.duplicateReceipts);
  for (const problem of figures.problems) out.note(problem);
  out.check(figures.ok, 'la base ne contient pas exactement les dépôts accusés, complets et une seule fois.');
}

// ---------------------------------------------------------------------------------------------------------------
// Email: an SMTP server that keeps what it receives (Debian's python3-aiosmtpd, a Maildir).

export async function startSmtpSink() {
  const port = await freePort();
  const maildir = fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-fault-smtp-'));
  fs.rmSync(maildir, { recursive: true, force: true });
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onInterrupt(() => {
    child.kill('SIGKILL');
    fs.rmSync(maildir, { recursive: true, force: true });
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) break;
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) {
      return {
        url: `smtp://127.0.0.1:${port}`,
        /** The Message-ID of every message received, with how many times each came. */
        received() {
          const counts = new Map();
          for (const sub of ['new', 'cur']) {
            const folder = path.join(maildir, sub);
            if (!fs.existsSync(folder)) continue;
            for (const name of fs.readdirSync(folder)) {
              const text = fs.readFileSync(path.join(folder, name), 'utf8');
              const headers = text.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
              const id = headers.match(/^message-id:\s*(\S+)/im)?.[1] ?? '(sans Message-ID)';
              counts.set(id, (counts.get(id) ?? 0) + 1);
            }
          }
          return counts;
        },
        async stop() {
          child.kill('SIGTERM');
          await sleep(100);
          fs.rmSync(maildir, { recursive: true, force: true });
        },
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`le serveur SMTP de test (aiosmtpd) ne démarre pas : ${stderr.trim() || 'paquet python3-aiosmtpd absent ?'}`);
}

/**
 * Waits until every message of the outbox is marked sent and received by the SMTP server, then compares: each
 * message received once, by its Message-ID. A message claimed by a sender killed before it recorded the attempt
 * waits for the end of its lease (120 s): the wait lasts at least `leaseMs` while anything is pending, then as long
 * as the sender makes progress (a backlog being sent), at most `maxMs`. Returns the figures.
 */
export async function checkOutbox(db, smtp, { leaseMs = 135_000, maxMs = 600_000, committedBeforeKills = new Set() } = {}) {
  const began = Date.now();
  let outbox = [];
  let received = new Map();
  let lastPending = Infinity;
  let lastProgressAt = began;
  const sentAtStart = query(db, 'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL')[0].n;
  for (;;) {
    outbox = query(db, 'SELECT id, message_id, sent_at, attempts FROM outbox');
    received = smtp.received();
    const pending = outbox.filter((m) => m.sent_at === null || !received.has(m.message_id)).length;
    if (pending === 0) break;
    if (pending < lastPending) {
      lastPending = pending;
      lastProgressAt = Date.now();
    }
    const elapsed = Date.now() - began;
    if (elapsed > maxMs || (elapsed > leaseMs && Date.now() - lastProgressAt > 15_000)) break;
    await sleep(500);
  }
  const waitedMs = Date.now() - began;
  const ids = new Set(outbox.map((m) => m.message_id));
  const notReceived = outbox.filter((m) => !received.has(m.message_id));
  const notMarked = outbox.filter((m) => m.sent_at === null);
  const duplicates = [...received.entries()].filter(([id, count]) => ids.has(id) && count > 1);
  const extraCopies = duplicates.reduce((sum, [, count]) => sum + count - 1, 0);
  const strangers = [...received.keys()].filter((id) => !ids.has(id));
  const committedMissing = [...committedBeforeKills].filter((id) => !received.has(id));
  return {
    messages: outbox.length,
    receivedMessages: [...received.values()].reduce((a, b) => a + b, 0),
    notReceived: notReceived.length,
    notMarked: notMarked.length,
    duplicates: duplicates.length,
    extraCopies,
    strangers: strangers.length,
    committedBeforeKills: committedBeforeKills.size,
    committedMissing: committedMissing.length,
    retried: outbox.filter((m) => Number(m.attempts) > 1).length,
    sentWhileWaiting: outbox.filter((m) => m.sent_at !== null).length - Number(sentAtStart),
    waitedMs,
  };
}

/**
 * Prints the figures of `checkOutbox` and records its failures. Delivery through SMTP cannot be exactly once
 * across a crash: a sender killed after the SMTP server accepted a message and before it recorded so sends it
 * again after the restart, with the same Message-ID (the receiver can recognise the copy). The sender delivers one
 * message at a time, so each kill may leave at most one such copy: `kills` copies are allowed, no more.
 */
export function reportOutbox(out, mail, { kills = 0 } = {}) {
  out.line('courriels dans la boîte d\'envoi', mail.messages);
  if (kills > 0) out.line('dont validés avant un arrêt', mail.committedBeforeKills);
  out.line('messages reçus par le serveur SMTP', mail.receivedMessages);
  out.line('courriels jamais reçus', mail.notReceived);
  out.line('courriels non marqués envoyés', mail.notMarked);
  out.line('reçus deux fois ou plus (même Message-ID)', `${mail.duplicates} (${mail.extraCopies} copies en trop${kills > 0 ? `, au plus ${kills} admise${kills > 1 ? 's' : ''} : une par arrêt` : ''})`);
  out.line('reçus sans être dans la boîte d\'envoi', mail.strangers);
  out.line('attente de la remise complète', `${(mail.waitedMs / 1000).toFixed(1)} s (${mail.sentWhileWaiting} envoyés pendant l'attente)`);
  out.check(mail.notReceived === 0 && mail.notMarked === 0 && mail.committedMissing === 0, `${mail.notReceived} courriels validés jamais reçus, ${mail.notMarked} non marqués envoyés.`);
  out.check(mail.extraCopies <= kills, `${mail.extraCopies} copies en trop (même Message-ID) pour ${kills} arrêts : plus d'une copie par arrêt.`);
  out.check(mail.strangers === 0, `${mail.strangers} messages reçus sans Message-ID connu de la boîte d'envoi.`);
}

// ---------------------------------------------------------------------------------------------------------------
// The local PostgreSQL cluster.

export const pgVersion = () => fs.readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1);

/** `pg_ctlcluster` on a cluster of the local PostgreSQL (`main` by default). */
export function pgCluster(action, mode, cluster = 'main') {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', pgVersion(), cluster, action, ...(mode ? ['-m', mode] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
}

export function pgReady(port = 5432) {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Starts a cluster if it is down and waits until it accepts connections (at most 30 s). */
export async function ensurePgUp(cluster = 'main', port = 5432) {
  if (pgReady(port)) return;
  try {
    pgCluster('start', undefined, cluster);
  } catch {
    // already starting
  }
  for (let i = 0; i < 60 && !pgReady(port); i += 1) await sleep(500);
  if (!pgReady(port)) throw new Error(`PostgreSQL ne répond pas sur 127.0.0.1:${port}`);
}

/**
 * A PostgreSQL cluster of the drill's own (pg_createcluster, local trust authentication, a free port), so that
 * crashing it disturbs nobody else's tests; `drop()` removes it. Clusters left by drills that died are removed.
 */
export async function privatePgCluster() {
  const version = pgVersion();
  for (const name of fs.readdirSync(`/etc/postgresql/${version}`)) {
    const pid = Number(name.match(/^iaf_fault_(\d+)$/)?.[1]);
    if (!pid || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) execFileSync('pg_dropcluster', [version, name, '--stop'], { stdio: 'ignore' });
  }
  const name = `iaf_fault_${process.pid}`;
  const port = await freePort();
  execFileSync('pg_createcluster', [version, name, '-p', String(port), '--', '--auth-host=trust', '--auth-local=trust'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  // Interrupted: the cluster is started again if it was stopped, and dropped (its database goes with it).
  onInterrupt(() => execFileSync('pg_dropcluster', [version, name, '--stop'], { stdio: 'ignore', timeout: 60_000 }));
  const cluster = {
    name,
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}`,
    ctl: (action, mode) => pgCluster(action, mode, name),
    up: () => ensurePgUp(name, port),
    drop: () => {
      try {
        execFileSync('pg_dropcluster', [version, name, '--stop'], { stdio: 'ignore', timeout: 60_000 });
      } catch (error) {
        console.error(`Grappe PostgreSQL ${name} non supprimée : ${error.message}`);
      }
    },
  };
  try {
    cluster.ctl('start');
    await cluster.up();
  } catch (error) {
    cluster.drop();
    throw error;
  }
  return cluster;
}

/** "3 mai 2026 à 14 h 05", Paris time, as the server writes a moment (app::domain::dates::format_paris). */
const PARIS = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });
export function formatParis(unixSeconds) {
  const parts = Object.fromEntries(
    PARIS.formatToParts(new Date(unixSeconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  const day = parts.day === '1' ? '1er' : parts.day;
  return `${day} ${parts.month} ${parts.year} à ${Number(parts.hour)} h ${parts.minute.padStart(2, '0')}`;
}

export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** What a drill prints when it stopped on an error: the error and the end of the server's log. */
export function reportCrash(error, log) {
  console.error(`  ÉCHEC : ${error.stack ?? error}`);
  const last = tail(log);
  if (last) console.error(`  Journal du serveur (${log}) :\n${last}`);
}
