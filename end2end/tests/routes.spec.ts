// axe-core on every page of the routes catalogue (`SITE_MAP` in app/src/routes/, read from the source so that a
// page added there is checked here), the error pages included, with JavaScript on and off. axe runs inside the
// page: without JavaScript, the pages are checked in a second context where the site's own scripts and
// WebAssembly are refused, so what axe sees is the server's HTML as a browser without JavaScript shows it.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as path from 'path';
import { fileCase, startDraft } from './helpers';

/** The paths of `SITE_MAP`, its constants (`SITE_MAP_PAGE`…) replaced by their values. */
function siteMap(): string[] {
  // The constants live in routes/mod.rs, the list in routes/site_map.rs.
  const source = ['mod.rs', 'site_map.rs']
    .map((file) => fs.readFileSync(path.resolve(__dirname, '../../app/src/routes', file), 'utf8'))
    .join('\n');
  const constants = new Map([...source.matchAll(/pub const (\w+): &str = "([^"]*)";/g)].map((m) => [m[1], m[2]]));
  const start = source.indexOf('pub const SITE_MAP');
  const block = source.slice(start, source.indexOf('];', start));
  return [...block.matchAll(/\(\s*(?:"([^"]+)"|([A-Z_]+)),/g)].map((m) => m[1] ?? constants.get(m[2]) ?? m[2]);
}

/** Addresses that are not pages: files, feeds, streams, health checks, form targets, downloads, the Markdown
 * documents of `/docs/` (served as text/markdown, not HTML) and ProConnect's redirects (proconnect.spec.ts). */
function isPage(route: string): boolean {
  return !/\.(csv|json|jsonld|atom|xml|txt|pdf|odt)$/.test(route)
    && !['/sante', '/pret', '/equipe/flux'].includes(route)
    && !/\/(pieces|messages)$/.test(route)
    && !route.includes('/pieces/{id}')
    && !route.startsWith('/equipe/export/')
    && !route.startsWith('/connexion/proconnect')
    && !route.startsWith('/docs/');
}

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('axe-core : aucune violation sur chaque page du catalogue des routes, pages d’erreur comprises', async ({ browser, page, javaScriptEnabled }) => {
  test.setTimeout(600_000);
  const withJs = javaScriptEnabled !== false;
  // What the pages with parameters show: a filed case, a draft, a published case, a case of the team.
  const filedCase = await fileCase(page, withJs);
  const filed = filedCase.token;
  const draft = (await startDraft(page, withJs)).match(/\/deposer\/([0-9a-f]{64})\//)?.[1] ?? '';
  expect(filed).toMatch(/^[0-9a-f]{64}$/);
  await page.goto('/catalogue');
  const slug = (await page.locator('.catalogue-list h2 a').first().getAttribute('href'))?.replace('/catalogue/', '') ?? '';
  expect(slug).not.toBe('');

  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: test.info().project.use.baseURL, locale: 'fr-FR' });
  if (!withJs) {
    await context.route(/\/pkg\/.*\.(js|wasm)(\?.*)?$/, (route) => route.abort());
  }
  const checker = await context.newPage();
  const violations: string[] = [];
  const checked: string[] = [];
  const check = async (url: string) => {
    const response = await checker.goto(url);
    expect(response?.status() ?? 0, url).toBeLessThan(500);
    if (withJs) {
      // Islands hydrated (or a page with no loader at all).
      await checker.waitForFunction(
        () => (window as any).__iafHydrated === true || !document.querySelector('script[type="module"]'),
        undefined,
        { timeout: 20_000 },
      );
    }
    const results = await new AxeBuilder({ page: checker }).withTags(TAGS).analyze();
    for (const v of results.violations) {
      violations.push(`${url} — ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }
    checked.push(url);
  };

  const routes = siteMap().filter(isPage);
  expect(routes.length, 'pages in the routes catalogue').toBeGreaterThan(30);
  const fill = (route: string, reference: string) => route
    .replace('/deposer/{token}/recu', `/deposer/${filed}/recu`)
    .replace('/suivi/{token}', `/suivi/${filed}`)
    .replace('/deposer/{token}', `/deposer/${draft}`)
    .replace(/\/(invitation|reinitialisation)\/\{token\}/, `/$1/${'0'.repeat(64)}`)
    .replace('/catalogue/bibliotheque/{slug}', '/catalogue/bibliotheque/vipare-metz')
    .replace('{slug}', slug)
    .replace('{reference}', reference)
    .replace('{numero}', '1')
    .replace(/\/comparer$/, '/comparer?de=1&a=1');

  // Signed out: the public pages, the wizard's five steps, the follow-up, sign-in and the links' pages.
  for (const route of routes.filter((r) => !r.includes('{reference}'))) {
    if (route.startsWith('/equipe') && !/connexion|mot-de-passe-oublie|invitation|reinitialisation/.test(route)) continue;
    if (route.includes('{etape}')) {
      for (const step of [1, 2, 3, 4, 5]) await check(fill(route, '').replace('{etape}', String(step)));
    } else {
      await check(fill(route, ''));
    }
  }
  // Error pages: an unknown address, a case that is not published, a private link that leads nowhere.
  for (const url of ['/page-qui-n-existe-pas', '/catalogue/cas-inconnu', `/suivi/${'f'.repeat(64)}`]) await check(url);

  // Signed in as an administrator (every team page is open to that role), on a case with a cadrage.
  await checker.goto('/equipe/connexion');
  await checker.getByLabel('Adresse électronique').fill('admin@demo.ia-factory.fr');
  await checker.getByLabel('Mot de passe').fill('territoires-ia-demo');
  await checker.getByRole('button', { name: 'Se connecter' }).click();
  await expect(checker.getByRole('heading', { level: 1, name: 'Espace équipe', exact: true })).toBeVisible();
  await checker.goto('/equipe/cas');
  const row = checker.getByRole('row', { name: /Détection des pathologies routières/ });
  const reference = ((await row.getByRole('link').first().textContent()) ?? '').trim();
  expect(reference).toMatch(/^IAF-\d{4}-\d{4,}$/);
  for (const route of routes.filter((r) => r.startsWith('/equipe') && !/connexion|mot-de-passe-oublie|invitation|reinitialisation/.test(r))) {
    await check(fill(route, reference));
  }
  await check('/equipe/cas/IAF-2099-99999');

  // Signed in with ProConnect as an agent of Saint-Étienne, on the case filed above (a case of that commune).
  await checker.goto('/collectivite/connexion');
  await checker.getByRole('button', { name: "S'identifier avec ProConnect" }).click();
  await checker.getByLabel('Adresse électronique').fill('julien.bernard@saint-etienne.fr');
  await checker.getByRole('button', { name: 'Se connecter' }).click();
  await expect(checker.getByRole('heading', { level: 1, name: 'Espace de la collectivité : Saint-Étienne' })).toBeVisible();
  for (const route of routes.filter((r) => r.startsWith('/collectivite') && r.includes('{reference}'))) {
    await check(fill(route, filedCase.reference));
  }
  await check('/collectivite');

  // Every page of the catalogue was opened.
  for (const route of routes) {
    const pattern = new RegExp(`^${route.replace(/[.?]/g, '\\$&').replace(/\{[a-z]+\}/g, '[^/?]+')}(\\?.*)?$`);
    expect(checked.some((url) => pattern.test(url)), `${route} checked`).toBe(true);
  }
  expect(violations, 'violations axe-core').toEqual([]);
  await context.close();
});
