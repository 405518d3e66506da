//! The team's diffusion pages: the kit with its publication, and the preview of what the public will see.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::components::case_head::{failed_load, reference_param, Head};
use crate::components::{failure, CaseSaved, ServerErrorNotice};
use crate::domain::dates::format_paris_date;
use crate::domain::text::group_thousands;
use crate::endpoints::diffusion::*;
use crate::model::case::CaseHead;
use crate::model::diffusion::*;

#[component]
pub fn DiffusionPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| diffusion(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <DiffusionContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn DiffusionContent(page: DiffusionView) -> impl IntoView {
    view! {
        <Head head=page.head.clone() title="Diffusion et passage à l'échelle"/>
        <CaseSaved/>
        <PublicationSection page=page.clone()/>
        <KitSection page/>
    }
    .into_any()
}

/// Where the case stands in the catalogue, with its preview and, for the team, its withdrawal.
#[component]
fn PublicationSection(page: DiffusionView) -> impl IntoView {
    let withdraw = ServerAction::<Retirer>::new();
    let reference = page.head.reference.clone();
    let can_act = page.head.can_act;
    view! {
        <section aria-labelledby="publication" class="case-section">
            <h2 id="publication">"Publication au catalogue"</h2>
            {match page.publication.clone() {
                Some((slug, at, false)) => {
                    let reference = reference.clone();
                    view! {
                    <p>{format!("Publié le {}. ", format_paris_date(at))}<a href=crate::routes::catalogue_case(&slug)>"Voir la fiche publique"</a></p>
                    {can_act.then(|| view! {
                        <ServerErrorNotice message=failure(withdraw.value())/>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="reference" value=reference.clone()/>
                            <button type="submit" class="button button-secondary">"Retirer du catalogue"</button>
                        </ActionForm>
                    })}
                }.into_any()
                }
                Some((_, _, true)) => view! { <p>"Retiré du catalogue : la fiche n'est plus visible du public. Vous pouvez la publier de nouveau depuis l'aperçu."</p> }.into_any(),
                None => view! { <p>"Pas encore publié."</p> }.into_any(),
            }}
            <p>
                <a href=crate::routes::case(&reference).preview() class="button button-primary">
                    {if can_act { "Aperçu et publication" } else { "Aperçu de la fiche publique" }}
                </a>
            </p>
            {(!page.publishable_stage).then(|| view! {
                <p class="hint">"La publication s'ouvre à partir de l'étape « Conception et implémentation »."</p>
            })}
        </section>
    }
}

/// The diffusion kit's form (read-only for who may not act).
#[component]
fn KitSection(page: DiffusionView) -> impl IntoView {
    let save = ServerAction::<EnregistrerKit>::new();
    let reference = page.head.reference.clone();
    let can_act = page.head.can_act;
    let text_field = move |id: &'static str,
                           name: &'static str,
                           label: &'static str,
                           hint: &'static str,
                           value: String,
                           rows: &'static str| {
        let hint_id = format!("{id}-aide");
        let described = (!hint.is_empty()).then(|| hint_id.clone());
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
                <textarea id=id name=name rows=rows aria-describedby=described readonly=!can_act>{crate::components::textarea_text(&value)}</textarea>
            </div>
        }
    };
    view! {
        <section aria-labelledby="kit" class="case-section">
            <h2 id="kit">"Kit de diffusion"</h2>
            {(!page.saved).then(|| view! { <p class="hint">"Pas encore enregistré : le problème et la solution sont repris du dépôt."</p> })}
            <ServerErrorNotice message=failure(save.value())/>
            <ActionForm action=save attr:class="kit-form">
                <input type="hidden" name="reference" value=reference.clone()/>
                <input type="hidden" name="revision" value=page.revision/>
                {text_field("kit-resume", "resume", "Résumé public", "Deux ou trois phrases, 400 caractères au plus : c'est ce que montrent les résultats du catalogue.", page.summary.clone(), "3")}
                {text_field("kit-probleme", "probleme", "Le problème", "", page.problem.clone(), "4")}
                {text_field("kit-solution", "solution", "La solution", "", page.solution.clone(), "4")}
                {text_field("kit-documentation", "documentation", "Documentation", "En Markdown : titres (##), listes, liens. Le HTML est affiché comme du texte.", page.documentation.clone(), "10")}
                {text_field("kit-videos", "videos", "Vidéos de démonstration", "Une vidéo par ligne : titre | adresse https:// de la vidéo | adresse https:// de sa transcription ou de ses sous-titres. Sans transcription, la vidéo est proposée en lien et non intégrée.", page.videos.clone(), "3")}
                {text_field("kit-supports", "supports", "Supports de prise en main", "Un support par ligne : titre | adresse https://", page.supports.clone(), "3")}
                {text_field("kit-contact", "contact", "Contact", "Qui répond aux collectivités intéressées.", page.contact.clone(), "2")}
                <fieldset class="form-section">
                    <legend>"Gains mesurés après déploiement"</legend>
                    <p class="hint" id="gains-estimation">
                        {format!("Estimation lors du dépôt : {} agents concernés, {} heures économisées par an. Laissez vide ce qui n'est pas encore mesuré.", group_thousands(page.agents_estimated), group_thousands(page.hours_estimated))}
                    </p>
                    <div class="field">
                        <label for="kit-agents">"Agents utilisant réellement la solution"</label>
                        <input id="kit-agents" name="agents_mesures" type="number" min="0" inputmode="numeric" value=page.agents_measured.clone() aria-describedby="gains-estimation" class="input-short" readonly=!can_act/>
                    </div>
                    <div class="field">
                        <label for="kit-heures">"Heures économisées par an, mesurées"</label>
                        <input id="kit-heures" name="heures_mesurees" type="number" min="0" inputmode="numeric" value=page.hours_measured.clone() aria-describedby="gains-estimation" class="input-short" readonly=!can_act/>
                    </div>
                </fieldset>
                {can_act.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Enregistrer le kit"</button>
                    </div>
                })}
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| apercu(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((head, public)) => view! { <PreviewContent head public/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn PreviewContent(head: CaseHead, public: crate::model::catalogue::PublicCasePage) -> impl IntoView {
    let publish = ServerAction::<Publier>::new();
    let reference = head.reference.clone();
    let slug = public.detail.case.slug.clone();
    view! {
        <Title text=format!("Aperçu de la fiche publique — {reference}")/>
        <div class="preview-banner" role="region" aria-label="Aperçu">
            <p><a href=crate::routes::case(&reference).diffusion()>"← Kit de diffusion"</a></p>
            <p><strong>"Aperçu : "</strong>{format!("voici exactement ce que le public verra à l'adresse /catalogue/{slug}, à partir du kit enregistré.")}</p>
            {head.can_act.then(|| view! {
                <ServerErrorNotice message=failure(publish.value())/>
                <ActionForm action=publish>
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <input type="hidden" name="version" value=head.version.to_string()/>
                    <button type="submit" class="button button-primary">"Publier au catalogue"</button>
                </ActionForm>
            })}
        </div>
        <crate::pages::catalogue::PublicCaseView page=public preview=true/>
    }
    .into_any()
}
