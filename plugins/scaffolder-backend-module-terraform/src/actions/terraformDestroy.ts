import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';
import { examples } from './terraformDestroy.examples';
import { progressLogger } from './progressLogger';
import { resourceList } from './resourceList';

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
    schema: {
      input: {
        module: z =>
          z.string().describe('The vetted module the workspace was made from.'),
        workspace: z => z.string().describe('The workspace to empty.'),
        variables: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              "Values for the module's required variables (Terraform needs them to destroy).",
            ),
      },
      output: {
        destroyed: z => z.number().describe('Resources destroyed.'),
        resources: z =>
          z
            .array(z.object({ address: z.string(), action: z.string() }))
            .describe('Each resource destroyed.'),
        summaryText: z =>
          z.string().describe('"Destroy complete! Resources: 3 destroyed."'),
      },
    },
    async handler(ctx) {
      const { module, workspace } = ctx.input;
      const variables = ctx.input.variables as
        | Record<string, unknown>
        | undefined;
      if (ctx.isDryRun) {
        const plan = await runner.plan(
          { module, workspace, variables, destroy: true, discard: true },
          { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
        );
        ctx.logger.info(
          `Dry run: nothing destroyed. Destroying would do: ${plan.summary.text}`,
        );
        ctx.output('destroyed', plan.summary.destroy);
        ctx.output('resources', resourceList(plan.summary.resources));
        ctx.output('summaryText', plan.summary.text);
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
