import { ObjectOutcome } from '@paved/plugin-kubernetes-node';

/** What an action reports about the objects it touched, as JSON. */
export type ObjectSummary = {
  created: string[];
  updated: string[];
  unchanged: string[];
};

/** An {@link ObjectSummary} as checkpointed, with the uid of the namespace it is about. */
export type NamespaceSummary = ObjectSummary & { namespaceUid?: string };

/** `Kind/name` lists by action, for outputs and checkpoints. */
export function summarize(objects: ObjectOutcome[]): ObjectSummary {
  const pick = (action: ObjectOutcome['action']) =>
    objects.filter(o => o.action === action).map(o => `${o.kind}/${o.name}`);
  return {
    created: pick('created'),
    updated: pick('updated'),
    unchanged: pick('unchanged'),
  };
}

/** One log line per object, e.g. `created Deployment/web` or `would create Deployment/web`. */
export function describeOutcomes(
  objects: ObjectOutcome[],
  dryRun: boolean,
): string[] {
  const verbs: Record<ObjectOutcome['action'], string> = {
    created: dryRun ? 'would create' : 'created',
    updated: dryRun ? 'would update' : 'updated',
    unchanged: 'unchanged',
    deleted: dryRun ? 'would delete' : 'deleted',
  };
  return objects.map(o => `${verbs[o.action]} ${o.kind}/${o.name}`);
}
