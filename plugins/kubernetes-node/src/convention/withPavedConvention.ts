import { KubernetesManifest } from '../apply/parseManifests';
import { pavedLabels, workloadLabels } from './labels';
import { podTemplatePaths } from './podTemplatePaths';

/**
 * A copy of a manifest with Paved's label convention applied (see the
 * package README): the target namespace, {@link pavedLabels} on the object,
 * and {@link workloadLabels} on its pod template, so that the Backstage
 * kubernetes plugin finds the workload and its pods.
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
    let node: any = m;
    for (const key of paths.labels.slice(0, -1)) {
      node[key] = node[key] ?? {};
      node = node[key];
    }
    node.labels = { ...node.labels, ...workloadLabels(target.component) };
  }
  return m;
}
