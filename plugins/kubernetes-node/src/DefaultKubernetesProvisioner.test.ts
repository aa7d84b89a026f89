import net from 'node:net';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KubernetesTestServer,
  KubernetesTestServerOptions,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import { DefaultKubernetesProvisioner } from './DefaultKubernetesProvisioner';

const target = {
  component: 'shop',
  environment: 'dev',
  owner: 'group:default/team-shop',
};
const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop-dev',
  name: 'web',
};

interface Setup {
  server: KubernetesTestServer;
  provisioner: DefaultKubernetesProvisioner;
  logger: ReturnType<typeof mockServices.logger.mock>;
  /** A provisioner with no cached discovery, as after a restart. */
  fresh(): DefaultKubernetesProvisioner;
}

const servers: KubernetesTestServer[] = [];

async function setup(
  options: {
    kubernetes?: Record<string, unknown>;
    server?: KubernetesTestServerOptions;
  } = {},
): Promise<Setup> {
  const server = await startKubernetesTestServer(options.server);
  servers.push(server);
  const logger = mockServices.logger.mock();
  const config = new ConfigReader(
    server.appConfig({
      clusterName: 'dev',
      paved: { kubernetes: { requestTimeout: '2s', ...options.kubernetes } },
    }),
  );
  const fresh = () =>
    DefaultKubernetesProvisioner.fromConfig(config, { logger });
  return { server, provisioner: fresh(), logger, fresh };
}

const writes = (server: KubernetesTestServer) =>
  server.requests.filter(r => r.write);
const calls = (server: KubernetesTestServer) =>
  server.requests.map(r => `${r.method} ${r.path} ${r.status}`);

afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()));
});

describe('DefaultKubernetesProvisioner.ensureNamespace', () => {
  it('creates a namespace that is safe by default within the round-trip budget', async () => {
    const { server, provisioner } = await setup();
    const result = await provisioner.ensureNamespace(target);

    const ns0 = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'shop-dev',
    })!;
    expect(result).toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      uid: ns0.metadata.uid,
      dryRun: false,
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'shop-dev',
          action: 'created',
        },
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          name: 'paved-quota',
          namespace: 'shop-dev',
          action: 'created',
        },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          name: 'paved-limits',
          namespace: 'shop-dev',
          action: 'created',
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          name: 'paved-default-deny',
          namespace: 'shop-dev',
          action: 'created',
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          name: 'paved-owner',
          namespace: 'shop-dev',
          action: 'created',
        },
      ],
    });
    // Discovery is fetched once per group version; a namespace that did not exist is not searched.
    expect(calls(server)).toEqual([
      'GET /api/v1 200',
      'GET /api/v1/namespaces/shop-dev 404',
      'PATCH /api/v1/namespaces/shop-dev 201',
      'PATCH /api/v1/namespaces/shop-dev/resourcequotas/paved-quota 201',
      'PATCH /api/v1/namespaces/shop-dev/limitranges/paved-limits 201',
      'GET /apis/networking.k8s.io/v1 200',
      'PATCH /apis/networking.k8s.io/v1/namespaces/shop-dev/networkpolicies/paved-default-deny 201',
      'GET /apis/rbac.authorization.k8s.io/v1 200',
      'PATCH /apis/rbac.authorization.k8s.io/v1/namespaces/shop-dev/rolebindings/paved-owner 201',
    ]);
    expect(server.requests.length).toBeLessThanOrEqual(12);
    expect(
      writes(server).every(
        r =>
          r.contentType === 'application/apply-patch+yaml' &&
          r.query.fieldManager === 'paved',
      ),
    ).toBe(true);

    const ns = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'shop-dev',
    })!;
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'paved',
      'paved.kestrel.example/component': 'shop',
      'paved.kestrel.example/environment': 'dev',
      'paved.kestrel.example/owner': 'team-shop',
      'paved.kestrel.example/size': 'small',
      'backstage.io/kubernetes-id': 'shop',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'kubernetes.io/metadata.name': 'shop-dev',
    });
    const quota = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      namespace: 'shop-dev',
      name: 'paved-quota',
    })!;
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '2',
      'requests.memory': '4Gi',
      'limits.cpu': '4',
      'limits.memory': '8Gi',
      pods: '20',
    });
    const limits = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'LimitRange',
      namespace: 'shop-dev',
      name: 'paved-limits',
    })!;
    expect(limits.spec.limits).toEqual([
      {
        type: 'Container',
        default: { cpu: '500m', memory: '512Mi' },
        defaultRequest: { cpu: '100m', memory: '128Mi' },
      },
    ]);
    const policy = server.driver.getObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      namespace: 'shop-dev',
      name: 'paved-default-deny',
    })!;
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(
      policy.spec.ingress[1].from[0].namespaceSelector.matchLabels,
    ).toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx' });
    expect(policy.spec.egress[1].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    const binding = server.driver.getObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      namespace: 'shop-dev',
      name: 'paved-owner',
    })!;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'edit',
    });
    expect(binding.subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'team-shop',
      },
    ]);
  });

  it('writes nothing on a warm re-run, with or without cached discovery', async () => {
    const { server, provisioner, fresh } = await setup();
    await provisioner.ensureNamespace(target);

    server.resetRequests();
    const warm = await provisioner.ensureNamespace(target);
    expect(warm.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(writes(server)).toEqual([]);
    expect(server.requests).toHaveLength(5);

    server.resetRequests();
    await fresh().ensureNamespace(target);
    expect(writes(server)).toEqual([]);
    expect(server.requests).toHaveLength(8);
  });

  it('updates only what changed when the size changes', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    server.resetRequests();

    const resized = await provisioner.ensureNamespace({
      ...target,
      size: 'large',
    });
    expect(resized.objects.map(o => `${o.kind}:${o.action}`)).toEqual([
      'Namespace:updated',
      'ResourceQuota:updated',
      'LimitRange:updated',
      'NetworkPolicy:unchanged',
      'RoleBinding:unchanged',
    ]);
    expect(writes(server)).toHaveLength(3);
    const quota = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      namespace: 'shop-dev',
      name: 'paved-quota',
    })!;
    expect(quota.spec.hard['limits.memory']).toBe('128Gi');
  });

  it('refuses to hand a namespace to another owner unless asked, naming the current one', async () => {
    const { server, provisioner, logger } = await setup();
    await provisioner.ensureNamespace(target);
    server.resetRequests();
    const other = { ...target, owner: 'group:default/team-payments' };
    const refusal = {
      name: 'ConflictError',
      message:
        'owner: namespace "shop-dev" on cluster "dev" belongs to group "team-shop", not "team-payments"; Paved hands it to another owner only when asked (allowOwnerChange, the changeOwner input of paved:kubernetes:namespace:provision), e.g. after the component\'s owner changed in the catalogue',
    };
    await expect(provisioner.ensureNamespace(other)).rejects.toThrow(
      expect.objectContaining(refusal),
    );
    // A dry run says the same, and nothing was written either way.
    await expect(
      provisioner.ensureNamespace({ ...other, dryRun: true }),
    ).rejects.toThrow(expect.objectContaining(refusal));
    expect(writes(server)).toEqual([]);
    const binding = () =>
      server.driver.getObject({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        namespace: 'shop-dev',
        name: 'paved-owner',
      })!;
    expect(binding().subjects[0].name).toBe('team-shop');

    const handedOver = await provisioner.ensureNamespace({
      ...other,
      allowOwnerChange: true,
    });
    expect(
      handedOver.objects.filter(o => o.action === 'updated').map(o => o.kind),
    ).toEqual(['Namespace', 'RoleBinding']);
    expect(binding().subjects[0].name).toBe('team-payments');
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'shop-dev',
      })!.metadata.labels['paved.kestrel.example/owner'],
    ).toBe('team-payments');
    expect(logger.info).toHaveBeenCalledWith(
      'Namespace "shop-dev" changes owner from group "team-shop" to "team-payments"',
      expect.objectContaining({ previousOwner: 'team-shop' }),
    );
    // The new owner is the owner now: running as before converges, the old one is refused.
    server.resetRequests();
    await provisioner.ensureNamespace(other);
    expect(writes(server)).toEqual([]);
    await expect(provisioner.ensureNamespace(target)).rejects.toThrow(
      'belongs to group "team-payments", not "team-shop"',
    );
  });

  it('takes back hand edits of its guardrails and replaces a binding whose ClusterRole changed', async () => {
    const first = await setup();
    await first.provisioner.ensureNamespace(target);
    first.server.driver.updateAs(
      'kubectl-edit',
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        namespace: 'shop-dev',
        name: 'paved-quota',
      },
      { spec: { hard: { pods: '500' } } },
    );
    const again = await first.provisioner.ensureNamespace(target);
    expect(again.objects.find(o => o.kind === 'ResourceQuota')?.action).toBe(
      'updated',
    );
    const quota = first.server.driver.getObject({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      namespace: 'shop-dev',
      name: 'paved-quota',
    })!;
    expect(quota.spec.hard.pods).toBe('20');

    // Same cluster, now configured to bind another ClusterRole: roleRef is immutable.
    const config = new ConfigReader(
      first.server.appConfig({
        clusterName: 'dev',
        paved: { kubernetes: { ownerClusterRole: 'view' } },
      }),
    );
    const other = DefaultKubernetesProvisioner.fromConfig(config, {
      logger: first.logger,
    });
    first.server.resetRequests();
    const rebound = await other.ensureNamespace(target);
    expect(rebound.objects.find(o => o.kind === 'RoleBinding')?.action).toBe(
      'updated',
    );
    expect(writes(first.server).map(r => r.method)).toEqual([
      'DELETE',
      'PATCH',
    ]);
    const binding = first.server.driver.getObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      namespace: 'shop-dev',
      name: 'paved-owner',
    })!;
    expect(binding.roleRef.name).toBe('view');
  });

  it('shows in a dry run what it would create, and changes nothing', async () => {
    const { server, provisioner } = await setup();
    const result = await provisioner.ensureNamespace({
      ...target,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(result.objects.map(o => o.action)).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
    ]);
    expect(writes(server)).toEqual([]);
    expect(
      server.driver.getObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'shop-dev',
      }),
    ).toBeUndefined();
  });

  it('refuses a namespace it does not own, one of another component, and one being deleted', async () => {
    const { server, provisioner } = await setup();
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-dev' },
    });
    await expect(provisioner.ensureNamespace(target)).rejects.toThrow(
      'Namespace "shop-dev" already exists on cluster "dev" and is not managed by Paved (app.kubernetes.io/managed-by is not set); choose another component or environment name',
    );

    await provisioner.ensureNamespace({
      ...target,
      component: 'a-b',
      environment: 'c',
    });
    await expect(
      provisioner.ensureNamespace({
        ...target,
        component: 'a',
        environment: 'b-c',
      }),
    ).rejects.toThrow(
      'Namespace "a-b-c" already exists on cluster "dev" and belongs to component "a-b" in environment "c"; choose another component or environment name',
    );

    server.driver.setNamespaceTermination('manual');
    await provisioner.ensureNamespace({ ...target, environment: 'qa' });
    await provisioner
      .deleteNamespace({
        ...target,
        environment: 'qa',
        timeoutMs: 20,
        pollIntervalMs: 5,
      })
      .catch(() => undefined);
    await expect(
      provisioner.ensureNamespace({ ...target, environment: 'qa' }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          'Namespace "shop-qa" on cluster "dev" is being deleted (Terminating); wait until it is gone, then run again',
      }),
    );
  });

  it('reports what it had done when a step fails, and converges on retry', async () => {
    const { server, provisioner } = await setup();
    const allow = server.driver.deny({
      verb: 'patch',
      resource: 'rolebindings',
    });
    const failure = provisioner.ensureNamespace(target);
    await expect(failure).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message: `Kubernetes cluster "dev" refused applying RoleBinding "paved-owner": rolebindings.rbac.authorization.k8s.io "paved-owner" is forbidden: User "${server.user}" cannot patch resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "shop-dev". Before the failure Paved had applied to namespace "shop-dev" on cluster "dev": Namespace "shop-dev" (created), ResourceQuota "paved-quota" (created), LimitRange "paved-limits" (created), NetworkPolicy "paved-default-deny" (created); run the operation again to converge`,
      }),
    );
    allow();
    const retry = await provisioner.ensureNamespace(target);
    expect(retry.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'created',
    ]);
    server.resetRequests();
    await provisioner.ensureNamespace(target);
    expect(writes(server)).toEqual([]);
  });

  it('says which write may have landed when the cluster stops answering part-way', async () => {
    const { server, provisioner } = await setup({
      kubernetes: { requestTimeout: { milliseconds: 200 } },
    });
    const answer = server.driver.hang({
      method: 'PATCH',
      path: '/api/v1/namespaces/shop-dev/limitranges',
    });
    const error = await provisioner.ensureNamespace(target).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      `Kubernetes cluster "dev" at ${server.url} did not answer within 0.2s while applying LimitRange "paved-limits". Before the failure Paved had applied to namespace "shop-dev" on cluster "dev": Namespace "shop-dev" (created), ResourceQuota "paved-quota" (created); it was applying LimitRange "paved-limits" when the cluster stopped answering, so that one may or may not have been applied; run the operation again to converge`,
    );
    answer();
    const retry = await provisioner.ensureNamespace(target);
    expect(retry.objects.map(o => `${o.kind}:${o.action}`)).toEqual([
      'Namespace:unchanged',
      'ResourceQuota:unchanged',
      'LimitRange:created',
      'NetworkPolicy:created',
      'RoleBinding:created',
    ]);
  });

  it.each([
    [{ component: 'Shop' }, 'component: "Shop" is not a DNS-1123 label'],
    [
      { environment: 'prod/eu' },
      'environment: "prod/eu" is not a DNS-1123 label',
    ],
    [
      { size: 'huge' },
      'size: expected one of small, medium, large, got "huge"',
    ],
    [{ owner: 'user:default/jane doe' }, 'owner: expected a group entity ref'],
    [
      { cluster: 'prod' },
      'cluster: "prod" is not a configured Kubernetes cluster; configured: dev',
    ],
  ])(
    'rejects bad input %j naming the field, before any request',
    async (override, message) => {
      const { server, provisioner } = await setup();
      await expect(
        provisioner.ensureNamespace({ ...target, ...(override as any) }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringContaining(message),
        }),
      );
      expect(server.requests).toEqual([]);
    },
  );

  it('says plainly when no cluster is configured, and asks which when several are', async () => {
    const logger = mockServices.logger.mock();
    const none = DefaultKubernetesProvisioner.fromConfig(new ConfigReader({}), {
      logger,
    });
    await expect(none.ensureNamespace(target)).rejects.toThrow(
      'No Kubernetes cluster is configured for Paved: add one under kubernetes.clusterLocatorMethods (type: config) or paved.kubernetes.clusters in app-config',
    );
    const { server } = await setup();
    const two = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [server.clusterConfig('a'), server.clusterConfig('b')],
            },
          ],
        },
      }),
      { logger },
    );
    // Clusters of the kubernetes plugin's config are on entity pages: no warning.
    expect(logger.warn).not.toHaveBeenCalled();
    expect(() => two.resolveCluster()).toThrow(
      'cluster: several Kubernetes clusters are configured (a, b); name one, or set paved.kubernetes.defaultCluster',
    );
    expect(two.resolveCluster('b')).toBe('b');
  });
});

describe('DefaultKubernetesProvisioner.apply', () => {
  it('applies a ten-object service with the label convention, and writes nothing on a warm run', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    server.resetRequests();

    const result = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
    });
    expect(result.objects.map(o => `${o.kind}/${o.name}:${o.action}`)).toEqual([
      'NetworkPolicy/web-allow-http:created',
      'PodDisruptionBudget/web:created',
      'ServiceAccount/web:created',
      'ConfigMap/web-config:created',
      'Role/web-reader:created',
      'RoleBinding/web-reader:created',
      'Service/web:created',
      'Deployment/web:created',
      'HorizontalPodAutoscaler/web:created',
      'Ingress/web:created',
    ]);
    expect(writes(server)).toHaveLength(10);
    const deployment = server.driver.getObject(deploymentRef)!;
    expect(deployment.metadata.labels).toEqual({
      app: 'web',
      'app.kubernetes.io/managed-by': 'paved',
      'paved.kestrel.example/component': 'shop',
      'paved.kestrel.example/environment': 'dev',
      'backstage.io/kubernetes-id': 'shop',
    });
    expect(deployment.spec.template.metadata.labels).toEqual({
      app: 'web',
      'backstage.io/kubernetes-id': 'shop',
    });
    expect(
      deployment.metadata.managedFields.map(
        (m: any) => `${m.manager}:${m.operation}`,
      ),
    ).toEqual(['paved:Apply']);

    server.resetRequests();
    const warm = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
    });
    expect(warm.objects.every(o => o.action === 'unchanged')).toBe(true);
    expect(writes(server)).toEqual([]);
    // The namespace (is it Paved's?) and one read per object.
    expect(server.requests).toHaveLength(11);
  });

  it("applies only into the namespace Paved provisioned for the component's environment", async () => {
    const { server, provisioner } = await setup();
    // component "kube" in environment "system" names kube-system, which Paved did not create.
    await expect(
      provisioner.apply({
        ...target,
        component: 'kube',
        environment: 'system',
        manifests: sampleServiceManifests(),
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'Namespace "kube-system" on cluster "dev" is not managed by Paved (app.kubernetes.io/managed-by is not set); Paved applies only into namespaces it provisioned',
      }),
    );
    await provisioner.ensureNamespace({
      ...target,
      component: 'a-b',
      environment: 'c',
    });
    await expect(
      provisioner.apply({
        ...target,
        component: 'a',
        environment: 'b-c',
        manifests: sampleServiceManifests(),
      }),
    ).rejects.toThrow(
      'Namespace "a-b-c" on cluster "dev" belongs to component "a-b" in environment "c"; Paved applies only into namespaces it provisioned',
    );
    expect(
      writes(server).filter(r => r.path.includes('/namespaces/kube-system')),
    ).toEqual([]);
  });

  it('refuses cluster-scoped kinds even when they are allowed, and writes nothing', async () => {
    const { server, provisioner } = await setup({
      kubernetes: {
        allowedKinds: ['ConfigMap', 'rbac.authorization.k8s.io/ClusterRole'],
      },
    });
    await provisioner.ensureNamespace(target);
    server.resetRequests();
    const error = await provisioner
      .apply({
        ...target,
        manifests: [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'shop-admin' },
            rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
          },
        ],
      })
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'Kinds the cluster cannot take into a namespace; nothing was applied:\n- document 2 (ClusterRole "shop-admin"): rbac.authorization.k8s.io/v1 ClusterRole is cluster-scoped; only namespaced objects can be applied into a component\'s namespace',
    );
    expect(writes(server)).toEqual([]);
  });

  it('reports what it had applied when a write is refused part-way, and converges on retry', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    const allow = server.driver.deny({
      verb: 'patch',
      resource: 'deployments',
    });
    const error = await provisioner
      .apply({ ...target, manifests: sampleServiceManifests() })
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      `Kubernetes cluster "dev" refused applying Deployment "web": deployments.apps "web" is forbidden: User "${server.user}" cannot patch resource "deployments" in API group "apps" in the namespace "shop-dev". Before the failure Paved had applied to namespace "shop-dev" on cluster "dev": NetworkPolicy "web-allow-http" (created), PodDisruptionBudget "web" (created), ServiceAccount "web" (created), ConfigMap "web-config" (created), Role "web-reader" (created), RoleBinding "web-reader" (created), Service "web" (created); run the operation again to converge`,
    );
    allow();
    const retry = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
    });
    expect(
      retry.objects.filter(o => o.action === 'created').map(o => o.kind),
    ).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Ingress']);
    server.resetRequests();
    await provisioner.apply({ ...target, manifests: sampleServiceManifests() });
    expect(writes(server)).toEqual([]);
  });

  it('updates a changed object and removes the fields a manifest no longer sets', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    await provisioner.apply({ ...target, manifests: sampleServiceManifests() });
    server.resetRequests();

    const changed = sampleServiceManifests({
      image: 'ghcr.io/kestrel/web:1.5.0',
    }).replace('  LOG_LEVEL: info\n', '');
    const result = await provisioner.apply({ ...target, manifests: changed });
    expect(
      result.objects.filter(o => o.action === 'updated').map(o => o.kind),
    ).toEqual(['ConfigMap', 'Deployment']);
    expect(writes(server)).toHaveLength(2);
    const cm = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'shop-dev',
      name: 'web-config',
    })!;
    expect(cm.data).toEqual({ PORT: '8080' });
    expect(
      server.driver.getObject(deploymentRef)!.spec.template.spec.containers[0]
        .image,
    ).toBe('ghcr.io/kestrel/web:1.5.0');
  });

  it('rejects the whole set on guardrail violations, listing each, before any request', async () => {
    const { server, provisioner } = await setup();
    const bad = sampleServiceManifests()
      .replace(
        'image: ghcr.io/kestrel/web:1.4.2',
        'image: ghcr.io/kestrel/web:latest',
      )
      .replace('allowPrivilegeEscalation: false', 'privileged: true');
    const extra = `${bad}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: root\n`;
    const error = await provisioner
      .apply({ ...target, manifests: extra })
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message.split('\n')).toEqual([
      'The manifests break 4 guardrails:',
      '- document 6 (Deployment "web"): spec.template.spec.containers[0].image: "ghcr.io/kestrel/web:latest" uses the latest tag; pin a version or a digest',
      '- document 6 (Deployment "web"): spec.template.spec.containers[0].securityContext.privileged: privileged containers are not allowed',
      '- document 6 (Deployment "web"): spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: must be set to false (privilege escalation is not allowed)',
      expect.stringMatching(
        /^- document 11 \(ClusterRoleBinding "root"\): kind: rbac.authorization.k8s.io\/v1 ClusterRoleBinding is not an allowed kind/,
      ),
    ]);
    expect(server.requests).toEqual([]);
  });

  it('names every kind the cluster does not serve and writes nothing', async () => {
    const { server, provisioner } = await setup({
      kubernetes: {
        allowedKinds: [
          'ConfigMap',
          'monitoring.coreos.com/ServiceMonitor',
          'apps/Widget',
        ],
      },
    });
    await provisioner.ensureNamespace(target);
    server.resetRequests();
    const manifests = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'web' },
      },
      { apiVersion: 'apps/v1', kind: 'Widget', metadata: { name: 'w' } },
    ];
    await expect(provisioner.apply({ ...target, manifests })).rejects.toThrow(
      'Kinds the cluster cannot take into a namespace; nothing was applied:\n' +
        '- document 2 (ServiceMonitor "web"): monitoring.coreos.com/v1 ServiceMonitor is not served by cluster "dev"\n' +
        '- document 3 (Widget "w"): apps/v1 Widget is not served by cluster "dev"',
    );
    expect(writes(server)).toEqual([]);
  });

  it('fails on a conflict with another field manager, and takes the field over with force', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    await provisioner.apply({ ...target, manifests: sampleServiceManifests() });
    server.driver.updateAs('kubectl-scale', deploymentRef, {
      spec: { replicas: 7 },
    });

    const scaled = sampleServiceManifests({ replicas: 3 });
    const error = await provisioner
      .apply({ ...target, manifests: scaled })
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toMatch(
      /^Kubernetes cluster "dev": Apply failed with 1 conflict: conflict with "kubectl-scale" using apps\/v1: \.spec\.replicas \(while applying Deployment "web"\); another field manager owns these fields: apply with force to take them over, or remove them from the manifests$/,
    );
    const forced = await provisioner.apply({
      ...target,
      manifests: scaled,
      force: true,
    });
    expect(forced.objects.find(o => o.kind === 'Deployment')?.action).toBe(
      'updated',
    );
    expect(server.driver.getObject(deploymentRef)!.spec.replicas).toBe(3);
  });

  it('says to provision first when the namespace does not exist', async () => {
    const { provisioner } = await setup();
    await expect(
      provisioner.apply({ ...target, manifests: sampleServiceManifests() }),
    ).rejects.toThrow(
      'Namespace "shop-dev" does not exist on cluster "dev"; provision it first (paved:kubernetes:namespace:provision)',
    );
  });

  it('shows in a dry run what a template would apply before its namespace exists', async () => {
    const { server, provisioner } = await setup();
    const result = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
      dryRun: true,
    });
    expect(result.objects.map(o => o.action)).toEqual(
      Array(10).fill('created'),
    );
    expect(writes(server)).toEqual([]);
    // Without the dry run there is nothing to apply into.
    await expect(
      provisioner.apply({ ...target, manifests: sampleServiceManifests() }),
    ).rejects.toThrow('provision it first');
  });

  it('shows in a dry run what it would apply, and changes nothing', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    server.resetRequests();
    const result = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
      dryRun: true,
    });
    expect(result.objects).toHaveLength(10);
    expect(result.objects.every(o => o.action === 'created')).toBe(true);
    expect(writes(server)).toEqual([]);
  });

  it('refuses oversized and aliased YAML before contacting the cluster', async () => {
    const { server, provisioner } = await setup({
      kubernetes: { maxManifestBytes: 1024 },
    });
    await expect(
      provisioner.apply({ ...target, manifests: sampleServiceManifests() }),
    ).rejects.toThrow(
      /^manifests: \d+ KiB \(\d+ bytes\) is over the limit of 1024 bytes/,
    );
    const aliased =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {x: y}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels: *l\n';
    await expect(
      provisioner.apply({ ...target, manifests: aliased }),
    ).rejects.toThrow(
      'manifests: document 1: YAML anchors (&l) are not allowed',
    );
    expect(server.requests).toEqual([]);
  });
});

describe('DefaultKubernetesProvisioner.getNamespace', () => {
  it('says in one read whether the namespace is there, whose it is and which one it is', async () => {
    const { server, provisioner } = await setup();
    expect(await provisioner.getNamespace(target)).toBeUndefined();
    const created = await provisioner.ensureNamespace(target);
    server.resetRequests();
    expect(await provisioner.getNamespace(target)).toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      uid: created.uid,
      phase: 'Active',
      provisioned: true,
      owner: 'team-shop',
    });
    expect(calls(server)).toEqual(['GET /api/v1/namespaces/shop-dev 200']);
    const applied = await provisioner.apply({
      ...target,
      manifests: sampleServiceManifests(),
    });
    expect(applied.namespaceUid).toBe(created.uid);

    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-qa' },
    });
    expect(
      await provisioner.getNamespace({ ...target, environment: 'qa' }),
    ).toMatchObject({ provisioned: false, phase: 'Active' });
    await expect(
      provisioner.getNamespace({ ...target, component: 'Shop' }),
    ).rejects.toThrow('component: "Shop" is not a DNS-1123 label');
  });
});

describe('DefaultKubernetesProvisioner.waitForRollout', () => {
  async function deployed() {
    const s = await setup();
    await s.provisioner.ensureNamespace(target);
    await s.provisioner.apply({
      ...target,
      manifests: sampleServiceManifests({ replicas: 3 }),
    });
    return s;
  }

  it('reports progress until the workloads are available', async () => {
    const { server, provisioner } = await deployed();
    const progress: string[] = [];
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
      onProgress: line => {
        progress.push(line);
        // The controller acts between polls.
        if (progress.length === 1)
          server.driver.progressRollout(deploymentRef, {
            updated: 2,
            ready: 1,
            available: 1,
          });
        if (progress.length === 2) server.driver.completeRollout(deploymentRef);
      },
    });
    expect(progress).toEqual([
      'Deployment web: waiting for the controller to observe generation 1',
      'Deployment web: 2/3 replicas updated, 1 available',
      'Deployment web: 3/3 replicas updated, 3 available',
    ]);
    expect(result).toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      outcome: 'available',
      workloads: [
        {
          kind: 'Deployment',
          name: 'web',
          ready: true,
          message: 'Deployment web: 3/3 replicas updated, 3 available',
        },
      ],
    });
  });

  it('fails a crash loop with the pods warning events and the last lines of the log', async () => {
    const { server, provisioner } = await deployed();
    server.driver.crashLoop(deploymentRef, {
      logs: Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).concat([
        'Error: DATABASE_URL is not set',
      ]),
    });
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
      logTailLines: 3,
    });
    expect(result.outcome).toBe('failed');
    expect(result.workloads[0].message).toMatch(
      /^Deployment web: 3\/3 replicas updated, 0 available; pod web-\w+-\w+ container web: CrashLoopBackOff \(back-off 40s/,
    );
    expect(result.diagnostics!.events).toHaveLength(3);
    expect(result.diagnostics!.events[0]).toEqual({
      object: expect.stringMatching(/^Pod\/web-/),
      reason: 'BackOff',
      message: expect.stringMatching(
        /^Back-off restarting failed container web in pod web-/,
      ),
      count: 3,
    });
    expect(result.diagnostics!.logs).toHaveLength(3);
    expect(result.diagnostics!.logs[0]).toEqual({
      pod: expect.stringMatching(/^web-/),
      container: 'web',
      lines: ['line 29', 'line 30', 'Error: DATABASE_URL is not set'],
    });
  });

  it('fails a stuck rollout with the scheduling events', async () => {
    const { server, provisioner } = await deployed();
    server.driver.stallRollout(deploymentRef);
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
    });
    expect(result.outcome).toBe('failed');
    expect(result.workloads[0].message).toMatch(
      /^Deployment web: ReplicaSet "web-\w+" has timed out progressing\./,
    );
    expect(result.diagnostics!.events.map(e => e.reason)).toEqual([
      'FailedScheduling',
      'FailedScheduling',
      'FailedScheduling',
    ]);
    expect(result.diagnostics!.logs).toEqual([]);
  });

  it('shows at once why pods cannot be created, and times out with the FailedCreate events', async () => {
    const { server, provisioner } = await deployed();
    server.driver.failPodCreation(deploymentRef);
    const progress: string[] = [];
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 5,
      timeoutMs: 60,
      onProgress: line => progress.push(line),
    });
    expect(result.outcome).toBe('timeout');
    expect(progress).toEqual([
      expect.stringMatching(
        /^Deployment web: 0\/3 replicas updated, 0 available; cannot create pods: pods "web-\w+-\w+" is forbidden: exceeded quota: paved-quota, requested: limits.cpu=500m, used: limits.cpu=4, limited: limits.cpu=4$/,
      ),
    ]);
    expect(result.diagnostics!.events).toEqual([
      {
        object: expect.stringMatching(/^ReplicaSet\/web-\w+$/),
        reason: 'FailedCreate',
        message: expect.stringMatching(
          /^Error creating: pods "web-\w+-\w+" is forbidden: exceeded quota/,
        ),
        count: 1,
      },
    ]);
  });

  it('times out with diagnostics when nothing happens', async () => {
    const { provisioner } = await deployed();
    const started = Date.now();
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 5,
      timeoutMs: 60,
    });
    expect(result.outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.workloads).toEqual([
      {
        kind: 'Deployment',
        name: 'web',
        ready: false,
        message:
          'Deployment web: waiting for the controller to observe generation 1',
      },
    ]);
    expect(result.diagnostics).toEqual({ events: [], logs: [] });
  });

  it('fails an init container crash loop with that container’s log, not the ones waiting behind it', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    const withMigration = sampleServiceManifests().replace(
      '      containers:\n',
      `      initContainers:
        - name: migrate
          image: ghcr.io/kestrel/web-migrate:1.4.2
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { cpu: 100m, memory: 64Mi }
      containers:\n`,
    );
    await provisioner.apply({ ...target, manifests: withMigration });
    server.driver.crashLoop(deploymentRef, {
      container: 'migrate',
      logs: ['running migrations', 'error: relation "orders" already exists'],
    });
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
    });
    expect(result.outcome).toBe('failed');
    expect(result.workloads[0].message).toContain(
      'container migrate: CrashLoopBackOff',
    );
    expect(result.diagnostics!.logs).toEqual([
      {
        pod: expect.stringMatching(/^web-/),
        container: 'migrate',
        lines: [
          'running migrations',
          'error: relation "orders" already exists',
        ],
      },
      {
        pod: expect.stringMatching(/^web-/),
        container: 'migrate',
        lines: [
          'running migrations',
          'error: relation "orders" already exists',
        ],
      },
    ]);
  });

  it('waits for a StatefulSet until every replica is ready on the update revision, and fails its crash loop', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: { app: db }
  template:
    metadata:
      labels: { app: db }
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: db
          image: ghcr.io/kestrel/ledger-db:2.1.0
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;
    await provisioner.apply({ ...target, manifests: statefulSet });
    const ref = { ...deploymentRef, kind: 'StatefulSet', name: 'db' };
    const progress: string[] = [];
    const result = await provisioner.waitForRollout({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
      onProgress: line => {
        progress.push(line);
        if (progress.length === 1) {
          // Both pods run the new template, one is ready; the old revision is still current.
          server.driver.setWorkloadStatus(ref, {
            observedGeneration: 1,
            replicas: 2,
            updatedReplicas: 2,
            readyReplicas: 1,
            currentRevision: 'db-old',
            updateRevision: 'db-new',
          });
        }
        if (progress.length === 2) server.driver.completeRollout(ref);
      },
    });
    expect(progress).toEqual([
      'StatefulSet db: waiting for the controller to observe generation 1',
      'StatefulSet db: 2/2 replicas updated, 1 ready',
      'StatefulSet db: 2/2 replicas updated, 2 ready',
    ]);
    expect(result.outcome).toBe('available');
    expect(result.workloads).toEqual([
      {
        kind: 'StatefulSet',
        name: 'db',
        ready: true,
        message: 'StatefulSet db: 2/2 replicas updated, 2 ready',
      },
    ]);

    server.driver.crashLoop(ref, { logs: ['FATAL: data directory is locked'] });
    const crashed = await provisioner.waitForRollout({
      ...target,
      workloads: [{ kind: 'StatefulSet', name: 'db' }],
      pollIntervalMs: 1,
      timeoutMs: 5000,
    });
    expect(crashed.outcome).toBe('failed');
    expect(crashed.workloads[0].message).toContain(
      'pod db-0 container db: CrashLoopBackOff',
    );
    expect(crashed.diagnostics!.logs).toEqual([
      {
        pod: 'db-0',
        container: 'db',
        lines: ['FATAL: data directory is locked'],
      },
      {
        pod: 'db-1',
        container: 'db',
        lines: ['FATAL: data directory is locked'],
      },
    ]);
  });

  it('fails plainly when there is nothing to wait for', async () => {
    const { provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    await expect(
      provisioner.waitForRollout({ ...target, pollIntervalMs: 1 }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message:
          'No Deployments or StatefulSets labelled backstage.io/kubernetes-id=shop in namespace "shop-dev" on cluster "dev"; apply the workloads first (paved:kubernetes:apply)',
      }),
    );
  });

  it('names a workload that does not exist', async () => {
    const { provisioner } = await deployed();
    await expect(
      provisioner.waitForRollout({
        ...target,
        workloads: [{ kind: 'StatefulSet', name: 'db' }],
        pollIntervalMs: 1,
      }),
    ).rejects.toThrow(
      'StatefulSet "db" does not exist in namespace "shop-dev" on cluster "dev"',
    );
  });
});

describe('DefaultKubernetesProvisioner.deleteNamespace', () => {
  it('waits while the namespace is Terminating until it is gone, and is idempotent', async () => {
    const { server, provisioner } = await setup({
      server: { namespaceTermination: { afterGets: 2 } },
    });
    const created = await provisioner.ensureNamespace(target);
    const progress: string[] = [];
    const result = await provisioner.deleteNamespace({
      ...target,
      pollIntervalMs: 1,
      onProgress: l => progress.push(l),
    });
    expect(result).toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      existed: true,
      uid: created.uid,
      dryRun: false,
    });
    expect(progress).toEqual([
      'Namespace "shop-dev" is Terminating; waiting for its content to be removed',
      'Namespace "shop-dev" is gone',
    ]);
    expect(
      server.requests
        .filter(r => r.path === '/api/v1/namespaces/shop-dev')
        .map(r => `${r.method} ${r.status}`),
    ).toEqual([
      'GET 404',
      'PATCH 201',
      'GET 200',
      'DELETE 200',
      'GET 200',
      'GET 200',
      'GET 404',
    ]);
    expect(
      server.driver.listObjects('v1', 'ResourceQuota', 'shop-dev'),
    ).toEqual([]);

    server.resetRequests();
    const again = await provisioner.deleteNamespace({
      ...target,
      pollIntervalMs: 1,
    });
    expect(again.existed).toBe(false);
    expect(writes(server)).toEqual([]);

    // A retried provisioning after deletion converges from scratch, into a new namespace.
    const back = await provisioner.ensureNamespace(target);
    expect(back.objects.every(o => o.action === 'created')).toBe(true);
    expect(back.uid).toEqual(expect.any(String));
    expect(back.uid).not.toBe(created.uid);
  });

  it('stops waiting when the name is taken by a namespace created since', async () => {
    const { server, provisioner } = await setup({
      server: { namespaceTermination: 'manual' },
    });
    const first = await provisioner.ensureNamespace(target);
    let recreated = false;
    const result = await provisioner.deleteNamespace({
      ...target,
      pollIntervalMs: 1,
      timeoutMs: 5000,
      onProgress: () => {
        if (recreated) return;
        recreated = true;
        // The namespace controller finishes, and someone provisions it again at once.
        server.driver.finishNamespaceTermination('shop-dev');
        server.driver.seed({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop-dev' },
        });
      },
    });
    expect(result).toMatchObject({ existed: true, uid: first.uid });
  });

  it('keeps waiting on a namespace already Terminating, and times out naming it', async () => {
    const { server, provisioner } = await setup({
      server: { namespaceTermination: 'manual' },
    });
    await provisioner.ensureNamespace(target);
    await expect(
      provisioner.deleteNamespace({
        ...target,
        pollIntervalMs: 5,
        timeoutMs: 30,
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message:
          'Namespace "shop-dev" on cluster "dev" is still Terminating after 0s; run the deletion again to keep waiting',
      }),
    );
    server.resetRequests();
    const pending = provisioner.deleteNamespace({
      ...target,
      pollIntervalMs: 1,
      onProgress: () => server.driver.finishNamespaceTermination('shop-dev'),
    });
    await expect(pending).resolves.toMatchObject({ existed: true });
    expect(writes(server)).toEqual([]);
  });

  it('deletes only namespaces Paved provisioned for that component', async () => {
    const { server, provisioner } = await setup();
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-dev', labels: { team: 'x' } },
    });
    await expect(provisioner.deleteNamespace(target)).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'Namespace "shop-dev" on cluster "dev" is not managed by Paved (app.kubernetes.io/managed-by is not set); Paved deletes only the namespaces it provisioned',
      }),
    );
    expect(writes(server)).toEqual([]);
  });

  it('does nothing in a dry run', async () => {
    const { server, provisioner } = await setup();
    await provisioner.ensureNamespace(target);
    server.resetRequests();
    await expect(
      provisioner.deleteNamespace({ ...target, dryRun: true }),
    ).resolves.toEqual({
      cluster: 'dev',
      namespace: 'shop-dev',
      existed: true,
      uid: expect.any(String),
      dryRun: true,
    });
    expect(writes(server)).toEqual([]);
  });
});

describe('DefaultKubernetesProvisioner faults', () => {
  it('names the cluster and URL of an unreachable cluster, within the timeout', async () => {
    const closed = net.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>(r => closed.close(() => r()));
    const logger = mockServices.logger.mock();
    const provisioner = DefaultKubernetesProvisioner.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'gone',
                  url: `http://127.0.0.1:${port}`,
                  serviceAccountToken: 'tok-unreachable',
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
      }),
      { logger },
    );
    const error = await provisioner.ensureNamespace(target).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      new RegExp(
        `^Kubernetes cluster "gone" at http://127.0.0.1:${port} is unreachable while reading Namespace "shop-dev": ECONNREFUSED`,
      ),
    );
  });

  it('gives up on a hung apiserver after the request timeout', async () => {
    const { server, provisioner } = await setup({
      kubernetes: { requestTimeout: { milliseconds: 150 } },
    });
    server.driver.hang({ path: '/api/v1/namespaces/shop-dev' });
    const started = Date.now();
    await expect(provisioner.ensureNamespace(target)).rejects.toThrow(
      `Kubernetes cluster "dev" at ${server.url} did not answer within 0.2s while reading Namespace "shop-dev"`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an expired token without ever printing it', async () => {
    const { server, provisioner, logger } = await setup();
    server.driver.expireToken();
    const error = await provisioner.ensureNamespace(target).catch(e => e);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toBe(
      `Kubernetes cluster "dev" rejected Paved's credentials while reading Namespace "shop-dev" (401 Unauthorized); the service-account token may have expired or been revoked`,
    );
    expect(
      JSON.stringify({
        message: error.message,
        stack: error.stack,
        cause: String(error.cause),
      }),
    ).not.toContain(server.token);
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
    ]);
    expect(logged).not.toContain(server.token);
  });

  it('says that creating by server-side apply needs the create verb when only that is refused', async () => {
    const { server, provisioner } = await setup();
    server.driver.deny({ verb: 'create', resource: 'namespaces' });
    const error = await provisioner.ensureNamespace(target).catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      `Kubernetes cluster "dev" refused applying Namespace "shop-dev": namespaces "shop-dev" is forbidden; Paved's credentials may patch it but not create it, and a server-side apply that creates an object needs the create verb as well as patch (the RBAC Paved needs: plugins/kubernetes-node/README.md)`,
    );
    expect(writes(server).map(r => `${r.method} ${r.status}`)).toEqual([
      'PATCH 403',
    ]);
  });

  it('passes on the RBAC refusal from the Status body', async () => {
    const { server, provisioner } = await setup();
    server.driver.deny({ verb: 'get', resource: 'namespaces' });
    await expect(provisioner.ensureNamespace(target)).rejects.toThrow(
      `Kubernetes cluster "dev" refused reading Namespace "shop-dev": namespaces "shop-dev" is forbidden: User "${server.user}" cannot get resource "namespaces" in API group "" in the namespace "shop-dev"`,
    );
  });
});
