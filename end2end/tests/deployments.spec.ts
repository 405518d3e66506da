// The passage à l'échelle, with JavaScript on and off: a published case has its pioneer's deployment; an agent of
// Lyon (another collectivité) declares from its space that Lyon runs it, in service for three months, and reports
// two months of usage — a wrong figure refused in French naming its field, the typed figures kept; a correction
// replaces a month, the history saying so. `/programme` counts the new regular agents in its total and its
// chart (with the same figures in a table); the case's catalogue page shows Lyon among its deployments. axe on
// the pages. Each project takes another published case, so that the two runs do not meet.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, hydrated } from './helpers';

/** A month `shift` months from the current one (Paris is near enough UTC for the middle of a month), as
 * `AAAA-MM` and as the pages write it. */
function month(shift: number): { iso: string; label: string } {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + shift, 15));
  const iso = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  const label = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  return { iso, label };
}

/** The total of regular agents `/programme` states. */
async function programmeTotal(page: Page): Promise<number> {
  await page.goto('/programme');
  const sentence = page.getByText(/agents utilisateurs réguliers sur un objectif de/);
  const text = (await sentence.textContent()) ?? '';
  return Number((text.match(/^([\d\s\u202f]+) agents/)?.[1] ?? '').replace(/\D/g, ''));
}

/** Fills a figure and how it was obtained. */
async function figure(page: Page, label: string, value: string, measure: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('group', { name: `Comment « ${label} » a-t-il été obtenu ?` }).getByLabel(measure).check();
}

test('une collectivité déclare un cas publié, relève son usage, le programme et le catalogue le comptent', async ({ page, javaScriptEnabled }) => {
  test.setTimeout(120_000);
  const withJs = javaScriptEnabled !== false;
  const before = await programmeTotal(page);

  await page.goto('/collectivite');
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill('marc.lefebvre@mairie-lyon.fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Lyon' })).toBeVisible();
  await hydrated(page, withJs);

  // Declaring: a published case of the catalogue, in service three months ago, listed on its page.
  const select = page.getByLabel("Cas d'usage", { exact: true });
  const option = select.locator('option').nth(withJs ? 0 : 1);
  const slug = (await option.getAttribute('value')) ?? '';
  const title = ((await option.textContent()) ?? '').replace(/ \([^)]*\)$/, '');
  await select.selectOption(slug);
  await page.getByLabel('En service', { exact: true }).check();
  const since = new Date(Date.now() - 95 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Depuis le').fill(since);
  await page.getByRole('button', { name: 'Déclarer ce déploiement' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Déploiement : ${title}` })).toBeVisible();
  await expect(page.getByText('Le déploiement est déclaré.')).toBeVisible();
  await expectNoAxeViolations(page);

  // Last month: a negative figure is refused, naming the field, what was typed kept.
  const last = month(-1);
  const current = month(0);
  await page.getByLabel('Mois', { exact: true }).fill(last.iso);
  await page.getByLabel('Effectif de la collectivité').fill('9000');
  await figure(page, 'Agents réguliers', '-3', "Statistiques de l'outil");
  await figure(page, 'Agents occasionnels', '40', 'Enquête auprès des agents');
  await figure(page, 'Usagers touchés', '0', 'Estimation');
  await page.getByRole('button', { name: 'Envoyer le relevé' }).click();
  const summary = page.getByRole('alert').filter({ hasText: "Le relevé n'est pas enregistré" });
  await expect(summary.getByRole('link', { name: '« Agents réguliers » : un nombre ne peut pas être négatif.' })).toBeVisible();
  await expect(page.getByLabel('Agents réguliers', { exact: true })).toHaveValue('-3');
  await expect(page.getByLabel('Agents occasionnels', { exact: true })).toHaveValue('40');
  await expectNoAxeViolations(page);
  await figure(page, 'Agents réguliers', '150', "Statistiques de l'outil");
  await page.getByRole('button', { name: 'Envoyer le relevé' }).click();
  await expect(page.getByText("Le relevé d'usage est enregistré. Merci !")).toBeVisible();

  // This month.
  await page.getByLabel('Mois', { exact: true }).fill(current.iso);
  await figure(page, 'Agents réguliers', '210', "Statistiques de l'outil");
  await figure(page, 'Agents occasionnels', '35', 'Enquête auprès des agents');
  await figure(page, 'Usagers touchés', '1200', 'Estimation');
  await page.getByRole('button', { name: 'Envoyer le relevé' }).click();
  await expect(page.getByText("Le relevé d'usage est enregistré. Merci !")).toBeVisible();

  // The correction replaces last month; the history says so.
  await page.getByRole('link', { name: `Corriger le relevé de ${last.label}` }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Corriger le relevé de ${last.label}` })).toBeVisible();
  await figure(page, 'Agents réguliers', '160', "Statistiques de l'outil");
  await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(page.getByText("Le relevé d'usage est corrigé")).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(`^${last.label}`) });
  await expect(row).toContainText('160');
  await expect(row).toContainText('corrigé une fois');

  // /programme counts this month's 210 in its total and draws the months.
  expect(await programmeTotal(page)).toBe(before + 210);
  await expect(page.getByRole('img', { name: /Agents utilisateurs réguliers par mois/ })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`^${current.label}`) }).first()).toBeVisible();
  await expectNoAxeViolations(page);

  // The case's page: its pioneer and Lyon, in service.
  await page.goto(`/catalogue/${slug}`);
  const deployments = page.getByRole('region', { name: 'Déploiements' });
  await expect(deployments).toContainText(/En service dans \d+ collectivités/);
  await expect(deployments).toContainText('Collectivité pionnière');
  await expect(deployments).toContainText('Lyon (Auvergne-Rhône-Alpes) — Réplication, en service');
  await expectNoAxeViolations(page);
});
