#!/usr/bin/env bash
# Fault tolerance (issue 6), against the release build: the kill test (50 collectivités filing at once, the
# server killed with SIGKILL and restarted) on SQLite and PostgreSQL, 20 people moving the same cases for 30 s
# on both databases, and PostgreSQL restarted under load (503 in French while it is down, recovery without
# restarting the app). Prints the figures of each; fails at the first loss.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
ensure_postgres
if [ ! -x "$SERVER_BIN" ] || [ ! -d target/site/pkg ]; then
  build_release
fi

say "Arrêt brutal du serveur pendant 50 dépôts simultanés (SQLite puis PostgreSQL)…"
node scripts/fault/kill-test.mjs sqlite
node scripts/fault/kill-test.mjs postgres

say "20 personnes déplacent les mêmes cas pendant 30 secondes (SQLite puis PostgreSQL)…"
node scripts/fault/concurrent-moves.mjs sqlite
node scripts/fault/concurrent-moves.mjs postgres

say "Redémarrage de PostgreSQL sous charge…"
node scripts/fault/pg-restart.mjs

say "Tous les tests de tolérance aux pannes sont passés."
