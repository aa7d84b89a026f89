/** The git data a repository shows over REST: commits, branches and refs. */
import { docs, found, notFound } from '../responses';
import { git as runGit, revParse } from '../gitCli';
import { Urls, timestamp } from '../serialize';
import { RepoState } from '../state';
import { assertNotEmpty } from './guards';
import { perPageOf } from './pagination';
import { Route, repoRoute } from './route';

// One commit a record: sha, parents, tree, author, committer, message.
const LOG_FORMAT =
  '--format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e';

function person(name: string, email: string, date: string) {
  return { name, email, date: timestamp(date) };
}

/** A commit of `git log` as `GET .../commits` lists it. */
function commitJson(record: string, repo: RepoState, urls: Urls) {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  const [sha, parents, tree, an, ae, ad, cn, ce, cd, message] =
    record.split('\x00');
  return {
    sha,
    node_id: Buffer.from(`Commit:${sha}`).toString('base64'),
    commit: {
      author: person(an, ae, ad),
      committer: person(cn, ce, cd),
      message: message.replace(/\n+$/, ''),
      tree: { sha: tree, url: `${api}/git/trees/${tree}` },
      url: `${api}/git/commits/${sha}`,
      comment_count: 0,
    },
    url: `${api}/commits/${sha}`,
    html_url: `${urls.web}/${full}/commit/${sha}`,
    // Users are not matched to commit emails here.
    author: null,
    committer: null,
    parents: parents
      .split(' ')
      .filter(Boolean)
      .map(p => ({ sha: p, url: `${api}/commits/${p}` })),
  };
}

/** The commits, branches and refs endpoints, in matching order. @internal */
export const gitRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    docs: docs.listCommits,
    permission: 'contents=read',
    async handler(req) {
      const repo = req.repo;
      await assertNotEmpty(repo, docs.listCommits);
      const ref = req.query.get('sha') ?? repo.defaultBranch;
      const out = await runGit(repo.gitDir, [
        'log',
        LOG_FORMAT,
        '-n',
        String(perPageOf(req)),
        ref,
      ]).catch(() => undefined);
      if (!out) throw notFound(docs.listCommits);
      const body = out
        .toString()
        .split('\x1e')
        .map(record => record.replace(/^\n/, ''))
        .filter(Boolean)
        .map(record => commitJson(record, repo, req.urls));
      return { status: 200, body };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}',
    docs: docs.branch,
    permission: 'contents=read',
    async handler(req) {
      const repo = req.repo;
      const sha = found(
        await revParse(repo.gitDir, `refs/heads/${req.params.branch}`),
        docs.branch,
        'Branch not found',
      );
      return {
        status: 200,
        body: {
          name: req.params.branch,
          commit: {
            sha,
            url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
          },
          protected: repo.branchProtection.has(req.params.branch),
        },
      };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref+}',
    docs: docs.refs,
    permission: 'contents=read',
    async handler(req) {
      const repo = req.repo;
      await assertNotEmpty(repo, docs.refs);
      const ref = `refs/${req.params.ref}`;
      const sha = found(await revParse(repo.gitDir, ref), docs.refs);
      const api = `${req.urls.api}/repos/${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          ref,
          node_id: Buffer.from(`Ref:${ref}`).toString('base64'),
          url: `${api}/git/${ref}`,
          object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
        },
      };
    },
  }),
];
