#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds in release, creates and migrates the SQLite
# database under data/, seeds the demonstration content on first start and serves http://127.0.0.1:3000.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
build_release

export DATABASE_URL="${DATABASE_URL:-sqlite://data/ia-factory.db}"
# The demonstration cases and accounts: only this command asks for them (a bare server never adds them).
export IAF_DEMO="${IAF_DEMO:-1}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
say "Démarrage d'IA Factory sur http://$LEPTOS_SITE_ADDR (base : $DATABASE_URL ; Ctrl+C pour arrêter)"
echo "    Déposer un cas d'usage : http://$LEPTOS_SITE_ADDR/deposer"
echo "    Données de démonstration : 12 cas répartis sur les cinq étapes, ajoutés au premier démarrage."
echo "    Espace équipe : http://$LEPTOS_SITE_ADDR/equipe — comptes de démonstration (mot de passe : territoires-ia-demo) :"
echo "      admin@demo.ia-factory.fr (administration), programme@demo.ia-factory.fr (équipe programme),"
echo "      lecture@demo.ia-factory.fr (lecture seule), direction-regionale@demo.ia-factory.fr (Bretagne),"
echo "      prestataire@demo.ia-factory.fr (prestataire technique d'un cas)"
exec "$SERVER_BIN"
