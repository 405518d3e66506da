// The AI Act pre-assessment at intake, with JavaScript on and off: a chatbot case shows "obligations de
// transparence", an aid-eligibility case "haut risque" with the impact assessment of Art. 27; live in the wizard
// with JavaScript, on the summary in both. axe on step 5 and on the summary.
import { test, expect, Page } from '@playwright/test';
import {
  expectNoAxeViolations, fillStep1, fillStep2, fillStep3, fillStep4, fillStep5, next, startDraft,
} from './helpers';

async function reachStep5(page: Page, withJs: boolean) {
  await startDraft(page, withJs);
  await fillStep1(page, withJs);
  await next(page, "Le cas d'usage", withJs);
  await fillStep2(page);
  await next(page, 'Volumes et impact', withJs);
  await fillStep3(page);
  await next(page, 'Portage', withJs);
  await fillStep4(page);
  await next(page, 'Données et faisabilité', withJs);
  await fillStep5(page);
}

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
