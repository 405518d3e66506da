//! The reference of a case (`IAF-2026-00042`): one parser for every place a reference comes from a URL or a form.

use serde::{Deserialize, Serialize};

/// A well-formed case reference: `IAF-`, the year, `-`, a number of five digits or more.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseReference(String);

/// The longest reference accepted (far beyond the numbers a year can reach).
pub const MAX_REFERENCE_CHARS: usize = 20;

impl CaseReference {
    /// The reference in `text` (spaces around it ignored), or None when it cannot be one.
    pub fn parse(text: &str) -> Option<CaseReference> {
        let text = text.trim();
        let rest = text.strip_prefix("IAF-")?;
        let (year, number) = rest.split_once('-')?;
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let well_formed =
            text.len() <= MAX_REFERENCE_CHARS && year.len() == 4 && digits(year) && number.len() >= 5 && digits(number);
        well_formed.then(|| CaseReference(text.to_string()))
    }

    /// The reference of the `number`th case filed in `year`.
    pub fn new(year: i64, number: i64) -> CaseReference {
        CaseReference(format!("IAF-{year}-{number:05}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(CaseReference::new(2026, 42).as_str(), "IAF-2026-00042");
        assert_eq!(CaseReference::new(2027, 123_456).as_str(), "IAF-2027-123456");
    }

    #[test]
    fn only_well_formed_references_parse() {
        assert_eq!(
            CaseReference::parse(" IAF-2026-00042 ").map(|r| r.to_string()),
            Some("IAF-2026-00042".into())
        );
        assert!(CaseReference::parse("IAF-2026-123456").is_some());
        for wrong in [
            "",
            "IAF-2026-42",
            "iaf-2026-00042",
            "IAF-26-00042",
            "IAF-2026-0004x",
            "IAF-2026-00042' OR 1=1",
            "IAF-2026-0000000000000042",
        ] {
            assert_eq!(CaseReference::parse(wrong), None, "{wrong}");
        }
    }
}
