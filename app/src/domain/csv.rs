//! CSV for the team's exports, as French spreadsheet software opens it: UTF-8 with a byte-order mark, `;`
//! between fields, quotes where needed, and cells that a spreadsheet would run as a formula defused.

/// The byte-order mark that makes spreadsheet software read UTF-8.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when it holds a separator, a quote or a line break; a leading `=`, `+`, `-`, `@`, tab or
/// carriage return gets a `'` so that no cell becomes a formula (CSV injection).
pub fn field(value: &str) -> String {
    field_with(value, ';')
}

/// One field for a file whose separator is `separator`.
pub fn field_with(value: &str, separator: char) -> String {
    let defused = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if defused.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// One line, ended by CRLF.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    line_with(fields, ';')
}

/// One line of a file whose separator is `separator` (`,` for the registers that read RFC 4180), ended by CRLF.
pub fn line_with<S: AsRef<str>>(fields: &[S], separator: char) -> String {
    let mut out = fields
        .iter()
        .map(|f| field_with(f.as_ref(), separator))
        .collect::<Vec<_>>()
        .join(&separator.to_string());
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert_eq!(
            line(&["IAF-2026-00001", "Métropole de Lyon", "12"]),
            "IAF-2026-00001;Métropole de Lyon;12\r\n"
        );
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("dit \"oui\""), "\"dit \"\"oui\"\"\"");
        assert_eq!(field("deux\nlignes"), "\"deux\nlignes\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+33 1 23"), "'+33 1 23");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-5"), "'-5");
    }
}
