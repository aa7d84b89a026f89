import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { componentName } from './componentTarget';
import { connectionSecretName } from './connectionSecret';
import { examples } from './terraformConnectionDelete.examples';
import { WorkspaceResourceActionOptions } from './resourceActionOptions';
import { taskCaller, workspaceTarget } from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  workspace: (z: Zod) => z.string().describe('The workspace.'),
  component: (z: Zod) =>
    z
      .string()
      .describe('The component whose namespace holds the connection Secret.'),
  environment: (z: Zod) =>
    z.string().default('dev').describe('The environment, dev by default.'),
};

const output = {
  deleted: (z: Zod) =>
    z
      .boolean()
      .describe('False when the Secret (or its namespace) was already gone.'),
  namespace: (z: Zod) => z.string().describe('Where the Secret was.'),
};

/**
 * `paved:terraform:connection:delete`: deletes the Secret
 * `<workspace>-connection` Paved wrote into the component's namespace, for
 * the owners of the workspace's recorded owner group (`paved.target.delete`).
 * Gone already is done; a dry run only checks.
 *
 * @public
 */
export function createTerraformConnectionDeleteAction(
  options: WorkspaceResourceActionOptions,
) {
  return createTemplateAction({
    id: 'paved:terraform:connection:delete',
    description:
      "Deletes a workspace's connection Secret from the component's namespace.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { workspace } = ctx.input;
      const component = componentName(ctx.input.component);
      const environment = ctx.input.environment ?? 'dev';
      const caller = await taskCaller(ctx);
      const secret = {
        component,
        environment,
        apiVersion: 'v1',
        kind: 'Secret',
        name: connectionSecretName(workspace),
      };
      const check = () =>
        assertMayUseWorkspace(options, caller, {
          workspace,
          action: 'delete the connection details of',
          destructive: true,
        });
      if (ctx.isDryRun) {
        await check();
        const would = await options.provisioner.deleteObject({
          ...secret,
          dryRun: true,
        });
        ctx.logger.info(
          `Dry run: ${
            would.existed ? 'would delete' : 'nothing to delete:'
          } Secret ${secret.name} in namespace ${would.namespace}`,
        );
        ctx.output('deleted', false);
        ctx.output('namespace', would.namespace);
        return;
      }
      const result = await ctx.checkpoint({
        key: `terraform.connection.delete.${workspace}.${component}-${environment}`,
        fn: () =>
          auditChange(
            options.auditor,
            {
              eventId: 'terraform-connection-delete',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              severityLevel: 'high',
              details: { component, environment },
            },
            async () => {
              await check();
              const done = await options.provisioner.deleteObject(secret);
              return { deleted: done.existed, namespace: done.namespace };
            },
          ),
      });
      ctx.logger.info(
        result.deleted
          ? `Deleted Secret ${secret.name} from namespace ${result.namespace}`
          : `Secret ${secret.name} is not in namespace ${result.namespace}; nothing to delete`,
      );
      ctx.output('deleted', result.deleted);
      ctx.output('namespace', result.namespace);
    },
  });
}
