import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { launchChromium, screenshot } from './harness/browser';
import {
  Portal,
  ROOT,
  startPortal,
  unpackProductionBundle,
} from './harness/portal';

jest.setTimeout(180_000);

/** Paved's stand-in terraform (packages/testkit), planning the bucket module. */
const FAKE_TERRAFORM = path.join(ROOT, 'packages/testkit/bin/terraform');

const TEAM_A = 'user:default/lena-fischer';
const TEAM_A_MATE = 'user:default/marcus-okafor';
const TEAM_B = 'user:default/jonas-weber';
/** A component of the sample organisation that storefront owns; the bucket serves it. */
const COMPONENT = 'kestrel-web';

/**
 * Approvals in Chromium, on the built app and backend in the embedded
 * default (the real policy, paved.permissions.allowSelfApproval false, the
 * sign-in picker, the stand-in terraform): A runs the object bucket
 * template for their team, and the task stops at the review with its plan
 * waiting for approval; team B sees nothing to decide and is refused; A
 * sees their own plan but may not approve it; A's teammate approves it
 * from the approvals page, and the task resumes and applies the plan.
 */
describe('approvals in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requestId: string;
  let taskId: string;
  let cluster: KubernetesTestServer;

  async function scaffolder(route: string, token: string, body?: unknown) {
    const res = await fetch(`${portal.baseUrl}/api/scaffolder${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Waits for the task to end (failed at the review, or completed). */
  async function ended(token: string) {
    for (let i = 0; i < 240; i++) {
      const { body } = await scaffolder(`/v2/tasks/${taskId}`, token);
      if (['failed', 'completed', 'cancelled'].includes(body.status)) {
        return body.status as string;
      }
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`task ${taskId} did not end`);
  }

  /** A person's token, from the picker provider as the sign-in page gets it. */
  async function tokenOf(userEntityRef: string): Promise<string> {
    const res = await fetch(`${portal.baseUrl}/api/auth/picker/refresh`, {
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        'x-paved-picker-user': userEntityRef,
      },
    });
    if (!res.ok) throw new Error(`picker refresh failed: ${res.status}`);
    return (await res.json()).backstageIdentity.token;
  }

  async function approvals(
    route: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${portal.baseUrl}/api/approvals${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Signs in with the picker as the user named, then opens the approvals page. */
  async function openApprovalsAs(displayName: string) {
    await page.goto(`${portal.baseUrl}/`);
    const pick = page.getByRole('button', {
      name: `Sign in as ${displayName}`,
    });
    await pick.click({ timeout: 60_000 });
    await page
      .locator('nav[aria-label="sidebar nav"]')
      .waitFor({ state: 'attached', timeout: 60_000 });
    // The nav item, then the request the notification links to.
    await page
      .locator('nav[aria-label="sidebar nav"]')
      .getByText('Approvals', { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.goto(`${portal.baseUrl}/approvals?request=${requestId}`);
    await page.getByText('Waiting for a decision').waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    const dir = unpackProductionBundle();
    // The component's dev namespace as Paved provisions it, for the
    // bucket's connection Secret once the plan is applied.
    cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
    const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
    cluster.driver.seed(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: `${COMPONENT}-dev`,
          labels: {
            'app.kubernetes.io/managed-by': 'paved',
            'paved.kestrel.example/owner': 'storefront',
            'paved.kestrel.example/component': COMPONENT,
            'paved.kestrel.example/environment': 'dev',
          },
        },
      },
      { manager: 'paved' },
    );
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-data-'));
    const scenario = path.join(data, 'terraform-scenario.json');
    fs.writeFileSync(
      scenario,
      JSON.stringify({
        outputs: {
          bucket_name: { value: '${var.name}' },
          bucket_arn: { value: 'arn:aws:s3:::${var.name}' },
          bucket_regional_domain_name: {
            value: '${var.name}.s3.eu-west-1.amazonaws.com',
          },
        },
      }),
    );
    portal = await startPortal(dir, {
      configs: ['app-config.yaml'],
      nodeEnv: 'development',
      env: { PAVED_DATA_DIR: data },
      config: {
        kubernetes: clusterConfig.kubernetes,
        paved: {
          ...clusterConfig.paved,
          terraform: {
            binary: FAKE_TERRAFORM,
            environment: { PAVED_FAKE_TERRAFORM_SCENARIO: scenario },
          },
        },
      },
    });
    // The catalogue has the sample organisation and the templates.
    let token = '';
    for (let i = 0; !token; i++) {
      const res = await fetch(`${portal.baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          'x-paved-picker-user': TEAM_A,
        },
      });
      if (res.ok) token = (await res.json()).backstageIdentity.token;
      else if (i > 120) throw new Error('the sample organisation never loaded');
      else await new Promise(r => setTimeout(r, 1000));
    }
    // A makes a plan for their team: the review asks storefront and stops.
    for (let i = 0; !taskId; i++) {
      const created = await scaffolder('/v2/tasks', token, {
        templateRef: 'template:default/object-bucket',
        values: {
          name: 'storefront-assets',
          component: `component:default/${COMPONENT}`,
        },
      });
      if (created.status === 201) taskId = created.body.id;
      else if (i > 60) {
        throw new Error(`no task: ${JSON.stringify(created)}`);
      } else await new Promise(r => setTimeout(r, 1000));
    }
    const stopped = await ended(token);
    const pending = await approvals('/requests?status=pending', token);
    const request = pending.body.items?.find((r: any) => r.taskId === taskId);
    if (stopped !== 'failed' || !request) {
      throw new Error(
        `the task did not stop for approval (${stopped}): ${JSON.stringify(
          pending,
        )}\n${portal.logs().slice(-4000)}`,
      );
    }
    requestId = request.id;
    browser = await launchChromium();
  });

  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    page = await context.newPage();
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
    await cluster?.close();
    if (portal) {
      fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      fs.writeFileSync(
        path.join(ROOT, 'test-results/browser-approvals.log'),
        portal.logs(),
      );
    }
  });

  it('team B sees nothing to decide, and its approval is refused naming the permission', async () => {
    await openApprovalsAs('Jonas Weber');
    await page.getByText('Nothing waits for you.').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(`approval-${requestId}`).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const refused = await approvals(
      `/requests/${requestId}/approve`,
      await tokenOf(TEAM_B),
      {},
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('paved.approval.decide');
  });

  it('A sees their own plan but may not approve it, in the production setting', async () => {
    await openApprovalsAs('Lena Fischer');
    const card = page.getByTestId(`approval-${requestId}`);
    await card.waitFor({ timeout: 30_000 });
    await card
      .getByText(
        /they asked for it, and another member of group:default\/storefront must decide/,
      )
      .waitFor({ timeout: 30_000 });
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const refused = await approvals(
      `/requests/${requestId}/approve`,
      await tokenOf(TEAM_A),
      {},
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'paved.permissions.allowSelfApproval is false',
    );
  });

  it("A's teammate approves A's plan from the approvals page", async () => {
    await openApprovalsAs('Marcus Okafor');
    const card = page.getByTestId(`approval-${requestId}`);
    await card.getByText('Plan: 6 to add, 0 to change, 0 to destroy.').waitFor({
      timeout: 30_000,
    });
    await card.getByRole('button', { name: 'Approve' }).click();
    await page
      .getByText(`Approved by ${TEAM_A_MATE}`, { exact: false })
      .waitFor({ timeout: 30_000 });
    const read = await approvals(
      `/requests/${requestId}`,
      await tokenOf(TEAM_A),
    );
    expect(read.body).toMatchObject({
      status: 'approved',
      decidedBy: TEAM_A_MATE,
      requesterRef: TEAM_A,
      ownerRef: 'group:default/storefront',
      target: 'terraform workspace storefront-assets',
    });
    // The approval resumed A's task, which applied the plan, put the
    // connection Secret into the component's namespace and registered the
    // bucket in the catalogue.
    expect(await ended(await tokenOf(TEAM_A))).toBe('completed');
    expect(
      cluster.driver.getObject({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: `${COMPONENT}-dev`,
        name: 'storefront-assets-connection',
      }),
    ).toBeDefined();
    // Decided once: B, A and the teammate himself are all refused now.
    const again = await approvals(
      `/requests/${requestId}/reject`,
      await tokenOf(TEAM_A_MATE),
      { reason: 'changed my mind' },
    );
    expect(again.status).toBe(409);
  });
});
