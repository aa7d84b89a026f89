import { NotFoundError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';
import { examples } from './terraformApply.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
import { Zod } from './zod';

const input = {
  planId: (z: Zod) =>
    z
      .string()
      .describe('The plan to apply: ${{ steps.<plan step>.output.planId }}.'),
  allowDestroy: (z: Zod) =>
    z
      .boolean()
      .default(false)
      .describe(
        'Allow a plan that destroys or replaces resources; refused otherwise.',
      ),
};

const output = {
  applied: (z: Zod) =>
    z.boolean().describe('True once applied; false in a dry run.'),
  added: (z: Zod) => z.number().describe('Resources created.'),
  changed: (z: Zod) => z.number().describe('Resources updated in place.'),
  destroyed: (z: Zod) => z.number().describe('Resources destroyed.'),
  resources: (z: Zod) =>
    resourceListSchema(z).describe(
      'Each resource changed, with the action taken.',
    ),
  summaryText: (z: Zod) =>
    z
      .string()
      .describe(
        '"Apply complete! Resources: 1 added, 0 changed, 0 destroyed."',
      ),
};

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
    schema: { input, output },
    async handler(ctx) {
      const { planId } = ctx.input;
      const allowDestroy = ctx.input.allowDestroy ?? false;
      if (ctx.isDryRun) {
        await dryRun(ctx, runner, planId);
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

/** A dry run: what the plan would do, nothing applied. */
async function dryRun(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'output'>,
  runner: TerraformRunner,
  planId: string,
) {
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
}
