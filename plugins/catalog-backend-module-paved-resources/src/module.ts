import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { WORKSPACE_RESOURCES_TOPIC } from '@paved/plugin-terraform-node';
import { WorkspaceResourceProvider } from './WorkspaceResourceProvider';

/**
 * Registers Terraform workspaces that serve a component as Resource
 * entities, from the events the paved:terraform:resource:* actions publish
 * on `paved.terraform.resources`.
 *
 * @public
 */
export const catalogModulePavedResources = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-resources',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        events: eventsServiceRef,
        logger: coreServices.logger,
      },
      async init({ catalog, events, logger }) {
        const provider = new WorkspaceResourceProvider({ logger });
        catalog.addEntityProvider(provider);
        // One subscriber id on every replica: the event bus hands each event
        // to one of them, and the publishing replica's own subscriber first.
        await events.subscribe({
          id: 'paved-terraform-workspaces',
          topics: [WORKSPACE_RESOURCES_TOPIC],
          onEvent: async ({ eventPayload }) => provider.handle(eventPayload),
        });
      },
    });
  },
});
