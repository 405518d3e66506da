//! The five stages of the programme (§3) and the reoriented state, with the plain-French wording shown to a
//! collectivité on its follow-up page.

use serde::{Deserialize, Serialize};

/// Where a case stands in the pipeline.
/// On the wire and in the database a stage is its code (`remontee`, `cadrage`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Remontee,
    Qualification,
    Cadrage,
    Conception,
    Diffusion,
    Reoriente,
}

impl Stage {
    pub const PIPELINE: [Stage; 5] = [
        Stage::Remontee,
        Stage::Qualification,
        Stage::Cadrage,
        Stage::Conception,
        Stage::Diffusion,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Remontee => "remontee",
            Stage::Qualification => "qualification",
            Stage::Cadrage => "cadrage",
            Stage::Conception => "conception",
            Stage::Diffusion => "diffusion",
            Stage::Reoriente => "reoriente",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::PIPELINE
            .into_iter()
            .chain([Stage::Reoriente])
            .find(|stage| stage.code() == code)
    }

    /// The stage number 1–5, none for a reoriented case.
    pub fn number(self) -> Option<i32> {
        Stage::PIPELINE
            .iter()
            .position(|stage| *stage == self)
            .map(|index| index as i32 + 1)
    }

    /// The stage's name as the cadre d'intervention writes it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Remontee => "Remontée",
            Stage::Qualification => "Qualification",
            Stage::Cadrage => "Cadrage détaillé",
            Stage::Conception => "Conception et implémentation",
            Stage::Diffusion => "Diffusion et passage à l'échelle",
            Stage::Reoriente => "Réorienté",
        }
    }

    /// What the stage means for the collectivité that filed the case, in plain French.
    pub fn explanation(self) -> &'static str {
        match self {
            Stage::Remontee => "Votre cas d'usage a bien été reçu. Il sera examiné par l'équipe du programme Territoires d'IA lors de la prochaine période de relève.",
            Stage::Qualification => "Votre cas d'usage est en cours de qualification : l'équipe programme l'analyse (réplicabilité, alignement avec les objectifs) et peut vous proposer un entretien d'approfondissement.",
            Stage::Cadrage => "Votre cas d'usage a été retenu. Le cadrage détaillé est en cours avec la Caisse des Dépôts et le prestataire technique.",
            Stage::Conception => "La solution est en cours de conception et d'implémentation avec vos équipes métier et le prestataire technique.",
            Stage::Diffusion => "La solution est stabilisée : elle est diffusée dans votre collectivité et auprès des autres collectivités intéressées.",
            Stage::Reoriente => "Votre cas d'usage n'a pas été retenu pour l'IA Factory. L'équipe programme vous oriente vers un autre volet du programme Territoires d'IA (ingénierie ou guichet de cofinancement).",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for stage in Stage::PIPELINE.into_iter().chain([Stage::Reoriente]) {
            assert_eq!(Stage::from_code(stage.code()), Some(stage));
        }
        assert_eq!(Stage::from_code("inconnu"), None);
    }

    #[test]
    fn pipeline_is_numbered_one_to_five() {
        assert_eq!(Stage::Remontee.number(), Some(1));
        assert_eq!(Stage::Diffusion.number(), Some(5));
        assert_eq!(Stage::Reoriente.number(), None);
    }
}
