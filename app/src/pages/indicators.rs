//! The programme in figures (`/programme`): where the cases stand today, and over time — the targets with the
//! date each would be reached at the current pace, lead times per stage, filings per month, outcomes per relève
//! period. Public: counts only, nothing that names a collectivité whose case is not published.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use super::catalogue::origin;
use crate::components::LoadError;
use crate::domain::indicators::Evolution;
use crate::domain::text::group_thousands;
use crate::endpoints::catalogue::indicateurs;
use crate::endpoints::indicators::indicateurs_dans_le_temps;
use crate::model::catalogue::LabelledCount;

/// A horizontal bar chart drawn in SVG, with its numbers in a table as the text alternative.
#[component]
fn BarChart(id: &'static str, caption: String, rows: Vec<LabelledCount>) -> impl IntoView {
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let bar_height = 26;
    let height = rows.len() as i64 * bar_height + 4;
    let title_id = format!("{id}-titre");
    view! {
        <figure class="chart" aria-labelledby=title_id.clone()>
            <figcaption id=title_id.clone()>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 640 {height}") width="100%" role="img" aria-label=format!("{caption} : graphique, valeurs dans le tableau ci-dessous")>
                {rows.iter().enumerate().map(|(i, row)| {
                    let y = i as i64 * bar_height + 2;
                    let width = (row.count * 360 / max).max(if row.count > 0 { 2 } else { 0 });
                    view! {
                        <g>
                            <text x="0" y=y + 17 font-size="13" fill="#161616">{row.label.clone()}</text>
                            <rect x="250" y=y + 3 width=width height="18" fill="#000091"></rect>
                            <text x=260 + width y=y + 17 font-size="13" fill="#161616">{row.count}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <table class="chart-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr><th scope="col">"Libellé"</th><th scope="col">"Nombre"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <tr><th scope="row">{row.label}</th><td class="number">{row.count}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// Progress towards a target, drawn in SVG with the figures in its text.
#[component]
fn Progress(caption: String, value: i64, target: i64, unit: &'static str) -> impl IntoView {
    let share = if target > 0 { (value * 100 / target).min(100) } else { 0 };
    let text = format!(
        "{} {unit} sur un objectif de {} ({share} %).",
        group_thousands(value),
        group_thousands(target)
    );
    view! {
        <figure class="chart">
            <figcaption>{caption}</figcaption>
            <svg viewBox="0 0 640 28" width="100%" role="img" aria-label=text.clone()>
                <rect x="0" y="4" width="640" height="20" fill="#e3e3fd"></rect>
                <rect x="0" y="4" width=share * 640 / 100 height="20" fill="#000091"></rect>
            </svg>
            <p>{text}</p>
        </figure>
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    view! {
        <Title text="Le programme en chiffres"/>
        <Meta name="description" content="Indicateurs de l'IA Factory du programme Territoires d'IA : cas d'usage par étape, collectivités pionnières, agents utilisateurs, couverture régionale et réplications."/>
        <Link rel="canonical" href=format!("{}/programme", origin())/>
        <Meta property="og:title" content="Le programme en chiffres — IA Factory"/>
        <h1>"Le programme en chiffres"</h1>
        <p class="lead">"L'IA Factory accompagne 15 collectivités pionnières et vise 100 000 agents utilisateurs réguliers de solutions d'IA souveraine d'ici 2030."</p>
        <Suspense fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match indicateurs().await {
                    Ok(f) => view! {
                        <div class="figures">
                            <BarChart id="etapes" caption="Cas d'usage par étape".into() rows=f.by_stage/>
                            <RegionMap rows=f.by_region.clone()/>
                            <BarChart id="regions" caption="Cas d'usage par région".into() rows=f.by_region/>
                            <p>{format!("{} cas publiés dans le catalogue ; {} réplications proposées par d'autres collectivités.", f.published, f.replications)}</p>
                            <p><a href="/catalogue">"Parcourir le catalogue"</a></p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p role="status">"Chargement du passage à l'échelle…"</p> }>
            {move || Suspend::new(async move {
                match crate::endpoints::deployments::passage_a_l_echelle().await {
                    Ok(scale) => view! { <super::deployments::scale::ScaleSection scale/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p role="status">"Chargement des indicateurs dans le temps…"</p> }>
            {move || Suspend::new(async move {
                match indicateurs_dans_le_temps().await {
                    Ok(evolution) => view! { <EvolutionView evolution/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The indicators over time: the targets with the date each would be reached at the current pace, the lead
/// times per stage, filings per month and the outcomes of each relève period, each as a table (the bars of
/// the targets are drawn in SVG with their figures in the text). The same figures as CSV.
#[component]
fn EvolutionView(evolution: Evolution) -> impl IntoView {
    use crate::domain::indicators::Projection;
    view! {
        <section aria-labelledby="objectifs">
            <h2 id="objectifs">"Vers les objectifs du programme"</h2>
            {evolution.targets.into_iter().map(|target| {
                let when = match &target.projection {
                    Projection::Reached => "objectif atteint.".to_string(),
                    Projection::On(day) => {
                        let date = crate::domain::dates::day_number(day)
                            .map(crate::domain::dates::french_of_day)
                            .unwrap_or_else(|| day.clone());
                        format!("au rythme actuel, atteint vers le {date}.")
                    }
                    Projection::Unknown => "rythme pas encore mesurable.".to_string(),
                };
                let unit = match target.code.as_str() {
                    "cas" => "cas",
                    "collectivites" => "collectivités",
                    _ => "agents",
                };
                view! {
                    <Progress caption=target.label value=target.current target=target.target unit/>
                    <p class="hint">{when}</p>
                }
            }).collect_view()}
        </section>
        <section aria-labelledby="delais">
            <h2 id="delais">"Temps passé à chaque étape"</h2>
            <p class="hint">"En jours, pour les séjours terminés ; un cas revenu à une étape additionne ses passages."</p>
            {evolution.lead_times.into_iter().map(|(period, times)| view! {
                <div class="table-scroll">
                    <table>
                        <caption>{format!("Temps passé à chaque étape — {period}")}</caption>
                        <thead><tr><th scope="col">"Étape"</th><th scope="col">"Cas"</th><th scope="col">"Médiane (jours)"</th><th scope="col">"9e décile (jours)"</th></tr></thead>
                        <tbody>
                            {times.into_iter().map(|t| view! {
                                <tr><th scope="row">{t.stage.label()}</th><td class="number">{t.cases}</td><td class="number">{format!("{:.1}", t.median_days)}</td><td class="number">{format!("{:.1}", t.p90_days)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }).collect_view()}
        </section>
        <section aria-labelledby="depots">
            <h2 id="depots">"Cas déposés par mois"</h2>
            <div class="table-scroll">
                <table>
                    <caption class="visually-hidden">"Cas déposés par mois et au total"</caption>
                    <thead><tr><th scope="col">"Mois"</th><th scope="col">"Déposés"</th><th scope="col">"Au total"</th></tr></thead>
                    <tbody>
                        {evolution.per_month.into_iter().map(|(month, count, total)| view! {
                            <tr><th scope="row">{month}</th><td class="number">{count}</td><td class="number">{total}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="issues">
            <h2 id="issues">"Qualifiés et réorientés par période de relève"</h2>
            <div class="table-scroll">
                <table>
                    <caption class="visually-hidden">"Cas qualifiés et réorientés par période"</caption>
                    <thead><tr><th scope="col">"Période"</th><th scope="col">"Qualifiés"</th><th scope="col">"Réorientés"</th></tr></thead>
                    <tbody>
                        {evolution.outcomes.into_iter().map(|(period, qualified, reoriented)| view! {
                            <tr><th scope="row">{period}</th><td class="number">{qualified}</td><td class="number">{reoriented}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <p><a href="/programme/indicateurs.csv">"Télécharger ces indicateurs (CSV)"</a></p>
    }
}

/// The map of France by région: each région shaded by its number of cases and a link to the catalogue filtered
/// on it; the same figures are in the table of the chart beside it, for screen readers.
#[component]
fn RegionMap(rows: Vec<LabelledCount>) -> impl IntoView {
    use crate::domain::indicators::{regions_map, shade, MAP_VIEWBOX};
    let most = rows.iter().map(|r| r.count).max().unwrap_or(0);
    let fills = ["#f6f6f6", "#cacafb", "#8585f6", "#3b3bc9", "#000091"];
    view! {
        <figure class="chart region-map" aria-labelledby="carte-titre">
            <figcaption id="carte-titre">"Cas d'usage par région (carte ; valeurs dans le tableau ci-dessous)"</figcaption>
            <svg viewBox=MAP_VIEWBOX width="100%" role="group" aria-labelledby="carte-titre">
                {regions_map().into_iter().map(|(_, name, path)| {
                    let count = rows.iter().find(|r| r.label == name).map(|r| r.count).unwrap_or(0);
                    let label = format!("{name} : {count} cas — voir le catalogue de cette région");
                    let tooltip = label.clone();
                    view! {
                        <a href=format!("/catalogue?region={}", crate::domain::text::encode_component(name)) aria-label=label>
                            <title>{tooltip}</title>
                            <path d=path fill=fills[shade(count, most) as usize] stroke="#161616" stroke-width="0.6"></path>
                        </a>
                    }
                }).collect_view()}
            </svg>
            <p class="hint">"Carte dessinée d'après Natural Earth (domaine public)."</p>
        </figure>
    }
}
