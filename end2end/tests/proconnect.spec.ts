// Signing the team in with ProConnect, with JavaScript on and off, through the login page of a real OpenID
// provider configured like ProConnect (scripts/oidc): a member asks a team page while signed out, signs in with
// ProConnect and lands on that page; signing out ends the session here, then at ProConnect. axe on the sign-in
// page that offers ProConnect. An agent of a commune signs in to the collectivité's space, opens a case filed by a
// colleague and writes to the team in their own name; an agent starts a case from the space, pre-filled, and a
// colleague continues the shared draft; an agent invites a colleague and hands a case's contact to another, who
// accepts; a case filed by link joins the space once an agent confirms its private link; an agent of two
// collectivités chooses one at the provider and opens that one's space; an agent chooses, by keyboard, a daily
// digest of their notices, then one email per notice.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, fileCase, fillStep2, hydrated, next } from './helpers';

/** Signs an agent in to the collectivité's space through the provider's login page, from the space asked. */
async function agentSignIn(page: Page, withJs: boolean, email: string) {
  await page.goto('/collectivite');
  await expect(page).toHaveURL(/\/collectivite\/connexion$/);
  await hydrated(page, withJs);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/collectivite$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Saint-Étienne' })).toBeVisible();
  await hydrated(page, withJs);
}

/** Signs the agent out here, then at the provider, back to the space's sign-in page. */
async function agentSignOut(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/api\/v2\/session\/end/);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/collectivite\/connexion\?/);
  await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();
}

/** Attaches the case behind the private link `token` from the space: the page of the case, saying so. */
async function attachByLink(page: Page, withJs: boolean, token: string) {
  const field = page.getByLabel('Lien privé du dossier');
  // A link cut short is refused, naming the field.
  await field.fill(`${new URL(page.url()).origin}/suivi/${token.slice(0, 20)}`);
  await page.getByRole('button', { name: 'Rattacher le dossier' }).click();
  await expect(page.getByText(/« Lien privé du dossier » : ce lien n'est pas un lien de suivi complet/)).toBeVisible();
  await hydrated(page, withJs);
  await page.getByLabel('Lien privé du dossier').fill(`${new URL(page.url()).origin}/suivi/${token}`);
  await page.getByRole('button', { name: 'Rattacher le dossier' }).click();
  await expect(page.getByText("Le dossier est rattaché à l'espace de votre collectivité : vos collègues le voient aussi.")).toBeVisible();
  await hydrated(page, withJs);
}

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
  const { reference, token } = await fileCase(page, withJs);
  // Julien, an agent of the same commune, asks the space while signed out.
  await page.goto('/collectivite/connexion');
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await agentSignIn(page, withJs, 'julien.bernard@saint-etienne.fr');
  await expectNoAxeViolations(page);
  // Filed by link, the case joins the space once he confirms its private link.
  await expect(page.getByRole('link', { name: reference })).toHaveCount(0);
  await attachByLink(page, withJs, token);
  await expect(page.getByRole('heading', { level: 1, name: `Dossier ${reference}` })).toBeVisible();
  await page.getByRole('link', { name: '← Espace de la collectivité' }).click();
  await hydrated(page, withJs);
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
  await agentSignOut(page);
});

test('une agente propose un cas depuis l’espace et un collègue reprend son brouillon', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  const title = `Tri du courrier partagé ${withJs ? 'avec' : 'sans'} JavaScript ${Date.now()}`;
  // Nadia starts a case from the space: the wizard opens with her commune and herself as its contact.
  await agentSignIn(page, withJs, 'nadia.benali@saint-etienne.fr');
  await page.getByRole('button', { name: "Proposer un nouveau cas d'usage" }).click();
  await expect(page.getByLabel('Nom et prénom')).toHaveValue('Nadia Benali');
  await expect(page.getByLabel('Adresse électronique')).toHaveValue('nadia.benali@saint-etienne.fr');
  await hydrated(page, withJs);
  await page.getByLabel('Fonction', { exact: true }).fill('Responsable du courrier');
  await next(page, "Le cas d'usage", withJs);
  await fillStep2(page);
  await page.getByLabel("Titre du cas d'usage").fill(title);
  await next(page, 'Volumes et impact', withJs);
  // Her space lists the shared draft; she signs out.
  await page.goto('/collectivite');
  await expect(page.getByRole('cell', { name: title, exact: true })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await agentSignOut(page);
  // Julien continues it from his own space, with everything Nadia typed.
  await agentSignIn(page, withJs, 'julien.bernard@saint-etienne.fr');
  const draftRow = page.getByRole('row').filter({ hasText: title });
  await expect(draftRow.getByRole('cell', { name: 'Nadia Benali' })).toBeVisible();
  await page.getByRole('button', { name: `Continuer le brouillon « ${title} »` }).click();
  await expect(page.getByLabel('Nom et prénom')).toHaveValue('Nadia Benali');
  await hydrated(page, withJs);
  await next(page, "Le cas d'usage", withJs);
  await expect(page.getByLabel("Titre du cas d'usage")).toHaveValue(title);
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

test('un agent confie le contact d’un dossier à une collègue, qui accepte depuis son espace', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  const { reference, token } = await fileCase(page, withJs);
  // Nadia has signed in once: she is a colleague the case can be handed to.
  await agentSignIn(page, withJs, 'nadia.benali@saint-etienne.fr');
  await agentSignOut(page);
  // Julien invites another colleague by email, then proposes Nadia as the contact.
  await agentSignIn(page, withJs, 'julien.bernard@saint-etienne.fr');
  const invited = `collegue-${withJs ? 'js' : 'sans-js'}-${Date.now()}@saint-etienne.fr`;
  await page.getByLabel('Adresse électronique du collègue').fill(invited);
  await page.getByRole('button', { name: "Inviter dans l'espace" }).click();
  await expect(page.getByText("L'invitation est envoyée par courriel")).toBeVisible();
  await expect(page.getByText(`${invited}, invité·e par Julien Bernard`)).toBeVisible();
  await hydrated(page, withJs);
  await attachByLink(page, withJs, token);
  await expect(page.getByRole('heading', { level: 2, name: 'Contact du dossier' })).toBeVisible();
  await hydrated(page, withJs);
  await page.getByLabel('Nouveau contact').selectOption({ label: 'Nadia Benali (nadia.benali@saint-etienne.fr)' });
  await page.getByRole('button', { name: 'Proposer le transfert' }).click();
  await expect(page.getByText('Le transfert est proposé')).toBeVisible();
  await expect(page.getByText(/Transfert proposé à Nadia Benali le/)).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '← Espace de la collectivité' }).click();
  await hydrated(page, withJs);
  await agentSignOut(page);
  // Nadia accepts from her space and becomes the contact.
  await agentSignIn(page, withJs, 'nadia.benali@saint-etienne.fr');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: `Accepter d'être le contact de ${reference}` }).click();
  await expect(page.getByText('Vous êtes désormais le contact de ce dossier')).toBeVisible();
  await hydrated(page, withJs);
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByText("L'équipe du programme écrit à Nadia Benali (nadia.benali@saint-etienne.fr).")).toBeVisible();
});

test('un agent de deux collectivités choisit chez ProConnect celle dont il ouvre l’espace', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await page.goto('/collectivite');
  await expect(page).toHaveURL(/\/collectivite\/connexion$/);
  await hydrated(page, withJs);
  await page.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await page.getByLabel('Adresse électronique').fill('mathieu.garnier@saint-etienne-metropole.fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // The provider asks which organisation, as ProConnect does for an agent of several.
  await page.getByRole('group', { name: 'Pour quelle organisation vous connectez-vous ?' })
    .getByLabel('Saint-Étienne Métropole (SIRET 24420077000018)').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page).toHaveURL(/\/collectivite$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Saint-Étienne Métropole' })).toBeVisible();
  await hydrated(page, withJs);
  await expectNoAxeViolations(page);
  await agentSignOut(page);
});

test('une agente choisit au clavier un récapitulatif quotidien de ses avis, puis un courriel par avis', async ({ page, javaScriptEnabled }) => {
  const withJs = javaScriptEnabled !== false;
  await agentSignIn(page, withJs, 'camille.martin@saint-etienne.fr');
  const choices = page.getByRole('group', { name: 'Recevoir les avis' });
  const daily = choices.getByLabel('Un récapitulatif par jour, à 8 h, des avis de la veille');
  const each = choices.getByLabel('Un courriel à chaque avis');
  await daily.focus();
  await page.keyboard.press('Space');
  await expect(daily).toBeChecked();
  await page.getByRole('button', { name: 'Enregistrer mon choix' }).press('Enter');
  await expect(page.getByText("C'est noté : vous recevrez un récapitulatif par jour, à 8 h")).toBeVisible();
  await hydrated(page, withJs);
  await expect(daily).toBeChecked();
  await expectNoAxeViolations(page);
  await each.focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Enregistrer mon choix' }).press('Enter');
  await expect(page.getByText(/C'est noté : vous recevrez un courriel à chaque avis/)).toBeVisible();
  await expect(each).toBeChecked();
  await hydrated(page, withJs);
  await agentSignOut(page);
});
