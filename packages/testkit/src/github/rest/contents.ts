/** Repository contents: read a file, and create or update one in a commit. */
import {
  GitHubHttpError,
  docs,
  found,
  notFound,
  notSupplied,
} from '../responses';
import {
  commitFiles,
  listBranches,
  readBlob,
  revParse,
  setDefaultBranch,
} from '../gitCli';
import { fileJson, timestamp } from '../serialize';
import { workflowAllowed } from './identity';
import { RepoRequest, RestReply, Route, repoRoute } from './route';
import { requireBody, requireStrings } from './validation';

// application/vnd.github.raw(+json), as Backstage's GitHub UrlReader asks.
const RAW_MEDIA_TYPE = /application\/vnd\.github(\.v3)?\.raw/;

/** The `{path+}` of the request, without leading or trailing slashes. */
function filePathOf(req: RepoRequest): string {
  return req.params.path.replace(/^\/+|\/+$/g, '');
}

/** The raw bytes of a file, as GitHub answers the raw media type. */
function rawReply(blob: { sha: string; content: Buffer }): RestReply {
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

/**
 * What a PUT would change, checked as GitHub checks it: the body, workflow
 * files, the branch, the `sha` of a file it replaces, and rulesets.
 */
async function checkPut(req: RepoRequest) {
  const { repo } = req;
  const body = requireBody(req, docs.contents);
  requireStrings(body, ['message', 'content'], docs.contents);
  const filePath = filePathOf(req);
  if (filePath.startsWith('.github/workflows/') && !workflowAllowed(req)) {
    throw notFound(docs.contents);
  }
  const branch: string = body.branch ?? repo.defaultBranch;
  const branchSha = await revParse(repo.gitDir, `refs/heads/${branch}`);
  const empty = (await listBranches(repo.gitDir)).size === 0;
  if (!branchSha && !empty) {
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
  return { body, filePath, branch, branchSha, empty, existing };
}

/** The author and committer given, else the caller (GitHub's default). */
function peopleOf(req: RepoRequest, body: Record<string, any>) {
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
  return { author: identity(body.author) ?? committer, committer };
}

/** Commits the file a PUT sends, and answers the file and the commit. */
async function putContents(req: RepoRequest): Promise<RestReply> {
  const { repo, urls } = req;
  const { body, filePath, branch, branchSha, empty, existing } = await checkPut(
    req,
  );
  const { commit, tree } = await commitFiles(repo.gitDir, {
    branch,
    files: { [filePath]: Buffer.from(body.content, 'base64') },
    message: body.message,
    ...peopleOf(req, body),
  });
  if (empty && branch !== repo.defaultBranch) {
    await setDefaultBranch(repo, branch);
  }
  repo.pushedAt = timestamp();
  const blob = (await readBlob(repo.gitDir, commit, filePath))!;
  const full = `${repo.owner}/${repo.name}`;
  return {
    status: existing ? 200 : 201,
    body: {
      content: fileJson(repo, urls, filePath, blob, branch, false),
      commit: {
        sha: commit,
        node_id: Buffer.from(`Commit:${commit}`).toString('base64'),
        url: `${urls.api}/repos/${full}/git/commits/${commit}`,
        html_url: `${urls.web}/${full}/commit/${commit}`,
        message: body.message,
        tree: { sha: tree, url: `${urls.api}/repos/${full}/git/trees/${tree}` },
        parents: branchSha ? [{ sha: branchSha }] : [],
      },
    },
  };
}

/** The contents endpoints, in matching order. @internal */
export const contentsRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.getContents,
    permission: 'contents=read',
    async handler(req) {
      const repo = req.repo;
      const branches = await listBranches(repo.gitDir);
      if (branches.size === 0) {
        throw notFound(docs.getContents, 'This repository is empty.');
      }
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const filePath = filePathOf(req);
      const blob = found(
        await readBlob(repo.gitDir, ref, filePath),
        docs.getContents,
      );
      if (RAW_MEDIA_TYPE.test(String(req.headers.accept))) {
        return rawReply(blob);
      }
      return {
        status: 200,
        body: fileJson(repo, req.urls, filePath, blob, ref),
      };
    },
  }),
  repoRoute({
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.contents,
    permission: 'contents=write',
    handler: putContents,
  }),
];
