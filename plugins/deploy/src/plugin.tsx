import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { deployApiRef, DeployClient } from './api/DeployApi';
import { isDeliveryAvailable } from './isDeliveryAvailable';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deployApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeployClient({ discoveryApi, fetchApi }),
    }),
});

/** The Delivery tab: `entity-content:deploy/delivery`. */
export const deliveryEntityContent = EntityContentBlueprint.make({
  name: 'delivery',
  params: {
    path: '/delivery',
    title: 'Delivery',
    group: 'deployment',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/DeliveryContent').then(m => <m.DeliveryContent />),
  },
});

/**
 * The entity page's Delivery tab for a Component with a repository: its
 * deployments through Paved and its repository's CI runs, from the deploy
 * backend (`/api/deploy`).
 *
 * @public
 */
export const deployPlugin = createFrontendPlugin({
  pluginId: 'deploy',
  title: 'Delivery',
  extensions: [api, deliveryEntityContent],
});
