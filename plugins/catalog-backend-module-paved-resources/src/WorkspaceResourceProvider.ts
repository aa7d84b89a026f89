import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  WorkspaceResourceEvent,
  workspaceLocationKey,
  workspaceResourceEntity,
  workspaceResourceRef,
} from '@paved/plugin-terraform-node';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REF = /^(component|group):[a-z0-9-]+\/[a-z0-9][a-z0-9-_.]*$/;

/**
 * Terraform workspaces that serve a component, as Resource entities: an
 * entity provider that applies one delta mutation per event. Its entities
 * persist in the catalogue across restarts (it never sends a full
 * mutation, which would replace them), and a repeated event converges on
 * the same entity.
 */
export class WorkspaceResourceProvider implements EntityProvider {
  readonly #logger: LoggerService;
  #connection?: EntityProviderConnection;

  constructor(options: { logger: LoggerService }) {
    this.#logger = options.logger;
  }

  getProviderName(): string {
    return 'paved-terraform-workspaces';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
  }

  /** Registers or removes a workspace's Resource; a malformed event is refused, naming the field. */
  async handle(event: unknown): Promise<void> {
    const connection = this.#connection;
    if (!connection) {
      throw new Error(
        'the catalogue has not connected the paved-terraform-workspaces provider yet',
      );
    }
    const parsed = parseEvent(event);
    if (parsed.action === 'register') {
      const { resource } = parsed;
      await connection.applyMutation({
        type: 'delta',
        added: [
          {
            entity: workspaceResourceEntity(resource),
            locationKey: workspaceLocationKey(resource.workspace),
          },
        ],
        removed: [],
      });
      this.#logger.info('Registered the Resource of a Terraform workspace', {
        workspace: resource.workspace,
        component: resource.componentRef,
        owner: resource.ownerRef,
      });
      return;
    }
    await connection.applyMutation({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: workspaceResourceRef(parsed.workspace),
          locationKey: workspaceLocationKey(parsed.workspace),
        },
      ],
    });
    this.#logger.info('Unregistered the Resource of a Terraform workspace', {
      workspace: parsed.workspace,
    });
  }
}

function field(value: unknown, name: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new Error(
      `${name}: expected a value matching ${pattern}, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/** The event, checked: only well-formed names and refs reach the catalogue. */
export function parseEvent(event: unknown): WorkspaceResourceEvent {
  const e = (event ?? {}) as Record<string, any>;
  if (e.action === 'unregister') {
    return {
      action: 'unregister',
      workspace: field(e.workspace, 'workspace', NAME),
    };
  }
  if (e.action !== 'register') {
    throw new Error(
      `action: expected "register" or "unregister", got ${JSON.stringify(
        e.action,
      )}`,
    );
  }
  const r = (e.resource ?? {}) as Record<string, unknown>;
  return {
    action: 'register',
    resource: {
      workspace: field(r.workspace, 'resource.workspace', NAME),
      module: field(r.module, 'resource.module', NAME),
      name: field(r.name, 'resource.name', NAME),
      type: field(r.type, 'resource.type', NAME),
      ownerRef: field(r.ownerRef, 'resource.ownerRef', REF),
      componentRef: field(r.componentRef, 'resource.componentRef', REF),
      ...(typeof r.description === 'string' && {
        description: r.description.slice(0, 500),
      }),
    },
  };
}
