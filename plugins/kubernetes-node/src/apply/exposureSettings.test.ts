import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from '../DefaultKubernetesProvisioner';

const loadBalancer = `apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  type: LoadBalancer
  selector: {app: edge}
  ports: [{port: 443}]
`;

const ingress = (host: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: edge}
spec:
  rules:
    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: edge, port: {number: 443}}}
`;

describe('apply with paved.kubernetes.allowLoadBalancer and ingress.domains', () => {
  let server: KubernetesTestServer;
  let provisioner: DefaultKubernetesProvisioner;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader(
        server.appConfig({
          clusterName: 'dev',
          paved: {
            kubernetes: {
              allowLoadBalancer: ['edge-prod'],
              ingress: { domains: ['{namespace}.apps.example.com'] },
            },
          },
        }),
      ),
      { logger: mockServices.logger.mock() },
    );
    for (const environment of ['dev', 'prod']) {
      await provisioner.ensureNamespace({
        component: 'edge',
        environment,
        owner: 'group:default/platform',
      });
    }
    server.resetRequests();
  });

  afterEach(() => server.close());

  it('applies a LoadBalancer only in the configured namespaces, writing nothing when refused', async () => {
    await expect(
      provisioner.apply({
        component: 'edge',
        environment: 'dev',
        manifests: loadBalancer,
      }),
    ).rejects.toThrow(
      '- document 1 (Service "edge"): spec.type: LoadBalancer is not allowed in namespace "edge-dev" (paved.kubernetes.allowLoadBalancer)',
    );
    expect(server.requests).toEqual([]);
    const applied = await provisioner.apply({
      component: 'edge',
      environment: 'prod',
      manifests: loadBalancer,
    });
    expect(applied.objects.map(o => `${o.action} ${o.kind}/${o.name}`)).toEqual(
      ['created Service/edge'],
    );
  });

  it("applies an Ingress only for hosts in the namespace's own domain", async () => {
    await expect(
      provisioner.apply({
        component: 'edge',
        environment: 'dev',
        manifests: ingress('edge-prod.apps.example.com'),
      }),
    ).rejects.toThrow(
      `- document 1 (Ingress "edge"): spec.rules[0].host: "edge-prod.apps.example.com" is outside this namespace's domains "edge-dev.apps.example.com"`,
    );
    expect(server.requests).toEqual([]);
    const applied = await provisioner.apply({
      component: 'edge',
      environment: 'dev',
      manifests: ingress('www.edge-dev.apps.example.com'),
    });
    expect(applied.objects.map(o => o.action)).toEqual(['created']);
  });
});
