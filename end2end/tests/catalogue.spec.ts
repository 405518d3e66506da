// The public catalogue, with JavaScript on and off (its pages ship no WebAssembly, so both runs read the same
// server HTML): French search, a filter, the empty state, a case page, "Je veux répliquer ce cas" leading to a
// pre-filled wizard, and the programme's indicators; axe on the three pages.
import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, hydrated } from './helpers';

test('chercher, filtrer, ouvrir un cas et le répliquer', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/catalogue');
  await expect(page.getByRole('heading', { level: 1, name: "Catalogue des cas d'usage répliquables" })).toBeVisible();
  await expect(page).toHaveTitle(/Catalogue des cas d'usage répliquables/);
  await expect(page.getByRole('status')).toContainText("cas d'usage répliquables");
  await expectNoAxeViolations(page);

  // Accents and plurals do not matter.
  await page.getByRole('searchbox', { name: 'Rechercher' }).fill('marche public');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/texte=marche(\+|%20)public/);
  // The demonstration's catalogue also holds the Bibliothèque d'IA territoriales' sample: Toulouse's public
  // procurement assistant matches too.
  await expect(page.getByRole('status')).toHaveText("1 cas d'usage répliquable et 1 projet de la Bibliothèque d'IA territoriales.");
  await expect(page.getByRole('link', { name: 'Génération des pièces de marchés publics' })).toBeVisible();
  await expect(page).toHaveTitle(/2 résultats/);

  // A filter, kept in the URL; the back button returns to the search.
  await page.goto('/catalogue');
  await page.getByLabel('Domaine').selectOption({ label: 'Urbanisme' });
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/domaine=urbanisme/);
  await expect(page.getByRole('link', { name: 'Accélération de la révision du PLU' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Génération des pièces de marchés publics' })).toHaveCount(0);

  // An honest empty state.
  await page.goto('/catalogue?texte=zzzz');
  await expect(page.getByRole('status')).toHaveText("Aucun cas d'usage ne correspond à votre recherche.");
  await expect(page.getByRole('link', { name: "Proposez votre cas d'usage" })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/domaine=urbanisme/);

  // The case page.
  await page.getByRole('link', { name: 'Accélération de la révision du PLU' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accélération de la révision du PLU' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Vidéos de démonstration' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'transcription', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Témoignage des agents (sans transcription) (vidéo)' })).toBeVisible();
  await expect(page.getByText(/Mesurés après déploiement/)).toBeVisible();
  await expectNoAxeViolations(page);

  // "Je veux répliquer ce cas": the wizard opens pre-filled.
  await page.getByRole('button', { name: 'Je veux répliquer ce cas' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Votre collectivité' })).toBeVisible();
  await expect(page.getByText('Vous proposez de répliquer le cas')).toBeVisible();
  await hydrated(page, withJs);
  await page.goto(page.url().replace(/\/etape\/1.*$/, '/etape/2'));
  await expect(page.getByRole('heading', { level: 1, name: "Le cas d'usage" })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Urbanisme' })).toBeChecked();
});

test('le programme en chiffres', async ({ page }) => {
  await page.goto('/programme');
  await expect(page.getByRole('heading', { level: 1, name: 'Le programme en chiffres' })).toBeVisible();
  await expect(page.getByText('Collectivités pionnières accompagnées')).toBeVisible();
  await expect(page.getByRole('img', { name: /collectivités sur un objectif de 15/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /cas sur un objectif de 15/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /sur un objectif de 100/ })).toBeVisible();
  await expect(page.getByRole('table').first()).toContainText('Diffusion et passage à l\'échelle');
  // Over time: lead times per stage, filings per month, outcomes per period, and the same figures as CSV.
  await expect(page.getByRole('heading', { level: 2, name: 'Temps passé à chaque étape' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Cas déposés par mois' })).toBeVisible();
  const csv = await page.request.get('/programme/indicateurs.csv');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('indicateur;periode_ou_mois;etape;valeur');
  // The map: each région a link to the catalogue filtered on it.
  const bretagne = page.getByRole('link', { name: /^Bretagne : \d+ cas/ });
  await expect(bretagne).toHaveAttribute('href', '/catalogue?region=Bretagne');
  await expectNoAxeViolations(page);
});
