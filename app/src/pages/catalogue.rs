//! The public pages: the catalogue of replicable use cases (search, filters, sort, pages, all in the URL), one
//! published case for a reader who wants to replicate it (the programme's indicators are in `indicators.rs`).
//! They are rendered by the server and need no JavaScript: the site ships no WebAssembly to them (see `shell`).

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::LoadError;
use crate::domain::catalogue::{
    beyond_bound, count_words, may_embed_video, pages_offered, CatalogueQuery, Sort, COUNT_BOUND, POPULATION_BANDS,
    SOURCES,
};
use crate::domain::collectivites::Kind;
use crate::domain::dates::format_paris_date;
use crate::domain::referentiel::{label_of, BRIQUES, DOMAINES, HEBERGEMENTS, TYPOLOGIES};
use crate::domain::text::group_thousands;
use crate::endpoints::catalogue::*;
use crate::model::catalogue::*;

fn kind_label(code: &str) -> &'static str {
    Kind::from_code(code).map(Kind::label).unwrap_or("")
}

/// The public address of the site, for canonical and Open Graph URLs.
pub(crate) fn origin() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::context::public_origin()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::window().location().origin().unwrap_or_default()
    }
}

fn replications_label(count: i64) -> String {
    match count {
        0 => "Pas encore répliqué".into(),
        1 => "Répliqué par 1 collectivité".into(),
        n => format!("Répliqué par {n} collectivités"),
    }
}

fn gains_label(case: &PublicCase) -> String {
    format!(
        "{} heures économisées par an{} · {} agents",
        group_thousands(case.hours_saved_per_year),
        if case.gains_measured {
            " (mesuré)"
        } else {
            " (estimation)"
        },
        group_thousands(case.agents)
    )
}

/// The URL parameters of the catalogue's search.
const QUERY_KEYS: [&str; 10] = [
    "texte",
    "domaine",
    "brique",
    "typologie",
    "collectivite",
    "population",
    "region",
    "source",
    "tri",
    "page",
];

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        query.with(|q| {
            let pairs: Vec<(&str, String)> = QUERY_KEYS
                .iter()
                .filter_map(|key| q.get(key).map(|value| (*key, value)))
                .collect();
            CatalogueQuery::from_pairs(pairs.iter().map(|(key, value)| (*key, value.as_str())))
        })
    };
    // A plain future, not a resource: these pages do not hydrate, so nothing is serialised into the HTML.
    let load = |q: CatalogueQuery| {
        let pairs = q.to_pairs();
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        rechercher(
            get("texte"),
            get("domaine"),
            get("brique"),
            get("typologie"),
            get("collectivite"),
            get("population"),
            get("region"),
            get("source"),
            get("tri"),
            get("page"),
        )
    };
    view! {
        <Suspense fallback=|| view! { <p role="status">"Recherche en cours…"</p> }>
            {move || {
                let current = search();
                Suspend::new(async move {
                    match load(current.clone()).await {
                        Ok(results) => view! { <CatalogueResults query=current results/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// « 3 cas d'usage répliquables et 2 projets de la Bibliothèque d'IA territoriales. » — « Plus de 1 000 cas
/// d'usage répliquables… » past the count's bound.
fn count_sentence(cases: i64, library: i64) -> String {
    let cases_text = match cases {
        1 => "1 cas d'usage répliquable".to_string(),
        n => format!("{} cas d'usage répliquables", count_words(n)),
    };
    let library_text = match library {
        1 => "1 projet de la Bibliothèque d'IA territoriales".to_string(),
        n => format!("{} projets de la Bibliothèque d'IA territoriales", count_words(n)),
    };
    let sentence = match (cases, library) {
        (0, 0) => "Aucun cas d'usage ne correspond à votre recherche.".to_string(),
        (_, 0) => format!("{cases_text}."),
        (0, _) => format!("{library_text}."),
        _ => format!("{cases_text} et {library_text}."),
    };
    let mut letters = sentence.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

#[component]
fn CatalogueResults(query: CatalogueQuery, results: SearchResults) -> impl IntoView {
    let total = results.total;
    let cases = total - results.library;
    let bounded = beyond_bound(cases) || beyond_bound(results.library);
    let pages = pages_offered(total, bounded, query.page, results.items.len());
    let count_text = count_sentence(cases, results.library);
    let twins = results.twins;
    let title = if query.has_filters() && bounded {
        format!(
            "Catalogue : plus de {} résultats (page {})",
            crate::domain::text::group_thousands(COUNT_BOUND),
            query.page
        )
    } else if query.has_filters() {
        format!(
            "Catalogue : {} résultat{} (page {} sur {pages})",
            total,
            if total > 1 { "s" } else { "" },
            query.page
        )
    } else {
        "Catalogue des cas d'usage répliquables".to_string()
    };
    let canonical = format!("{}{}", origin(), query.url());
    view! {
        <Title text=title/>
        <Meta name="description" content="Les cas d'usage d'IA souveraine conçus avec des collectivités pionnières de l'IA Factory, documentés pour être répliqués par toute collectivité française."/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:title" content="Catalogue des cas d'usage répliquables — IA Factory"/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:url" content=canonical/>
        <h1>"Catalogue des cas d'usage répliquables"</h1>
        <p class="lead">"Des solutions d'IA souveraine conçues avec des collectivités pionnières, documentées pour que votre collectivité puisse les reprendre."</p>
        <SearchForm query=query.clone() regions=results.regions.clone()/>
        <p class="search-count" role="status">{count_text}</p>
        {if results.items.is_empty() {
            view! {
                <div class="empty-state">
                    <p>"Essayez des mots plus généraux, retirez un filtre, ou "<a href="/catalogue">"parcourez tout le catalogue"</a>"."</p>
                    <p>"Votre besoin n'y figure pas ? "<a href="/deposer">"Proposez votre cas d'usage"</a>" : l'équipe du programme l'examinera lors de la prochaine période de relève."</p>
                </div>
            }.into_any()
        } else {
            view! {
                <ol class="catalogue-list">
                    {results.items.into_iter().map(|item| match item {
                        CatalogueItem::Case(case) => {
                            let twin = twins.iter().find(|(slug, _)| *slug == case.slug).map(|(_, twin)| twin.clone());
                            view! { <li><CatalogueCard case twin/></li> }.into_any()
                        }
                        CatalogueItem::Library(card) => view! { <li><crate::pages::library::LibraryCardView card/></li> }.into_any(),
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(pages > 1).then(|| view! { <Pagination query=query.clone() pages/> })}
        <OpenDataLinks/>
    }
    .into_any()
}

/// The search form: text, filters and sort, all kept in the URL (a GET form, so it works without JavaScript).
#[component]
fn SearchForm(query: CatalogueQuery, regions: Vec<String>) -> impl IntoView {
    let selected = |current: &str, value: &str| current == value;
    let q = query.clone();
    view! {
        <form method="get" action="/catalogue" class="catalogue-search" role="search" aria-label="Rechercher dans le catalogue">
            <div class="field">
                <label for="recherche-texte">"Rechercher"</label>
                <p class="hint" id="recherche-texte-aide">"Par exemple : marchés publics, courrier, urbanisme. Les accents et les pluriels n'ont pas d'importance."</p>
                <input id="recherche-texte" name="texte" type="search" value=q.texte.clone() aria-describedby="recherche-texte-aide"/>
            </div>
            <div class="catalogue-filters">
                <div class="field">
                    <label for="filtre-source">"Source"</label>
                    <select id="filtre-source" name="source">
                        <option value="">"Toutes"</option>
                        {SOURCES.iter().map(|(code, label)| view! { <option value=*code selected=selected(&q.source, code)>{*label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-domaine">"Domaine"</label>
                    <select id="filtre-domaine" name="domaine">
                        <option value="">"Tous"</option>
                        {DOMAINES.iter().map(|d| view! { <option value=d.code selected=selected(&q.domaine, d.code)>{d.label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-brique">"Brique technologique"</label>
                    <select id="filtre-brique" name="brique">
                        <option value="">"Toutes"</option>
                        {BRIQUES.iter().map(|b| view! { <option value=b.code selected=selected(&q.brique, b.code)>{b.label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-typologie">"Typologie"</label>
                    <select id="filtre-typologie" name="typologie">
                        <option value="">"Toutes"</option>
                        {TYPOLOGIES.iter().map(|t| view! { <option value=t.code selected=selected(&q.typologie, t.code)>{t.label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-collectivite">"Type de collectivité"</label>
                    <select id="filtre-collectivite" name="collectivite">
                        <option value="">"Tous"</option>
                        {[Kind::Commune, Kind::Epci, Kind::Departement, Kind::Region].into_iter().map(|k| view! {
                            <option value=k.code() selected=selected(&q.collectivite, k.code())>{k.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-population">"Population"</label>
                    <select id="filtre-population" name="population">
                        <option value="">"Toutes"</option>
                        {POPULATION_BANDS.iter().map(|(code, label, ..)| view! {
                            <option value=*code selected=selected(&q.population, code)>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-region">"Région"</label>
                    <select id="filtre-region" name="region">
                        <option value="">"Toutes"</option>
                        {regions.iter().map(|r| view! { <option value=r.clone() selected=selected(&q.region, r)>{r.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-tri">"Trier par"</label>
                    <select id="filtre-tri" name="tri">
                        {Sort::ALL.into_iter().map(|s| view! { <option value=s.code() selected=q.tri == s>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Rechercher"</button>
                {query.has_filters().then(|| view! { <a class="button button-secondary" href="/catalogue">"Effacer la recherche"</a> })}
            </div>
        </form>
    }
}

/// The catalogue's open data, each format a link of one list.
#[component]
fn OpenDataLinks() -> impl IntoView {
    view! {
        <section class="open-data" aria-labelledby="donnees-ouvertes">
            <h2 id="donnees-ouvertes" class="open-data-title">"Données ouvertes"</h2>
            <ul class="footer-links">
                <li><a href="/catalogue.csv">"CSV"</a></li>
                <li><a href="/catalogue.json">"JSON"</a></li>
                <li><a href="/catalogue.atom">"flux Atom des nouveaux cas"</a></li>
                <li><a href="/catalogue/bibliotheque-ia-territoriale.csv">"CSV au modèle de la Bibliothèque d'IA territoriales"</a></li>
                <li><a href="/catalogue/dcat.jsonld">"description DCAT-AP (JSON-LD)"</a></li>
                <li><a href="/docs/catalogue-donnees-ouvertes">"schéma"</a></li>
                <li><a href="/docs/correspondances-registres">"correspondances avec les autres registres"</a></li>
            </ul>
        </section>
    }
}

#[component]
fn CatalogueCard(case: PublicCase, twin: Option<crate::model::similar::LibraryMatch>) -> impl IntoView {
    let briques: Vec<&str> = case.briques.iter().map(|b| label_of(BRIQUES, b)).collect();
    view! {
        <article class="catalogue-card" aria-labelledby=format!("cas-{}", case.slug)>
            <h2 id=format!("cas-{}", case.slug)><a href=crate::routes::catalogue_case(&case.slug)>{case.title.clone()}</a></h2>
            <p>{case.summary.clone()}</p>
            {twin.map(|twin| view! { <TwinLine twin/> })}
            <p class="card-meta">{format!("{} ({}, {})", case.collectivite_name, kind_label(&case.collectivite_kind), case.region)}</p>
            <p class="card-meta">{format!("{} · {}", label_of(DOMAINES, &case.domain), briques.join(", "))}</p>
            <p class="card-meta">{gains_label(&case)}</p>
            <p class="card-meta">{replications_label(case.replications)}</p>
            {case.ai_act_level.map(|level| view! {
                <p class="card-meta">{format!("AI Act : {} (confirmé par l'équipe) — obligations : {}", level.label(), case.ai_act_articles.join(", "))}</p>
            })}
        </article>
    }
}

/// « Aussi dans la Bibliothèque d'IA territoriales » : the same project as that library publishes it.
#[component]
fn TwinLine(twin: crate::model::similar::LibraryMatch) -> impl IntoView {
    view! {
        <p class="source-mark">
            "Aussi dans la Bibliothèque d'IA territoriales : "
            <a href=crate::routes::library_project(&twin.slug)>{twin.title}</a>
        </p>
    }
}

#[component]
fn Pagination(query: CatalogueQuery, pages: i64) -> impl IntoView {
    let current = query.page;
    let window: Vec<i64> = (1..=pages)
        .filter(|p| *p == 1 || *p == pages || (*p - current).abs() <= 2)
        .collect();
    view! {
        <nav class="pagination" aria-label="Pages de résultats">
            <ul>
                {(current > 1).then(|| view! { <li><a href=query.with_page(current - 1).url() rel="prev">"Page précédente"</a></li> })}
                {window.into_iter().map(|p| {
                    let url = query.with_page(p).url();
                    if p == current {
                        view! { <li><a href=url aria-current="page">{format!("Page {p}")}</a></li> }.into_any()
                    } else {
                        view! { <li><a href=url>{format!("Page {p}")}</a></li> }.into_any()
                    }
                }).collect_view()}
                {(current < pages).then(|| view! { <li><a href=query.with_page(current + 1).url() rel="next">"Page suivante"</a></li> })}
            </ul>
        </nav>
    }
}

#[component]
pub fn CatalogueCasePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <p><a href="/catalogue">"← Catalogue"</a></p>
        <Suspense fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || {
                let slug = slug();
                Suspend::new(async move {
                    match cas_publie(slug).await {
                        Ok(page) => view! { <PublicCaseView page/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A published case as the public sees it; `preview` (the team's preview before publication) leaves out the
/// page's metadata and the replication form.
#[component]
pub fn PublicCaseView(page: PublicCasePage, #[prop(optional)] preview: bool) -> impl IntoView {
    let repliquer = ServerAction::<Repliquer>::new();
    let detail = page.detail;
    let neighbours = page.neighbours;
    let twin = page.twin;
    let case = detail.case.clone();
    let briques: Vec<&str> = case.briques.iter().map(|b| label_of(BRIQUES, b)).collect();
    let population = case
        .population
        .map(|p| format!(", {} habitants", group_thousands(p)))
        .unwrap_or_default();
    let code = if detail.collectivite_siren.is_empty() || detail.collectivite_siren == detail.collectivite_code {
        format!("code {}", detail.collectivite_code)
    } else {
        format!(
            "code INSEE {}, SIREN {}",
            detail.collectivite_code, detail.collectivite_siren
        )
    };
    let metadata = (!preview).then(|| {
        view! {
            <Title text=case.title.clone()/>
            <Meta name="description" content=case.summary.clone()/>
            <Link rel="canonical" href=page.canonical.clone()/>
            <Meta property="og:title" content=case.title.clone()/>
            <Meta property="og:description" content=case.summary.clone()/>
            <Meta property="og:type" content="article"/>
            <Meta property="og:url" content=page.canonical.clone()/>
        }
    });
    view! {
        {metadata}
        <article class="public-case" aria-labelledby="titre-cas">
            <h1 id="titre-cas">{case.title.clone()}</h1>
            {twin.map(|twin| view! { <TwinLine twin/> })}
            <p class="lead">{case.summary.clone()}</p>
            <dl class="facts">
                <div><dt>"Collectivité pionnière"</dt><dd>{format!("{} ({}, {}{population} ; {code})", case.collectivite_name, kind_label(&case.collectivite_kind), case.region)}</dd></div>
                <div><dt>"Domaine"</dt><dd>{label_of(DOMAINES, &case.domain).to_string()}</dd></div>
                <div><dt>"Briques technologiques"</dt><dd>{briques.join(", ")}</dd></div>
                <div><dt>"Typologie"</dt><dd>{label_of(TYPOLOGIES, &case.typologie).to_string()}</dd></div>
                <div><dt>"Hébergement"</dt><dd>{if detail.hosting.is_empty() { "Non précisé".to_string() } else { label_of(HEBERGEMENTS, &detail.hosting).to_string() }}</dd></div>
                <div><dt>"Étape"</dt><dd>{case.stage.label().to_string()}</dd></div>
                <div><dt>"Publié le"</dt><dd>{format_paris_date(case.published_at)}</dd></div>
                <div><dt>"Réplications"</dt><dd>{replications_label(case.replications)}</dd></div>
            </dl>
            {(!preview).then(|| view! { <crate::pages::deployments::CaseUsageSection slug=case.slug.clone()/> })}
            <GainsSection detail=detail.clone()/>
            <AiActSection level=case.ai_act_level detail=detail.clone()/>
            <section aria-labelledby="probleme"><h2 id="probleme">"Le problème"</h2><p class="preserve-lines">{detail.problem.clone()}</p></section>
            <section aria-labelledby="solution"><h2 id="solution">"La solution"</h2><p class="preserve-lines">{detail.solution.clone()}</p></section>
            <section aria-labelledby="documentation">
                <h2 id="documentation">"Documentation"</h2>
                {if page.documentation_html.is_empty() {
                    view! { <p>"Documentation à venir."</p> }.into_any()
                } else {
                    view! { <div class="markdown" inner_html=page.documentation_html/> }.into_any()
                }}
            </section>
            <VideosSection detail=detail.clone()/>
            <section aria-labelledby="supports">
                <h2 id="supports">"Supports de prise en main"</h2>
                {if detail.supports.is_empty() {
                    view! { <p>"Pas encore de support."</p> }.into_any()
                } else {
                    view! { <ul>{detail.supports.iter().map(|s| view! { <li><a href=s.url.clone()>{s.title.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
            <section aria-labelledby="contact">
                <h2 id="contact">"Contact"</h2>
                <p>{detail.contact.clone()}</p>
            </section>
            {(!preview).then(|| view! { <crate::pages::similar::NeighboursSection neighbours/> })}
            <section aria-labelledby="repliquer" class="replicate-box">
                <h2 id="repliquer">"Votre collectivité veut reprendre ce cas ?"</h2>
                <p>"Le formulaire de proposition s'ouvre pré-rempli avec le domaine, les briques et la typologie de ce cas ; votre proposition est enregistrée comme une réplication."</p>
                {if preview {
                    view! { <p class="hint">"(Aperçu : le bouton « Je veux répliquer ce cas » figurera ici.)"</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=repliquer>
                            <input type="hidden" name="slug" value=case.slug.clone()/>
                            <button type="submit" class="button button-primary">"Je veux répliquer ce cas"</button>
                        </ActionForm>
                    }.into_any()
                }}
            </section>
        </article>
    }
    .into_any()
}

/// What the case saves, measured after deployment or estimated at filing.
#[component]
fn GainsSection(detail: crate::model::catalogue::PublicCaseDetail) -> impl IntoView {
    view! {
        <section aria-labelledby="gains">
            <h2 id="gains">"Gains"</h2>
            <ul>
                {match (detail.agents_measured, detail.hours_measured) {
                    (Some(agents), Some(hours)) => view! {
                        <li>{format!("Mesurés après déploiement : {} agents utilisent la solution, {} heures économisées par an.", group_thousands(agents), group_thousands(hours))}</li>
                    }.into_any(),
                    _ => view! { <li>"Gains pas encore mesurés après déploiement."</li> }.into_any(),
                }}
                <li>{format!("Estimation lors du dépôt : {} agents concernés, {} heures économisées par an.", group_thousands(detail.agents_estimated), group_thousands(detail.hours_estimated))}</li>
            </ul>
        </section>
    }
}

/// The AI Act level the team confirmed, with a public deployer's obligations.
#[component]
fn AiActSection(
    level: Option<crate::domain::ai_act::RiskLevel>,
    detail: crate::model::catalogue::PublicCaseDetail,
) -> impl IntoView {
    view! {
        <section aria-labelledby="reglement-ia">
            <h2 id="reglement-ia">"Règlement européen sur l'IA"</h2>
            {match level {
                Some(level) => view! {
                    <p>{format!("Niveau confirmé par l'équipe du programme : {}.", level.label())}</p>
                    <ul>{detail.ai_act_obligations.iter().map(|o| view! { <li><strong>{format!("{} : ", o.article)}</strong>{o.text.clone()}</li> }).collect_view()}</ul>
                    <p class="hint">"Obligations d'un déployeur public au regard du règlement (UE) 2024/1689, à vérifier pour votre propre déploiement."</p>
                }.into_any(),
                None => view! { <p>"Niveau pas encore confirmé par l'équipe du programme."</p> }.into_any(),
            }}
        </section>
    }
}

/// The demonstration videos: played in the page when they have a transcript, linked otherwise.
#[component]
fn VideosSection(detail: crate::model::catalogue::PublicCaseDetail) -> impl IntoView {
    view! {
        <section aria-labelledby="videos">
            <h2 id="videos">"Vidéos de démonstration"</h2>
            {if detail.videos.is_empty() {
                view! { <p>"Pas encore de vidéo."</p> }.into_any()
            } else {
                view! {
                    <ul class="video-list">
                        {detail.videos.iter().map(|video| {
                            if may_embed_video(&video.url, &video.transcript_url) {
                                view! {
                                    <li>
                                        <figure>
                                            <video controls=true preload="none" src=video.url.clone() aria-label=video.title.clone()></video>
                                            <figcaption>{video.title.clone()}" — "<a href=video.transcript_url.clone()>"transcription"</a></figcaption>
                                        </figure>
                                    </li>
                                }.into_any()
                            } else {
                                view! { <li><a href=video.url.clone()>{format!("{} (vidéo)", video.title)}</a></li> }.into_any()
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
