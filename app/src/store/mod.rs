//! What the server functions need from persistence, declared here by area and implemented with SQL in
//! `server/`, so that `app` holds no SQL and can be tested against both databases through one interface.

use std::sync::Arc;

pub mod accounts;
pub mod agents;
pub mod cadrage;
pub mod case;
pub mod catalogue;
pub mod conception;
pub mod deployments;
pub mod diffusion;
pub mod documents;
pub mod indicators;
pub mod intake;
pub mod library;
pub mod limits;
pub mod messages;
pub mod notices;
pub mod outbox;
pub mod outcome;
pub mod periods;
pub mod proconnect;
pub mod sign_in;
pub mod similar;

pub use accounts::AccountStore;
pub use agents::AgentStore;
pub use cadrage::CadrageStore;
pub use case::CaseStore;
pub use catalogue::CatalogueStore;
pub use conception::ConceptionStore;
pub use deployments::DeploymentStore;
pub use diffusion::DiffusionStore;
pub use documents::DocumentStore;
pub use indicators::IndicatorStore;
pub use intake::IntakeStore;
pub use library::LibraryStore;
pub use limits::LimitStore;
pub use messages::MessageStore;
pub use notices::NoticeStore;
pub use outbox::OutboxStore;
pub use outcome::{StoreError, WriteOutcome};
pub use periods::PeriodStore;
pub use proconnect::ProConnectStore;
pub use sign_in::SignInStore;
pub use similar::SimilarStore;

/// Every area's store: what the server receives as one object.
pub trait Store:
    IntakeStore
    + AccountStore
    + CaseStore
    + CatalogueStore
    + CadrageStore
    + ConceptionStore
    + DiffusionStore
    + OutboxStore
    + DocumentStore
    + MessageStore
    + SimilarStore
    + IndicatorStore
    + PeriodStore
    + ProConnectStore
    + AgentStore
    + SignInStore
    + NoticeStore
    + DeploymentStore
    + LibraryStore
{
}

impl<
        T: IntakeStore
            + AccountStore
            + CaseStore
            + CatalogueStore
            + CadrageStore
            + ConceptionStore
            + DiffusionStore
            + OutboxStore
            + DocumentStore
            + MessageStore
            + SimilarStore
            + IndicatorStore
            + PeriodStore
            + ProConnectStore
            + AgentStore
            + SignInStore
            + NoticeStore
            + DeploymentStore
            + LibraryStore,
    > Store for T
{
}

/// The store as the server functions receive it (a Leptos context).
pub type SharedStore = Arc<dyn Store>;
