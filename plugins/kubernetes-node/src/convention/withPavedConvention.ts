import { KubernetesManifest } from '../apply/parseManifests';
import { pavedLabels, workloadLabels } from './labels';
import { JOB_TEMPLATE_LABELS, podTemplatePaths } from './podTemplatePaths';

/** Adds labels at a path of an object, creating what is missing on the way. */
function addLabels(obj: any, path: string[], labels: Record<string, string>) {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    node[key] = node[key] ?? {};
    node = node[key];
  }
  node.labels = { ...node.labels, ...labels };
}

/**
 * A copy of a manifest with Paved's label convention applied (see the
 * package README): the target namespace, {@link pavedLabels} on the object,
 * and {@link workloadLabels} on its pod template (and a CronJob's job
 * template), so that the Backstage kubernetes plugin finds the workload,
 * its pods and a CronJob's Jobs.
 *
 * @public
 */
export function withPavedConvention(
  manifest: KubernetesManifest,
  target: { namespace: string; component: string; environment: string },
): KubernetesManifest {
  const m = structuredClone(manifest);
  m.metadata.namespace = target.namespace;
  m.metadata.labels = {
    ...m.metadata.labels,
    ...pavedLabels(target.component, target.environment),
  };
  const paths = podTemplatePaths(m.kind);
  if (paths && m.kind !== 'Pod') {
    addLabels(m, paths.labels, workloadLabels(target.component));
  }
  if (m.kind === 'CronJob') {
    addLabels(m, JOB_TEMPLATE_LABELS, workloadLabels(target.component));
  }
  return m;
}
