import { InputError, NotFoundError } from '@backstage/errors';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { workloadSelector } from '../convention/labels';
import { WorkloadRef } from '../KubernetesProvisioner';

/** A Deployment or StatefulSet as read from the cluster. */
export interface Workload {
  kind: string;
  obj: any;
}

/** The workloads named, each read; one that does not exist is an error. */
async function namedWorkloads(
  client: KubernetesClusterClient,
  namespace: string,
  refs: WorkloadRef[],
): Promise<Workload[]> {
  const found: Workload[] = [];
  for (const ref of refs) {
    if (ref.kind !== 'Deployment' && ref.kind !== 'StatefulSet') {
      throw new InputError(
        `workloads: kind must be Deployment or StatefulSet, got "${ref.kind}"`,
      );
    }
    const spec = {
      apiVersion: 'apps/v1',
      kind: ref.kind,
      metadata: { name: ref.name, namespace },
    };
    const obj = await client.read(`reading ${ref.kind} "${ref.name}"`, () =>
      client.objects.read(spec),
    );
    if (!obj) {
      throw new NotFoundError(
        `${ref.kind} "${ref.name}" does not exist in namespace "${namespace}" on cluster "${client.name}"`,
      );
    }
    found.push({ kind: ref.kind, obj });
  }
  return found;
}

/** Every Deployment and StatefulSet labelled as the component's. */
async function labelledWorkloads(
  client: KubernetesClusterClient,
  namespace: string,
  component: string,
): Promise<Workload[]> {
  const found: Workload[] = [];
  for (const kind of ['Deployment', 'StatefulSet']) {
    const list = await client.call(
      `listing ${kind}s in namespace "${namespace}"`,
      () =>
        client.objects.list(
          'apps/v1',
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          workloadSelector(component),
        ),
    );
    for (const obj of list.items) found.push({ kind, obj });
  }
  return found;
}

/** The workloads a rollout wait watches: those named, or all of the component's. */
export function findWorkloads(
  client: KubernetesClusterClient,
  namespace: string,
  component: string,
  refs: WorkloadRef[] | undefined,
): Promise<Workload[]> {
  return refs && refs.length > 0
    ? namedWorkloads(client, namespace, refs)
    : labelledWorkloads(client, namespace, component);
}
