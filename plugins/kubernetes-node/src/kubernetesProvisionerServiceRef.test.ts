import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import {
  kubernetesProvisionerServiceFactory,
  kubernetesProvisionerServiceRef,
} from './kubernetesProvisionerServiceRef';

describe('kubernetesProvisionerServiceRef', () => {
  let server: KubernetesTestServer;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('builds a provisioner from app-config', async () => {
    const tester = ServiceFactoryTester.from(
      kubernetesProvisionerServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({
            data: server.appConfig({ clusterName: 'dev' }),
          }),
        ],
      },
    );
    const provisioner = await tester.getSubject();
    expect(provisioner.resolveCluster()).toBe('dev');
    const result = await provisioner.ensureNamespace({
      component: 'shop',
      environment: 'dev',
      owner: 'team-shop',
    });
    expect(result.objects.map(o => o.action)).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
    ]);
  });

  it('is the default factory of the ref, and shared at root scope', async () => {
    const tester = ServiceFactoryTester.from(
      mockServices.rootConfig.factory({ data: server.appConfig() }),
    );
    const first = await tester.getService(kubernetesProvisionerServiceRef);
    const second = await tester.getService(kubernetesProvisionerServiceRef);
    expect(first).toBe(second);
    expect(first.resolveCluster()).toBe('test');
  });
});
