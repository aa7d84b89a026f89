/** Where a kind keeps its pod spec and pod template labels. */
interface PodTemplatePaths {
  spec: string[];
  labels: string[];
}

const TEMPLATE: PodTemplatePaths = {
  spec: ['spec', 'template', 'spec'],
  labels: ['spec', 'template', 'metadata', 'labels'],
};

const BY_KIND: Record<string, PodTemplatePaths> = {
  Deployment: TEMPLATE,
  StatefulSet: TEMPLATE,
  DaemonSet: TEMPLATE,
  ReplicaSet: TEMPLATE,
  Job: TEMPLATE,
  CronJob: {
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    labels: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'],
  },
  Pod: { spec: ['spec'], labels: ['metadata', 'labels'] },
};

/**
 * Where a CronJob keeps the labels of the Jobs it creates: the CronJob
 * controller copies them onto each Job, which is how the entity page finds
 * a run.
 */
export const JOB_TEMPLATE_LABELS = [
  'spec',
  'jobTemplate',
  'metadata',
  'labels',
];

/** The kinds that run pods: a Pod, or a kind with a pod template. */
export const WORKLOAD_KINDS = Object.keys(BY_KIND);

/**
 * Where a kind keeps its pod spec and pod template labels.
 *
 * @public
 */
export function podTemplatePaths(
  kind: string,
): { spec: string[]; labels: string[] } | undefined {
  const paths = Object.prototype.hasOwnProperty.call(BY_KIND, kind)
    ? BY_KIND[kind]
    : undefined;
  return paths && { spec: [...paths.spec], labels: [...paths.labels] };
}

/** The value at a path of an object; undefined when any step is missing. */
export function valueAt(obj: any, path: string[]): any {
  return path.reduce(
    (o, key) => (o === null || o === undefined ? undefined : o[key]),
    obj,
  );
}
