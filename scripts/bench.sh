#!/usr/bin/env bash
# Benchmarks: autocomplete latency p50/p95 over the full official list (budget p95 < 20 ms), the board with
# 2,000 cases on SQLite and PostgreSQL (board data p95 < 50 ms, move p95 < 30 ms with 20 concurrent movers) and
# the WASM/JS/CSS sizes of the release build, raw and compressed. Prints the figures; fails over budget.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
build_release

data_dir="$(mktemp -d)"
port="${BENCH_PORT:-3200}"
say "Démarrage du serveur de mesure sur 127.0.0.1:$port…"
DATABASE_URL="sqlite://$data_dir/bench.db" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  RUST_LOG=warn "$SERVER_BIN" >"$data_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$data_dir"' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.5
done

say "Mesures"
node scripts/bench/autocomplete.mjs "http://127.0.0.1:$port" 2000
node scripts/bench/sizes.mjs target/site/pkg

say "Tableau de l'équipe (2 000 cas, SQLite puis PostgreSQL)"
ensure_postgres
cargo build --release -p server --bin bench-tableau
"${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/bench-tableau"
