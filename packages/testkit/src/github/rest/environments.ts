/** Deployment environments with their protection rules. */
import { docs, notFound, validationFailed } from '../responses';
import { environmentJson, teamJson, timestamp, userJson } from '../serialize';
import { EnvironmentState, RepoState } from '../state';
import { listReply } from './pagination';
import { RestRequest, Route } from './route';

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

/** The environments endpoints, in matching order. @internal */
export const environmentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    docs: docs.listEnvironments,
    scopes: ['repo'],
    permission: 'actions=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      return listReply(
        req,
        [...repo.environments.values()].map(env =>
          environmentBody(req, repo, env),
        ),
        { key: 'environments' },
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.getEnvironment,
    scopes: ['repo'],
    permission: 'actions=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const env = repo.environments.get(req.params.environment_name);
      if (!env) throw notFound(docs.getEnvironment);
      return { status: 200, body: environmentBody(req, repo, env) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const body = req.body ?? {};
      const name = req.params.environment_name;
      const errors: unknown[] = [];
      const waitTimer = body.wait_timer ?? 0;
      if (!Number.isInteger(waitTimer) || waitTimer < 0 || waitTimer > 43200) {
        errors.push({
          resource: 'Environment',
          field: 'wait_timer',
          code: 'invalid',
          message: 'wait_timer must be an integer between 0 and 43200',
        });
      }
      const reviewers: Array<{ type: 'User' | 'Team'; id: number }> = [];
      for (const r of body.reviewers ?? []) {
        const org = req.driver.orgs.get(repo.owner.toLowerCase());
        let known = false;
        if (r?.type === 'Team') {
          known = [...(org?.teams.values() ?? [])].some(t => t.id === r.id);
        } else if (r?.type === 'User') {
          known = [...req.driver.users.values()].some(u => u.id === r.id);
        }
        if (!known) {
          errors.push({
            resource: 'Environment',
            field: 'reviewers',
            code: 'invalid',
            message: `Reviewer ${r?.type} ${r?.id} does not exist`,
          });
        } else {
          reviewers.push({ type: r.type, id: r.id });
        }
      }
      if (reviewers.length > 6) {
        errors.push({
          resource: 'Environment',
          field: 'reviewers',
          code: 'invalid',
          message: 'An environment can have at most 6 reviewers',
        });
      }
      if (errors.length) throw validationFailed(docs.environments, errors);
      if (
        req.driver.environmentProtectionSupport === 'upgrade-required' &&
        repo.private &&
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
      return { status: 200, body: environmentBody(req, repo, env) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      if (!req.repo!.environments.delete(req.params.environment_name)) {
        throw notFound(docs.environments);
      }
      return { status: 204 };
    },
  },
];
