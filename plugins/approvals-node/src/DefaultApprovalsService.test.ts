import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { notificationService } from '@backstage/plugin-notifications-node';
import approvalsPlugin from '@paved/plugin-approvals-backend';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { TEST_GROUPS, TEST_USERS, testOwnership } from '@paved/testkit';
import { AddressInfo } from 'node:net';
import { DefaultApprovalsService } from './DefaultApprovalsService';

describe('DefaultApprovalsService', () => {
  it('asks the approvals backend over HTTP as its plugin, once per task and plan, and reads the decision', async () => {
    const { server } = await startTestBackend({
      features: [
        approvalsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://portal.test' } },
        }),
        mockServices.permissions.factory(),
        createServiceFactory({
          service: ownershipServiceRef,
          deps: {},
          factory: () => testOwnership(),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const approvals = DefaultApprovalsService.create({
      discovery: {
        getBaseUrl: async id => `http://localhost:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://localhost:${port}/api/${id}`,
      },
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
    const ask = {
      taskId: 'task-9',
      stepId: 'review',
      kind: 'terraform-plan' as const,
      subjectId: 'plan-9',
      target: 'terraform workspace kestrel-orders',
      ownerRef: TEST_GROUPS.teamA,
      requesterRef: TEST_USERS.teamA,
      summary: 'Plan: 1 to add, 0 to change, 0 to destroy.',
    };
    const asked = await approvals.request(ask);
    expect(asked).toMatchObject({ ...ask, status: 'pending' });
    await expect(approvals.request(ask)).resolves.toEqual(asked);
    const rejected = await fetch(
      `http://localhost:${port}/api/approvals/requests/${asked.id}/reject`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(TEST_USERS.teamAMate),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ reason: 'too big' }),
      },
    );
    expect(rejected.status).toBe(200);
    await expect(approvals.get(asked.id)).resolves.toMatchObject({
      status: 'rejected',
      decidedBy: TEST_USERS.teamAMate,
      reason: 'too big',
    });
    await expect(approvals.get('nope')).resolves.toBeUndefined();
    await expect(approvals.forSubject('plan-9')).resolves.toEqual([
      expect.objectContaining({ id: asked.id, status: 'rejected' }),
    ]);
    await expect(approvals.forSubject('plan-other')).resolves.toEqual([]);
    await expect(
      approvals.request({ ...ask, ownerRef: '' }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
  });
});
