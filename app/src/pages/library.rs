//! The Bibliothèque d'IA territoriales' projects in the public catalogue: their card among the results and
//! their page, each marked as coming from the Bibliothèque with its link and licence, and the way to contact
//! or replicate a project the programme did not run. Rendered by the server, without WebAssembly.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::components::LoadError;
use crate::domain::collectivites::Kind;
use crate::domain::dates::format_paris_date;
use crate::domain::library::{LibraryProject, SOURCE_NAME};
use crate::domain::referentiel::{label_of, DOMAINES};
use crate::endpoints::library::projet_bibliotheque;
use crate::model::catalogue::LibraryCard;
use crate::model::library::LibraryProjectPage;

/// « Metz (Commune, Grand Est) », or the name as published when the collectivité was not recognised.
fn collectivite_line(project: &LibraryProject) -> String {
    match Kind::from_code(&project.collectivite_kind) {
        Some(kind) if !project.region.is_empty() => {
            format!("{} ({}, {})", project.collectivite_name, kind.label(), project.region)
        }
        Some(kind) => format!("{} ({})", project.collectivite_name, kind.label()),
        None => project.collectivite_name.clone(),
    }
}

/// « En expérimentation depuis 01/2024 ».
fn status_line(project: &LibraryProject) -> String {
    let since = match project.started.split_once('-') {
        Some((year, month)) => format!(" (démarré en {month}/{year})"),
        None => String::new(),
    };
    match project.status {
        Some(status) => format!("{}{since}", status.label()),
        None => format!("Statut non précisé{since}"),
    }
}

/// A project of the Bibliothèque among the catalogue's results.
#[component]
pub fn LibraryCardView(card: LibraryCard) -> impl IntoView {
    let project = card.project;
    let id = format!("bibliotheque-{}", card.slug);
    let labelled_by = id.clone();
    view! {
        <article class="catalogue-card catalogue-card-library" aria-labelledby=labelled_by>
            <p class="source-mark">"Bibliothèque d'IA territoriales · projet non mené par l'IA Factory"</p>
            <h2 id=id><a href=crate::routes::library_project(&card.slug)>{project.project_name.clone()}</a></h2>
            <p>{card.summary}</p>
            <p class="card-meta">{collectivite_line(&project)}</p>
            <p class="card-meta">{format!("{} · {}", label_of(DOMAINES, &project.domain), status_line(&project))}</p>
        </article>
    }
}

#[component]
pub fn LibraryProjectRoute() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <p><a href="/catalogue">"← Catalogue"</a></p>
        <Suspense fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || {
                let slug = slug();
                Suspend::new(async move {
                    match projet_bibliotheque(slug).await {
                        Ok(page) => view! { <LibraryProjectView page/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// An imported project's page: what the Bibliothèque publishes of it, where it comes from, and what a
/// collectivité interested in it can do.
#[component]
fn LibraryProjectView(page: LibraryProjectPage) -> impl IntoView {
    let project = page.project;
    let summary = project.summary();
    let list = |values: &[String]| {
        if values.is_empty() {
            "Non précisé".to_string()
        } else {
            values.join(", ")
        }
    };
    let or_unknown = |text: &str| {
        if text.is_empty() {
            "Non précisé".to_string()
        } else {
            text.to_string()
        }
    };
    let source_updated = match project.source_updated.split('-').collect::<Vec<_>>().as_slice() {
        [year, month, day] => format!("{day}/{month}/{year}"),
        _ => "non précisée".to_string(),
    };
    view! {
        <Title text=format!("{} — {SOURCE_NAME}", project.project_name)/>
        <Meta name="description" content=summary.clone()/>
        <Link rel="canonical" href=page.canonical.clone()/>
        <Meta property="og:title" content=project.project_name.clone()/>
        <Meta property="og:description" content=summary/>
        <Meta property="og:type" content="article"/>
        <Meta property="og:url" content=page.canonical.clone()/>
        <article class="public-case" aria-labelledby="titre-projet">
            <p class="source-mark">"Bibliothèque d'IA territoriales · projet non mené par l'IA Factory"</p>
            <h1 id="titre-projet">{project.project_name.clone()}</h1>
            {page.twin.map(|twin| view! {
                <p class="source-mark">
                    "Aussi publié au catalogue par le programme IA Factory : "
                    <a href=crate::routes::catalogue_case(&twin.slug)>{twin.title}</a>
                </p>
            })}
            <dl class="facts">
                <div><dt>"Collectivité"</dt><dd>{collectivite_line(&project)}</dd></div>
                <div><dt>"Statut"</dt><dd>{status_line(&project)}</dd></div>
                <div><dt>"Domaine (correspondance IA Factory)"</dt><dd>{label_of(DOMAINES, &project.domain).to_string()}</dd></div>
                <div><dt>"Thème"</dt><dd>{or_unknown(&project.theme)}</dd></div>
                <div><dt>"Sous-thèmes"</dt><dd>{list(&project.sub_themes)}</dd></div>
                <div><dt>"Public visé"</dt><dd>{list(&project.audiences)}</dd></div>
                <div><dt>"Partenaires"</dt><dd>{or_unknown(&project.partners)}</dd></div>
            </dl>
            <section aria-labelledby="description"><h2 id="description">"Description"</h2><p class="preserve-lines">{project.description.clone()}</p></section>
            <section aria-labelledby="provenance">
                <h2 id="provenance">"Provenance"</h2>
                <p>"Ce projet est publié par la "<a href=page.source_url.clone()>{SOURCE_NAME}</a>" (Les Interconnectés, France urbaine, Intercommunalités de France). Le programme IA Factory ne l'a pas mené : il le reprend tel que la source le décrit, pour que les collectivités trouvent en un seul endroit qui a déjà fait quoi."</p>
                <ul>
                    <li>{format!("Licence : {}.", page.licence)}</li>
                    <li>{format!("Dernière mise à jour par la source : {source_updated}.")}</li>
                    <li>{format!("Repris au catalogue le {} ; présent dans la source au dernier import, le {}.", format_paris_date(page.first_seen), format_paris_date(page.last_seen))}</li>
                </ul>
            </section>
            <crate::pages::similar::NeighboursSection neighbours=page.neighbours/>
            <section aria-labelledby="repliquer" class="replicate-box">
                <h2 id="repliquer">"Votre collectivité s'y intéresse ?"</h2>
                {(!project.url_service.is_empty()).then(|| view! {
                    <p>"Pour en savoir plus ou joindre l'équipe qui l'a mené : "<a href=project.url_service.clone()>{format!("la page du projet chez {}", project.collectivite_name)}</a>"."</p>
                })}
                <p>"Pour mener un projet semblable avec l'IA Factory, proposez votre cas d'usage : l'équipe du programme l'examinera et le rapprochera de ce projet."</p>
                <p><a class="button button-primary" href="/deposer">"Proposer un cas d'usage semblable"</a></p>
            </section>
        </article>
    }
}

/// `/equipe/bibliotheque`: the last import of the Bibliothèque with its report, per record, and the pairs of a
/// project and a case published here, which the programme confirms or splits.
#[component]
pub fn TeamLibraryPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| crate::endpoints::library::bibliotheque_equipe());
    view! {
        <Title text="Bibliothèque d'IA territoriales"/>
        <h1>"Bibliothèque d'IA territoriales"</h1>
        <p class="lead">"Les projets que publie la Bibliothèque d'IA territoriales sont repris au catalogue, marqués comme tels. Un projet et un cas publié ici par la même collectivité pour le même besoin y sont montrés comme un seul : confirmez-le ou séparez-les."</p>
        <crate::components::Saved messages=&[
            ("confirmee", "La paire est confirmée : le projet reste montré avec le cas publié."),
            ("separee", "La paire est séparée : le catalogue montre désormais les deux projets."),
        ]/>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(overview) => view! {
                        <LastImport last=overview.last_import/>
                        <PairsTable pairs=overview.pairs may_decide=overview.may_decide/>
                    }.into_any(),
                    Err(error) => crate::components::case_head::failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn LastImport(last: Option<crate::model::library::LibraryImportRecord>) -> impl IntoView {
    let Some(last) = last else {
        return view! {
            <h2>"Dernier import"</h2>
            <p>"Aucun import pour l'instant : voir « Bibliothèque d'IA territoriales » dans la documentation d'exploitation (commande server importer-bibliotheque, variable IAF_BIBLIOTHEQUE_URL)."</p>
        }
        .into_any();
    };
    view! {
        <h2>"Dernier import"</h2>
        <p>{format!("Le {}, depuis {} : {}", format_paris_date(last.imported_at), last.origin, last.report.summary())}</p>
        <details>
            <summary>"Compte rendu, enregistrement par enregistrement"</summary>
            <ul>{last.report.lines().into_iter().skip(1).map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
        </details>
    }
    .into_any()
}

#[component]
fn PairsTable(pairs: Vec<crate::model::library::LibraryPair>, may_decide: bool) -> impl IntoView {
    use crate::domain::library::pairs::PairDecision;
    use crate::endpoints::library::DeciderPaire;
    use server_fn::ServerFn;
    if pairs.is_empty() {
        return view! {
            <h2>"Projets en double"</h2>
            <p>"Aucun projet de la Bibliothèque ne double un cas publié ici."</p>
        }
        .into_any();
    }
    view! {
        <h2>"Projets en double"</h2>
        <div class="table-scroll">
            <table class="cases-table">
                <caption class="visually-hidden">"Projets de la Bibliothèque et cas publiés ici par la même collectivité pour le même besoin"</caption>
                <thead><tr><th scope="col">"Cas publié ici"</th><th scope="col">"Projet de la Bibliothèque"</th><th scope="col">"Proximité des textes"</th><th scope="col">"Décision"</th></tr></thead>
                <tbody>
                    {pairs.into_iter().map(|pair| {
                        let decided = pair.decided_at.map(|at| format!(" ({}, {})", pair.decided_by, format_paris_date(at))).unwrap_or_default();
                        let forms = may_decide.then(|| [PairDecision::Confirmed, PairDecision::Split].into_iter().filter(|d| *d != pair.decision).map(|decision| {
                            let label = match decision {
                                PairDecision::Split => format!("Séparer « {} » et « {} »", pair.case.title, pair.library.title),
                                _ => format!("Confirmer que « {} » et « {} » sont le même projet", pair.case.title, pair.library.title),
                            };
                            view! {
                                <form method="post" action=DeciderPaire::url() class="inline-form">
                                    <input type="hidden" name="projet" value=pair.library.slug.clone()/>
                                    <input type="hidden" name="cas" value=pair.case.slug.clone()/>
                                    <input type="hidden" name="decision" value=decision.code()/>
                                    <button type="submit" class="button button-secondary" aria-label=label>{if decision == PairDecision::Split { "Séparer" } else { "Confirmer" }}</button>
                                </form>
                            }
                        }).collect_view());
                        view! {
                            <tr>
                                <td><a href=crate::routes::catalogue_case(&pair.case.slug)>{pair.case.title.clone()}</a>{format!(" — {}", pair.case.collectivite)}</td>
                                <td><a href=crate::routes::library_project(&pair.library.slug)>{pair.library.title.clone()}</a>{format!(" — {}", pair.library.collectivite)}</td>
                                <td>{format!("{} %", pair.closeness_percent)}</td>
                                <td>{format!("{}{decided}", pair.decision.label())}{forms}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
