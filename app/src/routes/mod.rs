//! Every address of the team's case pages, declared once: the Leptos router (`app.rs`) is written with these
//! segments, the axum router (`server/src/http/mod.rs`) with these paths, and the redirects after a save, the
//! emails and the pages' links are built here (`routes::case(r).section(Section::Avis)`), never by hand; the
//! confirmations after a save are one enum (`Saved`) read back by the pages. `SITE_MAP` lists every address a
//! person can open, in one screen of code.

use std::fmt::Display;

mod exports;
mod site_map;
pub use exports::{parse_team_export, team_export, SheetFormat, TeamExport};
pub use site_map::{site_map_sections, SitePage, SITE_MAP, SITE_MAP_PAGE};

/// The page where a collectivité asks for its follow-up links again (« Lien perdu ? »).
pub const LOST_LINK: &str = "/lien-perdu";

/// The path segments of a team case page, for the Leptos router (`/equipe/cas/:reference`).
pub const TEAM_SEGMENT: &str = "equipe";
pub const CASES_SEGMENT: &str = "cas";
/// The parameter of a case page's path that holds its reference.
pub const REFERENCE_PARAM: &str = "reference";
/// The segments of the pages under a case page.
pub const MOVE_SEGMENT: &str = "deplacer";
pub const CADRAGE_SEGMENT: &str = "cadrage";
pub const VERSION_SEGMENT: &str = "version";
pub const COMPARE_SEGMENT: &str = "comparer";
pub const CONCEPTION_SEGMENT: &str = "conception";
pub const DIFFUSION_SEGMENT: &str = "diffusion";
pub const PREVIEW_SEGMENT: &str = "apercu";

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
    /// `POST`: a signed-in agent writes to the team from the collectivité's space (multipart, files streamed).
    pub const AGENT_MESSAGES: &str = "/collectivite/cas/{reference}/messages";
    /// `GET`: a document of a case of the signed-in agent's collectivité.
    pub const AGENT_DOCUMENT: &str = "/collectivite/cas/{reference}/pieces/{id}";
    /// The routes whose bodies their handlers stream (the general body limit does not apply to them).
    pub const UPLOADS: [&str; 4] = [DRAFT_DOCUMENTS, LINK_MESSAGES, CASE_MESSAGES, AGENT_MESSAGES];
    /// `POST`: a member writes to the collectivité (multipart, files streamed).
    pub const CASE_MESSAGES: &str = "/equipe/cas/{reference}/messages";
    /// `GET`: a document of the case.
    pub const CASE_DOCUMENT: &str = "/equipe/cas/{reference}/pieces/{id}";
    /// `GET`: one version of the cadrage document as OpenDocument text.
    pub const CADRAGE_ODT: &str = "/equipe/cas/{reference}/cadrage/{numero}/document.odt";
    /// The team's live stream and exports, served by axum handlers.
    pub const TEAM_STREAM: &str = "/equipe/flux";
    pub const CASES_EXPORT: &str = "/equipe/export/cas.csv";
    pub const TRAIL_EXPORT: &str = "/equipe/export/decisions.csv";
    pub const PERSON_EXPORT: &str = "/equipe/export/personne.json";
    /// Every table of `TeamExport` in every `SheetFormat` (`/equipe/export/cas.ods`).
    pub const TEAM_EXPORT: &str = "/equipe/export/{fichier}";
    pub const TEAM_FILES: [&str; 3] = [TEAM_STREAM, TEAM_EXPORT, PERSON_EXPORT];
    /// The case routes above, with the methods they answer: the list the access test walks.
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
        format!("{}/{MOVE_SEGMENT}", self.0)
    }

    pub fn cadrage(&self) -> String {
        format!("{}/{CADRAGE_SEGMENT}", self.0)
    }

    /// A place in the cadrage page (`validations`, `versions`, a field's `champ-…`).
    pub fn cadrage_at(&self, fragment: &str) -> String {
        format!("{}#{fragment}", self.cadrage())
    }

    /// One version of the cadrage document, to read and print.
    pub fn cadrage_version(&self, number: i64) -> String {
        format!("{}/{VERSION_SEGMENT}/{number}", self.cadrage())
    }

    /// The differences between two versions of the cadrage document.
    pub fn cadrage_diff(&self, from: i64, to: i64) -> String {
        format!("{}/{COMPARE_SEGMENT}?de={from}&a={to}", self.cadrage())
    }

    /// One version of the cadrage document as OpenDocument text.
    pub fn cadrage_odt(&self, number: i64) -> String {
        format!("{}/{number}/document.odt", self.cadrage())
    }

    pub fn conception(&self) -> String {
        format!("{}/{CONCEPTION_SEGMENT}", self.0)
    }

    /// A place in the conception page (`conditions`, `journal`).
    pub fn conception_at(&self, fragment: &str) -> String {
        format!("{}#{fragment}", self.conception())
    }

    pub fn diffusion(&self) -> String {
        format!("{}/{DIFFUSION_SEGMENT}", self.0)
    }

    pub fn preview(&self) -> String {
        format!("{}/{PREVIEW_SEGMENT}", self.diffusion())
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
    /// open page read the case again (a version or a time), and the section to show. A version or the
    /// differences of the cadrage are read-only: a save from them returns to the cadrage page.
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

/// A step of the intake's wizard, behind the draft's private link.
pub fn intake_step(token: &str, etape: i32) -> String {
    format!("/deposer/{token}/etape/{etape}")
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
    /// A case of the signed-in agent's collectivité, by its reference.
    Agent(String),
}

impl ThreadUrls {
    fn base(&self) -> String {
        match self {
            ThreadUrls::Case(url) => url.page(),
            ThreadUrls::Link(token) => follow_up(token),
            ThreadUrls::Agent(reference) => agent_case(reference),
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

/// Signing in with ProConnect: where it starts (`?retour=`), and where ProConnect sends the browser back.
pub const PROCONNECT_START: &str = "/connexion/proconnect";
pub const PROCONNECT_RETURN: &str = "/connexion/proconnect/retour";

/// The team's sign-in page, and the team's home where sign-in leads by default.
pub const SIGN_IN: &str = "/equipe/connexion";
pub const TEAM_HOME: &str = "/equipe";

/// The team's pages that a person reaches before signing in.
const SIGNED_OUT_PAGES: [&str; 4] = [
    SIGN_IN,
    "/equipe/invitation",
    "/equipe/reinitialisation",
    "/equipe/mot-de-passe-oublie",
];

/// A page of the team's space (behind the sign-in): what shows the team's menu.
pub fn is_team_page(path: &str) -> bool {
    (path == TEAM_HOME || path.starts_with("/equipe/")) && !SIGNED_OUT_PAGES.iter().any(|page| path.starts_with(page))
}

/// A team page that a signed-out request is sent away from, to the sign-in page: every team page but the
/// addresses axum serves itself (the live stream, the exports, the documents), which answer 401.
pub fn needs_sign_in(path: &str) -> bool {
    is_team_page(path)
        && !axum_paths::TEAM_FILES
            .iter()
            .any(|pattern| matches_route(pattern, path))
        && !axum_paths::CASE_ROUTES
            .iter()
            .any(|(_, pattern)| matches_route(pattern, path))
}

/// The sign-in page, asked to return to `asked` (a path with its query) once signed in; none for the
/// team's home, where it leads anyway.
pub fn sign_in_then(asked: &str) -> String {
    if asked == TEAM_HOME || asked.is_empty() {
        SIGN_IN.to_string()
    } else {
        format!("{SIGN_IN}?retour={}", crate::domain::text::encode_component(asked))
    }
}

/// The collectivités' space (agents signed in with ProConnect): its sign-in page and its home.
pub const AGENT_SIGN_IN: &str = "/collectivite/connexion";
pub const AGENT_HOME: &str = "/collectivite";

/// A page of the collectivités' space behind the sign-in.
pub fn is_agent_page(path: &str) -> bool {
    (path == AGENT_HOME || path.starts_with("/collectivite/")) && !path.starts_with(AGENT_SIGN_IN)
}

/// A case of the collectivité, as its agent follows it: its stage and its thread with the team.
pub fn agent_case(reference: &str) -> String {
    format!("{AGENT_HOME}/cas/{reference}")
}

/// The cadrage of a case, as an agent of its collectivité reads and validates it.
pub fn agent_cadrage(reference: &str) -> String {
    format!("{}/cadrage", agent_case(reference))
}

/// The team's list of deployments.
pub const TEAM_DEPLOYMENTS: &str = "/equipe/deploiements";

/// A deployment in the team's list.
pub fn team_deployment(id: i64) -> String {
    format!("{TEAM_DEPLOYMENTS}#deploiement-{id}")
}

/// A published case's page in the catalogue.
pub fn catalogue_case(slug: &str) -> String {
    format!("/catalogue/{slug}")
}

/// The team's page of the Bibliothèque d'IA territoriales: its last import and the pairs to decide.
pub const TEAM_LIBRARY: &str = "/equipe/bibliotheque";

/// A project of the Bibliothèque d'IA territoriales in the catalogue.
pub fn library_project(slug: &str) -> String {
    format!("/catalogue/bibliotheque/{slug}")
}

/// A deployment of the collectivité: its status and its monthly usage reports.
pub fn agent_deployment(id: i64) -> String {
    format!("{AGENT_HOME}/deploiements/{id}")
}

/// The report form of a deployment filled with `fields` (after a refusal), correcting the report at version
/// `correcting` if any, with `flag` (`deja`, `perime`) telling what the store refused.
pub fn agent_deployment_report(id: i64, fields: &[(&str, String)], correcting: Option<i64>, flag: &str) -> String {
    let mut query: Vec<String> = fields
        .iter()
        // A figure is short: longer text is cut, so that the address stays one a browser follows.
        .map(|(name, value)| {
            let value: String = value.chars().take(40).collect();
            format!("{name}={}", crate::domain::text::encode_component(&value))
        })
        .collect();
    if let Some(version) = correcting {
        query.push(format!("corrige={version}"));
    }
    if !flag.is_empty() {
        query.push(format!("refus={flag}"));
    }
    format!("{}?{}#releve", agent_deployment(id), query.join("&"))
}

/// The agents' sign-in page, asked to return to `asked` once signed in; none for the space's home.
pub fn agent_sign_in_then(asked: &str) -> String {
    if asked == AGENT_HOME || asked.is_empty() {
        AGENT_SIGN_IN.to_string()
    } else {
        format!(
            "{AGENT_SIGN_IN}?retour={}",
            crate::domain::text::encode_component(asked)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_du_site_lists_pages_not_files_nor_machine_addresses() {
        let (public, team) = site_map_sections();
        assert!(public.contains(&("/", "Accueil")) && public.contains(&(SITE_MAP_PAGE, "Plan du site")));
        assert!(team.contains(&("/equipe/connexion", "Connexion de l'équipe")));
        let all: Vec<&str> = public.iter().chain(team.iter()).map(|(path, _)| *path).collect();
        for hidden in [
            "/catalogue.csv",
            "/sitemap.xml",
            "/sante",
            "/equipe/flux",
            "/suivi/{token}",
        ] {
            assert!(!all.contains(&hidden), "{hidden}");
        }
        assert!(public.iter().all(|(path, _)| !path.starts_with("/equipe")));
    }

    #[test]
    fn a_signed_out_page_request_goes_to_sign_in_with_the_page_asked() {
        assert!(needs_sign_in("/equipe/tableau"));
        assert!(needs_sign_in(&case("IAF-2026-00001").cadrage()));
        assert!(!needs_sign_in("/equipe/connexion"));
        assert!(!needs_sign_in("/equipe/reinitialisation/abc"));
        assert!(!needs_sign_in("/equipe/flux"));
        assert!(!needs_sign_in("/equipe/export/cas.csv"));
        assert!(!needs_sign_in(&case("IAF-2026-00001").document("abc")));
        assert!(!needs_sign_in(&case("IAF-2026-00001").cadrage_odt(1)));
        assert!(!needs_sign_in("/catalogue"));
        assert_eq!(sign_in_then("/equipe"), "/equipe/connexion");
        assert_eq!(
            sign_in_then("/equipe/cas/IAF-2026-00001?enregistre=avis"),
            "/equipe/connexion?retour=%2Fequipe%2Fcas%2FIAF-2026-00001%3Fenregistre%3Davis"
        );
    }

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
        let agent = ThreadUrls::Agent("IAF-2026-00001".into());
        assert!(matches_route(axum_paths::AGENT_MESSAGES, &agent.post()));
        assert!(matches_route(axum_paths::AGENT_DOCUMENT, &agent.document("abc")));
        assert!(is_agent_page(&agent.post()) && is_agent_page(&agent_cadrage("IAF-2026-00001")));
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
        for path in axum_paths::UPLOADS.iter().chain([
            &axum_paths::LINK_DOCUMENT,
            &axum_paths::ATTESTATION,
            &axum_paths::AGENT_DOCUMENT,
        ]) {
            assert!(
                SITE_MAP.iter().any(|(p, _)| p == path),
                "{path} missing from the site map"
            );
        }
        let url = case("{reference}");
        let pages = [
            url.page(),
            url.move_page(),
            url.cadrage(),
            url.cadrage_version(0).replace("/0", "/{numero}"),
            url.cadrage_diff(1, 2).replace("?de=1&a=2", ""),
            url.conception(),
            url.diffusion(),
            url.preview(),
        ];
        assert_eq!(pages.len(), CasePage::ALL.len());
        for shown in pages {
            assert!(
                SITE_MAP.iter().any(|(path, _)| *path == shown),
                "{shown} missing from the site map"
            );
        }
    }
}
