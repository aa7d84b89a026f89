import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { examples } from './terraformPlan.examples';
import { progressLogger } from './progressLogger';
import { resourceList, resourceListSchema } from './resourceList';
import {
  TaskCaller,
  taskCaller,
  TerraformActionOptions,
  workspaceTarget,
} from './terraformActionOptions';
import {
  assertMayUseWorkspace,
  claimWorkspace,
  dryRunOwnerCheck,
} from './workspaceOwner';
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
  owner: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The group that owns the workspace (group:default/<name>), required for its first plan, which records it; the task's user must belong to it (or be an admin). Later runs are checked against the recorded owner only.",
      ),
  destroy: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        "Plan the destruction of everything the workspace holds (checked as a delete against the workspace's recorded owner); apply it with allowDestroy after its review.",
      ),
};

const output = {
  planId: (z: Zod) =>
    z
      .string()
      .describe(
        'Id of the saved plan, for paved:terraform:apply; empty in a dry run, which saves none.',
      ),
  hasChanges: (z: Zod) =>
    z
      .boolean()
      .describe(
        'Whether applying the plan changes anything; false in a dry run, which plans nothing.',
      ),
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

type PlanInput = {
  module: string;
  workspace: string;
  variables?: Record<string, unknown>;
  owner?: string;
  destroy?: boolean;
};

/**
 * `paved:terraform:plan`: plans a vetted module in a workspace and saves the plan
 * for a later `paved:terraform:apply` step of the same task. The task's user
 * must be allowed to change what the workspace's recorded owner owns (at a
 * first plan: the `owner` input, then recorded), checked before terraform
 * runs or the workspace is locked. A dry run runs nothing: it says what it
 * would plan.
 *
 * @public
 */
export function createTerraformPlanAction(options: TerraformActionOptions) {
  const { runner, auditor } = options;
  return createTemplateAction({
    id: 'paved:terraform:plan',
    description:
      'Plans a vetted Terraform module in a workspace owned by your group and saves the plan; its summary (counts and each resource with its action) is a task output, shown before apply.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace, owner } = ctx.input;
      const destroy = ctx.input.destroy ?? false;
      const variables = ctx.input.variables as
        | Record<string, unknown>
        | undefined;
      const caller = await taskCaller(ctx);
      if (ctx.isDryRun) {
        await dryRun(ctx, options, caller);
        return;
      }
      const saved = await ctx.checkpoint({
        key: `terraform.plan.${workspace}.${module}${
          destroy ? '.destroy' : ''
        }`,
        fn: () =>
          auditChange(
            auditor,
            {
              eventId: 'terraform-plan',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              details: { module, ...(destroy && { destroy }) },
            },
            async () => {
              // The input is checked before an owner is recorded for it.
              await runner.previewPlan({
                module,
                workspace,
                variables,
                destroy,
              });
              if (destroy) {
                await assertMayUseWorkspace(options, caller, {
                  workspace,
                  action: 'plan the destruction of',
                  destructive: true,
                });
              } else {
                await claimWorkspace(options, caller, { workspace, owner });
              }
              const plan = await runner.plan(
                { module, workspace, variables, destroy, owner: ctx.task.id },
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
          ),
      });
      ctx.output('planId', saved.planId);
      ctx.output('hasChanges', saved.hasChanges);
      ctx.output('summaryText', saved.summaryText);
      ctx.output('summary', saved.summary);
    },
  });
}

/**
 * A dry run: the request checked and the owner check made, nothing run,
 * recorded or locked. Its plan has no changes, so review and apply steps
 * (`if: hasChanges`) are left out.
 */
async function dryRun(
  ctx: Pick<ActionContext<any, any>, 'input' | 'logger' | 'output'>,
  options: TerraformActionOptions,
  caller: TaskCaller,
) {
  const { module, workspace, owner, variables, destroy } =
    ctx.input as PlanInput;
  const preview = await options.runner.previewPlan({
    module,
    workspace,
    variables,
    destroy,
  });
  const would = `would plan ${destroy ? 'the destruction of ' : ''}module ${
    preview.module
  } in workspace ${preview.workspace}`;
  ctx.logger.info(
    `Dry run: ${would} with variables ${JSON.stringify(
      preview.variables,
    )}; terraform is not run and the workspace is not locked`,
  );
  const check = await dryRunOwnerCheck(options, caller, {
    workspace,
    owner,
    action: destroy ? 'plan the destruction of' : 'plan',
    destructive: destroy,
  }).catch(error => {
    ctx.logger.info(`Dry run: the owner check refuses: ${error.message}`);
    throw error;
  });
  ctx.logger.info(
    `Dry run: owner check passed: the workspace ${
      check.recorded ? 'is owned by' : 'would be recorded as owned by'
    } ${check.ownerRef}, and ${caller.actor ?? 'the caller'} may plan it`,
  );
  ctx.output('planId', '');
  ctx.output('hasChanges', false);
  ctx.output('summaryText', `Dry run: ${would}; nothing was planned.`);
  ctx.output('summary', {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    resources: [],
  });
}
