//! The team administration pages: the members (invite, role, disable, re-invite), the authentication log and
//! the emails sent, for administrators; choosing a password from a one-time link, "mot de passe oublié" and
//! changing one's password, for every member. Every form is a plain form that works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{failure, LoadError, Saved, ServerErrorNotice};
use crate::domain::accounts::{AccountState, TokenPurpose};
use crate::domain::auth::{Role, MIN_PASSWORD_CHARS};
use crate::domain::dates::format_paris;
use crate::domain::retention::{SESSION_HOURS, SESSION_IDLE_HOURS};
use crate::endpoints::accounts::*;
use crate::error::AppError;
use crate::model::accounts::MemberLine;

/// The page shown when a read of the team fails: sign-in when signed out, the error otherwise.
fn failed(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <crate::components::SignInFirst/> }.into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}

/// The choice of a role, `selected` first chosen.
#[component]
fn RoleSelect(id: String, selected: Role) -> impl IntoView {
    view! {
        <select id=id name="role">
            {Role::ALL.into_iter().map(|role| view! {
                <option value=role.code() selected=role == selected>{role.label()}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
pub fn AccountsAdminPage() -> impl IntoView {
    let invite = ServerAction::<InviterMembre>::new();
    let members = Resource::new(move || invite.version().get(), |_| comptes());
    view! {
        <Title text="Comptes de l'équipe"/>
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <h1>"Comptes de l'équipe"</h1>
        <p class="lead">
            "Invitez un membre par courriel : il choisit son mot de passe avec un lien à usage unique, valable 72 heures. "
            "Désactiver un compte met fin à toutes ses sessions."
        </p>
        <p><a href="/equipe/journal-connexions">"Journal des connexions"</a>" · "<a href="/equipe/courriels">"Courriels envoyés"</a></p>
        <Saved messages=&[
            ("invitation", "L'invitation a été envoyée."),
            ("renvoi", "Un nouveau lien d'invitation a été envoyé ; le précédent ne fonctionne plus."),
            ("role", "Le rôle a été changé."),
            ("desactive", "Le compte a été désactivé et ses sessions fermées."),
            ("reactive", "Le compte a été réactivé."),
            ("regions", "Les régions de la direction régionale ont été enregistrées."),
        ]/>
        <section aria-labelledby="inviter" class="case-section">
            <h2 id="inviter">"Inviter un membre"</h2>
            <ServerErrorNotice message=failure(invite.value())/>
            <ActionForm action=invite attr:novalidate=true attr:class="narrow-form">
                <div class="field">
                    <label for="invitation-email">"Adresse électronique"</label>
                    <input id="invitation-email" name="email" type="email" autocomplete="off" required/>
                </div>
                <div class="field">
                    <label for="invitation-nom">"Nom"</label>
                    <p class="hint" id="invitation-nom-aide">"Prénom et nom, tels que l'équipe les lira dans l'historique des cas."</p>
                    <input id="invitation-nom" name="nom" type="text" aria-describedby="invitation-nom-aide" required/>
                </div>
                <div class="field">
                    <label for="invitation-role">"Rôle"</label>
                    <RoleSelect id="invitation-role".into() selected=Role::Programme/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Envoyer l'invitation"</button>
                </div>
            </ActionForm>
        </section>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Ok(members) => view! { <MemberTable members/> <super::sign_in::PasswordPolicySection/> }.into_any(),
                    Err(error) => failed(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn MemberTable(members: Vec<MemberLine>) -> impl IntoView {
    let role = ServerAction::<ChangerRole>::new();
    let state = ServerAction::<ChangerEtat>::new();
    let resend = ServerAction::<RenvoyerInvitation>::new();
    let regions = ServerAction::<RegionsCompte>::new();
    view! {
        <ServerErrorNotice message=failure(role.value())/>
        <ServerErrorNotice message=failure(state.value())/>
        <ServerErrorNotice message=failure(resend.value())/>
        <ServerErrorNotice message=failure(regions.value())/>
        <div class="table-scroll"><table>
            <caption>{format!("{} compte{}", members.len(), if members.len() > 1 { "s" } else { "" })}</caption>
            <thead><tr>
                <th scope="col">"Membre"</th><th scope="col">"Rôle"</th><th scope="col">"État"</th>
                <th scope="col">"Dernière connexion"</th><th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {members.into_iter().map(|member| {
                    let select_id = format!("role-{}", member.id);
                    let last = member.last_sign_in_at.map(format_paris).unwrap_or_else(|| "jamais".into());
                    let active = member.state != AccountState::Disabled;
                    let role_label = format!("Rôle de {}", member.name);
                    let state_label = if active { format!("Désactiver {}", member.name) } else { format!("Réactiver {}", member.name) };
                    let resend_label = format!("Renvoyer l'invitation à {}", member.name);
                    let regions_label = format!("Régions de {}", member.name);
                    let regions_id = format!("regions-{}", member.id);
                    let regions_value = member.regions.join(", ");
                    let is_direction = member.role == Role::DirectionRegionale;
                    view! {
                        <tr>
                            <th scope="row">{member.name.clone()}<br/><span class="hint">{member.email.clone()}</span></th>
                            <td>
                                {member.role.label()}
                                {(member.role == Role::DirectionRegionale).then(|| view! {
                                    <br/><span class="hint">{if member.regions.is_empty() { "Aucune région".to_string() } else { member.regions.join(", ") }}</span>
                                })}
                            </td>
                            <td>{member.state.label()}</td>
                            <td>{last}</td>
                            <td>
                                {if member.is_me {
                                    view! { <p class="hint">"Votre compte"</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=role attr:class="inline-form">
                                            <input type="hidden" name="compte" value=member.id/>
                                            <label for=select_id.clone()>{role_label}</label>
                                            <RoleSelect id=select_id selected=member.role/>
                                            <button type="submit" class="button button-secondary">"Changer le rôle"</button>
                                        </ActionForm>
                                        <ActionForm action=state attr:class="inline-form">
                                            <input type="hidden" name="compte" value=member.id/>
                                            <input type="hidden" name="actif" value=if active { "false" } else { "true" }/>
                                            <button type="submit" class="button button-secondary">
                                                {state_label}
                                            </button>
                                        </ActionForm>
                                        {is_direction.then(|| view! {
                                            <ActionForm action=regions attr:class="inline-form">
                                                <input type="hidden" name="compte" value=member.id/>
                                                <label for=regions_id.clone()>{regions_label}</label>
                                                <input id=regions_id type="text" name="regions" value=regions_value placeholder="Bretagne, Pays de la Loire"/>
                                                <button type="submit" class="button button-secondary">"Enregistrer les régions"</button>
                                            </ActionForm>
                                        })}
                                        {(member.state == AccountState::Invited).then(|| view! {
                                            <ActionForm action=resend attr:class="inline-form">
                                                <input type="hidden" name="compte" value=member.id/>
                                                <button type="submit" class="button button-secondary">{resend_label}</button>
                                            </ActionForm>
                                        })}
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// The fields of a new password typed twice, with the rule said first.
#[component]
fn NewPasswordFields(label: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <label for="champ-nouveau">{label}</label>
            <p class="hint" id="champ-nouveau-aide">
                {format!("Au moins {MIN_PASSWORD_CHARS} caractères ; une phrase de passe de plusieurs mots est idéale. Les mots de passe les plus courants sont refusés.")}
            </p>
            <input id="champ-nouveau" name="nouveau" type="password" autocomplete="new-password" aria-describedby="champ-nouveau-aide" required/>
        </div>
        <div class="field">
            <label for="champ-confirmation">"Confirmation du mot de passe"</label>
            <input id="champ-confirmation" name="confirmation" type="password" autocomplete="new-password" required/>
        </div>
    }
}

/// `/equipe/invitation/<jeton>` and `/equipe/reinitialisation/<jeton>`: choosing a password from a one-time link.
#[component]
pub fn LinkPasswordPage(purpose: TokenPurpose) -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let choose = ServerAction::<ChoisirMotDePasse>::new();
    let link = Resource::new(token, move |token| lien_compte(token, purpose.code().to_string()));
    let title = match purpose {
        TokenPurpose::Invitation => "Choisir votre mot de passe",
        TokenPurpose::Reset => "Choisir un nouveau mot de passe",
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(link) => view! {
                        <p class="lead">{format!("Bonjour {}. Ce mot de passe vous servira à vous connecter avec l'adresse {}.", link.name, link.email)}</p>
                        <ServerErrorNotice message=failure(choose.value())/>
                        <ActionForm action=choose attr:novalidate=true attr:class="narrow-form">
                            <input type="hidden" name="jeton" value=token()/>
                            <input type="hidden" name="usage" value=purpose.code()/>
                            <NewPasswordFields label="Mot de passe"/>
                            <div class="form-actions">
                                <button type="submit" class="button button-primary">"Enregistrer et me connecter"</button>
                            </div>
                        </ActionForm>
                    }.into_any(),
                    Err(error) => view! {
                        <LoadError error/>
                        <p><a href="/equipe/mot-de-passe-oublie">"Demander un nouveau lien"</a></p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ask = ServerAction::<MotDePasseOublie>::new();
    let query = use_query_map();
    let sent = move || query.read().get("envoye").is_some();
    view! {
        <Title text="Mot de passe oublié"/>
        <p><a href="/equipe/connexion">"← Connexion"</a></p>
        <h1>"Mot de passe oublié"</h1>
        <p class="lead">"Indiquez l'adresse de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."</p>
        {move || sent().then(|| view! {
            <div class="alert alert-success" role="status">
                <p>"Si un compte existe pour cette adresse, un lien vient d'y être envoyé. Il ne sert qu'une fois et reste valable 1 heure."</p>
            </div>
        })}
        <ServerErrorNotice message=failure(ask.value())/>
        <ActionForm action=ask attr:novalidate=true attr:class="narrow-form">
            <div class="field">
                <label for="champ-email">"Adresse électronique"</label>
                <input id="champ-email" name="email" type="email" autocomplete="username" required/>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Recevoir un lien"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangerMotDePasse>::new();
    view! {
        <Title text="Changer mon mot de passe"/>
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <h1>"Changer mon mot de passe"</h1>
        <p class="lead">"Vos autres sessions seront fermées ; celle-ci reste ouverte."</p>
        <Saved messages=&[("1", "Votre mot de passe a été changé.")]/>
        <ServerErrorNotice message=failure(change.value())/>
        <ActionForm action=change attr:novalidate=true attr:class="narrow-form">
            <div class="field">
                <label for="champ-actuel">"Mot de passe actuel"</label>
                <input id="champ-actuel" name="actuel" type="password" autocomplete="current-password" required/>
            </div>
            <NewPasswordFields label="Nouveau mot de passe"/>
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Changer le mot de passe"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn AuthLogPage() -> impl IntoView {
    let lines = Resource::new(|| (), |_| journal_connexions());
    view! {
        <Title text="Journal des connexions"/>
        <p><a href="/equipe/comptes">"← Comptes de l'équipe"</a></p>
        <h1>"Journal des connexions"</h1>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(lines) if lines.is_empty() => view! { <p>"Aucun événement pour l'instant."</p> }.into_any(),
                    Ok(lines) => view! {
                        <div class="table-scroll"><table>
                            <caption>"Les 500 derniers événements, du plus récent au plus ancien"</caption>
                            <thead><tr>
                                <th scope="col">"Date"</th><th scope="col">"Événement"</th><th scope="col">"Compte"</th>
                                <th scope="col">"Détail"</th><th scope="col">"Par"</th><th scope="col">"Adresse"</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|line| view! {
                                    <tr>
                                        <td>{format_paris(line.at)}</td><td>{line.what}</td><td>{line.email}</td>
                                        <td>{line.detail}</td><td>{line.actor}</td><td>{line.address}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                    Err(error) => failed(error),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EmailsPage() -> impl IntoView {
    let emails = Resource::new(|| (), |_| courriels());
    view! {
        <Title text="Courriels envoyés"/>
        <p><a href="/equipe/comptes">"← Comptes de l'équipe"</a></p>
        <h1>"Courriels envoyés"</h1>
        <p class="lead">
            "Chaque courriel est enregistré avec l'action qui le provoque, puis remis avec de nouveaux essais en cas d'échec. "
            "Sans serveur SMTP configuré, ils sont écrits dans le dossier des courriels du serveur."
        </p>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match emails.await {
                    Ok(emails) if emails.is_empty() => view! { <p>"Aucun courriel pour l'instant."</p> }.into_any(),
                    Ok(emails) => emails.into_iter().map(|email| {
                        use crate::domain::notices::Delivery;
                        let plural = if email.attempts > 1 { "s" } else { "" };
                        let status = match (email.sent_at, email.delivery) {
                            (Some(at), _) => format!("Remis le {} ({} essai{plural})", format_paris(at), email.attempts),
                            (None, delivery @ (Delivery::AwaitingDigest | Delivery::InDigest(_))) => {
                                format!("Pas envoyé seul, au choix de son destinataire : {}", delivery.label())
                            }
                            (None, _) if email.attempts == 0 => "En attente d'envoi".to_string(),
                            (None, _) => format!("Non remis après {} essai{plural} : {}", email.attempts, email.last_error),
                        };
                        view! {
                            <article class="case-section">
                                <h2>{email.subject}</h2>
                                <p>{format!("À {} — créé le {} — {status}", email.recipient, format_paris(email.created_at))}</p>
                                <details>
                                    <summary>"Texte du courriel"</summary>
                                    <pre class="email-text">{email.text}</pre>
                                    <p class="hint">{format!("Message-ID : {}", email.message_id)}</p>
                                </details>
                            </article>
                        }
                    }).collect_view().into_any(),
                    Err(error) => failed(error),
                }
            })}
        </Transition>
    }
}

/// `/equipe/invitation/<jeton>`.
#[component]
pub fn InvitationPage() -> impl IntoView {
    view! { <LinkPasswordPage purpose=TokenPurpose::Invitation/> }
}

/// `/equipe/reinitialisation/<jeton>`.
#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <LinkPasswordPage purpose=TokenPurpose::Reset/> }
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| mes_sessions());
    let close = ServerAction::<DeconnecterPartout>::new();
    view! {
        <Title text="Mes sessions"/>
        <p><a href="/equipe">"← Espace équipe"</a></p>
        <h1>"Mes sessions"</h1>
        <p class="lead">
            {format!("Une session se ferme après {SESSION_HOURS} heures, ou {SESSION_IDLE_HOURS} heures sans activité. ")}
            "Si vous ne reconnaissez pas l'une d'elles, fermez-les toutes puis changez votre mot de passe."
        </p>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(sessions) => view! {
                        <div class="table-scroll"><table>
                            <caption>{format!("{} session{} ouverte{}", sessions.len(), if sessions.len() > 1 { "s" } else { "" }, if sessions.len() > 1 { "s" } else { "" })}</caption>
                            <thead><tr>
                                <th scope="col">"Ouverte le"</th><th scope="col">"Dernière activité"</th>
                                <th scope="col">"Adresse"</th><th scope="col">"Navigateur"</th>
                            </tr></thead>
                            <tbody>
                                {sessions.into_iter().map(|line| view! {
                                    <tr>
                                        <td>{format_paris(line.opened_at)}{line.current.then_some(" (cette session)")}</td>
                                        <td>{format_paris(line.last_seen_at)}</td>
                                        <td>{line.address}</td>
                                        <td>{line.browser}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                    Err(error) => failed(error),
                }
            })}
        </Transition>
        <ServerErrorNotice message=failure(close.value())/>
        <ActionForm action=close>
            <button type="submit" class="button button-secondary">"Se déconnecter partout"</button>
        </ActionForm>
    }
}
