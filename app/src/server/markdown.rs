//! Markdown written by the team (the diffusion kit's documentation), rendered as HTML safe for a public page.

use pulldown_cmark::HeadingLevel;

/// A heading of the documentation as the page nests it: under the page's `<h2>` « Documentation », its
/// headings start at level 3 (`#` and `##` become `<h3>`, `###` `<h4>`…).
fn nested(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Markdown written by the team, as HTML safe to insert in a public page: raw HTML is shown as text,
/// links and images keep only `https://`, `http://` and `mailto:` addresses, links get `rel="nofollow"`,
/// headings start at level 3 (the page's section is a level 2).
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
    let safe = |url: &CowStr| {
        let url = url.trim();
        url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:")
    };
    let events =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                dest_url,
                title,
                id,
                link_type,
            }) => Event::Start(Tag::Link {
                dest_url: if safe(&dest_url) { dest_url } else { CowStr::from("#") },
                title,
                id,
                link_type,
            }),
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                link_type,
            }) => Event::Start(Tag::Image {
                dest_url: if safe(&dest_url) { dest_url } else { CowStr::from("") },
                title,
                id,
                link_type,
            }),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: nested(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(nested(level))),
            other => other,
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.replace("<a href=", "<a rel=\"nofollow\" href=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documentations_headings_nest_under_the_pages_section() {
        let html = render_markdown("# Titre\n\n## Mettre en place\n\n### Détail\n");
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<h3>Mettre en place</h3>"), "{html}");
        assert!(html.contains("<h4>Détail</h4>"), "{html}");
        assert!(!html.contains("<h2>") && !html.contains("<h1>"), "{html}");
    }
}
