//! The plan du site: every address a person can open, with what it is, in French, in one screen of code.

use super::{AGENT_HOME, AGENT_SIGN_IN, PROCONNECT_RETURN, PROCONNECT_START, TEAM_DEPLOYMENTS, TEAM_LIBRARY};

/// A page of the site: its address and what it is, in French.
pub type SitePage = (&'static str, &'static str);

/// The plan du site, for people (RGAA 12.1; `/sitemap.xml` is the robots').
pub const SITE_MAP_PAGE: &str = "/plan-du-site";

/// The pages of the plan du site: the addresses of `SITE_MAP` a person opens as a page (no parameter, no file
/// or feed, no machine endpoint), the public ones first, then the team's.
pub fn site_map_sections() -> (Vec<SitePage>, Vec<SitePage>) {
    SITE_MAP
        .iter()
        .copied()
        .filter(|(path, _)| {
            !path.contains('{')
                && !path.rsplit('/').next().unwrap_or_default().contains('.')
                && !["/sante", "/pret", "/equipe/flux", PROCONNECT_START, PROCONNECT_RETURN].contains(path)
        })
        .partition(|(path, _)| !path.starts_with("/equipe"))
}

/// Every address of the site a person can open, with what it is, in French (a test holds the case pages to it).
pub const SITE_MAP: &[SitePage] = &[
    ("/", "Accueil"),
    ("/deposer", "Déposer un cas d'usage"),
    (
        "/deposer/{token}/etape/{etape}",
        "Une étape du dépôt (assistant en cinq étapes)",
    ),
    ("/deposer/{token}/recu", "Accusé de réception du dépôt"),
    ("/deposer/{token}/pieces", "Ajouter des pièces au brouillon (envoi)"),
    ("/suivi/{token}", "Suivi d'un dossier par lien privé"),
    ("/suivi/{token}/messages", "Écrire à l'équipe (envoi)"),
    ("/suivi/{token}/pieces/{id}", "Une pièce du dossier, par lien privé"),
    ("/suivi/{token}/attestation.pdf", "Attestation de dépôt (PDF)"),
    ("/lien-perdu", "Demander ses liens de suivi"),
    ("/catalogue", "Catalogue public"),
    ("/catalogue/{slug}", "Un cas publié"),
    (
        "/catalogue/bibliotheque/{slug}",
        "Un projet de la Bibliothèque d'IA territoriales",
    ),
    ("/catalogue.json", "Catalogue en JSON"),
    ("/catalogue.csv", "Catalogue en CSV"),
    ("/catalogue.atom", "Flux Atom des publications"),
    (
        "/catalogue/bibliotheque-ia-territoriale.csv",
        "Le catalogue au format de la Bibliothèque d'IA territoriales",
    ),
    ("/catalogue/dcat.jsonld", "Le catalogue en DCAT-AP (JSON-LD)"),
    ("/programme", "Indicateurs du programme"),
    ("/programme/indicateurs.csv", "Indicateurs dans le temps (CSV)"),
    ("/docs/catalogue-donnees-ouvertes", "Schéma des données ouvertes"),
    (
        "/docs/correspondances-registres",
        "Correspondances avec les autres registres",
    ),
    ("/donnees-personnelles", "Données personnelles"),
    ("/mentions-legales", "Mentions légales"),
    ("/accessibilite", "Accessibilité"),
    (SITE_MAP_PAGE, "Plan du site"),
    ("/sitemap.xml", "Plan du site pour les moteurs de recherche"),
    ("/robots.txt", "Consignes aux robots"),
    ("/sante", "Le service répond"),
    ("/pret", "Le service est prêt"),
    (AGENT_SIGN_IN, "Connexion des agents des collectivités (ProConnect)"),
    (AGENT_HOME, "Espace de la collectivité"),
    (
        "/collectivite/cas/{reference}",
        "Un cas de la collectivité : son étape et ses messages",
    ),
    (
        "/collectivite/cas/{reference}/messages",
        "Écrire à l'équipe depuis l'espace collectivité (envoi)",
    ),
    (
        "/collectivite/cas/{reference}/pieces/{id}",
        "Une pièce d'un cas, depuis l'espace collectivité",
    ),
    (
        "/collectivite/cas/{reference}/cadrage",
        "Document de cadrage d'un cas, à valider par la collectivité",
    ),
    (
        "/collectivite/deploiements/{id}",
        "Un déploiement de la collectivité : son statut et ses relevés d'usage",
    ),
    ("/equipe/connexion", "Connexion de l'équipe"),
    (
        TEAM_DEPLOYMENTS,
        "Les déploiements des cas publiés et leurs relevés d'usage",
    ),
    (
        TEAM_LIBRARY,
        "La Bibliothèque d'IA territoriales : dernier import et projets en double",
    ),
    (PROCONNECT_START, "Se connecter avec ProConnect (vers ProConnect)"),
    (PROCONNECT_RETURN, "Retour de ProConnect après la connexion"),
    ("/equipe", "Espace équipe : « À traiter »"),
    ("/equipe/tableau", "Tableau des cinq étapes"),
    ("/equipe/flux", "Mises à jour en direct du tableau (flux)"),
    ("/equipe/cas", "Liste des cas"),
    ("/equipe/cas/{reference}", "Dossier d'un cas"),
    ("/equipe/cas/{reference}/deplacer", "Déplacer un cas"),
    ("/equipe/cas/{reference}/cadrage", "Document de cadrage"),
    (
        "/equipe/cas/{reference}/cadrage/version/{numero}",
        "Une version du cadrage, à imprimer",
    ),
    (
        "/equipe/cas/{reference}/cadrage/comparer",
        "Différences entre deux versions du cadrage",
    ),
    (
        "/equipe/cas/{reference}/cadrage/{numero}/document.odt",
        "Une version du cadrage (OpenDocument)",
    ),
    ("/equipe/cas/{reference}/conception", "Conception et implémentation"),
    ("/equipe/cas/{reference}/diffusion", "Kit de diffusion"),
    (
        "/equipe/cas/{reference}/diffusion/apercu",
        "Aperçu de la fiche publique",
    ),
    ("/equipe/cas/{reference}/pieces/{id}", "Une pièce du dossier"),
    ("/equipe/cas/{reference}/messages", "Écrire à la collectivité (envoi)"),
    ("/equipe/periodes", "Périodes de relève"),
    ("/equipe/comptes", "Comptes de l'équipe"),
    ("/equipe/journal-connexions", "Journal des connexions"),
    ("/equipe/courriels", "Courriels envoyés"),
    ("/equipe/sessions", "Mes sessions"),
    ("/equipe/mot-de-passe", "Changer de mot de passe"),
    ("/equipe/mot-de-passe-oublie", "Mot de passe oublié"),
    ("/equipe/invitation/{token}", "Accepter une invitation"),
    ("/equipe/reinitialisation/{token}", "Choisir un nouveau mot de passe"),
    (
        "/equipe/export/{fichier}",
        "Exports de l'équipe : cas, décisions, déploiements, relevés, indicateurs (CSV, ODS, XLSX)",
    ),
    ("/equipe/export/personne.json", "Données d'une personne (RGPD)"),
];
