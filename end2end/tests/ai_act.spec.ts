// The AI Act pre-assessment at intake, with JavaScript on and off: a chatbot case shows "obligations de
// transparence", an aid-eligibility case "haut risque" with the impact assessment of Art. 27; live in the wizard
// with JavaScript, on the summary in both; the badge on the board and the team's confirmation beside the grid.
// Similar cases: a need close to a published case shows it (live at step 2 with JavaScript, on step 3 without)
// and "Répliquer ce cas" opens a replication. axe on every page visited.
import { test, expect } from '@playwright/test';
import {
  expectNoAxeViolations, hydrated, signIn, fillStep1, next, reachStep5, startDraft,
} from './helpers';

test('un agent conversationnel a des obligations de transparence', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await reachStep5(page, withJs);
  await page.getByLabel('Le système échange-t-il directement avec le public ?').check();
  if (withJs) {
    await expect(page.getByRole('heading', { name: 'Pré-évaluation : obligations de transparence' })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await next(page, 'Récapitulatif', withJs);
  await expect(page.getByRole('heading', { name: 'Pré-évaluation : obligations de transparence' })).toBeVisible();
  await expect(page.getByText(/Art\. 50 :/)).toBeVisible();
  await expect(page.getByText(/ne constitue pas un avis juridique/)).toBeVisible();
  await expectNoAxeViolations(page);
});

test('une aide sociale est à haut risque, avec l’analyse d’impact de l’article 27', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await reachStep5(page, withJs);
  await page.getByLabel("Intervient-il dans l'accès à une aide ou à un service public, ou dans son montant ?").check();
  if (withJs) {
    await expect(page.getByRole('heading', { name: 'Pré-évaluation : haut risque' })).toBeVisible();
  }
  await next(page, 'Récapitulatif', withJs);
  await expect(page.getByRole('heading', { name: 'Pré-évaluation : haut risque' })).toBeVisible();
  await expect(page.getByText(/Art\. 27 :/)).toBeVisible();
});

test('le badge AI Act est sur le tableau, et l’équipe confirme le niveau à côté de la faisabilité', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await signIn(page, withJs);
  await page.goto('/equipe/tableau');
  await hydrated(page, withJs);
  const chatbot = page.getByRole('article', { name: 'Agent conversationnel du site web' });
  await expect(chatbot.getByText('AI Act : transparence (à confirmer)')).toBeVisible();
  await expectNoAxeViolations(page);
  await chatbot.getByRole('link', { name: /^IAF-/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Agent conversationnel du site web' })).toBeVisible();
  await hydrated(page, withJs);
  const review = page.getByRole('group', { name: "Niveau AI Act confirmé par l'équipe" });
  // Nothing is confirmed until the team chooses; the pre-assessment is marked among the levels.
  await expect(review.getByRole('radio', { name: 'À confirmer' })).toBeChecked();
  await expect(review.getByRole('radio', { name: 'obligations de transparence (pré-évaluation)' })).toBeVisible();
  await expect(page.getByText(/Art\. 50 :/).first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('un besoin proche d’un cas publié le montre, et « Répliquer ce cas » ouvre une réplication', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await startDraft(page, withJs);
  await fillStep1(page, withJs);
  await next(page, "Le cas d'usage", withJs);
  await page.getByLabel("Titre du cas d'usage").fill('Rédaction des pièces de marchés publics');
  await page.getByLabel("Le problème aujourd'hui").fill('La rédaction des CCTP et des règlements de consultation repart de zéro dans chaque service.');
  await page.getByLabel('La solution attendue').fill('Un assistant propose les pièces de marché à partir de nos modèles.');
  const similar = page.getByRole('region', { name: 'Des cas proches du vôtre' });
  if (withJs) {
    // Live, before leaving the step.
    await expect(similar.getByRole('link', { name: 'Génération des pièces de marchés publics' })).toBeVisible();
    await expectNoAxeViolations(page);
  }
  await page.getByRole('radio', { name: 'Finances et achats' }).check();
  await page.getByLabel('Périmètre fonctionnel').fill('Commande publique');
  await page.getByLabel('Directions concernées').fill('Direction des achats');
  await page.getByRole('checkbox', { name: 'Agents IA' }).check();
  await page.getByRole('radio', { name: 'Application personnalisée' }).check();
  await next(page, 'Volumes et impact', withJs);
  await expect(similar.getByRole('link', { name: 'Génération des pièces de marchés publics' })).toBeVisible();
  await expectNoAxeViolations(page);
  await similar.getByRole('button', { name: 'Répliquer ce cas : Génération des pièces de marchés publics' }).click();
  await expect(page).toHaveURL(/\/deposer\/[0-9a-f]{64}\/etape\/1\?replique=/);
  await expect(page.getByText('Vous proposez de répliquer le cas')).toBeVisible();
});
