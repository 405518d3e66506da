//! The HTML shell, the layout every page shares (skip link, header, footer) and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, ParamSegment, SsrMode, StaticSegment};

use crate::routes::{
    CADRAGE_SEGMENT as CADRAGE, CASES_SEGMENT as CASES, COMPARE_SEGMENT as COMPARE, CONCEPTION_SEGMENT as CONCEPTION,
    DIFFUSION_SEGMENT as DIFFUSION, MOVE_SEGMENT as MOVE, PREVIEW_SEGMENT as PREVIEW, REFERENCE_PARAM as REFERENCE,
    TEAM_SEGMENT as TEAM, VERSION_SEGMENT as VERSION,
};

use crate::components::nav::SiteNav;
use crate::loader::HydrateAfterPaint;
use crate::pages::{
    accounts::{
        AccountsAdminPage, AuthLogPage, ChangePasswordPage, EmailsPage, ForgotPasswordPage, InvitationPage, ResetPage,
        SessionsPage,
    },
    agents::{AgentCadragePage, AgentCasePage, AgentSignInPage, SpacePage},
    board::{BoardPage, MovePage, TeamCasesPage},
    cadrage::{CadrageDiffPage, CadragePage, CadrageVersionPage},
    case::TeamCasePage,
    catalogue::{CatalogueCasePage, CataloguePage},
    conception::ConceptionPage,
    diffusion::{DiffusionPage, PreviewPage},
    due::TeamHomePage,
    home::HomePage,
    indicators::ProgrammePage,
    intake::{
        deposer::DeposerPage, receipt::FollowUpPage, receipt::LostLinkPage, receipt::ReceiptPage, wizard::WizardPage,
    },
    legal::{AccessibilityPage, LegalNoticePage, PersonalDataPage, SiteMapPage},
    not_found::NotFoundPage,
    periods::PeriodsPage,
    sign_in::SignInPage,
};

/// Pages read by the public that need no JavaScript: they get no loader script at all, which keeps their
/// first load to the HTML and the style sheet (elsewhere the loader hydrates the islands a page holds).
pub fn is_static_page(path: &str) -> bool {
    path == "/catalogue"
        || path.starts_with("/catalogue/")
        || path == "/programme"
        || path == "/donnees-personnelles"
        || path == "/mentions-legales"
        || path == "/accessibilite"
        || path == crate::routes::SITE_MAP_PAGE
}

/// The Content-Security-Policy of a page: scripts only from the site and the inline ones Leptos marks with this
/// response's nonce, WebAssembly compilation allowed, no plugin, no `<base>`, no framing, forms only to the site
/// and, when ProConnect is configured, to its origin (`form-action` also governs the redirects that follow a form:
/// the sign-in and sign-out forms lead there).
pub fn content_security_policy(nonce: &str, proconnect_origin: Option<&str>) -> String {
    let form_action = match proconnect_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_string(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:; media-src 'self' https:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action {form_action}"
    )
}

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let proconnect = use_context::<crate::server::context::ServerContext>()
        .and_then(|ctx| ctx.proconnect)
        .map(|proconnect| proconnect.origin());
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce.to_string(), proconnect.as_deref())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The document around the application, rendered by the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let hydrate = !use_context::<axum::http::request::Parts>().is_some_and(|parts| is_static_page(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let hydrate = true;
    #[cfg(feature = "ssr")]
    {
        set_content_security_policy();
        // Islands mode: nothing outside an island is hydrated, so no data of the page's resources is
        // serialized into it (islands turn hydration back on for themselves).
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                {hydrate.then(|| view! { <HydrateAfterPaint options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The text of the page's `<title>`: the page's own title, then the site's name. leptos_meta writes it into the
/// page as it is, and a title can hold what people typed (a case's title): the server escapes it, or a title
/// holding `</title><script>` would run in every browser that opens the page.
fn page_title(title: String) -> String {
    let title = if title.is_empty() {
        "IA Factory — Territoires d'IA".to_string()
    } else {
        format!("{title} — IA Factory")
    };
    if cfg!(feature = "ssr") {
        title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        title
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg"/>
        <Title formatter=page_title/>
        <Router>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <header class="site-header">
                <div class="container header-inner">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark" aria-hidden="true">"IA"</span>
                        <span>"IA Factory"<span class="brand-sub">"Territoires d'IA — Banque des Territoires"</span></span>
                    </A>
                    <SiteNav/>
                </div>
            </header>
            <main id="contenu" tabindex="-1" class="container">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/deposer") view=DeposerPage/>
                    <Route path=path!("/deposer/:token/etape/:etape") view=WizardPage ssr=SsrMode::Async/>
                    <Route path=path!("/deposer/:token/recu") view=ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("/suivi/:token") view=FollowUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/lien-perdu") view=LostLinkPage/>
                    <Route path=path!("/catalogue") view=CataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalogue/:slug") view=CatalogueCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalogue/bibliotheque/:slug") view=crate::pages::library::LibraryProjectRoute ssr=SsrMode::Async/>
                    <Route path=path!("/programme") view=ProgrammePage ssr=SsrMode::Async/>
                    <Route path=path!("/donnees-personnelles") view=PersonalDataPage/>
                    <Route path=path!("/mentions-legales") view=LegalNoticePage/>
                    <Route path=path!("/accessibilite") view=AccessibilityPage/>
                    <Route path=path!("/plan-du-site") view=SiteMapPage/>
                    <Route path=path!("/equipe/connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/collectivite/connexion") view=AgentSignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/collectivite") view=SpacePage ssr=SsrMode::Async/>
                    <Route path=path!("/collectivite/cas/:reference") view=AgentCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/collectivite/deploiements/:id") view=crate::pages::deployments::DeploymentPage ssr=SsrMode::Async/>
                    <Route path=path!("/collectivite/cas/:reference/cadrage") view=AgentCadragePage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe") view=TeamHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/periodes") view=PeriodsPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/cas") view=TeamCasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/deploiements") view=crate::pages::deployments::team::TeamDeploymentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/bibliotheque") view=crate::pages::library::TeamLibraryPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/comptes") view=AccountsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/journal-connexions") view=AuthLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/courriels") view=EmailsPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/invitation/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/reinitialisation/:token") view=ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/mot-de-passe-oublie") view=ForgotPasswordPage/>
                    <Route path=path!("/equipe/mot-de-passe") view=ChangePasswordPage/>
                    <Route path=path!("/equipe/sessions") view=SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipe/tableau") view=BoardPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE)) view=TeamCasePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(MOVE)) view=MovePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(CADRAGE)) view=CadragePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(CADRAGE), StaticSegment(VERSION), ParamSegment("numero")) view=CadrageVersionPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(CADRAGE), StaticSegment(COMPARE)) view=CadrageDiffPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(CONCEPTION)) view=ConceptionPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(DIFFUSION)) view=DiffusionPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment(TEAM), StaticSegment(CASES), ParamSegment(REFERENCE), StaticSegment(DIFFUSION), StaticSegment(PREVIEW)) view=PreviewPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="container">
                    <p>"IA Factory — programme Territoires d'IA de la Banque des Territoires (Caisse des Dépôts)."</p>
                    <p>"Une question ? Écrivez à "<a href="mailto:territoiresdia@caissedesdepots.fr">"territoiresdia@caissedesdepots.fr"</a>" ou contactez votre direction régionale."</p>
                    <ul class="footer-links">
                        <li><a href="/donnees-personnelles">"Données personnelles"</a></li>
                        <li><a href="/mentions-legales">"Mentions légales"</a></li>
                        <li><a href="/accessibilite">"Accessibilité : partiellement conforme"</a></li>
                        <li><a href=crate::routes::SITE_MAP_PAGE>"Plan du site"</a></li>
                    </ul>
                </div>
            </footer>
        </Router>
    }
}
