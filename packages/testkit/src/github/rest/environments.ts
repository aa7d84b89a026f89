/** Deployment environments with their protection rules. */
import { docs, found, notFound, validationFailed } from '../responses';
import { environmentJson, teamJson, timestamp, userJson } from '../serialize';
import { EnvironmentState, RepoState } from '../state';
import { listReply } from './pagination';
import { RepoRequest, RestRequest, Route, repoRoute } from './route';

type Reviewer = EnvironmentState['reviewers'][number];

const MAX_WAIT_TIMER = 43200;
const MAX_REVIEWERS = 6;

/** An environment with its reviewers as users and teams. */
function environmentBody(
  req: RestRequest,
  repo: RepoState,
  env: EnvironmentState,
) {
  return environmentJson(env, repo, req.urls, r => {
    if (r.type === 'Team') {
      const org = req.driver.orgs.get(repo.owner.toLowerCase())!;
      const team = [...org.teams.values()].find(t => t.id === r.id)!;
      return teamJson(team, org, req.urls);
    }
    const user = [...req.driver.users.values()].find(u => u.id === r.id)!;
    return userJson(user, req.urls);
  });
}

/** One of the 422 `errors` of an environment's field. */
function fieldError(field: string, message: string) {
  return { resource: 'Environment', field, code: 'invalid', message };
}

/** Whether a reviewer names a team of the owner or a user the server knows. */
function reviewerExists(req: RepoRequest, r: any): boolean {
  if (r?.type === 'Team') {
    const org = req.driver.orgs.get(req.repo.owner.toLowerCase());
    return [...(org?.teams.values() ?? [])].some(t => t.id === r.id);
  }
  if (r?.type === 'User') {
    return [...req.driver.users.values()].some(u => u.id === r.id);
  }
  return false;
}

/** The wait timer and reviewers of a PUT body, or 422 with every error. */
function validateEnvironment(req: RepoRequest, body: Record<string, any>) {
  const errors: unknown[] = [];
  const waitTimer = body.wait_timer ?? 0;
  if (
    !Number.isInteger(waitTimer) ||
    waitTimer < 0 ||
    waitTimer > MAX_WAIT_TIMER
  ) {
    errors.push(
      fieldError(
        'wait_timer',
        'wait_timer must be an integer between 0 and 43200',
      ),
    );
  }
  const reviewers: Reviewer[] = [];
  for (const r of body.reviewers ?? []) {
    if (!reviewerExists(req, r)) {
      errors.push(
        fieldError('reviewers', `Reviewer ${r?.type} ${r?.id} does not exist`),
      );
    } else {
      reviewers.push({ type: r.type, id: r.id });
    }
  }
  if (reviewers.length > MAX_REVIEWERS) {
    errors.push(
      fieldError('reviewers', 'An environment can have at most 6 reviewers'),
    );
  }
  if (errors.length) throw validationFailed(docs.environments, errors);
  return { waitTimer, reviewers };
}

/** 422 for protection rules on a private repository whose plan lacks them. */
function assertProtectionOnPlan(
  req: RepoRequest,
  waitTimer: number,
  reviewers: Reviewer[],
) {
  if (
    req.driver.environmentProtectionSupport === 'upgrade-required' &&
    req.repo.private &&
    (waitTimer > 0 || reviewers.length > 0)
  ) {
    throw validationFailed(docs.environments, [
      {
        resource: 'Environment',
        code: 'custom',
        message:
          'Failed to create the environment protection rule. Please ensure the billing plan includes the required protection rules for private repositories.',
      },
    ]);
  }
}

/** Creates or replaces the environment a PUT names, keeping its ids. */
function putEnvironment(req: RepoRequest): EnvironmentState {
  const { repo } = req;
  const body = req.body ?? {};
  const name = req.params.environment_name;
  const { waitTimer, reviewers } = validateEnvironment(req, body);
  assertProtectionOnPlan(req, waitTimer, reviewers);
  const existing = repo.environments.get(name);
  const stamp = timestamp();
  const env = {
    id: existing?.id ?? req.driver.newId(),
    name,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
    wait_timer: waitTimer,
    prevent_self_review: Boolean(body.prevent_self_review),
    reviewers,
    deployment_branch_policy: body.deployment_branch_policy ?? null,
    ruleIds: existing?.ruleIds ?? {
      waitTimer: req.driver.newId(),
      reviewers: req.driver.newId(),
      branchPolicy: req.driver.newId(),
    },
  };
  repo.environments.set(name, env);
  return env;
}

/** The environments endpoints, in matching order. @internal */
export const environmentRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    docs: docs.listEnvironments,
    permission: 'actions=read',
    handler(req) {
      const repo = req.repo;
      return listReply(
        req,
        [...repo.environments.values()].map(env =>
          environmentBody(req, repo, env),
        ),
        { key: 'environments' },
      );
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.getEnvironment,
    permission: 'actions=read',
    handler(req) {
      const env = found(
        req.repo.environments.get(req.params.environment_name),
        docs.getEnvironment,
      );
      return { status: 200, body: environmentBody(req, req.repo, env) };
    },
  }),
  repoRoute({
    method: 'PUT',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    permission: 'administration=write',
    handler(req) {
      const env = putEnvironment(req);
      return { status: 200, body: environmentBody(req, req.repo, env) };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    permission: 'administration=write',
    handler(req) {
      if (!req.repo.environments.delete(req.params.environment_name)) {
        throw notFound(docs.environments);
      }
      return { status: 204 };
    },
  }),
];
