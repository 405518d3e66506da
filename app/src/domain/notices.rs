//! How an agent of a collectivité hears of its cases by email — each notice as it comes, or one daily digest —
//! which notices may wait for the digest, when the digest goes out, and how an email's delivery is told.

use serde::{Deserialize, Serialize};

use super::dates::{format_paris, paris_offset_seconds};
use super::email::Notice;

/// An agent's choice of email notices about the collectivité's cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeChoice {
    /// Each notice as it comes (the default).
    #[default]
    #[serde(rename = "chacun")]
    Each,
    /// One digest a day, at `DIGEST_HOUR` in Paris, of the notices that may wait.
    #[serde(rename = "quotidien")]
    Daily,
}

impl NoticeChoice {
    /// The code kept in the database and sent by the form.
    pub fn code(self) -> &'static str {
        match self {
            NoticeChoice::Each => "chacun",
            NoticeChoice::Daily => "quotidien",
        }
    }

    /// The choice of a stored code; none for a code it does not know.
    pub fn from_code(code: &str) -> Option<NoticeChoice> {
        [NoticeChoice::Each, NoticeChoice::Daily]
            .into_iter()
            .find(|choice| choice.code() == code)
    }

    /// The choice as the space offers it.
    pub fn label(self) -> &'static str {
        match self {
            NoticeChoice::Each => "Un courriel à chaque avis",
            NoticeChoice::Daily => "Un récapitulatif par jour, à 8 h, des avis de la veille",
        }
    }
}

/// The hour, in Paris, at which the daily digest goes out.
pub const DIGEST_HOUR: i64 = 8;

/// The latest digest time (`DIGEST_HOUR` in Paris) at or before `now`: the notices held before it go out in the
/// digest queued once it has passed.
pub fn digest_cutoff(now: i64) -> i64 {
    let day = (now + paris_offset_seconds(now)).div_euclid(86_400);
    let at = |day: i64| {
        let local = day * 86_400 + DIGEST_HOUR * 3_600;
        // Summer time changes at 01:00 UTC, hours before the digest: the offset an hour earlier is the right one.
        local - paris_offset_seconds(local - 3_600 * 3)
    };
    let today = at(day);
    if today <= now {
        today
    } else {
        at(day - 1)
    }
}

/// Whether a notice may wait for the daily digest: news of the case may; the receipt of a filing the agent just
/// made, and a file they just sent that was blocked, may not.
pub fn may_wait(notice: &Notice) -> bool {
    !matches!(
        notice,
        Notice::Filed { .. } | Notice::Infected { .. } | Notice::Unscannable { .. }
    )
}

/// What became of an email, as the team's list and the case's follow-up pages tell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// Delivered on its own, at that instant.
    Sent(i64),
    /// Waiting for its delivery, or to be tried again.
    Waiting,
    /// Held for its recipient's daily digest, which has not yet been queued.
    AwaitingDigest,
    /// Carried by a daily digest instead of going on its own: delivered at that instant, or still waiting.
    InDigest(Option<i64>),
}

impl Delivery {
    /// The delivery of an outbox row: when it was sent, whether it was held for a digest, whether a digest
    /// carries it and when that digest was sent.
    pub fn of(sent_at: Option<i64>, held: bool, in_digest: bool, digest_sent_at: Option<i64>) -> Delivery {
        match (sent_at, held, in_digest) {
            (Some(at), _, _) => Delivery::Sent(at),
            (None, true, true) => Delivery::InDigest(digest_sent_at),
            (None, true, false) => Delivery::AwaitingDigest,
            (None, false, _) => Delivery::Waiting,
        }
    }

    /// In a sentence's end: « remis le … », « en cours d'envoi »…
    pub fn label(self) -> String {
        match self {
            Delivery::Sent(at) => format!("remis le {}", format_paris(at)),
            Delivery::Waiting => "en cours d'envoi".into(),
            Delivery::AwaitingDigest => {
                format!("groupé dans le récapitulatif quotidien, envoyé à {DIGEST_HOUR} h")
            }
            Delivery::InDigest(Some(at)) => {
                format!("envoyé dans le récapitulatif quotidien remis le {}", format_paris(at))
            }
            Delivery::InDigest(None) => "envoyé dans le récapitulatif quotidien, en cours d'envoi".into(),
        }
    }

    /// Whether the recipient has received it, on its own or in a digest.
    pub fn delivered(self) -> bool {
        matches!(self, Delivery::Sent(_) | Delivery::InDigest(Some(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-06 00:00 UTC.
    const DEC_6: i64 = 1_796_515_200;

    #[test]
    fn the_digest_goes_at_eight_in_paris_winter_and_summer() {
        // Winter: 08:00 in Paris is 07:00 UTC.
        let eight = DEC_6 + 7 * 3_600;
        assert_eq!(digest_cutoff(eight), eight, "at eight exactly");
        assert_eq!(digest_cutoff(eight + 5 * 3_600), eight, "later that day");
        assert_eq!(digest_cutoff(eight - 1), eight - 86_400, "a second before: yesterday's");
        assert_eq!(format_paris(eight), "6 décembre 2026 à 8 h 00");
        // Summer: 2026-07-01, 08:00 in Paris is 06:00 UTC.
        let july_first = 1_782_864_000;
        assert_eq!(
            format_paris(digest_cutoff(july_first + 12 * 3_600)),
            "1er juillet 2026 à 8 h 00"
        );
        // The night summer time starts (2026-03-29), and the night it ends (2026-10-25).
        for midnight_utc in [1_774_742_400_i64, 1_792_886_400] {
            let text = format_paris(digest_cutoff(midnight_utc + 10 * 3_600));
            assert!(text.ends_with("à 8 h 00"), "{text}");
        }
    }

    #[test]
    fn receipts_and_blocked_files_never_wait_news_may() {
        assert!(!may_wait(&Notice::Filed { review: "x".into() }));
        assert!(!may_wait(&Notice::Infected {
            file_name: "a.pdf".into()
        }));
        assert!(!may_wait(&Notice::Unscannable {
            file_name: "a.zip".into()
        }));
        assert!(may_wait(&Notice::Qualified));
        assert!(may_wait(&Notice::CadrageReady));
        assert!(may_wait(&Notice::TeamMessage {
            author: "A".into(),
            body: "B".into()
        }));
    }

    #[test]
    fn choices_round_trip_through_their_codes() {
        for choice in [NoticeChoice::Each, NoticeChoice::Daily] {
            assert_eq!(NoticeChoice::from_code(choice.code()), Some(choice));
        }
        assert_eq!(NoticeChoice::from_code("hebdomadaire"), None);
        assert_eq!(NoticeChoice::default(), NoticeChoice::Each);
    }

    #[test]
    fn a_delivery_says_truthfully_how_it_went() {
        assert_eq!(Delivery::of(Some(5), false, false, None), Delivery::Sent(5));
        assert_eq!(Delivery::of(None, false, false, None), Delivery::Waiting);
        assert_eq!(Delivery::of(None, true, false, None), Delivery::AwaitingDigest);
        assert_eq!(Delivery::of(None, true, true, None), Delivery::InDigest(None));
        assert_eq!(Delivery::of(None, true, true, Some(9)), Delivery::InDigest(Some(9)));
        assert!(Delivery::InDigest(Some(9)).delivered());
        assert!(!Delivery::AwaitingDigest.delivered());
        assert!(Delivery::InDigest(Some(DEC_6))
            .label()
            .contains("récapitulatif quotidien remis le 6 décembre"));
    }
}
