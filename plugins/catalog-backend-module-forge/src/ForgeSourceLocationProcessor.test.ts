import { Entity } from '@backstage/catalog-model';
import { ForgeUrls } from '@paved/plugin-forge-node';
import { ForgeSourceLocationProcessor } from './ForgeSourceLocationProcessor';

describe('ForgeSourceLocationProcessor', () => {
  const processor = new ForgeSourceLocationProcessor({
    urls: ForgeUrls.forBackend('http://localhost:7007'),
  });
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'invoices', annotations: { a: 'b' } },
  };
  const run = (target: string, e: Entity = entity) =>
    processor.preProcessEntity(e, { type: 'url', target });
  const base = 'http://localhost:7007/api/forge/kestrel/invoices';

  it("points the source location at the catalogue file's folder on the forge", async () => {
    await expect(run(`${base}/blob/main/catalog-info.yaml`)).resolves.toEqual({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          a: 'b',
          'backstage.io/source-location': `url:${base}/tree/main/`,
        },
      },
    });
    const nested = await run(
      `${base}/raw/feature/x/services/api/catalog-info.yaml`,
    );
    expect(nested.metadata.annotations!['backstage.io/source-location']).toBe(
      `url:${base}/tree/feature/x/services/api/`,
    );
  });

  it('leaves other locations, and an annotation the entity sets, alone', async () => {
    await expect(
      run('https://github.com/kestrel/invoices/blob/main/catalog-info.yaml'),
    ).resolves.toBe(entity);
    await expect(run(`${base}/tree/main`)).resolves.toBe(entity);
    const own: Entity = {
      ...entity,
      metadata: {
        name: 'x',
        annotations: {
          'backstage.io/source-location': 'url:https://elsewhere/',
        },
      },
    };
    await expect(run(`${base}/blob/main/catalog-info.yaml`, own)).resolves.toBe(
      own,
    );
    await expect(
      processor.preProcessEntity(entity, {
        type: 'file',
        target: '/tmp/catalog-info.yaml',
      }),
    ).resolves.toBe(entity);
  });

  it('drops the github.com/project-slug that names the forge repository, and keeps any other', async () => {
    const templated: Entity = {
      ...entity,
      metadata: {
        name: 'invoices',
        annotations: {
          'github.com/project-slug': 'Kestrel/invoices',
          'backstage.io/kubernetes-id': 'invoices',
        },
      },
    };
    const onForge = await run(`${base}/blob/main/catalog-info.yaml`, templated);
    expect(onForge.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'invoices',
      'backstage.io/source-location': `url:${base}/tree/main/`,
    });
    // From its tree URL too, where no source location is set.
    const fromTree = await run(`${base}/tree/main`, templated);
    expect(fromTree.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'invoices',
    });
    // On GitHub the annotation is right, and it stays.
    await expect(
      run(
        'https://github.com/kestrel/invoices/blob/main/catalog-info.yaml',
        templated,
      ),
    ).resolves.toBe(templated);
    // A slug naming another repository is the entity's own reference.
    const other: Entity = {
      ...entity,
      metadata: {
        name: 'invoices',
        annotations: { 'github.com/project-slug': 'kestrel/upstream-lib' },
      },
    };
    const kept = await run(`${base}/blob/main/catalog-info.yaml`, other);
    expect(kept.metadata.annotations!['github.com/project-slug']).toBe(
      'kestrel/upstream-lib',
    );
  });

  it("drops the link to the forge repository's GitHub Pages site, and keeps any other", async () => {
    const website: Entity = {
      ...entity,
      metadata: {
        name: 'invoices',
        links: [
          { url: 'https://kestrel.github.io/invoices/', title: 'Website' },
          { url: 'https://kestrel.github.io/handbook/', title: 'Handbook' },
          { url: 'https://status.kestrel.example', title: 'Status' },
        ],
      },
    };
    const onForge = await run(`${base}/blob/main/catalog-info.yaml`, website);
    expect(onForge.metadata.links).toEqual([
      { url: 'https://kestrel.github.io/handbook/', title: 'Handbook' },
      { url: 'https://status.kestrel.example', title: 'Status' },
    ]);
    // On GitHub the site exists, and the link stays.
    await expect(
      run(
        'https://github.com/kestrel/invoices/blob/main/catalog-info.yaml',
        website,
      ),
    ).resolves.toBe(website);
  });
});
