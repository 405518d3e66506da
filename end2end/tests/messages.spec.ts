// The collectivité in the loop, with JavaScript on and off: the team asks a question from the case page, the
// email reaches the test SMTP server (aiosmtpd), the collectivité answers from its follow-up page with a PDF,
// the team sees and downloads it; a file named .pdf with executable content is refused; the EICAR file is
// quarantined by the real ClamAV daemon; the attestation de dépôt downloads. axe on each page.
import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { expectNoAxeViolations, fileCase, hydrated } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(2000)]);
const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

/** The decoded text of the emails the SMTP server received for `to` whose text contains `marker`. */
async function emailTo(to: string, marker: string): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR ?? '', 'courriels', 'new');
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    for (const file of files) {
      const raw = fs.readFileSync(path.join(dir, file), 'utf8');
      if (!raw.includes(to)) continue;
      // Quoted-printable: soft line breaks removed, each run of =XX bytes decoded as UTF-8.
      const decoded = raw
        .replace(/=\r?\n/g, '')
        .replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
      const base64 = [...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)]
        .map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8'))
        .join('\n');
      const text = `${decoded}\n${base64}`;
      if (text.includes(marker)) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`aucun courriel « ${marker} » pour ${to} dans ${dir}`);
}

async function signInProgramme(page: Page, withJs: boolean) {
  await page.goto('/equipe/connexion');
  await hydrated(page, withJs);
  await page.getByLabel('Adresse électronique').fill('programme@demo.ia-factory.fr');
  await page.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace équipe' })).toBeVisible();
}

test('l’équipe pose une question, la collectivité répond avec un PDF, l’équipe le télécharge', async ({ browser, page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  const contact = `contact.${withJs ? 'js' : 'sansjs'}.${Date.now()}@saint-etienne.fr`;
  const { reference } = await fileCase(page, withJs, contact);

  // The deposit receipt reached the contact, and the attestation downloads from the receipt.
  await emailTo(contact, 'a bien été déposé');
  const [attestation] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: "Télécharger l'attestation de dépôt (PDF)" }).click(),
  ]);
  expect(attestation.suggestedFilename()).toBe(`attestation-depot-${reference}.pdf`);
  const pdfPath = await attestation.path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');

  // The team asks its question from the case page.
  const team = await browser.newContext({ javaScriptEnabled: withJs, locale: 'fr-FR' });
  const teamPage = await team.newPage();
  await signInProgramme(teamPage, withJs);
  await teamPage.goto(`/equipe/cas/${reference}`);
  await expect(teamPage.getByRole('heading', { level: 2, name: 'Messages' })).toBeVisible();
  await hydrated(teamPage, withJs);
  await expectNoAxeViolations(teamPage);
  await teamPage.getByRole('button', { name: 'Suivre ce dossier' }).click();
  await expect(teamPage.getByRole('button', { name: 'Ne plus suivre ce dossier' })).toBeVisible();
  const question = 'Pouvez-vous nous envoyer la délibération du conseil municipal ?';
  await teamPage.getByLabel('Votre message').fill(question);
  await teamPage.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(teamPage.getByRole('status').filter({ hasText: 'Votre message a été envoyé' })).toBeVisible();

  // The collectivité gets the email, opens its link and answers with a PDF.
  const email = await emailTo(contact, question);
  const token = email.match(/\/suivi\/([0-9a-f]{64})/)?.[1];
  expect(token, 'le lien de suivi du courriel').toBeTruthy();
  const collectivite = await browser.newContext({ javaScriptEnabled: withJs, locale: 'fr-FR' });
  const own = await collectivite.newPage();
  await own.goto(`/suivi/${token}`);
  await expect(own.getByText(question)).toBeVisible();
  await expectNoAxeViolations(own);
  await own.getByLabel('Votre message').fill('Voici la délibération.');
  await own.getByLabel('Joindre des fichiers (facultatif)').setInputFiles([
    { name: 'deliberation.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await own.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(own.getByRole('status').filter({ hasText: 'Votre message a été envoyé' })).toBeVisible();
  await expect(own.getByRole('listitem').filter({ hasText: 'Voici la délibération.' })).toBeVisible();

  // With JavaScript, a file of a type not accepted is refused before anything is sent, the text kept.
  if (withJs) {
    await own.getByLabel('Votre message').fill('Un outil.');
    await own.getByLabel('Joindre des fichiers (facultatif)').setInputFiles([
      { name: 'outil.exe', mimeType: 'application/octet-stream', buffer: ELF },
    ]);
    await own.getByRole('button', { name: 'Envoyer le message' }).click();
    await expect(own.getByRole('alert').filter({ hasText: "Rien n'a été envoyé" }))
      .toContainText("« outil.exe » n'est pas d'un type accepté");
    await expect(own.getByLabel('Votre message')).toHaveValue('Un outil.');
  }

  // A file named .pdf with executable content is refused, with its reason, linked to the file field.
  await own.getByLabel('Votre message').fill('Un second document.');
  await own.getByLabel('Joindre des fichiers (facultatif)').setInputFiles([
    { name: 'programme.pdf', mimeType: 'application/pdf', buffer: ELF },
  ]);
  await own.getByRole('button', { name: 'Envoyer le message' }).click();
  const refused = own.getByRole('alert').filter({ hasText: "Ce qui n'a pas été envoyé" });
  await expect(refused).toContainText("Un fichier n'a pas été ajouté : son contenu ne correspond pas à son extension");
  await expectNoAxeViolations(own);

  // The EICAR file is quarantined by ClamAV: the page says it is blocked.
  await own.getByLabel('Votre message').fill('Le fichier de test.');
  await own.getByLabel('Joindre des fichiers (facultatif)').setInputFiles([
    { name: 'eicar.txt', mimeType: 'text/plain', buffer: EICAR },
  ]);
  await own.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(own.getByRole('status').filter({ hasText: 'Votre message a été envoyé' })).toBeVisible();
  await expect(async () => {
    await own.reload();
    const file = own.getByRole('listitem').filter({ hasText: /^eicar\.txt/ });
    await expect(file).toContainText("bloqué par l'antivirus", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await emailTo(contact, 'eicar.txt');

  // The follower is told; the team sees the answer and downloads the PDF.
  await emailTo('programme@demo.ia-factory.fr', 'Voici la délibération.');
  await teamPage.goto(`/equipe/cas/${reference}`);
  await expect(teamPage.getByText('Voici la délibération.')).toBeVisible();
  const pdfLink = teamPage.getByRole('link', { name: /deliberation\.pdf/ });
  await expect(async () => {
    await teamPage.reload();
    await expect(pdfLink).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const [download] = await Promise.all([teamPage.waitForEvent('download'), pdfLink.click()]);
  expect(download.suggestedFilename()).toBe('deliberation.pdf');
  expect(fs.readFileSync(await download.path()).equals(PDF)).toBe(true);
  await expect(teamPage.getByText(/Eicar-Test-Signature/)).toBeVisible();
  await expectNoAxeViolations(teamPage);
  await team.close();
  await collectivite.close();
});

test('« Lien perdu ? » répond de la même façon et envoie les liens de suivi', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  const contact = `perdu.${withJs ? 'js' : 'sansjs'}.${Date.now()}@saint-etienne.fr`;
  const { reference } = await fileCase(page, withJs, contact);
  await page.goto('/deposer');
  await page.getByRole('link', { name: 'Recevoir à nouveau mes liens de suivi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lien de suivi perdu ?' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  for (const address of ['personne@inconnu.fr', contact]) {
    await page.getByLabel('Adresse électronique').fill(address);
    await page.getByRole('button', { name: 'Recevoir mes liens' }).click();
    await expect(page.getByRole('status')).toContainText('Si des cas d\'usage ont été déposés avec cette adresse');
    await page.goto('/lien-perdu');
    await hydrated(page, withJs);
  }
  const email = await emailTo(contact, 'demandé les liens de suivi');
  expect(email).toContain(reference);
  const token = email.match(/\/suivi\/([0-9a-f]{64})/)?.[1];
  await page.goto(`/suivi/${token}`);
  await expect(page.getByRole('heading', { level: 1, name: `Suivi du dossier ${reference}` })).toBeVisible();
  await hydrated(page, withJs);
  // A new link ends the old ones.
  await page.getByLabel("J'ai compris que les liens envoyés jusqu'ici cesseront de fonctionner").check();
  await page.getByRole('button', { name: 'Émettre un nouveau lien' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Un nouveau lien privé a été émis' })).toBeVisible();
  expect(page.url()).not.toContain(token as string);
  const old = await page.goto(`/suivi/${token}`);
  expect(old?.status()).toBe(404);
});
