/**
 * Repositories: create (for an organisation or the user), read, update
 * (description, visibility, archive, default branch), delete, and topics.
 */
import {
  GitHubHttpError,
  docs,
  notAccessibleByIntegration,
  notSupplied,
  validationFailed,
} from '../responses';
import { listBranches, setDefaultBranch } from '../gitCli';
import { timestamp } from '../serialize';
import { orgOf } from './guards';
import { callerRole, repoBody } from './repoBody';
import { RestReply, RestRequest, Route, repoRoute } from './route';
import { requireBody } from './validation';

const REPO_NAME_MAX = 100;

const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

/** A 422 about the repository name, as GitHub words its errors. */
function nameError(message: string) {
  return { resource: 'Repository', code: 'custom', field: 'name', message };
}

/** Sanitises a repository name as GitHub does: other characters become '-'. */
function sanitizeRepoName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '-');
}

async function createRepo(
  req: RestRequest,
  ownerLogin: string,
  ownerType: 'Organization' | 'User',
  doc: string,
): Promise<RestReply> {
  const body = requireBody(req, doc);
  if (typeof body.name !== 'string' || body.name.length === 0) {
    throw notSupplied('name', doc);
  }
  const name = sanitizeRepoName(body.name);
  if (name.length > REPO_NAME_MAX) {
    throw validationFailed(doc, [
      nameError(`name is too long (maximum is ${REPO_NAME_MAX} characters)`),
    ]);
  }
  if (name === '.' || name === '..') {
    throw validationFailed(doc, [nameError(`name ${name} is reserved`)]);
  }
  if (req.driver.repo(ownerLogin, name)) {
    // The message captured from GitHub (2025); older answers said "Validation Failed".
    throw new GitHubHttpError(422, 'Repository creation failed.', doc, [
      nameError('name already exists on this account'),
    ]);
  }
  const visibility: string =
    body.visibility ?? (body.private === false ? 'public' : 'private');
  if (!['public', 'private', 'internal'].includes(visibility)) {
    throw validationFailed(doc, [
      {
        resource: 'Repository',
        code: 'invalid',
        field: 'visibility',
      },
    ]);
  }
  const org = req.driver.orgs.get(ownerLogin.toLowerCase());
  const repo = await req.driver.insertRepo({
    owner: org?.login ?? ownerLogin,
    ownerType,
    name,
    private: visibility !== 'public',
    visibility,
    description: typeof body.description === 'string' ? body.description : null,
    defaultBranch: org?.defaultBranch ?? 'main',
  });
  // GitHub makes the member who creates an organisation repository its admin.
  if (req.identity.kind === 'token' && req.identity.login) {
    repo.collaborators.set(req.identity.login, 'admin');
  }
  repo.transient = { ...req.driver.transientAfterCreate };
  return {
    status: 201,
    body: await repoBody(req, repo),
    headers: {
      location: `${req.urls.api}/repos/${repo.owner}/${repo.name}`,
    },
  };
}

/** The repositories endpoints, in matching order. @internal */
export const repositoryRoutes: Route[] = [
  {
    method: 'POST',
    path: '/orgs/{org}/repos',
    docs: docs.createOrgRepo,
    scopes: ['repo', 'public_repo'],
    permission: 'administration=write',
    handler(req) {
      const org = orgOf(req, req.params.org, docs.createOrgRepo);
      return createRepo(req, org.login, 'Organization', docs.createOrgRepo);
    },
  },
  {
    method: 'POST',
    path: '/user/repos',
    docs: docs.createUserRepo,
    scopes: ['repo', 'public_repo'],
    handler(req) {
      if (!req.identity.login || req.identity.kind !== 'token') {
        throw notAccessibleByIntegration(docs.createUserRepo);
      }
      return createRepo(req, req.identity.login, 'User', docs.createUserRepo);
    },
  },
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    docs: docs.getRepo,
    permission: 'metadata=read',
    async handler(req) {
      return { status: 200, body: await repoBody(req, req.repo) };
    },
  }),
  repoRoute({
    method: 'PATCH',
    path: '/repos/{owner}/{repo}',
    docs: docs.updateRepo,
    permission: 'administration=write',
    async handler(req) {
      const repo = req.repo;
      const body = requireBody(req, docs.updateRepo);
      if (typeof body.description === 'string' || body.description === null) {
        repo.description = body.description;
      }
      if (typeof body.archived === 'boolean') repo.archived = body.archived;
      if (typeof body.visibility === 'string') {
        repo.visibility = body.visibility;
        repo.private = body.visibility !== 'public';
      } else if (typeof body.private === 'boolean') {
        repo.private = body.private;
        repo.visibility = body.private ? 'private' : 'public';
      }
      if (typeof body.default_branch === 'string') {
        const branches = await listBranches(repo.gitDir);
        if (!branches.has(body.default_branch)) {
          throw validationFailed(docs.updateRepo, [
            {
              resource: 'Repository',
              code: 'invalid',
              field: 'default_branch',
              message: `The branch ${body.default_branch} was not found. Please push that ref first or create it via the Git Data API.`,
            },
          ]);
        }
        await setDefaultBranch(repo, body.default_branch);
      }
      repo.updatedAt = timestamp();
      return { status: 200, body: await repoBody(req, repo) };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}',
    docs: docs.deleteRepo,
    scopes: ['delete_repo'],
    // GitHub names no scope for this endpoint (cli/cli#4513), and answers a
    // token without delete_repo as one without admin rights.
    scopeDenial: {
      status: 403,
      message: 'Must have admin rights to Repository.',
      acceptedHeader: '',
    },
    permission: 'administration=write',
    async handler(req) {
      const repo = req.repo;
      if (callerRole(req, repo) !== 'admin') {
        throw new GitHubHttpError(
          403,
          'Must have admin rights to Repository.',
          docs.deleteRepo,
        );
      }
      await req.driver.removeRepo(repo);
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/topics',
    docs: docs.getTopics,
    permission: 'metadata=read',
    handler(req) {
      return { status: 200, body: { names: [...req.repo.topics] } };
    },
  }),
  repoRoute({
    method: 'PUT',
    path: '/repos/{owner}/{repo}/topics',
    docs: docs.topics,
    permission: 'administration=write',
    handler(req) {
      const body = requireBody(req, docs.topics);
      if (!Array.isArray(body.names)) throw notSupplied('names', docs.topics);
      const names = body.names.map((n: unknown) => String(n).toLowerCase());
      const invalid = names.filter((n: string) => !TOPIC.test(n));
      if (invalid.length || names.length > 20) {
        throw validationFailed(docs.topics, [
          {
            resource: 'Repository',
            field: 'topics',
            code: 'invalid',
            message:
              names.length > 20
                ? 'Too many topics: a repository can have up to 20.'
                : `${invalid.join(', ')} ${
                    invalid.length > 1 ? 'are' : 'is'
                  } invalid. Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.`,
          },
        ]);
      }
      req.repo.topics = [...new Set<string>(names)];
      return { status: 200, body: { names: [...req.repo.topics] } };
    },
  }),
];
