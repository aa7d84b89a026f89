/** Teams of an organisation and their access to repositories. */
import { docs, found, validationFailed } from '../responses';
import { permissionsFor, roleName, teamJson } from '../serialize';
import { orgOf, teamOf } from './guards';
import { listReply } from './pagination';
import { repoBody } from './repoBody';
import { TeamState } from '../state';
import { RestRequest, Route, repoRoute } from './route';

const PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'];
const READ_ORG_SCOPES = ['read:org', 'admin:org', 'write:org'];

/** Where a team's access to a repository is granted and revoked. */
const TEAM_REPO = {
  path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
  docs: docs.teamRepos,
  scopes: ['admin:org'],
  permission: 'administration=write',
};

/** The team `{org}/{team_slug}` names (its organisation set on `req`), or 404. */
function teamOfPath(req: RestRequest, doc: string): TeamState {
  req.org = orgOf(req, req.params.org, doc);
  return teamOf(req, req.params.team_slug);
}

/** The teams endpoints, in matching order. @internal */
export const teamRoutes: Route[] = [
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}',
    docs: docs.teams,
    scopes: READ_ORG_SCOPES,
    permission: 'members=read',
    handler(req) {
      const team = teamOfPath(req, docs.teams);
      return { status: 200, body: teamJson(team, req.org!, req.urls) };
    },
  },
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/teams',
    docs: docs.repoTeams,
    permission: 'metadata=read',
    handler(req) {
      const repo = req.repo;
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
  }),
  repoRoute({
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.checkTeamRepo,
    scopes: READ_ORG_SCOPES,
    permission: 'members=read',
    async handler(req) {
      const team = teamOfPath(req, docs.checkTeamRepo);
      const permission = found(
        req.repo.teams.get(team.slug),
        docs.checkTeamRepo,
      );
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('application/vnd.github.v3.repository+json')) {
        return {
          status: 200,
          body: {
            ...(await repoBody(req, req.repo)),
            permissions: permissionsFor(permission),
            role_name: roleName(permission),
          },
        };
      }
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'PUT',
    ...TEAM_REPO,
    handler(req) {
      const team = teamOfPath(req, docs.teamRepos);
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
      req.repo.teams.set(team.slug, permission);
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'DELETE',
    ...TEAM_REPO,
    handler(req) {
      const team = teamOfPath(req, docs.teamRepos);
      req.repo.teams.delete(team.slug);
      return { status: 204 };
    },
  }),
];
