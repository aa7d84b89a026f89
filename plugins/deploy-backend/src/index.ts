/**
 * Deploys from CI without a stored secret, and a component's deployments
 * and CI runs (`/api/deploy`).
 *
 * @packageDocumentation
 */

export { deployPlugin as default } from './plugin';
export type { Deployment, DeploymentRun } from './database/DeploymentStore';
