import {
  ServiceFactoryTester,
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import path from 'node:path';
import { DefaultLocalForge } from './DefaultLocalForge';
import {
  localForgeServiceFactory,
  localForgeServiceRef,
} from './localForgeServiceRef';

describe('localForgeServiceRef', () => {
  const dir = createMockDirectory();

  it('builds the forge from paved.forge and backend.baseUrl', async () => {
    const forge = await ServiceFactoryTester.from(localForgeServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'https://paved.kestrel.example' },
            paved: { forge: { directory: dir.path } },
          },
        }),
      ],
    }).getSubject();
    expect((forge as DefaultLocalForge).directory).toBe(dir.path);
    const created = await forge.createRepository({ owner: 'k', name: 'x' });
    expect(created.cloneUrl).toBe(
      'https://paved.kestrel.example/api/forge/k/x.git',
    );
  });

  it('defaults to forge/ in PAVED_DATA_DIR, as the other data', async () => {
    const previous = process.env.PAVED_DATA_DIR;
    process.env.PAVED_DATA_DIR = dir.path;
    try {
      const tester = ServiceFactoryTester.from(
        mockServices.rootConfig.factory({
          data: { backend: { baseUrl: 'http://localhost:7007' } },
        }),
      );
      const first = await tester.getService(localForgeServiceRef);
      expect(await tester.getService(localForgeServiceRef)).toBe(first);
      expect((first as DefaultLocalForge).directory).toBe(
        path.join(dir.path, 'forge'),
      );
    } finally {
      if (previous === undefined) delete process.env.PAVED_DATA_DIR;
      else process.env.PAVED_DATA_DIR = previous;
    }
  });

  it('names a bad allowedOwners entry', async () => {
    await expect(
      ServiceFactoryTester.from(localForgeServiceFactory, {
        dependencies: [
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              paved: { forge: { allowedOwners: ['ok', 'not ok'] } },
            },
          }),
        ],
      }).getSubject(),
    ).rejects.toThrow(
      'paved.forge.allowedOwners[1]: Invalid repository owner "not ok"',
    );
  });
});
