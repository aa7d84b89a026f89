import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { startGitHubTestServer } from '@paved/testkit';
import { gitHubRepoServiceFactory } from './gitHubRepoServiceRef';

describe('gitHubRepoServiceFactory', () => {
  it('builds the service from app-config, which then talks to the configured GitHub', async () => {
    const server = await startGitHubTestServer();
    try {
      const service = await ServiceFactoryTester.from(
        gitHubRepoServiceFactory,
        {
          dependencies: [
            mockServices.rootConfig.factory({
              data: server.appConfig({
                paved: { github: { writeInterval: { milliseconds: 0 } } },
              }),
            }),
          ],
        },
      ).getSubject();
      const result = await service.createRepository({
        owner: 'kestrel',
        name: 'shop',
      });
      expect(result.created).toBe(true);
      expect(server.driver.repository('kestrel', 'shop')).toBeDefined();
    } finally {
      await server.close();
    }
  });

  it('starts with no GitHub integration at all, without touching the network', async () => {
    const service = await ServiceFactoryTester.from(gitHubRepoServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({ data: { integrations: {} } }),
      ],
    }).getSubject();
    await expect(
      service.createRepository({ owner: 'kestrel', name: 'shop' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'no GitHub credentials for github.com/kestrel',
      ),
    });
  });

  it('refuses an invalid paved.github config with the key named', async () => {
    await expect(
      ServiceFactoryTester.from(gitHubRepoServiceFactory, {
        dependencies: [
          mockServices.rootConfig.factory({
            data: { paved: { github: { allowedOwners: ['-bad-'] } } },
          }),
        ],
      }).getSubject(),
    ).rejects.toThrow(
      /paved\.github\.allowedOwners\[0\]: invalid GitHub owner "-bad-"/,
    );
  });
});
