//! The diffusion kit of stage 5 (cadre d'intervention §3, étape 5): the public summary, the documentation, the
//! demonstration videos, the prise-en-main supports and the gains measured after deployment, as the team types
//! them and as they are checked before they are saved or published.

use serde::{Deserialize, Serialize};

use super::catalogue::is_public_link;
use super::text::clean_text;

/// A demonstration video: a link with its title; embedded only with a transcript or captions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub transcript_url: String,
}

/// A prise-en-main support: a download or a link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub title: String,
    pub url: String,
}

/// The kit of a case as saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffusionKit {
    pub summary: String,
    pub problem: String,
    pub solution: String,
    /// Markdown.
    pub documentation: String,
    pub videos: Vec<Video>,
    pub supports: Vec<Support>,
    pub contact: String,
    /// Agents actually using the solution, measured after deployment.
    pub agents_measured: Option<i64>,
    /// Hours saved per year, measured after deployment.
    pub hours_measured: Option<i64>,
}

/// The kit as the form sends it: texts, the lists one item per line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KitForm<'a> {
    pub summary: &'a str,
    pub problem: &'a str,
    pub solution: &'a str,
    pub documentation: &'a str,
    /// `Titre | adresse de la vidéo | adresse de la transcription` per line (the transcript is optional).
    pub videos: &'a str,
    /// `Titre | adresse` per line.
    pub supports: &'a str,
    pub contact: &'a str,
    pub agents_measured: &'a str,
    pub hours_measured: &'a str,
}

/// A field refused, with the French message shown beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitError {
    pub field: &'static str,
    pub message: String,
}

pub const MAX_SUMMARY_CHARS: usize = 400;
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_DOCUMENTATION_CHARS: usize = 50_000;
pub const MAX_ITEMS: usize = 20;

fn error(field: &'static str, message: impl Into<String>) -> KitError {
    KitError {
        field,
        message: message.into(),
    }
}

fn text(field: &'static str, label: &str, raw: &str, max: usize, errors: &mut Vec<KitError>) -> String {
    let value = clean_text(raw).trim().to_string();
    if value.chars().count() > max {
        errors.push(error(field, format!("« {label} » compte au plus {max} caractères.")));
    }
    value
}

fn measured(field: &'static str, label: &str, raw: &str, errors: &mut Vec<KitError>) -> Option<i64> {
    let digits = raw.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
    if digits.is_empty() {
        return None;
    }
    match digits.parse::<i64>() {
        Ok(number) if (0..=10_000_000).contains(&number) => Some(number),
        _ => {
            errors.push(error(
                field,
                format!("« {label} » doit être un nombre entier positif (ou rester vide tant qu'il n'est pas mesuré)."),
            ));
            None
        }
    }
}

/// Reads the form into a kit; every problem is returned with its field (the kit is still returned, so nothing
/// typed is lost when the form is shown again).
pub fn read_kit(form: &KitForm<'_>) -> (DiffusionKit, Vec<KitError>) {
    let mut errors = Vec::new();
    let summary = text("resume", "Résumé public", form.summary, MAX_SUMMARY_CHARS, &mut errors);
    let problem = text("probleme", "Le problème", form.problem, MAX_TEXT_CHARS, &mut errors);
    let solution = text("solution", "La solution", form.solution, MAX_TEXT_CHARS, &mut errors);
    let documentation = clean_text(form.documentation).trim().to_string();
    if documentation.chars().count() > MAX_DOCUMENTATION_CHARS {
        errors.push(error(
            "documentation",
            format!("La documentation compte au plus {MAX_DOCUMENTATION_CHARS} caractères."),
        ));
    }
    let contact = text("contact", "Contact", form.contact, MAX_SUMMARY_CHARS, &mut errors);
    let mut videos = Vec::new();
    for (index, line) in clean_text(form.videos)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (title, url, transcript) = match parts.as_slice() {
            [title, url] => (*title, *url, ""),
            [title, url, transcript] => (*title, *url, *transcript),
            _ => ("", "", ""),
        };
        if title.is_empty() || !is_public_link(url) || !(transcript.is_empty() || is_public_link(transcript)) {
            errors.push(error(
                "videos",
                format!(
                    "Vidéo {} : écrivez « titre | adresse https:// de la vidéo | adresse https:// de la transcription » (la transcription est facultative).",
                    index + 1
                ),
            ));
            continue;
        }
        videos.push(Video {
            title: title.to_string(),
            url: url.to_string(),
            transcript_url: transcript.to_string(),
        });
    }
    let mut supports = Vec::new();
    for (index, line) in clean_text(form.supports)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        match line.split('|').map(str::trim).collect::<Vec<_>>().as_slice() {
            [title, url] if !title.is_empty() && is_public_link(url) => supports.push(Support {
                title: title.to_string(),
                url: url.to_string(),
            }),
            _ => errors.push(error(
                "supports",
                format!(
                    "Support {} : écrivez « titre | adresse https:// du support ».",
                    index + 1
                ),
            )),
        }
    }
    if videos.len() > MAX_ITEMS || supports.len() > MAX_ITEMS {
        errors.push(error(
            "videos",
            format!("Au plus {MAX_ITEMS} vidéos et {MAX_ITEMS} supports."),
        ));
    }
    let agents_measured = measured(
        "agents_mesures",
        "Agents utilisant la solution",
        form.agents_measured,
        &mut errors,
    );
    let hours_measured = measured(
        "heures_mesurees",
        "Heures économisées par an",
        form.hours_measured,
        &mut errors,
    );
    (
        DiffusionKit {
            summary,
            problem,
            solution,
            documentation,
            videos,
            supports,
            contact,
            agents_measured,
            hours_measured,
        },
        errors,
    )
}

/// The kit as the form shows it again (the inverse of `read_kit` for the lists).
pub fn videos_text(videos: &[Video]) -> String {
    videos
        .iter()
        .map(|video| {
            if video.transcript_url.is_empty() {
                format!("{} | {}", video.title, video.url)
            } else {
                format!("{} | {} | {}", video.title, video.url, video.transcript_url)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn supports_text(supports: &[Support]) -> String {
    supports
        .iter()
        .map(|support| format!("{} | {}", support.title, support.url))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A case is published in the catalogue from the conception on (a first version to reuse), and in diffusion.
pub fn may_publish(stage: super::stage::Stage) -> bool {
    use super::stage::Stage;
    matches!(stage, Stage::Conception | Stage::Diffusion)
}

/// Why a case cannot be published before the conception (the publishing transaction checks it again through
/// `gates::check`, so a case moved back meanwhile is not published).
pub const PUBLICATION_STAGE_MESSAGE: &str =
    "Un cas se publie au catalogue à partir de l'étape « Conception et implémentation ».";

/// What is missing before the kit can be published, in French (empty when it can be).
pub fn missing_for_publication(kit: &DiffusionKit) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if kit.summary.is_empty() {
        missing.push("le résumé public");
    }
    if kit.problem.is_empty() {
        missing.push("le problème");
    }
    if kit.solution.is_empty() {
        missing.push("la solution");
    }
    if kit.contact.is_empty() {
        missing.push("le contact");
    }
    missing
}

/// The gains a published case shows: the figures measured after deployment where the team has them, else the
/// intake's estimate. The gain is the hours saved, so the gains count as measured once the hours are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicGains {
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub measured: bool,
}

/// What the catalogue shows of a case's gains; the publication's preview and the public page both call it.
pub fn public_gains(
    agents_estimated: i64,
    hours_estimated: i64,
    agents_measured: Option<i64>,
    hours_measured: Option<i64>,
) -> PublicGains {
    PublicGains {
        agents: agents_measured.unwrap_or(agents_estimated),
        hours_saved_per_year: hours_measured.unwrap_or(hours_estimated),
        measured: hours_measured.is_some(),
    }
}

/// The first kit of a case, before the team writes one: the problem and the solution as the collectivité
/// described them at intake.
pub fn prefill_kit(problem: &str, solution: &str) -> DiffusionKit {
    DiffusionKit {
        problem: problem.to_string(),
        solution: solution.to_string(),
        ..Default::default()
    }
}

/// Whether a case may be published now: its stage, and a saved kit that lacks nothing the public needs.
pub fn check_publication(
    stage: super::stage::Stage,
    saved_kit: Option<&DiffusionKit>,
) -> Result<&DiffusionKit, String> {
    if !may_publish(stage) {
        return Err(PUBLICATION_STAGE_MESSAGE.into());
    }
    let Some(kit) = saved_kit else {
        return Err("Enregistrez d'abord le kit de diffusion : c'est lui que le public verra.".into());
    };
    let missing = missing_for_publication(kit);
    if !missing.is_empty() {
        return Err(format!(
            "Avant de publier, complétez le kit de diffusion : {}.",
            missing.join(", ")
        ));
    }
    Ok(kit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> KitForm<'static> {
        KitForm {
            summary: " Un assistant pour les courriers. ",
            problem: "Trop de courriers.",
            solution: "Un assistant.",
            documentation: "## Installer\n\nÉtapes.",
            videos: "Démo | https://v.exemple.fr/1 | https://v.exemple.fr/1.vtt\nTémoignage | https://v.exemple.fr/2\n",
            supports: "Guide | https://d.exemple.fr/guide.pdf",
            contact: "equipe@exemple.fr",
            agents_measured: "32",
            hours_measured: "1 200",
        }
    }

    #[test]
    fn a_good_form_reads_into_a_kit_and_back() {
        let (kit, errors) = read_kit(&form());
        assert_eq!(errors, Vec::new());
        assert_eq!(kit.summary, "Un assistant pour les courriers.");
        assert_eq!(kit.videos.len(), 2);
        assert_eq!(kit.videos[1].transcript_url, "");
        assert_eq!(kit.hours_measured, Some(1200));
        assert_eq!(
            videos_text(&kit.videos),
            "Démo | https://v.exemple.fr/1 | https://v.exemple.fr/1.vtt\nTémoignage | https://v.exemple.fr/2"
        );
        assert_eq!(supports_text(&kit.supports), "Guide | https://d.exemple.fr/guide.pdf");
        assert!(missing_for_publication(&kit).is_empty());
    }

    #[test]
    fn bad_links_and_numbers_are_named_and_nothing_typed_is_lost() {
        let (kit, errors) = read_kit(&KitForm {
            videos: "Démo | javascript:alert(1)",
            supports: "Guide sans adresse",
            agents_measured: "-3",
            hours_measured: "",
            ..form()
        });
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["videos", "supports", "agents_mesures"]);
        assert_eq!(kit.summary, "Un assistant pour les courriers.");
        assert_eq!(kit.hours_measured, None);
    }

    #[test]
    fn publication_opens_with_the_conception() {
        use crate::domain::stage::Stage;
        assert!(!may_publish(Stage::Cadrage));
        assert!(PUBLICATION_STAGE_MESSAGE.contains("Conception"));
        assert!(may_publish(Stage::Conception) && may_publish(Stage::Diffusion));
    }

    #[test]
    fn publication_needs_the_public_texts() {
        let (kit, _) = read_kit(&KitForm {
            summary: "",
            contact: " ",
            ..form()
        });
        assert_eq!(missing_for_publication(&kit), ["le résumé public", "le contact"]);
    }
    #[test]
    fn gains_count_as_measured_once_the_hours_are() {
        let only_hours = public_gains(10, 500, None, Some(800));
        assert_eq!(
            only_hours,
            PublicGains {
                agents: 10,
                hours_saved_per_year: 800,
                measured: true
            }
        );
        let only_agents = public_gains(10, 500, Some(12), None);
        assert_eq!(
            only_agents,
            PublicGains {
                agents: 12,
                hours_saved_per_year: 500,
                measured: false
            }
        );
        assert!(public_gains(10, 500, Some(12), Some(800)).measured);
        assert!(!public_gains(10, 500, None, None).measured);
    }

    #[test]
    fn publication_needs_the_stage_and_a_complete_saved_kit() {
        use crate::domain::stage::Stage;
        let complete = DiffusionKit {
            summary: "Résumé".into(),
            problem: "Problème".into(),
            solution: "Solution".into(),
            contact: "equipe@exemple.fr".into(),
            ..Default::default()
        };
        assert!(check_publication(Stage::Cadrage, Some(&complete)).is_err());
        assert!(check_publication(Stage::Conception, None).is_err());
        assert!(check_publication(Stage::Diffusion, Some(&prefill_kit("P", "S")))
            .unwrap_err()
            .contains("le résumé public"));
        assert_eq!(check_publication(Stage::Conception, Some(&complete)), Ok(&complete));
    }
}
