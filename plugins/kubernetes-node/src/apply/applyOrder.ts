import { withPavedConvention } from '../convention/withPavedConvention';
import { KubernetesManifest } from './parseManifests';

// Helm's install order: what others depend on goes first.
const APPLY_ORDER = [
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
];

function rank(kind: string) {
  const i = APPLY_ORDER.indexOf(kind);
  return i < 0 ? APPLY_ORDER.length : i;
}

/** A manifest ready to apply, with its 1-based place in the set as given. */
export interface OrderedManifest {
  obj: KubernetesManifest;
  document: number;
}

/**
 * The manifests with Paved's label convention applied, in the order they
 * are applied: by kind, then as given.
 */
export function inApplyOrder(
  manifests: KubernetesManifest[],
  target: { namespace: string; component: string; environment: string },
): OrderedManifest[] {
  return manifests
    .map((m, index) => ({
      obj: withPavedConvention(m, target),
      document: index + 1,
    }))
    .sort(
      (a, b) => rank(a.obj.kind) - rank(b.obj.kind) || a.document - b.document,
    );
}
