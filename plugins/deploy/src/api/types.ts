/**
 * A GitHub Actions workflow run of a component's repository, as
 * `GET /api/deploy/runs` lists it.
 *
 * @public
 */
export interface WorkflowRun {
  id: number | string;
  name: string;
  /** queued, in_progress, completed... */
  status: string;
  /** success, failure, cancelled... once completed; null before. */
  conclusion: string | null;
  headSha: string;
  htmlUrl: string;
  createdAt: string;
}

/**
 * The runs of a component's repository, or why there are none to show
 * (`reason`, when the repository is on the local forge).
 *
 * @public
 */
export interface WorkflowRuns {
  runs: WorkflowRun[];
  reason?: string;
}

/**
 * One deployment of an image to a component's environment through Paved.
 *
 * @public
 */
export interface Deployment {
  id: string;
  entityRef: string;
  environment: string;
  image: string;
  status: 'succeeded' | 'failed' | (string & {});
  /** The workloads whose image was set, `Kind/name`. */
  workloads: string[];
  startedAt: string;
  finishedAt?: string;
  /** Who asked: a user entity ref, or the CI's principal. */
  actor?: string;
  /** Why it failed, when it did. */
  message?: string;
  /** The CI run that asked for it, when a workflow's token did. */
  run?: {
    repository: string;
    sha: string;
    runId: number | string;
    workflow: string;
  };
}
