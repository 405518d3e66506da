// The programme team's sign-in, with JavaScript on and off: a wrong password gets a French error, a demo
// account reaches "À traiter" under the team's header, the list of cases sorts by column, sign-out ends the
// session; axe on each page.
import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, hydrated } from './helpers';

test('un membre de l’équipe se connecte, voit ce qui est à traiter et la liste des cas, et se déconnecte', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe');
  await expect(page).toHaveURL(/\/equipe\/connexion$/);
  await expect(page.getByRole('heading', { level: 1, name: "Connexion à l'espace équipe" })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse électronique ou mot de passe incorrect.');
  await hydrated(page, withJs);

  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
  // The team's header replaces the public menu: its pages, the person and "Se déconnecter".
  const teamNav = page.getByRole('navigation', { name: "Menu de l'équipe" });
  await expect(teamNav.getByRole('link', { name: 'À traiter' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toHaveCount(0);
  await expect(page.getByText('Paul Programme (démonstration) — Équipe programme')).toBeVisible();
  // "À traiter": what is due, grouped and counted, each line leading where it is done.
  await expect(page.getByRole('heading', { level: 2, name: /^À traiter \(\d+\)$/ })).toBeVisible();
  const due = page.getByRole('region', { name: /^À traiter/ });
  await expect(due.getByRole('heading', { level: 3 }).first()).toHaveText(/ \(\d+\)$/);
  await expect(due.getByRole('link').first()).toHaveAttribute('href', /^\/equipe\//);
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  // Every case is in the list of cases, sortable by column.
  await teamNav.getByRole('link', { name: 'Cas', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cas du programme' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /Accélération de la révision du PLU/ })).toBeVisible();
  await page.getByRole('link', { name: 'Cas d\'usage', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Cas d'usage/ })).toHaveAttribute('aria-sort', 'ascending');
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  await page.getByRole('row', { name: /Accélération de la révision du PLU/ }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accélération de la révision du PLU' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Historique' })).toBeVisible();
  await expect(page.getByText("Cas d'usage déposé")).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '← Tableau' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Tableau des cas d'usage" })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('navigation', { name: "Menu de l'équipe" }).getByRole('link', { name: 'À traiter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
  await hydrated(page, withJs);

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();
  await page.goto('/equipe');
  await expect(page).toHaveURL(/\/equipe\/connexion$/);
});

test('un administrateur planifie une période de relève', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill('admin@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('link', { name: 'Périodes de relève' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Périodes de relève' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  const name = withJs ? 'Relève test avec JS' : 'Relève test sans JS';
  const year = withJs ? '2098' : '2099';
  await page.getByLabel('Nom de la période').fill(name);
  await page.getByLabel('Premier jour').fill(`${year}-03-01`);
  await page.getByLabel('Dernier jour').fill(`${year}-05-31`);
  await page.getByRole('button', { name: 'Créer la période' }).click();
  await expect(page.getByText('La période de relève a été créée.')).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText(`1er mars ${year}`);
  await expect(row).toContainText(`31 mai ${year}`);
  await expect(row).toContainText('à venir');
});

test('une page de l’équipe demandée sans session mène à la connexion, qui y revient', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe/tableau?texte=courrier');
  await expect(page).toHaveURL(/\/equipe\/connexion\?retour=%2Fequipe%2Ftableau%3Ftexte%3Dcourrier$/);
  await expect(page.getByRole('heading', { level: 1, name: "Connexion à l'espace équipe" })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/equipe\/tableau\?texte=courrier$/);
  await expect(page.getByRole('heading', { level: 1, name: "Tableau des cas d'usage" })).toBeVisible();
});
