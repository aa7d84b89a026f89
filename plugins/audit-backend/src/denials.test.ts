import { httpAuthWithActors } from '@paved/testkit';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  auditorServiceFactory,
  permissionsServiceFactory,
} from '@paved/plugin-audit-node';
import permissionModulePavedPolicy from '@paved/plugin-permission-backend-module-paved-policy';
import { TEST_USERS, testOrganisation } from '@paved/testkit';
import request from 'supertest';
import { auditPlugin } from './plugin';

jest.setTimeout(60_000);

describe('permission denials in the audit trail', () => {
  it("stores a DENY of the real permission backend and Paved's policy as a failed permission-denied event", async () => {
    const backend = await startTestBackend({
      features: [
        auditPlugin,
        auditorServiceFactory,
        permissionsServiceFactory,
        permissionPlugin,
        permissionModulePavedPolicy,
        catalogServiceMock.factory({ entities: testOrganisation() }),
        httpAuthWithActors,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: true },
          },
        }),
      ],
    });
    const as = (user: string) => mockCredentials.user.header(user);

    const refused = await request(backend.server)
      .get('/api/audit/events')
      .set('Authorization', as(TEST_USERS.teamB));
    expect(refused.status).toBe(403);

    let denials: any[] = [];
    for (let i = 0; i < 50 && denials.length === 0; i++) {
      await new Promise(r => setTimeout(r, 100));
      const res = await request(backend.server)
        .get('/api/audit/events?eventId=permission-denied')
        .set('Authorization', as(TEST_USERS.admin));
      expect(res.status).toBe(200);
      denials = res.body.events;
    }
    expect(denials).toEqual([
      expect.objectContaining({
        plugin: 'audit',
        status: 'failed',
        actor: TEST_USERS.teamB,
        target: 'paved.audit.read',
        error: `NotAllowedError: ${TEST_USERS.teamB} was denied paved.audit.read`,
      }),
    ]);
    await backend.stop();
  });
});
