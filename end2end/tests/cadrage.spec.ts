// Stages 3 to 5 from start to end, with JavaScript on and off: a new version of the tripartite cadrage
// document (its difference and its print view, checked in a screenshot), the three parties' validations, the
// card moved on, the phase 4 conditions checked with their evidence and the log, the diffusion kit with its
// preview, the publication, and the case found in the public catalogue. axe on every page.
import { test, expect, Page } from '@playwright/test';
import { expectNoAxeViolations, hydrated } from './helpers';

const SIGNED_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function signIn(page: Page, withJs: boolean) {
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe', exact: true })).toBeVisible();
}

async function moveToNextStage(page: Page, withJs: boolean, title: string, from: RegExp, to: RegExp) {
  await page.goto('/equipe/tableau');
  await hydrated(page, withJs);
  const card = page.getByRole('region', { name: from }).getByRole('article', { name: title });
  await card.getByText(/^Déplacer la carte/).click();
  await card.getByRole('button', { name: /^Étape suivante/ }).click();
  await expect(page.getByRole('region', { name: to }).getByRole('article', { name: title })).toBeVisible();
}

test('cadrage, validations, phase 4, kit de diffusion et publication au catalogue', async ({ page, javaScriptEnabled }, testInfo) => {
  const withJs = javaScriptEnabled !== false;
  const title = withJs ? 'Détection des pathologies routières' : "Pré-instruction des autorisations d'urbanisme";
  await signIn(page, withJs);

  // The case page (from the list of cases) links to its cadrage document.
  await page.goto('/equipe/cas');
  await page.getByRole('row', { name: new RegExp(title) }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const reference = (await page.locator('.step-count').first().textContent())?.trim() ?? '';
  expect(reference).toMatch(/^IAF-\d{4}-\d{4,}$/);
  await page.getByRole('link', { name: 'Document de cadrage tripartite' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Document de cadrage tripartite' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await expect(page.getByText('1 validation sur 3.')).toBeVisible();

  // The gate refuses the move while the version in force is not validated by the three parties.
  await page.goto('/equipe/tableau');
  await hydrated(page, withJs);
  const cadrageCard = page.getByRole('region', { name: /^3 Cadrage/ }).getByRole('article', { name: title });
  await cadrageCard.getByText(/^Déplacer la carte/).click();
  await cadrageCard.getByRole('button', { name: /^Étape suivante/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'trois parties' })).toBeVisible();
  await page.getByRole('link', { name: 'Ouvrir le document de cadrage et ses validations' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Document de cadrage tripartite' })).toBeVisible();
  await hydrated(page, withJs);

  // Version 2: a new objective and a fourth condition; the earlier validation no longer counts.
  const objectives = page.getByLabel('Objectifs opérationnels *');
  await objectives.fill('Réduire de moitié le délai de traitement.\nMesurer le taux d’adoption par les agents.');
  const conditions = page.getByLabel('Conditions du passage de la conception à la diffusion *');
  await conditions.fill(`${await conditions.inputValue()}\nTaux d'adoption supérieur à 50 %`);
  await page.getByRole('button', { name: 'Enregistrer la version 2' }).click();
  await expect(page.getByText('La nouvelle version du document de cadrage a été enregistrée.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Validations de la version 2' })).toBeVisible();
  await expect(page.getByText('0 validation sur 3.')).toBeVisible();
  await hydrated(page, withJs);

  // The difference between versions 1 and 2.
  await page.getByRole('link', { name: 'Comparer avec la version 1' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'De la version 1 à la version 2' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: "+ Ajouté : Taux d'adoption supérieur à 50 %" })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Objectifs opérationnels' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  // The print view: A4, the site's header and footer hidden, the reference and version on the page.
  await page.goto(`/equipe/cas/${reference}/cadrage/version/2`);
  await expect(page.getByRole('heading', { level: 1, name: /^Document de cadrage tripartite/ })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByText(`${reference} — version 2`, { exact: true })).toBeVisible();
  await page.setViewportSize({ width: 794, height: 1123 });
  const shot = await page.screenshot({ fullPage: true });
  await testInfo.attach(`impression-${reference}-v2.png`, { body: shot, contentType: 'image/png' });
  expect(shot.length).toBeGreaterThan(10_000);
  // Printed as PDF by Chromium: A4 pages (595 × 842 points), more than one for a full document.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  await testInfo.attach(`impression-${reference}-v2.pdf`, { body: pdf, contentType: 'application/pdf' });
  const raw = pdf.toString('latin1');
  const box = raw.match(/\/MediaBox \[0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\]/);
  expect(box, 'format de page du PDF').not.toBeNull();
  expect(Math.round(Number(box?.[1]) / 2.835), 'largeur en mm').toBe(210);
  expect(Math.round(Number(box?.[2]) / 2.835), 'hauteur en mm').toBe(297);
  expect((raw.match(/\/Type \/Page\b/g) ?? []).length, 'nombre de pages').toBeGreaterThan(1);
  await page.emulateMedia({ media: 'screen' });
  // The OpenDocument export of the same version.
  const odt = await page.request.get(`/equipe/cas/${reference}/cadrage/2/document.odt`);
  expect(odt.status()).toBe(200);
  expect(odt.headers()['content-type']).toBe('application/vnd.oasis.opendocument.text');
  expect((await odt.body()).subarray(30, 38).toString()).toBe('mimetype');

  // The three parties validate version 2: the Caisse des Dépôts by the team member; the collectivité and the
  // prestataire signed on paper, recorded by the team only once the signed PDF is attached to the case.
  await page.goto(`/equipe/cas/${reference}/cadrage`);
  await hydrated(page, withJs);
  await page.getByRole('button', { name: 'Enregistrer la validation de la caisse des dépôts' }).click();
  await expect(page.getByText('La validation a été enregistrée.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Enregistrer la signature sur papier/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'joindre le PDF signé à un message' }).first().click();
  await hydrated(page, withJs);
  await page.getByLabel('Votre message').fill('Document de cadrage signé sur papier par la maire et le prestataire.');
  await page.getByLabel('Joindre des fichiers (facultatif)').setInputFiles([
    { name: 'cadrage-signe.pdf', mimeType: 'application/pdf', buffer: SIGNED_PDF },
  ]);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre message a été envoyé' })).toBeVisible();
  // Offered once the antivirus has read it.
  await expect(async () => {
    await page.goto(`/equipe/cas/${reference}/cadrage`);
    await expect(page.getByLabel('Document signé (PDF)').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await hydrated(page, withJs);
  for (const party of ['la collectivité', 'le prestataire technique']) {
    await page.getByRole('button', { name: `Enregistrer la signature sur papier de ${party}` }).click();
    await expect(page.getByText('La validation a été enregistrée.')).toBeVisible();
    await hydrated(page, withJs);
  }
  await expect(page.getByText(/signature sur papier, PDF signé « cadrage-signe\.pdf » joint/)).toHaveCount(2);
  await expect(page.getByText('Les trois parties ont validé la version en vigueur')).toBeVisible();

  // The card moves on; the next gate wants the phase 4 conditions.
  await moveToNextStage(page, withJs, title, /^3 Cadrage/, /^4 Conception/);
  const conceptionCard = page.getByRole('region', { name: /^4 Conception/ }).getByRole('article', { name: title });
  await hydrated(page, withJs);
  await conceptionCard.getByText(/^Déplacer la carte/).click();
  await conceptionCard.getByRole('button', { name: /^Étape suivante/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'phase 4' })).toBeVisible();
  await page.getByRole('link', { name: 'Vérifier les conditions de la phase 4' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Conception et implémentation' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  // Phase 4: a log entry, then every condition checked with its evidence.
  await page.getByLabel('Nature').selectOption({ label: 'Test' });
  await page.getByLabel('Ce qui a été fait et ce qui en ressort').fill('Test avec huit agents pendant deux semaines.');
  await page.getByRole('button', { name: 'Ajouter au journal' }).click();
  await expect(page.getByText("L'entrée a été ajoutée au journal de la phase 4.")).toBeVisible();
  await expect(page.getByText('Test avec huit agents pendant deux semaines.')).toBeVisible();
  await hydrated(page, withJs);
  const evidence = page.getByLabel(/^Preuve : /);
  const count = await evidence.count();
  expect(count).toBe(4);
  for (let index = 0; index < count; index += 1) {
    await page.getByLabel(/^Preuve : /).nth(index).fill(`Compte rendu du comité n° ${index + 1}`);
    await page.getByRole('button', { name: 'Vérifier cette condition' }).first().click();
    await expect(page.getByText('La vérification de la condition a été enregistrée.')).toBeVisible();
    await expect(page.getByText(`Preuve : Compte rendu du comité n° ${index + 1}`)).toBeVisible();
    await hydrated(page, withJs);
  }
  await expect(page.getByText('Le cas peut passer à la diffusion.')).toBeVisible();
  await moveToNextStage(page, withJs, title, /^4 Conception/, /^5 Diffusion/);

  // Phase 5: the kit with the measured gains beside the estimate, its preview, the publication.
  await page.goto(`/equipe/cas/${reference}/diffusion`);
  await expect(page.getByRole('heading', { level: 1, name: "Diffusion et passage à l'échelle" })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await expect(page.getByText(/^Estimation lors du dépôt/)).toBeVisible();
  await page.getByLabel('Résumé public').fill(`${title} : une solution éprouvée, prête à être reprise.`);
  await page.getByLabel('Contact', { exact: true }).fill('territoiresdia@caissedesdepots.fr');
  await page.getByLabel('Documentation').fill('## Mettre en place\n\n1. Nommer un chef de projet.\n2. Ouvrir les données.');
  await page.getByLabel('Vidéos de démonstration').fill('Démonstration | https://videos.exemple.fr/demo | https://videos.exemple.fr/demo.vtt');
  await page.getByLabel('Agents utilisant réellement la solution').fill('18');
  await page.getByLabel('Heures économisées par an, mesurées').fill('2400');
  await page.getByRole('button', { name: 'Enregistrer le kit' }).click();
  await expect(page.getByText('Le kit de diffusion a été enregistré.')).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('link', { name: 'Aperçu et publication' }).click();
  await expect(page.getByRole('region', { name: 'Aperçu' })).toContainText('exactement ce que le public verra');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/Mesurés après déploiement : 18 agents/)).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Publier au catalogue' }).click();
  await expect(page.getByText('Le cas est publié au catalogue public.')).toBeVisible();

  // The public finds it, without an account.
  await page.context().clearCookies();
  await page.goto('/catalogue');
  await page.getByRole('searchbox', { name: 'Rechercher' }).fill(title);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/Mesurés après déploiement : 18 agents utilisent la solution, 2.400 heures/)).toBeVisible();
});
