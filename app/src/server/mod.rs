//! What the server functions share on the server side: their context, the session checks (team and agents), the one access to
//! a case, the mapping of a store outcome to an error, private tokens, the Markdown renderer
//! and what the endpoints of stages 3 to 5 share.

pub mod access;
pub mod agent_session;
pub mod context;
pub mod markdown;
pub mod outcome;
pub mod session;
pub mod stages;
pub mod tokens;
