#!/usr/bin/env bash
# Fault drills (issue 18), long variants, against the release build (the fast variants run in scripts/test.sh,
# through scripts/fault/fast.sh): the server killed with SIGKILL at five random moments while 50 collectivités
# file, on SQLite and PostgreSQL; 20 accounts moving 6 cases for 30 s on both; PostgreSQL stopped with
# `-m immediate` for 8 s under filers, movers and readers; SQLite on a full disk. Each drill reads the results
# in the database itself and prints its figures; the script stops at the first failing drill.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_postgres
ensure_smtp_server
if [ ! -x "$SERVER_BIN" ] || [ ! -d target/site/pkg ]; then
  ensure_build_tools
  build_release
fi

say "Arrêt brutal du serveur pendant 50 dépôts simultanés, 5 fois (SQLite puis PostgreSQL)…"
node scripts/fault/kill-test.mjs sqlite long
node scripts/fault/kill-test.mjs postgres long

say "20 comptes déplacent 6 cas pendant 30 secondes (SQLite puis PostgreSQL)…"
node scripts/fault/concurrent-moves.mjs sqlite long
node scripts/fault/concurrent-moves.mjs postgres long

say "Arrêt brutal de PostgreSQL sous charge…"
node scripts/fault/pg-crash.mjs long

say "Disque plein (SQLite sur un petit tmpfs)…"
node scripts/fault/disk-full.mjs long

say "Tous les exercices de panne sont passés."
