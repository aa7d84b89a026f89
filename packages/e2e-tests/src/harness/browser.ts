import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ROOT } from './portal';

export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

/** Debian's Chromium, never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.PAVED_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}; npm test installs Debian's chromium`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}

/** Opens the portal and enters as the guest user on the sign-in page. */
export async function signInAsGuest(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/`);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.click({ timeout: 60_000 });
  // Signed in once the app shell (its sidebar) replaces the sign-in page; the
  // provider is then remembered, so later page loads sign in silently.
  await enter.waitFor({ state: 'detached', timeout: 60_000 });
  await page
    .locator('nav[aria-label="sidebar nav"]')
    .waitFor({ state: 'attached', timeout: 60_000 });
}

/** Opens the portal and signs in with the picker as the sample user named. */
export async function signInAs(
  page: Page,
  baseUrl: string,
  displayName: string,
) {
  await page.goto(`${baseUrl}/`);
  await page
    .getByRole('button', { name: `Sign in as ${displayName}` })
    .click({ timeout: 60_000 });
  await page
    .locator('nav[aria-label="sidebar nav"]')
    .waitFor({ state: 'attached', timeout: 60_000 });
}
