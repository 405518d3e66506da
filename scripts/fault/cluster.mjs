// A PostgreSQL cluster of the drill's own, crashed with `pg_ctlcluster … stop -m immediate` and started again.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { freePort, onInterrupt, sleep } from './lib.mjs';

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
