/** Classic branch protection: read, replace and remove. */
import { docs, notFound, notSupplied } from '../responses';
import { revParse } from '../gitCli';
import { branchProtectionJson } from '../serialize';
import { RepoState } from '../state';
import { assertFeature } from './guards';
import { RestRequest, Route } from './route';
import { requireBody } from './validation';

/** The protection a branch has, at its URL. */
function protectionBody(
  req: RestRequest,
  repo: RepoState,
  branch: string,
  body: Record<string, any>,
) {
  return branchProtectionJson(
    body,
    `${req.urls.api}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`,
  );
}

/** The branch protection endpoints, in matching order. @internal */
export const branchProtectionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.getBranchProtection,
    scopes: ['repo'],
    permission: 'administration=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      assertFeature(
        req.driver.branchProtectionSupport,
        repo,
        docs.getBranchProtection,
      );
      const branch = req.params.branch;
      if (!(await revParse(repo.gitDir, `refs/heads/${branch}`))) {
        throw notFound(docs.getBranchProtection, 'Branch not found');
      }
      const body = repo.branchProtection.get(branch);
      if (!body)
        throw notFound(docs.getBranchProtection, 'Branch not protected');
      return { status: 200, body: protectionBody(req, repo, branch, body) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      assertFeature(
        req.driver.branchProtectionSupport,
        repo,
        docs.branchProtection,
      );
      const body = requireBody(req, docs.branchProtection);
      for (const field of [
        'required_status_checks',
        'enforce_admins',
        'required_pull_request_reviews',
        'restrictions',
      ]) {
        if (!(field in body)) throw notSupplied(field, docs.branchProtection);
      }
      const branch = req.params.branch;
      if (!(await revParse(repo.gitDir, `refs/heads/${branch}`))) {
        throw notFound(docs.branchProtection, 'Branch not found');
      }
      repo.branchProtection.set(branch, structuredClone(body));
      return { status: 200, body: protectionBody(req, repo, branch, body) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      assertFeature(
        req.driver.branchProtectionSupport,
        req.repo!,
        docs.branchProtection,
      );
      if (!req.repo!.branchProtection.delete(req.params.branch)) {
        throw notFound(docs.branchProtection, 'Branch not protected');
      }
      return { status: 204 };
    },
  },
];
