/** A repository as GitHub answers it, seen by the caller. */
import { listBranches } from '../gitCli';
import { orgOwnerJson, repoJson, userJson } from '../serialize';
import { RepoState } from '../state';
import { RestRequest } from './route';

export function ownerJsonOf(req: RestRequest, repo: RepoState) {
  const org = req.driver.orgs.get(repo.owner.toLowerCase());
  if (org) return orgOwnerJson(org, req.urls);
  return userJson(req.driver.addUser(repo.owner), req.urls);
}

/** The role the caller has on a repository, for `permissions`. */
export function callerRole(req: RestRequest, repo: RepoState): string {
  if (req.identity.kind !== 'token') return 'admin';
  return repo.collaborators.get(req.identity.login ?? '') ?? 'admin';
}

export async function repoBody(req: RestRequest, repo: RepoState) {
  const branches = await listBranches(repo.gitDir);
  return repoJson(
    repo,
    req.urls,
    ownerJsonOf(req, repo),
    callerRole(req, repo),
    { size: branches.size > 0 ? 1 : 0 },
  );
}
