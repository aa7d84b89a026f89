/**
 * The entity page's Delivery tab: a component's deployments through Paved
 * and its repository's CI runs.
 *
 * @packageDocumentation
 */

export { deployPlugin as default } from './plugin';
export { deployApiRef, DeployClient } from './api/DeployApi';
export type { DeployApi } from './api/DeployApi';
export type { Deployment, WorkflowRun, WorkflowRuns } from './api/types';
export {
  isDeliveryAvailable,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from './isDeliveryAvailable';
