import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { TerraformOutput } from '@paved/plugin-terraform-node';
import { examples } from './terraformOutput.examples';
import { progressLogger } from './progressLogger';
import {
  taskCaller,
  TerraformActionOptions,
  workspaceTarget,
} from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  workspace: (z: Zod) => z.string().describe('The workspace to read.'),
};

const output = {
  outputs: (z: Zod) =>
    z.record(z.unknown()).describe('Non-sensitive output values by name.'),
  sensitiveOutputs: (z: Zod) =>
    z
      .array(z.string())
      .describe('Names of sensitive outputs, whose values are withheld.'),
};

/**
 * `paved:terraform:output`: the workspace's root outputs. Only non-sensitive
 * values become task outputs; sensitive outputs are listed by name and
 * stay with the TerraformRunner's callers (a backend writing them to a
 * secret store), never in the task, its log or its checkpoints. The task's
 * user is checked against the workspace's recorded owner first.
 *
 * @public
 */
export function createTerraformOutputAction(options: TerraformActionOptions) {
  const { runner, auditor } = options;
  return createTemplateAction({
    id: 'paved:terraform:output',
    description:
      "Reads a workspace's outputs: non-sensitive values as task outputs, sensitive ones only by name.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { workspace } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: outputs of workspace ${workspace} are read after apply`,
        );
        ctx.output('outputs', {});
        ctx.output('sensitiveOutputs', []);
        return;
      }
      const caller = await taskCaller(ctx);
      const read = await ctx.checkpoint({
        key: `terraform.output.${workspace}`,
        fn: () =>
          auditChange(
            auditor,
            {
              eventId: 'terraform-output',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              severityLevel: 'low',
            },
            async () => {
              await assertMayUseWorkspace(options, caller, {
                workspace,
                action: 'read the outputs of',
              });
              const all = await runner.output(
                { workspace },
                { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
              );
              const outputs: Record<string, TerraformOutput['value']> = {};
              const sensitiveOutputs: string[] = [];
              for (const [name, value] of Object.entries(all)) {
                if (value.sensitive) sensitiveOutputs.push(name);
                else outputs[name] = value.value;
              }
              return { outputs, sensitiveOutputs };
            },
          ),
      });
      ctx.output('outputs', read.outputs);
      ctx.output('sensitiveOutputs', read.sensitiveOutputs);
    },
  });
}
