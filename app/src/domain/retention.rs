//! How long personal data is kept (RGPD, published on the "Données personnelles" page): abandoned drafts are
//! purged after a fixed delay; team sessions expire. The purge job and the page read the same constants.

/// A draft never filed is deleted this many days after its last change.
pub const DRAFT_RETENTION_DAYS: i64 = 90;

/// The documents of a draft never filed are deleted this many days after its last change (the draft itself is
/// kept until `DRAFT_RETENTION_DAYS`): an abandoned draft does not hold space for three months (audit finding 1).
pub const DRAFT_DOCUMENTS_RETENTION_DAYS: i64 = 30;

/// The instant before which an unfiled draft's last change makes its documents go.
pub fn draft_documents_cutoff(now: i64) -> i64 {
    now - DRAFT_DOCUMENTS_RETENTION_DAYS * 86_400
}

/// A team session lasts this many hours.
pub const SESSION_HOURS: i64 = 12;

/// A team session unused this many hours ends too.
pub const SESSION_IDLE_HOURS: i64 = 2;

/// The instant before which a session's last activity makes it idle.
pub fn session_idle_cutoff(now: i64) -> i64 {
    now - SESSION_IDLE_HOURS * 3_600
}

/// How often the purge job runs, in seconds.
pub const PURGE_INTERVAL_SECONDS: u64 = 24 * 3_600;

/// The instant before which an unfiled draft's last change makes it expire.
pub fn draft_expiry_cutoff(now: i64) -> i64 {
    now - DRAFT_RETENTION_DAYS * 86_400
}

/// A private follow-up link unused this many days ends (the collectivité asks for a new one with « Lien
/// perdu ? »).
pub const LINK_IDLE_DAYS: i64 = 365;

/// A link's use is recorded at most once in this many seconds (a page view does not write every time).
pub const LINK_USE_GRANULARITY_SECONDS: i64 = 3_600;

/// The instant before which a follow-up link's last use (or its creation) makes it end.
pub fn link_idle_cutoff(now: i64) -> i64 {
    now - LINK_IDLE_DAYS * 86_400
}

/// An email as the export compares it: trimmed and lower-cased; none when it cannot be an address.
pub fn normalized_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    super::intake::is_email(&email).then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_expire_after_the_published_delay() {
        let now = 1_000 * 86_400;
        assert_eq!(draft_expiry_cutoff(now), 910 * 86_400);
    }

    #[test]
    fn idle_drafts_lose_their_documents_well_before_they_expire() {
        let now = 1_000 * 86_400;
        assert_eq!(draft_documents_cutoff(now), 970 * 86_400);
        assert!(draft_documents_cutoff(now) > draft_expiry_cutoff(now));
    }

    #[test]
    fn a_follow_up_link_ends_after_a_year_without_use() {
        let now = 1_000 * 86_400;
        assert_eq!(link_idle_cutoff(now), 635 * 86_400);
    }

    #[test]
    fn emails_are_compared_trimmed_and_lower_cased() {
        assert_eq!(
            normalized_email(" Camille.Martin@Ville.FR "),
            Some("camille.martin@ville.fr".into())
        );
        assert_eq!(normalized_email("pas une adresse"), None);
    }
}
