//! Every address of the team's case pages, declared once: the Leptos router, the axum routes, the redirects
//! after a save, the emails and the pages' links are built here (`routes::case(r).section(Section::Avis)`),
//! never by hand, and the confirmations after a save are one enum (`Saved`) read back by the pages.

use std::fmt::Display;

/// The path segments of a team case page, for the Leptos router (`/equipe/cas/:reference`).
pub const TEAM_SEGMENT: &str = "equipe";
pub const CASES_SEGMENT: &str = "cas";
/// The parameter of a case page's path that holds its reference.
pub const REFERENCE_PARAM: &str = "reference";

/// The routes served by axum handlers of their own (`server/src/http/mod.rs` declares them from here).
pub mod axum_paths {
    /// `POST`: documents added to a draft (multipart, files streamed).
    pub const DRAFT_DOCUMENTS: &str = "/deposer/{token}/pieces";
    /// `POST`: the collectivité writes to the team through its private link (multipart, files streamed).
    pub const LINK_MESSAGES: &str = "/suivi/{token}/messages";
    /// `GET`: a document of the case behind a private link.
    pub const LINK_DOCUMENT: &str = "/suivi/{token}/pieces/{id}";
    /// `GET`: the attestation de dépôt of the case behind a private link.
    pub const ATTESTATION: &str = "/suivi/{token}/attestation.pdf";
    /// The routes whose bodies their handlers stream (the general body limit does not apply to them).
    pub const UPLOADS: [&str; 3] = [DRAFT_DOCUMENTS, LINK_MESSAGES, CASE_MESSAGES];
    /// `POST`: a member writes to the collectivité (multipart, files streamed).
    pub const CASE_MESSAGES: &str = "/equipe/cas/{reference}/messages";
    /// `GET`: a document of the case.
    pub const CASE_DOCUMENT: &str = "/equipe/cas/{reference}/pieces/{id}";
    /// `GET`: one version of the cadrage document as OpenDocument text.
    pub const CADRAGE_ODT: &str = "/equipe/cas/{reference}/cadrage/{numero}/document.odt";
    /// Every route above, with the methods they answer: the list the access test walks.
    pub const CASE_ROUTES: [(&str, &str); 3] = [("POST", CASE_MESSAGES), ("GET", CASE_DOCUMENT), ("GET", CADRAGE_ODT)];
}

/// The pages under a case (the Leptos routes), each with its path after `/equipe/cas/:reference`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CasePage {
    Detail,
    Move,
    Cadrage,
    CadrageVersion,
    CadrageDiff,
    Conception,
    Diffusion,
    Preview,
}

impl CasePage {
    pub const ALL: [CasePage; 8] = [
        CasePage::Detail,
        CasePage::Move,
        CasePage::Cadrage,
        CasePage::CadrageVersion,
        CasePage::CadrageDiff,
        CasePage::Conception,
        CasePage::Diffusion,
        CasePage::Preview,
    ];

    /// The page's path after the case's own, as the Leptos router writes it.
    pub fn router_suffix(self) -> &'static str {
        match self {
            CasePage::Detail => "",
            CasePage::Move => "/deplacer",
            CasePage::Cadrage => "/cadrage",
            CasePage::CadrageVersion => "/cadrage/version/:numero",
            CasePage::CadrageDiff => "/cadrage/comparer",
            CasePage::Conception => "/conception",
            CasePage::Diffusion => "/diffusion",
            CasePage::Preview => "/diffusion/apercu",
        }
    }
}

/// A section of the case page, the target of a link's fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Qualification,
    Comments,
    Prestataire,
    Avis,
    Messages,
}

impl Section {
    pub fn id(self) -> &'static str {
        match self {
            Section::Qualification => "qualification",
            Section::Comments => "commentaires",
            Section::Prestataire => "prestataire",
            Section::Avis => "avis",
            Section::Messages => "messages",
        }
    }
}

/// What a save confirms on the page it returns to (`?enregistre=…`), with its French sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Qualification,
    Comment,
    Prestataire,
    AvisAsked,
    Avis,
    Following,
    NotFollowing,
    CadrageVersion,
    Validation,
    Condition,
    Log,
    Kit,
    Published,
    Withdrawn,
}

impl Saved {
    pub const ALL: [Saved; 14] = [
        Saved::Qualification,
        Saved::Comment,
        Saved::Prestataire,
        Saved::AvisAsked,
        Saved::Avis,
        Saved::Following,
        Saved::NotFollowing,
        Saved::CadrageVersion,
        Saved::Validation,
        Saved::Condition,
        Saved::Log,
        Saved::Kit,
        Saved::Published,
        Saved::Withdrawn,
    ];

    /// The code in the address.
    pub fn code(self) -> &'static str {
        match self {
            Saved::Qualification => "qualification",
            Saved::Comment => "commentaire",
            Saved::Prestataire => "prestataire",
            Saved::AvisAsked => "avis-demande",
            Saved::Avis => "avis",
            Saved::Following => "suivi",
            Saved::NotFollowing => "non-suivi",
            Saved::CadrageVersion => "version",
            Saved::Validation => "validation",
            Saved::Condition => "condition",
            Saved::Log => "journal",
            Saved::Kit => "kit",
            Saved::Published => "publie",
            Saved::Withdrawn => "retire",
        }
    }

    pub fn from_code(code: &str) -> Option<Saved> {
        Saved::ALL.into_iter().find(|saved| saved.code() == code)
    }

    /// What the page says once it is done.
    pub fn message(self) -> &'static str {
        match self {
            Saved::Qualification => "La qualification a été enregistrée.",
            Saved::Comment => "Votre commentaire a été ajouté.",
            Saved::Prestataire => "Le prestataire du cas a été enregistré.",
            Saved::AvisAsked => "La demande d'avis a été envoyée.",
            Saved::Avis => "Votre avis a été enregistré.",
            Saved::Following => {
                "Vous suivez ce dossier : les messages de la collectivité vous seront envoyés par courriel."
            }
            Saved::NotFollowing => "Vous ne suivez plus ce dossier.",
            Saved::CadrageVersion => {
                "La nouvelle version du document de cadrage a été enregistrée. Les validations des versions précédentes ne valent plus : chaque partie doit valider cette version."
            }
            Saved::Validation => "La validation a été enregistrée.",
            Saved::Condition => "La vérification de la condition a été enregistrée.",
            Saved::Log => "L'entrée a été ajoutée au journal de la phase 4.",
            Saved::Kit => "Le kit de diffusion a été enregistré.",
            Saved::Published => "Le cas est publié au catalogue public.",
            Saved::Withdrawn => "Le cas a été retiré du catalogue public.",
        }
    }
}

/// The addresses of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseUrl(String);

/// The addresses of the case of `reference`.
pub fn case(reference: impl Display) -> CaseUrl {
    CaseUrl(format!("/{TEAM_SEGMENT}/{CASES_SEGMENT}/{reference}"))
}

impl CaseUrl {
    /// The case page.
    pub fn page(&self) -> String {
        self.0.clone()
    }

    /// A section of the case page.
    pub fn section(&self, section: Section) -> String {
        format!("{}#{}", self.0, section.id())
    }

    /// The move page (the "Déplacer" menu without JavaScript).
    pub fn move_page(&self) -> String {
        format!("{}/deplacer", self.0)
    }

    pub fn cadrage(&self) -> String {
        format!("{}/cadrage", self.0)
    }

    /// A place in the cadrage page (`validations`, `versions`, a field's `champ-…`).
    pub fn cadrage_at(&self, fragment: &str) -> String {
        format!("{}/cadrage#{fragment}", self.0)
    }

    /// One version of the cadrage document, to read and print.
    pub fn cadrage_version(&self, number: i64) -> String {
        format!("{}/cadrage/version/{number}", self.0)
    }

    /// The differences between two versions of the cadrage document.
    pub fn cadrage_diff(&self, from: i64, to: i64) -> String {
        format!("{}/cadrage/comparer?de={from}&a={to}", self.0)
    }

    /// One version of the cadrage document as OpenDocument text.
    pub fn cadrage_odt(&self, number: i64) -> String {
        format!("{}/cadrage/{number}/document.odt", self.0)
    }

    pub fn conception(&self) -> String {
        format!("{}/conception", self.0)
    }

    /// A place in the conception page (`conditions`, `journal`).
    pub fn conception_at(&self, fragment: &str) -> String {
        format!("{}/conception#{fragment}", self.0)
    }

    pub fn diffusion(&self) -> String {
        format!("{}/diffusion", self.0)
    }

    pub fn preview(&self) -> String {
        format!("{}/diffusion/apercu", self.0)
    }

    /// Where a member posts a message to the collectivité.
    pub fn messages_post(&self) -> String {
        format!("{}/messages", self.0)
    }

    /// A document of the case.
    pub fn document(&self, id: &str) -> String {
        format!("{}/pieces/{id}", self.0)
    }

    /// The case page, or one of its subpages, after a save: with its confirmation, a stamp that makes every
    /// open page read the case again (a version or a time), and the section to show.
    pub fn after_save(&self, page: CasePage, saved: Saved, stamp: Option<(&str, i64)>, fragment: &str) -> String {
        let base = match page {
            CasePage::Detail => self.0.clone(),
            CasePage::Cadrage => self.cadrage(),
            CasePage::Conception => self.conception(),
            CasePage::Diffusion => self.diffusion(),
            CasePage::Move => self.move_page(),
            CasePage::Preview => self.preview(),
            CasePage::CadrageVersion | CasePage::CadrageDiff => self.cadrage(),
        };
        let stamp = stamp.map(|(key, value)| format!("&{key}={value}")).unwrap_or_default();
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        format!("{base}?enregistre={}{stamp}{fragment}", saved.code())
    }
}

/// The page of the case behind a private follow-up link.
pub fn follow_up(token: &str) -> String {
    format!("/suivi/{token}")
}

/// Where a thread's documents are downloaded and its messages posted: on the case page for the team, behind
/// the private link for the collectivité.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreadUrls {
    Case(CaseUrl),
    Link(String),
}

impl ThreadUrls {
    fn base(&self) -> String {
        match self {
            ThreadUrls::Case(url) => url.page(),
            ThreadUrls::Link(token) => follow_up(token),
        }
    }

    pub fn document(&self, id: &str) -> String {
        format!("{}/pieces/{id}", self.base())
    }

    pub fn post(&self) -> String {
        format!("{}/messages", self.base())
    }
}

/// Whether `path` is a team case page or one under it.
pub fn is_case_path(path: &str) -> bool {
    path.starts_with(&format!("/{TEAM_SEGMENT}/{CASES_SEGMENT}/"))
}

/// Whether `path` is an address of the axum route `pattern` (`{name}` stands for one non-empty segment).
pub fn matches_route(pattern: &str, path: &str) -> bool {
    let (mut wanted, mut given) = (pattern.split('/'), path.split('/'));
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                if g.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// Every address of the site a person can open, in French, for the "Adresses du site" screen and the tests.
pub const SITE_MAP: &[(&str, &str)] = &[
    ("/", "Accueil"),
    ("/deposer", "Déposer un cas d'usage (assistant en cinq étapes)"),
    ("/deposer/{jeton}/etape/{n}", "Une étape du brouillon"),
    ("/deposer/{jeton}/recapitulatif", "Récapitulatif avant dépôt"),
    ("/depose/{jeton}", "Accusé de réception"),
    ("/suivi/{jeton}", "Suivi d'un dossier par lien privé"),
    ("/suivi/{jeton}/attestation.pdf", "Attestation de dépôt (PDF)"),
    ("/lien-perdu", "Demander ses liens de suivi"),
    ("/catalogue", "Catalogue public"),
    ("/catalogue/{slug}", "Un cas publié"),
    ("/catalogue.json", "Catalogue en JSON"),
    ("/catalogue.csv", "Catalogue en CSV"),
    ("/catalogue.atom", "Flux Atom"),
    (
        "/catalogue/bibliotheque-ia-territoriale.csv",
        "Bibliothèque d'IA territoriales (CSV)",
    ),
    ("/catalogue/dcat.jsonld", "Catalogue DCAT-AP (JSON-LD)"),
    ("/programme", "Indicateurs du programme"),
    ("/programme/indicateurs.csv", "Indicateurs dans le temps (CSV)"),
    ("/equipe", "Espace équipe : connexion et « À traiter »"),
    ("/equipe/tableau", "Tableau des cinq étapes"),
    ("/equipe/cas", "Liste des cas"),
    ("/equipe/cas/{référence}", "Dossier d'un cas"),
    ("/equipe/cas/{référence}/deplacer", "Déplacer un cas"),
    ("/equipe/cas/{référence}/cadrage", "Document de cadrage"),
    (
        "/equipe/cas/{référence}/cadrage/version/{n}",
        "Une version du cadrage, à imprimer",
    ),
    (
        "/equipe/cas/{référence}/cadrage/comparer",
        "Différences entre deux versions",
    ),
    (
        "/equipe/cas/{référence}/cadrage/{n}/document.odt",
        "Une version du cadrage (OpenDocument)",
    ),
    ("/equipe/cas/{référence}/conception", "Conception et expérimentation"),
    ("/equipe/cas/{référence}/diffusion", "Kit de diffusion"),
    ("/equipe/cas/{référence}/diffusion/apercu", "Aperçu de la publication"),
    ("/equipe/cas/{référence}/pieces/{id}", "Une pièce du dossier"),
    ("/equipe/cas/{référence}/messages", "Écrire à la collectivité (envoi)"),
    ("/equipe/periodes", "Périodes de relève"),
    ("/equipe/comptes", "Comptes de l'équipe"),
    ("/equipe/export/cas.csv", "Export des cas (CSV)"),
    ("/equipe/export/decisions.csv", "Journal des décisions (CSV)"),
    ("/sante", "Le service répond"),
    ("/pret", "Le service est prêt"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_addresses_are_built_from_one_base() {
        let url = case("IAF-2026-00001");
        assert_eq!(url.page(), "/equipe/cas/IAF-2026-00001");
        assert_eq!(url.section(Section::Avis), "/equipe/cas/IAF-2026-00001#avis");
        assert_eq!(url.cadrage_odt(2), "/equipe/cas/IAF-2026-00001/cadrage/2/document.odt");
        assert_eq!(
            url.cadrage_diff(1, 2),
            "/equipe/cas/IAF-2026-00001/cadrage/comparer?de=1&a=2"
        );
        assert_eq!(
            url.after_save(CasePage::Detail, Saved::Comment, Some(("t", 5)), "commentaires"),
            "/equipe/cas/IAF-2026-00001?enregistre=commentaire&t=5#commentaires"
        );
        assert_eq!(
            url.after_save(CasePage::Cadrage, Saved::CadrageVersion, None, ""),
            "/equipe/cas/IAF-2026-00001/cadrage?enregistre=version"
        );
        assert!(matches_route(axum_paths::CASE_MESSAGES, &url.messages_post()));
        assert_eq!(ThreadUrls::Case(url.clone()).post(), url.messages_post());
        assert_eq!(ThreadUrls::Case(url.clone()).document("abc"), url.document("abc"));
        assert!(matches_route(
            axum_paths::LINK_DOCUMENT,
            &ThreadUrls::Link("t".into()).document("abc")
        ));
        assert!(matches_route(
            axum_paths::LINK_MESSAGES,
            &ThreadUrls::Link("t".into()).post()
        ));
        assert!(matches_route(axum_paths::CASE_DOCUMENT, &url.document("abc")));
        assert!(matches_route(axum_paths::CADRAGE_ODT, &url.cadrage_odt(3)));
        assert!(!matches_route(axum_paths::CASE_MESSAGES, "/equipe/cas//messages"));
        assert!(!matches_route(axum_paths::CASE_MESSAGES, "/equipe/cas/A/messages/x"));
        assert!(!matches_route(axum_paths::DRAFT_DOCUMENTS, &url.messages_post()));
    }

    #[test]
    fn every_saved_code_reads_back_as_itself() {
        for saved in Saved::ALL {
            assert_eq!(Saved::from_code(saved.code()), Some(saved));
        }
        assert_eq!(Saved::from_code("autre"), None);
    }

    #[test]
    fn the_axum_routes_are_case_paths_of_the_site_map() {
        for (_, path) in axum_paths::CASE_ROUTES {
            assert!(is_case_path(path), "{path}");
        }
        for page in CasePage::ALL {
            let shown = format!(
                "/equipe/cas/{{référence}}{}",
                page.router_suffix().replace(":numero", "{n}")
            );
            assert!(
                SITE_MAP.iter().any(|(path, _)| *path == shown),
                "{shown} missing from the site map"
            );
        }
    }
}
