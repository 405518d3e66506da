//! The Bibliothèque d'IA territoriales (Les Interconnectés, France urbaine, Intercommunalités de France) read
//! into the catalogue: its published file (16 columns) or a file in its 38-field Table Schema, each record
//! mapped onto the schema's public fields, what cannot be trusted left out and said in French (a SIRET of
//! another body, a body outside the official list, a variant of a closed value), the stable key that follows a
//! project from one import to the next, and the programme's domain of its themes.

pub mod pairs;
pub mod reader;
pub mod record;
pub mod report;
pub mod values;

use serde::{Deserialize, Serialize};

use crate::domain::collectivites::Directory;
pub use record::LibraryProject;

/// The source's name as people read it.
pub const SOURCE_NAME: &str = "Bibliothèque d'IA territoriales";
/// The page presenting the source and its data.
pub const SOURCE_PAGE: &str = "https://github.com/LesInterconnectes/Bibliotheque-IA-territoriale";
/// The source publishes no licence: said as such until it does (`IAF_BIBLIOTHEQUE_LICENCE` sets another).
pub const DEFAULT_LICENCE: &str = "Aucune licence indiquée par la source";

/// What is wrong with one field of a record, and what was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The column's name in the file.
    pub field: String,
    pub message: String,
}

/// A record of the file that could not be imported at all, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub line: usize,
    pub message: String,
}

/// One record read: the project as it will be kept, its line and its problems.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadRecord {
    pub line: usize,
    pub project: LibraryProject,
    pub problems: Vec<Problem>,
}

/// A whole file read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadFile {
    pub records: Vec<ReadRecord>,
    pub refused: Vec<Refused>,
    /// Columns of the file that are not kept (fields marked « Restreint » in the data dictionary, or unknown).
    pub ignored_columns: Vec<String>,
}

/// Reads a file of the Bibliothèque. A file that is not CSV, or lacks a column the key needs, is refused
/// whole (with its line and column); otherwise each record is kept with what can be trusted, its problems
/// listed, and only a record without a name or repeating another's key is refused.
pub fn read_file(text: &str, directory: &Directory) -> Result<ReadFile, String> {
    let rows = reader::read(text).map_err(|e| format!("Fichier CSV mal formé, {e}."))?;
    let Some((header, rows)) = rows.split_first() else {
        return Err("Fichier vide : ni en-tête ni enregistrement.".into());
    };
    let columns = record::Columns::of(&header.fields)?;
    let mut read = ReadFile {
        records: Vec::new(),
        refused: Vec::new(),
        ignored_columns: columns.ignored.clone(),
    };
    let mut keys: Vec<(String, usize)> = Vec::new();
    for row in rows {
        match record::map(&columns, row, directory) {
            Err(message) => read.refused.push(Refused {
                line: row.line,
                message,
            }),
            Ok((project, problems)) => {
                if let Some((_, first)) = keys.iter().find(|(key, _)| *key == project.key) {
                    read.refused.push(Refused {
                        line: row.line,
                        message: format!(
                            "« {} » de {} figure déjà ligne {first} : enregistrement en double, non repris.",
                            project.project_name, project.collectivite_name
                        ),
                    });
                    continue;
                }
                keys.push((project.key.clone(), row.line));
                read.records.push(ReadRecord {
                    line: row.line,
                    project,
                    problems,
                });
            }
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests;
