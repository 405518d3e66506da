//! The emails the platform sends, in French, each with a plain-text part and an HTML alternative, and the
//! retry rule of the outbox that delivers them.

use super::qualification::Destination;
use super::text::escape_markup;

/// A message to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The private links the message carries (one-time, follow-up): kept out of the outbox's stored body.
    pub secrets: Vec<String>,
}

/// What stands for the `n`-th private link (from 1) in a body kept at rest.
pub fn placeholder(n: usize) -> String {
    format!("[lien masqué n°{n}]")
}

impl Email {
    /// The text and HTML parts as kept in the outbox and shown to the team: each private link replaced by its
    /// placeholder, so that no link in clear is ever stored.
    pub fn at_rest(&self) -> (String, String) {
        let mut text = self.text.clone();
        let mut html = self.html.clone();
        for (i, secret) in self.secrets.iter().enumerate() {
            text = text.replace(secret.as_str(), &placeholder(i + 1));
            html = html.replace(&escape_markup(secret), &placeholder(i + 1));
        }
        (text, html)
    }
}

/// The body as delivered, from the body at rest and its private links (`html`: the links are escaped).
pub fn restore(body: &str, secrets: &[String], html: bool) -> String {
    let mut restored = body.to_string();
    for (i, secret) in secrets.iter().enumerate() {
        let link = if html { escape_markup(secret) } else { secret.clone() };
        restored = restored.replace(&placeholder(i + 1), &link);
    }
    restored
}

/// Builds a message from its paragraphs and one link: the text part lists them, the HTML part escapes them.
fn message(to: &str, subject: String, greeting: &str, paragraphs: &[String], link: &str) -> Email {
    compose(to, subject, greeting, paragraphs, &[link.to_string()], &[])
}

/// A message whose link opens a team page (behind sign-in): not a secret, kept in clear.
fn team_page(email: Email) -> Email {
    Email {
        secrets: Vec::new(),
        ..email
    }
}

/// Builds a message: paragraphs, then its links each on a line of its own, then closing paragraphs.
fn compose(to: &str, subject: String, greeting: &str, before: &[String], links: &[String], after: &[String]) -> Email {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!("<p>{}</p>\n", escape_markup(greeting));
    let paragraph = |text: &mut String, html: &mut String, p: &str| {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>\n", escape_markup(p).replace('\n', "<br>")));
    };
    for p in before {
        paragraph(&mut text, &mut html, p);
    }
    for link in links {
        text.push_str(&format!("{link}\n\n"));
        html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>\n", escape_markup(link)));
    }
    for p in after {
        paragraph(&mut text, &mut html, p);
    }
    paragraph(&mut text, &mut html, SIGNATURE);
    Email {
        to: to.to_string(),
        subject,
        text,
        html,
        secrets: links.to_vec(),
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

/// The answer to a forgotten password of a member whose role signs in with ProConnect only: no link to set a
/// password (it would not open the space), the way in instead.
pub fn password_reset_proconnect_only(to: &str, name: &str, refusal: &str, sign_in: &str) -> Email {
    team_page(message(
        to,
        "Connexion à l'IA Factory : utilisez ProConnect".into(),
        &format!("Bonjour {name},"),
        &[
            "Quelqu'un, sans doute vous, a demandé à choisir un nouveau mot de passe pour l'espace équipe de l'IA Factory.".into(),
            refusal.to_string(),
            "Aucun lien de nouveau mot de passe n'est envoyé. Connectez-vous depuis la page de connexion :".into(),
        ],
        sign_in,
    ))
}

/// The monthly reminder of a deployment's usage report, to its contact and the colleagues who asked for it:
/// the deployment's page in the space (behind ProConnect, kept in clear).
pub fn usage_reminder(to: &str, case_title: &str, collectivite: &str, month: &str, link: &str) -> Email {
    team_page(message(
        to,
        format!("Relevé d'usage de {month} : « {case_title} »"),
        "Bonjour,",
        &[
            format!("Le relevé d'usage de {month} du déploiement de « {case_title} » à {collectivite} n'est pas encore envoyé."),
            "Il prend deux minutes : les agents qui ont utilisé la solution au moins une fois par semaine, les agents occasionnels et les usagers touchés. Chaque relevé compte pour l'objectif du programme Territoires d'IA, 100 000 agents utilisateurs réguliers d'ici 2030 ; sans relevé pendant deux mois, le déploiement n'y compte plus.".into(),
            "Envoyez-le depuis la page du déploiement, après connexion avec ProConnect :".into(),
        ],
        link,
    ))
}

/// A request for the avis of a direction régionale or of the prestataire on a case in qualification.
pub fn avis_request(to: &str, name: &str, requester: &str, title: &str, reference: &str, link: &str) -> Email {
    team_page(message(
        to,
        format!("Avis demandé sur le cas d'usage {reference}"),
        &format!("Bonjour {name},"),
        &[
            format!("{requester}, de l'équipe du programme, vous demande votre avis sur le cas d'usage « {title} » ({reference}), en cours de qualification."),
            "Donnez-le depuis la fiche du cas : favorable, réservé ou défavorable, avec quelques phrases qui l'expliquent.".into(),
        ],
        link,
    ))
}

/// To an agent a colleague proposes as the contact of a case: the case's page in the collectivité's space, where
/// they accept or decline (behind sign-in, so kept in clear).
pub fn contact_transfer_proposed(to: &str, name: &str, proposer: &str, case: (&str, &str), link: &str) -> Email {
    let (reference, title) = case;
    team_page(message(
        to,
        format!("Devenir le contact du cas d'usage {reference}"),
        &format!("Bonjour {name},"),
        &[
            format!(
                "{proposer} vous propose de devenir le contact de votre collectivité pour le cas d'usage « {title} » \
                 ({reference}) : l'équipe du programme vous écrira désormais à ce sujet."
            ),
            "Acceptez ou refusez depuis l'espace de votre collectivité, après connexion avec ProConnect :".into(),
        ],
        link,
    ))
}

/// The transfer accepted, told to the new contact (`former`: None) and to the former one (`former`: the new
/// contact's name, to whom the case now goes).
pub fn contact_transferred(to: &str, name: &str, former: Option<&str>, case: (&str, &str), link: &str) -> Email {
    let (reference, title) = case;
    let greeting = if name.trim().is_empty() {
        "Bonjour,".to_string()
    } else {
        format!("Bonjour {name},")
    };
    let news = match former {
        None => format!(
            "Vous êtes désormais le contact de votre collectivité pour le cas d'usage « {title} » ({reference}) : \
             l'équipe du programme vous écrira à ce sujet."
        ),
        Some(successor) => format!(
            "{successor} est désormais le contact de votre collectivité pour le cas d'usage « {title} » \
             ({reference}) : vous ne recevrez plus les courriels de l'équipe du programme à ce sujet."
        ),
    };
    team_page(message(
        to,
        format!("Nouveau contact du cas d'usage {reference}"),
        &greeting,
        &[
            news,
            "Le dossier reste consultable dans l'espace de votre collectivité :".into(),
        ],
        link,
    ))
}

/// To the agent who proposed a colleague as a case's contact: the colleague declined, the contact stays.
pub fn contact_transfer_declined(to: &str, name: &str, decliner: &str, case: (&str, &str), link: &str) -> Email {
    let (reference, title) = case;
    team_page(message(
        to,
        format!("Transfert du contact refusé : {reference}"),
        &format!("Bonjour {name},"),
        &[
            format!(
                "{decliner} a refusé de devenir le contact de votre collectivité pour le cas d'usage « {title} » \
                 ({reference}) : le contact du dossier reste inchangé."
            ),
            "Vous pouvez proposer un autre collègue depuis la page du dossier :".into(),
        ],
        link,
    ))
}

/// A colleague's invitation to the collectivité's space: its sign-in page (ProConnect, so kept in clear).
pub fn colleague_invitation(to: &str, inviter: &str, collectivite: &str, link: &str) -> Email {
    team_page(message(
        to,
        format!("{inviter} vous invite dans l'espace de {collectivite} sur l'IA Factory"),
        "Bonjour,",
        &[
            format!(
                "{inviter} vous invite à rejoindre l'espace de {collectivite} sur l'IA Factory, le service du \
                 programme Territoires d'IA de la Banque des Territoires : vous y retrouverez les cas d'usage \
                 d'intelligence artificielle de votre collectivité, leurs brouillons et les échanges avec l'équipe."
            ),
            format!(
                "Connectez-vous avec ProConnect, votre identifiant d'agent public, en choisissant {collectivite} \
                 comme organisation :"
            ),
        ],
        link,
    ))
}

/// What the collectivité is told about its case, each email with its private follow-up link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The deposit receipt, with the sentence that tells when the case is examined.
    Filed {
        review: String,
    },
    Qualified,
    Reoriented {
        destination: Destination,
        reason: String,
    },
    /// A cadrage version ready to be validated (its number is the one the store records).
    CadrageReady,
    Published {
        slug: String,
    },
    /// A message of the team.
    TeamMessage {
        author: String,
        body: String,
    },
    /// A file the antivirus blocked.
    Infected {
        file_name: String,
    },
    /// A file too large or too deeply nested for the antivirus to read in full: blocked too, but not a virus.
    Unscannable {
        file_name: String,
    },
}

impl Notice {
    /// What a move tells the collectivité: a reorientation, with its destination and reason.
    pub fn of_move(to: super::stage::Stage, destination: Option<Destination>, reason: &str) -> Option<Notice> {
        match (to, destination) {
            (super::stage::Stage::Reoriente, Some(destination)) => Some(Notice::Reoriented {
                destination,
                reason: reason.trim().to_string(),
            }),
            _ => None,
        }
    }

    /// What a qualification decision tells the collectivité: that it is qualified (a case not qualified hears
    /// of its reorientation when it is moved).
    pub fn of_decision(decision: Option<super::qualification::Decision>) -> Option<Notice> {
        (decision == Some(super::qualification::Decision::Qualifie)).then_some(Notice::Qualified)
    }
}

/// A notice and the site's address its links start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectiviteNotice {
    pub notice: Notice,
    pub origin: String,
}

/// What the store knows of the case when it queues a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeFacts {
    pub to: String,
    pub contact_name: String,
    pub reference: String,
    pub title: String,
    /// The private follow-up link issued for this email.
    pub link: String,
    /// The cadrage version in force, when there is one.
    pub cadrage_version: Option<i64>,
}

/// Where a reoriented case goes, in a sentence, and what follows.
fn reorientation(destination: Destination) -> (&'static str, &'static str) {
    match destination {
        Destination::Ingenierie => (
            "l'offre d'ingénierie de la Banque des Territoires",
            "La direction régionale de la Banque des Territoires vous contactera pour vous présenter cet accompagnement.",
        ),
        Destination::GuichetCofinancement => (
            "le guichet de cofinancement",
            "La direction régionale de la Banque des Territoires vous indiquera comment présenter votre projet à ce guichet.",
        ),
    }
}

/// The email of a notice to the collectivité.
pub fn collectivite_notice(notice: &CollectiviteNotice, facts: &NoticeFacts) -> Email {
    let NoticeFacts {
        to,
        contact_name,
        reference,
        title,
        link,
        cadrage_version,
    } = facts;
    let greeting = if contact_name.trim().is_empty() {
        "Bonjour,".to_string()
    } else {
        format!("Bonjour {contact_name},")
    };
    let follow =
        "Suivez votre dossier, échangez avec l'équipe et envoyez vos documents depuis sa page de suivi :".to_string();
    let (subject, before, links) = match &notice.notice {
        Notice::Filed { review } => (
            format!("Accusé de dépôt de votre cas d'usage {reference}"),
            vec![
                format!("Votre cas d'usage « {title} » a bien été déposé sous la référence {reference}."),
                review.clone(),
                follow,
            ],
            vec![link.clone()],
        ),
        Notice::Qualified => (
            format!("Votre cas d'usage {reference} est qualifié"),
            vec![
                format!("Bonne nouvelle : l'équipe du programme a qualifié votre cas d'usage « {title} » ({reference}) pour l'IA Factory."),
                "Prochaine étape : le cadrage détaillé, mené avec vous et le prestataire technique. L'équipe vous contactera pour l'organiser.".into(),
                follow,
            ],
            vec![link.clone()],
        ),
        Notice::Reoriented { destination, reason } => {
            let (towards, next) = reorientation(*destination);
            (
                format!("Votre cas d'usage {reference} est réorienté"),
                vec![
                    format!("Après examen, votre cas d'usage « {title} » ({reference}) n'entre pas dans l'IA Factory : il est réorienté vers {towards}."),
                    format!("Motif : {reason}"),
                    next.into(),
                    follow,
                ],
                vec![link.clone()],
            )
        }
        Notice::CadrageReady => (
            format!("Note de cadrage prête à valider — {reference}"),
            vec![
                match cadrage_version {
                    Some(version) => format!("La version {version} de la note de cadrage de « {title} » ({reference}) est prête à être validée par votre collectivité."),
                    None => format!("Une version de la note de cadrage de « {title} » ({reference}) est prête à être validée par votre collectivité."),
                },
                "Relisez-la et faites part à l'équipe de votre validation ou de vos remarques depuis la page de suivi :".into(),
            ],
            vec![link.clone()],
        ),
        Notice::Published { slug } => (
            format!("Votre cas d'usage {reference} est publié dans le catalogue"),
            vec![
                format!("« {title} » est désormais publié dans le catalogue public de l'IA Factory, où les autres collectivités peuvent le découvrir et le reprendre :"),
                format!("{}/catalogue/{slug}", notice.origin),
                follow,
            ],
            vec![link.clone()],
        ),
        Notice::TeamMessage { author, body } => (
            format!("Nouveau message sur votre dossier {reference}"),
            vec![
                format!("{author} vous a écrit au sujet de « {title} » ({reference}) :"),
                body.clone(),
                "Répondez depuis la page de suivi de votre dossier (les réponses à ce courriel ne sont pas lues) :".into(),
            ],
            vec![link.clone()],
        ),
        Notice::Infected { file_name } => (
            format!("Fichier bloqué par l'antivirus — {reference}"),
            vec![
                format!("Le fichier « {file_name} » envoyé pour « {title} » ({reference}) contient un virus selon notre antivirus : il a été mis en quarantaine et ne sera pas transmis."),
                "Vérifiez votre poste puis envoyez une copie saine depuis la page de suivi :".into(),
            ],
            vec![link.clone()],
        ),
        Notice::Unscannable { file_name } => (
            format!("Fichier non transmis — {reference}"),
            vec![
                format!("Le fichier « {file_name} » envoyé pour « {title} » ({reference}) est trop volumineux ou trop imbriqué pour que notre antivirus l'analyse en entier : par prudence, il ne sera pas transmis."),
                "Envoyez-le en plusieurs fichiers plus petits ou dans un autre format (PDF, par exemple) depuis la page de suivi :".into(),
            ],
            vec![link.clone()],
        ),
    };
    let after = ["Ce lien est personnel : il ouvre le suivi de votre dossier sans mot de passe. Ne le transmettez qu'aux personnes qui suivent le dossier avec vous.".to_string()];
    compose(to, subject, &greeting, &before, &links, &after)
}

/// A message of the collectivité, to a member of the team who follows the case.
pub fn message_to_team(
    to: &str,
    name: &str,
    author: &str,
    reference: &str,
    title: &str,
    body: &str,
    link: &str,
) -> Email {
    team_page(message(
        to,
        format!("Message de la collectivité — {reference}"),
        &format!("Bonjour {name},"),
        &[
            format!("{author} a écrit sur le dossier « {title} » ({reference}) :"),
            body.to_string(),
            "Répondez depuis la fiche du cas :".into(),
        ],
        link,
    ))
}

/// A document the antivirus failed on again and again, set aside: to a member of the team who can check it.
pub fn document_set_aside(to: &str, name: &str, file_name: &str, reason: &str, attempts: i64, link: &str) -> Email {
    team_page(message(
        to,
        format!("Document à vérifier — « {file_name} »"),
        &format!("Bonjour {name},"),
        &[
            format!("L'antivirus n'a pas pu analyser le fichier « {file_name} » ({attempts} essais ; dernière erreur : {reason})."),
            "Il est mis de côté : il n'est pas téléchargeable et n'est plus analysé. Vérifiez-le ou demandez un nouvel envoi :".into(),
        ],
        link,
    ))
}

/// The follow-up links of the cases filed with an address (one new link each; the old ones still work).
pub fn lost_links(to: &str, cases: &[(String, String, String)]) -> Email {
    let mut before = vec![
        "Quelqu'un, sans doute vous, a demandé les liens de suivi des cas d'usage déposés avec cette adresse :"
            .to_string(),
    ];
    before.extend(
        cases
            .iter()
            .map(|(reference, title, _)| format!("{reference} — « {title} »")),
    );
    let links: Vec<String> = cases.iter().map(|(_, _, link)| link.clone()).collect();
    compose(
        to,
        "Vos liens de suivi de l'IA Factory".into(),
        "Bonjour,",
        &before,
        &links,
        &["Chaque lien est personnel. Si un lien a circulé trop largement, ouvrez-le puis choisissez « Émettre un nouveau lien » : les anciens cesseront de fonctionner. Si vous n'avez rien demandé, ignorez ce message.".to_string()],
    )
}

/// A notice held for a digest, as the digest lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestItem {
    pub reference: String,
    pub title: String,
    pub subject: String,
    pub at: i64,
}

/// The daily digest of the notices held for `to`, grouped by case, each case with the link to its page in the
/// collectivité's space: behind ProConnect sign-in, so the digest carries no private link.
pub fn daily_digest(to: &str, items: &[DigestItem], origin: &str) -> Email {
    let mut text = String::from("Bonjour,\n\n");
    let mut html = String::from("<p>Bonjour,</p>\n");
    let mut paragraph = |p: &str, link: Option<&str>| {
        text.push_str(&format!("{p}\n\n"));
        html.push_str(&format!("<p>{}</p>\n", escape_markup(p).replace('\n', "<br>")));
        if let Some(link) = link {
            text.push_str(&format!("{link}\n\n"));
            html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>\n", escape_markup(link)));
        }
    };
    paragraph(
        "Comme vous l'avez choisi, voici en un seul courriel les avis de l'IA Factory sur les dossiers de votre \
         collectivité depuis le dernier récapitulatif :",
        None,
    );
    let mut cases: Vec<(&str, &str)> = Vec::new();
    for item in items {
        if !cases.contains(&(item.reference.as_str(), item.title.as_str())) {
            cases.push((item.reference.as_str(), item.title.as_str()));
        }
    }
    for (reference, title) in &cases {
        let mut lines = format!("{reference} — « {title} »");
        for item in items.iter().filter(|item| item.reference == *reference) {
            lines.push_str(&format!(
                "\n• {} : {}",
                super::dates::format_paris(item.at),
                item.subject
            ));
        }
        paragraph(
            &lines,
            Some(&format!("{origin}{}", crate::routes::agent_case(reference))),
        );
    }
    paragraph(
        "Lisez chaque avis et répondez à l'équipe sur la page du dossier, après connexion avec ProConnect. Pour \
         recevoir de nouveau un courriel à chaque avis, changez votre choix dans l'espace de la collectivité :",
        Some(&format!("{origin}{}#avis", crate::routes::AGENT_HOME)),
    );
    paragraph(SIGNATURE, None);
    let count = items.len();
    Email {
        to: to.to_string(),
        subject: format!(
            "Récapitulatif du jour : {count} avis sur {} dossier{}",
            cases.len(),
            if cases.len() > 1 { "s" } else { "" }
        ),
        text,
        html,
        secrets: Vec::new(),
    }
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
    fn the_daily_digest_groups_by_case_and_links_to_the_space_without_private_links() {
        let item = |reference: &str, subject: &str, at: i64| DigestItem {
            reference: reference.into(),
            title: format!("Titre de {reference}"),
            subject: subject.into(),
            at,
        };
        let items = [
            item("IAF-2026-0001", "Nouveau message de l'équipe", 1_796_515_200),
            item("IAF-2026-0002", "Votre cas d'usage est qualifié", 1_796_518_800),
            item("IAF-2026-0001", "Document de cadrage à valider", 1_796_522_400),
        ];
        let email = daily_digest("agent@mairie.fr", &items, "https://ia.exemple.fr");
        assert_eq!(email.subject, "Récapitulatif du jour : 3 avis sur 2 dossiers");
        assert!(email.secrets.is_empty(), "no private link: the space is behind sign-in");
        let first = email
            .text
            .find("IAF-2026-0001 — « Titre de IAF-2026-0001 »")
            .expect("first case");
        let second = email.text.find("IAF-2026-0002").expect("second case");
        assert!(first < second);
        let block = &email.text[first..second];
        assert!(block.contains("Nouveau message de l'équipe") && block.contains("Document de cadrage à valider"));
        assert!(email
            .text
            .contains("https://ia.exemple.fr/collectivite/cas/IAF-2026-0001\n"));
        assert!(email.text.contains("https://ia.exemple.fr/collectivite#avis"));
        assert!(email
            .html
            .contains("Titre de IAF-2026-0001 »<br>• 6 décembre 2026 à 1 h 00"));
    }

    #[test]
    fn at_rest_no_private_link_is_left_and_restore_gives_back_the_message() {
        let email = lost_links(
            "mairie@exemple.fr",
            &[
                (
                    "IAF-1".into(),
                    "A".into(),
                    "https://ia-factory.fr/suivi/secret1?a=1&b=2".into(),
                ),
                ("IAF-2".into(), "B".into(), "https://ia-factory.fr/suivi/secret2".into()),
            ],
        );
        let (text, html) = email.at_rest();
        for part in [&text, &html] {
            assert!(!part.contains("secret1") && !part.contains("secret2"), "{part}");
            assert!(
                part.contains("[lien masqué n°1]") && part.contains("[lien masqué n°2]"),
                "{part}"
            );
        }
        assert_eq!(restore(&text, &email.secrets, false), email.text);
        assert_eq!(restore(&html, &email.secrets, true), email.html);
        let avis = avis_request("a@b.fr", "A", "B", "T", "IAF-1", "https://x.fr/equipe/cas/1#avis");
        assert!(
            avis.secrets.is_empty() && avis.at_rest().0.contains("#avis"),
            "a team page is no secret"
        );
    }

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

    fn facts() -> NoticeFacts {
        NoticeFacts {
            to: "mairie@exemple.fr".into(),
            contact_name: "Léa Martin".into(),
            reference: "IAF-2026-0007".into(),
            title: "Tri des courriers".into(),
            link: "https://ia-factory.fr/suivi/abc".into(),
            cadrage_version: Some(2),
        }
    }

    #[test]
    fn every_notice_names_the_case_and_carries_the_private_link() {
        let notices = [
            Notice::Filed {
                review: "Il sera examiné bientôt.".into(),
            },
            Notice::Qualified,
            Notice::Reoriented {
                destination: Destination::GuichetCofinancement,
                reason: "Projet déjà engagé".into(),
            },
            Notice::CadrageReady,
            Notice::Published {
                slug: "tri-des-courriers".into(),
            },
            Notice::TeamMessage {
                author: "Alice".into(),
                body: "Pouvez-vous envoyer la délibération ?".into(),
            },
            Notice::Infected {
                file_name: "eicar.txt".into(),
            },
            Notice::Unscannable {
                file_name: "archive.zip".into(),
            },
        ];
        for notice in notices {
            let email = collectivite_notice(
                &CollectiviteNotice {
                    notice: notice.clone(),
                    origin: "https://ia-factory.fr".into(),
                },
                &facts(),
            );
            assert_eq!(email.to, "mairie@exemple.fr");
            assert!(email.subject.contains("IAF-2026-0007"), "{notice:?}: {}", email.subject);
            assert!(email.text.contains("https://ia-factory.fr/suivi/abc"), "{notice:?}");
            assert!(
                email.html.contains("href=\"https://ia-factory.fr/suivi/abc\""),
                "{notice:?}"
            );
            assert!(email.text.contains("Bonjour Léa Martin,"));
        }
    }

    #[test]
    fn a_reorientation_says_where_and_why_and_a_publication_gives_the_public_page() {
        let reoriented = collectivite_notice(
            &CollectiviteNotice {
                notice: Notice::Reoriented {
                    destination: Destination::GuichetCofinancement,
                    reason: "Projet déjà engagé".into(),
                },
                origin: String::new(),
            },
            &facts(),
        );
        assert!(
            reoriented.text.contains("guichet de cofinancement")
                && reoriented.text.contains("Motif : Projet déjà engagé")
        );
        let published = collectivite_notice(
            &CollectiviteNotice {
                notice: Notice::Published { slug: "tri".into() },
                origin: "https://x.fr".into(),
            },
            &facts(),
        );
        assert!(published.text.contains("https://x.fr/catalogue/tri"));
        let cadrage = collectivite_notice(
            &CollectiviteNotice {
                notice: Notice::CadrageReady,
                origin: String::new(),
            },
            &facts(),
        );
        assert!(cadrage.text.contains("version 2"));
    }

    #[test]
    fn only_a_reorientation_move_and_a_qualified_decision_are_told() {
        use crate::domain::qualification::Decision;
        use crate::domain::stage::Stage;
        assert!(matches!(
            Notice::of_move(Stage::Reoriente, Some(Destination::Ingenierie), " trop tôt "),
            Some(Notice::Reoriented { reason, .. }) if reason == "trop tôt"
        ));
        assert_eq!(Notice::of_move(Stage::Cadrage, None, ""), None);
        assert_eq!(Notice::of_decision(Some(Decision::Qualifie)), Some(Notice::Qualified));
        assert_eq!(Notice::of_decision(Some(Decision::NonQualifie)), None);
    }

    #[test]
    fn lost_links_list_every_case_with_its_link() {
        let email = lost_links(
            "a@b.fr",
            &[
                ("IAF-2026-0001".into(), "Un".into(), "https://x/suivi/1".into()),
                ("IAF-2026-0002".into(), "Deux".into(), "https://x/suivi/2".into()),
            ],
        );
        assert!(email.text.contains("IAF-2026-0001 — « Un »") && email.text.contains("https://x/suivi/2"));
    }

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(retry_delay_seconds(1), 30);
        assert_eq!(retry_delay_seconds(2), 60);
        assert_eq!(retry_delay_seconds(5), 480);
        assert_eq!(retry_delay_seconds(8), 3_600);
        assert_eq!(retry_delay_seconds(100), 3_600);
    }

    #[test]
    fn a_transfer_names_the_case_and_who_and_links_the_space_page_in_clear() {
        let case = ("IAF-2026-00007", "Tri du courrier");
        let link = "https://x/collectivite/cas/IAF-2026-00007";
        let proposed = contact_transfer_proposed("n@b.fr", "Nadia Benali", "Julien Bernard", case, link);
        assert!(proposed
            .text
            .contains("Julien Bernard vous propose de devenir le contact"));
        assert!(proposed.text.contains("« Tri du courrier » (IAF-2026-00007)") && proposed.text.contains(link));
        assert!(proposed.secrets.is_empty(), "a page behind sign-in is no secret");
        let new = contact_transferred("n@b.fr", "Nadia Benali", None, case, link);
        assert!(new.text.starts_with("Bonjour Nadia Benali,") && new.text.contains("Vous êtes désormais le contact"));
        let former = contact_transferred("c@b.fr", "", Some("Nadia Benali"), case, link);
        assert!(former.text.starts_with("Bonjour,") && former.text.contains("Nadia Benali est désormais le contact"));
        assert_eq!(former.subject, "Nouveau contact du cas d'usage IAF-2026-00007");
        let declined = contact_transfer_declined("j@b.fr", "Julien Bernard", "Nadia Benali", case, link);
        assert_eq!(declined.subject, "Transfert du contact refusé : IAF-2026-00007");
        assert!(declined.text.starts_with("Bonjour Julien Bernard,"));
        assert!(declined.text.contains("Nadia Benali a refusé de devenir le contact") && declined.text.contains(link));
    }

    #[test]
    fn a_colleague_invitation_names_who_and_where_and_links_the_sign_in_page() {
        let link = "https://x/collectivite/connexion";
        let email = colleague_invitation("n@b.fr", "Julien Bernard", "Saint-Étienne", link);
        assert_eq!(
            email.subject,
            "Julien Bernard vous invite dans l'espace de Saint-Étienne sur l'IA Factory"
        );
        assert!(email.text.contains("choisissant Saint-Étienne comme organisation") && email.text.contains(link));
        assert!(email.secrets.is_empty());
    }
}
