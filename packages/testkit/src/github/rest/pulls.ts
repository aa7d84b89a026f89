/** Pull requests: list, read and open. */
import { docs, found, notSupplied, validationFailed } from '../responses';
import { git as runGit, revParse } from '../gitCli';
import { timestamp, userJson } from '../serialize';
import { RepoState } from '../state';
import { paginate } from './pagination';
import { repoBody } from './repoBody';
import { RepoRequest, RestReply, RestRequest, Route, repoRoute } from './route';
import { requireBody, requireStrings } from './validation';

function headBranchOf(head: string): { owner?: string; branch: string } {
  const colon = head.indexOf(':');
  return colon < 0
    ? { branch: head }
    : { owner: head.slice(0, colon), branch: head.slice(colon + 1) };
}

/** One side (head or base) of a pull request, at its branch's commit now. */
async function sideJson(
  repo: RepoState,
  side: { ref: string; sha: string },
  repoJson: unknown,
) {
  return {
    label: `${repo.owner}:${side.ref}`,
    ref: side.ref,
    sha: (await revParse(repo.gitDir, `refs/heads/${side.ref}`)) ?? side.sha,
    repo: repoJson,
  };
}

async function pullJson(req: RestRequest, repo: RepoState, pull: any) {
  const full = `${repo.owner}/${repo.name}`;
  const base = await repoBody(req, repo);
  return {
    url: `${req.urls.api}/repos/${full}/pulls/${pull.number}`,
    id: pull.id,
    node_id: Buffer.from(`PullRequest:${pull.id}`).toString('base64'),
    html_url: `${req.urls.web}/${full}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: pull.user,
    body: pull.body,
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    closed_at: null,
    merged_at: null,
    draft: pull.draft,
    head: await sideJson(repo, pull.head, base),
    base: await sideJson(repo, pull.base, base),
    merged: false,
    mergeable: null,
    maintainer_can_modify: Boolean(pull.maintainer_can_modify),
  };
}

/** A 422 of a pull request GitHub would not open, with its reason. */
function refused(message: string) {
  return validationFailed(docs.pulls, [
    { resource: 'PullRequest', code: 'custom', message },
  ]);
}

/**
 * The branches a new pull request joins, checked as GitHub checks them: both
 * exist, the head is ahead of the base, and no open pull request joins them.
 */
async function checkBranches(req: RepoRequest, body: Record<string, any>) {
  const { repo } = req;
  const head = headBranchOf(body.head);
  const headSha = await revParse(repo.gitDir, `refs/heads/${head.branch}`);
  const baseSha = await revParse(repo.gitDir, `refs/heads/${body.base}`);
  const errors: unknown[] = [];
  if (!baseSha) {
    errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
  }
  if (!headSha) {
    errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  }
  if (errors.length) throw validationFailed(docs.pulls, errors);
  const ahead = await runGit(repo.gitDir, [
    'rev-list',
    '--count',
    `${baseSha}..${headSha}`,
  ]);
  if (Number(ahead.toString().trim()) === 0) {
    throw refused(`No commits between ${body.base} and ${head.branch}`);
  }
  const open = repo.pulls.find(
    p =>
      p.state === 'open' &&
      p.head.ref === head.branch &&
      p.base.ref === body.base,
  );
  if (open) {
    throw refused(
      `A pull request already exists for ${repo.owner}:${head.branch}.`,
    );
  }
  return { head, headSha, baseSha };
}

/** Opens the pull request a POST asks for. */
async function openPull(req: RepoRequest): Promise<RestReply> {
  const { repo } = req;
  const body = requireBody(req, docs.pulls);
  requireStrings(body, ['head', 'base'], docs.pulls);
  if (typeof body.title !== 'string' && body.issue === undefined) {
    throw notSupplied('title', docs.pulls);
  }
  const { head, headSha, baseSha } = await checkBranches(req, body);
  const stamp = timestamp();
  const pull = {
    id: req.driver.newId(),
    number: repo.pulls.reduce((max, p) => Math.max(max, p.number), 0) + 1,
    state: 'open',
    title: body.title,
    body: body.body ?? null,
    draft: Boolean(body.draft),
    maintainer_can_modify: body.maintainer_can_modify,
    user: req.identity.user ? userJson(req.identity.user, req.urls) : null,
    head: { ref: head.branch, sha: headSha },
    base: { ref: body.base, sha: baseSha },
    created_at: stamp,
    updated_at: stamp,
  };
  repo.pulls.push(pull);
  const json = await pullJson(req, repo, pull);
  return { status: 201, body: json, headers: { location: json.url } };
}

/** The pull requests endpoints, in matching order. @internal */
export const pullRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    docs: docs.listPulls,
    permission: 'pull_requests=read',
    async handler(req) {
      const repo = req.repo;
      const state = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      const base = req.query.get('base');
      const matching = repo.pulls.filter(
        p =>
          (state === 'all' || p.state === state) &&
          (!head || `${repo.owner}:${p.head.ref}` === head) &&
          (!base || p.base.ref === base),
      );
      const { slice, headers } = paginate(req, matching);
      return {
        status: 200,
        body: await Promise.all(slice.map(p => pullJson(req, repo, p))),
        headers,
      };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    docs: docs.getPull,
    permission: 'pull_requests=read',
    async handler(req) {
      const repo = req.repo;
      const pull = found(
        repo.pulls.find(p => p.number === Number(req.params.pull_number)),
        docs.getPull,
      );
      return { status: 200, body: await pullJson(req, repo, pull) };
    },
  }),
  repoRoute({
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    docs: docs.pulls,
    permission: 'pull_requests=write',
    handler: openPull,
  }),
];
