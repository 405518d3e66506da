//! How close two projects are, on their whole text: each project is a vector of its counted words (TF-IDF:
//! `1 + ln count`, times how rare the word is among all the projects indexed), two projects are as close as the
//! cosine of their vectors (0 nothing shared, 1 the same words in the same proportions). The index keeps the
//! vectors in memory with, for each word, the projects holding it, so that a query reads only the projects
//! sharing one of its words.

use std::collections::HashMap;
use std::hash::Hash;

use super::words::WordCounts;

/// A project found close, with its closeness (cosine, 0 to 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Close<K> {
    pub key: K,
    pub score: f32,
}

struct Indexed<K> {
    key: K,
    /// `(word, 1 + ln count)`.
    words: Vec<(u32, f32)>,
    /// The vector's length with the rarity of the words when last refreshed.
    norm: f32,
}

/// The indexed projects, each under its key `K`.
pub struct SimilarityIndex<K> {
    vocabulary: HashMap<String, u32>,
    /// For each word, the slots of the projects holding it and its weight there.
    postings: Vec<Vec<(u32, f32)>>,
    slots: Vec<Option<Indexed<K>>>,
    slot_of: HashMap<K, u32>,
    free: Vec<u32>,
    live: usize,
    /// Whether the lengths were computed since the last change.
    fresh: bool,
}

impl<K: Clone + Eq + Hash + Ord> Default for SimilarityIndex<K> {
    fn default() -> Self {
        SimilarityIndex {
            vocabulary: HashMap::new(),
            postings: Vec::new(),
            slots: Vec::new(),
            slot_of: HashMap::new(),
            free: Vec::new(),
            live: 0,
            fresh: true,
        }
    }
}

fn word_weight(count: u32) -> f32 {
    1.0 + (count.max(1) as f32).ln()
}

impl<K: Clone + Eq + Hash + Ord> SimilarityIndex<K> {
    /// How many projects are indexed.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Indexes a project, replacing what was indexed under its key; a project without words is removed.
    pub fn upsert(&mut self, key: K, counts: &WordCounts) {
        self.remove(&key);
        if counts.is_empty() {
            return;
        }
        let words: Vec<(u32, f32)> = counts
            .pairs()
            .iter()
            .map(|(word, count)| (self.word_id(word), word_weight(*count)))
            .collect();
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        for (word, weight) in &words {
            self.postings[*word as usize].push((slot, *weight));
        }
        self.slots[slot as usize] = Some(Indexed {
            key: key.clone(),
            words,
            norm: 0.0,
        });
        self.slot_of.insert(key, slot);
        self.live += 1;
        self.fresh = false;
    }

    /// Removes a project (nothing when it is not indexed).
    pub fn remove(&mut self, key: &K) {
        let Some(slot) = self.slot_of.remove(key) else {
            return;
        };
        if let Some(indexed) = self.slots[slot as usize].take() {
            for (word, _) in indexed.words {
                self.postings[word as usize].retain(|(held, _)| *held != slot);
            }
        }
        self.free.push(slot);
        self.live -= 1;
        self.fresh = false;
    }

    /// Computes again every project's length after changes (a word's rarity changes with every project added),
    /// for the queries that follow; until then, lengths are computed at each query.
    pub fn refresh(&mut self) {
        if self.fresh {
            return;
        }
        let rarity: Vec<f32> = self.postings.iter().map(|held| self.rarity(held.len())).collect();
        for indexed in self.slots.iter_mut().flatten() {
            indexed.norm = length(&indexed.words, |word| rarity[word as usize]);
        }
        self.fresh = true;
    }

    /// The projects closest to a text's words with a closeness of at least `min_score`, closest first, at most
    /// `limit`, among those `keep` accepts. Its words no project holds only make it further from all.
    pub fn closest(
        &self,
        query: &WordCounts,
        min_score: f32,
        limit: usize,
        keep: impl Fn(&K) -> bool,
    ) -> Vec<Close<K>> {
        let mut words: Vec<(Option<u32>, f32)> = Vec::with_capacity(query.len());
        for (word, count) in query.pairs() {
            words.push((self.vocabulary.get(word).copied(), word_weight(*count)));
        }
        self.rank(&words, min_score, limit, keep)
    }

    /// The projects closest to an indexed one (itself left out); nothing when it is not indexed.
    pub fn closest_to(&self, key: &K, min_score: f32, limit: usize, keep: impl Fn(&K) -> bool) -> Vec<Close<K>> {
        let Some(indexed) = self
            .slot_of
            .get(key)
            .and_then(|slot| self.slots[*slot as usize].as_ref())
        else {
            return Vec::new();
        };
        let words: Vec<(Option<u32>, f32)> = indexed
            .words
            .iter()
            .map(|(word, weight)| (Some(*word), *weight))
            .collect();
        self.rank(&words, min_score, limit, |candidate| {
            candidate != key && keep(candidate)
        })
    }

    /// How much a word held by `held` projects weighs: more the rarer it is (smoothed: a word of every project
    /// still weighs 1).
    fn rarity(&self, held: usize) -> f32 {
        ((self.live as f32 + 1.0) / (held as f32 + 1.0)).ln() + 1.0
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(id) = self.vocabulary.get(word) {
            return *id;
        }
        let id = self.postings.len() as u32;
        self.postings.push(Vec::new());
        self.vocabulary.insert(word.to_string(), id);
        id
    }

    fn norm_of(&self, indexed: &Indexed<K>) -> f32 {
        if self.fresh {
            return indexed.norm;
        }
        length(&indexed.words, |word| self.rarity(self.postings[word as usize].len()))
    }

    /// Ranks the projects by their closeness to `words`.
    fn rank(
        &self,
        words: &[(Option<u32>, f32)],
        min_score: f32,
        limit: usize,
        keep: impl Fn(&K) -> bool,
    ) -> Vec<Close<K>> {
        let mut query_norm = 0.0f32;
        let mut dots: HashMap<u32, f32> = HashMap::new();
        for (word, weight) in words {
            let held = word.map_or(&[][..], |id| self.postings[id as usize].as_slice());
            let rarity = self.rarity(held.len());
            query_norm += (weight * rarity).powi(2);
            for (slot, their_weight) in held {
                *dots.entry(*slot).or_default() += weight * their_weight * rarity * rarity;
            }
        }
        let query_norm = query_norm.sqrt();
        let mut found: Vec<Close<K>> = dots
            .into_iter()
            .filter_map(|(slot, dot)| {
                let indexed = self.slots[slot as usize].as_ref()?;
                let norm = self.norm_of(indexed);
                let score = if norm > 0.0 && query_norm > 0.0 {
                    dot / (norm * query_norm)
                } else {
                    0.0
                };
                (score >= min_score && keep(&indexed.key)).then(|| Close {
                    key: indexed.key.clone(),
                    score,
                })
            })
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| b.key.cmp(&a.key)));
        found.truncate(limit);
        found
    }
}

/// The length of a vector of words with these rarities.
fn length(words: &[(u32, f32)], rarity: impl Fn(u32) -> f32) -> f32 {
    let sum: f32 = words
        .iter()
        .map(|(word, weight)| (weight * rarity(*word)).powi(2))
        .sum();
    sum.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> WordCounts {
        WordCounts::of_project("", text, "", &|word: &str| word.to_string())
    }

    fn index(texts: &[(u32, &str)]) -> SimilarityIndex<u32> {
        let mut index = SimilarityIndex::default();
        for (key, text) in texts {
            index.upsert(*key, &words(text));
        }
        index.refresh();
        index
    }

    #[test]
    fn the_same_text_is_closest_and_nothing_shared_is_not_found() {
        let index = index(&[
            (1, "fuites reseau eau potable capteurs"),
            (2, "gaspillage cantine scolaire pesee"),
            (3, "fuites canalisations eau"),
        ]);
        let found = index.closest(&words("fuites reseau eau potable capteurs"), 0.0, 10, |_| true);
        assert_eq!(found[0].key, 1);
        assert!((found[0].score - 1.0).abs() < 1e-5, "{found:?}");
        let same = index.closest_to(&1, 0.0, 10, |_| true);
        assert_eq!(same[0].key, 3, "itself left out");
        assert_eq!(found[1].key, 3);
        assert!(found.iter().all(|close| close.key != 2), "nothing shared, not found");
        assert!(index.closest(&words("inconnu"), 0.0, 10, |_| true).is_empty());
    }

    #[test]
    fn rare_words_weigh_more_than_words_every_project_has() {
        let index = index(&[
            (1, "detection fuites reseau"),
            (2, "detection nids poule chaussee"),
            (3, "detection depots sauvages"),
            (4, "detection incendies"),
        ]);
        let found = index.closest(&words("fuites chaussee detection"), 0.0, 10, |_| true);
        let score = |key: u32| found.iter().find(|close| close.key == key).map(|close| close.score);
        assert!(score(1) > score(3) && score(2) > score(3), "{found:?}");
    }

    #[test]
    fn a_threshold_a_limit_a_filter_and_the_project_itself_left_out() {
        let index = index(&[
            (1, "alpha beta gamma delta"),
            (2, "alpha beta gamma epsilon"),
            (3, "alpha zeta theta iota"),
            (4, "alpha beta gamma delta"),
        ]);
        let found = index.closest_to(&1, 0.5, 10, |_| true);
        assert_eq!(found.iter().map(|close| close.key).collect::<Vec<_>>(), vec![4, 2]);
        assert_eq!(index.closest_to(&1, 0.5, 1, |_| true).len(), 1);
        assert_eq!(index.closest_to(&1, 0.5, 10, |key| *key != 4).len(), 1);
        assert!(index.closest_to(&9, 0.0, 10, |_| true).is_empty());
    }

    #[test]
    fn a_replaced_or_removed_project_is_found_by_its_new_words_only() {
        let mut index = index(&[(1, "fuites eau"), (2, "cantine gaspillage")]);
        index.upsert(1, &words("eclairage public"));
        index.remove(&2);
        index.refresh();
        assert!(index.closest(&words("fuites eau"), 0.0, 10, |_| true).is_empty());
        assert!(index.closest(&words("cantine"), 0.0, 10, |_| true).is_empty());
        assert_eq!(index.len(), 1);
        index.refresh();
        assert_eq!(index.closest(&words("eclairage public"), 0.0, 10, |_| true).len(), 1);
        index.upsert(2, &WordCounts::default());
        assert_eq!(index.len(), 1, "a project without words is not indexed");
    }
}
