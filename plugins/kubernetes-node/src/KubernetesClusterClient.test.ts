import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from './DefaultKubernetesProvisioner';
import { KubernetesClusterClient } from './KubernetesClusterClient';

const readDefault = (client: KubernetesClusterClient) =>
  client.call('reading Namespace "default"', () =>
    client.objects.read({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default' },
    }),
  );

describe('KubernetesClusterClient', () => {
  const dir = createMockDirectory();
  let server: KubernetesTestServer;

  beforeEach(async () => {
    dir.clear();
    server = await startKubernetesTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('connects with the pod service account token file', async () => {
    dir.setContent({ 'serviceaccount/token': server.token });
    const client = KubernetesClusterClient.create(
      {
        name: 'pod',
        url: server.url,
        auth: { type: 'inCluster' },
        skipTLSVerify: true,
      },
      { timeoutMs: 2000, inClusterRoot: dir.resolve('serviceaccount') },
    );
    await expect(readDefault(client)).resolves.toMatchObject({
      metadata: { name: 'default' },
    });
  });

  it('finds the API server from the pod environment, and says when the token file is missing', () => {
    dir.setContent({ 'serviceaccount/token': 'x' });
    const client = KubernetesClusterClient.create(
      { name: 'pod', auth: { type: 'inCluster' }, skipTLSVerify: false },
      {
        timeoutMs: 2000,
        inClusterRoot: dir.resolve('serviceaccount'),
        env: {
          KUBERNETES_SERVICE_HOST: '10.96.0.1',
          KUBERNETES_SERVICE_PORT: '443',
        },
      },
    );
    expect(client.url).toBe('https://10.96.0.1:443');
    expect(() =>
      KubernetesClusterClient.create(
        { name: 'pod', auth: { type: 'inCluster' }, skipTLSVerify: false },
        { timeoutMs: 2000, inClusterRoot: dir.resolve('nowhere'), env: {} },
      ),
    ).toThrow(
      `cluster "pod" uses in-cluster credentials, but ${dir.resolve(
        'nowhere/token',
      )} does not exist`,
    );
  });

  it('connects with a kubeconfig context and names the contexts when one is missing', async () => {
    dir.setContent({
      kubeconfig: `apiVersion: v1
kind: Config
current-context: other
clusters:
  - name: test
    cluster:
      server: ${server.url}
      insecure-skip-tls-verify: true
  - name: elsewhere
    cluster:
      server: https://elsewhere.example
users:
  - name: paved
    user:
      token: ${server.token}
contexts:
  - name: test
    context: { cluster: test, user: paved }
  - name: other
    context: { cluster: elsewhere, user: paved }
`,
    });
    const settings = {
      name: 'k',
      auth: {
        type: 'kubeconfig' as const,
        path: dir.resolve('kubeconfig'),
        context: 'test',
      },
      skipTLSVerify: false,
    };
    const client = KubernetesClusterClient.create(settings, {
      timeoutMs: 2000,
    });
    expect(client.url).toBe(server.url);
    await expect(readDefault(client)).resolves.toMatchObject({
      metadata: { name: 'default' },
    });

    expect(() =>
      KubernetesClusterClient.create(
        { ...settings, auth: { ...settings.auth, context: 'prod' } },
        { timeoutMs: 2000 },
      ),
    ).toThrow(
      `cluster "k": the kubeconfig file ${dir.resolve(
        'kubeconfig',
      )} has no context "prod"; it has "test", "other"`,
    );
    expect(() =>
      KubernetesClusterClient.create(
        {
          ...settings,
          auth: { type: 'kubeconfig', path: dir.resolve('missing') },
        },
        { timeoutMs: 2000 },
      ),
    ).toThrow(
      `cluster "k": the kubeconfig file ${dir.resolve(
        'missing',
      )} does not exist`,
    );

    // The same through app-config: paved.kubernetes.clusters adds a kubeconfig cluster.
    const provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader({
        paved: {
          kubernetes: {
            clusters: [
              {
                name: 'lab',
                kubeconfig: {
                  path: dir.resolve('kubeconfig'),
                  context: 'test',
                },
              },
            ],
          },
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    const result = await provisioner.ensureNamespace({
      component: 'shop',
      environment: 'lab',
      owner: 'team-shop',
    });
    expect(result.cluster).toBe('lab');
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'shop-lab',
      }),
    ).toBeDefined();
  });

  it('refuses plain HTTP without skipTLSVerify and auth providers it cannot use', () => {
    expect(() =>
      KubernetesClusterClient.create(
        {
          name: 'dev',
          url: server.url,
          auth: { type: 'serviceAccountToken', token: 'secret-token' },
          skipTLSVerify: false,
        },
        { timeoutMs: 2000 },
      ),
    ).toThrow(
      `cluster "dev": ${server.url} is plain HTTP; use https, or set skipTLSVerify: true for a local test cluster`,
    );
    expect(() =>
      KubernetesClusterClient.create(
        {
          name: 'gke',
          url: 'https://gke.example',
          auth: { type: 'unsupported', authProvider: 'google' },
          skipTLSVerify: false,
        },
        { timeoutMs: 2000 },
      ),
    ).toThrow(
      'cluster "gke" uses authProvider "google", which the Paved provisioner does not support',
    );
  });
});
