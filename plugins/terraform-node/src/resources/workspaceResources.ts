import type { Entity } from '@backstage/catalog-model';

/**
 * The events topic on which the scaffolder's actions tell the catalogue
 * that a Terraform workspace serving a component is to be registered as a
 * `Resource` entity, or unregistered (`@paved/plugin-catalog-backend-module-paved-resources`).
 *
 * @public
 */
export const WORKSPACE_RESOURCES_TOPIC = 'paved.terraform.resources';

/**
 * The annotation naming a Resource entity's Terraform workspace.
 *
 * @public
 */
export const WORKSPACE_ANNOTATION = 'paved.dev/terraform-workspace';

/**
 * The annotation naming the vetted module a workspace was made from.
 *
 * @public
 */
export const MODULE_ANNOTATION = 'paved.dev/terraform-module';

/**
 * The annotation holding the module's `name` variable, which a destroy
 * plan passes again.
 *
 * @public
 */
export const NAME_ANNOTATION = 'paved.dev/terraform-name';

/**
 * A Terraform workspace as the catalogue shows it: one Resource entity,
 * named after the workspace, owned by the group recorded as the workspace's
 * owner, a dependency of the component it serves. It holds no connection
 * details: those live in the component's namespace as a Secret.
 *
 * @public
 */
export interface WorkspaceResource {
  workspace: string;
  module: string;
  /** The Resource's `spec.type`: `database`, `bucket`, `cache`... */
  type: string;
  /** Group entity ref. */
  ownerRef: string;
  /** Component entity ref. */
  componentRef: string;
  /** The module's `name` variable. */
  name: string;
  description?: string;
}

/**
 * An event of {@link WORKSPACE_RESOURCES_TOPIC}: register (or update) a
 * workspace's Resource, or remove it.
 *
 * @public
 */
export type WorkspaceResourceEvent =
  | { action: 'register'; resource: WorkspaceResource }
  | { action: 'unregister'; workspace: string };

/**
 * The location key of a workspace's Resource, in the catalogue's entity
 * provider; also its `backstage.io/managed-by-location` target.
 *
 * @public
 */
export function workspaceLocationKey(workspace: string): string {
  return `paved-terraform-workspace:${workspace}`;
}

/**
 * The Resource entity of a workspace.
 *
 * @public
 */
export function workspaceResourceEntity(resource: WorkspaceResource): Entity {
  const location = workspaceLocationKey(resource.workspace);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: resource.workspace,
      namespace: 'default',
      ...(resource.description && { description: resource.description }),
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
        [WORKSPACE_ANNOTATION]: resource.workspace,
        [MODULE_ANNOTATION]: resource.module,
        [NAME_ANNOTATION]: resource.name,
      },
      tags: ['terraform'],
    },
    spec: {
      type: resource.type,
      owner: resource.ownerRef,
      dependencyOf: [resource.componentRef],
    },
  };
}

/**
 * The entity ref of a workspace's Resource.
 *
 * @public
 */
export function workspaceResourceRef(workspace: string): string {
  return `resource:default/${workspace}`;
}
