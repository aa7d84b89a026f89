/**
 * What handlers check before they act, answered as GitHub does: the
 * organisation and team named, the plan's features, a repository with commits.
 */
import { GitHubHttpError, UPGRADE_MESSAGE, docs, notFound } from '../responses';
import { listBranches } from '../gitCli';
import { OrgState, RepoState, TeamState } from '../state';
import { RepoRouteSpec, RestRequest, Route, repoRoute } from './route';

/** The team of the request's organisation, or 404. */
export function teamOf(req: RestRequest, slug: string): TeamState {
  const team = req.org?.teams.get(slug.toLowerCase());
  if (!team) throw notFound(docs.teams);
  return team;
}

/** The organisation named, or 404. */
export function orgOf(req: RestRequest, login: string, doc: string): OrgState {
  const org = req.driver.orgs.get(login.toLowerCase());
  if (!org) throw notFound(doc);
  return org;
}

/** GitHub's 409 for what needs a commit, on a repository without any. */
export async function assertNotEmpty(repo: RepoState, doc: string) {
  const branches = await listBranches(repo.gitDir);
  if (branches.size === 0) {
    throw new GitHubHttpError(409, 'Git Repository is empty.', doc);
  }
}

/** 404 when the server lacks the feature, 403 when a private repository's plan does. */
export function assertFeature(
  support: 'available' | 'upgrade-required' | 'not-found',
  repo: RepoState,
  doc: string,
) {
  if (support === 'not-found') throw notFound(doc);
  if (support === 'upgrade-required' && repo.private) {
    throw new GitHubHttpError(403, UPGRADE_MESSAGE, doc);
  }
}

/**
 * A repository route of a feature the plan may lack (rulesets, branch
 * protection): answered as `assertFeature` says before its handler runs.
 */
export function featureRoute(
  feature: 'rulesetSupport' | 'branchProtectionSupport',
  spec: RepoRouteSpec,
): Route {
  return repoRoute({
    ...spec,
    handler(req) {
      assertFeature(req.driver[feature], req.repo, spec.docs);
      return spec.handler(req);
    },
  });
}
