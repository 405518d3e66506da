//! The site's menu: the public one for visitors; on the team's pages, for a signed-in person, the team's own
//! (À traiter, Tableau, Cas, Périodes, the administration pages for admins), their name and role, and
//! "Se déconnecter".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use server_fn::ServerFn;

use crate::endpoints::sign_in::{compte_courant, SeDeconnecter};
use crate::model::sign_in::AccountView;
use crate::routes::is_team_page;

#[component]
fn PublicNav() -> impl IntoView {
    view! {
        <nav aria-label="Menu principal">
            <ul class="nav-list">
                <li><A href="/">"Accueil"</A></li>
                <li><A href="/catalogue">"Catalogue"</A></li>
                <li><A href="/deposer">"Proposer un cas d'usage"</A></li>
                <li><A href="/programme">"Le programme"</A></li>
                <li><A href="/collectivite">"Espace collectivité"</A></li>
                <li><A href="/equipe">"Espace équipe"</A></li>
            </ul>
        </nav>
    }
}

#[component]
fn TeamNav(account: AccountView) -> impl IntoView {
    let admin = account.role.can_administer();
    view! {
        <nav aria-label="Menu de l'équipe" class="team-nav">
            <ul class="nav-list">
                <li><A href="/equipe" exact=true>"À traiter"</A></li>
                <li><A href="/equipe/tableau">"Tableau"</A></li>
                <li><A href="/equipe/cas" exact=true>"Cas"</A></li>
                <li><A href="/equipe/periodes">"Périodes de relève"</A></li>
                {admin.then(|| view! {
                    <li><A href="/equipe/comptes">"Comptes de l'équipe"</A></li>
                    <li><A href="/equipe/journal-connexions">"Journal des connexions"</A></li>
                    <li><A href="/equipe/courriels">"Courriels envoyés"</A></li>
                })}
                <li><A href="/equipe/sessions">"Mes sessions"</A></li>
                <li><A href="/equipe/mot-de-passe">"Mot de passe"</A></li>
            </ul>
        </nav>
        <div class="team-account">
            <p>{format!("{} — {}", account.name, account.role.label())}</p>
            <form method="post" action=SeDeconnecter::url()>
                <button type="submit" class="button button-secondary">"Se déconnecter"</button>
            </form>
        </div>
    }
}

/// The menu of the site header, chosen on the server for the page being shown (in islands mode every page is
/// rendered by the server: a page of the team waits for the account, the others show the public menu at once).
#[component]
pub fn SiteNav() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    if !is_team_page(&path) {
        return view! { <PublicNav/> }.into_any();
    }
    let account = Resource::new(|| (), |_| async move { compte_courant().await.ok().flatten() });
    view! {
        <Transition fallback=|| view! { <PublicNav/> }>
            {move || Suspend::new(async move {
                match account.await {
                    Some(account) => view! { <TeamNav account/> }.into_any(),
                    None => view! { <PublicNav/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_menu_is_for_the_pages_behind_the_sign_in() {
        assert!(is_team_page("/equipe"));
        assert!(is_team_page(&crate::routes::case("IAF-2026-00001").page()));
        assert!(!is_team_page("/equipe/connexion"));
        assert!(!is_team_page("/equipe/invitation/abc"));
        assert!(!is_team_page("/equipes"));
        assert!(!is_team_page("/catalogue"));
    }
}
