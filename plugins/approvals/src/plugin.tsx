import {
  ApiBlueprint,
  AppRootElementBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import { approvalsApiRef, ApprovalsClient } from './api/ApprovalsApi';
import { TaskPageApprovals } from './components/TaskPageApprovals';
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

/** Approve and Reject on the scaffolder's task page, which has no slot for them. */
export const taskPageApprovals = AppRootElementBlueprint.make({
  name: 'task-page',
  params: { element: <TaskPageApprovals /> },
});

/**
 * The approvals page at /approvals, with its nav item: Terraform plans
 * waiting for the signed-in person's team, with Approve and Reject; and
 * the same decision on the scaffolder's task page of a waiting task.
 *
 * @public
 */
export const approvalsPlugin = createFrontendPlugin({
  pluginId: 'approvals',
  title: 'Approvals',
  icon: <CheckCircleOutlineIcon />,
  routes: { root: rootRouteRef },
  extensions: [page, api, taskPageApprovals],
});
