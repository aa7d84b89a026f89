import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
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

/**
 * The mock httpAuth, except that a plugin's token on behalf of a user is
 * read as that user, as Backstage's real tokens are: the permission
 * backend then asks the policy about the user, not the calling plugin.
 */
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const mock = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: mock.issueUserCookie.bind(mock),
      credentials: (async (req: any, options: any) => {
        const credentials: any = await mock.credentials(req, options);
        const [, json] = String(req.headers.authorization ?? '').split(
          'mock-service-token:',
        );
        const { sub, obo } = json ? JSON.parse(json) : ({} as any);
        return obo
          ? mockCredentials.user(obo, { actor: { subject: sub } })
          : credentials;
      }) as any,
    };
  },
});

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
