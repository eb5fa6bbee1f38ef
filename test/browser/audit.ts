// What the axe files share: open a page, check its status, run axe, take a screenshot; and the
// count of pages and states checked, printed when the file ends.
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, type Suite, type T } from './harness.ts';

/** Pages already audited in this file, so a page reached twice is not counted twice. */
export const audited = new Set<string>();

/**
 * Opens `url`, checks its status, runs axe and takes a screenshot.
 */
export async function audit(t: T, suite: Suite, page: Page, name: string, url: string, options: { status?: number } = {}): Promise<void> {
  const response = await page.goto(url);
  if (options.status !== undefined) t.equal(response?.status(), options.status, `« ${name} » answers ${options.status}`);
  else t.ok((response?.status() ?? 500) < 400, `« ${name} » (${url}) answers ${response?.status()}`);
  await auditHere(t, page, name);
}

/** axe + screenshot of the page as it is now (after an interaction). */
export async function auditHere(t: T, page: Page, name: string): Promise<void> {
  audited.add(name);
  await checkA11y(t, page, name);
  await screenshot(page, `a11y-${name}`);
}

/** Submits the main form of the page as it stands (the first POST form in <main>). */
export async function submitMainForm(page: Page): Promise<void> {
  await page.locator('main form[method="post"]:not(.inline-form) button[type="submit"]').first().click();
}
