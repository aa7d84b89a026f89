/**
 * The API resources the Kubernetes test server serves, in the shape its
 * discovery documents describe them.
 */

/** How the apiserver validates `metadata.name` for a resource. */
export type NameValidation =
  | 'dns1123Label'
  | 'dns1123Subdomain'
  | 'dns1035Label'
  | 'pathSegment';

/**
 * One API resource served by the test server.
 *
 * @public
 */
export interface KubernetesResourceType {
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  nameValidation: NameValidation;
  /** Subresources listed in discovery, e.g. `status` or `log`. */
  subresources?: Array<{
    name: string;
    kind: string;
    verbs: string[];
    group?: string;
    version?: string;
  }>;
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const STATUS = { name: 'status', verbs: ['get', 'patch', 'update'] };

function type(
  group: string,
  version: string,
  resource: string,
  kind: string,
  options: Partial<KubernetesResourceType> = {},
): KubernetesResourceType {
  return {
    group,
    version,
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: ALL_VERBS,
    nameValidation: 'dns1123Subdomain',
    ...options,
  };
}

/** Every resource type the test server serves. */
export const RESOURCE_TYPES: KubernetesResourceType[] = [
  type('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  type('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  type('', 'v1', 'limitranges', 'LimitRange', { shortNames: ['limits'] }),
  type('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    nameValidation: 'dns1123Label',
    subresources: [
      { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
      { ...STATUS, kind: 'Namespace' },
    ],
  }),
  type('', 'v1', 'pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { ...STATUS, kind: 'Pod' },
    ],
  }),
  type('', 'v1', 'resourcequotas', 'ResourceQuota', {
    shortNames: ['quota'],
    subresources: [{ ...STATUS, kind: 'ResourceQuota' }],
  }),
  type('', 'v1', 'secrets', 'Secret'),
  type('', 'v1', 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  type('', 'v1', 'services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    nameValidation: 'dns1035Label',
    subresources: [{ ...STATUS, kind: 'Service' }],
  }),
  type('apps', 'v1', 'daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'DaemonSet' }],
  }),
  type('apps', 'v1', 'deployments', 'Deployment', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [
      {
        name: 'scale',
        kind: 'Scale',
        group: 'autoscaling',
        version: 'v1',
        verbs: ['get', 'patch', 'update'],
      },
      { ...STATUS, kind: 'Deployment' },
    ],
  }),
  type('apps', 'v1', 'replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'ReplicaSet' }],
  }),
  type('apps', 'v1', 'statefulsets', 'StatefulSet', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'StatefulSet' }],
  }),
  type(
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    {
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: [{ ...STATUS, kind: 'HorizontalPodAutoscaler' }],
    },
  ),
  type('batch', 'v1', 'cronjobs', 'CronJob', {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'CronJob' }],
  }),
  type('batch', 'v1', 'jobs', 'Job', {
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'Job' }],
  }),
  type('networking.k8s.io', 'v1', 'ingresses', 'Ingress', {
    shortNames: ['ing'],
    subresources: [{ ...STATUS, kind: 'Ingress' }],
  }),
  type('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', {
    shortNames: ['netpol'],
  }),
  type('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', {
    shortNames: ['pdb'],
    subresources: [{ ...STATUS, kind: 'PodDisruptionBudget' }],
  }),
  type(
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    {
      namespaced: false,
      nameValidation: 'pathSegment',
    },
  ),
  type('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', {
    namespaced: false,
    nameValidation: 'pathSegment',
  }),
  type('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', {
    nameValidation: 'pathSegment',
  }),
  type('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', {
    nameValidation: 'pathSegment',
  }),
];

/** `apps/v1` for a group, `v1` for the core group. */
export function groupVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** GroupResource.String(): `deployments.apps`, or `namespaces` for the core group. */
export function qualifiedResource(t: {
  group: string;
  resource: string;
}): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

/** GroupKind.String(): `Deployment.apps`, or `Namespace` for the core group. */
export function qualifiedKind(t: { group: string; kind: string }): string {
  return t.group ? `${t.kind}.${t.group}` : t.kind;
}

/** The group list answered on `/apis`, in the order the groups first appear. */
export function apiGroups(): Array<{ name: string; version: string }> {
  const seen = new Map<string, string>();
  for (const t of RESOURCE_TYPES) {
    if (t.group && !seen.has(t.group)) {
      seen.set(t.group, t.version);
    }
  }
  return [...seen].map(([name, version]) => ({ name, version }));
}

/** The APIResource entries for one group version, sorted by name like the real server. */
export function apiResourcesFor(
  group: string,
  version: string,
): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  for (const t of RESOURCE_TYPES) {
    if (t.group !== group || t.version !== version) {
      continue;
    }
    entries.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames && { shortNames: t.shortNames }),
      ...(t.categories && { categories: t.categories }),
    });
    for (const sub of t.subresources ?? []) {
      entries.push({
        name: `${t.resource}/${sub.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(sub.group && { group: sub.group }),
        ...(sub.version && { version: sub.version }),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return entries.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
}
