import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
} from './startKubernetesTestServer';

function clientsFor(server: KubernetesTestServer, token = server.token) {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'test', server: server.url, skipTLSVerify: true },
    { name: 'test', token },
  );
  return {
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}

/** The Status body of a failed request, parsed. */
async function statusOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      // Typed APIs leave the body out for some codes; KubernetesObjectApi keeps the raw text.
      const body =
        typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { code: error.code, ...body };
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

const deployment = (
  name: string,
  replicas = 2,
): KubernetesObject & Record<string, any> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'team', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
});

/** The Deployment most tests apply, as the driver names objects. */
const webRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'team',
  name: 'web',
};

describe('startKubernetesTestServer', () => {
  let server: KubernetesTestServer;
  let clients: ReturnType<typeof clientsFor>;

  beforeEach(async () => {
    server = await startKubernetesTestServer();
    clients = clientsFor(server);
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  /** A server-side apply, as Paved's provisioner sends it (field manager paved unless named). */
  const serverSideApply = (
    obj: KubernetesObject,
    manager = 'paved',
    options: { force?: boolean } = {},
  ) =>
    clients.objects.patch(
      obj,
      undefined,
      undefined,
      manager,
      options.force,
      PatchStrategy.ServerSideApply,
    );

  it('answers discovery like kube-apiserver', async () => {
    const headers = { Authorization: `Bearer ${server.token}` };
    const api = await (await fetch(`${server.url}/api`, { headers })).json();
    expect(api).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        {
          clientCIDR: '0.0.0.0/0',
          serverAddress: server.url.replace('http://', ''),
        },
      ],
    });
    const apis = await (await fetch(`${server.url}/apis`, { headers })).json();
    expect(apis.kind).toBe('APIGroupList');
    expect(
      apis.groups.map((g: any) => g.preferredVersion.groupVersion),
    ).toEqual(
      expect.arrayContaining([
        'apps/v1',
        'networking.k8s.io/v1',
        'rbac.authorization.k8s.io/v1',
        'policy/v1',
        'autoscaling/v2',
      ]),
    );
    const core = await (
      await fetch(`${server.url}/api/v1`, { headers })
    ).json();
    expect(core).not.toHaveProperty('apiVersion');
    const names = core.resources.map((r: any) => r.name);
    expect(names.indexOf('pods')).toBeLessThan(names.indexOf('pods/log'));
    const apps = await (
      await fetch(`${server.url}/apis/apps/v1`, { headers })
    ).json();
    expect(apps).toMatchObject({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'apps/v1',
    });
    expect(apps.resources.find((r: any) => r.name === 'deployments')).toEqual({
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: [
        'create',
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    const unknown = await fetch(
      `${server.url}/apis/metrics.k8s.io/v1beta1/pods`,
      { headers },
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  });

  it('rejects a missing or expired token with the exact 401 body', async () => {
    const missing = await fetch(`${server.url}/api/v1/namespaces`);
    const text = await missing.text();
    expect(missing.status).toBe(401);
    expect(Buffer.byteLength(text)).toBe(129);
    expect(JSON.parse(text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    server.driver.expireToken();
    const status = await statusOf(
      clients.objects.read({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team' },
      }),
    );
    expect(status).toMatchObject({
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
  });

  it('creates, reads and rejects duplicates and bad names with the real Status bodies', async () => {
    const created = await clients.core.createNamespace({
      body: { metadata: { name: 'shop-dev' } },
    });
    expect(created.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'shop-dev',
    });
    expect(created.status?.phase).toBe('Active');
    expect(created.spec?.finalizers).toEqual(['kubernetes']);

    expect(
      await statusOf(
        clients.core.createNamespace({
          body: { metadata: { name: 'shop-dev' } },
        }),
      ),
    ).toEqual({
      code: 409,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "shop-dev" already exists',
      reason: 'AlreadyExists',
      details: { name: 'shop-dev', kind: 'namespaces' },
    });

    const invalid = await statusOf(
      clients.core.createNamespace({
        body: { metadata: { name: 'Bad_Name' } },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.message).toBe(
      `Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(invalid.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
    });

    expect(
      await statusOf(
        clients.apps.readNamespacedDeployment({
          name: 'web',
          namespace: 'team',
        }),
      ),
    ).toEqual({
      code: 404,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });

    const missingNs = await statusOf(
      clients.objects.create({
        ...deployment('web'),
        metadata: { name: 'web', namespace: 'nope' },
      }),
    );
    expect(missingNs).toMatchObject({
      code: 404,
      message: 'namespaces "nope" not found',
    });
  });

  it('server-side applies with field ownership, no-op re-applies and conflicts between managers', async () => {
    const first = await serverSideApply(deployment('web'));
    const rv = first.metadata?.resourceVersion;
    expect(first.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'paved',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
    });
    expect(
      (first.metadata?.managedFields?.[0] as any).fieldsV1['f:spec'][
        'f:template'
      ]['f:spec']['f:containers'],
    ).toEqual({
      'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} },
    });
    expect(
      server.requests.filter(r => r.verb === 'patch').map(r => r.status),
    ).toEqual([201]);

    const again = await serverSideApply(deployment('web'));
    expect(again.metadata?.resourceVersion).toBe(rv);

    // Someone scales by hand: an Update operation takes .spec.replicas.
    server.driver.updateAs('kubectl-edit', webRef, { spec: { replicas: 5 } });
    const conflict = await statusOf(serverSideApply(deployment('web', 3)));
    expect(conflict.code).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    // A live apiserver prints Update managers without a time: its conflict
    // errors are built from manager identifiers, which carry none.
    expect(conflict.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
    );
    expect(conflict.details).toEqual({
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-edit" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    });

    const forced = await serverSideApply(deployment('web', 3), 'paved', {
      force: true,
    });
    expect((forced as any).spec.replicas).toBe(3);
    expect(forced.metadata?.managedFields?.map(m => m.manager)).toEqual([
      'paved',
    ]);

    // Two appliers disagreeing on two fields.
    const other = {
      ...deployment('web', 4),
      metadata: { name: 'web', namespace: 'team', labels: { app: 'other' } },
    };
    const two = await statusOf(serverSideApply(other, 'helm'));
    expect(two.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "paved":\n- .metadata.labels.app\n- .spec.replicas',
    );

    // Several managers: grouped, in the order of their identifiers
    // ({"manager":"kubectl-label",...} before {"manager":"paved",...}).
    server.driver.updateAs('kubectl-label', webRef, {
      metadata: { labels: { tier: 'front' } },
    });
    const mixed = {
      ...deployment('web', 4),
      metadata: {
        name: 'web',
        namespace: 'team',
        labels: { app: 'web', tier: 'back' },
      },
    };
    const several = await statusOf(serverSideApply(mixed, 'helm'));
    expect(several.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-label" using apps/v1:\n- .metadata.labels.tier\nconflicts with "paved":\n- .spec.replicas',
    );
    // The causes come from a Go map: in no particular order.
    expect(several.details.causes).toHaveLength(2);
    expect(several.details.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'conflict with "kubectl-label" using apps/v1',
          field: '.metadata.labels.tier',
        }),
        expect.objectContaining({
          message: 'conflict with "paved"',
          field: '.spec.replicas',
        }),
      ]),
    );
  });

  it('drops fields an applier stops setting and rejects apply without fieldManager', async () => {
    const withLabel = deployment('web');
    withLabel.metadata!.labels = { app: 'web', tier: 'frontend' };
    await serverSideApply(withLabel);
    const after = await serverSideApply(deployment('web'));
    expect(after.metadata?.labels).toEqual({ app: 'web' });

    const missing = await statusOf(
      clients.objects.patch(
        deployment('web'),
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(missing).toMatchObject({
      code: 422,
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    });
  });

  it('refuses a stale resourceVersion with the optimistic-lock Conflict', async () => {
    const created = await clients.core.createNamespacedConfigMap({
      namespace: 'team',
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    await clients.core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'team',
      body: { ...created, data: { a: '2' } },
    });
    const stale = await statusOf(
      clients.core.replaceNamespacedConfigMap({
        name: 'settings',
        namespace: 'team',
        body: { ...created, data: { a: '3' } },
      }),
    );
    expect(stale).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('lists with label selectors, across namespaces and with field selectors', async () => {
    server.driver.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    const cm = (
      name: string,
      namespace: string,
      labels: Record<string, string>,
    ) =>
      server.driver.seed({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels },
      });
    cm('a', 'team', { app: 'web', tier: 'front' });
    cm('b', 'team', { app: 'api' });
    cm('c', 'other', { app: 'web' });
    const names = async (labelSelector: string, namespace?: string) => {
      const list = namespace
        ? await clients.core.listNamespacedConfigMap({
            namespace,
            labelSelector,
          })
        : await clients.core.listConfigMapForAllNamespaces({ labelSelector });
      return list.items.map(i => i.metadata?.name);
    };
    // Sorted by namespace, then name: other/c before team/a.
    expect(await names('app=web')).toEqual(['c', 'a']);
    expect(await names('app=web', 'team')).toEqual(['a']);
    expect(await names('app in (web,api),tier!=front', 'team')).toEqual(['b']);
    expect(await names('!tier', 'team')).toEqual(['b']);
    expect(await names('tier', 'team')).toEqual(['a']);
    expect(await names('app notin (web)')).toEqual(['b']);

    const raw = await fetch(
      `${server.url}/api/v1/configmaps?labelSelector=app%3Dweb`,
      {
        headers: { Authorization: `Bearer ${server.token}` },
      },
    );
    const body = await raw.json();
    expect(body).toMatchObject({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(body.items[0]).not.toHaveProperty('kind');

    const bad = await statusOf(
      clients.core.listNamespacedEvent({
        namespace: 'team',
        fieldSelector: 'spec.color=red',
      }),
    );
    expect(bad).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: spec.color',
    });
  });

  it('takes a namespace through Terminating before it disappears', async () => {
    await clients.core.createNamespace({
      body: { metadata: { name: 'gone' } },
    });
    const deleted = await clients.core.deleteNamespace({ name: 'gone' });
    expect(deleted).toMatchObject({ status: { phase: 'Terminating' } });

    const again = await statusOf(
      clients.core.deleteNamespace({ name: 'gone' }),
    );
    expect(again).toMatchObject({
      code: 409,
      message:
        'Operation cannot be fulfilled on namespaces "gone": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    });
    const create = await statusOf(
      clients.core.createNamespacedConfigMap({
        namespace: 'gone',
        body: { metadata: { name: 'cm' } },
      }),
    );
    expect(create).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'configmaps "cm" is forbidden: unable to create new content in namespace gone because it is being terminated',
      details: {
        name: 'cm',
        kind: 'configmaps',
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: 'namespace gone is being terminated',
            field: 'metadata.namespace',
          },
        ],
      },
    });
    const terminating = await clients.core.readNamespace({ name: 'gone' });
    expect(terminating.status?.phase).toBe('Terminating');
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(
      await statusOf(clients.core.readNamespace({ name: 'gone' })),
    ).toMatchObject({ code: 404 });
  });

  it('refuses what RBAC denies with the authorizer message', async () => {
    server.driver.deny({ verb: 'create', resource: 'rolebindings' });
    server.driver.deny({ verb: 'get', resource: 'namespaces' });
    const create = await statusOf(
      clients.objects.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'owner', namespace: 'team' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'edit',
        },
        subjects: [],
      } as KubernetesObject),
    );
    expect(create).toMatchObject({
      code: 403,
      message: `rolebindings.rbac.authorization.k8s.io is forbidden: User "${server.user}" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "team"`,
      details: { group: 'rbac.authorization.k8s.io', kind: 'rolebindings' },
    });
    const read = await statusOf(clients.core.readNamespace({ name: 'team' }));
    expect(read.message).toBe(
      `namespaces "team" is forbidden: User "${server.user}" cannot get resource "namespaces" in API group "" in the namespace "team"`,
    );
  });

  it('authorizes a server-side apply that creates as create too, as the apiserver does', async () => {
    server.driver.deny({ verb: 'create', resource: 'deployments' });
    // patch is allowed, create is not: the apply that would create is refused
    // with the authorizer's (empty) reason, not the usual "User ... cannot".
    const refused = await statusOf(serverSideApply(deployment('web')));
    expect(refused).toEqual({
      code: 403,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" is forbidden: ',
      reason: 'Forbidden',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    // An object that exists is only patched: create does not matter.
    server.driver.seed(deployment('web'));
    const applied = await serverSideApply(deployment('web', 3), 'paved', {
      force: true,
    });
    expect((applied as any).spec.replicas).toBe(3);
  });

  it('answers DELETE with the deleted object for namespaces and a Status without a code otherwise', async () => {
    await clients.core.createNamespacedConfigMap({
      namespace: 'team',
      body: { metadata: { name: 'settings' } },
    });
    const uid = server.driver.getObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'team',
      name: 'settings',
    })!.metadata.uid;
    const res = await fetch(
      `${server.url}/api/v1/namespaces/team/configmaps/settings`,
      {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${server.token}` },
      },
    );
    expect(res.status).toBe(200);
    // The registry's finalizeDelete sets no code (omitempty).
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'settings', kind: 'configmaps', uid },
    });
    const ns = await (
      await fetch(`${server.url}/api/v1/namespaces/team`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${server.token}` },
      })
    ).json();
    expect(ns).toMatchObject({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'team', deletionTimestamp: expect.any(String) },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Terminating' },
    });
  });

  it('simulates a crash loop with pods, warning events and logs', async () => {
    await serverSideApply(deployment('web'));
    server.driver.crashLoop(webRef, {
      logs: ['starting', 'listening', 'panic: no DATABASE_URL'],
    });
    const pods = await clients.core.listNamespacedPod({
      namespace: 'team',
      labelSelector: 'app=web',
    });
    expect(pods.items).toHaveLength(2);
    expect(
      pods.items[0].status?.containerStatuses?.[0].state?.waiting?.reason,
    ).toBe('CrashLoopBackOff');
    const podName = pods.items[0].metadata!.name!;
    const events = await clients.core.listNamespacedEvent({
      namespace: 'team',
      fieldSelector: `involvedObject.name=${podName},type=Warning`,
    });
    expect(events.items.map(e => e.reason)).toEqual(['BackOff']);
    const log = await clients.core.readNamespacedPodLog({
      name: podName,
      namespace: 'team',
      container: 'web',
      tailLines: 2,
    });
    expect(log).toBe('listening\npanic: no DATABASE_URL\n');
    const limited = await clients.core.readNamespacedPodLog({
      name: podName,
      namespace: 'team',
      container: 'web',
      tailLines: 2,
      limitBytes: 12,
    });
    expect(limited).toBe('listening\npa');
    const dep = await clients.apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'team',
    });
    expect(dep.status?.availableReplicas ?? 0).toBe(0);

    server.driver.completeRollout(webRef);
    const done = await clients.apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'team',
    });
    expect(done.status).toMatchObject({
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });
    const running = await clients.core.listNamespacedPod({
      namespace: 'team',
      labelSelector: 'app=web',
    });
    expect(running.items.map(p => p.status?.phase)).toEqual([
      'Running',
      'Running',
    ]);
  });

  it('merge patches as another field manager, with resourceVersion preconditions', async () => {
    await serverSideApply(deployment('web'));
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team' },
    };
    const patched: any = await clients.objects.patch(
      {
        ...ref,
        metadata: { ...ref.metadata, labels: { tier: 'front' } },
        spec: { replicas: 4 },
      } as any,
      undefined,
      undefined,
      'kubectl-patch',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(patched.spec.replicas).toBe(4);
    expect(patched.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    // The merge patch moved .spec.replicas to its manager; a null removes a key.
    expect(
      patched.metadata.managedFields.map(
        (m: any) => `${m.manager}:${m.operation}`,
      ),
    ).toEqual(['paved:Apply', 'kubectl-patch:Update']);
    expect(patched.metadata.managedFields[1].fieldsV1['f:spec']).toEqual({
      'f:replicas': {},
    });
    const removed: any = await clients.objects.patch(
      { ...ref, metadata: { ...ref.metadata, labels: { tier: null } } } as any,
      undefined,
      undefined,
      'kubectl-patch',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(removed.metadata.labels).toEqual({ app: 'web' });
    expect(
      server.requests
        .filter(r => r.verb === 'patch')
        .map(r => `${r.contentType} ${r.status}`),
    ).toEqual([
      'application/apply-patch+yaml 201',
      'application/merge-patch+json 200',
      'application/merge-patch+json 200',
    ]);

    const stale = await statusOf(
      clients.objects.patch(
        {
          ...ref,
          metadata: {
            ...ref.metadata,
            resourceVersion: patched.metadata.resourceVersion,
          },
          spec: { replicas: 1 },
        } as any,
        undefined,
        undefined,
        'kubectl-patch',
        undefined,
        PatchStrategy.MergePatch,
      ),
    );
    expect(stale).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    const force = await statusOf(
      clients.objects.patch(
        { ...ref, spec: { replicas: 1 } } as any,
        undefined,
        undefined,
        'kubectl-patch',
        true,
        PatchStrategy.MergePatch,
      ),
    );
    expect(force).toMatchObject({
      code: 422,
      message: expect.stringContaining(
        'force: Forbidden: may not be specified for non-apply patch',
      ),
    });
  });

  it('rolls every new generation out at once in immediate mode', async () => {
    server.driver.setRolloutMode('immediate');
    await serverSideApply(deployment('api', 3));
    const dep = await clients.apps.readNamespacedDeployment({
      name: 'api',
      namespace: 'team',
    });
    expect(dep.status).toMatchObject({
      observedGeneration: 1,
      availableReplicas: 3,
    });
    const pods = await clients.core.listNamespacedPod({
      namespace: 'team',
      labelSelector: 'app=api',
    });
    expect(pods.items).toHaveLength(3);
    // Through the Deployment's ReplicaSet, which counts them, as the
    // kubernetes plugin's entity page finds a Deployment's pods.
    const sets = await clients.apps.listNamespacedReplicaSet({
      namespace: 'team',
      labelSelector: 'app=api',
    });
    expect(sets.items).toHaveLength(1);
    const [set] = sets.items;
    expect(set.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'api',
      uid: dep.metadata?.uid,
    });
    expect(set.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(pods.items.map(p => p.metadata?.ownerReferences?.[0].uid)).toEqual([
      set.metadata?.uid,
      set.metadata?.uid,
      set.metadata?.uid,
    ]);
  });

  it('serves HTTPS with a certificate of its own when asked', async () => {
    const tls = await startKubernetesTestServer({ tls: true });
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(tls.clusterConfig('secure')).toEqual({
        name: 'secure',
        url: tls.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: tls.token,
        caData: tls.caData,
        skipMetricsLookup: true,
      });
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser(
        {
          name: 'secure',
          server: tls.url,
          caData: tls.caData!,
          skipTLSVerify: false,
        },
        { name: 'test', token: tls.token },
      );
      const ns = await kc
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: 'default' });
      expect(ns.metadata?.name).toBe('default');
    } finally {
      await tls.close();
    }
  });

  it('records every request with its verb and answer', async () => {
    server.resetRequests();
    await clients.core.readNamespace({ name: 'team' });
    await statusOf(clients.core.readNamespace({ name: 'missing' }));
    expect(
      server.requests.map(r => [r.method, r.path, r.verb, r.status, r.write]),
    ).toEqual([
      ['GET', '/api/v1/namespaces/team', 'get', 200, false],
      ['GET', '/api/v1/namespaces/missing', 'get', 404, false],
    ]);
  });
});
