//! A strict CSV reader (RFC 4180) for files published by others: commas between fields, double quotes around
//! a field that holds a comma, a quote or a line break (a bare LF inside quotes is legal), `""` for a quote.
//! A file that breaks the format is refused with the line and column of the first fault, in French, rather
//! than read as something its authors did not write.

/// Where and why a file is not CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// 1-based line of the file.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
    pub reason: String,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {}, colonne {} : {}", self.line, self.column, self.reason)
    }
}

/// One record and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    Start,
    /// Inside a field without quotes.
    Plain,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: the end of the field, or the first of `""`.
    QuoteInQuoted,
}

/// Every record of `text` (a byte-order mark is skipped; CRLF and LF both end a record; an empty last line
/// is not a record). Every record must have as many fields as the first.
pub fn read(text: &str) -> Result<Vec<Row>, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Row> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut state = State::Start;
    let (mut line, mut column) = (1usize, 0usize);
    let mut record_line = 1usize;
    let mut opened_at = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let fault = |line: usize, column: usize, reason: &str| FormatError {
        line,
        column,
        reason: reason.to_string(),
    };
    while let Some(c) = chars.next() {
        column += 1;
        match (state, c) {
            (State::Quoted, '"') => state = State::QuoteInQuoted,
            (State::Quoted, '\n') => {
                field.push('\n');
                line += 1;
                column = 0;
            }
            (State::Quoted, c) => field.push(c),
            (State::QuoteInQuoted, '"') => {
                field.push('"');
                state = State::Quoted;
            }
            (State::Start, '"') => {
                state = State::Quoted;
                opened_at = (line, column);
            }
            (State::Plain, '"') => {
                return Err(fault(
                    line,
                    column,
                    "guillemet au milieu d'un champ sans guillemets (le champ entier doit être entre guillemets)",
                ))
            }
            (State::Start | State::Plain | State::QuoteInQuoted, ',') => {
                fields.push(std::mem::take(&mut field));
                state = State::Start;
            }
            (State::Start | State::Plain | State::QuoteInQuoted, '\r' | '\n') => {
                if c == '\r' {
                    if chars.peek() != Some(&'\n') {
                        return Err(fault(
                            line,
                            column,
                            "retour chariot seul hors d'un champ entre guillemets",
                        ));
                    }
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                end_record(&mut rows, std::mem::take(&mut fields), record_line, line)?;
                line += 1;
                column = 0;
                record_line = line;
                state = State::Start;
            }
            (State::QuoteInQuoted, _) => {
                return Err(fault(
                    line,
                    column,
                    "caractère après le guillemet fermant un champ (attendu : une virgule ou une fin de ligne)",
                ))
            }
            (State::Start | State::Plain, c) => {
                field.push(c);
                state = State::Plain;
            }
        }
    }
    if state == State::Quoted {
        return Err(fault(
            opened_at.0,
            opened_at.1,
            "guillemet ouvrant jamais refermé avant la fin du fichier",
        ));
    }
    if state != State::Start || !fields.is_empty() {
        fields.push(field);
        end_record(&mut rows, fields, record_line, line)?;
    }
    Ok(rows)
}

/// Adds a record, unless it is an empty line; refuses one whose number of fields differs from the first's.
fn end_record(rows: &mut Vec<Row>, fields: Vec<String>, record_line: usize, line: usize) -> Result<(), FormatError> {
    if fields.len() == 1 && fields[0].is_empty() {
        return Ok(());
    }
    if let Some(first) = rows.first() {
        if fields.len() != first.fields.len() {
            return Err(FormatError {
                line,
                column: 1,
                reason: format!(
                    "l'enregistrement commencé ligne {record_line} a {} champs, l'en-tête en a {}",
                    fields.len(),
                    first.fields.len()
                ),
            });
        }
    }
    rows.push(Row {
        line: record_line,
        fields,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        read(text).unwrap().into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "\u{feff}a,b,c\r\n1,\"deux, \"\"2\"\"\",\"trois\nlignes\r\nici\"\n4,,\n";
        assert_eq!(
            fields(text),
            vec![
                vec!["a", "b", "c"],
                vec!["1", "deux, \"2\"", "trois\nlignes\r\nici"],
                vec!["4", "", ""],
            ]
        );
        let rows = read(text).unwrap();
        assert_eq!((rows[1].line, rows[2].line), (2, 5));
    }

    #[test]
    fn a_file_without_a_last_line_break_keeps_its_last_record() {
        assert_eq!(fields("a,b\n1,2"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(fields("a,b\n1,\"2\""), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(fields(""), Vec::<Vec<String>>::new());
    }

    #[test]
    fn faults_are_refused_with_their_line_and_column() {
        let error = read("a,b\n1,x\"y\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4));
        assert!(error.reason.contains("guillemet"), "{error}");
        let error = read("a,b\n1,\"ouvert\n\n2,3\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 3));
        assert!(
            error.to_string().starts_with("ligne 2, colonne 3 : guillemet ouvrant"),
            "{error}"
        );
        let error = read("a,b\n\"1\"x,2\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4));
        let error = read("a,b\n1,2,3\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.reason.contains("3 champs, l'en-tête en a 2"), "{error}");
        let error = read("a,b\r1,2\n").unwrap_err();
        assert_eq!((error.line, error.column), (1, 4));
    }
}
