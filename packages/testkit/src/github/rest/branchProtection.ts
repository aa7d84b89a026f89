/** Classic branch protection: read, replace and remove. */
import { docs, found, notFound, notSupplied } from '../responses';
import { revParse } from '../gitCli';
import { branchProtectionJson } from '../serialize';
import { RepoState } from '../state';
import { featureRoute } from './guards';
import { RestRequest, Route } from './route';
import { requireBody } from './validation';

const REQUIRED_FIELDS = [
  'required_status_checks',
  'enforce_admins',
  'required_pull_request_reviews',
  'restrictions',
];

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

/** 404 "Branch not found" for a branch the repository lacks. */
async function assertBranch(repo: RepoState, branch: string, doc: string) {
  found(
    await revParse(repo.gitDir, `refs/heads/${branch}`),
    doc,
    'Branch not found',
  );
}

/** The branch protection endpoints, in matching order. @internal */
export const branchProtectionRoutes: Route[] = [
  featureRoute('branchProtectionSupport', {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.getBranchProtection,
    permission: 'administration=read',
    async handler(req) {
      const { repo, params } = req;
      await assertBranch(repo, params.branch, docs.getBranchProtection);
      const body = found(
        repo.branchProtection.get(params.branch),
        docs.getBranchProtection,
        'Branch not protected',
      );
      return {
        status: 200,
        body: protectionBody(req, repo, params.branch, body),
      };
    },
  }),
  featureRoute('branchProtectionSupport', {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    permission: 'administration=write',
    async handler(req) {
      const { repo, params } = req;
      const body = requireBody(req, docs.branchProtection);
      for (const field of REQUIRED_FIELDS) {
        if (!(field in body)) throw notSupplied(field, docs.branchProtection);
      }
      await assertBranch(repo, params.branch, docs.branchProtection);
      repo.branchProtection.set(params.branch, structuredClone(body));
      return {
        status: 200,
        body: protectionBody(req, repo, params.branch, body),
      };
    },
  }),
  featureRoute('branchProtectionSupport', {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    permission: 'administration=write',
    handler(req) {
      if (!req.repo.branchProtection.delete(req.params.branch)) {
        throw notFound(docs.branchProtection, 'Branch not protected');
      }
      return { status: 204 };
    },
  }),
];
