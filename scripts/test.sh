#!/usr/bin/env bash
# Command 2 of the README: installs what the tests need (build tools, Debian Chromium, PostgreSQL, the SMTP
# server aiosmtpd, the ClamAV daemon and poppler-utils, the end2end npm packages, the OpenID provider configured
# like ProConnect (npm oidc-provider), Frictionless, rdflib and the S3 server moto from
# PyPI in a virtual environment) and runs everything: formatting, clippy on both targets, unit tests (with the
# house's checks of the source tree), server tests on SQLite and
# PostgreSQL, the open data of the release build validated by Frictionless (Table Schema) and rdflib (DCAT-AP)
# on the demonstration content and on 10,000 published cases, cargo deny and cargo audit, the backup and
# restore of 10,000 cases, the fast fault drills (scripts/fault/fast.sh; the long ones are scripts/fault.sh),
# then Playwright with JavaScript on and off against the release build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
ensure_chromium
ensure_postgres
ensure_smtp_server
ensure_clamav
ensure_end2end_packages
ensure_oidc_provider
ensure_python_tools

say "Vérification du formatage (cargo fmt)…"
cargo fmt --all -- --check

say "Clippy, avertissements comme erreurs (serveur et WebAssembly)…"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

run_audits

say "Tests unitaires et tests serveur (SQLite et PostgreSQL)…"
cargo test --workspace

build_release

say "Données ouvertes : validation Frictionless et DCAT-AP (démo et 10 000 cas)…"
bash scripts/opendata/check.sh

say "Sauvegarde et restauration à 10 000 cas (SQLite et PostgreSQL)…"
bash scripts/bench/backup.sh

say "Exercices de panne, variantes rapides (arrêt brutal, panne de PostgreSQL, déplacements concurrents, disque plein)…"
bash scripts/fault/fast.sh

say "Tests de bout en bout (Playwright, Chromium ; avec et sans JavaScript)…"
(cd end2end && npx playwright test)

say "Tous les tests sont passés."
