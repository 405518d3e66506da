#!/usr/bin/env bash
# Open data (issue 16), against the release build: the release server on a fresh SQLite file with the
# demonstration content, then on a fresh SQLite file holding the 10,000 published cases of
# `bench-catalogue generer`; on each, scripts/opendata/validate.py downloads
# /catalogue/bibliotheque-ia-territoriale.csv and /catalogue/dcat.jsonld and checks them with Frictionless
# (the Bibliothèque d'IA territoriales' Table Schema) and rdflib (DCAT-AP). Emails go to files, no antivirus:
# the server needs neither SMTP nor ClamAV here. Prints the timings; fails at the first non-conformity.
# Run by scripts/test.sh after the release build; runs on its own too (it builds what is missing).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
ensure_python_tools
PYTHON="$IAF_VENV/bin/python"
now() { date +%s.%N; }
# Seconds since a time from now(), to a tenth.
since() { LC_ALL=C awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }
check_started="$(now)"
BENCH_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/bench-catalogue"

if [ ! -x "$SERVER_BIN" ] || [ ! -d target/site/pkg ]; then
  build_release
fi
# `cargo leptos build` builds the bin-target `server` only. The generator is built by the same cargo-leptos
# command, so with the same RUSTFLAGS (`--cfg erase_components`) and LEPTOS_* variables: the crates the
# server was just built from are reused (a plain `cargo build` would rebuild the whole release tree).
say "Compilation du générateur de catalogue bench-catalogue (release, moins d'une minute après la compilation du serveur)…"
started="$(now)"
cargo leptos build --release --bin-cargo-args=--bin=bench-catalogue
# That command writes the site's JS and WebAssembly again (and removes the kinds' modules, put back here): their
# precompressed copies are made again too.
install_island_modules
ensure_node
node "$REPO_ROOT/scripts/precompress.mjs" "$REPO_ROOT/target/site/pkg"
echo "    bench-catalogue prêt en $(since "$started") s"

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/iaf-opendata-XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$data_dir"' EXIT

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME DATABASE_URL DEMO: the release server on a free port, in the environment of the embedded
# mode (emails written as files, no antivirus, no public address); sets base_url.
start_server() {
  local name="$1" database_url="$2" demo="$3" port started
  port="$(free_port)"
  base_url="http://127.0.0.1:$port"
  started="$(now)"
  env DATABASE_URL="$database_url" \
    LEPTOS_SITE_ROOT="$REPO_ROOT/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    IAF_DEMO="$demo" IAF_PUBLIC_URL= IAF_PROXY= \
    IAF_SMTP_URL= IAF_COURRIELS_DIR="$data_dir/$name/courriels" \
    IAF_CLAMAV= IAF_PIECES_DIR="$data_dir/$name/pieces" \
    RUST_LOG=warn "$SERVER_BIN" >"$data_dir/$name.log" 2>&1 &
  server_pid=$!
  # Up to 5 minutes: at start-up the server indexes the cases not indexed yet (10,000 after the generator).
  local deadline=$((SECONDS + 300))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "Le serveur ($name) s'est arrêté au démarrage :" >&2
      cat "$data_dir/$name.log" >&2
      exit 1
    fi
    if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$base_url/robots.txt" >/dev/null 2>&1; then
      echo "    serveur prêt sur $base_url en $(since "$started") s (base : $database_url)"
      return
    fi
    sleep 0.1
  done
  echo "Le serveur ($name) ne répond pas sur $base_url après 5 minutes :" >&2
  cat "$data_dir/$name.log" >&2
  exit 1
}

# validate NAME MIN: validate.py against the running server; on failure, the server's log follows.
validate() {
  local name="$1" minimum="$2" started
  started="$(now)"
  if ! "$PYTHON" scripts/opendata/validate.py "$base_url" --expect-min "$minimum"; then
    echo "Journal du serveur ($name) :" >&2
    tail -n 50 "$data_dir/$name.log" >&2
    exit 1
  fi
  echo "    validation ($name) en $(since "$started") s"
}

say "Données ouvertes du catalogue de démonstration (base SQLite neuve, IAF_DEMO=1)…"
start_server demo "sqlite://$data_dir/demo.db" 1
validate demo 1
stop_server

say "Données ouvertes de 10 000 cas publiés (bench-catalogue generer, base SQLite neuve)…"
started="$(now)"
"$BENCH_BIN" generer "sqlite://$data_dir/catalogue.db"
echo "    génération des 10 000 cas en $(since "$started") s"
start_server catalogue "sqlite://$data_dir/catalogue.db" ""
validate catalogue 10000
stop_server

say "Données ouvertes conformes (démonstration et 10 000 cas), en $(since "$check_started") s."
