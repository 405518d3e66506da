//! The passage à l'échelle on `/programme`: regular agents month by month from the deployments' reports, as an
//! SVG line chart with the same figures in a table, the pace needed against the pace observed, the stale
//! deployments counted apart, and the deployments per case.

use leptos::prelude::*;

use crate::domain::deployments::chart::{chart, LEFT};
use crate::domain::deployments::usage::{Projection, Scale};
use crate::domain::deployments::{TARGET_AGENTS, TARGET_MONTH};
use crate::domain::text::group_thousands;

/// The chart of regular agents, month by month.
#[component]
fn AgentsChart(scale: Scale) -> impl IntoView {
    let values: Vec<i64> = scale.series.iter().map(|p| p.regular).collect();
    let drawn = chart(&values, 640, 240);
    let line: Vec<String> = drawn.points.iter().map(|(x, y)| format!("{x},{y}")).collect();
    let first = scale.series.first().map(|p| p.month.label()).unwrap_or_default();
    let last = scale.series.last().map(|p| p.month.label()).unwrap_or_default();
    let label = format!(
        "Agents utilisateurs réguliers par mois, de {first} à {last} : graphique, valeurs dans le tableau qui suit."
    );
    let right = drawn.width - 12;
    view! {
        <figure class="chart" aria-labelledby="agents-mois-titre">
            <figcaption id="agents-mois-titre">"Agents utilisateurs réguliers, mois par mois"</figcaption>
            <svg viewBox=format!("0 0 {} {}", drawn.width, drawn.height) width="100%" role="img" aria-label=label>
                {drawn.ticks.iter().map(|(y, value)| view! {
                    <g>
                        <line x1=LEFT y1=*y x2=right y2=*y stroke="#dddddd"></line>
                        <text x=LEFT - 6 y=y + 4 font-size="12" text-anchor="end" fill="#161616">{group_thousands(*value)}</text>
                    </g>
                }).collect_view()}
                <polyline points=line.join(" ") fill="none" stroke="#000091" stroke-width="3"></polyline>
                {drawn.points.iter().map(|(x, y)| view! { <circle cx=*x cy=*y r="4" fill="#000091"></circle> }).collect_view()}
                <text x=LEFT y=drawn.height - 8 font-size="12" fill="#161616">{first}</text>
                <text x=right y=drawn.height - 8 font-size="12" text-anchor="end" fill="#161616">{last}</text>
            </svg>
            <table class="chart-table">
                <caption class="visually-hidden">"Agents par mois, d'après le dernier relevé de chaque déploiement"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Mois"</th>
                        <th scope="col">"Agents réguliers"</th>
                        <th scope="col">"Agents occasionnels"</th>
                        <th scope="col">"Usagers touchés"</th>
                        <th scope="col">"Déploiements comptés"</th>
                        <th scope="col">"Relevés trop anciens (non comptés)"</th>
                    </tr>
                </thead>
                <tbody>
                    {scale.series.iter().rev().map(|p| view! {
                        <tr>
                            <th scope="row">{p.month.label()}</th>
                            <td class="number">{group_thousands(p.regular)}</td>
                            <td class="number">{group_thousands(p.occasional)}</td>
                            <td class="number">{group_thousands(p.usagers)}</td>
                            <td class="number">{p.counted}</td>
                            <td class="number">{p.stale}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// `#passage-a-l-echelle` on `/programme`.
#[component]
pub fn ScaleSection(scale: Scale) -> impl IntoView {
    let pace = scale.pace;
    let stale = scale.series.last().map_or(0, |p| p.stale);
    let observed = match pace.observed_per_month {
        Some(observed) => format!(
            "{} agents de plus par mois en moyenne ces derniers mois",
            group_thousands(observed)
        ),
        None => "pas encore mesurable (il faut au moins deux mois de relevés)".into(),
    };
    let projection = match pace.projection {
        Projection::Reached => "L'objectif est atteint.".to_string(),
        Projection::At(month) if month <= TARGET_MONTH => {
            format!("À ce rythme, l'objectif serait atteint en {}.", month.label())
        }
        Projection::At(month) => format!(
            "À ce rythme, l'objectif ne serait atteint qu'en {}, après l'échéance de {}.",
            month.label(),
            TARGET_MONTH.label()
        ),
        Projection::Unknown => "La date d'atteinte n'est pas encore estimable.".into(),
    };
    let empty = scale.series.iter().all(|p| p.counted == 0 && p.stale == 0);
    view! {
        <section aria-labelledby="passage-a-l-echelle">
            <h2 id="passage-a-l-echelle">"Passage à l'échelle"</h2>
            <p>
                {format!(
                    "{} agents utilisateurs réguliers sur un objectif de {} d'ici {}, d'après le dernier relevé de chaque déploiement ({} déploiements dans {} collectivités).",
                    group_thousands(pace.current),
                    group_thousands(TARGET_AGENTS),
                    TARGET_MONTH.label(),
                    scale.deployments,
                    scale.collectivites,
                )}
            </p>
            <ul>
                <li>{format!("Rythme nécessaire : {} agents de plus par mois jusqu'en {}.", group_thousands(pace.needed_per_month), TARGET_MONTH.label())}</li>
                <li>{format!("Rythme observé : {observed}.")}</li>
                <li>{projection}</li>
                <li>{format!("{stale} déploiement(s) sans relevé depuis plus de deux mois : comptés à part, leurs anciens chiffres ne sont pas reportés.")}</li>
            </ul>
            {if empty {
                view! { <p>"Aucun relevé d'usage n'a encore été envoyé : le graphique apparaîtra avec le premier."</p> }.into_any()
            } else {
                view! { <AgentsChart scale=scale.clone()/> }.into_any()
            }}
            <table class="chart-table">
                <caption>"Déploiements par cas d'usage"</caption>
                <thead><tr><th scope="col">"Cas d'usage"</th><th scope="col">"Déploiements"</th><th scope="col">"Collectivités"</th><th scope="col">"En service"</th></tr></thead>
                <tbody>
                    {scale.by_case.into_iter().map(|c| {
                        let title = if c.slug.is_empty() {
                            view! { <span>{c.title}</span> }.into_any()
                        } else {
                            view! { <a href=crate::routes::catalogue_case(&c.slug)>{c.title}</a> }.into_any()
                        };
                        view! {
                            <tr><th scope="row">{title}</th><td class="number">{c.deployments}</td><td class="number">{c.collectivites}</td><td class="number">{c.in_service}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
