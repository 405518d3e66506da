#!/usr/bin/env bash
# Backup and restore at 10,000 published cases (issue 18), on SQLite and PostgreSQL: fills a fresh database
# with `bench-catalogue generer`, times `server sauvegarder` and `server restaurer` (which checks the count and
# SHA-256 of every table against the archive's manifest) into a fresh database, checks that a restore refuses a
# database that holds anything, and prints the figures. Budget: 60 s for each backup and each restore.
# Needs the release `server` and `bench-catalogue` (built by scripts/opendata/check.sh).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$REPO_ROOT"
ensure_postgres

BENCH_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/bench-catalogue"
BUDGET_SECONDS=60
if [ ! -x "$BENCH_BIN" ] || [ ! -x "$SERVER_BIN" ]; then
  echo "Compilez d'abord server et bench-catalogue en release (scripts/opendata/check.sh le fait)." >&2
  exit 1
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/iaf-backup-XXXXXX")"
pg_names=()
cleanup() {
  for name in "${pg_names[@]}"; do
    psql "$TEST_POSTGRES_URL/postgres" -q -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fresh_pg() {
  local name="iaf_backup_$$_$1"
  psql "$TEST_POSTGRES_URL/postgres" -q -c "CREATE DATABASE $name" >/dev/null
  pg_names+=("$name")
  echo "$TEST_POSTGRES_URL/$name"
}
seconds_of() { sed -n 's/.* en \([0-9.]*\) s$/\1/p' <<<"$1"; }
over_budget=0
check_budget() {
  local what="$1" seconds="$2"
  if awk -v s="$seconds" -v b="$BUDGET_SECONDS" 'BEGIN { exit !(s > b) }'; then
    echo "ÉCHEC : $what en $seconds s, au-delà du budget de $BUDGET_SECONDS s." >&2
    over_budget=1
  fi
}

for kind in sqlite postgres; do
  if [ "$kind" = sqlite ]; then
    source_url="sqlite://$work/source.db"
    target_url="sqlite://$work/restauree.db"
    label="SQLite"
  else
    source_url="$(fresh_pg source)"
    target_url="$(fresh_pg cible)"
    label="PostgreSQL"
  fi
  say "Sauvegarde et restauration de 10 000 cas ($label)…"
  mkdir -p "$work/$kind/pieces" "$work/$kind/pieces-restaurees"
  # A few documents, so that the archive carries the documents folder too.
  for i in 1 2 3; do head -c 200000 /dev/urandom >"$work/$kind/pieces/piece-$i.bin"; done
  "$BENCH_BIN" generer "$source_url" >/dev/null
  backup="$(DATABASE_URL="$source_url" IAF_PIECES_DIR="$work/$kind/pieces" "$SERVER_BIN" sauvegarder "$work/$kind.tar")"
  echo "    $backup"
  restore="$(DATABASE_URL="$target_url" IAF_PIECES_DIR="$work/$kind/pieces-restaurees" "$SERVER_BIN" restaurer "$work/$kind.tar")"
  echo "    $restore"
  if DATABASE_URL="$target_url" IAF_PIECES_DIR="$work/$kind/pieces-restaurees" "$SERVER_BIN" restaurer "$work/$kind.tar" 2>"$work/refus.txt"; then
    echo "ÉCHEC : la restauration a écrasé une base qui n'était pas vide." >&2
    exit 1
  fi
  echo "    refus sur une base non vide : $(head -c 120 "$work/refus.txt")…"
  cmp -s "$work/$kind/pieces/piece-2.bin" "$work/$kind/pieces-restaurees/piece-2.bin" || { echo "ÉCHEC : pièce différente après restauration." >&2; exit 1; }
  check_budget "la sauvegarde ($label)" "$(seconds_of "$backup")"
  check_budget "la restauration ($label)" "$(seconds_of "$restore")"
done
[ "$over_budget" -eq 0 ] || exit 1
echo "    => sauvegardes et restaurations vérifiées table par table, dans le budget de $BUDGET_SECONDS s."
