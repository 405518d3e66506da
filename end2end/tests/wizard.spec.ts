// The intake wizard as a collectivité uses it, with JavaScript on and off: the whole path to the receipt,
// one bad input per step with its French error, resume in a fresh browser via the private link, axe on
// every step.
import { test, expect } from '@playwright/test';
import {
  expectNoAxeViolations, fillStep1, fillStep2, fillStep3, fillStep4, fillStep5, hydrated, next, startDraft,
} from './helpers';

test('un cas d’usage est déposé de bout en bout', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await startDraft(page, withJs);
  await expect(page.getByText('Étape 1 sur 6')).toBeVisible();
  await expectNoAxeViolations(page);
  await fillStep1(page, withJs);
  await next(page, "Le cas d'usage", withJs);

  await expectNoAxeViolations(page);
  await fillStep2(page);
  await next(page, 'Volumes et impact', withJs);

  await expectNoAxeViolations(page);
  await fillStep3(page);
  if (withJs) {
    await expect(page.getByText('Environ 900 heures de travail économisées par an')).toBeVisible();
  }
  await next(page, 'Portage', withJs);

  await expectNoAxeViolations(page);
  await fillStep4(page);
  if (withJs) {
    await expect(page.getByText(/^Signal d'alerte/)).toBeVisible();
  }
  await next(page, 'Données et faisabilité', withJs);

  await expectNoAxeViolations(page);
  await fillStep5(page);
  await next(page, 'Récapitulatif', withJs);

  await expectNoAxeViolations(page);
  await expect(page.getByText('Environ 900 heures de travail économisées par an')).toBeVisible();
  await expect(page.getByText('Pré-instruction des permis de construire')).toBeVisible();
  await page.getByRole('button', { name: "Déposer mon cas d'usage" }).click();

  await expect(page.getByRole('heading', { level: 1, name: "Votre cas d'usage a bien été déposé" })).toBeVisible();
  await expect(page.getByText(/IAF-\d{4}-\d{5}/)).toBeVisible();
  await expectNoAxeViolations(page);
  const followUp = page.getByRole('link', { name: /\/suivi\/[0-9a-f]{64}/ });
  await followUp.click();
  await expect(page.getByRole('heading', { level: 1, name: /Suivi du dossier IAF-/ })).toBeVisible();
  await expect(page.getByText(/prochaine période de relève/)).toBeVisible();
  await expectNoAxeViolations(page);
});

test('une saisie invalide par étape affiche son erreur en français', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await startDraft(page, withJs);

  const expectError = async (message: string) => {
    const summary = page.getByRole('alert').filter({ hasText: 'Cette étape contient' });
    await expect(summary).toBeVisible();
    const link = summary.getByRole('link', { name: message });
    await expect(link).toBeVisible();
    if (withJs) {
      await expect(summary).toBeFocused();
    }
    await expectNoAxeViolations(page);
  };

  // Step 1: an email without @, value kept.
  await fillStep1(page, withJs);
  await page.getByLabel('Adresse électronique').fill('camille-at-ville');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expectError('« Adresse électronique » : saisissez une adresse au format nom@domaine.fr.');
  await expect(page.getByLabel('Adresse électronique')).toHaveValue('camille-at-ville');
  if (withJs) {
    await page.getByRole('link', { name: /« Adresse électronique »/ }).click();
    await expect(page.getByLabel('Adresse électronique')).toBeFocused();
  }
  await page.getByLabel('Adresse électronique').fill('camille.martin@saint-etienne.fr');
  await next(page, "Le cas d'usage", withJs);

  // Step 2: a title too short.
  await fillStep2(page);
  await page.getByLabel("Titre du cas d'usage").fill('PLU');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expectError("« Titre du cas d'usage » : saisissez au moins 5 caractères (actuellement 3).");
  await page.getByLabel("Titre du cas d'usage").fill('Pré-instruction des permis');
  await next(page, 'Volumes et impact', withJs);

  // Step 3: words instead of a number.
  await fillStep3(page);
  await page.getByLabel("Nombre d'agents concernés").fill('vingt-cinq');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expectError("« Nombre d'agents concernés » : saisissez un nombre entier, sans décimale ni unité, par exemple 120.");
  await page.getByLabel("Nombre d'agents concernés").fill('25');
  await next(page, 'Portage', withJs);

  // Step 4: a name without its function.
  await page.getByLabel('Porteur DSI ou data : nom').fill('Awa Diallo');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expectError(/« Porteur DSI ou data : fonction » : vous avez indiqué le nom/);
  await page.getByLabel('Porteur DSI ou data : fonction').fill('DSI');
  await next(page, 'Données et faisabilité', withJs);

  // Step 5: nothing chosen for data availability.
  await fillStep5(page);
  await page.getByLabel('Données nécessaires').fill('Trop');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expectError('« Données nécessaires » : saisissez au moins 10 caractères (actuellement 4).');
});

test('un brouillon se reprend dans un autre navigateur grâce au lien privé', async ({ page, browser, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await startDraft(page, withJs);
  await fillStep1(page, withJs);
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  if (!withJs) {
    await expect(page.getByText('Votre brouillon est enregistré.')).toBeVisible();
  } else {
    await expect(page.getByText(/Votre brouillon est enregistré|Brouillon enregistré/).first()).toBeVisible();
  }
  const link = await page.locator('.resume-link a').getAttribute('href');
  expect(link).toMatch(/^\/deposer\/[0-9a-f]{64}\/etape\/1$/);

  const other = await browser.newContext({ javaScriptEnabled: withJs });
  const fresh = await other.newPage();
  await fresh.goto(link!);
  await hydrated(fresh, withJs);
  await expect(fresh.getByLabel('Nom et prénom')).toHaveValue('Camille Martin');
  await expect(fresh.getByLabel('Adresse électronique')).toHaveValue('camille.martin@saint-etienne.fr');
  await expect(fresh.getByRole('radio', { name: /^Saint-Étienne Commune/ })).toBeChecked();
  await other.close();
});

test('la saisie est enregistrée pendant la frappe', async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, 'l’enregistrement pendant la frappe demande JavaScript');
  const url = await startDraft(page, true);
  await page.getByLabel('Nom et prénom').fill('Dominique Petit');
  await expect(page.getByText(/^Brouillon enregistré le/)).toBeVisible();
  await page.goto(url);
  await hydrated(page, true);
  await expect(page.getByLabel('Nom et prénom')).toHaveValue('Dominique Petit');
});

test('hors connexion, la saisie est gardée dans le navigateur et restaurée', async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, 'la copie locale demande JavaScript');
  const url = await startDraft(page, true);
  await page.route('**/api/depot/sauvegarder', (route) => route.abort());
  await page.getByLabel('Nom et prénom').fill('Alex Durand');
  await expect(page.getByText(/^Connexion au serveur impossible/)).toBeVisible();
  await page.unroute('**/api/depot/sauvegarder');
  await page.goto(url);
  await hydrated(page, true);
  await expect(page.getByText(/Nous avons restauré la saisie conservée dans ce navigateur/)).toBeVisible();
  await expect(page.getByLabel('Nom et prénom')).toHaveValue('Alex Durand');
  // The restored copy is sent to the server in turn.
  await expect(page.getByText(/^Brouillon enregistré le/)).toBeVisible();
});

test('les pages publiques sont accessibles', async ({ page }) => {
  for (const path of ['/', '/deposer']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAxeViolations(page);
  }
  await page.goto('/nulle-part');
  await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
});
