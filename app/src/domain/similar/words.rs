//! The words of a project that similarity compares: every word of its title, problem and solution (folded and
//! stemmed as the catalogue's search), counted, the title's counting more, without the words every AI project
//! of a collectivité uses; and how those counts are written in the database and read back.

use crate::domain::catalogue::search_words;

/// A word of the title counts as this many words of the text: the title names the need.
pub const TITLE_WEIGHT: u32 = 3;

/// Words too common in a need to tell two needs apart: French verbs and adverbs of every description, and the
/// words of any AI project of a collectivité (compared once stemmed, so that "agents" and "agent" both go).
const COMMON: &[&str] = &[
    "sont",
    "etre",
    "ete",
    "fait",
    "faire",
    "plus",
    "tres",
    "tout",
    "tous",
    "toute",
    "toutes",
    "cette",
    "cet",
    "aussi",
    "comme",
    "avoir",
    "peut",
    "entre",
    "chaque",
    "leurs",
    "sans",
    "sous",
    "dont",
    "ainsi",
    "afin",
    "permettre",
    "permet",
    "vise",
    "viser",
    "objectif",
    "mettre",
    "place",
    "projet",
    "outil",
    "solution",
    "intelligence",
    "artificielle",
    "ia",
    "collectivite",
    "collectivites",
    "service",
    "agent",
    "usager",
    "temps",
    "aujourd",
    "hui",
    "besoin",
    "mieux",
    "notamment",
    "egalement",
    "grace",
    "partir",
    "cadre",
    "travers",
    "lors",
    "depuis",
    "ensuite",
    "premier",
    "nouveau",
    "nouvelle",
    "lien",
    "ville",
    "commune",
    "territoire",
    "donnee",
    "donnees",
    "systeme",
    "utiliser",
    "utilisation",
    "aide",
    "aider",
    "developpement",
    "developper",
    "faciliter",
    "ameliorer",
];

/// The counted words of a text: `(stem, count)` sorted by stem, each stem once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordCounts(Vec<(String, u32)>);

impl WordCounts {
    /// The words of a project (title, problem, solution), those of the title counted [`TITLE_WEIGHT`] times.
    pub fn of_project(title: &str, problem: &str, solution: &str, stem: &dyn Fn(&str) -> String) -> WordCounts {
        let common: Vec<String> = COMMON.iter().map(|word| stem(word)).collect();
        let mut counts: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
        for (text, weight) in [(title, TITLE_WEIGHT), (problem, 1), (solution, 1)] {
            for word in search_words(text, stem) {
                let kept = word.chars().count() >= 3 && !word.chars().all(|c| c.is_ascii_digit());
                if kept && !common.contains(&word) {
                    *counts.entry(word).or_default() += weight;
                }
            }
        }
        WordCounts(counts.into_iter().collect())
    }

    /// The `(stem, count)` pairs, sorted by stem.
    pub fn pairs(&self) -> &[(String, u32)] {
        &self.0
    }

    /// How many distinct words.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `stem:count stem:count`, as stored (stems are letters and digits only).
    pub fn encode(&self) -> String {
        let pairs: Vec<String> = self.0.iter().map(|(word, count)| format!("{word}:{count}")).collect();
        pairs.join(" ")
    }

    /// Reads back what [`WordCounts::encode`] wrote; `None` for anything else.
    pub fn decode(text: &str) -> Option<WordCounts> {
        let mut pairs: Vec<(String, u32)> = Vec::new();
        for piece in text.split(' ').filter(|piece| !piece.is_empty()) {
            let (word, count) = piece.split_once(':')?;
            let count: u32 = count.parse().ok()?;
            if word.is_empty() || count == 0 || !word.chars().all(char::is_alphanumeric) {
                return None;
            }
            if pairs.last().is_some_and(|(last, _)| last.as_str() >= word) {
                return None;
            }
            pairs.push((word.to_string(), count));
        }
        Some(WordCounts(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plural(word: &str) -> String {
        word.trim_end_matches('s').to_string()
    }

    #[test]
    fn words_are_folded_stemmed_counted_with_the_title_weighing_more() {
        let counts = WordCounts::of_project(
            "Analyse des marchés",
            "Les marchés publics sont lus à la main, 2024",
            "Le projet analyse les offres",
            &plural,
        );
        let pairs: Vec<(&str, u32)> = counts.pairs().iter().map(|(w, c)| (w.as_str(), *c)).collect();
        assert_eq!(
            pairs,
            vec![("analyse", 4), ("main", 1), ("marche", 4), ("offre", 1), ("public", 1)],
            "\"sont\" and \"projet\" are too common to compare, \"lu\" too short, numbers are not words"
        );
    }

    #[test]
    fn counts_read_back_what_was_written_and_nothing_else() {
        let counts = WordCounts::of_project("Fuites d'eau", "Les fuites du réseau d'eau", "", &plural);
        assert_eq!(WordCounts::decode(&counts.encode()), Some(counts));
        assert_eq!(WordCounts::decode(""), Some(WordCounts::default()));
        for wrong in ["eau", "eau:x", "eau:0", "eau:1 eau:2", "reseau:1 eau:1", "e-u:1"] {
            assert_eq!(WordCounts::decode(wrong), None, "{wrong}");
        }
    }
}
