//! The team's tables written alike as CSV, OpenDocument spreadsheet (`spreadsheet-ods`) and Office Open XML
//! (`rust_xlsxwriter`): one model of typed cells, so that numbers stay numbers and dates dates in every
//! spreadsheet, with the header row frozen and in bold.

use app::domain::csv;
use app::domain::dates::{civil_from_days, format_paris, format_paris_date, paris_offset_seconds};
use app::routes::SheetFormat;

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    Decimal(f64),
    /// A day, from an instant (unix seconds) read in Paris time.
    Date(i64),
    /// An instant (unix seconds), read in Paris time to the minute.
    DateTime(i64),
    /// A month (year, 1–12), shown `mm/aaaa` (`aaaa-mm` in CSV).
    Month(i64, u32),
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// A number that may be missing.
    pub fn integer_or_empty(value: Option<i64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Integer)
    }

    /// The cell as CSV writes it: the same words as the pages (« 28 novembre 2026 »).
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Integer(value) => value.to_string(),
            Cell::Decimal(value) => format!("{value:.1}"),
            Cell::Date(at) => format_paris_date(*at),
            Cell::DateTime(at) => format_paris(*at),
            Cell::Month(year, month) => format!("{year:04}-{month:02}"),
            Cell::Empty => String::new(),
        }
    }
}

/// A table with its sheet name and its header row.
#[derive(Clone, Debug)]
pub struct Table {
    /// The sheet's name (31 characters at most, no `[]:*?/\`).
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The Paris calendar day and time of an instant: (year, month, day, hour, minute).
fn paris_parts(at: i64) -> (i64, u32, u32, u32, u32) {
    let local = at + paris_offset_seconds(at);
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    (
        year,
        month,
        day,
        (seconds / 3_600) as u32,
        ((seconds % 3_600) / 60) as u32,
    )
}

/// The table in `format`.
pub fn write(table: &Table, format: SheetFormat) -> Result<Vec<u8>, String> {
    match format {
        SheetFormat::Csv => Ok(write_csv(table).into_bytes()),
        SheetFormat::Ods => write_ods(table),
        SheetFormat::Xlsx => write_xlsx(table),
    }
}

/// `;`-separated, UTF-8 with BOM, CRLF: what a French spreadsheet opens without asking.
pub fn write_csv(table: &Table) -> String {
    let mut body = String::from(csv::BOM);
    body.push_str(&csv::line(&table.header));
    for row in &table.rows {
        let fields: Vec<String> = row.iter().map(Cell::csv).collect();
        body.push_str(&csv::line(&fields));
    }
    body
}

/// An ODS cell style showing a date the French way: `jj/mm/aaaa`, with ` hh:mm` when `with_time`, `mm/aaaa`
/// without `with_day`.
fn ods_date_style(
    book: &mut spreadsheet_ods::WorkBook,
    name: &str,
    with_day: bool,
    with_time: bool,
) -> spreadsheet_ods::CellStyleRef {
    use spreadsheet_ods::format::ValueFormatDateTime;
    use spreadsheet_ods::style::CellStyle;
    let mut format = ValueFormatDateTime::new_named(format!("{name}_fr"));
    if with_day {
        format.part_day().long_style().build();
        format.part_text("/").build();
    }
    format.part_month().long_style().build();
    format.part_text("/").build();
    format.part_year().long_style().build();
    if with_time {
        format.part_text(" ").build();
        format.part_hours().long_style().build();
        format.part_text(":").build();
        format.part_minutes().long_style().build();
    }
    let format = book.add_datetime_format(format);
    book.add_cellstyle(CellStyle::new(name, &format))
}

fn write_ods(table: &Table) -> Result<Vec<u8>, String> {
    use chrono::NaiveDate;
    use spreadsheet_ods::style::CellStyle;
    use spreadsheet_ods::{Sheet, WorkBook};
    let mut book = WorkBook::new_empty();
    let mut header_style = CellStyle::new_empty();
    header_style.set_font_bold();
    let header_style = book.add_cellstyle(header_style);
    let date_style = ods_date_style(&mut book, "date", true, false);
    let datetime_style = ods_date_style(&mut book, "date_heure", true, true);
    let month_style = ods_date_style(&mut book, "mois", false, false);
    let day = |year: i64, month: u32, day: u32| {
        i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
            .ok_or_else(|| format!("date hors limites : {year}-{month}-{day}"))
    };
    let mut sheet = Sheet::new(table.name);
    for (col, title) in table.header.iter().enumerate() {
        sheet.set_styled_value(0, col as u32, *title, &header_style);
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_number = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u32;
            match cell {
                Cell::Text(text) => sheet.set_value(row_number, col, text.as_str()),
                Cell::Integer(value) => sheet.set_value(row_number, col, *value as f64),
                Cell::Decimal(value) => sheet.set_value(row_number, col, *value),
                Cell::Date(at) => {
                    let (year, month, d, _, _) = paris_parts(*at);
                    sheet.set_styled_value(row_number, col, day(year, month, d)?, &date_style);
                }
                Cell::DateTime(at) => {
                    let (year, month, d, hour, minute) = paris_parts(*at);
                    let instant = day(year, month, d)?
                        .and_hms_opt(hour, minute, 0)
                        .ok_or_else(|| "heure hors limites".to_string())?;
                    sheet.set_styled_value(row_number, col, instant, &datetime_style);
                }
                Cell::Month(year, month) => {
                    sheet.set_styled_value(row_number, col, day(*year, *month, 1)?, &month_style)
                }
                Cell::Empty => {}
            }
        }
    }
    // The header row stays in view while scrolling.
    sheet.split_row_header(0);
    book.push_sheet(sheet);
    spreadsheet_ods::write_ods_buf(&mut book, Vec::new()).map_err(|error| error.to_string())
}

fn write_xlsx(table: &Table) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let failed = |error: rust_xlsxwriter::XlsxError| error.to_string();
    let mut book = Workbook::new();
    let header_format = Format::new().set_bold();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let datetime_format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let month_format = Format::new().set_num_format("mm/yyyy");
    let day = |year: i64, month: u32, day: u32| {
        let year = u16::try_from(year).map_err(|_| format!("année hors limites : {year}"))?;
        ExcelDateTime::from_ymd(year, month as u8, day as u8).map_err(failed)
    };
    let sheet = book.add_worksheet();
    sheet.set_name(table.name).map_err(failed)?;
    for (col, title) in table.header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &header_format)
            .map_err(failed)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_number = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => sheet.write_string(row_number, col, text.as_str()),
                Cell::Integer(value) => sheet.write_number(row_number, col, *value as f64),
                Cell::Decimal(value) => sheet.write_number(row_number, col, *value),
                Cell::Date(at) => {
                    let (year, month, d, _, _) = paris_parts(*at);
                    sheet.write_datetime_with_format(row_number, col, &day(year, month, d)?, &date_format)
                }
                Cell::DateTime(at) => {
                    let (year, month, d, hour, minute) = paris_parts(*at);
                    let instant = day(year, month, d)?
                        .and_hms(hour as u16, minute as u8, 0)
                        .map_err(failed)?;
                    sheet.write_datetime_with_format(row_number, col, &instant, &datetime_format)
                }
                Cell::Month(year, month) => {
                    sheet.write_datetime_with_format(row_number, col, &day(*year, *month, 1)?, &month_format)
                }
                Cell::Empty => continue,
            }
            .map_err(failed)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Essai",
            header: vec!["titre", "agents", "part", "depose_le", "mois"],
            rows: vec![vec![
                Cell::text("Tri « courriers »; 2"),
                Cell::Integer(42),
                Cell::Decimal(12.5),
                // 2026-03-29 23:30 UTC is the 30th in Paris (summer time).
                Cell::Date(1_774_827_000),
                Cell::Month(2027, 3),
            ]],
        }
    }

    #[test]
    fn csv_keeps_the_words_of_the_pages() {
        let csv = write_csv(&table());
        assert!(csv.starts_with(csv::BOM));
        assert!(csv.contains("titre;agents;part;depose_le;mois\r\n"), "{csv}");
        assert!(
            csv.contains("\"Tri « courriers »; 2\";42;12.5;30 mars 2026;2027-03"),
            "{csv}"
        );
    }

    #[test]
    fn the_spreadsheets_are_zip_packages_of_their_kind() {
        let ods = write(&table(), SheetFormat::Ods).expect("ods");
        assert_eq!(&ods[..2], b"PK");
        assert!(ods
            .windows(46)
            .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet"));
        let xlsx = write(&table(), SheetFormat::Xlsx).expect("xlsx");
        assert_eq!(&xlsx[..2], b"PK");
    }

    /// Writes both spreadsheets to `IAF_SHEETS_DIR` when set, to read them back by hand.
    #[test]
    fn the_spreadsheets_can_be_kept_to_look_at() {
        if let Ok(dir) = std::env::var("IAF_SHEETS_DIR") {
            for format in [SheetFormat::Ods, SheetFormat::Xlsx] {
                let path = format!("{dir}/essai.{}", format.extension());
                std::fs::write(path, write(&table(), format).expect("written")).expect("kept");
            }
        }
    }

    #[test]
    fn a_paris_day_follows_summer_time() {
        assert_eq!(paris_parts(1_774_827_000), (2026, 3, 30, 1, 30));
    }
}
