// The team's workspace on a 1280×720 laptop screen and on a 390×844 phone: on the demo data, the first card of
// every board column is in the viewport without scrolling, and three cards of the longest column; the page does
// not scroll sideways. Screenshots of the board, the team's home and /programme at both sizes go to the test
// output (attached to the note); axe on each page.
import { test, expect, Page } from '@playwright/test';
import { expectNoAxeViolations, hydrated, signIn } from './helpers';

async function inViewport(page: Page, box: { x: number; y: number; width: number; height: number } | null) {
  const size = page.viewportSize();
  expect(box, 'the element is laid out').not.toBeNull();
  if (!box || !size) return;
  expect(box.x).toBeGreaterThanOrEqual(-1);
  expect(box.y).toBeGreaterThanOrEqual(-1);
  expect(box.x + box.width).toBeLessThanOrEqual(size.width + 1);
  expect(box.y + box.height).toBeLessThanOrEqual(size.height + 1);
}

test('à 1280×720, la première carte de chaque colonne et trois cartes de la plus longue sont visibles', async ({ page, javaScriptEnabled }, testInfo) => {
  const withJs = javaScriptEnabled !== false;
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, withJs);
  await page.screenshot({ path: testInfo.outputPath(`a-traiter-1280x720-${withJs ? 'js' : 'sans-js'}.png`), fullPage: true });
  await page.goto('/equipe/tableau');
  await hydrated(page, withJs);
  await page.screenshot({ path: testInfo.outputPath(`tableau-1280x720-${withJs ? 'js' : 'sans-js'}.png`) });
  const columns = page.getByRole('region', { name: 'Tableau des cinq étapes' }).getByRole('region');
  await expect(columns).toHaveCount(6);
  let longest = columns.first();
  let most = 0;
  for (let i = 0; i < 6; i++) {
    const column = columns.nth(i);
    const cards = column.getByRole('article');
    const count = await cards.count();
    if (count > 0) await inViewport(page, await cards.first().boundingBox());
    if (count > most) {
      most = count;
      longest = column;
    }
  }
  expect(most, 'the demo data fills a column with at least three cards').toBeGreaterThanOrEqual(3);
  const third = await longest.getByRole('article').nth(2).boundingBox();
  await inViewport(page, third);
  // Not hidden under the column's own scrolling either.
  const area = await longest.boundingBox();
  expect(third && area && third.y + third.height <= area.y + area.height + 1, 'the third card is not cut by its column').toBe(true);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(sideways, 'the page does not scroll sideways').toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
  await page.goto('/programme');
  await expect(page.getByRole('heading', { level: 2, name: 'Temps passé à chaque étape' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`programme-1280x720-${withJs ? 'js' : 'sans-js'}.png`), fullPage: true });
  await expectNoAxeViolations(page);
});

test('sur un téléphone, une colonne à la fois avec le sélecteur de colonnes', async ({ page, javaScriptEnabled }, testInfo) => {
  const withJs = javaScriptEnabled !== false;
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, withJs);
  await page.screenshot({ path: testInfo.outputPath(`a-traiter-390x844-${withJs ? 'js' : 'sans-js'}.png`), fullPage: true });
  await page.goto('/equipe/tableau');
  await hydrated(page, withJs);
  const switcher = page.getByRole('navigation', { name: 'Aller à une colonne' });
  await expect(switcher).toBeVisible();
  await switcher.getByRole('link', { name: /Conception/ }).click();
  const conception = page.getByRole('region', { name: /^4 Conception/ });
  await inViewport(page, await conception.getByRole('heading', { level: 2 }).boundingBox());
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(sideways, 'only the board scrolls sideways, not the page').toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath(`tableau-390x844-${withJs ? 'js' : 'sans-js'}.png`) });
  await page.goto('/programme');
  await expect(page.getByRole('heading', { level: 2, name: 'Vers les objectifs du programme' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`programme-390x844-${withJs ? 'js' : 'sans-js'}.png`), fullPage: true });
  await expectNoAxeViolations(page);
});
