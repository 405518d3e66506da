//! Tests of the cadrage rules.

use super::*;

fn complete() -> CadrageDocument {
    let mut answers = IntakeAnswers::default();
    for (key, value) in [
        ("titre", "Courriers"),
        ("probleme", "Trop de courriers."),
        ("solution", "Un assistant de réponse."),
        ("typologie", "produit-vibe"),
        ("perimetre", "Service courrier"),
        ("agents", "40"),
        ("directions", "DGS"),
        ("brique_vibe", "on"),
        ("sponsor_nom", "Mme la Maire"),
        ("metier_nom", "Jeanne Martin"),
        ("metier_fonction", "Cheffe du service courrier"),
        ("donnees_necessaires", "Archives des courriers"),
    ] {
        answers.set(key, value);
    }
    let mut document = prefill(&answers, "2026-01-31");
    document.set("signataire_cdc", "Paul Durand, directeur régional");
    document.set("signataire_prestataire", "Lise Roy, Mistral AI");
    document.set("agents_tests", "5");
    document
}

#[test]
fn the_document_opens_with_the_cadrage() {
    use crate::domain::stage::Stage;
    assert!(!document_open(Stage::Qualification));
    assert!(!document_open(Stage::Reoriente));
    assert!(document_open(Stage::Cadrage) && document_open(Stage::Diffusion));
}

#[test]
fn the_prefilled_document_takes_the_intake_and_the_defaults() {
    let document = complete();
    assert_eq!(document.get("typologie"), "produit-vibe");
    assert_eq!(document.get("agents"), "40");
    assert_eq!(document.get("sieges_vibe"), "40");
    assert_eq!(document.get("hebergement"), "mistral-compute");
    assert_eq!(document.get("duree_mois"), "12");
    assert_eq!(document.get("debut"), "2026-01-31");
    assert_eq!(document.get("jalon_conception"), "2026-04-30");
    assert_eq!(document.get("jalon_diffusion"), "2026-10-31");
    assert_eq!(
        document.get("chef_de_projet"),
        "Jeanne Martin, Cheffe du service courrier"
    );
    assert!(document.get("objectifs").starts_with("Un assistant de réponse."));
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn check_names_each_wrong_field_in_french() {
    let mut document = complete();
    document.set("objectifs", "");
    document.set("agents", "beaucoup");
    document.set("typologie", "autre");
    document.set("debut", "31/01/2026");
    document.set("sieges_vibe", "");
    let errors = check(&document);
    let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
    assert_eq!(keys, ["objectifs", "typologie", "agents", "debut"]);
    assert_eq!(errors[0].message, "Renseignez « Objectifs opérationnels ».");
    assert!(errors[2].message.contains("entre 1 et 1000000"));
}

#[test]
fn milestones_must_follow_each_other_within_the_duration() {
    let mut document = complete();
    document.set("jalon_conception", "2026-01-15");
    assert_eq!(check(&document)[0].key, "jalon_conception");
    let mut document = complete();
    document.set("jalon_diffusion", "2027-02-01");
    assert!(check(&document)[0].message.contains("avant la fin du projet"));
    // A duration out of bounds is refused for itself, and the milestones are not measured against it.
    for months in ["9223372036854775807", "-9223372036854775808", "0", "37"] {
        let mut document = complete();
        document.set("duree_mois", months);
        let errors = check(&document);
        assert_eq!(errors.len(), 1, "{months}: {errors:?}");
        assert_eq!(errors[0].key, "duree_mois", "{months}");
    }
}

#[test]
fn adding_months_keeps_or_shortens_the_day() {
    let day = |text: &str| crate::domain::dates::day_number(text).unwrap();
    assert_eq!(add_months(day("2026-01-31"), 1), day("2026-02-28"));
    assert_eq!(add_months(day("2026-11-15"), 12), day("2027-11-15"));
    assert_eq!(add_months(day("2028-01-31"), 1), day("2028-02-29"));
}

#[test]
fn forms_keep_known_fields_cleaned_and_lists_one_per_line() {
    let document = CadrageDocument::from_form([
        ("objectifs", "  Répondre plus vite \u{0} "),
        ("inconnu", "x"),
        ("conditions_diffusion", "- Tests faits\n\n * Guide rédigé \n"),
    ]);
    assert_eq!(document.get("objectifs"), "Répondre plus vite");
    assert_eq!(document.get("inconnu"), "");
    assert_eq!(document.lines("conditions_diffusion"), ["Tests faits", "Guide rédigé"]);
}

#[test]
fn the_difference_lists_changed_fields_line_by_line() {
    let before = complete();
    let mut after = before.clone();
    after.set(
        "conditions_diffusion",
        "Solution testée par les agents en conditions réelles\nTaux d'adoption supérieur à 50 %\nDocumentation de prise en main rédigée",
    );
    after.set("typologie", "application-personnalisee");
    let changes = diff(&before, &after);
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].key, "typologie");
    assert_eq!(
        changes[0].lines,
        [
            DiffLine::Removed("Cas d'usage produit Vibe".into()),
            DiffLine::Added("Application personnalisée".into())
        ]
    );
    assert_eq!(
        changes[1].lines,
        [
            DiffLine::Same("Solution testée par les agents en conditions réelles".into()),
            DiffLine::Removed("Retours des tests pris en compte".into()),
            DiffLine::Added("Taux d'adoption supérieur à 50 %".into()),
            DiffLine::Same("Documentation de prise en main rédigée".into()),
        ]
    );
    assert!(diff(&before, &before).is_empty());
    assert_eq!(diff_lines("", "a"), [DiffLine::Added("a".into())]);
}

#[test]
fn a_new_version_clears_the_validations_of_the_earlier_ones() {
    let recorded = [
        RecordedValidation {
            version: 1,
            party: Party::Collectivite,
        },
        RecordedValidation {
            version: 1,
            party: Party::CaisseDesDepots,
        },
        RecordedValidation {
            version: 1,
            party: Party::Prestataire,
        },
    ];
    assert!(fully_validated(Some(1), &recorded));
    assert!(!fully_validated(Some(2), &recorded));
    assert!(current_validations(Some(2), &recorded).is_empty());
    assert!(!fully_validated(None, &recorded));
    assert!(!fully_validated(Some(1), &recorded[..2]));
    let mut again = recorded.to_vec();
    again.push(RecordedValidation {
        version: 2,
        party: Party::Prestataire,
    });
    assert_eq!(current_validations(Some(2), &again), [Party::Prestataire]);
}

#[test]
fn only_the_current_version_may_be_validated_once_per_party() {
    let recorded = [RecordedValidation {
        version: 2,
        party: Party::Collectivite,
    }];
    assert!(check_validation(Some(2), 2, Party::Prestataire, &recorded).is_ok());
    assert!(check_validation(Some(2), 1, Party::Prestataire, &recorded)
        .unwrap_err()
        .contains("validez la version 2"));
    assert!(check_validation(Some(2), 2, Party::Collectivite, &recorded)
        .unwrap_err()
        .contains("déjà validé"));
    assert!(check_validation(None, 1, Party::Collectivite, &[]).is_err());
}

#[test]
fn phase4_needs_every_condition_checked_with_evidence() {
    let conditions = vec!["Tests".to_string(), "Guide".to_string()];
    let check = |condition: &str, evidence: &str| ConditionCheck {
        condition: condition.into(),
        evidence: evidence.into(),
    };
    assert!(!phase4_complete(
        &conditions,
        &[check("Tests", "Compte rendu du 3 mars")]
    ));
    assert_eq!(
        unchecked_conditions(&conditions, &[check("Tests", "CR"), check("Guide", " ")]),
        ["Guide"]
    );
    assert!(phase4_complete(
        &conditions,
        &[check("Tests", "CR"), check("Guide", "https://exemple.fr/guide")]
    ));
    assert!(!phase4_complete(&[], &[]));
    assert!(check_evidence("  ").is_err());
    assert_eq!(check_evidence(" lien ").unwrap(), "lien");
}

#[test]
fn log_entries_need_a_day_a_kind_and_a_text() {
    assert!(check_log_entry("2026-03-02", "test", "Test avec 5 agents").is_ok());
    assert!(check_log_entry("02/03/2026", "test", "x").unwrap_err().contains("date"));
    assert!(check_log_entry("2026-03-02", "autre", "x")
        .unwrap_err()
        .contains("nature"));
    assert!(check_log_entry("2026-03-02", "test", " ")
        .unwrap_err()
        .contains("Décrivez"));
}

#[test]
fn a_validation_says_how_its_signatory_was_identified() {
    let team = Identification::RecordedByTeam;
    assert_eq!(team.describe("Élise Moreau"), "enregistré par Élise Moreau");
    let agent = Identification::ProConnect {
        acr: "eidas1".into(),
        idp_id: "idp".into(),
    };
    assert_eq!(
        agent.describe("Julien Bernard"),
        "en son nom, identifié·e par ProConnect, niveau substantiel (eidas1)"
    );
    let account = Identification::Account;
    assert_eq!(
        account.describe("Presta Sud"),
        "avec le compte IA Factory de Presta Sud"
    );
    let paper = Identification::Paper {
        document: "abc".into(),
        file_name: "cadrage-signe.pdf".into(),
    };
    assert_eq!(
        paper.describe("Élise Moreau"),
        "signature sur papier, PDF signé « cadrage-signe.pdf » joint, enregistrée par Élise Moreau"
    );
    for how in [team, agent, account, paper] {
        let (acr, idp, pdf) = match &how {
            Identification::ProConnect { acr, idp_id } => (acr.as_str(), idp_id.as_str(), None),
            Identification::Paper { document, file_name } => ("", "", Some((document.clone(), file_name.clone()))),
            Identification::RecordedByTeam | Identification::Account => ("", "", None),
        };
        assert_eq!(
            Identification::from_stored(how.code(), acr, idp, pdf),
            Some(how.clone())
        );
    }
    assert_eq!(
        Identification::from_stored("papier", "", "", None),
        None,
        "never a paper signature without its PDF"
    );
    assert_eq!(Identification::from_stored("fax", "", "", None), None);
}
