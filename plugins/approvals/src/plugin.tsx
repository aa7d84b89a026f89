import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import { approvalsApiRef, ApprovalsClient } from './api/ApprovalsApi';
import { rootRouteRef } from './routes';

const page = PageBlueprint.make({
  params: {
    path: '/approvals',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ApprovalsPage').then(m => <m.ApprovalsPage />),
  },
});

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: approvalsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ApprovalsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The approvals page at /approvals, with its nav item: Terraform plans
 * waiting for the signed-in person's team, with Approve and Reject.
 *
 * @public
 */
export const approvalsPlugin = createFrontendPlugin({
  pluginId: 'approvals',
  title: 'Approvals',
  icon: <CheckCircleOutlineIcon />,
  routes: { root: rootRouteRef },
  extensions: [page, api],
});
