//! A deployment's monthly usage report: the form (new, or correcting a month within 60 days), refused figures
//! shown back as typed with each refusal beside its field — checked again here by the same rule as the server —,
//! the Vibe seats against the cadrage (§5), and the reports sent.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::domain::dates::format_paris_date;
use crate::domain::deployments::report::{
    already_reported, check_report, Measure, ReportError, ReportFacts, ReportForm, OCCASIONAL_DEFINITION,
    REGULAR_DEFINITION,
};
use crate::domain::deployments::{Month, Status};
use crate::domain::text::group_thousands;
use crate::endpoints::deployments::AgentReleverUsage;
use crate::model::deployments::DeploymentView;

/// The form as the query carries it back (after a refusal, or to correct a month), with the refusals.
struct Prefilled {
    form: ReportForm,
    correcting: Option<i64>,
    errors: Vec<ReportError>,
}

fn prefilled(view: &DeploymentView, query: &leptos_router::params::ParamsMap) -> Prefilled {
    let facts = ReportFacts {
        status: view.deployment.status,
        in_service: view.deployment.in_service,
        staff: view.staff,
        vibe_agreed: view.deployment.vibe_agreed,
    };
    let staff = view.staff.map(|s| s.to_string()).unwrap_or_default();
    if query.get("mois").is_some() {
        let form = ReportForm::from_pairs(|name| query.get(name));
        let mut errors = check_report(&form, &facts, view.this_month).err().unwrap_or_default();
        let month = Month::parse(&form.month).unwrap_or(view.this_month);
        match query.get("refus").as_deref() {
            Some("deja") => errors.push(ReportError {
                field: "mois",
                message: already_reported(month),
            }),
            Some("perime") => errors.push(ReportError {
                field: "mois",
                message: format!(
                    "« Mois » : le relevé de {} a changé depuis que vous l'avez ouvert, ou il a plus de 60 jours et ne se corrige plus.",
                    month.label()
                ),
            }),
            _ => {}
        }
        let correcting = query.get("corrige").and_then(|v| v.parse().ok());
        return Prefilled {
            form,
            correcting,
            errors,
        };
    }
    let correcting = query
        .get("corriger")
        .and_then(|text| Month::parse(&text))
        .filter(|month| view.correctable.contains(month))
        .and_then(|month| view.reports.iter().find(|r| r.month == month));
    match correcting {
        Some(report) => Prefilled {
            form: ReportForm {
                staff,
                ..ReportForm::of_report(
                    report.month,
                    [report.regular, report.occasional, report.usagers],
                    report.hours,
                    report.vibe,
                )
            },
            correcting: Some(report.version),
            errors: Vec::new(),
        },
        None => Prefilled {
            form: ReportForm {
                month: view.this_month.plus(-1).iso(),
                staff,
                ..ReportForm::default()
            },
            correcting: None,
            errors: Vec::new(),
        },
    }
}

fn error_of(errors: &[ReportError], field: &str) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// A number field with its hint, its error and, when `measure` names it, how the figure was obtained.
#[component]
fn NumberField(
    name: &'static str,
    label: &'static str,
    hint: String,
    value: String,
    error: Option<String>,
    #[prop(optional)] measure: Option<(&'static str, Option<Measure>)>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let described = format!(
        "{id}-aide{}",
        if error.is_some() {
            format!(" {id}-erreur")
        } else {
            String::new()
        }
    );
    let invalid = error.is_some().then_some("true");
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=format!("{id}-aide")>{hint}</p>
            {error.map(|message| view! { <p class="error-message" id=format!("{id}-erreur")>{message}</p> })}
            <input id=id.clone() name=name type="text" inputmode="numeric" value=value aria-describedby=described aria-invalid=invalid class="input-short"/>
            {measure.map(|(measure_name, chosen)| view! {
                <fieldset class="choices-inline">
                    <legend>{format!("Comment « {label} » a-t-il été obtenu ?")}</legend>
                    {Measure::ALL.into_iter().map(|m| {
                        let radio = format!("{measure_name}-{}", m.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=radio.clone() name=measure_name value=m.code() checked=chosen == Some(m)/>
                                <label for=radio>{m.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            })}
        </div>
    }
}

/// The report form: a new month, or the correction of one.
#[component]
pub fn ReportSection(view: DeploymentView) -> impl IntoView {
    if view.deployment.status != Status::InService {
        return view! {
            <section aria-labelledby="releve" class="case-section">
                <h2 id="releve">"Relevé d'usage du mois"</h2>
                <p>"Le relevé d'usage se fait chaque mois une fois le déploiement en service : déclarez sa mise en service ci-dessus."</p>
            </section>
        }
        .into_any();
    }
    let query = use_query_map();
    let Prefilled {
        form,
        correcting,
        errors,
    } = query.with_untracked(|q| prefilled(&view, q));
    let err = |field: &str| error_of(&errors, field);
    let title = match correcting {
        Some(_) => format!(
            "Corriger le relevé de {}",
            Month::parse(&form.month).map(|m| m.label()).unwrap_or_default()
        ),
        None => "Relevé d'usage du mois".to_string(),
    };
    let summary = (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="releve-erreurs">
                <h3 id="releve-erreurs">{format!("Le relevé n'est pas enregistré : {} à revoir", errors.len())}</h3>
                <ul>
                    {errors.iter().map(|e| view! { <li><a href=format!("#champ-{}", e.field)>{e.message.clone()}</a></li> }).collect_view()}
                </ul>
            </div>
        }
    });
    let month_field = match correcting {
        Some(version) => view! {
            <input type="hidden" name="mois" value=form.month.clone()/>
            <input type="hidden" name="corrige" value=version/>
            <p id="champ-mois">{format!("Mois : {}", Month::parse(&form.month).map(|m| m.label()).unwrap_or_default())}</p>
        }
        .into_any(),
        None => view! {
            <div class="field" class:field-error=err("mois").is_some()>
                <label for="champ-mois">"Mois"</label>
                <p class="hint" id="champ-mois-aide">"Le mois dont vous donnez les chiffres (au format AAAA-MM), au plus tard le mois en cours."</p>
                {err("mois").map(|m| view! { <p class="error-message" id="champ-mois-erreur">{m}</p> })}
                <input id="champ-mois" name="mois" type="month" value=form.month.clone() max=view.this_month.iso() aria-describedby="champ-mois-aide" class="input-short"/>
            </div>
        }
        .into_any(),
    };
    let vibe = view.deployment.vibe_agreed.map(|agreed| {
        view! {
            <NumberField name="sieges_vibe" label="Sièges Vibe activés" hint=format!("Facultatif. Sièges prévus au cadrage : {}.", group_thousands(agreed)) value=form.vibe_seats.clone() error=err("sieges_vibe")/>
            <NumberField name="utilisateurs_vibe" label="Utilisateurs réguliers de Vibe" hint="Facultatif. Agents qui utilisent Vibe au moins une fois par semaine.".to_string() value=form.vibe_users.clone() error=err("utilisateurs_vibe")/>
        }
    });
    view! {
        <section aria-labelledby="releve" class="case-section">
            <h2 id="releve">{title}</h2>
            {summary}
            <form method="post" action=AgentReleverUsage::url() class="narrow-form" novalidate>
                <input type="hidden" name="deploiement" value=view.deployment.id/>
                {month_field}
                <NumberField name="effectif" label="Effectif de la collectivité" hint="Nombre d'agents de la collectivité, tous statuts confondus ; demandé une fois, corrigeable ici.".to_string() value=form.staff.clone() error=err("effectif")/>
                <NumberField name="agents_reguliers" label="Agents réguliers" hint=REGULAR_DEFINITION.to_string() value=form.regular.clone() error=err("agents_reguliers") measure=("mesure_agents_reguliers", form.regular_measure)/>
                <NumberField name="agents_occasionnels" label="Agents occasionnels" hint=OCCASIONAL_DEFINITION.to_string() value=form.occasional.clone() error=err("agents_occasionnels") measure=("mesure_agents_occasionnels", form.occasional_measure)/>
                <NumberField name="usagers" label="Usagers touchés" hint="Habitants ou usagers du service qui ont bénéficié de la solution dans le mois (0 pour un outil interne).".to_string() value=form.usagers.clone() error=err("usagers") measure=("mesure_usagers", form.usagers_measure)/>
                <NumberField name="heures" label="Heures économisées" hint="Facultatif : les heures de travail économisées dans le mois.".to_string() value=form.hours.clone() error=err("heures") measure=("mesure_heures", form.hours_measure)/>
                {vibe}
                <button type="submit" class="button button-primary">{if correcting.is_some() { "Enregistrer la correction" } else { "Envoyer le relevé" }}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The Vibe seats agreed in the cadrage against those activated and their regular users (§5).
#[component]
pub fn VibeSection(view: DeploymentView) -> impl IntoView {
    let agreed = view.deployment.vibe_agreed?;
    let latest = view.reports.iter().find_map(|r| r.vibe.map(|v| (r.month, v)));
    let (activated, users, month) = match latest {
        Some((month, (seats, users))) => (group_thousands(seats), group_thousands(users), month.label()),
        None => ("non relevé".into(), "non relevé".into(), "aucun relevé".into()),
    };
    Some(view! {
        <section aria-labelledby="vibe" class="case-section">
            <h2 id="vibe">"Sièges Vibe"</h2>
            <table class="cases-table">
                <caption>{format!("Sièges Vibe : prévus au cadrage, activés et utilisés (dernier relevé : {month})")}</caption>
                <thead><tr><th scope="col">"Prévus au cadrage"</th><th scope="col">"Activés"</th><th scope="col">"Utilisateurs réguliers"</th></tr></thead>
                <tbody><tr><td class="number">{group_thousands(agreed)}</td><td class="number">{activated}</td><td class="number">{users}</td></tr></tbody>
            </table>
        </section>
    })
}

/// The reports sent, the latest month first, each correctable for 60 days.
#[component]
pub fn ReportsTable(view: DeploymentView) -> impl IntoView {
    let id = view.deployment.id;
    let body = if view.reports.is_empty() {
        view! { <p>"Aucun relevé envoyé pour l'instant."</p> }.into_any()
    } else {
        view! {
            <table class="cases-table">
                <caption class="visually-hidden">"Relevés d'usage, du mois le plus récent au plus ancien"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Mois"</th>
                        <th scope="col">"Agents réguliers"</th>
                        <th scope="col">"Agents occasionnels"</th>
                        <th scope="col">"Usagers touchés"</th>
                        <th scope="col">"Heures économisées"</th>
                        <th scope="col">"Envoyé"</th>
                        <th scope="col">"Action"</th>
                    </tr>
                </thead>
                <tbody>
                    {view.reports.iter().map(|r| {
                        let corrections = match r.corrections {
                            0 => String::new(),
                            1 => " (corrigé une fois)".into(),
                            n => format!(" (corrigé {n} fois)"),
                        };
                        let action = view.correctable.contains(&r.month).then(|| {
                            let label = format!("Corriger le relevé de {}", r.month.label());
                            view! { <a href=format!("{}?corriger={}#releve", crate::routes::agent_deployment(id), r.month.iso())>{label}</a> }
                        });
                        view! {
                            <tr>
                                <th scope="row">{r.month.label()}</th>
                                <td class="number">{format!("{} ({})", group_thousands(r.regular.value), r.regular.measure.label())}</td>
                                <td class="number">{format!("{} ({})", group_thousands(r.occasional.value), r.occasional.measure.label())}</td>
                                <td class="number">{format!("{} ({})", group_thousands(r.usagers.value), r.usagers.measure.label())}</td>
                                <td class="number">{r.hours.map(|h| format!("{} ({})", group_thousands(h.value), h.measure.label())).unwrap_or_else(|| "—".into())}</td>
                                <td>{format!("le {} par {}{corrections}", format_paris_date(r.updated_at), r.author)}</td>
                                <td>{action}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="releves" class="case-section">
            <h2 id="releves">"Relevés envoyés"</h2>
            <p class="hint">"Un relevé se corrige pendant 60 jours après son envoi ; la version remplacée est gardée."</p>
            {body}
        </section>
    }
}
