//! A valid body for every server function, on the real objects of `hostile_world` (a case at each stage, a
//! draft, a filed case and its link, an invitation, a period…), posted by the role that may call it: the
//! hostile input test replaces one field at a time so the function's own code sees each hostile value. Objects
//! a call uses up (a link renewed, a draft filed, a session ended, a password chosen) are made again for every
//! call; the others are read again before every call (versions, revisions).

use app::domain::auth::Role;
use app::store::*;

use crate::common::http::*;
use crate::hostile_world::{answer, now, session_of, World, DAY};

/// How a server function reads its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `application/x-www-form-urlencoded`, as a form posts it.
    Form,
    /// A JSON object (`input = Json`); the named fields are numbers when the value reads as one.
    Json {
        numbers: &'static [&'static str],
        pairs: &'static str,
    },
    /// The URL's query (`input = GetUrl`).
    Query,
}

/// A valid call of one server function.
pub struct Template {
    pub cookie: Option<String>,
    pub fields: Vec<(String, String)>,
    pub encoding: Encoding,
}

impl Template {
    fn new(cookie: Option<&str>, fields: &[(&str, &str)]) -> Template {
        Template {
            cookie: cookie.map(str::to_string),
            fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            encoding: Encoding::Form,
        }
    }

    fn query(mut self) -> Template {
        self.encoding = Encoding::Query;
        self
    }

    /// The fields with field `replaced` (an index) given `value`.
    pub fn with(&self, replaced: Option<(usize, &str)>) -> Vec<(String, String)> {
        let mut fields = self.fields.clone();
        if let Some((index, value)) = replaced {
            fields[index].1 = value.to_string();
        }
        fields
    }

    /// The body (or query) of the call with field `replaced` given `value`.
    pub fn encode(&self, replaced: Option<(usize, &str)>) -> String {
        let fields = self.with(replaced);
        match self.encoding {
            Encoding::Form | Encoding::Query => fields
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        app::domain::text::encode_component(k),
                        app::domain::text::encode_component(v)
                    )
                })
                .collect::<Vec<_>>()
                .join("&"),
            Encoding::Json { numbers, pairs } => {
                let mut object = serde_json::Map::new();
                for (name, value) in &fields {
                    let json = if name == pairs {
                        serde_json::json!([["titre", value]])
                    } else if numbers.contains(&name.as_str()) {
                        match value.parse::<serde_json::Number>() {
                            Ok(number) => serde_json::Value::Number(number),
                            Err(_) => serde_json::Value::String(value.clone()),
                        }
                    } else {
                        serde_json::Value::String(value.clone())
                    };
                    object.insert(name.clone(), json);
                }
                serde_json::Value::Object(object).to_string()
            }
        }
    }
}

impl World {
    /// The Bibliothèque's sample imported (idempotent) and ViPARE paired with the world's published case: the
    /// project's slug.
    async fn library_pair(&self) -> &'static str {
        let paired: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM library_pairs")
            .fetch_one(&self.store.pools.read)
            .await
            .expect("pairs");
        if paired > 0 {
            return "vipare-metz";
        }
        let directory = server::state::load_directory().expect("directory");
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bibliotheque-echantillon.csv");
        server::library_import::import(&self.store, &directory, sample, now())
            .await
            .expect("import");
        sqlx::query(
            "INSERT INTO library_pairs (library_id, case_id, score) \
             SELECT l.id, p.case_id, 0.5 FROM library_projects l, publications p \
             WHERE l.slug = 'vipare-metz' AND p.slug = $1 ON CONFLICT (library_id, case_id) DO NOTHING",
        )
        .bind(&self.slug)
        .execute(&self.store.pools.write)
        .await
        .expect("pair");
        "vipare-metz"
    }

    /// Lyon's deployment of the published case, in service (declared the first time): its id and state.
    async fn lyon_deployment(&self) -> (i64, app::model::deployments::Deployment) {
        use app::store::deployments::{Declared, NewDeployment};
        let declared = self
            .store
            .declare_deployment(&NewDeployment {
                slug: self.slug.clone(),
                collectivite_key: "commune:69123".into(),
                collectivite_name: "Lyon".into(),
                region: "Auvergne-Rhône-Alpes".into(),
                contact_email: "agent@216901231.fr".into(),
                status: app::domain::deployments::Status::InService,
                day: (now() - 120 * DAY).div_euclid(DAY),
                listed: true,
                recorded_by: String::new(),
                now: now(),
            })
            .await
            .expect("declare");
        let (Declared::Created(id) | Declared::Exists(id)) = declared else {
            panic!("the world's case is published: {declared:?}")
        };
        let scope = self
            .store
            .deployment_scope(id)
            .await
            .expect("scope")
            .expect("deployment");
        let viewer = app::domain::access::Viewer::team(1, Role::Programme, app::domain::access::Scope::All);
        let visible = app::domain::access::VisibleDeployment::grant(&viewer, id, &scope).expect("visible");
        let deployment = self
            .store
            .deployment(&visible)
            .await
            .expect("read")
            .expect("deployment");
        (id, deployment)
    }

    /// A valid call of the server function at `path`, None when the test has none (which fails the test).
    pub async fn template(&mut self, path: &str) -> Option<Template> {
        let admin = self.admin.clone();
        let prog = self.prog.clone();
        let (admin, prog) = (Some(admin.as_str()), Some(prog.as_str()));
        let qualification = self.qualification.clone();
        let q = qualification.as_str();
        let draft = self.draft.clone();
        let filed = self.filed.clone();
        let n = self.next();
        let template = match path {
            // The intake.
            "/api/depot/commencer" => Template::new(None, &[]),
            "/api/depot/brouillon" => Template::new(None, &[("token", &draft), ("etape", "3")]),
            "/api/collectivites" => Template::new(None, &[("q", "Lyon")]),
            "/api/depot/sauvegarder" => {
                let version = self
                    .store
                    .load_draft(&app::server::tokens::token_hash(&draft).expect("hash"))
                    .await
                    .expect("draft")
                    .expect("open")
                    .version
                    .to_string();
                Template {
                    encoding: Encoding::Json {
                        numbers: &["etape", "version"],
                        pairs: "champs",
                    },
                    ..Template::new(
                        None,
                        &[
                            ("token", &draft),
                            ("etape", "2"),
                            ("champs", answer("titre")),
                            ("version", &version),
                            ("onglet", "onglet-hostile"),
                        ],
                    )
                }
            }
            "/api/depot/etape1" | "/api/depot/etape2" | "/api/depot/etape3" | "/api/depot/etape4"
            | "/api/depot/etape5" => {
                let step: i32 = path[path.len() - 1..].parse().expect("step");
                let mut fields = vec![
                    ("token".to_string(), draft.clone()),
                    ("intention".to_string(), "suivant".to_string()),
                ];
                if step == 1 {
                    fields.push(("recherche".into(), "Lyon".into()));
                }
                for spec in app::domain::intake::step_fields(step) {
                    fields.push((spec.name.to_string(), answer(spec.name).to_string()));
                }
                Template {
                    cookie: None,
                    fields,
                    encoding: Encoding::Form,
                }
            }
            "/api/depot/deposer" => {
                let token = self.complete_draft().await;
                Template::new(None, &[("token", &token)])
            }
            "/api/depot/dossier" => Template::new(None, &[("token", &filed)]),
            "/api/depot/pieces" => Template::new(None, &[("token", &draft)]),
            "/api/depot/retirer-piece" => {
                let token = self.complete_draft().await;
                let piece = self.draft_document(&token).await;
                Template::new(None, &[("token", &token), ("piece", &piece), ("confirmation", "oui")])
            }
            "/api/depot/partie" => Template {
                encoding: Encoding::Json {
                    numbers: &[],
                    pairs: "champs",
                },
                ..Template::new(
                    None,
                    &[
                        ("token", &draft),
                        ("partie", "cas-proches"),
                        ("champs", answer("titre")),
                    ],
                )
            },
            // The collectivité's follow-up.
            "/api/suivi/fil" => Template::new(None, &[("token", &filed)]),
            "/api/suivi/nouveau-lien" => {
                let token = self.filed_token().await;
                Template::new(None, &[("token", &token), ("confirmation", "oui")])
            }
            "/api/suivi/lien-perdu" => Template::new(None, &[("courriel", answer("contact_email"))]),
            // The public catalogue.
            "/api/catalogue/recherche" => Template::new(
                None,
                &[
                    ("texte", "courriers"),
                    ("domaine", "relation-usagers"),
                    ("brique", "vibe"),
                    ("typologie", "produit-vibe"),
                    ("collectivite", "commune"),
                    ("population", "plus-200000"),
                    ("region", "Auvergne-Rhône-Alpes"),
                    ("tri", "recents"),
                    ("page", "1"),
                ],
            )
            .query(),
            "/api/catalogue/cas" => Template::new(None, &[("slug", &self.slug)]).query(),
            "/api/programme/indicateurs" | "/api/programme/evolution" | "/api/programme/passage-a-l-echelle" => {
                Template::new(None, &[]).query()
            }
            "/api/catalogue/deploiements" => Template::new(None, &[("slug", &self.slug)]).query(),
            "/api/catalogue/repliquer" => Template::new(None, &[("slug", &self.slug)]),
            "/api/catalogue/bibliotheque" => Template::new(None, &[("slug", self.library_pair().await)]).query(),
            "/api/equipe/bibliotheque" => Template::new(prog, &[]),
            "/api/equipe/bibliotheque/paire" => {
                let project = self.library_pair().await;
                Template::new(
                    prog,
                    &[("projet", project), ("cas", &self.slug), ("decision", "separee")],
                )
            }
            // Sign-in, sessions and accounts.
            "/api/equipe/connexion" => {
                // Earlier failures would slow the account down: every call starts afresh.
                sqlx::query("DELETE FROM sign_in_attempts")
                    .execute(&self.store.pools.write)
                    .await
                    .expect("attempts");
                Template::new(None, &[("email", &self.sign_in_email), ("mot_de_passe", PASSWORD)])
            }
            "/api/equipe/deconnexion" | "/api/equipe/sessions/fermer" => {
                let id = self.account(&format!("sortie-{n}@ville.fr"), Role::Lecture).await;
                let cookie = session_of(&self.store, id).await;
                Template::new(Some(&cookie), &[])
            }
            "/api/equipe/connexion/proconnect-propose" => Template::new(None, &[]),
            "/api/collectivite/espace" | "/api/collectivite/deconnexion" | "/api/collectivite/deposer" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                Template::new(Some(&cookie), &[])
            }
            "/api/equipe/compte"
            | "/api/equipe/cas"
            | "/api/equipe/a-traiter"
            | "/api/equipe/periodes"
            | "/api/equipe/sessions" => Template::new(prog, &[]),
            "/api/equipe/comptes" | "/api/equipe/journal-connexions" | "/api/equipe/courriels" => {
                Template::new(admin, &[])
            }
            "/api/equipe/periodes/creer" => {
                // Each call its own days, after the periods in use, before 2100 (the last year accepted).
                self.periods_made += 1;
                let start = now() + 3_650 * DAY + self.periods_made * 3 * DAY;
                let (debut, fin) = (
                    app::domain::dates::iso_date(start),
                    app::domain::dates::iso_date(start + 2 * DAY),
                );
                Template::new(
                    admin,
                    &[("nom", &format!("Relève n° {n}")), ("debut", &debut), ("fin", &fin)],
                )
            }
            "/api/equipe/comptes/inviter" => Template::new(
                admin,
                &[
                    ("email", &format!("nouveau-{n}@ville.fr")),
                    ("nom", "Nouveau membre"),
                    ("role", "lecture"),
                ],
            ),
            "/api/equipe/comptes/renvoyer" => Template::new(admin, &[("compte", &self.invited_id.to_string())]),
            "/api/equipe/comptes/role" => {
                Template::new(admin, &[("compte", &self.target_id.to_string()), ("role", "programme")])
            }
            "/api/equipe/comptes/etat" => {
                Template::new(admin, &[("compte", &self.target_id.to_string()), ("actif", "true")])
            }
            "/api/equipe/comptes/mots-de-passe" => Template::new(admin, &[]),
            // Without ProConnect on the hostile world's service, passwords can only be allowed.
            "/api/equipe/comptes/mots-de-passe/regler" => {
                Template::new(admin, &[("role", "lecture"), ("choix", "autoriser")])
            }
            "/api/equipe/comptes/secours" => {
                let id = self.id_of("admin@ville.fr").await;
                Template::new(admin, &[("compte", &id.to_string())])
            }
            "/api/equipe/comptes/regions" => Template::new(
                admin,
                &[("compte", &self.dr2_id.to_string()), ("regions", "Bretagne, Occitanie")],
            ),
            "/api/equipe/lien" => {
                let (_, token) = self.invitation(&format!("lien-{n}@ville.fr")).await;
                Template::new(None, &[("jeton", &token), ("usage", "invitation")])
            }
            "/api/equipe/lien/mot-de-passe" => {
                let (_, token) = self.invitation(&format!("choix-{n}@ville.fr")).await;
                Template::new(
                    None,
                    &[
                        ("jeton", &token),
                        ("usage", "invitation"),
                        ("nouveau", "une phrase de passe choisie"),
                        ("confirmation", "une phrase de passe choisie"),
                    ],
                )
            }
            "/api/equipe/mot-de-passe-oublie" => Template::new(None, &[("email", "prog@ville.fr")]),
            "/api/equipe/mot-de-passe" => {
                let id = self.account(&format!("change-{n}@ville.fr"), Role::Lecture).await;
                let cookie = session_of(&self.store, id).await;
                Template::new(
                    Some(&cookie),
                    &[
                        ("actuel", PASSWORD),
                        ("nouveau", "une autre phrase de passe"),
                        ("confirmation", "une autre phrase de passe"),
                    ],
                )
            }
            // The board and the case page.
            "/api/equipe/tableau" => Template::new(
                prog,
                &[
                    ("periode", &self.period_id.to_string()),
                    ("domaine", "relation-usagers"),
                    ("region", "Auvergne-Rhône-Alpes"),
                    ("brique", "vibe"),
                    ("texte", "courriers"),
                    ("afficher[1]", "80"),
                    ("garder[0]", q),
                ],
            ),
            "/api/equipe/deplacer" => {
                let reference = self.case_at("qualification").await;
                let version = self.version(&reference).await;
                Template::new(
                    prog,
                    &[
                        ("reference", &reference),
                        ("version", &version),
                        ("vers", "remontee"),
                        ("raison", "Le dossier est à compléter."),
                        ("destination", ""),
                        ("retour", "/equipe/tableau?domaine=relation-usagers"),
                    ],
                )
            }
            "/api/equipe/dossier" | "/api/equipe/fil" => Template::new(prog, &[("reference", q)]),
            "/api/equipe/qualifier" => {
                let version = self.version(q).await;
                let mut fields = vec![("reference", q), ("version", version.as_str())];
                for (note, comment) in [
                    ("note_replicabilite", "commentaire_replicabilite"),
                    ("note_alignement", "commentaire_alignement"),
                    ("note_impact", "commentaire_impact"),
                    ("note_portage", "commentaire_portage"),
                    ("note_faisabilite", "commentaire_faisabilite"),
                ] {
                    fields.push((note, "2"));
                    fields.push((comment, "Conforme aux attentes."));
                }
                fields.extend([
                    ("notes_entretien", "Entretien du 3 mars"),
                    ("decision", "qualifie"),
                    ("niveau_ai_act", "minimal"),
                    ("derogation_ai_act", ""),
                ]);
                Template::new(prog, &fields)
            }
            "/api/equipe/commenter" => Template::new(prog, &[("reference", q), ("texte", "À revoir jeudi.")]),
            "/api/equipe/assigner" => Template::new(prog, &[("reference", q), ("compte", &self.presta_id.to_string())]),
            "/api/equipe/avis/demander" => {
                Template::new(prog, &[("reference", q), ("compte", &self.dr_id.to_string())])
            }
            "/api/equipe/avis/donner" => {
                self.ask_avis(q).await;
                let dr = self.dr.clone();
                Template::new(
                    Some(&dr),
                    &[
                        ("reference", q),
                        ("avis", "favorable"),
                        ("texte", "Un besoin partagé dans la région."),
                    ],
                )
            }
            "/api/equipe/suivre" => Template::new(prog, &[("reference", q), ("suivre", "oui")]),
            // Cadrage, conception, diffusion.
            "/api/equipe/cadrage" => Template::new(prog, &[("reference", &self.cadrage)]),
            "/api/equipe/cadrage/version" => Template::new(prog, &[("reference", &self.cadrage), ("numero", "1")]),
            "/api/equipe/cadrage/comparer" => {
                Template::new(prog, &[("reference", &self.cadrage), ("de", "1"), ("a", "2")])
            }
            "/api/equipe/cadrage/enregistrer" => {
                let project = self
                    .store
                    .project(&crate::common::system_case(&self.cadrage))
                    .await
                    .expect("project")
                    .expect("case");
                let current = project.current().expect("a version");
                let base = current.number.to_string();
                let mut fields = vec![
                    ("reference".to_string(), self.cadrage.clone()),
                    ("base".to_string(), base),
                ];
                for spec in app::domain::cadrage::fields() {
                    fields.push((
                        format!("champs[{}]", spec.key),
                        current.document.get(spec.key).to_string(),
                    ));
                }
                Template {
                    cookie: prog.map(str::to_string),
                    fields,
                    encoding: Encoding::Form,
                }
            }
            "/api/collectivite/rattacher" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let token = self.filed_token().await;
                Template::new(
                    Some(&cookie),
                    &[("lien", &format!("https://iaf.example/suivi/{token}"))],
                )
            }
            "/api/collectivite/deploiements" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                Template::new(Some(&cookie), &[])
            }
            "/api/collectivite/deploiement" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let (id, _) = self.lyon_deployment().await;
                Template::new(Some(&cookie), &[("deploiement", &id.to_string())])
            }
            "/api/collectivite/deploiements/declarer" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let since = app::domain::dates::iso_date(now() - 30 * DAY);
                Template::new(
                    Some(&cookie),
                    &[
                        ("cas", &self.slug),
                        ("statut", "en-service"),
                        ("date", &since),
                        ("liste", "oui"),
                    ],
                )
            }
            "/api/collectivite/deploiement/statut" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let (id, deployment) = self.lyon_deployment().await;
                // In service it stops; stopped it starts again: each valid call is a real change.
                let to = match deployment.status {
                    app::domain::deployments::Status::InService => "arrete",
                    _ => "en-service",
                };
                let today = app::domain::dates::iso_date(now());
                Template::new(
                    Some(&cookie),
                    &[
                        ("deploiement", &id.to_string()),
                        ("version", &deployment.version.to_string()),
                        ("statut", to),
                        ("date", &today),
                        ("motif", "Le service a changé d'outil."),
                    ],
                )
            }
            "/api/equipe/deploiements" => Template::new(prog, &[]),
            "/api/equipe/deploiements/enregistrer" => {
                let since = app::domain::dates::iso_date(now() - 10 * DAY);
                Template::new(
                    prog,
                    &[
                        ("cas", &self.slug),
                        ("collectivite", "Rennes"),
                        ("contact", "referente@rennes.fr"),
                        ("statut", "en-service"),
                        ("date", &since),
                        ("liste", "oui"),
                    ],
                )
            }
            "/api/collectivite/deploiement/rappel" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let (id, _) = self.lyon_deployment().await;
                Template::new(Some(&cookie), &[("deploiement", &id.to_string()), ("suivre", "true")])
            }
            "/api/collectivite/deploiement/releve" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let (id, _) = self.lyon_deployment().await;
                let month = app::domain::deployments::Month::of_instant(now()).iso();
                Template::new(
                    Some(&cookie),
                    &[
                        ("deploiement", &id.to_string()),
                        ("mois", &month),
                        ("agents_reguliers", "120"),
                        ("mesure_agents_reguliers", "statistiques"),
                        ("agents_occasionnels", "40"),
                        ("mesure_agents_occasionnels", "enquete"),
                        ("usagers", "0"),
                        ("mesure_usagers", "estimation"),
                        ("heures", "300"),
                        ("mesure_heures", "estimation"),
                        ("effectif", "3000"),
                        ("sieges_vibe", ""),
                        ("utilisateurs_vibe", ""),
                    ],
                )
            }
            "/api/collectivite/avis" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                Template::new(Some(&cookie), &[("choix", "quotidien")])
            }
            "/api/collectivite/inviter" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                Template::new(Some(&cookie), &[("email", &format!("collegue-{n}@lyon.fr"))])
            }
            "/api/collectivite/transfert/proposer" => {
                let (cookie, colleague) = crate::hostile_world::agent_and_colleague(&self.store, n).await;
                Template::new(
                    Some(&cookie),
                    &[("reference", &self.cadrage), ("collegue", &colleague.to_string())],
                )
            }
            "/api/collectivite/transfert/repondre" => {
                let (cookie, id) = crate::hostile_world::transfer_to(&self.store, n, &self.cadrage).await;
                Template::new(
                    Some(&cookie),
                    &[
                        ("reference", &self.cadrage),
                        ("transfert", &id.to_string()),
                        ("reponse", "refuser"),
                    ],
                )
            }
            "/api/collectivite/brouillon/continuer" => {
                let (cookie, draft) = crate::hostile_world::shared_draft_of(&self.store, n).await;
                Template::new(Some(&cookie), &[("brouillon", &draft.to_string())])
            }
            "/api/collectivite/cadrage" | "/api/collectivite/dossier" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                Template::new(Some(&cookie), &[("reference", &self.cadrage)])
            }
            "/api/collectivite/cadrage/valider" => {
                let cookie = crate::hostile_world::agent_session_of(&self.store, n).await;
                let reference = self.case_at("cadrage").await;
                self.save_version(&reference, 0).await;
                Template::new(Some(&cookie), &[("reference", &reference), ("version", "1")])
            }
            "/api/equipe/cadrage/valider" => {
                let reference = self.case_at("cadrage").await;
                self.save_version(&reference, 0).await;
                signed_pdf(&self.store, &reference).await;
                Template::new(
                    prog,
                    &[
                        ("reference", &reference),
                        ("version", "1"),
                        ("partie", "collectivite"),
                        ("signataire", "Mme Martin, maire"),
                        ("piece", &signed_pdf_id(&reference)),
                    ],
                )
            }
            "/api/equipe/conception" | "/api/equipe/diffusion" | "/api/equipe/diffusion/apercu" => {
                Template::new(prog, &[("reference", &self.conception)])
            }
            "/api/equipe/diffusion/publier" => {
                let conception = self.conception.clone();
                let version = self.version(&conception).await;
                Template::new(prog, &[("reference", &conception), ("version", &version)])
            }
            "/api/equipe/conception/verifier" => {
                let project = self
                    .store
                    .project(&crate::common::system_case(&self.conception))
                    .await
                    .expect("project")
                    .expect("case");
                let condition = project
                    .current()
                    .expect("a version")
                    .document
                    .lines("conditions_diffusion")[0]
                    .clone();
                Template::new(
                    prog,
                    &[
                        ("reference", &self.conception),
                        ("condition", &condition),
                        ("preuve", "Compte rendu du 2 mars"),
                    ],
                )
            }
            "/api/equipe/conception/journal" => Template::new(
                prog,
                &[
                    ("reference", &self.conception),
                    ("jour", "2027-03-02"),
                    ("nature", "test"),
                    ("texte", "Essai avec six agents"),
                ],
            ),
            "/api/equipe/diffusion/enregistrer" => {
                let project = self
                    .store
                    .project(&crate::common::system_case(&self.conception))
                    .await
                    .expect("project")
                    .expect("case");
                let revision = project.kit.map(|kit| kit.revision).unwrap_or_default().to_string();
                Template::new(
                    prog,
                    &[
                        ("reference", &self.conception),
                        ("revision", &revision),
                        ("resume", "Un tri automatique des courriers."),
                        ("probleme", "Trop de courriers"),
                        ("solution", "Un assistant"),
                        ("documentation", "## Installer\n\nLire le guide."),
                        ("videos", "Démo | https://v.exemple.fr/1"),
                        ("supports", "Guide | https://documents.exemple.fr/guide.pdf"),
                        ("contact", "equipe@exemple.fr"),
                        ("agents_mesures", "18"),
                        ("heures_mesurees", "2400"),
                    ],
                )
            }
            "/api/equipe/diffusion/retirer" => {
                let withdrawn = self.withdrawn.clone();
                self.publish(&withdrawn).await;
                Template::new(prog, &[("reference", &withdrawn)])
            }
            _ => return None,
        };
        Some(template)
    }
}
