// Shared steps of the wizard tests: accessibility check with axe-core, and filling each step by its labels.
import { expect, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** axe-core runs inside the page, so it needs JavaScript: the pages without JavaScript are the same server
 * HTML, checked by the run with JavaScript. */
export async function expectNoAxeViolations(page: Page) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, 'violations axe-core').toEqual([]);
}

/** Waits until the WASM client has hydrated the page (nothing to wait for without JavaScript). */
export async function hydrated(page: Page, withJs: boolean) {
  if (withJs) {
    await page.waitForFunction(() => (window as any).__iafHydrated === true, undefined, { timeout: 20_000 });
  }
}

export async function startDraft(page: Page, withJs: boolean): Promise<string> {
  await page.goto('/deposer');
  await hydrated(page, withJs);
  await page.getByRole('button', { name: 'Commencer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Votre collectivité' })).toBeVisible();
  await expect(page).toHaveURL(/\/deposer\/[0-9a-f]{64}\/etape\/1$/);
  await hydrated(page, withJs);
  return page.url();
}

export async function chooseCollectivite(page: Page, withJs: boolean, query: string, name: RegExp) {
  const search = page.getByRole('searchbox', { name: 'Rechercher une collectivité' });
  await search.fill(query);
  if (!withJs) {
    await page.getByRole('button', { name: 'Rechercher' }).click();
  }
  const option = page.getByRole('radio', { name });
  await expect(option).toBeVisible();
  await option.check();
}

export async function next(page: Page, heading: string, withJs: boolean) {
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await hydrated(page, withJs);
}

export async function fillStep1(page: Page, withJs: boolean) {
  await chooseCollectivite(page, withJs, 'Saint-Étienne', /^Saint-Étienne Commune/);
  await page.getByLabel('Nom et prénom').fill('Camille Martin');
  await page.getByLabel('Fonction', { exact: true }).fill('Cheffe de projet numérique');
  await page.getByLabel('Adresse électronique').fill('camille.martin@saint-etienne.fr');
}

export async function fillStep2(page: Page) {
  await page.getByLabel("Titre du cas d'usage").fill('Pré-instruction des permis de construire');
  await page.getByLabel("Le problème aujourd'hui").fill('Les dossiers arrivent incomplets et les instructeurs perdent du temps.');
  await page.getByLabel('La solution attendue').fill('Un agent IA vérifie la complétude des dossiers et prépare une note.');
  await page.getByRole('radio', { name: 'Urbanisme' }).check();
  await page.getByLabel('Périmètre fonctionnel').fill('Instruction des permis de construire');
  await page.getByLabel('Directions concernées').fill("Direction de l'urbanisme, DSI");
  await page.getByRole('checkbox', { name: 'Agents IA' }).check();
  await page.getByRole('radio', { name: 'Application intégrée au SI' }).check();
}

export async function fillStep3(page: Page) {
  await page.getByLabel("Nombre d'agents concernés").fill('25');
  await page.getByLabel("Nombre d'usagers concernés").fill('12 000');
  await page.getByLabel("Nombre d'occurrences par mois").fill('200');
  await page.getByLabel("Durée d'une occurrence, en minutes").fill('45');
  await page.getByLabel('Part du temps économisé, en pourcentage').fill('50');
}

export async function fillStep4(page: Page) {
  await page.getByLabel('Porteur métier : nom').fill('Jean Dupont');
  await page.getByLabel('Porteur métier : fonction').fill("Directeur de l'urbanisme");
}

export async function fillStep5(page: Page) {
  await page.getByLabel('Données nécessaires').fill('Dossiers de permis numérisés et règlement du PLU');
  await page.getByRole('group', { name: 'Disponibilité des données' }).getByRole('radio', { name: 'Disponibles' }).check();
  await page.getByRole('radio', { name: /^Bonne/ }).check();
  await page.getByRole('group', { name: 'Données personnelles' }).getByRole('radio', { name: 'Oui' }).check();
  await page.getByRole('radio', { name: /^Niveau 2/ }).check();
  await page.getByRole('radio', { name: /^Besoin défini/ }).check();
  await page.getByRole('radio', { name: /^Mistral Compute/ }).check();
}

/** Signs a demonstration account in (the programme team by default) and waits for the team's home. */
export async function signIn(page: Page, withJs: boolean, email = 'programme@demo.ia-factory.fr') {
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe', exact: true })).toBeVisible();
}

/** Fills the wizard up to its step 5 (with `contact` as its contact's email when given), left unsaved. */
export async function reachStep5(page: Page, withJs: boolean, contact?: string) {
  await startDraft(page, withJs);
  await fillStep1(page, withJs);
  if (contact) await page.getByLabel('Adresse électronique').fill(contact);
  await next(page, "Le cas d'usage", withJs);
  await fillStep2(page);
  await next(page, 'Volumes et impact', withJs);
  await fillStep3(page);
  await next(page, 'Portage', withJs);
  await fillStep4(page);
  await next(page, 'Données et faisabilité', withJs);
  await fillStep5(page);
}

/** Files a case through the wizard (with `contact` as its contact's email when given): its reference and the
 * private token of its receipt. */
export async function fileCase(page: Page, withJs: boolean, contact?: string): Promise<{ reference: string; token: string }> {
  await reachStep5(page, withJs, contact);
  await next(page, 'Récapitulatif', withJs);
  await page.getByRole('button', { name: "Déposer mon cas d'usage" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Votre cas d'usage a bien été déposé" })).toBeVisible();
  const reference = (await page.getByText(/IAF-\d{4}-\d{5}/).first().textContent())?.match(/IAF-\d{4}-\d{5}/)?.[0];
  expect(reference).toBeTruthy();
  const token = page.url().match(/\/deposer\/([0-9a-f]{64})\/recu/)?.[1] ?? '';
  return { reference: reference as string, token };
}
