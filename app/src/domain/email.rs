//! The emails the platform sends, in French, each with a plain-text part and an HTML alternative, and the
//! retry rule of the outbox that delivers them.

use super::text::escape_markup;

/// A message to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Builds a message from its paragraphs and one link: the text part lists them, the HTML part escapes them.
fn message(to: &str, subject: String, greeting: &str, paragraphs: &[String], link: &str) -> Email {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!("<p>{}</p>\n", escape_markup(greeting));
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>\n", escape_markup(paragraph)));
    }
    text.push_str(&format!("{link}\n\n{SIGNATURE}\n"));
    html.push_str(&format!(
        "<p><a href=\"{0}\">{0}</a></p>\n<p>{1}</p>\n",
        escape_markup(link),
        escape_markup(SIGNATURE)
    ));
    Email {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}

const SIGNATURE: &str = "L'équipe de l'IA Factory — programme Territoires d'IA de la Banque des Territoires";

/// The invitation of a new member of the team: the one-time link to set a password.
pub fn invitation(to: &str, name: &str, inviter: &str, role_label: &str, link: &str, hours: i64) -> Email {
    message(
        to,
        "Votre accès à l'espace équipe de l'IA Factory".into(),
        &format!("Bonjour {name},"),
        &[
            format!("{inviter} vous a ouvert un compte dans l'espace équipe de l'IA Factory (rôle : {role_label})."),
            format!(
                "Pour choisir votre mot de passe, ouvrez le lien ci-dessous. Il ne sert qu'une fois et reste valable {hours} heures."
            ),
        ],
        link,
    )
}

/// The one-time link of a forgotten password.
pub fn password_reset(to: &str, name: &str, link: &str, minutes: i64) -> Email {
    message(
        to,
        "Choisir un nouveau mot de passe pour l'IA Factory".into(),
        &format!("Bonjour {name},"),
        &[
            "Quelqu'un, sans doute vous, a demandé à choisir un nouveau mot de passe pour l'espace équipe de l'IA Factory.".into(),
            format!(
                "Le lien ci-dessous ne sert qu'une fois et reste valable {minutes} minutes. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même."
            ),
        ],
        link,
    )
}

/// A request for the avis of a direction régionale or of the prestataire on a case in qualification.
pub fn avis_request(to: &str, name: &str, requester: &str, title: &str, reference: &str, link: &str) -> Email {
    message(
        to,
        format!("Avis demandé sur le cas d'usage {reference}"),
        &format!("Bonjour {name},"),
        &[
            format!("{requester}, de l'équipe du programme, vous demande votre avis sur le cas d'usage « {title} » ({reference}), en cours de qualification."),
            "Donnez-le depuis la fiche du cas : favorable, réservé ou défavorable, avec quelques phrases qui l'expliquent.".into(),
        ],
        link,
    )
}

/// How long the outbox waits before trying a message again after `attempts` failed deliveries: 30 seconds,
/// then twice as long each time, at most an hour. A message is tried again until it is delivered.
pub fn retry_delay_seconds(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (30_i64 << doublings).min(3_600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_the_role_the_link_and_its_validity_in_both_parts() {
        let email = invitation(
            "camille@exemple.fr",
            "Camille <Martin>",
            "Alice Admin",
            "Équipe programme",
            "https://ia-factory.fr/equipe/invitation/abc",
            72,
        );
        assert_eq!(email.to, "camille@exemple.fr");
        assert!(email.subject.contains("espace équipe"));
        for part in [&email.text, &email.html] {
            assert!(part.contains("https://ia-factory.fr/equipe/invitation/abc"), "{part}");
            assert!(
                part.contains("72 heures") && part.contains("Équipe programme"),
                "{part}"
            );
        }
        assert!(email.html.contains("Camille &lt;Martin&gt;"), "{}", email.html);
        assert!(email.text.contains("Camille <Martin>"));
    }

    #[test]
    fn a_reset_says_how_long_the_link_lasts() {
        let email = password_reset("a@b.fr", "Léa", "https://x/equipe/reinitialisation/t", 60);
        assert!(email.text.contains("60 minutes") && email.html.contains("60 minutes"));
    }

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(retry_delay_seconds(1), 30);
        assert_eq!(retry_delay_seconds(2), 60);
        assert_eq!(retry_delay_seconds(5), 480);
        assert_eq!(retry_delay_seconds(8), 3_600);
        assert_eq!(retry_delay_seconds(100), 3_600);
    }
}
