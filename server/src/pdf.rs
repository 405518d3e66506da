//! The attestation de dépôt as a PDF (printpdf), A4, with DejaVu Sans embedded (shipped in `server/fonts/` with
//! its licence) so that every accent prints the same everywhere: the reference, date and time of filing, the
//! collectivité, the contact, the title, the answers of every step and where to ask for the follow-up links (no private link).

use printpdf::{IndirectFontRef, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// What the attestation states.
#[derive(Clone, Debug, PartialEq)]
pub struct Attestation {
    pub reference: String,
    /// Date and time of filing, in French (Paris time).
    pub filed_at: String,
    pub collectivite: String,
    pub siren: String,
    pub region: String,
    pub contact: String,
    pub title: String,
    /// Each step's title and its answers (label, value).
    pub sections: Vec<(String, Vec<(String, String)>)>,
    /// Where to ask for the follow-up links by email (`/lien-perdu`): the attestation carries no private link,
    /// since a link grants writing to the case and a PDF travels further than an email.
    pub lost_link_page: String,
}

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;

/// Splits a text into lines of at most `width` characters, on spaces when it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_string();
            while word.chars().count() > width {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

/// Writes lines down the pages, adding a page when one is full.
struct Writer {
    document: PdfDocumentReference,
    layer: PdfLayerReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    /// Distance from the bottom of the page, in millimetres.
    y: f32,
    pages: usize,
}

impl Writer {
    fn line(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        let height = size * 0.45;
        if self.y - height < MARGIN {
            self.new_page();
        }
        self.y -= height;
        let font = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(text, size, Mm(MARGIN + indent), Mm(self.y), font);
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        // About 0.5 em a character for DejaVu Sans: the characters that fit the text width.
        let width = ((PAGE_WIDTH - 2.0 * MARGIN - indent) / (size * 0.353 * 0.55)) as usize;
        for line in wrap(text, width.max(20)) {
            self.line(&line, size, bold, indent);
        }
    }

    fn space(&mut self, millimetres: f32) {
        self.y -= millimetres;
    }

    fn new_page(&mut self) {
        let (page, layer) = self.document.add_page(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "Texte");
        self.layer = self.document.get_page(page).get_layer(layer);
        self.y = PAGE_HEIGHT - MARGIN;
        self.pages += 1;
    }
}

/// The attestation as PDF bytes.
pub fn attestation_pdf(attestation: &Attestation) -> Result<Vec<u8>, String> {
    let title = format!("Attestation de dépôt {}", attestation.reference);
    let (document, page, layer) = PdfDocument::new(&title, Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "Texte");
    // Each font reduced to the glyphs the attestation uses (about 50 KB instead of 1.4 MB for both).
    let regular = document
        .add_external_font_with_subsetting(REGULAR, true)
        .map_err(|e| format!("police DejaVu Sans : {e}"))?;
    let bold = document
        .add_external_font_with_subsetting(BOLD, true)
        .map_err(|e| format!("police DejaVu Sans Bold : {e}"))?;
    let layer = document.get_page(page).get_layer(layer);
    let mut writer = Writer {
        document,
        layer,
        regular,
        bold,
        y: PAGE_HEIGHT - MARGIN,
        pages: 1,
    };
    writer.paragraph(
        "IA Factory — programme Territoires d'IA de la Banque des Territoires",
        9.0,
        false,
        0.0,
    );
    writer.space(4.0);
    writer.paragraph("Attestation de dépôt", 20.0, true, 0.0);
    writer.space(3.0);
    writer.paragraph(&format!("Référence : {}", attestation.reference), 12.0, true, 0.0);
    writer.paragraph(&format!("Déposé le {}", attestation.filed_at), 11.0, false, 0.0);
    writer.space(3.0);
    let siren = if attestation.siren.is_empty() {
        String::new()
    } else {
        format!(" — SIREN {}", attestation.siren)
    };
    writer.paragraph(
        &format!("Collectivité : {}{siren}", attestation.collectivite),
        11.0,
        false,
        0.0,
    );
    if !attestation.region.is_empty() {
        writer.paragraph(&format!("Région : {}", attestation.region), 11.0, false, 0.0);
    }
    writer.paragraph(&format!("Contact : {}", attestation.contact), 11.0, false, 0.0);
    writer.paragraph(&format!("Cas d'usage : « {} »", attestation.title), 11.0, true, 0.0);
    writer.space(3.0);
    writer.paragraph(
        "L'IA Factory atteste avoir reçu ce cas d'usage à la date indiquée. Les réponses déposées figurent ci-dessous.",
        10.0,
        false,
        0.0,
    );
    for (section, lines) in &attestation.sections {
        writer.space(4.0);
        writer.paragraph(section, 13.0, true, 0.0);
        writer.space(1.0);
        if lines.is_empty() {
            writer.paragraph("(aucune réponse)", 10.0, false, 4.0);
        }
        for (label, value) in lines {
            writer.paragraph(label, 9.5, true, 4.0);
            writer.paragraph(value, 10.0, false, 4.0);
            writer.space(1.0);
        }
    }
    writer.space(4.0);
    writer.paragraph(
        "Suivre le dossier : avec le lien personnel reçu par courriel. Pour le recevoir à nouveau :",
        10.0,
        true,
        0.0,
    );
    writer.paragraph(&attestation.lost_link_page, 9.0, false, 0.0);
    let pages = writer.pages;
    let bytes = writer
        .document
        .save_to_bytes()
        .map_err(|e| format!("écriture du PDF : {e}"))?;
    tracing::debug!("attestation {} : {pages} page(s)", attestation.reference);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_cuts_only_what_cannot_fit() {
        assert_eq!(wrap("un deux trois", 7), vec!["un deux", "trois"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
    }

    #[test]
    fn the_attestation_is_a_pdf_with_its_font_embedded() {
        let bytes = attestation_pdf(&Attestation {
            reference: "IAF-2026-0001".into(),
            filed_at: "1 décembre 2026 à 10:00".into(),
            collectivite: "Commune de Besançon".into(),
            siren: "212500565".into(),
            region: "Bourgogne-Franche-Comté".into(),
            contact: "Léa — DSI — lea@besancon.fr".into(),
            title: "Tri du courrier".into(),
            sections: vec![("Étape 1".into(), vec![("Nom".into(), "Léa".into())])],
            lost_link_page: "https://ia-factory.fr/lien-perdu".into(),
        })
        .expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("FontFile2"), "the TrueType font is embedded");
    }
}
