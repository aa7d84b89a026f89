import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { namespaceNameFor } from '@paved/plugin-kubernetes-node';
import { componentName } from './componentTarget';
import { connectionSecret, connectionSecretName } from './connectionSecret';
import { examples } from './terraformConnectionPublish.examples';
import { progressLogger } from './progressLogger';
import { WorkspaceResourceActionOptions } from './resourceActionOptions';
import {
  TaskCaller,
  taskCaller,
  workspaceTarget,
} from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  module: (z: Zod) =>
    z
      .string()
      .describe(
        'The vetted module the workspace was made from; its module.json "connection" names the outputs the Secret holds.',
      ),
  workspace: (z: Zod) => z.string().describe('The applied workspace.'),
  component: (z: Zod) =>
    z
      .string()
      .describe(
        'The component the workspace serves (a name or component:default/<name>); the Secret goes into its namespace <component>-<environment>.',
      ),
  environment: (z: Zod) =>
    z.string().default('dev').describe('The environment, dev by default.'),
};

const output = {
  namespace: (z: Zod) => z.string().describe('Where the Secret is.'),
  secretName: (z: Zod) => z.string().describe('<workspace>-connection'),
  keys: (z: Zod) =>
    z.array(z.string()).describe('The keys of the Secret (never its values).'),
};

/** The namespace Paved provisioned for the component, of the workspace's owner. */
async function assertComponentNamespace(
  options: WorkspaceResourceActionOptions,
  target: { component: string; environment: string; ownerRef: string },
) {
  const { component, environment, ownerRef } = target;
  const namespace = namespaceNameFor(component, environment);
  const state = await options.provisioner.getNamespace({
    component,
    environment,
  });
  if (!state) {
    throw new NotFoundError(
      `component: namespace ${namespace} does not exist; the connection details go into the component's ${environment} environment, which Paved provisions (the Deploy dev environment template) before they can reach it`,
    );
  }
  if (!state.provisioned) {
    throw new NotAllowedError(
      `component: namespace ${namespace} ${state.foreign}; Paved writes connection details only into namespaces it provisioned`,
    );
  }
  if (`group:default/${state.owner}` !== ownerRef) {
    throw new NotAllowedError(
      `component: namespace ${namespace} belongs to group ${state.owner}, the workspace to ${ownerRef}`,
    );
  }
  return namespace;
}

/**
 * `paved:terraform:connection:publish`: the connection details of an
 * applied workspace (the outputs its module's `connection` names,
 * sensitive ones included) as the Secret `<workspace>-connection` in the
 * namespace Paved provisioned for the component. The values reach only the
 * cluster: never the task log, its outputs or its checkpoints. The task's
 * user is checked against the workspace's recorded owner, which must own
 * the namespace too.
 *
 * @public
 */
export function createTerraformConnectionPublishAction(
  options: WorkspaceResourceActionOptions,
) {
  return createTemplateAction({
    id: 'paved:terraform:connection:publish',
    description:
      "Writes an applied workspace's connection details into the component's namespace as the Secret <workspace>-connection; the values never reach the task.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace } = ctx.input;
      const component = componentName(ctx.input.component);
      const environment = ctx.input.environment ?? 'dev';
      const caller = await taskCaller(ctx);
      const check = async () => {
        const ownerRef = await assertMayUseWorkspace(options, caller, {
          workspace,
          action: 'publish the connection details of',
        });
        const mod = (await options.runner.listModules()).find(
          m => m.name === module,
        );
        if (!mod) throw new NotFoundError(`module: unknown module ${module}`);
        const namespace = await assertComponentNamespace(options, {
          component,
          environment,
          ownerRef,
        });
        return { mod, namespace };
      };
      if (ctx.isDryRun) {
        const { mod, namespace } = await dryRunCheck(options, caller, {
          module,
          workspace,
          component,
          environment,
          logger: ctx.logger,
        });
        const keys = Object.keys(mod.connection);
        ctx.logger.info(
          `Dry run: would write Secret ${connectionSecretName(
            workspace,
          )} (${keys.join(', ')}) into namespace ${namespace}`,
        );
        ctx.output('namespace', namespace);
        ctx.output('secretName', connectionSecretName(workspace));
        ctx.output('keys', keys);
        return;
      }
      const published = await ctx.checkpoint({
        key: `terraform.connection.publish.${workspace}.${component}-${environment}`,
        fn: () =>
          publish(options, caller, {
            ctx,
            check,
            workspace,
            component,
            environment,
          }),
      });
      ctx.logger.info(
        `Wrote Secret ${published.secretName} (${published.keys.join(
          ', ',
        )}) into namespace ${published.namespace}`,
      );
      ctx.output('namespace', published.namespace);
      ctx.output('secretName', published.secretName);
      ctx.output('keys', published.keys);
    },
  });
}

/** The audited write: outputs read and the Secret applied; only names come back. */
function publish(
  options: WorkspaceResourceActionOptions,
  caller: TaskCaller,
  request: {
    ctx: { logger: any; signal?: AbortSignal };
    check: () => Promise<{ mod: any; namespace: string }>;
    workspace: string;
    component: string;
    environment: string;
  },
) {
  const { ctx, check, workspace, component, environment } = request;
  return auditChange(
    options.auditor,
    {
      eventId: 'terraform-connection-publish',
      actor: caller.actor,
      target: workspaceTarget(workspace),
      taskId: caller.taskId,
      details: { component, environment },
    },
    async () => {
      const { mod, namespace } = await check();
      const outputs = await options.runner.output(
        { workspace },
        { signal: ctx.signal, onProgress: progressLogger(ctx.logger) },
      );
      const secret = connectionSecret({ workspace, module: mod, outputs });
      await options.provisioner.apply({
        component,
        environment,
        manifests: [secret.manifest],
      });
      return {
        namespace,
        secretName: secret.manifest.metadata.name,
        keys: secret.keys,
      };
    },
  );
}

/**
 * A dry run's checks: those of a real run, except for a workspace its
 * template has not planned yet (its plan records the owner), whose
 * namespace is only checked to exist and be Paved's.
 */
async function dryRunCheck(
  options: WorkspaceResourceActionOptions,
  caller: TaskCaller,
  request: {
    module: string;
    workspace: string;
    component: string;
    environment: string;
    logger: { info(message: string): void };
  },
) {
  const { module, workspace, component, environment } = request;
  const recorded = await options.runner.getWorkspaceOwner(workspace);
  const ownerRef = recorded
    ? await assertMayUseWorkspace(options, caller, {
        workspace,
        action: 'publish the connection details of',
      })
    : undefined;
  const mod = (await options.runner.listModules()).find(m => m.name === module);
  if (!mod) throw new NotFoundError(`module: unknown module ${module}`);
  if (!ownerRef) {
    request.logger.info(
      `Dry run: workspace ${workspace} is not planned yet; its first plan records its owner, which must own namespace ${namespaceNameFor(
        component,
        environment,
      )}`,
    );
  }
  const namespace = namespaceNameFor(component, environment);
  const state = await options.provisioner.getNamespace({
    component,
    environment,
  });
  if (!state) {
    // A dry run reports it; the real run fails on it.
    request.logger.info(
      `Dry run: namespace ${namespace} does not exist, so a real run fails here: the connection details go into the component's ${environment} environment, which Paved provisions (the Deploy dev environment template) first`,
    );
    return { mod, namespace };
  }
  await assertComponentNamespace(options, {
    component,
    environment,
    ownerRef: ownerRef ?? `group:default/${state.owner}`,
  });
  return { mod, namespace };
}
