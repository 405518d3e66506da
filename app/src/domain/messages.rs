//! The rules of the thread between a collectivité and the team: what a message may hold, and how its author
//! is named to the other side.

use super::text::clean_text;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// The message's text, cleaned, or why it cannot be sent (`has_files`: documents come with it).
pub fn check_message(raw: &str, has_files: bool) -> Result<String, String> {
    let body = clean_text(raw).trim().to_string();
    if body.is_empty() && !has_files {
        return Err("Écrivez votre message ou joignez un fichier avant d'envoyer.".into());
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(format!(
            "Un message compte au plus {MAX_MESSAGE_CHARS} caractères ; le vôtre en compte {}. Raccourcissez-le ou joignez un document.",
            body.chars().count()
        ));
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
    fn a_message_over_the_limit_says_how_long_it_is() {
        let error = check_message(&"a".repeat(MAX_MESSAGE_CHARS + 1), false).unwrap_err();
        assert!(error.contains("5001"), "{error}");
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
