// Signing the team in with ProConnect, with JavaScript on and off, through the login page of a real OpenID
// provider configured like ProConnect (scripts/oidc): a member asks a team page while signed out, signs in with
// ProConnect and lands on that page; signing out ends the session here, then at ProConnect. axe on the sign-in
// page that offers ProConnect. An agent of a commune signs in to the collectivité's space, opens a case filed by a
// colleague and writes to the team in their own name.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, fileCase, hydrated } from './helpers';

test('un membre de l’équipe se connecte avec ProConnect et arrive sur la page demandée', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe/tableau');
  await expect(page).toHaveURL(/\/equipe\/connexion\?retour=%2Fequipe%2Ftableau$/);
  await hydrated(page, withJs);
  await expect(page.getByRole('heading', { level: 2, name: 'Agents publics : connexion avec ProConnect' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  // ProConnect's login page (the test provider's).
  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/equipe\/tableau$/);
  await expect(page.getByRole('heading', { level: 1, name: "Tableau des cas d'usage" })).toBeVisible();
  await hydrated(page, withJs);
  // Signing out: the session ends here, then at ProConnect, which sends the browser back to the sign-in page.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/api\/v2\/session\/end/);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/equipe\/connexion\?/);
  await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();
  await page.goto('/equipe');
  await expect(page).toHaveURL(/\/equipe\/connexion/);
});

test('un agent sans compte de l’équipe est refusé en français', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill('julien.bernard@saint-etienne.fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/equipe\/connexion\?proconnect=inconnu$/);
  await expect(page.getByRole('alert')).toContainText("demandez à un administrateur de l'IA Factory de vous inviter");
  await expectNoAxeViolations(page);
});

test('un agent de la commune se connecte à l’espace collectivité et voit le cas déposé par une collègue', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  // Camille files a case for Saint-Étienne by the wizard (a private link, no sign-in).
  const { reference } = await fileCase(page, withJs);
  // Julien, an agent of the same commune, asks the space while signed out.
  await page.goto('/collectivite');
  await expect(page).toHaveURL(/\/collectivite\/connexion$/);
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill('julien.bernard@saint-etienne.fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/collectivite$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Saint-Étienne' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  // He opens the case and writes to the team in his own name.
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Dossier ${reference}` })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByLabel('Votre message').fill('Le service courrier est prêt à tester la solution.');
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByText("Votre message a été envoyé ; l'équipe du programme en est prévenue par courriel.")).toBeVisible();
  await expect(page.getByText('Julien Bernard (collectivité)')).toBeVisible();
  await expect(page.getByText('Le service courrier est prêt à tester la solution.')).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '← Espace de la collectivité' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Saint-Étienne' })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/api\/v2\/session\/end/);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/collectivite\/connexion\?/);
  await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();
});

test('une entreprise privée est refusée à l’espace collectivité, en la nommant', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/collectivite/connexion');
  await hydrated(page, withJs);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill('claire.petit@danone.com');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Connexion refusée à l'espace collectivité" })).toBeVisible();
  await expect(page.getByText(/« Danone » \(SIRET 55203253400646\)/)).toBeVisible();
  await expectNoAxeViolations(page);
});
