/** Workflow runs of a repository (GitHub Actions). */
import { docs } from '../responses';
import { Urls } from '../serialize';
import { RepoState, WorkflowRunState } from '../state';
import { listReply } from './pagination';
import { Route, repoRoute } from './route';

/** The statuses `status=` may name that are conclusions, not statuses. */
const CONCLUSIONS = new Set([
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
]);

/** A run as `GET /repos/{o}/{r}/actions/runs` lists it. */
function runJson(run: WorkflowRunState, repo: RepoState, urls: Urls) {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}/actions/runs/${run.id}`;
  const repository = {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: { login: repo.owner, type: repo.ownerType },
    html_url: `${urls.web}/${full}`,
    url: `${urls.api}/repos/${full}`,
  };
  return {
    id: run.id,
    name: run.name,
    node_id: Buffer.from(`WorkflowRun:${run.id}`).toString('base64'),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.name,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: repo.id * 10 + 1,
    url: api,
    html_url: `${urls.web}/${full}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_attempt: 1,
    run_started_at: run.createdAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    workflow_url: `${urls.api}/repos/${full}/actions/workflows/${
      repo.id * 10 + 1
    }`,
    head_commit: { id: run.headSha, tree_id: run.headSha },
    repository,
    head_repository: repository,
  };
}

/** Whether a run passes the list's filters. */
function matches(run: WorkflowRunState, query: URLSearchParams): boolean {
  const status = query.get('status');
  if (status) {
    const ok = CONCLUSIONS.has(status)
      ? run.conclusion === status
      : run.status === status;
    if (!ok) return false;
  }
  const branch = query.get('branch');
  if (branch && run.headBranch !== branch) return false;
  const event = query.get('event');
  if (event && run.event !== event) return false;
  const sha = query.get('head_sha');
  return !sha || run.headSha === sha;
}

/** The workflow run endpoints. @internal */
export const actionsRunRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs',
    docs: docs.listWorkflowRuns,
    permission: 'actions=read',
    handler(req) {
      // Newest first, as GitHub lists them.
      const runs = req.repo.workflowRuns
        .filter(run => matches(run, req.query))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
        .map(run => runJson(run, req.repo, req.urls));
      return listReply(req, runs, { key: 'workflow_runs' });
    },
  }),
];
