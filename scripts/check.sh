#!/usr/bin/env bash
# The development loop, before each commit (minutes, not the half hour of scripts/test.sh): formatting, clippy
# with warnings as errors on the server target (ssr) and the WebAssembly target (hydrate), the domain's unit
# tests with the house's checks (area table, module cycles, file sizes, access and URLs in one place each), then
# the server's tests on SQLite only (IAF_TEST_DB=sqlite): no PostgreSQL needed. Prints how long each step took.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_rust
ensure_build_packages

started=$SECONDS
step() {
  local label="$1"
  shift
  local at=$SECONDS
  say "$label"
  "$@"
  printf '    (%d s)\n' "$((SECONDS - at))"
}

step "Formatage (cargo fmt)…" cargo fmt --all -- --check
step "Clippy, serveur (ssr)…" cargo clippy --workspace --all-targets -- -D warnings
step "Clippy, WebAssembly (hydrate)…" \
  cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
step "Tests du domaine et de la maison…" cargo test -p app --lib --features ssr
step "Tests serveur sur SQLite seulement (IAF_TEST_DB=sqlite)…" \
  env IAF_TEST_DB=sqlite cargo test -p server --lib --test http

say "Vérifications terminées en $((SECONDS - started)) s."
