/*
 * The policy in a backend: the real permission backend with this module,
 * the real scaffolder, and the real permissions service between them, over
 * HTTP. Team A's tasks are read and cancelled by team A and the admin, and
 * refused to team B; dry runs are the admins'.
 */
import { httpAuthWithActors } from '@paved/testkit';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { TEST_USERS, testOrganisation } from '@paved/testkit';
import { AddressInfo } from 'node:net';
import permissionModulePavedPolicy from './index';

jest.setTimeout(60_000);

/** A template whose task waits, so that it can be read and cancelled while running. */
const WAIT_TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'wait', namespace: 'default' },
  spec: {
    owner: 'storefront',
    type: 'service',
    parameters: [],
    steps: [{ id: 'wait', action: 'debug:wait', input: { seconds: 30 } }],
  },
};

describe('permissionModulePavedPolicy in a backend', () => {
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModulePavedPolicy,
        scaffolderPlugin,
        catalogServiceMock.factory({
          entities: [...testOrganisation(), WAIT_TEMPLATE],
        }),
        httpAuthWithActors,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: true },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    baseUrl = `http://localhost:${port}/api/scaffolder`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  async function call(
    user: string,
    method: string,
    url: string,
    body?: unknown,
  ) {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: mockCredentials.user.header(user),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function startTask(user: string): Promise<string> {
    const { status, body } = await call(user, 'POST', '/v2/tasks', {
      templateRef: 'template:default/wait',
      values: {},
    });
    if (status !== 201) throw new Error(JSON.stringify(body));
    return body.id;
  }

  it('lets the starter, a teammate and the admin read a task, and refuses another team with a 403', async () => {
    const taskId = await startTask(TEST_USERS.teamA);
    for (const user of [
      TEST_USERS.teamA,
      TEST_USERS.teamAMate,
      TEST_USERS.admin,
    ]) {
      const read = await call(user, 'GET', `/v2/tasks/${taskId}`);
      expect(read.status).toBe(200);
      expect(read.body.createdBy).toBe(TEST_USERS.teamA);
    }
    const refused = await call(TEST_USERS.teamB, 'GET', `/v2/tasks/${taskId}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    await call(TEST_USERS.admin, 'POST', `/v2/tasks/${taskId}/cancel`);
  });

  it('lists only the tasks of the caller’s team', async () => {
    const taskId = await startTask(TEST_USERS.teamA);
    const ids = async (user: string) =>
      (await call(user, 'GET', '/v2/tasks')).body.tasks.map((t: any) => t.id);
    expect(await ids(TEST_USERS.teamAMate)).toContain(taskId);
    expect(await ids(TEST_USERS.admin)).toContain(taskId);
    expect(await ids(TEST_USERS.teamB)).not.toContain(taskId);
    await call(TEST_USERS.admin, 'POST', `/v2/tasks/${taskId}/cancel`);
  });

  it('refuses team B the cancel of team A’s task and lets team A cancel it', async () => {
    const taskId = await startTask(TEST_USERS.teamA);
    const refused = await call(
      TEST_USERS.teamB,
      'POST',
      `/v2/tasks/${taskId}/cancel`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    const cancelled = await call(
      TEST_USERS.teamAMate,
      'POST',
      `/v2/tasks/${taskId}/cancel`,
    );
    expect(cancelled).toEqual({ status: 200, body: { status: 'cancelled' } });
  });

  it('refuses team B the retry of team A’s task', async () => {
    const taskId = await startTask(TEST_USERS.teamA);
    await call(TEST_USERS.teamA, 'POST', `/v2/tasks/${taskId}/cancel`);
    const refused = await call(
      TEST_USERS.teamB,
      'POST',
      `/v2/tasks/${taskId}/retry`,
      {},
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
  });

  it('lets only the admin dry-run a template', async () => {
    const dryRun = (user: string) =>
      call(user, 'POST', '/v2/dry-run', {
        template: {
          ...WAIT_TEMPLATE,
          spec: {
            ...WAIT_TEMPLATE.spec,
            steps: [
              { id: 'log', action: 'debug:log', input: { message: 'hi' } },
            ],
          },
        },
        values: {},
        directoryContents: [],
      });
    for (const user of [TEST_USERS.teamA, TEST_USERS.teamB]) {
      const refused = await dryRun(user);
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('NotAllowedError');
    }
    const allowed = await dryRun(TEST_USERS.admin);
    expect(allowed.status).toBe(200);
    expect(allowed.body.steps.map((s: any) => s.id)).toEqual(['log']);
  });
});
