//! The rules of the thread between a collectivité and the team: what a message may hold, and how its author
//! is named to the other side.

use super::text::clean_text;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// Why a message was not sent; a redirect carries its code (`erreur=<code>`), never its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotSent {
    Empty,
    TooLong,
    FileLimit,
}

impl NotSent {
    pub fn code(self) -> &'static str {
        match self {
            NotSent::Empty => "vide",
            NotSent::TooLong => "trop-long",
            NotSent::FileLimit => "limite-fichiers",
        }
    }

    /// The reason of a code a redirect carried; None for any other text.
    pub fn from_code(code: &str) -> Option<NotSent> {
        [NotSent::Empty, NotSent::TooLong, NotSent::FileLimit]
            .into_iter()
            .find(|n| n.code() == code)
    }

    pub fn sentence(self) -> String {
        match self {
            NotSent::Empty => "Écrivez votre message ou joignez un fichier avant d'envoyer.".into(),
            NotSent::TooLong => format!(
                "Un message compte au plus {MAX_MESSAGE_CHARS} caractères : raccourcissez-le ou joignez un document."
            ),
            NotSent::FileLimit => "Le message n'a pas été envoyé : le dossier a atteint sa limite de fichiers.".into(),
        }
    }
}

/// The message's text, cleaned, or why it cannot be sent (`has_files`: documents come with it).
pub fn check_message(raw: &str, has_files: bool) -> Result<String, NotSent> {
    let body = clean_text(raw).trim().to_string();
    if body.is_empty() && !has_files {
        return Err(NotSent::Empty);
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(NotSent::TooLong);
    }
    Ok(body)
}

/// The author of a message as the thread shows it: the collectivité's contact, or the member and their role.
pub fn author_line(from_collectivite: bool, name: &str, role: &str) -> String {
    match (from_collectivite, role.is_empty()) {
        (true, _) => format!("{name} (collectivité)"),
        (false, true) => name.to_string(),
        (false, false) => format!("{name} — {role}"),
    }
}

/// The first lines of a message for an email or a card, at most `chars` characters.
pub fn excerpt(body: &str, chars: usize) -> String {
    if body.chars().count() <= chars {
        return body.to_string();
    }
    let cut: String = body.chars().take(chars).collect();
    format!("{}…", cut.trim_end())
}

/// "1 message non lu", "3 messages non lus".
pub fn unread_label(count: i64) -> String {
    if count == 1 {
        "1 message non lu".into()
    } else {
        format!("{count} messages non lus")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_message_is_refused_unless_files_come_with_it() {
        assert!(check_message("  \n ", false).is_err());
        assert_eq!(check_message("  ", true), Ok(String::new()));
        assert_eq!(check_message(" Bonjour ", false), Ok("Bonjour".into()));
    }

    #[test]
    fn a_message_over_the_limit_is_refused_and_its_code_comes_back_as_itself() {
        let error = check_message(&"a".repeat(MAX_MESSAGE_CHARS + 1), false).unwrap_err();
        assert_eq!(error, NotSent::TooLong);
        assert!(error.sentence().contains("5000"));
        for reason in [NotSent::Empty, NotSent::TooLong, NotSent::FileLimit] {
            assert_eq!(NotSent::from_code(reason.code()), Some(reason));
        }
        assert_eq!(NotSent::from_code("Votre compte est suspendu"), None);
    }

    #[test]
    fn authors_are_named_by_side_and_excerpts_are_cut_on_characters() {
        assert_eq!(author_line(true, "Léa Martin", ""), "Léa Martin (collectivité)");
        assert_eq!(
            author_line(false, "Alice", "Équipe programme"),
            "Alice — Équipe programme"
        );
        assert_eq!(excerpt("ééééé", 3), "ééé…");
        assert_eq!(excerpt("court", 10), "court");
        assert_eq!(unread_label(1), "1 message non lu");
        assert_eq!(unread_label(3), "3 messages non lus");
    }
}
