//! Text helpers every area shares: cleaning what people type, folding accents for search, French number
//! grouping, URL query encoding and escaping text for HTML and XML.

/// Removes control characters (but line breaks and tabs) that no person types on purpose.
pub fn clean_text(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace("\r\n", "\n")
}

/// A Unicode format control (general category Cf): the bidirectional controls that make a name read backwards
/// on screen (U+202E turns `rapport\u{202E}txt.pdf` into « rapportfdp.txt »), the zero-width characters, the
/// byte order mark and their kind. Listed here rather than by a Unicode table so that the WebAssembly stays small.
pub fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// `1234567` → `1 234 567`, the French way (narrow no-break spaces).
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Lower case, accents removed, punctuation as spaces: "Saint-Étienne" → "saint etienne".
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        let plain = match ch {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' | 'ý' => 'y',
            'ñ' => 'n',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(plain);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Percent-encodes a URL query value (UTF-8; letters, digits and `-_.~` kept).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Whether XML 1.0 may carry `c` (its `Char` production): tab, line feed, carriage return and everything from
/// U+0020 on, but the other control characters (DEL and the C1 range included) and the non-characters U+FFFE
/// and U+FFFF. A Rust `char` is never a lone surrogate, the production's other exclusion.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// Appends `c` to `out`, as an entity if it is one of `& < > " '` (whether XML allows it is not checked).
pub fn push_xml_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        c => out.push(c),
    }
}

/// The one escaper of text for XML (Atom feed, sitemap, OpenDocument) and HTML (emails): `& < > " '` become
/// entities, and the characters XML 1.0 cannot carry (`xml_allowed`) are dropped.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| xml_allowed(c)) {
        push_xml_escaped(&mut out, c);
    }
    out
}

/// Whether a confirmation box was ticked (`value="oui"`): an action that cannot be undone (a document removed,
/// every private link ended) asks for it, with or without JavaScript (RGAA 11.12).
pub fn confirmed(value: Option<&str>) -> bool {
    value == Some("oui")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_what_xml_cannot_carry_is_dropped() {
        assert_eq!(
            escape_markup("<a href=\"x\">R&D l'été</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D l&apos;été&lt;/a&gt;"
        );
        assert_eq!(
            escape_markup("a\u{0}b\u{8}c\u{B}\u{C}d\u{1F}e\u{7F}f\u{85}g\u{9F}h\u{FFFE}i\u{FFFF}j"),
            "abcdefghij"
        );
        assert_eq!(
            escape_markup("tab\tlf\ncr\r"),
            "tab\tlf\ncr\r",
            "tab, LF and CR are XML"
        );
        assert_eq!(
            escape_markup("\u{FFFD} \u{E000} \u{10FFFF} 🙂 \u{D7FF}"),
            "\u{FFFD} \u{E000} \u{10FFFF} 🙂 \u{D7FF}",
            "the rest of Unicode stays"
        );
    }

    #[test]
    fn every_kept_character_is_allowed_by_xml() {
        // The `Char` production of XML 1.0, written out.
        let xml_char = |c: char| {
            let n = c as u32;
            matches!(n, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        };
        for n in (0..=0x11000u32).chain(0x10FF00..=0x10FFFF) {
            if let Some(c) = char::from_u32(n) {
                if xml_allowed(c) {
                    assert!(xml_char(c), "U+{n:04X} is kept but not XML");
                }
                if xml_char(c) && !(c.is_control()) {
                    assert!(xml_allowed(c), "U+{n:04X} is XML but dropped");
                }
            }
        }
    }
}
