import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import {
  WORKSPACE_RESOURCES_TOPIC,
  WorkspaceResourceEvent,
  workspaceResourceRef,
} from '@paved/plugin-terraform-node';
import { untilCatalogShows } from './catalogConvergence';
import { examples } from './terraformResourceUnregister.examples';
import { WorkspaceResourceActionOptions } from './resourceActionOptions';
import { taskCaller, workspaceTarget } from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  workspace: (z: Zod) => z.string().describe('The workspace.'),
};

const output = {
  entityRef: (z: Zod) => z.string().describe('resource:default/<workspace>'),
};

/**
 * `paved:terraform:resource:unregister`: removes a workspace's Resource
 * entity from the catalogue (through the events topic), for the owners of
 * the workspace's recorded owner group (`paved.target.delete`), and waits
 * until it is gone. Gone already is done.
 *
 * @public
 */
export function createTerraformResourceUnregisterAction(
  options: WorkspaceResourceActionOptions,
) {
  return createTemplateAction({
    id: 'paved:terraform:resource:unregister',
    description: "Removes a workspace's Resource entity from the catalogue.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { workspace } = ctx.input;
      const caller = await taskCaller(ctx);
      const entityRef = workspaceResourceRef(workspace);
      const check = () =>
        assertMayUseWorkspace(options, caller, {
          workspace,
          action: 'unregister',
          destructive: true,
        });
      ctx.output('entityRef', entityRef);
      if (ctx.isDryRun) {
        await check();
        ctx.logger.info(`Dry run: would unregister ${entityRef}`);
        return;
      }
      await ctx.checkpoint({
        key: `terraform.resource.unregister.${workspace}`,
        fn: () =>
          auditChange(
            options.auditor,
            {
              eventId: 'terraform-resource-unregister',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              severityLevel: 'high',
              details: { entityRef },
            },
            async () => {
              await check();
              const event: WorkspaceResourceEvent = {
                action: 'unregister',
                workspace,
              };
              await options.events.publish({
                topic: WORKSPACE_RESOURCES_TOPIC,
                eventPayload: event,
              });
              await untilCatalogShows(options.catalog, caller, {
                entityRef,
                what: `${entityRef} gone`,
                done: e => e === undefined,
              });
              return { unregistered: true };
            },
          ),
      });
      ctx.logger.info(`Unregistered ${entityRef} from the catalogue`);
    },
  });
}
