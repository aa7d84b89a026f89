import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';
import { examples } from './terraformPlan.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
import { Zod } from './zod';

const input = {
  module: (z: Zod) =>
    z
      .string()
      .describe(
        'Name of a vetted module under templates/terraform/modules, e.g. postgres-database.',
      ),
  workspace: (z: Zod) =>
    z
      .string()
      .describe(
        'Workspace: one Terraform state, one run at a time. 1-63 lowercase letters, digits and dashes.',
      ),
  variables: (z: Zod) =>
    z
      .record(z.unknown())
      .optional()
      .describe(
        "Values for the module's variables; checked against its declarations before anything runs.",
      ),
};

const output = {
  planId: (z: Zod) =>
    z.string().describe('Id of the saved plan, for paved:terraform:apply.'),
  hasChanges: (z: Zod) =>
    z.boolean().describe('Whether applying the plan changes anything.'),
  summaryText: (z: Zod) =>
    z.string().describe('"Plan: 1 to add, 0 to change, 0 to destroy."'),
  summary: (z: Zod) =>
    z
      .object({
        add: z.number(),
        change: z.number(),
        destroy: z.number(),
        replace: z.number(),
        resources: resourceListSchema(z),
      })
      .describe(
        'Counts to add, change and destroy (a replacement counts in add and destroy) and each changed resource with its action.',
      ),
};

/**
 * `paved:terraform:plan`: plans a vetted module in a workspace and saves the plan
 * for a later `paved:terraform:apply` step of the same task. In a dry run the plan
 * is shown and discarded.
 *
 * @public
 */
export function createTerraformPlanAction(options: {
  runner: TerraformRunner;
}) {
  const { runner } = options;
  return createTemplateAction({
    id: 'paved:terraform:plan',
    description:
      'Plans a vetted Terraform module in a workspace and saves the plan; its summary (counts and each resource with its action) is a task output, shown before apply.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace, variables } = ctx.input;
      const saved = await ctx.checkpoint({
        key: `terraform.plan.${workspace}.${module}`,
        fn: async () => {
          const plan = await runner.plan(
            {
              module,
              workspace,
              variables: variables as Record<string, unknown> | undefined,
              owner: ctx.task.id,
              discard: Boolean(ctx.isDryRun),
            },
            { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
          );
          return {
            planId: plan.planId,
            hasChanges: plan.hasChanges,
            summaryText: plan.summary.text,
            summary: {
              add: plan.summary.add,
              change: plan.summary.change,
              destroy: plan.summary.destroy,
              replace: plan.summary.replace,
              resources: resourceList(plan.summary.resources),
            },
          };
        },
      });
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: plan ${saved.planId} was shown and discarded; nothing will be applied`,
        );
      }
      ctx.output('planId', saved.planId);
      ctx.output('hasChanges', saved.hasChanges);
      ctx.output('summaryText', saved.summaryText);
      ctx.output('summary', saved.summary);
    },
  });
}
