import { startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { GitHubRepoService } from '../GitHubRepoService';
import { gitHubRepoServiceRef } from '../gitHubRepoServiceRef';
import { gitHubRepoServiceMock } from './gitHubRepoServiceMock';

describe('gitHubRepoServiceMock', () => {
  it('stands in for the service in a test backend, with the given implementation', async () => {
    let found: GitHubRepoService | undefined;
    const mock = gitHubRepoServiceMock({
      createRepository: async () => ({
        created: true,
        adopted: false,
        owner: 'kestrel',
        name: 'shop',
        htmlUrl: 'https://github.com/kestrel/shop',
        cloneUrl: 'https://github.com/kestrel/shop.git',
        defaultBranch: 'main',
      }),
    });
    await startTestBackend({
      features: [
        mock.factory,
        createBackendPlugin({
          pluginId: 'probe',
          register(env) {
            env.registerInit({
              deps: { service: gitHubRepoServiceRef },
              async init({ service }) {
                found = service;
              },
            });
          },
        }),
      ],
    });
    await expect(
      found!.createRepository({ owner: 'kestrel', name: 'shop' }),
    ).resolves.toMatchObject({ created: true });
    expect(mock.createRepository).toHaveBeenCalledWith({
      owner: 'kestrel',
      name: 'shop',
    });
    expect(jest.isMockFunction(found!.pushInitialContent)).toBe(true);
  });
});
