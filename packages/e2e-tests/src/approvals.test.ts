import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './harness/browser';
import {
  Portal,
  ROOT,
  startPortal,
  unpackProductionBundle,
} from './harness/portal';

jest.setTimeout(180_000);

/** A caller standing in for the scaffolder's review step (a static token). */
const SCAFFOLDER_TOKEN = 'e2e-approvals-scaffolder-token-5f1c9a0d7e3b';

const TEAM_A = 'user:default/lena-fischer';
const TEAM_A_MATE = 'user:default/marcus-okafor';
const TEAM_B = 'user:default/jonas-weber';

/**
 * Approvals in Chromium, on the built app and backend in the embedded
 * default (the real policy, paved.permissions.allowSelfApproval false, the
 * sign-in picker): team A's plan waits for approval; team B sees nothing
 * to decide and is refused; A sees their own plan but may not approve it;
 * A's teammate approves it from the approvals page.
 */
describe('approvals in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requestId: string;

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
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-data-'));
    portal = await startPortal(dir, {
      configs: ['app-config.yaml'],
      nodeEnv: 'development',
      env: { PAVED_DATA_DIR: data },
      config: {
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: SCAFFOLDER_TOKEN, subject: 'e2e-review' },
              },
            ],
          },
        },
      },
    });
    // The catalogue has the sample organisation before anyone signs in.
    for (let i = 0; ; i++) {
      const res = await fetch(`${portal.baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          'x-paved-picker-user': TEAM_A_MATE,
        },
      });
      if (res.ok) break;
      if (i > 120) throw new Error('the sample organisation never loaded');
      await new Promise(r => setTimeout(r, 1000));
    }
    // What paved:terraform:review asks when team A's plan is made.
    const asked = await approvals('/requests', SCAFFOLDER_TOKEN, {
      taskId: 'e2e-task-storefront-db',
      stepId: 'review',
      kind: 'terraform-plan',
      subjectId: 'e2e-plan-storefront-db',
      target: 'terraform workspace storefront-db',
      ownerRef: 'group:default/storefront',
      requesterRef: TEAM_A,
      summary: 'Plan: 4 to add, 0 to change, 0 to destroy.',
    });
    if (asked.status !== 201) {
      throw new Error(`the request was not created: ${JSON.stringify(asked)}`);
    }
    requestId = asked.body.id;
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
    await card.getByText('Plan: 4 to add, 0 to change, 0 to destroy.').waitFor({
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
    });
    // Decided once: B, A and the teammate himself are all refused now.
    const again = await approvals(
      `/requests/${requestId}/reject`,
      await tokenOf(TEAM_A_MATE),
      { reason: 'changed my mind' },
    );
    expect(again.status).toBe(409);
  });
});
