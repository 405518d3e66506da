//! The team's cadrage pages (§6): the tripartite document (form, versions, validations), one version printed,
//! and the difference between two versions.

use leptos::prelude::*;
use leptos_meta::{Style, Title};
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use crate::components::case_head::{failed_load, reference_param, Head};
use crate::components::{failure, CaseSaved, ServerErrorNotice};
use crate::domain::dates::{format_paris, format_paris_date};
use crate::endpoints::cadrage::*;
use crate::model::cadrage::*;

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
        <CaseSaved/>
        <p>
            {if current == 0 {
                "Aucune version enregistrée : le formulaire ci-dessous est pré-rempli à partir du dépôt et des valeurs du cadre d'intervention.".to_string()
            } else {
                format!("Version {current} en vigueur.")
            }}
            {(current > 0).then(|| view! {
                " "<a href=crate::routes::case(&reference).cadrage_version(current)>"Lire et imprimer la version en vigueur"</a>
                " · "<a href=crate::routes::case(&reference).cadrage_odt(current) download="">"Exporter en OpenDocument (.odt)"</a>
            })}
        </p>
        <ValidationsSection reference=reference.clone() current parties=page.parties.clone() fully_validated=page.fully_validated can_act=page.head.can_act prestataire=page.head.role == crate::domain::auth::Role::Prestataire signed_pdfs=page.signed_pdfs.clone()/>
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
    /// The signed-in prestataire validates its own party, in its own name.
    prestataire: bool,
    /// The case's PDFs a paper signature may attach (public id, file name).
    signed_pdfs: Vec<(String, String)>,
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
                                Some((signatory, how, at)) => view! {
                                    <li>
                                        <strong>{party.label.clone()}</strong>
                                        {format!(" : validé par {signatory} ({how}, le {}).", format_paris(at))}
                                    </li>
                                }.into_any(),
                                None if can_act && party.code == "caisse-des-depots" => view! {
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
                                None if can_act => view! {
                                    <li>
                                        <strong>{party.label.clone()}</strong>" : pas encore validé."
                                        <PaperSignature reference=reference.clone() current party signed_pdfs=signed_pdfs.clone() validate/>
                                    </li>
                                }.into_any(),
                                None if prestataire && party.code == "prestataire" => view! {
                                    <li>
                                        <strong>{party.label.clone()}</strong>" : pas encore validé."
                                        <ActionForm action=validate attr:class="inline-form">
                                            <input type="hidden" name="reference" value=reference.clone()/>
                                            <input type="hidden" name="version" value=current/>
                                            <input type="hidden" name="partie" value=party.code.clone()/>
                                            <input type="hidden" name="signataire" value=""/>
                                            <button type="submit" class="button button-primary">"Valider cette version en mon nom"</button>
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

/// The team records the collectivité's or the prestataire's validation only as a signature made on paper, with
/// the signed PDF chosen among the case's documents; each party otherwise validates itself.
#[component]
fn PaperSignature(
    reference: String,
    current: i64,
    party: PartyView,
    signed_pdfs: Vec<(String, String)>,
    validate: ServerAction<ValiderCadrage>,
) -> impl IntoView {
    let itself = if party.code == "collectivite" {
        "La collectivité valide elle-même, par un de ses agents connecté à l'espace collectivité avec ProConnect."
    } else {
        "Le prestataire valide lui-même, avec son compte."
    };
    let label = party.label.to_lowercase();
    let field_id = format!("signataire-{}", party.code);
    let pdf_id = format!("piece-{}", party.code);
    view! {
        <p class="hint">
            {itself}" Une signature faite sur papier s'enregistre ici, avec le PDF signé joint à un message du dossier."
        </p>
        {if signed_pdfs.is_empty() {
            view! {
                <p class="hint">
                    "Aucun PDF analysé n'est encore joint à ce dossier : "
                    <a href=crate::routes::case(&reference).section(crate::routes::Section::Messages)>"joindre le PDF signé à un message"</a>
                    "."
                </p>
            }.into_any()
        } else {
            view! {
                <ActionForm action=validate attr:class="inline-form">
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <input type="hidden" name="version" value=current/>
                    <input type="hidden" name="partie" value=party.code.clone()/>
                    <div class="field">
                        <label for=field_id.clone()>{format!("Signataire pour {label}")}</label>
                        <input id=field_id type="text" name="signataire" value=party.signatory.clone() required=true autocomplete="off"/>
                    </div>
                    <div class="field">
                        <label for=pdf_id.clone()>"Document signé (PDF)"</label>
                        <select id=pdf_id name="piece" required=true>
                            {signed_pdfs.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button button-primary">
                        {format!("Enregistrer la signature sur papier de {label}")}
                    </button>
                </ActionForm>
            }.into_any()
        }}
    }
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
                                            <a href=crate::routes::case(&reference).cadrage_version(n)>{format!("Lire la version {n}")}</a>
                                            {(n > 1).then(|| view! {
                                                " · "<a href=crate::routes::case(&reference).cadrage_diff(n - 1, n)>
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
            <textarea id=id.clone() name=name rows=if field.kind == "lines" { "4" } else { "5" } required=field.required aria-describedby=described>{crate::components::textarea_text(&field.value)}</textarea>
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
pub(crate) fn DocumentText(sections: Vec<SectionView>) -> impl IntoView {
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
                <a href=crate::routes::case(&reference).cadrage()>"← Document de cadrage"</a>
                " · "<a href=crate::routes::case(&reference).cadrage_odt(n) download="">"Exporter en OpenDocument (.odt)"</a>
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
        <p><a href=crate::routes::case(&reference).cadrage_at("versions")>"← Versions du document"</a></p>
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
