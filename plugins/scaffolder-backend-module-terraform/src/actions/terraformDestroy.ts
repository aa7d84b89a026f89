import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';
import { examples } from './terraformDestroy.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
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
 * `paved:terraform:destroy`: destroys everything in a workspace. A dry run plans
 * the destruction and stops there.
 *
 * @public
 */
export function createTerraformDestroyAction(options: {
  runner: TerraformRunner;
}) {
  const { runner } = options;
  return createTemplateAction({
    id: 'paved:terraform:destroy',
    description:
      'Destroys every resource of a workspace made from a vetted module; a dry run only shows the destroy plan.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace } = ctx.input;
      const variables = ctx.input.variables as
        | Record<string, unknown>
        | undefined;
      if (ctx.isDryRun) {
        await dryRun(ctx, runner, { module, workspace, variables });
        return;
      }
      const result = await ctx.checkpoint({
        key: `terraform.destroy.${workspace}.${module}`,
        fn: async () => {
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
      });
      ctx.output('destroyed', result.destroyed);
      ctx.output('resources', result.resources);
      ctx.output('summaryText', result.text);
    },
  });
}

/** A dry run: the destroy plan, shown and discarded; nothing destroyed. */
async function dryRun(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'output' | 'signal'>,
  runner: TerraformRunner,
  request: {
    module: string;
    workspace: string;
    variables?: Record<string, unknown>;
  },
) {
  const plan = await runner.plan(
    { ...request, destroy: true, discard: true },
    { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
  );
  ctx.logger.info(
    `Dry run: nothing destroyed. Destroying would do: ${plan.summary.text}`,
  );
  ctx.output('destroyed', plan.summary.destroy);
  ctx.output('resources', resourceList(plan.summary.resources));
  ctx.output('summaryText', plan.summary.text);
}
