//! The AI Act pre-assessment of a case (Regulation (EU) 2024/1689): the answers of a short questionnaire turned
//! into a risk level (practice prohibited, high risk, transparency obligations, minimal), the articles it rests
//! on and what a public deployer must then do, and whether a data-protection impact assessment (AIPD, RGPD
//! art. 35) is likely needed. A pre-assessment to be confirmed by the team, not legal advice.

use serde::{Deserialize, Serialize};

pub mod review;

/// The questionnaire of step 5: each question's field name, its wording and a one-line explanation.
pub const QUESTIONS: [(&str, &str, &str); 11] = [
    (
        "ia_public",
        "Le système échange-t-il directement avec le public ?",
        "Par exemple un agent conversationnel sur le site de la collectivité ou au téléphone.",
    ),
    (
        "ia_contenus",
        "Produit-il des textes, images ou sons publiés au public ?",
        "Par exemple des articles, des visuels ou des annonces diffusés sans être réécrits par un agent.",
    ),
    (
        "ia_aides",
        "Intervient-il dans l'accès à une aide ou à un service public, ou dans son montant ?",
        "Par exemple l'éligibilité à une aide sociale, l'attribution d'un logement ou d'une place en crèche.",
    ),
    (
        "ia_urgences",
        "Intervient-il dans le tri des appels d'urgence ?",
        "Par exemple la priorisation des appels reçus par un service de secours.",
    ),
    (
        "ia_agents",
        "Sert-il à recruter, évaluer ou affecter des agents ?",
        "Par exemple le tri des candidatures ou l'évaluation des performances.",
    ),
    (
        "ia_education",
        "Intervient-il dans l'éducation ou la formation ?",
        "Par exemple l'admission, l'évaluation ou l'orientation d'élèves ou de stagiaires.",
    ),
    (
        "ia_reseaux",
        "Contribue-t-il à la sécurité du trafic routier ou des réseaux d'eau, de gaz, de chauffage ou d'électricité ?",
        "Par exemple la commande de feux de circulation ou la détection de fuites sur un réseau.",
    ),
    (
        "ia_biometrie",
        "Utilise-t-il des données biométriques pour identifier ou classer des personnes ?",
        "Visages, voix, empreintes, démarche…",
    ),
    (
        "ia_profilage",
        "Établit-il un profil des personnes ?",
        "Évaluer des aspects de leur vie : situation, comportement, fiabilité, besoins…",
    ),
    (
        "ia_preparatoire",
        "Se limite-t-il à préparer ou vérifier un travail dont une personne décide ?",
        "Par exemple pré-remplir une note, vérifier la complétude d'un dossier : l'agent garde la décision.",
    ),
    (
        "ia_interdit",
        "Le projet comporte-t-il l'une des pratiques interdites par l'article 5 ?",
        "Notation sociale, manipulation, reconnaissance des émotions au travail ou à l'école, police prédictive fondée sur le profilage, collecte massive de visages.",
    ),
];

/// The answers from the ticked questions (`ticked(name)`).
pub fn answers_from(ticked: impl Fn(&str) -> bool) -> AiActAnswers {
    AiActAnswers {
        talks_to_public: ticked("ia_public"),
        publishes_content: ticked("ia_contenus"),
        public_benefits: ticked("ia_aides"),
        emergency_triage: ticked("ia_urgences"),
        employment: ticked("ia_agents"),
        education: ticked("ia_education"),
        critical_infrastructure: ticked("ia_reseaux"),
        biometric: ticked("ia_biometrie"),
        profiling: ticked("ia_profilage"),
        preparatory_only: ticked("ia_preparatoire"),
        prohibited_practice: ticked("ia_interdit"),
    }
}

/// The answers of the questionnaire (each a yes or no).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiActAnswers {
    /// Talks directly with the public (a chatbot on the website…).
    pub talks_to_public: bool,
    /// Produces text, images or sound published to the public.
    pub publishes_content: bool,
    /// Takes part in deciding access to, or the amount of, a public aid or service (Annex III 5(a)).
    pub public_benefits: bool,
    /// Takes part in the triage of emergency calls (Annex III 5(d)).
    pub emergency_triage: bool,
    /// Recruits, evaluates or assigns agents (Annex III 4).
    pub employment: bool,
    /// Takes part in education: admission, evaluation, orientation (Annex III 3).
    pub education: bool,
    /// A safety component of road traffic, water, gas, heating or electricity networks (Annex III 2).
    pub critical_infrastructure: bool,
    /// Uses biometric data (faces, voices, fingerprints…) to identify or categorise people (Annex III 1).
    pub biometric: bool,
    /// Profiles people (evaluates aspects of their life: behaviour, situation, reliability…).
    pub profiling: bool,
    /// Only prepares or checks work that a person decides (Art. 6(3)).
    pub preparatory_only: bool,
    /// One of the practices of Art. 5 is involved (social scoring, manipulation, emotion recognition at work or
    /// school, predictive policing on profiling, untargeted scraping of faces…).
    pub prohibited_practice: bool,
}

/// The pre-assessed level, from the most to the least demanding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RiskLevel {
    #[serde(rename = "minimal")]
    Minimal,
    #[serde(rename = "transparence")]
    Transparency,
    #[serde(rename = "haut-risque")]
    HighRisk,
    #[serde(rename = "interdit")]
    Prohibited,
}

impl RiskLevel {
    pub fn code(self) -> &'static str {
        match self {
            RiskLevel::Minimal => "minimal",
            RiskLevel::Transparency => "transparence",
            RiskLevel::HighRisk => "haut-risque",
            RiskLevel::Prohibited => "interdit",
        }
    }

    pub fn from_code(code: &str) -> Option<RiskLevel> {
        [
            RiskLevel::Minimal,
            RiskLevel::Transparency,
            RiskLevel::HighRisk,
            RiskLevel::Prohibited,
        ]
        .into_iter()
        .find(|level| level.code() == code)
    }

    /// The level in a word or two, for a badge.
    pub fn short_label(self) -> &'static str {
        match self {
            RiskLevel::Minimal => "minimal",
            RiskLevel::Transparency => "transparence",
            RiskLevel::HighRisk => "haut risque",
            RiskLevel::Prohibited => "interdit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Minimal => "risque minimal",
            RiskLevel::Transparency => "obligations de transparence",
            RiskLevel::HighRisk => "haut risque",
            RiskLevel::Prohibited => "pratique interdite",
        }
    }
}

/// One obligation of the deployer, with the article it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    pub article: &'static str,
    pub text: &'static str,
}

/// The pre-assessment: the level, the grounds (articles and annex points) and the obligations that follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiActAssessment {
    pub level: RiskLevel,
    pub grounds: Vec<&'static str>,
    pub obligations: Vec<Obligation>,
    /// Why an Annex III use is not high risk (the Art. 6(3) exception), when it applies.
    pub exception: Option<&'static str>,
}

/// The sentence every display of the pre-assessment carries.
pub const DISCLAIMER: &str = "Pré-évaluation indicative au regard du règlement européen sur l'IA (2024/1689), établie \
    à partir des réponses du dépôt : elle sera confirmée par l'équipe du programme et ne constitue pas un avis juridique.";

pub(crate) const AI_LITERACY: Obligation = Obligation {
    article: "Art. 4",
    text: "Assurer un niveau suffisant de maîtrise de l'IA aux agents qui utilisent le système.",
};

pub(crate) const PROHIBITED: Obligation = Obligation {
    article: "Art. 5",
    text: "Le système ne peut pas être mis en service tel quel : la pratique doit être supprimée du projet.",
};

/// What a public deployer of a high-risk system must do.
pub(crate) const HIGH_RISK: [Obligation; 4] = [
    Obligation {
        article: "Art. 27",
        text: "Réaliser une analyse d'impact sur les droits fondamentaux avant la première utilisation.",
    },
    Obligation {
        article: "Art. 26",
        text: "Confier le contrôle humain à des personnes compétentes, suivre le fonctionnement, conserver les journaux au moins six mois et informer les personnes concernées.",
    },
    Obligation {
        article: "Art. 49",
        text: "Enregistrer l'utilisation du système dans la base de données de l'Union avant sa mise en service.",
    },
    Obligation {
        article: "Art. 86",
        text: "Pouvoir expliquer à une personne concernée le rôle du système dans une décision qui la touche.",
    },
];

pub(crate) const INFORM_PEOPLE: Obligation = Obligation {
    article: "Art. 50",
    text: "Informer clairement les personnes qu'elles échangent avec un système d'IA.",
};

pub(crate) const LABEL_CONTENT: Obligation = Obligation {
    article: "Art. 50",
    text: "Signaler les textes, images ou sons générés par l'IA publiés pour informer le public, sauf relecture humaine sous la responsabilité éditoriale de la collectivité.",
};

/// The Annex III uses the answers name, with their ground.
fn annex_iii_uses(answers: &AiActAnswers) -> Vec<&'static str> {
    [
        (answers.biometric, "Annexe III, point 1 (biométrie)"),
        (
            answers.critical_infrastructure,
            "Annexe III, point 2 (infrastructures critiques)",
        ),
        (answers.education, "Annexe III, point 3 (éducation et formation)"),
        (answers.employment, "Annexe III, point 4 (emploi, gestion des agents)"),
        (
            answers.public_benefits,
            "Annexe III, point 5 a) (accès aux prestations et services publics)",
        ),
        (
            answers.emergency_triage,
            "Annexe III, point 5 d) (tri des appels d'urgence)",
        ),
    ]
    .into_iter()
    .filter_map(|(applies, ground)| applies.then_some(ground))
    .collect()
}

/// The pre-assessment of a case from its answers.
pub fn assess(answers: &AiActAnswers) -> AiActAssessment {
    if answers.prohibited_practice {
        return AiActAssessment {
            level: RiskLevel::Prohibited,
            grounds: vec!["Art. 5 (pratiques interdites)"],
            obligations: vec![PROHIBITED],
            exception: None,
        };
    }
    let mut grounds = Vec::new();
    let mut obligations = Vec::new();
    let mut level = RiskLevel::Minimal;
    let mut exception = None;
    let uses = annex_iii_uses(answers);
    if !uses.is_empty() {
        // Art. 6(3): an Annex III system that only prepares or checks a person's decision is not high risk,
        // unless it profiles people; biometric identification stays high risk.
        let excepted = answers.preparatory_only && !answers.profiling && !answers.biometric;
        if excepted {
            exception = Some(
                "Art. 6, paragraphe 3 : le système prépare ou vérifie un travail qu'une personne décide, sans profilage ; \
                 le fournisseur doit documenter cette appréciation avant la mise sur le marché (Art. 6, paragraphe 4).",
            );
        } else {
            level = RiskLevel::HighRisk;
            grounds.push("Art. 6, paragraphe 2");
            grounds.extend(uses);
            if answers.preparatory_only && answers.profiling {
                grounds.push("Art. 6, paragraphe 3, dernier alinéa (le profilage exclut l'exception)");
            }
            obligations.extend(HIGH_RISK);
        }
    }
    if answers.talks_to_public {
        level = level.max(RiskLevel::Transparency);
        grounds.push("Art. 50, paragraphe 1");
        obligations.push(INFORM_PEOPLE);
    }
    if answers.publishes_content {
        level = level.max(RiskLevel::Transparency);
        grounds.push("Art. 50, paragraphes 2 et 4");
        obligations.push(LABEL_CONTENT);
    }
    obligations.push(AI_LITERACY);
    AiActAssessment {
        level,
        grounds,
        obligations,
        exception,
    }
}

/// Whether a data-protection impact assessment (AIPD, RGPD art. 35) is likely needed, and why.
pub fn dpia_reason(personal_data: bool, answers: &AiActAnswers) -> Option<String> {
    if !personal_data {
        return None;
    }
    let mut reasons = Vec::new();
    if answers.profiling {
        reasons.push("le système profile des personnes");
    }
    if answers.biometric {
        reasons.push("il traite des données biométriques");
    }
    if answers.public_benefits || answers.emergency_triage {
        reasons.push("il intervient dans des décisions qui touchent l'accès à des droits ou à des services");
    }
    if answers.employment {
        reasons.push("il concerne l'évaluation ou la gestion des agents");
    }
    if answers.education {
        reasons.push("il concerne des élèves ou des personnes en formation, souvent vulnérables");
    }
    if reasons.is_empty() {
        return Some(
            "Des données personnelles sont traitées par une technologie nouvelle : vérifiez avec votre délégué à la protection des données si une analyse d'impact (AIPD, RGPD art. 35) est requise."
                .into(),
        );
    }
    Some(format!(
        "Une analyse d'impact relative à la protection des données (AIPD, RGPD art. 35) est probablement nécessaire : {}.",
        reasons.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(assessment: &AiActAssessment) -> Vec<&'static str> {
        assessment.obligations.iter().map(|o| o.article).collect()
    }

    #[test]
    fn a_practice_of_article_5_is_prohibited_whatever_else_is_answered() {
        let answers = AiActAnswers {
            prohibited_practice: true,
            talks_to_public: true,
            public_benefits: true,
            ..Default::default()
        };
        let assessment = assess(&answers);
        assert_eq!(assessment.level, RiskLevel::Prohibited);
        assert_eq!(assessment.grounds, ["Art. 5 (pratiques interdites)"]);
    }

    #[test]
    fn deciding_on_a_public_aid_is_high_risk_with_the_impact_assessment_of_article_27() {
        let assessment = assess(&AiActAnswers {
            public_benefits: true,
            ..Default::default()
        });
        assert_eq!(assessment.level, RiskLevel::HighRisk);
        assert!(assessment.grounds.iter().any(|g| g.contains("5 a)")));
        assert_eq!(
            articles(&assessment),
            ["Art. 27", "Art. 26", "Art. 49", "Art. 86", "Art. 4"]
        );
    }

    #[test]
    fn each_annex_iii_point_is_high_risk() {
        let cases = [
            AiActAnswers {
                emergency_triage: true,
                ..Default::default()
            },
            AiActAnswers {
                employment: true,
                ..Default::default()
            },
            AiActAnswers {
                education: true,
                ..Default::default()
            },
            AiActAnswers {
                critical_infrastructure: true,
                ..Default::default()
            },
            AiActAnswers {
                biometric: true,
                ..Default::default()
            },
        ];
        for answers in cases {
            let assessment = assess(&answers);
            assert_eq!(assessment.level, RiskLevel::HighRisk, "{answers:?}");
            assert_eq!(assessment.grounds.len(), 2, "{answers:?}");
        }
    }

    #[test]
    fn a_preparatory_task_is_excepted_by_article_6_3_unless_it_profiles() {
        let excepted = assess(&AiActAnswers {
            public_benefits: true,
            preparatory_only: true,
            ..Default::default()
        });
        assert_eq!(excepted.level, RiskLevel::Minimal);
        assert!(excepted.exception.is_some_and(|e| e.contains("Art. 6, paragraphe 3")));
        let profiling = assess(&AiActAnswers {
            public_benefits: true,
            preparatory_only: true,
            profiling: true,
            ..Default::default()
        });
        assert_eq!(profiling.level, RiskLevel::HighRisk);
        assert!(profiling.exception.is_none());
        assert!(profiling.grounds.iter().any(|g| g.contains("le profilage exclut")));
        // Biometric identification stays high risk even for a preparatory task.
        let biometric = assess(&AiActAnswers {
            biometric: true,
            preparatory_only: true,
            ..Default::default()
        });
        assert_eq!(biometric.level, RiskLevel::HighRisk);
    }

    #[test]
    fn a_chatbot_or_published_content_has_transparency_obligations_of_article_50() {
        let chatbot = assess(&AiActAnswers {
            talks_to_public: true,
            ..Default::default()
        });
        assert_eq!(chatbot.level, RiskLevel::Transparency);
        assert_eq!(chatbot.level.label(), "obligations de transparence");
        assert_eq!(articles(&chatbot), ["Art. 50", "Art. 4"]);
        let content = assess(&AiActAnswers {
            publishes_content: true,
            ..Default::default()
        });
        assert_eq!(content.level, RiskLevel::Transparency);
        // A high-risk chatbot keeps both sets of obligations.
        let both = assess(&AiActAnswers {
            talks_to_public: true,
            public_benefits: true,
            ..Default::default()
        });
        assert_eq!(both.level, RiskLevel::HighRisk);
        assert!(articles(&both).contains(&"Art. 50") && articles(&both).contains(&"Art. 27"));
    }

    #[test]
    fn nothing_answered_is_minimal_with_ai_literacy_only() {
        let assessment = assess(&AiActAnswers::default());
        assert_eq!(assessment.level, RiskLevel::Minimal);
        assert_eq!(articles(&assessment), ["Art. 4"]);
        assert!(assessment.grounds.is_empty());
    }

    #[test]
    fn an_impact_assessment_under_the_rgpd_is_flagged_with_its_reason() {
        assert_eq!(
            dpia_reason(
                false,
                &AiActAnswers {
                    profiling: true,
                    ..Default::default()
                }
            ),
            None
        );
        let reason = dpia_reason(
            true,
            &AiActAnswers {
                profiling: true,
                ..Default::default()
            },
        )
        .expect("reason");
        assert!(reason.contains("AIPD") && reason.contains("profile"), "{reason}");
        let general = dpia_reason(true, &AiActAnswers::default()).expect("reason");
        assert!(general.contains("délégué à la protection des données"), "{general}");
    }

    #[test]
    fn each_question_fills_its_own_answer() {
        for (name, _, _) in QUESTIONS {
            let answers = answers_from(|n| n == name);
            assert_ne!(answers, AiActAnswers::default(), "{name}");
        }
        let all = answers_from(|_| true);
        assert!(all.prohibited_practice && all.preparatory_only && all.talks_to_public);
    }

    #[test]
    fn levels_are_ordered_and_round_trip_through_their_codes() {
        assert!(RiskLevel::Prohibited > RiskLevel::HighRisk && RiskLevel::HighRisk > RiskLevel::Transparency);
        for level in [
            RiskLevel::Minimal,
            RiskLevel::Transparency,
            RiskLevel::HighRisk,
            RiskLevel::Prohibited,
        ] {
            assert_eq!(RiskLevel::from_code(level.code()), Some(level));
        }
    }
}
