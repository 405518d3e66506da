// Shared by the fault scripts: a release server started and killed at will on a fresh database (SQLite file or
// PostgreSQL database), and a collectivité filing a case through the same HTTP form posts a browser without
// JavaScript sends, retrying a step when the server does not answer (as a person would).
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const serverBin = process.env.IAF_SERVER_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'release/server');
export const pgAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database for one run; `drop()` removes it. */
export function freshDatabase(kind) {
  if (kind === 'postgres') {
    const name = `iaf_fault_${process.pid}_${Date.now()}`;
    execFileSync('psql', [`${pgAdminUrl}/postgres`, '-q', '-c', `CREATE DATABASE ${name}`]);
    return {
      url: `${pgAdminUrl}/${name}`,
      drop: () => {
        try {
          execFileSync('psql', [`${pgAdminUrl}/postgres`, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
        } catch (error) {
          console.error(`Base ${name} non supprimée : ${error.message}`);
        }
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-fault-'));
  return { url: `sqlite://${dir}/fault.db`, drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the release server on `port` and waits until it answers. */
export async function startServer(databaseUrl, port, extraEnv = {}) {
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ROOT: path.join(repo, 'target/site'),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'error',
      // The drills sign in with the demonstration accounts.
      IAF_DEMO: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté (code ${child.exitCode})`);
    try {
      const response = await fetch(`${base}/robots.txt`);
      if (response.ok) return { child, base };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('le serveur ne répond pas après 30 s');
}

function encode(pairs) {
  return Object.entries(pairs)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** One form post without JavaScript; resolves to the redirect target, or throws when the server is away. */
export async function postForm(base, pathName, pairs) {
  const response = await fetch(`${base}${pathName}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: base,
      referer: `${base}/deposer`,
    },
    body: encode(pairs),
  });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') ?? '' };
}

/** The answers of the five steps of a case titled `title`. */
export function stepAnswers(title) {
  return [
    { intention: 'suivant', collectivite: 'commune:42218', contact_nom: 'Camille Martin', contact_fonction: 'Cheffe de projet', contact_email: 'camille.martin@saint-etienne.fr', contact_telephone: '' },
    { intention: 'suivant', titre: title, probleme: 'Les dossiers arrivent incomplets et les instructeurs perdent du temps.', solution: 'Un agent IA vérifie la complétude des dossiers et prépare une note.', domaine: 'urbanisme', perimetre: 'Permis de construire', directions: 'Urbanisme, DSI', brique_agents: 'on', typologie: 'application-integree-si' },
    { intention: 'suivant', agents: '25', usagers: '12 000', occurrences_mois: '200', minutes_par_occurrence: '45', part_temps_gagne: '50' },
    { intention: 'suivant', metier_nom: 'Jean Dupont', metier_fonction: 'Directeur' },
    { intention: 'suivant', donnees_necessaires: 'Dossiers de permis numérisés', disponibilite_donnees: 'disponibles', qualite_donnees: 'bonne', donnees_personnelles: 'oui', maturite: '2', stade_projet: 'besoin-defini', hebergement: 'mistral-compute', agents_vibe: '' },
  ];
}

/**
 * A collectivité filing one case: start, five steps, file. Every request is retried until the server answers
 * (the draft's token survives a crash). Resolves to { token, title, receipt } once the receipt redirect came.
 */
export async function fileCase(getBase, title, onRetry) {
  // Retries while the server is away or answers anything but the expected redirect (503 while the database
  // restarts, for instance), for at most two minutes.
  const attempt = async (fn, expected) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const result = await fn(getBase());
        if (expected(result)) return result;
        if (Date.now() > deadline) throw new Error(`réponse inattendue : ${result.status} ${result.location}`);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      onRetry();
      await sleep(200);
    }
  };
  const started = await attempt(
    (base) => postForm(base, '/api/depot/commencer', {}),
    (r) => /^\/deposer\/[0-9a-f]{64}\/etape\/1$/.test(r.location),
  );
  const token = started.location.replace(/^\/deposer\//, '').replace(/\/etape\/1$/, '');
  const steps = stepAnswers(title);
  for (let step = 1; step <= 5; step += 1) {
    await attempt(
      (base) => postForm(base, `/api/depot/etape${step}`, { token, ...steps[step - 1] }),
      (r) => r.location === `/deposer/${token}/etape/${step + 1}`,
    );
  }
  await attempt((base) => postForm(base, '/api/depot/deposer', { token }), (r) => r.location === `/deposer/${token}/recu`);
  return { token, title };
}

/** Signs in with the demo programme account; returns the session cookie. */
export async function signIn(base) {
  const response = await fetch(`${base}/api/equipe/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base },
    body: encode({ email: 'admin@demo.ia-factory.fr', mot_de_passe: 'territoires-ia-demo' }),
  });
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error(`connexion refusée (${response.status})`);
  return cookie.split(';')[0];
}

/** The cases as the team exports them (CSV with `;`), one object per line. */
export async function exportedCases(base, cookie) {
  const text = (await (await fetch(`${base}/equipe/export/cas.csv`, { headers: { cookie } })).text()).replace(/^\uFEFF/, '');
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(';');
  return lines.map((line) => {
    const cells = line.split(';').map((cell) => cell.replace(/^"|"$/g, '').replace(/""/g, '"'));
    return Object.fromEntries(columns.map((column, index) => [column, cells[index]]));
  });
}

export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
