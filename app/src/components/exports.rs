//! The links to the team's tables, each in CSV, ODS and XLSX, with the format named in each link's text.

use leptos::prelude::*;

use crate::routes::{team_export, SheetFormat, TeamExport};

/// « Les cas : CSV · ODS · XLSX » for each table of `exports`.
#[component]
pub fn ExportLinks(exports: &'static [TeamExport]) -> impl IntoView {
    let lines = exports
        .iter()
        .map(|export| {
            let links = SheetFormat::ALL
                .into_iter()
                .enumerate()
                .map(|(index, format)| {
                    let name = format!("{} ({})", export.label(), format.label());
                    view! {
                        {(index > 0).then_some(" · ")}
                        <a href=team_export(*export, format) aria-label=name>{format.label()}</a>
                    }
                })
                .collect_view();
            view! { <li>{export.label()}" : "{links}</li> }
        })
        .collect_view();
    view! { <ul class="export-links">{lines}</ul> }
}
