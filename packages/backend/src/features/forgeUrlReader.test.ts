import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { localForgeServiceRef } from '@paved/plugin-forge-node';
import { forgeUrlReaderFactory } from './forgeUrlReader';

describe('forgeUrlReaderFactory', () => {
  const dir = createMockDirectory();

  it("gives every plugin's UrlReader the forge's URLs, read from disk", async () => {
    dir.clear();
    dir.addContent({ workspace: { 'catalog-info.yaml': 'kind: Component\n' } });
    let reader: UrlReaderService | undefined;
    let published: { commitSha: string } | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: {
            urlReader: coreServices.urlReader,
            forge: localForgeServiceRef,
          },
          async init({ urlReader, forge }) {
            reader = urlReader;
            await forge.createRepository({ owner: 'kestrel', name: 'x' });
            published = await forge.pushInitialContent({
              owner: 'kestrel',
              name: 'x',
              sourceDir: dir.resolve('workspace'),
              branch: 'main',
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        forgeUrlReaderFactory,
        probe,
        mockServices.rootConfig.factory({
          data: {
            // A base URL nothing listens on: the reader must not use HTTP.
            backend: { baseUrl: 'http://paved.invalid:7007' },
            paved: { forge: { directory: dir.resolve('forge') } },
          },
        }),
      ],
    });
    expect(published?.commitSha).toMatch(/^[0-9a-f]{40}$/);
    const response = await reader!.readUrl(
      'http://paved.invalid:7007/api/forge/kestrel/x/blob/main/catalog-info.yaml',
    );
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    await backend.stop();
  });
});
