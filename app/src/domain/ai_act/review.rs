//! The team's review of the AI Act pre-assessment at qualification: the level it confirms, the override a
//! "prohibited" pre-assessment needs before the case may be qualified, the obligations of the confirmed level,
//! and whether the cadrage lists the fundamental-rights impact assessment a high-risk case requires.

use super::{
    assess, AiActAnswers, Obligation, RiskLevel, AI_LITERACY, HIGH_RISK, INFORM_PEOPLE, LABEL_CONTENT, PROHIBITED,
};
use crate::domain::text::normalize;

/// The shortest override reason accepted, in characters.
pub const MIN_OVERRIDE_CHARS: usize = 20;
pub const MAX_OVERRIDE_CHARS: usize = 1_000;

/// The deliverable the cadrage of a high-risk case must list (added to the prefilled document).
pub const IMPACT_ASSESSMENT_DELIVERABLE: &str = "Analyse d'impact sur les droits fondamentaux (AI Act, art. 27)";

/// What is stored of the AI Act for a case: the level pre-assessed at filing, the level the team confirmed (none
/// until it does) and the reason it gave to set aside a "prohibited" pre-assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AiActReview {
    pub pre_assessed: Option<RiskLevel>,
    pub confirmed: Option<RiskLevel>,
    pub override_reason: String,
}

impl AiActReview {
    /// The level that counts: the team's when it confirmed one, the pre-assessment's otherwise.
    pub fn level(&self) -> RiskLevel {
        self.confirmed.or(self.pre_assessed).unwrap_or(RiskLevel::Minimal)
    }

    fn overridden(&self) -> bool {
        self.override_reason.trim().chars().count() >= MIN_OVERRIDE_CHARS
    }

    /// What the case's history records of the review with each save of the grid.
    pub fn history_line(&self) -> String {
        let mut line = match self.confirmed {
            Some(level) => format!("niveau AI Act confirmé : {}", level.label()),
            None => "niveau AI Act pas encore confirmé".to_string(),
        };
        if !self.override_reason.trim().is_empty() {
            line.push_str(&format!(" ; motif de dérogation : {}", self.override_reason.trim()));
        }
        line
    }

    /// Whether the AI Act forbids qualifying the case as it stands.
    pub fn blocks_qualification(&self) -> bool {
        self.level() == RiskLevel::Prohibited
            || (self.pre_assessed == Some(RiskLevel::Prohibited) && !self.overridden())
    }

    /// Checks the review saved with the grid; `qualifying` when the decision saved is "qualifié".
    pub fn check(&self, qualifying: bool) -> Result<(), String> {
        if self.override_reason.chars().count() > MAX_OVERRIDE_CHARS {
            return Err(format!(
                "Le motif de dérogation AI Act dépasse {MAX_OVERRIDE_CHARS} caractères."
            ));
        }
        if !qualifying {
            return Ok(());
        }
        if self.confirmed.is_none() {
            return Err("Pour enregistrer la décision « qualifié », confirmez le niveau AI Act du cas.".into());
        }
        if self.level() == RiskLevel::Prohibited {
            return Err(
                "Un cas dont la pratique est interdite par l'AI Act (art. 5) ne peut pas être qualifié : si l'équipe écarte cette pré-évaluation, confirmez un autre niveau et donnez le motif de dérogation."
                    .into(),
            );
        }
        if self.blocks_qualification() {
            return Err(format!(
                "La pré-évaluation indique une pratique interdite (AI Act, art. 5) : pour qualifier ce cas, indiquez le motif de dérogation (au moins {MIN_OVERRIDE_CHARS} caractères)."
            ));
        }
        Ok(())
    }
}

/// The obligations of a public deployer at the level the team confirmed: those of the pre-assessment when the
/// team agrees with it, the level's own otherwise (keeping the transparency duties the answers show).
pub fn obligations_for(level: RiskLevel, answers: &AiActAnswers) -> Vec<Obligation> {
    let assessment = assess(answers);
    if assessment.level == level {
        return assessment.obligations;
    }
    let mut transparency = Vec::new();
    if answers.talks_to_public {
        transparency.push(INFORM_PEOPLE);
    }
    if answers.publishes_content {
        transparency.push(LABEL_CONTENT);
    }
    let mut obligations = match level {
        RiskLevel::Prohibited => return vec![PROHIBITED],
        RiskLevel::HighRisk => HIGH_RISK.to_vec(),
        RiskLevel::Transparency | RiskLevel::Minimal => Vec::new(),
    };
    if level != RiskLevel::Minimal {
        if transparency.is_empty() && level == RiskLevel::Transparency {
            transparency.push(INFORM_PEOPLE);
        }
        obligations.extend(transparency);
    }
    obligations.push(AI_LITERACY);
    obligations
}

/// An obligation as the catalogue publishes it (open data: `{"article", "texte"}`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublishedObligation {
    pub article: String,
    #[serde(rename = "texte")]
    pub text: String,
}

/// What the catalogue publishes of the AI Act: the level the team confirmed and its obligations; nothing
/// before the team confirmed one.
pub fn published(review: &AiActReview, answers: &AiActAnswers) -> Option<(RiskLevel, Vec<PublishedObligation>)> {
    let level = review.confirmed?;
    let obligations = obligations_for(level, answers)
        .into_iter()
        .map(|o| PublishedObligation {
            article: o.article.to_string(),
            text: o.text.to_string(),
        })
        .collect();
    Some((level, obligations))
}

/// Whether the system faces the public (a chatbot, content published): the Bibliothèque's audience.
pub fn faces_public(answers: &AiActAnswers) -> bool {
    answers.talks_to_public || answers.publishes_content
}

/// One obligation as published: `Art. 50 : Informer …`.
pub fn obligation_line(obligation: &Obligation) -> String {
    format!("{} : {}", obligation.article, obligation.text)
}

/// Whether one of the deliverables names the fundamental-rights impact assessment (Art. 27): "droits
/// fondamentaux", "FRIA" or the article itself — a data-protection (AIPD) or environmental impact study is not it.
pub fn lists_impact_assessment(deliverables: &[String]) -> bool {
    deliverables.iter().any(|line| {
        // Folded: accents and punctuation gone, so "Art. 27" reads "art 27".
        let folded = normalize(line);
        let words: Vec<&str> = folded.split(' ').collect();
        folded.contains("droits fondamentaux")
            || words.contains(&"fria")
            || words
                .windows(2)
                .any(|pair| matches!(pair[0], "art" | "article") && pair[1] == "27")
    })
}

/// Whether a high-risk case may leave the cadrage: its deliverables list the impact assessment.
pub fn cadrage_ready(level: RiskLevel, deliverables: &[String]) -> bool {
    level != RiskLevel::HighRisk || lists_impact_assessment(deliverables)
}

/// The Bibliothèque d'IA territoriales' risk category for a level.
pub fn bibliotheque_category(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Minimal => "risque minimal",
        RiskLevel::Transparency => "risque limité",
        RiskLevel::HighRisk => "risque élevé",
        RiskLevel::Prohibited => "inacceptable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(pre: RiskLevel, confirmed: Option<RiskLevel>, reason: &str) -> AiActReview {
        AiActReview {
            pre_assessed: Some(pre),
            confirmed,
            override_reason: reason.into(),
        }
    }

    #[test]
    fn qualifying_needs_a_confirmed_level() {
        let unconfirmed = review(RiskLevel::Minimal, None, "");
        assert!(
            unconfirmed.check(false).is_ok(),
            "a grid saved without decision needs no confirmation"
        );
        assert!(unconfirmed
            .check(true)
            .unwrap_err()
            .contains("confirmez le niveau AI Act"));
        assert!(review(RiskLevel::Minimal, Some(RiskLevel::Minimal), "")
            .check(true)
            .is_ok());
    }

    #[test]
    fn a_prohibited_pre_assessment_is_qualified_only_when_overridden_with_a_reason() {
        let kept = review(RiskLevel::Prohibited, Some(RiskLevel::Prohibited), "Erreur de saisie");
        assert!(kept.blocks_qualification());
        assert!(kept.check(true).unwrap_err().contains("ne peut pas être qualifié"));
        let silent = review(RiskLevel::Prohibited, Some(RiskLevel::Minimal), " ");
        assert!(silent.blocks_qualification());
        assert!(silent.check(true).unwrap_err().contains("motif de dérogation"));
        let overridden = review(
            RiskLevel::Prohibited,
            Some(RiskLevel::Minimal),
            "La case cochée par erreur : aucune notation sociale",
        );
        assert!(!overridden.blocks_qualification());
        assert!(overridden.check(true).is_ok());
        assert!(review(RiskLevel::Minimal, Some(RiskLevel::Prohibited), "").blocks_qualification());
        assert!(review(RiskLevel::HighRisk, None, "").check(false).is_ok());
        assert!(
            review(RiskLevel::Prohibited, Some(RiskLevel::Minimal), "Erreur de saisie").blocks_qualification(),
            "a reason shorter than {MIN_OVERRIDE_CHARS} characters is not an override"
        );
        assert_eq!(
            overridden.history_line(),
            "niveau AI Act confirmé : risque minimal ; motif de dérogation : La case cochée par erreur : aucune notation sociale"
        );
        let long = review(RiskLevel::Prohibited, None, &"x".repeat(MAX_OVERRIDE_CHARS + 1));
        assert!(long.check(false).is_err());
    }

    #[test]
    fn the_confirmed_level_gives_its_obligations() {
        let chatbot = AiActAnswers {
            talks_to_public: true,
            ..Default::default()
        };
        let articles = |level| -> Vec<&str> { obligations_for(level, &chatbot).iter().map(|o| o.article).collect() };
        assert_eq!(articles(RiskLevel::Transparency), vec!["Art. 50", "Art. 4"]);
        assert_eq!(
            articles(RiskLevel::HighRisk),
            vec!["Art. 27", "Art. 26", "Art. 49", "Art. 86", "Art. 50", "Art. 4"]
        );
        assert_eq!(articles(RiskLevel::Minimal), vec!["Art. 4"]);
        assert_eq!(articles(RiskLevel::Prohibited), vec!["Art. 5"]);
        let none = AiActAnswers::default();
        assert_eq!(
            obligations_for(RiskLevel::Transparency, &none)
                .iter()
                .map(|o| o.article)
                .collect::<Vec<_>>(),
            vec!["Art. 50", "Art. 4"]
        );
        assert!(obligation_line(&AI_LITERACY).starts_with("Art. 4 : Assurer"));
    }

    #[test]
    fn a_high_risk_cadrage_must_list_the_impact_assessment() {
        let plain = vec!["Note de cadrage".to_string(), "Planning".to_string()];
        assert!(!cadrage_ready(RiskLevel::HighRisk, &plain));
        assert!(cadrage_ready(RiskLevel::Transparency, &plain));
        for line in [
            IMPACT_ASSESSMENT_DELIVERABLE,
            "Analyse d’impact sur les droits fondamentaux des usagers",
            "FRIA",
            "Analyse d'impact (AI Act, art. 27)",
        ] {
            assert!(cadrage_ready(RiskLevel::HighRisk, &[line.to_string()]), "{line}");
        }
        for line in [
            "Analyse d'impact relative à la protection des données (AIPD)",
            "Étude d'impact environnemental",
            "Annexe, art. 270",
        ] {
            assert!(
                !cadrage_ready(RiskLevel::HighRisk, &[line.to_string()]),
                "{line} is not the Art. 27 assessment"
            );
        }
    }

    #[test]
    fn only_a_confirmed_level_is_published() {
        let chatbot = AiActAnswers {
            talks_to_public: true,
            ..Default::default()
        };
        assert!(faces_public(&chatbot));
        assert_eq!(published(&review(RiskLevel::Transparency, None, ""), &chatbot), None);
        let (level, obligations) = published(
            &review(RiskLevel::Transparency, Some(RiskLevel::Transparency), ""),
            &chatbot,
        )
        .unwrap();
        assert_eq!(level, RiskLevel::Transparency);
        assert_eq!(obligations[0].article, "Art. 50");
        assert_eq!(
            serde_json::to_value(&obligations[0]).unwrap()["texte"],
            "Informer clairement les personnes qu'elles échangent avec un système d'IA."
        );
    }

    #[test]
    fn levels_map_to_the_bibliotheque_categories() {
        assert_eq!(bibliotheque_category(RiskLevel::Transparency), "risque limité");
        assert_eq!(bibliotheque_category(RiskLevel::HighRisk), "risque élevé");
        assert_eq!(bibliotheque_category(RiskLevel::Prohibited), "inacceptable");
        assert_eq!(bibliotheque_category(RiskLevel::Minimal), "risque minimal");
    }
}
