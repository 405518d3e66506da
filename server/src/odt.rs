//! Writes OpenDocument Text (.odt) by hand, so administrations can open and edit an export in LibreOffice or Word.

use app::domain::text::{escape_markup, push_xml_escaped, xml_allowed};

/// A document to export: its title, the text printed at the top of every page, and its content.
pub struct OdtDocument {
    /// Document title (meta.xml dc:title and the first heading is NOT added automatically).
    pub title: String,
    /// Printed in the header of every page (e.g. "IAF-2026-0003 — document de cadrage, version 3").
    pub running_header: String,
    pub blocks: Vec<OdtBlock>,
}

/// One block of the body, in reading order.
pub enum OdtBlock {
    /// A heading of level 1 to 3 (other levels are clamped).
    Heading { level: u8, text: String },
    /// A paragraph; newlines inside become line breaks.
    Paragraph(String),
    /// A bulleted list, one item a string.
    Bullets(Vec<String>),
    /// A bordered table whose header row repeats on every page; short rows are padded with empty cells.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3""#
);
const BORDER: &str = r#"fo:padding="0.1cm" fo:border="0.5pt solid #000000""#;

/// Serialises the document as a complete .odt file (a ZIP archive, entries stored uncompressed).
pub fn write_odt(document: &OdtDocument) -> Vec<u8> {
    let entries: [(&str, Vec<u8>); 5] = [
        ("mimetype", MIMETYPE.as_bytes().to_vec()),
        ("META-INF/manifest.xml", manifest_xml().into_bytes()),
        ("content.xml", content_xml(document).into_bytes()),
        ("styles.xml", styles_xml(document).into_bytes()),
        ("meta.xml", meta_xml(document).into_bytes()),
    ];
    zip_stored(&entries)
}

/// Escapes text for a text:p or text:h (`escape_markup`'s rules): newlines, tabs and runs of spaces become
/// their ODF elements, a carriage return is dropped (a Windows line end is one line break).
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_space = true;
    for c in text.chars().filter(|&c| xml_allowed(c) && c != '\r') {
        match c {
            '\n' => out.push_str("<text:line-break/>"),
            '\t' => out.push_str("<text:tab/>"),
            ' ' if after_space => out.push_str("<text:s/>"),
            _ => push_xml_escaped(&mut out, c),
        }
        after_space = c == ' ' || c == '\n' || c == '\t';
    }
    out
}

fn manifest_xml() -> String {
    let mut out = format!(
        r#"{XML_DECL}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" {}"#,
        r#"manifest:version="1.3">"#
    );
    out.push_str(&format!(
        r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{MIMETYPE}"/>"#
    ));
    for part in ["content.xml", "styles.xml", "meta.xml"] {
        out.push_str(&format!(
            r#"<manifest:file-entry manifest:full-path="{part}" manifest:media-type="text/xml"/>"#
        ));
    }
    out + "</manifest:manifest>"
}

fn meta_xml(document: &OdtDocument) -> String {
    format!(
        "{XML_DECL}<office:document-meta {NS}><office:meta><dc:title>{}</dc:title>{}",
        escape_markup(&document.title),
        "<dc:language>fr-FR</dc:language></office:meta></office:document-meta>"
    )
}

/// A common paragraph style; `extra` holds further attributes of style:style (may be empty).
fn paragraph_style(name: &str, parent: &str, extra: &str, paragraph: &str, text: &str) -> String {
    format!(
        concat!(
            r#"<style:style style:name="{0}" style:display-name="{1}" style:family="paragraph" "#,
            r#"style:parent-style-name="{2}" {3} style:class="text"><style:paragraph-properties {4}/>"#,
            r#"<style:text-properties {5}/></style:style>"#
        ),
        name,
        name.replace("_20_", " "),
        parent,
        extra,
        paragraph,
        text
    )
}

const STYLES_HEAD: &str = concat!(
    r#"<office:font-face-decls><style:font-face style:name="Arial" svg:font-family="Arial" "#,
    r#"style:font-family-generic="swiss" style:font-pitch="variable"/></office:font-face-decls><office:styles>"#,
    r#"<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/>"#,
    r#"<style:text-properties style:font-name="Arial" fo:font-size="11pt" fo:language="fr" fo:country="FR"/>"#,
    r#"</style:default-style><style:style style:name="Standard" style:family="paragraph" style:class="text">"#,
    r#"<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="115%"/>"#,
    r#"</style:style>"#
);

const STYLES_TAIL: &str = concat!(
    r#"<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•">"#,
    r#"<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">"#,
    r#"<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.64cm" "#,
    r#"fo:text-indent="-0.64cm" fo:margin-left="0.64cm"/></style:list-level-properties>"#,
    r#"</text:list-level-style-bullet></text:list-style></office:styles><office:automatic-styles>"#,
    r#"<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" "#,
    r#"fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" "#,
    r#"fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties "#,
    r#"fo:min-height="0cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style>"#,
    r#"<style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style>"#,
    r#"</style:page-layout></office:automatic-styles><office:master-styles>"#,
    r#"<style:master-page style:name="Standard" style:page-layout-name="A4">"#
);

fn styles_xml(document: &OdtDocument) -> String {
    let mut out = format!("{XML_DECL}<office:document-styles {NS}>{STYLES_HEAD}");
    let keep = r#"fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always""#;
    for (level, size) in [(1, "16pt"), (2, "14pt"), (3, "12pt")] {
        out.push_str(&paragraph_style(
            &format!("Heading_20_{level}"),
            "Standard",
            &format!(r#"style:next-style-name="Standard" style:default-outline-level="{level}""#),
            keep,
            &format!(r#"fo:font-size="{size}" fo:font-weight="bold""#),
        ));
    }
    let (centered, small, cell) = (
        r#"fo:text-align="center""#,
        r#"fo:font-size="9pt""#,
        r#"fo:margin-bottom="0cm""#,
    );
    for (name, parent, paragraph, text) in [
        ("Header", "Standard", centered, small),
        ("Footer", "Standard", centered, small),
        ("Table_20_Contents", "Standard", cell, r#"fo:font-size="10pt""#),
        (
            "Table_20_Heading",
            "Table_20_Contents",
            cell,
            r#"fo:font-weight="bold""#,
        ),
    ] {
        out.push_str(&paragraph_style(name, parent, "", paragraph, text));
    }
    out.push_str(&format!(
        r#"<style:style style:name="Table_20_Cell" style:display-name="Table Cell" style:family="table-cell">{}"#,
        format_args!("<style:table-cell-properties {BORDER}/></style:style>{STYLES_TAIL}")
    ));
    out.push_str(&format!(
        r#"<style:header><text:p text:style-name="Header">{}</text:p></style:header>{}{}{}"#,
        inline(&document.running_header),
        r#"<style:footer><text:p text:style-name="Footer">Page <text:page-number text:select-page="current"/> "#,
        "sur <text:page-count/></text:p></style:footer></style:master-page></office:master-styles>",
        "</office:document-styles>"
    ));
    out
}

/// Table and cell styles live in content.xml: Writer applies automatic cell styles, not common ones.
fn content_xml(document: &OdtDocument) -> String {
    let mut out = format!("{XML_DECL}<office:document-content {NS}><office:automatic-styles>");
    out.push_str(concat!(
        r#"<style:style style:name="Tableau" style:family="table"><style:table-properties style:width="17cm" "#,
        r#"table:align="margins" fo:margin-top="0.2cm" fo:margin-bottom="0.3cm"/></style:style>"#
    ));
    for (name, background) in [
        ("Cellule", ""),
        ("CelluleEntete", r##"fo:background-color="#e6e6e6" "##),
    ] {
        out.push_str(&format!(
            r#"<style:style style:name="{name}" style:family="table-cell" style:parent-style-name="Table_20_Cell">{}"#,
            format_args!("<style:table-cell-properties {background}{BORDER}/></style:style>")
        ));
    }
    out.push_str("</office:automatic-styles><office:body><office:text>");
    let mut tables = 0;
    for block in &document.blocks {
        match block {
            OdtBlock::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                out.push_str(&format!(
                    r#"<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{}</text:h>"#,
                    inline(text)
                ));
            }
            OdtBlock::Paragraph(text) => {
                out.push_str(&format!(
                    r#"<text:p text:style-name="Standard">{}</text:p>"#,
                    inline(text)
                ));
            }
            OdtBlock::Bullets(items) if !items.is_empty() => {
                out.push_str(r#"<text:list text:style-name="Bullets">"#);
                for item in items {
                    let item = inline(item);
                    out.push_str(&format!(
                        r#"<text:list-item><text:p text:style-name="Standard">{item}</text:p></text:list-item>"#
                    ));
                }
                out.push_str("</text:list>");
            }
            OdtBlock::Bullets(_) => {}
            OdtBlock::Table { header, rows } => {
                let columns = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
                if columns == 0 {
                    continue;
                }
                tables += 1;
                out.push_str(&format!(
                    r#"<table:table table:name="Tableau{tables}" table:style-name="Tableau">{}"#,
                    format_args!(r#"<table:table-column table:number-columns-repeated="{columns}"/>"#)
                ));
                if !header.is_empty() {
                    out.push_str("<table:table-header-rows>");
                    push_row(&mut out, header, columns, "CelluleEntete", "Table_20_Heading");
                    out.push_str("</table:table-header-rows>");
                }
                for row in rows {
                    push_row(&mut out, row, columns, "Cellule", "Table_20_Contents");
                }
                out.push_str("</table:table>");
            }
        }
    }
    out + "</office:text></office:body></office:document-content>"
}

fn push_row(out: &mut String, cells: &[String], columns: usize, cell_style: &str, paragraph_style: &str) {
    out.push_str("<table:table-row>");
    for index in 0..columns {
        let text = cells.get(index).map(|text| inline(text)).unwrap_or_default();
        out.push_str(&format!(
            r#"<table:table-cell table:style-name="{cell_style}" office:value-type="string">{}</table:table-cell>"#,
            format_args!(r#"<text:p text:style-name="{paragraph_style}">{text}</text:p>"#)
        ));
    }
    out.push_str("</table:table-row>");
}

/// Sizes past 4 GiB would need ZIP64, which this writer does not do; they saturate instead of panicking.
fn le32(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u32::try_from(value).unwrap_or(u32::MAX).to_le_bytes());
}

fn le16(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u16::try_from(value).unwrap_or(u16::MAX).to_le_bytes());
}

/// Fields shared by the local header and the central directory: version needed (1.0), flags (bit 11: UTF-8
/// names), method 0 (stored), DOS time 00:00 and date 1980-01-01, CRC-32, both sizes, name length.
fn common_fields(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    for value in [10, 0x0800, 0, 0, 0x0021] {
        le16(out, value);
    }
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    le32(out, data.len());
    le32(out, data.len());
    le16(out, name.len());
}

fn zip_stored(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common_fields(&mut out, name, data);
        le16(&mut out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        le16(&mut central, 20); // made by: MS-DOS attributes, spec 2.0
        common_fields(&mut central, name, data);
        for value in [0, 0, 0, 0] {
            le16(&mut central, value); // extra and comment lengths, disk number, internal attributes
        }
        le32(&mut central, 0); // external attributes
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for value in [0, 0, entries.len(), entries.len()] {
        le16(&mut out, value);
    }
    le32(&mut out, central.len());
    le32(&mut out, central_offset);
    le16(&mut out, 0); // comment length
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn u16_at(bytes: &[u8], at: usize) -> usize {
        u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize
    }

    fn u32_at(bytes: &[u8], at: usize) -> usize {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    }

    /// Reads a stored-only archive through its central directory; returns the names in order and their data.
    fn read_zip(bytes: &[u8]) -> (Vec<String>, BTreeMap<String, Vec<u8>>) {
        let end = (0..=bytes.len() - 22)
            .rev()
            .find(|&at| u32_at(bytes, at) == 0x0605_4b50)
            .expect("EOCD");
        let (count, mut at) = (u16_at(bytes, end + 10), u32_at(bytes, end + 16));
        assert_eq!(at + u32_at(bytes, end + 12), end, "central directory ends at the EOCD");
        let (mut names, mut files) = (Vec::new(), BTreeMap::new());
        for _ in 0..count {
            assert_eq!(u32_at(bytes, at), 0x0201_4b50);
            assert_eq!(u16_at(bytes, at + 8) & 0x0800, 0x0800, "UTF-8 flag");
            assert_eq!(u16_at(bytes, at + 10), 0, "stored");
            let (crc, size, name_len) = (u32_at(bytes, at + 16), u32_at(bytes, at + 20), u16_at(bytes, at + 28));
            assert_eq!(size, u32_at(bytes, at + 24), "stored: compressed size is the size");
            let extra = u16_at(bytes, at + 30) + u16_at(bytes, at + 32);
            let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).expect("UTF-8 name");
            let local = u32_at(bytes, at + 42);
            assert_eq!(u32_at(bytes, local), 0x0403_4b50);
            assert_eq!(u16_at(bytes, local + 8), 0, "local: stored");
            assert_eq!(u32_at(bytes, local + 14), crc);
            assert_eq!(u32_at(bytes, local + 18), size);
            assert_eq!(&bytes[local + 30..local + 30 + name_len], name.as_bytes());
            let start = local + 30 + name_len + u16_at(bytes, local + 28);
            let data = bytes[start..start + size].to_vec();
            assert_eq!(crc32fast::hash(&data) as usize, crc, "CRC of {name}");
            names.push(name.clone());
            files.insert(name, data);
            at += 46 + name_len + extra;
        }
        (names, files)
    }

    fn sample() -> OdtDocument {
        OdtDocument {
            title: "Cadrage <projet>".into(),
            running_header: "IAF-2026-0003 — document de cadrage, version 3".into(),
            blocks: vec![
                OdtBlock::Heading {
                    level: 1,
                    text: "Contexte".into(),
                },
                OdtBlock::Paragraph("Attention <b> & \"x\" l'été\nligne\u{7} deux".into()),
                OdtBlock::Bullets(vec!["premier".into(), "second".into()]),
                OdtBlock::Table {
                    header: vec!["Nom".into(), "Rôle".into()],
                    rows: vec![vec!["Dupont".into(), "Pilote".into()], vec!["Seul".into()]],
                },
            ],
        }
    }

    #[test]
    fn mimetype_comes_first_stored_at_offset_zero() {
        let bytes = write_odt(&sample());
        assert_eq!(u32_at(&bytes, 0), 0x0403_4b50);
        assert_eq!(u16_at(&bytes, 8), 0, "stored");
        assert_eq!(u16_at(&bytes, 26), 8);
        assert_eq!(u16_at(&bytes, 28), 0, "no extra field");
        assert_eq!(u32_at(&bytes, 18), u32_at(&bytes, 22), "uncompressed");
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());
        let (names, _) = read_zip(&bytes);
        assert_eq!(names[0], "mimetype");
    }

    #[test]
    fn archive_holds_the_parts_with_escaped_text() {
        let (names, files) = read_zip(&write_odt(&sample()));
        assert_eq!(
            names,
            [
                "mimetype",
                "META-INF/manifest.xml",
                "content.xml",
                "styles.xml",
                "meta.xml"
            ]
        );
        let text = |name: &str| String::from_utf8(files[name].clone()).expect("UTF-8 part");
        let content = text("content.xml");
        assert!(content.contains("Attention &lt;b&gt; &amp; &quot;x&quot; l&apos;été<text:line-break/>ligne deux"));
        assert!(!content.contains("<b>") && !content.contains('\u{7}'));
        assert!(content.contains(r#"<text:h text:style-name="Heading_20_1" text:outline-level="1">Contexte</text:h>"#));
        assert!(content.contains("<text:list-item><text:p text:style-name=\"Standard\">second</text:p>"));
        assert!(content.contains("<table:table-header-rows>") && content.contains(">Rôle</text:p>"));
        assert_eq!(
            content.matches("<table:table-cell ").count(),
            6,
            "short rows are padded"
        );
        let styles = text("styles.xml");
        assert!(styles.contains("<text:page-number") && styles.contains("<text:page-count/>"));
        assert!(styles.contains("IAF-2026-0003 — document de cadrage, version 3"));
        assert!(styles.contains(r#"fo:page-width="21cm" fo:page-height="29.7cm""#));
        assert!(styles.contains(r#"fo:language="fr" fo:country="FR""#));
        assert!(text("meta.xml").contains("<dc:title>Cadrage &lt;projet&gt;</dc:title>"));
        assert_eq!(files["mimetype"], MIMETYPE.as_bytes());
    }

    #[test]
    fn text_xml_cannot_carry_is_dropped_as_in_every_other_xml_of_the_site() {
        assert_eq!(
            inline("a\u{FFFE}b\u{FFFF}\u{1}c\r\nd & e"),
            "abc<text:line-break/>d &amp; e"
        );
        let document = OdtDocument {
            title: "Titre\u{FFFF}\u{B}".into(),
            ..sample()
        };
        assert!(meta_xml(&document).contains("<dc:title>Titre</dc:title>"));
    }

    #[test]
    fn output_is_deterministic_and_empty_blocks_are_skipped() {
        let empty = OdtDocument {
            title: String::new(),
            running_header: String::new(),
            blocks: vec![
                OdtBlock::Bullets(vec![]),
                OdtBlock::Table {
                    header: vec![],
                    rows: vec![],
                },
            ],
        };
        assert_eq!(write_odt(&empty), write_odt(&empty));
        let (_, files) = read_zip(&write_odt(&empty));
        let content = String::from_utf8(files["content.xml"].clone()).expect("UTF-8");
        assert!(!content.contains("<text:list ") && !content.contains("<table:table "));
    }
}
