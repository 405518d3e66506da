//! Similar cases (replication before duplicates, cadre §2): which words of a need are compared, when two cases
//! are close enough to be shown, what a collectivité may learn of the others' cases, and how many collectivités
//! asking the same thing suggest the réplicabilité score.

#[cfg(test)]
mod calibration;
pub mod index;
pub mod words;

use super::qualification::{Criterion, Suggestion};

/// Two projects are close from this closeness on (cosine of their TF-IDF vectors, see [`index`]): calibrated
/// on the test set of `calibration/` so that no pair of different needs is found close (see its test).
pub const MIN_SCORE: f32 = 0.2;
/// The most similar cases listed.
pub const MAX_LISTED: usize = 5;
/// A collectivité learns how many others filed close cases only for a need of at least this many distinct words:
/// a few typed words would let anyone probe what was filed.
pub const MIN_TERMS_FOR_COUNT: usize = 6;

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
