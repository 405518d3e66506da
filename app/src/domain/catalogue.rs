//! The public catalogue's rules: the search and filters as they stand in the URL, population bands, sorting and
//! pagination, the French search terms (accents and plurals do not matter: words are folded and stemmed the
//! way PostgreSQL's French configuration with `unaccent` does), slugs, and when a video may be embedded.

use super::text::normalize;

/// Results per page.
pub const PER_PAGE: i64 = 12;
/// The longest search text kept.
pub const MAX_QUERY_CHARS: usize = 200;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Best match first (most recent first without a search text).
    #[default]
    Pertinence,
    Recents,
    /// Most hours saved first.
    Impact,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Pertinence, Sort::Recents, Sort::Impact];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Pertinence => "pertinence",
            Sort::Recents => "recents",
            Sort::Impact => "impact",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Pertinence => "Pertinence",
            Sort::Recents => "Plus récents",
            Sort::Impact => "Impact (heures économisées)",
        }
    }

    pub fn from_code(code: &str) -> Sort {
        Sort::ALL.into_iter().find(|s| s.code() == code).unwrap_or_default()
    }
}

/// A population band of the collectivité pionnière: code, label, inclusive minimum, exclusive maximum.
pub const POPULATION_BANDS: &[(&str, &str, i64, i64)] = &[
    ("moins-2000", "Moins de 2 000 habitants", 0, 2_000),
    ("2000-10000", "De 2 000 à 10 000 habitants", 2_000, 10_000),
    ("10000-50000", "De 10 000 à 50 000 habitants", 10_000, 50_000),
    ("50000-200000", "De 50 000 à 200 000 habitants", 50_000, 200_000),
    ("plus-200000", "Plus de 200 000 habitants", 200_000, i64::MAX),
];

pub fn population_band(code: &str) -> Option<(i64, i64)> {
    POPULATION_BANDS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, _, min, max)| (*min, *max))
}

/// The catalogue's search as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CatalogueQuery {
    pub texte: String,
    pub domaine: String,
    pub brique: String,
    pub typologie: String,
    /// Kind of collectivité (commune, epci, departement, region).
    pub collectivite: String,
    /// A population band code.
    pub population: String,
    pub region: String,
    /// Where the projects come from (`SOURCES`): the programme's cases, the Bibliothèque's, or both.
    pub source: String,
    pub tri: Sort,
    /// 1-based.
    pub page: i64,
}

impl CatalogueQuery {
    /// Reads the query from URL pairs; unknown keys are ignored, values cleaned of control characters (the
    /// database refuses a NUL) and bounded, the page at least 1.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CatalogueQuery {
        let mut query = CatalogueQuery {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            let value: String = super::text::clean_text(value)
                .trim()
                .chars()
                .take(MAX_QUERY_CHARS)
                .collect();
            match key {
                "texte" => query.texte = value,
                "domaine" => query.domaine = value,
                "brique" => query.brique = value,
                "typologie" => query.typologie = value,
                "collectivite" => query.collectivite = value,
                "population" => query.population = value,
                "region" => query.region = value,
                "source" => query.source = value,
                "tri" => query.tri = Sort::from_code(&value),
                "page" => query.page = value.parse::<i64>().unwrap_or(1).clamp(1, 10_000),
                _ => {}
            }
        }
        query
    }

    /// The URL pairs of this query (page and sort only when not the default), in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = [
            ("texte", &self.texte),
            ("domaine", &self.domaine),
            ("brique", &self.brique),
            ("typologie", &self.typologie),
            ("collectivite", &self.collectivite),
            ("population", &self.population),
            ("region", &self.region),
            ("source", &self.source),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect();
        if self.tri != Sort::Pertinence {
            pairs.push(("tri", self.tri.code().to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    /// `/catalogue?…` for this query.
    pub fn url(&self) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return "/catalogue".into();
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", super::text::encode_component(v)))
            .collect();
        format!("/catalogue?{}", query.join("&"))
    }

    /// The same query on another page.
    pub fn with_page(&self, page: i64) -> CatalogueQuery {
        CatalogueQuery { page, ..self.clone() }
    }

    pub fn offset(&self) -> i64 {
        (self.page.max(1) - 1) * PER_PAGE
    }

    pub fn has_filters(&self) -> bool {
        !(self.texte.is_empty()
            && self.domaine.is_empty()
            && self.brique.is_empty()
            && self.typologie.is_empty()
            && self.collectivite.is_empty()
            && self.population.is_empty()
            && self.region.is_empty()
            && self.source.is_empty())
    }
}

/// The source of the cases published by the programme.
pub const SOURCE_IA_FACTORY: &str = "ia-factory";
/// The source of the projects imported from the Bibliothèque d'IA territoriales (`domain::library`).
pub const SOURCE_LIBRARY: &str = "bibliotheque";
/// The catalogue's sources: code and label.
pub const SOURCES: &[(&str, &str)] = &[
    (SOURCE_IA_FACTORY, "IA Factory"),
    (SOURCE_LIBRARY, "Bibliothèque d'IA territoriales"),
];

impl CatalogueQuery {
    /// Whether the programme's published cases are searched.
    pub fn searches_cases(&self) -> bool {
        self.source != SOURCE_LIBRARY
    }

    /// Whether the Bibliothèque's projects are searched: not when a filter only the programme's cases have
    /// (brick, typology) is set.
    pub fn searches_library(&self) -> bool {
        self.source != SOURCE_IA_FACTORY && self.brique.is_empty() && self.typologie.is_empty()
    }
}

/// Number of pages for `total` results.
pub fn page_count(total: i64) -> i64 {
    ((total + PER_PAGE - 1) / PER_PAGE).max(1)
}

/// Each source's matches are counted up to this bound, beyond which the catalogue says « plus de 1 000 » :
/// counting every match of a common word would read them all at each search (100,000 published cases).
pub const COUNT_BOUND: i64 = 1_000;

/// Whether a source's count, read with the bound (at most `COUNT_BOUND + 1`), only says « more than the bound ».
pub fn beyond_bound(count: i64) -> bool {
    count > COUNT_BOUND
}

/// « 25 », « 1 000 », or « plus de 1 000 » for a count read with the bound.
pub fn count_words(count: i64) -> String {
    if beyond_bound(count) {
        format!("plus de {}", crate::domain::text::group_thousands(COUNT_BOUND))
    } else {
        crate::domain::text::group_thousands(count)
    }
}

/// The pages offered for `total` results when the page `current` shows `shown` of them: past the bound
/// (`bounded`), one page more as long as the current one is full, so that every result stays reachable.
pub fn pages_offered(total: i64, bounded: bool, current: i64, shown: usize) -> i64 {
    let counted = page_count(total);
    if bounded && current >= counted && shown as i64 == PER_PAGE {
        current + 1
    } else {
        counted.max(if bounded { current } else { 1 })
    }
}

/// French words too common to search for (those PostgreSQL's French configuration drops too).
const STOPWORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la",
    "le", "les", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on",
    "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton",
    "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "m", "n", "s", "t", "y", "est",
];

/// The words of a text as the search compares them: folded (no accents, lower case), split on anything not a
/// letter or digit, without French stopwords, each reduced to its stem by `stem`.
pub fn search_words(text: &str, stem: &dyn Fn(&str) -> String) -> Vec<String> {
    normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !STOPWORDS.contains(word))
        .map(stem)
        .filter(|word| !word.is_empty())
        .collect()
}

/// The words of a search, without duplicates and at most 12.
pub fn query_terms(text: &str, stem: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in search_words(text, stem) {
        if !terms.contains(&word) && terms.len() < 12 {
            terms.push(word);
        }
    }
    terms
}

/// `Accélération de la révision du PLU` → `acceleration-de-la-revision-du-plu`.
pub fn slugify(title: &str) -> String {
    let folded = normalize(title);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(80).collect();
    slug.trim_end_matches('-').to_string()
}

/// A slug as a route accepts it: lower-case ASCII letters, digits and dashes.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A video is embedded only when it has a transcript or captions to link to; otherwise it is a plain link.
pub fn may_embed_video(url: &str, transcript_url: &str) -> bool {
    is_public_link(url) && is_public_link(transcript_url)
}

/// A link the catalogue may show: `https://` (or `http://`) only.
pub fn is_public_link(url: &str) -> bool {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 10 && !url.contains(['"', '<', '>', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in stemmer for the tests of this module: drops a final `s` or `x`.
    fn plural(word: &str) -> String {
        word.strip_suffix(['s', 'x'])
            .filter(|w| w.len() > 2)
            .unwrap_or(word)
            .to_string()
    }

    #[test]
    fn the_query_reads_from_the_url_and_back() {
        let query = CatalogueQuery::from_pairs([
            ("texte", " marchés publics "),
            ("domaine", "finances-achats"),
            ("tri", "impact"),
            ("page", "3"),
            ("inconnu", "x"),
        ]);
        assert_eq!(query.texte, "marchés publics");
        assert_eq!(query.tri, Sort::Impact);
        assert_eq!(query.page, 3);
        assert_eq!(query.offset(), 2 * PER_PAGE);
        assert_eq!(
            query.url(),
            "/catalogue?texte=march%C3%A9s%20publics&domaine=finances-achats&tri=impact&page=3"
        );
        assert_eq!(
            query.with_page(1).url(),
            "/catalogue?texte=march%C3%A9s%20publics&domaine=finances-achats&tri=impact"
        );
        assert_eq!(CatalogueQuery::from_pairs([("page", "-4")]).page, 1);
        assert_eq!(CatalogueQuery::from_pairs([("page", "abc")]).page, 1);
        assert_eq!(CatalogueQuery::from_pairs([("tri", "n'importe")]).tri, Sort::Pertinence);
        // Control characters never reach the database (PostgreSQL refuses a NUL in a text).
        assert_eq!(
            CatalogueQuery::from_pairs([("texte", "\u{0}cour\u{1b}riers\u{7}")]).texte,
            "courriers"
        );
        assert!(!CatalogueQuery::from_pairs([]).has_filters());
        assert_eq!(CatalogueQuery::from_pairs([]).url(), "/catalogue");
    }

    #[test]
    fn the_source_facet_chooses_what_is_searched() {
        let both = CatalogueQuery::from_pairs([]);
        assert!(both.searches_cases() && both.searches_library());
        let library = CatalogueQuery::from_pairs([("source", "bibliotheque"), ("texte", "déchets")]);
        assert!(!library.searches_cases() && library.searches_library());
        assert_eq!(library.url(), "/catalogue?texte=d%C3%A9chets&source=bibliotheque");
        assert!(library.has_filters());
        let ours = CatalogueQuery::from_pairs([("source", "ia-factory")]);
        assert!(ours.searches_cases() && !ours.searches_library());
        // Only the programme's cases have bricks and typologies.
        let brick = CatalogueQuery::from_pairs([("brique", "vibe")]);
        assert!(brick.searches_cases() && !brick.searches_library());
    }

    #[test]
    fn counts_past_the_bound_say_more_than_and_keep_a_next_page() {
        assert!(!beyond_bound(COUNT_BOUND));
        assert!(beyond_bound(COUNT_BOUND + 1));
        assert_eq!(count_words(25), "25");
        assert_eq!(count_words(COUNT_BOUND), "1\u{202f}000");
        assert_eq!(count_words(COUNT_BOUND + 1), "plus de 1\u{202f}000");
        // Exact counts: the pages they make.
        assert_eq!(pages_offered(30, false, 1, 12), 3);
        // Past the bound: the counted pages, then one more while the page is full.
        let counted = page_count(COUNT_BOUND + 1);
        assert_eq!(pages_offered(COUNT_BOUND + 1, true, 1, 12), counted);
        assert_eq!(pages_offered(COUNT_BOUND + 1, true, counted, 12), counted + 1);
        assert_eq!(pages_offered(COUNT_BOUND + 1, true, counted + 5, 12), counted + 6);
        // The last page, not full, ends the list.
        assert_eq!(pages_offered(COUNT_BOUND + 1, true, counted + 6, 3), counted + 6);
    }

    #[test]
    fn pages_and_population_bands() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PER_PAGE), 1);
        assert_eq!(page_count(PER_PAGE + 1), 2);
        assert_eq!(population_band("2000-10000"), Some((2_000, 10_000)));
        assert_eq!(population_band("autre"), None);
    }

    #[test]
    fn search_words_fold_accents_drop_stopwords_and_stem() {
        assert_eq!(search_words("Les Marchés publics", &plural), ["marche", "public"]);
        assert_eq!(query_terms("marches publics marchés", &plural), ["marche", "public"]);
        assert_eq!(search_words("l'analyse des données", &plural), ["analyse", "donnee"]);
    }

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(
            slugify("Accélération de la révision du PLU"),
            "acceleration-de-la-revision-du-plu"
        );
        assert_eq!(slugify("  Tri & réponse : courriers !  "), "tri-reponse-courriers");
        assert!(is_slug("acceleration-de-la-revision-du-plu"));
        assert!(!is_slug("../etc/passwd"));
        assert!(!is_slug(""));
    }

    #[test]
    fn videos_are_embedded_only_with_a_transcript() {
        assert!(may_embed_video(
            "https://video.exemple.fr/v/1",
            "https://video.exemple.fr/v/1.vtt"
        ));
        assert!(!may_embed_video("https://video.exemple.fr/v/1", ""));
        assert!(!is_public_link("javascript:alert(1)"));
        assert!(!is_public_link("https://x.fr/\"onmouseover"));
    }
}
