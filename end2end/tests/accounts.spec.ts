// Team administration, with JavaScript on and off: an administrator invites a member, the invitation reaches
// the test SMTP server (aiosmtpd, its Maildir read here), the member chooses a password from its link and
// signs in; "mot de passe oublié" answers the same for any address; an administrator disables a member; axe
// on each page; an administrator reserves a role to ProConnect, whose password is then refused in French.
import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { expectNoAxeViolations, hydrated } from './helpers';

async function signIn(page: Page, withJs: boolean, email: string, password: string) {
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
  await hydrated(page, withJs);
}

/** The text of the message the SMTP server received for `to`, quoted-printable decoded (waits up to 10 s). */
async function emailTo(to: string): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR ?? '', 'courriels', 'new');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    for (const file of files) {
      const raw = fs.readFileSync(path.join(dir, file), 'utf8');
      if (raw.includes(to)) {
        const decoded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const base64 = [...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)]
          .map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8'))
          .join('\n');
        return `${decoded}\n${base64}`;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`aucun courriel pour ${to} dans ${dir}`);
}

test('un administrateur invite un membre, qui choisit son mot de passe et se connecte', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  const email = `camille.${withJs ? 'js' : 'sansjs'}@exemple-collectivite.fr`;
  await signIn(page, withJs, 'admin@demo.ia-factory.fr', 'territoires-ia-demo');
  await page.getByRole('link', { name: "Comptes de l'équipe" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Comptes de l'équipe" })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);

  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Nom', { exact: true }).fill('Camille Martin');
  await page.getByLabel('Rôle', { exact: true }).selectOption({ label: 'Lecture seule' });
  await page.getByRole('button', { name: "Envoyer l'invitation", exact: true }).click();
  await expect(page.getByRole('status')).toContainText("L'invitation a été envoyée.");
  await expect(page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toContainText('Invitation envoyée');
  await hydrated(page, withJs);

  const text = await emailTo(email);
  const token = text.match(/\/equipe\/invitation\/([0-9a-f]{64})/)?.[1];
  expect(token, 'le lien de l’invitation').toBeTruthy();
  // The invitee opens the link in a browser where nobody is signed in.
  await page.context().clearCookies();

  await page.goto(`/equipe/invitation/${token}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Choisir votre mot de passe' })).toBeVisible();
  await expect(page.getByText('Bonjour Camille Martin.')).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByLabel('Mot de passe', { exact: true }).fill('court');
  await page.getByLabel('Confirmation du mot de passe').fill('court');
  await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('« Nouveau mot de passe »');
  await hydrated(page, withJs);
  await page.getByLabel('Mot de passe', { exact: true }).fill('une phrase de passe pour camille');
  await page.getByLabel('Confirmation du mot de passe').fill('une phrase de passe pour camille');
  await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Votre mot de passe est enregistré');
  await expect(page.getByText('Camille Martin — Lecture seule')).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();
  await signIn(page, withJs, email, 'une phrase de passe pour camille');
});

test('mot de passe oublié : la même réponse pour toute adresse', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByLabel('Adresse électronique').fill('personne.inconnue@exemple.fr');
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill('pas une adresse');
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('alert')).toContainText('« Adresse électronique »');
});

test('un administrateur désactive puis réactive un compte ; le journal le garde', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await signIn(page, withJs, 'admin@demo.ia-factory.fr', 'territoires-ia-demo');
  await page.goto('/equipe/comptes');
  await hydrated(page, withJs);
  const row = page.getByRole('row', { name: /lecture@demo\.ia-factory\.fr/ });
  await row.getByRole('button', { name: 'Désactiver Léa Lecture (démonstration)' }).click();
  await expect(page.getByRole('status')).toContainText('Le compte a été désactivé');
  await expect(page.getByRole('row', { name: /lecture@demo\.ia-factory\.fr/ })).toContainText('Désactivé');
  await hydrated(page, withJs);
  await page
    .getByRole('row', { name: /lecture@demo\.ia-factory\.fr/ })
    .getByRole('button', { name: 'Réactiver Léa Lecture (démonstration)' })
    .click();
  await expect(page.getByRole('status')).toContainText('Le compte a été réactivé');
  await hydrated(page, withJs);
  await page.getByRole('navigation', { name: "Menu de l'équipe" }).getByRole('link', { name: 'Journal des connexions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Journal des connexions' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Compte désactivé' }).first()).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.goto('/equipe/courriels');
  await expect(page.getByRole('heading', { level: 1, name: 'Courriels envoyés' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.goto('/equipe');
  await hydrated(page, withJs);
  await page.getByRole('link', { name: 'Mes sessions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes sessions' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /\(cette session\)/ })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.goto('/equipe/mot-de-passe');
  await expect(page.getByRole('heading', { level: 1, name: 'Changer mon mot de passe' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
});

test('un administrateur réserve un rôle à ProConnect : son mot de passe est refusé en français', async ({ page, browser, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await signIn(page, withJs, 'admin@demo.ia-factory.fr', 'territoires-ia-demo');
  await page.goto('/equipe/comptes');
  await expect(page.getByRole('heading', { level: 2, name: 'Connexion par mot de passe' })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('button', { name: 'Désactiver le mot de passe pour « Lecture seule »' }).click();
  try {
    await expect(page.getByRole('status').filter({ hasText: 'La connexion par mot de passe a été réglée' })).toBeVisible();
    await expect(page.getByText(/Lecture seule : ProConnect seulement, depuis le/)).toBeVisible();
    await hydrated(page, withJs);
    await expectNoAxeViolations(page);
    // The reader's right password no longer opens a session: the page says why and what to do.
    const reader = await browser.newContext({ javaScriptEnabled: withJs, locale: 'fr-FR' });
    const readerPage = await reader.newPage();
    await readerPage.goto('/equipe/connexion');
    await hydrated(readerPage, withJs);
    await readerPage.getByLabel('Adresse électronique').fill('lecture@demo.ia-factory.fr');
    await readerPage.getByLabel('Mot de passe').fill('territoires-ia-demo');
    await readerPage.getByRole('button', { name: 'Se connecter' }).click();
    await expect(readerPage.getByRole('alert')).toContainText(
      "La connexion par mot de passe est désactivée pour les comptes « Lecture seule » : utilisez « S'identifier avec ProConnect »",
    );
    await reader.close();
  } finally {
    // Back on, whatever happened, for the other tests.
    await page.goto('/equipe/comptes');
    await hydrated(page, withJs);
    await page.getByRole('button', { name: 'Autoriser le mot de passe pour « Lecture seule »' }).click();
    await expect(page.getByText(/Lecture seule : mot de passe ou ProConnect\./)).toBeVisible();
  }
});

test('une direction régionale ne voit que les cas de ses régions', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await signIn(page, withJs, 'direction-regionale@demo.ia-factory.fr', 'territoires-ia-demo');
  await expect(page.getByText('Diane Direction régionale Bretagne (démonstration) — Direction régionale')).toBeVisible();
  await page.getByRole('navigation', { name: "Menu de l'équipe" }).getByRole('link', { name: 'Cas', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cas du programme' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /Prise de notes et comptes rendus de réunions/ })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /Accélération de la révision du PLU/ })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('navigation', { name: "Menu de l'équipe" }).getByRole('link', { name: 'Tableau', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Tableau des cas d'usage" })).toBeVisible();
  await hydrated(page, withJs);
  await expect(page.getByText('Tri et réponse aux courriers des usagers').first()).toBeVisible();
  await expect(page.getByText('Accélération de la révision du PLU')).toHaveCount(0);
  await expect(page.getByText('Agent conversationnel du site web')).toHaveCount(0);
  await expectNoAxeViolations(page);
});
