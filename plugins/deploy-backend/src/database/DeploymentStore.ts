/**
 * The GitHub Actions run a deployment came from, as its OIDC token named it.
 *
 * @public
 */
export interface DeploymentRun {
  repository: string;
  sha: string;
  runId: string;
  workflow: string;
}

/**
 * One deployment, as `/api/deploy/deployments` answers it.
 *
 * @public
 */
export interface Deployment {
  id: string;
  entityRef: string;
  environment: string;
  image: string;
  status: 'succeeded' | 'failed';
  /** The workloads whose image was set, as Kind/name. */
  workloads: string[];
  startedAt: string;
  finishedAt: string;
  /** Who deployed: a user entity ref, or the external subject of a CI token. */
  actor: string;
  /** Why the rollout failed. */
  message?: string;
  run?: DeploymentRun;
}

/** Where deployments are kept. */
export interface DeploymentStore {
  add(deployment: Deployment): Promise<void>;
  /** The entity's deployments, newest first. */
  list(filter: { entityRef: string; limit: number }): Promise<Deployment[]>;
}
