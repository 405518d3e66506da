//! The rules of the documents (pièces jointes) a collectivité or the team sends: the limits, the accepted types
//! checked by content and not by name, the cleaned file name, the virus scan's status and how a file is served.

/// At most 20 MB a file.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// At most 20 files a case (the wizard's and the messages' together).
pub const MAX_FILES_PER_CASE: usize = 20;
/// How many first bytes the type check reads (enough for the zip entries of office documents).
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Why a document was sent: the three pieces step 5 of the wizard asks for, or an attachment of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DocumentKind {
    #[serde(rename = "deliberation")]
    Deliberation,
    #[serde(rename = "note-cadrage")]
    NoteCadrage,
    #[serde(rename = "exemple-donnees")]
    ExempleDonnees,
    #[serde(rename = "message")]
    Message,
}

impl DocumentKind {
    pub const WIZARD: [DocumentKind; 3] = [
        DocumentKind::Deliberation,
        DocumentKind::NoteCadrage,
        DocumentKind::ExempleDonnees,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Deliberation => "deliberation",
            DocumentKind::NoteCadrage => "note-cadrage",
            DocumentKind::ExempleDonnees => "exemple-donnees",
            DocumentKind::Message => "message",
        }
    }

    pub fn parse(code: &str) -> Option<DocumentKind> {
        [DocumentKind::Message]
            .into_iter()
            .chain(DocumentKind::WIZARD)
            .find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Deliberation => "Délibération",
            DocumentKind::NoteCadrage => "Note de cadrage interne",
            DocumentKind::ExempleDonnees => "Exemple de données",
            DocumentKind::Message => "Pièce jointe d'un message",
        }
    }
}

/// The accepted types, each known by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Odt,
    Ods,
    Odp,
    Docx,
    Xlsx,
    Pptx,
    Csv,
    Txt,
    Png,
    Jpeg,
}

impl FileType {
    pub const ALL: [FileType; 11] = [
        FileType::Pdf,
        FileType::Odt,
        FileType::Ods,
        FileType::Odp,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Pptx,
        FileType::Csv,
        FileType::Txt,
        FileType::Png,
        FileType::Jpeg,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Odp => "application/vnd.oasis.opendocument.presentation",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileType::Csv => "text/csv",
            FileType::Txt => "text/plain",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    pub fn of_media_type(media_type: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.media_type() == media_type)
    }

    /// The extensions a file of this type may have.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Odt => &["odt"],
            FileType::Ods => &["ods"],
            FileType::Odp => &["odp"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Pptx => &["pptx"],
            FileType::Csv => &["csv"],
            FileType::Txt => &["txt"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Odt => "ODT",
            FileType::Ods => "ODS",
            FileType::Odp => "ODP",
            FileType::Docx => "DOCX",
            FileType::Xlsx => "XLSX",
            FileType::Pptx => "PPTX",
            FileType::Csv => "CSV",
            FileType::Txt => "TXT",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
        }
    }
}

/// The accepted types, as a sentence for forms and errors.
pub fn accepted_types_sentence() -> String {
    FileType::ALL.map(FileType::label).join(", ")
}

/// Why a file was refused; each says, in French, which file and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge {
        name: String,
    },
    NotAccepted {
        name: String,
    },
    Mismatch {
        name: String,
        detected: String,
    },
    Empty {
        name: String,
    },
    TooMany {
        name: String,
    },
    Infected {
        name: String,
    },
    /// Past `MAX_DRAFT_BYTES` for the draft (answered 413), or past the quota of all unfiled drafts (507).
    DraftFull {
        name: String,
    },
    DraftsQuota {
        name: String,
    },
}

/// The most a draft may hold before it is filed: 50 MB (audit finding 1).
pub const MAX_DRAFT_BYTES: i64 = 50 * 1024 * 1024;

impl Refusal {
    /// A short code, to carry the refusal through a redirect (`refus=<code>`, without the file's name).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooLarge { .. } => "taille",
            Refusal::NotAccepted { .. } => "type",
            Refusal::Mismatch { .. } => "contenu",
            Refusal::Empty { .. } => "vide",
            Refusal::TooMany { .. } => "nombre",
            Refusal::Infected { .. } => "virus",
            Refusal::DraftFull { .. } => "quota",
            Refusal::DraftsQuota { .. } => "saturation",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Refusal::TooLarge { name }
            | Refusal::NotAccepted { name }
            | Refusal::Mismatch { name, .. }
            | Refusal::Empty { name }
            | Refusal::TooMany { name }
            | Refusal::Infected { name }
            | Refusal::DraftFull { name }
            | Refusal::DraftsQuota { name } => name,
        }
    }

    /// Every code a redirect may carry (`refus=<code>`), in the order the page lists them.
    pub const CODES: [&'static str; 8] = [
        "taille",
        "type",
        "contenu",
        "vide",
        "nombre",
        "virus",
        "quota",
        "saturation",
    ];

    /// The notice for `count` files refused for the reason `code`, or None for a code that is not one: a
    /// redirect carries the code alone, never a file name nor any text, so a crafted address cannot make the
    /// page say anything of its own.
    pub fn summary(code: &str, count: usize) -> Option<String> {
        let (one, many) = match code {
            "taille" => (
                "Un fichier n'a pas été ajouté : il dépasse 20 Mo",
                "fichiers n'ont pas été ajoutés : ils dépassent 20 Mo",
            ),
            "type" => (
                "Un fichier n'a pas été ajouté : son type n'est pas accepté",
                "fichiers n'ont pas été ajoutés : leur type n'est pas accepté",
            ),
            "contenu" => (
                "Un fichier n'a pas été ajouté : son contenu ne correspond pas à son extension",
                "fichiers n'ont pas été ajoutés : leur contenu ne correspond pas à leur extension",
            ),
            "vide" => (
                "Un fichier n'a pas été ajouté : il est vide",
                "fichiers n'ont pas été ajoutés : ils sont vides",
            ),
            "nombre" => (
                "Un fichier n'a pas été ajouté : le dossier a atteint sa limite de fichiers",
                "fichiers n'ont pas été ajoutés : le dossier a atteint sa limite de fichiers",
            ),
            "virus" => (
                "Un fichier a été bloqué par l'antivirus et mis en quarantaine",
                "fichiers ont été bloqués par l'antivirus et mis en quarantaine",
            ),
            "quota" => (
                "Un fichier n'a pas été ajouté : le brouillon dépasserait 50 Mo",
                "fichiers n'ont pas été ajoutés : le brouillon dépasserait 50 Mo",
            ),
            "saturation" => (
                "Un fichier n'a pas été ajouté : l'espace réservé aux brouillons est plein",
                "fichiers n'ont pas été ajoutés : l'espace réservé aux brouillons est plein",
            ),
            _ => return None,
        };
        let remedy = match code {
            "taille" => {
                "réduisez-le (export PDF compressé, extrait des données) puis envoyez-le à nouveau.".to_string()
            }
            "type" => format!("types acceptés : {}.", accepted_types_sentence()),
            "contenu" => "envoyez le fichier d'origine.".to_string(),
            "vide" => "choisissez un autre fichier.".to_string(),
            "nombre" => format!(
                "un dossier compte au plus {MAX_FILES_PER_CASE} fichiers ; retirez-en un avant d'en ajouter un autre."
            ),
            "quota" => "retirez un document ou envoyez une version plus légère, puis déposez le dossier.".to_string(),
            "saturation" => "réessayez plus tard ou écrivez à l'équipe du programme.".to_string(),
            _ => "vérifiez votre poste puis envoyez une copie saine.".to_string(),
        };
        Some(match count {
            0 | 1 => format!("{one} ; {remedy}"),
            n => format!("{n} {many} ; {remedy}"),
        })
    }

    /// The notices of the codes a redirect carried, one per known code with its count; unknown codes are
    /// dropped.
    pub fn summaries(codes: &[String]) -> Vec<String> {
        Self::CODES
            .iter()
            .filter_map(|code| {
                let count = codes.iter().filter(|c| c.as_str() == *code).count();
                (count > 0).then(|| Self::summary(code, count)).flatten()
            })
            .collect()
    }

    pub fn message(&self) -> String {
        let name = self.name();
        match self {
            Refusal::TooLarge { .. } => {
                format!("« {name} » dépasse 20 Mo : réduisez-le (export PDF compressé, extrait des données) puis envoyez-le à nouveau.")
            }
            Refusal::NotAccepted { .. } => format!(
                "« {name} » n'est pas d'un type accepté. Types acceptés : {}.",
                accepted_types_sentence()
            ),
            Refusal::Mismatch { detected, .. } if !detected.is_empty() => format!(
                "Le contenu de « {name} » ne correspond pas à son extension (contenu reconnu : {detected}). Envoyez le fichier d'origine."
            ),
            Refusal::Mismatch { .. } => format!(
                "Le contenu de « {name} » ne correspond pas à son extension. Envoyez le fichier d'origine."
            ),
            Refusal::Empty { .. } => format!("« {name} » est vide : choisissez un autre fichier."),
            Refusal::TooMany { .. } => format!(
                "« {name} » n'a pas été ajouté : un dossier compte au plus {MAX_FILES_PER_CASE} fichiers. Retirez-en un avant d'en ajouter un autre."
            ),
            Refusal::Infected { .. } => format!(
                "« {name} » a été bloqué par l'antivirus et mis en quarantaine : il ne sera pas transmis. Vérifiez votre poste puis envoyez une copie saine."
            ),
            Refusal::DraftFull { .. } => format!(
                "« {name} » n'a pas été ajouté : avant le dépôt, un dossier compte au plus {} Mo de pièces. Retirez une pièce ou envoyez une version plus légère.",
                MAX_DRAFT_BYTES / (1024 * 1024)
            ),
            Refusal::DraftsQuota { .. } => format!(
                "« {name} » n'a pas été ajouté : l'espace réservé aux dossiers en préparation est plein. Déposez votre dossier sans cette pièce puis envoyez-la depuis la page de suivi, ou réessayez plus tard."
            ),
        }
    }
}

/// A file name fit to show and to send back: its last path part, without control characters, quotes or
/// separators, without the format controls that would show it as another name (bidirectional overrides,
/// zero-width characters), at most 120 characters with its extension kept; `piece` when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !crate::domain::text::is_format_control(*c))
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|' | ';') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = kept.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        return "piece".into();
    }
    if trimmed.chars().count() <= 120 {
        return trimmed.to_string();
    }
    let (stem, extension) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 8 => (stem, format!(".{ext}")),
        _ => (trimmed, String::new()),
    };
    let room = 120 - extension.chars().count();
    format!("{}{extension}", stem.chars().take(room).collect::<String>())
}

/// The lower-case extension of a file name, empty when none. ASCII letters only are lowered: every accepted
/// extension is ASCII, and the browser's check before sending (`pages::messages::live`) carries no Unicode tables.
pub fn extension_of(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Whether these first bytes are text (UTF-8 or Latin-1 without control characters other than tabs and line
/// breaks): CSV and TXT files have no signature of their own.
pub fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let text_byte = |b: &u8| !b.is_ascii_control() || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c);
    if !head.iter().all(text_byte) {
        return false;
    }
    // UTF-8, or Latin-1 / Windows-1252 (spreadsheet exports): both are text once controls are excluded.
    true
}

/// The type of a file from its first bytes as `infer` reads them (`detected`, a media type, or None) and
/// its name: accepted only when the content is of an accepted type and the name's extension is one of it.
pub fn check_type(name: &str, detected: Option<&str>, head: &[u8]) -> Result<FileType, Refusal> {
    let name = name.to_string();
    if head.is_empty() {
        return Err(Refusal::Empty { name });
    }
    let extension = extension_of(&name);
    let content = match detected {
        Some(media_type) => match FileType::of_media_type(media_type) {
            Some(file_type) => file_type,
            None => {
                let detected = describe_media_type(media_type);
                return Err(
                    if FileType::ALL
                        .iter()
                        .any(|t| t.extensions().contains(&extension.as_str()))
                    {
                        Refusal::Mismatch { name, detected }
                    } else {
                        Refusal::NotAccepted { name }
                    },
                );
            }
        },
        None if looks_like_text(head) => {
            if extension == "csv" {
                FileType::Csv
            } else {
                FileType::Txt
            }
        }
        None => {
            return Err(
                if FileType::ALL
                    .iter()
                    .any(|t| t.extensions().contains(&extension.as_str()))
                {
                    Refusal::Mismatch {
                        name,
                        detected: "inconnu".into(),
                    }
                } else {
                    Refusal::NotAccepted { name }
                },
            )
        }
    };
    if content.extensions().contains(&extension.as_str()) {
        Ok(content)
    } else if FileType::ALL
        .iter()
        .any(|t| t.extensions().contains(&extension.as_str()))
    {
        Err(Refusal::Mismatch {
            name,
            detected: content.label().into(),
        })
    } else {
        Err(Refusal::NotAccepted { name })
    }
}

/// A detected media type in words, for the refusal.
fn describe_media_type(media_type: &str) -> String {
    match media_type {
        "application/x-executable"
        | "application/x-sharedlib"
        | "application/vnd.microsoft.portable-executable"
        | "application/x-mach-binary"
        | "application/x-msdownload" => "programme exécutable".into(),
        "application/zip" => "archive ZIP".into(),
        "text/html" => "page HTML".into(),
        other => other.to_string(),
    }
}

/// Where a document stands with the antivirus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ScanStatus {
    /// Waiting for clamd: not downloadable yet.
    #[serde(rename = "en-analyse")]
    Pending,
    #[serde(rename = "sain")]
    Clean,
    /// Quarantined: never served.
    #[serde(rename = "infecte")]
    Infected,
    /// No antivirus configured (the embedded run).
    #[serde(rename = "non-analyse")]
    NotScanned,
    /// Failed on `MAX_SCAN_ATTEMPTS` times: never served nor retried (stored "en-analyse", migration 0015).
    #[serde(rename = "a-verifier")]
    SetAside,
}

/// How many times the antivirus may fail on a file before it is set aside.
pub const MAX_SCAN_ATTEMPTS: i64 = 5;

impl ScanStatus {
    /// The status of a stored file, from its stored status and how many times the antivirus failed on it.
    pub fn with_attempts(self, attempts: i64) -> ScanStatus {
        if self == ScanStatus::Pending && attempts >= MAX_SCAN_ATTEMPTS {
            ScanStatus::SetAside
        } else {
            self
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ScanStatus::Pending => "en-analyse",
            ScanStatus::Clean => "sain",
            ScanStatus::Infected => "infecte",
            ScanStatus::NotScanned => "non-analyse",
            ScanStatus::SetAside => "a-verifier",
        }
    }

    pub fn parse(code: &str) -> Option<ScanStatus> {
        [
            ScanStatus::Pending,
            ScanStatus::Clean,
            ScanStatus::Infected,
            ScanStatus::NotScanned,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }

    /// Whether the file may be downloaded.
    pub fn downloadable(self) -> bool {
        matches!(self, ScanStatus::Clean | ScanStatus::NotScanned)
    }

    pub fn label(self) -> &'static str {
        match self {
            ScanStatus::Pending => "en cours d'analyse antivirus",
            ScanStatus::Clean => "analysé, sain",
            ScanStatus::Infected => "bloqué par l'antivirus (quarantaine)",
            ScanStatus::NotScanned => "non analysé par un antivirus",
            ScanStatus::SetAside => "à vérifier : l'antivirus n'a pas pu l'analyser",
        }
    }
}

/// What clamd answered to a scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanVerdict {
    Clean,
    /// The signature found.
    Infected(String),
    /// Over the scan limits (`Heuristics.Limits.Exceeded…`): never clean, blocked like an infected file.
    LimitsExceeded(String),
    /// An error or an answer not understood: the file stays waiting and is scanned again later.
    Unreadable(String),
}

/// What clamd's answer to a scan means: clean, or the signature found.
pub fn read_scan_answer(answer: &str) -> ScanVerdict {
    let answer = answer.trim_end_matches('\0').trim();
    if let Some(found) = answer.strip_suffix(" FOUND") {
        let signature = found.rsplit(": ").next().unwrap_or(found);
        if signature.starts_with("Heuristics.Limits.Exceeded") {
            return ScanVerdict::LimitsExceeded(signature.to_string());
        }
        return ScanVerdict::Infected(signature.to_string());
    }
    if answer.ends_with(": OK") || answer == "OK" {
        return ScanVerdict::Clean;
    }
    ScanVerdict::Unreadable(answer.chars().take(200).collect())
}

/// The `Content-Disposition` of a download: always an attachment, with an ASCII fallback name and the exact
/// name encoded (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        super::text::encode_component(name)
    )
}

/// A size in French (octets, Ko, Mo).
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} octets")
    } else if bytes < 1024 * 1024 {
        format!("{} Ko", (bytes + 512) / 1024)
    } else {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_name_on_executable_content_is_refused_as_a_mismatch() {
        let refusal = check_type("deliberation.pdf", Some("application/x-executable"), b"\x7fELF\x02").unwrap_err();
        assert_eq!(refusal.code(), "contenu");
        assert!(
            refusal.message().contains("programme exécutable"),
            "{}",
            refusal.message()
        );
    }

    #[test]
    fn an_extension_is_lowered_in_ascii_only() {
        assert_eq!(extension_of("Délibération.PDF"), "pdf");
        assert_eq!(extension_of("photo.JpEg"), "jpeg");
        assert_eq!(extension_of(".pdf"), "", "a hidden file's name is not an extension");
        // The Kelvin sign lowers to "k" in Unicode: no accepted extension may be reached that way.
        assert_eq!(extension_of("note.\u{212A}"), "\u{212A}");
    }

    #[test]
    fn a_real_pdf_with_its_extension_is_accepted_and_a_renamed_one_is_not() {
        assert_eq!(
            check_type("a.PDF", Some("application/pdf"), b"%PDF-1.7"),
            Ok(FileType::Pdf)
        );
        assert_eq!(
            check_type("a.docx", Some("application/pdf"), b"%PDF-1.7")
                .unwrap_err()
                .code(),
            "contenu"
        );
    }

    #[test]
    fn text_without_signature_is_csv_or_txt_by_its_extension_and_binary_is_refused() {
        assert_eq!(check_type("x.csv", None, b"a;b\n1;2\n"), Ok(FileType::Csv));
        assert_eq!(check_type("x.txt", None, "é à\n".as_bytes()), Ok(FileType::Txt));
        assert_eq!(check_type("x.csv", None, b"a\0b").unwrap_err().code(), "contenu");
        assert_eq!(
            check_type("x.exe", Some("application/x-msdownload"), b"MZ")
                .unwrap_err()
                .code(),
            "type"
        );
        assert_eq!(check_type("x.html", None, b"<html>").unwrap_err().code(), "type");
        assert_eq!(check_type("x.pdf", None, b"").unwrap_err().code(), "vide");
    }

    #[test]
    fn file_names_lose_paths_controls_and_excess_but_keep_their_extension() {
        assert_eq!(
            clean_file_name("C:\\Users\\x\\Délibération n°12.pdf"),
            "Délibération n°12.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\r\n.pdf"), "a_b__.pdf");
        assert_eq!(clean_file_name("..."), "piece");
        // Read backwards on screen, « rapport\u{202E}txt.pdf » shows as « rapportfdp.txt ».
        assert_eq!(clean_file_name("rapport\u{202E}txt.pdf"), "rapporttxt.pdf");
        assert_eq!(clean_file_name("\u{2067}note\u{200B}\u{FEFF}.csv\u{2069}"), "note.csv");
        let long = format!("{}.xlsx", "x".repeat(300));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), 120);
        assert!(cleaned.ends_with(".xlsx"));
    }

    #[test]
    fn a_refusal_travels_as_its_code_alone_and_unknown_codes_say_nothing() {
        let refusal = Refusal::TooLarge {
            name: "gros.pdf".into(),
        };
        assert!(Refusal::CODES.contains(&refusal.code()));
        let codes: Vec<String> = vec!["taille".into(), "taille".into(), "Votre compte est suspendu".into()];
        let shown = Refusal::summaries(&codes);
        assert_eq!(shown.len(), 1);
        assert!(shown[0].starts_with("2 fichiers n'ont pas été ajoutés : ils dépassent 20 Mo"));
        assert!(Refusal::summary("virus", 1).is_some_and(|s| s.starts_with("Un fichier a été bloqué")));
        assert_eq!(Refusal::summary("inconnu", 1), None);
    }

    #[test]
    fn clamd_answers_read_as_clean_or_the_signature_found() {
        assert_eq!(read_scan_answer("stream: OK\0"), ScanVerdict::Clean);
        assert_eq!(
            read_scan_answer("stream: Eicar-Test-Signature.UNOFFICIAL FOUND\0"),
            ScanVerdict::Infected("Eicar-Test-Signature.UNOFFICIAL".into())
        );
        assert_eq!(
            read_scan_answer("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND\0"),
            ScanVerdict::LimitsExceeded("Heuristics.Limits.Exceeded.MaxFileSize".into())
        );
        assert!(matches!(
            read_scan_answer("INSTREAM size limit exceeded. ERROR"),
            ScanVerdict::Unreadable(_)
        ));
    }

    #[test]
    fn only_clean_or_unscanned_files_are_served() {
        assert!(ScanStatus::Clean.downloadable() && ScanStatus::NotScanned.downloadable());
        assert!(!ScanStatus::Pending.downloadable() && !ScanStatus::Infected.downloadable());
        assert!(!ScanStatus::SetAside.downloadable());
    }

    #[test]
    fn a_file_the_antivirus_fails_on_five_times_is_set_aside() {
        assert_eq!(
            ScanStatus::Pending.with_attempts(MAX_SCAN_ATTEMPTS - 1),
            ScanStatus::Pending
        );
        assert_eq!(
            ScanStatus::Pending.with_attempts(MAX_SCAN_ATTEMPTS),
            ScanStatus::SetAside
        );
        assert_eq!(ScanStatus::Clean.with_attempts(MAX_SCAN_ATTEMPTS), ScanStatus::Clean);
        assert_eq!(ScanStatus::parse("a-verifier"), None);
    }

    #[test]
    fn downloads_are_attachments_with_the_exact_name_encoded() {
        let header = content_disposition("Note é.pdf");
        assert!(header.starts_with("attachment; filename=\"Note _.pdf\""), "{header}");
        assert!(header.contains("filename*=UTF-8''Note%20%C3%A9.pdf"), "{header}");
        assert_eq!(size_label(2_500_000), "2,4 Mo");
    }
}
