//! `/equipe/deploiements`: the deployments a team member may see, their status and latest report, those whose
//! reports stopped marked (the same ones "À traiter" lists).

use leptos::prelude::*;
use leptos_meta::Title;

use super::latest_text;
use crate::components::case_head::failed_load;
use crate::components::{failure, Saved, ServerErrorNotice};
use crate::domain::deployments::Status;
use crate::endpoints::deployments::{deploiements_equipe, EquipeEnregistrerDeploiement};
use crate::model::deployments::{PublishedChoice, TeamDeployment};

#[component]
pub fn TeamDeploymentsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| deploiements_equipe());
    view! {
        <Title text="Déploiements"/>
        <h1>"Déploiements"</h1>
        <p class="lead">
            "Les collectivités qui font tourner un cas publié — la pionnière et chaque réplication — et leur dernier "
            "relevé d'usage, qui compte pour l'objectif de 100 000 agents utilisateurs réguliers d'ici 2030."
        </p>
        <Saved messages=&[
            ("enregistre", "Le déploiement est enregistré pour le compte de la collectivité."),
            ("deja-declare", "Cette collectivité avait déjà déclaré ce déploiement : rien n'a été ajouté."),
        ]/>
        <Transition fallback=|| view! { <p role="status">"Chargement des déploiements…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(page) => view! {
                        <TeamDeploymentTable list=page.list/>
                        <h2>"Exporter"</h2>
                        <crate::components::exports::ExportLinks exports=&[
                            crate::routes::TeamExport::Deployments,
                            crate::routes::TeamExport::Reports,
                        ]/>
                        {page.may_record.then(|| view! { <RecordForm choices=page.choices today=page.today/> })}
                    }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn TeamDeploymentTable(list: Vec<TeamDeployment>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"Aucun déploiement pour l'instant : le premier naît à la publication d'un cas."</p> }
            .into_any();
    }
    let silent = list.iter().filter(|d| d.silent).count();
    view! {
        <p role="status">{format!("{} déploiements, dont {silent} sans relevé d'usage depuis plus de deux mois.", list.len())}</p>
        <div class="table-scroll">
            <table class="cases-table">
                <caption class="visually-hidden">"Déploiements, du plus récent au plus ancien"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Cas d'usage"</th>
                        <th scope="col">"Collectivité"</th>
                        <th scope="col">"Région"</th>
                        <th scope="col">"Rôle"</th>
                        <th scope="col">"Statut"</th>
                        <th scope="col">"Dernier relevé"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|TeamDeployment { deployment: d, silent }| {
                        let latest = latest_text(&d);
                        let who = if d.recorded_by.is_empty() {
                            d.collectivite_name.clone()
                        } else {
                            format!("{} (déclaré par l'équipe)", d.collectivite_name)
                        };
                        view! {
                            <tr id=format!("deploiement-{}", d.id)>
                                <th scope="row">{d.case_title.clone()}</th>
                                <td>{who}</td>
                                <td>{d.region.clone()}</td>
                                <td>{d.kind.label()}</td>
                                <td>{d.status.label()}</td>
                                <td>{latest}{silent.then(|| view! { <strong>" — sans relevé depuis plus de deux mois"</strong> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Recording a deployment on a collectivité's behalf (programme team).
#[component]
fn RecordForm(choices: Vec<PublishedChoice>, today: String) -> impl IntoView {
    let record = ServerAction::<EquipeEnregistrerDeploiement>::new();
    if choices.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="enregistrer" class="case-section">
            <h2 id="enregistrer">"Enregistrer un déploiement pour une collectivité"</h2>
            <p class="hint">"Quand une collectivité le signale à l'équipe plutôt que depuis son espace : le déploiement est marqué « déclaré par l'équipe », et son contact reçoit le rappel mensuel du relevé."</p>
            <ServerErrorNotice message=failure(record.value())/>
            <ActionForm action=record attr:class="narrow-form">
                <div class="field">
                    <label for="enregistrer-collectivite">"Collectivité"</label>
                    <p class="hint" id="enregistrer-collectivite-aide">"Son nom, ou son code (INSEE, SIREN pour un EPCI) si plusieurs portent ce nom."</p>
                    <input id="enregistrer-collectivite" name="collectivite" type="text" aria-describedby="enregistrer-collectivite-aide" required/>
                </div>
                <div class="field">
                    <label for="enregistrer-contact">"Contact de la collectivité"</label>
                    <input id="enregistrer-contact" name="contact" type="email" autocomplete="off" required/>
                </div>
                <super::CaseAndStatus prefix="enregistrer" choices today checked=Status::InService/>
                <div class="choice">
                    <input type="checkbox" id="enregistrer-liste" name="liste" value="oui"/>
                    <label for="enregistrer-liste">"La collectivité accepte de figurer sur la page du cas"</label>
                </div>
                <button type="submit" class="button button-primary">"Enregistrer le déploiement"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
