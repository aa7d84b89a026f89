/** The git data a repository shows over REST: commits, branches and refs. */
import { docs, notFound } from '../responses';
import { git as runGit, revParse } from '../gitCli';
import { timestamp } from '../serialize';
import { assertNotEmpty } from './guards';
import { Route } from './route';

/** The commits, branches and refs endpoints, in matching order. @internal */
export const gitRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    docs: docs.listCommits,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      await assertNotEmpty(repo, docs.listCommits);
      const ref = req.query.get('sha') ?? repo.defaultBranch;
      const perPage = Math.min(
        Number(req.query.get('per_page') ?? 30) || 30,
        100,
      );
      // One commit a line: sha, parents, tree, author, committer, subject.
      const out = await runGit(repo.gitDir, [
        'log',
        '--format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e',
        '-n',
        String(perPage),
        ref,
      ]).catch(() => undefined);
      if (!out) throw notFound(docs.listCommits);
      const full = `${repo.owner}/${repo.name}`;
      const api = `${req.urls.api}/repos/${full}`;
      const person = (name: string, email: string, date: string) => ({
        name,
        email,
        date: timestamp(date),
      });
      const body = out
        .toString()
        .split('\x1e')
        .map(record => record.replace(/^\n/, ''))
        .filter(Boolean)
        .map(record => {
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
            html_url: `${req.urls.web}/${full}/commit/${sha}`,
            // Users are not matched to commit emails here.
            author: null,
            committer: null,
            parents: parents
              .split(' ')
              .filter(Boolean)
              .map(p => ({ sha: p, url: `${api}/commits/${p}` })),
          };
        });
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}',
    docs: docs.branch,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const sha = await revParse(
        repo.gitDir,
        `refs/heads/${req.params.branch}`,
      );
      if (!sha) throw notFound(docs.branch, 'Branch not found');
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
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref+}',
    docs: docs.refs,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      await assertNotEmpty(repo, docs.refs);
      const ref = `refs/${req.params.ref}`;
      const sha = await revParse(repo.gitDir, ref);
      if (!sha) throw notFound(docs.refs);
      return {
        status: 200,
        body: {
          ref,
          node_id: Buffer.from(`Ref:${ref}`).toString('base64'),
          url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}`,
          object: {
            sha,
            type: 'commit',
            url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
          },
        },
      };
    },
  },
];
