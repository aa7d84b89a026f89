import { ConflictError, NotFoundError } from '@backstage/errors';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { PAVED_LABELS, PAVED_MANAGER } from '../convention/labels';

/** The live Namespace, or undefined when there is none. */
export function readNamespace(
  client: KubernetesClusterClient,
  namespace: string,
): Promise<any> {
  return client.read<any>(`reading Namespace "${namespace}"`, () =>
    client.objects.read({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    }),
  );
}

/**
 * Why a live namespace is not the one Paved provisioned for a component's
 * environment; undefined when it is.
 */
export function foreignNamespace(
  live: any,
  component: string,
  environment: string,
): string | undefined {
  const labels = live.metadata?.labels ?? {};
  const managedBy = labels[PAVED_LABELS.managedBy];
  if (managedBy !== PAVED_MANAGER) {
    return `is not managed by Paved (${PAVED_LABELS.managedBy} is ${
      managedBy ? `"${managedBy}"` : 'not set'
    })`;
  }
  if (
    labels[PAVED_LABELS.component] !== component ||
    labels[PAVED_LABELS.environment] !== environment
  ) {
    return `belongs to component "${
      labels[PAVED_LABELS.component]
    }" in environment "${labels[PAVED_LABELS.environment]}"`;
  }
  return undefined;
}

/** The error for a namespace that was never provisioned (or is gone). */
export function missingNamespace(namespace: string, cluster: string) {
  return new NotFoundError(
    `Namespace "${namespace}" does not exist on cluster "${cluster}"; provision it first (paved:kubernetes:namespace:provision)`,
  );
}

/** Refuses to write into a namespace that is being deleted. */
export function assertNotTerminating(live: any, cluster: string) {
  if (live.status?.phase === 'Terminating') {
    throw new ConflictError(
      `Namespace "${live.metadata?.name}" on cluster "${cluster}" is being deleted (Terminating); wait until it is gone, then run again`,
    );
  }
}
