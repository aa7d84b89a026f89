import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';
import { examples } from './terraformApply.examples';
import { progressLogger } from './progressLogger';
import { resourceList } from './resourceList';

/**
 * `paved:terraform:apply`: applies exactly the plan an earlier `paved:terraform:plan`
 * step of the same task saved. A dry run stops before it.
 *
 * @public
 */
export function createTerraformApplyAction(options: {
  runner: TerraformRunner;
}) {
  const { runner } = options;
  return createTemplateAction({
    id: 'paved:terraform:apply',
    description:
      'Applies the saved plan of an earlier paved:terraform:plan step of the same task, after checking it is unchanged, recent enough and destroys nothing unless allowed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        planId: z =>
          z
            .string()
            .describe(
              'The plan to apply: ${{ steps.<plan step>.output.planId }}.',
            ),
        allowDestroy: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Allow a plan that destroys or replaces resources; refused otherwise.',
            ),
      },
      output: {
        applied: z =>
          z.boolean().describe('True once applied; false in a dry run.'),
        added: z => z.number().describe('Resources created.'),
        changed: z => z.number().describe('Resources updated in place.'),
        destroyed: z => z.number().describe('Resources destroyed.'),
        resources: z =>
          z
            .array(z.object({ address: z.string(), action: z.string() }))
            .describe('Each resource changed, with the action taken.'),
        summaryText: z =>
          z
            .string()
            .describe(
              '"Apply complete! Resources: 1 added, 0 changed, 0 destroyed."',
            ),
      },
    },
    async handler(ctx) {
      const { planId } = ctx.input;
      const allowDestroy = ctx.input.allowDestroy ?? false;
      if (ctx.isDryRun) {
        const plan = await runner.getPlan(planId);
        if (!plan) throw new NotFoundError(`planId: no saved plan ${planId}`);
        ctx.logger.info(
          `Dry run: plan ${planId} is not applied. It would do: ${plan.summary.text}`,
        );
        ctx.output('applied', false);
        ctx.output('added', plan.summary.add);
        ctx.output('changed', plan.summary.change);
        ctx.output('destroyed', plan.summary.destroy);
        ctx.output('resources', resourceList(plan.summary.resources));
        ctx.output('summaryText', plan.summary.text);
        return;
      }
      const result = await ctx.checkpoint({
        key: `terraform.apply.${planId}`,
        fn: async () => {
          const applied = await runner.apply(
            { planId, owner: ctx.task.id, allowDestroy },
            { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
          );
          return {
            added: applied.added,
            changed: applied.changed,
            destroyed: applied.destroyed,
            resources: resourceList(applied.resources),
            text: applied.text,
          };
        },
      });
      ctx.output('applied', true);
      ctx.output('added', result.added);
      ctx.output('changed', result.changed);
      ctx.output('destroyed', result.destroyed);
      ctx.output('resources', result.resources);
      ctx.output('summaryText', result.text);
    },
  });
}
