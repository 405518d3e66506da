//! The report of one import, per record and in French: what became of each record (new, changed, unchanged),
//! its problems, the records refused and the projects withdrawn because the source no longer has them.

use serde::{Deserialize, Serialize};

use super::{Problem, ReadFile, Refused};

/// What an import did with a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Withdrawn earlier, back in the source.
    Restored,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Created => "nouveau",
            Outcome::Updated => "mis à jour",
            Outcome::Unchanged => "inchangé",
            Outcome::Restored => "de retour dans la source",
        }
    }
}

/// One record of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub line: usize,
    pub project_name: String,
    pub collectivite_name: String,
    pub slug: String,
    pub outcome: Outcome,
    pub problems: Vec<Problem>,
}

/// The whole report of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub records: Vec<RecordLine>,
    pub refused: Vec<Refused>,
    pub ignored_columns: Vec<String>,
    /// Projects withdrawn (name and collectivité).
    pub withdrawn: Vec<(String, String)>,
}

impl ImportReport {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.records.iter().filter(|r| r.outcome == outcome).count()
    }

    /// Starts the report of `read`: ignored columns and refused records.
    pub fn of(read: &ReadFile) -> ImportReport {
        ImportReport {
            refused: read.refused.clone(),
            ignored_columns: read.ignored_columns.clone(),
            ..ImportReport::default()
        }
    }

    /// One sentence of figures.
    pub fn summary(&self) -> String {
        format!(
            "{} enregistrements lus : {} nouveaux, {} mis à jour, {} inchangés, {} de retour ; {} retirés de la \
             source ; {} refusés ; {} avec des réserves.",
            self.records.len() + self.refused.len(),
            self.count(Outcome::Created),
            self.count(Outcome::Updated),
            self.count(Outcome::Unchanged),
            self.count(Outcome::Restored),
            self.withdrawn.len(),
            self.refused.len(),
            self.records.iter().filter(|r| !r.problems.is_empty()).count()
        )
    }

    /// The report as lines of text (the command's output).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.summary()];
        if !self.ignored_columns.is_empty() {
            lines.push(format!(
                "Colonnes non reprises (champs « Restreint » ou inconnus) : {}.",
                self.ignored_columns.join(", ")
            ));
        }
        for record in &self.records {
            lines.push(format!(
                "Ligne {} — « {} » ({}) : {}{}",
                record.line,
                record.project_name,
                record.collectivite_name,
                record.outcome.label(),
                if record.problems.is_empty() {
                    ", sans réserve.".to_string()
                } else {
                    format!(", {} réserve(s) :", record.problems.len())
                }
            ));
            for problem in &record.problems {
                lines.push(format!("    {} — {}", problem.field, problem.message));
            }
        }
        for refused in &self.refused {
            lines.push(format!("Ligne {} — refusé : {}", refused.line, refused.message));
        }
        for (project, collectivite) in &self.withdrawn {
            lines.push(format!(
                "Retiré (absent de la source) : « {project} » ({collectivite})."
            ));
        }
        lines
    }
}
