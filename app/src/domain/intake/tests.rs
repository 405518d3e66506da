//! Tests of the intake rules.

use super::*;

fn any_key(_: &str) -> bool {
    true
}

fn complete() -> IntakeAnswers {
    let mut a = IntakeAnswers::default();
    for (name, value) in [
        ("collectivite", "commune:42218"),
        ("contact_nom", "Camille Martin"),
        ("contact_fonction", "Cheffe de projet numérique"),
        ("contact_email", "camille.martin@saint-etienne.fr"),
        ("titre", "Accélération de l'instruction du PLU"),
        (
            "probleme",
            "Les instructeurs passent des heures à vérifier les pièces des dossiers.",
        ),
        (
            "solution",
            "Un agent IA pré-vérifie la complétude et la conformité des dossiers.",
        ),
        ("domaine", "urbanisme"),
        ("perimetre", "Instruction des permis de construire"),
        ("directions", "Direction de l'urbanisme"),
        ("brique_agents", "on"),
        ("typologie", "application-personnalisee"),
        ("agents", "25"),
        ("usagers", "12 000"),
        ("occurrences_mois", "200"),
        ("minutes_par_occurrence", "45"),
        ("part_temps_gagne", "50"),
        ("metier_nom", "Jean Dupont"),
        ("metier_fonction", "Directeur de l'urbanisme"),
        ("dsi_nom", "Awa Diallo"),
        ("dsi_fonction", "DSI"),
        ("sponsor_nom", "Marie Leroy"),
        ("sponsor_fonction", "DGS"),
        (
            "donnees_necessaires",
            "Dossiers de permis numérisés et règlement du PLU",
        ),
        ("disponibilite_donnees", "disponibles"),
        ("qualite_donnees", "bonne"),
        ("donnees_personnelles", "oui"),
        ("maturite", "2"),
        ("stade_projet", "besoin-defini"),
        ("hebergement", "mistral-compute"),
    ] {
        a.set(name, value);
    }
    a
}

fn fields_in_error(step: i32, a: &IntakeAnswers) -> Vec<String> {
    validate_step(step, a, &any_key).into_iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_intake_has_no_error() {
    assert!(validate_all(&complete(), &any_key).is_empty());
}

#[test]
fn every_step_of_an_empty_intake_names_its_required_fields() {
    let empty = IntakeAnswers::default();
    assert_eq!(
        fields_in_error(1, &empty),
        ["collectivite", "contact_nom", "contact_fonction", "contact_email"]
    );
    assert_eq!(
        fields_in_error(2, &empty),
        [
            "titre",
            "probleme",
            "solution",
            "domaine",
            "perimetre",
            "directions",
            "briques",
            "typologie"
        ]
    );
    assert_eq!(
        fields_in_error(3, &empty),
        [
            "agents",
            "usagers",
            "occurrences_mois",
            "minutes_par_occurrence",
            "part_temps_gagne"
        ]
    );
    assert!(fields_in_error(4, &empty).is_empty(), "missing portage does not block");
    assert_eq!(
        fields_in_error(5, &empty),
        [
            "donnees_necessaires",
            "disponibilite_donnees",
            "qualite_donnees",
            "donnees_personnelles",
            "maturite",
            "stade_projet",
            "hebergement"
        ]
    );
}

#[test]
fn errors_name_the_field_in_french() {
    let errors = validate_step(2, &IntakeAnswers::default(), &any_key);
    assert_eq!(
        errors[0].message,
        "« Titre du cas d'usage » : ce champ est obligatoire."
    );
}

#[test]
fn text_lengths_are_bounded() {
    let mut a = complete();
    a.set("titre", "PLU");
    assert_eq!(
        validate_step(2, &a, &any_key)[0].message,
        "« Titre du cas d'usage » : saisissez au moins 5 caractères (actuellement 3)."
    );
    a.set("titre", &"é".repeat(121));
    assert!(validate_step(2, &a, &any_key)[0]
        .message
        .contains("au plus 120 caractères (actuellement 121)"));
}

#[test]
fn numbers_must_be_whole_and_in_range() {
    let mut a = complete();
    a.set("agents", "douze");
    assert!(validate_step(3, &a, &any_key)[0].message.contains("nombre entier"));
    a.set("agents", "-3");
    assert!(validate_step(3, &a, &any_key)[0]
        .message
        .contains("entre 1 et 1\u{202f}000\u{202f}000"));
    a.set("agents", "2,5");
    assert_eq!(fields_in_error(3, &a), ["agents"]);
    a.set("agents", "99999999999999999999999");
    assert_eq!(fields_in_error(3, &a), ["agents"]);
    a.set("agents", "1 200");
    assert!(fields_in_error(3, &a).is_empty());
    a.set("part_temps_gagne", "101");
    assert_eq!(fields_in_error(3, &a), ["part_temps_gagne"]);
}

#[test]
fn choices_must_come_from_the_list() {
    let mut a = complete();
    a.set("domaine", "astrologie");
    assert_eq!(
        validate_step(2, &a, &any_key)[0].message,
        "« Domaine » : choisissez une réponse de la liste."
    );
    a.set("maturite", "5");
    assert_eq!(fields_in_error(5, &a), ["maturite"]);
}

#[test]
fn at_least_one_brick() {
    let mut a = complete();
    a.set("brique_agents", "");
    assert_eq!(fields_in_error(2, &a), ["briques"]);
    a.set("brique_vibe", "on");
    a.set("brique_application", "on");
    assert_eq!(a.briques(), ["vibe", "application"]);
}

#[test]
fn email_and_phone_forms() {
    assert!(is_email("a.b@ville.fr"));
    for bad in ["", "ab", "a@b", "a@@b.fr", "a b@c.fr", "a@.fr", "a@b..fr", "@b.fr"] {
        assert!(!is_email(bad), "{bad}");
    }
    assert!(is_phone("01 23 45 67 89"));
    assert!(is_phone("+33 1 23 45 67 89"));
    assert!(!is_phone("12345"));
    assert!(!is_phone("01 23 45 67 8a"));
    let mut a = complete();
    a.set("contact_telephone", "123");
    assert_eq!(fields_in_error(1, &a), ["contact_telephone"]);
    a.set("contact_email", "camille");
    assert_eq!(fields_in_error(1, &a), ["contact_email", "contact_telephone"]);
}

#[test]
fn collectivite_must_be_in_the_official_list() {
    let mut a = complete();
    let only_saint_etienne = |key: &str| key == "commune:42218";
    assert!(validate_step(1, &a, &only_saint_etienne).is_empty());
    a.set("collectivite", "commune:99999");
    assert_eq!(validate_step(1, &a, &only_saint_etienne)[0].field, "collectivite");
    a.set("collectivite", "Saint-Étienne");
    assert_eq!(validate_step(1, &a, &any_key)[0].field, "collectivite");
}

#[test]
fn portage_missing_alerts_but_does_not_block() {
    let mut a = complete();
    a.set("sponsor_nom", "");
    a.set("sponsor_fonction", "");
    assert!(fields_in_error(4, &a).is_empty());
    assert_eq!(a.missing_portage(), [PortageLevel::Sponsor]);
    let alert = portage_alert(&a.missing_portage()).expect("alert");
    assert!(alert.starts_with("Signal d'alerte"));
    assert!(alert.contains("sponsor politique"));
    assert_eq!(portage_alert(&[]), None);
}

#[test]
fn portage_name_without_function_is_an_error() {
    let mut a = complete();
    a.set("dsi_fonction", "");
    assert_eq!(fields_in_error(4, &a), ["dsi_fonction"]);
    a.set("dsi_nom", "");
    a.set("dsi_fonction", "DSI");
    assert_eq!(fields_in_error(4, &a), ["dsi_nom"]);
}

#[test]
fn impact_estimate_needs_valid_volumes() {
    let mut a = complete();
    assert_eq!(a.hours_saved_per_year(), Some(900));
    a.set("part_temps_gagne", "150");
    assert_eq!(a.hours_saved_per_year(), None);
}

#[test]
fn apply_step_replaces_the_step_and_empties_unticked_boxes() {
    let mut a = complete();
    a.apply_step(
        2,
        &[
            ("titre".into(), "Nouveau titre".into()),
            ("brique_vibe".into(), "on".into()),
        ],
    );
    assert_eq!(a.get("titre"), "Nouveau titre");
    assert_eq!(a.briques(), ["vibe"]);
    assert_eq!(a.get("probleme"), "", "absent field of the step is emptied");
    assert_eq!(a.get("contact_nom"), "Camille Martin", "other steps are kept");
}

#[test]
fn set_ignores_unknown_fields_cleans_and_caps() {
    let mut a = IntakeAnswers::default();
    a.set("mot_de_passe", "x");
    assert!(a.pairs().is_empty());
    a.set("titre", "a\u{0}b\r\nc\u{202e}");
    assert_eq!(a.get("titre"), "ab\nc\u{202e}");
    a.set("probleme", &"x".repeat(50_000));
    assert_eq!(a.get("probleme").len(), MAX_STORED_CHARS);
}

#[test]
fn every_field_belongs_to_a_step_and_names_are_unique() {
    let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), FIELDS.len());
    assert!(FIELDS.iter().all(|f| (1..STEP_COUNT).contains(&f.step)));
}

#[test]
fn validate_all_lists_steps_in_order() {
    let mut a = complete();
    a.set("titre", "");
    a.set("hebergement", "");
    let steps: Vec<i32> = validate_all(&a, &any_key).iter().map(|(s, _)| *s).collect();
    assert_eq!(steps, [2, 5]);
}

#[test]
fn two_tabs_on_two_steps_merge_and_the_same_step_saved_elsewhere_asks_to_reload() {
    let saved: StepVersions = [(1, (3, "a".to_string())), (2, (5, "a".to_string()))]
        .into_iter()
        .collect();
    // Tab b loaded version 4: step 2 was saved after by tab a (version 5), step 1 before, step 3 never.
    assert!(check_autosave(1, 4, "b", &saved).is_ok());
    assert!(check_autosave(3, 4, "b", &saved).is_ok());
    let refusal = check_autosave(2, 4, "b", &saved).unwrap_err();
    assert!(
        refusal.contains("autre onglet") && refusal.contains("Rechargez"),
        "{refusal}"
    );
    // Tab a's own save counts not against it, even one whose answer it never got (its base is still 4).
    assert!(check_autosave(2, 4, "a", &saved).is_ok());
    assert!(check_autosave(2, 5, "b", &saved).is_ok());
}
