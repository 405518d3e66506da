// The SMTP server of the fault drills (Debian's python3-aiosmtpd writing a Maildir) and the outbox checks.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, onInterrupt, query, sleep } from './lib.mjs';

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
