#!/usr/bin/env bash
# The fast variants of the fault drills (issue 18), run by scripts/test.sh against the release build, in under
# 4 minutes: the kill drill (50 collectivités, 5 SIGKILL) on SQLite and PostgreSQL, PostgreSQL stopped with
# `-m immediate` under filers, movers and readers, 20 accounts moving 6 cases for 8 s on both databases, and SQLite
# on a full disk (a small tmpfs, mounted as root). Each prints its figures in French; the script fails if any drill fails.
# The long variants: scripts/fault.sh. Needs: the release server (IAF_SERVER_BIN, or CARGO_TARGET_DIR/release/
# server, or target/release/server) and target/site, Node 20, sqlite3, psql and the local PostgreSQL cluster
# (TEST_POSTGRES_URL), Debian's python3-aiosmtpd, root for mount and pg_ctlcluster.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
export IAF_SERVER_BIN="${IAF_SERVER_BIN:-${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/server}"
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5432}"

if [ ! -x "$IAF_SERVER_BIN" ] || [ ! -d target/site/pkg ]; then
  echo "Exercices de panne : la version release est introuvable ($IAF_SERVER_BIN, target/site/pkg)." >&2
  exit 1
fi

began=$SECONDS
failed=()
logs="$(mktemp -d "${TMPDIR:-/tmp}/iaf-fault-fast.XXXXXX")"
pids=()
# Interrupted: the drills running in the background clean up after themselves (servers, mounts, clusters).
trap 'rm -rf "$logs"' EXIT
trap 'for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait; exit 130' INT TERM

# Runs one drill and records its name when it fails (the others still run).
drill() {
  local name="$1"
  shift
  local start=$SECONDS
  if node "$@"; then
    echo "  ($name : $((SECONDS - start)) s)"
  else
    echo "  ($name : ÉCHEC après $((SECONDS - start)) s)"
    failed+=("$name")
  fi
}

# The kill drills and the PostgreSQL crash run side by side (each on its own database, the crash on a PostgreSQL
# cluster of its own): most of their time is spent waiting for the emails a killed sender had claimed, which stay
# leased for 120 s; they wait together. Their figures are printed one drill after the other.
printf '\n==> Exercices de panne, variantes rapides\n'
start=$SECONDS
names=("arrêt brutal SQLite" "arrêt brutal PostgreSQL" "arrêt de PostgreSQL")
node scripts/fault/kill-test.mjs sqlite >"$logs/1.txt" 2>&1 &
pids+=($!)
node scripts/fault/kill-test.mjs postgres >"$logs/2.txt" 2>&1 &
pids+=($!)
node scripts/fault/pg-crash.mjs >"$logs/3.txt" 2>&1 &
pids+=($!)
for i in 0 1 2; do
  if wait "${pids[$i]}"; then ok=1; else ok=0; fi
  cat "$logs/$((i + 1)).txt"
  [ "$ok" = 1 ] || failed+=("${names[$i]}")
done
echo "  (arrêts brutaux et arrêt de PostgreSQL, en parallèle : $((SECONDS - start)) s)"

drill "déplacements SQLite" scripts/fault/concurrent-moves.mjs sqlite
drill "déplacements PostgreSQL" scripts/fault/concurrent-moves.mjs postgres
drill "disque plein" scripts/fault/disk-full.mjs

echo
if [ "${#failed[@]}" -gt 0 ]; then
  echo "Exercices de panne en échec ($((SECONDS - began)) s) : ${failed[*]}" >&2
  exit 1
fi
echo "Exercices de panne (variantes rapides) réussis en $((SECONDS - began)) s."
