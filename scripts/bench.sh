#!/usr/bin/env bash
# Benchmarks: autocomplete latency p50/p95 over the full official list (budget p95 < 20 ms), the WASM/JS/CSS
# sizes of the release build, the board with 2,000 cases (board data p95 < 50 ms, move p95 < 30 ms with 20
# concurrent movers), the board with 2,500 cases in Chromium (first paint < 400 ms, hydrated < 500 ms, a keyboard
# move announced < 50 ms), the catalogue with 10,000 published cases (search p95 < 20 ms) and /programme with 1,000
# deployments × 36 months of usage reports (p95 < 50 ms) on SQLite and PostgreSQL, the first-load weight of the
# public pages (budget 200 KB) and the catalogue's server-rendering throughput, search cache off, against the same
# HTML served as a file (plain, then brotli; budget 50 % each), the throughput of each open-data document served
# from its copy (and revalidated, 304), /catalogue served by one process then three on one PostgreSQL database,
# and Lighthouse 12.2.3 (mobile) on the catalogue, a
# published case, the wizard's first step, the board and a team case page (accessibility 100, performance >= 95),
# with each page's WebAssembly budget (120 KB compressed on a wizard step, 150 KB on the board and a case page,
# none on a public page). Every measurement runs and prints its figures; the command fails at the end when any
# budget was exceeded.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
ensure_chromium
build_release

over_budget=()
# Runs one measurement; a failure is remembered and the report goes on.
measure() {
  if ! "$@"; then
    over_budget+=("$*")
  fi
}

data_dir="$(mktemp -d)"
port="${BENCH_PORT:-3200}"
say "Démarrage du serveur de mesure sur 127.0.0.1:$port…"
DATABASE_URL="sqlite://$data_dir/bench.db" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" IAF_LIMITE_RECHERCHES_PAR_MINUTE=1000000 \
  IAF_DEMO=1 RUST_LOG=warn "$SERVER_BIN" >"$data_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$data_dir"' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.5
done

say "Mesures"
measure node scripts/bench/autocomplete.mjs "http://127.0.0.1:$port" 2000
say "Tailles des fichiers compilés (le budget WebAssembly s'applique à ce que chaque page charge : voir Lighthouse)"
measure node scripts/bench/sizes.mjs target/site/pkg

say "Formulaire et tableau : poids au premier chargement, puis Lighthouse (mobile)"
if [ ! -x "$TOOLS_DIR/node_modules/.bin/lighthouse" ]; then
  say "Installation de Lighthouse 12.2.3 (npm) dans $TOOLS_DIR…"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund lighthouse@12.2.3 >/dev/null
fi
base="http://127.0.0.1:$port"
draft="$(curl -fsS -o /dev/null -w '%{redirect_url}' -X POST -H 'accept: text/html' -H "origin: $base" "$base/api/depot/commencer")"
draft_path="${draft#"$base"}"
# Step 5 of the same draft (its module: the step's form and its documents' progress bar).
data_path="${draft_path%/1}/5"
cookie="$(curl -fsS -o /dev/null -D - -X POST -H 'accept: text/html' -H "origin: $base" \
  --data 'email=programme%40demo.ia-factory.fr&mot_de_passe=territoires-ia-demo' "$base/api/equipe/connexion" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)"
demo_slug="$(curl -fsS "$base/catalogue.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).cas[0].slug))')"
# Each page's whole first load (its module included), as in end2end/tests/weight.spec.ts.
WIZARD_BUDGET=$((145 * 1024))
WIZARD_DATA_BUDGET=$((150 * 1024))
BOARD_BUDGET=$((200 * 1024))
CASE_BUDGET=$((165 * 1024))
case_path="$(curl -fsS -H "cookie: $cookie" "$base/equipe/tableau" | grep -o '/equipe/cas/IAF-[^"#?/]*' | head -n 1)"
# The same budgets as end2end/tests/weight.spec.ts (a wizard step, the board, a case page: each with its module).
BENCH_COOKIE="$cookie" measure node scripts/bench/first-load.mjs "$base" "$draft_path=$WIZARD_BUDGET" "$data_path=$WIZARD_DATA_BUDGET" \
  "/equipe/tableau=$BOARD_BUDGET" "$case_path=$CASE_BUDGET"
# Lighthouse in the same run: performance >= 95 and each page's WebAssembly under its budget (120 / 150 KB).
BENCH_COOKIE="$cookie" measure node scripts/bench/lighthouse.mjs "$base" /catalogue "/catalogue/$demo_slug" "$draft_path" "$data_path" \
  /equipe/tableau "$case_path"

say "Tableau de l'équipe (2 000 cas, SQLite puis PostgreSQL)"
ensure_postgres
cargo build --release -p server --no-default-features --features ssr --bin bench-tableau --bin bench-catalogue \
  --bin bench-programme --bin bench-similar
bins="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release"
measure "$bins/bench-tableau"
say "Tableau dans Chromium : 2 500 cas, premier affichage, hydratation, annonce d'un déplacement au clavier"
measure node scripts/bench/board-browser.mjs

say "Catalogue public (10 000 cas publiés, SQLite puis PostgreSQL)"
measure "$bins/bench-catalogue"

say "Le programme en chiffres (1 000 déploiements × 36 mois de relevés, SQLite puis PostgreSQL)"
measure "$bins/bench-programme"

say "Cas proches (10 000 cas publiés aux textes réalistes, SQLite puis PostgreSQL)"
measure "$bins/bench-similar"

say "Catalogue servi : poids au premier chargement et débit (serveur release, 10 000 cas publiés)"
if [ ! -d "$TOOLS_DIR/node_modules/autocannon" ]; then
  say "Installation de l'outil de charge autocannon (npm) dans $TOOLS_DIR…"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund autocannon@7.15.0 >/dev/null
fi
kill $server_pid 2>/dev/null || true
"$bins/bench-catalogue" generer "sqlite://$data_dir/catalogue.db"
DATABASE_URL="sqlite://$data_dir/catalogue.db" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" IAF_LIMITE_RECHERCHES_PAR_MINUTE=1000000 IAF_CATALOGUE_CACHE_SECONDS=0 \
  RUST_LOG=warn "$SERVER_BIN" >"$data_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.5
done
slug="$(curl -fsS "http://127.0.0.1:$port/catalogue.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).cas[0].slug))')"
measure node scripts/bench/first-load.mjs "http://127.0.0.1:$port" /catalogue=204800 "/catalogue/$slug=204800" /programme=204800 /deposer /equipe/connexion
measure node scripts/bench/throughput.mjs "http://127.0.0.1:$port" target/site
say "Dépôt par HTTP : 2 000 cas, 8 à la fois (14 000 requêtes ; budget ≥ 2 000 req/s sur SQLite), puis PostgreSQL"
measure node scripts/bench/filing.mjs sqlite
measure node scripts/bench/filing.mjs postgres
say "Déplacements sur le tableau par HTTP : 20 comptes sur les mêmes cas, 10 s (budget p95 < 30 ms), SQLite puis PostgreSQL"
MOVES_P95_BUDGET_MS=30 FAULT_SECONDS=10 measure node scripts/fault/concurrent-moves.mjs sqlite
MOVES_P95_BUDGET_MS=30 FAULT_SECONDS=10 measure node scripts/fault/concurrent-moves.mjs postgres
say "Données ouvertes servies depuis leurs copies (10 000 cas publiés) : débit de chaque document, puis en 304"
measure node scripts/bench/open-data.mjs "http://127.0.0.1:$port"
say "/catalogue servi par 1 puis 3 processus sur une même base PostgreSQL (10 000 cas publiés, cache coupé)"
measure node scripts/bench/processes.mjs

if [ "${#over_budget[@]}" -gt 0 ]; then
  say "Budgets dépassés :"
  printf '  - %s\n' "${over_budget[@]}"
  exit 1
fi
say "Tous les budgets sont respectés."
