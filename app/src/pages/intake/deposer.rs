//! The door of the intake: what will be asked, how long it takes, how the draft is kept, and "Commencer".

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{failure, ServerErrorNotice};
use crate::endpoints::intake::CommencerDepot;

#[component]
pub fn DeposerPage() -> impl IntoView {
    let start = ServerAction::<CommencerDepot>::new();
    view! {
        <Title text="Proposer un cas d'usage"/>
        <h1>"Proposer un cas d'usage d'IA"</h1>
        <p class="lead">
            "Décrivez votre besoin avec un maximum d'éléments : périmètre fonctionnel, volumes, nombre de personnes "
            "concernées. Comptez une vingtaine de minutes."
        </p>
        <h2>"Les 6 étapes"</h2>
        <ol>
            <li>"Votre collectivité et la personne à contacter"</li>
            <li>"Le cas d'usage : problème, solution attendue, domaine, briques technologiques"</li>
            <li>"Volumes et impact : agents, usagers, temps économisé"</li>
            <li>"Portage : porteur métier, DSI ou data, sponsor politique"</li>
            <li>"Données et faisabilité"</li>
            <li>"Récapitulatif et dépôt"</li>
        </ol>
        <div class="notice">
            <p>
                "Votre saisie est enregistrée automatiquement à chaque étape. Un lien de reprise personnel vous est "
                "donné dès la première étape : il permet de reprendre votre dossier plus tard, depuis n'importe quel "
                "appareil. Gardez-le pour vous."
            </p>
        </div>
        <ServerErrorNotice message=failure(start.value())/>
        <ActionForm action=start>
            <button type="submit" class="button button-primary">"Commencer"</button>
        </ActionForm>
        <p>"Vous avez déjà déposé un cas d'usage et perdu son lien de suivi ? "<a href="/lien-perdu">"Recevoir à nouveau mes liens de suivi"</a></p>
    }
}
