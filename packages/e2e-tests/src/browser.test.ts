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

  it('creates a component from the Node.js service template on the local forge', async () => {
    // No GitHub integration: paved:publish puts the repository on the forge.
    const name = `e2e-${Date.now().toString(36)}`;
    await page.goto(`${portal.baseUrl}/create`);
    await page
      .getByRole('heading', { name: 'Node.js service' })
      .first()
      .waitFor({ timeout: 30_000 });
    // The template's own card: Backstage's page <article> holds every card,
    // and other templates' texts mention the Node.js service too.
    await page
      .locator('[class*="MuiCard-root"]')
      .filter({
        has: page.getByRole('heading', {
          name: 'Node.js service',
          exact: true,
        }),
      })
      .getByRole('button', { name: /choose/i })
      .first()
      .click();

    // About the service.
    await page.getByLabel('Name', { exact: false }).first().fill(name);
    await page
      .getByLabel('Description', { exact: false })
      .first()
      .fill('Created by the browser test');
    const owner = page.getByLabel('Owner', { exact: false }).first();
    await owner.click();
    await owner.fill('platform');
    await page
      .getByRole('option', { name: /platform/i })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();

    // Choose a location: github.com is the only host; the owner is the organisation.
    await page
      .getByLabel('Owner', { exact: false })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByLabel('Owner', { exact: false }).first().fill('kestrel');
    // The repository name is an autocomplete: type it as a person does.
    const repoName = page.getByLabel('Repository', { exact: false }).first();
    await repoName.click();
    await repoName.pressSequentially(name);
    await repoName.press('Tab');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task runs every step, the hardening ones skipping on the forge.
    const open = page.getByRole('link', { name: 'Open in catalog' });
    await open.waitFor({ timeout: 120_000 });
    const taskId = page.url().match(/\/tasks\/([^/?#]+)/)![1];
    const repository = page.getByRole('link', { name: 'Repository' });
    await expect(repository.getAttribute('href')).resolves.toBe(
      `${portal.baseUrl}/api/forge/kestrel/${name}.git`,
    );
    await open.click();
    await page.waitForURL(new RegExp(`/catalog/default/component/${name}`));
    // The catalogue may still be processing the new location: reload until
    // the entity page (its About card's "View source") replaces "not found".
    const source = `${portal.baseUrl}/api/forge/kestrel/${name}/tree/main/`;
    const viewSource = page.getByRole('link', { name: /view source/i }).first();
    for (let i = 0; i < 20; i++) {
      const shown = await viewSource
        .waitFor({ timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) break;
      await page.reload();
    }
    // "View source" opens the repository's folder on the forge.
    await expect(viewSource.getAttribute('href')).resolves.toBe(source);
    const token = await guestToken(portal.baseUrl);
    const entity = await (
      await fetch(
        `${portal.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
        { headers: { Authorization: `Bearer ${token}` } },
      )
    ).json();
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/source-location': `url:${source}`,
      'backstage.io/managed-by-location': `url:${portal.baseUrl}/api/forge/kestrel/${name}/blob/main/catalog-info.yaml`,
    });
    await screenshot(page, 'create-component-entity-page');

    // The Delivery tab: nothing deployed yet, and no CI runs on the forge,
    // with the deploy backend's reason.
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/${name}/delivery`,
    );
    await page
      .getByText(/on the local forge, which runs no CI/)
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByText(/Nothing deployed through Paved yet/)
      .first()
      .waitFor({ timeout: 30_000 });

    // The forge serves what was published: the page, the raw file, git.
    // The repository is private (the template's default): the browser
    // opens its page as the signed-in guest with the forge's user cookie,
    // which the app fetched once signed in; a caller without it gets 401.
    const opened = await page.goto(source);
    expect(opened?.status()).toBe(200);
    await page.getByText('catalog-info.yaml').first().waitFor();
    await screenshot(page, 'create-component-forge-repository');
    const headers = { Authorization: `Bearer ${token}` };
    const rawUrl = `${portal.baseUrl}/api/forge/kestrel/${name}/raw/main/catalog-info.yaml`;
    expect((await fetch(rawUrl)).status).toBe(401);
    expect((await fetch(source)).status).toBe(401);
    const raw = await fetch(rawUrl, { headers });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toContain(`name: "${name}"`);
    const refs = await fetch(
      `${portal.baseUrl}/api/forge/kestrel/${name}.git/info/refs?service=git-upload-pack`,
      { headers },
    );
    expect(refs.headers.get('content-type')).toBe(
      'application/x-git-upload-pack-advertisement',
    );
    expect(await refs.text()).toContain('refs/heads/main');

    // Retrying the finished task (the scaffolder's retry) converges: publish
    // resumes from its checkpoints, catalog:register refreshes the location.
    const advertised = await (
      await fetch(
        `${portal.baseUrl}/api/forge/kestrel/${name}.git/info/refs?service=git-upload-pack`,
        { headers },
      )
    ).text();
    const retry = await fetch(
      `${portal.baseUrl}/api/scaffolder/v2/tasks/${taskId}/retry`,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: '{}',
      },
    );
    expect(retry.status).toBe(201);
    let status = 'open';
    for (let i = 0; i < 60 && ['open', 'processing'].includes(status); i++) {
      await new Promise(r => setTimeout(r, 1_000));
      const task = await fetch(
        `${portal.baseUrl}/api/scaffolder/v2/tasks/${taskId}`,
        { headers },
      );
      status = (await task.json()).status;
    }
    expect(status).toBe('completed');
    // The same single commit: nothing was pushed again.
    const readvertised = await fetch(
      `${portal.baseUrl}/api/forge/kestrel/${name}.git/info/refs?service=git-upload-pack`,
      { headers },
    );
    expect(await readvertised.text()).toBe(advertised);

    // Undo: deleting the repository unregisters its location too.
    const removed = await fetch(
      `${portal.baseUrl}/api/forge/-/repos/kestrel/${name}`,
      { method: 'DELETE', headers },
    );
    expect(await removed.json()).toEqual({
      existed: true,
      unregisteredLocations: [
        `${portal.baseUrl}/api/forge/kestrel/${name}/blob/main/catalog-info.yaml`,
      ],
    });
    const gone = await fetch(`${portal.baseUrl}/api/forge/kestrel/${name}`, {
      headers,
    });
    expect(gone.status).toBe(404);
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
