//! The server function of an agent's email notices: each one as it comes, or a daily digest.

use leptos::prelude::*;

use crate::domain::notices::NoticeChoice;
use crate::error::AppError;

/// Records the signed-in agent's choice of email notices; back to each notice, those held for the digest go
/// out now. Leads back to the space's section.
#[server(endpoint = "collectivite/avis")]
pub async fn agent_choisir_avis(choix: NoticeChoice) -> Result<(), AppError> {
    let (agent, _) = crate::server::access::agent_signed_in()
        .await?
        .ok_or(AppError::AgentSignedOut)?;
    let store = crate::server::context::server_context()?.store;
    let released = store
        .set_notice_choice(agent.id, choix, crate::server::context::now())
        .await?;
    let saved = match (choix, released) {
        (NoticeChoice::Daily, _) => "avis-quotidien",
        (NoticeChoice::Each, 0) => "avis-chacun",
        (NoticeChoice::Each, _) => "avis-liberes",
    };
    leptos_axum::redirect(&format!("{}?enregistre={saved}#avis", crate::routes::AGENT_HOME));
    Ok(())
}
