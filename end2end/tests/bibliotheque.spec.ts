// The Bibliothèque d'IA territoriales in the catalogue (the demonstration imports its 17-record sample), with
// JavaScript on and off: the facet « Source », an imported project's page marked as such with its provenance,
// and at step 2 of the wizard a need close to a sample project proposing it (live with JavaScript, on the next
// step without). axe on every page visited.
import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, fillStep1, hydrated, next, startDraft } from './helpers';

test('le filtre « Source » et la page d’un projet de la Bibliothèque', async ({ page }) => {
  await page.goto('/catalogue');
  await expect(page.getByRole('status')).toHaveText(/cas d'usage répliquables et 17 projets de la Bibliothèque d'IA territoriales\./);
  await page.getByLabel('Source').selectOption({ label: "Bibliothèque d'IA territoriales" });
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/source=bibliotheque/);
  await expect(page.getByRole('status')).toHaveText("17 projets de la Bibliothèque d'IA territoriales.");
  await expect(page.getByRole('link', { name: 'Génération des pièces de marchés publics' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // A word of a project finds it, marked as the Bibliothèque's.
  await page.getByRole('searchbox', { name: 'Rechercher' }).fill('déchets');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const card = page.getByRole('article', { name: 'ViPARE' });
  await expect(card.getByText("Bibliothèque d'IA territoriales · projet non mené par l'IA Factory")).toBeVisible();
  await card.getByRole('link', { name: 'ViPARE' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ViPARE' })).toBeVisible();
  await expect(page.getByText("projet non mené par l'IA Factory")).toBeVisible();
  await expect(page.getByRole('link', { name: "Bibliothèque d'IA territoriales" })).toHaveAttribute(
    'href',
    'https://github.com/LesInterconnectes/Bibliotheque-IA-territoriale',
  );
  await expect(page.getByText('Licence : Aucune licence indiquée par la source.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Projets proches' })).toBeVisible();
  await expect(page.getByRole('link', { name: "Proposer un cas d'usage semblable" })).toHaveAttribute('href', '/deposer');
  await expectNoAxeViolations(page);

  // Only the programme's cases.
  await page.goto('/catalogue');
  await page.getByLabel('Source').selectOption({ label: 'IA Factory' });
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/source=ia-factory/);
  await expect(page.getByRole('status')).toHaveText(/^\d+ cas d'usage répliquables?\.$/);
  await expect(page.getByText("Bibliothèque d'IA territoriales · projet non mené par l'IA Factory")).toHaveCount(0);
});

test('à l’étape 2, un besoin proche d’un projet de la Bibliothèque le propose', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await startDraft(page, withJs);
  await fillStep1(page, withJs);
  await next(page, "Le cas d'usage", withJs);
  await page.getByLabel("Titre du cas d'usage").fill('Mesurer la propreté des rues et les déchets');
  await page.getByLabel("Le problème aujourd'hui").fill("Nous ne savons pas mesurer l'effet du nettoiement sur la quantité de déchets dans les rues.");
  await page.getByLabel('La solution attendue').fill('Une application sur smartphone repère les déchets par la vidéo et cartographie la propreté.');
  const similar = page.getByRole('region', { name: 'Des cas proches du vôtre' });
  if (withJs) {
    // Live, before leaving the step.
    await expect(similar.getByText('Déjà mené par Ville de Metz :')).toBeVisible();
    await expect(similar.getByRole('link', { name: 'ViPARE' })).toHaveAttribute('href', '/catalogue/bibliotheque/vipare-metz');
    await expectNoAxeViolations(page);
  }
  await page.getByRole('radio', { name: 'Environnement' }).check();
  await page.getByLabel('Périmètre fonctionnel').fill('Propreté urbaine');
  await page.getByLabel('Directions concernées').fill('Direction de la propreté');
  await page.getByRole('checkbox', { name: 'Agents IA' }).check();
  await page.getByRole('radio', { name: 'Application personnalisée' }).check();
  await next(page, 'Volumes et impact', withJs);
  await hydrated(page, withJs);
  await expect(similar.getByText('Déjà mené par Ville de Metz :')).toBeVisible();
  await expect(similar.getByRole('link', { name: 'ViPARE' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('au clavier : le filtre « Source », puis la page d’un projet', async ({ page }) => {
  await page.goto('/catalogue');
  const source = page.getByLabel('Source');
  await source.focus();
  // A select changes by keyboard: down twice from « Toutes » reaches the Bibliothèque.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(source).toHaveValue('bibliotheque');
  await page.getByRole('button', { name: 'Rechercher' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/source=bibliotheque/);
  await expect(page.getByRole('status')).toHaveText("17 projets de la Bibliothèque d'IA territoriales.");
  // The first project of the list, opened by keyboard.
  const link = page.getByRole('article').first().getByRole('heading', { level: 2 }).getByRole('link');
  const name = ((await link.textContent()) ?? '').trim();
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText("projet non mené par l'IA Factory")).toBeVisible();
});
