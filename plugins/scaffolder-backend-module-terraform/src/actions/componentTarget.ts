import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TaskCaller } from './terraformActionOptions';

/** A component a workspace serves, as the catalogue knows it. */
export interface ComponentTarget {
  /** `component:default/<name>`. */
  ref: string;
  name: string;
  /** The component's owner, a group ref. */
  ownerRef: string;
}

/** The component named by an input (`orders-api` or `component:default/orders-api`), read from the catalogue. */
export async function readComponent(
  catalog: CatalogService,
  caller: TaskCaller,
  component: string,
): Promise<ComponentTarget> {
  let ref: string;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(component, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `component: expected a component entity ref such as component:default/orders-api, got ${JSON.stringify(
        component,
      )}`,
    );
  }
  if (!ref.startsWith('component:')) {
    throw new InputError(`component: expected a Component, got ${ref}`);
  }
  const entity = await catalog.getEntityByRef(ref, {
    credentials: caller.credentials,
  });
  const owner = entity?.spec?.owner;
  if (!entity || typeof owner !== 'string') {
    throw new InputError(
      `component: ${ref} is not in the catalogue${
        entity ? ' with an owner' : ''
      }`,
    );
  }
  const ownerRef = stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
  return { ref, name: entity.metadata.name, ownerRef };
}

/** A workspace serves only a component of the group that owns it. */
export function assertServesOwnComponent(
  component: ComponentTarget,
  workspace: string,
  workspaceOwner: string,
) {
  if (component.ownerRef !== workspaceOwner) {
    throw new NotAllowedError(
      `component: ${component.ref} is owned by ${component.ownerRef}, and terraform workspace ${workspace} by ${workspaceOwner}; a workspace serves only a component of the group that owns it`,
    );
  }
}

/** The name of the component an input names (`orders-api` or `component:default/orders-api`). */
export function componentName(component: string): string {
  try {
    const ref = parseEntityRef(component, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLowerCase() === 'component') return ref.name;
  } catch {
    // named below
  }
  throw new InputError(
    `component: expected a component name or ref such as component:default/orders-api, got ${JSON.stringify(
      component,
    )}`,
  );
}
