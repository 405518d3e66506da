//! The objects the hostile input test acts on, made for it on a fresh database: an account and a session of
//! every role, an open period, a case at each stage (cadrage versions, a kit, a publication), a draft and a
//! filed case with its follow-up link; and the makers of the objects a call uses up (`hostile_templates`).

use std::sync::Arc;

use app::domain::auth::Role;
use app::domain::intake::IntakeAnswers;
use app::store::accounts::{Invitation, NewSession};
use app::store::intake::NewCase;
use app::store::*;
use axum::Router;
use server::sql::SqlStore;

use crate::common::http::*;

pub const DAY: i64 = 86_400;

pub fn now() -> i64 {
    app::server::context::now()
}

/// Every answer of a complete intake of Lyon, each valid.
pub const COMPLETE: &[(&str, &str)] = &[
    ("collectivite", "commune:69123"),
    ("contact_nom", "Camille Martin"),
    ("contact_fonction", "Cheffe de projet"),
    ("contact_email", "camille.martin@lyon.fr"),
    ("contact_telephone", ""),
    ("titre", "Réponse aux courriers des usagers"),
    (
        "probleme",
        "Les courriers s'accumulent et les réponses tardent plusieurs semaines.",
    ),
    (
        "solution",
        "Un assistant propose une réponse que l'agent relit puis envoie.",
    ),
    ("domaine", "relation-usagers"),
    ("perimetre", "Courriers des usagers"),
    ("directions", "Relation usagers, DSI"),
    ("brique_vibe", "on"),
    ("brique_agents", ""),
    ("brique_application", ""),
    ("typologie", "produit-vibe"),
    ("agents", "40"),
    ("usagers", "12000"),
    ("occurrences_mois", "300"),
    ("minutes_par_occurrence", "20"),
    ("part_temps_gagne", "40"),
    ("benefice_usagers", "Des réponses en quelques jours."),
    ("empreinte_environnementale", "Un modèle hébergé en France."),
    ("metier_nom", "Jean Dupont"),
    ("metier_fonction", "Directeur de la relation usagers"),
    ("dsi_nom", "Awa Diallo"),
    ("dsi_fonction", "DSI"),
    ("sponsor_nom", "Claire Petit"),
    ("sponsor_fonction", "DGS"),
    ("donnees_necessaires", "Les courriers numérisés et les réponses types"),
    ("disponibilite_donnees", "disponibles"),
    ("qualite_donnees", "bonne"),
    ("donnees_personnelles", "oui"),
    ("dependances_techniques", "Aucune"),
    ("maturite", "2"),
    ("stade_projet", "besoin-defini"),
    ("hebergement", "mistral-compute"),
    ("agents_vibe", "10"),
];

pub fn complete_answers() -> IntakeAnswers {
    let mut answers = IntakeAnswers::default();
    for (name, value) in COMPLETE {
        answers.set(name, value);
    }
    answers
}

pub fn answer(name: &str) -> &'static str {
    COMPLETE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or_default()
}

/// A sign-in session of `account_id`, made in the store (no password hashing); the cookie pair.
pub async fn session_of(store: &SqlStore, account_id: i64) -> String {
    let token = app::server::tokens::new_token();
    store
        .create_session(&NewSession {
            token_hash: app::server::tokens::token_hash(&token).expect("hash"),
            account_id,
            now: now(),
            expires_at: now() + DAY,
            address: String::new(),
            user_agent: String::new(),
        })
        .await
        .expect("session");
    format!("{}={token}", app::server::session::COOKIE)
}

/// A session of an agent of Lyon (the `n`-th identity; the world's cases are Lyon's), as ProConnect would have
/// opened it.
pub async fn agent_session_of(store: &SqlStore, n: i64) -> String {
    agent_session_in(store, n, LYON).await
}

/// A session of an agent of Saint-Étienne, whose collectivité has none of the world's cases.
pub async fn outside_agent_session(store: &SqlStore, n: i64) -> String {
    agent_session_in(store, n, ("214202186", "commune:42218", "Saint-Étienne")).await
}

/// A session of the `n`-th agent of Lyon and a draft they started in its space (its id), which any agent of
/// Lyon may continue.
pub async fn shared_draft_of(store: &SqlStore, n: i64) -> (String, i64) {
    use app::store::AgentStore;
    let (cookie, agent_id) = agent_in(store, n, LYON).await;
    let token = app::server::tokens::new_token();
    store
        .start_shared_draft(&app::store::agents::SharedDraft {
            token_hash: app::server::tokens::token_hash(&token).expect("hash"),
            answers: app::domain::agents::prefilled_draft("commune:69123", "Agent", "agent@216901231.fr"),
            collectivite_key: "commune:69123".into(),
            agent_id,
            now: now(),
        })
        .await
        .expect("shared draft");
    let drafts = store.collectivite_drafts("commune:69123").await.expect("drafts");
    (cookie, drafts.first().expect("the draft").id)
}

/// A session of the `n`-th agent of Lyon and a colleague who signed in too (their id).
pub async fn agent_and_colleague(store: &SqlStore, n: i64) -> (String, i64) {
    let (cookie, _) = agent_in(store, n, LYON).await;
    let (_, colleague) = agent_in(store, n + 10_000, LYON).await;
    (cookie, colleague)
}

/// A transfer of the contact of `reference` (a case of Lyon) proposed to the `n`-th agent of Lyon: their
/// session and the transfer's id.
pub async fn transfer_to(store: &SqlStore, n: i64, reference: &str) -> (String, i64) {
    use app::store::AgentStore;
    let (cookie, agent_id) = agent_in(store, n, LYON).await;
    let (_, proposer) = agent_in(store, n + 10_000, LYON).await;
    let case = app::domain::access::VisibleCase::for_system(
        app::domain::reference::CaseReference::parse(reference).expect("reference"),
    );
    let email = app::domain::email::contact_transfer_proposed("a@lyon.fr", "A", "B", (reference, "T"), "http://x/");
    let proposal = app::store::agents::TransferProposal {
        to_agent_id: agent_id,
        proposed_by: proposer,
        email,
        now: now(),
    };
    assert!(store.propose_transfer(&case, &proposal).await.expect("proposal"));
    (cookie, store.transfers_for(agent_id).await.expect("transfers")[0].id)
}

/// Lyon: SIREN, key, name (the world's cases are Lyon's).
const LYON: (&str, &str, &str) = ("216901231", "commune:69123", "Lyon");

/// A session of the `n`-th agent of the collectivité (SIREN, key, name).
async fn agent_session_in(store: &SqlStore, n: i64, collectivite: (&str, &str, &str)) -> String {
    agent_in(store, n, collectivite).await.0
}

/// A session of the `n`-th agent of the collectivité (SIREN, key, name), and the agent's id.
async fn agent_in(store: &SqlStore, n: i64, (siren, key, name): (&str, &str, &str)) -> (String, i64) {
    use app::store::AgentStore;
    let agent_id = store
        .agent_signed_in(&app::store::agents::AgentIdentity {
            issuer: "http://127.0.0.1:4010/api/v2".into(),
            subject: format!("agent-{n}"),
            email: format!("agent-{n}@{siren}.fr"),
            given_name: "Agent".into(),
            usual_name: format!("N{n}"),
            siren: siren.into(),
            collectivite_key: key.into(),
            collectivite_name: name.into(),
            now: now(),
        })
        .await
        .expect("agent");
    let token = app::server::tokens::new_token();
    store
        .create_agent_session(&app::store::agents::NewAgentSession {
            token_hash: app::server::tokens::token_hash(&token).expect("hash"),
            agent_id,
            id_token: "jeton".into(),
            acr: "eidas1".into(),
            idp_id: String::new(),
            now: now(),
            expires_at: now() + DAY,
        })
        .await
        .expect("agent session");
    (
        format!("{}={token}", app::server::agent_session::AGENT_COOKIE),
        agent_id,
    )
}

/// The objects the calls act on, and the sessions of every role.
pub struct World {
    pub app: Router,
    pub store: Arc<SqlStore>,
    pub(crate) directory: app::domain::collectivites::Directory,
    pub(crate) hash: String,
    pub(crate) admin: String,
    pub(crate) prog: String,
    pub(crate) dr: String,
    pub(crate) dr_id: i64,
    pub(crate) presta_id: i64,
    pub(crate) target_id: i64,
    pub(crate) dr2_id: i64,
    pub(crate) invited_id: i64,
    pub(crate) sign_in_email: String,
    pub(crate) qualification: String,
    pub(crate) cadrage: String,
    pub(crate) conception: String,
    pub(crate) withdrawn: String,
    pub(crate) slug: String,
    pub(crate) draft: String,
    pub(crate) filed: String,
    pub(crate) period_id: i64,
    pub(crate) counter: i64,
    pub(crate) periods_made: i64,
    /// Cases and cadrage versions made for the test (the store must hold at least these, all valid).
    pub cases_made: usize,
    pub versions_made: usize,
}

impl World {
    pub async fn new(app: Router, store: Arc<SqlStore>) -> World {
        let directory = server::state::load_directory().expect("directory");
        let hash = store
            .account_by_email("prog@ville.fr")
            .await
            .expect("read")
            .expect("prog")
            .password_hash;
        let mut world = World {
            app,
            store,
            directory,
            hash,
            admin: String::new(),
            prog: String::new(),
            dr: String::new(),
            dr_id: 0,
            presta_id: 0,
            target_id: 0,
            dr2_id: 0,
            invited_id: 0,
            sign_in_email: "connexion@ville.fr".into(),
            qualification: String::new(),
            cadrage: String::new(),
            conception: String::new(),
            withdrawn: String::new(),
            slug: String::new(),
            draft: String::new(),
            filed: String::new(),
            period_id: 0,
            counter: 0,
            periods_made: 0,
            cases_made: 0,
            versions_made: 0,
        };
        let admin = world.account("admin@ville.fr", Role::Admin).await;
        world.admin = session_of(&world.store, admin).await;
        let prog = world.id_of("prog@ville.fr").await;
        world.prog = session_of(&world.store, prog).await;
        world.dr_id = world.account("dr@ville.fr", Role::DirectionRegionale).await;
        world
            .store
            .set_account_regions(
                world.dr_id,
                &["Auvergne-Rhône-Alpes".to_string()],
                &crate::common::test_log(app::domain::accounts::AuthEvent::RegionsChanged),
            )
            .await
            .expect("regions");
        world.dr = session_of(&world.store, world.dr_id).await;
        world.presta_id = world.account("presta@ville.fr", Role::Prestataire).await;
        world.target_id = world.account("cible@ville.fr", Role::Programme).await;
        world.dr2_id = world.account("dr2@ville.fr", Role::DirectionRegionale).await;
        let sign_in_email = world.sign_in_email.clone();
        world.account(&sign_in_email, Role::Programme).await;
        world.invited_id = world.invitation("invite@ville.fr").await.0;

        world
            .store
            .create_period("Relève en cours", now() - 30 * DAY, now() + 30 * DAY, now())
            .await
            .expect("period");
        world.period_id = world.store.periods().await.expect("periods")[0].id;

        world.qualification = world.case_at("qualification").await;
        world.cadrage = world.case_at("cadrage").await;
        world.save_version(&world.cadrage.clone(), 0).await;
        world.save_version(&world.cadrage.clone(), 1).await;
        world.conception = world.case_with_kit().await;
        world.withdrawn = world.case_with_kit().await;
        let published = world.case_with_kit().await;
        world.slug = world.publish(&published).await;
        world.draft = world.complete_draft().await;
        world.filed = world.filed_token().await;
        world
    }

    pub(crate) async fn id_of(&self, email: &str) -> i64 {
        self.store
            .account_by_email(email)
            .await
            .expect("read")
            .expect("account")
            .id
    }

    pub(crate) async fn account(&self, email: &str, role: Role) -> i64 {
        assert!(self
            .store
            .create_account(email, "Membre", role, &self.hash, now())
            .await
            .expect("create"));
        self.id_of(email).await
    }

    pub(crate) fn next(&mut self) -> i64 {
        self.counter += 1;
        self.counter
    }

    /// An invited account without a password and its one-time link's token.
    pub(crate) async fn invitation(&self, email: &str) -> (i64, String) {
        let token = app::server::tokens::new_token();
        let outcome = self
            .store
            .invite(&Invitation {
                email: email.into(),
                name: "Invitée".into(),
                role: Role::Lecture,
                token_hash: app::server::tokens::token_hash(&token).expect("hash"),
                expires_at: now() + DAY,
                message: app::domain::email::invitation(email, "Invitée", "Admin", "Lecture seule", "http://x", 72),
                actor: "Admin".into(),
                address: String::new(),
                now: now(),
            })
            .await
            .expect("invite");
        assert_eq!(outcome, app::store::accounts::InviteOutcome::Sent);
        (self.id_of(email).await, token)
    }

    /// A complete case of Lyon filed yesterday from its space (its agents see it), put at `stage`.
    pub(crate) async fn case_at(&mut self, stage: &str) -> String {
        let answers = complete_answers();
        let collectivite = self.directory.by_key(answer("collectivite")).expect("Lyon");
        let case = NewCase::from_answers(&answers, collectivite);
        let reference = insert_case(&self.store, &answers, &case, now() - DAY).await;
        sqlx::query("UPDATE cases SET stage = $1, attached_at = created_at WHERE reference = $2")
            .bind(stage)
            .bind(&reference)
            .execute(&self.store.pools.write)
            .await
            .expect("stage");
        self.cases_made += 1;
        reference
    }

    pub(crate) async fn save_version(&mut self, reference: &str, based_on: i64) {
        let mut document = complete_cadrage(&complete_answers());
        document.set("perimetre", &format!("Courriers des usagers, version {}", based_on + 1));
        let outcome = self
            .store
            .save_cadrage(&app::store::cadrage::CadrageSave {
                case: crate::common::system_case(reference),
                based_on,
                document,
                actor: "Agent".into(),
                notice: None,
                now: now(),
            })
            .await
            .expect("cadrage");
        assert!(matches!(outcome, WriteOutcome::Done { .. }), "{outcome:?}");
        self.versions_made += 1;
    }

    /// A case in conception with a cadrage version and a complete kit.
    pub(crate) async fn case_with_kit(&mut self) -> String {
        let reference = self.case_at("conception").await;
        self.save_version(&reference, 0).await;
        let (kit, errors) = app::domain::diffusion::read_kit(&app::domain::diffusion::KitForm {
            summary: "Un tri automatique des courriers.",
            problem: "Trop de courriers.",
            solution: "Un assistant.",
            documentation: "## Installer",
            videos: "Démo | https://v.exemple.fr/1",
            supports: "",
            contact: "equipe@exemple.fr",
            agents_measured: "18",
            hours_measured: "2400",
        });
        assert!(errors.is_empty(), "{errors:?}");
        let outcome = self
            .store
            .save_kit(&crate::common::system_case(&reference), 0, &kit, "Agent", now())
            .await
            .expect("kit");
        assert!(matches!(outcome, WriteOutcome::Done { .. }), "{outcome:?}");
        reference
    }

    /// Publishes the kit of `reference` through its server function; the slug.
    pub(crate) async fn publish(&self, reference: &str) -> String {
        let reply = call(
            &self.app,
            "POST",
            "/api/equipe/diffusion/publier",
            &format!(
                "reference={reference}&version={}",
                crate::board::version_of(&self.store, reference).await
            ),
            Some(&self.prog),
            false,
        )
        .await;
        assert_eq!(reply.status, axum::http::StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).expect("slug")
    }

    /// A draft holding every answer, not filed; its token.
    pub(crate) async fn complete_draft(&mut self) -> String {
        let token = app::server::tokens::new_token();
        let hash = app::server::tokens::token_hash(&token).expect("hash");
        self.store.create_draft(&hash, now()).await.expect("draft");
        assert!(self
            .store
            .save_draft(&hash, &complete_answers(), now())
            .await
            .expect("save"));
        token
    }

    /// A case filed from a complete draft; the token of its follow-up link.
    pub(crate) async fn filed_token(&mut self) -> String {
        let token = self.complete_draft().await;
        let answers = complete_answers();
        let collectivite = self.directory.by_key(answer("collectivite")).expect("Lyon");
        let case = NewCase::from_answers(&answers, collectivite);
        self.store
            .submit_draft(
                &app::server::tokens::token_hash(&token).expect("hash"),
                &answers,
                &case,
                None,
                now(),
            )
            .await
            .expect("submit")
            .expect("filed");
        self.cases_made += 1;
        token
    }

    /// The current version of a case.
    pub(crate) async fn version(&self, reference: &str) -> String {
        crate::board::version_of(&self.store, reference).await.to_string()
    }

    /// Asks the direction régionale's avis on `reference` (one more avis waiting to be given).
    pub(crate) async fn ask_avis(&self, reference: &str) {
        assert!(self
            .store
            .request_avis(&app::store::case::AvisRequest {
                case: crate::common::system_case(reference),
                account_id: self.dr_id,
                requested_by: "Agent".into(),
                message: app::domain::email::avis_request(
                    "dr@ville.fr",
                    "Membre",
                    "Agent",
                    "Cas",
                    reference,
                    "http://x"
                ),
                now: now(),
            })
            .await
            .expect("avis"));
    }

    /// A document recorded on the draft behind `token`; its public id.
    pub(crate) async fn draft_document(&self, token: &str) -> String {
        use app::domain::documents::{DocumentKind, ScanStatus};
        let public_id = app::server::tokens::new_token();
        let outcome = self
            .store
            .add_draft_documents(
                &app::server::tokens::token_hash(token).expect("hash"),
                &[app::store::documents::NewDocument {
                    public_id: public_id.clone(),
                    kind: DocumentKind::Deliberation,
                    file_name: "deliberation.pdf".into(),
                    media_type: "application/pdf".into(),
                    size: 10,
                    sha256: "0".repeat(64),
                    stored_name: app::server::tokens::new_token(),
                    scan_status: ScanStatus::NotScanned,
                    uploaded_by: "Collectivité".into(),
                }],
                app::store::documents::DraftQuota {
                    max_files: app::domain::documents::MAX_FILES_PER_CASE,
                    draft_bytes: app::domain::documents::MAX_DRAFT_BYTES,
                    drafts_bytes: i64::MAX,
                },
                now(),
            )
            .await
            .expect("document");
        assert_eq!(outcome, app::store::documents::AddOutcome::Added);
        public_id
    }
}
