//! Similar cases (replication before duplicates, cadre §2): which words of a need are compared, when two cases
//! are close enough to be shown, what a collectivité may learn of the others' cases, and how many collectivités
//! asking the same thing suggest the réplicabilité score.

use super::catalogue::search_words;
use super::qualification::{Criterion, Suggestion};

/// The most words of a need that are compared.
pub const MAX_TERMS: usize = 40;
/// At least this many shared words make two cases close.
pub const MIN_SHARED: usize = 3;
/// And the shared words must be at least this share (in percent) of the smaller set (overlap coefficient).
pub const MIN_OVERLAP_PERCENT: usize = 30;
/// The most similar cases listed.
pub const MAX_LISTED: usize = 5;
/// A collectivité learns how many others filed close cases only for a need of at least this many words: a few
/// typed words would let anyone probe what was filed.
pub const MIN_TERMS_FOR_COUNT: usize = 6;

/// Words too common in a need to tell two needs apart (compared once stemmed).
const COMMON: &[&str] = &[
    "sont", "etre", "ete", "fait", "faire", "plus", "tres", "tout", "tous", "toute", "toutes", "cette", "cet", "aussi",
    "comme", "avoir", "peut", "entre", "chaque", "leurs", "sans", "sous", "dont", "ainsi",
];

/// The distinct words (folded, stemmed, without French stopwords, at least three letters) of a need's title,
/// problem and solution, in order of appearance, at most [`MAX_TERMS`].
pub fn terms_of(title: &str, problem: &str, solution: &str, stem: &dyn Fn(&str) -> String) -> Vec<String> {
    let common: Vec<String> = COMMON.iter().map(|word| stem(word)).collect();
    let mut terms: Vec<String> = Vec::new();
    for text in [title, problem, solution] {
        for word in search_words(text, stem) {
            let kept = word.chars().count() >= 3 && !word.chars().all(|c| c.is_ascii_digit());
            if kept && !common.contains(&word) && !terms.contains(&word) {
                terms.push(word);
                if terms.len() == MAX_TERMS {
                    return terms;
                }
            }
        }
    }
    terms
}

/// Whether a candidate sharing `shared` words, out of its `candidate_terms`, is close to a need of
/// `query_terms` words.
pub fn is_close(shared: usize, query_terms: usize, candidate_terms: usize) -> bool {
    let smaller = query_terms.min(candidate_terms);
    shared >= MIN_SHARED && smaller > 0 && shared * 100 >= smaller * MIN_OVERLAP_PERCENT
}

/// How many distinct collectivités other than `own` appear among `keys`.
pub fn other_collectivites<'a>(keys: impl IntoIterator<Item = &'a str>, own: &str) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for key in keys {
        if key != own && !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.len()
}

/// The sentence a collectivité reads about unpublished close cases: how many collectivités filed them, never
/// which, and only for a need long enough not to be a probe. Its own collectivité is not left out of the count:
/// the one it names at step 1 is not proven, and leaving it out would tell whether that one filed such a case.
pub fn others_sentence(query_terms: usize, collectivites: usize) -> Option<String> {
    if query_terms < MIN_TERMS_FOR_COUNT {
        return None;
    }
    match collectivites {
        0 => None,
        1 => Some("1 collectivité a déjà déposé un cas proche du vôtre, pas encore publié.".into()),
        n => Some(format!(
            "{n} collectivités ont déjà déposé un cas proche du vôtre, pas encore publié."
        )),
    }
}

/// The réplicabilité score the intake suggests: several collectivités asking the same thing is evidence that
/// the case can be replicated (cadre §5), as is a case that replicates a published one.
pub fn suggest_replicabilite(other_collectivites: usize, replicates_published: bool) -> Suggestion {
    let (score, reason) = if replicates_published {
        (
            3,
            "Ce cas réplique un cas publié au catalogue : il est répliquable par construction.".to_string(),
        )
    } else {
        let score = match other_collectivites {
            0 => 1,
            1 => 2,
            _ => 3,
        };
        let reason = match other_collectivites {
            0 => "Aucune autre collectivité n'a déposé de cas proche pour l'instant.".to_string(),
            1 => "1 autre collectivité a déposé un cas proche.".to_string(),
            n => format!("{n} autres collectivités ont déposé un cas proche."),
        };
        (score, reason)
    };
    Suggestion {
        criterion: Criterion::Replicabilite,
        score,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plural(word: &str) -> String {
        word.trim_end_matches('s').to_string()
    }

    #[test]
    fn terms_are_folded_stemmed_distinct_and_bounded() {
        let terms = terms_of(
            "Analyse des marchés publics",
            "Les marchés publics sont lus à la main, 2024",
            "",
            &plural,
        );
        assert_eq!(
            terms,
            vec!["analyse", "marche", "public", "main"],
            "\"sont\" is too common to compare"
        );
        let long: String = (0..100).map(|i| format!("mot{i} ")).collect();
        assert_eq!(terms_of(&long, "", "", &plural).len(), MAX_TERMS);
    }

    #[test]
    fn closeness_needs_three_shared_words_and_a_third_of_the_smaller_need() {
        assert!(!is_close(2, 3, 10), "two words are not enough");
        assert!(is_close(3, 4, 40), "three of four typed words");
        assert!(!is_close(3, 40, 40), "three of forty is chance");
        assert!(is_close(12, 40, 40));
        assert!(!is_close(0, 0, 0));
    }

    #[test]
    fn other_collectivites_are_counted_once_without_the_reader() {
        assert_eq!(other_collectivites(["a", "b", "b", "c", "own"], "own"), 3);
        assert_eq!(other_collectivites(["own", "own"], "own"), 0);
    }

    #[test]
    fn a_collectivite_learns_only_how_many_filed_close_cases_and_only_for_a_real_need() {
        assert_eq!(others_sentence(10, 0), None);
        assert_eq!(
            others_sentence(10, 1).as_deref(),
            Some("1 collectivité a déjà déposé un cas proche du vôtre, pas encore publié.")
        );
        assert!(others_sentence(10, 4).is_some_and(|s| s.starts_with("4 collectivités")));
        assert_eq!(
            others_sentence(MIN_TERMS_FOR_COUNT - 1, 4),
            None,
            "a few words are a probe"
        );
    }

    #[test]
    fn more_collectivites_asking_the_same_suggest_a_higher_replicabilite() {
        let scores: Vec<i32> = [0, 1, 2, 7]
            .into_iter()
            .map(|n| suggest_replicabilite(n, false).score)
            .collect();
        assert_eq!(scores, vec![1, 2, 3, 3]);
        let replica = suggest_replicabilite(0, true);
        assert_eq!(replica.score, 3);
        assert_eq!(replica.criterion, Criterion::Replicabilite);
        assert!(suggest_replicabilite(2, false)
            .reason
            .contains("2 autres collectivités"));
    }
}
