// The site is rendered in islands mode: only a page holding an island (the wizard's step form, the board, the
// move form) downloads the WebAssembly module, after it is painted; the others stay plain server HTML.
import { test, expect, Page } from '@playwright/test';
import { hydrated } from './helpers';

function wasmRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) urls.push(request.url());
  });
  return urls;
}

test('seules les pages qui ont un îlot chargent le WebAssembly', async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, 'sans JavaScript, aucune page ne charge de WebAssembly');
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  const wasm = wasmRequests(page);

  for (const path of ['/', '/deposer']) {
    await page.goto(path);
    await hydrated(page, true);
    await expect(page.locator('leptos-island')).toHaveCount(0);
  }
  // The public catalogue gets no loader at all.
  await page.goto('/catalogue');
  await expect(page.locator('script[type=module]')).toHaveCount(0);
  await page.goto('/deposer');
  await hydrated(page, true);
  expect(wasm, 'aucun module sur une page sans îlot').toEqual([]);

  await page.getByRole('button', { name: 'Commencer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Votre collectivité' })).toBeVisible();
  await hydrated(page, true);
  expect(wasm).toHaveLength(1);
  // The step's form only: the collectivité search's results are rendered by the server and put in place by it.
  await expect(page.locator('leptos-island')).toHaveCount(1);
  expect(wasm[0]).toMatch(/\/pkg\/islands-wizard\./);

  // The island answers in the browser: Enter in a field continues (not the search, the form's first button), and
  // the empty step is stopped before it is sent, its errors listed.
  const url = page.url();
  await page.getByLabel('Nom et prénom').press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'Cette étape contient' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  expect(page.url()).toBe(url);
  expect(problems, 'ni erreur ni avertissement dans la console').toEqual([]);
});
