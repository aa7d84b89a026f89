import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The approvals page. */
export const rootRouteRef = createRouteRef();
