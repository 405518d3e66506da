//! The team's pages for stages 3 to 5: the cadrage document (form, versions, validations), one version printed,
//! the difference between two versions, phase 4 (conditions and log), the diffusion kit and its preview.

use leptos::prelude::*;
use leptos_meta::{Style, Title};
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use crate::components::{failure, LoadError, ServerErrorNotice};
use crate::domain::collectivites::group_thousands;
use crate::domain::dates::{format_paris, format_paris_date};
use crate::error::AppError;
use crate::follow_up::*;

fn reference_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("reference").unwrap_or_default()
}

/// The confirmation of a save (the save redirects with `?enregistre=…`), announced.
#[component]
fn Saved(messages: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let query = use_query_map();
    move || {
        let key = query.read().get("enregistre")?;
        let text = messages.iter().find(|(code, _)| *code == key)?.1;
        Some(view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })
    }
}

/// The top of every follow-up page: back link, reference, title, case line.
#[component]
fn Head(head: CaseHead, title: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} — {}", head.reference)/>
        <p class="no-print"><a href=format!("/equipe/cas/{}", head.reference)>"← Dossier du cas"</a></p>
        <p class="step-count">{head.reference.clone()}</p>
        <h1>{title}</h1>
        <p class="lead">{format!("{} · {} · étape : {}", head.title, head.collectivite_name, head.stage_label)}</p>
    }
}

fn failed_load(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <Redirect path="/equipe/connexion"/> }.into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}

#[component]
pub fn CadragePage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| cadrage(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CadrageContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn CadrageContent(page: CadrageView) -> impl IntoView {
    let reference = page.head.reference.clone();
    let can_write = page.head.can_act && page.editable_stage;
    let current = page.current;
    view! {
        <Head head=page.head.clone() title="Document de cadrage tripartite"/>
        <Saved messages=&[
            ("version", "La nouvelle version du document de cadrage a été enregistrée. Les validations des versions précédentes ne valent plus : chaque partie doit valider cette version."),
            ("validation", "La validation a été enregistrée."),
        ]/>
        <p>
            {if current == 0 {
                "Aucune version enregistrée : le formulaire ci-dessous est pré-rempli à partir du dépôt et des valeurs du cadre d'intervention.".to_string()
            } else {
                format!("Version {current} en vigueur.")
            }}
            {(current > 0).then(|| view! {
                " "<a href=format!("/equipe/cas/{reference}/cadrage/version/{current}")>"Lire et imprimer la version en vigueur"</a>
                " · "<a href=format!("/equipe/cas/{reference}/cadrage/{current}/document.odt") download="">"Exporter en OpenDocument (.odt)"</a>
            })}
        </p>
        <ValidationsSection reference=reference.clone() current parties=page.parties.clone() fully_validated=page.fully_validated can_act=page.head.can_act/>
        <VersionsSection reference=reference.clone() versions=page.versions.clone()/>
        <section aria-labelledby="document" class="case-section">
            <h2 id="document">{if can_write { format!("Rédiger la version {}", current + 1) } else { "Contenu du document".to_string() }}</h2>
            {if can_write {
                view! { <CadrageForm reference=reference.clone() current sections=page.sections.clone()/> }.into_any()
            } else {
                view! {
                    {(!page.editable_stage).then(|| view! {
                        <p class="hint">"Le document de cadrage s'écrit une fois le cas qualifié, à partir de l'étape « Cadrage détaillé »."</p>
                    })}
                    <DocumentText sections=page.sections.clone()/>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ValidationsSection(
    reference: String,
    current: i64,
    parties: Vec<PartyView>,
    fully_validated: bool,
    can_act: bool,
) -> impl IntoView {
    let validate = ServerAction::<ValiderCadrage>::new();
    view! {
        <section aria-labelledby="validations" class="case-section">
            <h2 id="validations">{if current == 0 { "Validations des trois parties".to_string() } else { format!("Validations de la version {current}") }}</h2>
            <p class="hint">
                "Le passage à la conception demande que la version en vigueur soit validée par la collectivité, la Caisse des Dépôts "
                "et le prestataire technique. Enregistrer une nouvelle version efface les validations précédentes."
            </p>
            {if current == 0 {
                view! { <p>"Enregistrez d'abord une version du document : chaque partie la validera ensuite."</p> }.into_any()
            } else {
                view! {
                    <p class=if fully_validated { "alert alert-success" } else { "" }>
                        {if fully_validated {
                            "Les trois parties ont validé la version en vigueur : le cas peut passer à la conception et à l'implémentation.".to_string()
                        } else {
                            let done = parties.iter().filter(|p| p.validated.is_some()).count();
                            format!("{done} validation{} sur 3.", if done > 1 { "s" } else { "" })
                        }}
                    </p>
                    <ServerErrorNotice message=failure(validate.value())/>
                    <ul class="party-list">
                        {parties.into_iter().map(|party| {
                            let reference = reference.clone();
                            let field_id = format!("signataire-{}", party.code);
                            match party.validated {
                                Some((signatory, by, at)) => view! {
                                    <li>
                                        <strong>{party.label.clone()}</strong>
                                        {format!(" : validé par {signatory} (enregistré par {by} le {}).", format_paris(at))}
                                    </li>
                                }.into_any(),
                                None if can_act => view! {
                                    <li>
                                        <strong>{party.label.clone()}</strong>" : pas encore validé."
                                        <ActionForm action=validate attr:class="inline-form">
                                            <input type="hidden" name="reference" value=reference.clone()/>
                                            <input type="hidden" name="version" value=current/>
                                            <input type="hidden" name="partie" value=party.code.clone()/>
                                            <div class="field">
                                                <label for=field_id.clone()>{format!("Signataire pour {}", party.label.to_lowercase())}</label>
                                                <input id=field_id type="text" name="signataire" value=party.signatory.clone() required=true autocomplete="off"/>
                                            </div>
                                            <button type="submit" class="button button-primary">
                                                {format!("Enregistrer la validation de {}", party.label.to_lowercase())}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }.into_any(),
                                None => view! { <li><strong>{party.label.clone()}</strong>" : pas encore validé."</li> }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn VersionsSection(reference: String, versions: Vec<VersionView>) -> impl IntoView {
    view! {
        <section aria-labelledby="versions" class="case-section">
            <h2 id="versions">"Versions enregistrées"</h2>
            {if versions.is_empty() {
                view! { <p class="hint">"Aucune version pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table>
                        <thead><tr>
                            <th scope="col">"Version"</th><th scope="col">"Enregistrée le"</th><th scope="col">"Par"</th>
                            <th scope="col">"Validations"</th><th scope="col">"Consulter"</th>
                        </tr></thead>
                        <tbody>
                            {versions.into_iter().map(|version| {
                                let n = version.number;
                                view! {
                                    <tr>
                                        <th scope="row">{format!("Version {n}")}</th>
                                        <td>{format_paris(version.at)}</td>
                                        <td>{version.author}</td>
                                        <td>{format!("{} sur 3", version.validations)}</td>
                                        <td>
                                            <a href=format!("/equipe/cas/{reference}/cadrage/version/{n}")>{format!("Lire la version {n}")}</a>
                                            {(n > 1).then(|| view! {
                                                " · "<a href=format!("/equipe/cas/{reference}/cadrage/comparer?de={}&a={n}", n - 1)>
                                                    {format!("Comparer avec la version {}", n - 1)}
                                                </a>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn CadrageForm(reference: String, current: i64, sections: Vec<SectionView>) -> impl IntoView {
    let save = ServerAction::<EnregistrerCadrage>::new();
    view! {
        <ServerErrorNotice message=failure(save.value())/>
        <ActionForm action=save attr:class="cadrage-form">
            <input type="hidden" name="reference" value=reference/>
            <input type="hidden" name="base" value=current/>
            <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
            {sections.into_iter().map(|section| view! {
                <fieldset class="form-section">
                    <legend>{section.title}</legend>
                    {section.fields.into_iter().map(|field| view! { <DocumentField field/> }).collect_view()}
                </fieldset>
            }).collect_view()}
            <div class="form-actions">
                <button type="submit" class="button button-primary">{format!("Enregistrer la version {}", current + 1)}</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn DocumentField(field: FieldView) -> impl IntoView {
    let id = format!("champ-{}", field.key);
    let hint_id = format!("{id}-aide");
    let name = format!("champs[{}]", field.key);
    let described = (!field.hint.is_empty()).then(|| hint_id.clone());
    let label = if field.required {
        format!("{} *", field.label)
    } else {
        field.label.clone()
    };
    let control = match field.kind.as_str() {
        "long" | "lines" => view! {
            <textarea id=id.clone() name=name rows=if field.kind == "lines" { "4" } else { "5" } required=field.required aria-describedby=described>{field.value.clone()}</textarea>
        }.into_any(),
        "integer" => view! {
            <input id=id.clone() name=name type="number" inputmode="numeric" min=field.min max=field.max value=field.value.clone() required=field.required aria-describedby=described class="input-short"/>
        }.into_any(),
        "date" => view! {
            <input id=id.clone() name=name type="date" value=field.value.clone() required=field.required aria-describedby=described class="input-short"/>
        }.into_any(),
        "choice" => {
            let value = field.value.clone();
            view! {
                <select id=id.clone() name=name required=field.required aria-describedby=described>
                    <option value="" selected=value.is_empty()>"Choisir…"</option>
                    {field.options.into_iter().map(|(code, text)| {
                        let selected = code == value;
                        view! { <option value=code selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        _ => view! {
            <input id=id.clone() name=name type="text" value=field.value.clone() required=field.required aria-describedby=described/>
        }.into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {(!field.hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{field.hint.clone()}</p> })}
            {control}
        </div>
    }
    .into_any()
}

#[component]
fn DocumentText(sections: Vec<SectionView>) -> impl IntoView {
    sections
        .into_iter()
        .map(|section| {
            view! {
                <section class="document-section">
                    <h3>{section.title}</h3>
                    <dl class="document-fields">
                        {section.fields.into_iter().map(|field| view! {
                            <dt>{field.label}</dt>
                            <dd class="preserve-lines">{if field.display.is_empty() { "Non renseigné".to_string() } else { field.display }}</dd>
                        }).collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// A CSS string literal with every character outside letters, digits and space escaped (`\HHHHHH `): safe
/// inside a `<style>` element whatever the case's title holds.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:06x}", c as u32));
        }
    }
    out.push('"');
    out
}

#[component]
pub fn CadrageVersionPage() -> impl IntoView {
    let reference = reference_param();
    let params = use_params_map();
    let number = move || {
        params
            .read()
            .get("numero")
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new(move || (reference(), number()), |(r, n)| version_cadrage(r, n));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <PrintContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn PrintContent(page: PrintView) -> impl IntoView {
    let reference = page.head.reference.clone();
    let n = page.number;
    let running = format!("Document de cadrage {reference} — version {n}");
    let status = if n == page.in_force {
        "Version en vigueur.".to_string()
    } else {
        format!("Version remplacée : la version {} est en vigueur.", page.in_force)
    };
    view! {
        <Title text=format!("Document de cadrage {reference}, version {n}")/>
        // The reference and version on every printed page (the page numbers come from the style sheet).
        <Style>{format!("@page {{ @top-center {{ content: {}; font-size: 9pt; }} }}", css_string(&running))}</Style>
        <div class="no-print print-actions">
            <p>
                <a href=format!("/equipe/cas/{reference}/cadrage")>"← Document de cadrage"</a>
                " · "<a href=format!("/equipe/cas/{reference}/cadrage/{n}/document.odt") download="">"Exporter en OpenDocument (.odt)"</a>
            </p>
            <p class="hint">"Pour imprimer ou enregistrer en PDF, utilisez la commande Imprimer de votre navigateur (Ctrl+P) : la mise en page A4 numérote les pages et rappelle la référence et la version sur chacune."</p>
        </div>
        <article class="print-document" aria-labelledby="titre-document">
            <p class="step-count">{format!("{reference} — version {n}")}</p>
            <h1 id="titre-document">{format!("Document de cadrage tripartite : {}", page.head.title)}</h1>
            <p class="lead">{format!("{} · version {n} enregistrée le {} par {}. {status}", page.head.collectivite_name, format_paris(page.at), page.author)}</p>
            <p>"Entre la collectivité, la Caisse des Dépôts et le prestataire technique, pour la réalisation du cas d'usage dans le cadre de l'IA Factory du programme Territoires d'IA."</p>
            <DocumentText sections=page.sections.clone()/>
            <section class="document-section">
                <h3>"Validations de cette version"</h3>
                {if page.validations.is_empty() {
                    view! { <p>"Aucune partie n'a encore validé cette version."</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <thead><tr><th scope="col">"Partie"</th><th scope="col">"Signataire"</th><th scope="col">"Date"</th></tr></thead>
                            <tbody>
                                {page.validations.into_iter().map(|(party, signatory, at)| view! {
                                    <tr><th scope="row">{party}</th><td>{signatory}</td><td>{format_paris_date(at)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        </article>
    }
    .into_any()
}

#[component]
pub fn CadrageDiffPage() -> impl IntoView {
    let reference = reference_param();
    let query = use_query_map();
    let number = move |key: &str| query.read().get(key).and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(
        move || (reference(), number("de"), number("a")),
        |(r, from, to)| comparer_cadrage(r, from, to),
    );
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <DiffContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn DiffContent(page: DiffView) -> impl IntoView {
    let reference = page.head.reference.clone();
    let (from, to) = (page.from, page.to);
    let select = |name: &'static str, label: &'static str, chosen: i64, numbers: Vec<i64>| {
        let id = format!("comparer-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    {numbers.into_iter().map(|n| view! { <option value=n selected=n == chosen>{format!("Version {n}")}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <Head head=page.head.clone() title="Comparer deux versions du document de cadrage"/>
        <p><a href=format!("/equipe/cas/{reference}/cadrage#versions")>"← Versions du document"</a></p>
        <form method="get" class="filters-form">
            {select("de", "Version de départ", from, page.numbers.clone())}
            {select("a", "Version d'arrivée", to, page.numbers.clone())}
            <button type="submit" class="button button-secondary">"Comparer"</button>
        </form>
        <h2>{format!("De la version {from} à la version {to}")}</h2>
        {if page.changes.is_empty() {
            view! { <p role="status">"Aucune différence entre ces deux versions."</p> }.into_any()
        } else {
            view! {
                <p role="status">{format!("{} champ{} modifié{}.", page.changes.len(), if page.changes.len() > 1 { "s" } else { "" }, if page.changes.len() > 1 { "s" } else { "" })}</p>
                <p class="hint">"Les lignes ajoutées sont marquées « + Ajouté », les lignes supprimées « − Supprimé »."</p>
                {page.changes.into_iter().map(|change| view! {
                    <section class="diff-field">
                        <h3>{change.label}</h3>
                        <ul class="diff-lines">
                            {change.lines.into_iter().map(|(kind, text)| {
                                let (class, prefix) = match kind.as_str() {
                                    "added" => ("diff-added", "+ Ajouté : "),
                                    "removed" => ("diff-removed", "− Supprimé : "),
                                    _ => ("diff-same", "Inchangé : "),
                                };
                                let shown = if text.is_empty() { "(ligne vide)".to_string() } else { text };
                                view! { <li class=class><span class="diff-mark">{prefix}</span>{shown}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view()}
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
pub fn ConceptionPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| conception(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ConceptionContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConceptionContent(page: ConceptionView) -> impl IntoView {
    let check = ServerAction::<VerifierCondition>::new();
    let log = ServerAction::<Journaliser>::new();
    let reference = page.head.reference.clone();
    let can_act = page.head.can_act;
    let checks_reference = reference.clone();
    let checked = page.conditions.iter().filter(|c| c.checked.is_some()).count();
    let total = page.conditions.len();
    view! {
        <Head head=page.head.clone() title="Conception et implémentation"/>
        <Saved messages=&[
            ("condition", "La vérification de la condition a été enregistrée."),
            ("journal", "L'entrée a été ajoutée au journal de la phase 4."),
        ]/>
        <section aria-labelledby="conditions" class="case-section">
            <h2 id="conditions">"Conditions de validation de la phase 4"</h2>
            {if page.current == 0 {
                view! {
                    <p>"Aucun document de cadrage n'est enregistré : c'est lui qui fixe les conditions du passage à la diffusion. "
                        <a href=format!("/equipe/cas/{reference}/cadrage")>"Rédiger le document de cadrage"</a></p>
                }.into_any()
            } else if total == 0 {
                view! {
                    <p>"La version en vigueur du document de cadrage ne fixe aucune condition de passage à la diffusion. "
                        <a href=format!("/equipe/cas/{reference}/cadrage#champ-conditions_diffusion")>"Compléter le document de cadrage"</a></p>
                }.into_any()
            } else {
                view! {
                    <p class=if checked == total { "alert alert-success" } else { "" }>
                        {format!("Conditions fixées par la version {} du document de cadrage : {checked} vérifiée{} sur {total}.", page.current, if checked > 1 { "s" } else { "" })}
                        {(checked == total).then_some(" Le cas peut passer à la diffusion.")}
                    </p>
                    <ServerErrorNotice message=failure(check.value())/>
                    <ol class="condition-list">
                        {page.conditions.into_iter().enumerate().map(|(index, condition)| {
                            let reference = checks_reference.clone();
                            let field_id = format!("preuve-{}", index + 1);
                            let (evidence, status) = match &condition.checked {
                                Some((evidence, by, at)) => (evidence.clone(), format!("Vérifiée par {by} le {}. Preuve : {evidence}", format_paris(*at))),
                                None => (String::new(), "Pas encore vérifiée.".to_string()),
                            };
                            view! {
                                <li>
                                    <p><strong>{condition.text.clone()}</strong></p>
                                    <p class=if condition.checked.is_some() { "condition-done" } else { "hint" }>{status}</p>
                                    {can_act.then(|| view! {
                                        <ActionForm action=check attr:class="inline-form">
                                            <input type="hidden" name="reference" value=reference.clone()/>
                                            <input type="hidden" name="condition" value=condition.text.clone()/>
                                            <div class="field">
                                                <label for=field_id.clone()>{format!("Preuve : « {} »", condition.text)}</label>
                                                <p class="hint" id=format!("{field_id}-aide")>"Une note (compte rendu, date, résultat) ou un lien vers le document qui l'établit."</p>
                                                <textarea id=field_id.clone() name="preuve" rows="2" required=true aria-describedby=format!("{field_id}-aide")>{evidence}</textarea>
                                            </div>
                                            <button type="submit" class="button button-secondary">
                                                {if condition.checked.is_some() { "Mettre à jour la preuve" } else { "Vérifier cette condition" }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="journal" class="case-section">
            <h2 id="journal">"Journal de la phase 4"</h2>
            <p class="hint">"Itérations, tests, expérimentations et ajustements, datés : la conception associe les équipes métiers et les prestataires."</p>
            {if page.log.is_empty() {
                view! { <p>"Le journal est vide pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {page.log.into_iter().map(|entry| view! {
                            <li>
                                <strong>{format!("{} — {}", crate::domain::dates::day_number(&entry.day).map(crate::domain::dates::french_of_day).unwrap_or(entry.day.clone()), entry.kind)}</strong>
                                <p class="preserve-lines">{entry.body}</p>
                                <span class="choice-detail">{entry.author}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {can_act.then(|| view! {
                <h3>"Ajouter une entrée"</h3>
                <ServerErrorNotice message=failure(log.value())/>
                <ActionForm action=log attr:class="narrow-form">
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <div class="field">
                        <label for="journal-jour">"Date"</label>
                        <input id="journal-jour" type="date" name="jour" value=page.today.clone() required=true class="input-short"/>
                    </div>
                    <div class="field">
                        <label for="journal-nature">"Nature"</label>
                        <select id="journal-nature" name="nature" required=true>
                            {crate::domain::cadrage::LOG_KINDS.iter().map(|kind| view! { <option value=kind.code>{kind.label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="journal-texte">"Ce qui a été fait et ce qui en ressort"</label>
                        <textarea id="journal-texte" name="texte" rows="4" required=true></textarea>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Ajouter au journal"</button>
                    </div>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}

#[component]
pub fn DiffusionPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| diffusion(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <DiffusionContent page/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn DiffusionContent(page: DiffusionView) -> impl IntoView {
    let save = ServerAction::<EnregistrerKit>::new();
    let withdraw = ServerAction::<Retirer>::new();
    let reference = page.head.reference.clone();
    let can_act = page.head.can_act;
    let text_field = move |id: &'static str,
                           name: &'static str,
                           label: &'static str,
                           hint: &'static str,
                           value: String,
                           rows: &'static str| {
        let hint_id = format!("{id}-aide");
        let described = (!hint.is_empty()).then(|| hint_id.clone());
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
                <textarea id=id name=name rows=rows aria-describedby=described readonly=!can_act>{value}</textarea>
            </div>
        }
    };
    view! {
        <Head head=page.head.clone() title="Diffusion et passage à l'échelle"/>
        <Saved messages=&[
            ("kit", "Le kit de diffusion a été enregistré."),
            ("publie", "Le cas est publié au catalogue public."),
            ("retire", "Le cas a été retiré du catalogue public."),
        ]/>
        <section aria-labelledby="publication" class="case-section">
            <h2 id="publication">"Publication au catalogue"</h2>
            {match page.publication.clone() {
                Some((slug, at, false)) => {
                    let reference = reference.clone();
                    view! {
                    <p>{format!("Publié le {}. ", format_paris_date(at))}<a href=format!("/catalogue/{slug}")>"Voir la fiche publique"</a></p>
                    {can_act.then(|| view! {
                        <ServerErrorNotice message=failure(withdraw.value())/>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="reference" value=reference.clone()/>
                            <button type="submit" class="button button-secondary">"Retirer du catalogue"</button>
                        </ActionForm>
                    })}
                }.into_any()
                }
                Some((_, _, true)) => view! { <p>"Retiré du catalogue : la fiche n'est plus visible du public. Vous pouvez la publier de nouveau depuis l'aperçu."</p> }.into_any(),
                None => view! { <p>"Pas encore publié."</p> }.into_any(),
            }}
            <p>
                <a href=format!("/equipe/cas/{reference}/diffusion/apercu") class="button button-primary">
                    {if can_act { "Aperçu et publication" } else { "Aperçu de la fiche publique" }}
                </a>
            </p>
            {(!page.publishable_stage).then(|| view! {
                <p class="hint">"La publication s'ouvre à partir de l'étape « Conception et implémentation »."</p>
            })}
        </section>
        <section aria-labelledby="kit" class="case-section">
            <h2 id="kit">"Kit de diffusion"</h2>
            {(!page.saved).then(|| view! { <p class="hint">"Pas encore enregistré : le problème et la solution sont repris du dépôt."</p> })}
            <ServerErrorNotice message=failure(save.value())/>
            <ActionForm action=save attr:class="kit-form">
                <input type="hidden" name="reference" value=reference.clone()/>
                <input type="hidden" name="revision" value=page.revision/>
                {text_field("kit-resume", "resume", "Résumé public", "Deux ou trois phrases, 400 caractères au plus : c'est ce que montrent les résultats du catalogue.", page.summary.clone(), "3")}
                {text_field("kit-probleme", "probleme", "Le problème", "", page.problem.clone(), "4")}
                {text_field("kit-solution", "solution", "La solution", "", page.solution.clone(), "4")}
                {text_field("kit-documentation", "documentation", "Documentation", "En Markdown : titres (##), listes, liens. Le HTML est affiché comme du texte.", page.documentation.clone(), "10")}
                {text_field("kit-videos", "videos", "Vidéos de démonstration", "Une vidéo par ligne : titre | adresse https:// de la vidéo | adresse https:// de sa transcription ou de ses sous-titres. Sans transcription, la vidéo est proposée en lien et non intégrée.", page.videos.clone(), "3")}
                {text_field("kit-supports", "supports", "Supports de prise en main", "Un support par ligne : titre | adresse https://", page.supports.clone(), "3")}
                {text_field("kit-contact", "contact", "Contact", "Qui répond aux collectivités intéressées.", page.contact.clone(), "2")}
                <fieldset class="form-section">
                    <legend>"Gains mesurés après déploiement"</legend>
                    <p class="hint" id="gains-estimation">
                        {format!("Estimation lors du dépôt : {} agents concernés, {} heures économisées par an. Laissez vide ce qui n'est pas encore mesuré.", group_thousands(page.agents_estimated), group_thousands(page.hours_estimated))}
                    </p>
                    <div class="field">
                        <label for="kit-agents">"Agents utilisant réellement la solution"</label>
                        <input id="kit-agents" name="agents_mesures" type="number" min="0" inputmode="numeric" value=page.agents_measured.clone() aria-describedby="gains-estimation" class="input-short" readonly=!can_act/>
                    </div>
                    <div class="field">
                        <label for="kit-heures">"Heures économisées par an, mesurées"</label>
                        <input id="kit-heures" name="heures_mesurees" type="number" min="0" inputmode="numeric" value=page.hours_measured.clone() aria-describedby="gains-estimation" class="input-short" readonly=!can_act/>
                    </div>
                </fieldset>
                {can_act.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Enregistrer le kit"</button>
                    </div>
                })}
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let reference = reference_param();
    let location = use_location();
    let page = Resource::new(move || (reference(), location.search.get()), |(r, _)| apercu(r));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((head, public)) => view! { <PreviewContent head public/> }.into_any(),
                    Err(error) => failed_load(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn PreviewContent(head: CaseHead, public: crate::catalogue::PublicCasePage) -> impl IntoView {
    let publish = ServerAction::<Publier>::new();
    let reference = head.reference.clone();
    let slug = public.detail.case.slug.clone();
    view! {
        <Title text=format!("Aperçu de la fiche publique — {reference}")/>
        <div class="preview-banner" role="region" aria-label="Aperçu">
            <p><a href=format!("/equipe/cas/{reference}/diffusion")>"← Kit de diffusion"</a></p>
            <p><strong>"Aperçu : "</strong>{format!("voici exactement ce que le public verra à l'adresse /catalogue/{slug}, à partir du kit enregistré.")}</p>
            {head.can_act.then(|| view! {
                <ServerErrorNotice message=failure(publish.value())/>
                <ActionForm action=publish>
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <button type="submit" class="button button-primary">"Publier au catalogue"</button>
                </ActionForm>
            })}
        </div>
        <crate::pages::catalogue::PublicCaseView page=public preview=true/>
    }
    .into_any()
}
