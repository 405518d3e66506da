// Shared by the fault drills (issue 18): a release server started and killed at will on a fresh database (SQLite
// file or PostgreSQL database), the database read directly (sqlite3 -json, psql), a collectivité filing a case
// through the same HTTP form posts a browser without JavaScript sends (retrying a step when the server does not
// answer, as a person would), every request counted while it is in flight, an SMTP server that keeps what it
// receives (Debian's aiosmtpd), and the checks every drill makes of what the database holds after a fault.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

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
      // The links of its emails (required with SMTP).
      IAF_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // The key sealing the private links of the emails waiting (required with SMTP), the same for every process.
      IAF_CLE_COURRIELS: '5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f',
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

/**
 * A client on kept-alive `node:http` connections, for the drills that measure the server under load: on 2 cores
 * `fetch` costs the client several times what the server spends on a small answer, so a drill through it measures
 * its own client too. Asks for compressed answers as browsers do and decodes them; `callApi` as above.
 */
export function keptAliveClient(base, sockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(base);
  const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync, deflate: zlib.inflateSync };
  function send(pathName, headers, body) {
    traffic.inFlight += 1;
    traffic.started += 1;
    return new Promise((resolve, reject) => {
      const allHeaders = { 'accept-encoding': ACCEPT_ENCODING, 'content-length': Buffer.byteLength(body), ...headers };
      const req = http.request({ host: hostname, port, path: pathName, method: 'POST', agent, headers: allHeaders }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const decoder = decode[res.headers['content-encoding'] ?? ''];
          resolve({ status: res.statusCode, type: res.headers['content-type'] ?? '', body: (decoder ? decoder(raw) : raw).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${pathName} : pas de réponse en 30 s`)));
      req.on('error', reject);
      req.end(body);
    }).then(
      (result) => { traffic.inFlight -= 1; return result; },
      (error) => { traffic.inFlight -= 1; traffic.failed += 1; throw error; },
    );
  }
  return {
    callApi: (pathName, pairs, cookie) => send(pathName, {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      origin: base,
      ...(cookie ? { cookie } : {}),
    }, encode(pairs)),
    close: () => agent.destroy(),
  };
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
