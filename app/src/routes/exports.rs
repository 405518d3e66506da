//! The team's downloadable tables: which ones, in which formats, at which address (`/equipe/export/cas.ods`),
//! built here and read back here, never by hand.

/// A table the team downloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamExport {
    /// One line per case.
    Cases,
    /// Every event of every case.
    Decisions,
    /// One line per deployment.
    Deployments,
    /// One line per usage report.
    Reports,
    /// The programme's indicators over time.
    Indicators,
}

impl TeamExport {
    pub const ALL: [TeamExport; 5] = [
        TeamExport::Cases,
        TeamExport::Decisions,
        TeamExport::Deployments,
        TeamExport::Reports,
        TeamExport::Indicators,
    ];

    /// The file's name without its extension.
    pub fn stem(self) -> &'static str {
        match self {
            TeamExport::Cases => "cas",
            TeamExport::Decisions => "decisions",
            TeamExport::Deployments => "deploiements",
            TeamExport::Reports => "releves",
            TeamExport::Indicators => "indicateurs",
        }
    }

    /// What it holds, in French.
    pub fn label(self) -> &'static str {
        match self {
            TeamExport::Cases => "Les cas",
            TeamExport::Decisions => "L'historique des décisions",
            TeamExport::Deployments => "Les déploiements",
            TeamExport::Reports => "Les relevés d'usage",
            TeamExport::Indicators => "Les indicateurs du programme",
        }
    }
}

/// A table's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// `;`-separated, UTF-8 with BOM.
    Csv,
    /// OpenDocument spreadsheet (LibreOffice; the format the RGI asks administrations to exchange in).
    Ods,
    /// Office Open XML (Excel).
    Xlsx,
}

impl SheetFormat {
    pub const ALL: [SheetFormat; 3] = [SheetFormat::Csv, SheetFormat::Ods, SheetFormat::Xlsx];

    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Csv => "csv",
            SheetFormat::Ods => "ods",
            SheetFormat::Xlsx => "xlsx",
        }
    }

    /// The name a person knows it by.
    pub fn label(self) -> &'static str {
        match self {
            SheetFormat::Csv => "CSV",
            SheetFormat::Ods => "ODS",
            SheetFormat::Xlsx => "XLSX",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            SheetFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The address of a table in a format (`/equipe/export/releves.xlsx`).
pub fn team_export(export: TeamExport, format: SheetFormat) -> String {
    format!("/equipe/export/{}.{}", export.stem(), format.extension())
}

/// The table and format a file name asks for (`releves.xlsx`); none for any other name.
pub fn parse_team_export(file: &str) -> Option<(TeamExport, SheetFormat)> {
    let (stem, extension) = file.rsplit_once('.')?;
    let export = TeamExport::ALL.into_iter().find(|export| export.stem() == stem)?;
    let format = SheetFormat::ALL
        .into_iter()
        .find(|format| format.extension() == extension)?;
    Some((export, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_reads_back_as_its_table_and_format() {
        for export in TeamExport::ALL {
            for format in SheetFormat::ALL {
                let url = team_export(export, format);
                let file = url.rsplit('/').next().unwrap_or_default();
                assert_eq!(parse_team_export(file), Some((export, format)), "{url}");
            }
        }
        assert_eq!(
            team_export(TeamExport::Cases, SheetFormat::Csv),
            super::super::axum_paths::CASES_EXPORT
        );
        for unknown in ["cas", "cas.pdf", "personne.json", "../cas.csv", "cas.csv.ods"] {
            assert_eq!(parse_team_export(unknown), None, "{unknown}");
        }
    }
}
