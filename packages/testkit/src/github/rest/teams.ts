/** Teams of an organisation and their access to repositories. */
import { docs, notFound, validationFailed } from '../responses';
import { permissionsFor, roleName, teamJson } from '../serialize';
import { orgOf, teamOf } from './guards';
import { listReply } from './pagination';
import { repoBody } from './repoBody';
import { Route } from './route';

const PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'];

/** The teams endpoints, in matching order. @internal */
export const teamRoutes: Route[] = [
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}',
    docs: docs.teams,
    scopes: ['read:org', 'admin:org', 'write:org'],
    permission: 'members=read',
    handler(req) {
      const org = orgOf(req, req.params.org, docs.teams);
      req.org = org;
      return {
        status: 200,
        body: teamJson(teamOf(req, req.params.team_slug), org, req.urls),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/teams',
    docs: docs.repoTeams,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const org = req.driver.orgs.get(repo.owner.toLowerCase());
      const teams = org
        ? [...repo.teams].map(([slug, permission]) => ({
            ...teamJson(org.teams.get(slug.toLowerCase())!, org, req.urls),
            permission,
            permissions: permissionsFor(permission),
          }))
        : [];
      return listReply(req, teams);
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.checkTeamRepo,
    scopes: ['read:org', 'admin:org', 'write:org'],
    permission: 'members=read',
    repo: true,
    async handler(req) {
      req.org = orgOf(req, req.params.org, docs.checkTeamRepo);
      const team = teamOf(req, req.params.team_slug);
      const permission = req.repo!.teams.get(team.slug);
      if (!permission) throw notFound(docs.checkTeamRepo);
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('application/vnd.github.v3.repository+json')) {
        return {
          status: 200,
          body: {
            ...(await repoBody(req, req.repo!)),
            permissions: permissionsFor(permission),
            role_name: roleName(permission),
          },
        };
      }
      return { status: 204 };
    },
  },
  {
    method: 'PUT',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.teamRepos,
    scopes: ['admin:org'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      req.org = orgOf(req, req.params.org, docs.teamRepos);
      const team = teamOf(req, req.params.team_slug);
      const body = req.body ?? {};
      const permission = body.permission ?? 'push';
      if (!PERMISSIONS.includes(permission)) {
        throw validationFailed(docs.teamRepos, [
          {
            resource: 'TeamRepository',
            code: 'invalid',
            field: 'permission',
            message: `${permission} is not a valid permission`,
          },
        ]);
      }
      req.repo!.teams.set(team.slug, permission);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.teamRepos,
    scopes: ['admin:org'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      req.org = orgOf(req, req.params.org, docs.teamRepos);
      const team = teamOf(req, req.params.team_slug);
      req.repo!.teams.delete(team.slug);
      return { status: 204 };
    },
  },
];
