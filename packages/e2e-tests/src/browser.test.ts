import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, signInAsGuest } from './harness/browser';
import {
  guestToken,
  Portal,
  portalCatalogLocations,
  ROOT,
  startPortal,
  unpackProductionBundle,
} from './harness/portal';

jest.setTimeout(180_000);

/**
 * The built app served by the built backend on the embedded default
 * (SQLite, guest sign-in, sample organisation), driven by Chromium.
 */
describe('portal in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const dir = unpackProductionBundle();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-data-'));
    // A catalogue file that does not parse, behind a valid Location entity.
    const broken = path.join(data, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'location.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: broken-on-purpose\nspec:\n  targets: [./entities.yaml]\n',
    );
    fs.writeFileSync(
      path.join(broken, 'entities.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: half-written\n  tags: [unclosed\nspec: {type: service\n',
    );
    portal = await startPortal(dir, {
      configs: ['app-config.yaml'],
      nodeEnv: 'development',
      env: { PAVED_DATA_DIR: data },
      // The portal's own locations, plus the broken file.
      config: {
        catalog: {
          locations: [
            ...(await portalCatalogLocations(dir)),
            {
              type: 'file',
              target: path.join(broken, 'location.yaml'),
              rules: [{ allow: ['Location', 'Component'] }],
            },
          ],
        },
      },
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    page = await context.newPage();
    await signInAsGuest(page, portal.baseUrl);
  });

  afterEach(async () => {
    if (page) {
      const name = expect.getState().currentTestName!.replace(/\W+/g, '-');
      await screenshot(page, name);
    }
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    if (portal) {
      fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      fs.writeFileSync(
        path.join(ROOT, 'test-results/browser-portal.log'),
        portal.logs(),
      );
    }
  });

  it('lists the sample components in the catalogue', async () => {
    await page.goto(`${portal.baseUrl}/`);
    // Paved's own wordmark in the sidebar, not upstream's.
    await page
      .getByRole('img', { name: 'Paved' })
      .first()
      .waitFor({ timeout: 30_000 });
    // Every owner's components, not only the guest's team.
    await page.goto(
      `${portal.baseUrl}/?filters%5Bkind%5D=component&filters%5Buser%5D=all`,
    );
    await page
      .getByRole('link', { name: 'Order service', exact: true })
      .waitFor({ timeout: 30_000 });
    const heading = await page
      .getByText(/All Components \(\d+\)/)
      .textContent();
    expect(Number(heading!.match(/\((\d+)\)/)![1])).toBeGreaterThanOrEqual(12);
    for (const title of [
      'Order service',
      'Tracking service',
      'Checkout service',
      'Paved',
    ]) {
      await page
        .getByRole('link', { name: title, exact: true })
        .first()
        .waitFor({ timeout: 30_000 });
    }
  });

  it('shows an entity page with its owner, relations and API', async () => {
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/order-service`,
    );
    await page
      .getByRole('heading', { name: 'Order service' })
      .first()
      .waitFor({ timeout: 30_000 });
    // Owner and system on the About card.
    await page
      .getByRole('link', { name: 'Fulfilment' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('link', { name: 'Order Management' })
      .first()
      .waitFor({ timeout: 30_000 });
    // The catalogue graph card draws the relations as SVG nodes.
    await page
      .locator('svg text', { hasText: /orders-api|Orders API/ })
      .first()
      .waitFor({ timeout: 30_000 });
    // The API tab lists what the component provides.
    await page
      .locator('main')
      .getByText('APIs', { exact: true })
      .first()
      .click();
    await page.waitForURL(/\/apis$/);
    await page
      .getByRole('link', { name: 'Orders API' })
      .first()
      .waitFor({ timeout: 30_000 });
    // The API's own page renders its OpenAPI definition.
    await page.goto(
      `${portal.baseUrl}/catalog/default/api/orders-api/definition`,
    );
    await page
      .locator('[data-path^="/orders"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(
      page.locator('[data-path^="/orders"]').count(),
    ).resolves.toBeGreaterThan(0);
  });

  it('shows a broken catalogue file as an error on its entity', async () => {
    const token = await guestToken(portal.baseUrl);
    // The Location whose target does not parse never gets a final entity, so
    // its errors are listed by the unprocessed-entities module.
    const unprocessed: any[] = [];
    for (const reason of ['failed', 'pending']) {
      const res = await fetch(
        `${portal.baseUrl}/api/catalog/entities/unprocessed/${reason}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(res.status).toBe(200);
      unprocessed.push(...(await res.json()).entities);
    }
    // Upstream's pending list leaves entity_ref empty; match the entity itself.
    const broken = unprocessed.find(
      e =>
        e.unprocessed_entity?.kind === 'Location' &&
        e.unprocessed_entity?.metadata?.name === 'broken-on-purpose',
    );
    expect(broken).toBeDefined();
    expect(broken.errors.map((e: any) => e.message).join('\n')).toMatch(
      /YAML error at file:.*entities\.yaml/,
    );
    // The rest of the catalogue and the backend carry on.
    const health = await fetch(
      `${portal.baseUrl}/.backstage/health/v1/readiness`,
    );
    expect(health.status).toBe(200);
    const ok = await fetch(
      `${portal.baseUrl}/api/catalog/entities/by-name/component/default/order-service`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(ok.status).toBe(200);
  });

  it('lists the golden-path templates on the Create page', async () => {
    await page.goto(`${portal.baseUrl}/create`);
    await page
      .getByText('Node.js service')
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByText(/static/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(
      page.getByRole('heading', { name: /Node\.js service|static/i }).count(),
    ).resolves.toBeGreaterThanOrEqual(2);
  });

  it('finds a component with search', async () => {
    // The search index is built by a scheduled task shortly after start.
    let found = false;
    for (let i = 0; i < 12 && !found; i++) {
      await page.goto(`${portal.baseUrl}/search?query=tracking`);
      found = await page
        .getByRole('link', { name: /Tracking service/ })
        .first()
        .waitFor({ timeout: 7_500 })
        .then(() => true)
        .catch(() => false);
    }
    expect(found).toBe(true);
  });
});
