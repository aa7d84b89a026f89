import { ConfigReader } from '@backstage/config';
import {
  canonicalQuantity,
  readKubernetesProvisionerConfig,
} from './readKubernetesProvisionerConfig';

const upstream = (clusters: unknown[]): any => ({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type: 'config', clusters }],
  },
});

describe('readKubernetesProvisionerConfig', () => {
  it('reads the kubernetes plugin clusters and adds or overrides from paved.kubernetes.clusters', () => {
    const settings = readKubernetesProvisionerConfig(
      new ConfigReader({
        ...upstream([
          {
            name: 'dev',
            url: 'https://dev.example:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
            caData: 'Q0E=',
          },
          {
            name: 'prod',
            url: 'https://prod.example:6443',
            authProvider: 'google',
          },
          {
            name: 'pod',
            url: 'https://kubernetes.default.svc',
            authProvider: 'serviceAccount',
          },
        ]),
        paved: {
          kubernetes: {
            defaultCluster: 'dev',
            clusters: [
              {
                name: 'prod',
                kubeconfig: {
                  path: '/etc/paved/prod.kubeconfig',
                  context: 'prod-admin',
                },
              },
              { name: 'lab', inCluster: true },
            ],
          },
        },
      }),
    );
    expect(settings.clusters).toEqual([
      {
        name: 'dev',
        url: 'https://dev.example:6443',
        auth: { type: 'serviceAccountToken', token: 't' },
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
        onEntityPages: true,
      },
      {
        name: 'prod',
        url: 'https://prod.example:6443',
        auth: {
          type: 'kubeconfig',
          path: '/etc/paved/prod.kubeconfig',
          context: 'prod-admin',
        },
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        onEntityPages: true,
      },
      {
        name: 'pod',
        url: 'https://kubernetes.default.svc',
        auth: { type: 'inCluster' },
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        onEntityPages: true,
      },
      {
        name: 'lab',
        url: undefined,
        auth: { type: 'inCluster' },
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        onEntityPages: false,
      },
    ]);
    expect(settings.defaultCluster).toBe('dev');
    expect(settings.sizes.small.requests).toEqual({ cpu: '2', memory: '4Gi' });
    expect(settings.requestTimeoutMs).toBe(10_000);
  });

  it('reads guardrail settings with durations and canonical quantities', () => {
    const settings = readKubernetesProvisionerConfig(
      new ConfigReader({
        paved: {
          kubernetes: {
            podSecurityVersion: 'v1.32',
            sizes: {
              small: { requests: { cpu: '0.5', memory: '2048Mi' }, pods: 5 },
            },
            allowedKinds: ['ConfigMap', 'apps/Deployment'],
            requestTimeout: '3s',
            rolloutTimeout: { minutes: 2 },
            maxManifestBytes: 2048,
            ingress: { domains: ['{namespace}.apps.example.com'] },
            allowLoadBalancer: ['edge-prod'],
          },
        },
      }),
    );
    expect(settings.sizes.small).toMatchObject({
      requests: { cpu: '500m', memory: '2Gi' },
      pods: 5,
    });
    expect(settings.sizes.medium.requests).toEqual({
      cpu: '8',
      memory: '16Gi',
    });
    expect(settings).toMatchObject({
      podSecurityVersion: 'v1.32',
      allowedKinds: ['ConfigMap', 'apps/Deployment'],
      requestTimeoutMs: 3000,
      rolloutTimeoutMs: 120_000,
      maxManifestBytes: 2048,
      clusters: [],
      bindableClusterRoles: ['view'],
      ingressDomains: ['{namespace}.apps.example.com'],
      allowLoadBalancer: ['edge-prod'],
    });
    expect(readKubernetesProvisionerConfig(new ConfigReader({}))).toMatchObject(
      { ingressDomains: [], allowLoadBalancer: false },
    );
    expect(
      readKubernetesProvisionerConfig(
        new ConfigReader({
          paved: { kubernetes: { bindableClusterRoles: [] } },
        }),
      ).bindableClusterRoles,
    ).toEqual([]);
  });

  it.each([
    [
      {
        paved: {
          kubernetes: { sizes: { large: { limits: { memory: 'lots' } } } },
        },
      },
      'paved.kubernetes.sizes.large.limits.memory: "lots" is not a Kubernetes quantity',
    ],
    [
      { paved: { kubernetes: { allowedKinds: ['deployments.apps'] } } },
      'paved.kubernetes.allowedKinds[0]: expected "Kind" or "group/Kind"',
    ],
    [
      { paved: { kubernetes: { defaultCluster: 'prod' } } },
      'paved.kubernetes.defaultCluster: "prod" is not a configured cluster; configured: none',
    ],
    [
      { paved: { kubernetes: { clusters: [{ name: 'x' }] } } },
      'paved.kubernetes.clusters[0]: cluster "x" needs kubeconfig.path or inCluster: true',
    ],
    [
      { paved: { kubernetes: { podSecurityVersion: '1.33' } } },
      'paved.kubernetes.podSecurityVersion: expected "latest" or a version such as v1.33',
    ],
    [
      {
        paved: { kubernetes: { ingress: { domains: ['*.apps.example.com'] } } },
      },
      'paved.kubernetes.ingress.domains[0]: expected a domain such as "{namespace}.apps.example.com"',
    ],
    [
      { paved: { kubernetes: { allowLoadBalancer: 'yes' } } },
      'paved.kubernetes.allowLoadBalancer: expected true, false or a list of namespaces, got "yes"',
    ],
    [
      { paved: { kubernetes: { maxDocuments: 0 } } },
      'paved.kubernetes.maxDocuments: expected a positive whole number',
    ],
    [
      upstream([
        { name: 'a', url: 'https://a', serviceAccountToken: 'x' },
        { name: 'a', url: 'https://b', serviceAccountToken: 'y' },
      ]),
      'the cluster name "a" is used twice',
    ],
    [
      upstream([{ name: 'a', url: 'not a url', serviceAccountToken: 'x' }]),
      'kubernetes.clusterLocatorMethods[0].clusters[0].url: expected an http(s) URL for cluster "a"',
    ],
  ])('rejects bad config naming the key (%#)', (data: any, message) => {
    expect(() =>
      readKubernetesProvisionerConfig(new ConfigReader(data)),
    ).toThrow(message);
  });

  it('never puts a token in an error', () => {
    const data = upstream([
      { name: 'a', url: 'nope', serviceAccountToken: 'super-secret-token' },
    ]);
    expect(() =>
      readKubernetesProvisionerConfig(new ConfigReader(data)),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('super-secret-token'),
      }),
    );
  });

  it('writes quantities the way the apiserver stores them', () => {
    expect(canonicalQuantity('1000m', 'k')).toBe('1');
    expect(canonicalQuantity('1500m', 'k')).toBe('1500m');
    expect(canonicalQuantity('0.25', 'k')).toBe('250m');
    expect(canonicalQuantity('1048576Ki', 'k')).toBe('1Gi');
    expect(canonicalQuantity('1536Mi', 'k')).toBe('1536Mi');
    expect(() => canonicalQuantity('1.5Gi', 'k')).toThrow(
      'k: "1.5Gi" has a fraction',
    );
  });
});
