import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { AuditedPermissionsService } from './AuditedPermissionsService';

const read = createPermission({
  name: 'x.read',
  attributes: { action: 'read' },
});
const remove = createPermission({
  name: 'x.delete',
  attributes: { action: 'delete' },
  resourceType: 'x',
});

describe('AuditedPermissionsService', () => {
  it('reports each DENY as a failed permission-denied event, and nothing for ALLOW', async () => {
    const fail = jest.fn();
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success: jest.fn(), fail })),
    });
    const permissions = AuditedPermissionsService.create({
      auth: mockServices.auth(),
      auditor,
      permissions: mockServices.permissions.mock({
        authorize: async reqs =>
          reqs.map(r => ({
            result:
              r.permission.name === 'x.read'
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
      }),
    });
    const credentials = mockCredentials.user('user:default/jonas-weber');
    const answers = await permissions.authorize(
      [{ permission: read }, { permission: remove, resourceRef: 'x:cart' }],
      { credentials },
    );
    expect(answers.map(a => a.result)).toEqual([
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
    ]);
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'permission-denied',
      severityLevel: 'medium',
      meta: {
        actor: 'user:default/jonas-weber',
        permission: 'x.delete',
        target: 'x:cart',
      },
    });
    expect(fail.mock.calls[0][0].error.message).toBe(
      'user:default/jonas-weber was denied x.delete on x:cart',
    );
  });
});
