/** Repository contents: read a file, and create or update one in a commit. */
import { GitHubHttpError, docs, notFound, notSupplied } from '../responses';
import {
  commitFiles,
  listBranches,
  readBlob,
  revParse,
  setDefaultBranch,
} from '../gitCli';
import { fileJson, timestamp } from '../serialize';
import { workflowAllowed } from './identity';
import { Route } from './route';
import { requireBody } from './validation';

/** The contents endpoints, in matching order. @internal */
export const contentsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.getContents,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const branches = await listBranches(repo.gitDir);
      if (branches.size === 0) {
        throw notFound(docs.getContents, 'This repository is empty.');
      }
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const filePath = req.params.path.replace(/^\/+|\/+$/g, '');
      const blob = await readBlob(repo.gitDir, ref, filePath);
      if (!blob) throw notFound(docs.getContents);
      // application/vnd.github.raw(+json), as Backstage's GitHub UrlReader asks.
      if (
        /application\/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept))
      ) {
        return {
          status: 200,
          body: blob.content,
          headers: {
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'x-github-media-type': 'github.v3; param=raw',
            etag: `"${blob.sha}"`,
          },
        };
      }
      return {
        status: 200,
        body: fileJson(repo, req.urls, filePath, blob, ref),
      };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.contents,
    scopes: ['repo'],
    permission: 'contents=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.contents);
      if (typeof body.message !== 'string') {
        throw notSupplied('message', docs.contents);
      }
      if (typeof body.content !== 'string') {
        throw notSupplied('content', docs.contents);
      }
      const filePath = req.params.path.replace(/^\/+|\/+$/g, '');
      if (filePath.startsWith('.github/workflows/') && !workflowAllowed(req)) {
        throw notFound(docs.contents);
      }
      const branch = body.branch ?? repo.defaultBranch;
      const branchSha = await revParse(repo.gitDir, `refs/heads/${branch}`);
      const branches = await listBranches(repo.gitDir);
      if (!branchSha && branches.size > 0) {
        throw notFound(docs.contents, `Branch ${branch} not found`);
      }
      const existing = branchSha
        ? await readBlob(repo.gitDir, branch, filePath)
        : undefined;
      if (existing && body.sha === undefined) {
        throw notSupplied('sha', docs.contents);
      }
      if (existing && body.sha !== existing.sha) {
        throw new GitHubHttpError(
          409,
          `${filePath} does not match ${body.sha}`,
          docs.contents,
        );
      }
      if (req.driver.branchRules(repo, branch).pullRequest) {
        throw new GitHubHttpError(
          409,
          'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
          docs.contents,
        );
      }
      const content = Buffer.from(body.content, 'base64');
      // The author and committer given, else the caller (GitHub's default).
      const caller = {
        name: req.identity.login ?? 'GitHub',
        email: req.identity.login
          ? `${req.identity.id}+${req.identity.login}@users.noreply.github.com`
          : 'noreply@github.com',
      };
      const identity = (p: any) =>
        p && typeof p.name === 'string' && typeof p.email === 'string'
          ? { name: p.name, email: p.email }
          : undefined;
      const committer = identity(body.committer) ?? caller;
      const { commit, tree } = await commitFiles(repo.gitDir, {
        branch,
        files: { [filePath]: content },
        message: body.message,
        author: identity(body.author) ?? committer,
        committer,
      });
      if (branches.size === 0 && branch !== repo.defaultBranch) {
        await setDefaultBranch(repo, branch);
      }
      repo.pushedAt = timestamp();
      const blob = (await readBlob(repo.gitDir, commit, filePath))!;
      const full = `${repo.owner}/${repo.name}`;
      return {
        status: existing ? 200 : 201,
        body: {
          content: fileJson(repo, req.urls, filePath, blob, branch, false),
          commit: {
            sha: commit,
            node_id: Buffer.from(`Commit:${commit}`).toString('base64'),
            url: `${req.urls.api}/repos/${full}/git/commits/${commit}`,
            html_url: `${req.urls.web}/${full}/commit/${commit}`,
            message: body.message,
            tree: {
              sha: tree,
              url: `${req.urls.api}/repos/${full}/git/trees/${tree}`,
            },
            parents: branchSha ? [{ sha: branchSha }] : [],
          },
        },
      };
    },
  },
];
