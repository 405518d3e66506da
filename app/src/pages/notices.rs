//! The agent's choice of email notices, a section of the collectivité's space: each notice as it comes, or one
//! daily digest.

use leptos::prelude::*;

use crate::components::{failure, Saved, ServerErrorNotice};
use crate::domain::notices::{NoticeChoice, DIGEST_HOUR};
use crate::endpoints::notices::AgentChoisirAvis;

/// `#avis` in the space: the two choices, the one in force checked.
#[component]
pub fn NoticeChoiceSection(choice: NoticeChoice) -> impl IntoView {
    let save = ServerAction::<AgentChoisirAvis>::new();
    view! {
        <section aria-labelledby="avis" class="case-section">
            <h2 id="avis">"Vos avis par courriel"</h2>
            <Saved messages=&[
                ("avis-quotidien", "C'est noté : vous recevrez un récapitulatif par jour, à 8 h, au lieu d'un courriel à chaque avis."),
                ("avis-chacun", "C'est noté : vous recevrez un courriel à chaque avis."),
                ("avis-liberes", "C'est noté : vous recevrez un courriel à chaque avis ; ceux qui attendaient le récapitulatif vous sont envoyés maintenant."),
            ]/>
            <p class="hint">
                {format!(
                    "Les avis sur les dossiers de la collectivité dont vous êtes le contact (messages de l'équipe, \
                     qualification, cadrage à valider, publication, transferts) peuvent vous arriver un par un, ou réunis \
                     chaque jour à {DIGEST_HOUR} h dans un seul courriel qui renvoie aux pages des dossiers. L'accusé de \
                     dépôt et l'avis d'un fichier bloqué par l'antivirus partent toujours aussitôt."
                )}
            </p>
            <ServerErrorNotice message=failure(save.value())/>
            <ActionForm action=save attr:class="narrow-form">
                <fieldset class="field">
                    <legend>"Recevoir les avis"</legend>
                    {[NoticeChoice::Each, NoticeChoice::Daily].into_iter().map(|option| {
                        let id = format!("avis-{}", option.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="choix" value=option.code() checked=option == choice/>
                                <label for=id>{option.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button-secondary">"Enregistrer mon choix"</button>
            </ActionForm>
        </section>
    }
}
