//! The import read on 17 real records of the Bibliothèque (`server/data/bibliotheque-echantillon.csv`) and
//! the official list of collectivités: what each flaw of real data becomes.

use super::values::{BodyType, Status};
use super::*;
use crate::domain::collectivites::parse_tsv;

fn sample() -> ReadFile {
    let directory = Directory::new(parse_tsv(include_str!("../../../../server/data/collectivites.tsv")).unwrap());
    read_file(
        include_str!("../../../../server/data/bibliotheque-echantillon.csv"),
        &directory,
    )
    .unwrap()
}

fn record<'a>(file: &'a ReadFile, project: &str) -> &'a ReadRecord {
    file.records
        .iter()
        .find(|r| r.project.project_name.starts_with(project))
        .unwrap_or_else(|| panic!("{project} absent"))
}

fn problems_of(record: &ReadRecord, field: &str) -> Vec<String> {
    record
        .problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| p.message.clone())
        .collect()
}

#[test]
fn the_seventeen_records_are_read_each_with_its_own_key() {
    let file = sample();
    assert_eq!(file.records.len(), 17);
    assert!(file.refused.is_empty(), "{:?}", file.refused);
    assert!(file.ignored_columns.is_empty(), "{:?}", file.ignored_columns);
    let mut keys: Vec<&str> = file.records.iter().map(|r| r.project.key.as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 17);
    let mut slugs: Vec<&str> = file.records.iter().map(|r| r.project.slug.as_str()).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 17);
}

#[test]
fn a_siret_of_another_body_is_said_and_the_collectivite_found_by_its_name() {
    let file = sample();
    let vipare = record(&file, "ViPARE");
    assert_eq!(vipare.project.collectivite_kind, "commune");
    assert_eq!(vipare.project.collectivite_key, "commune:57463");
    assert!(vipare.project.key.ends_with(":vipare"));
    assert!(!vipare.project.key.starts_with("200039865"), "{}", vipare.project.key);
    let said = problems_of(vipare, "SIRET");
    assert!(said[0].contains("celui de Metz Métropole"), "{said:?}");
    assert!(said[0].contains("reconnue par son nom : Metz"), "{said:?}");
    assert_eq!(vipare.project.started, "2024-01");
    assert_eq!(vipare.project.source_updated, "2025-05-06");
    assert_eq!(vipare.project.domain, "environnement");
}

#[test]
fn a_siret_failing_its_check_digit_keeps_the_collectivite_of_its_name() {
    let file = sample();
    let iadata = record(&file, "IADATA catégorisation");
    let said = problems_of(iadata, "SIRET");
    assert!(said[0].contains("n'est pas un SIRET"), "{said:?}");
    assert_eq!(iadata.project.siren, "243100518");
    assert_eq!(iadata.project.collectivite_kind, "epci");
    assert_eq!(iadata.project.status, Some(Status::Terminee));
    assert!(problems_of(iadata, "Statut_du_projet")[0].contains("lu « Terminée »"));
    assert!(problems_of(iadata, "Type_de_collectivite")[0].contains("« Métropole »"));
    assert!(iadata.project.audiences.contains(&"Elu".to_string()));
    assert!(problems_of(iadata, "Audience")[0].contains("« Élu »"));
}

#[test]
fn an_ept_outside_the_list_is_kept_under_its_own_siren_without_a_collectivite() {
    let file = sample();
    let predict = record(&file, "Predict AI");
    assert_eq!(predict.project.siren, "200057982");
    assert_eq!(predict.project.collectivite_key, "");
    assert_eq!(predict.project.body_type, Some(BodyType::Epci));
    assert!(problems_of(predict, "SIRET")[0].contains("n'est pas celui d'une collectivité de la liste officielle"));
    assert!(predict.project.key.starts_with("200057982:"));
}

#[test]
fn spaces_in_a_siret_and_fields_over_several_lines_are_read() {
    let file = sample();
    let montpellier = record(&file, "Stratégie Data et IA");
    assert_eq!(montpellier.project.siret, "24340001700022");
    assert_eq!(montpellier.project.collectivite_key, "epci:243400017");
    assert!(problems_of(montpellier, "SIRET")[0].contains("espaces"));
    let immersion = record(&file, "IMMERSION IA");
    assert!(immersion.project.description.contains('\n'));
    let vendee = record(&file, "DIAT");
    assert_eq!(vendee.project.collectivite_kind, "departement");
    assert!(vendee.problems.is_empty(), "{:?}", vendee.problems);
}

#[test]
fn a_file_that_is_not_the_bibliotheques_is_refused_whole() {
    let directory = Directory::new(Vec::new());
    let error = read_file("nom,projet\nA,B\n", &directory).unwrap_err();
    assert!(error.contains("Nom_collectivite"), "{error}");
    let error = read_file("Nom_collectivite,Nom_du_projet\n\"A,B\n", &directory).unwrap_err();
    assert!(error.contains("ligne 2, colonne 1"), "{error}");
    let file = read_file(
        "Nom_collectivite,Nom_du_projet,budget\nVille,Projet,10\n,Sans nom,\nVille,Projet,\n",
        &directory,
    )
    .unwrap();
    assert_eq!(file.records.len(), 1);
    assert_eq!(file.ignored_columns, vec!["budget"]);
    assert_eq!(file.refused.len(), 2);
    assert_eq!(file.refused[0].line, 3);
    assert!(file.refused[1].message.contains("déjà ligne 2"));
}
