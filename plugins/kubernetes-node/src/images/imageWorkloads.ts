import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { workloadSelector } from '../convention/labels';
import { podTemplatePaths, valueAt } from '../convention/podTemplatePaths';

/** The kinds whose image a deploy sets, and where each is served. */
export const IMAGE_WORKLOAD_KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
] as const;

/** A workload as read from the cluster. */
export interface LiveWorkload {
  apiVersion: string;
  kind: 'Deployment' | 'StatefulSet' | 'CronJob';
  obj: any;
}

/** Every Deployment, StatefulSet and CronJob labelled as the component's. */
export async function listImageWorkloads(
  client: KubernetesClusterClient,
  namespace: string,
  component: string,
): Promise<LiveWorkload[]> {
  const found: LiveWorkload[] = [];
  for (const { apiVersion, kind } of IMAGE_WORKLOAD_KINDS) {
    const list = await client.call(
      `listing ${kind}s in namespace "${namespace}"`,
      () =>
        client.objects.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          workloadSelector(component),
        ),
    );
    for (const obj of list.items) found.push({ apiVersion, kind, obj });
  }
  return found;
}

/** The containers (not init containers) of a workload's pod template. */
export function containersOf(workload: LiveWorkload): any[] {
  const paths = podTemplatePaths(workload.kind)!;
  return valueAt(workload.obj, [...paths.spec, 'containers']) ?? [];
}

/** An object with `leaf` at `path`, for a partial apply. */
export function nestAt(path: string[], leaf: unknown): Record<string, any> {
  return path.reduceRight<any>((inner, key) => ({ [key]: inner }), leaf);
}
