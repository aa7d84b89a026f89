import { NotFoundError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { TerraformPlan } from '@paved/plugin-terraform-node';
import { examples } from './terraformApply.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
import {
  TaskCaller,
  taskCaller,
  TerraformActionOptions,
  workspaceTarget,
} from './terraformActionOptions';
import { assertPlanApproved } from './planApproval';
import { assertMayUseWorkspace } from './workspaceOwner';
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
 * step of the same task saved, once the task's user is checked against the
 * workspace's recorded owner and a member of the owning group approved
 * the plan (planApproval.ts). A dry run stops before it.
 *
 * @public
 */
export function createTerraformApplyAction(options: TerraformActionOptions) {
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
      const caller = await taskCaller(ctx);
      if (ctx.isDryRun) {
        await dryRun(ctx, options, caller, planId);
        return;
      }
      const result = await ctx.checkpoint({
        key: `terraform.apply.${planId}`,
        fn: async () => {
          const plan = await runner.getPlan(planId);
          if (!plan) throw new NotFoundError(`planId: no saved plan ${planId}`);
          const applied = await auditApply(options, caller, plan, () =>
            runner.apply(
              { planId, owner: ctx.task.id, allowDestroy },
              { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
            ),
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

/** A plan that destroys anything needs what destroying needs. */
const destroys = (plan: TerraformPlan) =>
  plan.destroy || plan.summary.destroy > 0;

/** The apply as one audited event, the owner check inside it. */
function auditApply<T>(
  options: TerraformActionOptions,
  caller: TaskCaller,
  plan: TerraformPlan,
  apply: () => Promise<T>,
): Promise<T> {
  return auditChange(
    options.auditor,
    {
      eventId: 'terraform-apply',
      actor: caller.actor,
      target: workspaceTarget(plan.workspace),
      taskId: caller.taskId,
      severityLevel: destroys(plan) ? 'high' : 'medium',
      details: { planId: plan.planId, module: plan.module },
    },
    async () => {
      await assertMayUseWorkspace(options, caller, {
        workspace: plan.workspace,
        action: 'apply a plan of',
        destructive: destroys(plan),
      });
      await assertPlanApproved(options.approvals, plan);
      return apply();
    },
  );
}

/** A dry run: what the plan would do, nothing applied. */
async function dryRun(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'output'>,
  options: TerraformActionOptions,
  caller: TaskCaller,
  planId: string,
) {
  const plan = planId ? await options.runner.getPlan(planId) : undefined;
  if (!plan) {
    ctx.logger.info(
      `Dry run: no saved plan ${planId} (a dry run's plan step saves none); nothing is applied`,
    );
    outputs(ctx, {
      add: 0,
      change: 0,
      destroy: 0,
      resources: [],
      text: 'Dry run: nothing applied.',
    });
    return;
  }
  await assertMayUseWorkspace(options, caller, {
    workspace: plan.workspace,
    action: 'apply a plan of',
    destructive: destroys(plan),
  });
  ctx.logger.info(
    `Dry run: plan ${planId} is not applied. It would do: ${plan.summary.text}`,
  );
  outputs(ctx, plan.summary);
}

function outputs(
  ctx: Pick<ActionContext<any, any>, 'output'>,
  summary: Pick<
    TerraformPlan['summary'],
    'add' | 'change' | 'destroy' | 'resources' | 'text'
  >,
) {
  ctx.output('applied', false);
  ctx.output('added', summary.add);
  ctx.output('changed', summary.change);
  ctx.output('destroyed', summary.destroy);
  ctx.output('resources', resourceList(summary.resources));
  ctx.output('summaryText', summary.text);
}
