//! The team's sign-in page, which returns to the page asked for; and the administrators' password sign-in
//! policy (off per role for ProConnect only, one break-glass administrator).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, ServerErrorNotice};
use crate::endpoints::sign_in::SeConnecter;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SeConnecter>::new();
    let query = use_query_map();
    let offered = Resource::new(|| (), |_| crate::endpoints::sign_in::proconnect_propose());
    // The page asked for before signing in, carried by the form (the server decides whether to follow it).
    let retour = move || query.read().get("retour");
    view! {
        <Title text="Connexion à l'espace équipe"/>
        <h1>"Connexion à l'espace équipe"</h1>
        <p class="lead">"Réservé à l'équipe du programme Territoires d'IA et aux directions régionales."</p>
        <SignInNotices/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                offered.await.unwrap_or(false).then(|| view! { <ProConnectButton retour=retour()/> })
            })}
        </Suspense>
        <ServerErrorNotice message=failure(sign_in.value())/>
        <ActionForm action=sign_in attr:novalidate=true attr:class="narrow-form">
            {move || retour().map(|retour| view! { <input type="hidden" name="retour" value=retour/> })}
            <div class="field">
                <label for="champ-email">"Adresse électronique"</label>
                <input id="champ-email" name="email" type="email" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="champ-mot-de-passe">"Mot de passe"</label>
                <input id="champ-mot-de-passe" name="mot_de_passe" type="password" autocomplete="current-password" required/>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Se connecter"</button>
            </div>
        </ActionForm>
        <p><a href="/equipe/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
    }
}

/// What a sign-in page says of the address it was reached by: signed out (back from ProConnect's logout, the
/// address carries its `state`), or a refusal of ProConnect, read by its code only (never text from the address).
#[component]
pub fn SignInNotices() -> impl IntoView {
    let query = use_query_map();
    let signed_out = move || query.read().get("deconnecte").is_some() || query.read().get("state").is_some();
    let refused = move || {
        query
            .read()
            .get("proconnect")
            .and_then(|code| crate::domain::proconnect::Refusal::notice(&code))
    };
    view! {
        {move || signed_out().then(|| view! { <p class="alert alert-success" role="status">"Vous êtes déconnecté·e."</p> })}
        {move || refused().map(|notice| view! { <div class="alert alert-error" role="alert"><p>{notice}</p></div> })}
    }
}

/// ProConnect's button (its official wording), a plain link-like form that works without JavaScript, and what
/// ProConnect is; for the team's space or a collectivité's (`collectivite`).
#[component]
pub fn ProConnectButton(
    retour: Option<String>,
    #[prop(optional)] collectivite: bool,
    #[prop(optional)] last: bool,
) -> impl IntoView {
    let heading = if collectivite {
        "Agents des collectivités : connexion avec ProConnect"
    } else {
        "Agents publics : connexion avec ProConnect"
    };
    view! {
        <section class="proconnect" aria-labelledby="proconnect-titre">
            <h2 id="proconnect-titre">{heading}</h2>
            <form method="get" action=crate::routes::PROCONNECT_START>
                {collectivite.then(|| view! { <input type="hidden" name="espace" value="collectivite"/> })}
                {retour.map(|retour| view! { <input type="hidden" name="retour" value=retour/> })}
                <button type="submit" class="button proconnect-button">
                    "S'identifier avec ProConnect"
                </button>
            </form>
            <p>
                <a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu'est-ce que ProConnect ? (nouvelle fenêtre)">"Qu'est-ce que ProConnect ?"</a>
            </p>
            {(!last).then(|| view! { <p class="hint">"Ou avec votre adresse et votre mot de passe :"</p> })}
        </section>
    }
}

/// The administrators' section of the accounts page: password sign-in per role (off: ProConnect only) and the
/// break-glass administrator who keeps their password.
#[component]
pub fn PasswordPolicySection() -> impl IntoView {
    let policy = Resource::new(|| (), |_| crate::endpoints::sign_in::politique_mots_de_passe());
    view! {
        <section aria-labelledby="mots-de-passe" class="case-section">
            <h2 id="mots-de-passe">"Connexion par mot de passe"</h2>
            <crate::components::Saved messages=&[
                ("mots-de-passe", "La connexion par mot de passe a été réglée ; le journal des connexions le garde."),
                ("secours", "L'administrateur de secours a été désigné."),
            ]/>
            <p class="hint">
                "Un rôle sans mot de passe se connecte avec ProConnect seulement. L'administrateur de secours garde "
                "son mot de passe en toutes circonstances, pour le cas où ProConnect serait indisponible."
            </p>
            <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match policy.await {
                        Ok(policy) => view! { <PasswordPolicyForms policy/> }.into_any(),
                        Err(error) => view! { <crate::components::LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PasswordPolicyForms(policy: crate::model::sign_in::PasswordPolicyView) -> impl IntoView {
    use crate::endpoints::sign_in::{DesignerSecours, ReglerMotsDePasse};
    let set = ServerAction::<ReglerMotsDePasse>::new();
    let name = ServerAction::<DesignerSecours>::new();
    let proconnect = policy.proconnect;
    view! {
        {(!proconnect).then(|| view! {
            <p>"ProConnect n'est pas proposé sur ce service : les mots de passe restent la seule connexion de l'équipe."</p>
        })}
        <ServerErrorNotice message=failure(set.value())/>
        <ul class="party-list">
            {policy.roles.into_iter().map(|line| {
                let label = line.role.label();
                let (state, choice, button) = match &line.off {
                    Some((since, by)) => (
                        format!("ProConnect seulement, depuis le {} (décidé par {by}).", crate::domain::dates::format_paris(*since)),
                        "autoriser",
                        format!("Autoriser le mot de passe pour « {label} »"),
                    ),
                    None => (
                        "mot de passe ou ProConnect.".to_string(),
                        "desactiver",
                        format!("Désactiver le mot de passe pour « {label} »"),
                    ),
                };
                view! {
                    <li>
                        <strong>{label}</strong>{format!(" : {state}")}
                        {(proconnect || line.off.is_some()).then(|| view! {
                            <ActionForm action=set attr:class="inline-form">
                                <input type="hidden" name="role" value=line.role.code()/>
                                <input type="hidden" name="choix" value=choice/>
                                <button type="submit" class="button button-secondary">{button}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>"Administrateur de secours"</h3>
        <p>{policy.break_glass.map_or_else(|| "Aucun administrateur de secours n'est désigné.".to_string(), |who| format!("Administrateur de secours : {who}."))}</p>
        <ServerErrorNotice message=failure(name.value())/>
        <ActionForm action=name attr:class="narrow-form">
            <label for="secours">"Administrateur de secours"</label>
            <select id="secours" name="compte" required>
                {policy.admins.into_iter().map(|(id, who)| view! { <option value=id>{who}</option> }).collect_view()}
            </select>
            <button type="submit" class="button button-secondary">"Désigner l'administrateur de secours"</button>
        </ActionForm>
    }
}
