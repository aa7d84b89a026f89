import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { DefaultLocalForge } from './DefaultLocalForge';
import { ForgeUrlReader } from './ForgeUrlReader';
import { ForgeUrls } from './ForgeUrls';

describe('ForgeUrlReader', () => {
  const dir = createMockDirectory();
  const repo = { owner: 'kestrel', name: 'invoices' };
  let forge: DefaultLocalForge;
  let commitSha: string;

  // The UrlReader every plugin gets, with the forge's factory first, as the
  // backend wires it (packages/backend/src/features/forgeUrlReader.ts).
  const reader = () =>
    UrlReaders.default({
      config: mockServices.rootConfig({
        data: { backend: { baseUrl: 'http://localhost:7007' } },
      }),
      logger: mockServices.logger.mock(),
      factories: [ForgeUrlReader.factory(forge)],
    });

  beforeEach(async () => {
    dir.clear();
    dir.addContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'docs/index.md': '# Docs\n',
        'docs/api/catalog-info.yaml': 'kind: API\n',
        'mkdocs.yml': 'site_name: x\n',
      },
    });
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
    await forge.createRepository(repo);
    ({ commitSha } = await forge.pushInitialContent({
      ...repo,
      sourceDir: dir.resolve('workspace'),
      branch: 'main',
    }));
  });

  const base = 'http://localhost:7007/api/forge/kestrel/invoices';

  it('reads blob and raw URLs from disk, with the blob id as ETag', async () => {
    const response = await reader().readUrl(
      `${base}/blob/main/catalog-info.yaml`,
    );
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    const file = await forge.readFile(repo, commitSha, 'catalog-info.yaml');
    expect(response.etag).toBe(file.oid);

    // An unchanged file on refresh: the catalogue skips it.
    await expect(
      reader().readUrl(`${base}/raw/main/catalog-info.yaml`, {
        etag: response.etag,
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotModifiedError' }));
  });

  it('says what is missing', async () => {
    await expect(
      reader().readUrl(`${base}/blob/main/missing.yaml`),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: expect.stringContaining('No file missing.yaml'),
      }),
    );
    await expect(
      reader().readUrl(
        'http://localhost:7007/api/forge/kestrel/gone/blob/main/x',
      ),
    ).rejects.toThrow(
      'Repository kestrel/gone does not exist on the local forge',
    );
    await expect(reader().readUrl(`${base}/tree/main`)).rejects.toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });

  it('reads trees with a filter, and NotModified for an unchanged tree', async () => {
    const response = await reader().readTree(`${base}/tree/main/docs`, {
      filter: p => !p.startsWith('api/'),
    });
    const files = await response.files();
    expect(files.map(f => f.path)).toEqual(['index.md']);
    expect((await files[0].content()).toString()).toBe('# Docs\n');
    expect(response.etag).toMatch(/^[0-9a-f]{40}$/);
    await expect(
      reader().readTree(`${base}/tree/main/docs`, { etag: response.etag }),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotModifiedError' }));
  });

  it('searches with globs', async () => {
    const result = await reader().search(
      `${base}/blob/main/**/catalog-info.yaml`,
    );
    expect(result.etag).toBe(commitSha);
    expect(result.files.map(f => f.url).sort()).toEqual([
      `${base}/blob/main/catalog-info.yaml`,
      `${base}/blob/main/docs/api/catalog-info.yaml`,
    ]);
    const exact = await reader().search(`${base}/blob/main/mkdocs.yml`);
    expect(exact.files).toHaveLength(1);
    expect((await exact.files[0].content()).toString()).toBe('site_name: x\n');
    const none = await reader().search(`${base}/blob/main/nothing/*.yaml`);
    expect(none.files).toEqual([]);
  });

  it('leaves URLs outside the forge to the other readers', async () => {
    await expect(
      reader().readUrl('http://localhost:7007/api/catalog/entities'),
    ).rejects.toThrow(
      /Reading from 'http:\/\/localhost:7007\/api\/catalog\/entities' is not allowed/,
    );
  });
});
