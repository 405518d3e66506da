//! The links to the team's tables, each in CSV, ODS and XLSX: each link says its format, and its table to screen
//! readers.

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
                    // The table named in the link for screen readers' lists of links, hidden from sight.
                    let hidden = format!(" : {}", export.label().to_lowercase());
                    view! {
                        {(index > 0).then_some(" · ")}
                        <a href=team_export(*export, format)>
                            {format.label()}<span class="visually-hidden">{hidden}</span>
                        </a>
                    }
                })
                .collect_view();
            view! { <li>{export.label()}" : "{links}</li> }
        })
        .collect_view();
    view! { <ul class="export-links">{lines}</ul> }
}
