import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { examples } from './terraformDestroy.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
import {
  TaskCaller,
  taskCaller,
  TerraformActionOptions,
  workspaceTarget,
} from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  module: (z: Zod) =>
    z.string().describe('The vetted module the workspace was made from.'),
  workspace: (z: Zod) => z.string().describe('The workspace to empty.'),
  variables: (z: Zod) =>
    z
      .record(z.unknown())
      .optional()
      .describe(
        "Values for the module's required variables (Terraform needs them to destroy).",
      ),
};

const output = {
  destroyed: (z: Zod) => z.number().describe('Resources destroyed.'),
  resources: (z: Zod) =>
    resourceListSchema(z).describe('Each resource destroyed.'),
  summaryText: (z: Zod) =>
    z.string().describe('"Destroy complete! Resources: 3 destroyed."'),
};

/**
 * `paved:terraform:destroy`: destroys everything in a workspace, for the
 * owners of the workspace's recorded owner group and admins only
 * (`paved.target.delete`), checked before terraform runs. A dry run checks
 * the request and the owner and runs nothing.
 *
 * @public
 */
export function createTerraformDestroyAction(options: TerraformActionOptions) {
  const { runner, auditor } = options;
  return createTemplateAction({
    id: 'paved:terraform:destroy',
    description:
      'Destroys every resource of a workspace made from a vetted module; a dry run only checks the request and who may destroy it.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace } = ctx.input;
      const variables = ctx.input.variables as
        | Record<string, unknown>
        | undefined;
      const caller = await taskCaller(ctx);
      if (ctx.isDryRun) {
        await dryRun(ctx, options, caller, { module, workspace, variables });
        return;
      }
      const result = await ctx.checkpoint({
        key: `terraform.destroy.${workspace}.${module}`,
        fn: () =>
          auditChange(
            auditor,
            {
              eventId: 'terraform-destroy',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              severityLevel: 'high',
              details: { module },
            },
            async () => {
              await assertMayUseWorkspace(options, caller, {
                workspace,
                action: 'destroy',
                destructive: true,
              });
              const destroyed = await runner.destroy(
                { module, workspace, variables },
                { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
              );
              return {
                destroyed: destroyed.destroyed,
                resources: resourceList(destroyed.resources),
                text: destroyed.text,
              };
            },
          ),
      });
      ctx.output('destroyed', result.destroyed);
      ctx.output('resources', result.resources);
      ctx.output('summaryText', result.text);
    },
  });
}

/** A dry run: the request and the owner checked; nothing run, nothing destroyed. */
async function dryRun(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'output'>,
  options: TerraformActionOptions,
  caller: TaskCaller,
  request: {
    module: string;
    workspace: string;
    variables?: Record<string, unknown>;
  },
) {
  const preview = await options.runner.previewPlan({
    ...request,
    destroy: true,
  });
  const ownerRef = await assertMayUseWorkspace(options, caller, {
    workspace: preview.workspace,
    action: 'destroy',
    destructive: true,
  });
  const text = `Dry run: nothing destroyed. A real run would destroy every resource of workspace ${preview.workspace} (module ${preview.module}, owned by ${ownerRef}); terraform is not run and the workspace is not locked.`;
  ctx.logger.info(text);
  ctx.output('destroyed', 0);
  ctx.output('resources', []);
  ctx.output('summaryText', text);
}
