import { KubernetesManifest } from './parseManifests';
import { PAVED_LABELS, ownerGroupName, pavedLabels } from './convention/labels';
import {
  KubernetesProvisionerSettings,
  SizeName,
} from './readKubernetesProvisionerConfig';

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
  input: {
    namespace: string;
    component: string;
    environment: string;
    owner: string;
    size: SizeName;
  },
  settings: Pick<
    KubernetesProvisionerSettings,
    | 'podSecurityVersion'
    | 'ingressNamespace'
    | 'ownerClusterRole'
    | 'ownerGroupPrefix'
    | 'sizes'
  >,
): KubernetesManifest[] {
  const { namespace, component, environment, size } = input;
  const owner = ownerGroupName(input.owner);
  const labels = pavedLabels(component, environment);
  const tier = settings.sizes[size];
  const psa: Record<string, string> = {};
  for (const mode of PSA_MODES) {
    psa[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    psa[`pod-security.kubernetes.io/${mode}-version`] =
      settings.podSecurityVersion;
  }
  const meta = (name: string) => ({ name, namespace, labels });

  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          [PAVED_LABELS.owner]: owner,
          [PAVED_LABELS.size]: size,
          ...psa,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(NAMESPACE_OBJECT_NAMES.resourceQuota),
      spec: {
        hard: {
          'requests.cpu': tier.requests.cpu,
          'requests.memory': tier.requests.memory,
          'limits.cpu': tier.limits.cpu,
          'limits.memory': tier.limits.memory,
          pods: String(tier.pods),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(NAMESPACE_OBJECT_NAMES.limitRange),
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
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(NAMESPACE_OBJECT_NAMES.networkPolicy),
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
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(NAMESPACE_OBJECT_NAMES.roleBinding),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: settings.ownerClusterRole,
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: `${settings.ownerGroupPrefix}${owner}`,
        },
      ],
    },
  ];
}
