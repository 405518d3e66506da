//! The official list of collectivités (Etalab's découpage administratif) and the search a collectivité uses to
//! find itself: by name, postal code, INSEE code or SIREN. Parsing and ranking are pure so they are tested here.

use serde::{Deserialize, Serialize};

use super::text::{group_thousands, normalize};

/// The four kinds of collectivités the programme serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Commune,
    Epci,
    Departement,
    Region,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Commune => "commune",
            Kind::Epci => "epci",
            Kind::Departement => "departement",
            Kind::Region => "region",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        [Kind::Commune, Kind::Epci, Kind::Departement, Kind::Region]
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Commune => "Commune",
            Kind::Epci => "EPCI (intercommunalité)",
            Kind::Departement => "Département",
            Kind::Region => "Région",
        }
    }
}

/// One collectivité of the official list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collectivite {
    pub kind: Kind,
    /// INSEE code (commune, département, région) or SIREN (EPCI).
    pub code: String,
    pub siren: String,
    pub name: String,
    pub postal_codes: Vec<String>,
    pub population: Option<i64>,
    pub departement_code: String,
    pub departement_name: String,
    pub region_code: String,
    pub region_name: String,
}

impl Collectivite {
    /// The key a form stores: `kind:code`, unique across the four kinds.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.code(), self.code)
    }

    /// One line describing where it is and how big it is, in French.
    pub fn description(&self) -> String {
        let mut parts = vec![self.kind.label().to_string()];
        if let Some(population) = self.population {
            parts.push(format!("{} habitants", group_thousands(population)));
        }
        if self.kind != Kind::Departement && self.kind != Kind::Region && !self.departement_name.is_empty() {
            parts.push(format!("{} ({})", self.departement_name, self.departement_code));
        }
        if self.kind != Kind::Region && !self.region_name.is_empty() {
            parts.push(self.region_name.clone());
        }
        parts.join(" · ")
    }
}

/// Why a line of the data file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub reason: &'static str,
}

/// Reads the TSV file made by `scripts/gen-collectivites.mjs` (a header line, then ten columns a line).
pub fn parse_tsv(text: &str) -> Result<Vec<Collectivite>, ParseError> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 10 {
            return Err(ParseError {
                line: index + 1,
                reason: "nombre de colonnes différent de 10",
            });
        }
        let kind = Kind::from_code(columns[0]).ok_or(ParseError {
            line: index + 1,
            reason: "type inconnu",
        })?;
        let population = match columns[5] {
            "" => None,
            value => Some(value.parse::<i64>().map_err(|_| ParseError {
                line: index + 1,
                reason: "population illisible",
            })?),
        };
        out.push(Collectivite {
            kind,
            code: columns[1].to_string(),
            siren: columns[2].to_string(),
            name: columns[3].to_string(),
            postal_codes: columns[4].split_whitespace().map(str::to_string).collect(),
            population,
            departement_code: columns[6].to_string(),
            departement_name: columns[7].to_string(),
            region_code: columns[8].to_string(),
            region_name: columns[9].to_string(),
        });
    }
    Ok(out)
}

/// The official list, prepared for fast search.
pub struct Directory {
    entries: Vec<Collectivite>,
    normalized_names: Vec<String>,
    /// Where each `kind:code` and each SIREN is in `entries` (the first one of a SIREN): every save of a step
    /// and every filing looks a key up, which a walk through the whole list (every commune) was a share of each request.
    by_key: std::collections::HashMap<String, usize>,
    by_siren: std::collections::HashMap<String, usize>,
}

/// The most results a search returns.
pub const MAX_RESULTS: usize = 10;
/// The longest query accepted; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 100;

impl Directory {
    pub fn new(entries: Vec<Collectivite>) -> Directory {
        let normalized_names = entries.iter().map(|entry| normalize(&entry.name)).collect();
        let by_key = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.key(), index))
            .collect();
        let mut by_siren = std::collections::HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            by_siren.entry(entry.siren.clone()).or_insert(index);
        }
        Directory {
            entries,
            normalized_names,
            by_key,
            by_siren,
        }
    }

    /// The names of the régions as cases record them (`region_name`), sorted.
    pub fn regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self.entries.iter().map(|entry| entry.region_name.clone()).collect();
        regions.sort();
        regions.dedup();
        regions
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.entries.iter().filter(|entry| entry.kind == kind).count()
    }

    /// The collectivité stored under `kind:code`.
    pub fn by_key(&self, key: &str) -> Option<&Collectivite> {
        self.by_key.get(key).map(|&index| &self.entries[index])
    }

    /// The collectivité of a SIREN (nine digits), if the official list has one.
    pub fn by_siren(&self, siren: &str) -> Option<&Collectivite> {
        if siren.len() != 9 {
            return None;
        }
        self.by_siren.get(siren).map(|&index| &self.entries[index])
    }

    /// Up to `MAX_RESULTS` collectivités matching `query`: an exact code (`6AE`), digits matching INSEE codes,
    /// postal codes and SIRENs, or words matching names (each word a prefix of a word of the name, or a word
    /// people add to the name of its kind: « Région Occitanie », « Conseil départemental de la Vendée »).
    /// Exact names first, then the most populous.
    pub fn search(&self, query: &str) -> Vec<&Collectivite> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let needle = normalize(&query);
        if needle.is_empty() {
            return Vec::new();
        }
        let compact: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
        let numeric = compact.len() >= 2
            && compact.chars().all(|c| c.is_ascii_digit() || c == 'a' || c == 'b')
            && compact.chars().any(|c| c.is_ascii_digit());
        let words: Vec<&str> = needle.split(' ').collect();
        let mut scored: Vec<(u8, bool, i64, usize)> = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let rank = if entry.code.eq_ignore_ascii_case(&compact) {
                Some(0)
            } else if numeric {
                numeric_rank(entry, &compact)
            } else {
                name_rank(entry.kind, &self.normalized_names[index], &needle, &words)
            };
            // Between equals, the row that carries the SIREN (one body on two rows: Mayotte, Paris…), then
            // the most populous.
            if let Some(rank) = rank {
                scored.push((rank, entry.siren.is_empty(), -entry.population.unwrap_or(0), index));
            }
        }
        scored.sort_unstable();
        scored
            .into_iter()
            .take(MAX_RESULTS)
            .map(|(_, _, _, index)| &self.entries[index])
            .collect()
    }
}

fn numeric_rank(entry: &Collectivite, digits: &str) -> Option<u8> {
    let code = entry.code.to_ascii_lowercase();
    if code == digits || entry.siren == digits {
        Some(0)
    } else if entry.postal_codes.iter().any(|postal| postal == digits) {
        Some(1)
    } else if entry.postal_codes.iter().any(|postal| postal.starts_with(digits)) {
        Some(2)
    } else if digits.len() >= 3 && (code.starts_with(digits) || entry.siren.starts_with(digits)) {
        Some(3)
    } else {
        None
    }
}

/// Words people write around the name of a collectivité of `kind` (folded): « Région », « Conseil
/// départemental de », « Ville de », « Collectivité territoriale de »…
fn is_added_word(kind: Kind, word: &str) -> bool {
    const ANY: &[&str] = &[
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "conseil",
        "collectivite",
        "territoriale",
        "unique",
    ];
    let of_kind: &[&str] = match kind {
        Kind::Commune => &["ville", "commune", "mairie"],
        Kind::Epci => &[],
        Kind::Departement => &["departement", "departemental", "cd"],
        Kind::Region => &["region", "regional"],
    };
    ANY.contains(&word) || of_kind.contains(&word)
}

fn name_rank(kind: Kind, name: &str, needle: &str, words: &[&str]) -> Option<u8> {
    if name == needle {
        return Some(0);
    }
    let name_words: Vec<&str> = name.split(' ').collect();
    let in_name = |word: &&str| name_words.iter().any(|name_word| name_word.starts_with(*word));
    if words.iter().all(in_name) {
        return Some(if name.starts_with(needle) { 1 } else { 2 });
    }
    // « Département du Rhône »: the name once the added words are left out of both is the name itself (before
    // Bouches-du-Rhône); « Région Occitanie »: every word of the name's or added, one at least of the name's.
    let core = |all: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|word| !is_added_word(kind, word))
            .map(|word| word.to_string())
            .collect()
    };
    let query_core = core(words);
    if !query_core.is_empty() && query_core == core(&name_words) {
        return Some(1);
    }
    let named = words
        .iter()
        .filter(|word| in_name(word) && !is_added_word(kind, word))
        .count();
    let rest_added = words.iter().all(|word| in_name(word) || is_added_word(kind, word));
    (named > 0 && rest_added).then_some(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::{group_thousands, normalize};

    const SAMPLE: &str = "kind\tcode\tsiren\tname\tpostal_codes\tpopulation\tdepartement_code\tdepartement_name\tregion_code\tregion_name
region\t84\t\tAuvergne-Rhône-Alpes\t\t8000000\t\t\t84\tAuvergne-Rhône-Alpes
departement\t42\t\tLoire\t\t765000\t42\tLoire\t84\tAuvergne-Rhône-Alpes
epci\t244200770\t244200770\tSaint-Étienne Métropole\t\t404000\t42\tLoire\t84\tAuvergne-Rhône-Alpes
commune\t42218\t214202186\tSaint-Étienne\t42000 42100\t173000\t42\tLoire\t84\tAuvergne-Rhône-Alpes
commune\t42207\t214202079\tSaint-Étienne-le-Molard\t42130\t1000\t42\tLoire\t84\tAuvergne-Rhône-Alpes
commune\t01001\t210100012\tL'Abergement-Clémenciat\t01400\t860\t01\tAin\t84\tAuvergne-Rhône-Alpes
";

    fn directory() -> Directory {
        Directory::new(parse_tsv(SAMPLE).expect("sample parses"))
    }

    #[test]
    fn parses_every_kind() {
        let dir = directory();
        assert_eq!(dir.len(), 6);
        assert_eq!(dir.count(Kind::Commune), 3);
        assert_eq!(dir.count(Kind::Epci), 1);
        let stetienne = dir.by_key("commune:42218").expect("found");
        assert_eq!(stetienne.postal_codes, vec!["42000", "42100"]);
        assert_eq!(stetienne.population, Some(173000));
    }

    #[test]
    fn rejects_a_short_line() {
        let err = parse_tsv("header\ncommune\t1\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn normalizes_accents_and_punctuation() {
        assert_eq!(normalize("Saint-Étienne"), "saint etienne");
        assert_eq!(normalize("  L'Haÿ-les-Roses "), "l hay les roses");
        assert_eq!(normalize("Cœur"), "coeur");
    }

    #[test]
    fn name_search_ignores_accents_and_ranks_exact_first() {
        let dir = directory();
        let names: Vec<_> = dir.search("saint etienne").iter().map(|c| c.name.clone()).collect();
        assert_eq!(names[0], "Saint-Étienne");
        assert!(names.contains(&"Saint-Étienne Métropole".to_string()));
        assert!(names.contains(&"Saint-Étienne-le-Molard".to_string()));
    }

    #[test]
    fn word_prefixes_match_in_any_order() {
        let dir = directory();
        let names: Vec<_> = dir.search("abergement cl").iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, vec!["L'Abergement-Clémenciat"]);
        assert!(dir.search("zzz").is_empty());
    }

    #[test]
    fn searches_by_postal_code_insee_and_siren() {
        let dir = directory();
        assert_eq!(dir.search("42100")[0].name, "Saint-Étienne");
        assert_eq!(dir.search("42218")[0].name, "Saint-Étienne");
        assert_eq!(dir.search("244200770")[0].name, "Saint-Étienne Métropole");
        assert_eq!(dir.search("214202079")[0].name, "Saint-Étienne-le-Molard");
    }

    #[test]
    fn words_added_to_the_name_of_its_kind_still_find_it() {
        let dir = directory();
        assert_eq!(
            dir.search("Région Auvergne-Rhône-Alpes")[0].name,
            "Auvergne-Rhône-Alpes"
        );
        assert_eq!(dir.search("Conseil départemental de la Loire")[0].name, "Loire");
        assert_eq!(dir.search("Ville de Saint-Étienne")[0].name, "Saint-Étienne");
        assert!(
            dir.search("Région Loire").is_empty(),
            "« région » is not added to a département's name"
        );
        assert!(dir.search("conseil de la").is_empty(), "added words alone find nothing");
    }

    #[test]
    fn empty_query_finds_nothing() {
        assert!(directory().search("  -- ").is_empty());
    }

    #[test]
    fn description_is_french() {
        let dir = directory();
        let text = dir.by_key("commune:42218").expect("found").description();
        assert_eq!(
            text,
            "Commune · 173\u{202f}000 habitants · Loire (42) · Auvergne-Rhône-Alpes"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1\u{202f}000");
        assert_eq!(group_thousands(-1234567), "-1\u{202f}234\u{202f}567");
    }
}
