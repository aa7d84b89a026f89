import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
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
function summarize(objects: ObjectOutcome[]): ObjectSummary {
  const pick = (action: ObjectOutcome['action']) =>
    objects.filter(o => o.action === action).map(o => `${o.kind}/${o.name}`);
  return {
    created: pick('created'),
    updated: pick('updated'),
    unchanged: pick('unchanged'),
  };
}

/**
 * Logs one line per object (`created Deployment/web`, in a dry run
 * `would create Deployment/web`) and returns their {@link ObjectSummary}.
 */
export function logOutcomes(
  logger: LoggerService,
  objects: ObjectOutcome[],
  dryRun: boolean,
): ObjectSummary {
  const verbs: Record<ObjectOutcome['action'], string> = {
    created: dryRun ? 'would create' : 'created',
    updated: dryRun ? 'would update' : 'updated',
    unchanged: 'unchanged',
    deleted: dryRun ? 'would delete' : 'deleted',
  };
  objects.forEach(o => logger.info(`${verbs[o.action]} ${o.kind}/${o.name}`));
  return summarize(objects);
}

/** Sets the created, updated and unchanged outputs of a step that writes objects. */
export function outputSummary(
  ctx: Pick<ActionContext<any, any>, 'output'>,
  summary: ObjectSummary,
): void {
  ctx.output('created', summary.created);
  ctx.output('updated', summary.updated);
  ctx.output('unchanged', summary.unchanged);
}
