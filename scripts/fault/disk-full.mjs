// Disk full (issue 18), SQLite: the database lives on a small tmpfs (mounted by the drill, as root). Cases are
// filed, then the rest of the filesystem is filled; filing must then answer a 503 in French (never a 500, never an
// acknowledgement that is then lost). Once the space is freed filing works again, without restarting the server;
// after a SIGKILL and a restart every acknowledged case is in the database, complete, exactly once.
// Usage: node scripts/fault/disk-full.mjs [long]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RAISED_LIMITS, callApi, drillArgs, fileCase, fileDraft, formatTally, freePort, freshDatabase, getPage, isFrench, killServer, onInterrupt, postForm, prepareDraft, query, sha256, sqlText, refusedInFrench, verdictOf, report, request, sleep, startServer, tally, REFERENCE, serverLog, reportCrash } from './lib.mjs';
import { checkFilings, reportFilings } from './checks.mjs';

const { long } = drillArgs();
const sizeMb = long ? 24 : 8;
const before = long ? 30 : 10;
const prepared = long ? 40 : 15;
const out = report(`Disque plein (SQLite sur un tmpfs de ${sizeMb} Mo, variante ${long ? 'longue' : 'rapide'})`);

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-disque-'));
let mounted = false;
let server;
let passed = false;
const log = serverLog(`disk`);
const freeBytes = () => fs.statfsSync(mountPoint).bavail * fs.statfsSync(mountPoint).bsize;

/** Fills the filesystem: big writes, then ever smaller ones, until nothing more fits. */
function fill(file) {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size, 0x41);
      for (let i = 0; i < 100_000; i += 1) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (error) {
          if (error.code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

try {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', mountPoint], { stdio: ['ignore', 'ignore', 'pipe'] });
    mounted = true;
    onInterrupt(() => execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' }));
  } catch (error) {
    throw new Error(`impossible de monter un tmpfs sur ${mountPoint} (droits root nécessaires) : ${error.stderr?.toString().trim() ?? error.message}`);
  }
  const db = freshDatabase('sqlite', { dir: mountPoint });
  const port = await freePort();
  server = await startServer(db, port, RAISED_LIMITS, { log });
  const { base } = server;
  const getBase = () => base;
  const run = Date.now().toString(36);
  const acknowledged = [];
  const onAcknowledged = (filed) => acknowledged.push(filed);

  // Before: cases filed, and complete drafts waiting for their last click.
  for (let n = 1; n <= before; n += 1) await fileCase(getBase, `Avant le disque plein ${n} (${run})`, n, { onAcknowledged, deadlineMs: 20_000 });
  const drafts = [];
  for (let n = 1; n <= prepared; n += 1) drafts.push(await prepareDraft(getBase, `Pendant le disque plein ${n} (${run})`, 1000 + n, { deadlineMs: 20_000 }));
  const filler = path.join(mountPoint, 'remplissage');
  const filled = fill(filler);
  const freeAfterFill = freeBytes();

  // Disk full: the waiting drafts are filed (form without JavaScript, followed as a browser does) and new drafts
  // are started (as the page's JavaScript calls it), until several refusals in a row.
  const answers = new Map();
  const refusals = [];
  const bad = [];
  const refusedDrafts = [];
  const createdWhileFull = [];
  let filedWhileFull = 0;
  let receiptsMissingWhileFull = 0;
  let streak = 0;
  for (const draft of drafts) {
    const posted = await postForm(base, '/api/depot/deposer', { token: draft.token }, `/deposer/${draft.token}/etape/6`).catch(() => null);
    if (posted?.location === `/deposer/${draft.token}/recu`) {
      // Acknowledged while the disk is full: it must be there in the end like the others.
      onAcknowledged(draft);
      const receipt = await getPage(base, `/deposer/${draft.token}/recu`).catch(() => null);
      draft.reference = receipt?.body.match(REFERENCE)?.[0] ?? null;
      if (!draft.reference) receiptsMissingWhileFull += 1;
      filedWhileFull += 1;
      tally(answers, 'déposer → accusé de réception');
      streak = 0;
      continue;
    }
    refusedDrafts.push(draft);
    // A browser without JavaScript follows the redirect back to its page: what does the person see?
    if (posted && posted.status >= 300 && posted.status < 400 && posted.location) {
      const target = posted.location.startsWith('http') ? posted.location : `${base}${posted.location}`;
      posted.followed = await request(target, { headers: { accept: 'text/html' } }).catch(() => null);
    }
    const verdict = verdictOf(posted);
    tally(answers, `déposer (sans JavaScript) → ${verdict}`);
    refusals.push(verdict);
    if (!refusedInFrench(verdict) && bad.length < 3) {
      const shown = (posted?.followed?.body ?? posted?.body ?? '').match(/<main[\s\S]*?<\/h1>/)?.[0]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
      bad.push(`déposer → ${verdict} (Location ${decodeURIComponent(posted?.location ?? '').slice(0, 160)}) ; la page montre : « ${shown.slice(0, 120)} », ${isFrench(posted?.followed?.body ?? '') ? 'avec' : 'sans'} message d'indisponibilité`);
    }
    const started = await callApi(base, '/api/depot/commencer', {}).catch(() => null);
    const createdToken = started?.location.match(/\/deposer\/([0-9a-f]{64})\/etape\/1/)?.[1];
    if (createdToken) createdWhileFull.push(createdToken);
    const startVerdict = createdToken ? `${started.status} (brouillon créé)` : verdictOf(started);
    tally(answers, `commencer (JavaScript) → ${startVerdict}`);
    if (!/brouillon créé/.test(startVerdict)) refusals.push(startVerdict);
    streak += 1;
    if (streak >= 5) break;
  }
  const serverAliveWhileFull = server.child.exitCode === null && server.child.signalCode === null;

  // Space freed: the refused drafts are filed again, the same server answering.
  fs.rmSync(filler);
  const freedAt = Date.now();
  let firstSuccessMs = -1;
  const failures = [];
  let notTried = 0;
  for (const draft of refusedDrafts) {
    if (failures.length > 0) {
      notTried += 1;
      continue;
    }
    try {
      await fileDraft(getBase, draft, { onAcknowledged, deadlineMs: 10_000 });
      if (firstSuccessMs < 0) firstSuccessMs = Date.now() - freedAt;
    } catch (error) {
      failures.push(`${draft.title} : ${error.message}`);
    }
  }
  const after = await fileCase(getBase, `Après le disque plein (${run})`, 2000, { onAcknowledged, deadlineMs: 10_000 }).catch((error) => {
    failures.push(`nouveau dépôt : ${error.message}`);
    return null;
  });
  // The durable state: SIGKILL, restart, then the database itself.
  await killServer(server);
  server = await startServer(db, port, RAISED_LIMITS, { log });
  const figures = checkFilings(db, acknowledged);
  const draftsKept = createdWhileFull.length === 0 ? 0 : Number(query(db, `SELECT COUNT(*) AS n FROM drafts WHERE token_hash IN (${createdWhileFull.map((t) => sqlText(sha256(t))).join(', ')})`)[0].n);

  out.line('accusés avant le remplissage', before);
  out.line('remplissage du disque', `${(filled / 1048576).toFixed(1)} Mo, reste ${freeAfterFill} octets`);
  out.line('réponses, disque plein', formatTally(answers));
  out.line('déposés malgré le disque plein (accusés)', `${filedWhileFull} (page de reçu sans référence : ${receiptsMissingWhileFull})`);
  out.line('brouillons créés malgré le disque plein', `${createdWhileFull.length} (en base après redémarrage : ${draftsKept})`);
  out.line('serveur en vie pendant le disque plein', serverAliveWhileFull ? 'oui' : 'non');
  out.line('premier dépôt réussi après libération', firstSuccessMs < 0 ? 'aucun' : `${firstSuccessMs} ms`);
  out.line('dépôts refusés puis déposés', `${refusedDrafts.length - failures.filter((f) => !f.startsWith('nouveau')).length - notTried}/${refusedDrafts.length}${notTried ? ` (${notTried} non réessayés après un échec)` : ''}`);
  out.line('nouveau dépôt après libération', after ? after.reference : 'échec');
  for (const line of bad) out.note(line);
  for (const failure of failures.slice(0, 5)) out.note(failure);
  out.check(refusals.length > 0, 'aucun refus : le disque plein n\'a pas été atteint.');
  out.check(refusals.every(refusedInFrench), 'un refus ne dit pas en français que le service est indisponible (voir ci-dessus).');
  out.check(draftsKept === createdWhileFull.length, `${createdWhileFull.length - draftsKept} brouillons annoncés créés pendant le disque plein sont absents de la base.`);
  out.check(serverAliveWhileFull, 'le serveur s\'est arrêté quand le disque était plein.');
  out.check(failures.length === 0 && after !== null, 'le dépôt ne fonctionne pas de nouveau une fois la place libérée.');
  reportFilings(out, figures, acknowledged.length);
  passed = out.finish('503 en français quand le disque est plein, rien d\'accusé de perdu, le service repart une fois la place libérée.');
} catch (error) {
  reportCrash(error, log);
} finally {
  await killServer(server);
  if (mounted) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    } catch {
      await sleep(500);
      execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
    }
  }
  fs.rmSync(mountPoint, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
