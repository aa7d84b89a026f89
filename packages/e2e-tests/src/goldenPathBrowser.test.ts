import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, signInAs } from './harness/browser';
import {
  pickerToken,
  Portal,
  ROOT,
  startPortal,
  unpackProductionBundle,
} from './harness/portal';
import { startTestServers, TestServers } from './harness/testServers';

jest.setTimeout(300_000);

const TEAM_A = 'user:default/lena-fischer';
const TEAM_A_NAME = 'Lena Fischer';
const TEAM_A_GROUP = 'group:default/storefront';
const NAME = `parcel-e2e-${Date.now().toString(36)}`;
const ENTITY_REF = `component:default/${NAME}`;
const NAMESPACE = `${NAME}-dev`;
const REPOSITORY = `kestrel/${NAME}`;

/** Polls `fn` every 500 ms until it returns something, or throws naming `what`. */
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * The whole golden path ending in Chromium, on the built app and backend in
 * the embedded default with the project's test servers as GitHub (and its
 * Actions OIDC issuer) and as the `dev` cluster: Create Component (the
 * Node.js service, dev environment ticked) as a member of storefront; a
 * teammate's deploy and then a simulated CI job's, with the job's OIDC
 * token, through /api/deploy; another repository's token is refused. The
 * entity page then shows the Deployment and its pods running the CI's
 * image on the Kubernetes tab, both deployments and the CI run on the
 * Delivery tab, the repository on the About card, the provided API and its
 * definition, and the TechDocs tab saying why there are no docs.
 */
describe('golden path in a browser: from Create Component to the entity page of a running service', () => {
  let servers: TestServers;
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ciImage: string;
  let ciRunId: number;
  let ciDeploymentId: string;
  let userDeploymentId: string;
  const figures: Record<string, number> = {};

  async function api(
    route: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${portal.baseUrl}/api${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const deploymentInDev = () =>
    servers.cluster.driver.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NAMESPACE,
      name: NAME,
    })!;
  const imageInDev = () =>
    deploymentInDev().spec.template.spec.containers[0].image as string;

  /** Create Component through the scaffolder API, as the form sends it. */
  async function createComponent(token: string) {
    const created = await until('the node-service template', async () => {
      const res = await api('/scaffolder/v2/tasks', token, {
        templateRef: 'template:default/node-service',
        values: {
          name: NAME,
          description: 'Where a parcel is, by the browser test',
          owner: TEAM_A_GROUP,
          repoUrl: `${servers.github.host}?owner=kestrel&repo=${NAME}`,
          deploy: true,
          size: 'small',
        },
      });
      return res.status === 201 ? res.body.id : undefined;
    });
    const started = Date.now();
    const task = await until('Create Component to end', async () => {
      const res = await api(`/scaffolder/v2/tasks/${created}`, token);
      return ['completed', 'failed'].includes(res.body?.status)
        ? res.body
        : undefined;
    });
    if (task.status !== 'completed') {
      const events = await api(`/scaffolder/v2/tasks/${created}/events`, token);
      throw new Error(
        `Create Component ${task.status}: ${JSON.stringify(
          events.body.filter((e: any) => e.body?.status === 'failed'),
        )}\n${portal.logs().slice(-4000)}`,
      );
    }
    figures.createComponentMs = Date.now() - started;
  }

  /** A CI job of the repository: its run on GitHub, and its OIDC token's deploy. */
  async function deployFromCi() {
    const sha = crypto.randomBytes(20).toString('hex');
    ciImage = `ghcr.io/${REPOSITORY}:${sha}`;
    const run = servers.github.driver.actions.recordRun(REPOSITORY, {
      headSha: sha,
      status: 'completed',
      conclusion: 'success',
    });
    ciRunId = run.id;
    const oidc = await servers.github.driver.actions.issueToken({
      repository: REPOSITORY,
      sha,
      runId: run.id,
      audience: 'paved',
    });
    const started = Date.now();
    const res = await api('/deploy/deployments', oidc, {
      entityRef: ENTITY_REF,
      environment: 'dev',
      image: ciImage,
    });
    figures.ciDeployMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.deployment).toMatchObject({
      status: 'succeeded',
      image: ciImage,
      run: { repository: REPOSITORY, sha, runId: String(run.id) },
    });
    ciDeploymentId = res.body.deployment.id;
  }

  beforeAll(async () => {
    servers = await startTestServers();
    const dir = unpackProductionBundle();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-data-'));
    portal = await startPortal(dir, {
      configs: ['app-config.yaml'],
      nodeEnv: 'development',
      env: { PAVED_DATA_DIR: data },
      config: servers.config,
    });
    browser = await launchChromium();
  });

  it('Create Component publishes the service to GitHub and deploys the placeholder to dev', async () => {
    const token = await until('the sample organisation', () =>
      pickerToken(portal.baseUrl, TEAM_A).catch(() => undefined),
    );
    await createComponent(token);
    expect(servers.github.driver.repository('kestrel', NAME)).toBeDefined();
    expect(imageInDev()).toMatch(/podinfo/);
  });

  it("a teammate, then CI with its job's OIDC token, deploy; another repository's token is refused and changes nothing", async () => {
    const token = await pickerToken(portal.baseUrl, TEAM_A);
    const byHand = await api('/deploy/deployments', token, {
      entityRef: ENTITY_REF,
      environment: 'dev',
      image: `ghcr.io/${REPOSITORY}:1.0.0`,
    });
    expect(byHand.status).toBe(200);
    expect(byHand.body.deployment.status).toBe('succeeded');
    userDeploymentId = byHand.body.deployment.id;
    await deployFromCi();
    expect(imageInDev()).toBe(ciImage);

    const generation = deploymentInDev().metadata.generation;
    const intruder = await servers.github.driver.actions.issueToken({
      repository: 'kestrel/other-service',
      audience: 'paved',
    });
    const refused = await api('/deploy/deployments', intruder, {
      entityRef: ENTITY_REF,
      environment: 'dev',
      image: 'ghcr.io/kestrel/other-service:2.0.0',
    });
    expect(refused.status).toBe(403);
    expect(imageInDev()).toBe(ciImage);
    expect(deploymentInDev().metadata.generation).toBe(generation);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await servers?.close();
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    if (portal) {
      fs.writeFileSync(
        path.join(ROOT, 'test-results/browser-golden-path.log'),
        portal.logs(),
      );
    }
    fs.writeFileSync(
      path.join(ROOT, 'test-results/browser-golden-path-figures.json'),
      JSON.stringify(figures, null, 2),
    );
  });

  describe('the entity page', () => {
    beforeEach(async () => {
      context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
      });
      page = await context.newPage();
      await signInAs(page, portal.baseUrl, TEAM_A_NAME);
    });

    afterEach(async () => {
      if (page) {
        const name = expect.getState().currentTestName!.replace(/\W+/g, '-');
        await screenshot(page, name.slice(0, 120));
      }
      await context?.close();
    });

    const entityPage = (tab = '') =>
      page.goto(`${portal.baseUrl}/catalog/default/component/${NAME}${tab}`);

    it("the Kubernetes tab lists the dev Deployment and its pods, running CI's image", async () => {
      const pods = servers.cluster.driver
        .listObjects('v1', 'Pod', NAMESPACE)
        .filter(
          p => p.metadata.labels?.['backstage.io/kubernetes-id'] === NAME,
        );
      expect(pods.length).toBeGreaterThan(0);
      for (const pod of pods) {
        expect(pod.spec.containers[0].image).toBe(ciImage);
      }

      await entityPage('/kubernetes');
      const main = page.locator('main');
      await main
        .getByText('dev', { exact: true })
        .first()
        .waitFor({ timeout: 60_000 });
      // Open the cluster's accordion, then its first, the Deployment's.
      for (let i = 0; i < 2; i++) {
        await main
          .locator(
            '[role="button"][aria-expanded="false"] .MuiAccordionSummary-expandIcon',
          )
          .first()
          .click();
      }
      // The Deployment's summary names it (the page's header does too).
      await expect(
        main.getByText(NAME, { exact: true }).count(),
      ).resolves.toBeGreaterThanOrEqual(2);
      const podName = main.getByText(pods[0].metadata.name, { exact: true });
      for (const pod of pods) {
        await main
          .getByText(pod.metadata.name, { exact: true })
          .first()
          .waitFor({ timeout: 30_000 });
      }
      // A pod's drawer names its container's image.
      await podName.first().click();
      await page
        .getByText(ciImage, { exact: true })
        .first()
        .waitFor({ timeout: 30_000 });
    });

    it('the Delivery tab lists both deployments, newest first, and the CI run linking to GitHub', async () => {
      await entityPage('/delivery');
      const ci = page.getByTestId(`deployment-${ciDeploymentId}`);
      await ci.waitFor({ timeout: 60_000 });
      await ci.getByText(ciImage, { exact: true }).waitFor();
      await ci.getByText(`CI #${ciRunId}`).waitFor();
      await ci.getByText('succeeded').waitFor();
      await ci.getByText(ciImage.slice(-40, -33), { exact: true }).waitFor();
      const byHand = page.getByTestId(`deployment-${userDeploymentId}`);
      await byHand.getByText(TEAM_A).waitFor();
      await byHand.getByText(`ghcr.io/${REPOSITORY}:1.0.0`).waitFor();
      const rows = await page
        .locator('[data-testid^="deployment-"]')
        .evaluateAll(els => els.map(e => e.getAttribute('data-testid')));
      expect(rows).toEqual([
        `deployment-${ciDeploymentId}`,
        `deployment-${userDeploymentId}`,
      ]);

      const run = page.getByTestId(`run-${ciRunId}`);
      await run.waitFor({ timeout: 30_000 });
      await run.getByText('success').waitFor();
      await expect(
        run.getByRole('link', { name: /^CI/ }).getAttribute('href'),
      ).resolves.toBe(
        `${servers.github.url}/${REPOSITORY}/actions/runs/${ciRunId}`,
      );
    });

    it('the Overview links to the repository; the APIs tab to the API, whose page shows its definition', async () => {
      const token = await pickerToken(portal.baseUrl, TEAM_A);
      const entity = await api(
        `/catalog/entities/by-name/component/default/${NAME}`,
        token,
      );
      const source = `${servers.github.url}/${REPOSITORY}/tree/main/`;
      expect(entity.body.metadata.annotations).toMatchObject({
        'github.com/project-slug': REPOSITORY,
        'backstage.io/source-location': `url:${source}`,
        'backstage.io/kubernetes-id': NAME,
        'backstage.io/techdocs-ref': 'dir:.',
      });

      await entityPage();
      const viewSource = page
        .getByRole('link', { name: /view source/i })
        .first();
      await viewSource.waitFor({ timeout: 60_000 });
      await expect(viewSource.getAttribute('href')).resolves.toBe(source);
      // The tabs of a service on the golden path; Kubernetes and Delivery
      // in the Deployment group's menu.
      for (const tab of ['Overview', 'APIs', 'TechDocs']) {
        await expect(
          page.getByRole('link', { name: tab, exact: true }).count(),
        ).resolves.toBeGreaterThan(0);
      }
      await page.getByText('Deployment', { exact: true }).first().click();
      for (const tab of ['Kubernetes', 'Delivery']) {
        await page
          .getByText(tab, { exact: true })
          .first()
          .waitFor({ timeout: 10_000 });
      }
      await page.keyboard.press('Escape');

      await entityPage('/apis');
      await page
        .locator('main')
        .getByRole('link', { name: NAME, exact: true })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.goto(
        `${portal.baseUrl}/catalog/default/api/${NAME}/definition`,
      );
      await page
        .locator('[data-path="/healthz"]')
        .first()
        .waitFor({ timeout: 60_000 });
    });

    it('the TechDocs tab says why the docs are not built here', async () => {
      await entityPage('/docs');
      // Upstream's 404, then Paved's note in place of upstream's builder note.
      await page
        .getByText(/ERROR 404/)
        .first()
        .waitFor({ timeout: 60_000 });
      const note = page.getByText(
        /Paved does not build documentation in this portal/,
      );
      await note.first().waitFor();
      await expect(note.first().textContent()).resolves.toContain(
        'mkdocs-techdocs-core',
      );
    });
  });
});
