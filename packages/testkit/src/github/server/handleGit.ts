/**
 * Git over smart HTTP: who may fetch and push, the refs rulesets protect
 * (enforced by the repository's hooks), and what a push changes on the
 * repository (its default branch, `pushed_at`), through `git http-backend`.
 */
import http from 'node:http';
import path from 'node:path';
import { GitHubTestDriver } from '../GitHubTestDriver';
import { GitHubTestRequest } from '../GitHubTestServer';
import { readBody, runGitHttpBackend } from '../gitHttpBackend';
import { listBranches, setDefaultBranch } from '../gitCli';
import { GitHubHttpError } from '../responses';
import { Identity, workflowAllowed } from '../rest';
import { timestamp } from '../serialize';
import { RepoState } from '../state';
import { credentialFrom, hasPermission, hasScope, identify } from './auth';
import { ServerContext } from './context';

const CHALLENGE = { 'www-authenticate': 'Basic realm="GitHub"' };

type Answer = { status: number; message: string; headers?: object };

/** The caller, or the 401 git clients get for a missing or bad credential. */
function gitIdentity(
  driver: GitHubTestDriver,
  req: http.IncomingMessage,
): Identity | Answer {
  const credential = credentialFrom(req.headers.authorization);
  if (!credential) return { status: 401, message: '', headers: CHALLENGE };
  const identity = identify(driver, credential.value);
  if (identity instanceof GitHubHttpError || identity.kind === 'app') {
    return {
      status: 401,
      message:
        'Invalid username or token. Password authentication is not supported for Git operations.\n',
      headers: CHALLENGE,
    };
  }
  return identity;
}

/**
 * The repository, or what git answers: 404 when it is missing, hidden from
 * the installation or not readable; 403 for a push without write access.
 */
function gitRepo(
  driver: GitHubTestDriver,
  identity: Identity,
  owner: string,
  name: string,
  push: boolean,
): RepoState | Answer {
  const notFound = { status: 404, message: 'Repository not found.\n' };
  const repo = driver.repo(owner, name);
  const inst = identity.installation;
  if (
    !repo ||
    (inst &&
      (inst.account.toLowerCase() !== repo.owner.toLowerCase() ||
        (inst.repositorySelection === 'selected' &&
          !(inst.repositories ?? []).includes(repo.name))))
  ) {
    return notFound;
  }
  // Without read access the repository is not there; read but not write
  // is a refused push.
  const readable =
    identity.kind === 'token'
      ? hasScope(identity.scopes!, ['repo'])
      : hasPermission(inst!.permissions, 'contents=read');
  if (!readable) return notFound;
  if (
    push &&
    identity.kind === 'installation' &&
    !hasPermission(inst!.permissions, 'contents=write')
  ) {
    return {
      status: 403,
      message: `Permission to ${repo.owner}/${repo.name}.git denied to ${identity.login}.\n`,
    };
  }
  return repo;
}

/** What the repository's hooks enforce: workflow access and protected refs. */
function hookEnv(
  driver: GitHubTestDriver,
  identity: Identity,
  repo: RepoState,
  branches: Map<string, string> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {
    GH_TEST_WORKFLOW_SCOPE: workflowAllowed({ identity }) ? '1' : '0',
    GH_TEST_ACTOR: identity.kind === 'token' ? 'token' : 'app',
  };
  if (!branches) return env;
  const refs = {
    pr: [] as string[],
    noforce: [] as string[],
    nodelete: [] as string[],
  };
  for (const branch of new Set([...branches.keys(), repo.defaultBranch])) {
    const rules = driver.branchRules(repo, branch);
    if (rules.pullRequest) refs.pr.push(`refs/heads/${branch}`);
    if (rules.nonFastForward) refs.noforce.push(`refs/heads/${branch}`);
    if (rules.deletion) refs.nodelete.push(`refs/heads/${branch}`);
  }
  env.GH_TEST_PR_REFS = refs.pr.join(' ');
  env.GH_TEST_NOFORCE_REFS = refs.noforce.join(' ');
  env.GH_TEST_NODELETE_REFS = refs.nodelete.join(' ');
  return env;
}

/** After a push: the first branch pushed becomes the default; `pushed_at`. */
async function afterPush(repo: RepoState, before: Map<string, string>) {
  const after = await listBranches(repo.gitDir);
  const added = [...after.keys()].filter(b => !before.has(b));
  if (!after.has(repo.defaultBranch) && added.length > 0) {
    // GitHub makes the first branch pushed to an empty repository its default.
    await setDefaultBranch(repo, added[0]);
  }
  if ([...after].some(([b, sha]) => before.get(b) !== sha)) {
    repo.pushedAt = timestamp();
  }
}

/**
 * The answer starts and the connection dies: the client cannot retry the
 * request silently, as curl does when a connection dies unanswered.
 */
function cut(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  record: GitHubTestRequest,
) {
  record.status = 0;
  res.writeHead(200, {
    'content-type': 'application/x-git-receive-pack-result',
  });
  res.write('0030\x01000eunpack ok\n');
  setTimeout(() => req.socket.destroy(), 20);
}

/** Answers one git request; `m` is the match of the git path. @internal */
export async function handleGit(
  context: ServerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  m: RegExpExecArray,
  record: GitHubTestRequest,
) {
  const { driver } = context;
  const [, owner, name, op] = m;
  const service =
    op === 'info/refs' ? url.searchParams.get('service') ?? '' : op;
  const push = service === 'git-receive-pack';
  record.route = `GIT ${req.method} ${
    op === 'info/refs' ? `info/refs?service=${service}` : op
  }`;
  const body = await readBody(req);
  const text = ({ status, message, headers = {} }: Answer) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(message);
  };
  const identity = gitIdentity(driver, req);
  if (!('kind' in identity)) return text(identity);
  record.identity = identity.kind;
  const repo = gitRepo(driver, identity, owner, name, push);
  if (!('gitDir' in repo)) return text(repo);

  const before = push ? await listBranches(repo.gitDir) : undefined;
  const env = hookEnv(driver, identity, repo, before);
  const applies = push && req.method === 'POST';
  const failure = applies ? repo.failNextPush : undefined;
  if (failure) repo.failNextPush = undefined;
  if (failure === 'before-apply') return cut(req, res, record);
  const out = await runGitHttpBackend({
    req,
    body,
    projectRoot: path.join(context.reposDir, repo.owner.toLowerCase()),
    pathInfo: `/${repo.name.toLowerCase()}.git/${op}`,
    query: url.search.replace(/^\?/, ''),
    remoteUser: identity.login ?? 'git',
    env,
  });
  if (applies) await afterPush(repo, before!);
  if (failure === 'after-apply') return cut(req, res, record);
  record.status = out.status;
  res.writeHead(out.status, {
    ...out.headers,
    'content-length': String(out.body.length),
  });
  res.end(out.body);
  return undefined;
}
