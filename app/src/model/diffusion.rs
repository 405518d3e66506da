//! The wire type of the diffusion (stage 5): the kit as its form shows it, the estimate and the publication.

use serde::{Deserialize, Serialize};

use super::case::CaseHead;

/// The diffusion page: the kit as the form shows it, the estimate and the publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffusionView {
    pub head: CaseHead,
    pub revision: i64,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub documentation: String,
    pub videos: String,
    pub supports: String,
    pub contact: String,
    pub agents_measured: String,
    pub hours_measured: String,
    pub agents_estimated: i64,
    pub hours_estimated: i64,
    /// Slug, published at, withdrawn.
    pub publication: Option<(String, i64, bool)>,
    /// What the kit lacks before publication.
    pub missing: Vec<String>,
    /// The stage allows publication (conception or diffusion).
    pub publishable_stage: bool,
    pub saved: bool,
}
