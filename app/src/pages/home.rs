//! The home page: what the IA Factory is, in the words of the cadre d'intervention, and where to start.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

use crate::domain::stage::Stage;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <Meta name="description" content="IA Factory du programme Territoires d'IA de la Banque des Territoires : proposez un cas d'usage d'IA souveraine pour votre collectivité, parcourez le catalogue des cas répliquables."/>
        <section class="hero">
            <h1>"Concevez, testez et diffusez des solutions d'IA souveraine pour votre collectivité"</h1>
            <p class="lead">
                "L'IA Factory du programme Territoires d'IA coconstruit avec des collectivités pionnières des cas d'usage "
                "répliquables, entièrement financés par la Banque des Territoires. Les collectivités peuvent proposer "
                "leurs cas d'usage tout au long de l'année."
            </p>
            <p><A href="/deposer" attr:class="button button-primary">"Proposer un cas d'usage"</A></p>
        </section>
        <section aria-labelledby="etapes-titre">
            <h2 id="etapes-titre">"Un processus en 5 étapes"</h2>
            <ol class="steps-overview">
                {Stage::PIPELINE.into_iter().map(|stage| view! {
                    <li><strong>{stage.label()}</strong></li>
                }).collect_view()}
            </ol>
            <p>
                "Les cas d'usage sont qualifiés lors de périodes de relève : un cas déposé pendant une période sera "
                "examiné lors de la suivante. Un cas non qualifié peut être réorienté vers un autre volet du programme "
                "(ingénierie ou guichet de cofinancement)."
            </p>
        </section>
        <section aria-labelledby="criteres-titre">
            <h2 id="criteres-titre">"Ce que le programme recherche"</h2>
            <ul>
                <li><strong>"Un impact réel et mesurable"</strong>" pour les agents et pour les usagers, répliquable dans d'autres collectivités."</li>
                <li><strong>"Un portage solide"</strong>" : équipes métier, directions SI/Data et un sponsor politique identifié (DGS, DGA, élu)."</li>
                <li><strong>"Une faisabilité technique et une maturité suffisantes"</strong>" : des données disponibles et de qualité, un projet défini sans être déjà trop avancé."</li>
            </ul>
        </section>
    }
}
