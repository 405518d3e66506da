//! The deployments of a collectivité: the section of its space that lists them and declares a new one, and a
//! deployment's page — its status, its monthly usage report (`report.rs`) and the reports sent.

mod report;
pub mod scale;
pub mod team;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};
use server_fn::ServerFn;

use crate::components::{failure, LoadError, Saved, ServerErrorNotice};
use crate::domain::dates::french_of_day;
use crate::domain::deployments::Status;
use crate::endpoints::deployments::{
    deploiement_collectivite, deploiements_collectivite, usage_du_cas, AgentChangerStatut, AgentDeclarerDeploiement,
    AgentSuivreRappel,
};
use crate::error::AppError;
use crate::model::deployments::{CaseUsage, Deployment, DeploymentView, PublishedChoice};

/// What a deployment's latest report says, in short.
pub fn latest_text(deployment: &Deployment) -> String {
    match deployment.latest {
        Some(latest) => format!(
            "{} agents réguliers en {}",
            crate::domain::text::group_thousands(latest.regular),
            latest.month.label()
        ),
        None => "Aucun relevé".into(),
    }
}

/// `#deploiements` on a published case's page: where it is in service, its regular agents in the latest month
/// reported, and the collectivités that agreed to be listed.
#[component]
pub fn CaseUsageSection(slug: String) -> impl IntoView {
    let usage = Resource::new(move || slug.clone(), usage_du_cas);
    view! {
        <section aria-labelledby="deploiements">
            <h2 id="deploiements">"Déploiements"</h2>
            <Suspense fallback=|| view! { <p role="status">"Chargement des déploiements…"</p> }>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(usage) => view! { <CaseUsageView usage/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CaseUsageView(usage: CaseUsage) -> impl IntoView {
    let summary = usage.summary;
    let collectivites = match summary.in_service {
        0 => "Pas encore en service dans une collectivité déclarée".to_string(),
        1 => "En service dans 1 collectivité".to_string(),
        n => format!("En service dans {n} collectivités"),
    };
    let agents = match summary.month {
        Some(month) => format!(
            ", {} agents réguliers ({})",
            crate::domain::text::group_thousands(summary.regular),
            month.label()
        ),
        None if summary.in_service > 0 => ", sans relevé d'usage récent".to_string(),
        None => String::new(),
    };
    let listed = (!usage.listed.is_empty()).then(|| {
        view! {
            <ul>
                {usage.listed.into_iter().map(|d| view! {
                    <li>{format!("{} ({}) — {}, {} ; {}", d.collectivite_name, d.region, d.kind.label(), d.status.label().to_lowercase(), latest_text(&d).to_lowercase())}</li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <p>{format!("{collectivites}{agents}.")}</p>
        {listed}
    }
}

/// `#deploiements` in the space: the collectivité's deployments, and declaring one.
#[component]
pub fn SpaceDeploymentsSection() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| deploiements_collectivite());
    view! {
        <section aria-labelledby="deploiements-collectivite" class="case-section">
            <h2 id="deploiements-collectivite">"Les déploiements de la collectivité"</h2>
            <p class="hint">
                "Un déploiement, c'est un cas d'usage du catalogue en service (ou en préparation) dans votre collectivité : "
                "le vôtre, si vous êtes collectivité pionnière, ou un cas que vous répliquez. Chaque mois, son relevé "
                "d'usage compte pour l'objectif du programme : 100 000 agents utilisateurs réguliers d'ici 2030."
            </p>
            <Transition fallback=|| view! { <p role="status">"Chargement des déploiements…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(Some(space)) => view! {
                            <DeploymentTable deployments=space.deployments/>
                            <DeclareForm choices=space.choices today=space.today/>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DeploymentTable(deployments: Vec<Deployment>) -> impl IntoView {
    if deployments.is_empty() {
        return view! { <p>"Aucun déploiement déclaré pour l'instant."</p> }.into_any();
    }
    view! {
        <table class="cases-table">
            <caption class="visually-hidden">"Déploiements de la collectivité, du plus récent au plus ancien"</caption>
            <thead>
                <tr>
                    <th scope="col">"Cas d'usage"</th>
                    <th scope="col">"Rôle"</th>
                    <th scope="col">"Statut"</th>
                    <th scope="col">"Dernier relevé"</th>
                </tr>
            </thead>
            <tbody>
                {deployments.into_iter().map(|d| {
                    let latest = latest_text(&d);
                    view! {
                        <tr>
                            <td><a href=crate::routes::agent_deployment(d.id)>{d.case_title}</a></td>
                            <td>{d.kind.label()}</td>
                            <td>{d.status.label()}</td>
                            <td>{latest}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Declaring that the collectivité runs a published case.
#[component]
fn DeclareForm(choices: Vec<PublishedChoice>, today: String) -> impl IntoView {
    let declare = ServerAction::<AgentDeclarerDeploiement>::new();
    if choices.is_empty() {
        return view! { <p>"Aucun cas n'est encore publié dans le catalogue : rien à déclarer pour l'instant."</p> }
            .into_any();
    }
    view! {
        <h3 id="declarer">"Déclarer un déploiement"</h3>
        <ServerErrorNotice message=failure(declare.value())/>
        <ActionForm action=declare attr:class="narrow-form" attr:aria-labelledby="declarer">
            <CaseAndStatus prefix="declarer" choices today checked=Status::Project/>
            <div class="choice">
                <input type="checkbox" id="declarer-liste" name="liste" value="oui" checked/>
                <label for="declarer-liste">"Afficher notre collectivité sur la page du cas dans le catalogue"</label>
            </div>
            <button type="submit" class="button button-primary">"Déclarer ce déploiement"</button>
        </ActionForm>
    }
    .into_any()
}

/// `/collectivite/deploiements/<id>`: a deployment of the collectivité; the space's sign-in when the agent's
/// session ended.
#[component]
pub fn DeploymentPage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let page = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), location.search.get()),
        |(id, _)| async move {
            match id.parse::<i64>() {
                Ok(id) => deploiement_collectivite(id).await,
                Err(_) => Err(crate::error::AppError::NotFound("Ce déploiement n'existe pas.".into())),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => view! { <DeploymentDetail view/> }.into_any(),
                    Err(AppError::AgentSignedOut) => {
                        let asked = use_location().pathname.get_untracked();
                        view! { <leptos_router::components::Redirect path=crate::routes::agent_sign_in_then(&asked)/> }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeploymentDetail(view: DeploymentView) -> impl IntoView {
    let deployment = view.deployment.clone();
    let since = deployment
        .status_day
        .map(|day| format!(" depuis le {}", french_of_day(day)))
        .unwrap_or_default();
    let recorded = (!deployment.recorded_by.is_empty())
        .then(|| view! { <p class="hint">"Déclaré par l'équipe du programme pour le compte de la collectivité."</p> });
    let stale = view.stale.then(|| {
        view! {
            <div class="alert alert-warning" role="status">
                <p>"Aucun relevé d'usage depuis plus de deux mois : ce déploiement ne compte plus dans l'objectif du programme tant qu'un relevé récent n'est pas envoyé."</p>
            </div>
        }
    });
    view! {
        <Title text=format!("Déploiement : {}", deployment.case_title)/>
        <p><a href=crate::routes::AGENT_HOME>"Retour à l'espace de la collectivité"</a></p>
        <h1>{format!("Déploiement : {}", deployment.case_title)}</h1>
        <p>{format!("{} — {} — {}{since}.", deployment.collectivite_name, deployment.kind.label(), deployment.status.label())}</p>
        {(deployment.status == Status::Stopped).then(|| view! { <p>{format!("Motif de l'arrêt : {}", deployment.stop_reason)}</p> })}
        {recorded}
        <Saved messages=&[
            ("declare", "Le déploiement est déclaré."),
            ("deja-declare", "Ce déploiement était déjà déclaré : le voici."),
            ("statut", "Le statut du déploiement est enregistré."),
            ("releve", "Le relevé d'usage est enregistré. Merci !"),
            ("releve-corrige", "Le relevé d'usage est corrigé ; la version remplacée est gardée dans l'historique."),
            ("rappel-suivi", "C'est noté : vous recevrez aussi le rappel mensuel du relevé."),
            ("rappel-arrete", "C'est noté : vous ne recevrez plus le rappel mensuel du relevé."),
        ]/>
        {stale}
        <StatusSection deployment=deployment.clone() today=view.today.clone()/>
        <report::ReportSection view=view.clone()/>
        <report::VibeSection view=view.clone()/>
        <report::ReportsTable view=view.clone()/>
        <ReminderSection view/>
    }
}

/// Who receives the monthly reminder, and the agent's choice to receive it too.
#[component]
fn ReminderSection(view: DeploymentView) -> impl IntoView {
    let contact = if view.contact.is_empty() {
        "personne".to_string()
    } else {
        view.contact.clone()
    };
    let (follow, label) = if view.follows_reminders {
        ("false", "Ne plus recevoir le rappel mensuel")
    } else {
        ("true", "Recevoir aussi le rappel mensuel")
    };
    view! {
        <section aria-labelledby="rappel" class="case-section">
            <h2 id="rappel">"Rappel mensuel"</h2>
            <p>{format!(
                "Le 1er de chaque mois, tant que le déploiement est en service et que le relevé du mois écoulé manque, un rappel est envoyé à son contact ({contact}){}.",
                if view.follows_reminders { " et à vous" } else { "" }
            )}</p>
            <form method="post" action=AgentSuivreRappel::url()>
                <input type="hidden" name="deploiement" value=view.deployment.id/>
                <input type="hidden" name="suivre" value=follow/>
                <button type="submit" class="button button-secondary">{label}</button>
            </form>
        </section>
    }
}

/// The fields a deployment is declared with: the published case, where it stands, since when (`prefix` sets
/// their ids; `checked` is the status offered first).
#[component]
pub fn CaseAndStatus(
    prefix: &'static str,
    choices: Vec<PublishedChoice>,
    today: String,
    checked: Status,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("{prefix}-cas")>"Cas d'usage"</label>
            <select id=format!("{prefix}-cas") name="cas" required>
                {choices.into_iter().map(|c| view! {
                    <option value=c.slug>{format!("{} ({})", c.title, c.collectivite_name)}</option>
                }).collect_view()}
            </select>
        </div>
        <fieldset class="field">
            <legend>"Où en est-il ?"</legend>
            {[Status::Project, Status::Deploying, Status::InService].into_iter().map(|status| {
                let id = format!("{prefix}-{}", status.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="statut" value=status.code() checked=status == checked/>
                        <label for=id>{status.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="field">
            <label for=format!("{prefix}-date")>"Depuis le"</label>
            <input id=format!("{prefix}-date") name="date" type="date" value=today required/>
        </div>
    }
}

/// Moving the status of a deployment: forward, or stopped with its reason.
#[component]
fn StatusSection(deployment: Deployment, today: String) -> impl IntoView {
    let change = ServerAction::<AgentChangerStatut>::new();
    let options: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| crate::domain::deployments::may_move(deployment.status, *s))
        .collect();
    view! {
        <section aria-labelledby="statut" class="case-section">
            <h2 id="statut">"Statut du déploiement"</h2>
            <ServerErrorNotice message=failure(change.value())/>
            <ActionForm action=change attr:class="narrow-form">
                <input type="hidden" name="deploiement" value=deployment.id/>
                <input type="hidden" name="version" value=deployment.version/>
                <div class="field">
                    <label for="statut-nouveau">"Nouveau statut"</label>
                    <select id="statut-nouveau" name="statut">
                        {options.into_iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="statut-date">"Date"</label>
                    <input id="statut-date" name="date" type="date" value=today required/>
                </div>
                <div class="field">
                    <label for="statut-motif">"Motif de l'arrêt"</label>
                    <p class="hint" id="statut-motif-aide">"Seulement pour un arrêt : ce qui a conduit à arrêter, utile aux autres collectivités."</p>
                    <textarea id="statut-motif" name="motif" rows="3" aria-describedby="statut-motif-aide"></textarea>
                </div>
                <button type="submit" class="button button-secondary">"Enregistrer le statut"</button>
            </ActionForm>
        </section>
    }
}
