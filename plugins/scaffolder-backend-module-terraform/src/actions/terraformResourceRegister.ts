import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import {
  WORKSPACE_RESOURCES_TOPIC,
  WorkspaceResource,
  WorkspaceResourceEvent,
  workspaceResourceRef,
} from '@paved/plugin-terraform-node';
import { untilCatalogShows } from './catalogConvergence';
import { assertServesOwnComponent, readComponent } from './componentTarget';
import { examples } from './terraformResourceRegister.examples';
import { WorkspaceResourceActionOptions } from './resourceActionOptions';
import {
  TaskCaller,
  taskCaller,
  workspaceTarget,
} from './terraformActionOptions';
import { assertMayUseWorkspace } from './workspaceOwner';
import { Zod } from './zod';

const input = {
  module: (z: Zod) => z.string().describe('The module the workspace runs.'),
  name: (z: Zod) =>
    z
      .string()
      .describe(
        "The module's name variable, kept on the entity for a destroy plan.",
      ),
  workspace: (z: Zod) =>
    z.string().describe('The workspace; the Resource entity has its name.'),
  component: (z: Zod) =>
    z
      .string()
      .describe(
        'The component the workspace serves (component:default/<name>); it dependsOn the Resource.',
      ),
  type: (z: Zod) =>
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .describe("The Resource's spec.type: database, bucket, cache..."),
  description: (z: Zod) =>
    z.string().max(500).optional().describe("The entity's description."),
};

const output = {
  entityRef: (z: Zod) =>
    z.string().describe('resource:default/<workspace>, once in the catalogue.'),
  ownerRef: (z: Zod) => z.string().describe('The group that owns it.'),
};

/**
 * `paved:terraform:resource:register`: registers a workspace in the
 * catalogue as a Resource entity owned by the workspace's recorded owner,
 * a dependency of the component it serves (which must be that group's),
 * annotated with its workspace and module, and no connection details. It
 * publishes on the events topic the catalogue's paved-resources module
 * listens to, and waits until the catalogue shows the entity.
 *
 * @public
 */
export function createTerraformResourceRegisterAction(
  options: WorkspaceResourceActionOptions,
) {
  return createTemplateAction({
    id: 'paved:terraform:resource:register',
    description:
      "Registers a workspace as a catalogue Resource the component depends on, owned by the workspace's owner.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { module, workspace, type, description, name } = ctx.input;
      const caller = await taskCaller(ctx);
      const entityRef = workspaceResourceRef(workspace);
      const check = async () => {
        const ownerRef = await assertMayUseWorkspace(options, caller, {
          workspace,
          action: 'register',
        });
        const component = await readComponent(
          options.catalog,
          caller,
          ctx.input.component,
        );
        assertServesOwnComponent(component, workspace, ownerRef);
        return { ownerRef, componentRef: component.ref };
      };
      if (ctx.isDryRun) {
        // A workspace not planned yet gets its owner from its plan: the component's.
        const planned = await options.runner.getWorkspaceOwner(workspace);
        const { ownerRef, componentRef } = planned
          ? await check()
          : await readComponent(
              options.catalog,
              caller,
              ctx.input.component,
            ).then(c => ({ ownerRef: c.ownerRef, componentRef: c.ref }));
        ctx.logger.info(
          `Dry run: would register ${entityRef}, owned by ${ownerRef}, a dependency of ${componentRef}`,
        );
        ctx.output('entityRef', entityRef);
        ctx.output('ownerRef', ownerRef);
        return;
      }
      const registered = await ctx.checkpoint({
        key: `terraform.resource.register.${workspace}`,
        fn: () =>
          auditChange(
            options.auditor,
            {
              eventId: 'terraform-resource-register',
              actor: caller.actor,
              target: workspaceTarget(workspace),
              taskId: caller.taskId,
              details: { entityRef },
            },
            () =>
              publishAndWait(options, caller, {
                check,
                entityRef,
                resource: { workspace, module, name, type, description },
              }),
          ),
      });
      ctx.logger.info(
        `Registered ${entityRef} in the catalogue, owned by ${registered.ownerRef}`,
      );
      ctx.output('entityRef', entityRef);
      ctx.output('ownerRef', registered.ownerRef);
    },
  });
}

/** Publishes the register event and waits until the catalogue shows the entity. */
async function publishAndWait(
  options: WorkspaceResourceActionOptions,
  caller: TaskCaller,
  request: {
    check: () => Promise<{ ownerRef: string; componentRef: string }>;
    entityRef: string;
    resource: Omit<WorkspaceResource, 'ownerRef' | 'componentRef'>;
  },
) {
  const { check, entityRef, resource } = request;
  const { ownerRef, componentRef } = await check();
  const event: WorkspaceResourceEvent = {
    action: 'register',
    resource: { ...resource, ownerRef, componentRef },
  };
  await options.events.publish({
    topic: WORKSPACE_RESOURCES_TOPIC,
    eventPayload: event,
  });
  await untilCatalogShows(options.catalog, caller, {
    entityRef,
    what: `${entityRef} owned by ${ownerRef}`,
    done: e =>
      e?.spec?.owner === ownerRef &&
      (e?.spec?.dependencyOf as string[] | undefined)?.[0] === componentRef,
  });
  return { ownerRef };
}
