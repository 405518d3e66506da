//! The test set that calibrates [`super::MIN_SCORE`]: realistic descriptions of projects of collectivités
//! (`calibration/projets.tsv`, grouped by need: two projects of one group are the same need, two of different
//! groups are not, some of them on purpose with the same words for another need) and short needs as typed at
//! step 2 of the wizard (`calibration/requetes.tsv`, each with the group it should find or `aucun`);
//! `calibration/voisins.tsv` names the needs written on purpose with the words of another (same theme, other
//! need). Prints precision and recall at each threshold (`cargo test -p app calibration -- --nocapture`) and
//! holds the chosen one to: no pair of unrelated needs found close (a neighbour may be, and is counted against
//! precision), and a short need finds nothing of an unrelated need. `calibration/controle/` is a second set
//! written apart, never used to choose anything: it tells how the threshold holds on texts it was not chosen on.

use super::index::SimilarityIndex;
use super::words::WordCounts;
use super::MIN_SCORE;

struct Project {
    group: String,
    title: String,
    problem: String,
    solution: String,
}

fn stem(word: &str) -> String {
    static STEMMER: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French))
        .stem(word)
        .into_owned()
}

fn read(text: &str, columns: usize) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
            assert_eq!(fields.len(), columns, "{line}");
            fields
        })
        .collect()
}

/// The calibration set and the control set (written apart, never used to choose anything).
const SETS: [(&str, &str, &str, &str); 2] = [
    (
        "calibrage",
        include_str!("calibration/projets.tsv"),
        include_str!("calibration/requetes.tsv"),
        include_str!("calibration/voisins.tsv"),
    ),
    (
        "contrôle",
        include_str!("calibration/controle/projets.tsv"),
        include_str!("calibration/controle/requetes.tsv"),
        include_str!("calibration/controle/voisins.tsv"),
    ),
];

fn projects(text: &str) -> Vec<Project> {
    read(text, 6)
        .into_iter()
        .map(|fields| Project {
            group: fields[0].clone(),
            title: fields[3].clone(),
            problem: fields[4].clone(),
            solution: fields[5].clone(),
        })
        .collect()
}

fn queries(text: &str) -> Vec<Project> {
    read(text, 4)
        .into_iter()
        .map(|fields| Project {
            group: fields[0].clone(),
            title: fields[1].clone(),
            problem: fields[2].clone(),
            solution: fields[3].clone(),
        })
        .collect()
}

fn counts(project: &Project) -> WordCounts {
    WordCounts::of_project(&project.title, &project.problem, &project.solution, &stem)
}

/// Every pair of projects: whether they are the same need, and their closeness.
fn pairs(projects: &[Project]) -> Vec<(usize, usize, bool, f32)> {
    let mut index = SimilarityIndex::default();
    for (key, project) in projects.iter().enumerate() {
        index.upsert(key, &counts(project));
    }
    index.refresh();
    let mut scores = std::collections::HashMap::new();
    for key in 0..projects.len() {
        for close in index.closest_to(&key, 0.0, projects.len(), |other| *other > key) {
            scores.insert((key, close.key), close.score);
        }
    }
    let mut pairs = Vec::new();
    for (key, project) in projects.iter().enumerate() {
        for (other, them) in projects.iter().enumerate().skip(key + 1) {
            let score = scores.get(&(key, other)).copied().unwrap_or(0.0);
            pairs.push((key, other, project.group == them.group, score));
        }
    }
    pairs
}

/// Precision and recall of the pairs found at `threshold`, with the pairs of different needs found.
fn precision_recall(pairs: &[(usize, usize, bool, f32)], threshold: f32) -> (f32, f32, usize) {
    let found = |pair: &&(usize, usize, bool, f32)| pair.3 >= threshold;
    let true_found = pairs.iter().filter(found).filter(|pair| pair.2).count();
    let wrong_found = pairs.iter().filter(found).filter(|pair| !pair.2).count();
    let same = pairs.iter().filter(|pair| pair.2).count();
    let precision = if true_found + wrong_found == 0 {
        1.0
    } else {
        true_found as f32 / (true_found + wrong_found) as f32
    };
    (precision, true_found as f32 / same.max(1) as f32, wrong_found)
}

/// Groups of at least two projects where every project is found close to another of its group.
fn groups_found(projects: &[Project], close: &dyn Fn(usize, usize) -> bool) -> (usize, usize) {
    let mut groups: Vec<&str> = projects.iter().map(|project| project.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    let members = |group: &str| -> Vec<usize> {
        (0..projects.len())
            .filter(|key| projects[*key].group == group)
            .collect()
    };
    let multi: Vec<&str> = groups.into_iter().filter(|group| members(group).len() > 1).collect();
    let found = multi
        .iter()
        .filter(|group| {
            let keys = members(group);
            keys.iter().all(|a| keys.iter().any(|b| a != b && close(*a, *b)))
        })
        .count();
    (found, multi.len())
}

/// The former rule, for comparison: the first 40 distinct words of each text, at least 3 shared making at
/// least 30 % of the smaller set.
fn former_rule_close(a: &Project, b: &Project) -> bool {
    let first_words = |project: &Project| {
        let mut words: Vec<String> = Vec::new();
        for text in [&project.title, &project.problem, &project.solution] {
            for word in crate::domain::catalogue::search_words(text, &stem) {
                let kept = word.chars().count() >= 3 && !word.chars().all(|c| c.is_ascii_digit());
                if kept && !words.contains(&word) && words.len() < 40 {
                    words.push(word);
                }
            }
        }
        words
    };
    let (a, b) = (first_words(a), first_words(b));
    let shared = a.iter().filter(|word| b.contains(word)).count();
    shared >= 3 && shared * 100 >= a.len().min(b.len()) * 30
}

#[test]
fn calibration_no_pair_of_unrelated_needs_is_close_and_more_same_needs_are_than_before() {
    for (set, text, _, neighbours_text) in SETS {
        let projects = projects(text);
        let pairs = pairs(&projects);
        let same = pairs.iter().filter(|pair| pair.2).count();
        println!(
            "{set} : {} projets, {} paires dont {same} du même besoin",
            projects.len(),
            pairs.len()
        );
        println!("seuil | précision | rappel | paires de besoins différents trouvées");
        for step in 2..=16 {
            let threshold = step as f32 * 0.025;
            let (precision, recall, wrong) = precision_recall(&pairs, threshold);
            let chosen = if (threshold - MIN_SCORE).abs() < 1e-4 {
                " ← retenu"
            } else {
                ""
            };
            println!("{threshold:.3} | {precision:.3} | {recall:.3} | {wrong}{chosen}");
        }
        let (precision, recall, wrong) = precision_recall(&pairs, MIN_SCORE);
        let score = |a: usize, b: usize| {
            pairs
                .iter()
                .find(|pair| (pair.0, pair.1) == (a.min(b), a.max(b)))
                .map_or(0.0, |pair| pair.3)
        };
        let (groups, of) = groups_found(&projects, &|a, b| score(a, b) >= MIN_SCORE);
        let (former, _) = groups_found(&projects, &|a, b| former_rule_close(&projects[a], &projects[b]));
        let former_pairs = pairs
            .iter()
            .filter(|pair| pair.2 && former_rule_close(&projects[pair.0], &projects[pair.1]))
            .count();
        println!(
            "{set}, au seuil {MIN_SCORE} : précision {precision:.3}, rappel {recall:.3}, besoins dont chaque projet \
             en trouve un autre {groups}/{of} (règle des 40 premiers mots : rappel {:.3}, {former}/{of})",
            former_pairs as f32 / same.max(1) as f32
        );
        let mut closest_wrong: Vec<&(usize, usize, bool, f32)> = pairs.iter().filter(|pair| !pair.2).collect();
        closest_wrong.sort_by(|a, b| b.3.total_cmp(&a.3));
        for pair in closest_wrong.iter().take(3) {
            let (a, b) = (&projects[pair.0].title, &projects[pair.1].title);
            println!("besoins différents les plus proches : {:.3} {a} / {b}", pair.3);
        }
        let unrelated: Vec<String> = closest_wrong
            .iter()
            .filter(|pair| pair.3 >= MIN_SCORE)
            .filter(|pair| !neighbours(neighbours_text, &projects[pair.0].group, &projects[pair.1].group))
            .map(|pair| format!("{} / {}", projects[pair.0].title, projects[pair.1].title))
            .collect();
        println!(
            "{set} : {wrong} paire(s) de besoins voisins trouvée(s), {} sans rapport",
            unrelated.len()
        );
        assert!(
            unrelated.is_empty(),
            "{set}: no pair of unrelated needs is found close: {unrelated:?}"
        );
        assert!(recall >= 0.2, "{set}: recall {recall}");
        assert!(
            groups > former,
            "{set}: better than the former rule: {groups} vs {former}"
        );
    }
}

/// Whether two needs were written as neighbours (same theme, other need).
fn neighbours(text: &str, a: &str, b: &str) -> bool {
    read(text, 2)
        .iter()
        .any(|pair| (pair[0] == a && pair[1] == b) || (pair[0] == b && pair[1] == a))
}

#[test]
fn calibration_short_needs_find_their_need_and_nothing_unrelated() {
    for (set, text, queries_text, neighbours_text) in SETS {
        let projects = projects(text);
        let mut index = SimilarityIndex::default();
        for (key, project) in projects.iter().enumerate() {
            index.upsert(key, &counts(project));
        }
        index.refresh();
        let (mut expected, mut found, mut wrong, mut neighbour) = (0, 0, Vec::new(), 0);
        for query in queries(queries_text) {
            let close = index.closest(&counts(&query), MIN_SCORE, 5, |_| true);
            for hit in &close {
                let group = &projects[hit.key].group;
                let line = format!("{} → {} ({:.3})", query.title, projects[hit.key].title, hit.score);
                if neighbours(neighbours_text, group, &query.group) {
                    neighbour += 1;
                    println!("{set}, voisin : {line}");
                } else if *group != query.group {
                    wrong.push(line);
                }
            }
            if query.group != "aucun" {
                expected += 1;
                if close.iter().any(|hit| projects[hit.key].group == query.group) {
                    found += 1;
                } else {
                    println!("{set}, non trouvé : {} (attendu {})", query.title, query.group);
                }
            }
        }
        println!(
            "{set}, besoins courts : {found}/{expected} trouvent leur besoin, {neighbour} résultats d'un besoin \
             voisin, {} d'un besoin sans rapport",
            wrong.len()
        );
        assert!(wrong.is_empty(), "{set}: {wrong:#?}");
        assert!(found * 10 >= expected * 6, "{set}: {found}/{expected}");
    }
}
