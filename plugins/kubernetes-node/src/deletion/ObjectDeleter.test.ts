import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from '../DefaultKubernetesProvisioner';

describe('deleteObject', () => {
  let server: KubernetesTestServer;
  let provisioner: DefaultKubernetesProvisioner;
  const target = { component: 'orders-api', environment: 'dev' };
  const secret = {
    ...target,
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'orders-db-connection',
  };
  const ref = {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'orders-api-dev',
    name: 'orders-db-connection',
  };
  const writes = () => server.requests.filter(r => r.write);

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(server.appConfig({ clusterName: 'dev' })),
      { logger: mockServices.logger.mock() },
    );
    await provisioner.ensureNamespace({ ...target, owner: 'storefront' });
  });

  afterEach(async () => {
    await server.close();
  });

  it('deletes an object Paved wrote for the component; gone already is done; a dry run deletes nothing', async () => {
    await provisioner.apply({
      ...target,
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'orders-db-connection' },
          data: { PGHOST: Buffer.from('db').toString('base64') },
        },
      ],
    });
    server.resetRequests();
    expect(await provisioner.deleteObject({ ...secret, dryRun: true })).toEqual(
      {
        cluster: 'dev',
        namespace: 'orders-api-dev',
        existed: true,
        dryRun: true,
      },
    );
    expect(writes()).toEqual([]);
    expect(await provisioner.deleteObject(secret)).toMatchObject({
      existed: true,
      dryRun: false,
    });
    expect(server.driver.getObject(ref)).toBeUndefined();
    server.resetRequests();
    expect(await provisioner.deleteObject(secret)).toMatchObject({
      existed: false,
    });
    expect(writes()).toEqual([]);
    // A namespace that does not exist holds nothing to delete.
    expect(
      await provisioner.deleteObject({ ...secret, component: 'gone' }),
    ).toMatchObject({ namespace: 'gone-dev', existed: false });
  });

  it('refuses an object Paved did not write, and a namespace it did not provision, deleting nothing', async () => {
    server.driver.seed({
      ...ref,
      metadata: { name: ref.name, namespace: ref.namespace },
      data: {},
    });
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'foreign-dev' },
    });
    server.resetRequests();
    await expect(provisioner.deleteObject(secret)).rejects.toThrow(
      'Secret "orders-db-connection" in namespace "orders-api-dev" on cluster "dev" was not written by Paved for component "orders-api"; Paved deletes only what it wrote',
    );
    await expect(
      provisioner.deleteObject({ ...secret, component: 'foreign' }),
    ).rejects.toThrow(
      /^Namespace "foreign-dev" on cluster "dev" is not managed by Paved/,
    );
    expect(writes()).toEqual([]);
    expect(server.driver.getObject(ref)).toBeDefined();
  });
});
