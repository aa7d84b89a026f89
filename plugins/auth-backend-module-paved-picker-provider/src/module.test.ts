/*
 * The picker in the real auth plugin: a token for the picked user with the
 * user's groups, refused for what is not a User of the catalogue, and a
 * backend that refuses to start with the picker in production.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TEST_USERS, testOrganisation } from '@paved/testkit';
import { AddressInfo } from 'node:net';
import picker, { PICKER_USER_HEADER } from './index';

jest.setTimeout(60_000);

function configWith(auth: object) {
  return mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
      auth,
    },
  });
}

const development = { environment: 'development', providers: { picker: {} } };

function start(auth: object) {
  return startTestBackend({
    features: [
      authPlugin,
      picker,
      catalogServiceMock.factory({ entities: testOrganisation() }),
      configWith(auth),
    ],
  });
}

describe('the sign-in picker', () => {
  describe('in the embedded default', () => {
    let baseUrl: string;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      const backend = await start(development);
      const { port } = backend.server.address() as AddressInfo;
      baseUrl = `http://localhost:${port}/api/auth`;
      stop = () => backend.stop();
    });

    afterAll(() => stop?.());

    const refresh = async (user?: string) => {
      const response = await fetch(`${baseUrl}/picker/refresh`, {
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          ...(user && { [PICKER_USER_HEADER]: user }),
        },
      });
      return { status: response.status, body: await response.json() };
    };

    it('signs in as the picked user, with the user’s groups', async () => {
      const { status, body } = await refresh(TEST_USERS.teamA);
      expect(status).toBe(200);
      expect(body.backstageIdentity.identity).toEqual({
        type: 'user',
        userEntityRef: TEST_USERS.teamA,
        ownershipEntityRefs: [TEST_USERS.teamA, 'group:default/storefront'],
      });
      expect(body.backstageIdentity.token).toEqual(expect.any(String));
      expect(body.profile.displayName).toBe('lena-fischer');
    });

    it('reads a bare name as a user of the default namespace', async () => {
      const { status, body } = await refresh('jonas-weber');
      expect(status).toBe(200);
      expect(body.backstageIdentity.identity.userEntityRef).toBe(
        TEST_USERS.teamB,
      );
    });

    it('refuses a user the catalogue does not hold', async () => {
      const { status, body } = await refresh('user:default/mallory');
      expect(status).toBe(404);
      expect(body.error.message).toBe(
        'user:default/mallory is not a User of the catalogue; the picker signs in only as one',
      );
    });

    it('refuses a group and a missing header, naming the header', async () => {
      const group = await refresh('group:default/platform');
      expect(group.status).toBe(400);
      expect(group.body.error.message).toBe(
        `${PICKER_USER_HEADER} header: expected a user entity ref such as user:default/lena-fischer, got a group: "group:default/platform"`,
      );
      const none = await refresh();
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(
        new RegExp(`^${PICKER_USER_HEADER} header: .*got none$`),
      );
    });

    it('lists the users of the catalogue with their groups', async () => {
      const response = await fetch(`${baseUrl}/picker/users`);
      expect(response.status).toBe(200);
      const { items } = await response.json();
      expect(items).toEqual([
        {
          userEntityRef: TEST_USERS.admin,
          displayName: 'ana-silva',
          groups: ['group:default/platform'],
        },
        {
          userEntityRef: TEST_USERS.teamB,
          displayName: 'jonas-weber',
          groups: ['group:default/fulfilment'],
        },
        {
          userEntityRef: TEST_USERS.teamA,
          displayName: 'lena-fischer',
          groups: ['group:default/storefront'],
        },
        {
          userEntityRef: TEST_USERS.teamAMate,
          displayName: 'marcus-okafor',
          groups: ['group:default/storefront'],
        },
      ]);
    });
  });

  it('is not there when auth.providers.picker is not set', async () => {
    const backend = await start({ environment: 'development', providers: {} });
    const { port } = backend.server.address() as AddressInfo;
    const base = `http://localhost:${port}/api/auth`;
    const refresh = await fetch(`${base}/picker/refresh`, {
      headers: { [PICKER_USER_HEADER]: TEST_USERS.admin },
    });
    expect(refresh.status).toBe(404);
    expect((await fetch(`${base}/picker/users`)).status).toBe(404);
    await backend.stop();
  });

  it('refuses to start with auth.environment production', async () => {
    await expect(
      start({ ...development, environment: 'production' }),
    ).rejects.toThrow(
      /auth\.providers\.picker is set, but this backend runs in production \(auth\.environment: production, NODE_ENV: test\)/,
    );
  });

  it('refuses to start with NODE_ENV production', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(start(development)).rejects.toThrow(
        /auth\.providers\.picker is set, but this backend runs in production \(auth\.environment: development, NODE_ENV: production\)/,
      );
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
