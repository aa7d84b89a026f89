import { KubernetesManifest } from '../apply/parseManifests';
import {
  PAVED_LABELS,
  ownerGroupName,
  pavedLabels,
} from '../convention/labels';
import {
  KubernetesProvisionerSettings,
  SizeName,
  SizeTier,
} from '../readKubernetesProvisionerConfig';

/**
 * The names of the guardrail objects in every Paved namespace.
 *
 * @public
 */
export const NAMESPACE_OBJECT_NAMES = {
  resourceQuota: 'paved-quota',
  limitRange: 'paved-limits',
  networkPolicy: 'paved-default-deny',
  roleBinding: 'paved-owner',
} as const;

const PSA_MODES = ['enforce', 'warn', 'audit'] as const;

/** What the guardrail objects of one namespace are rendered from. */
interface NamespaceInput {
  namespace: string;
  component: string;
  environment: string;
  owner: string;
  size: SizeName;
}

type NamespaceSettings = Pick<
  KubernetesProvisionerSettings,
  | 'podSecurityVersion'
  | 'ingressNamespace'
  | 'ownerClusterRole'
  | 'ownerGroupPrefix'
  | 'sizes'
>;

/** The Namespace: Paved's labels, owner, size, and Pod Security `restricted` pinned to a version. */
function namespaceObject(
  input: NamespaceInput,
  settings: NamespaceSettings,
): KubernetesManifest {
  const psa: Record<string, string> = {};
  for (const mode of PSA_MODES) {
    psa[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    psa[`pod-security.kubernetes.io/${mode}-version`] =
      settings.podSecurityVersion;
  }
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: input.namespace,
      labels: {
        ...pavedLabels(input.component, input.environment),
        [PAVED_LABELS.owner]: ownerGroupName(input.owner),
        [PAVED_LABELS.size]: input.size,
        ...psa,
      },
    },
  };
}

/** The metadata of an object inside the namespace. */
function metadataOf(input: NamespaceInput, name: string) {
  return {
    name,
    namespace: input.namespace,
    labels: pavedLabels(input.component, input.environment),
  };
}

/** The size tier's totals. */
function resourceQuota(input: NamespaceInput, tier: SizeTier) {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: metadataOf(input, NAMESPACE_OBJECT_NAMES.resourceQuota),
    spec: {
      hard: {
        'requests.cpu': tier.requests.cpu,
        'requests.memory': tier.requests.memory,
        'limits.cpu': tier.limits.cpu,
        'limits.memory': tier.limits.memory,
        pods: String(tier.pods),
      },
    },
  };
}

/** The size tier's defaults for containers that set none. */
function limitRange(input: NamespaceInput, tier: SizeTier) {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: metadataOf(input, NAMESPACE_OBJECT_NAMES.limitRange),
    spec: {
      limits: [
        {
          type: 'Container',
          default: {
            cpu: tier.defaultLimit.cpu,
            memory: tier.defaultLimit.memory,
          },
          defaultRequest: {
            cpu: tier.defaultRequest.cpu,
            memory: tier.defaultRequest.memory,
          },
        },
      ],
    },
  };
}

/** Default deny, except within the namespace, DNS, and from the ingress controller's namespace. */
function networkPolicy(input: NamespaceInput, settings: NamespaceSettings) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadataOf(input, NAMESPACE_OBJECT_NAMES.networkPolicy),
    spec: {
      // Selecting every pod with both policy types denies all traffic the rules below do not allow.
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: {} }] },
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name': settings.ingressNamespace,
                },
              },
            },
          ],
        },
      ],
      egress: [
        { to: [{ podSelector: {} }] },
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
              },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  };
}

/** The owning group gets the configured ClusterRole in the namespace. */
function ownerRoleBinding(input: NamespaceInput, settings: NamespaceSettings) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadataOf(input, NAMESPACE_OBJECT_NAMES.roleBinding),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: settings.ownerClusterRole,
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: `${settings.ownerGroupPrefix}${ownerGroupName(input.owner)}`,
      },
    ],
  };
}

/**
 * The objects that make a component's namespace safe by default, in the
 * order they are applied: the Namespace (labels, Pod Security Admission
 * `restricted` pinned to a version for enforce, warn and audit), a
 * ResourceQuota and a LimitRange from the size tier, a NetworkPolicy that
 * denies all ingress and egress except within the namespace, DNS and from
 * the ingress controller's namespace, and a RoleBinding giving the owning
 * group the configured ClusterRole.
 *
 * @public
 */
export function renderNamespaceObjects(
  input: NamespaceInput,
  settings: NamespaceSettings,
): KubernetesManifest[] {
  const tier = settings.sizes[input.size];
  return [
    namespaceObject(input, settings),
    resourceQuota(input, tier),
    limitRange(input, tier),
    networkPolicy(input, settings),
    ownerRoleBinding(input, settings),
  ];
}
