import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from '../DefaultKubernetesProvisioner';
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
    const client = await KubernetesClusterClient.create(
      {
        name: 'pod',
        url: server.url,
        auth: { type: 'inCluster' },
        skipTLSVerify: true,
        onEntityPages: true,
      },
      { timeoutMs: 2000, inClusterRoot: dir.resolve('serviceaccount') },
    );
    await expect(readDefault(client)).resolves.toMatchObject({
      metadata: { name: 'default' },
    });
  });

  it('finds the API server from the pod environment, and says when the token file is missing', async () => {
    dir.setContent({ 'serviceaccount/token': 'x' });
    const inCluster = {
      name: 'pod',
      auth: { type: 'inCluster' as const },
      skipTLSVerify: false,
      onEntityPages: true,
    };
    const client = await KubernetesClusterClient.create(inCluster, {
      timeoutMs: 2000,
      inClusterRoot: dir.resolve('serviceaccount'),
      env: {
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    });
    expect(client.url).toBe('https://10.96.0.1:443');
    await expect(
      KubernetesClusterClient.create(inCluster, {
        timeoutMs: 2000,
        inClusterRoot: dir.resolve('nowhere'),
        env: {},
      }),
    ).rejects.toThrow(
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
      onEntityPages: false,
    };
    const client = await KubernetesClusterClient.create(settings, {
      timeoutMs: 2000,
    });
    expect(client.url).toBe(server.url);
    await expect(readDefault(client)).resolves.toMatchObject({
      metadata: { name: 'default' },
    });

    await expect(
      KubernetesClusterClient.create(
        { ...settings, auth: { ...settings.auth, context: 'prod' } },
        { timeoutMs: 2000 },
      ),
    ).rejects.toThrow(
      `cluster "k": the kubeconfig file ${dir.resolve(
        'kubeconfig',
      )} has no context "prod"; it has "test", "other"`,
    );
    await expect(
      KubernetesClusterClient.create(
        {
          ...settings,
          auth: { type: 'kubeconfig', path: dir.resolve('missing') },
        },
        { timeoutMs: 2000 },
      ),
    ).rejects.toThrow(
      `cluster "k": the kubeconfig file ${dir.resolve(
        'missing',
      )} does not exist`,
    );

    // The same through app-config: paved.kubernetes.clusters adds a kubeconfig cluster.
    const logger = mockServices.logger.mock();
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
      { logger },
    );
    // Only Paved knows this cluster: said once at start, since entity pages cannot show it.
    expect(logger.warn).toHaveBeenCalledWith(
      'Kubernetes cluster "lab" is only in paved.kubernetes.clusters: Paved provisions into it, but entity pages will not show its workloads until it is also under kubernetes.clusterLocatorMethods',
      { cluster: 'lab' },
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

  it('refuses plain HTTP without skipTLSVerify and auth providers it cannot use', async () => {
    await expect(
      KubernetesClusterClient.create(
        {
          name: 'dev',
          url: server.url,
          auth: { type: 'serviceAccountToken', token: 'secret-token' },
          skipTLSVerify: false,
          onEntityPages: true,
        },
        { timeoutMs: 2000 },
      ),
    ).rejects.toThrow(
      `cluster "dev": ${server.url} is plain HTTP; use https, or set skipTLSVerify: true for a local test cluster`,
    );
    await expect(
      KubernetesClusterClient.create(
        {
          name: 'gke',
          url: 'https://gke.example',
          auth: { type: 'unsupported', authProvider: 'google' },
          skipTLSVerify: false,
          onEntityPages: true,
        },
        { timeoutMs: 2000 },
      ),
    ).rejects.toThrow(
      'cluster "gke" uses authProvider "google", which the Paved provisioner does not support',
    );
  });

  it('verifies the cluster certificate against the configured CA, and says when it cannot', async () => {
    const tls = await startKubernetesTestServer({ tls: true });
    try {
      expect(tls.url).toMatch(/^https:/);
      const cluster = {
        name: 'secure',
        url: tls.url,
        auth: { type: 'serviceAccountToken' as const, token: tls.token },
        skipTLSVerify: false,
        onEntityPages: true,
      };
      const withCaData = await KubernetesClusterClient.create(
        { ...cluster, caData: tls.caData },
        { timeoutMs: 2000 },
      );
      await expect(readDefault(withCaData)).resolves.toMatchObject({
        metadata: { name: 'default' },
      });

      dir.setContent({
        'ca.crt': Buffer.from(tls.caData!, 'base64').toString('utf8'),
      });
      const withCaFile = await KubernetesClusterClient.create(
        { ...cluster, caFile: dir.resolve('ca.crt') },
        { timeoutMs: 2000 },
      );
      await expect(readDefault(withCaFile)).resolves.toMatchObject({
        metadata: { name: 'default' },
      });

      // Another cluster's CA: the certificate is not trusted, and the error says what to set.
      const other = await startKubernetesTestServer({ tls: true });
      await other.close();
      const wrongCa = await KubernetesClusterClient.create(
        { ...cluster, caData: other.caData },
        { timeoutMs: 2000 },
      );
      const error = await readDefault(wrongCa).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(
        new RegExp(
          `^Kubernetes cluster "secure" at ${tls.url.replace(
            /\./g,
            '\\.',
          )} presented a TLS certificate Paved does not trust while reading Namespace "default": [A-Z_]+ \\(.+\\); give the cluster's CA as caData or caFile$`,
        ),
      );
      expect(tls.requests).toHaveLength(2 * 2);
    } finally {
      await tls.close();
    }
  });
});
