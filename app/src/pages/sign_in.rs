//! The team's sign-in page, which returns to the page asked for.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{failure, ServerErrorNotice};
use crate::endpoints::sign_in::SeConnecter;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SeConnecter>::new();
    let query = use_query_map();
    let signed_out = move || query.read().get("deconnecte").is_some();
    // The page asked for before signing in, carried by the form (the server decides whether to follow it).
    let retour = move || query.read().get("retour");
    view! {
        <Title text="Connexion à l'espace équipe"/>
        <h1>"Connexion à l'espace équipe"</h1>
        <p class="lead">"Réservé à l'équipe du programme Territoires d'IA et aux directions régionales."</p>
        {move || signed_out().then(|| view! { <p class="alert alert-success" role="status">"Vous êtes déconnecté·e."</p> })}
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
