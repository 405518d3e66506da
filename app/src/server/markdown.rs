//! Markdown written by the team (the diffusion kit's documentation), rendered as HTML safe for a public page.

/// Markdown written by the team, as HTML safe to insert in a public page: raw HTML is shown as text,
/// links and images keep only `https://`, `http://` and `mailto:` addresses, links get `rel="nofollow"`.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};
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
            other => other,
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.replace("<a href=", "<a rel=\"nofollow\" href=")
}
