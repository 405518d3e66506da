//! The pages every French public service owes its users: personal data (RGPD), legal notice, and the
//! accessibility statement (RGAA 4.1). Static HTML, no JavaScript.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::domain::retention::{
    DRAFT_DOCUMENTS_RETENTION_DAYS, DRAFT_RETENTION_DAYS, LINK_IDLE_DAYS, SESSION_HOURS, SESSION_IDLE_HOURS,
};

#[component]
pub fn PersonalDataPage() -> impl IntoView {
    view! {
        <Title text="Données personnelles"/>
        <Meta name="description" content="Quelles données personnelles l'IA Factory traite, pourquoi, combien de temps, et comment exercer vos droits."/>
        <h1>"Données personnelles"</h1>
        <p class="lead">
            "L'IA Factory du programme Territoires d'IA traite un petit nombre de données personnelles : celles des agents "
            "des collectivités qui proposent un cas d'usage, et celles des membres de l'équipe programme."
        </p>
        <h2>"Responsable du traitement"</h2>
        <p>"La Caisse des Dépôts, au titre de la Banque des Territoires, 56 rue de Lille, 75007 Paris."</p>
        <h2>"Finalités"</h2>
        <ul>
            <li>"Recevoir et instruire les cas d'usage proposés par les collectivités (remontée et qualification)."</li>
            <li>"Accompagner les cas retenus : cadrage, conception et implémentation, diffusion."</li>
            <li>"Publier les cas répliquables dans le catalogue public, sans donnée personnelle."</li>
            <li>"Permettre à l'équipe programme de se connecter à son espace et tracer ses décisions."</li>
        </ul>
        <h2>"Base légale"</h2>
        <p>
            "L'exécution d'une mission d'intérêt public dont est investie la Caisse des Dépôts (article 6, paragraphe 1, "
            "point e, du règlement général sur la protection des données)."
        </p>
        <h2>"Données traitées"</h2>
        <div class="table-scroll"><table>
            <caption>"Données, personnes concernées et durée de conservation"</caption>
            <thead><tr><th scope="col">"Données"</th><th scope="col">"Personnes concernées"</th><th scope="col">"Durée de conservation"</th></tr></thead>
            <tbody>
                <tr>
                    <th scope="row">"Brouillon d'une proposition non déposée (réponses du formulaire)"</th>
                    <td>"Agent qui remplit le formulaire"</td>
                    <td>{format!("Supprimé {DRAFT_RETENTION_DAYS} jours après sa dernière modification, par une tâche automatique quotidienne.")}</td>
                </tr>
                <tr>
                    <th scope="row">"Pièces jointes à un brouillon non déposé (délibération, note, exemple de données)"</th>
                    <td>"Agent qui remplit le formulaire"</td>
                    <td>{format!("Supprimées {DRAFT_DOCUMENTS_RETENTION_DAYS} jours après la dernière modification du brouillon, par une tâche automatique quotidienne ; le brouillon reste jusqu'à son propre délai.")}</td>
                </tr>
                <tr>
                    <th scope="row">"Contact de la proposition (nom, fonction, adresse électronique, téléphone) ; porteurs métier, DSI et élu (nom, fonction)"</th>
                    <td>"Agents et élus de la collectivité"</td>
                    <td>"Pendant la durée du programme et de l'accompagnement du cas, puis cinq ans (archivage des décisions)."</td>
                </tr>
                <tr>
                    <th scope="row">"Compte de l'équipe (nom, adresse électronique, rôle, empreinte du mot de passe)"</th>
                    <td>"Équipe programme et directions régionales"</td>
                    <td>"Tant que le compte est actif ; les sessions expirent après "{SESSION_HOURS}" heures, ou "{SESSION_IDLE_HOURS}" heures sans activité."</td>
                </tr>
                <tr>
                    <th scope="row">"Agent d'une collectivité connecté avec ProConnect (prénom, nom, adresse électronique, collectivité et son SIREN ; pour chaque session, le fournisseur d'identité et le niveau d'authentification)"</th>
                    <td>"Agents des collectivités qui se connectent à l'espace de leur collectivité"</td>
                    <td>"Pendant la durée du programme ; les sessions expirent après 12 heures. Une validation du document de cadrage donnée en son nom est gardée comme le cas."</td>
                </tr>
                <tr>
                    <th scope="row">"Liens de suivi d'un cas déposé (seule leur empreinte est conservée)"</th>
                    <td>"Agents de la collectivité qui suivent le cas"</td>
                    <td>{format!("Un lien inutilisé pendant {} mois prend fin ; « Lien perdu ? » en envoie un nouveau.", LINK_IDLE_DAYS / 30)}</td>
                </tr>
                <tr>
                    <th scope="row">"Historique des décisions (auteur et date de chaque action sur un cas)"</th>
                    <td>"Équipe programme"</td>
                    <td>"Comme le cas auquel il se rattache."</td>
                </tr>
            </tbody>
        </table></div>
        <h2>"Destinataires"</h2>
        <p>
            "L'équipe du programme Territoires d'IA, les directions régionales de la Banque des Territoires et, pour les cas "
            "accompagnés, les prestataires techniques désignés dans le document de cadrage. Aucune donnée n'est vendue ni "
            "transmise à des fins commerciales. Le catalogue public ne contient aucune donnée personnelle."
        </p>
        <h2>"Cookies et stockage dans le navigateur"</h2>
        <p>
            "Un cookie de session, strictement nécessaire, est déposé lors de la connexion à l'espace équipe ou à l'espace "
            "d'une collectivité. "
            "Le formulaire de proposition garde une copie de vos réponses dans votre navigateur pour ne rien perdre en cas "
            "de coupure ; elle s'efface quand la proposition est déposée. Aucun outil de mesure d'audience ni de publicité."
        </p>
        <h2>"Vos droits"</h2>
        <p>
            "Vous pouvez accéder à vos données, les faire rectifier, vous opposer à leur traitement ou en demander la "
            "limitation. Écrivez à "<a href="mailto:territoiresdia@caissedesdepots.fr">"territoiresdia@caissedesdepots.fr"</a>
            " : l'équipe vous adresse, sous un mois, l'ensemble des données conservées à votre adresse électronique. "
            "Vous pouvez aussi saisir le délégué à la protection des données de la Caisse des Dépôts, puis, si vous "
            "estimez vos droits méconnus, adresser une réclamation à la CNIL ("<a href="https://www.cnil.fr">"cnil.fr"</a>")."
        </p>
    }
}

#[component]
pub fn LegalNoticePage() -> impl IntoView {
    let host = std::env::var("IAF_HEBERGEUR").ok().filter(|h| !h.trim().is_empty());
    view! {
        <Title text="Mentions légales"/>
        <h1>"Mentions légales"</h1>
        <h2>"Éditeur"</h2>
        <p>"Caisse des Dépôts — Banque des Territoires, établissement spécial créé par la loi du 28 avril 1816, 56 rue de Lille, 75007 Paris."</p>
        <p>"Service : IA Factory du programme Territoires d'IA. Contact : "<a href="mailto:territoiresdia@caissedesdepots.fr">"territoiresdia@caissedesdepots.fr"</a>"."</p>
        <h2>"Directeur de la publication"</h2>
        <p>"Le directeur de la Banque des Territoires."</p>
        <h2>"Hébergement"</h2>
        <p>{host.unwrap_or_else(|| "L'hébergeur est l'exploitant désigné par la Caisse des Dépôts pour ce service ; ses coordonnées sont publiées ici par l'exploitant (paramètre IAF_HEBERGEUR).".to_string())}</p>
        <h2>"Réutilisation"</h2>
        <p>
            "Les fiches du catalogue sont publiées pour être reprises par d'autres collectivités. Elles sont aussi "
            "disponibles en données ouvertes : "<a href="/catalogue.csv">"CSV"</a>", "<a href="/catalogue.json">"JSON"</a>
            " (voir "<a href="/docs/catalogue-donnees-ouvertes">"la documentation du format"</a>")."
        </p>
        <h2>"Données personnelles et accessibilité"</h2>
        <p><a href="/donnees-personnelles">"Données personnelles"</a>" · "<a href="/accessibilite">"Déclaration d'accessibilité"</a></p>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <Title text="Déclaration d'accessibilité"/>
        <h1>"Déclaration d'accessibilité"</h1>
        <p class="lead">
            "La Caisse des Dépôts s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la "
            "loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique au service IA Factory (formulaire de proposition, "
            "catalogue public et espace de l'équipe programme)."
        </p>
        <h2>"État de conformité"</h2>
        <p>
            <strong>"Le service est partiellement conforme"</strong>" avec le référentiel général d'amélioration de "
            "l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous."
        </p>
        <h2>"Résultats des tests"</h2>
        <p>
            "Un audit interne, critère par critère, a été réalisé en décembre 2026 sur un échantillon de 22 pages (accueil, "
            "catalogue et fiche d'un cas, chaque étape du dépôt et l'accusé de réception, le suivi avec ses messages et ses "
            "documents, la connexion, le tableau et le dossier d'un cas pour l'équipe, le cadrage, les indicateurs du "
            "programme, une page d'erreur, les pages légales). Ce n'est pas encore l'audit d'un organisme indépendant."
        </p>
        <ul>
            <li><strong>"93,5 % des critères du RGAA sont respectés"</strong>" (72 critères conformes sur 77 applicables ; 29 critères non applicables)."</li>
            <li>"Chaque page du site, pages d'erreur comprises, est contrôlée automatiquement par axe-core (critères WCAG 2.1 A et AA), avec et sans JavaScript, à chaque modification du code : aucune violation relevée."</li>
            <li>"Le déplacement des cartes du tableau se fait au clavier (menu « Déplacer », glisser-déposer au clavier annoncé aux lecteurs d'écran, fenêtre de déplacement qui retient le focus)."</li>
            <li>"Chaque formulaire fonctionne sans JavaScript ; les erreurs sont décrites en français et reliées aux champs."</li>
        </ul>
        <h2>"Contenus non accessibles"</h2>
        <h3>"Non-conformités"</h3>
        <ul>
            <li>"Les vidéos intégrées au catalogue n'ont pas de sous-titres synchronisés (critère 4.3) : une transcription est proposée à côté ; sous-titres prévus pour fin janvier 2027. Les vidéos sans transcription ne sont pas intégrées : elles sont proposées en simple lien."</li>
            <li>"Le code des pages n'a pas encore été passé au validateur HTML du W3C (critère 8.2) : prévu pour mi-janvier 2027."</li>
            <li>"La session de l'équipe se ferme après 2 heures sans activité, sans avertissement préalable ni possibilité de la prolonger (critère 13.1) : avertissement et prolongation prévus pour fin janvier 2027."</li>
            <li>"Sur le tableau de l'équipe, le titre et la collectivité d'une carte sont coupés s'ils sont longs (critère 10.12) ; ils sont lisibles en entier dans le dossier du cas et la liste des cas. Correction prévue pour mi-janvier 2027."</li>
            <li>"L'attestation de dépôt en PDF n'est pas balisée pour les lecteurs d'écran (critère 13.3) : une version HTML de l'attestation est prévue pour mi-janvier 2027 ; d'ici là, l'équipe en envoie le contenu sous une autre forme sur simple demande (voir ci-dessous)."</li>
        </ul>
        <h3>"Contenus non soumis à l'obligation d'accessibilité"</h3>
        <ul>
            <li>"Les documents joints aux dossiers par les collectivités et l'équipe (délibérations, notes, exemples de données) sont des contenus de tiers."</li>
        </ul>
        <h2>"Établissement de cette déclaration"</h2>
        <p>"Déclaration établie le 5 décembre 2026. Technologies utilisées : HTML, CSS, WebAssembly. Tests réalisés avec Chromium, le clavier seul et axe-core ; le détail de l'audit, critère par critère, est publié avec le code du service (docs/accessibilite/audit-rgaa-4.1.md)."</p>
        <h2>"Retour d'information et contact"</h2>
        <p>
            "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à "
            <a href="mailto:territoiresdia@caissedesdepots.fr">"territoiresdia@caissedesdepots.fr"</a>
            " : nous vous proposerons une alternative accessible ou le contenu sous une autre forme."
        </p>
        <h2>"Voies de recours"</h2>
        <p>
            "Si, après nous avoir signalé un défaut d'accessibilité, vous n'avez pas obtenu de réponse satisfaisante, vous "
            "pouvez écrire au Défenseur des droits ("<a href="https://formulaire.defenseurdesdroits.fr">"formulaire en ligne"</a>
            "), contacter son délégué dans votre région, ou lui écrire gratuitement : Défenseur des droits, Libre réponse 71120, "
            "75342 Paris CEDEX 07."
        </p>
    }
}

/// The plan du site (RGAA 12.1): every page a person opens, from the routes catalogue, public pages first.
#[component]
pub fn SiteMapPage() -> impl IntoView {
    let (public, team) = crate::routes::site_map_sections();
    let list = |pages: Vec<crate::routes::SitePage>| {
        view! {
            <ul>
                {pages.into_iter().map(|(path, label)| view! { <li><a href=path>{label}</a></li> }).collect_view()}
            </ul>
        }
    };
    view! {
        <Title text="Plan du site"/>
        <h1>"Plan du site"</h1>
        <h2>"Pages publiques"</h2>
        {list(public)}
        <h2>"Espace de l'équipe du programme (connexion requise)"</h2>
        {list(team)}
        <p class="hint">"Les pages d'un dossier déposé s'ouvrent avec le lien de suivi reçu par courriel ; celles d'un cas, depuis le tableau de l'équipe."</p>
    }
}
