import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock httpAuth of startTestBackend, except that a plugin's token on
 * behalf of a user is read as that user with the plugin as actor, as
 * Backstage's real tokens are: the permission backend refuses a resource
 * permission without a resourceRef from a user who is not acting through a
 * plugin.
 */
export const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const mock = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: mock.issueUserCookie.bind(mock),
      credentials: (async (req: any, options: any) => {
        const credentials: any = await mock.credentials(req, options);
        const token = String(req.headers.authorization ?? '');
        const [, json] = token.split('mock-service-token:');
        const { sub, obo } = json ? JSON.parse(json) : ({} as any);
        return obo
          ? mockCredentials.user(obo, { actor: { subject: sub } })
          : credentials;
      }) as any,
    };
  },
});
