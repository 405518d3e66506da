//! Who of a collectivité gets into its space (§2: the collectivités are co-builders of their cases): an agent
//! ProConnect vouches for, whose organisation (the first nine digits of `siret`) is a collectivité of the
//! official list and whose `roles` say territorial agent. Pure, so the refusals and their remedy are tested here.

use super::collectivites::{Collectivite, Directory};
use super::proconnect::{siren_of, TERRITORIAL_ROLE};

/// Why an agent does not get into a collectivité's space, each naming the organisation ProConnect gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The organisation chosen at sign-in is not a collectivité of the official list (or its `siret` is not one).
    NotACollectivite { organisation: String, siret: String },
    /// The organisation is a collectivité, but ProConnect does not say the agent is a territorial agent.
    NotTerritorial { organisation: String },
}

impl Refusal {
    /// The code the authentication log keeps.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotACollectivite { .. } => "hors-liste",
            Refusal::NotTerritorial { .. } => "non-territorial",
        }
    }

    /// The French page's title.
    pub fn title(&self) -> &'static str {
        "Connexion refusée à l'espace collectivité"
    }

    /// What happened and what to do, in French, naming the organisation.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Refusal::NotACollectivite { organisation, siret } => vec![
                format!(
                    "L'organisation que vous avez choisie dans ProConnect, « {} »{}, n'est pas une collectivité \
                     de la liste officielle (commune, EPCI, département, région ou collectivité à statut \
                     particulier) : l'espace collectivité lui est fermé.",
                    organisation_name(organisation),
                    if siret.is_empty() {
                        String::new()
                    } else {
                        format!(" (SIRET {siret})")
                    },
                ),
                "Si vous agissez pour une collectivité, reconnectez-vous avec ProConnect et choisissez-la comme \
                 organisation. Si vous travaillez pour l'équipe du programme ou une direction régionale, \
                 utilisez la connexion de l'espace équipe."
                    .to_string(),
            ],
            Refusal::NotTerritorial { organisation } => vec![
                format!(
                    "ProConnect ne nous indique pas que vous êtes agent de « {} » : l'espace de cette \
                     collectivité est réservé à ses agents.",
                    organisation_name(organisation)
                ),
                "Demandez au service des ressources humaines ou au service informatique de votre collectivité de \
                 vérifier votre compte auprès de votre fournisseur d'identité, puis reconnectez-vous."
                    .to_string(),
            ],
        }
    }

    /// What the authentication log keeps of it.
    pub fn detail(&self) -> String {
        match self {
            Refusal::NotACollectivite { organisation, siret } => {
                format!("hors liste : {} ({siret})", organisation_name(organisation))
            }
            Refusal::NotTerritorial { organisation } => {
                format!("non territorial : {}", organisation_name(organisation))
            }
        }
    }
}

/// The organisation's label as ProConnect gave it, cut to a line; a placeholder when it gave none.
fn organisation_name(label: &str) -> String {
    let label: String = label.trim().chars().filter(|c| !c.is_control()).take(120).collect();
    if label.is_empty() {
        "organisation sans nom".to_string()
    } else {
        label
    }
}

/// The collectivité whose space an agent enters: that of the organisation chosen at sign-in (`siret`), if it
/// is on the official list and the agent is territorial; the refusal otherwise.
pub fn admit<'a>(
    directory: &'a Directory,
    siret: &str,
    roles: &[String],
    organisation: &str,
) -> Result<&'a Collectivite, Refusal> {
    let not_listed = || Refusal::NotACollectivite {
        organisation: organisation.to_string(),
        siret: siret.chars().filter(char::is_ascii_digit).take(14).collect(),
    };
    let siren = siren_of(siret).ok_or_else(not_listed)?;
    let collectivite = directory.by_siren(siren).ok_or_else(not_listed)?;
    if !roles.iter().any(|role| role == TERRITORIAL_ROLE) {
        let organisation = if organisation.trim().is_empty() {
            collectivite.name.clone()
        } else {
            organisation.to_string()
        };
        return Err(Refusal::NotTerritorial { organisation });
    }
    Ok(collectivite)
}

/// The answers a draft started from the space begins with: the agent's collectivité and the agent as its
/// contact (each stays editable in the wizard).
pub fn prefilled_draft(collectivite_key: &str, agent_name: &str, agent_email: &str) -> super::intake::IntakeAnswers {
    let mut answers = super::intake::IntakeAnswers::default();
    answers.set("collectivite", collectivite_key);
    answers.set("contact_nom", agent_name);
    answers.set("contact_email", agent_email);
    answers
}

/// The colleague (id, name, email) chosen as a case's new contact among the agents of its collectivité, or the
/// French error naming the field.
pub fn choose_new_contact<'a>(
    colleagues: &'a [(i64, String, String)],
    chosen: i64,
    current_contact: &str,
) -> Result<&'a (i64, String, String), String> {
    let colleague = colleagues
        .iter()
        .find(|(id, _, _)| *id == chosen)
        .ok_or_else(|| "« Nouveau contact » : choisissez un agent de votre collectivité dans la liste.".to_string())?;
    if colleague.2.eq_ignore_ascii_case(current_contact.trim()) {
        return Err(format!(
            "« Nouveau contact » : {} est déjà le contact de ce dossier.",
            colleague.1
        ));
    }
    Ok(colleague)
}

/// The answers of a case once its contact is handed to a colleague: their name and address; the former
/// contact's function and telephone are theirs, not the new contact's, so they are cleared.
pub fn hand_over_contact(answers: &mut super::intake::IntakeAnswers, name: &str, email: &str) {
    answers.set("contact_nom", name);
    answers.set("contact_email", email);
    answers.set("contact_fonction", "");
    answers.set("contact_telephone", "");
}

/// The most colleagues an agent invites in 24 hours: the space is no mailing tool.
pub const INVITATIONS_PER_DAY: i64 = 20;

/// The field of the invitation form, as its errors name it.
const INVITED_FIELD: &str = "« Adresse électronique du collègue »";

/// The address of the colleague an agent invites (`own`: the agent's), lower-cased, given the invitations they
/// sent in the last 24 hours; or the French error naming the field.
pub fn check_colleague_invitation(email: &str, own: &str, sent_last_day: i64) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    if !super::intake::is_email(&email) {
        return Err(format!(
            "{INVITED_FIELD} : saisissez une adresse au format nom@domaine.fr."
        ));
    }
    if email == own.trim().to_lowercase() {
        return Err(format!(
            "{INVITED_FIELD} : c'est votre propre adresse ; saisissez celle d'un collègue."
        ));
    }
    if sent_last_day >= INVITATIONS_PER_DAY {
        return Err(format!(
            "{INVITED_FIELD} : vous avez déjà envoyé {INVITATIONS_PER_DAY} invitations en 24 heures ; réessayez demain."
        ));
    }
    Ok(email)
}

/// The field of the form that attaches a case filed by link, as its errors name it.
const LINK_FIELD: &str = "« Lien privé du dossier »";

/// The token of a case's private follow-up link as pasted by an agent: the whole address
/// (`https://…/suivi/<jeton>`), its path, or the token alone; or the French error naming the field.
pub fn follow_up_token(pasted: &str) -> Result<String, String> {
    let pasted = pasted.trim();
    let is_token = |t: &str| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit());
    let after = |marker: &str| {
        pasted.find(marker).map(|at| {
            pasted[at + marker.len()..]
                .split(['/', '?', '#'])
                .next()
                .unwrap_or_default()
        })
    };
    if pasted.is_empty() {
        return Err(format!(
            "{LINK_FIELD} : collez le lien reçu par courriel au dépôt du dossier (il contient « /suivi/ »)."
        ));
    }
    if after("/deposer/").is_some() {
        return Err(format!(
            "{LINK_FIELD} : ce lien est celui d'un brouillon, pas d'un dossier déposé ; déposez-le d'abord, puis \
             collez le lien de suivi reçu par courriel."
        ));
    }
    match after("/suivi/").or(Some(pasted)).filter(|t| is_token(t)) {
        Some(token) => Ok(token.to_ascii_lowercase()),
        None => Err(format!(
            "{LINK_FIELD} : ce lien n'est pas un lien de suivi complet ; copiez-le en entier depuis le courriel \
             reçu au dépôt (il contient « /suivi/ » suivi de 64 caractères)."
        )),
    }
}

/// What confirming a case's private link in the space does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attachment {
    /// The case joins the space of the agent's collectivité.
    Attach,
    /// It already belongs to it: nothing to do.
    AlreadyAttached,
}

/// Whether an agent of `own` (`kind:code`) attaches the case behind a private link they confirmed, filed for
/// `filed_for` and `attached` already or not; the French refusal naming the field otherwise.
pub fn check_attachment(own: &str, filed_for: &str, attached: bool) -> Result<Attachment, String> {
    if own != filed_for {
        return Err(format!(
            "{LINK_FIELD} : ce dossier a été déposé au nom d'une autre collectivité ; seul un agent de celle-ci \
             peut le rattacher à son espace."
        ));
    }
    Ok(if attached {
        Attachment::AlreadyAttached
    } else {
        Attachment::Attach
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::collectivites::parse_tsv;

    fn directory() -> Directory {
        let tsv = "kind\tcode\tsiren\tname\tpostal_codes\tpopulation\tdepartement_code\tdepartement_name\tregion_code\tregion_name\n\
                   commune\t42218\t214202186\tSaint-Étienne\t42000\t173136\t42\tLoire\t84\tAuvergne-Rhône-Alpes\n\
                   region\t01\t\tGuadeloupe\t\t384160\t\t\t01\tGuadeloupe\n";
        Directory::new(parse_tsv(tsv).expect("sample"))
    }

    fn roles(list: &[&str]) -> Vec<String> {
        list.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn a_territorial_agent_of_a_listed_commune_gets_its_space() {
        let dir = directory();
        let admitted = admit(
            &dir,
            "21420218600018",
            &roles(&["agent_public", TERRITORIAL_ROLE]),
            "Commune de Saint-Étienne",
        )
        .expect("admitted");
        assert_eq!(admitted.key(), "commune:42218");
    }

    #[test]
    fn an_organisation_off_the_list_is_refused_by_its_name_and_siret() {
        let dir = directory();
        let refusal = admit(&dir, "55203253400646", &roles(&[TERRITORIAL_ROLE]), "Danone").expect_err("refused");
        assert_eq!(refusal.code(), "hors-liste");
        let text = refusal.lines().join(" ");
        assert!(text.contains("« Danone » (SIRET 55203253400646)"), "{text}");
        assert!(text.contains("choisissez-la comme organisation"), "{text}");
        // A siret that is not one, and an empty one, are off the list too.
        assert_eq!(
            admit(&dir, "21420218600019", &roles(&[TERRITORIAL_ROLE]), "X").map(|c| c.key()),
            Err(Refusal::NotACollectivite {
                organisation: "X".into(),
                siret: "21420218600019".into()
            })
        );
        assert!(admit(&dir, "", &roles(&[TERRITORIAL_ROLE]), "").is_err());
    }

    #[test]
    fn an_agent_whose_roles_are_not_territorial_is_refused_naming_the_collectivite() {
        let dir = directory();
        let refusal = admit(&dir, "21420218600018", &roles(&["agent_public"]), "").expect_err("refused");
        assert_eq!(
            refusal,
            Refusal::NotTerritorial {
                organisation: "Saint-Étienne".into()
            }
        );
        assert!(refusal.lines()[0].contains("agent de « Saint-Étienne »"));
        assert_eq!(refusal.code(), "non-territorial");
    }

    #[test]
    fn a_draft_from_the_space_starts_with_the_collectivite_and_the_agent_as_contact() {
        let answers = prefilled_draft("commune:42218", "Julien Bernard", "julien.bernard@saint-etienne.fr");
        assert_eq!(answers.get("collectivite"), "commune:42218");
        assert_eq!(answers.get("contact_nom"), "Julien Bernard");
        assert_eq!(answers.get("contact_email"), "julien.bernard@saint-etienne.fr");
        assert_eq!(answers.get("titre"), "", "the agent writes the rest");
    }

    #[test]
    fn a_new_contact_is_a_colleague_of_the_list_other_than_the_current_one() {
        let colleagues = vec![
            (
                1,
                "Julien Bernard".to_string(),
                "julien.bernard@saint-etienne.fr".to_string(),
            ),
            (
                2,
                "Nadia Benali".to_string(),
                "nadia.benali@saint-etienne.fr".to_string(),
            ),
        ];
        let chosen = choose_new_contact(&colleagues, 2, "julien.bernard@saint-etienne.fr").expect("Nadia");
        assert_eq!(chosen.1, "Nadia Benali");
        let same = choose_new_contact(&colleagues, 1, " Julien.Bernard@saint-etienne.fr").expect_err("already");
        assert_eq!(
            same,
            "« Nouveau contact » : Julien Bernard est déjà le contact de ce dossier."
        );
        let unknown = choose_new_contact(&colleagues, 9, "julien.bernard@saint-etienne.fr").expect_err("unknown");
        assert!(unknown.starts_with("« Nouveau contact » :"), "{unknown}");
    }

    #[test]
    fn an_invitation_goes_to_a_well_formed_address_of_someone_else_a_few_times_a_day() {
        let own = "julien.bernard@saint-etienne.fr";
        assert_eq!(
            check_colleague_invitation(" Nadia.Benali@saint-etienne.fr ", own, 0),
            Ok("nadia.benali@saint-etienne.fr".to_string())
        );
        for (email, sent, says) in [
            ("nadia", 0, "format nom@domaine.fr"),
            ("Julien.Bernard@saint-etienne.fr", 0, "votre propre adresse"),
            ("nadia.benali@saint-etienne.fr", INVITATIONS_PER_DAY, "réessayez demain"),
        ] {
            let error = check_colleague_invitation(email, own, sent).expect_err(email);
            assert!(error.starts_with("« Adresse électronique du collègue » :"), "{error}");
            assert!(error.contains(says), "{error}");
        }
    }

    #[test]
    fn a_handed_over_contact_keeps_nothing_personal_of_the_former_one() {
        let mut answers = prefilled_draft("commune:42218", "Camille Martin", "camille.martin@saint-etienne.fr");
        answers.set("contact_fonction", "Cheffe de projet");
        answers.set("contact_telephone", "04 77 00 00 00");
        answers.set("titre", "Tri du courrier");
        hand_over_contact(&mut answers, "Nadia Benali", "nadia.benali@saint-etienne.fr");
        assert_eq!(answers.get("contact_nom"), "Nadia Benali");
        assert_eq!(answers.get("contact_email"), "nadia.benali@saint-etienne.fr");
        assert_eq!(
            (answers.get("contact_fonction"), answers.get("contact_telephone")),
            ("", "")
        );
        assert_eq!(answers.get("titre"), "Tri du courrier", "the case itself is untouched");
    }

    #[test]
    fn a_pasted_follow_up_link_gives_its_token_whatever_its_form() {
        let token = "ab".repeat(32);
        for pasted in [
            format!("https://iafactory.example/suivi/{token}"),
            format!(" /suivi/{token}?enregistre=message#fil "),
            format!("http://127.0.0.1:3000/suivi/{}/pieces/3", token.to_uppercase()),
            token.clone(),
        ] {
            assert_eq!(follow_up_token(&pasted), Ok(token.clone()), "{pasted}");
        }
        for (pasted, says) in [
            ("", "collez le lien reçu"),
            ("https://iafactory.example/suivi/abc", "pas un lien de suivi complet"),
            ("https://iafactory.example/catalogue", "pas un lien de suivi complet"),
            (
                &*format!("https://iafactory.example/deposer/{token}/etape/2"),
                "celui d'un brouillon",
            ),
        ] {
            let error = follow_up_token(pasted).expect_err(pasted);
            assert!(error.starts_with("« Lien privé du dossier » :"), "{error}");
            assert!(error.contains(says), "{pasted}: {error}");
        }
    }

    #[test]
    fn only_an_agent_of_the_collectivite_a_case_was_filed_for_attaches_it_once() {
        assert_eq!(
            check_attachment("commune:42218", "commune:42218", false),
            Ok(Attachment::Attach)
        );
        assert_eq!(
            check_attachment("commune:42218", "commune:42218", true),
            Ok(Attachment::AlreadyAttached)
        );
        let other = check_attachment("commune:69123", "commune:42218", false).expect_err("other");
        assert!(other.contains("au nom d'une autre collectivité"), "{other}");
    }
}
